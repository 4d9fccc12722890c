#pragma once
// Private to the core: what a consumer of results needs computed, asked of an Assessor per call.
// The report writers know what they print (the text table prints no verdict titles, notes or
// probabilities); the streaming engine asks the assessor for exactly that (writerNeeds, then
// AssessorAccess), so no report format appears in AssessOptions and the evaluator is told what
// to compute, not which format is being written.
#include <flopledger/assessment.hpp>

#include "policy/evaluation_request.hpp"

#include <memory>
#include <vector>

namespace flopledger::inline v1 {

struct AssessRequest {
    bool verdictTexts = true;   ///< verdict titles, notes and reasons
    bool probabilities = true;  ///< probabilities of indeterminate verdicts (when samples > 0)
    /// the estimate's stage breakdown (FLOP by component), printed only on request
    bool breakdown = true;
    bool full() const { return verdictTexts && probabilities; }
    /// What the evaluator is asked to compute for this request.
    detail::EvaluationRequest evaluation() const { return {probabilities, verdictTexts}; }
};

/// The Assessor's per-call requests; the public members are the full request.
struct AssessorAccess {
    static RecordAssessment assess(const Assessor& a, std::shared_ptr<const Record> record,
                                   const AssessRequest& request) {
        return a.assess(std::move(record), request);
    }
    static std::vector<RecordAssessment> assessAll(const Assessor& a, std::vector<Record> records,
                                                   unsigned threads, const AssessRequest& request) {
        return a.assessAll(std::move(records), threads, request);
    }
};

}  // namespace flopledger::inline v1
