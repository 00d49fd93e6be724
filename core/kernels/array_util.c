/* Helpers shared by the array kernels: element moves, axis and index
 * arguments, and the remapping engine behind slicing, tiling, padding,
 * transposing, reversing and broadcasting. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/array_internal.h"

size_t fy_arr_elem_bytes(ferry_dtype dtype)
{
    return dtype == FERRY_DT_STRING ? sizeof(ferry_string) : ferry_dtype_size(dtype);
}

ferry_status fy_arr_check_movable(fy_kernel_ctx *ctx, const ferry_tensor *t)
{
    if (!fy_arr_elem_bytes(t->dtype))
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "not defined for %s", ferry_dtype_name(t->dtype));
    return FERRY_OK;
}

ferry_status fy_arr_new_output(fy_kernel_ctx *ctx, int i, ferry_dtype dtype, const int64_t *dims, int rank,
                               ferry_tensor **out)
{
    *out = fy_output_new(ctx, i, dtype, dims, rank);
    if (*out)
        return FERRY_OK;
    return ctx->err && *ctx->err ? ferry_error_code(*ctx->err) : FERRY_ERR_OUT_OF_MEMORY;
}

ferry_status fy_arr_copy(fy_kernel_ctx *ctx, ferry_tensor *dst, int64_t di, const ferry_tensor *src, int64_t si,
                         int64_t n)
{
    if (n <= 0)
        return FERRY_OK;
    if (src->dtype == FERRY_DT_STRING) {
        const ferry_string *s = src->data;
        for (int64_t k = 0; k < n; k++) {
            ferry_status st = fy_tensor_set_string(dst, di + k, s[si + k].data, s[si + k].size, ctx->err);
            if (st)
                return st;
        }
        return FERRY_OK;
    }
    size_t esz = ferry_dtype_size(src->dtype);
    memcpy((char *)dst->data + (size_t)di * esz, (const char *)src->data + (size_t)si * esz, (size_t)n * esz);
    return FERRY_OK;
}

ferry_status fy_arr_output_copy(fy_kernel_ctx *ctx, int i, const ferry_tensor *in, const int64_t *dims, int rank)
{
    ferry_tensor *out;
    ferry_status st = fy_arr_check_movable(ctx, in);
    if (st)
        return st;
    /* Reshape and its kin take the input's own buffer when the run is done with it. */
    if (in == ctx->inputs[0].t && in->dtype != FERRY_DT_STRING) {
        out = fy_output_reuse(ctx, i, 0, in->dtype, dims, rank);
        if (!out)
            return ctx->err && *ctx->err ? ferry_error_code(*ctx->err) : FERRY_ERR_OUT_OF_MEMORY;
        if (out == in)
            return FERRY_OK;
    } else if ((st = fy_arr_new_output(ctx, i, in->dtype, dims, rank, &out)) != FERRY_OK) {
        return st;
    }
    return fy_arr_copy(ctx, out, 0, in, 0, in->count);
}

static ferry_status check_int_dtype(fy_kernel_ctx *ctx, const ferry_tensor *t, const char *what)
{
    if (t->dtype != FERRY_DT_INT32 && t->dtype != FERRY_DT_INT64)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "%s must be int32 or int64, not %s", what,
                              ferry_dtype_name(t->dtype));
    return FERRY_OK;
}

static int64_t int_at(const ferry_tensor *t, int64_t i)
{
    return t->dtype == FERRY_DT_INT32 ? ((const int32_t *)t->data)[i] : ((const int64_t *)t->data)[i];
}

ferry_status fy_arr_scalar_int(fy_kernel_ctx *ctx, const ferry_tensor *t, int64_t *out, const char *what)
{
    ferry_status st = check_int_dtype(ctx, t, what);
    if (st)
        return st;
    if (t->rank > 1 || t->count != 1) {
        char s[64];
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "%s must be a scalar, not of shape %s", what,
                              fy_dims_str(s, sizeof(s), t->dims, t->rank));
    }
    *out = int_at(t, 0);
    return FERRY_OK;
}

ferry_status fy_arr_read_dims(fy_kernel_ctx *ctx, const ferry_tensor *t, int64_t *dims, int *rank, int allow_negative,
                              const char *what)
{
    ferry_status st = check_int_dtype(ctx, t, what);
    if (st)
        return st;
    if (t->rank > 1) {
        char s[64];
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "%s must be a vector, not of shape %s", what,
                              fy_dims_str(s, sizeof(s), t->dims, t->rank));
    }
    if (t->count > FERRY_MAX_RANK)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "%s has %lld entries, more than the maximum rank %d",
                              what, (long long)t->count, FERRY_MAX_RANK);
    for (int64_t i = 0; i < t->count; i++) {
        dims[i] = int_at(t, i);
        if (dims[i] < 0 && !allow_negative)
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "%s[%lld] is negative (%lld)", what, (long long)i,
                                  (long long)dims[i]);
    }
    *rank = (int)t->count;
    return FERRY_OK;
}

ferry_status fy_arr_read_index_list(fy_kernel_ctx *ctx, const ferry_tensor *t, int64_t **out, const char *what)
{
    ferry_status st = check_int_dtype(ctx, t, what);
    if (st)
        return st;
    int64_t *v = malloc((size_t)(t->count ? t->count : 1) * sizeof(int64_t));
    if (!v)
        return fy_kernel_fail(ctx, FERRY_ERR_OUT_OF_MEMORY, "out of memory for %s", what);
    for (int64_t i = 0; i < t->count; i++)
        v[i] = int_at(t, i);
    *out = v;
    return FERRY_OK;
}

ferry_status fy_arr_write_ints(fy_kernel_ctx *ctx, ferry_tensor *t, const int64_t *v, int64_t n)
{
    for (int64_t i = 0; i < n; i++) {
        if (t->dtype == FERRY_DT_INT64) {
            ((int64_t *)t->data)[i] = v[i];
        } else if (v[i] < INT32_MIN || v[i] > INT32_MAX) {
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "value %lld does not fit the int32 output",
                                  (long long)v[i]);
        } else {
            ((int32_t *)t->data)[i] = (int32_t)v[i];
        }
    }
    return FERRY_OK;
}

ferry_status fy_arr_index_type(fy_kernel_ctx *ctx, const char *attr, ferry_dtype dflt, ferry_dtype *out)
{
    *out = fy_attr_type(ctx->node, attr, dflt);
    if (*out != FERRY_DT_INT32 && *out != FERRY_DT_INT64)
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "%s %s is not int32 or int64", attr,
                              ferry_dtype_name(*out));
    return FERRY_OK;
}

int64_t fy_arr_product(const int64_t *dims, int from, int to)
{
    int64_t n = 1;
    for (int k = from; k < to; k++)
        if (dims[k] == 0)
            return 0;
    for (int k = from; k < to; k++)
        if ((n = fy_mul_sizes(n, dims[k])) < 0)
            return INT64_MAX;
    return n;
}

int64_t fy_arr_inner(const int64_t *dims, int rank, int d)
{
    return fy_arr_product(dims, d + 1, rank);
}

int fy_arr_truthy(const ferry_tensor *t, int64_t i)
{
    const void *p = t->data;
    switch (t->dtype) {
    case FERRY_DT_FLOAT: return ((const float *)p)[i] != 0;
    case FERRY_DT_DOUBLE: return ((const double *)p)[i] != 0;
    case FERRY_DT_COMPLEX64: return ((const float *)p)[2 * i] != 0 || ((const float *)p)[2 * i + 1] != 0;
    case FERRY_DT_COMPLEX128: return ((const double *)p)[2 * i] != 0 || ((const double *)p)[2 * i + 1] != 0;
    case FERRY_DT_HALF:
    case FERRY_DT_BFLOAT16: return (((const uint16_t *)p)[i] & 0x7fff) != 0;  /* +-0 are the only zeros */
    default: break;
    }
    size_t esz = ferry_dtype_size(t->dtype);
    const unsigned char *b = (const unsigned char *)p + (size_t)i * esz;
    for (size_t k = 0; k < esz; k++)
        if (b[k])
            return 1;
    return 0;
}

/* ---- remapping ------------------------------------------------------------ */

fy_arr_dim fy_arr_dim_of(const ferry_tensor *in, int d)
{
    return (fy_arr_dim){ FY_ARR_LINEAR, in->dims[d], fy_arr_inner(in->dims, in->rank, d), 0, 1, in->dims[d], 0 };
}

/* Source index along one dim for output index i; -1 means padding. The
 * kernels guarantee every index they build lands inside the input. */
static int64_t source_index(const fy_arr_dim *d, int64_t i)
{
    int64_t s = i - d->before;
    switch (d->map) {
    case FY_ARR_LINEAR: return d->start + i * d->step;
    case FY_ARR_WRAP: return (d->start + i) % d->n;
    case FY_ARR_PAD: return s >= 0 && s < d->n ? s : -1;
    case FY_ARR_REFLECT: return s < 0 ? -s : s >= d->n ? 2 * (d->n - 1) - s : s;
    case FY_ARR_SYMMETRIC: return s < 0 ? -s - 1 : s >= d->n ? 2 * d->n - 1 - s : s;
    }
    return -1;
}

static void put(char *dst, const char *src, size_t esz)
{
    switch (esz) { /* constant sizes let the compiler emit plain moves */
    case 1: memcpy(dst, src, 1); break;
    case 2: memcpy(dst, src, 2); break;
    case 4: memcpy(dst, src, 4); break;
    case 8: memcpy(dst, src, 8); break;
    default: memcpy(dst, src, esz); break;
    }
}

ferry_status fy_arr_copy_one(fy_kernel_ctx *ctx, ferry_tensor *dst, int64_t di, const ferry_tensor *src, int64_t si)
{
    if (src->dtype == FERRY_DT_STRING)
        return fy_arr_copy(ctx, dst, di, src, si, 1);
    size_t esz = ferry_dtype_size(src->dtype);
    put((char *)dst->data + (size_t)di * esz, (const char *)src->data + (size_t)si * esz, esz);
    return FERRY_OK;
}

/* One output element: from in[s], or the pad value when s < 0. */
static ferry_status move_one(fy_kernel_ctx *ctx, ferry_tensor *out, int64_t o, const ferry_tensor *in, int64_t s,
                             const ferry_tensor *pad)
{
    if (s < 0 && !pad)
        return FERRY_OK;
    return s < 0 ? fy_arr_copy_one(ctx, out, o, pad, 0) : fy_arr_copy_one(ctx, out, o, in, s);
}

/* n elements out[o + j] = in[s + j * inc] of a fixed-size dtype. */
static void strided_copy(ferry_tensor *out, int64_t o, const ferry_tensor *in, int64_t s, int64_t inc, int64_t n)
{
    size_t esz = ferry_dtype_size(in->dtype);
    char *dst = (char *)out->data + (size_t)o * esz;
    const char *src = (const char *)in->data + (size_t)s * esz;
    switch (esz) { /* constant sizes turn each memcpy into one move */
#define STRIDED(N)                                                                             \
    for (int64_t j = 0; j < n; j++)                                                            \
        memcpy(dst + (size_t)j * N, src + (ptrdiff_t)(j * inc) * N, N);                        \
    break;
    case 1: STRIDED(1)
    case 2: STRIDED(2)
    case 4: STRIDED(4)
    case 8: STRIDED(8)
#undef STRIDED
    default:
        for (int64_t j = 0; j < n; j++)
            memcpy(dst + (size_t)j * esz, src + (ptrdiff_t)(j * inc) * (ptrdiff_t)esz, esz);
        break;
    }
}

/* Contiguous input dims (stride 1) wrap or pad in whole runs. */
static ferry_status runs_row(fy_kernel_ctx *ctx, ferry_tensor *out, int64_t o, const ferry_tensor *in, int64_t base,
                             const fy_arr_dim *d, const ferry_tensor *pad)
{
    for (int64_t j = 0; j < d->size;) {
        int64_t s = source_index(d, j), run;
        ferry_status st = FERRY_OK;
        if (s < 0) {
            st = move_one(ctx, out, o + j, in, -1, pad);
            run = 1;
        } else {
            run = d->n - s < d->size - j ? d->n - s : d->size - j;
            st = fy_arr_copy(ctx, out, o + j, in, base + s, run);
        }
        if (st)
            return st;
        j += run;
    }
    return FERRY_OK;
}

static ferry_status remap_row(fy_kernel_ctx *ctx, ferry_tensor *out, int64_t o, const ferry_tensor *in, int64_t base,
                              const fy_arr_dim *d, const ferry_tensor *pad)
{
    if (base < 0) { /* an outer dim is padding: the whole row is */
        for (int64_t j = 0; pad && j < d->size; j++) {
            ferry_status st = move_one(ctx, out, o + j, in, -1, pad);
            if (st)
                return st;
        }
        return FERRY_OK;
    }
    int strings = in->dtype == FERRY_DT_STRING;
    if (d->map == FY_ARR_LINEAR && (!strings || d->step * d->stride == 1)) {
        if (d->step * d->stride == 1)
            return fy_arr_copy(ctx, out, o, in, base + d->start * d->stride, d->size);
        strided_copy(out, o, in, base + d->start * d->stride, d->step * d->stride, d->size);
        return FERRY_OK;
    }
    if (d->stride == 1 && (d->map == FY_ARR_WRAP || d->map == FY_ARR_PAD))
        return runs_row(ctx, out, o, in, base, d, pad);
    for (int64_t j = 0; j < d->size; j++) {
        int64_t s = source_index(d, j);
        ferry_status st = move_one(ctx, out, o + j, in, s < 0 ? -1 : base + s * d->stride, pad);
        if (st)
            return st;
    }
    return FERRY_OK;
}

ferry_status fy_arr_remap_run(fy_kernel_ctx *ctx, ferry_tensor *out, const ferry_tensor *in, const fy_arr_remap *m,
                              const ferry_tensor *pad)
{
    if (out->count == 0)
        return FERRY_OK;
    if (m->rank == 0)
        return move_one(ctx, out, 0, in, 0, pad);
    int last = m->rank - 1;
    int64_t idx[FERRY_MAX_RANK] = { 0 };
    int64_t row_len = m->dim[last].size;
    for (int64_t o = 0; o < out->count; o += row_len) {
        int64_t base = 0;
        for (int d = 0; d < last && base >= 0; d++) {
            int64_t s = source_index(&m->dim[d], idx[d]);
            base = s < 0 ? -1 : base + s * m->dim[d].stride;
        }
        ferry_status st = remap_row(ctx, out, o, in, base, &m->dim[last], pad);
        if (st)
            return st;
        for (int d = last - 1; d >= 0 && ++idx[d] == m->dim[d].size; d--)
            idx[d] = 0;
    }
    return FERRY_OK;
}
