/* The shape rules ops share (kernels/shape.h). Each derives what it can and
 * leaves the rest unknown; a rule fails only when shapes known before any
 * run contradict each other (a MatMul whose inner dims differ, operands
 * that cannot broadcast, a Reshape to another element count). */
#include "kernels/shape.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "base/tensor.h"
#include "kernels/kernel.h"

ferry_status fy_shape_contradiction(fy_shape_ctx *c, const char *fmt, const fy_shape *a, const fy_shape *b)
{
    char x[160] = "", y[160] = "";
    if (a)
        fy_shape_format(x, sizeof(x), a->dims, a->rank);
    if (b)
        fy_shape_format(y, sizeof(y), b->dims, b->rank);
    char what[400];
    snprintf(what, sizeof(what), fmt, x, y);
    return fy_fail(c->err, FERRY_ERR_INVALID_ARGUMENT, "%s: node '%s' (%s): %s", c->what, c->n->name, c->n->op, what);
}

static fy_shape shape_of(int rank, const int64_t *dims)
{
    fy_shape s = { .rank = rank };
    for (int i = 0; i < rank; i++)
        s.dims[i] = dims ? dims[i] : -1;
    return s;
}

fy_shape fy_static_shape_of(const Tensorflow__TensorShapeProto *p)
{
    if (!p || p->unknown_rank || p->n_dim > FERRY_MAX_RANK)
        return FY_UNKNOWN_SHAPE;
    fy_shape s = { .rank = (int)p->n_dim };
    for (size_t i = 0; i < p->n_dim; i++)
        s.dims[i] = p->dim[i]->size < 0 ? -1 : p->dim[i]->size;
    return s;
}

int64_t fy_shape_elements(const fy_shape *s)
{
    if (s->rank < 0)
        return -1;
    int64_t n = 1;
    for (int i = 0; i < s->rank; i++) {
        if (s->dims[i] < 0)
            return -1;
        if (s->dims[i] && n > INT64_MAX / s->dims[i])
            return -1;
        n *= s->dims[i];
    }
    return n;
}

int fy_shape_const_ints(const fy_shape_ctx *c, int i, int64_t *out, int cap)
{
    const ferry_tensor *t = i < c->input_count ? c->in_values[i] : NULL;
    if (!t || t->rank > 1 || t->count > cap || (t->dtype != FERRY_DT_INT32 && t->dtype != FERRY_DT_INT64))
        return -1;
    for (int64_t k = 0; k < t->count; k++)
        out[k] = t->dtype == FERRY_DT_INT32 ? ((const int32_t *)t->data)[k] : ((const int64_t *)t->data)[k];
    return (int)t->count;
}

ferry_status fy_shape_merge(fy_shape_ctx *c, const fy_shape *a, const fy_shape *b, fy_shape *out)
{
    if (a->rank < 0 || b->rank < 0) {
        *out = a->rank < 0 ? *b : *a;
        return FERRY_OK;
    }
    if (a->rank != b->rank)
        return fy_shape_contradiction(c, "shapes %s and %s must be equal", a, b);
    fy_shape m = *a;
    for (int i = 0; i < a->rank; i++) {
        if (a->dims[i] >= 0 && b->dims[i] >= 0 && a->dims[i] != b->dims[i])
            return fy_shape_contradiction(c, "shapes %s and %s must be equal", a, b);
        if (m.dims[i] < 0)
            m.dims[i] = b->dims[i];
    }
    *out = m;
    return FERRY_OK;
}

ferry_status fy_shape_broadcast2(fy_shape_ctx *c, const fy_shape *a, const fy_shape *b, fy_shape *out)
{
    if (a->rank < 0 || b->rank < 0) {
        *out = FY_UNKNOWN_SHAPE;
        return FERRY_OK;
    }
    fy_shape r = { .rank = a->rank > b->rank ? a->rank : b->rank };
    for (int i = 0; i < r.rank; i++) {
        int ia = a->rank - r.rank + i, ib = b->rank - r.rank + i;
        int64_t x = ia >= 0 ? a->dims[ia] : 1, y = ib >= 0 ? b->dims[ib] : 1;
        if (x == 1)
            r.dims[i] = y;
        else if (y == 1)
            r.dims[i] = x;
        else if (x < 0 || y < 0)
            r.dims[i] = x < 0 ? y : x; /* the unknown one is 1 or the same */
        else if (x == y)
            r.dims[i] = x;
        else
            return fy_shape_contradiction(c, "shapes %s and %s cannot broadcast", a, b);
    }
    *out = r;
    return FERRY_OK;
}

ferry_status fy_shape_same(fy_shape_ctx *c)
{
    if (c->input_count > 0)
        c->out[0] = c->in[0];
    return FERRY_OK;
}

ferry_status fy_shape_like_input1(fy_shape_ctx *c)
{
    if (c->input_count > 1)
        c->out[0] = c->in[1];
    return FERRY_OK;
}

ferry_status fy_shape_same_n(fy_shape_ctx *c)
{
    for (int i = 0; i < c->input_count && i < c->outs; i++)
        c->out[i] = c->in[i];
    return FERRY_OK;
}

ferry_status fy_shape_broadcast(fy_shape_ctx *c)
{
    /* As TensorFlow's import: these ops name their dtype (LogicalAnd and
     * LogicalOr have none to name). */
    if (!fy_node_attr(c->n, "T") && strncmp(c->n->op, "Logical", 7) != 0)
        return fy_fail(c->err, FERRY_ERR_INVALID_ARGUMENT, "%s: node '%s' (%s) lacks its dtype attr 'T'", c->what,
                       c->n->name, c->n->op);
    return c->input_count == 2 ? fy_shape_broadcast2(c, &c->in[0], &c->in[1], &c->out[0]) : FERRY_OK;
}

ferry_status fy_shape_all_equal(fy_shape_ctx *c)
{
    fy_shape r = FY_UNKNOWN_SHAPE;
    for (int i = 0; i < c->input_count; i++) {
        ferry_status st = fy_shape_merge(c, &r, &c->in[i], &r);
        if (st)
            return st;
    }
    c->out[0] = r;
    return FERRY_OK;
}

ferry_status fy_shape_scalar(fy_shape_ctx *c)
{
    c->out[0] = shape_of(0, NULL);
    return FERRY_OK;
}

static fy_shape declared(const fy_node *n)
{
    const Tensorflow__AttrValue *v = fy_node_attr(n, "shape");
    return v && v->value_case == TENSORFLOW__ATTR_VALUE__VALUE_SHAPE ? fy_static_shape_of(v->shape) : FY_UNKNOWN_SHAPE;
}

ferry_status fy_shape_declared(fy_shape_ctx *c)
{
    c->out[0] = declared(c->n);
    return FERRY_OK;
}

ferry_status fy_shape_with_default(fy_shape_ctx *c)
{
    fy_shape d = declared(c->n);
    if (c->input_count < 1) {
        c->out[0] = d;
        return FERRY_OK;
    }
    return fy_shape_merge(c, &d, &c->in[0], &c->out[0]);
}

ferry_status fy_shape_from_value(fy_shape_ctx *c)
{
    const Tensorflow__AttrValue *v = fy_node_attr(c->n, "value");
    if (v && v->value_case == TENSORFLOW__ATTR_VALUE__VALUE_TENSOR)
        c->out[0] = fy_static_shape_of(v->tensor->tensor_shape);
    return FERRY_OK;
}

static ferry_status matmul(fy_shape_ctx *c, int batched, const char *ta_attr, const char *tb_attr)
{
    if (c->input_count < 2)
        return FERRY_OK;
    const fy_shape *a = &c->in[0], *b = &c->in[1];
    int ta = fy_attr_bool(c->n, ta_attr, 0), tb = fy_attr_bool(c->n, tb_attr, 0);
    if (a->rank < 0 || b->rank < 0)
        return FERRY_OK;
    if ((!batched && (a->rank != 2 || b->rank != 2)) || a->rank < 2 || b->rank < 2)
        return fy_shape_contradiction(c, "operands %s and %s are not matrices", a, b);
    int64_t m = a->dims[a->rank - (ta ? 1 : 2)], ka = a->dims[a->rank - (ta ? 2 : 1)];
    int64_t kb = b->dims[b->rank - (tb ? 1 : 2)], n = b->dims[b->rank - (tb ? 2 : 1)];
    if (ka >= 0 && kb >= 0 && ka != kb)
        return fy_shape_contradiction(c, "inner dimensions of %s and %s differ", a, b);
    fy_shape batch_a = shape_of(a->rank - 2, a->dims), batch_b = shape_of(b->rank - 2, b->dims), r;
    ferry_status st = batched ? fy_shape_broadcast2(c, &batch_a, &batch_b, &r) : (r = shape_of(0, NULL), FERRY_OK);
    if (st || r.rank < 0)
        return st;
    r.dims[r.rank++] = m;
    r.dims[r.rank++] = n;
    c->out[0] = r;
    return FERRY_OK;
}

ferry_status fy_shape_matmul(fy_shape_ctx *c)
{
    return matmul(c, 0, "transpose_a", "transpose_b");
}

ferry_status fy_shape_batch_matmul(fy_shape_ctx *c)
{
    return matmul(c, 1, "adj_x", "adj_y");
}

static int data_format_nchw(const fy_node *n)
{
    char buf[16];
    const char *f = fy_attr_string(n, "data_format", buf, sizeof(buf), "NHWC");
    return f[0] == 'N' && f[1] == 'C';
}

/* Output size of one spatial dim of a window op. */
static int64_t window_out(int64_t in, int64_t k, int64_t stride, int64_t dilation, int same)
{
    if (in < 0 || k < 1 || stride <= 0 || dilation <= 0)
        return -1;
    if (same)
        return in / stride + (in % stride != 0);
    if (k > 1 && dilation > (INT64_MAX - 1) / (k - 1))
        return -1; /* a window no input fits; the kernel says so */
    int64_t span = (k - 1) * dilation + 1;
    return in >= span ? (in - span) / stride + 1 : 0;
}

typedef enum window_kind { WINDOW_CONV, WINDOW_DEPTHWISE, WINDOW_POOL } window_kind;

/* Rank-4 window ops, NHWC or NCHW. */
static ferry_status window(fy_shape_ctx *c, window_kind kind)
{
    if (c->input_count < (kind == WINDOW_POOL ? 1 : 2))
        return FERRY_OK;
    const fy_shape *x = &c->in[0];
    char pad[16];
    const char *padding = fy_attr_string(c->n, "padding", pad, sizeof(pad), "VALID");
    char format[16];
    const char *f = fy_attr_string(c->n, "data_format", format, sizeof(format), "NHWC");
    /* EXPLICIT, or a value the kernel refuses with its own message. */
    if (x->rank < 0 || (strcmp(padding, "SAME") && strcmp(padding, "VALID")) ||
        (strcmp(f, "NHWC") && strcmp(f, "NCHW")))
        return FERRY_OK;
    if (x->rank != 4)
        return fy_shape_contradiction(c, "input %s is not of rank 4%s", x, NULL);
    int nchw = data_format_nchw(c->n), h = nchw ? 2 : 1, ch = nchw ? 1 : 3;
    size_t ns = 0, nd = 0, nk = 0;
    const int64_t *strides = fy_attr_ints(c->n, "strides", &ns);
    const int64_t *dil = fy_attr_ints(c->n, "dilations", &nd);
    const int64_t *ksize = kind == WINDOW_POOL ? fy_attr_ints(c->n, "ksize", &nk) : NULL;
    if (!strides || ns != 4 || (kind == WINDOW_POOL && (!ksize || nk != 4)) || (dil && nd != 4))
        return FERRY_OK;
    int64_t k[2] = { -1, -1 }, cout = x->dims[ch];
    if (kind != WINDOW_POOL) {
        const fy_shape *f = &c->in[1];
        if (f->rank < 0)
            return FERRY_OK;
        if (f->rank != 4)
            return fy_shape_contradiction(c, "filter %s is not of rank 4%s", f, NULL);
        k[0] = f->dims[0];
        k[1] = f->dims[1];
        int64_t cin = x->dims[ch], fin = f->dims[2];
        if (kind == WINDOW_CONV) {
            if (cin >= 0 && fin > 0 && cin % fin != 0)
                return fy_shape_contradiction(c, "input %s has channels the filter %s cannot group", x, f);
            cout = f->dims[3];
        } else {
            if (cin >= 0 && fin >= 0 && cin != fin)
                return fy_shape_contradiction(c, "input %s and filter %s differ in channels", x, f);
            cout = cin >= 0 && f->dims[3] >= 0 && (cin == 0 || f->dims[3] <= INT64_MAX / cin) ? cin * f->dims[3] : -1;
        }
    } else {
        k[0] = ksize[h];
        k[1] = ksize[h + 1];
    }
    fy_shape r = *x;
    for (int i = 0; i < 2; i++)
        r.dims[h + i] = window_out(x->dims[h + i], k[i], strides[h + i], dil ? dil[h + i] : 1, !strcmp(padding, "SAME"));
    r.dims[ch] = cout;
    c->out[0] = r;
    return FERRY_OK;
}

ferry_status fy_shape_conv2d(fy_shape_ctx *c)
{
    return window(c, WINDOW_CONV);
}

ferry_status fy_shape_depthwise(fy_shape_ctx *c)
{
    return window(c, WINDOW_DEPTHWISE);
}

ferry_status fy_shape_pool(fy_shape_ctx *c)
{
    return window(c, WINDOW_POOL);
}

ferry_status fy_shape_reshape(fy_shape_ctx *c)
{
    int64_t want[FERRY_MAX_RANK];
    int rank = fy_shape_const_ints(c, 1, want, FERRY_MAX_RANK);
    if (rank < 0)
        return FERRY_OK;
    fy_shape r = { .rank = rank };
    int unknown_at = -1;
    int64_t known = 1;
    for (int i = 0; i < rank; i++) {
        r.dims[i] = want[i] < 0 ? -1 : want[i];
        if (want[i] < 0)
            unknown_at = i;
        else if (want[i] && known > INT64_MAX / want[i])
            return FERRY_OK; /* the kernel reports it */
        else
            known *= want[i];
    }
    int64_t have = fy_shape_elements(&c->in[0]);
    if (have >= 0 && unknown_at >= 0 && known > 0 && have % known == 0)
        r.dims[unknown_at] = have / known;
    else if (have >= 0 && unknown_at < 0 && have != known)
        return fy_shape_contradiction(c, "cannot reshape %s to %s", &c->in[0], &r);
    c->out[0] = r;
    return FERRY_OK;
}

ferry_status fy_shape_transpose(fy_shape_ctx *c)
{
    int64_t perm[FERRY_MAX_RANK];
    int rank = fy_shape_const_ints(c, 1, perm, FERRY_MAX_RANK);
    const fy_shape *x = &c->in[0];
    if (rank < 0 || x->rank < 0 || rank != x->rank)
        return FERRY_OK; /* the kernel reports a mismatch */
    fy_shape r = { .rank = rank };
    for (int i = 0; i < rank; i++) {
        if (perm[i] < 0 || perm[i] >= rank)
            return FERRY_OK;
        r.dims[i] = x->dims[perm[i]];
    }
    c->out[0] = r;
    return FERRY_OK;
}

ferry_status fy_shape_concat(fy_shape_ctx *c)
{
    int nvals = c->input_count - 1;
    int64_t axis;
    if (nvals < 1 || fy_shape_const_ints(c, nvals, &axis, 1) != 1)
        return FERRY_OK;
    int rank = -1;
    for (int i = 0; i < nvals && rank < 0; i++)
        rank = c->in[i].rank;
    if (rank < 0)
        return FERRY_OK;
    if (axis < 0)
        axis += rank;
    if (axis < 0 || axis >= rank)
        return FERRY_OK;
    fy_shape r = { .rank = rank };
    for (int d = 0; d < rank; d++)
        r.dims[d] = d == axis ? 0 : -1;
    for (int i = 0; i < nvals; i++) {
        const fy_shape *s = &c->in[i];
        if (s->rank < 0) {
            r.dims[axis] = -1;
            continue;
        }
        if (s->rank != rank)
            return fy_shape_contradiction(c, "concatenates %s with %s, of another rank", &c->in[0], s);
        for (int d = 0; d < rank; d++) {
            if (d == (int)axis) {
                /* unknown when it would pass int64 (the kernel refuses that) */
                r.dims[d] = r.dims[d] < 0 || s->dims[d] < 0 || s->dims[d] > INT64_MAX - r.dims[d] ? -1
                                                                                            : r.dims[d] + s->dims[d];
            } else if (s->dims[d] >= 0) {
                if (r.dims[d] >= 0 && r.dims[d] != s->dims[d])
                    return fy_shape_contradiction(c, "concatenates %s with %s, which differ off the axis", &r, s);
                r.dims[d] = s->dims[d];
            }
        }
    }
    c->out[0] = r;
    return FERRY_OK;
}

static ferry_status reduce(fy_shape_ctx *c, int keep)
{
    if (c->input_count != 2)
        return FERRY_OK;
    const fy_shape *x = &c->in[0];
    int64_t axes[FERRY_MAX_RANK];
    int n = fy_shape_const_ints(c, 1, axes, FERRY_MAX_RANK);
    if (n < 0 || x->rank < 0)
        return FERRY_OK;
    int gone[FERRY_MAX_RANK] = { 0 };
    for (int i = 0; i < n; i++) {
        int64_t a = axes[i] < 0 ? axes[i] + x->rank : axes[i];
        if (a < 0 || a >= x->rank)
            return FERRY_OK; /* the kernel reports it */
        gone[a] = 1;
    }
    fy_shape r = { .rank = 0 };
    for (int d = 0; d < x->rank; d++)
        if (!gone[d])
            r.dims[r.rank++] = x->dims[d];
        else if (keep)
            r.dims[r.rank++] = 1;
    c->out[0] = r;
    return FERRY_OK;
}

ferry_status fy_shape_reduce(fy_shape_ctx *c)
{
    return reduce(c, fy_attr_bool(c->n, "keep_dims", 0));
}

ferry_status fy_shape_arg_reduce(fy_shape_ctx *c)
{
    return reduce(c, 0);
}

ferry_status fy_shape_expand_dims(fy_shape_ctx *c)
{
    const fy_shape *x = &c->in[0];
    int64_t axis;
    if (c->input_count != 2 || x->rank < 0 || x->rank >= FERRY_MAX_RANK || fy_shape_const_ints(c, 1, &axis, 1) != 1)
        return FERRY_OK;
    if (axis < 0)
        axis += x->rank + 1;
    if (axis < 0 || axis > x->rank)
        return FERRY_OK;
    fy_shape r = { .rank = x->rank + 1 };
    for (int d = 0, s = 0; d < r.rank; d++)
        r.dims[d] = d == axis ? 1 : x->dims[s++];
    c->out[0] = r;
    return FERRY_OK;
}

ferry_status fy_shape_squeeze(fy_shape_ctx *c)
{
    const fy_shape *x = &c->in[0];
    size_t n = 0;
    const int64_t *axes = fy_attr_ints(c->n, "squeeze_dims", &n);
    if (c->input_count != 1 || x->rank < 0)
        return FERRY_OK;
    int gone[FERRY_MAX_RANK] = { 0 };
    for (size_t i = 0; axes && i < n; i++) {
        int64_t a = axes[i] < 0 ? axes[i] + x->rank : axes[i];
        if (a < 0 || a >= x->rank)
            return FERRY_OK;
        if (x->dims[a] > 1)
            return fy_shape_contradiction(c, "cannot squeeze a dim that is not 1 out of %s%s", x, NULL);
        gone[a] = 1;
    }
    fy_shape r = { .rank = 0 };
    for (int d = 0; d < x->rank; d++) {
        if (!n && x->dims[d] < 0)
            return FERRY_OK; /* which dims go depends on the run */
        if (!(n ? gone[d] : x->dims[d] == 1))
            r.dims[r.rank++] = x->dims[d];
    }
    c->out[0] = r;
    return FERRY_OK;
}

ferry_status fy_shape_pack(fy_shape_ctx *c)
{
    fy_shape item = FY_UNKNOWN_SHAPE;
    for (int i = 0; i < c->input_count; i++) {
        ferry_status st = fy_shape_merge(c, &item, &c->in[i], &item);
        if (st)
            return st;
    }
    int64_t axis = fy_attr_int(c->n, "axis", 0);
    if (item.rank < 0 || item.rank >= FERRY_MAX_RANK)
        return FERRY_OK;
    if (axis < 0)
        axis += item.rank + 1;
    if (axis < 0 || axis > item.rank)
        return FERRY_OK;
    fy_shape r = { .rank = item.rank + 1 };
    for (int d = 0, s = 0; d < r.rank; d++)
        r.dims[d] = d == axis ? c->input_count : item.dims[s++];
    c->out[0] = r;
    return FERRY_OK;
}

static ferry_status gather(fy_shape_ctx *c, int64_t axis)
{
    const fy_shape *params = &c->in[0], *idx = &c->in[1];
    if (params->rank < 0 || idx->rank < 0)
        return FERRY_OK;
    int64_t batch = fy_attr_int(c->n, "batch_dims", 0);
    if (axis < 0)
        axis += params->rank;
    if (batch < 0)
        batch += idx->rank;
    if (axis < 0 || axis >= params->rank || batch < 0 || batch > axis || batch > idx->rank ||
        params->rank - 1 + idx->rank - batch > FERRY_MAX_RANK)
        return FERRY_OK;
    fy_shape r = { .rank = 0 };
    for (int d = 0; d < axis; d++)
        r.dims[r.rank++] = params->dims[d];
    for (int d = (int)batch; d < idx->rank; d++)
        r.dims[r.rank++] = idx->dims[d];
    for (int d = (int)axis + 1; d < params->rank; d++)
        r.dims[r.rank++] = params->dims[d];
    c->out[0] = r;
    return FERRY_OK;
}

ferry_status fy_shape_gather(fy_shape_ctx *c)
{
    return c->input_count == 2 ? gather(c, 0) : FERRY_OK;
}

ferry_status fy_shape_gather_v2(fy_shape_ctx *c)
{
    int64_t axis;
    if (c->input_count != 3 || fy_shape_const_ints(c, 2, &axis, 1) != 1)
        return FERRY_OK;
    return gather(c, axis);
}

ferry_status fy_shape_bias_add(fy_shape_ctx *c)
{
    if (c->input_count != 2)
        return FERRY_OK;
    const fy_shape *x = &c->in[0], *b = &c->in[1];
    c->out[0] = *x;
    if (x->rank < 2 || b->rank != 1)
        return FERRY_OK;
    int64_t ch = x->dims[data_format_nchw(c->n) ? 1 : x->rank - 1];
    if (ch >= 0 && b->dims[0] >= 0 && ch != b->dims[0])
        return fy_shape_contradiction(c, "bias %s does not match the channels of %s", b, x);
    return FERRY_OK;
}

ferry_status fy_shape_select(fy_shape_ctx *c)
{
    return c->input_count == 3 ? fy_shape_merge(c, &c->in[1], &c->in[2], &c->out[0]) : FERRY_OK;
}

ferry_status fy_shape_select_v2(fy_shape_ctx *c)
{
    if (c->input_count != 3)
        return FERRY_OK;
    fy_shape ab;
    ferry_status st = fy_shape_broadcast2(c, &c->in[1], &c->in[2], &ab);
    return st ? st : fy_shape_broadcast2(c, &c->in[0], &ab, &c->out[0]);
}

ferry_status fy_shape_of_shape(fy_shape_ctx *c)
{
    if (c->input_count == 1)
        c->out[0] = c->in[0].rank < 0 ? shape_of(1, NULL) : shape_of(1, (int64_t[]){ c->in[0].rank });
    return FERRY_OK;
}

ferry_status fy_shape_fill(fy_shape_ctx *c)
{
    int64_t dims[FERRY_MAX_RANK];
    int rank = c->input_count == 2 ? fy_shape_const_ints(c, 0, dims, FERRY_MAX_RANK) : -1;
    if (rank >= 0)
        c->out[0] = shape_of(rank, dims);
    return FERRY_OK;
}
