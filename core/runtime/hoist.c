/* Loop-invariant products hoisted out of While loops.
 *
 * A Keras RNN's loop body reads step t's input from a TensorList the loop
 * passes through unchanged and multiplies it by a kernel matrix: one small
 * product per step. The products of all steps are one large product, made
 * several times faster than the small ones (and on every thread). For such
 * a body a second version is prepared in which each product node passes
 * its list item on; before the loop runs that version, the list is
 * replaced by a list of the products. The body as written still runs loops
 * whose values do not fit (unset items, other dtypes or shapes), and loops
 * whose body or condition writes state are left alone: the matrix, read
 * once before the loop, must be the one every step would have read. */
#include "runtime/hoist.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "runtime/functions.h"

static ferry_status k_hoisted_product(fy_kernel_ctx *ctx)
{
    if (ctx->input_count != 1) /* only hoisting makes these; a file may hold anything */
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "takes 1 input, given %d", ctx->input_count);
    fy_output_forward(ctx, 0, 0);
    return FERRY_OK;
}

const fy_op_def fy_hoist_ops[] = {
    { .name = "_FerryHoistedProduct", .run = k_hoisted_product, .traits = FY_OP_INTERNAL | FY_OP_DYNAMIC_SHAPE },
    { .name = NULL },
};

/* How many node inputs read e; *reader and *input name the first. */
static int readers(const fy_graph *g, fy_edge e, int *reader, int *input)
{
    return fy_graph_readers(g, e, reader, input, 1);
}

static int controls_wait_for(const fy_graph *g, int node)
{
    for (int i = 0; i < g->node_count; i++)
        for (int k = 0; k < g->nodes[i].control_count; k++)
            if (g->nodes[i].controls[k] == node)
                return 1;
    return 0;
}

/* Whether one of the function's results is e. */
static int is_result(const fy_graph *g, int results, fy_edge e)
{
    for (int i = 0; i < results; i++)
        if (fy_edge_same(fy_function_result(g, i), e))
            return 1;
    return 0;
}

static int is_pass_through(const fy_graph *g, int arg)
{
    fy_edge a = fy_function_arg(g, arg);
    return a.node >= 0 && fy_edge_same(fy_function_result(g, arg), a);
}

int fy_hoist_arg_is_read(const fy_graph *g, int arg)
{
    int reader = -1, input = -1;
    fy_edge a = fy_function_arg(g, arg);
    return a.node < 0 || readers(g, a, &reader, &input) > 0 || controls_wait_for(g, a.node);
}

/* The pass-through argument that holds a matrix at `node`: the argument
 * itself, or the variable a ReadVariableOp there reads; else -1. */
static int invariant_arg(const fy_graph *g, int node, int arg_count)
{
    const fy_node *n = &g->nodes[node];
    fy_edge e = { node, 0 };
    if (!strcmp(n->op, "ReadVariableOp") && n->input_count == 1)
        e = n->inputs[0];
    for (int i = 0; i < arg_count; i++)
        if (fy_edge_same(e, fy_function_arg(g, i)))
            return is_pass_through(g, i) ? i : -1;
    return -1;
}

/* Fills h when the list at argument `arg` feeds one product as described
 * above; returns the product's node, or -1. */
static int find_product(const fy_runtime *rt, int arg, int arg_count, fy_hoist *h)
{
    const fy_graph *g = &rt->graph;
    fy_edge list = fy_function_arg(g, arg);
    int get = -1, product = -1, input = -1;
    if (!is_pass_through(g, arg) || readers(g, list, &get, &input) != 1 || input != 0 ||
        strcmp(g->nodes[get].op, "TensorListGetItem") != 0 ||
        fy_attr_type(&g->nodes[get], "element_dtype", FERRY_DT_INVALID) != FERRY_DT_FLOAT)
        return -1;
    fy_edge got = { get, 0 };
    if (readers(g, got, &product, &input) != 1 || input != 0 || is_result(g, arg_count, got))
        return -1;
    const fy_node *m = &g->nodes[product];
    if (strcmp(m->op, "MatMul") != 0 || m->input_count != 2 || fy_attr_bool(m, "transpose_a", 0) ||
        fy_attr_type(m, "T", FERRY_DT_INVALID) != FERRY_DT_FLOAT || controls_wait_for(g, product) ||
        controls_wait_for(g, get))
        return -1;
    fy_edge w = m->inputs[1];
    if (w.node < 0)
        return -1;
    *h = (fy_hoist){ arg, invariant_arg(g, w.node, arg_count), NULL, fy_attr_bool(m, "transpose_b", 0) };
    if (h->weight_arg < 0) {
        if (strcmp(g->nodes[w.node].op, "Const") != 0 || !rt->constants || !rt->constants[w.node])
            return -1;
        h->weight = rt->constants[w.node];
    }
    return product;
}

/* The product node now passes the item, a product made before the loop,
 * on; the shape TensorFlow recorded for it still holds. */
static void pass_item_on(fy_runtime *rt, int product)
{
    fy_node *m = &rt->graph.nodes[product];
    m->op = "_FerryHoistedProduct";
    m->input_count = 1;
    rt->ops[product] = fy_internal_op(m->op);
}

/* A While body has as many results as arguments, so arg_count counts both. */
ferry_status fy_hoist_find(fy_runtime *rt, int arg_count, fy_hoist **hoists, int *count, ferry_error **err)
{
    *hoists = NULL;
    *count = 0;
    for (int arg = 0; arg < arg_count; arg++) {
        fy_hoist h;
        int product = find_product(rt, arg, arg_count, &h);
        if (product < 0)
            continue;
        fy_hoist *grown = realloc(*hoists, (size_t)(*count + 1) * sizeof(fy_hoist));
        if (!grown) {
            free(*hoists);
            *hoists = NULL;
            *count = 0;
            return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
        }
        *hoists = grown;
        (*hoists)[(*count)++] = h;
        pass_item_on(rt, product);
    }
    return *count ? fy_graph_index(&rt->graph, err) : FERRY_OK;
}

ferry_status fy_hoist_begin(const fy_hoist *hoists, int count, fy_value *cur, struct fy_pool *pool, int *made,
                            ferry_error **err)
{
    ferry_tensor **lists = calloc((size_t)count + 1, sizeof(ferry_tensor *));
    if (!lists)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    ferry_status st = FERRY_OK;
    int fit = 1;
    for (int i = 0; !st && fit && i < count; i++) {
        const fy_hoist *h = &hoists[i];
        const ferry_tensor *list = cur[h->list_arg].t;
        const ferry_tensor *w = h->weight_arg < 0 ? h->weight
                              : cur[h->weight_arg].var ? cur[h->weight_arg].var->value
                                                       : cur[h->weight_arg].t;
        if (list && w)
            st = fy_list_matmul(&lists[i], list, w, h->transpose, pool, err);
        fit = lists[i] != NULL;
    }
    *made = !st && fit;
    for (int i = 0; i < count; i++) {
        if (*made)
            cur[hoists[i].list_arg] = (fy_value){ .t = lists[i], .owned = 1 };
        else
            ferry_tensor_free(lists[i]);
    }
    free(lists);
    return st;
}
