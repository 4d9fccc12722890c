#pragma once
// Private to verdict_reason_leaves.cpp: the reasons' texts and plans kept per thread for each
// evaluator tree (a fast path; with FLOPLEDGER_FAST_PATHS=OFF the leaves' outcomes are not
// kept and nothing here is used).
#include "policy/evaluator_detail.hpp"
#include "policy/tri_logic.hpp"
#include "policy/verdict_reason.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <utility>
#include <vector>

namespace flopledger::inline v1::detail {

// What the thread keeps per evaluator tree (fast path), keyed by the evaluator's id (never
// reused; its trees do not change while it lives) and the verdict's position:
// - the relation part of a compute leaf with a constant threshold ("is not > 1e26" and the
//   unbounded note), a function of the leaf, its outcome and its bound, interned so that
//   leaves of different policies with the same text share one entry;
// - which figure a compute leaf prints (its metric, scope and whether it is the primary
//   leaf), interned the same way;
// - the deciding leaves of the tree for an outcome of its nodes (Reader::deciding reads the
//   outcomes alone): made once per outcome pattern instead of per verdict.
// Per record (stamped with the record's epoch, so nothing is cleared): each figure's text and
// each (figure, relation) pair's joined text.
class TreeTexts {
public:
    static constexpr std::size_t kMaxFigures = 16;  // per record (RecordTexts::figures)
    struct Relation {
        std::string text;
        // [figure of the record] -> the joined text, valid when stamped with the epoch
        std::array<std::pair<std::uint64_t, const std::string*>, kMaxFigures> joined{};
    };
    // How laneReason finds the text of a deciding leaf, resolved once per plan: its figure and
    // relation (a compute leaf that prints a figure), its text (a yes/no leaf: a function of the
    // leaf and its outcome) or a look-up per verdict (other leaves).
    struct Part {
        enum class Kind : std::uint8_t { Figure, Fixed, Other };
        int node = 0;
        Kind kind = Kind::Other;
        bool primary = false;       // Figure: the leaf is the verdict's primary leaf
        bool modification = false;  // Figure: without a parent the text is a fixed sentence
        std::string text;           // Fixed
    };
    struct Plan {
        std::uint64_t tris = 0;  // the nodes' outcomes, two bits each
        std::vector<int> decided;
        // missing entries seen with this plan and whether filterMissing keeps them (a
        // function of the entry, the tree and the deciding leaves)
        std::vector<std::pair<std::string, bool>> keeps;
        std::vector<Part> parts;  // one per deciding leaf, made on the plan's first lane use
        bool partsMade = false;
        bool primaryDecides = false;  // the primary leaf is a deciding leaf
        Part primary;                 // the primary leaf's text (a "but" clause), when one
        bool hasPrimary = false;
    };
    struct NodeInfo {
        int figureKey = -2;  // -2 not yet known, -1 not a constant-threshold compute leaf
        std::array<Relation*, 8> relation{};  // [tri * 2 + unbounded]
    };
    struct Tree {
        const CompiledTree* tree = nullptr;
        const Condition* primary = nullptr;
        std::vector<NodeInfo> nodes;
        std::vector<Plan> plans;
        // [primary bound matches * 2 + record has a parent]: whether every leaf's evaluator
        // outcome is the re-reading's (leafOutcomeReusable), -1 not yet known. Then the
        // evaluator's node outcomes are the outcome pattern as they are.
        std::array<std::int8_t, 4> reusable{-1, -1, -1, -1};
        // [the same index]: the leaves whose evaluator outcome is not reusable (re-read per
        // verdict by explainQuick), made when rereadMade.
        std::array<std::vector<int>, 4> reread;
        std::array<bool, 4> rereadMade{};
    };
    struct FigureKey {
        Metric metric;
        int scope;
        bool primary;
    };
    static constexpr std::size_t kMaxPlans = 32;
    static constexpr std::size_t kMaxPlanNodes = 32;

    Tree& tree(std::uint64_t evaluator, std::size_t verdict, const CompiledTree* tree,
               const Condition* primary) {
        if (evaluator == evaluator_ && verdict < trees_.size()) {
            Tree& t = trees_[verdict];
            if (t.tree == tree && t.primary == primary) return t;
        }
        return remake(evaluator, verdict, tree, primary);
    }

    Tree& remake(std::uint64_t evaluator, std::size_t verdict, const CompiledTree* tree,
                 const Condition* primary) {
        if (evaluator != evaluator_) {
            evaluator_ = evaluator;
            trees_.clear();
            pool_.clear();
            figureKeys_.clear();
            figureOf_.clear();
        }
        if (verdict >= trees_.size()) trees_.resize(verdict + 1);
        Tree& t = trees_[verdict];
        if (t.tree != tree || t.primary != primary) {
            t.tree = tree;
            t.primary = primary;
            t.nodes.assign(tree->nodes.size(), {});
            t.plans.clear();
            t.reusable.fill(-1);
            t.rereadMade.fill(false);
        }
        return t;
    }

    Relation& relation(NodeInfo& info, Tri tri, bool unb, const Condition& c, const Verdict& v) {
        Relation*& slot = info.relation[static_cast<std::size_t>(tri) * 2 + (unb ? 1 : 0)];
        if (slot == nullptr) {
            scratch_.clear();
            appendComputeLeafRelation(scratch_, c, v, unb, tri, nullptr);
            for (Relation& r : pool_)
                if (r.text == scratch_) slot = &r;
            if (slot == nullptr) {
                slot = &pool_.emplace_back();
                slot->text = scratch_;
            }
        }
        return *slot;
    }

    int figureKey(const FigureKey& k) {
        for (std::size_t i = 0; i < figureKeys_.size(); ++i) {
            const FigureKey& x = figureKeys_[i];
            if (x.metric == k.metric && x.scope == k.scope && x.primary == k.primary)
                return static_cast<int>(i);
        }
        figureKeys_.push_back(k);
        figureOf_.resize(2 * figureKeys_.size());
        return static_cast<int>(figureKeys_.size() - 1);
    }
    // The record's figure of a key and bound (RecordTexts::figures[index], its bound), valid
    // when stamped with the record's epoch.
    struct FigureSlot {
        std::uint64_t epoch = 0;
        int index = -1;
        bool unbounded = false;
    };
    FigureSlot& figureOf(int key, bool unb) {
        return figureOf_[static_cast<std::size_t>(2 * key + (unb ? 1 : 0))];
    }

    std::uint64_t epoch() const { return epoch_; }
    void nextRecord() { ++epoch_; }

private:
    std::uint64_t evaluator_ = 0;
    std::uint64_t epoch_ = 1;
    std::vector<Tree> trees_;
    std::deque<Relation> pool_;
    std::vector<FigureKey> figureKeys_;
    std::vector<FigureSlot> figureOf_;
    std::string scratch_;
};

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

inline TreeTexts& treeTexts() {
    thread_local TreeTexts r;
    return r;
}

}  // namespace flopledger::inline v1::detail
