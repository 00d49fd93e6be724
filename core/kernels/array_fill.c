/* Ops that make tensors from a few values: Fill, Empty, ZerosLike,
 * OnesLike, Range, LinSpace and OneHot. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "kernels/array_internal.h"
#include "kernels/elementwise.h"

/* Every element of out becomes element 0 of v (same dtype). */
static ferry_status splat(fy_kernel_ctx *ctx, ferry_tensor *out, const ferry_tensor *v)
{
    if (out->count == 0)
        return FERRY_OK;
    if (out->dtype == FERRY_DT_STRING) {
        for (int64_t i = 0; i < out->count; i++) {
            ferry_status st = fy_arr_copy(ctx, out, i, v, 0, 1);
            if (st)
                return st;
        }
        return FERRY_OK;
    }
    size_t esz = ferry_dtype_size(out->dtype);
    char *d = out->data;
    memcpy(d, v->data, esz);
    /* doubling copies: log2(count) memcpy calls */
    for (int64_t done = 1; done < out->count;) {
        int64_t n = done < out->count - done ? done : out->count - done;
        memcpy(d + (size_t)done * esz, d, (size_t)n * esz);
        done += n;
    }
    return FERRY_OK;
}

static ferry_status scalar_input(fy_kernel_ctx *ctx, int i, const char *what, const ferry_tensor **out)
{
    *out = fy_input(ctx, i);
    if (!*out)
        return FERRY_ERR_INVALID_ARGUMENT;
    if ((*out)->rank != 0) {
        char s[64];
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "%s must be a scalar, not of shape %s", what,
                              fy_dims_str(s, sizeof(s), (*out)->dims, (*out)->rank));
    }
    return fy_arr_check_movable(ctx, *out);
}

ferry_status fy_arr_fill(fy_kernel_ctx *ctx)
{
    const ferry_tensor *dims_t = fy_input(ctx, 0), *value;
    if (!dims_t)
        return FERRY_ERR_INVALID_ARGUMENT;
    ferry_status st = scalar_input(ctx, 1, "value", &value);
    if (st)
        return st;
    int64_t dims[FERRY_MAX_RANK];
    int rank;
    ferry_tensor *out;
    if ((st = fy_arr_read_dims(ctx, dims_t, dims, &rank, 0, "dims")) != FERRY_OK ||
        (st = fy_arr_new_output(ctx, 0, value->dtype, dims, rank, &out)) != FERRY_OK)
        return st;
    return splat(ctx, out, value);
}

/* Empty(shape), dtype attr: zeros (TF leaves them uninitialized unless init). */
ferry_status fy_arr_empty(fy_kernel_ctx *ctx)
{
    const ferry_tensor *shape = fy_input(ctx, 0);
    if (!shape)
        return FERRY_ERR_INVALID_ARGUMENT;
    int64_t dims[FERRY_MAX_RANK];
    int rank;
    ferry_tensor *out;
    ferry_status st = fy_arr_read_dims(ctx, shape, dims, &rank, 0, "shape");
    return st ? st : fy_arr_new_output(ctx, 0, fy_attr_type(ctx->node, "dtype", FERRY_DT_INVALID), dims, rank, &out);
}

ferry_status fy_arr_zeros_like(fy_kernel_ctx *ctx)
{
    const ferry_tensor *in = fy_input(ctx, 0);
    if (!in)
        return FERRY_ERR_INVALID_ARGUMENT;
    ferry_tensor *out;
    ferry_status st = fy_arr_check_movable(ctx, in);
    return st ? st : fy_arr_new_output(ctx, 0, in->dtype, in->dims, in->rank, &out);
}

/* The bytes of 1 in a dtype; 0 when the dtype has no 1. */
static size_t one_of(ferry_dtype dtype, unsigned char *buf)
{
    const float f = 1.0f;
    const double d = 1.0;
    const uint16_t h = 0x3c00, b = 0x3f80;
    size_t esz = ferry_dtype_size(dtype);
    memset(buf, 0, 16);
    switch (dtype) {
    case FERRY_DT_FLOAT: case FERRY_DT_COMPLEX64: memcpy(buf, &f, 4); return esz;
    case FERRY_DT_DOUBLE: case FERRY_DT_COMPLEX128: memcpy(buf, &d, 8); return esz;
    case FERRY_DT_HALF: memcpy(buf, &h, 2); return esz;
    case FERRY_DT_BFLOAT16: memcpy(buf, &b, 2); return esz;
    case FERRY_DT_BOOL: case FERRY_DT_INT8: case FERRY_DT_UINT8: case FERRY_DT_INT16: case FERRY_DT_UINT16:
    case FERRY_DT_INT32: case FERRY_DT_UINT32: case FERRY_DT_INT64: case FERRY_DT_UINT64: {
        /* little or big endian: set the lowest-order byte */
        const uint64_t one = 1;
        const unsigned char *p = (const unsigned char *)&one;
        buf[0] = p[0];
        if (p[0] == 0)
            buf[esz - 1] = 1;
        return esz;
    }
    default: return 0;
    }
}

ferry_status fy_arr_ones_like(fy_kernel_ctx *ctx)
{
    const ferry_tensor *in = fy_input(ctx, 0);
    if (!in)
        return FERRY_ERR_INVALID_ARGUMENT;
    unsigned char one[16];
    if (!one_of(in->dtype, one))
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "not defined for %s", ferry_dtype_name(in->dtype));
    ferry_tensor *out;
    ferry_status st = fy_arr_new_output(ctx, 0, in->dtype, in->dims, in->rank, &out);
    if (st)
        return st;
    ferry_tensor unit = { .dtype = in->dtype, .data = one, .count = 1 };
    return splat(ctx, out, &unit);
}

/* ---- Range ------------------------------------------------------------------ */

static int64_t range_int_at(const ferry_tensor *t)
{
    return t->dtype == FERRY_DT_INT32 ? *(const int32_t *)t->data : *(const int64_t *)t->data;
}

static ferry_status range_order_fail(fy_kernel_ctx *ctx, int positive, const char *start, const char *limit)
{
    return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "requires start %s limit when delta %s 0: %s/%s",
                          positive ? "<=" : ">=", positive ? ">" : "<", start, limit);
}

/* Integer ranges: ceil(|limit - start| / |delta|) values, the count computed without overflow. */
static ferry_status range_int(fy_kernel_ctx *ctx, const ferry_tensor *const *in)
{
    int64_t start = range_int_at(in[0]), limit = range_int_at(in[1]), delta = range_int_at(in[2]);
    char a[32], b[32];
    snprintf(a, sizeof(a), "%lld", (long long)start);
    snprintf(b, sizeof(b), "%lld", (long long)limit);
    if (delta == 0)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "requires delta != 0");
    if (delta > 0 ? start > limit : start < limit)
        return range_order_fail(ctx, delta > 0, a, b);
    uint64_t span = delta > 0 ? (uint64_t)limit - (uint64_t)start : (uint64_t)start - (uint64_t)limit;
    uint64_t step = delta > 0 ? (uint64_t)delta : 0 - (uint64_t)delta;
    uint64_t count = span / step + (span % step != 0);
    if (count > INT64_MAX)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "requires (limit - start) / delta <= %lld",
                              (long long)INT64_MAX);
    int64_t size = (int64_t)count;
    ferry_tensor *out;
    ferry_status st = fy_arr_new_output(ctx, 0, in[0]->dtype, &size, 1, &out);
    if (st)
        return st;
    for (int64_t i = 0; i < size; i++) {
        uint64_t v = (uint64_t)start + (uint64_t)i * (uint64_t)delta; /* start + i * delta, wrapping */
        if (out->dtype == FERRY_DT_INT32)
            ((int32_t *)out->data)[i] = (int32_t)(int64_t)v;
        else
            ((int64_t *)out->data)[i] = (int64_t)v;
    }
    return FERRY_OK;
}

/* The size of a floating range from |(limit - start) / delta| rounded up. */
static ferry_status range_size(fy_kernel_ctx *ctx, double start, double limit, double delta, double span,
                               int64_t *size)
{
    char a[32], b[32];
    snprintf(a, sizeof(a), "%g", start);
    snprintf(b, sizeof(b), "%g", limit);
    if (delta == 0)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "requires delta != 0");
    if (delta > 0 ? !(start <= limit) : delta < 0 ? !(start >= limit) : 0)
        return range_order_fail(ctx, delta > 0, a, b);
    if (!(span >= 0 && span < 9.2e18)) /* also catches NaN */
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "requires (limit - start) / delta <= %lld, got %g",
                              (long long)INT64_MAX, span);
    *size = (int64_t)span;
    return FERRY_OK;
}

static float round_to(ferry_dtype dtype, float x)
{
    if (dtype == FERRY_DT_HALF)
        return fy_half_to_float(fy_float_to_half(x));
    if (dtype == FERRY_DT_BFLOAT16)
        return fy_bfloat16_to_float(fy_float_to_bfloat16(x));
    return x;
}

static float load_small_float(const ferry_tensor *t)
{
    uint16_t h;
    if (t->dtype == FERRY_DT_FLOAT)
        return *(const float *)t->data;
    memcpy(&h, t->data, 2);
    return t->dtype == FERRY_DT_HALF ? fy_half_to_float(h) : fy_bfloat16_to_float(h);
}

/* float, half and bfloat16 ranges: value i is start + i * delta computed
 * in T, as TF does (each step rounded to the dtype). */
static ferry_status range_small_float(fy_kernel_ctx *ctx, const ferry_tensor *const *in)
{
    ferry_dtype dt = in[0]->dtype;
    float start = load_small_float(in[0]), limit = load_small_float(in[1]), delta = load_small_float(in[2]);
    float span = ceilf(fabsf(round_to(dt, round_to(dt, limit - start) / delta)));
    int64_t size;
    ferry_tensor *out;
    ferry_status st = range_size(ctx, start, limit, delta, span, &size);
    if (!st)
        st = fy_arr_new_output(ctx, 0, dt, &size, 1, &out);
    if (st)
        return st;
    for (int64_t i = 0; i < size; i++) {
        float v = round_to(dt, start + round_to(dt, round_to(dt, (float)i) * delta));
        if (dt == FERRY_DT_FLOAT)
            ((float *)out->data)[i] = v;
        else
            ((uint16_t *)out->data)[i] = dt == FERRY_DT_HALF ? fy_float_to_half(v) : fy_float_to_bfloat16(v);
    }
    return FERRY_OK;
}

static ferry_status range_double(fy_kernel_ctx *ctx, const ferry_tensor *const *in)
{
    double start = *(const double *)in[0]->data, limit = *(const double *)in[1]->data;
    double delta = *(const double *)in[2]->data;
    int64_t size;
    ferry_tensor *out;
    ferry_status st = range_size(ctx, start, limit, delta, ceil(fabs((limit - start) / delta)), &size);
    if (!st)
        st = fy_arr_new_output(ctx, 0, FERRY_DT_DOUBLE, &size, 1, &out);
    if (st)
        return st;
    for (int64_t i = 0; i < size; i++)
        ((double *)out->data)[i] = start + (double)i * delta;
    return FERRY_OK;
}

ferry_status fy_arr_range(fy_kernel_ctx *ctx)
{
    static const char *const names[3] = { "start", "limit", "delta" };
    const ferry_tensor *in[3];
    for (int i = 0; i < 3; i++) {
        if (!(in[i] = fy_input(ctx, i)))
            return FERRY_ERR_INVALID_ARGUMENT;
        if (in[i]->count != 1 || in[i]->rank > 1 || in[i]->dtype != in[0]->dtype)
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "%s must be a scalar of %s", names[i],
                                  ferry_dtype_name(in[0]->dtype));
    }
    switch (in[0]->dtype) {
    case FERRY_DT_INT32: case FERRY_DT_INT64: return range_int(ctx, in);
    case FERRY_DT_FLOAT: case FERRY_DT_HALF: case FERRY_DT_BFLOAT16: return range_small_float(ctx, in);
    case FERRY_DT_DOUBLE: return range_double(ctx, in);
    default:
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "not defined for %s", ferry_dtype_name(in[0]->dtype));
    }
}

/* LinSpace(start, stop, num): start + i * step in T, step = (stop - start)
 * / (num - 1), and exactly stop last (TF's CPU kernel: float, double). */
ferry_status fy_arr_lin_space(fy_kernel_ctx *ctx)
{
    const ferry_tensor *start_t = fy_input(ctx, 0), *stop_t = start_t ? fy_input(ctx, 1) : NULL;
    const ferry_tensor *num_t = stop_t ? fy_input(ctx, 2) : NULL;
    if (!num_t)
        return FERRY_ERR_INVALID_ARGUMENT;
    int64_t num;
    ferry_status st = fy_arr_scalar_int(ctx, num_t, &num, "num");
    if (st)
        return st;
    ferry_dtype dt = start_t->dtype;
    if ((dt != FERRY_DT_FLOAT && dt != FERRY_DT_DOUBLE) || stop_t->dtype != dt)
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "not defined for %s", ferry_dtype_name(dt));
    if (start_t->count != 1 || stop_t->count != 1 || start_t->rank > 1 || stop_t->rank > 1)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "start and stop must be scalars");
    if (num <= 0)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "requires num > 0: %lld", (long long)num);
    ferry_tensor *out;
    if ((st = fy_arr_new_output(ctx, 0, dt, &num, 1, &out)) != FERRY_OK)
        return st;
    if (dt == FERRY_DT_FLOAT) {
        float a = *(const float *)start_t->data, b = *(const float *)stop_t->data, step = (b - a) / (float)(num - 1);
        for (int64_t i = 0; i < num - 1; i++)
            ((float *)out->data)[i] = a + step * (float)i;
        ((float *)out->data)[num - 1] = num == 1 ? a : b;
    } else {
        double a = *(const double *)start_t->data, b = *(const double *)stop_t->data, step = (b - a) / (double)(num - 1);
        for (int64_t i = 0; i < num - 1; i++)
            ((double *)out->data)[i] = a + step * (double)i;
        ((double *)out->data)[num - 1] = num == 1 ? a : b;
    }
    return FERRY_OK;
}

/* ---- OneHot ----------------------------------------------------------------- */

static int one_hot_index_type(ferry_dtype dtype)
{
    return dtype == FERRY_DT_UINT8 || dtype == FERRY_DT_INT8 || dtype == FERRY_DT_INT32 || dtype == FERRY_DT_INT64;
}

static int64_t one_hot_index(const ferry_tensor *t, int64_t i)
{
    switch (t->dtype) {
    case FERRY_DT_UINT8: return ((const uint8_t *)t->data)[i];
    case FERRY_DT_INT8: return ((const int8_t *)t->data)[i];
    case FERRY_DT_INT32: return ((const int32_t *)t->data)[i];
    default: return ((const int64_t *)t->data)[i];
    }
}

/* OneHot(indices, depth, on_value, off_value), axis attr: indices outside
 * [0, depth) give a row of off_value. */
ferry_status fy_arr_one_hot(fy_kernel_ctx *ctx)
{
    const ferry_tensor *idx = fy_input(ctx, 0), *depth_t = idx ? fy_input(ctx, 1) : NULL, *on, *off;
    if (!depth_t)
        return FERRY_ERR_INVALID_ARGUMENT;
    ferry_status st = scalar_input(ctx, 2, "on_value", &on);
    if (!st)
        st = scalar_input(ctx, 3, "off_value", &off);
    int64_t depth, axis = fy_attr_int(ctx->node, "axis", -1);
    if (!st)
        st = fy_arr_scalar_int(ctx, depth_t, &depth, "depth");
    if (st)
        return st;
    if (on->dtype != off->dtype)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "on_value is %s but off_value is %s",
                              ferry_dtype_name(on->dtype), ferry_dtype_name(off->dtype));
    if (!one_hot_index_type(idx->dtype))
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "indices of %s", ferry_dtype_name(idx->dtype));
    if (depth < 0)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "depth must be non-negative, got %lld",
                              (long long)depth);
    if (axis < -1 || axis > idx->rank || idx->rank == FERRY_MAX_RANK)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "axis %lld is not -1 or in [0, %d]", (long long)axis,
                              idx->rank);
    if (axis == -1)
        axis = idx->rank;
    int64_t dims[FERRY_MAX_RANK];
    for (int d = 0, k = 0; d <= idx->rank; d++)
        dims[d] = d == axis ? depth : idx->dims[k++];
    ferry_tensor *out;
    if ((st = fy_arr_new_output(ctx, 0, on->dtype, dims, idx->rank + 1, &out)) != FERRY_OK ||
        (st = splat(ctx, out, off)) != FERRY_OK)
        return st;
    int64_t suffix = fy_arr_inner(dims, idx->rank + 1, (int)axis);
    for (int64_t i = 0; i < idx->count && !st; i++) {
        int64_t v = one_hot_index(idx, i);
        int64_t prefix = i / suffix, s = i % suffix;
        if (v >= 0 && v < depth)
            st = fy_arr_copy(ctx, out, (prefix * depth + v) * suffix + s, on, 0, 1);
    }
    return st;
}
