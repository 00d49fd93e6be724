/* Image ops on NHWC images: colour space conversions (RGBToHSV, HSVToRGB),
 * colour adjustments (AdjustContrastv2, AdjustHue, AdjustSaturation) and
 * CropAndResize, each with the arithmetic TF's CPU kernel does (float16 and
 * bfloat16 round after every step, as TF's Eigen expressions do). The
 * resizing ops live in resize.c. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/elementwise.h"
#include "kernels/nn_internal.h"

/* ---- rounding to the tensor's type ---------------------------------------- */

typedef double (*rounder)(double v);

static double round_double(double v) { return v; }
static double round_float(double v) { return (float)v; }
static double round_half(double v) { return fy_half_to_float(fy_float_to_half((float)v)); }
static double round_bf16(double v) { return fy_bfloat16_to_float(fy_float_to_bfloat16((float)v)); }

static rounder rounder_of(ferry_dtype t)
{
    switch (t) {
    case FERRY_DT_DOUBLE: return round_double;
    case FERRY_DT_FLOAT: return round_float;
    case FERRY_DT_HALF: return round_half;
    case FERRY_DT_BFLOAT16: return round_bf16;
    default: return NULL;
    }
}

static ferry_status not_defined(fy_kernel_ctx *ctx, ferry_dtype t)
{
    return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "not defined for %s", ferry_dtype_name(t));
}

/* Output 0: input 0's shape, dtype t, computed in double at *y (commit with
 * fy_nn_commit(out, copy, DOUBLE)); *x is input 0 as double. */
static ferry_status double_io(fy_kernel_ctx *ctx, const ferry_tensor *in, ferry_tensor **out, const double **x,
                              void **own_x, double **y, void **own_y)
{
    *out = fy_output_new(ctx, 0, in->dtype, in->dims, in->rank);
    if (!*out)
        return FERRY_ERR_OUT_OF_MEMORY;
    ferry_status st = fy_nn_load(ctx, in, FERRY_DT_DOUBLE, (const void **)x, own_x);
    if (!st)
        st = fy_nn_out_buffer(ctx, *out, FERRY_DT_DOUBLE, (void **)y, own_y);
    if (st) {
        free(*own_x);
        *own_x = NULL;
    }
    return st;
}

static ferry_status check_rgb(fy_kernel_ctx *ctx, const ferry_tensor *x, int min_rank)
{
    if (x->rank < min_rank)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "input must be at least %d-D, not %d-D", min_rank,
                              x->rank);
    if (x->dims[x->rank - 1] != 3)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "input must have 3 channels, not %lld",
                              (long long)x->dims[x->rank - 1]);
    return FERRY_OK;
}

/* ---- RGBToHSV, HSVToRGB ----------------------------------------------------- */

static double max3(double a, double b, double c)
{
    double m = a < b ? b : a;
    return m < c ? c : m;
}

static double min3(double a, double b, double c)
{
    double m = b < a ? b : a;
    return c < m ? c : m;
}

/* Hue, saturation and value in [0, 1], every step in T. */
static void rgb_to_hsv(const double *p, double *q, rounder r)
{
    double red = p[0], green = p[1], blue = p[2];
    double v = max3(red, green, blue), range = r(v - min3(red, green, blue));
    double norm = r(r(1.0 / range) * r(1.0 / 6.0));
    double h;
    if (red == v)
        h = r(norm * r(green - blue));
    else if (green == v)
        h = r(r(norm * r(blue - red)) + r(r(2.0) / 6.0));
    else
        h = r(r(norm * r(red - green)) + r(r(4.0) / 6.0));
    if (!(range > 0))
        h = 0;
    if (h < 0)
        h = r(h + 1);
    q[0] = h;
    q[1] = v > 0 ? r(range / v) : 0;
    q[2] = v;
}

static double clamp01(double v)
{
    v = v < 0 ? 0 : v;
    return 1 < v ? 1 : v;
}

static void hsv_to_rgb(const double *p, double *q, rounder r)
{
    double h = p[0], s = p[1], v = p[2], dh = r(h * 6);
    double d[3] = { clamp01(r(fabs(r(dh - 3)) - 1)), clamp01(r(2 - fabs(r(dh - 2)))), clamp01(r(2 - fabs(r(dh - 4)))) };
    double one_s = r(1 - s);
    for (int c = 0; c < 3; c++)
        q[c] = r(r(one_s + r(s * d[c])) * v);
}

static ferry_status color_convert(fy_kernel_ctx *ctx, void (*convert)(const double *, double *, rounder))
{
    const ferry_tensor *in = fy_input(ctx, 0);
    if (!in)
        return FERRY_ERR_INVALID_ARGUMENT;
    rounder r = rounder_of(in->dtype);
    if (!r)
        return not_defined(ctx, in->dtype);
    ferry_status st = check_rgb(ctx, in, 1);
    if (st)
        return st;
    ferry_tensor *out;
    const double *x;
    double *y;
    void *own_x = NULL, *own_y = NULL;
    if ((st = double_io(ctx, in, &out, &x, &own_x, &y, &own_y)))
        return st;
    for (int64_t i = 0; i < in->count; i += 3)
        convert(x + i, y + i, r);
    fy_nn_commit(out, own_y, FERRY_DT_DOUBLE);
    free(own_x);
    return FERRY_OK;
}

static ferry_status k_rgb_to_hsv(fy_kernel_ctx *ctx) { return color_convert(ctx, rgb_to_hsv); }
static ferry_status k_hsv_to_rgb(fy_kernel_ctx *ctx) { return color_convert(ctx, hsv_to_rgb); }

/* ---- AdjustHue, AdjustSaturation (float) ------------------------------------- */

/* Hue in [0, 6) and the smallest and largest channel. */
static void rgb_to_hue_range(const float *p, float *h, float *lo, float *hi)
{
    float r = p[0], g = p[1], b = p[2], mid;
    int sector;
    if (r < g) {
        if (b < r) {
            *hi = g, mid = r, *lo = b, sector = 1;
        } else if (b > g) {
            *hi = b, mid = g, *lo = r, sector = 3;
        } else {
            *hi = g, mid = b, *lo = r, sector = 2;
        }
    } else if (b < g) {
        *hi = r, mid = g, *lo = b, sector = 0;
    } else if (b > r) {
        *hi = b, mid = r, *lo = g, sector = 4;
    } else {
        *hi = r, mid = b, *lo = g, sector = 5;
    }
    if (*hi == *lo) {
        *h = 0;
        return;
    }
    float ratio = (mid - *lo) / (*hi - *lo);
    *h = (float)sector + ((sector & 1) == 0 ? ratio : 1 - ratio);
}

static void hue_range_to_rgb(float h, float lo, float hi, float *q)
{
    int sector = h >= 0 && h < 6 ? (int)h : 5; /* NaN: the last sector, as x86 leaves TF's cast */
    float ratio = h - (float)sector;
    if (sector & 1)
        ratio = 1 - ratio;
    float mid = lo + ratio * (hi - lo);
    switch (sector) {
    case 0: q[0] = hi, q[1] = mid, q[2] = lo; break;
    case 1: q[0] = mid, q[1] = hi, q[2] = lo; break;
    case 2: q[0] = lo, q[1] = hi, q[2] = mid; break;
    case 3: q[0] = lo, q[1] = mid, q[2] = hi; break;
    case 4: q[0] = mid, q[1] = lo, q[2] = hi; break;
    default: q[0] = hi, q[1] = lo, q[2] = mid; break;
    }
}

/* The float form AdjustSaturation uses: hue in [0, 1). */
static void rgb_to_hsv_f(const float *p, float *h, float *s, float *v)
{
    float r = p[0], g = p[1], b = p[2];
    float hi = r < g ? g : r, lo = g < r ? g : r;
    hi = hi < b ? b : hi;
    lo = b < lo ? b : lo;
    float range = hi - lo, norm = 1.0f / (6.0f * range), hh;
    *s = hi > 0 ? range / hi : 0;
    if (r == hi)
        hh = norm * (g - b);
    else if (g == hi)
        hh = (float)((double)(norm * (b - r)) + 2.0 / 6.0);
    else
        hh = (float)((double)(norm * (r - g)) + 4.0 / 6.0);
    if (range <= 0.0f)
        hh = 0;
    if (hh < 0.0f)
        hh = hh + 1;
    *h = hh;
    *v = hi;
}

static void hsv_to_rgb_f(float h, float s, float v, float *q)
{
    float c = s * v, m = v - c, dh = h * 6, f = dh;
    int sector = dh > -8 && dh < 8 ? (int)dh : -1;
    if (!(fabsf(f) <= 16)) /* TF's loops below never end on these */
        f = isfinite(f) ? fmodf(f, 2.0f) : NAN;
    while (f <= 0)
        f += 2.0f;
    while (f >= 2.0f)
        f -= 2.0f;
    float x = c * (1 - fabsf(f - 1)), rr = 0, gg = 0, bb = 0;
    switch (sector) {
    case 0: rr = c, gg = x; break;
    case 1: rr = x, gg = c; break;
    case 2: gg = c, bb = x; break;
    case 3: gg = x, bb = c; break;
    case 4: rr = x, bb = c; break;
    case 5: rr = c, bb = x; break;
    default: break;
    }
    q[0] = rr + m;
    q[1] = gg + m;
    q[2] = bb + m;
}

static ferry_status adjust(fy_kernel_ctx *ctx, int hue)
{
    const ferry_tensor *in = fy_input(ctx, 0), *amount = in ? fy_input(ctx, 1) : NULL;
    if (!amount)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (in->dtype != FERRY_DT_FLOAT)
        return not_defined(ctx, in->dtype);
    ferry_status st = check_rgb(ctx, in, 3);
    if (st)
        return st;
    const char *what = hue ? "delta" : "scale";
    if (amount->rank != 0 || amount->dtype != FERRY_DT_FLOAT)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "%s must be a float scalar", what);
    float k = *(const float *)amount->data;
    ferry_tensor *out = fy_output_new_uninit(ctx, 0, FERRY_DT_FLOAT, in->dims, in->rank);
    if (!out)
        return FERRY_ERR_OUT_OF_MEMORY;
    const float *x = in->data;
    float *y = out->data;
    for (int64_t i = 0; i < in->count; i += 3) {
        float h, a, b;
        if (hue) {
            rgb_to_hue_range(x + i, &h, &a, &b);
            h += k * 6;
            if (!(fabsf(h) <= 64)) /* TF's loops below never end on these */
                h = isfinite(h) ? fmodf(h, 6.0f) : NAN;
            while (h < 0)
                h += 6;
            while (h >= 6)
                h -= 6;
            hue_range_to_rgb(h, a, b, y + i);
        } else {
            rgb_to_hsv_f(x + i, &h, &a, &b);
            float s = a * k;
            s = 0.0f < s ? s : 0.0f;
            s = s < 1.0f ? s : 1.0f;
            hsv_to_rgb_f(h, s, b, y + i);
        }
    }
    return FERRY_OK;
}

static ferry_status k_adjust_hue(fy_kernel_ctx *ctx) { return adjust(ctx, 1); }
static ferry_status k_adjust_saturation(fy_kernel_ctx *ctx) { return adjust(ctx, 0); }

/* ---- AdjustContrastv2 ------------------------------------------------------------ */

/* Each channel of each image moved away from (or towards) its mean:
 * mean + (x - mean) * factor (float only: TF's CPU kernel). */
static ferry_status k_adjust_contrast(fy_kernel_ctx *ctx)
{
    const ferry_tensor *in = fy_input(ctx, 0), *factor = in ? fy_input(ctx, 1) : NULL;
    if (!factor)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (in->dtype != FERRY_DT_FLOAT)
        return not_defined(ctx, in->dtype);
    if (in->rank < 3)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "input must be at least 3-D, not %d-D", in->rank);
    if (factor->rank != 0 || factor->dtype != FERRY_DT_FLOAT)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "contrast_factor must be a float scalar");
    float k = *(const float *)factor->data;
    rounder r = rounder_of(in->dtype);
    int64_t hw = in->dims[in->rank - 3] * in->dims[in->rank - 2], ch = in->dims[in->rank - 1];
    int64_t images = hw > 0 && ch > 0 ? in->count / (hw * ch) : 0;
    ferry_tensor *out;
    const double *x;
    double *y;
    void *own_x = NULL, *own_y = NULL;
    ferry_status st = double_io(ctx, in, &out, &x, &own_x, &y, &own_y);
    if (st)
        return st;
    for (int64_t b = 0; b < images; b++)
        for (int64_t c = 0; c < ch; c++) {
            const double *xi = x + b * hw * ch + c;
            double *yi = y + b * hw * ch + c;
            float sum = 0;
            for (int64_t p = 0; p < hw; p++)
                sum += (float)xi[p * ch];
            double mean = r((double)(sum / (float)hw));
            for (int64_t p = 0; p < hw; p++)
                yi[p * ch] = r(mean + r((double)((float)r(xi[p * ch] - mean) * k)));
        }
    fy_nn_commit(out, own_y, FERRY_DT_DOUBLE);
    free(own_x);
    return FERRY_OK;
}

/* ---- CropAndResize ---------------------------------------------------------------- */

typedef struct crop {
    int64_t batch, height, width, depth, crop_h, crop_w;
    int nearest;
    float extrapolation;
} crop;

/* Where crop row (or column) i of a box from a to b samples the image. */
static float crop_at(float a, float b, int64_t i, int64_t crop_len, int64_t image_len)
{
    if (crop_len > 1) {
        float scale = (b - a) * (float)(image_len - 1) / (float)(crop_len - 1);
        return a * (float)(image_len - 1) + (float)i * scale;
    }
    return (float)(0.5 * (double)(a + b) * (double)(image_len - 1));
}

static void crop_box(const crop *p, const float *image, const float *box, float *y)
{
    for (int64_t i = 0; i < p->crop_h; i++) {
        float in_y = crop_at(box[0], box[2], i, p->crop_h, p->height);
        int row_out = !(in_y >= 0 && in_y <= (float)(p->height - 1)); /* NaN (inf - inf) too */
        for (int64_t j = 0; j < p->crop_w; j++, y += p->depth) {
            float in_x = crop_at(box[1], box[3], j, p->crop_w, p->width);
            if (row_out || !(in_x >= 0 && in_x <= (float)(p->width - 1))) {
                for (int64_t d = 0; d < p->depth; d++)
                    y[d] = p->extrapolation;
                continue;
            }
            if (p->nearest) {
                const float *px = image + ((int64_t)roundf(in_y) * p->width + (int64_t)roundf(in_x)) * p->depth;
                memcpy(y, px, (size_t)p->depth * sizeof(float));
                continue;
            }
            int64_t top = (int64_t)floorf(in_y), bottom = (int64_t)ceilf(in_y);
            int64_t left = (int64_t)floorf(in_x), right = (int64_t)ceilf(in_x);
            float y_lerp = in_y - (float)top, x_lerp = in_x - (float)left;
            const float *tl = image + (top * p->width + left) * p->depth, *tr = image + (top * p->width + right) * p->depth;
            const float *bl = image + (bottom * p->width + left) * p->depth;
            const float *br = image + (bottom * p->width + right) * p->depth;
            for (int64_t d = 0; d < p->depth; d++) {
                float t = tl[d] + (tr[d] - tl[d]) * x_lerp, b = bl[d] + (br[d] - bl[d]) * x_lerp;
                y[d] = t + (b - t) * y_lerp;
            }
        }
    }
}

static ferry_status k_crop_and_resize(fy_kernel_ctx *ctx)
{
    const ferry_tensor *image = fy_input(ctx, 0), *boxes = image ? fy_input(ctx, 1) : NULL;
    const ferry_tensor *index = boxes ? fy_input(ctx, 2) : NULL, *size = index ? fy_input(ctx, 3) : NULL;
    if (!size)
        return FERRY_ERR_INVALID_ARGUMENT;
    if ((!fy_nn_is_real(image->dtype) && fy_nn_compute_type(image->dtype) != FERRY_DT_INT64) ||
        image->dtype == FERRY_DT_BFLOAT16)
        return not_defined(ctx, image->dtype);
    if (image->dtype == FERRY_DT_BOOL || boxes->dtype != FERRY_DT_FLOAT || index->dtype != FERRY_DT_INT32)
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "needs float boxes and int32 box_ind");
    char method[16];
    fy_attr_string(ctx->node, "method", method, sizeof method, "bilinear");
    crop p = { .nearest = !strcmp(method, "nearest"), .extrapolation = fy_attr_float(ctx->node, "extrapolation_value", 0) };
    if (!p.nearest && strcmp(method, "bilinear"))
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "method must be 'bilinear' or 'nearest', not '%s'", method);
    char s[128];
    if (image->rank != 4)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "image must be 4-D, not %s",
                              fy_dims_str(s, sizeof s, image->dims, image->rank));
    p.batch = image->dims[0], p.height = image->dims[1], p.width = image->dims[2], p.depth = image->dims[3];
    if (p.height <= 0 || p.width <= 0)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "image dimensions must be positive");
    if (boxes->rank != 2 || index->rank != 1)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "boxes must be 2-D and box_ind 1-D");
    int64_t n = boxes->dims[0];
    if (boxes->count || index->count) {
        if (boxes->dims[1] != 4)
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "boxes must have 4 columns");
        if (index->dims[0] != n)
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "box_ind has %lld values for %lld boxes",
                                  (long long)index->dims[0], (long long)n);
    } else {
        n = 0;
    }
    int64_t hw[2];
    if (size->rank != 1 || size->count != 2 || size->dtype != FERRY_DT_INT32)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "crop_size must be an int32 vector of 2 values");
    ferry_status st = fy_read_ints(ctx, size, hw, 2, "crop_size");
    if (st)
        return st;
    if (hw[0] <= 0 || hw[1] <= 0)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "crop dimensions must be positive");
    p.crop_h = hw[0], p.crop_w = hw[1];
    int64_t dims[4] = { n, p.crop_h, p.crop_w, p.depth };
    if (fy_mul_sizes(fy_mul_sizes(fy_mul_sizes(n, p.crop_h), p.crop_w), p.depth) < 0)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "the output size overflows");
    ferry_tensor *out = fy_output_new(ctx, 0, FERRY_DT_FLOAT, dims, 4);
    if (!out)
        return FERRY_ERR_OUT_OF_MEMORY;
    const int32_t *ind = index->data;
    for (int64_t b = 0; b < n; b++)
        if (ind[b] < 0 || ind[b] >= p.batch)
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "box_ind[%lld] = %d is outside [0, %lld)",
                                  (long long)b, ind[b], (long long)p.batch);
    const float *bx = boxes->data;
    for (int64_t i = 0; i < 4 * n; i++)
        if (!isfinite(bx[i]))
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "boxes hold a value that is not finite");
    if (out->count == 0)
        return FERRY_OK;
    const float *x;
    void *own = NULL;
    if ((st = fy_nn_load(ctx, image, FERRY_DT_FLOAT, (const void **)&x, &own)))
        return st;
    int64_t per_image = p.height * p.width * p.depth, per_crop = p.crop_h * p.crop_w * p.depth;
    for (int64_t b = 0; b < n; b++)
        crop_box(&p, x + ind[b] * per_image, bx + 4 * b, (float *)out->data + b * per_crop);
    free(own);
    return FERRY_OK;
}

/* Resized shapes follow the size inputs' values: those are dynamic. */
const fy_op_def fy_kernels_image[] = {
    { .name = "RGBToHSV", .run = k_rgb_to_hsv, .shape = fy_shape_same },
    { .name = "HSVToRGB", .run = k_hsv_to_rgb, .shape = fy_shape_same },
    { .name = "AdjustHue", .run = k_adjust_hue, .shape = fy_shape_same },
    { .name = "AdjustSaturation", .run = k_adjust_saturation, .shape = fy_shape_same },
    { .name = "AdjustContrastv2", .run = k_adjust_contrast, .shape = fy_shape_same },
    { .name = "CropAndResize", .run = k_crop_and_resize, .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = "ResizeBicubic", .run = fy_nn_resize_bicubic, .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = "ResizeArea", .run = fy_nn_resize_area, .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = NULL },
};
