/* Reading the fixture manifests (tests/fixtures, tests/corpus) and their
 * expected tensors, and comparing tensors the way the manifests ask. */
#ifndef FERRY_TESTS_FIXTURE_H
#define FERRY_TESTS_FIXTURE_H

#include <stddef.h>

#include <cjson/cJSON.h>
#include <ferry/ferry.h>

/* A whole file, NUL-terminated (caller frees); *size (may be NULL) gets its
 * length. NULL when it cannot be read. */
char *fixture_read_file(const char *path, size_t *size);

/* Parsed manifest.json of a case directory, or NULL (message printed). */
cJSON *fixture_manifest(const char *case_dir);

/* The ferry dtype for a TF dtype name ("float32", "bfloat16", ...). */
ferry_dtype fixture_dtype(const char *name);

/* Loads an expected tensor from `file` (relative to case_dir): .npy files,
 * reinterpreted as `dtype` when the manifest's dtype has the same width
 * (bfloat16 raw bits, quantized ints), or .json string tensors. */
int fixture_tensor(ferry_tensor **out, const char *case_dir, const char *file, ferry_dtype dtype,
                   char *msg, size_t msg_size);

/* 1 when equal: integers, bools and strings exactly; floats within
 * atol + rtol*|expected| (exactly, bit for bit, when both are 0). */
int fixture_tensors_match(ferry_tensor *got, ferry_tensor *want, double rtol, double atol,
                          char *msg, size_t msg_size);

/* Calls fn for every case directory under root that has a manifest. */
void fixture_for_each_case(const char *root, void (*fn)(const char *case_dir, void *ctx), void *ctx);

/* The same over tests/corpus, whose models live in the shared corpus beside
 * the checkout (../shared/corpus); when that is absent, says so and skips. */
void fixture_for_each_corpus_case(void (*fn)(const char *case_dir, void *ctx), void *ctx);

#endif
