"""Stateless random ops (core/kernels/stateless_random.c, philox.c): TF's bits
for the same seed, every dtype, shapes that end inside one generator call."""
import numpy as np

from opcase import C, arr, case, raw

F = "random"
SEEDS = (arr([1, 2], np.int64), arr([-7, 123456789], np.int32), arr([2**40 + 3, -(2**35)], np.int64))

for k, seed in enumerate(SEEDS):
    for dt in ("float32", "float64", "float16", "bfloat16"):
        case(F, "StatelessRandomUniform_%s_%d" % (dt, k), lambda s, sd, dt=dt: raw.StatelessRandomUniform(
            shape=s, seed=sd, dtype=dt), [C(arr([3, 5], np.int32)), seed])
        case(F, "StatelessRandomNormal_%s_%d" % (dt, k), lambda s, sd, dt=dt: raw.StatelessRandomNormal(
            shape=s, seed=sd, dtype=dt), [C(arr([7], np.int32)), seed], rtol=1e-5, atol=1e-6)
    for dt, lo, hi in (("int32", -5, 17), ("int64", -(2**40), 2**41 + 7)):
        case(F, "StatelessRandomUniformInt_%s_%d" % (dt, k), lambda s, sd, a, b: raw.StatelessRandomUniformInt(
            shape=s, seed=sd, minval=a, maxval=b), [C(arr([9], np.int32)), seed, arr(lo, dt), arr(hi, dt)])
    for dt in ("int32", "int64", "uint32", "uint64"):
        case(F, "StatelessRandomUniformFullInt_%s_%d" % (dt, k), lambda s, sd, dt=dt: raw.StatelessRandomUniformFullInt(
            shape=s, seed=sd, dtype=dt), [C(arr([5], np.int32)), seed])
    case(F, "StatelessRandomGetKeyCounter_%d" % k, lambda sd: raw.StatelessRandomGetKeyCounter(seed=sd), [seed])

case(F, "StatelessRandomGetKeyCounterAlg", lambda sd: raw.StatelessRandomGetKeyCounterAlg(seed=sd), [SEEDS[0]])
case(F, "StatelessRandomGetAlg", lambda: raw.StatelessRandomGetAlg(), [])


def v2(op, **kw):
    def build(s, sd):
        key, counter = raw.StatelessRandomGetKeyCounter(seed=sd)
        return getattr(raw, op)(shape=s, key=key, counter=counter, alg=1, **kw)
    return build


for dt in ("float32", "float64"):
    case(F, "StatelessRandomUniformV2_" + dt, v2("StatelessRandomUniformV2", dtype=dt), [C(arr([2, 3], np.int32)), SEEDS[1]])
    case(F, "StatelessRandomNormalV2_" + dt, v2("StatelessRandomNormalV2", dtype=dt), [C(arr([6], np.int32)), SEEDS[1]])
case(F, "StatelessRandomUniformFullIntV2", v2("StatelessRandomUniformFullIntV2", dtype="int64"),
     [C(arr([3], np.int32)), SEEDS[2]])


def uniform_int_v2(s, sd, a, b):
    key, counter = raw.StatelessRandomGetKeyCounter(seed=sd)
    return raw.StatelessRandomUniformIntV2(shape=s, key=key, counter=counter, alg=1, minval=a, maxval=b)


case(F, "StatelessRandomUniformIntV2", uniform_int_v2, [C(arr([10], np.int32)), SEEDS[0], arr(0, np.int32), arr(10, np.int32)])
case(F, "StatelessRandomUniformInt_bad_range", lambda s, sd, a, b: raw.StatelessRandomUniformInt(
    shape=s, seed=sd, minval=a, maxval=b), [C(arr([2], np.int32)), SEEDS[0], arr(3, np.int32), arr(3, np.int32)])
case(F, "StatelessRandomUniform_empty", lambda s, sd: raw.StatelessRandomUniform(shape=s, seed=sd),
     [C(arr([0, 4], np.int32)), SEEDS[0]])
