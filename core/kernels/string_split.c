/* Splitting strings into tokens and joining tokens into n-grams:
 * StringSplit, StringSplitV2 (sparse results) and StringNGrams (ragged). */
#include <stdlib.h>
#include <string.h>

#include "kernels/array_internal.h"
#include "kernels/text.h"

/* A growing list of tokens, each a piece of some input string. */
typedef struct tokens {
    const char **data;
    size_t *size;
    int64_t *row;
    int64_t count, cap;
} tokens;

static int tokens_add(tokens *t, int64_t row, const char *data, size_t size)
{
    if (t->count == t->cap) {
        int64_t cap = t->cap ? 2 * t->cap : 16;
        const char **d = realloc(t->data, (size_t)cap * sizeof(*d));
        if (d)
            t->data = d;
        size_t *s = d ? realloc(t->size, (size_t)cap * sizeof(*s)) : NULL;
        if (s)
            t->size = s;
        int64_t *r = s ? realloc(t->row, (size_t)cap * sizeof(*r)) : NULL;
        if (!r)
            return 0;
        t->row = r;
        t->cap = cap;
    }
    t->data[t->count] = data;
    t->size[t->count] = size;
    t->row[t->count++] = row;
    return 1;
}

static void tokens_free(tokens *t)
{
    free(t->data);
    free(t->size);
    free(t->row);
}

/* The three outputs of a sparse split: indices [M, 2], values [M],
 * shape [rows, longest row]. */
static ferry_status sparse_result(fy_kernel_ctx *ctx, const tokens *t, int64_t rows)
{
    int64_t dims[2] = { t->count, 2 }, two = 2, longest = 0, at = 0;
    ferry_tensor *ix = fy_output_new(ctx, 0, FERRY_DT_INT64, dims, 2);
    ferry_tensor *values = ix ? fy_output_new(ctx, 1, FERRY_DT_STRING, &t->count, 1) : NULL;
    ferry_tensor *shape = values ? fy_output_new(ctx, 2, FERRY_DT_INT64, &two, 1) : NULL;
    if (!shape)
        return FERRY_ERR_OUT_OF_MEMORY;
    int64_t *p = ix->data;
    ferry_status st = FERRY_OK;
    for (int64_t i = 0; !st && i < t->count; i++) {
        at = i && t->row[i] == t->row[i - 1] ? at + 1 : 0;
        p[2 * i] = t->row[i];
        p[2 * i + 1] = at;
        if (at + 1 > longest)
            longest = at + 1;
        st = fy_tensor_set_string(values, i, t->data[i], t->size[i], ctx->err);
    }
    ((int64_t *)shape->data)[0] = rows;
    ((int64_t *)shape->data)[1] = longest;
    return st;
}

static ferry_status string_inputs(fy_kernel_ctx *ctx, const ferry_tensor **in, const ferry_tensor **sep)
{
    *in = fy_input(ctx, 0);
    *sep = *in ? fy_input(ctx, 1) : NULL;
    if (!*sep)
        return FERRY_ERR_INVALID_ARGUMENT;
    if ((*in)->dtype != FERRY_DT_STRING || (*in)->rank != 1)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "input must be a vector of strings");
    if ((*sep)->dtype != FERRY_DT_STRING || (*sep)->count != 1 || (*sep)->rank != 0)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "the delimiter must be a scalar string");
    return FERRY_OK;
}

/* StringSplit(input, delimiter), skip_empty: any byte of the delimiter ends
 * a token; an empty delimiter splits into single bytes; an empty string has
 * no tokens. */
static ferry_status k_string_split(fy_kernel_ctx *ctx)
{
    const ferry_tensor *in, *sep;
    ferry_status st = string_inputs(ctx, &in, &sep);
    if (st)
        return st;
    int skip_empty = fy_attr_bool(ctx->node, "skip_empty", 1);
    const ferry_string *d = sep->data, *s = in->data;
    tokens t = { 0 };
    int ok = 1;
    for (int64_t r = 0; ok && r < in->count; r++) {
        const char *p = s[r].data;
        size_t n = s[r].size, start = 0;
        if (n == 0)
            continue;
        if (d->size == 0) {
            for (size_t k = 0; ok && k < n; k++)
                ok = tokens_add(&t, r, p + k, 1);
            continue;
        }
        for (size_t k = 0; ok && k <= n; k++) {
            if (k < n && !memchr(d->data, p[k], d->size))
                continue;
            if (k > start || !skip_empty)
                ok = tokens_add(&t, r, p + start, k - start);
            start = k + 1;
        }
    }
    st = ok ? sparse_result(ctx, &t, in->count) : fy_kernel_fail(ctx, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    tokens_free(&t);
    return st;
}

/* StringSplitV2(input, sep), maxsplit: like Python's str.split: on the
 * whole separator (empty tokens kept), or, for an empty one, on runs of
 * ASCII whitespace; at most maxsplit splits when >= 0. */
static ferry_status k_string_split_v2(fy_kernel_ctx *ctx)
{
    const ferry_tensor *in, *sep;
    ferry_status st = string_inputs(ctx, &in, &sep);
    if (st)
        return st;
    int64_t maxsplit = fy_attr_int(ctx->node, "maxsplit", -1);
    const ferry_string *d = sep->data, *s = in->data;
    tokens t = { 0 };
    int ok = 1;
    for (int64_t r = 0; ok && r < in->count; r++) {
        const char *p = s[r].data;
        size_t n = s[r].size, k = 0;
        int64_t splits = 0;
        if (d->size == 0) {
            /* TF's order of checks: once maxsplit is reached the rest is one
             * token, even when only whitespace (or nothing) is left */
            while (ok) {
                while (k < n && fy_is_space(p[k]))
                    k++;
                if (maxsplit >= 0 && splits == maxsplit) {
                    ok = tokens_add(&t, r, p + k, n - k);
                    break;
                }
                if (k == n)
                    break;
                size_t start = k;
                while (k < n && !fy_is_space(p[k]))
                    k++;
                ok = tokens_add(&t, r, p + start, k - start);
                splits++;
            }
            continue;
        }
        size_t start = 0;
        while (ok) {
            const char *hit = NULL;
            if (maxsplit < 0 || splits < maxsplit)
                for (size_t j = start; j + d->size <= n; j++)
                    if (!memcmp(p + j, d->data, d->size)) {
                        hit = p + j;
                        break;
                    }
            if (!hit) {
                ok = tokens_add(&t, r, p + start, n - start);
                break;
            }
            ok = tokens_add(&t, r, p + start, (size_t)(hit - (p + start)));
            start = (size_t)(hit - p) + d->size;
            splits++;
        }
    }
    st = ok ? sparse_result(ctx, &t, in->count) : fy_kernel_fail(ctx, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    tokens_free(&t);
    return st;
}

/* A growing byte buffer for building one n-gram. */
typedef struct buffer {
    char *data;
    size_t size, cap;
} buffer;

static int append(buffer *b, const char *data, size_t size)
{
    if (b->size + size > b->cap) {
        size_t cap = 2 * (b->size + size) + 16;
        char *d = realloc(b->data, cap);
        if (!d)
            return 0;
        b->data = d;
        b->cap = cap;
    }
    if (size)
        memcpy(b->data + b->size, data, size);
    b->size += size;
    return 1;
}

/* The joining of one n-gram job: the separator and pads. */
typedef struct joiner {
    const char *sep, *lpad, *rpad;
    size_t sep_n, lpad_n, rpad_n;
} joiner;

/* Appends the n-grams of one width of the row's len tokens to t; each joined
 * string is kept in *owned (t points into them). */
static ferry_status ngrams_of_row(fy_kernel_ctx *ctx, tokens *t, buffer *b, char ***owned, int64_t *owned_n,
                                  const ferry_string *row, int64_t len, int64_t width, int64_t pad_attr, int64_t r,
                                  const joiner *j)
{
    int64_t pad = pad_attr < 0 || pad_attr > width - 1 ? width - 1 : pad_attr;
    int64_t count = len + 2 * pad - width + 1;
    for (int64_t g = 0; g < count; g++) {
        int64_t left = pad - g > 0 ? pad - g : 0;
        int64_t right = pad - (count - 1 - g) > 0 ? pad - (count - 1 - g) : 0;
        int64_t take = width - left - right, from = left > 0 ? 0 : g - pad;
        int ok = 1;
        b->size = 0;
        for (int64_t k = 0; ok && k < width; k++) {
            if (k)
                ok = append(b, j->sep, j->sep_n);
            if (k < left)
                ok = ok && append(b, j->lpad, j->lpad_n);
            else if (k < left + take)
                ok = ok && append(b, row[from + k - left].data, row[from + k - left].size);
            else
                ok = ok && append(b, j->rpad, j->rpad_n);
        }
        char *copy = ok ? malloc(b->size + 1) : NULL;
        char **grown = copy ? realloc(*owned, (size_t)(*owned_n + 1) * sizeof(char *)) : NULL;
        if (!grown) {
            free(copy);
            return fy_kernel_fail(ctx, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
        }
        *owned = grown;
        if (b->size)
            memcpy(copy, b->data, b->size);
        (*owned)[(*owned_n)++] = copy;
        if (!tokens_add(t, r, copy, b->size))
            return fy_kernel_fail(ctx, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    }
    return FERRY_OK;
}

/* StringNGrams(data, data_splits): per row of the ragged input, the n-grams
 * of each width in ngram_widths, joined by separator, the row padded with
 * left_pad / right_pad (pad_width of them, or width - 1 when pad_width < 0,
 * never more than width - 1); with preserve_short_sequences a row too short
 * for any n-gram still gives one of all its (padded) tokens. */
static ferry_status k_string_ngrams(fy_kernel_ctx *ctx)
{
    const ferry_tensor *data = fy_input(ctx, 0), *splits_t = data ? fy_input(ctx, 1) : NULL;
    if (!splits_t)
        return FERRY_ERR_INVALID_ARGUMENT;
    size_t nw = 0;
    const int64_t *widths = fy_attr_ints(ctx->node, "ngram_widths", &nw);
    joiner j;
    fy_attr_bytes(ctx->node, "separator", &j.sep, &j.sep_n);
    fy_attr_bytes(ctx->node, "left_pad", &j.lpad, &j.lpad_n);
    fy_attr_bytes(ctx->node, "right_pad", &j.rpad, &j.rpad_n);
    int64_t pad_attr = fy_attr_int(ctx->node, "pad_width", 0);
    int preserve = fy_attr_bool(ctx->node, "preserve_short_sequences", 0);
    if (data->dtype != FERRY_DT_STRING || data->rank != 1 || splits_t->rank != 1 || splits_t->count < 1)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "data must be a string vector and data_splits a vector");
    int64_t *splits = NULL;
    ferry_status st = fy_arr_read_index_list(ctx, splits_t, &splits, "data_splits");
    if (st)
        return st;
    int64_t rows = splits_t->count - 1;
    for (int64_t r = 0; !st && r <= rows; r++)
        if (splits[r] < 0 || splits[r] > data->count || (r && splits[r] < splits[r - 1]) ||
            (r == rows && splits[r] != data->count) || (r == 0 && splits[0] != 0))
            st = fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT,
                                "Invalid split value %lld: data_splits must rise from 0 to %lld",
                                (long long)splits[r], (long long)data->count);
    for (size_t w = 0; !st && w < nw; w++)
        if (widths[w] < 1)
            st = fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "ngram_widths must be positive, not %lld",
                                (long long)widths[w]);
    tokens t = { 0 };
    buffer b = { 0 };
    char **owned = NULL; /* the joined n-grams, which the tokens point into */
    int64_t owned_n = 0, *out_splits = calloc((size_t)rows + 1, sizeof(int64_t));
    const ferry_string *s = data->data;
    if (!st && !out_splits)
        st = fy_kernel_fail(ctx, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    for (int64_t r = 0; !st && r < rows; r++) {
        int64_t len = splits[r + 1] - splits[r], before = t.count;
        for (size_t w = 0; !st && w < nw; w++)
            st = ngrams_of_row(ctx, &t, &b, &owned, &owned_n, s + splits[r], len, widths[w], pad_attr, r, &j);
        /* a row too short for any n-gram: one of all its tokens, padded (TF
         * reaches this only with a fixed pad_width) */
        if (!st && preserve && t.count == before && len > 0 && pad_attr >= 0)
            st = ngrams_of_row(ctx, &t, &b, &owned, &owned_n, s + splits[r], len, len + 2 * pad_attr, pad_attr, r, &j);
        out_splits[r + 1] = t.count;
    }
    ferry_tensor *ngrams = st ? NULL : fy_output_new(ctx, 0, FERRY_DT_STRING, &t.count, 1);
    int64_t nsplits = rows + 1;
    ferry_tensor *split_out = ngrams ? fy_output_new(ctx, 1, splits_t->dtype, &nsplits, 1) : NULL;
    if (!st && !split_out)
        st = FERRY_ERR_OUT_OF_MEMORY;
    for (int64_t i = 0; !st && i < t.count; i++)
        st = fy_tensor_set_string(ngrams, i, t.data[i], t.size[i], ctx->err);
    if (!st)
        st = fy_arr_write_ints(ctx, split_out, out_splits, nsplits);
    for (int64_t i = 0; i < owned_n; i++)
        free(owned[i]);
    free(owned);
    free(b.data);
    free(out_splits);
    free(splits);
    tokens_free(&t);
    return st;
}

#define DYN FY_OP_DYNAMIC_SHAPE
const fy_op_def fy_kernels_string_split[] = {
    { .name = "StringSplit", .run = k_string_split, .outputs = "indices,values,shape", .traits = DYN },
    { .name = "StringSplitV2", .run = k_string_split_v2, .outputs = "indices,values,shape", .traits = DYN },
    { .name = "StringNGrams", .run = k_string_ngrams, .outputs = "ngrams,ngrams_splits", .traits = DYN },
    { .name = NULL },
};
