/* The image and detection kernels called directly on hostile values that
 * the TF-generated conformance cases cannot hold: inputs on which TF's own
 * kernels loop forever or read out of bounds must give an answer here. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <ferry/ferry.h>

#include "base/tensor.h"
#include "check.h"
#include "op_harness.h"

/* Every output channel of a hue shift is one of the pixel's own channels or
 * between them, whatever the delta. */
static void adjust_hue_ends_on_any_delta(void)
{
    static const float px[] = { 0.2f, 0.7f, 0.4f, 0.9f, 0.1f, 0.5f };
    const float deltas[] = { 1e30f, -3e38f, INFINITY, NAN };
    for (size_t d = 0; d < sizeof deltas / sizeof deltas[0]; d++) {
        op_case c;
        op_begin(&c, "AdjustHue", 0);
        op_input_floats(&c, DIMS(1, 2, 3), px);
        op_input_floats(&c, SCALAR, &deltas[d]);
        CHECK_OK(op_call(&c, 1, err_));
        const float *y = c.out[0].t ? c.out[0].t->data : NULL;
        for (int p = 0; y && p < 2; p++) {
            const float *x = px + 3 * p;
            float lo = fminf(x[0], fminf(x[1], x[2])), hi = fmaxf(x[0], fmaxf(x[1], x[2]));
            CHECK(y[3 * p] == hi || (y[3 * p] >= lo && y[3 * p] <= hi) || isnan(deltas[d]) || isinf(deltas[d]));
            CHECK(!isfinite(deltas[d]) || (y[3 * p + 1] >= lo && y[3 * p + 1] <= hi));
        }
        op_end(&c);
    }
}

/* Denormal channels make TF's hue infinite, and its loops then never end. */
static void adjust_saturation_ends_on_infinite_hue(void)
{
    static const float px[] = { 2e-45f, 1e-45f, 0.0f, 0.5f, 0.25f, 0.0f };
    static const float one = 1.0f;
    op_case c;
    op_begin(&c, "AdjustSaturation", 0);
    op_input_floats(&c, DIMS(1, 2, 3), px);
    op_input_floats(&c, SCALAR, &one);
    CHECK_OK(op_call(&c, 1, err_));
    const float *y = c.out[0].t ? c.out[0].t->data : NULL;
    CHECK(y && y[0] == 0 && y[1] == 0 && y[2] == 0);
    CHECK(y && fabsf(y[3] - 0.5f) < 1e-6f && fabsf(y[4] - 0.25f) < 1e-6f && y[5] == 0);
    op_end(&c);
}

/* Boxes at the float range's ends make inf - inf sampling positions: those
 * samples take the extrapolation value instead of reading anywhere. */
static void crop_and_resize_extrapolates_unreachable_samples(void)
{
    static const float boxes[] = { 3e38f, 3e38f, -3e38f, -3e38f, 0, 0, 1, 1 };
    static const int32_t ind[] = { 0, 0 }, size[] = { 2, 2 };
    op_case c;
    op_begin(&c, "CropAndResize", 0);
    attr_float(&c, "extrapolation_value", -7.0f);
    op_input_pattern(&c, FERRY_DT_FLOAT, DIMS(1, 3, 3, 1), 0);
    op_input_floats(&c, DIMS(2, 4), boxes);
    op_input_ints(&c, DIMS(2), ind);
    op_input_ints(&c, DIMS(2), size);
    CHECK_OK(op_call(&c, 1, err_));
    const float *y = c.out[0].t ? c.out[0].t->data : NULL;
    for (int k = 0; y && k < 4; k++)
        CHECK(y[k] == -7.0f);
    CHECK(y && y[4] == (float)pattern(0, 0) && y[7] == (float)pattern(8, 0));
    op_end(&c);
}

/* An empty score tensor may claim any number of classes: the per-batch
 * candidate count must not overflow. */
static void combined_nms_with_huge_empty_class_dim(void)
{
    op_case c;
    op_begin(&c, "CombinedNonMaxSuppression", 0);
    op_input(&c, FERRY_DT_FLOAT, DIMS(1, 0, 1, 4), NULL);
    op_input(&c, FERRY_DT_FLOAT, DIMS(1, 0, (int64_t)1 << 40), NULL);
    op_input_scalar_int(&c, INT32_MAX);
    op_input_scalar_int(&c, 3);
    static const float iou = 0.5f, score = 0.0f;
    op_input_floats(&c, SCALAR, &iou);
    op_input_floats(&c, SCALAR, &score);
    CHECK_OK(op_call(&c, 4, err_));
    CHECK(c.out[0].t && same_shape(c.out[0].t, FERRY_DT_FLOAT, DIMS(1, 3, 4)));
    CHECK_INTS(c.out[3].t, FERRY_DT_INT32, 0);
    op_end(&c);
}

RUN_TESTS("kernels_image", TEST(adjust_hue_ends_on_any_delta), TEST(adjust_saturation_ends_on_infinite_hue),
          TEST(crop_and_resize_extrapolates_unreachable_samples), TEST(combined_nms_with_huge_empty_class_dim))
