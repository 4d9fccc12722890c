#pragma once
// Private: formatExact's text of the exact numbers the reports print most (whole numbers below
// 2^128 and short terminating fractions), written from the limbs without big-integer
// arithmetic. Shared by the JSON writer and the CSV rows; everything else falls back to
// formatExact, so the text is always formatExact's.
#include <flopledger/exact.hpp>

#include "base/exact_fast.hpp"

#include <cstddef>
#include <string>

namespace flopledger::inline v1::detail {

/// Decimal digits of x, right-aligned ending at end; returns the first digit.
char* writeDigits(U128 x, char* end);
/// formatExact's text of v (sign and digits) into buf; returns its length.
std::size_t formatSmall(const SmallInt& v, char (&buf)[48]);
/// formatExact's text of a terminating fraction whose scaled digits fit in 128 bits; false
/// (nothing written) for anything else.
bool formatDecimal(const Exact& v, char (&buf)[48], std::size_t& len);
/// formatExact(v, significantDigits) for a non-zero fraction whose numerator and denominator
/// fit in 128 bits (fixed-width arithmetic, no heap); false for anything else. Meant for values
/// the two functions above do not take (non-terminating fractions are rounded).
bool formatRounded(const Exact& v, int significantDigits, std::string& out);
/// formatScientific(v, significantDigits) for a whole number below 2^128 (and at most 38
/// digits); false for anything else.
bool formatScientificSmall(const Exact& v, int significantDigits, std::string& out);
/// formatScientific(v, significantDigits) for a non-zero value whose numerator and denominator
/// fit in 128 bits (fractions included) and significantDigits <= 40; false for anything else.
bool formatScientificRounded(const Exact& v, int significantDigits, std::string& out);
/// formatExact(v): formatRounded when it applies, formatExact otherwise.
std::string formatExactText(const Exact& v);
/// Appends formatExact(v) to out (fast paths first).
void appendExact(std::string& out, const Exact& v);

}  // namespace flopledger::inline v1::detail
