// Decision-grade verdict fields (contract 7.3-7.5) computed after the evaluator: lower bounds,
// the status on disclosed compute and what it would take to cross, the assumed bound on
// undisclosed compute, not-released records, compute status and the reason (verdict_reason).
#include "policy/leaf_results.hpp"
#include "policy/verdict_explain_detail.hpp"
#include "policy/verdict_explain_quick.hpp"
#include "policy/verdict_reason.hpp"

#include "base/exact_fast.hpp"

#include <flopledger/provenance.hpp>
#include <flopledger/verdict_explain.hpp>

#include <algorithm>
#include <functional>
#include <memory>

namespace flopledger::inline v1 {
namespace {

bool isComputeMetric(Metric m) {
    return m == Metric::TrainingCompute || m == Metric::LargestStageCompute ||
           m == Metric::ModificationCompute;
}

const Condition* findLeaf(const Condition& c, bool markedOnly) {
    if (c.op == Condition::Op::Leaf) {
        const bool hit = markedOnly ? c.primary : isComputeMetric(c.metric);
        return hit ? &c : nullptr;
    }
    for (const Condition& child : c.children)
        if (const Condition* found = findLeaf(child, markedOnly)) return found;
    return nullptr;
}

// A record variant whose missing stages carry a value: 0 (disclosed compute alone) or an assumed
// bound. The estimate points into the record, so both live together.
struct Variant {
    ModelRecord record;
    ModelEstimate estimate;
};

// Stage estimates are in record order, one per stage.
std::size_t stageIndex(const ModelEstimate& estimate, const StageEstimate& se) {
    return static_cast<std::size_t>(&se - estimate.stages.data());
}

// Fills the missing stages (those `scope` counts, or every one when scope is null) with `fill`.
std::unique_ptr<Variant> fillMissing(const ModelRecord& record, const ModelEstimate& estimate,
                                     const CountingScope* scope, const Estimator& estimator,
                                     const std::function<Quantity(ModelRecord&)>& fill) {
    auto v = std::make_unique<Variant>();
    v->record = record;
    bool changed = false;
    for (const StageEstimate& se : estimate.stages) {
        if (se.method || (scope != nullptr && !scope->includes(se))) continue;
        const std::size_t i = stageIndex(estimate, se);
        if (i >= v->record.stages.size()) continue;
        Stage& st = v->record.stages[i];
        st.flop = fill(v->record);
        st.undisclosed = false;
        changed = true;
    }
    if (!changed) return nullptr;
    v->estimate = estimator.estimate(v->record);
    return v;
}

int missingCount(const ModelEstimate& e, const CountingScope& scope) {
    return detail::missingStages(e, scope);
}

}  // namespace

const Condition* primaryLeaf(const Condition& root) {
    if (const Condition* c = findLeaf(root, true)) return c;
    return findLeaf(root, false);
}

namespace {

// primaryLeaf(*p.conditions): the evaluator's compiled tree of the policy names the same leaf
// (the first marked leaf, else the first compute leaf, in the same pre-order), when the kept
// results are this policy's; otherwise the tree is searched.
const Condition* primaryOf(const detail::LeafResults* leaves, std::size_t index, const Policy& p) {
    if (leaves != nullptr && index < leaves->perVerdict.size()) {
        const detail::LeafResults::PerVerdict& pv = leaves->perVerdict[index];
        if (pv.policy == &p && pv.tree != nullptr && !pv.tree->nodes.empty() &&
            pv.tree->nodes.front().cond == &*p.conditions)
            return pv.tree->primary >= 0
                       ? pv.tree->nodes[static_cast<std::size_t>(pv.tree->primary)].cond
                       : nullptr;
    }
    return primaryLeaf(*p.conditions);
}

}  // namespace

const CountingScope& leafScope(const Policy& policy, const Condition& leaf) {
    return leaf.scope ? *leaf.scope : policy.scope;
}

std::optional<int> compareWithLeafThreshold(const Condition& leaf, const Exact& x,
                                            const Date& asOf) {
    switch (leaf.threshold.kind) {
        case ThresholdKind::Constant:
            return detail::compareExact(x, leaf.threshold.value);
        case ThresholdKind::EffectiveCompute:
            return compareWithEffectiveThreshold(
                x, leaf.threshold, wholeMonthsBetween(leaf.threshold.referenceDate, asOf));
        default:
            return std::nullopt;
    }
}

void explainVerdicts(const ModelRecord& record, const ModelEstimate& estimate,
                     const std::vector<const Policy*>& policies, const Date& asOf,
                     std::vector<Verdict>& verdicts, const ExplainOptions& options) {
    detail::explainVerdicts(record, estimate, policies, asOf, verdicts, options, {});
}

void explainVerdicts(const ClusterRecord& record, const std::vector<const Policy*>& policies,
                     const Date& asOf, std::vector<Verdict>& verdicts,
                     const ExplainOptions& options) {
    detail::explainVerdicts(record, policies, asOf, verdicts, options, {});
}

void detail::explainVerdicts(const ModelRecord& record, const ModelEstimate& estimate,
                             const std::vector<const Policy*>& policies, const Date& asOf,
                             std::vector<Verdict>& verdicts, const ExplainOptions& options,
                             EvaluationRequest request) {
    // A default estimator only when none is given (its options are built from rationals: not
    // for every record).
    std::optional<Estimator> fallback;
    const Estimator& estimator = options.evaluation.estimator != nullptr
                                     ? *options.evaluation.estimator
                                     : fallback.emplace();
    const EvaluationOptions& quiet = options.evaluation;
    std::unique_ptr<Variant> disclosed;  // every missing stage at 0, made once when needed
    bool disclosedMade = false;
    const bool released = !record.released || !(asOf < *record.released);
    // Number texts and counted scopes shared by the verdicts: the thread's cache, cleared
    // (storage kept; fast path, and not while an outer explanation uses it), else a new one.
    thread_local detail::ReasonCache kept;
    thread_local bool keptBusy = false;
    detail::ReasonCache fresh;
    const bool useKept = detail::kFastPaths && !keptBusy;
    detail::ReasonCache& cache = useKept ? kept : fresh;
    cache.clear();
    struct Release {
        bool* busy;
        ~Release() {
            if (busy) *busy = false;
        }
    } release{useKept ? &keptBusy : nullptr};
    if (useKept) keptBusy = true;
    // The evaluator's per-leaf outcomes for these verdicts (fast path), else nullptr.
    const detail::LeafResults* leaves = detail::takeLeafResults(record, estimate, asOf, verdicts);
    if (leaves != nullptr) detail::beginRecordTexts();
    std::string notReleased;
    std::vector<detail::Crossing> crossings;  // per threshold and disclosed count (fast path)

    // Whether a stage has no estimate (no scope can count a missing stage otherwise).
    const bool anyUnestimated = std::any_of(estimate.stages.begin(), estimate.stages.end(),
                                            [](const StageEstimate& se) { return !se.method; });

    // The common verdict (released, not a lower bound, no assumption) in one pass (fast path).
    const std::optional<detail::QuickRecord> quick =
        leaves != nullptr && released
            ? std::optional<detail::QuickRecord>(
                  detail::QuickRecord{record, estimate, asOf, *leaves, options.evaluation.registry,
                                      &cache, anyUnestimated, request.texts})
            : std::nullopt;

    std::size_t vi = 0;
    for (const Policy* p : policies) {
        if (!p->appliesToModels()) continue;
        if (vi >= verdicts.size()) break;
        Verdict& v = verdicts[vi++];
        if (quick && detail::explainQuick(*quick, vi - 1, *p, v)) continue;
        const Condition* primary = p->conditions ? primaryOf(leaves, vi - 1, *p) : nullptr;
        const CountingScope* scope = primary ? &leafScope(*p, *primary) : nullptr;
        v.lowerBound =
            v.countedFlop && scope != nullptr &&
            (record.stages.empty() || (anyUnestimated && missingCount(estimate, *scope) > 0));
        detail::ReasonInputs in{*p,    record, estimate, asOf, primary, options.evaluation.registry,
                                &cache};
        if (leaves != nullptr) {
            in.evaluator = leaves->evaluator;
            in.verdictIndex = vi - 1;
        }

        if (released && v.lowerBound && scope != nullptr) {
            // The status on disclosed compute alone: the evaluator's when the known part already
            // decides, else the policy evaluated with the missing stages at 0.
            if (v.status != VerdictStatus::Unknown) {
                v.disclosedStatus = v.status;
            } else {
                if (!disclosedMade) {
                    disclosed = fillMissing(record, estimate, nullptr, estimator,
                                            [](ModelRecord&) { return Quantity(Exact(0)); });
                    disclosedMade = true;
                }
                if (disclosed)
                    v.disclosedStatus =
                        detail::evaluatePolicy(*p, disclosed->record, disclosed->estimate, asOf,
                                               quiet, detail::kStatusesOnly)
                            .status;
                else if (record.stages.empty())
                    v.disclosedStatus = detail::computeStatusOf(in, v, false);
            }
            const auto disclosedCompute = detail::computeStatusOf(in, v, false);
            if (disclosedCompute == VerdictStatus::Below && v.threshold) {
                detail::fillCrossing(crossings, v, v.countedFlop->central);
            }
            if (options.assumeUndisclosed && v.status == VerdictStatus::Unknown) {
                // Decided on [known, known x (1 + R)]: the missing stages share R x known.
                const Exact& knownHigh = v.countedFlop->high;
                const int n = std::max(1, missingCount(estimate, *scope));
                const Exact each = *options.assumeUndisclosed * knownHigh / n;
                auto assumed = fillMissing(record, estimate, scope, estimator, [&](ModelRecord& r) {
                    Quantity q(Interval{Exact(0), each / 2, each}, Distribution::Uniform);
                    if (each.sign() > 0)
                        q.sampleIndex = r.uncertainCount++;
                    else
                        q = Quantity(Exact(0));
                    return q;
                });
                if (assumed) {
                    Verdict w = detail::evaluatePolicy(*p, assumed->record, assumed->estimate, asOf,
                                                       options.evaluation, request);
                    v.status = w.status;
                    v.countedFlop = std::move(w.countedFlop);
                    v.marginLog10 = w.marginLog10;
                    v.probability = w.probability;
                    v.missing = std::move(w.missing);
                    v.assumptions.push_back(
                        "undisclosed compute at most " + options.assumeUndisclosed->str() +
                        " x the disclosed counted compute (--assume-undisclosed " +
                        options.assumeUndisclosed->str() + ")");
                }
            }
        }
        const bool unbounded = v.lowerBound && v.assumptions.empty();
        detail::LeafView view;
        const bool fromLeaves = leaves != nullptr && v.assumptions.empty() &&
                                detail::leafView(*leaves, vi - 1, *p, in, v, unbounded, view);
        std::optional<VerdictStatus> cs;
        if (fromLeaves) cs = detail::computeStatusFromLeaves(in, v, view);
        v.computeStatus = cs ? *cs : detail::computeStatusOf(in, v, unbounded);
        if (!released) {
            v.status = VerdictStatus::NotReleased;
            v.probability.reset();
            v.missing.clear();
            if (request.texts) {
                if (notReleased.empty())  // the same sentence for every verdict of the record
                    notReleased = "not released as of " + asOf.toIsoDay() + " (released " +
                                  record.released->toString() + ")";
                v.reason = notReleased;
            }
            continue;
        }
        if (fromLeaves)
            detail::explainReasonFromLeaves(in, v, unbounded, request.texts, view);
        else
            detail::explainReason(in, v, unbounded, request.texts);
    }
}

void detail::explainVerdicts(const ClusterRecord& record,
                             const std::vector<const Policy*>& policies, const Date& asOf,
                             std::vector<Verdict>& verdicts, const ExplainOptions& options,
                             EvaluationRequest request) {
    (void)record;
    (void)options;
    (void)asOf;
    std::size_t vi = 0;
    for (const Policy* p : policies) {
        if (!p->appliesToClusters()) continue;
        if (vi >= verdicts.size()) break;
        Verdict& v = verdicts[vi++];
        detail::explainCluster(v, request.texts);
    }
}

}  // namespace flopledger::inline v1
