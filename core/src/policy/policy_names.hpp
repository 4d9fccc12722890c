#pragma once
// Private: the names of the policy enums as policy files spell them (one table each, in enum
// order), shared by the policy parser and the enum name functions. Metric names are in the
// metric table (metrics.hpp).
#include <flopledger/policy.hpp>

#include <array>
#include <string_view>
#include <vector>

namespace flopledger::inline v1::detail {

inline constexpr std::array<std::string_view, 9> kLegalStatuses = {
    "in-force",   "proposed", "vetoed",    "revoked",         "rescinded",
    "superseded", "guidance", "voluntary", "not-yet-in-force"};

inline constexpr std::array<std::string_view, 5> kVerdictStatuses = {
    "exceeds", "below", "indeterminate", "unknown", "not-released"};

template <std::size_t N>
std::vector<std::string_view> names(const std::array<std::string_view, N>& a) {
    return {a.begin(), a.end()};
}

}  // namespace flopledger::detail
