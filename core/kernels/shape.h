/* Static shape rules: what an op's output shapes are, from its inputs'
 * shapes, its attrs and those inputs whose values are known before any run.
 * Each op definition names its rule (kernels/op.h); the runtime runs the
 * rules over a plan (runtime/shapes.c). Rules know only shapes, attrs and
 * tensors, like kernels. */
#ifndef FERRY_KERNELS_SHAPE_H
#define FERRY_KERNELS_SHAPE_H

#include <ferry/ferry.h>

#include "graph/graph.h"

/* What is known of a value's shape before any run: rank -1 when unknown,
 * and a dim -1 when that dim is unknown. */
typedef struct fy_shape {
    int rank;
    int64_t dims[FERRY_MAX_RANK];
} fy_shape;

#define FY_UNKNOWN_SHAPE ((fy_shape){ .rank = -1 })

typedef struct fy_shape_ctx {
    const char *what;                    /* the model file, for messages */
    const fy_node *n;
    int input_count;
    const fy_shape *in;                  /* the inputs' shapes */
    const ferry_tensor *const *in_values;/* inputs known before any run, else NULL */
    fy_shape *out;                       /* the outputs' shapes, unknown on entry */
    int outs;
    ferry_error **err;
} fy_shape_ctx;

/* Fills c->out (leaving what it cannot tell unknown). Fails
 * (INVALID_ARGUMENT, naming the node) only on a contradiction between
 * shapes known statically, as TensorFlow refuses such a graph. */
typedef ferry_status (*fy_shape_fn)(fy_shape_ctx *c);

/* Rules many ops share. */
ferry_status fy_shape_same(fy_shape_ctx *c);        /* output 0 = input 0 */
ferry_status fy_shape_like_input1(fy_shape_ctx *c); /* output 0 = input 1 (LowerBound: the values) */
ferry_status fy_shape_same_n(fy_shape_ctx *c);      /* output i = input i */
ferry_status fy_shape_broadcast(fy_shape_ctx *c);   /* NumPy broadcasting of inputs 0 and 1 */
ferry_status fy_shape_all_equal(fy_shape_ctx *c);   /* every input has output 0's shape (AddN) */
ferry_status fy_shape_scalar(fy_shape_ctx *c);      /* output 0 is a scalar */
ferry_status fy_shape_declared(fy_shape_ctx *c);    /* the "shape" attr (placeholders, variables) */
ferry_status fy_shape_with_default(fy_shape_ctx *c);/* declared, merged with input 0 */
ferry_status fy_shape_reduce(fy_shape_ctx *c);      /* input 0 reduced over the axes of input 1 */
ferry_status fy_shape_arg_reduce(fy_shape_ctx *c);
ferry_status fy_shape_matmul(fy_shape_ctx *c);      /* MatMul, _FusedMatMul: transpose_a/b */
ferry_status fy_shape_batch_matmul(fy_shape_ctx *c);/* BatchMatMul*: adj_x/y, batch dims broadcast */
ferry_status fy_shape_conv2d(fy_shape_ctx *c);      /* Conv2D, _FusedConv2D (rank 4, NHWC or NCHW) */
ferry_status fy_shape_depthwise(fy_shape_ctx *c);   /* DepthwiseConv2dNative */
ferry_status fy_shape_pool(fy_shape_ctx *c);        /* MaxPool, AvgPool: the ksize attr */
ferry_status fy_shape_bias_add(fy_shape_ctx *c);
ferry_status fy_shape_reshape(fy_shape_ctx *c);
ferry_status fy_shape_transpose(fy_shape_ctx *c);
ferry_status fy_shape_concat(fy_shape_ctx *c);      /* ConcatV2: values..., axis */
ferry_status fy_shape_expand_dims(fy_shape_ctx *c);
ferry_status fy_shape_squeeze(fy_shape_ctx *c);
ferry_status fy_shape_pack(fy_shape_ctx *c);
ferry_status fy_shape_gather(fy_shape_ctx *c);      /* Gather: axis 0 */
ferry_status fy_shape_gather_v2(fy_shape_ctx *c);   /* GatherV2: axis from input 2, batch_dims */
ferry_status fy_shape_select(fy_shape_ctx *c);      /* Select: branches of one shape */
ferry_status fy_shape_select_v2(fy_shape_ctx *c);   /* SelectV2: all three broadcast */
ferry_status fy_shape_of_shape(fy_shape_ctx *c);    /* Shape: a vector of input 0's rank */
ferry_status fy_shape_fill(fy_shape_ctx *c);        /* Fill: dims from input 0's value */
ferry_status fy_shape_from_value(fy_shape_ctx *c);  /* Const: the shape its value attr records */

/* The shape a TensorShapeProto describes (unknown for an unknown rank). */
fy_shape fy_static_shape_of(const Tensorflow__TensorShapeProto *p);

/* Element count, or -1 when a dim is unknown or it overflows. */
int64_t fy_shape_elements(const fy_shape *s);

/* Fails naming the node: fmt has two %s, for the formatted shapes a and b. */
ferry_status fy_shape_contradiction(fy_shape_ctx *c, const char *fmt, const fy_shape *a, const fy_shape *b);

/* One shape that two must both be; fails on a known difference. */
ferry_status fy_shape_merge(fy_shape_ctx *c, const fy_shape *a, const fy_shape *b, fy_shape *out);

/* NumPy broadcasting of two shapes; fails when they cannot broadcast. */
ferry_status fy_shape_broadcast2(fy_shape_ctx *c, const fy_shape *a, const fy_shape *b, fy_shape *out);

/* Integer values of constant input i (a vector or scalar of int32/int64),
 * up to cap; -1 when it is not known. */
int fy_shape_const_ints(const fy_shape_ctx *c, int i, int64_t *out, int cap);

#endif
