/* The float maps of fast_math.h for AVX-512: the C functions' operations
 * one for one, in the same order, on sixteen lanes, so the bits are the
 * baseline's. Selects compute both sides, as the C does. */
#include "kernels/fast_math.h"

#ifdef FY_AVX512

#define V __m512
#define SET(c) _mm512_set1_ps(c)
#define ADD _mm512_add_ps
#define SUB _mm512_sub_ps
#define MUL _mm512_mul_ps
#define DIV _mm512_div_ps
#define LT(a, b) _mm512_cmp_ps_mask((a), (b), _CMP_LT_OQ)
#define PICK(m, yes, no) _mm512_mask_blend_ps((m), (no), (yes)) /* m ? yes : no */
#define IS_NAN(x) _mm512_cmp_ps_mask((x), (x), _CMP_UNORD_Q)
#define ABS(x) _mm512_castsi512_ps(_mm512_and_si512(_mm512_castps_si512(x), _mm512_set1_epi32(INT32_MAX)))
#define NEGATE(x) _mm512_castsi512_ps(_mm512_xor_si512(_mm512_castps_si512(x), _mm512_set1_epi32(INT32_MIN)))
/* The magnitude of a with the sign of b. */
#define COPYSIGN(a, b)                                                                                  \
    _mm512_castsi512_ps(_mm512_or_si512(_mm512_castps_si512(ABS(a)),                                     \
                                        _mm512_and_si512(_mm512_castps_si512(b), _mm512_set1_epi32(INT32_MIN))))

/* Sixteen floats at a time through FN, the rest through the C function. */
#define DEFINE_MAP(NAME, FN, SCALAR)                                     \
    FY_TARGET_AVX512 void NAME(const float *x, float *y, int64_t n)      \
    {                                                                    \
        int64_t i = 0;                                                   \
        for (; i + 16 <= n; i += 16)                                     \
            _mm512_storeu_ps(y + i, FN(_mm512_loadu_ps(x + i)));         \
        for (; i < n; i++)                                               \
            y[i] = SCALAR(x[i]);                                         \
    }

FY_TARGET_AVX512 static V exp_scaled(V x, int32_t bias)
{
    V k = MUL(x, SET(1.44269504088896341f));
    V half = PICK(LT(k, _mm512_setzero_ps()), SET(-0.5f), SET(0.5f));
    __m512i ni = _mm512_cvttps_epi32(ADD(k, half));
    V n = _mm512_cvtepi32_ps(ni);
    V r = SUB(SUB(x, MUL(n, SET(0.693359375f))), MUL(n, SET(-2.12194440e-4f)));
    V p = SET(1.9875691500e-4f);
    p = ADD(MUL(p, r), SET(1.3981999507e-3f));
    p = ADD(MUL(p, r), SET(8.3334519073e-3f));
    p = ADD(MUL(p, r), SET(4.1665795894e-2f));
    p = ADD(MUL(p, r), SET(1.6666665459e-1f));
    p = ADD(MUL(p, r), SET(5.0000001201e-1f));
    p = ADD(ADD(MUL(MUL(p, r), r), r), SET(1.0f));
    __m512i bits = _mm512_slli_epi32(_mm512_add_epi32(ni, _mm512_set1_epi32(127 + bias)), 23);
    return MUL(p, _mm512_castsi512_ps(bits));
}

FY_TARGET_AVX512 static V tanh16(V x)
{
    V a = ABS(x), s = MUL(x, x);
    V small = ADD(MUL(SET(-5.70498872745e-3f), s), SET(2.06390887954e-2f));
    small = SUB(MUL(small, s), SET(5.37397155531e-2f));
    small = ADD(MUL(small, s), SET(1.33314422036e-1f));
    small = SUB(MUL(small, s), SET(3.33332819422e-1f));
    small = ADD(MUL(MUL(small, s), x), x);
    V capped = PICK(LT(a, SET(10.0f)), a, SET(10.0f));
    V e = exp_scaled(MUL(SET(2.0f), capped), 0);
    V large = COPYSIGN(SUB(SET(1.0f), DIV(SET(2.0f), ADD(e, SET(1.0f)))), x);
    V y = PICK(LT(a, SET(0.625f)), COPYSIGN(small, x), large);
    return PICK(IS_NAN(x), x, y);
}

FY_TARGET_AVX512 static V sigmoid16(V x)
{
    V v = NEGATE(x);
    v = PICK(LT(SET(-24.0f), v), v, SET(-24.0f));
    v = PICK(LT(v, SET(104.0f)), v, SET(104.0f));
    V y = DIV(SET(0x1p-64f), ADD(SET(0x1p-64f), exp_scaled(v, -64)));
    return PICK(IS_NAN(x), x, y);
}

FY_TARGET_AVX512 static V exp_nonpositive16(V x)
{
    V v = PICK(LT(SET(-104.0f), x), x, SET(-104.0f));
    v = PICK(LT(v, _mm512_setzero_ps()), v, _mm512_setzero_ps());
    V y = MUL(exp_scaled(v, 64), SET(0x1p-64f));
    return PICK(IS_NAN(x), x, y);
}

FY_TARGET_AVX512 static V erfc_tail(V a)
{
    V hi = _mm512_castsi512_ps(_mm512_and_si512(_mm512_castps_si512(a), _mm512_set1_epi32((int32_t)0xfffff000u)));
    V lo = SUB(a, hi);
    V e = MUL(exp_scaled(MUL(NEGATE(hi), hi), 64), exp_scaled(MUL(NEGATE(lo), ADD(a, hi)), 0));
    V t = DIV(SET(1.0f), ADD(a, SET(1.0f))), g = SET(fy_erfc_g[0]);
    for (int i = 1; i < 9; i++)
        g = ADD(MUL(g, t), SET(fy_erfc_g[i]));
    V r = DIV(SET(1.0f), a), u = MUL(r, r), h = SET(fy_erfc_h[0]);
    for (int i = 1; i < 9; i++)
        h = ADD(MUL(h, u), SET(fy_erfc_h[i]));
    V factor = PICK(LT(a, SET(2.0f)), g, MUL(h, r));
    return MUL(MUL(e, factor), SET(0x1p-64f));
}

FY_TARGET_AVX512 static V erfc16(V x)
{
    V a = ABS(x);
    V s = MUL(x, x), p = SET(fy_erfc_p[0]);
    for (int i = 1; i < 5; i++)
        p = ADD(MUL(p, s), SET(fy_erfc_p[i]));
    V near = SUB(SET(1.0f), MUL(x, p));
    __mmask16 small = LT(a, SET(0.5f)), finite = LT(a, SET(FY_ERFC_ZERO_FROM));
    V clamped = PICK(small, SET(0.5f), PICK(finite, a, SET(FY_ERFC_ZERO_FROM)));
    V tail = PICK(finite, erfc_tail(clamped), _mm512_setzero_ps());
    V far = PICK(LT(x, _mm512_setzero_ps()), SUB(SET(2.0f), tail), tail);
    V y = PICK(small, near, far);
    return PICK(IS_NAN(x), x, y);
}

DEFINE_MAP(fy_tanh_array_f32_avx512, tanh16, fy_tanh_f32)
DEFINE_MAP(fy_sigmoid_array_f32_avx512, sigmoid16, fy_sigmoid_f32)
DEFINE_MAP(fy_exp_nonpositive_array_f32_avx512, exp_nonpositive16, fy_exp_nonpositive_f32)
DEFINE_MAP(fy_erfc_array_f32_avx512, erfc16, fy_erfc_f32)

#endif
