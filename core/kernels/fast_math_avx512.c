/* fy_erfc_array_f32 for AVX-512 (see fast_math.h): fy_erfc_f32's operations
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

FY_TARGET_AVX512 static V erfc_tail(V a)
{
    V hi = _mm512_castsi512_ps(_mm512_and_si512(_mm512_castps_si512(a), _mm512_set1_epi32((int32_t)0xfffff000u)));
    V lo = SUB(a, hi);
    V minus_hi = _mm512_castsi512_ps(_mm512_xor_si512(_mm512_castps_si512(hi), _mm512_set1_epi32(INT32_MIN)));
    V minus_lo = _mm512_castsi512_ps(_mm512_xor_si512(_mm512_castps_si512(lo), _mm512_set1_epi32(INT32_MIN)));
    V e = MUL(exp_scaled(MUL(minus_hi, hi), 64), exp_scaled(MUL(minus_lo, ADD(a, hi)), 0));
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
    V a = _mm512_castsi512_ps(_mm512_and_si512(_mm512_castps_si512(x), _mm512_set1_epi32(INT32_MAX)));
    V s = MUL(x, x), p = SET(fy_erfc_p[0]);
    for (int i = 1; i < 5; i++)
        p = ADD(MUL(p, s), SET(fy_erfc_p[i]));
    V near = SUB(SET(1.0f), MUL(x, p));
    __mmask16 small = LT(a, SET(0.5f)), finite = LT(a, SET(FY_ERFC_ZERO_FROM));
    V clamped = PICK(small, SET(0.5f), PICK(finite, a, SET(FY_ERFC_ZERO_FROM)));
    V tail = PICK(finite, erfc_tail(clamped), _mm512_setzero_ps());
    V far = PICK(LT(x, _mm512_setzero_ps()), SUB(SET(2.0f), tail), tail);
    V y = PICK(small, near, far);
    return PICK(_mm512_cmp_ps_mask(x, x, _CMP_UNORD_Q), x, y);
}

FY_TARGET_AVX512 void fy_erfc_array_f32_avx512(const float *x, float *y, int64_t n)
{
    int64_t i = 0;
    for (; i + 16 <= n; i += 16)
        _mm512_storeu_ps(y + i, erfc16(_mm512_loadu_ps(x + i)));
    for (; i < n; i++)
        y[i] = fy_erfc_f32(x[i]);
}

#endif
