/* Gathers as functions over tensors, for kernels outside this family
 * (reads of resource variables in the runtime) that gather from a value
 * they find some other way than as an input. */
#ifndef FERRY_KERNELS_GATHER_H
#define FERRY_KERNELS_GATHER_H

#include "kernels/kernel.h"

/* GatherV2 of params along axis, the first batch_dims dims of params and
 * indices matched (negative batch_dims counts from indices' rank); the
 * result is ctx's output 0. */
ferry_status fy_gather(fy_kernel_ctx *ctx, const ferry_tensor *params, const ferry_tensor *indices, int64_t axis,
                       int64_t batch_dims);

/* GatherNd: slices of params at the index tuples in indices' last dim. */
ferry_status fy_gather_nd(fy_kernel_ctx *ctx, const ferry_tensor *params, const ferry_tensor *indices);

#endif
