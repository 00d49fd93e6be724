/* Static shape inference (runtime/shapes.c): what a plan knows of its
 * values' shapes before any run, and the contradictions it refuses. */
#include <ferry/ferry.h>

#include "api/model_internal.h"
#include "check.h"
#include "graph_text.h"
#include "runtime/shapes.h"

#define ATTR_T "attr { key: 'T' value { type: DT_FLOAT } }"
#define INTS(name, shape, vals)                                                                          \
    "node { name: '" name "' op: 'Const' attr { key: 'dtype' value { type: DT_INT32 } }\n"              \
    "  attr { key: 'value' value { tensor { dtype: DT_INT32 tensor_shape { " shape " } " vals " } } } }\n"
#define FLOATS(name, shape)                                                                              \
    "node { name: '" name "' op: 'Const' attr { key: 'dtype' value { type: DT_FLOAT } }\n"              \
    "  attr { key: 'value' value { tensor { dtype: DT_FLOAT tensor_shape { " shape " } float_val: 0.5 } } } }\n"
#define DIM(n) "dim { size: " #n " } "

/* x [?,28,28,3] -> conv 3x3x3x8 SAME stride 2 -> bias -> relu -> maxpool 2
 * VALID -> reshape [-1, 392] -> matmul [392,10] -> softmax; plus a mean over
 * the channels and a transpose. */
static const char cnn[] =
    "node { name: 'x' op: 'Placeholder' attr { key: 'dtype' value { type: DT_FLOAT } }\n"
    "  attr { key: 'shape' value { shape { dim { size: -1 } " DIM(28) DIM(28) DIM(3) "} } } }\n"
    FLOATS("k", DIM(3) DIM(3) DIM(3) DIM(8))
    FLOATS("b", DIM(8))
    FLOATS("w", DIM(392) DIM(10))
    INTS("flat", DIM(2), "int_val: -1 int_val: 392")
    INTS("axis", DIM(1), "int_val: 3")
    INTS("perm", DIM(4), "int_val: 0 int_val: 3 int_val: 1 int_val: 2")
    "node { name: 'conv' op: 'Conv2D' input: 'x' input: 'k' " ATTR_T "\n"
    "  attr { key: 'strides' value { list { i: 1 i: 2 i: 2 i: 1 } } }\n"
    "  attr { key: 'padding' value { s: 'SAME' } } }\n"
    "node { name: 'biased' op: 'BiasAdd' input: 'conv' input: 'b' " ATTR_T " }\n"
    "node { name: 'relu' op: 'Relu' input: 'biased' " ATTR_T " }\n"
    "node { name: 'pool' op: 'MaxPool' input: 'relu' " ATTR_T "\n"
    "  attr { key: 'ksize' value { list { i: 1 i: 2 i: 2 i: 1 } } }\n"
    "  attr { key: 'strides' value { list { i: 1 i: 2 i: 2 i: 1 } } }\n"
    "  attr { key: 'padding' value { s: 'VALID' } } }\n"
    "node { name: 'rows' op: 'Reshape' input: 'pool' input: 'flat' " ATTR_T " }\n"
    "node { name: 'logits' op: 'MatMul' input: 'rows' input: 'w' " ATTR_T " }\n"
    "node { name: 'probs' op: 'Softmax' input: 'logits' " ATTR_T " }\n"
    "node { name: 'mean' op: 'Mean' input: 'pool' input: 'axis' " ATTR_T
    " attr { key: 'keep_dims' value { b: true } } }\n"
    "node { name: 'nchw' op: 'Transpose' input: 'pool' input: 'perm' " ATTR_T " }\n";

/* The shapes of the named fetches of a plan built on m's graph. */
static void infer_fetches(ferry_model *m, const char *const *fetches, int n, fy_shape *out)
{
    fy_plan *p = NULL;
    CHECK_OK(fy_plan_build(&p, &m->runtime, NULL, 0, fetches, n, NULL, 0, err_));
    fy_shape *all = p ? malloc((size_t)p->slot_count * sizeof(fy_shape)) : NULL;
    if (all) {
        CHECK_OK(fy_plan_infer_shapes(p, &m->runtime, all, err_));
        for (int i = 0; i < n; i++)
            out[i] = all[p->slot_base[p->fetches[i].node] + p->fetches[i].index];
    }
    free(all);
    fy_plan_free(p);
}

static void check_shape(const char *what, const fy_shape *s, int rank, const int64_t *dims)
{
    char have[128], want[128];
    fy_shape_format(have, sizeof(have), s->dims, s->rank);
    fy_shape_format(want, sizeof(want), dims, rank);
    if (strcmp(have, want) != 0) {
        fprintf(stderr, "%s: inferred %s, want %s\n", what, have, want);
        check_current_failed = 1;
    }
}

static void cnn_shapes_follow_the_ops(void)
{
    ferry_model *m = load_graph_text(cnn, 1);
    if (!m)
        return;
    const char *fetches[] = { "conv", "pool", "rows", "probs", "mean", "nchw" };
    fy_shape s[6];
    memset(s, 0, sizeof(s));
    infer_fetches(m, fetches, 6, s);
    check_shape("conv", &s[0], 4, (int64_t[]){ -1, 14, 14, 8 });
    check_shape("pool", &s[1], 4, (int64_t[]){ -1, 7, 7, 8 });
    check_shape("rows", &s[2], 2, (int64_t[]){ -1, 392 });
    check_shape("probs", &s[3], 2, (int64_t[]){ -1, 10 });
    check_shape("mean", &s[4], 4, (int64_t[]){ -1, 7, 7, 1 });
    check_shape("nchw", &s[5], 4, (int64_t[]){ -1, 8, 7, 7 });
    ferry_model_free(m);
}

/* Attributes and declared shapes at the ends of int64 leave dims unknown
 * (the kernels refuse them at run time) without overflowing on the way:
 * UBSan stops the test if they do. */
static void absurd_sizes_infer_without_overflow(void)
{
    static const char graph[] =
        "node { name: 'x' op: 'Placeholder' attr { key: 'dtype' value { type: DT_FLOAT } }\n"
        "  attr { key: 'shape' value { shape { " DIM(1) DIM(5) DIM(5) DIM(4) "} } } }\n"
        "node { name: 'deep' op: 'Placeholder' attr { key: 'dtype' value { type: DT_FLOAT } }\n"
        "  attr { key: 'shape' value { shape { " DIM(1) DIM(1) DIM(1) DIM(4611686018427387904) "} } } }\n"
        "node { name: 'f' op: 'Placeholder' attr { key: 'dtype' value { type: DT_FLOAT } }\n"
        "  attr { key: 'shape' value { shape { " DIM(1) DIM(1) DIM(-1) DIM(4) "} } } }\n"
        "node { name: 'g' op: 'Placeholder' attr { key: 'dtype' value { type: DT_FLOAT } }\n"
        "  attr { key: 'shape' value { shape { " DIM(2) DIM(2) DIM(4) DIM(4) "} } } }\n"
        "node { name: 'y' op: 'Placeholder' attr { key: 'dtype' value { type: DT_FLOAT } }\n"
        "  attr { key: 'shape' value { shape { " DIM(9223372036854775807) "} } } }\n"
        INTS("ax", "", "int_val: 0")
        "node { name: 'same' op: 'MaxPool' input: 'x' " ATTR_T "\n"
        "  attr { key: 'ksize' value { list { i: 1 i: 2 i: 2 i: 1 } } }\n"
        "  attr { key: 'strides' value { list { i: 1 i: 9223372036854775807 i: 9223372036854775807 i: 1 } } }\n"
        "  attr { key: 'padding' value { s: 'SAME' } } }\n"
        "node { name: 'dilated' op: 'Conv2D' input: 'x' input: 'g' " ATTR_T "\n"
        "  attr { key: 'strides' value { list { i: 1 i: 1 i: 1 i: 1 } } }\n"
        "  attr { key: 'dilations' value { list { i: 1 i: 9223372036854775807 i: 2 i: 1 } } }\n"
        "  attr { key: 'padding' value { s: 'VALID' } } }\n"
        "node { name: 'depthwise' op: 'DepthwiseConv2dNative' input: 'deep' input: 'f' " ATTR_T "\n"
        "  attr { key: 'strides' value { list { i: 1 i: 1 i: 1 i: 1 } } }\n"
        "  attr { key: 'padding' value { s: 'VALID' } } }\n"
        "node { name: 'joined' op: 'ConcatV2' input: 'y' input: 'y' input: 'ax' " ATTR_T
        " attr { key: 'N' value { i: 2 } } }\n";
    ferry_model *m = load_graph_text(graph, 1);
    if (!m)
        return;
    const char *fetches[] = { "same", "depthwise", "joined", "dilated" };
    fy_shape s[4];
    memset(s, 0, sizeof(s));
    infer_fetches(m, fetches, 4, s);
    check_shape("same", &s[0], 4, (int64_t[]){ 1, 1, 1, 4 });
    check_shape("depthwise", &s[1], 4, (int64_t[]){ 1, 1, 1, -1 });
    check_shape("joined", &s[2], 1, (int64_t[]){ -1 });
    check_shape("dilated", &s[3], 4, (int64_t[]){ 1, -1, 3, 4 });
    ferry_model_free(m);
}

/* Graphs whose static shapes contradict: the first run (which builds the
 * plan) fails with the node named, as TensorFlow refuses them. */
static void expect_refused(const char *graph, const char *fetch, const char *node, const char *words)
{
    ferry_model *m = load_graph_text(graph, 1);
    if (!m)
        return;
    ferry_tensor *out = NULL;
    ferry_error *e = NULL;
    CHECK(ferry_model_run(&out, m, NULL, NULL, 0, &fetch, 1, NULL, 0, &e) == FERRY_ERR_INVALID_ARGUMENT);
    const char *msg = e ? ferry_error_message(e) : "";
    if (!strstr(msg, node) || !strstr(msg, words)) {
        fprintf(stderr, "message \"%s\" should name %s and say \"%s\"\n", msg, node, words);
        check_current_failed = 1;
    }
    ferry_error_free(e);
    ferry_tensor_free(out);
    ferry_model_free(m);
}

static void contradictions_are_refused(void)
{
    expect_refused(FLOATS("a", DIM(2) DIM(3)) FLOATS("b", DIM(4) DIM(5))
                   "node { name: 'mm' op: 'MatMul' input: 'a' input: 'b' " ATTR_T " }\n",
                   "mm", "'mm' (MatMul)", "inner dimensions of [2,3] and [4,5] differ");
    expect_refused(FLOATS("a", DIM(2) DIM(3)) FLOATS("b", DIM(4))
                   "node { name: 'sum' op: 'AddV2' input: 'a' input: 'b' " ATTR_T " }\n",
                   "sum", "'sum' (AddV2)", "[2,3] and [4] cannot broadcast");
    expect_refused(FLOATS("a", DIM(2) DIM(3)) INTS("to", DIM(2), "int_val: 4 int_val: 2")
                   "node { name: 'r' op: 'Reshape' input: 'a' input: 'to' " ATTR_T " }\n",
                   "r", "'r' (Reshape)", "cannot reshape [2,3] to [4,2]");
    expect_refused(FLOATS("a", DIM(2) DIM(3)) FLOATS("b", DIM(4) DIM(4)) INTS("ax", "", "int_val: 0")
                   "node { name: 'c' op: 'ConcatV2' input: 'a' input: 'b' input: 'ax' " ATTR_T
                   " attr { key: 'N' value { i: 2 } } }\n",
                   "c", "'c' (ConcatV2)", "differ off the axis");
    expect_refused(FLOATS("a", DIM(2) DIM(3)) FLOATS("b", DIM(4))
                   "node { name: 'ba' op: 'BiasAdd' input: 'a' input: 'b' " ATTR_T " }\n",
                   "ba", "'ba' (BiasAdd)", "bias [4] does not match the channels of [2,3]");
    expect_refused(FLOATS("a", DIM(2) DIM(3))
                   "node { name: 'sq' op: 'Squeeze' input: 'a' " ATTR_T
                   " attr { key: 'squeeze_dims' value { list { i: 1 } } } }\n",
                   "sq", "'sq' (Squeeze)", "cannot squeeze");
}

/* Every signature of the TensorFlow-written fixtures: where the signature
 * declares a dim of an output and inference knows it too, they agree. */
static void fixtures_agree_with_their_signatures(void)
{
    static const char *const models[] = { "tf2_cnn", "tf2_mlp", "tf2_lstm", "tf2_gru", "tf2_transformer",
                                          "tf2_multi_io", "tf2_control_flow", "tf1_simple_save" };
    int known = 0, declared = 0;
    for (size_t i = 0; i < sizeof(models) / sizeof(models[0]); i++) {
        char path[512];
        snprintf(path, sizeof(path), "%s/%s/saved_model", FERRY_FIXTURES, models[i]);
        ferry_model *m = NULL;
        CHECK_OK(ferry_model_load(&m, path, NULL, err_));
        for (size_t s = 0; m && s < m->signature_count; s++) {
            const ferry_signature *sig = &m->signatures[s];
            fy_plan *p = sig->plan;
            fy_shape *all = p ? malloc((size_t)p->slot_count * sizeof(fy_shape)) : NULL;
            if (!all) {
                CHECK(!p); /* a signature Ferry cannot run has no plan */
                continue;
            }
            CHECK_OK(fy_plan_infer_shapes(p, &m->runtime, all, err_));
            for (size_t o = 0; o < sig->output_count && (int)o < p->fetch_count; o++) {
                const ferry_tensor_info *info = &sig->outputs[o];
                fy_edge e;
                if (fy_graph_tensor(&e, &m->runtime.graph, info->tensor, NULL) != FERRY_OK)
                    continue;
                const fy_shape *got = &all[p->slot_base[e.node] + e.index];
                if (info->rank < 0 || got->rank < 0)
                    continue;
                if (got->rank != info->rank) {
                    fprintf(stderr, "%s %s: rank %d inferred, %d declared\n", models[i], info->name, got->rank,
                            info->rank);
                    check_current_failed = 1;
                    continue;
                }
                for (int d = 0; d < got->rank; d++) {
                    declared += info->dims[d] >= 0;
                    known += info->dims[d] >= 0 && got->dims[d] >= 0;
                    if (info->dims[d] >= 0 && got->dims[d] >= 0 && info->dims[d] != got->dims[d]) {
                        fprintf(stderr, "%s %s: dim %d inferred %lld, declared %lld\n", models[i], info->name, d,
                                (long long)got->dims[d], (long long)info->dims[d]);
                        check_current_failed = 1;
                    }
                }
            }
            free(all);
        }
        ferry_model_free(m);
    }
    printf("  %d of %d declared output dims inferred\n", known, declared);
    CHECK(known * 2 > declared);
}

RUN_TESTS("shapes", TEST(cnn_shapes_follow_the_ops), TEST(absurd_sizes_infer_without_overflow),
          TEST(contradictions_are_refused), TEST(fixtures_agree_with_their_signatures))
