#!/usr/bin/python3
"""Tests of the Python module, run by CTest with Debian's python3 (no pytest needed).

Environment: PYTHONPATH (the module), FLOPLEDGER_SOURCE_DIR (models/, examples), FLOPLEDGER_CLI
(the CLI, optional: the cross-checks against it are skipped without it).
"""
import hashlib
import json
import os
import subprocess
import sys
import threading
import time

import flopledger

SRC = os.environ["FLOPLEDGER_SOURCE_DIR"]
CLI = os.environ.get("FLOPLEDGER_CLI", "")
MODELS = os.path.join(SRC, "models")
REGISTRY = os.path.join(SRC, "examples", "02-assess-registry", "registry.json")
failures = []


def check(condition, what):
    if not condition:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


def cli(*args):
    return subprocess.run([CLI, *args], check=True, capture_output=True).stdout


# Hand-derived values (examples/02-assess-registry/README.md): 6 x 405e9 x 15.6e12 = 3.7908e25.
results = flopledger.estimate(REGISTRY)
by_id = {r["id"]: r for r in results}
check(by_id["llama-3.1-405b-6nd"]["total"]["central"] == "37908000000000000000000000",
      "6ND total of llama-3.1-405b-6nd")
check(by_id["exactly-1e25"]["total"]["central"] == "10000000000000000000000000", "1e25 total")

# The same call through the four input forms gives the same objects.
with open(REGISTRY, encoding="utf-8") as f:
    text = f.read()
records = json.loads(text)["records"]
for name, value in (("text", text), ("list", records), ("path-like", __import__("pathlib").Path(REGISTRY))):
    check(flopledger.estimate(value) == results, "estimate from " + name)
single = flopledger.estimate(records[0])
check(single == [results[0]], "estimate of one dict")

# assess: verdicts as of a date; Python objects identical to the CLI's JSON (byte-identical:
# the manifest's output hash equals the sha256 of the CLI's stdout).
options = dict(as_of="2026-06-01", policies=["eu-ai-act-art51", "ca-sb53-frontier"])
assessed = flopledger.assess(MODELS, **options)
check(len(assessed) >= 50, "assess models/ returns every model")
manifest = flopledger.manifest()
check(manifest["flopledger_version"] == flopledger.__version__, "manifest version")
check(manifest["as_of"] == ["2026-06-01"] and manifest["as_of_defaulted"] is False, "manifest dates")
check(manifest["command"] == "assess", "manifest command")
listed = [i["path"] for i in manifest["inputs"]]
check(all(listed.count(os.path.join(MODELS, n)) == 1 for n in os.listdir(MODELS) if n.endswith(".json")),
      "every file of models/ is a manifest input, once")
for entry in manifest["inputs"]:
    with open(entry["path"], "rb") as f:
        check(entry["sha256"] == hashlib.sha256(f.read()).hexdigest(), "input hash " + entry["path"])
check(manifest["policy_data"]["source"] == "embedded", "embedded policy data")
check(len(manifest["policy_data"]["sha256"]) == 64, "policy data hash")
if CLI:
    out = cli("assess", MODELS, "--format", "json", "--as-of", "2026-06-01", "--policy",
              "eu-ai-act-art51,ca-sb53-frontier")
    check(json.loads(out) == assessed, "assess models/ equals the CLI's JSON")
    check(manifest["outputs"][0]["sha256"] == hashlib.sha256(out).hexdigest(),
          "the module's JSON bytes equal the CLI's")
    sens = flopledger.sensitivity(os.path.join(MODELS, "gpt-4.json"), as_of="2026-06-01",
                                  policies=["eu-ai-act-art51"])
    out = cli("sensitivity", os.path.join(MODELS, "gpt-4.json"), "--format", "json", "--as-of",
              "2026-06-01", "--policy", "eu-ai-act-art51")
    check(json.loads(out) == sens, "sensitivity equals the CLI's JSON")

# compact=True (issue 19): decision fields only, the CLI's --compact bytes; each policy's
# verdict is an index into the record's distinct outcomes.
compact = flopledger.assess(MODELS, compact=True, **options)
check([r["id"] for r in compact] == [r["id"] for r in assessed], "compact: the same records")
for full, small in zip(assessed, compact):
    for v in full["verdicts"]:
        o = small["outcomes"][small["verdicts"][v["policy"]]]
        check(o[0] == v["status"] and o[1] == v["compute_status"] and o[4] == v["comparator"]
              and o[5] == v["margin_log10"] and o[6] == v["probability"],
              "compact verdict fields of " + full["id"] + " " + v["policy"])
check(len(json.dumps(compact)) * 3 < len(json.dumps(assessed)), "compact is much smaller")
if CLI:
    out = cli("assess", MODELS, "--format", "json", "--compact", "--as-of", "2026-06-01",
              "--policy", "eu-ai-act-art51,ca-sb53-frontier")
    check(json.loads(out) == compact, "compact equals the CLI's --compact JSON")
    check(flopledger.manifest()["outputs"][0]["sha256"] == hashlib.sha256(out).hexdigest(),
          "the module's compact bytes equal the CLI's")

# InputError: code, line, pointer, message.
try:
    flopledger.estimate('{"id": "x", "stages": [{"kind": "pretraining",\n"tokens": "-5"}]}')
    check(False, "negative tokens must raise")
except flopledger.InputError as e:
    check(e.code == "E103", "negative tokens: E103, got " + e.code)
    check(e.line == 2 and e.pointer == "/stages/0/tokens", "negative tokens located")
    check(isinstance(e, ValueError) and e.diagnostics, "InputError is a ValueError with lines")
try:
    flopledger.assess(REGISTRY, polices=["x"])
    check(False, "a misspelt option must raise")
except flopledger.InputError as e:
    check(e.code == "E701" and "did you mean 'policies'" in e.message, "option did-you-mean")
try:
    flopledger.assess(REGISTRY, policies=["eu-ai-act"])
    check(False, "an unknown policy must raise")
except flopledger.InputError as e:
    check(e.code == "E402", "unknown policy: E402")
try:
    flopledger.estimate('{"id": "h0", "architecture": {"d_model": 64, "heads": 0, "layers": 2}}')
    check(False, "heads 0 must raise")
except flopledger.InputError as e:
    check(e.code == "E104" and e.pointer == "/architecture/heads", "heads 0: E104, got " + e.code)

# The GIL is released while the core works: a Python thread keeps running meanwhile.
ticks = []
stop = threading.Event()


def ticker():
    while not stop.is_set():
        ticks.append(1)
        time.sleep(0.001)


big = [dict(records[1], id="m%d" % i) for i in range(3000)]
t = threading.Thread(target=ticker)
t.start()
before = len(ticks)
flopledger.assess(big, as_of="2026-06-01", samples=200, threads=1)
during = len(ticks) - before
stop.set()
t.join()
check(during > 5, "another Python thread ran during assess (GIL released): %d ticks" % during)

if failures:
    print("%d failure(s)" % len(failures), file=sys.stderr)
    sys.exit(1)
print("python module: all checks passed")
