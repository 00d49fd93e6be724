/* Ops that compare elements: Unique, UniqueWithCounts, TopK, TopKV2,
 * Bucketize, LowerBound and UpperBound. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/array_internal.h"
#include "kernels/elementwise.h"
#include "kernels/nn_internal.h"

/* ---- Unique ------------------------------------------------------------------ */

/* Element i as bytes that are equal exactly when TF's == says the values
 * are (so -0.0 and 0.0 agree); 0 for values equal to nothing (NaN). */
static int unique_key(const ferry_tensor *t, int64_t i, unsigned char *key, size_t *len)
{
    size_t esz = ferry_dtype_size(t->dtype);
    const unsigned char *p = (const unsigned char *)t->data + (size_t)i * esz;
    memcpy(key, p, esz);
    *len = esz;
    int parts = t->dtype == FERRY_DT_COMPLEX64 || t->dtype == FERRY_DT_COMPLEX128 ? 2 : 1;
    size_t part = esz / (size_t)parts;
    for (int k = 0; k < parts; k++) {
        double v;
        switch (t->dtype) {
        case FERRY_DT_FLOAT: case FERRY_DT_COMPLEX64: { float f; memcpy(&f, p + k * part, 4); v = f; break; }
        case FERRY_DT_DOUBLE: case FERRY_DT_COMPLEX128: memcpy(&v, p + k * part, 8); break;
        case FERRY_DT_HALF: { uint16_t h; memcpy(&h, p, 2); v = fy_half_to_float(h); break; }
        case FERRY_DT_BFLOAT16: { uint16_t h; memcpy(&h, p, 2); v = fy_bfloat16_to_float(h); break; }
        default: return 1;
        }
        if (isnan(v))
            return 0;
        if (v == 0)
            memset(key + k * part, 0, part);
    }
    return 1;
}

static uint64_t hash_bytes(const void *data, size_t n)
{
    const unsigned char *p = data;
    uint64_t h = 1469598103934665603u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 1099511628211u;
    return h;
}

/* Element bytes for hashing and comparing: strings by content. */
static const void *element_bytes(const ferry_tensor *t, int64_t i, unsigned char *key, size_t *len, int *comparable)
{
    if (t->dtype == FERRY_DT_STRING) {
        const ferry_string *s = (const ferry_string *)t->data + i;
        *len = s->size;
        *comparable = 1;
        return s->data;
    }
    *comparable = unique_key(t, i, key, len);
    return key;
}

typedef struct unique_result {
    int64_t *first;  /* index in x of each unique value's first occurrence */
    int64_t *idx;    /* per element: its unique value's position */
    int64_t *count;  /* per unique value: occurrences */
    int64_t n;
} unique_result;

/* Open addressing over first-occurrence indices; table holds u+1 (0 = empty). */
static int unique_scan(const ferry_tensor *x, unique_result *r)
{
    int64_t cap = 16;
    while (cap < 2 * x->count)
        cap *= 2;
    int64_t *table = calloc((size_t)cap, sizeof(int64_t));
    r->first = malloc((size_t)(x->count ? x->count : 1) * sizeof(int64_t));
    r->idx = malloc((size_t)(x->count ? x->count : 1) * sizeof(int64_t));
    r->count = calloc((size_t)(x->count ? x->count : 1), sizeof(int64_t));
    r->n = 0;
    if (!table || !r->first || !r->idx || !r->count) {
        free(table);
        return 0;
    }
    unsigned char ka[16], kb[16];
    for (int64_t i = 0; i < x->count; i++) {
        size_t la, lb;
        int comparable, other;
        const void *a = element_bytes(x, i, ka, &la, &comparable);
        int64_t slot = (int64_t)(hash_bytes(a, la) & (uint64_t)(cap - 1)), u = -1;
        while (comparable && table[slot]) {
            int64_t cand = table[slot] - 1;
            const void *b = element_bytes(x, r->first[cand], kb, &lb, &other);
            if (la == lb && !memcmp(a, b, la)) {
                u = cand;
                break;
            }
            slot = (slot + 1) & (cap - 1);
        }
        if (u < 0) {
            u = r->n++;
            r->first[u] = i;
            if (comparable)
                table[slot] = u + 1;
        }
        r->idx[i] = u;
        r->count[u]++;
    }
    free(table);
    return 1;
}

static ferry_status unique(fy_kernel_ctx *ctx, int with_counts)
{
    const ferry_tensor *x = fy_input(ctx, 0);
    if (!x)
        return FERRY_ERR_INVALID_ARGUMENT;
    ferry_dtype idx_type;
    ferry_status st = fy_arr_index_type(ctx, "out_idx", FERRY_DT_INT32, &idx_type);
    if (st)
        return st;
    if (x->rank != 1)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "unique expects a 1-D vector, not rank %d", x->rank);
    if (!fy_arr_elem_bytes(x->dtype) || ferry_dtype_size(x->dtype) > 16)
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "not defined for %s", ferry_dtype_name(x->dtype));
    unique_result r;
    if (!unique_scan(x, &r))
        st = fy_kernel_fail(ctx, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    ferry_tensor *y, *idx, *count;
    if (!st)
        st = fy_arr_new_output(ctx, 0, x->dtype, &r.n, 1, &y);
    for (int64_t u = 0; !st && u < r.n; u++)
        st = fy_arr_copy_one(ctx, y, u, x, r.first[u]);
    if (!st)
        st = fy_arr_new_output(ctx, 1, idx_type, x->dims, 1, &idx);
    if (!st)
        st = fy_arr_write_ints(ctx, idx, r.idx, x->count);
    if (!st && with_counts)
        st = fy_arr_new_output(ctx, 2, idx_type, &r.n, 1, &count);
    if (!st && with_counts)
        st = fy_arr_write_ints(ctx, count, r.count, r.n);
    free(r.first);
    free(r.idx);
    free(r.count);
    return st;
}

ferry_status fy_arr_unique(fy_kernel_ctx *ctx) { return unique(ctx, 0); }
ferry_status fy_arr_unique_with_counts(fy_kernel_ctx *ctx) { return unique(ctx, 1); }

/* ---- TopK ---------------------------------------------------------------------- */

typedef struct ranked {
    union {
        double f;
        int64_t i;
        uint64_t u;
    } v;
    int64_t idx;
} ranked;

/* Larger values first, ties by lower index; NaN counts as the largest. */
static int by_float(const void *pa, const void *pb)
{
    const ranked *a = pa, *b = pb;
    int na = isnan(a->v.f), nb = isnan(b->v.f);
    if (na != nb)
        return na ? -1 : 1;
    if (!na && a->v.f != b->v.f)
        return a->v.f > b->v.f ? -1 : 1;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static int by_int(const void *pa, const void *pb)
{
    const ranked *a = pa, *b = pb;
    if (a->v.i != b->v.i)
        return a->v.i > b->v.i ? -1 : 1;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static int by_uint(const void *pa, const void *pb)
{
    const ranked *a = pa, *b = pb;
    if (a->v.u != b->v.u)
        return a->v.u > b->v.u ? -1 : 1;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

typedef int (*rank_cmp)(const void *, const void *);

static rank_cmp load_row(const ferry_tensor *t, int64_t at, int64_t n, ranked *row)
{
    const void *p = t->data;
    for (int64_t j = 0; j < n; j++) {
        int64_t i = at + j;
        row[j].idx = j;
        switch (t->dtype) {
        case FERRY_DT_FLOAT: row[j].v.f = ((const float *)p)[i]; break;
        case FERRY_DT_DOUBLE: row[j].v.f = ((const double *)p)[i]; break;
        case FERRY_DT_HALF: row[j].v.f = fy_half_to_float(((const uint16_t *)p)[i]); break;
        case FERRY_DT_BFLOAT16: row[j].v.f = fy_bfloat16_to_float(((const uint16_t *)p)[i]); break;
        case FERRY_DT_INT8: row[j].v.i = ((const int8_t *)p)[i]; break;
        case FERRY_DT_INT16: row[j].v.i = ((const int16_t *)p)[i]; break;
        case FERRY_DT_INT32: row[j].v.i = ((const int32_t *)p)[i]; break;
        case FERRY_DT_INT64: row[j].v.i = ((const int64_t *)p)[i]; break;
        case FERRY_DT_UINT8: row[j].v.u = ((const uint8_t *)p)[i]; break;
        case FERRY_DT_UINT16: row[j].v.u = ((const uint16_t *)p)[i]; break;
        case FERRY_DT_UINT32: row[j].v.u = ((const uint32_t *)p)[i]; break;
        case FERRY_DT_UINT64: row[j].v.u = ((const uint64_t *)p)[i]; break;
        default: return NULL;
        }
    }
    switch (t->dtype) {
    case FERRY_DT_FLOAT: case FERRY_DT_DOUBLE: case FERRY_DT_HALF: case FERRY_DT_BFLOAT16: return by_float;
    case FERRY_DT_INT8: case FERRY_DT_INT16: case FERRY_DT_INT32: case FERRY_DT_INT64: return by_int;
    case FERRY_DT_UINT8: case FERRY_DT_UINT16: case FERRY_DT_UINT32: case FERRY_DT_UINT64: return by_uint;
    default: return NULL;
    }
}

/* The k largest of every row of the last dim, largest first. */
static ferry_status top_k(fy_kernel_ctx *ctx, const ferry_tensor *in, int64_t k)
{
    ferry_dtype idx_type;
    ferry_status st = fy_arr_index_type(ctx, "index_type", FERRY_DT_INT32, &idx_type);
    if (st)
        return st;
    if (in->rank < 1)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "input must be at least 1-D");
    int64_t n = in->dims[in->rank - 1];
    if (k < 0 || k > n)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "input must have at least k columns (k = %lld), had %lld",
                              (long long)k, (long long)n);
    ranked probe;
    if (!load_row(in, 0, 0, &probe))
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "not defined for %s", ferry_dtype_name(in->dtype));
    int64_t dims[FERRY_MAX_RANK];
    memcpy(dims, in->dims, sizeof(dims));
    dims[in->rank - 1] = k;
    ferry_tensor *values, *indices;
    if ((st = fy_arr_new_output(ctx, 0, in->dtype, dims, in->rank, &values)) != FERRY_OK ||
        (st = fy_arr_new_output(ctx, 1, idx_type, dims, in->rank, &indices)) != FERRY_OK || values->count == 0)
        return st;
    ranked *row = malloc((size_t)n * sizeof(ranked));
    int64_t *picked = malloc((size_t)k * sizeof(int64_t));
    if (!row || !picked)
        st = fy_kernel_fail(ctx, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    for (int64_t r = 0; !st && r < in->count / n; r++) {
        rank_cmp cmp = load_row(in, r * n, n, row);
        qsort(row, (size_t)n, sizeof(ranked), cmp);
        for (int64_t j = 0; j < k && !st; j++) {
            picked[j] = row[j].idx;
            st = fy_arr_copy_one(ctx, values, r * k + j, in, r * n + row[j].idx);
        }
        if (!st && idx_type == FERRY_DT_INT32)
            for (int64_t j = 0; j < k; j++)
                ((int32_t *)indices->data)[r * k + j] = (int32_t)picked[j];
        else if (!st)
            memcpy((int64_t *)indices->data + r * k, picked, (size_t)k * sizeof(int64_t));
    }
    free(row);
    free(picked);
    return st;
}

/* TopKV2(input, k); sorted=false still returns them sorted. */
ferry_status fy_arr_top_k_v2(fy_kernel_ctx *ctx)
{
    const ferry_tensor *in = fy_input(ctx, 0), *k_t = in ? fy_input(ctx, 1) : NULL;
    int64_t k;
    if (!k_t)
        return FERRY_ERR_INVALID_ARGUMENT;
    ferry_status st = fy_arr_scalar_int(ctx, k_t, &k, "k");
    return st ? st : top_k(ctx, in, k);
}

/* TopK: TF1's form with k as an attr. */
ferry_status fy_arr_top_k(fy_kernel_ctx *ctx)
{
    const ferry_tensor *in = fy_input(ctx, 0);
    return in ? top_k(ctx, in, fy_attr_int(ctx->node, "k", -1)) : FERRY_ERR_INVALID_ARGUMENT;
}

/* ---- Bucketize ------------------------------------------------------------------- */

/* The index of the first boundary greater than x (std::upper_bound), with
 * TF's mixed comparisons: ints and floats against float, doubles in double. */
static int32_t bucket(const ferry_tensor *t, int64_t i, const float *b, int32_t n)
{
    int32_t lo = 0, hi = n;
    while (lo < hi) {
        int32_t mid = lo + (hi - lo) / 2;
        int less;
        switch (t->dtype) {
        case FERRY_DT_INT32: less = (float)((const int32_t *)t->data)[i] < b[mid]; break;
        case FERRY_DT_INT64: less = (float)((const int64_t *)t->data)[i] < b[mid]; break;
        case FERRY_DT_FLOAT: less = ((const float *)t->data)[i] < b[mid]; break;
        default: less = ((const double *)t->data)[i] < (double)b[mid]; break;
        }
        if (less)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

ferry_status fy_arr_bucketize(fy_kernel_ctx *ctx)
{
    const ferry_tensor *in = fy_input(ctx, 0);
    if (!in)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (in->dtype != FERRY_DT_INT32 && in->dtype != FERRY_DT_INT64 && in->dtype != FERRY_DT_FLOAT &&
        in->dtype != FERRY_DT_DOUBLE)
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "not defined for %s", ferry_dtype_name(in->dtype));
    const Tensorflow__AttrValue *a = fy_node_attr(ctx->node, "boundaries");
    const float *b = NULL;
    size_t n = 0;
    if (a && a->value_case == TENSORFLOW__ATTR_VALUE__VALUE_LIST) {
        b = a->list->f;
        n = a->list->n_f;
    }
    if (n > INT32_MAX)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "too many boundaries");
    for (size_t j = 1; j < n; j++)
        if (b[j] < b[j - 1])
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "expected sorted boundaries");
    ferry_tensor *out;
    ferry_status st = fy_arr_new_output(ctx, 0, FERRY_DT_INT32, in->dims, in->rank, &out);
    for (int64_t i = 0; !st && i < in->count; i++)
        ((int32_t *)out->data)[i] = bucket(in, i, b, (int32_t)n);
    return st;
}

/* ---- LowerBound / UpperBound ---------------------------------------------------- */

/* sorted[a] < values[b] (or <= for UpperBound), compared in the dtype's own terms. */
static int before(const ferry_tensor *sorted, int64_t a, const ferry_tensor *values, int64_t b, int upper)
{
    switch (sorted->dtype) {
    case FERRY_DT_INT8: case FERRY_DT_INT16: case FERRY_DT_INT32: case FERRY_DT_INT64:
    case FERRY_DT_UINT8: case FERRY_DT_UINT16: case FERRY_DT_UINT32: {
        int64_t x = fy_nn_get_i(sorted->data, sorted->dtype, a), y = fy_nn_get_i(values->data, values->dtype, b);
        return upper ? x <= y : x < y;
    }
    default: {
        double x = fy_nn_get_f(sorted->data, sorted->dtype, a), y = fy_nn_get_f(values->data, values->dtype, b);
        return upper ? x <= y : x < y;
    }
    }
}

/* Each row of values searched in the same row of sorted_inputs: the first
 * index whose element is not less than the value (LowerBound) or greater
 * than it (UpperBound), as std::lower_bound / std::upper_bound. */
static ferry_status search_sorted(fy_kernel_ctx *ctx, int upper)
{
    const ferry_tensor *sorted = fy_input(ctx, 0), *values = sorted ? fy_input(ctx, 1) : NULL;
    if (!values)
        return FERRY_ERR_INVALID_ARGUMENT;
    ferry_dtype dt = sorted->dtype;
    int numeric = dt == FERRY_DT_INT8 || dt == FERRY_DT_INT16 || dt == FERRY_DT_INT32 || dt == FERRY_DT_INT64 ||
                  dt == FERRY_DT_UINT8 || dt == FERRY_DT_UINT16 || dt == FERRY_DT_UINT32 || fy_nn_is_real(dt);
    if (dt != values->dtype || !numeric)
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "not defined for %s and %s", ferry_dtype_name(sorted->dtype),
                              ferry_dtype_name(values->dtype));
    if (sorted->rank != 2 || values->rank != 2 || sorted->dims[0] != values->dims[0])
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT,
                              "sorted_inputs and values must be matrices with the same number of rows");
    ferry_dtype out_type = fy_attr_type(ctx->node, "out_type", FERRY_DT_INT32);
    if (out_type != FERRY_DT_INT32 && out_type != FERRY_DT_INT64)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "out_type must be int32 or int64");
    int64_t n = sorted->dims[1], m = values->dims[1];
    if (out_type == FERRY_DT_INT32 && n > INT32_MAX)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "rows of %lld values need out_type int64", (long long)n);
    ferry_tensor *out;
    ferry_status st = fy_arr_new_output(ctx, 0, out_type, values->dims, 2, &out);
    for (int64_t r = 0; !st && r < values->dims[0]; r++)
        for (int64_t j = 0; j < m; j++) {
            int64_t lo = 0, hi = n;
            while (lo < hi) {
                int64_t mid = lo + (hi - lo) / 2;
                if (before(sorted, r * n + mid, values, r * m + j, upper))
                    lo = mid + 1;
                else
                    hi = mid;
            }
            if (out_type == FERRY_DT_INT32)
                ((int32_t *)out->data)[r * m + j] = (int32_t)lo;
            else
                ((int64_t *)out->data)[r * m + j] = lo;
        }
    return st;
}

ferry_status fy_arr_lower_bound(fy_kernel_ctx *ctx)
{
    return search_sorted(ctx, 0);
}

ferry_status fy_arr_upper_bound(fy_kernel_ctx *ctx)
{
    return search_sorted(ctx, 1);
}
