#!/usr/bin/env python3
"""Reads the JSON lines of several rounds of bench/run.sh from stdin and
prints, per runtime and model, one line whose every number is the median
over the rounds (with "rounds": N). Lines without a runtime and model pass
through unchanged."""
import json
import statistics
import sys


def main():
    groups, order = {}, []
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            doc = json.loads(line)
        except ValueError:
            print(line)
            continue
        key = (doc.get("runtime"), doc.get("model"))
        if None in key or "error" in doc:
            if key not in groups:
                print(json.dumps(doc))
                groups[key] = []
            continue
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(doc)
    for key in order:
        docs = groups[key]
        merged = dict(docs[0])
        for name, value in docs[0].items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                values = [d[name] for d in docs if isinstance(d.get(name), (int, float))]
                merged[name] = round(statistics.median(values), 4)
        merged["rounds"] = len(docs)
        print(json.dumps(merged))


if __name__ == "__main__":
    main()
