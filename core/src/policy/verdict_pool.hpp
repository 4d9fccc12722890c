#pragma once
// Verdict vectors handed back after a record is written, kept per thread with the capacity of
// their strings and vectors: the next record's verdicts (same policies, same titles and notes)
// are assigned into them instead of allocated and freed again. A fast path: with
// FLOPLEDGER_FAST_PATHS=OFF nothing is kept and every record's verdicts are fresh.
#include <flopledger/policy.hpp>

#include <cstdint>
#include <vector>

namespace flopledger::inline v1::detail {

/// A vector of used verdicts from the thread's pool (empty when there is none); each verdict
/// must go through resetVerdict before it is filled. `sameEvaluator` is set when the vector
/// was made by the evaluator `evaluatorId` (EvaluatorState::id): verdict k is then policy k's,
/// its title and first notes (the policy's static notes) already in place.
/// `day`: the date (days since the epoch) the vector's verdicts were made for, when
/// `sameEvaluator` (their legal statuses are that date's).
std::vector<Verdict> takeVerdicts(std::uint64_t evaluatorId, bool& sameEvaluator, long& day);
/// Records that `verdicts` were made by the evaluator `evaluatorId` for the date `day` (see
/// takeVerdicts).
void madeVerdicts(const std::vector<Verdict>& verdicts, std::uint64_t evaluatorId, long day);
/// Keeps `verdicts` for the thread's next takeVerdicts (a few vectors at most). The verdicts
/// must not have been changed since evaluate and explainVerdicts but by reading.
void giveBackVerdicts(std::vector<Verdict>&& verdicts);
/// Makes a used verdict equal to a default-constructed one, keeping its storage, except its
/// policy, title, legal status and notes, which fillState (evaluator_detail.hpp) assigns or
/// keeps, and its countedFlop,
/// threshold and comparator, which fillPrimary assigns or resets.
void resetVerdict(Verdict& v);
/// Assigns `from` into `to` element by element (the strings keep their storage).
void assignStrings(std::vector<std::string>& to, const std::vector<std::string>& from);

}  // namespace flopledger::inline v1::detail
