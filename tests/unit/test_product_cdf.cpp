// policy/product_cdf.hpp: P(X Y <= z) for two independent inputs, each uniform, log-uniform or
// triangular, against an independent numerical integration: an adaptive Simpson rule over X's
// support of f_X(x) F_Y(z / x), with the densities and distribution functions written out here
// from their textbook formulas (not the library's), to 1e-12.
#include "policy/product_cdf.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <functional>

using namespace flopledger;
using flopledger::detail::InputLaw;

namespace {

double pdf(const InputLaw& s, double x) {
    const double a = s.low, b = s.high, c = s.central;
    if (x < a || x > b) return 0;
    switch (s.dist) {
        case Distribution::LogUniform:
            return 1 / (x * std::log(b / a));
        case Distribution::Triangular:
            return x <= c ? 2 * (x - a) / ((b - a) * (c - a)) : 2 * (b - x) / ((b - a) * (b - c));
        case Distribution::Uniform:
            break;
    }
    return 1 / (b - a);
}

double cdf(const InputLaw& s, double y) {
    const double a = s.low, b = s.high, c = s.central;
    if (y <= a) return 0;
    if (y >= b) return 1;
    switch (s.dist) {
        case Distribution::LogUniform:
            return std::log(y / a) / std::log(b / a);
        case Distribution::Triangular:
            return y <= c ? (y - a) * (y - a) / ((b - a) * (c - a))
                          : 1 - (b - y) * (b - y) / ((b - a) * (b - c));
        case Distribution::Uniform:
            break;
    }
    return (y - a) / (b - a);
}

double simpson(const std::function<double(double)>& f, double a, double b, double fa, double fm,
               double fb, double whole, double tol, int depth) {
    const double m = 0.5 * (a + b), lm = 0.5 * (a + m), rm = 0.5 * (m + b);
    const double flm = f(lm), frm = f(rm);
    const double left = (m - a) / 6 * (fa + 4 * flm + fm),
                 right = (b - m) / 6 * (fm + 4 * frm + fb);
    if (depth <= 0 || std::abs(left + right - whole) <= 15 * tol)
        return left + right + (left + right - whole) / 15;
    return simpson(f, a, m, fa, flm, fm, left, tol / 2, depth - 1) +
           simpson(f, m, b, fm, frm, fb, right, tol / 2, depth - 1);
}

double reference(const InputLaw& x, const InputLaw& y, double z) {
    const auto f = [&](double n) { return pdf(x, n) * cdf(y, z / n); };
    // 256 cells first: Simpson's rule must not take a zero at its first five points for a
    // zero function (a triangular density vanishes at both ends).
    constexpr int kCells = 256;
    double total = 0;
    for (int i = 0; i < kCells; ++i) {
        const double a = x.low + (x.high - x.low) * i / kCells;
        const double b = x.low + (x.high - x.low) * (i + 1) / kCells, m = 0.5 * (a + b);
        const double fa = f(a), fm = f(m), fb = f(b);
        total += simpson(f, a, b, fa, fm, fb, (b - a) / 6 * (fa + 4 * fm + fb), 1e-15, 30);
    }
    return total;
}

InputLaw law(Distribution d, double low, double central, double high) {
    InputLaw s;
    s.dist = d;
    s.low = low;
    s.central = central;
    s.high = high;
    if (d == Distribution::LogUniform) {
        s.logLow = std::log(low);
        s.logHigh = std::log(high);
    }
    return s;
}

}  // namespace

TEST_CASE("product of two inputs: distribution function against numerical integration",
          "[product-cdf][probability]") {
    // A fixed linear congruential generator: the same parameter sets on every platform.
    std::uint64_t state = 12345;
    const auto next = [&] {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<double>(state >> 11) * 0x1.0p-53;
    };
    const Distribution laws[] = {Distribution::Uniform, Distribution::LogUniform,
                                 Distribution::Triangular};
    double worst = 0;
    int compared = 0;
    for (int round = 0; round < 20; ++round) {
        for (const Distribution dx : laws) {
            for (const Distribution dy : laws) {
                // Widths from 1.05x to 300x, in units near those of parameters and tokens.
                const auto make = [&](Distribution d, double scale) {
                    const double low = scale * (0.2 + next());
                    const double high = low * std::exp(0.05 + 5.7 * next() * next());
                    return law(d, low, low + (high - low) * next(), high);
                };
                const InputLaw x = make(dx, 1e11), y = make(dy, 1e13);
                for (int i = 0; i < 5; ++i) {
                    // z across the product's support, past both ends too.
                    const double lo = std::log(x.low * y.low), hi = std::log(x.high * y.high);
                    const double z = std::exp(lo + (hi - lo) * (1.2 * next() - 0.1));
                    const double got = detail::productCdf(x, y, z);
                    const double want = reference(x, y, z);
                    INFO("laws " << static_cast<int>(dx) << "," << static_cast<int>(dy) << " z "
                                 << z);
                    CHECK(std::abs(got - want) <= 1e-10);
                    worst = std::max(worst, std::abs(got - want));
                    ++compared;
                }
            }
        }
    }
    CHECK(compared == 900);
    WARN("largest difference from adaptive Simpson: " << worst);
}

TEST_CASE("product of two inputs: hand-derived values", "[product-cdf][probability]") {
    // X, Y uniform on [0, 1]: P(XY <= z) = z - z ln z.
    const InputLaw u = law(Distribution::Uniform, 0, 0.5, 1);
    for (const double z : {0.01, 0.25, 0.5, 0.9})
        CHECK(detail::productCdf(u, u, z) == Approx(z - z * std::log(z)).epsilon(1e-12));
    // X, Y log-uniform on [1, e]: ln X + ln Y is the sum of two uniforms on [0, 1], triangular
    // on [0, 2]: P(XY <= e^s) = s^2 / 2 for s <= 1, 1 - (2 - s)^2 / 2 above.
    const InputLaw l = law(Distribution::LogUniform, 1, 1.5, std::exp(1.0));
    CHECK(detail::productCdf(l, l, std::exp(0.6)) == Approx(0.18).epsilon(1e-12));
    CHECK(detail::productCdf(l, l, std::exp(1.5)) == Approx(1 - 0.125).epsilon(1e-12));
    // Outside the support, and a point mass of the product at neither end.
    CHECK(detail::productCdf(l, l, 0.5) == 0);
    CHECK(detail::productCdf(l, l, 8) == 1);
    // Triangular X on [1, 3] with mode 2 (symmetric) times Y uniform on [1, 1.0000001]: nearly X.
    const InputLaw t = law(Distribution::Triangular, 1, 2, 3);
    const InputLaw narrow = law(Distribution::Uniform, 1, 1, 1 + 1e-7);
    CHECK(detail::productCdf(t, narrow, 2 * (1 + 0.5e-7)) == Approx(0.5).margin(1e-6));
}
