/* Chains of per-channel elementwise ops. Keras exports batch norm as a
 * multiply and an add by per-channel vectors, followed by the activation;
 * run one by one, each reads and writes the whole activation tensor. A
 * chain of such ops (Mul, Add/AddV2, Sub, BiasAdd by a vector of the
 * activation's last dim or a scalar; Relu, Relu6), where each result has
 * no reader but the next op, runs instead as one pass over the tensor.
 *
 * When the chain's input is a float Conv2D or depthwise convolution (NHWC)
 * read by nothing else, the convolution applies the chain to each block of
 * its output while the block is in the cache.
 *
 * Which ops qualify is decided here from static shapes; the executor still
 * checks the actual operands each run and runs the ops one by one when they
 * do not fit. The plan is reordered so that a chain's steps (and its
 * convolution) are adjacent: the first runs the whole chain and the others
 * pass its result on. */
#include "runtime/fuse.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"

/* Per chain in the finder's list: its convolution's step (or -1), then its steps. */
#define SLOTS (FY_CHAIN_MAX + 1)

typedef struct finder {
    const fy_plan *p;
    const fy_runtime *rt;
    const fy_shape *shapes;
    int *reads;          /* per slot: readers (a fetch or control edge counts as many) */
    int *reader_step;    /* per slot: the step reading it (the last one seen) */
    int *step_of_node;   /* per node: its step, or -1 */
    unsigned char *used; /* per step: in a chain already */
} finder;

static int input_slot(const finder *f, const fy_node *n, int i)
{
    fy_edge e = n->inputs[i];
    return e.node < 0 ? -1 : f->p->slot_base[e.node] + e.index;
}

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

/* Fills step i of c for node n, whose input `through` carries the chain (-1
 * for a head: found here), with activation shape act. 0 when n does not fit. */
static int classify(const finder *f, const fy_node *n, int through, const fy_shape *act, fy_chain *c, int i)
{
    const fy_op_def *d = f->rt->ops[n - f->rt->graph.nodes];
    if (!d || !d->step || fy_attr_type(n, "T", FERRY_DT_INVALID) != FERRY_DT_FLOAT || n->output_count > 1 ||
        n->control_count > 0 || n->inlined_call)
        return 0;
    if (d->step == FY_STEP_RELU || d->step == FY_STEP_RELU6) {
        if (n->input_count != 1 || through > 0)
            return 0;
        c->steps[i].op = d->step == FY_STEP_RELU ? FY_CHAIN_RELU : FY_CHAIN_RELU6;
        c->steps[i].vector_input = -1;
        c->steps[i].vector_slot = -1;
        c->steps[i].through = 0;
        return 1;
    }
    int mul = d->step == FY_STEP_MUL, add = d->step == FY_STEP_ADD, bias = d->step == FY_STEP_BIAS;
    if (n->input_count != 2)
        return 0;
    if (bias) {
        char fmt[8];
        const char *format = fy_attr_string(n, "data_format", fmt, sizeof(fmt), "NHWC");
        if (!format || strcmp(format, "NHWC") != 0 || through > 0)
            return 0;
    }
    for (int k = 0; k < 2; k++) {
        if (through >= 0 ? k != through : (bias && k != 0))
            continue;
        int si = input_slot(f, n, k), sv = input_slot(f, n, 1 - k);
        if (si < 0 || sv < 0)
            continue;
        const fy_shape *x = through >= 0 ? act : &f->shapes[si];
        if (x->rank < 1 || x->dims[x->rank - 1] < 1 || !is_vector(&f->shapes[sv], x->dims[x->rank - 1], x->rank))
            continue;
        c->steps[i].op = mul ? FY_CHAIN_MUL : add || bias ? FY_CHAIN_ADD : k == 0 ? FY_CHAIN_SUB : FY_CHAIN_SUB_FROM;
        c->steps[i].vector_input = 1 - k;
        c->steps[i].vector_slot = sv;
        c->steps[i].through = k;
        return 1;
    }
    return 0;
}

/* The chain starting at step k, if one does. */
static int find_chain(finder *f, int k, fy_chain *c)
{
    const fy_graph *g = &f->rt->graph;
    const fy_plan *p = f->p;
    const fy_node *n = &g->nodes[p->order[k]];
    memset(c, 0, sizeof(*c));
    if (!classify(f, n, -1, NULL, c, 0))
        return 0;
    c->head = k;
    c->x_input = c->steps[0].through;
    fy_shape act = f->shapes[input_slot(f, n, c->x_input)];
    if (act.rank < 1 || act.dims[act.rank - 1] < 1)
        return 0; /* a Relu head: the activation's channels must be known too */
    int len = 1, step = k;
    while (len < FY_CHAIN_MAX) {
        int out = p->slot_base[p->order[step]];
        int next = f->reads[out] == 1 ? f->reader_step[out] : -1;
        if (next <= step || f->used[next])
            break;
        const fy_node *m = &g->nodes[p->order[next]];
        int through = -1;
        for (int i = 0; i < m->input_count; i++)
            if (input_slot(f, m, i) == out)
                through = i;
        if (through < 0 || !classify(f, m, through, &act, c, len))
            break;
        step = next;
        len++;
    }
    c->length = len;
    return len >= 2;
}

/* The step of the convolution whose output only the chain's head reads, or -1. */
static int producing_conv(const finder *f, const fy_chain *c, int head_step)
{
    const fy_graph *g = &f->rt->graph;
    const fy_node *head = &g->nodes[f->p->order[head_step]];
    fy_edge e = head->inputs[c->x_input];
    if (e.node < 0 || e.index != 0)
        return -1;
    const fy_node *n = &g->nodes[e.node];
    const fy_op_def *d = f->rt->ops[e.node];
    int k = f->step_of_node[e.node];
    char fmt[8];
    const char *format = fy_attr_string(n, "data_format", fmt, sizeof(fmt), "NHWC");
    if (k < 0 || f->used[k] || f->reads[f->p->slot_base[e.node]] != 1 || n->inlined_call || !d ||
        !(d->traits & FY_OP_TAKES_CHAIN) || fy_attr_type(n, "T", FERRY_DT_INVALID) != FERRY_DT_FLOAT || !format ||
        strcmp(format, "NHWC") != 0)
        return -1;
    return k;
}

/* Slots read by steps, fetches and control edges; which nodes are steps. */
static void count_reads(finder *f)
{
    const fy_plan *p = f->p;
    const fy_graph *g = &f->rt->graph;
    for (int k = 0; k < p->order_count; k++) {
        const fy_node *n = &g->nodes[p->order[k]];
        f->step_of_node[p->order[k]] = k;
        for (int i = 0; i < n->input_count; i++) {
            int s = input_slot(f, n, i);
            if (s >= 0) {
                f->reads[s]++;
                f->reader_step[s] = k;
            }
        }
        for (int i = 0; i < n->control_count; i++)
            f->reads[p->slot_base[n->controls[i]]] += 2;
    }
    for (int i = 0; i < p->fetch_count; i++)
        f->reads[p->slot_base[p->fetches[i].node] + p->fetches[i].index] += 2;
    for (int i = 0; i < p->feed_count; i++)
        if (f->step_of_node[p->feeds[i].node] >= 0)
            f->used[f->step_of_node[p->feeds[i].node]] = 1; /* a fed node never runs its op */
}

/* Moves each chain's steps together (its convolution first), at the place
 * of its last step. */
static ferry_status reorder(fy_plan *p, fy_chain *chains, int count, const int *members, ferry_error **err)
{
    int *order = malloc(((size_t)p->order_count + 1) * sizeof(int));
    int *chain_of = malloc(((size_t)p->order_count + 1) * sizeof(int)); /* per old step: chain + 1, or 0 */
    int *chain_at = malloc(((size_t)p->order_count + 1) * sizeof(int));
    if (!order || !chain_of || !chain_at) {
        free(order);
        free(chain_of);
        free(chain_at);
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    }
    memset(chain_of, 0, (size_t)p->order_count * sizeof(int));
    for (int c = 0; c < count; c++)
        for (int i = chains[c].conv ? 0 : 1; i <= chains[c].length; i++)
            chain_of[members[c * SLOTS + i]] = c + 1;
    int n = 0;
    for (int k = 0; k < p->order_count; k++) {
        int c = chain_of[k] - 1;
        if (c < 0) {
            chain_at[n] = -1;
            order[n++] = p->order[k];
            continue;
        }
        if (members[c * SLOTS + chains[c].length] != k)
            continue;
        for (int i = chains[c].conv ? 0 : 1; i <= chains[c].length; i++) {
            if (i == 1)
                chains[c].head = n;
            chain_at[n] = i <= 1 ? c : -1;
            order[n++] = p->order[members[c * SLOTS + i]];
        }
    }
    memcpy(p->order, order, (size_t)n * sizeof(int));
    free(order);
    free(chain_of);
    p->chain_at = chain_at;
    return FERRY_OK;
}

ferry_status fy_plan_fuse(fy_plan *p, const fy_runtime *rt, const fy_shape *shapes, ferry_error **err)
{
    finder f = { p, rt, shapes, calloc((size_t)p->slot_count + 1, sizeof(int)),
                 calloc((size_t)p->slot_count + 1, sizeof(int)), malloc(((size_t)rt->graph.node_count + 1) * sizeof(int)),
                 calloc((size_t)p->order_count + 1, 1) };
    fy_chain *chains = NULL;
    int *members = NULL, count = 0, cap = 0;
    ferry_status st = f.reads && f.reader_step && f.step_of_node && f.used
                          ? FERRY_OK
                          : fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    for (int i = 0; !st && i < rt->graph.node_count; i++)
        f.step_of_node[i] = -1;
    if (!st)
        count_reads(&f);
    for (int k = 0; !st && k < p->order_count; k++) {
        fy_chain c;
        if (f.used[k] || !find_chain(&f, k, &c))
            continue;
        if (count == cap) {
            cap = cap ? cap * 2 : 16;
            fy_chain *grown = realloc(chains, (size_t)cap * sizeof(*chains));
            int *grown_members = grown ? realloc(members, (size_t)cap * SLOTS * sizeof(int)) : NULL;
            if (grown)
                chains = grown;
            if (grown_members)
                members = grown_members;
            if (!grown || !grown_members) {
                st = fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
                break;
            }
        }
        /* Walk the chain again to note its steps, its convolution first. */
        int conv = producing_conv(&f, &c, k), step = k;
        c.conv = conv >= 0;
        members[count * SLOTS] = conv;
        if (conv >= 0)
            f.used[conv] = 1;
        for (int i = 0; i < c.length; i++) {
            members[count * SLOTS + 1 + i] = step;
            f.used[step] = 1;
            step = f.reader_step[p->slot_base[p->order[step]]];
        }
        chains[count++] = c;
    }
    if (!st && count > 0)
        st = reorder(p, chains, count, members, err);
    if (!st && count > 0) {
        p->chains = chains;
        p->chain_count = count;
        chains = NULL;
    }
    free(chains);
    free(members);
    free(f.reads);
    free(f.reader_step);
    free(f.step_of_node);
    free(f.used);
    return st;
}
