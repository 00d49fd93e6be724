"""What the case modules share: how a case is declared, and input makers."""
import numpy as np
import tensorflow as tf

raw = tf.raw_ops


class C:
    """An input baked into the graph as a Const node."""

    def __init__(self, value):
        self.value = np.asarray(value)


def arr(values, dtype):
    return np.asarray(values, dtype=dtype)


def seq(shape, dtype, start=0, scale=1.0):
    n = int(np.prod(shape)) if shape else 1
    v = (np.arange(n) * scale + start).reshape(shape)
    return v.astype(dtype)


def rand(shape, dtype, seed, lo=-2.0, hi=2.0):
    r = np.random.RandomState(seed)
    if np.dtype(dtype).kind in "iu":
        return r.randint(int(lo), int(hi) + 1, size=shape).astype(dtype)
    if np.dtype(dtype).kind == "b":
        return r.rand(*shape) > 0.5
    return r.uniform(lo, hi, size=shape).astype(dtype)


FAMILIES = {}


def case(family, name, fn, inputs, rtol=None, atol=None):
    FAMILIES.setdefault(family, []).append(dict(name=name, fn=fn, inputs=inputs, rtol=rtol, atol=atol))
