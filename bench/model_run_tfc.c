/* TensorFlow's C API (from the tensorflow-cpu wheel) on a one-input,
 * one-output float model: the rival for per-call overhead. Loads the
 * SavedModel's "serve" MetaGraph, feeds the serving signature's input tensor
 * and fetches its output, batch 1, and reports the median call time.
 * Built by bench/run.sh against the wheel's headers and libraries.
 * Usage: bench_model_run_tfc MODEL INPUT_TENSOR OUTPUT_TENSOR [CALLS] */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tensorflow/c/c_api.h>

#include "measure.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static TF_Output output_of(TF_Graph *g, const char *name)
{
    char op[256];
    snprintf(op, sizeof(op), "%s", name);
    char *colon = strrchr(op, ':');
    int index = 0;
    if (colon) {
        index = atoi(colon + 1);
        *colon = '\0';
    }
    TF_Operation *o = TF_GraphOperationByName(g, op);
    if (!o) {
        fprintf(stderr, "bench_model_run_tfc: no operation %s\n", op);
        exit(1);
    }
    return (TF_Output){ o, index };
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: bench_model_run_tfc MODEL INPUT_TENSOR OUTPUT_TENSOR [CALLS]\n");
        return 2;
    }
    int calls = argc > 4 ? atoi(argv[4]) : 1000;
    if (calls < 10)
        calls = 10;
    double t0 = bench_now();
    TF_Status *status = TF_NewStatus();
    TF_Graph *graph = TF_NewGraph();
    TF_SessionOptions *opts = TF_NewSessionOptions();
    const char *tags[] = { "serve" };
    TF_Session *session = TF_LoadSessionFromSavedModel(opts, NULL, argv[1], tags, 1, graph, NULL, status);
    if (TF_GetCode(status) != TF_OK) {
        fprintf(stderr, "bench_model_run_tfc: %s\n", TF_Message(status));
        return 1;
    }
    TF_Output in = output_of(graph, argv[2]), out = output_of(graph, argv[3]);
    int64_t dims[1] = { 1 };
    TF_Tensor *x = TF_AllocateTensor(TF_FLOAT, dims, 1, sizeof(float));
    *(float *)TF_TensorData(x) = 0.25f;
    double *lat = malloc((size_t)calls * sizeof(double));
    double first = 0;
    for (int i = -1; i < calls; i++) {
        TF_Tensor *y = NULL;
        double s = bench_now();
        TF_SessionRun(session, NULL, &in, &x, 1, &out, &y, 1, NULL, 0, NULL, status);
        double t = bench_now() - s;
        if (TF_GetCode(status) != TF_OK) {
            fprintf(stderr, "bench_model_run_tfc: %s\n", TF_Message(status));
            return 1;
        }
        if (i < 0)
            first = bench_now() - t0;
        else
            lat[i] = t;
        TF_DeleteTensor(y);
    }
    qsort(lat, (size_t)calls, sizeof(double), cmp_double);
    printf("{\"runtime\": \"tensorflow-c\", \"model\": \"%s\", \"first_result_ms\": %.3f, "
           "\"batch1_median_ms\": %.4f, \"batch1_p99_ms\": %.4f, \"peak_rss_mib\": %.1f}\n",
           argv[1], first * 1e3, lat[calls / 2] * 1e3, lat[calls * 99 / 100] * 1e3, bench_peak_rss_kib() / 1024.0);
    free(lat);
    TF_DeleteTensor(x);
    TF_CloseSession(session, status);
    TF_DeleteSession(session, status);
    TF_DeleteSessionOptions(opts);
    TF_DeleteGraph(graph);
    TF_DeleteStatus(status);
    return 0;
}
