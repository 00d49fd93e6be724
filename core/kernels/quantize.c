/* Quantization round trips that quantization-aware exports leave in the
 * graph: QuantizeAndDequantizeV2, V3 (num_bits as an input) and V4, whole
 * tensor or per channel along `axis`, with TF's choice of scale (the side of
 * the range that allows the finer step) and rounding modes. */
#include <float.h>
#include <math.h>
#include <string.h>

#include "kernels/array_internal.h"
#include "kernels/elementwise.h"

static double get(const ferry_tensor *t, int64_t i)
{
    switch (t->dtype) {
    case FERRY_DT_FLOAT: return ((const float *)t->data)[i];
    case FERRY_DT_DOUBLE: return ((const double *)t->data)[i];
    case FERRY_DT_HALF: return fy_half_to_float(((const uint16_t *)t->data)[i]);
    default: return fy_bfloat16_to_float(((const uint16_t *)t->data)[i]);
    }
}

static void put(ferry_tensor *t, int64_t i, double v)
{
    switch (t->dtype) {
    case FERRY_DT_FLOAT: ((float *)t->data)[i] = (float)v; break;
    case FERRY_DT_DOUBLE: ((double *)t->data)[i] = v; break;
    case FERRY_DT_HALF: ((uint16_t *)t->data)[i] = fy_float_to_half((float)v); break;
    default: ((uint16_t *)t->data)[i] = fy_float_to_bfloat16((float)v); break;
    }
}

typedef struct qparams {
    int is_signed, narrow, half_up, range_given;
    int64_t bits;
} qparams;

/* Quantizes and dequantizes n elements x[start + k * step] in the range
 * [lo, hi] (found from these elements when find_range), computing in the
 * tensor's precision as TF does. */
static void round_trip(const qparams *q, const ferry_tensor *x, ferry_tensor *out, int64_t start, int64_t n,
                       int64_t step, double lo, double hi, int wide, int find_range)
{
    if (find_range && n > 0) {
        lo = hi = get(x, start);
        for (int64_t k = 1; k < n; k++) {
            double v = get(x, start + k * step);
            lo = v < lo ? v : lo;
            hi = v > hi ? v : hi;
        }
    }
    double min_q = q->is_signed ? -ldexp(1, (int)q->bits - 1) + (q->narrow ? 1 : 0) : 0;
    double max_q = q->is_signed ? ldexp(1, (int)q->bits - 1) - 1 : ldexp(1, (int)q->bits) - 1;
    double big = wide ? DBL_MAX : FLT_MAX;
    double from_min = min_q * lo > 0 ? min_q / lo : big, from_max = max_q * hi > 0 ? max_q / hi : big;
    double scale, inverse;
    if (from_min < from_max) {
        scale = from_min;
        inverse = lo / min_q;
        hi = max_q * inverse;
    } else {
        scale = from_max;
        inverse = hi / max_q;
        lo = min_q * inverse;
    }
    if (!wide) { /* float tensors compute in float */
        scale = (float)scale, inverse = (float)inverse, lo = (float)lo, hi = (float)hi;
    }
    for (int64_t k = 0; k < n; k++) {
        int64_t i = start + k * step;
        double v = get(x, i);
        if (q->range_given) /* TF clamps only a given range */
            v = v < lo ? lo : v > hi ? hi : v;
        double scaled = wide ? v * scale : (double)((float)v * (float)scale);
        double r = q->half_up ? floor(scaled + 0.5) : nearbyint(scaled);
        put(out, i, wide ? r * inverse : (double)((float)r * (float)inverse));
    }
}

static ferry_status quantize_dequantize(fy_kernel_ctx *ctx, int bits_input)
{
    const ferry_tensor *x = fy_input(ctx, 0), *lo_t = x ? fy_input(ctx, 1) : NULL;
    const ferry_tensor *hi_t = lo_t ? fy_input(ctx, 2) : NULL, *bits_t = bits_input && hi_t ? fy_input(ctx, 3) : NULL;
    if (!hi_t || (bits_input && !bits_t))
        return FERRY_ERR_INVALID_ARGUMENT;
    if (x->dtype != FERRY_DT_FLOAT && x->dtype != FERRY_DT_DOUBLE && x->dtype != FERRY_DT_HALF &&
        x->dtype != FERRY_DT_BFLOAT16)
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "not defined for %s", ferry_dtype_name(x->dtype));
    char mode[32];
    fy_attr_string(ctx->node, "round_mode", mode, sizeof mode, "HALF_TO_EVEN");
    qparams q = { fy_attr_bool(ctx->node, "signed_input", 1), fy_attr_bool(ctx->node, "narrow_range", 0),
                  !strcmp(mode, "HALF_UP"), fy_attr_bool(ctx->node, "range_given", 0),
                  fy_attr_int(ctx->node, "num_bits", 8) };
    if (strcmp(mode, "HALF_UP") && strcmp(mode, "HALF_TO_EVEN"))
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "round_mode must be HALF_TO_EVEN or HALF_UP, not '%s'",
                              mode);
    if (bits_t) {
        ferry_status st = fy_arr_scalar_int(ctx, bits_t, &q.bits, "num_bits");
        if (st)
            return st;
    }
    if (q.bits < (q.is_signed ? 2 : 1) || q.bits > (q.is_signed ? 63 : 62))
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "num_bits is out of range: %lld with signed_input %s",
                              (long long)q.bits, q.is_signed ? "true" : "false");
    int64_t axis = fy_attr_int(ctx->node, "axis", -1);
    int per_channel = axis != -1;
    if (per_channel && !fy_axis_in_rank(&axis, x->rank))
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "axis %lld is out of range for rank %d",
                              (long long)fy_attr_int(ctx->node, "axis", -1), x->rank);
    int64_t channels = per_channel ? x->dims[axis] : 1;
    if (lo_t->count != channels || hi_t->count != channels || lo_t->dtype != x->dtype || hi_t->dtype != x->dtype)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "input_min and input_max must hold %lld values of %s",
                              (long long)channels, ferry_dtype_name(x->dtype));
    for (int64_t c = 0; q.range_given && c < channels; c++)
        if (get(lo_t, c) > get(hi_t, c))
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "Invalid range: input_min %g > input_max %g",
                                  get(lo_t, c), get(hi_t, c));
    ferry_tensor *out = fy_output_new_uninit(ctx, 0, x->dtype, x->dims, x->rank);
    if (!out)
        return FERRY_ERR_OUT_OF_MEMORY;
    int wide = x->dtype == FERRY_DT_DOUBLE;
    if (!per_channel) {
        round_trip(&q, x, out, 0, x->count, 1, get(lo_t, 0), get(hi_t, 0), wide, !q.range_given);
        return FERRY_OK;
    }
    int64_t inner = fy_arr_product(x->dims, (int)axis + 1, x->rank), outer = fy_arr_product(x->dims, 0, (int)axis);
    /* per channel: the elements of channel c are at o * channels * inner + c * inner + i */
    for (int64_t c = 0; c < channels; c++) {
        double lo = get(lo_t, c), hi = get(hi_t, c);
        if (!q.range_given) {
            int first = 1;
            for (int64_t o = 0; o < outer; o++)
                for (int64_t i = 0; i < inner; i++) {
                    double v = get(x, (o * channels + c) * inner + i);
                    if (first || v < lo)
                        lo = v;
                    if (first || v > hi)
                        hi = v;
                    first = 0;
                }
        }
        for (int64_t o = 0; o < outer; o++)
            round_trip(&q, x, out, (o * channels + c) * inner, inner, 1, lo, hi, wide, 0);
    }
    return FERRY_OK;
}

static ferry_status k_qdq_v2(fy_kernel_ctx *ctx)
{
    return quantize_dequantize(ctx, 0);
}

static ferry_status k_qdq_v3(fy_kernel_ctx *ctx)
{
    return quantize_dequantize(ctx, 1);
}

const fy_op_def fy_kernels_quantize[] = {
    { .name = "QuantizeAndDequantizeV2", .run = k_qdq_v2, .shape = fy_shape_same },
    { .name = "QuantizeAndDequantizeV3", .run = k_qdq_v3, .shape = fy_shape_same },
    { .name = "QuantizeAndDequantizeV4", .run = k_qdq_v2, .shape = fy_shape_same },
    { .name = NULL },
};
