#include "base/sort.h"
#include "format/v1_checkpoint.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/box.h"
#include "base/dtype.h"
#include "base/error.h"
#include "base/file.h"
#include "base/tensor.h"
#include "checkpoint.pb-c.h"
#include "format/proto_depth.h"
#include "format/slice_key.h"
#include "format/table.h"
#include "format/tensor_proto.h"

#define MAX_V1_FILE_BYTES ((size_t)1 << 32)

/* One stored slice: its key and where its serialized value sits. */
typedef struct data_record {
    unsigned char *key;
    size_t key_size;
    const unsigned char *value;
    size_t value_size;
    size_t file;
} data_record;

struct fy_v1_checkpoint {
    char **paths;
    char **files;           /* whole contents of each shard file */
    size_t file_count;
    fy_v1_variable *vars;
    size_t var_count;
    data_record *records;   /* sorted by key */
    size_t record_count, record_cap;
};

static int shard_name_matches(const char *name, const char *base)
{
    size_t n = strlen(base);
    int a, b;
    char tail;
    return strncmp(name, base, n) == 0 && sscanf(name + n, "-%5d-of-%5d%c", &a, &b, &tail) == 2 &&
           strlen(name + n) == 15;
}

/* The shard files of a sharded V1 checkpoint, sorted. */
static ferry_status list_shards(char ***out, size_t *count, const char *prefix, ferry_error **err)
{
    char *dir = fy_path_dirname(prefix);
    const char *slash = strrchr(prefix, '/');
    const char *base = slash ? slash + 1 : prefix;
    *out = NULL;
    *count = 0;
    DIR *d = dir ? opendir(dir) : NULL;
    if (!d) {
        free(dir);
        return fy_fail(err, FERRY_ERR_NOT_FOUND, "no checkpoint at %s", prefix);
    }
    ferry_status st = FERRY_OK;
    size_t cap = 0;
    struct dirent *ent;
    while (!st && (ent = readdir(d)) != NULL) {
        if (!shard_name_matches(ent->d_name, base))
            continue;
        if (*count == cap) {
            cap = cap ? cap * 2 : 4;
            char **grown = realloc(*out, cap * sizeof(char *));
            if (!grown) {
                st = fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
                break;
            }
            *out = grown;
        }
        (*out)[*count] = fy_path_join(dir, ent->d_name);
        if (!(*out)[*count])
            st = fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
        else
            (*count)++;
    }
    closedir(d);
    free(dir);
    for (size_t i = 1; i < *count; i++)
        for (size_t j = i; j > 0 && strcmp((*out)[j - 1], (*out)[j]) > 0; j--) {
            char *t = (*out)[j];
            (*out)[j] = (*out)[j - 1];
            (*out)[j - 1] = t;
        }
    if (!st && *count == 0)
        st = fy_fail(err, FERRY_ERR_NOT_FOUND, "no checkpoint at %s", prefix);
    return st;
}

int fy_v1_exists(const char *prefix)
{
    if (fy_path_kind(prefix) == 1)
        return 1;
    char **shards;
    size_t n;
    if (list_shards(&shards, &n, prefix, NULL))
        return 0;
    for (size_t i = 0; i < n; i++)
        free(shards[i]);
    free(shards);
    return n > 0;
}

typedef struct scan_state {
    fy_v1_checkpoint *c;
    size_t file;
    size_t var_cap;
} scan_state;

static ferry_status add_variable(scan_state *s, const Tensorflow__SavedSliceMeta *m, ferry_error **err)
{
    fy_v1_checkpoint *c = s->c;
    const char *path = c->paths[s->file];
    for (size_t i = 0; i < c->var_count; i++)
        if (!strcmp(c->vars[i].name, m->name))
            return FERRY_OK; /* every shard repeats the metadata of all tensors */
    if (c->var_count == s->var_cap) {
        s->var_cap = s->var_cap ? s->var_cap * 2 : 16;
        fy_v1_variable *grown = realloc(c->vars, s->var_cap * sizeof(*grown));
        if (!grown)
            return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
        c->vars = grown;
    }
    fy_v1_variable *v = &c->vars[c->var_count];
    memset(v, 0, sizeof(*v));
    v->name = fy_strdup(m->name);
    if (!v->name)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    c->var_count++;
    v->dtype = (ferry_dtype)fy_dtype_base((int)m->type);
    ferry_status st = fy_shape_from_proto(&v->rank, v->dims, m->shape, path, err);
    if (st)
        return fy_error_prefix(err, "tensor '%s'", m->name);
    if (v->rank < 0 || fy_shape_count(v->dims, v->rank, 1) < 0)
        return fy_fail(err, FERRY_ERR_CORRUPT, "%s: tensor '%s' has an invalid shape", path, m->name);
    size_t cells = (m->n_slice ? m->n_slice : 1) * (size_t)(v->rank ? v->rank : 1);
    v->slice_start = calloc(cells, sizeof(int64_t));
    v->slice_length = calloc(cells, sizeof(int64_t));
    if (!v->slice_start || !v->slice_length)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    v->slice_count = m->n_slice;
    for (size_t i = 0; i < m->n_slice; i++) {
        const Tensorflow__TensorSliceProto *sl = m->slice[i];
        if (sl->n_extent != (size_t)v->rank && sl->n_extent != 0)
            return fy_fail(err, FERRY_ERR_CORRUPT, "%s: slice %zu of tensor '%s' has %zu extents for rank %d",
                           path, i, m->name, sl->n_extent, v->rank);
        for (int d = 0; d < v->rank; d++) {
            const Tensorflow__TensorSliceProto__Extent *x = sl->n_extent ? sl->extent[d] : NULL;
            int whole = !x || x->has_length_case != TENSORFLOW__TENSOR_SLICE_PROTO__EXTENT__HAS_LENGTH_LENGTH;
            int64_t start = whole ? 0 : x->start, len = whole ? -1 : x->length;
            if (!whole && (start < 0 || len < 0 || start > v->dims[d] || len > v->dims[d] - start))
                return fy_fail(err, FERRY_ERR_CORRUPT, "%s: slice %zu of tensor '%s' lies outside its shape",
                               path, i, m->name);
            v->slice_start[i * (size_t)v->rank + (size_t)d] = start;
            v->slice_length[i * (size_t)v->rank + (size_t)d] = len;
        }
    }
    return FERRY_OK;
}

static ferry_status visit(void *context, const unsigned char *key, size_t key_size,
                          const unsigned char *value, size_t value_size, ferry_error **err)
{
    scan_state *s = context;
    fy_v1_checkpoint *c = s->c;
    if (key_size == 0) {
        if (fy_proto_check_depth(&tensorflow__saved_tensor_slices__descriptor, value, value_size, c->paths[s->file],
                                 err))
            return FERRY_ERR_CORRUPT;
        Tensorflow__SavedTensorSlices *ts = tensorflow__saved_tensor_slices__unpack(NULL, value_size, value);
        if (!ts || !ts->meta) {
            if (ts)
                tensorflow__saved_tensor_slices__free_unpacked(ts, NULL);
            return fy_fail(err, FERRY_ERR_CORRUPT, "%s: checkpoint metadata does not parse",
                           c->paths[s->file]);
        }
        ferry_status st = FERRY_OK;
        for (size_t i = 0; !st && i < ts->meta->n_tensor; i++)
            st = add_variable(s, ts->meta->tensor[i], err);
        tensorflow__saved_tensor_slices__free_unpacked(ts, NULL);
        return st;
    }
    if (c->record_count == c->record_cap) {
        c->record_cap = c->record_cap ? c->record_cap * 2 : 16;
        data_record *grown = realloc(c->records, c->record_cap * sizeof(*grown));
        if (!grown)
            return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
        c->records = grown;
    }
    data_record *r = &c->records[c->record_count];
    r->key = malloc(key_size);
    if (!r->key)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    memcpy(r->key, key, key_size);
    r->key_size = key_size;
    r->value = value;
    r->value_size = value_size;
    r->file = s->file;
    c->record_count++;
    return FERRY_OK;
}

static int compare_records(const void *a, const void *b)
{
    const data_record *x = a, *y = b;
    size_t n = x->key_size < y->key_size ? x->key_size : y->key_size;
    int c = memcmp(x->key, y->key, n);
    return c ? c : (x->key_size > y->key_size) - (x->key_size < y->key_size);
}

static int compare_vars(const void *a, const void *b)
{
    return strcmp(((const fy_v1_variable *)a)->name, ((const fy_v1_variable *)b)->name);
}

ferry_status fy_v1_open(fy_v1_checkpoint **out, const char *prefix, ferry_error **err)
{
    fy_v1_checkpoint *c = calloc(1, sizeof(*c));
    if (!c)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    ferry_status st;
    if (fy_path_kind(prefix) == 1) {
        c->paths = calloc(1, sizeof(char *));
        st = c->paths && (c->paths[0] = fy_strdup(prefix)) ? FERRY_OK
                                                           : fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
        if (!st)
            c->file_count = 1;
    } else {
        st = list_shards(&c->paths, &c->file_count, prefix, err);
    }
    if (!st && !(c->files = calloc(c->file_count, sizeof(char *))))
        st = fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    scan_state s = { c, 0, 0 };
    for (size_t i = 0; !st && i < c->file_count; i++) {
        size_t size;
        s.file = i;
        st = fy_read_file(&c->files[i], &size, c->paths[i], MAX_V1_FILE_BYTES, err);
        if (!st)
            st = fy_table_scan((const unsigned char *)c->files[i], size, c->paths[i], visit, &s, err);
    }
    if (st) {
        fy_v1_free(c);
        return st;
    }
    fy_qsort(c->records, c->record_count, sizeof(data_record), compare_records);
    fy_qsort(c->vars, c->var_count, sizeof(fy_v1_variable), compare_vars);
    *out = c;
    return FERRY_OK;
}

void fy_v1_free(fy_v1_checkpoint *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->file_count; i++) {
        free(c->paths[i]);
        if (c->files)
            free(c->files[i]);
    }
    free(c->paths);
    free(c->files);
    for (size_t i = 0; i < c->var_count; i++) {
        free(c->vars[i].name);
        free(c->vars[i].slice_start);
        free(c->vars[i].slice_length);
    }
    free(c->vars);
    for (size_t i = 0; i < c->record_count; i++)
        free(c->records[i].key);
    free(c->records);
    free(c);
}

size_t fy_v1_count(const fy_v1_checkpoint *c) { return c->var_count; }
const fy_v1_variable *fy_v1_variable_at(const fy_v1_checkpoint *c, size_t i)
{
    return i < c->var_count ? &c->vars[i] : NULL;
}

static const data_record *find_record(const fy_v1_checkpoint *c, const unsigned char *key, size_t n)
{
    data_record probe = { (unsigned char *)key, n, NULL, 0, 0 };
    return fy_bsearch(&probe, c->records, c->record_count, sizeof(data_record), compare_records);
}

/* Reads one stored slice and copies it into `full`. */
static ferry_status read_slice(ferry_tensor *full, const fy_v1_checkpoint *c, const fy_v1_variable *v,
                               const int64_t *start, const int64_t *length, ferry_error **err)
{
    int64_t origin[FERRY_MAX_RANK], extent[FERRY_MAX_RANK];
    for (int d = 0; d < v->rank; d++) {
        origin[d] = length[d] < 0 ? 0 : start[d];
        extent[d] = length[d] < 0 ? v->dims[d] : length[d];
    }
    size_t key_size;
    unsigned char *key = fy_slice_key_encode(&key_size, v->name, v->rank, start, length);
    if (!key)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    const data_record *r = find_record(c, key, key_size);
    free(key);
    if (!r)
        return fy_fail(err, FERRY_ERR_NOT_FOUND, "%s: data of tensor '%s' is missing", c->paths[0], v->name);
    if (fy_proto_check_depth(&tensorflow__saved_tensor_slices__descriptor, r->value, r->value_size,
                             c->paths[r->file], err))
        return FERRY_ERR_CORRUPT;
    Tensorflow__SavedTensorSlices *ts = tensorflow__saved_tensor_slices__unpack(NULL, r->value_size, r->value);
    if (!ts || !ts->data || !ts->data->data) {
        if (ts)
            tensorflow__saved_tensor_slices__free_unpacked(ts, NULL);
        return fy_fail(err, FERRY_ERR_CORRUPT, "%s: data of tensor '%s' does not parse",
                       c->paths[r->file], v->name);
    }
    ferry_tensor *part = NULL;
    ferry_status st = fy_tensor_from_proto_as(&part, ts->data->data, v->dtype, extent, v->rank,
                                              c->paths[r->file], err);
    tensorflow__saved_tensor_slices__free_unpacked(ts, NULL);
    if (st)
        return fy_error_prefix(err, "tensor '%s'", v->name);
    if (v->dtype == FERRY_DT_STRING) {
        const ferry_string *s = part->data;
        for (int64_t i = 0; !st && i < part->count; i++) {
            int64_t idx = 0, rem = i, coord[FERRY_MAX_RANK];
            for (int d = v->rank - 1; d >= 0; d--) {
                coord[d] = rem % extent[d];
                rem /= extent[d];
            }
            for (int d = 0; d < v->rank; d++)
                idx = idx * v->dims[d] + origin[d] + coord[d];
            st = fy_tensor_set_string(full, idx, s[i].data, s[i].size, err);
        }
    } else {
        fy_region dst = { full->data, (int64_t[FERRY_MAX_RANK]){ 0 }, full->dims };
        fy_region src = { part->data, origin, part->dims };
        fy_copy_box(dst, src, origin, extent, v->rank, ferry_dtype_size(v->dtype));
    }
    ferry_tensor_free(part);
    return st;
}

ferry_status fy_v1_read(ferry_tensor **out, const fy_v1_checkpoint *c, const fy_v1_variable *v,
                        ferry_error **err)
{
    ferry_tensor *full = NULL;
    ferry_status st = fy_tensor_new(&full, v->dtype, v->dims, v->rank, err);
    if (st)
        return fy_error_prefix(err, "tensor '%s'", v->name);
    int64_t whole_start[FERRY_MAX_RANK] = { 0 }, whole_len[FERRY_MAX_RANK];
    for (int d = 0; d < FERRY_MAX_RANK; d++)
        whole_len[d] = -1;
    if (v->slice_count == 0)
        st = read_slice(full, c, v, whole_start, whole_len, err);
    for (size_t i = 0; !st && i < v->slice_count; i++)
        st = read_slice(full, c, v, v->slice_start + i * (size_t)v->rank,
                        v->slice_length + i * (size_t)v->rank, err);
    if (st) {
        ferry_tensor_free(full);
        return st;
    }
    *out = full;
    return FERRY_OK;
}
