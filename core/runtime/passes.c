/* The pass pipeline. Everything between importing a graph and running it
 * happens here, in the order these tables give:
 *
 * Stage 1, graph rewrites, once per runtime (the model's, and each
 * function's that control flow calls). Each makes real nodes with
 * attributes (internal ops, kernels/fused_internal.c, lstm_cell.c, ...)
 * in place of the nodes it absorbs; a plan fed one of those runs the nodes
 * as written (plan.c). Whole-graph passes run as a step; rules are called
 * per node of the ops they name, each node after what it reads.
 *
 * Stage 2, per plan: its order and slots (plan.c), then the analyses in
 * `plan_analyses` order, then the functions its control-flow steps call.
 *
 * Function bodies also go through `body_passes` first, and a While body
 * whose list products can be made before the loop gets a second, hoisted
 * version (hoist.c). */
#include "runtime/passes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/error.h"
#include "base/file.h"
#include "runtime/cells.h"
#include "runtime/fold.h"
#include "runtime/functions.h"
#include "runtime/hoist.h"
#include "runtime/loops.h"
#include "runtime/prepack.h"
#include "runtime/rewrite.h"

/* ---- stage 1: rewrites ------------------------------------------------- */

typedef struct pass {
    const char *what;
    ferry_status (*run)(fy_rewrite *r); /* a whole-graph pass, or NULL: */
    const fy_rule *rules;               /* rules by op, ending with { NULL } */
} pass;

static ferry_status make_plan(fy_plan **out, fy_runtime *rt, const char *const *feeds, int feed_count,
                              const char *const *fetches, int fetch_count, ferry_error **err)
{
    return fy_passes_plan(out, rt, feeds, feed_count, fetches, fetch_count, NULL, 0, err);
}

static ferry_status lower_loops(fy_rewrite *r)
{
    return fy_loops_lower(r->rt, make_plan, r->err);
}

static const fy_rule pad_rules[] = {
    { "Pad", fy_rule_absorb_pad },
    { "PadV2", fy_rule_absorb_pad },
    { NULL, NULL },
};

static const fy_rule chain_rules[] = {
    { "Mul", fy_rule_fuse_chain },     { "Add", fy_rule_fuse_chain },  { "AddV2", fy_rule_fuse_chain },
    { "Sub", fy_rule_fuse_chain },     { "BiasAdd", fy_rule_fuse_chain }, { "Relu", fy_rule_fuse_chain },
    { "Relu6", fy_rule_fuse_chain },   { NULL, NULL },
};

static const pass graph_passes[] = {
    { "TF1 loops lowered to loop ops (loops.c)", lower_loops, NULL },
    { "zero pads taken by the convolutions after them (rewrite_pads.c)", NULL, pad_rules },
    { "per-channel chains fused into one pass (rewrite_chains.c)", NULL, chain_rules },
};

static ferry_status lstm_cells(fy_rewrite *r);

static const pass body_passes[] = {
    { "Keras LSTM cells as one kernel (cells.c)", lstm_cells, NULL },
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* The results of a function's graph count as readers of what they return. */
static ferry_status lstm_cells(fy_rewrite *r)
{
    return fy_cells_fuse(r->rt, r->results, r->err);
}

static ferry_status run_rules(fy_rewrite *r, const fy_rule *rules)
{
    fy_graph *g = &r->rt->graph;
    ferry_status st = fy_graph_infer_shapes(&r->shapes, r->rt, r->err);
    r->absorbed = st ? NULL : calloc((size_t)g->node_count + 1, 1);
    if (!st && !r->absorbed)
        st = fy_fail(r->err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    for (int k = 0; !st && k < r->shapes.order_count; k++) {
        int node = r->shapes.order[k];
        if (r->absorbed[node])
            continue;
        for (const fy_rule *rule = rules; !st && rule->op; rule++)
            if (!strcmp(g->nodes[node].op, rule->op))
                st = rule->fn(r, node);
    }
    fy_graph_shapes_clear(&r->shapes);
    free(r->absorbed);
    r->absorbed = NULL;
    return st;
}

static ferry_status run_passes(fy_runtime *rt, const pass *passes, size_t count, int results, ferry_error **err)
{
    fy_rewrite r = { rt, { 0 }, NULL, results, err };
    ferry_status st = FERRY_OK;
    for (size_t i = 0; !st && i < count; i++)
        st = passes[i].run ? passes[i].run(&r) : run_rules(&r, passes[i].rules);
    return st;
}

static void clear_prepared(fy_runtime *rt);

ferry_status fy_passes_rewrite(fy_runtime *rt, ferry_error **err)
{
    rt->clear_prepared = clear_prepared;
    return run_passes(rt, graph_passes, COUNT(graph_passes), 0, err);
}

const char *const *fy_pass_rule_ops(size_t *count)
{
    static const char *ops[64];
    static size_t n;
    if (!n)
        for (size_t i = 0; i < COUNT(graph_passes); i++)
            for (const fy_rule *r = graph_passes[i].rules; r && r->op && n < COUNT(ops); r++)
                ops[n++] = r->op;
    *count = n;
    return ops;
}

/* ---- the helpers rules share (rewrite.h) ------------------------------- */

const fy_shape *fy_rewrite_shape(const fy_rewrite *r, fy_edge e)
{
    while (e.node >= r->shapes.node_count && r->rt->graph.nodes[e.node].replaces >= 0)
        e.node = r->rt->graph.nodes[e.node].replaces;
    return fy_graph_shape(&r->shapes, e);
}

int fy_rewrite_sole_reader(const fy_rewrite *r, fy_edge e, int *input)
{
    const fy_graph *g = &r->rt->graph;
    int node = -1;
    if (e.node < 0 || g->waiters[e.node] || fy_graph_readers(g, e, &node, input, 1) != 1)
        return -1;
    return node;
}

const ferry_tensor *fy_rewrite_constant(const fy_rewrite *r, fy_edge e)
{
    return e.node >= 0 && e.index == 0 && r->rt->constants ? r->rt->constants[e.node] : NULL;
}

int fy_rewrite_takeable(const fy_rewrite *r, int node)
{
    const fy_node *n = &r->rt->graph.nodes[node];
    return r->rt->ops[node] && !n->broken && !n->inlined_call && n->control_count == 0 && n->output_count == 1 &&
           (node >= r->shapes.node_count || !r->absorbed[node]);
}

Tensorflow__NodeDef *fy_rewrite_def(fy_rewrite *r, const char *base, const char *op, const Tensorflow__NodeDef *like)
{
    fy_graph *g = &r->rt->graph;
    char name[512];
    for (int k = 0; k < 1000; k++) {
        snprintf(name, sizeof(name), k ? "%s/%s_%d" : "%s/%s", base, op, k);
        if (fy_graph_find(g, name) < 0)
            return fy_graph_new_def(g, name, op, like);
    }
    return NULL;
}

ferry_status fy_rewrite_emit(fy_rewrite *r, Tensorflow__NodeDef *def, const fy_edge *inputs, int input_count,
                             int replaced, const int *absorbed, int absorbed_count)
{
    fy_graph *g = &r->rt->graph;
    const fy_op_def *op = fy_internal_op(def->op);
    int node = -1;
    if (!op)
        return fy_fail(r->err, FERRY_ERR_INTERNAL, "a rewrite made op %s, which the registry lacks", def->op);
    ferry_status st = fy_runtime_add_node(r->rt, def, op, inputs, input_count, g->nodes[replaced].output_count,
                                          &node, r->err);
    if (!st)
        st = fy_graph_replace(g, replaced, node, r->err);
    if (!st)
        st = fy_graph_absorb(g, node, absorbed, absorbed_count, r->err);
    for (int i = 0; !st && i < absorbed_count; i++)
        if (absorbed[i] < r->shapes.node_count)
            r->absorbed[absorbed[i]] = 1;
    return st;
}

/* ---- stage 2: plans ---------------------------------------------------- */

/* Static shapes: contradictions refuse the plan before any run. */
static ferry_status check_shapes(fy_plan *p, fy_runtime *rt, ferry_error **err)
{
    fy_shape *shapes = malloc(((size_t)p->slot_count + 1) * sizeof(fy_shape));
    if (!shapes)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    ferry_status st = fy_plan_infer_shapes(p, rt, shapes, err);
    free(shapes);
    return st;
}

static ferry_status lifetimes(fy_plan *p, fy_runtime *rt, ferry_error **err)
{
    return fy_plan_lifetimes(p, rt, err);
}

static ferry_status memory_plan(fy_plan *p, fy_runtime *rt, ferry_error **err)
{
    (void)rt;
    p->arena = fy_arena_new();
    return p->arena ? FERRY_OK : fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
}

static ferry_status prepack(fy_plan *p, fy_runtime *rt, ferry_error **err)
{
    (void)err;
    fy_plan_prepack(p, rt);
    return FERRY_OK;
}

static ferry_status prepare_functions(fy_plan *p, fy_runtime *rt, ferry_error **err);

static ferry_status (*const plan_analyses[])(fy_plan *p, fy_runtime *rt, ferry_error **err) = {
    fy_plan_fold,      /* constant-only steps run now and leave the order */
    check_shapes,      /* static shapes; contradictions refuse the plan */
    lifetimes,         /* the last step reading each slot, and each step's input slots */
    memory_plan,       /* the arena that lays out a run's memory per feed shapes */
    prepack,           /* weights the products read, packed once */
    prepare_functions, /* what its control-flow steps call, through both stages */
};

ferry_status fy_passes_plan(fy_plan **out, fy_runtime *rt, const char *const *feeds, int feed_count,
                            const char *const *fetches, int fetch_count, const char *const *targets, int target_count,
                            ferry_error **err)
{
    fy_plan *p = NULL;
    ferry_status st = fy_plan_build(&p, rt, feeds, feed_count, fetches, fetch_count, targets, target_count, err);
    for (size_t i = 0; !st && i < COUNT(plan_analyses); i++)
        st = plan_analyses[i](p, rt, err);
    if (st) {
        fy_plan_free(p);
        return st;
    }
    *out = p;
    return FERRY_OK;
}

/* ---- functions called by control flow ---------------------------------- */

/* Opens function `name` of rt's library and takes it through both stages;
 * with `hoist` (a While body), only the version with products hoisted out
 * of the loop, and *out NULL when there are none. */
static ferry_status function_prepare(fy_function **out, fy_runtime *rt, const char *name, int hoist,
                                     ferry_error **err)
{
    fy_function *f = NULL;
    ferry_status st = fy_function_open(&f, rt, name, err);
    if (st)
        return st;
    *out = NULL;
    f->rt.clear_prepared = clear_prepared;
    if (hoist && (st = fy_hoist_find(&f->rt, f->arg_count, &f->hoists, &f->hoist_count, err)) == FERRY_OK &&
        !f->hoist_count) {
        fy_function_free(f);
        return FERRY_OK;
    }
    if (!st)
        st = run_passes(&f->rt, body_passes, COUNT(body_passes), f->result_count, err);
    if (!st)
        st = fy_passes_rewrite(&f->rt, err);
    char **names = calloc((size_t)(f->arg_count + f->result_count) + 1, sizeof(char *));
    if (!st && !names)
        st = fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    for (int i = 0; !st && i < f->arg_count + f->result_count; i++) {
        names[i] = i < f->arg_count ? fy_sprintf("__arg_%d:0", i) : fy_sprintf("__call:%d", i - f->arg_count);
        if (!names[i])
            st = fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    }
    if (!st)
        st = fy_passes_plan(&f->plan, &f->rt, (const char *const *)names, f->arg_count,
                            (const char *const *)names + f->arg_count, f->result_count, NULL, 0, err);
    for (int i = 0; names && i < f->arg_count + f->result_count; i++)
        free(names[i]);
    free(names);
    if (st) {
        fy_error_prefix(err, "function '%s'", name);
        fy_function_free(f);
        return st;
    }
    *out = f;
    return FERRY_OK;
}

/* For a While loop (cond, body) whose condition and body write no state:
 * the body with products hoisted, when it has some and the condition reads
 * none of their lists. A version that cannot be prepared is only an
 * optimization missed: the loop keeps its body as written (running out of
 * memory still fails). */
static ferry_status prepare_hoisted(fy_runtime *rt, int node, fy_function **fns, int count, ferry_error **err)
{
    const fy_node *n = &rt->graph.nodes[node];
    const Tensorflow__AttrValue *body = fy_node_attr(n, "body");
    if (!body || body->value_case != TENSORFLOW__ATTR_VALUE__VALUE_FUNC || count != 2 ||
        ((fns[0]->plan->state | fns[1]->plan->state) & FY_OP_WRITES_STATE))
        return FERRY_OK;
    fy_function *hoisted = NULL;
    ferry_error *missed = NULL;
    ferry_status st = function_prepare(&hoisted, rt, body->func->name, 1, &missed);
    ferry_error_free(missed);
    if (st)
        return st == FERRY_ERR_OUT_OF_MEMORY ? fy_fail(err, st, "out of memory") : FERRY_OK;
    for (int i = 0; hoisted && i < hoisted->hoist_count; i++)
        if (fy_hoist_arg_is_read(&fns[0]->rt.graph, hoisted->hoists[i].list_arg)) {
            fy_function_free(hoisted);
            hoisted = NULL;
        }
    fns[1]->hoisted = hoisted;
    return FERRY_OK;
}

#define MAX_BRANCHES 256

/* As TensorFlow: a While's cond takes its loop variables and gives one
 * value; its body takes them and gives as many back. */
static ferry_status check_loop_functions(const fy_node *n, const char *const *names, fy_function *const *fns, int count,
                                         ferry_error **err)
{
    int vars = n->input_count;
    if (count != 2)
        return fy_fail(err, FERRY_ERR_INVALID_ARGUMENT, "a While needs the functions cond and body");
    if (fns[0]->arg_count != vars || fns[0]->result_count != 1)
        return fy_fail(err, FERRY_ERR_INVALID_ARGUMENT, "cond '%s' takes %d values and gives %d, not %d and 1",
                       names[0], fns[0]->arg_count, fns[0]->result_count, vars);
    if (fns[1]->arg_count != vars || fns[1]->result_count != vars)
        return fy_fail(err, FERRY_ERR_INVALID_ARGUMENT, "body '%s' takes %d values and gives %d, not the %d loop "
                       "variables", names[1], fns[1]->arg_count, fns[1]->result_count, vars);
    return FERRY_OK;
}

/* The functions node `node` calls, prepared once; *state gets the state
 * traits their plans need. */
static ferry_status functions_of(fy_runtime *rt, int node, unsigned *state, ferry_error **err)
{
    if (!rt->functions) {
        rt->functions = calloc((size_t)rt->graph.node_count + 1, sizeof(fy_function **));
        rt->node_state = calloc((size_t)rt->graph.node_count + 1, sizeof(unsigned));
        if (!rt->functions || !rt->node_state)
            return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    }
    if (rt->functions[node]) {
        *state = rt->node_state[node];
        return FERRY_OK;
    }
    const char *names[MAX_BRANCHES];
    int count = fy_function_calls(&rt->graph.nodes[node], names, MAX_BRANCHES);
    fy_function **fns = calloc((size_t)count + 1, sizeof(fy_function *));
    if (!fns)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    unsigned traits = 0;
    ferry_status st = FERRY_OK;
    for (int i = 0; !st && i < count; i++) {
        st = function_prepare(&fns[i], rt, names[i], 0, err);
        if (!st)
            traits |= fns[i]->plan->state;
    }
    if (!st && (rt->ops[node]->traits & FY_OP_WHILE))
        st = check_loop_functions(&rt->graph.nodes[node], names, fns, count, err);
    if (!st && (rt->ops[node]->traits & FY_OP_WHILE))
        st = prepare_hoisted(rt, node, fns, count, err);
    if (st) {
        for (int k = 0; k < count; k++)
            fy_function_free(fns[k]);
        free(fns);
        return fy_error_prefix(err, "node '%s' (%s)", rt->graph.nodes[node].name, rt->graph.nodes[node].op);
    }
    rt->functions[node] = fns;
    rt->node_state[node] = traits;
    *state = traits;
    return FERRY_OK;
}

static ferry_status prepare_functions(fy_plan *p, fy_runtime *rt, ferry_error **err)
{
    ferry_status st = FERRY_OK;
    for (int i = 0; !st && i < p->order_count; i++) {
        const fy_op_def *d = rt->ops[p->order[i]];
        if (!d || !(d->traits & FY_OP_CALLS_FUNCTIONS))
            continue;
        unsigned nested = 0;
        pthread_mutex_lock(&rt->prepare_lock);
        st = functions_of(rt, p->order[i], &nested, err);
        pthread_mutex_unlock(&rt->prepare_lock);
        p->state |= nested;
    }
    return st;
}

static void clear_prepared(fy_runtime *rt)
{
    fy_functions_clear(rt);
    fy_loops_clear(rt);
}
