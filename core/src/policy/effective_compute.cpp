// Effective-compute thresholds: a threshold that halves every h months from a reference date,
// compared exactly (policy.hpp).
#include <flopledger/policy.hpp>

#include "policy/effective_threshold.hpp"

#include <cmath>

namespace flopledger::inline v1 {

long wholeMonthsBetween(const Date& from, const Date& to) {
    long months = (static_cast<long>(to.year) - from.year) * 12 + (to.month - from.month);
    if (months > 0 && to.day < from.day) --months;
    if (months < 0 && to.day > from.day) ++months;
    return months;
}

// Display and plotting value only; verdicts compare through detail::compareEffective (exact).
double effectiveComputeThreshold(const ThresholdSpec& spec, const Date& date) {
    const double months = static_cast<double>(wholeMonthsBetween(spec.referenceDate, date));
    return toDouble(spec.value) * std::pow(2.0, -months / toDouble(spec.halvingMonths));
}

int compareWithEffectiveThreshold(const Exact& x, const ThresholdSpec& spec, long months) {
    // Bounded work: a log comparison first, exact powers only when within 1e-9 (issue 18).
    return detail::compareEffective(x, spec, months);
}

}  // namespace flopledger
