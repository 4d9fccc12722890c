#pragma once
// Layered registries: curated records over Epoch AI's dataset (docs/data-format.md, "Layers").
// A directory holding an `epoch/` sub-folder is read as two layers: the records in the directory
// (curated) over the records in `epoch/` (imported by `flopledger import epoch`). A curated record
// replaces the lower record it names in `"supersedes": "epoch:<id>"`, so each model appears once,
// and takes from that record every field it leaves out ("fill in", fillFromLower()).
#include <flopledger/diagnostic.hpp>
#include <flopledger/record.hpp>
#include <flopledger/record_reader.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace flopledger {
inline namespace v1 {

/// Counts of one layering, for summaries.
struct LayerSummary {
    std::size_t curated = 0;     ///< records of the upper layer
    std::size_t lower = 0;       ///< records of the lower layer read
    std::size_t superseded = 0;  ///< lower records replaced by a curated record
    std::size_t filled = 0;      ///< curated records that took at least one field from below
};

/// The prefix of `supersedes` values naming a record of the Epoch layer.
inline constexpr const char* kEpochLayerPrefix = "epoch:";

/// Fills the fields `upper` leaves out from `lower`, the record it supersedes. A field is taken
/// when the upper record does not have it: name, developer, released, modalities (empty list),
/// weights, developer_revenue_usd, bio_sequence_share, parent, architecture (the whole object),
/// stages (the whole ledger, only when the upper record has no stage), reported, sources (when
/// it has none). Nothing is merged inside an object. `id`, `supersedes` and `layer` stay the
/// upper record's; its notes gain one sentence naming the fields taken. Returns the names of the
/// fields taken, in that order.
std::vector<std::string> fillFromLower(ModelRecord& upper, const ModelRecord& lower);

/// Curated records over a lower layer. Output: the curated records in their order (filled from
/// the records they supersede, layer "curated" unless they say otherwise), then the lower
/// records nobody supersedes, in their order (layer "epoch" unless they say otherwise).
/// Problems (E602 unknown superseded id, E603 superseded twice, E604 an id in both layers
/// without `supersedes`) go to `diags` at the curated record's location; the offending curated
/// record is kept and the lower one dropped in E604 so that no id appears twice.
std::vector<Record> layerRecords(std::vector<Record> curated, std::vector<Record> lower,
                                 std::vector<Diagnostic>& diags, LayerSummary* summary = nullptr);

/// A directory read as two layers: its own .json/.jsonl files over those of `dir/epoch/`
/// (RecordReader::readPath does this when `limits.lowerLayers` and `dir/epoch/` exists).
/// Diagnostics of both layers, then the layering's, are returned.
ReadResult readLayeredDirectory(const std::string& dir, const ReadLimits& limits,
                                LayerSummary* summary = nullptr);

}  // inline namespace v1
}  // namespace flopledger
