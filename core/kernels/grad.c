/* Gradients of activations and of BiasAdd, for training graphs. Computed
 * in double from same-shaped inputs. */
#include <math.h>
#include <string.h>

#include "kernels/nn_internal.h"

typedef enum gop {
    G_RELU, G_RELU6, G_ELU, G_SELU, G_SOFTPLUS, G_SOFTSIGN, G_LEAKY, /* (gradients, features or outputs) */
    G_SIGMOID, G_TANH, G_RSQRT, G_SQRT, G_RECIPROCAL,             /* (y, dy) */
} gop;

/* SELU's constants (Klambauer et al.), as TF defines them. */
#define SELU_SCALE 1.0507009873554804934193349852946
#define SELU_SCALE_ALPHA 1.7580993408473768599402175208123

/* ReluGrad(gradients, features) and the other activations' gradients take
 * the gradient first (Elu and Selu then the activation's outputs); the
 * (y, dy) ones the function's output first. */
static double grad_of(gop op, double a, double b, double alpha)
{
    switch (op) {
    case G_RELU: return b > 0 ? a : 0;
    case G_RELU6: return b > 0 && b < 6 ? a : 0;
    case G_ELU: return b < 0 ? a * (b + 1) : a;
    case G_SELU: return b < 0 ? a * (b + SELU_SCALE_ALPHA) : a * SELU_SCALE;
    case G_SOFTPLUS: return a / (1 + exp(-b));
    case G_SOFTSIGN: return a / ((1 + fabs(b)) * (1 + fabs(b)));
    case G_LEAKY: return b > 0 ? a : a * alpha;
    case G_RECIPROCAL: return -b * a * a;
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
    double alpha = op == G_LEAKY ? fy_attr_float(ctx->node, "alpha", 0.2f) : 0;
    ferry_tensor *out = fy_output_new(ctx, 0, a->dtype, a->dims, a->rank);
    double *y;
    void *own;
    ferry_status st = out ? fy_nn_out_buffer(ctx, out, FERRY_DT_DOUBLE, (void **)&y, &own) : FERRY_ERR_OUT_OF_MEMORY;
    if (st)
        return st;
    for (int64_t i = 0; i < a->count; i++)
        y[i] = grad_of(op, fy_nn_get_f(a->data, a->dtype, i), fy_nn_get_f(b->data, b->dtype, i), alpha);
    fy_nn_commit(out, own, FERRY_DT_DOUBLE);
    return FERRY_OK;
}

ferry_status fy_nn_relu_grad(fy_kernel_ctx *ctx) { return grad(ctx, G_RELU); }
ferry_status fy_nn_relu6_grad(fy_kernel_ctx *ctx) { return grad(ctx, G_RELU6); }
ferry_status fy_nn_sigmoid_grad(fy_kernel_ctx *ctx) { return grad(ctx, G_SIGMOID); }
ferry_status fy_nn_tanh_grad(fy_kernel_ctx *ctx) { return grad(ctx, G_TANH); }
ferry_status fy_nn_rsqrt_grad(fy_kernel_ctx *ctx) { return grad(ctx, G_RSQRT); }
ferry_status fy_nn_sqrt_grad(fy_kernel_ctx *ctx) { return grad(ctx, G_SQRT); }
ferry_status fy_nn_elu_grad(fy_kernel_ctx *ctx) { return grad(ctx, G_ELU); }
ferry_status fy_nn_selu_grad(fy_kernel_ctx *ctx) { return grad(ctx, G_SELU); }
ferry_status fy_nn_softplus_grad(fy_kernel_ctx *ctx) { return grad(ctx, G_SOFTPLUS); }
ferry_status fy_nn_softsign_grad(fy_kernel_ctx *ctx) { return grad(ctx, G_SOFTSIGN); }
ferry_status fy_nn_leaky_relu_grad(fy_kernel_ctx *ctx) { return grad(ctx, G_LEAKY); }
ferry_status fy_nn_reciprocal_grad(fy_kernel_ctx *ctx) { return grad(ctx, G_RECIPROCAL); }

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
    for (int d = c + 1; g->count > 0 && d < g->rank; d++) /* else the dims beside a 0 may pass int64 */
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
