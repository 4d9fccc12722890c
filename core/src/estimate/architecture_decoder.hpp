#pragma once
// Private: the decoder's forward FLOP and parameter counts with the v2 features of contract 2.2
// (multi-head latent attention, sliding / local-global / chunked attention, state-space mixers,
// multi-token prediction). Included at the end of architecture_model.hpp; templates over the
// number type like the rest of the model. docs/methodology.md states every rule used here.
#include "estimate/architecture_model.hpp"

#include <cmath>

namespace flopledger::inline v1::detail {

/// floor(a / b) for positive a, b.
inline double floorDiv(const double& a, const double& b) {
    return std::floor(a / b);
}
inline Exact floorDiv(const Exact& a, const Exact& b) {
    const BigInt n = numerator(a) * denominator(b), d = denominator(a) * numerator(b);
    return Exact(BigInt(n / d));  // both positive: truncation is floor
}
inline LazyRational floorDiv(const LazyRational& a, const LazyRational& b) {
    return LazyRational(floorDiv(a.toExact(), b.toExact()));
}

/// Mean keys per query when S tokens are cut into chunks of C and each query scores every key
/// of its chunk (the matmul convention ignores causal masks): (n C^2 + r^2) / S, n = floor(S/C).
/// The same mean is the SSD diagonal block length of Mamba-2.
template <class T>
T chunkMeanKeys(const T& seq, const T& chunk) {
    if (!(chunk < seq)) return seq;
    T n = floorDiv(seq, chunk);
    T r = seq - n * chunk;
    T v = (n * chunk * chunk + r * r) / seq;
    reduceWhole(v);
    return v;
}

/// Keys scored per query, summed over the attention blocks.
template <class T>
T attentionLayerKeys(const ArchPlan& p, const Shape<T>& s, const T& seq) {
    switch (p.window) {
        case Window::Full:
            break;
        case Window::Sliding:
            return s.La * minOf(s.W, seq);
        case Window::LocalGlobal:
        case Window::Chunked: {
            // Every Ng-th block (the Ng-th, 2Ng-th, ...) is global.
            T global = floorDiv(s.La, s.Ng);
            T local = p.window == Window::LocalGlobal ? minOf(s.W, seq) : chunkMeanKeys(seq, s.W);
            return global * seq + (s.La - global) * local;
        }
    }
    return s.La * seq;
}

/// Query/key width and value width summed over heads.
template <class T>
T qkWidth(const ArchPlan& p, const Shape<T>& s) {
    return p.mla ? T(s.H * (s.nope + s.rope)) : s.q;
}
template <class T>
T vWidth(const ArchPlan& p, const Shape<T>& s) {
    return p.mla ? T(s.H * s.vhd) : s.q;
}

/// Attention weights of one block (matrices only).
template <class T>
T attentionParams(const ArchPlan& p, const Shape<T>& s) {
    if (!p.mla) return s.d * (s.q + s.kvw) * 2;
    T q = p.qLora ? T(s.d * s.qr + s.qr * qkWidth(p, s)) : T(s.d * qkWidth(p, s));
    return q + s.d * (s.kvr + s.rope) + s.kvr * s.H * (s.nope + s.vhd) + vWidth(p, s) * s.d;
}

/// `layers` attention blocks whose queries score `keys` keys in total (summed over blocks).
template <class T>
void addAttention(const ArchPlan& p, const Shape<T>& s, const T& layers, const T& keys,
                  Forward<T>& f) {
    if (!p.mla) {
        f.add(Comp::AttentionProjections, layers * attentionProjections(s));
    } else {
        // As trained: x -> c_q (-> per-head q), x -> [c_kv; k_rope], c_kv -> per-head k_nope, v.
        if (p.qLora) {
            f.add(Comp::LatentDown, layers * 2 * s.d * s.qr);
            f.add(Comp::LatentUp, layers * 2 * s.qr * qkWidth(p, s));
        } else {
            f.add(Comp::AttentionProjections, layers * 2 * s.d * qkWidth(p, s));
        }
        f.add(Comp::LatentDown, layers * 2 * s.d * s.kvr);
        f.add(Comp::RopeKey, layers * 2 * s.d * s.rope);
        f.add(Comp::LatentUp, layers * 2 * s.kvr * s.H * (s.nope + s.vhd));
        f.add(Comp::AttentionProjections, layers * 2 * vWidth(p, s) * s.d);
    }
    const bool halved = p.convention == Convention::Kaplan || p.convention == Convention::Megatron;
    const int per = halved ? 1 : 2;
    f.add(Comp::AttentionScores, keys * qkWidth(p, s) * per);
    f.add(Comp::AttentionValues, keys * vWidth(p, s) * per);
    if (p.convention == Convention::Chinchilla) f.add(Comp::Softmax, keys * s.H * 3);
}

/// State-space mixers. Mamba-2: in_proj d -> [z, x, B, C, dt] and out_proj are matrices; the
/// SSD scan is counted as its block decomposition (Dao & Gu 2024, section 6): per chunk of Q
/// tokens C B^T (per group) and its product with X (per head), the chunk states B^T X and the
/// state outputs C h; the scan across chunks is a scalar recurrence (no matrix product).
/// Mamba: in/x/dt/out projections; its selective scan is elementwise (no matrix product).
template <class T>
void addSsm(const ArchPlan& p, const Shape<T>& s, const T& seq, Forward<T>& f) {
    if (p.ssmKind == SsmKind::Mamba2) {
        T bc = s.G * s.N * 2;
        f.add(Comp::SsmProjections, s.Ls * (2 * s.d * (s.Di * 2 + bc + s.Hs) + 2 * s.Di * s.d));
        f.add(Comp::SsmConv, s.Ls * 2 * s.K * (s.Di + bc));
        T q = chunkMeanKeys(seq, s.Qc);
        f.add(Comp::SsmScan, s.Ls * (2 * s.G * s.N * q + 2 * s.Di * q + 4 * s.Di * s.N));
    } else {
        f.add(Comp::SsmProjections, s.Ls * (2 * s.d * s.Di * 2 + 2 * s.Di * (s.R + s.N * 2) +
                                            2 * s.R * s.Di + 2 * s.Di * s.d));
        f.add(Comp::SsmConv, s.Ls * 2 * s.K * s.Di);
    }
}

template <class T>
T ssmParams(const ArchPlan& p, const Shape<T>& s) {
    if (p.ssmKind == SsmKind::Mamba2) {
        T bc = s.G * s.N * 2;
        return s.d * (s.Di * 2 + bc + s.Hs) + s.Di * s.d + s.K * (s.Di + bc);
    }
    return s.d * s.Di * 2 + s.Di * (s.R + s.N * 2) + s.R * s.Di + s.Di * s.d + s.K * s.Di;
}

/// Whether the FFN of the model's last block (copied by an MTP module) is a MoE layer.
template <class T>
bool lastFfnIsMoe(const ArchPlan& p, const Shape<T>& s) {
    return p.moe && s.Ldense < s.Lf;
}

template <class T>
Forward<T> decoderForward(const ArchPlan& p, const Shape<T>& s, const T& seq) {
    Forward<T> f;
    const T one(1);
    if (T(0) < s.La) addAttention(p, s, s.La, attentionLayerKeys(p, s, seq), f);
    if (p.ssm) addSsm(p, s, seq, f);
    addFfn(p, s, s.Lf, one, p.convention != Convention::Megatron, f);
    switch (p.convention) {
        case Convention::Matmul:
            if (p.hasVocab) f.add(Comp::Logits, s.d * s.V * 2);
            break;
        case Convention::Kaplan:
            break;  // N is non-embedding and the de-embedding is left out (Kaplan Table 1)
        case Convention::Chinchilla:
            f.add(Comp::Embedding, s.V * s.d * 2);
            f.add(Comp::Logits, s.d * s.V * 2);
            break;
        case Convention::Palm:
            if (p.palm == PalmParams::Total) {
                f.add(Comp::Embedding, s.V * s.d * 2);
                if (!p.tied) f.add(Comp::Logits, s.d * s.V * 2);
            } else if (p.palm == PalmParams::NonEmbeddingTiedOutput) {
                f.add(Comp::Logits, s.d * s.V * 2);
            }
            break;
        case Convention::Megatron: {
            T v = p.padVocab ? ceilToMultiple(s.V, p.vocabMultiple) : s.V;
            f.add(Comp::Logits, s.d * v * 2);
            break;
        }
    }
    if (p.mtp) {
        // Each module: [norm(h); norm(emb(next token))] -> d, one block like the model's last
        // (full attention unless every block is windowed), then the shared output head, which is
        // counted exactly when the convention counts the main head.
        f.add(Comp::MtpProjection, s.mtp * 2 * 2 * s.d * s.d);
        Forward<T> b;
        T keys = p.window == Window::Sliding ? minOf(s.W, seq) : seq;
        addAttention(p, s, s.mtp, T(s.mtp * keys), b);
        if (lastFfnIsMoe(p, s)) {
            const T m(p.mlpMatrices);
            b.add(Comp::Experts, s.mtp * 2 * m * s.d * s.Fe * (s.k + s.S));
            if (p.convention != Convention::Megatron) b.add(Comp::Router, s.mtp * 2 * s.d * s.E);
        } else {
            addFfn(p, s, s.mtp, one, false, b);
        }
        T block(0);
        for (int c = 0; c < kCompCount; ++c) {
            if (b.has(c)) block += b.v[static_cast<std::size_t>(c)];
        }
        f.add(Comp::MtpBlock, block);
        if (f.has(static_cast<int>(Comp::Logits))) {
            f.add(Comp::MtpHead, s.mtp * f.v[static_cast<std::size_t>(Comp::Logits)]);
        }
        if (p.convention == Convention::Chinchilla) f.add(Comp::Embedding, s.mtp * s.V * s.d * 2);
    }
    return f;
}

/// Block parameters of a decoder (attention, SSM, FFN and MTP modules), all experts and active.
template <class T>
void decoderBlockParams(const ArchPlan& p, const Shape<T>& s, T& all, T& active) {
    T attn = attentionParams(p, s);
    T mixers = s.La * attn;
    if (p.ssm) mixers += s.Ls * ssmParams(p, s);
    all = mixers + ffnParams(p, s, s.Lf, false);
    active = mixers + ffnParams(p, s, s.Lf, true);
    if (p.vision) {
        T v = visionParams(p, s);
        all += v;
        active += v;
    }
    if (p.mtp) {
        const T m(p.mlpMatrices);
        T shared = s.mtp * (s.d * s.d * 2 + attn);
        if (lastFfnIsMoe(p, s)) {
            all += shared + s.mtp * (m * s.d * s.Fe * (s.E + s.S) + s.d * s.E);
            active += shared + s.mtp * (m * s.d * s.Fe * (s.k + s.S) + s.d * s.E);
        } else {
            all += shared + s.mtp * m * s.d * s.F;
            active += shared + s.mtp * m * s.d * s.F;
        }
    }
}

template <class T, class Get>
void resolveDecoderFeatures(const ArchPlan& p, const Get& get, Shape<T>& s) {
    const Architecture& a = *p.arch;
    if (p.family != Family::Decoder) return;
    s.Ls = p.ssm ? T(get(a.ssm->layers)) : T(0);
    s.La = p.hasAttentionLayers ? T(get(*a.attentionLayers)) : T(s.L - s.Ls);
    s.Lf = p.hasFfnLayers ? T(get(*a.ffnLayers)) : s.L;
    if (p.mla) {
        const MlaShape& m = *a.mla;
        s.qr = get(m.qLoraRank);
        s.kvr = get(m.kvLoraRank);
        s.nope = get(m.qkNopeHeadDim);
        s.rope = get(m.qkRopeHeadDim);
        s.vhd = get(m.vHeadDim);
    }
    switch (p.window) {
        case Window::Full:
            break;
        case Window::Sliding:
            s.W = get(*a.slidingWindow);
            break;
        case Window::LocalGlobal:
            s.W = get(a.localGlobal->span);
            s.Ng = get(a.localGlobal->globalEvery);
            break;
        case Window::Chunked:
            s.W = get(a.chunkedAttention->span);
            s.Ng = get(a.chunkedAttention->globalEvery);
            break;
    }
    if (p.ssm) {
        const SsmShape& m = *a.ssm;
        s.Di = get(m.dInner);
        s.N = get(m.dState);
        s.K = get(m.convKernel);
        if (p.ssmKind == SsmKind::Mamba2) {
            s.Hs = get(m.heads);
            s.G = get(m.groups);
            s.Qc = get(m.chunkSize);
        } else {
            s.R = get(m.dtRank);
        }
    }
    if (p.mtp) s.mtp = get(*a.mtpDepth);
    if (p.vision) {
        const VisionTower& v = *a.vision;
        s.vL = get(v.layers);
        s.vd = get(v.dModel);
        s.vH = get(v.heads);
        s.vF = get(v.ffn);
        s.vP = get(v.patchSize);
        s.vC = get(v.channels);
        s.vProj = get(v.projectorHidden);
        T side = get(v.imageSize) / s.vP;
        reduceWhole(side);
        s.vPatches = side * side;
        s.vTok = v.classToken ? T(s.vPatches + 1) : s.vPatches;
    }
}

/// Vision tower forward FLOP per image: the patch projection, the ViT blocks over every token
/// of the image (full attention, as the vit family), and the projector on every patch token.
/// The projector's first matrix reads the encoder output and its second (if any) writes the
/// decoder width: they are returned apart because a frozen encoder's output needs no gradient.
template <class T>
void visionForward(const ArchPlan& p, const Shape<T>& s, T& patch, T& blocks, T& proj1, T& proj2) {
    const T m(p.arch->vision->mlp == MlpKind::Gated ? 3 : 2);
    patch = s.vPatches * 2 * s.vP * s.vP * s.vC * s.vd;
    blocks = s.vTok * s.vL * (s.vd * s.vd * 8 + s.vTok * s.vd * 4 + s.vd * s.vF * m * 2);
    if (s.vProj > 0) {
        proj1 = s.vPatches * 2 * s.vd * s.vProj;
        proj2 = s.vPatches * 2 * s.vProj * s.d;
    } else {
        proj1 = s.vPatches * 2 * s.vd * s.d;
        proj2 = T(0);
    }
}

template <class T>
T visionParams(const ArchPlan& p, const Shape<T>& s) {
    const T m(p.arch->vision->mlp == MlpKind::Gated ? 3 : 2);
    T projector = s.vProj > 0 ? T(s.vd * s.vProj + s.vProj * s.d) : T(s.vd * s.d);
    return s.vP * s.vP * s.vC * s.vd + s.vL * (s.vd * s.vd * 4 + s.vd * s.vF * m) + projector;
}

}  // namespace flopledger::detail
