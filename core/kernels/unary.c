/* Elementwise math on one tensor (activations, rounding, transcendental
 * functions, predicates), plus Atan2, Xlogy & co. and ClipByValue. Real types compute
 * in their own precision (half and bfloat16 in float); integers in int64
 * with wrap-around, as TF's two's complement arithmetic does. */
#include <float.h>
#include <stdlib.h>
#include <string.h>
#include <tgmath.h>

#include "base/parallel.h"
#include "kernels/elementwise.h"
#include "kernels/fast_math.h"
#include "kernels/nn_internal.h"

typedef enum uop {
    U_NEG, U_ABS, U_SQUARE, U_SIGN, U_RELU, U_RELU6, U_ROUND, /* the ones defined for integers too */
    U_SQRT, U_RSQRT, U_RECIPROCAL, U_EXP, U_EXPM1, U_LOG, U_LOG1P,
    U_SIN, U_COS, U_TAN, U_ASIN, U_ACOS, U_ATAN, U_SINH, U_COSH, U_TANH, U_ASINH, U_ACOSH, U_ATANH,
    U_SIGMOID, U_ERF, U_ERFC, U_LGAMMA, U_FLOOR, U_CEIL, U_RINT,
    U_ELU, U_SELU, U_LEAKY_RELU, U_SOFTPLUS, U_SOFTSIGN,
    U_IS_NAN, U_IS_INF, U_IS_FINITE, /* predicates: bool results */
} uop;

/* SELU's constants (Klambauer et al.), as TF defines them. */
#define SELU_SCALE 1.0507009873554804934193349852946
#define SELU_SCALE_ALPHA 1.7580993408473768599402175208123

typedef struct uparams {
    double alpha;      /* LeakyRelu */
    double threshold;  /* Softplus: log(epsilon) + 2 of the tensor's own dtype */
} uparams;

#define MAP(T, OP, EXPR)                    \
    case OP:                                \
        for (int64_t i = 0; i < n; i++) {   \
            T v = x[i];                     \
            y[i] = (EXPR);                  \
        }                                   \
        break;

/* Per real type: the op over n elements (predicates are done elsewhere). */
#define DEFINE_REAL(SUFFIX, T)                                                                 \
    static T sigmoid_##SUFFIX(T v)                                                             \
    {                                                                                          \
        if (v >= 0)                                                                            \
            return 1 / (1 + exp(-v));                                                          \
        T e = exp(v); /* exp(-v) would overflow */                                             \
        return e / (1 + e);                                                                    \
    }                                                                                          \
    /* TF's form: x when exp(x) would swamp 1, exp(x) when 1 would swamp it. */                \
    static T softplus_##SUFFIX(T v, T threshold)                                               \
    {                                                                                          \
        if (v > -threshold)                                                                    \
            return v;                                                                          \
        return v < threshold ? exp(v) : log1p(exp(v));                                         \
    }                                                                                          \
    static void real_##SUFFIX(uop op, const uparams *p, const T *x, T *y, int64_t n)           \
    {                                                                                          \
        T alpha = (T)p->alpha, threshold = (T)p->threshold;                                    \
        switch (op) {                                                                          \
            MAP(T, U_NEG, -v)                                                                  \
            MAP(T, U_ABS, fabs(v))                                                             \
            MAP(T, U_SQUARE, v * v)                                                            \
            MAP(T, U_SIGN, v > 0 ? (T)1 : v < 0 ? (T)-1 : v == 0 ? (T)0 : v)                   \
            MAP(T, U_RELU, v > 0 || isnan(v) ? v : (T)0)                                       \
            MAP(T, U_RELU6, isnan(v) ? v : v < 0 ? (T)0 : v > 6 ? (T)6 : v)                    \
            MAP(T, U_SQRT, sqrt(v))                                                            \
            MAP(T, U_RSQRT, 1 / sqrt(v))                                                       \
            MAP(T, U_RECIPROCAL, 1 / v)                                                        \
            MAP(T, U_EXP, exp(v))                                                              \
            MAP(T, U_EXPM1, expm1(v))                                                          \
            MAP(T, U_LOG, log(v))                                                              \
            MAP(T, U_LOG1P, log1p(v))                                                          \
            MAP(T, U_SIN, sin(v))                                                              \
            MAP(T, U_COS, cos(v))                                                              \
            MAP(T, U_TAN, tan(v))                                                              \
            MAP(T, U_ASIN, asin(v))                                                            \
            MAP(T, U_ACOS, acos(v))                                                            \
            MAP(T, U_ATAN, atan(v))                                                            \
            MAP(T, U_SINH, sinh(v))                                                            \
            MAP(T, U_COSH, cosh(v))                                                            \
            MAP(T, U_TANH, tanh(v))                                                            \
            MAP(T, U_ASINH, asinh(v))                                                          \
            MAP(T, U_ACOSH, acosh(v))                                                          \
            MAP(T, U_ATANH, atanh(v))                                                          \
            MAP(T, U_SIGMOID, sigmoid_##SUFFIX(v))                                             \
            MAP(T, U_ERF, erf(v))                                                              \
            MAP(T, U_ERFC, erfc(v))                                                            \
            MAP(T, U_LGAMMA, lgamma(v))                                                        \
            MAP(T, U_FLOOR, floor(v))                                                          \
            MAP(T, U_CEIL, ceil(v))                                                            \
            MAP(T, U_ROUND, rint(v)) /* halves to even in the default rounding mode */         \
            MAP(T, U_RINT, rint(v))                                                            \
            MAP(T, U_ELU, v < 0 ? exp(v) - 1 : v)                                              \
            MAP(T, U_SELU, v < 0 ? (T)SELU_SCALE_ALPHA * (exp(v) - 1) : (T)SELU_SCALE * v)     \
            MAP(T, U_LEAKY_RELU, v > 0 ? v : v * alpha)                                        \
            MAP(T, U_SOFTPLUS, softplus_##SUFFIX(v, threshold))                                \
            MAP(T, U_SOFTSIGN, v / (1 + fabs(v)))                                              \
        default:                                                                               \
            break;                                                                             \
        }                                                                                      \
    }

DEFINE_REAL(f32, float)
DEFINE_REAL(f64, double)

/* Integers (the ops up to U_ROUND): two's complement wrap-around through
 * unsigned arithmetic. */
static void integer(uop op, const int64_t *x, int64_t *y, int64_t n)
{
    switch (op) {
        MAP(int64_t, U_NEG, (int64_t)(0u - (uint64_t)v))
        MAP(int64_t, U_ABS, v < 0 ? (int64_t)(0u - (uint64_t)v) : v)
        MAP(int64_t, U_SQUARE, (int64_t)((uint64_t)v * (uint64_t)v))
        MAP(int64_t, U_SIGN, (v > 0) - (v < 0))
        MAP(int64_t, U_RELU, v > 0 ? v : 0)
        MAP(int64_t, U_RELU6, v < 0 ? 0 : v > 6 ? 6 : v)
        MAP(int64_t, U_ROUND, v)
    default:
        break;
    }
}

static double softplus_threshold(ferry_dtype dtype)
{
    double eps = dtype == FERRY_DT_DOUBLE ? DBL_EPSILON
               : dtype == FERRY_DT_HALF ? 0.0009765625
               : dtype == FERRY_DT_BFLOAT16 ? 0.0078125
                                            : FLT_EPSILON;
    return log(eps) + 2;
}

static ferry_status unsupported(fy_kernel_ctx *ctx, ferry_dtype dtype)
{
    return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "not defined for %s", ferry_dtype_name(dtype));
}

static ferry_status predicate(fy_kernel_ctx *ctx, uop op, const ferry_tensor *x)
{
    if (!fy_nn_is_real(x->dtype))
        return unsupported(ctx, x->dtype);
    ferry_tensor *out = fy_output_new(ctx, 0, FERRY_DT_BOOL, x->dims, x->rank);
    if (!out)
        return FERRY_ERR_OUT_OF_MEMORY;
    unsigned char *y = out->data;
    for (int64_t i = 0; i < x->count; i++) {
        double v = fy_nn_get_f(x->data, x->dtype, i);
        y[i] = op == U_IS_NAN ? isnan(v) != 0 : op == U_IS_INF ? isinf(v) != 0 : isfinite(v) != 0;
    }
    return FERRY_OK;
}

/* A float unary map over slices of the pool's threads. */
typedef struct unary_job {
    uop op;
    const uparams *p;
    const float *x;
    float *y;
    int64_t n, step;
} unary_job;

typedef void (*array_map)(const float *x, float *y, int64_t n);

/* The vectorized form of a float map (kernels/fast_math.h), AVX-512 where
 * the CPU has it; NULL for maps without one. */
static array_map fast_map(uop op)
{
#ifdef FY_AVX512
    if (fy_cpu_has_avx512())
        return op == U_TANH ? fy_tanh_array_f32_avx512
             : op == U_SIGMOID ? fy_sigmoid_array_f32_avx512
             : op == U_ERFC ? fy_erfc_array_f32_avx512
                            : NULL;
#endif
    return op == U_TANH ? fy_tanh_array_f32
         : op == U_SIGMOID ? fy_sigmoid_array_f32
         : op == U_ERFC ? fy_erfc_array_f32
                        : NULL;
}

static void float_map(uop op, const uparams *p, const float *x, float *y, int64_t n)
{
    array_map fast = fast_map(op);
    if (fast)
        fast(x, y, n);
    else
        real_f32(op, p, x, y, n);
}

static void unary_slice(void *ctx, int i)
{
    const unary_job *j = ctx;
    int64_t from = i * j->step, len = j->n - from < j->step ? j->n - from : j->step;
    float_map(j->op, j->p, j->x + from, j->y + from, len);
}

#define PARALLEL_MIN_ELEMENTS ((int64_t)1 << 16)

static void map_f32(fy_kernel_ctx *ctx, uop op, const uparams *p, const float *x, float *y, int64_t n)
{
    int threads = n < PARALLEL_MIN_ELEMENTS ? 1 : fy_pool_threads(ctx->pool);
    if (threads == 1) {
        float_map(op, p, x, y, n);
        return;
    }
    /* Slices of whole cache lines. */
    unary_job j = { op, p, x, y, n, ((n + threads - 1) / threads + 15) / 16 * 16 };
    fy_pool_run(ctx->pool, fy_pool_parts(n, j.step), unary_slice, &j);
}

int fy_nn_activation_f32(fy_kernel_ctx *ctx, const char *name, float alpha, float *y, int64_t n)
{
    static const struct {
        const char *name;
        uop op;
    } known[] = { { "Relu", U_RELU }, { "Relu6", U_RELU6 }, { "Elu", U_ELU }, { "Selu", U_SELU },
                  { "LeakyRelu", U_LEAKY_RELU }, { "Tanh", U_TANH }, { "Sigmoid", U_SIGMOID } };
    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
        if (!strcmp(name, known[i].name)) {
            uparams p = { alpha, softplus_threshold(FERRY_DT_FLOAT) };
            map_f32(ctx, known[i].op, &p, y, y, n);
            return 1;
        }
    return 0;
}

static ferry_status unary(fy_kernel_ctx *ctx, uop op)
{
    const ferry_tensor *x = fy_input(ctx, 0);
    if (!x)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (op >= U_IS_NAN)
        return predicate(ctx, op, x);
    ferry_dtype ct = fy_nn_compute_type(x->dtype);
    /* uint64 beyond INT64_MAX would read as negative in int64 */
    int wraps = op == U_NEG || op == U_SQUARE || op == U_ROUND;
    if (ct == FERRY_DT_INVALID || x->dtype == FERRY_DT_BOOL || (ct == FERRY_DT_INT64 && op > U_ROUND) ||
        (x->dtype == FERRY_DT_UINT64 && !wraps))
        return unsupported(ctx, x->dtype);
    ferry_tensor *out = fy_output_reuse(ctx, 0, 0, x->dtype, x->dims, x->rank);
    if (!out)
        return FERRY_ERR_OUT_OF_MEMORY;
    uparams p = { fy_attr_float(ctx->node, "alpha", 0.2f), softplus_threshold(x->dtype) };
    const void *in;
    void *in_copy, *y, *out_copy;
    ferry_status st = fy_nn_load(ctx, x, ct, &in, &in_copy);
    if (!st)
        st = fy_nn_out_buffer(ctx, out, ct, &y, &out_copy);
    if (!st) {
        if (ct == FERRY_DT_FLOAT)
            map_f32(ctx, op, &p, in, y, x->count);
        else if (ct == FERRY_DT_DOUBLE)
            real_f64(op, &p, in, y, x->count);
        else
            integer(op, in, y, x->count);
        fy_nn_commit(out, out_copy, ct);
    }
    free(in_copy);
    return st;
}

ferry_status fy_nn_logical_not(fy_kernel_ctx *ctx)
{
    const ferry_tensor *x = fy_input(ctx, 0);
    if (!x)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (x->dtype != FERRY_DT_BOOL)
        return unsupported(ctx, x->dtype);
    ferry_tensor *out = fy_output_new(ctx, 0, FERRY_DT_BOOL, x->dims, x->rank);
    if (!out)
        return FERRY_ERR_OUT_OF_MEMORY;
    for (int64_t i = 0; i < x->count; i++)
        ((unsigned char *)out->data)[i] = !((const unsigned char *)x->data)[i];
    return FERRY_OK;
}

#define UNARY(NAME, OP) \
    ferry_status NAME(fy_kernel_ctx *ctx) { return unary(ctx, OP); }
UNARY(fy_nn_neg, U_NEG)
UNARY(fy_nn_abs, U_ABS)
UNARY(fy_nn_square, U_SQUARE)
UNARY(fy_nn_sqrt, U_SQRT)
UNARY(fy_nn_rsqrt, U_RSQRT)
UNARY(fy_nn_reciprocal, U_RECIPROCAL)
UNARY(fy_nn_exp, U_EXP)
UNARY(fy_nn_expm1, U_EXPM1)
UNARY(fy_nn_log, U_LOG)
UNARY(fy_nn_log1p, U_LOG1P)
UNARY(fy_nn_sin, U_SIN)
UNARY(fy_nn_cos, U_COS)
UNARY(fy_nn_tan, U_TAN)
UNARY(fy_nn_asin, U_ASIN)
UNARY(fy_nn_acos, U_ACOS)
UNARY(fy_nn_atan, U_ATAN)
UNARY(fy_nn_sinh, U_SINH)
UNARY(fy_nn_cosh, U_COSH)
UNARY(fy_nn_tanh, U_TANH)
UNARY(fy_nn_asinh, U_ASINH)
UNARY(fy_nn_acosh, U_ACOSH)
UNARY(fy_nn_atanh, U_ATANH)
UNARY(fy_nn_sigmoid, U_SIGMOID)
UNARY(fy_nn_erf, U_ERF)
UNARY(fy_nn_erfc, U_ERFC)
UNARY(fy_nn_lgamma, U_LGAMMA)
UNARY(fy_nn_floor, U_FLOOR)
UNARY(fy_nn_ceil, U_CEIL)
UNARY(fy_nn_round, U_ROUND)
UNARY(fy_nn_rint, U_RINT)
UNARY(fy_nn_sign, U_SIGN)
UNARY(fy_nn_relu, U_RELU)
UNARY(fy_nn_relu6, U_RELU6)
UNARY(fy_nn_elu, U_ELU)
UNARY(fy_nn_selu, U_SELU)
UNARY(fy_nn_leaky_relu, U_LEAKY_RELU)
UNARY(fy_nn_softplus, U_SOFTPLUS)
UNARY(fy_nn_softsign, U_SOFTSIGN)
UNARY(fy_nn_is_nan, U_IS_NAN)
UNARY(fy_nn_is_inf, U_IS_INF)
UNARY(fy_nn_is_finite, U_IS_FINITE)

typedef enum bop { B_ATAN2, B_XLOGY, B_XLOG1PY, B_XDIVY } bop;

/* The x-prefixed ops give 0 wherever x is 0, whatever y is. */
static double binary_of(bop op, double a, double b)
{
    switch (op) {
    case B_ATAN2: return atan2(a, b);
    case B_XLOGY: return a == 0 ? 0 : a * log(b);
    case B_XLOG1PY: return a == 0 ? 0 : a * log1p(b);
    case B_XDIVY: return a == 0 ? 0 : a / b;
    }
    return 0;
}

/* Real binary ops with broadcasting, computed in double. */
static ferry_status binary_real(fy_kernel_ctx *ctx, bop op)
{
    const ferry_tensor *a = fy_input(ctx, 0), *b = a ? fy_input(ctx, 1) : NULL;
    if (!b)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (a->dtype != b->dtype || !fy_nn_is_real(a->dtype))
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "not defined for %s and %s", ferry_dtype_name(a->dtype),
                              ferry_dtype_name(b->dtype));
    int64_t dims[FERRY_MAX_RANK];
    int rank;
    char sa[128], sb[128];
    if (!fy_broadcast_shape(dims, &rank, a, b))
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "shapes %s and %s do not broadcast",
                              fy_dims_str(sa, sizeof(sa), a->dims, a->rank),
                              fy_dims_str(sb, sizeof(sb), b->dims, b->rank));
    fy_broadcast bc;
    fy_broadcast_init(&bc, a, b, dims, rank);
    ferry_tensor *out = fy_output_new(ctx, 0, a->dtype, dims, rank);
    if (!out)
        return FERRY_ERR_OUT_OF_MEMORY;
    double *y;
    void *copy;
    ferry_status st = fy_nn_out_buffer(ctx, out, FERRY_DT_DOUBLE, (void **)&y, &copy);
    if (st)
        return st;
    FY_BROADCAST_LOOP(bc, i, ai, bi) {
        y[i] = binary_of(op, fy_nn_get_f(a->data, a->dtype, ai), fy_nn_get_f(b->data, b->dtype, bi));
    }
    fy_nn_commit(out, copy, FERRY_DT_DOUBLE);
    return FERRY_OK;
}

ferry_status fy_nn_atan2(fy_kernel_ctx *ctx) { return binary_real(ctx, B_ATAN2); }
ferry_status fy_nn_xlogy(fy_kernel_ctx *ctx) { return binary_real(ctx, B_XLOGY); }
ferry_status fy_nn_xlog1py(fy_kernel_ctx *ctx) { return binary_real(ctx, B_XLOG1PY); }
ferry_status fy_nn_xdivy(fy_kernel_ctx *ctx) { return binary_real(ctx, B_XDIVY); }

static int scalar_or_same(const ferry_tensor *bound, const ferry_tensor *t)
{
    if (bound->rank == 0)
        return 1;
    if (bound->rank != t->rank)
        return 0;
    for (int d = 0; d < t->rank; d++)
        if (bound->dims[d] != t->dims[d])
            return 0;
    return 1;
}

/* ClipByValue(t, min, max): the bounds are scalars or t's shape. */
ferry_status fy_nn_clip_by_value(fy_kernel_ctx *ctx)
{
    const ferry_tensor *t = fy_input(ctx, 0), *lo = t ? fy_input(ctx, 1) : NULL, *hi = lo ? fy_input(ctx, 2) : NULL;
    if (!hi)
        return FERRY_ERR_INVALID_ARGUMENT;
    ferry_dtype ct = fy_nn_compute_type(t->dtype);
    if (ct == FERRY_DT_INVALID || t->dtype == FERRY_DT_BOOL || t->dtype == FERRY_DT_UINT64 || lo->dtype != t->dtype ||
        hi->dtype != t->dtype)
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "not defined for %s with bounds %s and %s",
                              ferry_dtype_name(t->dtype), ferry_dtype_name(lo->dtype), ferry_dtype_name(hi->dtype));
    if (!scalar_or_same(lo, t) || !scalar_or_same(hi, t))
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "the bounds must be scalars or have t's shape");
    ferry_tensor *out = fy_output_new(ctx, 0, t->dtype, t->dims, t->rank);
    if (!out)
        return FERRY_ERR_OUT_OF_MEMORY;
    ct = ct == FERRY_DT_INT64 ? FERRY_DT_INT64 : FERRY_DT_DOUBLE;
    void *y, *copy;
    ferry_status st = fy_nn_out_buffer(ctx, out, ct, &y, &copy);
    if (st)
        return st;
    for (int64_t i = 0; i < t->count; i++) {
        int64_t li = lo->rank ? i : 0, hi_i = hi->rank ? i : 0;
        if (ct == FERRY_DT_INT64) {
            int64_t v = fy_nn_get_i(t->data, t->dtype, i), l = fy_nn_get_i(lo->data, lo->dtype, li);
            int64_t h = fy_nn_get_i(hi->data, hi->dtype, hi_i);
            v = v < h ? v : h;
            ((int64_t *)y)[i] = v > l ? v : l;
        } else {
            double v = fy_nn_get_f(t->data, t->dtype, i), l = fy_nn_get_f(lo->data, lo->dtype, li);
            double h = fy_nn_get_f(hi->data, hi->dtype, hi_i);
            v = v < h ? v : h;
            ((double *)y)[i] = v > l ? v : l;
        }
    }
    fy_nn_commit(out, copy, ct);
    return FERRY_OK;
}
