// Effective-compute thresholds: a threshold that halves every h months from a reference date,
// compared exactly (policy.hpp).
#include <flopledger/policy.hpp>

#include "base/fast_exact.hpp"

#include <cmath>

namespace flopledger {
namespace {

Exact powExact(const Exact& x, unsigned n) {
    return Exact(BigInt(pow(numerator(x), n)), BigInt(pow(denominator(x), n)));
}

}  // namespace

long wholeMonthsBetween(const Date& from, const Date& to) {
    long months = (static_cast<long>(to.year) - from.year) * 12 + (to.month - from.month);
    if (months > 0 && to.day < from.day) --months;
    if (months < 0 && to.day > from.day) ++months;
    return months;
}

double effectiveComputeThreshold(const ThresholdSpec& spec, const Date& date) {
    const double months = static_cast<double>(wholeMonthsBetween(spec.referenceDate, date));
    return toDouble(spec.value) * std::pow(2.0, -months / toDouble(spec.halvingMonths));
}

int compareWithEffectiveThreshold(const Exact& x, const ThresholdSpec& spec, long months) {
    // x vs E * 2^(-months/h). With months/h = a/b in lowest terms (b > 0):
    // x > E * 2^(-a/b)  <=>  x^b * 2^a > E^b  (a >= 0),  x^b > E^b * 2^(-a)  (a < 0).
    // Both sides are non-negative, so raising to the b-th power keeps the order: exact.
    if (x <= 0) return spec.value > 0 ? -1 : 0;
    const Exact r = Exact(months) / spec.halvingMonths;
    const BigInt a = numerator(r);
    const BigInt b = denominator(r);
    const auto bu = b.convert_to<unsigned>();
    Exact lhs = powExact(x, bu);
    Exact rhs = powExact(spec.value, bu);
    const BigInt absA = a < 0 ? BigInt(-a) : a;
    const BigInt twoPow = BigInt(1) << absA.convert_to<unsigned>();
    if (a >= 0)
        lhs *= Exact(twoPow);
    else
        rhs *= Exact(twoPow);
    return detail::compareExact(lhs, rhs);
}

}  // namespace flopledger
