#pragma once
// Decision-grade verdicts (contract 7.3-7.5): after the evaluator, each verdict gets the status
// of its compute criterion alone, a one-sentence reason, its lower-bound fields (disclosed
// status, crossing FLOP and ratio), `not-released` when the record postdates the as-of date,
// `missing` reduced to the inputs that could change the status, and, with an assumed bound on
// undisclosed compute, a status decided on that bound. The Assessor runs it for every front end.
#include <flopledger/date.hpp>
#include <flopledger/estimate.hpp>
#include <flopledger/policy.hpp>
#include <flopledger/record.hpp>

#include <optional>
#include <vector>

namespace flopledger {
inline namespace v1 {

struct ExplainOptions {
    /// Re-evaluations (disclosed status, the assumed bound) use these: registry, estimator,
    /// Monte Carlo.
    EvaluationOptions evaluation;
    /// `--assume-undisclosed RATIO`: missing stages together at most RATIO x the disclosed
    /// counted compute.
    std::optional<Exact> assumeUndisclosed;
};

/// The primary compute leaf of a condition tree: the first leaf marked `primary`, else the first
/// compute leaf (pre-order), as the evaluator picks it; nullptr if none.
const Condition* primaryLeaf(const Condition& root);
/// The counting scope of a compute leaf under its policy.
const CountingScope& leafScope(const Policy& policy, const Condition& leaf);

/// `verdicts` are the evaluator's for `policies` (those that speak about models, in order).
void explainVerdicts(const ModelRecord& record, const ModelEstimate& estimate,
                     const std::vector<const Policy*>& policies, const Date& asOf,
                     std::vector<Verdict>& verdicts, const ExplainOptions& options);
/// Cluster verdicts: compute status (the peak criterion) and reason.
void explainVerdicts(const ClusterRecord& record, const std::vector<const Policy*>& policies,
                     const Date& asOf, std::vector<Verdict>& verdicts,
                     const ExplainOptions& options);

/// Sign of x - threshold of a leaf on a date (exact; effective-compute thresholds included).
/// nullopt when the threshold is not a constant or an effective-compute spec.
std::optional<int> compareWithLeafThreshold(const Condition& leaf, const Exact& x,
                                            const Date& asOf);

}  // namespace v1
}  // namespace flopledger
