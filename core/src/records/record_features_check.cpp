// Cross-field checks of the v2 decoder features (record_features_check.hpp).
#include "records/record_features_check.hpp"

#include "base/exact_fast.hpp"

#include <flopledger/quantity.hpp>

namespace flopledger::inline v1::detail {

namespace {

std::string show(const Quantity& q) {
    return formatExact(q.central(), 12);
}
bool greater(const Quantity& a, const Quantity& b) {
    return compareExact(a.central(), b.central()) > 0;
}
bool zero(const Quantity& q) {
    return q.central().sign() == 0;
}
bool divides(const Quantity& d, const Quantity& n) {
    if (zero(d)) return false;
    const Exact r = n.central() / d.central();
    return boost::multiprecision::denominator(r) == 1;
}

class FeatureChecker {
public:
    FeatureChecker(const ModelRecord& m, const FeatureReport& report) : m_(m), report_(report) {}

    void run() {
        if (!m_.architecture) {
            for (const Stage& s : m_.stages)
                if (s.images)
                    err(ErrorCode::BadVisionTower, relative(s.pointer) + "/images",
                        "the stage gives images but the architecture has no \"vision\" tower; "
                        "they are not counted",
                        Severity::Warning);
            return;
        }
        const Architecture& a = *m_.architecture;
        const bool any = a.mla || a.slidingWindow || a.localGlobal || a.chunkedAttention || a.ssm ||
                         a.mtpDepth || a.attentionLayers || a.ffnLayers || a.vision;
        if (any && a.family != Family::Decoder) {
            err(ErrorCode::FeatureFamily, kAt,
                "attention, sliding_window, local_global, chunked_attention, mtp_depth, ssm, "
                "attention_layers, ffn_layers and vision describe decoders; family '" +
                    std::string(toString(a.family)) + "' cannot use them");
            return;
        }
        if (a.mla) latent(a, *a.mla);
        windows(a);
        layers(a);
        if (a.vision) vision(a, *a.vision);
        for (const Stage& s : m_.stages)
            if (s.images && !a.vision)
                err(ErrorCode::BadVisionTower, relative(s.pointer) + "/images",
                    "the stage gives images but the architecture has no \"vision\" tower; they "
                    "are not counted",
                    Severity::Warning);
    }

private:
    static constexpr const char* kAt = "/architecture";

    void err(ErrorCode c, const std::string& at, std::string msg,
             Severity sev = Severity::Error) const {
        report_(c, at, std::move(msg), sev);
    }
    std::string relative(const std::string& pointer) const {
        const std::string& base = m_.location.pointer;
        if (pointer.compare(0, base.size(), base) == 0) return pointer.substr(base.size());
        return pointer;
    }

    void latent(const Architecture& a, const MlaShape& m) const {
        const std::string at = std::string(kAt) + "/attention";
        if (zero(m.kvLoraRank))
            err(ErrorCode::BadLatentAttention, at + "/kv_lora_rank",
                "kv_lora_rank must be positive (keys and values come from this latent)");
        if (zero(m.vHeadDim))
            err(ErrorCode::BadLatentAttention, at + "/v_head_dim", "v_head_dim must be positive");
        if (zero(m.qkNopeHeadDim) && zero(m.qkRopeHeadDim))
            err(ErrorCode::BadLatentAttention, at,
                "qk_nope_head_dim + qk_rope_head_dim must be positive (the query/key width)");
        if (a.dModel) {
            if (greater(m.kvLoraRank, *a.dModel))
                err(ErrorCode::BadLatentAttention, at + "/kv_lora_rank",
                    "kv_lora_rank (" + show(m.kvLoraRank) + ") exceeds d_model (" +
                        show(*a.dModel) + "): a latent wider than the model is not a compression");
            if (greater(m.qLoraRank, *a.dModel))
                err(ErrorCode::BadLatentAttention, at + "/q_lora_rank",
                    "q_lora_rank (" + show(m.qLoraRank) + ") exceeds d_model (" + show(*a.dModel) +
                        "): a latent wider than the model is not a compression");
        }
        if (a.kvHeads || a.headDim)
            err(ErrorCode::BadLatentAttention,
                std::string(kAt) + (a.kvHeads ? "/kv_heads" : "/head_dim"),
                "kv_heads and head_dim do not apply to latent attention (its widths are "
                "qk_nope_head_dim, qk_rope_head_dim and v_head_dim); ignored",
                Severity::Warning);
    }

    void windows(const Architecture& a) const {
        const int n =
            (a.slidingWindow ? 1 : 0) + (a.localGlobal ? 1 : 0) + (a.chunkedAttention ? 1 : 0);
        if (n > 1)
            err(ErrorCode::BadWindow, kAt,
                "give one of sliding_window, local_global and chunked_attention (a model's "
                "blocks follow one windowing rule)");
        if (a.slidingWindow && zero(*a.slidingWindow))
            err(ErrorCode::BadWindow, std::string(kAt) + "/sliding_window",
                "sliding_window must be at least 1 key (leave the field out for full attention)");
        const auto windowed = [&](const LocalGlobal& w, const char* name, const char* span) {
            const std::string at = std::string(kAt) + "/" + name;
            if (zero(w.span))
                err(ErrorCode::BadWindow, at + "/" + span,
                    std::string(name) + "." + span + " must be at least 1 token");
            if (zero(w.globalEvery))
                err(ErrorCode::BadWindow, at + "/global_every",
                    std::string(name) +
                        ".global_every must be at least 1 (1: every block is global)");
            const auto& layers = a.attentionLayers ? a.attentionLayers : a.layers;
            if (layers && !zero(w.globalEvery) && greater(w.globalEvery, *layers))
                err(ErrorCode::BadWindow, at + "/global_every",
                    std::string(name) + ".global_every (" + show(w.globalEvery) +
                        ") exceeds the attention blocks (" + show(*layers) +
                        "): no block would be global",
                    Severity::Warning);
        };
        if (a.localGlobal) windowed(*a.localGlobal, "local_global", "window");
        if (a.chunkedAttention) windowed(*a.chunkedAttention, "chunked_attention", "chunk");
    }

    void layers(const Architecture& a) const {
        if (!a.layers) return;
        const Quantity& L = *a.layers;
        if (a.ffnLayers && greater(*a.ffnLayers, L))
            err(ErrorCode::BadSsmShape, std::string(kAt) + "/ffn_layers",
                "ffn_layers (" + show(*a.ffnLayers) + ") exceed layers (" + show(L) + ")");
        if (a.moe && a.ffnLayers && greater(a.moe->denseLayers, *a.ffnLayers))
            err(ErrorCode::BadSsmShape, std::string(kAt) + "/moe/dense_layers",
                "moe.dense_layers (" + show(a.moe->denseLayers) + ") exceed ffn_layers (" +
                    show(*a.ffnLayers) + ")");
        Exact mixers = a.attentionLayers ? a.attentionLayers->central() : Exact(0);
        if (a.ssm) mixers += a.ssm->layers.central();
        if (a.attentionLayers && compareExact(mixers, L.central()) > 0)
            err(ErrorCode::BadSsmShape, std::string(kAt) + "/attention_layers",
                "attention_layers + ssm.layers (" + formatExact(mixers, 12) + ") exceed layers (" +
                    show(L) + "): a block has one token mixer");
        if (!a.ssm) return;
        const SsmShape& s = *a.ssm;
        const std::string at = std::string(kAt) + "/ssm";
        if (greater(s.layers, L))
            err(ErrorCode::BadSsmShape, at + "/layers",
                "ssm.layers (" + show(s.layers) + ") exceed layers (" + show(L) + ")");
        if (s.kind == SsmKind::Mamba2) {
            if (!divides(s.heads, s.dInner))
                err(ErrorCode::BadSsmShape, at + "/heads",
                    "ssm.heads (" + show(s.heads) + ") do not divide ssm.d_inner (" +
                        show(s.dInner) + ")");
            if (!divides(s.groups, s.heads))
                err(ErrorCode::BadSsmShape, at + "/groups",
                    "ssm.groups (" + show(s.groups) + ") do not divide ssm.heads (" +
                        show(s.heads) + ")");
        }
    }

    void vision(const Architecture& a, const VisionTower& v) const {
        const std::string at = std::string(kAt) + "/vision";
        if (!divides(v.patchSize, v.imageSize))
            err(ErrorCode::BadVisionTower, at + "/patch_size",
                "vision.patch_size (" + show(v.patchSize) +
                    ") does not divide vision.image_size (" + show(v.imageSize) + ")");
        if (!divides(v.heads, v.dModel))
            err(ErrorCode::BadVisionTower, at + "/heads",
                "vision.heads (" + show(v.heads) + ") do not divide vision.d_model (" +
                    show(v.dModel) + ")");
        if (!a.dModel)
            err(ErrorCode::BadVisionTower, at,
                "a vision tower projects into the decoder's d_model, which is not given");
    }

    const ModelRecord& m_;
    const FeatureReport& report_;
};

}  // namespace

void checkModelFeatures(const ModelRecord& m, const FeatureReport& report) {
    FeatureChecker(m, report).run();
}

}  // namespace flopledger::detail
