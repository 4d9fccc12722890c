#pragma once
// Private: the names of the policy enums as policy files spell them (one table each, in enum
// order), shared by the policy parser and the enum name functions.
#include <flopledger/policy.hpp>

#include <array>
#include <string_view>
#include <vector>

namespace flopledger::detail {

inline constexpr std::array<std::string_view, 9> kLegalStatuses = {
    "in-force",   "proposed", "vetoed",    "revoked",         "rescinded",
    "superseded", "guidance", "voluntary", "not-yet-in-force"};

inline constexpr std::array<std::string_view, 14> kMetrics = {
    "training-compute",  "largest-stage-compute",   "modification-compute", "compute-cost",
    "developer-revenue", "bio-sequence-share",      "generated-modalities", "weights",
    "distilled",         "parent-training-compute", "parent-compute-cost",  "cluster-peak",
    "cluster-network",   "single-datacenter"};

inline constexpr std::array<std::string_view, 5> kVerdictStatuses = {
    "exceeds", "below", "indeterminate", "unknown", "not-released"};

/// The unit each numeric metric is stated in; "" for the boolean metrics.
std::string_view unitOf(Metric m);
bool isClusterMetric(Metric m);

template <std::size_t N>
std::vector<std::string_view> names(const std::array<std::string_view, N>& a) {
    return {a.begin(), a.end()};
}

}  // namespace flopledger::detail
