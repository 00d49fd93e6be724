/* Every error path behind an allocation: each scenario (load a model and run
 * its signatures; open a checkpoint and read it all) is repeated with its
 * 1st, 2nd, ... Nth allocation failing. Each repetition must fail cleanly
 * with OUT_OF_MEMORY, or succeed with the same outputs as a run without
 * failures; never crash. Under the ASan build, LeakSanitizer then checks that
 * none of these error paths leaked.
 *
 * The library's calls to malloc, calloc, realloc and aligned_alloc reach this file through
 * the linker's --wrap (see tests/CMakeLists.txt). */
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include <ferry/ferry.h>

#include "base/bufpool.h"
#include "check.h"

void *__real_malloc(size_t size);
void *__real_calloc(size_t count, size_t size);
void *__real_realloc(void *p, size_t size);
void *__real_aligned_alloc(size_t align, size_t size);

static atomic_long alloc_count;
static long fail_at = -1; /* the allocation that fails, 1-based; -1: none */

static int should_fail(void)
{
    return atomic_fetch_add(&alloc_count, 1) + 1 == fail_at;
}

void *__wrap_malloc(size_t size) { return should_fail() ? NULL : __real_malloc(size); }
void *__wrap_calloc(size_t count, size_t size) { return should_fail() ? NULL : __real_calloc(count, size); }
void *__wrap_realloc(void *p, size_t size) { return should_fail() ? NULL : __real_realloc(p, size); }
void *__wrap_aligned_alloc(size_t align, size_t size)
{
    return should_fail() ? NULL : __real_aligned_alloc(align, size);
}

/* What a scenario produced: concatenated output bytes (strings by length). */
typedef struct digest {
    unsigned char *bytes;
    size_t size;
} digest;

static void digest_add(digest *d, const void *data, size_t n)
{
    unsigned char *grown = __real_realloc(d->bytes, d->size + n + 1);
    if (!grown)
        abort();
    memcpy(grown + d->size, data, n);
    d->bytes = grown;
    d->size += n;
}

static void digest_tensor(digest *d, ferry_tensor *t)
{
    int rank = ferry_tensor_rank(t);
    ferry_dtype dt = ferry_tensor_dtype(t);
    digest_add(d, &dt, sizeof(dt));
    digest_add(d, ferry_tensor_dims(t), (size_t)rank * sizeof(int64_t));
    if (dt != FERRY_DT_STRING)
        digest_add(d, ferry_tensor_data(t), ferry_tensor_byte_size(t));
}

typedef ferry_status (*scenario_fn)(const char *path, digest *d, ferry_error **err);

/* Signatures that fail on the inputs below even without injected failures
 * (e.g. ParseExample wanting a feature), found in the clean pass. */
static int clean_pass;
static unsigned long skipped_signatures;

/* How many times load_and_run runs each signature. */
static int runs_per_signature = 1;

/* Loads with one intra-op thread (so allocations come in a fixed order) and
 * runs every signature on inputs of ones with unknown dims set to 2. */
static ferry_status load_and_run(const char *path, digest *d, ferry_error **err)
{
    ferry_model_options opts = FERRY_MODEL_OPTIONS_INIT;
    opts.intra_op_threads = 1;
    ferry_model *m = NULL;
    ferry_status st = ferry_model_load(&m, path, &opts, err);
    for (size_t s = 0; st == FERRY_OK && s < ferry_model_signature_count(m); s++) {
        const ferry_signature *sig = ferry_model_signature(m, s);
        size_t n = ferry_signature_input_count(sig), outs_n = ferry_signature_output_count(sig);
        const char *names[8];
        ferry_tensor *in[8] = { 0 }, *out[8] = { 0 };
        if (n > 8 || outs_n > 8)
            continue;
        if (!strncmp(ferry_signature_key(sig), "__saved_model", 13) || (skipped_signatures >> s & 1))
            continue; /* init and train ops ran at load */
        for (size_t i = 0; i < n && st == FERRY_OK; i++) {
            const ferry_tensor_info *info = ferry_signature_input(sig, i);
            int64_t dims[FERRY_MAX_RANK];
            for (int k = 0; k < info->rank; k++)
                dims[k] = info->dims[k] < 0 ? 2 : info->dims[k];
            names[i] = info->name;
            st = ferry_tensor_new(&in[i], info->dtype, dims, info->rank < 0 ? 0 : info->rank, err);
            if (st == FERRY_OK && info->dtype == FERRY_DT_FLOAT) {
                float *v = ferry_tensor_data(in[i]);
                for (size_t k = 0; k < ferry_tensor_byte_size(in[i]) / sizeof(float); k++)
                    v[k] = 1.0f;
            }
        }
        /* Later runs follow the memory layout the first one recorded (base/arena.c). */
        for (int r = 0; r < runs_per_signature && st == FERRY_OK; r++) {
            for (size_t i = 0; r > 0 && i < outs_n; i++) {
                ferry_tensor_free(out[i]);
                out[i] = NULL;
            }
            st = ferry_signature_run(out, sig, names, (const ferry_tensor *const *)in, n, err);
        }
        int skip = st != FERRY_OK && clean_pass && s < 64;
        if (skip) {
            skipped_signatures |= 1ul << s;
            ferry_error_free(*err);
            *err = NULL;
            st = FERRY_OK;
        }
        for (size_t i = 0; i < 8; i++) {
            if (st == FERRY_OK && !skip && i < outs_n)
                digest_tensor(d, out[i]);
            ferry_tensor_free(in[i]);
            ferry_tensor_free(out[i]);
        }
    }
    ferry_model_free(m);
    return st;
}

static ferry_status open_and_read(const char *path, digest *d, ferry_error **err)
{
    ferry_checkpoint *c = NULL;
    ferry_status st = ferry_checkpoint_open(&c, path, err);
    for (size_t i = 0; st == FERRY_OK && i < ferry_checkpoint_variable_count(c); i++) {
        ferry_tensor *t = NULL;
        st = ferry_checkpoint_read(&t, c, ferry_checkpoint_variable(c, i)->name, err);
        if (st == FERRY_OK)
            digest_tensor(d, t);
        ferry_tensor_free(t);
    }
    ferry_checkpoint_free(c);
    return st;
}

/* A TF1 dataflow loop, fed and fetched by tensor name. */
static ferry_status feed_fetch_loop(const char *path, digest *d, ferry_error **err)
{
    ferry_model_options opts = FERRY_MODEL_OPTIONS_INIT;
    opts.intra_op_threads = 1;
    ferry_model *m = NULL;
    ferry_tensor *n = NULL, *x = NULL, *y = NULL;
    int32_t steps = 3;
    float xs[3] = { 0.5f, 1.0f, 1.5f };
    int64_t dims[1] = { 3 };
    ferry_status st = ferry_model_load(&m, path, &opts, err);
    if (!st)
        st = ferry_tensor_wrap(&n, FERRY_DT_INT32, NULL, 0, &steps, sizeof(steps), NULL, NULL, err);
    if (!st)
        st = ferry_tensor_wrap(&x, FERRY_DT_FLOAT, dims, 1, xs, sizeof(xs), NULL, NULL, err);
    const char *feeds[2] = { "n:0", "x:0" }, *fetch = "y:0";
    const ferry_tensor *in[2] = { n, x };
    if (!st)
        st = ferry_model_run(&y, m, feeds, in, 2, &fetch, 1, NULL, 0, err);
    if (!st)
        digest_tensor(d, y);
    ferry_tensor_free(y);
    ferry_tensor_free(x);
    ferry_tensor_free(n);
    ferry_model_free(m);
    return st;
}

/* Writes a two-shard checkpoint with a whole and a partitioned variable,
 * then reads it back. `path` is the directory to write in. */
static ferry_status write_and_read(const char *path, digest *d, ferry_error **err)
{
    char prefix[512];
    snprintf(prefix, sizeof(prefix), "%s/ckpt-1", path);
    ferry_writer_options opts = FERRY_WRITER_OPTIONS_INIT;
    opts.num_shards = 2;
    float w[6] = { 1, 2, 3, 4, 5, 6 };
    int64_t dims[2] = { 2, 3 }, full[2] = { 4, 3 }, start[2] = { 2, 0 };
    ferry_checkpoint_writer *wr = NULL;
    ferry_tensor *t = NULL;
    ferry_status st = ferry_tensor_wrap(&t, FERRY_DT_FLOAT, dims, 2, w, sizeof(w), NULL, NULL, err);
    if (!st)
        st = ferry_checkpoint_writer_new(&wr, prefix, &opts, err);
    if (!st)
        st = ferry_checkpoint_writer_add(wr, "dense/kernel", t, err);
    if (!st)
        st = ferry_checkpoint_writer_add_slice(wr, "embedding", full, 2, start, t, err);
    start[0] = 0;
    if (!st)
        st = ferry_checkpoint_writer_add_slice(wr, "embedding", full, 2, start, t, err);
    if (!st)
        st = ferry_checkpoint_writer_finish(wr, err);
    ferry_checkpoint_writer_free(wr);
    ferry_tensor_free(t);
    return st ? st : open_and_read(prefix, d, err);
}

/* Runs `fn` once cleanly, then once per allocation with that one failing. */
static void fail_each_allocation(scenario_fn fn, const char *path)
{
    digest want = { 0 };
    ferry_error *err = NULL;
    fail_at = -1;
    atomic_store(&alloc_count, 0);
    clean_pass = 1;
    skipped_signatures = 0;
    fy_buf_trim(); /* every run starts from an empty pool, so allocations repeat */
    ferry_status st = fn(path, &want, &err);
    clean_pass = 0;
    if (st != FERRY_OK) {
        fprintf(stderr, "%s: fails without injected failures: %s\n", path, ferry_error_message(err));
        check_current_failed = 1;
    }
    ferry_error_free(err);
    long total = atomic_load(&alloc_count);
    int bad = 0;
    for (long k = 1; k <= total && bad < 5; k++) {
        digest got = { 0 };
        err = NULL;
        fail_at = k;
        atomic_store(&alloc_count, 0);
        fy_buf_trim();
        st = fn(path, &got, &err);
        if (st == FERRY_OK && (got.size != want.size || (want.size && memcmp(got.bytes, want.bytes, want.size)))) {
            fprintf(stderr, "%s: allocation %ld of %ld failed, yet the call succeeded with other outputs\n", path,
                    k, total);
            bad++;
        } else if (st != FERRY_OK && (st != FERRY_ERR_OUT_OF_MEMORY || !err)) {
            fprintf(stderr, "%s: allocation %ld of %ld failed: status %d (want OUT_OF_MEMORY): %s\n", path, k,
                    total, (int)st, err ? ferry_error_message(err) : "(no error)");
            bad++;
        }
        ferry_error_free(err);
        free(got.bytes);
    }
    fail_at = -1;
    if (bad)
        check_current_failed = 1;
    printf("  %s: %ld allocations, each failed once\n", path, total);
    free(want.bytes);
}

static void saved_model_tf2(void) { fail_each_allocation(load_and_run, FERRY_SOURCE_DIR "/examples/models/half_plus_two"); }
static void meta_graph_tf1(void) { fail_each_allocation(load_and_run, FERRY_FIXTURES "/tf1_saver_basic/model.meta"); }
static void while_loop(void) { fail_each_allocation(load_and_run, FERRY_FIXTURES "/tf2_control_flow/saved_model"); }
static void vocabulary_table(void) { fail_each_allocation(load_and_run, FERRY_FIXTURES "/tf2_vocab_lookup/saved_model"); }
static void keras_lstm(void) { fail_each_allocation(load_and_run, FERRY_FIXTURES "/tf2_lstm/saved_model"); }
static void partitioned_checkpoint(void) { fail_each_allocation(open_and_read, FERRY_FIXTURES "/ckpt_partitioned/model"); }
static void object_checkpoint(void) { fail_each_allocation(open_and_read, FERRY_FIXTURES "/tf2_checkpoint_manager/ckpt"); }

static void tf1_saved_model(void) { fail_each_allocation(load_and_run, FERRY_FIXTURES "/tf1_simple_save/saved_model"); }
static void parse_example(void) { fail_each_allocation(load_and_run, FERRY_FIXTURES "/tf1_parse_example/saved_model"); }
static void keras_cnn(void) { fail_each_allocation(load_and_run, FERRY_FIXTURES "/tf2_cnn/saved_model"); }

/* Three runs of each signature: the second allocates the layout's block. */
static void keras_cnn_runs_thrice(void)
{
    runs_per_signature = 3;
    fail_each_allocation(load_and_run, FERRY_FIXTURES "/tf2_cnn/saved_model");
    runs_per_signature = 1;
}
static void keras_transformer(void) { fail_each_allocation(load_and_run, FERRY_FIXTURES "/tf2_transformer/saved_model"); }
static void frozen_dataflow_loop(void) { fail_each_allocation(feed_fetch_loop, FERRY_FIXTURES "/tf1_while_frozen/frozen.pb"); }

static void checkpoint_writer(void)
{
    char dir[] = "/tmp/ferry_alloc_XXXXXX";
    if (!mkdtemp(dir)) {
        check_current_failed = 1;
        return;
    }
    fail_each_allocation(write_and_read, dir);
    char cmd[64];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
}

RUN_TESTS("alloc_failures", TEST(saved_model_tf2), TEST(meta_graph_tf1), TEST(tf1_saved_model), TEST(while_loop),
          TEST(frozen_dataflow_loop), TEST(vocabulary_table), TEST(parse_example), TEST(keras_lstm), TEST(keras_cnn),
          TEST(keras_cnn_runs_thrice),
          TEST(keras_transformer), TEST(partitioned_checkpoint), TEST(object_checkpoint), TEST(checkpoint_writer))
