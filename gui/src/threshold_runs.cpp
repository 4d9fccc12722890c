#include "threshold_runs.hpp"

#include <algorithm>
#include <map>

namespace flopledger::inline v1::gui {

std::vector<ThresholdRun> thresholdRuns(const std::vector<ThresholdSegment>& segments) {
    // Segments by value (the same Exact threshold always converts to the same double).
    std::map<double, std::vector<const ThresholdSegment*>> byValue;
    for (const ThresholdSegment& s : segments) byValue[s.value].push_back(&s);

    std::vector<ThresholdRun> runs;
    for (const auto& [value, group] : byValue) {
        std::vector<std::string> order;  // regimes in order of appearance: their slots
        std::vector<double> cuts;
        for (const ThresholdSegment* s : group) {
            if (std::find(order.begin(), order.end(), s->policyId) == order.end())
                order.push_back(s->policyId);
            cuts.push_back(s->xStart);
            cuts.push_back(s->xEnd);
        }
        std::sort(cuts.begin(), cuts.end());
        cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
        for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
            const double a = cuts[i];
            const double b = cuts[i + 1];
            std::vector<const ThresholdSegment*> active;
            for (const ThresholdSegment* s : group)
                if (s->xStart <= a && s->xEnd >= b) active.push_back(s);
            // Slots follow the regimes' order, so a colour keeps its place along the line.
            std::stable_sort(active.begin(), active.end(), [&](const auto* x, const auto* y) {
                return std::find(order.begin(), order.end(), x->policyId) <
                       std::find(order.begin(), order.end(), y->policyId);
            });
            for (std::size_t k = 0; k < active.size(); ++k) {
                ThresholdRun r;
                r.policyId = active[k]->policyId;
                r.xStart = a;
                r.xEnd = b;
                r.value = value;
                r.style = active[k]->style;
                r.slot = static_cast<int>(k);
                r.slotCount = static_cast<int>(active.size());
                runs.push_back(std::move(r));
            }
        }
    }
    return runs;
}

std::vector<ThresholdLabelGroup> thresholdLabelGroups(const ChartData& chart) {
    std::vector<ThresholdLabelGroup> groups;
    std::map<double, std::size_t> byValue;
    for (const ThresholdSegment& s : chart.segments) {
        auto [it, fresh] = byValue.emplace(s.value, groups.size());
        if (fresh) {
            ThresholdLabelGroup g;
            g.x = s.xStart;
            g.value = s.value;
            groups.push_back(std::move(g));
        }
        ThresholdLabelGroup& g = groups[it->second];
        g.x = std::min(g.x, s.xStart);
        // The status as of the chart's date, whichever segment carries the label.
        const std::string text = thresholdLabelText(s.label, s.labelStatus);
        const bool listed = std::any_of(g.lines.begin(), g.lines.end(), [&](const auto& l) {
            return l.policyId == s.policyId && l.text == text;
        });
        if (!listed) g.lines.push_back({s.policyId, text});
    }
    for (const ThresholdCurve& c : chart.curves) {
        if (c.xs.empty()) continue;
        const std::size_t third = c.xs.size() / 3;
        ThresholdLabelGroup g;
        g.x = c.xs[third];
        g.value = c.ys[third];
        g.lines.push_back({c.policyId, thresholdLabelText(c.label, c.labelStatus)});
        groups.push_back(std::move(g));
    }
    return groups;
}

}  // namespace flopledger::gui
