#pragma once
// Private to explainVerdicts (fast path): the common verdict explained in one pass over the
// evaluator's kept outcomes and the thread's plans (verdict_explain_quick.cpp).
#include "policy/leaf_results.hpp"
#include "policy/verdict_reason.hpp"

#include <cstddef>

namespace flopledger::inline v1::detail {

/// For a released record's verdict that is not a lower bound and carries no assumption (the
/// caller checks these; `in` is its inputs, in.primary from the compiled tree): sets the
/// compute status, and the reason and missing inputs as explainReasonFromLeaves would, when
/// the evaluator's outcomes cover the verdict, every leaf's outcome is reusable and the tree's
/// outcome pattern has a plan whose texts need no look-up beyond the record's figures. Returns
/// false, the verdict unchanged, otherwise (the general path runs).
bool explainQuick(const LeafResults& leaves, std::size_t index, const ReasonInputs& in, Verdict& v,
                  bool texts);

}  // namespace flopledger::inline v1::detail
