#pragma once
// Internal to verdict_explain: the compute status of a verdict and its reason sentence, from a
// light re-reading of the policy's condition tree (the evaluator's status stays authoritative).
#include <flopledger/estimate.hpp>
#include <flopledger/policy.hpp>
#include <flopledger/record.hpp>

namespace flopledger::detail {

struct ReasonInputs {
    const Policy& policy;
    const ModelRecord& record;
    const ModelEstimate& estimate;
    const Date& asOf;
    const Condition* primary;  ///< the compute leaf that fills counted_flop
    const RegistryContext* registry;
};

/// The status of the compute criterion alone: counted_flop against the primary leaf's threshold
/// (high unbounded when `unbounded`).
VerdictStatus computeStatusOf(const ReasonInputs& in, const Verdict& v, bool unbounded);
/// Fills v.reason (when texts) and reduces v.missing to the inputs that could change the status.
void explainReason(const ReasonInputs& in, Verdict& v, bool unbounded, bool texts);
/// Cluster verdicts: compute status from the counted peak, reason from the status.
void explainCluster(Verdict& v, bool texts);
/// True for a record whose declared modalities include no biological one (the EO 14110 bio
/// rule's reading: such a record's biological sequence share is 0).
bool textOnlyForBio(const ModelRecord& record);

}  // namespace flopledger::detail
