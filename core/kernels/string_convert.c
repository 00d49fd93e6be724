/* Strings to and from other things: StringToNumber, AsString,
 * EncodeBase64 and DecodeBase64 (web-safe alphabet, as TF's). */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/elementwise.h"
#include "kernels/text.h"

/* The string without the ASCII whitespace around it, NUL-terminated in buf
 * (0 when it does not fit or holds a NUL). */
static int trimmed(const ferry_string *s, char *buf, size_t cap)
{
    size_t a, b;
    fy_trim_space(s->data, s->size, &a, &b);
    if (b - a >= cap || memchr(s->data + a, 0, b - a))
        return 0;
    memcpy(buf, s->data + a, b - a);
    buf[b - a] = 0;
    return 1;
}

static int parse_real(const char *text, double *out)
{
    char *end;
    if (!*text || (text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) ||
        ((text[0] == '-' || text[0] == '+') && text[1] == '0' && (text[2] == 'x' || text[2] == 'X')))
        return 0; /* TF takes decimal forms only */
    errno = 0;
    *out = strtod(text, &end);
    return *end == 0;
}

static int parse_int(const char *text, int64_t lo, int64_t hi, int64_t *out)
{
    char *end;
    if (!*text || isspace((unsigned char)text[0]))
        return 0;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (*end || errno == ERANGE || v < lo || v > hi)
        return 0;
    *out = v;
    return 1;
}

/* StringToNumber(string_tensor), out_type: decimal numbers, whitespace
 * around them allowed; anything else fails naming the string. */
static ferry_status k_string_to_number(fy_kernel_ctx *ctx)
{
    const ferry_tensor *in = fy_input(ctx, 0);
    ferry_dtype dt = fy_attr_type(ctx->node, "out_type", FERRY_DT_FLOAT);
    if (!in)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (in->dtype != FERRY_DT_STRING)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "input must be strings");
    if (dt != FERRY_DT_FLOAT && dt != FERRY_DT_DOUBLE && dt != FERRY_DT_INT32 && dt != FERRY_DT_INT64)
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "out_type %s", ferry_dtype_name(dt));
    ferry_tensor *out = fy_output_new_uninit(ctx, 0, dt, in->dims, in->rank);
    if (!out)
        return FERRY_ERR_OUT_OF_MEMORY;
    const ferry_string *s = in->data;
    for (int64_t i = 0; i < in->count; i++) {
        char buf[512];
        double d = 0;
        int64_t v = 0;
        int ok = trimmed(&s[i], buf, sizeof buf);
        switch (dt) {
        case FERRY_DT_FLOAT:
            ok = ok && parse_real(buf, &d);
            ((float *)out->data)[i] = (float)strtof(buf, NULL);
            break;
        case FERRY_DT_DOUBLE:
            ok = ok && parse_real(buf, &d);
            ((double *)out->data)[i] = d;
            break;
        case FERRY_DT_INT32:
            ok = ok && parse_int(buf, INT32_MIN, INT32_MAX, &v);
            ((int32_t *)out->data)[i] = (int32_t)v;
            break;
        default:
            ok = ok && parse_int(buf, INT64_MIN, INT64_MAX, &v);
            ((int64_t *)out->data)[i] = v;
        }
        if (!ok)
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "StringToNumberOp could not correctly convert string: %.*s",
                                  (int)(s[i].size > 200 ? 200 : s[i].size), s[i].data);
    }
    return FERRY_OK;
}

/* AsString(input), precision, scientific, shortest, width, fill: printf
 * conversions as TF builds them (%[fill][width][.precision]{d,lld,f,e,g});
 * bools as "true"/"false"; complex as "(re,im)". */
static ferry_status k_as_string(fy_kernel_ctx *ctx)
{
    const ferry_tensor *in = fy_input(ctx, 0);
    if (!in)
        return FERRY_ERR_INVALID_ARGUMENT;
    int64_t precision = fy_attr_int(ctx->node, "precision", -1), width = fy_attr_int(ctx->node, "width", -1);
    int scientific = fy_attr_bool(ctx->node, "scientific", 0), shortest = fy_attr_bool(ctx->node, "shortest", 0);
    char fill[8];
    fy_attr_string(ctx->node, "fill", fill, sizeof fill, "");
    int real = in->dtype == FERRY_DT_FLOAT || in->dtype == FERRY_DT_DOUBLE || in->dtype == FERRY_DT_HALF ||
               in->dtype == FERRY_DT_BFLOAT16;
    int complex = in->dtype == FERRY_DT_COMPLEX64 || in->dtype == FERRY_DT_COMPLEX128;
    if (strlen(fill) > 1)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "Fill string must be one or fewer characters");
    if (scientific && shortest)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "Cannot select both scientific and shortest notation");
    if (!real && !complex && (scientific || shortest || precision > -1))
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT,
                              "scientific, shortest and precision apply only to float and complex types");
    char conv[64];
    int n = snprintf(conv, sizeof conv, "%%%s", fill);
    if (width > -1)
        n += snprintf(conv + n, sizeof conv - (size_t)n, "%lld", (long long)width);
    if (precision > -1)
        n += snprintf(conv + n, sizeof conv - (size_t)n, ".%lld", (long long)precision);
    const char *kind = (real || complex) ? (shortest ? "g" : scientific ? "e" : "f")
                       : in->dtype == FERRY_DT_INT64 || in->dtype == FERRY_DT_UINT64 ? "lld" : "d";
    snprintf(conv + n, sizeof conv - (size_t)n, "%s", kind);
    ferry_tensor *out = fy_output_new(ctx, 0, FERRY_DT_STRING, in->dims, in->rank);
    if (!out)
        return FERRY_ERR_OUT_OF_MEMORY;
    ferry_status st = FERRY_OK;
    for (int64_t i = 0; !st && i < in->count; i++) {
        char text[1024];
        int len;
        double re = 0, im = 0;
        long long iv = 0;
        switch (in->dtype) {
        case FERRY_DT_FLOAT: re = ((const float *)in->data)[i]; break;
        case FERRY_DT_DOUBLE: re = ((const double *)in->data)[i]; break;
        case FERRY_DT_HALF: re = fy_half_to_float(((const uint16_t *)in->data)[i]); break;
        case FERRY_DT_BFLOAT16: re = fy_bfloat16_to_float(((const uint16_t *)in->data)[i]); break;
        case FERRY_DT_COMPLEX64: re = ((const float *)in->data)[2 * i], im = ((const float *)in->data)[2 * i + 1]; break;
        case FERRY_DT_COMPLEX128:
            re = ((const double *)in->data)[2 * i], im = ((const double *)in->data)[2 * i + 1];
            break;
        case FERRY_DT_INT8: iv = ((const int8_t *)in->data)[i]; break;
        case FERRY_DT_INT16: iv = ((const int16_t *)in->data)[i]; break;
        case FERRY_DT_INT32: iv = ((const int32_t *)in->data)[i]; break;
        case FERRY_DT_INT64: iv = ((const int64_t *)in->data)[i]; break;
        case FERRY_DT_UINT8: iv = ((const uint8_t *)in->data)[i]; break;
        case FERRY_DT_UINT16: iv = ((const uint16_t *)in->data)[i]; break;
        case FERRY_DT_UINT32: iv = ((const uint32_t *)in->data)[i]; break;
        case FERRY_DT_BOOL: break;
        default: return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "not defined for %s", ferry_dtype_name(in->dtype));
        }
        if (in->dtype == FERRY_DT_BOOL) {
            len = snprintf(text, sizeof text, "%s", ((const unsigned char *)in->data)[i] ? "true" : "false");
        } else if (complex) {
            char pair[140];
            snprintf(pair, sizeof pair, "(%s,%s)", conv, conv);
            len = snprintf(text, sizeof text, pair, re, im);
        } else if (real) {
            len = snprintf(text, sizeof text, conv, re);
        } else if (!strcmp(kind, "lld")) {
            len = snprintf(text, sizeof text, conv, iv);
        } else {
            len = snprintf(text, sizeof text, conv, (int)iv);
        }
        if (len < 0 || (size_t)len >= sizeof text)
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "the formatted value is longer than %zu bytes",
                                  sizeof text - 1);
        st = fy_tensor_set_string(out, i, text, (size_t)len, ctx->err);
    }
    return st;
}

static const char web_safe[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* EncodeBase64(input), pad. */
static ferry_status k_encode_base64(fy_kernel_ctx *ctx)
{
    const ferry_tensor *in = fy_input(ctx, 0);
    int pad = fy_attr_bool(ctx->node, "pad", 0);
    if (!in)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (in->dtype != FERRY_DT_STRING)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "input must be strings");
    ferry_tensor *out = fy_output_new(ctx, 0, FERRY_DT_STRING, in->dims, in->rank);
    if (!out)
        return FERRY_ERR_OUT_OF_MEMORY;
    const ferry_string *s = in->data;
    ferry_status st = FERRY_OK;
    for (int64_t i = 0; !st && i < in->count; i++) {
        const unsigned char *p = (const unsigned char *)s[i].data;
        size_t n = s[i].size, len = 0;
        char *text = malloc(n / 3 * 4 + 5);
        if (!text)
            return fy_kernel_fail(ctx, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
        for (size_t k = 0; k < n; k += 3) {
            uint32_t v = (uint32_t)p[k] << 16 | (k + 1 < n ? (uint32_t)p[k + 1] << 8 : 0) | (k + 2 < n ? p[k + 2] : 0);
            size_t chars = n - k >= 3 ? 4 : n - k + 1;
            for (size_t c = 0; c < 4; c++)
                if (c < chars)
                    text[len++] = web_safe[(v >> (18 - 6 * c)) & 63];
                else if (pad)
                    text[len++] = '=';
        }
        st = fy_tensor_set_string(out, i, text, len, ctx->err);
        free(text);
    }
    return st;
}

static int base64_digit(unsigned char c)
{
    const char *at = c ? strchr(web_safe, c) : NULL;
    return at ? (int)(at - web_safe) : -1;
}

/* DecodeBase64(input): web-safe base64 with or without its '=' padding. */
static ferry_status k_decode_base64(fy_kernel_ctx *ctx)
{
    const ferry_tensor *in = fy_input(ctx, 0);
    if (!in)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (in->dtype != FERRY_DT_STRING)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "input must be strings");
    ferry_tensor *out = fy_output_new(ctx, 0, FERRY_DT_STRING, in->dims, in->rank);
    if (!out)
        return FERRY_ERR_OUT_OF_MEMORY;
    const ferry_string *s = in->data;
    ferry_status st = FERRY_OK;
    for (int64_t i = 0; !st && i < in->count; i++) {
        size_t n = s[i].size;
        while (n && s[i].data[n - 1] == '=')
            n--;
        int ok = n % 4 != 1 && s[i].size - n <= 2 && (s[i].size == n || s[i].size % 4 == 0);
        unsigned char *bytes = malloc(n / 4 * 3 + 3);
        size_t len = 0;
        uint32_t acc = 0;
        int have = 0;
        for (size_t k = 0; ok && bytes && k < n; k++) {
            int d = base64_digit((unsigned char)s[i].data[k]);
            ok = d >= 0;
            acc = acc << 6 | (uint32_t)(d & 63);
            if ((have += 6) >= 8) {
                have -= 8;
                bytes[len++] = (unsigned char)(acc >> have);
            }
        }
        if (!bytes)
            return fy_kernel_fail(ctx, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
        if (!ok)
            st = fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "Invalid character found in base64 at string %lld",
                                (long long)i);
        else
            st = fy_tensor_set_string(out, i, bytes, len, ctx->err);
        free(bytes);
    }
    return st;
}

const fy_op_def fy_kernels_string_convert[] = {
    { .name = "StringToNumber", .run = k_string_to_number, .shape = fy_shape_same },
    { .name = "AsString", .run = k_as_string, .shape = fy_shape_same },
    { .name = "EncodeBase64", .run = k_encode_base64, .shape = fy_shape_same },
    { .name = "DecodeBase64", .run = k_decode_base64, .shape = fy_shape_same },
    { .name = NULL },
};
