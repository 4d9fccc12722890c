#!/usr/bin/env python3
"""Deterministic generator of N synthetic FLOP Ledger model records (JSON Lines on stdout).

The mix covers what the estimator and the policies have to handle: dense decoders, MoE
decoders, encoder-decoders, ViTs and generic models; numbers written as JSON numbers, plain
strings, scientific strings and K/M/B/T suffixes; uncertain inputs as {"low", "high"} intervals;
several stages per record (pre-training, fine-tuning, RL, synthetic data on another model, stated
compute, hardware-only stages with accelerator, chips, hours, precision and utilization).

Same N and seed -> byte-identical output.
Usage: gen_records.py N [--seed S] [--clusters] [--all-uncertain]
(--all-uncertain: every point tokens/flop/params figure of a stage becomes a log-uniform interval
from half to twice its value, a stress case for the Monte Carlo.)
"""
import argparse
import json
import random
import sys

# Accelerators with the precisions the shipped hardware table gives a dense peak for; the first
# is used when the precision must be stated (no bf16 peak, bf16 being the default).
ACCELERATORS = {"nvidia-a100": ["bf16", "fp16", "tf32"],
                "nvidia-h100-sxm": ["bf16", "fp16", "fp8", "tf32"],
                "nvidia-h100-pcie": ["bf16", "fp16", "fp8"],
                "nvidia-h200": ["bf16", "fp8"],
                "nvidia-v100-sxm2": ["fp16"],
                "amd-mi300x": ["bf16", "fp16", "fp8"],
                "google-tpu-v4": ["bf16"],
                "google-tpu-v5p": ["bf16"],
                "nvidia-b200": ["bf16", "fp8"],
                "intel-gaudi3": ["bf16", "fp8"]}
MODALITIES = [["text"], ["text", "code"], ["text", "image"], ["image"], ["audio", "speech"],
              ["biology"], ["video", "text"]]


def suffixed(rng, value):
    """Writes a positive number in one of the contract's accepted spellings."""
    style = rng.randrange(5)
    if style == 0:
        return int(value)                      # JSON number
    if style == 1:
        return str(int(value))                 # plain decimal string
    if style == 2:
        return "%.3e" % value                  # scientific string
    for suffix, scale in (("T", 1e12), ("B", 1e9), ("M", 1e6), ("K", 1e3)):
        if scale <= value < scale * 1000:
            return "%g%s" % (round(value / scale, 2), suffix)
    return "%.3e" % value


def maybe_interval(rng, value, share=0.25):
    """A point, or an interval around it with a distribution."""
    if rng.random() >= share:
        return suffixed(rng, value)
    spread = 1.0 + rng.uniform(0.1, 1.5)
    out = {"low": "%.4g" % (value / spread), "high": "%.4g" % (value * spread)}
    if rng.random() < 0.5:
        out["central"] = "%.4g" % value
    out["distribution"] = rng.choice(["log-uniform", "uniform", "triangular"])
    return out


def decoder(rng, moe):
    layers = rng.choice([12, 24, 32, 40, 48, 60, 80, 96, 126])
    heads = rng.choice([16, 32, 64, 128])
    head_dim = rng.choice([64, 128])
    d_model = heads * head_dim
    arch = {"family": "decoder", "layers": layers, "d_model": d_model, "heads": heads,
            "kv_heads": rng.choice([heads, 8, 1]) if heads >= 8 else heads,
            "ffn": d_model * rng.choice([3, 4]), "mlp": rng.choice(["plain", "gated"]),
            "vocab": rng.choice([32000, 50257, 128256, 152064])}
    if moe:
        experts = rng.choice([8, 16, 64, 128])
        arch["moe"] = {"experts": experts, "active": rng.choice([1, 2, 4, 8]),
                       "shared": rng.choice([0, 1]), "dense_layers": rng.choice([0, 1, 3])}
    return arch


def encoder_decoder(rng):
    heads = rng.choice([8, 16, 32, 64])
    d_model = heads * 64
    return {"family": "encoder-decoder", "encoder_layers": rng.choice([6, 12, 24]),
            "decoder_layers": rng.choice([6, 12, 24]), "d_model": d_model, "heads": heads,
            "ffn": d_model * 4, "vocab": 32128, "tied_embeddings": True}


def vit(rng):
    heads = rng.choice([12, 16])
    return {"family": "vit", "layers": rng.choice([12, 24, 32]), "d_model": heads * 64,
            "heads": heads, "ffn": heads * 256,
            **dict(zip(("image_size", "patch_size"), rng.choice([(224, 14), (224, 16), (384, 16)]))),
            "channels": 3, "classes": 1000}


def hardware_stage(rng, kind):
    accelerator = rng.choice(sorted(ACCELERATORS))
    hw = {"accelerator": accelerator, "count": rng.choice([256, 1024, 4096, 16384]),
          "hours": maybe_interval(rng, rng.uniform(100, 3000), 0.3)}
    precisions = ACCELERATORS[accelerator]
    if precisions[0] != "bf16" or rng.random() < 0.7:
        hw["precision"] = rng.choice(precisions) if precisions[0] == "bf16" else precisions[0]
    if rng.random() < 0.6:
        hw["utilization"] = round(rng.uniform(0.2, 0.55), 2)
    return {"kind": kind, "label": kind + " (hardware)", "hardware": hw}


def record(rng, i):
    family = rng.choices(["decoder", "moe", "encoder-decoder", "vit", "generic"],
                         weights=[50, 20, 10, 10, 10])[0]
    rec = {"id": "synthetic-%07d" % i, "name": "Synthetic model %d" % i,
           "developer": "Lab %d" % rng.randrange(40),
           "released": "%d-%02d-%02d" % (rng.randrange(2019, 2027), rng.randrange(1, 13),
                                         rng.randrange(1, 29)),
           "modalities": rng.choice(MODALITIES), "weights": rng.choice(["open", "closed"])}
    if rng.random() < 0.3:
        rec["developer_revenue_usd"] = suffixed(rng, rng.uniform(1e7, 1e11))
    if rng.random() < 0.1:
        rec["bio_sequence_share"] = round(rng.random(), 2)
    stages = []
    if family in ("decoder", "moe"):
        rec["architecture"] = decoder(rng, family == "moe")
        tokens = 10 ** rng.uniform(10.5, 13.3)
        stages.append({"kind": "pretraining", "tokens": maybe_interval(rng, tokens),
                       "seq_len": rng.choice([2048, 4096, 8192])})
    elif family == "encoder-decoder":
        rec["architecture"] = encoder_decoder(rng)
        stages.append({"kind": "pretraining", "examples": suffixed(rng, 10 ** rng.uniform(8, 9.5)),
                       "seq_len": 512, "target_len": 114})
    elif family == "vit":
        rec["architecture"] = vit(rng)
        stages.append({"kind": "pretraining", "examples": suffixed(rng, 10 ** rng.uniform(8, 10))})
    else:
        params = 10 ** rng.uniform(8, 11.5)
        rec["architecture"] = {"family": "generic", "params": suffixed(rng, params)}
        stages.append({"kind": "pretraining", "tokens": maybe_interval(rng, 10 ** rng.uniform(10, 13)),
                       "params": suffixed(rng, params)})
    if rng.random() < 0.4:
        stages.append({"kind": "fine-tuning", "label": "instruction tuning",
                       "flop": maybe_interval(rng, 10 ** rng.uniform(20, 24))})
    if rng.random() < 0.2:
        stages.append({"kind": "rl", "flop": suffixed(rng, 10 ** rng.uniform(21, 24.5))})
    if rng.random() < 0.2:
        stages.append({"kind": "synthetic-data", "label": "generated by a teacher",
                       "params": suffixed(rng, 10 ** rng.uniform(10, 12)),
                       "tokens": suffixed(rng, 10 ** rng.uniform(10, 12)),
                       "public": rng.random() < 0.3})
    if rng.random() < 0.3:
        stages.append(hardware_stage(rng, rng.choice(["continued-pretraining", "fine-tuning",
                                                      "evaluation", "failed-run"])))
    if rng.random() < 0.15:
        stages[0]["hardware"] = hardware_stage(rng, "pretraining")["hardware"]
    rec["stages"] = stages
    return rec


def cluster(rng, i):
    return {"type": "cluster", "id": "cluster-%07d" % i, "name": "Cluster %d" % i,
            "accelerator": rng.choice(sorted(ACCELERATORS)), "count": rng.choice([1024, 25000, 100000]),
            "network_gbit_s": rng.choice([100, 200, 400, 800]),
            "single_datacenter": rng.random() < 0.7}


SUFFIX = {"K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12, "P": 1e15}


def widen(rec):
    """Turns each stage's point tokens, flop and params into a [x/2, 2x] log-uniform interval."""
    for st in rec.get("stages", []):
        for key in ("tokens", "flop", "params"):
            v = st.get(key)
            if isinstance(v, (int, float)) or (isinstance(v, str) and v):
                s = str(v)
                x = float(s[:-1]) * SUFFIX[s[-1]] if s[-1] in SUFFIX else float(s)
                st[key] = {"low": "%.4g" % (x / 2), "high": "%.4g" % (x * 2),
                           "distribution": "log-uniform"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("--seed", type=int, default=20250807)
    parser.add_argument("--clusters", action="store_true", help="mix in 2%% cluster records")
    parser.add_argument("--all-uncertain", action="store_true",
                        help="stage tokens/flop/params points become [x/2, 2x] log-uniform")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    out = sys.stdout
    for i in range(args.n):
        rec = cluster(rng, i) if args.clusters and rng.random() < 0.02 else record(rng, i)
        if args.all_uncertain:
            widen(rec)
        out.write(json.dumps(rec, separators=(",", ":")))
        out.write("\n")


if __name__ == "__main__":
    main()
