/* Chains of per-channel elementwise ops run as one pass
 * (runtime/rewrite_chains.c): the same bits as the ops one by one, and no
 * fusing where an intermediate result has another reader or the operands'
 * shapes are not known; a fetched intermediate is made on its own. */
#include <math.h>

#include <ferry/ferry.h>

#include "api/model_internal.h"
#include "check.h"
#include "graph_text.h"
#include "runtime/passes.h"

#define ATTR_T "attr { key: 'T' value { type: DT_FLOAT } }"
#define VEC(name, n, vals)                                                                               \
    "node { name: '" name "' op: 'Const' attr { key: 'dtype' value { type: DT_FLOAT } }\n"              \
    "  attr { key: 'value' value { tensor { dtype: DT_FLOAT tensor_shape { dim { size: " #n " } } " vals " } } } }\n"
#define OP2(name, op, a, b) "node { name: '" name "' op: '" op "' input: '" a "' input: '" b "' " ATTR_T " }\n"
#define OP1(name, op, a) "node { name: '" name "' op: '" op "' input: '" a "' " ATTR_T " }\n"

/* x [?, 3]: y = relu6((x * scale + shift) - bias) as batch norm leaves it;
 * z = relu(2 - x) through Sub the other way round and BiasAdd. */
static const char graph[] =
    "node { name: 'x' op: 'Placeholder' attr { key: 'dtype' value { type: DT_FLOAT } }\n"
    "  attr { key: 'shape' value { shape { dim { size: -1 } dim { size: 3 } } } } }\n"
    "node { name: 'free' op: 'Placeholder' attr { key: 'dtype' value { type: DT_FLOAT } } }\n"
    VEC("scale", 3, "float_val: 0.5 float_val: -2 float_val: 3") VEC("shift", 3, "float_val: 1 float_val: 2 float_val: -3")
    VEC("bias", 3, "float_val: 0.25 float_val: 0.125 float_val: 4") VEC("two", 1, "float_val: 2")
    OP2("scaled", "Mul", "x", "scale") OP2("shifted", "AddV2", "shifted_in", "shift")
    OP1("shifted_in", "Identity", "scaled")
    OP2("centred", "Sub", "shifted", "bias") OP1("y", "Relu6", "centred")
    OP2("flipped", "Sub", "two", "x") OP2("biased", "BiasAdd", "flipped", "bias") OP1("z", "Relu", "biased")
    /* Operands whose shape is not known before the run: fused or not, right. */
    OP2("loose", "Mul", "x", "free") OP2("loose2", "AddV2", "loose", "shift");

static float want_y(float x, int c)
{
    static const float scale[3] = { 0.5f, -2, 3 }, shift[3] = { 1, 2, -3 }, bias[3] = { 0.25f, 0.125f, 4 };
    float v = x * scale[c];
    v = v + shift[c];
    v = v - bias[c];
    return v < 0 ? 0 : v > 6 ? 6 : v;
}

static float want_z(float x, int c)
{
    static const float bias[3] = { 0.25f, 0.125f, 4 };
    float v = 2 - x;
    v = v + bias[c];
    return v > 0 ? v : 0;
}

/* Steps of a plan that run a chain: *convs of them are convolutions, and
 * *steps the chain steps all of them take. */
static int fused_steps(ferry_model *m, const char *const *fetches, int n, int *convs, int *steps)
{
    fy_plan *p = NULL;
    const char *feed = "x:0";
    CHECK_OK(fy_passes_plan(&p, &m->runtime, &feed, 1, fetches, n, NULL, 0, err_));
    int count = 0;
    *convs = *steps = 0;
    for (int k = 0; p && k < p->order_count; k++) {
        const fy_node *node = &m->runtime.graph.nodes[p->order[k]];
        const Tensorflow__AttrValue *chain = fy_node_attr(node, "_ferry_chain");
        if (!chain)
            continue;
        count++;
        *convs += strcmp(node->op, "_FerryChain") != 0;
        *steps += (int)chain->list->n_i;
    }
    fy_plan_free(p);
    return p ? count : -1;
}

static int chains_for(ferry_model *m, const char *fetch)
{
    int convs, steps;
    return fused_steps(m, &fetch, 1, &convs, &steps);
}

/* A graph with one more node reading `names` (an IdentityN), so that none
 * of them is fused: the ops one by one. */
static ferry_model *load_unfused(const char *graph, const char *const *names, int n, int threads)
{
    size_t len = strlen(graph) + 256 + (size_t)n * 64;
    char *text = malloc(len);
    if (!text)
        return NULL;
    size_t at = (size_t)snprintf(text, len, "%snode { name: 'seen' op: 'IdentityN'", graph);
    for (int i = 0; i < n; i++)
        at += (size_t)snprintf(text + at, len - at, " input: '%s'", names[i]);
    at += (size_t)snprintf(text + at, len - at, " attr { key: 'T' value { list {");
    for (int i = 0; i < n; i++)
        at += (size_t)snprintf(text + at, len - at, " type: DT_FLOAT");
    snprintf(text + at, len - at, " } } } }\n");
    ferry_model *m = load_graph_text(text, threads);
    free(text);
    return m;
}

static void run_rows(ferry_model *m, const char *const *fetches, int n, const float *x, int rows, const float *free_v,
                     int free_n, ferry_tensor **out)
{
    int64_t dims[2] = { rows, 3 }, fdims[1] = { free_n };
    ferry_tensor *in[2] = { 0 };
    CHECK_OK(ferry_tensor_wrap(&in[0], FERRY_DT_FLOAT, dims, 2, (void *)x, (size_t)rows * 3 * sizeof(float), NULL,
                               NULL, err_));
    int feeds = free_v ? 2 : 1;
    if (free_v)
        CHECK_OK(ferry_tensor_wrap(&in[1], FERRY_DT_FLOAT, fdims, 1, (void *)free_v, (size_t)free_n * sizeof(float),
                                   NULL, NULL, err_));
    const char *names[2] = { "x:0", "free:0" };
    CHECK_OK(ferry_model_run(out, m, names, (const ferry_tensor *const *)in, (size_t)feeds, fetches, (size_t)n, NULL, 0,
                             err_));
    ferry_tensor_free(in[0]);
    ferry_tensor_free(in[1]);
}

static void chains_give_the_ops_results(void)
{
    ferry_model *m = load_graph_text(graph, 1);
    if (!m)
        return;
    CHECK(chains_for(m, "y:0") == 1); /* scaled -> (Identity) -> shifted is cut; shifted -> centred -> y */
    CHECK(chains_for(m, "z:0") == 1);
    enum { ROWS = 40000 }; /* big enough for the intra-op threads */
    float *x = malloc(ROWS * 3 * sizeof(float));
    for (int i = 0; x && i < ROWS * 3; i++)
        x[i] = (float)((i * 37) % 200 - 100) / 16.0f;
    const char *fetches[2] = { "y:0", "z:0" };
    ferry_tensor *out[2] = { 0 };
    for (int rows = 1; x && rows <= ROWS; rows *= 200) {
        run_rows(m, fetches, 2, x, rows, NULL, 0, out);
        const float *y = out[0] ? ferry_tensor_data(out[0]) : NULL, *z = out[1] ? ferry_tensor_data(out[1]) : NULL;
        for (int i = 0; y && z && i < rows * 3; i++)
            if (y[i] != want_y(x[i], i % 3) || z[i] != want_z(x[i], i % 3)) {
                fprintf(stderr, "row %d: y %g (want %g), z %g (want %g)\n", i / 3, y[i], want_y(x[i], i % 3), z[i],
                        want_z(x[i], i % 3));
                check_current_failed = 1;
                break;
            }
        ferry_tensor_free(out[0]);
        ferry_tensor_free(out[1]);
        out[0] = out[1] = NULL;
    }
    free(x);
    ferry_model_free(m);
}

/* A fetched intermediate keeps its own value: it is made by its own ops
 * beside the chain that runs through it. */
static void fetched_intermediates_keep_their_values(void)
{
    ferry_model *m = load_graph_text(graph, 1);
    if (!m)
        return;
    const char *fetches[2] = { "centred:0", "y:0" };
    int convs, steps;
    CHECK(fused_steps(m, fetches, 2, &convs, &steps) == 1 && convs == 0 && steps == 3); /* shifted, centred, y */
    const float x[6] = { -4, 1, 2, 0.5f, 3, -1 };
    ferry_tensor *out[2] = { 0 };
    run_rows(m, fetches, 2, x, 2, NULL, 0, out);
    const float *c = out[0] ? ferry_tensor_data(out[0]) : NULL, *y = out[1] ? ferry_tensor_data(out[1]) : NULL;
    for (int i = 0; c && y && i < 6; i++) {
        float v = x[i] * (float[]){ 0.5f, -2, 3 }[i % 3];
        v = v + (float[]){ 1, 2, -3 }[i % 3];
        v = v - (float[]){ 0.25f, 0.125f, 4 }[i % 3];
        CHECK(c[i] == v && y[i] == want_y(x[i], i % 3));
    }
    ferry_tensor_free(out[0]);
    ferry_tensor_free(out[1]);
    ferry_model_free(m);
}

/* Operands whose shape is unknown before the run are not fused: fed with 3
 * values or one, the ops give their answers. And an x fed with 4 columns,
 * against the 3 declared, does not fit the fused chain: the ops run one by
 * one and refuse it as TensorFlow does. */
static void operands_checked_each_run(void)
{
    ferry_model *m = load_graph_text(graph, 1);
    if (!m)
        return;
    const float x[6] = { -4, 1, 2, 0.5f, 3, -1 };
    const float frees[2][3] = { { 2, -1, 0.5f }, { 1.5f, 0, 0 } };
    const char *fetch = "loose2:0";
    for (int k = 0; k < 2; k++) {
        int n = k == 0 ? 3 : 1;
        ferry_tensor *out = NULL;
        run_rows(m, &fetch, 1, x, 2, frees[k], n, &out);
        const float *y = out ? ferry_tensor_data(out) : NULL;
        for (int i = 0; y && i < 6; i++) {
            float v = x[i] * frees[k][n == 1 ? 0 : i % 3];
            v = v + (float[]){ 1, 2, -3 }[i % 3];
            CHECK(y[i] == v);
        }
        ferry_tensor_free(out);
    }
    float wide[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    int64_t dims[2] = { 2, 4 };
    ferry_tensor *in = NULL, *out = NULL;
    CHECK_OK(ferry_tensor_wrap(&in, FERRY_DT_FLOAT, dims, 2, wide, sizeof(wide), NULL, NULL, err_));
    const char *feed = "x:0", *y = "y:0";
    ferry_error *e = NULL;
    CHECK(ferry_model_run(&out, m, &feed, (const ferry_tensor *const *)&in, 1, &y, 1, NULL, 0, &e) ==
          FERRY_ERR_INVALID_ARGUMENT);
    CHECK(e && strstr(ferry_error_message(e), "'scaled' (Mul)"));
    ferry_error_free(e);
    ferry_tensor_free(in);
    ferry_model_free(m);
}

/* x [?,6,6,4] -> Conv2D 3x3 (4 -> 8) -> Mul -> AddV2 -> Relu6, and a
 * depthwise 3x3 -> Mul -> Relu. */
static const char conv_graph[] =
    "node { name: 'x' op: 'Placeholder' attr { key: 'dtype' value { type: DT_FLOAT } }\n"
    "  attr { key: 'shape' value { shape { dim { size: -1 } dim { size: 6 } dim { size: 6 } dim { size: 4 } } } } }\n"
    "node { name: 'k' op: 'Const' attr { key: 'dtype' value { type: DT_FLOAT } }\n"
    "  attr { key: 'value' value { tensor { dtype: DT_FLOAT tensor_shape { dim { size: 3 } dim { size: 3 } dim { size: 4 }"
    " dim { size: 8 } } float_val: 0.25 float_val: -0.5 float_val: 0.125 } } } }\n"
    "node { name: 'dk' op: 'Const' attr { key: 'dtype' value { type: DT_FLOAT } }\n"
    "  attr { key: 'value' value { tensor { dtype: DT_FLOAT tensor_shape { dim { size: 3 } dim { size: 3 } dim { size: 4 }"
    " dim { size: 1 } } float_val: 0.5 float_val: -0.25 } } } }\n"
    VEC("s8", 8, "float_val: 0.5 float_val: -2 float_val: 3 float_val: 1.5 float_val: -1 float_val: 0.75 float_val: 2"
                 " float_val: -0.5")
    VEC("b8", 8, "float_val: 1 float_val: 2 float_val: -3 float_val: 0.5 float_val: 0 float_val: -1 float_val: 4"
                 " float_val: 0.25")
    VEC("s4", 4, "float_val: 2 float_val: -1 float_val: 0.5 float_val: 3")
    "node { name: 'conv' op: 'Conv2D' input: 'x' input: 'k' " ATTR_T "\n"
    "  attr { key: 'strides' value { list { i: 1 i: 1 i: 1 i: 1 } } } attr { key: 'padding' value { s: 'SAME' } } }\n"
    OP2("cs", "Mul", "conv", "s8") OP2("cb", "AddV2", "cs", "b8") OP1("cy", "Relu6", "cb")
    "node { name: 'dw' op: 'DepthwiseConv2dNative' input: 'x' input: 'dk' " ATTR_T "\n"
    "  attr { key: 'strides' value { list { i: 1 i: 1 i: 1 i: 1 } } } attr { key: 'padding' value { s: 'VALID' } } }\n"
    OP2("ds", "Mul", "s4", "dw") OP1("dy", "Relu", "ds");

/* A convolution applying its chain as it goes gives the same bits as the
 * chain on its own (conv output also fetched) and as the ops one by one
 * (an intermediate fetched too). */
static void convolutions_apply_their_chains(void)
{
    static const char *const inner[5] = { "conv", "dw", "cs", "cb", "ds" };
    ferry_model *m = load_graph_text(conv_graph, 2), *apart = load_unfused(conv_graph, inner, 5, 2);
    if (!m || !apart)
        return;
    enum { N = 3, COUNT = N * 6 * 6 * 4 };
    float x[COUNT];
    for (int i = 0; i < COUNT; i++)
        x[i] = (float)((i * 53) % 97 - 48) / 8.0f;
    int64_t dims[4] = { N, 6, 6, 4 };
    ferry_tensor *in = NULL;
    CHECK_OK(ferry_tensor_wrap(&in, FERRY_DT_FLOAT, dims, 4, x, sizeof(x), NULL, NULL, err_));
    const char *feed = "x:0";
    const char *sets[3][5] = { { "cy:0", "dy:0" }, { "cy:0", "dy:0", "conv:0", "dw:0" },
                               { "cy:0", "dy:0", "cs:0", "cb:0", "ds:0" } };
    const int counts[3] = { 2, 4, 5 };
    ferry_tensor *out[3][5] = { { 0 } };
    for (int s = 0; s < 3; s++) {
        int convs, steps;
        CHECK(fused_steps(m, sets[s], counts[s], &convs, &steps) == 2 && convs == 2 && steps == 5);
        CHECK(fused_steps(apart, sets[s], counts[s], &convs, &steps) == 0);
        /* Sets 1 and 2: the ops one by one, intermediates fetched. */
        CHECK_OK(ferry_model_run(out[s], s ? apart : m, &feed, (const ferry_tensor *const *)&in, 1, sets[s],
                                 (size_t)counts[s], NULL, 0, err_));
    }
    for (int s = 1; s < 3; s++)
        for (int o = 0; o < 2; o++)
            CHECK(out[0][o] && out[s][o] && ferry_tensor_byte_size(out[0][o]) == ferry_tensor_byte_size(out[s][o]) &&
                  !memcmp(ferry_tensor_data(out[0][o]), ferry_tensor_data(out[s][o]), ferry_tensor_byte_size(out[0][o])));
    for (int s = 0; s < 3; s++)
        for (int o = 0; o < 5; o++)
            ferry_tensor_free(out[s][o]);
    ferry_tensor_free(in);
    ferry_model_free(m);
    ferry_model_free(apart);
}

/* x [?, 22] through the chains convolutions end in (batch norm's multiply and
 * add after a bias add or not, a bias add; Relu6, Relu or nothing after), whose vector loops take 16
 * channels (AVX-512, where the CPU has it) and 4 (SSE) at a time and leave
 * the last 2 to the step-by-step loop. NaN, infinities
 * and both zeros included: each chain gives the bits of its ops run one by
 * one (every intermediate read by one more node, so nothing is fused). */
static const char lanes_graph[] =
    "node { name: 'x' op: 'Placeholder' attr { key: 'dtype' value { type: DT_FLOAT } }\n"
    "  attr { key: 'shape' value { shape { dim { size: -1 } dim { size: 22 } } } } }\n"
    VEC("s6", 22, "float_val: 0.5 float_val: -2 float_val: 0 float_val: 1 float_val: -0.0 float_val: 3 float_val: 0.5 float_val: -2 float_val: 0 float_val: 1 float_val: -0.0"
                  " float_val: 3 float_val: 0.5 float_val: -2 float_val: 0 float_val: 1 float_val: -0.0 float_val: 3 float_val: 0.5 float_val: -2 float_val: 0 float_val: 1")
    VEC("b6", 22, "float_val: -0.0 float_val: 2 float_val: -3 float_val: 0 float_val: 0.25 float_val: -0.0 float_val: -0.0 float_val: 2 float_val: -3 float_val: 0 float_val: 0.25"
                  " float_val: -0.0 float_val: -0.0 float_val: 2 float_val: -3 float_val: 0 float_val: 0.25 float_val: -0.0 float_val: -0.0 float_val: 2 float_val: -3 float_val: 0")
    VEC("t6", 22, "float_val: 1.5 float_val: -0.75 float_val: -0.0 float_val: 2.5 float_val: 0.125 float_val: -4 float_val: 1.5 float_val: -0.75 float_val: -0.0 float_val: 2.5 float_val: 0.125"
                  " float_val: -4 float_val: 1.5 float_val: -0.75 float_val: -0.0 float_val: 2.5 float_val: 0.125 float_val: -4 float_val: 1.5 float_val: -0.75 float_val: -0.0 float_val: 2.5")
    OP2("m1", "Mul", "x", "s6") OP2("a1", "AddV2", "m1", "b6") OP1("r6", "Relu6", "a1")
    OP2("m2", "Mul", "x", "s6") OP2("a2", "AddV2", "m2", "b6") OP1("r", "Relu", "a2")
    OP2("m3", "Mul", "x", "s6") OP2("a3", "AddV2", "m3", "b6")
    OP2("a4", "BiasAdd", "x", "b6") OP1("r4", "Relu6", "a4")
    OP2("a5", "BiasAdd", "x", "b6") OP1("r5", "Relu", "a5")
    OP2("c1", "BiasAdd", "x", "b6") OP2("c2", "Mul", "c1", "s6") OP2("c3", "AddV2", "c2", "t6") OP1("cr", "Relu", "c3")
    OP2("d1", "BiasAdd", "x", "b6") OP2("d2", "Mul", "d1", "s6") OP2("d3", "AddV2", "d2", "t6");

static void vector_chains_match_the_ops(void)
{
    static const char *const inner[12] = { "m1", "a1", "m2", "a2", "m3", "a4", "a5", "c1", "c2", "c3", "d1", "d2" };
    ferry_model *m = load_graph_text(lanes_graph, 1), *unfused = load_unfused(lanes_graph, inner, 12, 1);
    if (!m || !unfused)
        return;
    const float special[] = { NAN, -NAN, INFINITY, -INFINITY, 0.0f, -0.0f, 1e-40f, -1e-40f, 5.99f, 6.0f, 6.01f,
                              -1.0f, 3.0f, 1e30f, -1e30f, 0.5f, -0.5f };
    enum { ROWS = 64, C = 22, N = sizeof(special) / sizeof(special[0]) };
    float x[ROWS * C];
    for (int i = 0; i < ROWS * C; i++)
        x[i] = special[(i * 7 + i / C) % N];
    int64_t dims[2] = { ROWS, C };
    ferry_tensor *in = NULL;
    CHECK_OK(ferry_tensor_wrap(&in, FERRY_DT_FLOAT, dims, 2, x, sizeof(x), NULL, NULL, err_));
    const char *feed = "x:0";
    enum { FUSED = 7, APART = FUSED + 12 };
    const char *fused[FUSED] = { "r6:0", "r:0", "a3:0", "r4:0", "r5:0", "cr:0", "d3:0" };
    const char *apart[APART] = { "r6:0", "r:0", "a3:0", "r4:0", "r5:0", "cr:0", "d3:0", "m1:0", "a1:0", "m2:0",
                                 "a2:0", "m3:0", "a4:0", "a5:0", "c1:0", "c2:0", "c3:0", "d1:0", "d2:0" };
    CHECK(chains_for(m, "r6:0") == 1 && chains_for(m, "r:0") == 1 && chains_for(m, "a3:0") == 1 &&
          chains_for(m, "r4:0") == 1 && chains_for(m, "cr:0") == 1 && chains_for(m, "d3:0") == 1);
    ferry_tensor *one[FUSED] = { 0 }, *each[APART] = { 0 };
    CHECK_OK(ferry_model_run(one, m, &feed, (const ferry_tensor *const *)&in, 1, fused, FUSED, NULL, 0, err_));
    CHECK_OK(ferry_model_run(each, unfused, &feed, (const ferry_tensor *const *)&in, 1, apart, APART, NULL, 0, err_));
    for (int o = 0; o < FUSED; o++)
        CHECK(one[o] && each[o] && ferry_tensor_byte_size(one[o]) == sizeof(x) &&
              !memcmp(ferry_tensor_data(one[o]), ferry_tensor_data(each[o]), sizeof(x)));
    const float *r6 = one[0] ? ferry_tensor_data(one[0]) : NULL, *r = one[1] ? ferry_tensor_data(one[1]) : NULL;
    for (int i = 0; r6 && r && i < ROWS * C; i++) {
        float a = x[i] * (float[]){ 0.5f, -2, 0, 1, -0.0f, 3 }[i % C % 6] +
                  (float[]){ -0.0f, 2, -3, 0, 0.25f, -0.0f }[i % C % 6];
        if (isnan(a))
            CHECK(isnan(r6[i]) && isnan(r[i]));
        else
            CHECK(r6[i] == (a < 0 ? 0 : a > 6 ? 6 : a) && r[i] == (a > 0 ? a : 0) && !signbit(r[i]));
    }
    for (int o = 0; o < FUSED; o++)
        ferry_tensor_free(one[o]);
    for (int o = 0; o < APART; o++)
        ferry_tensor_free(each[o]);
    ferry_tensor_free(in);
    ferry_model_free(m);
    ferry_model_free(unfused);
}

/* Convolutions big enough for the intra-op threads to split their output
 * pixels (a 3x3 and a pointwise one, each with batch norm and an activation
 * after): the same values on one thread and on two, and as a direct sum. */
static const char wide_conv_graph[] =
    "node { name: 'x' op: 'Placeholder' attr { key: 'dtype' value { type: DT_FLOAT } }\n"
    "  attr { key: 'shape' value { shape { dim { size: -1 } dim { size: 24 } dim { size: 24 } dim { size: 32 } } } } }\n"
    "node { name: 'k' op: 'Placeholder' attr { key: 'dtype' value { type: DT_FLOAT } }\n"
    "  attr { key: 'shape' value { shape { dim { size: 3 } dim { size: 3 } dim { size: 32 } dim { size: 24 } } } } }\n"
    "node { name: 'k1' op: 'Placeholder' attr { key: 'dtype' value { type: DT_FLOAT } }\n"
    "  attr { key: 'shape' value { shape { dim { size: 1 } dim { size: 1 } dim { size: 32 } dim { size: 24 } } } } }\n"
    "node { name: 'v' op: 'Placeholder' attr { key: 'dtype' value { type: DT_FLOAT } }\n"
    "  attr { key: 'shape' value { shape { dim { size: 24 } } } } }\n"
    "node { name: 'conv' op: 'Conv2D' input: 'x' input: 'k' " ATTR_T "\n"
    "  attr { key: 'strides' value { list { i: 1 i: 1 i: 1 i: 1 } } } attr { key: 'padding' value { s: 'SAME' } } }\n"
    OP2("cs", "Mul", "conv", "v") OP2("cb", "AddV2", "cs", "v") OP1("cy", "Relu6", "cb")
    "node { name: 'pw' op: 'Conv2D' input: 'x' input: 'k1' " ATTR_T "\n"
    "  attr { key: 'strides' value { list { i: 1 i: 1 i: 1 i: 1 } } } attr { key: 'padding' value { s: 'VALID' } } }\n"
    OP2("ps", "Mul", "pw", "v") OP2("pb", "AddV2", "ps", "v") OP1("py", "Relu", "pb");

static void run_wide_convs(int threads, const float *x, const float *k, const float *k1, const float *v,
                           ferry_tensor **out)
{
    ferry_model *m = load_graph_text(wide_conv_graph, threads);
    if (!m)
        return;
    int64_t xd[4] = { 4, 24, 24, 32 }, kd[4] = { 3, 3, 32, 24 }, k1d[4] = { 1, 1, 32, 24 }, vd[1] = { 24 };
    ferry_tensor *in[4] = { 0 };
    CHECK_OK(ferry_tensor_wrap(&in[0], FERRY_DT_FLOAT, xd, 4, (void *)x, 4 * 24 * 24 * 32 * sizeof(float), NULL, NULL,
                               err_));
    CHECK_OK(ferry_tensor_wrap(&in[1], FERRY_DT_FLOAT, kd, 4, (void *)k, 9 * 32 * 24 * sizeof(float), NULL, NULL, err_));
    CHECK_OK(ferry_tensor_wrap(&in[2], FERRY_DT_FLOAT, k1d, 4, (void *)k1, 32 * 24 * sizeof(float), NULL, NULL, err_));
    CHECK_OK(ferry_tensor_wrap(&in[3], FERRY_DT_FLOAT, vd, 1, (void *)v, 24 * sizeof(float), NULL, NULL, err_));
    const char *feeds[4] = { "x:0", "k:0", "k1:0", "v:0" }, *fetches[2] = { "cy:0", "py:0" };
    CHECK_OK(ferry_model_run(out, m, feeds, (const ferry_tensor *const *)in, 4, fetches, 2, NULL, 0, err_));
    for (int i = 0; i < 4; i++)
        ferry_tensor_free(in[i]);
    ferry_model_free(m);
}

static void threads_split_convolutions_with_chains(void)
{
    enum { XN = 4 * 24 * 24 * 32, YN = 4 * 24 * 24 * 24 };
    float *x = malloc(XN * sizeof(float)), k[9 * 32 * 24], k1[32 * 24], v[24];
    for (int i = 0; x && i < XN; i++)
        x[i] = (float)((i * 29) % 61 - 30) / 16.0f;
    for (int i = 0; i < 9 * 32 * 24; i++)
        k[i] = (float)((i * 17) % 23 - 11) / 64.0f;
    for (int i = 0; i < 32 * 24; i++)
        k1[i] = (float)((i * 13) % 19 - 9) / 32.0f;
    for (int i = 0; i < 24; i++)
        v[i] = (float)(i % 7 - 3) / 4.0f;
    ferry_tensor *one[2] = { 0 }, *two[2] = { 0 };
    if (x) {
        run_wide_convs(1, x, k, k1, v, one);
        run_wide_convs(2, x, k, k1, v, two);
    }
    const float *cy1 = one[0] ? ferry_tensor_data(one[0]) : NULL, *py1 = one[1] ? ferry_tensor_data(one[1]) : NULL;
    const float *cy2 = two[0] ? ferry_tensor_data(two[0]) : NULL, *py2 = two[1] ? ferry_tensor_data(two[1]) : NULL;
    CHECK(cy1 && py1 && cy2 && py2);
    int bad = 0;
    for (int p = 0; cy1 && py1 && cy2 && py2 && p < YN / 24; p++) {
        int n = p / 576, i = p / 24 % 24, j = p % 24;
        for (int o = 0; o < 24; o++) {
            double sum = 0, mag = 0, pw = 0, pmag = 0;
            for (int a = 0; a < 3; a++)
                for (int b = 0; b < 3; b++) {
                    int ih = i - 1 + a, iw = j - 1 + b;
                    for (int ci = 0; ih >= 0 && ih < 24 && iw >= 0 && iw < 24 && ci < 32; ci++) {
                        double t = (double)x[((n * 24 + ih) * 24 + iw) * 32 + ci] * k[((a * 3 + b) * 32 + ci) * 24 + o];
                        sum += t;
                        mag += fabs(t);
                    }
                }
            for (int ci = 0; ci < 32; ci++) {
                double t = (double)x[p * 32 + ci] * k1[ci * 24 + o];
                pw += t;
                pmag += fabs(t);
            }
            double c = sum * v[o] + v[o], q = pw * v[o] + v[o];
            c = c < 0 ? 0 : c > 6 ? 6 : c;
            q = q > 0 ? q : 0;
            double tol_c = 1e-5 * (mag * fabs(v[o]) + fabs(v[o]) + 1), tol_q = 1e-5 * (pmag * fabs(v[o]) + fabs(v[o]) + 1);
            float gc1 = cy1[p * 24 + o], gc2 = cy2[p * 24 + o], gq1 = py1[p * 24 + o], gq2 = py2[p * 24 + o];
            bad += fabs(gc1 - c) > tol_c || fabs(gc2 - c) > tol_c || fabs(gq1 - q) > tol_q || fabs(gq2 - q) > tol_q;
        }
    }
    CHECK(bad == 0);
    for (int i = 0; i < 2; i++) {
        ferry_tensor_free(one[i]);
        ferry_tensor_free(two[i]);
    }
    free(x);
}

RUN_TESTS("fuse", TEST(convolutions_apply_their_chains), TEST(chains_give_the_ops_results), TEST(fetched_intermediates_keep_their_values),
          TEST(operands_checked_each_run),
          TEST(vector_chains_match_the_ops), TEST(threads_split_convolutions_with_chains))
