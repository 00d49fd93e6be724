/* The C ABI's general promises (ferry.h): option structs of every version
 * from 1 on, *err NULL on entry, and runs bounded by a timeout, a cancel
 * handle, a memory limit and a graph-size limit. */
#include <pthread.h>
#include <time.h>

#include <ferry/ferry.h>

#include "check.h"

#define HALF_PLUS_TWO FERRY_SOURCE_DIR "/examples/models/half_plus_two"
#define CONTROL_FLOW FERRY_FIXTURES "/tf2_control_flow/saved_model"

/* ferry_model_options as the version-1 header laid it out: a program built
 * then passes this. */
typedef struct model_options_v1 {
    unsigned version;
    const char *tags;
    const char *checkpoint;
    const ferry_name_pair *restore_map;
    size_t restore_map_count;
    int restore_only_mapped;
    int intra_op_threads;
    unsigned flags;
} model_options_v1;

static void version_1_options_load(void)
{
    model_options_v1 v1 = { 1, "serve", NULL, NULL, 0, 0, 1, 0 };
    ferry_model *m = NULL;
    CHECK_OK(ferry_model_load(&m, HALF_PLUS_TWO, (const ferry_model_options *)&v1, err_));
    CHECK(m != NULL);
    ferry_model_free(m);
}

static void unknown_option_versions_fail(void)
{
    ferry_model *m = NULL;
    ferry_model_options o = FERRY_MODEL_OPTIONS_INIT;
    o.version = FERRY_MODEL_OPTIONS_VERSION + 1;
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "ferry_model_options version", ferry_model_load(&m, HALF_PLUS_TWO, &o, err_));
    o.version = 0;
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "ferry_model_options version", ferry_model_load(&m, HALF_PLUS_TWO, &o, err_));
    CHECK(m == NULL);
    ferry_writer_options w = FERRY_WRITER_OPTIONS_INIT;
    w.version = 7;
    ferry_checkpoint_writer *writer = NULL;
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "ferry_writer_options version",
                ferry_checkpoint_writer_new(&writer, "/tmp/ferry_never/ckpt", &w, err_));
    CHECK(writer == NULL);
}

/* A call handed an error already set fails and leaves that error alone. */
static void set_error_on_entry_is_kept(void)
{
    ferry_error *err = NULL;
    ferry_model *m = NULL;
    CHECK(ferry_model_load(&m, "/nonexistent/model", NULL, &err) == FERRY_ERR_NOT_FOUND);
    ferry_error *first = err;
    CHECK(first != NULL);
    ferry_tensor *t = NULL;
    int64_t dims[1] = { 2 };
    CHECK(ferry_tensor_new(&t, FERRY_DT_FLOAT, dims, 1, &err) == FERRY_ERR_INVALID_ARGUMENT);
    CHECK(t == NULL);
    CHECK(ferry_model_load(&m, HALF_PLUS_TWO, NULL, &err) == FERRY_ERR_INVALID_ARGUMENT);
    CHECK(m == NULL);
    CHECK(err == first);
    CHECK(ferry_error_code(err) == FERRY_ERR_NOT_FOUND);
    ferry_error_free(err);
}

static void getters_accept_null(void)
{
    CHECK(ferry_tensor_dtype(NULL) == FERRY_DT_INVALID);
    CHECK(ferry_tensor_dims(NULL) == NULL);
    CHECK(ferry_model_signature_count(NULL) == 0);
    CHECK(ferry_cancel_is_triggered(NULL) == 0);
    ferry_cancel_trigger(NULL);
    ferry_cancel_free(NULL);
    CHECK(ferry_supported_op(ferry_supported_op_count()) == NULL);
}

static void supported_ops_are_sorted_and_public(void)
{
    size_t n = ferry_supported_op_count();
    CHECK(n > 200);
    for (size_t i = 1; i < n; i++)
        CHECK(strcmp(ferry_supported_op(i - 1), ferry_supported_op(i)) < 0);
    for (size_t i = 0; i < n; i++)
        CHECK(strncmp(ferry_supported_op(i), "_Ferry", 6) != 0);
    CHECK(ferry_op_is_supported("MatMul"));
    CHECK(!ferry_op_is_supported("NoSuchOp"));
    CHECK(!ferry_op_is_supported("_FerryLSTMCell"));
    CHECK(!ferry_op_is_supported(NULL));
}

/* fib(n) in a While loop of n iterations: 2^31 - 1 of them would run for hours. */
static ferry_status run_fib(ferry_model *m, int32_t n, const ferry_run_options *o, ferry_tensor **out,
                            ferry_error **err)
{
    const ferry_signature *sig = NULL;
    ferry_status st = ferry_model_find_signature(&sig, m, "fib", err);
    ferry_tensor *in = NULL;
    if (!st)
        st = ferry_tensor_wrap(&in, FERRY_DT_INT32, NULL, 0, &n, sizeof(n), NULL, NULL, err);
    const char *names[1] = { "n" };
    if (!st)
        st = ferry_signature_run_v2(out, sig, names, (const ferry_tensor *const *)&in, 1, o, err);
    ferry_tensor_free(in);
    return st;
}

static void timeout_ends_a_runaway_loop(void)
{
    ferry_model *m = NULL;
    CHECK_OK(ferry_model_load(&m, CONTROL_FLOW, NULL, err_));
    if (!m)
        return;
    ferry_run_options o = FERRY_RUN_OPTIONS_INIT;
    o.timeout_ms = 50;
    ferry_tensor *out = NULL;
    CHECK_FAILS(FERRY_ERR_DEADLINE_EXCEEDED, "deadline", run_fib(m, INT32_MAX, &o, &out, err_));
    CHECK(out == NULL);
    /* The model still runs, and a short loop ends before its timeout. */
    o.timeout_ms = 60000;
    CHECK_OK(run_fib(m, 10, &o, &out, err_));
    CHECK(out && ((int64_t *)ferry_tensor_data(out))[0] == 55);
    ferry_tensor_free(out);
    o.timeout_ms = -1;
    out = NULL;
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "timeout_ms", run_fib(m, 10, &o, &out, err_));
    ferry_model_free(m);
}

static void *trigger_later(void *cancel)
{
    struct timespec pause = { 0, 30 * 1000 * 1000 };
    nanosleep(&pause, NULL);
    ferry_cancel_trigger(cancel);
    return NULL;
}

static void cancel_from_another_thread(void)
{
    ferry_model *m = NULL;
    ferry_cancel *cancel = NULL;
    CHECK_OK(ferry_model_load(&m, CONTROL_FLOW, NULL, err_));
    CHECK_OK(ferry_cancel_new(&cancel, err_));
    if (!m || !cancel)
        return;
    ferry_run_options o = FERRY_RUN_OPTIONS_INIT;
    o.cancel = cancel;
    pthread_t thread;
    CHECK(pthread_create(&thread, NULL, trigger_later, cancel) == 0);
    ferry_tensor *out = NULL;
    CHECK_FAILS(FERRY_ERR_CANCELLED, "cancelled", run_fib(m, INT32_MAX, &o, &out, err_));
    pthread_join(thread, NULL);
    CHECK(ferry_cancel_is_triggered(cancel));
    /* A triggered handle stops the next run at once; without it the model runs. */
    CHECK_FAILS(FERRY_ERR_CANCELLED, "cancelled", run_fib(m, 3, &o, &out, err_));
    CHECK_OK(run_fib(m, 3, NULL, &out, err_));
    CHECK(out && ((int64_t *)ferry_tensor_data(out))[0] == 2);
    ferry_tensor_free(out);
    ferry_cancel_free(cancel);
    ferry_model_free(m);
}

/* iterate(x, n): elementwise loop over x; its tensors grow with x. */
static ferry_status run_iterate(ferry_model *m, int64_t size, ferry_tensor **out, ferry_error **err)
{
    const ferry_signature *sig = NULL;
    ferry_tensor *in[2] = { NULL, NULL };
    int64_t dims[1] = { size };
    int32_t n = 2;
    ferry_status st = ferry_model_find_signature(&sig, m, "serving_default", err);
    if (!st)
        st = ferry_tensor_new(&in[0], FERRY_DT_FLOAT, dims, 1, err);
    if (!st)
        st = ferry_tensor_wrap(&in[1], FERRY_DT_INT32, NULL, 0, &n, sizeof(n), NULL, NULL, err);
    const char *names[2] = { "x", "n" };
    ferry_tensor *outs[2] = { NULL, NULL };
    if (!st)
        st = ferry_signature_run(outs, sig, names, (const ferry_tensor *const *)in, 2, err);
    ferry_tensor_free(in[0]);
    ferry_tensor_free(in[1]);
    ferry_tensor_free(outs[0]);
    *out = outs[1];
    return st;
}

static void memory_limit_refuses_big_runs(void)
{
    ferry_model_options o = FERRY_MODEL_OPTIONS_INIT;
    o.memory_limit = 64 << 10;
    ferry_model *m = NULL;
    CHECK_OK(ferry_model_load(&m, CONTROL_FLOW, &o, err_));
    if (!m)
        return;
    ferry_tensor *y = NULL;
    CHECK_FAILS(FERRY_ERR_OUT_OF_MEMORY, "memory limit of 65536 bytes", run_iterate(m, 1 << 16, &y, err_));
    CHECK(y == NULL);
    /* Small runs fit again and again: what a run held is given back, and
     * what it hands the caller no longer counts. */
    ferry_tensor *kept[40] = { NULL };
    for (int i = 0; i < 40; i++) {
        CHECK_OK(run_iterate(m, 1024, &kept[i], err_));
        CHECK(kept[i] && ferry_tensor_element_count(kept[i]) == 1024);
    }
    for (int i = 0; i < 40; i++)
        ferry_tensor_free(kept[i]);
    ferry_model_free(m);
}

static void graph_node_limit_refuses_big_graphs(void)
{
    ferry_model_options o = FERRY_MODEL_OPTIONS_INIT;
    o.max_graph_nodes = 8;
    ferry_model *m = NULL;
    CHECK_FAILS(FERRY_ERR_UNSUPPORTED, "max_graph_nodes", ferry_model_load(&m, CONTROL_FLOW, &o, err_));
    CHECK(m == NULL);
    o.max_graph_nodes = -1;
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "must not be negative", ferry_model_load(&m, CONTROL_FLOW, &o, err_));
}

RUN_TESTS("api_contract", TEST(version_1_options_load), TEST(unknown_option_versions_fail),
          TEST(set_error_on_entry_is_kept), TEST(getters_accept_null), TEST(supported_ops_are_sorted_and_public),
          TEST(timeout_ends_a_runaway_loop), TEST(cancel_from_another_thread),
          TEST(memory_limit_refuses_big_runs), TEST(graph_node_limit_refuses_big_graphs))
