/* Loading models and describing their signatures through the C ABI. */
#include <stdlib.h>
#include <string.h>

#include "api/model_internal.h"
#include "api/options.h"
#include "base/dtype.h"
#include "base/error.h"
#include "base/file.h"
#include "base/parallel.h"
#include "base/sort.h"
#include "format/tensor_proto.h"

void *fy_model_keep(ferry_model *m, void *p)
{
    if (!p)
        return NULL;
    if (m->owned_count == m->owned_cap) {
        size_t cap = m->owned_cap ? m->owned_cap * 2 : 32;
        void **grown = realloc(m->owned, cap * sizeof(void *));
        if (!grown) {
            free(p);
            return NULL;
        }
        m->owned = grown;
        m->owned_cap = cap;
    }
    m->owned[m->owned_count++] = p;
    return p;
}

static int compare_info(const void *a, const void *b)
{
    return strcmp(((const ferry_tensor_info *)a)->name, ((const ferry_tensor_info *)b)->name);
}

static int compare_signature(const void *a, const void *b)
{
    return strcmp(((const ferry_signature *)a)->key, ((const ferry_signature *)b)->key);
}

static ferry_status describe_tensor(ferry_model *m, ferry_tensor_info *info, const char *key,
                                    const Tensorflow__TensorInfo *ti, const char *sig, ferry_error **err)
{
    info->name = key;
    if (!ti)
        return fy_fail(err, FERRY_ERR_CORRUPT, "signature '%s': tensor '%s' has no description", sig, key);
    info->dtype = (ferry_dtype)fy_dtype_base((int)ti->dtype);
    switch (ti->encoding_case) {
    case TENSORFLOW__TENSOR_INFO__ENCODING_NAME:
        info->tensor = ti->name;
        break;
    case TENSORFLOW__TENSOR_INFO__ENCODING_COO_SPARSE:
        info->encoding = FERRY_ENCODING_COO_SPARSE;
        info->tensor = ti->coo_sparse->values_tensor_name;
        info->indices_tensor = ti->coo_sparse->indices_tensor_name;
        info->dense_shape_tensor = ti->coo_sparse->dense_shape_tensor_name;
        break;
    default:
        info->encoding = FERRY_ENCODING_COMPOSITE;
        info->tensor = "";
        break;
    }
    int64_t dims[FERRY_MAX_RANK];
    ferry_status st = fy_shape_from_proto(&info->rank, dims, ti->tensor_shape, sig, err);
    if (st)
        return fy_error_prefix(err, "tensor '%s'", key);
    if (!ti->tensor_shape)
        info->rank = -1; /* no shape recorded: unknown, not scalar */
    if (info->rank > 0) {
        int64_t *copy = fy_model_keep(m, malloc((size_t)info->rank * sizeof(int64_t)));
        if (!copy)
            return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
        memcpy(copy, dims, (size_t)info->rank * sizeof(int64_t));
        info->dims = copy;
    }
    return FERRY_OK;
}

static ferry_tensor_info *new_infos(ferry_model *m, size_t n)
{
    return fy_model_keep(m, calloc(n ? n : 1, sizeof(ferry_tensor_info)));
}

static ferry_status describe_signatures(ferry_model *m, ferry_error **err)
{
    const Tensorflow__MetaGraphDef *meta = m->file.meta;
    if (!meta || meta->n_signature_def == 0)
        return FERRY_OK;
    size_t n = meta->n_signature_def;
    m->signatures = fy_model_keep(m, calloc(n, sizeof(ferry_signature)));
    if (!m->signatures)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    for (size_t i = 0; i < n; i++) {
        const Tensorflow__MetaGraphDef__SignatureDefEntry *e = meta->signature_def[i];
        ferry_signature *s = &m->signatures[i];
        s->model = m;
        s->key = e->key;
        if (!e->value)
            return fy_fail(err, FERRY_ERR_CORRUPT, "%s: signature '%s' is empty", m->file.path, e->key);
        const Tensorflow__SignatureDef *def = e->value;
        s->method = def->method_name;
        s->inputs = new_infos(m, def->n_inputs);
        s->outputs = new_infos(m, def->n_outputs);
        if (!s->inputs || !s->outputs)
            return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
        ferry_status st = FERRY_OK;
        for (size_t k = 0; !st && k < def->n_inputs; k++)
            st = describe_tensor(m, &s->inputs[k], def->inputs[k]->key, def->inputs[k]->value, e->key, err);
        for (size_t k = 0; !st && k < def->n_outputs; k++)
            st = describe_tensor(m, &s->outputs[k], def->outputs[k]->key, def->outputs[k]->value, e->key, err);
        if (st)
            return fy_error_prefix(err, "%s", m->file.path);
        s->input_count = def->n_inputs;
        s->output_count = def->n_outputs;
        fy_qsort(s->inputs, s->input_count, sizeof(ferry_tensor_info), compare_info);
        fy_qsort(s->outputs, s->output_count, sizeof(ferry_tensor_info), compare_info);
    }
    m->signature_count = n;
    fy_qsort(m->signatures, n, sizeof(ferry_signature), compare_signature);
    return FERRY_OK;
}

/* Default ferry_model_options.max_graph_nodes (ferry.h). */
#define DEFAULT_MAX_GRAPH_NODES 1000000

ferry_status ferry_model_load(ferry_model **out, const char *path, const ferry_model_options *given,
                              ferry_error **err)
{
    FY_API_ENTRY(err);
    if (!out || !path)
        return fy_fail(err, FERRY_ERR_INVALID_ARGUMENT, "ferry_model_load: out and path are required");
    ferry_model_options opts;
    ferry_status st = fy_model_options_read(&opts, given, err);
    if (st)
        return st;
    const ferry_model_options *options = &opts;
    if (options->intra_op_threads < 0 || options->intra_op_threads > FY_MAX_THREADS)
        return fy_fail(err, FERRY_ERR_INVALID_ARGUMENT, "intra_op_threads %d is outside 0..%d",
                       options->intra_op_threads, FY_MAX_THREADS);
    if (options->memory_limit < 0 || options->max_graph_nodes < 0)
        return fy_fail(err, FERRY_ERR_INVALID_ARGUMENT, "memory_limit %lld and max_graph_nodes %lld must not be negative",
                       (long long)options->memory_limit, (long long)options->max_graph_nodes);
    if (!opts.max_graph_nodes)
        opts.max_graph_nodes = DEFAULT_MAX_GRAPH_NODES;
    ferry_model *m = calloc(1, sizeof(*m));
    if (!m)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory loading %s", path);
    m->flags = options->flags;
    int metadata_only = (options->flags & FERRY_LOAD_METADATA_ONLY) != 0;
    st = fy_model_file_open(&m->file, path, options->tags, metadata_only, err);
    if (!st)
        st = describe_signatures(m, err);
    if (!st)
        st = fy_model_describe(m, err);
    if (!st && !metadata_only)
        st = fy_model_prepare(m, options, err);
    if (st) {
        ferry_model_free(m);
        return st;
    }
    *out = m;
    return FERRY_OK;
}

void ferry_model_free(ferry_model *m)
{
    if (!m)
        return;
    fy_model_unprepare(m);
    fy_model_file_close(&m->file);
    for (size_t i = 0; i < m->owned_count; i++)
        free(m->owned[i]);
    free(m->owned);
    free(m);
}

ferry_model_format ferry_model_get_format(const ferry_model *m)
{
    return m ? m->file.format : (ferry_model_format)0;
}

const char *ferry_model_tensorflow_version(const ferry_model *m)
{
    const Tensorflow__MetaGraphDef__MetaInfoDef *info = m && m->file.meta ? m->file.meta->meta_info_def : NULL;
    return info && info->tensorflow_version ? info->tensorflow_version : "";
}

size_t ferry_model_tag_set_count(const ferry_model *m)
{
    return m && m->file.format != FERRY_FORMAT_FROZEN_GRAPH ? m->file.tag_set_count : 0;
}

const char *ferry_model_tag_set(const ferry_model *m, size_t index)
{
    return m && index < ferry_model_tag_set_count(m) ? m->file.tag_sets[index] : NULL;
}

const char *ferry_model_loaded_tag_set(const ferry_model *m)
{
    return m && m->file.chosen >= 0 && m->file.format != FERRY_FORMAT_FROZEN_GRAPH
               ? m->file.tag_sets[m->file.chosen] : NULL;
}

size_t ferry_model_signature_count(const ferry_model *m)
{
    return m ? m->signature_count : 0;
}

const ferry_signature *ferry_model_signature(const ferry_model *m, size_t index)
{
    return m && index < m->signature_count ? &m->signatures[index] : NULL;
}

ferry_status ferry_model_find_signature(const ferry_signature **out, const ferry_model *m,
                                        const char *key, ferry_error **err)
{
    FY_API_ENTRY(err);
    if (!out || !m || !key)
        return fy_fail(err, FERRY_ERR_INVALID_ARGUMENT, "ferry_model_find_signature: out, model and key are required");
    for (size_t i = 0; i < m->signature_count; i++)
        if (!strcmp(m->signatures[i].key, key)) {
            *out = &m->signatures[i];
            return FERRY_OK;
        }
    size_t len = 1;
    for (size_t i = 0; i < m->signature_count; i++)
        len += strlen(m->signatures[i].key) + 4;
    char *keys = malloc(len);
    if (keys) {
        keys[0] = '\0';
        for (size_t i = 0; i < m->signature_count; i++) {
            strcat(keys, i ? ", '" : "'");
            strcat(keys, m->signatures[i].key);
            strcat(keys, "'");
        }
    }
    ferry_status st = fy_fail(err, FERRY_ERR_NOT_FOUND, "%s: no signature '%s'; the model has %s",
                              m->file.path, key, m->signature_count ? (keys ? keys : "others") : "none");
    free(keys);
    return st;
}

const char *ferry_signature_key(const ferry_signature *s) { return s ? s->key : NULL; }
const char *ferry_signature_method(const ferry_signature *s) { return s && s->method ? s->method : ""; }
size_t ferry_signature_input_count(const ferry_signature *s) { return s ? s->input_count : 0; }
size_t ferry_signature_output_count(const ferry_signature *s) { return s ? s->output_count : 0; }

const ferry_tensor_info *ferry_signature_input(const ferry_signature *s, size_t index)
{
    return s && index < s->input_count ? &s->inputs[index] : NULL;
}

const ferry_tensor_info *ferry_signature_output(const ferry_signature *s, size_t index)
{
    return s && index < s->output_count ? &s->outputs[index] : NULL;
}
