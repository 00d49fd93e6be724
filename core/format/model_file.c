#include "base/sort.h"
#include "format/model_file.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/file.h"
#include "format/proto_depth.h"
#include "format/textproto.h"

/* Protobuf messages are limited to 2 GiB. */
#define MAX_PROTO_BYTES (((size_t)1 << 31) - 1)

static int has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !memcmp(s + n - m, suffix, m);
}

ferry_status fy_read_proto_file(ProtobufCMessage **out, const ProtobufCMessageDescriptor *desc,
                                const char *path, ferry_error **err)
{
    char *data = NULL;
    size_t size = 0;
    ferry_status st = fy_read_file(&data, &size, path, MAX_PROTO_BYTES, err);
    if (st)
        return st;
    int text_name = has_suffix(path, ".pbtxt") || has_suffix(path, ".txt");
    ProtobufCMessage *msg = NULL;
    if (!text_name) {
        if ((st = fy_proto_check_depth(desc, (const uint8_t *)data, size, path, err)) != FERRY_OK) {
            free(data);
            return st;
        }
        msg = protobuf_c_message_unpack(desc, NULL, size, (const uint8_t *)data);
        if (msg) {
            free(data);
            *out = msg;
            return FERRY_OK;
        }
    }
    /* Types that text files carry inside Any fields. */
    static const ProtobufCMessageDescriptor *const any_types[] = {
        &tensorflow__asset_file_def__descriptor, &tensorflow__saver_def__descriptor,
        &tensorflow__variable_def__descriptor, NULL
    };
    ferry_error *text_err = NULL;
    st = fy_textproto_parse_with_types(&msg, desc, any_types, data, size, path, &text_err);
    free(data);
    if (st == FERRY_OK) {
        *out = msg;
        return FERRY_OK;
    }
    if (text_name || st == FERRY_ERR_OUT_OF_MEMORY)
        return fy_error_pass(err, text_err, st);
    ferry_status code = fy_fail(err, FERRY_ERR_CORRUPT,
                                "%s: not a valid %s (binary parse failed; as text: %s)", path,
                                desc->name, ferry_error_message(text_err));
    ferry_error_free(text_err);
    return code;
}

static int compare_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted, de-duplicated, comma-joined. */
static char *canonical_tags(char **tags, size_t n)
{
    char **sorted = malloc((n ? n : 1) * sizeof(char *));
    if (!sorted)
        return NULL;
    if (n)
        memcpy(sorted, tags, n * sizeof(char *));
    fy_qsort(sorted, n, sizeof(char *), compare_str);
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(sorted[i]) + 1;
    char *out = malloc(len);
    if (out) {
        out[0] = '\0';
        for (size_t i = 0; i < n; i++) {
            if (i > 0 && !strcmp(sorted[i], sorted[i - 1]))
                continue;
            if (out[0])
                strcat(out, ",");
            strcat(out, sorted[i]);
        }
    }
    free(sorted);
    return out;
}

/* "serve, gpu" -> "gpu,serve". */
static char *canonical_tag_string(const char *tags)
{
    char *copy = fy_strdup(tags);
    if (!copy)
        return NULL;
    char *parts[64];
    size_t n = 0;
    for (char *tok = strtok(copy, ","); tok && n < 64; tok = strtok(NULL, ",")) {
        while (*tok == ' ')
            tok++;
        size_t l = strlen(tok);
        while (l && tok[l - 1] == ' ')
            tok[--l] = '\0';
        if (*tok)
            parts[n++] = tok;
    }
    char *out = canonical_tags(parts, n);
    free(copy);
    return out;
}

static ferry_status choose_meta_graph(fy_model_file *m, const char *tags, int any_tags, ferry_error **err)
{
    const Tensorflow__SavedModel *sm = m->saved_model;
    if (sm->n_meta_graphs == 0)
        return fy_fail(err, FERRY_ERR_CORRUPT, "%s: SavedModel has no MetaGraphs", m->path);
    m->tag_sets = calloc(sm->n_meta_graphs, sizeof(char *));
    if (!m->tag_sets)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    for (size_t i = 0; i < sm->n_meta_graphs; i++) {
        const Tensorflow__MetaGraphDef__MetaInfoDef *info = sm->meta_graphs[i]->meta_info_def;
        m->tag_sets[i] = canonical_tags(info ? info->tags : NULL, info ? info->n_tags : 0);
        if (!m->tag_sets[i])
            return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
        m->tag_set_count++;
    }
    char *want = canonical_tag_string(tags ? tags : "serve");
    if (!want)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    m->chosen = -1;
    for (size_t i = 0; i < m->tag_set_count && m->chosen < 0; i++)
        if (!strcmp(m->tag_sets[i], want))
            m->chosen = (int)i;
    if (m->chosen < 0 && !tags && any_tags)
        m->chosen = 0;
    if (m->chosen < 0) {
        size_t len = 1;
        for (size_t i = 0; i < m->tag_set_count; i++)
            len += strlen(m->tag_sets[i]) + 4;
        char *have = malloc(len);
        if (have) {
            have[0] = '\0';
            for (size_t i = 0; i < m->tag_set_count; i++) {
                strcat(have, i ? ", {" : "{");
                strcat(have, m->tag_sets[i]);
                strcat(have, "}");
            }
        }
        ferry_status st = fy_fail(err, FERRY_ERR_NOT_FOUND,
                                  "%s: no MetaGraph has exactly the tags {%s}; the model has %s",
                                  m->path, want, have ? have : "other tag sets");
        free(have);
        free(want);
        return st;
    }
    free(want);
    m->meta = sm->meta_graphs[m->chosen];
    m->graph = m->meta->graph_def;
    return FERRY_OK;
}

/* TF Serving keeps versions in numbered subdirectories; the highest wins. */
static char *highest_version_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return NULL;
    char *best = NULL;
    unsigned long long best_v = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        const char *p = e->d_name;
        if (!*p || strspn(p, "0123456789") != strlen(p) || strlen(p) > 18)
            continue;
        unsigned long long v = strtoull(p, NULL, 10);
        char *sub = fy_path_join(dir, p);
        char *pb = sub ? fy_path_join(sub, "saved_model.pb") : NULL;
        char *pbtxt = sub ? fy_path_join(sub, "saved_model.pbtxt") : NULL;
        int ok = pb && pbtxt && (fy_path_kind(pb) == 1 || fy_path_kind(pbtxt) == 1);
        if (ok && (!best || v > best_v)) {
            free(best);
            best = sub;
            sub = NULL;
            best_v = v;
        }
        free(sub);
        free(pb);
        free(pbtxt);
    }
    closedir(d);
    return best;
}

static ferry_status open_saved_model_dir(fy_model_file *m, const char *dir, ferry_error **err)
{
    char *pb = fy_path_join(dir, "saved_model.pb");
    char *pbtxt = fy_path_join(dir, "saved_model.pbtxt");
    char *cpb = fy_path_join(dir, "saved_model.cpb");
    char *meta = fy_path_join(dir, "export.meta");
    ferry_status st = FERRY_OK;
    if (!pb || !pbtxt || !cpb || !meta) {
        st = fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    } else if (fy_path_kind(pb) == 1 || fy_path_kind(pbtxt) == 1) {
        m->path = fy_strdup(fy_path_kind(pb) == 1 ? pb : pbtxt);
        m->export_dir = fy_strdup(dir);
        if (!m->path || !m->export_dir)
            st = fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
        else
            st = fy_read_proto_file((ProtobufCMessage **)&m->saved_model,
                                    &tensorflow__saved_model__descriptor, m->path, err);
        m->format = FERRY_FORMAT_SAVED_MODEL;
    } else if (fy_path_kind(cpb) == 1) {
        st = fy_fail(err, FERRY_ERR_UNSUPPORTED,
                     "%s: chunked SavedModels (saved_model.cpb, written with experimental_image_format) "
                     "are not supported; re-save without that option", dir);
    } else if (fy_path_kind(meta) == 1) {
        st = fy_fail(err, FERRY_ERR_NOT_FOUND,
                     "%s: not a SavedModel (no saved_model.pb); it looks like a legacy SessionBundle "
                     "export: load %s with its checkpoint instead", dir, meta);
    } else {
        char *version = highest_version_dir(dir);
        if (version)
            st = open_saved_model_dir(m, version, err);
        else
            st = fy_fail(err, FERRY_ERR_NOT_FOUND,
                         "%s: not a model directory (no saved_model.pb or saved_model.pbtxt)", dir);
        free(version);
    }
    free(pb);
    free(pbtxt);
    free(cpb);
    free(meta);
    return st;
}

static int is_meta_graph_name(const char *path)
{
    return has_suffix(path, ".meta") || has_suffix(path, ".meta.pbtxt") || has_suffix(path, ".meta.txt") ||
           has_suffix(path, ".meta.pb");
}

ferry_status fy_model_file_open(fy_model_file *m, const char *path, const char *tags, int any_tags,
                                ferry_error **err)
{
    memset(m, 0, sizeof(*m));
    m->chosen = -1;
    int kind = fy_path_kind(path);
    ferry_status st;
    if (kind == 2) {
        st = open_saved_model_dir(m, path, err);
        if (!st)
            st = choose_meta_graph(m, tags, any_tags, err);
    } else if (kind == 1 && (has_suffix(path, "saved_model.pb") || has_suffix(path, "saved_model.pbtxt"))) {
        char *dir = fy_path_dirname(path);
        st = dir ? open_saved_model_dir(m, dir, err) : fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
        free(dir);
        if (!st)
            st = choose_meta_graph(m, tags, any_tags, err);
    } else if (kind == 1) {
        m->path = fy_strdup(path);
        m->export_dir = fy_path_dirname(path);
        if (!m->path || !m->export_dir) {
            st = fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
        } else if (is_meta_graph_name(path)) {
            m->format = FERRY_FORMAT_META_GRAPH;
            st = fy_read_proto_file((ProtobufCMessage **)&m->own_meta,
                                    &tensorflow__meta_graph_def__descriptor, path, err);
            if (!st) {
                m->meta = m->own_meta;
                m->graph = m->own_meta->graph_def;
                const Tensorflow__MetaGraphDef__MetaInfoDef *info = m->meta->meta_info_def;
                m->tag_sets = calloc(1, sizeof(char *));
                if (m->tag_sets && (m->tag_sets[0] = canonical_tags(info ? info->tags : NULL, info ? info->n_tags : 0)))
                    m->tag_set_count = 1;
                else
                    st = fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
                m->chosen = 0;
            }
        } else {
            m->format = FERRY_FORMAT_FROZEN_GRAPH;
            st = fy_read_proto_file((ProtobufCMessage **)&m->own_graph, &tensorflow__graph_def__descriptor,
                                    path, err);
            m->graph = m->own_graph;
        }
    } else {
        st = fy_fail(err, FERRY_ERR_NOT_FOUND, "%s: no such file or directory", path);
    }
    if (!st && !m->graph)
        st = fy_fail(err, FERRY_ERR_CORRUPT, "%s: the model holds no graph", m->path ? m->path : path);
    if (st)
        fy_model_file_close(m);
    return st;
}

void fy_model_file_close(fy_model_file *m)
{
    if (m->saved_model)
        tensorflow__saved_model__free_unpacked(m->saved_model, NULL);
    if (m->own_meta)
        tensorflow__meta_graph_def__free_unpacked(m->own_meta, NULL);
    if (m->own_graph)
        tensorflow__graph_def__free_unpacked(m->own_graph, NULL);
    for (size_t i = 0; i < m->tag_set_count; i++)
        free(m->tag_sets[i]);
    free(m->tag_sets);
    free(m->path);
    free(m->export_dir);
    memset(m, 0, sizeof(*m));
    m->chosen = -1;
}
