// Exact decimal parsing and formatting. Parsing decides the value's decimal exponent from digit
// positions before any big integer is built, so exponent bombs cost nothing.
#include <flopledger/diagnostic.hpp>
#include <flopledger/exact.hpp>

#include "base/exact_detail.hpp"
#include "base/number_text.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace flopledger::inline v1 {
namespace {

// Saturation point for exponent digits: far outside any accepted bound, far from int overflow.
constexpr long kExponentSaturation = 1'000'000'000L;

std::string quoted(std::string_view text) {
    constexpr std::size_t kShown = 40;
    std::string out = "\"";
    for (std::size_t i = 0; i < text.size() && i < kShown; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        out += (c < 0x20 || c == 0x7f) ? '?' : static_cast<char>(c);
    }
    if (text.size() > kShown) out += "...";
    out += '"';
    return out;
}

[[noreturn]] void syntaxError(std::string_view text, const char* why) {
    throw InputError(ErrorCode::NumberSyntax, quoted(text) + " is not a number: " + why);
}

BigInt bigPow10(long exponent) {
    // Parsing needs small powers constantly (the hot path of record reading): cache them.
    static const std::vector<BigInt> table = [] {
        std::vector<BigInt> t(128);
        t[0] = 1;
        for (std::size_t i = 1; i < t.size(); ++i) t[i] = t[i - 1] * 10;
        return t;
    }();
    if (exponent >= 0 && static_cast<std::size_t>(exponent) < table.size())
        return table[static_cast<std::size_t>(exponent)];
    return boost::multiprecision::pow(BigInt(10), static_cast<unsigned>(exponent));
}

using detail::U128;

// 10^k for 0 <= k <= 19 in 64 bits.
std::uint64_t pow10u64(long k) {
    static constexpr auto table = [] {
        std::array<std::uint64_t, 20> t{};
        t[0] = 1;
        for (std::size_t j = 1; j < t.size(); ++j) t[j] = t[j - 1] * 10;
        return t;
    }();
    return table[static_cast<std::size_t>(k)];
}

bool isDigit(char c) {
    return c >= '0' && c <= '9';
}

// True when value >= 10^k (value > 0).
bool atLeastPow10(const BigInt& num, const BigInt& den, long k) {
    if (k >= 0) return num >= den * bigPow10(k);
    return num * bigPow10(-k) >= den;
}

long decimalDigits(const BigInt& v) {
    // msb gives a lower bound cheaply; correct by comparison instead of converting to text.
    if (v == 0) return 1;
    const auto bits = static_cast<long>(boost::multiprecision::msb(v)) + 1;
    long d = static_cast<long>(static_cast<double>(bits - 1) * 0.30102999566398120) + 1;
    while (v >= bigPow10(d)) ++d;
    while (d > 1 && v < bigPow10(d - 1)) --d;
    return d;
}

// floor(log10(v)) for v > 0, exactly.
long exponentOf(const BigInt& num, const BigInt& den) {
    long e = decimalDigits(num) - decimalDigits(den);
    if (!atLeastPow10(num, den, e)) --e;
    return e;
}

// |v| rounded half-even to `sig` significant digits: q has exactly `sig` digits and
// |v| ~= q * 10^(e - sig + 1).
std::pair<BigInt, long> roundToSignificant(const BigInt& num, const BigInt& den, int sig) {
    long e = exponentOf(num, den);
    const long shift = sig - 1 - e;
    BigInt n = num;
    BigInt d = den;
    if (shift >= 0)
        n *= bigPow10(shift);
    else
        d *= bigPow10(-shift);
    BigInt q = n / d;
    const BigInt r = n % d;
    const BigInt twice = r * 2;
    if (twice > d || (twice == d && (q & 1) != 0)) ++q;
    if (q == bigPow10(sig)) {
        q /= 10;
        ++e;
    }
    return {q, e};
}

// Writes digits * 10^scale as a plain decimal with no trailing fractional zeros.
std::string plainDecimal(const std::string& digits, long scale) {
    std::string out;
    if (scale >= 0) {
        out = digits + std::string(static_cast<std::size_t>(scale), '0');
    } else {
        const auto fracLen = static_cast<std::size_t>(-scale);
        std::string intPart;
        std::string frac;
        if (digits.size() > fracLen) {
            intPart = digits.substr(0, digits.size() - fracLen);
            frac = digits.substr(digits.size() - fracLen);
        } else {
            intPart = "0";
            frac = std::string(fracLen - digits.size(), '0') + digits;
        }
        while (!frac.empty() && frac.back() == '0') frac.pop_back();
        out = frac.empty() ? intPart : intPart + "." + frac;
    }
    return out;
}

// (value >> shift) as double with the shift returned separately, so huge numbers keep precision.
std::pair<double, long> scaledDouble(const BigInt& v) {
    const long bits = static_cast<long>(boost::multiprecision::msb(v)) + 1;
    const long shift = bits > 64 ? bits - 64 : 0;
    const BigInt top = v >> static_cast<unsigned>(shift);
    return {top.convert_to<double>(), shift};
}

}  // namespace

namespace detail {

// The original digit-string implementation, kept as the reference the fast path is tested
// against (tests/unit/test_perf_parse.cpp).
Exact parseExactReference(std::string_view text, const NumberLimits& limits) {
    if (text.size() > limits.maxLength) {
        throw InputError(ErrorCode::InputTooLarge, "number text of " + std::to_string(text.size()) +
                                                       " characters is longer than the limit of " +
                                                       std::to_string(limits.maxLength));
    }
    if (text.empty()) syntaxError(text, "empty");
    std::size_t i = 0;
    bool negative = false;
    if (text[i] == '+' || text[i] == '-') {
        negative = text[i] == '-';
        ++i;
    }
    // Mantissa: digits [. digits]. All digits (integer and fraction) in one run.
    std::string digits;
    digits.reserve(text.size());
    std::size_t intDigits = 0;
    while (i < text.size() && isDigit(text[i])) {
        digits += text[i++];
        ++intDigits;
    }
    if (intDigits == 0) syntaxError(text, "expected a digit");
    std::size_t fracDigits = 0;
    if (i < text.size() && text[i] == '.') {
        ++i;
        while (i < text.size() && isDigit(text[i])) {
            digits += text[i++];
            ++fracDigits;
        }
        if (fracDigits == 0) syntaxError(text, "expected a digit after '.'");
    }
    long exponent = 0;
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        bool expNegative = false;
        if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
            expNegative = text[i] == '-';
            ++i;
        }
        if (i >= text.size() || !isDigit(text[i])) syntaxError(text, "expected exponent digits");
        while (i < text.size() && isDigit(text[i])) {
            if (exponent < kExponentSaturation) exponent = exponent * 10 + (text[i] - '0');
            ++i;
        }
        if (expNegative) exponent = -exponent;
    } else if (i < text.size()) {
        switch (text[i]) {
            case 'K':
                exponent = 3;
                break;
            case 'M':
                exponent = 6;
                break;
            case 'B':
                exponent = 9;
                break;
            case 'T':
                exponent = 12;
                break;
            case 'P':
                exponent = 15;
                break;
            default:
                break;
        }
        if (exponent != 0) ++i;
    }
    if (i != text.size()) {
        syntaxError(text,
                    "unexpected character (accepted: decimals, scientific notation and "
                    "one suffix K, M, B, T or P)");
    }

    const std::size_t firstNonZero = digits.find_first_not_of('0');
    if (firstNonZero == std::string::npos) return Exact(0);
    const long valueExponent =
        static_cast<long>(intDigits) - 1 - static_cast<long>(firstNonZero) + exponent;
    if (valueExponent < limits.minExponent || valueExponent > limits.maxExponent) {
        throw InputError(ErrorCode::NumberRange,
                         quoted(text) + " has decimal exponent " +
                             (std::abs(valueExponent) >= kExponentSaturation / 10
                                  ? std::string(valueExponent < 0 ? "-" : "") + "huge"
                                  : std::to_string(valueExponent)) +
                             ", outside the accepted range [" + std::to_string(limits.minExponent) +
                             ", " + std::to_string(limits.maxExponent) + "]");
    }
    BigInt mantissa;
    if (digits.size() - firstNonZero <= 19) {
        std::uint64_t m = 0;  // 19 digits always fit: avoids parsing a BigInt from text
        for (std::size_t k = firstNonZero; k < digits.size(); ++k)
            m = m * 10 + static_cast<std::uint64_t>(digits[k] - '0');
        mantissa = m;
    } else {
        mantissa = BigInt(digits.substr(firstNonZero));
    }
    if (negative) mantissa = -mantissa;
    const long scale = exponent - static_cast<long>(fracDigits);
    if (scale >= 0) return Exact(mantissa * bigPow10(scale));
    return Exact(mantissa, bigPow10(-scale));
}

double toDoubleReference(const Exact& value) {
    if (value == 0) return 0.0;
    const BigInt num = boost::multiprecision::abs(boost::multiprecision::numerator(value));
    const BigInt den = boost::multiprecision::denominator(value);
    const auto [n, sn] = scaledDouble(num);
    const auto [d, sd] = scaledDouble(den);
    const long shift = sn - sd;
    const double clamped = static_cast<double>(
        std::max(-100000L, std::min(100000L, shift)));  // ldexp saturates to inf/0 beyond
    const double r = std::ldexp(n / d, static_cast<int>(clamped));
    return value < 0 ? -r : r;
}

}  // namespace detail

namespace {

// A decimal text split into its parts, every syntax and range rule of parseExact checked.
struct Decimal {
    std::string_view text;
    bool negative = false;
    std::size_t intStart = 0, intDigits = 0, fracStart = 0, fracDigits = 0;
    std::size_t firstNonZero = 0, totalDigits = 0;  ///< over integer then fraction digits
    long exponent = 0;                              ///< from 'e' or the suffix

    char digitAt(std::size_t k) const {
        return k < intDigits ? text[intStart + k] : text[fracStart + (k - intDigits)];
    }
    bool zero() const { return firstNonZero == totalDigits; }
    long scale() const { return exponent - static_cast<long>(fracDigits); }
};

// Checks `text` against the number rules. With kThrow, a violation throws parseExact's
// InputError; without, it returns false (for fast paths that leave diagnostics to parseExact).
template <bool kThrow>
bool scanDecimal(std::string_view text, const NumberLimits& limits, Decimal& d) {
    auto syntax = [&](const char* why) {
        if constexpr (kThrow) syntaxError(text, why);
        return false;
    };
    if (text.size() > limits.maxLength) {
        if constexpr (kThrow) {
            throw InputError(ErrorCode::InputTooLarge,
                             "number text of " + std::to_string(text.size()) +
                                 " characters is longer than the limit of " +
                                 std::to_string(limits.maxLength));
        }
        return false;
    }
    if (text.empty()) return syntax("empty");
    d.text = text;
    std::size_t i = 0;
    if (text[i] == '+' || text[i] == '-') {
        d.negative = text[i] == '-';
        ++i;
    }
    // Mantissa: digits [. digits], located in place (no digit string is built).
    d.intStart = i;
    while (i < text.size() && isDigit(text[i])) ++i;
    d.intDigits = i - d.intStart;
    if (d.intDigits == 0) return syntax("expected a digit");
    d.fracStart = i;
    if (i < text.size() && text[i] == '.') {
        d.fracStart = ++i;
        while (i < text.size() && isDigit(text[i])) ++i;
        d.fracDigits = i - d.fracStart;
        if (d.fracDigits == 0) return syntax("expected a digit after '.'");
    }
    long exponent = 0;
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        bool expNegative = false;
        if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
            expNegative = text[i] == '-';
            ++i;
        }
        if (i >= text.size() || !isDigit(text[i])) return syntax("expected exponent digits");
        while (i < text.size() && isDigit(text[i])) {
            if (exponent < kExponentSaturation) exponent = exponent * 10 + (text[i] - '0');
            ++i;
        }
        if (expNegative) exponent = -exponent;
    } else if (i < text.size()) {
        switch (text[i]) {
            case 'K':
                exponent = 3;
                break;
            case 'M':
                exponent = 6;
                break;
            case 'B':
                exponent = 9;
                break;
            case 'T':
                exponent = 12;
                break;
            case 'P':
                exponent = 15;
                break;
            default:
                break;
        }
        if (exponent != 0) ++i;
    }
    if (i != text.size()) {
        return syntax(
            "unexpected character (accepted: decimals, scientific notation and "
            "one suffix K, M, B, T or P)");
    }
    d.exponent = exponent;

    // Leading zeros of the digit run (integer digits, then fraction digits).
    d.totalDigits = d.intDigits + d.fracDigits;
    while (d.firstNonZero < d.totalDigits && d.digitAt(d.firstNonZero) == '0') ++d.firstNonZero;
    if (d.zero()) return true;
    const long valueExponent =
        static_cast<long>(d.intDigits) - 1 - static_cast<long>(d.firstNonZero) + exponent;
    if (valueExponent < limits.minExponent || valueExponent > limits.maxExponent) {
        if constexpr (kThrow) {
            throw InputError(ErrorCode::NumberRange,
                             quoted(text) + " has decimal exponent " +
                                 (std::abs(valueExponent) >= kExponentSaturation / 10
                                      ? std::string(valueExponent < 0 ? "-" : "") + "huge"
                                      : std::to_string(valueExponent)) +
                                 ", outside the accepted range [" +
                                 std::to_string(limits.minExponent) + ", " +
                                 std::to_string(limits.maxExponent) + "]");
        }
        return false;
    }
    return true;
}

// 10^k for 0 <= k <= 38 in 128 bits.
U128 pow10u128(long k) {
    static constexpr auto table = [] {
        std::array<U128, 39> t{};
        t[0] = 1;
        for (std::size_t j = 1; j < t.size(); ++j) t[j] = t[j - 1] * 10;
        return t;
    }();
    return table[static_cast<std::size_t>(k)];
}

// 5^k for 0 <= k <= 55 in 128 bits.
U128 pow5u128(long k) {
    static constexpr auto table = [] {
        std::array<U128, 56> t{};
        t[0] = 1;
        for (std::size_t j = 1; j < t.size(); ++j) t[j] = t[j - 1] * 5;
        return t;
    }();
    return table[static_cast<std::size_t>(k)];
}

// The mantissa's significant digits (at most 19) as 64 bits.
std::uint64_t mantissa64(const Decimal& d) {
    std::uint64_t m = 0;
    for (std::size_t k = d.firstNonZero; k < d.totalDigits; ++k)
        m = m * 10 + static_cast<std::uint64_t>(d.digitAt(k) - '0');
    return m;
}

// m / 10^k with m not divisible by 10: the common factor is a power of 2 or of 5 alone; divides
// it out of m and counts the twos and fives taken (parseExact's and parseDecimalU128's step).
inline void cancelTwosFives(std::uint64_t& m, long k, long& twos, long& fives) {
    while (twos < k && (m & 1) == 0) {
        m >>= 1;
        ++twos;
    }
    while (fives < k && m % 5 == 0) {
        m /= 5;
        ++fives;
    }
}

// A decimal >= 0 of at most 19 significant digits as m x 10^scale, the mantissa's trailing
// zeros moved into the scale (the shared scan of parseWholeDecimal and parseDecimalU128).
enum class SmallDecimal { No, Zero, Value };
SmallDecimal scanSmallDecimal(std::string_view text, const NumberLimits& limits, std::uint64_t& m,
                              long& scale) {
    Decimal d;
    if (!scanDecimal<false>(text, limits, d)) return SmallDecimal::No;
    if (d.zero()) return SmallDecimal::Zero;
    if (d.negative || d.totalDigits - d.firstNonZero > 19) return SmallDecimal::No;
    m = mantissa64(d);
    scale = d.scale();
    while (scale < 0 && m % 10 == 0) {
        m /= 10;
        ++scale;
    }
    return SmallDecimal::Value;
}

// scanSmallDecimal for the usual text, digits [. digits] [e|E [+|-] digits] with no sign or
// suffix, in one pass: the same result, or kOther for any other text (then the general scan
// decides). A fast path: only called with the fast paths on.
constexpr int kOther = -1;
int scanPlainDecimal(std::string_view text, const NumberLimits& limits, std::uint64_t& m,
                     long& scale) {
    if (text.size() > limits.maxLength) return static_cast<int>(SmallDecimal::No);
    std::size_t i = 0, intDigits = 0, fracDigits = 0, leading = 0;
    int significant = 0;
    std::uint64_t v = 0;
    const auto digit = [&](char c) {
        if (significant == 0 && c == '0') {
            ++leading;
            return;
        }
        if (++significant <= 19) v = v * 10 + static_cast<std::uint64_t>(c - '0');
    };
    for (; i < text.size() && isDigit(text[i]); ++i, ++intDigits) digit(text[i]);
    if (intDigits == 0) return kOther;
    if (i < text.size() && text[i] == '.') {
        for (++i; i < text.size() && isDigit(text[i]); ++i, ++fracDigits) digit(text[i]);
        if (fracDigits == 0) return kOther;
    }
    long exponent = 0;
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        bool negative = false;
        if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
        std::size_t expDigits = 0;
        // Digits past the ninth are counted, not accumulated: a long exponent must not overflow
        // (UBSan, fuzz target record_line); such text is the general scan's to reject.
        for (; i < text.size() && isDigit(text[i]); ++i, ++expDigits)
            if (expDigits < 9) exponent = exponent * 10 + (text[i] - '0');
        if (expDigits == 0 || expDigits > 9) return kOther;
        if (negative) exponent = -exponent;
    }
    if (i != text.size()) return kOther;
    if (significant == 0) return static_cast<int>(SmallDecimal::Zero);
    const long valueExponent =
        static_cast<long>(intDigits) - 1 - static_cast<long>(leading) + exponent;
    if (valueExponent < limits.minExponent || valueExponent > limits.maxExponent ||
        significant > 19)
        return static_cast<int>(SmallDecimal::No);
    m = v;
    scale = exponent - static_cast<long>(fracDigits);
    while (scale < 0 && m % 10 == 0) {
        m /= 10;
        ++scale;
    }
    return static_cast<int>(SmallDecimal::Value);
}

}  // namespace

namespace detail {

bool parseWholeDecimal(std::string_view text, const NumberLimits& limits, U128& out) {
    if constexpr (!kFastPaths) return false;  // callers take parseExact
    // Plain digits (JSON integers, the most common input) without the general scan.
    // Up to 39 digits (exact FLOP counts such as 16905694999381874311168): the first 19 in
    // 64 bits, the rest in 128 with an overflow test (above 2^128: false, as before).
    if (!text.empty() && text.size() <= 39 && text.size() <= limits.maxLength) {
        std::uint64_t head = 0;
        std::size_t i = 0;
        const std::size_t headEnd = std::min<std::size_t>(text.size(), 19);
        for (; i < headEnd && isDigit(text[i]); ++i)
            head = head * 10 + static_cast<std::uint64_t>(text[i] - '0');
        U128 v = head;
        if (i == headEnd) {
            for (; i < text.size() && isDigit(text[i]); ++i) {
                if (__builtin_mul_overflow(v, U128{10}, &v) ||
                    __builtin_add_overflow(v, static_cast<U128>(text[i] - '0'), &v))
                    return false;
            }
        }
        if (i == text.size()) {
            if (v != 0) {
                std::size_t zeros = 0;
                while (text[zeros] == '0') ++zeros;
                const long exponent = static_cast<long>(text.size() - zeros) - 1;
                if (exponent < limits.minExponent || exponent > limits.maxExponent) return false;
            }
            out = v;
            return true;
        }
    }
    std::uint64_t m = 0;
    long scale = 0;
    const SmallDecimal kind = scanSmallDecimal(text, limits, m, scale);
    if (kind == SmallDecimal::Zero) {
        out = 0;
        return true;
    }
    if (kind == SmallDecimal::No || scale < 0 || scale > 38) return false;
    return !__builtin_mul_overflow(static_cast<U128>(m), pow10u128(scale), &out);
}

bool parseDecimalU128(std::string_view text, const NumberLimits& limits, U128& num, U128& den) {
    if constexpr (!kFastPaths) return false;  // callers take parseExact
    den = 1;
    // Plain digits: parseWholeDecimal's loop.
    if (std::all_of(text.begin(), text.end(), isDigit)) return parseWholeDecimal(text, limits, num);
    // One scan, then parseExact's branches with the result kept in 128 bits.
    std::uint64_t m = 0;
    long scale = 0;
    const int plain = scanPlainDecimal(text, limits, m, scale);
    const SmallDecimal kind = plain != kOther ? static_cast<SmallDecimal>(plain)
                                              : scanSmallDecimal(text, limits, m, scale);
    if (kind == SmallDecimal::Zero) {
        num = 0;
        return true;
    }
    if (kind == SmallDecimal::No) return false;
    if (scale >= 0)
        return scale <= 38 && !__builtin_mul_overflow(static_cast<U128>(m), pow10u128(scale), &num);
    if (-scale > 38) return false;
    const long k = -scale;
    long twos = 0, fives = 0;
    cancelTwosFives(m, k, twos, fives);
    num = m;
    den = pow5u128(k - fives) << static_cast<unsigned>(k - twos);  // <= 10^38: fits
    return true;
}

}  // namespace detail

Exact parseExact(std::string_view text, const NumberLimits& limits) {
    if constexpr (!detail::kFastPaths) return detail::parseExactReference(text, limits);
    Decimal d;
    scanDecimal<true>(text, limits, d);
    if (d.zero()) return Exact(0);
    long scale = d.scale();
    if (d.totalDigits - d.firstNonZero > 19) {
        // Long mantissas (rare): through a digit string and the general constructors.
        std::string digits;
        digits.reserve(d.totalDigits - d.firstNonZero);
        for (std::size_t k = d.firstNonZero; k < d.totalDigits; ++k) digits += d.digitAt(k);
        BigInt mantissa(digits);
        if (d.negative) mantissa = -mantissa;
        if (scale >= 0) return Exact(mantissa * bigPow10(scale));
        return Exact(mantissa, bigPow10(-scale));
    }
    std::uint64_t m = mantissa64(d);  // at most 19 digits: always fits
    // Trailing decimal zeros cancel against the denominator without a gcd.
    while (scale < 0 && m % 10 == 0) {
        m /= 10;
        ++scale;
    }
    if (scale >= 0) {
        // m < 10^19 and 10^scale <= 10^19 multiply within 128 bits.
        BigInt whole;
        if (scale <= 19)
            whole = static_cast<U128>(m) * pow10u64(scale);
        else
            whole = BigInt(m) * bigPow10(scale);
        if (d.negative) detail::negate(whole);
        return Exact(std::move(whole));
    }
    // m / 10^k with m not divisible by 10: the common factor is a power of 2 or of 5 alone.
    // Cancel it here and store the fraction as it is (already in lowest terms).
    const long k = -scale;
    long twos = 0, fives = 0;
    cancelTwosFives(m, k, twos, fives);
    BigInt den;
    if (k - fives <= 55)  // 5^55 < 2^128
        den = pow5u128(k - fives);
    else
        den = boost::multiprecision::pow(BigInt(5), static_cast<unsigned>(k - fives));
    den <<= static_cast<unsigned>(k - twos);
    BigInt num(m);
    if (d.negative) detail::negate(num);
    Exact out;
    detail::setNormalised(out, num, den);
    return out;
}

std::string formatExact(const Exact& value, int significantDigits) {
    if (value == 0) return "0";
    const BigInt num = boost::multiprecision::abs(boost::multiprecision::numerator(value));
    const BigInt den = boost::multiprecision::denominator(value);
    const std::string sign = value < 0 ? "-" : "";
    // Terminating iff the denominator has no prime factors besides 2 and 5.
    BigInt rest = den;
    long twos = 0;
    long fives = 0;
    while ((rest & 1) == 0) {
        rest >>= 1;
        ++twos;
    }
    while (rest % 5 == 0) {
        rest /= 5;
        ++fives;
    }
    if (rest == 1) {
        const long k = std::max(twos, fives);
        const BigInt scaled = num * bigPow10(k) / den;
        return sign + plainDecimal(scaled.str(), -k);
    }
    const int sig = significantDigits < 1 ? 1 : significantDigits;
    auto [q, e] = roundToSignificant(num, den, sig);
    return sign + plainDecimal(q.str(), e - sig + 1);
}

std::string formatScientific(const Exact& value, int digits) {
    // Numerator and denominator within 128 bits (nearly every value): fixed-width arithmetic
    // (base/number_text.hpp), the same text as the general path below.
    std::string fast;
    if (detail::formatScientificSmall(value, digits, fast) ||
        detail::formatScientificRounded(value, digits, fast))
        return fast;
    return detail::formatScientificReference(value, digits);
}

namespace detail {

std::string formatScientificReference(const Exact& value, int digits) {
    if (value == 0) return "0";
    const int sig = digits < 1 ? 1 : digits;
    const BigInt num = boost::multiprecision::abs(boost::multiprecision::numerator(value));
    const BigInt den = boost::multiprecision::denominator(value);
    const std::string sign = value < 0 ? "-" : "";
    auto [q, e] = roundToSignificant(num, den, sig);
    if (e > -4 && e < 4) return sign + plainDecimal(q.str(), e - sig + 1);
    std::string m = q.str();
    while (m.size() > 1 && m.back() == '0') m.pop_back();
    std::string mantissa = m.substr(0, 1);
    if (m.size() > 1) mantissa += "." + m.substr(1);
    return sign + mantissa + "e" + std::to_string(e);
}

}  // namespace detail

double toDouble(const Exact& value) {
    // Numerator and denominator within one limb each (almost every value): the general path
    // below gives exactly n / d then, without copies, shifts or rational comparisons.
    std::uint64_t num = 0, den = 0;
    bool negative = false;
    if (detail::singleLimbParts(value, num, den, negative)) {
        const double r = static_cast<double>(num) / static_cast<double>(den);
        return negative ? -r : r;
    }
    return detail::toDoubleReference(value);
}

double log10Exact(const Exact& value) {
    if (value == 0) return -std::numeric_limits<double>::infinity();
    if (value < 0) return std::numeric_limits<double>::quiet_NaN();
    const auto [n, sn] = scaledDouble(boost::multiprecision::numerator(value));
    const auto [d, sd] = scaledDouble(boost::multiprecision::denominator(value));
    return std::log10(n / d) + static_cast<double>(sn - sd) * 0.30102999566398119521;
}

Exact pow10(int exponent) {
    if (exponent >= 0) return Exact(bigPow10(exponent));
    return Exact(BigInt(1), bigPow10(-static_cast<long>(exponent)));
}

}  // namespace flopledger::inline v1
