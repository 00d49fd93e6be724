"""Elementwise arithmetic, comparisons, reductions and scans (core/kernels/math.c,
elementwise.c, reduce.c, array_scan.c)."""
import numpy as np

from opcase import C, arr, case, raw, rand, seq

F = "math"
FLOATS = (np.float32, np.float64, np.float16)
INTS = (np.int32, np.int64)


def short(dt):
    return np.dtype(dt).name


# Unary ops over inputs inside their domain, with the dtypes TF registers on CPU.
def domain(lo, hi):
    return lambda dt, seed: rand((2, 5), dt, seed, lo, hi)


UNARY = {
    "Abs": (FLOATS + INTS, domain(-3, 3)),
    "Neg": (FLOATS + INTS, domain(-3, 3)),
    "Sign": (FLOATS + INTS, domain(-3, 3)),
    "Square": (FLOATS + INTS, domain(-3, 3)),
    "Exp": (FLOATS, domain(-5, 5)),
    "Expm1": (FLOATS, domain(-2, 2)),
    "Log": (FLOATS, domain(0.01, 10)),
    "Log1p": (FLOATS, domain(-0.9, 5)),
    "Sqrt": (FLOATS, domain(0, 10)),
    "Rsqrt": (FLOATS, domain(0.1, 10)),
    "Reciprocal": (FLOATS, domain(0.2, 5)),
    "Inv": ((np.float32, np.float64), domain(0.2, 5)),
    "Tanh": (FLOATS, domain(-4, 4)),
    "Sigmoid": (FLOATS, domain(-8, 8)),
    "Sin": (FLOATS, domain(-6, 6)),
    "Cos": (FLOATS, domain(-6, 6)),
    "Tan": ((np.float32, np.float64), domain(-1.4, 1.4)),
    "Asin": ((np.float32, np.float64), domain(-0.99, 0.99)),
    "Acos": ((np.float32, np.float64), domain(-0.99, 0.99)),
    "Atan": ((np.float32, np.float64), domain(-5, 5)),
    "Sinh": ((np.float32, np.float64), domain(-3, 3)),
    "Cosh": ((np.float32, np.float64), domain(-3, 3)),
    "Asinh": ((np.float32, np.float64), domain(-5, 5)),
    "Acosh": ((np.float32, np.float64), domain(1, 6)),
    "Atanh": ((np.float32, np.float64), domain(-0.95, 0.95)),
    "Erf": ((np.float32, np.float64), domain(-3, 3)),
    "Erfc": ((np.float32, np.float64), domain(-3, 3)),
    "Lgamma": ((np.float32, np.float64), domain(0.1, 8)),
    "Floor": (FLOATS, domain(-5, 5)),
    "Ceil": (FLOATS, domain(-5, 5)),
    # TF's Round kernel zeroes integers; tf.round never emits it for them
    "Round": (FLOATS, lambda dt, s: arr([[-2.5, -1.5, -0.5, 0.5, 1.5], [2.5, 0.49, -0.51, 3.7, -3.2]], dt)),
    "Rint": ((np.float32, np.float64), lambda dt, s: arr([[-2.5, -1.5, -0.5, 0.5, 1.5], [2.5, 0.49, -0.51, 3.7, -3.2]], dt)),
    "Relu": (FLOATS + INTS, domain(-3, 3)),
    "Relu6": (FLOATS + INTS, domain(-3, 9)),
    "Elu": (FLOATS, domain(-4, 4)),
    "Selu": (FLOATS, domain(-4, 4)),
    "Softplus": (FLOATS, domain(-30, 30)),
    "Softsign": (FLOATS, domain(-5, 5)),
    "IsNan": (FLOATS, lambda dt, s: arr([[np.nan, 1, -np.inf], [np.inf, 0, -0.0]], dt)),
    "IsInf": (FLOATS, lambda dt, s: arr([[np.nan, 1, -np.inf], [np.inf, 0, -0.0]], dt)),
    "IsFinite": (FLOATS, lambda dt, s: arr([[np.nan, 1, -np.inf], [np.inf, 0, -0.0]], dt)),
}

ACTIVATIONS = {"Relu", "Relu6", "Elu", "Selu", "Softplus", "Softsign"}


def unary(op, x):
    return getattr(raw, op)(features=x) if op in ACTIVATIONS else getattr(raw, op)(x=x)


for op, (dtypes, make) in UNARY.items():
    for k, dt in enumerate(dtypes):
        tol = dict(rtol=2e-3, atol=1e-3) if dt == np.float16 else {}
        case(F, "%s_%s" % (op, short(dt)), lambda x, op=op: unary(op, x), [make(dt, k + 7)], **tol)
    # every unary op keeps an empty tensor empty
    case(F, "%s_empty" % op, lambda x, op=op: unary(op, x), [np.zeros((0, 3), dtypes[0])])

case(F, "LogicalNot", lambda x: raw.LogicalNot(x=x), [arr([True, False, True], bool)])
case(F, "LeakyRelu_alpha", lambda x: raw.LeakyRelu(features=x, alpha=0.3), [rand((3, 4), np.float32, 1)])
case(F, "ClipByValue_f32", lambda x, lo, hi: raw.ClipByValue(t=x, clip_value_min=lo, clip_value_max=hi),
     [rand((3, 4), np.float32, 2), arr(-0.5, np.float32), arr(0.7, np.float32)])
case(F, "ClipByValue_i32_broadcast", lambda x, lo, hi: raw.ClipByValue(t=x, clip_value_min=lo, clip_value_max=hi),
     [rand((2, 3), np.int32, 3, -9, 9), arr([-1, -2, -3], np.int32), arr([1, 2, 3], np.int32)])

# Binary ops: broadcasting shapes, dtypes, and TF's integer division edges.
BINARY = {
    "AddV2": FLOATS + INTS, "Add": FLOATS + INTS, "Sub": FLOATS + INTS, "Mul": FLOATS + INTS,
    "Div": FLOATS + INTS, "RealDiv": FLOATS, "Maximum": FLOATS + INTS, "Minimum": FLOATS + INTS,
    "SquaredDifference": FLOATS + INTS, "FloorDiv": FLOATS + INTS, "FloorMod": (np.float32, np.float64) + INTS,
    "TruncateMod": (np.float32, np.float64) + INTS, "Mod": (np.float32, np.float64) + INTS,
    "DivNoNan": (np.float32, np.float64), "Pow": (np.float32, np.float64) + INTS,
    "Atan2": (np.float32, np.float64), "Xdivy": (np.float32, np.float64), "Xlogy": (np.float32, np.float64),
    "Xlog1py": (np.float32, np.float64),
    "Equal": FLOATS + INTS, "NotEqual": FLOATS + INTS, "Less": FLOATS + INTS, "LessEqual": FLOATS + INTS,
    "Greater": FLOATS + INTS, "GreaterEqual": FLOATS + INTS,
}
SHAPES = {"same": ((2, 3), (2, 3)), "row": ((2, 3), (3,)), "outer": ((2, 1), (1, 3)), "scalar": ((), (2, 3)),
          "empty": ((0, 3), (3,))}
NONZERO = {"Div", "FloorDiv", "FloorMod", "TruncateMod", "Mod", "RealDiv"}

for op, dtypes in BINARY.items():
    for k, dt in enumerate(dtypes):
        for sname, (sa, sb) in SHAPES.items():
            if sname not in ("same", "row") and k > 0:
                continue  # shapes once, dtypes on the simple shapes
            a = rand(sa, dt, 11 + k, -6, 6)
            b = rand(sb, dt, 12 + k, -6, 6)
            if op in NONZERO or (op == "Pow" and np.dtype(dt).kind == "i"):
                b = np.where(b == 0, np.asarray(3, dt), b).astype(dt)
            if op == "Pow":
                a = np.abs(a).astype(dt) if np.dtype(dt).kind == "f" else a
                b = np.abs(b).astype(dt) % 4 if np.dtype(dt).kind == "i" else b
            if op == "Xlog1py":
                b = (np.abs(b) - 0.5).astype(dt)
            if op in ("Xlogy",):
                b = np.abs(b).astype(dt)
            tol = dict(rtol=2e-3, atol=1e-3) if dt == np.float16 else {}
            case(F, "%s_%s_%s" % (op, short(dt), sname), lambda x, y, op=op: getattr(raw, op)(x=x, y=y), [a, b], **tol)

INT_EDGES = (arr([7, -7, 7, -7, 0, -2147483648, 2147483647], np.int32),
             arr([2, 2, -2, -2, 5, 3, -1], np.int32))
for op in ("Div", "FloorDiv", "FloorMod", "TruncateMod", "Mod", "TruncateDiv"):
    case(F, "%s_int32_signs" % op, lambda x, y, op=op: getattr(raw, op)(x=x, y=y), list(INT_EDGES))
for op in ("Div", "FloorDiv", "FloorMod", "TruncateMod"):
    case(F, "%s_int32_by_zero" % op, lambda x, y, op=op: getattr(raw, op)(x=x, y=y),
         [arr([1, 2], np.int32), arr([1, 0], np.int32)])
case(F, "AddV2_int32_wraps", lambda x, y: raw.AddV2(x=x, y=y),
     [arr([2147483647, -2147483648], np.int32), arr([1, -1], np.int32)])
case(F, "Mul_int64_wraps", lambda x, y: raw.Mul(x=x, y=y),
     [arr([9223372036854775807, 3037000500], np.int64), arr([2, 3037000500], np.int64)])
case(F, "DivNoNan_zero", lambda x, y: raw.DivNoNan(x=x, y=y), [arr([1, -2, 0], np.float32), arr([0, 0, 0], np.float32)])
case(F, "Maximum_nan", lambda x, y: raw.Maximum(x=x, y=y), [arr([np.nan, 1, 2], np.float32), arr([0, np.nan, 3], np.float32)])
case(F, "Minimum_nan", lambda x, y: raw.Minimum(x=x, y=y), [arr([np.nan, 1, 2], np.float32), arr([0, np.nan, 3], np.float32)])
case(F, "Add_incompatible", lambda x, y: raw.AddV2(x=x, y=y), [seq((2, 3), np.float32), seq((2, 1), np.float32)])
for op in ("LogicalAnd", "LogicalOr"):
    case(F, op, lambda x, y, op=op: getattr(raw, op)(x=x, y=y),
         [arr([[True, False], [True, True]], bool), arr([True, False], bool)])
case(F, "AddN_f32", lambda a, b, c: raw.AddN(inputs=[a, b, c]), [rand((2, 3), np.float32, s) for s in (1, 2, 3)])
case(F, "AddN_i64_one", lambda a: raw.AddN(inputs=[a]), [rand((4,), np.int64, 4, -9, 9)])

# Reductions: every axis form, keep_dims, empty inputs (TF's identities).
REDUCE = {"Sum": FLOATS + INTS, "Prod": (np.float32, np.float64) + INTS, "Max": (np.float32, np.float64) + INTS,
          "Min": (np.float32, np.float64) + INTS, "Mean": (np.float32, np.float64) + INTS,
          "EuclideanNorm": (np.float32, np.float64)}
AXES = {"axis0": [0], "axis1": [1], "neg": [-1], "both": [0, 2], "all": [0, 1, 2], "none": []}
for op, dtypes in REDUCE.items():
    for k, dt in enumerate(dtypes):
        x = rand((2, 3, 4), dt, 21 + k, -3, 3)
        for aname, axes in AXES.items():
            if k > 0 and aname not in ("axis1", "all"):
                continue
            for keep in (False, True):
                if keep and aname not in ("neg", "both"):
                    continue
                tol = dict(rtol=2e-3, atol=1e-2) if dt == np.float16 else {}
                case(F, "%s_%s_%s%s" % (op, short(dt), aname, "_keep" if keep else ""),
                     lambda x, a, op=op, keep=keep: getattr(raw, op)(input=x, axis=a, keep_dims=keep),
                     [x, C(arr(axes, np.int32))], **tol)
    case(F, "%s_empty" % op, lambda x, a, op=op: getattr(raw, op)(input=x, axis=a, keep_dims=False),
         [np.zeros((0, 3), np.float32), C(arr([0], np.int32))])
    case(F, "%s_bad_axis" % op, lambda x, a, op=op: getattr(raw, op)(input=x, axis=a, keep_dims=False),
         [seq((2, 3), np.float32), arr([2], np.int32)])
for op in ("All", "Any"):
    x = arr([[True, False, True], [True, True, True]], bool)
    for aname, axes in (("axis1", [1]), ("all", [0, 1]), ("none", [])):
        case(F, "%s_%s" % (op, aname), lambda x, a, op=op: getattr(raw, op)(input=x, axis=a, keep_dims=False),
             [x, C(arr(axes, np.int32))])
    case(F, "%s_empty" % op, lambda x, a, op=op: getattr(raw, op)(input=x, axis=a),
         [np.zeros((0, 2), bool), C(arr([0], np.int32))])
for op in ("ArgMax", "ArgMin"):
    x = arr([[1, 5, 5, -2], [7, 7, 0, 7], [0, -1, -1, 3]], np.float32)
    for ax in (0, 1, -1):
        case(F, "%s_axis%d" % (op, ax), lambda x, a, op=op: getattr(raw, op)(input=x, dimension=a),
             [x, C(arr(ax, np.int32))])
    case(F, "%s_int32_out" % op, lambda x, a, op=op: getattr(raw, op)(input=x, dimension=a, output_type="int32"),
         [rand((3, 4), np.int64, 5, -9, 9), C(arr(1, np.int32))])
    case(F, "%s_nan" % op, lambda x, a, op=op: getattr(raw, op)(input=x, dimension=a),
         [arr([1, np.nan, 3], np.float32), C(arr(0, np.int32))])
case(F, "L2Loss", lambda x: raw.L2Loss(t=x), [rand((3, 4), np.float32, 6)])

for op in ("Cumsum", "Cumprod"):
    x = rand((2, 4), np.float32, 31, -2, 2)
    for exclusive in (False, True):
        for reverse in (False, True):
            case(F, "%s_%s%s" % (op, "excl" if exclusive else "incl", "_rev" if reverse else ""),
                 lambda x, a, op=op, e=exclusive, r=reverse: getattr(raw, op)(x=x, axis=a, exclusive=e, reverse=r),
                 [x, C(arr(1, np.int32))])
    case(F, "%s_int64_axis0" % op, lambda x, a, op=op: getattr(raw, op)(x=x, axis=a),
         [rand((3, 2), np.int64, 32, -5, 5), C(arr(-2, np.int32))])

# Bitwise ops (core/kernels/bitwise.c): every integer width, signed and not,
# shifts past the width and by negative amounts.
BITS = (np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64)
for dt in BITS:
    info = np.iinfo(dt)
    x = arr([0, 1, info.max, info.min, 5, info.max // 3], dt)
    y = arr([3, info.max, 1, 2, 7, 0], dt)
    for op in ("BitwiseAnd", "BitwiseOr", "BitwiseXor"):
        case(F, "%s_%s" % (op, short(dt)), lambda a, b, op=op: getattr(raw, op)(x=a, y=b), [x, y])
    bits = info.bits
    amounts = [0, 1, bits - 1, bits, bits + 5, 3] if info.min == 0 else [0, 1, bits - 1, bits, -1, 3]
    s = arr(amounts, dt)
    z = arr([1, -1 if info.min else info.max, info.min if info.min else 3, 5, info.max, info.min if info.min else 6], dt)
    for op in ("LeftShift", "RightShift"):
        case(F, "%s_%s" % (op, short(dt)), lambda a, b, op=op: getattr(raw, op)(x=a, y=b), [z, s])
    case(F, "Invert_%s" % short(dt), lambda a: raw.Invert(x=a), [x])
    case(F, "PopulationCount_%s" % short(dt), lambda a: raw.PopulationCount(x=a), [x])
case(F, "BitwiseAnd_broadcast", lambda a, b: raw.BitwiseAnd(x=a, y=b), [seq((2, 3), np.int32), arr([1, 2, 3], np.int32)])
case(F, "LeftShift_empty", lambda a, b: raw.LeftShift(x=a, y=b), [np.zeros((0, 3), np.int32), arr([1, 2, 3], np.int32)])
