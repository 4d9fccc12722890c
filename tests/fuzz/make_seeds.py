#!/usr/bin/env python3
"""Writes seed corpora and dictionaries for the fuzz targets from the shipped data.

Nothing large is committed: the seeds are regenerated from models/, policies/, hardware/ and a
slice of the Epoch CSV (../shared/data/epoch) on every run. Standard library only.
"""
import argparse
import csv
import io
import json
import pathlib
import re
import subprocess
import sys

# The contract's number forms (section 1), edge cases of the accepted range, and near misses.
NUMBER_SEEDS = [
    "3.8e25", "0.38", "15600000000000", "405B", "15.6T", "1e25", "+1E+25", "-2.5", "1e60",
    "1e-30", "1e61", "1e-31", "0.1K", "2P", "7M", "1.5e+3", "00012", ".5", "5.", "1e", "e5",
    "1.2.3", "NaN", "inf", "1_000", "0x10", "1e25B", " 1", "1e0000000000000000000025",
    "0.000000000000000000000000000001", "999999999999999999999999999999999999999999999999999",
]


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def keys_and_strings(value, keys, strings):
    if isinstance(value, dict):
        for k, v in value.items():
            keys.add(k)
            keys_and_strings(v, keys, strings)
    elif isinstance(value, list):
        for v in value:
            keys_and_strings(v, keys, strings)
    elif isinstance(value, str) and len(value) <= 24:
        strings.add(value)


def write_dict(path, tokens):
    lines = []
    for token in sorted(tokens):
        escaped = token.replace("\\", "\\\\").replace('"', '\\"')
        if all(32 <= ord(c) < 127 for c in escaped):
            lines.append('"%s"' % escaped)
    write(path, "\n".join(lines) + "\n")


def json_seeds(files, out, name):
    keys, strings = set(), set()
    docs = []
    for i, path in enumerate(sorted(files)):
        text = path.read_text(encoding="utf-8")
        write(out / name / ("%03d-%s" % (i, path.name)), text)
        try:
            doc = json.loads(text)
        except ValueError:
            continue
        docs.append(doc)
        keys_and_strings(doc, keys, strings)
    tokens = {'"%s"' % k for k in keys} | {'"%s"' % s for s in strings}
    tokens |= {"{", "}", "[", "]", ":", ",", "true", "false", "null", '"low"', '"high"',
               '"central"', '"distribution"'}
    write_dict(out / (name + ".dict"), tokens)
    return docs


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repo", required=True, type=pathlib.Path)
    parser.add_argument("--out", required=True, type=pathlib.Path)
    parser.add_argument("--epoch-rows", type=int, default=60)
    args = parser.parse_args()
    repo, out = args.repo, args.out

    # parse_exact: the contract's forms plus every number written in the shipped records.
    numbers = set(NUMBER_SEEDS)
    for path in sorted((repo / "models").glob("*.json")):
        for m in re.finditer(r'"([-+]?[0-9][0-9.eE+-]*[KMBTP]?)"', path.read_text("utf-8")):
            numbers.add(m.group(1))
    for i, n in enumerate(sorted(numbers)[:400]):
        write(out / "parse_exact" / ("%03d" % i), n)
    write_dict(out / "parse_exact.dict", {"e", "E", "+", "-", ".", "K", "M", "B", "T", "P", "e60",
                                          "e-30"})

    # record_reader: each model file, plus the other registry forms (array, {"records"}, JSON
    # Lines) built from a few of them.
    docs = json_seeds(list((repo / "models").glob("*.json")), out, "record_reader")
    records = []
    for d in docs:
        records.extend(d if isinstance(d, list) else d.get("records", [d]) if isinstance(d, dict) else [])
    few = records[:4]
    write(out / "record_reader" / "array.json", json.dumps(few, indent=1))
    write(out / "record_reader" / "records-object.json", json.dumps({"records": few}))
    write(out / "record_reader" / "lines.jsonl", "".join(json.dumps(r) + "\n" for r in few))

    # record_line: single JSON Lines records, from the shipped models and from the bench
    # generator's uncertain registry (intervals, hardware, multi-stage ledgers).
    for i, r in enumerate(records[:40]):
        write(out / "record_line" / ("model-%03d.jsonl" % i), json.dumps(r))
    gen = subprocess.run([sys.executable, str(repo / "tests" / "bench" / "gen_records.py"), "60",
                          "--uncertain", "--seed", "11"], check=True, capture_output=True,
                         text=True).stdout.splitlines()
    for i, line in enumerate(gen):
        write(out / "record_line" / ("uncertain-%03d.jsonl" % i), line)
    keys, strings = set(), set()
    keys_and_strings(records + [json.loads(g) for g in gen], keys, strings)
    write_dict(out / "record_line.dict", {'"%s"' % k for k in keys} | {'"%s"' % v for v in strings}
               | {"{", "}", "[", "]", ":", ",", "null", "true", "false", "\\u0041", "1e30", "-0"})

    # array_splitter: arrays and {"records"} documents, pretty and compact, plus broken ones.
    for i in range(0, min(len(records), 24), 4):
        part = records[i:i + 4]
        write(out / "array_splitter" / ("array-%03d.json" % i), json.dumps(part, indent=1))
        write(out / "array_splitter" / ("compact-%03d.json" % i), json.dumps(part))
        write(out / "array_splitter" / ("records-%03d.json" % i),
              json.dumps({"records": part, "note": "x"}))
    write(out / "array_splitter" / "scalars.json", '[1, "a", [], {}, null, true]')
    write(out / "array_splitter" / "open.json", '[{"id": "a"}, {"id": "b"')

    # record_flags: "name=value" lines; the first byte picks a field (see fuzz_entry_points.hpp).
    flags = [
        [(5, "70B"), (15, "15T")],
        [(0, "x"), (17, "h100"), (18, "16384"), (20, "54"), (22, "38%"), (23, "bf16")],
        [(5, "7B"), (7, "32"), (8, "4096"), (9, "32"), (10, "8"), (11, "14336"), (12, "128000"),
         (14, "8192"), (15, "2T")],
        [(16, "3.8e25"), (3, "2025-01-01"), (4, "1B")],
    ]
    for i, f in enumerate(flags):
        write(out / "record_flags" / ("%03d" % i), "".join(chr(n) + "=" + v + "\n" for n, v in f))

    json_seeds(list((repo / "policies").glob("*.json")), out, "policy")
    json_seeds(list((repo / "hardware").glob("*.json")), out, "hardware")

    # epoch_csv: the header and a few rows at a time from the shared export, if present.
    epoch = sorted((repo.parent / "shared" / "data" / "epoch").glob("*.csv"))
    tokens = set()
    if epoch:
        with epoch[0].open(encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))[: args.epoch_rows + 1]
        header, body = rows[0], rows[1:]
        tokens |= {'"%s"' % h for h in header if len(h) < 48}
        for i in range(0, len(body), 5):
            buf = io.StringIO()
            csv.writer(buf, lineterminator="\n").writerows([header] + body[i:i + 5])
            write(out / "epoch_csv" / ("rows-%03d.csv" % i), buf.getvalue())
    else:
        write(out / "epoch_csv" / "minimal.csv", "Model,Training compute (FLOP)\nx,1e25\n")
    tokens |= {",", '"', "\n", "\r\n", "Likely", "Confident", "Speculative"}
    write_dict(out / "epoch_csv.dict", tokens)


if __name__ == "__main__":
    main()
