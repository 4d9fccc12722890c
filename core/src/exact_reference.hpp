#pragma once
// Private: the general implementations behind exact.cpp's fast paths, kept so that unit tests
// can check the fast paths against them on edge cases (same values, same diagnostics).
#include <flopledger/exact.hpp>

#include <string_view>

namespace flopledger::detail {

/// parseExact through a digit string and the general BigInt/rational constructors.
Exact parseExactReference(std::string_view text, const NumberLimits& limits = {});

/// toDouble through 64-bit scaled numerator and denominator (any size).
double toDoubleReference(const Exact& value);

}  // namespace flopledger::detail
