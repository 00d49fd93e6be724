/* Preparing a runtime: import the graph, bind kernels, decode constants,
 * create variables. */
#include <stdlib.h>
#include <string.h>

#include "base/dtype.h"
#include "base/error.h"
#include "base/file.h"
#include "format/tensor_proto.h"
#include "runtime/runtime.h"
#include "runtime/table.h"

static int is_table_op(const char *op)
{
    return !strcmp(op, "HashTableV2") || !strcmp(op, "HashTable") || !strcmp(op, "MutableHashTableV2");
}

static int is_variable_op(const char *op)
{
    return !strcmp(op, "VariableV2") || !strcmp(op, "Variable") || !strcmp(op, "VarHandleOp") || is_table_op(op);
}

/* Variables are shared by name: shared_name when set, else the node's name. */
static const char *variable_name(fy_graph *g, const fy_node *n)
{
    const Tensorflow__AttrValue *v = fy_node_attr(n, "shared_name");
    if (!v || v->value_case != TENSORFLOW__ATTR_VALUE__VALUE_S || v->s.len == 0)
        return n->name;
    char *copy = malloc(v->s.len + 1);
    if (copy) {
        memcpy(copy, v->s.data, v->s.len);
        copy[v->s.len] = '\0';
    }
    return fy_graph_keep_string(g, copy);
}

/* The variable's "shape" attr; unknown when absent or beyond our rank limit
 * (the graph's import has checked its sizes). */
static void declared_shape(fy_variable *var, const fy_node *n)
{
    const Tensorflow__AttrValue *v = fy_node_attr(n, "shape");
    const Tensorflow__TensorShapeProto *p = v && v->value_case == TENSORFLOW__ATTR_VALUE__VALUE_SHAPE ? v->shape : NULL;
    var->rank = -1;
    if (!p || p->unknown_rank || p->n_dim > FERRY_MAX_RANK)
        return;
    var->rank = (int)p->n_dim;
    for (size_t i = 0; i < p->n_dim; i++)
        var->dims[i] = p->dim[i]->size < 0 ? -1 : p->dim[i]->size;
}

static ferry_status bind_variables(fy_runtime *rt, ferry_error **err)
{
    fy_graph *g = &rt->graph;
    size_t count = 0;
    for (int i = 0; i < g->node_count; i++)
        count += is_variable_op(g->nodes[i].op);
    rt->vars = calloc(count ? count : 1, sizeof(fy_variable));
    rt->var_of_node = calloc((size_t)g->node_count + 1, sizeof(fy_variable *));
    if (!rt->vars || !rt->var_of_node)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    for (int i = 0; i < g->node_count; i++) {
        const fy_node *n = &g->nodes[i];
        if (!is_variable_op(n->op))
            continue;
        const char *name = variable_name(g, n);
        if (!name)
            return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
        fy_variable *var = fy_strmap_get(&rt->var_by_name, name);
        if (!var) {
            var = &rt->vars[rt->var_count++];
            var->name = name;
            var->dtype = fy_attr_type(n, "dtype", FERRY_DT_INVALID);
            declared_shape(var, n);
            if (is_table_op(n->op) &&
                !(var->table = fy_table_new(fy_attr_type(n, "key_dtype", FERRY_DT_STRING),
                                            fy_attr_type(n, "value_dtype", FERRY_DT_INT64),
                                            !strcmp(n->op, "MutableHashTableV2"))))
                return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
            if (!fy_strmap_put(&rt->var_by_name, name, var))
                return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
        }
        rt->var_of_node[i] = var;
    }
    return FERRY_OK;
}

static ferry_status decode_constants(fy_runtime *rt, ferry_error **err)
{
    fy_graph *g = &rt->graph;
    rt->constants = calloc((size_t)g->node_count + 1, sizeof(ferry_tensor *));
    if (!rt->constants)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    for (int i = 0; i < g->node_count; i++) {
        const fy_node *n = &g->nodes[i];
        if (strcmp(n->op, "Const") != 0)
            continue;
        const Tensorflow__AttrValue *v = fy_node_attr(n, "value");
        if (!v || v->value_case != TENSORFLOW__ATTR_VALUE__VALUE_TENSOR)
            return fy_fail(err, FERRY_ERR_CORRUPT, "%s: Const node '%s' has no value", rt->what, n->name);
        ferry_status st = fy_tensor_from_proto(&rt->constants[i], v->tensor, rt->what, err);
        if (st)
            return fy_error_prefix(err, "Const node '%s'", n->name);
        ferry_dtype declared = fy_attr_type(n, "dtype", FERRY_DT_INVALID);
        if (declared != rt->constants[i]->dtype)
            return fy_fail(err, FERRY_ERR_INVALID_ARGUMENT, "%s: Const node '%s' has dtype attr %s but a value of %s",
                           rt->what, n->name, declared == FERRY_DT_INVALID ? "(none)" : ferry_dtype_name(declared),
                           ferry_dtype_name(rt->constants[i]->dtype));
        rt->constants[i]->lasting = 1;
    }
    return FERRY_OK;
}

/* Output counts the file did not state, from what the kernels declare. */
static void count_outputs(fy_runtime *rt)
{
    for (int i = 0; i < rt->graph.node_count; i++) {
        fy_node *n = &rt->graph.nodes[i];
        if (n->output_count >= 0 || !rt->ops[i])
            continue;
        int count = fy_op_output_total(n->def);
        n->output_count = count > 0 ? count : 1;
    }
}

ferry_status fy_runtime_init(fy_runtime *rt, const Tensorflow__GraphDef *graph, const Tensorflow__OpList *op_list,
                             const char *what, const fy_runtime_config *config, ferry_error **err)
{
    memset(rt, 0, sizeof(*rt));
    rt->what = what;
    rt->config = *config;
    rt->flags = config->flags;
    rt->source = graph;
    rt->op_list = op_list;
    pthread_rwlock_init(&rt->state_lock, NULL);
    pthread_mutex_init(&rt->prepare_lock, NULL);
    fy_graph_source src = { graph, op_list, fy_op_output_index, what, config->max_nodes };
    ferry_status st = fy_graph_import(&rt->graph, &src, err);
    if (!st) {
        rt->ops = calloc((size_t)rt->graph.node_count + 1, sizeof(fy_op_def *));
        if (!rt->ops)
            st = fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
        for (int i = 0; !st && i < rt->graph.node_count; i++)
            rt->ops[i] = fy_op_find(rt->graph.nodes[i].op);
    }
    if (!st) {
        count_outputs(rt);
        st = fy_graph_check_edges(&rt->graph, err);
    }
    if (!st)
        st = fy_runtime_print_init(rt, err);
    if (!st)
        st = bind_variables(rt, err);
    if (!st)
        st = decode_constants(rt, err);
    return st;
}

/* One more (zeroed) entry in the per-node array `a` of n entries, if it is
 * in use; ok becomes 0 when out of memory. */
#define GROW(a, n, ok)                                                \
    do {                                                              \
        if ((ok) && (a)) {                                            \
            void *grown_ = realloc((void *)(a), ((size_t)(n) + 2) * sizeof(*(a))); \
            if (grown_) {                                             \
                (a) = grown_;                                         \
                memset((void *)&(a)[n], 0, 2 * sizeof(*(a)));         \
            } else {                                                  \
                (ok) = 0;                                             \
            }                                                         \
        }                                                             \
    } while (0)

ferry_status fy_runtime_add_node(fy_runtime *rt, const Tensorflow__NodeDef *def, const fy_op_def *op,
                                 const fy_edge *inputs, int input_count, int output_count, int *index,
                                 ferry_error **err)
{
    int n = rt->graph.node_count, ok = 1;
    GROW(rt->ops, n, ok);
    GROW(rt->constants, n, ok);
    GROW(rt->var_of_node, n, ok);
    GROW(rt->loops, n, ok);
    if (!ok)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    ferry_status st = fy_graph_add_node(&rt->graph, def, inputs, input_count, output_count, index, err);
    if (!st)
        rt->ops[*index] = op;
    return st;
}

void fy_runtime_clear(fy_runtime *rt)
{
    if (rt->clear_prepared)
        rt->clear_prepared(rt);
    for (int i = 0; rt->constants && i < rt->graph.node_count; i++)
        ferry_tensor_free(rt->constants[i]);
    free(rt->constants);
    free(rt->print_times);
    for (size_t i = 0; i < rt->var_count; i++) {
        ferry_tensor_free(rt->vars[i].value);
        fy_table_free(rt->vars[i].table);
    }
    free(rt->vars);
    free(rt->var_of_node);
    free(rt->ops);
    fy_strmap_clear(&rt->var_by_name);
    fy_graph_clear(&rt->graph);
    pthread_rwlock_destroy(&rt->state_lock);
    pthread_mutex_destroy(&rt->prepare_lock);
    memset(rt, 0, sizeof(*rt));
}
