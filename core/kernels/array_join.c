/* Joining tensors along an axis and splitting them apart: Pack, Unpack,
 * Concat, ConcatV2, Split, SplitV. All of them move contiguous blocks:
 * for every index of the dims before the axis, one block per piece. */
#include <stdlib.h>
#include <string.h>

#include "kernels/array_internal.h"

static int same_shape(const ferry_tensor *a, const ferry_tensor *b)
{
    return a->rank == b->rank && !memcmp(a->dims, b->dims, (size_t)a->rank * sizeof(int64_t));
}

/* values[0..n): tensors of one dtype. */
static ferry_status gather_inputs(fy_kernel_ctx *ctx, int from, int n, const ferry_tensor **values)
{
    for (int k = 0; k < n; k++) {
        if (!(values[k] = fy_input(ctx, from + k)))
            return FERRY_ERR_INVALID_ARGUMENT;
        if (values[k]->dtype != values[0]->dtype)
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "input %d is %s but input 0 is %s", k,
                                  ferry_dtype_name(values[k]->dtype), ferry_dtype_name(values[0]->dtype));
    }
    return n > 0 ? fy_arr_check_movable(ctx, values[0]) : fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "no inputs");
}

ferry_status fy_arr_pack(fy_kernel_ctx *ctx)
{
    int n = ctx->input_count;
    const ferry_tensor **values = malloc((size_t)(n > 0 ? n : 1) * sizeof(*values));
    if (!values)
        return fy_kernel_fail(ctx, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    ferry_status st = gather_inputs(ctx, 0, n, values);
    const ferry_tensor *first = st ? NULL : values[0];
    for (int k = 1; !st && k < n; k++)
        if (!same_shape(values[k], first)) {
            char a[256], b[256];
            st = fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "shapes of all inputs must match: values[0] is %s, values[%d] is %s",
                                fy_dims_str(a, sizeof(a), first->dims, first->rank), k, fy_dims_str(b, sizeof(b), values[k]->dims, values[k]->rank));
        }
    int64_t axis = fy_attr_int(ctx->node, "axis", 0);
    if (!st && (first->rank == FERRY_MAX_RANK || !fy_axis_in_rank(&axis, first->rank + 1)))
        st = fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "axis %lld is out of range for packing rank %d",
                            (long long)fy_attr_int(ctx->node, "axis", 0), first->rank);
    ferry_tensor *out = NULL;
    if (!st) {
        int64_t dims[FERRY_MAX_RANK];
        for (int d = 0, j = 0; d <= first->rank; d++)
            dims[d] = d == axis ? n : first->dims[j++];
        st = fy_arr_new_output(ctx, 0, first->dtype, dims, first->rank + 1, &out);
    }
    if (!st && first->count > 0) {
        int64_t inner = fy_arr_inner(first->dims, first->rank, (int)axis - 1), outer = first->count / inner;
        for (int64_t o = 0; !st && o < outer; o++)
            for (int k = 0; !st && k < n; k++)
                st = fy_arr_copy(ctx, out, (o * n + k) * inner, values[k], o * inner, inner);
    }
    free(values);
    return st;
}

ferry_status fy_arr_unpack(fy_kernel_ctx *ctx)
{
    const ferry_tensor *in = fy_input(ctx, 0);
    if (!in)
        return FERRY_ERR_INVALID_ARGUMENT;
    ferry_status st = fy_arr_check_movable(ctx, in);
    int64_t axis = fy_attr_int(ctx->node, "axis", 0), num = fy_attr_int(ctx->node, "num", -1);
    if (st)
        return st;
    if (!fy_axis_in_rank(&axis, in->rank))
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "axis %lld is out of range for rank %d",
                              (long long)fy_attr_int(ctx->node, "axis", 0), in->rank);
    if (in->dims[axis] != num) {
        char s[256];
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "input shape %s must have %lld along axis %lld",
                              fy_dims_str(s, sizeof(s), in->dims, in->rank), (long long)num, (long long)axis);
    }
    int64_t dims[FERRY_MAX_RANK];
    for (int d = 0, j = 0; d < in->rank; d++)
        if (d != axis)
            dims[j++] = in->dims[d];
    int64_t inner = fy_arr_inner(in->dims, in->rank, (int)axis);
    int64_t outer = in->count ? in->count / (inner * num) : 0;
    for (int64_t k = 0; k < num; k++) {
        ferry_tensor *out;
        if ((st = fy_arr_new_output(ctx, (int)k, in->dtype, dims, in->rank - 1, &out)) != FERRY_OK)
            return st;
        for (int64_t o = 0; !st && o < outer; o++)
            st = fy_arr_copy(ctx, out, o * inner, in, (o * num + k) * inner, inner);
        if (st)
            return st;
    }
    return FERRY_OK;
}

/* Concatenates values[0..n) along the axis given by axis_t. */
static ferry_status concat(fy_kernel_ctx *ctx, const ferry_tensor **values, int n, const ferry_tensor *axis_t)
{
    const ferry_tensor *first = values[0];
    int64_t axis;
    ferry_status st = fy_arr_scalar_int(ctx, axis_t, &axis, "axis");
    if (st)
        return st;
    if (first->rank == 0)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "cannot concatenate scalars (use tf.stack instead)");
    int64_t given = axis;
    if (!fy_axis_in_rank(&axis, first->rank))
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "expected an axis in [-%d, %d), got %lld", first->rank,
                              first->rank, (long long)given);
    int64_t dims[FERRY_MAX_RANK];
    memcpy(dims, first->dims, sizeof(dims));
    dims[axis] = 0;
    for (int k = 0; k < n; k++) {
        const ferry_tensor *v = values[k];
        int ok = v->rank == first->rank;
        for (int d = 0; ok && d < v->rank; d++)
            ok = d == axis || v->dims[d] == first->dims[d];
        if (!ok) {
            char a[256], b[256];
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "input 0 has shape %s but input %d has shape %s",
                                  fy_dims_str(a, sizeof(a), first->dims, first->rank), k, fy_dims_str(b, sizeof(b), v->dims, v->rank));
        }
        if (v->dims[axis] > INT64_MAX - dims[axis])
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "the concatenated dimension overflows");
        dims[axis] += v->dims[axis];
    }
    ferry_tensor *out;
    if ((st = fy_arr_new_output(ctx, 0, first->dtype, dims, first->rank, &out)) != FERRY_OK || out->count == 0)
        return st;
    int64_t inner = fy_arr_inner(dims, first->rank, (int)axis), outer = out->count / (dims[axis] * inner);
    int64_t at = 0;
    for (int64_t o = 0; o < outer; o++)
        for (int k = 0; k < n; k++) {
            int64_t block = values[k]->dims[axis] * inner;
            if ((st = fy_arr_copy(ctx, out, at, values[k], o * block, block)) != FERRY_OK)
                return st;
            at += block;
        }
    return FERRY_OK;
}

/* ConcatV2(values..., axis) or Concat(concat_dim, values...). */
static ferry_status concat_inputs(fy_kernel_ctx *ctx, int axis_first)
{
    int n = ctx->input_count - 1;
    const ferry_tensor *axis_t = fy_input(ctx, axis_first ? 0 : n);
    if (!axis_t || n < 1)
        return n < 1 ? fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "needs values and an axis")
                     : FERRY_ERR_INVALID_ARGUMENT;
    const ferry_tensor **values = malloc((size_t)n * sizeof(*values));
    if (!values)
        return fy_kernel_fail(ctx, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    ferry_status st = gather_inputs(ctx, axis_first ? 1 : 0, n, values);
    if (!st)
        st = concat(ctx, values, n, axis_t);
    free(values);
    return st;
}

ferry_status fy_arr_concat(fy_kernel_ctx *ctx) { return concat_inputs(ctx, 1); }
ferry_status fy_arr_concat_v2(fy_kernel_ctx *ctx) { return concat_inputs(ctx, 0); }

/* Splits `in` along axis into pieces of sizes[0..n). */
static ferry_status split(fy_kernel_ctx *ctx, const ferry_tensor *in, int axis, const int64_t *sizes, int64_t n)
{
    int64_t inner = fy_arr_inner(in->dims, in->rank, axis);
    int64_t outer = in->count ? fy_arr_product(in->dims, 0, axis) : 0;
    int64_t offset = 0;
    for (int64_t k = 0; k < n; k++) {
        int64_t dims[FERRY_MAX_RANK];
        memcpy(dims, in->dims, sizeof(dims));
        dims[axis] = sizes[k];
        ferry_tensor *out;
        ferry_status st = fy_arr_new_output(ctx, (int)k, in->dtype, dims, in->rank, &out);
        int64_t block = outer ? sizes[k] * inner : 0; /* no elements: the dims may multiply past int64 */
        for (int64_t o = 0; !st && o < outer; o++)
            st = fy_arr_copy(ctx, out, o * block, in, o * in->dims[axis] * inner + offset * inner, block);
        if (st)
            return st;
        offset += sizes[k];
    }
    return FERRY_OK;
}

/* The split axis and piece count, checked against the node's outputs. */
static ferry_status split_args(fy_kernel_ctx *ctx, const ferry_tensor *in, const ferry_tensor *axis_t, int64_t *axis,
                               int64_t *num)
{
    ferry_status st = fy_arr_check_movable(ctx, in);
    if (!st)
        st = fy_arr_scalar_int(ctx, axis_t, axis, "axis");
    if (st)
        return st;
    int64_t given = *axis;
    if (!fy_axis_in_rank(axis, in->rank))
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "-%d <= split_dim < %d, but got %lld", in->rank,
                              in->rank, (long long)given);
    *num = fy_attr_int(ctx->node, "num_split", 0);
    if (*num < 1 || *num > ctx->output_count)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "num_split %lld does not match the node's %d outputs",
                              (long long)*num, ctx->output_count);
    return FERRY_OK;
}

ferry_status fy_arr_split(fy_kernel_ctx *ctx)
{
    const ferry_tensor *axis_t = fy_input(ctx, 0), *in = axis_t ? fy_input(ctx, 1) : NULL;
    int64_t axis, num;
    if (!in)
        return FERRY_ERR_INVALID_ARGUMENT;
    ferry_status st = split_args(ctx, in, axis_t, &axis, &num);
    if (st)
        return st;
    if (in->dims[axis] % num != 0)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT,
                              "number of ways to split should evenly divide the split dimension, but got split_dim "
                              "%lld (size = %lld) and num_split %lld",
                              (long long)axis, (long long)in->dims[axis], (long long)num);
    int64_t *sizes = malloc((size_t)num * sizeof(int64_t));
    if (!sizes)
        return fy_kernel_fail(ctx, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    for (int64_t k = 0; k < num; k++)
        sizes[k] = in->dims[axis] / num;
    st = split(ctx, in, (int)axis, sizes, num);
    free(sizes);
    return st;
}

/* Resolves the one -1 of size_splits; the sizes must add up to the dim. */
static ferry_status split_sizes(fy_kernel_ctx *ctx, int64_t *sizes, int64_t num, int64_t dim)
{
    int64_t unknown = -1, sum = 0;
    for (int64_t k = 0; k < num; k++) {
        if (sizes[k] == -1 && unknown < 0)
            unknown = k;
        else if (sizes[k] < 0)
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "size_splits[%lld] = %lld is invalid (only one -1 is allowed)",
                                  (long long)k, (long long)sizes[k]);
        else if (sizes[k] > dim - sum)
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "size_splits add up to more than the split dimension %lld",
                                  (long long)dim);
        else
            sum += sizes[k];
    }
    if (unknown >= 0)
        sizes[unknown] = dim - sum;
    else if (sum != dim)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT,
                              "size_splits must add up to the split dimension %lld (or less with one -1)",
                              (long long)dim);
    return FERRY_OK;
}

ferry_status fy_arr_split_v(fy_kernel_ctx *ctx)
{
    const ferry_tensor *in = fy_input(ctx, 0), *sizes_t = in ? fy_input(ctx, 1) : NULL;
    const ferry_tensor *axis_t = sizes_t ? fy_input(ctx, 2) : NULL;
    int64_t axis, num, *sizes = NULL;
    if (!axis_t)
        return FERRY_ERR_INVALID_ARGUMENT;
    ferry_status st = split_args(ctx, in, axis_t, &axis, &num);
    if (!st && (sizes_t->rank != 1 || sizes_t->count != num))
        st = fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "size_splits must have num_split = %lld entries",
                            (long long)num);
    if (!st)
        st = fy_arr_read_index_list(ctx, sizes_t, &sizes, "size_splits");
    if (!st)
        st = split_sizes(ctx, sizes, num, in->dims[axis]);
    if (!st)
        st = split(ctx, in, (int)axis, sizes, num);
    free(sizes);
    return st;
}
