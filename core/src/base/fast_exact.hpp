#pragma once
// Private: cheap exact operations on Exact for the hot path. Boost 1.74 implements comparison of
// cpp_rational through boost::rational::operator<, a continued-fraction walk with big-integer
// divisions, and every sum or product through gcd normalisation. FLOP counts are almost always
// whole numbers, so these take the integer path when they can and fall back to the general
// operators otherwise: every result is exact, the same value the plain operators give.
#include <flopledger/exact.hpp>
#include <flopledger/quantity.hpp>

#include <cmath>

namespace flopledger::detail {

__extension__ typedef unsigned __int128 U128;

inline bool isWhole(const Exact& x) {
    return x.backend().data().denominator() == 1;
}

/// A copy of x. Boost's copy constructor resizes and memcpy's each integer; a whole number in
/// [0, 2^128) is built from its limbs instead (the same value, already normalised).
inline Exact copyExact(const Exact& x);

/// Sign of x: -1, 0 or 1 (the numerator's sign; the denominator is always positive).
inline int signOf(const Exact& x) {
    return x.backend().data().numerator().sign();
}

/// Sign of a - b, by integer comparison or cross-multiplication (denominators are positive).
inline int compareExact(const Exact& a, const Exact& b) {
    const auto& ra = a.backend().data();
    const auto& rb = b.backend().data();
    const auto& da = ra.denominator();
    const auto& db = rb.denominator();
    if (da == 1 && db == 1) return ra.numerator().compare(rb.numerator());
    const BigInt lhs = ra.numerator() * db;
    const BigInt rhs = rb.numerator() * da;
    return lhs.compare(rhs);
}

/// a == b for normalised fractions: equal numerators and denominators.
inline bool sameExact(const Exact& a, const Exact& b) {
    const auto& x = a.backend().data();
    const auto& y = b.backend().data();
    return x.denominator() == y.denominator() && x.numerator() == y.numerator();
}

/// True with `out` set when x is a whole number in [0, 2^128): a non-negative numerator of at
/// most two limbs over a denominator equal to 1 (read from the backends, no big-integer
/// comparison).
inline bool wholeU128(const Exact& x, U128& out) {
    static_assert(sizeof(boost::multiprecision::limb_type) == 8, "64-bit limbs");
    const auto& r = x.backend().data();
    const auto& n = r.numerator().backend();
    const auto& d = r.denominator().backend();
    if (n.sign() || n.size() > 2 || d.size() != 1 || *d.limbs() != 1) return false;
    const auto* limbs = n.limbs();
    out = n.size() == 2 ? (static_cast<U128>(limbs[1]) << 64) | limbs[0] : limbs[0];
    return true;
}

inline Exact copyExact(const Exact& x) {
    U128 v = 0;
    if (wholeU128(x, v)) return Exact(v);
    return x;
}

/// Converts to an Interval whose endpoints are copied with copyExact:
/// `optional<Interval>::emplace(IntervalCopy::of(x))` builds the members in place from the
/// conversion's result (no temporary Interval to move).
struct IntervalCopy {
    const Exact& low;
    const Exact& central;
    const Exact& high;

    static IntervalCopy of(const Interval& x) { return {x.low, x.central, x.high}; }
    operator Interval() const {  // NOLINT(google-explicit-constructor): used for emplace
        return Interval{copyExact(low), copyExact(central), copyExact(high)};
    }
};

/// a + b. Whole numbers below 2^128 whose sum does not overflow (FLOP counts, costs) are added
/// as 128-bit integers; other whole numbers as big integers; fractions by the general operator.
inline Exact addExact(const Exact& a, const Exact& b) {
    U128 x = 0, y = 0, sum = 0;
    if (wholeU128(a, x) && wholeU128(b, y) && !__builtin_add_overflow(x, y, &sum))
        return Exact(sum);
    if (isWhole(a) && isWhole(b)) {
        return Exact(BigInt(a.backend().data().numerator() + b.backend().data().numerator()));
    }
    return a + b;
}

/// a * b, with the same integer paths as addExact.
inline Exact mulExact(const Exact& a, const Exact& b) {
    U128 x = 0, y = 0, product = 0;
    if (wholeU128(a, x) && wholeU128(b, y) && !__builtin_mul_overflow(x, y, &product))
        return Exact(product);
    if (isWhole(a) && isWhole(b)) {
        return Exact(BigInt(a.backend().data().numerator() * b.backend().data().numerator()));
    }
    return a * b;
}

/// toDouble(x), bit for bit: for a whole number in [0, 2^64) toDouble converts the single limb
/// (no shift, divisor 1.0), so this does the same without its copies, shifts and division.
/// Everything else goes through toDouble.
inline double sameAsToDouble(const Exact& x) {
    const auto& r = x.backend().data();
    if (r.denominator() == 1) {
        const auto& n = r.numerator();
        const int s = n.sign();
        if (s == 0) return 0.0;
        if (s > 0 && msb(n) < 64) return n.convert_to<double>();
        // Two limbs (2^64 <= x < 2^128): toDouble converts the top 64 bits (shifted down, the
        // rest dropped) and scales the result by 2^shift with ldexp; the same steps here on
        // the limbs, without its big-integer shifts, copies and division by 1.
        const auto& b = n.backend();
        if (s > 0 && b.size() == 2) {
            const auto* limbs = b.limbs();
            const int shift = 64 - __builtin_clzll(static_cast<unsigned long long>(limbs[1]));
            const U128 v = (static_cast<U128>(limbs[1]) << 64) | limbs[0];
            const BigInt top(static_cast<unsigned long long>(v >> shift));
            return std::ldexp(top.convert_to<double>(), shift);
        }
    }
    return toDouble(x);
}

/// Nearest double; the integer path skips the rational conversion's divisions.
inline double fastToDouble(const Exact& x) {
    if (isWhole(x)) return x.backend().data().numerator().convert_to<double>();
    return toDouble(x);
}

}  // namespace flopledger::detail
