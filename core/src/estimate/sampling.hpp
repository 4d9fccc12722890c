#pragma once
// Private: the Monte Carlo entry the policy evaluator uses (defined in monte_carlo.cpp).
#include <flopledger/monte_carlo.hpp>

#include <cmath>
#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

namespace flopledger::inline v1::detail {

// The one random generator of every Monte Carlo (records and clusters): xoshiro256** seeded by
// splitmix64, and doubles from its top 53 bits, written out because std::*_distribution output
// is library-defined: the same seed must give the same probabilities on every platform.
inline std::uint64_t splitmix64(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

class Xoshiro256 {
public:
    explicit Xoshiro256(std::uint64_t seed) {
        for (auto& w : s_) w = splitmix64(seed);
    }
    std::uint64_t next() {
        const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
        const std::uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }
    /// Uniform on [0, 1): the top 53 bits scaled by 2^-53, exact in binary64.
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    std::uint64_t s_[4];
};

inline std::uint64_t fnv1a(std::string_view s) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned char c : s) {
        h ^= c;
        h *= 0x100000001b3ULL;
    }
    return h;
}

/// One draw of q with its distribution (uniform, log-uniform, triangular) from rng, the formulas
/// of the records' draws; q's central value, without drawing, when it is not uncertain.
double sampleQuantity(const Quantity& q, Xoshiro256& rng);

/// sampleQuantity with what does not change between draws (q's bounds as doubles, their logs)
/// worked out once: next(rng) is sampleQuantity(q, rng), the same doubles and random numbers.
class QuantitySampler {
public:
    explicit QuantitySampler(const Quantity& q);
    double next(Xoshiro256& rng) const;

private:
    bool drawn_ = false;
    double point_ = 0;  // not drawn: the central value
    double low_ = 0, central_ = 0, high_ = 0, logLow_ = 0, logHigh_ = 0;
    Distribution dist_ = Distribution::Uniform;
};

/// forEachSample, except that per draw only the stages with a non-zero `needed[i]` are
/// recomputed; the others keep their value for the record's central inputs when no draw reaches
/// them, else 0 (the caller does not read them). The random numbers, their order and every
/// needed stage's value are exactly those of forEachSample.
void forEachSampleOf(const Estimator& estimator, const ModelRecord& record,
                     const ModelEstimate& estimate, const MonteCarloOptions& options,
                     const std::vector<char>& needed, const std::function<void(const Sample&)>& fn);

/// c x prod_k ratio[k]^e_k, e_k the 2 bits of exps at 2k (SampleEngine::useProducts).
inline double productOfRatios(const double* ratio, double c, std::uint32_t exps) {
    double v = c;
    for (std::size_t k = 0; exps != 0; ++k, exps >>= 2U) {
        const double r = ratio[k];
        switch (exps & 3U) {
            case 1:
                v *= r;
                break;
            case 2:
                v *= r * r;
                break;
            case 3:
                v *= r * r * r;
                break;
            default:
                break;
        }
    }
    return v;
}

/// An uncertain input's distribution as the deterministic method reads it (SampleEngine::law).
struct InputLaw {
    Distribution dist = Distribution::Uniform;
    double low = 0, central = 0, high = 0;
    double logLow = 0, logHigh = 0;  ///< log-uniform with low > 0
};

/// The input's distribution function at q (SampleEngine::cdf), inline for the integration lines.
inline double cdfOf(const InputLaw& s, double q) {
    const double a = s.low, b = s.high;
    if (!(q > a)) return 0;
    if (!(q < b)) return 1;
    switch (s.dist) {
        case Distribution::LogUniform:
            if (a > 0) return (std::log(q) - s.logLow) / (s.logHigh - s.logLow);
            break;  // drawn uniform (see draw)
        case Distribution::Triangular: {
            const double c = s.central;
            if (q <= c) return c > a ? (q - a) * (q - a) / ((b - a) * (c - a)) : 0;
            return b > c ? 1 - (b - q) * (b - q) / ((b - a) * (b - c)) : 1;
        }
        case Distribution::Uniform:
            break;
    }
    return (q - a) / (b - a);
}

/// A record's stages as functions of its uncertain inputs: set each input's value, evaluate, read
/// sample().stageFlop/stageRecompute. Built once per record with what forEachSampleOf builds (the
/// plans, what does not vary); an evaluation is exactly one Monte Carlo draw's arithmetic. The
/// deterministic probabilities (policy/evaluator_quadrature.cpp) evaluate it at chosen points.
class SampleEngine {
public:
    SampleEngine(const Estimator& estimator, const ModelRecord& record,
                 const std::vector<char>& needed);
    ~SampleEngine();
    SampleEngine(const SampleEngine&) = delete;
    SampleEngine& operator=(const SampleEngine&) = delete;

    /// The uncertain inputs ("slots", in forEachQuantity order, as the draws take them).
    std::size_t inputCount() const;
    std::size_t inputIndex(std::size_t k) const;  ///< its position in Sample::quantities
    int inputOf(const Quantity& q) const;         ///< q's input, or -1 when q is not drawn
    /// The inputs stage i's value reads: bit k for input k (every bit: input 64 or later).
    std::uint64_t stageInputs(std::size_t stage) const;
    double low(std::size_t k) const;
    double high(std::size_t k) const;
    /// Input k's value at quantile u (the draws' formula), and its distribution function.
    double quantile(std::size_t k, double u) const;
    double cdf(std::size_t k, double q) const;
    InputLaw law(std::size_t k) const;  ///< what cdf(k, q) reads: cdfOf(law(k), q) is cdf(k, q)

    void set(std::size_t k, double value);
    void evaluate();  ///< recomputes the needed stages that vary from the inputs set
    /// When every needed varying stage is a product of powers of its inputs (6ND, hardware,
    /// tokens = examples x length: fitted once and checked at many points), evaluate()
    /// computes each as its value at the medians times the inputs' ratios to their medians
    /// while `on`: a few multiplications instead of the stage's plan, equal to within a few
    /// units in the last place. Returns whether it does; useProducts(false) goes back to the
    /// plans (the same doubles as before any fit). Fitting leaves the inputs at their medians.
    /// The deterministic method only (its fast path, and with the fast paths ON and OFF alike
    /// the product of two inputs, policy/pair_line.hpp); the draws never call it.
    bool useProducts(bool on = true);
    /// After useProducts() returned true: every stage's FLOP and recompute FLOP as polynomials
    /// in input k's value (degree <= 3; 4 coefficients per stage, constant first), the other
    /// inputs as set. With `varyingOnly`, only the varying stages' are rewritten (the vectors
    /// hold the others' from an earlier call along the same input).
    void productsAlong(std::size_t k, std::vector<double>& flop, std::vector<double>& recompute,
                       bool varyingOnly) const;
    /// After useProducts() returned true: input k's median, and stage i's products when it
    /// varies (value at the medians, 2-bit exponents per input; false: a constant stage).
    double median(std::size_t k) const;
    bool stageProduct(std::size_t stage, double& flop, std::uint32_t& flopExp, double& recompute,
                      std::uint32_t& recomputeExp) const;
    Sample& sample();
    const Sample& sample() const;

    struct State;

private:
    friend void forEachSampleOf(const Estimator&, const ModelRecord&, const ModelEstimate&,
                                const MonteCarloOptions&, const std::vector<char>&,
                                const std::function<void(const Sample&)>&);
    bool fitProducts();
    std::unique_ptr<State> s_;
};

}  // namespace flopledger::inline v1::detail
