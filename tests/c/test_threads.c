/* One loaded model run from 8 threads at once gives the same answers as
 * one thread; stateful models serialise their writes. Run it under the
 * thread sanitizer build (FERRY_SANITIZE=thread) to catch data races. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ferry/ferry.h>

#include "check.h"
#include "graph_text.h"

#define THREADS 8
#define RUNS 200

typedef struct job {
    const ferry_model *model;
    int id, failures;
} job;

/* y = 0.5 x + 2 on a per-thread input. */
static void *run_half_plus_two(void *arg)
{
    job *j = arg;
    const ferry_signature *sig = NULL;
    if (ferry_model_find_signature(&sig, j->model, "serving_default", NULL) != FERRY_OK) {
        j->failures++;
        return NULL;
    }
    for (int r = 0; r < RUNS; r++) {
        float x[4];
        for (int i = 0; i < 4; i++)
            x[i] = (float)(j->id * 1000 + r * 4 + i);
        int64_t dims[1] = { 4 };
        ferry_tensor *in = NULL, *out = NULL;
        const char *names[1] = { "x" };
        ferry_tensor_wrap(&in, FERRY_DT_FLOAT, dims, 1, x, sizeof(x), NULL, NULL, NULL);
        if (ferry_signature_run(&out, sig, names, (const ferry_tensor *const *)&in, 1, NULL) != FERRY_OK) {
            j->failures++;
        } else {
            const float *y = ferry_tensor_data(out);
            for (int i = 0; i < 4; i++)
                j->failures += y[i] != 0.5f * x[i] + 2.0f;
        }
        ferry_tensor_free(in);
        ferry_tensor_free(out);
    }
    return NULL;
}

static void eight_threads_share_one_model(void)
{
    ferry_model *m = NULL;
    CHECK_OK(ferry_model_load(&m, FERRY_SOURCE_DIR "/examples/models/half_plus_two", NULL, err_));
    if (!m)
        return;
    pthread_t t[THREADS];
    job jobs[THREADS];
    for (int i = 0; i < THREADS; i++) {
        jobs[i] = (job){ m, i, 0 };
        pthread_create(&t[i], NULL, run_half_plus_two, &jobs[i]);
    }
    int failures = 0;
    for (int i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
        failures += jobs[i].failures;
    }
    CHECK_EQ_INT(failures, 0);
    ferry_model_free(m);
}

/* The CNN fixture (convolutions, batch norm chains, pooling) from 8 threads,
 * each with its own batch size: each shape has its own memory layout, each
 * concurrent run its own block; every answer equals the one-thread answer. */
typedef struct cnn_job {
    const ferry_signature *sig;
    int batch, failures;
    const ferry_tensor *want;
} cnn_job;

static ferry_tensor *cnn_run(const ferry_signature *sig, int batch)
{
    int64_t dims[4] = { batch, 16, 16, 3 };
    size_t n = (size_t)batch * 16 * 16 * 3;
    float *x = malloc(n * sizeof(float));
    for (size_t i = 0; x && i < n; i++)
        x[i] = (float)(i % 89) / 89.0f - 0.5f;
    ferry_tensor *in = NULL, *out = NULL;
    const char *name = "image";
    if (x && ferry_tensor_wrap(&in, FERRY_DT_FLOAT, dims, 4, x, n * sizeof(float), NULL, NULL, NULL) == FERRY_OK)
        ferry_signature_run(&out, sig, &name, (const ferry_tensor *const *)&in, 1, NULL);
    ferry_tensor_free(in);
    free(x);
    return out;
}

static void *run_cnn(void *arg)
{
    cnn_job *j = arg;
    for (int r = 0; r < 20; r++) {
        ferry_tensor *out = cnn_run(j->sig, j->batch);
        j->failures += !out || ferry_tensor_byte_size(out) != ferry_tensor_byte_size(j->want) ||
                       memcmp(ferry_tensor_data(out), ferry_tensor_data((ferry_tensor *)j->want),
                              ferry_tensor_byte_size(out)) != 0;
        ferry_tensor_free(out);
    }
    return NULL;
}

static void eight_threads_eight_shapes(void)
{
    ferry_model *m = NULL;
    ferry_model_options opts = FERRY_MODEL_OPTIONS_INIT;
    opts.intra_op_threads = 2;
    CHECK_OK(ferry_model_load(&m, FERRY_FIXTURES "/tf2_cnn/saved_model", &opts, err_));
    const ferry_signature *sig = NULL;
    if (m)
        CHECK_OK(ferry_model_find_signature(&sig, m, "serving_default", err_));
    if (!sig) {
        ferry_model_free(m);
        return;
    }
    pthread_t t[THREADS];
    cnn_job jobs[THREADS];
    ferry_tensor *want[THREADS];
    for (int i = 0; i < THREADS; i++) {
        want[i] = cnn_run(sig, i + 1);
        CHECK(want[i] != NULL);
    }
    for (int i = 0; i < THREADS; i++) {
        jobs[i] = (cnn_job){ sig, i + 1, 0, want[i] };
        if (want[i])
            pthread_create(&t[i], NULL, run_cnn, &jobs[i]);
    }
    int failures = 0;
    for (int i = 0; i < THREADS; i++) {
        if (want[i])
            pthread_join(t[i], NULL);
        failures += jobs[i].failures;
        ferry_tensor_free(want[i]);
    }
    CHECK_EQ_INT(failures, 0);
    ferry_model_free(m);
}

/* A counter incremented by every run: no increment may be lost. */
static void *bump_counter(void *arg)
{
    job *j = arg;
    const char *target = "incr_counter_op/AssignAdd";
    for (int r = 0; r < RUNS; r++)
        if (ferry_model_run(NULL, j->model, NULL, NULL, 0, NULL, 0, &target, 1, NULL) != FERRY_OK)
            j->failures++;
    return NULL;
}

static void state_writes_are_serialised(void)
{
    const char *path = FERRY_CORPUS "/serving_tf1_counter_stateful/00000123";
    ferry_model *m = NULL;
    if (ferry_model_load(&m, path, NULL, NULL) != FERRY_OK) {
        printf("  (corpus not present; skipped)\n");
        return;
    }
    const char *reset = "reset_counter_op/Assign";
    CHECK_OK(ferry_model_run(NULL, m, NULL, NULL, 0, NULL, 0, &reset, 1, err_));
    pthread_t t[THREADS];
    job jobs[THREADS];
    for (int i = 0; i < THREADS; i++) {
        jobs[i] = (job){ m, i, 0 };
        pthread_create(&t[i], NULL, bump_counter, &jobs[i]);
    }
    int failures = 0;
    for (int i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
        failures += jobs[i].failures;
    }
    CHECK_EQ_INT(failures, 0);
    ferry_tensor *value = NULL;
    const char *fetch = "counter:0";
    CHECK_OK(ferry_model_run(&value, m, NULL, NULL, 0, &fetch, 1, NULL, 0, err_));
    CHECK(value && *(const float *)ferry_tensor_data(value) == (float)(THREADS * RUNS));
    ferry_tensor_free(value);
    ferry_model_free(m);
}

/* c = a x b, big enough (64 x 512 x 128) to be split over intra-op threads. */
#define M 64
#define K 512
#define N 128

static const char matmul_graph[] =
    "node { name: \"a\" op: \"Placeholder\" attr { key: \"dtype\" value { type: DT_FLOAT } } }\n"
    "node { name: \"b\" op: \"Placeholder\" attr { key: \"dtype\" value { type: DT_FLOAT } } }\n"
    "node { name: \"c\" op: \"MatMul\" input: \"a\" input: \"b\" attr { key: \"T\" value { type: DT_FLOAT } } }\n";

static float mat_a[M * K], mat_b[K * N];

/* Runs c = a x b; returns the product (caller frees) or NULL. */
static ferry_tensor *matmul(const ferry_model *m)
{
    int64_t da[2] = { M, K }, db[2] = { K, N };
    ferry_tensor *in[2] = { NULL, NULL }, *out = NULL;
    ferry_tensor_wrap(&in[0], FERRY_DT_FLOAT, da, 2, mat_a, sizeof(mat_a), NULL, NULL, NULL);
    ferry_tensor_wrap(&in[1], FERRY_DT_FLOAT, db, 2, mat_b, sizeof(mat_b), NULL, NULL, NULL);
    const char *feeds[2] = { "a:0", "b:0" }, *fetch = "c:0";
    if (ferry_model_run(&out, m, feeds, (const ferry_tensor *const *)in, 2, &fetch, 1, NULL, 0, NULL) != FERRY_OK)
        out = NULL;
    ferry_tensor_free(in[0]);
    ferry_tensor_free(in[1]);
    return out;
}

static void intra_op_threads_keep_the_answers(void)
{
    for (int i = 0; i < M * K; i++)
        mat_a[i] = (float)((i * 7) % 13) - 6.0f;
    for (int i = 0; i < K * N; i++)
        mat_b[i] = (float)((i * 5) % 11) * 0.25f;
    ferry_model *one = load_graph_text(matmul_graph, 1), *four = load_graph_text(matmul_graph, 4);
    ferry_tensor *x = one ? matmul(one) : NULL, *y = four ? matmul(four) : NULL;
    CHECK(x && y);
    if (x && y) {
        const float *cx = ferry_tensor_data(x), *cy = ferry_tensor_data(y);
        CHECK(memcmp(cx, cy, sizeof(float) * M * N) == 0);
        /* Small integers times quarters: float sums here are exact. */
        for (int r = 0; r < M; r += 9)
            for (int c = 0; c < N; c += 7) {
                double want = 0;
                for (int k = 0; k < K; k++)
                    want += (double)mat_a[r * K + k] * mat_b[k * N + c];
                CHECK(cy[r * N + c] == (float)want);
            }
    }
    ferry_tensor_free(x);
    ferry_tensor_free(y);
    ferry_model_free(one);
    ferry_model_free(four);
}

/* A one-row product (batch-1 dense layer), big enough to split its columns
 * over two threads: the same bits as on one, and exact sums. */
static void one_row_products_split_by_columns(void)
{
    enum { RK = 2048, RN = 96 };
    static float a[RK], b[RK * RN];
    for (int i = 0; i < RK; i++)
        a[i] = (float)((i * 7) % 13) - 6.0f;
    for (int i = 0; i < RK * RN; i++)
        b[i] = (float)((i * 5) % 11) * 0.25f;
    int64_t da[2] = { 1, RK }, db[2] = { RK, RN };
    ferry_tensor *in[2] = { NULL, NULL }, *out[2] = { NULL, NULL };
    CHECK_OK(ferry_tensor_wrap(&in[0], FERRY_DT_FLOAT, da, 2, a, sizeof(a), NULL, NULL, err_));
    CHECK_OK(ferry_tensor_wrap(&in[1], FERRY_DT_FLOAT, db, 2, b, sizeof(b), NULL, NULL, err_));
    const char *feeds[2] = { "a:0", "b:0" }, *fetch = "c:0";
    for (int t = 0; t < 2; t++) {
        ferry_model *m = load_graph_text(matmul_graph, t + 1);
        if (m)
            CHECK_OK(ferry_model_run(&out[t], m, feeds, (const ferry_tensor *const *)in, 2, &fetch, 1, NULL, 0, err_));
        ferry_model_free(m);
    }
    CHECK(out[0] && out[1] && memcmp(ferry_tensor_data(out[0]), ferry_tensor_data(out[1]), sizeof(float) * RN) == 0);
    const float *c = out[1] ? ferry_tensor_data(out[1]) : NULL;
    for (int j = 0; c && j < RN; j++) {
        double want = 0;
        for (int k = 0; k < RK; k++)
            want += (double)a[k] * b[k * RN + j];
        CHECK(c[j] == (float)want);
    }
    for (int i = 0; i < 2; i++) {
        ferry_tensor_free(in[i]);
        ferry_tensor_free(out[i]);
    }
}

typedef struct split_job {
    const ferry_model *model;
    ferry_tensor *want;
    int failures;
} split_job;

static void *run_matmul(void *arg)
{
    split_job *j = arg;
    for (int r = 0; r < 20; r++) {
        ferry_tensor *got = matmul(j->model);
        j->failures += !got || memcmp(ferry_tensor_data(got), ferry_tensor_data(j->want), sizeof(float) * M * N);
        ferry_tensor_free(got);
    }
    return NULL;
}

/* Runs from several threads compete for one model's intra-op threads. */
static void concurrent_runs_share_intra_op_threads(void)
{
    ferry_model *m = load_graph_text(matmul_graph, 2);
    ferry_tensor *want = m ? matmul(m) : NULL;
    CHECK(want != NULL);
    if (!want) {
        ferry_model_free(m);
        return;
    }
    pthread_t t[4];
    split_job jobs[4];
    for (int i = 0; i < 4; i++) {
        jobs[i] = (split_job){ m, want, 0 };
        pthread_create(&t[i], NULL, run_matmul, &jobs[i]);
    }
    int failures = 0;
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        failures += jobs[i].failures;
    }
    CHECK_EQ_INT(failures, 0);
    ferry_tensor_free(want);
    ferry_model_free(m);
}

/* Elementwise ops split big broadcasts by runs and one long run by elements;
 * every element must come out as on one thread. */
static const char elementwise_graph[] =
    "node { name: \"a\" op: \"Placeholder\" attr { key: \"dtype\" value { type: DT_FLOAT } } }\n"
    "node { name: \"b\" op: \"Placeholder\" attr { key: \"dtype\" value { type: DT_FLOAT } } }\n"
    "node { name: \"scaled\" op: \"Mul\" input: \"a\" input: \"b\" attr { key: \"T\" value { type: DT_FLOAT } } }\n"
    "node { name: \"out\" op: \"Sub\" input: \"scaled\" input: \"a\" attr { key: \"T\" value { type: DT_FLOAT } } }\n"
    "node { name: \"bias\" op: \"Placeholder\" attr { key: \"dtype\" value { type: DT_FLOAT } } }\n"
    "node { name: \"biased\" op: \"BiasAdd\" input: \"a\" input: \"bias\" attr { key: \"T\" value { type: DT_FLOAT } } }\n"
    "node { name: \"soft\" op: \"Softmax\" input: \"a\" attr { key: \"T\" value { type: DT_FLOAT } } }\n";

static void elementwise_split_keeps_every_element(void)
{
    enum { R = 300, C = 7, D = 41 };
    static float a[R * C * D], b[C], bias[D];
    for (int i = 0; i < R * C * D; i++)
        a[i] = (float)(i % 97) * 0.5f - 20.0f;
    for (int i = 0; i < C; i++)
        b[i] = (float)i - 3.0f;
    for (int i = 0; i < D; i++)
        bias[i] = (float)i * 0.125f;
    int64_t da[3] = { R, C, D }, db[2] = { C, 1 }, dbias[1] = { D };
    ferry_tensor *in[3] = { NULL, NULL, NULL };
    ferry_tensor_wrap(&in[0], FERRY_DT_FLOAT, da, 3, a, sizeof(a), NULL, NULL, NULL);
    ferry_tensor_wrap(&in[1], FERRY_DT_FLOAT, db, 2, b, sizeof(b), NULL, NULL, NULL);
    ferry_tensor_wrap(&in[2], FERRY_DT_FLOAT, dbias, 1, bias, sizeof(bias), NULL, NULL, NULL);
    ferry_model *m = load_graph_text(elementwise_graph, 4);
    const char *feeds[3] = { "a:0", "b:0", "bias:0" }, *fetches[2] = { "out:0", "biased:0" };
    ferry_tensor *out[2] = { NULL, NULL };
    CHECK_OK(ferry_model_run(out, m, feeds, (const ferry_tensor *const *)in, 3, fetches, 2, NULL, 0, err_));
    const float *y = out[0] ? ferry_tensor_data(out[0]) : NULL, *z = out[1] ? ferry_tensor_data(out[1]) : NULL;
    int wrong = 0;
    for (int i = 0; y && z && i < R * C * D; i++)
        wrong += (y[i] != a[i] * b[(i / D) % C] - a[i]) + (z[i] != a[i] + bias[i % D]);
    CHECK(y && z);
    CHECK_EQ_INT(wrong, 0);
    /* Softmax rows go to different threads: the same bits as on one thread. */
    ferry_model *serial = load_graph_text(elementwise_graph, 1);
    const char *soft = "soft:0";
    ferry_tensor *many = NULL, *one = NULL;
    CHECK_OK(ferry_model_run(&many, m, feeds, (const ferry_tensor *const *)in, 1, &soft, 1, NULL, 0, err_));
    CHECK_OK(ferry_model_run(&one, serial, feeds, (const ferry_tensor *const *)in, 1, &soft, 1, NULL, 0, err_));
    CHECK(many && one && memcmp(ferry_tensor_data(many), ferry_tensor_data(one), sizeof(a)) == 0);
    ferry_tensor_free(many);
    ferry_tensor_free(one);
    ferry_model_free(serial);
    for (int i = 0; i < 3; i++)
        ferry_tensor_free(in[i]);
    ferry_tensor_free(out[0]);
    ferry_tensor_free(out[1]);
    ferry_model_free(m);
}

/* A batch of products (attention heads) is spread product by product. */
static const char batch_graph[] =
    "node { name: \"a\" op: \"Placeholder\" attr { key: \"dtype\" value { type: DT_FLOAT } } }\n"
    "node { name: \"b\" op: \"Placeholder\" attr { key: \"dtype\" value { type: DT_FLOAT } } }\n"
    "node { name: \"out\" op: \"BatchMatMulV2\" input: \"a\" input: \"b\" attr { key: \"T\" value { type: DT_FLOAT } } }\n";

static void batched_products_split_by_item(void)
{
    enum { B = 16, S = 64 };
    static float a[B * S * S], b[B * S * S];
    for (int i = 0; i < B * S * S; i++) {
        a[i] = (float)(i % 13) - 6.0f;
        b[i] = (float)(i % 7) * 0.5f;
    }
    int64_t dims[3] = { B, S, S };
    ferry_tensor *in[2] = { NULL, NULL };
    ferry_tensor_wrap(&in[0], FERRY_DT_FLOAT, dims, 3, a, sizeof(a), NULL, NULL, NULL);
    ferry_tensor_wrap(&in[1], FERRY_DT_FLOAT, dims, 3, b, sizeof(b), NULL, NULL, NULL);
    ferry_model *one = load_graph_text(batch_graph, 1), *four = load_graph_text(batch_graph, 4);
    const char *feeds[2] = { "a:0", "b:0" }, *fetch = "out:0";
    ferry_tensor *x = NULL, *y = NULL;
    CHECK_OK(ferry_model_run(&x, one, feeds, (const ferry_tensor *const *)in, 2, &fetch, 1, NULL, 0, err_));
    CHECK_OK(ferry_model_run(&y, four, feeds, (const ferry_tensor *const *)in, 2, &fetch, 1, NULL, 0, err_));
    CHECK(x && y && memcmp(ferry_tensor_data(x), ferry_tensor_data(y), sizeof(a)) == 0);
    /* Item 5, row 3, column 9, summed plainly (small integers: exact). */
    double want = 0;
    for (int k = 0; k < S; k++)
        want += (double)a[5 * S * S + 3 * S + k] * b[5 * S * S + k * S + 9];
    CHECK(y && ((const float *)ferry_tensor_data(y))[5 * S * S + 3 * S + 9] == (float)want);
    ferry_tensor_free(x);
    ferry_tensor_free(y);
    ferry_tensor_free(in[0]);
    ferry_tensor_free(in[1]);
    ferry_model_free(one);
    ferry_model_free(four);
}

static void bad_thread_counts_are_refused(void)
{
    ferry_model_options opts = FERRY_MODEL_OPTIONS_INIT;
    opts.intra_op_threads = -1;
    ferry_model *m = NULL;
    CHECK_FAILS(FERRY_ERR_INVALID_ARGUMENT, "intra_op_threads -1 is outside 0..256",
                ferry_model_load(&m, FERRY_SOURCE_DIR "/examples/models/half_plus_two", &opts, err_));
    CHECK(m == NULL);
}

RUN_TESTS("threads", TEST(eight_threads_share_one_model), TEST(eight_threads_eight_shapes), TEST(state_writes_are_serialised),
          TEST(intra_op_threads_keep_the_answers), TEST(one_row_products_split_by_columns), TEST(concurrent_runs_share_intra_op_threads),
          TEST(elementwise_split_keeps_every_element), TEST(batched_products_split_by_item),
          TEST(bad_thread_counts_are_refused))
