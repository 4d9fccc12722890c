// The thread's pool of used verdict vectors (verdict_pool.hpp).
#include "policy/verdict_pool.hpp"

#include "base/exact_fast.hpp"

#include <array>
#include <utility>

namespace flopledger::inline v1::detail {
namespace {

constexpr std::size_t kPooled = 8;  // records in flight per thread are few

struct Pooled {
    std::vector<Verdict> verdicts;
    std::uint64_t evaluator = 0;  // 0: not known
    long day = 0;                 // the date the verdicts were made for (with `evaluator`)
};

std::vector<Pooled>& pool() {
    thread_local std::vector<Pooled> p;
    return p;
}

// Which evaluator made the thread's last few verdict vectors (by buffer address).
struct Made {
    const Verdict* data = nullptr;
    std::uint64_t evaluator = 0;
    long day = 0;
};
std::array<Made, kPooled * 2>& made() {
    thread_local std::array<Made, kPooled * 2> m;
    return m;
}

}  // namespace

std::vector<Verdict> takeVerdicts(std::uint64_t evaluatorId, bool& sameEvaluator, long& day) {
    sameEvaluator = false;
    day = 0;
    if constexpr (!kFastPaths) return {};
    auto& p = pool();
    if (p.empty()) return {};
    std::size_t pick = p.size() - 1;
    for (std::size_t i = 0; i < p.size(); ++i)
        if (p[i].evaluator == evaluatorId) pick = i;
    sameEvaluator = p[pick].evaluator == evaluatorId;
    day = p[pick].day;
    std::vector<Verdict> v = std::move(p[pick].verdicts);
    p.erase(p.begin() + static_cast<std::ptrdiff_t>(pick));
    return v;
}

void madeVerdicts(const std::vector<Verdict>& verdicts, std::uint64_t evaluatorId, long day) {
    if constexpr (!kFastPaths) return;
    thread_local std::size_t next = 0;
    auto& m = made();
    for (Made& e : m)
        if (e.data == verdicts.data()) {
            e.evaluator = evaluatorId;
            e.day = day;
            return;
        }
    m[next++ % m.size()] = Made{verdicts.data(), evaluatorId, day};
}

void giveBackVerdicts(std::vector<Verdict>&& verdicts) {
    if constexpr (!kFastPaths) return;
    auto& p = pool();
    if (p.size() >= kPooled || verdicts.empty()) return;
    std::uint64_t evaluator = 0;
    long day = 0;
    for (Made& e : made())
        if (e.data == verdicts.data()) {
            evaluator = e.evaluator;
            day = e.day;
            e = Made{};  // the buffer changes hands: a later vector there is another's
        }
    p.push_back(Pooled{std::move(verdicts), evaluator, day});
    verdicts.clear();
}

void resetVerdict(Verdict& v) {
    // Every member of Verdict (policy.hpp): a new member must be reset here too.
    // policy, title, legal status and notes are left for fillState, which assigns them into
    // their storage (or keeps them: the same policy's verdict from the same evaluator).
    v.inForce = false;
    v.status = VerdictStatus::Unknown;
    // countedFlop, threshold and comparator keep their values: fillPrimary (record_metrics.cpp)
    // assigns into their storage (the comparator when it differs) or resets them.
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

}  // namespace flopledger::inline v1::detail
