#pragma once
// Private: the architecture method's formulas, written once as templates over the number type.
// They are instantiated for Exact (the reported intervals, one endpoint at a time) and for double
// (the Monte Carlo), so the two paths cannot diverge. Every function here is pure arithmetic; the
// decisions (which inputs exist, defaults, diagnostics) are made once in ArchPlan.
#include "base/lazy_rational.hpp"

#include <flopledger/estimate.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <string_view>

namespace flopledger::inline v1::detail {

/// Forward-pass components, in report order.
enum class Comp : int {
    Embedding,
    PatchEmbedding,
    VisionEncoder,  ///< vision tower of a multimodal decoder (per image, stage images)
    VisionProjector,
    LatentDown,  ///< MLA: d -> query latent and d -> key/value latent
    LatentUp,    ///< MLA: latents -> per-head queries, keys and values
    RopeKey,     ///< MLA: d -> the rope key shared by all heads
    AttentionProjections,
    AttentionScores,
    Softmax,
    AttentionValues,
    CrossAttentionProjections,
    CrossAttentionScores,
    CrossAttentionValues,
    SsmProjections,  ///< Mamba in/out (and x/dt) projections
    SsmConv,         ///< depthwise causal convolution
    SsmScan,         ///< Mamba-2 SSD block matrices
    Mlp,
    Router,
    Experts,
    SharedExperts,
    Logits,
    MtpProjection,  ///< multi-token prediction: [h; emb] 2d -> d
    MtpBlock,
    MtpHead,
    MlmHead,
    Pooler,
    Classifier,
    Forward,  ///< generic family: the stated forward FLOP per example
    Count,
};
inline constexpr int kCompCount = static_cast<int>(Comp::Count);

std::string_view compName(int c);

/// Components inside the transformer blocks: the part that activation recomputation repeats.
constexpr bool compInBlocks(int c) {
    return (c >= static_cast<int>(Comp::LatentDown) &&
            c <= static_cast<int>(Comp::SharedExperts)) ||
           c == static_cast<int>(Comp::MtpBlock) || c == static_cast<int>(Comp::Forward);
}

/// Training multiple of the forward pass. The patch embedding's input is pixels, which need no
/// gradient: its backward is the weight gradient only (PyTorch's convolution_backward honours
/// output_mask), so it costs 2 x forward instead of 3 x.
constexpr int compTrainFactor(int c) {
    return c == static_cast<int>(Comp::PatchEmbedding) ? 2 : 3;
}

/// How the attention blocks choose their keys.
enum class Window { Full, Sliding, LocalGlobal, Chunked };

/// Which shape inputs exist and which defaults apply, decided once per architecture.
struct ArchPlan {
    const Architecture* arch = nullptr;
    Family family = Family::Decoder;
    Convention convention = Convention::Matmul;  ///< effective (non-decoders use matmul)
    bool shapeValid = false;  ///< enough inputs for forward FLOP and parameter counts
    bool needsSeq = true;     ///< the forward count depends on the stage's seq_len
    bool hasVocab = false;
    bool hasClasses = false;
    bool hasHeadDim = false;
    bool hasKvHeads = false;
    bool defaultFfn = false;  ///< ffn = 4 x d_model (plain MLP only)
    bool defaultChannels = false;
    bool moe = false;
    bool allExperts = false;
    bool tied = false;
    int mlpMatrices = 2;
    PalmParams palm = PalmParams::NonEmbedding;
    bool padVocab = false;
    int vocabMultiple = 128;
    // v2 decoder features (architecture_decoder.hpp)
    bool mla = false;
    bool qLora = false;
    Window window = Window::Full;
    bool ssm = false;
    SsmKind ssmKind = SsmKind::Mamba2;
    bool mtp = false;
    bool hasAttentionLayers = false;
    bool hasFfnLayers = false;
    bool vision = false;
};

/// Widths like kv_heads x d_model / heads are whole numbers in real shapes; keeping them in
/// lowest terms keeps the exact path on its integer fast path. No-op for other number types.
template <class T>
void reduceWhole(T&) {}
inline void reduceWhole(LazyRational& v) {
    v.reduceWhole();
}

template <class T>
struct Shape {
    T L, Le, Ld, d, H, q, kvw, F, V;
    T E, k, S, Fe, Ldense;
    T imageTokens, patches, P, C, classes, fpe;
    // v2: MLA ranks and head widths; window or chunk W and global period Ng; blocks with
    // attention La and with an MLP Lf; SSM blocks Ls, inner width Di, state N, heads Hs,
    // groups G, conv width K, SSD chunk Qc, dt rank R; MTP depth.
    T qr, kvr, nope, rope, vhd;
    T W, Ng, La, Lf;
    T Ls, Di, N, Hs, G, K, Qc, R;
    T mtp;
    // vision tower: layers, width, heads, ffn, tokens in the encoder, patches, patch, channels,
    // projector hidden width
    T vL, vd, vH, vF, vTok, vPatches, vP, vC, vProj;
};

/// `get(q)` yields the value of a Quantity at the endpoint (or sample) being evaluated.
template <class T, class Get>
void resolveDecoderFeatures(const ArchPlan& p, const Get& get, Shape<T>& s);

template <class T, class Get>
Shape<T> resolveShape(const ArchPlan& p, const Get& get) {
    const Architecture& a = *p.arch;
    Shape<T> s{};
    if (p.family == Family::Generic) {
        s.fpe = get(*a.forwardFlopPerExample);
        return s;
    }
    if (p.family == Family::EncoderDecoder) {
        s.Le = get(*a.encoderLayers);
        s.Ld = get(*a.decoderLayers);
    } else {
        s.L = get(*a.layers);
    }
    s.d = get(*a.dModel);
    s.H = get(*a.heads);
    // q width = heads x head_dim; with the default head_dim it is d_model exactly.
    if (p.hasHeadDim) {
        T hd = get(*a.headDim);
        s.q = s.H * hd;
        s.kvw = p.hasKvHeads ? T(get(*a.kvHeads) * hd) : s.q;
    } else {
        s.q = s.d;
        s.kvw = p.hasKvHeads ? T(get(*a.kvHeads) * s.d / s.H) : s.d;
    }
    reduceWhole(s.kvw);
    s.F = p.defaultFfn ? T(s.d * 4) : T(get(*a.ffn));
    if (p.hasVocab) s.V = get(*a.vocab);
    if (p.moe) {
        s.E = get(a.moe->experts);
        s.k = p.allExperts ? s.E : T(get(a.moe->active));
        s.S = get(a.moe->shared);
        s.Fe = a.moe->expertFfn ? T(get(*a.moe->expertFfn)) : s.F;
        s.Ldense = get(a.moe->denseLayers);
    }
    if (p.family == Family::Vit) {
        T side = get(*a.imageSize) / get(*a.patchSize);
        reduceWhole(side);
        s.patches = side * side;
        s.imageTokens = s.patches + 1;
        s.P = get(*a.patchSize);
        s.C = p.defaultChannels ? T(3) : T(get(*a.channels));
    }
    if (p.hasClasses) s.classes = get(*a.classes);
    resolveDecoderFeatures(p, get, s);
    return s;
}

template <class T>
T minOf(const T& a, const T& b) {
    return b < a ? b : a;
}

/// Forward FLOP per token (per image for vit, per example for generic), by component.
template <class T>
struct Forward {
    std::array<T, kCompCount> v{};
    std::uint32_t present = 0;
    void add(Comp c, const T& x) {
        v[static_cast<std::size_t>(c)] += x;
        present |= 1u << static_cast<int>(c);
    }
    bool has(int c) const { return (present >> c) & 1u; }
};

/// MLP / expert / router FLOP of `layers` blocks, the first Ldense of them dense (2 FLOP per
/// weight per token; the router is a d x E matmul in every MoE layer).
template <class T>
void addFfn(const ArchPlan& p, const Shape<T>& s, const T& layers, const T& scale, bool router,
            Forward<T>& f) {
    const T m(p.mlpMatrices);
    if (!p.moe) {
        f.add(Comp::Mlp, scale * layers * 2 * m * s.d * s.F);
        return;
    }
    T dense = minOf(s.Ldense, layers);
    T moeLayers = layers - dense;
    if (dense > 0) f.add(Comp::Mlp, scale * dense * 2 * m * s.d * s.F);
    f.add(Comp::Experts, scale * moeLayers * 2 * m * s.d * s.Fe * s.k);
    if (s.S > 0) f.add(Comp::SharedExperts, scale * moeLayers * 2 * m * s.d * s.Fe * s.S);
    if (router) f.add(Comp::Router, scale * moeLayers * 2 * s.d * s.E);
}

/// Projections of one self-attention block: Q and O are d x q, K and V are d x kv width.
template <class T>
T attentionProjections(const Shape<T>& s) {
    return s.d * (s.q + s.kvw) * 4;
}

template <class T>
T ceilToMultiple(const T& v, int multiple);

template <>
inline double ceilToMultiple(const double& v, int multiple) {
    return std::ceil(v / multiple) * multiple;
}

template <>
inline LazyRational ceilToMultiple(const LazyRational& v, int multiple) {
    return v.ceilToMultiple(multiple);
}

template <>
inline Exact ceilToMultiple(const Exact& v, int multiple) {
    BigInt n = numerator(v), dd = denominator(v) * multiple;
    BigInt c = (n + dd - 1) / dd;
    return Exact(c * multiple);
}

template <class T>
Forward<T> decoderForward(const ArchPlan& p, const Shape<T>& s, const T& seq);

/// Forward FLOP per unit under the plan's convention; `seq` and `target` are the stage's
/// sequence and decoder lengths (unused by vit and generic).
template <class T>
Forward<T> forwardPerUnit(const ArchPlan& p, const Shape<T>& s, const T& seq, const T& target) {
    Forward<T> f;
    const T one(1);
    switch (p.family) {
        case Family::Generic:
            f.add(Comp::Forward, s.fpe);
            return f;
        case Family::Vit: {
            // Per image: the patch conv, then T tokens through the blocks with full attention,
            // then the classifier on the class token only.
            const T& tok = s.imageTokens;
            f.add(Comp::PatchEmbedding, s.patches * 2 * s.P * s.P * s.C * s.d);
            f.add(Comp::AttentionProjections, tok * s.L * attentionProjections(s));
            f.add(Comp::AttentionScores, tok * s.L * 2 * tok * s.q);
            f.add(Comp::AttentionValues, tok * s.L * 2 * tok * s.q);
            addFfn(p, s, s.L, tok, true, f);
            if (p.hasClasses) f.add(Comp::Classifier, s.d * s.classes * 2);
            return f;
        }
        case Family::EncoderDecoder: {
            // Per input (encoder) token; decoder work per target token is scaled by
            // target_len / seq_len. The cross-attention K and V projections run once per
            // decoder layer on every encoder token.
            T r = target / seq;
            reduceWhole(r);
            T ap = attentionProjections(s);
            f.add(Comp::AttentionProjections, s.Le * ap + r * s.Ld * ap);
            f.add(Comp::AttentionScores, s.Le * 2 * seq * s.q + r * s.Ld * 2 * target * s.q);
            f.add(Comp::AttentionValues, s.Le * 2 * seq * s.q + r * s.Ld * 2 * target * s.q);
            f.add(Comp::CrossAttentionProjections,
                  s.Ld * 4 * s.d * s.kvw + r * s.Ld * 4 * s.d * s.q);
            f.add(Comp::CrossAttentionScores, r * s.Ld * 2 * seq * s.q);
            f.add(Comp::CrossAttentionValues, r * s.Ld * 2 * seq * s.q);
            addFfn(p, s, s.Le, one, true, f);
            addFfn(p, s, s.Ld, r, true, f);
            if (p.hasVocab) f.add(Comp::Logits, r * 2 * s.d * s.V);
            return f;
        }
        case Family::Encoder: {
            f.add(Comp::AttentionProjections, s.L * attentionProjections(s));
            f.add(Comp::AttentionScores, s.L * 2 * seq * s.q);
            f.add(Comp::AttentionValues, s.L * 2 * seq * s.q);
            addFfn(p, s, s.L, one, true, f);
            // BertForMaskedLM: transform d -> d and decoder d -> V on every token.
            if (p.hasVocab) f.add(Comp::MlmHead, s.d * s.d * 2 + s.d * s.V * 2);
            // Sequence classification: pooler and classifier on the first token only.
            if (p.hasClasses) {
                f.add(Comp::Pooler, s.d * s.d * 2 / seq);
                f.add(Comp::Classifier, s.d * s.classes * 2 / seq);
            }
            return f;
        }
        case Family::Decoder:
            break;
    }
    return decoderForward(p, s, seq);
}

template <class T>
struct Params {
    T total, active, nonEmbedding;
};

/// FFN parameters of `layers` blocks (dense then MoE), all experts or the active ones.
template <class T>
T ffnParams(const ArchPlan& p, const Shape<T>& s, const T& layers, bool active) {
    const T m(p.mlpMatrices);
    if (!p.moe) return layers * m * s.d * s.F;
    T dense = minOf(s.Ldense, layers);
    T experts = active ? s.k : s.E;
    return dense * m * s.d * s.F +
           (layers - dense) * (m * s.d * s.Fe * (experts + s.S) + s.d * s.E);
}

/// Parameter counts from the shape (matrices only; see ParamCounts).
template <class T>
void decoderBlockParams(const ArchPlan& p, const Shape<T>& s, T& all, T& active);

template <class T>
Params<T> paramsOf(const ArchPlan& p, const Shape<T>& s) {
    Params<T> r{};
    T attn = s.d * (s.q + s.kvw) * 2;
    T emb(0), blocksAll(0), blocksActive(0);
    switch (p.family) {
        case Family::Generic:
            return r;
        case Family::Decoder:
        case Family::Encoder:
            if (p.family == Family::Decoder) {
                decoderBlockParams(p, s, blocksAll, blocksActive);  // v2 features
            } else {
                blocksAll = s.L * attn + ffnParams(p, s, s.L, false);
                blocksActive = s.L * attn + ffnParams(p, s, s.L, true);
            }
            if (p.family == Family::Encoder) {
                T head = (p.hasVocab ? T(s.d * s.d) : T(0)) +
                         (p.hasClasses ? T(s.d * s.d + s.d * s.classes) : T(0));
                blocksAll += head;
                blocksActive += head;
            }
            if (p.hasVocab) emb = s.V * s.d * (p.tied ? 1 : 2);
            break;
        case Family::EncoderDecoder:
            // Decoder blocks carry self- and cross-attention.
            blocksAll = s.Le * attn + s.Ld * attn * 2 + ffnParams(p, s, s.Le, false) +
                        ffnParams(p, s, s.Ld, false);
            blocksActive = s.Le * attn + s.Ld * attn * 2 + ffnParams(p, s, s.Le, true) +
                           ffnParams(p, s, s.Ld, true);
            if (p.hasVocab) emb = s.V * s.d * (p.tied ? 1 : 2);
            break;
        case Family::Vit: {
            blocksAll = s.L * attn + ffnParams(p, s, s.L, false);
            blocksActive = s.L * attn + ffnParams(p, s, s.L, true);
            T head = p.hasClasses ? T(s.d * s.classes) : T(0);
            blocksAll += head;
            blocksActive += head;
            emb = s.P * s.P * s.C * s.d;  // the patch projection is ViT's embedding
            break;
        }
    }
    r.total = blocksAll + emb;
    r.active = blocksActive + emb;
    r.nonEmbedding = blocksAll;
    return r;
}

}  // namespace flopledger::detail

#include "estimate/architecture_decoder.hpp"  // IWYU pragma: export
