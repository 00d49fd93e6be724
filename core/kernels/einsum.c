/* Einsum over one or two operands, with ellipses and implicit outputs.
 * Two operands are arranged (transposed, their private labels summed away)
 * into [batch, free, contracted] and [batch, contracted, free] and
 * multiplied as a batched GEMM; the result is transposed into the output's
 * order when it is not already in it. Repeated labels within one operand
 * (diagonals) are not supported. */
#include <stdlib.h>
#include <string.h>

#include "kernels/nn_internal.h"

/* Letters get codes in ASCII order (A-Z then a-z); ellipsis dims follow,
 * aligned from the right across operands as broadcasting aligns them. */
#define LETTERS 52
#define CODES (LETTERS + FERRY_MAX_RANK)

typedef struct operand {
    int rank;
    int labels[FERRY_MAX_RANK];
    const int64_t *dims;
} operand;

typedef struct einsum {
    int n;                      /* operands: 1 or 2 */
    operand in[2];
    int out_rank;
    int out_labels[FERRY_MAX_RANK];
    int64_t size[CODES];        /* a label's (broadcast) size; -1 when unused */
    int where[CODES];           /* bit i: in operand i; bit 2: in the output */
} einsum;

static int letter_code(char c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' : c >= 'a' && c <= 'z' ? 26 + c - 'a' : -1;
}

/* Splits one operand's subscripts (len chars) into codes; *ell is the
 * index of its ellipsis among its labels, -1 when it has none. */
static ferry_status parse_term(fy_kernel_ctx *ctx, const char *s, size_t len, int *codes, int *count, int *ell)
{
    *count = 0;
    *ell = -1;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '.' && i + 2 < len && s[i + 1] == '.' && s[i + 2] == '.' && *ell < 0) {
            *ell = *count;
            i += 2;
            continue;
        }
        int c = letter_code(s[i]);
        if (c < 0 || *count == FERRY_MAX_RANK)
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "bad subscripts '%.*s'", (int)len, s);
        codes[(*count)++] = c;
    }
    return FERRY_OK;
}

/* Expands a term's ellipsis into `span` ellipsis codes aligned right of
 * `width` (the widest ellipsis). Fails when the result is too long. */
static int expand(int *labels, const int *codes, int count, int ell, int span, int width)
{
    if (count + span > FERRY_MAX_RANK)
        return 0;
    int r = 0;
    for (int i = 0; i <= count; i++) {
        for (int j = 0; i == ell && j < span; j++)
            labels[r++] = LETTERS + width - span + j;
        if (i < count)
            labels[r++] = codes[i];
    }
    return 1;
}

static ferry_status note_sizes(fy_kernel_ctx *ctx, einsum *e, int op)
{
    const operand *o = &e->in[op];
    for (int d = 0; d < o->rank; d++) {
        int c = o->labels[d];
        if (e->where[c] & (1 << op))
            return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "repeated labels within one operand");
        e->where[c] |= 1 << op;
        int64_t s = o->dims[d];
        if (e->size[c] >= 0 && e->size[c] != s && !(c >= LETTERS && (s == 1 || e->size[c] == 1)))
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "label sizes %lld and %lld disagree",
                                  (long long)e->size[c], (long long)s);
        if (e->size[c] < 0 || e->size[c] == 1) /* unseen, or broadcast */
            e->size[c] = s;
    }
    return FERRY_OK;
}

/* The implicit output: the ellipsis, then letters used once, in order. */
static void implicit_output(einsum *e, int width)
{
    int uses[CODES] = { 0 };
    for (int i = 0; i < e->n; i++)
        for (int d = 0; d < e->in[i].rank; d++)
            uses[e->in[i].labels[d]]++;
    e->out_rank = 0;
    for (int c = LETTERS; c < LETTERS + width; c++)
        e->out_labels[e->out_rank++] = c;
    for (int c = 0; c < LETTERS; c++)
        if (uses[c] == 1)
            e->out_labels[e->out_rank++] = c;
}

static ferry_status parse(fy_kernel_ctx *ctx, einsum *e, const ferry_tensor *const *t)
{
    char raw[512], eq[512];
    const Tensorflow__AttrValue *v = fy_node_attr(ctx->node, "equation");
    if (v && v->value_case == TENSORFLOW__ATTR_VALUE__VALUE_S && v->s.len >= sizeof(raw))
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "the equation is too long");
    const char *s = fy_attr_enum(ctx, "equation", raw, sizeof(raw), NULL);
    if (!s)
        return FERRY_ERR_INVALID_ARGUMENT;
    size_t n = 0;
    for (; *s; s++)
        if (*s != ' ')
            eq[n++] = *s;
    eq[n] = '\0';
    const char *arrow = strstr(eq, "->"), *end = arrow ? arrow : eq + n, *p = eq;
    int codes[2][FERRY_MAX_RANK], count[2], ell[2], width = 0;
    for (int i = 0; i < e->n; i++) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *stop = comma && i + 1 < e->n ? comma : end;
        if ((i + 1 < e->n) != (comma != NULL))
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "equation '%s' does not have %d operands", eq, e->n);
        ferry_status st = parse_term(ctx, p, (size_t)(stop - p), codes[i], &count[i], &ell[i]);
        if (st)
            return st;
        int span = t[i]->rank - count[i];
        if (span < 0 || (ell[i] < 0 && span != 0))
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "operand %d has rank %d, unlike '%.*s'", i,
                                  t[i]->rank, (int)(stop - p), p);
        width = span > width ? span : width;
        p = stop + 1;
    }
    for (int c = 0; c < CODES; c++)
        e->size[c] = -1;
    for (int i = 0; i < e->n; i++) {
        e->in[i].rank = t[i]->rank;
        e->in[i].dims = t[i]->dims;
        expand(e->in[i].labels, codes[i], count[i], ell[i], t[i]->rank - count[i], width);
        ferry_status st = note_sizes(ctx, e, i);
        if (st)
            return st;
    }
    if (!arrow) {
        implicit_output(e, width);
        return FERRY_OK;
    }
    int oc[FERRY_MAX_RANK], on, oe;
    ferry_status st = parse_term(ctx, arrow + 2, strlen(arrow + 2), oc, &on, &oe);
    if (st)
        return st;
    if (!expand(e->out_labels, oc, on, oe, oe < 0 ? 0 : width, width))
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "the output has too many dims");
    e->out_rank = on + (oe < 0 ? 0 : width);
    for (int d = 0; d < e->out_rank; d++) {
        int c = e->out_labels[d];
        if (!(e->where[c] & 3) || (e->where[c] & 4))
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "output label %d is unknown or repeated", d);
        e->where[c] |= 4;
    }
    return FERRY_OK;
}

/* Sums each run of n consecutive elements into one, in place (n >= 1). */
static void sum_runs(ferry_dtype ct, void *buf, int64_t runs, int64_t n)
{
    for (int64_t r = 0; r < runs; r++) {
        if (ct == FERRY_DT_INT64) {
            int64_t *v = (int64_t *)buf + r * n;
            uint64_t acc = 0;
            for (int64_t j = 0; j < n; j++)
                acc += (uint64_t)v[j];
            ((int64_t *)buf)[r] = (int64_t)acc;
        } else if (ct == FERRY_DT_FLOAT) {
            const float *v = (float *)buf + r * n;
            double acc = 0;
            for (int64_t j = 0; j < n; j++)
                acc += v[j];
            ((float *)buf)[r] = (float)acc;
        } else {
            const double *v = (double *)buf + r * n;
            double acc = 0;
            for (int64_t j = 0; j < n; j++)
                acc += v[j];
            ((double *)buf)[r] = acc;
        }
    }
}

/* An operand's data in the label order `want`, its labels past `keep`
 * summed away. *own is NULL when the data already is in that order. */
static ferry_status arrange(fy_kernel_ctx *ctx, const operand *o, ferry_dtype ct, const void *data, const int *want,
                            int keep, const void **out, void **own)
{
    int perm[FERRY_MAX_RANK], identity = keep == o->rank;
    int64_t count = 1, kept = 1;
    for (int i = 0; i < o->rank; i++) {
        for (perm[i] = 0; o->labels[perm[i]] != want[i]; perm[i]++)
            ;
        identity &= perm[i] == i;
        count *= o->dims[i];
        if (i < keep)
            kept = fy_mul_sizes(kept, o->dims[perm[i]]);
    }
    *out = data;
    *own = NULL;
    if (identity)
        return FERRY_OK;
    if (kept < 0)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "an operand is too large");
    size_t elem = ferry_dtype_size(ct);
    void *buf = fy_nn_alloc(ctx, count ? count : kept, elem);
    if (!buf)
        return FERRY_ERR_OUT_OF_MEMORY;
    if (count == 0) /* nothing kept, or sums over nothing: zeros */
        memset(buf, 0, (size_t)kept * elem);
    else
        fy_nn_transpose(buf, data, elem, o->dims, o->rank, perm);
    if (count && count > kept)
        sum_runs(ct, buf, kept, count / kept);
    *out = *own = buf;
    return FERRY_OK;
}

static int same_labels(const int *a, const int *b, int n)
{
    return !memcmp(a, b, (size_t)n * sizeof(int));
}

/* One operand: transpose into the output order, summing the rest. */
static ferry_status einsum_one(fy_kernel_ctx *ctx, const einsum *e, ferry_dtype ct, const void *x, void *y,
                               int64_t out_count)
{
    int want[FERRY_MAX_RANK], n = e->out_rank;
    memcpy(want, e->out_labels, (size_t)n * sizeof(int));
    for (int d = 0; d < e->in[0].rank; d++)
        if (!(e->where[e->in[0].labels[d]] & 4))
            want[n++] = e->in[0].labels[d];
    const void *r;
    void *own;
    ferry_status st = arrange(ctx, &e->in[0], ct, x, want, e->out_rank, &r, &own);
    if (!st)
        memcpy(y, r, (size_t)out_count * ferry_dtype_size(ct));
    free(own);
    return st;
}

/* The label groups of a two-operand einsum with `l` as the left operand. */
typedef struct groups {
    int batch[FERRY_MAX_RANK], nb;
    int free_l[FERRY_MAX_RANK], nl;
    int contract[FERRY_MAX_RANK], nk;
    int free_r[FERRY_MAX_RANK], nr;
    int result[FERRY_MAX_RANK];  /* batch, free_l, free_r */
} groups;

static void make_groups(const einsum *e, int l, groups *g)
{
    int lb = 1 << l, rb = 1 << (1 - l);
    g->nb = g->nl = g->nk = g->nr = 0;
    for (int d = 0; d < e->out_rank; d++) {
        int c = e->out_labels[d], w = e->where[c];
        if ((w & lb) && (w & rb))
            g->batch[g->nb++] = c;
        else if (w & lb)
            g->free_l[g->nl++] = c;
        else
            g->free_r[g->nr++] = c;
    }
    for (int d = 0; d < e->in[l].rank; d++) {
        int c = e->in[l].labels[d];
        if ((e->where[c] & rb) && !(e->where[c] & 4))
            g->contract[g->nk++] = c;
    }
    memcpy(g->result, g->batch, (size_t)g->nb * sizeof(int));
    memcpy(g->result + g->nb, g->free_l, (size_t)g->nl * sizeof(int));
    memcpy(g->result + g->nb + g->nl, g->free_r, (size_t)g->nr * sizeof(int));
}

/* Concatenates label lists into want; returns their total. */
static int concat(int *want, const int *a, int na, const int *b, int nb, const int *c, int nc)
{
    memcpy(want, a, (size_t)na * sizeof(int));
    memcpy(want + na, b, (size_t)nb * sizeof(int));
    memcpy(want + na + nb, c, (size_t)nc * sizeof(int));
    return na + nb + nc;
}

/* Arranges an operand as [batch, outer, inner] or, when that would need a
 * copy and [batch, inner, outer] would not, the latter (*transposed set). */
static ferry_status arrange_side(fy_kernel_ctx *ctx, const einsum *e, const groups *g, int op, const int *outer,
                                 int no, const int *inner, int ni, ferry_dtype ct, const void *data, const void **out,
                                 void **own, int *transposed)
{
    const operand *o = &e->in[op];
    int want[FERRY_MAX_RANK], alt[FERRY_MAX_RANK];
    int keep = concat(want, g->batch, g->nb, outer, no, inner, ni);
    concat(alt, g->batch, g->nb, inner, ni, outer, no);
    int n = keep;
    for (int d = 0; d < o->rank; d++)
        if (!(e->where[o->labels[d]] & (4 | (1 << (1 - op))))) {
            want[n] = alt[n] = o->labels[d];
            n++;
        }
    *transposed = keep == o->rank && !same_labels(want, o->labels, n) && same_labels(alt, o->labels, n);
    return arrange(ctx, o, ct, data, *transposed ? alt : want, keep, out, own);
}

/* The product of the labels' sizes; -1 when it overflows. */
static int64_t product_of(const einsum *e, const int *labels, int n)
{
    int64_t p = 1;
    for (int i = 0; i < n; i++)
        p = fy_mul_sizes(p, e->size[labels[i]]);
    return p;
}

static int64_t dim_of(const operand *o, int code)
{
    int d = 0;
    while (o->labels[d] != code)
        d++;
    return o->dims[d];
}

/* The groups for whichever operand order yields the output's order. */
static int choose_left(const einsum *e, groups *g)
{
    make_groups(e, 0, g);
    if (same_labels(g->result, e->out_labels, e->out_rank))
        return 0;
    groups swapped;
    make_groups(e, 1, &swapped);
    if (!same_labels(swapped.result, e->out_labels, e->out_rank))
        return 0;
    *g = swapped;
    return 1;
}

/* The product's shape: batch dims may broadcast, contracted ones not. */
static ferry_status product_shape(fy_kernel_ctx *ctx, const einsum *e, const groups *g, int l, fy_nn_bmm *p)
{
    const operand *left = &e->in[l], *right = &e->in[1 - l];
    int64_t lb[FERRY_MAX_RANK], rb[FERRY_MAX_RANK];
    for (int i = 0; i < g->nk; i++)
        if (dim_of(left, g->contract[i]) != dim_of(right, g->contract[i]))
            return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "summing over a broadcast dimension");
    for (int i = 0; i < g->nb; i++) {
        lb[i] = dim_of(left, g->batch[i]);
        rb[i] = dim_of(right, g->batch[i]);
    }
    fy_nn_bmm_batch(p, lb, g->nb, rb, g->nb);
    p->m = product_of(e, g->free_l, g->nl);
    p->k = product_of(e, g->contract, g->nk);
    p->n = product_of(e, g->free_r, g->nr);
    if (p->m < 0 || p->k < 0 || p->n < 0)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "the operands are too large");
    return FERRY_OK;
}

/* y (the output's order) = the product's result, transposed. */
static void to_output(const einsum *e, const groups *g, ferry_dtype ct, const void *c, void *y)
{
    int64_t dims[FERRY_MAX_RANK];
    int perm[FERRY_MAX_RANK];
    for (int d = 0; d < e->out_rank; d++) {
        dims[d] = e->size[g->result[d]];
        for (perm[d] = 0; g->result[perm[d]] != e->out_labels[d]; perm[d]++)
            ;
    }
    fy_nn_transpose(y, c, ferry_dtype_size(ct), dims, e->out_rank, perm);
}

static ferry_status einsum_two(fy_kernel_ctx *ctx, const einsum *e, ferry_dtype ct, const void *const *x, void *y,
                               int64_t out_count)
{
    groups g;
    int l = choose_left(e, &g);
    fy_nn_bmm p = { .dtype = ct };
    ferry_status st = product_shape(ctx, e, &g, l, &p);
    if (st)
        return st;
    const void *a = NULL, *b = NULL;
    void *a_own = NULL, *b_own = NULL, *c_own = NULL;
    st = arrange_side(ctx, e, &g, l, g.free_l, g.nl, g.contract, g.nk, ct, x[l], &a, &a_own, &p.ta);
    if (!st)
        st = arrange_side(ctx, e, &g, 1 - l, g.contract, g.nk, g.free_r, g.nr, ct, x[1 - l], &b, &b_own, &p.tb);
    int direct = same_labels(g.result, e->out_labels, e->out_rank);
    void *c = y;
    if (!st && !direct && !(c = c_own = fy_nn_alloc(ctx, out_count, ferry_dtype_size(ct))))
        st = FERRY_ERR_OUT_OF_MEMORY;
    if (!st)
        st = fy_nn_bmm_run(ctx, &p, a, b, c);
    if (!st && !direct)
        to_output(e, &g, ct, c, y);
    free(a_own);
    free(b_own);
    free(c_own);
    return st;
}

ferry_status fy_nn_einsum(fy_kernel_ctx *ctx)
{
    const ferry_tensor *t[2];
    if (ctx->input_count < 1 || ctx->input_count > 2)
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "%d operands", ctx->input_count);
    for (int i = 0; i < ctx->input_count; i++)
        if (!(t[i] = fy_input(ctx, i)))
            return FERRY_ERR_INVALID_ARGUMENT;
    ferry_dtype dtype = t[0]->dtype, ct = fy_nn_compute_type(dtype);
    if (ct == FERRY_DT_INVALID || dtype == FERRY_DT_BOOL || (ctx->input_count == 2 && t[1]->dtype != dtype))
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "not defined for %s", ferry_dtype_name(dtype));
    einsum e;
    memset(&e, 0, sizeof(e));
    e.n = ctx->input_count;
    ferry_status st = parse(ctx, &e, t);
    if (st)
        return st;
    int64_t dims[FERRY_MAX_RANK];
    for (int d = 0; d < e.out_rank; d++)
        dims[d] = e.size[e.out_labels[d]];
    ferry_tensor *out = fy_output_new(ctx, 0, dtype, dims, e.out_rank);
    if (!out)
        return FERRY_ERR_OUT_OF_MEMORY;
    if (out->count == 0)
        return FERRY_OK;
    const void *x[2] = { NULL, NULL };
    void *own[2] = { NULL, NULL }, *y, *y_own = NULL;
    for (int i = 0; !st && i < e.n; i++)
        st = fy_nn_load(ctx, t[i], ct, &x[i], &own[i]);
    if (!st)
        st = fy_nn_out_buffer(ctx, out, ct, &y, &y_own);
    if (!st)
        st = e.n == 1 ? einsum_one(ctx, &e, ct, x[0], y, out->count) : einsum_two(ctx, &e, ct, x, y, out->count);
    if (!st)
        fy_nn_commit(out, y_own, ct);
    else
        free(y_own);
    free(own[0]);
    free(own[1]);
    return st;
}
