#pragma once
// Policies as data (policies/*.json) and their evaluation as of a date (contract section 4).
// The policy helper owns the full design of this header; the Verdict fields are the contract's.
#include <flopledger/date.hpp>
#include <flopledger/diagnostic.hpp>
#include <flopledger/estimate.hpp>
#include <flopledger/monte_carlo.hpp>
#include <flopledger/record.hpp>

#include <optional>
#include <string>
#include <vector>

namespace flopledger {

enum class VerdictStatus { Exceeds, Below, Indeterminate, Unknown };
std::string_view toString(VerdictStatus s);

/// One policy's verdict on one record as of one date (contract section 5, "assess").
struct Verdict {
    std::string policy;                 ///< policy id
    std::string title;
    bool inForce = false;
    std::string legalStatus;            ///< in-force, proposed, vetoed, revoked, rescinded, ...
    VerdictStatus status = VerdictStatus::Unknown;
    std::optional<Interval> countedFlop;///< the compute metric under the policy's scope
    std::optional<Exact> threshold;     ///< the compute threshold as of the date
    std::string comparator;             ///< ">" or ">="
    std::optional<double> marginLog10;  ///< log10(central counted / threshold)
    std::optional<double> probability;  ///< P(condition holds), Monte Carlo
    std::vector<std::string> missing;   ///< inputs needed for a decision
    std::vector<std::string> notes;     ///< readings chosen, assumptions, flags
};

}  // namespace flopledger
