#pragma once
// explainVerdicts (verdict_explain.hpp) with what the caller needs computed: the Assessor asks
// for no reason sentence and no probability when its report prints neither.
#include <flopledger/verdict_explain.hpp>

#include "policy/evaluation_request.hpp"

namespace flopledger::inline v1::detail {

void explainVerdicts(const ModelRecord& record, const ModelEstimate& estimate,
                     const std::vector<const Policy*>& policies, const Date& asOf,
                     std::vector<Verdict>& verdicts, const ExplainOptions& options,
                     EvaluationRequest request);
void explainVerdicts(const ClusterRecord& record, const std::vector<const Policy*>& policies,
                     const Date& asOf, std::vector<Verdict>& verdicts,
                     const ExplainOptions& options, EvaluationRequest request);

}  // namespace flopledger::inline v1::detail
