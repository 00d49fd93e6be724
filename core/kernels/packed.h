/* Float products with the right-hand matrix packed once (packed.c). */
#ifndef FERRY_KERNELS_PACKED_H
#define FERRY_KERNELS_PACKED_H

#include <stdint.h>

#include <ferry/ferry.h>

struct fy_pool;

typedef struct fy_packed fy_packed;

/* The packed form of a lasting float tensor b (base/tensor.h) read as the
 * [k, n] right-hand side of products (b is [n, k] when `transposed`), made
 * on first use and kept on the tensor until it is freed. NULL when b is not
 * lasting, not a matrix of that size, or this CPU has no AVX-512: callers
 * then use BLAS. Safe from many threads at once; freed with the tensor. */
const fy_packed *fy_packed_of(const ferry_tensor *b, int64_t k, int64_t n, int transposed);

/* Row-major C[m, n] (leading dim ldc) = A[m, k] (leading dim lda) B, split
 * over the pool's threads when big enough. Each element sums its products in
 * the same order whatever the split, so results do not depend on threads. */
void fy_packed_gemm(struct fy_pool *pool, int64_t m, const float *a, int64_t lda, const fy_packed *b, float *c,
                    int64_t ldc);

/* The op definitions' prepack hooks (kernel.h): lay out a lasting weight
 * the way the op's kernel will ask for it, so a first run does not pack. */
struct fy_node;
void fy_prepack_matmul(const struct fy_node *n, const ferry_tensor *w);       /* MatMul, _FusedMatMul */
void fy_prepack_batch_matmul(const struct fy_node *n, const ferry_tensor *w); /* BatchMatMul* by a matrix */
void fy_prepack_filter(const struct fy_node *n, const ferry_tensor *w);       /* Conv2D, _FusedConv2D, Conv3D */

#endif
