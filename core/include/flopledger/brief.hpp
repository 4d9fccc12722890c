#pragma once
// The brief (`--format brief`): a page of Markdown per model for a briefing. The conclusion
// comes first in plain words, then the figures with where they come from, what would change the
// conclusion, the legal standing of each regime and the sources. A registry-wide brief leads
// with the per-policy summary.
#include <flopledger/assessment.hpp>
#include <flopledger/diagnostic.hpp>
#include <flopledger/report.hpp>
#include <flopledger/sensitivity.hpp>

#include <string>
#include <vector>

namespace flopledger {
inline namespace v1 {

class PolicyCatalog;

struct BriefOptions {
    std::vector<PolicySummary> policies;     ///< evaluated policies, in report order
    std::vector<Date> asOf;                  ///< the brief speaks as of the first date
    const PolicyCatalog* catalog = nullptr;  ///< for legal standing in words; nullptr: defaults
    int digits = 2;
    /// Break-even values (contract 7.6) per model, from analyseSensitivity; a model without an
    /// entry gets the thresholds' distance from its interval instead.
    std::vector<ModelSensitivity> sensitivity;
    /// Warnings of reading the inputs: summarised by code with counts, not listed.
    std::vector<Diagnostic> warnings;
};

/// The conclusion sentence of one record as of the first date, e.g. "GPT-4: probably above the
/// EU AI Act Art. 51(2) threshold (about 89% under Epoch AI's speculative interval); below
/// every 1e26 regime; the developer has published no figure."
std::string briefConclusion(const RecordAssessment& result, const BriefOptions& options);

/// One model's section (Markdown, about 40 lines at most for the default policy set).
std::string briefSection(const RecordAssessment& result, const BriefOptions& options);

/// The whole brief: a title, for more than one record the per-policy summary, then a section
/// per record.
std::string renderBrief(const std::vector<RecordAssessment>& results, const BriefOptions& options);

}  // inline namespace v1
}  // namespace flopledger
