/* Scattering slices into a tensor: ScatterNd (into zeros, duplicates add
 * up) and TensorScatterUpdate / Add / Sub / Min / Max (into a copy of a
 * tensor). Updates apply in index order, as TF's CPU kernels do. */
#include <stdlib.h>

#include "kernels/array_internal.h"
#include "kernels/elementwise.h"

typedef enum scatter_op { SC_UPDATE, SC_ADD, SC_SUB, SC_MIN, SC_MAX } scatter_op;

/* Integers wrap (computed unsigned); floats as in C. */
#define COMBINE(T, U)                                                                          \
    static void combine_##T(scatter_op op, T *o, const T *u, int64_t n)                        \
    {                                                                                          \
        for (int64_t e = 0; e < n; e++) {                                                      \
            switch (op) {                                                                      \
            case SC_ADD: o[e] = (T)((U)o[e] + (U)u[e]); break;                                 \
            case SC_SUB: o[e] = (T)((U)o[e] - (U)u[e]); break;                                 \
            case SC_MIN: o[e] = u[e] < o[e] ? u[e] : o[e]; break;                              \
            case SC_MAX: o[e] = o[e] < u[e] ? u[e] : o[e]; break;                              \
            default: o[e] = u[e]; break;                                                       \
            }                                                                                  \
        }                                                                                      \
    }
COMBINE(int8_t, uint8_t)
COMBINE(int16_t, uint16_t)
COMBINE(int32_t, uint32_t)
COMBINE(int64_t, uint64_t)
COMBINE(uint8_t, uint8_t)
COMBINE(uint16_t, uint16_t)
COMBINE(uint32_t, uint32_t)
COMBINE(uint64_t, uint64_t)
COMBINE(float, float)
COMBINE(double, double)

/* float16 / bfloat16: computed in float, rounded back. */
static void combine_half(scatter_op op, int bf16, uint16_t *o, const uint16_t *u, int64_t n)
{
    for (int64_t e = 0; e < n; e++) {
        float a = bf16 ? fy_bfloat16_to_float(o[e]) : fy_half_to_float(o[e]);
        float b = bf16 ? fy_bfloat16_to_float(u[e]) : fy_half_to_float(u[e]);
        float r = op == SC_ADD ? a + b : op == SC_SUB ? a - b : op == SC_MIN ? (b < a ? b : a) : (a < b ? b : a);
        o[e] = bf16 ? fy_float_to_bfloat16(r) : fy_float_to_half(r);
    }
}

/* Complex numbers add and subtract part by part. */
static void combine_complex(scatter_op op, int wide, void *o, const void *u, int64_t n)
{
    for (int64_t e = 0; e < 2 * n; e++) {
        if (wide)
            ((double *)o)[e] += op == SC_ADD ? ((const double *)u)[e] : -((const double *)u)[e];
        else
            ((float *)o)[e] += op == SC_ADD ? ((const float *)u)[e] : -((const float *)u)[e];
    }
}

static int arithmetic_ok(ferry_dtype dt, scatter_op op)
{
    switch (dt) {
    case FERRY_DT_INT8: case FERRY_DT_INT16: case FERRY_DT_INT32: case FERRY_DT_INT64:
    case FERRY_DT_UINT8: case FERRY_DT_UINT16: case FERRY_DT_UINT32: case FERRY_DT_UINT64:
    case FERRY_DT_FLOAT: case FERRY_DT_DOUBLE: case FERRY_DT_HALF: case FERRY_DT_BFLOAT16:
        return 1;
    case FERRY_DT_COMPLEX64: case FERRY_DT_COMPLEX128:
        return op == SC_ADD || op == SC_SUB;
    default:
        return 0;
    }
}

/* out[at..at+n) op= upd[from..from+n). */
static ferry_status combine(fy_kernel_ctx *ctx, scatter_op op, ferry_tensor *out, int64_t at, const ferry_tensor *upd,
                            int64_t from, int64_t n)
{
    if (op == SC_UPDATE)
        return fy_arr_copy(ctx, out, at, upd, from, n);
    size_t esz = ferry_dtype_size(out->dtype);
    void *o = (char *)out->data + (size_t)at * esz;
    const void *u = (const char *)upd->data + (size_t)from * esz;
    switch (out->dtype) {
    case FERRY_DT_INT8: combine_int8_t(op, o, u, n); break;
    case FERRY_DT_INT16: combine_int16_t(op, o, u, n); break;
    case FERRY_DT_INT32: combine_int32_t(op, o, u, n); break;
    case FERRY_DT_INT64: combine_int64_t(op, o, u, n); break;
    case FERRY_DT_UINT8: combine_uint8_t(op, o, u, n); break;
    case FERRY_DT_UINT16: combine_uint16_t(op, o, u, n); break;
    case FERRY_DT_UINT32: combine_uint32_t(op, o, u, n); break;
    case FERRY_DT_UINT64: combine_uint64_t(op, o, u, n); break;
    case FERRY_DT_FLOAT: combine_float(op, o, u, n); break;
    case FERRY_DT_DOUBLE: combine_double(op, o, u, n); break;
    case FERRY_DT_HALF: combine_half(op, 0, o, u, n); break;
    case FERRY_DT_BFLOAT16: combine_half(op, 1, o, u, n); break;
    default: combine_complex(op, out->dtype == FERRY_DT_COMPLEX128, o, u, n); break;
    }
    return FERRY_OK;
}

/* Applies updates at indices into out (which has the target shape). */
static ferry_status scatter(fy_kernel_ctx *ctx, scatter_op op, ferry_tensor *out, const ferry_tensor *indices,
                            const ferry_tensor *upd)
{
    if (upd->dtype != out->dtype)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "updates are %s, the tensor is %s",
                              ferry_dtype_name(upd->dtype), ferry_dtype_name(out->dtype));
    if (op != SC_UPDATE && !arithmetic_ok(out->dtype, op))
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "not defined for %s", ferry_dtype_name(out->dtype));
    /* TF accepts no vector of indices here: its checks disagree on them */
    if (indices->rank < 2)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "indices must be at least 2-D");
    if (upd->rank < 1)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "updates shape must have rank at least one");
    int64_t k = indices->dims[indices->rank - 1];
    if (k > out->rank)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "index depth %lld exceeds the rank %d of the shape",
                              (long long)k, out->rank);
    /* updates must be indices.shape[:-1] + shape[k:] */
    int lead = indices->rank - 1, ok = upd->rank == lead + out->rank - (int)k;
    for (int d = 0; ok && d < upd->rank; d++)
        ok = upd->dims[d] == (d < lead ? indices->dims[d] : out->dims[d - lead + k]);
    if (!ok) {
        char a[256], b[256], c[256];
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT,
                              "updates shape %s must be indices.shape[:-1] + shape[%lld:] (indices %s, shape %s)",
                              fy_dims_str(a, sizeof(a), upd->dims, upd->rank), (long long)k, fy_dims_str(b, sizeof(b), indices->dims, indices->rank),
                              fy_dims_str(c, sizeof(c), out->dims, out->rank));
    }
    int64_t tuples = fy_arr_product(indices->dims, 0, lead), slice = fy_arr_product(out->dims, (int)k, out->rank);
    if (upd->count == 0)
        return FERRY_OK;
    if (indices->count == 0 || out->count == 0)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "indices and updates specified for empty output shape");
    int64_t *idx = NULL;
    ferry_status st = fy_arr_read_index_list(ctx, indices, &idx, "indices");
    for (int64_t t = 0; !st && t < tuples; t++) {
        int64_t at = 0;
        for (int64_t j = 0; j < k && !st; j++) {
            int64_t v = idx[t * k + j];
            if (v < 0 || v >= out->dims[j]) {
                char s[256];
                st = fy_kernel_fail(ctx, FERRY_ERR_RUNTIME, "indices[%lld] has %lld at position %lld, outside shape %s",
                                    (long long)t, (long long)v, (long long)j, fy_dims_str(s, sizeof(s), out->dims, out->rank));
            }
            at = at * out->dims[j] + v;
        }
        if (!st)
            st = combine(ctx, op, out, at * slice, upd, t * slice, slice);
    }
    free(idx);
    return st;
}

/* ScatterNd(indices, updates, shape). */
ferry_status fy_arr_scatter_nd(fy_kernel_ctx *ctx)
{
    const ferry_tensor *indices = fy_input(ctx, 0), *upd = indices ? fy_input(ctx, 1) : NULL;
    const ferry_tensor *shape = upd ? fy_input(ctx, 2) : NULL;
    if (!shape)
        return FERRY_ERR_INVALID_ARGUMENT;
    int64_t dims[FERRY_MAX_RANK];
    int rank;
    ferry_tensor *out;
    ferry_status st = fy_arr_read_dims(ctx, shape, dims, &rank, 0, "shape");
    if (!st && !arithmetic_ok(upd->dtype, SC_ADD))
        st = fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "not defined for %s", ferry_dtype_name(upd->dtype));
    if (!st)
        st = fy_arr_new_output(ctx, 0, upd->dtype, dims, rank, &out);
    return st ? st : scatter(ctx, SC_ADD, out, indices, upd);
}

/* TensorScatter*(tensor, indices, updates). */
static ferry_status tensor_scatter(fy_kernel_ctx *ctx, scatter_op op)
{
    const ferry_tensor *in = fy_input(ctx, 0), *indices = in ? fy_input(ctx, 1) : NULL;
    const ferry_tensor *upd = indices ? fy_input(ctx, 2) : NULL;
    if (!upd)
        return FERRY_ERR_INVALID_ARGUMENT;
    ferry_tensor *out;
    ferry_status st = fy_arr_check_movable(ctx, in);
    if (!st)
        st = fy_arr_new_output(ctx, 0, in->dtype, in->dims, in->rank, &out);
    if (!st)
        st = fy_arr_copy(ctx, out, 0, in, 0, in->count);
    return st ? st : scatter(ctx, op, out, indices, upd);
}

ferry_status fy_arr_tensor_scatter_update(fy_kernel_ctx *ctx) { return tensor_scatter(ctx, SC_UPDATE); }
ferry_status fy_arr_tensor_scatter_add(fy_kernel_ctx *ctx) { return tensor_scatter(ctx, SC_ADD); }
ferry_status fy_arr_tensor_scatter_sub(fy_kernel_ctx *ctx) { return tensor_scatter(ctx, SC_SUB); }
ferry_status fy_arr_tensor_scatter_min(fy_kernel_ctx *ctx) { return tensor_scatter(ctx, SC_MIN); }
ferry_status fy_arr_tensor_scatter_max(fy_kernel_ctx *ctx) { return tensor_scatter(ctx, SC_MAX); }
