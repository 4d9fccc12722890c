// Evaluating policies: exact three-valued logic over intervals, shared per-record metrics, one
// Monte Carlo per record for the probabilities of indeterminate verdicts (policy.hpp).
#include <flopledger/policy.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
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
};

struct CompiledTree {
    std::vector<Node> nodes;  // nodes[0] is the root
    int primary = -1;
};

struct CompiledPolicy {
    const Policy* policy = nullptr;
    std::optional<CompiledTree> model;
    std::optional<CompiledTree> cluster;
    std::vector<std::string> staticNotes;
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
struct Metered {
    std::optional<Interval> value;
    bool unboundedHigh = false;
    std::vector<std::string> missing;
};

struct ThresholdValue {
    std::optional<Interval> value;  // Constant, RelativeToParent, FrontierRank
    bool effective = false;         // EffectiveCompute: compare exactly via months
    long months = 0;
    std::vector<std::string> missing;
    std::string note;
};

struct LeafOutcome {
    Tri tri = Tri::Unknown;
    Metered own;                      // metrics computed for this leaf alone
    const Metered* cached = nullptr;  // metrics shared through the per-record cache
    ThresholdValue threshold;
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

// Sign of a - b. Boost's rational comparison works by repeated division; cross-multiplying
// (and comparing numerators directly for the common whole-number case) is several times faster.
int sign(const Exact& a, const Exact& b);

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

int sign(const Exact& a, const Exact& b) {
    const auto& ra = a.backend().data();
    const auto& rb = b.backend().data();
    const auto& da = ra.denominator();
    const auto& db = rb.denominator();
    if (da == 1 && db == 1) return ra.numerator().compare(rb.numerator());
    const BigInt lhs = ra.numerator() * db;
    const BigInt rhs = rb.numerator() * da;
    return lhs.compare(rhs);
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
    return sign(lhs, rhs);
}

// ---------------------------------------------------------------------------------------------

struct PolicyEvaluator::Impl {
    std::vector<const Policy*> policies;
    EvaluationOptions options;
    Estimator defaultEstimator;
    std::vector<CountingScope> scopes;
    std::vector<CompiledPolicy> compiled;
    int leafCount = 0;
    mutable std::mutex frontierMutex;
    mutable std::map<std::pair<int, long>, std::optional<Exact>> frontierCache;

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
            compiled.push_back(std::move(cp));
        }
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
struct ModelCtx {
    const std::vector<CountingScope>& scopes;
    const EvaluationOptions& options;
    const ModelRecord& record;
    const ModelEstimate& estimate;
    Date asOf;
    std::vector<std::optional<Metered>> flop, largest, cost;
    const RegistryContext::Entry* parentEntry = nullptr;

    ModelCtx(const std::vector<CountingScope>& sc, const EvaluationOptions& o, const ModelRecord& r,
             const ModelEstimate& e, Date d)
        : scopes(sc),
          options(o),
          record(r),
          estimate(e),
          asOf(d),
          flop(sc.size()),
          largest(sc.size()),
          cost(sc.size()) {
        if (record.parent && !record.parent->id.empty() && options.registry) {
            parentEntry = options.registry->find(record.parent->id);
            if (parentEntry && parentEntry->record == &record) parentEntry = nullptr;
        }
    }

    const CountingScope& scope(int i) const { return scopes[static_cast<std::size_t>(i)]; }

    const Metered& counted(int s) {
        auto& slot = flop[static_cast<std::size_t>(s)];
        if (!slot) {
            Metered m;
            if (record.stages.empty()) {
                m.missing.push_back("stages");
                m.unboundedHigh = true;
                m.value = Interval::point(0);
            } else {
                m.value = countedFlop(estimate, scope(s));
                for (const StageEstimate& se : estimate.stages) {
                    if (scope(s).includes(se) && !se.method) {
                        m.unboundedHigh = true;
                        addUnique(m.missing, "stages[].flop");
                    }
                }
            }
            slot = std::move(m);
        }
        return *slot;
    }

    const Metered& largestStage(int s) {
        auto& slot = largest[static_cast<std::size_t>(s)];
        if (!slot) {
            Metered m;
            Interval best = Interval::point(0);
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
                Interval v = se.flop;
                if (scope(s).recompute && se.recomputeFlop) v = v + *se.recomputeFlop;
                if (sign(v.low, best.low) > 0) best.low = v.low;
                if (sign(v.central, best.central) > 0) best.central = v.central;
                if (sign(v.high, best.high) > 0) best.high = v.high;
            }
            m.value = best;
            slot = std::move(m);
        }
        return *slot;
    }

    static Metered costOf(const ModelEstimate& est, const CountingScope& sc) {
        Metered m;
        Interval sum = Interval::point(0);
        if (est.stages.empty()) {
            m.missing.push_back("stages[].cost_usd");
            m.unboundedHigh = true;
        }
        for (const StageEstimate& se : est.stages) {
            if (!sc.includes(se)) continue;
            if (se.stage && se.stage->costUsd)
                sum = sum + se.stage->costUsd->value;
            else {
                m.unboundedHigh = true;
                addUnique(m.missing, "stages[].cost_usd");
            }
        }
        m.value = sum;
        return m;
    }

    const Metered& costFor(int s) {
        auto& slot = cost[static_cast<std::size_t>(s)];
        if (!slot) slot = costOf(estimate, scope(s));
        return *slot;
    }

    // The parent's training compute: stated in the record, else from the registry.
    std::optional<Interval> parentFlop(int s, std::string* note) const {
        if (record.parent && record.parent->trainingFlop) return record.parent->trainingFlop->value;
        if (parentEntry) {
            if (note)
                *note = "parent compute taken from registry record \"" + record.parent->id + "\"";
            return countedFlop(*parentEntry->estimate, scope(s));
        }
        return std::nullopt;
    }
};

Metered quantityMetric(const std::optional<Quantity>& q, const char* path) {
    Metered m;
    if (q)
        m.value = q->value;
    else
        m.missing.push_back(path);
    return m;
}

Tri compareLeaf(const Condition& c, const Metered& m, const ThresholdValue& t,
                const ThresholdSpec& spec) {
    if (!m.value || (!t.value && !t.effective)) return Tri::Unknown;
    const Interval& v = *m.value;
    auto cmpLowEnd = [&](const Exact& x) {  // sign of x - lowest threshold
        return t.effective ? compareWithEffectiveThreshold(x, spec, t.months)
                           : sign(x, t.value->low);
    };
    auto cmpHighEnd = [&](const Exact& x) {  // sign of x - highest threshold
        return t.effective ? compareWithEffectiveThreshold(x, spec, t.months)
                           : sign(x, t.value->high);
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

Tri combine(Condition::Op op, const std::vector<Tri>& parts) {
    auto has = [&](Tri t) { return std::find(parts.begin(), parts.end(), t) != parts.end(); };
    switch (op) {
        case Condition::Op::All:
            if (has(Tri::False)) return Tri::False;
            if (has(Tri::Unknown)) return Tri::Unknown;
            if (has(Tri::Indet)) return Tri::Indet;
            return Tri::True;
        case Condition::Op::Any:
            if (has(Tri::True)) return Tri::True;
            if (has(Tri::Unknown)) return Tri::Unknown;
            if (has(Tri::Indet)) return Tri::Indet;
            return Tri::False;
        case Condition::Op::Not:
            if (parts.empty()) return Tri::Unknown;
            if (parts[0] == Tri::True) return Tri::False;
            if (parts[0] == Tri::False) return Tri::True;
            return parts[0];
        case Condition::Op::Leaf:
            break;
    }
    return Tri::Unknown;
}

// combine() over children evaluated on demand, without a vector per node (Monte Carlo hot
// path). Stops at the first child that decides (False under All, True under Any): children have
// no side effects, so the result is combine()'s.
template <class Eval>
Tri combineChildren(Condition::Op op, const std::vector<int>& children, const Eval& eval) {
    bool unknown = false;
    bool indet = false;
    switch (op) {
        case Condition::Op::All:
        case Condition::Op::Any: {
            const Tri decisive = op == Condition::Op::All ? Tri::False : Tri::True;
            for (int ch : children) {
                const Tri t = eval(ch);
                if (t == decisive) return decisive;
                unknown = unknown || t == Tri::Unknown;
                indet = indet || t == Tri::Indet;
            }
            if (unknown) return Tri::Unknown;
            if (indet) return Tri::Indet;
            return op == Condition::Op::All ? Tri::True : Tri::False;
        }
        case Condition::Op::Not: {
            if (children.empty()) return Tri::Unknown;
            const Tri t = eval(children.front());
            if (t == Tri::True) return Tri::False;
            if (t == Tri::False) return Tri::True;
            return t;
        }
        case Condition::Op::Leaf:
            break;
    }
    return Tri::Unknown;
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

// Evaluation of one compiled tree against one record (model or cluster).
template <typename LeafFn>
struct TreeEval {
    const CompiledTree& tree;
    LeafFn leafFn;
    std::vector<LeafOutcome> outcomes;

    Tri run(int i) {
        const Node& n = tree.nodes[static_cast<std::size_t>(i)];
        if (n.cond->op == Condition::Op::Leaf) {
            LeafOutcome& o = outcomes[static_cast<std::size_t>(i)];
            o = leafFn(n);
            return o.tri;
        }
        std::vector<Tri> parts;
        for (int c : n.children) parts.push_back(run(c));
        return combine(n.cond->op, parts);
    }

    Tri evaluate() {
        outcomes.assign(tree.nodes.size(), LeafOutcome{});
        return run(0);
    }
};

template <typename LeafFn>
TreeEval<LeafFn> makeTreeEval(const CompiledTree& tree, LeafFn fn) {
    return TreeEval<LeafFn>{tree, std::move(fn), {}};
}

void fillPrimary(Verdict& v, const CompiledTree& tree, const std::vector<LeafOutcome>& outcomes) {
    if (tree.primary < 0) return;
    const Condition& c = *tree.nodes[static_cast<std::size_t>(tree.primary)].cond;
    const LeafOutcome& o = outcomes[static_cast<std::size_t>(tree.primary)];
    v.comparator = std::string(toString(c.reading));
    const Metered& m = o.metric();
    if (m.value) v.countedFlop = *m.value;
    if (m.value && m.unboundedHigh)
        v.notes.push_back("counted value is a lower bound: an input it sums is missing");
    if (o.threshold.value) v.threshold = o.threshold.value->central;
    if (v.countedFlop && v.threshold && positive(v.countedFlop->central) &&
        positive(*v.threshold) && !m.unboundedHigh)
        v.marginLog10 = fastLog10(v.countedFlop->central) - fastLog10(*v.threshold);
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

void fillState(Verdict& v, const CompiledPolicy& cp, const Date& asOf) {
    const Policy& p = *cp.policy;
    v.policy = p.id;
    v.title = p.title;
    const PolicyState st = p.stateOn(asOf);
    v.inForce = st.inForce;
    v.legalStatus = std::string(toString(st.legalStatus));
    v.notes = cp.staticNotes;
    if (!st.lastEvent && !p.history.empty())
        v.notes.push_back("as of " + asOf.toIsoDay() +
                          " the instrument did not exist yet (first event: " +
                          p.history.front().event + " " + p.history.front().date.toString() + ")");
}

}  // namespace

std::vector<Verdict> PolicyEvaluator::evaluate(const ModelRecord& record,
                                               const ModelEstimate& estimate,
                                               const Date& asOf) const {
    const Impl& impl = *impl_;
    ModelCtx ctx(impl.scopes, impl.options, record, estimate, asOf);
    std::vector<Verdict> verdicts;
    std::vector<const CompiledPolicy*> indeterminate;
    std::vector<std::size_t> indetIndex;

    auto thresholdFor = [&](const Node& n, const Metered&) {
        const Condition& c = *n.cond;
        const ThresholdSpec& spec = c.threshold;
        ThresholdValue t;
        switch (spec.kind) {
            case ThresholdKind::Constant:
                t.value = Interval::point(spec.value);
                break;
            case ThresholdKind::RelativeToParent: {
                std::string note;
                if (auto pf = ctx.parentFlop(n.scope, &note)) {
                    t.value = *pf * spec.value;
                    t.note = note;
                } else if (record.parent && record.parent->systemicRisk) {
                    const bool sr = *record.parent->systemicRisk;
                    const auto& base = sr ? spec.fallbackIfSystemicRisk : spec.fallbackOtherwise;
                    if (base) {
                        t.value = Interval::point(*base * spec.value);
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
            case ThresholdKind::EffectiveCompute:
                t.effective = true;
                t.months = wholeMonthsBetween(spec.referenceDate, asOf);
                t.note = "threshold indexed to algorithmic progress: " + spec.valueText +
                         " effective FLOP at " + spec.referenceDate.toString() +
                         ", halving every " + formatScientific(spec.halvingMonths, 3) +
                         " months; " + std::to_string(t.months) + " whole months elapsed";
                break;
            case ThresholdKind::FrontierRank: {
                const RegistryContext* reg = impl.options.registry;
                const std::pair<int, long> key{n.id, asOf.daysSinceEpoch()};
                std::optional<Exact> value;
                bool cached = false;
                {
                    std::lock_guard<std::mutex> lock(impl.frontierMutex);
                    auto it = impl.frontierCache.find(key);
                    if (it != impl.frontierCache.end() && reg) {
                        value = it->second;
                        cached = true;
                    }
                }
                if (!cached && reg) {
                    std::vector<Exact> sizes;
                    for (const auto& e : reg->entries()) {
                        if (!e.record->released || asOf < *e.record->released) continue;
                        sizes.push_back(countedFlop(*e.estimate, ctx.scope(n.scope)).central);
                    }
                    const auto k = static_cast<std::size_t>(spec.rank);
                    if (k >= 1 && sizes.size() >= k) {
                        std::nth_element(sizes.begin(), sizes.begin() + static_cast<long>(k - 1),
                                         sizes.end(), std::greater<Exact>());
                        value = sizes[k - 1];
                    }
                    std::lock_guard<std::mutex> lock(impl.frontierMutex);
                    impl.frontierCache[key] = value;
                }
                if (value) {
                    t.value = Interval::point(*value);
                    t.note = "threshold: compute of the model ranked " + std::to_string(spec.rank) +
                             " in the registry among those released by " + asOf.toIsoDay();
                } else {
                    t.missing.push_back("registry (at least " + std::to_string(spec.rank) +
                                        " models released by " + asOf.toIsoDay() + ")");
                }
                break;
            }
        }
        return t;
    };

    auto leafFn = [&](const Node& n) {
        const Condition& c = *n.cond;
        LeafOutcome o;
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
                    o.threshold.note = "no parent: not a modification of another model";
                    return o;
                }
                o.cached = &ctx.counted(n.scope);
                break;
            case Metric::ComputeCost:
                o.cached = &ctx.costFor(n.scope);
                break;
            case Metric::DeveloperRevenue:
                o.own = quantityMetric(record.developerRevenueUsd, "developer_revenue_usd");
                break;
            case Metric::BioSequenceShare:
                o.own = quantityMetric(record.bioSequenceShare, "bio_sequence_share");
                break;
            case Metric::ParentTrainingCompute: {
                std::string note;
                if (auto pf = ctx.parentFlop(n.scope, &note))
                    o.own.value = *pf;
                else
                    o.own.missing.push_back("parent.training_flop");
                o.threshold.note = note;
                break;
            }
            case Metric::ParentComputeCost:
                if (ctx.parentEntry)
                    o.own = ModelCtx::costOf(*ctx.parentEntry->estimate, ctx.scope(n.scope));
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
                return o;
            case Metric::Weights:
                if (!record.openWeights) {
                    o.own.missing.push_back("weights");
                    o.tri = Tri::Unknown;
                } else {
                    o.tri = *record.openWeights == c.equals ? Tri::True : Tri::False;
                }
                return o;
            case Metric::Distilled: {
                const bool distilled = std::any_of(
                    record.stages.begin(), record.stages.end(),
                    [](const Stage& s) { return s.kind == StageKind::DistillationTeacher; });
                o.tri = distilled == c.equals ? Tri::True : Tri::False;
                return o;
            }
            case Metric::ClusterPeak:
            case Metric::ClusterNetwork:
            case Metric::SingleDatacenter:
                o.tri = Tri::Unknown;
                return o;
        }
        o.threshold = thresholdFor(n, o.metric());
        o.tri = compareLeaf(c, o.metric(), o.threshold, c.threshold);
        return o;
    };

    verdicts.reserve(impl.compiled.size());
    std::vector<std::vector<LeafOutcome>> outcomesPerPolicy(impl.compiled.size());
    for (std::size_t pi = 0; pi < impl.compiled.size(); ++pi) {
        const CompiledPolicy& cp = impl.compiled[pi];
        if (!cp.model) continue;
        Verdict v;
        fillState(v, cp, asOf);
        auto ev = makeTreeEval(*cp.model, leafFn);
        const Tri result = ev.evaluate();
        v.status = toStatus(result);
        fillPrimary(v, *cp.model, ev.outcomes);
        for (std::size_t i = 0; i < ev.outcomes.size(); ++i) {
            const LeafOutcome& o = ev.outcomes[i];
            if (!o.threshold.note.empty()) addUnique(v.notes, o.threshold.note);
            if (result == Tri::Unknown && o.tri == Tri::Unknown) {
                for (const auto& m : o.metric().missing) addUnique(v.missing, m);
                for (const auto& m : o.threshold.missing) addUnique(v.missing, m);
            }
        }
        if (cp.model->primary >= 0) {
            const Node& pn = cp.model->nodes[static_cast<std::size_t>(cp.model->primary)];
            const LeafOutcome& po = ev.outcomes[static_cast<std::size_t>(cp.model->primary)];
            if (po.threshold.effective) {
                const double t = effectiveComputeThreshold(pn.cond->threshold, asOf);
                v.threshold = roundedExact(t);
                if (v.countedFlop && positive(v.countedFlop->central))
                    v.marginLog10 = fastLog10(v.countedFlop->central) - std::log10(t);
                v.notes.push_back(
                    "threshold shown rounded to 7 digits; the decision compares exactly");
            }
        }
        if (result == Tri::True) v.probability = 1.0;
        if (result == Tri::False) v.probability = 0.0;
        if (result == Tri::Indet) {
            indeterminate.push_back(&cp);
            indetIndex.push_back(verdicts.size());
        }
        outcomesPerPolicy[pi] = std::move(ev.outcomes);
        verdicts.push_back(std::move(v));
    }

    if (!indeterminate.empty() && impl.options.probabilities) {
        // One Monte Carlo for the record, shared by every indeterminate policy.
        std::vector<long> hits(indeterminate.size(), 0);
        long samples = 0;
        std::vector<double> scopeSum(impl.scopes.size());
        std::vector<char> scopeDone(impl.scopes.size());
        forEachSample(
            impl.estimator(), record, estimate, impl.options.monteCarlo, [&](const Sample& s) {
                ++samples;
                std::fill(scopeDone.begin(), scopeDone.end(), 0);
                auto sum = [&](int si) {
                    const auto k = static_cast<std::size_t>(si);
                    if (!scopeDone[k]) {
                        double total = 0;
                        const CountingScope& sc = impl.scopes[k];
                        for (std::size_t i = 0; i < estimate.stages.size(); ++i) {
                            if (!sc.includes(estimate.stages[i])) continue;
                            if (i < s.stageFlop.size()) total += s.stageFlop[i];
                            if (sc.recompute && i < s.stageRecompute.size())
                                total += s.stageRecompute[i];
                        }
                        scopeSum[k] = total;
                        scopeDone[k] = 1;
                    }
                    return scopeSum[k];
                };
                auto parentSample = [&](int si) -> std::optional<double> {
                    if (record.parent && record.parent->trainingFlop)
                        return s.value(*record.parent->trainingFlop);
                    if (ctx.parentEntry)
                        return toDouble(
                            countedFlop(*ctx.parentEntry->estimate, ctx.scope(si)).central);
                    return std::nullopt;
                };
                for (std::size_t k = 0; k < indeterminate.size(); ++k) {
                    const CompiledTree& tree = *indeterminate[k]->model;
                    const auto& outcomes = outcomesPerPolicy[static_cast<std::size_t>(
                        indeterminate[k] - impl.compiled.data())];
                    // Leaves decided exactly stay decided (every draw lies inside the interval).
                    // Per draw: no std::function and no vector per node (allocation-free).
                    const auto eval = [&](const auto& self, int i) -> Tri {
                        const Node& n = tree.nodes[static_cast<std::size_t>(i)];
                        const Condition& c = *n.cond;
                        if (c.op != Condition::Op::Leaf)
                            return combineChildren(c.op, n.children,
                                                   [&](int ch) { return self(self, ch); });
                        const LeafOutcome& o = outcomes[static_cast<std::size_t>(i)];
                        if (o.tri != Tri::Indet) return o.tri;
                        double x = 0;
                        switch (c.metric) {
                            case Metric::TrainingCompute:
                            case Metric::ModificationCompute:
                                x = sum(n.scope);
                                break;
                            case Metric::LargestStageCompute: {
                                const CountingScope& sc = ctx.scope(n.scope);
                                for (std::size_t j = 0; j < estimate.stages.size(); ++j) {
                                    if (!sc.includes(estimate.stages[j]) || j >= s.stageFlop.size())
                                        continue;
                                    double v = s.stageFlop[j];
                                    if (sc.recompute && j < s.stageRecompute.size())
                                        v += s.stageRecompute[j];
                                    x = std::max(x, v);
                                }
                                break;
                            }
                            case Metric::ComputeCost: {
                                const CountingScope& sc = ctx.scope(n.scope);
                                for (const StageEstimate& se : estimate.stages)
                                    if (sc.includes(se) && se.stage && se.stage->costUsd)
                                        x += s.value(*se.stage->costUsd);
                                break;
                            }
                            case Metric::DeveloperRevenue:
                                x = s.value(*record.developerRevenueUsd);
                                break;
                            case Metric::BioSequenceShare:
                                x = s.value(*record.bioSequenceShare);
                                break;
                            case Metric::ParentTrainingCompute:
                                x = parentSample(n.scope).value_or(0);
                                break;
                            case Metric::ParentComputeCost:
                                x = toDouble(o.metric().value ? o.metric().value->central
                                                              : Exact(0));
                                break;
                            default:
                                return o.tri;
                        }
                        double t = 0;
                        const ThresholdSpec& spec = c.threshold;
                        switch (spec.kind) {
                            case ThresholdKind::Constant:
                                t = n.constant;
                                break;
                            case ThresholdKind::RelativeToParent:
                                if (auto pf = parentSample(n.scope))
                                    t = *pf * toDouble(spec.value);
                                else
                                    t = toDouble(o.threshold.value->central);
                                break;
                            case ThresholdKind::EffectiveCompute:
                                t = effectiveComputeThreshold(spec, asOf);
                                break;
                            case ThresholdKind::FrontierRank:
                                t = toDouble(o.threshold.value->central);
                                break;
                        }
                        return compareDouble(c.reading, x, t) ? Tri::True : Tri::False;
                    };
                    if (eval(eval, 0) == Tri::True) ++hits[k];
                }
            });
        for (std::size_t k = 0; k < indeterminate.size(); ++k) {
            Verdict& v = verdicts[indetIndex[k]];
            if (samples > 0) {
                v.probability = static_cast<double>(hits[k]) / static_cast<double>(samples);
                v.notes.push_back("probability from " + std::to_string(samples) +
                                  " seeded Monte Carlo draws");
            }
        }
    }
    return verdicts;
}

std::vector<Verdict> PolicyEvaluator::evaluate(const ClusterRecord& record,
                                               const Date& asOf) const {
    const Impl& impl = *impl_;
    std::vector<Verdict> verdicts;

    // Peak ops/s: stated, else count x the accelerator's dense peak (highest precision unless the
    // leaf names one). Sparsity figures are never used.
    auto peakOf = [&](const Condition& c, Metered& m, double* perChip) {
        if (record.peakFlopPerS) {
            m.value = record.peakFlopPerS->value;
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
        m.value = record.count->value * *chip;
    };

    for (const CompiledPolicy& cp : impl.compiled) {
        if (!cp.cluster) continue;
        Verdict v;
        fillState(v, cp, asOf);
        auto leafFn = [&](const Node& n) {
            const Condition& c = *n.cond;
            LeafOutcome o;
            switch (c.metric) {
                case Metric::ClusterPeak:
                    peakOf(c, o.own, nullptr);
                    break;
                case Metric::ClusterNetwork:
                    o.own = quantityMetric(record.networkGbitS, "network_gbit_s");
                    break;
                case Metric::SingleDatacenter:
                    if (!record.singleDatacenter) {
                        o.own.missing.push_back("single_datacenter");
                        o.tri = Tri::Unknown;
                    } else {
                        o.tri = *record.singleDatacenter == c.equals ? Tri::True : Tri::False;
                    }
                    return o;
                default:
                    o.tri = Tri::Unknown;
                    return o;
            }
            o.threshold.value = Interval::point(c.threshold.value);
            o.tri = compareLeaf(c, o.own, o.threshold, c.threshold);
            return o;
        };
        auto ev = makeTreeEval(*cp.cluster, leafFn);
        const Tri result = ev.evaluate();
        v.status = toStatus(result);
        fillPrimary(v, *cp.cluster, ev.outcomes);
        v.notes.push_back(
            "counted_flop and threshold are the cluster's peak in operations per second");
        for (const LeafOutcome& o : ev.outcomes)
            if (result == Tri::Unknown && o.tri == Tri::Unknown)
                for (const auto& m : o.metric().missing) addUnique(v.missing, m);
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
                        return combine(c.op, parts);
                    }
                    const LeafOutcome& o = ev.outcomes[static_cast<std::size_t>(k)];
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
        verdicts.push_back(std::move(v));
    }
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
