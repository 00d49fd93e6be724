#include "kernels/kernel.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/budget.h"
#include "base/dtype.h"

ferry_status fy_kernel_print(fy_kernel_ctx *ctx, const char *stream, const char *text, size_t size)
{
    if (ctx->print && ctx->print->write)
        return ctx->print->write(ctx->print, stream, text, size, ctx->err);
    FILE *f = strcmp(stream, "stdout") ? stderr : stdout;
    fwrite(text, 1, size, f);
    fflush(f);
    return FERRY_OK;
}

ferry_status fy_kernel_fail(fy_kernel_ctx *ctx, ferry_status code, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return fy_fail(ctx->err, code, "node '%s' (%s): %s", ctx->node->name, ctx->node->op, msg);
}

const ferry_tensor *fy_input(fy_kernel_ctx *ctx, int i)
{
    if (i >= ctx->input_count || !ctx->inputs[i].t) {
        fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "input %d is %s", i,
                       i >= ctx->input_count ? "missing" : "not a tensor");
        return NULL;
    }
    return ctx->inputs[i].t;
}

static ferry_tensor *output_new(fy_kernel_ctx *ctx, int i, ferry_dtype dtype, const int64_t *dims, int rank, int zero)
{
    if (i >= ctx->output_count) {
        fy_kernel_fail(ctx, FERRY_ERR_INTERNAL, "output %d does not exist", i);
        return NULL;
    }
    size_t charge = 0;
    if (ctx->budget && dtype != FERRY_DT_STRING) {
        int64_t count = fy_shape_count(dims, rank, ferry_dtype_size(dtype));
        charge = count > 0 ? (size_t)count * ferry_dtype_size(dtype) : 0;
        if (!fy_budget_take(ctx->budget, charge)) {
            char shape[128];
            fy_shape_format(shape, sizeof(shape), dims, rank);
            fy_kernel_fail(ctx, FERRY_ERR_OUT_OF_MEMORY,
                           "output %d (%s%s, %zu bytes) would pass the model's memory limit of %lld bytes", i,
                           ferry_dtype_name(dtype), shape, charge, (long long)ctx->budget->limit);
            return NULL;
        }
    }
    ferry_tensor *t = NULL;
    if (fy_tensor_new_planned(&t, ctx->arena, dtype, dims, rank, zero, ctx->err) != FERRY_OK) {
        if (charge)
            fy_budget_give(ctx->budget, charge);
        fy_error_prefix(ctx->err, "node '%s' (%s)", ctx->node->name, ctx->node->op);
        return NULL;
    }
    if (ctx->budget && dtype != FERRY_DT_STRING)
        t->budget = ctx->budget;
    if (ctx->outputs[i].owned)
        ferry_tensor_free(ctx->outputs[i].t);
    ctx->outputs[i] = (fy_value){ .t = t, .owned = 1 };
    return t;
}

ferry_tensor *fy_output_new(fy_kernel_ctx *ctx, int i, ferry_dtype dtype, const int64_t *dims, int rank)
{
    return output_new(ctx, i, dtype, dims, rank, 1);
}

ferry_tensor *fy_output_new_uninit(fy_kernel_ctx *ctx, int i, ferry_dtype dtype, const int64_t *dims, int rank)
{
    return output_new(ctx, i, dtype, dims, rank, 0);
}

ferry_tensor *fy_output_reuse(fy_kernel_ctx *ctx, int i, int input, ferry_dtype dtype, const int64_t *dims, int rank)
{
    ferry_tensor *t = input < 32 && (ctx->donatable >> input & 1) ? ctx->inputs[input].t : NULL;
    if (!t || i >= ctx->output_count || t->dtype != dtype || dtype == FERRY_DT_STRING || t->wrapped ||
        fy_shape_count(dims, rank, 1) != t->count)
        return fy_output_new_uninit(ctx, i, dtype, dims, rank);
    if (ctx->outputs[i].owned)
        ferry_tensor_free(ctx->outputs[i].t);
    t->rank = rank;
    if (rank > 0)
        memmove(t->dims, dims, (size_t)rank * sizeof(int64_t));
    ctx->outputs[i] = (fy_value){ .t = t, .owned = 1 };
    ctx->donatable &= ~(1u << input);
    ctx->donated |= 1u << input;
    return t;
}

void *fy_scratch_alloc(fy_kernel_ctx *ctx, int64_t n, size_t elem)
{
    void *p = NULL;
    if (n >= 0 && (elem == 0 || (uint64_t)n <= SIZE_MAX / elem)) {
        size_t bytes = (size_t)n * elem;
        p = ctx->arena ? fy_arena_take_scratch(ctx->arena, bytes) : malloc(bytes ? bytes : 1);
    }
    if (!p)
        fy_kernel_fail(ctx, FERRY_ERR_OUT_OF_MEMORY, "out of memory for %lld elements of scratch", (long long)n);
    return p;
}

void fy_scratch_free(fy_kernel_ctx *ctx, void *p)
{
    if (ctx->arena)
        fy_arena_give_scratch(ctx->arena, p);
    else
        free(p);
}

void fy_output_forward(fy_kernel_ctx *ctx, int i, int input)
{
    ctx->outputs[i] = (fy_value){ .t = ctx->inputs[input].t, .var = ctx->inputs[input].var,
                                  .ref = ctx->inputs[input].ref };
}

int64_t fy_attr_int(const fy_node *n, const char *name, int64_t dflt)
{
    const Tensorflow__AttrValue *v = fy_node_attr(n, name);
    return v && v->value_case == TENSORFLOW__ATTR_VALUE__VALUE_I ? v->i : dflt;
}

float fy_attr_float(const fy_node *n, const char *name, float dflt)
{
    const Tensorflow__AttrValue *v = fy_node_attr(n, name);
    return v && v->value_case == TENSORFLOW__ATTR_VALUE__VALUE_F ? v->f : dflt;
}

int fy_attr_bool(const fy_node *n, const char *name, int dflt)
{
    const Tensorflow__AttrValue *v = fy_node_attr(n, name);
    return v && v->value_case == TENSORFLOW__ATTR_VALUE__VALUE_B ? v->b : dflt;
}

ferry_dtype fy_attr_type(const fy_node *n, const char *name, ferry_dtype dflt)
{
    const Tensorflow__AttrValue *v = fy_node_attr(n, name);
    return v && v->value_case == TENSORFLOW__ATTR_VALUE__VALUE_TYPE ? (ferry_dtype)fy_dtype_base((int)v->type) : dflt;
}

int fy_attr_has_string(const fy_node *n, const char *name)
{
    const Tensorflow__AttrValue *v = fy_node_attr(n, name);
    return v && v->value_case == TENSORFLOW__ATTR_VALUE__VALUE_S;
}

const char *fy_attr_string(const fy_node *n, const char *name, char *buf, size_t cap, const char *dflt)
{
    const Tensorflow__AttrValue *v = fy_node_attr(n, name);
    const char *src = dflt ? dflt : "";
    size_t len = strlen(src);
    if (v && v->value_case == TENSORFLOW__ATTR_VALUE__VALUE_S) {
        /* protobuf-c leaves data NULL for a present empty string: empty, not absent. */
        src = v->s.len ? (const char *)v->s.data : "";
        len = v->s.len;
    }
    /* Always in buf, so callers may read buf whichever it came from. */
    if (len > cap - 1)
        len = cap - 1;
    if (len)
        memcpy(buf, src, len);
    buf[len] = '\0';
    return buf;
}

void fy_attr_bytes(const fy_node *n, const char *name, const char **data, size_t *size)
{
    const Tensorflow__AttrValue *v = fy_node_attr(n, name);
    int present = v && v->value_case == TENSORFLOW__ATTR_VALUE__VALUE_S && v->s.len;
    *data = present ? (const char *)v->s.data : "";
    *size = present ? v->s.len : 0;
}

const char *fy_attr_enum(fy_kernel_ctx *ctx, const char *name, char *buf, size_t cap, const char *dflt)
{
    const char *s = fy_attr_string(ctx->node, name, buf, cap, dflt);
    if (!*s && (fy_attr_has_string(ctx->node, name) || !dflt)) {
        fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "attr '%s' is %s", name,
                       fy_attr_has_string(ctx->node, name) ? "empty" : "missing");
        return NULL;
    }
    return s;
}

const int64_t *fy_attr_ints(const fy_node *n, const char *name, size_t *n_out)
{
    const Tensorflow__AttrValue *v = fy_node_attr(n, name);
    if (!v || v->value_case != TENSORFLOW__ATTR_VALUE__VALUE_LIST)
        return NULL;
    *n_out = v->list->n_i;
    return v->list->i;
}

ferry_status fy_read_ints(fy_kernel_ctx *ctx, const ferry_tensor *t, int64_t *out, size_t cap, const char *what)
{
    if (t->dtype != FERRY_DT_INT32 && t->dtype != FERRY_DT_INT64)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "%s must be int32 or int64, not %s", what,
                              ferry_dtype_name(t->dtype));
    if ((size_t)t->count > cap)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "%s has %lld elements, more than %zu", what,
                              (long long)t->count, cap);
    for (int64_t i = 0; i < t->count; i++)
        out[i] = t->dtype == FERRY_DT_INT32 ? ((const int32_t *)t->data)[i] : ((const int64_t *)t->data)[i];
    return FERRY_OK;
}

int64_t fy_mul_sizes(int64_t a, int64_t b)
{
    if (a < 0 || b < 0 || (a && b > INT64_MAX / a))
        return -1;
    return a * b;
}

int fy_axis_in_rank(int64_t *axis, int rank)
{
    if (*axis < -rank || *axis >= rank)
        return 0;
    if (*axis < 0)
        *axis += rank;
    return 1;
}

ferry_status fy_kernel_axis(fy_kernel_ctx *ctx, int64_t axis, int rank, int *out)
{
    int64_t given = axis;
    if (!fy_axis_in_rank(&axis, rank))
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "axis %lld is out of range for rank %d",
                              (long long)given, rank);
    *out = (int)axis;
    return FERRY_OK;
}

const char *fy_dims_str(char *buf, size_t cap, const int64_t *dims, int rank)
{
    fy_shape_format(buf, cap, dims, rank);
    return buf;
}
