#pragma once
// Internal to sensitivity: exact break-even values of a record's continuous inputs (contract 7.6).
#include <flopledger/sensitivity.hpp>

#include <string>
#include <vector>

namespace flopledger::inline v1::detail {

/// For each continuous input that the policy's counted figure (or its revenue / cost criterion)
/// depends on: the exact value at which the verdict's status changes, the other inputs held.
/// Inputs whose break-even cannot be reached (utilization above 1, a negative count) or whose
/// other side leaves the status unchanged are left out; `notes` says why when useful.
std::vector<BreakEven> breakEvenValues(const ModelRecord& record, const Policy& policy,
                                       const Verdict& baseline, const Date& asOf,
                                       const SensitivityOptions& options,
                                       std::vector<std::string>& notes);

}  // namespace flopledger::detail
