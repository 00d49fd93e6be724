/* Helpers shared by the math and neural-network kernels: dtype conversion
 * into compute buffers, axes, transposition. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/elementwise.h"
#include "kernels/nn_internal.h"

ferry_dtype fy_nn_compute_type(ferry_dtype dtype)
{
    switch (dtype) {
    case FERRY_DT_FLOAT:
    case FERRY_DT_HALF:
    case FERRY_DT_BFLOAT16:
        return FERRY_DT_FLOAT;
    case FERRY_DT_DOUBLE:
        return FERRY_DT_DOUBLE;
    case FERRY_DT_INT8:
    case FERRY_DT_INT16:
    case FERRY_DT_INT32:
    case FERRY_DT_INT64:
    case FERRY_DT_UINT8:
    case FERRY_DT_UINT16:
    case FERRY_DT_UINT32:
    case FERRY_DT_UINT64:
    case FERRY_DT_BOOL:
        return FERRY_DT_INT64;
    default:
        return FERRY_DT_INVALID;
    }
}

int fy_nn_is_real(ferry_dtype dtype)
{
    return fy_nn_compute_type(dtype) == FERRY_DT_FLOAT || dtype == FERRY_DT_DOUBLE;
}

double fy_nn_get_f(const void *data, ferry_dtype dtype, int64_t i)
{
    switch (dtype) {
    case FERRY_DT_FLOAT: return ((const float *)data)[i];
    case FERRY_DT_DOUBLE: return ((const double *)data)[i];
    case FERRY_DT_HALF: return fy_half_to_float(((const uint16_t *)data)[i]);
    case FERRY_DT_BFLOAT16: return fy_bfloat16_to_float(((const uint16_t *)data)[i]);
    case FERRY_DT_UINT64: return (double)((const uint64_t *)data)[i];
    default: return (double)fy_nn_get_i(data, dtype, i);
    }
}

/* A real value as int64 the way a C cast would, without its undefined cases. */
static int64_t real_to_int(double v)
{
    if (isnan(v))
        return 0;
    if (v >= 9223372036854775807.0)
        return INT64_MAX;
    return v <= -9223372036854775808.0 ? INT64_MIN : (int64_t)v;
}

int64_t fy_nn_get_i(const void *data, ferry_dtype dtype, int64_t i)
{
    switch (dtype) {
    case FERRY_DT_INT8: return ((const int8_t *)data)[i];
    case FERRY_DT_INT16: return ((const int16_t *)data)[i];
    case FERRY_DT_INT32: return ((const int32_t *)data)[i];
    case FERRY_DT_INT64: return ((const int64_t *)data)[i];
    case FERRY_DT_UINT8:
    case FERRY_DT_BOOL: return ((const uint8_t *)data)[i];
    case FERRY_DT_UINT16: return ((const uint16_t *)data)[i];
    case FERRY_DT_UINT32: return ((const uint32_t *)data)[i];
    case FERRY_DT_UINT64: return (int64_t)((const uint64_t *)data)[i];
    default: return real_to_int(fy_nn_get_f(data, dtype, i));
    }
}

/* Integers narrow modulo 2^bits, as TF's (two's complement) casts do. */
static void set_i(void *data, ferry_dtype dtype, int64_t i, int64_t v)
{
    switch (dtype) {
    case FERRY_DT_INT8: ((int8_t *)data)[i] = (int8_t)v; break;
    case FERRY_DT_INT16: ((int16_t *)data)[i] = (int16_t)v; break;
    case FERRY_DT_INT32: ((int32_t *)data)[i] = (int32_t)v; break;
    case FERRY_DT_INT64: ((int64_t *)data)[i] = v; break;
    case FERRY_DT_UINT8: ((uint8_t *)data)[i] = (uint8_t)v; break;
    case FERRY_DT_BOOL: ((uint8_t *)data)[i] = v != 0; break;
    case FERRY_DT_UINT16: ((uint16_t *)data)[i] = (uint16_t)v; break;
    case FERRY_DT_UINT32: ((uint32_t *)data)[i] = (uint32_t)v; break;
    case FERRY_DT_UINT64: ((uint64_t *)data)[i] = (uint64_t)v; break;
    case FERRY_DT_FLOAT: ((float *)data)[i] = (float)v; break;
    case FERRY_DT_DOUBLE: ((double *)data)[i] = (double)v; break;
    case FERRY_DT_HALF: ((uint16_t *)data)[i] = fy_float_to_half((float)v); break;
    case FERRY_DT_BFLOAT16: ((uint16_t *)data)[i] = fy_float_to_bfloat16((float)v); break;
    default: break;
    }
}

static void set_f(void *data, ferry_dtype dtype, int64_t i, double v)
{
    switch (dtype) {
    case FERRY_DT_FLOAT: ((float *)data)[i] = (float)v; break;
    case FERRY_DT_DOUBLE: ((double *)data)[i] = v; break;
    case FERRY_DT_HALF: ((uint16_t *)data)[i] = fy_float_to_half((float)v); break;
    case FERRY_DT_BFLOAT16: ((uint16_t *)data)[i] = fy_float_to_bfloat16((float)v); break;
    default: set_i(data, dtype, i, real_to_int(v)); break;
    }
}

void *fy_nn_alloc(fy_kernel_ctx *ctx, int64_t n, size_t elem)
{
    int64_t bytes = fy_mul_sizes(n, (int64_t)elem);
    void *p = bytes < 0 || (uint64_t)bytes > SIZE_MAX ? NULL : malloc(bytes ? (size_t)bytes : 1);
    if (!p)
        fy_kernel_fail(ctx, FERRY_ERR_OUT_OF_MEMORY, "out of memory for %lld elements", (long long)n);
    return p;
}

ferry_status fy_nn_load(fy_kernel_ctx *ctx, const ferry_tensor *t, ferry_dtype as, const void **data, void **copy)
{
    *copy = NULL;
    *data = t->data;
    if (t->dtype == as)
        return FERRY_OK;
    void *buf = fy_nn_alloc(ctx, t->count, ferry_dtype_size(as));
    if (!buf)
        return FERRY_ERR_OUT_OF_MEMORY;
    for (int64_t i = 0; i < t->count; i++) {
        if (as == FERRY_DT_FLOAT)
            ((float *)buf)[i] = (float)fy_nn_get_f(t->data, t->dtype, i);
        else if (as == FERRY_DT_DOUBLE)
            ((double *)buf)[i] = fy_nn_get_f(t->data, t->dtype, i);
        else
            ((int64_t *)buf)[i] = fy_nn_get_i(t->data, t->dtype, i);
    }
    *data = *copy = buf;
    return FERRY_OK;
}

ferry_status fy_nn_out_buffer(fy_kernel_ctx *ctx, ferry_tensor *out, ferry_dtype as, void **data, void **copy)
{
    *copy = NULL;
    *data = out->data;
    if (out->dtype == as)
        return FERRY_OK;
    *data = *copy = fy_nn_alloc(ctx, out->count, ferry_dtype_size(as));
    return *copy ? FERRY_OK : FERRY_ERR_OUT_OF_MEMORY;
}

void fy_nn_commit(ferry_tensor *out, void *copy, ferry_dtype as)
{
    if (!copy)
        return;
    for (int64_t i = 0; i < out->count; i++) {
        if (as == FERRY_DT_INT64)
            set_i(out->data, out->dtype, i, ((const int64_t *)copy)[i]);
        else
            set_f(out->data, out->dtype, i, fy_nn_get_f(copy, as, i));
    }
    free(copy);
}

/* Copies n elements of `elem` bytes from a strided source. */
static void gather_run(char *dst, const char *src, size_t elem, int64_t n, int64_t step)
{
    switch (elem) {
    case 4:
        for (int64_t i = 0; i < n; i++)
            memcpy(dst + 4 * i, src + 4 * i * step, 4);
        break;
    case 8:
        for (int64_t i = 0; i < n; i++)
            memcpy(dst + 8 * i, src + 8 * i * step, 8);
        break;
    default:
        for (int64_t i = 0; i < n; i++)
            memcpy(dst + elem * (size_t)i, src + elem * (size_t)(i * step), elem);
    }
}

void fy_nn_transpose(void *dst, const void *src, size_t elem, const int64_t *dims, int rank, const int *perm)
{
    int64_t stride[FERRY_MAX_RANK], out_dims[FERRY_MAX_RANK], step[FERRY_MAX_RANK], count = 1;
    int identity = 1;
    for (int d = rank - 1; d >= 0; d--) {
        stride[d] = count;
        count *= dims[d];
    }
    for (int d = 0; d < rank; d++) {
        out_dims[d] = dims[perm[d]];
        step[d] = stride[perm[d]];
        identity &= perm[d] == d;
    }
    if (count == 0)
        return;
    if (identity || rank < 2) {
        memcpy(dst, src, (size_t)count * elem);
        return;
    }
    /* Walks the destination in order, a run along its last dim at a time. */
    int64_t idx[FERRY_MAX_RANK] = { 0 }, run = out_dims[rank - 1], from = 0;
    char *o = dst;
    for (int64_t done = 0; done < count; done += run) {
        gather_run(o + (size_t)done * elem, (const char *)src + (size_t)from * elem, elem, run, step[rank - 1]);
        for (int d = rank - 2; d >= 0; d--) {
            from += step[d];
            if (++idx[d] < out_dims[d])
                break;
            from -= step[d] * out_dims[d];
            idx[d] = 0;
        }
    }
}
