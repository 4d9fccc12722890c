#pragma once
// Private to explainVerdicts (fast path): the common verdict explained in one pass over the
// evaluator's kept outcomes and the thread's plans (verdict_explain_quick.cpp).
#include "policy/leaf_results.hpp"
#include "policy/verdict_reason.hpp"

#include <cstddef>

namespace flopledger::inline v1::detail {

/// What explainQuick reads of the record being explained (explainVerdicts' locals).
struct QuickRecord {
    const ModelRecord& record;
    const ModelEstimate& estimate;
    const Date& asOf;
    const LeafResults& leaves;
    const RegistryContext* registry;
    ReasonCache* cache;
    bool anyUnestimated;  // a stage has no estimate
    bool texts;           // reasons are asked for
};

/// The stages without an estimate that `scope` counts.
inline int missingStages(const ModelEstimate& e, const CountingScope& scope) {
    int n = 0;
    for (const StageEstimate& se : e.stages)
        if (!se.method && scope.includes(se)) ++n;
    return n;
}

/// For a released record's verdict: when it is not a lower bound, carries no assumption, the
/// evaluator's outcomes cover it, and the tree's outcome pattern has a plan whose texts need
/// no look-up beyond the record's figures, sets its lower bound (false), compute status,
/// reason and missing inputs as explainVerdicts' general path would and returns true.
/// Returns false, the verdict unchanged, otherwise (the general path runs).
bool explainQuick(const QuickRecord& q, std::size_t index, const Policy& p, Verdict& v);

}  // namespace flopledger::inline v1::detail
