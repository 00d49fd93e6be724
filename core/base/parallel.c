#include "base/parallel.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "base/error.h"

/* A worker that finishes a job, and a caller waiting for its workers, watch
 * for the next event this long before sleeping: a CNN at batch 1 hands its
 * threads a job every few tens of microseconds, and waking a sleeping thread
 * costs about as much. */
#define SPIN_NS 50000

struct fy_pool {
    int threads;                      /* workers + the caller */
    pthread_t *workers;
    int spawned;                      /* the workers were created (with the first job that can use them) */
    int started;                      /* workers actually created */
    pthread_mutex_t busy;             /* held by the run using the workers */
    pthread_mutex_t lock;             /* guards everything below */
    pthread_cond_t wake, done;
    void (*fn)(void *ctx, int i);
    void *ctx;
    int n, next;
    atomic_int finished;              /* calls of the current job that have returned */
    atomic_ulong generation;          /* bumped per job, so workers see each once */
    atomic_int stopping;
    int sleepers;                     /* workers waiting on `wake` */
    int caller_sleeps;                /* the caller is waiting on `done` */
};

static long long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* Polls until ready(p) or SPIN_NS have passed; returns ready(p). */
static int spin_until(fy_pool *p, int (*ready)(fy_pool *p, unsigned long seen), unsigned long seen)
{
    long long end = 0;
    for (int i = 0;; i++) {
        if (ready(p, seen))
            return 1;
        if ((i & 63) == 0) {
            long long t = now_ns();
            if (!end)
                end = t + SPIN_NS;
            else if (t > end)
                return 0;
        }
#ifdef __SSE2__
        _mm_pause();
#endif
    }
}

static int job_posted(fy_pool *p, unsigned long seen)
{
    return atomic_load(&p->generation) != seen || atomic_load(&p->stopping);
}

static int job_done(fy_pool *p, unsigned long seen)
{
    (void)seen;
    return atomic_load(&p->finished) == p->n;
}

int fy_cpu_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 256 ? 256 : (int)n;
}

/* Takes the next index of the current job, or -1 when none is left. */
static int claim(fy_pool *p)
{
    return p->next < p->n ? p->next++ : -1;
}

static void work_on_job(fy_pool *p)
{
    for (;;) {
        int i = claim(p);
        if (i < 0)
            break;
        pthread_mutex_unlock(&p->lock);
        p->fn(p->ctx, i);
        pthread_mutex_lock(&p->lock);
        if (atomic_fetch_add(&p->finished, 1) + 1 == p->n && p->caller_sleeps)
            pthread_cond_broadcast(&p->done);
    }
}

static void *worker(void *arg)
{
    fy_pool *p = arg;
    unsigned long seen = 0;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        if (!job_posted(p, seen)) {
            pthread_mutex_unlock(&p->lock);
            spin_until(p, job_posted, seen);
            pthread_mutex_lock(&p->lock);
        }
        while (!job_posted(p, seen)) {
            p->sleepers++;
            pthread_cond_wait(&p->wake, &p->lock);
            p->sleepers--;
        }
        if (atomic_load(&p->stopping))
            break;
        seen = atomic_load(&p->generation);
        work_on_job(p);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

ferry_status fy_pool_new(fy_pool **out, int threads, ferry_error **err)
{
    fy_pool *p = calloc(1, sizeof(*p));
    if (!p)
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    p->threads = threads < 1 ? 1 : threads;
    pthread_mutex_init(&p->busy, NULL);
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->wake, NULL);
    pthread_cond_init(&p->done, NULL);
    if (p->threads > 1 && !(p->workers = calloc((size_t)p->threads - 1, sizeof(pthread_t)))) {
        fy_pool_free(p);
        return fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    }
    *out = p;
    return FERRY_OK;
}

/* Creates the workers, on the first job that could use them: a model whose
 * runs never split work (a small one) never pays for them. Fewer threads
 * than asked for still work (the caller claims what no worker does). */
static void spawn(fy_pool *p)
{
    p->spawned = 1;
    while (p->started < p->threads - 1 && pthread_create(&p->workers[p->started], NULL, worker, p) == 0)
        p->started++;
}

void fy_pool_free(fy_pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->busy); /* after any run's use of the workers */
    pthread_mutex_lock(&p->lock);
    atomic_store(&p->stopping, 1);
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->lock);
    for (int i = 0; i < p->started; i++)
        pthread_join(p->workers[i], NULL);
    pthread_mutex_unlock(&p->busy);
    free(p->workers);
    pthread_cond_destroy(&p->wake);
    pthread_cond_destroy(&p->done);
    pthread_mutex_destroy(&p->lock);
    pthread_mutex_destroy(&p->busy);
    free(p);
}

int fy_pool_threads(const fy_pool *p)
{
    return p ? p->threads : 1;
}

void fy_pool_run(fy_pool *p, int n, void (*fn)(void *ctx, int i), void *ctx)
{
    if (!p || p->threads == 1 || n <= 1 || pthread_mutex_trylock(&p->busy) != 0) {
        for (int i = 0; i < n; i++)
            fn(ctx, i);
        return;
    }
    if (!p->spawned)
        spawn(p);
    pthread_mutex_lock(&p->lock);
    p->fn = fn;
    p->ctx = ctx;
    p->n = n;
    p->next = 0;
    atomic_store(&p->finished, 0);
    atomic_fetch_add(&p->generation, 1);
    if (p->sleepers)
        pthread_cond_broadcast(&p->wake);
    work_on_job(p);
    if (!job_done(p, 0)) {
        pthread_mutex_unlock(&p->lock);
        spin_until(p, job_done, 0);
        pthread_mutex_lock(&p->lock);
    }
    while (!job_done(p, 0)) {
        p->caller_sleeps = 1;
        pthread_cond_wait(&p->done, &p->lock);
        p->caller_sleeps = 0;
    }
    p->fn = NULL;
    p->n = 0;
    pthread_mutex_unlock(&p->lock);
    pthread_mutex_unlock(&p->busy);
}
