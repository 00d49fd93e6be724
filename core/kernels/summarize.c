/* TensorFlow's text forms of tensors (kernels/summarize.h). Numbers are
 * written as TF writes them: floats with 6 significant digits when those
 * read back to the same float, else 9 (doubles: 15, else 17); bools as 1
 * and 0; strings C-escaped (bytes from 0x80 kept), quoted in the numpy-like
 * form. */
#include "kernels/summarize.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/elementwise.h"

void fy_text_add(fy_text *t, const char *s, size_t n)
{
    if (t->failed)
        return;
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 64;
        while (cap < t->len + n + 1)
            cap *= 2;
        char *p = realloc(t->data, cap);
        if (!p) {
            t->failed = 1;
            return;
        }
        t->data = p;
        t->cap = cap;
    }
    memcpy(t->data + t->len, s, n);
    t->len += n;
    t->data[t->len] = '\0';
}

void fy_text_adds(fy_text *t, const char *s)
{
    fy_text_add(t, s, strlen(s));
}

void fy_text_free(fy_text *t)
{
    free(t->data);
    *t = (fy_text){ 0 };
}

static void add_float(fy_text *out, float v)
{
    char buf[48];
    snprintf(buf, sizeof(buf), "%.6g", (double)v);
    if (strtof(buf, NULL) != v)
        snprintf(buf, sizeof(buf), "%.9g", (double)v);
    fy_text_adds(out, buf);
}

static void add_double(fy_text *out, double v)
{
    char buf[48];
    snprintf(buf, sizeof(buf), "%.15g", v);
    if (strtod(buf, NULL) != v)
        snprintf(buf, sizeof(buf), "%.17g", v);
    fy_text_adds(out, buf);
}

static void add_escaped(fy_text *out, const ferry_string *s, int quoted)
{
    if (quoted)
        fy_text_add(out, "\"", 1);
    for (size_t i = 0; i < s->size; i++) {
        unsigned char c = (unsigned char)s->data[i];
        char buf[8];
        switch (c) {
        case '\n': fy_text_add(out, "\\n", 2); break;
        case '\r': fy_text_add(out, "\\r", 2); break;
        case '\t': fy_text_add(out, "\\t", 2); break;
        case '"': fy_text_add(out, "\\\"", 2); break;
        case '\'': fy_text_add(out, "\\'", 2); break;
        case '\\': fy_text_add(out, "\\\\", 2); break;
        default:
            if (c < 0x20 || c == 0x7f) {
                snprintf(buf, sizeof(buf), "\\%03o", c);
                fy_text_adds(out, buf);
            } else {
                fy_text_add(out, (const char *)&c, 1);
            }
        }
    }
    if (quoted)
        fy_text_add(out, "\"", 1);
}

static void add_element(fy_text *out, const ferry_tensor *t, int64_t i, int numpy_like)
{
    char buf[32];
    const void *d = t->data;
    switch (t->dtype) {
    case FERRY_DT_FLOAT: add_float(out, ((const float *)d)[i]); return;
    case FERRY_DT_HALF: add_float(out, fy_half_to_float(((const uint16_t *)d)[i])); return;
    case FERRY_DT_BFLOAT16: add_float(out, fy_bfloat16_to_float(((const uint16_t *)d)[i])); return;
    case FERRY_DT_DOUBLE: add_double(out, ((const double *)d)[i]); return;
    case FERRY_DT_STRING: add_escaped(out, &((const ferry_string *)d)[i], numpy_like); return;
    case FERRY_DT_BOOL: fy_text_adds(out, ((const uint8_t *)d)[i] ? "1" : "0"); return;
    case FERRY_DT_INT8: snprintf(buf, sizeof(buf), "%d", ((const int8_t *)d)[i]); break;
    case FERRY_DT_UINT8: snprintf(buf, sizeof(buf), "%u", ((const uint8_t *)d)[i]); break;
    case FERRY_DT_INT16: snprintf(buf, sizeof(buf), "%d", ((const int16_t *)d)[i]); break;
    case FERRY_DT_UINT16: snprintf(buf, sizeof(buf), "%u", ((const uint16_t *)d)[i]); break;
    case FERRY_DT_INT32: snprintf(buf, sizeof(buf), "%" PRId32, ((const int32_t *)d)[i]); break;
    case FERRY_DT_UINT32: snprintf(buf, sizeof(buf), "%" PRIu32, ((const uint32_t *)d)[i]); break;
    case FERRY_DT_INT64: snprintf(buf, sizeof(buf), "%" PRId64, ((const int64_t *)d)[i]); break;
    case FERRY_DT_UINT64: snprintf(buf, sizeof(buf), "%" PRIu64, ((const uint64_t *)d)[i]); break;
    default: snprintf(buf, sizeof(buf), "?"); break; /* as TF writes what it cannot show */
    }
    fy_text_adds(out, buf);
}

/* The compact form: elements in order until `limit` are written, each
 * innermost row cut short ending in "...". */
static void compact_dim(fy_text *out, const ferry_tensor *t, int dim, int64_t limit, int64_t *next)
{
    if (*next >= limit)
        return;
    int64_t n = t->dims[dim];
    if (dim == t->rank - 1) {
        for (int64_t i = 0; i < n; i++) {
            if (*next >= limit) {
                if (dim != 0)
                    fy_text_add(out, "...", 3);
                return;
            }
            if (i > 0)
                fy_text_add(out, " ", 1);
            add_element(out, t, (*next)++, 0);
        }
        return;
    }
    for (int64_t i = 0; i < n; i++) {
        int opened = *next < limit;
        if (opened)
            fy_text_add(out, "[", 1);
        compact_dim(out, t, dim + 1, limit, next);
        if (opened)
            fy_text_add(out, "]", 1);
    }
}

/* Between items of dimension `dim`: a space in the innermost, else a line
 * per dimension below and an indent to this depth. */
static void numpy_spacing(fy_text *out, int dim, int rank)
{
    if (dim == rank - 1) {
        fy_text_add(out, " ", 1);
        return;
    }
    for (int j = 0; j < rank - dim - 1; j++)
        fy_text_add(out, "\n", 1);
    for (int j = 0; j <= dim; j++)
        fy_text_add(out, " ", 1);
}

static void numpy_dim(fy_text *out, const ferry_tensor *t, int dim, int64_t ends, int64_t at)
{
    if (dim == t->rank) {
        add_element(out, t, at, 1);
        return;
    }
    int64_t n = t->dims[dim], per = 1;
    for (int d = dim + 1; d < t->rank; d++)
        per *= t->dims[d];
    fy_text_add(out, "[", 1);
    for (int64_t i = 0; i < ends && i < n; i++) {
        if (i > 0)
            numpy_spacing(out, dim, t->rank);
        numpy_dim(out, t, dim + 1, ends, at + per * i);
    }
    if (n > 2 * ends) {
        numpy_spacing(out, dim, t->rank);
        fy_text_add(out, "...", 3);
    }
    for (int64_t i = ends > n - ends ? ends : n - ends; i < n; i++) {
        numpy_spacing(out, dim, t->rank);
        numpy_dim(out, t, dim + 1, ends, at + per * i);
    }
    fy_text_add(out, "]", 1);
}

void fy_summarize(fy_text *out, const ferry_tensor *t, int64_t summarize, int numpy_like)
{
    int64_t limit = summarize < 0 || summarize > t->count ? t->count : summarize;
    if (numpy_like) {
        numpy_dim(out, t, 0, limit, 0);
        return;
    }
    if (t->rank == 0) {
        if (limit > 0)
            add_element(out, t, 0, 0);
    } else {
        int64_t next = 0;
        compact_dim(out, t, 0, limit, &next);
    }
    if (t->count > limit)
        fy_text_add(out, "...", 3);
}
