// Evaluating policies: exact three-valued logic over intervals, shared per-record metrics, one
// Monte Carlo per record for the probabilities of indeterminate verdicts (policy.hpp).
#include <flopledger/policy.hpp>

#include "base/fast_exact.hpp"
#include "estimate/sampling.hpp"
#include "policy/verdict_reason.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <random>

namespace flopledger {
namespace {

enum class Tri { False, True, Indet, Unknown };

struct Node {
    const Condition* cond = nullptr;
    std::vector<int> children;
    int scope = -1;       // index into Impl::scopes for compute and cost leaves
    int id = 0;           // leaf number within the evaluator (frontier cache key)
    double constant = 0;  // Constant threshold as a double, for the Monte Carlo draws
    // The threshold as a point interval and its log10, made once here instead of per record.
    Interval constPoint;
    double constLog10 = 0;
    std::string comparatorText;  // toString(reading) for the verdict (leaves)
};

struct CompiledTree {
    std::vector<Node> nodes;  // nodes[0] is the root
    int primary = -1;
};

// A policy's state on one date, as fillState copies it into each verdict.
struct PolicyDay {
    bool inForce = false;
    bool beforeFirstEvent = false;  // the instrument did not exist yet on the date
    std::string legalStatus;
};

struct CompiledPolicy {
    const Policy* policy = nullptr;
    std::optional<CompiledTree> model;
    std::optional<CompiledTree> cluster;
    std::vector<std::string> staticNotes;
    std::size_t modelOffset = 0;  // first slot of the model tree in the per-record outcomes
};

bool sameScope(const CountingScope& a, const CountingScope& b) {
    return a.include == b.include && a.publicSyntheticData == b.publicSyntheticData &&
           a.recompute == b.recompute;
}

bool isCompute(Metric m) {
    return m == Metric::TrainingCompute || m == Metric::LargestStageCompute ||
           m == Metric::ModificationCompute;
}

// A metric's value: exact interval, possibly with an unknown upper bound (some counted input is
// missing, so the known part is only a lower bound).
// The value is either borrowed (`ref`: a record's quantity, a compiled constant, a per-record
// cache) or owned: borrowing avoids copying three rationals per leaf and policy.
struct Metered {
    const Interval* ref = nullptr;
    std::optional<Interval> owned;
    bool unboundedHigh = false;
    std::vector<std::string> missing;
    const char* missingInput = nullptr;  // a single missing input, without a string allocation
    mutable std::optional<double> log10Central;  // fastLog10(value()->central), once per record

    const Interval* value() const { return ref ? ref : owned ? &*owned : nullptr; }
};

struct ThresholdValue {
    const Interval* ref = nullptr;  // Constant, RelativeToParent, FrontierRank (see Metered)
    std::optional<Interval> owned;
    bool effective = false;  // EffectiveCompute: compare exactly via months
    long months = 0;
    std::vector<std::string> missing;
    std::string note;
    const std::string* sharedNote = nullptr;  // a note owned by the evaluator (no copy per leaf)

    const Interval* value() const { return ref ? ref : owned ? &*owned : nullptr; }
    const std::string& noteText() const { return sharedNote ? *sharedNote : note; }
};

struct LeafOutcome {
    Tri tri = Tri::Unknown;
    Metered own;                      // metrics computed for this leaf alone
    const Metered* cached = nullptr;  // metrics shared through the per-record cache
    ThresholdValue threshold;

    // User-provided: a vector of outcomes then runs the member initialisers only, instead of
    // first zero-filling ~600 bytes per slot (value-initialisation of an implicit constructor).
    LeafOutcome() {}  // NOLINT(modernize-use-equals-default)
    const Metered& metric() const { return cached ? *cached : own; }
};

void addUnique(std::vector<std::string>& out, const std::string& s) {
    if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
}

Exact roundedExact(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6e", v);
    return parseExact(buf);
}

bool positive(const Exact& x) {
    return x.backend().data().numerator().sign() > 0;
}

// log10 through a double when the value is a whole number a double holds (all FLOP counts);
// log10Exact otherwise.
double fastLog10(const Exact& x) {
    const auto& r = x.backend().data();
    if (r.denominator() == 1 && msb(r.numerator()) < 1000)
        return std::log10(r.numerator().convert_to<double>());
    return log10Exact(x);
}

double sampleQuantity(const Quantity& q, std::mt19937_64& rng) {
    if (!q.uncertain()) return toDouble(q.central());
    const double lo = toDouble(q.value.low), hi = toDouble(q.value.high);
    const double c = toDouble(q.value.central);
    const double u = std::uniform_real_distribution<double>(0.0, 1.0)(rng);
    switch (q.distribution) {
        case Distribution::Uniform:
            return lo + u * (hi - lo);
        case Distribution::LogUniform:
            if (lo > 0) return std::exp(std::log(lo) + u * (std::log(hi) - std::log(lo)));
            return lo + u * (hi - lo);
        case Distribution::Triangular: {
            const double f = (c - lo) / (hi - lo);
            if (u < f) return lo + std::sqrt(u * (hi - lo) * (c - lo));
            return hi - std::sqrt((1 - u) * (hi - lo) * (hi - c));
        }
    }
    return c;
}

Exact powExact(const Exact& x, unsigned n) {
    return Exact(BigInt(pow(numerator(x), n)), BigInt(pow(denominator(x), n)));
}

}  // namespace

// ---------------------------------------------------------------------------------------------

void RegistryContext::add(const ModelRecord& record, const ModelEstimate& estimate) {
    index_[record.id] = entries_.size();
    entries_.push_back({&record, &estimate});
}

const RegistryContext::Entry* RegistryContext::find(std::string_view id) const {
    auto it = index_.find(std::string(id));
    return it == index_.end() ? nullptr : &entries_[it->second];
}

long wholeMonthsBetween(const Date& from, const Date& to) {
    long months = (static_cast<long>(to.year) - from.year) * 12 + (to.month - from.month);
    if (months > 0 && to.day < from.day) --months;
    if (months < 0 && to.day > from.day) ++months;
    return months;
}

double effectiveComputeThreshold(const ThresholdSpec& spec, const Date& date) {
    const double months = static_cast<double>(wholeMonthsBetween(spec.referenceDate, date));
    return toDouble(spec.value) * std::pow(2.0, -months / toDouble(spec.halvingMonths));
}

int compareWithEffectiveThreshold(const Exact& x, const ThresholdSpec& spec, long months) {
    // x vs E * 2^(-months/h). With months/h = a/b in lowest terms (b > 0):
    // x > E * 2^(-a/b)  <=>  x^b * 2^a > E^b  (a >= 0),  x^b > E^b * 2^(-a)  (a < 0).
    // Both sides are non-negative, so raising to the b-th power keeps the order: exact.
    if (x <= 0) return spec.value > 0 ? -1 : 0;
    const Exact r = Exact(months) / spec.halvingMonths;
    const BigInt a = numerator(r);
    const BigInt b = denominator(r);
    const auto bu = b.convert_to<unsigned>();
    Exact lhs = powExact(x, bu);
    Exact rhs = powExact(spec.value, bu);
    const BigInt absA = a < 0 ? BigInt(-a) : a;
    const BigInt twoPow = BigInt(1) << absA.convert_to<unsigned>();
    if (a >= 0)
        lhs *= Exact(twoPow);
    else
        rhs *= Exact(twoPow);
    return detail::compareExact(lhs, rhs);
}

// ---------------------------------------------------------------------------------------------

struct PolicyEvaluator::Impl {
    std::vector<const Policy*> policies;
    EvaluationOptions options;
    Estimator defaultEstimator;
    std::vector<CountingScope> scopes;
    std::vector<CompiledPolicy> compiled;
    int leafCount = 0;
    std::size_t modelNodeCount = 0;     // nodes of every model tree (per-record outcome slots)
    const std::uint64_t id = nextId();  // tells this evaluator's cached states from others'

    static std::uint64_t nextId() {
        static std::atomic<std::uint64_t> counter{0};
        return ++counter;
    }

    // Every policy's state on a date (Policy::stateOn and its legal-status text), in compiled
    // order. Records of a run share one or a few dates, so each thread keeps the last few
    // dates' states instead of walking every policy's history per record. The reference is
    // valid until the thread's next call.
    const std::vector<PolicyDay>& statesOn(const Date& asOf) const {
        struct Entry {
            std::uint64_t owner = 0;
            long day = 0;
            std::vector<PolicyDay> states;
        };
        thread_local std::array<Entry, 4> cache;
        thread_local std::size_t next = 0;
        const long day = asOf.daysSinceEpoch();
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

    int scopeIndex(const CountingScope& s) {
        for (std::size_t i = 0; i < scopes.size(); ++i)
            if (sameScope(scopes[i], s)) return static_cast<int>(i);
        scopes.push_back(s);
        return static_cast<int>(scopes.size() - 1);
    }

    int compileNode(const Policy& p, const Condition& c, CompiledTree& tree,
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
            if (positive(c.threshold.value))
                tree.nodes[index].constLog10 = fastLog10(c.threshold.value);
            if (isCompute(c.metric) || c.metric == Metric::ComputeCost ||
                c.metric == Metric::ParentTrainingCompute || c.metric == Metric::ParentComputeCost)
                tree.nodes[index].scope = scopeIndex(c.scope ? *c.scope : p.scope);
            if (c.primary && tree.primary < 0) tree.primary = index;
        } else {
            for (const Condition& child : c.children) {
                const int ci = compileNode(p, child, tree, notes);
                tree.nodes[index].children.push_back(ci);
            }
        }
        return index;
    }

    CompiledTree compileTree(const Policy& p, const Condition& root, bool cluster,
                             std::vector<std::string>& notes) {
        CompiledTree tree;
        compileNode(p, root, tree, notes);
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

    void compile() {
        for (const Policy* p : policies) {
            CompiledPolicy cp;
            cp.policy = p;
            if (p->illustrative)
                cp.staticNotes.push_back("illustrative policy: not law, shown for comparison");
            for (const std::string& r : p->readings) addUnique(cp.staticNotes, r);
            if (p->conditions) cp.model = compileTree(*p, *p->conditions, false, cp.staticNotes);
            if (p->clusterConditions)
                cp.cluster = compileTree(*p, *p->clusterConditions, true, cp.staticNotes);
            if (cp.model) {
                cp.modelOffset = modelNodeCount;
                modelNodeCount += cp.model->nodes.size();
            }
            compiled.push_back(std::move(cp));
        }
    }

    // Per (leaf, date) facts that do not depend on the record (effective-compute threshold and
    // note, frontier rank value and note): computed once, then borrowed by every record. Map
    // nodes never move and entries are never overwritten (emplace), so references stay valid.
    struct DatedLeaf {
        std::optional<Interval> value;
        std::string note;
        std::string missing;
        long months = 0;
        double effective = 0;  // effectiveComputeThreshold(spec, date)
        double effectiveLog10 = 0;
        Exact effectiveRounded;  // roundedExact(effective), the verdict's shown threshold
    };
    mutable std::mutex datedMutex;
    mutable std::map<std::pair<int, long>, DatedLeaf> datedCache;

    template <typename Make>
    const DatedLeaf& dated(const Node& n, const Date& asOf, Make make) const {
        const std::pair<int, long> key{n.id, asOf.daysSinceEpoch()};
        {
            std::lock_guard<std::mutex> lock(datedMutex);
            auto it = datedCache.find(key);
            if (it != datedCache.end()) return it->second;
        }
        DatedLeaf d = make();
        std::lock_guard<std::mutex> lock(datedMutex);
        return datedCache.emplace(key, std::move(d)).first->second;
    }

    const HardwareCatalog& hardware() const {
        return options.hardware ? *options.hardware : HardwareCatalog::defaults();
    }
    const Estimator& estimator() const {
        return options.estimator ? *options.estimator : defaultEstimator;
    }
};

namespace {

// Per-record state shared by every policy: metrics per scope are computed once.
// A record's evaluation state, kept per thread across records so that its vectors are not
// allocated and freed for every record; each record starts from freshly constructed slots
// (clear() + resize()). `busy` marks the thread's storage in use: an evaluation nested in
// another on the same thread (there is none today) gets storage of its own.
struct RecordSlots {
    std::vector<std::optional<Metered>> flop, largest, cost;
    std::vector<std::optional<Interval>> parentCounted;
    std::vector<LeafOutcome> outcomes;
    bool busy = false;
};

template <class V>
void freshSlots(V& v, std::size_t n) {
    v.clear();
    v.resize(n);
}

// The thread's RecordSlots for one evaluation (or a private one when they are in use).
class SlotsLease {
public:
    SlotsLease() {
        thread_local RecordSlots threadSlots;
        slots_ = &threadSlots;
        if (slots_->busy) {
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
          parentCounted(slots.parentCounted) {
        freshSlots(flop, sc.size());
        freshSlots(largest, sc.size());
        freshSlots(cost, sc.size());
        freshSlots(parentCounted, sc.size());
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
                m.owned.emplace(Interval::point(0));
            } else {
                // One counted term (the usual case): borrow the stage's interval, the value
                // countedFlop would copy. Otherwise sum.
                const Interval* only = nullptr;
                int terms = 0;
                for (const StageEstimate& se : estimate.stages) {
                    if (!scope(s).includes(se)) continue;
                    ++terms;
                    only = &se.flop;
                    if (scope(s).recompute && se.recomputeFlop) ++terms;
                    if (!se.method) {
                        m.unboundedHigh = true;
                        addUnique(m.missing, "stages[].flop");
                    }
                }
                if (terms == 1)
                    m.ref = only;
                else
                    m.owned.emplace(countedFlop(estimate, scope(s)));
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
            std::vector<Interval> sums;
            sums.reserve(estimate.stages.size());
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
                if (detail::compareExact(v->low, *bestLow) > 0) bestLow = &v->low;
                if (detail::compareExact(v->central, *bestCentral) > 0) bestCentral = &v->central;
                if (detail::compareExact(v->high, *bestHigh) > 0) bestHigh = &v->high;
            }
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
            if (se.stage && se.stage->costUsd) {
                const Interval& c = se.stage->costUsd->value;
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
            m.owned.emplace(Interval::point(0));
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

void quantityMetric(Metered& m, const std::optional<Quantity>& q, const char* path) {
    if (q)
        m.ref = &q->value;
    else
        m.missingInput = path;
}

void addMissing(std::vector<std::string>& out, const Metered& m) {
    for (const auto& s : m.missing) addUnique(out, s);
    if (m.missingInput && std::find(out.begin(), out.end(), m.missingInput) == out.end())
        out.emplace_back(m.missingInput);
}

Tri compareLeaf(const Condition& c, const Metered& m, const ThresholdValue& t,
                const ThresholdSpec& spec) {
    const Interval* mv = m.value();
    const Interval* tv = t.value();
    if (!mv || (!tv && !t.effective)) return Tri::Unknown;
    const Interval& v = *mv;
    auto cmpLowEnd = [&](const Exact& x) {  // sign of x - lowest threshold
        return t.effective ? compareWithEffectiveThreshold(x, spec, t.months)
                           : detail::compareExact(x, tv->low);
    };
    auto cmpHighEnd = [&](const Exact& x) {  // sign of x - highest threshold
        return t.effective ? compareWithEffectiveThreshold(x, spec, t.months)
                           : detail::compareExact(x, tv->high);
    };
    const bool unb = m.unboundedHigh;
    Tri undecided = unb ? Tri::Unknown : Tri::Indet;
    switch (c.reading) {
        case Comparator::Greater:
            if (cmpHighEnd(v.low) > 0) return Tri::True;
            if (!unb && cmpLowEnd(v.high) <= 0) return Tri::False;
            return undecided;
        case Comparator::GreaterEqual:
        case Comparator::Unstated:
            if (cmpHighEnd(v.low) >= 0) return Tri::True;
            if (!unb && cmpLowEnd(v.high) < 0) return Tri::False;
            return undecided;
        case Comparator::Less:
            if (!unb && cmpLowEnd(v.high) < 0) return Tri::True;
            if (cmpHighEnd(v.low) >= 0) return Tri::False;
            return undecided;
        case Comparator::LessEqual:
            if (!unb && cmpLowEnd(v.high) <= 0) return Tri::True;
            if (cmpHighEnd(v.low) > 0) return Tri::False;
            return undecided;
    }
    return Tri::Unknown;
}

bool compareDouble(Comparator c, double x, double t) {
    switch (c) {
        case Comparator::Greater:
            return x > t;
        case Comparator::GreaterEqual:
        case Comparator::Unstated:
            return x >= t;
        case Comparator::Less:
            return x < t;
        case Comparator::LessEqual:
            return x <= t;
    }
    return false;
}

// The parts of an all/any/not node as they are seen, combined in three-valued logic (a missing
// input makes "all" unknown unless a part is false, and so on).
struct TriParts {
    bool hasTrue = false, hasFalse = false, hasUnknown = false, hasIndet = false;
    int count = 0;
    Tri first = Tri::Unknown;

    void add(Tri t) {
        if (count++ == 0) first = t;
        hasTrue = hasTrue || t == Tri::True;
        hasFalse = hasFalse || t == Tri::False;
        hasUnknown = hasUnknown || t == Tri::Unknown;
        hasIndet = hasIndet || t == Tri::Indet;
    }
    Tri combine(Condition::Op op) const {
        switch (op) {
            case Condition::Op::All:
                if (hasFalse) return Tri::False;
                if (hasUnknown) return Tri::Unknown;
                if (hasIndet) return Tri::Indet;
                return Tri::True;
            case Condition::Op::Any:
                if (hasTrue) return Tri::True;
                if (hasUnknown) return Tri::Unknown;
                if (hasIndet) return Tri::Indet;
                return Tri::False;
            case Condition::Op::Not:
                if (count == 0) return Tri::Unknown;
                if (first == Tri::True) return Tri::False;
                if (first == Tri::False) return Tri::True;
                return first;
            case Condition::Op::Leaf:
                break;
        }
        return Tri::Unknown;
    }
};

Tri combine(Condition::Op op, const Tri* parts, int count) {
    TriParts seen;
    for (int j = 0; j < count; ++j) seen.add(parts[j]);
    return seen.combine(op);
}

VerdictStatus toStatus(Tri t) {
    switch (t) {
        case Tri::True:
            return VerdictStatus::Exceeds;
        case Tri::False:
            return VerdictStatus::Below;
        case Tri::Indet:
            return VerdictStatus::Indeterminate;
        case Tri::Unknown:
            return VerdictStatus::Unknown;
    }
    return VerdictStatus::Unknown;
}

// Evaluates node i of a compiled tree against one record (model or cluster), filling the leaves'
// outcomes in place (outs[i] for node i; the slots start default-constructed). Every child is
// evaluated, as combine() over all parts would: their outcomes also feed the verdict's notes and
// missing inputs. No vector per node.
template <typename LeafFn>
Tri evalTree(const CompiledTree& tree, LeafOutcome* outs, int i, LeafFn& leafFn) {
    const Node& n = tree.nodes[static_cast<std::size_t>(i)];
    const Condition::Op op = n.cond->op;
    if (op == Condition::Op::Leaf) {
        LeafOutcome& o = outs[i];
        leafFn(n, o);
        return o.tri;
    }
    TriParts seen;
    for (int c : n.children) seen.add(evalTree(tree, outs, c, leafFn));
    return seen.combine(op);
}

const double& log10Central(const Metered& m) {
    if (!m.log10Central) m.log10Central = fastLog10(m.value()->central);
    return *m.log10Central;
}

void fillPrimary(Verdict& v, const CompiledTree& tree, const LeafOutcome* outcomes) {
    if (tree.primary < 0) return;
    const Node& n = tree.nodes[static_cast<std::size_t>(tree.primary)];
    const LeafOutcome& o = outcomes[tree.primary];
    v.comparator = n.comparatorText;
    const Metered& m = o.metric();
    const Interval* mv = m.value();
    const Interval* tv = o.threshold.value();
    if (mv) v.countedFlop.emplace(detail::IntervalCopy::of(*mv));
    if (mv && m.unboundedHigh)
        v.notes.push_back("counted value is a lower bound: an input it sums is missing");
    if (tv) v.threshold.emplace(tv->central);
    // The logs are cached per record (counted) and per compiled leaf (constant thresholds):
    // the same fastLog10 values, computed once.
    if (mv && tv && positive(mv->central) && positive(tv->central) && !m.unboundedHigh)
        v.marginLog10 =
            log10Central(m) - (tv == &n.constPoint ? n.constLog10 : fastLog10(tv->central));
}

}  // namespace

PolicyEvaluator::PolicyEvaluator(std::vector<const Policy*> policies, EvaluationOptions options)
    : impl_(std::make_unique<Impl>()) {
    impl_->policies = std::move(policies);
    impl_->options = options;
    impl_->compile();
}

PolicyEvaluator::~PolicyEvaluator() = default;
PolicyEvaluator::PolicyEvaluator(PolicyEvaluator&&) noexcept = default;
PolicyEvaluator& PolicyEvaluator::operator=(PolicyEvaluator&&) noexcept = default;

const std::vector<const Policy*>& PolicyEvaluator::policies() const {
    return impl_->policies;
}

namespace {

void fillState(Verdict& v, const CompiledPolicy& cp, const Date& asOf, const PolicyDay& day,
               bool texts) {
    const Policy& p = *cp.policy;
    v.policy = p.id;
    v.inForce = day.inForce;
    v.legalStatus = day.legalStatus;
    if (!texts) return;
    v.title = p.title;
    // Room for the notes added later (threshold, lower bound, probability): no regrowth.
    v.notes.reserve(cp.staticNotes.size() + 3);
    v.notes.insert(v.notes.end(), cp.staticNotes.begin(), cp.staticNotes.end());
    if (day.beforeFirstEvent)
        v.notes.push_back("as of " + asOf.toIsoDay() +
                          " the instrument did not exist yet (first event: " +
                          p.history.front().event + " " + p.history.front().date.toString() + ")");
}

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
bool sameDraw(const DrawLeaf& a, const DrawLeaf& b) {
    return a.kind == b.kind && a.reading == b.reading && a.scope == b.scope && a.x.q == b.x.q &&
           a.x.c == b.x.c && a.tFromParent == b.tFromParent && a.parent.q == b.parent.q &&
           a.parent.c == b.parent.c && a.factor == b.factor && a.t == b.t;
}

// A term of a scope's per-draw sum: a stage's model FLOP or its recompute FLOP.
struct StageTerm {
    int stage;
    bool recompute;
};

}  // namespace

std::vector<Verdict> PolicyEvaluator::evaluate(const ModelRecord& record,
                                               const ModelEstimate& estimate,
                                               const Date& asOf) const {
    const Impl& impl = *impl_;
    const SlotsLease slots;
    ModelCtx ctx(impl.scopes, impl.options, record, estimate, asOf, *slots);
    std::vector<Verdict> verdicts;
    std::vector<const CompiledPolicy*> indeterminate;
    std::vector<std::size_t> indetIndex;

    static const std::string noParentNote = "no parent: not a modification of another model";
    static const std::string textOnlyBioNote =
        "no biological modality declared: bio_sequence_share read as 0 (a reading)";

    auto thresholdFor = [&](const Node& n, ThresholdValue& t) {
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
                } else if (record.parent && record.parent->systemicRisk) {
                    const bool sr = *record.parent->systemicRisk;
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
                const auto& d = impl.dated(n, asOf, [&] {
                    Impl::DatedLeaf e;
                    e.months = wholeMonthsBetween(spec.referenceDate, asOf);
                    e.note = "threshold indexed to algorithmic progress: " + spec.valueText +
                             " effective FLOP at " + spec.referenceDate.toString() +
                             ", halving every " + formatScientific(spec.halvingMonths, 3) +
                             " months; " + std::to_string(e.months) + " whole months elapsed";
                    e.effective = effectiveComputeThreshold(spec, asOf);
                    e.effectiveLog10 = std::log10(e.effective);
                    e.effectiveRounded = roundedExact(e.effective);
                    return e;
                });
                t.effective = true;
                t.months = d.months;
                t.sharedNote = &d.note;
                break;
            }
            case ThresholdKind::FrontierRank: {
                const RegistryContext* reg = impl.options.registry;
                const auto& d = impl.dated(n, asOf, [&] {
                    Impl::DatedLeaf e;
                    if (reg) {
                        std::vector<Exact> sizes;
                        for (const auto& entry : reg->entries()) {
                            if (!entry.record->released || asOf < *entry.record->released) continue;
                            sizes.push_back(
                                countedFlop(*entry.estimate, ctx.scope(n.scope)).central);
                        }
                        const auto k = static_cast<std::size_t>(spec.rank);
                        if (k >= 1 && sizes.size() >= k) {
                            std::nth_element(sizes.begin(),
                                             sizes.begin() + static_cast<long>(k - 1), sizes.end(),
                                             std::greater<Exact>());
                            e.value.emplace(Interval::point(sizes[k - 1]));
                        }
                    }
                    if (e.value)
                        e.note = "threshold: compute of the model ranked " +
                                 std::to_string(spec.rank) +
                                 " in the registry among those released by " + asOf.toIsoDay();
                    else
                        e.missing = "registry (at least " + std::to_string(spec.rank) +
                                    " models released by " + asOf.toIsoDay() + ")";
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
    };

    auto leafFn = [&](const Node& n, LeafOutcome& o) {
        const Condition& c = *n.cond;
        switch (c.metric) {
            case Metric::TrainingCompute:
                o.cached = &ctx.counted(n.scope);
                break;
            case Metric::LargestStageCompute:
                o.cached = &ctx.largestStage(n.scope);
                break;
            case Metric::ModificationCompute:
                if (!record.parent) {
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
                quantityMetric(o.own, record.developerRevenueUsd, "developer_revenue_usd");
                break;
            case Metric::BioSequenceShare:
                if (!record.bioSequenceShare && detail::textOnlyForBio(record)) {
                    // Reading (docs/policies.md): no biological modality, share 0.
                    static const Interval zeroShare = Interval::point(Exact(0));
                    o.own.ref = &zeroShare;
                    o.threshold.sharedNote = &textOnlyBioNote;
                    break;
                }
                quantityMetric(o.own, record.bioSequenceShare, "bio_sequence_share");
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
                        "parent (a record of the same registry, with stages[].cost_usd)");
                break;
            case Metric::GeneratedModalities:
                if (record.modalities.empty()) {
                    o.own.missing.push_back("modalities");
                    o.tri = Tri::Unknown;
                } else {
                    bool any = false;
                    for (Modality m : record.modalities)
                        any = any || std::find(c.anyOf.begin(), c.anyOf.end(), m) != c.anyOf.end();
                    o.tri = any ? Tri::True : Tri::False;
                }
                return;
            case Metric::Weights:
                if (!record.openWeights) {
                    o.own.missing.push_back("weights");
                    o.tri = Tri::Unknown;
                } else {
                    o.tri = *record.openWeights == c.equals ? Tri::True : Tri::False;
                }
                return;
            case Metric::Distilled: {
                const bool distilled = std::any_of(
                    record.stages.begin(), record.stages.end(),
                    [](const Stage& s) { return s.kind == StageKind::DistillationTeacher; });
                o.tri = distilled == c.equals ? Tri::True : Tri::False;
                return;
            }
            case Metric::ClusterPeak:
            case Metric::ClusterNetwork:
            case Metric::SingleDatacenter:
                o.tri = Tri::Unknown;
                return;
        }
        thresholdFor(n, o.threshold);
        o.tri = compareLeaf(c, o.metric(), o.threshold, c.threshold);
    };

    verdicts.reserve(impl.compiled.size());
    const std::vector<PolicyDay>& days = impl.statesOn(asOf);
    // One outcome slot per node of every model tree, filled in place (the Monte Carlo below
    // reads the indeterminate policies' slots). The block is the thread's (RecordSlots):
    // allocating these tens of kilobytes per record made glibc consolidate its fast bins.
    std::vector<LeafOutcome>& outcomes = (*slots).outcomes;
    freshSlots(outcomes, impl.modelNodeCount);
    for (std::size_t pi = 0; pi < impl.compiled.size(); ++pi) {
        const CompiledPolicy& cp = impl.compiled[pi];
        if (!cp.model) continue;
        Verdict& v = verdicts.emplace_back();  // built in place: no Verdict move
        fillState(v, cp, asOf, days[pi], impl.options.texts);
        LeafOutcome* outs = outcomes.data() + cp.modelOffset;
        const Tri result = evalTree(*cp.model, outs, 0, leafFn);
        v.status = toStatus(result);
        fillPrimary(v, *cp.model, outs);
        for (std::size_t i = 0; i < cp.model->nodes.size(); ++i) {
            const LeafOutcome& o = outs[i];
            const std::string& note = o.threshold.noteText();
            if (!note.empty() && impl.options.texts) addUnique(v.notes, note);
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
                const auto& d = impl.dated(pn, asOf, [&]() -> Impl::DatedLeaf {
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
            indetIndex.push_back(verdicts.size() - 1);
        }
    }

    if (!indeterminate.empty() && impl.options.probabilities) {
        // One Monte Carlo for the record, shared by every indeterminate policy. Everything that
        // is the same in every draw (decided leaves, point inputs, thresholds, which stages a
        // scope sums) is worked out here once; a draw only adds, compares and combines. The
        // double expressions are the ones the draws always used, so the probabilities are the
        // same bit for bit.
        const std::size_t nScopes = impl.scopes.size();
        const std::size_t nStages = record.stages.size();  // Sample::stageFlop's size
        std::vector<DrawLeaf> leaves(impl.modelNodeCount);
        std::vector<DrawValue> costTerms;
        // Per scope: the stage terms of its sum, in the order they are added.
        std::vector<std::vector<StageTerm>> scopeTerms(nScopes);
        std::vector<char> scopeReady(nScopes, 0);
        std::vector<char> stageNeeded(nStages, 0);
        auto termsOf = [&](int si) -> const std::vector<StageTerm>& {
            const auto k = static_cast<std::size_t>(si);
            if (!scopeReady[k]) {
                const CountingScope& sc = impl.scopes[k];
                for (std::size_t i = 0; i < estimate.stages.size(); ++i) {
                    if (!sc.includes(estimate.stages[i])) continue;
                    if (i < nStages) {
                        scopeTerms[k].push_back({static_cast<int>(i), false});
                        stageNeeded[i] = 1;
                    }
                    if (sc.recompute && i < nStages)
                        scopeTerms[k].push_back({static_cast<int>(i), true});
                }
                scopeReady[k] = 1;
            }
            return scopeTerms[k];
        };
        for (const CompiledPolicy* cp : indeterminate) {
            const CompiledTree& tree = *cp->model;
            for (std::size_t i = 0; i < tree.nodes.size(); ++i) {
                const Node& n = tree.nodes[i];
                const Condition& c = *n.cond;
                if (c.op != Condition::Op::Leaf) continue;
                const LeafOutcome& o = outcomes[cp->modelOffset + i];
                DrawLeaf& d = leaves[cp->modelOffset + i];
                d.fixed = o.tri;
                // Leaves decided exactly stay decided (every draw lies inside the interval).
                if (o.tri != Tri::Indet) continue;
                d.reading = c.reading;
                d.scope = n.scope;
                switch (c.metric) {
                    case Metric::TrainingCompute:
                    case Metric::ModificationCompute:
                        d.kind = DrawLeaf::Kind::Sum;
                        termsOf(n.scope);
                        break;
                    case Metric::LargestStageCompute:
                        d.kind = DrawLeaf::Kind::Largest;
                        termsOf(n.scope);
                        break;
                    case Metric::ComputeCost: {
                        d.kind = DrawLeaf::Kind::Cost;
                        const CountingScope& sc = ctx.scope(n.scope);
                        d.costBegin = costTerms.size();
                        for (const StageEstimate& se : estimate.stages)
                            if (sc.includes(se) && se.stage && se.stage->costUsd)
                                costTerms.push_back(DrawValue::of(*se.stage->costUsd));
                        d.costEnd = costTerms.size();
                        break;
                    }
                    case Metric::DeveloperRevenue:
                        d.kind = DrawLeaf::Kind::Value;
                        d.x = DrawValue::of(*record.developerRevenueUsd);
                        break;
                    case Metric::BioSequenceShare:
                        d.kind = DrawLeaf::Kind::Value;
                        d.x = DrawValue::of(*record.bioSequenceShare);
                        break;
                    case Metric::ParentTrainingCompute:
                        d.kind = DrawLeaf::Kind::Value;
                        if (record.parent && record.parent->trainingFlop)
                            d.x = DrawValue::of(*record.parent->trainingFlop);
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
                        continue;  // Kind::Fixed: the exact outcome
                }
                const ThresholdSpec& spec = c.threshold;
                switch (spec.kind) {
                    case ThresholdKind::Constant:
                        d.t = n.constant;
                        break;
                    case ThresholdKind::RelativeToParent:
                        if (record.parent && record.parent->trainingFlop) {
                            d.tFromParent = true;
                            d.parent = DrawValue::of(*record.parent->trainingFlop);
                            d.factor = toDouble(spec.value);
                        } else if (ctx.parentEntry) {
                            d.t = toDouble(ctx.parentFlop(n.scope, nullptr)->central) *
                                  toDouble(spec.value);
                        } else {
                            d.t = toDouble(o.threshold.value()->central);
                        }
                        break;
                    case ThresholdKind::EffectiveCompute:
                        d.t = effectiveComputeThreshold(spec, asOf);
                        break;
                    case ThresholdKind::FrontierRank:
                        d.t = toDouble(o.threshold.value()->central);
                        break;
                }
            }
        }

        std::vector<DrawOp> program;
        std::vector<std::size_t> programEnd;
        for (const CompiledPolicy* cp : indeterminate) {
            appendPostOrder(*cp->model, 0, static_cast<int>(cp->modelOffset), program);
            programEnd.push_back(program.size());
        }
        std::vector<Tri> stack(program.size() + 1);
        std::vector<long> hits(indeterminate.size(), 0);

        // Distinct sampled leaves: several policies often compare the same total with the same
        // threshold; each distinct comparison is made once per draw.
        std::vector<int> slotOf(impl.modelNodeCount, -1);
        std::vector<std::size_t> distinct;  // a leaf index per distinct sampled leaf
        for (const DrawOp& op : program) {
            if (op.leaf < 0) continue;
            const auto li = static_cast<std::size_t>(op.leaf);
            if (leaves[li].kind == DrawLeaf::Kind::Fixed) continue;
            std::size_t u = 0;
            while (u < distinct.size() && !sameDraw(leaves[distinct[u]], leaves[li])) ++u;
            if (u == distinct.size()) distinct.push_back(li);
            slotOf[li] = static_cast<int>(u);
        }
        // With few distinct leaves a draw is summarised by which of them hold (a bit mask): the
        // trees are then evaluated once per mask that occurred, weighted by its count, instead of
        // once per draw. Same outcome for every draw, so the same hit counts.
        constexpr std::size_t kMaskBits = 12;
        const bool byMask = distinct.size() <= kMaskBits;
        std::vector<long> maskCount(byMask ? std::size_t{1} << distinct.size() : 0, 0);
        std::vector<char> holds(distinct.size(), 0);
        auto runPrograms = [&](long weight) {
            std::size_t pc = 0;
            for (std::size_t k = 0; k < indeterminate.size(); ++k) {
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

        // A draw reads contiguous arrays only: the distinct leaves copied side by side, and the
        // terms of every scope a Sum leaf reads flattened; each such scope is summed once per
        // draw, its terms in the same order as before (the same doubles), then every distinct
        // leaf is compared.
        std::vector<DrawLeaf> drawLeaves;
        drawLeaves.reserve(distinct.size());
        for (std::size_t li : distinct) drawLeaves.push_back(leaves[li]);
        std::vector<StageTerm> sumTerms;
        std::vector<std::size_t> sumEnd;  // sum k adds sumTerms[sumEnd[k-1] .. sumEnd[k])
        std::vector<int> sumScope;
        std::vector<std::size_t> sumOf(drawLeaves.size(), 0);  // Sum leaves: their sum's index
        for (std::size_t u = 0; u < drawLeaves.size(); ++u) {
            if (drawLeaves[u].kind != DrawLeaf::Kind::Sum) continue;
            const int sc = drawLeaves[u].scope;
            std::size_t k = 0;
            while (k < sumScope.size() && sumScope[k] != sc) ++k;
            if (k == sumScope.size()) {
                sumScope.push_back(sc);
                const auto& terms = scopeTerms[static_cast<std::size_t>(sc)];
                sumTerms.insert(sumTerms.end(), terms.begin(), terms.end());
                sumEnd.push_back(sumTerms.size());
            }
            sumOf[u] = k;
        }
        std::vector<double> sums(sumScope.size());

        long samples = 0;
        detail::forEachSampleOf(
            impl.estimator(), record, estimate, impl.options.monteCarlo, stageNeeded,
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
                            // Terms come as (flop[, recompute]) per stage, as the sum adds them.
                            const auto& terms = scopeTerms[static_cast<std::size_t>(d.scope)];
                            for (std::size_t j = 0; j < terms.size(); ++j) {
                                double v = flop[terms[j].stage];
                                if (j + 1 < terms.size() && terms[j + 1].recompute) {
                                    ++j;
                                    v += recompute[terms[j].stage];
                                }
                                x = std::max(x, v);
                            }
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
        for (std::size_t k = 0; k < indeterminate.size(); ++k) {
            Verdict& v = verdicts[indetIndex[k]];
            if (samples > 0) {
                v.probability = static_cast<double>(hits[k]) / static_cast<double>(samples);
                v.notes.push_back("probability from " + std::to_string(samples) +
                                  " seeded Monte Carlo draws");
            }
        }
    }
    if (!impl.options.texts)
        for (Verdict& v : verdicts) v.notes.clear();  // the rare per-record notes too
    return verdicts;
}

std::vector<Verdict> PolicyEvaluator::evaluate(const ClusterRecord& record,
                                               const Date& asOf) const {
    const Impl& impl = *impl_;
    std::vector<Verdict> verdicts;
    verdicts.reserve(impl.compiled.size());

    // Peak ops/s: stated, else count x the accelerator's dense peak (highest precision unless the
    // leaf names one). Sparsity figures are never used.
    auto peakOf = [&](const Condition& c, Metered& m, double* perChip) {
        if (record.peakFlopPerS) {
            m.ref = &record.peakFlopPerS->value;
            return;
        }
        const Accelerator* acc =
            record.accelerator.empty() ? nullptr : impl.hardware().find(record.accelerator);
        if (!acc)
            m.missing.push_back(record.accelerator.empty()
                                    ? "accelerator"
                                    : "peak_flop_per_s (accelerator not in the hardware table)");
        if (!record.count) m.missing.push_back("count");
        if (!acc || !record.count) return;
        std::optional<Exact> chip;
        for (int p = 0; p < kPrecisionCount; ++p) {
            if (c.peakPrecision && static_cast<int>(*c.peakPrecision) != p) continue;
            if (const PeakFigure* f = acc->peak(static_cast<Precision>(p)))
                if (!chip || f->dense > *chip) chip = f->dense;
        }
        if (!chip) {
            m.missing.push_back("peak_flop_per_s (no dense peak for the precision)");
            return;
        }
        if (perChip) *perChip = toDouble(*chip);
        m.owned.emplace(record.count->value * *chip);
    };

    const std::vector<PolicyDay>& days = impl.statesOn(asOf);
    for (std::size_t pi = 0; pi < impl.compiled.size(); ++pi) {
        const CompiledPolicy& cp = impl.compiled[pi];
        if (!cp.cluster) continue;
        Verdict& v = verdicts.emplace_back();
        fillState(v, cp, asOf, days[pi], impl.options.texts);
        auto leafFn = [&](const Node& n, LeafOutcome& o) {
            const Condition& c = *n.cond;
            switch (c.metric) {
                case Metric::ClusterPeak:
                    peakOf(c, o.own, nullptr);
                    break;
                case Metric::ClusterNetwork:
                    quantityMetric(o.own, record.networkGbitS, "network_gbit_s");
                    break;
                case Metric::SingleDatacenter:
                    if (!record.singleDatacenter) {
                        o.own.missing.push_back("single_datacenter");
                        o.tri = Tri::Unknown;
                    } else {
                        o.tri = *record.singleDatacenter == c.equals ? Tri::True : Tri::False;
                    }
                    return;
                default:
                    o.tri = Tri::Unknown;
                    return;
            }
            o.threshold.ref = &n.constPoint;
            o.tri = compareLeaf(c, o.own, o.threshold, c.threshold);
        };
        std::vector<LeafOutcome> outcomes(cp.cluster->nodes.size());
        const Tri result = evalTree(*cp.cluster, outcomes.data(), 0, leafFn);
        v.status = toStatus(result);
        fillPrimary(v, *cp.cluster, outcomes.data());
        v.notes.push_back(
            "counted_flop and threshold are the cluster's peak in operations per second");
        for (const LeafOutcome& o : outcomes)
            if (result == Tri::Unknown && o.tri == Tri::Unknown) addMissing(v.missing, o.metric());
        if (result == Tri::True) v.probability = 1.0;
        if (result == Tri::False) v.probability = 0.0;
        if (result == Tri::Indet && impl.options.probabilities) {
            // Clusters have few inputs: sample them here (same distributions as the records').
            std::mt19937_64 rng(impl.options.monteCarlo.seed);
            long hits = 0;
            const int n = std::max(1, impl.options.monteCarlo.samples);
            for (int i = 0; i < n; ++i) {
                const double peak =
                    record.peakFlopPerS ? sampleQuantity(*record.peakFlopPerS, rng) : 0;
                const double count = record.count ? sampleQuantity(*record.count, rng) : 0;
                const double net =
                    record.networkGbitS ? sampleQuantity(*record.networkGbitS, rng) : 0;
                std::function<Tri(int)> eval = [&](int k) -> Tri {
                    const Node& nd = cp.cluster->nodes[static_cast<std::size_t>(k)];
                    const Condition& c = *nd.cond;
                    if (c.op != Condition::Op::Leaf) {
                        std::vector<Tri> parts;
                        for (int ch : nd.children) parts.push_back(eval(ch));
                        return combine(c.op, parts.data(), static_cast<int>(parts.size()));
                    }
                    const LeafOutcome& o = outcomes[static_cast<std::size_t>(k)];
                    if (o.tri != Tri::Indet) return o.tri;
                    double x = c.metric == Metric::ClusterPeak ? peak : net;
                    if (c.metric == Metric::ClusterPeak && !record.peakFlopPerS) {
                        Metered m;
                        double chip = 0;
                        peakOf(c, m, &chip);
                        x = count * chip;
                    }
                    return compareDouble(c.reading, x, toDouble(c.threshold.value)) ? Tri::True
                                                                                    : Tri::False;
                };
                if (eval(0) == Tri::True) ++hits;
            }
            v.probability = static_cast<double>(hits) / n;
            v.notes.push_back("probability from " + std::to_string(n) +
                              " seeded Monte Carlo draws");
        }
    }
    if (!impl.options.texts)
        for (Verdict& v : verdicts) v.notes.clear();  // the rare per-record notes too
    return verdicts;
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

}  // namespace flopledger
