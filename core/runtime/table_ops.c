/* Lookup-table ops: tables live in the model's state like variables; they
 * are filled by init ops (from vocabulary assets) and read by lookups. */
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/file.h"
#include "runtime/run.h"
#include "runtime/table.h"

#define MAX_VOCAB_BYTES ((size_t)1 << 31)

static fy_runtime *runtime_of(fy_kernel_ctx *ctx)
{
    return ((fy_run *)ctx->runtime)->rt;
}

static ferry_status k_table_handle(fy_kernel_ctx *ctx)
{
    fy_runtime *rt = runtime_of(ctx);
    ctx->outputs[0] = (fy_value){ .var = rt->var_of_node[ctx->node - rt->graph.nodes] };
    return FERRY_OK;
}

static ferry_status table_input(fy_table **out, fy_kernel_ctx *ctx)
{
    fy_variable *v = ctx->input_count > 0 ? ctx->inputs[0].var : NULL;
    if (!v || !v->table)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "input 0 is not a lookup table");
    *out = v->table;
    return FERRY_OK;
}

/* A table to read: one no initializer has filled fails, as TensorFlow's
 * FAILED_PRECONDITION does (with TF's words), saying why. */
static ferry_status filled_table(fy_table **out, fy_kernel_ctx *ctx)
{
    ferry_status st = table_input(out, ctx);
    if (st || fy_table_initialized(*out))
        return st;
    const char *why = fy_table_failure(*out);
    return fy_kernel_fail(ctx, FERRY_ERR_RUNTIME, "Table not initialized. Lookup table '%s' %s%s",
                          ctx->inputs[0].var->name, why ? "could not be initialized at load: " : "has no initializer "
                          "in the graph that ran", why ? why : "");
}

/* Vocabulary files are read only inside the model directory unless the
 * caller allowed file access. */
static ferry_status check_readable(fy_kernel_ctx *ctx, const char *path)
{
    fy_runtime *rt = runtime_of(ctx);
    if (rt->flags & FERRY_LOAD_ALLOW_FILE_OPS)
        return FERRY_OK;
    /* Outside first, whether the file exists or not: the message must not
     * tell what exists outside the model. */
    if (!rt->model_dir || !fy_path_would_be_inside(path, rt->model_dir))
        return fy_kernel_fail(ctx, FERRY_ERR_REFUSED,
                              "vocabulary file '%s' lies outside the model directory; allow it with "
                              "FERRY_LOAD_ALLOW_FILE_OPS", path);
    if (fy_path_kind(path) != 1)
        return fy_kernel_fail(ctx, FERRY_ERR_NOT_FOUND, "vocabulary file '%s' does not exist", path);
    return FERRY_OK;
}

/* One field of a line: -2 the whole line, -1 the line number, else a column. */
static int field(const char *line, size_t len, int64_t index, const char *delim, const char **out, size_t *out_len)
{
    if (index < 0) { /* the whole line, or (-1) the line number, set by the caller */
        *out = line;
        *out_len = len;
        return 1;
    }
    size_t dl = strlen(delim);
    const char *p = line, *end = line + len;
    for (int64_t col = 0;; col++) {
        const char *hit = NULL;
        for (const char *q = p; dl && q + dl <= end; q++)
            if (!memcmp(q, delim, dl)) {
                hit = q;
                break;
            }
        const char *stop = hit ? hit : end;
        if (col == index) {
            *out = p;
            *out_len = (size_t)(stop - p);
            return 1;
        }
        if (!hit)
            return 0;
        p = hit + dl;
    }
}

/* Sets element 0 of a one-element tensor from text or a line number:
 * 1 when set, 0 when the text is unusable, -1 when out of memory. */
static int set_from_text(ferry_tensor *t, const char *s, size_t n, int64_t line_number, int use_line)
{
    if (t->dtype == FERRY_DT_STRING)
        return fy_tensor_set_string(t, 0, s, n, NULL) == FERRY_OK ? 1 : -1;
    int64_t v = line_number;
    double d = (double)line_number;
    if (!use_line) {
        char buf[64];
        if (n == 0 || n >= sizeof(buf))
            return 0;
        memcpy(buf, s, n);
        buf[n] = '\0';
        char *end;
        if (t->dtype == FERRY_DT_FLOAT || t->dtype == FERRY_DT_DOUBLE)
            d = strtod(buf, &end);
        else
            v = strtoll(buf, &end, 10);
        if (*end)
            return 0;
    }
    switch (t->dtype) {
    case FERRY_DT_INT64: *(int64_t *)t->data = v; return 1;
    case FERRY_DT_INT32: *(int32_t *)t->data = (int32_t)v; return 1;
    case FERRY_DT_FLOAT: *(float *)t->data = (float)d; return 1;
    case FERRY_DT_DOUBLE: *(double *)t->data = d; return 1;
    default: return 0;
    }
}

static ferry_status k_init_from_text_file(fy_kernel_ctx *ctx)
{
    fy_table *table = NULL;
    ferry_status st = table_input(&table, ctx);
    const ferry_tensor *name = st ? NULL : fy_input(ctx, 1);
    if (!name)
        return st ? st : FERRY_ERR_INVALID_ARGUMENT;
    if (name->dtype != FERRY_DT_STRING || name->count != 1)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "filename must be a string scalar");
    const ferry_string *fs = name->data;
    char *path = malloc(fs->size + 1);
    if (!path)
        return fy_kernel_fail(ctx, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    memcpy(path, fs->data, fs->size);
    path[fs->size] = '\0';
    char *text = NULL;
    size_t size = 0;
    st = check_readable(ctx, path);
    if (!st && (st = fy_read_file(&text, &size, path, MAX_VOCAB_BYTES, ctx->err)) != FERRY_OK)
        fy_error_prefix(ctx->err, "node '%s' (%s)", ctx->node->name, ctx->node->op);
    int64_t key_index = fy_attr_int(ctx->node, "key_index", -2), value_index = fy_attr_int(ctx->node, "value_index", -1);
    int64_t vocab_size = fy_attr_int(ctx->node, "vocab_size", -1), offset = fy_attr_int(ctx->node, "offset", 0);
    char delim[16];
    fy_attr_string(ctx->node, "delimiter", delim, sizeof(delim), "\t");
    ferry_tensor *key = NULL, *value = NULL;
    if (!st)
        st = fy_tensor_new(&key, fy_table_key_dtype(table), NULL, 0, ctx->err);
    if (!st)
        st = fy_tensor_new(&value, fy_table_value_dtype(table), NULL, 0, ctx->err);
    int64_t line_no = 0;
    for (const char *p = text; !st && p && p < text + size && (vocab_size < 0 || line_no < vocab_size); line_no++) {
        const char *nl = memchr(p, '\n', (size_t)(text + size - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(text + size - p);
        const char *k, *v;
        size_t kl, vl;
        int set = field(p, len, key_index, delim, &k, &kl) && field(p, len, value_index, delim, &v, &vl);
        int64_t numbered = (int64_t)((uint64_t)line_no + (uint64_t)offset); /* wraps, as TF's int64 does */
        if (set > 0)
            set = set_from_text(key, k, kl, numbered, key_index == -1);
        if (set > 0)
            set = set_from_text(value, v, vl, numbered, value_index == -1);
        if (set < 0) {
            st = fy_kernel_fail(ctx, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
            break;
        }
        if (!set) {
            st = fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "%s: line %lld has no usable key or value", path,
                                (long long)line_no + 1);
            break;
        }
        int rc = fy_table_insert(table, key, 0, value, 0, 0);
        if (rc == 2)
            st = fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "%s: line %lld repeats a key with another value",
                                path, (long long)line_no + 1);
        else if (rc)
            st = fy_kernel_fail(ctx, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
        p = nl ? nl + 1 : text + size;
    }
    if (!st && vocab_size >= 0 && line_no < vocab_size)
        st = fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "%s has %lld lines, fewer than vocab_size %lld", path,
                            (long long)line_no, (long long)vocab_size);
    if (!st)
        fy_table_set_initialized(table);
    ferry_tensor_free(key);
    ferry_tensor_free(value);
    free(text);
    free(path);
    return st;
}

/* InitializeTableV2 / LookupTableImportV2 / LookupTableInsertV2. */
static ferry_status insert_all(fy_kernel_ctx *ctx, int replace)
{
    fy_table *table = NULL;
    ferry_status st = table_input(&table, ctx);
    const ferry_tensor *keys = st ? NULL : fy_input(ctx, 1), *values = keys ? fy_input(ctx, 2) : NULL;
    if (!values)
        return st ? st : FERRY_ERR_INVALID_ARGUMENT;
    if (keys->count != values->count)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "%lld keys but %lld values", (long long)keys->count,
                              (long long)values->count);
    for (int64_t i = 0; i < keys->count; i++) {
        int rc = fy_table_insert(table, keys, i, values, i, replace);
        if (rc == 2)
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "key %lld is given twice with different values",
                                  (long long)i);
        if (rc)
            return fy_kernel_fail(ctx, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    }
    fy_table_set_initialized(table);
    return FERRY_OK;
}

static ferry_status k_init_table(fy_kernel_ctx *ctx) { return insert_all(ctx, 0); }
static ferry_status k_import(fy_kernel_ctx *ctx) { return insert_all(ctx, 1); }

static ferry_status k_find(fy_kernel_ctx *ctx)
{
    fy_table *table = NULL;
    ferry_status st = filled_table(&table, ctx);
    const ferry_tensor *keys = st ? NULL : fy_input(ctx, 1), *dflt = keys ? fy_input(ctx, 2) : NULL;
    if (!dflt)
        return st ? st : FERRY_ERR_INVALID_ARGUMENT;
    int scalar_default = dflt->count == 1;
    if (!scalar_default && dflt->count != keys->count)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "default_value must be a scalar or match the keys");
    if (dflt->dtype != fy_table_value_dtype(table))
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "default_value is %s, the table holds %s",
                              ferry_dtype_name(dflt->dtype), ferry_dtype_name(fy_table_value_dtype(table)));
    ferry_tensor *out = fy_output_new(ctx, 0, fy_table_value_dtype(table), keys->dims, keys->rank);
    if (!out)
        return FERRY_ERR_OUT_OF_MEMORY;
    for (int64_t i = 0; i < keys->count; i++)
        if (fy_table_find(table, keys, i, out, i, dflt, scalar_default ? 0 : i))
            return fy_kernel_fail(ctx, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    return FERRY_OK;
}

static ferry_status k_size(fy_kernel_ctx *ctx)
{
    fy_table *table = NULL;
    ferry_status st = filled_table(&table, ctx);
    ferry_tensor *out = st ? NULL : fy_output_new(ctx, 0, FERRY_DT_INT64, NULL, 0);
    if (!out)
        return st ? st : FERRY_ERR_OUT_OF_MEMORY;
    *(int64_t *)out->data = (int64_t)fy_table_size(table);
    return FERRY_OK;
}

#define R FY_OP_READS_STATE
#define W (FY_OP_WRITES_STATE | FY_OP_READS_STATE)

const fy_op_def fy_table_ops[] = {
    { .name = "HashTableV2", .run = k_table_handle, .traits = FY_OP_NEVER_FOLD | FY_OP_DYNAMIC_SHAPE },
    { .name = "HashTable", .run = k_table_handle, .traits = FY_OP_NEVER_FOLD | FY_OP_DYNAMIC_SHAPE },
    { .name = "MutableHashTableV2", .run = k_table_handle, .traits = FY_OP_NEVER_FOLD | FY_OP_DYNAMIC_SHAPE },
    { .name = "InitializeTableFromTextFileV2", .run = k_init_from_text_file,
      .outputs = "", .traits = W | FY_OP_DYNAMIC_SHAPE },
    { .name = "InitializeTableV2", .run = k_init_table, .outputs = "", .traits = W | FY_OP_DYNAMIC_SHAPE },
    { .name = "LookupTableImportV2", .run = k_import, .outputs = "", .traits = W | FY_OP_DYNAMIC_SHAPE },
    { .name = "LookupTableInsertV2", .run = k_import, .outputs = "", .traits = W | FY_OP_DYNAMIC_SHAPE },
    { .name = "LookupTableFindV2", .run = k_find, .traits = R | FY_OP_DYNAMIC_SHAPE },
    { .name = "LookupTableSizeV2", .run = k_size, .traits = R, .shape = fy_shape_scalar },
    { .name = NULL },
};
