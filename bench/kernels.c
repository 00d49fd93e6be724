/* Dense kernels against the machine's peak: the peak is measured here with
 * independent fused multiply-add chains (peak_flops.c, built for this CPU),
 * once per thread count; then a large MatMul and a large Conv2D run through
 * the public API with intra_op_threads = that count, with the right-hand
 * operand fed (BLAS), and again with it a constant of the graph, as weights
 * are (packed once where the CPU has AVX-512, kernels/packed.c).
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

/* GFLOP/s of fetching `out` with a and b fed (b NULL: a alone), best of
 * `reps` runs after one warm-up. */
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
        if (ferry_model_run(&out, m, feeds, in, b ? 2 : 1, &fetch, 1, NULL, 0, &err) != FERRY_OK)
            die(err);
        double t = bench_now() - t0;
        if (r > 0 && t < best)
            best = t;
        ferry_tensor_free(out);
    }
    ferry_model_free(m);
    return flops / best * 1e-9;
}

#define PLACEHOLDER(NAME) \
    "node { name: \"" NAME "\" op: \"Placeholder\" attr { key: \"dtype\" value { type: DT_FLOAT } } }\n"
/* b as a constant of the graph: a Fill of the given dims, folded when the plan is built. */
#define CONSTANT_B(RANK, DIMS)                                                                                  \
    "node { name: \"dims\" op: \"Const\" attr { key: \"dtype\" value { type: DT_INT32 } }\n"                    \
    "  attr { key: \"value\" value { tensor { dtype: DT_INT32 tensor_shape { dim { size: " RANK " } } " DIMS       \
    " } } } }\n"                                                                                                 \
    "node { name: \"v\" op: \"Const\" attr { key: \"dtype\" value { type: DT_FLOAT } }\n"                        \
    "  attr { key: \"value\" value { tensor { dtype: DT_FLOAT tensor_shape { } float_val: 0.001 } } } }\n"         \
    "node { name: \"b\" op: \"Fill\" input: \"dims\" input: \"v\" attr { key: \"T\" value { type: DT_FLOAT } } }\n"
#define MATMUL "node { name: \"out\" op: \"MatMul\" input: \"a\" input: \"b\" attr { key: \"T\" value { type: DT_FLOAT } } }\n"
#define CONV2D                                                                                                  \
    "node { name: \"out\" op: \"Conv2D\" input: \"a\" input: \"b\" attr { key: \"T\" value { type: DT_FLOAT } }\n"  \
    "  attr { key: \"strides\" value { list { i: 1 i: 1 i: 1 i: 1 } } }\n"                                            \
    "  attr { key: \"padding\" value { s: \"SAME\" } } }\n"

static const char matmul_graph[] = PLACEHOLDER("a") PLACEHOLDER("b") MATMUL;
static const char conv_graph[] = PLACEHOLDER("a") PLACEHOLDER("b") CONV2D;
static const char matmul_weights_graph[] = PLACEHOLDER("a") CONSTANT_B("2", "int_val: 2048 int_val: 2048") MATMUL;
static const char conv_weights_graph[] =
    PLACEHOLDER("a") CONSTANT_B("4", "int_val: 3 int_val: 3 int_val: 256 int_val: 256") CONV2D;

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
        double mm_w = time_graph(matmul_weights_graph, a, NULL, mm_flops, counts[i], 5);
        double conv_w = time_graph(conv_weights_graph, x, NULL, conv_flops, counts[i], 5);
        printf("{\"threads\": %d, \"peak_gflops\": %.1f, \"matmul_2048_gflops\": %.1f, \"matmul_of_peak\": %.2f, "
               "\"conv3x3_256_gflops\": %.1f, \"conv_of_peak\": %.2f, \"matmul_weights_gflops\": %.1f, "
               "\"matmul_weights_of_peak\": %.2f, \"conv_weights_gflops\": %.1f, \"conv_weights_of_peak\": %.2f}\n",
               counts[i], peak, mm, mm / peak, conv, conv / peak, mm_w, mm_w / peak, conv_w, conv_w / peak);
    }
    ferry_tensor_free(a);
    ferry_tensor_free(b);
    ferry_tensor_free(x);
    ferry_tensor_free(f);
    return 0;
}
