/* The elementwise and reduction kernels (math.c, unary.c, elementwise.c,
 * reduce.c) called directly, against values TensorFlow 2.21 computed for
 * the same inputs (hard-coded below), and against the errors hostile shapes
 * and attributes must give. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <ferry/ferry.h>

#include "base/tensor.h"
#include "check.h"
#include "op_harness.h"
#include "kernels/elementwise.h"
#include "kernels/fast_math.h"

/* ---- unary math --------------------------------------------------------- */

typedef struct unary_case {
    const char *op;
    float in[8], out[8];
} unary_case;

typedef struct unary_case_f64 {
    const char *op;
    double in[8], out[8];
} unary_case_f64;

static const unary_case unary_f32_cases[] = {
    { "Neg", { -2.5f, -1.25f, -0.5f, -0.125f, 0.0f, 0.375f, 1.5f, 3.0f },
      { 2.5f, 1.25f, 0.5f, 0.125f, -0.0f, -0.375f, -1.5f, -3.0f } },
    { "Abs", { -2.5f, -1.25f, -0.5f, -0.125f, 0.0f, 0.375f, 1.5f, 3.0f },
      { 2.5f, 1.25f, 0.5f, 0.125f, 0.0f, 0.375f, 1.5f, 3.0f } },
    { "Square", { -2.5f, -1.25f, -0.5f, -0.125f, 0.0f, 0.375f, 1.5f, 3.0f },
      { 6.25f, 1.5625f, 0.25f, 0.015625f, 0.0f, 0.140625f, 2.25f, 9.0f } },
    { "Sqrt", { 0.125f, 0.25f, 0.5f, 1.0f, 1.5f, 2.0f, 4.0f, 9.0f },
      { 0.353553385f, 0.5f, 0.707106769f, 1.0f, 1.22474492f, 1.41421354f, 2.0f, 3.0f } },
    { "Rsqrt", { 0.125f, 0.25f, 0.5f, 1.0f, 1.5f, 2.0f, 4.0f, 9.0f },
      { 2.82842684f, 1.99999976f, 1.41421342f, 0.999999881f, 0.816496551f, 0.707106709f, 0.49999994f, 0.333333313f } },
    { "Reciprocal", { 0.125f, 0.25f, 0.5f, 1.0f, 1.5f, 2.0f, 4.0f, 9.0f },
      { 7.99999952f, 3.99999976f, 1.99999988f, 0.99999994f, 0.666666627f, 0.49999997f, 0.249999985f, 0.111111104f } },
    { "Inv", { -2.5f, -1.25f, -0.5f, -0.125f, 0.0f, 0.375f, 1.5f, 3.0f },
      { -0.399999976f, -0.799999952f, -1.99999988f, -7.99999952f, INFINITY, 2.66666651f, 0.666666627f, 0.333333313f } },
    { "Exp", { -2.5f, -1.25f, -0.5f, -0.125f, 0.0f, 0.375f, 1.5f, 3.0f },
      { 0.0820849985f, 0.286504805f, 0.606530666f, 0.882496893f, 1.0f, 1.45499146f, 4.48168898f, 20.085537f } },
    { "Expm1", { -2.5f, -1.25f, -0.5f, -0.125f, 0.0f, 0.375f, 1.5f, 3.0f },
      { -0.917914987f, -0.713495195f, -0.393469334f, -0.117503107f, 0.0f, 0.45499143f, 3.48168898f, 19.085537f } },
    { "Log", { 0.125f, 0.25f, 0.5f, 1.0f, 1.5f, 2.0f, 4.0f, 9.0f },
      { -2.07944155f, -1.38629436f, -0.693147182f, 0.0f, 0.405465096f, 0.693147182f, 1.38629436f, 2.19722462f } },
    { "Log1p", { -0.899999976f, -0.5f, -0.25f, 0.0f, 0.100000001f, 0.5f, 0.75f, 0.99000001f },
      { -2.30258489f, -0.693147182f, -0.287682086f, 0.0f, 0.0953101814f, 0.405465096f, 0.559615791f, 0.68813467f } },
    { "Sin", { -2.5f, -1.25f, -0.5f, -0.125f, 0.0f, 0.375f, 1.5f, 3.0f },
      { -0.598472178f, -0.948984623f, -0.47942555f, -0.12467473f, 0.0f, 0.366272539f, 0.997494996f, 0.141120002f } },
    { "Cos", { -2.5f, -1.25f, -0.5f, -0.125f, 0.0f, 0.375f, 1.5f, 3.0f },
      { -0.801143587f, 0.315322369f, 0.87758255f, 0.992197692f, 1.0f, 0.9305076f, 0.070737198f, -0.989992499f } },
    { "Tan", { -0.899999976f, -0.5f, -0.25f, 0.0f, 0.100000001f, 0.5f, 0.75f, 0.99000001f },
      { -1.26015818f, -0.546302497f, -0.255341917f, 0.0f, 0.100334674f, 0.546302497f, 0.931596458f, 1.52367675f } },
    { "Asin", { -0.899999976f, -0.5f, -0.25f, 0.0f, 0.100000001f, 0.5f, 0.75f, 0.99000001f },
      { -1.11976957f, -0.523598731f, -0.252680272f, 0.0f, 0.100167416f, 0.523598731f, 0.848062158f, 1.42925692f } },
    { "Acos", { -0.899999976f, -0.5f, -0.25f, 0.0f, 0.100000001f, 0.5f, 0.75f, 0.99000001f },
      { 2.69056582f, 2.09439516f, 1.82347679f, 1.57079637f, 1.47062874f, 1.04719758f, 0.722734272f, 0.14153941f } },
    { "Atan", { -2.5f, -1.25f, -0.5f, -0.125f, 0.0f, 0.375f, 1.5f, 3.0f },
      { -1.19028997f, -0.8960554f, -0.463647544f, -0.124354988f, 0.0f, 0.358770639f, 0.982793748f, 1.24904585f } },
    { "Sinh", { -2.5f, -1.25f, -0.5f, -0.125f, 0.0f, 0.375f, 1.5f, 3.0f },
      { -6.05020475f, -1.60191917f, -0.521095276f, -0.125325769f, 0.0f, 0.383851051f, 2.12927938f, 10.0178747f } },
    { "Cosh", { -2.5f, -1.25f, -0.5f, -0.125f, 0.0f, 0.375f, 1.5f, 3.0f },
      { 6.13228941f, 1.8884238f, 1.12762594f, 1.00782263f, 1.0f, 1.07114029f, 2.3524096f, 10.0676622f } },
    { "Tanh", { -2.5f, -1.25f, -0.5f, -0.125f, 0.0f, 0.375f, 1.5f, 3.0f },
      { -0.986614347f, -0.848283708f, -0.462117136f, -0.124353014f, 0.0f, 0.3583574f, 0.905148327f, 0.995054722f } },
    { "Asinh", { -2.5f, -1.25f, -0.5f, -0.125f, 0.0f, 0.375f, 1.5f, 3.0f },
      { -1.64723122f, -1.047593f, -0.481211841f, -0.124676749f, 0.0f, 0.36672461f, 1.19476318f, 1.81844652f } },
    { "Acosh", { 1.0f, 1.25f, 1.5f, 2.0f, 3.0f, 5.0f, 8.0f, 10.0f },
      { 0.0f, 0.693147182f, 0.962423682f, 1.31695795f, 1.76274717f, 2.29243159f, 2.76865935f, 2.99322295f } },
    { "Atanh", { -0.899999976f, -0.5f, -0.25f, 0.0f, 0.100000001f, 0.5f, 0.75f, 0.99000001f },
      { -1.47221935f, -0.549306154f, -0.255412817f, 0.0f, 0.100335352f, 0.549306154f, 0.972955108f, 2.64665294f } },
    { "Sigmoid", { -20.0f, -14.5f, -13.5f, -0.5f, 0.0f, 1.0f, 14.5f, 20.0f },
      { 2.06115414e-09f, 5.04347497e-07f, 1.37095708e-06f, 0.377540678f, 0.5f, 0.731058538f, 0.999999523f, 1.0f } },
    { "Erf", { -2.5f, -1.25f, -0.5f, -0.125f, 0.0f, 0.375f, 1.5f, 3.0f },
      { -0.99959296f, -0.922900259f, -0.520499885f, -0.140316188f, 0.0f, 0.404116869f, 0.966105103f, 0.999978006f } },
    { "Erfc", { -2.5f, -1.25f, -0.5f, -0.125f, 0.0f, 0.375f, 1.5f, 3.0f },
      { 1.99959302f, 1.92290008f, 1.52049994f, 1.14031625f, 1.0f, 0.595883131f, 0.0338948555f, 2.20904967e-05f } },
    { "Lgamma", { 0.125f, 0.25f, 0.5f, 1.0f, 1.5f, 2.0f, 4.0f, 9.0f },
      { 2.01941848f, 1.28802252f, 0.572364926f, 0.0f, -0.120782234f, 0.0f, 1.79175949f, 10.6046028f } },
    { "Floor", { -2.5f, -1.5f, -0.5f, 0.5f, 1.5f, 2.5f, 2.4000001f, -2.5999999f },
      { -3.0f, -2.0f, -1.0f, 0.0f, 1.0f, 2.0f, 2.0f, -3.0f } },
    { "Ceil", { -2.5f, -1.5f, -0.5f, 0.5f, 1.5f, 2.5f, 2.4000001f, -2.5999999f },
      { -2.0f, -1.0f, -0.0f, 1.0f, 2.0f, 3.0f, 3.0f, -2.0f } },
    { "Round", { -2.5f, -1.5f, -0.5f, 0.5f, 1.5f, 2.5f, 2.4000001f, -2.5999999f },
      { -2.0f, -2.0f, -0.0f, 0.0f, 2.0f, 2.0f, 2.0f, -3.0f } },
    { "Rint", { -2.5f, -1.5f, -0.5f, 0.5f, 1.5f, 2.5f, 2.4000001f, -2.5999999f },
      { -2.0f, -2.0f, -0.0f, 0.0f, 2.0f, 2.0f, 2.0f, -3.0f } },
    { "Sign", { -2.5f, -1.25f, -0.5f, -0.125f, 0.0f, 0.375f, 1.5f, 3.0f },
      { -1.0f, -1.0f, -1.0f, -1.0f, 0.0f, 1.0f, 1.0f, 1.0f } },
    { "Relu", { -2.5f, -1.25f, -0.5f, -0.125f, 0.0f, 0.375f, 1.5f, 3.0f },
      { 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.375f, 1.5f, 3.0f } },
    { "Relu6", { -3.0f, -2.75f, -2.5f, -2.0f, -1.0f, 1.0f, 4.0f, 6.0f },
      { 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 1.0f, 4.0f, 6.0f } },
    { "Elu", { -2.5f, -1.25f, -0.5f, -0.125f, 0.0f, 0.375f, 1.5f, 3.0f },
      { -0.917914987f, -0.713495195f, -0.393469334f, -0.117503107f, 0.0f, 0.375f, 1.5f, 3.0f } },
    { "Selu", { -2.5f, -1.25f, -0.5f, -0.125f, 0.0f, 0.375f, 1.5f, 3.0f },
      { -1.61378574f, -1.25439537f, -0.691758156f, -0.206582129f, 0.0f, 0.394012868f, 1.57605147f, 3.15210295f } },
    { "LeakyRelu", { -2.5f, -1.25f, -0.5f, -0.125f, 0.0f, 0.375f, 1.5f, 3.0f },
      { -0.75f, -0.375f, -0.150000006f, -0.0375000015f, 0.0f, 0.375f, 1.5f, 3.0f } },
    { "Softplus", { -20.0f, -14.5f, -13.5f, -0.5f, 0.0f, 1.0f, 14.5f, 20.0f },
      { 2.06115369e-09f, 5.04347668e-07f, 1.3709581e-06f, 0.474076986f, 0.693147182f, 1.31326163f, 14.5f, 20.0f } },
    { "Softsign", { -2.5f, -1.25f, -0.5f, -0.125f, 0.0f, 0.375f, 1.5f, 3.0f },
      { -0.714285731f, -0.555555582f, -0.333333343f, -0.111111112f, 0.0f, 0.272727281f, 0.600000024f, 0.75f } },
};
static const unary_case_f64 unary_f64_cases[] = {
    { "Tanh", { -30.0, -2.5, -0.5, 0.0, 0.75, 2.0, 15.0, 40.0 },
      { -1.0, -0.9866142981514302, -0.46211715726000979, 0.0,
        0.6351489523872873, 0.9640275800758169, 0.99999999999981271, 1.0 } },
    { "Sigmoid", { -30.0, -2.5, -0.5, 0.0, 0.75, 2.0, 15.0, 40.0 },
      { 9.3576229688393001e-14, 0.07585818002124356, 0.37754066879814546, 0.5,
        0.67917869917539297, 0.88079707797788243, 0.99999969409777312, 1.0 } },
    { "Softplus", { -30.0, -2.5, -0.5, 0.0, 0.75, 2.0, 15.0, 40.0 },
      { 9.3576229688397368e-14, 0.078889734292549626, 0.47407698418010669, 0.69314718055994529,
        1.1368710061148999, 2.1269280110429722, 15.000000305902272, 40.0 } },
    { "Erfc", { -30.0, -2.5, -0.5, 0.0, 0.75, 2.0, 15.0, 40.0 },
      { 2.0, 1.999593047982555, 1.5204998778130467, 1.0,
        0.2888443663464848, 0.0046777349810472662, 7.2129941724512078e-100, 0.0 } },
    { "Exp", { -30.0, -2.5, -0.5, 0.0, 0.75, 2.0, 15.0, 40.0 },
      { 9.3576229688401748e-14, 0.0820849986238988, 0.60653065971263342, 1.0,
        2.1170000166126748, 7.3890560989306504, 3269017.3724721107, 2.3538526683701997e+17 } },
};

static void unary_float32_ops_match_tensorflow(void)
{
    for (size_t k = 0; k < sizeof(unary_f32_cases) / sizeof(unary_f32_cases[0]); k++) {
        const unary_case *u = &unary_f32_cases[k];
        op_case c;
        op_begin(&c, u->op, 0);
        if (!strcmp(u->op, "LeakyRelu"))
            attr_float(&c, "alpha", 0.3f);
        op_input_floats(&c, DIMS(2, 4), u->in);
        CHECK_OK(op_call(&c, 1, err_));
        if (!floats_match(c.out[0].t, u->out, 8, DIMS(2, 4))) {
            fprintf(stderr, "  op %s\n", u->op);
            CHECK(0);
        }
        op_end(&c);
    }
}

/* ULPs between two floats of the same sign (a huge number across signs). */
static int64_t ulps_apart(float a, float b)
{
    int32_t x, y;
    memcpy(&x, &a, sizeof(x));
    memcpy(&y, &b, sizeof(y));
    if ((x < 0) != (y < 0))
        return a == b ? 0 : INT64_MAX;
    return x > y ? (int64_t)x - y : (int64_t)y - x;
}

/* Float tanh, sigmoid and erfc (vectorized, kernels/fast_math.h) through
 * the kernels, against double-precision libm rounded to float:
 * every float from -120 to 120 in steps of 2^-9 (and a sweep of tiny ones),
 * within 4 ULPs (subnormal results within 2^-149 absolute); NaN, infinities
 * and -0 too. */
static void vectorized_maps_stay_within_ulps(void)
{
    static const char *const ops[3] = { "Tanh", "Sigmoid", "Erfc" };
    enum { N = 2 * 120 * 512 + 1 + 200 };
    float *x = malloc(N * sizeof(float));
    for (int i = 0; i < N - 200; i++)
        x[i] = -120.0f + (float)i / 512.0f;
    for (int i = 0; i < 200; i++)
        x[N - 200 + i] = ldexpf(i % 2 ? -1.0f : 1.0f, -(i / 2) - 1); /* +-2^-1 .. +-2^-100 */
    for (int op = 0; op < 3; op++) {
        op_case c;
        op_begin(&c, ops[op], 0);
        op_input_floats(&c, DIMS(N), x);
        CHECK_OK(op_call(&c, 1, err_));
        const float *y = c.out[0].t ? c.out[0].t->data : NULL;
        int64_t worst = 0;
        for (int i = 0; y && i < N; i++) {
            double v = x[i];
            float want = (float)(op == 0 ? tanh(v) : op == 1 ? 1.0 / (1.0 + exp(-v)) : erfc(v));
            int64_t d = ulps_apart(y[i], want);
            if (fabsf(want) < 1.2e-38f && fabsf(y[i] - want) <= 1.4e-45f)
                d = 0;
            if (d > worst)
                worst = d;
            if (d > 4) {
                fprintf(stderr, "  %s(%.9g) = %.9g, want %.9g\n", ops[op], v, y[i], want);
                check_current_failed = 1;
                break;
            }
        }
        printf("  %s: at most %lld ULPs from libm\n", ops[op], (long long)worst);
        op_end(&c);
    }
    free(x);
    float special[4] = { NAN, INFINITY, -INFINITY, -0.0f };
    for (int op = 0; op < 3; op++) {
        op_case c;
        op_begin(&c, ops[op], 0);
        op_input_floats(&c, DIMS(1, 4), special);
        CHECK_OK(op_call(&c, 1, err_));
        const float *y = c.out[0].t ? c.out[0].t->data : NULL;
        CHECK(y && isnan(y[0]));
        if (op == 2)
            CHECK(y && y[1] == 0.0f && y[2] == 2.0f && y[3] == 1.0f);
        else
            CHECK(y && y[1] == 1.0f && y[2] == (op ? 0.0f : -1.0f));
        if (op < 2)
            CHECK(y && (op ? y[3] == 0.5f : (y[3] == 0.0f && signbit(y[3]))));
        op_end(&c);
    }
}

/* e^x for x <= 0 (softmax's exponentials) within 2 ULPs of libm's double
 * exp, subnormal results included, and NaN kept. */
static void exp_of_nonpositive_stays_within_ulps(void)
{
    enum { N = 120 * 1024 + 1 };
    float *x = malloc(N * sizeof(float)), *y = malloc(N * sizeof(float));
    for (int i = 0; x && i < N; i++)
        x[i] = -(float)i / 1024.0f;
    volatile int64_t count = N; /* a constant count trips a false GCC warning once inlined */
    if (x && y)
        fy_exp_nonpositive_array_f32(x, y, count);
    int64_t worst = 0;
    for (int i = 0; x && y && i < N; i++) {
        float want = (float)exp((double)x[i]);
        int64_t d = ulps_apart(y[i], want);
        if (d > worst)
            worst = d;
    }
    printf("  exp (x <= 0): at most %lld ULPs from libm\n", (long long)worst);
    CHECK(worst <= 2);
    float special[3] = { NAN, -INFINITY, 0.0f }, out[3];
    fy_exp_nonpositive_array_f32(special, out, 3);
    CHECK(isnan(out[0]) && out[1] == 0.0f && out[2] == 1.0f);
    free(x);
    free(y);
}

/* The AVX-512 tanh, sigmoid and erfc give the baseline's bits (on a CPU that
 * has AVX-512; elsewhere there is nothing to compare). */
static void vector_targets_agree(void)
{
#ifdef FY_AVX512
    if (!fy_cpu_has_avx512())
        return;
    enum { N = 1 << 16 };
    float *x = malloc(N * sizeof(float)), *a = malloc(N * sizeof(float)), *b = malloc(N * sizeof(float));
    for (int i = 0; x && i < N; i++)
        x[i] = (float)(i - N / 2) / 256.0f; /* -128 .. 128 */
    if (x) {
        x[0] = NAN;
        x[1] = INFINITY;
        x[2] = -INFINITY;
        x[3] = -0.0f;
        x[4] = 1e-30f;
        x[5] = -3e-39f;
    }
    static void (*const base[4])(const float *, float *, int64_t) = { fy_tanh_array_f32, fy_sigmoid_array_f32,
                                                                       fy_erfc_array_f32,
                                                                       fy_exp_nonpositive_array_f32 };
    static void (*const wide[4])(const float *, float *, int64_t) = {
        fy_tanh_array_f32_avx512, fy_sigmoid_array_f32_avx512, fy_erfc_array_f32_avx512,
        fy_exp_nonpositive_array_f32_avx512
    };
    volatile int64_t count = N; /* a constant count trips a false GCC warning once inlined */
    for (int f = 0; f < 4; f++) {
        if (f == 3 && x) /* exp of x <= 0 only: make the positive half negative */
            for (int i = N / 2 + 1; i < N; i++)
                x[i] = -x[i];
        int same = x && a && b;
        if (same) {
            base[f](x, a, count);
            wide[f](x, b, count);
            same = !memcmp(a, b, N * sizeof(float));
        }
        if (!same)
            fprintf(stderr, "  map %d differs\n", f);
        CHECK(same);
    }
    free(x);
    free(a);
    free(b);
#endif
}

static void unary_float64_ops_match_tensorflow(void)
{
    for (size_t k = 0; k < sizeof(unary_f64_cases) / sizeof(unary_f64_cases[0]); k++) {
        const unary_case_f64 *u = &unary_f64_cases[k];
        op_case c;
        op_begin(&c, u->op, 0);
        op_input(&c, FERRY_DT_DOUBLE, DIMS(8), u->in);
        CHECK_OK(op_call(&c, 1, err_));
        if (!same_shape(c.out[0].t, FERRY_DT_DOUBLE, DIMS(8)) || !check_values(c.out[0].t, u->out, 8, 1e-13, 1e-300)) {
            fprintf(stderr, "  op %s\n", u->op);
            CHECK(0);
        }
        op_end(&c);
    }
}

/* Half and bfloat16 compute in float and round once; TF rounds after
 * each half-precision step, so its results may be a couple of units in
 * the last place away (up to 0.2% in half, 1.6% in bfloat16). */
static void unary_half_and_bfloat16_round_like_tensorflow(void)
{
    static const struct {
        const char *op;
        ferry_dtype dtype;
        uint16_t in[8], out[8];
    } cases[] = {
        { "Sigmoid", FERRY_DT_HALF, { 0xcd00, 0xc600, 0xbe00, 0xb400, 0x0000, 0x3800, 0x4200, 0x4880 },
          { 0x0000, 0x1910, 0x31d7, 0x3701, 0x3800, 0x38fb, 0x3b9f, 0x3c00 } },
        /* Softplus switches to exp(x) at half's own threshold, log(eps) + 2. */
        { "Softplus", FERRY_DT_HALF, { 0xcd00, 0xc600, 0xbe00, 0xb400, 0x0000, 0x3800, 0x4200, 0x4880 },
          { 0x0000, 0x1912, 0x3272, 0x389c, 0x398c, 0x3bcb, 0x4219, 0x4880 } },
        { "Tanh", FERRY_DT_HALF, { 0xcd00, 0xc600, 0xbe00, 0xb400, 0x0000, 0x3800, 0x4200, 0x4880 },
          { 0xbc00, 0xbc00, 0xbb3e, 0xb3d6, 0x0000, 0x3765, 0x3bf6, 0x3c00 } },
        { "Exp", FERRY_DT_BFLOAT16, { 0xc1a0, 0xc0c0, 0xbfc0, 0xbe80, 0x0000, 0x3f00, 0x4040, 0x4110 },
          { 0x310e, 0x3b22, 0x3e64, 0x3f47, 0x3f80, 0x3fd3, 0x41a1, 0x45fd } },
        { "Elu", FERRY_DT_BFLOAT16, { 0xc1a0, 0xc0c0, 0xbfc0, 0xbe80, 0x0000, 0x3f00, 0x4040, 0x4110 },
          { 0xbf80, 0xbf7f, 0xbf47, 0xbe64, 0x0000, 0x3f00, 0x4040, 0x4110 } },
    };
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        op_case c;
        op_begin(&c, cases[k].op, 0);
        op_input(&c, cases[k].dtype, DIMS(8), cases[k].in);
        CHECK_OK(op_call(&c, 1, err_));
        const ferry_tensor *t = c.out[0].t;
        CHECK(t && t->dtype == cases[k].dtype && t->count == 8);
        for (int i = 0; t && i < 8; i++)
            if (abs((int)((const uint16_t *)t->data)[i] - (int)cases[k].out[i]) > 2) {
                fprintf(stderr, "  %s element %d is 0x%04x, expected 0x%04x\n", cases[k].op, i,
                        ((const uint16_t *)t->data)[i], cases[k].out[i]);
                CHECK(0);
            }
        op_end(&c);
    }
}

/* Integers wrap in two's complement, as TF's do. */
static void unary_integers_wrap(void)
{
    static const int8_t x8[] = { -128, -7, -1, 0, 1, 5, 6, 127 };
    static const int32_t x32[] = { INT32_MIN, 65536, -46341, 3 };
    static const int64_t x64[] = { INT64_MIN, 3037000500, -5 };
    const char *ops[] = { "Neg", "Abs", "Square", "Sign", "Relu", "Relu6", "Round" };
    static const int64_t want8[][8] = {
        { -128, 7, 1, 0, -1, -5, -6, -127 }, { -128, 7, 1, 0, 1, 5, 6, 127 }, { 0, 49, 1, 0, 1, 25, 36, 1 },
        { -1, -1, -1, 0, 1, 1, 1, 1 },       { 0, 0, 0, 0, 1, 5, 6, 127 },    { 0, 0, 0, 0, 1, 5, 6, 6 },
        { -128, -7, -1, 0, 1, 5, 6, 127 },
    };
    for (int k = 0; k < 7; k++) {
        op_case c;
        op_begin(&c, ops[k], 0);
        op_input(&c, FERRY_DT_INT8, DIMS(8), x8);
        CHECK_OK(op_call(&c, 1, err_));
        CHECK(ints_match(c.out[0].t, FERRY_DT_INT8, want8[k], 8));
        op_end(&c);
    }
    op_case c;
    op_begin(&c, "Square", 0);
    op_input(&c, FERRY_DT_INT32, DIMS(4), x32);
    CHECK_OK(op_call(&c, 1, err_));
    CHECK_INTS(c.out[0].t, FERRY_DT_INT32, 0, 0, -2147479015, 9);
    op_end(&c);
    op_begin(&c, "Square", 0);
    op_input(&c, FERRY_DT_INT64, DIMS(3), x64);
    CHECK_OK(op_call(&c, 1, err_));
    CHECK_INTS(c.out[0].t, FERRY_DT_INT64, 0, -9223372036709301616, 25);
    op_end(&c);
    op_begin(&c, "Neg", 0);
    op_input(&c, FERRY_DT_INT64, DIMS(3), x64);
    CHECK_OK(op_call(&c, 1, err_));
    CHECK_INTS(c.out[0].t, FERRY_DT_INT64, INT64_MIN, -3037000500, 5);
    op_end(&c);
    /* Reciprocal has no integer kernel in TF either. */
    op_begin(&c, "Reciprocal", 0);
    op_input(&c, FERRY_DT_INT32, DIMS(4), x32);
    CHECK_FAILS(FERRY_ERR_UNSUPPORTED, "int32", op_call(&c, 1, err_));
    op_end(&c);
}

static void predicates_and_logical_not(void)
{
    static const float x[] = { NAN, INFINITY, -INFINITY, 0.0f, -2.5f };
    const char *ops[] = { "IsNan", "IsInf", "IsFinite" };
    static const int64_t want[][5] = { { 1, 0, 0, 0, 0 }, { 0, 1, 1, 0, 0 }, { 0, 0, 0, 1, 1 } };
    for (int k = 0; k < 3; k++) {
        op_case c;
        op_begin(&c, ops[k], 0);
        op_input_floats(&c, DIMS(5), x);
        CHECK_OK(op_call(&c, 1, err_));
        CHECK(ints_match(c.out[0].t, FERRY_DT_BOOL, want[k], 5));
        op_end(&c);
    }
    static const uint8_t b[] = { 1, 0, 0 };
    op_case c;
    op_begin(&c, "LogicalNot", 0);
    op_input(&c, FERRY_DT_BOOL, DIMS(3), b);
    CHECK_OK(op_call(&c, 1, err_));
    CHECK_INTS(c.out[0].t, FERRY_DT_BOOL, 0, 1, 1);
    op_end(&c);
    op_begin(&c, "LogicalNot", 0);
    op_input_floats(&c, DIMS(5), x);
    CHECK_FAILS(FERRY_ERR_UNSUPPORTED, "float32", op_call(&c, 1, err_));
    op_end(&c);
}

static void binary_real_ops_and_clip(void)
{
    static const float y[] = { 1.0f, -2.0f }, x[] = { 0.5f, -1.0f, 0.0f };
    static const float want[] = { 1.10714877f, 2.3561945f, 1.57079637f, -1.3258177f, -2.03444386f, -1.57079637f };
    op_case c;
    op_begin(&c, "Atan2", 0);
    op_input_floats(&c, DIMS(2, 1), y);
    op_input_floats(&c, DIMS(3), x);
    CHECK_OK(op_call(&c, 1, err_));
    CHECK_FLOATS(c.out[0].t, want, DIMS(2, 3));
    op_end(&c);

    /* The x-prefixed ops give 0 wherever x is 0, even for a NaN y. */
    static const float xs[] = { 0, 0, 0, 2, 1.5f }, ys[] = { NAN, 0, 2, 0, 3 };
    static const float xlogy[] = { 0, 0, 0, -INFINITY, 1.6479185f }, xdivy[] = { 0, 0, 0, INFINITY, 0.5f };
    static const float xlog1py[] = { 0, 0, 0, 0, 2.0794415f };
    const char *xops[] = { "Xlogy", "Xdivy", "Xlog1py" };
    const float *xwant[] = { xlogy, xdivy, xlog1py };
    for (int k = 0; k < 3; k++) {
        op_begin(&c, xops[k], 0);
        op_input_floats(&c, DIMS(5), xs);
        op_input_floats(&c, DIMS(5), ys);
        CHECK_OK(op_call(&c, 1, err_));
        CHECK(floats_match(c.out[0].t, xwant[k], 5, DIMS(5)));
        op_end(&c);
    }

    static const float t[] = { -2.5f, -1.25f, -0.5f, -0.125f, 0.0f, 0.375f, 1.5f, 3.0f }, lo = -1.0f, hi = 0.5f;
    static const float clipped[] = { -1.0f, -1.0f, -0.5f, -0.125f, 0.0f, 0.375f, 0.5f, 0.5f };
    op_begin(&c, "ClipByValue", 0);
    op_input_floats(&c, DIMS(8), t);
    op_input_floats(&c, SCALAR, &lo);
    op_input_floats(&c, SCALAR, &hi);
    CHECK_OK(op_call(&c, 1, err_));
    CHECK_FLOATS(c.out[0].t, clipped, DIMS(8));
    op_end(&c);

    static const int32_t v[] = { 1, 5, 9 }, los[] = { 2, 2, 2 }, his[] = { 3, 4, 8 };
    op_begin(&c, "ClipByValue", 0);
    op_input_ints(&c, DIMS(3), v);
    op_input_ints(&c, DIMS(3), los);
    op_input_ints(&c, DIMS(3), his);
    CHECK_OK(op_call(&c, 1, err_));
    CHECK_INTS(c.out[0].t, FERRY_DT_INT32, 2, 4, 8);
    op_end(&c);

    op_begin(&c, "ClipByValue", 0);
    op_input_ints(&c, DIMS(3), v);
    op_input_ints(&c, DIMS(1), los);
    op_input_ints(&c, DIMS(3), his);
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "bounds", op_call(&c, 1, err_));
    op_end(&c);
}

/* ---- reductions --------------------------------------------------------- */

/* Reduces the [2, 3, 4] pattern over the given axes. */
static void reduce_pattern(op_case *c, const char *op, const int32_t *axes, int n_axes, int keep)
{
    op_begin(c, op, 0);
    if (keep)
        attr_bool(c, "keep_dims", 1);
    op_input_pattern(c, FERRY_DT_FLOAT, DIMS(2, 3, 4), 0);
    int64_t n = n_axes;
    op_input(c, FERRY_DT_INT32, n_axes < 0 ? NULL : &n, n_axes < 0 ? 0 : 1, axes);
}

static void reductions_match_tensorflow(void)
{
    op_case c;
    static const float sum1[] = { -0.125f, 1.875f, 1.5f, 1.125f, 0.125f, -0.25f, -0.625f, -1.0f };
    reduce_pattern(&c, "Sum", (const int32_t[]){ 1 }, 1, 0);
    CHECK_OK(op_call(&c, 1, err_));
    CHECK_FLOATS(c.out[0].t, sum1, DIMS(2, 4));
    op_end(&c);

    static const float sum02[] = { 0.125f, -1.5f, 4.0f };
    reduce_pattern(&c, "Sum", (const int32_t[]){ 0, 2 }, 2, 1);
    CHECK_OK(op_call(&c, 1, err_));
    CHECK_FLOATS(c.out[0].t, sum02, DIMS(1, 3, 1));
    op_end(&c);

    static const float mean_all[] = { 0.109375f };
    reduce_pattern(&c, "Mean", (const int32_t[]){ 0, 1, 2 }, 3, 0);
    CHECK_OK(op_call(&c, 1, err_));
    CHECK_FLOATS(c.out[0].t, mean_all, SCALAR);
    op_end(&c);

    /* A scalar axis tensor names one axis. */
    static const float max1[] = { 0.75f, 1.125f, 1.0f, 0.875f, 1.125f, 1.0f, 0.875f, 0.75f };
    reduce_pattern(&c, "Max", (const int32_t[]){ 1 }, -1, 0);
    CHECK_OK(op_call(&c, 1, err_));
    CHECK_FLOATS(c.out[0].t, max1, DIMS(2, 4));
    op_end(&c);

    static const float min0[] = { -1.125f, -1.125f, -0.125f };
    reduce_pattern(&c, "Min", (const int32_t[]){ 0, -1 }, 2, 0);
    CHECK_OK(op_call(&c, 1, err_));
    CHECK_FLOATS(c.out[0].t, min0, DIMS(3));
    op_end(&c);

    static const float norm1[] = {
        1.375f, 1.29301f, 1.11803401f, 0.960143209f, 1.375f, 1.38067007f, 1.41972709f, 1.4895469f,
    };
    reduce_pattern(&c, "EuclideanNorm", (const int32_t[]){ 1 }, 1, 0);
    CHECK_OK(op_call(&c, 1, err_));
    CHECK_FLOATS(c.out[0].t, norm1, DIMS(2, 4));
    op_end(&c);

    /* No axes: a copy. */
    reduce_pattern(&c, "Prod", NULL, 0, 0);
    CHECK_OK(op_call(&c, 1, err_));
    CHECK(same_shape(c.out[0].t, FERRY_DT_FLOAT, DIMS(2, 3, 4)) &&
          !memcmp(c.out[0].t->data, c.in[0].t->data, c.in[0].t->nbytes));
    op_end(&c);
}

static void reductions_of_integers_bools_and_empties(void)
{
    static const int32_t xi[] = { -3, -4, 7, 0 }, one = 1, zero = 0;
    op_case c;
    op_begin(&c, "Mean", 0); /* integer division truncates, as in TF */
    op_input_ints(&c, DIMS(2, 2), xi);
    op_input_scalar_int(&c, one);
    CHECK_OK(op_call(&c, 1, err_));
    CHECK_INTS(c.out[0].t, FERRY_DT_INT32, -3, 3);
    op_end(&c);

    op_begin(&c, "Prod", 0);
    op_input_ints(&c, DIMS(2, 2), xi);
    op_input_scalar_int(&c, zero);
    CHECK_OK(op_call(&c, 1, err_));
    CHECK_INTS(c.out[0].t, FERRY_DT_INT32, -21, 0);
    op_end(&c);

    /* Empty reductions give the identity: -inf, the lowest int, NaN for a mean. */
    const char *ops[] = { "Max", "Mean", "Sum" };
    for (int k = 0; k < 3; k++) {
        op_begin(&c, ops[k], 0);
        op_input(&c, FERRY_DT_FLOAT, DIMS(0, 2), NULL);
        op_input_scalar_int(&c, zero);
        CHECK_OK(op_call(&c, 1, err_));
        double want = k == 0 ? -INFINITY : k == 1 ? NAN : 0;
        CHECK(same_shape(c.out[0].t, FERRY_DT_FLOAT, DIMS(2)) &&
              check_values(c.out[0].t, (double[]){ want, want }, 2, 0, 0));
        op_end(&c);
    }
    op_begin(&c, "Max", 0);
    op_input(&c, FERRY_DT_INT32, DIMS(0, 2), NULL);
    op_input_scalar_int(&c, zero);
    CHECK_OK(op_call(&c, 1, err_));
    CHECK_INTS(c.out[0].t, FERRY_DT_INT32, INT32_MIN, INT32_MIN);
    op_end(&c);

    static const uint8_t b[] = { 1, 0, 1, 1 };
    op_begin(&c, "All", 0);
    op_input(&c, FERRY_DT_BOOL, DIMS(2, 2), b);
    op_input_scalar_int(&c, one);
    CHECK_OK(op_call(&c, 1, err_));
    CHECK_INTS(c.out[0].t, FERRY_DT_BOOL, 0, 1);
    op_end(&c);
    op_begin(&c, "Any", 0);
    op_input(&c, FERRY_DT_BOOL, DIMS(2, 2), b);
    op_input_scalar_int(&c, zero);
    CHECK_OK(op_call(&c, 1, err_));
    CHECK_INTS(c.out[0].t, FERRY_DT_BOOL, 1, 1);
    op_end(&c);
    op_begin(&c, "Sum", 0);
    op_input(&c, FERRY_DT_BOOL, DIMS(2, 2), b);
    op_input_scalar_int(&c, zero);
    CHECK_FAILS(FERRY_ERR_UNSUPPORTED, "bool", op_call(&c, 1, err_));
    op_end(&c);
}

static void reduction_axes_are_checked(void)
{
    op_case c;
    reduce_pattern(&c, "Sum", (const int32_t[]){ 1, -2 }, 2, 0);
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "twice", op_call(&c, 1, err_));
    op_end(&c);
    reduce_pattern(&c, "Sum", (const int32_t[]){ 3 }, 1, 0);
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "out of range", op_call(&c, 1, err_));
    op_end(&c);
    reduce_pattern(&c, "Sum", (const int32_t[]){ 0, 1, 2, 0 }, 4, 0);
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "4 reduction axes", op_call(&c, 1, err_));
    op_end(&c);
    float x = 5;
    op_begin(&c, "Sum", 0);
    op_input_floats(&c, SCALAR, &x);
    op_input_scalar_int(&c, 0);
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "rank 0", op_call(&c, 1, err_));
    op_end(&c);
}

/* Ties go to the first; NaN never wins over a number. */
static void arg_max_and_min(void)
{
    static const float x[] = { 3, 1, 3, NAN, 2, -1 };
    op_case c;
    op_begin(&c, "ArgMax", 0);
    op_input_floats(&c, DIMS(2, 3), x);
    op_input_scalar_int(&c, 1);
    CHECK_OK(op_call(&c, 1, err_));
    CHECK_INTS(c.out[0].t, FERRY_DT_INT64, 0, 1);
    op_end(&c);
    op_begin(&c, "ArgMin", 0);
    attr_type(&c, "output_type", FERRY_DT_INT32);
    op_input_floats(&c, DIMS(2, 3), x);
    op_input_scalar_int(&c, -1);
    CHECK_OK(op_call(&c, 1, err_));
    CHECK_INTS(c.out[0].t, FERRY_DT_INT32, 1, 2);
    op_end(&c);
    op_begin(&c, "ArgMax", 0);
    op_input_floats(&c, DIMS(2, 3), x);
    op_input_scalar_int(&c, 0);
    CHECK_OK(op_call(&c, 1, err_));
    CHECK_INTS(c.out[0].t, FERRY_DT_INT64, 0, 1, 0);
    op_end(&c);
    op_begin(&c, "ArgMax", 0);
    op_input(&c, FERRY_DT_FLOAT, DIMS(0, 2), NULL);
    op_input_scalar_int(&c, 0);
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "empty", op_call(&c, 1, err_));
    op_end(&c);
}

RUN_TESTS("kernels_math",
          TEST(unary_float32_ops_match_tensorflow),
          TEST(unary_float64_ops_match_tensorflow),
          TEST(unary_half_and_bfloat16_round_like_tensorflow),
          TEST(unary_integers_wrap),
          TEST(predicates_and_logical_not),
          TEST(binary_real_ops_and_clip),
          TEST(reductions_match_tensorflow),
          TEST(reductions_of_integers_bools_and_empties),
          TEST(reduction_axes_are_checked),
          TEST(arg_max_and_min),
          TEST(vectorized_maps_stay_within_ulps),
          TEST(exp_of_nonpositive_stays_within_ulps),
          TEST(vector_targets_agree))
