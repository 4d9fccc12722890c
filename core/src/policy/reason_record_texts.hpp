#pragma once
// Private to the reasons (fast path): one record's compute-leaf texts, shared by the verdicts'
// lanes (verdict_reason_leaves.cpp, verdict_explain_quick.cpp). A compute leaf with a constant
// threshold prints its figure ("counted 3.24e21 FLOP ", made once per record and figure key)
// and its relation ("is not > 1e26", made once per thread: TreeTexts), joined once per record.
#include "policy/reason_number.hpp"
#include "policy/reason_tree_texts.hpp"
#include "policy/verdict_reason.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace flopledger::inline v1::detail {

// The thread's texts of the record being explained: the first `...Used` entries of each table
// are this record's (fixed capacity, so the texts do not move; a full table sends a leaf to the
// general path).
struct RecordTexts {
    // The record's figures: a primary leaf's is the verdict's counted figure with the verdict's
    // bound, another's its scope's counted value.
    struct Figure {
        bool unbounded = false;
        // What the text was made from when its numbers are whole and below 2^128 (word: the
        // metric's, 0 none): figures of other keys with the same parts share it.
        int word = 0;
        SmallInt low, high, central;
        std::string text;
    };
    std::array<Figure, TreeTexts::kMaxFigures> figures;
    std::size_t figuresUsed = 0;
    // A figure and a relation, joined.
    std::array<std::string, 32> joined;
    std::size_t joinedUsed = 0;
    // The record's numbers (whole, below 2^128) as formatScientific(x, 3) prints them.
    struct Number {
        SmallInt value;
        std::uint8_t size = 0;
        char text[kScientific3Size];
    };
    std::array<Number, 16> numbers;
    std::size_t numbersUsed = 0;

    void clear() {
        figuresUsed = 0;
        joinedUsed = 0;
        numbersUsed = 0;
    }
};

inline RecordTexts& recordTexts() {
    thread_local RecordTexts texts;
    return texts;
}

/// Reader::leaf's text for a modification-compute leaf of a record without a parent.
const std::string& noParentText();

/// Reader::leaf's text of a leaf whose input is missing (developer revenue, biological share,
/// compute cost): fixed sentences that do not depend on the comparison; nullptr otherwise.
const std::string* missingInputText(const ReasonInputs& in, const Condition& c);

/// The text of a compute leaf whose figure key is known (info.figureKey >= 0: a constant
/// threshold, a figure of its metric and scope; `primary`: the leaf is in.primary and the
/// evaluator's primary leaf), its outcome `tr`: the figure and the relation joined (made once
/// per record); nullptr when the verdict has no counted figure for a primary leaf or a table
/// is full (the caller's general path then makes the text).
const std::string* figureRelationText(const ReasonInputs& in, const Verdict& v, bool unbounded,
                                      TreeTexts::NodeInfo& info, const Condition& c, Tri tr,
                                      bool primary);

}  // namespace flopledger::inline v1::detail
