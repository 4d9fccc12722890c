// Interval arithmetic on non-negative exact intervals (quantity.hpp).
#include <flopledger/diagnostic.hpp>
#include <flopledger/quantity.hpp>

#include "base/exact_fast.hpp"

namespace flopledger::inline v1 {

// Every operand is non-negative, so sums and products are monotone in each endpoint and the
// result's bounds come from the operands' matching bounds.
Interval operator+(const Interval& a, const Interval& b) {
    using detail::addExact;
    return {addExact(a.low, b.low), addExact(a.central, b.central), addExact(a.high, b.high)};
}

Interval operator*(const Interval& a, const Interval& b) {
    using detail::mulExact;
    return {mulExact(a.low, b.low), mulExact(a.central, b.central), mulExact(a.high, b.high)};
}

Interval operator*(const Interval& a, const Exact& k) {
    using detail::mulExact;
    return {mulExact(a.low, k), mulExact(a.central, k), mulExact(a.high, k)};
}

// Division is decreasing in the divisor: the smallest quotient divides by the largest divisor.
Interval operator/(const Interval& a, const Interval& b) {
    if (detail::signOf(b.low) <= 0) {
        throw InputError(ErrorCode::NumberZero, "interval divisor must be positive");
    }
    return {a.low / b.high, a.central / b.central, a.high / b.low};
}

}  // namespace flopledger
