#!/usr/bin/env bash
# Model benchmarks: Ferry, TensorFlow and ONNX Runtime (after tf2onnx) on the
# same models and inputs, alternating per model so drift hits all alike.
# Builds Ferry (Release) into build-bench/, makes .venv-tf with the rivals
# (scripts/make-tf-venv.sh, then onnxruntime and tf2onnx) and the models
# (bench/make_models.py) on first use.
#     bench/run.sh [MODEL...]   default: tiny mlp lstm mobilenet_v2 resnet50 bert_small
# Prints one JSON line per runtime and model, then the sizes of what ships.
# BENCH_MODELS_DIR picks where the models go (default /tmp/ferry-bench-models).
# BENCH_ROUNDS (default 3) runs every runtime that many times per model, in
# turn, and prints each figure's median over the rounds (bench/median.py):
# these shared machines drift by tens of percent from one minute to the next.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
scripts/make-tf-venv.sh
.venv-tf/bin/pip install -q onnxruntime tf2onnx
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DFERRY_BUILD_BENCH=ON -DBUILD_TESTING=OFF \
      -DFERRY_BUILD_BINDINGS=OFF >/dev/null
cmake --build build-bench -j"$(nproc)" --target bench_model_run bench_kernels ferry_cli >/dev/null

models_dir=${BENCH_MODELS_DIR:-/tmp/ferry-bench-models}
models=("$@")
[ ${#models[@]} -gt 0 ] || models=(tiny mlp lstm mobilenet_v2 resnet50 bert_small)
.venv-tf/bin/python bench/make_models.py "$models_dir" "${models[@]}" 2>/dev/null

rounds=${BENCH_ROUNDS:-3}
for m in "${models[@]}"; do
  calls=1000
  case "$m" in mobilenet_v2 | resnet50 | bert_small) calls=50 ;; esac
  onnx="$models_dir/$m.onnx"
  if [ ! -f "$onnx" ] && ! .venv-tf/bin/python -m tf2onnx.convert --saved-model "$models_dir/$m" \
      --signature_def serving_default --opset 17 --output "$onnx" >/dev/null 2>&1; then
    echo "{\"runtime\": \"onnxruntime\", \"model\": \"$models_dir/$m\", \"error\": \"tf2onnx cannot convert it\"}"
    rm -f "$onnx"
  fi
  for ((r = 0; r < rounds; r++)); do
    build-bench/bin/bench_model_run "$models_dir/$m" serving_default "$calls"
    .venv-tf/bin/python bench/model_run_tf.py "$models_dir/$m" serving_default "$calls" 2>/dev/null
    if [ -f "$onnx" ] && ! .venv-tf/bin/python bench/model_run_ort.py "$onnx" "$calls" 2>/dev/null; then
      echo "{\"runtime\": \"onnxruntime\", \"model\": \"$models_dir/$m\", \"error\": \"onnxruntime rejects the converted model\"}"
    fi
  done | python3 bench/median.py
done

# Per-call overhead against TensorFlow's C API (the wheel carries its headers
# and libtensorflow_cc), on the tiny model.
if [[ " ${models[*]} " == *" tiny "* ]]; then
  tf_dir="$(.venv-tf/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/tensorflow"
  cc -O2 -I"$tf_dir/include" -Ibench bench/model_run_tfc.c -o build-bench/bench_model_run_tfc -L"$tf_dir" \
     -l:libtensorflow_cc.so.2 -l:libtensorflow_framework.so.2 -Wl,-rpath,"$tf_dir"
  names=$(build-bench/bin/ferry show "$models_dir/tiny" --signature_def serving_default --json |
          .venv-tf/bin/python -c 'import json, sys; s = json.load(sys.stdin)["signatures"]["serving_default"];
print(s["inputs"]["x"]["tensor"], s["outputs"]["y"]["tensor"])')
  # shellcheck disable=SC2086
  build-bench/bench_model_run_tfc "$models_dir/tiny" $names 10000 2>/dev/null
fi

# Large MatMul and Conv2D against the machine's measured peak.
build-bench/bin/bench_kernels

# What must ship besides the model: the stripped library (target < 5 MB; the
# system BLAS it links is not counted) against the rivals' installed packages.
strip --strip-unneeded -o build-bench/libferry.stripped build-bench/lib/libferry.so
site=$(.venv-tf/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
echo "{\"sizes_bytes\": {\"libferry_stripped\": $(stat -c %s build-bench/libferry.stripped)," \
     "\"tensorflow_package\": $(du -sb "$site/tensorflow" | cut -f1)," \
     "\"onnxruntime_package\": $(du -sb "$site/onnxruntime" | cut -f1)}}"
