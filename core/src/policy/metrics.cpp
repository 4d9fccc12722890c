// The metric table (metrics.hpp).
#include "policy/metrics.hpp"

#include <stdexcept>

namespace flopledger::inline v1::detail {

namespace {

using K = MetricKind;
using S = MetricScope;

constexpr std::array<MetricInfo, kMetricCount> kTable = {{
    {Metric::TrainingCompute, "training-compute", "FLOP", K::Compute, false, S::Own,
     "training compute"},
    {Metric::LargestStageCompute, "largest-stage-compute", "FLOP", K::Compute, false, S::Own,
     "largest single training stage"},
    {Metric::ModificationCompute, "modification-compute", "FLOP", K::Compute, false, S::Own,
     "modification compute"},
    {Metric::ComputeCost, "compute-cost", "USD", K::Amount, false, S::Own, "compute cost"},
    {Metric::DeveloperRevenue, "developer-revenue", "USD", K::Amount, false, S::None,
     "developer revenue"},
    {Metric::BioSequenceShare, "bio-sequence-share", "fraction", K::Amount, false, S::None,
     "biological-sequence share of the training data"},
    {Metric::GeneratedModalities, "generated-modalities", "", K::Boolean, false, S::None,
     "generates"},
    {Metric::Weights, "weights", "", K::Boolean, false, S::None, "weights"},
    {Metric::Distilled, "distilled", "", K::Boolean, false, S::None, "distilled"},
    {Metric::ParentTrainingCompute, "parent-training-compute", "FLOP", K::Compute, false, S::Parent,
     "parent's training compute"},
    {Metric::ParentComputeCost, "parent-compute-cost", "USD", K::Amount, false, S::Parent,
     "parent's compute cost"},
    {Metric::ClusterPeak, "cluster-peak", "ops/s", K::Compute, true, S::None,
     "cluster peak (dense)"},
    {Metric::ClusterNetwork, "cluster-network", "Gbit/s", K::Amount, true, S::None,
     "network bandwidth"},
    {Metric::SingleDatacenter, "single-datacenter", "", K::Boolean, true, S::None,
     "single datacenter"},
    {Metric::DeclaredFact, "declared-fact", "", K::Boolean, false, S::None, "declared fact"},
}};

constexpr bool inEnumOrder() {
    for (std::size_t i = 0; i < kTable.size(); ++i)
        if (static_cast<std::size_t>(kTable[i].metric) != i) return false;
    return true;
}
static_assert(inEnumOrder(), "the metric table lists every Metric in enum order");

}  // namespace

const std::array<MetricInfo, kMetricCount>& metricTable() {
    return kTable;
}

const MetricInfo& metricInfo(Metric m) {
    const auto i = static_cast<std::size_t>(m);
    if (i >= kTable.size()) throw std::logic_error("metricInfo: not a Metric");
    return kTable[i];
}

}  // namespace flopledger::detail
