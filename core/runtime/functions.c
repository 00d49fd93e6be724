#include "runtime/functions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/file.h"

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

void fy_function_free(fy_function *f)
{
    if (!f)
        return;
    fy_function_free(f->hoisted);
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

ferry_status fy_function_open(fy_function **out, fy_runtime *parent, const char *name, ferry_error **err)
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
        fy_function_free(f);
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
    if (st) {
        fy_error_prefix(err, "function '%s'", name);
        fy_function_free(f);
        return st;
    }
    *out = f;
    return FERRY_OK;
}

/* The func attrs a control-flow op calls, in the order its kernel expects. */
int fy_function_calls(const fy_node *n, const char **names, int cap)
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

void fy_functions_clear(fy_runtime *rt)
{
    for (int i = 0; rt->functions && i < rt->graph.node_count; i++) {
        for (fy_function **f = rt->functions[i]; f && *f; f++)
            fy_function_free(*f);
        free(rt->functions[i]);
    }
    free(rt->functions);
    free(rt->node_state);
    rt->functions = NULL;
    rt->node_state = NULL;
}
