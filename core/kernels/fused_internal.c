/* The ops Ferry's rewrites make (runtime/passes.c), each a real node whose
 * attributes say what it absorbed:
 *   _FerryConv2D, _FerryDepthwiseConv2D, _FerryFusedConv2D: the convolution
 *     with its own attrs, plus "_ferry_pads" (8 ints: zeros before and after
 *     each input dim, from a Pad it absorbed) and "_ferry_chain" (the
 *     fy_chain_op of each per-channel step to apply to its output);
 *     inputs: x, filter, the _FusedConv2D args, then one vector per chain
 *     step that takes one.
 *   _FerryChain: "_ferry_chain" applied to input 0; inputs: x, then vectors.
 * A chain whose operands do not fit one pass at run time (vectors that are
 * not per channel) is applied step by step with broadcasting, with the same
 * float operations as the ops it replaced. */
#include <string.h>

#include "kernels/elementwise.h"
#include "kernels/nn_internal.h"
#include "kernels/packed.h"

/* A chain read from the node: steps and their vectors. */
typedef struct chain {
    fy_chain_step steps[FY_CHAIN_MAX];
    int n;
} chain;

static ferry_status read_chain(fy_kernel_ctx *ctx, int first_vector, chain *c)
{
    size_t n = 0;
    const int64_t *ops = fy_attr_ints(ctx->node, "_ferry_chain", &n);
    c->n = 0;
    if (!ops)
        return FERRY_OK;
    if (n > FY_CHAIN_MAX)
        return fy_kernel_fail(ctx, FERRY_ERR_INTERNAL, "a chain of %zu steps", n);
    int next = first_vector;
    for (size_t i = 0; i < n; i++) {
        fy_chain_op op = (fy_chain_op)ops[i];
        c->steps[i] = (fy_chain_step){ op, NULL };
        if (op == FY_CHAIN_RELU || op == FY_CHAIN_RELU6)
            continue;
        const ferry_tensor *v = fy_input(ctx, next++);
        if (!v)
            return FERRY_ERR_INVALID_ARGUMENT;
        if (v->dtype != FERRY_DT_FLOAT)
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "a chain operand is %s, not float32",
                                  ferry_dtype_name(v->dtype));
        c->steps[i].v = v;
    }
    c->n = (int)n;
    return FERRY_OK;
}

static float step_value(fy_chain_op op, float y, float v)
{
    switch (op) {
    case FY_CHAIN_MUL:
        return y * v;
    case FY_CHAIN_ADD:
        return y + v;
    case FY_CHAIN_SUB:
        return y - v;
    case FY_CHAIN_SUB_FROM:
        return v - y;
    case FY_CHAIN_RELU:
        return y > 0 || y != y ? y : 0.0f;
    case FY_CHAIN_RELU6:
        return y != y ? y : y < 0 ? 0.0f : y > 6 ? 6.0f : y;
    }
    return y;
}

/* One step with broadcasting, into a new tensor at *y (the old one freed
 * when the step owns it). */
static ferry_status general_step(fy_kernel_ctx *ctx, ferry_tensor **y, int owned, const fy_chain_step *s)
{
    const ferry_tensor *x = *y, *v = s->v ? s->v : *y;
    int64_t dims[FERRY_MAX_RANK];
    int rank;
    if (!fy_broadcast_shape(dims, &rank, x, v))
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "chain operands cannot broadcast");
    ferry_tensor *out = NULL;
    ferry_status st = fy_tensor_new_planned(&out, ctx->arena, FERRY_DT_FLOAT, dims, rank, 0, ctx->err);
    if (st)
        return st;
    fy_broadcast bc;
    fy_broadcast_init(&bc, x, v, dims, rank);
    const float *a = x->data, *b = v->data;
    float *o = out->data;
    FY_BROADCAST_LOOP(bc, i, ai, bi) o[i] = step_value(s->op, a[ai], b[bi]);
    if (owned)
        ferry_tensor_free(*y);
    *y = out;
    return FERRY_OK;
}

/* Output 0 (already made) takes the chain: in place in one pass when it
 * fits, else step by step. */
static ferry_status finish_chain(fy_kernel_ctx *ctx, const chain *c)
{
    ferry_tensor *y = ctx->outputs[0].t;
    if (y->dtype != FERRY_DT_FLOAT)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "a chain on %s", ferry_dtype_name(y->dtype));
    if (fy_channel_chain_fits(y, c->steps, c->n)) {
        int64_t channels = y->dims[y->rank - 1];
        if (channels > 0 && y->count > 0)
            fy_channel_chain_apply(y->data, y->count / channels, channels, c->steps, c->n);
        return FERRY_OK;
    }
    ferry_status st = FERRY_OK;
    for (int i = 0; !st && i < c->n; i++)
        st = general_step(ctx, &ctx->outputs[0].t, 1, &c->steps[i]);
    return st;
}

static ferry_status read_pads(fy_kernel_ctx *ctx, const int64_t **pads)
{
    size_t n = 0;
    *pads = fy_attr_ints(ctx->node, "_ferry_pads", &n);
    if (*pads && n != 8)
        return fy_kernel_fail(ctx, FERRY_ERR_INTERNAL, "_ferry_pads has %zu values", n);
    return FERRY_OK;
}

typedef ferry_status (*conv_fn)(fy_kernel_ctx *ctx, fy_conv_extras *extras);

static ferry_status fused_conv(fy_kernel_ctx *ctx, conv_fn conv, int first_vector)
{
    const int64_t *pads;
    chain c;
    ferry_status st = read_pads(ctx, &pads);
    if (!st)
        st = read_chain(ctx, first_vector, &c);
    if (st)
        return st;
    fy_conv_extras extras = { pads, c.n ? c.steps : NULL, c.n, 0 };
    fy_kernel_ctx base = *ctx;
    base.input_count = first_vector;
    st = conv(&base, &extras);
    return st || !c.n || extras.chain_done ? st : finish_chain(ctx, &c);
}

static ferry_status k_conv2d(fy_kernel_ctx *ctx)
{
    return fused_conv(ctx, fy_nn_conv2d_with, 2);
}

static ferry_status k_depthwise(fy_kernel_ctx *ctx)
{
    return fused_conv(ctx, fy_nn_depthwise_conv2d_with, 2);
}

static ferry_status k_fused_conv2d(fy_kernel_ctx *ctx)
{
    const int64_t *pads;
    ferry_status st = read_pads(ctx, &pads);
    return st ? st : fy_nn_fused_conv2d_with(ctx, pads);
}

static ferry_status k_chain(fy_kernel_ctx *ctx)
{
    chain c;
    ferry_status st = read_chain(ctx, 1, &c);
    if (st)
        return st;
    const ferry_tensor *x = fy_input(ctx, 0);
    if (!x)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (fy_channel_chain_fits(x, c.steps, c.n))
        return fy_channel_chain(ctx, 0, c.steps, c.n);
    if (x->dtype != FERRY_DT_FLOAT)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "a chain on %s", ferry_dtype_name(x->dtype));
    ferry_tensor *y = (ferry_tensor *)x;
    for (int i = 0; !st && i < c.n; i++)
        st = general_step(ctx, &y, y != x, &c.steps[i]);
    if (st) {
        if (y != x)
            ferry_tensor_free(y);
        return st;
    }
    if (y == x) { /* no steps: the input passes on */
        fy_output_forward(ctx, 0, 0);
        return FERRY_OK;
    }
    ctx->outputs[0] = (fy_value){ .t = y, .owned = 1 };
    return FERRY_OK;
}

/* The convolution's rule on its input as the absorbed Pad made it. */
static ferry_status padded_shape(fy_shape_ctx *c, fy_shape_fn rule)
{
    size_t n = 0;
    const int64_t *pads = fy_attr_ints(c->n, "_ferry_pads", &n);
    if (!pads || n != 8 || c->input_count < 1 || c->in[0].rank != 4)
        return rule(c);
    fy_shape in[2] = { c->in[0], c->input_count > 1 ? c->in[1] : FY_UNKNOWN_SHAPE };
    for (int d = 0; d < 4; d++)
        if (in[0].dims[d] >= 0)
            in[0].dims[d] += pads[2 * d] + pads[2 * d + 1];
    fy_shape_ctx padded = *c;
    padded.in = in;
    padded.input_count = c->input_count < 2 ? c->input_count : 2;
    return rule(&padded);
}

static ferry_status shape_conv2d(fy_shape_ctx *c)
{
    return padded_shape(c, fy_shape_conv2d);
}

static ferry_status shape_depthwise(fy_shape_ctx *c)
{
    return padded_shape(c, fy_shape_depthwise);
}

#define FUSED (FY_OP_INTERNAL | FY_OP_TAKES_CHAIN)

const fy_op_def fy_kernels_fused_internal[] = {
    { .name = "_FerryConv2D", .run = k_conv2d, .traits = FUSED, .shape = shape_conv2d, .prepack = fy_prepack_filter },
    { .name = "_FerryDepthwiseConv2D", .run = k_depthwise, .traits = FUSED, .shape = shape_depthwise },
    { .name = "_FerryFusedConv2D", .run = k_fused_conv2d, .traits = FY_OP_INTERNAL, .shape = shape_conv2d,
      .prepack = fy_prepack_filter },
    { .name = "_FerryChain", .run = k_chain, .traits = FY_OP_INTERNAL, .shape = fy_shape_same },
    { .name = NULL },
};
