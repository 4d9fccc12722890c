// Evaluating policies: exact three-valued logic over intervals, shared per-record metrics, one
// Monte Carlo per record for the probabilities of indeterminate verdicts (policy.hpp). This file
// compiles the policies and decides each verdict; record_metrics.* computes the metrics,
// evaluator_draws.cpp the probabilities, evaluator_cluster.cpp the cluster verdicts.
#include <flopledger/policy.hpp>

#include "base/exact_fast.hpp"
#include "policy/effective_threshold.hpp"
#include "policy/evaluator_detail.hpp"
#include "policy/facts.hpp"
#include "policy/leaf_results.hpp"
#include "policy/record_metrics.hpp"
#include "policy/verdict_origin.hpp"
#include "policy/verdict_pool.hpp"
#include "policy/verdict_reason.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>

namespace flopledger::inline v1 {

using namespace detail;  // NOLINT(google-build-using-namespace): the evaluator's own pieces

void RegistryContext::add(const ModelRecord& record, const ModelEstimate& estimate) {
    index_[record.id] = entries_.size();
    entries_.push_back({&record, &estimate});
}

const RegistryContext::Entry* RegistryContext::find(std::string_view id) const {
    auto it = index_.find(std::string(id));
    return it == index_.end() ? nullptr : &entries_[it->second];
}

// ---------------------------------------------------------------------------------------------

namespace detail {

const std::vector<PolicyDay>& EvaluatorState::statesOn(const Date& asOf) const {
    struct Entry {
        std::uint64_t owner = 0;
        long day = 0;
        std::vector<PolicyDay> states;
    };
    thread_local std::array<Entry, 4> cache;
    thread_local std::size_t next = 0;
    const long day = asOf.daysSinceEpoch();
    if constexpr (kFastPaths)  // OFF: recomputed for every record
        for (const Entry& e : cache)
            if (e.owner == id && e.day == day) return e.states;
    Entry& e = cache[next++ % cache.size()];
    e.owner = 0;  // unusable until filled (an exception below leaves it so)
    e.states.clear();
    for (const CompiledPolicy& cp : compiled) {
        const Policy& p = *cp.policy;
        const PolicyState st = p.stateOn(asOf);
        e.states.push_back({st.inForce, !st.lastEvent && !p.history.empty(),
                            std::string(toString(st.legalStatus))});
    }
    e.owner = id;
    e.day = day;
    return e.states;
}

int EvaluatorState::scopeIndex(const CountingScope& s) {
    for (std::size_t i = 0; i < scopes.size(); ++i)
        if (sameScope(scopes[i], s)) return static_cast<int>(i);
    scopes.push_back(s);
    return static_cast<int>(scopes.size() - 1);
}

int EvaluatorState::compileNode(const Policy& p, const Condition& c, CompiledTree& tree,
                                std::vector<std::string>& notes) {
    const int index = static_cast<int>(tree.nodes.size());
    tree.nodes.emplace_back();
    tree.nodes[index].cond = &c;
    if (!c.note.empty()) addUnique(notes, c.note);
    if (c.op == Condition::Op::Leaf) {
        tree.nodes[index].id = leafCount++;
        tree.nodes[index].constant = toDouble(c.threshold.value);
        tree.nodes[index].comparatorText = std::string(toString(c.reading));
        tree.nodes[index].constPoint = Interval::point(c.threshold.value);
        tree.nodes[index].constWhole = wholeU128(c.threshold.value, tree.nodes[index].constU128);
        if (positive(c.threshold.value))
            tree.nodes[index].constLog10 = fastLog10(c.threshold.value);
        if (metricInfo(c.metric).scope != MetricScope::None)
            tree.nodes[index].scope = scopeIndex(c.scope ? *c.scope : p.scope);
        if (c.primary && tree.primary < 0) tree.primary = index;
        if (c.metric == Metric::DeclaredFact) {
            tree.nodes[index].factPath = detail::factPath(c);
            tree.nodes[index].factNote = detail::undeclaredFactNote(c);
        }
    } else {
        for (const Condition& child : c.children) {
            const int ci = compileNode(p, child, tree, notes);
            tree.nodes[index].children.push_back(ci);
        }
    }
    return index;
}

CompiledTree EvaluatorState::compileTree(const Policy& p, const Condition& root, bool cluster,
                                         std::vector<std::string>& notes) {
    CompiledTree tree;
    compileNode(p, root, tree, notes);
    // Post-order: children (in order) before their node.
    const auto post = [&tree](const auto& self, int i) -> void {
        for (const int c : tree.nodes[static_cast<std::size_t>(i)].children) self(self, c);
        tree.postOrder.push_back(i);
    };
    post(post, 0);
    for (std::size_t i = 0; i < tree.nodes.size(); ++i)
        if (tree.nodes[i].cond->op == Condition::Op::Leaf)
            tree.leaves.push_back(static_cast<int>(i));
    if (tree.primary < 0) {
        // The first compute leaf (cluster: the peak) fills the verdict's compute fields.
        for (std::size_t i = 0; i < tree.nodes.size(); ++i) {
            const Condition* c = tree.nodes[i].cond;
            if (c->op != Condition::Op::Leaf) continue;
            if (cluster ? c->metric == Metric::ClusterPeak : isCompute(c->metric)) {
                tree.primary = static_cast<int>(i);
                break;
            }
        }
    }
    return tree;
}

void EvaluatorState::compile() {
    for (const Policy* p : policies) {
        CompiledPolicy cp;
        cp.policy = p;
        if (p->illustrative)
            cp.staticNotes.push_back("illustrative policy: not law, shown for comparison");
        for (const std::string& r : p->readings) addUnique(cp.staticNotes, r);
        for (const AlternativeReading& a : p->alternatives)
            addUnique(cp.staticNotes, "contested reading: the other reading ('" + a.id +
                                          "', shown by sensitivity): " + a.reading);
        cp.testsFacts = !declaredFactIds({p}).empty();
        if (p->conditions) cp.model = compileTree(*p, *p->conditions, false, cp.staticNotes);
        if (p->clusterConditions)
            cp.cluster = compileTree(*p, *p->clusterConditions, true, cp.staticNotes);
        if (cp.model) {
            cp.modelOffset = modelNodeCount;
            modelNodeCount += cp.model->nodes.size();
        }
        compiled.push_back(std::move(cp));
    }
    classifyComparisons();
}

void EvaluatorState::classifyComparisons() {
    std::vector<const Node*> firsts;  // the first leaf of each class
    for (CompiledPolicy& cp : compiled) {
        if (!cp.model) continue;
        for (Node& n : cp.model->nodes) {
            const Condition& c = *n.cond;
            // Metrics whose value depends only on the record and the leaf's scope (in the key):
            // a per-scope cache, the record's revenue, the parent's FLOP (ctx.parentFlop), the
            // same interval for every leaf of the class (developer revenue > 5e8: four policies).
            const bool shared =
                c.metric == Metric::TrainingCompute || c.metric == Metric::LargestStageCompute ||
                c.metric == Metric::ModificationCompute || c.metric == Metric::ComputeCost ||
                c.metric == Metric::DeveloperRevenue || c.metric == Metric::ParentTrainingCompute;
            const bool scoped = metricInfo(c.metric).scope != MetricScope::None;
            if (c.op != Condition::Op::Leaf || !shared || (scoped && n.scope < 0) ||
                c.threshold.kind != ThresholdKind::Constant)
                continue;
            std::size_t k = 0;
            for (; k < firsts.size(); ++k) {
                const Condition& f = *firsts[k]->cond;
                if (f.metric == c.metric && firsts[k]->scope == n.scope && f.reading == c.reading &&
                    f.threshold.value == c.threshold.value)
                    break;
            }
            if (k == firsts.size()) firsts.push_back(&n);
            n.compareClass = static_cast<int>(k);
        }
    }
    compareClasses = static_cast<int>(firsts.size());
}

void fillState(Verdict& v, const CompiledPolicy& cp, const Date& asOf, const PolicyDay& day,
               bool texts, bool texted, bool sameDay) {
    const Policy& p = *cp.policy;
    // A pooled verdict of this policy from this evaluator (`texted`) keeps its id and, on the
    // same date, its legal status (resetVerdict leaves both): no string assignment, and made
    // for the same date (`sameDay`) no comparison either.
    if (!texted || v.policy.size() != p.id.size()) v.policy = p.id;
    v.inForce = day.inForce;
    if (!texted || (!sameDay && v.legalStatus != day.legalStatus)) v.legalStatus = day.legalStatus;
    if (!texts) {
        v.title.clear();  // (a pooled verdict's, verdict_pool.hpp)
        v.notes.clear();
        return;
    }
    const std::size_t n = cp.staticNotes.size();
    if (texted && v.title.size() == p.title.size() && v.notes.size() >= n) {
        // This policy's verdict from this evaluator (verdict_pool.hpp): title and static notes
        // are in place; the record's own notes go.
        v.notes.resize(n);
    } else {
        v.title = p.title;
        // Room for the notes added later (threshold, lower bound, probability): no regrowth.
        v.notes.reserve(n + 3);
        assignStrings(v.notes, cp.staticNotes);  // a pooled verdict's strings keep their storage
    }
    if (day.beforeFirstEvent)
        v.notes.push_back("as of " + asOf.toIsoDay() +
                          " the instrument was not yet enacted (first recorded event: " +
                          p.history.front().event + " " + p.history.front().date.toString() +
                          "): proposed at most, not in force");
}

// The verdicts' titles and first notes are their policies' (fillState): the writers may replay
// the policies' bytes for them while the stream engine's scope is open (verdict_origin.hpp).
static void noteVerdictOrigin(const EvaluatorState& impl, const std::vector<Verdict>& verdicts) {
    if (!impl.request.texts || !verdictOriginsOpen()) return;
    thread_local std::vector<std::uint32_t> counts;
    counts.clear();
    for (const CompiledPolicy& cp : impl.compiled)
        if (cp.model) counts.push_back(static_cast<std::uint32_t>(cp.staticNotes.size()));
    recordVerdictOrigin(verdicts, impl.id, counts);
}

}  // namespace detail

PolicyEvaluator::PolicyEvaluator(std::vector<const Policy*> policies, EvaluationOptions options)
    : impl_(std::make_unique<Impl>()) {
    impl_->policies = std::move(policies);
    impl_->options = options;
    // samples == 0 is the public "no probabilities" (no Monte Carlo, no quadrature either).
    impl_->request.probabilities = options.monteCarlo.samples > 0;
    impl_->compile();
    for (auto& [id, label] : declaredFactIds(impl_->policies)) impl_->factIds.push_back(id);
}

PolicyEvaluator::~PolicyEvaluator() = default;
PolicyEvaluator::PolicyEvaluator(PolicyEvaluator&&) noexcept = default;
PolicyEvaluator& PolicyEvaluator::operator=(PolicyEvaluator&&) noexcept = default;

const std::vector<const Policy*>& PolicyEvaluator::policies() const {
    return impl_->policies;
}

namespace {

const std::string noParentNote = "no parent: not a modification of another model";
const std::string textOnlyBioNote =
    "no biological modality declared: bio_sequence_share read as 0 (a reading)";

// The threshold of leaf n for the record: constant, relative to the parent, indexed to
// algorithmic progress (cached per date) or the compute of a ranked registry model.
void thresholdFor(const EvaluatorState& impl, ModelCtx& ctx, const Node& n, ThresholdValue& t) {
    const Condition& c = *n.cond;
    const ThresholdSpec& spec = c.threshold;
    switch (spec.kind) {
        case ThresholdKind::Constant:
            t.ref = &n.constPoint;
            break;
        case ThresholdKind::RelativeToParent: {
            std::string note;
            if (const Interval* pf = ctx.parentFlop(n.scope, &note)) {
                t.owned.emplace(*pf * spec.value);
                t.note = std::move(note);
            } else if (ctx.record.parent && ctx.record.parent->systemicRisk) {
                const bool sr = *ctx.record.parent->systemicRisk;
                const auto& base = sr ? spec.fallbackIfSystemicRisk : spec.fallbackOtherwise;
                if (base) {
                    t.owned.emplace(Interval::point(*base * spec.value));
                    t.note = "parent's compute unknown: fallback " + spec.valueText + " x " +
                             formatScientific(*base, 3) + " FLOP (parent " +
                             (sr ? "is" : "is not") + " a systemic-risk model)";
                } else {
                    t.missing.push_back("parent.training_flop");
                }
            } else {
                t.missing.push_back("parent.training_flop");
                t.missing.push_back("parent.systemic_risk");
            }
            break;
        }
        case ThresholdKind::EffectiveCompute: {
            const auto& d = impl.dated(n, ctx.asOf, [&] {
                EvaluatorState::DatedLeaf e;
                e.months = wholeMonthsBetween(spec.referenceDate, ctx.asOf);
                e.note = "threshold indexed to algorithmic progress: " + spec.valueText +
                         " effective FLOP at " + spec.referenceDate.toString() +
                         ", halving every " + formatScientific(spec.halvingMonths, 3) +
                         " months; " + std::to_string(e.months) + " whole months elapsed";
                e.effective = effectiveComputeThreshold(spec, ctx.asOf);
                // Without printf text: exact rounding, finite for any date, any locale.
                e.effectiveLog10 = effectiveThresholdLog10(spec, e.months);
                e.effectiveRounded = effectiveThresholdShown(spec, e.months);
                return e;
            });
            t.effective = true;
            t.months = d.months;
            t.sharedNote = &d.note;
            break;
        }
        case ThresholdKind::FrontierRank: {
            const RegistryContext* reg = impl.options.registry;
            const auto& d = impl.dated(n, ctx.asOf, [&] {
                EvaluatorState::DatedLeaf e;
                if (reg) {
                    std::vector<Exact> sizes;
                    for (const auto& entry : reg->entries()) {
                        if (!entry.record->released || ctx.asOf < *entry.record->released) continue;
                        sizes.push_back(countedFlop(*entry.estimate, ctx.scope(n.scope)).central);
                    }
                    const auto k = static_cast<std::size_t>(spec.rank);
                    if (k >= 1 && sizes.size() >= k) {
                        std::nth_element(sizes.begin(), sizes.begin() + static_cast<long>(k - 1),
                                         sizes.end(), std::greater<Exact>());
                        e.value.emplace(Interval::point(sizes[k - 1]));
                    }
                }
                if (e.value)
                    e.note = "threshold: compute of the model ranked " + std::to_string(spec.rank) +
                             " in the registry among those released by " + ctx.asOf.toIsoDay();
                else
                    e.missing = "registry (at least " + std::to_string(spec.rank) +
                                " models released by " + ctx.asOf.toIsoDay() + ")";
                return e;
            });
            if (d.value) {
                t.ref = &*d.value;
                t.sharedNote = &d.note;
            } else {
                t.missing.push_back(d.missing);
            }
            break;
        }
    }
}

// Leaf n of a model tree for the record: its metric, its threshold, its exact outcome.
// `compared`: the record's comparisons by Node::compareClass (fast path), or nullptr.
void modelLeaf(const EvaluatorState& impl, ModelCtx& ctx, const Node& n, LeafOutcome& o,
               signed char* compared) {
    const Condition& c = *n.cond;
    switch (c.metric) {
        case Metric::TrainingCompute:
            o.cached = &ctx.counted(n.scope);
            break;
        case Metric::LargestStageCompute:
            o.cached = &ctx.largestStage(n.scope);
            break;
        case Metric::ModificationCompute:
            if (!ctx.record.parent) {
                o.tri = Tri::False;
                o.cached = &ctx.counted(n.scope);
                o.threshold.sharedNote = &noParentNote;
                return;
            }
            o.cached = &ctx.counted(n.scope);
            break;
        case Metric::ComputeCost:
            o.cached = &ctx.costFor(n.scope);
            break;
        case Metric::DeveloperRevenue:
            quantityMetric(o.own, ctx.record.developerRevenueUsd, "developer_revenue_usd");
            break;
        case Metric::BioSequenceShare:
            if (!ctx.record.bioSequenceShare && textOnlyForBio(ctx.record)) {
                // Reading (docs/policies.md): no biological modality declared, share 0.
                static const Interval zeroShare = Interval::point(Exact(0));
                o.own.ref = &zeroShare;
                o.threshold.sharedNote = &textOnlyBioNote;
                break;
            }
            quantityMetric(o.own, ctx.record.bioSequenceShare, "bio_sequence_share");
            break;
        case Metric::ParentTrainingCompute: {
            std::string note;
            if (const Interval* pf = ctx.parentFlop(n.scope, &note))
                o.own.ref = pf;
            else
                o.own.missing.push_back("parent.training_flop");
            o.threshold.note = std::move(note);
            break;
        }
        case Metric::ParentComputeCost:
            if (ctx.parentEntry)
                ModelCtx::costOf(o.own, *ctx.parentEntry->estimate, ctx.scope(n.scope));
            else
                o.own.missing.push_back(
                    "parent (a ctx.record of the same registry, with stages[].cost_usd)");
            break;
        case Metric::GeneratedModalities:
            if (ctx.record.modalities.empty()) {
                o.own.missing.push_back("modalities");
                o.tri = Tri::Unknown;
            } else {
                bool any = false;
                for (Modality m : ctx.record.modalities)
                    any = any || std::find(c.anyOf.begin(), c.anyOf.end(), m) != c.anyOf.end();
                o.tri = any ? Tri::True : Tri::False;
            }
            return;
        case Metric::Weights:
            if (!ctx.record.openWeights) {
                o.own.missing.push_back("weights");
                o.tri = Tri::Unknown;
            } else {
                o.tri = *ctx.record.openWeights == c.equals ? Tri::True : Tri::False;
            }
            return;
        case Metric::Distilled: {
            const bool distilled = std::any_of(
                ctx.record.stages.begin(), ctx.record.stages.end(),
                [](const Stage& s) { return s.kind == StageKind::DistillationTeacher; });
            o.tri = distilled == c.equals ? Tri::True : Tri::False;
            return;
        }
        case Metric::DeclaredFact:
            // Never assumed: an undeclared fact is unknown, named in missing and notes.
            if (const auto f = ctx.record.fact(c.fact)) {
                o.tri = *f == c.equals ? Tri::True : Tri::False;
            } else {
                o.tri = Tri::Unknown;
                if constexpr (kFastPaths) {  // the compiled texts, borrowed
                    o.own.missingInput = n.factPath.c_str();
                    o.threshold.sharedNote = &n.factNote;
                } else {
                    o.own.missing.push_back(detail::factPath(c));
                    o.threshold.note = detail::undeclaredFactNote(c);
                }
            }
            return;
        case Metric::ClusterPeak:
        case Metric::ClusterNetwork:
        case Metric::SingleDatacenter:
            o.tri = Tri::Unknown;
            return;
    }
    thresholdFor(impl, ctx, n, o.threshold);
    if (compared != nullptr && n.compareClass >= 0) {
        // The same metered value (classifyComparisons) against the same constant.
        signed char& known = compared[n.compareClass];
        if (known < 0)
            known = static_cast<signed char>(compareLeaf(c, o.metric(), o.threshold, c.threshold));
        o.tri = static_cast<Tri>(known);
        return;
    }
    o.tri = compareLeaf(c, o.metric(), o.threshold, c.threshold);
}

}  // namespace

std::vector<Verdict> PolicyEvaluator::evaluate(const ModelRecord& record,
                                               const ModelEstimate& estimate,
                                               const Date& asOf) const {
    const Impl& impl = *impl_;
    const SlotsLease slots;
    ModelCtx ctx(impl.scopes, impl.options, record, estimate, asOf, *slots);
    // A used vector from the thread's pool when there is one (fast path): its verdicts are
    // reset and filled in place, their strings keep their storage.
    bool sameEvaluator = false;
    long madeDay = 0;
    std::vector<Verdict> verdicts = takeVerdicts(impl.id, sameEvaluator, madeDay);
    const long day = asOf.daysSinceEpoch();
    const bool sameDay = sameEvaluator && madeDay == day;
    std::size_t used = 0;
    std::vector<const CompiledPolicy*> indeterminate;
    std::vector<std::size_t> indetIndex;
    std::vector<signed char>& compared = (*slots).compared;
    compared.assign(static_cast<std::size_t>(impl.compareClasses), -1);
    signed char* const memo = kFastPaths ? compared.data() : nullptr;
    // Slots laid out by this evaluator for an earlier record are reset leaf by leaf as they are
    // filled (fast path): the combination nodes' slots hold only their tri, which
    // evalTreeKeeping overwrites. Otherwise every slot is built afresh.
    RecordSlots& rs = *slots;
    const bool reuse =
        kFastPaths && rs.outcomesOwner == impl.id && rs.outcomes.size() == impl.modelNodeCount;
    auto leafFn = [&](const Node& n, LeafOutcome& o) {
        if (reuse) o.reset();
        modelLeaf(impl, ctx, n, o, memo);
    };

    verdicts.reserve(impl.compiled.size());
    const std::vector<PolicyDay>& days = impl.statesOn(asOf);
    // One outcome slot per node of every model tree, filled in place (the Monte Carlo below
    // reads the indeterminate policies' slots). The block is the thread's (RecordSlots):
    // allocating these tens of kilobytes per record made glibc consolidate its fast bins.
    std::vector<LeafOutcome>& outcomes = rs.outcomes;
    if (!reuse) freshSlots(outcomes, impl.modelNodeCount);
    rs.outcomesOwner = 0;  // an exception below leaves the slots unusable for reuse
    for (std::size_t pi = 0; pi < impl.compiled.size(); ++pi) {
        const CompiledPolicy& cp = impl.compiled[pi];
        if (!cp.model) continue;
        const bool pooled = used < verdicts.size();
        Verdict& v = pooled ? verdicts[used] : verdicts.emplace_back();  // in place: no move
        ++used;
        if (pooled) resetVerdict(v);
        fillState(v, cp, asOf, days[pi], impl.request.texts, pooled && sameEvaluator,
                  pooled && sameDay);
        LeafOutcome* outs = outcomes.data() + cp.modelOffset;
        const Tri result = kFastPaths ? evalTreeFlat(*cp.model, outs, leafFn)
                                      : evalTreeKeeping(*cp.model, outs, 0, leafFn);
        v.status = toStatus(result);
        fillPrimary(v, *cp.model, outs, kFastPaths ? &rs.logs : nullptr, pooled && sameEvaluator);
        if (cp.testsFacts && !ctx.record.facts.empty() && impl.request.texts) {
            std::string note = detail::unknownFactsNote(ctx.record, impl.factIds);
            if (!note.empty()) v.notes.push_back(std::move(note));
        }
        // Notes and missing inputs come from leaves only (a combination's slot holds its tri
        // alone): the fast path visits the leaves, OFF every node.
        const std::size_t visits = kFastPaths ? cp.model->leaves.size() : cp.model->nodes.size();
        for (std::size_t k = 0; k < visits; ++k) {
            const std::size_t i = kFastPaths ? static_cast<std::size_t>(cp.model->leaves[k]) : k;
            const LeafOutcome& o = outs[i];
            const std::string& note = o.threshold.noteText();
            if (!note.empty() && impl.request.texts) addUnique(v.notes, note);
            if (result == Tri::Unknown && o.tri == Tri::Unknown) {
                addMissing(v.missing, o.metric());
                for (const auto& m : o.threshold.missing) addUnique(v.missing, m);
            }
        }
        if (cp.model->primary >= 0) {
            const Node& pn = cp.model->nodes[static_cast<std::size_t>(cp.model->primary)];
            const LeafOutcome& po = outs[cp.model->primary];
            if (po.threshold.effective) {
                // The shown threshold, its log and the note are the cached per-date values.
                const auto& d = impl.dated(pn, asOf, [&]() -> EvaluatorState::DatedLeaf {
                    throw std::logic_error("effective-compute leaf evaluated without its date");
                });
                v.threshold = d.effectiveRounded;
                if (v.countedFlop && positive(v.countedFlop->central))
                    v.marginLog10 = log10Central(po.metric()) - d.effectiveLog10;
                v.notes.push_back(
                    "threshold shown rounded to 7 digits; the decision compares exactly");
            }
        }
        if (result == Tri::True) v.probability = 1.0;
        if (result == Tri::False) v.probability = 0.0;
        if (result == Tri::Indet) {
            indeterminate.push_back(&cp);
            indetIndex.push_back(used - 1);
        }
    }
    verdicts.resize(used);  // a pooled vector may have held more
    rs.outcomesOwner = impl.id;

    if (!indeterminate.empty() && impl.request.probabilities)
        drawProbabilities(impl, ctx, indeterminate, outcomes, verdicts, indetIndex);
    if (!impl.request.texts)
        for (Verdict& v : verdicts) v.notes.clear();  // the rare per-record notes too
    if constexpr (kFastPaths) {  // explainVerdicts reads the leaves' outcomes, not redoes them
        keepLeafResults(impl, record, estimate, asOf, verdicts, outcomes);
        madeVerdicts(verdicts, impl.id, day);
        noteVerdictOrigin(impl, verdicts);
    }
    return verdicts;
}

PolicyEvaluator detail::EvaluatorAccess::make(std::vector<const Policy*> policies,
                                              EvaluationOptions options,
                                              EvaluationRequest request) {
    PolicyEvaluator ev(std::move(policies), options);
    ev.impl_->request.texts = request.texts;
    ev.impl_->request.probabilities &= request.probabilities;  // and samples > 0 (constructor)
    return ev;
}

Verdict detail::evaluatePolicy(const Policy& policy, const ModelRecord& record,
                               const ModelEstimate& estimate, const Date& asOf,
                               const EvaluationOptions& options, EvaluationRequest request) {
    const PolicyEvaluator ev = EvaluatorAccess::make({&policy}, options, request);
    auto v = ev.evaluate(record, estimate, asOf);
    if (v.empty())
        throw InputError(ErrorCode::Usage,
                         "policy \"" + policy.id + "\" does not apply to model records");
    return std::move(v.front());
}

Verdict evaluatePolicy(const Policy& policy, const ModelRecord& record,
                       const ModelEstimate& estimate, const Date& asOf,
                       const EvaluationOptions& options) {
    PolicyEvaluator ev({&policy}, options);
    auto v = ev.evaluate(record, estimate, asOf);
    if (v.empty())
        throw InputError(ErrorCode::Usage,
                         "policy \"" + policy.id + "\" does not apply to model records");
    return std::move(v.front());
}

Verdict evaluatePolicy(const Policy& policy, const ClusterRecord& record, const Date& asOf,
                       const EvaluationOptions& options) {
    PolicyEvaluator ev({&policy}, options);
    auto v = ev.evaluate(record, asOf);
    if (v.empty())
        throw InputError(ErrorCode::Usage,
                         "policy \"" + policy.id + "\" does not apply to cluster records");
    return std::move(v.front());
}

}  // namespace flopledger::inline v1
