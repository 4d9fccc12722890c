#pragma once
// Private: the EffectiveCompute threshold E / 2^(months / h) without text round trips. The
// shown value is the exact threshold rounded to 7 significant digits with big-integer
// arithmetic (never printf text, which is rounded, range-limited by the number parser and
// locale-dependent); decisions compare exactly with bounded work.
#include <flopledger/policy.hpp>

namespace flopledger::inline v1::detail {

/// Largest numerator and denominator of a policy's halving_months (in lowest terms): they
/// bound the powers the exact comparison raises values to (policy_parse refuses larger ones).
constexpr long kMaxHalvingNumerator = 240;
constexpr long kMaxHalvingDenominator = 100;

/// log10 of the threshold, finite for every date (no overflow to inf, no underflow to 0).
double effectiveThresholdLog10(const ThresholdSpec& spec, long months);

/// The threshold rounded half-even to `digits` significant digits, exactly (any magnitude).
Exact effectiveThresholdShown(const ThresholdSpec& spec, long months, int digits = 7);

/// `x` (> 0) rounded half-even to `digits` significant digits, exactly.
Exact roundSignificant(const Exact& x, int digits);

/// Exact sign of x - E / 2^(months / h): a double-precision comparison of the logarithms
/// settles it unless they are within 1e-9 of each other; only then the exact powers are built.
int compareEffective(const Exact& x, const ThresholdSpec& spec, long months);

}  // namespace flopledger::detail
