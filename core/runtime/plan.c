/* Building plans: which nodes a set of fetches and targets needs, given the
 * feeds, in an order that respects every data and control edge. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/error.h"
#include "base/file.h"
#include "runtime/fold.h"
#include "runtime/runtime.h"

typedef struct builder {
    fy_runtime *rt;
    fy_plan *p;
    unsigned char *needed;
    fy_edge *feeds;
    int feed_count;
    int *alias;          /* per node: itself, or for a rewrite's node this plan cannot use, the node it replaced */
} builder;

/* A rewrite's node computes the results of the nodes it absorbed itself; a
 * plan fed one of those runs the nodes as the file wrote them instead. Node
 * indices grow with rewrites, so what a node absorbed comes before it. */
static ferry_status alias_rewrites(builder *b, ferry_error **err)
{
    const fy_graph *g = &b->rt->graph;
    int n = g->node_count;
    b->alias = malloc(((size_t)n + 1) * sizeof(int));
    unsigned char *off = calloc((size_t)n + 1, 1);
    if (!b->alias || !off) {
        free(off);
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    }
    for (int i = 0; i < b->feed_count; i++)
        off[b->feeds[i].node] = 2; /* fed: what absorbed it cannot run */
    for (int i = 0; i < n; i++) {
        const fy_node *node = &g->nodes[i];
        for (int k = 0; k < node->absorb_count && off[i] != 1; k++)
            if (off[node->absorbs[k]])
                off[i] = off[i] == 2 ? 2 : 1;
        b->alias[i] = i;
    }
    for (int i = 0; i < n; i++)
        if (off[i] == 1 && g->nodes[i].replaces >= 0) {
            int a = g->nodes[i].replaces;
            while (off[a] == 1 && g->nodes[a].replaces >= 0)
                a = g->nodes[a].replaces;
            b->alias[i] = a;
        }
    free(off);
    return FERRY_OK;
}

static fy_edge through_alias(const builder *b, fy_edge e)
{
    return e.node >= 0 ? (fy_edge){ b->alias[e.node], e.index } : e;
}

static int is_fed(const builder *b, fy_edge e)
{
    for (int i = 0; i < b->feed_count; i++)
        if (b->feeds[i].node == e.node && b->feeds[i].index == e.index)
            return 1;
    return 0;
}

/* A node with a fed output does not run, as in TensorFlow: waiting for it
 * (a control edge) is satisfied by the feed. */
static int is_fed_node(const builder *b, int node)
{
    for (int i = 0; i < b->feed_count; i++)
        if (b->feeds[i].node == node)
            return 1;
    return 0;
}

/* Marks everything `start` depends on, iteratively (graphs can be deep). */
static ferry_status mark_needed(builder *b, int start, ferry_error **err)
{
    const fy_graph *g = &b->rt->graph;
    int *stack = malloc((size_t)g->node_count * sizeof(int) + sizeof(int));
    if (!stack)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    int top = 0;
    if (!b->needed[start]) {
        b->needed[start] = 1;
        stack[top++] = start;
    }
    while (top > 0) {
        const fy_node *n = &g->nodes[stack[--top]];
        for (int i = 0; i < n->input_count + n->control_count; i++) {
            int src;
            if (i < n->input_count) {
                fy_edge e = through_alias(b, n->inputs[i]);
                if (e.node < 0 || is_fed(b, e))
                    continue;
                src = e.node;
            } else {
                src = b->alias[n->controls[i - n->input_count]];
                if (is_fed_node(b, src))
                    continue;
            }
            if (!b->needed[src]) {
                b->needed[src] = 1;
                stack[top++] = src;
            }
        }
    }
    free(stack);
    return FERRY_OK;
}

static int has_kernel(const fy_runtime *rt, int node)
{
    return rt->ops[node] && rt->ops[node]->run;
}

/* Every needed op must have a kernel; one error lists all that lack one. */
static ferry_status check_kernels(builder *b, ferry_error **err)
{
    const fy_graph *g = &b->rt->graph;
    for (int i = 0; i < g->node_count; i++)
        if (b->needed[i] && fy_node_touches_outside(b->rt, i) && !(b->rt->flags & FERRY_LOAD_ALLOW_FILE_OPS))
            return fy_fail(err, FERRY_ERR_REFUSED,
                           "%s: node '%s' (%s) reads or writes files or prints; load with FERRY_LOAD_ALLOW_FILE_OPS "
                           "to allow it", b->rt->what, g->nodes[i].name, g->nodes[i].op);
    for (int i = 0; i < g->node_count; i++)
        if (b->needed[i] && g->nodes[i].broken)
            return fy_fail(err, FERRY_ERR_UNSUPPORTED, "%s: %s", b->rt->what, g->nodes[i].broken);
    char *missing = NULL;
    size_t len = 0;
    int count = 0;
    for (int i = 0; i < g->node_count; i++) {
        if (!b->needed[i] || g->nodes[i].inlined_call || has_kernel(b->rt, i))
            continue;
        /* List each op once, with the first node using it. */
        int seen = 0;
        for (int j = 0; j < i && !seen; j++)
            seen = b->needed[j] && !g->nodes[j].inlined_call && !has_kernel(b->rt, j) &&
                   !strcmp(g->nodes[j].op, g->nodes[i].op);
        if (seen)
            continue;
        char *item = fy_sprintf("%s%s (node '%s')", count ? ", " : "", g->nodes[i].op, g->nodes[i].name);
        char *grown = item ? realloc(missing, len + strlen(item) + 1) : NULL;
        if (!grown) {
            free(item);
            free(missing);
            return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
        }
        missing = grown;
        memcpy(missing + len, item, strlen(item) + 1);
        len += strlen(item);
        free(item);
        count++;
    }
    if (!count)
        return FERRY_OK;
    ferry_status st = fy_fail(err, FERRY_ERR_UNSUPPORTED, "%s: Ferry has no kernel for %d op%s: %s", b->rt->what,
                              count, count > 1 ? "s" : "", missing);
    free(missing);
    return st;
}

/* Kahn's algorithm over needed nodes, stable in graph order. */
static ferry_status order_nodes(builder *b, ferry_error **err)
{
    const fy_graph *g = &b->rt->graph;
    int n = g->node_count;
    int *pending = calloc((size_t)n + 1, sizeof(int));
    int *users_count = calloc((size_t)n + 1, sizeof(int));
    int *users_start = calloc((size_t)n + 2, sizeof(int));
    int *ready = malloc(((size_t)n + 1) * sizeof(int));
    b->p->order = malloc(((size_t)n + 1) * sizeof(int));
    ferry_status st = FERRY_OK;
    if (!pending || !users_count || !users_start || !ready || !b->p->order) {
        st = fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
        goto done;
    }
    /* Count dependencies, then lay out each node's users contiguously. */
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < n; i++) {
            if (!b->needed[i])
                continue;
            const fy_node *node = &g->nodes[i];
            for (int k = 0; k < node->input_count + node->control_count; k++) {
                int src;
                if (k < node->input_count) {
                    fy_edge e = through_alias(b, node->inputs[k]);
                    if (e.node < 0 || is_fed(b, e))
                        continue;
                    src = e.node;
                } else {
                    src = b->alias[node->controls[k - node->input_count]];
                    if (is_fed_node(b, src))
                        continue;
                }
                if (pass == 0) {
                    pending[i]++;
                    users_count[src]++;
                } else {
                    ready[users_start[src] + --users_count[src]] = i;
                }
            }
        }
        if (pass == 0) {
            for (int i = 0; i < n; i++)
                users_start[i + 1] = users_start[i] + users_count[i];
            free(ready);
            ready = malloc(((size_t)users_start[n] + 1) * sizeof(int));
            if (!ready) {
                st = fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
                goto done;
            }
        }
    }
    /* `ready` now holds the users lists; reuse users_count as the queue. */
    int *queue = users_count, head = 0, tail = 0;
    for (int i = 0; i < n; i++)
        if (b->needed[i] && pending[i] == 0)
            queue[tail++] = i;
    while (head < tail) {
        int i = queue[head++];
        b->p->order[b->p->order_count++] = i;
        for (int u = users_start[i]; u < users_start[i + 1]; u++)
            if (--pending[ready[u]] == 0)
                queue[tail++] = ready[u];
    }
    int needed = 0;
    for (int i = 0; i < n; i++)
        needed += b->needed[i];
    if (b->p->order_count != needed) {
        int stuck = 0;
        while (stuck < n && !(b->needed[stuck] && pending[stuck] > 0))
            stuck++;
        st = fy_fail(err, FERRY_ERR_UNSUPPORTED,
                     "%s: the graph has a cycle through node '%s' (%s); loops must use While or the TF1 "
                     "loop ops", b->rt->what, stuck < n ? g->nodes[stuck].name : "?",
                     stuck < n ? g->nodes[stuck].op : "?");
    }
done:
    free(pending);
    free(users_count);
    free(users_start);
    free(ready);
    return st;
}

/* The last step reading each slot, so a run frees a value as soon as nothing
 * later needs it: peak memory is the widest point of the graph, not the sum
 * of every intermediate. Fed and fetched slots are kept. Also notes the most
 * inputs any node takes. */
ferry_status fy_plan_lifetimes(fy_plan *p, const fy_runtime *rt, ferry_error **err)
{
    const fy_graph *g = &rt->graph;
    p->last_use = malloc(((size_t)p->slot_count + 1) * sizeof(int));
    if (!p->last_use)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    for (int i = 0; i < p->slot_count; i++)
        p->last_use[i] = INT_MAX;
    for (int k = 0; k < p->order_count; k++) {
        int id = p->order[k], outs = g->nodes[id].output_count > 0 ? g->nodes[id].output_count : 1;
        for (int i = 0; i < outs; i++)
            p->last_use[p->slot_base[id] + i] = k;
    }
    size_t inputs = 0;
    for (int k = 0; k < p->order_count; k++)
        inputs += (size_t)g->nodes[p->order[k]].input_count;
    if (inputs > INT_MAX)
        return fy_fail(err, FERRY_ERR_UNSUPPORTED, "a plan of %zu inputs is too large", inputs);
    p->input_at = malloc(((size_t)p->order_count + 1) * sizeof(int));
    p->input_slots = malloc((inputs + 1) * sizeof(int));
    if (!p->input_at || !p->input_slots)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    int at = 0;
    for (int k = 0; k < p->order_count; k++) {
        const fy_node *n = &g->nodes[p->order[k]];
        if (n->input_count > p->max_inputs)
            p->max_inputs = n->input_count;
        p->input_at[k] = at;
        for (int i = 0; i < n->input_count; i++) {
            fy_edge e = n->inputs[i];
            p->input_slots[at++] = e.node >= 0 ? p->slot_base[e.node] + e.index : -1;
            if (e.node >= 0)
                p->last_use[p->slot_base[e.node] + e.index] = k;
        }
        /* Dead-branch checks read a control predecessor's first slot. */
        for (int i = 0; i < n->control_count; i++)
            if (p->slot_base[n->controls[i]] < p->slot_count)
                p->last_use[p->slot_base[n->controls[i]]] = k;
    }
    for (int i = 0; i < p->fetch_count; i++)
        p->last_use[p->slot_base[p->fetches[i].node] + p->fetches[i].index] = INT_MAX;
    /* A run that is handed its feeds (a loop body) frees them after their
     * last reader; any other run leaves them to the caller. */
    p->feed_last_use = malloc(((size_t)p->feed_count + 1) * sizeof(int));
    if (!p->feed_last_use)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    for (int i = 0; i < p->feed_count; i++) {
        int *use = &p->last_use[p->slot_base[p->feeds[i].node] + p->feeds[i].index];
        p->feed_last_use[i] = *use;
        *use = INT_MAX;
    }
    return FERRY_OK;
}

static ferry_status resolve_names(fy_edge **out, const fy_runtime *rt, const char *const *names, int n,
                                  const char *role, ferry_error **err)
{
    *out = calloc((size_t)n + 1, sizeof(fy_edge));
    if (!*out)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    for (int i = 0; i < n; i++) {
        ferry_status st = fy_graph_tensor(&(*out)[i], &rt->graph, names[i], err);
        if (st)
            return fy_error_prefix(err, "%s: %s", rt->what, role);
    }
    return FERRY_OK;
}

ferry_status fy_plan_build(fy_plan **out, fy_runtime *rt, const char *const *feeds, int feed_count,
                           const char *const *fetches, int fetch_count, const char *const *targets,
                           int target_count, ferry_error **err)
{
    fy_plan *p = calloc(1, sizeof(*p));
    builder b = { rt, p, calloc((size_t)rt->graph.node_count + 1, 1), NULL, 0, NULL };
    if (!p || !b.needed) {
        free(p);
        free(b.needed);
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    }
    ferry_status st = resolve_names(&p->feeds, rt, feeds, feed_count, "feed", err);
    p->feed_count = feed_count;
    b.feeds = p->feeds;
    b.feed_count = feed_count;
    if (!st && !(p->feed_dtypes = calloc((size_t)feed_count + 1, sizeof(ferry_dtype))))
        st = fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    for (int i = 0; !st && i < feed_count; i++) {
        const fy_op_def *d = rt->ops[p->feeds[i].node];
        if (d && (d->traits & FY_OP_TYPED))
            p->feed_dtypes[i] = fy_attr_type(&rt->graph.nodes[p->feeds[i].node], "dtype", FERRY_DT_INVALID);
    }
    if (!st)
        st = resolve_names(&p->fetches, rt, fetches, fetch_count, "fetch", err);
    p->fetch_count = fetch_count;
    if (!st)
        st = alias_rewrites(&b, err);
    for (int i = 0; !st && i < fetch_count; i++)
        p->fetches[i] = through_alias(&b, p->fetches[i]);
    for (int i = 0; !st && i < fetch_count; i++)
        if (!is_fed(&b, p->fetches[i]))
            st = mark_needed(&b, p->fetches[i].node, err);
    for (int i = 0; !st && i < target_count; i++) {
        int node = fy_graph_find(&rt->graph, targets[i]);
        if (node < 0)
            st = fy_fail(err, FERRY_ERR_NOT_FOUND, "%s: no target node '%s'", rt->what, targets[i]);
        else
            st = mark_needed(&b, b.alias[node], err);
    }
    if (!st)
        st = check_kernels(&b, err);
    if (!st)
        st = order_nodes(&b, err);
    if (!st) {
        /* Value slots only for nodes that run or are fed. */
        int n = rt->graph.node_count;
        p->slot_base = calloc((size_t)n + 1, sizeof(int));
        if (!p->slot_base)
            st = fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
        for (int i = 0; !st && i < n; i++) {
            int outs = rt->graph.nodes[i].output_count;
            p->slot_base[i] = b.needed[i] ? (outs > 0 ? outs : 1) : 0;
        }
        for (int i = 0; !st && i < feed_count; i++) {
            int *slots = &p->slot_base[p->feeds[i].node];
            if (*slots < p->feeds[i].index + 1)
                *slots = p->feeds[i].index + 1;
        }
        for (int i = 0; !st && i < n; i++) {
            int slots = p->slot_base[i];
            p->slot_base[i] = p->slot_count;
            p->slot_count += slots;
        }
        /* Edges into a rewrite's node this plan cannot use read the node it replaced. */
        for (int i = 0; !st && i < n; i++)
            if (b.alias[i] != i)
                p->slot_base[i] = p->slot_base[b.alias[i]];
        for (int i = 0; !st && i < p->order_count; i++) {
            const fy_op_def *k = rt->ops[p->order[i]];
            unsigned traits = k ? k->traits : 0; /* inlined calls have no op */
            p->state |= traits & (FY_OP_READS_STATE | FY_OP_WRITES_STATE);
            p->switches |= (traits & FY_OP_SWITCH) != 0;
        }
    }
    free(b.needed);
    free(b.alias);
    if (st) {
        fy_plan_free(p);
        return st;
    }
    *out = p;
    return FERRY_OK;
}

void fy_plan_free(fy_plan *p)
{
    if (!p)
        return;
    fy_plan_fold_clear(p);
    fy_arena_free(p->arena);
    free(p->order);
    free(p->slot_base);
    free(p->last_use);
    free(p->input_at);
    free(p->input_slots);
    free(p->feeds);
    free(p->feed_last_use);
    free(p->feed_dtypes);
    free(p->fetches);
    free(p);
}
