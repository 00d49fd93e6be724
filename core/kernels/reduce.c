/* Reductions over an axis tensor (Sum, Mean, Prod, Max, Min, All, Any,
 * EuclideanNorm) and ArgMax / ArgMin. Real inputs accumulate in double,
 * integers in int64 with wrap-around; results take the input's dtype. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "kernels/nn_internal.h"

typedef enum rop { R_SUM, R_MEAN, R_PROD, R_MAX, R_MIN, R_ALL, R_ANY, R_NORM } rop;

/* The input seen as alternating kept and reduced dims (consecutive dims of
 * one kind merged, dims of size 1 dropped), with each dim's stride in the
 * output (0 for reduced dims). */
typedef struct rplan {
    int rank;
    int64_t dims[FERRY_MAX_RANK];
    int64_t ostride[FERRY_MAX_RANK];
    int64_t count;      /* input elements */
    int64_t per_out;    /* input elements folded into each output element */
} rplan;

static void plan_init(rplan *p, const ferry_tensor *x, const int *reduced)
{
    int kind[FERRY_MAX_RANK];
    p->rank = 0;
    p->count = x->count;
    p->per_out = 1;
    for (int d = 0; d < x->rank; d++) {
        if (reduced[d])
            p->per_out *= x->dims[d];
        if (x->dims[d] == 1)
            continue;
        if (p->rank && kind[p->rank - 1] == reduced[d]) {
            p->dims[p->rank - 1] *= x->dims[d];
        } else {
            kind[p->rank] = reduced[d];
            p->dims[p->rank++] = x->dims[d];
        }
    }
    if (!p->rank) {
        kind[0] = 0;
        p->dims[p->rank++] = 1;
    }
    int64_t stride = 1;
    for (int d = p->rank - 1; d >= 0; d--) {
        p->ostride[d] = kind[d] ? 0 : stride;
        stride *= kind[d] ? 1 : p->dims[d];
    }
}

#define ADD_F(a, v) ((a) + (v))
#define MUL_F(a, v) ((a) * (v))
/* Integer sums and products wrap, as TF's do. */
#define ADD_I(a, v) ((int64_t)((uint64_t)(a) + (uint64_t)(v)))
#define MUL_I(a, v) ((int64_t)((uint64_t)(a) * (uint64_t)(v)))

/* The sum of a run of n values folded into one accumulator, in eight
 * independent partial sums: a single one would wait on each add in turn. */
#define DEFINE_RUN_SUM(NAME, T, ACC, ADD)                                                  \
    static ACC NAME(const T *x, int64_t n)                                                 \
    {                                                                                      \
        ACC part[8] = { 0 };                                                               \
        int64_t i = 0;                                                                     \
        for (; i + 8 <= n; i += 8)                                                         \
            for (int k = 0; k < 8; k++)                                                    \
                part[k] = ADD(part[k], (ACC)x[i + k]);                                     \
        for (; i < n; i++)                                                                 \
            part[0] = ADD(part[0], (ACC)x[i]);                                             \
        ACC sum = part[0];                                                                 \
        for (int k = 1; k < 8; k++)                                                        \
            sum = ADD(sum, part[k]);                                                       \
        return sum;                                                                        \
    }

DEFINE_RUN_SUM(run_sum_f32, float, double, ADD_F)
DEFINE_RUN_SUM(run_sum_f64, double, double, ADD_F)
DEFINE_RUN_SUM(run_sum_i64, int64_t, int64_t, ADD_I)

#define FOLD(ACC, EXPR)                                                                   \
    for (int64_t j = 0; j < run; j++) {             \
        ACC *a = acc + o + j * s;                   \
        ACC v = (ACC)x[i + j];                      \
        *a = (EXPR);                                \
    }                                               \
    break;

/* Folds every input element into its output accumulator, a run along the
 * last (merged) dim at a time. NaN wins Max and Min, as in TF. */
#define DEFINE_FOLD(NAME, T, ACC, ADD, MUL, RUN_SUM)                                       \
    static void NAME(rop op, const rplan *p, const T *x, ACC *acc)                         \
    {                                                                                      \
        int64_t idx[FERRY_MAX_RANK] = { 0 }, o = 0;                                        \
        int64_t run = p->dims[p->rank - 1], s = p->ostride[p->rank - 1];                   \
        for (int64_t i = 0; i < p->count; i += run) {                                      \
            switch (op) {                                                                  \
            case R_SUM:                                                                    \
            case R_MEAN:                                                                   \
                if (s == 0) { /* the run is reduced: one accumulator */                    \
                    acc[o] = ADD(acc[o], RUN_SUM(x + i, run));                             \
                    break;                                                                 \
                }                                                                          \
                FOLD(ACC, ADD(*a, v))                                                      \
            case R_NORM: FOLD(ACC, ADD(*a, MUL(v, v)))                                    \
            case R_PROD: FOLD(ACC, MUL(*a, v))                                            \
            case R_MAX: FOLD(ACC, v > *a || v != v ? v : *a)                              \
            case R_MIN: FOLD(ACC, v < *a || v != v ? v : *a)                              \
            case R_ALL: FOLD(ACC, *a && v)                                                \
            case R_ANY: FOLD(ACC, *a || v)                                                \
            }                                                                              \
            for (int d = p->rank - 2; d >= 0; d--) {                                       \
                o += p->ostride[d];                                                        \
                if (++idx[d] < p->dims[d])                                                 \
                    break;                                                                 \
                o -= p->ostride[d] * p->dims[d];                                           \
                idx[d] = 0;                                                                \
            }                                                                              \
        }                                                                                  \
    }

DEFINE_FOLD(fold_f32, float, double, ADD_F, MUL_F, run_sum_f32)
DEFINE_FOLD(fold_f64, double, double, ADD_F, MUL_F, run_sum_f64)
DEFINE_FOLD(fold_i64, int64_t, int64_t, ADD_I, MUL_I, run_sum_i64)

/* The integer range of dtype, for the identities of Max and Min. */
static void int_range(ferry_dtype dtype, int64_t *lo, int64_t *hi)
{
    switch (dtype) {
    case FERRY_DT_INT8: *lo = INT8_MIN; *hi = INT8_MAX; break;
    case FERRY_DT_INT16: *lo = INT16_MIN; *hi = INT16_MAX; break;
    case FERRY_DT_INT32: *lo = INT32_MIN; *hi = INT32_MAX; break;
    case FERRY_DT_UINT8: *lo = 0; *hi = UINT8_MAX; break;
    case FERRY_DT_UINT16: *lo = 0; *hi = UINT16_MAX; break;
    case FERRY_DT_UINT32: *lo = 0; *hi = UINT32_MAX; break;
    default: *lo = INT64_MIN; *hi = INT64_MAX; break;
    }
}

static void init_acc(rop op, ferry_dtype dtype, ferry_dtype ct, void *acc, int64_t n)
{
    int64_t lo, hi;
    int_range(dtype, &lo, &hi);
    for (int64_t i = 0; i < n; i++) {
        if (ct == FERRY_DT_DOUBLE)
            ((double *)acc)[i] = op == R_MAX ? -INFINITY : op == R_MIN ? INFINITY : op == R_PROD ? 1 : 0;
        else
            ((int64_t *)acc)[i] = op == R_MAX ? lo : op == R_MIN ? hi : op == R_PROD || op == R_ALL ? 1 : 0;
    }
}

static void finish_acc(rop op, ferry_dtype ct, void *acc, int64_t n, int64_t per_out)
{
    for (int64_t i = 0; i < n; i++) {
        if (ct == FERRY_DT_DOUBLE) {
            double *a = (double *)acc + i;
            *a = op == R_MEAN ? *a / (double)per_out : op == R_NORM ? sqrt(*a) : *a;
        } else {
            int64_t *a = (int64_t *)acc + i;
            if (op == R_MEAN)
                *a = per_out ? *a / per_out : 0;
            else if (op == R_NORM)
                *a = (int64_t)sqrt((double)*a);
        }
    }
}

/* Which dims the axis tensor names (duplicates are an error, as in TF). */
static ferry_status read_axes(fy_kernel_ctx *ctx, const ferry_tensor *axes, int rank, int *reduced)
{
    int64_t v[FERRY_MAX_RANK];
    if (axes->count > rank)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "%lld reduction axes for an input of rank %d",
                              (long long)axes->count, rank);
    ferry_status st = fy_read_ints(ctx, axes, v, FERRY_MAX_RANK, "the reduction axes");
    for (int i = 0; !st && i < axes->count; i++) {
        int d;
        st = fy_kernel_axis(ctx, v[i], rank, &d);
        if (!st && reduced[d])
            st = fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "axis %d is named twice", d);
        if (!st)
            reduced[d] = 1;
    }
    return st;
}

static int op_accepts(rop op, ferry_dtype dtype)
{
    if (op == R_ALL || op == R_ANY)
        return dtype == FERRY_DT_BOOL;
    ferry_dtype ct = fy_nn_compute_type(dtype);
    /* uint64 beyond INT64_MAX reads as negative: only wrapping sums and products are right */
    return ct != FERRY_DT_INVALID && dtype != FERRY_DT_BOOL && (dtype != FERRY_DT_UINT64 || op == R_SUM || op == R_PROD);
}

static ferry_status reduce(fy_kernel_ctx *ctx, rop op)
{
    const ferry_tensor *x = fy_input(ctx, 0), *axes = x ? fy_input(ctx, 1) : NULL;
    if (!axes)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (!op_accepts(op, x->dtype))
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "not defined for %s", ferry_dtype_name(x->dtype));
    int reduced[FERRY_MAX_RANK] = { 0 };
    ferry_status st = read_axes(ctx, axes, x->rank, reduced);
    if (st)
        return st;
    int keep = fy_attr_bool(ctx->node, "keep_dims", 0), rank = 0;
    int64_t dims[FERRY_MAX_RANK];
    for (int d = 0; d < x->rank; d++)
        if (!reduced[d] || keep)
            dims[rank++] = reduced[d] ? 1 : x->dims[d];
    ferry_tensor *out = fy_output_new(ctx, 0, x->dtype, dims, rank);
    if (!out)
        return FERRY_ERR_OUT_OF_MEMORY;
    /* Without elements the folds have nothing to do (and the dims beside a
     * 0 may multiply past int64); each output folds 0 values. */
    rplan p = { .per_out = 0 };
    if (x->count > 0)
        plan_init(&p, x, reduced);
    ferry_dtype load = fy_nn_compute_type(x->dtype);
    ferry_dtype ct = load == FERRY_DT_INT64 ? FERRY_DT_INT64 : FERRY_DT_DOUBLE;
    const void *in;
    void *in_copy, *acc, *acc_copy;
    st = fy_nn_load(ctx, x, load, &in, &in_copy);
    if (!st)
        st = fy_nn_out_buffer(ctx, out, ct, &acc, &acc_copy);
    if (!st) {
        init_acc(op, x->dtype, ct, acc, out->count);
        if (x->count > 0 && load == FERRY_DT_FLOAT)
            fold_f32(op, &p, in, acc);
        else if (x->count > 0 && load == FERRY_DT_DOUBLE)
            fold_f64(op, &p, in, acc);
        else if (x->count > 0)
            fold_i64(op, &p, in, acc);
        finish_acc(op, ct, acc, out->count, p.per_out);
        fy_nn_commit(out, acc_copy, ct);
    }
    free(in_copy);
    return st;
}

ferry_status fy_nn_sum(fy_kernel_ctx *ctx) { return reduce(ctx, R_SUM); }
ferry_status fy_nn_mean(fy_kernel_ctx *ctx) { return reduce(ctx, R_MEAN); }
ferry_status fy_nn_prod(fy_kernel_ctx *ctx) { return reduce(ctx, R_PROD); }
ferry_status fy_nn_max(fy_kernel_ctx *ctx) { return reduce(ctx, R_MAX); }
ferry_status fy_nn_min(fy_kernel_ctx *ctx) { return reduce(ctx, R_MIN); }
ferry_status fy_nn_all(fy_kernel_ctx *ctx) { return reduce(ctx, R_ALL); }
ferry_status fy_nn_any(fy_kernel_ctx *ctx) { return reduce(ctx, R_ANY); }
ferry_status fy_nn_euclidean_norm(fy_kernel_ctx *ctx) { return reduce(ctx, R_NORM); }

/* L2Loss: half the sum of squares, a scalar. */
ferry_status fy_nn_l2_loss(fy_kernel_ctx *ctx)
{
    const ferry_tensor *t = fy_input(ctx, 0);
    if (!t)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (!fy_nn_is_real(t->dtype))
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "not defined for %s", ferry_dtype_name(t->dtype));
    ferry_tensor *out = fy_output_new(ctx, 0, t->dtype, NULL, 0);
    double *y;
    void *copy;
    ferry_status st = out ? fy_nn_out_buffer(ctx, out, FERRY_DT_DOUBLE, (void **)&y, &copy) : FERRY_ERR_OUT_OF_MEMORY;
    if (st)
        return st;
    double sum = 0;
    for (int64_t i = 0; i < t->count; i++) {
        double v = fy_nn_get_f(t->data, t->dtype, i);
        sum += v * v;
    }
    *y = sum / 2;
    fy_nn_commit(out, copy, FERRY_DT_DOUBLE);
    return FERRY_OK;
}

/* Whether v beats the best so far: strictly (the first of equals wins),
 * and any number beats NaN, as TF's ArgMax / ArgMin behave. */
static int beats_f(double v, double best, int max)
{
    if (isnan(v))
        return 0;
    return isnan(best) || (max ? v > best : v < best);
}

static int64_t arg_along(const ferry_tensor *x, int64_t base, int64_t n, int64_t step, int max)
{
    int64_t best_at = 0;
    if (fy_nn_compute_type(x->dtype) == FERRY_DT_INT64) {
        int64_t best = fy_nn_get_i(x->data, x->dtype, base);
        for (int64_t j = 1; j < n; j++) {
            int64_t v = fy_nn_get_i(x->data, x->dtype, base + j * step);
            if (max ? v > best : v < best) {
                best = v;
                best_at = j;
            }
        }
    } else {
        double best = fy_nn_get_f(x->data, x->dtype, base);
        for (int64_t j = 1; j < n; j++) {
            double v = fy_nn_get_f(x->data, x->dtype, base + j * step);
            if (beats_f(v, best, max)) {
                best = v;
                best_at = j;
            }
        }
    }
    return best_at;
}

static ferry_status arg_reduce(fy_kernel_ctx *ctx, int max)
{
    const ferry_tensor *x = fy_input(ctx, 0), *dim = x ? fy_input(ctx, 1) : NULL;
    if (!dim)
        return FERRY_ERR_INVALID_ARGUMENT;
    ferry_dtype ot = fy_attr_type(ctx->node, "output_type", FERRY_DT_INT64);
    if (fy_nn_compute_type(x->dtype) == FERRY_DT_INVALID || x->dtype == FERRY_DT_UINT64 ||
        fy_nn_compute_type(ot) != FERRY_DT_INT64 || ot == FERRY_DT_BOOL)
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "not defined for %s giving %s", ferry_dtype_name(x->dtype),
                              ferry_dtype_name(ot));
    if (dim->rank != 0)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "the dimension must be a scalar");
    int64_t a;
    int axis;
    ferry_status st = fy_read_ints(ctx, dim, &a, 1, "the dimension");
    if (!st)
        st = fy_kernel_axis(ctx, a, x->rank, &axis);
    if (st)
        return st;
    int64_t n = x->dims[axis], inner = 1, dims[FERRY_MAX_RANK];
    char shape[256];
    if (n == 0)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "reduction axis %d is empty in shape %s", axis,
                              fy_dims_str(shape, sizeof(shape), x->dims, x->rank));
    for (int d = 0; d < x->rank; d++)
        if (d != axis)
            dims[d < axis ? d : d - 1] = x->dims[d];
    ferry_tensor *out = fy_output_new(ctx, 0, ot, dims, x->rank - 1);
    if (!out)
        return FERRY_ERR_OUT_OF_MEMORY;
    if (out->count == 0) /* another dim is 0: the ones beside it may multiply past int64 */
        return FERRY_OK;
    for (int d = axis + 1; d < x->rank; d++)
        inner *= x->dims[d];
    int64_t *y;
    void *copy;
    st = fy_nn_out_buffer(ctx, out, FERRY_DT_INT64, (void **)&y, &copy);
    if (st)
        return st;
    for (int64_t i = 0; i < out->count; i++)
        y[i] = arg_along(x, (i / inner) * n * inner + i % inner, n, inner, max);
    fy_nn_commit(out, copy, FERRY_DT_INT64);
    return FERRY_OK;
}

ferry_status fy_nn_arg_max(fy_kernel_ctx *ctx) { return arg_reduce(ctx, 1); }
ferry_status fy_nn_arg_min(fy_kernel_ctx *ctx) { return arg_reduce(ctx, 0); }
