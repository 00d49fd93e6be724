/* Zero pads folded into convolutions. Keras writes ZeroPadding2D before a
 * strided convolution as a Pad of the whole activation, then a convolution
 * with VALID padding: a pass that copies the tensor into a bigger one
 * (MobileNetV2 at batch 32 spent 5 % of its time there). A float Pad (or
 * PadV2 with a zero constant) whose paddings are constant, pad only the
 * spatial dims of a rank-4 input, and whose result only a convolution that
 * takes pads (NHWC, VALID or EXPLICIT padding) reads as its input becomes
 * part of that convolution: a _Ferry*Conv2D node with the pads as its attr
 * "_ferry_pads" (kernels/fused_internal.c) reads the Pad's input. */
#include <string.h>

#include "runtime/rewrite.h"

#define PAD_VALUES 8 /* before and after, for each of four dims */

static int is_zero_scalar(const ferry_tensor *t)
{
    return t && t->count == 1 && t->dtype == FERRY_DT_FLOAT && *(const float *)t->data == 0.0f;
}

/* Spatial-only, non-negative paddings of a rank-4 tensor into out. */
static int spatial_paddings(const ferry_tensor *t, int64_t *out)
{
    if (!t || t->rank != 2 || t->dims[0] != 4 || t->dims[1] != 2 ||
        (t->dtype != FERRY_DT_INT32 && t->dtype != FERRY_DT_INT64))
        return 0;
    for (int i = 0; i < PAD_VALUES; i++) {
        out[i] = t->dtype == FERRY_DT_INT32 ? ((const int32_t *)t->data)[i] : ((const int64_t *)t->data)[i];
        if (out[i] < 0 || out[i] > (1 << 20))
            return 0;
    }
    return !out[0] && !out[1] && !out[6] && !out[7];
}

/* The internal op that is `op` with pads taken, or NULL. */
static const char *padded_op(const char *op)
{
    static const char *const pairs[][2] = { { "Conv2D", "_FerryConv2D" },
                                            { "DepthwiseConv2dNative", "_FerryDepthwiseConv2D" },
                                            { "_FusedConv2D", "_FerryFusedConv2D" } };
    for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
        if (!strcmp(op, pairs[i][0]))
            return pairs[i][1];
    return NULL;
}

static int takes_padding(const fy_rewrite *r, int node)
{
    const fy_node *n = &r->rt->graph.nodes[node];
    const fy_op_def *d = r->rt->ops[node];
    char format[8], padding[16];
    const char *f = fy_attr_string(n, "data_format", format, sizeof(format), "NHWC");
    const char *pad = fy_attr_string(n, "padding", padding, sizeof(padding), "");
    return d && (d->traits & FY_OP_TAKES_PADS) && padded_op(n->op) && fy_rewrite_takeable(r, node) &&
           !strcmp(f, "NHWC") && (!strcmp(pad, "VALID") || !strcmp(pad, "EXPLICIT"));
}

ferry_status fy_rule_absorb_pad(fy_rewrite *r, int pad)
{
    const fy_graph *g = &r->rt->graph;
    const fy_node *p = &g->nodes[pad];
    int v2 = p->input_count == 3, input = -1;
    int64_t values[PAD_VALUES];
    if ((p->input_count != 2 && !v2) || !fy_rewrite_takeable(r, pad) ||
        fy_attr_type(p, "T", FERRY_DT_INVALID) != FERRY_DT_FLOAT ||
        !spatial_paddings(fy_rewrite_constant(r, p->inputs[1]), values) ||
        (v2 && !is_zero_scalar(fy_rewrite_constant(r, p->inputs[2]))))
        return FERRY_OK;
    int conv = fy_rewrite_sole_reader(r, (fy_edge){ pad, 0 }, &input);
    if (conv < 0 || input != 0 || !takes_padding(r, conv))
        return FERRY_OK;
    const fy_node *c = &g->nodes[conv];
    Tensorflow__NodeDef *def = fy_rewrite_def(r, c->name, padded_op(c->op), c->def);
    fy_edge inputs[FERRY_MAX_RANK];
    if (c->input_count > FERRY_MAX_RANK)
        return FERRY_OK;
    if (!def)
        return fy_fail(r->err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    ferry_status st = fy_graph_def_set_ints(&r->rt->graph, def, "_ferry_pads", values, PAD_VALUES, r->err);
    inputs[0] = p->inputs[0];
    for (int i = 1; i < c->input_count; i++)
        inputs[i] = c->inputs[i];
    int absorbed[2] = { pad, conv };
    return st ? st : fy_rewrite_emit(r, def, inputs, c->input_count, conv, absorbed, 2);
}
