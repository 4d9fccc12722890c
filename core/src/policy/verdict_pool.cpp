// The thread's pool of used verdict vectors (verdict_pool.hpp).
#include "policy/verdict_pool.hpp"

#include "base/exact_fast.hpp"

#include <utility>

namespace flopledger::inline v1::detail {
namespace {

constexpr std::size_t kPooled = 8;  // records in flight per thread are few

std::vector<std::vector<Verdict>>& pool() {
    thread_local std::vector<std::vector<Verdict>> p;
    return p;
}

}  // namespace

std::vector<Verdict> takeVerdicts() {
    if constexpr (!kFastPaths) return {};
    auto& p = pool();
    if (p.empty()) return {};
    std::vector<Verdict> v = std::move(p.back());
    p.pop_back();
    return v;
}

void giveBackVerdicts(std::vector<Verdict>&& verdicts) {
    if constexpr (!kFastPaths) return;
    auto& p = pool();
    if (p.size() >= kPooled || verdicts.empty()) return;
    p.push_back(std::move(verdicts));
    verdicts.clear();
}

void resetVerdict(Verdict& v) {
    // Every member of Verdict (policy.hpp): a new member must be reset here too.
    v.policy.clear();
    // title and notes are left for fillState, which assigns them into their storage.
    v.inForce = false;
    v.legalStatus.clear();
    v.status = VerdictStatus::Unknown;
    v.countedFlop.reset();
    v.threshold.reset();
    v.comparator.clear();
    v.marginLog10.reset();
    v.probability.reset();
    v.missing.clear();
    v.computeStatus.reset();
    v.reason.clear();
    v.lowerBound = false;
    v.disclosedStatus.reset();
    v.crossingFlop.reset();
    v.crossingRatio.reset();
    v.assumptions.clear();
}

void assignStrings(std::vector<std::string>& to, const std::vector<std::string>& from) {
    const std::size_t keep = std::min(to.size(), from.size());
    for (std::size_t i = 0; i < keep; ++i) to[i].assign(from[i]);
    if (to.size() > from.size())
        to.resize(from.size());
    else
        to.insert(to.end(), from.begin() + static_cast<std::ptrdiff_t>(keep), from.end());
}

}  // namespace flopledger::detail
