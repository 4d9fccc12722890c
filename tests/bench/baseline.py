#!/usr/bin/env python3
"""Naive Python baseline for the whole-CLI benchmark.

Reads the same JSON Lines records as `flopledger assess --format jsonl` and does the least a
script would: per stage, the stated FLOP, else 6 x params x tokens, else chips x hours x 3600 x
peak x utilization, all in binary floating point (no exact arithmetic, no architecture method, no
intervals beyond their central value, no counting scopes), then compares the total with the
shipped policies' compute thresholds. It writes one JSON line per record with the verdicts.

Usage: baseline.py FILE.jsonl > out.jsonl
"""
import json
import sys

SUFFIX = {"K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12, "P": 1e15}
# Dense bf16 peaks (FLOP/s) of the generator's accelerators; a script would hard-code these.
PEAK = {"nvidia-a100": 312e12, "nvidia-h100-sxm": 989e12, "nvidia-h100-pcie": 756e12,
        "nvidia-h200": 989e12, "nvidia-v100-sxm2": 125e12, "amd-mi300x": 1307e12,
        "google-tpu-v4": 275e12, "google-tpu-v5p": 459e12, "nvidia-b200": 2250e12,
        "intel-gaudi3": 1835e12}
# (policy, threshold, comparator) of the shipped legal policies' compute thresholds.
THRESHOLDS = [("eu-ai-act-art51", 1e25, ">"), ("eu-gpai-indicative", 1e23, ">"),
              ("eu-downstream-modifier", 1e25 / 3, ">"), ("us-eo-14110-general", 1e26, ">"),
              ("us-eo-14110-bio", 1e23, ">"), ("us-eo-14110-cluster", 1e20, ">="),
              ("us-bis-nprm-2024", 1e26, ">"), ("us-ai-diffusion-4e091", 1e26, ">"),
              ("ca-sb1047-covered", 1e26, ">"), ("ca-sb53-frontier", 1e26, ">"),
              ("ca-sb53-large-developer", 1e26, ">"), ("ny-raise-2025", 1e26, ">"),
              ("ny-raise-2027", 1e26, ">"), ("kr-ai-basic-act", 1e26, ">="),
              ("ny-raise-2027-frontier", 1e26, ">"), ("ct-sb5-frontier", 1e26, ">"),
              ("ct-sb5-large-developer", 1e26, ">"), ("il-sb315-large-developer", 1e26, ">")]


def num(v):
    if v is None:
        return None
    if isinstance(v, dict):
        return num(v.get("central")) if "central" in v else (num(v["low"]) + num(v["high"])) / 2
    if isinstance(v, (int, float)):
        return float(v)
    s = v.strip()
    if s and s[-1] in SUFFIX:
        return float(s[:-1]) * SUFFIX[s[-1]]
    return float(s)


def stage_flop(stage, arch):
    if "flop" in stage:
        return num(stage["flop"])
    params = num(stage.get("params")) or num(arch.get("active_params")) or num(arch.get("params"))
    tokens = num(stage.get("tokens"))
    if params and tokens:
        return 6.0 * params * tokens
    hw = stage.get("hardware")
    if hw:
        chips = num(hw.get("count")) or 0.0
        hours = num(hw.get("hours")) or 0.0
        util = num(hw.get("utilization")) or 0.3
        return chips * hours * 3600.0 * PEAK.get(hw.get("accelerator"), 0.0) * util
    return 0.0


def main():
    out = sys.stdout
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            rec = json.loads(line)
            arch = rec.get("architecture", {})
            total = sum(stage_flop(s, arch) for s in rec.get("stages", []))
            verdicts = {}
            for policy, threshold, comparator in THRESHOLDS:
                hit = total > threshold if comparator == ">" else total >= threshold
                verdicts[policy] = "exceeds" if hit else "below"
            out.write(json.dumps({"id": rec["id"], "total": repr(total), "verdicts": verdicts}))
            out.write("\n")


if __name__ == "__main__":
    main()
