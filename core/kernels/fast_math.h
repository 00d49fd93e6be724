/* Float tanh, sigmoid, erfc and exp (of x <= 0) over arrays, written without branches so
 * that the compiler vectorizes the loops: libm's tanhf and erfcf, one
 * element per call, took 25 and up to 12 ns an element (a fifth of an LSTM's
 * time, a sixth of BERT-small's in GELU), and a sigmoid through libm's expf
 * with a branch on the sign was a fifth of an LSTM's at batch 32.
 * TensorFlow computes all three with Eigen's own approximations, not libm,
 * so none is bit-equal to it; these stay within a few ULPs of the exact
 * values (test_kernels_nn checks them against double-precision libm).
 *
 * erfc has an AVX-512 form too (GCC does not vectorize this C for AVX
 * targets, where if-conversion of its selects fails).
 *
 * e^r on [-ln2/2, ln2/2] is a degree-6 polynomial (Cephes' coefficients),
 * scaled by 2^n built from the exponent bits; tanh below 0.625 is an odd
 * polynomial in x (Cephes' coefficients) and above it 1 - 2 / (e^2x + 1).
 * erfc: see scripts/fit_erfc.py, which fitted its polynomials. Both sides of
 * every choice are computed and then selected: arithmetic inside a
 * conditional would keep the compiler from vectorizing. */
#ifndef FERRY_KERNELS_FAST_MATH_H
#define FERRY_KERNELS_FAST_MATH_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "kernels/simd.h"

/* From scripts/fit_erfc.py. P: erf(x) / x in x^2 for |x| < 0.5; G:
 * erfc(a) e^(a^2) in 1 / (a + 1) for 0.5 <= a < 2; H: a erfc(a) e^(a^2) in
 * 1 / a^2 from 2 on. Highest power first. */
static const float fy_erfc_p[5] = { 4.728139844e-03f, -2.676265873e-02f, 1.128291860e-01f, -3.761261404e-01f,
                                    1.128379226e+00f };
static const float fy_erfc_g[9] = { 2.330549806e-01f, -8.048949242e-01f, 8.385700583e-01f,
                                    3.328145146e-01f, -1.382937312e+00f, 7.524087429e-01f,
                                    4.541147351e-01f, 5.781284571e-01f, -7.520844811e-04f };
static const float fy_erfc_h[9] = { 3.108793068e+01f, -4.179855728e+01f, 2.583916473e+01f,
                                    -1.026060486e+01f, 3.253403187e+00f, -1.037347674e+00f,
                                    4.225947857e-01f, -2.820874751e-01f, 5.641895533e-01f };
/* erfc(x) rounds to 0 from here on. */
#define FY_ERFC_ZERO_FROM 1.005419540e+01f

/* Maps over arrays. y may be x (kernels map in place), and a compiler
 * vectorizing y[i] = f(x[i]) directly checks for that overlap at run time
 * and falls back to one element at a time; blocks through local arrays
 * vectorize either way. */
#define FY_FAST_MAP_BLOCK 16
#define FY_DEFINE_FAST_MAP(NAME, FN)                                        \
    static inline void NAME(const float *x, float *y, int64_t n)            \
    {                                                                       \
        int64_t i = 0;                                                      \
        for (; i + FY_FAST_MAP_BLOCK <= n; i += FY_FAST_MAP_BLOCK) {        \
            float in[FY_FAST_MAP_BLOCK], out[FY_FAST_MAP_BLOCK];            \
            memcpy(in, x + i, sizeof(in));                                  \
            for (int k = 0; k < FY_FAST_MAP_BLOCK; k++)                     \
                out[k] = FN(in[k]);                                         \
            memcpy(y + i, out, sizeof(out));                                \
        }                                                                   \
        for (; i < n; i++)                                                  \
            y[i] = FN(x[i]);                                                \
    }

/* e^x * 2^bias for x * log2(e) + bias within the normal exponents (callers
 * clamp), within about 1 ULP. */
static inline float fy_exp_scaled_f32(float x, int32_t bias)
{
    const float log2e = 1.44269504088896341f, ln2_hi = 0.693359375f, ln2_lo = -2.12194440e-4f;
    float k = x * log2e;
    float half = k < 0 ? -0.5f : 0.5f;
    float n = (float)(int32_t)(k + half);
    float r = x - n * ln2_hi - n * ln2_lo;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * r * r + r + 1.0f;
    int32_t bits = ((int32_t)n + 127 + bias) << 23;
    float scale;
    memcpy(&scale, &bits, sizeof(scale));
    return p * scale;
}

/* e^x for x in [-87, 88]. */
static inline float fy_exp_f32(float x)
{
    return fy_exp_scaled_f32(x, 0);
}

static inline float fy_tanh_f32(float x)
{
    float a = fabsf(x);
    float s = x * x;
    float small = ((((-5.70498872745e-3f * s + 2.06390887954e-2f) * s - 5.37397155531e-2f) * s +
                    1.33314422036e-1f) * s - 3.33332819422e-1f) * s * x + x;
    float capped = a < 10.0f ? a : 10.0f; /* tanh(x) rounds to 1 from 9.01 on */
    float e = fy_exp_f32(2.0f * capped);
    float large = copysignf(1.0f - 2.0f / (e + 1.0f), x);
    small = copysignf(small, x); /* keeps tanh(-0) = -0 */
    float y = a < 0.625f ? small : large;
    return x != x ? x : y;
}

/* e^x for x <= 0 (softmax's shifted logits), taken times 2^64 and scaled
 * back last so that subnormal results keep their bits; from x = -104 on the
 * result rounds to 0. x > 0 is outside its domain and gives 1. */
static inline float fy_exp_nonpositive_f32(float x)
{
    float v = x > -104.0f ? x : -104.0f;
    v = v < 0.0f ? v : 0.0f;
    float y = fy_exp_scaled_f32(v, 64) * 0x1p-64f;
    return x != x ? x : y;
}

/* 1 / (1 + e^-x) as s / (s + e^-x s) with s = 2^-64: the scaled
 * exponential stays a normal float from x = 24, where the result has
 * rounded to 1, down to x = -104, where it rounds to 0; below x = -88 the
 * division makes the subnormal results. */
static inline float fy_sigmoid_f32(float x)
{
    float v = -x;
    v = v > -24.0f ? v : -24.0f;
    v = v < 104.0f ? v : 104.0f;
    float y = 0x1p-64f / (0x1p-64f + fy_exp_scaled_f32(v, -64));
    return x != x ? x : y;
}

/* erfc(a) for a >= 0.5 as e^(-a^2) times a fitted factor. a^2 is split as
 * hi^2 + lo (a + hi), hi being a with its low 12 bits cleared so that hi^2
 * is exact: e^(-a^2) from a rounded a^2 would be off by up to a^2 ULPs. The
 * exponential is taken times 2^64, and the 2^-64 applied last, so that it
 * stays normal down to erfc's own underflow. */
static inline float fy_erfc_tail_f32(float a)
{
    uint32_t bits;
    memcpy(&bits, &a, sizeof(bits));
    bits &= 0xfffff000u;
    float hi;
    memcpy(&hi, &bits, sizeof(hi));
    float lo = a - hi;
    float e = fy_exp_scaled_f32(-hi * hi, 64) * fy_exp_f32(-lo * (a + hi));
    float t = 1.0f / (a + 1.0f), g = fy_erfc_g[0];
    for (int i = 1; i < 9; i++)
        g = g * t + fy_erfc_g[i];
    float r = 1.0f / a, u = r * r, h = fy_erfc_h[0];
    for (int i = 1; i < 9; i++)
        h = h * u + fy_erfc_h[i];
    float factor = a < 2.0f ? g : h * r;
    return e * factor * 0x1p-64f;
}

static inline float fy_erfc_f32(float x)
{
    float a = fabsf(x), s = x * x, p = fy_erfc_p[0];
    for (int i = 1; i < 5; i++)
        p = p * s + fy_erfc_p[i];
    float near = 1.0f - x * p;
    float clamped = a < 0.5f ? 0.5f : a < FY_ERFC_ZERO_FROM ? a : FY_ERFC_ZERO_FROM;
    float tail = fy_erfc_tail_f32(clamped);
    tail = a < FY_ERFC_ZERO_FROM ? tail : 0.0f;
    float far = x < 0 ? 2.0f - tail : tail;
    float y = a < 0.5f ? near : far;
    return x != x ? x : y;
}

FY_DEFINE_FAST_MAP(fy_tanh_array_f32, fy_tanh_f32)
FY_DEFINE_FAST_MAP(fy_sigmoid_array_f32, fy_sigmoid_f32)
FY_DEFINE_FAST_MAP(fy_exp_nonpositive_array_f32, fy_exp_nonpositive_f32)
FY_DEFINE_FAST_MAP(fy_erfc_array_f32, fy_erfc_f32)

#ifdef FY_AVX512
/* The maps with AVX-512 (fast_math_avx512.c): the same operations in the
 * same order, sixteen lanes at a time, so the same bits. */
void fy_tanh_array_f32_avx512(const float *x, float *y, int64_t n);
void fy_sigmoid_array_f32_avx512(const float *x, float *y, int64_t n);
void fy_exp_nonpositive_array_f32_avx512(const float *x, float *y, int64_t n);
void fy_erfc_array_f32_avx512(const float *x, float *y, int64_t n);
#endif

#endif
