/* Chains of per-channel elementwise ops. Keras exports batch norm as a
 * multiply and an add by per-channel vectors, followed by the activation;
 * run one by one, each reads and writes the whole activation tensor. A
 * chain of such ops (each op's definition names its role: kernel.h,
 * fy_step_kind) by a vector of the activation's last dim or a scalar, where
 * each result has no reader but the next op, becomes one node:
 *  - after a float convolution (NHWC) read by nothing else, a
 *    _FerryConv2D / _FerryDepthwiseConv2D that applies the chain to each
 *    block of its output while the block is in the cache;
 *  - otherwise, for two steps or more, a _FerryChain running them as one
 *    pass over the tensor.
 * Which ops qualify is decided from static shapes; the kernels still check
 * the actual operands each run (kernels/fused_internal.c). */
#include <string.h>

#include "runtime/rewrite.h"

typedef struct chain {
    int nodes[FY_CHAIN_MAX];      /* the steps, in order */
    int64_t ops[FY_CHAIN_MAX];    /* fy_chain_op of each */
    fy_edge vectors[FY_CHAIN_MAX];
    int length, vector_count;
    fy_edge x;                    /* the activation the chain starts from */
} chain;

/* A static shape that broadcasts along the last dim of an activation with
 * `channels` channels and rank `rank` only. */
static int is_vector(const fy_shape *s, int64_t channels, int rank)
{
    if (s->rank < 0 || s->rank > rank)
        return 0;
    int64_t count = 1;
    for (int d = 0; d < s->rank; d++) {
        if (s->dims[d] < 0)
            return 0;
        count *= s->dims[d];
    }
    return count == 1 || (count == channels && s->dims[s->rank - 1] == channels);
}

static int is_nhwc(const fy_node *n)
{
    char fmt[8];
    const char *f = fy_attr_string(n, "data_format", fmt, sizeof(fmt), "NHWC");
    return !strcmp(f, "NHWC");
}

/* Adds node n as the chain's next step, its input `through` (-1 for a head:
 * found here) carrying the activation of shape act. 0 when n does not fit. */
static int add_step(const fy_rewrite *r, int node, int through, const fy_shape *act, chain *c)
{
    const fy_node *n = &r->rt->graph.nodes[node];
    const fy_op_def *d = r->rt->ops[node];
    if (!d || !d->step || !fy_rewrite_takeable(r, node) || fy_attr_type(n, "T", FERRY_DT_INVALID) != FERRY_DT_FLOAT)
        return 0;
    int i = c->length;
    if (d->step == FY_STEP_RELU || d->step == FY_STEP_RELU6) {
        if (n->input_count != 1 || through > 0)
            return 0;
        if (through < 0)
            c->x = n->inputs[0];
        c->ops[i] = d->step == FY_STEP_RELU ? FY_CHAIN_RELU : FY_CHAIN_RELU6;
        c->nodes[c->length++] = node;
        return 1;
    }
    int bias = d->step == FY_STEP_BIAS;
    if (n->input_count != 2 || (bias && (!is_nhwc(n) || through > 0)))
        return 0;
    for (int k = 0; k < 2; k++) {
        if (through >= 0 ? k != through : (bias && k != 0))
            continue;
        const fy_shape *x = through >= 0 ? act : fy_rewrite_shape(r, n->inputs[k]);
        if (x->rank < 1 || x->dims[x->rank - 1] < 1 ||
            !is_vector(fy_rewrite_shape(r, n->inputs[1 - k]), x->dims[x->rank - 1], x->rank))
            continue;
        c->ops[i] = d->step == FY_STEP_MUL                    ? FY_CHAIN_MUL
                    : d->step == FY_STEP_ADD || bias           ? FY_CHAIN_ADD
                    : k == 0                                   ? FY_CHAIN_SUB
                                                               : FY_CHAIN_SUB_FROM;
        if (through < 0)
            c->x = n->inputs[k];
        c->vectors[c->vector_count++] = n->inputs[1 - k];
        c->nodes[c->length++] = node;
        return 1;
    }
    return 0;
}

/* The convolution whose output only the chain reads, or -1. */
static int producing_conv(const fy_rewrite *r, const chain *c)
{
    int input = -1, conv = c->x.node;
    const fy_node *n = conv >= 0 ? &r->rt->graph.nodes[conv] : NULL;
    const fy_op_def *d = conv >= 0 ? r->rt->ops[conv] : NULL;
    if (!n || c->x.index != 0 || !d || !(d->traits & FY_OP_TAKES_CHAIN) || !fy_rewrite_takeable(r, conv) ||
        fy_rewrite_sole_reader(r, c->x, &input) != c->nodes[0] || fy_node_attr(n, "_ferry_chain") ||
        fy_attr_type(n, "T", FERRY_DT_INVALID) != FERRY_DT_FLOAT || !is_nhwc(n) || n->input_count != 2)
        return -1;
    return conv;
}

static const char *chained_op(const char *op)
{
    if (!strcmp(op, "Conv2D") || !strcmp(op, "_FerryConv2D"))
        return "_FerryConv2D";
    if (!strcmp(op, "DepthwiseConv2dNative") || !strcmp(op, "_FerryDepthwiseConv2D"))
        return "_FerryDepthwiseConv2D";
    return NULL;
}

static ferry_status emit(fy_rewrite *r, const chain *c, int conv)
{
    fy_graph *g = &r->rt->graph;
    int end = c->nodes[c->length - 1];
    const fy_node *like = conv >= 0 ? &g->nodes[conv] : &g->nodes[c->nodes[0]];
    const char *op = conv >= 0 ? chained_op(like->op) : "_FerryChain";
    if (!op)
        return FERRY_OK;
    Tensorflow__NodeDef *def = fy_rewrite_def(r, g->nodes[end].name, op, like->def);
    if (!def)
        return fy_fail(r->err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    ferry_status st = fy_graph_def_set_ints(g, def, "_ferry_chain", c->ops, (size_t)c->length, r->err);
    fy_edge inputs[2 + FY_CHAIN_MAX];
    int n = 0, absorbed[1 + FY_CHAIN_MAX], na = 0;
    if (conv >= 0) {
        inputs[n++] = g->nodes[conv].inputs[0];
        inputs[n++] = g->nodes[conv].inputs[1];
        absorbed[na++] = conv;
    } else {
        inputs[n++] = c->x;
    }
    for (int i = 0; i < c->vector_count; i++)
        inputs[n++] = c->vectors[i];
    for (int i = 0; i < c->length; i++)
        absorbed[na++] = c->nodes[i];
    return st ? st : fy_rewrite_emit(r, def, inputs, n, end, absorbed, na);
}

ferry_status fy_rule_fuse_chain(fy_rewrite *r, int head)
{
    chain c = { .length = 0 };
    if (!add_step(r, head, -1, NULL, &c))
        return FERRY_OK;
    fy_shape act = *fy_rewrite_shape(r, c.x);
    if (act.rank < 1 || act.dims[act.rank - 1] < 1)
        return FERRY_OK; /* a Relu head: the activation's channels must be known too */
    while (c.length < FY_CHAIN_MAX) {
        int input = -1, last = c.nodes[c.length - 1];
        int next = fy_rewrite_sole_reader(r, (fy_edge){ last, 0 }, &input);
        if (next < 0 || !add_step(r, next, input, &act, &c))
            break;
    }
    int conv = producing_conv(r, &c);
    return conv >= 0 || c.length >= 2 ? emit(r, &c, conv) : FERRY_OK;
}
