/* Max and average pooling over 2-D and 3-D windows. Padding never counts:
 * a max ignores it and an average divides by the valid elements only, as
 * TF does. Float and double (half and bfloat16 in float); max pooling
 * also takes TF's integer types (in int64). */
#include <float.h>
#include <stdint.h>
#include <stdlib.h>

#include "kernels/nn_internal.h"

#define DEFINE_POOL(NAME, T, LOWEST)                                                                    \
    static void NAME(const fy_nn_window *w, int64_t batch, int64_t ch, int avg, const T *x, T *y)       \
    {                                                                                                   \
        int64_t lo[FY_NN_SPATIAL], hi[FY_NN_SPATIAL], o[FY_NN_SPATIAL];                                 \
        int64_t out_pix = w->out[0] * w->out[1] * w->out[2];                                            \
        for (int64_t p = 0; p < batch * out_pix; p++, y += ch) {                                        \
            int64_t n = p / out_pix, q = p % out_pix, valid = 1;                                        \
            o[2] = q % w->out[2];                                                                       \
            o[1] = q / w->out[2] % w->out[1];                                                           \
            o[0] = q / w->out[2] / w->out[1];                                                           \
            for (int s = 0; s < FY_NN_SPATIAL; s++) {                                                   \
                int64_t start = o[s] * w->stride[s] - w->pad[s], end = start + w->k[s];                 \
                lo[s] = start > 0 ? start : 0;                                                          \
                hi[s] = end < w->in[s] ? end : w->in[s];                                                \
                valid *= hi[s] > lo[s] ? hi[s] - lo[s] : 0;                                             \
            }                                                                                           \
            for (int64_t c = 0; c < ch; c++)                                                            \
                y[c] = avg ? 0 : LOWEST;                                                                \
            for (int64_t i0 = lo[0]; i0 < hi[0]; i0++)                                                  \
                for (int64_t i1 = lo[1]; i1 < hi[1]; i1++)                                              \
                    for (int64_t i2 = lo[2]; i2 < hi[2]; i2++) {                                        \
                        const T *v = x + (((n * w->in[0] + i0) * w->in[1] + i1) * w->in[2] + i2) * ch;  \
                        if (avg)                                                                        \
                            for (int64_t c = 0; c < ch; c++)                                            \
                                y[c] += v[c];                                                           \
                        else                                                                            \
                            for (int64_t c = 0; c < ch; c++)                                            \
                                y[c] = v[c] > y[c] ? v[c] : y[c];                                       \
                    }                                                                                   \
            if (avg && valid)                                                                           \
                for (int64_t c = 0; c < ch; c++)                                                        \
                    y[c] /= (T)valid;                                                                   \
        }                                                                                               \
    }

DEFINE_POOL(pool_f32, float, -FLT_MAX)
DEFINE_POOL(pool_f64, double, -DBL_MAX)
DEFINE_POOL(pool_i64, int64_t, INT64_MIN)

/* Pools x with the window set in w (its k and strides filled). */
static ferry_status pool(fy_kernel_ctx *ctx, fy_nn_window *w, const ferry_tensor *x, int avg)
{
    int64_t batch, ch, dims[FERRY_MAX_RANK];
    fy_nn_window_split(w, x->dims, &batch, w->in, &ch);
    ferry_status st = fy_nn_window_size(ctx, w);
    if (st)
        return st;
    fy_nn_window_join(w, batch, w->out, ch, dims);
    ferry_tensor *out = fy_output_new_uninit(ctx, 0, x->dtype, dims, x->rank);
    if (!out)
        return FERRY_ERR_OUT_OF_MEMORY;
    if (out->count == 0)
        return FERRY_OK;
    ferry_dtype ct = fy_nn_compute_type(x->dtype);
    const void *xs;
    void *x_own = NULL, *y, *y_own = NULL;
    st = fy_nn_window_input(ctx, w, x, ct, &xs, &x_own);
    if (!st)
        st = fy_nn_window_output(ctx, w, out, ct, &y, &y_own);
    if (!st) {
        if (ct == FERRY_DT_FLOAT)
            pool_f32(w, batch, ch, avg, xs, y);
        else if (ct == FERRY_DT_DOUBLE)
            pool_f64(w, batch, ch, avg, xs, y);
        else
            pool_i64(w, batch, ch, avg, xs, y);
        st = fy_nn_window_commit(ctx, w, out, ct, y_own);
    }
    free(x_own);
    return st;
}

/* The integer types TF's CPU MaxPool kernels take. */
static int max_pool_int(ferry_dtype dtype)
{
    return dtype == FERRY_DT_INT8 || dtype == FERRY_DT_UINT8 || dtype == FERRY_DT_INT16 ||
           dtype == FERRY_DT_UINT16 || dtype == FERRY_DT_INT32 || dtype == FERRY_DT_INT64;
}

static ferry_status pool_input(fy_kernel_ctx *ctx, fy_nn_window *w, const ferry_tensor **x, int avg)
{
    *x = fy_input(ctx, 0);
    if (!*x)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (!fy_nn_is_real((*x)->dtype) && (avg || !max_pool_int((*x)->dtype)))
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "not defined for %s", ferry_dtype_name((*x)->dtype));
    if ((*x)->rank != 4 && (*x)->rank != 5)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "the input must have rank 4 or 5, not %d", (*x)->rank);
    return fy_nn_window_attrs(ctx, w, (*x)->rank, 0, NULL);
}

/* MaxPool, AvgPool and their 3-D forms: ksize and strides are attrs. */
static ferry_status pool_attrs(fy_kernel_ctx *ctx, int avg)
{
    fy_nn_window w;
    const ferry_tensor *x;
    ferry_status st = pool_input(ctx, &w, &x, avg);
    size_t n = 0;
    const int64_t *k = st ? NULL : fy_attr_ints(ctx->node, "ksize", &n);
    if (!st && !k)
        st = fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "ksize is missing");
    if (!st)
        st = fy_nn_window_list(ctx, &w, k, n, "ksize", w.k);
    return st ? st : pool(ctx, &w, x, avg);
}

ferry_status fy_nn_max_pool(fy_kernel_ctx *ctx)
{
    return pool_attrs(ctx, 0);
}

ferry_status fy_nn_avg_pool(fy_kernel_ctx *ctx)
{
    return pool_attrs(ctx, 1);
}

/* MaxPoolV2(input, ksize, strides): the window comes as tensors. */
ferry_status fy_nn_max_pool_v2(fy_kernel_ctx *ctx)
{
    fy_nn_window w;
    const ferry_tensor *x, *k = ctx->input_count > 2 ? fy_input(ctx, 1) : NULL, *s = k ? fy_input(ctx, 2) : NULL;
    ferry_status st = pool_input(ctx, &w, &x, 0);
    if (st)
        return st;
    if (!s)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "needs ksize and strides inputs");
    int64_t kv[FERRY_MAX_RANK], sv[FERRY_MAX_RANK];
    st = fy_read_ints(ctx, k, kv, FERRY_MAX_RANK, "ksize");
    if (!st)
        st = fy_read_ints(ctx, s, sv, FERRY_MAX_RANK, "strides");
    if (!st)
        st = fy_nn_window_list(ctx, &w, kv, (size_t)k->count, "ksize", w.k);
    if (!st)
        st = fy_nn_window_list(ctx, &w, sv, (size_t)s->count, "strides", w.stride);
    return st ? st : pool(ctx, &w, x, 0);
}
