#!/usr/bin/env python3
"""Deterministic generator of N synthetic FLOP Ledger model records (JSON Lines on stdout).

The mix covers what the estimator and the policies have to handle: dense decoders, MoE
decoders, encoder-decoders, ViTs and generic models; numbers written as JSON numbers, plain
strings, scientific strings and K/M/B/T suffixes; uncertain inputs as {"low", "high"} intervals;
several stages per record (pre-training, fine-tuning, RL, synthetic data on another model, stated
compute, hardware-only stages with accelerator, chips, hours, precision and utilization).

Same N and seed -> byte-identical output.
Usage: gen_records.py N [--seed S] [--clusters] [--all-uncertain] [--uncertain]
(--all-uncertain: every point tokens/flop/params figure of a stage becomes a log-uniform interval
from half to twice its value, a stress case for the Monte Carlo.)
(--uncertain: the standard "uncertain registry" of the benchmark (issue 19): every record has a
multi-stage ledger; 40% of the records are uncertain: every hardware figure's utilization is an
interval, and half of them (20% of all) also carry parameter and token intervals; about half of
the pre-training stages state both an architecture and the hardware they ran on, so the
implied utilization is computed; training tokens are drawn so that about 8% of all verdicts are
indeterminate against the shipped policies as of 2026-06-01.)
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


def distribution(rng):
    return rng.choice(["log-uniform", "uniform", "triangular"])


def utilization_interval(rng):
    low = round(rng.uniform(0.12, 0.3), 2)
    out = {"low": low, "high": round(low + rng.uniform(0.2, 0.4), 2),
           "distribution": distribution(rng)}
    if rng.random() < 0.3:
        out["central"] = round((out["low"] + out["high"]) / 2, 3)
    return out


def spread_interval(rng, value, lo=1.5, hi=4.0):
    """An interval of about [value / k, value * k] around a point, as strings or numbers."""
    k = rng.uniform(lo, hi)
    out = {"low": "%.4g" % (value / k), "high": "%.4g" % (value * k), "distribution": distribution(rng)}
    if rng.random() < 0.4:
        out["central"] = "%.4g" % value
    return out


# Dense bf16 peaks (FLOP/s), only to aim the generated hardware stages near the thresholds.
PEAK = {"nvidia-a100": 312e12, "nvidia-h100-sxm": 989e12, "nvidia-h100-pcie": 756e12,
        "nvidia-h200": 989e12, "nvidia-v100-sxm2": 125e12, "amd-mi300x": 1307e12,
        "google-tpu-v4": 275e12, "google-tpu-v5p": 459e12, "nvidia-b200": 2250e12,
        "intel-gaudi3": 1835e12}


def active_params(arch):
    """Rough parameters per token of a generated architecture (None when not a decoder)."""
    if arch.get("family") == "generic":
        return num(arch["params"])
    if arch.get("family") != "decoder":
        return None
    d, heads, kv = arch["d_model"], arch["heads"], arch["kv_heads"]
    head_dim = d // heads
    ffn_mats = 3 if arch["mlp"] == "gated" else 2
    ffn = ffn_mats * d * arch["ffn"]
    if "moe" in arch:
        ffn *= arch["moe"]["active"] + arch["moe"]["shared"]
    block = 2 * d * d + 2 * d * kv * head_dim + ffn
    return arch["layers"] * block + arch["vocab"] * d


# Calibrated so that about 8% of all verdicts are indeterminate (as of 2026-06-01).
AIM_TOKENS, AIM_HARDWARE, AIM_SPREAD = 1.0, 1.0, 0.35


def near_threshold(rng):
    """A training compute within a factor ~4 of 1e26 (most policies) or 1e25 (the EU's)."""
    centre = 26 if rng.random() < 0.8 else 25
    return 10 ** rng.uniform(centre - AIM_SPREAD, centre + AIM_SPREAD)


def point(v):
    """The central value of an interval (the midpoint when none is given)."""
    if "central" in v:
        return v["central"]
    return "%.4g" % ((num(v["low"]) + num(v["high"])) / 2)


def certain(rec):
    """The record with every interval of the base generator replaced by its central value."""
    for st in rec["stages"]:
        for holder in (st, st.get("hardware", {})):
            for key, v in list(holder.items()):
                if isinstance(v, dict) and "low" in v:
                    holder[key] = point(v)
    return rec


def uncertain_record(rng, i):
    """A record of the uncertain registry (see the module comment)."""
    rec = record(rng, i)
    stages = rec["stages"]
    pre = stages[0]
    arch = rec["architecture"]
    # Both methods on the pre-training stage: architecture (or 6ND) and hardware.
    if "hardware" not in pre and rng.random() < 0.5:
        pre["hardware"] = hardware_stage(rng, "pretraining")["hardware"]
    # Multi-stage ledgers: at least two stages.
    if len(stages) < 2:
        if rng.random() < 0.5:
            stages.append({"kind": "fine-tuning", "label": "instruction tuning",
                           "flop": suffixed(rng, 10 ** rng.uniform(20, 24))})
        else:
            stages.append(hardware_stage(rng, rng.choice(["continued-pretraining", "rl"])))
    if rng.random() >= 0.4:
        return certain(rec)
    # Uncertain (40%): utilization intervals on every hardware figure.
    n = active_params(arch)
    if rng.random() < 0.5:
        # 20%: parameter and token intervals too, the pre-training aimed near a threshold.
        if n is not None and "tokens" in pre and rng.random() < AIM_TOKENS:
            pre["tokens"] = suffixed(rng, near_threshold(rng) / (6 * n))
        for key in ("params", "tokens"):
            for st in stages:
                v = st.get(key)
                if v is not None and not isinstance(v, dict):
                    st[key] = spread_interval(rng, num(v))
        if arch.get("family") == "generic" and not isinstance(arch["params"], dict):
            arch["params"] = spread_interval(rng, num(arch["params"]))
    elif rng.random() < AIM_HARDWARE:
        # A large hardware-only stage near a threshold, its utilization uncertain.
        st = hardware_stage(rng, "continued-pretraining")
        hw = st["hardware"]
        peak = PEAK[hw["accelerator"]] * (2 if hw.get("precision") == "fp8" else 1)
        hw["hours"] = round(near_threshold(rng) / (hw["count"] * 3600 * peak * 0.35), 1)
        stages.append(st)
    for st in stages:
        if "hardware" in st:
            st["hardware"]["utilization"] = utilization_interval(rng)
    return rec


def num(v):
    s = str(v)
    return float(s[:-1]) * SUFFIX[s[-1]] if s[-1] in SUFFIX else float(s)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("--seed", type=int, default=20250807)
    parser.add_argument("--clusters", action="store_true", help="mix in 2%% cluster records")
    parser.add_argument("--all-uncertain", action="store_true",
                        help="stage tokens/flop/params points become [x/2, 2x] log-uniform")
    parser.add_argument("--uncertain", action="store_true",
                        help="the standard uncertain registry of the benchmark (issue 19)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    out = sys.stdout
    for i in range(args.n):
        make = uncertain_record if args.uncertain else record
        rec = cluster(rng, i) if args.clusters and rng.random() < 0.02 else make(rng, i)
        if args.all_uncertain:
            widen(rec)
        out.write(json.dumps(rec, separators=(",", ":")))
        out.write("\n")


if __name__ == "__main__":
    main()
