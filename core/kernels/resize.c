/* ResizeBilinear, ResizeNearestNeighbor, ResizeBicubic and ResizeArea of NHWC images, with TF's
 * coordinate mappings (legacy, align_corners, half_pixel_centers) in
 * float arithmetic as TF computes them. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/nn_internal.h"

typedef struct resize {
    int64_t batch, in_h, in_w, channels, out_h, out_w;
    float scale_h, scale_w;
    int align_corners, half_pixel;
} resize;

static float resize_scale(int64_t in, int64_t out, int align_corners)
{
    return align_corners && out > 1 ? (float)(in - 1) / (float)(out - 1) : (float)in / (float)out;
}

static ferry_status resize_setup(fy_kernel_ctx *ctx, resize *r, const ferry_tensor **images)
{
    const ferry_tensor *x = fy_input(ctx, 0), *size = x ? fy_input(ctx, 1) : NULL;
    if (!size)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (x->rank != 4)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "images must have rank 4, not %d", x->rank);
    ferry_dtype ct = fy_nn_compute_type(x->dtype);
    if (ct == FERRY_DT_INVALID || x->dtype == FERRY_DT_BOOL)
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "not defined for %s", ferry_dtype_name(x->dtype));
    int64_t hw[2];
    if (size->rank != 1 || size->count != 2)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "size must be a vector of 2 values");
    ferry_status st = fy_read_ints(ctx, size, hw, 2, "size");
    if (st)
        return st;
    if (hw[0] <= 0 || hw[1] <= 0 || hw[0] > INT32_MAX || hw[1] > INT32_MAX)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "the output size must be positive");
    if (x->dims[3] <= 0)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "images must have at least one channel");
    if (x->dims[1] <= 0 || x->dims[2] <= 0 || x->dims[1] > INT32_MAX || x->dims[2] > INT32_MAX)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "the input image must have a height and width of 1 to 2^31-1");
    r->align_corners = fy_attr_bool(ctx->node, "align_corners", 0);
    r->half_pixel = fy_attr_bool(ctx->node, "half_pixel_centers", 0);
    if (r->align_corners && r->half_pixel)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "half_pixel_centers needs align_corners false");
    r->batch = x->dims[0];
    r->in_h = x->dims[1];
    r->in_w = x->dims[2];
    r->channels = x->dims[3];
    r->out_h = hw[0];
    r->out_w = hw[1];
    r->scale_h = resize_scale(r->in_h, r->out_h, r->align_corners);
    r->scale_w = resize_scale(r->in_w, r->out_w, r->align_corners);
    *images = x;
    return FERRY_OK;
}

/* Where output index i samples the input (nearest neighbour). */
static int64_t nearest_index(const resize *r, int64_t i, float scale, int64_t in)
{
    float at = r->half_pixel ? ((float)i + 0.5f) * scale : (float)i * scale;
    int64_t j = (int64_t)(r->align_corners ? roundf(at) : floorf(at));
    j = j < in - 1 ? j : in - 1;
    return j > 0 ? j : 0;
}

ferry_status fy_nn_resize_nearest(fy_kernel_ctx *ctx)
{
    resize r;
    const ferry_tensor *x;
    ferry_status st = resize_setup(ctx, &r, &x);
    if (st)
        return st;
    int64_t dims[4] = { r.batch, r.out_h, r.out_w, r.channels };
    ferry_tensor *out = fy_output_new(ctx, 0, x->dtype, dims, 4);
    if (!out)
        return FERRY_ERR_OUT_OF_MEMORY;
    if (out->count == 0 || x->count == 0)
        return FERRY_OK;
    size_t run = (size_t)r.channels * ferry_dtype_size(x->dtype);
    char *y = out->data;
    for (int64_t b = 0; b < r.batch; b++)
        for (int64_t i = 0; i < r.out_h; i++) {
            int64_t iy = nearest_index(&r, i, r.scale_h, r.in_h);
            for (int64_t j = 0; j < r.out_w; j++, y += run) {
                int64_t ix = nearest_index(&r, j, r.scale_w, r.in_w);
                memcpy(y, (const char *)x->data + (size_t)((b * r.in_h + iy) * r.in_w + ix) * run, run);
            }
        }
    return FERRY_OK;
}

/* The two input rows (or columns) output index i blends, and the weight of the second. */
typedef struct blend {
    int64_t lo, hi;
    float lerp;
} blend;

static blend bilinear_weights(const resize *r, int64_t i, float scale, int64_t in)
{
    float at = r->half_pixel ? ((float)i + 0.5f) * scale - 0.5f : (float)i * scale;
    float below = floorf(at);
    blend w;
    w.lo = (int64_t)below > 0 ? (int64_t)below : 0;
    w.lo = w.lo < in - 1 ? w.lo : in - 1;
    w.hi = (int64_t)ceilf(at) < in - 1 ? (int64_t)ceilf(at) : in - 1;
    w.lerp = at - below;
    return w;
}

ferry_status fy_nn_resize_bilinear(fy_kernel_ctx *ctx)
{
    resize r;
    const ferry_tensor *x;
    ferry_status st = resize_setup(ctx, &r, &x);
    if (st)
        return st;
    int64_t dims[4] = { r.batch, r.out_h, r.out_w, r.channels };
    ferry_tensor *out = fy_output_new(ctx, 0, FERRY_DT_FLOAT, dims, 4);
    if (!out)
        return FERRY_ERR_OUT_OF_MEMORY;
    if (out->count == 0 || x->count == 0)
        return FERRY_OK;
    const float *in;
    void *own;
    st = fy_nn_load(ctx, x, FERRY_DT_FLOAT, (const void **)&in, &own);
    if (st)
        return st;
    float *y = out->data;
    for (int64_t b = 0; b < r.batch; b++)
        for (int64_t i = 0; i < r.out_h; i++) {
            blend v = bilinear_weights(&r, i, r.scale_h, r.in_h);
            const float *top = in + (b * r.in_h + v.lo) * r.in_w * r.channels;
            const float *bottom = in + (b * r.in_h + v.hi) * r.in_w * r.channels;
            for (int64_t j = 0; j < r.out_w; j++) {
                blend h = bilinear_weights(&r, j, r.scale_w, r.in_w);
                for (int64_t c = 0; c < r.channels; c++, y++) {
                    float tl = top[h.lo * r.channels + c], tr = top[h.hi * r.channels + c];
                    float bl = bottom[h.lo * r.channels + c], br = bottom[h.hi * r.channels + c];
                    float t = tl + (tr - tl) * h.lerp, bt = bl + (br - bl) * h.lerp;
                    *y = t + (bt - t) * v.lerp;
                }
            }
        }
    free(own);
    return FERRY_OK;
}

/* ---- ResizeBicubic ------------------------------------------------------- */

enum { CUBIC_TABLE = 1024 };

/* The cubic kernel's weights at CUBIC_TABLE + 1 fractions of a pixel: [2i]
 * for the near tap, [2i + 1] for the far one (a = -0.75 for the legacy
 * mapping, Keys' -0.5 with half_pixel_centers), made as TF makes its table. */
static void cubic_table(float *t, double a)
{
    for (int i = 0; i <= CUBIC_TABLE; i++) {
        float x = (float)(i * 1.0 / CUBIC_TABLE);
        t[2 * i] = (float)(((a + 2) * x - (a + 3)) * x * x + 1);
        x = (float)(x + 1.0);
        t[2 * i + 1] = (float)(((a * x - 5 * a) * x + 8 * a) * x - 4 * a);
    }
}

typedef struct taps {
    int64_t at[4];
    float w[4];
} taps;

static int64_t clamp_index(int64_t i, int64_t n)
{
    i = i > 0 ? i : 0;
    return i < n - 1 ? i : n - 1;
}

/* The four input rows (or columns) output index i reads and their weights.
 * With half_pixel_centers, taps outside the image weigh 0 and the others
 * are scaled to sum to 1; the legacy mapping repeats the edge instead. */
static taps cubic_taps(const resize *r, const float *table, int64_t i, float scale, int64_t in)
{
    float at = r->half_pixel ? ((float)i + 0.5f) * scale - 0.5f : (float)i * scale;
    int64_t base = (int64_t)floorf(at);
    int64_t off = lrintf((at - (float)base) * CUBIC_TABLE);
    float w[4] = { table[2 * off + 1], table[2 * off], table[2 * (CUBIC_TABLE - off)],
                   table[2 * (CUBIC_TABLE - off) + 1] };
    taps t;
    for (int k = 0; k < 4; k++) {
        t.at[k] = clamp_index(base - 1 + k, in);
        t.w[k] = !r->half_pixel || t.at[k] == base - 1 + k ? w[k] : 0.0f;
    }
    if (r->half_pixel) {
        float sum = t.w[0] + t.w[1] + t.w[2] + t.w[3];
        if (fabsf(sum) >= 1000.0f * FLT_MIN) {
            float inv = 1.0f / sum;
            for (int k = 0; k < 4; k++)
                t.w[k] *= inv;
        }
    }
    return t;
}

ferry_status fy_nn_resize_bicubic(fy_kernel_ctx *ctx)
{
    resize r;
    const ferry_tensor *x;
    ferry_status st = resize_setup(ctx, &r, &x);
    if (st)
        return st;
    int64_t dims[4] = { r.batch, r.out_h, r.out_w, r.channels };
    ferry_tensor *out = fy_output_new(ctx, 0, FERRY_DT_FLOAT, dims, 4);
    if (!out)
        return FERRY_ERR_OUT_OF_MEMORY;
    if (out->count == 0)
        return FERRY_OK;
    float *table = fy_nn_alloc(ctx, 2 * (CUBIC_TABLE + 1), sizeof(float));
    taps *cols = table ? fy_nn_alloc(ctx, r.out_w, sizeof(taps)) : NULL;
    const float *in = NULL;
    void *own = NULL;
    st = cols ? fy_nn_load(ctx, x, FERRY_DT_FLOAT, (const void **)&in, &own) : FERRY_ERR_OUT_OF_MEMORY;
    if (!st) {
        cubic_table(table, r.half_pixel ? -0.5 : -0.75);
        for (int64_t j = 0; j < r.out_w; j++)
            cols[j] = cubic_taps(&r, table, j, r.scale_w, r.in_w);
        int64_t row = r.in_w * r.channels;
        float *y = out->data;
        for (int64_t b = 0; b < r.batch; b++)
            for (int64_t i = 0; i < r.out_h; i++) {
                taps v = cubic_taps(&r, table, i, r.scale_h, r.in_h);
                const float *img = in + b * r.in_h * row;
                for (int64_t j = 0; j < r.out_w; j++) {
                    const taps *h = &cols[j];
                    for (int64_t c = 0; c < r.channels; c++, y++) {
                        float col[4];
                        for (int k = 0; k < 4; k++) {
                            int64_t at = h->at[k] * r.channels + c;
                            col[k] = img[v.at[0] * row + at] * v.w[0] + img[v.at[1] * row + at] * v.w[1] +
                                     img[v.at[2] * row + at] * v.w[2] + img[v.at[3] * row + at] * v.w[3];
                        }
                        *y = col[0] * h->w[0] + col[1] * h->w[1] + col[2] * h->w[2] + col[3] * h->w[3];
                    }
                }
            }
    }
    free(own);
    free(table);
    free(cols);
    return st;
}

/* ---- ResizeArea ---------------------------------------------------------- */

/* The input cells [start, end) output cell i covers, with how much of the
 * first and of the last falls inside it. */
typedef struct span {
    int64_t start, end;
    float first, last;
} span;

static float cover(int64_t v, float lo, float hi, float scale)
{
    if ((float)v < lo)
        return (float)(v + 1) > hi ? scale : (float)(v + 1) - lo;
    return (float)(v + 1) > hi ? hi - (float)v : 1.0f;
}

static span area_span(int64_t i, float scale)
{
    float lo = (float)i * scale, hi = (float)(i + 1) * scale;
    span s;
    s.start = (int64_t)floorf(lo);
    s.end = (int64_t)ceilf(hi);
    s.first = cover(s.start, lo, hi, scale);
    s.last = cover(s.end - 1, lo, hi, scale);
    return s;
}

ferry_status fy_nn_resize_area(fy_kernel_ctx *ctx)
{
    resize r;
    const ferry_tensor *x;
    ferry_status st = resize_setup(ctx, &r, &x);
    if (st)
        return st;
    int64_t dims[4] = { r.batch, r.out_h, r.out_w, r.channels };
    ferry_tensor *out = fy_output_new(ctx, 0, FERRY_DT_FLOAT, dims, 4);
    if (!out)
        return FERRY_ERR_OUT_OF_MEMORY;
    if (out->count == 0)
        return FERRY_OK;
    span *cols = fy_nn_alloc(ctx, r.out_w, sizeof(span));
    const float *in = NULL;
    void *own = NULL;
    st = cols ? fy_nn_load(ctx, x, FERRY_DT_FLOAT, (const void **)&in, &own) : FERRY_ERR_OUT_OF_MEMORY;
    if (!st) {
        for (int64_t j = 0; j < r.out_w; j++)
            cols[j] = area_span(j, r.scale_w);
        float norm = (float)(1.0 / (double)(r.scale_h * r.scale_w));
        int64_t row = r.in_w * r.channels;
        float *y = out->data;
        for (int64_t b = 0; b < r.batch; b++)
            for (int64_t i = 0; i < r.out_h; i++) {
                float lo = (float)i * r.scale_h, hi = (float)(i + 1) * r.scale_h;
                int64_t y0 = (int64_t)floorf(lo), y1 = (int64_t)ceilf(hi);
                for (int64_t j = 0; j < r.out_w; j++) {
                    const span *s = &cols[j];
                    for (int64_t c = 0; c < r.channels; c++, y++) {
                        float sum = 0;
                        for (int64_t yy = y0; yy < y1; yy++) {
                            const float *line = in + (b * r.in_h + clamp_index(yy, r.in_h)) * row + c;
                            float part = line[clamp_index(s->start, r.in_w) * r.channels] * s->first;
                            if (s->start + 1 != s->end) {
                                for (int64_t xx = s->start + 1; xx < s->end - 1; xx++)
                                    part += line[clamp_index(xx, r.in_w) * r.channels];
                                part += line[clamp_index(s->end - 1, r.in_w) * r.channels] * s->last;
                            }
                            sum += part * cover(yy, lo, hi, r.scale_h);
                        }
                        *y = sum * norm;
                    }
                }
            }
    }
    free(own);
    free(cols);
    return st;
}
