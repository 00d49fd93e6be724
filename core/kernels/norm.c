/* FusedBatchNorm (V1-V3), in inference and training form, and local
 * response normalization. Computed in float (statistics in double). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/nn_internal.h"

/* x seen as [outer, channels, inner]: NHWC has inner 1, NCHW outer N. */
typedef struct layout {
    int64_t outer, channels, inner;
} layout;

static ferry_status batch_norm_layout(fy_kernel_ctx *ctx, const ferry_tensor *x, layout *l)
{
    char buf[16];
    const char *f = fy_attr_enum(ctx, "data_format", buf, sizeof(buf), "NHWC");
    if (!f)
        return FERRY_ERR_INVALID_ARGUMENT;
    int first = !strcmp(f, "NCHW") || !strcmp(f, "NCDHW");
    if (!first && strcmp(f, "NHWC") && strcmp(f, "NDHWC"))
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "data_format %s", f);
    if (x->rank != 4 && x->rank != 5)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "x must have rank 4 or 5, not %d", x->rank);
    int c = first ? 1 : x->rank - 1;
    l->outer = 1;
    l->inner = 1;
    l->channels = x->dims[c];
    for (int d = 0; d < x->rank; d++) {
        if (d < c)
            l->outer *= x->dims[d];
        if (d > c)
            l->inner *= x->dims[d];
    }
    return FERRY_OK;
}

/* Per-channel mean and (biased) variance of x over everything else. */
static void moments(const float *x, const layout *l, double *mean, double *var)
{
    int64_t n = l->outer * l->inner;
    for (int pass = 0; pass < 2; pass++) {
        double *acc = pass ? var : mean;
        memset(acc, 0, (size_t)l->channels * sizeof(double));
        for (int64_t o = 0, i = 0; o < l->outer; o++)
            for (int64_t c = 0; c < l->channels; c++)
                for (int64_t j = 0; j < l->inner; j++, i++) {
                    double d = pass ? x[i] - mean[c] : x[i];
                    acc[c] += pass ? d * d : d;
                }
        for (int64_t c = 0; c < l->channels; c++)
            acc[c] = n ? acc[c] / (double)n : 0;
    }
}

typedef struct bn_inputs {
    const float *scale, *offset, *mean, *var;
} bn_inputs;

/* Writes outputs 1-4 (and an empty 5 for V3): the statistics used, or in
 * training the batch ones (variance Bessel-corrected) folded into the
 * running ones by exponential_avg_factor. */
static ferry_status write_stats(fy_kernel_ctx *ctx, const layout *l, const bn_inputs *in, const double *mean,
                                const double *var, int training)
{
    double factor = fy_attr_float(ctx->node, "exponential_avg_factor", 1.0f);
    int64_t c = l->channels, n = l->outer * l->inner, empty = 0;
    double bessel = n > 1 ? (double)n / (double)(n - 1) : 1;
    for (int k = 1; k < 5; k++) {
        ferry_tensor *t = k < ctx->output_count ? fy_output_new(ctx, k, FERRY_DT_FLOAT, &c, 1) : NULL;
        if (k < ctx->output_count && !t)
            return FERRY_ERR_OUT_OF_MEMORY;
        for (int64_t i = 0; t && i < c; i++) {
            double v = k == 1 || k == 3 ? mean[i] : var[i];
            if (training && k == 2)
                v *= bessel;
            if (training && k < 3 && factor != 1)
                v = (1 - factor) * (k == 1 ? in->mean[i] : in->var[i]) + factor * v;
            ((float *)t->data)[i] = (float)v;
        }
    }
    if (ctx->output_count > 5 && !fy_output_new(ctx, 5, FERRY_DT_FLOAT, &empty, 1))
        return FERRY_ERR_OUT_OF_MEMORY;
    return FERRY_OK;
}

static void normalize(const float *x, float *y, const layout *l, const bn_inputs *in, const double *mean,
                      const double *var, float epsilon)
{
    for (int64_t o = 0, i = 0; o < l->outer; o++)
        for (int64_t c = 0; c < l->channels; c++) {
            float scale = (1.0f / sqrtf((float)var[c] + epsilon)) * in->scale[c], m = (float)mean[c];
            for (int64_t j = 0; j < l->inner; j++, i++)
                y[i] = (x[i] - m) * scale + in->offset[c];
        }
}

static ferry_status check_vectors(fy_kernel_ctx *ctx, const ferry_tensor *const *v, int n, int64_t channels)
{
    for (int i = 0; i < n; i++)
        if (v[i]->dtype != FERRY_DT_FLOAT || v[i]->rank != 1 || v[i]->dims[0] != channels)
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "input %d must be %lld float32 values", i + 1,
                                  (long long)channels);
    return FERRY_OK;
}

static ferry_status batch_norm_run(fy_kernel_ctx *ctx, const ferry_tensor *x, const layout *l, const bn_inputs *in,
                                   int training)
{
    double *mean = fy_nn_alloc(ctx, l->channels, sizeof(double));
    double *var = mean ? fy_nn_alloc(ctx, l->channels, sizeof(double)) : NULL;
    ferry_tensor *out = var ? fy_output_new(ctx, 0, x->dtype, x->dims, x->rank) : NULL;
    const void *xs = NULL;
    void *x_own = NULL, *y = NULL, *y_own = NULL;
    ferry_status st = out ? fy_nn_load(ctx, x, FERRY_DT_FLOAT, &xs, &x_own) : FERRY_ERR_OUT_OF_MEMORY;
    if (!st)
        st = fy_nn_out_buffer(ctx, out, FERRY_DT_FLOAT, &y, &y_own);
    if (!st) {
        if (training)
            moments(xs, l, mean, var);
        for (int64_t c = 0; !training && c < l->channels; c++) {
            mean[c] = in->mean[c];
            var[c] = in->var[c];
        }
        normalize(xs, y, l, in, mean, var, fy_attr_float(ctx->node, "epsilon", 0.0001f));
        fy_nn_commit(out, y_own, FERRY_DT_FLOAT);
        st = write_stats(ctx, l, in, mean, var, training);
    }
    free(x_own);
    free(mean);
    free(var);
    return st;
}

ferry_status fy_nn_fused_batch_norm(fy_kernel_ctx *ctx)
{
    const ferry_tensor *v[5];
    for (int i = 0; i < 5; i++)
        if (!(v[i] = fy_input(ctx, i)))
            return FERRY_ERR_INVALID_ARGUMENT;
    const ferry_tensor *x = v[0];
    if (fy_nn_compute_type(x->dtype) != FERRY_DT_FLOAT)
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "not defined for %s", ferry_dtype_name(x->dtype));
    layout l = { 0, 0, 0 };
    ferry_status st = batch_norm_layout(ctx, x, &l);
    if (st)
        return st;
    int training = fy_attr_bool(ctx->node, "is_training", 1);
    /* Training without a running average may leave mean and variance empty. */
    int running = !training || fy_attr_float(ctx->node, "exponential_avg_factor", 1.0f) != 1;
    st = check_vectors(ctx, v + 1, running ? 4 : 2, l.channels);
    if (st)
        return st;
    bn_inputs in = { v[1]->data, v[2]->data, running ? v[3]->data : NULL, running ? v[4]->data : NULL };
    return batch_norm_run(ctx, x, &l, &in, training);
}

/* LRN: x / (bias + alpha * sum of squares over nearby channels)^beta. */
ferry_status fy_nn_lrn(fy_kernel_ctx *ctx)
{
    const ferry_tensor *x = fy_input(ctx, 0);
    if (!x)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (fy_nn_compute_type(x->dtype) != FERRY_DT_FLOAT)
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "not defined for %s", ferry_dtype_name(x->dtype));
    if (x->rank != 4)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "the input must have rank 4, not %d", x->rank);
    int64_t radius = fy_attr_int(ctx->node, "depth_radius", 5);
    float bias = fy_attr_float(ctx->node, "bias", 1), alpha = fy_attr_float(ctx->node, "alpha", 1);
    float beta = fy_attr_float(ctx->node, "beta", 0.5f);
    if (radius < 0 || radius > INT32_MAX)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "depth_radius %lld is out of range", (long long)radius);
    ferry_tensor *out = fy_output_new(ctx, 0, x->dtype, x->dims, x->rank);
    if (!out)
        return FERRY_ERR_OUT_OF_MEMORY;
    const float *xs;
    void *x_own, *y_own;
    float *y;
    ferry_status st = fy_nn_load(ctx, x, FERRY_DT_FLOAT, (const void **)&xs, &x_own);
    if (!st)
        st = fy_nn_out_buffer(ctx, out, FERRY_DT_FLOAT, (void **)&y, &y_own);
    if (!st) {
        int64_t depth = x->dims[3];
        for (int64_t i = 0; i < x->count; i++) {
            int64_t c = i % depth, lo = c - radius > 0 ? c - radius : 0;
            int64_t hi = c + radius < depth - 1 ? c + radius : depth - 1;
            float sum = 0;
            for (int64_t j = lo; j <= hi; j++)
                sum += xs[i - c + j] * xs[i - c + j];
            y[i] = xs[i] * powf(bias + alpha * sum, -beta);
        }
        fy_nn_commit(out, y_own, FERRY_DT_FLOAT);
    }
    free(x_own);
    return st;
}
