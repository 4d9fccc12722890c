#pragma once
// What an evaluation computes beyond statuses and counted FLOP. Core decides it, never an
// embedder: the Assessor from what the report's writer prints (AssessRequest), and the
// re-evaluations (explain, break-even values, sensitivity variants, coverage counts), which need
// statuses only. Public callers always get everything (texts and, unless
// monteCarlo.samples == 0, probabilities).
#include <flopledger/policy.hpp>

#include <vector>

namespace flopledger::inline v1::detail {

struct EvaluationRequest {
    bool probabilities = true;  ///< indeterminate verdicts get a probability (samples > 0)
    bool texts = true;          ///< verdicts carry the policy's title and notes, and a reason
};

/// Statuses, counted FLOP and margins only.
inline constexpr EvaluationRequest kStatusesOnly{false, false};

struct EvaluatorAccess {
    static PolicyEvaluator make(std::vector<const Policy*> policies, EvaluationOptions options,
                                EvaluationRequest request);
};

/// evaluatePolicy (policy.hpp) with a scope.
Verdict evaluatePolicy(const Policy& policy, const ModelRecord& record,
                       const ModelEstimate& estimate, const Date& asOf,
                       const EvaluationOptions& options, EvaluationRequest request);

}  // namespace flopledger::inline v1::detail
