// Counting scopes: which ledger lines a total includes (policies build these from their rules).
#include <flopledger/estimate.hpp>

#include "base/exact_fast.hpp"

namespace flopledger::inline v1 {

CountingScope CountingScope::all() {
    CountingScope s;
    s.include.fill(true);
    s.publicSyntheticData = true;
    s.recompute = true;
    return s;
}

CountingScope CountingScope::trainingOnly() {
    // Stages whose compute produced this model's weights: its own training runs and the
    // training of parents merged into it. Generation, teachers, reward models, evaluations,
    // failed runs and inference are left out.
    CountingScope s;
    for (StageKind k : {StageKind::Pretraining, StageKind::ContinuedPretraining,
                        StageKind::FineTuning, StageKind::Rl, StageKind::MergedParent}) {
        s.include[static_cast<std::size_t>(k)] = true;
    }
    return s;
}

bool CountingScope::includes(const StageEstimate& s) const {
    if (!include[static_cast<std::size_t>(s.kind)]) return false;
    return s.kind != StageKind::SyntheticData || !s.isPublic || publicSyntheticData;
}

namespace {

void accumulate(Interval& total, bool& empty, const Interval& v) {
    if (empty) {
        total = v;  // most totals have one counted stage: a copy, no arithmetic
        empty = false;
        return;
    }
    total.low = detail::addExact(total.low, v.low);
    total.central = detail::addExact(total.central, v.central);
    total.high = detail::addExact(total.high, v.high);
}

// The counted sum in 128-bit integers: false (and the sums unusable) as soon as an endpoint is
// not a whole number below 2^128 or a sum overflows; `terms` counts the intervals added.
bool sumWide(const ModelEstimate& estimate, const CountingScope& scope, detail::U128 (&sum)[3],
             int& terms) {
    const auto add = [&](const Interval& v) {
        detail::U128 x[3] = {0, 0, 0};
        ++terms;
        return detail::wholeU128(v.low, x[0]) && detail::wholeU128(v.central, x[1]) &&
               detail::wholeU128(v.high, x[2]) && !__builtin_add_overflow(sum[0], x[0], &sum[0]) &&
               !__builtin_add_overflow(sum[1], x[1], &sum[1]) &&
               !__builtin_add_overflow(sum[2], x[2], &sum[2]);
    };
    for (const StageEstimate& s : estimate.stages) {
        if (!scope.includes(s)) continue;
        if (!add(s.flop)) return false;
        if (scope.recompute && s.recomputeFlop && !add(*s.recomputeFlop)) return false;
    }
    return true;
}

}  // namespace

Interval countedFlop(const ModelEstimate& estimate, const CountingScope& scope) {
    // Sums of whole FLOP counts below 2^128 (the usual case) are added in 128 bits and
    // converted once; anything else (fractions, larger numbers, overflow) as before.
    detail::U128 sum[3] = {0, 0, 0};
    int terms = 0;
    if (sumWide(estimate, scope, sum, terms) && terms > 1)
        return Interval{Exact(sum[0]), Exact(sum[1]), Exact(sum[2])};
    Interval total;
    bool empty = true;
    for (const StageEstimate& s : estimate.stages) {
        if (!scope.includes(s)) continue;
        accumulate(total, empty, s.flop);
        if (scope.recompute && s.recomputeFlop) accumulate(total, empty, *s.recomputeFlop);
    }
    return total;
}

}  // namespace flopledger
