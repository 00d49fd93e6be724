/* Finding the kernel for an op across every family. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/strmap.h"
#include "runtime/runtime.h"

static const fy_kernel_def *const families[] = { fy_runtime_ops,   fy_control_ops,  fy_table_ops,
                                                  fy_loop_ops,      fy_hoist_ops,    fy_kernels_array,
                                                  fy_kernels_math,  fy_kernels_nn,   fy_kernels_strings,
                                                  fy_kernels_parse, fy_kernels_list, fy_kernels_random,
                                                  fy_kernels_sparse, fy_kernels_rnn };

static fy_strmap registry;
static const char **sorted_names; /* public ops, sorted */
static size_t name_count;
static pthread_once_t registry_once = PTHREAD_ONCE_INIT;
static int registry_ok;

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void build_registry(void)
{
    registry_ok = 1;
    size_t total = 0;
    for (size_t f = 0; f < sizeof(families) / sizeof(families[0]); f++)
        for (const fy_kernel_def *k = families[f]; k->op; k++) {
            registry_ok &= fy_strmap_put(&registry, k->op, (void *)k);
            total++;
        }
    sorted_names = malloc((total + 1) * sizeof(char *));
    registry_ok &= sorted_names != NULL;
    for (size_t f = 0; registry_ok && f < sizeof(families) / sizeof(families[0]); f++)
        for (const fy_kernel_def *k = families[f]; k->op; k++)
            if (strncmp(k->op, "_Ferry", 6) != 0)
                sorted_names[name_count++] = k->op;
    if (registry_ok)
        qsort(sorted_names, name_count, sizeof(char *), compare_names);
}

const char *const *fy_op_names(size_t *count)
{
    pthread_once(&registry_once, build_registry);
    *count = registry_ok ? name_count : 0;
    return sorted_names;
}

const fy_kernel_def *fy_kernel_find(const char *op)
{
    pthread_once(&registry_once, build_registry);
    return registry_ok ? fy_strmap_get(&registry, op) : NULL;
}

/* Ops that touch files, the network or the console: a model is input from
 * outside, so these run only when the caller opted in. */
static const char *const side_effect_ops[] = {
    "ReadFile", "WriteFile", "MatchingFiles", "PrintV2", "Print", "Save", "SaveV2", "SaveSlices",
    "MergeV2Checkpoints", "ShardedFilename", "ImmutableConst", "WriteSummary", "WriteScalarSummary",
    "CreateSummaryFileWriter", "TFRecordDataset", "FixedLengthRecordDataset", "TextLineDataset",
};

int fy_op_touches_outside(const char *op)
{
    for (size_t i = 0; i < sizeof(side_effect_ops) / sizeof(side_effect_ops[0]); i++)
        if (!strcmp(op, side_effect_ops[i]))
            return 1;
    return 0;
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

/* Outputs of ops Ferry reads but does not run (saving and restoring are
 * done by Ferry itself), for old files whose OpDef list lacks them. */
static const struct {
    const char *op, *outputs;
} known_outputs[] = {
    { "RestoreV2", "tensors:dtypes" },
    { "RestoreSlice", "tensor" },
    { "SaveV2", "" },
    { "SaveSlices", "" },
    { "MergeV2Checkpoints", "" },
    { "ShardedFilename", "filename" },
    { "ShardedFilespec", "filename" },
    { "StringJoin", "output" },
    { "StaticRegexFullMatch", "output" },
};

static const char *output_spec(const char *op, int *known)
{
    const fy_kernel_def *k = fy_kernel_find(op);
    *known = k != NULL;
    if (k)
        return k->outputs;
    for (size_t i = 0; i < sizeof(known_outputs) / sizeof(known_outputs[0]); i++)
        if (!strcmp(known_outputs[i].op, op)) {
            *known = 1;
            return known_outputs[i].outputs;
        }
    return NULL;
}

/* Walks the output spec; with arg NULL returns the total count. */
static int walk_outputs(const Tensorflow__NodeDef *node, const char *arg, int index)
{
    int known;
    const char *spec = output_spec(node->op, &known);
    if (!known)
        return -1;
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

int fy_kernel_output_index(const Tensorflow__NodeDef *node, const char *arg, int index)
{
    return walk_outputs(node, arg, index);
}

int fy_kernel_output_total(const Tensorflow__NodeDef *node)
{
    return walk_outputs(node, NULL, 0);
}
