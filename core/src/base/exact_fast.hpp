#pragma once
// Private: the ONE place that reads or writes Boost.Multiprecision's internals (backend(),
// limbs, the members of cpp_rational's boost::rational). Everything else calls the named
// operations below.
//
// Contract
// - Exact is cpp_rational: a normalised fraction (gcd(num, den) == 1) with den > 0. Every
//   operation here returns exactly what the plain Boost operators return (the same value, the
//   same double, the same text); they only skip work (gcd normalisation, continued-fraction
//   comparisons, copies) for the usual whole numbers below 2^128.
// - The layout read here is Boost 1.74's: rational_adaptor::data() is a boost::rational whose
//   numerator()/denominator() return references to its members, and cpp_int backends have
//   64-bit limbs, size() and sign(). Later Boost versions rewrote rational_adaptor (no data()),
//   so the version is pinned here and in CMake (FLOPLEDGER_BOOST_VERSION).
// - The "try" operations (wholeU128, smallInt, magnitudeU128, exactPartsU128, fitsI128) may
//   answer false for any value: every caller has a general path. With the fast paths switched
//   off (CMake -DFLOPLEDGER_FAST_PATHS=OFF) they always answer false and every other operation
//   is its plain Boost expression, so a build with the switch off runs the reference
//   implementations; CI compares its output with the default build byte for byte
//   (scripts/fast_paths_diff.sh).
// - Needs GCC or Clang: unsigned __int128 and __builtin_*_overflow.
#include <flopledger/exact.hpp>
#include <flopledger/quantity.hpp>

#include <boost/version.hpp>

#include <cmath>
#include <cstdint>
#include <type_traits>

#if !defined(__GNUC__) && !defined(__clang__)
#error "flopledger core needs GCC or Clang (unsigned __int128, __builtin_*_overflow)"
#endif
static_assert(BOOST_VERSION / 100 == 1074,
              "exact_fast.hpp reads Boost 1.74's cpp_rational layout; see its contract");

#ifndef FLOPLEDGER_FAST_PATHS
#define FLOPLEDGER_FAST_PATHS 1
#endif

namespace flopledger::inline v1::detail {

/// Whether the fast paths are compiled in (CMake option FLOPLEDGER_FAST_PATHS).
inline constexpr bool kFastPaths = FLOPLEDGER_FAST_PATHS != 0;

/// The one name of the 128-bit integer types.
__extension__ typedef unsigned __int128 U128;
__extension__ typedef __int128 I128;

/// A read-only numerator or denominator: a reference to the stored member with the fast paths,
/// a copy (Boost's public numerator()/denominator()) without. Bind it with `const auto&`.
using BigIntPart = std::conditional_t<kFastPaths, const BigInt&, BigInt>;

#if FLOPLEDGER_FAST_PATHS
inline BigIntPart numeratorOf(const Exact& x) {
    return x.backend().data().numerator();
}
inline BigIntPart denominatorOf(const Exact& x) {
    return x.backend().data().denominator();
}
#else
inline BigIntPart numeratorOf(const Exact& x) {
    return boost::multiprecision::numerator(x);
}
inline BigIntPart denominatorOf(const Exact& x) {
    return boost::multiprecision::denominator(x);
}
#endif

inline bool isWhole(const Exact& x) {
    return denominatorOf(x) == 1;
}

/// Sign of x: -1, 0 or 1 (the numerator's sign; the denominator is always positive).
inline int signOf(const Exact& x) {
    if constexpr (kFastPaths)
        return x.backend().data().numerator().sign();
    else
        return x.sign();
}

/// Sign of a - b, by integer comparison or cross-multiplication (denominators are positive).
inline int compareExact(const Exact& a, const Exact& b) {
    if constexpr (!kFastPaths) return a < b ? -1 : (b < a ? 1 : 0);
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
    if constexpr (!kFastPaths) return a == b;
    const auto& x = a.backend().data();
    const auto& y = b.backend().data();
    return x.denominator() == y.denominator() && x.numerator() == y.numerator();
}

/// True with `out` set to |n| when |n| < 2^128 (at most two 64-bit limbs). Works for BigInt
/// and the fixed-width cpp_int types.
template <class Int>
bool magnitudeU128(const Int& n, U128& out) {
    if constexpr (!kFastPaths) return false;
    const auto& b = n.backend();
    static_assert(sizeof(*b.limbs()) == 8, "64-bit limbs expected");
    if (b.size() > 2) return false;
    out = b.limbs()[0];
    if (b.size() == 2) out |= static_cast<U128>(b.limbs()[1]) << 64;
    return true;
}

/// True with `out` set when x is a whole number in [0, 2^128).
inline bool wholeU128(const Exact& x, U128& out) {
    if constexpr (!kFastPaths) return false;
    const auto& r = x.backend().data();
    const auto& n = r.numerator().backend();
    const auto& d = r.denominator().backend();
    if (n.sign() || n.size() > 2 || d.size() != 1 || *d.limbs() != 1) return false;
    const auto* limbs = n.limbs();
    out = n.size() == 2 ? (static_cast<U128>(limbs[1]) << 64) | limbs[0] : limbs[0];
    return true;
}

/// True with |numerator|, denominator and the sign when both parts are below 2^128.
inline bool exactPartsU128(const Exact& x, U128& num, U128& den, bool& negative) {
    if constexpr (!kFastPaths) return false;
    const auto& r = x.backend().data();
    if (!magnitudeU128(r.numerator(), num) || !magnitudeU128(r.denominator(), den)) return false;
    negative = r.numerator().sign() < 0;
    return true;
}

/// True with `out` when |x| < 2^127 (LazyRational's 128-bit form).
inline bool fitsI128(const BigInt& x, I128& out) {
    U128 mag = 0;
    if (!magnitudeU128(x, mag) || (mag >> 127) != 0) return false;
    out = x.sign() < 0 ? -static_cast<I128>(mag) : static_cast<I128>(mag);
    return true;
}

/// An integer whose magnitude fits in 128 bits.
struct SmallInt {
    U128 magnitude = 0;
    bool negative = false;
    bool operator==(const SmallInt& o) const {
        return magnitude == o.magnitude && negative == o.negative;
    }
};

/// v as a SmallInt when it is a whole number of at most 128 bits (the output caches' key and
/// the number formatter's fast path).
inline bool smallInt(const Exact& v, SmallInt& out) {
    if constexpr (!kFastPaths) return false;
    const auto& num = v.backend().data().numerator().backend();
    const auto& den = v.backend().data().denominator().backend();
    static_assert(sizeof(*num.limbs()) == 8, "64-bit limbs expected");
    if (den.size() != 1 || den.limbs()[0] != 1 || num.size() > 2) return false;
    out.magnitude = num.limbs()[0];
    if (num.size() == 2) out.magnitude |= static_cast<U128>(num.limbs()[1]) << 64;
    out.negative = num.sign() && out.magnitude != 0;
    return true;
}

/// n = -n in place (the fast path flips the sign without a copy).
inline void negate(BigInt& n) {
    if constexpr (kFastPaths)
        n.backend().negate();
    else
        n = -n;
}

/// Sets x to num / den without boost::rational's normalisation (a gcd and two divisions). The
/// caller guarantees den > 0 and gcd(num, den) == 1, the invariant normalisation would
/// establish. numerator() and denominator() are references to the (non-const) members, so
/// writing through them is well defined.
inline void setNormalised(Exact& x, const BigInt& num, const BigInt& den) {
    if constexpr (!kFastPaths) {
        x = Exact(num, den);
        return;
    }
    auto& r = x.backend().data();
    const_cast<BigInt&>(r.numerator()) = num;
    const_cast<BigInt&>(r.denominator()) = den;
}

/// n = (negative ? -v : v) with v != 0 when negative, the value boost's assignment from an
/// integer gives. A one-limb value into a one-limb integer (a default or reused value: nearly
/// always) is one store and the sign, without boost's out-of-line resize.
[[gnu::always_inline]] inline void writeU128(BigInt& n, U128 v, bool negative) {
    auto& b = n.backend();
    static_assert(sizeof(*b.limbs()) == 8, "64-bit limbs expected");
    const auto hi = static_cast<std::uint64_t>(v >> 64);
    if (hi == 0 && b.size() == 1) {
        b.limbs()[0] = static_cast<std::uint64_t>(v);
    } else if (hi != 0 && b.size() == 2) {  // a reused two-limb value (FLOP counts > 2^64)
        b.limbs()[0] = static_cast<std::uint64_t>(v);
        b.limbs()[1] = hi;
    } else if (hi == 0) {
        n = static_cast<std::uint64_t>(v);
    } else {
        n = v;
    }
    b.sign(negative);
}

/// d = 1, written only when it is not already 1 (a default or whole value's denominator).
[[gnu::always_inline]] inline void setOne(BigInt& d) {
    const auto& b = d.backend();
    if (b.size() == 1 && b.limbs()[0] == 1 && !b.sign()) return;
    d = 1u;
}

/// Sets x to the whole number v, built from 128 bits (no copy of another big integer).
[[gnu::always_inline]] inline void setWhole(Exact& x, U128 v) {
    if constexpr (!kFastPaths) {
        x = Exact(BigInt(v));
        return;
    }
    auto& r = x.backend().data();
    writeU128(const_cast<BigInt&>(r.numerator()), v, false);
    setOne(const_cast<BigInt&>(r.denominator()));
}

/// Sets x to (negative ? -num : num) / den from 128-bit parts, without building big integers
/// to copy from. The caller guarantees den > 0 and gcd(num, den) == 1 (as setNormalised).
[[gnu::always_inline]] inline void setFractionU128(Exact& x, U128 num, bool negative, U128 den) {
    if constexpr (!kFastPaths) {
        BigInt n(num);
        if (negative) n = -n;
        x = Exact(n, BigInt(den));
        return;
    }
    auto& r = x.backend().data();
    writeU128(const_cast<BigInt&>(r.numerator()), num, negative && num != 0);
    auto& d = const_cast<BigInt&>(r.denominator());
    if (den == 1)
        setOne(d);
    else
        writeU128(d, den, false);
}

/// True with both parts when x's numerator and denominator fit in one limb each (toDouble's
/// fast path: n / d is then the correctly rounded quotient toDoubleReference gives).
inline bool singleLimbParts(const Exact& x, std::uint64_t& num, std::uint64_t& den,
                            bool& negative) {
    if constexpr (!kFastPaths) return false;
    const auto& n = x.backend().data().numerator().backend();
    const auto& d = x.backend().data().denominator().backend();
    if (n.size() != 1 || d.size() != 1) return false;
    num = *n.limbs();
    den = *d.limbs();
    negative = n.sign();
    return true;
}

/// A copy of x. Boost's copy constructor resizes and memcpy's each integer; a whole number in
/// [0, 2^128) is built from its limbs instead (the same value, already normalised).
inline Exact copyExact(const Exact& x) {
    U128 v = 0;
    if (wholeU128(x, v)) return Exact(v);
    return x;
}

/// dst = src. A whole number in [0, 2^128) is written into dst's storage with setWhole (no
/// resize and copy of boost's limbs when dst already holds a value of that size).
inline void assignExact(Exact& dst, const Exact& src) {
    U128 v = 0;
    if (wholeU128(src, v)) {
        setWhole(dst, v);
        return;
    }
    dst = src;
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
    if constexpr (!kFastPaths) return a + b;
    U128 x = 0, y = 0, sum = 0;
    if (wholeU128(a, x) && wholeU128(b, y) && !__builtin_add_overflow(x, y, &sum))
        return Exact(sum);
    if (isWhole(a) && isWhole(b)) return Exact(BigInt(numeratorOf(a) + numeratorOf(b)));
    return a + b;
}

/// a * b, with the same integer paths as addExact.
inline Exact mulExact(const Exact& a, const Exact& b) {
    if constexpr (!kFastPaths) return a * b;
    U128 x = 0, y = 0, product = 0;
    if (wholeU128(a, x) && wholeU128(b, y) && !__builtin_mul_overflow(x, y, &product))
        return Exact(product);
    if (isWhole(a) && isWhole(b)) return Exact(BigInt(numeratorOf(a) * numeratorOf(b)));
    return a * b;
}

/// toDouble(x), bit for bit: for a whole number in [0, 2^64) toDouble converts the single limb
/// (no shift, divisor 1.0), so this does the same without its copies, shifts and division.
/// Everything else goes through toDouble.
inline double sameAsToDouble(const Exact& x) {
    if constexpr (!kFastPaths) return toDouble(x);
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

}  // namespace flopledger::inline v1::detail
