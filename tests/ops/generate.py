"""Writes the op-conformance cases: one single-op GraphDef per case, run by
real TensorFlow, with its inputs and TensorFlow's outputs (or the error TF
raises) recorded in one cases.json per family.

    .venv-tf/bin/python tests/ops/generate.py            # every family
    .venv-tf/bin/python tests/ops/generate.py math nn     # some families

Each case feeds its inputs through Placeholders (or bakes them in as Const
nodes where TF requires a constant) and fetches the op's outputs by name.
tests/c/test_ops_conformance.c replays them through the public API.
Tensors are stored as base64 of their little-endian bytes (strings: a list of
base64 strings), so every value, NaN and infinity included, round-trips.
"""
import base64
import json
import os
import shutil
import sys

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# TF's own kernels, not oneDNN's rewrites: with oneDNN, TF 2.21's Conv2D on a
# batch of 0 returns the input's shape.
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
import tensorflow as tf  # noqa: E402

TF_VERSION = "2.21.0"
HERE = os.path.dirname(os.path.abspath(__file__))


def tensor_json(value):
    value = np.asarray(value)
    out = {"dtype": tf.as_dtype(value.dtype).name, "shape": list(value.shape)}
    if value.dtype.kind in "SUO":
        flat = [v if isinstance(v, bytes) else str(v).encode() for v in value.reshape(-1)]
        out["strings"] = [base64.b64encode(v).decode() for v in flat]
    else:
        out["data"] = base64.b64encode(np.ascontiguousarray(value).astype(value.dtype.newbyteorder("<")).tobytes()).decode()
    return out


def build(c, path):
    """Builds and runs one case; returns its manifest entry, or None when TF
    has no CPU kernel for it (nothing to compare with)."""
    try:
        return build_with(c, path, known_shapes=True)
    except (TypeError, NotImplementedError):
        return None  # the op's definition refuses these dtypes, or TF no longer builds the op
    except (ValueError, tf.errors.InvalidArgumentError):
        # TF's shape inference refuses the case when the graph is built:
        # feed unknown shapes so that the error comes from the kernel.
        return build_with(c, path, known_shapes=False)


def build_with(c, path, known_shapes):
    g = tf.Graph()
    feeds, feed_names, feed_values = {}, [], []
    with g.as_default():
        args = []
        for i, x in enumerate(c["inputs"]):
            if isinstance(x, C):
                args.append(tf.constant(x.value, name="c%d" % i))
            else:
                x = np.asarray(x)
                p = tf.compat.v1.placeholder(tf.as_dtype(x.dtype), shape=x.shape if known_shapes else None,
                                             name="x%d" % i)
                feeds[p] = x
                feed_names.append(p.name)
                feed_values.append(x)
                args.append(p)
        out = c["fn"](*args)
        outs = [t for t in tf.nest.flatten(out) if isinstance(t, tf.Tensor)]
        op = outs[0].op if outs else out
    entry = {
        "name": c["name"],
        "op": op.type,
        "graph": os.path.basename(path),
        "feeds": [dict(tensor_json(v), name=n) for n, v in zip(feed_names, feed_values)],
        "fetches": [t.name for t in outs],
    }
    if c["rtol"] is not None:
        entry["rtol"] = c["rtol"]
    if c["atol"] is not None:
        entry["atol"] = c["atol"]
    with tf.compat.v1.Session(graph=g) as s:
        try:
            got = s.run(outs, feeds)
            entry["expect"] = [tensor_json(v) for v in got]
        except tf.errors.OpError as e:
            if ("No OpKernel was registered" in e.message or "Could not find device" in e.message
                    or isinstance(e, tf.errors.UnimplementedError)):
                return None  # nothing to compare with (e.g. dilated depthwise needs oneDNN)
            entry["error"] = type(e).__name__
            lines = [l.strip() for l in e.message.split("\n")]
            lines = [l for l in lines if l and not l.startswith(("Graph execution error", "Detected at node", "File "))]
            entry["message"] = (lines[0] if lines else e.message)[:300]
    with open(path, "wb") as f:
        f.write(g.as_graph_def().SerializeToString())
    return entry


def write_family(family):
    d = os.path.join(HERE, family)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    entries, seen, skipped = [], set(), []
    for c in FAMILIES[family]:
        assert c["name"] not in seen, c["name"]
        seen.add(c["name"])
        entry = build(c, os.path.join(d, c["name"] + ".pb"))
        if entry is None:
            skipped.append(c["name"])
        else:
            entries.append(entry)
    with open(os.path.join(d, "cases.json"), "w") as f:
        json.dump({"family": family, "tensorflow_version": tf.__version__, "cases": entries}, f, indent=1,
                  sort_keys=True)
        f.write("\n")
    errors = sum("error" in e for e in entries)
    print("%s: %d cases (%d expect TF's error)" % (family, len(entries), errors))
    if skipped:
        print("  TF has no CPU kernel for: " + " ".join(skipped))


sys.path.insert(0, HERE)
from opcase import C, FAMILIES  # noqa: E402
import cases_array  # noqa: E402,F401  (each module registers its family's cases)
import cases_linalg  # noqa: E402,F401
import cases_math  # noqa: E402,F401
import cases_image  # noqa: E402,F401
import cases_nn  # noqa: E402,F401
import cases_random  # noqa: E402,F401
import cases_signal  # noqa: E402,F401
import cases_strings  # noqa: E402,F401


def main(argv):
    if tf.__version__ != TF_VERSION:
        sys.exit("generate.py: expected TensorFlow %s, found %s" % (TF_VERSION, tf.__version__))
    wanted = argv or sorted(FAMILIES)
    for family in wanted:
        if family not in FAMILIES:
            sys.exit("generate.py: no family %r (have %s)" % (family, ", ".join(sorted(FAMILIES))))
        write_family(family)


if __name__ == "__main__":
    main(sys.argv[1:])
