/* The neural-network kernels (products, convolutions, pooling,
 * normalization, softmax, resizing, gradients) called directly, against values
 * TensorFlow 2.21 computed for the same inputs (hard-coded below), and
 * against the errors hostile shapes and attributes must give. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <ferry/ferry.h>

#include "base/tensor.h"
#include "check.h"
#include "op_harness.h"
#include "kernels/elementwise.h"
#include "kernels/fast_math.h"

/* ---- matrix products ---------------------------------------------------- */

static void matmul_transposes_and_float64(void)
{
    static const float want[] = { 0.390625f, 0.15625f, -0.078125f, -0.3125f, 2.6875f, 1.703125f, 0.71875f, -0.265625f };
    op_case c;
    op_begin(&c, "MatMul", 0);
    attr_bool(&c, "transpose_a", 1);
    attr_bool(&c, "transpose_b", 1);
    op_input_pattern(&c, FERRY_DT_FLOAT, DIMS(3, 2), 0);
    op_input_pattern(&c, FERRY_DT_FLOAT, DIMS(4, 3), 1);
    CHECK_OK(op_call(&c, 1, err_));
    CHECK_FLOATS(c.out[0].t, want, DIMS(2, 4));
    op_end(&c);

    op_begin(&c, "MatMul", 0);
    op_input_pattern(&c, FERRY_DT_DOUBLE, DIMS(2, 3), 0);
    op_input_pattern(&c, FERRY_DT_DOUBLE, DIMS(3, 2), 1);
    CHECK_OK(op_call(&c, 1, err_));
    CHECK(same_shape(c.out[0].t, FERRY_DT_DOUBLE, DIMS(2, 2)) &&
          check_values(c.out[0].t, (const double[]){ 0.34375, 0.21875, 2.03125, 1.75 }, 4, 0, 0));
    op_end(&c);

    static const int32_t a[] = { 1, -2, 3, 4 }, b[] = { INT32_MAX, 1, 2, 3 };
    op_begin(&c, "MatMul", 0);
    op_input_ints(&c, DIMS(2, 2), a);
    op_input_ints(&c, DIMS(2, 2), b);
    CHECK_OK(op_call(&c, 1, err_));
    CHECK_INTS(c.out[0].t, FERRY_DT_INT32, 2147483643, -5, -2147483643, 15);
    op_end(&c);

    op_begin(&c, "MatMul", 0);
    op_input_pattern(&c, FERRY_DT_FLOAT, DIMS(2, 3), 0);
    op_input_pattern(&c, FERRY_DT_FLOAT, DIMS(2, 3), 1);
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "incompatible: [2,3] and [2,3]", op_call(&c, 1, err_));
    op_end(&c);
}

/* A single row times a matrix takes BLAS's matrix-vector path: every
 * transpose combination must match the plain sum. */
static void one_row_products_match_the_sum(void)
{
    enum { K = 5, N = 7 };
    for (int ta = 0; ta < 2; ta++)
        for (int tb = 0; tb < 2; tb++) {
            op_case c;
            op_begin(&c, "MatMul", 0);
            attr_bool(&c, "transpose_a", ta);
            attr_bool(&c, "transpose_b", tb);
            const ferry_tensor *a = ta ? op_input_pattern(&c, FERRY_DT_FLOAT, DIMS(K, 1), 2)
                                       : op_input_pattern(&c, FERRY_DT_FLOAT, DIMS(1, K), 2);
            const ferry_tensor *b = tb ? op_input_pattern(&c, FERRY_DT_FLOAT, DIMS(N, K), 3)
                                       : op_input_pattern(&c, FERRY_DT_FLOAT, DIMS(K, N), 3);
            CHECK_OK(op_call(&c, 1, err_));
            float want[N];
            const float *x = a->data, *y = b->data;
            for (int j = 0; j < N; j++) {
                double sum = 0;
                for (int k = 0; k < K; k++)
                    sum += (double)x[k] * (tb ? y[j * K + k] : y[k * N + j]);
                want[j] = (float)sum;
            }
            CHECK_FLOATS(c.out[0].t, want, DIMS(1, N));
            op_end(&c);
        }
}

/* Bit for bit what TensorFlow 2.21 computes (tf.quantization.fake_quant_*). */
static int same_floats(const ferry_tensor *t, const float *want, int64_t n)
{
    return t && t->dtype == FERRY_DT_FLOAT && t->count == n && !memcmp(t->data, want, (size_t)n * sizeof(float));
}

static void fake_quant_matches_tensorflow(void)
{
    static const float x[] = { -7.0f, -6.0f, -0.3f, -0.01f, 0.0f, 0.02f, 0.5f, 1.2345f, 3.3f, 5.99f, 6.0f, 9.0f };
    static const float args[] = { -6.023529529571533f, -5.976470470428467f, -0.2823529541492462f, 0.0f, 0.0f, 0.0f,
                                  0.5176470875740051f, 1.2235294580459595f, 3.2941176891326904f, 5.976470470428467f,
                                  5.976470470428467f, 5.976470470428467f };
    static const float narrow4[] = { -1.3714284896850586f, -1.3714284896850586f, -0.45714282989501953f, 0.0f, 0.0f,
                                     0.0f, 0.45714282989501953f, 1.3714284896850586f, 3.1999998092651367f,
                                     5.028571128845215f, 5.028571128845215f, 5.028571128845215f };
    static const float vars[] = { -0.7058823704719543f, -0.7058823704719543f, -0.29647061228752136f,
                                  -0.014117647893726826f, 0.0f, 0.014117647893726826f, 0.4941176772117615f,
                                  1.2282353639602661f, 2.894117832183838f, 2.894117832183838f, 2.894117832183838f,
                                  2.894117832183838f };
    static const float channels[] = { -1.0322580337524414f, -6.193548202514648f, 0.0f, 0.0f, 0.0f, 0.0f,
                                      0.5161290168762207f, 1.1612902879714966f, 3.274193525314331f,
                                      0.9677419066429138f, 5.806451320648193f, 3.5f };
    op_case c;
    op_begin(&c, "FakeQuantWithMinMaxArgs", 0);
    op_input_floats(&c, DIMS(12), x);
    CHECK_OK(op_call(&c, 1, err_));
    CHECK(same_floats(c.out[0].t, args, 12));
    op_end(&c);

    op_begin(&c, "FakeQuantWithMinMaxArgs", 0);
    attr_float(&c, "min", -1.3f);
    attr_float(&c, "max", 5.1f);
    attr_int(&c, "num_bits", 4);
    attr_bool(&c, "narrow_range", 1);
    op_input_floats(&c, DIMS(12), x);
    CHECK_OK(op_call(&c, 1, err_));
    CHECK(same_floats(c.out[0].t, narrow4, 12));
    op_end(&c);

    op_begin(&c, "FakeQuantWithMinMaxVars", 0);
    op_input_floats(&c, DIMS(12), x);
    op_input_floats(&c, SCALAR, (const float[]){ -0.7f });
    op_input_floats(&c, SCALAR, (const float[]){ 2.9f });
    CHECK_OK(op_call(&c, 1, err_));
    CHECK(same_floats(c.out[0].t, vars, 12));
    op_end(&c);

    op_begin(&c, "FakeQuantWithMinMaxVarsPerChannel", 0);
    attr_int(&c, "num_bits", 5);
    op_input_floats(&c, DIMS(4, 3), x);
    op_input_floats(&c, DIMS(3), (const float[]){ -1.0f, -6.0f, 0.5f });
    op_input_floats(&c, DIMS(3), (const float[]){ 1.0f, 6.0f, 4.0f });
    CHECK_OK(op_call(&c, 1, err_));
    CHECK(same_floats(c.out[0].t, channels, 12));
    op_end(&c);

    /* TF: a [0, 0] range gives zeros; an inverted one clamps everything to the nudged min. */
    op_begin(&c, "FakeQuantWithMinMaxVars", 0);
    op_input_floats(&c, DIMS(4), (const float[]){ -1.0f, 0.0f, 0.3f, 2.0f });
    op_input_floats(&c, SCALAR, (const float[]){ 0.0f });
    op_input_floats(&c, SCALAR, (const float[]){ 0.0f });
    CHECK_OK(op_call(&c, 1, err_));
    CHECK(same_floats(c.out[0].t, (const float[]){ 0.0f, 0.0f, 0.0f, 0.0f }, 4));
    op_end(&c);

    op_begin(&c, "FakeQuantWithMinMaxVars", 0);
    op_input_floats(&c, DIMS(4), (const float[]){ -1.0f, 0.0f, 0.3f, 2.0f });
    op_input_floats(&c, SCALAR, (const float[]){ 2.0f });
    op_input_floats(&c, SCALAR, (const float[]){ 1.0f });
    CHECK_OK(op_call(&c, 1, err_));
    CHECK(same_floats(c.out[0].t, (const float[]){ 1.0f, 1.0f, 1.0f, 1.0f }, 4));
    op_end(&c);

    op_begin(&c, "FakeQuantWithMinMaxArgs", 0);
    attr_float(&c, "min", 1.0f);
    attr_float(&c, "max", 1.0f);
    op_input_floats(&c, DIMS(12), x);
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "min has to be smaller than max", op_call(&c, 1, err_));
    op_end(&c);
}

#define BYTES(str) { sizeof(str) - 1, (uint8_t *)(str) }

/* Values recorded from TensorFlow 2.21 running the same nodes. */
static void fused_products_match_tensorflow(void)
{
    static const float a[] = { 0.5f, -1.0f, 2.0f, 1.5f, 0.25f, -3.0f }, b[] = { 1.0f, -2.0f, 0.5f, 0.75f, -1.25f, 2.5f };
    static const struct {
        const char *act;
        float want[4];
    } mm[] = {
        { NULL, { -2.4000000953674316f, 3.049999952316284f, 5.474999904632568f, -10.512499809265137f } },
        { "Relu6", { 0.0f, 3.049999952316284f, 5.474999904632568f, 0.0f } },
        { "LeakyRelu", { -0.7200000286102295f, 3.049999952316284f, 5.474999904632568f, -3.15375018119812f } },
        { "Sigmoid", { 0.08317268639802933f, 0.9547825455665588f, 0.9958272576332092f, 2.719365329539869e-05f } },
        { "GeluExact", { -0.019674325361847878f, 3.0465102195739746f, 5.474999904632568f, -0.0f } },
        { "GeluApproximate", { -0.019276857376098633f, 3.046903371810913f, 5.474999904632568f, -0.0f } },
    };
    for (size_t k = 0; k < sizeof(mm) / sizeof(mm[0]); k++) {
        ProtobufCBinaryData ops[2] = { BYTES("BiasAdd"), { 0, NULL } };
        if (mm[k].act)
            ops[1] = (ProtobufCBinaryData){ strlen(mm[k].act), (uint8_t *)mm[k].act };
        op_case c;
        op_begin(&c, "_FusedMatMul", 0);
        attr_strings(&c, "fused_ops", ops, mm[k].act ? 2 : 1);
        attr_int(&c, "num_args", 1);
        attr_float(&c, "leakyrelu_alpha", 0.3f);
        op_input_floats(&c, DIMS(2, 3), a);
        op_input_floats(&c, DIMS(3, 2), b);
        op_input_floats(&c, DIMS(2), (const float[]){ 0.1f, -0.2f });
        CHECK_OK(op_call(&c, 1, err_));
        CHECK_FLOATS(c.out[0].t, mm[k].want, DIMS(2, 2));
        op_end(&c);
    }

    float x[18], w[16];
    for (int i = 0; i < 18; i++)
        x[i] = (float)(i - 8) * 0.25f;
    for (int i = 0; i < 16; i++)
        w[i] = (float)(i - 7) * 0.125f;
    static const float bias_relu[] = { 4.125f, 1.75f, 4.125f, 2.25f, 2.1875f, 0.625f, 4.125f, 3.25f, 4.125f,
                                       3.75f, 0.6875f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f };
    static const float norm_relu6[] = { 3.9878928661346436f, 1.5838823318481445f, 3.9878928661346436f,
                                        1.9370825290679932f, 1.9333772659301758f, 0.7891813516616821f,
                                        3.9878928661346436f, 2.6434831619262695f, 3.9878928661346436f,
                                        2.9966835975646973f, 0.342784583568573f, 0.2593808174133301f,
                                        0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f };
    for (int bn = 0; bn < 2; bn++) {
        ProtobufCBinaryData ops[2] = { BYTES("BiasAdd"), BYTES("Relu") };
        if (bn) {
            ops[0] = (ProtobufCBinaryData)BYTES("FusedBatchNorm");
            ops[1] = (ProtobufCBinaryData)BYTES("Relu6");
        }
        op_case c;
        op_begin(&c, "_FusedConv2D", 0);
        attr_strings(&c, "fused_ops", ops, 2);
        attr_int(&c, "num_args", bn ? 4 : 1);
        attr_ints(&c, "strides", INTS(1, 1, 1, 1));
        attr_string(&c, "padding", "SAME");
        attr_float(&c, "epsilon", 0.001f);
        op_input_floats(&c, DIMS(1, 3, 3, 2), x);
        op_input_floats(&c, DIMS(2, 2, 2, 2), w);
        if (bn) {
            op_input_floats(&c, DIMS(2), (const float[]){ 1.5f, 0.5f });
            op_input_floats(&c, DIMS(2), (const float[]){ 0.25f, -0.5f });
            op_input_floats(&c, DIMS(2), (const float[]){ 0.1f, -0.2f });
            op_input_floats(&c, DIMS(2), (const float[]){ 2.0f, 0.5f });
        } else {
            op_input_floats(&c, DIMS(2), (const float[]){ 0.5f, -1.0f });
        }
        CHECK_OK(op_call(&c, 1, err_));
        if (bn)
            CHECK_FLOATS(c.out[0].t, norm_relu6, DIMS(1, 3, 3, 2));
        else
            CHECK_FLOATS(c.out[0].t, bias_relu, DIMS(1, 3, 3, 2));
        op_end(&c);
    }
}

/* Values recorded from TensorFlow 2.21 (tf.raw_ops.Conv2DBackpropFilter). */
static void conv2d_filter_gradient_matches_tensorflow(void)
{
    static const float same[] = {
        10.125f, 7.125f, 7.375f, 3.375f, 1.875f, 5.125f, -5.5f, 4.25f, -8.5f, -1.25f, -8.75f, -5.375f, -6.25f, -6.75f,
        -3.375f, -7.125f, 3.625f, -3.375f, -11.125f, -4.25f, -9.625f, -5.875f, -8.125f, -8.875f, -2.125f, -10.625f,
        5.875f, -7.0f, 9.75f, 0.75f, 9.25f, 8.375f, 6.5f, 10.75f, 6.5f, 6.25f, 3.875f, -3.375f, 3.625f, 3.625f,
        10.25f, 7.875f, 12.125f, 10.875f, 3.75f, 8.25f, -4.625f, 5.625f, -6.25f, -1.375f, -6.375f, -5.25f, -6.5f, -7.75f,
    };
    static const float valid[] = {
        -2.25f, 1.125f, 1.875f, 0.0f, -2.625f, 0.875f, 1.75f, 0.0f, -3.0f, 0.625f, 1.625f, 0.0f, 3.5f, 4.5f, 2.875f,
        -1.375f, 3.125f, 4.25f, 2.75f, -1.375f, 1.375f, 1.25f, -1.5f, 2.75f, 2.375f, 1.0f, -3.0f, 0.0f, 2.0f, 0.75f,
        -3.125f, 0.0f, -1.125f, -3.625f, 0.875f, 2.75f, 3.125f, 4.25f, 2.75f, -1.375f, 1.375f, 1.25f, -1.5f, 2.75f,
        2.375f, 1.0f, -3.0f, 0.0f, 2.0f, 0.75f, -3.125f, 0.0f, -1.125f, -3.625f, 0.875f, 2.75f, -1.5f, -5.25f, -2.0f,
        -1.375f, -1.875f, -5.5f, -2.125f, -1.375f, -2.25f, 1.125f, 1.875f, 0.0f, -2.625f, 0.875f, 1.75f, 0.0f,
    };
    float x[120], dy[80];
    for (int i = 0; i < 120; i++)
        x[i] = (float)(i % 11 - 5) * 0.5f;
    for (int pass = 0; pass < 2; pass++) {
        int64_t dy_count = pass ? 2 * 2 * 2 * 4 : 2 * 4 * 5 * 2;
        for (int i = 0; i < dy_count; i++)
            dy[i] = (float)(i % 7 - 3) * 0.25f;
        op_case c;
        op_begin(&c, "Conv2DBackpropFilter", 0);
        static const int64_t strides[2][4] = { { 1, 1, 1, 1 }, { 1, 2, 2, 1 } };
        attr_ints(&c, "strides", strides[pass], 4);
        attr_string(&c, "padding", pass ? "VALID" : "SAME");
        op_input_floats(&c, DIMS(2, 4, 5, 3), x);
        const int32_t sizes[2][4] = { { 3, 3, 3, 2 }, { 2, 3, 3, 4 } };
        op_input(&c, FERRY_DT_INT32, DIMS(4), sizes[pass]);
        if (pass)
            op_input_floats(&c, DIMS(2, 2, 2, 4), dy);
        else
            op_input_floats(&c, DIMS(2, 4, 5, 2), dy);
        CHECK_OK(op_call(&c, 1, err_));
        if (pass)
            CHECK_FLOATS(c.out[0].t, valid, DIMS(2, 3, 3, 4));
        else
            CHECK_FLOATS(c.out[0].t, same, DIMS(3, 3, 3, 2));
        op_end(&c);
    }
}

static void batch_matmul_broadcasts_and_adjoints(void)
{
    static const float bcast[] = {
        0.21875f, 0.09375f, 1.75f, 1.46875f, -0.53125f, -0.65625f, 0.0625f, -0.21875f,
        -1.28125f, -1.40625f, -1.625f, -1.90625f, 0.90625f, 0.765625f, 0.0625f, 0.0625f,
        0.0625f, -0.078125f, 0.0625f, 0.0625f, -0.78125f, -0.921875f, 0.0625f, 0.0625f,
    };
    op_case c;
    op_begin(&c, "BatchMatMulV2", 0);
    op_input_pattern(&c, FERRY_DT_FLOAT, DIMS(2, 1, 2, 3), 0);
    op_input_pattern(&c, FERRY_DT_FLOAT, DIMS(3, 3, 2), 2);
    CHECK_OK(op_call(&c, 1, err_));
    CHECK_FLOATS(c.out[0].t, bcast, DIMS(2, 3, 2, 2));
    op_end(&c);

    static const float adj[] = {
        0.390625f, 0.15625f, -0.078125f, -0.3125f, 2.6875f, 1.703125f, 0.71875f, -0.265625f,
        -0.3125f, -0.59375f, -0.28125f, 0.625f, -0.125f, -0.265625f, -0.40625f, 0.34375f,
    };
    op_begin(&c, "BatchMatMul", 0);
    attr_bool(&c, "adj_x", 1);
    attr_bool(&c, "adj_y", 1);
    op_input_pattern(&c, FERRY_DT_FLOAT, DIMS(2, 3, 2), 0);
    op_input_pattern(&c, FERRY_DT_FLOAT, DIMS(2, 4, 3), 1);
    CHECK_OK(op_call(&c, 1, err_));
    CHECK_FLOATS(c.out[0].t, adj, DIMS(2, 2, 4));
    op_end(&c);

    /* V3: int8 operands, int32 result. */
    int8_t x[6], y[6];
    for (int i = 0; i < 6; i++) {
        x[i] = (int8_t)(pattern(i, 0) * 8);
        y[i] = (int8_t)(pattern(i, 1) * 8);
    }
    op_begin(&c, "BatchMatMulV3", 0);
    attr_type(&c, "Tout", FERRY_DT_INT32);
    op_input(&c, FERRY_DT_INT8, DIMS(2, 3), x);
    op_input(&c, FERRY_DT_INT8, DIMS(3, 2), y);
    CHECK_OK(op_call(&c, 1, err_));
    CHECK_INTS(c.out[0].t, FERRY_DT_INT32, 22, 14, 130, 112);
    op_end(&c);

    op_begin(&c, "BatchMatMulV2", 0);
    op_input_pattern(&c, FERRY_DT_FLOAT, DIMS(2, 2, 3), 0);
    op_input_pattern(&c, FERRY_DT_FLOAT, DIMS(3, 3, 2), 1);
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "incompatible", op_call(&c, 1, err_));
    op_end(&c);

    /* Half operands compute in float. */
    op_begin(&c, "BatchMatMulV2", 0);
    op_input_pattern(&c, FERRY_DT_HALF, DIMS(2, 3), 0);
    op_input_pattern(&c, FERRY_DT_HALF, DIMS(3, 2), 1);
    CHECK_OK(op_call(&c, 1, err_));
    CHECK(same_shape(c.out[0].t, FERRY_DT_HALF, DIMS(2, 2)) &&
          check_values(c.out[0].t, (const double[]){ 0.34375, 0.21875, 2.03125, 1.75 }, 4, 0, 0));
    op_end(&c);
}

/* Empty products never reach BLAS, whatever the other dims. */
static void empty_products(void)
{
    op_case c;
    op_begin(&c, "MatMul", 0);
    op_input(&c, FERRY_DT_FLOAT, DIMS(3, 0), NULL);
    op_input(&c, FERRY_DT_FLOAT, DIMS(0, 2), NULL);
    CHECK_OK(op_call(&c, 1, err_));
    CHECK(same_shape(c.out[0].t, FERRY_DT_FLOAT, DIMS(3, 2)) &&
          check_values(c.out[0].t, (const double[]){ 0, 0, 0, 0, 0, 0 }, 6, 0, 0));
    op_end(&c);
    op_begin(&c, "MatMul", 0);
    op_input(&c, FERRY_DT_FLOAT, DIMS(0, (int64_t)1 << 40), NULL);
    op_input(&c, FERRY_DT_FLOAT, DIMS((int64_t)1 << 40, 0), NULL);
    CHECK_OK(op_call(&c, 1, err_));
    CHECK(same_shape(c.out[0].t, FERRY_DT_FLOAT, DIMS(0, 0)));
    op_end(&c);
}

typedef struct einsum_case {
    const char *eq;
    int64_t a[4];
    int ra;
    int64_t b[4];
    int rb; /* -1: one operand */
    int64_t out[4];
    int ro;
    float want[32];
} einsum_case;

static const einsum_case einsum_cases[] = {
    { "abc,cd->abd", { 2, 3, 4 }, 3, { 4, 5 }, 2, { 2, 3, 5 }, 3,
      {
          -1.484375f, -1.71875f, -1.953125f, -2.1875f, -0.34375f, 0.8125f, 0.53125f, 0.25f,
          -0.03125f, 0.578125f, 0.4375f, 0.40625f, 0.375f, 0.34375f, 0.015625f, 0.0625f,
          0.28125f, 0.5f, 0.71875f, -0.546875f, -0.3125f, 0.15625f, 0.625f, 1.09375f,
          -1.109375f, 1.09375f, 0.625f, 0.15625f, -0.3125f, 1.0f,
      } },
    { "aecd,abcd->acbe", { 2, 3, 2, 4 }, 4, { 2, 2, 2, 4 }, 4, { 2, 2, 2, 3 }, 4,
      {
          1.390625f, 0.3125f, -3.4375f, -0.484375f, 0.0625f, 0.3125f, 1.0625f, -0.6875f,
          1.71875f, -1.1875f, 1.0625f, -2.03125f, -1.1875f, 0.6875f, -1.890625f, 0.625f,
          -0.625f, 1.09375f, -0.125f, -1.890625f, 1.09375f, 0.125f, -0.015625f, -0.15625f,
      } },
    { "acbe,aecd->abcd", { 2, 2, 3, 3 }, 4, { 2, 3, 2, 2 }, 4, { 2, 3, 2, 2 }, 4,
      {
          -0.4375f, -0.5625f, 0.125f, 0.125f, 1.53125f, 1.25f, -0.296875f, -0.15625f,
          0.828125f, 0.6875f, -0.71875f, -0.4375f, 2.484375f, 2.609375f, -0.296875f, -0.046875f,
          -0.390625f, -0.71875f, 0.078125f, -0.421875f, -0.296875f, -0.484375f, 0.453125f, -0.796875f,
      } },
    { "abc,cde->abde", { 2, 2, 3 }, 3, { 3, 2, 2 }, 3, { 2, 2, 2, 2 }, 4,
      {
          -0.4375f, -0.5625f, -0.6875f, -0.8125f, 1.53125f, 1.25f, 0.96875f, 0.6875f,
          0.828125f, 0.6875f, 0.546875f, 0.40625f, 0.125f, 0.125f, 0.125f, 0.125f,
      } },
    { "abcd,cde->abe", { 2, 2, 3, 2 }, 4, { 3, 2, 2 }, 3, { 2, 2, 2 }, 3,
      { 0.6875f, 0.28125f, 1.109375f, 0.96875f, -1.140625f, -0.71875f, -1.015625f, -1.21875f } },
    { "...ij,...jk->...ik", { 2, 1, 2, 3 }, 4, { 3, 3, 2 }, 3, { 2, 3, 2, 2 }, 4,
      {
          0.34375f, 0.21875f, 2.03125f, 1.75f, -0.40625f, -0.53125f, 0.34375f, 0.0625f,
          -1.15625f, -1.28125f, -1.34375f, -1.625f, 1.046875f, 0.90625f, 0.0625f, 0.0625f,
          0.203125f, 0.0625f, 0.0625f, 0.0625f, -0.640625f, -0.78125f, 0.0625f, 0.0625f,
      } },
    { "ij,jk", { 2, 3 }, 2, { 3, 2 }, 2, { 2, 2 }, 2,
      { 0.34375f, 0.21875f, 2.03125f, 1.75f } },
    { "bij,bjk->bki", { 2, 2, 3 }, 3, { 2, 3, 2 }, 3, { 2, 2, 2 }, 3,
      { 0.34375f, 2.03125f, 0.21875f, 1.75f, 0.203125f, 0.0625f, 0.0625f, 0.0625f } },
    { "ab,b->a", { 3, 2 }, 2, { 2 }, 1, { 3 }, 1,
      { -0.140625f, 2.0f, 1.46875f } },
    { "ab,cb->", { 2, 2 }, 2, { 3, 2 }, 2, { 0 }, 0,
      { 4.171875f } },
    { "a b c , c d -> a b d", { 2, 3, 4 }, 3, { 4, 5 }, 2, { 2, 3, 5 }, 3,
      {
          -1.484375f, -1.71875f, -1.953125f, -2.1875f, -0.34375f, 0.8125f, 0.53125f, 0.25f,
          -0.03125f, 0.578125f, 0.4375f, 0.40625f, 0.375f, 0.34375f, 0.015625f, 0.0625f,
          0.28125f, 0.5f, 0.71875f, -0.546875f, -0.3125f, 0.15625f, 0.625f, 1.09375f,
          -1.109375f, 1.09375f, 0.625f, 0.15625f, -0.3125f, 1.0f,
      } },
    { "ij->ji", { 2, 3 }, 2, { 0 }, -1, { 3, 2 }, 2,
      { -1.125f, 0.875f, 1.125f, 0.75f, 1.0f, 0.625f } },
    { "ijk->j", { 2, 3, 2 }, 3, { 0 }, -1, { 3 }, 1,
      { 0.875f, 2.25f, 1.25f } },
    { "ij->", { 2, 3 }, 2, { 0 }, -1, { 0 }, 0,
      { 3.25f } },
    { "...j->...", { 2, 3 }, 2, { 0 }, -1, { 2 }, 1,
      { 1.0f, 2.25f } },
};

static void einsum_matches_tensorflow(void)
{
    for (size_t k = 0; k < sizeof(einsum_cases) / sizeof(einsum_cases[0]); k++) {
        const einsum_case *e = &einsum_cases[k];
        op_case c;
        op_begin(&c, "Einsum", 0);
        attr_string(&c, "equation", e->eq);
        op_input_pattern(&c, FERRY_DT_FLOAT, e->a, e->ra, 0);
        if (e->rb >= 0)
            op_input_pattern(&c, FERRY_DT_FLOAT, e->b, e->rb, 1);
        CHECK_OK(op_call(&c, 1, err_));
        int64_t n = 1;
        for (int d = 0; d < e->ro; d++)
            n *= e->out[d];
        if (!floats_match(c.out[0].t, e->want, (size_t)n, e->out, e->ro)) {
            fprintf(stderr, "  equation %s\n", e->eq);
            CHECK(0);
        }
        op_end(&c);
    }
}

static void einsum_rejects_what_it_cannot_do(void)
{
    static const struct {
        const char *eq;
        ferry_status code;
        const char *needle;
    } bad[] = {
        { "ii,jk->i", FERRY_ERR_UNSUPPORTED, "repeated labels" },
        { "ij,jk->ik,", FERRY_ERR_INVALID_ARGUMENT, "bad subscripts" },
        { "ijk,jk->ik", FERRY_ERR_INVALID_ARGUMENT, "operand 0 has rank 2" },
        { "ij,jk->iz", FERRY_ERR_INVALID_ARGUMENT, "unknown or repeated" },
        { "ij,jk->ii", FERRY_ERR_INVALID_ARGUMENT, "unknown or repeated" },
        { "ij,ik->jk", FERRY_ERR_INVALID_ARGUMENT, "disagree" },
        { "ij->ik", FERRY_ERR_INVALID_ARGUMENT, "does not have 2 operands" },
    };
    for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
        op_case c;
        op_begin(&c, "Einsum", 0);
        attr_string(&c, "equation", bad[k].eq);
        op_input_pattern(&c, FERRY_DT_FLOAT, DIMS(2, 3), 0);
        op_input_pattern(&c, FERRY_DT_FLOAT, DIMS(3, 2), 1);
        CHECK_FAILS(bad[k].code, bad[k].needle, op_call(&c, 1, err_));
        op_end(&c);
    }
}

static void bias_add_in_both_layouts(void)
{
    static const float bias[] = { 1, 2, 3 };
    static const float nhwc[] = { -0.125f, 3.125f, 4.0f, 1.875f, 2.75f, 3.625f };
    static const float nchw[] = { -0.125f, 2.125f, 2.0f, 1.875f, 2.75f, 2.625f, 2.5f, 2.375f, 3.25f, 3.125f, 3.0f, 2.875f };
    op_case c;
    op_begin(&c, "BiasAdd", 0);
    op_input_pattern(&c, FERRY_DT_FLOAT, DIMS(2, 3), 0);
    op_input_floats(&c, DIMS(3), bias);
    CHECK_OK(op_call(&c, 1, err_));
    CHECK_FLOATS(c.out[0].t, nhwc, DIMS(2, 3));
    op_end(&c);
    op_begin(&c, "BiasAdd", 0);
    attr_string(&c, "data_format", "NCHW");
    op_input_pattern(&c, FERRY_DT_FLOAT, DIMS(1, 3, 2, 2), 0);
    op_input_floats(&c, DIMS(3), bias);
    CHECK_OK(op_call(&c, 1, err_));
    CHECK_FLOATS(c.out[0].t, nchw, DIMS(1, 3, 2, 2));
    op_end(&c);
    op_begin(&c, "BiasAddV1", 0);
    op_input_pattern(&c, FERRY_DT_FLOAT, DIMS(3, 2), 0);
    op_input_floats(&c, DIMS(3), bias);
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "3 values", op_call(&c, 1, err_));
    op_end(&c);
}

/* A row with one large logit: the max shift keeps it finite. */
static void softmax_and_log_softmax(void)
{
    static const float soft[] = {
        1.21535018e-10f, 0.71833533f, 0.205806509f, 0.0589645617f, 0.016893629f, 1.0f, 2.67863736e-33f, 7.67442517e-34f,
        2.19875943e-34f, 6.29955229e-35f,
    };
    static const float logsoft[] = {
        -22.8308182f, -0.330818772f, -1.58081877f, -2.83081865f, -4.08081865f, 0.0f, -75.0f, -76.25f, -77.5f, -78.75f,
    };
    float x[10];
    for (int i = 0; i < 10; i++)
        x[i] = (float)pattern(i, 0) * 10;
    x[5] = 80;
    for (int k = 0; k < 2; k++) {
        op_case c;
        op_begin(&c, k ? "LogSoftmax" : "Softmax", 0);
        op_input_floats(&c, DIMS(2, 5), x);
        CHECK_OK(op_call(&c, 1, err_));
        if (k)
            CHECK_FLOATS(c.out[0].t, logsoft, DIMS(2, 5));
        else
            CHECK_FLOATS(c.out[0].t, soft, DIMS(2, 5));
        op_end(&c);
    }
    op_case c;
    op_begin(&c, "Softmax", 0);
    op_input_floats(&c, SCALAR, x);
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "rank 1", op_call(&c, 1, err_));
    op_end(&c);
}

static void cross_entropy_and_l2_loss(void)
{
    static const float logits[] = { 1, 2, 3, 0.5f, -1, 80 }, dense[] = { 0.2f, 0.3f, 0.5f, 1, 0, 0 };
    static const int32_t sparse[] = { 2, 0 };
    static const float sparse_loss[] = { 0.40760595f, 79.5f }, dense_loss[] = { 1.1076059f, 79.5f };
    static const float sparse_back[] = { 9.0030573e-02f, 2.4472848e-01f, -3.3475906e-01f, -1, 6.6396770e-36f, 1 };
    static const float dense_back[] = { -1.0996943e-01f, -5.5271536e-02f, 1.6524094e-01f, -1, 6.6396770e-36f, 1 };
    op_case c;
    op_begin(&c, "SparseSoftmaxCrossEntropyWithLogits", 0);
    op_input_floats(&c, DIMS(2, 3), logits);
    op_input_ints(&c, DIMS(2), sparse);
    CHECK_OK(op_call(&c, 2, err_));
    CHECK_FLOATS(c.out[0].t, sparse_loss, DIMS(2));
    CHECK_FLOATS(c.out[1].t, sparse_back, DIMS(2, 3));
    op_end(&c);
    op_begin(&c, "SoftmaxCrossEntropyWithLogits", 0);
    op_input_floats(&c, DIMS(2, 3), logits);
    op_input_floats(&c, DIMS(2, 3), dense);
    CHECK_OK(op_call(&c, 2, err_));
    CHECK_FLOATS(c.out[0].t, dense_loss, DIMS(2));
    CHECK_FLOATS(c.out[1].t, dense_back, DIMS(2, 3));
    op_end(&c);
    op_begin(&c, "SparseSoftmaxCrossEntropyWithLogits", 0);
    op_input_floats(&c, DIMS(2, 3), logits);
    op_input_ints(&c, DIMS(2), (const int32_t[]){ 3, 0 });
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "label 3 is outside the valid range [0, 3)", op_call(&c, 2, err_));
    op_end(&c);

    static const float t[] = { 1, 2, 3, -4 }, half_sum[] = { 15 };
    op_begin(&c, "L2Loss", 0);
    op_input_floats(&c, DIMS(2, 2), t);
    CHECK_OK(op_call(&c, 1, err_));
    CHECK_FLOATS(c.out[0].t, half_sum, SCALAR);
    op_end(&c);
}

/* ---- convolutions ------------------------------------------------------- */

/* conv op over pattern inputs x (seed 0) and filter (seed 1). */
static void conv_case(op_case *c, const char *op, const int64_t *x, int xr, const int64_t *f, int fr, const char *padding)
{
    op_begin(c, op, 0);
    attr_string(c, "padding", padding);
    op_input_pattern(c, FERRY_DT_FLOAT, x, xr, 0);
    op_input_pattern(c, FERRY_DT_FLOAT, f, fr, 1);
}

static void conv2d_matches_tensorflow(void)
{
    op_case c;
    static const float same_s2[] = { -1.5f, -1.953125f, 3.9375f, 1.921875f, -3.671875f, -3.109375f, 3.3125f, 2.28125f };
    conv_case(&c, "Conv2D", DIMS(1, 4, 4, 2), DIMS(3, 3, 2, 2), "SAME");
    attr_ints(&c, "strides", INTS(1, 2, 2, 1));
    CHECK_OK(op_call(&c, 1, err_));
    CHECK_FLOATS(c.out[0].t, same_s2, DIMS(1, 2, 2, 2));
    op_end(&c);

    static const float dilated[] = {
        -0.859375f, 1.34375f, 0.875f, 0.40625f, 0.78125f, 0.3125f, 1.921875f, 1.453125f,
        0.046875f, -0.421875f, -0.890625f, -1.359375f,
    };
    conv_case(&c, "Conv2D", DIMS(1, 5, 6, 1), DIMS(2, 2, 1, 1), "VALID");
    attr_ints(&c, "strides", INTS(1, 1, 1, 1));
    attr_ints(&c, "dilations", INTS(1, 2, 2, 1));
    CHECK_OK(op_call(&c, 1, err_));
    CHECK_FLOATS(c.out[0].t, dilated, DIMS(1, 3, 4, 1));
    op_end(&c);

    static const float explicit_nchw[] = {
        -0.578125f, -0.15625f, 0.140625f, 0.0f, -0.359375f, 2.0625f, 1.15625f, 0.0f,
        1.5625f, 1.3125f, 0.40625f, 0.0f, -0.59375f, -0.40625f, 0.03125f, 0.0f,
        -0.5f, 1.75f, 1.03125f, 0.0f, 1.5f, 1.375f, 0.46875f, 0.0f,
    };
    conv_case(&c, "Conv2D", DIMS(1, 2, 3, 3), DIMS(2, 2, 2, 2), "EXPLICIT");
    attr_string(&c, "data_format", "NCHW");
    attr_ints(&c, "strides", INTS(1, 1, 1, 1));
    attr_ints(&c, "explicit_paddings", INTS(0, 0, 0, 0, 1, 0, 0, 2));
    CHECK_OK(op_call(&c, 1, err_));
    CHECK_FLOATS(c.out[0].t, explicit_nchw, DIMS(1, 2, 3, 4));
    op_end(&c);

    /* Four input channels over a filter of two: two groups. */
    static const float grouped[] = {
        -1.234375f, -1.125f, 1.03125f, -0.09375f, 1.5625f, 1.28125f, 0.96875f, -1.4375f,
        -0.265625f, -0.140625f, -0.046875f, 1.21875f, -1.921875f, -1.890625f, -1.890625f, -1.90625f,
    };
    conv_case(&c, "Conv2D", DIMS(1, 3, 3, 4), DIMS(2, 2, 2, 4), "VALID");
    attr_ints(&c, "strides", INTS(1, 1, 1, 1));
    CHECK_OK(op_call(&c, 1, err_));
    CHECK_FLOATS(c.out[0].t, grouped, DIMS(1, 2, 2, 4));
    op_end(&c);

    static const float pointwise[] = { 0.34375f, 0.21875f, 2.03125f, 1.75f, 1.046875f, 0.90625f, 0.0625f, 0.0625f };
    conv_case(&c, "Conv2D", DIMS(1, 2, 2, 3), DIMS(1, 1, 3, 2), "SAME");
    attr_ints(&c, "strides", INTS(1, 1, 1, 1));
    CHECK_OK(op_call(&c, 1, err_));
    CHECK_FLOATS(c.out[0].t, pointwise, DIMS(1, 2, 2, 2));
    op_end(&c);
}

/* Depthwise over 40 channels (a 32-channel span and a tail of 8), multiplier
 * 1 and 2, SAME and VALID, strides 1 and 2: every output equals the window's
 * products summed in TensorFlow's order (taps row by row), bit for bit. */
static void depthwise_wide_matches_direct_sums(void)
{
    enum { N = 2, H = 7, W = 9, C = 40 };
    static const struct { const char *padding; int stride, mult; } cases[] = {
        { "SAME", 1, 1 }, { "SAME", 2, 1 }, { "VALID", 1, 1 }, { "SAME", 2, 2 },
    };
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        int s = cases[k].stride, mult = cases[k].mult, same = !strcmp(cases[k].padding, "SAME");
        op_case c;
        conv_case(&c, "DepthwiseConv2dNative", DIMS(N, H, W, C), DIMS(3, 3, C, mult), cases[k].padding);
        attr_ints(&c, "strides", INTS(1, s, s, 1));
        CHECK_OK(op_call(&c, 1, err_));
        int oh = same ? (H + s - 1) / s : (H - 3) / s + 1, ow = same ? (W + s - 1) / s : (W - 3) / s + 1;
        int ph = same ? ((oh - 1) * s + 3 - H) / 2 : 0, pw = same ? ((ow - 1) * s + 3 - W) / 2 : 0;
        const ferry_tensor *y = c.out[0].t;
        CHECK(y && y->rank == 4 && y->dims[1] == oh && y->dims[2] == ow && y->dims[3] == C * mult);
        const float *x = c.in[0].t->data, *f = c.in[1].t->data, *yv = y ? y->data : NULL;
        int bad = 0;
        for (int n = 0; yv && n < N; n++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                    for (int o = 0; o < C * mult; o++) {
                        float acc = 0;
                        for (int a = 0; a < 3; a++)
                            for (int b = 0; b < 3; b++) {
                                int ih = i * s - ph + a, iw = j * s - pw + b;
                                if (ih >= 0 && ih < H && iw >= 0 && iw < W)
                                    acc += x[((n * H + ih) * W + iw) * C + o / mult] * f[(a * 3 + b) * C * mult + o];
                            }
                        bad += yv[((n * oh + i) * ow + j) * C * mult + o] != acc;
                    }
        CHECK(bad == 0);
        op_end(&c);
    }
}

static void conv3d_depthwise_and_transposed(void)
{
    op_case c;
    static const float conv3d[] = {
        0.890625f, 0.75f, 1.6875f, 1.5625f, 0.90625f, 0.96875f, 0.171875f, 0.25f,
        -1.15625f, -1.125f, 1.734375f, 1.5f, 1.140625f, 1.0f, 0.421875f, 0.375f,
    };
    conv_case(&c, "Conv3D", DIMS(1, 3, 3, 3, 1), DIMS(2, 2, 2, 1, 2), "SAME");
    attr_ints(&c, "strides", INTS(1, 2, 2, 2, 1));
    CHECK_OK(op_call(&c, 1, err_));
    CHECK_FLOATS(c.out[0].t, conv3d, DIMS(1, 2, 2, 2, 2));
    op_end(&c);

    static const float depthwise[] = {
        -1.828125f, -1.828125f, 0.328125f, -0.125f, 2.25f, 1.9375f, 1.6875f, -0.015625f,
        -1.765625f, -1.828125f, -1.90625f, -1.28125f, 1.875f, 1.625f, 1.4375f, 0.65625f,
    };
    conv_case(&c, "DepthwiseConv2dNative", DIMS(1, 4, 4, 2), DIMS(3, 3, 2, 2), "SAME");
    attr_ints(&c, "strides", INTS(1, 2, 2, 1));
    CHECK_OK(op_call(&c, 1, err_));
    CHECK_FLOATS(c.out[0].t, depthwise, DIMS(1, 2, 2, 4));
    op_end(&c);

    static const float transposed[] = {
        0.734375f, 0.359375f, -0.015625f, -0.390625f, 1.515625f, 0.296875f, 0.59375f, -0.25f,
        3.53125f, 0.484375f, 0.109375f, -0.265625f, -0.15625f, 0.703125f, 0.875f, 0.03125f,
        2.140625f, 1.34375f, 0.546875f, -0.25f, -2.03125f, 0.1875f, 1.1875f, 0.34375f,
        0.109375f, 0.875f, 0.453125f, 0.03125f, -0.65625f, -0.78125f, 0.03125f, 0.03125f,
    };
    static const int32_t sizes[] = { 1, 4, 4, 2 };
    op_begin(&c, "Conv2DBackpropInput", 0);
    attr_string(&c, "padding", "SAME");
    attr_ints(&c, "strides", INTS(1, 2, 2, 1));
    op_input_ints(&c, DIMS(4), sizes);
    op_input_pattern(&c, FERRY_DT_FLOAT, DIMS(3, 3, 2, 3), 1);
    op_input_pattern(&c, FERRY_DT_FLOAT, DIMS(1, 2, 2, 3), 0);
    CHECK_OK(op_call(&c, 1, err_));
    CHECK_FLOATS(c.out[0].t, transposed, DIMS(1, 4, 4, 2));
    op_end(&c);
}

static void conv_rejects_bad_geometry(void)
{
    op_case c;
    conv_case(&c, "Conv2D", DIMS(1, 3, 3, 4), DIMS(5, 2, 4, 6), "VALID");
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "would be negative", op_call(&c, 1, err_));
    op_end(&c);
    conv_case(&c, "Conv2D", DIMS(1, 3, 3, 4), DIMS(2, 2, 3, 6), "VALID");
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "depth 4", op_call(&c, 1, err_));
    op_end(&c);
    conv_case(&c, "Conv2D", DIMS(1, 3, 3, 0), DIMS(2, 2, 2, 6), "VALID");
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "depth 0", op_call(&c, 1, err_));
    op_end(&c);
    conv_case(&c, "Conv2D", DIMS(1, 3, 3, 2), DIMS(2, 2, 2, 2), "SAME");
    attr_ints(&c, "strides", INTS(2, 1, 1, 1));
    CHECK_FAILS(FERRY_ERR_UNSUPPORTED, "batch and channel", op_call(&c, 1, err_));
    op_end(&c);
    conv_case(&c, "Conv2D", DIMS(1, 3, 3, 2), DIMS(2, 2, 2, 2), "SAME");
    attr_ints(&c, "strides", INTS(1, 0, 1, 1));
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "out of range", op_call(&c, 1, err_));
    op_end(&c);
    conv_case(&c, "Conv2D", DIMS(1, 3, 3, 2), DIMS(2, 2, 2, 2), "FULL");
    CHECK_FAILS(FERRY_ERR_UNSUPPORTED, "padding 'FULL'", op_call(&c, 1, err_));
    op_end(&c);
    conv_case(&c, "Conv2D", DIMS(1, 3, 3, 2), DIMS(2, 2, 2, 2), "EXPLICIT");
    attr_ints(&c, "explicit_paddings", INTS(0, 0, 1, 1, 1, 1, 0, 0, 9));
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "8 values", op_call(&c, 1, err_));
    op_end(&c);
    conv_case(&c, "Conv2D", DIMS(1, 3, 3, 2), DIMS(2, 2, 2, 2), "SAME");
    attr_string(&c, "data_format", "NDHWC");
    CHECK_FAILS(FERRY_ERR_UNSUPPORTED, "data_format NDHWC", op_call(&c, 1, err_));
    op_end(&c);
    /* Huge windows over empty batches: no overflow, no work. */
    conv_case(&c, "Conv2D", DIMS(0, (int64_t)1 << 40, 3, 2), DIMS(2, 2, 2, 2), "SAME");
    CHECK_FAILS(FERRY_ERR_UNSUPPORTED, "window dims", op_call(&c, 1, err_));
    op_end(&c);
    conv_case(&c, "Conv2D", DIMS(0, 1 << 20, 1 << 20, 2), DIMS(1 << 20, 1 << 20, 2, 0), "VALID");
    CHECK_OK(op_call(&c, 1, err_));
    CHECK(same_shape(c.out[0].t, FERRY_DT_FLOAT, DIMS(0, 1, 1, 0)));
    op_end(&c);
    static const int32_t sizes[] = { 1, 4, 4, 2 };
    op_begin(&c, "Conv2DBackpropInput", 0);
    attr_string(&c, "padding", "VALID");
    op_input_ints(&c, DIMS(4), sizes);
    op_input_pattern(&c, FERRY_DT_FLOAT, DIMS(3, 3, 2, 3), 1);
    op_input_pattern(&c, FERRY_DT_FLOAT, DIMS(1, 2, 3, 3), 0);
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "out_backprop is [1,2,3,3] where [1,2,2,3]", op_call(&c, 1, err_));
    op_end(&c);
}

/* ---- pooling ------------------------------------------------------------ */

static void pool_case(op_case *c, const char *op, const int64_t *x, int xr, const char *padding)
{
    op_begin(c, op, 0);
    attr_string(c, "padding", padding);
    op_input_pattern(c, FERRY_DT_FLOAT, x, xr, 0);
}

/* SAME averages count only the window's valid elements. */
static void pooling_matches_tensorflow(void)
{
    op_case c;
    static const float max_same[] = {
        1.125f, 1.125f, 0.875f, 0.625f, 0.5f, 0.25f, 1.125f, 1.0f,
        0.75f,
    };
    static const float avg_same[] = {
        0.28125f, 0.6875f, 0.5f, -0.0625f, -0.25f, -0.4375f, 0.1875f, 0.0f,
        -0.1875f,
    };
    static const float avg_valid[] = { 0.03125f, 0.5f, 0.125f, 0.0f, -0.1875f, -0.3125f, 0.5f, 0.375f };
    for (int avg = 0; avg < 2; avg++) {
        pool_case(&c, avg ? "AvgPool" : "MaxPool", DIMS(1, 5, 5, 1), "SAME");
        attr_ints(&c, "ksize", INTS(1, 3, 3, 1));
        attr_ints(&c, "strides", INTS(1, 2, 2, 1));
        CHECK_OK(op_call(&c, 1, err_));
        if (avg)
            CHECK_FLOATS(c.out[0].t, avg_same, DIMS(1, 3, 3, 1));
        else
            CHECK_FLOATS(c.out[0].t, max_same, DIMS(1, 3, 3, 1));
        op_end(&c);
    }
    pool_case(&c, "AvgPool", DIMS(1, 4, 4, 2), "VALID");
    attr_ints(&c, "ksize", INTS(1, 2, 2, 1));
    attr_ints(&c, "strides", INTS(1, 2, 2, 1));
    CHECK_OK(op_call(&c, 1, err_));
    CHECK_FLOATS(c.out[0].t, avg_valid, DIMS(1, 2, 2, 2));
    op_end(&c);

    static const int32_t k[] = { 1, 3, 3, 1 }, s[] = { 1, 2, 2, 1 };
    pool_case(&c, "MaxPoolV2", DIMS(1, 5, 5, 1), "SAME");
    op_input_ints(&c, DIMS(4), k);
    op_input_ints(&c, DIMS(4), s);
    CHECK_OK(op_call(&c, 1, err_));
    CHECK_FLOATS(c.out[0].t, max_same, DIMS(1, 3, 3, 1));
    op_end(&c);

    static const float max3d[] = {
        1.125f, 1.125f, 0.875f, 0.75f, -0.125f, -0.25f, -0.625f, -0.75f,
        0.75f, 1.125f, 1.0f, 0.875f, 0.0f, -0.125f, -0.5f, -0.625f,
    };
    static const float avg3d[] = {
        0.21875f, 0.390625f, 0.4375f, 0.3125f, -0.3125f, -0.4375f, -0.6875f, -0.8125f,
        -0.1875f, 0.28125f, 0.625f, 0.5f, -0.125f, -0.25f, -0.5f, -0.625f,
    };
    for (int avg = 0; avg < 2; avg++) {
        pool_case(&c, avg ? "AvgPool3D" : "MaxPool3D", DIMS(1, 3, 3, 3, 2), "SAME");
        attr_ints(&c, "ksize", INTS(1, 2, 2, 2, 1));
        attr_ints(&c, "strides", INTS(1, 2, 2, 2, 1));
        CHECK_OK(op_call(&c, 1, err_));
        if (avg)
            CHECK_FLOATS(c.out[0].t, avg3d, DIMS(1, 2, 2, 2, 2));
        else
            CHECK_FLOATS(c.out[0].t, max3d, DIMS(1, 2, 2, 2, 2));
        op_end(&c);
    }
}

/* TF's CPU pools only NHWC; NCHW must give the same numbers, transposed. */
static void pooling_channels_first_is_a_transpose(void)
{
    op_case c, d;
    pool_case(&c, "AvgPool", DIMS(1, 4, 5, 3), "SAME");
    attr_ints(&c, "ksize", INTS(1, 2, 3, 1));
    attr_ints(&c, "strides", INTS(1, 2, 2, 1));
    CHECK_OK(op_call(&c, 1, err_));
    op_begin(&d, "AvgPool", 0);
    attr_string(&d, "padding", "SAME");
    attr_string(&d, "data_format", "NCHW");
    attr_ints(&d, "ksize", INTS(1, 1, 2, 3));
    attr_ints(&d, "strides", INTS(1, 1, 2, 2));
    ferry_tensor *x = op_input(&d, FERRY_DT_FLOAT, DIMS(1, 3, 4, 5), NULL);
    for (int64_t i = 0; i < 60; i++)
        ((float *)x->data)[(i % 3) * 20 + i / 3] = (float)pattern(i, 0);
    CHECK_OK(op_call(&d, 1, err_));
    const ferry_tensor *a = c.out[0].t, *b = d.out[0].t;
    CHECK(same_shape(b, FERRY_DT_FLOAT, DIMS(1, 3, 2, 3)));
    for (int64_t i = 0; a && b && i < 18; i++)
        CHECK(((const float *)a->data)[i] == ((const float *)b->data)[(i % 3) * 6 + i / 3]);
    op_end(&c);
    op_end(&d);
}

static void pooling_rejects_bad_windows(void)
{
    op_case c;
    pool_case(&c, "MaxPool", DIMS(1, 3, 3, 4), "VALID");
    attr_ints(&c, "ksize", INTS(1, 5, 1, 1));
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "would be negative", op_call(&c, 1, err_));
    op_end(&c);
    pool_case(&c, "MaxPool", DIMS(1, 3, 3, 4), "VALID");
    attr_ints(&c, "ksize", INTS(1, 2, 2, 2));
    CHECK_FAILS(FERRY_ERR_UNSUPPORTED, "ksize other than 1", op_call(&c, 1, err_));
    op_end(&c);
    pool_case(&c, "AvgPool", DIMS(1, 3, 3, 4), "VALID");
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "ksize is missing", op_call(&c, 1, err_));
    op_end(&c);
    pool_case(&c, "MaxPool", DIMS(3, 4), "VALID");
    attr_ints(&c, "ksize", INTS(1, 1));
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "rank 4 or 5", op_call(&c, 1, err_));
    op_end(&c);
}

/* ---- normalization, resizing, gradients --------------------------------- */

static void batch_norm_case(op_case *c, int training, float factor)
{
    static const float scale[] = { 1, 2, 0.5f }, offset[] = { 0.1f, 0, -1 }, mean[] = { 0.2f, -0.1f, 0 };
    static const float var[] = { 1, 0.5f, 2 };
    op_begin(c, "FusedBatchNormV3", 0);
    attr_float(c, "epsilon", 0.001f);
    attr_bool(c, "is_training", training);
    attr_float(c, "exponential_avg_factor", factor);
    op_input_pattern(c, FERRY_DT_FLOAT, DIMS(2, 2, 2, 3), 0);
    op_input_floats(c, DIMS(3), scale);
    op_input_floats(c, DIMS(3), offset);
    op_input_floats(c, DIMS(3), mean);
    op_input_floats(c, DIMS(3), var);
}

static void fused_batch_norm_inference_and_training(void)
{
    op_case c;
    static const float infer[] = {
        -1.22433805f, 3.46136379f, -0.64653492f, 0.774662793f, 2.40176272f, -0.779084325f, 0.39985013f, 1.34216142f,
        -0.91163373f, 0.0250374675f, 0.282560319f, -1.04418314f, -0.349775165f, -0.777040839f, -1.17673254f, -0.724587798f,
        -1.83664191f, -1.30928195f, -1.09940052f, -2.8962431f, -0.602351785f, 0.899600327f, 2.75496292f, -0.73490119f,
    };
    batch_norm_case(&c, 0, 1);
    CHECK_OK(op_call(&c, 6, err_));
    CHECK_FLOATS(c.out[0].t, infer, DIMS(2, 2, 2, 3));
    static const float mean[] = { 0.2f, -0.1f, 0 }, var[] = { 1, 0.5f, 2 };
    CHECK_FLOATS(c.out[1].t, mean, DIMS(3));
    CHECK_FLOATS(c.out[2].t, var, DIMS(3));
    CHECK_FLOATS(c.out[3].t, mean, DIMS(3));
    CHECK_FLOATS(c.out[4].t, var, DIMS(3));
    CHECK(same_shape(c.out[5].t, FERRY_DT_FLOAT, DIMS(0)));
    op_end(&c);

    /* Training: batch statistics, folded half-way into the running ones. */
    static const float train_y[] = {
        -1.28226912f, 2.67425418f, -0.470683038f, 1.31964934f, 1.6868372f, -0.746848404f, 0.831789613f, 0.699420273f,
        -1.02301383f, 0.343929857f, -0.28799659f, -1.2991792f, -0.143929869f, -1.27541351f, -1.57534456f, -0.631789565f,
        -2.2628305f, -1.85150993f, -1.11964929f, -3.25024724f, -0.378627896f, 1.48226917f, 2.01597619f, -0.654793262f,
    };
    static const float train_mean[] = { 0.0687500015f, 0.00468749925f, 0.140625f };
    static const float train_var[] = { 0.837053597f, 0.579101562f, 1.26283479f };
    static const float batch_mean[] = { -0.0625f, 0.109375f, 0.28125f };
    static const float batch_var[] = { 0.58984375f, 0.575927734f, 0.459960938f };
    batch_norm_case(&c, 1, 0.5f);
    CHECK_OK(op_call(&c, 6, err_));
    CHECK_FLOATS(c.out[0].t, train_y, DIMS(2, 2, 2, 3));
    CHECK_FLOATS(c.out[1].t, train_mean, DIMS(3));
    CHECK_FLOATS(c.out[2].t, train_var, DIMS(3));
    CHECK_FLOATS(c.out[3].t, batch_mean, DIMS(3));
    CHECK_FLOATS(c.out[4].t, batch_var, DIMS(3));
    op_end(&c);

    /* NCHW training without running statistics (empty mean and variance). */
    static const float nchw_y[] = {
        -1.32307768f, 1.48408926f, 1.32813561f, 1.17218184f, 2.45748472f, 2.12981987f, 1.80215538f, 1.47449076f,
        -1.27210104f, -1.40815151f, -1.54420209f, -1.68025255f, -0.231401652f, -0.387355387f, -0.543309093f, -0.699262798f,
        -1.47449076f, -1.80215538f, -2.12981987f, -2.45748472f, -0.319747448f, -0.45579797f, -0.591848493f, -0.727898955f,
    };
    static const float nchw_var[] = { 0.734095991f, 0.665178597f, 0.241071433f };
    static const float scale[] = { 1, 2, 0.5f }, offset[] = { 0.1f, 0, -1 };
    op_begin(&c, "FusedBatchNormV3", 0);
    attr_string(&c, "data_format", "NCHW");
    op_input_pattern(&c, FERRY_DT_FLOAT, DIMS(2, 3, 2, 2), 0);
    op_input_floats(&c, DIMS(3), scale);
    op_input_floats(&c, DIMS(3), offset);
    op_input(&c, FERRY_DT_FLOAT, DIMS(0), NULL);
    op_input(&c, FERRY_DT_FLOAT, DIMS(0), NULL);
    CHECK_OK(op_call(&c, 6, err_));
    CHECK_FLOATS(c.out[0].t, nchw_y, DIMS(2, 3, 2, 2));
    CHECK_FLOATS(c.out[2].t, nchw_var, DIMS(3));
    op_end(&c);

    /* Inference needs real statistics. */
    op_begin(&c, "FusedBatchNormV3", 0);
    attr_bool(&c, "is_training", 0);
    attr_string(&c, "data_format", "NCHW");
    op_input_pattern(&c, FERRY_DT_FLOAT, DIMS(2, 3, 2, 2), 0);
    op_input_floats(&c, DIMS(3), scale);
    op_input_floats(&c, DIMS(3), offset);
    op_input(&c, FERRY_DT_FLOAT, DIMS(0), NULL);
    op_input_floats(&c, DIMS(3), scale);
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "input 3 must be 3 float32 values", op_call(&c, 6, err_));
    op_end(&c);
}

static void lrn_matches_tensorflow(void)
{
    static const float want[] = {
        -1.02455199f, 0.882226408f, 0.841953456f, 0.824761152f, 0.860907555f, 0.853384972f, 0.656651556f, 0.541111171f,
        0.388958901f, 0.204268426f,
    };
    op_case c;
    op_begin(&c, "LRN", 0);
    attr_int(&c, "depth_radius", 1);
    attr_float(&c, "bias", 0.5f);
    attr_float(&c, "alpha", 0.25f);
    attr_float(&c, "beta", 0.75f);
    op_input_pattern(&c, FERRY_DT_FLOAT, DIMS(1, 1, 2, 5), 0);
    CHECK_OK(op_call(&c, 1, err_));
    CHECK_FLOATS(c.out[0].t, want, DIMS(1, 1, 2, 5));
    op_end(&c);
}

static void resize_in_every_coordinate_mode(void)
{
    static const float bilinear_legacy[] = {
        -1.125f, 1.125f, 0.916666627f, 0.791666627f, 0.583333313f, 0.458333313f, -0.299999952f, 0.524999976f,
        0.316666603f, 0.191666603f, -0.0166667104f, -0.14166671f, 0.0499999523f, -0.0750000477f, -0.125f, -0.25f,
        -0.141666621f, -0.266666621f, -0.550000072f, -0.675000072f, -0.24999994f, -0.37499994f, 0.683333457f, 0.558333457f,
        -0.75f, -0.875f, -0.291666567f, -0.416666567f, 0.958333313f, 0.833333313f,
    };
    static const float bilinear_corners[] = {
        -1.125f, 1.125f, 0.875f, 0.75f, 0.5f, 0.375f, -0.4375f, 0.625f,
        0.375f, 0.25f, 0.0f, -0.125f, 0.25f, 0.125f, -0.125f, -0.25f,
        -0.5f, -0.625f, -0.25f, -0.375f, -0.03125f, -0.15625f, 0.1875f, 0.0625f,
        -0.75f, -0.875f, 0.0625f, -0.0625f, 0.875f, 0.75f,
    };
    static const float bilinear_half[] = {
        -0.770833254f, 1.08333337f, 0.875f, 0.75f, 0.541666627f, 0.416666627f, -0.379166603f, 0.683333337f,
        0.474999964f, 0.349999964f, 0.141666591f, 0.0166665912f, 0.208333328f, 0.0833333284f, -0.125f, -0.25f,
        -0.458333373f, -0.583333373f, -0.39166683f, -0.51666683f, -0.0124999732f, -0.137499973f, 0.366666794f, 0.241666794f,
        -0.791666687f, -0.916666687f, 0.0625f, -0.0625f, 0.916666627f, 0.791666627f,
    };
    static const float nearest_legacy[] = {
        -1.125f, 1.125f, 1.0f, 0.875f, 0.75f, 0.625f, -1.125f, 1.125f,
        1.0f, 0.875f, 0.75f, 0.625f, 0.25f, 0.125f, 0.0f, -0.125f,
        -0.25f, -0.375f, 0.25f, 0.125f, 0.0f, -0.125f, -0.25f, -0.375f,
        -0.75f, -0.875f, -1.0f, -1.125f, 1.125f, 1.0f,
    };
    static const float nearest_corners[] = {
        -1.125f, 1.125f, 0.75f, 0.625f, 0.5f, 0.375f, 0.25f, 0.125f,
        -0.25f, -0.375f, -0.5f, -0.625f, 0.25f, 0.125f, -0.25f, -0.375f,
        -0.5f, -0.625f, -0.75f, -0.875f, 1.125f, 1.0f, 0.875f, 0.75f,
        -0.75f, -0.875f, 1.125f, 1.0f, 0.875f, 0.75f,
    };
    static const float nearest_half[] = {
        -1.125f, 1.125f, 0.75f, 0.625f, 0.5f, 0.375f, -1.125f, 1.125f,
        0.75f, 0.625f, 0.5f, 0.375f, 0.25f, 0.125f, -0.25f, -0.375f,
        -0.5f, -0.625f, -0.75f, -0.875f, 1.125f, 1.0f, 0.875f, 0.75f,
        -0.75f, -0.875f, 1.125f, 1.0f, 0.875f, 0.75f,
    };
    const float *want[2][3] = { { bilinear_legacy, bilinear_corners, bilinear_half },
                                { nearest_legacy, nearest_corners, nearest_half } };
    static const int32_t size[] = { 5, 3 };
    for (int nearest = 0; nearest < 2; nearest++)
        for (int mode = 0; mode < 3; mode++) {
            op_case c;
            op_begin(&c, nearest ? "ResizeNearestNeighbor" : "ResizeBilinear", 0);
            attr_bool(&c, "align_corners", mode == 1);
            attr_bool(&c, "half_pixel_centers", mode == 2);
            op_input_pattern(&c, FERRY_DT_FLOAT, DIMS(1, 3, 4, 2), 0);
            op_input_ints(&c, DIMS(2), size);
            CHECK_OK(op_call(&c, 1, err_));
            if (!floats_match(c.out[0].t, want[nearest][mode], 30, DIMS(1, 5, 3, 2))) {
                fprintf(stderr, "  nearest %d mode %d\n", nearest, mode);
                CHECK(0);
            }
            op_end(&c);
        }
    op_case c;
    op_begin(&c, "ResizeBilinear", 0);
    op_input_pattern(&c, FERRY_DT_FLOAT, DIMS(1, 3, 4, 2), 0);
    op_input_ints(&c, DIMS(2), (const int32_t[]){ 0, 3 });
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "positive", op_call(&c, 1, err_));
    op_end(&c);
}

static void gradients_match_tensorflow(void)
{
    static const float relu[] = { 0.0f, 1.0f, 0.875f, 0.75f, 0.625f, 0.5f };
    static const float bias[] = { 0.875f, 2.25f, 1.25f };
    static const float sigmoid[] = { -1.14257812f, -1.015625f, -0.65625f, -0.38671875f };
    op_case c;
    op_begin(&c, "ReluGrad", 0);
    op_input_pattern(&c, FERRY_DT_FLOAT, DIMS(6), 1);
    op_input_pattern(&c, FERRY_DT_FLOAT, DIMS(6), 0);
    CHECK_OK(op_call(&c, 1, err_));
    CHECK_FLOATS(c.out[0].t, relu, DIMS(6));
    op_end(&c);
    op_begin(&c, "BiasAddGrad", 0);
    attr_string(&c, "data_format", "NCHW");
    op_input_pattern(&c, FERRY_DT_FLOAT, DIMS(2, 3, 2), 0);
    CHECK_OK(op_call(&c, 1, err_));
    CHECK_FLOATS(c.out[0].t, bias, DIMS(3));
    op_end(&c);
    float y[4];
    for (int i = 0; i < 4; i++)
        y[i] = (float)pattern(i, 0) + 0.5f;
    op_begin(&c, "SigmoidGrad", 0);
    op_input_floats(&c, DIMS(4), y);
    op_input_pattern(&c, FERRY_DT_FLOAT, DIMS(4), 1);
    CHECK_OK(op_call(&c, 1, err_));
    CHECK_FLOATS(c.out[0].t, sigmoid, DIMS(4));
    op_end(&c);
}

RUN_TESTS("kernels_nn",
          TEST(matmul_transposes_and_float64),
          TEST(one_row_products_match_the_sum),
          TEST(fake_quant_matches_tensorflow),
          TEST(fused_products_match_tensorflow),
          TEST(conv2d_filter_gradient_matches_tensorflow),
          TEST(batch_matmul_broadcasts_and_adjoints),
          TEST(empty_products),
          TEST(einsum_matches_tensorflow),
          TEST(einsum_rejects_what_it_cannot_do),
          TEST(bias_add_in_both_layouts),
          TEST(softmax_and_log_softmax),
          TEST(cross_entropy_and_l2_loss),
          TEST(conv2d_matches_tensorflow),
          TEST(conv3d_depthwise_and_transposed),
          TEST(depthwise_wide_matches_direct_sums),
          TEST(conv_rejects_bad_geometry),
          TEST(pooling_matches_tensorflow),
          TEST(pooling_channels_first_is_a_transpose),
          TEST(pooling_rejects_bad_windows),
          TEST(fused_batch_norm_inference_and_training),
          TEST(lrn_matches_tensorflow),
          TEST(resize_in_every_coordinate_mode),
          TEST(gradients_match_tensorflow))
