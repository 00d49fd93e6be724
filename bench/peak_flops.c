/* The machine's float32 peak, measured: each thread runs many independent
 * multiply-add chains over 16-lane rows, which the compiler turns into the
 * widest fused multiply-adds this CPU has (this file is built with
 * -march=native where the compiler allows). */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>

#include "measure.h"

#define LANES 16
#define CHAINS 12 /* enough independent chains to cover the FMA latency */
#define STEPS 200000000L /* ~0.1 s a thread: long past the clock's ramp to wide-vector speed */

double peak_gflops(int threads);

static void *chains(void *arg)
{
    float acc[CHAINS][LANES], mul[LANES], add[LANES];
    for (int l = 0; l < LANES; l++) {
        mul[l] = 0.999999f;
        add[l] = 1e-7f * (float)l;
        for (int c = 0; c < CHAINS; c++)
            acc[c][l] = (float)c;
    }
    for (long s = 0; s < STEPS / CHAINS; s++)
        for (int c = 0; c < CHAINS; c++)
            for (int l = 0; l < LANES; l++)
                acc[c][l] = acc[c][l] * mul[l] + add[l];
    float sum = 0;
    for (int c = 0; c < CHAINS; c++)
        for (int l = 0; l < LANES; l++)
            sum += acc[c][l];
    *(float *)arg = sum; /* keeps the work observable */
    return NULL;
}

/* The best of three timings. */
double peak_gflops(int threads)
{
    pthread_t t[256];
    float sink[256];
    if (threads < 1 || threads > 256)
        threads = 1;
    double best = 0;
    for (int round = 0; round < 3; round++) {
        double t0 = bench_now();
        for (int i = 0; i < threads; i++)
            pthread_create(&t[i], NULL, chains, &sink[i]);
        for (int i = 0; i < threads; i++)
            pthread_join(t[i], NULL);
        double rate = 2.0 * LANES * (double)(STEPS / CHAINS * CHAINS) * threads / (bench_now() - t0) * 1e-9;
        best = rate > best ? rate : best;
    }
    return best;
}
