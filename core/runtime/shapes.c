/* Static shape inference. Each value of a plan gets the shape known before
 * any run: fed placeholders start from their declared shapes (an unknown
 * batch dim stays -1), constants and folded values from their tensors, and
 * every op's shape rule (its definition names it: kernels/shape.h) derives
 * its outputs' shapes from its inputs' (and from inputs known before any
 * run, such as a Reshape's target shape). Ops whose rule leaves an output
 * unknown take the shape TensorFlow recorded on the node, if any
 * (_output_shapes, or the output_shapes of control flow).
 *
 * A rule that finds shapes contradicting each other fails the plan with the
 * node named, before any run. */
#include "runtime/shapes.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"

/* Shapes TensorFlow recorded on the node, for outputs the rule left unknown. */
static void recorded_shapes(const fy_node *n, const fy_op_def *d, fy_shape *out, int outs)
{
    const char *attr = d && (d->traits & FY_OP_CALLS_FUNCTIONS) ? "output_shapes" : "_output_shapes";
    const Tensorflow__AttrValue *v = fy_node_attr(n, attr);
    if (!v || v->value_case != TENSORFLOW__ATTR_VALUE__VALUE_LIST || (int)v->list->n_shape != outs)
        return;
    for (int o = 0; o < outs; o++)
        if (out[o].rank < 0)
            out[o] = fy_static_shape_of(v->list->shape[o]);
}

static fy_shape shape_of_tensor(const ferry_tensor *t)
{
    fy_shape s = { .rank = t->rank };
    for (int i = 0; i < t->rank; i++)
        s.dims[i] = t->dims[i];
    return s;
}

static int is_fed(const fy_plan *p, int node)
{
    for (int i = 0; i < p->feed_count; i++)
        if (p->feeds[i].node == node)
            return 1;
    return 0;
}

ferry_status fy_plan_infer_shapes(const fy_plan *p, const fy_runtime *rt, fy_shape *shapes, ferry_error **err)
{
    const fy_graph *g = &rt->graph;
    int max_inputs = 1;
    for (int k = 0; k < p->order_count; k++)
        if (g->nodes[p->order[k]].input_count > max_inputs)
            max_inputs = g->nodes[p->order[k]].input_count;
    const ferry_tensor **values = calloc((size_t)p->slot_count + 1, sizeof(*values));
    fy_shape *in = malloc((size_t)max_inputs * sizeof(fy_shape));
    const ferry_tensor **in_values = calloc((size_t)max_inputs, sizeof(*in_values));
    ferry_status st = values && in && in_values ? FERRY_OK : fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    for (int s = 0; !st && s < p->slot_count; s++)
        shapes[s] = FY_UNKNOWN_SHAPE;
    for (int i = 0; !st && i < p->folded_count; i++) {
        const ferry_tensor *t = p->folded[i].t;
        values[p->folded_slots[i]] = t;
        if (t)
            shapes[p->folded_slots[i]] = shape_of_tensor(t);
    }
    /* Fed placeholders keep their declared shapes; other fed values are whatever the caller gives. */
    for (int i = 0; !st && i < p->feed_count; i++) {
        int id = p->feeds[i].node;
        const fy_op_def *d = rt->ops[id];
        if (!d || !(d->traits & FY_OP_PLACEHOLDER) || !d->shape)
            continue;
        in[0] = FY_UNKNOWN_SHAPE;
        fy_shape_ctx c = { rt->what, &g->nodes[id], 0, in, in_values, &shapes[p->slot_base[id]], 1, err };
        st = d->shape(&c);
    }
    for (int k = 0; !st && k < p->order_count; k++) {
        int id = p->order[k];
        const fy_node *n = &g->nodes[id];
        const fy_op_def *d = rt->ops[id];
        if (n->inlined_call || is_fed(p, id))
            continue;
        int base = p->slot_base[id], outs = n->output_count > 0 ? n->output_count : 1;
        if (rt->constants && rt->constants[id]) {
            shapes[base] = shape_of_tensor(rt->constants[id]);
            values[base] = rt->constants[id];
            continue;
        }
        for (int i = 0; i < n->input_count; i++) {
            fy_edge e = n->inputs[i];
            int s = p->slot_base[e.node] + e.index;
            in[i] = shapes[s];
            in_values[i] = values[s];
        }
        if (d && d->shape) {
            fy_shape_ctx c = { rt->what, n, n->input_count, in, in_values, &shapes[base], outs, err };
            st = d->shape(&c);
        }
        if (!st)
            recorded_shapes(n, d, &shapes[base], outs);
    }
    free(values);
    free(in);
    free(in_values);
    return st;
}

/* Nodes in an order where each comes after what it reads (data and control
 * edges); nodes on a cycle (TF1 loops) are left out. */
static int *graph_order(const fy_graph *g, int *count)
{
    int n = g->node_count, edges = 0;
    for (int i = 0; i < n; i++)
        edges += g->nodes[i].control_count;
    int *pending = calloc((size_t)n + 1, sizeof(int)), *order = malloc(((size_t)n + 1) * sizeof(int));
    int *wait_start = calloc((size_t)n + 2, sizeof(int)), *waiting = malloc(((size_t)edges + 1) * sizeof(int));
    if (!pending || !order || !wait_start || !waiting) {
        free(pending);
        free(order);
        free(wait_start);
        free(waiting);
        return NULL;
    }
    /* Who waits for each node, laid out by node. */
    for (int i = 0; i < n; i++)
        for (int k = 0; k < g->nodes[i].control_count; k++)
            wait_start[g->nodes[i].controls[k] + 1]++;
    for (int i = 0; i < n; i++)
        wait_start[i + 1] += wait_start[i];
    int *fill = pending; /* borrowed as a cursor, then set below */
    for (int i = 0; i < n; i++)
        fill[i] = wait_start[i];
    for (int i = 0; i < n; i++)
        for (int k = 0; k < g->nodes[i].control_count; k++)
            waiting[fill[g->nodes[i].controls[k]]++] = i;
    for (int i = 0; i < n; i++)
        pending[i] = g->nodes[i].input_count + g->nodes[i].control_count;
    int tail = 0;
    for (int i = 0; i < n; i++) {
        for (int k = 0; k < g->nodes[i].input_count; k++)
            pending[i] -= g->nodes[i].inputs[k].node < 0; /* a broken edge waits for nothing */
        if (!pending[i])
            order[tail++] = i;
    }
    for (int head = 0; head < tail; head++) {
        int src = order[head];
        for (int r = 0; r < g->reader_count[src]; r++)
            if (--pending[g->readers[src][r].node] == 0)
                order[tail++] = g->readers[src][r].node;
        for (int w = wait_start[src]; w < wait_start[src + 1]; w++)
            if (--pending[waiting[w]] == 0)
                order[tail++] = waiting[w];
    }
    free(pending);
    free(wait_start);
    free(waiting);
    *count = tail;
    return order;
}

ferry_status fy_graph_infer_shapes(fy_graph_shapes *out, const fy_runtime *rt, ferry_error **err)
{
    const fy_graph *g = &rt->graph;
    memset(out, 0, sizeof(*out));
    int n = g->node_count, slots = 0, max_inputs = 1;
    out->base = malloc(((size_t)n + 1) * sizeof(int));
    if (!out->base)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    for (int i = 0; i < n; i++) {
        out->base[i] = slots;
        slots += g->nodes[i].output_count > 0 ? g->nodes[i].output_count : 1;
        if (g->nodes[i].input_count > max_inputs)
            max_inputs = g->nodes[i].input_count;
    }
    out->slot_count = slots;
    out->node_count = n;
    out->shapes = malloc(((size_t)slots + 1) * sizeof(fy_shape));
    out->order = graph_order(g, &out->order_count);
    const ferry_tensor **values = calloc((size_t)slots + 1, sizeof(*values));
    fy_shape *in = malloc((size_t)max_inputs * sizeof(fy_shape));
    const ferry_tensor **in_values = calloc((size_t)max_inputs, sizeof(*in_values));
    ferry_status st = out->shapes && out->order && values && in && in_values
                          ? FERRY_OK
                          : fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    for (int s = 0; !st && s < slots; s++)
        out->shapes[s] = FY_UNKNOWN_SHAPE;
    for (int k = 0; !st && k < out->order_count; k++) {
        int id = out->order[k], base = out->base[id];
        const fy_node *n = &g->nodes[id];
        const fy_op_def *d = rt->ops[id];
        if (rt->constants && rt->constants[id]) {
            out->shapes[base] = shape_of_tensor(rt->constants[id]);
            values[base] = rt->constants[id];
            continue;
        }
        if (!d || !d->shape || n->inlined_call || n->broken)
            continue;
        for (int i = 0; i < n->input_count; i++) {
            int s = out->base[n->inputs[i].node] + n->inputs[i].index;
            in[i] = out->shapes[s];
            in_values[i] = values[s];
        }
        /* Parts of a file no plan runs may contradict themselves: they are
         * refused only if a plan needs them (fy_plan_infer_shapes). */
        ferry_error *ignored = NULL;
        int outs = n->output_count > 0 ? n->output_count : 1;
        fy_shape_ctx c = { rt->what, n, n->input_count, in, in_values, &out->shapes[base], outs, &ignored };
        if (d->shape(&c) != FERRY_OK)
            for (int o = 0; o < outs; o++)
                out->shapes[base + o] = FY_UNKNOWN_SHAPE;
        ferry_error_free(ignored);
        recorded_shapes(n, d, &out->shapes[base], outs);
    }
    free(values);
    free(in);
    free(in_values);
    if (st)
        fy_graph_shapes_clear(out);
    return st;
}

const fy_shape *fy_graph_shape(const fy_graph_shapes *s, fy_edge e)
{
    static const fy_shape unknown = { .rank = -1 };
    return e.node >= 0 && e.node < s->node_count ? &s->shapes[s->base[e.node] + e.index] : &unknown;
}

void fy_graph_shapes_clear(fy_graph_shapes *s)
{
    free(s->base);
    free(s->shapes);
    free(s->order);
    memset(s, 0, sizeof(*s));
}
