#pragma once
// The writers' ways into the contract's JSON objects (assessment.hpp has the public
// estimateJson / assessJson): appending to a buffer the report reuses, and the array element.
#include <flopledger/assessment.hpp>

#include <cstddef>
#include <string>

namespace flopledger::inline v1 {

/// Appends estimateJson(result, indent) to `out` (no intermediate string).
void appendEstimateJson(std::string& out, const RecordAssessment& result, int indent = -1,
                        bool breakdown = false);
/// Appends assessJson(result, dateIndex, indent) to `out` (no intermediate string).
void appendAssessJson(std::string& out, const RecordAssessment& result, std::size_t dateIndex,
                      int indent = -1);
/// One element of a `--format json` array: the object pretty-printed (indent 2) and shifted
/// right by two spaces, no trailing newline or comma.
std::string jsonArrayElement(const std::string& prettyObject);

}  // namespace flopledger::inline v1
