#include "runtime/table.h"

#include <stdlib.h>
#include <string.h>

#include "base/dtype.h"
#include "base/file.h"
#include "base/tensor.h"

/* Keys and values are kept as bytes: an int64 as its 8 bytes, a string as
 * itself; numeric values in 8 bytes whatever their dtype's width. */
typedef struct entry {
    char *key;
    size_t key_len;
    char *value;
    size_t value_len;
} entry;

struct fy_table {
    ferry_dtype key_dtype, value_dtype;
    entry *entries;
    size_t count, cap;
    size_t *slots;       /* entry index + 1, 0 when empty */
    size_t slot_count;   /* power of two */
    int initialized;
    char *failure;       /* why the load's initializer failed, or NULL */
};

fy_table *fy_table_new(ferry_dtype key_dtype, ferry_dtype value_dtype, int initialized)
{
    fy_table *t = calloc(1, sizeof(*t));
    if (t) {
        t->key_dtype = key_dtype;
        t->value_dtype = value_dtype;
        t->initialized = initialized;
    }
    return t;
}

void fy_table_set_initialized(fy_table *t) { t->initialized = 1; }
int fy_table_initialized(const fy_table *t) { return t->initialized; }
const char *fy_table_failure(const fy_table *t) { return t->failure; }

int fy_table_set_failure(fy_table *t, const char *why)
{
    free(t->failure);
    t->failure = why ? fy_strdup(why) : NULL;
    return why && !t->failure;
}

void fy_table_free(fy_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->count; i++) {
        free(t->entries[i].key);
        free(t->entries[i].value);
    }
    free(t->entries);
    free(t->slots);
    free(t->failure);
    free(t);
}

ferry_dtype fy_table_key_dtype(const fy_table *t) { return t->key_dtype; }
ferry_dtype fy_table_value_dtype(const fy_table *t) { return t->value_dtype; }
size_t fy_table_size(const fy_table *t) { return t->count; }

static uint64_t hash(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 1099511628211ull;
    return h;
}

/* Element i of a tensor as bytes (numbers widened to 8 bytes). */
static const char *element_bytes(const ferry_tensor *t, int64_t i, char *scratch, size_t *len)
{
    if (t->dtype == FERRY_DT_STRING) {
        const ferry_string *s = (const ferry_string *)t->data + i;
        *len = s->size;
        return s->data;
    }
    int64_t iv = 0;
    double dv = 0;
    switch (t->dtype) {
    case FERRY_DT_INT64: iv = ((const int64_t *)t->data)[i]; break;
    case FERRY_DT_INT32: iv = ((const int32_t *)t->data)[i]; break;
    case FERRY_DT_BOOL: iv = ((const uint8_t *)t->data)[i]; break;
    case FERRY_DT_FLOAT: dv = ((const float *)t->data)[i]; break;
    case FERRY_DT_DOUBLE: dv = ((const double *)t->data)[i]; break;
    default: break;
    }
    if (t->dtype == FERRY_DT_FLOAT || t->dtype == FERRY_DT_DOUBLE)
        memcpy(scratch, &dv, 8);
    else
        memcpy(scratch, &iv, 8);
    *len = 8;
    return scratch;
}

static size_t find_slot(const fy_table *t, const char *key, size_t len)
{
    size_t mask = t->slot_count - 1, i = (size_t)hash(key, len) & mask;
    while (t->slots[i]) {
        const entry *e = &t->entries[t->slots[i] - 1];
        if (e->key_len == len && (len == 0 || !memcmp(e->key, key, len)))
            return i;
        i = (i + 1) & mask;
    }
    return i;
}

static int grow(fy_table *t)
{
    size_t n = t->slot_count ? t->slot_count * 2 : 64;
    size_t *slots = calloc(n, sizeof(size_t));
    if (!slots)
        return 0;
    size_t *old = t->slots;
    t->slots = slots;
    t->slot_count = n;
    for (size_t k = 0; k < t->count; k++)
        t->slots[find_slot(t, t->entries[k].key, t->entries[k].key_len)] = k + 1;
    free(old);
    return 1;
}

static char *copy_bytes(const char *p, size_t n)
{
    char *c = malloc(n ? n : 1);
    if (c && n)
        memcpy(c, p, n);
    return c;
}

int fy_table_insert(fy_table *t, const ferry_tensor *keys, int64_t i, const ferry_tensor *values, int64_t j,
                    int replace)
{
    if ((t->count + 1) * 2 > t->slot_count && !grow(t))
        return 1;
    char ks[8], vs[8];
    size_t klen, vlen;
    const char *k = element_bytes(keys, i, ks, &klen);
    const char *v = element_bytes(values, j, vs, &vlen);
    size_t slot = find_slot(t, k, klen);
    if (t->slots[slot]) {
        entry *e = &t->entries[t->slots[slot] - 1];
        if (e->value_len == vlen && (vlen == 0 || !memcmp(e->value, v, vlen)))
            return 0;
        if (!replace)
            return 2;
        char *nv = copy_bytes(v, vlen);
        if (!nv)
            return 1;
        free(e->value);
        e->value = nv;
        e->value_len = vlen;
        return 0;
    }
    if (t->count == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        entry *grown = realloc(t->entries, cap * sizeof(entry));
        if (!grown)
            return 1;
        t->entries = grown;
        t->cap = cap;
    }
    entry e = { copy_bytes(k, klen), klen, copy_bytes(v, vlen), vlen };
    if (!e.key || !e.value) {
        free(e.key);
        free(e.value);
        return 1;
    }
    t->entries[t->count++] = e;
    t->slots[slot] = t->count;
    return 0;
}

/* Writes value bytes into element o of out. */
static int put_value(ferry_tensor *out, int64_t o, const char *v, size_t len)
{
    if (out->dtype == FERRY_DT_STRING)
        return fy_tensor_set_string(out, o, v, len, NULL) != FERRY_OK;
    int64_t iv;
    double dv;
    memcpy(&iv, v, 8);
    memcpy(&dv, v, 8);
    switch (out->dtype) {
    case FERRY_DT_INT64: ((int64_t *)out->data)[o] = iv; break;
    case FERRY_DT_INT32: ((int32_t *)out->data)[o] = (int32_t)iv; break;
    case FERRY_DT_BOOL: ((uint8_t *)out->data)[o] = iv != 0; break;
    case FERRY_DT_FLOAT: ((float *)out->data)[o] = (float)dv; break;
    case FERRY_DT_DOUBLE: ((double *)out->data)[o] = dv; break;
    default: break;
    }
    return 0;
}

int fy_table_find(const fy_table *t, const ferry_tensor *keys, int64_t i, ferry_tensor *out, int64_t o,
                  const ferry_tensor *dflt, int64_t d)
{
    char ks[8], ds[8];
    size_t klen, dlen;
    const char *k = element_bytes(keys, i, ks, &klen);
    if (t->slot_count) {
        size_t slot = find_slot(t, k, klen);
        if (t->slots[slot]) {
            const entry *e = &t->entries[t->slots[slot] - 1];
            return put_value(out, o, e->value, e->value_len);
        }
    }
    const char *dv = element_bytes(dflt, d, ds, &dlen);
    return put_value(out, o, dv, dlen);
}
