#include "kernels/philox.h"

#include <math.h>
#include <string.h>

#define MUL0 0xD2511F53u
#define MUL1 0xCD9E8D57u
#define BUMP0 0x9E3779B9u
#define BUMP1 0xBB67AE85u
#define PI 3.14159265358979323846

static void round4(uint32_t c[4], const uint32_t k[2])
{
    uint64_t p0 = (uint64_t)MUL0 * c[0], p1 = (uint64_t)MUL1 * c[2];
    uint32_t hi0 = (uint32_t)(p0 >> 32), lo0 = (uint32_t)p0, hi1 = (uint32_t)(p1 >> 32), lo1 = (uint32_t)p1;
    uint32_t r[4] = { hi1 ^ c[1] ^ k[0], lo1, hi0 ^ c[3] ^ k[1], lo0 };
    memcpy(c, r, sizeof r);
}

void fy_philox_next(fy_philox *g, uint32_t out[4])
{
    uint32_t c[4], k[2] = { g->key[0], g->key[1] };
    memcpy(c, g->counter, sizeof c);
    for (int r = 0; r < 10; r++) {
        round4(c, k);
        k[0] += BUMP0;
        k[1] += BUMP1;
    }
    memcpy(out, c, sizeof c);
    for (int i = 0; i < 4 && ++g->counter[i] == 0; i++)
        ;
}

void fy_philox_skip(fy_philox *g, uint64_t n)
{
    uint64_t lo = ((uint64_t)g->counter[1] << 32 | g->counter[0]) + n;
    int carry = lo < n;
    g->counter[0] = (uint32_t)lo;
    g->counter[1] = (uint32_t)(lo >> 32);
    for (int i = 2; carry && i < 4; i++)
        carry = ++g->counter[i] == 0;
}

void fy_philox_from_seed(fy_philox *g, uint64_t seed0, uint64_t seed1)
{
    fy_philox s = { { 0x3ec8f720u, 0x02461e29u },
                    { (uint32_t)seed0, (uint32_t)(seed0 >> 32), (uint32_t)seed1, (uint32_t)(seed1 >> 32) } };
    uint32_t mix[4];
    fy_philox_next(&s, mix);
    *g = (fy_philox){ { mix[0], mix[1] }, { 0, 0, mix[2], mix[3] } };
}

float fy_philox_float(uint32_t x)
{
    uint32_t bits = 0x3f800000u | (x & 0x7fffffu);
    float f;
    memcpy(&f, &bits, sizeof f);
    return f - 1.0f;
}

double fy_philox_double(uint32_t hi, uint32_t lo)
{
    uint64_t bits = 0x3ff0000000000000ull | ((uint64_t)(hi & 0xfffffu) << 32) | lo;
    double d;
    memcpy(&d, &bits, sizeof d);
    return d - 1.0;
}

/* 1 + mantissa/2^10 - 1 in float16, computed exactly in float and
 * converted without rounding (the result has at most 10 significant bits). */
uint16_t fy_philox_half(uint32_t x)
{
    uint16_t man = (uint16_t)(x & 0x3ffu);
    if (!man)
        return 0;
    float v = (float)man / 1024.0f; /* exact */
    uint32_t b;
    memcpy(&b, &v, sizeof b);
    int exp = (int)((b >> 23) & 0xff) - 127 + 15; /* v >= 2^-10: normal in float16 */
    return (uint16_t)((exp << 10) | ((b >> 13) & 0x3ffu));
}

uint16_t fy_philox_bfloat16(uint32_t x)
{
    uint16_t man = (uint16_t)(x & 0x7fu);
    float v = (float)man / 128.0f;
    uint32_t b;
    memcpy(&b, &v, sizeof b);
    return (uint16_t)(b >> 16);
}

void fy_philox_normal_f32(uint32_t x0, uint32_t x1, float *f0, float *f1)
{
    const float epsilon = 1.0e-7f;
    float u1 = fy_philox_float(x0);
    if (u1 < epsilon)
        u1 = epsilon;
    float v1 = (float)(2.0 * PI * fy_philox_float(x1)); /* in double, as TF writes it */
    float u2 = sqrtf(-2.0f * logf(u1));
    *f0 = sinf(v1) * u2;
    *f1 = cosf(v1) * u2;
}

void fy_philox_normal_f64(const uint32_t x[4], double *d0, double *d1)
{
    const double epsilon = 1.0e-7;
    double u1 = fy_philox_double(x[0], x[1]);
    if (u1 < epsilon)
        u1 = epsilon;
    double v1 = 2 * PI * fy_philox_double(x[2], x[3]);
    double u2 = sqrt(-2.0 * log(u1));
    *d0 = sin(v1) * u2;
    *d1 = cos(v1) * u2;
}
