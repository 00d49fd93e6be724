/* Making a loaded model runnable: import, restore, init ops, signature plans. */
#include <stdlib.h>
#include <string.h>

#include "api/model_internal.h"
#include "base/error.h"
#include "base/file.h"
#include "base/parallel.h"
#include "format/v1_checkpoint.h"
#include "kernels/kernel.h"
#include "runtime/passes.h"
#include "runtime/restore.h"

#define INIT_OP_SIGNATURE "__saved_model_init_op"
#define TRAIN_OP_SIGNATURE "__saved_model_train_op"

static int has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && !strcmp(s + n - k, suffix);
}

/* A SavedModel's own variables (a symlinked variables/ or its index) must
 * not lead out of the model directory, as its assets must not, unless the
 * caller allowed file access. */
static ferry_status check_variables_inside(const ferry_model *m, const char *prefix, ferry_error **err)
{
    if (m->file.format != FERRY_FORMAT_SAVED_MODEL || (m->flags & FERRY_LOAD_ALLOW_FILE_OPS))
        return FERRY_OK;
    char *index = fy_sprintf("%s.index", prefix);
    if (!index)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    ferry_status st = fy_path_inside(index, m->file.export_dir)
                        ? FERRY_OK
                        : fy_fail(err, FERRY_ERR_REFUSED, "%s: variables %s lead outside the model directory; allow "
                                  "it with FERRY_LOAD_ALLOW_FILE_OPS", m->file.path, index);
    free(index);
    return st;
}

/* Where a model's variables come from: a new string in *out, or NULL for
 * none. Fails only when out of memory. */
static ferry_status checkpoint_for(char **out, const ferry_model *m, const ferry_model_options *o)
{
    *out = NULL;
    if (o->checkpoint) {
        *out = fy_strdup(o->checkpoint);
        return *out ? FERRY_OK : FERRY_ERR_OUT_OF_MEMORY;
    }
    if (m->file.format == FERRY_FORMAT_SAVED_MODEL) {
        char *prefix = fy_path_join(m->file.export_dir, "variables/variables");
        char *index = prefix ? fy_sprintf("%s.index", prefix) : NULL;
        if (!index) {
            free(prefix);
            return FERRY_ERR_OUT_OF_MEMORY;
        }
        if (fy_path_kind(index) == 1)
            *out = prefix;
        else
            free(prefix);
        free(index);
        return FERRY_OK;
    }
    if (m->file.format != FERRY_FORMAT_META_GRAPH)
        return FERRY_OK;
    /* model.ckpt-5.meta sits beside the checkpoint model.ckpt-5. */
    static const char *const suffixes[] = { ".meta", ".meta.pbtxt", ".meta.txt", ".meta.pb" };
    for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
        if (!has_suffix(m->file.path, suffixes[i]))
            continue;
        char *prefix = fy_strdup(m->file.path);
        if (!prefix)
            return FERRY_ERR_OUT_OF_MEMORY;
        prefix[strlen(prefix) - strlen(suffixes[i])] = '\0';
        char *index = fy_sprintf("%s.index", prefix);
        if (!index) {
            free(prefix);
            return FERRY_ERR_OUT_OF_MEMORY;
        }
        int found = fy_path_kind(index) == 1 || fy_v1_exists(prefix);
        free(index);
        if (found) {
            *out = prefix;
            return FERRY_OK;
        }
        free(prefix);
    }
    *out = fy_strdup(m->file.export_dir);
    return *out ? FERRY_OK : FERRY_ERR_OUT_OF_MEMORY;
}

/* The init op's node name per TF's precedence, or NULL. */
static const char *init_op(const ferry_model *m)
{
    for (size_t i = 0; i < m->signature_count; i++)
        if (!strcmp(m->signatures[i].key, INIT_OP_SIGNATURE) && m->signatures[i].output_count == 1)
            return m->signatures[i].outputs[0].tensor;
    static const char *const collections[] = { "saved_model_main_op", "legacy_init_op" };
    for (size_t k = 0; k < 2; k++)
        for (size_t i = 0; i < m->collection_count; i++) {
            const ferry_collection *c = &m->collections[i];
            if (!strcmp(c->name, collections[k]) && c->kind == FERRY_COLLECTION_NODE_LIST && c->count == 1)
                return c->values[0].data;
        }
    return NULL;
}

static ferry_status run_init_op(ferry_model *m, ferry_error **err)
{
    const char *op = init_op(m);
    if (!op || m->file.format != FERRY_FORMAT_SAVED_MODEL)
        return FERRY_OK;
    char *target = fy_strdup(op);
    if (!target)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    char *colon = strchr(target, ':');
    if (colon)
        *colon = '\0';
    /* Asset tensors are fed the paths of their files. */
    const char **feed_names = calloc(m->asset_count + 1, sizeof(char *));
    ferry_tensor **feeds = calloc(m->asset_count + 1, sizeof(ferry_tensor *));
    ferry_status st = feed_names && feeds ? FERRY_OK : fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    int n = 0;
    for (size_t i = 0; !st && i < m->asset_count; i++) {
        if (!m->assets[i].tensor[0])
            continue;
        if (fy_path_kind(m->assets[i].path) != 1) {
            st = fy_fail(err, FERRY_ERR_NOT_FOUND, "%s: asset file %s is missing", m->file.path, m->assets[i].path);
            break;
        }
        /* A symlink in assets/ must not lead out of the model. */
        if (!(m->flags & FERRY_LOAD_ALLOW_FILE_OPS) && !fy_path_inside(m->assets[i].path, m->file.export_dir)) {
            st = fy_fail(err, FERRY_ERR_REFUSED, "%s: asset %s leads outside the model directory", m->file.path,
                         m->assets[i].path);
            break;
        }
        st = fy_tensor_new(&feeds[n], FERRY_DT_STRING, NULL, 0, err);
        if (!st)
            st = fy_tensor_set_string(feeds[n], 0, m->assets[i].path, strlen(m->assets[i].path), err);
        feed_names[n++] = m->assets[i].tensor;
    }
    fy_plan *plan = NULL;
    const char *targets[1] = { target };
    if (!st)
        st = fy_passes_plan(&plan, &m->runtime, feed_names, n, NULL, 0, targets, 1, err);
    if (!st)
        st = fy_plan_run(plan, &m->runtime, (const ferry_tensor *const *)feeds, NULL, NULL, err);
    if (st)
        fy_error_prefix(err, "running init op '%s'", target);
    fy_plan_free(plan);
    for (int i = 0; feeds && i < n; i++)
        ferry_tensor_free(feeds[i]);
    free(feeds);
    free(feed_names);
    free(target);
    return st;
}

static int runnable(ferry_signature *s)
{
    if (!strcmp(s->key, INIT_OP_SIGNATURE) || !strcmp(s->key, TRAIN_OP_SIGNATURE)) {
        s->not_runnable = "it is the model's init or train op, run at load";
        return 0;
    }
    for (size_t i = 0; i < s->input_count + s->output_count; i++) {
        const ferry_tensor_info *t = i < s->input_count ? &s->inputs[i] : &s->outputs[i - s->input_count];
        if (t->encoding != FERRY_ENCODING_DENSE) {
            s->not_runnable = "it takes or gives sparse or composite tensors; feed their parts with ferry_model_run";
            return 0;
        }
    }
    return 1;
}

/* The dtype each input's placeholder takes. TensorFlow checks feeds against
 * the graph, not the SignatureDef, and old exports sometimes disagree. */
static ferry_status feed_dtypes(ferry_model *m, ferry_signature *s, ferry_error **err)
{
    s->feed_dtypes = fy_model_keep(m, calloc(s->input_count + 1, sizeof(ferry_dtype)));
    if (!s->feed_dtypes)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    for (size_t i = 0; i < s->input_count; i++) {
        fy_edge e;
        s->feed_dtypes[i] = s->inputs[i].dtype;
        if (fy_graph_tensor(&e, &m->runtime.graph, s->inputs[i].tensor, NULL) == FERRY_OK) {
            const fy_node *n = &m->runtime.graph.nodes[e.node];
            if (!strcmp(n->op, "Placeholder") || !strcmp(n->op, "PlaceholderWithDefault"))
                s->feed_dtypes[i] = fy_attr_type(n, "dtype", s->inputs[i].dtype);
        }
    }
    return FERRY_OK;
}

static ferry_status signature_plan(fy_plan **out, ferry_model *m, const ferry_signature *s, ferry_error **err)
{
    const char **feeds = calloc(s->input_count + 1, sizeof(char *));
    const char **fetches = calloc(s->output_count + 1, sizeof(char *));
    ferry_status st = feeds && fetches ? FERRY_OK : fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    for (size_t i = 0; !st && i < s->input_count; i++)
        feeds[i] = s->inputs[i].tensor;
    for (size_t i = 0; !st && i < s->output_count; i++)
        fetches[i] = s->outputs[i].tensor;
    if (!st)
        st = fy_passes_plan(out, &m->runtime, feeds, (int)s->input_count, fetches, (int)s->output_count, NULL, 0, err);
    if (!st)
        st = feed_dtypes(m, (ferry_signature *)s, err);
    free(feeds);
    free(fetches);
    return st;
}

/* Prepares every runnable signature; when ops lack kernels, one error names
 * them for all signatures together. */
static ferry_status prepare_signatures(ferry_model *m, ferry_error **err)
{
    char *missing = NULL;
    for (size_t i = 0; i < m->signature_count; i++) {
        ferry_signature *s = &m->signatures[i];
        if (!runnable(s))
            continue;
        ferry_error *local = NULL;
        ferry_status st = signature_plan(&s->plan, m, s, &local);
        if (st == FERRY_ERR_UNSUPPORTED) {
            char *joined = fy_sprintf("%s%ssignature '%s': %s", missing ? missing : "", missing ? "; " : "", s->key,
                                      ferry_error_message(local));
            free(missing);
            missing = joined;
            ferry_error_free(local);
            if (!missing)
                return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
        } else if (st) {
            free(missing);
            fy_error_pass(err, local, st);
            return fy_error_prefix(err, "signature '%s'", s->key);
        }
    }
    if (!missing)
        return FERRY_OK;
    ferry_status st = fy_fail(err, FERRY_ERR_UNSUPPORTED, "%s", missing);
    free(missing);
    return st;
}

ferry_status fy_model_prepare(ferry_model *m, const ferry_model_options *o, ferry_error **err)
{
    const Tensorflow__MetaGraphDef__MetaInfoDef *info = m->file.meta ? m->file.meta->meta_info_def : NULL;
    m->budget.limit = o->memory_limit;
    fy_runtime_config config = { o->flags, o->print, o->print_context, o->memory_limit ? &m->budget : NULL,
                                 o->max_graph_nodes };
    ferry_status st = fy_runtime_init(&m->runtime, m->file.graph, info ? info->stripped_op_list : NULL,
                                      m->file.path, &config, err);
    m->has_runtime = 1;
    m->runtime.model_dir = m->file.export_dir;
    pthread_mutex_init(&m->plans_lock, NULL);
    if (!st)
        st = fy_pool_new(&m->runtime.pool, o->intra_op_threads ? o->intra_op_threads : fy_cpu_count(), err);
    if (!st)
        st = fy_passes_rewrite(&m->runtime, err);
    if (st)
        return st;
    char *checkpoint = NULL;
    if (checkpoint_for(&checkpoint, m, o))
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    if (checkpoint && !o->checkpoint && (st = check_variables_inside(m, checkpoint, err)) != FERRY_OK) {
        free(checkpoint);
        return st;
    }
    const ferry_saver_info *saver = m->has_saver ? &m->saver : NULL;
    fy_restore_request req = { checkpoint, saver && saver->restore_op[0] ? saver->restore_op : NULL,
                               o->restore_map, o->restore_map_count, o->restore_only_mapped,
                               m->file.meta ? m->file.meta->object_graph_def : NULL };
    st = fy_runtime_restore(&m->runtime, &req, err);
    free(checkpoint);
    if (!st)
        st = run_init_op(m, err);
    /* A SavedModel's init op fills its tables; other files leave it to the user. */
    if (!st && m->file.format != FERRY_FORMAT_SAVED_MODEL)
        st = fy_runtime_init_tables(&m->runtime, err);
    if (!st)
        st = prepare_signatures(m, err);
    return st;
}

void fy_model_unprepare(ferry_model *m)
{
    if (!m->has_runtime)
        return;
    for (size_t i = 0; i < m->signature_count; i++)
        fy_plan_free(m->signatures[i].plan);
    for (fy_cached_plan *c = m->plans, *next; c; c = next) {
        next = c->next;
        fy_plan_free(c->plan);
        free(c->key);
        free(c);
    }
    pthread_mutex_destroy(&m->plans_lock);
    fy_pool_free(m->runtime.pool);
    m->runtime.pool = NULL;
    fy_runtime_clear(&m->runtime);
    m->has_runtime = 0;
}
