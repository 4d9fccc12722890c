#pragma once
// Private: the Monte Carlo entry the policy evaluator uses (defined in monte_carlo.cpp).
#include <flopledger/monte_carlo.hpp>

#include <functional>
#include <vector>

namespace flopledger::detail {

/// forEachSample, except that per draw only the stages with a non-zero `needed[i]` are
/// recomputed; the others keep their value for the record's central inputs when no draw reaches
/// them, else 0 (the caller does not read them). The random numbers, their order and every
/// needed stage's value are exactly those of forEachSample.
void forEachSampleOf(const Estimator& estimator, const ModelRecord& record,
                     const ModelEstimate& estimate, const MonteCarloOptions& options,
                     const std::vector<char>& needed, const std::function<void(const Sample&)>& fn);

}  // namespace flopledger::detail
