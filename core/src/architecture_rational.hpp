#pragma once
// Private: an exact rational that defers normalisation. cpp_rational reduces by a gcd after every
// operation, which dominated the estimator's profile; the formulas multiply and add whole numbers
// almost exclusively, so this type keeps numerator and denominator apart (integer fast paths when
// the denominators are 1) and reduces once, when the result is converted back to Exact.
#include <flopledger/exact.hpp>

#include <type_traits>

namespace flopledger::detail {

class LazyRational {
public:
    LazyRational() : n_(0), d_(1) {}
    template <class I, class = std::enable_if_t<std::is_integral_v<I>>>
    LazyRational(I v) : n_(v), d_(1) {}  // NOLINT: implicit like the built-in types
    explicit LazyRational(const Exact& v) : n_(numerator(v)), d_(denominator(v)) {}

    Exact toExact() const {
        if (d_ == 1) return Exact(n_);
        return Exact(n_, d_);
    }

    LazyRational& operator+=(const LazyRational& o) {
        if (d_ == o.d_) {
            n_ += o.n_;
        } else {
            n_ = n_ * o.d_ + o.n_ * d_;
            d_ *= o.d_;
        }
        return *this;
    }
    LazyRational& operator-=(const LazyRational& o) {
        if (d_ == o.d_) {
            n_ -= o.n_;
        } else {
            n_ = n_ * o.d_ - o.n_ * d_;
            d_ *= o.d_;
        }
        return *this;
    }
    LazyRational& operator*=(const LazyRational& o) {
        n_ *= o.n_;
        if (o.d_ != 1) d_ *= o.d_;
        return *this;
    }
    LazyRational& operator/=(const LazyRational& o) {
        // Callers never divide by zero: the plan rejects zero divisors first.
        if (o.d_ != 1) n_ *= o.d_;
        d_ *= o.n_;
        if (d_ < 0) {
            d_ = -d_;
            n_ = -n_;
        }
        return *this;
    }

    friend LazyRational operator+(LazyRational a, const LazyRational& b) { return a += b; }
    friend LazyRational operator-(LazyRational a, const LazyRational& b) { return a -= b; }
    friend LazyRational operator*(LazyRational a, const LazyRational& b) { return a *= b; }
    friend LazyRational operator/(LazyRational a, const LazyRational& b) { return a /= b; }

    friend bool operator<(const LazyRational& a, const LazyRational& b) {
        if (a.d_ == b.d_) return a.n_ < b.n_;
        return a.n_ * b.d_ < b.n_ * a.d_;
    }
    friend bool operator>(const LazyRational& a, const LazyRational& b) { return b < a; }
    friend bool operator<=(const LazyRational& a, const LazyRational& b) { return !(b < a); }
    friend bool operator>=(const LazyRational& a, const LazyRational& b) { return !(a < b); }

    /// Brings a whole value back to denominator 1, so later sums take the integer fast path.
    void reduceWhole() {
        if (d_ == 1) return;
        BigInt q, r;
        boost::multiprecision::divide_qr(n_, d_, q, r);
        if (r == 0) {
            n_ = std::move(q);
            d_ = 1;
        }
    }

    const BigInt& num() const { return n_; }
    const BigInt& den() const { return d_; }

private:
    BigInt n_;
    BigInt d_;  ///< always > 0
};

}  // namespace flopledger::detail
