#pragma once
// Private: formatExact's text of the exact numbers the reports print most (whole numbers below
// 2^128 and short terminating fractions), written from the limbs without big-integer
// arithmetic. Shared by the JSON writer and the CSV rows; everything else falls back to
// formatExact, so the text is always formatExact's.
#include <flopledger/exact.hpp>

#include <cstddef>
#include <string>

namespace flopledger::detail {

__extension__ typedef unsigned __int128 Uint128;

/// An integer whose magnitude fits in 128 bits.
struct SmallInt {
    Uint128 magnitude = 0;
    bool negative = false;
    bool operator==(const SmallInt& o) const {
        return magnitude == o.magnitude && negative == o.negative;
    }
};

/// v as a SmallInt when it is a whole number of at most 128 bits; false otherwise (inline: it
/// is the hot path's identity test).
inline bool smallInt(const Exact& v, SmallInt& out) {
    const auto& num = v.backend().data().numerator().backend();
    const auto& den = v.backend().data().denominator().backend();
    static_assert(sizeof(*num.limbs()) == 8, "64-bit limbs expected");
    if (den.size() != 1 || den.limbs()[0] != 1 || num.size() > 2) {
        return false;
    }
    out.magnitude = num.limbs()[0];
    if (num.size() == 2) {
        out.magnitude |= static_cast<Uint128>(num.limbs()[1]) << 64;
    }
    out.negative = num.sign() && out.magnitude != 0;
    return true;
}

/// Decimal digits of x, right-aligned ending at end; returns the first digit.
char* writeDigits(Uint128 x, char* end);
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
/// formatExact(v): formatRounded when it applies, formatExact otherwise.
std::string formatExactText(const Exact& v);
/// Appends formatExact(v) to out (fast paths first).
void appendExact(std::string& out, const Exact& v);

}  // namespace flopledger::detail
