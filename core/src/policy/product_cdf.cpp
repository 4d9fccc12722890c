#include "policy/product_cdf.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

namespace flopledger::inline v1::detail {
namespace {

// 8-point Gauss-Legendre on [-1, 1]: nodes +-x_i, weights w_i.
constexpr std::array<double, 4> kNode = {0.1834346424956498, 0.5255324099163290, 0.7966664774136267,
                                         0.9602898564975363};
constexpr std::array<double, 4> kWeight = {0.3626837833783620, 0.3137066458778873,
                                           0.2223810344533745, 0.1012285362903763};

bool isLog(const InputLaw& s) {
    return s.dist == Distribution::LogUniform && s.low > 0;
}

// The integral of f_X(n) F_Y(z / n) over n in [l, r], 0 < l < r, where neither changes formula,
// over t = ln n (the integrand f_X(n) n F_Y(z / n) is smooth in t: see productCdf).
double piece(const InputLaw& x, const InputLaw& y, double z, double l, double r) {
    const double tl = std::log(l), tr = std::log(r);
    const int parts = std::max(1, static_cast<int>(std::ceil(tr - tl)));
    const double h = (tr - tl) / parts;
    double total = 0;
    for (int p = 0; p < parts; ++p) {
        const double mid = tl + (p + 0.5) * h, half = 0.5 * h;
        double sum = 0;
        for (std::size_t i = 0; i < kNode.size(); ++i) {
            for (const double t : {mid - half * kNode[i], mid + half * kNode[i]}) {
                const double n = std::exp(t);
                // f_X(n) n: a log-uniform density times n is its constant, without rounding n.
                const double fn = isLog(x) ? 1 / (x.logHigh - x.logLow) : densityOf(x, n) * n;
                sum += kWeight[i] * fn * cdfOf(y, z / n);
            }
        }
        total += half * sum;
    }
    return total;
}

}  // namespace

double densityOf(const InputLaw& s, double q) {
    const double a = s.low, b = s.high;
    if (!(q >= a && q <= b) || !(b > a)) return 0;
    switch (s.dist) {
        case Distribution::LogUniform:
            if (a > 0) return 1 / (q * (s.logHigh - s.logLow));
            break;
        case Distribution::Triangular: {
            const double c = s.central;
            if (q <= c && c > a) return 2 * (q - a) / ((b - a) * (c - a));
            if (q >= c && b > c) return 2 * (b - q) / ((b - a) * (b - c));
            return 0;
        }
        case Distribution::Uniform:
            break;
    }
    return 1 / (b - a);
}

double productCdf(const InputLaw& x, const InputLaw& y, double z) {
    if (!(z > x.low * y.low)) return 0;
    if (!(z < x.high * y.high)) return 1;
    // A degenerate input is a constant (not drawn in practice).
    if (!(x.high > x.low)) return x.low > 0 ? cdfOf(y, z / x.low) : 1;
    if (!(y.high > y.low)) return y.low > 0 ? cdfOf(x, z / y.low) : 1;
    // The pieces: X's breakpoints and the n where z / n meets Y's.
    std::array<double, 8> cut{};
    std::size_t m = 0;
    cut[m++] = x.low;
    cut[m++] = x.high;
    if (x.dist == Distribution::Triangular && x.central > x.low && x.central < x.high)
        cut[m++] = x.central;
    for (const double b : {y.low, y.high, y.dist == Distribution::Triangular ? y.central : 0.0}) {
        if (!(b > 0)) continue;
        const double n = z / b;
        if (n > x.low && n < x.high) cut[m++] = n;
    }
    for (std::size_t i = 1; i < m; ++i)  // (insertion sort: at most 6 cuts)
        for (std::size_t j = i; j > 0 && cut[j] < cut[j - 1]; --j) std::swap(cut[j], cut[j - 1]);
    double total = 0;
    for (std::size_t i = 0; i + 1 < m; ++i) {
        const double l = cut[i], r = cut[i + 1];
        if (!(r > l)) continue;
        const double q = z / (0.5 * (l + r));  // Y's argument inside the piece
        if (!(q > y.low)) continue;            // F_Y(z / n) = 0 on the piece
        if (!(q < y.high)) {                   // F_Y(z / n) = 1: F_X's increase
            total += cdfOf(x, r) - cdfOf(x, l);
            continue;
        }
        total += piece(x, y, z, l, r);
    }
    return std::clamp(total, 0.0, 1.0);
}

}  // namespace flopledger::inline v1::detail
