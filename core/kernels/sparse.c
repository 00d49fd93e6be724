/* Sparse tensors given as (indices, values, dense shape): the reductions
 * and conversions serving graphs apply to parsed sparse features. */
#include <stdlib.h>
#include <string.h>

#include "kernels/kernel.h"

/* Reads indices [N, R] (int64), values [N] and shape [R]; checks bounds. */
static ferry_status sparse_inputs(fy_kernel_ctx *ctx, int first, const int64_t **indices, const ferry_tensor **values,
                                  int64_t *shape, int *rank)
{
    const ferry_tensor *ix = fy_input(ctx, first), *v = ix ? fy_input(ctx, first + 1) : NULL;
    const ferry_tensor *sh = v ? fy_input(ctx, first + 2) : NULL;
    if (!sh)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (ix->dtype != FERRY_DT_INT64 || ix->rank != 2 || sh->rank != 1 || ix->dims[1] != sh->count ||
        v->rank != 1 || v->dims[0] != ix->dims[0])
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "indices, values and shape do not agree");
    if (fy_read_ints(ctx, sh, shape, FERRY_MAX_RANK, "dense shape"))
        return FERRY_ERR_INVALID_ARGUMENT;
    *rank = (int)sh->count;
    const int64_t *p = ix->data;
    for (int64_t i = 0; i < ix->dims[0]; i++)
        for (int d = 0; d < *rank; d++)
            if (p[i * *rank + d] < 0 || p[i * *rank + d] >= shape[d])
                return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "index %lld lies outside the dense shape",
                                      (long long)i);
    *indices = p;
    *values = v;
    return FERRY_OK;
}

static double value_at(const ferry_tensor *v, int64_t i)
{
    switch (v->dtype) {
    case FERRY_DT_FLOAT: return ((const float *)v->data)[i];
    case FERRY_DT_DOUBLE: return ((const double *)v->data)[i];
    case FERRY_DT_INT32: return ((const int32_t *)v->data)[i];
    case FERRY_DT_INT64: return (double)((const int64_t *)v->data)[i];
    default: return 0;
    }
}

static void add_at(ferry_tensor *out, int64_t o, double x)
{
    switch (out->dtype) {
    case FERRY_DT_FLOAT: ((float *)out->data)[o] += (float)x; break;
    case FERRY_DT_DOUBLE: ((double *)out->data)[o] += x; break;
    case FERRY_DT_INT32: ((int32_t *)out->data)[o] += (int32_t)x; break;
    case FERRY_DT_INT64: ((int64_t *)out->data)[o] += (int64_t)x; break;
    default: break;
    }
}

/* SparseReduceSum: a dense sum over the given axes (missing entries are 0). */
static ferry_status k_sparse_reduce_sum(fy_kernel_ctx *ctx)
{
    const int64_t *ix = NULL;
    const ferry_tensor *values = NULL;
    int64_t shape[FERRY_MAX_RANK], axes[FERRY_MAX_RANK];
    int rank = 0;
    ferry_status st = sparse_inputs(ctx, 0, &ix, &values, shape, &rank);
    const ferry_tensor *axes_t = st ? NULL : fy_input(ctx, 3);
    if (!axes_t)
        return st ? st : FERRY_ERR_INVALID_ARGUMENT;
    if (values->dtype != FERRY_DT_FLOAT && values->dtype != FERRY_DT_DOUBLE && values->dtype != FERRY_DT_INT32 &&
        values->dtype != FERRY_DT_INT64)
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "values of dtype %s", ferry_dtype_name(values->dtype));
    if (fy_read_ints(ctx, axes_t, axes, FERRY_MAX_RANK, "reduction_axes"))
        return FERRY_ERR_INVALID_ARGUMENT;
    int reduced[FERRY_MAX_RANK] = { 0 };
    for (int64_t k = 0; k < axes_t->count; k++) {
        int64_t a = axes[k] < 0 ? axes[k] + rank : axes[k];
        if (a < 0 || a >= rank)
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "axis %lld is out of range", (long long)axes[k]);
        reduced[a] = 1;
    }
    int keep = fy_attr_bool(ctx->node, "keep_dims", 0);
    int64_t out_dims[FERRY_MAX_RANK];
    int out_rank = 0;
    for (int d = 0; d < rank; d++)
        if (!reduced[d] || keep)
            out_dims[out_rank++] = reduced[d] ? 1 : shape[d];
    ferry_tensor *out = fy_output_new(ctx, 0, values->dtype, out_dims, out_rank);
    if (!out)
        return FERRY_ERR_OUT_OF_MEMORY;
    for (int64_t i = 0; i < values->count; i++) {
        int64_t o = 0;
        for (int d = 0; d < rank; d++)
            if (!reduced[d])
                o = o * shape[d] + ix[i * rank + d];
        add_at(out, o, value_at(values, i));
    }
    return FERRY_OK;
}

const fy_op_def fy_kernels_sparse[] = {
    { .name = "SparseReduceSum", .run = k_sparse_reduce_sum, .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = NULL },
};
