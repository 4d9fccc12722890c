// The Monte Carlo of a record's indeterminate verdicts, compiled once per record: every leaf
// decided exactly keeps its outcome, the sampled leaves are prepared (what x sums, what t is),
// the trees become a post-order program, and a draw only adds, compares and combines. One
// Monte Carlo serves every indeterminate policy of the record.
#include "policy/draw_plan.hpp"

#include "base/exact_fast.hpp"
#include "estimate/sampling.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

namespace flopledger::inline v1::detail {
namespace {

bool sameTerms(const std::vector<StageTerm>& a, const std::vector<StageTerm>& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                      [](const StageTerm& x, const StageTerm& y) {
                          return x.stage == y.stage && x.recompute == y.recompute;
                      });
}

void appendPostOrder(const CompiledTree& tree, int i, int leafBase, std::vector<DrawOp>& out) {
    const Node& n = tree.nodes[static_cast<std::size_t>(i)];
    if (n.cond->op == Condition::Op::Leaf) {
        out.push_back({leafBase + i, Condition::Op::Leaf, 0});
        return;
    }
    for (int c : n.children) appendPostOrder(tree, c, leafBase, out);
    out.push_back({-1, n.cond->op, static_cast<int>(n.children.size())});
}

// Whether two prepared leaves compare the same x with the same t (cost sums: the same scope).
// Two scopes that sum the same stage terms in the same order give the same doubles (the
// training and the modification scope of a record without a modification stage, say).
bool sameDraw(const DrawPlan& plan, const DrawLeaf& a, const DrawLeaf& b) {
    // The kinds first: only Sum and Largest leaves have a scope (others keep -1, which must
    // not index scopeTerms; ThreadSanitizer caught that read).
    if (a.kind != b.kind) return false;
    const bool sameX = a.scope == b.scope ||
                       ((a.kind == DrawLeaf::Kind::Sum || a.kind == DrawLeaf::Kind::Largest) &&
                        a.scope >= 0 && b.scope >= 0 &&
                        sameTerms(plan.scopeTerms[static_cast<std::size_t>(a.scope)],
                                  plan.scopeTerms[static_cast<std::size_t>(b.scope)]));
    return a.reading == b.reading && sameX && a.x.q == b.x.q && a.x.c == b.x.c &&
           a.tFromParent == b.tFromParent && a.parent.q == b.parent.q && a.parent.c == b.parent.c &&
           a.factor == b.factor && a.t == b.t;
}

const std::vector<StageTerm>& termsOf(DrawPlan& plan, const EvaluatorState& state,
                                      const ModelCtx& ctx, int si) {
    const auto k = static_cast<std::size_t>(si);
    const std::size_t nStages = ctx.record.stages.size();  // Sample::stageFlop's size
    if (!plan.scopeReady[k]) {
        const CountingScope& sc = state.scopes[k];
        for (std::size_t i = 0; i < ctx.estimate.stages.size(); ++i) {
            if (!sc.includes(ctx.estimate.stages[i])) continue;
            if (i < nStages) {
                plan.scopeTerms[k].push_back({static_cast<int>(i), false});
                plan.stageNeeded[i] = 1;
            }
            if (sc.recompute && i < nStages)
                plan.scopeTerms[k].push_back({static_cast<int>(i), true});
        }
        plan.scopeReady[k] = 1;
    }
    return plan.scopeTerms[k];
}

// Prepares leaf n of an indeterminate policy (outcome o) for the draws.
void prepareLeaf(DrawPlan& plan, const EvaluatorState& state, ModelCtx& ctx, const Node& n,
                 const LeafOutcome& o, DrawLeaf& d) {
    const Condition& c = *n.cond;
    d.fixed = o.tri;
    // Leaves decided exactly stay decided (every draw lies inside the interval).
    if (o.tri != Tri::Indet) return;
    d.reading = c.reading;
    d.scope = n.scope;
    switch (c.metric) {
        case Metric::TrainingCompute:
        case Metric::ModificationCompute:
            d.kind = DrawLeaf::Kind::Sum;
            termsOf(plan, state, ctx, n.scope);
            break;
        case Metric::LargestStageCompute:
            d.kind = DrawLeaf::Kind::Largest;
            termsOf(plan, state, ctx, n.scope);
            break;
        case Metric::ComputeCost: {
            d.kind = DrawLeaf::Kind::Cost;
            const CountingScope& sc = ctx.scope(n.scope);
            d.costBegin = plan.costTerms.size();
            for (const StageEstimate& se : ctx.estimate.stages)
                if (sc.includes(se) && se.costUsd)
                    plan.costTerms.push_back(DrawValue::of(*se.costUsd));
            d.costEnd = plan.costTerms.size();
            break;
        }
        case Metric::DeveloperRevenue:
            d.kind = DrawLeaf::Kind::Value;
            d.x = DrawValue::of(*ctx.record.developerRevenueUsd);
            break;
        case Metric::BioSequenceShare:
            d.kind = DrawLeaf::Kind::Value;
            d.x = DrawValue::of(*ctx.record.bioSequenceShare);
            break;
        case Metric::ParentTrainingCompute:
            d.kind = DrawLeaf::Kind::Value;
            if (ctx.record.parent && ctx.record.parent->trainingFlop)
                d.x = DrawValue::of(*ctx.record.parent->trainingFlop);
            else if (ctx.parentEntry)
                d.x.c = toDouble(ctx.parentFlop(n.scope, nullptr)->central);
            else
                d.x.c = 0;
            break;
        case Metric::ParentComputeCost: {
            d.kind = DrawLeaf::Kind::Value;
            const Interval* mv = o.metric().value();
            d.x.c = toDouble(mv ? mv->central : Exact(0));
            break;
        }
        default:
            return;  // Kind::Fixed: the exact outcome
    }
    const ThresholdSpec& spec = c.threshold;
    switch (spec.kind) {
        case ThresholdKind::Constant:
            d.t = n.constant;
            break;
        case ThresholdKind::RelativeToParent:
            if (ctx.record.parent && ctx.record.parent->trainingFlop) {
                d.tFromParent = true;
                d.parent = DrawValue::of(*ctx.record.parent->trainingFlop);
                d.factor = toDouble(spec.value);
            } else if (ctx.parentEntry) {
                d.t = toDouble(ctx.parentFlop(n.scope, nullptr)->central) * toDouble(spec.value);
            } else {
                d.t = toDouble(o.threshold.value()->central);
            }
            break;
        case ThresholdKind::EffectiveCompute:
            d.t = effectiveComputeThreshold(spec, ctx.asOf);
            break;
        case ThresholdKind::FrontierRank:
            d.t = toDouble(o.threshold.value()->central);
            break;
    }
}

}  // namespace

void prepareLeaves(DrawPlan& plan, const EvaluatorState& state, ModelCtx& ctx,
                   const std::vector<const CompiledPolicy*>& indeterminate,
                   const std::vector<LeafOutcome>& outcomes) {
    const std::size_t nScopes = state.scopes.size();
    plan.leaves.resize(state.modelNodeCount);
    plan.scopeTerms.resize(nScopes);
    plan.scopeReady.assign(nScopes, 0);
    plan.stageNeeded.assign(ctx.record.stages.size(), 0);
    for (const CompiledPolicy* cp : indeterminate) {
        const CompiledTree& tree = *cp->model;
        for (std::size_t i = 0; i < tree.nodes.size(); ++i) {
            const Node& n = tree.nodes[i];
            if (n.cond->op != Condition::Op::Leaf) continue;
            prepareLeaf(plan, state, ctx, n, outcomes[cp->modelOffset + i],
                        plan.leaves[cp->modelOffset + i]);
        }
    }
}

// The post-order program, the distinct sampled leaves and the flattened per-scope sums.
void compileProgram(DrawPlan& plan, const EvaluatorState& state,
                    const std::vector<const CompiledPolicy*>& indeterminate) {
    const std::vector<DrawLeaf>& leaves = plan.leaves;
    std::vector<DrawOp>& program = plan.program;
    for (const CompiledPolicy* cp : indeterminate) {
        appendPostOrder(*cp->model, 0, static_cast<int>(cp->modelOffset), program);
        plan.programEnd.push_back(program.size());
    }

    // Distinct sampled leaves: several policies often compare the same total with the same
    // threshold; each distinct comparison is made once per draw.
    std::vector<int>& slotOf = plan.slotOf;
    std::vector<std::size_t>& distinct = plan.distinct;
    slotOf.assign(state.modelNodeCount, -1);
    for (const DrawOp& op : program) {
        if (op.leaf < 0) continue;
        const auto li = static_cast<std::size_t>(op.leaf);
        if (leaves[li].kind == DrawLeaf::Kind::Fixed) continue;
        std::size_t u = 0;
        while (u < distinct.size() &&
               !(kFastPaths && sameDraw(plan, leaves[distinct[u]], leaves[li])))
            ++u;
        if (u == distinct.size()) distinct.push_back(li);
        slotOf[li] = static_cast<int>(u);
    }

    // Each such scope is summed once per draw, its terms in the order forEachSample's stage
    // totals add them (the same doubles), then every distinct leaf is compared.
    std::vector<DrawLeaf>& drawLeaves = plan.drawLeaves;
    drawLeaves.reserve(distinct.size());
    for (std::size_t li : distinct) drawLeaves.push_back(leaves[li]);
    plan.sumOf.assign(drawLeaves.size(), 0);
    for (std::size_t u = 0; u < drawLeaves.size(); ++u) {
        if (drawLeaves[u].kind != DrawLeaf::Kind::Sum) continue;
        const int sc = drawLeaves[u].scope;
        std::size_t k = 0;
        while (k < plan.sumScope.size() && plan.sumScope[k] != sc) ++k;
        if (k == plan.sumScope.size()) {
            plan.sumScope.push_back(sc);
            const auto& terms = plan.scopeTerms[static_cast<std::size_t>(sc)];
            plan.sumTerms.insert(plan.sumTerms.end(), terms.begin(), terms.end());
            plan.sumEnd.push_back(plan.sumTerms.size());
        }
        plan.sumOf[u] = k;
    }
}

namespace {

// Runs the draws; hits[k] counts the draws in which indeterminate policy k holds. Returns the
// number of draws.
long runDraws(const DrawPlan& plan, const EvaluatorState& state, const ModelCtx& ctx,
              std::vector<long>& hits) {
    const ModelRecord& record = ctx.record;
    const ModelEstimate& estimate = ctx.estimate;
    const std::vector<DrawLeaf>& leaves = plan.leaves;
    const std::vector<DrawValue>& costTerms = plan.costTerms;
    const std::vector<std::vector<StageTerm>>& scopeTerms = plan.scopeTerms;
    const std::vector<DrawOp>& program = plan.program;
    const std::vector<std::size_t>& programEnd = plan.programEnd;
    const std::vector<char>& stageNeeded = plan.stageNeeded;
    const std::vector<int>& slotOf = plan.slotOf;
    const std::vector<std::size_t>& distinct = plan.distinct;
    const std::vector<DrawLeaf>& drawLeaves = plan.drawLeaves;
    const std::vector<StageTerm>& sumTerms = plan.sumTerms;
    const std::vector<std::size_t>& sumEnd = plan.sumEnd;
    const std::vector<std::size_t>& sumOf = plan.sumOf;
    const std::size_t policies = plan.programEnd.size();
    std::vector<Tri> stack(program.size() + 1);
    std::vector<double> sums(plan.sumScope.size());

    // With few distinct leaves a draw is summarised by which of them hold (a bit mask): the
    // trees are then evaluated once per mask that occurred, weighted by its count, instead of
    // once per draw. Same outcome for every draw, so the same hit counts.
    constexpr std::size_t kMaskBits = 12;
    const bool byMask = kFastPaths && distinct.size() <= kMaskBits;
    std::vector<long> maskCount(byMask ? std::size_t{1} << distinct.size() : 0, 0);
    std::vector<char> holds(distinct.size(), 0);
    auto runPrograms = [&](long weight) {
        std::size_t pc = 0;
        for (std::size_t k = 0; k < policies; ++k) {
            Tri* top = stack.data();
            for (; pc < programEnd[k]; ++pc) {
                const DrawOp& op = program[pc];
                if (op.leaf >= 0) {
                    const auto li = static_cast<std::size_t>(op.leaf);
                    const int slot = slotOf[li];
                    *top++ = slot < 0                                ? leaves[li].fixed
                             : holds[static_cast<std::size_t>(slot)] ? Tri::True
                                                                     : Tri::False;
                } else {
                    top -= op.count;
                    *top = combine(op.op, top, op.count);
                    ++top;
                }
            }
            if (stack[0] == Tri::True) hits[k] += weight;
        }
    };

    long samples = 0;
    forEachSampleOf(
        state.estimator(), record, estimate, state.options.monteCarlo, stageNeeded,
        [&](const Sample& s) {
            ++samples;
            const double* flop = s.stageFlop.data();
            const double* recompute = s.stageRecompute.data();
            const StageTerm* term = sumTerms.data();
            for (std::size_t k = 0; k < sums.size(); ++k) {
                double total = 0;
                for (const StageTerm* e = sumTerms.data() + sumEnd[k]; term != e; ++term)
                    total += term->recompute ? recompute[term->stage] : flop[term->stage];
                sums[k] = total;
            }
            // Inlined in both loops below (a call per leaf and draw otherwise).
            auto holdsIn = [&](std::size_t u) __attribute__((always_inline))->bool {
                const DrawLeaf& d = drawLeaves[u];
                double x = 0;
                switch (d.kind) {
                    case DrawLeaf::Kind::Fixed:
                        return d.fixed == Tri::True;  // not sampled: never a distinct leaf
                    case DrawLeaf::Kind::Sum:
                        x = sums[sumOf[u]];
                        break;
                    case DrawLeaf::Kind::Largest: {
                        x = largestStageFlop(scopeTerms[static_cast<std::size_t>(d.scope)], flop,
                                             recompute);
                        break;
                    }
                    case DrawLeaf::Kind::Cost:
                        for (std::size_t j = d.costBegin; j < d.costEnd; ++j)
                            x += costTerms[j].get(s);
                        break;
                    case DrawLeaf::Kind::Value:
                        x = d.x.get(s);
                        break;
                }
                const double t = d.tFromParent ? d.parent.get(s) * d.factor : d.t;
                return compareDouble(d.reading, x, t);
            };
            if (byMask) {
                std::size_t mask = 0;
                for (std::size_t u = 0; u < drawLeaves.size(); ++u)
                    if (holdsIn(u)) mask |= std::size_t{1} << u;
                ++maskCount[mask];
            } else {
                for (std::size_t u = 0; u < drawLeaves.size(); ++u) holds[u] = holdsIn(u);
                runPrograms(1);
            }
        });
    for (std::size_t mask = 0; mask < maskCount.size(); ++mask) {
        if (maskCount[mask] == 0) continue;
        for (std::size_t u = 0; u < distinct.size(); ++u) holds[u] = (mask >> u) & 1U;
        runPrograms(maskCount[mask]);
    }
    return samples;
}

}  // namespace

void drawProbabilities(const EvaluatorState& state, ModelCtx& ctx,
                       const std::vector<const CompiledPolicy*>& indeterminate,
                       const std::vector<LeafOutcome>& outcomes, std::vector<Verdict>& verdicts,
                       const std::vector<std::size_t>& indetIndex) {
    // The thread's plan, cleared (fast path: one plan at a time per thread; OFF: a new one).
    thread_local DrawPlan kept;
    DrawPlan fresh;
    DrawPlan& plan = kFastPaths ? kept : fresh;
    plan.clear();
    prepareLeaves(plan, state, ctx, indeterminate, outcomes);
    compileProgram(plan, state, indeterminate);
    const MonteCarloOptions& mc = state.options.monteCarlo;
    if (mc.method == ProbabilityMethod::Deterministic) {
        if (mc.samples <= 0) return;  // 0: no probabilities, whatever the method
        std::vector<double> probability;
        std::vector<std::string> notes;
        deterministicProbabilities(plan, state, ctx, probability, notes);
        for (std::size_t k = 0; k < indeterminate.size(); ++k) {
            Verdict& v = verdicts[indetIndex[k]];
            v.probability = probability[k];
            v.notes.push_back(std::move(notes[k]));
        }
        return;
    }
    std::vector<long> hits(indeterminate.size(), 0);
    const long samples = runDraws(plan, state, ctx, hits);
    for (std::size_t k = 0; k < indeterminate.size(); ++k) {
        Verdict& v = verdicts[indetIndex[k]];
        if (samples > 0) {
            v.probability = static_cast<double>(hits[k]) / static_cast<double>(samples);
            v.notes.push_back("probability from " + std::to_string(samples) +
                              " seeded Monte Carlo draws");
        }
    }
}

}  // namespace flopledger::inline v1::detail
