/* Ops that route rows by index values: DynamicPartition and DynamicStitch
 * (Keras preprocessing, embedding sharding), Bincount and DenseBincount,
 * ListDiff (tf.compat.v1.setdiff1d). */
#include <stdlib.h>
#include <string.h>

#include "base/strmap.h"
#include "kernels/array_internal.h"

/* DynamicPartition(data, partitions), num_partitions attr: output i holds the
 * slices of data whose partition is i, in order; partitions' shape is a
 * prefix of data's. */
static ferry_status k_dynamic_partition(fy_kernel_ctx *ctx)
{
    const ferry_tensor *data = fy_input(ctx, 0), *parts = data ? fy_input(ctx, 1) : NULL;
    int64_t n = fy_attr_int(ctx->node, "num_partitions", 1);
    if (!parts)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (n < 1 || n > ctx->output_count)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "num_partitions %lld does not match %d outputs",
                              (long long)n, ctx->output_count);
    int prefix = parts->rank <= data->rank;
    for (int d = 0; prefix && d < parts->rank; d++)
        prefix = parts->dims[d] == data->dims[d];
    if (!prefix || parts->dtype != FERRY_DT_INT32) {
        char a[128], b[128];
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT,
                              "partitions (int32%s) must be a prefix of data.shape %s",
                              fy_dims_str(a, sizeof a, parts->dims, parts->rank),
                              fy_dims_str(b, sizeof b, data->dims, data->rank));
    }
    const int32_t *p = parts->data;
    int64_t *count = calloc((size_t)n, sizeof(int64_t));
    if (!count)
        return fy_kernel_fail(ctx, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    for (int64_t i = 0; i < parts->count; i++) {
        if (p[i] < 0 || p[i] >= n) {
            free(count);
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "partitions[%lld] = %d is not in [0, %lld)",
                                  (long long)i, p[i], (long long)n);
        }
        count[p[i]]++;
    }
    size_t slice = (size_t)fy_arr_product(data->dims, parts->rank, data->rank) * ferry_dtype_size(data->dtype);
    int strings = data->dtype == FERRY_DT_STRING;
    ferry_status st = FERRY_OK;
    for (int64_t k = 0; !st && k < n; k++) {
        int64_t dims[FERRY_MAX_RANK];
        dims[0] = count[k];
        memcpy(dims + 1, data->dims + parts->rank, (size_t)(data->rank - parts->rank) * sizeof(int64_t));
        ferry_tensor *out = fy_output_new(ctx, (int)k, data->dtype, dims, 1 + data->rank - parts->rank);
        if (!out) {
            st = FERRY_ERR_OUT_OF_MEMORY;
            break;
        }
        int64_t per = fy_arr_product(data->dims, parts->rank, data->rank), row = 0;
        for (int64_t i = 0; !st && i < parts->count; i++) {
            if (p[i] != k)
                continue;
            if (strings)
                for (int64_t e = 0; !st && e < per; e++) {
                    const ferry_string *s = (const ferry_string *)data->data + i * per + e;
                    st = fy_tensor_set_string(out, row * per + e, s->data, s->size, ctx->err);
                }
            else if (slice)
                memcpy((char *)out->data + row * slice, (const char *)data->data + i * slice, slice);
            row++;
        }
    }
    free(count);
    return st;
}

/* DynamicStitch(indices[N], data[N]): merged[indices[m][i]] = data[m][i],
 * later entries winning; merged has max index + 1 rows. */
static ferry_status k_dynamic_stitch(fy_kernel_ctx *ctx)
{
    int n = (int)fy_attr_int(ctx->node, "N", ctx->input_count / 2);
    if (n < 1 || 2 * n != ctx->input_count)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "needs N indices and N data inputs");
    const ferry_tensor *first_i = fy_input(ctx, 0), *first_d = fy_input(ctx, n);
    if (!first_i || !first_d)
        return FERRY_ERR_INVALID_ARGUMENT;
    int inner_rank = first_d->rank - first_i->rank;
    if (inner_rank < 0)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "data[0] has lower rank than indices[0]");
    const int64_t *inner = first_d->dims + first_i->rank;
    int64_t rows = 0, per = fy_arr_product(inner, 0, inner_rank);
    for (int m = 0; m < n; m++) {
        const ferry_tensor *ix = fy_input(ctx, m), *d = fy_input(ctx, n + m);
        if (!ix || !d)
            return FERRY_ERR_INVALID_ARGUMENT;
        int ok = ix->dtype == FERRY_DT_INT32 && d->dtype == first_d->dtype && d->rank == ix->rank + inner_rank;
        for (int k = 0; ok && k < ix->rank; k++)
            ok = d->dims[k] == ix->dims[k];
        for (int k = 0; ok && k < inner_rank; k++)
            ok = d->dims[ix->rank + k] == inner[k];
        if (!ok)
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT,
                                  "data[%d].shape must be indices[%d].shape + data[0]'s trailing dims, same dtype", m, m);
        for (int64_t i = 0; i < ix->count; i++) {
            int32_t v = ((const int32_t *)ix->data)[i];
            if (v < 0)
                return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "indices[%d][%lld] = %d is negative", m,
                                      (long long)i, v);
            if (v + 1 > rows)
                rows = v + 1;
        }
    }
    int64_t dims[FERRY_MAX_RANK];
    dims[0] = rows;
    memcpy(dims + 1, inner, (size_t)inner_rank * sizeof(int64_t));
    ferry_tensor *out = fy_output_new(ctx, 0, first_d->dtype, dims, 1 + inner_rank);
    if (!out)
        return FERRY_ERR_OUT_OF_MEMORY;
    size_t slice = (size_t)per * ferry_dtype_size(out->dtype);
    ferry_status st = FERRY_OK;
    for (int m = 0; !st && m < n; m++) {
        const ferry_tensor *ix = fy_input(ctx, m), *d = fy_input(ctx, n + m);
        for (int64_t i = 0; !st && i < ix->count; i++) {
            int64_t to = ((const int32_t *)ix->data)[i];
            if (out->dtype == FERRY_DT_STRING)
                for (int64_t e = 0; !st && e < per; e++) {
                    const ferry_string *s = (const ferry_string *)d->data + i * per + e;
                    st = fy_tensor_set_string(out, to * per + e, s->data, s->size, ctx->err);
                }
            else if (slice)
                memcpy((char *)out->data + to * slice, (const char *)d->data + i * slice, slice);
        }
    }
    return st;
}

/* Adds weight w (or 1) to bin v of out, as the output's dtype. */
static void add_to_bin(ferry_tensor *out, int64_t at, const ferry_tensor *w, int64_t wi, int binary)
{
    switch (out->dtype) {
    case FERRY_DT_FLOAT: {
        float *o = (float *)out->data + at;
        *o = binary ? 1 : *o + (w ? ((const float *)w->data)[wi] : 1);
        break;
    }
    case FERRY_DT_DOUBLE: {
        double *o = (double *)out->data + at;
        *o = binary ? 1 : *o + (w ? ((const double *)w->data)[wi] : 1);
        break;
    }
    case FERRY_DT_INT64: {
        int64_t *o = (int64_t *)out->data + at;
        *o = binary ? 1 : (int64_t)((uint64_t)*o + (uint64_t)(w ? ((const int64_t *)w->data)[wi] : 1));
        break;
    }
    default: {
        int32_t *o = (int32_t *)out->data + at;
        *o = binary ? 1 : (int32_t)((uint32_t)*o + (uint32_t)(w ? ((const int32_t *)w->data)[wi] : 1));
    }
    }
}

/* Bincount(arr, size, weights) and DenseBincount(input, size, weights):
 * counts (or summed weights) of each value in [0, size); other values are
 * ignored. An empty weights tensor means counts. DenseBincount takes a
 * matrix too (one row of bins per row) and binary_output. */
static ferry_status bincount(fy_kernel_ctx *ctx, int dense)
{
    const ferry_tensor *x = fy_input(ctx, 0), *size_t_ = x ? fy_input(ctx, 1) : NULL;
    const ferry_tensor *w = size_t_ ? fy_input(ctx, 2) : NULL;
    int binary = dense && fy_attr_bool(ctx->node, "binary_output", 0);
    int64_t size;
    if (!w)
        return FERRY_ERR_INVALID_ARGUMENT;
    ferry_status st = fy_arr_scalar_int(ctx, size_t_, &size, "size");
    if (st)
        return st;
    if (size < 0)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "size (%lld) must be non-negative", (long long)size);
    if (x->rank > (dense ? 2 : 1000))
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "input must be at most rank 2");
    int weighted = w->count > 0;
    if (weighted && (w->rank != x->rank || memcmp(w->dims, x->dims, (size_t)x->rank * sizeof(int64_t))))
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "weights must be empty or have the shape of the input");
    ferry_dtype dt = w->dtype;
    if (dt != FERRY_DT_FLOAT && dt != FERRY_DT_DOUBLE && dt != FERRY_DT_INT32 && dt != FERRY_DT_INT64)
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "weights of %s", ferry_dtype_name(dt));
    int64_t *v = NULL;
    if ((st = fy_arr_read_index_list(ctx, x, &v, "input")) != FERRY_OK)
        return st;
    int64_t rows = dense && x->rank == 2 ? x->dims[0] : 1, cols = dense && x->rank == 2 ? x->dims[1] : x->count;
    int64_t dims[2] = { rows, size };
    ferry_tensor *out = dense && x->rank == 2 ? fy_output_new(ctx, 0, dt, dims, 2) : fy_output_new(ctx, 0, dt, &size, 1);
    if (!out) {
        free(v);
        return FERRY_ERR_OUT_OF_MEMORY;
    }
    for (int64_t r = 0; r < rows; r++)
        for (int64_t c = 0; c < cols; c++) {
            int64_t i = r * cols + c;
            if (v[i] < 0 && dense) {
                free(v);
                return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "input[%lld] = %lld is negative", (long long)i,
                                      (long long)v[i]);
            }
            if (v[i] >= 0 && v[i] < size)
                add_to_bin(out, r * size + v[i], weighted ? w : NULL, i, binary);
        }
    free(v);
    return FERRY_OK;
}

static ferry_status k_bincount(fy_kernel_ctx *ctx)
{
    return bincount(ctx, 0);
}

static ferry_status k_dense_bincount(fy_kernel_ctx *ctx)
{
    return bincount(ctx, 1);
}

/* Element i of a numeric or string tensor as a NUL-free key (its bytes in
 * hex), for a set of values; NULL when out of memory. */
static char *element_key(const ferry_tensor *t, int64_t i)
{
    const char *data;
    size_t size;
    if (t->dtype == FERRY_DT_STRING) {
        const ferry_string *s = (const ferry_string *)t->data + i;
        data = s->data;
        size = s->size;
    } else {
        size = ferry_dtype_size(t->dtype);
        data = (const char *)t->data + (size_t)i * size;
    }
    char *key = malloc(2 * size + 1);
    for (size_t k = 0; key && k < size; k++) {
        key[2 * k] = "0123456789abcdef"[(unsigned char)data[k] >> 4];
        key[2 * k + 1] = "0123456789abcdef"[(unsigned char)data[k] & 15];
    }
    if (key)
        key[2 * size] = 0;
    return key;
}

/* ListDiff(x, y): the values of x not in y, in x's order, and their indices. */
static ferry_status k_list_diff(fy_kernel_ctx *ctx)
{
    const ferry_tensor *x = fy_input(ctx, 0), *y = x ? fy_input(ctx, 1) : NULL;
    ferry_dtype idx_type;
    if (!y)
        return FERRY_ERR_INVALID_ARGUMENT;
    ferry_status st = fy_arr_index_type(ctx, "out_idx", FERRY_DT_INT32, &idx_type);
    if (st)
        return st;
    if (x->rank != 1 || y->rank != 1 || x->dtype != y->dtype)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "x and y must be vectors of one dtype");
    fy_strmap seen = { 0 }; /* borrows y_keys */
    int64_t *keep = malloc((size_t)(x->count + 1) * sizeof(int64_t)), kept = 0;
    char **y_keys = calloc((size_t)y->count + 1, sizeof(char *));
    int ok = keep && y_keys;
    for (int64_t i = 0; ok && i < y->count; i++) {
        y_keys[i] = element_key(y, i);
        ok = y_keys[i] && fy_strmap_put(&seen, y_keys[i], (void *)1);
    }
    for (int64_t i = 0; ok && i < x->count; i++) {
        char *key = element_key(x, i);
        ok = key != NULL;
        if (ok && !fy_strmap_get(&seen, key))
            keep[kept++] = i;
        free(key);
    }
    fy_strmap_clear(&seen);
    for (int64_t i = 0; y_keys && i < y->count; i++)
        free(y_keys[i]);
    free(y_keys);
    if (!ok) {
        free(keep);
        return fy_kernel_fail(ctx, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    }
    ferry_tensor *out = fy_output_new(ctx, 0, x->dtype, &kept, 1);
    ferry_tensor *idx = out ? fy_output_new(ctx, 1, idx_type, &kept, 1) : NULL;
    if (!idx) {
        free(keep);
        return FERRY_ERR_OUT_OF_MEMORY;
    }
    size_t e = ferry_dtype_size(x->dtype);
    for (int64_t k = 0; !st && k < kept; k++) {
        if (x->dtype == FERRY_DT_STRING) {
            const ferry_string *s = (const ferry_string *)x->data + keep[k];
            st = fy_tensor_set_string(out, k, s->data, s->size, ctx->err);
        } else {
            memcpy((char *)out->data + (size_t)k * e, (const char *)x->data + (size_t)keep[k] * e, e);
        }
    }
    if (!st)
        st = fy_arr_write_ints(ctx, idx, keep, kept);
    free(keep);
    return st;
}

#define DYN FY_OP_DYNAMIC_SHAPE
const fy_op_def fy_kernels_partition[] = {
    { .name = "DynamicPartition", .run = k_dynamic_partition, .outputs = "outputs:num_partitions", .traits = DYN },
    { .name = "DynamicStitch", .run = k_dynamic_stitch, .traits = DYN },
    { .name = "ParallelDynamicStitch", .run = k_dynamic_stitch, .traits = DYN },
    { .name = "Bincount", .run = k_bincount, .traits = DYN },
    { .name = "DenseBincount", .run = k_dense_bincount, .traits = DYN },
    { .name = "ListDiff", .run = k_list_diff, .outputs = "out,idx", .traits = DYN },
    { .name = NULL },
};
