#pragma once
// Private: exact.cpp's fast path for whole numbers, and the general implementations behind its
// fast paths, kept so that unit tests can check the fast paths against them on edge cases (same
// values, same diagnostics).
#include <flopledger/exact.hpp>

#include <cstdint>
#include <string_view>

namespace flopledger::detail {

__extension__ typedef unsigned __int128 Uint128;

/// True, with the value in `out`, when parseExact(text, limits) would return a whole number
/// >= 0 below 2^128 ("50257", "2.061e+10", "1.6B", "8.001e+23", "0"); false for anything else
/// (fractions, negative numbers, larger values, mantissas of more than 19 significant digits,
/// and every text parseExact rejects), without building a diagnostic.
bool parseWholeDecimal(std::string_view text, const NumberLimits& limits, Uint128& out);

/// Sets x to num / den without boost::rational's normalisation (a gcd and two divisions, about
/// 1,500 instructions for small values). The caller guarantees den > 0 and gcd(num, den) == 1,
/// the invariant normalisation would establish. numerator() and denominator() are references to
/// the (non-const) members, so writing through them is well defined.
inline void setNormalised(Exact& x, const BigInt& num, const BigInt& den) {
    auto& r = x.backend().data();
    const_cast<BigInt&>(r.numerator()) = num;
    const_cast<BigInt&>(r.denominator()) = den;
}

/// Sets x to the whole number v, built from 128 bits (no copy of another big integer).
inline void setWhole(Exact& x, Uint128 v) {
    auto& r = x.backend().data();
    auto& num = const_cast<BigInt&>(r.numerator());
    if (v >> 64)
        num = v;
    else
        num = static_cast<std::uint64_t>(v);  // one limb
    if (r.denominator() != 1) const_cast<BigInt&>(r.denominator()) = 1u;
}

/// parseExact through a digit string and the general BigInt/rational constructors.
Exact parseExactReference(std::string_view text, const NumberLimits& limits = {});

/// toDouble through 64-bit scaled numerator and denominator (any size).
double toDoubleReference(const Exact& value);

}  // namespace flopledger::detail
