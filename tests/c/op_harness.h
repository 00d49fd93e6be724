/* The single-op harness of the kernel unit tests: a hand-built node with
 * attributes and inputs, run through the registry's kernel, and checks on
 * its outputs and errors. */
#ifndef FERRY_TESTS_OP_HARNESS_H
#define FERRY_TESTS_OP_HARNESS_H

#include <ferry/ferry.h>

#include "kernels/kernel.h"
#include "runtime/runtime.h"

#define MAX_ATTRS 8
#define MAX_IO 8

typedef struct op_case {
    Tensorflow__NodeDef def;
    Tensorflow__NodeDef__AttrEntry entries[MAX_ATTRS];
    Tensorflow__NodeDef__AttrEntry *entry_ptrs[MAX_ATTRS];
    Tensorflow__AttrValue values[MAX_ATTRS];
    Tensorflow__AttrValue__ListValue lists[MAX_ATTRS];
    fy_node node;
    fy_value in[MAX_IO], out[MAX_IO];
    int nin, nout;
    ferry_error *err;
    struct fy_pool *pool;         /* threads the kernel may use; NULL: this thread */
} op_case;

/* Starts a node of type op with nout outputs. */
void op_begin(op_case *r, const char *op, int nout);
Tensorflow__AttrValue *attr(op_case *r, const char *key);
void attr_int(op_case *r, const char *key, int64_t v);
void attr_float(op_case *r, const char *key, float v);
void attr_bool(op_case *r, const char *key, int v);
void attr_type(op_case *r, const char *key, ferry_dtype v);
void attr_string(op_case *r, const char *key, const char *v);
Tensorflow__AttrValue__ListValue *attr_list(op_case *r, const char *key);
void attr_ints(op_case *r, const char *key, const int64_t *v, size_t n);
void attr_floats(op_case *r, const char *key, const float *v, size_t n);
/* A list-of-strings attr (the strings must outlive the case). */
void attr_strings(op_case *r, const char *key, ProtobufCBinaryData *v, size_t n);

/* A new tensor with the given elements (count x element size bytes). */
ferry_tensor *mk(ferry_dtype dt, int rank, const int64_t *dims, const void *data);
ferry_tensor *mk_strings(int rank, const int64_t *dims, const char *const *s);
ferry_tensor *i32(int rank, const int64_t *dims, const int32_t *v);
ferry_tensor *i64(int rank, const int64_t *dims, const int64_t *v);
ferry_tensor *f32(int rank, const int64_t *dims, const float *v);
ferry_tensor *scalar_i32(int32_t v);
/* 0, 1, ..., n-1 as int32 of the given shape. */
ferry_tensor *iota(int rank, const int64_t *dims);

/* Adds an input; the harness frees it in op_end. */
void op_in(op_case *r, ferry_tensor *t);
/* Adds a new input of the given shape (data: count elements, or NULL for
 * zeros) and returns it. */
ferry_tensor *op_input(op_case *c, ferry_dtype dtype, const int64_t *dims, int rank, const void *data);
/* Filled with pattern(i, seed), the values the TF generator used. */
ferry_tensor *op_input_pattern(op_case *c, ferry_dtype dtype, const int64_t *dims, int rank, int seed);
ferry_tensor *op_input_floats(op_case *c, const int64_t *dims, int rank, const float *v);
ferry_tensor *op_input_ints(op_case *c, const int64_t *dims, int rank, const int32_t *v);
ferry_tensor *op_input_scalar_int(op_case *c, int32_t v);
/* ((i + seed) * 37 % 19 - 9) / 8, exact in float. */
double pattern(int64_t i, int seed);
/* Runs the op's registered kernel; the status, with r->err set on failure. */
ferry_status op_exec(op_case *r);
/* Runs the kernel with nout outputs, its error (if any) in *err. */
ferry_status op_call(op_case *c, int nout, ferry_error **err);
void op_end(op_case *r);
/* 1 when output v has this dtype, shape and contents (bytes; strings as C
 * strings); else 0 with the difference printed, naming the test's line. */
int expect_tensor(const fy_value *v, ferry_dtype dt, int rank, const int64_t *dims, const void *data, const char *file,
                  int line);

/* Runs and expects success, printing the error otherwise. */
#define RUN_OK(r)                                                                              \
    do {                                                                                       \
        ferry_status run_st_ = op_exec(r);                                                     \
        if (run_st_ != FERRY_OK) {                                                             \
            fprintf(stderr, "%s:%d: %s failed: %s\n", __FILE__, __LINE__, (r)->node.op,        \
                    (r)->err ? ferry_error_message((r)->err) : "(no error)");                 \
            check_current_failed = 1;                                                          \
        }                                                                                      \
    } while (0)

#define RUN_FAILS(r, code, needle)                                                             \
    do {                                                                                       \
        ferry_status run_st_ = op_exec(r);                                                     \
        const char *run_msg_ = (r)->err ? ferry_error_message((r)->err) : "";                  \
        if (run_st_ != (code) || !strstr(run_msg_, (needle)) || !strstr(run_msg_, "node 'n'")) { \
            fprintf(stderr, "%s:%d: expected %s to fail with %d containing \"%s\"; got %d: %s\n", \
                    __FILE__, __LINE__, (r)->node.op, (int)(code), (needle), (int)run_st_,     \
                    run_msg_);                                                                 \
            check_current_failed = 1;                                                          \
        }                                                                                      \
    } while (0)

#define EXPECT(r, i, dt, rank, dims, data)                                                     \
    do {                                                                                       \
        if (!expect_tensor(&(r)->out[i], dt, rank, dims, data, __FILE__, __LINE__))                      \
            check_current_failed = 1;                                                          \
    } while (0)

#define D(...) ((const int64_t[]){ __VA_ARGS__ })
#define I32(...) ((const int32_t[]){ __VA_ARGS__ })
#define I64(...) ((const int64_t[]){ __VA_ARGS__ })
#define F32(...) ((const float[]){ __VA_ARGS__ })
#define U8(...) ((const uint8_t[]){ __VA_ARGS__ })
#define U16(...) ((const uint16_t[]){ __VA_ARGS__ })
#define S(...) ((const char *const[]){ __VA_ARGS__ })

/* Outputs against expected values: shape and dtype exactly, numbers within
 * rtol*|want| + atol (NaN matches NaN, infinities exactly). */
int same_shape(const ferry_tensor *t, ferry_dtype dtype, const int64_t *dims, int rank);
int close_to(double got, double want, double rtol, double atol);
int check_values(const ferry_tensor *t, const double *want, int64_t n, double rtol, double atol);
/* Float outputs within 1e-5 relative of TF's (the fixtures' bar). */
int floats_match(const ferry_tensor *t, const float *want, size_t n, const int64_t *dims, int rank);
int ints_match(const ferry_tensor *t, ferry_dtype dtype, const int64_t *want, size_t n);

#define INTS(...) (const int64_t[]){ __VA_ARGS__ }, sizeof((const int64_t[]){ __VA_ARGS__ }) / sizeof(int64_t)
#define DIMS(...) (const int64_t[]){ __VA_ARGS__ }, (int)(sizeof((const int64_t[]){ __VA_ARGS__ }) / sizeof(int64_t))
#define SCALAR NULL, 0
#define CHECK_FLOATS(t, want, shape) CHECK(floats_match((t), (want), sizeof(want) / sizeof((want)[0]), shape))
#define CHECK_INTS(t, dtype, ...) CHECK(ints_match((t), (dtype), INTS(__VA_ARGS__)))

#endif
