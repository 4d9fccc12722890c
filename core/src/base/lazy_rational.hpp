#pragma once
// Private: an exact rational that defers normalisation. cpp_rational reduces by a gcd after every
// operation, which dominated the estimator's profile; the formulas multiply and add whole numbers
// almost exclusively, so this type keeps numerator and denominator apart and reduces once, when
// the result is converted back to Exact.
//
// Real shapes and FLOP counts fit in 127 bits (1e38), so numerator and denominator are kept as
// __int128 and every operation is checked with __builtin_*_overflow; on overflow (or for inputs
// that do not fit) the value moves to cpp_int numerator and denominator, the general exact path,
// and comes back to the fast form whenever a result fits again. Every result is the exact value.
#include <flopledger/exact.hpp>

#include "base/exact_fast.hpp"

#include <cstdint>
#include <memory>
#include <type_traits>
#include <utility>

namespace flopledger::inline v1::detail {

class LazyRational {
public:
    using Wide = I128;
    using UWide = U128;

    // Without the fast paths (FLOPLEDGER_FAST_PATHS=OFF) every value is held as big integers
    // from the start, so only the reference arithmetic runs.
    LazyRational() {
        if constexpr (!kFastPaths) promote();
    }
    template <class I, class = std::enable_if_t<std::is_integral_v<I>>>
    LazyRational(I v) : n_(static_cast<Wide>(v)) {  // NOLINT: implicit like the built-in types
        if constexpr (!kFastPaths) promote();
    }
    [[gnu::always_inline]] explicit LazyRational(const Exact& v) {
        const auto& num = numeratorOf(v);
        const auto& den = denominatorOf(v);
        if (!(fitsWide(num, n_) && fitsWide(den, d_))) holdBig(num, den);
    }

    LazyRational(const LazyRational& o)
        : n_(o.n_), d_(o.d_), big_(o.big_ ? std::make_unique<Big>(*o.big_) : nullptr) {}
    LazyRational(LazyRational&& o) noexcept = default;
    LazyRational& operator=(const LazyRational& o) {
        if (this == &o) return *this;
        n_ = o.n_;
        d_ = o.d_;
        big_ = o.big_ ? std::make_unique<Big>(*o.big_) : nullptr;
        return *this;
    }
    LazyRational& operator=(LazyRational&& o) noexcept = default;
    ~LazyRational() = default;

    Exact toExact() const {
        if (!big_ && d_ != 0) {
            if (d_ == 1) return wholeExact(n_);
            // One named result: the fraction is written into it (assignFraction).
            Exact x;
            assignFraction(x);
            return x;
        }
        const BigInt n = bigNum(), d = bigDen();
        if (d == 1) return Exact(n);
        return Exact(n, d);
    }

    /// out = toExact(), writing a whole value >= 0 straight into out's numerator (no
    /// cpp_rational built and moved).
    [[gnu::always_inline]] void assignTo(Exact& out) const {
        if (!big_ && d_ == 1 && n_ >= 0) {
            setWhole(out, static_cast<UWide>(n_));
            return;
        }
        assignGeneral(out);
    }

    [[gnu::always_inline]] LazyRational& operator+=(const LazyRational& o) {
        Wide r;
        if (!big_ && !o.big_ && d_ == o.d_ && !__builtin_add_overflow(n_, o.n_, &r)) {
            n_ = r;  // (on overflow n_ is left as it was for the general path)
            return *this;
        }
        return addSub(o, false);
    }
    [[gnu::always_inline]] LazyRational& operator-=(const LazyRational& o) {
        Wide r;
        if (!big_ && !o.big_ && d_ == o.d_ && !__builtin_sub_overflow(n_, o.n_, &r)) {
            n_ = r;  // (on overflow n_ is left as it was for the general path)
            return *this;
        }
        return addSub(o, true);
    }

    [[gnu::always_inline]] LazyRational& operator*=(const LazyRational& o) {
        if (!big_ && !o.big_) {
            Wide n, d = d_;
            if (!mulOverflows(n_, o.n_, &n) && (o.d_ == 1 || !mulOverflows(d_, o.d_, &d))) {
                n_ = n;
                d_ = d;
                return *this;
            }
        }
        return mulAssignGeneral(o);
    }
    [[gnu::noinline]] LazyRational& mulAssignGeneral(const LazyRational& o) {
        const BigInt on = o.bigNum(), od = o.bigDen();
        Big& x = promote();
        x.n *= on;
        if (od != 1) x.d *= od;
        demote();
        return *this;
    }

    LazyRational& operator/=(const LazyRational& o) {
        // Callers never divide by zero: the plan rejects zero divisors first.
        if (!big_ && !o.big_) {
            Wide n = n_, d;
            if ((o.d_ == 1 || !mulOverflows(n_, o.d_, &n)) && !mulOverflows(d_, o.n_, &d) &&
                (d >= 0 || (!__builtin_sub_overflow(Wide(0), d, &d) &&
                            !__builtin_sub_overflow(Wide(0), n, &n)))) {
                n_ = n;
                d_ = d;
                return *this;
            }
        }
        const BigInt on = o.bigNum(), od = o.bigDen();
        Big& x = promote();
        if (od != 1) x.n *= od;
        x.d *= on;
        if (x.d < 0) {
            x.d = -x.d;
            x.n = -x.n;
        }
        demote();
        return *this;
    }

    // Binary operators build the result in place on the fast path (no copy of an operand).
    [[gnu::always_inline]] friend LazyRational operator+(const LazyRational& a,
                                                         const LazyRational& b) {
        if (!a.big_ && !b.big_ && a.d_ == b.d_) {
            Wide n;
            if (!__builtin_add_overflow(a.n_, b.n_, &n)) return fromWide(n, a.d_);
        }
        return addSubGeneral(a, b, false);
    }
    [[gnu::always_inline]] friend LazyRational operator-(const LazyRational& a,
                                                         const LazyRational& b) {
        if (!a.big_ && !b.big_ && a.d_ == b.d_) {
            Wide n;
            if (!__builtin_sub_overflow(a.n_, b.n_, &n)) return fromWide(n, a.d_);
        }
        return addSubGeneral(a, b, true);
    }
    [[gnu::noinline]] static LazyRational addSubGeneral(const LazyRational& a,
                                                        const LazyRational& b, bool sub) {
        LazyRational r(a);
        return r.addSub(b, sub);
    }
    // The 128-bit case inline (the formulas multiply hundreds of times per record), the rest
    // out of line.
    [[gnu::always_inline]] friend LazyRational operator*(const LazyRational& a,
                                                         const LazyRational& b) {
        if (!a.big_ && !b.big_) {
            Wide n, d = a.d_;
            if (!mulOverflows(a.n_, b.n_, &n) && (b.d_ == 1 || !mulOverflows(a.d_, b.d_, &d)))
                return fromWide(n, d);
        }
        return mulGeneral(a, b);
    }
    [[gnu::noinline]] static LazyRational mulGeneral(const LazyRational& a, const LazyRational& b) {
        LazyRational r(a);
        return r *= b;
    }
    friend LazyRational operator/(const LazyRational& a, const LazyRational& b) {
        LazyRational r(a);
        return r /= b;
    }

    [[gnu::always_inline]] friend bool operator<(const LazyRational& a, const LazyRational& b) {
        if (!a.big_ && !b.big_) {
            if (a.d_ == b.d_) return a.n_ < b.n_;
            Wide l, r;
            if (!mulOverflows(a.n_, b.d_, &l) && !mulOverflows(b.n_, a.d_, &r)) return l < r;
        }
        return lessGeneral(a, b);
    }
    [[gnu::noinline]] static bool lessGeneral(const LazyRational& a, const LazyRational& b) {
        const BigInt an = a.bigNum(), ad = a.bigDen(), bn = b.bigNum(), bd = b.bigDen();
        if (ad == bd) return an < bn;
        return an * bd < bn * ad;
    }
    friend bool operator>(const LazyRational& a, const LazyRational& b) { return b < a; }
    friend bool operator<=(const LazyRational& a, const LazyRational& b) { return !(b < a); }
    friend bool operator>=(const LazyRational& a, const LazyRational& b) { return !(a < b); }

    /// Brings a whole value back to denominator 1, so later sums take the integer fast path.
    void reduceWhole() {
        if (!big_) {
            if (d_ == 1) return;
            if (d_ > 0) {
                if (n_ % d_ == 0) {
                    n_ /= d_;
                    d_ = 1;
                }
                return;
            }
        }
        Big& x = promote();
        if (x.d != 1) {
            BigInt q, r;
            boost::multiprecision::divide_qr(x.n, x.d, q, r);  // throws on a zero denominator
            if (r == 0) {
                x.n = std::move(q);
                x.d = 1;
            }
        }
        demote();
    }

    /// ceil(v / multiple) * multiple for multiple > 0 (cpp_int's truncating division, as the
    /// cpp_int formula (n + dd - 1) / dd).
    LazyRational ceilToMultiple(int multiple) const {
        if (!big_) {
            Wide dd, t, c;
            if (!mulOverflows(d_, Wide(multiple), &dd) && dd != 0 &&
                !__builtin_add_overflow(n_, dd - 1, &t) &&
                !mulOverflows(t / dd, Wide(multiple), &c)) {
                return fromWide(c);
            }
        }
        const BigInt dd = bigDen() * multiple;
        return LazyRational(Exact(((bigNum() + dd - 1) / dd) * multiple));
    }

    /// n / d in the fast form (d > 0).
    static LazyRational fromWide(Wide n, Wide d = 1) {
        LazyRational r;
        if constexpr (!kFastPaths) {
            r.big_->n = toBig(n);
            r.big_->d = toBig(d);
        } else {
            r.n_ = n;
            r.d_ = d;
        }
        return r;
    }

    /// Numerator and denominator as they stand (not in lowest terms).
    BigInt num() const { return bigNum(); }
    BigInt den() const { return bigDen(); }
    /// Whether the denominator is 1 as it stands (after reduceWhole: whether the value is whole).
    bool isWhole() const { return big_ ? big_->d == 1 : d_ == 1; }
    /// Whether the value is held in the 128-bit form (for tests).
    bool isFast() const { return !big_; }
    /// Both held in 128 bits with the same numerator and denominator (then equal; unequal
    /// parts may still be equal values).
    bool sameFast(const LazyRational& o) const {
        return !big_ && !o.big_ && n_ == o.n_ && d_ == o.d_;
    }

    /// x as a Wide when |x| < 2^127.
    static bool fitsWide(const BigInt& x, Wide& out) { return fitsI128(x, out); }

    /// cpp_int builds a two-limb value from an __int128 directly.
    static BigInt toBig(Wide v) { return BigInt(v); }

private:
    /// a * b into *r; true on overflow. Operands that fit 64 bits (nearly all shape values)
    /// take one widening multiply, which cannot overflow 128 bits; kept inline.
    [[gnu::always_inline]] static bool mulOverflows(Wide a, Wide b, Wide* r) {
        const auto a64 = static_cast<long long>(a);
        const auto b64 = static_cast<long long>(b);
        if (a64 == a && b64 == b) {
            *r = static_cast<Wide>(a64) * b64;
            return false;
        }
        return mulOverflowsWide(a, b, r);
    }
    static bool mulOverflowsWide(Wide a, Wide b, Wide* r) {
        // A small factor (|k| < 2^31) times |x| < 2^95 stays below 2^126: FLOP counts times
        // the training factor, token counts times small constants.
        const auto small = [](Wide k) { return static_cast<int>(k) == k; };
        const auto below95 = [](Wide x) {
            const auto top = static_cast<long long>(x >> 95);
            return top == 0 || top == -1;
        };
        if ((small(a) && below95(b)) || (small(b) && below95(a))) {
            *r = a * b;
            return false;
        }
        return __builtin_mul_overflow(a, b, r);
    }

    /// A whole Exact.
    static Exact wholeExact(Wide v) {
        // One named result on every path (no copy of a cpp_rational on return); a value >= 0
        // is set from its 64-bit limbs.
        Exact x;
        if (v >= 0)
            setWhole(x, static_cast<UWide>(v));
        else
            x = Exact(BigInt(v));
        return x;
    }

    struct Big {
        BigInt n;
        BigInt d;
    };

    static UWide gcdWide(UWide a, UWide b) {
        while (b != 0) {
            if ((a >> 64) == 0 && (b >> 64) == 0)
                return gcd64(static_cast<std::uint64_t>(a), static_cast<std::uint64_t>(b));
            const UWide t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    /// Euclid in 64 bits (one machine division per step instead of a 128-bit library call).
    static std::uint64_t gcd64(std::uint64_t a, std::uint64_t b) {
        while (b != 0) {
            const std::uint64_t t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    [[gnu::noinline]] void holdBig(const BigInt& num, const BigInt& den) {
        big_ = std::make_unique<Big>(Big{num, den});
    }
    [[gnu::noinline]] void assignGeneral(Exact& out) const {
        if (!big_ && d_ > 0) {
            assignFraction(out);
            return;
        }
        out = toExact();
    }

    /// out = n_ / d_ (fast form, d_ > 0) in lowest terms: reduced in 128 bits and written into
    /// out's parts, so neither cpp_rational's gcd nor a big-integer temporary runs.
    void assignFraction(Exact& out) const {
        const bool negative = n_ < 0;
        UWide a = negative ? UWide(0) - static_cast<UWide>(n_) : static_cast<UWide>(n_);
        UWide d = static_cast<UWide>(d_);
        if (d != 1) {
            const UWide g = gcdWide(a, d);
            if (g != 1) {
                a = divWide(a, g);
                d = divWide(d, g);
            }
        }
        setFractionU128(out, a, negative, d);
    }

    /// a / b, with one machine division when both fit 64 bits.
    static UWide divWide(UWide a, UWide b) {
        if ((a >> 64) == 0 && (b >> 64) == 0)
            return static_cast<std::uint64_t>(a) / static_cast<std::uint64_t>(b);
        return a / b;
    }

    BigInt bigNum() const { return big_ ? big_->n : toBig(n_); }
    BigInt bigDen() const { return big_ ? big_->d : toBig(d_); }

    Big& promote() {
        if (!big_) big_ = std::make_unique<Big>(Big{toBig(n_), toBig(d_)});
        return *big_;
    }
    /// Back to the fast form when both parts fit.
    void demote() {
        Wide n, d;
        if (fitsWide(big_->n, n) && fitsWide(big_->d, d)) {
            n_ = n;
            d_ = d;
            big_.reset();
        }
    }

    LazyRational& addSub(const LazyRational& o, bool sub) {
        if (!big_ && !o.big_) {
            Wide r;
            if (d_ == o.d_) {
                if (!(sub ? __builtin_sub_overflow(n_, o.n_, &r)
                          : __builtin_add_overflow(n_, o.n_, &r))) {
                    n_ = r;
                    return *this;
                }
            } else {
                Wide a, b, d;
                if (!mulOverflows(n_, o.d_, &a) && !mulOverflows(o.n_, d_, &b) &&
                    !(sub ? __builtin_sub_overflow(a, b, &r) : __builtin_add_overflow(a, b, &r)) &&
                    !mulOverflows(d_, o.d_, &d)) {
                    n_ = r;
                    d_ = d;
                    return *this;
                }
            }
        }
        const BigInt on = o.bigNum(), od = o.bigDen();
        Big& x = promote();
        if (x.d == od) {
            if (sub) {
                x.n -= on;
            } else {
                x.n += on;
            }
        } else {
            x.n = sub ? BigInt(x.n * od - on * x.d) : BigInt(x.n * od + on * x.d);
            x.d *= od;
        }
        demote();
        return *this;
    }

    Wide n_ = 0;
    Wide d_ = 1;                ///< always > 0 (fast form)
    std::unique_ptr<Big> big_;  ///< set when the value does not fit 128 bits; then n_, d_ unused
};

}  // namespace flopledger::inline v1::detail
