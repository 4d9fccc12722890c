// Records back to JSON: one line, fields in contract order, numbers as exact decimal strings so
// that reading the output gives the same record.
#include <flopledger/record_reader.hpp>

#include <nlohmann/json.hpp>

namespace flopledger::inline v1 {
namespace {

using Json = nlohmann::ordered_json;

Json number(const Exact& v) {
    return formatExact(v);
}

Json quantity(const Quantity& q) {
    if (!q.uncertain() && q.distribution == Distribution::LogUniform) return number(q.central());
    Json j;
    j["low"] = number(q.value.low);
    j["central"] = number(q.value.central);
    j["high"] = number(q.value.high);
    j["distribution"] = std::string(toString(q.distribution));
    return j;
}

void put(Json& j, const char* key, const std::optional<Quantity>& q) {
    if (q) j[key] = quantity(*q);
}
void put(Json& j, const char* key, const std::string& s) {
    if (!s.empty()) j[key] = s;
}

Json sources(const std::vector<Citation>& cs) {
    Json a = Json::array();
    for (const auto& c : cs) {
        Json j = Json::object();
        put(j, "what", c.what);
        put(j, "url", c.url);
        a.push_back(std::move(j));
    }
    return a;
}

// v2 fields (contract 2.2), in the reader's spelling.
void architectureV2(Json& j, const Architecture& a) {
    if (a.mla) {
        Json m;
        m["kind"] = "mla";
        m["q_lora_rank"] = quantity(a.mla->qLoraRank);
        m["kv_lora_rank"] = quantity(a.mla->kvLoraRank);
        m["qk_nope_head_dim"] = quantity(a.mla->qkNopeHeadDim);
        m["qk_rope_head_dim"] = quantity(a.mla->qkRopeHeadDim);
        m["v_head_dim"] = quantity(a.mla->vHeadDim);
        j["attention"] = std::move(m);
    }
    put(j, "sliding_window", a.slidingWindow);
    if (a.localGlobal)
        j["local_global"] = {{"window", quantity(a.localGlobal->span)},
                             {"global_every", quantity(a.localGlobal->globalEvery)}};
    if (a.chunkedAttention)
        j["chunked_attention"] = {{"chunk", quantity(a.chunkedAttention->span)},
                                  {"global_every", quantity(a.chunkedAttention->globalEvery)}};
    put(j, "mtp_depth", a.mtpDepth);
    if (a.ssm) {
        const SsmShape& s = *a.ssm;
        Json m;
        m["kind"] = std::string(toString(s.kind));
        m["layers"] = quantity(s.layers);
        m["d_inner"] = quantity(s.dInner);
        m["d_state"] = quantity(s.dState);
        m["conv_kernel"] = quantity(s.convKernel);
        if (s.kind == SsmKind::Mamba2) {
            m["heads"] = quantity(s.heads);
            m["groups"] = quantity(s.groups);
            m["chunk_size"] = quantity(s.chunkSize);
        } else {
            m["dt_rank"] = quantity(s.dtRank);
        }
        j["ssm"] = std::move(m);
    }
    put(j, "attention_layers", a.attentionLayers);
    put(j, "ffn_layers", a.ffnLayers);
    if (a.vision) {
        const VisionTower& v = *a.vision;
        Json m;
        m["layers"] = quantity(v.layers);
        m["d_model"] = quantity(v.dModel);
        m["heads"] = quantity(v.heads);
        m["ffn"] = quantity(v.ffn);
        if (v.mlp != MlpKind::Plain) m["mlp"] = std::string(toString(v.mlp));
        m["image_size"] = quantity(v.imageSize);
        m["patch_size"] = quantity(v.patchSize);
        m["channels"] = quantity(v.channels);
        m["class_token"] = v.classToken;
        m["projector_hidden"] = quantity(v.projectorHidden);
        m["frozen"] = v.frozen;
        j["vision"] = std::move(m);
    }
}

Json architecture(const Architecture& a) {
    Json j;
    j["family"] = std::string(toString(a.family));
    put(j, "params", a.params);
    put(j, "active_params", a.activeParams);
    put(j, "layers", a.layers);
    put(j, "encoder_layers", a.encoderLayers);
    put(j, "decoder_layers", a.decoderLayers);
    put(j, "d_model", a.dModel);
    put(j, "heads", a.heads);
    put(j, "kv_heads", a.kvHeads);
    put(j, "head_dim", a.headDim);
    put(j, "ffn", a.ffn);
    if (a.mlp != MlpKind::Plain) j["mlp"] = std::string(toString(a.mlp));
    put(j, "vocab", a.vocab);
    if (a.tiedEmbeddings) j["tied_embeddings"] = true;
    if (a.moe) {
        Json m;
        m["experts"] = quantity(a.moe->experts);
        m["active"] = quantity(a.moe->active);
        m["shared"] = quantity(a.moe->shared);
        put(m, "expert_ffn", a.moe->expertFfn);
        m["dense_layers"] = quantity(a.moe->denseLayers);
        j["moe"] = std::move(m);
    }
    put(j, "image_size", a.imageSize);
    put(j, "patch_size", a.patchSize);
    put(j, "channels", a.channels);
    put(j, "classes", a.classes);
    put(j, "forward_flop_per_example", a.forwardFlopPerExample);
    architectureV2(j, a);
    return j;
}

Json stage(const Stage& s) {
    Json j;
    j["kind"] = std::string(toString(s.kind));
    put(j, "label", s.label);
    put(j, "source", s.source);
    put(j, "tokens", s.tokens);
    put(j, "examples", s.examples);
    put(j, "seq_len", s.seqLen);
    put(j, "target_len", s.targetLen);
    put(j, "flop", s.flop);
    if (s.hardware) {
        Json h;
        h["accelerator"] = s.hardware->accelerator;
        put(h, "count", s.hardware->count);
        put(h, "hours", s.hardware->hours);
        put(h, "chip_hours", s.hardware->chipHours);
        if (s.hardware->precision) h["precision"] = std::string(toString(*s.hardware->precision));
        put(h, "utilization", s.hardware->utilization);
        j["hardware"] = std::move(h);
    }
    if (s.recompute) j["recompute"] = true;
    if (s.undisclosed) j["undisclosed"] = true;
    if (s.isPublic) j["public"] = *s.isPublic;
    put(j, "params", s.params);
    put(j, "active_params", s.activeParams);
    put(j, "cost_usd", s.costUsd);
    put(j, "estimator", s.estimator);
    put(j, "confidence", s.confidence);
    put(j, "images", s.images);
    return j;
}

Json model(const ModelRecord& m) {
    Json j;
    j["type"] = "model";
    j["id"] = m.id;
    put(j, "name", m.name);
    put(j, "developer", m.developer);
    if (m.released) j["released"] = m.released->toString();
    if (!m.modalities.empty()) {
        Json a = Json::array();
        for (Modality x : m.modalities) a.push_back(std::string(toString(x)));
        j["modalities"] = std::move(a);
    }
    put(j, "bio_sequence_share", m.bioSequenceShare);
    if (m.openWeights) j["weights"] = *m.openWeights ? "open" : "closed";
    put(j, "developer_revenue_usd", m.developerRevenueUsd);
    if (!m.facts.empty()) {
        Json f = Json::object();
        for (const DeclaredFact& d : m.facts) f[d.id] = d.value;
        j["facts"] = std::move(f);
    }
    if (m.parent) {
        Json p = Json::object();
        put(p, "id", m.parent->id);
        put(p, "training_flop", m.parent->trainingFlop);
        if (m.parent->systemicRisk) p["systemic_risk"] = *m.parent->systemicRisk;
        j["parent"] = std::move(p);
    }
    if (m.architecture) j["architecture"] = architecture(*m.architecture);
    if (!m.stages.empty()) {
        Json a = Json::array();
        for (const auto& s : m.stages) a.push_back(stage(s));
        j["stages"] = std::move(a);
    }
    if (m.reported) {
        Json r = Json::object();
        put(r, "training_flop", m.reported->trainingFlop);
        put(r, "source", m.reported->source);
        put(r, "note", m.reported->note);
        j["reported"] = std::move(r);
    }
    if (!m.sources.empty()) j["sources"] = sources(m.sources);
    put(j, "notes", m.notes);
    put(j, "layer", m.layer);
    put(j, "supersedes", m.supersedes);
    return j;
}

Json cluster(const ClusterRecord& c) {
    Json j;
    j["type"] = "cluster";
    j["id"] = c.id;
    put(j, "name", c.name);
    put(j, "accelerator", c.accelerator);
    put(j, "count", c.count);
    put(j, "peak_flop_per_s", c.peakFlopPerS);
    put(j, "network_gbit_s", c.networkGbitS);
    if (c.singleDatacenter) j["single_datacenter"] = *c.singleDatacenter;
    if (!c.sources.empty()) j["sources"] = sources(c.sources);
    put(j, "notes", c.notes);
    return j;
}

}  // namespace

std::string toJson(const Record& record) {
    const Json j = std::holds_alternative<ModelRecord>(record)
                       ? model(std::get<ModelRecord>(record))
                       : cluster(std::get<ClusterRecord>(record));
    // Text that came from CSV imports may hold invalid UTF-8; replace rather than throw.
    return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace flopledger
