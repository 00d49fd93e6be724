/* The registry: every op definition, found by name. Imported graphs reach
 * only the public tables; Ferry's own rewrites take internal ops from a
 * table of their own, so a crafted file cannot name them. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/strmap.h"
#include "runtime/runtime.h"

static const fy_op_def *const public_tables[] = {
    fy_runtime_ops,   fy_control_ops,  fy_table_ops,    fy_kernels_array, fy_kernels_math,
    fy_kernels_nn,    fy_kernels_strings, fy_kernels_parse, fy_kernels_list, fy_kernels_random,
    fy_kernels_sparse, fy_kernels_bitwise, fy_kernels_segment, fy_kernels_stateless_random, fy_kernels_partition,
    fy_kernels_sparse_dense, fy_kernels_string_split, fy_kernels_string_convert,
    fy_kernels_string_edit, fy_kernels_complex, fy_kernels_fft, fy_kernels_quantize,
    fy_kernels_linalg, fy_kernels_logging, fy_kernels_nms, fy_kernels_image,
    fy_not_run_ops,
};

static const fy_op_def *const internal_tables[] = { fy_loop_ops, fy_hoist_ops, fy_kernels_rnn, fy_kernels_fused_internal };

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static fy_strmap public_ops, internal_ops;
static const char **supported;    /* public ops with kernels, sorted */
static size_t supported_count;
static pthread_once_t registry_once = PTHREAD_ONCE_INIT;
static int registry_ok;

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int add_tables(fy_strmap *map, const fy_op_def *const *tables, size_t n, size_t *total)
{
    int ok = 1;
    for (size_t t = 0; t < n; t++)
        for (const fy_op_def *d = tables[t]; d->name; d++) {
            ok &= fy_strmap_put(map, d->name, (void *)d);
            (*total)++;
        }
    return ok;
}

static void build_registry(void)
{
    size_t total = 0, internal = 0;
    registry_ok = add_tables(&public_ops, public_tables, COUNT(public_tables), &total) &&
                  add_tables(&internal_ops, internal_tables, COUNT(internal_tables), &internal);
    supported = registry_ok ? malloc((total + 1) * sizeof(char *)) : NULL;
    registry_ok &= supported != NULL;
    for (size_t t = 0; registry_ok && t < COUNT(public_tables); t++)
        for (const fy_op_def *d = public_tables[t]; d->name; d++)
            if (d->run)
                supported[supported_count++] = d->name;
    if (registry_ok)
        qsort(supported, supported_count, sizeof(char *), compare_names);
}

const fy_op_def *fy_op_find(const char *name)
{
    pthread_once(&registry_once, build_registry);
    return registry_ok ? fy_strmap_get(&public_ops, name) : NULL;
}

const fy_op_def *fy_internal_op(const char *name)
{
    pthread_once(&registry_once, build_registry);
    return registry_ok ? fy_strmap_get(&internal_ops, name) : NULL;
}

const char *const *fy_op_names(size_t *count)
{
    pthread_once(&registry_once, build_registry);
    *count = registry_ok ? supported_count : 0;
    return supported;
}

void fy_op_tables(const fy_op_def *const **tables, size_t *count, int internal)
{
    *tables = internal ? internal_tables : public_tables;
    *count = internal ? COUNT(internal_tables) : COUNT(public_tables);
}

int fy_op_touches_outside(const char *op)
{
    const fy_op_def *d = fy_op_find(op);
    return d && (d->traits & FY_OP_OUTSIDE);
}

/* The count a "name:ATTR" output spec yields for this node. */
static int spec_count(const Tensorflow__NodeDef *node, const char *attr, size_t len)
{
    for (size_t i = 0; i < node->n_attr; i++) {
        const char *key = node->attr[i]->key;
        if (strlen(key) != len || strncmp(key, attr, len) != 0)
            continue;
        const Tensorflow__AttrValue *v = node->attr[i]->value;
        if (!v) /* an attr entry without a value: as if absent */
            continue;
        if (v->value_case == TENSORFLOW__ATTR_VALUE__VALUE_I)
            return (int)v->i;
        if (v->value_case == TENSORFLOW__ATTR_VALUE__VALUE_LIST)
            return (int)v->list->n_type;
    }
    return -1;
}

/* Walks the output spec; with arg NULL returns the total count. */
static int walk_outputs(const Tensorflow__NodeDef *node, const char *arg, int index)
{
    const fy_op_def *d = fy_op_find(node->op);
    if (!d)
        return -1;
    const char *spec = d->outputs;
    if (!spec)
        return arg ? (index == 0 ? 0 : -1) : 1;
    int flat = 0;
    const char *p = spec;
    while (*p) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        const char *colon = memchr(p, ':', len);
        size_t name_len = colon ? (size_t)(colon - p) : len;
        int count = colon ? spec_count(node, colon + 1, len - name_len - 1) : 1;
        if (count < 0)
            return -1;
        if (arg && strlen(arg) == name_len && !strncmp(p, arg, name_len))
            return index < count ? flat + index : -1;
        flat += count;
        p += len + (end ? 1 : 0);
    }
    return arg ? -1 : flat;
}

int fy_op_output_index(const Tensorflow__NodeDef *node, const char *arg, int index)
{
    return walk_outputs(node, arg, index);
}

int fy_op_output_total(const Tensorflow__NodeDef *node)
{
    return walk_outputs(node, NULL, 0);
}
