/* Elementwise arithmetic, comparisons and logic, with broadcasting. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/parallel.h"
#include "kernels/elementwise.h"

typedef enum binop {
    ADD, SUB, MUL, DIV, REALDIV, MAXIMUM, MINIMUM, POW, FLOORDIV, FLOORMOD, TRUNCATEMOD, SQDIFF, DIVNONAN,
    EQUAL, NOTEQUAL, LESS, LESSEQUAL, GREATER, GREATEREQUAL, LOGICAL_AND, LOGICAL_OR
} binop;

static int is_comparison(binop op)
{
    return op >= EQUAL;
}

#define SIGNED_NEG(x) ((x) < 0)
#define UNSIGNED_NEG(x) 0

/* Integer results follow TF: Div truncates, FloorDiv/FloorMod floor.
 * +, -, * and powers wrap around as two's complement, as TF's do: the
 * arithmetic is done in uint64_t, where overflow is defined, and the low
 * bits kept. A signed minimum divided by -1 wraps to itself (remainder 0)
 * instead of trapping: what TF 2.21 returns for int32 and int64 Div,
 * TruncateDiv, FloorDiv, FloorMod, TruncateMod and Mod (test_kernels_wrap). */
#define WRAP(T, x, OP, y) ((T)((uint64_t)(x) OP (uint64_t)(y)))
#define INT_BODY(T, NEG)                                                                     \
    switch (op) {                                                                          \
    case ADD: FY_BROADCAST_LOOP_ROWS(bc, r0, r1, i, ai, bi) o[i] = WRAP(T, a[ai], +, b[bi]); break;    \
    case SUB: FY_BROADCAST_LOOP_ROWS(bc, r0, r1, i, ai, bi) o[i] = WRAP(T, a[ai], -, b[bi]); break;    \
    case MUL: FY_BROADCAST_LOOP_ROWS(bc, r0, r1, i, ai, bi) o[i] = WRAP(T, a[ai], *, b[bi]); break;    \
    case MAXIMUM: FY_BROADCAST_LOOP_ROWS(bc, r0, r1, i, ai, bi) o[i] = a[ai] > b[bi] ? a[ai] : b[bi]; break; \
    case MINIMUM: FY_BROADCAST_LOOP_ROWS(bc, r0, r1, i, ai, bi) o[i] = a[ai] < b[bi] ? a[ai] : b[bi]; break; \
    case SQDIFF: FY_BROADCAST_LOOP_ROWS(bc, r0, r1, i, ai, bi) { T d_ = WRAP(T, a[ai], -, b[bi]); o[i] = WRAP(T, d_, *, d_); } break; \
    case DIV: case REALDIV: case FLOORDIV: case FLOORMOD: case TRUNCATEMOD: case DIVNONAN: \
        FY_BROADCAST_LOOP_ROWS(bc, r0, r1, i, ai, bi) {                                                 \
            T x = a[ai], y = b[bi];                                                        \
            if (y == 0) {                                                                  \
                if (op == DIVNONAN) { o[i] = 0; continue; }                                \
                return -1;                                                                 \
            }                                                                              \
            if (NEG(y) && y == (T)-1) { /* x / -1 cannot trap this way */                  \
                o[i] = (op == FLOORMOD || op == TRUNCATEMOD) ? (T)0 : WRAP(T, 0, -, x);  \
                continue;                                                                  \
            }                                                                              \
            T q = (T)(x / y), r = (T)(x % y);                                              \
            int neg = (r != 0) && (NEG(r) != NEG(y));                                    \
            if (op == FLOORDIV) o[i] = neg ? (T)(q - 1) : q;                               \
            else if (op == FLOORMOD) o[i] = neg ? (T)(r + y) : r;                          \
            else if (op == TRUNCATEMOD) o[i] = r;                                          \
            else o[i] = q;                                                                 \
        }                                                                                  \
        break;                                                                             \
    case POW:                                                                              \
        FY_BROADCAST_LOOP_ROWS(bc, r0, r1, i, ai, bi) {                                                 \
            T x = a[ai], r = 1;                                                            \
            long long e = (long long)b[bi];                                                \
            if (NEG(b[bi])) return -2;                                                     \
            while (e) { if (e & 1) r = WRAP(T, r, *, x); x = WRAP(T, x, *, x); e >>= 1; }  \
            o[i] = r;                                                                      \
        }                                                                                  \
        break;                                                                             \
    default: return -3;                                                                    \
    }

#define FLOAT_BODY(T, FLOOR, FMOD, POWF)                                                   \
    switch (op) {                                                                          \
    case ADD: FY_BROADCAST_LOOP_ROWS(bc, r0, r1, i, ai, bi) o[i] = a[ai] + b[bi]; break;               \
    case SUB: FY_BROADCAST_LOOP_ROWS(bc, r0, r1, i, ai, bi) o[i] = a[ai] - b[bi]; break;               \
    case MUL: FY_BROADCAST_LOOP_ROWS(bc, r0, r1, i, ai, bi) o[i] = a[ai] * b[bi]; break;               \
    case DIV: case REALDIV: FY_BROADCAST_LOOP_ROWS(bc, r0, r1, i, ai, bi) o[i] = a[ai] / b[bi]; break; \
    case DIVNONAN: FY_BROADCAST_LOOP_ROWS(bc, r0, r1, i, ai, bi) o[i] = b[bi] == 0 ? 0 : a[ai] / b[bi]; break; \
    case MAXIMUM: FY_BROADCAST_LOOP_ROWS(bc, r0, r1, i, ai, bi) o[i] = (a[ai] > b[bi] || isnan(a[ai])) ? a[ai] : b[bi]; break; \
    case MINIMUM: FY_BROADCAST_LOOP_ROWS(bc, r0, r1, i, ai, bi) o[i] = (a[ai] < b[bi] || isnan(a[ai])) ? a[ai] : b[bi]; break; \
    case SQDIFF: FY_BROADCAST_LOOP_ROWS(bc, r0, r1, i, ai, bi) o[i] = (a[ai] - b[bi]) * (a[ai] - b[bi]); break; \
    case POW: FY_BROADCAST_LOOP_ROWS(bc, r0, r1, i, ai, bi) o[i] = POWF(a[ai], b[bi]); break;          \
    case FLOORDIV: FY_BROADCAST_LOOP_ROWS(bc, r0, r1, i, ai, bi) o[i] = FLOOR(a[ai] / b[bi]); break;   \
    case TRUNCATEMOD: FY_BROADCAST_LOOP_ROWS(bc, r0, r1, i, ai, bi) o[i] = FMOD(a[ai], b[bi]); break;  \
    case FLOORMOD:                                                                         \
        FY_BROADCAST_LOOP_ROWS(bc, r0, r1, i, ai, bi) {                                                 \
            T r = FMOD(a[ai], b[bi]);                                                      \
            o[i] = (r != 0 && ((r < 0) != (b[bi] < 0))) ? r + b[bi] : r;                   \
        }                                                                                  \
        break;                                                                             \
    default: return -3;                                                                    \
    }

#define COMPARE_BODY(T)                                                                    \
    switch (op) {                                                                          \
    case EQUAL: FY_BROADCAST_LOOP_ROWS(bc, r0, r1, i, ai, bi) o[i] = a[ai] == b[bi]; break;            \
    case NOTEQUAL: FY_BROADCAST_LOOP_ROWS(bc, r0, r1, i, ai, bi) o[i] = a[ai] != b[bi]; break;         \
    case LESS: FY_BROADCAST_LOOP_ROWS(bc, r0, r1, i, ai, bi) o[i] = a[ai] < b[bi]; break;              \
    case LESSEQUAL: FY_BROADCAST_LOOP_ROWS(bc, r0, r1, i, ai, bi) o[i] = a[ai] <= b[bi]; break;        \
    case GREATER: FY_BROADCAST_LOOP_ROWS(bc, r0, r1, i, ai, bi) o[i] = a[ai] > b[bi]; break;           \
    case GREATEREQUAL: FY_BROADCAST_LOOP_ROWS(bc, r0, r1, i, ai, bi) o[i] = a[ai] >= b[bi]; break;     \
    case LOGICAL_AND: FY_BROADCAST_LOOP_ROWS(bc, r0, r1, i, ai, bi) o[i] = a[ai] && b[bi]; break;      \
    case LOGICAL_OR: FY_BROADCAST_LOOP_ROWS(bc, r0, r1, i, ai, bi) o[i] = a[ai] || b[bi]; break;       \
    default: return -3;                                                                    \
    }

#define DEFINE_ARITH(NAME, T, BODY)                                                        \
    static int NAME(binop op, const fy_broadcast bc, int64_t r0, int64_t r1, const T *a, const T *b, T *o) { BODY; return 0; }
#define DEFINE_COMPARE(NAME, T)                                                            \
    static int NAME(binop op, const fy_broadcast bc, int64_t r0, int64_t r1, const T *a, const T *b, unsigned char *o) { COMPARE_BODY(T); return 0; }

DEFINE_ARITH(arith_f32_any, float, FLOAT_BODY(float, floorf, fmodf, powf))
DEFINE_ARITH(arith_f64, double, FLOAT_BODY(double, floor, fmod, pow))
/* Float +, -, * and / over one run where each input either walks it or
 * repeats one value, as loops the compiler vectorizes: restrict-qualified,
 * with an in-place form for an output written over its input, so that no
 * run-time overlap check sends them to scalar code. Same operations as
 * FLOAT_BODY. */
#define RUN_OPS(OUT, X, Y)                                                                       \
    switch (op) {                                                                                \
    case ADD: for (int64_t j = 0; j < n; j++) OUT[j] = (X) + (Y); break;                         \
    case SUB: for (int64_t j = 0; j < n; j++) OUT[j] = (X) - (Y); break;                         \
    case MUL: for (int64_t j = 0; j < n; j++) OUT[j] = (X) * (Y); break;                         \
    default: for (int64_t j = 0; j < n; j++) OUT[j] = (X) / (Y); break;                          \
    }

static void run_apart(binop op, float *restrict o, const float *restrict a, int64_t as, const float *restrict b,
                      int64_t bs, int64_t n)
{
    if (as && bs) {
        RUN_OPS(o, a[j], b[j])
    } else if (as) {
        float v = b[0];
        RUN_OPS(o, a[j], v)
    } else {
        float u = a[0];
        RUN_OPS(o, u, b[j])
    }
}

/* o = o op b. */
static void run_over_a(binop op, float *restrict o, const float *restrict b, int64_t bs, int64_t n)
{
    if (bs) {
        RUN_OPS(o, o[j], b[j])
    } else {
        float v = b[0];
        RUN_OPS(o, o[j], v)
    }
}

/* o = a op o. */
static void run_over_b(binop op, float *restrict o, const float *restrict a, int64_t as, int64_t n)
{
    if (as) {
        RUN_OPS(o, a[j], o[j])
    } else {
        float u = a[0];
        RUN_OPS(o, u, o[j])
    }
}

static int overlaps(const float *p, int64_t pn, const float *q, int64_t qn)
{
    return p < q + qn && q < p + pn;
}

static void float_run(binop op, float *o, const float *a, int64_t as, const float *b, int64_t bs, int64_t n)
{
    int64_t an = as ? n : 1, bn = bs ? n : 1;
    if (o == a && as && !overlaps(o, n, b, bn))
        run_over_a(op, o, b, bs, n);
    else if (o == b && bs && !overlaps(o, n, a, an))
        run_over_b(op, o, a, as, n);
    else if (!overlaps(o, n, a, an) && !overlaps(o, n, b, bn))
        run_apart(op, o, a, as, b, bs, n);
    else /* inputs overlapping the output some other way: element by element */
        for (int64_t j = 0; j < n; j++) {
            float x = a[j * as], y = b[j * bs];
            o[j] = op == ADD ? x + y : op == SUB ? x - y : op == MUL ? x * y : x / y;
        }
}

static int arith_f32(binop op, const fy_broadcast bc, int64_t r0, int64_t r1, const float *a, const float *b, float *o)
{
    int simple = op == ADD || op == SUB || op == MUL || op == DIV || op == REALDIV;
    if (!simple || bc.a_inner > 1 || bc.b_inner > 1 || bc.a_inner + bc.b_inner == 0)
        return arith_f32_any(op, bc, r0, r1, a, b, o);
    int64_t idx[FERRY_MAX_RANK] = { 0 }, ai, bi;
    for (int64_t row = fy_broadcast_seek(&bc, r0, idx, &ai, &bi); row < r1 * bc.inner;
         row += bc.inner, fy_broadcast_next_row(&bc, idx, &ai, &bi))
        float_run(op, o + row, a + ai, bc.a_inner, b + bi, bc.b_inner, bc.inner);
    return 0;
}

DEFINE_ARITH(arith_i8, int8_t, INT_BODY(int8_t, SIGNED_NEG))
DEFINE_ARITH(arith_i16, int16_t, INT_BODY(int16_t, SIGNED_NEG))
DEFINE_ARITH(arith_i32, int32_t, INT_BODY(int32_t, SIGNED_NEG))
DEFINE_ARITH(arith_i64, int64_t, INT_BODY(int64_t, SIGNED_NEG))
DEFINE_ARITH(arith_u8, uint8_t, INT_BODY(uint8_t, UNSIGNED_NEG))
DEFINE_ARITH(arith_u16, uint16_t, INT_BODY(uint16_t, UNSIGNED_NEG))
DEFINE_ARITH(arith_u32, uint32_t, INT_BODY(uint32_t, UNSIGNED_NEG))
DEFINE_ARITH(arith_u64, uint64_t, INT_BODY(uint64_t, UNSIGNED_NEG))
DEFINE_COMPARE(compare_f32, float)
DEFINE_COMPARE(compare_f64, double)
DEFINE_COMPARE(compare_i8, int8_t)
DEFINE_COMPARE(compare_i16, int16_t)
DEFINE_COMPARE(compare_i32, int32_t)
DEFINE_COMPARE(compare_i64, int64_t)
DEFINE_COMPARE(compare_u8, uint8_t)
DEFINE_COMPARE(compare_u16, uint16_t)
DEFINE_COMPARE(compare_u32, uint32_t)
DEFINE_COMPARE(compare_u64, uint64_t)

/* Half-precision inputs are computed in float, as TF's CPU kernels do. */
static float *widen(const ferry_tensor *t)
{
    float *f = malloc((size_t)(t->count ? t->count : 1) * sizeof(float));
    const uint16_t *h = t->data;
    for (int64_t i = 0; f && i < t->count; i++)
        f[i] = t->dtype == FERRY_DT_HALF ? fy_half_to_float(h[i]) : fy_bfloat16_to_float(h[i]);
    return f;
}

static int run_half(binop op, const fy_broadcast bc, const ferry_tensor *a, const ferry_tensor *b, ferry_tensor *out)
{
    float *fa = widen(a), *fb = widen(b), *fo = malloc((size_t)(bc.count ? bc.count : 1) * sizeof(float));
    int rc = -4;
    if (fa && fb && fo) {
        if (is_comparison(op)) {
            rc = compare_f32(op, bc, 0, fy_broadcast_rows(&bc), fa, fb, out->data);
        } else {
            rc = arith_f32(op, bc, 0, fy_broadcast_rows(&bc), fa, fb, fo);
            uint16_t *h = out->data;
            for (int64_t i = 0; rc == 0 && i < bc.count; i++)
                h[i] = a->dtype == FERRY_DT_HALF ? fy_float_to_half(fo[i]) : fy_float_to_bfloat16(fo[i]);
        }
    }
    free(fa);
    free(fb);
    free(fo);
    return rc;
}

/* Float arithmetic over slices of runs on the pool's threads. */
typedef struct arith_job {
    binop op;
    const fy_broadcast *bc;
    const float *a, *b;
    float *o;
    int64_t rows, step;
} arith_job;

static void arith_slice(void *ctx, int i)
{
    const arith_job *j = ctx;
    if (j->rows > 1) {
        int64_t r0 = i * j->step, r1 = r0 + j->step < j->rows ? r0 + j->step : j->rows;
        arith_f32(j->op, *j->bc, r0, r1, j->a, j->b, j->o);
        return;
    }
    /* One long run: slice its elements. */
    fy_broadcast part = *j->bc;
    int64_t from = i * j->step, len = j->bc->count - from < j->step ? j->bc->count - from : j->step;
    part.count = part.inner = len;
    if (part.rank > 0)
        part.dims[part.rank - 1] = len;
    arith_f32(j->op, part, 0, 1, j->a + from * part.a_inner, j->b + from * part.b_inner, j->o + from);
}

#define PARALLEL_MIN_ELEMENTS ((int64_t)1 << 16)

/* Runs a big float product on the pool's threads; 0 when it is not worth it
 * (the caller then runs it here). Float arithmetic cannot fail. */
static int spread_f32(fy_kernel_ctx *ctx, binop op, const fy_broadcast *bc, const float *a, const float *b, float *o)
{
    int threads = fy_pool_threads(ctx->pool);
    int64_t rows = fy_broadcast_rows(bc);
    if (threads == 1 || bc->count < PARALLEL_MIN_ELEMENTS || (rows > 1 && rows < threads))
        return 0;
    int64_t units = rows > 1 ? rows : bc->count, parts = units < (int64_t)threads * 4 ? units : (int64_t)threads * 4;
    arith_job j = { op, bc, a, b, o, rows, (units + parts - 1) / parts };
    if (rows == 1)
        j.step = (j.step + 15) / 16 * 16; /* whole cache lines */
    fy_pool_run(ctx->pool, fy_pool_parts(units, j.step), arith_slice, &j);
    return 1;
}

static ferry_status binary(fy_kernel_ctx *ctx, binop op)
{
    const ferry_tensor *a = fy_input(ctx, 0), *b = a ? fy_input(ctx, 1) : NULL;
    if (!b)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (a->dtype != b->dtype)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "inputs are %s and %s", ferry_dtype_name(a->dtype),
                              ferry_dtype_name(b->dtype));
    int64_t dims[FERRY_MAX_RANK];
    int rank;
    if (!fy_broadcast_shape(dims, &rank, a, b)) {
        char sa[128], sb[128];
        fy_shape_format(sa, sizeof(sa), a->dims, a->rank);
        fy_shape_format(sb, sizeof(sb), b->dims, b->rank);
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "shapes %s and %s do not broadcast", sa, sb);
    }
    if (a->dtype == FERRY_DT_STRING && (op == EQUAL || op == NOTEQUAL || op == ADD)) {
        fy_broadcast bc;
        fy_broadcast_init(&bc, a, b, dims, rank);
        ferry_tensor *out = fy_output_new(ctx, 0, op == ADD ? FERRY_DT_STRING : FERRY_DT_BOOL, dims, rank);
        if (!out)
            return FERRY_ERR_OUT_OF_MEMORY;
        const ferry_string *sa = a->data, *sb = b->data;
        FY_BROADCAST_LOOP(bc, i, ai, bi) {
            if (op == ADD) {
                char *joined = malloc(sa[ai].size + sb[bi].size + 1);
                if (!joined)
                    return fy_kernel_fail(ctx, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
                memcpy(joined, sa[ai].data, sa[ai].size);
                memcpy(joined + sa[ai].size, sb[bi].data, sb[bi].size);
                ferry_status st = fy_tensor_set_string(out, i, joined, sa[ai].size + sb[bi].size, ctx->err);
                free(joined);
                if (st)
                    return st;
            } else {
                int same = sa[ai].size == sb[bi].size && !memcmp(sa[ai].data, sb[bi].data, sa[ai].size);
                ((unsigned char *)out->data)[i] = op == EQUAL ? same : !same;
            }
        }
        return FERRY_OK;
    }
    fy_broadcast bc;
    fy_broadcast_init(&bc, a, b, dims, rank);
    /* An input the size of the output maps onto it index for index. */
    int64_t count = fy_shape_count(dims, rank, 1);
    int reuse = a->count == count ? 0 : b->count == count ? 1 : -1;
    ferry_dtype out_dtype = is_comparison(op) ? FERRY_DT_BOOL : a->dtype;
    ferry_tensor *out = reuse >= 0 ? fy_output_reuse(ctx, 0, reuse, out_dtype, dims, rank)
                                   : fy_output_new_uninit(ctx, 0, out_dtype, dims, rank);
    if (!out)
        return FERRY_ERR_OUT_OF_MEMORY;
    int rc;
    void *o = out->data;
    int64_t rows = fy_broadcast_rows(&bc);
    if (a->dtype == FERRY_DT_FLOAT && !is_comparison(op) && spread_f32(ctx, op, &bc, a->data, b->data, o))
        return FERRY_OK;
    switch (a->dtype) {
#define CASE(DT, T, SUFFIX)                                                                                  \
    case DT:                                                                                                 \
        rc = is_comparison(op) ? compare_##SUFFIX(op, bc, 0, rows, a->data, b->data, o)                     \
                               : arith_##SUFFIX(op, bc, 0, rows, a->data, b->data, o);                      \
        break;
        CASE(FERRY_DT_FLOAT, float, f32)
        CASE(FERRY_DT_DOUBLE, double, f64)
        CASE(FERRY_DT_INT8, int8_t, i8)
        CASE(FERRY_DT_INT16, int16_t, i16)
        CASE(FERRY_DT_INT32, int32_t, i32)
        CASE(FERRY_DT_INT64, int64_t, i64)
        CASE(FERRY_DT_UINT8, uint8_t, u8)
        CASE(FERRY_DT_UINT16, uint16_t, u16)
        CASE(FERRY_DT_UINT32, uint32_t, u32)
        CASE(FERRY_DT_UINT64, uint64_t, u64)
#undef CASE
    case FERRY_DT_BOOL:
        rc = (op >= EQUAL) ? compare_u8(op, bc, 0, rows, a->data, b->data, o) : -3;
        break;
    case FERRY_DT_HALF:
    case FERRY_DT_BFLOAT16:
        rc = run_half(op, bc, a, b, out);
        break;
    default:
        rc = -3;
    }
    if (rc == -1)
        return fy_kernel_fail(ctx, FERRY_ERR_RUNTIME, "integer division by zero");
    if (rc == -2)
        return fy_kernel_fail(ctx, FERRY_ERR_RUNTIME, "integers cannot be raised to negative powers");
    if (rc == -3)
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "not defined for %s", ferry_dtype_name(a->dtype));
    if (rc)
        return fy_kernel_fail(ctx, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    return FERRY_OK;
}

#define BINARY(NAME, OP) \
    static ferry_status NAME(fy_kernel_ctx *ctx) { return binary(ctx, OP); }
BINARY(k_add, ADD)
BINARY(k_sub, SUB)
BINARY(k_mul, MUL)
BINARY(k_div, DIV)
BINARY(k_realdiv, REALDIV)

/* TruncateDiv: TF registers it for integers only, where Div truncates. */
static ferry_status k_truncatediv(fy_kernel_ctx *ctx)
{
    const ferry_tensor *x = fy_input(ctx, 0);
    if (x && (x->dtype == FERRY_DT_FLOAT || x->dtype == FERRY_DT_DOUBLE || x->dtype == FERRY_DT_HALF ||
              x->dtype == FERRY_DT_BFLOAT16))
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "TruncateDiv takes integers, not %s",
                              ferry_dtype_name(x->dtype));
    return k_div(ctx);
}
BINARY(k_maximum, MAXIMUM)
BINARY(k_minimum, MINIMUM)
BINARY(k_pow, POW)
BINARY(k_floordiv, FLOORDIV)
BINARY(k_floormod, FLOORMOD)
BINARY(k_truncatemod, TRUNCATEMOD)
BINARY(k_sqdiff, SQDIFF)
BINARY(k_divnonan, DIVNONAN)
BINARY(k_equal, EQUAL)
BINARY(k_notequal, NOTEQUAL)
BINARY(k_less, LESS)
BINARY(k_lessequal, LESSEQUAL)
BINARY(k_greater, GREATER)
BINARY(k_greaterequal, GREATEREQUAL)
BINARY(k_logical_and, LOGICAL_AND)
BINARY(k_logical_or, LOGICAL_OR)

/* AddN: the sum of N same-shaped tensors. */
static ferry_status k_addn(fy_kernel_ctx *ctx)
{
    const ferry_tensor *first = fy_input(ctx, 0);
    if (!first)
        return FERRY_ERR_INVALID_ARGUMENT;
    ferry_tensor *out = fy_output_new(ctx, 0, first->dtype, first->dims, first->rank);
    if (!out)
        return FERRY_ERR_OUT_OF_MEMORY;
    for (int k = 0; k < ctx->input_count; k++) {
        const ferry_tensor *t = fy_input(ctx, k);
        if (!t || t->dtype != first->dtype || t->count != first->count)
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "input %d differs in dtype or shape", k);
        switch (t->dtype) {
#define SUM(DT, T, ADD)                                                                                      \
    case DT:                                                                                                 \
        for (int64_t i = 0; i < t->count; i++)                                                               \
            ((T *)out->data)[i] = ADD(T, ((T *)out->data)[i], +, ((const T *)t->data)[i]);                   \
        break;
#define PLAIN(T, x, OP, y) ((x) OP (y))
            SUM(FERRY_DT_FLOAT, float, PLAIN)
            SUM(FERRY_DT_DOUBLE, double, PLAIN)
            SUM(FERRY_DT_INT32, int32_t, WRAP)
            SUM(FERRY_DT_INT64, int64_t, WRAP)
#undef PLAIN
#undef SUM
        default:
            return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "not defined for %s", ferry_dtype_name(t->dtype));
        }
    }
    return FERRY_OK;
}

const fy_op_def fy_kernels_math[] = {
    { .name = "Add", .run = k_add, .shape = fy_shape_broadcast, .step = FY_STEP_ADD },
    { .name = "AddV2", .run = k_add, .shape = fy_shape_broadcast, .step = FY_STEP_ADD },
    { .name = "Sub", .run = k_sub, .shape = fy_shape_broadcast, .step = FY_STEP_SUB },
    { .name = "Mul", .run = k_mul, .shape = fy_shape_broadcast, .step = FY_STEP_MUL },
    { .name = "Div", .run = k_div, .shape = fy_shape_broadcast },
    { .name = "TruncateDiv", .run = k_truncatediv, .shape = fy_shape_broadcast },
    { .name = "RealDiv", .run = k_realdiv, .shape = fy_shape_broadcast },
    { .name = "Maximum", .run = k_maximum, .shape = fy_shape_broadcast },
    { .name = "Minimum", .run = k_minimum, .shape = fy_shape_broadcast },
    { .name = "Pow", .run = k_pow, .shape = fy_shape_broadcast },
    { .name = "FloorDiv", .run = k_floordiv, .shape = fy_shape_broadcast },
    { .name = "FloorMod", .run = k_floormod, .shape = fy_shape_broadcast },
    { .name = "TruncateMod", .run = k_truncatemod, .shape = fy_shape_broadcast },
    { .name = "Mod", .run = k_truncatemod, .shape = fy_shape_broadcast },
    { .name = "SquaredDifference", .run = k_sqdiff, .shape = fy_shape_broadcast },
    { .name = "DivNoNan", .run = k_divnonan, .shape = fy_shape_broadcast },
    { .name = "Equal", .run = k_equal, .shape = fy_shape_broadcast },
    { .name = "NotEqual", .run = k_notequal, .shape = fy_shape_broadcast },
    { .name = "Less", .run = k_less, .shape = fy_shape_broadcast },
    { .name = "LessEqual", .run = k_lessequal, .shape = fy_shape_broadcast },
    { .name = "Greater", .run = k_greater, .shape = fy_shape_broadcast },
    { .name = "GreaterEqual", .run = k_greaterequal, .shape = fy_shape_broadcast },
    { .name = "LogicalAnd", .run = k_logical_and, .shape = fy_shape_broadcast },
    { .name = "LogicalOr", .run = k_logical_or, .shape = fy_shape_broadcast },
    { .name = "AddN", .run = k_addn, .shape = fy_shape_all_equal },
    { .name = NULL },
};
