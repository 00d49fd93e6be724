#include "base/tensor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/budget.h"
#include "base/bufpool.h"
#include "base/dtype.h"
#include "base/error.h"

/* Empty string elements point here, so they never need freeing. */
static char empty_string[1];

int64_t fy_shape_count(const int64_t *dims, int rank, size_t elem_size)
{
    if (rank < 0 || rank > FERRY_MAX_RANK || (rank > 0 && !dims))
        return -1;
    int64_t count = 1;
    int zero = 0;
    for (int i = 0; i < rank; i++) {
        if (dims[i] < 0)
            return -1;
        if (dims[i] == 0)
            zero = 1;
    }
    if (zero)
        return 0;
    for (int i = 0; i < rank; i++) {
        if (count > INT64_MAX / dims[i])
            return -1;
        count *= dims[i];
    }
    if (elem_size > 1 && count > (int64_t)(SIZE_MAX / 2 / elem_size))
        return -1;
    return count;
}

void fy_shape_format(char *buf, size_t cap, const int64_t *dims, int rank)
{
    size_t used = 0;
    if (cap == 0)
        return;
    buf[0] = '\0';
    if (rank < 0) {
        snprintf(buf, cap, "<unknown rank>");
        return;
    }
    used += (size_t)snprintf(buf + used, cap - used, "[");
    for (int i = 0; i < rank && used < cap; i++)
        used += (size_t)snprintf(buf + used, cap - used, i ? ",%lld" : "%lld", (long long)dims[i]);
    if (used < cap)
        snprintf(buf + used, cap - used, "]");
}

static ferry_status check_shape(int64_t *count, ferry_dtype dtype, const int64_t *dims, int rank,
                                ferry_error **err)
{
    if (dtype == FERRY_DT_RESOURCE || dtype == FERRY_DT_VARIANT ||
        (dtype != FERRY_DT_STRING && !fy_dtype_is_fixed(dtype)))
        return fy_fail(err, FERRY_ERR_INVALID_ARGUMENT, "tensor dtype %d (%s) cannot be created",
                       (int)dtype, ferry_dtype_name(dtype));
    if (rank < 0 || rank > FERRY_MAX_RANK)
        return fy_fail(err, FERRY_ERR_INVALID_ARGUMENT, "tensor rank %d is outside 0..%d", rank,
                       FERRY_MAX_RANK);
    if (rank > 0 && !dims)
        return fy_fail(err, FERRY_ERR_INVALID_ARGUMENT, "tensor of rank %d given no dims", rank);
    for (int i = 0; i < rank; i++)
        if (dims[i] < 0)
            return fy_fail(err, FERRY_ERR_INVALID_ARGUMENT, "tensor dim %d is negative (%lld)", i,
                           (long long)dims[i]);
    size_t elem = dtype == FERRY_DT_STRING ? sizeof(ferry_string) : ferry_dtype_size(dtype);
    *count = fy_shape_count(dims, rank, elem);
    if (*count < 0)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "tensor element count overflows");
    return FERRY_OK;
}

/* Tensors of fixed-size elements keep their bytes in the buffer pool. */
static int pooled(ferry_dtype dtype)
{
    return dtype != FERRY_DT_STRING && dtype != FERRY_DT_VARIANT && dtype != FERRY_DT_RESOURCE;
}

static ferry_tensor *tensor_shell(ferry_dtype dtype, const int64_t *dims, int rank, int64_t count)
{
    ferry_tensor *t = calloc(1, sizeof(*t));
    if (!t)
        return NULL;
    t->dtype = dtype;
    t->rank = rank;
    if (rank > 0)
        memcpy(t->dims, dims, (size_t)rank * sizeof(int64_t));
    t->count = count;
    t->nbytes = dtype == FERRY_DT_STRING ? 0 : (size_t)count * ferry_dtype_size(dtype);
    return t;
}

ferry_status fy_tensor_new(ferry_tensor **out, ferry_dtype dtype, const int64_t *dims, int rank,
                           ferry_error **err)
{
    return fy_tensor_new_planned(out, NULL, dtype, dims, rank, 1, err);
}

ferry_status fy_tensor_new_planned(ferry_tensor **out, fy_arena_run *r, ferry_dtype dtype,
                                   const int64_t *dims, int rank, int zero, ferry_error **err)
{
    int64_t count;
    ferry_status st = check_shape(&count, dtype, dims, rank, err);
    if (st)
        return st;
    ferry_tensor *t = tensor_shell(dtype, dims, rank, count);
    if (!t)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory for a tensor");
    if (dtype == FERRY_DT_STRING) {
        ferry_string *s = malloc(count ? (size_t)count * sizeof(*s) : 1);
        if (s)
            for (int64_t i = 0; i < count; i++)
                s[i] = (ferry_string){ empty_string, 0 };
        t->data = s;
    } else if (pooled(dtype) && r && t->nbytes > 0) {
        t->data = fy_arena_take(r, t, zero);
    } else if (pooled(dtype)) {
        t->data = fy_buf_alloc(t->nbytes, zero);
    } else {
        t->data = calloc(1, t->nbytes ? t->nbytes : 1);
    }
    if (!t->data) {
        free(t);
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory for a tensor of %lld elements",
                       (long long)count);
    }
#ifdef FERRY_FILL_UNINIT
    if (!zero && pooled(dtype))
        memset(t->data, 0xff, t->nbytes);
#endif
    *out = t;
    return FERRY_OK;
}

ferry_status fy_tensor_set_string(ferry_tensor *t, int64_t i, const void *data, size_t size,
                                  ferry_error **err)
{
    if (!t || t->dtype != FERRY_DT_STRING)
        return fy_fail(err, FERRY_ERR_INVALID_ARGUMENT, "tensor is not a string tensor");
    if (i < 0 || i >= t->count)
        return fy_fail(err, FERRY_ERR_INVALID_ARGUMENT,
                       "string index %lld is outside a tensor of %lld elements", (long long)i,
                       (long long)t->count);
    if (size > 0 && !data)
        return fy_fail(err, FERRY_ERR_INVALID_ARGUMENT, "string element data is NULL");
    char *copy = empty_string;
    if (size > 0) {
        copy = malloc(size);
        if (!copy)
            return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory for a %zu-byte string", size);
        memcpy(copy, data, size);
    }
    ferry_string *s = t->data;
    if (s[i].data != empty_string)
        free((void *)s[i].data);
    s[i] = (ferry_string){ copy, size };
    return FERRY_OK;
}

ferry_status fy_tensor_new_list(ferry_tensor **out, int64_t count, ferry_error **err)
{
    if (count < 0 || count > (int64_t)(SIZE_MAX / 2 / sizeof(ferry_tensor *)))
        return fy_fail(err, FERRY_ERR_INVALID_ARGUMENT, "a list of %lld items", (long long)count);
    ferry_tensor *t = tensor_shell(FERRY_DT_VARIANT, &count, 1, count);
    ferry_tensor **items = calloc(count ? (size_t)count : 1, sizeof(ferry_tensor *));
    if (!t || !items) {
        free(t);
        free(items);
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory for a list of %lld items", (long long)count);
    }
    t->data = items;
    *out = t;
    return FERRY_OK;
}

int fy_list_shape(const ferry_tensor *list, int64_t *dims)
{
    if (!list->list_shape)
        return -1;
    int rank = (int)list->list_shape[0];
    memcpy(dims, list->list_shape + 1, (size_t)rank * sizeof(int64_t));
    return rank;
}

ferry_status fy_list_set_shape(ferry_tensor *list, const int64_t *dims, int rank, ferry_error **err)
{
    free(list->list_shape);
    list->list_shape = NULL;
    if (rank < 0)
        return FERRY_OK;
    if (rank > FERRY_MAX_RANK)
        return fy_fail(err, FERRY_ERR_UNSUPPORTED, "list items of rank %d", rank);
    list->list_shape = malloc((size_t)(rank + 1) * sizeof(int64_t));
    if (!list->list_shape)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    list->list_shape[0] = rank;
    if (rank)
        memcpy(list->list_shape + 1, dims, (size_t)rank * sizeof(int64_t));
    return FERRY_OK;
}

ferry_status fy_tensor_copy(ferry_tensor **out, const ferry_tensor *src, ferry_error **err)
{
    if (src->dtype == FERRY_DT_VARIANT) {
        ferry_tensor *list = NULL;
        int64_t dims[FERRY_MAX_RANK];
        ferry_status st = fy_tensor_new_list(&list, src->count, err);
        if (!st)
            st = fy_list_set_shape(list, dims, fy_list_shape(src, dims), err);
        for (int64_t i = 0; !st && i < src->count; i++)
            if (fy_list_item(src, i))
                st = fy_tensor_copy(&((ferry_tensor **)list->data)[i], fy_list_item(src, i), err);
        if (st) {
            ferry_tensor_free(list);
            return st;
        }
        *out = list;
        return FERRY_OK;
    }
    ferry_tensor *t = NULL;
    ferry_status st = fy_tensor_new(&t, src->dtype, src->dims, src->rank, err);
    if (st)
        return st;
    if (src->dtype == FERRY_DT_STRING) {
        const ferry_string *s = src->data;
        for (int64_t i = 0; !st && i < src->count; i++)
            st = fy_tensor_set_string(t, i, s[i].data, s[i].size, err);
    } else if (t->nbytes) {
        memcpy(t->data, src->data, t->nbytes);
    }
    if (st) {
        ferry_tensor_free(t);
        return st;
    }
    *out = t;
    return FERRY_OK;
}

/* ---- public API ---------------------------------------------------------- */

ferry_status ferry_tensor_new(ferry_tensor **out, ferry_dtype dtype, const int64_t *dims, int rank,
                              ferry_error **err)
{
    FY_API_ENTRY(err);
    if (!out)
        return fy_fail(err, FERRY_ERR_INVALID_ARGUMENT, "ferry_tensor_new: out is NULL");
    return fy_tensor_new(out, dtype, dims, rank, err);
}

ferry_status ferry_tensor_wrap(ferry_tensor **out, ferry_dtype dtype, const int64_t *dims, int rank,
                               void *data, size_t size, ferry_release_fn release, void *context,
                               ferry_error **err)
{
    FY_API_ENTRY(err);
    if (!out)
        return fy_fail(err, FERRY_ERR_INVALID_ARGUMENT, "ferry_tensor_wrap: out is NULL");
    if (dtype == FERRY_DT_STRING)
        return fy_fail(err, FERRY_ERR_INVALID_ARGUMENT,
                       "ferry_tensor_wrap: string tensors cannot wrap memory; use ferry_tensor_new");
    int64_t count;
    ferry_status st = check_shape(&count, dtype, dims, rank, err);
    if (st)
        return st;
    size_t need = (size_t)count * ferry_dtype_size(dtype);
    if (size != need) {
        char shape[64];
        fy_shape_format(shape, sizeof(shape), dims, rank);
        return fy_fail(err, FERRY_ERR_INVALID_ARGUMENT,
                       "ferry_tensor_wrap: %s%s needs %zu bytes, given %zu", ferry_dtype_name(dtype),
                       shape, need, size);
    }
    if (!data && need > 0)
        return fy_fail(err, FERRY_ERR_INVALID_ARGUMENT, "ferry_tensor_wrap: data is NULL");
    ferry_tensor *t = tensor_shell(dtype, dims, rank, count);
    if (!t)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory for a tensor");
    t->data = data;
    t->wrapped = 1;
    t->release = release;
    t->release_context = context;
    *out = t;
    return FERRY_OK;
}

void fy_tensor_uncharge(ferry_tensor *t)
{
    if (t->budget)
        fy_budget_give(t->budget, t->nbytes);
    t->budget = NULL;
}

void ferry_tensor_free(ferry_tensor *t)
{
    if (!t)
        return;
    fy_tensor_uncharge(t);
    fy_derived *derived = atomic_load(&t->derived);
    if (derived)
        derived->free(derived);
    if (t->wrapped) {
        if (t->release)
            t->release(t->data, t->release_context);
    } else {
        if (t->dtype == FERRY_DT_VARIANT && t->data)
            for (int64_t i = 0; i < t->count; i++)
                ferry_tensor_free(fy_list_item(t, i));
        free(t->list_shape);
        if (t->dtype == FERRY_DT_STRING && t->data) {
            ferry_string *s = t->data;
            for (int64_t i = 0; i < t->count; i++)
                if (s[i].data != empty_string)
                    free((void *)s[i].data);
        }
        if (t->arena)
            fy_arena_give(t);
        else if (pooled(t->dtype))
            fy_buf_free(t->data);
        else
            free(t->data);
    }
    free(t);
}

ferry_dtype ferry_tensor_dtype(const ferry_tensor *t) { return t ? t->dtype : FERRY_DT_INVALID; }
int ferry_tensor_rank(const ferry_tensor *t) { return t ? t->rank : 0; }
const int64_t *ferry_tensor_dims(const ferry_tensor *t) { return t ? t->dims : NULL; }
int64_t ferry_tensor_element_count(const ferry_tensor *t) { return t ? t->count : 0; }
size_t ferry_tensor_byte_size(const ferry_tensor *t) { return t ? t->nbytes : 0; }

void *ferry_tensor_data(ferry_tensor *t)
{
    return t && t->dtype != FERRY_DT_STRING && t->dtype != FERRY_DT_VARIANT ? t->data : NULL;
}

const ferry_string *ferry_tensor_strings(const ferry_tensor *t)
{
    return t && t->dtype == FERRY_DT_STRING ? t->data : NULL;
}

ferry_status ferry_tensor_set_string(ferry_tensor *t, int64_t index, const void *data, size_t size,
                                     ferry_error **err)
{
    FY_API_ENTRY(err);
    return fy_tensor_set_string(t, index, data, size, err);
}
