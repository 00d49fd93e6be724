/* String ops. */
#include <stdlib.h>
#include <string.h>

#include "kernels/elementwise.h"
#include "kernels/fingerprint.h"

static ferry_status string_input(const ferry_tensor **out, fy_kernel_ctx *ctx, int i)
{
    *out = fy_input(ctx, i);
    if (!*out)
        return FERRY_ERR_INVALID_ARGUMENT;
    if ((*out)->dtype != FERRY_DT_STRING)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "input %d must be a string tensor", i);
    return FERRY_OK;
}

/* Fingerprint64(s) % num_buckets, as TF's StringToHashBucketFast. */
static ferry_status k_hash_bucket_fast(fy_kernel_ctx *ctx)
{
    const ferry_tensor *in;
    ferry_status st = string_input(&in, ctx, 0);
    if (st)
        return st;
    int64_t buckets = fy_attr_int(ctx->node, "num_buckets", 0);
    if (buckets < 1)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "num_buckets must be positive, not %lld", (long long)buckets);
    ferry_tensor *out = fy_output_new(ctx, 0, FERRY_DT_INT64, in->dims, in->rank);
    if (!out)
        return FERRY_ERR_OUT_OF_MEMORY;
    const ferry_string *s = in->data;
    for (int64_t i = 0; i < in->count; i++)
        ((int64_t *)out->data)[i] = (int64_t)(fy_fingerprint64(s[i].data, s[i].size) % (uint64_t)buckets);
    return FERRY_OK;
}

/* Elementwise join of N string tensors (scalars broadcast) with a separator. */
static ferry_status k_string_join(fy_kernel_ctx *ctx)
{
    char sep[256];
    const char *separator = fy_attr_string(ctx->node, "separator", sep, sizeof(sep), "");
    const ferry_tensor *shape_of = NULL;
    for (int k = 0; k < ctx->input_count; k++) {
        const ferry_tensor *t;
        ferry_status st = string_input(&t, ctx, k);
        if (st)
            return st;
        if (t->rank > 0) {
            if (shape_of && (shape_of->rank != t->rank ||
                             memcmp(shape_of->dims, t->dims, (size_t)t->rank * sizeof(int64_t))))
                return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "inputs must be scalars or of one shape");
            shape_of = t;
        }
    }
    ferry_tensor *out = fy_output_new(ctx, 0, FERRY_DT_STRING, shape_of ? shape_of->dims : NULL,
                                      shape_of ? shape_of->rank : 0);
    if (!out)
        return FERRY_ERR_OUT_OF_MEMORY;
    size_t seplen = strlen(separator);
    for (int64_t i = 0; i < out->count; i++) {
        size_t len = 0;
        for (int k = 0; k < ctx->input_count; k++) {
            const ferry_string *s = (const ferry_string *)ctx->inputs[k].t->data + (ctx->inputs[k].t->rank ? i : 0);
            len += s->size + (k ? seplen : 0);
        }
        char *buf = malloc(len ? len : 1), *p = buf;
        if (!buf)
            return fy_kernel_fail(ctx, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
        for (int k = 0; k < ctx->input_count; k++) {
            const ferry_string *s = (const ferry_string *)ctx->inputs[k].t->data + (ctx->inputs[k].t->rank ? i : 0);
            if (k && seplen) {
                memcpy(p, separator, seplen);
                p += seplen;
            }
            if (s->size)
                memcpy(p, s->data, s->size);
            p += s->size;
        }
        ferry_status st = fy_tensor_set_string(out, i, buf, len, ctx->err);
        free(buf);
        if (st)
            return st;
    }
    return FERRY_OK;
}

/* ASCII case mapping, which is what TF does without an encoding. */
static ferry_status change_case(fy_kernel_ctx *ctx, int upper)
{
    const ferry_tensor *in;
    ferry_status st = string_input(&in, ctx, 0);
    if (st)
        return st;
    ferry_tensor *out = fy_output_new(ctx, 0, FERRY_DT_STRING, in->dims, in->rank);
    if (!out)
        return FERRY_ERR_OUT_OF_MEMORY;
    const ferry_string *s = in->data;
    for (int64_t i = 0; i < in->count; i++) {
        char *buf = malloc(s[i].size ? s[i].size : 1);
        if (!buf)
            return fy_kernel_fail(ctx, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
        for (size_t k = 0; k < s[i].size; k++) {
            char c = s[i].data[k];
            buf[k] = upper ? (c >= 'a' && c <= 'z' ? (char)(c - 32) : c) : (c >= 'A' && c <= 'Z' ? (char)(c + 32) : c);
        }
        st = fy_tensor_set_string(out, i, buf, s[i].size, ctx->err);
        free(buf);
        if (st)
            return st;
    }
    return FERRY_OK;
}

static ferry_status k_lower(fy_kernel_ctx *ctx) { return change_case(ctx, 0); }
static ferry_status k_upper(fy_kernel_ctx *ctx) { return change_case(ctx, 1); }

static ferry_status k_string_length(fy_kernel_ctx *ctx)
{
    const ferry_tensor *in;
    ferry_status st = string_input(&in, ctx, 0);
    if (st)
        return st;
    char buf[16];
    const char *unit = fy_attr_enum(ctx, "unit", buf, sizeof(buf), "BYTE");
    if (!unit)
        return FERRY_ERR_INVALID_ARGUMENT;
    int utf8 = !strcmp(unit, "UTF8_CHAR");
    if (!utf8 && strcmp(unit, "BYTE") != 0)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "unit must be BYTE or UTF8_CHAR, not '%s'", unit);
    ferry_tensor *out = fy_output_new(ctx, 0, FERRY_DT_INT32, in->dims, in->rank);
    if (!out)
        return FERRY_ERR_OUT_OF_MEMORY;
    const ferry_string *s = in->data;
    for (int64_t i = 0; i < in->count; i++) {
        int32_t n = 0;
        for (size_t k = 0; k < s[i].size; k++)
            n += !utf8 || ((unsigned char)s[i].data[k] & 0xc0) != 0x80;
        ((int32_t *)out->data)[i] = n;
    }
    return FERRY_OK;
}

const fy_op_def fy_kernels_strings[] = {
    { .name = "StringToHashBucketFast", .run = k_hash_bucket_fast, .shape = fy_shape_same },
    { .name = "StringJoin", .run = k_string_join, .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = "StringLower", .run = k_lower, .shape = fy_shape_same },
    { .name = "StringUpper", .run = k_upper, .shape = fy_shape_same },
    { .name = "StringLength", .run = k_string_length, .shape = fy_shape_same },
    { .name = NULL },
};
