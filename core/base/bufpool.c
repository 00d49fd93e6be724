#include "base/bufpool.h"

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/file.h"

#define MIN_POOLED ((size_t)64 << 10)
#define STEPS 8                          /* classes per power of two */
#define CLASSES (64 * STEPS)

/* Sanitizer builds skip the pool: a reused buffer would hide use after free. */
#if defined(FERRY_NO_BUFPOOL)
#define POOLING 0
#else
#define POOLING 1
#endif

/* Every buffer starts with this header; the caller gets the bytes after it,
 * aligned as malloc's. Kept buffers link through `next`. */
typedef struct header {
    size_t class_size;                   /* 0: not pooled */
    struct header *next;
    size_t cls;
    size_t unused;                       /* pads to a multiple of max_align_t */
} header;

_Static_assert(sizeof(header) % _Alignof(max_align_t) == 0, "header keeps malloc's alignment");

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static header *free_lists[CLASSES];
static size_t in_use, peak_in_use, held;

/* The class of a size and the bytes every buffer of that class has. */
static int class_of(size_t size, size_t *class_size)
{
    int log2 = 63;
    while (!(size >> log2))
        log2--;
    size_t base = (size_t)1 << log2, step = base / STEPS;
    size_t k = (size - base + step - 1) / step; /* 0..STEPS */
    *class_size = base + k * step;
    return log2 * STEPS + (int)k; /* k == STEPS is the next power's class 0, same size */
}

/* Fresh memory for a tensor about to be written whole: big spans are mapped
 * in at once rather than a page fault at a time. */
static void *raw_alloc(size_t size, int zero)
{
    if (size > SIZE_MAX - sizeof(header))
        return NULL;
    void *p = zero ? calloc(1, sizeof(header) + size) : malloc(sizeof(header) + size);
    if (p)
        fy_prefault_write(p, sizeof(header) + size);
    return p;
}

void *fy_buf_alloc(size_t size, int zero)
{
    size_t class_size = 0;
    int c = 0;
    header *h = NULL;
    if (POOLING && size >= MIN_POOLED && (c = class_of(size, &class_size)) < CLASSES) {
        pthread_mutex_lock(&lock);
        /* A kept buffer up to twice the size will do. */
        for (int k = c; k <= c + STEPS && k < CLASSES && !h; k++) {
            if ((h = free_lists[k]) != NULL) {
                free_lists[k] = h->next;
                held -= h->class_size;
                class_size = h->class_size;
                c = k;
            }
        }
        in_use += class_size;
        if (in_use > peak_in_use)
            peak_in_use = in_use;
        pthread_mutex_unlock(&lock);
        if (h && zero)
            memset(h + 1, 0, size);
        if (!h && !(h = raw_alloc(class_size, zero))) {
            pthread_mutex_lock(&lock);
            in_use -= class_size;
            pthread_mutex_unlock(&lock);
            return NULL;
        }
    } else {
        class_size = 0;
        if (!(h = raw_alloc(size ? size : 1, zero)))
            return NULL;
    }
    h->class_size = class_size;
    h->cls = (size_t)c;
    return h + 1;
}

void *fy_buf_alloc_direct(size_t size, int zero)
{
    header *h = raw_alloc(size ? size : 1, zero);
    if (!h)
        return NULL;
    h->class_size = 0;
    h->cls = 0;
    return h + 1;
}

void fy_buf_free(void *p)
{
    if (!p)
        return;
    header *h = (header *)p - 1;
    size_t class_size = h->class_size;
    if (!class_size) {
        free(h);
        return;
    }
    int c = (int)h->cls;
    pthread_mutex_lock(&lock);
    in_use -= class_size;
    int keep = held + class_size <= 2 * peak_in_use;
    if (keep) {
        h->next = free_lists[c];
        free_lists[c] = h;
        held += class_size;
    }
    pthread_mutex_unlock(&lock);
    if (!keep)
        free(h);
}

void fy_buf_trim(void)
{
    pthread_mutex_lock(&lock);
    for (int c = 0; c < CLASSES; c++) {
        while (free_lists[c]) {
            header *h = free_lists[c];
            free_lists[c] = h->next;
            free(h);
        }
    }
    held = 0;
    peak_in_use = in_use;
    pthread_mutex_unlock(&lock);
}
