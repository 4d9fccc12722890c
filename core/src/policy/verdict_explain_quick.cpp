// The common verdict of explainVerdicts in one pass (verdict_explain_quick.hpp): leafView,
// computeStatusFromLeaves and laneReason (leaf_results.cpp, verdict_reason_leaves.cpp) reduced
// to what holds for a released record's verdict that is not a lower bound, reading only what
// the thread already keeps: the tree's reusable flags, its plan for the outcome pattern and the
// plan's parts (made by laneReason on the pattern's first sight) and the record's figures.
// Anything else returns false before the verdict is changed, and the general path runs.
#include "policy/verdict_explain_quick.hpp"

#include "policy/reason_record_texts.hpp"
#include "policy/reason_tree_texts.hpp"

#include <flopledger/verdict_explain.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>

namespace flopledger::inline v1::detail {
namespace {

// A plan part's text without a look-up beyond the record's figures; nullptr: the general path.
const std::string* quickText(const ReasonInputs& in, const Verdict& v, TreeTexts::Tree& tree,
                             const CompiledTree& compiled, const Tri* tris,
                             const TreeTexts::Part& part) {
    switch (part.kind) {
        case TreeTexts::Part::Kind::Fixed:
            return &part.text;
        case TreeTexts::Part::Kind::Figure: {
            if (part.modification && !in.record.parent) return &noParentText();
            const auto i = static_cast<std::size_t>(part.node);
            return figureRelationText(in, v, false, tree.nodes[i], *compiled.nodes[i].cond, tris[i],
                                      part.primary);
        }
        case TreeTexts::Part::Kind::Other:
            break;
    }
    // (the lane's other look-ups, memos and the reader, are the general path's)
    return missingInputText(in, *compiled.nodes[static_cast<std::size_t>(part.node)].cond);
}

// Whether the plan already answers every missing entry (filterMissing's memo).
bool keepsKnown(const TreeTexts::Plan& plan, const std::vector<std::string>& missing) {
    for (const std::string& m : missing) {
        bool known = false;
        for (const auto& entry : plan.keeps)
            if (entry.first == m) {
                known = true;
                break;
            }
        if (!known) return false;
    }
    return true;
}

void filterKnown(const TreeTexts::Plan& plan, std::vector<std::string>& missing) {
    std::erase_if(missing, [&](const std::string& m) {
        for (const auto& [entry, keep] : plan.keeps)
            if (entry == m) return !keep;
        return false;
    });
}

// The leaves of the tree whose evaluator outcome is not reusable with these flags (the primary
// bound matches; the record has a parent when flags & 1), and the tree's reusable flag.
void makeReread(const ReasonInputs& in, const CompiledTree& compiled, TreeTexts::Tree& tree,
                std::size_t flags) {
    std::vector<int>& reread = tree.reread[flags];
    reread.clear();
    for (std::size_t k = 0; k < compiled.nodes.size(); ++k) {
        const Condition& c = *compiled.nodes[k].cond;
        if (c.op == Condition::Op::Leaf &&
            !leafOutcomeReusable(c, &c == in.primary, true, in.record))
            reread.push_back(static_cast<int>(k));
    }
    tree.reusable[flags] = reread.empty() ? 1 : 0;
    tree.rereadMade[flags] = true;
}

}  // namespace

bool explainQuick(const QuickRecord& q, std::size_t index, const Policy& p, Verdict& v) {
    // primaryOf and leafView's checks, the explanation's bound being "bounded" (the tree's part
    // made once per evaluator by keepLeafResults: PerVerdict::primaryCond).
    const LeafResults& leaves = q.leaves;
    if (index >= leaves.perVerdict.size() || !v.countedFlop || !v.assumptions.empty()) return false;
    const LeafResults::PerVerdict& pv = leaves.perVerdict[index];
    const CompiledTree* compiled = pv.tree;
    const Condition* primaryCond = pv.primaryCond;
    if (pv.policy != &p || primaryCond == nullptr || pv.primaryUnbounded) return false;
    const std::size_t n = compiled->nodes.size();
    const auto primaryNode = static_cast<std::size_t>(compiled->primary);
    if (n > TreeTexts::kMaxPlanNodes || pv.offset + n > leaves.tris.size()) return false;
    // A lower bound (a counted stage without an estimate): the general path.
    if (q.record.stages.empty() ||
        (q.anyUnestimated && missingStages(q.estimate, *pv.primaryScope) > 0))
        return false;
    const bool exactCompute = pv.exactCompute[q.record.parent ? 1 : 0];
    if (!q.texts && v.status != VerdictStatus::Unknown && exactCompute) {
        // (explainReasonFromLeaves: nothing to reduce or say)
        const Tri* tris = leaves.tris.data() + pv.offset;
        if (toStatus(tris[0]) != v.status) return false;
        v.lowerBound = false;
        v.computeStatus = toStatus(tris[primaryNode]);
        return true;
    }
    const ReasonInputs in{p,          q.record, q.estimate,       q.asOf, primaryCond,
                          q.registry, q.cache,  leaves.evaluator, index};
    const bool texts = q.texts;
    const Tri* tris = leaves.tris.data() + pv.offset;
    if (toStatus(tris[0]) != v.status) return false;
    // computeStatusFromLeaves: the primary leaf's outcome when it is the same comparison, else
    // computeStatusOf's comparison.
    const VerdictStatus computeStatus =
        exactCompute ? toStatus(tris[primaryNode]) : computeStatusOf(in, v, false);
    const bool unknown = v.status == VerdictStatus::Unknown;
    if (!texts && !unknown) {  // (explainReasonFromLeaves: nothing to reduce or say)
        v.lowerBound = false;
        v.computeStatus = computeStatus;
        return true;
    }
    // laneReason's outcome pattern: the evaluator's outcomes, with the leaves whose outcome
    // is not reusable re-read (and their parents combined again when one differs).
    TreeTexts::Tree& tree = treeTexts().tree(in.evaluator, in.verdictIndex, compiled, in.primary);
    const std::size_t flags = 2U + (in.record.parent ? 1U : 0U);
    if (!tree.rereadMade[flags]) makeReread(in, *compiled, tree, flags);
    std::array<Tri, TreeTexts::kMaxPlanNodes> read;
    if (!tree.reread[flags].empty()) {
        std::copy_n(tris, n, read.begin());
        bool changed = false;
        for (int k : tree.reread[flags]) {
            const auto i = static_cast<std::size_t>(k);
            const Tri t = reReadLeaf(in, v, false, *compiled->nodes[i].cond);
            changed = changed || t != read[i];
            read[i] = t;
        }
        if (changed)
            for (std::size_t k = n; k-- > 0;) {
                const Node& node = compiled->nodes[k];
                if (node.cond->op == Condition::Op::Leaf) continue;
                TriParts seen;
                for (int ch : node.children) seen.add(read[static_cast<std::size_t>(ch)]);
                read[k] = seen.combine(node.cond->op);
            }
        if (toStatus(read[0]) != v.status) return false;
        tris = read.data();
    }
    std::uint64_t key = 0;
    for (std::size_t k = 0; k < n; ++k) key |= static_cast<std::uint64_t>(tris[k]) << (2 * k);
    const TreeTexts::Plan* plan = nullptr;
    for (const TreeTexts::Plan& candidate : tree.plans)
        if (candidate.tris == key) {
            plan = &candidate;
            break;
        }
    if (plan == nullptr || !plan->partsMade || plan->decided.empty()) return false;
    if (unknown && !keepsKnown(*plan, v.missing)) return false;
    if (!texts) {
        filterKnown(*plan, v.missing);
        v.lowerBound = false;
        v.computeStatus = computeStatus;
        return true;
    }
    // "PRIMARY, but BECAUSE", then join(" and ") of the deciding texts (laneReason).
    const std::string* but = nullptr;
    if (!unknown && computeStatus != v.status && !plan->primaryDecides) {
        if (!plan->hasPrimary) return false;
        but = quickText(in, v, tree, *compiled, tris, plan->primary);
        if (but == nullptr) return false;
    }
    std::array<const std::string*, 8> seen;  // (the first seenCount are set)
    std::size_t seenCount = 0;
    if (plan->parts.size() > seen.size()) return false;
    for (const TreeTexts::Part& part : plan->parts) {
        const std::string* t = quickText(in, v, tree, *compiled, tris, part);
        if (t == nullptr) return false;
        if (t->empty()) continue;
        bool repeated = false;
        for (std::size_t k = 0; k < seenCount && !repeated; ++k)
            repeated = seen[k] == t || *seen[k] == *t;
        if (!repeated) seen[seenCount++] = t;
    }
    if (seenCount == 0) return false;
    v.lowerBound = false;
    v.computeStatus = computeStatus;
    std::string& out = v.reason;
    if (unknown) {
        filterKnown(*plan, v.missing);
        out.assign("undecided: ");
        out += *seen[0];
    } else if (but != nullptr) {
        out.assign(*but);
        out += ", but ";
        out += *seen[0];
    } else {
        out.assign(*seen[0]);
    }
    for (std::size_t k = 1; k < seenCount; ++k) {
        out += " and ";
        out += *seen[k];
    }
    // (a lower bound's "on disclosed compute alone" clause: never here)
    return true;
}

}  // namespace flopledger::inline v1::detail
