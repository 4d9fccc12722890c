#pragma once
// Private to the policy evaluator: compiled condition trees, the per-leaf outcome of one record,
// and the evaluator state shared by the decision (policy_evaluator.cpp), the Monte Carlo of
// indeterminate verdicts (evaluator_draws.cpp) and the cluster path (evaluator_cluster.cpp).
#include <flopledger/policy.hpp>

#include "base/exact_fast.hpp"
#include "policy/evaluation_request.hpp"
#include "policy/metrics.hpp"
#include "policy/tri_logic.hpp"

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace flopledger::inline v1::detail {

struct Node {
    const Condition* cond = nullptr;
    std::vector<int> children;
    int scope = -1;       // index into Impl::scopes for compute and cost leaves
    int id = 0;           // leaf number within the evaluator (frontier cache key)
    double constant = 0;  // Constant threshold as a double, for the Monte Carlo draws
    // The threshold as a point interval and its log10, made once here instead of per record.
    Interval constPoint;
    double constLog10 = 0;
    // The constant as a whole number in [0, 2^128) when it is one (fillPrimary's fast path).
    bool constWhole = false;
    U128 constU128 = 0;
    std::string comparatorText;  // toString(reading) for the verdict (leaves)
    // Declared-fact leaves: "facts.ID" and the undeclared-fact note, made once here instead of
    // per record.
    std::string factPath;
    std::string factNote;
    // Compute and cost leaves with a constant threshold: leaves of any policy with the same
    // metric, scope, reading and threshold make the same comparison, made once per record
    // (EvaluatorState::compareClasses of them); -1 for other leaves.
    int compareClass = -1;
};

struct CompiledTree {
    std::vector<Node> nodes;  // nodes[0] is the root
    int primary = -1;
    // Every node, children before their parent, leaves in the recursive walk's order (the
    // last is the root): evalTreeFlat's loop.
    std::vector<int> postOrder;
    std::vector<int> leaves;  // the leaves' node indices, ascending
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
    bool testsFacts = false;      // a leaf tests a declared fact (misspelt facts get a note)
};

inline bool sameScope(const CountingScope& a, const CountingScope& b) {
    return a.include == b.include && a.publicSyntheticData == b.publicSyntheticData &&
           a.recompute == b.recompute;
}

inline bool isCompute(Metric m) {
    return isOwnCompute(m);
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
    // fillPrimary's read of the value (fast path, once per record): -1 not read, 0 an end is not
    // a whole number in [0, 2^128), 1 they all are (their values in `whole`: low, central, high).
    mutable signed char wholeRead = -1;
    mutable std::array<U128, 3> whole;

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

    // Back to a default-constructed outcome, keeping the vectors' and the note's storage (a
    // reused slot, evaluate's fast path). A new member must be reset here too.
    void reset() {
        tri = Tri::Unknown;
        own.ref = nullptr;
        own.owned.reset();
        own.unboundedHigh = false;
        own.missing.clear();
        own.missingInput = nullptr;
        own.log10Central.reset();
        own.wholeRead = -1;
        cached = nullptr;
        threshold.ref = nullptr;
        threshold.owned.reset();
        threshold.effective = false;
        threshold.months = 0;
        threshold.missing.clear();
        threshold.note.clear();
        threshold.sharedNote = nullptr;
    }
};

void addUnique(std::vector<std::string>& out, const std::string& s);
bool positive(const Exact& x);
/// log10 through a double when the value is a whole number a double holds (all FLOP counts);
/// log10Exact otherwise.
double fastLog10(const Exact& x);
/// fastLog10(m.value()->central), computed once per record.
const double& log10Central(const Metered& m);
void quantityMetric(Metered& m, const std::optional<Quantity>& q, const char* path);
void addMissing(std::vector<std::string>& out, const Metered& m);
Tri compareLeaf(const Condition& c, const Metered& m, const ThresholdValue& t,
                const ThresholdSpec& spec);
// The log10 of the central values fillPrimary's margins read, made once per record and value
// (fast path): scopes that borrow the same interval share it.
struct RecordLogs {
    std::array<std::pair<const Interval*, double>, 8> entries{};
    std::size_t used = 0;
    void clear() { used = 0; }
    /// fastLog10(value.central), made once per record for this value.
    double of(const Interval& value);
};

/// Fills the verdict's primary fields (counted FLOP, threshold, comparator, margin) from the
/// tree's primary leaf. `logs`: the record's RecordLogs (fast path), or nullptr. `samePolicy`: v
/// is this policy's pooled verdict from the same evaluator, its comparator already this leaf's
/// (resetVerdict keeps it).
void fillPrimary(Verdict& v, const CompiledTree& tree, const LeafOutcome* outcomes,
                 RecordLogs* logs = nullptr, bool samePolicy = false);

inline bool compareDouble(Comparator c, double x, double t) {
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

// evalTree that also keeps each combination's outcome in its own slot (outs[i].tri for every
// node i, as keepLeafResults hands them to explainVerdicts): the model evaluation's walk.
template <typename LeafFn>
Tri evalTreeKeeping(const CompiledTree& tree, LeafOutcome* outs, int i, LeafFn& leafFn) {
    const Node& n = tree.nodes[static_cast<std::size_t>(i)];
    const Condition::Op op = n.cond->op;
    LeafOutcome& o = outs[i];
    if (op == Condition::Op::Leaf) {
        leafFn(n, o);
        return o.tri;
    }
    TriParts seen;
    for (int c : n.children) seen.add(evalTreeKeeping(tree, outs, c, leafFn));
    o.tri = seen.combine(op);
    return o.tri;
}

// evalTreeKeeping as a loop over the tree's post-order (fast path): the same leaves in the same
// order, each combination from its children's kept outcomes, without a call per node.
template <typename LeafFn>
Tri evalTreeFlat(const CompiledTree& tree, LeafOutcome* outs, LeafFn& leafFn) {
    const Node* nodes = tree.nodes.data();
    for (const int i : tree.postOrder) {
        const Node& n = nodes[i];
        LeafOutcome& o = outs[i];
        const Condition::Op op = n.cond->op;
        if (op == Condition::Op::Leaf) {
            leafFn(n, o);
            continue;
        }
        TriParts seen;
        for (const int c : n.children) seen.add(outs[c].tri);
        o.tri = seen.combine(op);
    }
    return outs[0].tri;
}

// Registers an evaluator's id while it lives: per-thread results that point into an evaluator
// (leaf_results.hpp) are used only while it is alive.
struct LiveEvaluator {
    std::uint64_t id;
    explicit LiveEvaluator(std::uint64_t i);
    ~LiveEvaluator();
    LiveEvaluator(const LiveEvaluator&) = delete;
    LiveEvaluator& operator=(const LiveEvaluator&) = delete;
    static bool alive(std::uint64_t id);
};

// The compiled policies and the caches that do not depend on a record (PolicyEvaluator::Impl).
struct EvaluatorState {
    std::vector<const Policy*> policies;
    EvaluationOptions options;
    EvaluationRequest request;  // what the caller inside core needs computed
    Estimator defaultEstimator;
    std::vector<std::string> factIds;  // every fact id the policies test, sorted
    std::vector<CountingScope> scopes;
    std::vector<CompiledPolicy> compiled;
    int leafCount = 0;
    std::size_t modelNodeCount = 0;     // nodes of every model tree (per-record outcome slots)
    int compareClasses = 0;             // distinct Node::compareClass values
    const std::uint64_t id = nextId();  // tells this evaluator's cached states from others'
    const LiveEvaluator live{id};

    static std::uint64_t nextId() {
        static std::atomic<std::uint64_t> counter{0};
        return ++counter;
    }

    // Every policy's state on a date (Policy::stateOn and its legal-status text), in compiled
    // order. Records of a run share one or a few dates, so each thread keeps the last few
    // dates' states instead of walking every policy's history per record. The reference is
    // valid until the thread's next call.
    const std::vector<PolicyDay>& statesOn(const Date& asOf) const;

    int scopeIndex(const CountingScope& s);
    int compileNode(const Policy& p, const Condition& c, CompiledTree& tree,
                    std::vector<std::string>& notes);
    CompiledTree compileTree(const Policy& p, const Condition& root, bool cluster,
                             std::vector<std::string>& notes);
    void compile();
    void classifyComparisons();  // fills Node::compareClass and compareClasses

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
        Exact effectiveRounded;  // 7 significant digits, exactly: the verdict's shown threshold
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

// Fills a verdict's policy, in-force state, legal status and (with texts) title and notes.
// `texted`: v is this policy's pooled verdict from the same evaluator (title and static notes
// already there, verdict_pool.hpp); `sameDay`: and made for the same date (its legal status is
// the date's).
void fillState(Verdict& v, const CompiledPolicy& cp, const Date& asOf, const PolicyDay& day,
               bool texts, bool texted = false, bool sameDay = false);

}  // namespace flopledger::inline v1::detail

namespace flopledger::inline v1 {

struct PolicyEvaluator::Impl : detail::EvaluatorState {};

}  // namespace flopledger::inline v1
