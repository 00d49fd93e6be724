#include "base/arena.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/bufpool.h"
#include "base/error.h"
#include "base/file.h"
#include "base/sort.h"
#include "base/tensor.h"

/* AddressSanitizer builds mark the block's free bytes unaddressable, so a
 * kernel touching a tensor after its planned life ends is reported as in
 * the heap. Other builds compile the marks away. */
#if defined(__SANITIZE_ADDRESS__)
#define FY_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FY_ASAN 1
#endif
#endif
#ifdef FY_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#define ALIGN 64
#define MAX_TENSORS 65536    /* a run making more is not tracked past this */
#define MAX_PLANNED 8192     /* layouts are computed in O(n^2) */
#define MAX_LAYOUTS 8        /* feed shapes remembered per plan */
#define MAX_REPLANS 4        /* departures before a layout is only a block size */

static size_t round_up(size_t n) { return (n + ALIGN - 1) & ~(size_t)(ALIGN - 1); }

/* What runs with one set of feed shapes do, and where their tensors go. */
typedef struct layout {
    uint64_t shapes;
    int refs;                /* runs following it (under the arena's lock) */
    int replaced;            /* no longer listed: freed when refs drop to 0 */
    uint64_t used;           /* arena tick of its last use, for eviction */
    int count;               /* tensors made */
    size_t *size;            /* their byte sizes */
    int64_t *offset;         /* in the block, or -1: from the pool */
    int32_t *events;         /* in order: i for "tensor i made", ~i for "freed" */
    int event_count;
    size_t block;            /* bytes the block needs */
    int replans;             /* layouts made for these shapes before this one */
    int loose;               /* runs place first-fit in a block of `block` bytes */
} layout;

typedef struct tracked {
    size_t size;
    int64_t offset;          /* in the block, or -1 */
    void *data;              /* NULL once freed */
    ferry_tensor *t;         /* the tensor it is for; NULL for scratch */
    int made, freed;         /* event numbers; freed -1 while alive */
} tracked;

typedef struct range {
    size_t start, end;
    int which;               /* the tracked tensor */
} range;

struct fy_arena_run {
    fy_arena *arena;
    fy_arena_run *next;      /* idle list */
    unsigned char *block;
    size_t cap;
    uint64_t shapes;
    layout *follow;          /* the layout of these shapes, if any */
    int following;           /* every event so far matched it */
    int learn;               /* what the run does may become a layout */
    int untracked;           /* past MAX_TENSORS or out of memory: record nothing */
    tracked *t;
    int count, t_cap;
    int events;
    range *live;             /* block ranges in use, by start */
    int live_n, live_cap;
};

struct fy_arena {
    pthread_mutex_t lock;
    fy_arena_run *idle;
    layout *layouts[MAX_LAYOUTS];
    uint64_t tick;
    unsigned char **kept;    /* blocks a failed run left tensors in */
    int kept_n;
};

static void layout_free(layout *l)
{
    if (!l)
        return;
    free(l->size);
    free(l->offset);
    free(l->events);
    free(l);
}

fy_arena *fy_arena_new(void)
{
    fy_arena *a = calloc(1, sizeof(*a));
    if (a && pthread_mutex_init(&a->lock, NULL) != 0) {
        free(a);
        return NULL;
    }
    return a;
}

static void runner_free(fy_arena_run *r)
{
    free(r->block);
    free(r->t);
    free(r->live);
    free(r);
}

void fy_arena_free(fy_arena *a)
{
    if (!a)
        return;
    while (a->idle) {
        fy_arena_run *r = a->idle;
        a->idle = r->next;
        runner_free(r);
    }
    for (int i = 0; i < MAX_LAYOUTS; i++)
        layout_free(a->layouts[i]);
    for (int i = 0; i < a->kept_n; i++)
        free(a->kept[i]);
    free(a->kept);
    pthread_mutex_destroy(&a->lock);
    free(a);
}

/* Gives the runner a block of at least `need` bytes, or none. */
static void runner_reserve(fy_arena_run *r, size_t need)
{
    if (r->cap >= need)
        return;
    free(r->block);
    r->block = aligned_alloc(ALIGN, round_up(need));
    r->cap = r->block ? need : 0;
    if (r->block)
        fy_prefault_write(r->block, r->cap);
    POISON(r->block, r->cap);
}

fy_arena_run *fy_arena_begin(fy_arena *a, uint64_t shapes)
{
    if (!a)
        return NULL;
    pthread_mutex_lock(&a->lock);
    fy_arena_run *r = a->idle;
    if (r)
        a->idle = r->next;
    layout *follow = NULL;
    for (int i = 0; i < MAX_LAYOUTS; i++)
        if (a->layouts[i] && a->layouts[i]->shapes == shapes)
            follow = a->layouts[i];
    int loose = follow && follow->loose;
    if (follow) {
        follow->refs++;
        follow->used = ++a->tick;
    }
    pthread_mutex_unlock(&a->lock);
    if (!r && !(r = calloc(1, sizeof(*r)))) {
        if (follow) {
            pthread_mutex_lock(&a->lock);
            follow->refs--;
            pthread_mutex_unlock(&a->lock);
        }
        return NULL;
    }
    r->arena = a;
    r->next = NULL;
    r->shapes = shapes;
    r->follow = follow;
    r->following = follow && !loose;
    r->learn = !follow || !loose;
    r->untracked = 0;
    r->count = 0;
    r->events = 0;
    r->live_n = 0;
    if (follow)
        runner_reserve(r, follow->block);
    if (follow && r->cap < follow->block)
        r->following = 0; /* no block (out of memory): first-fit in none, so the pool */
    return r;
}

/* Room for `need` elements in *p (capacity *cap), doubling; 0 when out of memory. */
static int grow(void *p, int *cap, int need, size_t elem)
{
    if (need <= *cap)
        return 1;
    int n = *cap ? *cap * 2 : 64;
    while (n < need)
        n *= 2;
    void *old;
    memcpy(&old, p, sizeof(old));
    void *q = realloc(old, (size_t)n * elem);
    if (!q)
        return 0;
    memcpy(p, &q, sizeof(q));
    *cap = n;
    return 1;
}

static void live_insert(fy_arena_run *r, int at, size_t start, size_t size, int which)
{
    memmove(&r->live[at + 1], &r->live[at], (size_t)(r->live_n - at) * sizeof(range));
    r->live[at] = (range){ start, start + size, which };
    r->live_n++;
}

/* Where a range starting at `start` goes in the sorted live list. */
static int live_position(const fy_arena_run *r, size_t start)
{
    int lo = 0, hi = r->live_n;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (r->live[mid].start < start)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* First-fit among the block's free bytes; -1 when nothing fits. */
static int64_t first_fit(const fy_arena_run *r, size_t size, int *at)
{
    size_t start = 0;
    for (int i = 0; i <= r->live_n; i++) {
        size_t end = i < r->live_n ? r->live[i].start : r->cap;
        if (end >= start && end - start >= size) {
            *at = i;
            return (int64_t)start;
        }
        if (i < r->live_n)
            start = round_up(r->live[i].end);
    }
    return -1;
}

/* The block offset the layout gives tensor i if the run still follows it. */
static int64_t planned_offset(fy_arena_run *r, int i, size_t size)
{
    const layout *l = r->follow;
    if (!r->following)
        return -1;
    if (i >= l->count || r->events >= l->event_count || l->events[r->events] != i || l->size[i] != size) {
        r->following = 0;
        return -1;
    }
    return l->offset[i];
}

/* Bytes for a tensor (t) or for scratch (t NULL), tracked as tensor i. */
static void *take(fy_arena_run *r, size_t size, ferry_tensor *t, int zero)
{
    int i = r->count;
    if (r->untracked || i >= MAX_TENSORS || !grow(&r->t, &r->t_cap, i + 1, sizeof(tracked)) ||
        !grow(&r->live, &r->live_cap, r->live_n + 1, sizeof(range))) {
        r->untracked = 1;
        r->following = 0;
        return t ? fy_buf_alloc(size, zero) : malloc(size);
    }
    int was_following = r->following;
    int64_t offset = planned_offset(r, i, size);
    int at = 0;
    if (offset >= 0)
        at = live_position(r, (size_t)offset);
    else if (!(was_following && r->following))
        offset = first_fit(r, size, &at);
    /* Outside the block: a layout leaves only results to the pool, which
     * callers free and ask for again; what the block had no room for goes
     * back to the system when freed, as the next layout holds it. */
    void *data;
    if (offset >= 0) {
        data = r->block + offset;
        UNPOISON(data, size);
        if (zero)
            memset(data, 0, size);
        live_insert(r, at, (size_t)offset, size, i);
    } else if (!(data = r->following ? fy_buf_alloc(size, zero) : fy_buf_alloc_direct(size, zero))) {
        return NULL;
    }
    r->t[i] = (tracked){ size, offset, data, t, r->events++, -1 };
    r->count++;
    if (t) {
        t->arena = r;
        t->arena_slot = i;
    }
    return data;
}

static void give(fy_arena_run *r, int i)
{
    tracked *k = &r->t[i];
    const layout *l = r->follow;
    if (r->following && (r->events >= l->event_count || l->events[r->events] != ~i))
        r->following = 0;
    if (k->offset >= 0) {
        int at = live_position(r, (size_t)k->offset);
        memmove(&r->live[at], &r->live[at + 1], (size_t)(r->live_n - at - 1) * sizeof(range));
        r->live_n--;
        POISON(k->data, k->size);
    } else {
        fy_buf_free(k->data);
    }
    k->data = NULL;
    k->t = NULL;
    k->freed = r->events++;
}

void *fy_arena_take(fy_arena_run *r, ferry_tensor *t, int zero)
{
    return take(r, t->nbytes, t, zero);
}

void fy_arena_give(ferry_tensor *t)
{
    give(t->arena, t->arena_slot);
    t->data = NULL;
    t->arena = NULL;
}

void *fy_arena_take_scratch(fy_arena_run *r, size_t size)
{
    return take(r, size ? size : 1, NULL, 0);
}

void fy_arena_give_scratch(fy_arena_run *r, void *p)
{
    /* Scratch is given back soon after it is taken: search from the end. */
    for (int i = r->count - 1; p && i >= 0; i--)
        if (r->t[i].data == p && !r->t[i].t && r->t[i].freed < 0) {
            give(r, i);
            return;
        }
    if (p && r->untracked)
        free(p);
}

/* ---- layouts ------------------------------------------------------------ */

typedef struct sized {
    size_t size;
    int i;
} sized;

static int by_size_desc(const void *a, const void *b)
{
    const sized *x = a, *y = b;
    if (x->size != y->size)
        return x->size < y->size ? 1 : -1;
    return x->i - y->i;
}

static int by_start(const void *a, const void *b)
{
    size_t x = ((const range *)a)->start, y = ((const range *)b)->start;
    return x < y ? -1 : x > y;
}

/* Greedy by size, largest first: each tensor takes the lowest offset free of
 * every already placed tensor whose life overlaps its own. Tensors alive at
 * the run's end are left to the pool. */
static int place(const fy_arena_run *r, layout *l)
{
    int n = r->count, planned = 0;
    sized *order = malloc((size_t)n * sizeof(sized) + 1);
    range *busy = malloc((size_t)n * sizeof(range) + 1);
    if (!order || !busy) {
        free(order);
        free(busy);
        return 0;
    }
    for (int i = 0; i < n; i++) {
        l->offset[i] = -1;
        if (r->t[i].freed >= 0)
            order[planned++] = (sized){ r->t[i].size, i };
    }
    fy_qsort(order, (size_t)planned, sizeof(sized), by_size_desc);
    size_t block = 0;
    for (int k = 0; k < planned; k++) {
        const tracked *me = &r->t[order[k].i];
        int nb = 0;
        for (int j = 0; j < k; j++) {
            const tracked *o = &r->t[order[j].i];
            size_t start = (size_t)l->offset[order[j].i];
            if (o->made < me->freed && me->made < o->freed)
                busy[nb++] = (range){ start, start + o->size, order[j].i };
        }
        fy_qsort(busy, (size_t)nb, sizeof(range), by_start);
        size_t at = 0;
        for (int j = 0; j < nb && busy[j].start < at + me->size; j++)
            if (busy[j].end > at)
                at = round_up(busy[j].end);
        l->offset[order[k].i] = (int64_t)at;
        if (at + me->size > block)
            block = at + me->size;
    }
    l->block = block;
    free(order);
    free(busy);
    return 1;
}

/* The most bytes of tensors that die within the run alive at once. */
static size_t peak_bytes(const fy_arena_run *r)
{
    size_t now = 0, peak = 0;
    int *at = malloc((size_t)r->events * sizeof(int) + 1);
    if (!at)
        return 0;
    for (int e = 0; e < r->events; e++)
        at[e] = -1;
    for (int i = 0; i < r->count; i++)
        if (r->t[i].freed >= 0) {
            at[r->t[i].made] = i;
            at[r->t[i].freed] = ~i;
        }
    for (int e = 0; e < r->events; e++) {
        if (at[e] >= 0)
            now += round_up(r->t[at[e]].size);
        else if (at[e] != -1)
            now -= round_up(r->t[~at[e]].size);
        if (now > peak)
            peak = now;
    }
    free(at);
    return peak;
}

static layout *layout_from(const fy_arena_run *r)
{
    int n = r->count;
    layout *l = calloc(1, sizeof(*l));
    if (!l)
        return NULL;
    l->shapes = r->shapes;
    l->count = n;
    l->size = malloc((size_t)n * sizeof(size_t) + 1);
    l->offset = malloc((size_t)n * sizeof(int64_t) + 1);
    l->events = malloc((size_t)r->events * sizeof(int32_t) + 1);
    int planned = 0;
    for (int i = 0; i < n; i++)
        planned += r->t[i].freed >= 0;
    if (!l->size || !l->offset || !l->events) {
        layout_free(l);
        return NULL;
    }
    if (planned > MAX_PLANNED) {
        l->loose = 1;
        l->block = peak_bytes(r) / 4 * 5;
    } else if (!place(r, l)) {
        layout_free(l);
        return NULL;
    }
    for (int i = 0; i < n; i++) {
        l->size[i] = r->t[i].size;
        l->events[r->t[i].made] = i;
        if (r->t[i].freed >= 0)
            l->events[r->t[i].freed] = ~i;
    }
    l->event_count = r->events;
    return l;
}

/* Lists the layout in place of the one for the same shapes, or of the least
 * recently used. */
static void publish(fy_arena *a, layout *l)
{
    int slot = -1;
    for (int i = 0; i < MAX_LAYOUTS && slot < 0; i++)
        if (!a->layouts[i] || a->layouts[i]->shapes == l->shapes)
            slot = i;
    for (int i = 0; slot < 0 && i < MAX_LAYOUTS; i++)
        if (slot < 0 || a->layouts[i]->used < a->layouts[slot]->used)
            slot = i;
    layout *old = a->layouts[slot];
    l->used = ++a->tick;
    a->layouts[slot] = l;
    if (old && old->refs == 0)
        layout_free(old);
    else if (old)
        old->replaced = 1;
}

/* Moves tensors still alive out of the block. */
static int move_out(fy_arena_run *r)
{
    int ok = 1;
    for (int i = 0; i < r->count; i++) {
        tracked *k = &r->t[i];
        if (!k->t)
            continue; /* freed, or scratch (which a kernel gives back before it returns) */
        ferry_tensor *t = k->t;
        t->arena = NULL;
        if (k->offset < 0)
            continue;
        void *copy = fy_buf_alloc(k->size, 0);
        if (copy) {
            memcpy(copy, t->data, k->size);
            t->data = copy;
        } else {
            /* Left where it is: the block is kept (below), the data never freed. */
            t->wrapped = 1;
            t->release = NULL;
            ok = 0;
        }
    }
    return ok;
}

ferry_status fy_arena_end(fy_arena_run *r, ferry_error **err)
{
    fy_arena *a = r->arena;
    int ok = move_out(r);
    int matched = r->following && r->events == r->follow->event_count;
    layout *fresh = r->learn && !matched && !r->untracked && r->count > 0 ? layout_from(r) : NULL;
    pthread_mutex_lock(&a->lock);
    if (fresh && r->follow && !r->follow->replaced) {
        /* Shapes whose runs keep departing from their record (sizes that
         * depend on the data) stop being re-planned: their runs place
         * first-fit in a block as big as the last layout's. */
        fresh->replans = r->follow->replans + 1;
        if (fresh->replans > MAX_REPLANS) {
            r->follow->loose = 1;
            layout_free(fresh);
            fresh = NULL;
        }
    }
    if (!ok) {
        unsigned char **kept = realloc(a->kept, (size_t)(a->kept_n + 1) * sizeof(*kept));
        if (kept) {
            a->kept = kept;
            a->kept[a->kept_n++] = r->block;
        } /* else the block leaks rather than pull memory from under a tensor */
        r->block = NULL;
        r->cap = 0;
    }
    if (r->follow && --r->follow->refs == 0 && r->follow->replaced)
        layout_free(r->follow);
    if (fresh)
        publish(a, fresh);
    r->follow = NULL;
    /* Poisoned before it is idle: once on the list, another run may take it
     * and unpoison its own tensors in the block. */
    POISON(r->block, r->cap);
    r->next = a->idle;
    a->idle = r;
    pthread_mutex_unlock(&a->lock);
    return ok ? FERRY_OK : fy_fail(err, FERRY_ERR_OUT_OF_MEMORY, "out of memory moving a result out of the run's memory");
}
