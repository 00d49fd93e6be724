/* Restoring variables at load. The saver's restore op says which checkpoint
 * key feeds which variable (Assign(var, RestoreV2(...)[k])); reading that
 * wiring, rather than running it, handles TF1 savers (renamed, partial,
 * sharded) and TF2 restore functions alike. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/file.h"
#include "base/tensor.h"
#include "format/checkpoint.h"
#include "format/proto_depth.h"
#include "runtime/restore.h"

typedef struct binding {
    const char *key;     /* checkpoint entry, or NULL to leave the variable alone */
    const char *slice;   /* "" or a TF1 slice spec */
} binding;

/* Follows Identity-like nodes back to the tensor's origin. */
static fy_edge origin(const fy_runtime *rt, fy_edge e)
{
    const fy_graph *g = &rt->graph;
    for (int guard = 0; guard < 64 && e.node >= 0; guard++) {
        const fy_node *n = &g->nodes[e.node];
        if (strcmp(n->op, "Identity") != 0 || n->input_count < 1)
            break;
        e = n->inputs[0];
    }
    return e;
}

/* Element i of a string constant feeding input `k` of node `n`, in *out;
 * NULL there when the input is no such constant. Fails only for memory. */
static ferry_status const_string(const char **out, const fy_runtime *rt, const fy_node *n, int k, int64_t i)
{
    *out = NULL;
    if (n->input_count <= k)
        return FERRY_OK;
    fy_edge e = origin(rt, n->inputs[k]);
    const ferry_tensor *t = e.node >= 0 ? rt->constants[e.node] : NULL;
    if (!t || t->dtype != FERRY_DT_STRING || i >= t->count)
        return FERRY_OK;
    const ferry_string *s = t->data;
    /* Constants own their string bytes; make them C strings in a copy. */
    char *copy = malloc(s[i].size + 1);
    if (copy) {
        memcpy(copy, s[i].data, s[i].size);
        copy[s[i].size] = '\0';
    }
    *out = fy_graph_keep_string((fy_graph *)&rt->graph, copy);
    return *out ? FERRY_OK : FERRY_ERR_OUT_OF_MEMORY;
}

static int is_assign(const char *op)
{
    return !strcmp(op, "Assign") || !strcmp(op, "AssignVariableOp");
}

/* Walks back from the restore op and binds each assigned variable. */
static ferry_status read_saver_wiring(binding *b, const fy_runtime *rt, int restore_node, ferry_error **err)
{
    const fy_graph *g = &rt->graph;
    unsigned char *seen = calloc((size_t)g->node_count + 1, 1);
    int *stack = malloc(((size_t)g->node_count + 1) * sizeof(int));
    if (!seen || !stack) {
        free(seen);
        free(stack);
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    }
    int top = 0;
    stack[top++] = restore_node;
    seen[restore_node] = 1;
    while (top > 0) {
        const fy_node *n = &g->nodes[stack[--top]];
        if (is_assign(n->op) && n->input_count >= 2) {
            fy_edge var_edge = origin(rt, n->inputs[0]);
            fy_edge value = origin(rt, n->inputs[1]);
            fy_variable *var = var_edge.node >= 0 ? rt->var_of_node[var_edge.node] : NULL;
            const fy_node *src = value.node >= 0 ? &g->nodes[value.node] : NULL;
            if (var && src && (!strcmp(src->op, "RestoreV2") || !strcmp(src->op, "RestoreSlice"))) {
                int v1 = !strcmp(src->op, "RestoreSlice");
                binding *bind = &b[var - rt->vars];
                ferry_status st = const_string(&bind->key, rt, src, 1, v1 ? 0 : value.index);
                if (!st)
                    st = const_string(&bind->slice, rt, src, 2, v1 ? 0 : value.index);
                if (st || !bind->key || !bind->slice) {
                    free(seen);
                    free(stack);
                    if (st)
                        return fy_fail(err, st, "out of memory");
                    return fy_fail(err, FERRY_ERR_UNSUPPORTED, "%s: cannot tell which checkpoint entry %s '%s' restores",
                                   rt->what, src->op, src->name);
                }
            }
        }
        for (int i = 0; i < n->input_count + n->control_count; i++) {
            int s = i < n->input_count ? n->inputs[i].node : n->controls[i - n->input_count];
            if (s >= 0 && !seen[s]) {
                seen[s] = 1;
                stack[top++] = s;
            }
        }
    }
    free(seen);
    free(stack);
    return FERRY_OK;
}

/* TF2: which checkpoint node each saved object is, found by walking both
 * object graphs from their roots and matching children by name. */
static int *match_objects(const Tensorflow__SavedObjectGraph *saved, const Tensorflow__TrackableObjectGraph *tog)
{
    int *match = malloc((saved->n_nodes + 1) * sizeof(int));
    int *queue = malloc((saved->n_nodes + 1) * sizeof(int));
    if (!match || !queue || !saved->n_nodes || !tog->n_nodes) {
        free(match);
        free(queue);
        return NULL;
    }
    for (size_t i = 0; i < saved->n_nodes; i++)
        match[i] = -1;
    match[0] = 0;
    size_t head = 0, tail = 0;
    queue[tail++] = 0;
    while (head < tail) {
        int s = queue[head++];
        const Tensorflow__SavedObject *so = saved->nodes[s];
        const Tensorflow__TrackableObjectGraph__TrackableObject *to = tog->nodes[match[s]];
        for (size_t c = 0; c < so->n_children; c++) {
            int child = so->children[c]->node_id;
            if (child < 0 || (size_t)child >= saved->n_nodes || match[child] >= 0)
                continue;
            for (size_t k = 0; k < to->n_children; k++) {
                int tc = to->children[k]->node_id;
                if (tc >= 0 && (size_t)tc < tog->n_nodes &&
                    !strcmp(to->children[k]->local_name, so->children[c]->local_name)) {
                    match[child] = tc;
                    queue[tail++] = child;
                    break;
                }
            }
        }
    }
    free(queue);
    return match;
}

/* The graph's VarHandleOps are the captured inputs of top-level calls:
 * bound_inputs names the saved object each one stands for. */
static void bind_by_objects(binding *b, const fy_runtime *rt, const Tensorflow__SavedObjectGraph *saved,
                            const Tensorflow__TrackableObjectGraph *tog, const int *match)
{
    const Tensorflow__GraphDef *g = rt->source;
    for (size_t i = 0; i < g->n_node; i++) {
        const Tensorflow__NodeDef *n = g->node[i];
        const char *f = NULL;
        for (size_t a = 0; a < n->n_attr; a++)
            if (!strcmp(n->attr[a]->key, "f") && n->attr[a]->value &&
                n->attr[a]->value->value_case == TENSORFLOW__ATTR_VALUE__VALUE_FUNC)
                f = n->attr[a]->value->func->name;
        const Tensorflow__SavedConcreteFunction *fn = NULL;
        for (size_t k = 0; f && k < saved->n_concrete_functions; k++)
            if (!strcmp(saved->concrete_functions[k]->key, f))
                fn = saved->concrete_functions[k]->value;
        if (!fn || fn->n_bound_inputs > n->n_input)
            continue;
        size_t first = n->n_input - fn->n_bound_inputs;
        for (size_t j = 0; j < fn->n_bound_inputs; j++) {
            int obj = fn->bound_inputs[j];
            const char *in = n->input[first + j];
            int node = in[0] == '^' ? -1 : fy_graph_find(&rt->graph, in);
            fy_variable *var = node >= 0 ? rt->var_of_node[node] : NULL;
            if (!var || obj < 0 || (size_t)obj >= saved->n_nodes || match[obj] < 0 ||
                saved->nodes[obj]->kind_case != TENSORFLOW__SAVED_OBJECT__KIND_VARIABLE)
                continue;
            const Tensorflow__TrackableObjectGraph__TrackableObject *to = tog->nodes[match[obj]];
            for (size_t a = 0; a < to->n_attributes; a++)
                if (!strcmp(to->attributes[a]->name, "VARIABLE_VALUE") && !b[var - rt->vars].key)
                    b[var - rt->vars] = (binding){ to->attributes[a]->checkpoint_key, "" };
        }
    }
}

/* Reads the checkpoint's object graph and binds variables through it. */
static ferry_status read_object_wiring(binding *b, const fy_runtime *rt, const Tensorflow__SavedObjectGraph *saved,
                                       const ferry_checkpoint *c, Tensorflow__TrackableObjectGraph **keep,
                                       ferry_error **err)
{
    if (!fy_checkpoint_find(c, "_CHECKPOINTABLE_OBJECT_GRAPH"))
        return FERRY_OK;
    ferry_tensor *t = NULL;
    ferry_status st = fy_checkpoint_read(&t, c, "_CHECKPOINTABLE_OBJECT_GRAPH", err);
    if (st)
        return st;
    const ferry_string *s = t->data;
    st = fy_proto_check_depth(&tensorflow__trackable_object_graph__descriptor, (const uint8_t *)s->data, s->size,
                              fy_checkpoint_prefix(c), err);
    *keep = st ? NULL : tensorflow__trackable_object_graph__unpack(NULL, s->size, (const uint8_t *)s->data);
    ferry_tensor_free(t);
    if (st)
        return st;
    if (!*keep)
        return fy_fail(err, FERRY_ERR_CORRUPT, "%s: the checkpoint's object graph does not parse", fy_checkpoint_prefix(c));
    int *match = match_objects(saved, *keep);
    if (match)
        bind_by_objects(b, rt, saved, *keep, match);
    free(match);
    return FERRY_OK;
}

/* "10 4 0,5:-" -> start/length per dim (length -1 = whole). */
static int parse_slice_spec(const char *spec, int rank, int64_t *start, int64_t *length)
{
    const char *p = spec;
    for (int d = 0; d < rank; d++) { /* skip the full shape */
        char *end;
        strtoll(p, &end, 10);
        if (end == p)
            return 0;
        p = end;
    }
    while (*p == ' ')
        p++;
    for (int d = 0; d < rank; d++) {
        if (*p == '-') {
            start[d] = 0;
            length[d] = -1;
            p++;
        } else {
            char *end;
            start[d] = strtoll(p, &end, 10);
            if (*end != ',')
                return 0;
            length[d] = strtoll(end + 1, &end, 10);
            p = end;
        }
        if (d + 1 < rank && *p++ != ':')
            return 0;
    }
    return *p == '\0';
}

/* As TensorFlow's restore: the value must have the variable's declared
 * shape where it is known. */
static int fits_declared_shape(const fy_variable *var, const ferry_tensor *t)
{
    if (var->rank < 0)
        return 1;
    if (var->rank != t->rank)
        return 0;
    for (int d = 0; d < t->rank; d++)
        if (var->dims[d] >= 0 && var->dims[d] != t->dims[d])
            return 0;
    return 1;
}

static ferry_status restore_one(fy_runtime *rt, fy_variable *var, const binding *b, const ferry_checkpoint *c,
                                ferry_error **err)
{
    const ferry_variable_info *info = fy_checkpoint_find(c, b->key);
    if (!info)
        return fy_fail(err, FERRY_ERR_NOT_FOUND, "%s: variable '%s' restores from '%s', which checkpoint %s lacks",
                       rt->what, var->name, b->key, fy_checkpoint_prefix(c));
    if (var->dtype != FERRY_DT_INVALID && info->dtype != var->dtype)
        return fy_fail(err, FERRY_ERR_INVALID_ARGUMENT, "%s: variable '%s' is %s but checkpoint entry '%s' is %s",
                       rt->what, var->name, ferry_dtype_name(var->dtype), b->key, ferry_dtype_name(info->dtype));
    ferry_tensor *t = NULL;
    ferry_status st;
    if (b->slice && b->slice[0]) {
        int64_t start[FERRY_MAX_RANK], length[FERRY_MAX_RANK];
        if (info->rank < 1 || !parse_slice_spec(b->slice, info->rank, start, length))
            return fy_fail(err, FERRY_ERR_CORRUPT, "%s: variable '%s' has a bad slice spec '%s'", rt->what, var->name,
                           b->slice);
        st = fy_checkpoint_read_slice(&t, c, b->key, start, length, info->rank, err);
    } else {
        st = fy_checkpoint_read(&t, c, b->key, err);
    }
    if (st)
        return st;
    if (!fits_declared_shape(var, t)) {
        char want[160], got[160];
        fy_shape_format(want, sizeof(want), var->dims, var->rank);
        fy_shape_format(got, sizeof(got), t->dims, t->rank);
        ferry_tensor_free(t);
        return fy_fail(err, FERRY_ERR_INVALID_ARGUMENT, "%s: variable '%s' has shape %s but checkpoint entry '%s' "
                       "gives %s", rt->what, var->name, want, b->key, got);
    }
    ferry_tensor_free(var->value);
    t->lasting = 1;
    var->value = t;
    return FERRY_OK;
}

/* TF2: two handles bound to one checkpoint key are one object of the
 * SavedModel, one variable to TensorFlow (Keras 3 graphs carry a handle for
 * the restore function and another for the functions that read it). The
 * later variable's nodes are pointed at the earlier one, which alone is
 * restored: one copy of the weights, and an assignment through either
 * handle is seen through both, as in TensorFlow. */
static void tie_shared_objects(fy_runtime *rt, binding *b)
{
    for (size_t j = 0; j < rt->var_count; j++) {
        if (!b[j].key || (b[j].slice && b[j].slice[0]) || rt->vars[j].table)
            continue;
        size_t i = 0;
        while (i < j && !(b[i].key && !(b[i].slice && b[i].slice[0]) && !strcmp(b[i].key, b[j].key) &&
                          rt->vars[i].dtype == rt->vars[j].dtype && !rt->vars[i].table))
            i++;
        if (i == j)
            continue;
        for (int n = 0; n < rt->graph.node_count; n++)
            if (rt->var_of_node[n] == &rt->vars[j])
                rt->var_of_node[n] = &rt->vars[i];
        b[j].key = NULL;
    }
}

ferry_status fy_runtime_restore(fy_runtime *rt, const fy_restore_request *req, ferry_error **err)
{
    if (rt->var_count == 0)
        return FERRY_OK;
    binding *b = calloc(rt->var_count, sizeof(binding));
    if (!b)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    ferry_status st = FERRY_OK;
    ferry_checkpoint *c = NULL;
    Tensorflow__TrackableObjectGraph *tog = NULL;
    int restore_node = req->restore_op ? fy_graph_find(&rt->graph, req->restore_op) : -1;
    if (restore_node >= 0)
        st = read_saver_wiring(b, rt, restore_node, err);
    int bound = 0;
    for (size_t i = 0; i < rt->var_count; i++)
        bound += b[i].key != NULL;
    /* TF2: the functions a signature calls may capture other VarHandleOps
     * than the restore function assigns (Keras 3 makes both); TensorFlow ties
     * them through the object graph, and so do we, for every variable the
     * restore function left unbound. */
    if (!st && bound < (int)rt->var_count && req->objects && req->checkpoint) {
        st = fy_checkpoint_open(&c, req->checkpoint, err);
        if (!st)
            st = read_object_wiring(b, rt, req->objects, c, &tog, err);
    }
    /* A TF1 graph without a saver: checkpoints are keyed by variable name;
     * those the checkpoint lacks stay uninitialized, as in TF. */
    int by_name = restore_node < 0 && !req->objects;
    for (size_t i = 0; !st && by_name && i < rt->var_count; i++)
        if (!rt->vars[i].table)
            b[i] = (binding){ rt->vars[i].name, "" };
    for (size_t i = 0; !st && req->only_mapped && i < rt->var_count; i++)
        b[i].key = NULL;
    for (size_t m = 0; !st && m < req->map_count; m++) {
        fy_variable *var = fy_strmap_get(&rt->var_by_name, req->map[m].variable);
        if (!var)
            st = fy_fail(err, FERRY_ERR_NOT_FOUND, "%s: restore map names variable '%s', which the graph lacks", rt->what,
                         req->map[m].variable);
        else
            b[var - rt->vars] = (binding){ req->map[m].key, "" };
    }
    if (!st && req->objects && !req->map_count && !req->only_mapped)
        tie_shared_objects(rt, b);
    int wanted = 0;
    for (size_t i = 0; i < rt->var_count; i++)
        wanted += b[i].key != NULL;
    if (!st && wanted && !c) {
        if (!req->checkpoint)
            st = fy_fail(err, FERRY_ERR_NOT_FOUND, "%s: the graph has %zu variables but no checkpoint was found",
                         rt->what, rt->var_count);
        else
            st = fy_checkpoint_open(&c, req->checkpoint, err);
    }
    for (size_t i = 0; !st && c && i < rt->var_count; i++)
        if (b[i].key && !(by_name && !fy_checkpoint_find(c, b[i].key)))
            st = restore_one(rt, &rt->vars[i], &b[i], c, err);
    fy_checkpoint_free(c);
    if (tog)
        tensorflow__trackable_object_graph__free_unpacked(tog, NULL);
    free(b);
    return st;
}
