#include <flopledger/threshold_timeline.hpp>

#include <algorithm>
#include <cmath>

namespace flopledger::inline v1 {

namespace {

const Condition* findLeaf(const Condition& c, bool wantPrimary) {
    if (c.op == Condition::Op::Leaf) {
        const bool compute =
            c.metric == Metric::TrainingCompute || c.metric == Metric::LargestStageCompute;
        const bool drawable = c.threshold.kind == ThresholdKind::Constant ||
                              c.threshold.kind == ThresholdKind::EffectiveCompute;
        if (compute && drawable && (!wantPrimary || c.primary)) return &c;
        return nullptr;
    }
    if (c.op == Condition::Op::Not) return nullptr;  // a negated threshold is not a trigger line
    for (const Condition& child : c.children)
        if (const Condition* found = findLeaf(child, wantPrimary)) return found;
    return nullptr;
}

}  // namespace

bool isEndedStatus(LegalStatus status) {
    return status == LegalStatus::Vetoed || status == LegalStatus::Revoked ||
           status == LegalStatus::Rescinded || status == LegalStatus::Superseded;
}

std::string_view displayStatus(const PolicyState& state) {
    return state.inForce ? std::string_view("in-force") : toString(state.legalStatus);
}

const Condition* primaryComputeLeaf(const Policy& policy) {
    if (!policy.conditions) return nullptr;
    if (const Condition* c = findLeaf(*policy.conditions, true)) return c;
    return findLeaf(*policy.conditions, false);
}

std::vector<ThresholdPeriod> thresholdTimeline(const Policy& policy, const Date& from,
                                               const Date& to,
                                               const ThresholdTimelineOptions& options) {
    std::vector<ThresholdPeriod> periods;
    const Condition* leaf = primaryComputeLeaf(policy);
    if (leaf == nullptr || to < from) return periods;

    // Consecutive events with the same standing form one period.
    for (const StatusEvent& e : policy.history) {
        // Several events on one day ("signed", then "in-force"): the last one is the standing.
        if (!periods.empty() && periods.back().start == e.date) {
            periods.back().legalStatus = e.legalStatus;
            periods.back().inForce = e.inForce;
            if (periods.size() >= 2 && periods[periods.size() - 2].legalStatus == e.legalStatus &&
                periods[periods.size() - 2].inForce == e.inForce) {
                periods.pop_back();
                periods.back().end.reset();
            }
            continue;
        }
        if (!periods.empty() && periods.back().legalStatus == e.legalStatus &&
            periods.back().inForce == e.inForce)
            continue;
        if (!periods.empty()) periods.back().end = e.date;
        ThresholdPeriod p;
        p.start = e.date;
        p.legalStatus = e.legalStatus;
        p.inForce = e.inForce;
        periods.push_back(std::move(p));
    }

    // Keep what overlaps [from, to]; an end date is exclusive.
    periods.erase(std::remove_if(periods.begin(), periods.end(),
                                 [&](const ThresholdPeriod& p) {
                                     return to < p.start || (p.end && *p.end <= from);
                                 }),
                  periods.end());

    const ThresholdSpec& spec = leaf->threshold;
    if (spec.kind == ThresholdKind::Constant) {
        for (ThresholdPeriod& p : periods)
            if (!isEndedStatus(p.legalStatus)) p.value = spec.value;
        return periods;
    }

    // Effective compute: sample the whole range evenly, keep each sample in its period.
    const int n = std::max(2, options.curveSamples);
    const long d0 = from.daysSinceEpoch();
    const long d1 = to.daysSinceEpoch();
    std::size_t k = 0;
    for (int i = 0; i < n; ++i) {
        const long day = d0 + (d1 - d0) * i / (n - 1);
        while (k < periods.size() && periods[k].end && periods[k].end->daysSinceEpoch() <= day) ++k;
        if (k == periods.size()) break;
        ThresholdPeriod& p = periods[k];
        if (day < p.start.daysSinceEpoch() || isEndedStatus(p.legalStatus)) continue;
        const Date date = Date::fromDaysSinceEpoch(day);
        const double v = effectiveComputeThreshold(spec, date);
        if (!(v > 0) || !std::isfinite(v)) continue;  // beyond a double: not drawable
        // The double is exact as a rational; it is only drawn, never compared.
        p.curve.push_back({date, Exact(v)});
    }
    return periods;
}

}  // namespace flopledger
