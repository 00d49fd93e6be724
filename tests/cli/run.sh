#!/usr/bin/env bash
# The `ferry` tool end to end: run (printed, --json, --outdir and .npy back in,
# feed/fetch), show (--scan included), inspect, and its exit statuses.
#   tests/cli/run.sh FERRY_CLI
set -uo pipefail
cli="$1"
root="$(cd "$(dirname "$0")/../.." && pwd)"
model="$root/examples/models/half_plus_two"
fixtures="$root/tests/fixtures"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
failed=0

# expect NAME STATUS PATTERN -- ARGS: runs the tool, checks the exit status
# and that stdout+stderr match the extended regex PATTERN.
expect() {
  local name="$1" status="$2" pattern="$3"
  shift 4
  local out rc
  out="$("$cli" "$@" 2>&1)"
  rc=$?
  if [ "$rc" -ne "$status" ] || ! grep -Eq -- "$pattern" <<<"$out"; then
    echo "FAIL $name: status $rc (want $status), output:" >&2
    echo "$out" | head -20 >&2
    failed=$((failed + 1))
  else
    echo "ok   $name"
  fi
}

expect run_prints 0 '^\[2\.5, 3\., 4\.5\]$' -- run "$model" --input_exprs 'x=[1.0, 2.0, 5.0]'
expect run_json 0 '^\{"outputs": \{"y": \{"dtype": "float32", "shape": \[2\], "values": \[2\.5, 3\]\}\}\}$' -- \
  run "$model" --input_exprs 'x=[1.0, 2.0]' --json
expect run_outdir 0 "y -> $tmp/out/new/y.npy" -- run "$model" --input_exprs 'x=[4.0, 8.0]' --outdir "$tmp/out/new"
expect run_outdir_kept 1 'already exists; pass --overwrite' -- run "$model" --input_exprs 'x=[0.0]' --outdir "$tmp/out/new"
expect run_outdir_overwrite 0 'y.npy' -- run "$model" --input_exprs 'x=[4.0, 8.0]' --outdir "$tmp/out/new" --overwrite
# y.npy (0.5 x + 2 = [4, 6]) fed back in: [4, 5].
expect run_npy_in 0 '"values": \[4, 5\]' -- run "$model" --inputs "x=$tmp/out/new/y.npy" --json
expect run_bad_npy 1 'crash-short-descr.npy: malformed .npy header' -- \
  run "$model" --inputs "x=$root/fuzz/corpus/npy/crash-short-descr.npy"
expect run_npy_nul 1 'malformed .npy header' -- run "$model" --inputs "x=$root/fuzz/corpus/npy/crash-nul-in-header.npy"
expect run_npy_unclosed 1 'malformed shape in .npy header' -- \
  run "$model" --inputs "x=$root/fuzz/corpus/npy/crash-unclosed-shape.npy"
expect run_feed_fetch 0 '"add:0".*"values": \[3\]' -- run "$fixtures/tf1_frozen/frozen.pb" --fetch add:0 --json
expect run_bad_input 1 "'nope'" -- run "$model" --input_exprs 'nope=[1.0]'
expect run_missing_model 1 'no_such_dir' -- run "$tmp/no_such_dir" --input_exprs 'x=[1.0]'
expect run_usage 2 'usage: ferry run' -- run

expect show_tag_sets 0 "^'serve'$" -- show "$model"
expect show_signature 0 'name: serving_default_x:0' -- show "$model" --signature_def serving_default
expect show_json 0 '"signatures"' -- show "$model" --json
expect show_list_ops 0 '^AddV2$|^Mul$' -- show "$model" --list_ops

# --scan: savers hold SaveV2 harmlessly; a signature that prints to a file is refused (3);
# printing to stderr runs.
expect scan_clean 0 'SaveV2: \(inside functions\).*|Nothing it runs needs them' -- show "$model" --scan
mkdir -p "$tmp/prints"
cat >"$tmp/prints/saved_model.pbtxt" <<'EOF'
saved_model_schema_version: 1
meta_graphs {
  meta_info_def { tags: "serve" }
  graph_def {
    node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } }
    node { name: "msg" op: "Const" attr { key: "dtype" value { type: DT_STRING } }
           attr { key: "value" value { tensor { dtype: DT_STRING tensor_shape {} string_val: "called" } } } }
    node { name: "print" op: "PrintV2" input: "msg"
           attr { key: "output_stream" value { s: "file:///dev/null" } } }
    node { name: "y" op: "Identity" input: "x" input: "^print" attr { key: "T" value { type: DT_FLOAT } } }
  }
  signature_def {
    key: "serving_default"
    value {
      inputs { key: "x" value { name: "x:0" dtype: DT_FLOAT tensor_shape { dim { size: -1 } } } }
      outputs { key: "y" value { name: "y:0" dtype: DT_FLOAT tensor_shape { dim { size: -1 } } } }
      method_name: "tensorflow/serving/predict"
    }
  }
}
EOF
expect scan_refused 3 "Refused by default: .*node 'print' \(PrintV2\)" -- show "$tmp/prints" --scan
expect scan_refused_json 3 '"loads": false, "refused": true' -- show "$tmp/prints" --scan --json
expect run_refused 1 "node 'print' \(PrintV2\).*FERRY_LOAD_ALLOW_FILE_OPS" -- run "$tmp/prints" --input_exprs 'x=[1.0]'
mkdir -p "$tmp/prints_stderr"
sed 's|file:///dev/null|stderr|' "$tmp/prints/saved_model.pbtxt" >"$tmp/prints_stderr/saved_model.pbtxt"
expect run_prints 0 '^called$' -- run "$tmp/prints_stderr" --input_exprs 'x=[1.0]'
expect scan_frozen_clean 0 '^  none$' -- show "$fixtures/tf1_frozen/frozen.pb" --scan

expect inspect_list 0 '^v1 float32 \[1\]$' -- inspect "$fixtures/tf1_saver_basic/model"
expect inspect_tensor 0 '^\[1\.\]$' -- inspect "$fixtures/tf1_saver_basic/model" --tensor v1
expect inspect_json 0 '"name": "v2", "dtype": "float32", "shape": \[1\]' -- inspect "$fixtures/tf1_saver_basic/model" --json
expect inspect_missing 1 'no_such' -- inspect "$tmp/no_such"

expect unknown_command 2 "unknown command 'frobnicate'" -- frobnicate

[ "$failed" -eq 0 ] || { echo "cli: $failed failed" >&2; exit 1; }
echo "cli: all passed"
