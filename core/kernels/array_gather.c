/* Indexing ops: Gather, GatherV2, GatherNd (also from resource variables),
 * Where, Select and SelectV2.
 * Indices out of range fail the run (TF raises InvalidArgument on CPU). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/array_internal.h"
#include "kernels/gather.h"

/* "1,2" for flat index i of a tensor of shape dims[0..rank). */
static void multi_index(char *buf, size_t cap, int64_t i, const int64_t *dims, int rank)
{
    int64_t idx[FERRY_MAX_RANK];
    for (int d = rank - 1; d >= 0; d--) {
        idx[d] = dims[d] ? i % dims[d] : 0;
        i = dims[d] ? i / dims[d] : 0;
    }
    size_t used = 0;
    buf[0] = '\0';
    for (int d = 0; d < rank && used < cap; d++)
        used += (size_t)snprintf(buf + used, cap - used, d ? ",%lld" : "%lld", (long long)idx[d]);
}

static ferry_status bad_index(fy_kernel_ctx *ctx, const ferry_tensor *indices, int64_t at, int64_t value, int64_t n)
{
    char where[256];
    multi_index(where, sizeof(where), at, indices->dims, indices->rank);
    return fy_kernel_fail(ctx, FERRY_ERR_RUNTIME, "indices[%s] = %lld is not in [0, %lld)", where,
                          (long long)value, (long long)n);
}

/* The gather proper: params viewed as [batch, outer, n, inner], indices as
 * [batch, count]; the output is [batch, outer, count, inner]. */
typedef struct gather_plan {
    int64_t batch, outer, n, inner, count;
} gather_plan;

static ferry_status gather_run(fy_kernel_ctx *ctx, const gather_plan *g, const ferry_tensor *params,
                               const ferry_tensor *indices, const int64_t *idx, ferry_tensor *out)
{
    int64_t o = 0;
    for (int64_t b = 0; b < g->batch; b++)
        for (int64_t r = 0; r < g->outer; r++)
            for (int64_t i = 0; i < g->count; i++, o += g->inner) {
                int64_t v = idx[b * g->count + i];
                if (v < 0 || v >= g->n)
                    return bad_index(ctx, indices, b * g->count + i, v, g->n);
                ferry_status st = fy_arr_copy(ctx, out, o, params, ((b * g->outer + r) * g->n + v) * g->inner,
                                              g->inner);
                if (st)
                    return st;
            }
    return FERRY_OK;
}

/* Checks axis and batch_dims (both already non-negative) against the shapes. */
static ferry_status gather_check(fy_kernel_ctx *ctx, const ferry_tensor *params, const ferry_tensor *indices,
                                 int64_t axis, int64_t batch_dims)
{
    if (batch_dims < 0 || batch_dims > indices->rank)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "expected batch_dims in the range [-%d, %d], but got %lld",
                              indices->rank, indices->rank, (long long)fy_attr_int(ctx->node, "batch_dims", 0));
    if (batch_dims > axis)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "batch_dims (%lld) must be less than or equal to axis (%lld)",
                              (long long)batch_dims, (long long)axis);
    for (int d = 0; d < batch_dims; d++)
        if (params->dims[d] != indices->dims[d])
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT,
                                  "params.shape[%d]: %lld should be equal to indices.shape[%d]: %lld", d,
                                  (long long)params->dims[d], d, (long long)indices->dims[d]);
    if (params->rank + indices->rank - batch_dims - 1 > FERRY_MAX_RANK)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "the result would exceed rank %d", FERRY_MAX_RANK);
    return FERRY_OK;
}

ferry_status fy_gather(fy_kernel_ctx *ctx, const ferry_tensor *params, const ferry_tensor *indices, int64_t axis,
                       int64_t batch_dims)
{
    int64_t given = axis;
    ferry_status st = fy_arr_check_movable(ctx, params);
    if (st)
        return st;
    if (!fy_axis_in_rank(&axis, params->rank))
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "expected axis in the range [-%d, %d), but got %lld",
                              params->rank, params->rank, (long long)given);
    if (batch_dims < 0)
        batch_dims += indices->rank;
    if ((st = gather_check(ctx, params, indices, axis, batch_dims)) != FERRY_OK)
        return st;
    int64_t dims[FERRY_MAX_RANK];
    int rank = 0;
    for (int d = 0; d < axis; d++)
        dims[rank++] = params->dims[d];
    for (int d = (int)batch_dims; d < indices->rank; d++)
        dims[rank++] = indices->dims[d];
    for (int d = (int)axis + 1; d < params->rank; d++)
        dims[rank++] = params->dims[d];
    gather_plan g = { fy_arr_product(params->dims, 0, (int)batch_dims), fy_arr_product(params->dims, (int)batch_dims, (int)axis),
                      params->dims[axis], fy_arr_product(params->dims, (int)axis + 1, params->rank),
                      fy_arr_product(indices->dims, (int)batch_dims, indices->rank) };
    int64_t *idx = NULL;
    ferry_tensor *out;
    if ((st = fy_arr_read_index_list(ctx, indices, &idx, "indices")) != FERRY_OK)
        return st;
    st = fy_arr_new_output(ctx, 0, params->dtype, dims, rank, &out);
    if (!st && out->count > 0)
        st = gather_run(ctx, &g, params, indices, idx, out);
    free(idx);
    return st;
}

/* Gather(params, indices): TF1's form, along axis 0. */
ferry_status fy_arr_gather(fy_kernel_ctx *ctx)
{
    const ferry_tensor *params = fy_input(ctx, 0), *indices = params ? fy_input(ctx, 1) : NULL;
    if (!indices)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (params->rank == 0)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "params must be at least 1-D");
    return fy_gather(ctx, params, indices, 0, 0);
}

/* GatherV2(params, indices, axis), batch_dims attr. */
ferry_status fy_arr_gather_v2(fy_kernel_ctx *ctx)
{
    const ferry_tensor *params = fy_input(ctx, 0), *indices = params ? fy_input(ctx, 1) : NULL;
    const ferry_tensor *axis_t = indices ? fy_input(ctx, 2) : NULL;
    if (!axis_t)
        return FERRY_ERR_INVALID_ARGUMENT;
    int64_t axis;
    ferry_status st = fy_arr_scalar_int(ctx, axis_t, &axis, "axis");
    return st ? st : fy_gather(ctx, params, indices, axis, fy_attr_int(ctx->node, "batch_dims", 0));
}

/* ---- GatherNd ---------------------------------------------------------------- */

static ferry_status bad_tuple(fy_kernel_ctx *ctx, const ferry_tensor *params, const ferry_tensor *indices,
                              const int64_t *idx, int64_t t, int64_t k)
{
    char where[256], tuple[256], shape[256];
    multi_index(where, sizeof(where), t, indices->dims, indices->rank - 1);
    size_t used = 0;
    tuple[0] = '\0';
    for (int64_t j = 0; j < k && used < sizeof(tuple); j++)
        used += (size_t)snprintf(tuple + used, sizeof(tuple) - used, j ? ", %lld" : "%lld", (long long)idx[t * k + j]);
    return fy_kernel_fail(ctx, FERRY_ERR_RUNTIME, "indices[%s] = [%s] does not index into param shape %s",
                          where, tuple, fy_dims_str(shape, sizeof(shape), params->dims, params->rank));
}

/* Each row of indices' last dim (length k) picks a slice params[i0, ..., ik-1]. */
ferry_status fy_gather_nd(fy_kernel_ctx *ctx, const ferry_tensor *params, const ferry_tensor *indices)
{
    ferry_status st = fy_arr_check_movable(ctx, params);
    if (st)
        return st;
    if (indices->rank < 1)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "indices must be at least a vector");
    int64_t k = indices->dims[indices->rank - 1];
    if (k > params->rank)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT,
                              "index innermost dimension length must be <= params rank; saw: %lld vs. %d",
                              (long long)k, params->rank);
    if (indices->rank - 1 + params->rank - k > FERRY_MAX_RANK)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "the result would exceed rank %d", FERRY_MAX_RANK);
    int64_t dims[FERRY_MAX_RANK];
    int rank = 0;
    for (int d = 0; d < indices->rank - 1; d++)
        dims[rank++] = indices->dims[d];
    for (int d = (int)k; d < params->rank; d++)
        dims[rank++] = params->dims[d];
    int64_t tuples = fy_arr_product(indices->dims, 0, indices->rank - 1), slice = fy_arr_product(params->dims, (int)k, params->rank);
    if (tuples > 0 && params->count == 0) {
        char s[256];
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "requested more than 0 entries, but params is empty; params shape: %s",
                              fy_dims_str(s, sizeof(s), params->dims, params->rank));
    }
    int64_t *idx = NULL;
    ferry_tensor *out;
    if ((st = fy_arr_read_index_list(ctx, indices, &idx, "indices")) != FERRY_OK)
        return st;
    st = fy_arr_new_output(ctx, 0, params->dtype, dims, rank, &out);
    for (int64_t t = 0; !st && t < tuples && slice > 0; t++) {
        int64_t at = 0;
        for (int64_t j = 0; j < k && !st; j++) {
            int64_t v = idx[t * k + j];
            if (v < 0 || v >= params->dims[j])
                st = bad_tuple(ctx, params, indices, idx, t, k);
            at = at * params->dims[j] + v;
        }
        if (!st)
            st = fy_arr_copy(ctx, out, t * slice, params, at * slice, slice);
    }
    free(idx);
    return st;
}

ferry_status fy_arr_gather_nd(fy_kernel_ctx *ctx)
{
    const ferry_tensor *params = fy_input(ctx, 0), *indices = params ? fy_input(ctx, 1) : NULL;
    return indices ? fy_gather_nd(ctx, params, indices) : FERRY_ERR_INVALID_ARGUMENT;
}

/* ---- Where ------------------------------------------------------------------- */

/* Where(input): the coordinates of the true (nonzero) elements, int64 [n, rank]. */
ferry_status fy_arr_where(fy_kernel_ctx *ctx)
{
    const ferry_tensor *in = fy_input(ctx, 0);
    if (!in)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (in->dtype == FERRY_DT_STRING || !ferry_dtype_size(in->dtype))
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "not defined for %s", ferry_dtype_name(in->dtype));
    if (in->rank == 0) /* as TF: WhereOp handles ranks 1 and up */
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "the input must have at least one dimension");
    int64_t n = 0;
    for (int64_t i = 0; i < in->count; i++)
        n += fy_arr_truthy(in, i);
    int64_t dims[2] = { n, in->rank };
    ferry_tensor *out;
    ferry_status st = fy_arr_new_output(ctx, 0, FERRY_DT_INT64, dims, 2, &out);
    if (st)
        return st;
    int64_t *o = out->data;
    for (int64_t i = 0; i < in->count; i++) {
        if (!fy_arr_truthy(in, i))
            continue;
        int64_t j = i;
        for (int d = in->rank - 1; d >= 0; d--) {
            o[d] = j % in->dims[d];
            j /= in->dims[d];
        }
        o += in->rank;
    }
    return FERRY_OK;
}

/* ---- Select / SelectV2 ----------------------------------------------------- */

/* Three shapes broadcast together: per input, the stride of every output dim. */
typedef struct bcast3 {
    int rank;
    int64_t dims[FERRY_MAX_RANK];
    int64_t stride[3][FERRY_MAX_RANK];
} bcast3;

static int bcast3_init(bcast3 *b, const int64_t *const *shapes, const int *ranks)
{
    b->rank = 0;
    for (int k = 0; k < 3; k++)
        b->rank = ranks[k] > b->rank ? ranks[k] : b->rank;
    for (int d = 0; d < b->rank; d++) {
        b->dims[d] = 1;
        for (int k = 0; k < 3; k++) {
            int dk = d - (b->rank - ranks[k]);
            int64_t x = dk >= 0 ? shapes[k][dk] : 1;
            if (x != 1 && b->dims[d] != 1 && x != b->dims[d])
                return 0;
            if (x != 1)
                b->dims[d] = x;
        }
    }
    if (fy_shape_count(b->dims, b->rank, 1) == 0)
        return 1; /* nothing to walk; the dims beside a 0 may multiply past int64 */
    for (int k = 0; k < 3; k++) {
        int64_t s = 1;
        for (int d = b->rank - 1; d >= 0; d--) {
            int dk = d - (b->rank - ranks[k]);
            int64_t x = dk >= 0 ? shapes[k][dk] : 1;
            b->stride[k][d] = x == 1 ? 0 : s;
            s *= x;
        }
    }
    return 1;
}

static ferry_status select_run(fy_kernel_ctx *ctx, const bcast3 *b, const ferry_tensor *cond, const ferry_tensor *t,
                               const ferry_tensor *e)
{
    ferry_tensor *out;
    ferry_status st = fy_arr_new_output(ctx, 0, t->dtype, b->dims, b->rank, &out);
    int64_t idx[FERRY_MAX_RANK] = { 0 }, off[3] = { 0, 0, 0 };
    const unsigned char *c = cond->data;
    for (int64_t i = 0; !st && i < out->count; i++) {
        st = c[off[0]] ? fy_arr_copy_one(ctx, out, i, t, off[1]) : fy_arr_copy_one(ctx, out, i, e, off[2]);
        for (int d = b->rank - 1; d >= 0; d--) {
            for (int k = 0; k < 3; k++)
                off[k] += b->stride[k][d];
            if (++idx[d] < b->dims[d])
                break;
            for (int k = 0; k < 3; k++)
                off[k] -= b->stride[k][d] * b->dims[d];
            idx[d] = 0;
        }
    }
    return st;
}

static ferry_status select_inputs(fy_kernel_ctx *ctx, const ferry_tensor **in)
{
    for (int k = 0; k < 3; k++)
        if (!(in[k] = fy_input(ctx, k)))
            return FERRY_ERR_INVALID_ARGUMENT;
    if (in[0]->dtype != FERRY_DT_BOOL)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "condition must be bool, not %s",
                              ferry_dtype_name(in[0]->dtype));
    if (in[1]->dtype != in[2]->dtype)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "'then' is %s but 'else' is %s",
                              ferry_dtype_name(in[1]->dtype), ferry_dtype_name(in[2]->dtype));
    return fy_arr_check_movable(ctx, in[1]);
}

static ferry_status select_shape_fail(fy_kernel_ctx *ctx, const ferry_tensor *const *in, const char *what)
{
    char a[256], b[256], c[256];
    return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "condition %s, then %s and else %s %s",
                          fy_dims_str(a, sizeof(a), in[0]->dims, in[0]->rank), fy_dims_str(b, sizeof(b), in[1]->dims, in[1]->rank),
                          fy_dims_str(c, sizeof(c), in[2]->dims, in[2]->rank), what);
}

/* Select (TF1): then and else of one shape; the condition has that shape,
 * is a scalar, or is a vector over the first dim. */
ferry_status fy_arr_select(fy_kernel_ctx *ctx)
{
    const ferry_tensor *in[3];
    ferry_status st = select_inputs(ctx, in);
    if (st)
        return st;
    const ferry_tensor *cond = in[0], *t = in[1];
    if (t->rank != in[2]->rank || memcmp(t->dims, in[2]->dims, (size_t)t->rank * sizeof(int64_t)))
        return select_shape_fail(ctx, in, "do not match: then and else must have the same shape");
    int64_t cdims[FERRY_MAX_RANK];
    int same = cond->rank == t->rank && !memcmp(cond->dims, t->dims, (size_t)t->rank * sizeof(int64_t));
    if (!same && cond->rank != 0) {
        if (cond->rank != 1 || t->rank < 1 || cond->dims[0] != t->dims[0])
            return select_shape_fail(ctx, in, "do not match: the condition must be a scalar, a vector over the "
                                              "first dim, or of the same shape");
        /* a vector condition picks whole rows: view it as [n, 1, ..., 1] */
        cdims[0] = cond->dims[0];
        for (int d = 1; d < t->rank; d++)
            cdims[d] = 1;
    }
    const int64_t *shapes[3] = { same || cond->rank == 0 ? cond->dims : cdims, t->dims, in[2]->dims };
    int ranks[3] = { same || cond->rank == 0 ? cond->rank : t->rank, t->rank, t->rank };
    bcast3 b;
    bcast3_init(&b, shapes, ranks);
    return select_run(ctx, &b, cond, t, in[2]);
}

/* SelectV2: condition, then and else broadcast together. */
ferry_status fy_arr_select_v2(fy_kernel_ctx *ctx)
{
    const ferry_tensor *in[3];
    ferry_status st = select_inputs(ctx, in);
    if (st)
        return st;
    const int64_t *shapes[3] = { in[0]->dims, in[1]->dims, in[2]->dims };
    int ranks[3] = { in[0]->rank, in[1]->rank, in[2]->rank };
    bcast3 b;
    if (!bcast3_init(&b, shapes, ranks))
        return select_shape_fail(ctx, in, "must be broadcastable");
    return select_run(ctx, &b, in[0], in[1], in[2]);
}
