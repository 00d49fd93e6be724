/* Gradients of activations and of BiasAdd, for training graphs. Computed
 * in double from same-shaped inputs. */
#include <string.h>

#include "kernels/nn_internal.h"

typedef enum gop { G_RELU, G_RELU6, G_SIGMOID, G_TANH, G_RSQRT, G_SQRT } gop;

/* ReluGrad(gradients, features) and Relu6Grad take the gradient first;
 * the others (y, dy) the activation's output first. */
static double grad_of(gop op, double a, double b)
{
    switch (op) {
    case G_RELU: return b > 0 ? a : 0;
    case G_RELU6: return b > 0 && b < 6 ? a : 0;
    case G_SIGMOID: return b * a * (1 - a);
    case G_TANH: return b * (1 - a * a);
    case G_RSQRT: return b * -0.5 * a * a * a;
    case G_SQRT: return b * 0.5 / a;
    }
    return 0;
}

static ferry_status grad(fy_kernel_ctx *ctx, gop op)
{
    const ferry_tensor *a = fy_input(ctx, 0), *b = a ? fy_input(ctx, 1) : NULL;
    if (!b)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (!fy_nn_is_real(a->dtype) || b->dtype != a->dtype)
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "not defined for %s and %s", ferry_dtype_name(a->dtype),
                              ferry_dtype_name(b->dtype));
    if (a->rank != b->rank || memcmp(a->dims, b->dims, (size_t)a->rank * sizeof(int64_t)))
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "the inputs differ in shape");
    ferry_tensor *out = fy_output_new(ctx, 0, a->dtype, a->dims, a->rank);
    double *y;
    void *own;
    ferry_status st = out ? fy_nn_out_buffer(ctx, out, FERRY_DT_DOUBLE, (void **)&y, &own) : FERRY_ERR_OUT_OF_MEMORY;
    if (st)
        return st;
    for (int64_t i = 0; i < a->count; i++)
        y[i] = grad_of(op, fy_nn_get_f(a->data, a->dtype, i), fy_nn_get_f(b->data, b->dtype, i));
    fy_nn_commit(out, own, FERRY_DT_DOUBLE);
    return FERRY_OK;
}

ferry_status fy_nn_relu_grad(fy_kernel_ctx *ctx) { return grad(ctx, G_RELU); }
ferry_status fy_nn_relu6_grad(fy_kernel_ctx *ctx) { return grad(ctx, G_RELU6); }
ferry_status fy_nn_sigmoid_grad(fy_kernel_ctx *ctx) { return grad(ctx, G_SIGMOID); }
ferry_status fy_nn_tanh_grad(fy_kernel_ctx *ctx) { return grad(ctx, G_TANH); }
ferry_status fy_nn_rsqrt_grad(fy_kernel_ctx *ctx) { return grad(ctx, G_RSQRT); }
ferry_status fy_nn_sqrt_grad(fy_kernel_ctx *ctx) { return grad(ctx, G_SQRT); }

/* BiasAddGrad: out_backprop summed over everything but the channel dim. */
ferry_status fy_nn_bias_add_grad(fy_kernel_ctx *ctx)
{
    const ferry_tensor *g = fy_input(ctx, 0);
    if (!g)
        return FERRY_ERR_INVALID_ARGUMENT;
    char buf[16];
    const char *f = fy_attr_enum(ctx, "data_format", buf, sizeof(buf), "NHWC");
    if (!f)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (strcmp(f, "NHWC") && strcmp(f, "NCHW"))
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "data_format %s", f);
    if (!fy_nn_is_real(g->dtype))
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "not defined for %s", ferry_dtype_name(g->dtype));
    if (g->rank < 2)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "out_backprop must have rank 2 or more");
    int c = strcmp(f, "NCHW") ? g->rank - 1 : 1;
    int64_t channels = g->dims[c], inner = 1;
    for (int d = c + 1; d < g->rank; d++)
        inner *= g->dims[d];
    ferry_tensor *out = fy_output_new(ctx, 0, g->dtype, &channels, 1);
    double *y;
    void *own;
    ferry_status st = out ? fy_nn_out_buffer(ctx, out, FERRY_DT_DOUBLE, (void **)&y, &own) : FERRY_ERR_OUT_OF_MEMORY;
    if (st)
        return st;
    memset(y, 0, (size_t)channels * sizeof(double));
    for (int64_t i = 0; i < g->count; i++)
        y[i / inner % channels] += fy_nn_get_f(g->data, g->dtype, i);
    fy_nn_commit(out, own, FERRY_DT_DOUBLE);
    return FERRY_OK;
}
