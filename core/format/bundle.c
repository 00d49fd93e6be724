#include "format/bundle.h"

#include <stdlib.h>
#include <string.h>

#include "base/box.h"
#include "base/coding.h"
#include "base/crc32c.h"
#include "base/dtype.h"
#include "base/error.h"
#include "base/file.h"
#include "base/tensor.h"
#include "format/slice_key.h"
#include "format/table.h"
#include "format/tensor_proto.h"

/* Index files hold metadata only; anything larger is not a real index. */
#define MAX_INDEX_BYTES ((size_t)1 << 31)
#define MAX_SHARDS 100000

/* The bundle format version Ferry reads. */
#define BUNDLE_CONSUMER_VERSION 1

char *fy_bundle_shard_name(const char *prefix, int shard, int num_shards)
{
    return fy_sprintf("%s.data-%05d-of-%05d", prefix, shard, num_shards);
}

static int host_is_big_endian(void)
{
    const uint16_t one = 1;
    unsigned char b;
    memcpy(&b, &one, 1);
    return b == 0;
}

typedef struct open_state {
    fy_bundle *b;
    const char *index_path;
    size_t cap;
    int saw_header;
} open_state;

static ferry_status read_header(open_state *s, const unsigned char *v, size_t n, ferry_error **err)
{
    Tensorflow__BundleHeaderProto *h = tensorflow__bundle_header_proto__unpack(NULL, n, v);
    if (!h)
        return fy_fail(err, FERRY_ERR_CORRUPT, "%s: bundle header does not parse", s->index_path);
    ferry_status st = FERRY_OK;
    if (h->num_shards < 1 || h->num_shards > MAX_SHARDS)
        st = fy_fail(err, FERRY_ERR_CORRUPT, "%s: bundle header claims %d data shards",
                     s->index_path, (int)h->num_shards);
    else if (h->endianness != TENSORFLOW__BUNDLE_HEADER_PROTO__ENDIANNESS__LITTLE &&
             h->endianness != TENSORFLOW__BUNDLE_HEADER_PROTO__ENDIANNESS__BIG)
        st = fy_fail(err, FERRY_ERR_CORRUPT, "%s: unknown byte order %d in bundle header",
                     s->index_path, (int)h->endianness);
    else if (h->version) {
        if (h->version->producer < 0 || h->version->min_consumer > BUNDLE_CONSUMER_VERSION)
            st = fy_fail(err, FERRY_ERR_UNSUPPORTED,
                         "%s: bundle version (producer %d, min consumer %d) is newer than Ferry reads",
                         s->index_path, (int)h->version->producer, (int)h->version->min_consumer);
        for (size_t i = 0; !st && i < h->version->n_bad_consumers; i++)
            if (h->version->bad_consumers[i] == BUNDLE_CONSUMER_VERSION)
                st = fy_fail(err, FERRY_ERR_UNSUPPORTED, "%s: bundle marks reader version %d as bad",
                             s->index_path, BUNDLE_CONSUMER_VERSION);
    }
    if (!st) {
        s->b->num_shards = h->num_shards;
        int big = h->endianness == TENSORFLOW__BUNDLE_HEADER_PROTO__ENDIANNESS__BIG;
        s->b->swap_bytes = big != host_is_big_endian();
    }
    tensorflow__bundle_header_proto__free_unpacked(h, NULL);
    return st;
}

static ferry_status shape_from_proto(int *rank, int64_t *dims, const Tensorflow__TensorShapeProto *p,
                                     const char *path, const char *name, ferry_error **err)
{
    *rank = 0;
    if (!p)
        return FERRY_OK;
    if (p->unknown_rank || p->n_dim > FERRY_MAX_RANK)
        return fy_fail(err, FERRY_ERR_CORRUPT, "%s: tensor '%s' has an invalid shape", path, name);
    for (size_t i = 0; i < p->n_dim; i++) {
        if (p->dim[i]->size < 0)
            return fy_fail(err, FERRY_ERR_CORRUPT, "%s: tensor '%s' has dim %zu of size %lld", path,
                           name, i, (long long)p->dim[i]->size);
        dims[i] = p->dim[i]->size;
    }
    /* Zeros included: TensorFlow refuses [2^62, 2^62, 0] too. */
    if (fy_shape_proto_check(p, path, NULL))
        return fy_fail(err, FERRY_ERR_CORRUPT, "%s: tensor '%s' has a shape whose element count overflows", path, name);
    *rank = (int)p->n_dim;
    return FERRY_OK;
}

/* Printable form of a key for messages: slice keys start with a 0 byte. */
static const char *key_label(const unsigned char *key, size_t n)
{
    return (n > 0 && key[0] == 0) ? "<slice>" : (const char *)key;
}

static ferry_status add_entry(open_state *s, const unsigned char *key, size_t key_size,
                              const unsigned char *v, size_t n, ferry_error **err)
{
    fy_bundle *b = s->b;
    if (b->entry_count == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        fy_bundle_entry *e = realloc(b->entries, cap * sizeof(*e));
        if (!e)
            return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "%s: out of memory", s->index_path);
        b->entries = e;
        s->cap = cap;
    }
    fy_bundle_entry *e = &b->entries[b->entry_count];
    memset(e, 0, sizeof(*e));
    e->key = malloc(key_size + 1);
    if (!e->key)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "%s: out of memory", s->index_path);
    memcpy(e->key, key, key_size);
    e->key[key_size] = '\0';
    e->key_size = key_size;
    b->entry_count++; /* from here on fy_bundle_free releases it */
    const char *label = key_label(e->key, key_size);

    Tensorflow__BundleEntryProto *p = tensorflow__bundle_entry_proto__unpack(NULL, n, v);
    if (!p)
        return fy_fail(err, FERRY_ERR_CORRUPT, "%s: index entry for '%s' does not parse",
                       s->index_path, label);
    ferry_status st = shape_from_proto(&e->rank, e->dims, p->shape, s->index_path, label, err);
    e->dtype = (ferry_dtype)p->dtype;
    if (!st && e->dtype != FERRY_DT_STRING && !fy_dtype_is_fixed(e->dtype))
        st = fy_fail(err, FERRY_ERR_UNSUPPORTED, "%s: tensor '%s' has unsupported dtype %d",
                     s->index_path, label, (int)p->dtype);
    if (!st && fy_shape_count(e->dims, e->rank,
                              e->dtype == FERRY_DT_STRING ? 1 : ferry_dtype_size(e->dtype)) < 0)
        st = fy_fail(err, FERRY_ERR_CORRUPT, "%s: tensor '%s' has an element count that overflows",
                     s->index_path, label);
    if (!st && (p->shard_id < 0 || p->offset < 0 || p->size < 0))
        st = fy_fail(err, FERRY_ERR_CORRUPT, "%s: tensor '%s' has a negative shard, offset or size",
                     s->index_path, label);
    e->shard = p->shard_id;
    e->offset = (uint64_t)p->offset;
    e->size = (uint64_t)p->size;
    e->crc = fy_crc_unmask(p->crc32c);
    if (!st && p->n_slices > 0) {
        e->slice_count = p->n_slices;
        size_t cells = p->n_slices * (size_t)(e->rank ? e->rank : 1);
        e->slice_start = calloc(cells, sizeof(int64_t));
        e->slice_length = calloc(cells, sizeof(int64_t));
        if (!e->slice_start || !e->slice_length)
            st = fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "%s: out of memory", s->index_path);
        for (size_t i = 0; !st && i < p->n_slices; i++) {
            const Tensorflow__TensorSliceProto *sl = p->slices[i];
            if (sl->n_extent != (size_t)e->rank) {
                st = fy_fail(err, FERRY_ERR_CORRUPT,
                             "%s: slice %zu of tensor '%s' has %zu extents for rank %d",
                             s->index_path, i, label, sl->n_extent, e->rank);
                break;
            }
            for (int d = 0; d < e->rank; d++) {
                const Tensorflow__TensorSliceProto__Extent *x = sl->extent[d];
                int whole = x->has_length_case != TENSORFLOW__TENSOR_SLICE_PROTO__EXTENT__HAS_LENGTH_LENGTH;
                int64_t start = whole ? 0 : x->start, len = whole ? -1 : x->length;
                if (!whole && (start < 0 || len < 0 || start > e->dims[d] || len > e->dims[d] - start)) {
                    st = fy_fail(err, FERRY_ERR_CORRUPT,
                                 "%s: slice %zu of tensor '%s' lies outside its shape", s->index_path,
                                 i, label);
                    break;
                }
                e->slice_start[i * (size_t)e->rank + (size_t)d] = start;
                e->slice_length[i * (size_t)e->rank + (size_t)d] = len;
            }
        }
    }
    tensorflow__bundle_entry_proto__free_unpacked(p, NULL);
    return st;
}

static ferry_status visit_index(void *context, const unsigned char *key, size_t key_size,
                                const unsigned char *value, size_t value_size, ferry_error **err)
{
    open_state *s = context;
    if (key_size == 0) {
        s->saw_header = 1;
        return read_header(s, value, value_size, err);
    }
    if (!s->saw_header)
        return fy_fail(err, FERRY_ERR_CORRUPT, "%s: index has no bundle header", s->index_path);
    return add_entry(s, key, key_size, value, value_size, err);
}

/* Every stored range must lie inside its shard and match its dtype's size. */
static ferry_status check_entry_bounds(const fy_bundle *b, const fy_bundle_entry *e,
                                       ferry_error **err)
{
    if (e->slice_count > 0)
        return FERRY_OK;
    const char *label = key_label(e->key, e->key_size);
    if (e->shard >= b->num_shards)
        return fy_fail(err, FERRY_ERR_CORRUPT, "%s.index: tensor '%s' names shard %d of %d",
                       b->prefix, label, (int)e->shard, b->num_shards);
    const fy_mapping *m = &b->shards[e->shard];
    if (e->offset > m->size || e->size > m->size - e->offset) {
        char *shard = fy_bundle_shard_name(b->prefix, e->shard, b->num_shards);
        ferry_status st = fy_fail(err, FERRY_ERR_CORRUPT,
                                  "%s: tensor '%s' at offset %llu size %llu lies past the end (%zu bytes)",
                                  shard ? shard : b->prefix, label, (unsigned long long)e->offset,
                                  (unsigned long long)e->size, m->size);
        free(shard);
        return st;
    }
    if (e->dtype != FERRY_DT_STRING) {
        uint64_t want = (uint64_t)fy_shape_count(e->dims, e->rank, ferry_dtype_size(e->dtype)) *
                        ferry_dtype_size(e->dtype);
        if (want != e->size)
            return fy_fail(err, FERRY_ERR_CORRUPT,
                           "%s.index: tensor '%s' stores %llu bytes but its shape needs %llu",
                           b->prefix, label, (unsigned long long)e->size, (unsigned long long)want);
    }
    return FERRY_OK;
}

ferry_status fy_bundle_open(fy_bundle **out, const char *prefix, ferry_error **err)
{
    fy_bundle *b = calloc(1, sizeof(*b));
    char *index_path = fy_sprintf("%s.index", prefix);
    if (!b || !index_path || !(b->prefix = fy_strdup(prefix))) {
        free(b ? b->prefix : NULL);
        free(b);
        free(index_path);
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory opening %s", prefix);
    }
    char *index = NULL;
    size_t index_size = 0;
    ferry_status st = fy_read_file(&index, &index_size, index_path, MAX_INDEX_BYTES, err);
    open_state s = { b, index_path, 0, 0 };
    if (!st)
        st = fy_table_scan((const unsigned char *)index, index_size, index_path, visit_index, &s, err);
    free(index);
    if (!st && !s.saw_header)
        st = fy_fail(err, FERRY_ERR_CORRUPT, "%s: index has no bundle header", index_path);
    if (!st) {
        b->shards = calloc((size_t)b->num_shards, sizeof(fy_mapping));
        if (!b->shards)
            st = fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory opening %s", prefix);
    }
    for (int i = 0; !st && i < b->num_shards; i++) {
        char *shard = fy_bundle_shard_name(prefix, i, b->num_shards);
        if (!shard)
            st = fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory opening %s", prefix);
        else if ((st = fy_map_file(&b->shards[i], shard, err)) != FERRY_OK)
            fy_error_prefix(err, "checkpoint %s is missing data shard %d of %d", prefix, i,
                            b->num_shards);
        free(shard);
    }
    for (size_t i = 0; !st && i < b->entry_count; i++)
        st = check_entry_bounds(b, &b->entries[i], err);
    free(index_path);
    if (st) {
        fy_bundle_free(b);
        return st;
    }
    *out = b;
    return FERRY_OK;
}

void fy_bundle_free(fy_bundle *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->entry_count; i++) {
        free(b->entries[i].key);
        free(b->entries[i].slice_start);
        free(b->entries[i].slice_length);
    }
    free(b->entries);
    if (b->shards)
        for (int i = 0; i < b->num_shards; i++)
            fy_unmap_file(&b->shards[i]);
    free(b->shards);
    free(b->prefix);
    free(b);
}

static int compare_key(const unsigned char *a, size_t an, const unsigned char *b, size_t bn)
{
    int c = memcmp(a, b, an < bn ? an : bn);
    return c ? c : (an < bn ? -1 : an > bn);
}

const fy_bundle_entry *fy_bundle_find(const fy_bundle *b, const unsigned char *key, size_t size)
{
    size_t lo = 0, hi = b->entry_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = compare_key(b->entries[mid].key, b->entries[mid].key_size, key, size);
        if (c == 0)
            return &b->entries[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

ferry_status fy_bundle_entry_bytes(const unsigned char **data, const fy_bundle *b,
                                   const fy_bundle_entry *e, ferry_error **err)
{
    const unsigned char *p = b->shards[e->shard].data + e->offset;
    if (e->size == 0) {
        *data = p;
        return FERRY_OK;
    }
    /* Strings carry their own layered checksum, checked while decoding. */
    if (e->dtype != FERRY_DT_STRING && !atomic_load(&((fy_bundle_entry *)e)->verified)) {
        fy_prefault_read(p, (size_t)e->size); /* read whole now: map it in at once */
        if (fy_crc32c(p, (size_t)e->size) != e->crc) {
            char *shard = fy_bundle_shard_name(b->prefix, e->shard, b->num_shards);
            ferry_status st = fy_fail(err, FERRY_ERR_CORRUPT, "%s: checksum mismatch for tensor '%s'",
                                      shard ? shard : b->prefix, key_label(e->key, e->key_size));
            free(shard);
            return st;
        }
        atomic_store(&((fy_bundle_entry *)e)->verified, 1);
    }
    *data = p;
    return FERRY_OK;
}

static void swap_elements(unsigned char *p, size_t nbytes, size_t width)
{
    for (size_t i = 0; i + width <= nbytes; i += width)
        for (size_t a = 0, z = width - 1; a < z; a++, z--) {
            unsigned char t = p[i + a];
            p[i + a] = p[i + z];
            p[i + z] = t;
        }
}

/* Strings: all lengths as varints, a masked checksum of the lengths, then
 * the bytes; the entry checksum covers lengths, that checksum and bytes. */
static ferry_status decode_strings(ferry_tensor *t, const fy_bundle *b, const fy_bundle_entry *e,
                                   const unsigned char *p, ferry_error **err)
{
    const char *label = key_label(e->key, e->key_size);
    const unsigned char *q = p, *end = p + e->size;
    uint64_t *lens = malloc((size_t)(t->count ? t->count : 1) * sizeof(uint64_t));
    if (!lens)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory reading '%s'", label);
    ferry_status st = FERRY_OK;
    uint32_t crc = 0;
    uint64_t total = 0;
    for (int64_t i = 0; i < t->count; i++) {
        if (!fy_get_varint(&q, end, 10, &lens[i]) || lens[i] > e->size) {
            st = fy_fail(err, FERRY_ERR_CORRUPT, "%s: string tensor '%s' has a bad length",
                         b->prefix, label);
            goto done;
        }
        unsigned char raw[8];
        if (lens[i] <= UINT32_MAX) {
            fy_store_le32(raw, (uint32_t)lens[i]);
            if (b->swap_bytes)
                swap_elements(raw, 4, 4);
            crc = fy_crc32c_extend(crc, raw, 4);
        } else {
            fy_store_le64(raw, lens[i]);
            if (b->swap_bytes)
                swap_elements(raw, 8, 8);
            crc = fy_crc32c_extend(crc, raw, 8);
        }
        total += lens[i];
    }
    if ((size_t)(end - q) < 4 || total != (uint64_t)(end - q) - 4) {
        st = fy_fail(err, FERRY_ERR_CORRUPT, "%s: string tensor '%s' lengths do not match its size",
                     b->prefix, label);
        goto done;
    }
    unsigned char stored_raw[4];
    memcpy(stored_raw, q, 4);
    if (b->swap_bytes)
        swap_elements(stored_raw, 4, 4);
    if (fy_crc_unmask(fy_load_le32(stored_raw)) != crc) {
        st = fy_fail(err, FERRY_ERR_CORRUPT, "%s: checksum mismatch in lengths of string tensor '%s'",
                     b->prefix, label);
        goto done;
    }
    crc = fy_crc32c_extend(crc, q, 4);
    q += 4;
    crc = fy_crc32c_extend(crc, q, (size_t)total);
    if (crc != e->crc) {
        st = fy_fail(err, FERRY_ERR_CORRUPT, "%s: checksum mismatch for string tensor '%s'",
                     b->prefix, label);
        goto done;
    }
    for (int64_t i = 0; !st && i < t->count; i++) {
        st = fy_tensor_set_string(t, i, q, (size_t)lens[i], err);
        q += lens[i];
    }
done:
    free(lens);
    return st;
}

static ferry_status read_whole(ferry_tensor **out, const fy_bundle *b, const fy_bundle_entry *e,
                               ferry_error **err)
{
    const unsigned char *p = NULL;
    ferry_status st = fy_bundle_entry_bytes(&p, b, e, err);
    if (st)
        return st;
    ferry_tensor *t = NULL;
    /* Every byte is copied in below, so the tensor need not be zeroed first. */
    st = fy_tensor_new_planned(&t, NULL, e->dtype, e->dims, e->rank, 0, err);
    if (st)
        return st;
    if (e->dtype == FERRY_DT_STRING) {
        /* A size-0 string entry stores nothing: every element is empty. */
        if (e->size > 0)
            st = decode_strings(t, b, e, p, err);
    } else if (t->nbytes > 0) {
        memcpy(t->data, p, t->nbytes);
        fy_widen_narrow_ints(t->data, t->nbytes, e->dtype);
        if (b->swap_bytes) {
            size_t w = ferry_dtype_size(e->dtype);
            if (e->dtype == FERRY_DT_COMPLEX64 || e->dtype == FERRY_DT_COMPLEX128)
                w /= 2;
            swap_elements(t->data, t->nbytes, w);
        }
    }
    if (st) {
        ferry_tensor_free(t);
        return st;
    }
    *out = t;
    return FERRY_OK;
}

/* Copies string elements box-wise: move the element structs, then give each
 * a copy of its bytes, since both tensors would otherwise share them. */
static ferry_status copy_string_box(ferry_tensor *full, const ferry_tensor *part,
                                    const int64_t *origin, int rank, ferry_error **err)
{
    for (int64_t i = 0; i < part->count; i++) {
        int64_t idx = 0, rem = i;
        int64_t coord[FERRY_MAX_RANK];
        for (int d = rank - 1; d >= 0; d--) {
            coord[d] = rem % part->dims[d];
            rem /= part->dims[d];
        }
        for (int d = 0; d < rank; d++)
            idx = idx * full->dims[d] + origin[d] + coord[d];
        const ferry_string *s = (const ferry_string *)part->data + i;
        ferry_status st = fy_tensor_set_string(full, idx, s->data, s->size, err);
        if (st)
            return st;
    }
    return FERRY_OK;
}

ferry_status fy_bundle_read(ferry_tensor **out, const fy_bundle *b, const fy_bundle_entry *e,
                            ferry_error **err)
{
    if (e->slice_count == 0)
        return read_whole(out, b, e, err);
    const char *name = (const char *)e->key;
    ferry_tensor *full = NULL;
    ferry_status st = fy_tensor_new(&full, e->dtype, e->dims, e->rank, err);
    for (size_t i = 0; !st && i < e->slice_count; i++) {
        const int64_t *start = e->slice_start + i * (size_t)e->rank;
        const int64_t *length = e->slice_length + i * (size_t)e->rank;
        size_t key_size;
        unsigned char *key = fy_slice_key_encode(&key_size, name, e->rank, start, length);
        if (!key) {
            st = fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory reading '%s'", name);
            break;
        }
        const fy_bundle_entry *se = fy_bundle_find(b, key, key_size);
        free(key);
        int64_t origin[FERRY_MAX_RANK], extent[FERRY_MAX_RANK];
        for (int d = 0; d < e->rank; d++) {
            origin[d] = length[d] < 0 ? 0 : start[d];
            extent[d] = length[d] < 0 ? e->dims[d] : length[d];
        }
        int shape_ok = se && se->rank == e->rank && se->dtype == e->dtype && se->slice_count == 0;
        for (int d = 0; shape_ok && d < e->rank; d++)
            shape_ok = se->dims[d] == extent[d];
        if (!shape_ok) {
            st = fy_fail(err, se ? FERRY_ERR_CORRUPT : FERRY_ERR_NOT_FOUND,
                         "%s: slice %zu of partitioned tensor '%s' is %s", b->prefix, i, name,
                         se ? "stored with the wrong shape or dtype" : "missing");
            break;
        }
        ferry_tensor *part = NULL;
        st = read_whole(&part, b, se, err);
        if (st)
            break;
        if (e->dtype == FERRY_DT_STRING) {
            st = copy_string_box(full, part, origin, e->rank, err);
        } else {
            fy_region dst = { full->data, (int64_t[FERRY_MAX_RANK]){ 0 }, full->dims };
            fy_region src = { part->data, origin, part->dims };
            fy_copy_box(dst, src, origin, extent, e->rank, ferry_dtype_size(e->dtype));
        }
        ferry_tensor_free(part);
    }
    if (st) {
        ferry_tensor_free(full);
        return st;
    }
    *out = full;
    return FERRY_OK;
}
