// explainReason (verdict_reason.cpp) from the evaluator's per-leaf outcomes: the leaves whose
// outcome the evaluator already decided exactly are not compared again, the deciding leaves
// are found over the compiled tree's node indices, and only the texts a reason prints are made.
// The result is the reference's, leaf for leaf (leafOutcomeReusable says where they agree).
#include "policy/leaf_results.hpp"
#include "policy/reason_record_texts.hpp"
#include "policy/reason_tree_texts.hpp"

#include <flopledger/verdict_explain.hpp>
#include "base/exact_fast.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <deque>
#include <string>
#include <vector>

namespace flopledger::inline v1::detail {
namespace {

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
    struct Lane {};
    // For laneReason alone: nothing read yet.
    FromLeaves(const ReasonInputs& in, const Verdict& v, bool unbounded, const LeafView& view, Lane)
        : in_(in),
          v_(v),
          unbounded_(unbounded),
          view_(view),
          nodes_(view.tree->nodes),
          s_(scratch()) {}

    FromLeaves(const ReasonInputs& in, const Verdict& v, bool unbounded, const LeafView& view)
        : in_(in),
          v_(v),
          unbounded_(unbounded),
          view_(view),
          nodes_(view.tree->nodes),
          s_(scratch()) {
        const std::size_t n = nodes_.size();
        if (s_.tri.size() < n) s_.tri.resize(n);  // (storage only grows: no fill per verdict)
        tris_ = s_.tri.data();
        if (s_.textOf.size() < n) s_.textOf.resize(n);
        std::fill_n(s_.textOf.begin(), n, nullptr);
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

    Tri tri(int i) const { return tris_[static_cast<std::size_t>(i)]; }

    // The thread's texts and plans of this verdict's tree (fast path, evaluator known).
    TreeTexts::Tree& treeOf() {
        if (tree_ == nullptr)
            tree_ = &treeTexts().tree(in_.evaluator, in_.verdictIndex, view_.tree, in_.primary);
        return *tree_;
    }

    // The common case of explainReasonFromLeaves, without its general walk: a decided status
    // (texts asked for, no assumption) whose tree's outcome pattern has a plan, each deciding
    // leaf's text found through the plan's parts (a compute leaf's figure and relation, a
    // yes/no leaf's fixed text) or a memo, and at most one "but" clause. Writes v.reason and
    // returns true; false when any of this does not hold (nothing of the verdict changed: the
    // general path runs).
    bool laneReason(Verdict& v, bool texts) {
        const std::size_t n = nodes_.size();
        if (in_.evaluator == 0 || n > TreeTexts::kMaxPlanNodes || !v.assumptions.empty())
            return false;
        TreeTexts::Tree& tree = treeOf();
        std::uint64_t key = 0;
        if (reusableTree(tree)) {
            // Every leaf's outcome is the evaluator's, and so are its combinations (the
            // evaluator kept every node's, TriParts both ways); its root is v.status (leafView).
            tris_ = view_.tris;
            for (std::size_t k = 0; k < n; ++k)
                key |= static_cast<std::uint64_t>(view_.tris[k]) << (2 * k);
        } else {
            key = readOutcomes();
            if (toStatus(s_.tri[0]) != v.status) return false;
        }
        TreeTexts::Plan* plan = nullptr;
        for (TreeTexts::Plan& p : tree.plans)
            if (p.tris == key) {
                plan = &p;
                break;
            }
        if (plan == nullptr || plan->decided.empty()) return false;
        const bool unknown = v.status == VerdictStatus::Unknown;
        if (!texts) {  // (an unknown status: the missing inputs alone)
            if (unknown) filterMissing(v, *plan);
            return unknown;
        }
        if (!plan->partsMade) makeParts(tree, *plan);
        const int primary = view_.primaryNode;
        // The reference's "PRIMARY, but BECAUSE" (a decided status the primary leaf does not
        // decide, its compute status another).
        const std::string* but = nullptr;
        if (!unknown && primary >= 0 && v.computeStatus && *v.computeStatus != v.status &&
            std::find(plan->decided.begin(), plan->decided.end(), primary) == plan->decided.end()) {
            but = laneText(primary);
            if (but == nullptr) return false;
        }
        // join(" and ") of the decided texts, written into v.reason (texts of leaves the
        // general path would make with the reader: that path).
        std::array<const std::string*, 8> seen{};
        std::size_t seenCount = 0;
        if (plan->parts.size() > seen.size()) return false;
        for (const TreeTexts::Part& part : plan->parts) {
            const std::string* t = partText(tree, part);
            if (t == nullptr) return false;
            if (t->empty()) continue;
            bool repeated = false;
            for (std::size_t k = 0; k < seenCount && !repeated; ++k)
                repeated = seen[k] == t || *seen[k] == *t;
            if (repeated) continue;
            seen[seenCount++] = t;
        }
        if (seenCount == 0) return false;
        if (unknown) {
            filterMissing(v, *plan);
            v.reason.assign("undecided: ");
            v.reason += *seen[0];
        } else if (but != nullptr) {
            v.reason.assign(*but);
            v.reason += ", but ";
            v.reason += *seen[0];
        } else {
            v.reason.assign(*seen[0]);
        }
        for (std::size_t k = 1; k < seenCount; ++k) {
            v.reason += " and ";
            v.reason += *seen[k];
        }
        if (unknown && v.lowerBound && v.disclosedStatus) {
            v.reason += "; on disclosed compute alone: ";
            v.reason += toString(*v.disclosedStatus);
        }
        return true;
    }

    // The reference's outcome of every node into the scratch (the evaluator's where
    // leafOutcomeReusable, else re-read), bottom-up; returns the pattern, two bits a node.
    std::uint64_t readOutcomes() {
        const std::size_t n = nodes_.size();
        if (s_.tri.size() < n) s_.tri.resize(n);
        tris_ = s_.tri.data();
        std::uint64_t key = 0;
        for (std::size_t k = n; k-- > 0;) {
            const Node& node = nodes_[k];
            const Condition& c = *node.cond;
            Tri t;
            if (c.op == Condition::Op::Leaf) {
                t = leafOutcomeReusable(c, &c == in_.primary, view_.primaryBoundMatches, in_.record)
                        ? view_.tris[k]
                        : reReadLeaf(in_, v_, unbounded_, c);
            } else {
                TriParts seen;
                for (int ch : node.children) seen.add(s_.tri[static_cast<std::size_t>(ch)]);
                t = seen.combine(c.op);
            }
            s_.tri[k] = t;
            key |= static_cast<std::uint64_t>(t) << (2 * k);
        }
        return key;
    }

    // Whether every leaf's evaluator outcome is reusable for this verdict: a function of the
    // tree, its primary leaf (the tree's key), whether that leaf's bound matches and whether the
    // record has a parent (leafOutcomeReusable reads nothing else), kept per tree.
    bool reusableTree(TreeTexts::Tree& tree) const {
        const bool parent = in_.record.parent.has_value();
        std::int8_t& r = tree.reusable[(view_.primaryBoundMatches ? 2U : 0U) + (parent ? 1U : 0U)];
        if (r < 0) {
            r = 1;
            for (const Node& node : nodes_) {
                const Condition& c = *node.cond;
                if (c.op == Condition::Op::Leaf &&
                    !leafOutcomeReusable(c, &c == in_.primary, view_.primaryBoundMatches,
                                         in_.record))
                    r = 0;
            }
        }
        return r == 1;
    }

    // The plan's parts: how each deciding leaf's text is found (Part), and the primary leaf's.
    void makeParts(TreeTexts::Tree& tree, TreeTexts::Plan& plan) {
        plan.parts.clear();
        for (int d : plan.decided) plan.parts.push_back(makePart(tree, d));
        const int primary = view_.primaryNode;
        plan.hasPrimary = primary >= 0;
        if (plan.hasPrimary) plan.primary = makePart(tree, primary);
        plan.primaryDecides = plan.hasPrimary && std::find(plan.decided.begin(), plan.decided.end(),
                                                           primary) != plan.decided.end();
        plan.partsMade = true;
    }

    TreeTexts::Part makePart(TreeTexts::Tree& tree, int d) {
        TreeTexts::Part part;
        part.node = d;
        const Node& node = nodes_[static_cast<std::size_t>(d)];
        const Condition& c = *node.cond;
        const bool primary = &c == in_.primary;
        if (isCompute(c.metric)) {
            // memoText's checks that do not depend on the record: a figure and a relation
            TreeTexts::NodeInfo& info = tree.nodes[static_cast<std::size_t>(d)];
            if (info.figureKey == -2) info.figureKey = figureKeyOf(node, c, primary);
            if (node.scope >= 0 && !(primary && d != view_.tree->primary) && info.figureKey >= 0) {
                part.kind = TreeTexts::Part::Kind::Figure;
                part.primary = primary;
                part.modification = c.metric == Metric::ModificationCompute;
            }
        } else if (const std::string* t = fixedText(d)) {
            part.kind = TreeTexts::Part::Kind::Fixed;
            part.text = *t;
        }
        return part;
    }

    // The text of a deciding leaf through its part (laneText's, without its look-ups).
    const std::string* partText(TreeTexts::Tree& tree, const TreeTexts::Part& part) {
        switch (part.kind) {
            case TreeTexts::Part::Kind::Figure: {
                if (part.modification && !in_.record.parent) return &noParentText();
                const Condition& c = *nodes_[static_cast<std::size_t>(part.node)].cond;
                if (const std::string* t =
                        joinedText(tree.nodes[static_cast<std::size_t>(part.node)], c,
                                   tri(part.node), part.primary))
                    return t;
                return memoText(part.node);
            }
            case TreeTexts::Part::Kind::Fixed:
                return &part.text;
            case TreeTexts::Part::Kind::Other:
                break;
        }
        return laneText(part.node);
    }

    static bool isCompute(Metric m) {
        return m == Metric::TrainingCompute || m == Metric::LargestStageCompute ||
               m == Metric::ModificationCompute;
    }

    // explainReasonFromLeaves' reduction of v.missing with the deciding leaves `decided`.
    void filterMissing(Verdict& v, const std::vector<int>& decided) const {
        if (v.missing.empty()) return;
        std::erase_if(v.missing, [&](const std::string& m) { return !keeps(m, decided); });
    }

    // Whether v.missing keeps m: a deciding (unknown) leaf needs it, or no leaf claims it.
    bool keeps(const std::string& m, const std::vector<int>& decided) const {
        bool claimed = false, needed = false;
        for (int i = 0; i < static_cast<int>(size()); ++i) {
            if (!isLeaf(i) || !inputOfLeaf(i, m)) continue;
            claimed = true;
            needed = needed || std::find(decided.begin(), decided.end(), i) != decided.end();
        }
        return needed || !claimed;
    }

    // filterMissing through the plan's answers (each entry's answer made once per thread).
    void filterMissing(Verdict& v, TreeTexts::Plan& plan) const {
        if (v.missing.empty()) return;
        std::erase_if(v.missing, [&](const std::string& m) {
            for (const auto& [entry, keep] : plan.keeps)
                if (entry == m) return !keep;
            const bool keep = keeps(m, plan.decided);
            if (plan.keeps.size() < 64) plan.keeps.emplace_back(m, keep);
            return !keep;
        });
    }

    // text(i) when a memo, a fixed or a missing-input text gives it (no reader); nullptr else.
    const std::string* laneText(int i) {
        const Node& node = nodes_[static_cast<std::size_t>(i)];
        const Condition& c = *node.cond;
        const bool compute = c.metric == Metric::TrainingCompute ||
                             c.metric == Metric::LargestStageCompute ||
                             c.metric == Metric::ModificationCompute;
        if (compute) return memoText(i);
        if (const std::string* t = fixedText(i)) return t;
        return missingText(i);
    }

    // deciding(0) through the tree's plans: the deciding leaves of an outcome pattern are
    // found once per thread (decided() holds them either way).
    void decidingRoot() {
        const std::size_t n = size();
        if (in_.evaluator == 0 || n > TreeTexts::kMaxPlanNodes) {
            deciding(0);
            return;
        }
        std::uint64_t key = 0;
        for (std::size_t k = 0; k < n; ++k) key |= static_cast<std::uint64_t>(s_.tri[k]) << (2 * k);
        std::vector<TreeTexts::Plan>& plans = treeOf().plans;
        for (const TreeTexts::Plan& p : plans)
            if (p.tris == key) {
                s_.decided.assign(p.decided.begin(), p.decided.end());
                return;
            }
        deciding(0);
        if (plans.size() < TreeTexts::kMaxPlans) {
            TreeTexts::Plan& plan = plans.emplace_back();
            plan.tris = key;
            plan.decided = s_.decided;
        }
    }
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
            if ((t = memoText(i)) != nullptr || (t = fixedText(i)) != nullptr ||
                (t = missingText(i)) != nullptr)
                return *t;
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
        const std::vector<int>& d = s_.decided;
        if (d.size() == 1) return text(d.front());  // (the join of one text is that text)
        std::string& out = s_.because;
        out.clear();
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
        if (c.metric == Metric::ModificationCompute && !in_.record.parent) return &noParentText();
        if (const std::string* t = joinedText(i, node, c, primary)) return t;
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

    // The text of a compute leaf with a constant threshold and a figure (the common case): its
    // figure (once per record) and its relation (once per thread) joined once per record.
    const std::string* joinedText(int i, const Node& node, const Condition& c, bool primary) {
        if (in_.evaluator == 0) return nullptr;
        TreeTexts::NodeInfo& info = treeOf().nodes[static_cast<std::size_t>(i)];
        if (info.figureKey == -2) info.figureKey = figureKeyOf(node, c, primary);
        return joinedText(info, c, tri(i), primary);
    }

    // A compute leaf's figure key, -1 when its text is not a figure and a constant relation.
    static int figureKeyOf(const Node& node, const Condition& c, bool primary) {
        return c.threshold.kind == ThresholdKind::Constant &&
                       (primary || c.metric != Metric::LargestStageCompute)
                   ? treeTexts().figureKey({c.metric, node.scope, primary})
                   : -1;
    }

    // The text of a compute leaf whose figure key is known (the checks of memoText done).
    const std::string* joinedText(TreeTexts::NodeInfo& info, const Condition& c, Tri tr,
                                  bool primary) {
        return figureRelationText(in_, v_, unbounded_, info, c, tr, primary);
    }

    // Reader::leaf's texts of a missing revenue, biological share or cost: fixed sentences that
    // do not depend on the comparison.
    const std::string* missingText(int i) { return missingInputText(in_, cond(i)); }

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
    TreeTexts::Tree* tree_ = nullptr;
    const Tri* tris_ = nullptr;  // node i's outcome is tris_[i] (the evaluator's or s_.tri)
};

}  // namespace

void beginRecordTexts() {
    Scratch& s = scratch();
    s.memoUsed = 0;
    recordTexts().clear();
    treeTexts().nextRecord();
    constexpr std::size_t kMaxFixed = 256;  // (cleared between records: no text is in use)
    if (fixedTexts().size() >= kMaxFixed) fixedTexts().clear();
}

void explainReasonFromLeaves(const ReasonInputs& in, Verdict& v, bool unbounded, bool texts,
                             const LeafView& view) {
    if (!in.policy.conditions) return;
    if (!texts && v.status != VerdictStatus::Unknown) return;  // nothing to reduce or say
    if (FromLeaves(in, v, unbounded, view, FromLeaves::Lane{}).laneReason(v, texts)) return;
    FromLeaves r(in, v, unbounded, view);
    const bool agrees = toStatus(r.tri(0)) == v.status;
    if (agrees) r.decidingRoot();

    if (agrees && v.status == VerdictStatus::Unknown && !v.missing.empty()) {
        // Keep an entry if a deciding (unknown) leaf needs it, or if no leaf claims it (in
        // place: the kept entries keep their order and storage).
        r.filterMissing(v, r.decided());
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
