#pragma once
// Compact machine-readable output (`--compact`; docs/cli.md, "Compact output"): the contract's
// records without what is the same for every record (policy titles, notes, citations, legal
// status and the reason sentences; `policies list --format json --as-of DATE` has them once),
// keeping every decision field. Verdicts with identical fields are written once per record.
#include <flopledger/assessment.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace flopledger {
inline namespace v1 {

/// The compact object of one record (as of dates[dateIndex] when `evaluate`), one line, no
/// trailing newline, appended to `out`.
void appendCompactJson(std::string& out, const RecordAssessment& result, std::size_t dateIndex,
                       bool evaluate);
/// The compact JSON document (`--format json --compact`): "[\n" one object a line joined by
/// ",\n" "\n]\n" ("[]\n" when empty); with `evaluate` one object per record per date.
std::string compactJsonDocument(const std::vector<RecordAssessment>& results, bool evaluate);
/// The compact JSON Lines document: one object a line, each ending in "\n".
std::string compactJsonLinesDocument(const std::vector<RecordAssessment>& results, bool evaluate);
/// The header line of compact CSV (CRLF-terminated).
std::string compactCsvHeader(bool evaluate);
/// The compact CSV rows of one record (assess: one per date and policy), appended to `out`.
void appendCompactCsvRows(std::string& out, const RecordAssessment& result, bool evaluate);
/// An exact value as compact output writes it: the default output's exact text, with the
/// trailing zeros of a whole number (three or more) written as a decimal exponent: "1e26",
/// "32374188e14". Still exact.
std::string compactExactText(const Exact& value);

}  // inline namespace v1
}  // namespace flopledger
