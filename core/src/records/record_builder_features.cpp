// RecordBuilder's readers of the v2 architecture fields (contract 2.2): latent attention,
// windowed attention, state-space mixers and vision towers (record_builder.hpp).
#include "records/record_builder.hpp"

namespace flopledger::inline v1::detail::rec {

// v2 architecture fields (contract 2.2). Ranges that need other fields (a rank above
// d_model, a window of 0, SSM layers above layers) are checked in
// record_features_check.cpp with E315-E319.
void RecordBuilder::readArchitectureV2(FieldKey k, const JsonNode& v, Architecture& a) {
    if (k == "attention")
        readAttention(v, a.mla);
    else if (k == "sliding_window")
        readQuantity(v, k, kCount, a.slidingWindow);
    else if (k == "local_global")
        readWindowed(v, "local_global", kLocalGlobalFields, a.localGlobal);
    else if (k == "chunked_attention")
        readWindowed(v, "chunked_attention", kChunkedFields, a.chunkedAttention);
    else if (k == "mtp_depth")
        readQuantity(v, k, kCount, a.mtpDepth);
    else if (k == "ssm")
        readSsm(v, a.ssm);
    else if (k == "attention_layers")
        readQuantity(v, k, kCount, a.attentionLayers);
    else if (k == "ffn_layers")
        readQuantity(v, k, kCount, a.ffnLayers);
    else
        readVision(v, a.vision);
}

void RecordBuilder::readAttention(const JsonNode& n, std::optional<MlaShape>& out) {
    if (n.kind == JsonKind::String) {
        const std::string s = readString(n, "attention");
        if (s == "mha") return;
        if (s == "mla")
            fail(ErrorCode::BadLatentAttention, n,
                 "latent attention needs its shape: {\"kind\": \"mla\", \"q_lora_rank\", "
                 "\"kv_lora_rank\", \"qk_nope_head_dim\", \"qk_rope_head_dim\", "
                 "\"v_head_dim\"}");
        fail(ErrorCode::BadEnum, n,
             "unknown attention " + quote(s) + " (allowed: \"mha\", or an \"mla\" object)");
    }
    expectObject(n, "attention");
    MlaShape& m = out.emplace();
    m.qLoraRank = Quantity(Exact(0));
    unsigned seen = 0;
    forEachMember(n, kMlaFields, "'attention'", [&](FieldKey k, const JsonNode& v) {
        if (k == "kind") {
            if (readString(v, k) != "mla")
                fail(ErrorCode::BadEnum, v,
                     "an 'attention' object must be {\"kind\": \"mla\", ...}");
            seen |= 1u;
        } else if (k == "q_lora_rank") {
            readQuantity(v, k, kCount, m.qLoraRank);
        } else if (k == "kv_lora_rank") {
            readQuantity(v, k, kCount, m.kvLoraRank);
            seen |= 2u;
        } else if (k == "qk_nope_head_dim") {
            readQuantity(v, k, kCount, m.qkNopeHeadDim);
            seen |= 4u;
        } else if (k == "qk_rope_head_dim") {
            readQuantity(v, k, kCount, m.qkRopeHeadDim);
            seen |= 8u;
        } else {
            readQuantity(v, k, kCount, m.vHeadDim);
            seen |= 16u;
        }
    });
    if (seen != 31u)
        record(ErrorCode::MissingField, n,
               "'attention' needs \"kind\": \"mla\", \"kv_lora_rank\", \"qk_nope_head_dim\", "
               "\"qk_rope_head_dim\" and \"v_head_dim\" (\"q_lora_rank\" defaults to 0)");
}

void RecordBuilder::readWindowed(const JsonNode& n, std::string_view name,
                                 const std::array<std::string_view, 2>& fields,
                                 std::optional<LocalGlobal>& out) {
    expectObject(n, name);
    LocalGlobal& w = out.emplace();
    unsigned seen = 0;
    const std::string what = "'" + std::string(name) + "'";
    forEachMember(n, fields, what.c_str(), [&](FieldKey k, const JsonNode& v) {
        if (k == "global_every") {
            readQuantity(v, k, kCount, w.globalEvery);
            seen |= 2u;
        } else {
            readQuantity(v, k, kCount, w.span);
            seen |= 1u;
        }
    });
    if (seen != 3u)
        record(ErrorCode::MissingField, n,
               what + " needs \"" + std::string(fields[0]) + "\" and \"global_every\"");
}

void RecordBuilder::readSsm(const JsonNode& n, std::optional<SsmShape>& out) {
    expectObject(n, "ssm");
    SsmShape& m = out.emplace();
    m.groups = Quantity(Exact(1));
    m.convKernel = Quantity(Exact(4));
    m.chunkSize = Quantity(Exact(256));
    m.heads = Quantity(Exact(0));
    m.dtRank = Quantity(Exact(0));
    unsigned seen = 0;
    forEachMember(n, kSsmFields, "'ssm'", [&](FieldKey k, const JsonNode& v) {
        if (k == "kind") {
            m.kind = readEnum<2, SsmKind>(v, "ssm kind", kSsmKindNames);
            seen |= 1u;
        } else if (k == "layers") {
            readQuantity(v, k, kCount, m.layers);
            seen |= 2u;
        } else if (k == "d_inner") {
            readQuantity(v, k, kPositiveCount, m.dInner);
            seen |= 4u;
        } else if (k == "d_state") {
            readQuantity(v, k, kPositiveCount, m.dState);
            seen |= 8u;
        } else if (k == "heads") {
            readQuantity(v, k, kPositiveCount, m.heads);
            seen |= 16u;
        } else if (k == "groups") {
            readQuantity(v, k, kPositiveCount, m.groups);
        } else if (k == "conv_kernel") {
            readQuantity(v, k, kCount, m.convKernel);
        } else if (k == "chunk_size") {
            readQuantity(v, k, kPositiveCount, m.chunkSize);
        } else {
            readQuantity(v, k, kPositiveCount, m.dtRank);
            seen |= 32u;
        }
    });
    if ((seen & 15u) != 15u)
        record(ErrorCode::MissingField, n,
               "'ssm' needs \"kind\" (\"mamba\" or \"mamba2\"), \"layers\", \"d_inner\" and "
               "\"d_state\"");
    else if (m.kind == SsmKind::Mamba2 && !(seen & 16u))
        record(ErrorCode::MissingField, n, "a mamba2 'ssm' needs \"heads\"");
    else if (m.kind == SsmKind::Mamba && !(seen & 32u))
        record(ErrorCode::MissingField, n, "a mamba 'ssm' needs \"dt_rank\"");
}

void RecordBuilder::readVision(const JsonNode& n, std::optional<VisionTower>& out) {
    expectObject(n, "vision");
    VisionTower& t = out.emplace();
    t.channels = Quantity(Exact(3));
    t.projectorHidden = Quantity(Exact(0));
    unsigned seen = 0;
    forEachMember(n, kVisionFields, "'vision'", [&](FieldKey k, const JsonNode& v) {
        if (k == "layers") {
            readQuantity(v, k, kCount, t.layers);
            seen |= 1u;
        } else if (k == "d_model") {
            readQuantity(v, k, kPositiveCount, t.dModel);
            seen |= 2u;
        } else if (k == "heads") {
            readQuantity(v, k, kPositiveCount, t.heads);
            seen |= 4u;
        } else if (k == "ffn") {
            readQuantity(v, k, kPositiveCount, t.ffn);
            seen |= 8u;
        } else if (k == "mlp") {
            t.mlp = readEnum<2, MlpKind>(v, "mlp", kMlpNames);
        } else if (k == "image_size") {
            readQuantity(v, k, kPositiveCount, t.imageSize);
            seen |= 16u;
        } else if (k == "patch_size") {
            readQuantity(v, k, kPositiveCount, t.patchSize);
            seen |= 32u;
        } else if (k == "channels") {
            readQuantity(v, k, kPositiveCount, t.channels);
        } else if (k == "class_token") {
            t.classToken = readBool(v, k);
        } else if (k == "projector_hidden") {
            readQuantity(v, k, kCount, t.projectorHidden);
        } else {
            t.frozen = readBool(v, k);
        }
    });
    if (seen != 63u)
        record(ErrorCode::MissingField, n,
               "'vision' needs \"layers\", \"d_model\", \"heads\", \"ffn\", \"image_size\" and "
               "\"patch_size\"");
}

}  // namespace flopledger::detail::rec
