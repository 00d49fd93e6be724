/* Non-max suppression: NonMaxSuppression and its V2-V5 forms, the form that
 * takes a precomputed overlap matrix, and CombinedNonMaxSuppression (per
 * class, then merged per batch). Greedy: the best remaining box is taken
 * unless one already taken overlaps it by more than the threshold; soft-NMS
 * (V5 with sigma > 0) instead decays its score by exp(-iou^2 / (2 sigma))
 * and puts it back. Float16 boxes and scores compute as TF's half kernels
 * do: the IoU in float, every score step rounded to half.
 *
 * TF's CombinedNonMaxSuppression orders equal scores the way its C++
 * library's heap and sort leave them; heap_* and sort_results below
 * replay those algorithms step by step so that ties come out in TF's order. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/elementwise.h"
#include "kernels/nn_internal.h"

/* ---- numbers ------------------------------------------------------------ */

/* v rounded to the kernel's type T: half or float. */
static float as_t(float v, int half)
{
    return half ? fy_half_to_float(fy_float_to_half(v)) : v;
}

static float min_f(float a, float b)
{
    return b < a ? b : a;
}

static float max_f(float a, float b)
{
    return a < b ? b : a;
}

/* Intersection over union of boxes a and b (4 floats each, corners in
 * either order); 0 when either has no area. */
static float iou(const float *a, const float *b)
{
    float ay0 = min_f(a[0], a[2]), ax0 = min_f(a[1], a[3]), ay1 = max_f(a[0], a[2]), ax1 = max_f(a[1], a[3]);
    float by0 = min_f(b[0], b[2]), bx0 = min_f(b[1], b[3]), by1 = max_f(b[0], b[2]), bx1 = max_f(b[1], b[3]);
    float area_a = (ay1 - ay0) * (ax1 - ax0), area_b = (by1 - by0) * (bx1 - bx0);
    if (area_a <= 0 || area_b <= 0)
        return 0.0f;
    float ih = max_f(min_f(ay1, by1) - max_f(ay0, by0), 0.0f);
    float iw = max_f(min_f(ax1, bx1) - max_f(ax0, bx0), 0.0f);
    float inter = ih * iw;
    return inter / (area_a + area_b - inter);
}

/* ---- a binary max-heap, step for step as libstdc++'s priority_queue ----- */

typedef struct cand {
    int index;
    float score;
    int begin; /* taken boxes from here on have not been compared with it yet */
} cand;

typedef int (*cand_less)(const cand *a, const cand *b);

static void heap_sift_up(cand *h, int hole, int top, cand v, cand_less less)
{
    int parent = (hole - 1) / 2;
    while (hole > top && less(&h[parent], &v)) {
        h[hole] = h[parent];
        hole = parent;
        parent = (hole - 1) / 2;
    }
    h[hole] = v;
}

static void heap_push(cand *h, int *n, cand v, cand_less less)
{
    h[*n] = v;
    heap_sift_up(h, (*n)++, 0, v, less);
}

static cand heap_pop(cand *h, int *n, cand_less less)
{
    cand top = h[0];
    int len = --*n;
    if (len > 0) {
        cand v = h[len];
        int hole = 0, child = 0;
        while (child < (len - 1) / 2) {
            child = 2 * (child + 1);
            if (less(&h[child], &h[child - 1]))
                child--;
            h[hole] = h[child];
            hole = child;
        }
        if ((len & 1) == 0 && child == (len - 2) / 2) {
            child = 2 * (child + 1);
            h[hole] = h[child - 1];
            hole = child - 1;
        }
        heap_sift_up(h, hole, 0, v, less);
    }
    return top;
}

/* Lower score first; of equal scores the higher index (a total order). */
static int less_ranked(const cand *a, const cand *b)
{
    return (a->score == b->score && a->index > b->index) || a->score < b->score;
}

static int less_score(const cand *a, const cand *b)
{
    return a->score < b->score;
}

/* ---- NonMaxSuppression V1-V5 and WithOverlaps ----------------------------- */

typedef struct nms_job {
    int64_t boxes;
    const float *coords;    /* [boxes, 4], or NULL with overlaps */
    const float *overlaps;  /* [boxes, boxes] */
    const float *scores;
    int half;               /* T is float16 */
    float iou_threshold, score_threshold, sigma;
    int64_t max_out;
} nms_job;

static float similarity(const nms_job *j, int a, int b)
{
    return j->coords ? iou(j->coords + 4 * (int64_t)a, j->coords + 4 * (int64_t)b)
                     : j->overlaps[(int64_t)a * j->boxes + b];
}

/* Fills sel (indices) and sel_score (at least min(max_out, boxes) long);
 * returns how many were taken. */
static int64_t nms_run(const nms_job *j, cand *heap, int *sel, float *sel_score)
{
    int n = 0, h = j->half;
    for (int64_t i = 0; i < j->boxes; i++)
        if (j->scores[i] > j->score_threshold)
            heap_push(heap, &n, (cand){ (int)i, j->scores[i], 0 }, less_ranked);
    int soft = j->sigma > 0.0f;
    float scale = soft ? as_t(-0.5f / j->sigma, h) : 0.0f;
    int64_t taken = 0;
    while (taken < j->max_out && n > 0) {
        cand c = heap_pop(heap, &n, less_ranked);
        float original = c.score;
        int suppressed = 0;
        for (int64_t k = taken - 1; k >= c.begin; k--) {
            float sim = as_t(similarity(j, c.index, sel[k]), h);
            float w = as_t(expf(as_t(as_t(scale * sim, h) * sim, h)), h);
            if (!soft && !(sim <= j->iou_threshold))
                w = 0.0f;
            c.score = as_t(c.score * w, h);
            if (!soft && sim > j->iou_threshold) {
                suppressed = 1;
                break;
            }
            if (c.score <= j->score_threshold)
                break;
        }
        c.begin = (int)taken;
        if (suppressed)
            continue;
        if (c.score == original) {
            sel[taken] = c.index;
            sel_score[taken++] = c.score;
        } else if (c.score > j->score_threshold) {
            heap_push(heap, &n, c, less_ranked);
        }
    }
    return taken;
}

typedef enum nms_form { NMS_V1, NMS_V2, NMS_V3, NMS_V4, NMS_V5, NMS_OVERLAPS } nms_form;

static ferry_status scalar_input(fy_kernel_ctx *ctx, int i, const char *what, const ferry_tensor **out)
{
    const ferry_tensor *t = fy_input(ctx, i);
    if (!t)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (t->rank != 0) {
        char s[128];
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "%s must be 0-D, got shape %s", what,
                              fy_dims_str(s, sizeof s, t->dims, t->rank));
    }
    *out = t;
    return FERRY_OK;
}

/* A real scalar threshold converted to T. */
static ferry_status threshold_input(fy_kernel_ctx *ctx, int i, const char *what, int half, float *out)
{
    const ferry_tensor *t = NULL;
    ferry_status st = scalar_input(ctx, i, what, &t);
    if (st)
        return st;
    if (!fy_nn_is_real(t->dtype))
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "%s must be a real number, not %s", what,
                              ferry_dtype_name(t->dtype));
    *out = as_t((float)fy_nn_get_f(t->data, t->dtype, 0), half);
    return FERRY_OK;
}

static ferry_status check_scores(fy_kernel_ctx *ctx, const ferry_tensor *scores, int64_t boxes)
{
    if (scores->rank != 1)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "scores must be 1-D (rank %d)", scores->rank);
    if (scores->dims[0] != boxes)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "scores has %lld values for %lld boxes",
                              (long long)scores->dims[0], (long long)boxes);
    return FERRY_OK;
}

static ferry_status nms(fy_kernel_ctx *ctx, nms_form form)
{
    const ferry_tensor *boxes = fy_input(ctx, 0), *scores = boxes ? fy_input(ctx, 1) : NULL, *max_t = NULL;
    if (!scores)
        return FERRY_ERR_INVALID_ARGUMENT;
    ferry_dtype t = scores->dtype;
    if ((t != FERRY_DT_FLOAT && t != FERRY_DT_HALF) || boxes->dtype != t ||
        ((form == NMS_V1 || form == NMS_OVERLAPS) && t != FERRY_DT_FLOAT))
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "not defined for %s boxes and %s scores",
                              ferry_dtype_name(boxes->dtype), ferry_dtype_name(t));
    nms_job j = { .half = t == FERRY_DT_HALF, .score_threshold = -INFINITY };
    ferry_status st = scalar_input(ctx, 2, "max_output_size", &max_t);
    if (st)
        return st;
    if (max_t->dtype != FERRY_DT_INT32)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "max_output_size must be int32");
    j.max_out = ((const int32_t *)max_t->data)[0];
    const char *what = form == NMS_OVERLAPS ? "overlap_threshold" : "iou_threshold";
    if (form == NMS_V1)
        j.iou_threshold = fy_attr_float(ctx->node, "iou_threshold", 0.5f);
    else if ((st = threshold_input(ctx, 3, what, j.half, &j.iou_threshold)))
        return st;
    if (form != NMS_OVERLAPS && !(j.iou_threshold >= 0.0f && j.iou_threshold <= 1.0f))
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "iou_threshold must be in [0, 1], not %g",
                              (double)j.iou_threshold);
    if (form >= NMS_V3 && (st = threshold_input(ctx, 4, "score_threshold", j.half, &j.score_threshold)))
        return st;
    if (form == NMS_V5) {
        if ((st = threshold_input(ctx, 5, "soft_nms_sigma", j.half, &j.sigma)))
            return st;
        if (!(j.sigma >= 0.0f))
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "soft_nms_sigma must be >= 0, not %g",
                                  (double)j.sigma);
    }
    char s[128];
    if (form == NMS_OVERLAPS) {
        if (boxes->rank != 2 || boxes->dims[0] != boxes->dims[1])
            return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "overlaps must be a square matrix, not %s",
                                  fy_dims_str(s, sizeof s, boxes->dims, boxes->rank));
    } else if (boxes->rank != 2 || boxes->dims[1] != 4) {
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "boxes must be [num_boxes, 4], not %s",
                              fy_dims_str(s, sizeof s, boxes->dims, boxes->rank));
    }
    j.boxes = boxes->dims[0];
    if ((st = check_scores(ctx, scores, j.boxes)))
        return st;
    if (j.boxes > INT32_MAX)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "%lld boxes are too many", (long long)j.boxes);
    if (j.max_out < 0)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "max_output_size must be non-negative, not %lld",
                              (long long)j.max_out);
    int pad = (form == NMS_V4 || form == NMS_V5) && fy_attr_bool(ctx->node, "pad_to_max_output_size", 0);
    int64_t room = j.max_out < j.boxes ? j.max_out : j.boxes;
    const void *coords = NULL, *score_data = NULL;
    void *own_coords = NULL, *own_scores = NULL;
    cand *heap = fy_nn_alloc(ctx, j.boxes, sizeof(cand));
    int *sel = heap ? fy_nn_alloc(ctx, room, sizeof(int)) : NULL;
    float *sel_score = sel ? fy_nn_alloc(ctx, room, sizeof(float)) : NULL;
    st = sel_score ? fy_nn_load(ctx, boxes, FERRY_DT_FLOAT, &coords, &own_coords) : FERRY_ERR_OUT_OF_MEMORY;
    if (!st)
        st = fy_nn_load(ctx, scores, FERRY_DT_FLOAT, &score_data, &own_scores);
    if (!st) {
        if (form == NMS_OVERLAPS)
            j.overlaps = coords;
        else
            j.coords = coords;
        j.scores = score_data;
        int64_t taken = nms_run(&j, heap, sel, sel_score);
        int64_t len = pad ? j.max_out : taken;
        ferry_tensor *idx = fy_output_new(ctx, 0, FERRY_DT_INT32, &len, 1);
        ferry_tensor *sc = idx && form == NMS_V5 ? fy_output_new(ctx, 1, t, &len, 1) : NULL;
        ferry_tensor *valid = NULL;
        if (idx && (form == NMS_V4 || sc))
            valid = fy_output_new(ctx, form == NMS_V5 ? 2 : 1, FERRY_DT_INT32, NULL, 0);
        if (!idx || (form == NMS_V5 && !sc) || ((form == NMS_V4 || form == NMS_V5) && !valid)) {
            st = FERRY_ERR_OUT_OF_MEMORY;
        } else {
            for (int64_t k = 0; k < taken; k++) {
                ((int32_t *)idx->data)[k] = sel[k];
                if (sc && j.half)
                    ((uint16_t *)sc->data)[k] = fy_float_to_half(sel_score[k]);
                else if (sc)
                    ((float *)sc->data)[k] = sel_score[k];
            }
            if (valid)
                *(int32_t *)valid->data = (int32_t)taken;
        }
    }
    free(own_coords);
    free(own_scores);
    free(heap);
    free(sel);
    free(sel_score);
    return st;
}

static ferry_status k_nms_v1(fy_kernel_ctx *ctx) { return nms(ctx, NMS_V1); }
static ferry_status k_nms_v2(fy_kernel_ctx *ctx) { return nms(ctx, NMS_V2); }
static ferry_status k_nms_v3(fy_kernel_ctx *ctx) { return nms(ctx, NMS_V3); }
static ferry_status k_nms_v4(fy_kernel_ctx *ctx) { return nms(ctx, NMS_V4); }
static ferry_status k_nms_v5(fy_kernel_ctx *ctx) { return nms(ctx, NMS_V5); }
static ferry_status k_nms_overlaps(fy_kernel_ctx *ctx) { return nms(ctx, NMS_OVERLAPS); }

/* ---- CombinedNonMaxSuppression ------------------------------------------- */

typedef struct result {
    int box;            /* -1: an unused slot */
    float score;
    int cls;
    float coord[4];
} result;

/* The sort's order: higher scores first. */
static int before(const result *a, const result *b)
{
    return b->score < a->score;
}

static void swap_results(result *a, result *b)
{
    result t = *a;
    *a = *b;
    *b = t;
}

static void result_sift_up(result *v, int64_t hole, int64_t top, result x)
{
    int64_t parent = (hole - 1) / 2;
    while (hole > top && before(&v[parent], &x)) {
        v[hole] = v[parent];
        hole = parent;
        parent = (hole - 1) / 2;
    }
    v[hole] = x;
}

static void result_adjust(result *v, int64_t hole, int64_t len, result x)
{
    int64_t top = hole, child = hole;
    while (child < (len - 1) / 2) {
        child = 2 * (child + 1);
        if (before(&v[child], &v[child - 1]))
            child--;
        v[hole] = v[child];
        hole = child;
    }
    if ((len & 1) == 0 && child == (len - 2) / 2) {
        child = 2 * (child + 1);
        v[hole] = v[child - 1];
        hole = child - 1;
    }
    result_sift_up(v, hole, top, x);
}

/* The depth limit's fallback: make a heap, then take it apart. */
static void result_heap_sort(result *v, int64_t n)
{
    for (int64_t parent = n >= 2 ? (n - 2) / 2 : -1; parent >= 0; parent--)
        result_adjust(v, parent, n, v[parent]);
    for (int64_t last = n - 1; last > 0; last--) {
        result x = v[last];
        v[last] = v[0];
        result_adjust(v, 0, last, x);
    }
}

static void result_median_to_first(result *first, result *a, result *b, result *c)
{
    if (before(a, b)) {
        if (before(b, c))
            swap_results(first, b);
        else if (before(a, c))
            swap_results(first, c);
        else
            swap_results(first, a);
    } else if (before(a, c)) {
        swap_results(first, a);
    } else if (before(b, c)) {
        swap_results(first, c);
    } else {
        swap_results(first, b);
    }
}

enum { SORT_THRESHOLD = 16 };

static void result_introsort(result *first, result *last, int depth)
{
    while (last - first > SORT_THRESHOLD) {
        if (depth == 0) {
            result_heap_sort(first, last - first);
            return;
        }
        depth--;
        result_median_to_first(first, first + 1, first + (last - first) / 2, last - 1);
        result *lo = first + 1, *hi = last;
        for (;;) {
            while (before(lo, first))
                lo++;
            hi--;
            while (before(first, hi))
                hi--;
            if (!(lo < hi))
                break;
            swap_results(lo, hi);
            lo++;
        }
        result_introsort(lo, last, depth);
        last = lo;
    }
}

/* Moves *at back past every element it sorts before (stops at v's front
 * only when `guarded`). */
static void result_insert(result *v, result *at, int guarded)
{
    result x = *at;
    if (guarded && before(&x, v)) {
        memmove(v + 1, v, (size_t)(at - v) * sizeof(result));
        *v = x;
        return;
    }
    while (before(&x, at - 1)) {
        *at = at[-1];
        at--;
    }
    *at = x;
}

/* Sorts as libstdc++'s std::sort does (introsort, then insertion sort), so
 * that results of equal score end in the order TF's gives them. */
static void sort_results(result *v, int64_t n)
{
    if (n <= 1)
        return;
    int lg = 0;
    while ((n >> (lg + 1)) > 0)
        lg++;
    result_introsort(v, v + n, 2 * lg);
    int64_t head = n > SORT_THRESHOLD ? SORT_THRESHOLD : n;
    for (int64_t i = 1; i < head; i++)
        result_insert(v, v + i, 1);
    for (int64_t i = head; i < n; i++)
        result_insert(v, v + i, 0);
}

typedef struct combined {
    int64_t boxes, q, classes, per_class, total, out_len;
    float iou_threshold, score_threshold;
    int clip, pad_per_class;
} combined;

/* NMS of one class of one batch into slots[0, per_class). */
static void combined_class(const combined *p, const float *coords, const float *scores, int cls, cand *heap,
                           int *sel, result *slots)
{
    int n = 0;
    for (int64_t i = 0; i < p->boxes; i++) {
        float s = scores[i * p->classes + cls];
        if (s > p->score_threshold)
            heap_push(heap, &n, (cand){ (int)i, s, 0 }, less_score);
    }
    int64_t column = p->q > 1 ? cls : 0, taken = 0;
    while (taken < p->per_class && n > 0) {
        cand c = heap_pop(heap, &n, less_score);
        const float *box = coords + (c.index * p->q + column) * 4;
        int keep = 1;
        for (int64_t k = taken - 1; keep && k >= 0; k--)
            keep = !(iou(box, coords + (sel[k] * p->q + column) * 4) > p->iou_threshold);
        if (!keep)
            continue;
        result *r = &slots[taken];
        r->box = c.index;
        r->score = c.score;
        r->cls = cls;
        memcpy(r->coord, box, sizeof r->coord);
        sel[taken++] = c.index;
    }
}

static float clip01(float v)
{
    v = 1.0f < v ? 1.0f : v;
    return v < 0.0f ? 0.0f : v;
}

static ferry_status combined_run(fy_kernel_ctx *ctx, const combined *p, const ferry_tensor *boxes,
                                 const ferry_tensor *scores)
{
    int64_t batch = boxes->dims[0], slots_n = p->per_class * p->classes;
    int64_t odims[3] = { batch, p->out_len, 4 };
    ferry_tensor *ob = fy_output_new(ctx, 0, FERRY_DT_FLOAT, odims, 3);
    ferry_tensor *os = ob ? fy_output_new(ctx, 1, FERRY_DT_FLOAT, odims, 2) : NULL;
    ferry_tensor *oc = os ? fy_output_new(ctx, 2, FERRY_DT_FLOAT, odims, 2) : NULL;
    ferry_tensor *ov = oc ? fy_output_new(ctx, 3, FERRY_DT_INT32, odims, 1) : NULL;
    if (!ov)
        return FERRY_ERR_OUT_OF_MEMORY;
    cand *heap = fy_nn_alloc(ctx, p->boxes, sizeof(cand));
    int *sel = heap ? fy_nn_alloc(ctx, p->per_class, sizeof(int)) : NULL;
    result *slots = sel ? fy_nn_alloc(ctx, slots_n, sizeof(result)) : NULL;
    if (!slots) {
        free(heap);
        free(sel);
        return FERRY_ERR_OUT_OF_MEMORY;
    }
    for (int64_t b = 0; b < batch; b++) {
        const float *coords = (const float *)boxes->data + b * p->boxes * p->q * 4;
        const float *sc = (const float *)scores->data + b * p->boxes * p->classes;
        for (int64_t s = 0; s < slots_n; s++)
            slots[s] = (result){ -1, -INFINITY, -1, { 0, 0, 0, 0 } };
        for (int64_t c = 0; p->boxes > 0 && c < p->classes; c++) /* an empty tensor may claim 2^60 classes */
            combined_class(p, coords, sc, (int)c, heap, sel, slots + c * p->per_class);
        sort_results(slots, slots_n);
        int64_t found = 0;
        for (int64_t s = 0; s < slots_n; s++)
            found += slots[s].box > -1;
        int64_t keep = found < p->out_len ? found : p->out_len;
        ((int32_t *)ov->data)[b] = (int32_t)keep;
        float *yb = (float *)ob->data + b * p->out_len * 4;
        float *ys = (float *)os->data + b * p->out_len, *yc = (float *)oc->data + b * p->out_len;
        for (int64_t k = 0; k < keep; k++) {
            for (int e = 0; e < 4; e++)
                yb[4 * k + e] = p->clip ? clip01(slots[k].coord[e]) : slots[k].coord[e];
            ys[k] = slots[k].score;
            yc[k] = (float)slots[k].cls;
        }
    }
    free(heap);
    free(sel);
    free(slots);
    return FERRY_OK;
}

static ferry_status k_combined_nms(fy_kernel_ctx *ctx)
{
    const ferry_tensor *boxes = fy_input(ctx, 0), *scores = boxes ? fy_input(ctx, 1) : NULL, *t = NULL;
    if (!scores)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (boxes->dtype != FERRY_DT_FLOAT || scores->dtype != FERRY_DT_FLOAT)
        return fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "not defined for %s boxes and %s scores",
                              ferry_dtype_name(boxes->dtype), ferry_dtype_name(scores->dtype));
    char s[128];
    if (boxes->rank != 4)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "boxes must be 4-D [batch, num_boxes, q, 4], not %s",
                              fy_dims_str(s, sizeof s, boxes->dims, boxes->rank));
    if (scores->rank != 3)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT,
                              "scores must be 3-D [batch, num_boxes, num_classes], not %s",
                              fy_dims_str(s, sizeof s, scores->dims, scores->rank));
    combined p = { .boxes = boxes->dims[1], .q = boxes->dims[2], .classes = scores->dims[2] };
    if (p.q != 1 && p.q != p.classes)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT,
                              "the third dimension of boxes (%lld) must be 1 or the number of classes (%lld)",
                              (long long)p.q, (long long)p.classes);
    if (boxes->dims[3] != 4)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "boxes must have 4 columns");
    if (scores->dims[1] != p.boxes || scores->dims[0] != boxes->dims[0])
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "scores %s do not fit boxes %s",
                              fy_dims_str(s, sizeof s, scores->dims, scores->rank),
                              fy_dims_str(s + 64, 64, boxes->dims, boxes->rank));
    ferry_status st = scalar_input(ctx, 2, "max_output_size_per_class", &t);
    if (st)
        return st;
    int64_t per_class = t->dtype == FERRY_DT_INT32 ? ((const int32_t *)t->data)[0] : 0;
    if (per_class <= 0)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "max_output_size_per_class must be a positive int32");
    if ((st = scalar_input(ctx, 3, "max_total_size", &t)))
        return st;
    p.total = t->dtype == FERRY_DT_INT32 ? ((const int32_t *)t->data)[0] : 0;
    if (p.total <= 0)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "max_total_size must be a positive int32");
    if ((st = threshold_input(ctx, 4, "iou_threshold", 0, &p.iou_threshold)) ||
        (st = threshold_input(ctx, 5, "score_threshold", 0, &p.score_threshold)))
        return st;
    if (!(p.iou_threshold >= 0.0f && p.iou_threshold <= 1.0f))
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "iou_threshold must be in [0, 1], not %g",
                              (double)p.iou_threshold);
    p.per_class = per_class < p.boxes ? per_class : p.boxes;
    if (fy_mul_sizes(p.per_class, p.classes) < 0 || p.per_class * p.classes > INT32_MAX || p.boxes > INT32_MAX)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "size_per_class * num_classes overflows");
    p.pad_per_class = fy_attr_bool(ctx->node, "pad_per_class", 0);
    p.clip = fy_attr_bool(ctx->node, "clip_boxes", 1);
    int64_t all = fy_mul_sizes(per_class, p.classes);
    all = all >= 0 && all < INT32_MAX ? all : INT32_MAX;
    p.out_len = p.pad_per_class && all < p.total ? all : p.total;
    if (fy_mul_sizes(fy_mul_sizes(boxes->dims[0], p.out_len), 4) < 0)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "the output size overflows");
    return combined_run(ctx, &p, boxes, scores);
}

/* How many boxes survive depends on the values: shapes are dynamic. */
#define DYN FY_OP_DYNAMIC_SHAPE
const fy_op_def fy_kernels_nms[] = {
    { .name = "NonMaxSuppression", .run = k_nms_v1, .traits = DYN },
    { .name = "NonMaxSuppressionV2", .run = k_nms_v2, .traits = DYN },
    { .name = "NonMaxSuppressionV3", .run = k_nms_v3, .traits = DYN },
    { .name = "NonMaxSuppressionV4", .run = k_nms_v4, .outputs = "selected_indices,valid_outputs", .traits = DYN },
    { .name = "NonMaxSuppressionV5", .run = k_nms_v5, .outputs = "selected_indices,selected_scores,valid_outputs",
      .traits = DYN },
    { .name = "NonMaxSuppressionWithOverlaps", .run = k_nms_overlaps, .traits = DYN },
    { .name = "CombinedNonMaxSuppression", .run = k_combined_nms,
      .outputs = "nmsed_boxes,nmsed_scores,nmsed_classes,valid_detections", .traits = DYN },
    { .name = NULL },
};
