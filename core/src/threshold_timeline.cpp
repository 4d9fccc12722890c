#include <flopledger/threshold_timeline.hpp>

#include <algorithm>

namespace flopledger {

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

// Days since 1970-01-01 -> civil date (Howard Hinnant's days_from_civil inverse).
Date dateFromDays(long z) {
    z += 719468;
    const long era = (z >= 0 ? z : z - 146096) / 146097;
    const long doe = z - era * 146097;
    const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const long mp = (5 * doy + 2) / 153;
    Date d;
    d.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    d.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    d.year = static_cast<int>(yoe + era * 400 + (d.month <= 2 ? 1 : 0));
    return d;
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
        const Date date = dateFromDays(day);
        const double v = effectiveComputeThreshold(spec, date);
        if (!(v > 0)) continue;
        // The double is exact as a rational; it is only drawn, never compared.
        p.curve.push_back({date, Exact(v)});
    }
    return periods;
}

}  // namespace flopledger
