#pragma once
// The evaluator's per-leaf results of the thread's last model evaluation, kept so that
// explainVerdicts (compute status, reason, missing) reads the exact comparisons the evaluator
// already made instead of making them again (a fast path: with FLOPLEDGER_FAST_PATHS=OFF
// nothing is kept and the reasons re-read every leaf, verdict_reason.cpp).
#include "policy/evaluator_detail.hpp"
#include "policy/verdict_reason.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace flopledger::inline v1::detail {

struct LeafResults {
    struct PerVerdict {
        const Policy* policy = nullptr;
        const CompiledTree* tree = nullptr;
        std::size_t offset = 0;         // first node's slot in `tris`
        bool primaryUnbounded = false;  // the primary leaf's value has no upper bound
        // What explainQuick reads of the policy and its tree, made with the list (once per
        // evaluator): the primary leaf (nullptr: none, or the root is not the policy's
        // conditions), its counting scope, and whether it is an exact compute comparison
        // (exactComputeLeaf) for a record without [0] and with [1] a parent.
        const Condition* primaryCond = nullptr;
        const CountingScope* primaryScope = nullptr;
        std::array<bool, 2> exactCompute{};
    };
    // What the results were made for: explainVerdicts uses them only for the same record,
    // estimate, date and verdict vector (its buffer survives the moves out of evaluate).
    std::uint64_t evaluator = 0;  // EvaluatorState::id (the trees are its)
    std::string recordId;         // (a record at a freed one's address is another)
    const ModelRecord* record = nullptr;
    const ModelEstimate* estimate = nullptr;
    long day = 0;
    const Verdict* verdicts = nullptr;
    std::size_t count = 0;
    std::vector<PerVerdict> perVerdict;
    std::uint64_t perVerdictOf = 0;  // the evaluator perVerdict's policies and trees are from
    std::vector<Tri> tris;           // every model-tree node's outcome, in compiled order

    void forget() {
        evaluator = 0;
        record = nullptr;
        verdicts = nullptr;
        count = 0;
    }
};

/// The thread's last model evaluation (written by PolicyEvaluator::evaluate, fast paths only).
LeafResults& threadLeafResults();

/// Keeps the evaluator's outcomes of one model evaluation (`outcomes`: every model tree's slots,
/// every node's outcome filled by evalTreeKeeping).
void keepLeafResults(const EvaluatorState& state, const ModelRecord& record,
                     const ModelEstimate& estimate, const Date& asOf,
                     const std::vector<Verdict>& verdicts,
                     const std::vector<LeafOutcome>& outcomes);

/// Takes the thread's results if they were made for exactly these arguments (and forgets them
/// there: explaining changes the verdicts, so a second explanation re-reads); nullptr otherwise.
const LeafResults* takeLeafResults(const ModelRecord& record, const ModelEstimate& estimate,
                                   const Date& asOf, const std::vector<Verdict>& verdicts);

/// A leaf of a compiled tree whose evaluator outcome is the outcome the reasons' re-reading
/// (verdict_reason.cpp) gives: same value, same bound, same exact threshold. `primary`: the
/// leaf fills counted_flop (the re-reading uses the verdict's figure and the explanation's
/// bound), usable only when `primaryBoundMatches` (that bound is the evaluator's).
bool leafOutcomeReusable(const Condition& c, bool primary, bool primaryBoundMatches,
                         const ModelRecord& record);

/// What explainReasonFromLeaves reads of one verdict's evaluation.
struct LeafView {
    const CompiledTree* tree = nullptr;
    const Tri* tris = nullptr;  // tree node i's evaluator outcome is tris[i]
    bool primaryBoundMatches = false;
    int primaryNode = -1;  // the node of in.primary, -1 if none
};

/// The view of verdict `index` for policy `p` with the explanation's bound `unbounded`, or
/// false when the results do not cover it.
bool leafView(const LeafResults& results, std::size_t index, const Policy& p,
              const ReasonInputs& in, const Verdict& v, bool unbounded, LeafView& out);

/// The compute status explainVerdicts gives (computeStatusOf) from the evaluator's outcome of
/// the primary leaf, when that outcome is the same comparison; nullopt: compute it.
std::optional<VerdictStatus> computeStatusFromLeaves(const ReasonInputs& in, const Verdict& v,
                                                     const LeafView& view);

/// A crossing figure made for one threshold and disclosed count of a record.
struct Crossing {
    Exact threshold;
    Exact known;
    Exact flop;
    std::optional<double> ratio;
};
/// v.crossingFlop = threshold - known and v.crossingRatio (3 digits), made once per record for
/// each threshold and count (the division is costly; `memo` is the record's, fast paths only).
void fillCrossing(std::vector<Crossing>& memo, Verdict& v, const Exact& known);

/// Starts a record's explanations: texts kept for the previous record's are not reused.
void beginRecordTexts();

/// explainReason (verdict_reason.hpp) with the leaves' outcomes taken from the evaluator where
/// they are the same (leafOutcomeReusable) and re-read otherwise: the same reason and missing.
void explainReasonFromLeaves(const ReasonInputs& in, Verdict& v, bool unbounded, bool texts,
                             const LeafView& view);

}  // namespace flopledger::inline v1::detail
