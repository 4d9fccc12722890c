// The evaluator's per-leaf outcomes kept for explainVerdicts (leaf_results.hpp).
#include "policy/leaf_results.hpp"

#include "base/exact_fast.hpp"

#include <flopledger/provenance.hpp>
#include <flopledger/verdict_explain.hpp>

#include <algorithm>
#include <mutex>
#include <utility>

namespace flopledger::inline v1::detail {

namespace {

std::mutex liveMutex;
std::vector<std::uint64_t>& liveIds() {
    static std::vector<std::uint64_t> ids;
    return ids;
}

}  // namespace

LiveEvaluator::LiveEvaluator(std::uint64_t i) : id(i) {
    const std::lock_guard<std::mutex> lock(liveMutex);
    liveIds().push_back(id);
}

LiveEvaluator::~LiveEvaluator() {
    if (threadLeafResults().evaluator == id) threadLeafResults().forget();
    const std::lock_guard<std::mutex> lock(liveMutex);
    auto& ids = liveIds();
    ids.erase(std::remove(ids.begin(), ids.end(), id), ids.end());
}

bool LiveEvaluator::alive(std::uint64_t id) {
    const std::lock_guard<std::mutex> lock(liveMutex);
    const auto& ids = liveIds();
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

LeafResults& threadLeafResults() {
    thread_local LeafResults results;
    return results;
}

void keepLeafResults(const EvaluatorState& state, const ModelRecord& record,
                     const ModelEstimate& estimate, const Date& asOf,
                     const std::vector<Verdict>& verdicts,
                     const std::vector<LeafOutcome>& outcomes) {
    LeafResults& r = threadLeafResults();
    r.forget();
    // The policies, trees and offsets are the evaluator's (ids are never reused): listed once,
    // then only the primary bounds change from record to record.
    if (r.perVerdictOf != state.id) {
        r.perVerdict.clear();
        for (const CompiledPolicy& cp : state.compiled) {
            if (!cp.model) continue;
            LeafResults::PerVerdict& pv = r.perVerdict.emplace_back();
            pv.policy = cp.policy;
            pv.tree = &*cp.model;
            pv.offset = cp.modelOffset;
            const CompiledTree& t = *cp.model;
            if (t.primary >= 0 && !t.nodes.empty() && cp.policy->conditions &&
                t.nodes.front().cond == &*cp.policy->conditions) {
                const Condition& c = *t.nodes[static_cast<std::size_t>(t.primary)].cond;
                pv.primaryCond = &c;
                pv.primaryScope = &leafScope(*cp.policy, c);
                const bool exact = c.threshold.kind == ThresholdKind::Constant ||
                                   c.threshold.kind == ThresholdKind::EffectiveCompute;
                const bool compute =
                    c.metric == Metric::TrainingCompute || c.metric == Metric::LargestStageCompute;
                pv.exactCompute[0] = exact && compute;
                pv.exactCompute[1] = exact && (compute || c.metric == Metric::ModificationCompute);
            }
        }
        r.perVerdictOf = state.id;
    }
    for (LeafResults::PerVerdict& pv : r.perVerdict)
        pv.primaryUnbounded =
            pv.tree->primary >= 0 &&
            outcomes[pv.offset + static_cast<std::size_t>(pv.tree->primary)].metric().unboundedHigh;
    if (r.perVerdict.size() != verdicts.size()) return;  // not the evaluator's own verdicts
    // Every node's outcome: the evaluator's walk (evalTreeKeeping) kept the combinations' too.
    r.tris.resize(outcomes.size());
    for (std::size_t i = 0; i < outcomes.size(); ++i) r.tris[i] = outcomes[i].tri;
    r.evaluator = state.id;
    r.recordId.assign(record.id);
    r.record = &record;
    r.estimate = &estimate;
    r.day = asOf.daysSinceEpoch();
    r.verdicts = verdicts.data();
    r.count = verdicts.size();
}

const LeafResults* takeLeafResults(const ModelRecord& record, const ModelEstimate& estimate,
                                   const Date& asOf, const std::vector<Verdict>& verdicts) {
    if constexpr (!kFastPaths) return nullptr;
    LeafResults& kept = threadLeafResults();
    if (kept.record != &record || kept.estimate != &estimate || kept.verdicts != verdicts.data() ||
        kept.count != verdicts.size() || kept.day != asOf.daysSinceEpoch() || kept.count == 0 ||
        kept.recordId != record.id || !LiveEvaluator::alive(kept.evaluator))
        return nullptr;
    // Evaluations nested in the explanation (disclosed status, an assumed bound) overwrite the
    // thread's results: the explanation reads its own copy (buffers swapped, not copied).
    thread_local LeafResults taken;
    std::swap(taken, kept);
    kept.forget();
    return &taken;
}

void fillCrossing(std::vector<Crossing>& memo, Verdict& v, const Exact& known) {
    const Exact& threshold = *v.threshold;
    if constexpr (kFastPaths)
        for (const Crossing& c : memo)
            if (sameExact(c.threshold, threshold) && sameExact(c.known, known)) {
                v.crossingFlop = c.flop;
                v.crossingRatio = c.ratio;
                return;
            }
    v.crossingFlop = threshold - known;
    if (known.sign() > 0) v.crossingRatio = roundSignificant(toDouble(*v.crossingFlop / known), 3);
    if constexpr (kFastPaths) memo.push_back({threshold, known, *v.crossingFlop, v.crossingRatio});
}

namespace {

bool exactKind(const Condition& c) {
    return c.threshold.kind == ThresholdKind::Constant ||
           c.threshold.kind == ThresholdKind::EffectiveCompute;
}

}  // namespace

bool leafOutcomeReusable(const Condition& c, bool primary, bool primaryBoundMatches,
                         const ModelRecord& record) {
    // Each case mirrors Reader::leaf (verdict_reason.cpp) against modelLeaf/compareLeaf
    // (policy_evaluator.cpp, record_metrics.cpp): reusable only where both read the same value
    // with the same bound against the same exact threshold.
    switch (c.metric) {
        case Metric::ModificationCompute:
            if (!record.parent) return true;  // both: false, no comparison
            [[fallthrough]];
        case Metric::TrainingCompute:
            if (!exactKind(c)) return false;  // the re-reading compares with the shown value
            return !primary || primaryBoundMatches;
        case Metric::LargestStageCompute:
            // Not primary: the re-reading has no value for it (unknown).
            return primary && primaryBoundMatches && exactKind(c);
        case Metric::ComputeCost:
            // With no cost the evaluator compares 0 (unbounded when a cost is missing), the
            // re-reading says unknown: the same for every comparator once the threshold is > 0.
            return c.threshold.kind == ThresholdKind::Constant && signOf(c.threshold.value) > 0;
        case Metric::DeveloperRevenue:
        case Metric::BioSequenceShare:
            return c.threshold.kind == ThresholdKind::Constant;
        case Metric::GeneratedModalities:
        case Metric::Weights:
        case Metric::DeclaredFact:
        case Metric::Distilled:
            return true;
        case Metric::ParentTrainingCompute:
        case Metric::ParentComputeCost:
        case Metric::ClusterPeak:
        case Metric::ClusterNetwork:
        case Metric::SingleDatacenter:
            return false;
    }
    return false;
}

bool leafView(const LeafResults& results, std::size_t index, const Policy& p,
              const ReasonInputs& in, const Verdict& v, bool unbounded, LeafView& out) {
    if (index >= results.perVerdict.size()) return false;
    const LeafResults::PerVerdict& pv = results.perVerdict[index];
    if (pv.policy != &p || pv.tree == nullptr || !p.conditions || pv.tree->nodes.empty() ||
        pv.tree->nodes.front().cond != &*p.conditions ||
        pv.offset + pv.tree->nodes.size() > results.tris.size())
        return false;
    out.tree = pv.tree;
    out.tris = results.tris.data() + pv.offset;
    // The verdict must still be the evaluator's: same status as its root.
    if (toStatus(out.tris[0]) != v.status) return false;
    out.primaryNode = -1;
    const int compiled = pv.tree->primary;  // usually in.primary's node: no search
    if (in.primary != nullptr && compiled >= 0 &&
        pv.tree->nodes[static_cast<std::size_t>(compiled)].cond == in.primary)
        out.primaryNode = compiled;
    else if (in.primary != nullptr)
        for (std::size_t i = 0; i < pv.tree->nodes.size(); ++i)
            if (pv.tree->nodes[i].cond == in.primary) out.primaryNode = static_cast<int>(i);
    out.primaryBoundMatches = out.primaryNode >= 0 && out.primaryNode == pv.tree->primary &&
                              unbounded == pv.primaryUnbounded;
    return true;
}

std::optional<VerdictStatus> computeStatusFromLeaves(const ReasonInputs& in, const Verdict& v,
                                                     const LeafView& view) {
    if (in.primary == nullptr || !v.countedFlop || !view.primaryBoundMatches) return std::nullopt;
    const Condition& c = *in.primary;
    const bool compute = c.metric == Metric::TrainingCompute ||
                         c.metric == Metric::LargestStageCompute ||
                         (c.metric == Metric::ModificationCompute && in.record.parent);
    if (!compute || !exactKind(c)) return std::nullopt;
    return toStatus(view.tris[view.primaryNode]);
}

}  // namespace flopledger::inline v1::detail
