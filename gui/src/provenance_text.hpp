#pragma once
// Provenance (contract 7.1) and verdict explanations (7.3, 7.5) as the table shows them: a
// short cell ("Epoch AI, speculative"; "developer 3.80e25") and multi-line tooltips. The facts
// come from core (provenance.hpp, Verdict); only their wording is here.
#include <flopledger/estimate.hpp>
#include <flopledger/policy.hpp>
#include <flopledger/record.hpp>

#include <string>

namespace flopledger::inline v1::gui {

/// Who the counted figure comes from, in a few words: the third party and its confidence
/// label, "developer", "computed" or a combination; the developer's own figure with the ratio
/// of ours to it when the record has one.
std::string provenanceCell(const ModelRecord& record, const ModelEstimate& estimate);

/// One line per stage (origin, estimator, confidence, source, assumptions), then the
/// developer-reported figure with the ratio and the explanation of a difference.
std::string provenanceTooltip(const ModelRecord& record, const ModelEstimate& estimate);

/// A verdict explained: title, status, reason, margin, probability, the lower bound's disclosed
/// status and the compute needed to cross, missing inputs, and the assumptions it relies on.
std::string verdictTooltip(const Verdict& verdict);

}  // namespace flopledger::gui
