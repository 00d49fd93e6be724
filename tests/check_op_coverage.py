"""Fails when an op type Ferry runs is exercised by no test.

    check_op_coverage.py FERRY_CLI SOURCE_DIR

An op counts as exercised when an op-conformance case runs it
(tests/ops/*/cases.json), a TensorFlow fixture model holds it
(tests/fixtures/index.json), or a C unit test builds it: a single-op
harness call (op_begin(&r, "Op", ...)) or a graph written as text
(op: "Op"). tests/ops/uncovered.txt lists the ops still waiting for a test,
each with its reason; a listed op that is covered fails the check too, so
the list only shrinks."""
import glob
import json
import os
import re
import subprocess
import sys


def main(cli, root):
    supported = subprocess.run([cli, "ops"], check=True, capture_output=True, text=True).stdout.split()
    covered = set(json.load(open(os.path.join(root, "tests/fixtures/index.json")))["op_types"])
    for path in glob.glob(os.path.join(root, "tests/ops/*/cases.json")):
        covered |= {c["op"] for c in json.load(open(path))["cases"]}
    for path in glob.glob(os.path.join(root, "tests/c/*.c")):
        text = open(path, encoding="utf-8").read()
        covered |= set(re.findall(r'op_begin\(&?\w+, "(\w+)"', text))
        covered |= set(re.findall(r'op:\s*\\"(\w+)\\"', text))
    waiting = {}
    for line in open(os.path.join(root, "tests/ops/uncovered.txt"), encoding="utf-8"):
        line = line.strip()
        if line and not line.startswith("#"):
            op, _, reason = line.partition(" ")
            waiting[op] = reason.strip()
    bad = 0
    for op in supported:
        if op not in covered and op not in waiting:
            print("%s: Ferry runs it but no test does (add a case to tests/ops or a unit test)" % op)
            bad += 1
        if op in covered and op in waiting:
            print("%s: covered now; remove it from tests/ops/uncovered.txt" % op)
            bad += 1
    for op in waiting:
        if op not in supported:
            print("%s: listed in tests/ops/uncovered.txt but not an op Ferry runs" % op)
            bad += 1
    print("op coverage: %d ops, %d exercised by tests, %d waiting (tests/ops/uncovered.txt)"
          % (len(supported), len([o for o in supported if o in covered]), len(waiting)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
