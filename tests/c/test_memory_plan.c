/* The memory plan (base/arena.h): once a plan has run with some feed shapes,
 * further runs with those shapes take their tensors from a block laid out
 * for them and ask the system for almost nothing. Runs whose sizes depend on
 * the data, or whose shapes change, must still give the right answers, and a
 * result handed to the caller must survive the runs after it.
 *
 * The library's malloc, calloc, realloc and aligned_alloc reach this file
 * through the linker's --wrap (see tests/CMakeLists.txt), to count bytes. */
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>

#include <ferry/ferry.h>

#include "check.h"
#include "graph_text.h"

void *__real_malloc(size_t size);
void *__real_calloc(size_t count, size_t size);
void *__real_realloc(void *p, size_t size);
void *__real_aligned_alloc(size_t align, size_t size);

static atomic_llong bytes_asked;

void *__wrap_malloc(size_t size)
{
    atomic_fetch_add(&bytes_asked, (long long)size);
    return __real_malloc(size);
}
void *__wrap_calloc(size_t count, size_t size)
{
    atomic_fetch_add(&bytes_asked, (long long)(count * size));
    return __real_calloc(count, size);
}
void *__wrap_realloc(void *p, size_t size)
{
    atomic_fetch_add(&bytes_asked, (long long)size);
    return __real_realloc(p, size);
}
void *__wrap_aligned_alloc(size_t align, size_t size)
{
    atomic_fetch_add(&bytes_asked, (long long)size);
    return __real_aligned_alloc(align, size);
}

/* Runs the CNN fixture's signature on a batch of `batch` images whose pixels
 * are i * scale; returns the bytes the run asked the system for. */
static long long run_cnn(const ferry_signature *sig, int batch, float scale, ferry_tensor **out)
{
    int64_t dims[4] = { batch, 16, 16, 3 };
    size_t n = (size_t)batch * 16 * 16 * 3;
    float *pixels = malloc(n * sizeof(float));
    CHECK(pixels != NULL);
    for (size_t i = 0; pixels && i < n; i++)
        pixels[i] = (float)(i % 97) * scale;
    ferry_tensor *in = NULL;
    CHECK_OK(ferry_tensor_wrap(&in, FERRY_DT_FLOAT, dims, 4, pixels, n * sizeof(float), NULL, NULL, err_));
    const char *name = "image";
    long long before = atomic_load(&bytes_asked);
    CHECK_OK(ferry_signature_run(out, sig, &name, (const ferry_tensor *const *)&in, 1, err_));
    long long used = atomic_load(&bytes_asked) - before;
    ferry_tensor_free(in);
    free(pixels);
    return used;
}

/* The CNN fixture and its serving signature; NULL (check failed) if either is missing. */
static ferry_model *load_cnn(const ferry_signature **sig)
{
    ferry_model *m = NULL;
    CHECK_OK(ferry_model_load(&m, FERRY_FIXTURES "/tf2_cnn/saved_model", NULL, err_));
    if (m)
        CHECK_OK(ferry_model_find_signature(sig, m, "serving_default", err_));
    if (m && !*sig) {
        ferry_model_free(m);
        m = NULL;
    }
    return m;
}

static int same_tensor(const ferry_tensor *a, const ferry_tensor *b)
{
    return a && b && ferry_tensor_byte_size(a) == ferry_tensor_byte_size(b) &&
           memcmp(ferry_tensor_data((ferry_tensor *)a), ferry_tensor_data((ferry_tensor *)b),
                  ferry_tensor_byte_size(a)) == 0;
}

/* Steady runs take their tensors from the plan's block: a run asks the
 * system for a small fraction of what the first run asked for, and gives
 * the same bits. */
static void steady_runs_allocate_little(void)
{
    const ferry_signature *sig = NULL;
    ferry_model *m = load_cnn(&sig);
    if (!m)
        return;
    ferry_tensor *first = NULL, *later = NULL;
    long long cold = run_cnn(sig, 8, 0.01f, &first);
    long long steady = 0;
    for (int i = 0; i < 4; i++) {
        ferry_tensor_free(later);
        later = NULL;
        steady = run_cnn(sig, 8, 0.01f, &later);
        CHECK(same_tensor(first, later));
    }
    printf("  cnn batch 8: first run asked for %lld bytes, a steady run %lld\n", cold, steady);
    CHECK(steady * 20 < cold);
    ferry_tensor_free(first);
    ferry_tensor_free(later);
    ferry_model_free(m);
}

/* Results the caller holds are not in any block: later runs (other shapes,
 * other data) leave them as they were. */
static void results_survive_later_runs(void)
{
    const ferry_signature *sig = NULL;
    ferry_model *m = load_cnn(&sig);
    if (!m)
        return;
    enum { RUNS = 10 };
    static const int batches[RUNS] = { 2, 2, 5, 2, 1, 5, 5, 2, 1, 2 };
    ferry_tensor *kept[RUNS] = { 0 };
    for (int i = 0; i < RUNS; i++)
        run_cnn(sig, batches[i], 0.01f * (float)(i + 1), &kept[i]);
    ferry_model_free(m);
    /* Each against a fresh model's answer (its first run plans nothing). */
    for (int i = 0; i < RUNS; i++) {
        ferry_model *fresh = load_cnn(&sig);
        ferry_tensor *want = NULL;
        if (fresh)
            run_cnn(sig, batches[i], 0.01f * (float)(i + 1), &want);
        if (!same_tensor(kept[i], want)) {
            fprintf(stderr, "run %d (batch %d) changed after later runs\n", i, batches[i]);
            check_current_failed = 1;
        }
        ferry_tensor_free(want);
        ferry_tensor_free(kept[i]);
        ferry_model_free(fresh);
    }
}

/* x -> positives = GatherNd(x, Where(x > 0)) -> doubled -> total: how many
 * tensors a run makes and how big depends on the values fed. */
static const char where_graph[] =
    "node { name: 'x' op: 'Placeholder' attr { key: 'dtype' value { type: DT_FLOAT } } }\n"
    "node { name: 'zero' op: 'Const' attr { key: 'dtype' value { type: DT_FLOAT } }\n"
    "  attr { key: 'value' value { tensor { dtype: DT_FLOAT tensor_shape {} float_val: 0 } } } }\n"
    "node { name: 'two' op: 'Const' attr { key: 'dtype' value { type: DT_FLOAT } }\n"
    "  attr { key: 'value' value { tensor { dtype: DT_FLOAT tensor_shape {} float_val: 2 } } } }\n"
    "node { name: 'axis' op: 'Const' attr { key: 'dtype' value { type: DT_INT32 } }\n"
    "  attr { key: 'value' value { tensor { dtype: DT_INT32 tensor_shape {} int_val: 0 } } } }\n"
    "node { name: 'pos' op: 'Greater' input: 'x' input: 'zero' attr { key: 'T' value { type: DT_FLOAT } } }\n"
    "node { name: 'where' op: 'Where' input: 'pos' attr { key: 'T' value { type: DT_BOOL } } }\n"
    "node { name: 'positives' op: 'GatherNd' input: 'x' input: 'where'\n"
    "  attr { key: 'Tparams' value { type: DT_FLOAT } } attr { key: 'Tindices' value { type: DT_INT64 } } }\n"
    "node { name: 'doubled' op: 'Mul' input: 'positives' input: 'two' attr { key: 'T' value { type: DT_FLOAT } } }\n"
    "node { name: 'total' op: 'Sum' input: 'doubled' input: 'axis'\n"
    "  attr { key: 'T' value { type: DT_FLOAT } } attr { key: 'Tidx' value { type: DT_INT32 } } }\n";

/* Same shape fed every time, a different number of positives each run:
 * the runs depart from the recorded layout, are re-planned, and in the end
 * place their tensors first-fit. Every answer is checked. */
static void data_dependent_sizes(void)
{
    ferry_model *m = load_graph_text(where_graph, 1);
    enum { N = 4096 };
    float *x = malloc(N * sizeof(float));
    CHECK(x != NULL);
    for (int run = 0; m && x && run < 24; run++) {
        int every = 1 + run % 5; /* 1 in `every` elements is positive */
        double want_total = 0;
        int want_count = 0;
        for (int i = 0; i < N; i++) {
            x[i] = i % every == 0 ? (float)(i % 13 + 1) : -1.0f;
            if (x[i] > 0) {
                want_total += 2.0 * x[i];
                want_count++;
            }
        }
        int64_t dims[1] = { N };
        ferry_tensor *in = NULL, *out[2] = { 0 };
        CHECK_OK(ferry_tensor_wrap(&in, FERRY_DT_FLOAT, dims, 1, x, N * sizeof(float), NULL, NULL, err_));
        const char *feed = "x:0", *fetches[2] = { "doubled:0", "total:0" };
        CHECK_OK(ferry_model_run(out, m, &feed, (const ferry_tensor *const *)&in, 1, fetches, 2, NULL, 0, err_));
        CHECK(out[0] && ferry_tensor_element_count(out[0]) == want_count);
        const float *d = out[0] ? ferry_tensor_data(out[0]) : NULL;
        for (int i = 0, k = 0; d && i < N; i++)
            if (x[i] > 0 && d[k++] != 2.0f * x[i]) {
                fprintf(stderr, "run %d: doubled[%d] = %g, want %g\n", run, k - 1, d[k - 1], 2.0 * x[i]);
                check_current_failed = 1;
                break;
            }
        const float *t = out[1] ? ferry_tensor_data(out[1]) : NULL;
        CHECK(t && fabs(*t - want_total) <= 1e-6 * want_total);
        ferry_tensor_free(out[0]);
        ferry_tensor_free(out[1]);
        ferry_tensor_free(in);
    }
    free(x);
    ferry_model_free(m);
}

RUN_TESTS("memory_plan", TEST(steady_runs_allocate_little), TEST(results_survive_later_runs),
          TEST(data_dependent_sizes))
