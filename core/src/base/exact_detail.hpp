#pragma once
// Private: exact.cpp's fast path for whole numbers, and the general implementations behind its
// fast paths (the reference implementations FLOPLEDGER_FAST_PATHS=OFF runs), kept so that unit
// tests can check the fast paths against them on edge cases (same values, same diagnostics).
#include <flopledger/exact.hpp>

#include "base/exact_fast.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace flopledger::inline v1::detail {

/// True, with the value in `out`, when parseExact(text, limits) would return a whole number
/// >= 0 below 2^128 ("50257", "2.061e+10", "1.6B", "8.001e+23", "0"); false for anything else
/// (fractions, negative numbers, larger values, mantissas of more than 19 significant digits,
/// and every text parseExact rejects), without building a diagnostic.
bool parseWholeDecimal(std::string_view text, const NumberLimits& limits, U128& out);

/// True, with the value num / den in lowest terms (den > 0), when parseExact(text, limits)
/// would return a value >= 0 whose parts fit 128 bits with a mantissa of at most 19
/// significant digits ("0.38", "507.9", "2.5e-3", and every text parseWholeDecimal takes);
/// false otherwise, without a diagnostic.
bool parseDecimalU128(std::string_view text, const NumberLimits& limits, U128& num, U128& den);

/// parseExact through a digit string and the general BigInt/rational constructors.
Exact parseExactReference(std::string_view text, const NumberLimits& limits = {});

/// formatScientific through big-integer division (any size).
std::string formatScientificReference(const Exact& value, int digits);

/// toDouble through 64-bit scaled numerator and denominator (any size).
double toDoubleReference(const Exact& value);

}  // namespace flopledger::inline v1::detail
