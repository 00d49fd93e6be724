/* Cutting and joining strings: Substr (bytes or UTF-8 characters),
 * StringStrip, ReduceJoin and UnsortedSegmentJoin. */
#include <stdlib.h>
#include <string.h>

#include "kernels/array_internal.h"
#include "kernels/text.h"
#include "kernels/elementwise.h"

/* Byte offset of UTF-8 character `chars` of s (counting lead bytes), or -1
 * when s has fewer characters. */
static int64_t utf8_offset(const char *s, size_t n, int64_t chars)
{
    int64_t seen = 0;
    for (size_t k = 0; k < n; k++) {
        if (((unsigned char)s[k] & 0xC0) == 0x80)
            continue;
        if (seen++ == chars)
            return (int64_t)k;
    }
    return seen == chars ? (int64_t)n : -1;
}

static int64_t utf8_length(const char *s, size_t n)
{
    int64_t chars = 0;
    for (size_t k = 0; k < n; k++)
        chars += ((unsigned char)s[k] & 0xC0) != 0x80;
    return chars;
}

/* Substr(input, pos, len), unit: len characters from pos (negative pos
 * counts from the end); pos outside the string fails, len is clipped. pos
 * and len broadcast against input. */
static ferry_status k_substr(fy_kernel_ctx *ctx)
{
    const ferry_tensor *in = fy_input(ctx, 0), *pos = in ? fy_input(ctx, 1) : NULL;
    const ferry_tensor *len = pos ? fy_input(ctx, 2) : NULL;
    char unit[16];
    fy_attr_string(ctx->node, "unit", unit, sizeof unit, "BYTE");
    int utf8 = !strcmp(unit, "UTF8_CHAR");
    if (!len)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (!utf8 && strcmp(unit, "BYTE"))
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "unit must be BYTE or UTF8_CHAR, not '%s'", unit);
    if (in->dtype != FERRY_DT_STRING || pos->dtype != len->dtype || pos->rank != len->rank ||
        memcmp(pos->dims, len->dims, (size_t)pos->rank * sizeof(int64_t)))
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "pos and len must have one shape and dtype");
    int64_t dims[FERRY_MAX_RANK];
    int rank;
    if (!fy_broadcast_shape(dims, &rank, in, pos)) {
        char a[128], b[128];
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "shapes %s and %s do not broadcast",
                              fy_dims_str(a, sizeof a, in->dims, in->rank), fy_dims_str(b, sizeof b, pos->dims, pos->rank));
    }
    int64_t *p = NULL, *l = NULL;
    ferry_status st = fy_arr_read_index_list(ctx, pos, &p, "pos");
    if (!st)
        st = fy_arr_read_index_list(ctx, len, &l, "len");
    ferry_tensor *out = st ? NULL : fy_output_new(ctx, 0, FERRY_DT_STRING, dims, rank);
    if (!st && !out)
        st = FERRY_ERR_OUT_OF_MEMORY;
    if (!st && out->count) {
        fy_broadcast bc;
        fy_broadcast_init(&bc, in, pos, dims, rank);
        const ferry_string *s = in->data;
        FY_BROADCAST_LOOP(bc, i, si, pi) {
            if (st)
                break;
            const char *text = s[si].data;
            size_t n = s[si].size;
            int64_t size = utf8 ? utf8_length(text, n) : (int64_t)n, from = p[pi], take = l[pi];
            if (from < 0)
                from += size;
            if (from < 0 || from > size) {
                st = fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "pos %lld out of range for string b'%.*s' at index %lld",
                                    (long long)p[pi], (int)(n > 100 ? 100 : n), text, (long long)i);
                break;
            }
            if (take < 0)
                take = 0;
            if (take > size - from)
                take = size - from;
            int64_t a = utf8 ? utf8_offset(text, n, from) : from;
            int64_t b = utf8 ? utf8_offset(text, n, from + take) : from + take;
            st = fy_tensor_set_string(out, i, text + a, (size_t)(b - a), ctx->err);
        }
    }
    free(p);
    free(l);
    return st;
}

/* StringStrip(input): ASCII whitespace removed from both ends. */
static ferry_status k_string_strip(fy_kernel_ctx *ctx)
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
        size_t a, b;
        fy_trim_space(s[i].data, s[i].size, &a, &b);
        st = fy_tensor_set_string(out, i, s[i].data + a, b - a, ctx->err);
    }
    return st;
}

/* Joins the strings at the given element indices of s with sep into out[i]. */
static ferry_status join_into(fy_kernel_ctx *ctx, ferry_tensor *out, int64_t i, const ferry_string *s,
                              const int64_t *which, int64_t n, const char *sep, size_t sep_n)
{
    size_t total = 0;
    for (int64_t k = 0; k < n; k++)
        total += s[which[k]].size + (k ? sep_n : 0);
    char *text = malloc(total + 1);
    if (!text)
        return fy_kernel_fail(ctx, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    size_t at = 0;
    for (int64_t k = 0; k < n; k++) {
        if (k && sep_n) {
            memcpy(text + at, sep, sep_n);
            at += sep_n;
        }
        if (s[which[k]].size)
            memcpy(text + at, s[which[k]].data, s[which[k]].size);
        at += s[which[k]].size;
    }
    ferry_status st = fy_tensor_set_string(out, i, text, at, ctx->err);
    free(text);
    return st;
}

/* ReduceJoin(inputs, reduction_indices), keep_dims, separator: the strings
 * along the reduced dims joined, reducing one axis after another in the
 * order listed. */
static ferry_status k_reduce_join(fy_kernel_ctx *ctx)
{
    const ferry_tensor *in = fy_input(ctx, 0), *axes_t = in ? fy_input(ctx, 1) : NULL;
    if (!axes_t)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (in->dtype != FERRY_DT_STRING)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "inputs must be strings");
    int64_t axes[FERRY_MAX_RANK];
    int reduced[FERRY_MAX_RANK] = { 0 };
    if (axes_t->count > FERRY_MAX_RANK)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "too many reduction_indices");
    ferry_status st = fy_read_ints(ctx, axes_t, axes, FERRY_MAX_RANK, "reduction_indices");
    if (st)
        return st;
    for (int64_t k = 0; k < axes_t->count; k++) {
        int64_t a = axes[k];
        if (!fy_axis_in_rank(&a, in->rank))
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "Invalid reduction dimension %lld for input with %d dimensions",
                                  (long long)axes[k], in->rank);
        if (reduced[a]++)
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "Duplicate reduction dimension %lld", (long long)axes[k]);
    }
    int keep = fy_attr_bool(ctx->node, "keep_dims", 0);
    const char *sep;
    size_t sep_n;
    fy_attr_bytes(ctx->node, "separator", &sep, &sep_n);
    int64_t dims[FERRY_MAX_RANK], kept_dims[FERRY_MAX_RANK], red_dims[FERRY_MAX_RANK];
    int rank = 0, nk = 0, nr = 0;
    for (int d = 0; d < in->rank; d++) {
        if (!reduced[d] || keep)
            dims[rank++] = reduced[d] ? 1 : in->dims[d];
        if (reduced[d])
            red_dims[nr++] = in->dims[d];
        else
            kept_dims[nk++] = in->dims[d];
    }
    ferry_tensor *out = fy_output_new(ctx, 0, FERRY_DT_STRING, dims, rank);
    int64_t group = fy_arr_product(red_dims, 0, nr), outputs = fy_arr_product(kept_dims, 0, nk);
    int64_t *which = out ? malloc((size_t)(group + 1) * sizeof(int64_t)) : NULL;
    if (!which)
        return out ? fy_kernel_fail(ctx, FERRY_ERR_OUT_OF_MEMORY, "out of memory") : FERRY_ERR_OUT_OF_MEMORY;
    int64_t strides[FERRY_MAX_RANK];
    for (int d = in->rank - 1; d >= 0; d--)
        strides[d] = d == in->rank - 1 ? 1 : strides[d + 1] * in->dims[d + 1];
    for (int64_t o = 0; !st && o < outputs; o++) {
        /* the first element of this output's group: o over the kept dims */
        int64_t base = 0, ko = o;
        for (int d = in->rank - 1; d >= 0; d--)
            if (!reduced[d]) {
                base += ko % in->dims[d] * strides[d];
                ko /= in->dims[d];
            }
        /* the group in TF's order: one axis after another as listed, so the
         * first listed axis varies fastest */
        for (int64_t g = 0; g < group; g++) {
            int64_t at = base, kg = g;
            for (int64_t k = 0; k < axes_t->count; k++) {
                int64_t a = axes[k] < 0 ? axes[k] + in->rank : axes[k];
                at += kg % in->dims[a] * strides[a];
                kg /= in->dims[a];
            }
            which[g] = at;
        }
        st = join_into(ctx, out, o, in->data, which, group, sep, sep_n);
    }
    free(which);
    return st;
}

/* UnsortedSegmentJoin(inputs, segment_ids, num_segments), separator: the
 * strings of each segment joined in order; ids' shape a prefix of inputs',
 * every id in [0, num_segments) (TF refuses negative ones here). */
static ferry_status k_unsorted_segment_join(fy_kernel_ctx *ctx)
{
    const ferry_tensor *in = fy_input(ctx, 0), *ids = in ? fy_input(ctx, 1) : NULL;
    const ferry_tensor *num = ids ? fy_input(ctx, 2) : NULL;
    int64_t segments;
    if (!num)
        return FERRY_ERR_INVALID_ARGUMENT;
    ferry_status st = fy_arr_scalar_int(ctx, num, &segments, "num_segments");
    if (st)
        return st;
    int prefix = in->dtype == FERRY_DT_STRING && ids->rank <= in->rank && segments >= 0;
    for (int d = 0; prefix && d < ids->rank; d++)
        prefix = ids->dims[d] == in->dims[d];
    if (!prefix)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "segment_ids must be a prefix of the inputs' shape");
    const char *sep;
    size_t sep_n;
    fy_attr_bytes(ctx->node, "separator", &sep, &sep_n);
    int64_t inner = fy_arr_product(in->dims, ids->rank, in->rank), dims[FERRY_MAX_RANK];
    dims[0] = segments;
    memcpy(dims + 1, in->dims + ids->rank, (size_t)(in->rank - ids->rank) * sizeof(int64_t));
    int64_t *seg = NULL;
    if ((st = fy_arr_read_index_list(ctx, ids, &seg, "segment_ids")) != FERRY_OK)
        return st;
    for (int64_t r = 0; !st && r < ids->count; r++)
        if (seg[r] < 0 || seg[r] >= segments)
            st = fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT,
                                "segment_ids are not allowed to exceed num_segments or to have negative values "
                                "(segment_ids[%lld] = %lld, num_segments %lld)",
                                (long long)r, (long long)seg[r], (long long)segments);
    ferry_tensor *out = st ? NULL : fy_output_new(ctx, 0, FERRY_DT_STRING, dims, 1 + in->rank - ids->rank);
    int64_t *which = out ? malloc((size_t)(ids->count + 1) * sizeof(int64_t)) : NULL;
    if (!st && !which)
        st = out ? fy_kernel_fail(ctx, FERRY_ERR_OUT_OF_MEMORY, "out of memory") : FERRY_ERR_OUT_OF_MEMORY;
    for (int64_t s = 0; !st && s < segments; s++)
        for (int64_t k = 0; !st && k < inner; k++) {
            int64_t n = 0;
            for (int64_t r = 0; r < ids->count; r++)
                if (seg[r] == s)
                    which[n++] = r * inner + k;
            st = join_into(ctx, out, s * inner + k, in->data, which, n, sep, sep_n);
        }
    free(which);
    free(seg);
    return st;
}

const fy_op_def fy_kernels_string_edit[] = {
    { .name = "Substr", .run = k_substr, .shape = fy_shape_broadcast },
    { .name = "StringStrip", .run = k_string_strip, .shape = fy_shape_same },
    { .name = "ReduceJoin", .run = k_reduce_join, .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = "UnsortedSegmentJoin", .run = k_unsorted_segment_join, .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = NULL },
};
