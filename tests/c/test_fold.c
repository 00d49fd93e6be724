/* Constant folding at plan build: constant-only nodes leave the run order
 * and their results are computed once; random ops and anything fed stay
 * per run; a constant node that fails still fails at run time. */
#include <ferry/ferry.h>

#include "api/model_internal.h"
#include "check.h"
#include "graph_text.h"

#define CONST_F(name, v)                                                                                  \
    "node { name: '" name "' op: 'Const' attr { key: 'dtype' value { type: DT_FLOAT } }\n"                \
    "  attr { key: 'value' value { tensor { dtype: DT_FLOAT tensor_shape {} float_val: " v " } } } }\n"
#define BINARY(name, op, a, b) \
    "node { name: '" name "' op: '" op "' input: '" a "' input: '" b "' attr { key: 'T' value { type: DT_FLOAT } } }\n"

/* y = x + Identity(3 * 3 - 1); noise = x + RandomUniform([]); bad = 1 // 0 (int32) */
static const char graph[] =
    "node { name: 'x' op: 'Placeholder' attr { key: 'dtype' value { type: DT_FLOAT } } }\n"
    CONST_F("three", "3") CONST_F("one", "1")
    BINARY("nine", "Mul", "three", "three") BINARY("eight", "Sub", "nine", "one")
    "node { name: 'same' op: 'Identity' input: 'eight' attr { key: 'T' value { type: DT_FLOAT } } }\n"
    BINARY("y", "AddV2", "x", "same")
    "node { name: 'shape' op: 'Const' attr { key: 'dtype' value { type: DT_INT32 } }\n"
    "  attr { key: 'value' value { tensor { dtype: DT_INT32 tensor_shape { dim { size: 0 } } } } } }\n"
    "node { name: 'draw' op: 'RandomUniform' input: 'shape' attr { key: 'dtype' value { type: DT_FLOAT } }\n"
    "  attr { key: 'T' value { type: DT_INT32 } } }\n"
    BINARY("noise", "AddV2", "x", "draw")
    "node { name: 'zero' op: 'Const' attr { key: 'dtype' value { type: DT_INT32 } }\n"
    "  attr { key: 'value' value { tensor { dtype: DT_INT32 tensor_shape {} int_val: 0 } } } }\n"
    "node { name: 'ione' op: 'Const' attr { key: 'dtype' value { type: DT_INT32 } }\n"
    "  attr { key: 'value' value { tensor { dtype: DT_INT32 tensor_shape {} int_val: 1 } } } }\n"
    "node { name: 'bad' op: 'FloorDiv' input: 'ione' input: 'zero' attr { key: 'T' value { type: DT_INT32 } } }\n";

static ferry_model *load(void)
{
    return load_graph_text(graph, 0);
}

static ferry_status run(ferry_model *m, const char *fetch, float x, float *y, ferry_error **err)
{
    int64_t dims[1] = { 1 };
    ferry_tensor *in = NULL, *out = NULL;
    ferry_tensor_wrap(&in, FERRY_DT_FLOAT, dims, 1, &x, sizeof(x), NULL, NULL, NULL);
    const char *feed = "x:0";
    ferry_status st = ferry_model_run(&out, m, &feed, (const ferry_tensor *const *)&in, 1, &fetch, 1, NULL, 0, err);
    if (!st && y)
        *y = *(const float *)ferry_tensor_data(out);
    ferry_tensor_free(out);
    ferry_tensor_free(in);
    return st;
}

static void constant_nodes_run_once(void)
{
    ferry_model *m = load();
    float y = 0;
    CHECK_OK(run(m, "y:0", 2.0f, &y, err_));
    CHECK(y == 10.0f);
    /* The plan kept only x's consumer: the constants were folded into one
     * value, which Identity passed through (it now owns it). */
    const fy_plan *p = m && m->plans ? m->plans->plan : NULL;
    CHECK(p != NULL);
    if (p) {
        CHECK_EQ_INT(p->folded_count, 1);
        CHECK_EQ_INT(p->order_count, 1);
        CHECK(p->folded_count == 1 && *(const float *)p->folded[0].t->data == 8.0f);
    }
    CHECK_OK(run(m, "y:0", -1.0f, &y, err_));
    CHECK(y == 7.0f);
    ferry_model_free(m);
}

/* Ferry's random streams repeat per node, so the plan itself shows it:
 * the draw stays in the order, only its constant shape is folded. */
static void random_ops_stay_in_the_run(void)
{
    ferry_model *m = load();
    CHECK_OK(run(m, "noise:0", 0.0f, NULL, err_));
    const fy_plan *p = m && m->plans ? m->plans->plan : NULL;
    CHECK(p != NULL);
    if (p) {
        CHECK_EQ_INT(p->folded_count, 1);
        CHECK_EQ_INT(p->order_count, 2);
        const fy_graph *g = &m->runtime.graph;
        CHECK(p->order_count == 2 && !strcmp(g->nodes[p->order[0]].name, "draw"));
    }
    ferry_model_free(m);
}

static void failing_constants_fail_at_run_time(void)
{
    ferry_model *m = load();
    CHECK_FAILS(FERRY_ERR_RUNTIME, "division by zero", run(m, "bad:0", 0.0f, NULL, err_));
    ferry_model_free(m);
}

RUN_TESTS("fold", TEST(constant_nodes_run_once), TEST(random_ops_stay_in_the_run),
          TEST(failing_constants_fail_at_run_time))
