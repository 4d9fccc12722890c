// RecordBuilder's per-object readers: which fields a model, cluster, architecture, MoE shape,
// stage and hardware use have, and the rule each numeric field follows (record_builder.hpp).
#include "records/record_builder.hpp"

#include "records/blank_records.hpp"

#include <flopledger/hardware_catalog.hpp>

#include <algorithm>

namespace flopledger::inline v1::detail::rec {

void RecordBuilder::readModel(const JsonNode& n, ModelRecord& m) {
    bool hasId = false;
    forEachMember(n, kModelFields, "a model record", [&](FieldKey k, const JsonNode& v) {
        if (k == "type") return;
        if (k == "id") {
            hasId = true;
            readIdTo(v, k, m.id);
        } else if (k == "name") {
            readStringTo(v, k, m.name);
        } else if (k == "developer") {
            readStringTo(v, k, m.developer);
        } else if (k == "released") {
            const std::string_view s = readText(v, k);
            m.released = Date::parse(s);
            if (!m.released)
                fail(ErrorCode::BadDate, v,
                     "'released' " + quote(s) +
                         " is not a date (YYYY, YYYY-MM or YYYY-MM-DD) or no such day");
        } else if (k == "modalities") {
            expectArray(v, k);
            m.modalities.reserve(std::min<std::size_t>(v.size, 64));
            std::size_t index = 0;
            for (auto i = v.first; i != kNoNode; i = doc_.node(i).next, ++index) {
                Field f(*this, index);
                try {
                    m.modalities.push_back(
                        readEnum<8, Modality>(doc_.node(i), "modality", kModalityNames));
                } catch (const Abort&) {
                }
            }
        } else if (k == "bio_sequence_share") {
            readQuantity(v, k, kFraction, m.bioSequenceShare);
        } else if (k == "weights") {
            m.openWeights = readEnum<2, int>(v, "weights", kWeightNames) == 0;
        } else if (k == "developer_revenue_usd") {
            readQuantity(v, k, kAmount, m.developerRevenueUsd);
        } else if (k == "parent") {
            expectObject(v, k);
            ParentRef p;
            forEachMember(v, kParentFields, "'parent'", [&](FieldKey pk, const JsonNode& pv) {
                if (pk == "id")
                    p.id = readId(pv, pk);
                else if (pk == "training_flop")
                    readQuantity(pv, pk, kAmount, p.trainingFlop);
                else
                    p.systemicRisk = readBool(pv, pk);
            });
            m.parent = std::move(p);
        } else if (k == "architecture") {
            readArchitecture(v, m.architecture);
        } else if (k == "stages") {
            expectArray(v, k);
            // A million stages cost gigabytes once estimated: refused here (issue 18).
            if (v.size > limits_.maxStages)
                fail(ErrorCode::InputTooLarge, v,
                     "a record of " + std::to_string(v.size) + " stages is over the limit of " +
                         std::to_string(limits_.maxStages) + " stages");
            // Stage is large: no regrowth moves (capped: hostile arrays of non-objects)
            m.stages.reserve(std::min<std::size_t>(v.size, 64));
            std::size_t index = 0;
            for (auto i = v.first; i != kNoNode; i = doc_.node(i).next, ++index) {
                Field f(*this, index);
                try {
                    readStage(doc_.node(i), m.stages);
                } catch (const Abort&) {
                }
            }
        } else if (k == "reported") {
            expectObject(v, k);
            Reported r;
            forEachMember(v, kReportedFields, "'reported'", [&](FieldKey rk, const JsonNode& rv) {
                if (rk == "training_flop")
                    readQuantity(rv, rk, kAmount, r.trainingFlop);
                else
                    (rk == "source" ? r.source : r.note) = readString(rv, rk);
            });
            m.reported = std::move(r);
        } else if (k == "sources") {
            m.sources = readSources(v);
        } else if (k == "notes") {
            m.notes = readString(v, k);
        } else if (k == "layer") {
            m.layer = kLayerNames[readEnum<2, int>(v, "layer", kLayerNames)];
        } else if (k == "supersedes") {
            m.supersedes = readSupersedes(v, k);
        } else if (k == "facts") {
            readFacts(v, m.facts);
        }
    });
    if (!hasId) record(ErrorCode::MissingField, n, "the record has no \"id\"");
}

void RecordBuilder::readCluster(const JsonNode& n, ClusterRecord& c) {
    bool hasId = false;
    forEachMember(n, kClusterFields, "a cluster record", [&](FieldKey k, const JsonNode& v) {
        if (k == "type") return;
        if (k == "id") {
            hasId = true;
            c.id = readId(v, k);
        } else if (k == "name") {
            c.name = readString(v, k);
        } else if (k == "accelerator") {
            c.accelerator = readString(v, k);
        } else if (k == "count") {
            readQuantity(v, k, kPositiveCount, c.count);
        } else if (k == "peak_flop_per_s") {
            readQuantity(v, k, kPositive, c.peakFlopPerS);
        } else if (k == "network_gbit_s") {
            readQuantity(v, k, kAmount, c.networkGbitS);
        } else if (k == "single_datacenter") {
            c.singleDatacenter = readBool(v, k);
        } else if (k == "sources") {
            c.sources = readSources(v);
        } else if (k == "notes") {
            c.notes = readString(v, k);
        }
    });
    if (!hasId) record(ErrorCode::MissingField, n, "the record has no \"id\"");
}

void RecordBuilder::readArchitecture(const JsonNode& n, std::optional<Architecture>& out) {
    expectObject(n, "architecture");
    Architecture& a = out.emplace(blankArchitecture());  // no zero-fill (blank_records.hpp)
    forEachMember(n, kArchitectureFields, "'architecture'", [&](FieldKey k, const JsonNode& v) {
        if (k == "family")
            a.family = readEnum<5, Family>(v, "family", kFamilyNames);
        else if (k == "params")
            readQuantity(v, k, kAmount, a.params);
        else if (k == "active_params")
            readQuantity(v, k, kAmount, a.activeParams);
        else if (k == "layers")
            readQuantity(v, k, kPositiveCount, a.layers);
        else if (k == "encoder_layers")
            readQuantity(v, k, kCount, a.encoderLayers);
        else if (k == "decoder_layers")
            readQuantity(v, k, kCount, a.decoderLayers);
        else if (k == "d_model")
            readQuantity(v, k, kPositiveCount, a.dModel);
        else if (k == "heads")
            readQuantity(v, k, kPositiveCount, a.heads);
        else if (k == "kv_heads")
            readQuantity(v, k, kPositiveCount, a.kvHeads);
        else if (k == "head_dim")
            readQuantity(v, k, kPositiveCount, a.headDim);
        else if (k == "ffn")
            readQuantity(v, k, kPositiveCount, a.ffn);
        else if (k == "mlp")
            a.mlp = readEnum<2, MlpKind>(v, "mlp", kMlpNames);
        else if (k == "vocab")
            readQuantity(v, k, kPositiveCount, a.vocab);
        else if (k == "tied_embeddings")
            a.tiedEmbeddings = readBool(v, k);
        else if (k == "moe")
            readMoe(v, a.moe);
        else if (k == "image_size")
            readQuantity(v, k, kPositiveCount, a.imageSize);
        else if (k == "patch_size")
            readQuantity(v, k, kPositiveCount, a.patchSize);
        else if (k == "channels")
            readQuantity(v, k, kPositiveCount, a.channels);
        else if (k == "classes")
            readQuantity(v, k, kCount, a.classes);
        else if (k == "forward_flop_per_example")
            readQuantity(v, k, kAmount, a.forwardFlopPerExample);
        else
            readArchitectureV2(k, v, a);
    });
}

void RecordBuilder::readMoe(const JsonNode& n, std::optional<MoeShape>& out) {
    expectObject(n, "moe");
    MoeShape& m = out.emplace();
    m.shared = Quantity(Exact(0));
    m.denseLayers = Quantity(Exact(0));
    bool hasExperts = false, hasActive = false;
    forEachMember(n, kMoeFields, "'moe'", [&](FieldKey k, const JsonNode& v) {
        if (k == "experts") {
            hasExperts = true;
            readQuantity(v, k, kPositiveCount, m.experts);
        } else if (k == "active") {
            hasActive = true;
            readQuantity(v, k, kPositiveCount, m.active);
        } else if (k == "shared") {
            readQuantity(v, k, kCount, m.shared);
        } else if (k == "expert_ffn") {
            readQuantity(v, k, kPositiveCount, m.expertFfn);
        } else {
            readQuantity(v, k, kCount, m.denseLayers);
        }
    });
    if (!hasExperts) record(ErrorCode::MissingField, n, "'moe' needs \"experts\"");
    if (!hasActive) record(ErrorCode::MissingField, n, "'moe' needs \"active\" (top-k)");
}

void RecordBuilder::readStage(const JsonNode& n, std::vector<Stage>& stages) {
    expectObject(n, "stages[]");
    Stage& s = stages.emplace_back(blankStage());  // no zero-fill (blank_records.hpp)
    s.pointer = currentPointer();
    bool hasKind = false;
    forEachMember(n, kStageFields, "a stage", [&](FieldKey k, const JsonNode& v) {
        if (k == "kind") {
            hasKind = true;
            const std::string name = readString(v, k);
            const auto kind = parseStageKind(name);
            if (!kind) {
                const auto names = stageKindNames();
                const std::string best = didYouMean(name, names);
                fail(ErrorCode::BadEnum, v,
                     "unknown stage kind " + quote(name) +
                         (best.empty() ? " (see docs/data-format.md for the kinds)"
                                       : "; did you mean '" + best + "'?"));
            }
            s.kind = *kind;
        } else if (k == "label") {
            s.label = readString(v, k);
        } else if (k == "source") {
            s.source = readString(v, k);
        } else if (k == "tokens") {
            readQuantity(v, k, kAmount, s.tokens);
        } else if (k == "examples") {
            readQuantity(v, k, kAmount, s.examples);
        } else if (k == "seq_len") {
            readQuantity(v, k, kPositiveCount, s.seqLen);
        } else if (k == "target_len") {
            readQuantity(v, k, kPositiveCount, s.targetLen);
        } else if (k == "flop") {
            readQuantity(v, k, kAmount, s.flop);
        } else if (k == "hardware") {
            readHardware(v, s.hardware);
        } else if (k == "recompute") {
            s.recompute = readBool(v, k);
        } else if (k == "public") {
            s.isPublic = readBool(v, k);
        } else if (k == "params") {
            readQuantity(v, k, kAmount, s.params);
        } else if (k == "active_params") {
            readQuantity(v, k, kAmount, s.activeParams);
        } else if (k == "cost_usd") {
            readQuantity(v, k, kAmount, s.costUsd);
        } else if (k == "estimator") {
            s.estimator = readString(v, k);
        } else if (k == "undisclosed") {
            s.undisclosed = readBool(v, k);
        } else if (k == "images") {
            readQuantity(v, k, kAmount, s.images);
        } else {
            s.confidence = readString(v, k);
        }
    });
    if (!hasKind)
        record(ErrorCode::MissingField, n,
               "the stage has no \"kind\" (e.g. \"pretraining\", \"fine-tuning\")");
}

void RecordBuilder::readHardware(const JsonNode& n, std::optional<HardwareUse>& out) {
    expectObject(n, "hardware");
    HardwareUse& h = out.emplace();
    bool hasAccelerator = false;
    forEachMember(n, kHardwareFields, "'hardware'", [&](FieldKey k, const JsonNode& v) {
        if (k == "accelerator") {
            hasAccelerator = true;
            h.accelerator = readString(v, k);
        } else if (k == "count") {
            readQuantity(v, k, kPositiveCount, h.count);
        } else if (k == "hours" || k == "days") {
            // "days" (an extension, docs/data-format.md): the same input as hours, x 24.
            if (h.hours)
                fail(ErrorCode::JsonSyntax, v,
                     "'hours' and 'days' give the same input twice: use one of them");
            readQuantity(v, k, kAmount, h.hours);
            if (k == "days" && h.hours) h.hours->value = h.hours->value * Exact(24);
        } else if (k == "chip_hours") {
            readQuantity(v, k, kAmount, h.chipHours);
        } else if (k == "precision") {
            const std::string p = readString(v, k);
            h.precision = parsePrecision(p);
            if (!h.precision) {
                const std::string best = didYouMean(p, precisionNames());
                fail(ErrorCode::BadEnum, v,
                     "unknown precision " + quote(p) +
                         " (allowed: fp32, tf32, bf16, fp16, fp8, int8)" +
                         (best.empty() ? "" : "; did you mean '" + best + "'?"));
            }
        } else {
            readQuantity(v, k, kUtilization, h.utilization);
        }
    });
    if (!hasAccelerator)
        record(ErrorCode::MissingField, n, "'hardware' needs \"accelerator\" (an id)");
}

}  // namespace flopledger::inline v1::detail::rec
