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
