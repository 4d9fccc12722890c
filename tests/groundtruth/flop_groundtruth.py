#!/usr/bin/python3
"""Ground truth for the matmul convention's v2 decoder features (issue 20).

Builds a small PyTorch model for each record in records/, written from the papers (not from
FLOP Ledger's formulas), runs one training step (forward + backward) on CPU under
torch.profiler(with_flops=True) and sums the FLOP of the matrix products it executed (aten::mm,
addmm, bmm, baddbmm). The record's stage is exactly that step (tokens = batch x seq_len), so
`flopledger estimate RECORD` must give the same total.

  flop_groundtruth.py --write                 # recount every case, rewrite expected.json
  flop_groundtruth.py --check CLI CASE...     # recount CASE, compare with expected.json and CLI

Exit 77 when torch is missing (CTest SKIP_RETURN_CODE). Needs Debian's python3-torch: run it
with /usr/bin/python3.

Papers: MLA and MoE: DeepSeek-V2 (arXiv:2405.04434) eqs. 9-19; MTP: DeepSeek-V3
(arXiv:2412.19437) sec. 2.2; sliding window: Mistral 7B (arXiv:2310.06825) sec. 2; local/global:
Gemma 2 (arXiv:2408.00118); chunked attention: Llama 4 model card / code (chunks of
attention_chunk_size, every 4th layer global); Mamba-2 / SSD: Dao & Gu (arXiv:2405.21060) sec. 6
(block decomposition, listing 1); Mamba: Gu & Dao (arXiv:2312.00752) alg. 2; ViT: Dosovitskiy
et al. (arXiv:2010.11929) eq. 1-4; LLaVA-1.5 projector: Liu et al. (arXiv:2310.03744).
"""
import json
import math
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = ["mla", "mtp", "sliding", "local-global", "chunked", "mamba2", "mamba", "vision"]
MATMUL_OPS = {"aten::mm", "aten::addmm", "aten::bmm", "aten::baddbmm"}

try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    from torch.profiler import ProfilerActivity, profile
except ImportError:
    print("torch is not installed (Debian: python3-torch); skipping", file=sys.stderr)
    sys.exit(77)


def rmsnorm(x):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-6)


def rope(x):
    # Rotary embedding on the last dim (elementwise: no matrix product).
    s, h = x.shape[-2], x.shape[-1] // 2
    pos = torch.arange(s, dtype=x.dtype).unsqueeze(-1)
    ang = pos / (10000 ** (torch.arange(h, dtype=x.dtype) / h))
    c, sn = torch.cos(ang), torch.sin(ang)
    a, b = x[..., :h], x[..., h:]
    return torch.cat([a * c - b * sn, a * sn + b * c], dim=-1)


def attend(q, k, v, mode, span):
    """q, k: [b, H, S, dk], v: [b, H, S, dv]. Causal softmax attention where each query scores
    all S keys (full), its window of `span` keys (sliding; the first span-1 queries score padding
    that the mask removes, as a banded kernel does), or the keys of its chunk (chunked)."""
    S = q.shape[2]
    scale = 1.0 / math.sqrt(q.shape[-1])
    if mode == "sliding" and span < S:
        kw = F.pad(k, (0, 0, span - 1, 0)).unfold(2, span, 1)  # [b, H, S, dk, W]
        vw = F.pad(v, (0, 0, span - 1, 0)).unfold(2, span, 1)  # [b, H, S, dv, W]
        s = (q.unsqueeze(-2) @ kw).squeeze(-2) * scale  # [b, H, S, W]
        idx = torch.arange(S).unsqueeze(1) - (span - 1) + torch.arange(span).unsqueeze(0)
        s = s.masked_fill(idx < 0, float("-inf"))
        p = torch.softmax(s, dim=-1)
        return (p.unsqueeze(-2) @ vw.transpose(-1, -2)).squeeze(-2)
    if mode == "chunked" and span < S:
        outs = [attend(qc, kc, vc, "full", 0) for qc, kc, vc in
                zip(q.split(span, 2), k.split(span, 2), v.split(span, 2))]
        return torch.cat(outs, dim=2)
    s = (q @ k.transpose(-1, -2)) * scale
    mask = torch.triu(torch.ones(S, S, dtype=torch.bool), diagonal=1)
    p = torch.softmax(s.masked_fill(mask, float("-inf")), dim=-1)
    return p @ v


class Attention(nn.Module):
    """Multi-head (GQA) attention, or MLA as trained (no weight absorption)."""

    def __init__(self, a, mode, span):
        super().__init__()
        d, H = a["d_model"], a["heads"]
        self.H, self.mode, self.span = H, mode, span
        att = a.get("attention", "mha")
        self.mla = isinstance(att, dict) and att.get("kind") == "mla"
        if self.mla:
            self.qr, self.kvr = att.get("q_lora_rank", 0), att["kv_lora_rank"]
            self.nope, self.rp, self.vd = (att["qk_nope_head_dim"], att["qk_rope_head_dim"],
                                           att["v_head_dim"])
            if self.qr:
                self.w_dq = nn.Linear(d, self.qr, bias=False)           # W^DQ
                self.w_uq = nn.Linear(self.qr, H * self.nope, bias=False)  # W^UQ
                self.w_qr = nn.Linear(self.qr, H * self.rp, bias=False)    # W^QR
            else:
                self.w_q = nn.Linear(d, H * (self.nope + self.rp), bias=False)
            self.w_dkv = nn.Linear(d, self.kvr, bias=False)              # W^DKV
            self.w_uk = nn.Linear(self.kvr, H * self.nope, bias=False)     # W^UK
            self.w_uv = nn.Linear(self.kvr, H * self.vd, bias=False)       # W^UV
            self.w_kr = nn.Linear(d, self.rp, bias=False)                # W^KR, shared by heads
            self.w_o = nn.Linear(H * self.vd, d, bias=False)
        else:
            hd = a.get("head_dim", d // H)
            kv = a.get("kv_heads", H)
            self.hd, self.kv = hd, kv
            self.wq = nn.Linear(d, H * hd, bias=False)
            self.wk = nn.Linear(d, kv * hd, bias=False)
            self.wv = nn.Linear(d, kv * hd, bias=False)
            self.wo = nn.Linear(H * hd, d, bias=False)

    def forward(self, x):
        b, S, _ = x.shape
        H = self.H
        heads = lambda t, w: t.view(b, S, H, w).transpose(1, 2)
        if self.mla:
            if self.qr:
                cq = self.w_dq(x)
                qc, qrope = heads(self.w_uq(cq), self.nope), heads(self.w_qr(cq), self.rp)
            else:
                qa = heads(self.w_q(x), self.nope + self.rp)
                qc, qrope = qa[..., :self.nope], qa[..., self.nope:]
            ckv = self.w_dkv(x)
            kc, v = heads(self.w_uk(ckv), self.nope), heads(self.w_uv(ckv), self.vd)
            kr = rope(self.w_kr(x).unsqueeze(1)).expand(b, H, S, self.rp)
            q = torch.cat([qc, rope(qrope)], dim=-1)
            k = torch.cat([kc, kr], dim=-1)
            o = attend(q, k, v, self.mode, self.span)
            return self.w_o(o.transpose(1, 2).reshape(b, S, H * self.vd))
        q = rope(heads(self.wq(x), self.hd))
        k = rope(self.wk(x).view(b, S, self.kv, self.hd).transpose(1, 2))
        v = self.wv(x).view(b, S, self.kv, self.hd).transpose(1, 2)
        rep = H // self.kv
        k, v = k.repeat_interleave(rep, dim=1), v.repeat_interleave(rep, dim=1)
        o = attend(q, k, v, self.mode, self.span)
        return self.wo(o.transpose(1, 2).reshape(b, S, H * self.hd))


class Mlp(nn.Module):
    def __init__(self, d, f, gated):
        super().__init__()
        self.gated = gated
        self.w1 = nn.Linear(d, f, bias=False)
        self.w3 = nn.Linear(d, f, bias=False) if gated else None
        self.w2 = nn.Linear(f, d, bias=False)

    def forward(self, x):
        h = F.silu(self.w1(x)) * self.w3(x) if self.gated else F.gelu(self.w1(x))
        return self.w2(h)


class Moe(nn.Module):
    """Top-k routed experts (each runs on the tokens routed to it) plus shared experts."""

    def __init__(self, d, m, f, gated):
        super().__init__()
        fe = m.get("expert_ffn", f)
        self.k = m["active"]
        self.router = nn.Linear(d, m["experts"], bias=False)
        self.experts = nn.ModuleList(Mlp(d, fe, gated) for _ in range(m["experts"]))
        self.shared = nn.ModuleList(Mlp(d, fe, gated) for _ in range(m.get("shared", 0)))

    def forward(self, x):
        shape = x.shape
        x = x.reshape(-1, shape[-1])
        w, idx = torch.softmax(self.router(x), dim=-1).topk(self.k, dim=-1)
        out = sum(e(x) for e in self.shared) if len(self.shared) else torch.zeros_like(x)
        for e, expert in enumerate(self.experts):
            tok, slot = (idx == e).nonzero(as_tuple=True)
            if tok.numel():
                out = out.index_add(0, tok, expert(x[tok]) * w[tok, slot].unsqueeze(-1))
        return out.view(shape)


def depthwise_conv(x, w, bias):
    """Causal depthwise convolution, x [b, S, ch], w [ch, K]: each output is the dot product of a
    channel's last K inputs with its filter (written as a batched product over channels)."""
    K = w.shape[1]
    win = F.pad(x.transpose(1, 2), (K - 1, 0)).unfold(2, K, 1)  # [b, ch, S, K]
    return ((win @ w.unsqueeze(-1)).squeeze(-1) + bias.unsqueeze(-1)).transpose(1, 2)


class Mamba2(nn.Module):
    """Mamba-2 block with the SSD scan in its block decomposition (Dao & Gu 2024, sec. 6)."""

    def __init__(self, d, s):
        super().__init__()
        self.Di, self.N, self.Hs = s["d_inner"], s["d_state"], s["heads"]
        self.G, self.Q = s.get("groups", 1), s.get("chunk_size", 256)
        K = s.get("conv_kernel", 4)
        conv_dim = self.Di + 2 * self.G * self.N
        self.in_proj = nn.Linear(d, 2 * self.Di + 2 * self.G * self.N + self.Hs, bias=False)
        self.conv_w = nn.Parameter(torch.randn(conv_dim, K) * 0.3)
        self.conv_b = nn.Parameter(torch.zeros(conv_dim))
        self.A_log = nn.Parameter(torch.zeros(self.Hs))
        self.dt_bias = nn.Parameter(torch.zeros(self.Hs))
        self.D = nn.Parameter(torch.ones(self.Hs))
        self.out_proj = nn.Linear(self.Di, d, bias=False)
        self.finals = []

    def ssd(self, x, dt, A, B, C):
        b, S, Hs, P = x.shape
        rep = Hs // self.G
        X = x * dt.unsqueeze(-1)
        Adt = A * dt  # [b, S, Hs]
        # The fused kernels take an initial state and return the final one, with gradients for
        # both: every chunk reads a state and writes one.
        h = torch.zeros(b, Hs, P, self.N, requires_grad=True)
        ys = []
        for Xc, Bc, Cc, Ac in zip(X.split(self.Q, 1), B.split(self.Q, 1), C.split(self.Q, 1),
                                  Adt.split(self.Q, 1)):
            q = Xc.shape[1]
            Acs = torch.cumsum(Ac, dim=1).permute(0, 2, 1)  # [b, Hs, q]
            seg = Acs.unsqueeze(-1) - Acs.unsqueeze(-2)
            Lm = torch.exp(seg.masked_fill(torch.triu(torch.ones(q, q, dtype=torch.bool), 1),
                                           float("-inf")))
            CB = Cc.permute(0, 2, 1, 3) @ Bc.permute(0, 2, 3, 1)  # [b, G, q, q]
            Xh = Xc.permute(0, 2, 1, 3)  # [b, Hs, q, P]
            y_diag = (CB.repeat_interleave(rep, 1) * Lm) @ Xh
            Ch = Cc.repeat_interleave(rep, 2).permute(0, 2, 1, 3)  # [b, Hs, q, N]
            y_off = (Ch @ h.transpose(-1, -2)) * torch.exp(Acs).unsqueeze(-1)
            Bh = Bc.repeat_interleave(rep, 2).permute(0, 2, 1, 3)
            decay = torch.exp(Acs[..., -1:] - Acs).unsqueeze(-1)  # [b, Hs, q, 1]
            states = (Xh * decay).transpose(-1, -2) @ Bh  # [b, Hs, P, N]
            h = torch.exp(Acs[..., -1]).unsqueeze(-1).unsqueeze(-1) * h + states  # scalar scan
            ys.append(y_diag + y_off)
        self.finals.append(h)
        return torch.cat(ys, dim=2).permute(0, 2, 1, 3)

    def forward(self, u):
        b, S, _ = u.shape
        GN = self.G * self.N
        z, xBC, dt = self.in_proj(u).split([self.Di, self.Di + 2 * GN, self.Hs], dim=-1)
        xBC = F.silu(depthwise_conv(xBC, self.conv_w, self.conv_b))
        x, B, C = xBC.split([self.Di, GN, GN], dim=-1)
        dt = F.softplus(dt + self.dt_bias)
        P = self.Di // self.Hs
        y = self.ssd(x.reshape(b, S, self.Hs, P), dt, -torch.exp(self.A_log),
                     B.reshape(b, S, self.G, self.N), C.reshape(b, S, self.G, self.N))
        y = y + self.D.view(1, 1, -1, 1) * x.reshape(b, S, self.Hs, P)
        y = rmsnorm(y.reshape(b, S, self.Di) * F.silu(z))
        return self.out_proj(y)


class Mamba(nn.Module):
    """Mamba block (Gu & Dao 2023, alg. 2) with the selective scan as its recurrence."""

    def __init__(self, d, s):
        super().__init__()
        self.Di, self.N, self.R = s["d_inner"], s["d_state"], s["dt_rank"]
        K = s.get("conv_kernel", 4)
        self.in_proj = nn.Linear(d, 2 * self.Di, bias=False)
        self.conv_w = nn.Parameter(torch.randn(self.Di, K) * 0.3)
        self.conv_b = nn.Parameter(torch.zeros(self.Di))
        self.x_proj = nn.Linear(self.Di, self.R + 2 * self.N, bias=False)
        self.dt_proj = nn.Linear(self.R, self.Di, bias=True)
        self.A_log = nn.Parameter(torch.zeros(self.Di, self.N))
        self.D = nn.Parameter(torch.ones(self.Di))
        self.out_proj = nn.Linear(self.Di, d, bias=False)

    def forward(self, u):
        b, S, _ = u.shape
        x, z = self.in_proj(u).chunk(2, dim=-1)
        x = F.silu(depthwise_conv(x, self.conv_w, self.conv_b))
        dtr, B, C = self.x_proj(x).split([self.R, self.N, self.N], dim=-1)
        dt = F.softplus(self.dt_proj(dtr))
        A = -torch.exp(self.A_log)
        h = torch.zeros(b, self.Di, self.N)
        ys = []
        for t in range(S):
            h = torch.exp(dt[:, t].unsqueeze(-1) * A) * h + \
                (dt[:, t] * x[:, t]).unsqueeze(-1) * B[:, t].unsqueeze(1)
            ys.append((h * C[:, t].unsqueeze(1)).sum(-1))
        y = torch.stack(ys, dim=1) + self.D * x
        return self.out_proj(y * F.silu(z))


class VisionTower(nn.Module):
    """ViT (patches as a linear projection of flattened pixels, eq. 1) and a LLaVA projector."""

    def __init__(self, v, d_model):
        super().__init__()
        vd, self.P = v["d_model"], v["patch_size"]
        self.C = v.get("channels", 3)
        self.cls = v.get("class_token", True)
        self.patch = nn.Linear(self.P * self.P * self.C, vd)
        n = (v["image_size"] // self.P) ** 2
        self.cls_tok = nn.Parameter(torch.zeros(1, 1, vd))
        self.pos = nn.Parameter(torch.zeros(1, n + (1 if self.cls else 0), vd))
        gated = v.get("mlp", "plain") == "gated"
        self.blocks = nn.ModuleList()
        for _ in range(v["layers"]):
            blk = nn.Module()
            blk.attn = Attention({"d_model": vd, "heads": v["heads"]}, "full", 0)
            blk.mlp = Mlp(vd, v["ffn"], gated)
            self.blocks.append(blk)
        h = v.get("projector_hidden", 0)
        self.proj = nn.Sequential(nn.Linear(vd, h), nn.GELU(), nn.Linear(h, d_model)) if h \
            else nn.Linear(vd, d_model)
        if v.get("frozen", False):
            for p in [self.patch.weight, self.patch.bias, self.cls_tok, self.pos] + \
                    [p for blk in self.blocks for p in blk.parameters()]:
                p.requires_grad_(False)

    def forward(self, img):
        b = img.shape[0]
        P = self.P
        patches = img.unfold(2, P, P).unfold(3, P, P)  # [b, C, n, n, P, P]
        patches = patches.permute(0, 2, 3, 1, 4, 5).reshape(b, -1, self.C * P * P)
        x = self.patch(patches)
        if self.cls:
            x = torch.cat([self.cls_tok.expand(b, 1, -1), x], dim=1)
        x = x + self.pos
        for blk in self.blocks:
            x = x + blk.attn(rmsnorm(x))
            x = x + blk.mlp(rmsnorm(x))
        if self.cls:
            x = x[:, 1:]
        return self.proj(x)


class Decoder(nn.Module):
    def __init__(self, a):
        super().__init__()
        d, V = a["d_model"], a["vocab"]
        L = a["layers"]
        ssm = a.get("ssm")
        Ls = ssm["layers"] if ssm else 0
        La = a.get("attention_layers", L - Ls)
        Lf = a.get("ffn_layers", L)
        moe = a.get("moe")
        dense = moe.get("dense_layers", 0) if moe else L
        gated = a.get("mlp", "plain") == "gated"
        f = a.get("ffn", 4 * d)
        mode, span, every = "full", 0, 0
        if "sliding_window" in a:
            mode, span, every = "sliding", a["sliding_window"], 0
        elif "local_global" in a:
            mode, span, every = "sliding", a["local_global"]["window"], \
                a["local_global"]["global_every"]
        elif "chunked_attention" in a:
            mode, span, every = "chunked", a["chunked_attention"]["chunk"], \
                a["chunked_attention"]["global_every"]
        self.mode, self.span = mode, span
        self.embed = nn.Embedding(V, d)
        self.mixers, self.ffns = nn.ModuleList(), nn.ModuleList()
        for i in range(Ls):
            self.mixers.append(Mamba2(d, ssm) if ssm.get("kind", "mamba2") == "mamba2"
                               else Mamba(d, ssm))
        for j in range(1, La + 1):
            glob = every and j % every == 0  # the every-th, 2 every-th, ... attention block
            self.mixers.append(Attention(a, "full" if glob else mode, span))
        for i in range(Lf):
            self.ffns.append(Mlp(d, f, gated) if i < dense else Moe(d, moe, f, gated))
        self.head = nn.Linear(d, V, bias=False)
        self.mtp = nn.ModuleList()
        for _ in range(a.get("mtp_depth", 0)):
            m = nn.Module()
            m.proj = nn.Linear(2 * d, d, bias=False)  # M_k
            m.attn = Attention(a, "sliding" if "sliding_window" in a else "full", span)
            m.ffn = Moe(d, moe, f, gated) if moe and dense < Lf else Mlp(d, f, gated)
            self.mtp.append(m)
        self.vision = VisionTower(a["vision"], d) if "vision" in a else None

    def forward(self, ids, images=None):
        x = self.embed(ids)
        if self.vision is not None:
            img = self.vision(images)
            x = torch.cat([img, x[:, img.shape[1]:]], dim=1)
        n = max(len(self.mixers), len(self.ffns))
        for i in range(n):
            if i < len(self.mixers):
                x = x + self.mixers[i](rmsnorm(x))
            if i < len(self.ffns):
                x = x + self.ffns[i](rmsnorm(x))
        loss = F.cross_entropy(self.head(rmsnorm(x)).flatten(0, 1), ids.roll(-1, 1).flatten())
        # MTP (DeepSeek-V3 sec. 2.2): depth k combines h^{k-1} with the embedding of token i+k,
        # runs one block and the shared head; every position is used (the ids are rolled).
        h = x
        for k, m in enumerate(self.mtp, start=1):
            e = self.embed(ids.roll(-k, 1))
            h = m.proj(torch.cat([rmsnorm(h), rmsnorm(e)], dim=-1))
            h = h + m.attn(rmsnorm(h))
            h = h + m.ffn(rmsnorm(h))
            logits = self.head(rmsnorm(h))
            loss = loss + F.cross_entropy(logits.flatten(0, 1), ids.roll(-k - 1, 1).flatten())
        for mx in self.mixers:
            for fin in getattr(mx, "finals", []):
                loss = loss + 0 * fin.sum()  # the final SSD state is an output of the kernel
        return loss


def count(record):
    torch.manual_seed(0)
    a = record["architecture"]
    st = record["stages"][0]
    S = st["seq_len"]
    b = st["tokens"] // S
    model = Decoder(a)
    ids = torch.randint(0, a["vocab"], (b, S))
    images = None
    if "vision" in a:
        v = a["vision"]
        assert st["images"] == b, "one image per sequence"
        images = torch.randn(b, v.get("channels", 3), v["image_size"], v["image_size"])
    with profile(activities=[ProfilerActivity.CPU], with_flops=True) as prof:
        loss = model(ids, images)
        loss.backward()
    return int(sum(ev.flops for ev in prof.events() if ev.name in MATMUL_OPS and ev.flops))


def load(case):
    with open(os.path.join(HERE, "records", case + ".json")) as f:
        return json.load(f)


def estimate(cli, case):
    out = subprocess.run([cli, "estimate", os.path.join(HERE, "records", case + ".json"),
                          "--format", "json"], capture_output=True, text=True)
    if out.returncode != 0:
        print(out.stdout + out.stderr, file=sys.stderr)
        sys.exit(1)
    data = json.loads(out.stdout)
    item = data[0] if isinstance(data, list) else data
    return float(item["total"]["central"])


def main(argv):
    torch.set_num_threads(1)
    expected_path = os.path.join(HERE, "expected.json")
    if argv[:1] == ["--write"]:
        expected = {c: count(load(c)) for c in (argv[1:] or CASES)}
        with open(expected_path, "w") as f:
            json.dump(expected, f, indent=2, sort_keys=True)
            f.write("\n")
        print(json.dumps(expected, indent=2))
        return 0
    if len(argv) < 3 or argv[0] != "--check":
        print(__doc__, file=sys.stderr)
        return 2
    cli = argv[1]
    with open(expected_path) as f:
        expected = json.load(f)
    ok = True
    for case in argv[2:]:
        measured = count(load(case))
        est = estimate(cli, case)
        rel = abs(est - measured) / measured
        line = f"{case}: profiler {measured} (committed {expected.get(case)}), " \
               f"flopledger {est:.6g}, difference {rel * 100:.4f}%"
        print(line)
        if measured != expected.get(case):
            print(f"{case}: the profiler count differs from expected.json", file=sys.stderr)
            ok = False
        if rel > 1e-3:
            print(f"{case}: flopledger differs from the profiler by more than 0.1%",
                  file=sys.stderr)
            ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
