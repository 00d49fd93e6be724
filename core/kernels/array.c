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

/* EnsureShape(input): the input, once its shape agrees with the `shape`
 * attr (unknown rank or -1 dims agree with anything). */
static ferry_status k_ensure_shape(fy_kernel_ctx *ctx)
{
    const ferry_tensor *x = fy_input(ctx, 0);
    const Tensorflow__AttrValue *a = fy_node_attr(ctx->node, "shape");
    const Tensorflow__TensorShapeProto *want = a ? a->shape : NULL;
    if (!x)
        return FERRY_ERR_INVALID_ARGUMENT;
    int agree = !want || want->unknown_rank;
    if (!agree && want->n_dim == (size_t)x->rank) {
        agree = 1;
        for (int d = 0; d < x->rank; d++)
            agree &= want->dim[d]->size < 0 || want->dim[d]->size == x->dims[d];
    }
    if (!agree) {
        char got[128], expected[128];
        fy_shape w = fy_static_shape_of(want);
        fy_shape_format(got, sizeof got, x->dims, x->rank);
        fy_shape_format(expected, sizeof expected, w.dims, w.rank);
        return fy_kernel_fail(ctx, FERRY_ERR_INVALID_ARGUMENT, "Shape of tensor %s is not compatible with expected shape %s",
                              got, expected);
    }
    fy_output_forward(ctx, 0, 0);
    return FERRY_OK;
}

static ferry_status k_identity_n(fy_kernel_ctx *ctx)
{
    for (int i = 0; i < ctx->input_count && i < ctx->output_count; i++)
        fy_output_forward(ctx, i, i);
    return FERRY_OK;
}

const fy_op_def fy_kernels_array[] = {
    { .name = "Identity", .run = k_identity, .traits = FY_OP_FORWARDS, .shape = fy_shape_same },
    { .name = "StopGradient", .run = k_identity, .traits = FY_OP_FORWARDS, .shape = fy_shape_same },
    { .name = "Snapshot", .run = k_identity, .traits = FY_OP_FORWARDS, .shape = fy_shape_same },
    { .name = "PlaceholderWithDefault", .run = k_identity,
      .traits = FY_OP_NEVER_FOLD | FY_OP_PLACEHOLDER | FY_OP_TYPED, .shape = fy_shape_with_default },
    { .name = "PreventGradient", .run = k_identity, .traits = FY_OP_FORWARDS, .shape = fy_shape_same },
    { .name = "EnsureShape", .run = k_ensure_shape, .shape = fy_shape_same },
    { .name = "IdentityN", .run = k_identity_n, .outputs = "output:T", .shape = fy_shape_same_n },
    { .name = "DeepCopy", .run = k_identity, .shape = fy_shape_same },
    { .name = "GuaranteeConst", .run = k_identity, .traits = FY_OP_FORWARDS, .shape = fy_shape_same },
    { .name = "CheckNumerics", .run = fy_arr_check_numerics, .shape = fy_shape_same },
    { .name = "CheckNumericsV2", .run = fy_arr_check_numerics, .shape = fy_shape_same },
    /* shapes */
    { .name = "Shape", .run = fy_arr_shape, .shape = fy_shape_of_shape },
    { .name = "ShapeN", .run = fy_arr_shape_n, .outputs = "output:N", .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = "Size", .run = fy_arr_size, .shape = fy_shape_scalar },
    { .name = "Rank", .run = fy_arr_rank, .shape = fy_shape_scalar },
    { .name = "Reshape", .run = fy_arr_reshape, .shape = fy_shape_reshape },
    { .name = "ExpandDims", .run = fy_arr_expand_dims, .shape = fy_shape_expand_dims },
    { .name = "Squeeze", .run = fy_arr_squeeze, .shape = fy_shape_squeeze },
    { .name = "BroadcastArgs", .run = fy_arr_broadcast_args, .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = "BroadcastGradientArgs", .run = fy_arr_broadcast_gradient_args,
      .outputs = "r0,r1", .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = "InvertPermutation", .run = fy_arr_invert_permutation, .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = "ConcatOffset", .run = fy_arr_concat_offset, .outputs = "offset:N", .traits = FY_OP_DYNAMIC_SHAPE },
    /* making tensors */
    { .name = "Fill", .run = fy_arr_fill, .shape = fy_shape_fill },
    { .name = "Empty", .run = fy_arr_empty, .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = "ZerosLike", .run = fy_arr_zeros_like, .shape = fy_shape_same },
    { .name = "OnesLike", .run = fy_arr_ones_like, .shape = fy_shape_same },
    { .name = "Range", .run = fy_arr_range, .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = "LinSpace", .run = fy_arr_lin_space, .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = "OneHot", .run = fy_arr_one_hot, .traits = FY_OP_DYNAMIC_SHAPE },
    /* joining and splitting */
    { .name = "Pack", .run = fy_arr_pack, .shape = fy_shape_pack },
    { .name = "Unpack", .run = fy_arr_unpack, .outputs = "output:num", .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = "Concat", .run = fy_arr_concat, .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = "ConcatV2", .run = fy_arr_concat_v2, .shape = fy_shape_concat },
    { .name = "Split", .run = fy_arr_split, .outputs = "output:num_split", .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = "SplitV", .run = fy_arr_split_v, .outputs = "output:num_split", .traits = FY_OP_DYNAMIC_SHAPE },
    /* slicing and rearranging */
    { .name = "Slice", .run = fy_arr_slice, .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = "StridedSlice", .run = fy_arr_strided_slice, .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = "Transpose", .run = fy_arr_transpose, .shape = fy_shape_transpose },
    { .name = "Tile", .run = fy_arr_tile, .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = "Pad", .run = fy_arr_pad, .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = "PadV2", .run = fy_arr_pad, .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = "MirrorPad", .run = fy_arr_mirror_pad, .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = "ReverseV2", .run = fy_arr_reverse_v2, .shape = fy_shape_same },
    { .name = "Reverse", .run = fy_arr_reverse, .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = "BroadcastTo", .run = fy_arr_broadcast_to, .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = "Roll", .run = fy_arr_roll, .shape = fy_shape_same },
    { .name = "ReverseSequence", .run = fy_arr_reverse_sequence, .shape = fy_shape_same },
    { .name = "MatrixBandPart", .run = fy_arr_matrix_band_part, .shape = fy_shape_same },
    { .name = "MatrixDiag", .run = fy_arr_matrix_diag, .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = "MatrixDiagV2", .run = fy_arr_matrix_diag_v2, .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = "MatrixDiagV3", .run = fy_arr_matrix_diag_v3, .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = "MatrixDiagPart", .run = fy_arr_matrix_diag_part, .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = "MatrixDiagPartV2", .run = fy_arr_matrix_diag_part_v2, .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = "MatrixDiagPartV3", .run = fy_arr_matrix_diag_part_v3, .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = "MatrixSetDiag", .run = fy_arr_matrix_set_diag, .shape = fy_shape_same },
    { .name = "MatrixSetDiagV2", .run = fy_arr_matrix_set_diag_v2, .shape = fy_shape_same },
    { .name = "MatrixSetDiagV3", .run = fy_arr_matrix_set_diag_v3, .shape = fy_shape_same },
    { .name = "SpaceToBatchND", .run = fy_arr_space_to_batch_nd, .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = "BatchToSpaceND", .run = fy_arr_batch_to_space_nd, .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = "SpaceToBatch", .run = fy_arr_space_to_batch, .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = "BatchToSpace", .run = fy_arr_batch_to_space, .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = "DepthToSpace", .run = fy_arr_depth_to_space, .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = "SpaceToDepth", .run = fy_arr_space_to_depth, .traits = FY_OP_DYNAMIC_SHAPE },
    /* indexing */
    { .name = "Gather", .run = fy_arr_gather, .shape = fy_shape_gather },
    { .name = "GatherV2", .run = fy_arr_gather_v2, .shape = fy_shape_gather_v2 },
    { .name = "GatherNd", .run = fy_arr_gather_nd, .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = "ScatterNd", .run = fy_arr_scatter_nd, .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = "TensorScatterUpdate", .run = fy_arr_tensor_scatter_update, .shape = fy_shape_same },
    { .name = "TensorScatterAdd", .run = fy_arr_tensor_scatter_add, .shape = fy_shape_same },
    { .name = "TensorScatterSub", .run = fy_arr_tensor_scatter_sub, .shape = fy_shape_same },
    { .name = "TensorScatterMin", .run = fy_arr_tensor_scatter_min, .shape = fy_shape_same },
    { .name = "TensorScatterMax", .run = fy_arr_tensor_scatter_max, .shape = fy_shape_same },
    { .name = "Where", .run = fy_arr_where, .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = "Select", .run = fy_arr_select, .shape = fy_shape_select },
    { .name = "SelectV2", .run = fy_arr_select_v2, .shape = fy_shape_select_v2 },
    /* converting, comparing, scanning */
    { .name = "Cast", .run = fy_arr_cast, .shape = fy_shape_same },
    { .name = "Bitcast", .run = fy_arr_bitcast, .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = "Unique", .run = fy_arr_unique, .outputs = "y,idx", .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = "UniqueWithCounts", .run = fy_arr_unique_with_counts,
      .outputs = "y,idx,count", .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = "TopK", .run = fy_arr_top_k, .outputs = "values,indices", .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = "TopKV2", .run = fy_arr_top_k_v2, .outputs = "values,indices", .traits = FY_OP_DYNAMIC_SHAPE },
    { .name = "Bucketize", .run = fy_arr_bucketize, .shape = fy_shape_same },
    { .name = "LowerBound", .run = fy_arr_lower_bound, .shape = fy_shape_like_input1 },
    { .name = "UpperBound", .run = fy_arr_upper_bound, .shape = fy_shape_like_input1 },
    { .name = "Cumsum", .run = fy_arr_cumsum, .shape = fy_shape_same },
    { .name = "Cumprod", .run = fy_arr_cumprod, .shape = fy_shape_same },
    { .name = NULL },
};
