// Curated records over the Epoch AI layer: supersedes, fill-in and the checks that keep each
// model once (registry_layers.hpp).
#include <flopledger/registry_layers.hpp>

#include <filesystem>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace flopledger::inline v1 {
namespace {

Diagnostic at(const ModelRecord& m, ErrorCode code, std::string message) {
    return Diagnostic{Severity::Error, code, m.location.file, m.location.line,
                      m.location.pointer.empty() ? "/supersedes" : m.location.pointer + "/supersedes",
                      std::move(message)};
}

// Uncertain values taken from below get sample indices after the upper record's own.
void renumber(std::optional<Quantity>& q, int& next) {
    if (q && q->uncertain()) q->sampleIndex = next++;
}

void renumber(Stage& s, int& next) {
    renumber(s.tokens, next);
    renumber(s.examples, next);
    renumber(s.seqLen, next);
    renumber(s.targetLen, next);
    renumber(s.flop, next);
    renumber(s.params, next);
    renumber(s.activeParams, next);
    renumber(s.costUsd, next);
    if (s.hardware) {
        renumber(s.hardware->count, next);
        renumber(s.hardware->hours, next);
        renumber(s.hardware->chipHours, next);
        renumber(s.hardware->utilization, next);
    }
}

}  // namespace

std::vector<std::string> fillFromLower(ModelRecord& upper, const ModelRecord& lower) {
    std::vector<std::string> taken;
    auto take = [&](bool missing, bool available, const char* field, auto&& assign) {
        if (missing && available) {
            assign();
            taken.emplace_back(field);
        }
    };
    take(upper.name.empty(), !lower.name.empty(), "name", [&] { upper.name = lower.name; });
    take(upper.developer.empty(), !lower.developer.empty(), "developer",
         [&] { upper.developer = lower.developer; });
    take(!upper.released, lower.released.has_value(), "released",
         [&] { upper.released = lower.released; });
    take(upper.modalities.empty(), !lower.modalities.empty(), "modalities",
         [&] { upper.modalities = lower.modalities; });
    take(!upper.openWeights, lower.openWeights.has_value(), "weights",
         [&] { upper.openWeights = lower.openWeights; });
    int next = upper.uncertainCount;
    take(!upper.developerRevenueUsd, lower.developerRevenueUsd.has_value(),
         "developer_revenue_usd", [&] {
             upper.developerRevenueUsd = lower.developerRevenueUsd;
             renumber(upper.developerRevenueUsd, next);
         });
    take(!upper.bioSequenceShare, lower.bioSequenceShare.has_value(), "bio_sequence_share", [&] {
        upper.bioSequenceShare = lower.bioSequenceShare;
        renumber(upper.bioSequenceShare, next);
    });
    take(!upper.parent, lower.parent.has_value(), "parent", [&] { upper.parent = lower.parent; });
    take(!upper.architecture, lower.architecture.has_value(), "architecture", [&] {
        upper.architecture = lower.architecture;
        Architecture& a = *upper.architecture;
        renumber(a.params, next);
        renumber(a.activeParams, next);
    });
    take(upper.stages.empty(), !lower.stages.empty(), "stages", [&] {
        const std::string prefix = upper.location.pointer;
        for (std::size_t i = 0; i < lower.stages.size(); ++i) {
            Stage s = lower.stages[i];
            renumber(s, next);
            s.pointer = prefix + "/stages/" + std::to_string(i);
            upper.stages.push_back(std::move(s));
        }
    });
    take(!upper.reported, lower.reported.has_value(), "reported",
         [&] { upper.reported = lower.reported; });
    take(upper.sources.empty(), !lower.sources.empty(), "sources",
         [&] { upper.sources = lower.sources; });
    upper.uncertainCount = next;
    if (!taken.empty()) {
        std::string list;
        for (const auto& f : taken) list += (list.empty() ? "" : ", ") + f;
        upper.notes += (upper.notes.empty() ? "" : " ") + std::string("Filled from ") +
                       upper.supersedes + ": " + list + ".";
    }
    return taken;
}

std::vector<Record> layerRecords(std::vector<Record> curated, std::vector<Record> lower,
                                 std::vector<Diagnostic>& diags, LayerSummary* summary) {
    LayerSummary sum;
    sum.curated = curated.size();
    sum.lower = lower.size();
    std::unordered_map<std::string, std::size_t> lowerIndex;
    for (std::size_t i = 0; i < lower.size(); ++i) lowerIndex.emplace(recordId(lower[i]), i);
    std::vector<bool> dropped(lower.size(), false);
    std::unordered_map<std::size_t, std::string> supersededBy;
    const std::string_view prefix = kEpochLayerPrefix;
    for (Record& r : curated) {
        auto* m = std::get_if<ModelRecord>(&r);
        if (!m) continue;
        if (m->layer.empty()) m->layer = "curated";
        if (!m->supersedes.empty()) {
            const std::string& sup = m->supersedes;
            const auto it = sup.rfind(prefix, 0) == 0 ? lowerIndex.find(sup.substr(prefix.size()))
                                                      : lowerIndex.end();
            if (it == lowerIndex.end()) {
                diags.push_back(at(*m, ErrorCode::SupersededUnknown,
                                   "'supersedes': no record '" + sup + "' in the Epoch layer"));
            } else if (const auto by = supersededBy.find(it->second); by != supersededBy.end()) {
                diags.push_back(at(*m, ErrorCode::SupersededTwice,
                                   "'supersedes': '" + sup + "' is already superseded by '" +
                                       by->second + "'"));
            } else {
                supersededBy.emplace(it->second, m->id);
                dropped[it->second] = true;
                ++sum.superseded;
                const auto* low = std::get_if<ModelRecord>(&lower[it->second]);
                if (low && !fillFromLower(*m, *low).empty()) ++sum.filled;
            }
        }
    }
    for (const Record& r : curated) {
        const auto it = lowerIndex.find(recordId(r));
        if (it == lowerIndex.end() || dropped[it->second]) continue;
        const auto* m = std::get_if<ModelRecord>(&r);
        Diagnostic d = m ? at(*m, ErrorCode::LayerIdCollision, "")
                         : Diagnostic{Severity::Error, ErrorCode::LayerIdCollision,
                                      recordLocation(r).file, recordLocation(r).line, "", ""};
        d.pointer = recordLocation(r).pointer + "/id";
        d.message = "id '" + recordId(r) + "' is also an Epoch record: add \"supersedes\": \"" +
                    std::string(prefix) + recordId(r) + "\" (or another id)";
        diags.push_back(std::move(d));
        dropped[it->second] = true;  // keep ids unique either way
    }
    std::vector<Record> out = std::move(curated);
    out.reserve(out.size() + lower.size());
    for (std::size_t i = 0; i < lower.size(); ++i) {
        if (dropped[i]) continue;
        if (auto* m = std::get_if<ModelRecord>(&lower[i]); m && m->layer.empty())
            m->layer = "epoch";
        out.push_back(std::move(lower[i]));
    }
    // A parent taken from the lower layer (a lower record's, or one filled into a curated
    // record) that was superseded now names the curated record.
    std::unordered_map<std::string, std::string> renamed;
    for (const auto& [index, by] : supersededBy) renamed.emplace(recordId(lower[index]), by);
    for (Record& r : out)
        if (auto* m = std::get_if<ModelRecord>(&r); m && m->parent)
            if (const auto it = renamed.find(m->parent->id); it != renamed.end())
                m->parent->id = it->second;
    if (summary) *summary = sum;
    return out;
}

ReadResult readLayeredDirectory(const std::string& dir, const ReadLimits& limits,
                                LayerSummary* summary) {
    ReadLimits one = limits;
    one.lowerLayers = false;
    const RecordReader reader(one);
    ReadResult upper = reader.readPath(dir);
    ReadResult lower = reader.readPath((std::filesystem::path(dir) / "epoch").string());
    ReadResult out;
    out.diagnostics = std::move(upper.diagnostics);
    for (auto& d : lower.diagnostics) out.diagnostics.push_back(std::move(d));
    out.records = layerRecords(std::move(upper.records), std::move(lower.records),
                               out.diagnostics, summary);
    return out;
}

}  // namespace flopledger
