#pragma once
// Seeded Monte Carlo over a record's uncertain inputs. Probabilities are approximations by
// nature, so samples are evaluated in double precision; decisions (exceeds/below/indeterminate)
// never use this, only the exact intervals.
#include <flopledger/estimate.hpp>

#include <cstdint>
#include <functional>
#include <vector>

namespace flopledger {
inline namespace v1 {

/// How an indeterminate verdict's probability is computed (docs/methodology.md, "Probabilities").
enum class ProbabilityMethod {
    /// The default: exact (closed form under the input's distribution) when one uncertain input
    /// moves the criteria, quadrature or quasi-Monte Carlo with a stated error beyond.
    Deterministic,
    /// `samples` seeded draws: the reference implementation.
    MonteCarlo,
};

struct MonteCarloOptions {
    /// Draws per record with ProbabilityMethod::MonteCarlo; 0: no probabilities (either method).
    int samples = 2000;
    std::uint64_t seed = 0x5eed5eedULL;  ///< fixed: identical inputs give identical probabilities
    ProbabilityMethod method = ProbabilityMethod::Deterministic;
};

/// One joint draw of a record's uncertain inputs and the estimate they imply.
struct Sample {
    std::vector<double> quantities;      ///< value of each uncertain Quantity, by its sampleIndex
    std::vector<double> stageFlop;       ///< model FLOP of each stage (same order as the estimate)
    std::vector<double> stageRecompute;  ///< recompute hardware FLOP of each stage (0 if none)

    /// The sampled value of q (its central value when q is a point).
    double value(const Quantity& q) const;
};

/// Draws `options.samples` joint samples (each uncertain quantity independently from its
/// distribution: uniform, log-uniform or triangular with mode `central`) and calls `fn` for
/// each. The stream depends only on the seed, the record and the options: deterministic.
void forEachSample(const Estimator& estimator, const ModelRecord& record,
                   const ModelEstimate& estimate, const MonteCarloOptions& options,
                   const std::function<void(const Sample&)>& fn);

}  // inline namespace v1
}  // namespace flopledger
