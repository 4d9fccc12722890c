// Why a verdict came out (contract 7.5): each leaf of the policy's condition tree is read again
// with a short description of its value, the leaves that decided the status are named in one
// sentence, and `missing` keeps only the inputs of leaves that could still change the status.
#include "policy/verdict_reason.hpp"
#include "base/double_text.hpp"

#include "base/exact_fast.hpp"
#include "base/number_text.hpp"
#include "policy/facts.hpp"
#include "policy/reason_number.hpp"
#include "policy/tri_logic.hpp"

#include <flopledger/verdict_explain.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>

namespace flopledger::inline v1::detail {
namespace {

struct Leaf {
    const Condition* cond = nullptr;
    Tri tri = Tri::Unknown;
    std::string text;
};

std::string num(const Exact& x) {
    std::string out;
    if (appendScientific3(out, x)) return out;  // whole counts below 2^128: one division
    return formatScientific(x, 3);
}

std::string money(const Exact& x) {
    const double d = toDouble(x);
    if (d >= 1e9) return "$" + detail::generalText(d / 1e9, 3) + "B";
    if (d >= 1e6) return "$" + detail::generalText(d / 1e6, 3) + "M";
    return "$" + detail::generalText(d, 3);
}

template <typename Format>
std::string valueText(const Interval& v, bool unbounded, const Format& f) {
    if (unbounded) return ">= " + f(v.low);
    if (compareExact(v.low, v.high) == 0) return f(v.central);
    return f(v.low) + " to " + f(v.high);
}

std::string cmpText(Comparator c) {
    return std::string(toString(c == Comparator::Unstated ? Comparator::GreaterEqual : c));
}

// Sign of x - threshold: exact for constant and effective-compute leaves, else against `shown`.
int signAgainst(const Condition& c, const Exact& x, const Date& asOf, const Exact* shown) {
    if (auto s = compareWithLeafThreshold(c, x, asOf)) return *s;
    if (shown == nullptr) return 0;
    return compareExact(x, *shown);
}

// signAgainst bound to one leaf: the `sign` that compare() takes.
struct LeafSign {
    const Condition& c;
    const Date& asOf;
    const Exact* shown;
    int operator()(const Exact& x) const { return signAgainst(c, x, asOf, shown); }
};

// Three-valued comparison of an interval (high unbounded when `unbounded`) with a leaf.
template <typename Sign>
Tri compare(const Condition& c, const Interval& v, bool unbounded, const Sign& sign) {
    const Tri undecided = unbounded ? Tri::Unknown : Tri::Indet;
    switch (c.reading) {
        case Comparator::Greater:
            if (sign(v.low) > 0) return Tri::True;
            if (!unbounded && sign(v.high) <= 0) return Tri::False;
            return undecided;
        case Comparator::GreaterEqual:
        case Comparator::Unstated:
            if (sign(v.low) >= 0) return Tri::True;
            if (!unbounded && sign(v.high) < 0) return Tri::False;
            return undecided;
        case Comparator::Less:
            if (!unbounded && sign(v.high) < 0) return Tri::True;
            if (sign(v.low) >= 0) return Tri::False;
            return undecided;
        case Comparator::LessEqual:
            if (!unbounded && sign(v.high) <= 0) return Tri::True;
            if (sign(v.low) > 0) return Tri::False;
            return undecided;
    }
    return Tri::Unknown;
}

// num(x), through the record's cache when there is one.
std::string numOf(ReasonCache* cache, const Exact& x) {
    return cache ? cache->num(x) : num(x);
}

std::string thresholdText(const Condition& c, const Verdict& v, bool money_, ReasonCache* cache) {
    if (c.threshold.kind == ThresholdKind::Constant)
        return money_ ? money(c.threshold.value) : numOf(cache, c.threshold.value);
    if (v.threshold) return numOf(cache, *v.threshold);
    return "the threshold";
}

// "is > 1e25", "is not > 1e25", "may or may not be > 1e25", "is not known to be > 1e25".
std::string relation(Tri t, const std::string& cmp, const std::string& threshold) {
    switch (t) {
        case Tri::True:
            return cmp + " " + threshold;
        case Tri::False:
            return "is not " + cmp + " " + threshold;
        case Tri::Indet:
            return "straddles " + threshold;
        case Tri::Unknown:
            return "is not known to be " + cmp + " " + threshold;
    }
    return "";
}

// The appending forms of num, valueText and relation (same texts) for the compute leaves.
void appendNum(std::string& out, ReasonCache* cache, const Exact& x) {
    if (cache)
        out += cache->num(x);
    else
        appendNum3(out, x);
}

void appendValueText(std::string& out, const Interval& v, bool unbounded, ReasonCache* cache) {
    if (unbounded) {
        out += ">= ";
        appendNum(out, cache, v.low);
    } else if (compareExact(v.low, v.high) == 0) {
        appendNum(out, cache, v.central);
    } else {
        appendNum(out, cache, v.low);
        out += " to ";
        appendNum(out, cache, v.high);
    }
}

// num() of a leaf's constant threshold, kept per thread across records (the same few leaves
// are read for every record). Keyed by the leaf's address and checked against its value, so a
// leaf freed and another allocated at the same address cannot reuse a stale text.
const std::string& constantText(const Condition& c) {
    struct Entry {
        const Condition* cond;
        Exact value;
        std::string text;
    };
    thread_local std::vector<Entry> texts;
    for (const Entry& e : texts)
        if (e.cond == &c && sameExact(e.value, c.threshold.value)) return e.text;
    constexpr std::size_t kMaxEntries = 256;
    if (texts.size() == kMaxEntries) texts.erase(texts.begin());
    return texts.emplace_back(Entry{&c, c.threshold.value, num(c.threshold.value)}).text;
}

template <typename Threshold>
void appendRelation(std::string& out, Tri t, Comparator reading, const Threshold& threshold) {
    const std::string_view cmp =
        toString(reading == Comparator::Unstated ? Comparator::GreaterEqual : reading);
    switch (t) {
        case Tri::True:
            break;
        case Tri::False:
            out += "is not ";
            break;
        case Tri::Indet:
            out += "straddles ";
            threshold(out);
            return;
        case Tri::Unknown:
            out += "is not known to be ";
            break;
    }
    out += cmp;
    out += ' ';
    threshold(out);
}

}  // namespace

void appendComputeLeafText(std::string& t, const Condition& c, const Verdict& v,
                           const Interval& value, bool unb, Tri tri, ReasonCache* cache) {
    // Appended in place (the text of most reasons): no temporaries.
    appendComputeLeafFigure(t, c, value, unb, cache);
    appendComputeLeafRelation(t, c, v, unb, tri, cache);
}

void appendComputeLeafFigure(std::string& t, const Condition& c, const Interval& value, bool unb,
                             ReasonCache* cache) {
    t += c.metric == Metric::LargestStageCompute   ? "largest stage"
         : c.metric == Metric::ModificationCompute ? "modification compute"
                                                   : "counted";
    t += ' ';
    appendValueText(t, value, unb, cache);
    t += " FLOP ";
}

void appendComputeLeafRelation(std::string& t, const Condition& c, const Verdict& v, bool unb,
                               Tri tri, ReasonCache* cache) {
    appendRelation(t, tri, c.reading, [&](std::string& out) {
        if (c.threshold.kind == ThresholdKind::Constant)
            out += constantText(c);
        else if (v.threshold)
            appendNum(out, cache, *v.threshold);
        else
            out += "the threshold";
    });
    if (unb) t += " (a counted stage is undisclosed or not estimable)";
}

namespace {

class Reader {
public:
    // The leaves live in the thread's scratch vector (cleared, capacity kept): one verdict's
    // reading at a time, never nested.
    Reader(const ReasonInputs& in, const Verdict& v, bool unbounded)
        : in_(in), v_(v), unbounded_(unbounded), leaves_(scratch()) {
        leaves_.clear();
    }

    Tri node(const Condition& c) {
        if (c.op == Condition::Op::Leaf) {
            leaves_.push_back(leaf(c));
            return leaves_.back().tri;
        }
        bool t = false, f = false, u = false, i = false;
        Tri first = Tri::Unknown;
        int count = 0;
        for (const Condition& child : c.children) {
            const Tri r = node(child);
            if (count++ == 0) first = r;
            t = t || r == Tri::True;
            f = f || r == Tri::False;
            u = u || r == Tri::Unknown;
            i = i || r == Tri::Indet;
        }
        switch (c.op) {
            case Condition::Op::All:
                return f ? Tri::False : u ? Tri::Unknown : i ? Tri::Indet : Tri::True;
            case Condition::Op::Any:
                return t ? Tri::True : u ? Tri::Unknown : i ? Tri::Indet : Tri::False;
            case Condition::Op::Not:
                if (count == 0) return Tri::Unknown;
                return first == Tri::True ? Tri::False : first == Tri::False ? Tri::True : first;
            case Condition::Op::Leaf:
                break;
        }
        return Tri::Unknown;
    }

    const Leaf* find(const Condition* c) const {
        for (const Leaf& l : leaves_)
            if (l.cond == c) return &l;
        return nullptr;
    }
    Tri triOf(const Condition& c) const {
        if (c.op == Condition::Op::Leaf) {
            const Leaf* l = find(&c);
            return l ? l->tri : Tri::Unknown;
        }
        bool t = false, f = false, u = false, i = false;
        Tri first = Tri::Unknown;
        int count = 0;
        for (const Condition& child : c.children) {
            const Tri r = triOf(child);
            if (count++ == 0) first = r;
            t = t || r == Tri::True;
            f = f || r == Tri::False;
            u = u || r == Tri::Unknown;
            i = i || r == Tri::Indet;
        }
        if (c.op == Condition::Op::All)
            return f ? Tri::False : u ? Tri::Unknown : i ? Tri::Indet : Tri::True;
        if (c.op == Condition::Op::Any)
            return t ? Tri::True : u ? Tri::Unknown : i ? Tri::Indet : Tri::False;
        if (count == 0) return Tri::Unknown;
        return first == Tri::True ? Tri::False : first == Tri::False ? Tri::True : first;
    }

    // The leaves that decide node c's value r: for a conjunction that fails, its failing parts;
    // for one that holds, all of them; and so on. The first deciding part where one suffices.
    void deciding(const Condition& c, std::vector<const Leaf*>& out) const {
        const Tri r = triOf(c);
        if (c.op == Condition::Op::Leaf) {
            if (const Leaf* l = find(&c)) out.push_back(l);
            return;
        }
        if (c.op == Condition::Op::Not) {
            if (!c.children.empty()) deciding(c.children.front(), out);
            return;
        }
        const bool all = c.op == Condition::Op::All;
        const bool shortCircuit = (all && r == Tri::False) || (!all && r == Tri::True);
        for (const Condition& child : c.children) {
            const Tri cr = triOf(child);
            if (shortCircuit) {
                if (cr == r) {
                    deciding(child, out);
                    return;
                }
            } else if (r == Tri::Unknown || r == Tri::Indet) {
                if (cr == r) deciding(child, out);
            } else {
                deciding(child, out);
            }
        }
    }

    const std::vector<Leaf>& leaves() const { return leaves_; }

    // One leaf read alone (the fast path's re-reading of the leaves it cannot reuse).
    Leaf readOne(const Condition& c, bool text) {
        wantText_ = text;
        Leaf l = leaf(c);
        wantText_ = false;
        return l;
    }

    // Texts are made only for the leaves a reason names (formatting is the costly part).
    void fillText(const Leaf* l) {
        if (l == nullptr || !l->text.empty()) return;
        wantText_ = true;
        const Leaf full = leaf(*l->cond);
        wantText_ = false;
        for (Leaf& x : leaves_)
            if (&x == l) x.text = full.text;
    }

private:
    Leaf leaf(const Condition& c) {
        Leaf l;
        l.cond = &c;
        const ModelRecord& r = in_.record;
        // Texts only when asked for (fillText): most leaves are read for their status alone.
        switch (c.metric) {
            case Metric::TrainingCompute:
            case Metric::LargestStageCompute:
            case Metric::ModificationCompute:
                computeLeaf(c, l);
                return l;
            case Metric::ComputeCost:
                costLeaf(c, l);
                return l;
            case Metric::DeveloperRevenue:
                revenueLeaf(c, l);
                return l;
            case Metric::BioSequenceShare:
                bioLeaf(c, l);
                return l;
            case Metric::GeneratedModalities:
                modalitiesLeaf(c, l);
                return l;
            case Metric::Weights:
                if (!r.openWeights) {
                    if (wantText_) l.text = "weights (open or closed) not given";
                    return l;
                }
                l.tri = *r.openWeights == c.equals ? Tri::True : Tri::False;
                if (wantText_)
                    l.text = std::string("weights are ") + (*r.openWeights ? "open" : "closed");
                return l;
            case Metric::DeclaredFact: {
                // Contract 7.5: a qualitative criterion the record declares; never assumed.
                const std::optional<bool> f = r.fact(c.fact);
                if (!f) {
                    if (wantText_) l.text = detail::factCriterion(c) + " not declared";
                    return l;
                }
                l.tri = *f == c.equals ? Tri::True : Tri::False;
                if (wantText_)
                    l.text = detail::factCriterion(c) +
                             (l.tri == Tri::True ? ": declared" : ": declared not to hold");
                return l;
            }
            case Metric::Distilled: {
                const bool d = std::any_of(r.stages.begin(), r.stages.end(), [](const Stage& s) {
                    return s.kind == StageKind::DistillationTeacher;
                });
                l.tri = d == c.equals ? Tri::True : Tri::False;
                if (wantText_)
                    l.text = d ? "distilled (has a distillation-teacher stage)"
                               : "not distilled (no distillation-teacher stage)";
                return l;
            }
            case Metric::ParentTrainingCompute:
                parentComputeLeaf(c, l);
                return l;
            case Metric::ParentComputeCost:
                if (wantText_) l.text = "parent's compute cost";
                return l;
            case Metric::ClusterPeak:
            case Metric::ClusterNetwork:
            case Metric::SingleDatacenter:
                if (wantText_) l.text = "cluster criterion";
                return l;
        }
        return l;
    }

    // The sign of a value against leaf c's threshold; the primary leaf's relative threshold is
    // the one the verdict shows.
    LeafSign signOf(const Condition& c) const {
        const bool primary = &c == in_.primary;
        return LeafSign{c, in_.asOf, primary && v_.threshold ? &*v_.threshold : nullptr};
    }

    // Training, largest-stage and modification compute: the primary leaf reads the verdict's
    // counted figure, the others their own scope's total.
    void computeLeaf(const Condition& c, Leaf& l) const {
        const ModelRecord& r = in_.record;
        const bool primary = &c == in_.primary;
        ReasonCache* cache = in_.cache;
        const char* what = c.metric == Metric::LargestStageCompute   ? "largest stage"
                           : c.metric == Metric::ModificationCompute ? "modification compute"
                                                                     : "counted";
        if (c.metric == Metric::ModificationCompute && !r.parent) {
            l.tri = Tri::False;
            if (wantText_) l.text = "not a modification of another model (no parent)";
            return;
        }
        // Pointers, not copies: the verdict's counted figure or the cached scope total.
        const Interval* value = nullptr;
        std::optional<Interval> owned;
        bool unb = false;
        if (primary) {
            if (v_.countedFlop) value = &*v_.countedFlop;
            unb = unbounded_;
        } else if (c.metric != Metric::LargestStageCompute) {
            const CountingScope& sc = leafScope(in_.policy, c);
            if (cache) {
                const ReasonCache::Counted& k = cache->countedOf(r, in_.estimate, sc);
                value = &k.value;
                unb = k.unbounded;
            } else {
                value = &owned.emplace(countedFlop(in_.estimate, sc));
                for (const StageEstimate& se : in_.estimate.stages)
                    unb = unb || (!se.method && sc.includes(se));
                unb = unb || r.stages.empty();
            }
        }
        if (!value) {
            if (wantText_) l.text = std::string(what) + " compute not known";
            return;
        }
        if (!primary && c.threshold.kind != ThresholdKind::Constant &&
            c.threshold.kind != ThresholdKind::EffectiveCompute) {
            if (wantText_) l.text = std::string(what) + " compute against a relative threshold";
            return;
        }
        l.tri = compare(c, *value, unb, signOf(c));
        if (wantText_) {
            l.text.reserve(96);
            appendComputeLeafText(l.text, c, v_, *value, unb, l.tri, cache);
        }
    }

    // The cost of the stages in the leaf's scope; unbounded when one of them has none.
    void costLeaf(const Condition& c, Leaf& l) const {
        const CountingScope& sc = leafScope(in_.policy, c);
        Exact low = 0, high = 0;
        bool any = false, unb = false;
        for (const StageEstimate& se : in_.estimate.stages) {
            if (!sc.includes(se)) continue;
            if (se.costUsd) {
                low += se.costUsd->value.low;
                high += se.costUsd->value.high;
                any = true;
            } else {
                unb = true;
            }
        }
        if (!any && (unb || in_.record.stages.empty())) {
            if (wantText_) l.text = "compute cost not given";
            return;
        }
        const Interval value{low, low, high};
        l.tri = compare(c, value, unb, signOf(c));
        if (wantText_)
            l.text = "compute cost " + valueText(value, unb, money) + " " +
                     relation(l.tri, cmpText(c.reading), thresholdText(c, v_, true, in_.cache));
    }

    void revenueLeaf(const Condition& c, Leaf& l) const {
        const ModelRecord& r = in_.record;
        if (!r.developerRevenueUsd) {
            if (wantText_) l.text = "developer revenue not given";
            return;
        }
        l.tri = compare(c, r.developerRevenueUsd->value, false, signOf(c));
        if (wantText_)
            l.text = "developer revenue " + valueText(r.developerRevenueUsd->value, false, money) +
                     " " +
                     relation(l.tri, cmpText(c.reading), thresholdText(c, v_, true, in_.cache));
    }

    void bioLeaf(const Condition& c, Leaf& l) const {
        const ModelRecord& r = in_.record;
        if (!r.bioSequenceShare) {
            if (textOnlyForBio(r)) {
                l.tri = compare(c, Interval::point(Exact(0)), false, signOf(c));
                if (wantText_)
                    l.text = "no biological modality (biological sequence share read as 0)";
            } else {
                if (wantText_) l.text = "biological sequence share not given";
            }
            return;
        }
        l.tri = compare(c, r.bioSequenceShare->value, false, signOf(c));
        ReasonCache* cache = in_.cache;
        const auto numText = [cache](const Exact& x) { return numOf(cache, x); };
        if (wantText_)
            l.text = "biological sequence share " +
                     valueText(r.bioSequenceShare->value, false, numText) + " " +
                     relation(l.tri, cmpText(c.reading), numText(c.threshold.value));
    }

    void modalitiesLeaf(const Condition& c, Leaf& l) const {
        const ModelRecord& r = in_.record;
        if (r.modalities.empty()) {
            if (wantText_) l.text = "modalities not given";
            return;
        }
        bool any = false;
        for (Modality m : r.modalities)
            any = any || std::find(c.anyOf.begin(), c.anyOf.end(), m) != c.anyOf.end();
        l.tri = any ? Tri::True : Tri::False;
        std::string set;
        for (Modality m : c.anyOf) set += (set.empty() ? "" : ", ") + std::string(toString(m));
        if (wantText_) l.text = any ? "generates one of " + set : "generates none of " + set;
    }

    // The parent's stated training compute, else its estimate in the registry.
    void parentComputeLeaf(const Condition& c, Leaf& l) const {
        const ModelRecord& r = in_.record;
        const Interval* pf = nullptr;
        std::optional<Interval> reg;
        if (r.parent && r.parent->trainingFlop) {
            pf = &r.parent->trainingFlop->value;
        } else if (r.parent && in_.registry) {
            if (const auto* e = in_.registry->find(r.parent->id)) {
                reg = countedFlop(*e->estimate, leafScope(in_.policy, c));
                pf = &*reg;
            }
        }
        if (!pf) {
            if (wantText_) l.text = "parent's training compute not given";
            return;
        }
        l.tri = compare(c, *pf, false, signOf(c));
        ReasonCache* cache = in_.cache;
        const auto numText = [cache](const Exact& x) { return numOf(cache, x); };
        if (wantText_)
            l.text = "parent's training compute " + valueText(*pf, false, numText) + " FLOP " +
                     relation(l.tri, cmpText(c.reading), numText(c.threshold.value));
    }

    const ReasonInputs& in_;
    const Verdict& v_;
    bool unbounded_;
    bool wantText_ = false;
    std::vector<Leaf>& leaves_;

    static std::vector<Leaf>& scratch() {
        thread_local std::vector<Leaf> leaves;
        return leaves;
    }
};

}  // namespace

// Whether a `missing` entry is an input of a leaf.
bool inputOf(const Condition& c, const std::string& m) {
    auto starts = [&](const char* p) { return m.rfind(p, 0) == 0; };
    switch (c.metric) {
        case Metric::TrainingCompute:
        case Metric::LargestStageCompute:
        case Metric::ModificationCompute:
            if (m == "stages" || m == "stages[].flop") return true;
            if (c.threshold.kind == ThresholdKind::RelativeToParent) return starts("parent.");
            if (c.threshold.kind == ThresholdKind::FrontierRank) return starts("registry");
            return false;
        case Metric::ComputeCost:
            return m == "stages" || m == "stages[].cost_usd";
        case Metric::DeveloperRevenue:
            return m == "developer_revenue_usd";
        case Metric::BioSequenceShare:
            return m == "bio_sequence_share";
        case Metric::GeneratedModalities:
            return m == "modalities";
        case Metric::Weights:
            return m == "weights";
        case Metric::DeclaredFact:
            return m == detail::factPath(c);
        case Metric::Distilled:
            return false;
        case Metric::ParentTrainingCompute:
            return m == "parent.training_flop";
        case Metric::ParentComputeCost:
            return starts("parent (");
        case Metric::ClusterPeak:
        case Metric::ClusterNetwork:
        case Metric::SingleDatacenter:
            return true;
    }
    return true;
}

namespace {

std::string join(const std::vector<const Leaf*>& ls, const char* sep) {
    std::string out;
    for (std::size_t i = 0; i < ls.size(); ++i) {
        const Leaf* l = ls[i];
        if (l->text.empty()) continue;
        bool seen = false;  // two leaves may read the same input (a cost in two branches)
        for (std::size_t j = 0; j < i; ++j) seen = seen || ls[j]->text == l->text;
        if (seen) continue;
        if (!out.empty()) out += sep;
        out += l->text;
    }
    return out;
}

}  // namespace

const std::string& ReasonCache::num(const Exact& x) {
    for (std::size_t i = 0; i < numbersUsed; ++i)
        if (sameExact(numbers[i].first, x)) return numbers[i].second;
    if (numbersUsed == numbers.size()) numbers.emplace_back();
    auto& [value, text] = numbers[numbersUsed++];
    value = x;
    text = flopledger::detail::num(x);
    return text;
}

const ReasonCache::Counted& ReasonCache::countedOf(const ModelRecord& record,
                                                   const ModelEstimate& estimate,
                                                   const CountingScope& scope) {
    for (std::size_t i = 0; i < countedUsed; ++i) {
        const Counted& k = counted[i];
        if (k.scope.include == scope.include &&
            k.scope.publicSyntheticData == scope.publicSyntheticData &&
            k.scope.recompute == scope.recompute)
            return k;
    }
    if (countedUsed == counted.size()) counted.emplace_back();
    Counted& k = counted[countedUsed++];
    k.scope = scope;
    k.value = countedFlop(estimate, scope);
    k.unbounded = record.stages.empty();
    for (const StageEstimate& se : estimate.stages)
        k.unbounded = k.unbounded || (!se.method && scope.includes(se));
    return k;
}

Tri reReadLeaf(const ReasonInputs& in, const Verdict& v, bool unbounded, const Condition& c) {
    return Reader(in, v, unbounded).readOne(c, false).tri;
}

void leafReasonText(const ReasonInputs& in, const Verdict& v, bool unbounded, const Condition& c,
                    std::string& out) {
    const Leaf l = Reader(in, v, unbounded).readOne(c, true);
    out.assign(l.text);
}

bool textOnlyForBio(const ModelRecord& record) {
    return !record.modalities.empty() &&
           std::find(record.modalities.begin(), record.modalities.end(), Modality::Biology) ==
               record.modalities.end();
}

VerdictStatus computeStatusOf(const ReasonInputs& in, const Verdict& v, bool unbounded) {
    if (in.primary == nullptr || !v.countedFlop) return VerdictStatus::Unknown;
    const Condition& c = *in.primary;
    const bool exactKind = c.threshold.kind == ThresholdKind::Constant ||
                           c.threshold.kind == ThresholdKind::EffectiveCompute;
    if (!exactKind && !v.threshold) return VerdictStatus::Unknown;
    const Exact* shown = v.threshold ? &*v.threshold : nullptr;
    return toStatus(compare(c, *v.countedFlop, unbounded,
                            [&](const Exact& x) { return signAgainst(c, x, in.asOf, shown); }));
}

void explainReason(const ReasonInputs& in, Verdict& v, bool unbounded, bool texts) {
    if (!in.policy.conditions) return;
    if (!texts && v.status != VerdictStatus::Unknown) return;  // nothing to reduce or say
    Reader reader(in, v, unbounded);
    const Tri root = reader.node(*in.policy.conditions);
    const bool agrees = toStatus(root) == v.status;
    std::vector<const Leaf*> decided;
    if (agrees) reader.deciding(*in.policy.conditions, decided);

    if (agrees && v.status == VerdictStatus::Unknown && !v.missing.empty()) {
        // Keep an entry if a deciding (unknown) leaf needs it, or if no leaf claims it.
        std::vector<std::string> kept;
        for (const std::string& m : v.missing) {
            bool claimed = false, needed = false;
            for (const Leaf& l : reader.leaves()) {
                if (!inputOf(*l.cond, m)) continue;
                claimed = true;
                needed = needed || std::find(decided.begin(), decided.end(), &l) != decided.end();
            }
            if (needed || !claimed) kept.push_back(m);
        }
        v.missing = std::move(kept);
    }
    if (!texts) return;

    const Leaf* primary = in.primary ? reader.find(in.primary) : nullptr;
    reader.fillText(primary);
    for (const Leaf* l : decided) reader.fillText(l);
    const bool primaryDecides =
        primary && std::find(decided.begin(), decided.end(), primary) != decided.end();
    std::string because = join(decided, " and ");
    if (!agrees || because.empty()) {
        v.reason = primary ? primary->text : std::string("decided by the policy's conditions");
        if (!agrees) v.reason += " (see the policy's conditions)";
        return;
    }
    if (v.status == VerdictStatus::Unknown) {
        v.reason = "undecided: " + because;
        if (v.lowerBound && v.disclosedStatus)
            v.reason +=
                "; on disclosed compute alone: " + std::string(toString(*v.disclosedStatus));
        return;
    }
    if (primary && !primaryDecides && v.computeStatus && *v.computeStatus != v.status)
        v.reason = primary->text + ", but " + because;
    else
        v.reason = because;
    if (!v.assumptions.empty()) v.reason += " (" + v.assumptions.front() + ")";
}

void explainCluster(Verdict& v, bool texts) {
    v.computeStatus = v.status;
    if (!texts) return;
    if (v.countedFlop && v.threshold) {
        v.reason = "cluster peak " + formatScientific(v.countedFlop->central, 3) + " " +
                   (v.status == VerdictStatus::Exceeds ? v.comparator + " " : "against ") +
                   formatScientific(*v.threshold, 3) + ": " + std::string(toString(v.status));
    } else {
        v.reason = "cluster criteria: " + std::string(toString(v.status));
    }
}

}  // namespace flopledger::inline v1::detail
