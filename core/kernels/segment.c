/* Segment reductions: rows of data reduced into the segments their ids
 * name. Segment* take sorted ids and make as many segments as the last id
 * plus one; UnsortedSegment* take any ids (negative ones are dropped) and a
 * segment count; SparseSegment* first pick rows by index. Segments no row
 * falls into hold 0 (Sum, Mean, SqrtN, and Max/Min of sorted segments), 1
 * (Prod), or the lowest / highest finite value of the dtype (unsorted Max / Min),
 * as TF's kernels give. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/array_internal.h"
#include "kernels/elementwise.h"

typedef enum segop { SEG_SUM, SEG_MEAN, SEG_SQRTN, SEG_PROD, SEG_MAX, SEG_MIN } segop;

/* What a reduction sees: each of `rows` input rows (of `inner` elements)
 * goes to segment seg[r] (skipped when negative), read from data row src[r]. */
typedef struct segjob {
    segop op;
    int unsorted; /* empty Max/Min segments get the dtype's extremes */
    int64_t rows, inner, segments;
    const int64_t *seg, *src;
} segjob;

#define DEFINE_REDUCE(SUFFIX, T, LOWEST, HIGHEST)                                                          \
    static void reduce_##SUFFIX(const segjob *j, const T *x, T *y, int64_t *count)                        \
    {                                                                                                      \
        for (int64_t s = 0; s < j->segments; s++) {                                                        \
            T init = j->op == SEG_PROD ? (T)1 : j->op == SEG_MAX ? (LOWEST) : j->op == SEG_MIN ? (HIGHEST) \
                                                                                               : (T)0;    \
            for (int64_t k = 0; k < j->inner; k++)                                                         \
                y[s * j->inner + k] = init;                                                                \
        }                                                                                                  \
        for (int64_t r = 0; r < j->rows; r++) {                                                            \
            int64_t s = j->seg[r];                                                                         \
            if (s < 0)                                                                                     \
                continue;                                                                                  \
            count[s]++;                                                                                    \
            const T *in = x + j->src[r] * j->inner;                                                        \
            T *out = y + s * j->inner;                                                                     \
            for (int64_t k = 0; k < j->inner; k++) {                                                       \
                switch (j->op) {                                                                           \
                case SEG_PROD: out[k] = (T)(out[k] * in[k]); break;                                        \
                case SEG_MAX: if (in[k] > out[k] || in[k] != in[k]) out[k] = in[k]; break;                 \
                case SEG_MIN: if (in[k] < out[k] || in[k] != in[k]) out[k] = in[k]; break;                 \
                default: out[k] = (T)(out[k] + in[k]); break;                                              \
                }                                                                                          \
            }                                                                                              \
        }                                                                                                  \
        for (int64_t s = 0; s < j->segments; s++) {                                                        \
            T *out = y + s * j->inner;                                                                     \
            if (!j->unsorted && !count[s] && (j->op == SEG_MAX || j->op == SEG_MIN))                       \
                for (int64_t k = 0; k < j->inner; k++)                                                     \
                    out[k] = 0;                                                                            \
            if (count[s] && (j->op == SEG_MEAN || j->op == SEG_SQRTN)) {                                   \
                T d = j->op == SEG_MEAN ? (T)count[s] : (T)sqrt((double)count[s]);                         \
                for (int64_t k = 0; k < j->inner; k++)                                                     \
                    out[k] = (T)(out[k] / d);                                                              \
            }                                                                                              \
        }                                                                                                  \
    }

DEFINE_REDUCE(f32, float, -FLT_MAX, FLT_MAX)
DEFINE_REDUCE(f64, double, -DBL_MAX, DBL_MAX)
DEFINE_REDUCE(i32, int32_t, INT32_MIN, INT32_MAX)
DEFINE_REDUCE(i64, int64_t, INT64_MIN, INT64_MAX)

/* Sums and products of integers wrap as two's complement (TF's), done here
 * in unsigned arithmetic where overflow is defined. */
static void reduce_wrapping(const segjob *j, const ferry_tensor *x, ferry_tensor *y, int64_t *count)
{
    int wide = x->dtype == FERRY_DT_INT64;
    for (int64_t s = 0; s < j->segments * j->inner; s++) {
        if (wide)
            ((int64_t *)y->data)[s] = j->op == SEG_PROD;
        else
            ((int32_t *)y->data)[s] = j->op == SEG_PROD;
    }
    for (int64_t r = 0; r < j->rows; r++) {
        int64_t s = j->seg[r];
        if (s < 0)
            continue;
        count[s]++;
        for (int64_t k = 0; k < j->inner; k++) {
            int64_t at = s * j->inner + k, from = j->src[r] * j->inner + k;
            if (wide) {
                uint64_t a = (uint64_t)((int64_t *)y->data)[at], b = (uint64_t)((const int64_t *)x->data)[from];
                ((int64_t *)y->data)[at] = (int64_t)(j->op == SEG_PROD ? a * b : a + b);
            } else {
                uint32_t a = (uint32_t)((int32_t *)y->data)[at], b = (uint32_t)((const int32_t *)x->data)[from];
                ((int32_t *)y->data)[at] = (int32_t)(j->op == SEG_PROD ? a * b : a + b);
            }
        }
    }
    for (int64_t s = 0; s < j->segments; s++) /* Mean of integers: truncating division */
        for (int64_t k = 0; j->op == SEG_MEAN && count[s] && k < j->inner; k++) {
            if (wide)
                ((int64_t *)y->data)[s * j->inner + k] /= count[s];
            else
                ((int32_t *)y->data)[s * j->inner + k] /= (int32_t)count[s];
        }
}

static ferry_status run_job(fy_kernel_ctx *ctx, const segjob *j, const ferry_tensor *data, int lead)
{
    int64_t dims[FERRY_MAX_RANK];
    int rank = 1 + data->rank - lead;
    dims[0] = j->segments;
    memcpy(dims + 1, data->dims + lead, (size_t)(data->rank - lead) * sizeof(int64_t));
    if (fy_mul_sizes(j->segments, j->inner) < 0)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "%lld segments of %lld elements overflow",
                              (long long)j->segments, (long long)j->inner);
    ferry_tensor *out = fy_output_new_uninit(ctx, 0, data->dtype, dims, rank);
    if (!out)
        return FERRY_ERR_OUT_OF_MEMORY;
    int64_t *count = calloc((size_t)j->segments + 1, sizeof(int64_t));
    if (!count)
        return fy_kernel_fail(ctx, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    ferry_status st = FERRY_OK;
    int integer_wrap = j->op == SEG_SUM || j->op == SEG_PROD || j->op == SEG_MEAN;
    switch (data->dtype) {
    case FERRY_DT_FLOAT: reduce_f32(j, data->data, out->data, count); break;
    case FERRY_DT_DOUBLE: reduce_f64(j, data->data, out->data, count); break;
    case FERRY_DT_INT32:
        if (integer_wrap)
            reduce_wrapping(j, data, out, count);
        else
            reduce_i32(j, data->data, out->data, count);
        break;
    case FERRY_DT_INT64:
        if (integer_wrap)
            reduce_wrapping(j, data, out, count);
        else
            reduce_i64(j, data->data, out->data, count);
        break;
    default:
        st = fy_kernel_fail(ctx, FERRY_ERR_UNSUPPORTED, "not defined for %s", ferry_dtype_name(data->dtype));
    }
    free(count);
    return st;
}

/* Segment*(data, segment_ids): ids 1-D, sorted, as long as data's dim 0. */
static ferry_status sorted(fy_kernel_ctx *ctx, segop op)
{
    const ferry_tensor *data = fy_input(ctx, 0), *ids = data ? fy_input(ctx, 1) : NULL;
    if (!ids)
        return FERRY_ERR_INVALID_ARGUMENT;
    if (data->rank < 1 || ids->rank != 1 || ids->dims[0] != data->dims[0])
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT,
                              "segment_ids should be a vector as long as data's first dim (%lld), not %lld long",
                              (long long)(data->rank ? data->dims[0] : 0), (long long)ids->count);
    int64_t *seg = NULL, *src = NULL;
    ferry_status st = fy_arr_read_index_list(ctx, ids, &seg, "segment_ids");
    src = st ? NULL : malloc((size_t)(ids->count + 1) * sizeof(int64_t));
    if (!st && !src)
        st = fy_kernel_fail(ctx, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    for (int64_t r = 0; !st && r < ids->count; r++) {
        src[r] = r;
        if (seg[r] < 0)
            st = fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "segment id %lld at index %lld is negative",
                                (long long)seg[r], (long long)r);
        else if (r && seg[r] < seg[r - 1])
            st = fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "segment ids are not increasing at index %lld",
                                (long long)r);
    }
    if (!st) {
        segjob j = { op, 0, ids->count, fy_arr_product(data->dims, 1, data->rank),
                     ids->count ? seg[ids->count - 1] + 1 : 0, seg, src };
        st = run_job(ctx, &j, data, 1);
    }
    free(seg);
    free(src);
    return st;
}

/* UnsortedSegment*(data, segment_ids, num_segments): ids' shape a prefix of data's. */
static ferry_status unsorted(fy_kernel_ctx *ctx, segop op)
{
    const ferry_tensor *data = fy_input(ctx, 0), *ids = data ? fy_input(ctx, 1) : NULL;
    const ferry_tensor *num = ids ? fy_input(ctx, 2) : NULL;
    int64_t segments;
    if (!num)
        return FERRY_ERR_INVALID_ARGUMENT;
    ferry_status st = fy_arr_scalar_int(ctx, num, &segments, "num_segments");
    if (st)
        return st;
    if (segments < 0)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "num_segments must be non-negative, not %lld",
                              (long long)segments);
    int prefix = ids->rank <= data->rank;
    for (int d = 0; prefix && d < ids->rank; d++)
        prefix = ids->dims[d] == data->dims[d];
    if (!prefix) {
        char a[128], b[128];
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "segment_ids.shape = %s does not prefix data.shape = %s",
                              fy_dims_str(a, sizeof a, ids->dims, ids->rank),
                              fy_dims_str(b, sizeof b, data->dims, data->rank));
    }
    int64_t *seg = NULL, *src = NULL;
    st = fy_arr_read_index_list(ctx, ids, &seg, "segment_ids");
    src = st ? NULL : malloc((size_t)(ids->count + 1) * sizeof(int64_t));
    if (!st && !src)
        st = fy_kernel_fail(ctx, FERRY_ERR_OUT_OF_MEMORY, "out of memory");
    for (int64_t r = 0; !st && r < ids->count; r++) {
        src[r] = r;
        if (seg[r] >= segments)
            st = fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "segment_ids[%lld] = %lld is out of range [0, %lld)",
                                (long long)r, (long long)seg[r], (long long)segments);
    }
    if (!st) {
        segjob j = { op, 1, ids->count, fy_arr_product(data->dims, ids->rank, data->rank), segments, seg, src };
        st = run_job(ctx, &j, data, ids->rank);
    }
    free(seg);
    free(src);
    return st;
}

/* SparseSegment*(data, indices, segment_ids[, num_segments]): row indices[i]
 * of data into segment segment_ids[i] (sorted). */
static ferry_status sparse(fy_kernel_ctx *ctx, segop op, int with_count)
{
    const ferry_tensor *data = fy_input(ctx, 0), *idx = data ? fy_input(ctx, 1) : NULL;
    const ferry_tensor *ids = idx ? fy_input(ctx, 2) : NULL, *num = with_count && ids ? fy_input(ctx, 3) : NULL;
    if (!ids || (with_count && !num))
        return FERRY_ERR_INVALID_ARGUMENT;
    if (data->rank < 1 || idx->rank != 1 || ids->rank != 1 || idx->count != ids->count)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT,
                              "indices and segment_ids should be vectors of one length, data at least 1-D");
    int64_t *seg = NULL, *src = NULL, segments = 0;
    ferry_status st = with_count ? fy_arr_scalar_int(ctx, num, &segments, "num_segments") : FERRY_OK;
    if (!st)
        st = fy_arr_read_index_list(ctx, ids, &seg, "segment_ids");
    if (!st)
        st = fy_arr_read_index_list(ctx, idx, &src, "indices");
    for (int64_t r = 0; !st && r < ids->count; r++) {
        if (src[r] < 0 || src[r] >= data->dims[0])
            st = fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "indices[%lld] = %lld is out of range [0, %lld)",
                                (long long)r, (long long)src[r], (long long)data->dims[0]);
        else if (seg[r] < 0 || (r && seg[r] < seg[r - 1]))
            st = fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "segment ids are not increasing at index %lld",
                                (long long)r);
        else if (with_count && seg[r] >= segments)
            st = fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "segment id %lld is out of range [0, %lld)",
                                (long long)seg[r], (long long)segments);
    }
    if (!st) {
        if (!with_count)
            segments = ids->count ? seg[ids->count - 1] + 1 : 0;
        segjob j = { op, 0, ids->count, fy_arr_product(data->dims, 1, data->rank), segments, seg, src };
        st = run_job(ctx, &j, data, 1);
    }
    free(seg);
    free(src);
    return st;
}

#define SORTED(NAME, OP) static ferry_status NAME(fy_kernel_ctx *ctx) { return sorted(ctx, OP); }
#define UNSORTED(NAME, OP) static ferry_status NAME(fy_kernel_ctx *ctx) { return unsorted(ctx, OP); }
#define SPARSE(NAME, OP, N) static ferry_status NAME(fy_kernel_ctx *ctx) { return sparse(ctx, OP, N); }
SORTED(k_segment_sum, SEG_SUM)
SORTED(k_segment_mean, SEG_MEAN)
SORTED(k_segment_prod, SEG_PROD)
SORTED(k_segment_max, SEG_MAX)
SORTED(k_segment_min, SEG_MIN)
UNSORTED(k_unsorted_sum, SEG_SUM)
UNSORTED(k_unsorted_prod, SEG_PROD)
UNSORTED(k_unsorted_max, SEG_MAX)
UNSORTED(k_unsorted_min, SEG_MIN)
SPARSE(k_sparse_sum, SEG_SUM, 0)
SPARSE(k_sparse_mean, SEG_MEAN, 0)
SPARSE(k_sparse_sqrtn, SEG_SQRTN, 0)
SPARSE(k_sparse_sum_n, SEG_SUM, 1)
SPARSE(k_sparse_mean_n, SEG_MEAN, 1)
SPARSE(k_sparse_sqrtn_n, SEG_SQRTN, 1)

/* The segment count depends on the ids' values: shapes are dynamic. */
#define DYN FY_OP_DYNAMIC_SHAPE
const fy_op_def fy_kernels_segment[] = {
    { .name = "SegmentSum", .run = k_segment_sum, .traits = DYN },
    { .name = "SegmentMean", .run = k_segment_mean, .traits = DYN },
    { .name = "SegmentProd", .run = k_segment_prod, .traits = DYN },
    { .name = "SegmentMax", .run = k_segment_max, .traits = DYN },
    { .name = "SegmentMin", .run = k_segment_min, .traits = DYN },
    { .name = "UnsortedSegmentSum", .run = k_unsorted_sum, .traits = DYN },
    { .name = "UnsortedSegmentProd", .run = k_unsorted_prod, .traits = DYN },
    { .name = "UnsortedSegmentMax", .run = k_unsorted_max, .traits = DYN },
    { .name = "UnsortedSegmentMin", .run = k_unsorted_min, .traits = DYN },
    { .name = "SparseSegmentSum", .run = k_sparse_sum, .traits = DYN },
    { .name = "SparseSegmentMean", .run = k_sparse_mean, .traits = DYN },
    { .name = "SparseSegmentSqrtN", .run = k_sparse_sqrtn, .traits = DYN },
    { .name = "SparseSegmentSumWithNumSegments", .run = k_sparse_sum_n, .traits = DYN },
    { .name = "SparseSegmentMeanWithNumSegments", .run = k_sparse_mean_n, .traits = DYN },
    { .name = "SparseSegmentSqrtNWithNumSegments", .run = k_sparse_sqrtn_n, .traits = DYN },
    { .name = NULL },
};
