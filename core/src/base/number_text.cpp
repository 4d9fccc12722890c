// formatExact's text from the limbs for whole numbers below 2^128 and short terminating
// fractions (number_text.hpp).
#include "base/number_text.hpp"

#include <boost/multiprecision/cpp_int.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

namespace flopledger::inline v1::detail {

namespace {

// "00" to "99": two decimal digits per table lookup.
constexpr char kPairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

constexpr std::uint64_t kTen19 = 10000000000000000000ULL;

// x / 10^19 and x % 10^19. On x86-64 one divq when the quotient fits in 64 bits (x below
// 10^19 * 2^64, about 1.8e38), instead of the library's 128-bit division.
std::uint64_t divTen19(U128& x) {
#if defined(__x86_64__)
    const auto hi = static_cast<std::uint64_t>(x >> 64);
    if (hi < kTen19) {
        std::uint64_t quotient = 0;
        std::uint64_t remainder = 0;
        const auto lo = static_cast<std::uint64_t>(x);
        __asm__("divq %4" : "=a"(quotient), "=d"(remainder) : "a"(lo), "d"(hi), "r"(kTen19));
        x = quotient;
        return remainder;
    }
#endif
    const auto remainder = static_cast<std::uint64_t>(x % kTen19);
    x /= kTen19;
    return remainder;
}

}  // namespace

namespace {

// The 8 digits of c < 10^8 (leading zeros kept) ending at end: 32-bit arithmetic, two digits
// per table lookup.
[[gnu::always_inline]] inline char* write8(std::uint32_t c, char* end) {
    const std::uint32_t a = c / 10000, b = c % 10000;
    char* p = end - 8;
    std::memcpy(p, kPairs + 2 * (a / 100), 2);
    std::memcpy(p + 2, kPairs + 2 * (a % 100), 2);
    std::memcpy(p + 4, kPairs + 2 * (b / 100), 2);
    std::memcpy(p + 6, kPairs + 2 * (b % 100), 2);
    return p;
}

// The digits of v ending at end, without leading zeros ("0" for 0).
char* writeU64(std::uint64_t v, char* end) {
    char* p = end;
    while (v >= 100000000) {
        p = write8(static_cast<std::uint32_t>(v % 100000000), p);
        v /= 100000000;
    }
    auto w = static_cast<std::uint32_t>(v);
    while (w >= 100) {
        p -= 2;
        std::memcpy(p, kPairs + 2 * (w % 100), 2);
        w /= 100;
    }
    if (w >= 10) {
        p -= 2;
        std::memcpy(p, kPairs + 2 * w, 2);
    } else {
        *--p = static_cast<char>('0' + w);
    }
    return p;
}

}  // namespace

char* writeDigits(U128 x, char* end) {
    char* p = end;
    // While x needs more than 64 bits (x >= 2^64 > 10^19): its last 19 digits, zero-padded.
    // Twice at most (2^128 / 10^19 is above 2^64, 2^128 / 10^38 is 3).
    while ((x >> 64) != 0) {
        std::uint64_t low = divTen19(x);
        p = write8(static_cast<std::uint32_t>(low % 100000000), p);
        low /= 100000000;
        p = write8(static_cast<std::uint32_t>(low % 100000000), p);
        const auto top = static_cast<std::uint32_t>(low / 100000000);  // < 1000
        p -= 3;
        p[0] = static_cast<char>('0' + top / 100);
        std::memcpy(p + 1, kPairs + 2 * (top % 100), 2);
    }
    return writeU64(static_cast<std::uint64_t>(x), p);
}

// formatExact's text of a whole number that fits in 128 bits (sign and digits).
std::size_t formatSmall(const SmallInt& v, char (&buf)[48]) {
    // Written right-aligned in a buffer with room after the digits, then moved to buf's start
    // by one fixed-size copy (at most 39 digits and a sign).
    char tmp[48 + 40];
    char* const end = tmp + 48;
    char* p = writeDigits(v.magnitude, end);
    if (v.negative) {
        *--p = '-';
    }
    std::memcpy(buf, p, 40);
    return static_cast<std::size_t>(end - p);
}

// formatExact's text of a fraction num/den with den = 2^a 5^b (a terminating decimal), when
// num * 10^max(a, b) / den fits in 128 bits: the same digits as formatExact's big-integer path.
// False (nothing written) otherwise.
bool formatDecimal(const Exact& v, char (&buf)[48], std::size_t& len) {
    U128 scaled = 0, den = 0;
    bool negative = false;
    if (!exactPartsU128(v, scaled, den, negative) || (den >> 64) != 0) {
        return false;
    }
    auto rest = static_cast<std::uint64_t>(den);
    const int twos = __builtin_ctzll(rest);
    rest >>= twos;
    int fives = 0;
    while (rest % 5 == 0) {
        rest /= 5;
        ++fives;
    }
    const int k = std::max(twos, fives);
    if (rest != 1 || k > 38) {
        return false;  // not terminating (formatExact rounds), or too many digits
    }
    // scaled = num * 10^k / den = num * 2^(k - twos) * 5^(k - fives), checked for overflow.
    for (int i = 0; i < k - twos; ++i) {
        if (__builtin_mul_overflow(scaled, U128{2}, &scaled)) {
            return false;
        }
    }
    for (int i = 0; i < k - fives; ++i) {
        if (__builtin_mul_overflow(scaled, U128{5}, &scaled)) {
            return false;
        }
    }
    char digits[48];
    char* const end = digits + sizeof digits;
    char* first = writeDigits(scaled, end);
    const auto n = static_cast<std::size_t>(end - first);
    const auto frac = static_cast<std::size_t>(k);
    std::size_t out = 0;
    if (negative) {
        buf[out++] = '-';
    }
    // Integer part, then the k fraction digits (zero-padded on the left) without trailing zeros.
    if (n > frac) {
        std::memcpy(buf + out, first, n - frac);
        out += n - frac;
        first += n - frac;
    } else {
        buf[out++] = '0';
    }
    std::size_t fracDigits = std::min(n, frac);
    const std::size_t zeros = frac - fracDigits;
    while (fracDigits > 0 && first[fracDigits - 1] == '0') {
        --fracDigits;
    }
    if (fracDigits > 0) {
        buf[out++] = '.';
        std::memset(buf + out, '0', zeros);
        out += zeros;
        std::memcpy(buf + out, first, fracDigits);
        out += fracDigits;
    }
    len = out;
    return true;
}

namespace {

// Fixed-width integers: no heap, enough for numerator * 10^78 with a 128-bit numerator.
using U512 = boost::multiprecision::number<boost::multiprecision::cpp_int_backend<
    512, 512, boost::multiprecision::unsigned_magnitude, boost::multiprecision::unchecked, void>>;

const U512& pow10(int k) {
    static const std::array<U512, 100> table = [] {
        std::array<U512, 100> t{};
        t[0] = 1;
        for (std::size_t i = 1; i < t.size(); ++i) {
            t[i] = t[i - 1] * 10;
        }
        return t;
    }();
    return table[static_cast<std::size_t>(k)];
}

U512 toU512(const BigInt& v) {
    U128 magnitude = 0;
    magnitudeU128(v, magnitude);  // the caller checked that it fits
    return (U512(static_cast<std::uint64_t>(magnitude >> 64)) << 64) |
           U512(static_cast<std::uint64_t>(magnitude));
}

// Number of decimal digits of v > 0 (at most 99).
int digitCount(const U512& v) {
    int d =
        static_cast<int>(static_cast<double>(boost::multiprecision::msb(v)) * 0.30102999566398120) +
        1;
    while (d < 99 && v >= pow10(d)) {
        ++d;
    }
    while (d > 1 && v < pow10(d - 1)) {
        --d;
    }
    return d;
}

// formatExact's plainDecimal: digits * 10^scale as a plain decimal, no trailing fraction zeros.
void appendPlainDecimal(std::string& out, const std::string& digits, long scale) {
    if (scale >= 0) {
        out += digits;
        out.append(static_cast<std::size_t>(scale), '0');
        return;
    }
    const auto fracLen = static_cast<std::size_t>(-scale);
    std::string frac;
    if (digits.size() > fracLen) {
        out.append(digits, 0, digits.size() - fracLen);
        frac = digits.substr(digits.size() - fracLen);
    } else {
        out += '0';
        frac.assign(fracLen - digits.size(), '0');
        frac += digits;
    }
    while (!frac.empty() && frac.back() == '0') {
        frac.pop_back();
    }
    if (!frac.empty()) {
        out += '.';
        out += frac;
    }
}

// n / d and n % d for d < 2^64 (n < 2^128): on x86-64 two divq, the second one's high word
// below d so that its quotient fits in 64 bits.
U128 divideBy64(U128 n, std::uint64_t d, std::uint64_t& remainder) {
#if defined(__x86_64__)
    const auto hi = static_cast<std::uint64_t>(n >> 64);
    const auto lo = static_cast<std::uint64_t>(n);
    const std::uint64_t qhi = hi / d;
    std::uint64_t qlo = 0;
    __asm__("divq %4" : "=a"(qlo), "=d"(remainder) : "a"(lo), "d"(hi % d), "r"(d));
    return (static_cast<U128>(qhi) << 64) | qlo;
#else
    remainder = static_cast<std::uint64_t>(n % d);
    return n / d;
#endif
}

// roundToSignificantU128 (below) for a denominator below 2^64, by long division: the integer
// part's digits, then the fraction's 19 at a time (r < d, so r * 10^19 / d fits in 64 bits),
// until one digit past the `sig` significant ones; half-even on that digit, the ones after it
// and the remainder (exact: nothing is dropped). Same digits and exponent as the U512 path.
// `all` holds the work; returns the `sig` digits' first (inside `all`), nullptr for n or d 0.
struct LongDivision {
    // At most 39 integer digits; n / d >= 2^-64 has at most 19 leading fraction zeros; sig + 1
    // <= 41 significant digits: at most 4 chunks of 19 after the integer part.
    char all[39 + 5 * 19];
};

const char* roundToSignificant64(U128 n, std::uint64_t d, long sig, long& e, LongDivision& w) {
    if (n == 0 || d == 0 || sig < 1 || sig > 40) {
        return nullptr;
    }
    char* const all = w.all;
    std::size_t length = 0;
    std::uint64_t r = 0;
    const U128 whole = divideBy64(n, d, r);
    long lead = 0;  // index of the first significant digit in `all`
    if (whole != 0) {
        char tmp[48];
        char* const end = tmp + sizeof tmp;
        const char* first = writeDigits(whole, end);
        length = static_cast<std::size_t>(end - first);
        std::memcpy(all, first, length);
        e = static_cast<long>(length) - 1;
    } else {
        lead = -1;  // not found yet
    }
    while (lead < 0 || static_cast<long>(length) - lead < sig + 1) {
        // The next 19 fraction digits: r * 10^19 / d < 10^19, and the new remainder.
        std::uint64_t chunk =
            static_cast<std::uint64_t>(divideBy64(static_cast<U128>(r) * kTen19, d, r));
        char* p = all + length + 19;
        for (int i = 0; i < 9; ++i) {
            p -= 2;
            std::memcpy(p, kPairs + 2 * (chunk % 100), 2);
            chunk /= 100;
        }
        *--p = static_cast<char>('0' + chunk);
        if (lead < 0) {
            for (std::size_t i = length; i < length + 19; ++i) {
                if (all[i] != '0') {
                    lead = static_cast<long>(i);
                    e = -(lead + 1);
                    break;
                }
            }
        }
        length += 19;
    }
    // Half-even on what follows the kept digits: the next digit, then anything non-zero.
    const auto cut = static_cast<std::size_t>(lead + sig);
    const char next = all[cut];
    bool beyond = r != 0;
    for (std::size_t i = cut + 1; i < length && !beyond; ++i) {
        beyond = all[i] != '0';
    }
    char* const kept = all + lead;
    const bool up = next > '5' || (next == '5' && (beyond || ((kept[sig - 1] - '0') & 1) != 0));
    if (up) {
        long i = sig - 1;
        while (i >= 0 && kept[i] == '9') {
            kept[i--] = '0';
        }
        if (i >= 0) {
            ++kept[i];
        } else {  // 99..9 rounded up: 10..0 with the exponent one higher
            kept[0] = '1';
            ++e;
        }
    }
    return kept;
}

// appendPlainDecimal's bytes into buf (at least 2 + n + |scale| bytes); returns their count.
std::size_t plainDecimalInto(char* buf, const char* digits, std::size_t n, long scale) {
    if (scale >= 0) {
        std::memcpy(buf, digits, n);
        std::memset(buf + n, '0', static_cast<std::size_t>(scale));
        return n + static_cast<std::size_t>(scale);
    }
    const auto fracLen = static_cast<std::size_t>(-scale);
    std::size_t out = 0;
    const char* frac = digits;
    std::size_t zeros = 0;  // fraction zeros before the digits
    std::size_t fracDigits = 0;
    if (n > fracLen) {
        std::memcpy(buf, digits, n - fracLen);
        out = n - fracLen;
        frac = digits + out;
        fracDigits = fracLen;
    } else {
        buf[out++] = '0';
        zeros = fracLen - n;
        fracDigits = n;
    }
    while (fracDigits > 0 && frac[fracDigits - 1] == '0') {
        --fracDigits;
    }
    if (fracDigits > 0) {  // (zeros before the digits only matter when a digit follows)
        buf[out++] = '.';
        std::memset(buf + out, '0', zeros);
        out += zeros;
        std::memcpy(buf + out, frac, fracDigits);
        out += fracDigits;
    }
    return out;
}

// |num / den| rounded half-even to `sig` significant digits (1..40) as exact.cpp's
// roundToSignificant: the digits of q and the exponent e, |num / den| ~= q * 10^(e - sig + 1).
// Both parts below 2^128, num != 0, den > 0; fixed-width arithmetic, no heap.
bool roundToSignificantU128(const BigInt& num, const BigInt& den, long sig, long& e,
                            std::string& digitsOut) {
    U128 num128 = 0, den128 = 0;
    if (magnitudeU128(num, num128) && magnitudeU128(den, den128) && (den128 >> 64) == 0) {
        LongDivision w;
        const char* digits =
            roundToSignificant64(num128, static_cast<std::uint64_t>(den128), sig, e, w);
        if (digits != nullptr) {
            digitsOut.assign(digits, static_cast<std::size_t>(sig));
            return true;
        }
    }
    const U512 n = toU512(num);
    const U512 d = toU512(den);
    // e = floor(log10(n / d)), as formatExact's exponentOf: digit counts, then one correction.
    e = digitCount(n) - digitCount(d);
    const bool atLeast =
        e >= 0 ? n >= d * pow10(static_cast<int>(e)) : n * pow10(static_cast<int>(-e)) >= d;
    if (!atLeast) {
        --e;
    }
    const long shift = sig - 1 - e;
    if (shift < -90 || shift > 90) {
        return false;  // (cannot happen with 128-bit operands; keeps the table in range)
    }
    // q = n * 10^shift / d rounded half-even to `sig` digits; every operand is below
    // 2^128 * 10^90 < 2^427.
    const U512 scaled = shift >= 0 ? U512(n * pow10(static_cast<int>(shift))) : n;
    const U512 divisor = shift >= 0 ? d : U512(d * pow10(static_cast<int>(-shift)));
    U512 q = scaled / divisor;
    const U512 r = scaled - q * divisor;
    const U512 twice = r * 2;
    if (twice > divisor || (twice == divisor && (q & 1) != 0)) {
        ++q;
    }
    if (q == pow10(static_cast<int>(sig))) {
        q /= 10;
        ++e;
    }
    // q < 10^40 < 2^133: the top digits and the last 38 as a 128-bit number.
    const U512 top = q / pow10(38);
    const U512 low = q - top * pow10(38);
    U128 low128 = 0;
    magnitudeU128(low, low128);  // low < 10^38 < 2^128
    char buf[64];
    char* const end = buf + sizeof buf;
    char* first = writeDigits(low128, end);
    if (top != 0) {
        while (end - first < 38) {
            *--first = '0';
        }
        U128 top128 = 0;
        magnitudeU128(top, top128);  // top < 10^2
        first = writeDigits(top128, first);
    }
    digitsOut.assign(first, static_cast<std::size_t>(end - first));
    return true;
}

}  // namespace

bool formatRounded(const Exact& v, int significantDigits, std::string& out) {
    U128 numMagnitude = 0, rest = 0;
    bool negative = false;
    if (!exactPartsU128(v, numMagnitude, rest, negative) || numMagnitude == 0 ||
        significantDigits < 1 || significantDigits > 40) {
        return false;
    }
    const auto& num = numeratorOf(v);
    const auto& den = denominatorOf(v);
    const long sig = significantDigits;
    long e = 0;
    if ((rest >> 64) == 0) {
        // A 64-bit denominator (nearly always): the terminating test in 64-bit arithmetic, the
        // digits by long division and the text laid out in place.
        const auto d = static_cast<std::uint64_t>(rest);
        std::uint64_t odd = d >> __builtin_ctzll(d);
        while (odd % 5 == 0) {
            odd /= 5;
        }
        if (odd == 1) {
            return false;  // terminating: formatExact writes it exactly, unrounded
        }
        LongDivision w;
        const char* digits = roundToSignificant64(numMagnitude, d, sig, e, w);
        if (digits == nullptr) {
            return false;
        }
        char text[2 + 40 + 64];  // sign, "0.", up to 59 fraction digits (scale >= -59)
        std::size_t n = 0;
        if (negative) {
            text[n++] = '-';
        }
        n += plainDecimalInto(text + n, digits, static_cast<std::size_t>(sig), e - sig + 1);
        out.assign(text, n);
        return true;
    }
    // formatExact writes terminating fractions (and whole numbers) exactly, unrounded: not here.
    while ((rest & 1) == 0) {
        rest >>= 1;  // (rest > 0: a denominator is positive)
    }
    while (rest % 5 == 0) {
        rest /= 5;
    }
    if (rest == 1) {
        return false;
    }
    std::string digits;
    if (!roundToSignificantU128(num, den, sig, e, digits)) {
        return false;
    }
    out.clear();
    if (num.sign() < 0) {
        out += '-';
    }
    appendPlainDecimal(out, digits, e - sig + 1);
    return true;
}

namespace {

// formatScientific's layout of `sig` rounded significant digits with decimal exponent e: plain
// for exponents -3..3, else mantissa "e" exponent without trailing zeros.
void appendScientificLayout(std::string& out, std::string& digits, long e, long sig) {
    if (e > -4 && e < 4) {
        appendPlainDecimal(out, digits, e - sig + 1);
        return;
    }
    while (digits.size() > 1 && digits.back() == '0') {
        digits.pop_back();
    }
    out += digits[0];
    if (digits.size() > 1) {
        out += '.';
        out.append(digits, 1, std::string::npos);
    }
    out += 'e';
    out += std::to_string(e);
}

}  // namespace

bool formatScientificSmall(const Exact& v, int significantDigits, std::string& out) {
    SmallInt x;
    if (!smallInt(v, x)) {
        return false;
    }
    out.clear();
    if (x.magnitude == 0) {
        out += '0';  // (out is empty)
        return true;
    }
    const int sig = significantDigits < 1 ? 1 : significantDigits;
    if (sig > 38) {
        return false;
    }
    // roundToSignificant for a whole number: e = digits - 1, q = x / 10^(e - sig + 1) rounded
    // half-even (or x * 10^(sig - 1 - e) when x has fewer digits), all below 2^128.
    char buf[48];
    char* const end = buf + sizeof buf;
    const char* first = writeDigits(x.magnitude, end);
    long e = static_cast<long>(end - first) - 1;
    const long shift = sig - 1 - e;
    U128 q = x.magnitude;
    if (shift >= 0) {
        for (long i = 0; i < shift; ++i) {
            q *= 10;  // q < 10^sig <= 10^38
        }
    } else {
        U128 divisor = 1;
        for (long i = 0; i < -shift; ++i) {
            divisor *= 10;  // at most 10^38 (x < 2^128 has at most 39 digits)
        }
        const U128 r = x.magnitude % divisor;
        q = x.magnitude / divisor;
        const U128 twice = r * 2;  // r < 10^38 < 2^127: no overflow
        if (twice > divisor || (twice == divisor && (q & 1) != 0)) {
            ++q;
        }
        U128 limit = 1;
        for (int i = 0; i < sig; ++i) {
            limit *= 10;
        }
        if (q == limit) {
            q /= 10;
            ++e;
        }
    }
    first = writeDigits(q, end);
    std::string digits(first, static_cast<std::size_t>(end - first));
    if (x.negative) {
        out += '-';
    }
    appendScientificLayout(out, digits, e, sig);
    return true;
}

bool formatScientificRounded(const Exact& v, int significantDigits, std::string& out) {
    U128 numMagnitude = 0, denominator = 0;
    bool negative = false;
    if (!exactPartsU128(v, numMagnitude, denominator, negative) || numMagnitude == 0) {
        return false;
    }
    const long sig = significantDigits < 1 ? 1 : significantDigits;
    if (sig > 40) {
        return false;
    }
    long e = 0;
    std::string digits;
    if (!roundToSignificantU128(numeratorOf(v), denominatorOf(v), sig, e, digits)) {
        return false;
    }
    out.clear();
    if (negative) {
        out += '-';
    }
    appendScientificLayout(out, digits, e, sig);
    return true;
}

void appendExact(std::string& out, const Exact& v) {
    SmallInt x;
    char buf[48];
    std::size_t len = 0;
    if (smallInt(v, x)) {
        out.append(buf, formatSmall(x, buf));
    } else if (formatDecimal(v, buf, len)) {
        out.append(buf, len);
    } else {
        out += formatExactText(v);
    }
}

std::string formatExactText(const Exact& v) {
    std::string out;
    if (!formatRounded(v, 40, out)) {
        out = formatExact(v);
    }
    return out;
}

}  // namespace flopledger::inline v1::detail
