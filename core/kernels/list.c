/* TensorList ops, as Keras RNN loops use them: a list is a VARIANT vector
 * of item tensors (base/tensor.h). Lists are values: setting an item makes
 * a new list. */
#include <stdlib.h>
#include <string.h>

#include "base/parallel.h"
#include "kernels/kernel.h"
#include "kernels/nn_internal.h"
#include "kernels/packed.h"

static const ferry_tensor *list_input(fy_kernel_ctx *ctx, int i)
{
    const ferry_tensor *t = fy_input(ctx, i);
    if (t && t->dtype != FERRY_DT_VARIANT) {
        fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "input %d is not a list", i);
        return NULL;
    }
    return t;
}

static ferry_status scalar_int(fy_kernel_ctx *ctx, int i, int64_t *out)
{
    const ferry_tensor *t = fy_input(ctx, i);
    if (!t)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (t->count != 1)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "input %d must be a scalar", i);
    return fy_read_ints(ctx, t, out, 1, "index");
}

static ferry_tensor **items(ferry_tensor *list)
{
    return list->data;
}

/* The items' dtype: TensorList ops say element_dtype, TensorArray ops dtype. */
static ferry_dtype element_dtype(fy_kernel_ctx *ctx)
{
    return fy_attr_type(ctx->node, "element_dtype", fy_attr_type(ctx->node, "dtype", FERRY_DT_FLOAT));
}

/* A shape given as a tensor, as TF's element_shape inputs are: a scalar -1
 * for an unknown rank, else a vector with -1 for unknown dims. Its rank
 * (-1 unknown), or -2 with the error set. */
static int shape_input(fy_kernel_ctx *ctx, int i, int64_t *dims)
{
    const ferry_tensor *t = fy_input(ctx, i);
    if (!t)
        return -2;
    if (t->rank == 0) {
        int64_t v;
        if (fy_read_ints(ctx, t, &v, 1, "element_shape"))
            return -2;
        if (v != -1) {
            fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "a scalar element_shape must be -1, not %lld",
                           (long long)v);
            return -2;
        }
        return -1;
    }
    if (t->rank != 1 || fy_read_ints(ctx, t, dims, FERRY_MAX_RANK, "element_shape")) {
        if (t->rank != 1)
            fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "element_shape must be a scalar or a vector");
        return -2;
    }
    return (int)t->count;
}

/* The shape both a and b allow (rank -1: unknown), or -2 when they differ. */
static int merge_shapes(int64_t *a, int rank_a, const int64_t *b, int rank_b)
{
    if (rank_b < 0)
        return rank_a;
    if (rank_a < 0) {
        memcpy(a, b, (size_t)rank_b * sizeof(int64_t));
        return rank_b;
    }
    if (rank_a != rank_b)
        return -2;
    for (int d = 0; d < rank_a; d++) {
        if (a[d] >= 0 && b[d] >= 0 && a[d] != b[d])
            return -2;
        if (a[d] < 0)
            a[d] = b[d];
    }
    return rank_a;
}

static int fully_known(const int64_t *dims, int rank)
{
    for (int d = 0; d < rank; d++)
        if (dims[d] < 0)
            return 0;
    return rank >= 0;
}

/* The item shape an unset item of `list` takes: the list's declared shape
 * merged with input `shape_in` (if >= 0) and any set item's; it must be
 * fully known. The rank, or -2 with the error set. */
static int item_shape(fy_kernel_ctx *ctx, const ferry_tensor *list, int shape_in, int64_t *dims)
{
    int rank = fy_list_shape(list, dims);
    if (shape_in >= 0 && shape_in < ctx->input_count) {
        int64_t given[FERRY_MAX_RANK];
        int r = shape_input(ctx, shape_in, given);
        if (r == -2)
            return -2;
        if ((rank = merge_shapes(dims, rank, given, r)) == -2) {
            fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "element_shape does not fit the list's item shape");
            return -2;
        }
    }
    for (int64_t i = 0; i < list->count && !fully_known(dims, rank); i++) {
        const ferry_tensor *item = fy_list_item(list, i);
        if (item)
            rank = merge_shapes(dims, rank, item->dims, item->rank);
    }
    if (!fully_known(dims, rank)) {
        fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "the list's item shape is not fully known");
        return -2;
    }
    return rank;
}

/* A new list of n unset items declaring the shape given at input shape_in. */
static ferry_status new_list(fy_kernel_ctx *ctx, ferry_tensor **out, int64_t n, int shape_in)
{
    int64_t dims[FERRY_MAX_RANK];
    int rank = shape_in >= 0 ? shape_input(ctx, shape_in, dims) : -1;
    if (rank == -2)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (n < 0)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "a list of %lld items", (long long)n);
    ferry_status st = fy_tensor_new_list(out, n, ctx->err);
    if (!st && (st = fy_list_set_shape(*out, dims, rank, ctx->err)) != FERRY_OK) {
        ferry_tensor_free(*out);
        *out = NULL;
    }
    return st;
}

static void output_list(fy_kernel_ctx *ctx, int i, ferry_tensor *list)
{
    ctx->outputs[i] = (fy_value){ .t = list, .owned = 1 };
}

/* Item i of a tensor along dim 0 (`rows` of them from row i), as a new tensor. */
static ferry_status slice_rows(ferry_tensor **out, const ferry_tensor *t, int64_t i, int64_t rows, int keep_dim,
                               ferry_error **err)
{
    int64_t dims[FERRY_MAX_RANK];
    memcpy(dims, t->dims, (size_t)t->rank * sizeof(int64_t));
    dims[0] = rows;
    ferry_status st = keep_dim ? fy_tensor_new(out, t->dtype, dims, t->rank, err)
                               : fy_tensor_new(out, t->dtype, t->dims + 1, t->rank - 1, err);
    if (st)
        return st;
    int64_t per = t->dims[0] ? t->count / t->dims[0] : 0, n = per * rows;
    if (t->dtype == FERRY_DT_STRING) {
        const ferry_string *s = (const ferry_string *)t->data + i * per;
        for (int64_t k = 0; !st && k < n; k++)
            st = fy_tensor_set_string(*out, k, s[k].data, s[k].size, err);
    } else if ((*out)->nbytes) {
        memcpy((*out)->data, (const char *)t->data + (size_t)(i * per) * ferry_dtype_size(t->dtype), (*out)->nbytes);
    }
    if (st) {
        ferry_tensor_free(*out);
        *out = NULL;
    }
    return st;
}

/* Copies item's elements into out from element `at` (zeros stay for NULL). */
static ferry_status place(fy_kernel_ctx *ctx, ferry_tensor *out, int64_t at, const ferry_tensor *item)
{
    if (!item)
        return FERRY_OK;
    if (out->dtype == FERRY_DT_STRING) {
        const ferry_string *s = item->data;
        for (int64_t k = 0; k < item->count; k++) {
            ferry_status st = fy_tensor_set_string(out, at + k, s[k].data, s[k].size, ctx->err);
            if (st)
                return st;
        }
    } else if (item->nbytes) {
        memcpy((char *)out->data + (size_t)at * ferry_dtype_size(out->dtype), item->data, item->nbytes);
    }
    return FERRY_OK;
}

static ferry_status check_item(fy_kernel_ctx *ctx, const ferry_tensor *item, ferry_dtype dtype, const int64_t *dims,
                               int rank, int64_t at)
{
    if (item && (item->dtype != dtype || item->rank != rank ||
                 memcmp(item->dims, dims, (size_t)rank * sizeof(int64_t))))
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "list item %lld differs in dtype or shape from the others",
                              (long long)at);
    return FERRY_OK;
}

/* Output 0 = the list's items at `which` (count of them; NULL: all) stacked
 * along a new dim 0; unset items are zeros of the resolved item shape. */
static ferry_status stack_items(fy_kernel_ctx *ctx, const ferry_tensor *list, const int64_t *which, int64_t count,
                                int shape_in)
{
    int64_t dims[FERRY_MAX_RANK + 1];
    int rank = item_shape(ctx, list, shape_in, dims + 1);
    if (rank == -2)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (rank + 1 > FERRY_MAX_RANK)
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "items of rank %d", rank);
    dims[0] = count;
    ferry_dtype dtype = element_dtype(ctx);
    ferry_tensor *out = fy_output_new(ctx, 0, dtype, dims, rank + 1);
    if (!out)
        return FERRY_ERR_OUT_OF_MEMORY;
    int64_t per = count ? out->count / count : 0;
    for (int64_t i = 0; i < count; i++) {
        int64_t at = which ? which[i] : i;
        if (at < 0 || at >= list->count)
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "index %lld outside a list of %lld", (long long)at,
                                  (long long)list->count);
        const ferry_tensor *item = fy_list_item(list, at);
        ferry_status st = check_item(ctx, item, dtype, dims + 1, rank, at);
        if (!st)
            st = place(ctx, out, i * per, item);
        if (st)
            return st;
    }
    return FERRY_OK;
}

/* Indices from input i (int32), read into a new array (*out, freed by the caller). */
static ferry_status read_indices(fy_kernel_ctx *ctx, int i, int64_t **out, int64_t *n)
{
    const ferry_tensor *t = fy_input(ctx, i);
    if (!t)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (t->rank != 1)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "indices must be a vector");
    *n = t->count;
    *out = malloc((size_t)t->count * sizeof(int64_t) + 1);
    if (!*out)
        return fy_kernel_fail(ctx, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    ferry_status st = fy_read_ints(ctx, t, *out, (size_t)t->count, "indices");
    for (int64_t k = 0; !st && k < *n; k++)
        if ((*out)[k] < 0)
            st = fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "index %lld is negative", (long long)(*out)[k]);
    if (st) {
        free(*out);
        *out = NULL;
    }
    return st;
}

/* The status of the error a helper that returned NULL has set. */
static ferry_status error_status(fy_kernel_ctx *ctx)
{
    return ctx->err && *ctx->err ? ferry_error_code(*ctx->err) : FERRY_ERR_OUT_OF_MEMORY;
}

/* Input in_i's list as output `out_i`, ready to change: the list itself when
 * the run reads it no more (a loop's accumulator), else a copy, as
 * TensorFlow's value semantics require. */
static ferry_tensor *writable_list_at(fy_kernel_ctx *ctx, int out_i, int in_i, const ferry_tensor *list)
{
    if (ctx->donatable >> in_i & 1u) {
        ferry_tensor *same = fy_output_reuse(ctx, out_i, in_i, list->dtype, list->dims, list->rank);
        if (same == list)
            return same;
        if (same)
            fy_kernel_fail(ctx, FERRY_ERR_INTERNAL, "could not update the list in place");
        return NULL;
    }
    ferry_tensor *copy = NULL;
    if (fy_tensor_copy(&copy, list, ctx->err))
        return NULL;
    output_list(ctx, out_i, copy);
    return copy;
}

static ferry_tensor *writable_list(fy_kernel_ctx *ctx, int out_i, const ferry_tensor *list)
{
    return writable_list_at(ctx, out_i, 0, list);
}

/* Sets a writable list's item count to n: new items unset, dropped ones freed. */
static ferry_status resize_list(fy_kernel_ctx *ctx, ferry_tensor *list, int64_t n)
{
    if (n < 0 || n > (int64_t)(SIZE_MAX / 2 / sizeof(ferry_tensor *)))
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "a list of %lld items", (long long)n);
    for (int64_t i = n; i < list->count; i++)
        ferry_tensor_free(items(list)[i]);
    if (n > list->count) {
        ferry_tensor **grown = realloc(list->data, (size_t)n * sizeof(ferry_tensor *));
        if (!grown)
            return fy_kernel_fail(ctx, FERRY_ERR_OUT_OF_MEMORY, "out of memory for a list of %lld items", (long long)n);
        memset(grown + list->count, 0, (size_t)(n - list->count) * sizeof(ferry_tensor *));
        list->data = grown;
    }
    list->count = list->dims[0] = n;
    return FERRY_OK;
}

/* Item at of a writable list = a copy of item. */
static ferry_status set_copy(fy_kernel_ctx *ctx, ferry_tensor *list, int64_t at, const ferry_tensor *item)
{
    ferry_tensor *value = NULL;
    ferry_status st = fy_tensor_copy(&value, item, ctx->err);
    if (st)
        return st;
    ferry_tensor_free(items(list)[at]);
    items(list)[at] = value;
    return FERRY_OK;
}

/* TensorListReserve(element_shape, num_elements). */
static ferry_status k_reserve(fy_kernel_ctx *ctx)
{
    int64_t n;
    ferry_status st = scalar_int(ctx, 1, &n);
    ferry_tensor *list = NULL;
    if (!st)
        st = new_list(ctx, &list, n, 0);
    if (!st)
        output_list(ctx, 0, list);
    return st;
}

/* EmptyTensorList(element_shape, max_num_elements): no items. */
static ferry_status k_empty(fy_kernel_ctx *ctx)
{
    ferry_tensor *list = NULL;
    ferry_status st = new_list(ctx, &list, 0, 0);
    if (!st)
        output_list(ctx, 0, list);
    return st;
}

/* TensorListFromTensor(tensor, element_shape): one item per row. */
static ferry_status k_from_tensor(fy_kernel_ctx *ctx)
{
    const ferry_tensor *t = fy_input(ctx, 0);
    if (!t)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (t->rank < 1)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "the tensor must have rank 1 or more");
    ferry_tensor *list = NULL;
    ferry_status st = new_list(ctx, &list, t->dims[0], ctx->input_count > 1 ? 1 : -1);
    for (int64_t i = 0; !st && i < t->dims[0]; i++)
        st = slice_rows(&items(list)[i], t, i, 1, 0, ctx->err);
    if (st) {
        ferry_tensor_free(list);
        return st;
    }
    output_list(ctx, 0, list);
    return FERRY_OK;
}

/* TensorListGetItem(input_handle, index, element_shape). */
static ferry_status k_get_item(fy_kernel_ctx *ctx)
{
    const ferry_tensor *list = list_input(ctx, 0);
    int64_t i;
    ferry_status st = list ? scalar_int(ctx, 1, &i) : FERRY_ERR_INVALID_ARGUMENT;
    if (st)
        return st;
    if (i < 0 || i >= list->count)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "index %lld outside a list of %lld", (long long)i,
                              (long long)list->count);
    /* A copy: the item may outlive its list (loops free old lists). */
    ferry_tensor *item = fy_list_item(list, i), *out = NULL;
    if (item) {
        st = fy_tensor_copy(&out, item, ctx->err);
    } else {
        int64_t dims[FERRY_MAX_RANK];
        int rank = item_shape(ctx, list, 2, dims);
        st = rank == -2 ? FERRY_ERR_INVALID_ARGUMENT : fy_tensor_new(&out, element_dtype(ctx), dims, rank, ctx->err);
    }
    if (st)
        return st;
    ctx->outputs[0] = (fy_value){ .t = out, .owned = 1 };
    return FERRY_OK;
}

/* TensorListSetItem(input_handle, index, item): grows the list to reach the
 * index when resize_if_index_out_of_bounds (TensorArray(dynamic_size=True)). */
static ferry_status k_set_item(fy_kernel_ctx *ctx)
{
    const ferry_tensor *list = list_input(ctx, 0), *item = list ? fy_input(ctx, 2) : NULL;
    int64_t i;
    ferry_status st = item ? scalar_int(ctx, 1, &i) : FERRY_ERR_INVALID_ARGUMENT;
    if (st)
        return st;
    int grow = fy_attr_bool(ctx->node, "resize_if_index_out_of_bounds", 0);
    if (i < 0 || (i >= list->count && !grow))
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "index %lld outside a list of %lld", (long long)i,
                              (long long)list->count);
    ferry_tensor *updated = writable_list(ctx, 0, list);
    if (!updated)
        return error_status(ctx);
    if (i >= updated->count && (st = resize_list(ctx, updated, i + 1)) != FERRY_OK)
        return st;
    return set_copy(ctx, updated, i, item);
}

/* TensorListPushBack(input_handle, tensor). */
static ferry_status k_push_back(fy_kernel_ctx *ctx)
{
    const ferry_tensor *list = list_input(ctx, 0), *item = list ? fy_input(ctx, 1) : NULL;
    if (!item)
        return FERRY_ERR_INVALID_ARGUMENT;
    ferry_tensor *updated = writable_list(ctx, 0, list);
    if (!updated)
        return error_status(ctx);
    ferry_status st = resize_list(ctx, updated, updated->count + 1);
    return st ? st : set_copy(ctx, updated, updated->count - 1, item);
}

/* TensorListPopBack(input_handle, element_shape) -> (output_handle, tensor). */
static ferry_status k_pop_back(fy_kernel_ctx *ctx)
{
    const ferry_tensor *list = list_input(ctx, 0);
    if (!list)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (list->count == 0)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "Trying to pop from an empty list");
    ferry_tensor *last = NULL;
    ferry_status st;
    if (fy_list_item(list, list->count - 1)) {
        st = fy_tensor_copy(&last, fy_list_item(list, list->count - 1), ctx->err);
    } else {
        int64_t dims[FERRY_MAX_RANK];
        int rank = item_shape(ctx, list, 1, dims);
        st = rank == -2 ? FERRY_ERR_INVALID_ARGUMENT : fy_tensor_new(&last, element_dtype(ctx), dims, rank, ctx->err);
    }
    if (st)
        return st;
    ferry_tensor *updated = writable_list(ctx, 0, list);
    st = updated ? resize_list(ctx, updated, updated->count - 1) : error_status(ctx);
    if (st) {
        ferry_tensor_free(last);
        return st;
    }
    ctx->outputs[1] = (fy_value){ .t = last, .owned = 1 };
    return FERRY_OK;
}

/* TensorListResize(input_handle, size). */
static ferry_status k_resize(fy_kernel_ctx *ctx)
{
    const ferry_tensor *list = list_input(ctx, 0);
    int64_t n;
    ferry_status st = list ? scalar_int(ctx, 1, &n) : FERRY_ERR_INVALID_ARGUMENT;
    if (st)
        return st;
    if (n < 0)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "size %lld is negative", (long long)n);
    ferry_tensor *updated = writable_list(ctx, 0, list);
    return updated ? resize_list(ctx, updated, n) : error_status(ctx);
}

/* TensorListStack(input_handle, element_shape). */
static ferry_status k_stack(fy_kernel_ctx *ctx)
{
    const ferry_tensor *list = list_input(ctx, 0);
    if (!list)
        return FERRY_ERR_INVALID_ARGUMENT;
    int64_t want = fy_attr_int(ctx->node, "num_elements", -1);
    if (want >= 0 && want != list->count)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "the list has %lld items, not num_elements %lld",
                              (long long)list->count, (long long)want);
    return stack_items(ctx, list, NULL, list->count, 1);
}

/* TensorListGather(input_handle, indices, element_shape). */
static ferry_status k_gather(fy_kernel_ctx *ctx)
{
    const ferry_tensor *list = list_input(ctx, 0);
    int64_t *which = NULL, n = 0;
    ferry_status st = list ? read_indices(ctx, 1, &which, &n) : FERRY_ERR_INVALID_ARGUMENT;
    if (!st)
        st = stack_items(ctx, list, which, n, 2);
    free(which);
    return st;
}

/* Rows of `t` set as the items at `which` of a writable list, grown to reach them. */
static ferry_status scatter_rows(fy_kernel_ctx *ctx, ferry_tensor *list, const ferry_tensor *t, const int64_t *which,
                                 int64_t n)
{
    if (t->rank < 1 || t->dims[0] != n)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "%lld indices for a tensor of %lld rows", (long long)n,
                              t->rank < 1 ? 0LL : (long long)t->dims[0]);
    int64_t top = 0;
    for (int64_t k = 0; k < n; k++)
        top = which[k] + 1 > top ? which[k] + 1 : top;
    ferry_status st = top > list->count ? resize_list(ctx, list, top) : FERRY_OK;
    for (int64_t k = 0; !st && k < n; k++) {
        ferry_tensor *row = NULL;
        st = slice_rows(&row, t, k, 1, 0, ctx->err);
        if (!st) {
            ferry_tensor_free(items(list)[which[k]]);
            items(list)[which[k]] = row;
        }
    }
    return st;
}

/* TensorListScatterV2(tensor, indices, element_shape, num_elements) and
 * TensorListScatter(tensor, indices, element_shape): a new list. */
static ferry_status k_scatter(fy_kernel_ctx *ctx)
{
    const ferry_tensor *t = fy_input(ctx, 0);
    int64_t *which = NULL, n = 0, size = 0;
    ferry_status st = t ? read_indices(ctx, 1, &which, &n) : FERRY_ERR_INVALID_ARGUMENT;
    if (!st && ctx->input_count > 3)
        st = scalar_int(ctx, 3, &size);
    ferry_tensor *list = NULL;
    if (!st)
        st = new_list(ctx, &list, size > 0 ? size : 0, 2);
    if (!st)
        st = scatter_rows(ctx, list, t, which, n);
    free(which);
    if (st) {
        ferry_tensor_free(list);
        return st;
    }
    output_list(ctx, 0, list);
    return FERRY_OK;
}

/* TensorListScatterIntoExistingList(input_handle, tensor, indices). */
static ferry_status k_scatter_into(fy_kernel_ctx *ctx)
{
    const ferry_tensor *list = list_input(ctx, 0), *t = list ? fy_input(ctx, 1) : NULL;
    int64_t *which = NULL, n = 0;
    ferry_status st = t ? read_indices(ctx, 2, &which, &n) : FERRY_ERR_INVALID_ARGUMENT;
    ferry_tensor *updated = st ? NULL : writable_list(ctx, 0, list);
    if (!st && !updated)
        st = error_status(ctx);
    if (!st)
        st = scatter_rows(ctx, updated, t, which, n);
    free(which);
    return st;
}

/* Output 0 = the list's items joined along their dim 0, output 1 each
 * one's length; the item shape may come from input shape_in, unset items'
 * lengths from input leading_in (-1: none). */
static ferry_status concat_list(fy_kernel_ctx *ctx, const ferry_tensor *list, int shape_in, int leading_in)
{
    int64_t dims[FERRY_MAX_RANK];
    int rank = fy_list_shape(list, dims);
    if (shape_in >= 0 && ctx->input_count > shape_in) {
        int64_t given[FERRY_MAX_RANK];
        int r = shape_input(ctx, shape_in, given);
        if (r == -2)
            return FERRY_ERR_INVALID_ARGUMENT;
        rank = merge_shapes(dims, rank, given, r);
    }
    const ferry_tensor *first = NULL;
    for (int64_t i = 0; i < list->count && !first; i++)
        first = fy_list_item(list, i);
    if (first) { /* its dims after the first: an item's length is its own */
        int64_t lead = rank > 0 ? dims[0] : -1;
        rank = merge_shapes(dims, rank, first->dims, first->rank);
        if (rank > 0)
            dims[0] = lead;
    }
    if (rank < 1 || !fully_known(dims + 1, rank - 1))
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT,
                              "concatenating needs items of rank 1 or more with known dims after the first");
    /* An unset item is as long as the item shape's first dim, else as its
     * entry in leading_dims (V2), else empty. */
    ferry_dtype dtype = element_dtype(ctx);
    int64_t total = 0, n = list->count, *unset_len = NULL, count = 0;
    ferry_status st = leading_in >= 0 && ctx->input_count > leading_in ? read_indices(ctx, leading_in, &unset_len, &count)
                                                                      : FERRY_OK;
    if (st)
        return st;
    int64_t *len = malloc((size_t)n * sizeof(int64_t) + 1);
    if (!len)
        st = fy_kernel_fail(ctx, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    for (int64_t i = 0; !st && i < n; i++) {
        const ferry_tensor *item = fy_list_item(list, i);
        if (item && (item->dtype != dtype || item->rank != rank ||
                     memcmp(item->dims + 1, dims + 1, (size_t)(rank - 1) * sizeof(int64_t))))
            st = fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "list item %lld differs in dtype or shape",
                                (long long)i);
        len[i] = item ? item->dims[0] : dims[0] >= 0 ? dims[0] : count == n ? unset_len[i] : 0;
        total += len[i];
    }
    free(unset_len);
    if (st) {
        free(len);
        return st;
    }
    int64_t out_dims[FERRY_MAX_RANK];
    memcpy(out_dims, dims, (size_t)rank * sizeof(int64_t));
    out_dims[0] = total;
    ferry_tensor *out = fy_output_new(ctx, 0, dtype, out_dims, rank);
    ferry_tensor *lengths = out ? fy_output_new(ctx, 1, FERRY_DT_INT64, &n, 1) : NULL;
    if (!lengths)
        st = FERRY_ERR_OUT_OF_MEMORY;
    int64_t row = total ? out->count / total : 0, at = 0;
    for (int64_t i = 0; !st && i < n; at += len[i++]) {
        st = place(ctx, out, at * row, fy_list_item(list, i));
        ((int64_t *)lengths->data)[i] = len[i];
    }
    free(len);
    return st;
}

/* TensorListConcatV2(input_handle, element_shape, leading_dims) and
 * TensorListConcat(input_handle) -> (tensor, lengths). */
static ferry_status k_concat(fy_kernel_ctx *ctx)
{
    const ferry_tensor *list = list_input(ctx, 0);
    return list ? concat_list(ctx, list, 1, 2) : FERRY_ERR_INVALID_ARGUMENT;
}

/* TensorListSplit(tensor, element_shape, lengths): rows cut into items. */
static ferry_status k_split(fy_kernel_ctx *ctx)
{
    const ferry_tensor *t = fy_input(ctx, 0);
    int64_t *lengths = NULL, n = 0;
    ferry_status st = t ? read_indices(ctx, 2, &lengths, &n) : FERRY_ERR_INVALID_ARGUMENT;
    if (st)
        return st;
    int64_t sum = 0;
    for (int64_t k = 0; k < n; k++)
        sum += lengths[k];
    if (t->rank < 1 || sum != t->dims[0])
        st = fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "lengths add up to %lld, not the tensor's %lld rows",
                            (long long)sum, t->rank < 1 ? 0LL : (long long)t->dims[0]);
    ferry_tensor *list = NULL;
    if (!st)
        st = new_list(ctx, &list, n, 1);
    for (int64_t k = 0, at = 0; !st && k < n; at += lengths[k++])
        st = slice_rows(&items(list)[k], t, at, lengths[k], 1, ctx->err);
    free(lengths);
    if (st) {
        ferry_tensor_free(list);
        return st;
    }
    output_list(ctx, 0, list);
    return FERRY_OK;
}

/* TensorListElementShape(input_handle): the declared item shape, -1 where
 * unknown; a scalar -1 for an unknown rank. */
static ferry_status k_element_shape(fy_kernel_ctx *ctx)
{
    const ferry_tensor *list = list_input(ctx, 0);
    if (!list)
        return FERRY_ERR_INVALID_ARGUMENT;
    int64_t dims[FERRY_MAX_RANK], n;
    int rank = fy_list_shape(list, dims);
    ferry_dtype dtype = fy_attr_type(ctx->node, "shape_type", FERRY_DT_INT32);
    if (dtype != FERRY_DT_INT32 && dtype != FERRY_DT_INT64)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "shape_type must be int32 or int64");
    n = rank;
    ferry_tensor *out = fy_output_new(ctx, 0, dtype, &n, rank < 0 ? 0 : 1);
    if (!out)
        return FERRY_ERR_OUT_OF_MEMORY;
    for (int64_t d = 0; d < (rank < 0 ? 1 : rank); d++) {
        int64_t v = rank < 0 ? -1 : dims[d];
        if (dtype == FERRY_DT_INT32)
            ((int32_t *)out->data)[d] = (int32_t)v;
        else
            ((int64_t *)out->data)[d] = v;
    }
    return FERRY_OK;
}

static ferry_status k_length(fy_kernel_ctx *ctx)
{
    const ferry_tensor *list = list_input(ctx, 0);
    ferry_tensor *out = list ? fy_output_new(ctx, 0, FERRY_DT_INT32, NULL, 0) : NULL;
    if (!out)
        return list ? FERRY_ERR_OUT_OF_MEMORY : FERRY_ERR_INVALID_ARGUMENT;
    *(int32_t *)out->data = (int32_t)list->count;
    return FERRY_OK;
}

/* ---- TF1 TensorArrays (TensorArrayV3 and its ops) -------------------------
 * The array's items travel in its flow value, which every op takes and the
 * writes give anew, threaded through loops like any value: the flow is a
 * list. The handle is an int32 pair {dynamic_size, 0} the ops check growth by. */

static const ferry_tensor *flow_input(fy_kernel_ctx *ctx, int i)
{
    const ferry_tensor *t = fy_input(ctx, i);
    if (t && t->dtype != FERRY_DT_VARIANT) {
        fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "input %d is not the flow of a TensorArray Ferry made", i);
        return NULL;
    }
    return t;
}

static int ta_dynamic(fy_kernel_ctx *ctx)
{
    const ferry_tensor *h = ctx->input_count > 0 ? ctx->inputs[0].t : NULL;
    return h && h->dtype == FERRY_DT_INT32 && h->count == 2 && ((const int32_t *)h->data)[0];
}

/* TensorArrayV3(size) -> (handle, flow). */
static ferry_status k_ta_new(fy_kernel_ctx *ctx)
{
    int64_t n, two = 2, dims[FERRY_MAX_RANK];
    ferry_status st = scalar_int(ctx, 0, &n);
    if (st)
        return st;
    if (n < 0)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "size %lld is negative", (long long)n);
    const Tensorflow__AttrValue *a = fy_node_attr(ctx->node, "element_shape");
    const Tensorflow__TensorShapeProto *shape =
        a && a->value_case == TENSORFLOW__ATTR_VALUE__VALUE_SHAPE ? a->shape : NULL;
    int rank = shape && !shape->unknown_rank && shape->n_dim <= FERRY_MAX_RANK ? (int)shape->n_dim : -1;
    for (int d = 0; d < rank; d++)
        dims[d] = shape->dim[d]->size;
    ferry_tensor *handle = fy_output_new(ctx, 0, FERRY_DT_INT32, &two, 1), *list = NULL;
    if (!handle)
        return FERRY_ERR_OUT_OF_MEMORY;
    ((int32_t *)handle->data)[0] = fy_attr_bool(ctx->node, "dynamic_size", 0);
    st = fy_tensor_new_list(&list, n, ctx->err);
    if (!st && (st = fy_list_set_shape(list, dims, rank, ctx->err)) != FERRY_OK)
        ferry_tensor_free(list);
    if (!st)
        output_list(ctx, 1, list);
    return st;
}

/* The flow at input in_i as output 0, ready to change, with room for `top`
 * items: past its end only when the array has a dynamic size. */
static ferry_tensor *ta_writable(fy_kernel_ctx *ctx, int in_i, const ferry_tensor *flow, int64_t top)
{
    if (top > flow->count && !ta_dynamic(ctx)) {
        fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "index %lld is past the end of a TensorArray of %lld that "
                       "is not dynamic_size", (long long)top - 1, (long long)flow->count);
        return NULL;
    }
    ferry_tensor *updated = writable_list_at(ctx, 0, in_i, flow);
    if (updated && top > updated->count && resize_list(ctx, updated, top))
        return NULL;
    return updated;
}

/* TensorArrayWriteV3(handle, index, value, flow_in) -> flow_out. */
static ferry_status k_ta_write(fy_kernel_ctx *ctx)
{
    const ferry_tensor *flow = flow_input(ctx, 3), *value = flow ? fy_input(ctx, 2) : NULL;
    int64_t i;
    ferry_status st = value ? scalar_int(ctx, 1, &i) : FERRY_ERR_INVALID_ARGUMENT;
    if (st)
        return st;
    if (i < 0)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "index %lld is negative", (long long)i);
    ferry_tensor *updated = ta_writable(ctx, 3, flow, i + 1);
    return updated ? set_copy(ctx, updated, i, value) : error_status(ctx);
}

/* TensorArrayReadV3(handle, index, flow_in). */
static ferry_status k_ta_read(fy_kernel_ctx *ctx)
{
    const ferry_tensor *flow = flow_input(ctx, 2);
    int64_t i;
    ferry_status st = flow ? scalar_int(ctx, 1, &i) : FERRY_ERR_INVALID_ARGUMENT;
    if (st)
        return st;
    if (i < 0 || i >= flow->count)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "index %lld outside a TensorArray of %lld",
                              (long long)i, (long long)flow->count);
    ferry_tensor *item = fy_list_item(flow, i), *out = NULL;
    if (item) {
        st = fy_tensor_copy(&out, item, ctx->err);
    } else {
        int64_t dims[FERRY_MAX_RANK];
        int rank = item_shape(ctx, flow, -1, dims);
        st = rank == -2 ? FERRY_ERR_INVALID_ARGUMENT : fy_tensor_new(&out, element_dtype(ctx), dims, rank, ctx->err);
    }
    if (!st)
        ctx->outputs[0] = (fy_value){ .t = out, .owned = 1 };
    return st;
}

/* TensorArrayGatherV3(handle, indices, flow_in). */
static ferry_status k_ta_gather(fy_kernel_ctx *ctx)
{
    const ferry_tensor *flow = flow_input(ctx, 2);
    int64_t *which = NULL, n = 0;
    ferry_status st = flow ? read_indices(ctx, 1, &which, &n) : FERRY_ERR_INVALID_ARGUMENT;
    if (!st)
        st = stack_items(ctx, flow, which, n, -1);
    free(which);
    return st;
}

/* TensorArrayScatterV3(handle, indices, value, flow_in) -> flow_out. */
static ferry_status k_ta_scatter(fy_kernel_ctx *ctx)
{
    const ferry_tensor *flow = flow_input(ctx, 3), *value = flow ? fy_input(ctx, 2) : NULL;
    int64_t *which = NULL, n = 0, top = 0;
    ferry_status st = value ? read_indices(ctx, 1, &which, &n) : FERRY_ERR_INVALID_ARGUMENT;
    for (int64_t k = 0; !st && k < n; k++)
        top = which[k] + 1 > top ? which[k] + 1 : top;
    ferry_tensor *updated = st ? NULL : ta_writable(ctx, 3, flow, top);
    if (!st && !updated)
        st = error_status(ctx);
    if (!st)
        st = scatter_rows(ctx, updated, value, which, n);
    free(which);
    return st;
}

/* TensorArrayConcatV3(handle, flow_in) -> (value, lengths). */
static ferry_status k_ta_concat(fy_kernel_ctx *ctx)
{
    const ferry_tensor *flow = flow_input(ctx, 1);
    return flow ? concat_list(ctx, flow, -1, -1) : FERRY_ERR_INVALID_ARGUMENT;
}

/* TensorArraySplitV3(handle, value, lengths, flow_in) -> flow_out. */
static ferry_status k_ta_split(fy_kernel_ctx *ctx)
{
    const ferry_tensor *flow = flow_input(ctx, 3), *t = flow ? fy_input(ctx, 1) : NULL;
    int64_t *lengths = NULL, n = 0, sum = 0;
    ferry_status st = t ? read_indices(ctx, 2, &lengths, &n) : FERRY_ERR_INVALID_ARGUMENT;
    for (int64_t k = 0; !st && k < n; k++)
        sum += lengths[k];
    if (!st && (t->rank < 1 || sum != t->dims[0]))
        st = fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "lengths add up to %lld, not the value's %lld rows",
                            (long long)sum, t->rank < 1 ? 0LL : (long long)t->dims[0]);
    ferry_tensor *updated = st ? NULL : ta_writable(ctx, 3, flow, n);
    if (!st && !updated)
        st = error_status(ctx);
    for (int64_t k = 0, at = 0; !st && k < n; at += lengths[k++]) {
        ferry_tensor *part = NULL;
        st = slice_rows(&part, t, at, lengths[k], 1, ctx->err);
        if (!st) {
            ferry_tensor_free(items(updated)[k]);
            items(updated)[k] = part;
        }
    }
    free(lengths);
    return st;
}

/* TensorArraySizeV3(handle, flow_in). */
static ferry_status k_ta_size(fy_kernel_ctx *ctx)
{
    const ferry_tensor *flow = flow_input(ctx, 1);
    ferry_tensor *out = flow ? fy_output_new(ctx, 0, FERRY_DT_INT32, NULL, 0) : NULL;
    if (!out)
        return flow ? FERRY_ERR_OUT_OF_MEMORY : FERRY_ERR_INVALID_ARGUMENT;
    *(int32_t *)out->data = (int32_t)flow->count;
    return FERRY_OK;
}

static ferry_status k_ta_close(fy_kernel_ctx *ctx)
{
    (void)ctx;
    return FERRY_OK;
}

/* Products of a whole list bigger than this (1 GiB) are left to the steps,
 * which may not keep them all. */
#define HOIST_MAX_FLOATS ((int64_t)1 << 28)

/* Whether every item of `list` is a float matrix of one shape [rows, k]. */
static int uniform_float_matrices(const ferry_tensor *list, int64_t *rows, int64_t *k)
{
    for (int64_t i = 0; i < list->count; i++) {
        const ferry_tensor *item = fy_list_item(list, i);
        if (!item || item->dtype != FERRY_DT_FLOAT || item->rank != 2)
            return 0;
        if (i == 0) {
            *rows = item->dims[0];
            *k = item->dims[1];
        } else if (item->dims[0] != *rows || item->dims[1] != *k) {
            return 0;
        }
    }
    return 1;
}

/* Items of ITEM_ROWS rows and more are multiplied one by one, in parallel,
 * straight into their products; smaller ones are gathered into one product
 * (one-row items would otherwise be matrix-vector products). */
#define ITEM_ROWS 32

typedef struct item_products {
    const ferry_tensor *list, *w;
    const fy_packed *packed; /* w's packed form, or NULL: BLAS */
    ferry_tensor *result;
    int transpose_w;
    int64_t step;
} item_products;

/* C[rows, n] = A[rows, k] w, through w's packed form when it has one. */
static void product(struct fy_pool *pool, const fy_packed *packed, const ferry_tensor *w, int transpose_w,
                    int64_t rows, int64_t n, int64_t k, const float *a, float *c)
{
    if (packed)
        fy_packed_gemm(pool, rows, a, k, packed, c, n);
    else
        fy_nn_gemm(pool, FERRY_DT_FLOAT, 0, transpose_w, rows, n, k, a, k, w->data, transpose_w ? k : n, c, n);
}

static void item_products_slice(void *ctx, int part)
{
    const item_products *j = ctx;
    int64_t rows = fy_list_item(j->list, 0)->dims[0], k = fy_list_item(j->list, 0)->dims[1];
    int64_t n = j->w->dims[!j->transpose_w];
    for (int64_t i = part * j->step; i < j->list->count && i < (part + 1) * j->step; i++)
        product(NULL, j->packed, j->w, j->transpose_w, rows, n, k, fy_list_item(j->list, i)->data,
                fy_list_item(j->result, i)->data);
}

ferry_status fy_list_matmul(ferry_tensor **out, const ferry_tensor *list, const ferry_tensor *w, int transpose_w,
                            struct fy_pool *pool, ferry_error **err)
{
    *out = NULL;
    int64_t rows = 0, k = 0;
    if (list->dtype != FERRY_DT_VARIANT || list->count < 1 || !uniform_float_matrices(list, &rows, &k) ||
        w->dtype != FERRY_DT_FLOAT || w->rank != 2 || w->dims[transpose_w] != k)
        return FERRY_OK;
    int64_t n = w->dims[!transpose_w], count = list->count, all = count * rows;
    if ((double)all * (double)n > (double)HOIST_MAX_FLOATS)
        return FERRY_OK;
    const fy_packed *packed = fy_packed_of(w, k, n, transpose_w);
    ferry_tensor *result = NULL;
    ferry_status st = fy_tensor_new_list(&result, count, err);
    int64_t dims[2] = { rows, n };
    for (int64_t i = 0; !st && i < count; i++)
        st = fy_tensor_new_planned(&((ferry_tensor **)result->data)[i], NULL, FERRY_DT_FLOAT, dims, 2, 0, err);
    if (!st && rows >= ITEM_ROWS) {
        int threads = fy_pool_threads(pool);
        item_products j = { list, w, packed, result, transpose_w, (count + threads - 1) / threads };
        fy_pool_run(pool, fy_pool_parts(count, j.step), item_products_slice, &j);
    } else if (!st && all * n > 0) {
        float *a = malloc((size_t)(all * k) * sizeof(float) + 1), *c = malloc((size_t)(all * n) * sizeof(float));
        if (!a || !c)
            st = fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory for a loop's products");
        for (int64_t i = 0; !st && i < count; i++)
            memcpy(a + i * rows * k, fy_list_item(list, i)->data, (size_t)(rows * k) * sizeof(float));
        if (!st)
            product(pool, packed, w, transpose_w, all, n, k, a, c);
        for (int64_t i = 0; !st && i < count; i++)
            memcpy(fy_list_item(result, i)->data, c + i * rows * n, (size_t)(rows * n) * sizeof(float));
        free(a);
        free(c);
    }
    if (st) {
        ferry_tensor_free(result);
        return st;
    }
    *out = result;
    return FERRY_OK;
}

#define D FY_OP_DYNAMIC_SHAPE

const fy_op_def fy_kernels_list[] = {
    { .name = "TensorListReserve", .run = k_reserve, .traits = D },
    { .name = "EmptyTensorList", .run = k_empty, .traits = D },
    { .name = "TensorListFromTensor", .run = k_from_tensor, .traits = D },
    { .name = "TensorListGetItem", .run = k_get_item, .traits = D },
    { .name = "TensorListSetItem", .run = k_set_item, .traits = D },
    { .name = "TensorListPushBack", .run = k_push_back, .traits = D },
    { .name = "TensorListPopBack", .run = k_pop_back, .outputs = "output_handle,tensor", .traits = D },
    { .name = "TensorListResize", .run = k_resize, .traits = D },
    { .name = "TensorListStack", .run = k_stack, .traits = D },
    { .name = "TensorListGather", .run = k_gather, .traits = D },
    { .name = "TensorListScatter", .run = k_scatter, .traits = D },
    { .name = "TensorListScatterV2", .run = k_scatter, .traits = D },
    { .name = "TensorListScatterIntoExistingList", .run = k_scatter_into, .traits = D },
    { .name = "TensorListConcat", .run = k_concat, .outputs = "tensor,lengths", .traits = D },
    { .name = "TensorListConcatV2", .run = k_concat, .outputs = "tensor,lengths", .traits = D },
    { .name = "TensorListSplit", .run = k_split, .traits = D },
    { .name = "TensorListElementShape", .run = k_element_shape, .traits = D },
    { .name = "TensorListLength", .run = k_length, .shape = fy_shape_scalar },
    { .name = "TensorArrayV3", .run = k_ta_new, .outputs = "handle,flow", .traits = FY_OP_NEVER_FOLD | D },
    { .name = "TensorArrayWriteV3", .run = k_ta_write, .outputs = "flow_out", .traits = D },
    { .name = "TensorArrayReadV3", .run = k_ta_read, .traits = D },
    { .name = "TensorArrayGatherV3", .run = k_ta_gather, .traits = D },
    { .name = "TensorArrayScatterV3", .run = k_ta_scatter, .outputs = "flow_out", .traits = D },
    { .name = "TensorArrayConcatV3", .run = k_ta_concat, .outputs = "value,lengths", .traits = D },
    { .name = "TensorArraySplitV3", .run = k_ta_split, .outputs = "flow_out", .traits = D },
    { .name = "TensorArraySizeV3", .run = k_ta_size, .shape = fy_shape_scalar },
    { .name = "TensorArrayCloseV3", .run = k_ta_close, .outputs = "", .traits = FY_OP_NEVER_FOLD | D },
    { .name = NULL },
};
