#!/usr/bin/env python3
"""Record what TensorFlow returns for every fixture model fed zero-sized inputs.

Usage:
    .venv-tf/bin/python tests/zero_size/generate.py [CASE ...]   # no CASE: every case

For each case in tests/fixtures that has recorded calls with inputs, the
first call of each signature (or each feed/fetch set) is replayed twice with
its inputs cut to nothing: once with the batch dimension (dim 0) at 0, and
once with every other dimension the model leaves open (sequence lengths,
image sizes) at 0 and the batch kept. A dimension the model fixes is never
changed. TensorFlow's outputs, or the error it gives, are written to
tests/zero_size/<case>/ (manifest.json in the format of tests/fixtures, with
the model read from tests/fixtures/<case>); test_run_fixtures replays them
(`test_run_fixtures zero_size`).
"""

import base64
import json
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(os.path.dirname(HERE), "fixtures")

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# TensorFlow's own kernels: with oneDNN, Conv2D of a batch of 0 returns the
# input's shape instead of the output's (TF 2.21), a oneDNN-only bug.
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402


def read_tensor(case_dir, rel):
    path = os.path.join(case_dir, rel)
    if rel.endswith(".json"):
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        flat = [base64.b64decode(s) for s in doc["b64"]]
        return np.array(flat, dtype=object).reshape(doc["shape"])
    return np.load(path, allow_pickle=False)


def write_tensor(out_dir, rel_stem, value):
    """Writes value as .npy (or .json for strings); returns the relative path."""
    arr = value.numpy() if isinstance(value, tf.Tensor) else np.asarray(value)
    os.makedirs(os.path.dirname(os.path.join(out_dir, rel_stem)), exist_ok=True)
    if arr.dtype == object or arr.dtype.kind in ("S", "U"):
        flat = [x if isinstance(x, bytes) else str(x).encode("utf-8") for x in arr.reshape(-1)]
        rel = rel_stem + ".json"
        with open(os.path.join(out_dir, rel), "w", encoding="utf-8") as f:
            json.dump({"dtype": "string", "shape": list(arr.shape),
                       "b64": [base64.b64encode(x).decode("ascii") for x in flat]}, f, indent=2, sort_keys=True)
        return rel
    rel = rel_stem + ".npy"
    np.save(os.path.join(out_dir, rel), arr)
    return rel


def error_name(e):
    names = {v: k for k, v in vars(tf.errors).items() if k.isupper() and isinstance(v, int)}
    return names.get(e.error_code, str(e.error_code))


def first_cause(e):
    """The line of an error that says what went wrong (not where)."""
    lines = [ln.strip() for ln in str(getattr(e, "message", e)).split("\n")]
    skip = ("Graph execution error", "Detected at", "<stack", "[[")
    lines = [ln for ln in lines if ln and not ln.startswith(skip)]
    return (lines[0] if lines else "")[:200]


def cut(arr, shape, variant):
    """arr with its open dims cut to 0 for `variant`, or None when it has none to cut.
    shape: the declared shape (-1 = open), or None for unknown rank."""
    if arr.ndim == 0:
        return None
    if shape is None:
        shape = [-1] * arr.ndim
    index = [slice(None)] * arr.ndim
    if variant == "batch0":
        if shape[0] != -1:
            return None
        index[0] = slice(0, 0)
    else:
        open_dims = [d for d in range(1, arr.ndim) if shape[d] == -1]
        if not open_dims:
            return None
        for d in open_dims:
            index[d] = slice(0, 0)
    return arr[tuple(index)]


def templates(manifest):
    """The first call without an error of each signature / feed set, with inputs."""
    seen, out = set(), []
    for call in manifest.get("calls", []):
        ins = call.get("inputs") if "signature" in call else call.get("feeds")
        if not ins or call.get("error") or call.get("asset_feeds") or call.get("restore_map"):
            continue
        key = call.get("signature") or (tuple(sorted(ins)), tuple(sorted(call["fetches"])),
                                        tuple(call.get("targets", [])))
        if key not in seen:
            seen.add(key)
            out.append(call)
    return out


class Runner:
    """Runs calls on one loaded model, in order, the way Ferry's test does."""

    def __init__(self, case_dir, manifest):
        self.m = manifest
        self.case_dir = case_dir
        path = os.path.join(case_dir, manifest["path"])
        kind = manifest["kind"]
        self.tf2 = None
        self.sess = None
        if kind == "saved_model" and "__saved_model_init_op" in manifest["tf_view"]["signatures"]:
            self.tf2 = tf.saved_model.load(path)
            return
        tf.compat.v1.disable_eager_execution()
        self.graph = tf.Graph()
        config = tf.compat.v1.ConfigProto(intra_op_parallelism_threads=1, inter_op_parallelism_threads=1)
        with self.graph.as_default():
            self.sess = tf.compat.v1.Session(graph=self.graph, config=config)
            if kind == "saved_model":
                mg = tf.compat.v1.saved_model.loader.load(self.sess, manifest["tags"], path)
                self.sigs = mg.signature_def
            elif kind == "frozen_graph":
                gd = tf.compat.v1.GraphDef()
                with open(path, "rb") as f:
                    gd.ParseFromString(f.read())
                tf.graph_util.import_graph_def(gd, name="")
            else:
                saver = tf.compat.v1.train.import_meta_graph(path)
                if manifest.get("checkpoint"):
                    saver.restore(self.sess, os.path.join(case_dir, manifest["checkpoint"]))

    def declared(self, call, name):
        if "signature" in call:
            info = self.m["tf_view"]["signatures"][call["signature"]]["inputs"][name]
            return info["shape"]
        shape = self.graph.get_tensor_by_name(name).shape
        return None if shape.rank is None else [-1 if d is None else d for d in shape.as_list()]

    def run(self, call, inputs):
        if self.tf2 is not None:
            fn = self.tf2.signatures[call["signature"]]
            return {k: v.numpy() for k, v in fn(**{k: tf.constant(v) for k, v in inputs.items()}).items()}
        g = self.graph
        if "signature" in call:
            sig = self.sigs[call["signature"]]
            feed = {g.get_tensor_by_name(sig.inputs[k].name): v for k, v in inputs.items()}
            fetch = {k: g.get_tensor_by_name(t.name) for k, t in sig.outputs.items()}
            return self.sess.run(fetch, feed_dict=feed)
        feed = {g.get_tensor_by_name(k): v for k, v in inputs.items()}
        fetch = {k: g.get_tensor_by_name(k) for k in call["fetches"]}
        ops = [g.get_operation_by_name(t) for t in call.get("targets", [])]
        return self.sess.run([fetch, ops], feed_dict=feed)[0]


def generate(name):
    case_dir = os.path.join(FIXTURES, name)
    with open(os.path.join(case_dir, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    calls = templates(manifest)
    if manifest["kind"] not in ("saved_model", "meta_graph", "frozen_graph") or not calls:
        return None
    runner = Runner(case_dir, manifest)
    out_dir = os.path.join(HERE, name)
    shutil.rmtree(out_dir, ignore_errors=True)
    recorded = []
    for template in calls:
        signature = template.get("signature")
        ins = template["inputs"] if signature else template["feeds"]
        for variant in ("batch0", "open0"):
            inputs, changed = {}, False
            for k, rel in ins.items():
                arr = read_tensor(case_dir, rel)
                small = cut(arr, runner.declared(template, k), variant)
                changed |= small is not None
                inputs[k] = arr if small is None else small
            if not changed:
                continue
            d = "calls/%d" % len(recorded)
            call = {"note": "%s of the first %s call" % (variant, signature or "session")}
            try:
                outs = runner.run(template, inputs)
                error = None
            except (tf.errors.OpError, ValueError, TypeError) as e:
                e_msg = e
                outs, error = None, error_name(e) if isinstance(e, tf.errors.OpError) else type(e).__name__
            stems = {k: d + "/" + k.replace("/", "__").replace(":", "_") for k in inputs}
            in_map = {k: write_tensor(out_dir, stems[k], v) for k, v in sorted(inputs.items())}
            out_names = list(template["outputs"] if signature else template["fetches"])
            if error:
                call["error"] = error
                call["note"] += "; TensorFlow: " + first_cause(e_msg)
                out_map = {k: None for k in out_names}
            else:
                out_map = {k: write_tensor(out_dir, d + "/out_" + k.replace("/", "__").replace(":", "_"), outs[k])
                           for k in sorted(out_names)}
            if signature:
                call.update(signature=signature, inputs=in_map, outputs=out_map)
            else:
                call.update(feeds=in_map, fetches=out_map, targets=template.get("targets", []))
            recorded.append(call)
    if not recorded:
        return None
    doc = {key: manifest[key] for key in ("kind", "path", "tags", "checkpoint", "tolerance") if key in manifest}
    doc.update(case=name, calls=recorded, tensorflow_version=tf.__version__,
               description="zero-sized inputs for tests/fixtures/%s, with TensorFlow's results" % name)
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=2, sort_keys=True)
        f.write("\n")
    return recorded


def main(argv):
    if argv and argv[0] == "--one":
        recorded = generate(argv[1])
        for c in recorded or []:
            print("  %-8s %s" % (c.get("error", "ok"), c["note"]))
        return 0
    with open(os.path.join(FIXTURES, "index.json"), encoding="utf-8") as f:
        names = argv or sorted(json.load(f)["cases"])
    failed = 0
    for n in names:
        # One process per case: TF1 graph mode must not leak into TF2 cases.
        rc = os.spawnv(os.P_WAIT, sys.executable, [sys.executable, os.path.abspath(__file__), "--one", n])
        print("%s %s" % ("ok    " if rc == 0 else "FAILED", n), flush=True)
        failed += rc != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
