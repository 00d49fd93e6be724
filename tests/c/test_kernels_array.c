/* The array kernels, called through the registry on hand-built nodes, with
 * expected values from TensorFlow's documented behaviour (checked against
 * TensorFlow 2.21 where it is subtle). */
#include <ferry/ferry.h>

#include "base/tensor.h"
#include "check.h"
#include "op_harness.h"

/* ---- shapes ----------------------------------------------------------------- */

static void shape_size_rank(void)
{
    op_case r;
    op_begin(&r, "Shape", 1);
    op_in(&r, mk(FERRY_DT_FLOAT, 3, D(2, 0, 3), NULL));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT32, 1, D(3), I32(2, 0, 3));
    op_end(&r);

    op_begin(&r, "Shape", 1);
    attr_type(&r, "out_type", FERRY_DT_INT64);
    op_in(&r, scalar_i32(4));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT64, 1, D(0), NULL);
    op_end(&r);

    op_begin(&r, "ShapeN", 2);
    op_in(&r, iota(2, D(2, 3)));
    op_in(&r, iota(1, D(4)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT32, 1, D(2), I32(2, 3));
    EXPECT(&r, 1, FERRY_DT_INT32, 1, D(1), I32(4));
    op_end(&r);

    op_begin(&r, "Size", 1);
    attr_type(&r, "out_type", FERRY_DT_INT64);
    op_in(&r, iota(2, D(2, 3)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT64, 0, NULL, I64(6));
    op_end(&r);

    op_begin(&r, "Rank", 1);
    op_in(&r, iota(3, D(1, 2, 1)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT32, 0, NULL, I32(3));
    op_end(&r);
}

static void reshape_infers_one_dim(void)
{
    op_case r;
    op_begin(&r, "Reshape", 1);
    op_in(&r, iota(2, D(2, 3)));
    op_in(&r, i64(1, D(2), I64(3, -1)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT32, 2, D(3, 2), I32(0, 1, 2, 3, 4, 5));
    op_end(&r);

    /* a -1 beside a 0: the nonzero dims still determine it */
    op_begin(&r, "Reshape", 1);
    op_in(&r, mk(FERRY_DT_FLOAT, 2, D(0, 3), NULL));
    op_in(&r, i32(1, D(2), I32(-1, 0)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_FLOAT, 2, D(3, 0), NULL);
    op_end(&r);

    /* a scalar shape means [n] */
    op_begin(&r, "Reshape", 1);
    op_in(&r, mk_strings(2, D(1, 2), S("a", "bc")));
    op_in(&r, scalar_i32(2));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_STRING, 1, D(2), S("a", "bc"));
    op_end(&r);

    op_begin(&r, "Reshape", 1);
    op_in(&r, iota(2, D(2, 3)));
    op_in(&r, i32(1, D(2), I32(4, -1)));
    RUN_FAILS(&r, FERRY_ERR_INVALID_ARGUMENT, "requires a multiple of 4");
    op_end(&r);

    op_begin(&r, "Reshape", 1);
    op_in(&r, iota(2, D(2, 3)));
    op_in(&r, i32(1, D(2), I32(-1, -1)));
    RUN_FAILS(&r, FERRY_ERR_INVALID_ARGUMENT, "only one input size may be -1");
    op_end(&r);

    op_begin(&r, "Reshape", 1);
    op_in(&r, iota(2, D(2, 3)));
    op_in(&r, i32(1, D(1), I32(5)));
    RUN_FAILS(&r, FERRY_ERR_INVALID_ARGUMENT, "has 5");
    op_end(&r);
}

static void expand_dims_and_squeeze(void)
{
    op_case r;
    op_begin(&r, "ExpandDims", 1);
    op_in(&r, iota(2, D(2, 3)));
    op_in(&r, scalar_i32(-1));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT32, 3, D(2, 3, 1), I32(0, 1, 2, 3, 4, 5));
    op_end(&r);

    op_begin(&r, "ExpandDims", 1);
    op_in(&r, scalar_i32(7));
    op_in(&r, i64(1, D(1), I64(0)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT32, 1, D(1), I32(7));
    op_end(&r);

    op_begin(&r, "ExpandDims", 1);
    op_in(&r, iota(2, D(2, 3)));
    op_in(&r, scalar_i32(3));
    RUN_FAILS(&r, FERRY_ERR_INVALID_ARGUMENT, "cannot expand dim 3");
    op_end(&r);

    op_begin(&r, "Squeeze", 1);
    op_in(&r, iota(4, D(1, 2, 1, 3)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT32, 2, D(2, 3), I32(0, 1, 2, 3, 4, 5));
    op_end(&r);

    op_begin(&r, "Squeeze", 1);
    attr_ints(&r, "squeeze_dims", I64(-2), 1);
    op_in(&r, iota(4, D(1, 2, 1, 3)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT32, 3, D(1, 2, 3), I32(0, 1, 2, 3, 4, 5));
    op_end(&r);

    op_begin(&r, "Squeeze", 1);
    attr_ints(&r, "squeeze_dims", I64(1), 1);
    op_in(&r, iota(4, D(1, 2, 1, 3)));
    RUN_FAILS(&r, FERRY_ERR_INVALID_ARGUMENT, "expected a dimension of 1, got 2");
    op_end(&r);
}

static void broadcast_shape_arithmetic(void)
{
    op_case r;
    op_begin(&r, "BroadcastArgs", 1);
    op_in(&r, i32(1, D(3), I32(2, 1, 3)));
    op_in(&r, i32(1, D(2), I32(4, 3)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT32, 1, D(3), I32(2, 4, 3));
    op_end(&r);

    op_begin(&r, "BroadcastArgs", 1);
    op_in(&r, i32(1, D(1), I32(2)));
    op_in(&r, i32(1, D(1), I32(3)));
    RUN_FAILS(&r, FERRY_ERR_INVALID_ARGUMENT, "incompatible shapes: [2] vs. [3]");
    op_end(&r);

    /* TF lets negative entries through (they broadcast only with 1) */
    op_begin(&r, "BroadcastArgs", 1);
    op_in(&r, i64(1, D(1), I64(-2)));
    op_in(&r, i64(1, D(1), I64(1)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT64, 1, D(1), I64(-2));
    op_end(&r);

    /* values from TensorFlow 2.21 */
    op_begin(&r, "BroadcastGradientArgs", 2);
    op_in(&r, i32(1, D(2), I32(3, 1)));
    op_in(&r, i32(1, D(1), I32(1)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT32, 1, D(1), I32(1));
    EXPECT(&r, 1, FERRY_DT_INT32, 1, D(2), I32(0, 1));
    op_end(&r);

    op_begin(&r, "BroadcastGradientArgs", 2);
    op_in(&r, i32(1, D(2), I32(1, 1)));
    op_in(&r, i32(1, D(2), I32(1, 1)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT32, 1, D(0), NULL);
    EXPECT(&r, 1, FERRY_DT_INT32, 1, D(0), NULL);
    op_end(&r);

    op_begin(&r, "InvertPermutation", 1);
    op_in(&r, i64(1, D(3), I64(2, 0, 1)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT64, 1, D(3), I64(1, 2, 0));
    op_end(&r);

    op_begin(&r, "InvertPermutation", 1);
    op_in(&r, i32(1, D(3), I32(2, 0, 2)));
    RUN_FAILS(&r, FERRY_ERR_RUNTIME, "2 is duplicated");
    op_end(&r);

    op_begin(&r, "ConcatOffset", 2);
    op_in(&r, scalar_i32(-2));
    op_in(&r, i32(1, D(3), I32(2, 3, 5)));
    op_in(&r, i32(1, D(3), I32(2, 7, 5)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT32, 1, D(3), I32(0, 0, 0));
    EXPECT(&r, 1, FERRY_DT_INT32, 1, D(3), I32(0, 3, 0));
    op_end(&r);
}

/* Integer arithmetic wraps as two's complement, and the signed minimum
 * divided by -1 gives itself (remainder 0) instead of trapping. */
static void integer_overflow_wraps(void)
{
    static const char *const divs[] = { "Div", "FloorDiv", "Div" };
    static const char *const mods[] = { "FloorMod", "TruncateMod", "Mod" };
    op_case r;
    op_begin(&r, "AddV2", 1);
    op_in(&r, i32(1, D(2), I32(INT32_MAX, INT32_MIN)));
    op_in(&r, i32(1, D(2), I32(1, -1)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT32, 1, D(2), I32(INT32_MIN, INT32_MAX));
    op_end(&r);

    op_begin(&r, "Mul", 1);
    op_in(&r, i64(1, D(1), I64(INT64_MAX)));
    op_in(&r, i64(1, D(1), I64(2)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT64, 1, D(1), I64(-2));
    op_end(&r);

    for (size_t k = 0; k < 3; k++) {
        op_begin(&r, divs[k], 1);
        op_in(&r, i32(1, D(2), I32(INT32_MIN, 7)));
        op_in(&r, i32(1, D(2), I32(-1, -1)));
        RUN_OK(&r);
        EXPECT(&r, 0, FERRY_DT_INT32, 1, D(2), I32(INT32_MIN, -7));
        op_end(&r);

        op_begin(&r, mods[k], 1);
        op_in(&r, i64(1, D(2), I64(INT64_MIN, 7)));
        op_in(&r, i64(1, D(2), I64(-1, -1)));
        RUN_OK(&r);
        EXPECT(&r, 0, FERRY_DT_INT64, 1, D(2), I64(0, 0));
        op_end(&r);
    }
}

/* ---- making tensors ------------------------------------------------------- */

static void fill_zeros_ones(void)
{
    op_case r;
    op_begin(&r, "Fill", 1);
    op_in(&r, i32(1, D(2), I32(2, 2)));
    op_in(&r, mk_strings(0, NULL, S("ab")));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_STRING, 2, D(2, 2), S("ab", "ab", "ab", "ab"));
    op_end(&r);

    op_begin(&r, "Fill", 1);
    op_in(&r, i64(1, D(3), I64(3, 1, 3)));
    op_in(&r, f32(0, NULL, F32(1.5f)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_FLOAT, 3, D(3, 1, 3), F32(1.5f, 1.5f, 1.5f, 1.5f, 1.5f, 1.5f, 1.5f, 1.5f, 1.5f));
    op_end(&r);

    op_begin(&r, "Fill", 1);
    op_in(&r, i32(1, D(1), I32(-1)));
    op_in(&r, f32(0, NULL, F32(1)));
    RUN_FAILS(&r, FERRY_ERR_INVALID_ARGUMENT, "negative");
    op_end(&r);

    op_begin(&r, "ZerosLike", 1);
    op_in(&r, mk_strings(1, D(2), S("x", "y")));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_STRING, 1, D(2), S("", ""));
    op_end(&r);

    op_begin(&r, "OnesLike", 1);
    op_in(&r, mk(FERRY_DT_HALF, 1, D(2), U16(0x1234, 0x5678)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_HALF, 1, D(2), U16(0x3c00, 0x3c00));
    op_end(&r);

    op_begin(&r, "OnesLike", 1);
    op_in(&r, mk(FERRY_DT_BOOL, 1, D(2), U8(0, 0)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_BOOL, 1, D(2), U8(1, 1));
    op_end(&r);

    op_begin(&r, "OnesLike", 1);
    op_in(&r, mk_strings(0, NULL, S("x")));
    RUN_FAILS(&r, FERRY_ERR_UNSUPPORTED, "string");
    op_end(&r);
}

static void range_follows_tf(void)
{
    op_case r;
    op_begin(&r, "Range", 1);
    op_in(&r, scalar_i32(10));
    op_in(&r, scalar_i32(1));
    op_in(&r, scalar_i32(-3));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT32, 1, D(3), I32(10, 7, 4));
    op_end(&r);

    /* the whole int64 span, without overflow */
    op_begin(&r, "Range", 1);
    op_in(&r, i64(0, NULL, I64(INT64_MIN)));
    op_in(&r, i64(0, NULL, I64(INT64_MAX)));
    op_in(&r, i64(0, NULL, I64(INT64_C(1) << 62)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT64, 1, D(4), I64(INT64_MIN, INT64_MIN / 2, 0, INT64_C(1) << 62));
    op_end(&r);

    /* values accumulate in float: 0.1, 0.4, 0.70000005 (TF's bits) */
    op_begin(&r, "Range", 1);
    op_in(&r, f32(0, NULL, F32(0.1f)));
    op_in(&r, f32(0, NULL, F32(1.0f)));
    op_in(&r, f32(0, NULL, F32(0.3f)));
    RUN_OK(&r);
    {
        const uint32_t bits[] = { 0x3dcccccd, 0x3ecccccd, 0x3f333334 };
        EXPECT(&r, 0, FERRY_DT_FLOAT, 1, D(3), bits);
    }
    op_end(&r);

    op_begin(&r, "Range", 1);
    op_in(&r, mk(FERRY_DT_HALF, 0, NULL, U16(0x2e66)));
    op_in(&r, mk(FERRY_DT_HALF, 0, NULL, U16(0x3c00)));
    op_in(&r, mk(FERRY_DT_HALF, 0, NULL, U16(0x34cd)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_HALF, 1, D(3), U16(0x2e66, 0x3666, 0x399a));
    op_end(&r);

    op_begin(&r, "Range", 1);
    op_in(&r, scalar_i32(5));
    op_in(&r, scalar_i32(1));
    op_in(&r, scalar_i32(2));
    RUN_FAILS(&r, FERRY_ERR_INVALID_ARGUMENT, "requires start <= limit when delta > 0: 5/1");
    op_end(&r);

    op_begin(&r, "Range", 1);
    op_in(&r, f32(0, NULL, F32(0)));
    op_in(&r, f32(0, NULL, F32(1)));
    op_in(&r, f32(0, NULL, F32(0)));
    RUN_FAILS(&r, FERRY_ERR_INVALID_ARGUMENT, "delta != 0");
    op_end(&r);
}

static void one_hot_any_axis(void)
{
    op_case r;
    op_begin(&r, "OneHot", 1);
    op_in(&r, i64(1, D(4), I64(0, 2, -1, 5)));
    op_in(&r, scalar_i32(3));
    op_in(&r, f32(0, NULL, F32(1)));
    op_in(&r, f32(0, NULL, F32(0)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_FLOAT, 2, D(4, 3), F32(1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0));
    op_end(&r);

    op_begin(&r, "OneHot", 1);
    attr_int(&r, "axis", 0);
    op_in(&r, mk(FERRY_DT_UINT8, 1, D(2), U8(1, 0)));
    op_in(&r, scalar_i32(2));
    op_in(&r, mk_strings(0, NULL, S("on")));
    op_in(&r, mk_strings(0, NULL, S("")));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_STRING, 2, D(2, 2), S("", "on", "on", ""));
    op_end(&r);

    op_begin(&r, "OneHot", 1);
    op_in(&r, i32(1, D(1), I32(0)));
    op_in(&r, scalar_i32(-1));
    op_in(&r, f32(0, NULL, F32(1)));
    op_in(&r, f32(0, NULL, F32(0)));
    RUN_FAILS(&r, FERRY_ERR_INVALID_ARGUMENT, "depth must be non-negative");
    op_end(&r);
}

/* ---- joining and splitting ---------------------------------------------- */

static void pack_and_unpack(void)
{
    op_case r;
    op_begin(&r, "Pack", 1);
    attr_int(&r, "axis", -1);
    op_in(&r, i32(1, D(2), I32(1, 2)));
    op_in(&r, i32(1, D(2), I32(3, 4)));
    op_in(&r, i32(1, D(2), I32(5, 6)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT32, 2, D(2, 3), I32(1, 3, 5, 2, 4, 6));
    op_end(&r);

    op_begin(&r, "Pack", 1);
    op_in(&r, mk_strings(0, NULL, S("a")));
    op_in(&r, mk_strings(0, NULL, S("b")));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_STRING, 1, D(2), S("a", "b"));
    op_end(&r);

    op_begin(&r, "Pack", 1);
    op_in(&r, i32(1, D(2), I32(1, 2)));
    op_in(&r, i32(1, D(1), I32(3)));
    RUN_FAILS(&r, FERRY_ERR_INVALID_ARGUMENT, "shapes of all inputs must match");
    op_end(&r);

    op_begin(&r, "Unpack", 3);
    attr_int(&r, "num", 3);
    attr_int(&r, "axis", 1);
    op_in(&r, iota(2, D(2, 3)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT32, 1, D(2), I32(0, 3));
    EXPECT(&r, 1, FERRY_DT_INT32, 1, D(2), I32(1, 4));
    EXPECT(&r, 2, FERRY_DT_INT32, 1, D(2), I32(2, 5));
    op_end(&r);

    op_begin(&r, "Unpack", 2);
    attr_int(&r, "num", 2);
    op_in(&r, iota(2, D(3, 2)));
    RUN_FAILS(&r, FERRY_ERR_INVALID_ARGUMENT, "must have 2 along axis 0");
    op_end(&r);
}

static void concat_both_forms(void)
{
    op_case r;
    op_begin(&r, "ConcatV2", 1);
    op_in(&r, i32(2, D(2, 1), I32(1, 2)));
    op_in(&r, i32(2, D(2, 2), I32(3, 4, 5, 6)));
    op_in(&r, mk(FERRY_DT_INT32, 2, D(2, 0), NULL));
    op_in(&r, scalar_i32(-1));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT32, 2, D(2, 3), I32(1, 3, 4, 2, 5, 6));
    op_end(&r);

    op_begin(&r, "Concat", 1);
    op_in(&r, i64(0, NULL, I64(0)));
    op_in(&r, mk_strings(1, D(1), S("x")));
    op_in(&r, mk_strings(1, D(2), S("y", "z")));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_STRING, 1, D(3), S("x", "y", "z"));
    op_end(&r);

    op_begin(&r, "ConcatV2", 1);
    op_in(&r, scalar_i32(1));
    op_in(&r, scalar_i32(2));
    op_in(&r, scalar_i32(0));
    RUN_FAILS(&r, FERRY_ERR_INVALID_ARGUMENT, "cannot concatenate scalars");
    op_end(&r);

    op_begin(&r, "ConcatV2", 1);
    op_in(&r, iota(2, D(2, 1)));
    op_in(&r, iota(2, D(3, 1)));
    op_in(&r, scalar_i32(1));
    RUN_FAILS(&r, FERRY_ERR_INVALID_ARGUMENT, "input 0 has shape [2,1] but input 1 has shape [3,1]");
    op_end(&r);

    op_begin(&r, "ConcatV2", 1);
    op_in(&r, iota(1, D(2)));
    op_in(&r, mk(FERRY_DT_FLOAT, 1, D(2), F32(0, 0)));
    op_in(&r, scalar_i32(0));
    RUN_FAILS(&r, FERRY_ERR_INVALID_ARGUMENT, "input 1 is float32");
    op_end(&r);
}

static void split_and_split_v(void)
{
    op_case r;
    op_begin(&r, "Split", 2);
    attr_int(&r, "num_split", 2);
    op_in(&r, scalar_i32(1));
    op_in(&r, iota(2, D(2, 4)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT32, 2, D(2, 2), I32(0, 1, 4, 5));
    EXPECT(&r, 1, FERRY_DT_INT32, 2, D(2, 2), I32(2, 3, 6, 7));
    op_end(&r);

    op_begin(&r, "Split", 3);
    attr_int(&r, "num_split", 3);
    op_in(&r, scalar_i32(0));
    op_in(&r, iota(1, D(4)));
    RUN_FAILS(&r, FERRY_ERR_INVALID_ARGUMENT, "evenly divide");
    op_end(&r);

    op_begin(&r, "SplitV", 3);
    attr_int(&r, "num_split", 3);
    op_in(&r, mk_strings(1, D(5), S("a", "b", "c", "d", "e")));
    op_in(&r, i64(1, D(3), I64(1, -1, 0)));
    op_in(&r, scalar_i32(-1));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_STRING, 1, D(1), S("a"));
    EXPECT(&r, 1, FERRY_DT_STRING, 1, D(4), S("b", "c", "d", "e"));
    EXPECT(&r, 2, FERRY_DT_STRING, 1, D(0), NULL);
    op_end(&r);

    op_begin(&r, "SplitV", 2);
    attr_int(&r, "num_split", 2);
    op_in(&r, iota(1, D(5)));
    op_in(&r, i32(1, D(2), I32(1, 3)));
    op_in(&r, scalar_i32(0));
    RUN_FAILS(&r, FERRY_ERR_INVALID_ARGUMENT, "must add up to the split dimension 5");
    op_end(&r);
}

/* ---- slicing and rearranging ------------------------------------------------ */

static void slice_checks_bounds(void)
{
    op_case r;
    op_begin(&r, "Slice", 1);
    op_in(&r, iota(2, D(3, 4)));
    op_in(&r, i32(1, D(2), I32(1, 1)));
    op_in(&r, i32(1, D(2), I32(2, -1)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT32, 2, D(2, 3), I32(5, 6, 7, 9, 10, 11));
    op_end(&r);

    op_begin(&r, "Slice", 1);
    op_in(&r, iota(2, D(3, 4)));
    op_in(&r, i32(1, D(2), I32(1, 1)));
    op_in(&r, i32(1, D(2), I32(3, 1)));
    RUN_FAILS(&r, FERRY_ERR_INVALID_ARGUMENT, "expected size[0] in [0, 2], but got 3");
    op_end(&r);
}

/* Slices of arange(24).reshape(2, 3, 4): begin, end, strides and masks as
 * TF's Python indexing emits them, results from TensorFlow. */
static void strided_slice_case(const char *what, const int32_t *spec, int n, const int64_t *masks,
                               int rank, const int64_t *dims, const int32_t *want)
{
    static const char *const names[5] = { "begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask",
                                          "shrink_axis_mask" };
    op_case r;
    op_begin(&r, "StridedSlice", 1);
    for (int i = 0; i < 5; i++)
        attr_int(&r, names[i], masks[i]);
    op_in(&r, iota(3, D(2, 3, 4)));
    for (int k = 0; k < 3; k++)
        op_in(&r, i32(1, D(n), spec + k * n));
    ferry_status st = op_exec(&r);
    if (st || !expect_tensor(&r.out[0], FERRY_DT_INT32, rank, dims, want, __FILE__, __LINE__)) {
        fprintf(stderr, "  in strided slice %s: %s\n", what, r.err ? ferry_error_message(r.err) : "");
        check_current_failed = 1;
    }
    op_end(&r);
}

static void strided_slice_masks(void)
{
    strided_slice_case("x[1, ::-1, 1:3]", I32(1, 0, 1, 2, 0, 3, 1, -1, 1), 3, I64(2, 2, 0, 0, 1), 2, D(3, 2),
                       I32(21, 22, 17, 18, 13, 14));
    strided_slice_case("x[..., -1]", I32(0, -1, 0, 0, 1, 1), 2, I64(0, 0, 1, 0, 2), 2, D(2, 3),
                       I32(3, 7, 11, 15, 19, 23));
    strided_slice_case("x[newaxis, ..., 0]", I32(0, 0, 0, 0, 0, 1, 1, 1, 1), 3, I64(0, 0, 2, 1, 4), 3, D(1, 2, 3),
                       I32(0, 4, 8, 12, 16, 20));
    strided_slice_case("x[:, 5:0:-2]", I32(0, 5, 0, 0, 1, -2), 2, I64(1, 1, 0, 0, 0), 3, D(2, 1, 4),
                       I32(8, 9, 10, 11, 20, 21, 22, 23));
    strided_slice_case("x[-1:, 1, ::3]", I32(-1, 1, 0, 0, 2, 0, 1, 1, 3), 3, I64(4, 5, 0, 0, 2), 2, D(1, 2),
                       I32(16, 19));
    strided_slice_case("x[0, :, newaxis, -2:]", I32(0, 0, 0, -2, 1, 0, 0, 0, 1, 1, 1, 1), 4, I64(2, 10, 0, 4, 1), 3,
                       D(3, 1, 2), I32(2, 3, 6, 7, 10, 11));
    strided_slice_case("x[1:1]", I32(1, 1, 1), 1, I64(0, 0, 0, 0, 0), 3, D(0, 3, 4), NULL);

    op_case r;
    op_begin(&r, "StridedSlice", 1);
    attr_int(&r, "shrink_axis_mask", 1);
    op_in(&r, iota(1, D(3)));
    op_in(&r, i32(1, D(1), I32(-4)));
    op_in(&r, i32(1, D(1), I32(-3)));
    op_in(&r, i32(1, D(1), I32(1)));
    RUN_FAILS(&r, FERRY_ERR_INVALID_ARGUMENT, "slice index -4 of dimension 0 out of bounds");
    op_end(&r);

    op_begin(&r, "StridedSlice", 1);
    attr_int(&r, "shrink_axis_mask", 1);
    op_in(&r, iota(1, D(3)));
    op_in(&r, i32(1, D(1), I32(1)));
    op_in(&r, i32(1, D(1), I32(2)));
    op_in(&r, i32(1, D(1), I32(-1)));
    RUN_FAILS(&r, FERRY_ERR_INVALID_ARGUMENT, "only stride 1 allowed on non-range indexing");
    op_end(&r);

    op_begin(&r, "StridedSlice", 1);
    attr_int(&r, "ellipsis_mask", 3);
    op_in(&r, iota(1, D(3)));
    op_in(&r, i32(1, D(2), I32(0, 0)));
    op_in(&r, i32(1, D(2), I32(0, 0)));
    op_in(&r, i32(1, D(2), I32(1, 1)));
    RUN_FAILS(&r, FERRY_ERR_INVALID_ARGUMENT, "multiple ellipses");
    op_end(&r);

    op_begin(&r, "StridedSlice", 1);
    op_in(&r, iota(2, D(1, 3)));
    op_in(&r, i32(1, D(3), I32(0, 0, 0)));
    op_in(&r, i32(1, D(3), I32(1, 1, 1)));
    op_in(&r, i32(1, D(3), I32(1, 1, 1)));
    RUN_FAILS(&r, FERRY_ERR_INVALID_ARGUMENT, "index out of range using input dim 2");
    op_end(&r);

    op_begin(&r, "StridedSlice", 1);
    op_in(&r, iota(1, D(3)));
    op_in(&r, i32(1, D(1), I32(0)));
    op_in(&r, i32(1, D(1), I32(3)));
    op_in(&r, i32(1, D(1), I32(0)));
    RUN_FAILS(&r, FERRY_ERR_INVALID_ARGUMENT, "strides[0] must be non-zero");
    op_end(&r);
}

static void transpose_tile_reverse(void)
{
    op_case r;
    op_begin(&r, "Transpose", 1);
    op_in(&r, iota(3, D(2, 3, 2)));
    op_in(&r, i32(1, D(3), I32(2, 0, 1)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT32, 3, D(2, 2, 3), I32(0, 2, 4, 6, 8, 10, 1, 3, 5, 7, 9, 11));
    op_end(&r);

    op_begin(&r, "Transpose", 1);
    op_in(&r, mk_strings(2, D(2, 2), S("a", "b", "c", "d")));
    op_in(&r, i64(1, D(2), I64(1, 0)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_STRING, 2, D(2, 2), S("a", "c", "b", "d"));
    op_end(&r);

    op_begin(&r, "Transpose", 1);
    op_in(&r, iota(2, D(2, 2)));
    op_in(&r, i32(1, D(2), I32(1, 1)));
    RUN_FAILS(&r, FERRY_ERR_INVALID_ARGUMENT, "perm[1] = 1");
    op_end(&r);

    /* TF counts negative perm entries from the end */
    op_begin(&r, "Transpose", 1);
    op_in(&r, iota(2, D(2, 2)));
    op_in(&r, i32(1, D(2), I32(-1, 0)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT32, 2, D(2, 2), I32(0, 2, 1, 3));
    op_end(&r);

    op_begin(&r, "Tile", 1);
    op_in(&r, mk_strings(1, D(2), S("a", "b")));
    op_in(&r, i32(1, D(1), I32(2)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_STRING, 1, D(4), S("a", "b", "a", "b"));
    op_end(&r);

    op_begin(&r, "Tile", 1);
    op_in(&r, iota(2, D(2, 2)));
    op_in(&r, i32(1, D(2), I32(1, 2)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT32, 2, D(2, 4), I32(0, 1, 0, 1, 2, 3, 2, 3));
    op_end(&r);

    op_begin(&r, "Tile", 1);
    op_in(&r, iota(1, D(2)));
    op_in(&r, i32(1, D(1), I32(-1)));
    RUN_FAILS(&r, FERRY_ERR_INVALID_ARGUMENT, "multiples[0] = -1");
    op_end(&r);

    op_begin(&r, "ReverseV2", 1);
    op_in(&r, iota(2, D(2, 3)));
    op_in(&r, i32(1, D(2), I32(-1, 0)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT32, 2, D(2, 3), I32(5, 4, 3, 2, 1, 0));
    op_end(&r);

    op_begin(&r, "ReverseV2", 1);
    op_in(&r, iota(2, D(2, 3)));
    op_in(&r, i32(1, D(2), I32(1, -1)));
    RUN_FAILS(&r, FERRY_ERR_INVALID_ARGUMENT, "specified more than once");
    op_end(&r);

    /* as TF: an empty tensor is returned without looking at axis */
    op_begin(&r, "ReverseV2", 1);
    op_in(&r, mk(FERRY_DT_INT32, 2, D(2, 0), NULL));
    op_in(&r, i32(1, D(1), I32(3)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT32, 2, D(2, 0), NULL);
    op_end(&r);

    op_begin(&r, "BroadcastTo", 1);
    op_in(&r, iota(2, D(2, 1)));
    op_in(&r, i32(1, D(3), I32(2, 2, 3)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT32, 3, D(2, 2, 3), I32(0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 1));
    op_end(&r);

    op_begin(&r, "BroadcastTo", 1);
    op_in(&r, iota(1, D(2)));
    op_in(&r, i32(1, D(1), I32(3)));
    RUN_FAILS(&r, FERRY_ERR_INVALID_ARGUMENT, "unable to broadcast tensor of shape [2] to [3]");
    op_end(&r);
}

static void pad_modes(void)
{
    op_case r;
    op_begin(&r, "Pad", 1);
    op_in(&r, iota(2, D(2, 2)));
    op_in(&r, i32(2, D(2, 2), I32(1, 0, 0, 2)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT32, 2, D(3, 4), I32(0, 0, 0, 0, 0, 1, 0, 0, 2, 3, 0, 0));
    op_end(&r);

    op_begin(&r, "PadV2", 1);
    op_in(&r, mk_strings(1, D(1), S("a")));
    op_in(&r, i64(2, D(1, 2), I64(1, 1)));
    op_in(&r, mk_strings(0, NULL, S("-")));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_STRING, 1, D(3), S("-", "a", "-"));
    op_end(&r);

    op_begin(&r, "MirrorPad", 1);
    attr_string(&r, "mode", "REFLECT");
    op_in(&r, i32(1, D(3), I32(1, 2, 3)));
    op_in(&r, i32(2, D(1, 2), I32(2, 2)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT32, 1, D(7), I32(3, 2, 1, 2, 3, 2, 1));
    op_end(&r);

    op_begin(&r, "MirrorPad", 1);
    attr_string(&r, "mode", "SYMMETRIC");
    op_in(&r, i32(2, D(2, 2), I32(1, 2, 3, 4)));
    op_in(&r, i32(2, D(2, 2), I32(1, 0, 2, 1)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT32, 2, D(3, 5), I32(2, 1, 1, 2, 2, 2, 1, 1, 2, 2, 4, 3, 3, 4, 4));
    op_end(&r);

    op_begin(&r, "MirrorPad", 1);
    attr_string(&r, "mode", "REFLECT");
    op_in(&r, i32(1, D(3), I32(1, 2, 3)));
    op_in(&r, i32(2, D(1, 2), I32(3, 0)));
    RUN_FAILS(&r, FERRY_ERR_INVALID_ARGUMENT, "paddings must be no greater than the dimension size");
    op_end(&r);

    op_begin(&r, "Pad", 1);
    op_in(&r, iota(1, D(2)));
    op_in(&r, i32(2, D(1, 2), I32(0, -1)));
    RUN_FAILS(&r, FERRY_ERR_INVALID_ARGUMENT, "paddings must be non-negative");
    op_end(&r);
}

/* ---- indexing -------------------------------------------------------------------- */

static void gather_v2_axes_and_batches(void)
{
    op_case r;
    op_begin(&r, "GatherV2", 1);
    op_in(&r, iota(2, D(3, 2)));
    op_in(&r, i32(2, D(2, 2), I32(2, 0, 1, 1)));
    op_in(&r, scalar_i32(0));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT32, 3, D(2, 2, 2), I32(4, 5, 0, 1, 2, 3, 2, 3));
    op_end(&r);

    op_begin(&r, "GatherV2", 1);
    op_in(&r, iota(2, D(2, 3)));
    op_in(&r, i64(0, NULL, I64(2)));
    op_in(&r, scalar_i32(-1));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT32, 1, D(2), I32(2, 5));
    op_end(&r);

    /* batch_dims = 1: row b gathers from params[b] */
    op_begin(&r, "GatherV2", 1);
    attr_int(&r, "batch_dims", -1);
    op_in(&r, iota(2, D(2, 3)));
    op_in(&r, i32(2, D(2, 2), I32(2, 0, 1, 1)));
    op_in(&r, scalar_i32(1));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT32, 2, D(2, 2), I32(2, 0, 4, 4));
    op_end(&r);

    op_begin(&r, "Gather", 1);
    op_in(&r, mk_strings(1, D(3), S("a", "b", "c")));
    op_in(&r, i32(1, D(3), I32(2, 2, 0)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_STRING, 1, D(3), S("c", "c", "a"));
    op_end(&r);

    op_begin(&r, "GatherV2", 1);
    op_in(&r, iota(1, D(3)));
    op_in(&r, i32(2, D(2, 2), I32(0, 1, 2, 3)));
    op_in(&r, scalar_i32(0));
    RUN_FAILS(&r, FERRY_ERR_RUNTIME, "indices[1,1] = 3 is not in [0, 3)");
    op_end(&r);

    op_begin(&r, "GatherV2", 1);
    op_in(&r, iota(1, D(3)));
    op_in(&r, i32(1, D(1), I32(-1)));
    op_in(&r, scalar_i32(0));
    RUN_FAILS(&r, FERRY_ERR_RUNTIME, "indices[0] = -1 is not in [0, 3)");
    op_end(&r);
}

static void gather_nd_slices(void)
{
    op_case r;
    op_begin(&r, "GatherNd", 1);
    op_in(&r, mk_strings(2, D(2, 2), S("a", "b", "c", "d")));
    op_in(&r, i32(2, D(2, 2), I32(1, 0, 0, 1)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_STRING, 1, D(2), S("c", "b"));
    op_end(&r);

    op_begin(&r, "GatherNd", 1);
    op_in(&r, iota(3, D(2, 2, 2)));
    op_in(&r, i64(2, D(2, 1), I64(1, 0)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT32, 3, D(2, 2, 2), I32(4, 5, 6, 7, 0, 1, 2, 3));
    op_end(&r);

    op_begin(&r, "GatherNd", 1);
    op_in(&r, iota(2, D(2, 3)));
    op_in(&r, i32(2, D(1, 2), I32(1, 3)));
    RUN_FAILS(&r, FERRY_ERR_RUNTIME, "indices[0] = [1, 3] does not index into param shape [2,3]");
    op_end(&r);
}

static void where_and_select(void)
{
    op_case r;
    op_begin(&r, "Where", 1);
    op_in(&r, mk(FERRY_DT_BOOL, 2, D(2, 2), U8(1, 0, 0, 1)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT64, 2, D(2, 2), I64(0, 0, 1, 1));
    op_end(&r);

    /* -0.0 is false, NaN is true */
    op_begin(&r, "Where", 1);
    op_in(&r, f32(1, D(4), F32(-0.0f, NAN, 0.0f, 2.0f)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT64, 2, D(2, 1), I64(1, 3));
    op_end(&r);

    op_begin(&r, "Select", 1);
    op_in(&r, mk(FERRY_DT_BOOL, 1, D(2), U8(0, 1)));
    op_in(&r, iota(2, D(2, 2)));
    op_in(&r, i32(2, D(2, 2), I32(-1, -2, -3, -4)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT32, 2, D(2, 2), I32(-1, -2, 2, 3));
    op_end(&r);

    op_begin(&r, "Select", 1);
    op_in(&r, mk(FERRY_DT_BOOL, 1, D(3), U8(0, 1, 0)));
    op_in(&r, iota(2, D(2, 2)));
    op_in(&r, iota(2, D(2, 2)));
    RUN_FAILS(&r, FERRY_ERR_INVALID_ARGUMENT, "vector over the first dim");
    op_end(&r);

    op_begin(&r, "SelectV2", 1);
    op_in(&r, mk(FERRY_DT_BOOL, 2, D(2, 1), U8(1, 0)));
    op_in(&r, mk_strings(1, D(3), S("a", "b", "c")));
    op_in(&r, mk_strings(0, NULL, S("-")));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_STRING, 2, D(2, 3), S("a", "b", "c", "-", "-", "-"));
    op_end(&r);

    op_begin(&r, "SelectV2", 1);
    op_in(&r, mk(FERRY_DT_BOOL, 1, D(2), U8(1, 0)));
    op_in(&r, iota(1, D(3)));
    op_in(&r, scalar_i32(0));
    RUN_FAILS(&r, FERRY_ERR_INVALID_ARGUMENT, "must be broadcastable");
    op_end(&r);
}

/* ---- Cast --------------------------------------------------------------------- */

static void cast_one(ferry_dtype from, ferry_dtype to, int truncate, int64_t n, const void *in, const void *want,
                     int line)
{
    op_case r;
    op_begin(&r, "Cast", 1);
    attr_type(&r, "DstT", to);
    if (truncate)
        attr_bool(&r, "Truncate", 1);
    op_in(&r, mk(from, 1, &n, in));
    if (op_exec(&r) != FERRY_OK || !expect_tensor(&r.out[0], to, 1, &n, want, __FILE__, line)) {
        fprintf(stderr, "  cast %s -> %s at line %d: %s\n", ferry_dtype_name(from), ferry_dtype_name(to), line,
                r.err ? ferry_error_message(r.err) : "");
        check_current_failed = 1;
    }
    op_end(&r);
}

#define CAST(from, to, n, in, want) cast_one(from, to, 0, n, in, want, __LINE__)
#define CAST_TRUNC(from, to, n, in, want) cast_one(from, to, 1, n, in, want, __LINE__)

static void cast_float_to_int_like_tf(void)
{
    const float x[] = { NAN, INFINITY, -INFINITY, 1e10f, -1e10f, 300.7f, -1.5f, 2.5e9f };
    CAST(FERRY_DT_FLOAT, FERRY_DT_INT32, 8, x,
         I32(INT32_MIN, INT32_MIN, INT32_MIN, INT32_MIN, INT32_MIN, 300, -1, INT32_MIN));
    CAST(FERRY_DT_FLOAT, FERRY_DT_INT64, 8, x,
         I64(INT64_MIN, INT64_MIN, INT64_MIN, 10000000000, -10000000000, 300, -1, 2500000000));
    CAST(FERRY_DT_FLOAT, FERRY_DT_UINT8, 8, x, U8(0, 0, 0, 0, 0, 255, 0, 0));
    CAST(FERRY_DT_FLOAT, FERRY_DT_INT8, 8, x, ((const int8_t[]){ -128, -128, -128, -128, -128, 127, -1, -128 }));
    CAST(FERRY_DT_FLOAT, FERRY_DT_UINT32, 8, x,
         ((const uint32_t[]){ 1u << 31, 1u << 31, 1u << 31, 1u << 31, 1u << 31, 300, 4294967295u, 2500000000u }));
    CAST(FERRY_DT_FLOAT, FERRY_DT_UINT64, 8, x,
         ((const uint64_t[]){ 1ull << 63, 1ull << 63, 1ull << 63, 10000000000ull, 18446744063709551616ull, 300,
                              18446744073709551615ull, 2500000000ull }));
    CAST(FERRY_DT_FLOAT, FERRY_DT_BOOL, 4, F32(NAN, -0.0f, 0.5f, 0.0f), U8(1, 0, 1, 0));
    CAST(FERRY_DT_DOUBLE, FERRY_DT_INT16, 3, ((const double[]){ 40000.0, -1.5, -40000.0 }), ((const int16_t[]){ 32767, -1, -32768 }));
}

static void cast_rounds_like_tf(void)
{
    /* int64 -> float rounds once: 2^54 + 2^30 + 1 goes up to 2^54 + 2^31 */
    const int64_t big = (INT64_C(1) << 54) + (INT64_C(1) << 30) + 1;
    const float up = 18014400656965632.0f;
    CAST(FERRY_DT_INT64, FERRY_DT_FLOAT, 1, &big, &up);
    /* float -> half and bfloat16: nearest even; 3.4e38 overflows bfloat16 */
    CAST(FERRY_DT_FLOAT, FERRY_DT_HALF, 3, F32(1.00146484375f, 65519.0f, 70000.0f), U16(15362, 31743, 31744));
    CAST(FERRY_DT_FLOAT, FERRY_DT_BFLOAT16, 4, F32(1.00390625f, 1.01171875f, 3.4e38f, NAN),
         U16(16256, 16258, 32640, 32704));
    CAST_TRUNC(FERRY_DT_FLOAT, FERRY_DT_BFLOAT16, 2, F32(1.01171875f, 3.4e38f), U16(16257, 32639));
    CAST_TRUNC(FERRY_DT_DOUBLE, FERRY_DT_HALF, 1, ((const double[]){ 1.00146484375 }), U16(15361));
    /* Truncate does not apply to double -> bfloat16 */
    CAST_TRUNC(FERRY_DT_DOUBLE, FERRY_DT_BFLOAT16, 1, ((const double[]){ 1.005859375 }), U16(16257));
    {
        const double x[] = { 1 + 3 * 0x1p-25 };
        const uint32_t rounded[] = { 0x3f800001 }, cut[] = { 0x3f800000 };
        CAST(FERRY_DT_DOUBLE, FERRY_DT_FLOAT, 1, x, rounded);
        CAST_TRUNC(FERRY_DT_DOUBLE, FERRY_DT_FLOAT, 1, x, cut);
    }
    /* double and half reach uint8 through uint16 and int16 (TF's vector path) */
    CAST(FERRY_DT_HALF, FERRY_DT_UINT8, 3, U16(0x5bd0, 0xc300, 0x78e2), U8(250, 0, 0));
    CAST(FERRY_DT_DOUBLE, FERRY_DT_UINT8, 3, ((const double[]){ 300.7, 32767.0, 89008.7 }), U8(255, 255, 0));
    CAST(FERRY_DT_INT32, FERRY_DT_UINT8, 3, I32(300, -1, 128), U8(44, 255, 128));
    CAST(FERRY_DT_BOOL, FERRY_DT_FLOAT, 2, U8(1, 0), F32(1, 0));
}

static void cast_flushes_denormals_like_tf(void)
{
    /* TF's kernels run with denormals flushed; float <-> bfloat16 works on bits */
    const float tiny[] = { 1e-40f, -1e-40f };
    CAST(FERRY_DT_FLOAT, FERRY_DT_DOUBLE, 2, tiny, ((const double[]){ 0.0, -0.0 }));
    CAST(FERRY_DT_FLOAT, FERRY_DT_BOOL, 2, tiny, U8(0, 0));
    CAST(FERRY_DT_FLOAT, FERRY_DT_BFLOAT16, 2, tiny, U16(1, 32769));
    CAST(FERRY_DT_DOUBLE, FERRY_DT_FLOAT, 1, ((const double[]){ 1e-40 }), F32(0));
}

static void cast_complex_and_same_type(void)
{
    const float c[] = { 3.7f, 2.0f, 0.0f, 1.0f };
    CAST(FERRY_DT_COMPLEX64, FERRY_DT_INT32, 2, c, I32(3, 0));
    CAST(FERRY_DT_COMPLEX64, FERRY_DT_BOOL, 2, c, U8(1, 0));
    CAST(FERRY_DT_FLOAT, FERRY_DT_COMPLEX64, 1, F32(1.5f), F32(1.5f, 0));

    op_case r;
    op_begin(&r, "Cast", 1);
    attr_type(&r, "DstT", FERRY_DT_STRING);
    op_in(&r, mk_strings(0, NULL, S("x")));
    RUN_OK(&r);
    CHECK(r.out[0].t == r.in[0].t && !r.out[0].owned);
    op_end(&r);

    op_begin(&r, "Cast", 1);
    attr_type(&r, "DstT", FERRY_DT_FLOAT);
    op_in(&r, mk_strings(0, NULL, S("1")));
    RUN_FAILS(&r, FERRY_ERR_UNSUPPORTED, "cast from string to float32");
    op_end(&r);
}

/* ---- Unique, TopK, Bucketize, Cumsum --------------------------------------------- */

static void unique_keeps_first_occurrence(void)
{
    op_case r;
    op_begin(&r, "Unique", 2);
    op_in(&r, i32(1, D(9), I32(1, 1, 2, 4, 4, 4, 7, 8, 8)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT32, 1, D(5), I32(1, 2, 4, 7, 8));
    EXPECT(&r, 1, FERRY_DT_INT32, 1, D(9), I32(0, 0, 1, 2, 2, 2, 3, 4, 4));
    op_end(&r);

    /* 0.0 equals -0.0; every NaN is its own value (TF 2.21) */
    op_begin(&r, "UniqueWithCounts", 3);
    attr_type(&r, "out_idx", FERRY_DT_INT64);
    op_in(&r, f32(1, D(6), F32(0.0f, -0.0f, NAN, NAN, 1.0f, 0.0f)));
    RUN_OK(&r);
    EXPECT(&r, 1, FERRY_DT_INT64, 1, D(6), I64(0, 0, 1, 2, 3, 0));
    EXPECT(&r, 2, FERRY_DT_INT64, 1, D(4), I64(3, 1, 1, 1));
    CHECK(r.out[0].t && r.out[0].t->count == 4 && isnan(((float *)r.out[0].t->data)[1]));
    op_end(&r);

    op_begin(&r, "Unique", 2);
    op_in(&r, mk_strings(1, D(4), S("b", "a", "b", "")));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_STRING, 1, D(3), S("b", "a", ""));
    EXPECT(&r, 1, FERRY_DT_INT32, 1, D(4), I32(0, 1, 0, 2));
    op_end(&r);

    op_begin(&r, "Unique", 2);
    op_in(&r, iota(2, D(2, 2)));
    RUN_FAILS(&r, FERRY_ERR_INVALID_ARGUMENT, "1-D");
    op_end(&r);
}

static void top_k_ties_by_index(void)
{
    op_case r;
    op_begin(&r, "TopKV2", 2);
    op_in(&r, i32(2, D(2, 4), I32(1, 3, 2, 3, 9, -1, 9, 0)));
    op_in(&r, scalar_i32(3));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT32, 2, D(2, 3), I32(3, 3, 2, 9, 9, 0));
    EXPECT(&r, 1, FERRY_DT_INT32, 2, D(2, 3), I32(1, 3, 2, 0, 2, 3));
    op_end(&r);

    op_begin(&r, "TopK", 2);
    attr_int(&r, "k", 1);
    op_in(&r, mk(FERRY_DT_HALF, 1, D(3), U16(0x3c00, 0xbc00, 0x4000)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_HALF, 1, D(1), U16(0x4000));
    EXPECT(&r, 1, FERRY_DT_INT32, 1, D(1), I32(2));
    op_end(&r);

    op_begin(&r, "TopKV2", 2);
    op_in(&r, iota(1, D(2)));
    op_in(&r, scalar_i32(3));
    RUN_FAILS(&r, FERRY_ERR_INVALID_ARGUMENT, "at least k columns");
    op_end(&r);
}

static void bucketize_upper_bound(void)
{
    op_case r;
    op_begin(&r, "Bucketize", 1);
    attr_floats(&r, "boundaries", F32(0, 10, 100), 3);
    op_in(&r, i32(1, D(6), I32(-5, 10000, 150, 10, 5, 100)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT32, 1, D(6), I32(0, 3, 3, 2, 1, 3));
    op_end(&r);

    /* int32 values compare as float: 16777217 becomes 16777216 */
    op_begin(&r, "Bucketize", 1);
    attr_floats(&r, "boundaries", F32(16777216.0f, 16777218.0f), 2);
    op_in(&r, i32(1, D(1), I32(16777217)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT32, 1, D(1), I32(1));
    op_end(&r);
}

/* Expected values from TensorFlow 2.21 (tf.raw_ops.LowerBound / UpperBound). */
static void lower_and_upper_bound(void)
{
    op_case r;
    op_begin(&r, "LowerBound", 1);
    op_in(&r, i32(2, D(2, 4), I32(1, 3, 3, 5, 0, 2, 2, 9)));
    op_in(&r, i32(2, D(2, 3), I32(3, 0, 6, 2, 10, -1)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT32, 2, D(2, 3), I32(1, 0, 4, 1, 4, 0));
    op_end(&r);

    op_begin(&r, "UpperBound", 1);
    attr_type(&r, "out_type", FERRY_DT_INT64);
    op_in(&r, i32(2, D(2, 4), I32(1, 3, 3, 5, 0, 2, 2, 9)));
    op_in(&r, i32(2, D(2, 3), I32(3, 0, 6, 2, 10, -1)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT64, 2, D(2, 3), I64(3, 0, 4, 3, 4, 0));
    op_end(&r);

    static const char *const ops[] = { "LowerBound", "UpperBound" };
    static const int32_t want[2][4] = { { 1, 0, 4, 3 }, { 3, 0, 4, 3 } };
    for (int k = 0; k < 2; k++) {
        op_begin(&r, ops[k], 1);
        op_in(&r, f32(2, D(1, 4), F32(0.5f, 1.5f, 1.5f, 2.5f)));
        op_in(&r, f32(2, D(1, 4), F32(1.5f, 0.1f, 3.0f, 2.4999f)));
        RUN_OK(&r);
        EXPECT(&r, 0, FERRY_DT_INT32, 2, D(1, 4), want[k]);
        op_end(&r);
    }

    op_begin(&r, "LowerBound", 1);
    op_in(&r, i32(2, D(2, 2), I32(1, 2, 3, 4)));
    op_in(&r, i32(2, D(1, 2), I32(1, 2)));
    RUN_FAILS(&r, FERRY_ERR_INVALID_ARGUMENT, "same number of rows");
    op_end(&r);
}

static void cumsum_modes(void)
{
    static const struct {
        int exclusive, reverse;
        int32_t want[3];
    } modes[] = { { 0, 0, { 1, 3, 6 } }, { 1, 0, { 0, 1, 3 } }, { 0, 1, { 6, 5, 3 } }, { 1, 1, { 5, 3, 0 } } };
    op_case r;
    for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
        op_begin(&r, "Cumsum", 1);
        attr_bool(&r, "exclusive", modes[m].exclusive);
        attr_bool(&r, "reverse", modes[m].reverse);
        op_in(&r, i32(1, D(3), I32(1, 2, 3)));
        op_in(&r, scalar_i32(0));
        RUN_OK(&r);
        EXPECT(&r, 0, FERRY_DT_INT32, 1, D(3), modes[m].want);
        op_end(&r);
    }

    op_begin(&r, "Cumsum", 1);
    op_in(&r, mk(FERRY_DT_INT8, 2, D(2, 2), ((const int8_t[]){ 100, 1, 100, 2 })));
    op_in(&r, i64(0, NULL, I64(-2)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT8, 2, D(2, 2), ((const int8_t[]){ 100, 1, -56, 3 }));
    op_end(&r);

    /* float16 rounds after every step (TF's bits) */
    op_begin(&r, "Cumsum", 1);
    op_in(&r, mk(FERRY_DT_HALF, 1, D(4), U16(0x2e66, 0x2e66, 0x2e66, 0x2e66)));
    op_in(&r, scalar_i32(0));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_HALF, 1, D(4), U16(0x2e66, 0x3266, 0x34cc, 0x3666));
    op_end(&r);

    op_begin(&r, "Cumprod", 1);
    attr_bool(&r, "exclusive", 1);
    op_in(&r, f32(1, D(3), F32(2, 3, 4)));
    op_in(&r, scalar_i32(0));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_FLOAT, 1, D(3), F32(1, 2, 6));
    op_end(&r);

    op_begin(&r, "Cumsum", 1);
    op_in(&r, scalar_i32(1));
    op_in(&r, scalar_i32(0));
    RUN_FAILS(&r, FERRY_ERR_INVALID_ARGUMENT, "axis must be in range");
    op_end(&r);
}


/* ---- more array ops (values from TensorFlow 2.21) ---------------------------- */

static void space_batch_depth(void)
{
    op_case r;
    op_begin(&r, "SpaceToBatchND", 1);
    op_in(&r, i32(4, D(1, 2, 4, 1), I32(1, 2, 3, 4, 5, 6, 7, 8)));
    op_in(&r, i32(1, D(2), I32(2, 2)));
    op_in(&r, i64(2, D(2, 2), I64(0, 0, 1, 1)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT32, 4, D(4, 1, 3, 1), I32(0, 2, 4, 1, 3, 0, 0, 6, 8, 5, 7, 0));
    op_end(&r);

    op_begin(&r, "BatchToSpaceND", 1);
    op_in(&r, i32(4, D(4, 1, 3, 1), I32(0, 2, 4, 1, 3, 0, 0, 6, 8, 5, 7, 0)));
    op_in(&r, i32(1, D(2), I32(2, 2)));
    op_in(&r, i32(2, D(2, 2), I32(0, 0, 1, 1)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT32, 4, D(1, 2, 4, 1), I32(1, 2, 3, 4, 5, 6, 7, 8));
    op_end(&r);

    op_begin(&r, "SpaceToBatchND", 1);
    op_in(&r, iota(3, D(1, 3, 1)));
    op_in(&r, i32(1, D(1), I32(2)));
    op_in(&r, i32(2, D(1, 2), I32(0, 0)));
    RUN_FAILS(&r, FERRY_ERR_INVALID_ARGUMENT, "not divisible by block_shape[0] = 2");
    op_end(&r);

    op_begin(&r, "DepthToSpace", 1);
    attr_int(&r, "block_size", 2);
    op_in(&r, iota(4, D(1, 1, 2, 4)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT32, 4, D(1, 2, 4, 1), I32(0, 1, 4, 5, 2, 3, 6, 7));
    op_end(&r);

    op_begin(&r, "SpaceToDepth", 1);
    attr_int(&r, "block_size", 2);
    op_in(&r, i32(4, D(1, 2, 4, 1), I32(0, 1, 4, 5, 2, 3, 6, 7)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT32, 4, D(1, 1, 2, 4), I32(0, 1, 2, 3, 4, 5, 6, 7));
    op_end(&r);

    op_begin(&r, "DepthToSpace", 1);
    attr_int(&r, "block_size", 2);
    attr_string(&r, "data_format", "NCHW");
    op_in(&r, iota(4, D(1, 4, 1, 1)));
    RUN_FAILS(&r, FERRY_ERR_UNSUPPORTED, "NHWC");
    op_end(&r);
}

static void matrix_band_and_diagonals(void)
{
    op_case r;
    op_begin(&r, "MatrixBandPart", 1);
    op_in(&r, iota(2, D(3, 4)));
    op_in(&r, scalar_i32(-1));
    op_in(&r, scalar_i32(1));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT32, 2, D(3, 4), I32(0, 1, 0, 0, 4, 5, 6, 0, 8, 9, 10, 11));
    op_end(&r);

    /* two diagonals k = [-1, 0]; RIGHT_LEFT puts the short subdiagonal left */
    op_begin(&r, "MatrixDiagV3", 1);
    op_in(&r, i32(2, D(2, 3), I32(1, 2, 3, 4, 5, 6)));
    op_in(&r, i32(1, D(2), I32(-1, 0)));
    op_in(&r, scalar_i32(-1));
    op_in(&r, scalar_i32(-1));
    op_in(&r, scalar_i32(9));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT32, 2, D(3, 3), I32(1, 9, 9, 4, 2, 9, 9, 5, 3));
    op_end(&r);

    op_begin(&r, "MatrixDiagPartV3", 1);
    attr_string(&r, "align", "LEFT_RIGHT");
    op_in(&r, iota(2, D(3, 4)));
    op_in(&r, i32(1, D(2), I32(-1, 2)));
    op_in(&r, scalar_i32(-1));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT32, 2, D(4, 3), I32(2, 7, -1, 1, 6, 11, 0, 5, 10, -1, 4, 9));
    op_end(&r);

    op_begin(&r, "MatrixSetDiagV3", 1);
    op_in(&r, iota(2, D(3, 4)));
    op_in(&r, i32(2, D(2, 3), I32(10, 11, 12, 20, 21, 22)));
    op_in(&r, i32(1, D(2), I32(0, 1)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT32, 2, D(3, 4), I32(20, 10, 2, 3, 4, 21, 11, 7, 8, 9, 22, 12));
    op_end(&r);

    op_begin(&r, "MatrixDiag", 1);
    op_in(&r, mk_strings(1, D(2), S("a", "b")));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_STRING, 2, D(2, 2), S("a", "", "", "b"));
    op_end(&r);
}

static void reverse_sequence_and_roll(void)
{
    op_case r;
    op_begin(&r, "ReverseSequence", 1);
    attr_int(&r, "seq_dim", 1);
    op_in(&r, iota(2, D(2, 4)));
    op_in(&r, i64(1, D(2), I64(3, 0)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT32, 2, D(2, 4), I32(2, 1, 0, 3, 4, 5, 6, 7));
    op_end(&r);

    op_begin(&r, "ReverseSequence", 1);
    attr_int(&r, "seq_dim", 1);
    op_in(&r, iota(2, D(2, 4)));
    op_in(&r, i64(1, D(2), I64(5, 0)));
    RUN_FAILS(&r, FERRY_ERR_RUNTIME, "seq_lengths[0] = 5");
    op_end(&r);

    op_begin(&r, "Roll", 1);
    op_in(&r, iota(2, D(2, 3)));
    op_in(&r, i32(1, D(2), I32(1, -5)));
    op_in(&r, i32(1, D(2), I32(1, 0)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT32, 2, D(2, 3), I32(5, 3, 4, 2, 0, 1));
    op_end(&r);
}

static void lin_space_bitcast_empty(void)
{
    op_case r;
    op_begin(&r, "LinSpace", 1);
    op_in(&r, f32(0, NULL, F32(0.1f)));
    op_in(&r, f32(0, NULL, F32(1.7f)));
    op_in(&r, scalar_i32(7));
    RUN_OK(&r);
    {
        const uint32_t bits[] = { 0x3dcccccd, 0x3ebbbbbc, 0x3f222223, 0x3f666668, 0x3f955556, 0x3fb77778, 0x3fd9999a };
        EXPECT(&r, 0, FERRY_DT_FLOAT, 1, D(7), bits);
    }
    op_end(&r);

    op_begin(&r, "LinSpace", 1);
    op_in(&r, f32(0, NULL, F32(0)));
    op_in(&r, f32(0, NULL, F32(1)));
    op_in(&r, scalar_i32(0));
    RUN_FAILS(&r, FERRY_ERR_INVALID_ARGUMENT, "requires num > 0");
    op_end(&r);

    op_begin(&r, "Bitcast", 1);
    attr_type(&r, "type", FERRY_DT_UINT16);
    op_in(&r, f32(1, D(1), F32(1.0f)));
    RUN_OK(&r);
    {
        uint16_t halves[2];
        const float one = 1.0f;
        memcpy(halves, &one, 4);
        EXPECT(&r, 0, FERRY_DT_UINT16, 2, D(1, 2), halves);
    }
    op_end(&r);

    op_begin(&r, "Bitcast", 1);
    attr_type(&r, "type", FERRY_DT_INT32);
    op_in(&r, mk(FERRY_DT_UINT16, 1, D(3), U16(1, 2, 3)));
    RUN_FAILS(&r, FERRY_ERR_INVALID_ARGUMENT, "the last dimension must be 2");
    op_end(&r);

    op_begin(&r, "Empty", 1);
    attr_type(&r, "dtype", FERRY_DT_INT64);
    op_in(&r, i32(1, D(2), I32(1, 2)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT64, 2, D(1, 2), I64(0, 0));
    op_end(&r);
}

static void check_numerics_names_the_problem(void)
{
    op_case r;
    op_begin(&r, "CheckNumerics", 1);
    attr_string(&r, "message", "logits");
    op_in(&r, f32(1, D(2), F32(1, 2)));
    RUN_OK(&r);
    CHECK(r.out[0].t == r.in[0].t);
    op_end(&r);

    op_begin(&r, "CheckNumerics", 1);
    attr_string(&r, "message", "logits");
    op_in(&r, f32(1, D(3), F32(1, INFINITY, NAN)));
    RUN_FAILS(&r, FERRY_ERR_RUNTIME, "logits : Tensor had Inf and NaN values");
    op_end(&r);
}

static void scatter_nd_and_tensor_scatter(void)
{
    op_case r;
    op_begin(&r, "ScatterNd", 1);
    op_in(&r, i32(2, D(3, 1), I32(1, 3, 1)));
    op_in(&r, i32(1, D(3), I32(9, 10, 11)));
    op_in(&r, i32(1, D(1), I32(4)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT32, 1, D(4), I32(0, 20, 0, 10));
    op_end(&r);

    op_begin(&r, "TensorScatterMax", 1);
    op_in(&r, i32(1, D(3), I32(1, 5, 3)));
    op_in(&r, i32(2, D(3, 1), I32(0, 1, 0)));
    op_in(&r, i32(1, D(3), I32(4, 2, 7)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT32, 1, D(3), I32(7, 5, 3));
    op_end(&r);

    op_begin(&r, "TensorScatterUpdate", 1);
    op_in(&r, mk_strings(2, D(2, 2), S("a", "b", "c", "d")));
    op_in(&r, i64(2, D(1, 1), I64(1)));
    op_in(&r, mk_strings(2, D(1, 2), S("x", "y")));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_STRING, 2, D(2, 2), S("a", "b", "x", "y"));
    op_end(&r);

    op_begin(&r, "ScatterNd", 1);
    op_in(&r, i32(2, D(1, 1), I32(5)));
    op_in(&r, f32(1, D(1), F32(1)));
    op_in(&r, i32(1, D(1), I32(3)));
    RUN_FAILS(&r, FERRY_ERR_RUNTIME, "outside shape [3]");
    op_end(&r);

    op_begin(&r, "TensorScatterAdd", 1);
    op_in(&r, mk_strings(1, D(1), S("a")));
    op_in(&r, i32(2, D(1, 1), I32(0)));
    op_in(&r, mk_strings(1, D(1), S("b")));
    RUN_FAILS(&r, FERRY_ERR_UNSUPPORTED, "string");
    op_end(&r);
}

static void resource_gather_reads_the_variable(void)
{
    ferry_tensor *value = iota(2, D(3, 2));
    fy_variable var = { .name = "emb", .dtype = FERRY_DT_INT32, .value = value };
    op_case r;
    op_begin(&r, "ResourceGather", 1);
    r.in[r.nin++] = (fy_value){ .var = &var };
    op_in(&r, i32(1, D(2), I32(2, 0)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT32, 2, D(2, 2), I32(4, 5, 0, 1));
    op_end(&r);

    var.value = NULL;
    op_begin(&r, "ResourceGather", 1);
    r.in[r.nin++] = (fy_value){ .var = &var };
    op_in(&r, i32(1, D(1), I32(0)));
    RUN_FAILS(&r, FERRY_ERR_RUNTIME, "variable 'emb' is not initialized");
    op_end(&r);
    ferry_tensor_free(value);
    CHECK(fy_op_find("ResourceGather")->traits & FY_OP_READS_STATE);
}

/* ---- hostile arguments ------------------------------------------------------------- */

static void hostile_sizes_fail_cleanly(void)
{
    op_case r;
    op_begin(&r, "Tile", 1);
    op_in(&r, iota(2, D(2, 2)));
    op_in(&r, i64(1, D(2), I64(INT64_MAX, 2)));
    RUN_FAILS(&r, FERRY_ERR_INVALID_ARGUMENT, "too large");
    op_end(&r);

    op_begin(&r, "Fill", 1);
    op_in(&r, i64(1, D(3), I64(INT64_C(1) << 40, INT64_C(1) << 40, 4)));
    op_in(&r, f32(0, NULL, F32(0)));
    CHECK(op_exec(&r) != FERRY_OK);
    op_end(&r);

    op_begin(&r, "Pad", 1);
    op_in(&r, iota(1, D(2)));
    op_in(&r, i64(2, D(1, 2), I64(INT64_MAX, 1)));
    RUN_FAILS(&r, FERRY_ERR_INVALID_ARGUMENT, "overflows");
    op_end(&r);

    op_begin(&r, "Reshape", 1);
    op_in(&r, mk(FERRY_DT_INT32, 3, D(0, INT64_C(1) << 40, INT64_C(1) << 40), NULL));
    op_in(&r, i64(1, D(2), I64(-1, 0)));
    RUN_FAILS(&r, FERRY_ERR_INVALID_ARGUMENT, "overflow");
    op_end(&r);

    op_begin(&r, "StridedSlice", 1);
    op_in(&r, iota(1, D(4)));
    op_in(&r, i64(1, D(1), I64(INT64_MIN)));
    op_in(&r, i64(1, D(1), I64(INT64_MAX)));
    op_in(&r, i64(1, D(1), I64(INT64_MAX)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT32, 1, D(1), I32(0));
    op_end(&r);

    op_begin(&r, "Split", 2);
    attr_int(&r, "num_split", 3);
    op_in(&r, scalar_i32(0));
    op_in(&r, iota(1, D(3)));
    RUN_FAILS(&r, FERRY_ERR_INVALID_ARGUMENT, "num_split 3");
    op_end(&r);
}

RUN_TESTS("kernels_array",
          TEST(shape_size_rank),
          TEST(reshape_infers_one_dim),
          TEST(expand_dims_and_squeeze),
          TEST(broadcast_shape_arithmetic),
          TEST(integer_overflow_wraps),
          TEST(fill_zeros_ones),
          TEST(range_follows_tf),
          TEST(one_hot_any_axis),
          TEST(pack_and_unpack),
          TEST(concat_both_forms),
          TEST(split_and_split_v),
          TEST(slice_checks_bounds),
          TEST(strided_slice_masks),
          TEST(transpose_tile_reverse),
          TEST(pad_modes),
          TEST(gather_v2_axes_and_batches),
          TEST(gather_nd_slices),
          TEST(where_and_select),
          TEST(cast_float_to_int_like_tf),
          TEST(cast_rounds_like_tf),
          TEST(cast_flushes_denormals_like_tf),
          TEST(cast_complex_and_same_type),
          TEST(unique_keeps_first_occurrence),
          TEST(top_k_ties_by_index),
          TEST(bucketize_upper_bound), TEST(lower_and_upper_bound),
          TEST(cumsum_modes),
          TEST(space_batch_depth),
          TEST(matrix_band_and_diagonals),
          TEST(reverse_sequence_and_roll),
          TEST(lin_space_bitcast_empty),
          TEST(check_numerics_names_the_problem),
          TEST(scatter_nd_and_tensor_scatter),
          TEST(resource_gather_reads_the_variable),
          TEST(hostile_sizes_fail_cleanly))
