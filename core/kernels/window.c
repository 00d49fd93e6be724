/* Sliding-window geometry shared by convolutions and pooling: attributes,
 * output sizes and padding as TF computes them, and moving channels-first
 * data into the channels-last order the kernels work in. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/nn_internal.h"

/* Window values beyond 2^30 are rejected, which keeps every product and
 * sum in the geometry below 2^62. */
#define MAX_EXTENT ((int64_t)1 << 30)

/* The data_format position of slot s, or -1 for the unused slot of 2-D data. */
static int slot_position(const fy_nn_window *w, int s)
{
    int first = FY_NN_SPATIAL - (w->rank - 2);
    return s < first ? -1 : (w->channels_first ? 2 : 1) + s - first;
}

static int channel_position(const fy_nn_window *w)
{
    return w->channels_first ? 1 : w->rank - 1;
}

ferry_status fy_nn_window_list(fy_kernel_ctx *ctx, const fy_nn_window *w, const int64_t *v, size_t n, const char *what,
                               int64_t *out)
{
    if (n != (size_t)w->rank)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "%s must have %d values, not %zu", what, w->rank, n);
    if (v[0] != 1 || v[channel_position(w)] != 1)
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "%s other than 1 in the batch and channel dims", what);
    for (int s = 0; s < FY_NN_SPATIAL; s++) {
        int pos = slot_position(w, s);
        out[s] = pos < 0 ? 1 : v[pos];
        if (out[s] < 1 || out[s] > MAX_EXTENT)
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "%s has a value %lld out of range", what,
                                  (long long)out[s]);
    }
    return FERRY_OK;
}

static ferry_status read_format(fy_kernel_ctx *ctx, fy_nn_window *w, int rank)
{
    char buf[16];
    const char *f = fy_attr_enum(ctx, "data_format", buf, sizeof(buf), rank == 5 ? "NDHWC" : "NHWC");
    if (!f)
        return FERRY_ERR_INVALID_ARGUMENT;
    int ok = rank == 4 ? !strcmp(f, "NHWC") || !strcmp(f, "NCHW")
                       : rank == 5 && (!strcmp(f, "NDHWC") || !strcmp(f, "NCDHW"));
    if (!ok)
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "data_format %s for data of rank %d", f, rank);
    w->rank = rank;
    w->channels_first = f[1] == 'C';
    return FERRY_OK;
}

static ferry_status read_explicit(fy_kernel_ctx *ctx, fy_nn_window *w)
{
    size_t n = 0;
    const int64_t *p = fy_attr_ints(ctx->node, "explicit_paddings", &n);
    if (!p || n != 2 * (size_t)w->rank)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "explicit_paddings must have %d values", 2 * w->rank);
    int c = channel_position(w);
    if (p[0] || p[1] || p[2 * c] || p[2 * c + 1])
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "padding in the batch and channel dims");
    for (int s = 0; s < FY_NN_SPATIAL; s++) {
        int pos = slot_position(w, s);
        w->pad[s] = pos < 0 ? 0 : p[2 * pos];
        w->pad_after[s] = pos < 0 ? 0 : p[2 * pos + 1];
        if (w->pad[s] < 0 || w->pad[s] > MAX_EXTENT || w->pad_after[s] < 0 || w->pad_after[s] > MAX_EXTENT)
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "explicit_paddings out of range");
    }
    return FERRY_OK;
}

ferry_status fy_nn_window_attrs(fy_kernel_ctx *ctx, fy_nn_window *w, int rank, int dilations, const int64_t *extra_pad)
{
    memset(w, 0, sizeof(*w));
    ferry_status st = read_format(ctx, w, rank);
    if (st)
        return st;
    for (int s = 0; s < FY_NN_SPATIAL; s++)
        w->stride[s] = w->dilation[s] = 1;
    size_t n = 0;
    const int64_t *v = fy_attr_ints(ctx->node, "strides", &n);
    if (v)
        st = fy_nn_window_list(ctx, w, v, n, "strides", w->stride);
    v = dilations ? fy_attr_ints(ctx->node, "dilations", &n) : NULL;
    if (!st && v)
        st = fy_nn_window_list(ctx, w, v, n, "dilations", w->dilation);
    if (st)
        return st;
    char buf[16];
    const char *pad = fy_attr_enum(ctx, "padding", buf, sizeof(buf), NULL);
    if (!pad)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (!strcmp(pad, "VALID"))
        w->padding = FY_NN_VALID;
    else if (!strcmp(pad, "SAME"))
        w->padding = FY_NN_SAME;
    else if (!strcmp(pad, "EXPLICIT"))
        w->padding = FY_NN_EXPLICIT;
    else
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "padding '%s'", pad);
    st = w->padding == FY_NN_EXPLICIT ? read_explicit(ctx, w) : FERRY_OK;
    if (!st && extra_pad) {
        /* A folded Pad's zeros (runtime/rewrite_pads.c: only VALID or EXPLICIT convolutions take them). */
        if (w->padding == FY_NN_SAME || w->rank != 4)
            return fy_kernel_fail(ctx, FERRY_ERR_INTERNAL, "a folded pad needs VALID or EXPLICIT padding");
        w->padding = FY_NN_EXPLICIT;
        for (int s = 0; s < FY_NN_SPATIAL; s++) {
            int pos = slot_position(w, s);
            if (pos >= 0) {
                w->pad[s] += extra_pad[2 * pos];
                w->pad_after[s] += extra_pad[2 * pos + 1];
            }
        }
    }
    return st;
}

void fy_nn_window_split(const fy_nn_window *w, const int64_t *dims, int64_t *batch, int64_t *spatial, int64_t *channels)
{
    *batch = dims[0];
    *channels = dims[channel_position(w)];
    for (int s = 0; s < FY_NN_SPATIAL; s++) {
        int pos = slot_position(w, s);
        spatial[s] = pos < 0 ? 1 : dims[pos];
    }
}

void fy_nn_window_join(const fy_nn_window *w, int64_t batch, const int64_t *spatial, int64_t channels, int64_t *dims)
{
    dims[0] = batch;
    dims[channel_position(w)] = channels;
    for (int s = 0; s < FY_NN_SPATIAL; s++) {
        int pos = slot_position(w, s);
        if (pos >= 0)
            dims[pos] = spatial[s];
    }
}

/* TF's output sizes: VALID fits whole windows, SAME pads so that
 * out = ceil(in / stride) with the odd pad after, EXPLICIT as given. */
ferry_status fy_nn_window_size(fy_kernel_ctx *ctx, fy_nn_window *w)
{
    for (int s = 0; s < FY_NN_SPATIAL; s++) {
        if (w->in[s] > MAX_EXTENT || w->k[s] > MAX_EXTENT)
            return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "window dims above %lld", (long long)MAX_EXTENT);
        if (w->k[s] < 1)
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "window dims must be positive");
        int64_t eff = (w->k[s] - 1) * w->dilation[s] + 1, stride = w->stride[s];
        if (w->padding == FY_NN_SAME) {
            w->out[s] = (w->in[s] + stride - 1) / stride;
            int64_t need = (w->out[s] - 1) * stride + eff - w->in[s];
            need = need > 0 ? need : 0;
            w->pad[s] = need / 2;
            w->pad_after[s] = need - need / 2;
        } else {
            w->out[s] = (w->in[s] + w->pad[s] + w->pad_after[s] - eff + stride) / stride;
        }
        if (w->out[s] < 0)
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT,
                                  "computed output size would be negative: input %lld, effective window %lld, stride %lld",
                                  (long long)w->in[s], (long long)eff, (long long)stride);
    }
    return FERRY_OK;
}

static void channel_perm(const fy_nn_window *w, int *perm, int to_last)
{
    int r = w->rank;
    perm[0] = 0;
    for (int d = 1; d < r; d++)
        perm[d] = to_last ? (d == r - 1 ? 1 : d + 1) : (d == 1 ? r - 1 : d - 1);
}

ferry_status fy_nn_window_input(fy_kernel_ctx *ctx, const fy_nn_window *w, const ferry_tensor *t, ferry_dtype ct,
                                const void **data, void **own)
{
    void *copy;
    ferry_status st = fy_nn_load(ctx, t, ct, data, &copy);
    *own = copy;
    if (st || !w->channels_first)
        return st;
    void *tmp = fy_nn_alloc(ctx, t->count, ferry_dtype_size(ct));
    if (tmp) {
        int perm[FERRY_MAX_RANK];
        channel_perm(w, perm, 1);
        fy_nn_transpose(tmp, *data, ferry_dtype_size(ct), t->dims, t->rank, perm);
    }
    free(copy);
    *data = *own = tmp;
    return tmp ? FERRY_OK : FERRY_ERR_OUT_OF_MEMORY;
}

ferry_status fy_nn_window_output(fy_kernel_ctx *ctx, const fy_nn_window *w, ferry_tensor *out, ferry_dtype ct,
                                 void **data, void **own)
{
    if (!w->channels_first) {
        ferry_status st = fy_nn_out_buffer(ctx, out, ct, data, own);
        if (!st && *own)
            memset(*own, 0, (size_t)out->count * ferry_dtype_size(ct));
        return st;
    }
    *data = *own = fy_nn_alloc(ctx, out->count, ferry_dtype_size(ct));
    if (*own)
        memset(*own, 0, (size_t)out->count * ferry_dtype_size(ct));
    return *own ? FERRY_OK : FERRY_ERR_OUT_OF_MEMORY;
}

ferry_status fy_nn_window_commit(fy_kernel_ctx *ctx, const fy_nn_window *w, ferry_tensor *out, ferry_dtype ct, void *own)
{
    if (!w->channels_first) {
        fy_nn_commit(out, own, ct);
        return FERRY_OK;
    }
    void *dst, *copy;
    ferry_status st = fy_nn_out_buffer(ctx, out, ct, &dst, &copy);
    if (!st) {
        int64_t dims[FERRY_MAX_RANK], spatial[FY_NN_SPATIAL], batch, channels;
        int perm[FERRY_MAX_RANK];
        fy_nn_window_split(w, out->dims, &batch, spatial, &channels);
        fy_nn_window *last = &(fy_nn_window){ .rank = w->rank };
        fy_nn_window_join(last, batch, spatial, channels, dims);
        channel_perm(w, perm, 0);
        fy_nn_transpose(dst, own, ferry_dtype_size(ct), dims, w->rank, perm);
        fy_nn_commit(out, copy, ct);
    }
    free(own);
    return st;
}
