"""String ops (core/kernels/strings.c)."""
import numpy as np

from opcase import C, arr, case, raw

F = "strings"
WORDS = arr([b"Hello", b"", "Gr\u00fc\u00dfe \u00c9T\u00c9".encode(), b"MiXeD 42", "\u65e5\u672c".encode()], object)

case(F, "StringLength_bytes", lambda s: raw.StringLength(input=s), [WORDS])
case(F, "StringLength_utf8", lambda s: raw.StringLength(input=s, unit="UTF8_CHAR"), [WORDS])
case(F, "StringLower", lambda s: raw.StringLower(input=s), [WORDS])
case(F, "StringUpper", lambda s: raw.StringUpper(input=s), [WORDS])
case(F, "StringLower_utf8", lambda s: raw.StringLower(input=s, encoding="utf-8"), [WORDS])
case(F, "StringUpper_utf8", lambda s: raw.StringUpper(input=s, encoding="utf-8"), [WORDS])
case(F, "StringJoin_broadcast", lambda a, b: raw.StringJoin(inputs=[a, b], separator="-"),
     [arr([[b"a", b"b"], [b"c", b""]], object), arr(b"z", object)])
case(F, "StringJoin_empty_separator", lambda a, b: raw.StringJoin(inputs=[a, b]),
     [arr([b"x", b"y"], object), arr([b"1", b"2"], object)])
case(F, "StringToHashBucketFast", lambda s: raw.StringToHashBucketFast(input=s, num_buckets=1000), [WORDS])
case(F, "StringToHashBucketFast_one", lambda s: raw.StringToHashBucketFast(input=s, num_buckets=1), [WORDS])
case(F, "StringLength_empty", lambda s: raw.StringLength(input=s), [np.zeros((0,), object)])

# Splitting and n-grams (core/kernels/string_split.c).
LINES = arr([b"hello world  foo", b"", b"  lead and trail  ", b"a,b,,c", b"one"], object)
for delim in (b" ", b",", b" ,", b""):
    for skip in (True, False):
        case(F, "StringSplit_%s_%s" % (delim.hex() or "empty", "skip" if skip else "keep"),
             lambda s, d, k=skip: raw.StringSplit(input=s, delimiter=d, skip_empty=k), [LINES, arr(delim, object)])
for sep in (b"", b" ", b",", b"  "):
    for maxsplit in (-1, 1):
        case(F, "StringSplitV2_%s_%d" % (sep.hex() or "ws", maxsplit),
             lambda s, d, m=maxsplit: raw.StringSplitV2(input=s, sep=d, maxsplit=m), [LINES, arr(sep, object)])
TOK = arr([b"a", b"b", b"c", b"d", b"e", b"f"], object)
for name, kw in [("bigrams", dict(ngram_widths=[2], left_pad=b"", right_pad=b"", pad_width=0)),
                 ("uni_tri", dict(ngram_widths=[1, 3], left_pad=b"", right_pad=b"", pad_width=0)),
                 ("padded", dict(ngram_widths=[3], left_pad=b"<", right_pad=b">", pad_width=-1)),
                 ("pad1", dict(ngram_widths=[2, 3], left_pad=b"L", right_pad=b"R", pad_width=1)),
                 ("preserve", dict(ngram_widths=[4], left_pad=b"", right_pad=b"", pad_width=0,
                                   preserve_short_sequences=True)),
                 ("preserve_pad", dict(ngram_widths=[5], left_pad=b"<", right_pad=b">", pad_width=1,
                                       preserve_short_sequences=True))]:
    case(F, "StringNGrams_" + name, lambda d, s, kw=kw: raw.StringNGrams(
        data=d, data_splits=s, separator=b"_", **{k: v for k, v in kw.items() if k != "preserve_short_sequences"},
        preserve_short_sequences=kw.get("preserve_short_sequences", False)), [TOK, arr([0, 3, 3, 4, 6], np.int64)])
case(F, "StringNGrams_bad_splits", lambda d, s: raw.StringNGrams(
    data=d, data_splits=s, separator=b" ", ngram_widths=[2], left_pad=b"", right_pad=b"", pad_width=0,
    preserve_short_sequences=False), [TOK, arr([0, 7], np.int32)])

# Conversions (core/kernels/string_convert.c).
NUMS = arr([b"3.5", b" -2 ", b"1e3", b"+7", b"0", b"-0.125", b"inf", b"-inf"], object)
for dt in ("float32", "float64"):
    case(F, "StringToNumber_" + dt, lambda s, dt=dt: raw.StringToNumber(string_tensor=s, out_type=dt), [NUMS])
for dt in ("int32", "int64"):
    case(F, "StringToNumber_" + dt, lambda s, dt=dt: raw.StringToNumber(string_tensor=s, out_type=dt),
         [arr([b"12", b" -7", b"+3 ", b"0", b"2147483647"], object)])
for bad in (b"abc", b"1.5", b"0x10", b"", b"99999999999"):
    case(F, "StringToNumber_int32_bad_%s" % (bad.hex() or "empty"), lambda s: raw.StringToNumber(
        string_tensor=s, out_type="int32"), [arr([bad], object)])
case(F, "StringToNumber_float_bad", lambda s: raw.StringToNumber(string_tensor=s), [arr([b"1.5x"], object)])
REALS = arr([3.14159, -0.5, 1234567.0, 1e-7, 0.0], np.float32)
for name, kw in [("plain", {}), ("precision2", dict(precision=2)), ("scientific", dict(scientific=True)),
                 ("shortest", dict(shortest=True)), ("width_fill", dict(width=12, fill="0")),
                 ("width", dict(width=10)), ("sci_prec", dict(scientific=True, precision=3))]:
    case(F, "AsString_f32_" + name, lambda x, kw=kw: raw.AsString(input=x, **kw), [REALS])
case(F, "AsString_f64_shortest", lambda x: raw.AsString(input=x, shortest=True), [arr([0.1, 1 / 3, 1e300], np.float64)])
case(F, "AsString_int32_width", lambda x: raw.AsString(input=x, width=5), [arr([7, -42, 123456], np.int32)])
case(F, "AsString_int64_fill", lambda x: raw.AsString(input=x, width=6, fill="0"), [arr([7, -42, 2**40], np.int64)])
case(F, "AsString_bool", lambda x: raw.AsString(input=x), [arr([True, False], bool)])
case(F, "AsString_int_precision_bad", lambda x: raw.AsString(input=x, precision=2), [arr([1], np.int32)])
BIN = arr([b"", b"f", b"fo", b"foo", b"\xff\xfe\x00 binary?>", "\u00e9t\u00e9".encode()], object)
for pad in (False, True):
    case(F, "EncodeBase64_%s" % ("pad" if pad else "nopad"), lambda x, p=pad: raw.EncodeBase64(input=x, pad=p), [BIN])
case(F, "DecodeBase64", lambda x: raw.DecodeBase64(input=x), [arr([b"", b"Zg", b"Zm8=", b"Zm9v", b"__4A", b"aGk-"], object)])
case(F, "DecodeBase64_bad", lambda x: raw.DecodeBase64(input=x), [arr([b"a*b"], object)])

# Cutting and joining (core/kernels/string_edit.c).
TEXT = arr([b"Hello", "h\u00e9llo w\u00f6rld".encode(), b"", "\u65e5\u672c\u8a9e".encode()], object)
case(F, "Substr_bytes", lambda s, p, l: raw.Substr(input=s, pos=p, len=l), [TEXT[:1], arr(1, np.int32), arr(3, np.int32)])
case(F, "Substr_utf8", lambda s, p, l: raw.Substr(input=s, pos=p, len=l, unit="UTF8_CHAR"),
     [TEXT[1:2], arr(1, np.int32), arr(4, np.int32)])
case(F, "Substr_negative_pos", lambda s, p, l: raw.Substr(input=s, pos=p, len=l), [TEXT[:1], arr(-3, np.int64), arr(10, np.int64)])
case(F, "Substr_vector_pos", lambda s, p, l: raw.Substr(input=s, pos=p, len=l, unit="UTF8_CHAR"),
     [TEXT[[0, 1, 3]], arr([0, 2, 1], np.int32), arr([2, 3, 5], np.int32)])
case(F, "Substr_broadcast", lambda s, p, l: raw.Substr(input=s, pos=p, len=l),
     [arr([b"abcdef"], object), arr([[0], [2]], np.int32), arr([[1], [3]], np.int32)])
case(F, "Substr_out_of_range", lambda s, p, l: raw.Substr(input=s, pos=p, len=l), [TEXT[:1], arr(6, np.int32), arr(1, np.int32)])
case(F, "StringStrip", lambda s: raw.StringStrip(input=s), [arr([b"  a b  ", b"\t\nx\r", b"", b"   "], object)])
GRID = arr([[b"a", b"b", b"c"], [b"d", b"e", b"f"]], object)
for name, axes, keep in (("axis0", [0], False), ("axis1", [1], False), ("neg_keep", [-1], True), ("all", [0, 1], False),
                         ("none", [], False)):
    case(F, "ReduceJoin_" + name, lambda s, a, k=keep: raw.ReduceJoin(inputs=s, reduction_indices=a, keep_dims=k,
                                                                    separator=b"|"), [GRID, C(arr(axes, np.int32))])
case(F, "ReduceJoin_bad_axis", lambda s, a: raw.ReduceJoin(inputs=s, reduction_indices=a), [GRID, arr([2], np.int32)])
case(F, "UnsortedSegmentJoin", lambda s, i, n: raw.UnsortedSegmentJoin(inputs=s, segment_ids=i, num_segments=n,
                                                                       separator=b","),
     [arr([b"x", b"y", b"z", b"w"], object), arr([1, 0, 1, -1], np.int32), arr(3, np.int32)])
case(F, "UnsortedSegmentJoin_2d", lambda s, i, n: raw.UnsortedSegmentJoin(inputs=s, segment_ids=i, num_segments=n),
     [GRID, arr([0, 0], np.int32), arr(1, np.int32)])
