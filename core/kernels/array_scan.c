/* Cumsum and Cumprod along one axis, optionally exclusive and/or reversed.
 * Accumulation runs in the element type, as TF's does: integers wrap,
 * float16/bfloat16 round after every step. */
#include "kernels/array_internal.h"
#include "kernels/elementwise.h"

/* One line of the scan: element j sits at base + j * step. */
typedef struct scan_line {
    int64_t base, step, n;
    int exclusive, reverse, product;
} scan_line;

static int64_t pos(const scan_line *l, int64_t j)
{
    return l->base + (l->reverse ? l->n - 1 - j : j) * l->step;
}

static uint64_t load_bits(const ferry_tensor *t, int64_t i)
{
    switch (t->dtype) {
    case FERRY_DT_INT8: return (uint64_t)((const int8_t *)t->data)[i];
    case FERRY_DT_INT16: return (uint64_t)((const int16_t *)t->data)[i];
    case FERRY_DT_INT32: return (uint64_t)((const int32_t *)t->data)[i];
    case FERRY_DT_UINT8: return ((const uint8_t *)t->data)[i];
    case FERRY_DT_UINT16: return ((const uint16_t *)t->data)[i];
    case FERRY_DT_UINT32: return ((const uint32_t *)t->data)[i];
    default: return ((const uint64_t *)t->data)[i];
    }
}

/* Integers: arithmetic mod 2^64, truncated on store, equals wrapping in T. */
static void scan_int(const scan_line *l, const ferry_tensor *x, ferry_tensor *out)
{
    size_t esz = ferry_dtype_size(x->dtype);
    uint64_t acc = l->product;
    for (int64_t j = 0; j < l->n; j++) {
        int64_t p = pos(l, j);
        uint64_t v = load_bits(x, p), next = l->product ? acc * v : acc + v;
        uint64_t keep = l->exclusive ? acc : next;
        acc = next;
        /* the low esz bytes of keep, in memory order */
        switch (esz) {
        case 1: ((uint8_t *)out->data)[p] = (uint8_t)keep; break;
        case 2: ((uint16_t *)out->data)[p] = (uint16_t)keep; break;
        case 4: ((uint32_t *)out->data)[p] = (uint32_t)keep; break;
        default: ((uint64_t *)out->data)[p] = keep; break;
        }
    }
}

static float load_small(const ferry_tensor *t, int64_t i)
{
    if (t->dtype == FERRY_DT_FLOAT)
        return ((const float *)t->data)[i];
    uint16_t h = ((const uint16_t *)t->data)[i];
    return t->dtype == FERRY_DT_HALF ? fy_half_to_float(h) : fy_bfloat16_to_float(h);
}

static void store_small(ferry_tensor *t, int64_t i, float v)
{
    if (t->dtype == FERRY_DT_FLOAT)
        ((float *)t->data)[i] = v;
    else
        ((uint16_t *)t->data)[i] = t->dtype == FERRY_DT_HALF ? fy_float_to_half(v) : fy_float_to_bfloat16(v);
}

/* float, half, bfloat16: the accumulator is rounded to T after each step. */
static void scan_small_float(const scan_line *l, const ferry_tensor *x, ferry_tensor *out)
{
    float acc = l->product ? 1.0f : 0.0f;
    for (int64_t j = 0; j < l->n; j++) {
        int64_t p = pos(l, j);
        float v = load_small(x, p), next = l->product ? acc * v : acc + v;
        if (x->dtype == FERRY_DT_HALF)
            next = fy_half_to_float(fy_float_to_half(next));
        else if (x->dtype == FERRY_DT_BFLOAT16)
            next = fy_bfloat16_to_float(fy_float_to_bfloat16(next));
        store_small(out, p, l->exclusive ? acc : next);
        acc = next;
    }
}

static void scan_double(const scan_line *l, const ferry_tensor *x, ferry_tensor *out)
{
    double acc = l->product ? 1.0 : 0.0;
    for (int64_t j = 0; j < l->n; j++) {
        int64_t p = pos(l, j);
        double v = ((const double *)x->data)[p], next = l->product ? acc * v : acc + v;
        ((double *)out->data)[p] = l->exclusive ? acc : next;
        acc = next;
    }
}

#define SCAN_COMPLEX(NAME, T)                                                                 \
    static void NAME(const scan_line *l, const ferry_tensor *x, ferry_tensor *out)            \
    {                                                                                         \
        T re = l->product ? 1 : 0, im = 0;                                                    \
        const T *in = x->data;                                                                \
        T *o = out->data;                                                                     \
        for (int64_t j = 0; j < l->n; j++) {                                                  \
            int64_t p = pos(l, j);                                                            \
            T a = in[2 * p], b = in[2 * p + 1];                                               \
            T nre = l->product ? re * a - im * b : re + a;                                    \
            T nim = l->product ? re * b + im * a : im + b;                                    \
            o[2 * p] = l->exclusive ? re : nre;                                               \
            o[2 * p + 1] = l->exclusive ? im : nim;                                           \
            re = nre;                                                                         \
            im = nim;                                                                         \
        }                                                                                     \
    }
SCAN_COMPLEX(scan_c64, float)
SCAN_COMPLEX(scan_c128, double)

typedef void (*scan_fn)(const scan_line *, const ferry_tensor *, ferry_tensor *);

static scan_fn scan_for(ferry_dtype dt)
{
    switch (dt) {
    case FERRY_DT_INT8: case FERRY_DT_INT16: case FERRY_DT_INT32: case FERRY_DT_INT64:
    case FERRY_DT_UINT8: case FERRY_DT_UINT16: case FERRY_DT_UINT32: case FERRY_DT_UINT64:
        return scan_int;
    case FERRY_DT_FLOAT: case FERRY_DT_HALF: case FERRY_DT_BFLOAT16: return scan_small_float;
    case FERRY_DT_DOUBLE: return scan_double;
    case FERRY_DT_COMPLEX64: return scan_c64;
    case FERRY_DT_COMPLEX128: return scan_c128;
    default: return NULL;
    }
}

static ferry_status scan(fy_kernel_ctx *ctx, int product)
{
    const ferry_tensor *x = fy_input(ctx, 0), *axis_t = x ? fy_input(ctx, 1) : NULL;
    if (!axis_t)
        return FERRY_ERR_INVALID_ARGUMENT;
    scan_fn fn = scan_for(x->dtype);
    if (!fn)
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "not defined for %s", ferry_dtype_name(x->dtype));
    int64_t axis;
    ferry_status st = fy_arr_scalar_int(ctx, axis_t, &axis, "axis");
    if (st)
        return st;
    int64_t given = axis;
    if (!fy_axis_in_rank(&axis, x->rank))
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "axis must be in range [-%d, %d), got %lld", x->rank,
                              x->rank, (long long)given);
    ferry_tensor *out;
    if ((st = fy_arr_new_output(ctx, 0, x->dtype, x->dims, x->rank, &out)) != FERRY_OK || x->count == 0)
        return st;
    int64_t n = x->dims[axis], inner = fy_arr_inner(x->dims, x->rank, (int)axis), outer = x->count / (n * inner);
    scan_line l = { 0, inner, n, fy_attr_bool(ctx->node, "exclusive", 0), fy_attr_bool(ctx->node, "reverse", 0),
                    product };
    for (int64_t o = 0; o < outer; o++)
        for (int64_t i = 0; i < inner; i++) {
            l.base = o * n * inner + i;
            fn(&l, x, out);
        }
    return FERRY_OK;
}

ferry_status fy_arr_cumsum(fy_kernel_ctx *ctx) { return scan(ctx, 0); }
ferry_status fy_arr_cumprod(fy_kernel_ctx *ctx) { return scan(ctx, 1); }
