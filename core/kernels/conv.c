/* Convolutions: Conv2D / Conv3D (grouped when the input has a multiple of
 * the filter's channels) and their input gradients (transposed
 * convolutions) as im2col + GEMM over blocks of output pixels, and
 * DepthwiseConv2dNative directly. Data is worked on channels-last; float
 * and double only (half and bfloat16 compute in float). */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "base/parallel.h"
#include "kernels/nn_internal.h"
#include "kernels/packed.h"
#include "kernels/simd.h"

/* Elements of one im2col block: bounds the scratch memory. */
#define BLOCK_ELEMS ((int64_t)1 << 22)

typedef struct conv {
    fy_nn_window w;
    ferry_dtype ct;
    size_t elem;
    int64_t batch, cin, cout, groups;
    int64_t in_pix, out_pix, taps; /* spatial positions of input, output, window */
    const fy_chain_step *epilogue;  /* applied to each block of output as it is made (float, NHWC) */
    int epilogue_count;
    const fy_packed *packed;        /* the filter packed for products (kernels/packed.h), or NULL: BLAS */
} conv;

/* Takes the caller's chain (fy_conv_extras) when it fits this output. */
static void take_epilogue(const fy_conv_extras *extras, conv *c, int rank)
{
    if (extras && extras->chain && c->ct == FERRY_DT_FLOAT && !c->w.channels_first &&
        fy_channel_chain_fits_shape(rank, c->cout, extras->chain, extras->chain_len)) {
        c->epilogue = extras->chain;
        c->epilogue_count = extras->chain_len;
    }
}

/* Rows of the im2col matrix: output pixel row0 + r holds the window it
 * sees, tap-major, cin / groups channels (of group g) each, zero padded. */
static void im2col(const conv *c, const char *x, char *col, int64_t row0, int64_t rows, int64_t g)
{
    const fy_nn_window *w = &c->w;
    int64_t cg = c->cin / c->groups;
    size_t run = (size_t)cg * c->elem;
    for (int64_t r = 0; r < rows; r++) {
        int64_t row = row0 + r, n = row / c->out_pix, p = row % c->out_pix;
        int64_t o2 = p % w->out[2], o1 = p / w->out[2] % w->out[1], o0 = p / w->out[2] / w->out[1];
        const char *img = x + (size_t)(n * c->in_pix * c->cin + g * cg) * c->elem;
        for (int64_t k0 = 0; k0 < w->k[0]; k0++) {
            int64_t i0 = o0 * w->stride[0] - w->pad[0] + k0 * w->dilation[0];
            for (int64_t k1 = 0; k1 < w->k[1]; k1++) {
                int64_t i1 = o1 * w->stride[1] - w->pad[1] + k1 * w->dilation[1];
                for (int64_t k2 = 0; k2 < w->k[2]; k2++, col += run) {
                    int64_t i2 = o2 * w->stride[2] - w->pad[2] + k2 * w->dilation[2];
                    if (i0 < 0 || i0 >= w->in[0] || i1 < 0 || i1 >= w->in[1] || i2 < 0 || i2 >= w->in[2])
                        memset(col, 0, run);
                    else
                        memcpy(col, img + (size_t)(((i0 * w->in[1] + i1) * w->in[2] + i2) * c->cin) * c->elem, run);
                }
            }
        }
    }
}

static void add_run(ferry_dtype ct, char *dst, const char *src, int64_t n)
{
    if (ct == FERRY_DT_FLOAT)
        for (int64_t j = 0; j < n; j++)
            ((float *)dst)[j] += ((const float *)src)[j];
    else
        for (int64_t j = 0; j < n; j++)
            ((double *)dst)[j] += ((const double *)src)[j];
}

/* The reverse of im2col: every row's window values added back into dx. */
static void col2im(const conv *c, const char *col, char *dx, int64_t row0, int64_t rows)
{
    const fy_nn_window *w = &c->w;
    size_t run = (size_t)c->cin * c->elem;
    for (int64_t r = 0; r < rows; r++) {
        int64_t row = row0 + r, n = row / c->out_pix, p = row % c->out_pix;
        int64_t o2 = p % w->out[2], o1 = p / w->out[2] % w->out[1], o0 = p / w->out[2] / w->out[1];
        char *img = dx + (size_t)(n * c->in_pix * c->cin) * c->elem;
        for (int64_t k0 = 0; k0 < w->k[0]; k0++) {
            int64_t i0 = o0 * w->stride[0] - w->pad[0] + k0 * w->dilation[0];
            for (int64_t k1 = 0; k1 < w->k[1]; k1++) {
                int64_t i1 = o1 * w->stride[1] - w->pad[1] + k1 * w->dilation[1];
                for (int64_t k2 = 0; k2 < w->k[2]; k2++, col += run) {
                    int64_t i2 = o2 * w->stride[2] - w->pad[2] + k2 * w->dilation[2];
                    if (i0 >= 0 && i0 < w->in[0] && i1 >= 0 && i1 < w->in[1] && i2 >= 0 && i2 < w->in[2])
                        add_run(c->ct, img + (size_t)(((i0 * w->in[1] + i1) * w->in[2] + i2) * c->cin) * c->elem, col,
                                c->cin);
                }
            }
        }
    }
}

/* A 1x1 window over every pixel: the input already is the im2col matrix. */
static int is_pointwise(const conv *c)
{
    for (int s = 0; s < FY_NN_SPATIAL; s++)
        if (c->w.k[s] != 1 || c->w.stride[s] != 1 || c->w.pad[s] != 0 || c->w.in[s] != c->w.out[s])
            return 0;
    return c->groups == 1;
}

static int64_t block_rows(int64_t rows, int64_t width)
{
    int64_t b = BLOCK_ELEMS / (width > 0 ? width : 1);
    b = b < rows ? b : rows;
    return b > 0 ? b : 1;
}

/* Fills the derived sizes; fails when the GEMM dims would not fit BLAS. */
static ferry_status conv_sizes(fy_kernel_ctx *ctx, conv *c)
{
    c->elem = ferry_dtype_size(c->ct);
    c->in_pix = c->w.in[0] * c->w.in[1] * c->w.in[2];
    c->out_pix = c->w.out[0] * c->w.out[1] * c->w.out[2];
    c->taps = c->w.k[0] * c->w.k[1] * c->w.k[2];
    int64_t k = fy_mul_sizes(c->taps, c->cin / c->groups);
    if (k < 0 || k > INT_MAX || c->cin > INT_MAX || c->cout > INT_MAX)
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "a window of %lld values is too large", (long long)k);
    return FERRY_OK;
}

/* A forward convolution makes its output a block of pixels at a time, the
 * block's output small enough to be in the core's cache still when the
 * epilogue runs, and no fewer rows than an efficient product needs. */
#define BLOCK_OUTPUT_BYTES ((int64_t)256 << 10)
#define BLOCK_MIN_ROWS 64
/* Output pixels a thread's share must have: with fewer, each thread would
 * pack the whole filter (BLAS does, per product) for a thin product, and
 * splitting the product's columns instead does better. With the filter
 * packed once (kernels/packed.h) 64 measured the same as 256. */
#define PART_MIN_ROWS 256

typedef struct conv_job {
    const conv *c;
    const char *x, *f;
    char *y, *col;       /* col: one block of scratch per part (NULL for pointwise) */
    int64_t rows, block, step;
    struct fy_pool *pool; /* for the products when the convolution runs as one part */
} conv_job;

/* Output pixels [part * step, (part + 1) * step), a block at a time: im2col,
 * the product per group, then the epilogue while the block is in the cache. */
static void conv_part(void *ctx, int part)
{
    const conv_job *j = ctx;
    const conv *c = j->c;
    int64_t cg = c->cin / c->groups, og = c->cout / c->groups, k = c->taps * cg;
    int64_t end = (part + 1) * j->step < j->rows ? (part + 1) * j->step : j->rows;
    char *col = j->col ? j->col + (size_t)(part * j->block * k) * c->elem : NULL;
    for (int64_t r0 = part * j->step; r0 < end; r0 += j->block) {
        int64_t nb = end - r0 < j->block ? end - r0 : j->block;
        for (int64_t g = 0; g < c->groups; g++) {
            if (col)
                im2col(c, j->x, col, r0, nb, g);
            const char *a = col ? col : j->x + (size_t)(r0 * c->cin) * c->elem;
            if (c->packed)
                fy_packed_gemm(j->pool, nb, (const float *)a, col ? k : c->cin, c->packed,
                               (float *)j->y + r0 * c->cout, c->cout);
            else
                fy_nn_gemm(j->pool, c->ct, 0, 0, nb, og, k, a, col ? k : c->cin, j->f + (size_t)(g * og) * c->elem,
                           c->cout, j->y + (size_t)(r0 * c->cout + g * og) * c->elem, c->cout);
        }
        if (c->epilogue)
            fy_channel_chain_apply((float *)j->y + r0 * c->cout, nb, c->cout, c->epilogue, c->epilogue_count);
    }
}

/* Enough output pixels: each thread takes its own share of them, with its own
 * scratch, and the products run single-threaded. Few pixels (the deep layers
 * of a CNN at batch 1): one part, and the products split their columns. */
static ferry_status conv_forward_core(fy_kernel_ctx *ctx, const conv *c, const char *x, const char *f, char *y)
{
    int64_t cg = c->cin / c->groups, og = c->cout / c->groups, k = c->taps * cg, rows = c->batch * c->out_pix;
    int pointwise = is_pointwise(c);
    int64_t block = BLOCK_OUTPUT_BYTES / (og * (int64_t)c->elem);
    block = block < BLOCK_MIN_ROWS ? BLOCK_MIN_ROWS : block;
    block = pointwise || block * k <= BLOCK_ELEMS ? block : BLOCK_ELEMS / k > 0 ? BLOCK_ELEMS / k : 1;
    block = block < rows ? block : rows;
    int threads = fy_pool_threads(ctx->pool);
    double macs = (double)rows * (double)k * (double)c->cout; /* no overflow for absurd shapes */
    int64_t parts = 1;
    if (threads > 1 && macs >= (double)(1 << 20) && rows >= threads * PART_MIN_ROWS)
        parts = rows >= 2 * threads * PART_MIN_ROWS ? 2 * threads : threads;
    conv_job j = { c, x, f, y, NULL, rows, block, (rows + parts - 1) / parts, parts == 1 ? ctx->pool : NULL };
    if (j.block > j.step)
        j.block = j.step;
    parts = (rows + j.step - 1) / j.step;
    if (!pointwise) {
        j.col = fy_scratch_alloc(ctx, parts * j.block * k, c->elem);
        if (!j.col)
            return FERRY_ERR_OUT_OF_MEMORY;
    }
    fy_pool_run(parts == 1 ? NULL : ctx->pool, (int)parts, conv_part, &j);
    if (j.col)
        fy_scratch_free(ctx, j.col);
    return FERRY_OK;
}

static ferry_status check_real(fy_kernel_ctx *ctx, const ferry_tensor *a, const ferry_tensor *b)
{
    if (!fy_nn_is_real(a->dtype) || a->dtype != b->dtype)
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "not defined for %s and %s", ferry_dtype_name(a->dtype),
                              ferry_dtype_name(b->dtype));
    return FERRY_OK;
}

/* The filter's spatial dims into the window; its in / out channels. */
static void filter_dims(fy_nn_window *w, const ferry_tensor *f, int64_t *fin, int64_t *fout)
{
    int spatial = f->rank - 2;
    for (int s = 0; s < FY_NN_SPATIAL; s++)
        w->k[s] = s < FY_NN_SPATIAL - spatial ? 1 : f->dims[s - (FY_NN_SPATIAL - spatial)];
    *fin = f->dims[f->rank - 2];
    *fout = f->dims[f->rank - 1];
}

/* The part every convolution shares: input (channels-last) and filter in the
 * compute type, the output window, `core`, and the result written back. */
typedef ferry_status (*conv_core_fn)(fy_kernel_ctx *ctx, const conv *c, const char *in, const char *f, char *out);

static ferry_status run_windowed(fy_kernel_ctx *ctx, const conv *c, const ferry_tensor *in, const ferry_tensor *f,
                                 ferry_tensor *out, conv_core_fn core)
{
    const void *ins, *fs;
    void *in_own = NULL, *f_own = NULL, *y, *y_own = NULL;
    ferry_status st = fy_nn_window_input(ctx, &c->w, in, c->ct, &ins, &in_own);
    if (!st)
        st = fy_nn_load(ctx, f, c->ct, &fs, &f_own);
    if (!st)
        st = fy_nn_window_output(ctx, &c->w, out, c->ct, &y, &y_own);
    if (!st)
        st = core(ctx, c, ins, fs, y);
    if (!st)
        st = fy_nn_window_commit(ctx, &c->w, out, c->ct, y_own);
    else
        free(y_own);
    free(in_own);
    free(f_own);
    return st;
}

static ferry_status conv_forward(fy_kernel_ctx *ctx, int rank, fy_conv_extras *extras)
{
    const ferry_tensor *x = fy_input(ctx, 0), *f = x ? fy_input(ctx, 1) : NULL;
    if (!f)
        return FERRY_ERR_INVALID_ARGUMENT;
    ferry_status st = check_real(ctx, x, f);
    if (st)
        return st;
    if (x->rank != rank || f->rank != rank)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "input and filter must have rank %d, not %d and %d", rank,
                              x->rank, f->rank);
    /* As TensorFlow: Conv3D refuses a filter without elements even where the
     * output would be empty; Conv2D makes the empty output of 0 channels. */
    if (rank == 5 && f->count == 0)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "the filter has no elements (a dim of 0)");
    conv c = { .ct = fy_nn_compute_type(x->dtype) };
    int64_t fin, dims[FERRY_MAX_RANK];
    st = fy_nn_window_attrs(ctx, &c.w, rank, 1, extras ? extras->pads : NULL);
    if (st)
        return st;
    fy_nn_window_split(&c.w, x->dims, &c.batch, c.w.in, &c.cin);
    filter_dims(&c.w, f, &fin, &c.cout);
    if (fin < 1 || c.cin < fin || c.cin % fin || c.cout % (c.cin / fin))
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT,
                              "input depth %lld does not fit a filter of depth %lld and %lld outputs", (long long)c.cin,
                              (long long)fin, (long long)c.cout);
    c.groups = c.cin / fin;
    st = fy_nn_window_size(ctx, &c.w);
    if (st)
        return st;
    fy_nn_window_join(&c.w, c.batch, c.w.out, c.cout, dims);
    ferry_tensor *out = fy_output_new_uninit(ctx, 0, x->dtype, dims, rank);
    if (!out)
        return FERRY_ERR_OUT_OF_MEMORY;
    if (out->count == 0)
        return FERRY_OK;
    st = conv_sizes(ctx, &c);
    if (st)
        return st;
    take_epilogue(extras, &c, rank);
    if (c.ct == FERRY_DT_FLOAT && f->dtype == FERRY_DT_FLOAT && c.groups == 1)
        c.packed = fy_packed_of(f, c.taps * c.cin, c.cout, 0);
    st = run_windowed(ctx, &c, x, f, out, conv_forward_core);
    if (extras)
        extras->chain_done = !st && c.epilogue;
    return st;
}

ferry_status fy_nn_conv2d(fy_kernel_ctx *ctx)
{
    return conv_forward(ctx, 4, NULL);
}

ferry_status fy_nn_conv2d_with(fy_kernel_ctx *ctx, fy_conv_extras *extras)
{
    return conv_forward(ctx, 4, extras);
}

ferry_status fy_nn_conv3d(fy_kernel_ctx *ctx)
{
    return conv_forward(ctx, 5, NULL);
}

/* dx = col2im(dy x filter^T), a block of dy's pixels at a time. */
static ferry_status conv_backward_core(fy_kernel_ctx *ctx, const conv *c, const char *dy, const char *f, char *dx)
{
    int64_t k = c->taps * c->cin, rows = c->batch * c->out_pix, block = block_rows(rows, k);
    char *col = fy_scratch_alloc(ctx, block * k, c->elem);
    if (!col)
        return FERRY_ERR_OUT_OF_MEMORY;
    for (int64_t r0 = 0; r0 < rows; r0 += block) {
        int64_t nb = rows - r0 < block ? rows - r0 : block;
        fy_nn_gemm(ctx->pool, c->ct, 0, 1, nb, k, c->cout, dy + (size_t)(r0 * c->cout) * c->elem, c->cout, f, c->cout, col, k);
        col2im(c, col, dx, r0, nb);
    }
    fy_scratch_free(ctx, col);
    return FERRY_OK;
}

/* The output gradient must have the shape the forward convolution would give. */
static ferry_status expect_out_backprop(fy_kernel_ctx *ctx, const conv *c, const ferry_tensor *dy, int rank)
{
    int64_t want[FERRY_MAX_RANK];
    char sa[256], sb[256];
    fy_nn_window_join(&c->w, c->batch, c->w.out, c->cout, want);
    if (dy->rank != rank || memcmp(want, dy->dims, (size_t)rank * sizeof(int64_t)))
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "out_backprop is %s where %s was expected",
                              fy_dims_str(sa, sizeof(sa), dy->dims, dy->rank), fy_dims_str(sb, sizeof(sb), want, rank));
    return FERRY_OK;
}

/* The input sizes of a backprop op, and the geometry they imply. */
static ferry_status backprop_geometry(fy_kernel_ctx *ctx, conv *c, const ferry_tensor *sizes, const ferry_tensor *f,
                                      const ferry_tensor *dy, int64_t *dims)
{
    int rank = f->rank;
    int64_t fin;
    if (sizes->rank != 1 || sizes->count != rank)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "input_sizes must be a vector of %d values", rank);
    ferry_status st = fy_read_ints(ctx, sizes, dims, FERRY_MAX_RANK, "input_sizes");
    if (!st)
        st = fy_nn_window_attrs(ctx, &c->w, rank, 1, NULL);
    if (st)
        return st;
    for (int d = 0; d < rank; d++)
        if (dims[d] < 0)
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "input_sizes must not be negative");
    fy_nn_window_split(&c->w, dims, &c->batch, c->w.in, &c->cin);
    filter_dims(&c->w, f, &fin, &c->cout);
    if (fin != c->cin)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "input depth %lld differs from the filter's %lld",
                              (long long)c->cin, (long long)fin);
    c->groups = 1;
    st = fy_nn_window_size(ctx, &c->w);
    if (st)
        return st;
    return expect_out_backprop(ctx, c, dy, rank);
}

/* Conv2DBackpropInput(input_sizes, filter, out_backprop), the transposed
 * convolution; Conv3DBackpropInputV2 likewise. */
static ferry_status conv_backprop_input(fy_kernel_ctx *ctx, int rank)
{
    const ferry_tensor *sizes = fy_input(ctx, 0), *f = sizes ? fy_input(ctx, 1) : NULL, *dy = f ? fy_input(ctx, 2) : NULL;
    if (!dy)
        return FERRY_ERR_INVALID_ARGUMENT;
    ferry_status st = check_real(ctx, f, dy);
    if (st)
        return st;
    if (f->rank != rank)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "the filter must have rank %d, not %d", rank, f->rank);
    conv c = { .ct = fy_nn_compute_type(f->dtype) };
    int64_t dims[FERRY_MAX_RANK];
    st = backprop_geometry(ctx, &c, sizes, f, dy, dims);
    if (st)
        return st;
    ferry_tensor *out = fy_output_new(ctx, 0, f->dtype, dims, rank);
    if (!out)
        return FERRY_ERR_OUT_OF_MEMORY;
    if (out->count == 0 || dy->count == 0)
        return FERRY_OK;
    st = conv_sizes(ctx, &c);
    if (st)
        return st;
    return run_windowed(ctx, &c, dy, f, out, conv_backward_core);
}

/* dFilter = im2col(input)^T x dy, summed over blocks of output pixels. */
static ferry_status filter_backward_core(fy_kernel_ctx *ctx, const conv *c, const char *x, const char *dy, char *df)
{
    int64_t k = c->taps * c->cin, rows = c->batch * c->out_pix, block = block_rows(rows, k);
    char *col = fy_scratch_alloc(ctx, block * k, c->elem), *part = col ? fy_scratch_alloc(ctx, k * c->cout, c->elem) : NULL;
    if (!part) {
        if (col)
            fy_scratch_free(ctx, col);
        return FERRY_ERR_OUT_OF_MEMORY;
    }
    for (int64_t r0 = 0; r0 < rows; r0 += block) {
        int64_t nb = rows - r0 < block ? rows - r0 : block;
        im2col(c, x, col, r0, nb, 0);
        fy_nn_gemm(ctx->pool, c->ct, 1, 0, k, c->cout, nb, col, k, dy + (size_t)(r0 * c->cout) * c->elem, c->cout,
                   r0 == 0 ? df : part, c->cout);
        if (r0 > 0)
            add_run(c->ct, df, part, k * c->cout);
    }
    fy_scratch_free(ctx, part);
    fy_scratch_free(ctx, col);
    return FERRY_OK;
}

/* Conv2DBackpropFilter / Conv3DBackpropFilterV2: the filter's gradient from
 * the input, the filter's shape and the output's gradient. */
static ferry_status conv_backprop_filter(fy_kernel_ctx *ctx, int rank)
{
    const ferry_tensor *x = fy_input(ctx, 0), *sizes = x ? fy_input(ctx, 1) : NULL, *dy = sizes ? fy_input(ctx, 2) : NULL;
    if (!dy)
        return FERRY_ERR_INVALID_ARGUMENT;
    ferry_status st = check_real(ctx, x, dy);
    if (st)
        return st;
    if (x->rank != rank || sizes->rank != 1 || sizes->count != rank)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "input must have rank %d and filter_sizes %d values",
                              rank, rank);
    int64_t fdims[FERRY_MAX_RANK];
    conv c = { .ct = fy_nn_compute_type(x->dtype), .groups = 1 };
    st = fy_read_ints(ctx, sizes, fdims, FERRY_MAX_RANK, "filter_sizes");
    if (!st)
        st = fy_nn_window_attrs(ctx, &c.w, rank, 1, NULL);
    if (st)
        return st;
    for (int d = 0; d < rank; d++)
        if (fdims[d] < 0)
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "filter_sizes must not be negative");
    fy_nn_window_split(&c.w, x->dims, &c.batch, c.w.in, &c.cin);
    int spatial = rank - 2;
    for (int s = 0; s < FY_NN_SPATIAL; s++)
        c.w.k[s] = s < FY_NN_SPATIAL - spatial ? 1 : fdims[s - (FY_NN_SPATIAL - spatial)];
    c.cout = fdims[rank - 1];
    if (fdims[rank - 2] != c.cin)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "input depth %lld differs from the filter's %lld",
                              (long long)c.cin, (long long)fdims[rank - 2]);
    st = fy_nn_window_size(ctx, &c.w);
    if (st)
        return st;
    st = expect_out_backprop(ctx, &c, dy, rank);
    if (st)
        return st;
    ferry_tensor *out = fy_output_new(ctx, 0, x->dtype, fdims, rank);
    if (!out)
        return FERRY_ERR_OUT_OF_MEMORY;
    if (out->count == 0 || x->count == 0 || dy->count == 0)
        return FERRY_OK;
    st = conv_sizes(ctx, &c);
    if (st)
        return st;
    const void *xs, *dys;
    void *x_own = NULL, *dy_own = NULL, *df, *df_own = NULL;
    st = fy_nn_window_input(ctx, &c.w, x, c.ct, &xs, &x_own);
    if (!st)
        st = fy_nn_window_input(ctx, &c.w, dy, c.ct, &dys, &dy_own);
    if (!st)
        st = fy_nn_out_buffer(ctx, out, c.ct, &df, &df_own);
    if (!st)
        st = filter_backward_core(ctx, &c, xs, dys, df);
    if (!st)
        fy_nn_commit(out, df_own, c.ct);
    else
        free(df_own);
    free(x_own);
    free(dy_own);
    return st;
}

ferry_status fy_nn_conv2d_backprop_filter(fy_kernel_ctx *ctx)
{
    return conv_backprop_filter(ctx, 4);
}

ferry_status fy_nn_conv3d_backprop_filter(fy_kernel_ctx *ctx)
{
    return conv_backprop_filter(ctx, 5);
}

ferry_status fy_nn_conv2d_backprop_input(fy_kernel_ctx *ctx)
{
    return conv_backprop_input(ctx, 4);
}

ferry_status fy_nn_conv3d_backprop_input(fy_kernel_ctx *ctx)
{
    return conv_backprop_input(ctx, 5);
}

/* Each input channel convolved with its own `mult` filters; output channel
 * c * mult + m. The spatial work uses the two last window slots. */
#define DEFINE_DEPTHWISE(NAME, T)                                                                   \
    /* The common multiplier-1 case as a loop the compiler can vectorize. */                        \
    static void NAME##_madd(T *restrict y, const T *restrict x, const T *restrict f, int64_t n)     \
    {                                                                                               \
        for (int64_t i = 0; i < n; i++)                                                             \
            y[i] += x[i] * f[i];                                                                    \
    }                                                                                               \
    /* Output rows [r0, r1) of all batch x height rows. */                                         \
    static void NAME(const conv *c, int64_t mult, const T *x, const T *f, T *y, int64_t r0, int64_t r1) \
    {                                                                                               \
        const fy_nn_window *w = &c->w;                                                              \
        int64_t ch = c->cin, oc = ch * mult;                                                        \
        for (int64_t r = r0; r < r1; r++) {                                                         \
            int64_t n = r / w->out[1], oh = r % w->out[1];                                          \
            for (int64_t ow = 0; ow < w->out[2]; ow++) {                                            \
                T *yv = y + ((n * w->out[1] + oh) * w->out[2] + ow) * oc;                           \
                memset(yv, 0, (size_t)oc * sizeof(T));                                              \
                for (int64_t kh = 0; kh < w->k[1]; kh++) {                                          \
                    int64_t ih = oh * w->stride[1] - w->pad[1] + kh * w->dilation[1];               \
                    if (ih < 0 || ih >= w->in[1])                                                   \
                        continue;                                                                   \
                    for (int64_t kw = 0; kw < w->k[2]; kw++) {                                      \
                        int64_t iw = ow * w->stride[2] - w->pad[2] + kw * w->dilation[2];           \
                        if (iw < 0 || iw >= w->in[2])                                               \
                            continue;                                                               \
                        const T *xv = x + ((n * w->in[1] + ih) * w->in[2] + iw) * ch;               \
                        const T *fv = f + (kh * w->k[2] + kw) * oc;                                 \
                        if (mult == 1)                                                              \
                            NAME##_madd(yv, xv, fv, ch);                                            \
                        else                                                                        \
                            for (int64_t i = 0; i < ch; i++)                                        \
                                for (int64_t m = 0; m < mult; m++)                                  \
                                    yv[i * mult + m] += xv[i] * fv[i * mult + m];                   \
                    }                                                                               \
                }                                                                                   \
            }                                                                                       \
        }                                                                                           \
    }

DEFINE_DEPTHWISE(depthwise_f32, float)
DEFINE_DEPTHWISE(depthwise_f64, double)

typedef struct depthwise_job {
    const conv *c;
    const char *x, *f;
    char *y;
    int64_t rows, step;
} depthwise_job;

/* Channels whose sums one pixel keeps in registers across the window. */
#define DEPTHWISE_SPAN 32
/* Window positions depthwise_f32_row takes (larger windows: the general loop). */
#define DEPTHWISE_MAX_TAPS 64

/* y[0, 32) = sum over the taps of x[t][c0 + i] * f[t][c0 + i], tap by tap in
 * order. Written with vectors where there are: left to itself GCC 12
 * interleaves pairs of taps and runs the channels one at a time. */
static inline void depthwise_f32_span(float *y, const float *const *x, const float *const *f, int taps, int64_t c0)
{
#ifdef __SSE__
    __m128 acc[DEPTHWISE_SPAN / 4];
    for (int v = 0; v < DEPTHWISE_SPAN / 4; v++)
        acc[v] = _mm_setzero_ps();
    for (int t = 0; t < taps; t++)
        for (int v = 0; v < DEPTHWISE_SPAN / 4; v++)
            acc[v] = _mm_add_ps(acc[v], _mm_mul_ps(_mm_loadu_ps(x[t] + c0 + 4 * v), _mm_loadu_ps(f[t] + c0 + 4 * v)));
    for (int v = 0; v < DEPTHWISE_SPAN / 4; v++)
        _mm_storeu_ps(y + 4 * v, acc[v]);
#else
    float acc[DEPTHWISE_SPAN] = { 0 };
    for (int t = 0; t < taps; t++)
        depthwise_f32_madd(acc, x[t] + c0, f[t] + c0, DEPTHWISE_SPAN);
    memcpy(y, acc, sizeof(acc));
#endif
}

/* Float, one filter per channel: output row r (of batch x height), each
 * pixel's channels a span at a time, summed over the window in registers
 * and stored once, where a tap-by-tap sweep would load and store them per
 * tap. Defined once per vector target, SPAN doing the sums. */
#define DEFINE_DEPTHWISE_ROW(NAME, ATTR, SPAN)                                                      \
    ATTR static void NAME(const conv *c, const float *x, const float *f, float *y, int64_t r)         \
    {                                                                                               \
        const fy_nn_window *w = &c->w;                                                              \
        int64_t ch = c->cin, n = r / w->out[1], oh = r % w->out[1];                                 \
        const float *taps_x[DEPTHWISE_MAX_TAPS];                                                    \
        const float *taps_f[DEPTHWISE_MAX_TAPS];                                                    \
        for (int64_t ow = 0; ow < w->out[2]; ow++) {                                                \
            int taps = 0;                                                                           \
            for (int64_t kh = 0; kh < w->k[1]; kh++) {                                              \
                int64_t ih = oh * w->stride[1] - w->pad[1] + kh * w->dilation[1];                   \
                for (int64_t kw = 0; ih >= 0 && ih < w->in[1] && kw < w->k[2]; kw++) {              \
                    int64_t iw = ow * w->stride[2] - w->pad[2] + kw * w->dilation[2];               \
                    if (iw < 0 || iw >= w->in[2])                                                   \
                        continue;                                                                   \
                    taps_x[taps] = x + ((n * w->in[1] + ih) * w->in[2] + iw) * ch;                  \
                    taps_f[taps++] = f + (kh * w->k[2] + kw) * ch;                                  \
                }                                                                                   \
            }                                                                                       \
            float *yv = y + ((n * w->out[1] + oh) * w->out[2] + ow) * ch;                           \
            int64_t c0 = 0;                                                                         \
            for (; c0 + DEPTHWISE_SPAN <= ch; c0 += DEPTHWISE_SPAN)                                 \
                SPAN(yv + c0, taps_x, taps_f, taps, c0);                                            \
            if (c0 < ch) {                                                                          \
                int64_t rest = ch - c0;                                                             \
                float acc[DEPTHWISE_SPAN] = { 0 };                                                  \
                for (int t = 0; t < taps; t++)                                                      \
                    depthwise_f32_madd(acc, taps_x[t] + c0, taps_f[t] + c0, rest);                  \
                memcpy(yv + c0, acc, (size_t)rest * sizeof(float));                                 \
            }                                                                                       \
        }                                                                                           \
    }

DEFINE_DEPTHWISE_ROW(depthwise_f32_row, , depthwise_f32_span)

#ifdef FY_AVX512
FY_TARGET_AVX512 static inline void depthwise_f32_span_avx512(float *y, const float *const *x, const float *const *f,
                                                              int taps, int64_t c0)
{
    __m512 lo = _mm512_setzero_ps(), hi = _mm512_setzero_ps();
    for (int t = 0; t < taps; t++) {
        lo = _mm512_add_ps(lo, _mm512_mul_ps(_mm512_loadu_ps(x[t] + c0), _mm512_loadu_ps(f[t] + c0)));
        hi = _mm512_add_ps(hi, _mm512_mul_ps(_mm512_loadu_ps(x[t] + c0 + 16), _mm512_loadu_ps(f[t] + c0 + 16)));
    }
    _mm512_storeu_ps(y, lo);
    _mm512_storeu_ps(y + 16, hi);
}

DEFINE_DEPTHWISE_ROW(depthwise_f32_row_avx512, FY_TARGET_AVX512, depthwise_f32_span_avx512)
#endif

static void depthwise_rows(void *ctx, int i)
{
    const depthwise_job *j = ctx;
    const conv *c = j->c;
    int64_t mult = c->cout / c->cin, r0 = i * j->step, r1 = r0 + j->step < j->rows ? r0 + j->step : j->rows;
    if (c->ct != FERRY_DT_FLOAT) {
        depthwise_f64(c, mult, (const double *)j->x, (const double *)j->f, (double *)j->y, r0, r1);
        return;
    }
    int64_t row_elems = c->w.out[2] * c->cout;
    void (*row)(const conv *, const float *, const float *, float *, int64_t) = depthwise_f32_row;
#ifdef FY_AVX512
    if (fy_cpu_has_avx512())
        row = depthwise_f32_row_avx512;
#endif
    for (int64_t r = r0; r < r1; r++) {
        if (mult == 1 && c->w.k[1] * c->w.k[2] <= DEPTHWISE_MAX_TAPS)
            row(c, (const float *)j->x, (const float *)j->f, (float *)j->y, r);
        else
            depthwise_f32(c, mult, (const float *)j->x, (const float *)j->f, (float *)j->y, r, r + 1);
        if (c->epilogue)
            fy_channel_chain_apply((float *)j->y + r * row_elems, c->w.out[2], c->cout, c->epilogue,
                                   c->epilogue_count);
    }
}

/* Rows of output go to the pool's threads when there is enough work. */
static ferry_status depthwise_core(fy_kernel_ctx *ctx, const conv *c, const char *x, const char *f, char *y)
{
    depthwise_job j = { c, x, f, y, c->batch * c->w.out[1], 0 };
    int64_t macs_per_row = c->w.out[2] * c->cout * c->w.k[1] * c->w.k[2];
    int threads = macs_per_row * j.rows < ((int64_t)1 << 17) ? 1 : fy_pool_threads(ctx->pool);
    int64_t parts = threads == 1 ? 1 : (int64_t)threads * 4 < j.rows ? (int64_t)threads * 4 : j.rows;
    j.step = (j.rows + parts - 1) / parts;
    fy_pool_run(threads == 1 ? NULL : ctx->pool, fy_pool_parts(j.rows, j.step), depthwise_rows, &j);
    return FERRY_OK;
}

ferry_status fy_nn_depthwise_conv2d(fy_kernel_ctx *ctx)
{
    return fy_nn_depthwise_conv2d_with(ctx, NULL);
}

ferry_status fy_nn_depthwise_conv2d_with(fy_kernel_ctx *ctx, fy_conv_extras *extras)
{
    const ferry_tensor *x = fy_input(ctx, 0), *f = x ? fy_input(ctx, 1) : NULL;
    if (!f)
        return FERRY_ERR_INVALID_ARGUMENT;
    ferry_status st = check_real(ctx, x, f);
    if (st)
        return st;
    if (x->rank != 4 || f->rank != 4)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "input and filter must have rank 4, not %d and %d",
                              x->rank, f->rank);
    conv c = { .ct = fy_nn_compute_type(x->dtype) };
    int64_t fin, mult, dims[FERRY_MAX_RANK];
    st = fy_nn_window_attrs(ctx, &c.w, 4, 1, extras ? extras->pads : NULL);
    if (st)
        return st;
    fy_nn_window_split(&c.w, x->dims, &c.batch, c.w.in, &c.cin);
    filter_dims(&c.w, f, &fin, &mult);
    if (fin != c.cin)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "input depth %lld differs from the filter's %lld",
                              (long long)c.cin, (long long)fin);
    st = fy_nn_window_size(ctx, &c.w);
    if (st)
        return st;
    int64_t oc = fy_mul_sizes(c.cin, mult);
    if (oc < 0)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "too many output channels");
    fy_nn_window_join(&c.w, c.batch, c.w.out, oc, dims);
    ferry_tensor *out = fy_output_new_uninit(ctx, 0, x->dtype, dims, 4);
    if (!out)
        return FERRY_ERR_OUT_OF_MEMORY;
    if (out->count == 0)
        return FERRY_OK;
    c.cout = oc;
    take_epilogue(extras, &c, 4);
    st = run_windowed(ctx, &c, x, f, out, depthwise_core);
    if (extras)
        extras->chain_done = !st && c.epilogue;
    return st;
}
