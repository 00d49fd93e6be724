/* Shared helpers of the array kernels (array*.c) and the kernels each file
 * defines; all of them are registered in fy_kernels_array (array.c). */
#ifndef FERRY_KERNELS_ARRAY_INTERNAL_H
#define FERRY_KERNELS_ARRAY_INTERNAL_H

#include "kernels/kernel.h"

/* ---- helpers (array_util.c) --------------------------------------------- */

/* Bytes one element takes in a tensor's data (sizeof(ferry_string) for
 * STRING); 0 for dtypes no tensor can hold. */
size_t fy_arr_elem_bytes(ferry_dtype dtype);

/* Fails UNSUPPORTED unless the tensor's elements can be moved around. */
ferry_status fy_arr_check_movable(fy_kernel_ctx *ctx, const ferry_tensor *t);

/* A new zeroed output tensor at i; the status of the failure otherwise. */
ferry_status fy_arr_new_output(fy_kernel_ctx *ctx, int i, ferry_dtype dtype, const int64_t *dims, int rank,
                               ferry_tensor **out);

/* Copies n elements src[si..] to dst[di..] (same dtype); strings are duplicated. */
ferry_status fy_arr_copy(fy_kernel_ctx *ctx, ferry_tensor *dst, int64_t di, const ferry_tensor *src, int64_t si,
                         int64_t n);

/* One element src[si] to dst[di]. */
ferry_status fy_arr_copy_one(fy_kernel_ctx *ctx, ferry_tensor *dst, int64_t di, const ferry_tensor *src, int64_t si);

/* Output i: a copy of `in` with the given shape (same element count). */
ferry_status fy_arr_output_copy(fy_kernel_ctx *ctx, int i, const ferry_tensor *in, const int64_t *dims, int rank);


/* The one value of a scalar (or one-element) int32/int64 tensor. */
ferry_status fy_arr_scalar_int(fy_kernel_ctx *ctx, const ferry_tensor *t, int64_t *out, const char *what);

/* A vector (or scalar) int32/int64 tensor holding a shape: dims must be >= 0
 * unless allow_negative, at most FERRY_MAX_RANK of them. */
ferry_status fy_arr_read_dims(fy_kernel_ctx *ctx, const ferry_tensor *t, int64_t *dims, int *rank, int allow_negative,
                              const char *what);

/* int32/int64 values of any tensor into a new array (caller frees). */
ferry_status fy_arr_read_index_list(fy_kernel_ctx *ctx, const ferry_tensor *t, int64_t **out, const char *what);

/* Writes n values into an int32 or int64 tensor, failing when one does not fit int32. */
ferry_status fy_arr_write_ints(fy_kernel_ctx *ctx, ferry_tensor *t, const int64_t *v, int64_t n);

/* An int32/int64 dtype attr (e.g. out_type), failing on anything else. */
ferry_status fy_arr_index_type(fy_kernel_ctx *ctx, const char *attr, ferry_dtype dflt, ferry_dtype *out);


/* Product of dims[from..to); 0 when one is 0, INT64_MAX when it overflows
 * (which can only happen beside a zero dim, in an empty tensor). */
int64_t fy_arr_product(const int64_t *dims, int from, int to);

/* Elements per step of dim `d` of a row-major shape (product of later dims). */
int64_t fy_arr_inner(const int64_t *dims, int rank, int d);

/* Nonzero when element i of a numeric or bool tensor is not zero (NaN counts). */
int fy_arr_truthy(const ferry_tensor *t, int64_t i);


/* ---- remapping: every output element taken from one input element ------- */

typedef enum fy_arr_map {
    FY_ARR_LINEAR,    /* source = start + i * step (step 0 broadcasts, < 0 reverses) */
    FY_ARR_WRAP,      /* source = (start + i) mod n (tiling, rolling) */
    FY_ARR_PAD,       /* source = i - before inside [0, n), else the pad value */
    FY_ARR_REFLECT,   /* mirror padding without the edge element */
    FY_ARR_SYMMETRIC  /* mirror padding with the edge element */
} fy_arr_map;

typedef struct fy_arr_dim {
    fy_arr_map map;
    int64_t size;     /* output extent */
    int64_t stride;   /* input elements between consecutive source indices */
    int64_t start, step;
    int64_t n, before;
} fy_arr_dim;

typedef struct fy_arr_remap {
    int rank;
    fy_arr_dim dim[FERRY_MAX_RANK];
} fy_arr_remap;

/* A LINEAR identity dim over dims[d] of `in`. */
fy_arr_dim fy_arr_dim_of(const ferry_tensor *in, int d);

/* Fills out (row-major, out->count elements) from in through the map;
 * padding takes element 0 of `pad`, or stays zero / empty when pad is NULL. */
ferry_status fy_arr_remap_run(fy_kernel_ctx *ctx, ferry_tensor *out, const ferry_tensor *in, const fy_arr_remap *m,
                              const ferry_tensor *pad);

/* ---- kernels ------------------------------------------------------------- */

/* array_shape.c */
ferry_status fy_arr_shape(fy_kernel_ctx *ctx);
ferry_status fy_arr_shape_n(fy_kernel_ctx *ctx);
ferry_status fy_arr_size(fy_kernel_ctx *ctx);
ferry_status fy_arr_rank(fy_kernel_ctx *ctx);
ferry_status fy_arr_reshape(fy_kernel_ctx *ctx);
ferry_status fy_arr_expand_dims(fy_kernel_ctx *ctx);
ferry_status fy_arr_squeeze(fy_kernel_ctx *ctx);
ferry_status fy_arr_broadcast_args(fy_kernel_ctx *ctx);
ferry_status fy_arr_broadcast_gradient_args(fy_kernel_ctx *ctx);
ferry_status fy_arr_invert_permutation(fy_kernel_ctx *ctx);
ferry_status fy_arr_concat_offset(fy_kernel_ctx *ctx);

/* array_fill.c */
ferry_status fy_arr_fill(fy_kernel_ctx *ctx);
ferry_status fy_arr_empty(fy_kernel_ctx *ctx);
ferry_status fy_arr_zeros_like(fy_kernel_ctx *ctx);
ferry_status fy_arr_ones_like(fy_kernel_ctx *ctx);
ferry_status fy_arr_range(fy_kernel_ctx *ctx);
ferry_status fy_arr_lin_space(fy_kernel_ctx *ctx);
ferry_status fy_arr_one_hot(fy_kernel_ctx *ctx);

/* array_join.c */
ferry_status fy_arr_pack(fy_kernel_ctx *ctx);
ferry_status fy_arr_unpack(fy_kernel_ctx *ctx);
ferry_status fy_arr_concat(fy_kernel_ctx *ctx);
ferry_status fy_arr_concat_v2(fy_kernel_ctx *ctx);
ferry_status fy_arr_split(fy_kernel_ctx *ctx);
ferry_status fy_arr_split_v(fy_kernel_ctx *ctx);

/* array_slice.c */
ferry_status fy_arr_slice(fy_kernel_ctx *ctx);
ferry_status fy_arr_strided_slice(fy_kernel_ctx *ctx);

/* array_move.c */
ferry_status fy_arr_transpose(fy_kernel_ctx *ctx);
ferry_status fy_arr_tile(fy_kernel_ctx *ctx);
ferry_status fy_arr_pad(fy_kernel_ctx *ctx);
ferry_status fy_arr_mirror_pad(fy_kernel_ctx *ctx);
ferry_status fy_arr_reverse_v2(fy_kernel_ctx *ctx);
ferry_status fy_arr_reverse(fy_kernel_ctx *ctx);
ferry_status fy_arr_broadcast_to(fy_kernel_ctx *ctx);
ferry_status fy_arr_roll(fy_kernel_ctx *ctx);
ferry_status fy_arr_reverse_sequence(fy_kernel_ctx *ctx);

/* array_matrix.c */
ferry_status fy_arr_matrix_band_part(fy_kernel_ctx *ctx);
ferry_status fy_arr_matrix_diag(fy_kernel_ctx *ctx);
ferry_status fy_arr_matrix_diag_v2(fy_kernel_ctx *ctx);
ferry_status fy_arr_matrix_diag_v3(fy_kernel_ctx *ctx);
ferry_status fy_arr_matrix_diag_part(fy_kernel_ctx *ctx);
ferry_status fy_arr_matrix_diag_part_v2(fy_kernel_ctx *ctx);
ferry_status fy_arr_matrix_diag_part_v3(fy_kernel_ctx *ctx);
ferry_status fy_arr_matrix_set_diag(fy_kernel_ctx *ctx);
ferry_status fy_arr_matrix_set_diag_v2(fy_kernel_ctx *ctx);
ferry_status fy_arr_matrix_set_diag_v3(fy_kernel_ctx *ctx);

/* array_scatter.c */
ferry_status fy_arr_scatter_nd(fy_kernel_ctx *ctx);
ferry_status fy_arr_tensor_scatter_update(fy_kernel_ctx *ctx);
ferry_status fy_arr_tensor_scatter_add(fy_kernel_ctx *ctx);
ferry_status fy_arr_tensor_scatter_sub(fy_kernel_ctx *ctx);
ferry_status fy_arr_tensor_scatter_min(fy_kernel_ctx *ctx);
ferry_status fy_arr_tensor_scatter_max(fy_kernel_ctx *ctx);

/* array_space.c */
ferry_status fy_arr_space_to_batch_nd(fy_kernel_ctx *ctx);
ferry_status fy_arr_batch_to_space_nd(fy_kernel_ctx *ctx);
ferry_status fy_arr_space_to_batch(fy_kernel_ctx *ctx);
ferry_status fy_arr_batch_to_space(fy_kernel_ctx *ctx);
ferry_status fy_arr_depth_to_space(fy_kernel_ctx *ctx);
ferry_status fy_arr_space_to_depth(fy_kernel_ctx *ctx);

/* array_gather.c */
ferry_status fy_arr_gather(fy_kernel_ctx *ctx);
ferry_status fy_arr_gather_v2(fy_kernel_ctx *ctx);
ferry_status fy_arr_gather_nd(fy_kernel_ctx *ctx);
ferry_status fy_arr_where(fy_kernel_ctx *ctx);
ferry_status fy_arr_select(fy_kernel_ctx *ctx);
ferry_status fy_arr_select_v2(fy_kernel_ctx *ctx);

/* array_cast.c */
ferry_status fy_arr_cast(fy_kernel_ctx *ctx);
ferry_status fy_arr_bitcast(fy_kernel_ctx *ctx);
ferry_status fy_arr_check_numerics(fy_kernel_ctx *ctx);

/* array_sort.c */
ferry_status fy_arr_unique(fy_kernel_ctx *ctx);
ferry_status fy_arr_unique_with_counts(fy_kernel_ctx *ctx);
ferry_status fy_arr_top_k(fy_kernel_ctx *ctx);
ferry_status fy_arr_top_k_v2(fy_kernel_ctx *ctx);
ferry_status fy_arr_bucketize(fy_kernel_ctx *ctx);
ferry_status fy_arr_lower_bound(fy_kernel_ctx *ctx);
ferry_status fy_arr_upper_bound(fy_kernel_ctx *ctx);

/* array_scan.c */
ferry_status fy_arr_cumsum(fy_kernel_ctx *ctx);
ferry_status fy_arr_cumprod(fy_kernel_ctx *ctx);

#endif
