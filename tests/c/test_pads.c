/* Zero pads folded into the convolutions they feed (runtime/rewrite_pads.c):
 * a Pad whose only reader is a VALID convolution becomes part of it, and the
 * convolution then gives the bits it gives on the padded tensor. */
#include <ferry/ferry.h>

#include "api/model_internal.h"
#include "check.h"
#include "graph_text.h"
#include "runtime/passes.h"

#define ATTR_T "attr { key: 'T' value { type: DT_FLOAT } }"
#define FLOATS(name, dims, vals)                                                                          \
    "node { name: '" name "' op: 'Const' attr { key: 'dtype' value { type: DT_FLOAT } }\n"                 \
    "  attr { key: 'value' value { tensor { dtype: DT_FLOAT tensor_shape { " dims " } " vals " } } } }\n"
#define CONV(name, op, in, filter)                                                                        \
    "node { name: '" name "' op: '" op "' input: '" in "' input: '" filter "' " ATTR_T "\n"               \
    "  attr { key: 'strides' value { list { i: 1 i: 2 i: 2 i: 1 } } }\n"                                   \
    "  attr { key: 'padding' value { s: 'VALID' } } }\n"

/* x [1, 5, 6, 2] padded by 1 and 2 rows, 2 and 1 columns (PadV2 by 0 for
 * the depthwise one, by 1 for a third that must stay a Pad), then 3 x 3
 * convolutions with stride 2. */
static const char graph[] =
    "node { name: 'x' op: 'Placeholder' attr { key: 'dtype' value { type: DT_FLOAT } } }\n"
    "node { name: 'paddings' op: 'Const' attr { key: 'dtype' value { type: DT_INT32 } }\n"
    "  attr { key: 'value' value { tensor { dtype: DT_INT32 tensor_shape { dim { size: 4 } dim { size: 2 } }\n"
    "    int_val: 0 int_val: 0 int_val: 1 int_val: 2 int_val: 2 int_val: 1 int_val: 0 int_val: 0 } } } }\n"
    FLOATS("zero", "", "float_val: 0") FLOATS("one", "", "float_val: 1")
    FLOATS("filter", "dim { size: 3 } dim { size: 3 } dim { size: 2 } dim { size: 3 }",
           "float_val: 0.5 float_val: -1.25 float_val: 2 float_val: 0.75 float_val: -0.5 float_val: 1.5")
    FLOATS("dw_filter", "dim { size: 3 } dim { size: 3 } dim { size: 2 } dim { size: 1 }",
           "float_val: 0.25 float_val: -1.5 float_val: 3 float_val: 1.25")
    "node { name: 'padded' op: 'Pad' input: 'x' input: 'paddings' " ATTR_T " }\n"
    "node { name: 'padded0' op: 'PadV2' input: 'x' input: 'paddings' input: 'zero' " ATTR_T " }\n"
    "node { name: 'padded1' op: 'PadV2' input: 'x' input: 'paddings' input: 'one' " ATTR_T " }\n"
    CONV("conv", "Conv2D", "padded", "filter") CONV("dw", "DepthwiseConv2dNative", "padded0", "dw_filter")
    CONV("ones", "DepthwiseConv2dNative", "padded1", "dw_filter");

/* The same with a second reader of each pad: nothing folds. */
static const char unfolded[] =
    "node { name: 'seen' op: 'IdentityN' input: 'padded' input: 'padded0' "
    "attr { key: 'T' value { list { type: DT_FLOAT type: DT_FLOAT } } } }\n";

/* How many steps of the plan for these fetches are convolutions that took a pad. */
static int folded_pads(ferry_model *m, const char *const *fetches, int n)
{
    fy_plan *p = NULL;
    const char *feed = "x:0";
    CHECK_OK(fy_passes_plan(&p, &m->runtime, &feed, 1, fetches, n, NULL, 0, err_));
    int count = 0;
    for (int k = 0; p && k < p->order_count; k++)
        count += fy_node_attr(&m->runtime.graph.nodes[p->order[k]], "_ferry_pads") != NULL;
    fy_plan_free(p);
    return p ? count : -1;
}

static void pads_fold_into_their_convolutions(void)
{
    char both[sizeof(graph) + sizeof(unfolded)];
    snprintf(both, sizeof(both), "%s%s", graph, unfolded);
    ferry_model *m = load_graph_text(graph, 1), *apart = load_graph_text(both, 1);
    if (!m || !apart)
        return;
    const char *alone[3] = { "conv:0", "dw:0", "ones:0" };
    const char *with_pads[5] = { "conv:0", "dw:0", "ones:0", "padded:0", "padded0:0" };
    CHECK_EQ_INT(folded_pads(m, alone, 3), 2);        /* the Pad and the PadV2 by 0 */
    CHECK_EQ_INT(folded_pads(m, with_pads, 5), 2);    /* a fetched pad is made too */
    CHECK_EQ_INT(folded_pads(apart, alone, 3), 0);    /* a pad read twice stays */
    int64_t dims[4] = { 1, 5, 6, 2 };
    ferry_tensor *x = NULL;
    CHECK_OK(ferry_tensor_new(&x, FERRY_DT_FLOAT, dims, 4, err_));
    for (int64_t i = 0; x && i < x->count; i++)
        ((float *)x->data)[i] = (float)((i * 13) % 17) * 0.375f - 3.0f;
    const char *feed = "x";
    ferry_tensor *folded[3] = { NULL }, *made[5] = { NULL };
    CHECK_OK(ferry_model_run(folded, m, &feed, (const ferry_tensor *const *)&x, 1, alone, 3, NULL, 0, err_));
    CHECK_OK(ferry_model_run(made, apart, &feed, (const ferry_tensor *const *)&x, 1, with_pads, 5, NULL, 0, err_));
    for (int k = 0; k < 3; k++) {
        CHECK(folded[k] && made[k] && folded[k]->count == made[k]->count && folded[k]->rank == 4);
        if (folded[k] && made[k] && folded[k]->count == made[k]->count)
            CHECK(!memcmp(folded[k]->data, made[k]->data, (size_t)made[k]->count * sizeof(float)));
    }
    /* [1, 5 + 3, 6 + 3, *] through a 3 x 3 window with stride 2: 3 x 4. */
    CHECK(folded[0] && folded[0]->dims[1] == 3 && folded[0]->dims[2] == 4 && folded[0]->dims[3] == 3);
    /* Fed the pad, the plan runs the convolution as written. */
    CHECK_EQ_INT(folded_pads(m, alone, 3), 2);
    ferry_tensor *fed = NULL;
    const char *pad_feed = "padded:0", *conv = "conv:0";
    if (made[3])
        CHECK_OK(ferry_model_run(&fed, m, &pad_feed, (const ferry_tensor *const *)&made[3], 1, &conv, 1, NULL, 0, err_));
    CHECK(fed && made[0] && fed->count == made[0]->count &&
          !memcmp(fed->data, made[0]->data, (size_t)fed->count * sizeof(float)));
    ferry_tensor_free(fed);
    for (int k = 0; k < 5; k++) {
        if (k < 3)
            ferry_tensor_free(folded[k]);
        ferry_tensor_free(made[k]);
    }
    ferry_tensor_free(x);
    ferry_model_free(m);
    ferry_model_free(apart);
}

RUN_TESTS("pads", TEST(pads_fold_into_their_convolutions))
