// formatScientific(v, 3) for whole numbers below 2^128 (reason_number.hpp). The reference is
// formatScientific (exact.cpp): the digit count from a table of powers of ten, one division by
// 10^(e - 2), half-even rounding on the exact remainder, then formatScientific's layout (plain
// for exponents below 4, else mantissa without trailing zeros and "e" exponent).
#include "policy/reason_number.hpp"

#include "base/exact_fast.hpp"

#include <array>
#include <cstring>

namespace flopledger::inline v1::detail {
namespace {

constexpr std::array<U128, 39> makePowers() {
    std::array<U128, 39> p{};
    U128 x = 1;
    for (std::size_t i = 0; i < p.size(); ++i) {
        p[i] = x;
        x *= 10;
    }
    return p;
}
constexpr std::array<U128, 39> kPow10 = makePowers();  // 10^0 .. 10^38 (2^128 ~ 3.4e38)

// Decimal digits of x > 0, minus one.
int exponentOf(U128 x) {
    const int bits = 128 - (static_cast<std::uint64_t>(x >> 64) != 0
                                ? __builtin_clzll(static_cast<std::uint64_t>(x >> 64))
                                : 64 + __builtin_clzll(static_cast<std::uint64_t>(x)));
    // floor((bits - 1) * log10(2)) <= e <= that + 1.
    int e = (bits - 1) * 1233 >> 12;
    if (e + 1 < static_cast<int>(kPow10.size()) && x >= kPow10[static_cast<std::size_t>(e + 1)])
        ++e;
    return e;
}

// v's decimal digits at p (at most 10 bytes); returns the end.
char* putUnsigned(char* p, unsigned v) {
    char tmp[10];
    char* t = tmp + sizeof tmp;
    do {
        *--t = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v != 0);
    const auto n = static_cast<std::size_t>(tmp + sizeof tmp - t);
    std::memcpy(p, t, n);
    return p + n;
}

}  // namespace

std::size_t scientific3(const SmallInt& x, char (&buf)[kScientific3Size]) {
    char* p = buf;
    if (x.magnitude == 0) {
        *p++ = '0';
        return 1;
    }
    if (x.negative) *p++ = '-';
    int e = exponentOf(x.magnitude);
    if (e < 3)  // below 1000: the whole number itself (its digits, nothing rounded)
        return static_cast<std::size_t>(putUnsigned(p, static_cast<unsigned>(x.magnitude)) - buf);
    // q = x / 10^(e - 2) rounded half-even: three digits (1000 after a carry: one more digit).
    const U128 divisor = kPow10[static_cast<std::size_t>(e - 2)];
    U128 q128 = 0, r = 0;
    if (static_cast<std::uint64_t>(x.magnitude >> 64) == 0) {
        const auto m = static_cast<std::uint64_t>(x.magnitude);
        const auto d = static_cast<std::uint64_t>(divisor);
        q128 = m / d;
        r = m % d;
    } else {
        q128 = x.magnitude / divisor;
        r = x.magnitude - q128 * divisor;
    }
    auto q = static_cast<unsigned>(q128);
    const U128 twice = r * 2;  // r < 10^36: no overflow
    if (twice > divisor || (twice == divisor && (q & 1U) != 0)) ++q;
    if (q == 1000) {
        q = 100;
        ++e;
    }
    const char d0 = static_cast<char>('0' + q / 100);
    const char d1 = static_cast<char>('0' + q / 10 % 10);
    const char d2 = static_cast<char>('0' + q % 10);
    *p++ = d0;
    if (e < 4) {  // e == 3: plain, the three digits and one zero
        *p++ = d1;
        *p++ = d2;
        *p++ = '0';
        return static_cast<std::size_t>(p - buf);
    }
    if (d1 != '0' || d2 != '0') {
        *p++ = '.';
        *p++ = d1;
        if (d2 != '0') *p++ = d2;
    }
    *p++ = 'e';
    return static_cast<std::size_t>(putUnsigned(p, static_cast<unsigned>(e)) - buf);
}

bool appendScientific3(std::string& out, const Exact& v) {
    SmallInt x;
    if (!smallInt(v, x)) return false;  // (always false with the fast paths off)
    char buf[kScientific3Size];
    out.append(buf, scientific3(x, buf));
    return true;
}

void appendNum3(std::string& out, const Exact& v) {
    if (!appendScientific3(out, v)) out += formatScientific(v, 3);
}

}  // namespace flopledger::inline v1::detail
