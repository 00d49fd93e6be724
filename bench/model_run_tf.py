"""TensorFlow's side of bench_model_run: same model, same inputs, same measures.

    python bench/model_run_tf.py MODEL [SIGNATURE] [CALLS]

first_result_ms counts from before `import tensorflow` (what a fresh process
pays); load_first_ms from tf.saved_model.load. Prints one JSON line.
"""
import time

t_start = time.perf_counter()
import json  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402


def make_batch(fn, batch):
    feeds = {}
    for name, spec in fn.structured_input_signature[1].items():
        shape = [batch if d is None else d for d in spec.shape]
        n = int(np.prod(shape))
        k = np.arange(n, dtype=np.int64)
        if spec.dtype == tf.float32:
            v = ((k * 7919) % 1000).astype(np.float32) / np.float32(1000) - np.float32(0.5)
        else:
            v = (k % 100).astype(spec.dtype.as_numpy_dtype)
        feeds[name] = tf.constant(v.reshape(shape))
    return feeds


def main():
    path = sys.argv[1]
    key = sys.argv[2] if len(sys.argv) > 2 else "serving_default"
    calls = max(10, int(sys.argv[3]) if len(sys.argv) > 3 else 1000)
    t_load = time.perf_counter()
    fn = tf.saved_model.load(path).signatures[key]
    one = make_batch(fn, 1)
    fn(**one)
    t_first = time.perf_counter()
    lat = []
    for _ in range(calls):
        s = time.perf_counter()
        fn(**one)
        lat.append(time.perf_counter() - s)
    lat.sort()
    many = make_batch(fn, 32)
    s = time.perf_counter()
    fn(**many)  # the first call with a new shape
    new_shape = time.perf_counter() - s
    rounds = calls // 10
    s = time.perf_counter()
    for _ in range(rounds):
        fn(**many)
    per_batch = (time.perf_counter() - s) / rounds
    print(json.dumps({
        "runtime": "tensorflow", "model": path,
        "first_result_ms": round((t_first - t_start) * 1e3, 3),
        "load_first_ms": round((t_first - t_load) * 1e3, 3),
        "batch1_median_ms": round(lat[calls // 2] * 1e3, 4),
        "batch1_p99_ms": round(lat[calls * 99 // 100] * 1e3, 4),
        "batch32_per_s": round(32 / per_batch, 1),
        "batch32_first_ms": round(new_shape * 1e3, 3),
        "batch32_ms": round(per_batch * 1e3, 3),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }))


if __name__ == "__main__":
    main()
