#pragma once
// Threshold lines that coincide (EO 14110, SB 1047 and the Korean act all sit at 1e26) as plain
// data: the stretches where several regimes share a value, each regime's slot in an interleaved
// ("barber pole") dash pattern there, and one stacked label per value listing every regime.
// Pure geometry, so tests check it without pixels; ChartWidget draws it.
#include "chart_builder.hpp"

#include <string>
#include <vector>

namespace flopledger::inline v1::gui {

/// A piece of one regime's threshold line. Where `slotCount` > 1 the piece shares its stretch with
/// other regimes at the same value: it is drawn as every `slotCount`-th dash, starting at dash
/// `slot`, so that each colour shows along the shared line.
struct ThresholdRun {
    std::string policyId;
    double xStart = 0, xEnd = 0;  ///< seconds
    double value = 0;             ///< FLOP
    LineStyle style = LineStyle::Solid;
    int slot = 0;
    int slotCount = 1;
};

/// Splits segments at every start and end of a segment with the same value, so that within a
/// run the set of regimes at that value is constant. Regimes keep their order of first
/// appearance in `segments` for their slots.
std::vector<ThresholdRun> thresholdRuns(const std::vector<ThresholdSegment>& segments);

/// One line of a stacked threshold label.
struct ThresholdLabelLine {
    std::string policyId;
    std::string text;  ///< the regime, with its status as of the chart's date unless in force
};

/// The label of one threshold value: anchored at the first visible start of any segment at that
/// value, listing each regime once (in order of appearance).
struct ThresholdLabelGroup {
    double x = 0;      ///< seconds
    double value = 0;  ///< FLOP
    std::vector<ThresholdLabelLine> lines;
};

/// Label groups of the segments (one per distinct value) and of the curves (one per curve, at
/// a third of its length).
std::vector<ThresholdLabelGroup> thresholdLabelGroups(const ChartData& chart);

}  // namespace flopledger::gui
