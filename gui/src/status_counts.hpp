#pragma once
// The counts the status bar shows: models by status under the colouring policy as of the
// document's date, the models not yet released then (contract 7.4: left out of the chart and
// the counts), and the verdicts that rely on the undisclosed-compute assumption.
#include "registry_document.hpp"

#include <string>

namespace flopledger::inline v1::gui {

struct StatusCounts {
    int exceeds = 0, indeterminate = 0, below = 0, unknown = 0;
    int notReleased = 0;  ///< released after the as-of date
    int assumed = 0;      ///< verdicts (any selected policy) that rely on an assumption
    int records = 0;
};

/// Counted from the document's verdicts (the first policy for statuses).
StatusCounts statusCounts(const RegistryDocument& doc);

/// "As of 2025-09-01 under eu-ai-act-art51: 12 exceeds, 3 indeterminate, 70 below, 31 unknown;
/// 40 not yet released; 1922 records".
std::string statusCountsText(const RegistryDocument& doc);

}  // namespace flopledger::gui
