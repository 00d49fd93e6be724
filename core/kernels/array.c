/* Ops that move or reshape data without arithmetic: the registry table of
 * the array family (kernels live in array_*.c, see array_internal.h). */
#include "kernels/array_internal.h"

static ferry_status k_identity(fy_kernel_ctx *ctx)
{
    if (ctx->input_count < 1)
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "needs an input");
    fy_output_forward(ctx, 0, 0);
    return FERRY_OK;
}

static ferry_status k_identity_n(fy_kernel_ctx *ctx)
{
    for (int i = 0; i < ctx->input_count && i < ctx->output_count; i++)
        fy_output_forward(ctx, i, i);
    return FERRY_OK;
}

const fy_kernel_def fy_kernels_array[] = {
    { "Identity", k_identity, NULL, 0 },
    { "StopGradient", k_identity, NULL, 0 },
    { "Snapshot", k_identity, NULL, 0 },
    { "PlaceholderWithDefault", k_identity, NULL, 0 },
    { "PreventGradient", k_identity, NULL, 0 },
    { "EnsureShape", k_identity, NULL, 0 },
    { "IdentityN", k_identity_n, "output:T", 0 },
    { "DeepCopy", k_identity, NULL, 0 },
    { "GuaranteeConst", k_identity, NULL, 0 },
    { "CheckNumerics", fy_arr_check_numerics, NULL, 0 },
    { "CheckNumericsV2", fy_arr_check_numerics, NULL, 0 },
    /* shapes */
    { "Shape", fy_arr_shape, NULL, 0 },
    { "ShapeN", fy_arr_shape_n, "output:N", 0 },
    { "Size", fy_arr_size, NULL, 0 },
    { "Rank", fy_arr_rank, NULL, 0 },
    { "Reshape", fy_arr_reshape, NULL, 0 },
    { "ExpandDims", fy_arr_expand_dims, NULL, 0 },
    { "Squeeze", fy_arr_squeeze, NULL, 0 },
    { "BroadcastArgs", fy_arr_broadcast_args, NULL, 0 },
    { "BroadcastGradientArgs", fy_arr_broadcast_gradient_args, "r0,r1", 0 },
    { "InvertPermutation", fy_arr_invert_permutation, NULL, 0 },
    { "ConcatOffset", fy_arr_concat_offset, "offset:N", 0 },
    /* making tensors */
    { "Fill", fy_arr_fill, NULL, 0 },
    { "Empty", fy_arr_empty, NULL, 0 },
    { "ZerosLike", fy_arr_zeros_like, NULL, 0 },
    { "OnesLike", fy_arr_ones_like, NULL, 0 },
    { "Range", fy_arr_range, NULL, 0 },
    { "LinSpace", fy_arr_lin_space, NULL, 0 },
    { "OneHot", fy_arr_one_hot, NULL, 0 },
    /* joining and splitting */
    { "Pack", fy_arr_pack, NULL, 0 },
    { "Unpack", fy_arr_unpack, "output:num", 0 },
    { "Concat", fy_arr_concat, NULL, 0 },
    { "ConcatV2", fy_arr_concat_v2, NULL, 0 },
    { "Split", fy_arr_split, "output:num_split", 0 },
    { "SplitV", fy_arr_split_v, "output:num_split", 0 },
    /* slicing and rearranging */
    { "Slice", fy_arr_slice, NULL, 0 },
    { "StridedSlice", fy_arr_strided_slice, NULL, 0 },
    { "Transpose", fy_arr_transpose, NULL, 0 },
    { "Tile", fy_arr_tile, NULL, 0 },
    { "Pad", fy_arr_pad, NULL, 0 },
    { "PadV2", fy_arr_pad, NULL, 0 },
    { "MirrorPad", fy_arr_mirror_pad, NULL, 0 },
    { "ReverseV2", fy_arr_reverse_v2, NULL, 0 },
    { "Reverse", fy_arr_reverse, NULL, 0 },
    { "BroadcastTo", fy_arr_broadcast_to, NULL, 0 },
    { "Roll", fy_arr_roll, NULL, 0 },
    { "ReverseSequence", fy_arr_reverse_sequence, NULL, 0 },
    { "MatrixBandPart", fy_arr_matrix_band_part, NULL, 0 },
    { "MatrixDiag", fy_arr_matrix_diag, NULL, 0 },
    { "MatrixDiagV2", fy_arr_matrix_diag_v2, NULL, 0 },
    { "MatrixDiagV3", fy_arr_matrix_diag_v3, NULL, 0 },
    { "MatrixDiagPart", fy_arr_matrix_diag_part, NULL, 0 },
    { "MatrixDiagPartV2", fy_arr_matrix_diag_part_v2, NULL, 0 },
    { "MatrixDiagPartV3", fy_arr_matrix_diag_part_v3, NULL, 0 },
    { "MatrixSetDiag", fy_arr_matrix_set_diag, NULL, 0 },
    { "MatrixSetDiagV2", fy_arr_matrix_set_diag_v2, NULL, 0 },
    { "MatrixSetDiagV3", fy_arr_matrix_set_diag_v3, NULL, 0 },
    { "SpaceToBatchND", fy_arr_space_to_batch_nd, NULL, 0 },
    { "BatchToSpaceND", fy_arr_batch_to_space_nd, NULL, 0 },
    { "SpaceToBatch", fy_arr_space_to_batch, NULL, 0 },
    { "BatchToSpace", fy_arr_batch_to_space, NULL, 0 },
    { "DepthToSpace", fy_arr_depth_to_space, NULL, 0 },
    { "SpaceToDepth", fy_arr_space_to_depth, NULL, 0 },
    /* indexing */
    { "Gather", fy_arr_gather, NULL, 0 },
    { "GatherV2", fy_arr_gather_v2, NULL, 0 },
    { "GatherNd", fy_arr_gather_nd, NULL, 0 },
    { "ResourceGather", fy_arr_resource_gather, NULL, FY_KERNEL_READS_STATE },
    { "ResourceGatherNd", fy_arr_resource_gather_nd, NULL, FY_KERNEL_READS_STATE },
    { "ScatterNd", fy_arr_scatter_nd, NULL, 0 },
    { "TensorScatterUpdate", fy_arr_tensor_scatter_update, NULL, 0 },
    { "TensorScatterAdd", fy_arr_tensor_scatter_add, NULL, 0 },
    { "TensorScatterSub", fy_arr_tensor_scatter_sub, NULL, 0 },
    { "TensorScatterMin", fy_arr_tensor_scatter_min, NULL, 0 },
    { "TensorScatterMax", fy_arr_tensor_scatter_max, NULL, 0 },
    { "Where", fy_arr_where, NULL, 0 },
    { "Select", fy_arr_select, NULL, 0 },
    { "SelectV2", fy_arr_select_v2, NULL, 0 },
    /* converting, comparing, scanning */
    { "Cast", fy_arr_cast, NULL, 0 },
    { "Bitcast", fy_arr_bitcast, NULL, 0 },
    { "Unique", fy_arr_unique, "y,idx", 0 },
    { "UniqueWithCounts", fy_arr_unique_with_counts, "y,idx,count", 0 },
    { "TopK", fy_arr_top_k, "values,indices", 0 },
    { "TopKV2", fy_arr_top_k_v2, "values,indices", 0 },
    { "Bucketize", fy_arr_bucketize, NULL, 0 },
    { "LowerBound", fy_arr_lower_bound, NULL, 0 },
    { "UpperBound", fy_arr_upper_bound, NULL, 0 },
    { "Cumsum", fy_arr_cumsum, NULL, 0 },
    { "Cumprod", fy_arr_cumprod, NULL, 0 },
    { NULL, NULL, NULL, 0 },
};
