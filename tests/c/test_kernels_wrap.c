/* Integer kernels at the edges of their type: TensorFlow's integers wrap
 * around as two's complement (the signed minimum divided by -1 is itself,
 * its negation and absolute value too), and sums, products, scans, matrix
 * products and ranges that pass the type's range wrap the same way. The
 * expected values are what TensorFlow 2.21 returned for the same inputs.
 * Run under UBSan, these also show no signed overflow is left in the C. */
#include <stdint.h>
#include <unistd.h>

#include "check.h"
#include "op_harness.h"

static void binary(const char *op, ferry_dtype dt, const void *x, const void *y, const void *want, int n, int line)
{
    op_case r;
    op_begin(&r, op, 1);
    attr_type(&r, "T", dt);
    op_in(&r, mk(dt, 1, D(n), x));
    op_in(&r, mk(dt, 1, D(n), y));
    RUN_OK(&r);
    if (!expect_tensor(&r.out[0], dt, 1, D(n), want, __FILE__, line))
        check_current_failed = 1;
    op_end(&r);
}

static void unary(const char *op, ferry_dtype dt, const void *x, const void *want, int n, int line)
{
    op_case r;
    op_begin(&r, op, 1);
    attr_type(&r, "T", dt);
    op_in(&r, mk(dt, 1, D(n), x));
    RUN_OK(&r);
    if (!expect_tensor(&r.out[0], dt, 1, D(n), want, __FILE__, line))
        check_current_failed = 1;
    op_end(&r);
}

/* op along axis 0 of a vector: a scalar for reductions, a vector for scans. */
static void along(const char *op, ferry_dtype dt, const void *x, int n, const void *want, int scan, int line)
{
    op_case r;
    op_begin(&r, op, 1);
    attr_type(&r, "T", dt);
    op_in(&r, mk(dt, 1, D(n), x));
    op_in(&r, scalar_i32(0));
    RUN_OK(&r);
    if (!expect_tensor(&r.out[0], dt, scan ? 1 : 0, D(n), want, __FILE__, line))
        check_current_failed = 1;
    op_end(&r);
}

#define MIN32 INT32_MIN
#define MAX32 INT32_MAX
#define MIN64 INT64_MIN
#define MAX64 INT64_MAX

static void division_of_the_minimum_by_minus_one(void)
{
    /* TF: Div, TruncateDiv and FloorDiv give the minimum back; the remainders are 0. */
    static const char *const quotients[] = { "Div", "TruncateDiv", "FloorDiv" };
    static const char *const truncated[] = { "TruncateMod", "Mod" };
    for (int k = 0; k < 3; k++) {
        int floor = k == 2;
        binary(quotients[k], FERRY_DT_INT32, I32(MIN32, MIN32, 7, -7), I32(-1, 1, -1, 2),
               floor ? I32(MIN32, MIN32, -7, -4) : I32(MIN32, MIN32, -7, -3), 4, __LINE__);
        binary(quotients[k], FERRY_DT_INT64, I64(MIN64, MIN64, 7, -7), I64(-1, 1, -1, 2),
               floor ? I64(MIN64, MIN64, -7, -4) : I64(MIN64, MIN64, -7, -3), 4, __LINE__);
    }
    binary("FloorMod", FERRY_DT_INT32, I32(MIN32, MIN32, 7, -7), I32(-1, 1, -1, 2), I32(0, 0, 0, 1), 4, __LINE__);
    binary("FloorMod", FERRY_DT_INT64, I64(MIN64, MIN64, 7, -7), I64(-1, 1, -1, 2), I64(0, 0, 0, 1), 4, __LINE__);
    for (int k = 0; k < 2; k++) {
        binary(truncated[k], FERRY_DT_INT32, I32(MIN32, MIN32, 7, -7), I32(-1, 1, -1, 2), I32(0, 0, 0, -1), 4,
               __LINE__);
        binary(truncated[k], FERRY_DT_INT64, I64(MIN64, MIN64, 7, -7), I64(-1, 1, -1, 2), I64(0, 0, 0, -1), 4,
               __LINE__);
    }
    binary("FloorDiv", FERRY_DT_INT8, ((const int8_t[]){ -128 }), ((const int8_t[]){ -1 }),
           ((const int8_t[]){ -128 }), 1, __LINE__);
    binary("FloorMod", FERRY_DT_INT16, ((const int16_t[]){ -32768 }), ((const int16_t[]){ -1 }),
           ((const int16_t[]){ 0 }), 1, __LINE__);
}

static void negation_of_the_minimum(void)
{
    unary("Neg", FERRY_DT_INT32, I32(MIN32, 7, -7), I32(MIN32, -7, 7), 3, __LINE__);
    unary("Abs", FERRY_DT_INT32, I32(MIN32, 7, -7), I32(MIN32, 7, 7), 3, __LINE__);
    unary("Neg", FERRY_DT_INT64, I64(MIN64, 7, -7), I64(MIN64, -7, 7), 3, __LINE__);
    unary("Abs", FERRY_DT_INT64, I64(MIN64, 7, -7), I64(MIN64, 7, 7), 3, __LINE__);
    unary("Sign", FERRY_DT_INT64, I64(MIN64, 7, 0), I64(-1, 1, 0), 3, __LINE__);
    unary("Square", FERRY_DT_INT32, I32(MAX32, MIN32), I32(1, 0), 2, __LINE__);
    unary("Square", FERRY_DT_INT64, I64(MAX64), I64(1), 1, __LINE__);
    unary("Neg", FERRY_DT_INT8, ((const int8_t[]){ -128 }), ((const int8_t[]){ -128 }), 1, __LINE__);
    unary("Abs", FERRY_DT_INT16, ((const int16_t[]){ -32768 }), ((const int16_t[]){ -32768 }), 1, __LINE__);
}

static void reductions_wrap(void)
{
    along("Sum", FERRY_DT_INT32, I32(MAX32, 1), 2, I32(MIN32), 0, __LINE__);
    along("Sum", FERRY_DT_INT64, I64(MAX64, 1), 2, I64(MIN64), 0, __LINE__);
    along("Prod", FERRY_DT_INT32, I32(MAX32, 3), 2, I32(2147483645), 0, __LINE__);
    along("Prod", FERRY_DT_INT64, I64(MAX64, 3), 2, I64(9223372036854775805), 0, __LINE__);
    along("Sum", FERRY_DT_INT8, ((const int8_t[]){ 127, 1 }), 2, ((const int8_t[]){ -128 }), 0, __LINE__);
    /* TF's int32 mean sums without wrapping; int64's wraps (to -2, halved). */
    along("Mean", FERRY_DT_INT32, I32(MAX32, MAX32), 2, I32(MAX32), 0, __LINE__);
    along("Mean", FERRY_DT_INT64, I64(MAX64, MAX64), 2, I64(-1), 0, __LINE__);
}

static void add_n_wraps(void)
{
    op_case r;
    op_begin(&r, "AddN", 1);
    attr_type(&r, "T", FERRY_DT_INT32);
    attr_int(&r, "N", 2);
    op_in(&r, i32(1, D(2), I32(MAX32, MIN32)));
    op_in(&r, i32(1, D(2), I32(1, -1)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT32, 1, D(2), I32(MIN32, MAX32));
    op_end(&r);

    op_begin(&r, "AddN", 1);
    attr_type(&r, "T", FERRY_DT_INT64);
    attr_int(&r, "N", 2);
    op_in(&r, i64(1, D(1), I64(MAX64)));
    op_in(&r, i64(1, D(1), I64(1)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT64, 1, D(1), I64(MIN64));
    op_end(&r);
}

static void scans_wrap(void)
{
    along("Cumsum", FERRY_DT_INT32, I32(MAX32, 1, 1), 3, I32(MAX32, MIN32, MIN32 + 1), 1, __LINE__);
    along("Cumsum", FERRY_DT_INT64, I64(MAX64, 1, 1), 3, I64(MAX64, MIN64, MIN64 + 1), 1, __LINE__);
    along("Cumprod", FERRY_DT_INT32, I32(MAX32, 3, 1), 3, I32(MAX32, 2147483645, 2147483645), 1, __LINE__);
    along("Cumprod", FERRY_DT_INT64, I64(MAX64, 3, 1), 3, I64(MAX64, 9223372036854775805, 9223372036854775805), 1,
          __LINE__);
}

static void integer_products_wrap(void)
{
    op_case r;
    op_begin(&r, "MatMul", 1);
    attr_type(&r, "T", FERRY_DT_INT32);
    op_in(&r, i32(2, D(1, 2), I32(MAX32, 1)));
    op_in(&r, i32(2, D(2, 1), I32(2, 1)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT32, 2, D(1, 1), I32(-1));
    op_end(&r);

    op_begin(&r, "MatMul", 1);
    attr_type(&r, "T", FERRY_DT_INT64);
    op_in(&r, i64(2, D(1, 2), I64(MAX64, 1)));
    op_in(&r, i64(2, D(2, 1), I64(2, 1)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT64, 2, D(1, 1), I64(-1));
    op_end(&r);

    op_begin(&r, "BatchMatMulV2", 1);
    attr_type(&r, "T", FERRY_DT_INT64);
    op_in(&r, i64(3, D(1, 1, 2), I64(MAX64, 1)));
    op_in(&r, i64(3, D(1, 2, 1), I64(2, 1)));
    RUN_OK(&r);
    EXPECT(&r, 0, FERRY_DT_INT64, 3, D(1, 1, 1), I64(-1));
    op_end(&r);
}

static void range(ferry_dtype dt, const void *start, const void *limit, const void *delta, int n, const void *want,
                  int line)
{
    op_case r;
    op_begin(&r, "Range", 1);
    attr_type(&r, "Tidx", dt);
    op_in(&r, mk(dt, 0, NULL, start));
    op_in(&r, mk(dt, 0, NULL, limit));
    op_in(&r, mk(dt, 0, NULL, delta));
    RUN_OK(&r);
    if (!expect_tensor(&r.out[0], dt, 1, D(n), want, __FILE__, line))
        check_current_failed = 1;
    op_end(&r);
}

static void ranges_at_the_edges(void)
{
    range(FERRY_DT_INT32, I32(MAX32 - 2), I32(MAX32), I32(1), 2, I32(MAX32 - 2, MAX32 - 1), __LINE__);
    range(FERRY_DT_INT32, I32(MIN32), I32(MAX32), I32(MAX32), 3, I32(MIN32, -1, MAX32 - 1), __LINE__);
    range(FERRY_DT_INT64, I64(MAX64 - 2), I64(MAX64), I64(1), 2, I64(MAX64 - 2, MAX64 - 1), __LINE__);
    range(FERRY_DT_INT64, I64(MIN64), I64(MAX64), I64(MAX64), 3, I64(MIN64, -1, MAX64 - 1), __LINE__);
    range(FERRY_DT_INT64, I64(MAX64), I64(MIN64), I64(MIN64), 2, I64(MAX64, -1), __LINE__);
}

static void split_counts_must_be_positive(void)
{
    const int64_t counts[] = { 0, -1, INT64_MIN };
    for (int k = 0; k < 3; k++) {
        op_case r;
        op_begin(&r, "Split", 1);
        attr_int(&r, "num_split", counts[k]);
        op_in(&r, scalar_i32(0));
        op_in(&r, f32(1, D(4), F32(1, 2, 3, 4)));
        RUN_FAILS(&r, FERRY_ERR_INVALID_ARGUMENT, "num_split");
        op_end(&r);
    }
}

/* Sizes, axes and attributes at the ends of int64: a clean error, never
 * signed overflow on the way to it (UBSan would stop the test). */
static void fails(op_case *r, int line)
{
    ferry_status st = op_exec(r);
    if (st == FERRY_OK || !r->err || !strstr(ferry_error_message(r->err), "node 'n'")) {
        fprintf(stderr, "%s:%d: %s should have failed cleanly; got %d: %s\n", __FILE__, line, r->node.op, (int)st,
                r->err ? ferry_error_message(r->err) : "");
        check_current_failed = 1;
    }
    op_end(r);
}

static void hostile_sizes_fail_without_overflow(void)
{
    op_case r;
    op_begin(&r, "Range", 1);
    attr_type(&r, "Tidx", FERRY_DT_INT64);
    op_in(&r, i64(0, NULL, I64(MIN64)));
    op_in(&r, i64(0, NULL, I64(MAX64)));
    op_in(&r, i64(0, NULL, I64(1)));
    fails(&r, __LINE__);

    op_begin(&r, "Fill", 1);
    op_in(&r, i64(1, D(2), I64(MAX64, MAX64)));
    op_in(&r, f32(0, NULL, F32(1)));
    fails(&r, __LINE__);

    op_begin(&r, "Reshape", 1);
    op_in(&r, f32(1, D(4), F32(1, 2, 3, 4)));
    op_in(&r, i64(1, D(3), I64(MAX64, MAX64, -1)));
    fails(&r, __LINE__);

    op_begin(&r, "Tile", 1);
    op_in(&r, f32(2, D(2, 2), F32(1, 2, 3, 4)));
    op_in(&r, i64(1, D(2), I64(MAX64, MAX64)));
    fails(&r, __LINE__);

    op_begin(&r, "Pad", 1);
    op_in(&r, f32(1, D(2), F32(1, 2)));
    op_in(&r, i64(2, D(1, 2), I64(MAX64, MAX64)));
    fails(&r, __LINE__);

    op_begin(&r, "Slice", 1);
    op_in(&r, f32(1, D(4), F32(1, 2, 3, 4)));
    op_in(&r, i64(1, D(1), I64(MAX64)));
    op_in(&r, i64(1, D(1), I64(MAX64)));
    fails(&r, __LINE__);

    op_begin(&r, "StridedSlice", 1);
    attr_type(&r, "Index", FERRY_DT_INT64);
    op_in(&r, f32(1, D(4), F32(1, 2, 3, 4)));
    op_in(&r, i64(1, D(1), I64(MIN64)));
    op_in(&r, i64(1, D(1), I64(MAX64)));
    op_in(&r, i64(1, D(1), I64(MIN64)));
    ferry_status st = op_exec(&r); /* TF: an empty slice; either way no overflow */
    (void)st;
    op_end(&r);

    op_begin(&r, "SplitV", 2);
    attr_int(&r, "num_split", 2);
    op_in(&r, f32(1, D(4), F32(1, 2, 3, 4)));
    op_in(&r, i64(1, D(2), I64(MAX64, MAX64)));
    op_in(&r, scalar_i32(0));
    fails(&r, __LINE__);

    op_begin(&r, "SplitV", 3);
    attr_int(&r, "num_split", 3);
    op_in(&r, f32(1, D(4), F32(1, 2, 3, 4)));
    op_in(&r, i64(1, D(3), I64(MAX64, MIN64 + 5, -1)));
    op_in(&r, scalar_i32(0));
    fails(&r, __LINE__);

    op_begin(&r, "ExpandDims", 1);
    op_in(&r, f32(1, D(2), F32(1, 2)));
    op_in(&r, i64(0, NULL, I64(MIN64)));
    fails(&r, __LINE__);

    op_begin(&r, "Transpose", 1);
    op_in(&r, f32(1, D(2), F32(1, 2)));
    op_in(&r, i64(1, D(1), I64(MIN64)));
    fails(&r, __LINE__);

    op_begin(&r, "Sum", 1);
    attr_type(&r, "T", FERRY_DT_FLOAT);
    op_in(&r, f32(1, D(2), F32(1, 2)));
    op_in(&r, i64(0, NULL, I64(MIN64)));
    fails(&r, __LINE__);

    op_begin(&r, "Cumsum", 1);
    attr_type(&r, "T", FERRY_DT_FLOAT);
    op_in(&r, f32(1, D(2), F32(1, 2)));
    op_in(&r, i64(0, NULL, I64(MIN64)));
    fails(&r, __LINE__);

    op_begin(&r, "GatherV2", 1);
    op_in(&r, f32(1, D(2), F32(1, 2)));
    op_in(&r, i64(1, D(1), I64(MIN64)));
    op_in(&r, i64(0, NULL, I64(0)));
    fails(&r, __LINE__);

    op_begin(&r, "BroadcastTo", 1);
    op_in(&r, f32(1, D(1), F32(1)));
    op_in(&r, i64(1, D(3), I64(MAX64, MAX64, 2)));
    fails(&r, __LINE__);

    op_begin(&r, "TopKV2", 2);
    op_in(&r, f32(1, D(2), F32(1, 2)));
    op_in(&r, i64(0, NULL, I64(MAX64)));
    fails(&r, __LINE__);

    static const int64_t huge_window[] = { 1, MAX64, MAX64, 1 };
    static const char *const pools[] = { "MaxPool", "AvgPool" };
    static const char *const paddings[] = { "SAME", "VALID" };
    for (int k = 0; k < 4; k++) {
        op_begin(&r, pools[k % 2], 1);
        attr_type(&r, "T", FERRY_DT_FLOAT);
        attr_ints(&r, "ksize", huge_window, 4);
        attr_ints(&r, "strides", huge_window, 4);
        attr_string(&r, "padding", paddings[k / 2]);
        op_in(&r, f32(4, D(1, 2, 2, 1), F32(1, 2, 3, 4)));
        st = op_exec(&r); /* SAME: one window; VALID: refused. Either way no overflow. */
        (void)st;
        op_end(&r);
    }

    for (int k = 0; k < 2; k++) {
        op_begin(&r, "Conv2D", 1);
        attr_type(&r, "T", FERRY_DT_FLOAT);
        attr_ints(&r, "strides", huge_window, 4);
        attr_ints(&r, "dilations", huge_window, 4);
        attr_string(&r, "padding", paddings[k]);
        op_in(&r, f32(4, D(1, 2, 2, 1), F32(1, 2, 3, 4)));
        op_in(&r, f32(4, D(2, 2, 1, 1), F32(1, 2, 3, 4)));
        st = op_exec(&r);
        (void)st;
        op_end(&r);
    }

    op_begin(&r, "SpaceToDepth", 1);
    attr_type(&r, "T", FERRY_DT_FLOAT);
    attr_int(&r, "block_size", MAX64);
    op_in(&r, f32(4, D(1, 2, 2, 1), F32(1, 2, 3, 4)));
    fails(&r, __LINE__);

    op_begin(&r, "DepthToSpace", 1);
    attr_type(&r, "T", FERRY_DT_FLOAT);
    attr_int(&r, "block_size", 1LL << 32);
    op_in(&r, f32(4, D(1, 2, 2, 1), F32(1, 2, 3, 4)));
    fails(&r, __LINE__);

    op_begin(&r, "ResizeBilinear", 1);
    attr_type(&r, "T", FERRY_DT_FLOAT);
    op_in(&r, f32(4, D(1, 2, 2, 1), F32(1, 2, 3, 4)));
    op_in(&r, i32(1, D(2), I32(MAX32, MAX32)));
    fails(&r, __LINE__);

    op_begin(&r, "MatrixBandPart", 1);
    op_in(&r, f32(2, D(2, 2), F32(1, 2, 3, 4)));
    op_in(&r, i64(0, NULL, I64(MAX64)));
    op_in(&r, i64(0, NULL, I64(MIN64)));
    fails(&r, __LINE__);

    op_begin(&r, "LinSpace", 1);
    op_in(&r, f32(0, NULL, F32(0)));
    op_in(&r, f32(0, NULL, F32(1)));
    op_in(&r, i64(0, NULL, I64(MAX64)));
    fails(&r, __LINE__);

    op_begin(&r, "Roll", 1);
    op_in(&r, f32(1, D(3), F32(1, 2, 3)));
    op_in(&r, i64(1, D(2), I64(MIN64, MIN64)));
    op_in(&r, i64(1, D(2), I64(0, 0)));
    RUN_OK(&r);
    op_end(&r);
}

/* A vocabulary's values are line numbers plus `offset`, wrapping as TF's
 * int64 does: with offset 2^63 - 2 TF 2.21 maps a, b, c to 2^63 - 2,
 * 2^63 - 1 and -2^63. */
static void vocabulary_line_numbers_wrap(void)
{
    char dir[] = "/tmp/ferry_vocab_XXXXXX", graph[64], vocab[64];
    if (!mkdtemp(dir))
        return;
    snprintf(graph, sizeof(graph), "%s/g.pbtxt", dir);
    snprintf(vocab, sizeof(vocab), "%s/vocab.txt", dir);
    FILE *f = fopen(vocab, "w");
    if (f) {
        fputs("a\nb\nc\n", f);
        fclose(f);
    }
    f = fopen(graph, "w");
    if (f) {
        fprintf(f,
                "node { name: \"table\" op: \"HashTableV2\" attr { key: \"key_dtype\" value { type: DT_STRING } }\n"
                "  attr { key: \"value_dtype\" value { type: DT_INT64 } } }\n"
                "node { name: \"file\" op: \"Const\" attr { key: \"dtype\" value { type: DT_STRING } }\n"
                "  attr { key: \"value\" value { tensor { dtype: DT_STRING tensor_shape { }\n"
                "    string_val: \"%s\" } } } }\n"
                "node { name: \"init\" op: \"InitializeTableFromTextFileV2\" input: \"table\" input: \"file\"\n"
                "  attr { key: \"key_index\" value { i: -2 } } attr { key: \"value_index\" value { i: -1 } }\n"
                "  attr { key: \"offset\" value { i: 9223372036854775806 } } }\n"
                "node { name: \"keys\" op: \"Const\" attr { key: \"dtype\" value { type: DT_STRING } }\n"
                "  attr { key: \"value\" value { tensor { dtype: DT_STRING tensor_shape { dim { size: 4 } }\n"
                "    string_val: \"a\" string_val: \"b\" string_val: \"c\" string_val: \"z\" } } } }\n"
                "node { name: \"dflt\" op: \"Const\" attr { key: \"dtype\" value { type: DT_INT64 } }\n"
                "  attr { key: \"value\" value { tensor { dtype: DT_INT64 tensor_shape { } int64_val: -5 } } } }\n"
                "node { name: \"find\" op: \"LookupTableFindV2\" input: \"table\" input: \"keys\" input: \"dflt\"\n"
                "  input: \"^init\" attr { key: \"Tin\" value { type: DT_STRING } }\n"
                "  attr { key: \"Tout\" value { type: DT_INT64 } } }\n",
                vocab);
        fclose(f);
    }
    ferry_model *m = NULL;
    CHECK_OK(ferry_model_load(&m, graph, NULL, err_));
    ferry_tensor *out = NULL;
    const char *fetch = "find";
    if (m)
        CHECK_OK(ferry_model_run(&out, m, NULL, NULL, 0, &fetch, 1, NULL, 0, err_));
    fy_value v = { .t = out };
    CHECK(out && expect_tensor(&v, FERRY_DT_INT64, 1, D(4), I64(MAX64 - 1, MAX64, MIN64, -5), __FILE__, __LINE__));
    ferry_tensor_free(out);
    ferry_model_free(m);
    unlink(vocab);
    unlink(graph);
    rmdir(dir);
}

RUN_TESTS("kernels_wrap", TEST(division_of_the_minimum_by_minus_one), TEST(negation_of_the_minimum),
          TEST(reductions_wrap), TEST(add_n_wraps), TEST(scans_wrap), TEST(integer_products_wrap),
          TEST(ranges_at_the_edges), TEST(split_counts_must_be_positive), TEST(hostile_sizes_fail_without_overflow),
          TEST(vocabulary_line_numbers_wrap))
