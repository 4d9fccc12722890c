#pragma once
// Private to the policy evaluator: the metrics of one record (counted compute per scope, largest
// stage, costs, the parent's compute), computed once per record and shared by every policy, in
// storage the thread keeps across records.
#include "policy/evaluator_detail.hpp"

#include "base/exact_fast.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace flopledger::inline v1::detail {

// Per-record state shared by every policy: metrics per scope are computed once.
// A record's evaluation state, kept per thread across records so that its vectors are not
// allocated and freed for every record; each record starts from freshly constructed slots
// (clear() + resize()). `busy` marks the thread's storage in use: an evaluation nested in
// another on the same thread (there is none today) gets storage of its own.
struct RecordSlots {
    std::vector<std::optional<Metered>> flop, largest, cost;
    RecordLogs logs;  // fillPrimary's margins' logs (fast path)
    std::vector<std::optional<Interval>> parentCounted;
    std::vector<LeafOutcome> outcomes;
    // The evaluator (EvaluatorState::id) whose model trees the outcome slots were last laid out
    // for: its combination nodes' slots hold nothing but their tri (fast path).
    std::uint64_t outcomesOwner = 0;
    std::vector<signed char> compared;  // per Node::compareClass: its Tri, or -1 not yet made
    std::vector<std::uint64_t> summed;  // per scope: the stages its counted sum adds (or 0)
    bool busy = false;
};

template <class V>
void freshSlots(V& v, std::size_t n) {
    v.clear();
    v.resize(n);
}

// freshSlots for vectors of optionals: the thread's slots of the right size are emptied in place
// (fast path), without destroying and constructing each.
template <class V>
void emptySlots(V& v, std::size_t n) {
    if (kFastPaths && v.size() == n) {
        for (auto& slot : v) slot.reset();
        return;
    }
    freshSlots(v, n);
}

// The thread's RecordSlots for one evaluation (or a private one when they are in use).
class SlotsLease {
public:
    SlotsLease() {
        thread_local RecordSlots threadSlots;
        slots_ = &threadSlots;
        if (!kFastPaths || slots_->busy) {  // OFF: fresh storage per record
            own_ = std::make_unique<RecordSlots>();
            slots_ = own_.get();
        }
        slots_->busy = true;
    }
    ~SlotsLease() { slots_->busy = false; }
    SlotsLease(const SlotsLease&) = delete;
    SlotsLease& operator=(const SlotsLease&) = delete;
    RecordSlots& operator*() const { return *slots_; }

private:
    RecordSlots* slots_ = nullptr;
    std::unique_ptr<RecordSlots> own_;
};

struct ModelCtx {
    const std::vector<CountingScope>& scopes;
    const EvaluationOptions& options;
    const ModelRecord& record;
    const ModelEstimate& estimate;
    Date asOf;
    std::vector<std::optional<Metered>>& flop;
    std::vector<std::optional<Metered>>& largest;
    std::vector<std::optional<Metered>>& cost;
    std::vector<std::optional<Interval>>& parentCounted;  // the registry parent's counted FLOP
    std::vector<std::uint64_t>& summed;
    const RegistryContext::Entry* parentEntry = nullptr;

    ModelCtx(const std::vector<CountingScope>& sc, const EvaluationOptions& o, const ModelRecord& r,
             const ModelEstimate& e, Date d, RecordSlots& slots)
        : scopes(sc),
          options(o),
          record(r),
          estimate(e),
          asOf(d),
          flop(slots.flop),
          largest(slots.largest),
          cost(slots.cost),
          parentCounted(slots.parentCounted),
          summed(slots.summed) {
        emptySlots(flop, sc.size());
        slots.logs.clear();
        summed.assign(sc.size(), 0);
        emptySlots(largest, sc.size());
        emptySlots(cost, sc.size());
        emptySlots(parentCounted, sc.size());
        if (record.parent && !record.parent->id.empty() && options.registry) {
            parentEntry = options.registry->find(record.parent->id);
            if (parentEntry && parentEntry->record == &record) parentEntry = nullptr;
        }
    }

    const CountingScope& scope(int i) const { return scopes[static_cast<std::size_t>(i)]; }

    const Metered& counted(int s) {
        auto& slot = flop[static_cast<std::size_t>(s)];
        if (!slot) {
            Metered& m = slot.emplace();  // filled in place: no Interval moves
            if (record.stages.empty()) {
                m.missing.push_back("stages");
                m.unboundedHigh = true;
                setZero(m);
            } else {
                // One counted term (the usual case): borrow the stage's interval, the value
                // countedFlop would copy. Otherwise sum.
                const Interval* only = nullptr;
                int terms = 0;
                // Which stage terms the sum adds (bit 2i: stage i, bit 2i+1: its recompute):
                // two scopes adding the same terms have the same sum (fast path, <= 31 stages).
                std::uint64_t adds = 0;
                for (std::size_t i = 0; i < estimate.stages.size(); ++i) {
                    const StageEstimate& se = estimate.stages[i];
                    if (!scope(s).includes(se)) continue;
                    ++terms;
                    only = &se.flop;
                    adds |= std::uint64_t{1} << (2 * (i % 32));
                    if (scope(s).recompute && se.recomputeFlop) {
                        ++terms;
                        adds |= std::uint64_t{2} << (2 * (i % 32));
                    }
                    if (!se.method) {
                        m.unboundedHigh = true;
                        addUnique(m.missing, "stages[].flop");
                    }
                }
                if (terms == 1) {
                    m.ref = only;
                } else if (kFastPaths && estimate.stages.size() <= 31 && adds != 0) {
                    for (std::size_t j = 0; j < summed.size() && !m.ref; ++j)
                        if (summed[j] == adds && flop[j]) m.ref = flop[j]->value();
                    if (!m.ref) {
                        m.owned.emplace(countedFlop(estimate, scope(s)));
                        summed[static_cast<std::size_t>(s)] = adds;
                    }
                } else {
                    m.owned.emplace(countedFlop(estimate, scope(s)));
                }
            }
        }
        return *slot;
    }

    const Metered& largestStage(int s) {
        auto& slot = largest[static_cast<std::size_t>(s)];
        if (!slot) {
            Metered& m = slot.emplace();
            // The running maxima are pointers into the stages (or into `sums` when a stage adds
            // its recompute): the same comparisons as before, without copying each stage.
            static const Exact zero(0);
            const Exact* bestLow = &zero;
            const Exact* bestCentral = &zero;
            const Exact* bestHigh = &zero;
            // The interval each maximum comes from: a stage's own (borrowed when all three do,
            // fast path, as counted() borrows a single term), a sum, or none yet.
            const Interval* fromLow = nullptr;
            const Interval* fromCentral = nullptr;
            const Interval* fromHigh = nullptr;
            std::vector<Interval> sums;
            if (scope(s).recompute) sums.reserve(estimate.stages.size());
            if (record.stages.empty()) {
                m.missing.push_back("stages");
                m.unboundedHigh = true;
            }
            for (const StageEstimate& se : estimate.stages) {
                if (!scope(s).includes(se)) continue;
                if (!se.method) {
                    m.unboundedHigh = true;
                    addUnique(m.missing, "stages[].flop");
                }
                const Interval* v = &se.flop;
                if (scope(s).recompute && se.recomputeFlop) {
                    sums.push_back(se.flop + *se.recomputeFlop);
                    v = &sums.back();
                }
                const Interval* own = v == &se.flop ? v : nullptr;
                if (detail::compareExact(v->low, *bestLow) > 0) {
                    bestLow = &v->low;
                    fromLow = own;
                }
                if (detail::compareExact(v->central, *bestCentral) > 0) {
                    bestCentral = &v->central;
                    fromCentral = own;
                }
                if (detail::compareExact(v->high, *bestHigh) > 0) {
                    bestHigh = &v->high;
                    fromHigh = own;
                }
            }
            if (kFastPaths && fromLow != nullptr && fromLow == fromCentral && fromLow == fromHigh)
                m.ref = fromLow;
            else
                m.owned.emplace(Interval{*bestLow, *bestCentral, *bestHigh});
        }
        return *slot;
    }

    static void costOf(Metered& m, const ModelEstimate& est, const CountingScope& sc) {
        // The only missing input a cost can report (once): kept without a string allocation.
        if (est.stages.empty()) {
            m.missingInput = "stages[].cost_usd";
            m.unboundedHigh = true;
        }
        // 0 + x is x: a single cost is borrowed; sums start from the first cost.
        const Interval* first = nullptr;
        std::optional<Interval> sum;
        for (const StageEstimate& se : est.stages) {
            if (!sc.includes(se)) continue;
            if (se.costUsd) {
                const Interval& c = se.costUsd->value;
                if (!first)
                    first = &c;
                else
                    sum = (sum ? *sum : *first) + c;
            } else {
                m.unboundedHigh = true;
                m.missingInput = "stages[].cost_usd";
            }
        }
        if (sum)
            m.owned.emplace(std::move(*sum));
        else if (first)
            m.ref = first;
        else
            setZero(m);
    }

    // A value of 0: the shared constant (fast path; OFF: the record's own copy).
    static void setZero(Metered& m) {
        if constexpr (kFastPaths) {
            static const Interval zero = Interval::point(0);
            m.ref = &zero;
        } else {
            m.owned.emplace(Interval::point(0));
        }
    }

    const Metered& costFor(int s) {
        auto& slot = cost[static_cast<std::size_t>(s)];
        if (!slot) costOf(slot.emplace(), estimate, scope(s));
        return *slot;
    }

    // The parent's training compute: stated in the record, else from the registry (counted
    // once per record and scope, then borrowed).
    const Interval* parentFlop(int s, std::string* note) {
        if (record.parent && record.parent->trainingFlop)
            return &record.parent->trainingFlop->value;
        if (parentEntry) {
            if (note)
                *note = "parent compute taken from registry record \"" + record.parent->id + "\"";
            auto& slot = parentCounted[static_cast<std::size_t>(s)];
            if (!slot) slot.emplace(countedFlop(*parentEntry->estimate, scope(s)));
            return &*slot;
        }
        return nullptr;
    }
};

/// Probabilities of the record's indeterminate verdicts (verdicts[indetIndex[k]] for
/// indeterminate[k]) from one Monte Carlo shared by every such policy (evaluator_draws.cpp).
void drawProbabilities(const EvaluatorState& state, ModelCtx& ctx,
                       const std::vector<const CompiledPolicy*>& indeterminate,
                       const std::vector<LeafOutcome>& outcomes, std::vector<Verdict>& verdicts,
                       const std::vector<std::size_t>& indetIndex);

}  // namespace flopledger::inline v1::detail
