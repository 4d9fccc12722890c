#pragma once
// A policy's compute threshold over time, as front ends draw it: the periods of its status
// history with the threshold that applies in each. Shared by the GUI chart, `flopledger plot`
// and embedders so that every picture of a rule follows the same reading of its history.
#include <flopledger/date.hpp>
#include <flopledger/exact.hpp>
#include <flopledger/policy.hpp>

#include <optional>
#include <vector>

namespace flopledger {
inline namespace v1 {

/// One sample of a time-dependent threshold.
struct ThresholdSample {
    Date date;
    Exact value;  ///< rounded to double precision: for display, never for decisions
};

/// One period of a policy's standing: from `start` (inclusive) to `end` (exclusive; nullopt:
/// still current). Consecutive events that leave the standing unchanged are one period.
struct ThresholdPeriod {
    Date start;
    std::optional<Date> end;
    LegalStatus legalStatus = LegalStatus::NotYetInForce;
    bool inForce = false;
    /// Constant thresholds: the value. nullopt for time-dependent thresholds and for periods in
    /// which the rule has ended (vetoed, revoked, rescinded, superseded).
    std::optional<Exact> value;
    /// Time-dependent thresholds (effective compute): samples inside this period and inside the
    /// requested range; empty once the rule has ended.
    std::vector<ThresholdSample> curve;
};

struct ThresholdTimelineOptions {
    /// Samples of a time-dependent threshold over the whole requested range (evenly spaced
    /// days, both ends included); each period keeps the samples that fall inside it.
    int curveSamples = 200;
};

/// true for vetoed, revoked, rescinded and superseded: the rule no longer exists.
bool isEndedStatus(LegalStatus status);

/// "in-force" when the rule applies, else its legal status ("proposed", "revoked", ...): the
/// status a reader is told, as `flopledger assess` reports it.
std::string_view displayStatus(const PolicyState& state);

/// The compute condition a policy's threshold is drawn from: the leaf marked primary, else the
/// first training-compute or largest-stage leaf (outside any `not`) whose threshold is a
/// constant or an effective-compute index. nullptr if the policy has no such leaf (cluster
/// rules, relative or frontier-ranked thresholds).
const Condition* primaryComputeLeaf(const Policy& policy);

/// The periods of `policy` that overlap [from, to], in date order, with their dates unclipped.
/// Before the first event the policy did not exist: no period. Empty if the policy has no
/// drawable compute threshold (see primaryComputeLeaf) or `to` < `from`.
std::vector<ThresholdPeriod> thresholdTimeline(const Policy& policy, const Date& from,
                                               const Date& to,
                                               const ThresholdTimelineOptions& options = {});

}  // inline namespace v1
}  // namespace flopledger
