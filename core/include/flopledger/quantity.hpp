#pragma once
// Uncertain quantities: exact intervals {low, central, high} with a declared distribution.
#include <flopledger/exact.hpp>

#include <string_view>
#include <utility>

namespace flopledger {
inline namespace v1 {

enum class Distribution { Uniform, LogUniform, Triangular };

std::string_view toString(Distribution d);

/// An exact interval. Invariant: low <= central <= high. A point has low == central == high.
struct Interval {
    Exact low;
    Exact central;
    Exact high;

    static Interval point(const Exact& v) { return {v, v, v}; }
    bool isPoint() const { return low == high; }
    friend bool operator==(const Interval& a, const Interval& b) {
        return a.low == b.low && a.central == b.central && a.high == b.high;
    }
    friend bool operator!=(const Interval& a, const Interval& b) { return !(a == b); }
};

/// Sum, product and quotient of non-negative intervals: exact, endpoint by endpoint. Division
/// pairs low with the divisor's high (the divisor must be positive).
Interval operator+(const Interval& a, const Interval& b);
Interval operator*(const Interval& a, const Interval& b);
Interval operator*(const Interval& a, const Exact& k);
Interval operator/(const Interval& a, const Interval& b);

/// A numeric input: a point or an interval with a distribution for the Monte Carlo.
struct Quantity {
    Interval value;
    Distribution distribution = Distribution::LogUniform;
    /// Index of this quantity among the uncertain quantities of its record (assigned by the
    /// reader; -1 for points). The Monte Carlo samples each index independently.
    int sampleIndex = -1;

    Quantity() = default;
    Quantity(const Exact& v) : value(Interval::point(v)) {}  // NOLINT: implicit on purpose
    Quantity(Interval iv, Distribution d = Distribution::LogUniform) : value(std::move(iv)), distribution(d) {}

    bool uncertain() const { return !value.isPoint(); }
    const Exact& central() const { return value.central; }
};

}  // inline namespace v1
}  // namespace flopledger
