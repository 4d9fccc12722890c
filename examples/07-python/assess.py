#!/usr/bin/python3
"""Example 07: the Python module (`import flopledger`, built with pybind11).

usage: PYTHONPATH=<build>/python /usr/bin/python3 assess.py
   or: PYTHONPATH=<prefix>/lib/python3/dist-packages /usr/bin/python3 assess.py

Assesses example 02's registry and prints the same table as example 02 (whose values are derived
by hand in that folder's README), shows a located input error, and checks the audit manifest's
input hash against hashlib.
"""
import hashlib
import os
import sys

import flopledger

HERE = os.path.dirname(os.path.abspath(__file__))
REGISTRY = os.path.join(HERE, "..", "02-assess-registry", "registry.json")
POLICIES = ["eu-ai-act-art51", "us-eo-14110-general", "ca-sb53-frontier", "kr-ai-basic-act"]


def scientific(text, digits=3):
    """The contract's exact decimal string, to `digits` significant digits (text output)."""
    mantissa, exponent = ("%.*e" % (digits - 1, float(text))).split("e")
    mantissa = mantissa.rstrip("0").rstrip(".")
    return "%se%d" % (mantissa, int(exponent))


def main():
    results = flopledger.assess(REGISTRY, as_of="2026-06-01", policies=POLICIES)
    print("as of %s" % results[0]["as_of"])
    for i, v in enumerate(results[0]["verdicts"]):
        standing = "in force" if v["in_force"] else "not in force"
        print("[%d] %-21s%s, %s" % (i + 1, v["policy"], v["legal_status"], standing))
    rows = [["model", "total"] + ["[%d]" % (i + 1) for i in range(len(POLICIES))]]
    for r in results:
        rows.append([r["id"], scientific(r["total"]["central"])] +
                    [v["status"] for v in r["verdicts"]])
    for row in rows:
        print(("%-22s%-10s" % (row[0], row[1]) + "".join("%-15s" % s for s in row[2:])).rstrip())

    manifest = flopledger.manifest()
    with open(REGISTRY, "rb") as f:
        expected = hashlib.sha256(f.read()).hexdigest()
    print("manifest: %d input file, %d records, sha256 matches hashlib: %s, as_of defaulted: %s"
          % (len(manifest["inputs"]), manifest["inputs"][0]["records"],
             manifest["inputs"][0]["sha256"] == expected, manifest["as_of_defaulted"]))

    bad = {"id": "typo", "stages": [{"kind": "pretraining", "hardware": {
        "accelerator": "nvidia-h100-sxn", "count": 1000, "hours": 100}}]}
    try:
        flopledger.estimate(bad)
    except flopledger.InputError as e:
        print("InputError %s at line %d, %s: %s" % (e.code, e.line, e.pointer, e.message))
    return 0


if __name__ == "__main__":
    sys.exit(main())
