/* Shared machinery for elementwise kernels: numpy-style broadcasting and
 * typed loops generated per dtype. */
#ifndef FERRY_KERNELS_ELEMENTWISE_H
#define FERRY_KERNELS_ELEMENTWISE_H

#include "kernels/kernel.h"

/* The broadcast of two shapes into out (rank in *out_rank); 0 when they
 * do not broadcast. */
int fy_broadcast_shape(int64_t *out, int *out_rank, const ferry_tensor *a, const ferry_tensor *b);

/* How two inputs map onto a row-major output: per dim, each input's stride
 * (0 along broadcast dims). Dims that both inputs walk contiguously are merged
 * so the innermost run is as long as possible. */
typedef struct fy_broadcast {
    int rank;
    int64_t dims[FERRY_MAX_RANK];
    int64_t a_stride[FERRY_MAX_RANK];
    int64_t b_stride[FERRY_MAX_RANK];
    int64_t count;
    int64_t inner;                     /* length of the innermost run */
    int64_t a_inner, b_inner;          /* the inputs' strides along it */
} fy_broadcast;

void fy_broadcast_init(fy_broadcast *bc, const ferry_tensor *a, const ferry_tensor *b, const int64_t *dims, int rank);

/* Moves the run starts to the next run (all dims but the innermost). */
static inline void fy_broadcast_next_row(const fy_broadcast *bc, int64_t *idx, int64_t *ai, int64_t *bi)
{
    for (int d = bc->rank - 2; d >= 0; d--) {
        *ai += bc->a_stride[d];
        *bi += bc->b_stride[d];
        if (++idx[d] < bc->dims[d])
            return;
        *ai -= bc->a_stride[d] * bc->dims[d];
        *bi -= bc->b_stride[d] * bc->dims[d];
        idx[d] = 0;
    }
}

/* How many innermost runs the output has. */
static inline int64_t fy_broadcast_rows(const fy_broadcast *bc)
{
    return bc->inner ? bc->count / bc->inner : 0;
}

/* Positions idx, ai and bi at the start of run `row`; returns its first
 * output index. */
static inline int64_t fy_broadcast_seek(const fy_broadcast *bc, int64_t row, int64_t *idx, int64_t *ai, int64_t *bi)
{
    int64_t rest = row;
    *ai = *bi = 0;
    if (bc->count == 0)           /* an empty output has no runs (and a dim of 0 to divide by) */
        return 0;
    for (int d = bc->rank - 2; d >= 0; d--) {
        idx[d] = rest % bc->dims[d];
        rest /= bc->dims[d];
        *ai += idx[d] * bc->a_stride[d];
        *bi += idx[d] * bc->b_stride[d];
    }
    return row * bc->inner;
}

/* Iterates runs [first, last) of the broadcast: for every output element,
 * ai and bi are the matching input indices; a tight inner loop walks each
 * innermost run. Use as:
 *   FY_BROADCAST_LOOP_ROWS(bc, 0, rows, i, ai, bi) { out[i] = f(a[ai], b[bi]); } */
#define FY_BROADCAST_LOOP_ROWS(bc, first, last, i, ai, bi)                                         \
    for (int64_t fy_a_ = 0, fy_b_ = 0, fy_idx_[FERRY_MAX_RANK] = { 0 },                             \
                 fy_row_ = fy_broadcast_seek(&(bc), (first), fy_idx_, &fy_a_, &fy_b_);             \
         fy_row_ < (last) * (bc).inner;                                                             \
         fy_row_ += (bc).inner, fy_broadcast_next_row(&(bc), fy_idx_, &fy_a_, &fy_b_))              \
        for (int64_t i = fy_row_, ai = fy_a_, bi = fy_b_; i < fy_row_ + (bc).inner;                 \
             i++, ai += (bc).a_inner, bi += (bc).b_inner)

/* The whole broadcast. */
#define FY_BROADCAST_LOOP(bc, i, ai, bi) FY_BROADCAST_LOOP_ROWS(bc, 0, fy_broadcast_rows(&(bc)), i, ai, bi)

/* float16 / bfloat16 conversions (round to nearest even). */
float fy_half_to_float(uint16_t h);
uint16_t fy_float_to_half(float f);
float fy_bfloat16_to_float(uint16_t b);
uint16_t fy_float_to_bfloat16(float f);

#endif
