#include "runtime/functions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/file.h"
#include "runtime/cells.h"

/* Function calls nested deeper than this (a While in an If in...) are refused. */
#define MAX_NESTING 32

static const Tensorflow__FunctionDef *find_function(const fy_runtime *rt, const char *name)
{
    const Tensorflow__FunctionDefLibrary *lib = rt->source ? rt->source->library : NULL;
    for (size_t i = 0; lib && i < lib->n_function; i++)
        if (!strcmp(lib->function[i]->signature->name, name))
            return lib->function[i];
    return NULL;
}

static char *keep(fy_function *f, char *s)
{
    if (s)
        f->strings[f->string_count++] = s;
    return s;
}

static void function_free(fy_function *f)
{
    if (!f)
        return;
    function_free(f->hoisted);
    free(f->hoists);
    fy_plan_free(f->plan);
    fy_functions_clear(&f->rt);
    fy_runtime_clear(&f->rt);
    for (size_t i = 0; i < f->string_count; i++)
        free(f->strings[i]);
    free(f->strings);
    free(f->nodes);
    free(f->node_ptrs);
    free(f);
}

fy_edge fy_function_arg(const fy_graph *g, int i)
{
    char name[32];
    snprintf(name, sizeof(name), "__arg_%d", i);
    return (fy_edge){ fy_graph_find(g, name), 0 };
}

fy_edge fy_function_result(const fy_graph *g, int i)
{
    char name[32];
    snprintf(name, sizeof(name), "__call:%d", i);
    fy_edge e = { -1, -1 };
    return fy_graph_tensor(&e, g, name, NULL) ? (fy_edge){ -1, -1 } : e;
}

/* Builds "__arg_0..n -> name(...)" and prepares it. With `hoist` (a While
 * body), only the version with products hoisted out of the loop, and *out
 * NULL when there are none. */
static ferry_status function_new(fy_function **out, fy_runtime *parent, const char *name, int hoist,
                                 ferry_error **err)
{
    *out = NULL;
    const Tensorflow__FunctionDef *def = find_function(parent, name);
    if (!def)
        return fy_fail(err, FERRY_ERR_CORRUPT, "%s: control flow calls function '%s', which the library lacks",
                       parent->what, name);
    if (parent->depth >= MAX_NESTING)
        return fy_fail(err, FERRY_ERR_UNSUPPORTED, "%s: control flow nests deeper than %d", parent->what, MAX_NESTING);
    int args = (int)def->signature->n_input_arg, results = (int)def->signature->n_output_arg;
    fy_function *f = calloc(1, sizeof(*f));
    size_t strings = (size_t)args * 3 + (size_t)results + 4;
    if (!f || !(f->strings = calloc(strings, sizeof(char *))) ||
        !(f->nodes = calloc((size_t)args + 1, sizeof(Tensorflow__NodeDef))) ||
        !(f->node_ptrs = calloc((size_t)args + 1, sizeof(Tensorflow__NodeDef *)))) {
        function_free(f);
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    }
    f->arg_count = args;
    f->result_count = results;
    ferry_status st = FERRY_OK;
    Tensorflow__NodeDef *call = &f->nodes[args];
    tensorflow__node_def__init(call);
    call->name = keep(f, fy_strdup("__call"));
    call->op = (char *)name;
    call->input = (char **)keep(f, calloc((size_t)args + 1, sizeof(char *)));
    if (!call->name || !call->input)
        st = fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    for (int i = 0; !st && i < args; i++) {
        Tensorflow__NodeDef *a = &f->nodes[i];
        tensorflow__node_def__init(a);
        a->name = keep(f, fy_sprintf("__arg_%d", i));
        a->op = "Placeholder";
        call->input[i] = a->name;
        f->node_ptrs[i] = a;
        if (!a->name)
            st = fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    }
    call->n_input = (size_t)args;
    f->node_ptrs[args] = call;
    tensorflow__graph_def__init(&f->graph);
    f->graph.node = f->node_ptrs;
    f->graph.n_node = (size_t)args + 1;
    f->graph.library = parent->source->library;
    if (!st)
        st = fy_runtime_init(&f->rt, &f->graph, parent->op_list, parent->what, &parent->config, err);
    f->rt.depth = parent->depth + 1;
    f->rt.model_dir = parent->model_dir;
    f->rt.pool = parent->pool;
    if (!st && hoist && (st = fy_hoist_find(&f->rt, args, &f->hoists, &f->hoist_count, err)) == FERRY_OK &&
        !f->hoist_count) {
        function_free(f);
        return FERRY_OK;
    }
    if (!st)
        st = fy_cells_fuse(&f->rt, results, err);
    const char **feeds = calloc((size_t)args + 1, sizeof(char *));
    const char **fetches = calloc((size_t)results + 1, sizeof(char *));
    if (!st && (!feeds || !fetches))
        st = fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    for (int i = 0; !st && i < args; i++)
        if (!(feeds[i] = keep(f, fy_sprintf("__arg_%d:0", i))))
            st = fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    for (int i = 0; !st && i < results; i++)
        if (!(fetches[i] = keep(f, fy_sprintf("__call:%d", i))))
            st = fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    if (!st)
        st = fy_plan_build(&f->plan, &f->rt, feeds, args, fetches, results, NULL, 0, err);
    free(feeds);
    free(fetches);
    if (st) {
        fy_error_prefix(err, "function '%s'", name);
        function_free(f);
        return st;
    }
    *out = f;
    return FERRY_OK;
}

/* The func attrs a control-flow op calls, in the order its kernel expects. */
static int called_functions(const fy_node *n, const char **names, int cap)
{
    static const char *const single[] = { "cond", "body", "then_branch", "else_branch" };
    int count = 0;
    for (size_t i = 0; i < sizeof(single) / sizeof(single[0]) && count < cap; i++) {
        const Tensorflow__AttrValue *v = fy_node_attr(n, single[i]);
        if (v && v->value_case == TENSORFLOW__ATTR_VALUE__VALUE_FUNC)
            names[count++] = v->func->name;
    }
    const Tensorflow__AttrValue *branches = fy_node_attr(n, "branches");
    if (branches && branches->value_case == TENSORFLOW__ATTR_VALUE__VALUE_LIST)
        for (size_t i = 0; i < branches->list->n_func && count < cap; i++)
            names[count++] = branches->list->func[i]->name;
    return count;
}

/* For a While loop (cond, body) whose condition and body write no state:
 * the body with products hoisted, when it has some and the condition reads
 * none of their lists. A version that cannot be prepared is only an
 * optimization missed: the loop keeps its body as written (running out of
 * memory still fails). */
static ferry_status prepare_hoisted(fy_runtime *rt, int node, fy_function **fns, int count, ferry_error **err)
{
    const char *op = rt->graph.nodes[node].op;
    if ((strcmp(op, "While") != 0 && strcmp(op, "StatelessWhile") != 0) || count != 2 ||
        ((fns[0]->plan->state | fns[1]->plan->state) & FY_OP_WRITES_STATE))
        return FERRY_OK;
    const Tensorflow__AttrValue *body = fy_node_attr(&rt->graph.nodes[node], "body");
    fy_function *hoisted = NULL;
    ferry_error *missed = NULL;
    ferry_status st = function_new(&hoisted, rt, body->func->name, 1, &missed);
    ferry_error_free(missed);
    if (st)
        return st == FERRY_ERR_OUT_OF_MEMORY ? fy_fail(err, st, "out of memory") : FERRY_OK;
    for (int i = 0; hoisted && i < hoisted->hoist_count; i++)
        if (fy_hoist_arg_is_read(&fns[0]->rt.graph, hoisted->hoists[i].list_arg)) {
            function_free(hoisted);
            hoisted = NULL;
        }
    fns[1]->hoisted = hoisted;
    return FERRY_OK;
}

#define MAX_BRANCHES 256

ferry_status fy_functions_prepare(fy_runtime *rt, int node, unsigned *state, ferry_error **err)
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
    int count = called_functions(&rt->graph.nodes[node], names, MAX_BRANCHES);
    fy_function **fns = calloc((size_t)count + 1, sizeof(fy_function *));
    if (!fns)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    unsigned flags = 0;
    for (int i = 0; i < count; i++) {
        ferry_status st = function_new(&fns[i], rt, names[i], 0, err);
        if (st) {
            for (int k = 0; k < i; k++)
                function_free(fns[k]);
            free(fns);
            return fy_error_prefix(err, "node '%s' (%s)", rt->graph.nodes[node].name, rt->graph.nodes[node].op);
        }
        flags |= fns[i]->plan->state;
    }
    ferry_status st = prepare_hoisted(rt, node, fns, count, err);
    if (st) {
        for (int k = 0; k < count; k++)
            function_free(fns[k]);
        free(fns);
        return fy_error_prefix(err, "node '%s' (%s)", rt->graph.nodes[node].name, rt->graph.nodes[node].op);
    }
    rt->functions[node] = fns;
    rt->node_state[node] = flags;
    *state = flags;
    return FERRY_OK;
}

void fy_functions_clear(fy_runtime *rt)
{
    for (int i = 0; rt->functions && i < rt->graph.node_count; i++) {
        for (fy_function **f = rt->functions[i]; f && *f; f++)
            function_free(*f);
        free(rt->functions[i]);
    }
    free(rt->functions);
    free(rt->node_state);
    rt->functions = NULL;
    rt->node_state = NULL;
}
