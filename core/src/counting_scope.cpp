// Counting scopes: which ledger lines a total includes (policies build these from their rules).
#include <flopledger/estimate.hpp>

#include "fast_exact.hpp"

namespace flopledger {

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

}  // namespace

Interval countedFlop(const ModelEstimate& estimate, const CountingScope& scope) {
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
