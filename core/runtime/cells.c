/* Keras LSTM cells as one kernel. A Keras LSTM step splits its gate
 * pre-activations z into four (input, forget, cell, output), and then runs
 * nine elementwise ops on pieces of a few hundred floats:
 *
 *   c' = sigmoid(z_f) * c + sigmoid(z_i) * tanh(z_g)
 *   h' = sigmoid(z_o) * tanh(c')
 *
 * In a loop body that is run once per step, the ops' own overhead outweighs
 * their arithmetic. Where a function's graph has exactly this shape (a
 * Split into four read only by these ops, each intermediate read once), the
 * node making c' becomes a _FerryLSTMCell (kernels/lstm_cell.c) taking the
 * split dimension, z and c and making c' and h', and the readers of h' read
 * its second output; the Split, the activations and the products then have
 * no readers and drop out of plans. A BiasAdd making z, read by the Split
 * alone, is taken in too. Only functions' graphs are rewritten: their
 * results are all anyone can fetch, while a model's own graph may be asked
 * for any intermediate tensor. */
#include "runtime/cells.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "runtime/functions.h"

typedef struct readers_of {
    int count;
    int node[2]; /* the first two */
} readers_of;

/* The node inputs reading e; a function result reading it counts too. */
static readers_of readers(const fy_graph *g, const fy_edge *result_edges, int results, fy_edge e)
{
    readers_of r = { 0, { -1, -1 } };
    int inputs[2];
    r.count = fy_graph_readers(g, e, r.node, inputs, 2);
    for (int i = 0; i < results; i++)
        if (fy_edge_same(result_edges[i], e))
            r.count += 2; /* never the only reader */
    return r;
}

typedef struct matcher {
    const fy_graph *g;
    const fy_edge *results;
    int result_count;
} matcher;

static int is_float_op(const fy_graph *g, int node, const char *op)
{
    return node >= 0 && !strcmp(g->nodes[node].op, op) &&
           fy_attr_type(&g->nodes[node], "T", FERRY_DT_INVALID) == FERRY_DT_FLOAT;
}

static int is_add(const fy_graph *g, int node)
{
    return is_float_op(g, node, "AddV2") || is_float_op(g, node, "Add");
}

/* The only reader of output `index` of `node`, when it is a float `op`
 * ("Add" standing for Add or AddV2); else -1. */
static int sole_reader(const matcher *m, int node, int index, const char *op)
{
    readers_of r = readers(m->g, m->results, m->result_count, (fy_edge){ node, index });
    if (r.count != 1)
        return -1;
    int n = r.node[0];
    int fits = !strcmp(op, "Add") ? is_add(m->g, n) : is_float_op(m->g, n, op);
    return fits ? n : -1;
}

/* For a binary node reading `known` on one side: the edge on the other. */
static int other_input(const fy_graph *g, int node, fy_edge known, fy_edge *other)
{
    const fy_node *n = &g->nodes[node];
    if (n->input_count != 2)
        return 0;
    fy_edge a = n->inputs[0], b = n->inputs[1];
    if (fy_edge_same(a, known))
        *other = b;
    else if (fy_edge_same(b, known))
        *other = a;
    else
        return 0;
    return 1;
}

typedef struct cell {
    int cell;               /* the node making c', rewritten */
    int hidden;             /* the node making h' */
    fy_edge dim, z, bias, c;/* bias.node -1 when the BiasAdd is not taken in */
} cell;

/* Whether the Split at `split` heads an LSTM cell; fills *out. */
static int match_cell(const matcher *m, int split, cell *out)
{
    const fy_graph *g = m->g;
    const fy_node *s = &g->nodes[split];
    if (!is_float_op(g, split, "Split") || s->input_count != 2 || s->output_count != 4 ||
        fy_attr_int(s, "num_split", 0) != 4)
        return 0;
    int in = sole_reader(m, split, 0, "Sigmoid"), forget = sole_reader(m, split, 1, "Sigmoid");
    int gate = sole_reader(m, split, 2, "Tanh"), outg = sole_reader(m, split, 3, "Sigmoid");
    if (in < 0 || forget < 0 || gate < 0 || outg < 0)
        return 0;
    int kept = sole_reader(m, forget, 0, "Mul"), fresh = sole_reader(m, in, 0, "Mul");
    fy_edge c, other;
    if (kept < 0 || fresh < 0 || kept == fresh || !other_input(g, kept, (fy_edge){ forget, 0 }, &c) ||
        !other_input(g, fresh, (fy_edge){ in, 0 }, &other) || !fy_edge_same(other, (fy_edge){ gate, 0 }) ||
        sole_reader(m, gate, 0, "Mul") != fresh)
        return 0;
    int sum = sole_reader(m, kept, 0, "Add");
    if (sum < 0 || sole_reader(m, fresh, 0, "Add") != sum)
        return 0;
    readers_of r = readers(g, m->results, m->result_count, (fy_edge){ sum, 0 });
    int squash = -1;
    for (int i = 0; i < r.count && i < 2; i++)
        if (is_float_op(g, r.node[i], "Tanh"))
            squash = r.node[i];
    int hidden = squash < 0 ? -1 : sole_reader(m, squash, 0, "Mul");
    if (hidden < 0 || sole_reader(m, outg, 0, "Mul") != hidden)
        return 0;
    *out = (cell){ sum, hidden, s->inputs[0], s->inputs[1], { -1, -1 }, c };
    int bias = out->z.node;
    char format[8];
    if (bias >= 0 && out->z.index == 0 && is_float_op(g, bias, "BiasAdd") && g->nodes[bias].input_count == 2 &&
        !strcmp(fy_attr_string(&g->nodes[bias], "data_format", format, sizeof(format), "NHWC"), "NHWC") &&
        sole_reader(m, bias, 0, "Split") == split) {
        out->bias = g->nodes[bias].inputs[1];
        out->z = g->nodes[bias].inputs[0];
    }
    return 1;
}

/* Everything that read `from` (node inputs and the function's results)
 * reads `to` instead. */
static void rewire(fy_graph *g, fy_edge from, fy_edge to)
{
    for (int i = 0; i < g->node_count; i++) {
        fy_node *n = &g->nodes[i];
        for (int k = 0; k < n->input_count; k++)
            if (fy_edge_same(n->inputs[k], from))
                n->inputs[k] = to;
        for (int k = 0; g->forward[i] && k < n->output_count; k++)
            if (fy_edge_same(g->forward[i][k], from))
                g->forward[i][k] = to;
    }
}

static ferry_status rewrite(fy_runtime *rt, const cell *c, ferry_error **err)
{
    fy_node *n = &rt->graph.nodes[c->cell];
    int with_bias = c->bias.node >= 0;
    fy_edge *inputs = malloc(4 * sizeof(fy_edge));
    if (!inputs)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    inputs[0] = c->dim;
    inputs[1] = c->z;
    if (with_bias)
        inputs[2] = c->bias;
    inputs[2 + with_bias] = c->c;
    rewire(&rt->graph, (fy_edge){ c->hidden, 0 }, (fy_edge){ c->cell, 1 });
    free(n->inputs);
    n->inputs = inputs;
    n->input_count = 3 + with_bias;
    n->output_count = 2;
    n->op = "_FerryLSTMCell";
    rt->ops[c->cell] = fy_internal_op(n->op);
    return fy_graph_index(&rt->graph, err); /* edges changed in place */
}

static void find_results(const fy_graph *g, fy_edge *edges, int results)
{
    for (int i = 0; i < results; i++)
        edges[i] = fy_function_result(g, i);
}

ferry_status fy_cells_fuse(fy_runtime *rt, int results, ferry_error **err)
{
    fy_graph *g = &rt->graph;
    fy_edge *result_edges = calloc((size_t)results + 1, sizeof(fy_edge));
    if (!result_edges)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    find_results(g, result_edges, results);
    matcher m = { g, result_edges, results };
    ferry_status st = FERRY_OK;
    for (int i = 0; !st && i < g->node_count; i++) {
        cell c;
        if (!match_cell(&m, i, &c))
            continue;
        st = rewrite(rt, &c, err);
        find_results(g, result_edges, results); /* a result may have read h' */
    }
    free(result_edges);
    return st;
}
