/* Shared machinery of the math and neural-network kernels, and the kernel
 * entry points that nn.c registers in fy_kernels_nn. */
#ifndef FERRY_KERNELS_NN_INTERNAL_H
#define FERRY_KERNELS_NN_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "kernels/kernel.h"

/* ---- numbers and buffers (nn_util.c) ------------------------------------ */


/* The type a kernel computes dtype in: FLOAT for float, half and bfloat16,
 * DOUBLE for double, INT64 for integers and bool, INVALID otherwise. */
ferry_dtype fy_nn_compute_type(ferry_dtype dtype);

/* Nonzero for float, double, half and bfloat16. */
int fy_nn_is_real(ferry_dtype dtype);

/* Points *data at t's elements as dtype `as` (FLOAT, DOUBLE or INT64): t's
 * own data when it already has that dtype, else a malloc'd converted copy
 * that *copy also points to (the caller frees *copy; NULL when nothing was
 * copied). */
ferry_status fy_nn_load(fy_kernel_ctx *ctx, const ferry_tensor *t, ferry_dtype as, const void **data, void **copy);

/* Points *data at where to compute out's elements as dtype `as`: out's own
 * data when the dtypes agree, else a scratch buffer (*copy). fy_nn_commit
 * then converts the scratch buffer into out and frees it. */
ferry_status fy_nn_out_buffer(fy_kernel_ctx *ctx, ferry_tensor *out, ferry_dtype as, void **data, void **copy);
void fy_nn_commit(ferry_tensor *out, void *copy, ferry_dtype as);

/* Element i of numeric data of the given dtype, as double or int64. */
double fy_nn_get_f(const void *data, ferry_dtype dtype, int64_t i);
int64_t fy_nn_get_i(const void *data, ferry_dtype dtype, int64_t i);

/* malloc of n elements of size elem (at least one byte); NULL with the
 * error set when out of memory or the size overflows. */
void *fy_nn_alloc(fy_kernel_ctx *ctx, int64_t n, size_t elem);


/* dst (dims[perm[0]], ..., dims[perm[rank-1]]) = src (dims) transposed. */
void fy_nn_transpose(void *dst, const void *src, size_t elem, const int64_t *dims, int rank, const int *perm);


/* ---- matrix products (matmul.c) ----------------------------------------- */

/* Row-major C[m,n] (leading dim ldc) = op(A) op(B), op(X) = X^T when the
 * flag is set; dtype FLOAT or DOUBLE (BLAS, every size at most INT_MAX) or
 * INT64 (wrapping). Big products are split over the pool's threads. */
void fy_nn_gemm(struct fy_pool *pool, ferry_dtype dtype, int ta, int tb, int64_t m, int64_t n, int64_t k,
                const void *a, int64_t lda, const void *b, int64_t ldb, void *c, int64_t ldc);

/* Batched C = op(A) op(B) over row-major matrices; batch dims broadcast
 * numpy-style. The compute dtype is FLOAT, DOUBLE or INT64. */
typedef struct fy_nn_bmm {
    ferry_dtype dtype;
    int ta, tb;                        /* op(X) = X^T */
    int64_t m, n, k;
    int batch_rank;
    int64_t batch[FERRY_MAX_RANK];     /* the result's batch dims */
    int64_t a_batch[FERRY_MAX_RANK];   /* the operands' batch dims, aligned right and padded with 1 */
    int64_t b_batch[FERRY_MAX_RANK];
} fy_nn_bmm;

/* Fills the batch fields from the operands' batch dims; 0 when they do not broadcast. */
int fy_nn_bmm_batch(fy_nn_bmm *p, const int64_t *a, int a_rank, const int64_t *b, int b_rank);

/* Runs p; c holds the batch x m x n result. */
ferry_status fy_nn_bmm_run(fy_kernel_ctx *ctx, const fy_nn_bmm *p, const void *a, const void *b, void *c);

/* ---- window geometry for convolutions and pooling (window.c) ------------- */

/* Windows always have three spatial slots; 2-D windows leave the first at
 * size 1 (in, out, k, stride and dilation 1, no padding). */
#define FY_NN_SPATIAL 3

typedef enum fy_nn_padding { FY_NN_VALID, FY_NN_SAME, FY_NN_EXPLICIT } fy_nn_padding;

typedef struct fy_nn_window {
    int rank;                             /* of the data: 4 or 5 */
    int channels_first;                   /* NCHW / NCDHW */
    fy_nn_padding padding;
    int64_t in[FY_NN_SPATIAL], out[FY_NN_SPATIAL], k[FY_NN_SPATIAL];
    int64_t stride[FY_NN_SPATIAL], dilation[FY_NN_SPATIAL];
    int64_t pad[FY_NN_SPATIAL], pad_after[FY_NN_SPATIAL];
} fy_nn_window;

/* Reads data_format, strides, dilations (when `dilations` is set), padding
 * and explicit_paddings for data of the given rank; strides and dilations
 * are 1 when absent. */
/* extra_pad: zeros before and after each of the input's 4 dims that a
 * rewrite folded into this window (fy_conv_extras), or NULL. */
ferry_status fy_nn_window_attrs(fy_kernel_ctx *ctx, fy_nn_window *w, int rank, int dilations, const int64_t *extra_pad);

/* What a convolution a rewrite made adds to a plain one (runtime/passes.c):
 * a Pad before it taken as its own padding, and a chain of per-channel
 * steps applied to each block of output as it is made. */
typedef struct fy_conv_extras {
    const int64_t *pads;          /* before and after each of the input's 4 dims (NHWC), or NULL */
    const fy_chain_step *chain;   /* or NULL */
    int chain_len;
    int chain_done;               /* set when the convolution applied the chain */
} fy_conv_extras;

/* Conv2D, DepthwiseConv2dNative and _FusedConv2D with extras (NULL: none). */
ferry_status fy_nn_conv2d_with(fy_kernel_ctx *ctx, fy_conv_extras *extras);
ferry_status fy_nn_depthwise_conv2d_with(fy_kernel_ctx *ctx, fy_conv_extras *extras);
ferry_status fy_nn_fused_conv2d_with(fy_kernel_ctx *ctx, const int64_t *pads);

/* Puts the spatial entries of a per-dim list in data_format order (n
 * values, the batch and channel ones must be 1) into out's slots. */
ferry_status fy_nn_window_list(fy_kernel_ctx *ctx, const fy_nn_window *w, const int64_t *v, size_t n, const char *what,
                               int64_t *out);

/* Splits a shape of w->rank dims into batch, spatial slots and channels. */
void fy_nn_window_split(const fy_nn_window *w, const int64_t *dims, int64_t *batch, int64_t *spatial, int64_t *channels);

/* The dims of data with the given batch, spatial slots and channels in w's layout. */
void fy_nn_window_join(const fy_nn_window *w, int64_t batch, const int64_t *spatial, int64_t channels, int64_t *dims);

/* Computes out and the padding from in and k (stride, dilation read). */
ferry_status fy_nn_window_size(fy_kernel_ctx *ctx, fy_nn_window *w);

/* Data in channels-last order as dtype ct (FLOAT or DOUBLE): *data points
 * at it; *own is what the caller frees (NULL when t's own data is used). */
ferry_status fy_nn_window_input(fy_kernel_ctx *ctx, const fy_nn_window *w, const ferry_tensor *t, ferry_dtype ct,
                                const void **data, void **own);

/* A zeroed channels-last buffer of dtype ct for out, and its hand-over:
 * fy_nn_window_commit converts (and transposes) it into out and frees it. */
ferry_status fy_nn_window_output(fy_kernel_ctx *ctx, const fy_nn_window *w, ferry_tensor *out, ferry_dtype ct,
                                 void **data, void **own);
ferry_status fy_nn_window_commit(fy_kernel_ctx *ctx, const fy_nn_window *w, ferry_tensor *out, ferry_dtype ct, void *own);

/* ---- kernels ------------------------------------------------------------ */

/* unary.c */
ferry_status fy_nn_neg(fy_kernel_ctx *ctx);
ferry_status fy_nn_abs(fy_kernel_ctx *ctx);
ferry_status fy_nn_square(fy_kernel_ctx *ctx);
ferry_status fy_nn_sqrt(fy_kernel_ctx *ctx);
ferry_status fy_nn_rsqrt(fy_kernel_ctx *ctx);
ferry_status fy_nn_reciprocal(fy_kernel_ctx *ctx);
ferry_status fy_nn_exp(fy_kernel_ctx *ctx);
ferry_status fy_nn_expm1(fy_kernel_ctx *ctx);
ferry_status fy_nn_log(fy_kernel_ctx *ctx);
ferry_status fy_nn_log1p(fy_kernel_ctx *ctx);
ferry_status fy_nn_sin(fy_kernel_ctx *ctx);
ferry_status fy_nn_cos(fy_kernel_ctx *ctx);
ferry_status fy_nn_tan(fy_kernel_ctx *ctx);
ferry_status fy_nn_asin(fy_kernel_ctx *ctx);
ferry_status fy_nn_acos(fy_kernel_ctx *ctx);
ferry_status fy_nn_atan(fy_kernel_ctx *ctx);
ferry_status fy_nn_sinh(fy_kernel_ctx *ctx);
ferry_status fy_nn_cosh(fy_kernel_ctx *ctx);
ferry_status fy_nn_tanh(fy_kernel_ctx *ctx);
ferry_status fy_nn_asinh(fy_kernel_ctx *ctx);
ferry_status fy_nn_acosh(fy_kernel_ctx *ctx);
ferry_status fy_nn_atanh(fy_kernel_ctx *ctx);
ferry_status fy_nn_sigmoid(fy_kernel_ctx *ctx);
ferry_status fy_nn_erf(fy_kernel_ctx *ctx);
ferry_status fy_nn_erfc(fy_kernel_ctx *ctx);
ferry_status fy_nn_lgamma(fy_kernel_ctx *ctx);
ferry_status fy_nn_floor(fy_kernel_ctx *ctx);
ferry_status fy_nn_ceil(fy_kernel_ctx *ctx);
ferry_status fy_nn_round(fy_kernel_ctx *ctx);
ferry_status fy_nn_rint(fy_kernel_ctx *ctx);
ferry_status fy_nn_sign(fy_kernel_ctx *ctx);
/* Applies the activation op `name` (Relu, Relu6, Elu, Selu, LeakyRelu with
 * alpha, Tanh, Sigmoid) to y in place, as the op's own kernel would; 0 when
 * the name is none of these. */
int fy_nn_activation_f32(fy_kernel_ctx *ctx, const char *name, float alpha, float *y, int64_t n);
ferry_status fy_nn_relu(fy_kernel_ctx *ctx);
ferry_status fy_nn_fake_quant_args(fy_kernel_ctx *ctx);
ferry_status fy_nn_fake_quant_vars(fy_kernel_ctx *ctx);
ferry_status fy_nn_fake_quant_vars_per_channel(fy_kernel_ctx *ctx);
ferry_status fy_nn_relu6(fy_kernel_ctx *ctx);
ferry_status fy_nn_elu(fy_kernel_ctx *ctx);
ferry_status fy_nn_selu(fy_kernel_ctx *ctx);
ferry_status fy_nn_leaky_relu(fy_kernel_ctx *ctx);
ferry_status fy_nn_softplus(fy_kernel_ctx *ctx);
ferry_status fy_nn_softsign(fy_kernel_ctx *ctx);
ferry_status fy_nn_is_nan(fy_kernel_ctx *ctx);
ferry_status fy_nn_is_inf(fy_kernel_ctx *ctx);
ferry_status fy_nn_is_finite(fy_kernel_ctx *ctx);
ferry_status fy_nn_logical_not(fy_kernel_ctx *ctx);
ferry_status fy_nn_atan2(fy_kernel_ctx *ctx);
ferry_status fy_nn_xlogy(fy_kernel_ctx *ctx);
ferry_status fy_nn_xlog1py(fy_kernel_ctx *ctx);
ferry_status fy_nn_xdivy(fy_kernel_ctx *ctx);
ferry_status fy_nn_clip_by_value(fy_kernel_ctx *ctx);

/* grad.c */
ferry_status fy_nn_relu_grad(fy_kernel_ctx *ctx);
ferry_status fy_nn_relu6_grad(fy_kernel_ctx *ctx);
ferry_status fy_nn_sigmoid_grad(fy_kernel_ctx *ctx);
ferry_status fy_nn_tanh_grad(fy_kernel_ctx *ctx);
ferry_status fy_nn_rsqrt_grad(fy_kernel_ctx *ctx);
ferry_status fy_nn_sqrt_grad(fy_kernel_ctx *ctx);
ferry_status fy_nn_elu_grad(fy_kernel_ctx *ctx);
ferry_status fy_nn_selu_grad(fy_kernel_ctx *ctx);
ferry_status fy_nn_softplus_grad(fy_kernel_ctx *ctx);
ferry_status fy_nn_softsign_grad(fy_kernel_ctx *ctx);
ferry_status fy_nn_leaky_relu_grad(fy_kernel_ctx *ctx);
ferry_status fy_nn_reciprocal_grad(fy_kernel_ctx *ctx);
ferry_status fy_nn_bias_add_grad(fy_kernel_ctx *ctx);

/* reduce.c */
ferry_status fy_nn_sum(fy_kernel_ctx *ctx);
ferry_status fy_nn_mean(fy_kernel_ctx *ctx);
ferry_status fy_nn_prod(fy_kernel_ctx *ctx);
ferry_status fy_nn_max(fy_kernel_ctx *ctx);
ferry_status fy_nn_min(fy_kernel_ctx *ctx);
ferry_status fy_nn_all(fy_kernel_ctx *ctx);
ferry_status fy_nn_any(fy_kernel_ctx *ctx);
ferry_status fy_nn_euclidean_norm(fy_kernel_ctx *ctx);
ferry_status fy_nn_l2_loss(fy_kernel_ctx *ctx);
ferry_status fy_nn_arg_max(fy_kernel_ctx *ctx);
ferry_status fy_nn_arg_min(fy_kernel_ctx *ctx);

/* matmul.c */
ferry_status fy_nn_matmul(fy_kernel_ctx *ctx);
ferry_status fy_nn_batch_matmul(fy_kernel_ctx *ctx);
ferry_status fy_nn_bias_add(fy_kernel_ctx *ctx);
ferry_status fy_nn_bias_add_v1(fy_kernel_ctx *ctx);

/* einsum.c */
ferry_status fy_nn_einsum(fy_kernel_ctx *ctx);

/* softmax.c */
ferry_status fy_nn_softmax(fy_kernel_ctx *ctx);
ferry_status fy_nn_log_softmax(fy_kernel_ctx *ctx);
ferry_status fy_nn_softmax_cross_entropy(fy_kernel_ctx *ctx);
ferry_status fy_nn_sparse_softmax_cross_entropy(fy_kernel_ctx *ctx);

/* conv.c */
ferry_status fy_nn_conv2d(fy_kernel_ctx *ctx);
ferry_status fy_nn_conv2d_backprop_filter(fy_kernel_ctx *ctx);
ferry_status fy_nn_conv3d_backprop_filter(fy_kernel_ctx *ctx);
ferry_status fy_nn_fused_matmul(fy_kernel_ctx *ctx);
ferry_status fy_nn_fused_conv2d(fy_kernel_ctx *ctx);
ferry_status fy_nn_conv3d(fy_kernel_ctx *ctx);
ferry_status fy_nn_conv2d_backprop_input(fy_kernel_ctx *ctx);
ferry_status fy_nn_conv3d_backprop_input(fy_kernel_ctx *ctx);
ferry_status fy_nn_depthwise_conv2d(fy_kernel_ctx *ctx);

/* pool.c */
ferry_status fy_nn_max_pool(fy_kernel_ctx *ctx);
ferry_status fy_nn_max_pool_v2(fy_kernel_ctx *ctx);
ferry_status fy_nn_avg_pool(fy_kernel_ctx *ctx);

/* norm.c */
ferry_status fy_nn_fused_batch_norm(fy_kernel_ctx *ctx);
ferry_status fy_nn_lrn(fy_kernel_ctx *ctx);

/* resize.c */
ferry_status fy_nn_resize_bilinear(fy_kernel_ctx *ctx);
ferry_status fy_nn_resize_nearest(fy_kernel_ctx *ctx);
ferry_status fy_nn_resize_bicubic(fy_kernel_ctx *ctx);
ferry_status fy_nn_resize_area(fy_kernel_ctx *ctx);

#endif
