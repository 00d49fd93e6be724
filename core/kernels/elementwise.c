#include "kernels/elementwise.h"

#include <math.h>
#include <string.h>

int fy_broadcast_shape(int64_t *out, int *out_rank, const ferry_tensor *a, const ferry_tensor *b)
{
    int rank = a->rank > b->rank ? a->rank : b->rank;
    for (int d = 0; d < rank; d++) {
        int da = d - (rank - a->rank), db = d - (rank - b->rank);
        int64_t x = da >= 0 ? a->dims[da] : 1, y = db >= 0 ? b->dims[db] : 1;
        if (x != y && x != 1 && y != 1)
            return 0;
        out[d] = x == 1 ? y : x;
    }
    *out_rank = rank;
    return 1;
}

void fy_broadcast_init(fy_broadcast *bc, const ferry_tensor *a, const ferry_tensor *b, const int64_t *dims, int rank)
{
    memset(bc, 0, sizeof(*bc));
    /* Nothing to walk; an empty operand's other dims may multiply past int64. */
    if (fy_shape_count(dims, rank, 1) == 0)
        return;
    bc->rank = rank;
    bc->count = 1;
    int64_t sa = 1, sb = 1;
    for (int d = rank - 1; d >= 0; d--) {
        int da = d - (rank - a->rank), db = d - (rank - b->rank);
        int64_t x = da >= 0 ? a->dims[da] : 1, y = db >= 0 ? b->dims[db] : 1;
        bc->dims[d] = dims[d];
        bc->a_stride[d] = x == 1 ? 0 : sa;
        bc->b_stride[d] = y == 1 ? 0 : sb;
        sa *= x;
        sb *= y;
        bc->count *= dims[d];
    }
    /* Merge dim d into d + 1 where both inputs continue contiguously (or
     * both stay put); the output always does. */
    int r = 0;
    for (int d = 0; d < rank; d++) {
        if (r > 0 && bc->a_stride[r - 1] == bc->a_stride[d] * bc->dims[d] &&
            bc->b_stride[r - 1] == bc->b_stride[d] * bc->dims[d]) {
            bc->dims[r - 1] *= bc->dims[d];
            bc->a_stride[r - 1] = bc->a_stride[d];
            bc->b_stride[r - 1] = bc->b_stride[d];
            continue;
        }
        bc->dims[r] = bc->dims[d];
        bc->a_stride[r] = bc->a_stride[d];
        bc->b_stride[r] = bc->b_stride[d];
        r++;
    }
    bc->rank = r;
    bc->inner = r ? bc->dims[r - 1] : 1;
    bc->a_inner = r ? bc->a_stride[r - 1] : 0;
    bc->b_inner = r ? bc->b_stride[r - 1] : 0;
}

float fy_half_to_float(uint16_t h)
{
    int sign = h >> 15, exp = (h >> 10) & 0x1f, mant = h & 0x3ff;
    float v = exp == 0 ? ldexpf((float)mant, -24)
            : exp == 31 ? (mant ? NAN : INFINITY)
                        : ldexpf((float)(mant | 0x400), exp - 25);
    return sign ? -v : v;
}

uint16_t fy_float_to_half(float f)
{
    uint32_t x;
    memcpy(&x, &f, 4);
    uint32_t sign = (x >> 16) & 0x8000;
    uint32_t abs = x & 0x7fffffff;
    if (abs >= 0x7f800000) /* inf or nan */
        return (uint16_t)(sign | 0x7c00 | (abs > 0x7f800000 ? 0x200 : 0));
    if (abs >= 0x477ff000) /* rounds to inf */
        return (uint16_t)(sign | 0x7c00);
    if (abs < 0x38800000) { /* subnormal half (or zero) */
        float scaled = fabsf(f) * 16777216.0f; /* 2^24 */
        uint32_t m = (uint32_t)nearbyintf(scaled);
        return (uint16_t)(sign | m);
    }
    uint32_t mant = abs & 0x7fffff, exp = (abs >> 23) - 112;
    uint32_t h = (exp << 10) | (mant >> 13);
    uint32_t rest = mant & 0x1fff;
    if (rest > 0x1000 || (rest == 0x1000 && (h & 1)))
        h++;
    return (uint16_t)(sign | h);
}

float fy_bfloat16_to_float(uint16_t b)
{
    uint32_t x = (uint32_t)b << 16;
    float f;
    memcpy(&f, &x, 4);
    return f;
}

uint16_t fy_float_to_bfloat16(float f)
{
    uint32_t x;
    memcpy(&x, &f, 4);
    if ((x & 0x7fffffff) > 0x7f800000)
        return (uint16_t)((x >> 16) | 0x40);
    x += 0x7fff + ((x >> 16) & 1);
    return (uint16_t)(x >> 16);
}
