#pragma once
// Private to the reasons: formatScientific(v, 3) of a whole number below 2^128 written straight
// into a string (one division, no digit string, no temporaries); the counted figures and
// thresholds a reason prints are such numbers.
#include <flopledger/exact.hpp>

#include "base/exact_fast.hpp"

#include <cstddef>

#include <string>

namespace flopledger::inline v1::detail {

constexpr std::size_t kScientific3Size = 16;  // "-9.99e38" and room to spare

/// formatScientific(x, 3) of a whole number below 2^128 into buf; returns its length.
std::size_t scientific3(const SmallInt& x, char (&buf)[kScientific3Size]);

/// Appends formatScientific(v, 3) when v is a whole number below 2^128 (fast paths only) and
/// returns true; returns false (nothing appended) otherwise.
bool appendScientific3(std::string& out, const Exact& v);

/// Appends formatScientific(v, 3): appendScientific3, else the general formatter.
void appendNum3(std::string& out, const Exact& v);

}  // namespace flopledger::inline v1::detail
