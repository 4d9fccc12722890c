// Policy enum names and a policy's legal standing on a date (policy.hpp).
#include <flopledger/policy.hpp>

#include "policy/metrics.hpp"
#include "policy/policy_names.hpp"

namespace flopledger::inline v1 {

using detail::kLegalStatuses;
using detail::kVerdictStatuses;

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
    return i < detail::kMetricCount ? detail::metricTable()[i].name : std::string_view("?");
}

std::optional<LegalStatus> parseLegalStatus(std::string_view s) {
    for (std::size_t i = 0; i < kLegalStatuses.size(); ++i)
        if (kLegalStatuses[i] == s) return static_cast<LegalStatus>(i);
    return std::nullopt;
}

std::optional<Metric> parseMetric(std::string_view s) {
    for (const detail::MetricInfo& m : detail::metricTable())
        if (m.name == s) return m.metric;
    return std::nullopt;
}

std::vector<std::string_view> metricNames() {
    std::vector<std::string_view> out;
    for (const detail::MetricInfo& m : detail::metricTable()) out.push_back(m.name);
    return out;
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
