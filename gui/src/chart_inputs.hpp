#pragma once
// Builds the chart builder's inputs from core objects: models from the open registry and
// threshold periods from policies' status histories. No threshold is compared here: statuses
// come from core's verdicts, values from the policies' own threshold specs.
#include "chart_builder.hpp"
#include "registry_document.hpp"

#include <flopledger/policy.hpp>

#include <optional>
#include <vector>

namespace flopledger::gui {

/// The compute shown for a record: what the first selected policy counts (its verdict's
/// counted_flop) when there is one, else the stages that train the model (trainingOnly scope).
std::optional<Interval> displayedFlop(const RegistryDocument& doc, int row);

/// Models of the registry (clusters are not plotted), status under the first selected policy.
std::vector<ChartModelInput> chartModelInputs(const RegistryDocument& doc);

/// The compute leaf whose threshold a policy is drawn with: the leaf marked primary, else the
/// first training-compute leaf. nullptr if the policy has no drawable compute threshold.
const Condition* primaryComputeLeaf(const Policy& policy);

/// A policy's threshold over time. Periods follow the status history: drawn while in force and
/// while pending (proposed, not yet in force, guidance); not after it ended. When the policy has
/// ended as of `asOf` (vetoed, revoked, rescinded, superseded) every period is marked with that
/// status so it is drawn dashed. EffectiveCompute thresholds become a sampled curve.
std::optional<ThresholdInput> thresholdInput(const Policy& policy, const Date& asOf);

/// Title of the chart: the colouring policy, or a generic title.
std::string chartTitle(const RegistryDocument& doc);

/// Everything at once: the chart of the document as of its date.
ChartData buildChart(const RegistryDocument& doc, const ChartOptions& options);

}  // namespace flopledger::gui
