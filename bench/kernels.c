/* Dense kernels against the machine's peak: the peak is measured here with
 * independent fused multiply-add chains (peak_flops.c, built for this CPU),
 * once per thread count; then a large MatMul and a large Conv2D run through
 * the public API with intra_op_threads = that count.
 * Usage: bench_kernels [THREADS...] (default: 1 and the core count).
 * Prints one JSON line per thread count. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ferry/ferry.h>

#include "measure.h"

double peak_gflops(int threads); /* peak_flops.c */

static void die(ferry_error *err)
{
    fprintf(stderr, "bench_kernels: %s\n", ferry_error_message(err));
    exit(1);
}

/* Writes a one-node graph (pbtxt) to a temporary file; returns its path. */
static const char *write_graph(const char *text)
{
    static char path[64];
    char dir[] = "/tmp/ferry_bench_XXXXXX";
    if (!mkdtemp(dir))
        exit(1);
    snprintf(path, sizeof(path), "%s/g.pbtxt", dir);
    FILE *f = fopen(path, "w");
    if (!f)
        exit(1);
    fputs(text, f);
    fclose(f);
    return path;
}

static ferry_tensor *filled(const int64_t *dims, int rank)
{
    ferry_tensor *t = NULL;
    ferry_error *err = NULL;
    if (ferry_tensor_new(&t, FERRY_DT_FLOAT, dims, rank, &err) != FERRY_OK)
        die(err);
    float *v = ferry_tensor_data(t);
    for (int64_t i = 0; i < ferry_tensor_element_count(t); i++)
        v[i] = (float)((i * 7919) % 1000) / 1000.0f - 0.5f;
    return t;
}

/* GFLOP/s of fetching `out` with a and b fed, best of `reps` runs after one warm-up. */
static double time_graph(const char *graph, const ferry_tensor *a, const ferry_tensor *b, double flops, int threads,
                         int reps)
{
    const char *path = write_graph(graph);
    ferry_model_options opts = FERRY_MODEL_OPTIONS_INIT;
    opts.intra_op_threads = threads;
    ferry_model *m = NULL;
    ferry_error *err = NULL;
    if (ferry_model_load(&m, path, &opts, &err) != FERRY_OK)
        die(err);
    unlink(path);
    const char *feeds[2] = { "a:0", "b:0" }, *fetch = "out:0";
    const ferry_tensor *in[2] = { a, b };
    double best = 1e30;
    for (int r = 0; r <= reps; r++) {
        ferry_tensor *out = NULL;
        double t0 = bench_now();
        if (ferry_model_run(&out, m, feeds, in, 2, &fetch, 1, NULL, 0, &err) != FERRY_OK)
            die(err);
        double t = bench_now() - t0;
        if (r > 0 && t < best)
            best = t;
        ferry_tensor_free(out);
    }
    ferry_model_free(m);
    return flops / best * 1e-9;
}

static const char matmul_graph[] =
    "node { name: \"a\" op: \"Placeholder\" attr { key: \"dtype\" value { type: DT_FLOAT } } }\n"
    "node { name: \"b\" op: \"Placeholder\" attr { key: \"dtype\" value { type: DT_FLOAT } } }\n"
    "node { name: \"out\" op: \"MatMul\" input: \"a\" input: \"b\" attr { key: \"T\" value { type: DT_FLOAT } } }\n";

static const char conv_graph[] =
    "node { name: \"a\" op: \"Placeholder\" attr { key: \"dtype\" value { type: DT_FLOAT } } }\n"
    "node { name: \"b\" op: \"Placeholder\" attr { key: \"dtype\" value { type: DT_FLOAT } } }\n"
    "node { name: \"out\" op: \"Conv2D\" input: \"a\" input: \"b\" attr { key: \"T\" value { type: DT_FLOAT } }\n"
    "  attr { key: \"strides\" value { list { i: 1 i: 1 i: 1 i: 1 } } }\n"
    "  attr { key: \"padding\" value { s: \"SAME\" } } }\n";

int main(int argc, char **argv)
{
    int counts[8], n = 0;
    for (int i = 1; i < argc && n < 8; i++)
        counts[n++] = atoi(argv[i]);
    if (n == 0) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        counts[n++] = 1;
        if (cores > 1)
            counts[n++] = (int)cores;
    }
    const int64_t size = 2048, da[2] = { size, size };
    /* A ResNet-style 3x3 convolution, 256 -> 256 channels at 56 x 56, batch 4. */
    const int64_t dx[4] = { 4, 56, 56, 256 }, df[4] = { 3, 3, 256, 256 };
    ferry_tensor *a = filled(da, 2), *b = filled(da, 2), *x = filled(dx, 4), *f = filled(df, 4);
    double mm_flops = 2.0 * size * size * size, conv_flops = 2.0 * 4 * 56 * 56 * 256 * 256 * 9;
    for (int i = 0; i < n; i++) {
        double peak = peak_gflops(counts[i]);
        double mm = time_graph(matmul_graph, a, b, mm_flops, counts[i], 5);
        double conv = time_graph(conv_graph, x, f, conv_flops, counts[i], 5);
        printf("{\"threads\": %d, \"peak_gflops\": %.1f, \"matmul_2048_gflops\": %.1f, \"matmul_of_peak\": %.2f, "
               "\"conv3x3_256_gflops\": %.1f, \"conv_of_peak\": %.2f}\n",
               counts[i], peak, mm, mm / peak, conv, conv / peak);
    }
    ferry_tensor_free(a);
    ferry_tensor_free(b);
    ferry_tensor_free(x);
    ferry_tensor_free(f);
    return 0;
}
