#pragma once
// Builds the chart builder's inputs from core objects: models from the open registry and
// threshold periods from policies' status histories (core's thresholdTimeline). No threshold
// is compared here: statuses come from core's verdicts, values from the policies' own specs.
#include "chart_builder.hpp"
#include "registry_document.hpp"

#include <flopledger/policy.hpp>

#include <optional>
#include <vector>

namespace flopledger::inline v1::gui {

/// The compute shown for a record: what the first selected policy counts (its verdict's
/// counted_flop) when there is one, else the stages that train the model (trainingOnly scope).
std::optional<Interval> displayedFlop(const RegistryDocument& doc, int row);

/// Models of the registry (clusters are not plotted), status under the first selected policy.
std::vector<ChartModelInput> chartModelInputs(const RegistryDocument& doc);

/// A policy's threshold over time. Periods follow the status history: drawn while in force and
/// while pending (proposed, not yet in force, guidance); not after it ended. When the policy has
/// ended as of `asOf` (vetoed, revoked, rescinded, superseded) every period is marked with that
/// status so it is drawn dashed. EffectiveCompute thresholds become a sampled curve.
/// The label names the policy's status as of `asOf` unless it is in force then.
std::optional<ThresholdInput> thresholdInput(const Policy& policy, const Date& asOf);

/// Policies whose labels coincide (EO 14110's general and biological thresholds are both
/// "US EO 14110 4.2(b)(i)") get what tells their ids apart: "..., general", "..., bio".
void distinguishLabels(std::vector<ThresholdInput>& thresholds);

/// Title of the chart: the colouring policy, or a generic title.
std::string chartTitle(const RegistryDocument& doc);

/// Everything at once: the chart of the document as of its date.
ChartData buildChart(const RegistryDocument& doc, const ChartOptions& options);

}  // namespace flopledger::gui
