#include "graph/graph.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/file.h"
#include "format/tensor_proto.h"

/* Functions calling functions deeper than this are refused (and a function
 * that reaches itself always is). */
#define MAX_CALL_DEPTH 64

static fy_edge resolve(const fy_graph *g, fy_edge e);

typedef Tensorflow__FunctionDef FunctionDef;
typedef Tensorflow__NodeDef NodeDef;

/* Import-time context: lookups that are not needed after import. */
typedef struct importer {
    fy_graph *g;
    const fy_graph_source *src;
    fy_strmap opdefs;     /* op name -> OpDef */
    fy_strmap functions;  /* function name -> FunctionDef */
    int *depth;           /* call depth of each node (0 at top level) */
    int *caller;          /* the call node whose body holds each node, or -1 */
    const char **function_of; /* which function each node was instantiated from */
} importer;

const char *fy_graph_keep_string(fy_graph *g, char *s)
{
    if (!s)
        return NULL;
    if (g->string_count == g->string_cap) {
        size_t cap = g->string_cap ? g->string_cap * 2 : 64;
        char **grown = realloc(g->strings, cap * sizeof(char *));
        if (!grown) {
            free(s);
            return NULL;
        }
        g->strings = grown;
        g->string_cap = cap;
    }
    g->strings[g->string_count++] = s;
    return s;
}

/* Every shape a node's attrs carry (shape, list(shape), tensors' shapes)
 * must be one TensorFlow would build: see fy_shape_proto_check. */
static ferry_status check_attr_shapes(const importer *im, const char *name, const NodeDef *def, ferry_error **err)
{
    for (size_t a = 0; a < def->n_attr; a++) {
        const Tensorflow__AttrValue *v = def->attr[a]->value;
        if (!v)
            continue;
        const Tensorflow__AttrValue__ListValue *l = v->value_case == TENSORFLOW__ATTR_VALUE__VALUE_LIST ? v->list
                                                                                                         : NULL;
        size_t count = l ? l->n_shape + l->n_tensor : 1;
        for (size_t k = 0; k < count; k++) {
            const Tensorflow__TensorShapeProto *s = NULL;
            if (l)
                s = k < l->n_shape ? l->shape[k] : l->tensor[k - l->n_shape]->tensor_shape;
            else if (v->value_case == TENSORFLOW__ATTR_VALUE__VALUE_SHAPE)
                s = v->shape;
            else if (v->value_case == TENSORFLOW__ATTR_VALUE__VALUE_TENSOR && v->tensor)
                s = v->tensor->tensor_shape;
            if (fy_shape_proto_check(s, "", NULL)) {
                char what[1024];
                snprintf(what, sizeof(what), "%s: node '%s': attr '%s'", im->src->what, name, def->attr[a]->key);
                return fy_shape_proto_check(s, what, err);
            }
        }
    }
    return FERRY_OK;
}

static ferry_status add_node(importer *im, const char *name, const NodeDef *def, int caller,
                             const char *function, int *index, ferry_error **err)
{
    fy_graph *g = im->g;
    ferry_status st = check_attr_shapes(im, name, def, err);
    if (st)
        return st;
    if (g->node_count == g->node_cap) {
        int cap = g->node_cap ? g->node_cap * 2 : 64;
        fy_node *nodes = realloc(g->nodes, (size_t)cap * sizeof(fy_node));
        fy_edge **fwd = nodes ? realloc(g->forward, (size_t)cap * sizeof(fy_edge *)) : NULL;
        if (fwd)
            g->forward = fwd;
        if (nodes)
            g->nodes = nodes;
        int *depths = fwd ? realloc(im->depth, (size_t)cap * sizeof(int)) : NULL;
        if (depths)
            im->depth = depths;
        int *callers = depths ? realloc(im->caller, (size_t)cap * sizeof(int)) : NULL;
        if (callers)
            im->caller = callers;
        const char **fns = callers ? realloc(im->function_of, (size_t)cap * sizeof(char *)) : NULL;
        if (fns)
            im->function_of = fns;
        if (!fns)
            return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory importing %s", im->src->what);
        g->node_cap = cap;
    }
    if (fy_strmap_get(&g->by_name, name))
        return fy_fail(err, FERRY_ERR_CORRUPT, "%s: two nodes are named '%s'", im->src->what, name);
    int i = g->node_count;
    fy_node *n = &g->nodes[i];
    memset(n, 0, sizeof(*n));
    n->name = name;
    n->op = def->op ? def->op : "";
    n->def = def;
    n->opdef = fy_strmap_get(&im->opdefs, n->op);
    n->output_count = -1;
    n->replaces = -1;
    g->forward[i] = NULL;
    im->depth[i] = caller >= 0 ? im->depth[caller] + 1 : 0;
    im->caller[i] = caller;
    im->function_of[i] = function;
    if (!fy_strmap_put(&g->by_name, name, (void *)(intptr_t)(i + 1)))
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory importing %s", im->src->what);
    g->node_count++;
    *index = i;
    return FERRY_OK;
}

int fy_graph_find(const fy_graph *g, const char *name)
{
    return (int)(intptr_t)fy_strmap_get(&g->by_name, name) - 1;
}

const Tensorflow__AttrValue *fy_node_attr(const fy_node *n, const char *name)
{
    for (size_t i = 0; i < n->def->n_attr; i++)
        if (!strcmp(n->def->attr[i]->key, name) && n->def->attr[i]->value) /* no value: as if absent */
            return n->def->attr[i]->value;
    if (n->opdef)
        for (size_t i = 0; i < n->opdef->n_attr; i++)
            if (!strcmp(n->opdef->attr[i]->name, name))
                return n->opdef->attr[i]->default_value;
    return NULL;
}

/* Tensors one output argument yields, given the node's attrs. */
static int arg_count(const fy_node *n, const Tensorflow__OpDef__ArgDef *arg)
{
    if (arg->number_attr && arg->number_attr[0]) {
        const Tensorflow__AttrValue *v = fy_node_attr(n, arg->number_attr);
        return v && v->value_case == TENSORFLOW__ATTR_VALUE__VALUE_I ? (int)v->i : -1;
    }
    if (arg->type_list_attr && arg->type_list_attr[0]) {
        const Tensorflow__AttrValue *v = fy_node_attr(n, arg->type_list_attr);
        return v && v->value_case == TENSORFLOW__ATTR_VALUE__VALUE_LIST ? (int)v->list->n_type : -1;
    }
    return 1;
}

/* Output arguments of a node: from its OpDef, or a called function's signature. */
static const Tensorflow__OpDef *output_signature(const importer *im, const fy_node *n)
{
    if (n->opdef)
        return n->opdef;
    const FunctionDef *f = fy_strmap_get(&im->functions, n->op);
    return f ? f->signature : NULL;
}

static int is_call_op(const char *op)
{
    return !strcmp(op, "PartitionedCall") || !strcmp(op, "StatefulPartitionedCall");
}

/* A call op's one output argument, "output", has an element per Tout type. */
static int call_outputs(const fy_node *n)
{
    const Tensorflow__AttrValue *v = fy_node_attr(n, "Tout");
    return v && v->value_case == TENSORFLOW__ATTR_VALUE__VALUE_LIST ? (int)v->list->n_type : -1;
}

static int flat_output_index(const importer *im, const fy_node *n, const char *arg, int index)
{
    const Tensorflow__OpDef *sig = output_signature(im, n);
    if (!sig && is_call_op(n->op))
        return !strcmp(arg, "output") && index < call_outputs(n) ? index : -1;
    if (!sig)
        return im->src->output_index ? im->src->output_index(n->def, arg, index) : -1;
    int flat = 0;
    for (size_t i = 0; i < sig->n_output_arg; i++) {
        int count = arg_count(n, sig->output_arg[i]);
        if (count < 0)
            return -1;
        if (!strcmp(sig->output_arg[i]->name, arg))
            return index < count ? flat + index : -1;
        flat += count;
    }
    return -1;
}

static int output_total(const importer *im, const fy_node *n)
{
    const Tensorflow__OpDef *sig = output_signature(im, n);
    if (!sig && is_call_op(n->op))
        return call_outputs(n);
    if (!sig)
        return -1;
    int total = 0;
    for (size_t i = 0; i < sig->n_output_arg; i++) {
        int count = arg_count(n, sig->output_arg[i]);
        if (count < 0)
            return -1;
        total += count;
    }
    return total;
}

static ferry_status push_input(fy_node *n, fy_edge e, ferry_error **err)
{
    fy_edge *in = realloc(n->inputs, (size_t)(n->input_count + 1) * sizeof(fy_edge));
    if (!in)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    n->inputs = in;
    n->inputs[n->input_count++] = e;
    return FERRY_OK;
}

static ferry_status push_control(fy_node *n, int node, ferry_error **err)
{
    int *c = realloc(n->controls, (size_t)(n->control_count + 1) * sizeof(int));
    if (!c)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    n->controls = c;
    n->controls[n->control_count++] = node;
    return FERRY_OK;
}

/* Splits "a:b:c" in place into at most three parts; returns how many. */
static int split_colons(char *s, char **parts)
{
    int n = 0;
    parts[n++] = s;
    for (char *p = s; *p && n < 3; p++)
        if (*p == ':') {
            *p = '\0';
            parts[n++] = p + 1;
        }
    return n;
}

static int parse_index(const char *s, int *out)
{
    if (!*s)
        return 0;
    long v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9' || v > 1000000)
            return 0;
        v = v * 10 + (*p - '0');
    }
    *out = (int)v;
    return 1;
}

/* Top-level GraphDef input syntax: "node", "node:k", "^node". */
static ferry_status resolve_graph_inputs(importer *im, int i, ferry_error **err)
{
    fy_graph *g = im->g;
    const NodeDef *def = g->nodes[i].def;
    for (size_t k = 0; k < def->n_input; k++) {
        const char *in = def->input[k];
        int control = in[0] == '^';
        char *copy = fy_strdup(control ? in + 1 : in);
        if (!copy)
            return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
        char *colon = strrchr(copy, ':');
        int index = 0;
        if (colon && parse_index(colon + 1, &index))
            *colon = '\0';
        int src = fy_graph_find(g, copy);
        ferry_status st = FERRY_OK;
        if (src < 0)
            st = fy_fail(err, FERRY_ERR_CORRUPT, "%s: node '%s' takes input '%s' from a node that does not exist",
                         im->src->what, g->nodes[i].name, in);
        else if (control)
            st = push_control(&g->nodes[i], src, err);
        else
            st = push_input(&g->nodes[i], (fy_edge){ src, index }, err);
        free(copy);
        if (st)
            return st;
    }
    return FERRY_OK;
}

typedef struct frame {
    const FunctionDef *f;
    const fy_edge *args;      /* caller's data inputs, one per input arg */
    fy_strmap local;          /* body node name -> graph index + 1 */
} frame;

/* Function body input syntax: "arg", "arg:0", "node:out_arg:i", "^node". */
static ferry_status resolve_body_input(importer *im, frame *fr, int i, const char *in, ferry_error **err)
{
    fy_graph *g = im->g;
    int control = in[0] == '^';
    char *copy = fy_strdup(control ? in + 1 : in);
    if (!copy)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    char *parts[3];
    int n = split_colons(copy, parts);
    ferry_status st = FERRY_OK;
    int local = (int)(intptr_t)fy_strmap_get(&fr->local, parts[0]) - 1;
    const Tensorflow__OpDef *sig = fr->f->signature;
    if (control) {
        if (local < 0)
            st = fy_fail(err, FERRY_ERR_CORRUPT, "%s: function '%s': node '%s' waits for unknown node '%s'",
                         im->src->what, sig->name, g->nodes[i].name, parts[0]);
        else
            st = push_control(&g->nodes[i], local, err);
    } else if (local >= 0 && n >= 2) {
        int index = 0, flat = -1;
        if (n == 3 && parse_index(parts[2], &index))
            flat = flat_output_index(im, &g->nodes[local], parts[1], index);
        else if (n == 2)
            flat = parse_index(parts[1], &index) ? index : flat_output_index(im, &g->nodes[local], parts[1], 0);
        if (flat < 0) {
            /* Unused functions (save functions...) may use ops Ferry does not
             * know; only a plan that runs this node fails. */
            g->nodes[i].broken = fy_graph_keep_string(
                g, fy_sprintf("function '%s': cannot resolve input '%s' of node '%s' (op %s has no known output '%s')",
                              sig->name, in, g->nodes[i].name, g->nodes[local].op, parts[1]));
            if (!g->nodes[i].broken)
                st = fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
            else
                st = push_input(&g->nodes[i], (fy_edge){ -1, -1 }, err);
        } else {
            st = push_input(&g->nodes[i], (fy_edge){ local, flat }, err);
        }
    } else {
        size_t a = 0;
        while (a < sig->n_input_arg && strcmp(sig->input_arg[a]->name, parts[0]) != 0)
            a++;
        if (a == sig->n_input_arg)
            st = fy_fail(err, FERRY_ERR_CORRUPT, "%s: function '%s': node '%s' takes unknown input '%s'",
                         im->src->what, sig->name, g->nodes[i].name, in);
        else
            st = push_input(&g->nodes[i], fr->args[a], err);
    }
    free(copy);
    return st;
}

static const char *call_target(const fy_node *n)
{
    if (is_call_op(n->op)) {
        const Tensorflow__AttrValue *f = fy_node_attr(n, "f");
        return f && f->value_case == TENSORFLOW__ATTR_VALUE__VALUE_FUNC ? f->func->name : NULL;
    }
    return n->op;
}

/* Replaces call node `c` by the body of function f; the call keeps only
 * forwards of its outputs and control edges to the body. */
static ferry_status inline_call(importer *im, int c, const FunctionDef *f, ferry_error **err)
{
    fy_graph *g = im->g;
    const Tensorflow__OpDef *sig = f->signature;
    if (im->depth[c] >= MAX_CALL_DEPTH)
        return fy_fail(err, FERRY_ERR_UNSUPPORTED, "%s: node '%s': functions call each other deeper than %d",
                       im->src->what, g->nodes[c].name, MAX_CALL_DEPTH);
    /* A function reached again from inside its own body never ends. */
    for (int a = c; a >= 0; a = im->caller[a])
        if (im->function_of[a] && !strcmp(im->function_of[a], sig->name))
            return fy_fail(err, FERRY_ERR_UNSUPPORTED, "%s: function '%s' calls itself", im->src->what, sig->name);
    if ((size_t)g->nodes[c].input_count != sig->n_input_arg)
        return fy_fail(err, FERRY_ERR_CORRUPT, "%s: node '%s' passes %d inputs to function '%s', which takes %zu",
                       im->src->what, g->nodes[c].name, g->nodes[c].input_count, sig->name, sig->n_input_arg);
    if (im->src->max_nodes > 0 && (int64_t)f->n_node_def > im->src->max_nodes - g->node_count)
        return fy_fail(err, FERRY_ERR_UNSUPPORTED,
                       "%s: node '%s': inlining function '%s' would make the graph more than %lld nodes "
                       "(ferry_model_options.max_graph_nodes)",
                       im->src->what, g->nodes[c].name, sig->name, (long long)im->src->max_nodes);
    frame fr = { f, NULL, { 0 } };
    fy_edge *args = g->nodes[c].inputs;
    fr.args = args;
    g->nodes[c].inputs = NULL;
    g->nodes[c].input_count = 0;
    g->nodes[c].inlined_call = 1;
    int first = g->node_count;
    ferry_status st = FERRY_OK;
    const char *prefix = g->nodes[c].name;
    for (size_t k = 0; !st && k < f->n_node_def; k++) {
        const NodeDef *b = f->node_def[k];
        const char *name = fy_graph_keep_string(g, fy_sprintf("%s/%s", prefix, b->name));
        int idx = -1;
        st = name ? add_node(im, name, b, c, sig->name, &idx, err)
                  : fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
        if (!st && !fy_strmap_put(&fr.local, b->name, (void *)(intptr_t)(idx + 1)))
            st = fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    }
    for (int k = first; !st && k < g->node_count; k++) {
        const NodeDef *b = g->nodes[k].def;
        for (size_t j = 0; !st && j < b->n_input; j++)
            st = resolve_body_input(im, &fr, k, b->input[j], err);
    }
    for (int k = first; !st && k < g->node_count; k++)
        g->nodes[k].output_count = output_total(im, &g->nodes[k]);
    /* Outputs: each output arg forwards to the body tensor its ret names. */
    if (!st) {
        g->forward[c] = calloc(sig->n_output_arg ? sig->n_output_arg : 1, sizeof(fy_edge));
        if (!g->forward[c])
            st = fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
        g->nodes[c].output_count = (int)sig->n_output_arg;
    }
    for (size_t k = 0; !st && k < sig->n_output_arg; k++) {
        const char *ret = NULL;
        for (size_t r = 0; r < f->n_ret; r++)
            if (!strcmp(f->ret[r]->key, sig->output_arg[k]->name))
                ret = f->ret[r]->value;
        if (!ret) {
            st = fy_fail(err, FERRY_ERR_CORRUPT, "%s: function '%s' returns nothing for output '%s'", im->src->what,
                         sig->name, sig->output_arg[k]->name);
            break;
        }
        /* Resolve through a scratch input on the call node, then move it. */
        st = resolve_body_input(im, &fr, c, ret, err);
        if (!st) {
            g->forward[c][k] = g->nodes[c].inputs[0];
            free(g->nodes[c].inputs);
            g->nodes[c].inputs = NULL;
            g->nodes[c].input_count = 0;
            /* An unresolvable result leaves the call broken (set above). */
            if (g->forward[c][k].node >= 0)
                st = push_control(&g->nodes[c], g->forward[c][k].node, err);
        }
    }
    for (size_t k = 0; !st && k < f->n_control_ret; k++) {
        int local = (int)(intptr_t)fy_strmap_get(&fr.local, f->control_ret[k]->value) - 1;
        if (local < 0)
            st = fy_fail(err, FERRY_ERR_CORRUPT, "%s: function '%s' has unknown control output '%s'",
                         im->src->what, sig->name, f->control_ret[k]->value);
        else
            st = push_control(&g->nodes[c], local, err);
    }
    fy_strmap_clear(&fr.local);
    free(args);
    return st;
}

ferry_status fy_graph_import(fy_graph *g, const fy_graph_source *src, ferry_error **err)
{
    memset(g, 0, sizeof(*g));
    importer im = { g, src, { 0 }, { 0 }, NULL, NULL, NULL };
    ferry_status st = FERRY_OK;
    for (size_t i = 0; src->op_list && i < src->op_list->n_op; i++)
        if (!fy_strmap_put(&im.opdefs, src->op_list->op[i]->name, src->op_list->op[i]))
            st = fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    const Tensorflow__FunctionDefLibrary *lib = src->graph->library;
    for (size_t i = 0; !st && lib && i < lib->n_function; i++) {
        const FunctionDef *f = lib->function[i];
        if (!f->signature || !f->signature->name)
            st = fy_fail(err, FERRY_ERR_CORRUPT, "%s: a library function has no name", src->what);
        else if (!fy_strmap_put(&im.functions, f->signature->name, (void *)f))
            st = fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    }
    for (size_t i = 0; !st && i < src->graph->n_node; i++) {
        int idx;
        const NodeDef *def = src->graph->node[i];
        if (!def->name || !def->name[0])
            st = fy_fail(err, FERRY_ERR_CORRUPT, "%s: node %zu has no name", src->what, i);
        else
            st = add_node(&im, def->name, def, -1, NULL, &idx, err);
    }
    for (int i = 0; !st && i < g->node_count; i++)
        st = resolve_graph_inputs(&im, i, err);
    for (int i = 0; !st && i < g->node_count; i++)
        g->nodes[i].output_count = output_total(&im, &g->nodes[i]);
    /* Inline calls; bodies appended to the list are visited in turn. */
    for (int i = 0; !st && i < g->node_count; i++) {
        const char *target = call_target(&g->nodes[i]);
        const FunctionDef *f = target ? fy_strmap_get(&im.functions, target) : NULL;
        if (f)
            st = inline_call(&im, i, f, err);
        else if (target && target != g->nodes[i].op)
            st = fy_fail(err, FERRY_ERR_CORRUPT, "%s: node '%s' calls function '%s', which the library lacks",
                         src->what, g->nodes[i].name, target);
    }
    /* Inputs read what inlined calls forward to, from here on, and a
     * forward leads straight to the tensor. */
    for (int i = 0; !st && i < g->node_count; i++)
        for (int k = 0; k < g->nodes[i].input_count; k++)
            g->nodes[i].inputs[k] = resolve(g, g->nodes[i].inputs[k]);
    fy_edge **direct = st ? NULL : calloc((size_t)g->node_count + 1, sizeof(fy_edge *));
    if (!st && !direct)
        st = fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    for (int i = 0; !st && i < g->node_count; i++) {
        if (!g->forward[i])
            continue;
        direct[i] = malloc(((size_t)g->nodes[i].output_count + 1) * sizeof(fy_edge));
        if (!direct[i])
            st = fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
        for (int k = 0; !st && k < g->nodes[i].output_count; k++)
            direct[i][k] = resolve(g, (fy_edge){ i, k });
    }
    for (int i = 0; direct && i < g->node_count; i++) {
        if (st) {
            free(direct[i]);
            continue;
        }
        free(g->forward[i]);
        g->forward[i] = direct[i];
    }
    free(direct);
    if (!st)
        st = fy_graph_index(g, err);
    fy_strmap_clear(&im.opdefs);
    fy_strmap_clear(&im.functions);
    free(im.depth);
    free(im.caller);
    free(im.function_of);
    if (st)
        fy_graph_clear(g);
    return st;
}

void fy_graph_clear(fy_graph *g)
{
    fy_graph_edits_clear(g);
    for (int i = 0; i < g->node_count; i++) {
        free(g->nodes[i].inputs);
        free(g->nodes[i].controls);
        free(g->forward[i]);
    }
    free(g->nodes);
    free(g->forward);
    for (size_t i = 0; i < g->string_count; i++)
        free(g->strings[i]);
    free(g->strings);
    fy_strmap_clear(&g->by_name);
    memset(g, 0, sizeof(*g));
}

static fy_edge resolve(const fy_graph *g, fy_edge e)
{
    if (e.node < 0)
        return e;
    for (int guard = 0; guard < 1000 && e.node >= 0 && g->forward[e.node]; guard++) {
        if (e.index < 0 || e.index >= g->nodes[e.node].output_count)
            return (fy_edge){ -1, -1 };
        e = g->forward[e.node][e.index];
    }
    return e;
}

ferry_status fy_graph_tensor(fy_edge *out, const fy_graph *g, const char *tensor_name, ferry_error **err)
{
    char *copy = fy_strdup(tensor_name);
    if (!copy)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    char *colon = strrchr(copy, ':');
    int index = 0;
    if (colon && parse_index(colon + 1, &index))
        *colon = '\0';
    int node = fy_graph_find(g, copy);
    free(copy);
    if (node < 0)
        return fy_fail(err, FERRY_ERR_NOT_FOUND, "no tensor '%s' in the graph (no node of that name)", tensor_name);
    const fy_node *n = &g->nodes[node];
    if (n->output_count >= 0 && index >= n->output_count)
        return fy_fail(err, FERRY_ERR_NOT_FOUND, "no tensor '%s': node '%s' (%s) has %d outputs", tensor_name,
                       n->name, n->op, n->output_count);
    fy_edge e = resolve(g, (fy_edge){ node, index });
    if (e.node < 0)
        return fy_fail(err, FERRY_ERR_NOT_FOUND, "no tensor '%s'", tensor_name);
    *out = e;
    return FERRY_OK;
}
