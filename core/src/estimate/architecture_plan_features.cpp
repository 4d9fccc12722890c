// Planning of the v2 decoder features (contract 2.2): latent attention, windowed attention,
// state-space mixers, multi-token prediction, vision towers. The reader rejects shapes that
// cannot exist (E315-E319); records built in code reach here unchecked, so the inputs the
// formulas divide by or loop over are checked again and the architecture method is skipped
// (with a warning) when one is not positive.
#include "estimate/architecture_stage.hpp"

#include "base/exact_fast.hpp"

#include <string>

namespace flopledger::inline v1::detail {

namespace {

bool positiveQ(const Quantity& q) {
    return signOf(q.value.low) > 0;  // no rational compare
}

void warn(std::vector<PlanNote>* notes, ErrorCode code, std::string pointer, std::string message) {
    if (notes) notes->push_back({Severity::Warning, code, std::move(pointer), std::move(message)});
}

}  // namespace

void planDecoderFeatures(const Architecture& a, ArchPlan& p, const std::string& base,
                         std::vector<PlanNote>* notes, std::vector<std::string>& missing) {
    const bool any = a.mla || a.slidingWindow || a.localGlobal || a.chunkedAttention || a.ssm ||
                     a.mtpDepth || a.attentionLayers || a.ffnLayers || a.vision;
    if (!any) return;
    if (a.family != Family::Decoder) {
        warn(notes, ErrorCode::FeatureFamily, base,
             "attention, sliding_window, local_global, chunked_attention, ssm, mtp_depth, "
             "attention_layers, ffn_layers and vision are defined for the decoder family; "
             "ignored for family '" +
                 std::string(toString(a.family)) + "'");
        return;
    }
    const auto need = [&](const Quantity& q, const std::string& name, ErrorCode code) {
        if (!positiveQ(q)) {
            warn(notes, code, base + "/" + name,
                 name + " must be positive; the architecture method is skipped");
            missing.push_back(name);
        }
    };
    if (a.mla) {
        p.mla = true;
        p.qLora = positiveQ(a.mla->qLoraRank);
        need(a.mla->kvLoraRank, "attention/kv_lora_rank", ErrorCode::BadLatentAttention);
        need(a.mla->vHeadDim, "attention/v_head_dim", ErrorCode::BadLatentAttention);
    }
    if (a.slidingWindow) {
        p.window = Window::Sliding;
        need(*a.slidingWindow, "sliding_window", ErrorCode::BadWindow);
    } else if (a.localGlobal) {
        p.window = Window::LocalGlobal;
        need(a.localGlobal->span, "local_global/window", ErrorCode::BadWindow);
        need(a.localGlobal->globalEvery, "local_global/global_every", ErrorCode::BadWindow);
    } else if (a.chunkedAttention) {
        p.window = Window::Chunked;
        need(a.chunkedAttention->span, "chunked_attention/chunk", ErrorCode::BadWindow);
        need(a.chunkedAttention->globalEvery, "chunked_attention/global_every",
             ErrorCode::BadWindow);
    }
    if (a.ssm) {
        p.ssm = true;
        p.ssmKind = a.ssm->kind;
        if (p.ssmKind == SsmKind::Mamba2) {
            need(a.ssm->chunkSize, "ssm/chunk_size", ErrorCode::BadSsmShape);
        }
    }
    p.hasAttentionLayers = a.attentionLayers.has_value();
    p.hasFfnLayers = a.ffnLayers.has_value();
    p.mtp = a.mtpDepth && positiveQ(*a.mtpDepth);
    if (p.mtp && !a.vocab && p.convention == Convention::Matmul) missing.emplace_back("vocab");
    if (a.vision) {
        p.vision = true;
        need(a.vision->patchSize, "vision/patch_size", ErrorCode::BadVisionTower);
        need(a.vision->heads, "vision/heads", ErrorCode::BadVisionTower);
    }
}

}  // namespace flopledger::detail
