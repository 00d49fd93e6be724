/* Model benchmark: from nothing to first result, batch-1 latency (median and
 * p99), batch-32 throughput and peak RSS for one signature of one model.
 * Inputs are float32 (or int32/int64) tensors filled with a fixed pattern;
 * unknown dims are the batch size.
 * Usage: bench_model_run MODEL [SIGNATURE] [CALLS]. Prints one JSON line. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ferry/ferry.h>

#include "measure.h"

#define MAX_TENSORS 16 /* inputs or outputs of one signature */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void die(ferry_error *err)
{
    fprintf(stderr, "bench_model_run: %s\n", ferry_error_message(err));
    exit(1);
}

/* One batch of inputs for every input of `sig`. */
typedef struct batch {
    const char *names[MAX_TENSORS];
    ferry_tensor *tensors[MAX_TENSORS];
    size_t count;
} batch;

static void make_batch(batch *b, const ferry_signature *sig, int64_t batch_size)
{
    b->count = ferry_signature_input_count(sig);
    if (b->count > MAX_TENSORS) {
        fprintf(stderr, "bench_model_run: more than %d inputs\n", MAX_TENSORS);
        exit(1);
    }
    for (size_t i = 0; i < b->count; i++) {
        const ferry_tensor_info *info = ferry_signature_input(sig, i);
        int64_t dims[8];
        int rank = info->rank < 0 ? 1 : info->rank;
        for (int d = 0; d < rank && d < 8; d++)
            dims[d] = info->rank < 0 || info->dims[d] < 0 ? batch_size : info->dims[d];
        ferry_error *err = NULL;
        if (ferry_tensor_new(&b->tensors[i], info->dtype, dims, rank, &err) != FERRY_OK)
            die(err);
        int64_t n = ferry_tensor_element_count(b->tensors[i]);
        void *data = ferry_tensor_data(b->tensors[i]);
        for (int64_t k = 0; k < n; k++) {
            if (info->dtype == FERRY_DT_FLOAT)
                ((float *)data)[k] = (float)((k * 7919) % 1000) / 1000.0f - 0.5f;
            else if (info->dtype == FERRY_DT_INT32)
                ((int32_t *)data)[k] = (int32_t)(k % 100);
            else if (info->dtype == FERRY_DT_INT64)
                ((int64_t *)data)[k] = k % 100;
        }
        b->names[i] = info->name;
    }
}

static void free_batch(batch *b)
{
    for (size_t i = 0; i < b->count; i++)
        ferry_tensor_free(b->tensors[i]);
}

static void run(const ferry_signature *sig, const batch *b)
{
    ferry_tensor *outs[MAX_TENSORS] = { NULL };
    size_t n_out = ferry_signature_output_count(sig);
    ferry_error *err = NULL;
    if (n_out > MAX_TENSORS) {
        fprintf(stderr, "bench_model_run: more than %d outputs\n", MAX_TENSORS);
        exit(1);
    }
    if (ferry_signature_run(outs, sig, b->names, (const ferry_tensor *const *)b->tensors, b->count, &err))
        die(err);
    for (size_t i = 0; i < n_out; i++)
        ferry_tensor_free(outs[i]);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_model_run MODEL [SIGNATURE] [CALLS]\n");
        return 2;
    }
    const char *key = argc > 2 ? argv[2] : "serving_default";
    int calls = argc > 3 ? atoi(argv[3]) : 1000;
    if (calls < 10)
        calls = 10;

    double t0 = bench_now();
    ferry_model *m = NULL;
    const ferry_signature *sig = NULL;
    ferry_error *err = NULL;
    if (ferry_model_load(&m, argv[1], NULL, &err) || ferry_model_find_signature(&sig, m, key, &err))
        die(err);
    batch one;
    make_batch(&one, sig, 1);
    run(sig, &one);
    double first = bench_now() - t0;

    double *lat = malloc((size_t)calls * sizeof(double));
    for (int i = 0; i < calls; i++) {
        double s = bench_now();
        run(sig, &one);
        lat[i] = bench_now() - s;
    }
    qsort(lat, (size_t)calls, sizeof(double), cmp_double);

    batch many;
    make_batch(&many, sig, 32);
    /* The first call with a new shape: what a shape change costs. */
    double new_shape = bench_now();
    run(sig, &many);
    new_shape = bench_now() - new_shape;
    int rounds = calls / 10;
    double s = bench_now();
    for (int i = 0; i < rounds; i++)
        run(sig, &many);
    double per_batch = (bench_now() - s) / rounds;

    printf("{\"runtime\": \"ferry\", \"model\": \"%s\", \"first_result_ms\": %.3f, \"batch1_median_ms\": %.4f, "
           "\"batch1_p99_ms\": %.4f, \"batch32_per_s\": %.1f, \"batch32_first_ms\": %.3f, \"batch32_ms\": %.3f, "
           "\"peak_rss_mib\": %.1f}\n",
           argv[1], first * 1e3, lat[calls / 2] * 1e3, lat[calls * 99 / 100] * 1e3, 32.0 / per_batch,
           new_shape * 1e3, per_batch * 1e3,
           (double)bench_peak_rss_kib() / 1024.0);
    free(lat);
    free_batch(&one);
    free_batch(&many);
    ferry_model_free(m);
    return 0;
}
