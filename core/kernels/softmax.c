/* Softmax and LogSoftmax along the last axis, shifted by the row maximum
 * for stability as TF does. Half and bfloat16 compute in float; sums
 * accumulate in double. A float softmax takes its exponentials from the
 * vector map of fast_math.h and multiplies by the sum's reciprocal, as
 * TensorFlow's kernel does. */
#include <stdlib.h>
#include <tgmath.h>

#include "base/parallel.h"
#include "kernels/fast_math.h"
#include "kernels/nn_internal.h"

#define DEFINE_SOFTMAX(NAME, T)                                                    \
    static void NAME(const T *x, T *y, int64_t rows, int64_t n, int log_form)      \
    {                                                                              \
        for (int64_t r = 0; r < rows; r++, x += n, y += n) {                       \
            T max = x[0];                                                          \
            for (int64_t j = 1; j < n; j++)                                        \
                max = x[j] > max ? x[j] : max;                                     \
            double sum = 0;                                                        \
            for (int64_t j = 0; j < n; j++) {                                      \
                T shifted = x[j] - max, e = exp(shifted);                          \
                sum += e;                                                          \
                y[j] = log_form ? shifted : e;                                     \
            }                                                                      \
            T log_sum = (T)log(sum);                                               \
            for (int64_t j = 0; j < n; j++)                                        \
                y[j] = log_form ? y[j] - log_sum : (T)(y[j] / sum);                \
        }                                                                          \
    }

DEFINE_SOFTMAX(log_softmax_f32, float)
DEFINE_SOFTMAX(softmax_f64, double)

static void softmax_f32(const float *x, float *y, int64_t rows, int64_t n, int log_form)
{
    if (log_form) {
        log_softmax_f32(x, y, rows, n, 1);
        return;
    }
    void (*exp_map)(const float *, float *, int64_t) = fy_exp_nonpositive_array_f32;
#ifdef FY_AVX512
    if (fy_cpu_has_avx512())
        exp_map = fy_exp_nonpositive_array_f32_avx512;
#endif
    for (int64_t r = 0; r < rows; r++, x += n, y += n) {
        float max = x[0];
        for (int64_t j = 1; j < n; j++)
            max = x[j] > max ? x[j] : max;
        for (int64_t j = 0; j < n; j++)
            y[j] = x[j] - max;
        exp_map(y, y, n);
        double part[8] = { 0 }, sum = 0;
        int64_t j = 0;
        for (; j + 8 <= n; j += 8)
            for (int k = 0; k < 8; k++)
                part[k] += y[j + k];
        for (; j < n; j++)
            sum += y[j];
        for (int k = 0; k < 8; k++)
            sum += part[k];
        float inverse = (float)(1 / sum);
        for (j = 0; j < n; j++)
            y[j] *= inverse;
    }
}

/* Rows of a float softmax over the pool's threads. */
typedef struct softmax_job {
    const float *x;
    float *y;
    int64_t rows, n, step;
    int log_form;
} softmax_job;

static void softmax_rows(void *ctx, int part)
{
    const softmax_job *j = ctx;
    int64_t r0 = part * j->step, count = j->rows - r0 < j->step ? j->rows - r0 : j->step;
    softmax_f32(j->x + r0 * j->n, j->y + r0 * j->n, count, j->n, j->log_form);
}

static void softmax_f32_spread(fy_kernel_ctx *ctx, const float *x, float *y, int64_t rows, int64_t n, int log_form)
{
    int threads = rows * n < ((int64_t)1 << 15) ? 1 : fy_pool_threads(ctx->pool);
    int64_t parts = rows < (int64_t)threads * 4 ? rows : (int64_t)threads * 4;
    softmax_job j = { x, y, rows, n, parts > 1 ? (rows + parts - 1) / parts : rows, log_form };
    fy_pool_run(parts > 1 ? ctx->pool : NULL, fy_pool_parts(rows, j.step), softmax_rows, &j);
}

static ferry_status softmax(fy_kernel_ctx *ctx, int log_form)
{
    const ferry_tensor *x = fy_input(ctx, 0);
    if (!x)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (!fy_nn_is_real(x->dtype))
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "not defined for %s", ferry_dtype_name(x->dtype));
    if (x->rank < 1)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "the logits must have rank 1 or more");
    /* Each row is read before its own values are written: in place is safe. */
    ferry_tensor *out = fy_output_reuse(ctx, 0, 0, x->dtype, x->dims, x->rank);
    if (!out)
        return FERRY_ERR_OUT_OF_MEMORY;
    int64_t n = x->dims[x->rank - 1];
    if (n == 0)
        return FERRY_OK;
    ferry_dtype ct = fy_nn_compute_type(x->dtype);
    const void *in;
    void *in_copy, *y, *y_copy;
    ferry_status st = fy_nn_load(ctx, x, ct, &in, &in_copy);
    if (!st)
        st = fy_nn_out_buffer(ctx, out, ct, &y, &y_copy);
    if (!st) {
        if (ct == FERRY_DT_FLOAT)
            softmax_f32_spread(ctx, in, y, x->count / n, n, log_form);
        else
            softmax_f64(in, y, x->count / n, n, log_form);
        fy_nn_commit(out, y_copy, ct);
    }
    free(in_copy);
    return st;
}

ferry_status fy_nn_softmax(fy_kernel_ctx *ctx)
{
    return softmax(ctx, 0);
}

ferry_status fy_nn_log_softmax(fy_kernel_ctx *ctx)
{
    return softmax(ctx, 1);
}

/* Per row of [rows, classes] logits: the log of the sum of exponentials. */
static double log_sum_exp(const ferry_tensor *x, int64_t row, int64_t n)
{
    double max = -INFINITY, sum = 0;
    for (int64_t j = 0; j < n; j++) {
        double v = fy_nn_get_f(x->data, x->dtype, row * n + j);
        max = v > max ? v : max;
    }
    for (int64_t j = 0; j < n; j++)
        sum += exp(fy_nn_get_f(x->data, x->dtype, row * n + j) - max);
    return max + log(sum);
}

/* The label weight of class j in row i: dense labels, or one-hot of a
 * sparse label. */
typedef struct labels {
    const ferry_tensor *t;
    int sparse;
} labels;

static double label_at(const labels *l, int64_t i, int64_t j, int64_t n)
{
    if (l->sparse)
        return fy_nn_get_i(l->t->data, l->t->dtype, i) == j;
    return fy_nn_get_f(l->t->data, l->t->dtype, i * n + j);
}

/* loss = sum over classes of labels * (logsumexp - logits); backprop =
 * softmax - labels. */
static ferry_status cross_entropy(fy_kernel_ctx *ctx, const ferry_tensor *x, const labels *l)
{
    int64_t rows = x->dims[0], n = x->dims[1];
    ferry_tensor *loss = fy_output_new(ctx, 0, x->dtype, &rows, 1);
    ferry_tensor *back = loss && ctx->output_count > 1 ? fy_output_new(ctx, 1, x->dtype, x->dims, 2) : NULL;
    if (!loss || (ctx->output_count > 1 && !back))
        return FERRY_ERR_OUT_OF_MEMORY;
    double *lv, *bv = NULL;
    void *l_own, *b_own = NULL;
    ferry_status st = fy_nn_out_buffer(ctx, loss, FERRY_DT_DOUBLE, (void **)&lv, &l_own);
    if (!st && back)
        st = fy_nn_out_buffer(ctx, back, FERRY_DT_DOUBLE, (void **)&bv, &b_own);
    if (st) {
        free(l_own);
        return st;
    }
    for (int64_t i = 0; i < rows; i++) {
        double lse = log_sum_exp(x, i, n), sum = 0;
        for (int64_t j = 0; j < n; j++) {
            double v = fy_nn_get_f(x->data, x->dtype, i * n + j), w = label_at(l, i, j, n);
            sum += w ? w * (lse - v) : 0;
            if (bv)
                bv[i * n + j] = exp(v - lse) - w;
        }
        lv[i] = sum;
    }
    fy_nn_commit(loss, l_own, FERRY_DT_DOUBLE);
    if (back)
        fy_nn_commit(back, b_own, FERRY_DT_DOUBLE);
    return FERRY_OK;
}

static ferry_status logits_input(fy_kernel_ctx *ctx, const ferry_tensor **x, const ferry_tensor **labels_t)
{
    *x = fy_input(ctx, 0);
    *labels_t = *x ? fy_input(ctx, 1) : NULL;
    if (!*labels_t)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (!fy_nn_is_real((*x)->dtype))
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "not defined for %s", ferry_dtype_name((*x)->dtype));
    if ((*x)->rank != 2)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "logits must be a matrix, not of rank %d", (*x)->rank);
    return FERRY_OK;
}

ferry_status fy_nn_softmax_cross_entropy(fy_kernel_ctx *ctx)
{
    const ferry_tensor *x, *t;
    ferry_status st = logits_input(ctx, &x, &t);
    if (st)
        return st;
    if (t->dtype != x->dtype || t->rank != 2 || t->dims[0] != x->dims[0] || t->dims[1] != x->dims[1])
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "labels must be %s of the logits' shape",
                              ferry_dtype_name(x->dtype));
    labels l = { t, 0 };
    return cross_entropy(ctx, x, &l);
}

ferry_status fy_nn_sparse_softmax_cross_entropy(fy_kernel_ctx *ctx)
{
    const ferry_tensor *x, *t;
    ferry_status st = logits_input(ctx, &x, &t);
    if (st)
        return st;
    if ((t->dtype != FERRY_DT_INT32 && t->dtype != FERRY_DT_INT64) || t->rank != 1 || t->dims[0] != x->dims[0])
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "labels must be %lld int32 or int64 values",
                              (long long)x->dims[0]);
    for (int64_t i = 0; i < t->count; i++) {
        int64_t v = fy_nn_get_i(t->data, t->dtype, i);
        if (v < 0 || v >= x->dims[1])
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT,
                                  "label %lld is outside the valid range [0, %lld)", (long long)v, (long long)x->dims[1]);
    }
    labels l = { t, 1 };
    return cross_entropy(ctx, x, &l);
}
