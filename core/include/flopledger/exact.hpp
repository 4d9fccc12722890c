#pragma once
// Exact rational numbers: every threshold decision in FLOP Ledger is made with these.
#include <boost/multiprecision/cpp_int.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace flopledger {
inline namespace v1 {

/// An exact rational number (Boost.Multiprecision). Inputs are read into it from their decimal
/// text, so "1e25" is exactly 10^25, never the nearest double.
using Exact = boost::multiprecision::cpp_rational;
/// An arbitrary-precision integer.
using BigInt = boost::multiprecision::cpp_int;

/// Bounds that keep number parsing cheap and safe (docs/data-format.md, numbers).
struct NumberLimits {
    int minExponent = -30;        ///< smallest accepted decimal exponent of the value
    int maxExponent = 60;         ///< largest accepted decimal exponent of the value
    std::size_t maxLength = 200;  ///< longest accepted number text, in characters
};

/// Parses a decimal number exactly: plain ("0.38"), scientific ("3.8e25", "1E+25") or with one
/// suffix K, M, B, T, P ("405B", "15.6T"). Leading '+' is allowed; '-' is accepted (the caller
/// decides whether negatives are valid). Throws InputError (diagnostic.hpp) with code
/// NumberSyntax or NumberRange, whose message says what is wrong; the location is left empty.
Exact parseExact(std::string_view text, const NumberLimits& limits = {});

/// The exact decimal expansion when it terminates ("10000000000000000000000000", "0.375",
/// "-2.5"), else the value rounded half-even to `significantDigits` significant digits and
/// written as a plain decimal. Used for FLOP values in JSON output.
std::string formatExact(const Exact& value, int significantDigits = 40);

/// Rounded half-even to `digits` significant digits (>= 1) in scientific notation, e.g.
/// formatScientific(3.14159e23, 3) == "3.14e23"; values with |exponent| < 4 are written plainly
/// ("0.38", "1200"). Zero is "0". Used for text and Markdown output.
std::string formatScientific(const Exact& value, int digits = 3);

/// Nearest double (for plotting and Monte Carlo only; never for decisions).
double toDouble(const Exact& value);

/// log10 of a positive value, accurate to double precision even for huge numerators.
double log10Exact(const Exact& value);

/// 10^exponent exactly.
Exact pow10(int exponent);

}  // inline namespace v1
}  // namespace flopledger
