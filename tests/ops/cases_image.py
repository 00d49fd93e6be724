"""Detection and image ops (core/kernels/nms.c, image.c, resize.c): every
NonMaxSuppression form with float32 and float16 boxes, boxes given with
flipped corners, equal scores, score thresholds, soft-NMS, padding,
max_output_size 0, empty and all-suppressed inputs; CombinedNonMaxSuppression
per class with clipping, padding and more tied results than the sort's
insertion threshold; colour conversions and adjustments; the resizes in every
mode and dtype; CropAndResize; and TF's error cases for each."""
import numpy as np
import tensorflow as tf

from opcase import C, arr, case, raw, rand

F = "image"
f16 = np.float16
f32 = np.float32
f64 = np.float64
i32 = np.int32
u8 = np.uint8
bf16 = tf.bfloat16.as_numpy_dtype
HALF = dict(rtol=2e-3, atol=2e-3)
BF16 = dict(rtol=2e-2, atol=2e-2)

# ---- NonMaxSuppression ---------------------------------------------------
# Boxes 0-2 overlap heavily, 3-4 overlap a little, 5 stands alone; box 1 has
# its corners given the other way round.
BOXES = arr([[0, 0, 1, 1], [1, 1.1, 0, 0.1], [0, -0.1, 1, 0.9], [0, 10, 1, 11], [0, 10.6, 1, 11.6],
             [0, 100, 1, 101]], f32)
SCORES = arr([0.9, 0.75, 0.6, 0.95, 0.5, 0.3], f32)
TIED = arr([0.5, 0.5, 0.7, 0.5, 0.7, 0.5], f32)
# Twelve boxes in a row, each overlapping the next by a different amount.
ROW = arr([[0, i * 0.7, 1, i * 0.7 + 1 + 0.05 * i] for i in range(12)], f32)
ROW_SCORES = rand((12,), f32, 70, 0.0, 1.0)


def i(v):
    return arr(v, i32)


def f(v, dt=f32):
    return arr(v, dt)


case(F, "NMS_v1", lambda b, s, m: raw.NonMaxSuppression(boxes=b, scores=s, max_output_size=m, iou_threshold=0.5),
     [BOXES, SCORES, i(10)])
case(F, "NMS_v1_iou_out_of_range", lambda b, s, m: raw.NonMaxSuppression(boxes=b, scores=s, max_output_size=m,
                                                                           iou_threshold=1.5), [BOXES, SCORES, i(3)])
for dt, tag in ((f32, "f32"), (f16, "f16")):
    b, s = BOXES.astype(dt), SCORES.astype(dt)
    tol = HALF if dt == f16 else {}
    case(F, "NMSV2_" + tag, lambda b, s, m, t: raw.NonMaxSuppressionV2(boxes=b, scores=s, max_output_size=m,
                                                                        iou_threshold=t), [b, s, i(4), f(0.5)])
    case(F, "NMSV2_ties_" + tag, lambda b, s, m, t: raw.NonMaxSuppressionV2(
        boxes=b, scores=s, max_output_size=m, iou_threshold=t), [b, TIED.astype(dt), i(6), f(0.5)])
    case(F, "NMSV3_" + tag, lambda b, s, m, t, st: raw.NonMaxSuppressionV3(
        boxes=b, scores=s, max_output_size=m, iou_threshold=t, score_threshold=st), [b, s, i(6), f(0.3), f(0.55)])
    case(F, "NMSV3_row_" + tag, lambda b, s, m, t, st: raw.NonMaxSuppressionV3(
        boxes=b, scores=s, max_output_size=m, iou_threshold=t, score_threshold=st),
        [ROW.astype(dt), ROW_SCORES.astype(dt), i(12), f(0.2), f(0.1)])
    for pad in (False, True):
        case(F, "NMSV4_%s_%s" % ("pad" if pad else "nopad", tag), lambda b, s, m, t, st, pad=pad: raw.NonMaxSuppressionV4(
            boxes=b, scores=s, max_output_size=m, iou_threshold=t, score_threshold=st, pad_to_max_output_size=pad),
            [b, s, i(9), f(0.4), f(0.0)])
        case(F, "NMSV5_soft_%s_%s" % ("pad" if pad else "nopad", tag), lambda b, s, m, t, st, sg, pad=pad:
             raw.NonMaxSuppressionV5(boxes=b, scores=s, max_output_size=m, iou_threshold=t, score_threshold=st,
                                     soft_nms_sigma=sg, pad_to_max_output_size=pad),
             [b, s, i(8), f(0.5, dt), f(0.1, dt), f(0.5, dt)], **tol)
    case(F, "NMSV5_hard_" + tag, lambda b, s, m, t, st, sg: raw.NonMaxSuppressionV5(
        boxes=b, scores=s, max_output_size=m, iou_threshold=t, score_threshold=st, soft_nms_sigma=sg),
        [b, s, i(5), f(0.5, dt), f(0.0, dt), f(0.0, dt)], **tol)
    case(F, "NMSV5_soft_row_" + tag, lambda b, s, m, t, st, sg: raw.NonMaxSuppressionV5(
        boxes=b, scores=s, max_output_size=m, iou_threshold=t, score_threshold=st, soft_nms_sigma=sg),
        [ROW.astype(dt), ROW_SCORES.astype(dt), i(12), f(1.0, dt), f(0.05, dt), f(0.3, dt)], **tol)
case(F, "NMSV3_half_thresholds", lambda b, s, m, t, st: raw.NonMaxSuppressionV3(
    boxes=b, scores=s, max_output_size=m, iou_threshold=t, score_threshold=st),
    [BOXES, SCORES, i(6), f(0.3, f16), f(0.55, f16)])
case(F, "NMSV3_max_output_0", lambda b, s, m, t, st: raw.NonMaxSuppressionV3(
    boxes=b, scores=s, max_output_size=m, iou_threshold=t, score_threshold=st), [BOXES, SCORES, i(0), f(0.5), f(0.0)])
case(F, "NMSV3_empty", lambda b, s, m, t, st: raw.NonMaxSuppressionV3(
    boxes=b, scores=s, max_output_size=m, iou_threshold=t, score_threshold=st),
    [np.zeros((0, 4), f32), np.zeros((0,), f32), i(3), f(0.5), f(0.0)])
case(F, "NMSV3_all_below_threshold", lambda b, s, m, t, st: raw.NonMaxSuppressionV3(
    boxes=b, scores=s, max_output_size=m, iou_threshold=t, score_threshold=st), [BOXES, SCORES, i(6), f(0.5), f(0.95)])
case(F, "NMSV4_all_suppressed_pad", lambda b, s, m, t, st: raw.NonMaxSuppressionV4(
    boxes=b, scores=s, max_output_size=m, iou_threshold=t, score_threshold=st, pad_to_max_output_size=True),
    [np.tile(arr([[0, 0, 1, 1]], f32), (5, 1)), rand((5,), f32, 71, 0, 1), i(4), f(0.0), f(-1.0)])
case(F, "NMSV3_iou_0_disjoint", lambda b, s, m, t, st: raw.NonMaxSuppressionV3(
    boxes=b, scores=s, max_output_size=m, iou_threshold=t, score_threshold=st), [BOXES, SCORES, i(6), f(0.0), f(0.0)])
case(F, "NMSV3_zero_area", lambda b, s, m, t, st: raw.NonMaxSuppressionV3(
    boxes=b, scores=s, max_output_size=m, iou_threshold=t, score_threshold=st),
    [arr([[0, 0, 0, 1], [0, 0, 1, 1], [0, 0, 0, 1]], f32), arr([0.9, 0.8, 0.7], f32), i(3), f(0.1), f(0.0)])
case(F, "NMSV2_iou_negative", lambda b, s, m, t: raw.NonMaxSuppressionV2(
    boxes=b, scores=s, max_output_size=m, iou_threshold=t), [BOXES, SCORES, i(3), f(-0.1)])
case(F, "NMSV3_iou_above_1", lambda b, s, m, t, st: raw.NonMaxSuppressionV3(
    boxes=b, scores=s, max_output_size=m, iou_threshold=t, score_threshold=st), [BOXES, SCORES, i(3), f(1.01), f(0.0)])
case(F, "NMSV3_bad_boxes", lambda b, s, m, t, st: raw.NonMaxSuppressionV3(
    boxes=b, scores=s, max_output_size=m, iou_threshold=t, score_threshold=st),
    [BOXES[:, :3], SCORES, i(3), f(0.5), f(0.0)])
case(F, "NMSV3_bad_scores", lambda b, s, m, t, st: raw.NonMaxSuppressionV3(
    boxes=b, scores=s, max_output_size=m, iou_threshold=t, score_threshold=st), [BOXES, SCORES[:5], i(3), f(0.5), f(0.0)])
case(F, "NMSV3_negative_max_output", lambda b, s, m, t, st: raw.NonMaxSuppressionV3(
    boxes=b, scores=s, max_output_size=m, iou_threshold=t, score_threshold=st), [BOXES, SCORES, i(-1), f(0.5), f(0.0)])
case(F, "NMSV3_max_output_vector", lambda b, s, m, t, st: raw.NonMaxSuppressionV3(
    boxes=b, scores=s, max_output_size=m, iou_threshold=t, score_threshold=st), [BOXES, SCORES, i([3]), f(0.5), f(0.0)])
case(F, "NMSV5_negative_sigma", lambda b, s, m, t, st, sg: raw.NonMaxSuppressionV5(
    boxes=b, scores=s, max_output_size=m, iou_threshold=t, score_threshold=st, soft_nms_sigma=sg),
    [BOXES, SCORES, i(3), f(0.5), f(0.0), f(-0.5)])

OVERLAPS = rand((5, 5), f32, 72, 0, 1)
case(F, "NMSWithOverlaps", lambda o, s, m, t, st: raw.NonMaxSuppressionWithOverlaps(
    overlaps=o, scores=s, max_output_size=m, overlap_threshold=t, score_threshold=st),
    [OVERLAPS, rand((5,), f32, 73, 0, 1), i(5), f(0.5), f(0.1)])
case(F, "NMSWithOverlaps_threshold_above_1", lambda o, s, m, t, st: raw.NonMaxSuppressionWithOverlaps(
    overlaps=o, scores=s, max_output_size=m, overlap_threshold=t, score_threshold=st),
    [OVERLAPS * 3, rand((5,), f32, 74, 0, 1), i(5), f(1.5), f(-1.0)])
case(F, "NMSWithOverlaps_not_square", lambda o, s, m, t, st: raw.NonMaxSuppressionWithOverlaps(
    overlaps=o, scores=s, max_output_size=m, overlap_threshold=t, score_threshold=st),
    [OVERLAPS[:4], rand((5,), f32, 73, 0, 1), i(5), f(0.5), f(0.1)])

# ---- CombinedNonMaxSuppression -------------------------------------------


def combined(pad=False, clip=True):
    return lambda b, s, m, t, iou, st: raw.CombinedNonMaxSuppression(
        boxes=b, scores=s, max_output_size_per_class=m, max_total_size=t, iou_threshold=iou, score_threshold=st,
        pad_per_class=pad, clip_boxes=clip)


CB = rand((2, 6, 1, 4), f32, 75, -0.2, 1.2)
CB[:, :, :, 2:] = CB[:, :, :, :2] + rand((2, 6, 1, 2), f32, 76, -0.5, 0.5)
CS = rand((2, 6, 3), f32, 77, 0, 1)
case(F, "CombinedNMS", combined(), [CB, CS, i(3), i(5), f(0.5), f(0.2)])
case(F, "CombinedNMS_noclip", combined(clip=False), [CB, CS, i(3), i(5), f(0.5), f(0.2)])
case(F, "CombinedNMS_pad_per_class", combined(pad=True), [CB, CS, i(2), i(20), f(0.5), f(0.2)])
case(F, "CombinedNMS_total_large", combined(), [CB, CS, i(4), i(30), f(0.3), f(0.0)])
CBQ = rand((1, 5, 3, 4), f32, 78, 0, 1)
case(F, "CombinedNMS_q_per_class", combined(), [CBQ, rand((1, 5, 3), f32, 79, 0, 1), i(5), i(8), f(0.4), f(0.1)])
# Eight disjoint boxes, three classes, one score: 24 tied results.
GRID = arr([[[[0.1 * k, 0, 0.1 * k + 0.05, 0.05]] for k in range(8)]], f32)
case(F, "CombinedNMS_ties", combined(), [GRID, np.full((1, 8, 3), 0.5, f32), i(8), i(24), f(0.5), f(0.0)])
case(F, "CombinedNMS_ties_mixed", combined(), [GRID, np.round(rand((1, 8, 3), f32, 80, 0, 1) * 3) / 3, i(8), i(20),
                                             f(0.5), f(0.0)])
case(F, "CombinedNMS_no_boxes", combined(), [np.zeros((1, 0, 1, 4), f32), np.zeros((1, 0, 2), f32), i(3), i(4),
                                          f(0.5), f(0.0)])
case(F, "CombinedNMS_total_zero", combined(), [CB, CS, i(3), i(0), f(0.5), f(0.2)])
case(F, "CombinedNMS_per_class_zero", combined(), [CB, CS, i(0), i(3), f(0.5), f(0.2)])
case(F, "CombinedNMS_iou_out_of_range", combined(), [CB, CS, i(3), i(5), f(1.5), f(0.2)])
case(F, "CombinedNMS_bad_q", combined(), [rand((2, 6, 2, 4), f32, 81), CS, i(3), i(5), f(0.5), f(0.2)])
case(F, "CombinedNMS_batch_mismatch", combined(), [CB, CS[:1], i(3), i(5), f(0.5), f(0.2)])

# ---- colour ----------------------------------------------------------------
RGB = rand((2, 4, 3), f32, 82, 0, 1)
RGB[0, 0] = [0.5, 0.5, 0.5]  # grey: no hue
RGB[0, 1] = [0, 0, 0]
RGB[0, 2] = [1, 0.2, 1]  # two channels tie for the maximum
RGB[0, 3] = [0.3, 0.9, 0.9]
HSV = rand((3, 2, 3), f32, 83, 0, 1)
HSV[0, 0] = [0.999, 1, 1]
HSV[0, 1] = [0, 0, 0.5]
for dt, tag in ((f32, "f32"), (f64, "f64"), (f16, "f16"), (bf16, "bf16")):
    tol = HALF if dt == f16 else BF16 if dt == bf16 else {}
    case(F, "RGBToHSV_" + tag, lambda x: raw.RGBToHSV(images=x), [RGB.astype(dt)], **tol)
    case(F, "HSVToRGB_" + tag, lambda x: raw.HSVToRGB(images=x), [HSV.astype(dt)], **tol)
case(F, "RGBToHSV_bad_channels", lambda x: raw.RGBToHSV(images=x), [rand((2, 4), f32, 84)])
case(F, "RGBToHSV_empty", lambda x: raw.RGBToHSV(images=x), [np.zeros((0, 3), f32)])
IMG = rand((2, 3, 4, 3), f32, 85, 0, 1)
IMG[0, 0, 0] = [0.4, 0.4, 0.4]
for delta in (0.2, -0.7, 1.3):
    case(F, "AdjustHue_%g" % delta, lambda x, d: raw.AdjustHue(images=x, delta=d), [IMG, f(delta)])
for scale in (0.5, 2.0, 0.0):
    case(F, "AdjustSaturation_%g" % scale, lambda x, s: raw.AdjustSaturation(images=x, scale=s), [IMG, f(scale)])
case(F, "AdjustHue_rank3", lambda x, d: raw.AdjustHue(images=x, delta=d), [IMG[0], f(0.4)])
case(F, "AdjustHue_bad_channels", lambda x, d: raw.AdjustHue(images=x, delta=d), [IMG[..., :2], f(0.4)])
case(F, "AdjustSaturation_rank2", lambda x, s: raw.AdjustSaturation(images=x, scale=s), [IMG[0, 0], f(0.4)])
case(F, "AdjustContrastv2_f32", lambda x, c: raw.AdjustContrastv2(images=x, contrast_factor=c), [IMG, f(1.7)])
case(F, "AdjustContrastv2_rank5", lambda x, c: raw.AdjustContrastv2(images=x, contrast_factor=c),
     [rand((2, 2, 3, 2, 4), f32, 86), f(-0.5)])
case(F, "AdjustContrastv2_f16", lambda x, c: raw.AdjustContrastv2(images=x, contrast_factor=c),
     [IMG.astype(f16), f(0.6)], **HALF)
case(F, "AdjustContrastv2_rank2", lambda x, c: raw.AdjustContrastv2(images=x, contrast_factor=c), [IMG[0, 0], f(1.0)])

# ---- resizing ----------------------------------------------------------------
SRC = rand((2, 4, 5, 3), f32, 87, -1, 1)
MODES = (("plain", False, False), ("align", True, False), ("half", False, True))
for size, stag in (([7, 9], "up"), ([3, 2], "down"), ([1, 1], "one")):
    for tag, align, half in MODES:
        for op in ("ResizeBicubic", "ResizeBilinear", "ResizeNearestNeighbor"):
            case(F, "%s_%s_%s" % (op, tag, stag), lambda x, s, op=op, a=align, h=half: getattr(raw, op)(
                images=x, size=s, align_corners=a, half_pixel_centers=h), [SRC, C(i(size))], atol=1e-5)
    for align in (False, True):
        case(F, "ResizeArea_%s_%s" % ("align" if align else "plain", stag), lambda x, s, a=align: raw.ResizeArea(
            images=x, size=s, align_corners=a), [SRC, C(i(size))], atol=1e-5)
PIX = rand((1, 3, 4, 2), u8, 88, 0, 255)
for op in ("ResizeBicubic", "ResizeBilinear", "ResizeNearestNeighbor", "ResizeArea"):
    for dt in (u8, i32, f16, f64, bf16):
        tol = HALF if dt == f16 else BF16 if dt == bf16 else dict(atol=1e-4)
        case(F, "%s_%s" % (op, np.dtype(dt).name), lambda x, s, op=op: getattr(raw, op)(images=x, size=s),
             [PIX.astype(dt), C(i([5, 6]))], **tol)
    case(F, op + "_empty_batch", lambda x, s, op=op: getattr(raw, op)(images=x, size=s),
         [np.zeros((0, 3, 4, 2), f32), C(i([5, 6]))])
    case(F, op + "_empty_image", lambda x, s, op=op: getattr(raw, op)(images=x, size=s),
         [np.zeros((1, 0, 4, 2), f32), C(i([5, 6]))])
    case(F, op + "_zero_size", lambda x, s, op=op: getattr(raw, op)(images=x, size=s), [SRC, C(i([0, 6]))])
    case(F, op + "_rank3", lambda x, s, op=op: getattr(raw, op)(images=x, size=s), [SRC[0], C(i([5, 6]))])
for op in ("ResizeBicubic", "ResizeBilinear", "ResizeNearestNeighbor"):
    case(F, op + "_align_and_half", lambda x, s, op=op: getattr(raw, op)(
        images=x, size=s, align_corners=True, half_pixel_centers=True), [SRC, C(i([5, 6]))])

# ---- CropAndResize -------------------------------------------------------------
CROP_IMG = rand((2, 5, 6, 2), f32, 89, -1, 1)
CROP_BOXES = arr([[0, 0, 1, 1], [0.2, 0.1, 0.7, 0.9], [0.8, 0.9, 0.1, 0.2], [-0.3, -0.2, 1.2, 1.4],
                  [0.5, 0.5, 0.5, 0.5]], f32)
CROP_IND = i([0, 1, 1, 0, 1])
for method in ("bilinear", "nearest"):
    for size, stag in (([3, 4], "3x4"), ([1, 1], "1x1"), ([1, 5], "1x5")):
        case(F, "CropAndResize_%s_%s" % (method, stag), lambda x, b, n, s, m=method: raw.CropAndResize(
            image=x, boxes=b, box_ind=n, crop_size=s, method=m, extrapolation_value=-5.0),
            [CROP_IMG, CROP_BOXES, CROP_IND, C(i(size))])
    for dt in (u8, i32, f16, f64):  # TF has no CPU kernel for bfloat16
        case(F, "CropAndResize_%s_%s" % (method, np.dtype(dt).name), lambda x, b, n, s, m=method: raw.CropAndResize(
            image=x, boxes=b, box_ind=n, crop_size=s, method=m), [(CROP_IMG * 50 + 60).astype(dt), CROP_BOXES,
                                                                 CROP_IND, C(i([4, 3]))], atol=1e-4)
case(F, "CropAndResize_no_boxes", lambda x, b, n, s: raw.CropAndResize(image=x, boxes=b, box_ind=n, crop_size=s),
     [CROP_IMG, np.zeros((0, 4), f32), np.zeros((0,), i32), C(i([3, 3]))])
case(F, "CropAndResize_box_ind_out_of_range", lambda x, b, n, s: raw.CropAndResize(
    image=x, boxes=b, box_ind=n, crop_size=s), [CROP_IMG, CROP_BOXES, i([0, 1, 2, 0, 1]), C(i([3, 3]))])
case(F, "CropAndResize_nan_box", lambda x, b, n, s: raw.CropAndResize(image=x, boxes=b, box_ind=n, crop_size=s),
     [CROP_IMG, arr([[0, 0, np.nan, 1]], f32), i([0]), C(i([3, 3]))])
case(F, "CropAndResize_zero_crop", lambda x, b, n, s: raw.CropAndResize(image=x, boxes=b, box_ind=n, crop_size=s),
     [CROP_IMG, CROP_BOXES, CROP_IND, C(i([0, 3]))])
case(F, "CropAndResize_bad_boxes", lambda x, b, n, s: raw.CropAndResize(image=x, boxes=b, box_ind=n, crop_size=s),
     [CROP_IMG, CROP_BOXES[:, :3], CROP_IND, C(i([3, 3]))])
case(F, "CropAndResize_empty_image", lambda x, b, n, s: raw.CropAndResize(image=x, boxes=b, box_ind=n, crop_size=s),
     [np.zeros((2, 0, 6, 2), f32), CROP_BOXES, CROP_IND, C(i([3, 3]))])

# ---- more edges ------------------------------------------------------------------
# NaN and -inf scores never enter the queue; scores equal to the threshold
# are dropped (the comparison is strict).
ODD_SCORES = arr([np.nan, 0.75, -np.inf, 0.95, 0.5, 0.5], f32)
case(F, "NMSV2_nan_scores", lambda b, s, m, t: raw.NonMaxSuppressionV2(boxes=b, scores=s, max_output_size=m,
                                                                        iou_threshold=t), [BOXES, ODD_SCORES, i(6), f(0.5)])
case(F, "NMSV3_score_at_threshold", lambda b, s, m, t, st: raw.NonMaxSuppressionV3(
    boxes=b, scores=s, max_output_size=m, iou_threshold=t, score_threshold=st), [BOXES, ODD_SCORES, i(6), f(0.5), f(0.5)])
case(F, "NMSV5_soft_decays_below_threshold", lambda b, s, m, t, st, sg: raw.NonMaxSuppressionV5(
    boxes=b, scores=s, max_output_size=m, iou_threshold=t, score_threshold=st, soft_nms_sigma=sg,
    pad_to_max_output_size=True), [np.tile(arr([[0, 0, 1, 1]], f32), (4, 1)) + rand((4, 4), f32, 90, 0, 0.1),
                                   arr([0.9, 0.8, 0.7, 0.6], f32), i(6), f(0.5), f(0.45), f(0.2)])
case(F, "CombinedNMS_nan_and_threshold", combined(), [CB, np.where(CS > 0.8, np.nan, np.round(CS * 4) / 4).astype(f32),
                                                   i(3), i(6), f(0.5), f(0.25)])
WIDE = rand((1, 8, 7, 2), f32, 91, -1, 1)
for op in ("ResizeBicubic", "ResizeBilinear", "ResizeNearestNeighbor"):
    for tag, align, half in MODES:
        case(F, "%s_%s_8x7_to_3x5" % (op, tag), lambda x, s, op=op, a=align, h=half: getattr(raw, op)(
            images=x, size=s, align_corners=a, half_pixel_centers=h), [WIDE, C(i([3, 5]))], atol=1e-5)
        case(F, "%s_%s_8x7_to_17x11" % (op, tag), lambda x, s, op=op, a=align, h=half: getattr(raw, op)(
            images=x, size=s, align_corners=a, half_pixel_centers=h), [WIDE, C(i([17, 11]))], atol=1e-5)
for align in (False, True):
    case(F, "ResizeArea_%s_8x7_to_3x5" % ("align" if align else "plain"), lambda x, s, a=align: raw.ResizeArea(
        images=x, size=s, align_corners=a), [WIDE, C(i([3, 5]))], atol=1e-5)
for op in ("ResizeBicubic", "ResizeBilinear", "ResizeNearestNeighbor", "ResizeArea"):
    for dt in (np.int8, np.int16, np.uint16, np.int64):
        case(F, "%s_%s" % (op, np.dtype(dt).name), lambda x, s, op=op: getattr(raw, op)(images=x, size=s),
             [(PIX.astype(np.int64) - 100).astype(dt), C(i([4, 7]))], atol=1e-4)
for dt in (np.int8, np.int16, np.uint16, np.int64):
    case(F, "CropAndResize_%s" % np.dtype(dt).name, lambda x, b, n, s: raw.CropAndResize(
        image=x, boxes=b, box_ind=n, crop_size=s), [(CROP_IMG * 50).astype(dt), CROP_BOXES, CROP_IND, C(i([4, 3]))],
        atol=1e-4)
case(F, "HSVToRGB_out_of_range", lambda x: raw.HSVToRGB(images=x), [rand((4, 3), f32, 92, -0.5, 1.5)])
case(F, "RGBToHSV_out_of_range", lambda x: raw.RGBToHSV(images=x), [rand((4, 3), f32, 93, -0.5, 1.5)])
case(F, "AdjustSaturation_out_of_range", lambda x, s: raw.AdjustSaturation(images=x, scale=s),
     [rand((1, 2, 4, 3), f32, 94, -0.5, 1.5), f(1.5)])
case(F, "AdjustHue_out_of_range", lambda x, d: raw.AdjustHue(images=x, delta=d), [rand((1, 2, 4, 3), f32, 95, -0.5, 1.5),
                                                                                f(-0.3)])

# Many random boxes: long runs of the greedy loop, the soft-NMS queue and,
# for CombinedNonMaxSuppression, a sort of 160 slots with many equal scores.
def random_boxes(shape, seed):
    corner = rand(shape[:-1] + (2,), f32, seed, 0, 1)
    size = rand(shape[:-1] + (2,), f32, seed + 1, -0.3, 0.3)
    return np.concatenate([corner, corner + size], axis=-1).astype(f32)


MANY = random_boxes((40, 4), 96)
MANY_SCORES = rand((40,), f32, 98, 0, 1)
for dt, tag in ((f32, "f32"), (f16, "f16")):
    tol = HALF if dt == f16 else {}
    case(F, "NMSV5_soft_many_" + tag, lambda b, s, m, t, st, sg: raw.NonMaxSuppressionV5(
        boxes=b, scores=s, max_output_size=m, iou_threshold=t, score_threshold=st, soft_nms_sigma=sg),
        [MANY.astype(dt), MANY_SCORES.astype(dt), i(40), f(0.5, dt), f(0.2, dt), f(0.4, dt)], **tol)
    case(F, "NMSV4_many_" + tag, lambda b, s, m, t, st: raw.NonMaxSuppressionV4(
        boxes=b, scores=s, max_output_size=m, iou_threshold=t, score_threshold=st, pad_to_max_output_size=True),
        [MANY.astype(dt), (np.round(MANY_SCORES * 4) / 4).astype(dt), i(30), f(0.1), f(0.0)])
case(F, "CombinedNMS_many", combined(), [random_boxes((2, 20, 8, 4), 99), np.round(rand((2, 20, 8), f32, 101, 0, 1) * 4) / 4,
                                      i(20), i(100), f(0.6), f(0.2)])
case(F, "CombinedNMS_many_pad_noclip", combined(pad=True, clip=False),
     [random_boxes((2, 20, 1, 4), 102) * 1.5 - 0.2, np.round(rand((2, 20, 8), f32, 104, 0, 1) * 3) / 3, i(12), i(200),
      f(0.7), f(0.0)])
