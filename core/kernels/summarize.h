/* Tensors as text, the way TensorFlow's logging ops write them: Assert and
 * Print use the compact form ("[[1 2...]...]": the first `summarize`
 * elements in row-major order), StringFormat and PrintV2 the numpy-like form
 * ("[1 2 ... 9 10]": `summarize` elements at each end of every dimension,
 * rows on their own lines). */
#ifndef FERRY_KERNELS_SUMMARIZE_H
#define FERRY_KERNELS_SUMMARIZE_H

#include <stddef.h>

#include "base/tensor.h"

/* A growing NUL-terminated text; `failed` once an allocation failed (the
 * text then stops growing). */
typedef struct fy_text {
    char *data;
    size_t len, cap;
    int failed;
} fy_text;

void fy_text_add(fy_text *t, const char *s, size_t n);
void fy_text_adds(fy_text *t, const char *s);
void fy_text_free(fy_text *t);

/* Appends t summarized: `summarize` < 0 means every element; `numpy_like`
 * picks StringFormat's form over Assert's. */
void fy_summarize(fy_text *out, const ferry_tensor *t, int64_t summarize, int numpy_like);

#endif
