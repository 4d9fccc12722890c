// Policy enum names and a policy's legal standing on a date (policy.hpp).
#include <flopledger/policy.hpp>

#include "policy/policy_names.hpp"

namespace flopledger {

using detail::kLegalStatuses;
using detail::kMetrics;
using detail::kVerdictStatuses;

std::string_view detail::unitOf(Metric m) {
    switch (m) {
        case Metric::TrainingCompute:
        case Metric::LargestStageCompute:
        case Metric::ModificationCompute:
        case Metric::ParentTrainingCompute:
            return "FLOP";
        case Metric::ComputeCost:
        case Metric::DeveloperRevenue:
        case Metric::ParentComputeCost:
            return "USD";
        case Metric::BioSequenceShare:
            return "fraction";
        case Metric::ClusterPeak:
            return "ops/s";
        case Metric::ClusterNetwork:
            return "Gbit/s";
        case Metric::GeneratedModalities:
        case Metric::Weights:
        case Metric::Distilled:
        case Metric::SingleDatacenter:
            return "";
    }
    return "";
}

bool detail::isClusterMetric(Metric m) {
    return m == Metric::ClusterPeak || m == Metric::ClusterNetwork || m == Metric::SingleDatacenter;
}

std::string_view toString(VerdictStatus s) {
    const auto i = static_cast<std::size_t>(s);
    return i < kVerdictStatuses.size() ? kVerdictStatuses[i] : std::string_view("?");
}

std::string_view toString(PolicyKind k) {
    switch (k) {
        case PolicyKind::Model:
            return "model";
        case PolicyKind::Cluster:
            return "cluster";
        case PolicyKind::ModelAndCluster:
            return "model-and-cluster";
    }
    return "?";
}

std::string_view toString(LegalStatus s) {
    const auto i = static_cast<std::size_t>(s);
    return i < kLegalStatuses.size() ? kLegalStatuses[i] : std::string_view("?");
}

std::string_view toString(Comparator c) {
    switch (c) {
        case Comparator::Greater:
            return ">";
        case Comparator::GreaterEqual:
            return ">=";
        case Comparator::Less:
            return "<";
        case Comparator::LessEqual:
            return "<=";
        case Comparator::Unstated:
            return "unstated";
    }
    return "?";
}

std::string_view toString(Metric m) {
    const auto i = static_cast<std::size_t>(m);
    return i < kMetrics.size() ? kMetrics[i] : std::string_view("?");
}

std::optional<LegalStatus> parseLegalStatus(std::string_view s) {
    for (std::size_t i = 0; i < kLegalStatuses.size(); ++i)
        if (kLegalStatuses[i] == s) return static_cast<LegalStatus>(i);
    return std::nullopt;
}

std::optional<Metric> parseMetric(std::string_view s) {
    for (std::size_t i = 0; i < kMetrics.size(); ++i)
        if (kMetrics[i] == s) return static_cast<Metric>(i);
    return std::nullopt;
}

std::vector<std::string_view> metricNames() {
    return detail::names(kMetrics);
}

PolicyState Policy::stateOn(const Date& date) const {
    PolicyState state;
    for (const StatusEvent& e : history) {
        if (date < e.date) break;
        state.inForce = e.inForce;
        state.legalStatus = e.legalStatus;
        state.lastEvent = &e;
    }
    return state;
}

}  // namespace flopledger
