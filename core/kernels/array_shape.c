/* Ops about shapes: reading them (Shape, Size, Rank), changing them without
 * reordering data (Reshape, ExpandDims, Squeeze) and shape arithmetic
 * (BroadcastArgs, BroadcastGradientArgs, InvertPermutation, ConcatOffset). */
#include <stdlib.h>
#include <string.h>

#include "kernels/array_internal.h"

/* A 1-D or scalar int output holding n values. */
static ferry_status int_output(fy_kernel_ctx *ctx, int i, ferry_dtype dtype, const int64_t *v, int64_t n, int scalar)
{
    ferry_tensor *out;
    ferry_status st = fy_arr_new_output(ctx, i, dtype, &n, scalar ? 0 : 1, &out);
    return st ? st : fy_arr_write_ints(ctx, out, v, n);
}

ferry_status fy_arr_shape(fy_kernel_ctx *ctx)
{
    const ferry_tensor *in = fy_input(ctx, 0);
    ferry_dtype type;
    if (!in)
        return FERRY_ERR_INVALID_ARGUMENT;
    ferry_status st = fy_arr_index_type(ctx, "out_type", FERRY_DT_INT32, &type);
    return st ? st : int_output(ctx, 0, type, in->dims, in->rank, 0);
}

ferry_status fy_arr_shape_n(fy_kernel_ctx *ctx)
{
    ferry_dtype type;
    ferry_status st = fy_arr_index_type(ctx, "out_type", FERRY_DT_INT32, &type);
    for (int i = 0; !st && i < ctx->input_count; i++) {
        const ferry_tensor *in = fy_input(ctx, i);
        st = in ? int_output(ctx, i, type, in->dims, in->rank, 0) : FERRY_ERR_INVALID_ARGUMENT;
    }
    return st;
}

ferry_status fy_arr_size(fy_kernel_ctx *ctx)
{
    const ferry_tensor *in = fy_input(ctx, 0);
    ferry_dtype type;
    if (!in)
        return FERRY_ERR_INVALID_ARGUMENT;
    ferry_status st = fy_arr_index_type(ctx, "out_type", FERRY_DT_INT32, &type);
    return st ? st : int_output(ctx, 0, type, &in->count, 1, 1);
}

ferry_status fy_arr_rank(fy_kernel_ctx *ctx)
{
    const ferry_tensor *in = fy_input(ctx, 0);
    if (!in)
        return FERRY_ERR_INVALID_ARGUMENT;
    int64_t rank = in->rank;
    return int_output(ctx, 0, FERRY_DT_INT32, &rank, 1, 1);
}

/* Product of the input's dims, leaving out zero dims when skip_zero (so a -1
 * next to a 0 in the requested shape can still be inferred, as TF does). */
static int input_elements(const ferry_tensor *in, int skip_zero, int64_t *n, int *skipped)
{
    *n = 1;
    *skipped = 0;
    for (int d = 0; d < in->rank; d++) {
        if (in->dims[d] == 0 && skip_zero)
            *skipped = 1;
        else if ((*n = fy_mul_sizes(*n, in->dims[d])) < 0)
            return 0;
    }
    return 1;
}

/* Resolves the one -1 of a requested shape. */
static ferry_status infer_dim(fy_kernel_ctx *ctx, const ferry_tensor *in, int64_t *dims, int rank)
{
    int unknown = -1, has_zero = 0;
    int64_t product = 1;
    for (int d = 0; d < rank; d++) {
        if (dims[d] == -1) {
            if (unknown >= 0)
                return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "only one input size may be -1, not both %d and %d",
                                      unknown, d);
            unknown = d;
        } else if (dims[d] < 0) {
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "size %d must be non-negative, not %lld", d,
                                  (long long)dims[d]);
        } else if (dims[d] == 0) {
            has_zero = 1;
        } else if ((product = fy_mul_sizes(product, dims[d])) < 0) {
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "the requested shape overflows int64");
        }
    }
    if (unknown < 0)
        return FERRY_OK;
    int64_t n;
    int skipped;
    if (!input_elements(in, has_zero, &n, &skipped))
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "the input's nonzero dims overflow int64");
    if (!skipped && n % product != 0)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT,
                              "input to reshape is a tensor with %lld values, but the requested shape requires a "
                              "multiple of %lld", (long long)n, (long long)product);
    dims[unknown] = n / product;
    return FERRY_OK;
}

ferry_status fy_arr_reshape(fy_kernel_ctx *ctx)
{
    const ferry_tensor *in = fy_input(ctx, 0), *shape = in ? fy_input(ctx, 1) : NULL;
    if (!shape)
        return FERRY_ERR_INVALID_ARGUMENT;
    int64_t dims[FERRY_MAX_RANK];
    int rank;
    ferry_status st = fy_arr_read_dims(ctx, shape, dims, &rank, 1, "shape");
    if (!st)
        st = infer_dim(ctx, in, dims, rank);
    if (st)
        return st;
    int64_t want = fy_shape_count(dims, rank, 1);
    if (want != in->count) {
        char s[256];
        fy_shape_format(s, sizeof(s), dims, rank);
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT,
                              "input to reshape is a tensor with %lld values, but the requested shape %s has %lld",
                              (long long)in->count, s, (long long)want);
    }
    return fy_arr_output_copy(ctx, 0, in, dims, rank);
}

ferry_status fy_arr_expand_dims(fy_kernel_ctx *ctx)
{
    const ferry_tensor *in = fy_input(ctx, 0), *dim_t = in ? fy_input(ctx, 1) : NULL;
    if (!dim_t)
        return FERRY_ERR_INVALID_ARGUMENT;
    int64_t dim;
    ferry_status st = fy_arr_scalar_int(ctx, dim_t, &dim, "dim");
    if (st)
        return st;
    if (in->rank == FERRY_MAX_RANK)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "the result would exceed rank %d", FERRY_MAX_RANK);
    if (!fy_axis_in_rank(&dim, in->rank + 1))
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "cannot expand dim %lld of a tensor with %d dimensions",
                              (long long)dim, in->rank);
    int64_t dims[FERRY_MAX_RANK];
    for (int d = 0, k = 0; d <= in->rank; d++)
        dims[d] = d == dim ? 1 : in->dims[k++];
    return fy_arr_output_copy(ctx, 0, in, dims, in->rank + 1);
}

ferry_status fy_arr_squeeze(fy_kernel_ctx *ctx)
{
    const ferry_tensor *in = fy_input(ctx, 0);
    if (!in)
        return FERRY_ERR_INVALID_ARGUMENT;
    size_t n = 0;
    const int64_t *axes = fy_attr_ints(ctx->node, "squeeze_dims", &n);
    int drop[FERRY_MAX_RANK] = { 0 };
    for (size_t i = 0; axes && i < n; i++) {
        int64_t a = axes[i];
        if (!fy_axis_in_rank(&a, in->rank))
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT,
                                  "cannot squeeze dim %lld of a tensor with %d dimensions", (long long)axes[i],
                                  in->rank);
        if (in->dims[a] != 1)
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT,
                                  "can not squeeze dim[%lld], expected a dimension of 1, got %lld", (long long)a,
                                  (long long)in->dims[a]);
        drop[a] = 1;
    }
    int64_t dims[FERRY_MAX_RANK];
    int rank = 0;
    for (int d = 0; d < in->rank; d++)
        if (!(n ? drop[d] : in->dims[d] == 1))
            dims[rank++] = in->dims[d];
    return fy_arr_output_copy(ctx, 0, in, dims, rank);
}

/* The two shape vectors of a broadcast op, left-padded with 1s to one rank. */
typedef struct shape_pair {
    int64_t a[FERRY_MAX_RANK], b[FERRY_MAX_RANK];
    int rank;
} shape_pair;

/* Negative entries pass, as in TF's BroadcastArgs (they only ever match themselves or 1). */
static ferry_status read_pair(fy_kernel_ctx *ctx, shape_pair *p, int allow_negative)
{
    const ferry_tensor *s0 = fy_input(ctx, 0), *s1 = s0 ? fy_input(ctx, 1) : NULL;
    if (!s1)
        return FERRY_ERR_INVALID_ARGUMENT;
    int64_t a[FERRY_MAX_RANK], b[FERRY_MAX_RANK];
    int ra, rb;
    ferry_status st = fy_arr_read_dims(ctx, s0, a, &ra, allow_negative, "s0");
    if (!st)
        st = fy_arr_read_dims(ctx, s1, b, &rb, allow_negative, "s1");
    if (st)
        return st;
    p->rank = ra > rb ? ra : rb;
    for (int d = 0; d < p->rank; d++) {
        p->a[d] = d < p->rank - ra ? 1 : a[d - (p->rank - ra)];
        p->b[d] = d < p->rank - rb ? 1 : b[d - (p->rank - rb)];
    }
    for (int d = 0; d < p->rank; d++)
        if (p->a[d] != p->b[d] && p->a[d] != 1 && p->b[d] != 1) {
            char sa[256], sb[256];
            fy_shape_format(sa, sizeof(sa), a, ra);
            fy_shape_format(sb, sizeof(sb), b, rb);
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "incompatible shapes: %s vs. %s", sa, sb);
        }
    return FERRY_OK;
}

ferry_status fy_arr_broadcast_args(fy_kernel_ctx *ctx)
{
    shape_pair p;
    ferry_status st = read_pair(ctx, &p, 1);
    if (st)
        return st;
    int64_t out[FERRY_MAX_RANK];
    for (int d = 0; d < p.rank; d++)
        out[d] = p.a[d] == 1 ? p.b[d] : p.a[d];
    return int_output(ctx, 0, ctx->inputs[0].t->dtype, out, p.rank, 0);
}

/* The dims along which each side was broadcast (gradients sum over them).
 * As in TensorFlow, a dim of 1 on both sides counts for both, unless the
 * two shapes are identical: then nothing is reduced. */
ferry_status fy_arr_broadcast_gradient_args(fy_kernel_ctx *ctx)
{
    shape_pair p;
    ferry_status st = read_pair(ctx, &p, 0);
    if (st)
        return st;
    const ferry_tensor *s0 = ctx->inputs[0].t, *s1 = ctx->inputs[1].t;
    int same = s0->count == s1->count && !memcmp(p.a, p.b, (size_t)p.rank * sizeof(int64_t));
    int64_t r0[FERRY_MAX_RANK], r1[FERRY_MAX_RANK];
    int n0 = 0, n1 = 0;
    for (int d = 0; d < p.rank && !same; d++) {
        if (p.a[d] == 1)
            r0[n0++] = d;
        if (p.b[d] == 1)
            r1[n1++] = d;
    }
    st = int_output(ctx, 0, s0->dtype, r0, n0, 0);
    return st ? st : int_output(ctx, 1, s0->dtype, r1, n1, 0);
}

ferry_status fy_arr_invert_permutation(fy_kernel_ctx *ctx)
{
    const ferry_tensor *x = fy_input(ctx, 0);
    if (!x)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (x->rank != 1)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "x must be a vector, not of rank %d", x->rank);
    int64_t *v = NULL, *inv = NULL;
    ferry_status st = fy_arr_read_index_list(ctx, x, &v, "x");
    if (st)
        return st;
    int64_t n = x->count;
    inv = malloc((size_t)(n ? n : 1) * sizeof(int64_t));
    if (!inv)
        st = fy_kernel_fail(ctx, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    for (int64_t i = 0; !st && i < n; i++)
        inv[i] = -1;
    for (int64_t i = 0; !st && i < n; i++) {
        if (v[i] < 0 || v[i] >= n)
            st = fy_kernel_fail(ctx, FERRY_ERR_RUNTIME, "x[%lld] = %lld is not in [0, %lld)", (long long)i,
                                (long long)v[i], (long long)n);
        else if (inv[v[i]] >= 0)
            st = fy_kernel_fail(ctx, FERRY_ERR_RUNTIME, "%lld is duplicated in the input", (long long)v[i]);
        else
            inv[v[i]] = i;
    }
    if (!st)
        st = int_output(ctx, 0, x->dtype, inv, n, 0);
    free(v);
    free(inv);
    return st;
}

/* ConcatOffset(concat_dim, shape_0..shape_N-1): where each input starts in the concatenation. */
ferry_status fy_arr_concat_offset(fy_kernel_ctx *ctx)
{
    const ferry_tensor *cdim = fy_input(ctx, 0), *first = cdim ? fy_input(ctx, 1) : NULL;
    if (!first)
        return FERRY_ERR_INVALID_ARGUMENT;
    int64_t axis, base[FERRY_MAX_RANK], dims[FERRY_MAX_RANK];
    int rank, r;
    ferry_status st = fy_arr_scalar_int(ctx, cdim, &axis, "concat_dim");
    if (!st)
        st = fy_arr_read_dims(ctx, first, base, &rank, 0, "shape 0");
    if (st)
        return st;
    int64_t given = axis;
    if (!fy_axis_in_rank(&axis, rank))
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "concat dim %lld is out of range for rank %d",
                              (long long)given, rank);
    int64_t offset = 0;
    for (int i = 1; i < ctx->input_count; i++) {
        const ferry_tensor *s = fy_input(ctx, i);
        if (!s)
            return FERRY_ERR_INVALID_ARGUMENT;
        if ((st = fy_arr_read_dims(ctx, s, dims, &r, 0, "shape")) != FERRY_OK)
            return st;
        if (r != rank)
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "shape %d has %d entries, shape 0 has %d", i - 1, r,
                                  rank);
        for (int d = 0; d < rank; d++)
            if (d != axis && dims[d] != base[d])
                return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT,
                                      "all dimensions except %lld must match; shape %d differs from shape 0 in dim %d",
                                      (long long)axis, i - 1, d);
        int64_t off[FERRY_MAX_RANK] = { 0 };
        off[axis] = offset;
        if (dims[axis] > INT64_MAX - offset)
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "the offsets overflow");
        offset += dims[axis];
        if ((st = int_output(ctx, i - 1, s->dtype, off, rank, 0)) != FERRY_OK)
            return st;
    }
    return FERRY_OK;
}
