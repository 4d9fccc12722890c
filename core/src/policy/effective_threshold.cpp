#include "policy/effective_threshold.hpp"

#include "base/exact_fast.hpp"

#include <cmath>
#include <stdexcept>

namespace flopledger::inline v1::detail {
namespace {

Exact powExact(const Exact& x, unsigned n) {
    return Exact(BigInt(pow(numerator(x), n)), BigInt(pow(denominator(x), n)));
}

// floor(x) for x >= 0.
BigInt floorOf(const Exact& x) {
    return numerator(x) / denominator(x);
}

}  // namespace

// A pre-check only: compareEffective trusts it when the logarithms differ by more than its
// margin and otherwise decides with exact powers, so no verdict rests on this double.
double effectiveThresholdLog10(const ThresholdSpec& spec, long months) {
    if (spec.value <= 0 || spec.halvingMonths <= 0) return -HUGE_VAL;
    const double ratio = static_cast<double>(months) / toDouble(spec.halvingMonths);
    return log10Exact(spec.value) - ratio * std::log10(2.0);
}

Exact roundSignificant(const Exact& x, int digits) {
    if (x <= 0 || digits < 1) return Exact(0);
    // e = floor(log10 x), corrected where the double log is off by one near a power of ten.
    auto e = static_cast<int>(std::floor(log10Exact(x)));
    while (x < pow10(e)) --e;
    while (x >= pow10(e + 1)) ++e;
    const int shift = digits - 1 - e;
    const Exact scaled = x * pow10(shift);  // in [10^(digits-1), 10^digits)
    BigInt m = floorOf(scaled);
    const Exact rest = scaled - Exact(m);
    if (rest > Exact(1, 2) || (rest == Exact(1, 2) && (m & 1) != 0)) ++m;
    return Exact(m) / pow10(shift);
}

// The threshold as printed (7 significant digits): the doubles below only choose the digits
// shown; no verdict compares against this value (compareEffective decides exactly).
Exact effectiveThresholdShown(const ThresholdSpec& spec, long months, int digits) {
    if (spec.value <= 0) return Exact(0);
    // A normal double holds the threshold to 16 digits: exact as a dyadic rational, then
    // rounded exactly (the same digits printf's %.6e gave, without its text).
    const double ratio = static_cast<double>(months) / toDouble(spec.halvingMonths);
    const double v = toDouble(spec.value) * std::exp2(-ratio);
    if (std::isnormal(v)) return roundSignificant(Exact(v), digits);
    // Beyond double range (dates centuries away): from the logarithm, enough for 7 digits
    // (display digits only, like the double above; verdicts use compareEffective).
    const long double l = effectiveThresholdLog10(spec, months);
    auto e = static_cast<long>(std::floor(l));
    long double mant = std::pow(10.0L, l - static_cast<long double>(e) + (digits - 1));
    auto m = static_cast<long long>(std::llround(mant));
    long long top = 1;
    for (int i = 0; i < digits; ++i) top *= 10;
    if (m >= top) {
        m /= 10;
        ++e;
    }
    const long shift = static_cast<long>(digits - 1) - e;
    if (shift > 100000 || shift < -100000)
        throw std::range_error("effective threshold out of range");
    return Exact(m) / pow10(static_cast<int>(shift));
}

int compareEffective(const Exact& x, const ThresholdSpec& spec, long months) {
    // x vs E * 2^(-months/h). With months/h = a/b in lowest terms (b > 0):
    // x > E * 2^(-a/b)  <=>  x^b * 2^a > E^b  (a >= 0),  x^b > E^b * 2^(-a)  (a < 0).
    // Both sides are non-negative, so raising to the b-th power keeps the order: exact.
    if (x <= 0) return spec.value > 0 ? -1 : 0;
    if (spec.value <= 0) return 1;
    const double diff = log10Exact(x) - effectiveThresholdLog10(spec, months);
    // Both logarithms are accurate to ~1e-15 relative (|log| < 1e6 here): 1e-9 is safe.
    if (diff > 1e-9) return 1;
    if (diff < -1e-9) return -1;
    const Exact r = Exact(months) / spec.halvingMonths;
    const BigInt a = numerator(r);
    const BigInt b = denominator(r);
    if (b > kMaxHalvingNumerator) {
        // policy_parse refuses such periods; a hand-built spec must not cost seconds either.
        throw std::range_error("effective-compute comparison: halving period too fine");
    }
    const auto bu = b.convert_to<unsigned>();
    Exact lhs = powExact(x, bu);
    Exact rhs = powExact(spec.value, bu);
    const BigInt absA = a < 0 ? BigInt(-a) : a;
    const BigInt twoPow = BigInt(1) << absA.convert_to<unsigned>();
    if (a >= 0)
        lhs *= Exact(twoPow);
    else
        rhs *= Exact(twoPow);
    return compareExact(lhs, rhs);
}

}  // namespace flopledger::detail
