/* Kernels on empty tensors (a batch of 0, a dim of 0, an empty reduction
 * axis, a filter of 0 channels), against what TensorFlow 2.21's own kernels
 * (TF_ENABLE_ONEDNN_OPTS=0) return: the empty result of the right shape,
 * the identity value of an empty reduction, or the same error. Each case
 * runs on this thread and on a pool of threads, whose work splitting must
 * cope with nothing to split. */
#include <float.h>
#include <math.h>
#include <stdint.h>

#include "base/parallel.h"
#include "base/tensor.h"
#include "check.h"
#include "op_harness.h"

#define NONE NULL /* the data of an empty expected tensor */

static fy_pool *threads;

/* Input i becomes a lasting weight (as a constant or variable is) laid out
 * ahead by the op's prepack, as a plan does before its first run. */
static void op_prepack(op_case *r, int i)
{
    const fy_op_def *k = fy_op_find(r->node.op);
    r->in[i].t->lasting = 1;
    if (k && k->prepack)
        k->prepack(&r->node, r->in[i].t);
}

/* Runs the case body once without and once with a pool. */
#define BOTH_WAYS(fn)                                                                           \
    static void fn##_once(struct fy_pool *pool);                                                \
    static void fn(void)                                                                        \
    {                                                                                           \
        fn##_once(NULL);                                                                        \
        fn##_once(threads);                                                                     \
    }                                                                                           \
    static void fn##_once(struct fy_pool *pool)

static void begin(op_case *r, const char *op, int nout, struct fy_pool *pool)
{
    op_begin(r, op, nout);
    r->pool = pool;
    attr_type(r, "T", FERRY_DT_FLOAT);
}

static void conv_attrs(op_case *r, const char *padding, int rank)
{
    static const int64_t ones[5] = { 1, 1, 1, 1, 1 };
    attr_ints(r, "strides", ones, (size_t)rank);
    attr_string(r, "padding", padding);
}

BOTH_WAYS(elementwise_broadcasts_nothing)
{
    op_case r;
    begin(&r, "BiasAdd", 1, pool);
    op_in(&r, f32(2, D(0, 4), NONE));
    op_in(&r, f32(1, D(4), F32(1, 2, 3, 4)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_FLOAT, 2, D(0, 4), NONE);
    op_end(&r);

    begin(&r, "AddV2", 1, pool);
    op_in(&r, f32(2, D(0, 3), NONE));
    op_in(&r, f32(1, D(3), F32(1, 2, 3)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_FLOAT, 2, D(0, 3), NONE);
    op_end(&r);

    /* Both broadcast: [2, 0] and [2, 1]. */
    begin(&r, "Mul", 1, pool);
    op_in(&r, f32(2, D(2, 0), NONE));
    op_in(&r, f32(2, D(2, 1), F32(1, 2)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_FLOAT, 2, D(2, 0), NONE);
    op_end(&r);

    begin(&r, "Less", 1, pool);
    op_in(&r, i32(3, D(2, 0, 1), NONE));
    op_in(&r, i32(1, D(3), I32(1, 2, 3)));
    r.def.attr[0]->value->type = (Tensorflow__DataType)FERRY_DT_INT32;
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_BOOL, 3, D(2, 0, 3), NONE);
    op_end(&r);

    begin(&r, "Relu", 1, pool);
    op_in(&r, f32(3, D(0, 5, 7), NONE));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_FLOAT, 3, D(0, 5, 7), NONE);
    op_end(&r);
}

BOTH_WAYS(matmul_of_empty_sides)
{
    op_case r;
    /* k = 0: a sum of nothing, zeros (TF: [[0, 0, 0], [0, 0, 0]]). */
    begin(&r, "MatMul", 1, pool);
    op_in(&r, f32(2, D(2, 0), NONE));
    op_in(&r, f32(2, D(0, 3), NONE));
    op_prepack(&r, 1);
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_FLOAT, 2, D(2, 3), F32(0, 0, 0, 0, 0, 0));
    op_end(&r);

    begin(&r, "MatMul", 1, pool);
    attr_bool(&r, "transpose_b", 1);
    op_in(&r, f32(2, D(2, 0), NONE));
    op_in(&r, f32(2, D(3, 0), NONE));
    op_prepack(&r, 1);
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_FLOAT, 2, D(2, 3), F32(0, 0, 0, 0, 0, 0));
    op_end(&r);

    /* No rows: [0, 3] x [3, 4]; no columns: [2, 3] x [3, 0] (a weight of 0 outputs). */
    begin(&r, "MatMul", 1, pool);
    op_in(&r, f32(2, D(0, 3), NONE));
    op_in(&r, f32(2, D(3, 4), F32(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)));
    op_prepack(&r, 1);
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_FLOAT, 2, D(0, 4), NONE);
    op_end(&r);

    begin(&r, "MatMul", 1, pool);
    op_in(&r, f32(2, D(2, 3), F32(1, 2, 3, 4, 5, 6)));
    op_in(&r, f32(2, D(3, 0), NONE));
    op_prepack(&r, 1);
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_FLOAT, 2, D(2, 0), NONE);
    op_end(&r);

    begin(&r, "MatMul", 1, pool);
    r.def.attr[0]->value->type = (Tensorflow__DataType)FERRY_DT_INT32;
    op_in(&r, i32(2, D(2, 0), NONE));
    op_in(&r, i32(2, D(0, 3), NONE));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT32, 2, D(2, 3), I32(0, 0, 0, 0, 0, 0));
    op_end(&r);

    begin(&r, "BatchMatMulV2", 1, pool);
    op_in(&r, f32(3, D(2, 2, 0), NONE));
    op_in(&r, f32(3, D(2, 0, 4), NONE));
    op_prepack(&r, 1);
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_FLOAT, 3, D(2, 2, 4), F32(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    op_end(&r);

    begin(&r, "BatchMatMulV2", 1, pool);
    op_in(&r, f32(3, D(0, 2, 3), NONE));
    op_in(&r, f32(3, D(1, 3, 4), NONE));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_FLOAT, 3, D(0, 2, 4), NONE);
    op_end(&r);
}

static ferry_tensor *ones(int rank, const int64_t *dims)
{
    ferry_tensor *t = f32(rank, dims, NONE);
    for (int64_t i = 0; t && i < t->count; i++)
        ((float *)t->data)[i] = 1;
    return t;
}

BOTH_WAYS(convolutions_of_empty_filters)
{
    op_case r;
    /* 0 output channels: an empty output (TF: shape [1, 4, 4, 0]). */
    begin(&r, "Conv2D", 1, pool);
    conv_attrs(&r, "SAME", 4);
    op_in(&r, ones(4, D(1, 4, 4, 3)));
    op_in(&r, f32(4, D(3, 3, 3, 0), NONE));
    op_prepack(&r, 1);
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_FLOAT, 4, D(1, 4, 4, 0), NONE);
    op_end(&r);

    begin(&r, "Conv2D", 1, pool);
    conv_attrs(&r, "VALID", 4);
    op_in(&r, ones(4, D(2, 4, 4, 3)));
    op_in(&r, f32(4, D(3, 3, 3, 0), NONE));
    op_prepack(&r, 1);
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_FLOAT, 4, D(2, 2, 2, 0), NONE);
    op_end(&r);

    /* 0 input channels or an empty window: TF refuses the filter ("filter depth
     * must be strictly positive", "filter must not have zero elements"). */
    begin(&r, "Conv2D", 1, pool);
    conv_attrs(&r, "SAME", 4);
    op_in(&r, f32(4, D(1, 4, 4, 0), NONE));
    op_in(&r, f32(4, D(3, 3, 0, 2), NONE));
    op_prepack(&r, 1);
    RUN_FAILS(&r, FERRY_ERR_INVALID_ARGUMENT, "filter");
    op_end(&r);

    begin(&r, "Conv2D", 1, pool);
    conv_attrs(&r, "SAME", 4);
    op_in(&r, ones(4, D(1, 4, 4, 3)));
    op_in(&r, f32(4, D(0, 3, 3, 2), NONE));
    op_prepack(&r, 1);
    RUN_FAILS(&r, FERRY_ERR_INVALID_ARGUMENT, "window");
    op_end(&r);

    /* A batch of 0, an image of height 0. */
    begin(&r, "Conv2D", 1, pool);
    conv_attrs(&r, "SAME", 4);
    op_in(&r, f32(4, D(0, 4, 4, 3), NONE));
    op_in(&r, ones(4, D(3, 3, 3, 2)));
    op_prepack(&r, 1);
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_FLOAT, 4, D(0, 4, 4, 2), NONE);
    op_end(&r);

    begin(&r, "Conv2D", 1, pool);
    conv_attrs(&r, "SAME", 4);
    op_in(&r, f32(4, D(1, 0, 4, 3), NONE));
    op_in(&r, ones(4, D(1, 1, 3, 2)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_FLOAT, 4, D(1, 0, 4, 2), NONE);
    op_end(&r);

    /* Depthwise: a multiplier of 0 or no channels, both empty. */
    begin(&r, "DepthwiseConv2dNative", 1, pool);
    conv_attrs(&r, "SAME", 4);
    op_in(&r, ones(4, D(1, 4, 4, 3)));
    op_in(&r, f32(4, D(3, 3, 3, 0), NONE));
    op_prepack(&r, 1);
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_FLOAT, 4, D(1, 4, 4, 0), NONE);
    op_end(&r);

    begin(&r, "DepthwiseConv2dNative", 1, pool);
    conv_attrs(&r, "SAME", 4);
    op_in(&r, f32(4, D(1, 4, 4, 0), NONE));
    op_in(&r, f32(4, D(3, 3, 0, 2), NONE));
    op_prepack(&r, 1);
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_FLOAT, 4, D(1, 4, 4, 0), NONE);
    op_end(&r);

    /* Conv3D refuses a filter without elements either way; a batch of 0 is empty. */
    begin(&r, "Conv3D", 1, pool);
    conv_attrs(&r, "SAME", 5);
    op_in(&r, ones(5, D(1, 2, 4, 4, 3)));
    op_in(&r, f32(5, D(1, 3, 3, 3, 0), NONE));
    op_prepack(&r, 1);
    RUN_FAILS(&r, FERRY_ERR_INVALID_ARGUMENT, "filter");
    op_end(&r);

    begin(&r, "Conv3D", 1, pool);
    conv_attrs(&r, "SAME", 5);
    op_in(&r, f32(5, D(1, 2, 4, 4, 0), NONE));
    op_in(&r, f32(5, D(1, 3, 3, 0, 2), NONE));
    op_prepack(&r, 1);
    RUN_FAILS(&r, FERRY_ERR_INVALID_ARGUMENT, "filter");
    op_end(&r);

    begin(&r, "Conv3D", 1, pool);
    conv_attrs(&r, "SAME", 5);
    op_in(&r, f32(5, D(0, 2, 4, 4, 3), NONE));
    op_in(&r, ones(5, D(1, 3, 3, 3, 2)));
    op_prepack(&r, 1);
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_FLOAT, 5, D(0, 2, 4, 4, 2), NONE);
    op_end(&r);
}

BOTH_WAYS(pooling_nothing)
{
    static const int64_t window[] = { 1, 2, 2, 1 };
    const char *ops[] = { "MaxPool", "AvgPool" };
    for (int k = 0; k < 2; k++) {
        op_case r;
        begin(&r, ops[k], 1, pool);
        attr_ints(&r, "ksize", window, 4);
        attr_ints(&r, "strides", window, 4);
        attr_string(&r, "padding", "VALID");
        op_in(&r, f32(4, D(0, 4, 4, 3), NONE));
        RUN_OK(&r);
        EXPECT(&r, 0, FERRY_DT_FLOAT, 4, D(0, 2, 2, 3), NONE);
        op_end(&r);

        begin(&r, ops[k], 1, pool);
        attr_ints(&r, "ksize", window, 4);
        attr_ints(&r, "strides", window, 4);
        attr_string(&r, "padding", "VALID");
        op_in(&r, f32(4, D(1, 4, 4, 0), NONE));
        RUN_OK(&r);
        EXPECT(&r, 0, FERRY_DT_FLOAT, 4, D(1, 2, 2, 0), NONE);
        op_end(&r);
    }
}

/* op over axis 1 of a [2, 0] tensor of dtype dt: TF's identity values. */
static void reduce_empty(struct fy_pool *pool, const char *op, ferry_dtype dt, const void *want, int line)
{
    op_case r;
    begin(&r, op, 1, pool);
    r.def.attr[0]->value->type = (Tensorflow__DataType)dt;
    op_in(&r, mk(dt, 2, D(2, 0), NONE));
    op_in(&r, scalar_i32(1));
    RUN_OK(&r);
    if (!expect_tensor(&r.out[0], dt, 1, D(2), want, __FILE__, line))
        check_current_failed = 1;
    op_end(&r);
}

BOTH_WAYS(reductions_over_nothing)
{
    float inf = INFINITY;
    reduce_empty(pool, "Sum", FERRY_DT_FLOAT, F32(0, 0), __LINE__);
    reduce_empty(pool, "Prod", FERRY_DT_FLOAT, F32(1, 1), __LINE__);
    reduce_empty(pool, "Max", FERRY_DT_FLOAT, F32(-inf, -inf), __LINE__);
    reduce_empty(pool, "Min", FERRY_DT_FLOAT, F32(inf, inf), __LINE__);
    reduce_empty(pool, "Max", FERRY_DT_INT32, I32(INT32_MIN, INT32_MIN), __LINE__);
    reduce_empty(pool, "Min", FERRY_DT_INT32, I32(INT32_MAX, INT32_MAX), __LINE__);
    reduce_empty(pool, "Max", FERRY_DT_INT64, I64(INT64_MIN, INT64_MIN), __LINE__);
    reduce_empty(pool, "Max", FERRY_DT_UINT8, U8(0, 0), __LINE__);
    reduce_empty(pool, "Min", FERRY_DT_UINT8, U8(255, 255), __LINE__);
    reduce_empty(pool, "Sum", FERRY_DT_INT32, I32(0, 0), __LINE__);
    reduce_empty(pool, "Prod", FERRY_DT_INT64, I64(1, 1), __LINE__);
    reduce_empty(pool, "Mean", FERRY_DT_INT32, I32(0, 0), __LINE__); /* TF: 0, not a trap */
    reduce_empty(pool, "EuclideanNorm", FERRY_DT_FLOAT, F32(0, 0), __LINE__);
    reduce_empty(pool, "All", FERRY_DT_BOOL, U8(1, 1), __LINE__);
    reduce_empty(pool, "Any", FERRY_DT_BOOL, U8(0, 0), __LINE__);

    /* The mean of nothing is 0 / 0. */
    op_case r;
    begin(&r, "Mean", 1, pool);
    op_in(&r, f32(2, D(0, 3), NONE));
    op_in(&r, scalar_i32(0));
    RUN_OK(&r);
    CHECK(r.out[0].t && r.out[0].t->count == 3 && isnan(((float *)r.out[0].t->data)[0]) &&
          isnan(((float *)r.out[0].t->data)[2]));
    op_end(&r);

    /* Keeping dims; all axes of a [0, 3]. */
    begin(&r, "Sum", 1, pool);
    attr_bool(&r, "keep_dims", 1);
    op_in(&r, f32(2, D(0, 3), NONE));
    op_in(&r, i32(1, D(2), I32(0, 1)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_FLOAT, 2, D(1, 1), F32(0));
    op_end(&r);

    /* Reducing an axis that has values, of an empty tensor: empty. */
    begin(&r, "Max", 1, pool);
    op_in(&r, f32(2, D(0, 3), NONE));
    op_in(&r, scalar_i32(1));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_FLOAT, 1, D(0), NONE);
    op_end(&r);

    /* ArgMax has no identity: TF refuses an empty axis, and a batch of 0 is empty. */
    begin(&r, "ArgMax", 1, pool);
    op_in(&r, f32(2, D(2, 0), NONE));
    op_in(&r, scalar_i32(1));
    RUN_FAILS(&r, FERRY_ERR_INVALID_ARGUMENT, "empty");
    op_end(&r);

    begin(&r, "ArgMin", 1, pool);
    op_in(&r, f32(2, D(0, 3), NONE));
    op_in(&r, scalar_i32(1));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT64, 1, D(0), NONE);
    op_end(&r);
}

BOTH_WAYS(softmax_and_scans_of_nothing)
{
    const char *ops[] = { "Softmax", "LogSoftmax" };
    for (int k = 0; k < 2; k++) {
        op_case r;
        begin(&r, ops[k], 1, pool);
        op_in(&r, f32(2, D(2, 0), NONE));
        RUN_OK(&r);
        EXPECT(&r, 0, FERRY_DT_FLOAT, 2, D(2, 0), NONE);
        op_end(&r);

        begin(&r, ops[k], 1, pool);
        op_in(&r, f32(2, D(0, 3), NONE));
        RUN_OK(&r);
        EXPECT(&r, 0, FERRY_DT_FLOAT, 2, D(0, 3), NONE);
        op_end(&r);
    }
    const char *scans[] = { "Cumsum", "Cumprod" };
    for (int k = 0; k < 2; k++) {
        op_case r;
        begin(&r, scans[k], 1, pool);
        op_in(&r, f32(2, D(2, 0), NONE));
        op_in(&r, scalar_i32(1));
        RUN_OK(&r);
        EXPECT(&r, 0, FERRY_DT_FLOAT, 2, D(2, 0), NONE);
        op_end(&r);

        begin(&r, scans[k], 1, pool);
        op_in(&r, f32(2, D(0, 3), NONE));
        op_in(&r, scalar_i32(0));
        RUN_OK(&r);
        EXPECT(&r, 0, FERRY_DT_FLOAT, 2, D(0, 3), NONE);
        op_end(&r);
    }
}

BOTH_WAYS(normalization_of_a_batch_of_0)
{
    op_case r;
    begin(&r, "FusedBatchNormV3", 6, pool);
    attr_bool(&r, "is_training", 0);
    op_in(&r, f32(4, D(0, 2, 2, 3), NONE));
    for (int i = 0; i < 4; i++)
        op_in(&r, ones(1, D(3)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_FLOAT, 4, D(0, 2, 2, 3), NONE);
    op_end(&r);
}

BOTH_WAYS(array_ops_of_empty_tensors)
{
    op_case r;
    begin(&r, "Transpose", 1, pool);
    op_in(&r, f32(3, D(0, 3, 2), NONE));
    op_in(&r, i32(1, D(3), I32(2, 0, 1)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_FLOAT, 3, D(2, 0, 3), NONE);
    op_end(&r);

    begin(&r, "ConcatV2", 1, pool);
    attr_int(&r, "N", 2);
    op_in(&r, f32(2, D(0, 3), NONE));
    op_in(&r, f32(2, D(0, 3), NONE));
    op_in(&r, scalar_i32(0));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_FLOAT, 2, D(0, 3), NONE);
    op_end(&r);

    begin(&r, "Tile", 1, pool);
    op_in(&r, f32(2, D(2, 3), F32(1, 2, 3, 4, 5, 6)));
    op_in(&r, i32(1, D(2), I32(0, 2)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_FLOAT, 2, D(0, 6), NONE);
    op_end(&r);

    /* Padding nothing gives zeros (TF: [[0, 0, 0], [0, 0, 0]]). */
    begin(&r, "Pad", 1, pool);
    op_in(&r, f32(2, D(0, 3), NONE));
    op_in(&r, i32(2, D(2, 2), I32(1, 1, 0, 0)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_FLOAT, 2, D(2, 3), F32(0, 0, 0, 0, 0, 0));
    op_end(&r);

    begin(&r, "Reshape", 1, pool);
    op_in(&r, f32(2, D(0, 3), NONE));
    op_in(&r, i32(1, D(3), I32(-1, 3, 1)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_FLOAT, 3, D(0, 3, 1), NONE);
    op_end(&r);

    begin(&r, "TopKV2", 2, pool);
    op_in(&r, f32(2, D(0, 3), NONE));
    op_in(&r, scalar_i32(2));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_FLOAT, 2, D(0, 2), NONE);
    EXPECT(&r, 1, FERRY_DT_INT32, 2, D(0, 2), NONE);
    op_end(&r);

    begin(&r, "OneHot", 1, pool);
    attr_type(&r, "TI", FERRY_DT_INT32);
    op_in(&r, i32(1, D(0), NONE));
    op_in(&r, scalar_i32(4));
    op_in(&r, ones(0, NULL));
    op_in(&r, f32(0, NULL, F32(0)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_FLOAT, 2, D(0, 4), NONE);
    op_end(&r);

    begin(&r, "Split", 2, pool);
    attr_int(&r, "num_split", 2);
    op_in(&r, scalar_i32(1));
    op_in(&r, f32(2, D(0, 4), NONE));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_FLOAT, 2, D(0, 2), NONE);
    EXPECT(&r, 1, FERRY_DT_FLOAT, 2, D(0, 2), NONE);
    op_end(&r);

    begin(&r, "Split", 2, pool);
    attr_int(&r, "num_split", 2);
    op_in(&r, scalar_i32(1));
    op_in(&r, f32(2, D(3, 0), NONE));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_FLOAT, 2, D(3, 0), NONE);
    EXPECT(&r, 1, FERRY_DT_FLOAT, 2, D(3, 0), NONE);
    op_end(&r);

    begin(&r, "GatherV2", 1, pool);
    attr_type(&r, "Tindices", FERRY_DT_INT32);
    op_in(&r, f32(2, D(0, 3), NONE));
    op_in(&r, i32(1, D(0), NONE));
    op_in(&r, scalar_i32(0));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_FLOAT, 2, D(0, 3), NONE);
    op_end(&r);

    begin(&r, "ReverseV2", 1, pool);
    op_in(&r, f32(2, D(0, 3), NONE));
    op_in(&r, i32(1, D(1), I32(0)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_FLOAT, 2, D(0, 3), NONE);
    op_end(&r);

    begin(&r, "ResizeBilinear", 1, pool);
    op_in(&r, f32(4, D(0, 4, 4, 3), NONE));
    op_in(&r, i32(1, D(2), I32(8, 8)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_FLOAT, 4, D(0, 8, 8, 3), NONE);
    op_end(&r);

    begin(&r, "Range", 1, pool);
    attr_type(&r, "Tidx", FERRY_DT_INT32);
    op_in(&r, scalar_i32(0));
    op_in(&r, scalar_i32(0));
    op_in(&r, scalar_i32(1));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT32, 1, D(0), NONE);
    op_end(&r);

    begin(&r, "Einsum", 1, pool);
    attr_string(&r, "equation", "bij,bjk->bik");
    attr_int(&r, "N", 2);
    op_in(&r, f32(3, D(0, 2, 3), NONE));
    op_in(&r, f32(3, D(0, 3, 4), NONE));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_FLOAT, 3, D(0, 2, 4), NONE);
    op_end(&r);
}

/* Beside a dim of 0 the others may be anything (TF accepts [0, 2^62, 2^62]
 * as long as the running product fits): their products must not be
 * formed, UBSan would stop on the overflow. */
#define T40 ((int64_t)1 << 40)

BOTH_WAYS(huge_dims_beside_a_zero)
{
    op_case r;
    begin(&r, "AddV2", 1, pool);
    op_in(&r, f32(3, D(0, T40, T40), NONE));
    op_in(&r, f32(3, D(0, T40, T40), NONE));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_FLOAT, 3, D(0, T40, T40), NONE);
    op_end(&r);

    begin(&r, "BiasAdd", 1, pool);
    op_in(&r, f32(4, D(T40, T40, 0, 3), NONE));
    op_in(&r, ones(1, D(3)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_FLOAT, 4, D(T40, T40, 0, 3), NONE);
    op_end(&r);

    begin(&r, "BiasAddGrad", 1, pool);
    attr_string(&r, "data_format", "NCHW");
    op_in(&r, f32(5, D(2, 3, T40, T40, 0), NONE));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_FLOAT, 1, D(3), F32(0, 0, 0));
    op_end(&r);

    begin(&r, "Sum", 1, pool);
    op_in(&r, f32(3, D(T40, T40, 0), NONE));
    op_in(&r, i32(1, D(2), I32(0, 1)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_FLOAT, 1, D(0), NONE);
    op_end(&r);

    begin(&r, "ArgMax", 1, pool);
    op_in(&r, f32(4, D(3, T40, T40, 0), NONE));
    op_in(&r, scalar_i32(0));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT64, 3, D(T40, T40, 0), NONE);
    op_end(&r);

    begin(&r, "Split", 1, pool);
    attr_int(&r, "num_split", 1);
    op_in(&r, scalar_i32(1));
    op_in(&r, f32(4, D(0, 2, T40, T40), NONE));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_FLOAT, 4, D(0, 2, T40, T40), NONE);
    op_end(&r);

    begin(&r, "SelectV2", 1, pool);
    op_in(&r, mk(FERRY_DT_BOOL, 3, D(0, T40, T40), NONE));
    op_in(&r, f32(3, D(0, T40, T40), NONE));
    op_in(&r, f32(3, D(0, T40, T40), NONE));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_FLOAT, 3, D(0, T40, T40), NONE);
    op_end(&r);
}

static void setup(void)
{
    if (fy_pool_new(&threads, 4, NULL) != FERRY_OK)
        abort();
}

static const check_case tests[] = {
    TEST(elementwise_broadcasts_nothing),
    TEST(matmul_of_empty_sides),
    TEST(convolutions_of_empty_filters),
    TEST(pooling_nothing),
    TEST(reductions_over_nothing),
    TEST(softmax_and_scans_of_nothing),
    TEST(normalization_of_a_batch_of_0),
    TEST(array_ops_of_empty_tensors),
    TEST(huge_dims_beside_a_zero),
};

int main(void)
{
    setup();
    int rc = check_run("kernels_empty", tests, sizeof(tests) / sizeof(tests[0]));
    fy_pool_free(threads);
    return rc;
}
