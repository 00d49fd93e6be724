/* Static shape inference. Each value of a plan gets the shape known before
 * any run: fed placeholders start from their declared shapes (an unknown
 * batch dim stays -1), constants and folded values from their tensors, and
 * every op Ferry has a rule for derives its outputs' shapes from its inputs'
 * (and from constant inputs such as a Reshape's target shape). Ops without
 * a rule give unknown shapes unless TensorFlow recorded them on the node
 * (_output_shapes, or the output_shapes of While and If).
 *
 * A contradiction between shapes known statically (a MatMul whose inner
 * dims differ, operands that cannot broadcast, a Reshape to a different
 * element count) fails the plan with the node named, before any run. */
#include "runtime/shapes.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"

#define UNKNOWN_SHAPE ((fy_shape){ .rank = -1 })

typedef struct infer {
    const fy_plan *p;
    const fy_runtime *rt;
    fy_shape *shapes;            /* per slot */
    const ferry_tensor **values; /* per slot: the constant value, if any */
    const fy_node *n;
    const fy_shape *in;          /* the node's input shapes */
    const ferry_tensor *const *in_values;
    fy_shape *out;               /* the node's output shapes */
    int outs;
    ferry_error **err;
} infer;

static ferry_status contradiction(infer *c, const char *fmt, const fy_shape *a, const fy_shape *b)
{
    char x[160] = "", y[160] = "";
    if (a)
        fy_shape_format(x, sizeof(x), a->dims, a->rank);
    if (b)
        fy_shape_format(y, sizeof(y), b->dims, b->rank);
    char what[200];
    snprintf(what, sizeof(what), fmt, x, y);
    return fy_fail(c->err, FERRY_ERR_INVALID_ARGUMENT, "%s: node '%s' (%s): %s", c->rt->what, c->n->name, c->n->op,
                   what);
}

static fy_shape shape_of(int rank, const int64_t *dims)
{
    fy_shape s = { .rank = rank };
    for (int i = 0; i < rank; i++)
        s.dims[i] = dims ? dims[i] : -1;
    return s;
}

static fy_shape shape_from_proto(const Tensorflow__TensorShapeProto *p)
{
    if (!p || p->unknown_rank || p->n_dim > FERRY_MAX_RANK)
        return UNKNOWN_SHAPE;
    fy_shape s = { .rank = (int)p->n_dim };
    for (size_t i = 0; i < p->n_dim; i++)
        s.dims[i] = p->dim[i]->size < 0 ? -1 : p->dim[i]->size;
    return s;
}

static int64_t element_count(const fy_shape *s)
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

/* Integer values of a constant input (int32 or int64), up to cap; -1 when
 * the input is not a known integer vector or scalar. */
static int const_ints(const infer *c, int i, int64_t *out, int cap)
{
    const ferry_tensor *t = i < c->n->input_count ? c->in_values[i] : NULL;
    if (!t || t->rank > 1 || t->count > cap || (t->dtype != FERRY_DT_INT32 && t->dtype != FERRY_DT_INT64))
        return -1;
    for (int64_t k = 0; k < t->count; k++)
        out[k] = t->dtype == FERRY_DT_INT32 ? ((const int32_t *)t->data)[k] : ((const int64_t *)t->data)[k];
    return (int)t->count;
}

/* One shape that two must both be; fails on a known difference. */
static ferry_status merge(infer *c, const fy_shape *a, const fy_shape *b, fy_shape *out)
{
    if (a->rank < 0 || b->rank < 0) {
        *out = a->rank < 0 ? *b : *a;
        return FERRY_OK;
    }
    if (a->rank != b->rank)
        return contradiction(c, "shapes %s and %s must be equal", a, b);
    fy_shape m = *a;
    for (int i = 0; i < a->rank; i++) {
        if (a->dims[i] >= 0 && b->dims[i] >= 0 && a->dims[i] != b->dims[i])
            return contradiction(c, "shapes %s and %s must be equal", a, b);
        if (m.dims[i] < 0)
            m.dims[i] = b->dims[i];
    }
    *out = m;
    return FERRY_OK;
}

/* NumPy broadcasting of two shapes. */
static ferry_status broadcast(infer *c, const fy_shape *a, const fy_shape *b, fy_shape *out)
{
    if (a->rank < 0 || b->rank < 0) {
        *out = UNKNOWN_SHAPE;
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
            return contradiction(c, "shapes %s and %s cannot broadcast", a, b);
    }
    *out = r;
    return FERRY_OK;
}

static int is_op(const char *op, const char *const *list)
{
    for (; *list; list++)
        if (!strcmp(op, *list))
            return 1;
    return 0;
}

/* Ops whose first output has their first input's shape. */
static const char *const same_shape_ops[] = {
    "Identity", "StopGradient", "Snapshot", "PreventGradient", "Relu", "Relu6", "Elu", "Selu", "LeakyRelu",
    "Sigmoid", "Tanh", "Softplus", "Softsign", "Softmax", "LogSoftmax", "Exp", "Expm1", "Log", "Log1p", "Neg",
    "Abs", "Sqrt", "Rsqrt", "Square", "Reciprocal", "Inv", "Sign", "Floor", "Ceil", "Round", "Rint", "Erf",
    "Erfc", "Sin", "Cos", "Tan", "Asin", "Acos", "Atan", "Sinh", "Cosh", "Asinh", "Acosh", "Atanh", "Cast",
    "ZerosLike", "OnesLike", "IsNan", "IsInf", "IsFinite", "LogicalNot", "Invert", "Gelu", "ClipByValue",
    "CheckNumerics", "EnsureShape", "FakeQuantWithMinMaxArgs", "FakeQuantWithMinMaxVars",
    "FakeQuantWithMinMaxVarsPerChannel", "L2Normalize", "LRN", "Cumsum", "Cumprod",
    "FusedBatchNorm", "FusedBatchNormV2", "FusedBatchNormV3", "ReverseV2", "RandomShuffle", "Relu6Grad",
    NULL,
};

static const char *const broadcast_ops[] = {
    "Add", "AddV2", "Sub", "Mul", "RealDiv", "Div", "DivNoNan", "FloorDiv", "FloorMod", "TruncateDiv",
    "TruncateMod", "Mod", "Maximum", "Minimum", "Pow", "SquaredDifference", "Greater", "GreaterEqual", "Less",
    "LessEqual", "Equal", "NotEqual", "LogicalAnd", "LogicalOr", "BitwiseAnd", "BitwiseOr", "BitwiseXor",
    "Atan2", "Xdivy", "Xlogy", "MulNoNan", NULL,
};

static const char *const reduce_ops[] = {
    "Sum", "Mean", "Max", "Min", "Prod", "All", "Any", "EuclideanNorm", NULL,
};

static int data_format_nchw(const fy_node *n)
{
    char buf[16];
    const char *f = fy_attr_string(n, "data_format", buf, sizeof(buf), "NHWC");
    return f[0] == 'N' && f[1] == 'C';
}

static ferry_status infer_matmul(infer *c)
{
    const fy_shape *a = &c->in[0], *b = &c->in[1];
    int batched = strcmp(c->n->op, "MatMul") != 0;
    int ta = fy_attr_bool(c->n, batched ? "adj_x" : "transpose_a", 0);
    int tb = fy_attr_bool(c->n, batched ? "adj_y" : "transpose_b", 0);
    if (a->rank < 0 || b->rank < 0)
        return FERRY_OK;
    if ((!batched && (a->rank != 2 || b->rank != 2)) || a->rank < 2 || b->rank < 2)
        return contradiction(c, "operands %s and %s are not matrices", a, b);
    int64_t m = a->dims[a->rank - (ta ? 1 : 2)], ka = a->dims[a->rank - (ta ? 2 : 1)];
    int64_t kb = b->dims[b->rank - (tb ? 1 : 2)], n = b->dims[b->rank - (tb ? 2 : 1)];
    if (ka >= 0 && kb >= 0 && ka != kb)
        return contradiction(c, "inner dimensions of %s and %s differ", a, b);
    fy_shape batch_a = shape_of(a->rank - 2, a->dims), batch_b = shape_of(b->rank - 2, b->dims), r;
    ferry_status st = batched ? broadcast(c, &batch_a, &batch_b, &r) : (r = shape_of(0, NULL), FERRY_OK);
    if (st || r.rank < 0)
        return st;
    r.dims[r.rank++] = m;
    r.dims[r.rank++] = n;
    c->out[0] = r;
    return FERRY_OK;
}

/* Output size of one spatial dim of a window op. */
static int64_t window_out(int64_t in, int64_t k, int64_t stride, int64_t dilation, int same)
{
    if (in < 0 || k < 0 || stride <= 0)
        return -1;
    if (same)
        return (in + stride - 1) / stride;
    int64_t span = (k - 1) * dilation + 1;
    return in >= span ? (in - span) / stride + 1 : 0;
}

/* Conv2D, DepthwiseConv2dNative, MaxPool, AvgPool (rank 4, NHWC or NCHW). */
static ferry_status infer_window(infer *c)
{
    const fy_shape *x = &c->in[0];
    int conv = !strcmp(c->n->op, "Conv2D") || !strcmp(c->n->op, "DepthwiseConv2dNative");
    char pad[16];
    fy_attr_string(c->n, "padding", pad, sizeof(pad), "VALID");
    if (x->rank < 0 || !strcmp(pad, "EXPLICIT"))
        return FERRY_OK;
    if (x->rank != 4)
        return contradiction(c, "input %s is not of rank 4%s", x, NULL);
    int nchw = data_format_nchw(c->n), h = nchw ? 2 : 1, ch = nchw ? 1 : 3;
    size_t ns = 0, nd = 0, nk = 0;
    const int64_t *strides = fy_attr_ints(c->n, "strides", &ns);
    const int64_t *dil = fy_attr_ints(c->n, "dilations", &nd);
    const int64_t *ksize = conv ? NULL : fy_attr_ints(c->n, "ksize", &nk);
    if (!strides || ns != 4 || (!conv && (!ksize || nk != 4)) || (dil && nd != 4))
        return FERRY_OK;
    int64_t k[2] = { -1, -1 }, cout = x->dims[ch];
    if (conv) {
        const fy_shape *f = &c->in[1];
        if (f->rank < 0)
            return FERRY_OK;
        if (f->rank != 4)
            return contradiction(c, "filter %s is not of rank 4%s", f, NULL);
        k[0] = f->dims[0];
        k[1] = f->dims[1];
        int64_t cin = x->dims[ch], fin = f->dims[2];
        if (!strcmp(c->n->op, "Conv2D")) {
            if (cin >= 0 && fin > 0 && cin % fin != 0)
                return contradiction(c, "input %s has channels the filter %s cannot group", x, f);
            cout = f->dims[3];
        } else {
            if (cin >= 0 && fin >= 0 && cin != fin)
                return contradiction(c, "input %s and filter %s differ in channels", x, f);
            cout = cin >= 0 && f->dims[3] >= 0 ? cin * f->dims[3] : -1;
        }
    } else {
        k[0] = ksize[h];
        k[1] = ksize[h + 1];
    }
    fy_shape r = *x;
    for (int i = 0; i < 2; i++)
        r.dims[h + i] = window_out(x->dims[h + i], k[i], strides[h + i], dil ? dil[h + i] : 1, !strcmp(pad, "SAME"));
    r.dims[ch] = cout;
    c->out[0] = r;
    return FERRY_OK;
}

static ferry_status infer_reshape(infer *c)
{
    int64_t want[FERRY_MAX_RANK];
    int rank = const_ints(c, 1, want, FERRY_MAX_RANK);
    if (rank < 0)
        return FERRY_OK;
    fy_shape r = { .rank = rank };
    int unknown_at = -1;
    int64_t known = 1;
    for (int i = 0; i < rank; i++) {
        r.dims[i] = want[i] < 0 ? -1 : want[i];
        if (want[i] < 0)
            unknown_at = i;
        else
            known *= want[i];
    }
    int64_t have = element_count(&c->in[0]);
    if (have >= 0 && unknown_at >= 0 && known > 0 && have % known == 0)
        r.dims[unknown_at] = have / known;
    else if (have >= 0 && unknown_at < 0 && have != known)
        return contradiction(c, "cannot reshape %s to %s", &c->in[0], &r);
    c->out[0] = r;
    return FERRY_OK;
}

static ferry_status infer_transpose(infer *c)
{
    int64_t perm[FERRY_MAX_RANK];
    int rank = const_ints(c, 1, perm, FERRY_MAX_RANK);
    const fy_shape *x = &c->in[0];
    if (rank < 0 || x->rank < 0)
        return FERRY_OK;
    if (rank != x->rank)
        return FERRY_OK; /* the kernel reports it */
    fy_shape r = { .rank = rank };
    for (int i = 0; i < rank; i++) {
        if (perm[i] < 0 || perm[i] >= rank)
            return FERRY_OK; /* the kernel reports it */
        r.dims[i] = x->dims[perm[i]];
    }
    c->out[0] = r;
    return FERRY_OK;
}

static ferry_status infer_concat(infer *c)
{
    int nvals = c->n->input_count - 1;
    int64_t axis;
    if (nvals < 1 || const_ints(c, nvals, &axis, 1) != 1)
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
            return contradiction(c, "concatenates %s with %s, of another rank", &c->in[0], s);
        for (int d = 0; d < rank; d++) {
            if (d == (int)axis) {
                r.dims[d] = r.dims[d] < 0 || s->dims[d] < 0 ? -1 : r.dims[d] + s->dims[d];
            } else if (s->dims[d] >= 0) {
                if (r.dims[d] >= 0 && r.dims[d] != s->dims[d])
                    return contradiction(c, "concatenates %s with %s, which differ off the axis", &r, s);
                r.dims[d] = s->dims[d];
            }
        }
    }
    c->out[0] = r;
    return FERRY_OK;
}

static ferry_status infer_reduce(infer *c, int keep)
{
    const fy_shape *x = &c->in[0];
    int64_t axes[FERRY_MAX_RANK];
    int n = const_ints(c, 1, axes, FERRY_MAX_RANK);
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

static ferry_status infer_expand_dims(infer *c)
{
    const fy_shape *x = &c->in[0];
    int64_t axis;
    if (x->rank < 0 || x->rank >= FERRY_MAX_RANK || const_ints(c, 1, &axis, 1) != 1)
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

static ferry_status infer_squeeze(infer *c)
{
    const fy_shape *x = &c->in[0];
    size_t n = 0;
    const int64_t *axes = fy_attr_ints(c->n, "squeeze_dims", &n);
    if (x->rank < 0)
        return FERRY_OK;
    int gone[FERRY_MAX_RANK] = { 0 };
    for (size_t i = 0; axes && i < n; i++) {
        int64_t a = axes[i] < 0 ? axes[i] + x->rank : axes[i];
        if (a < 0 || a >= x->rank)
            return FERRY_OK;
        if (x->dims[a] > 1)
            return contradiction(c, "cannot squeeze a dim that is not 1 out of %s%s", x, NULL);
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

static ferry_status infer_pack(infer *c)
{
    fy_shape item = UNKNOWN_SHAPE;
    for (int i = 0; i < c->n->input_count; i++) {
        ferry_status st = merge(c, &item, &c->in[i], &item);
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
        r.dims[d] = d == axis ? c->n->input_count : item.dims[s++];
    c->out[0] = r;
    return FERRY_OK;
}

static ferry_status infer_gather(infer *c)
{
    const fy_shape *params = &c->in[0], *idx = &c->in[1];
    int64_t axis = 0;
    int v2 = !strcmp(c->n->op, "GatherV2");
    if (params->rank < 0 || idx->rank < 0 || (v2 && const_ints(c, 2, &axis, 1) != 1))
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

static ferry_status infer_bias_add(infer *c)
{
    const fy_shape *x = &c->in[0], *b = &c->in[1];
    c->out[0] = *x;
    if (x->rank < 2 || b->rank != 1)
        return FERRY_OK;
    int64_t ch = x->dims[data_format_nchw(c->n) ? 1 : x->rank - 1];
    if (ch >= 0 && b->dims[0] >= 0 && ch != b->dims[0])
        return contradiction(c, "bias %s does not match the channels of %s", b, x);
    return FERRY_OK;
}

static ferry_status infer_select(infer *c)
{
    if (!strcmp(c->n->op, "SelectV2")) {
        fy_shape ab;
        ferry_status st = broadcast(c, &c->in[1], &c->in[2], &ab);
        return st ? st : broadcast(c, &c->in[0], &ab, &c->out[0]);
    }
    return merge(c, &c->in[1], &c->in[2], &c->out[0]);
}

static ferry_status infer_arg_reduce(infer *c)
{
    return infer_reduce(c, 0);
}

/* Ops with a rule of their own, by input count. */
static const struct {
    const char *op;
    int min_inputs, max_inputs;
    ferry_status (*infer)(infer *c);
} rules[] = {
    { "MatMul", 2, 2, infer_matmul }, { "BatchMatMulV2", 2, 2, infer_matmul },
    { "BatchMatMulV3", 2, 2, infer_matmul }, { "Conv2D", 2, 2, infer_window },
    { "DepthwiseConv2dNative", 2, 2, infer_window }, { "MaxPool", 1, 1, infer_window },
    { "AvgPool", 1, 1, infer_window }, { "BiasAdd", 2, 2, infer_bias_add }, { "Reshape", 2, 2, infer_reshape },
    { "Transpose", 2, 2, infer_transpose }, { "ConcatV2", 2, INT_MAX, infer_concat },
    { "ArgMax", 2, 2, infer_arg_reduce }, { "ArgMin", 2, 2, infer_arg_reduce },
    { "ExpandDims", 2, 2, infer_expand_dims }, { "Squeeze", 1, 1, infer_squeeze }, { "Pack", 1, INT_MAX, infer_pack },
    { "GatherV2", 3, 3, infer_gather }, { "Gather", 2, 2, infer_gather }, { "Select", 3, 3, infer_select },
    { "SelectV2", 3, 3, infer_select },
};

/* The node's own rule; leaves c->out unknown when it has none. */
static ferry_status infer_node(infer *c)
{
    const char *op = c->n->op;
    int nin = c->n->input_count;
    /* A VarHandleOp's slot carries its variable's declared shape, which
     * ReadVariableOp passes on. */
    if (!strcmp(op, "Placeholder") || !strcmp(op, "PlaceholderWithDefault") || !strcmp(op, "VariableV2") ||
        !strcmp(op, "VarHandleOp")) {
        const Tensorflow__AttrValue *v = fy_node_attr(c->n, "shape");
        fy_shape declared = v && v->value_case == TENSORFLOW__ATTR_VALUE__VALUE_SHAPE ? shape_from_proto(v->shape)
                                                                                       : UNKNOWN_SHAPE;
        if (!strcmp(op, "PlaceholderWithDefault") && nin > 0)
            return merge(c, &declared, &c->in[0], &c->out[0]);
        c->out[0] = declared;
        return FERRY_OK;
    }
    if (!strcmp(op, "Const")) {
        int id = (int)(c->n - c->rt->graph.nodes);
        const ferry_tensor *t = c->rt->constants ? c->rt->constants[id] : NULL;
        if (t) {
            c->out[0] = shape_of(t->rank, t->dims);
            c->values[c->p->slot_base[id]] = t;
        }
        return FERRY_OK;
    }
    if (!strcmp(op, "ReadVariableOp") || (nin > 0 && is_op(op, same_shape_ops))) {
        c->out[0] = c->in[0];
        return FERRY_OK;
    }
    if (!strcmp(op, "IdentityN")) {
        for (int i = 0; i < nin && i < c->outs; i++)
            c->out[i] = c->in[i];
        return FERRY_OK;
    }
    if (nin == 2 && is_op(op, broadcast_ops))
        return broadcast(c, &c->in[0], &c->in[1], &c->out[0]);
    if (nin >= 2 && (!strcmp(op, "AddN"))) {
        fy_shape r = UNKNOWN_SHAPE;
        for (int i = 0; i < nin; i++) {
            ferry_status st = merge(c, &r, &c->in[i], &r);
            if (st)
                return st;
        }
        c->out[0] = r;
        return FERRY_OK;
    }
    for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
        if (!strcmp(op, rules[i].op) && nin >= rules[i].min_inputs && nin <= rules[i].max_inputs)
            return rules[i].infer(c);
    if (nin == 2 && is_op(op, reduce_ops))
        return infer_reduce(c, fy_attr_bool(c->n, "keep_dims", 0));
    if (nin == 1 && !strcmp(op, "Shape")) {
        c->out[0] = c->in[0].rank < 0 ? shape_of(1, NULL) : shape_of(1, (int64_t[]){ c->in[0].rank });
        return FERRY_OK;
    }
    if (nin == 1 && (!strcmp(op, "Size") || !strcmp(op, "Rank"))) {
        c->out[0] = shape_of(0, NULL);
        return FERRY_OK;
    }
    if (nin == 2 && !strcmp(op, "Fill")) {
        int64_t dims[FERRY_MAX_RANK];
        int rank = const_ints(c, 0, dims, FERRY_MAX_RANK);
        if (rank >= 0)
            c->out[0] = shape_of(rank, dims);
        return FERRY_OK;
    }
    return FERRY_OK;
}

/* Shapes TensorFlow recorded on the node, for outputs the rule left unknown. */
static void recorded_shapes(infer *c)
{
    const char *attr = !strcmp(c->n->op, "While") || !strcmp(c->n->op, "StatelessWhile") ||
                               !strcmp(c->n->op, "If") || !strcmp(c->n->op, "StatelessIf")
                           ? "output_shapes"
                           : "_output_shapes";
    const Tensorflow__AttrValue *v = fy_node_attr(c->n, attr);
    if (!v || v->value_case != TENSORFLOW__ATTR_VALUE__VALUE_LIST || (int)v->list->n_shape != c->outs)
        return;
    for (int o = 0; o < c->outs; o++)
        if (c->out[o].rank < 0)
            c->out[o] = shape_from_proto(v->list->shape[o]);
}

static int is_fed(const fy_plan *p, int node)
{
    for (int i = 0; i < p->feed_count; i++)
        if (p->feeds[i].node == node)
            return 1;
    return 0;
}

ferry_status fy_plan_infer_shapes(const fy_plan *p, const fy_runtime *rt, fy_shape *shapes, ferry_error **err)
{
    const fy_graph *g = &rt->graph;
    int max_inputs = 1;
    for (int k = 0; k < p->order_count; k++)
        if (g->nodes[p->order[k]].input_count > max_inputs)
            max_inputs = g->nodes[p->order[k]].input_count;
    const ferry_tensor **values = calloc((size_t)p->slot_count + 1, sizeof(*values));
    fy_shape *in = malloc((size_t)max_inputs * sizeof(fy_shape));
    const ferry_tensor **in_values = calloc((size_t)max_inputs, sizeof(*in_values));
    ferry_status st = values && in && in_values ? FERRY_OK : fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    for (int s = 0; !st && s < p->slot_count; s++)
        shapes[s] = UNKNOWN_SHAPE;
    for (int i = 0; !st && i < p->folded_count; i++) {
        const ferry_tensor *t = p->folded[i].t;
        values[p->folded_slots[i]] = t;
        if (t)
            shapes[p->folded_slots[i]] = shape_of(t->rank, t->dims);
    }
    /* Fed placeholders keep their declared shapes; other fed values are whatever the caller gives. */
    for (int i = 0; !st && i < p->feed_count; i++) {
        const fy_node *n = &g->nodes[p->feeds[i].node];
        if (strcmp(n->op, "Placeholder") != 0 && strcmp(n->op, "PlaceholderWithDefault") != 0)
            continue;
        infer c = { p, rt, shapes, values, n, in, in_values, &shapes[p->slot_base[p->feeds[i].node]], 1, err };
        in[0] = UNKNOWN_SHAPE;
        st = infer_node(&c);
    }
    for (int k = 0; !st && k < p->order_count; k++) {
        int id = p->order[k];
        const fy_node *n = &g->nodes[id];
        if (n->inlined_call || is_fed(p, id))
            continue;
        for (int i = 0; i < n->input_count; i++) {
            fy_edge e = fy_graph_resolve(g, n->inputs[i]);
            int s = p->slot_base[e.node] + e.index;
            in[i] = shapes[s];
            in_values[i] = values[s];
        }
        int outs = n->output_count > 0 ? n->output_count : 1;
        infer c = { p, rt, shapes, values, n, in, in_values, &shapes[p->slot_base[id]], outs, err };
        st = infer_node(&c);
        if (!st)
            recorded_shapes(&c);
    }
    free(values);
    free(in);
    free(in_values);
    return st;
}
