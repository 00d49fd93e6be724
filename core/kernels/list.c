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

/* Element shape from a shape tensor; 0 when it is not fully known. */
static int element_shape(fy_kernel_ctx *ctx, int i, int64_t *dims, int *rank)
{
    const ferry_tensor *t = ctx->input_count > i ? ctx->inputs[i].t : NULL;
    if (!t || t->rank > 1 || t->count > FERRY_MAX_RANK)
        return 0;
    if (fy_read_ints(ctx, t, dims, FERRY_MAX_RANK, "element_shape"))
        return 0;
    *rank = (int)t->count;
    for (int d = 0; d < *rank; d++)
        if (dims[d] < 0)
            return 0;
    return t->rank == 1;
}

static ferry_tensor **items(ferry_tensor *list)
{
    return list->data;
}

static ferry_status k_reserve(fy_kernel_ctx *ctx)
{
    int64_t n;
    ferry_status st = scalar_int(ctx, 1, &n);
    if (st)
        return st;
    if (n < 0)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "num_elements is %lld", (long long)n);
    ferry_tensor *list = NULL;
    if ((st = fy_tensor_new_list(&list, n, ctx->err)) != FERRY_OK)
        return st;
    ctx->outputs[0] = (fy_value){ .t = list, .owned = 1 };
    return FERRY_OK;
}

/* Item i of a tensor along dim 0, as a new tensor. */
static ferry_status slice_rows(ferry_tensor **out, const ferry_tensor *t, int64_t i, ferry_error **err)
{
    ferry_status st = fy_tensor_new(out, t->dtype, t->dims + 1, t->rank - 1, err);
    if (st)
        return st;
    int64_t per = (*out)->count;
    if (t->dtype == FERRY_DT_STRING) {
        const ferry_string *s = (const ferry_string *)t->data + i * per;
        for (int64_t k = 0; !st && k < per; k++)
            st = fy_tensor_set_string(*out, k, s[k].data, s[k].size, err);
    } else if ((*out)->nbytes) {
        memcpy((*out)->data, (const char *)t->data + (size_t)i * (*out)->nbytes, (*out)->nbytes);
    }
    return st;
}

static ferry_status k_from_tensor(fy_kernel_ctx *ctx)
{
    const ferry_tensor *t = fy_input(ctx, 0);
    if (!t)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (t->rank < 1)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "the tensor must have rank 1 or more");
    ferry_tensor *list = NULL;
    ferry_status st = fy_tensor_new_list(&list, t->dims[0], ctx->err);
    for (int64_t i = 0; !st && i < t->dims[0]; i++)
        st = slice_rows(&items(list)[i], t, i, ctx->err);
    if (st) {
        ferry_tensor_free(list);
        return st;
    }
    ctx->outputs[0] = (fy_value){ .t = list, .owned = 1 };
    return FERRY_OK;
}

static ferry_status zeros_item(fy_kernel_ctx *ctx, int shape_input, ferry_tensor **out)
{
    int64_t dims[FERRY_MAX_RANK];
    int rank = 0;
    if (!element_shape(ctx, shape_input, dims, &rank))
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "an unset list item has no known shape");
    return fy_tensor_new(out, fy_attr_type(ctx->node, "element_dtype", FERRY_DT_FLOAT), dims, rank, ctx->err);
}

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
    st = item ? fy_tensor_copy(&out, item, ctx->err) : zeros_item(ctx, 2, &out);
    if (st)
        return st;
    ctx->outputs[0] = (fy_value){ .t = out, .owned = 1 };
    return FERRY_OK;
}

static ferry_status k_set_item(fy_kernel_ctx *ctx)
{
    const ferry_tensor *list = list_input(ctx, 0), *item = list ? fy_input(ctx, 2) : NULL;
    int64_t i;
    ferry_status st = item ? scalar_int(ctx, 1, &i) : FERRY_ERR_INVALID_ARGUMENT;
    if (st)
        return st;
    if (i < 0 || i >= list->count)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "index %lld outside a list of %lld", (long long)i,
                              (long long)list->count);
    ferry_tensor *value = NULL;
    st = fy_tensor_copy(&value, item, ctx->err);
    if (st)
        return st;
    /* A list the run reads no more (a loop's accumulator) is updated in
     * place; otherwise this op makes a new list, as TensorFlow's value
     * semantics require. */
    ferry_tensor *updated = NULL;
    if (ctx->donatable & 1u) {
        updated = fy_output_reuse(ctx, 0, 0, list->dtype, list->dims, list->rank);
        if (updated != list) {
            ferry_tensor_free(value);
            return updated ? fy_kernel_fail(ctx, FERRY_ERR_INTERNAL, "could not update the list in place")
                           : FERRY_ERR_OUT_OF_MEMORY;
        }
    } else if ((st = fy_tensor_copy(&updated, list, ctx->err)) != FERRY_OK) {
        ferry_tensor_free(value);
        return st;
    } else {
        ctx->outputs[0] = (fy_value){ .t = updated, .owned = 1 };
    }
    ferry_tensor_free(items(updated)[i]);
    items(updated)[i] = value;
    return FERRY_OK;
}

static ferry_status k_stack(fy_kernel_ctx *ctx)
{
    const ferry_tensor *list = list_input(ctx, 0);
    if (!list)
        return FERRY_ERR_INVALID_ARGUMENT;
    const ferry_tensor *shape_of = NULL;
    for (int64_t i = 0; i < list->count && !shape_of; i++)
        shape_of = fy_list_item(list, i);
    int64_t dims[FERRY_MAX_RANK];
    int rank = 0;
    ferry_dtype dtype = fy_attr_type(ctx->node, "element_dtype", FERRY_DT_FLOAT);
    if (shape_of) {
        rank = shape_of->rank;
        memcpy(dims, shape_of->dims, (size_t)rank * sizeof(int64_t));
    } else if (!element_shape(ctx, 1, dims, &rank)) {
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "cannot stack a list whose item shape is unknown");
    }
    if (rank + 1 > FERRY_MAX_RANK)
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "items of rank %d", rank);
    int64_t out_dims[FERRY_MAX_RANK];
    out_dims[0] = list->count;
    memcpy(out_dims + 1, dims, (size_t)rank * sizeof(int64_t));
    ferry_tensor *out = fy_output_new(ctx, 0, dtype, out_dims, rank + 1);
    if (!out)
        return FERRY_ERR_OUT_OF_MEMORY;
    int64_t per = list->count ? out->count / list->count : 0;
    for (int64_t i = 0; i < list->count; i++) {
        const ferry_tensor *item = fy_list_item(list, i);
        if (!item)
            continue; /* unset items stack as zeros */
        if (item->dtype != dtype || item->count != per)
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "list item %lld differs in dtype or shape", (long long)i);
        if (dtype == FERRY_DT_STRING) {
            const ferry_string *s = item->data;
            for (int64_t k = 0; k < per; k++) {
                ferry_status st = fy_tensor_set_string(out, i * per + k, s[k].data, s[k].size, ctx->err);
                if (st)
                    return st;
            }
        } else if (item->nbytes) {
            memcpy((char *)out->data + (size_t)i * item->nbytes, item->data, item->nbytes);
        }
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
        fy_pool_run(pool, (int)((count + j.step - 1) / j.step), item_products_slice, &j);
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

const fy_op_def fy_kernels_list[] = {
    { .name = "TensorListReserve", .run = k_reserve, .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = "EmptyTensorList", .run = k_reserve, .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = "TensorListFromTensor", .run = k_from_tensor, .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = "TensorListGetItem", .run = k_get_item, .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = "TensorListSetItem", .run = k_set_item, .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = "TensorListStack", .run = k_stack, .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = "TensorListLength", .run = k_length, .shape = fy_shape_scalar },
    { .name = NULL },
};
