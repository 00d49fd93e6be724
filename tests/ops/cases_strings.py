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
