#pragma once
// Declared facts (facts.cpp): texts the evaluator puts into verdicts for fact leaves.
#include <flopledger/policy.hpp>

#include <string>
#include <vector>

namespace flopledger::inline v1::detail {

/// The `missing` entry of an undeclared fact: "facts.ID".
std::string factPath(const Condition& c);
/// The verdict note of an undeclared fact, naming the criterion in words.
std::string undeclaredFactNote(const Condition& c);
/// The criterion a fact leaf tests, in words ("applies state-of-the-art technology").
std::string factCriterion(const Condition& c);
/// "" or a note naming the record's facts that no policy in `known` (sorted ids) tests, each with
/// a "did you mean" guess: a misspelt fact id is otherwise silently undeclared.
std::string unknownFactsNote(const ModelRecord& record, const std::vector<std::string>& known);

}  // namespace flopledger::detail
