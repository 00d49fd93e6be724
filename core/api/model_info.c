/* What a loaded model holds besides signatures: nodes, ops, collections,
 * the saver and asset files. All views point into the parsed protos. */
#include <stdlib.h>
#include <string.h>

#include "api/model_internal.h"
#include "base/error.h"
#include "base/file.h"
#include "base/sort.h"
#include "base/strmap.h"
#include "format/proto_depth.h"

#define ASSETS_COLLECTION "saved_model_assets"
#define ASSET_FILE_DEF_URL "type.googleapis.com/tensorflow.AssetFileDef"

static int compare_cstr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static ferry_status describe_nodes(ferry_model *m, ferry_error **err)
{
    const Tensorflow__GraphDef *g = m->file.graph;
    m->nodes = fy_model_keep(m, calloc(g->n_node ? g->n_node : 1, sizeof(ferry_node_info)));
    if (!m->nodes)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    for (size_t i = 0; i < g->n_node; i++) {
        const Tensorflow__NodeDef *n = g->node[i];
        m->nodes[i] = (ferry_node_info){ n->name, n->op, n->device, n->n_input,
                                         (const char *const *)n->input };
    }
    return FERRY_OK;
}

/* Op types of the graph and of every function in its library. */
static ferry_status describe_ops(ferry_model *m, ferry_error **err)
{
    const Tensorflow__GraphDef *g = m->file.graph;
    fy_strmap seen = { 0 };
    size_t total = g->n_node;
    const Tensorflow__FunctionDefLibrary *lib = g->library;
    for (size_t f = 0; lib && f < lib->n_function; f++)
        total += lib->function[f]->n_node_def;
    m->ops = fy_model_keep(m, calloc(total ? total : 1, sizeof(char *)));
    if (!m->ops)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    ferry_status st = FERRY_OK;
    for (size_t i = 0; !st && i < total; i++) {
        const char *op;
        if (i < g->n_node) {
            op = g->node[i]->op;
        } else {
            size_t k = i - g->n_node, f = 0;
            while (k >= lib->function[f]->n_node_def)
                k -= lib->function[f++]->n_node_def;
            op = lib->function[f]->node_def[k]->op;
        }
        if (fy_strmap_get(&seen, op))
            continue;
        if (!fy_strmap_put(&seen, op, (void *)op))
            st = fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
        m->ops[m->op_count++] = op;
    }
    fy_strmap_clear(&seen);
    fy_qsort(m->ops, m->op_count, sizeof(char *), compare_cstr);
    return st;
}

static ferry_status describe_stripped_ops(ferry_model *m, ferry_error **err)
{
    const Tensorflow__MetaGraphDef__MetaInfoDef *info = m->file.meta ? m->file.meta->meta_info_def : NULL;
    const Tensorflow__OpList *list = info ? info->stripped_op_list : NULL;
    if (!list || list->n_op == 0)
        return FERRY_OK;
    m->stripped_ops = fy_model_keep(m, calloc(list->n_op, sizeof(char *)));
    if (!m->stripped_ops)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    for (size_t i = 0; i < list->n_op; i++)
        m->stripped_ops[i] = list->op[i]->name;
    m->stripped_op_count = list->n_op;
    fy_qsort(m->stripped_ops, m->stripped_op_count, sizeof(char *), compare_cstr);
    return FERRY_OK;
}

static ferry_status describe_collections(ferry_model *m, ferry_error **err)
{
    const Tensorflow__MetaGraphDef *meta = m->file.meta;
    if (!meta || meta->n_collection_def == 0)
        return FERRY_OK;
    size_t n = meta->n_collection_def;
    m->collections = fy_model_keep(m, calloc(n, sizeof(ferry_collection)));
    if (!m->collections)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    for (size_t i = 0; i < n; i++) {
        const Tensorflow__CollectionDef *c = meta->collection_def[i]->value;
        ferry_collection *out = &m->collections[i];
        out->name = meta->collection_def[i]->key;
        if (!c)
            continue;
        size_t count = 0;
        ferry_string *values = NULL;
        switch (c->kind_case) {
        case TENSORFLOW__COLLECTION_DEF__KIND_NODE_LIST:
            out->kind = FERRY_COLLECTION_NODE_LIST;
            count = c->node_list->n_value;
            values = fy_model_keep(m, calloc(count ? count : 1, sizeof(ferry_string)));
            for (size_t k = 0; values && k < count; k++)
                values[k] = (ferry_string){ c->node_list->value[k], strlen(c->node_list->value[k]) };
            break;
        case TENSORFLOW__COLLECTION_DEF__KIND_BYTES_LIST:
            out->kind = FERRY_COLLECTION_BYTES_LIST;
            count = c->bytes_list->n_value;
            values = fy_model_keep(m, calloc(count ? count : 1, sizeof(ferry_string)));
            for (size_t k = 0; values && k < count; k++)
                values[k] = (ferry_string){ (const char *)c->bytes_list->value[k].data, c->bytes_list->value[k].len };
            break;
        case TENSORFLOW__COLLECTION_DEF__KIND_ANY_LIST: {
            out->kind = FERRY_COLLECTION_ANY_LIST;
            count = c->any_list->n_value;
            values = fy_model_keep(m, calloc(count ? count : 1, sizeof(ferry_string)));
            const char **urls = fy_model_keep(m, calloc(count ? count : 1, sizeof(char *)));
            if (!urls)
                return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
            for (size_t k = 0; values && k < count; k++) {
                const Google__Protobuf__Any *a = c->any_list->value[k];
                urls[k] = a->type_url;
                values[k] = (ferry_string){ (const char *)a->value.data, a->value.len };
            }
            out->type_urls = urls;
            break;
        }
        case TENSORFLOW__COLLECTION_DEF__KIND_INT64_LIST:
            out->kind = FERRY_COLLECTION_INT64_LIST;
            count = c->int64_list->n_value;
            out->ints = c->int64_list->value;
            break;
        case TENSORFLOW__COLLECTION_DEF__KIND_FLOAT_LIST:
            out->kind = FERRY_COLLECTION_FLOAT_LIST;
            count = c->float_list->n_value;
            out->floats = c->float_list->value;
            break;
        default:
            break;
        }
        if ((out->kind == FERRY_COLLECTION_NODE_LIST || out->kind == FERRY_COLLECTION_BYTES_LIST ||
             out->kind == FERRY_COLLECTION_ANY_LIST) && !values)
            return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
        out->values = values;
        out->count = count;
    }
    m->collection_count = n;
    return FERRY_OK;
}

static void describe_saver(ferry_model *m)
{
    const Tensorflow__SaverDef *s = m->file.meta ? m->file.meta->saver_def : NULL;
    if (!s)
        return;
    m->saver = (ferry_saver_info){ s->filename_tensor_name, s->save_tensor_name, s->restore_op_name,
                                   s->max_to_keep, s->sharded, s->keep_checkpoint_every_n_hours,
                                   (int)s->version };
    m->has_saver = 1;
}

static const char *asset_tensor(const Tensorflow__AssetFileDef *a)
{
    const Tensorflow__TensorInfo *ti = a->tensor_info;
    return ti && ti->encoding_case == TENSORFLOW__TENSOR_INFO__ENCODING_NAME && ti->name ? ti->name : "";
}

/* Asset names are plain file names inside <export_dir>/assets. `name` and
 * `tensor` must live as long as the model. */
static ferry_status add_asset(ferry_model *m, const char *name, const char *tensor, ferry_error **err)
{
    if (!name[0] || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, ".."))
        return fy_fail(err, FERRY_ERR_REFUSED, "%s: asset file name '%s' would leave the assets directory",
                       m->file.path, name);
    char *dir = fy_path_join(m->file.export_dir, "assets");
    char *path = dir ? fy_model_keep(m, fy_path_join(dir, name)) : NULL;
    free(dir);
    if (!path)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    m->assets[m->asset_count++] = (ferry_asset_info){ name, tensor, path };
    return FERRY_OK;
}

/* TF1 keeps AssetFileDefs packed in Any values of a collection. */
static ferry_status add_packed_asset(ferry_model *m, const Google__Protobuf__Any *any, ferry_error **err)
{
    if (!any->type_url || strcmp(any->type_url, ASSET_FILE_DEF_URL) != 0)
        return fy_fail(err, FERRY_ERR_CORRUPT, "%s: collection %s holds a %s, not an AssetFileDef",
                       m->file.path, ASSETS_COLLECTION, any->type_url ? any->type_url : "value");
    if (fy_proto_check_depth(&tensorflow__asset_file_def__descriptor, any->value.data, any->value.len, m->file.path,
                             err))
        return FERRY_ERR_CORRUPT;
    Tensorflow__AssetFileDef *a = tensorflow__asset_file_def__unpack(NULL, any->value.len, any->value.data);
    if (!a)
        return fy_fail(err, FERRY_ERR_CORRUPT, "%s: an asset in collection %s does not parse", m->file.path,
                       ASSETS_COLLECTION);
    char *name = fy_model_keep(m, fy_strdup(a->filename ? a->filename : ""));
    char *tensor = fy_model_keep(m, fy_strdup(asset_tensor(a)));
    tensorflow__asset_file_def__free_unpacked(a, NULL);
    if (!name || !tensor)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    return add_asset(m, name, tensor, err);
}

static ferry_status describe_assets(ferry_model *m, ferry_error **err)
{
    const Tensorflow__MetaGraphDef *meta = m->file.meta;
    if (!meta || m->file.format != FERRY_FORMAT_SAVED_MODEL)
        return FERRY_OK;
    const Tensorflow__CollectionDef__AnyList *legacy = NULL;
    for (size_t i = 0; i < meta->n_collection_def; i++) {
        const Tensorflow__CollectionDef *c = meta->collection_def[i]->value;
        if (!strcmp(meta->collection_def[i]->key, ASSETS_COLLECTION) && c &&
            c->kind_case == TENSORFLOW__COLLECTION_DEF__KIND_ANY_LIST)
            legacy = c->any_list;
    }
    /* TF2 lists assets in asset_file_def; TF1 in the assets collection. */
    size_t n = meta->n_asset_file_def ? meta->n_asset_file_def : legacy ? legacy->n_value : 0;
    if (n == 0)
        return FERRY_OK;
    m->assets = fy_model_keep(m, calloc(n, sizeof(ferry_asset_info)));
    if (!m->assets)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    ferry_status st = FERRY_OK;
    for (size_t i = 0; !st && i < meta->n_asset_file_def; i++) {
        const Tensorflow__AssetFileDef *a = meta->asset_file_def[i];
        st = add_asset(m, a->filename ? a->filename : "", asset_tensor(a), err);
    }
    for (size_t i = 0; !st && !meta->n_asset_file_def && i < n; i++)
        st = add_packed_asset(m, legacy->value[i], err);
    return st;
}

ferry_status fy_model_describe(ferry_model *m, ferry_error **err)
{
    ferry_status st = describe_nodes(m, err);
    if (!st)
        st = describe_ops(m, err);
    if (!st)
        st = describe_stripped_ops(m, err);
    if (!st)
        st = describe_collections(m, err);
    if (!st)
        st = describe_assets(m, err);
    describe_saver(m);
    return st;
}

size_t ferry_model_node_count(const ferry_model *m) { return m && m->file.graph ? m->file.graph->n_node : 0; }

const ferry_node_info *ferry_model_node(const ferry_model *m, size_t index)
{
    return index < ferry_model_node_count(m) ? &m->nodes[index] : NULL;
}

size_t ferry_model_op_count(const ferry_model *m) { return m ? m->op_count : 0; }
const char *ferry_model_op(const ferry_model *m, size_t i) { return m && i < m->op_count ? m->ops[i] : NULL; }
int ferry_op_touches_outside(const char *op_type) { return op_type && fy_op_touches_outside(op_type); }

size_t ferry_supported_op_count(void)
{
    size_t n;
    fy_op_names(&n);
    return n;
}

const char *ferry_supported_op(size_t index)
{
    size_t n;
    const char *const *names = fy_op_names(&n);
    return index < n ? names[index] : NULL;
}

int ferry_op_is_supported(const char *op_type)
{
    const fy_op_def *d = op_type ? fy_op_find(op_type) : NULL;
    return d && d->run;
}
size_t ferry_model_stripped_op_count(const ferry_model *m) { return m ? m->stripped_op_count : 0; }

const char *ferry_model_stripped_op(const ferry_model *m, size_t i)
{
    return m && i < m->stripped_op_count ? m->stripped_ops[i] : NULL;
}

size_t ferry_model_collection_count(const ferry_model *m) { return m ? m->collection_count : 0; }

const ferry_collection *ferry_model_collection(const ferry_model *m, size_t i)
{
    return m && i < m->collection_count ? &m->collections[i] : NULL;
}

const ferry_saver_info *ferry_model_saver(const ferry_model *m)
{
    return m && m->has_saver ? &m->saver : NULL;
}

size_t ferry_model_asset_count(const ferry_model *m) { return m ? m->asset_count : 0; }

const ferry_asset_info *ferry_model_asset(const ferry_model *m, size_t i)
{
    return m && i < m->asset_count ? &m->assets[i] : NULL;
}
