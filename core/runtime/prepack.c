/* Weights packed at load. Products by a lasting matrix (a constant or a
 * variable's value) lay it out for the packed kernel on first use
 * (kernels/packed.c); done then, the first call of a big model carries the
 * packing of all its weights (tens of milliseconds for ResNet50). A plan
 * knows at build which products read which weights, so it packs them then
 * through each op's prepack hook, and the first call runs as fast as the
 * rest. A product that turns out not to use the packed form (a grouped
 * convolution) leaves it unused. */
#include "runtime/prepack.h"

#include "runtime/fold.h"

/* The lasting value at edge e, through ops that pass their input on
 * (Identity, ReadVariableOp): a constant, a folded value or a variable's
 * value; else NULL. */
static const ferry_tensor *lasting_value(const fy_plan *p, const fy_runtime *rt, fy_edge e)
{
    const fy_graph *g = &rt->graph;
    for (int guard = 0; guard < 16; guard++) {
        e = e;
        if (e.node < 0)
            return NULL;
        const ferry_tensor *folded = fy_plan_folded(p, p->slot_base[e.node] + e.index);
        if (folded)
            return folded;
        if (rt->constants && rt->constants[e.node])
            return rt->constants[e.node];
        if (rt->var_of_node && rt->var_of_node[e.node])
            return rt->var_of_node[e.node]->value;
        const fy_op_def *d = rt->ops[e.node];
        if (!d || !(d->traits & FY_OP_FORWARDS) || g->nodes[e.node].input_count < 1)
            return NULL;
        e = g->nodes[e.node].inputs[0];
    }
    return NULL;
}

void fy_plan_prepack(const fy_plan *p, const fy_runtime *rt)
{
    for (int k = 0; k < p->order_count; k++) {
        const fy_node *n = &rt->graph.nodes[p->order[k]];
        const fy_op_def *d = rt->ops[p->order[k]];
        if (d && d->prepack && n->input_count >= 2)
            d->prepack(n, lasting_value(p, rt, n->inputs[1]));
    }
}
