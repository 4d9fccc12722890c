// explainReason (verdict_reason.cpp) from the evaluator's per-leaf outcomes: the leaves whose
// outcome the evaluator already decided exactly are not compared again, the deciding leaves
// are found over the compiled tree's node indices, and only the texts a reason prints are made.
// The result is the reference's, leaf for leaf (leafOutcomeReusable says where they agree).
#include "policy/leaf_results.hpp"

#include <flopledger/verdict_explain.hpp>
#include "base/exact_fast.hpp"

#include <algorithm>
#include <deque>
#include <string>
#include <vector>

namespace flopledger::inline v1::detail {
namespace {

// The thread's scratch: one verdict's explanation at a time, capacity kept.
struct Scratch {
    std::vector<Tri> tri;
    std::vector<int> decided;
    // node -> its text (a memo's, or one of the first `used` of texts), nullptr when not made.
    // Deques: the texts do not move while a verdict points at them.
    std::vector<const std::string*> textOf;
    std::deque<std::string> texts;
    std::size_t used = 0;
    // The record's compute-leaf texts so far (the same figure against the same threshold
    // recurs across its policies): the first `memoUsed` entries are this record's.
    struct Memo {
        Metric metric = Metric::TrainingCompute;
        int scope = -1;
        bool primary = false;
        bool unbounded = false;
        Tri tri = Tri::Unknown;
        Comparator reading = Comparator::Greater;
        const Exact* threshold = nullptr;  // the shown threshold (the leaf's or the verdict's)
        std::string text;
    };
    std::deque<Memo> memo;
    std::size_t memoUsed = 0;
    std::string because;
};

// Texts of yes/no leaves, kept per thread (FromLeaves::fixedText); bounded per record.
struct FixedText {
    const Condition* cond;
    Metric metric;
    bool equals;
    Tri tri;
    std::string fact, label;
    std::vector<Modality> anyOf;
    std::string text;
};

std::deque<FixedText>& fixedTexts() {
    thread_local std::deque<FixedText> fixed;
    return fixed;
}

Scratch& scratch() {
    thread_local Scratch s;
    return s;
}

class FromLeaves {
public:
    FromLeaves(const ReasonInputs& in, const Verdict& v, bool unbounded, const LeafView& view)
        : in_(in),
          v_(v),
          unbounded_(unbounded),
          view_(view),
          nodes_(view.tree->nodes),
          s_(scratch()) {
        const std::size_t n = nodes_.size();
        s_.tri.resize(n);
        s_.textOf.assign(n, nullptr);
        s_.used = 0;
        s_.decided.clear();
        // Children follow their parent (pre-order): bottom-up is a reverse walk.
        for (std::size_t k = n; k-- > 0;) {
            const Node& node = nodes_[k];
            const Condition& c = *node.cond;
            if (c.op == Condition::Op::Leaf) {
                const bool primary = &c == in.primary;
                s_.tri[k] = leafOutcomeReusable(c, primary, view.primaryBoundMatches, in.record)
                                ? view.tris[k]
                                : reReadLeaf(in, v, unbounded, c);
                continue;
            }
            TriParts seen;
            for (int ch : node.children) seen.add(s_.tri[static_cast<std::size_t>(ch)]);
            s_.tri[k] = seen.combine(c.op);
        }
    }

    Tri tri(int i) const { return s_.tri[static_cast<std::size_t>(i)]; }
    bool isLeaf(int i) const { return cond(i).op == Condition::Op::Leaf; }
    const Condition& cond(int i) const { return *nodes_[static_cast<std::size_t>(i)].cond; }
    std::size_t size() const { return nodes_.size(); }
    std::vector<int>& decided() { return s_.decided; }

    // Reader::deciding over node indices.
    void deciding(int i) {
        const Node& node = nodes_[static_cast<std::size_t>(i)];
        const Condition::Op op = node.cond->op;
        const Tri r = tri(i);
        if (op == Condition::Op::Leaf) {
            s_.decided.push_back(i);
            return;
        }
        if (op == Condition::Op::Not) {
            if (!node.children.empty()) deciding(node.children.front());
            return;
        }
        const bool all = op == Condition::Op::All;
        const bool shortCircuit = (all && r == Tri::False) || (!all && r == Tri::True);
        for (int ch : node.children) {
            const Tri cr = tri(ch);
            if (shortCircuit) {
                if (cr == r) {
                    deciding(ch);
                    return;
                }
            } else if (r == Tri::Unknown || r == Tri::Indet) {
                if (cr == r) deciding(ch);
            } else {
                deciding(ch);
            }
        }
    }

    // inputOf(cond(i), m), a declared fact's path read from the compiled node (no string made).
    bool inputOfLeaf(int i, const std::string& m) const {
        const Node& node = nodes_[static_cast<std::size_t>(i)];
        if (node.cond->metric == Metric::DeclaredFact && !node.factPath.empty())
            return m == node.factPath;
        return inputOf(*node.cond, m);
    }

    bool decides(int i) const {
        return std::find(s_.decided.begin(), s_.decided.end(), i) != s_.decided.end();
    }

    // The text of leaf i, made once per verdict.
    const std::string& text(int i) {
        const std::string*& t = s_.textOf[static_cast<std::size_t>(i)];
        if (t == nullptr) {
            if ((t = memoText(i)) != nullptr || (t = fixedText(i)) != nullptr) return *t;
            if (s_.used == s_.texts.size()) s_.texts.emplace_back();
            std::string& out = s_.texts[s_.used++];
            leafReasonText(in_, v_, unbounded_, cond(i), out);
            t = &out;
        }
        return *t;
    }

    // join(decided, sep) of the reference: texts in order, empty and repeated ones left out
    // (into the thread's string: its storage is kept).
    const std::string& join(const char* sep) {
        std::string& out = s_.because;
        out.clear();
        const std::vector<int>& d = s_.decided;
        for (std::size_t a = 0; a < d.size(); ++a) {
            const std::string& t = text(d[a]);
            if (t.empty()) continue;
            bool seen = false;
            for (std::size_t b = 0; b < a && !seen; ++b) seen = text(d[b]) == t;
            if (seen) continue;
            if (!out.empty()) out += sep;
            out += t;
        }
        return out;
    }

private:
    // A compute leaf's text is a function of its metric, its figure (the counted value of its
    // scope; a primary leaf's is the verdict's, that value when the leaf is the evaluator's
    // primary), its bound, outcome, comparator and shown threshold. Looked up here, made once.
    const std::string* memoText(int i) {
        const Node& node = nodes_[static_cast<std::size_t>(i)];
        const Condition& c = *node.cond;
        const bool compute = c.metric == Metric::TrainingCompute ||
                             c.metric == Metric::LargestStageCompute ||
                             c.metric == Metric::ModificationCompute;
        if (!compute || node.scope < 0) return nullptr;
        const bool primary = &c == in_.primary;
        if (primary && i != view_.tree->primary) return nullptr;  // its figure is another leaf's
        bool unb = unbounded_;
        const Interval* value = primary && v_.countedFlop ? &*v_.countedFlop : nullptr;
        if (!primary) {
            const ReasonCache::Counted& k =
                in_.cache->countedOf(in_.record, in_.estimate, leafScope(in_.policy, c));
            unb = k.unbounded;
            value = &k.value;
        }
        const Exact* threshold = c.threshold.kind == ThresholdKind::Constant ? &c.threshold.value
                                 : v_.threshold                              ? &*v_.threshold
                                                                             : nullptr;
        const Comparator reading =
            c.reading == Comparator::Unstated ? Comparator::GreaterEqual : c.reading;
        const Tri tr = tri(i);
        for (std::size_t k = 0; k < s_.memoUsed; ++k) {
            const Scratch::Memo& m = s_.memo[k];
            if (m.metric == c.metric && m.scope == node.scope && m.primary == primary &&
                m.unbounded == unb && m.tri == tr && m.reading == reading &&
                (m.threshold == nullptr) == (threshold == nullptr) &&
                (m.threshold == threshold || sameExact(*m.threshold, *threshold)))
                return &m.text;
        }
        if (s_.memoUsed == s_.memo.size()) s_.memo.emplace_back();
        Scratch::Memo& m = s_.memo[s_.memoUsed++];
        m.metric = c.metric;
        m.scope = node.scope;
        m.primary = primary;
        m.unbounded = unb;
        m.tri = tr;
        m.reading = reading;
        m.threshold = threshold;
        // Reader::leaf's text (verdict_reason.cpp): the formatting alone where its value, bound
        // and outcome are these; its special cases through the reader itself.
        const bool special = value == nullptr ||
                             (c.metric == Metric::ModificationCompute && !in_.record.parent) ||
                             (!primary && (c.metric == Metric::LargestStageCompute ||
                                           (c.threshold.kind != ThresholdKind::Constant &&
                                            c.threshold.kind != ThresholdKind::EffectiveCompute)));
        if (special) {
            leafReasonText(in_, v_, unbounded_, c, m.text);
        } else {
            m.text.clear();
            appendComputeLeafText(m.text, c, v_, *value, unb, tr, in_.cache);
        }
        return &m.text;
    }

    // The text of a leaf that tests a declared yes/no (modalities, weights, a fact, distilled)
    // is a function of the leaf and its outcome alone: made once per thread and leaf, checked
    // against a copy of what it reads (a leaf freed and another allocated at its address).
    const std::string* fixedText(int i) {
        const Condition& c = cond(i);
        if (c.metric != Metric::GeneratedModalities && c.metric != Metric::Weights &&
            c.metric != Metric::DeclaredFact && c.metric != Metric::Distilled)
            return nullptr;
        std::deque<FixedText>& fixed = fixedTexts();
        const Tri tr = tri(i);
        for (const FixedText& e : fixed)
            if (e.cond == &c && e.metric == c.metric && e.equals == c.equals && e.tri == tr &&
                e.fact == c.fact && e.label == c.label && e.anyOf == c.anyOf)
                return &e.text;
        FixedText& e =
            fixed.emplace_back(FixedText{&c, c.metric, c.equals, tr, c.fact, c.label, c.anyOf, {}});
        leafReasonText(in_, v_, unbounded_, c, e.text);
        return &e.text;
    }

    const ReasonInputs& in_;
    const Verdict& v_;
    bool unbounded_;
    const LeafView& view_;
    const std::vector<Node>& nodes_;
    Scratch& s_;
};

}  // namespace

void beginRecordTexts() {
    scratch().memoUsed = 0;
    constexpr std::size_t kMaxFixed = 256;  // (cleared between records: no text is in use)
    if (fixedTexts().size() >= kMaxFixed) fixedTexts().clear();
}

void explainReasonFromLeaves(const ReasonInputs& in, Verdict& v, bool unbounded, bool texts,
                             const LeafView& view) {
    if (!in.policy.conditions) return;
    if (!texts && v.status != VerdictStatus::Unknown) return;  // nothing to reduce or say
    FromLeaves r(in, v, unbounded, view);
    const bool agrees = toStatus(r.tri(0)) == v.status;
    if (agrees) r.deciding(0);

    if (agrees && v.status == VerdictStatus::Unknown && !v.missing.empty()) {
        // Keep an entry if a deciding (unknown) leaf needs it, or if no leaf claims it.
        std::vector<std::string> kept;
        for (const std::string& m : v.missing) {
            bool claimed = false, needed = false;
            for (int i = 0; i < static_cast<int>(r.size()); ++i) {
                if (!r.isLeaf(i) || !r.inputOfLeaf(i, m)) continue;
                claimed = true;
                needed = needed || r.decides(i);
            }
            if (needed || !claimed) kept.push_back(m);
        }
        v.missing = std::move(kept);
    }
    if (!texts) return;

    const int primary = view.primaryNode;
    const bool primaryDecides = primary >= 0 && r.decides(primary);
    // The reference's sentences, assigned into v.reason's storage (a pooled verdict's).
    const std::string& because = r.join(" and ");
    std::string& out = v.reason;
    if (!agrees || because.empty()) {
        if (primary >= 0)
            out.assign(r.text(primary));
        else
            out.assign("decided by the policy's conditions");
        if (!agrees) out += " (see the policy's conditions)";
        return;
    }
    if (v.status == VerdictStatus::Unknown) {
        out.assign("undecided: ");
        out += because;
        if (v.lowerBound && v.disclosedStatus) {
            out += "; on disclosed compute alone: ";
            out += toString(*v.disclosedStatus);
        }
        return;
    }
    if (primary >= 0 && !primaryDecides && v.computeStatus && *v.computeStatus != v.status) {
        out.assign(r.text(primary));
        out += ", but ";
        out += because;
    } else {
        out.assign(because);
    }
    if (!v.assumptions.empty()) {
        out += " (";
        out += v.assumptions.front();
        out += ')';
    }
}

}  // namespace flopledger::inline v1::detail
