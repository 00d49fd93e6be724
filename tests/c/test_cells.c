/* Keras LSTM cells run as one kernel (runtime/cells.c, kernels/lstm_cell.c):
 * the rewrite finds the cell, and the fused kernel gives the bits of the ops
 * one by one. The rewrite applies to functions' graphs (loop bodies); here
 * it is applied to a model's graph directly, to compare the two on one. */
#include <math.h>

#include <ferry/ferry.h>

#include "api/model_internal.h"
#include "check.h"
#include "graph_text.h"
#include "runtime/cells.h"

#define ATTR_T "attr { key: 'T' value { type: DT_FLOAT } }"
#define OP1(name, op, a) "node { name: '" name "' op: '" op "' input: '" a "' " ATTR_T " }\n"
#define OP2(name, op, a, b) "node { name: '" name "' op: '" op "' input: '" a "' input: '" b "' " ATTR_T " }\n"
#define PLACEHOLDER(name)                                                                                \
    "node { name: '" name "' op: 'Placeholder' attr { key: 'dtype' value { type: DT_FLOAT } } }\n"
#define INT_CONST(name, v)                                                                               \
    "node { name: '" name "' op: 'Const' attr { key: 'dtype' value { type: DT_INT32 } }\n"                \
    "  attr { key: 'value' value { tensor { dtype: DT_INT32 tensor_shape { } int_val: " #v " } } } }\n"
#define SPLIT(name, dim, value)                                                                          \
    "node { name: '" name "' op: 'Split' input: '" dim "' input: '" value "' " ATTR_T                     \
    " attr { key: 'num_split' value { i: 4 } } }\n"
/* The cell as Keras writes it, on z = PRE; operands of the products and the
 * sum in both orders, as the fusion must accept either. */
#define CELL(PRE)                                                                                        \
    SPLIT("split", "dim", PRE) OP1("i", "Sigmoid", "split:0") OP1("f", "Sigmoid", "split:1")               \
    OP1("g", "Tanh", "split:2") OP1("o", "Sigmoid", "split:3") OP2("kept", "Mul", "c", "f")               \
    OP2("fresh", "Mul", "i", "g") OP2("cn", "AddV2", "fresh", "kept") OP1("squashed", "Tanh", "cn")        \
    OP2("h", "Mul", "o", "squashed")

static const char with_bias[] = PLACEHOLDER("x") PLACEHOLDER("bias") PLACEHOLDER("c") INT_CONST("dim", 1)
    OP2("z", "BiasAdd", "x", "bias") CELL("z");
static const char plain[] = PLACEHOLDER("z") PLACEHOLDER("c") INT_CONST("dim", -1) CELL("z");
static const char first_axis[] = PLACEHOLDER("x") PLACEHOLDER("bias") PLACEHOLDER("c") INT_CONST("dim", 0)
    OP2("z", "BiasAdd", "x", "bias") CELL("z");

static ferry_tensor *floats(const int64_t *dims, int rank, float scale, int seed)
{
    ferry_tensor *t = NULL;
    CHECK_OK(ferry_tensor_new(&t, FERRY_DT_FLOAT, dims, rank, err_));
    for (int64_t i = 0; t && i < t->count; i++)
        ((float *)t->data)[i] = scale * (float)(((i + seed) * 37) % 101 - 50) / 50.0f;
    if (t && t->count > 3) {
        ((float *)t->data)[1] = NAN;
        ((float *)t->data)[2] = 120.0f;
        ((float *)t->data)[3] = -95.0f;
    }
    return t;
}

/* Runs `text` on the feeds, unfused and fused, and compares the bits of
 * c' and h'; `fused_expected` says whether the rewrite should apply. */
static void compare(const char *text, const char *const *names, ferry_tensor **feeds, int feed_count,
                    int fused_expected)
{
    ferry_model *plain_model = load_graph_text(text, 1), *fused = load_graph_text(text, 1);
    if (!plain_model || !fused)
        goto done;
    const char *before[2] = { "cn:0", "h:0" }, *after[2] = { "cn:0", "cn:1" };
    ferry_tensor *want[2] = { NULL, NULL }, *got[2] = { NULL, NULL };
    CHECK_OK(ferry_model_run(want, plain_model, names, (const ferry_tensor *const *)feeds, (size_t)feed_count, before,
                             2, NULL, 0, err_));
    CHECK_OK(fy_cells_fuse(&fused->runtime, 0, err_));
    int cn = fy_graph_find(&fused->runtime.graph, "cn");
    int rewritten = cn >= 0 && !strcmp(fused->runtime.graph.nodes[cn].op, "_FerryLSTMCell");
    CHECK_EQ_INT(rewritten, fused_expected);
    if (rewritten) {
        CHECK_OK(ferry_model_run(got, fused, names, (const ferry_tensor *const *)feeds, (size_t)feed_count, after, 2,
                                 NULL, 0, err_));
        for (int k = 0; k < 2; k++) {
            CHECK(want[k] && got[k] && want[k]->count == got[k]->count && want[k]->rank == got[k]->rank);
            if (want[k] && got[k] && want[k]->count == got[k]->count)
                CHECK(!memcmp(want[k]->data, got[k]->data, (size_t)want[k]->count * sizeof(float)));
        }
    }
    for (int k = 0; k < 2; k++) {
        ferry_tensor_free(want[k]);
        ferry_tensor_free(got[k]);
    }
done:
    ferry_model_free(plain_model);
    ferry_model_free(fused);
}

/* Gates split along the last dim, through a BiasAdd, 3 rows of 70 (more
 * than one chunk of the kernel's loop). */
static void cells_with_bias_give_the_ops_bits(void)
{
    int64_t zd[2] = { 3, 280 }, bd[1] = { 280 }, cd[2] = { 3, 70 };
    ferry_tensor *feeds[3] = { floats(zd, 2, 9.0f, 0), floats(bd, 1, 2.0f, 5), floats(cd, 2, 3.0f, 9) };
    const char *names[3] = { "x", "bias", "c" };
    compare(with_bias, names, feeds, 3, 1);
    for (int i = 0; i < 3; i++)
        ferry_tensor_free(feeds[i]);
}

static void cells_without_bias_give_the_ops_bits(void)
{
    int64_t zd[3] = { 2, 2, 12 }, cd[3] = { 2, 2, 3 };
    ferry_tensor *feeds[2] = { floats(zd, 3, 30.0f, 1), floats(cd, 3, 3.0f, 2) };
    const char *names[2] = { "z", "c" };
    compare(plain, names, feeds, 2, 1);
    for (int i = 0; i < 2; i++)
        ferry_tensor_free(feeds[i]);
}

/* Split along the first dim, the bias along the last, and a cell state
 * that broadcasts along the rows. */
static void cells_split_elsewhere_give_the_ops_bits(void)
{
    int64_t zd[2] = { 8, 6 }, bd[1] = { 6 }, cd[1] = { 6 };
    ferry_tensor *feeds[3] = { floats(zd, 2, 5.0f, 3), floats(bd, 1, 1.0f, 4), floats(cd, 1, 2.0f, 6) };
    const char *names[3] = { "x", "bias", "c" };
    compare(first_axis, names, feeds, 3, 1);
    for (int i = 0; i < 3; i++)
        ferry_tensor_free(feeds[i]);
}

/* An intermediate with a second reader, or gates in another order, is not a
 * Keras cell: the graph stays as it is. */
static void other_shapes_are_left_alone(void)
{
    static const char extra_reader[] = PLACEHOLDER("z") PLACEHOLDER("c") INT_CONST("dim", -1) CELL("z")
        OP1("peek", "Identity", "f");
    static const char swapped[] = PLACEHOLDER("z") PLACEHOLDER("c") INT_CONST("dim", -1)
        SPLIT("split", "dim", "z") OP1("i", "Sigmoid", "split:0") OP1("f", "Sigmoid", "split:2")
        OP1("g", "Tanh", "split:1") OP1("o", "Sigmoid", "split:3") OP2("kept", "Mul", "c", "f")
        OP2("fresh", "Mul", "i", "g") OP2("cn", "AddV2", "fresh", "kept") OP1("squashed", "Tanh", "cn")
        OP2("h", "Mul", "o", "squashed");
    int64_t zd[2] = { 2, 8 }, cd[2] = { 2, 2 };
    ferry_tensor *feeds[2] = { floats(zd, 2, 3.0f, 1), floats(cd, 2, 1.0f, 2) };
    const char *names[2] = { "z", "c" };
    compare(extra_reader, names, feeds, 2, 0);
    compare(swapped, names, feeds, 2, 0);
    for (int i = 0; i < 2; i++)
        ferry_tensor_free(feeds[i]);
}

/* Shapes the fused kernel cannot take fail with the node named. */
static void bad_cell_state_fails_with_the_node_named(void)
{
    ferry_model *m = load_graph_text(plain, 1);
    if (!m)
        return;
    CHECK_OK(fy_cells_fuse(&m->runtime, 0, err_));
    int64_t zd[2] = { 2, 8 }, cd[2] = { 2, 3 };
    ferry_tensor *feeds[2] = { floats(zd, 2, 1.0f, 1), floats(cd, 2, 1.0f, 2) }, *out[2] = { NULL, NULL };
    const char *names[2] = { "z", "c" }, *fetches[2] = { "cn:0", "cn:1" };
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "node 'cn' (_FerryLSTMCell): cell state [2,3] does not broadcast",
                ferry_model_run(out, m, names, (const ferry_tensor *const *)feeds, 2, fetches, 2, NULL, 0, err_));
    for (int i = 0; i < 2; i++)
        ferry_tensor_free(feeds[i]);
    ferry_model_free(m);
}

RUN_TESTS("cells", TEST(cells_with_bias_give_the_ops_bits), TEST(cells_without_bias_give_the_ops_bits),
          TEST(cells_split_elsewhere_give_the_ops_bits), TEST(other_shapes_are_left_alone),
          TEST(bad_cell_state_fails_with_the_node_named))
