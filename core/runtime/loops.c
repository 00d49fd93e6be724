/* TF1 dataflow loops (Enter, Merge, Switch, LoopCond, NextIteration, Exit)
 * run as loops, not as cyclic graphs: each frame's LoopCond node becomes a
 * loop op that takes the loop's outside inputs and yields its final values,
 * its Exit nodes forward those, and two plans over the frame compute the
 * condition (fed at the Merges) and the body (fed at the Switches' true
 * outputs). Nested frames are lowered innermost first: an inner loop's
 * carrier is then an ordinary node of the outer loop's body. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/file.h"
#include "runtime/loops.h"
#include "runtime/run.h"

typedef struct frame_var {
    int enter, merge, swtch, next, exit;   /* node indices; exit may be -1 */
} frame_var;

/* First consumer of (node, index) with the given op, or -1. */
static int consumer(const fy_graph *g, int node, int index, const char *op)
{
    for (int i = 0; i < g->node_count; i++) {
        const fy_node *n = &g->nodes[i];
        if (strcmp(n->op, op) != 0)
            continue;
        for (int k = 0; k < n->input_count; k++) {
            fy_edge e = n->inputs[k];
            if (e.node == node && e.index == index)
                return i;
        }
    }
    return -1;
}

static const char *frame_of(const fy_node *n, char *buf, size_t cap)
{
    return fy_attr_string(n, "frame_name", buf, cap, "");
}

static const char *edge_name(fy_graph *g, fy_edge e)
{
    return fy_graph_keep_string(g, fy_sprintf("%s:%d", g->nodes[e.node].name, e.index));
}

/* Finds one frame's loop variables and invariants and lowers it. */
static ferry_status lower_frame(fy_runtime *rt, const char *frame, fy_plan_maker make, ferry_error **err)
{
    fy_graph *g = &rt->graph;
    int count = 0;
    for (int i = 0; i < g->node_count; i++) {
        char buf[512];
        if (!strcmp(g->nodes[i].op, "Enter") && !strcmp(frame_of(&g->nodes[i], buf, sizeof(buf)), frame))
            count++;
    }
    frame_var *vars = calloc((size_t)count + 1, sizeof(frame_var));
    int *invariants = calloc((size_t)count + 1, sizeof(int));
    int nv = 0, ni = 0, cond = -1;
    ferry_status st = vars && invariants ? FERRY_OK : fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    for (int i = 0; !st && i < g->node_count; i++) {
        char buf[512];
        const fy_node *n = &g->nodes[i];
        if (strcmp(n->op, "Enter") != 0 || strcmp(frame_of(n, buf, sizeof(buf)), frame) != 0)
            continue;
        if (n->input_count < 1) {
            st = fy_fail(err, FERRY_ERR_UNSUPPORTED, "%s: loop '%s': Enter '%s' has no input", rt->what, frame,
                         n->name);
            break;
        }
        if (fy_attr_bool(n, "is_constant", 0)) {
            invariants[ni++] = i;
            continue;
        }
        frame_var v = { i, consumer(g, i, 0, "Merge"), -1, -1, -1 };
        if (v.merge >= 0)
            v.swtch = consumer(g, v.merge, 0, "Switch");
        if (v.swtch >= 0 && g->nodes[v.swtch].input_count != 2)
            v.swtch = -1;
        if (v.merge >= 0 && g->nodes[v.merge].input_count == 2)
            v.next = g->nodes[v.merge].inputs[1].node;
        if (v.swtch >= 0) {
            v.exit = consumer(g, v.swtch, 0, "Exit");
            fy_edge pred = g->nodes[v.swtch].inputs[1];
            cond = pred.node;
        }
        if (v.merge < 0 || v.swtch < 0 || v.next < 0 || strcmp(g->nodes[v.next].op, "NextIteration") != 0 ||
            g->nodes[v.next].input_count < 1)
            st = fy_fail(err, FERRY_ERR_UNSUPPORTED, "%s: loop '%s' has a variable (Enter '%s') of a shape Ferry does "
                         "not recognise", rt->what, frame, n->name);
        vars[nv++] = v;
    }
    if (!st && (cond < 0 || strcmp(g->nodes[cond].op, "LoopCond") != 0 || g->nodes[cond].input_count < 1))
        st = fy_fail(err, FERRY_ERR_UNSUPPORTED, "%s: loop '%s' has no LoopCond", rt->what, frame);
    for (int k = 0; !st && k < nv + ni; k++) {
        int enter = k < nv ? vars[k].enter : invariants[k - nv];
        /* An input from an enclosing frame is fine: that frame is lowered later. */
        if (g->nodes[enter].inputs[0].node < 0)
            st = fy_fail(err, FERRY_ERR_UNSUPPORTED, "%s: loop '%s': Enter '%s' has an input that resolves to no node",
                         rt->what, frame, g->nodes[enter].name);
    }
    /* The plans: names of the fed and fetched tensors. */
    const char **cond_feeds = calloc((size_t)(nv + ni) + 1, sizeof(char *));
    const char **body_feeds = calloc((size_t)(nv + ni) + 1, sizeof(char *));
    const char **body_fetches = calloc((size_t)nv + 1, sizeof(char *));
    if (!st && (!cond_feeds || !body_feeds || !body_fetches))
        st = fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    for (int k = 0; !st && k < nv; k++) {
        cond_feeds[k] = edge_name(g, (fy_edge){ vars[k].merge, 0 });
        body_feeds[k] = edge_name(g, (fy_edge){ vars[k].swtch, 1 });
        fy_edge fetched = g->nodes[vars[k].next].inputs[0];
        if (fetched.node < 0) {
            st = fy_fail(err, FERRY_ERR_UNSUPPORTED, "%s: loop '%s': NextIteration '%s' has an input that resolves to "
                         "no node", rt->what, frame, g->nodes[vars[k].next].name);
            break;
        }
        body_fetches[k] = edge_name(g, fetched);
        if (!cond_feeds[k] || !body_feeds[k] || !body_fetches[k])
            st = fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    }
    for (int k = 0; !st && k < ni; k++) {
        cond_feeds[nv + k] = body_feeds[nv + k] = edge_name(g, (fy_edge){ invariants[k], 0 });
        if (!cond_feeds[nv + k])
            st = fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    }
    fy_edge pred_edge = st ? (fy_edge){ -1, -1 } : g->nodes[cond].inputs[0];
    if (!st && pred_edge.node < 0)
        st = fy_fail(err, FERRY_ERR_UNSUPPORTED, "%s: loop '%s': LoopCond has an input that resolves to no node",
                     rt->what, frame);
    const char *pred = st ? NULL : edge_name(g, pred_edge);
    fy_loop *loop = st ? NULL : calloc(1, sizeof(fy_loop));
    if (!st && (!pred || !loop))
        st = fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    if (!st) {
        loop->vars = nv;
        loop->invariants = ni;
        /* The LoopCond node now carries the loop: outside inputs in, final values out. */
        fy_node *carrier = &g->nodes[cond];
        fy_edge *inputs = malloc(((size_t)(nv + ni) + 1) * sizeof(fy_edge));
        if (!inputs)
            st = fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
        for (int k = 0; !st && k < nv + ni; k++) {
            int enter = k < nv ? vars[k].enter : invariants[k - nv];
            inputs[k] = g->nodes[enter].inputs[0];
        }
        if (!st) {
            free(carrier->inputs);
            carrier->inputs = inputs;
            carrier->input_count = nv + ni;
            carrier->output_count = nv;
            carrier->op = "_FerryLoop";
            rt->ops[cond] = fy_internal_op("_FerryLoop");
        }
        for (int k = 0; !st && k < nv; k++) {
            if (vars[k].exit < 0)
                continue;
            fy_node *x = &g->nodes[vars[k].exit];
            x->inputs[0] = (fy_edge){ cond, k };
            x->op = "Identity";
            rt->ops[vars[k].exit] = fy_op_find("Identity");
        }
    }
    if (!st)
        st = make(&loop->cond, rt, cond_feeds, nv + ni, &pred, 1, err);
    if (!st)
        st = make(&loop->body, rt, body_feeds, nv + ni, body_fetches, nv, err);
    if (!st) {
        rt->loops[cond] = loop;
    } else if (loop) {
        fy_plan_free(loop->cond);
        fy_plan_free(loop->body);
        free(loop);
    }
    free(cond_feeds);
    free(body_feeds);
    free(body_fetches);
    free(vars);
    free(invariants);
    return st;
}

/* The frame an Exit leaves (Exit <- Switch <- Merge <- Enter), or NULL. */
static const char *exit_frame(const fy_graph *g, int x, char *buf, size_t cap)
{
    int n = x;
    static const char *const chain[] = { "Switch", "Merge", "Enter" };
    for (int k = 0; k < 3; k++) {
        if (g->nodes[n].input_count < 1 || g->nodes[n].inputs[0].node < 0)
            return NULL;
        n = g->nodes[n].inputs[0].node;
        if (strcmp(g->nodes[n].op, chain[k]) != 0)
            return NULL;
    }
    return frame_of(&g->nodes[n], buf, cap);
}

/* Marks (inside[i] = 1) the nodes of frame `frame`: what its Enters reach
 * before its own Exits. */
static ferry_status mark_frame(const fy_graph *g, const char *frame, unsigned char *inside, ferry_error **err)
{
    int *stack = malloc(((size_t)g->node_count + 1) * sizeof(int)), top = 0;
    if (!stack)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    memset(inside, 0, (size_t)g->node_count);
    for (int i = 0; i < g->node_count; i++) {
        char buf[512];
        if (!strcmp(g->nodes[i].op, "Enter") && !strcmp(frame_of(&g->nodes[i], buf, sizeof(buf)), frame)) {
            inside[i] = 1;
            stack[top++] = i;
        }
    }
    while (top > 0) {
        int n = stack[--top];
        char buf[512];
        const char *left = strcmp(g->nodes[n].op, "Exit") ? NULL : exit_frame(g, n, buf, sizeof(buf));
        if (left && !strcmp(left, frame))
            continue;
        for (int r = 0; r < g->reader_count[n]; r++) {
            int m = g->readers[n][r].node;
            if (!inside[m]) {
                inside[m] = 1;
                stack[top++] = m;
            }
        }
    }
    free(stack);
    return FERRY_OK;
}

/* The graph's frames (one Enter of each in first[]) and how deep each is
 * nested: the number of other frames holding one of its Enters' inputs. */
static ferry_status frame_depths(const fy_graph *g, int **first, int **depth, int *count, ferry_error **err)
{
    int n = 0;
    *first = malloc(((size_t)g->node_count + 1) * sizeof(int));
    *depth = calloc((size_t)g->node_count + 1, sizeof(int));
    unsigned char *inside = malloc((size_t)g->node_count + 1);
    ferry_status st = *first && *depth && inside ? FERRY_OK : fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    for (int i = 0; !st && i < g->node_count; i++) {
        char frame[512], other[512];
        if (strcmp(g->nodes[i].op, "Enter") != 0)
            continue;
        frame_of(&g->nodes[i], frame, sizeof(frame));
        int seen = 0;
        for (int k = 0; k < n && !seen; k++)
            seen = !strcmp(frame_of(&g->nodes[(*first)[k]], other, sizeof(other)), frame);
        if (!seen)
            (*first)[n++] = i;
    }
    for (int b = 0; !st && b < n; b++) {
        char outer[512], name[512];
        frame_of(&g->nodes[(*first)[b]], outer, sizeof(outer));
        st = mark_frame(g, outer, inside, err);
        for (int a = 0; !st && a < n; a++) {
            if (a == b)
                continue;
            frame_of(&g->nodes[(*first)[a]], name, sizeof(name));
            int nested = 0;
            for (int i = 0; i < g->node_count && !nested; i++) {
                char buf[512];
                if (strcmp(g->nodes[i].op, "Enter") || strcmp(frame_of(&g->nodes[i], buf, sizeof(buf)), name))
                    continue;
                int src = g->nodes[i].input_count > 0 ? g->nodes[i].inputs[0].node : -1;
                nested = src >= 0 && inside[src];
            }
            (*depth)[a] += nested;
        }
    }
    free(inside);
    *count = n;
    return st;
}

ferry_status fy_loops_lower(fy_runtime *rt, fy_plan_maker make, ferry_error **err)
{
    fy_graph *g = &rt->graph;
    int any = 0;
    for (int i = 0; i < g->node_count && !any; i++)
        any = !strcmp(g->nodes[i].op, "Enter");
    if (!any)
        return FERRY_OK;
    rt->loops = calloc((size_t)g->node_count + 1, sizeof(fy_loop *));
    if (!rt->loops)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    int *first = NULL, *depth = NULL, count = 0, deepest = 0;
    ferry_status st = frame_depths(g, &first, &depth, &count, err);
    for (int f = 0; f < count; f++)
        deepest = depth[f] > deepest ? depth[f] : deepest;
    /* Innermost frames first. */
    for (int level = deepest; !st && level >= 0; level--)
        for (int f = 0; !st && f < count; f++) {
            if (depth[f] != level)
                continue;
            char frame[512];
            frame_of(&g->nodes[first[f]], frame, sizeof(frame));
            ferry_error *local = NULL;
            ferry_status lowered = lower_frame(rt, frame, make, &local);
            if (lowered == FERRY_ERR_OUT_OF_MEMORY) {
                st = fy_error_pass(err, local, lowered);
                break;
            }
            if (!lowered)
                continue;
            /* Only plans that need this loop fail, with this message. */
            const char *why = fy_graph_keep_string(g, fy_strdup(ferry_error_message(local)));
            ferry_error_free(local);
            if (!why) {
                st = fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
                break;
            }
            /* A frame lowered before its plans failed carries the loop already. */
            for (int k = 0; k < g->node_count; k++)
                if (!strcmp(g->nodes[k].op, "Exit") || !strcmp(g->nodes[k].op, "LoopCond") ||
                    (rt->ops[k] == fy_internal_op("_FerryLoop") && !rt->loops[k]))
                    g->nodes[k].broken = why;
        }
    free(first);
    free(depth);
    return st ? st : fy_graph_index(g, err); /* loop carriers' edges changed in place */
}

void fy_loops_clear(fy_runtime *rt)
{
    for (int i = 0; rt->loops && i < rt->graph.node_count; i++)
        if (rt->loops[i]) {
            fy_plan_free(rt->loops[i]->cond);
            fy_plan_free(rt->loops[i]->body);
            free(rt->loops[i]);
        }
    free(rt->loops);
    rt->loops = NULL;
}

/* The truth of the loop condition: a bool scalar. */
static int truth(const fy_value *v)
{
    return v->t && v->t->dtype == FERRY_DT_BOOL && v->t->count == 1 && *(const uint8_t *)v->t->data;
}

static ferry_status k_loop(fy_kernel_ctx *ctx)
{
    fy_run *run = ctx->runtime;
    const fy_loop *loop = run->rt->loops ? run->rt->loops[ctx->node - run->rt->graph.nodes] : NULL;
    if (!loop)
        return fy_kernel_fail(ctx, FERRY_ERR_INTERNAL, "the loop was not prepared");
    int nv = loop->vars, n = nv + loop->invariants;
    fy_value *cur = calloc((size_t)n + 1, sizeof(fy_value)), *next = calloc((size_t)nv + 1, sizeof(fy_value));
    if (!cur || !next) {
        free(cur);
        free(next);
        return fy_kernel_fail(ctx, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    }
    for (int i = 0; i < n; i++)
        cur[i] = (fy_value){ .t = ctx->inputs[i].t, .var = ctx->inputs[i].var };
    ferry_status st = FERRY_OK;
    for (;;) {
        fy_value pred = { 0 };
        st = fy_plan_exec(loop->cond, run, cur, 0, &pred, ctx->err);
        int go = !st && truth(&pred);
        fy_value_release(&pred);
        if (!go)
            break;
        st = fy_plan_exec(loop->body, run, cur, 1, next, ctx->err);
        fy_values_disown(cur, n);
        if (st)
            break;
        fy_values_advance(cur, next, nv);
    }
    for (int i = 0; i < nv; i++) {
        if (!st)
            ctx->outputs[i] = cur[i];
        else
            fy_value_release(&cur[i]);
    }
    free(cur);
    free(next);
    return st ? fy_error_prefix(ctx->err, "node '%s' (loop)", ctx->node->name) : FERRY_OK;
}

const fy_op_def fy_loop_ops[] = {
    { .name = "_FerryLoop", .run = k_loop, .traits = FY_OP_INTERNAL | FY_OP_DYNAMIC_SHAPE },
    { .name = NULL },
};
