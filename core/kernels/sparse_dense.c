/* Sparse tensors (indices, values, dense shape) to and from dense ones, as
 * feature-column and tf.Example serving graphs use them: SparseToDense,
 * SparseTensorDenseMatMul, SparseReshape, SparseFillEmptyRows. */
#include <stdlib.h>
#include <string.h>

#include "kernels/array_internal.h"

/* Copies element `from` of src to element `to` of dst (same dtype). */
static ferry_status copy_element(fy_kernel_ctx *ctx, ferry_tensor *dst, int64_t to, const ferry_tensor *src,
                                 int64_t from)
{
    if (dst->dtype == FERRY_DT_STRING) {
        const ferry_string *s = (const ferry_string *)src->data + from;
        return fy_tensor_set_string(dst, to, s->data, s->size, ctx->err);
    }
    size_t e = ferry_dtype_size(dst->dtype);
    memcpy((char *)dst->data + (size_t)to * e, (const char *)src->data + (size_t)from * e, e);
    return FERRY_OK;
}

static int compare_rows(const int64_t *a, const int64_t *b, int rank)
{
    for (int d = 0; d < rank; d++)
        if (a[d] != b[d])
            return a[d] < b[d] ? -1 : 1;
    return 0;
}

/* SparseToDense(sparse_indices, output_shape, sparse_values, default_value),
 * validate_indices: indices [N, R], [N] (R = 1) or a scalar; values [N] or
 * one value for all. With validation the indices must be in bounds, sorted
 * and unique, as TF checks. */
static ferry_status k_sparse_to_dense(fy_kernel_ctx *ctx)
{
    const ferry_tensor *ix = fy_input(ctx, 0), *shape_t = ix ? fy_input(ctx, 1) : NULL;
    const ferry_tensor *values = shape_t ? fy_input(ctx, 2) : NULL, *dflt = values ? fy_input(ctx, 3) : NULL;
    int64_t dims[FERRY_MAX_RANK];
    int rank = 0;
    if (!dflt)
        return FERRY_ERR_INVALID_ARGUMENT;
    ferry_status st = fy_arr_read_dims(ctx, shape_t, dims, &rank, 0, "output_shape");
    if (st)
        return st;
    int64_t n = ix->rank == 0 ? 1 : ix->dims[0], r = ix->rank == 2 ? ix->dims[1] : 1;
    if (ix->rank > 2 || r != rank)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT,
                              "sparse_indices must be a matrix of rows of %d coordinates (output_shape's rank)", rank);
    if (!(values->rank == 0 || (values->rank == 1 && values->dims[0] == n)))
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "sparse_values must be a scalar or have %lld values",
                              (long long)n);
    if (dflt->count != 1 || dflt->dtype != values->dtype || dflt->rank != 0)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "default_value must be a scalar of the values' dtype");
    int64_t *p = NULL;
    if ((st = fy_arr_read_index_list(ctx, ix, &p, "sparse_indices")) != FERRY_OK)
        return st;
    int validate = fy_attr_bool(ctx->node, "validate_indices", 1);
    for (int64_t i = 0; !st && i < n; i++) {
        const int64_t *row = p + i * rank;
        for (int d = 0; !st && d < rank; d++)
            if (row[d] < 0 || row[d] >= dims[d])
                st = fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "indices[%lld] is out of bounds", (long long)i);
        int order = i && validate ? compare_rows(row - rank, row, rank) : -1;
        if (!st && order > 0)
            st = fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "indices[%lld] is out of order", (long long)i);
        if (!st && order == 0)
            st = fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "indices[%lld] is repeated", (long long)i);
    }
    ferry_tensor *out = st ? NULL : fy_output_new(ctx, 0, values->dtype, dims, rank);
    if (!st && !out)
        st = FERRY_ERR_OUT_OF_MEMORY;
    for (int64_t i = 0; !st && i < out->count; i++)
        st = copy_element(ctx, out, i, dflt, 0);
    for (int64_t i = 0; !st && i < n; i++) {
        int64_t at = 0;
        for (int d = 0; d < rank; d++)
            at = at * dims[d] + p[i * rank + d];
        st = copy_element(ctx, out, at, values, values->rank ? i : 0);
    }
    free(p);
    return st;
}

/* SparseTensorDenseMatMul(a_indices, a_values, a_shape, b), adjoint_a,
 * adjoint_b: the product of a sparse [M, K] (or its transpose) with a dense
 * matrix, summed in the entries' order. */
static ferry_status k_sparse_dense_matmul(fy_kernel_ctx *ctx)
{
    const ferry_tensor *ix = fy_input(ctx, 0), *v = ix ? fy_input(ctx, 1) : NULL;
    const ferry_tensor *shape_t = v ? fy_input(ctx, 2) : NULL, *b = shape_t ? fy_input(ctx, 3) : NULL;
    int adj_a = fy_attr_bool(ctx->node, "adjoint_a", 0), adj_b = fy_attr_bool(ctx->node, "adjoint_b", 0);
    int64_t shape[FERRY_MAX_RANK];
    int rank = 0;
    if (!b)
        return FERRY_ERR_INVALID_ARGUMENT;
    ferry_status st = fy_arr_read_dims(ctx, shape_t, shape, &rank, 0, "a_shape");
    if (st)
        return st;
    if (rank != 2 || ix->rank != 2 || ix->dims[1] != 2 || v->rank != 1 || v->dims[0] != ix->dims[0] || b->rank != 2 ||
        b->dtype != v->dtype)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "a must be a sparse matrix and b a dense one of its dtype");
    if (v->dtype != FERRY_DT_FLOAT && v->dtype != FERRY_DT_DOUBLE && v->dtype != FERRY_DT_INT32 &&
        v->dtype != FERRY_DT_INT64)
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "values of %s", ferry_dtype_name(v->dtype));
    int64_t m = shape[adj_a ? 1 : 0], k = shape[adj_a ? 0 : 1];
    int64_t bk = b->dims[adj_b ? 1 : 0], n = b->dims[adj_b ? 0 : 1];
    if (k != bk)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT,
                              "cannot multiply A and B because inner dimension does not match: %lld vs. %lld",
                              (long long)k, (long long)bk);
    int64_t *p = NULL;
    if ((st = fy_arr_read_index_list(ctx, ix, &p, "a_indices")) != FERRY_OK)
        return st;
    int64_t dims[2] = { m, n };
    ferry_tensor *out = fy_output_new(ctx, 0, v->dtype, dims, 2);
    if (!out) {
        free(p);
        return FERRY_ERR_OUT_OF_MEMORY;
    }
    for (int64_t i = 0; !st && i < ix->dims[0]; i++) {
        int64_t row = p[2 * i + (adj_a ? 1 : 0)], col = p[2 * i + (adj_a ? 0 : 1)];
        if (row < 0 || row >= m || col < 0 || col >= k) {
            st = fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "a_indices[%lld] = [%lld, %lld] is out of bounds",
                                (long long)i, (long long)p[2 * i], (long long)p[2 * i + 1]);
            break;
        }
        for (int64_t j = 0; j < n; j++) {
            int64_t bi = adj_b ? j * b->dims[1] + col : col * b->dims[1] + j, oi = row * n + j;
            switch (v->dtype) {
            case FERRY_DT_FLOAT:
                ((float *)out->data)[oi] += ((const float *)v->data)[i] * ((const float *)b->data)[bi];
                break;
            case FERRY_DT_DOUBLE:
                ((double *)out->data)[oi] += ((const double *)v->data)[i] * ((const double *)b->data)[bi];
                break;
            case FERRY_DT_INT32:
                ((int32_t *)out->data)[oi] = (int32_t)((uint32_t)((int32_t *)out->data)[oi] +
                                                       (uint32_t)((const int32_t *)v->data)[i] *
                                                           (uint32_t)((const int32_t *)b->data)[bi]);
                break;
            default:
                ((int64_t *)out->data)[oi] = (int64_t)((uint64_t)((int64_t *)out->data)[oi] +
                                                       (uint64_t)((const int64_t *)v->data)[i] *
                                                           (uint64_t)((const int64_t *)b->data)[bi]);
            }
        }
    }
    free(p);
    return st;
}

/* SparseReshape(input_indices, input_shape, new_shape): the entries' row-major
 * positions kept, their coordinates in the new shape (one -1 inferred). */
static ferry_status k_sparse_reshape(fy_kernel_ctx *ctx)
{
    const ferry_tensor *ix = fy_input(ctx, 0), *in_shape = ix ? fy_input(ctx, 1) : NULL;
    const ferry_tensor *new_shape = in_shape ? fy_input(ctx, 2) : NULL;
    int64_t from[FERRY_MAX_RANK], to[FERRY_MAX_RANK];
    int rank = 0, new_rank = 0, unknown = -1;
    if (!new_shape)
        return FERRY_ERR_INVALID_ARGUMENT;
    ferry_status st = fy_arr_read_dims(ctx, in_shape, from, &rank, 0, "input_shape");
    if (!st)
        st = fy_arr_read_dims(ctx, new_shape, to, &new_rank, 1, "new_shape");
    if (st)
        return st;
    if (ix->dtype != FERRY_DT_INT64 || ix->rank != 2 || ix->dims[1] != rank)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "input_indices must be int64 [N, %d]", rank);
    int64_t total = fy_arr_product(from, 0, rank), known = 1;
    for (int d = 0; d < new_rank; d++) {
        if (to[d] == -1 && unknown < 0)
            unknown = d;
        else if (to[d] < 0)
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "size %d must be non-negative, not %lld", d,
                                  (long long)to[d]);
        else if ((known = fy_mul_sizes(known, to[d])) < 0)
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "new_shape overflows int64");
    }
    if (unknown >= 0) {
        if (known == 0 || total % known)
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT,
                                  "Input to reshape is a SparseTensor with %lld dense values, but the requested shape "
                                  "requires a multiple of %lld", (long long)total, (long long)known);
        to[unknown] = total / known;
    } else if (known != total) {
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT,
                              "Input to reshape is a tensor with %lld dense values, but the requested shape has %lld",
                              (long long)total, (long long)known);
    }
    int64_t out_dims[2] = { ix->dims[0], new_rank }, nr = new_rank;
    ferry_tensor *out = fy_output_new(ctx, 0, FERRY_DT_INT64, out_dims, 2);
    ferry_tensor *shape_out = out ? fy_output_new(ctx, 1, FERRY_DT_INT64, &nr, 1) : NULL;
    if (!shape_out)
        return FERRY_ERR_OUT_OF_MEMORY;
    memcpy(shape_out->data, to, (size_t)new_rank * sizeof(int64_t));
    const int64_t *p = ix->data;
    int64_t *q = out->data;
    for (int64_t i = 0; i < ix->dims[0]; i++) {
        int64_t at = 0;
        for (int d = 0; d < rank; d++)
            at = at * from[d] + p[i * rank + d];
        for (int d = new_rank - 1; d >= 0; d--) {
            q[i * new_rank + d] = to[d] ? at % to[d] : 0;
            at = to[d] ? at / to[d] : 0;
        }
    }
    return FERRY_OK;
}

/* SparseFillEmptyRows(indices, values, dense_shape, default_value): every
 * row of dim 0 without an entry gets one at [row, 0, ...] holding the
 * default; entries come out grouped by row, in their order within a row.
 * Also says which rows were empty and where each input entry went. */
static ferry_status k_sparse_fill_empty_rows(fy_kernel_ctx *ctx)
{
    const ferry_tensor *ix = fy_input(ctx, 0), *v = ix ? fy_input(ctx, 1) : NULL;
    const ferry_tensor *shape_t = v ? fy_input(ctx, 2) : NULL, *dflt = shape_t ? fy_input(ctx, 3) : NULL;
    int64_t shape[FERRY_MAX_RANK];
    int rank = 0;
    if (!dflt)
        return FERRY_ERR_INVALID_ARGUMENT;
    ferry_status st = fy_arr_read_dims(ctx, shape_t, shape, &rank, 0, "dense_shape");
    if (st)
        return st;
    if (rank < 1 || ix->dtype != FERRY_DT_INT64 || ix->rank != 2 || ix->dims[1] != rank || v->rank != 1 ||
        v->dims[0] != ix->dims[0] || dflt->count != 1 || dflt->dtype != v->dtype)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT,
                              "indices [N, %d], values [N] and a scalar default_value of the values' dtype", rank);
    int64_t n = ix->dims[0], rows = shape[0];
    const int64_t *p = ix->data;
    int64_t *start = calloc((size_t)rows + 2, sizeof(int64_t));
    if (!start)
        return fy_kernel_fail(ctx, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    for (int64_t i = 0; i < n; i++) {
        if (p[i * rank] < 0 || p[i * rank] >= rows) {
            free(start);
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "indices(%lld, 0) is invalid: %lld not in [0, %lld)",
                                  (long long)i, (long long)p[i * rank], (long long)rows);
        }
        start[p[i * rank] + 1]++;
    }
    for (int64_t r = 0; r < rows; r++) {
        start[r + 1] += start[r] + (start[r + 1] == 0); /* an empty row gets one slot */
    }
    int64_t total = start[rows], dims[2] = { total, rank };
    ferry_tensor *out_ix = fy_output_new(ctx, 0, FERRY_DT_INT64, dims, 2);
    ferry_tensor *out_v = out_ix ? fy_output_new(ctx, 1, v->dtype, &total, 1) : NULL;
    ferry_tensor *indicator = out_v ? fy_output_new(ctx, 2, FERRY_DT_BOOL, &rows, 1) : NULL;
    ferry_tensor *reverse = indicator ? fy_output_new(ctx, 3, FERRY_DT_INT64, &n, 1) : NULL;
    int64_t *next = reverse ? malloc(((size_t)rows + 1) * sizeof(int64_t)) : NULL;
    if (!next) {
        free(start);
        return reverse ? fy_kernel_fail(ctx, FERRY_ERR_OUT_OF_MEMORY, "out of memory") : FERRY_ERR_OUT_OF_MEMORY;
    }
    memcpy(next, start, (size_t)rows * sizeof(int64_t));
    int64_t *q = out_ix->data;
    for (int64_t i = 0; !st && i < n; i++) {
        int64_t at = next[p[i * rank]]++;
        memcpy(q + at * rank, p + i * rank, (size_t)rank * sizeof(int64_t));
        ((int64_t *)reverse->data)[i] = at;
        st = copy_element(ctx, out_v, at, v, i);
    }
    for (int64_t r = 0; !st && r < rows; r++) {
        int is_empty = next[r] == start[r];
        ((unsigned char *)indicator->data)[r] = (unsigned char)is_empty;
        if (is_empty) {
            memset(q + start[r] * rank, 0, (size_t)rank * sizeof(int64_t));
            q[start[r] * rank] = r;
            st = copy_element(ctx, out_v, start[r], dflt, 0);
        }
    }
    free(start);
    free(next);
    return st;
}

#define DYN FY_OP_DYNAMIC_SHAPE
const fy_op_def fy_kernels_sparse_dense[] = {
    { .name = "SparseToDense", .run = k_sparse_to_dense, .traits = DYN },
    { .name = "SparseTensorDenseMatMul", .run = k_sparse_dense_matmul, .traits = DYN },
    { .name = "SparseReshape", .run = k_sparse_reshape, .outputs = "output_indices,output_shape", .traits = DYN },
    { .name = "SparseFillEmptyRows", .run = k_sparse_fill_empty_rows,
      .outputs = "output_indices,output_values,empty_row_indicator,reverse_index_map", .traits = DYN },
    { .name = NULL },
};
