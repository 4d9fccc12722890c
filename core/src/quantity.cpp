// Interval arithmetic on non-negative exact intervals (quantity.hpp).
#include <flopledger/diagnostic.hpp>
#include <flopledger/quantity.hpp>

namespace flopledger {

// Every operand is non-negative, so sums and products are monotone in each endpoint and the
// result's bounds come from the operands' matching bounds.
Interval operator+(const Interval& a, const Interval& b) {
    return {a.low + b.low, a.central + b.central, a.high + b.high};
}

Interval operator*(const Interval& a, const Interval& b) {
    return {a.low * b.low, a.central * b.central, a.high * b.high};
}

Interval operator*(const Interval& a, const Exact& k) {
    return {a.low * k, a.central * k, a.high * k};
}

// Division is decreasing in the divisor: the smallest quotient divides by the largest divisor.
Interval operator/(const Interval& a, const Interval& b) {
    if (b.low <= 0) {
        throw InputError(ErrorCode::NumberZero, "interval divisor must be positive");
    }
    return {a.low / b.high, a.central / b.central, a.high / b.low};
}

}  // namespace flopledger
