/* The threads one model's runs may use (intra_op_threads): the calling
 * thread plus threads - 1 workers, created with the first job that splits,
 * that after a job watch for the next one for 50 microseconds and then
 * sleep until there is one. One run at a time
 * gets the workers; a run that finds them busy (another thread's run has
 * them) does its job alone on its own thread, so concurrent runs never wait
 * for each other here. */
#ifndef FERRY_BASE_PARALLEL_H
#define FERRY_BASE_PARALLEL_H

#include <stdint.h>

#include <ferry/ferry.h>

typedef struct fy_pool fy_pool;

/* The most threads one pool takes. */
#define FY_MAX_THREADS 256

/* A pool for `threads` threads in all (1: no workers, every job runs inline). */
ferry_status fy_pool_new(fy_pool **out, int threads, ferry_error **err);
void fy_pool_free(fy_pool *pool);

/* Threads a job may get: 1 for a NULL pool. */
int fy_pool_threads(const fy_pool *pool);

/* Calls fn(ctx, i) for every i in [0, n), spread over the pool's threads when
 * they are free; returns when all calls have returned. Calls for different i
 * must not write the same memory. A NULL pool runs them in order. */
void fy_pool_run(fy_pool *pool, int n, void (*fn)(void *ctx, int i), void *ctx);

/* How many parts of `step` items cover n items, for fy_pool_run: 0 when
 * there are no items (empty tensors split into no parts, never a division
 * by a step of 0). */
static inline int fy_pool_parts(int64_t n, int64_t step)
{
    return n > 0 && step > 0 ? (int)((n + step - 1) / step) : 0;
}

/* The number of processors online (at least 1). */
int fy_cpu_count(void);

#endif
