/* FakeQuantWithMinMaxArgs / Vars / VarsPerChannel: float values snapped to
 * the 2^num_bits levels of [min, max] as quantization-aware training leaves
 * them in exported graphs. The range is first nudged so that zero is exactly
 * a level, then values are clamped and rounded to the nearest level. */
#include <math.h>

#include "kernels/nn_internal.h"

typedef struct nudged {
    float min, max, scale;
    float levels_below_zero;   /* zero point minus the lowest level */
} nudged;

/* TF's nudging: the zero point rounded onto the integer grid. */
static nudged nudge(float min, float max, int num_bits, int narrow_range)
{
    float quant_min = narrow_range ? 1.0f : 0.0f, quant_max = (float)((1 << num_bits) - 1);
    float scale = (max - min) / (quant_max - quant_min);
    float zero_from_min = quant_min - min / scale;
    float zero = zero_from_min < quant_min ? quant_min : zero_from_min > quant_max ? quant_max : roundf(zero_from_min);
    return (nudged){ (quant_min - zero) * scale, (quant_max - zero) * scale, scale, zero - quant_min };
}

/* The nearest level, as a whole number of steps from zero times the step:
 * so zero maps to exactly 0 and results match TensorFlow's bit for bit. */
static float quantize(float x, const nudged *n)
{
    /* Clamped as TF does, to max first, then to min (so NaN stays NaN). */
    float below = n->max < x ? n->max : x, clamped = below < n->min ? n->min : below;
    float level = floorf((clamped - n->min) * (1.0f / n->scale) + 0.5f);
    return (level - n->levels_below_zero) * n->scale;
}

static ferry_status check_bits(fy_kernel_ctx *ctx, int64_t num_bits)
{
    if (num_bits < 2 || num_bits > 16)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "num_bits must be between 2 and 16, not %lld",
                              (long long)num_bits);
    return FERRY_OK;
}

static const ferry_tensor *float_input(fy_kernel_ctx *ctx, int i)
{
    const ferry_tensor *t = fy_input(ctx, i);
    if (t && t->dtype != FERRY_DT_FLOAT) {
        fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "input %d is %s; only float32 is defined", i,
                       ferry_dtype_name(t->dtype));
        return NULL;
    }
    return t;
}

/* Quantizes x with `channels` ranges along its last dim (1: one range). */
static ferry_status fake_quant(fy_kernel_ctx *ctx, const ferry_tensor *x, const float *min, const float *max,
                               int64_t channels)
{
    int64_t num_bits = fy_attr_int(ctx->node, "num_bits", 8);
    int narrow = fy_attr_bool(ctx->node, "narrow_range", 0);
    ferry_status st = check_bits(ctx, num_bits);
    if (st)
        return st;
    ferry_tensor *out = fy_output_reuse(ctx, 0, 0, x->dtype, x->dims, x->rank);
    if (!out)
        return FERRY_ERR_OUT_OF_MEMORY;
    const float *in = x->data;
    float *y = out->data;
    for (int64_t c = 0; c < channels; c++) {
        nudged n = nudge(min[c], max[c], (int)num_bits, narrow);
        /* TF's one special case: a [0, 0] range gives zeros. Other empty or
         * inverted ranges are computed as given (NaN for min == max). */
        int zero = min[c] == 0.0f && max[c] == 0.0f;
        for (int64_t i = c; i < x->count; i += channels)
            y[i] = zero ? 0.0f : quantize(in[i], &n);
    }
    return FERRY_OK;
}

ferry_status fy_nn_fake_quant_args(fy_kernel_ctx *ctx)
{
    const ferry_tensor *x = float_input(ctx, 0);
    if (!x)
        return FERRY_ERR_INVALID_ARGUMENT;
    float min = fy_attr_float(ctx->node, "min", -6.0f), max = fy_attr_float(ctx->node, "max", 6.0f);
    if (!(min < max))
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "min has to be smaller than max, was: %g >= %g",
                              (double)min, (double)max);
    return fake_quant(ctx, x, &min, &max, 1);
}

ferry_status fy_nn_fake_quant_vars(fy_kernel_ctx *ctx)
{
    const ferry_tensor *x = float_input(ctx, 0), *min = x ? float_input(ctx, 1) : NULL,
                       *max = min ? float_input(ctx, 2) : NULL;
    if (!max)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (min->count != 1 || max->count != 1)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "min and max must be scalars");
    return fake_quant(ctx, x, min->data, max->data, 1);
}

ferry_status fy_nn_fake_quant_vars_per_channel(fy_kernel_ctx *ctx)
{
    const ferry_tensor *x = float_input(ctx, 0), *min = x ? float_input(ctx, 1) : NULL,
                       *max = min ? float_input(ctx, 2) : NULL;
    if (!max)
        return FERRY_ERR_INVALID_ARGUMENT;
    int64_t channels = x->rank > 0 ? x->dims[x->rank - 1] : 0;
    if (x->rank < 1 || min->rank != 1 || max->rank != 1 || min->count != channels || max->count != channels)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "min and max must be vectors of the last dim's size");
    if (channels == 0)
        return fake_quant(ctx, x, NULL, NULL, 0);
    return fake_quant(ctx, x, min->data, max->data, channels);
}
