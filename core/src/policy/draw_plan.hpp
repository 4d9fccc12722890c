#pragma once
// Private to the policy evaluator: one record's indeterminate policies prepared for evaluation at
// sampled or chosen input values (evaluator_draws.cpp: Monte Carlo; evaluator_quadrature.cpp:
// the deterministic method). Built once per record by prepareLeaves and compileProgram.
#include "policy/record_metrics.hpp"

#include <flopledger/monte_carlo.hpp>

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

namespace flopledger::inline v1::detail {

// Monte Carlo plan (see evaluate): a double that is either a point input converted once or a
// sampled input read per draw through Sample::value, exactly as the draws always read it.
struct DrawValue {
    const Quantity* q = nullptr;
    double c = 0;

    static DrawValue of(const Quantity& quantity) {
        DrawValue d;
        if (quantity.sampleIndex >= 0)
            d.q = &quantity;
        else
            d.c = detail::sameAsToDouble(quantity.central());  // what Sample::value returns
        return d;
    }
    double get(const Sample& s) const { return q ? s.value(*q) : c; }
};

// One leaf of an indeterminate policy, prepared for the draws: x (a scope's sum or largest
// stage, a cost sum or a single input) compared with t (a constant or the parent's draw times a
// factor). Leaves decided exactly keep their outcome (Kind::Fixed).
struct DrawLeaf {
    enum class Kind : unsigned char { Fixed, Sum, Largest, Cost, Value };
    Kind kind = Kind::Fixed;
    Tri fixed = Tri::Unknown;
    Comparator reading = Comparator::Greater;
    bool tFromParent = false;
    int scope = -1;
    std::size_t costBegin = 0, costEnd = 0;  // Kind::Cost: range of the plan's cost terms
    DrawValue x;                             // Kind::Value
    DrawValue parent;                        // tFromParent: t = parent * factor
    double factor = 0;
    double t = 0;
};

// The indeterminate trees in post-order, for a draw to evaluate with a small stack and no
// recursion: a leaf pushes its outcome, a combination pops its `count` children. Leaves have no
// side effects, so combining all children gives what a short-circuit walk would.
struct DrawOp {
    int leaf = -1;  // index into the plan's leaves, or -1 for a combination
    Condition::Op op = Condition::Op::Leaf;
    int count = 0;
};

// A term of a scope's per-draw sum: a stage's model FLOP or its recompute FLOP.
struct StageTerm {
    int stage;
    bool recompute;
};

// The largest stage of a scope in one draw. Terms come as (flop[, recompute]) per stage, as the
// scope's sum adds them; shared by the deterministic and the Monte Carlo evaluation.
inline double largestStageFlop(const std::vector<StageTerm>& terms, const double* flop,
                               const double* recompute) {
    double x = 0;
    for (std::size_t j = 0; j < terms.size(); ++j) {
        double v = flop[terms[j].stage];
        if (j + 1 < terms.size() && terms[j + 1].recompute) {
            ++j;
            v += recompute[terms[j].stage];
        }
        x = std::max(x, v);
    }
    return x;
}

// Everything that is the same in every draw of one record (decided leaves, point inputs,
// thresholds, which stages a scope sums), worked out once; see drawProbabilities.
struct DrawPlan {
    std::vector<DrawLeaf> leaves;  // one per model-tree node (EvaluatorState::modelNodeCount)
    std::vector<DrawValue> costTerms;
    // Per scope: the stage terms of its sum, in the order they are added.
    std::vector<std::vector<StageTerm>> scopeTerms;
    std::vector<char> scopeReady;
    std::vector<char> stageNeeded;  // per stage of the record: does a draw read it
    // The indeterminate trees in post-order; programEnd[k] ends policy k's program.
    std::vector<DrawOp> program;
    std::vector<std::size_t> programEnd;
    std::vector<int> slotOf;            // per leaf: its distinct sampled leaf, or -1
    std::vector<std::size_t> distinct;  // a leaf index per distinct sampled leaf
    // A draw reads contiguous arrays only: the distinct leaves copied side by side, and the
    // terms of every scope a Sum leaf reads flattened.
    std::vector<DrawLeaf> drawLeaves;
    std::vector<StageTerm> sumTerms;
    std::vector<std::size_t> sumEnd;  // sum k adds sumTerms[sumEnd[k-1] .. sumEnd[k])
    std::vector<int> sumScope;
    std::vector<std::size_t> sumOf;  // Sum leaves: their sum's index

    /// Empty, as a new plan, but with the vectors' capacity kept (a thread's reused plan).
    void clear() {
        leaves.clear();
        costTerms.clear();
        for (std::vector<StageTerm>& t : scopeTerms) t.clear();
        scopeReady.clear();
        stageNeeded.clear();
        program.clear();
        programEnd.clear();
        slotOf.clear();
        distinct.clear();
        drawLeaves.clear();
        sumTerms.clear();
        sumEnd.clear();
        sumScope.clear();
        sumOf.clear();
    }
};

void prepareLeaves(DrawPlan& plan, const EvaluatorState& state, ModelCtx& ctx,
                   const std::vector<const CompiledPolicy*>& indeterminate,
                   const std::vector<LeafOutcome>& outcomes);
/// The post-order program, the distinct sampled leaves and the flattened per-scope sums.
void compileProgram(DrawPlan& plan, const EvaluatorState& state,
                    const std::vector<const CompiledPolicy*>& indeterminate);

/// The per-draw scope sums of a sample (sums[k] for plan.sumScope[k]), added in the order the
/// Monte Carlo adds them.
inline void scopeSums(const DrawPlan& plan, const Sample& s, std::vector<double>& sums) {
    const double* flop = s.stageFlop.data();
    const double* recompute = s.stageRecompute.data();
    const StageTerm* term = plan.sumTerms.data();
    sums.resize(plan.sumEnd.size());
    for (std::size_t k = 0; k < sums.size(); ++k) {
        double total = 0;
        for (const StageTerm* e = plan.sumTerms.data() + plan.sumEnd[k]; term != e; ++term)
            total += term->recompute ? recompute[term->stage] : flop[term->stage];
        sums[k] = total;
    }
}

/// Distinct leaf u's x and t in a sample (sums from scopeSums), as a Monte Carlo draw computes
/// them; the leaf holds when compareDouble(reading, x, t).
inline void leafXT(const DrawPlan& plan, std::size_t u, const Sample& s, const double* sums,
                   double& x, double& t) {
    const DrawLeaf& d = plan.drawLeaves[u];
    const double* flop = s.stageFlop.data();
    const double* recompute = s.stageRecompute.data();
    x = 0;
    switch (d.kind) {
        case DrawLeaf::Kind::Fixed:
            break;
        case DrawLeaf::Kind::Sum:
            x = sums[plan.sumOf[u]];
            break;
        case DrawLeaf::Kind::Largest: {
            x = largestStageFlop(plan.scopeTerms[static_cast<std::size_t>(d.scope)], flop,
                                 recompute);
            break;
        }
        case DrawLeaf::Kind::Cost:
            for (std::size_t j = d.costBegin; j < d.costEnd; ++j) x += plan.costTerms[j].get(s);
            break;
        case DrawLeaf::Kind::Value:
            x = d.x.get(s);
            break;
    }
    t = d.tFromParent ? d.parent.get(s) * d.factor : d.t;
}

/// The deterministic probabilities (evaluator_quadrature.cpp): probability[k] for indeterminate
/// policy k, each from its own inputs (as if evaluated alone); notes[k] says how.
void deterministicProbabilities(const DrawPlan& plan, const EvaluatorState& state,
                                const ModelCtx& ctx, std::vector<double>& probability,
                                std::vector<std::string>& notes);

}  // namespace flopledger::inline v1::detail
