#pragma once
// Private: the one table of policy metrics: how a policy file names each metric, its unit, what
// kind of value it is, which records it applies to, whether it is counted under a scope, and
// how policy descriptions phrase it. Everything that asks "what is this metric" reads this
// table; only the value extractors (policy_evaluator.cpp, evaluator_draws.cpp,
// evaluator_cluster.cpp) switch over the metric itself.
#include <flopledger/policy.hpp>

#include <array>
#include <cstddef>
#include <string_view>

namespace flopledger::inline v1::detail {

/// What a metric's value is, which decides how a policy file states it and how it is compared.
enum class MetricKind : unsigned char {
    Compute,  ///< FLOP (or ops/s for clusters): exact interval, scientific notation
    Amount,   ///< USD, a fraction or Gbit/s: exact interval
    Boolean,  ///< a yes/no fact of the record ("equals" / "any_of" instead of a threshold)
};

/// How a metric relates to the stages of a record.
enum class MetricScope : unsigned char {
    None,    ///< not summed over stages
    Own,     ///< summed or selected over the stages a counting scope includes ("scope" allowed)
    Parent,  ///< the parent's value, counted under the policy's scope
};

struct MetricInfo {
    Metric metric;
    std::string_view name;  ///< the policy files' spelling ("training-compute")
    std::string_view unit;  ///< the unit a threshold is stated in; "" for Boolean metrics
    MetricKind kind;
    bool cluster;  ///< applies to cluster records (else to model records)
    MetricScope scope;
    std::string_view phrase;  ///< how policy descriptions name it
};

inline constexpr std::size_t kMetricCount = 15;

/// Every metric, in enum order.
const std::array<MetricInfo, kMetricCount>& metricTable();

/// The table's row of m.
const MetricInfo& metricInfo(Metric m);

/// This model's own counted compute (training, largest stage, modification): the metrics a
/// verdict's compute fields and frontier-rank thresholds are about.
inline bool isOwnCompute(Metric m) {
    const MetricInfo& i = metricInfo(m);
    return i.kind == MetricKind::Compute && i.scope == MetricScope::Own;
}

}  // namespace flopledger::detail
