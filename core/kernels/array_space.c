/* Moving blocks of space into batch or depth and back: SpaceToBatchND,
 * BatchToSpaceND (and their 2-D TF1 forms SpaceToBatch, BatchToSpace),
 * DepthToSpace and SpaceToDepth (NHWC). */
#include <string.h>

#include "kernels/array_internal.h"

/* block_shape [M] and paddings / crops [M, 2] of an ND op. */
typedef struct space_args {
    int m;
    int64_t block[FERRY_MAX_RANK], before[FERRY_MAX_RANK], after[FERRY_MAX_RANK];
    int64_t blocks;  /* product of block */
} space_args;

static ferry_status check_space_args(fy_kernel_ctx *ctx, const ferry_tensor *in, space_args *a, const char *what)
{
    if (a->m < 1 || in->rank < 1 + a->m)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "input rank should be >= %d instead of %d", 1 + a->m,
                              in->rank);
    a->blocks = 1;
    for (int j = 0; j < a->m; j++) {
        if (a->block[j] < 1)
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "block_shape[%d] = %lld must be positive", j,
                                  (long long)a->block[j]);
        if (a->before[j] < 0 || a->after[j] < 0)
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "%s must be non-negative", what);
        if ((a->blocks = fy_mul_sizes(a->blocks, a->block[j])) < 0)
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "the block shape overflows");
    }
    return FERRY_OK;
}

static ferry_status read_space_args(fy_kernel_ctx *ctx, const ferry_tensor *in, const char *what, space_args *a)
{
    const ferry_tensor *block = fy_input(ctx, 1), *pads = block ? fy_input(ctx, 2) : NULL;
    if (!pads)
        return FERRY_ERR_INVALID_ARGUMENT;
    ferry_status st = fy_arr_read_dims(ctx, block, a->block, &a->m, 1, "block_shape");
    if (st)
        return st;
    int64_t p[2 * FERRY_MAX_RANK];
    if (pads->rank != 2 || pads->dims[0] != a->m || pads->dims[1] != 2)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "%s must be of shape [%d, 2]", what, a->m);
    if ((st = fy_read_ints(ctx, pads, p, 2 * FERRY_MAX_RANK, what)) != FERRY_OK)
        return st;
    for (int j = 0; j < a->m; j++) {
        a->before[j] = p[2 * j];
        a->after[j] = p[2 * j + 1];
    }
    return check_space_args(ctx, in, a, what);
}

/* The 2-D TF1 forms: square blocks of the block_size attr over dims 1 and 2. */
static ferry_status read_square_args(fy_kernel_ctx *ctx, const ferry_tensor *in, const char *what, space_args *a)
{
    const ferry_tensor *pads = fy_input(ctx, 1);
    if (!pads)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (in->rank != 4)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "input must be 4-D, not of rank %d", in->rank);
    int64_t p[4];
    if (pads->rank != 2 || pads->dims[0] != 2 || pads->dims[1] != 2)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "%s must be of shape [2, 2]", what);
    ferry_status st = fy_read_ints(ctx, pads, p, 4, what);
    if (st)
        return st;
    a->m = 2;
    a->block[0] = a->block[1] = fy_attr_int(ctx->node, "block_size", 0);
    a->before[0] = p[0], a->after[0] = p[1], a->before[1] = p[2], a->after[1] = p[3];
    return check_space_args(ctx, in, a, what);
}

/* Output [blocks * B, padded_j / block_j..., rest]: batch ob holds block
 * offset ob / B of input batch ob % B; padding reads as zero. */
static ferry_status space_to_batch(fy_kernel_ctx *ctx, const ferry_tensor *in, const space_args *a)
{
    int64_t dims[FERRY_MAX_RANK];
    memcpy(dims, in->dims, sizeof(dims));
    if ((dims[0] = fy_mul_sizes(in->dims[0], a->blocks)) < 0)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "the output batch overflows");
    for (int j = 0; j < a->m; j++) {
        int64_t d = in->dims[1 + j];
        if (a->before[j] > INT64_MAX - d || a->after[j] > INT64_MAX - d - a->before[j] ||
            (d + a->before[j] + a->after[j]) % a->block[j] != 0)
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT,
                                  "padded_shape[%d] is not divisible by block_shape[%d] = %lld", j, j,
                                  (long long)a->block[j]);
        dims[1 + j] = (d + a->before[j] + a->after[j]) / a->block[j];
    }
    ferry_tensor *out;
    ferry_status st = fy_arr_check_movable(ctx, in);
    if (!st)
        st = fy_arr_new_output(ctx, 0, in->dtype, dims, in->rank, &out);
    if (st || out->count == 0)
        return st;
    int64_t inner = fy_arr_inner(in->dims, in->rank, a->m), batch = in->dims[0];
    int64_t per_batch = fy_arr_inner(dims, in->rank, 0);
    int64_t o[FERRY_MAX_RANK] = { 0 }, k[FERRY_MAX_RANK];
    for (int64_t at = 0; at < out->count; at += inner) {
        int64_t ob = at / per_batch, kf = ob / batch, off = ob % batch;
        for (int j = a->m - 1; j >= 0; j--) {
            k[j] = kf % a->block[j];
            kf /= a->block[j];
        }
        int inside = 1;
        for (int j = 0; j < a->m && inside; j++) {
            int64_t i = o[j] * a->block[j] + k[j] - a->before[j];
            inside = i >= 0 && i < in->dims[1 + j];
            off = off * in->dims[1 + j] + i;
        }
        if (inside && (st = fy_arr_copy(ctx, out, at, in, off * inner, inner)) != FERRY_OK)
            return st;
        for (int j = a->m - 1; j >= 0 && ++o[j] == dims[1 + j]; j--)
            o[j] = 0;
    }
    return FERRY_OK;
}

/* The inverse: input batch kf * B + b fills block offset kf of output
 * batch b; crops cut the ends of every spatial dim. */
static ferry_status batch_to_space(fy_kernel_ctx *ctx, const ferry_tensor *in, const space_args *a)
{
    if (in->dims[0] % a->blocks != 0)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT,
                              "input batch dimension (%lld) is not divisible by product of block sizes (%lld)",
                              (long long)in->dims[0], (long long)a->blocks);
    int64_t dims[FERRY_MAX_RANK], batch = in->dims[0] / a->blocks;
    memcpy(dims, in->dims, sizeof(dims));
    dims[0] = batch;
    for (int j = 0; j < a->m; j++) {
        int64_t full;
        if ((full = fy_mul_sizes(in->dims[1 + j], a->block[j])) < 0 || a->before[j] > full ||
            a->after[j] > full - a->before[j])
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "crops of dim %d exceed its size", j);
        dims[1 + j] = full - a->before[j] - a->after[j];
    }
    ferry_tensor *out;
    ferry_status st = fy_arr_check_movable(ctx, in);
    if (!st)
        st = fy_arr_new_output(ctx, 0, in->dtype, dims, in->rank, &out);
    if (st || out->count == 0)
        return st;
    int64_t inner = fy_arr_inner(in->dims, in->rank, a->m), per_batch = fy_arr_inner(dims, in->rank, 0);
    int64_t y[FERRY_MAX_RANK] = { 0 }, i[FERRY_MAX_RANK];
    for (int64_t at = 0; at < out->count; at += inner) {
        int64_t b = at / per_batch, kf = 0;
        for (int j = 0; j < a->m; j++) {
            int64_t q = y[j] + a->before[j];
            kf = kf * a->block[j] + q % a->block[j];
            i[j] = q / a->block[j];
        }
        int64_t off = kf * batch + b;
        for (int j = 0; j < a->m; j++)
            off = off * in->dims[1 + j] + i[j];
        if ((st = fy_arr_copy(ctx, out, at, in, off * inner, inner)) != FERRY_OK)
            return st;
        for (int j = a->m - 1; j >= 0 && ++y[j] == dims[1 + j]; j--)
            y[j] = 0;
    }
    return FERRY_OK;
}

ferry_status fy_arr_space_to_batch_nd(fy_kernel_ctx *ctx)
{
    const ferry_tensor *in = fy_input(ctx, 0);
    space_args a;
    ferry_status st = in ? read_space_args(ctx, in, "paddings", &a) : FERRY_ERR_INVALID_ARGUMENT;
    return st ? st : space_to_batch(ctx, in, &a);
}

ferry_status fy_arr_batch_to_space_nd(fy_kernel_ctx *ctx)
{
    const ferry_tensor *in = fy_input(ctx, 0);
    space_args a;
    ferry_status st = in ? read_space_args(ctx, in, "crops", &a) : FERRY_ERR_INVALID_ARGUMENT;
    return st ? st : batch_to_space(ctx, in, &a);
}

ferry_status fy_arr_space_to_batch(fy_kernel_ctx *ctx)
{
    const ferry_tensor *in = fy_input(ctx, 0);
    space_args a;
    ferry_status st = in ? read_square_args(ctx, in, "paddings", &a) : FERRY_ERR_INVALID_ARGUMENT;
    return st ? st : space_to_batch(ctx, in, &a);
}

ferry_status fy_arr_batch_to_space(fy_kernel_ctx *ctx)
{
    const ferry_tensor *in = fy_input(ctx, 0);
    space_args a;
    ferry_status st = in ? read_square_args(ctx, in, "crops", &a) : FERRY_ERR_INVALID_ARGUMENT;
    return st ? st : batch_to_space(ctx, in, &a);
}

/* ---- DepthToSpace / SpaceToDepth ------------------------------------------- */

static ferry_status depth_args(fy_kernel_ctx *ctx, const ferry_tensor **in, int64_t *bs)
{
    char buf[16];
    if (!(*in = fy_input(ctx, 0)))
        return FERRY_ERR_INVALID_ARGUMENT;
    *bs = fy_attr_int(ctx->node, "block_size", 0);
    const char *format = fy_attr_enum(ctx, "data_format", buf, sizeof(buf), "NHWC");
    if (!format)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (strcmp(format, "NHWC") != 0)
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "only NHWC data_format is supported on CPU, not %s", format);
    if ((*in)->rank != 4)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "input must be 4-D, not of rank %d", (*in)->rank);
    if (*bs < 2 || *bs > 65536)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "block size should be > 1, got %lld", (long long)*bs);
    return fy_arr_check_movable(ctx, *in);
}

/* One LINEAR remap dim of the given size and input stride. */
static fy_arr_dim lin(int64_t size, int64_t stride)
{
    return (fy_arr_dim){ FY_ARR_LINEAR, size, stride, 0, 1, size, 0 };
}

static ferry_status remap_output(fy_kernel_ctx *ctx, const ferry_tensor *in, const int64_t *dims,
                                 const fy_arr_remap *m)
{
    ferry_tensor *out;
    ferry_status st = fy_arr_new_output(ctx, 0, in->dtype, dims, 4, &out);
    return st ? st : fy_arr_remap_run(ctx, out, in, m, NULL);
}

/* [N, H, W, C] -> [N, H*bs, W*bs, C/bs^2]: the output read as [N, H, bs, W, bs, C'] */
ferry_status fy_arr_depth_to_space(fy_kernel_ctx *ctx)
{
    const ferry_tensor *in;
    int64_t bs;
    ferry_status st = depth_args(ctx, &in, &bs);
    if (st)
        return st;
    int64_t n = in->dims[0], h = in->dims[1], w = in->dims[2], c = in->dims[3];
    if (c % (bs * bs) != 0)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "input depth dimension %lld should be divisible by %lld",
                              (long long)c, (long long)(bs * bs));
    int64_t co = c / (bs * bs), dims[4] = { n, 0, 0, co };
    if ((dims[1] = fy_mul_sizes(h, bs)) < 0 || (dims[2] = fy_mul_sizes(w, bs)) < 0)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "the output shape overflows");
    int64_t row = fy_arr_inner(in->dims, 4, 1); /* w * c */
    fy_arr_remap m = { 6, { lin(n, fy_arr_inner(in->dims, 4, 0)), lin(h, row), lin(bs, bs * co), lin(w, c), lin(bs, co),
                            lin(co, 1) } };
    return remap_output(ctx, in, dims, &m);
}

/* [N, H, W, C] -> [N, H/bs, W/bs, C*bs^2]: the output read as [N, H', W', bs, bs, C] */
ferry_status fy_arr_space_to_depth(fy_kernel_ctx *ctx)
{
    const ferry_tensor *in;
    int64_t bs;
    ferry_status st = depth_args(ctx, &in, &bs);
    if (st)
        return st;
    int64_t n = in->dims[0], h = in->dims[1], w = in->dims[2], c = in->dims[3];
    if (h % bs != 0 || w % bs != 0)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT,
                              "image width %lld and height %lld should be divisible by block_size %lld", (long long)w,
                              (long long)h, (long long)bs);
    int64_t dims[4] = { n, h / bs, w / bs, 0 };
    if ((dims[3] = fy_mul_sizes(c, bs * bs)) < 0)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "the output depth overflows");
    if (in->count == 0)
        return remap_output(ctx, in, dims, &(fy_arr_remap){ 0 });
    int64_t row = w * c;
    fy_arr_remap m = { 6, { lin(n, h * row), lin(h / bs, bs * row), lin(w / bs, bs * c), lin(bs, row), lin(bs, c),
                            lin(c, 1) } };
    return remap_output(ctx, in, dims, &m);
}
