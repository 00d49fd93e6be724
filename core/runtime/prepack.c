/* Weights packed at load. Products by a lasting matrix (a constant or a
 * variable's value) lay it out for the packed kernel on first use
 * (kernels/packed.c); done then, the first call of a big model carries the
 * packing of all its weights (tens of milliseconds for ResNet50). A plan
 * knows at build which products read which weights, so it packs them then,
 * and the first call runs as fast as the rest. What the kernels would ask
 * for is asked here: the same matrix view, so the packed form found later is
 * this one; a product that turns out not to use it (a grouped convolution)
 * leaves it unused. */
#include "runtime/prepack.h"

#include <string.h>

#include "kernels/packed.h"
#include "runtime/fold.h"

/* The lasting value at edge e, through Identity and ReadVariableOp: a
 * constant, a folded value or a variable's value; else NULL. */
static const ferry_tensor *lasting_value(const fy_plan *p, const fy_runtime *rt, fy_edge e)
{
    const fy_graph *g = &rt->graph;
    for (int guard = 0; guard < 16; guard++) {
        e = fy_graph_resolve(g, e);
        if (e.node < 0)
            return NULL;
        const ferry_tensor *folded = fy_plan_folded(p, p->slot_base[e.node] + e.index);
        if (folded)
            return folded;
        const fy_node *n = &g->nodes[e.node];
        if (!strcmp(n->op, "Const"))
            return rt->constants ? rt->constants[e.node] : NULL;
        if (rt->var_of_node && rt->var_of_node[e.node])
            return rt->var_of_node[e.node]->value;
        if ((strcmp(n->op, "Identity") != 0 && strcmp(n->op, "ReadVariableOp") != 0) || n->input_count < 1)
            return NULL;
        e = n->inputs[0];
    }
    return NULL;
}

void fy_plan_prepack(const fy_plan *p, const fy_runtime *rt)
{
    for (int k = 0; k < p->order_count; k++) {
        const fy_node *n = &rt->graph.nodes[p->order[k]];
        int matmul = !strcmp(n->op, "MatMul") || !strcmp(n->op, "_FusedMatMul");
        int batch = !strcmp(n->op, "BatchMatMul") || !strcmp(n->op, "BatchMatMulV2") ||
                    !strcmp(n->op, "BatchMatMulV3");
        int conv = !strcmp(n->op, "Conv2D") || !strcmp(n->op, "_FusedConv2D") || !strcmp(n->op, "Conv3D");
        if ((!matmul && !batch && !conv) || n->input_count < 2)
            continue;
        const ferry_tensor *w = lasting_value(p, rt, n->inputs[1]);
        if (!w || !w->lasting || w->dtype != FERRY_DT_FLOAT || w->rank < 2)
            continue;
        int64_t rows = w->dims[w->rank - 2], cols = w->dims[w->rank - 1];
        if (conv) {
            fy_packed_of(w, w->count / cols, cols, 0);
        } else if (w->rank == 2 && !fy_attr_bool(n, matmul ? "transpose_a" : "adj_x", 0)) {
            int transposed = fy_attr_bool(n, matmul ? "transpose_b" : "adj_y", 0);
            fy_packed_of(w, transposed ? cols : rows, transposed ? rows : cols, transposed);
        }
    }
}
