/* Bitwise ops on integers: BitwiseAnd/Or/Xor and the shifts with
 * broadcasting, Invert and PopulationCount. Shift amounts are clamped to
 * [0, bits - 1] as TF does; a right shift of a negative signed value fills
 * with ones (arithmetic shift). */
#include "kernels/elementwise.h"

typedef enum bitop { AND, OR, XOR, SHL, SHR } bitop;

static int dtype_bits(ferry_dtype dt, int *is_signed)
{
    *is_signed = dt == FERRY_DT_INT8 || dt == FERRY_DT_INT16 || dt == FERRY_DT_INT32 || dt == FERRY_DT_INT64;
    switch (dt) {
    case FERRY_DT_INT8: case FERRY_DT_UINT8: return 8;
    case FERRY_DT_INT16: case FERRY_DT_UINT16: return 16;
    case FERRY_DT_INT32: case FERRY_DT_UINT32: return 32;
    case FERRY_DT_INT64: case FERRY_DT_UINT64: return 64;
    default: return 0;
    }
}

/* Element i of an integer tensor as its two's complement bits, sign-extended. */
static uint64_t load(const void *data, int bits, int is_signed, int64_t i)
{
    switch (bits) {
    case 8: return is_signed ? (uint64_t)(int64_t)((const int8_t *)data)[i] : ((const uint8_t *)data)[i];
    case 16: return is_signed ? (uint64_t)(int64_t)((const int16_t *)data)[i] : ((const uint16_t *)data)[i];
    case 32: return is_signed ? (uint64_t)(int64_t)((const int32_t *)data)[i] : ((const uint32_t *)data)[i];
    default: return ((const uint64_t *)data)[i];
    }
}

static void store(void *data, int bits, int64_t i, uint64_t v)
{
    switch (bits) {
    case 8: ((uint8_t *)data)[i] = (uint8_t)v; break;
    case 16: ((uint16_t *)data)[i] = (uint16_t)v; break;
    case 32: ((uint32_t *)data)[i] = (uint32_t)v; break;
    default: ((uint64_t *)data)[i] = v; break;
    }
}

static uint64_t apply(bitop op, uint64_t x, uint64_t y, int bits, int is_signed)
{
    int64_t amount = is_signed ? (int64_t)y : (y > 64 ? 64 : (int64_t)y);
    int shift = amount < 0 ? 0 : amount > bits - 1 ? bits - 1 : (int)amount;
    switch (op) {
    case AND: return x & y;
    case OR: return x | y;
    case XOR: return x ^ y;
    case SHL: return x << shift;
    default:
        if (is_signed && (x >> 63)) /* x was negative: keep the sign bits */
            return ~(~x >> shift);
        return x >> shift;
    }
}

static ferry_status binary_bits(fy_kernel_ctx *ctx, bitop op)
{
    const ferry_tensor *a = fy_input(ctx, 0), *b = a ? fy_input(ctx, 1) : NULL;
    int is_signed, bits = a ? dtype_bits(a->dtype, &is_signed) : 0;
    if (!b)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (!bits)
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "takes integers, not %s", ferry_dtype_name(a->dtype));
    if (a->dtype != b->dtype)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "inputs are %s and %s", ferry_dtype_name(a->dtype),
                              ferry_dtype_name(b->dtype));
    int64_t dims[FERRY_MAX_RANK];
    int rank;
    if (!fy_broadcast_shape(dims, &rank, a, b)) {
        char sa[128], sb[128];
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "shapes %s and %s do not broadcast",
                              fy_dims_str(sa, sizeof sa, a->dims, a->rank), fy_dims_str(sb, sizeof sb, b->dims, b->rank));
    }
    ferry_tensor *out = fy_output_new_uninit(ctx, 0, a->dtype, dims, rank);
    if (!out)
        return FERRY_ERR_OUT_OF_MEMORY;
    if (out->count == 0)
        return FERRY_OK;
    fy_broadcast bc;
    fy_broadcast_init(&bc, a, b, dims, rank);
    FY_BROADCAST_LOOP(bc, i, ai, bi)
    store(out->data, bits, i,
          apply(op, load(a->data, bits, is_signed, ai), load(b->data, bits, is_signed, bi), bits, is_signed));
    return FERRY_OK;
}

#define BINARY(NAME, OP) \
    static ferry_status NAME(fy_kernel_ctx *ctx) { return binary_bits(ctx, OP); }
BINARY(k_bitwise_and, AND)
BINARY(k_bitwise_or, OR)
BINARY(k_bitwise_xor, XOR)
BINARY(k_left_shift, SHL)
BINARY(k_right_shift, SHR)

/* Invert (bitwise not, same dtype) and PopulationCount (uint8 counts). */
static ferry_status unary_bits(fy_kernel_ctx *ctx, int count)
{
    const ferry_tensor *x = fy_input(ctx, 0);
    int is_signed, bits = x ? dtype_bits(x->dtype, &is_signed) : 0;
    if (!x)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (!bits)
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "takes integers, not %s", ferry_dtype_name(x->dtype));
    ferry_tensor *out = fy_output_new_uninit(ctx, 0, count ? FERRY_DT_UINT8 : x->dtype, x->dims, x->rank);
    if (!out)
        return FERRY_ERR_OUT_OF_MEMORY;
    for (int64_t i = 0; i < x->count; i++) {
        uint64_t v = load(x->data, bits, 0, i);
        if (!count) {
            store(out->data, bits, i, ~v);
            continue;
        }
        uint8_t n = 0;
        for (; v; v &= v - 1)
            n++;
        ((uint8_t *)out->data)[i] = n;
    }
    return FERRY_OK;
}

static ferry_status k_invert(fy_kernel_ctx *ctx)
{
    return unary_bits(ctx, 0);
}

static ferry_status k_population_count(fy_kernel_ctx *ctx)
{
    return unary_bits(ctx, 1);
}

const fy_op_def fy_kernels_bitwise[] = {
    { .name = "BitwiseAnd", .run = k_bitwise_and, .shape = fy_shape_broadcast },
    { .name = "BitwiseOr", .run = k_bitwise_or, .shape = fy_shape_broadcast },
    { .name = "BitwiseXor", .run = k_bitwise_xor, .shape = fy_shape_broadcast },
    { .name = "LeftShift", .run = k_left_shift, .shape = fy_shape_broadcast },
    { .name = "RightShift", .run = k_right_shift, .shape = fy_shape_broadcast },
    { .name = "Invert", .run = k_invert, .shape = fy_shape_same },
    { .name = "PopulationCount", .run = k_population_count, .shape = fy_shape_same },
    { .name = NULL },
};
