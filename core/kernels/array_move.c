/* Ops that rearrange elements: Transpose, Tile, Pad, PadV2, MirrorPad,
 * ReverseV2 / Reverse, BroadcastTo and Roll through a remap;
 * ReverseSequence directly. */
#include <stdlib.h>
#include <string.h>

#include "kernels/array_internal.h"

/* Reads the input tensor (0) and a vector argument (1) into values[*n];
 * with match_rank it must have one entry per input dim. */
static ferry_status vector_arg(fy_kernel_ctx *ctx, const char *what, int match_rank, const ferry_tensor **in,
                               int64_t *values, int *n)
{
    const ferry_tensor *arg;
    if (!(*in = fy_input(ctx, 0)) || !(arg = fy_input(ctx, 1)))
        return FERRY_ERR_INVALID_ARGUMENT;
    ferry_status st = fy_arr_check_movable(ctx, *in);
    if (!st)
        st = fy_arr_read_dims(ctx, arg, values, n, 1, what);
    if (!st && match_rank && *n != (*in)->rank)
        st = fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "%s must have %d entries, got %d", what, (*in)->rank, *n);
    return st;
}

static ferry_status run_remap(fy_kernel_ctx *ctx, const ferry_tensor *in, const fy_arr_remap *m,
                              const ferry_tensor *pad)
{
    int64_t dims[FERRY_MAX_RANK];
    for (int d = 0; d < m->rank; d++)
        dims[d] = m->dim[d].size;
    ferry_tensor *out;
    ferry_status st = fy_arr_new_output(ctx, 0, in->dtype, dims, m->rank, &out);
    return st ? st : fy_arr_remap_run(ctx, out, in, m, pad);
}

ferry_status fy_arr_transpose(fy_kernel_ctx *ctx)
{
    const ferry_tensor *in;
    int64_t perm[FERRY_MAX_RANK];
    int n;
    ferry_status st = vector_arg(ctx, "perm", 1, &in, perm, &n);
    if (st)
        return st;
    fy_arr_remap m = { .rank = in->rank };
    int used[FERRY_MAX_RANK] = { 0 };
    for (int k = 0; k < in->rank; k++) {
        int64_t p = perm[k];
        if (!fy_axis_in_rank(&p, in->rank) || used[p]++) /* TF counts negative entries from the end */
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "perm[%d] = %lld is out of range or repeated", k,
                                  (long long)perm[k]);
        m.dim[k] = fy_arr_dim_of(in, (int)p);
    }
    return run_remap(ctx, in, &m, NULL);
}

ferry_status fy_arr_tile(fy_kernel_ctx *ctx)
{
    const ferry_tensor *in;
    int64_t mult[FERRY_MAX_RANK];
    int n;
    ferry_status st = vector_arg(ctx, "multiples", 1, &in, mult, &n);
    if (st)
        return st;
    fy_arr_remap m = { .rank = in->rank };
    for (int d = 0; d < in->rank; d++) {
        m.dim[d] = fy_arr_dim_of(in, d);
        m.dim[d].map = FY_ARR_WRAP;
        if (mult[d] < 0 || (m.dim[d].size = fy_mul_sizes(in->dims[d], mult[d])) < 0)
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "multiples[%d] = %lld is negative or too large", d,
                                  (long long)mult[d]);
    }
    return run_remap(ctx, in, &m, NULL);
}

/* Reads paddings [rank, 2] into a remap of the given kind; mirror modes
 * allow at most dim - limit_offset elements on each side. */
static ferry_status pad_remap(fy_kernel_ctx *ctx, const ferry_tensor *in, fy_arr_map kind, int limit_offset,
                              fy_arr_remap *m)
{
    const ferry_tensor *pads = fy_input(ctx, 1);
    if (!pads)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (pads->rank != 2 || pads->dims[0] != in->rank || pads->dims[1] != 2) {
        char s[64];
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "paddings must be [%d, 2], not %s", in->rank,
                              fy_dims_str(s, sizeof(s), pads->dims, pads->rank));
    }
    int64_t p[2 * FERRY_MAX_RANK];
    ferry_status st = fy_read_ints(ctx, pads, p, 2 * FERRY_MAX_RANK, "paddings");
    if (st)
        return st;
    m->rank = in->rank;
    for (int d = 0; d < in->rank; d++) {
        int64_t before = p[2 * d], after = p[2 * d + 1], dim = in->dims[d];
        if (before < 0 || after < 0)
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "paddings must be non-negative: %lld %lld",
                                  (long long)before, (long long)after);
        if (kind != FY_ARR_PAD && (before > dim - limit_offset || after > dim - limit_offset))
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT,
                                  "paddings must be no greater than the dimension size: %lld, %lld greater than %lld",
                                  (long long)before, (long long)after, (long long)(dim - limit_offset));
        if (before > INT64_MAX - dim || after > INT64_MAX - dim - before)
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "padded dimension %d overflows", d);
        m->dim[d] = fy_arr_dim_of(in, d);
        m->dim[d].map = kind;
        m->dim[d].before = before;
        m->dim[d].size = before + dim + after;
    }
    return FERRY_OK;
}

/* Pad(input, paddings) and PadV2(input, paddings, constant_values). */
ferry_status fy_arr_pad(fy_kernel_ctx *ctx)
{
    const ferry_tensor *in = fy_input(ctx, 0), *value = NULL;
    if (!in)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (ctx->input_count > 2) {
        if (!(value = fy_input(ctx, 2)))
            return FERRY_ERR_INVALID_ARGUMENT;
        if (value->rank != 0 || value->dtype != in->dtype)
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "constant_values must be a scalar %s",
                                  ferry_dtype_name(in->dtype));
    }
    fy_arr_remap m;
    ferry_status st = fy_arr_check_movable(ctx, in);
    if (!st)
        st = pad_remap(ctx, in, FY_ARR_PAD, 0, &m);
    return st ? st : run_remap(ctx, in, &m, value);
}

ferry_status fy_arr_mirror_pad(fy_kernel_ctx *ctx)
{
    const ferry_tensor *in = fy_input(ctx, 0);
    if (!in)
        return FERRY_ERR_INVALID_ARGUMENT;
    char buf[16];
    const char *mode = fy_attr_enum(ctx, "mode", buf, sizeof(buf), NULL);
    if (!mode)
        return FERRY_ERR_INVALID_ARGUMENT;
    int reflect = !strcmp(mode, "REFLECT");
    if (!reflect && strcmp(mode, "SYMMETRIC") != 0)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "mode must be REFLECT or SYMMETRIC, not '%s'", mode);
    fy_arr_remap m;
    ferry_status st = fy_arr_check_movable(ctx, in);
    if (!st)
        st = pad_remap(ctx, in, reflect ? FY_ARR_REFLECT : FY_ARR_SYMMETRIC, reflect, &m);
    return st ? st : run_remap(ctx, in, &m, NULL);
}

static fy_arr_remap reversed(const ferry_tensor *in, const int *flip)
{
    fy_arr_remap m = { .rank = in->rank };
    for (int d = 0; d < in->rank; d++) {
        m.dim[d] = fy_arr_dim_of(in, d);
        if (flip[d]) {
            m.dim[d].start = in->dims[d] - 1;
            m.dim[d].step = -1;
        }
    }
    return m;
}

/* ReverseV2(tensor, axis): axis lists the dims to reverse. */
ferry_status fy_arr_reverse_v2(fy_kernel_ctx *ctx)
{
    const ferry_tensor *in;
    int64_t axes[FERRY_MAX_RANK];
    int n;
    ferry_status st = vector_arg(ctx, "axis", 0, &in, axes, &n);
    if (st)
        return st;
    if (in->rank == 0 || in->count == 0) /* as TF: nothing to reverse, axis is not checked */
        return fy_arr_output_copy(ctx, 0, in, in->dims, in->rank);
    int flip[FERRY_MAX_RANK] = { 0 };
    for (int i = 0; i < n; i++) {
        int64_t a = axes[i];
        if (!fy_axis_in_rank(&a, in->rank))
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "axis[%d] = %lld is out of valid range [-%d, %d)", i,
                                  (long long)axes[i], in->rank, in->rank);
        if (flip[a]++)
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "axis %lld specified more than once",
                                  (long long)a);
    }
    fy_arr_remap m = reversed(in, flip);
    return run_remap(ctx, in, &m, NULL);
}

/* Reverse(tensor, dims): TF1's form, one bool per dim. */
ferry_status fy_arr_reverse(fy_kernel_ctx *ctx)
{
    const ferry_tensor *in = fy_input(ctx, 0), *dims = in ? fy_input(ctx, 1) : NULL;
    if (!dims)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (dims->dtype != FERRY_DT_BOOL || dims->rank != 1 || dims->count != in->rank)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "dims must be a bool vector with %d entries", in->rank);
    ferry_status st = fy_arr_check_movable(ctx, in);
    if (st)
        return st;
    int flip[FERRY_MAX_RANK] = { 0 };
    for (int d = 0; d < in->rank; d++)
        flip[d] = ((const unsigned char *)dims->data)[d] != 0;
    fy_arr_remap m = reversed(in, flip);
    return run_remap(ctx, in, &m, NULL);
}

ferry_status fy_arr_broadcast_to(fy_kernel_ctx *ctx)
{
    const ferry_tensor *in;
    int64_t dims[FERRY_MAX_RANK];
    int rank;
    ferry_status st = vector_arg(ctx, "shape", 0, &in, dims, &rank);
    if (st)
        return st;
    int lead = rank - in->rank;
    if (lead < 0)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT,
                              "rank of input (%d) must be no greater than rank of output shape (%d)", in->rank, rank);
    fy_arr_remap m = { .rank = rank };
    for (int d = 0; d < rank; d++) {
        int k = d - lead;
        m.dim[d] = (fy_arr_dim){ FY_ARR_LINEAR, dims[d], 0, 0, 0, 0, 0 };
        if (k < 0 || (in->dims[k] == 1 && dims[d] != 1))
            continue;
        if (in->dims[k] != dims[d]) {
            char a[256], b[256];
            fy_shape_format(b, sizeof(b), dims, rank);
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "unable to broadcast tensor of shape %s to %s",
                                  fy_dims_str(a, sizeof(a), in->dims, in->rank), b);
        }
        m.dim[d] = fy_arr_dim_of(in, k);
    }
    return run_remap(ctx, in, &m, NULL);
}

/* Roll(input, shift, axis): element i of a rolled dim comes from i - shift. */
ferry_status fy_arr_roll(fy_kernel_ctx *ctx)
{
    const ferry_tensor *in = fy_input(ctx, 0), *shift_t = in ? fy_input(ctx, 1) : NULL;
    const ferry_tensor *axis_t = shift_t ? fy_input(ctx, 2) : NULL;
    int64_t shifts[FERRY_MAX_RANK], axes[FERRY_MAX_RANK];
    int ns, na;
    if (!axis_t)
        return FERRY_ERR_INVALID_ARGUMENT;
    ferry_status st = fy_arr_check_movable(ctx, in);
    if (!st)
        st = fy_arr_read_dims(ctx, shift_t, shifts, &ns, 1, "shift");
    if (!st)
        st = fy_arr_read_dims(ctx, axis_t, axes, &na, 1, "axis");
    if (st)
        return st;
    if (ns != na)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "shift and axis must have the same size");
    if (in->rank == 0)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "input must be 1-D or higher");
    fy_arr_remap m = { .rank = in->rank };
    int64_t total[FERRY_MAX_RANK] = { 0 };
    for (int i = 0; i < na; i++) {
        int64_t a = axes[i];
        if (!fy_axis_in_rank(&a, in->rank))
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "axis %lld is out of range for rank %d",
                                  (long long)axes[i], in->rank);
        if (in->dims[a] > 0)
            total[a] = (total[a] + shifts[i] % in->dims[a] + in->dims[a]) % in->dims[a];
    }
    for (int d = 0; d < in->rank; d++) {
        m.dim[d] = fy_arr_dim_of(in, d);
        if (total[d]) {
            m.dim[d].map = FY_ARR_WRAP;
            m.dim[d].start = in->dims[d] - total[d];
        }
    }
    return run_remap(ctx, in, &m, NULL);
}

/* ReverseSequence(input, seq_lengths): along seq_dim, the first
 * seq_lengths[b] elements of every batch_dim slice b are reversed. */
ferry_status fy_arr_reverse_sequence(fy_kernel_ctx *ctx)
{
    const ferry_tensor *in = fy_input(ctx, 0), *lens_t = in ? fy_input(ctx, 1) : NULL;
    if (!lens_t)
        return FERRY_ERR_INVALID_ARGUMENT;
    int64_t seq = fy_attr_int(ctx->node, "seq_dim", 0), batch = fy_attr_int(ctx->node, "batch_dim", 0);
    ferry_status st = fy_arr_check_movable(ctx, in);
    if (st)
        return st;
    if (!fy_axis_in_rank(&seq, in->rank) || !fy_axis_in_rank(&batch, in->rank) || seq == batch)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "seq_dim and batch_dim must be distinct dims of rank %d",
                              in->rank);
    if (lens_t->rank != 1 || lens_t->count != in->dims[batch])
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "seq_lengths must be a vector of %lld entries",
                              (long long)in->dims[batch]);
    int64_t *lens = NULL;
    if ((st = fy_arr_read_index_list(ctx, lens_t, &lens, "seq_lengths")) != FERRY_OK)
        return st;
    for (int64_t b = 0; !st && b < lens_t->count; b++)
        if (lens[b] < 0 || lens[b] > in->dims[seq])
            st = fy_kernel_fail(ctx, FERRY_ERR_RUNTIME, "seq_lengths[%lld] = %lld is not in [0, %lld]", (long long)b,
                                (long long)lens[b], (long long)in->dims[seq]);
    ferry_tensor *out;
    if (!st)
        st = fy_arr_new_output(ctx, 0, in->dtype, in->dims, in->rank, &out);
    int64_t seq_stride = fy_arr_inner(in->dims, in->rank, (int)seq);
    int64_t batch_stride = fy_arr_inner(in->dims, in->rank, (int)batch);
    for (int64_t i = 0; !st && i < in->count; i++) {
        int64_t s = i / seq_stride % in->dims[seq], len = lens[i / batch_stride % in->dims[batch]];
        st = fy_arr_copy_one(ctx, out, i, in, s < len ? i + (len - 1 - 2 * s) * seq_stride : i);
    }
    free(lens);
    return st;
}
