// Contested readings (a policy's "alternative_readings"): `sensitivity` shows the verdict under
// the reading the policy file did not choose, so a contested reading is flagged, not silently
// decided (docs/policy-format.md).
#include "policy/sensitivity_readings.hpp"

#include "policy/evaluation_request.hpp"

namespace flopledger::inline v1::detail {

std::vector<SensitivityChoice> readingAlternatives(const ModelRecord& record,
                                                   const ModelEstimate& estimate,
                                                   const Policy& policy, const Date& asOf,
                                                   const EvaluationOptions& options,
                                                   VerdictStatus baseline) {
    std::vector<SensitivityChoice> out;
    for (const AlternativeReading& a : policy.alternatives) {
        Policy other = policy;
        other.alternatives.clear();
        if (a.scope) other.scope = *a.scope;
        if (a.conditions) other.conditions = *a.conditions;
        const PolicyEvaluator evaluator =
            EvaluatorAccess::make({&other}, options, kStatusesOnly);  // status and FLOP only
        const std::vector<Verdict> verdicts = evaluator.evaluate(record, estimate, asOf);
        if (verdicts.empty()) continue;
        SensitivityChoice c;
        c.choice = "reading";
        c.value = a.id;
        c.status = verdicts.front().status;
        c.countedFlop = verdicts.front().countedFlop;
        c.flips = c.status != baseline;
        out.push_back(std::move(c));
    }
    return out;
}

}  // namespace flopledger::inline v1::detail
