/* Matrix products (MatMul, BatchMatMul V1-V3) and BiasAdd. Float and
 * double products go to BLAS, except float products by lasting weights,
 * which use their packed form where the CPU can (kernels/packed.c); half
 * and bfloat16 compute in float; integers in int64 with wrap-around. */
#include <cblas.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/parallel.h"
#include "kernels/nn_internal.h"
#include "kernels/packed.h"

int fy_nn_bmm_batch(fy_nn_bmm *p, const int64_t *a, int a_rank, const int64_t *b, int b_rank)
{
    int rank = a_rank > b_rank ? a_rank : b_rank;
    p->batch_rank = rank;
    for (int d = 0; d < rank; d++) {
        int da = d - (rank - a_rank), db = d - (rank - b_rank);
        int64_t x = da >= 0 ? a[da] : 1, y = db >= 0 ? b[db] : 1;
        if (x != y && x != 1 && y != 1)
            return 0;
        p->a_batch[d] = x;
        p->b_batch[d] = y;
        p->batch[d] = x == 1 ? y : x;
    }
    return 1;
}

static void gemm_here(ferry_dtype dtype, int ta, int tb, int64_t m, int64_t n, int64_t k, const void *a, int64_t lda,
                      const void *b, int64_t ldb, void *c, int64_t ldc)
{
    size_t elem = ferry_dtype_size(dtype);
    if (m == 0 || n == 0)
        return;
    if (k == 0) { /* BLAS rejects empty inner dims */
        for (int64_t i = 0; i < m; i++)
            memset((char *)c + (size_t)(i * ldc) * elem, 0, (size_t)n * elem);
        return;
    }
    enum CBLAS_TRANSPOSE ca = ta ? CblasTrans : CblasNoTrans, cb = tb ? CblasTrans : CblasNoTrans;
    /* One row times a matrix is a matrix-vector product, which BLAS does at
     * memory speed; sgemm treats it as a thin block and is about half as fast. */
    if (m == 1 && dtype == FERRY_DT_FLOAT) {
        /* The output may start unwritten, and some BLAS builds scale it by
         * beta = 0 rather than overwrite it (NaN * 0 stays NaN). */
        memset(c, 0, (size_t)n * sizeof(float));
        cblas_sgemv(CblasRowMajor, tb ? CblasNoTrans : CblasTrans, tb ? (int)n : (int)k, tb ? (int)k : (int)n, 1.0f,
                    b, (int)ldb, a, ta ? (int)lda : 1, 0.0f, c, 1);
        return;
    }
    if (dtype == FERRY_DT_FLOAT) {
        cblas_sgemm(CblasRowMajor, ca, cb, (int)m, (int)n, (int)k, 1.0f, a, (int)lda, b, (int)ldb, 0.0f, c, (int)ldc);
    } else if (dtype == FERRY_DT_DOUBLE) {
        cblas_dgemm(CblasRowMajor, ca, cb, (int)m, (int)n, (int)k, 1.0, a, (int)lda, b, (int)ldb, 0.0, c, (int)ldc);
    } else {
        const int64_t *x = a, *y = b;
        int64_t *z = c;
        for (int64_t i = 0; i < m; i++) {
            memset(z + i * ldc, 0, (size_t)n * sizeof(*z));
            for (int64_t l = 0; l < k; l++) {
                uint64_t v = (uint64_t)(ta ? x[l * lda + i] : x[i * lda + l]);
                for (int64_t j = 0; j < n; j++) {
                    uint64_t w = (uint64_t)(tb ? y[j * ldb + l] : y[l * ldb + j]);
                    z[i * ldc + j] = (int64_t)((uint64_t)z[i * ldc + j] + v * w);
                }
            }
        }
    }
}

/* Ferry runs BLAS on its own threads (the model's pool), so BLAS itself
 * must not start more: OpenBLAS is told once to use one thread. This is
 * process-wide; docs/performance.md says why. */
static pthread_once_t blas_once = PTHREAD_ONCE_INIT;

static void single_threaded_blas(void)
{
    openblas_set_num_threads(1);
}

/* One slice of a product split over threads. */
typedef struct gemm_job {
    ferry_dtype dtype;
    int ta, tb, by_rows;
    int64_t m, n, k, lda, ldb, ldc, step;
    const char *a, *b;
    char *c;
} gemm_job;

static void gemm_slice(void *ctx, int i)
{
    const gemm_job *j = ctx;
    size_t elem = ferry_dtype_size(j->dtype);
    int64_t from = i * j->step, total = j->by_rows ? j->m : j->n;
    int64_t len = total - from < j->step ? total - from : j->step;
    if (len <= 0)
        return;
    if (j->by_rows) {
        const char *a = j->a + (size_t)(j->ta ? from : from * j->lda) * elem;
        gemm_here(j->dtype, j->ta, j->tb, len, j->n, j->k, a, j->lda, j->b, j->ldb, j->c + (size_t)(from * j->ldc) * elem,
                  j->ldc);
    } else {
        const char *b = j->b + (size_t)(j->tb ? from * j->ldb : from) * elem;
        gemm_here(j->dtype, j->ta, j->tb, j->m, len, j->k, j->a, j->lda, b, j->ldb, j->c + (size_t)from * elem, j->ldc);
    }
}

/* Below this many multiply-adds a product is not worth handing to another
 * thread. With pool threads that watch for work before sleeping, an LSTM
 * step at batch 32 (2^21) runs faster split (LSTM batch 32 29 -> 25 ms,
 * MobileNetV2 batch 1 6.8 -> 6.4 ms against 2^22). A one-row product
 * streams its matrix once and is bound by memory, which two cores read
 * faster than one: it splits from 2^17 on. */
#define PARALLEL_MIN_MACS ((int64_t)1 << 20)
#define PARALLEL_MIN_MACS_ONE_ROW ((int64_t)1 << 17)

void fy_nn_gemm(struct fy_pool *pool, ferry_dtype dtype, int ta, int tb, int64_t m, int64_t n, int64_t k,
                const void *a, int64_t lda, const void *b, int64_t ldb, void *c, int64_t ldc)
{
    pthread_once(&blas_once, single_threaded_blas);
    int threads = fy_pool_threads(pool);
    double macs = (double)m * (double)n * (double)k;
    double min_macs = m == 1 ? (double)PARALLEL_MIN_MACS_ONE_ROW : (double)PARALLEL_MIN_MACS;
    if (threads == 1 || dtype == FERRY_DT_INT64 || macs < min_macs || (m < 2 && n < 32)) {
        gemm_here(dtype, ta, tb, m, n, k, a, lda, b, ldb, c, ldc);
        return;
    }
    /* Split the longer side; columns in multiples of 16 to keep vectors whole. */
    gemm_job j = { dtype, ta, tb, m >= n, m, n, k, lda, ldb, ldc, 0, a, b, c };
    int64_t total = j.by_rows ? m : n, align = j.by_rows ? 1 : 16;
    j.step = (total + threads - 1) / threads;
    j.step = (j.step + align - 1) / align * align;
    fy_pool_run(pool, fy_pool_parts(total, j.step), gemm_slice, &j);
}

/* One product of m rows of op(A), with packed leading dims. */
static void gemm(struct fy_pool *pool, const fy_nn_bmm *p, int64_t m, const void *a, const void *b, void *c)
{
    fy_nn_gemm(pool, p->dtype, p->ta, p->tb, m, p->n, p->k, a, p->ta ? m : p->k, b, p->tb ? p->k : p->n, c, p->n);
}

/* Products [i * step, (i + 1) * step) of a batch. */
typedef struct batch_job {
    const fy_nn_bmm *p;
    const char *a, *b;
    char *c;
    const int64_t *offsets;            /* per product: its A and B index */
    int64_t count, step;
    struct fy_pool *pool;              /* for a product alone; NULL inside a slice */
} batch_job;

static void batch_slice(void *ctx, int part)
{
    const batch_job *j = ctx;
    const fy_nn_bmm *p = j->p;
    size_t elem = ferry_dtype_size(p->dtype);
    int64_t end = (part + 1) * j->step < j->count ? (part + 1) * j->step : j->count;
    for (int64_t i = part * j->step; i < end; i++)
        gemm(j->pool, p, p->m, j->a + (size_t)(j->offsets[2 * i] * p->m * p->k) * elem,
             j->b + (size_t)(j->offsets[2 * i + 1] * p->k * p->n) * elem, j->c + (size_t)(i * p->m * p->n) * elem);
}

ferry_status fy_nn_bmm_run(fy_kernel_ctx *ctx, const fy_nn_bmm *p, const void *a, const void *b, void *c)
{
    if (p->m > INT_MAX || p->n > INT_MAX || p->k > INT_MAX)
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "matrices of %lld x %lld x %lld are too large",
                              (long long)p->m, (long long)p->k, (long long)p->n);
    int64_t count = 1, a_step[FERRY_MAX_RANK], b_step[FERRY_MAX_RANK], sa = 1, sb = 1;
    int shared_b = 1, whole_a = 1;
    for (int d = p->batch_rank - 1; d >= 0; d--) {
        count *= p->batch[d];
        a_step[d] = p->a_batch[d] == 1 ? 0 : sa;
        b_step[d] = p->b_batch[d] == 1 ? 0 : sb;
        sa *= p->a_batch[d];
        sb *= p->b_batch[d];
        shared_b &= p->b_batch[d] == 1;
        whole_a &= p->a_batch[d] == p->batch[d];
    }
    /* One B for every A stacked without transposition: a single tall product. */
    if (shared_b && whole_a && !p->ta && count * p->m <= INT_MAX) {
        gemm(ctx->pool, p, count * p->m, a, b, c);
        return FERRY_OK;
    }
    /* Each product's operands, then the products themselves: spread over the
     * pool's threads when there are several and enough work (attention heads). */
    int64_t *offsets = malloc(((size_t)count * 2 + 1) * sizeof(int64_t));
    if (!offsets)
        return fy_kernel_fail(ctx, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    int64_t idx[FERRY_MAX_RANK] = { 0 }, ai = 0, bi = 0;
    for (int64_t i = 0; i < count; i++) {
        offsets[2 * i] = ai;
        offsets[2 * i + 1] = bi;
        for (int d = p->batch_rank - 1; d >= 0; d--) {
            ai += a_step[d];
            bi += b_step[d];
            if (++idx[d] < p->batch[d])
                break;
            ai -= a_step[d] * p->batch[d];
            bi -= b_step[d] * p->batch[d];
            idx[d] = 0;
        }
    }
    batch_job j = { p, a, b, c, offsets, count, 1, NULL };
    int threads = fy_pool_threads(ctx->pool);
    double macs = (double)count * (double)p->m * (double)p->n * (double)p->k;
    if (threads > 1 && count > 1 && macs >= (double)PARALLEL_MIN_MACS) {
        int64_t parts = count < (int64_t)threads * 4 ? count : (int64_t)threads * 4;
        j.step = (count + parts - 1) / parts;
        fy_pool_run(ctx->pool, fy_pool_parts(count, j.step), batch_slice, &j);
    } else {
        j.step = count;
        j.pool = ctx->pool;
        batch_slice(&j, 0);
    }
    free(offsets);
    return FERRY_OK;
}

/* A float product by one lasting matrix (a layer's weights) through its
 * packed form (kernels/packed.h); a's matrices, if several, are stacked
 * rows. 0 when it does not apply. */
static int packed_product(fy_kernel_ctx *ctx, const fy_nn_bmm *p, const ferry_tensor *a, const ferry_tensor *b,
                          ferry_tensor *out)
{
    if (p->ta || b->rank != 2 || a->dtype != FERRY_DT_FLOAT || b->dtype != FERRY_DT_FLOAT ||
        out->dtype != FERRY_DT_FLOAT || p->dtype != FERRY_DT_FLOAT)
        return 0;
    const fy_packed *packed = fy_packed_of(b, p->k, p->n, p->tb);
    if (!packed)
        return 0;
    fy_packed_gemm(ctx->pool, a->count / p->k, a->data, p->k, packed, out->data, p->n);
    return 1;
}

/* Computes out = a x b per p in p->dtype, converting operands and result. */
static ferry_status product(fy_kernel_ctx *ctx, fy_nn_bmm *p, const ferry_tensor *a, const ferry_tensor *b,
                            ferry_tensor *out)
{
    if (out->count == 0 || packed_product(ctx, p, a, b, out))
        return FERRY_OK;
    const void *x, *y;
    void *xc = NULL, *yc = NULL, *z, *zc;
    ferry_status st = fy_nn_load(ctx, a, p->dtype, &x, &xc);
    if (!st)
        st = fy_nn_load(ctx, b, p->dtype, &y, &yc);
    if (!st)
        st = fy_nn_out_buffer(ctx, out, p->dtype, &z, &zc);
    if (!st) {
        st = fy_nn_bmm_run(ctx, p, x, y, z);
        if (st)
            free(zc);
        else
            fy_nn_commit(out, zc, p->dtype);
    }
    free(xc);
    free(yc);
    return st;
}

static ferry_status check_types(fy_kernel_ctx *ctx, ferry_dtype ta, ferry_dtype tb, ferry_dtype tout)
{
    ferry_dtype ct = fy_nn_compute_type(tout);
    if (ct == FERRY_DT_INVALID || tout == FERRY_DT_BOOL || fy_nn_compute_type(ta) == FERRY_DT_INVALID ||
        fy_nn_compute_type(tb) == FERRY_DT_INVALID || ta == FERRY_DT_BOOL || tb == FERRY_DT_BOOL ||
        (ct == FERRY_DT_INT64 && (fy_nn_is_real(ta) || fy_nn_is_real(tb))))
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "not defined for %s x %s giving %s", ferry_dtype_name(ta),
                              ferry_dtype_name(tb), ferry_dtype_name(tout));
    return FERRY_OK;
}

static ferry_status incompatible(fy_kernel_ctx *ctx, const ferry_tensor *a, const ferry_tensor *b)
{
    char sa[256], sb[256];
    return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "matrix sizes are incompatible: %s and %s",
                          fy_dims_str(sa, sizeof(sa), a->dims, a->rank), fy_dims_str(sb, sizeof(sb), b->dims, b->rank));
}

/* Fills m, n, k from the last two dims of a and b; 0 when k disagrees. */
static int matrix_dims(fy_nn_bmm *p, const ferry_tensor *a, const ferry_tensor *b)
{
    int64_t a0 = a->dims[a->rank - 2], a1 = a->dims[a->rank - 1];
    int64_t b0 = b->dims[b->rank - 2], b1 = b->dims[b->rank - 1];
    p->m = p->ta ? a1 : a0;
    p->k = p->ta ? a0 : a1;
    p->n = p->tb ? b0 : b1;
    return p->k == (p->tb ? b1 : b0);
}

ferry_status fy_nn_matmul(fy_kernel_ctx *ctx)
{
    const ferry_tensor *a = fy_input(ctx, 0), *b = a ? fy_input(ctx, 1) : NULL;
    if (!b)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (a->rank != 2 || b->rank != 2)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "the operands must be matrices, not of rank %d and %d",
                              a->rank, b->rank);
    if (a->dtype != b->dtype)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "the operands differ in dtype");
    ferry_status st = check_types(ctx, a->dtype, b->dtype, a->dtype);
    if (st)
        return st;
    fy_nn_bmm p = { .dtype = fy_nn_compute_type(a->dtype) };
    p.ta = fy_attr_bool(ctx->node, "transpose_a", 0);
    p.tb = fy_attr_bool(ctx->node, "transpose_b", 0);
    if (!matrix_dims(&p, a, b))
        return incompatible(ctx, a, b);
    int64_t dims[2] = { p.m, p.n };
    ferry_tensor *out = fy_output_new_uninit(ctx, 0, a->dtype, dims, 2);
    return out ? product(ctx, &p, a, b, out) : FERRY_ERR_OUT_OF_MEMORY;
}

/* BatchMatMul, V2 and V3: batch dims broadcast; V3 may name Tout. */
ferry_status fy_nn_batch_matmul(fy_kernel_ctx *ctx)
{
    const ferry_tensor *a = fy_input(ctx, 0), *b = a ? fy_input(ctx, 1) : NULL;
    if (!b)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (a->rank < 2 || b->rank < 2)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "the operands must have rank 2 or more, not %d and %d",
                              a->rank, b->rank);
    ferry_dtype tout = fy_attr_type(ctx->node, "Tout", a->dtype);
    if (!fy_node_attr(ctx->node, "Tout") && a->dtype != b->dtype)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "the operands differ in dtype");
    ferry_status st = check_types(ctx, a->dtype, b->dtype, tout);
    if (st)
        return st;
    fy_nn_bmm p = { .dtype = fy_nn_compute_type(tout) };
    p.ta = fy_attr_bool(ctx->node, "adj_x", 0);
    p.tb = fy_attr_bool(ctx->node, "adj_y", 0);
    if (!matrix_dims(&p, a, b) || !fy_nn_bmm_batch(&p, a->dims, a->rank - 2, b->dims, b->rank - 2))
        return incompatible(ctx, a, b);
    int64_t dims[FERRY_MAX_RANK];
    memcpy(dims, p.batch, (size_t)p.batch_rank * sizeof(int64_t));
    dims[p.batch_rank] = p.m;
    dims[p.batch_rank + 1] = p.n;
    ferry_tensor *out = fy_output_new_uninit(ctx, 0, tout, dims, p.batch_rank + 2);
    return out ? product(ctx, &p, a, b, out) : FERRY_ERR_OUT_OF_MEMORY;
}

#define ADD_BIAS(T, ADD)                                                       \
    do {                                                                       \
        const T *xv = x, *bv = bias;                                           \
        T *yv = y;                                                             \
        for (int64_t o = 0, i = 0; o < outer; o++)                             \
            for (int64_t c = 0; c < channels; c++)                             \
                for (int64_t j = 0; j < inner; j++, i++)                       \
                    yv[i] = ADD(xv[i], bv[c]);                                 \
    } while (0)
#define PLUS(a, b) ((a) + (b))
#define PLUS_WRAP(a, b) ((int64_t)((uint64_t)(a) + (uint64_t)(b)))

/* Float bias over rows [r0, r1) of outer x channels x inner values, in a
 * shape the compiler vectorizes (channels last: inner is 1). */
typedef struct bias_job {
    const float *x, *bias;
    float *y;
    int64_t outer, channels, inner, step;
} bias_job;

static void bias_rows(void *ctx, int part)
{
    const bias_job *j = ctx;
    int64_t r0 = part * j->step, r1 = r0 + j->step < j->outer ? r0 + j->step : j->outer;
    int64_t row = j->channels * j->inner;
    for (int64_t o = r0; o < r1; o++) {
        /* y may be x itself (an in-place output), so no restrict here. */
        const float *x = j->x + o * row, *b = j->bias;
        float *y = j->y + o * row;
        if (j->inner == 1) {
            for (int64_t c = 0; c < j->channels; c++)
                y[c] = x[c] + b[c];
        } else {
            for (int64_t c = 0; c < j->channels; c++)
                for (int64_t k = 0; k < j->inner; k++)
                    y[c * j->inner + k] = x[c * j->inner + k] + b[c];
        }
    }
}

static void bias_add_f32(fy_kernel_ctx *ctx, const float *x, const float *bias, float *y, int64_t outer,
                         int64_t channels, int64_t inner)
{
    bias_job j = { x, bias, y, outer, channels, inner, outer };
    int threads = outer * channels * inner < ((int64_t)1 << 16) ? 1 : fy_pool_threads(ctx->pool);
    int64_t parts = outer < (int64_t)threads * 4 ? outer : (int64_t)threads * 4;
    if (threads > 1 && parts > 1)
        j.step = (outer + parts - 1) / parts;
    fy_pool_run(j.step < outer ? ctx->pool : NULL, fy_pool_parts(outer, j.step), bias_rows, &j);
}

/* value + bias along the channel dim: the last, or dim 1 for NCHW. */
static ferry_status bias_add(fy_kernel_ctx *ctx, int channels_first)
{
    const ferry_tensor *v = fy_input(ctx, 0), *b = v ? fy_input(ctx, 1) : NULL;
    if (!b)
        return FERRY_ERR_INVALID_ARGUMENT;
    ferry_dtype ct = fy_nn_compute_type(v->dtype);
    if (ct == FERRY_DT_INVALID || v->dtype == FERRY_DT_BOOL || b->dtype != v->dtype)
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "not defined for %s and %s", ferry_dtype_name(v->dtype),
                              ferry_dtype_name(b->dtype));
    int cdim = channels_first ? 1 : v->rank - 1;
    if (v->rank < 2 || b->rank != 1 || b->dims[0] != v->dims[cdim])
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "a bias of %lld values does not fit a value of rank %d",
                              (long long)(b->rank == 1 ? b->dims[0] : -1), v->rank);
    ferry_tensor *out = fy_output_reuse(ctx, 0, 0, v->dtype, v->dims, v->rank);
    if (!out)
        return FERRY_ERR_OUT_OF_MEMORY;
    if (out->count == 0) /* the dims beside a 0 may multiply past int64 */
        return FERRY_OK;
    int64_t outer = 1, channels = v->dims[cdim], inner = 1;
    for (int d = 0; d < v->rank; d++) {
        if (d < cdim)
            outer *= v->dims[d];
        if (d > cdim)
            inner *= v->dims[d];
    }
    const void *x, *bias;
    void *xc = NULL, *bc = NULL, *y, *yc;
    ferry_status st = fy_nn_load(ctx, v, ct, &x, &xc);
    if (!st)
        st = fy_nn_load(ctx, b, ct, &bias, &bc);
    if (!st)
        st = fy_nn_out_buffer(ctx, out, ct, &y, &yc);
    if (!st) {
        if (ct == FERRY_DT_FLOAT)
            bias_add_f32(ctx, x, bias, y, outer, channels, inner);
        else if (ct == FERRY_DT_DOUBLE)
            ADD_BIAS(double, PLUS);
        else
            ADD_BIAS(int64_t, PLUS_WRAP);
        fy_nn_commit(out, yc, ct);
    }
    free(xc);
    free(bc);
    return st;
}

ferry_status fy_nn_bias_add(fy_kernel_ctx *ctx)
{
    char fmt[16];
    const char *f = fy_attr_enum(ctx, "data_format", fmt, sizeof(fmt), "NHWC");
    if (!f)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (strcmp(f, "NHWC") && strcmp(f, "NCHW"))
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "data_format %s", f);
    return bias_add(ctx, !strcmp(f, "NCHW"));
}

ferry_status fy_nn_bias_add_v1(fy_kernel_ctx *ctx)
{
    return bias_add(ctx, 0);
}
