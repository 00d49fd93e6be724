/* Kernels may write their output over an input the run reads no more
 * (fy_output_reuse). These graphs use one value in several places, fetch it,
 * feed it and pass it twice to one node: every reader must still see it. */
#include <ferry/ferry.h>

#include "check.h"
#include "graph_text.h"

/* x (float [4]) -> a = x + 1, read by Reshape, Mul twice and Relu (which
 * runs first of them: ready nodes run in reverse file order here). */
static const char graph[] =
    "node { name: 'x' op: 'Placeholder' attr { key: 'dtype' value { type: DT_FLOAT } } }\n"
    "node { name: 'one' op: 'Const' attr { key: 'dtype' value { type: DT_FLOAT } }\n"
    "  attr { key: 'value' value { tensor { dtype: DT_FLOAT tensor_shape {} float_val: 1 } } } }\n"
    "node { name: 'two' op: 'Const' attr { key: 'dtype' value { type: DT_FLOAT } }\n"
    "  attr { key: 'value' value { tensor { dtype: DT_FLOAT tensor_shape {} float_val: 2 } } } }\n"
    "node { name: 'shape' op: 'Const' attr { key: 'dtype' value { type: DT_INT32 } }\n"
    "  attr { key: 'value' value { tensor { dtype: DT_INT32 tensor_shape { dim { size: 2 } } int_val: 2 int_val: 2 } } } }\n"
    "node { name: 'a' op: 'AddV2' input: 'x' input: 'one' attr { key: 'T' value { type: DT_FLOAT } } }\n"
    "node { name: 'grid' op: 'Reshape' input: 'a' input: 'shape' attr { key: 'T' value { type: DT_FLOAT } } }\n"
    "node { name: 'square' op: 'Mul' input: 'a' input: 'a' attr { key: 'T' value { type: DT_FLOAT } } }\n"
    "node { name: 'twice' op: 'Mul' input: 'a' input: 'two' attr { key: 'T' value { type: DT_FLOAT } } }\n"
    "node { name: 'relu' op: 'Relu' input: 'a' attr { key: 'T' value { type: DT_FLOAT } } }\n"
    "node { name: 'flat' op: 'Reshape' input: 'grid' input: 'shape' attr { key: 'T' value { type: DT_FLOAT } } }\n"
    "node { name: 'neg' op: 'Neg' input: 'twice' attr { key: 'T' value { type: DT_FLOAT } } }\n"
    "node { name: 'diff' op: 'Sub' input: 'neg' input: 'relu' attr { key: 'T' value { type: DT_FLOAT } } }\n";

static const float xs[4] = { -3, -0.5f, 0.5f, 2 };

static ferry_model *load(void)
{
    return load_graph_text(graph, 0);
}

/* Runs with x fed and the given fetches; checks each against want[i][j](x). */
static void run_and_check(ferry_model *m, const char *const *fetches, size_t n, float (*const *want)(float))
{
    int64_t dims[1] = { 4 };
    float x[4];
    memcpy(x, xs, sizeof(x));
    ferry_tensor *in = NULL, *out[8] = { 0 };
    CHECK_OK(ferry_tensor_wrap(&in, FERRY_DT_FLOAT, dims, 1, x, sizeof(x), NULL, NULL, err_));
    const char *feed = "x:0";
    CHECK_OK(ferry_model_run(out, m, &feed, (const ferry_tensor *const *)&in, 1, fetches, n, NULL, 0, err_));
    for (size_t i = 0; i < n; i++) {
        CHECK(out[i] && ferry_tensor_element_count(out[i]) == 4);
        CHECK(out[i] && ferry_tensor_rank(out[i]) == (strstr(fetches[i], "grid") || strstr(fetches[i], "flat") ? 2 : 1));
        const float *v = out[i] ? ferry_tensor_data(out[i]) : NULL;
        for (int j = 0; v && j < 4; j++)
            if (v[j] != want[i](xs[j])) {
                fprintf(stderr, "fetch %s[%d] = %g, want %g\n", fetches[i], j, v[j], want[i](xs[j]));
                check_current_failed = 1;
            }
        ferry_tensor_free(out[i]);
    }
    /* The caller's feed is never written. */
    CHECK(memcmp(x, xs, sizeof(x)) == 0);
    ferry_tensor_free(in);
}

static float f_a(float x) { return x + 1; }
static float f_relu(float x) { return x + 1 > 0 ? x + 1 : 0; }
static float f_twice(float x) { return 2 * (x + 1); }
static float f_square(float x) { return (x + 1) * (x + 1); }
static float f_diff(float x) { return -f_twice(x) - f_relu(x); }

static void shared_value_survives_each_reader(void)
{
    ferry_model *m = load();
    const char *fetches[] = { "diff:0", "square:0", "flat:0" };
    float (*const want[])(float) = { f_diff, f_square, f_a };
    run_and_check(m, fetches, 3, want);
    ferry_model_free(m);
}

static void fetched_value_is_not_overwritten(void)
{
    ferry_model *m = load();
    const char *fetches[] = { "a:0", "relu:0", "twice:0", "grid:0" };
    float (*const want[])(float) = { f_a, f_relu, f_twice, f_a };
    run_and_check(m, fetches, 4, want);
    ferry_model_free(m);
}

static void fed_value_is_not_overwritten(void)
{
    ferry_model *m = load();
    int64_t dims[1] = { 4 };
    float a[4] = { 1, 2, 3, 4 };
    ferry_tensor *in = NULL, *out = NULL;
    CHECK_OK(ferry_tensor_wrap(&in, FERRY_DT_FLOAT, dims, 1, a, sizeof(a), NULL, NULL, err_));
    const char *feed = "a:0", *fetch = "diff:0";
    CHECK_OK(ferry_model_run(&out, m, &feed, (const ferry_tensor *const *)&in, 1, &fetch, 1, NULL, 0, err_));
    const float *v = out ? ferry_tensor_data(out) : NULL;
    for (int j = 0; v && j < 4; j++)
        CHECK(v[j] == -2 * a[j] - a[j]);
    CHECK(a[0] == 1 && a[3] == 4);
    ferry_tensor_free(out);
    ferry_tensor_free(in);
    ferry_model_free(m);
}

RUN_TESTS("in_place", TEST(shared_value_survives_each_reader), TEST(fetched_value_is_not_overwritten),
          TEST(fed_value_is_not_overwritten))
