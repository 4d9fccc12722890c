#pragma once
// Contested readings in `sensitivity` (sensitivity_readings.cpp).
#include <flopledger/sensitivity.hpp>

#include <vector>

namespace flopledger::inline v1::detail {

/// One choice "reading" per alternative reading of `policy`: its verdict on the record when the
/// policy is read the other way (its scope and/or condition tree replaced).
std::vector<SensitivityChoice> readingAlternatives(const ModelRecord& record,
                                                   const ModelEstimate& estimate,
                                                   const Policy& policy, const Date& asOf,
                                                   const EvaluationOptions& options,
                                                   VerdictStatus baseline);

}  // namespace flopledger::detail
