"""Products, convolutions, pooling, normalization, activations' gradients,
losses and resizing (core/kernels/matmul.c, conv.c, pool.c, norm.c, nn.c,
resize.c, einsum.c, fake_quant.c, grad.c)."""
import numpy as np

from opcase import C, arr, case, raw, rand, seq

F = "nn"
f32 = np.float32
f64 = np.float64
i32 = np.int32

A = rand((3, 4), f32, 1)
B = rand((4, 5), f32, 2)
case(F, "MatMul", lambda a, b: raw.MatMul(a=a, b=b), [A, B])
case(F, "MatMul_transposed", lambda a, b: raw.MatMul(a=a, b=b, transpose_a=True, transpose_b=True),
     [rand((4, 3), f32, 3), rand((5, 4), f32, 4)])
case(F, "MatMul_f64", lambda a, b: raw.MatMul(a=a, b=b), [rand((3, 4), f64, 5), rand((4, 2), f64, 6)])
case(F, "MatMul_i32", lambda a, b: raw.MatMul(a=a, b=b), [rand((2, 3), i32, 7, -5, 5), rand((3, 2), i32, 8, -5, 5)])
case(F, "MatMul_empty_inner", lambda a, b: raw.MatMul(a=a, b=b), [np.zeros((2, 0), f32), np.zeros((0, 3), f32)])
case(F, "MatMul_mismatch", lambda a, b: raw.MatMul(a=a, b=b), [A, rand((3, 5), f32, 9)])
case(F, "BatchMatMul", lambda a, b: raw.BatchMatMul(x=a, y=b, adj_x=True), [rand((2, 4, 3), f32, 10), rand((2, 4, 5), f32, 11)])
case(F, "BatchMatMulV2_broadcast", lambda a, b: raw.BatchMatMulV2(x=a, y=b, adj_y=True),
     [rand((2, 1, 3, 4), f32, 12), rand((3, 5, 4), f32, 13)])
case(F, "BatchMatMulV3_f64", lambda a, b: raw.BatchMatMulV3(x=a, y=b, Tout=f64), [rand((2, 3, 4), f64, 14), rand((4, 2), f64, 15)])
case(F, "Einsum_bij_bjk", lambda a, b: raw.Einsum(inputs=[a, b], equation="bij,bjk->bik"),
     [rand((2, 3, 4), f32, 16), rand((2, 4, 5), f32, 17)])
case(F, "Einsum_transpose_sum", lambda a: raw.Einsum(inputs=[a], equation="ijk->kj"), [rand((2, 3, 4), f32, 18)])
case(F, "Einsum_ellipsis", lambda a, b: raw.Einsum(inputs=[a, b], equation="...ij,...jk->...ik"),
     [rand((2, 2, 3), f32, 19), rand((3, 4), f32, 20)])

IMG = rand((2, 6, 7, 3), f32, 21)
FILT = rand((3, 3, 3, 4), f32, 22)
for pad in ("SAME", "VALID"):
    for st in (1, 2):
        case(F, "Conv2D_%s_s%d" % (pad.lower(), st), lambda x, w, p=pad, s=st: raw.Conv2D(
            input=x, filter=w, strides=[1, s, s, 1], padding=p), [IMG, FILT], rtol=1e-5, atol=1e-5)
case(F, "Conv2D_dilated", lambda x, w: raw.Conv2D(input=x, filter=w, strides=[1, 1, 1, 1], padding="SAME",
                                                  dilations=[1, 2, 2, 1]), [IMG, FILT], atol=1e-5)
case(F, "Conv2D_explicit", lambda x, w: raw.Conv2D(input=x, filter=w, strides=[1, 2, 1, 1], padding="EXPLICIT",
                                                   explicit_paddings=[0, 0, 2, 1, 0, 3, 0, 0]), [IMG, FILT], atol=1e-5)
case(F, "Conv2D_1x1", lambda x, w: raw.Conv2D(input=x, filter=w, strides=[1, 1, 1, 1], padding="VALID"),
     [IMG, rand((1, 1, 3, 8), f32, 23)], atol=1e-5)
case(F, "Conv2D_empty_batch", lambda x, w: raw.Conv2D(input=x, filter=w, strides=[1, 1, 1, 1], padding="SAME"),
     [np.zeros((0, 6, 7, 3), f32), FILT])
case(F, "Conv2D_f64", lambda x, w: raw.Conv2D(input=x, filter=w, strides=[1, 1, 1, 1], padding="SAME"),
     [IMG.astype(f64), FILT.astype(f64)])
case(F, "Conv2D_channel_mismatch", lambda x, w: raw.Conv2D(input=x, filter=w, strides=[1, 1, 1, 1], padding="SAME"),
     [IMG, rand((3, 3, 2, 4), f32, 24)])
for pad in ("SAME", "VALID"):
    case(F, "DepthwiseConv2dNative_%s" % pad.lower(), lambda x, w, p=pad: raw.DepthwiseConv2dNative(
        input=x, filter=w, strides=[1, 2, 2, 1], padding=p), [IMG, rand((3, 3, 3, 2), f32, 25)], atol=1e-5)
case(F, "DepthwiseConv2dNative_dilated", lambda x, w: raw.DepthwiseConv2dNative(
    input=x, filter=w, strides=[1, 1, 1, 1], padding="SAME", dilations=[1, 2, 2, 1]), [IMG, rand((3, 3, 3, 1), f32, 26)],
    atol=1e-5)
case(F, "Conv2DBackpropInput", lambda s, w, g: raw.Conv2DBackpropInput(
    input_sizes=s, filter=w, out_backprop=g, strides=[1, 2, 2, 1], padding="SAME"),
    [C(arr([2, 6, 7, 3], i32)), FILT, rand((2, 3, 4, 4), f32, 27)], atol=1e-5)
case(F, "Conv2DBackpropFilter", lambda x, s, g: raw.Conv2DBackpropFilter(
    input=x, filter_sizes=s, out_backprop=g, strides=[1, 1, 1, 1], padding="VALID"),
    [IMG, C(arr([3, 3, 3, 4], i32)), rand((2, 4, 5, 4), f32, 28)], atol=1e-4)
VOL = rand((1, 4, 5, 4, 2), f32, 29)
case(F, "Conv3D", lambda x, w: raw.Conv3D(input=x, filter=w, strides=[1, 1, 2, 1, 1], padding="SAME"),
     [VOL, rand((2, 3, 2, 2, 3), f32, 30)], atol=1e-5)
case(F, "Conv3DBackpropInputV2", lambda s, w, g: raw.Conv3DBackpropInputV2(
    input_sizes=s, filter=w, out_backprop=g, strides=[1, 1, 1, 1, 1], padding="VALID"),
    [C(arr([1, 4, 5, 4, 2], i32)), rand((2, 2, 2, 2, 3), f32, 31), rand((1, 3, 4, 3, 3), f32, 32)], atol=1e-5)
case(F, "Conv3DBackpropFilterV2", lambda x, s, g: raw.Conv3DBackpropFilterV2(
    input=x, filter_sizes=s, out_backprop=g, strides=[1, 1, 1, 1, 1], padding="VALID"),
    [VOL, C(arr([2, 2, 2, 2, 3], i32)), rand((1, 3, 4, 3, 3), f32, 33)], atol=1e-4)

case(F, "BiasAdd_nhwc", lambda x, b: raw.BiasAdd(value=x, bias=b), [IMG, rand((3,), f32, 34)])
case(F, "BiasAdd_nchw", lambda x, b: raw.BiasAdd(value=x, bias=b, data_format="NCHW"), [rand((2, 3, 4, 2), f32, 35), rand((3,), f32, 36)])
case(F, "BiasAdd_mismatch", lambda x, b: raw.BiasAdd(value=x, bias=b), [IMG, rand((4,), f32, 37)])
case(F, "BiasAddV1", lambda x, b: raw.BiasAddV1(value=x, bias=b), [rand((2, 3), f32, 38), rand((3,), f32, 39)])
case(F, "BiasAddGrad", lambda g: raw.BiasAddGrad(out_backprop=g), [IMG])

for op in ("MaxPool", "AvgPool"):
    for pad in ("SAME", "VALID"):
        arg = "input" if op == "MaxPool" else "value"
        case(F, "%s_%s" % (op, pad.lower()), lambda x, op=op, p=pad, arg=arg: getattr(raw, op)(
            ksize=[1, 3, 3, 1], strides=[1, 2, 2, 1], padding=p, **{arg: x}), [IMG])
case(F, "MaxPool_nchw_like_via_nhwc_2x2", lambda x: raw.MaxPool(input=x, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1],
                                                                 padding="VALID"), [rand((1, 4, 4, 2), f32, 40)])
case(F, "MaxPoolV2", lambda x, k, s: raw.MaxPoolV2(input=x, ksize=k, strides=s, padding="SAME"),
     [IMG, C(arr([1, 2, 2, 1], i32)), C(arr([1, 1, 2, 1], i32))])
case(F, "MaxPool3D", lambda x: raw.MaxPool3D(input=x, ksize=[1, 2, 2, 2, 1], strides=[1, 2, 2, 2, 1], padding="SAME"), [VOL])
case(F, "AvgPool3D", lambda x: raw.AvgPool3D(input=x, ksize=[1, 2, 3, 2, 1], strides=[1, 1, 2, 2, 1], padding="SAME"), [VOL])

LOGITS = rand((3, 5), f32, 41, -4, 4)
case(F, "Softmax", lambda x: raw.Softmax(logits=x), [LOGITS])
case(F, "Softmax_large", lambda x: raw.Softmax(logits=x), [arr([[1000, 1001, -1000], [-1e30, 0, 1e30]], f32)])
case(F, "LogSoftmax", lambda x: raw.LogSoftmax(logits=x), [LOGITS])
case(F, "Softmax_3d", lambda x: raw.Softmax(logits=x), [rand((2, 2, 4), f64, 42)])
case(F, "SoftmaxCrossEntropyWithLogits", lambda x, y: raw.SoftmaxCrossEntropyWithLogits(features=x, labels=y),
     [LOGITS, np.full((3, 5), 0.2, f32)])
case(F, "SparseSoftmaxCrossEntropyWithLogits", lambda x, y: raw.SparseSoftmaxCrossEntropyWithLogits(features=x, labels=y),
     [LOGITS, arr([0, 4, 2], i32)])
case(F, "SparseSoftmaxCrossEntropyWithLogits_bad_label", lambda x, y: raw.SparseSoftmaxCrossEntropyWithLogits(
    features=x, labels=y), [LOGITS, arr([0, 5, 2], i32)])

X = rand((2, 3, 3, 4), f32, 43)
SCALE, OFFSET, MEAN, VAR = (rand((4,), f32, s, 0.5, 2) for s in (44, 45, 46, 47))
for op in ("FusedBatchNorm", "FusedBatchNormV2", "FusedBatchNormV3"):
    case(F, op + "_inference", lambda x, s, o, m, v, op=op: getattr(raw, op)(
        x=x, scale=s, offset=o, mean=m, variance=v, epsilon=0.001, is_training=False)[0],
        [X, SCALE, OFFSET, MEAN, VAR], atol=1e-5)
case(F, "FusedBatchNormV3_nchw", lambda x, s, o, m, v: raw.FusedBatchNormV3(
    x=x, scale=s, offset=o, mean=m, variance=v, epsilon=0.01, is_training=False, data_format="NCHW")[0],
    [rand((2, 4, 3, 3), f32, 48), SCALE, OFFSET, MEAN, VAR], atol=1e-5)
case(F, "LRN", lambda x: raw.LRN(input=x, depth_radius=2, bias=1.0, alpha=0.1, beta=0.75), [X], atol=1e-6)

G = rand((2, 5), f32, 49)
Y = rand((2, 5), f32, 50, 0.1, 0.9)
for op, y in (("ReluGrad", rand((2, 5), f32, 51)), ("Relu6Grad", rand((2, 5), f32, 52, -2, 8)),
              ("SigmoidGrad", Y), ("TanhGrad", Y), ("SqrtGrad", Y), ("RsqrtGrad", Y)):
    if op in ("ReluGrad", "Relu6Grad"):
        case(F, op, lambda g, f, op=op: getattr(raw, op)(gradients=g, features=f), [G, y])
    else:
        case(F, op, lambda yy, dy, op=op: getattr(raw, op)(y=yy, dy=dy), [y, G])

for align, half in ((False, False), (True, False), (False, True)):
    tag = "align" if align else ("half" if half else "plain")
    case(F, "ResizeBilinear_" + tag, lambda x, s, a=align, h=half: raw.ResizeBilinear(
        images=x, size=s, align_corners=a, half_pixel_centers=h), [rand((1, 3, 4, 2), f32, 53), C(arr([5, 7], i32))],
        atol=1e-5)
    case(F, "ResizeNearestNeighbor_" + tag, lambda x, s, a=align, h=half: raw.ResizeNearestNeighbor(
        images=x, size=s, align_corners=a, half_pixel_centers=h), [rand((1, 3, 4, 2), f32, 54), C(arr([5, 3], i32))])

case(F, "FakeQuantWithMinMaxArgs", lambda x: raw.FakeQuantWithMinMaxArgs(inputs=x, min=-1.0, max=1.5, num_bits=8),
     [rand((3, 4), f32, 55, -2, 2)])
case(F, "FakeQuantWithMinMaxVars", lambda x, lo, hi: raw.FakeQuantWithMinMaxVars(inputs=x, min=lo, max=hi, num_bits=4,
                                                                                 narrow_range=True),
     [rand((3, 4), f32, 56, -2, 2), arr(-0.7, f32), arr(1.3, f32)])
case(F, "FakeQuantWithMinMaxVarsPerChannel", lambda x, lo, hi: raw.FakeQuantWithMinMaxVarsPerChannel(
    inputs=x, min=lo, max=hi), [rand((3, 4), f32, 57, -2, 2), arr([-1, -0.5, 0, -2], f32), arr([1, 0.5, 2, 0.1], f32)])
