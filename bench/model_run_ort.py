"""ONNX Runtime's side of bench_model_run: the model converted by tf2onnx,
same inputs, same measures.

    python bench/model_run_ort.py MODEL.onnx [CALLS]

first_result_ms counts from before `import onnxruntime`; load_first_ms from
creating the session. The model's one input is fed the same pattern as the
other drivers. Prints one JSON line. Convert first with bench/to_onnx.sh.
"""
import time

t_start = time.perf_counter()
import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402

import numpy as np  # noqa: E402
import onnxruntime as ort  # noqa: E402

DTYPES = {"tensor(float)": np.float32, "tensor(int32)": np.int32, "tensor(int64)": np.int64}


def make_batch(session, batch):
    feeds = {}
    for spec in session.get_inputs():
        shape = [d if isinstance(d, int) else batch for d in spec.shape]
        n = int(np.prod(shape))
        k = np.arange(n, dtype=np.int64)
        dtype = DTYPES[spec.type]
        if dtype == np.float32:
            v = ((k * 7919) % 1000).astype(np.float32) / np.float32(1000) - np.float32(0.5)
        else:
            v = (k % 100).astype(dtype)
        feeds[spec.name] = v.reshape(shape)
    return feeds


def main():
    path = sys.argv[1]
    calls = max(10, int(sys.argv[2]) if len(sys.argv) > 2 else 1000)
    t_load = time.perf_counter()
    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    one = make_batch(session, 1)
    session.run(None, one)
    t_first = time.perf_counter()
    lat = []
    for _ in range(calls):
        s = time.perf_counter()
        session.run(None, one)
        lat.append(time.perf_counter() - s)
    lat.sort()
    many = make_batch(session, 32)
    s = time.perf_counter()
    session.run(None, many)  # the first call with a new shape
    new_shape = time.perf_counter() - s
    rounds = calls // 10
    s = time.perf_counter()
    for _ in range(rounds):
        session.run(None, many)
    per_batch = (time.perf_counter() - s) / rounds
    print(json.dumps({
        "runtime": "onnxruntime", "model": path[:-5] if path.endswith(".onnx") else path,
        "first_result_ms": round((t_first - t_start) * 1e3, 3),
        "load_first_ms": round((t_first - t_load) * 1e3, 3),
        "batch1_median_ms": round(lat[calls // 2] * 1e3, 4),
        "batch1_p99_ms": round(lat[calls * 99 // 100] * 1e3, 4),
        "batch32_per_s": round(32 / per_batch, 1),
        "batch32_first_ms": round(new_shape * 1e3, 3),
        "batch32_ms": round(per_batch * 1e3, 3),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "model_bytes": os.path.getsize(path),
    }))


if __name__ == "__main__":
    main()
