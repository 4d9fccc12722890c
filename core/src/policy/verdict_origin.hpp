#pragma once
// Which verdicts of the record being streamed carry exactly their policy's static texts (title,
// and the policy's static notes as their first notes), so that the writers can replay the
// policy's precomposed bytes without comparing those texts by value. A fast path: with
// FLOPLEDGER_FAST_PATHS=OFF nothing is recorded and every lookup finds nothing.
//
// Why a verdict can never be printed with stale text: entries are recorded only inside a
// VerdictOriginScope, which the stream engine opens around one record's assess + render, where
// no code outside core sees the verdicts; the scope starts empty and is emptied when it ends,
// so nothing recorded for an earlier record (or a buffer since freed and reused) can be found.
// PolicyEvaluator::evaluate records its returned vector (by buffer address and size) only when
// it filled the texts itself; inside core, nothing between assess and render changes a
// verdict's title or notes (explainVerdicts writes reasons and missing inputs only). Any other
// caller of the writers (library users who edit a Verdict, what-if, sensitivity) has no scope
// open: the lookup finds nothing and the writers compare by value as before.
#include <flopledger/policy.hpp>

#include <cstdint>
#include <vector>

namespace flopledger::inline v1::detail {

struct VerdictOrigin {
    std::uint64_t evaluator = 0;  // EvaluatorState::id (unique per evaluator made)
    // Per verdict position: how many of its first notes are its policy's static notes.
    std::vector<std::uint32_t> staticNotes;
};

/// Opens the thread's table of verdict origins for one record (not nested: an inner scope
/// leaves the table closed when it ends, which only turns the fast path off).
class VerdictOriginScope {
public:
    VerdictOriginScope();
    ~VerdictOriginScope();
    VerdictOriginScope(const VerdictOriginScope&) = delete;
    VerdictOriginScope& operator=(const VerdictOriginScope&) = delete;
};

/// Whether a scope is open on this thread (the evaluator records nothing otherwise).
bool verdictOriginsOpen();

/// Called by the evaluator with the verdicts it returns, filled with texts; `staticNotes[k]` is
/// verdict k's number of static notes. Does nothing when no scope is open.
void recordVerdictOrigin(const std::vector<Verdict>& verdicts, std::uint64_t evaluator,
                         const std::vector<std::uint32_t>& staticNotes);

/// The origin of `verdicts` when the evaluator recorded it in the open scope; nullptr otherwise.
const VerdictOrigin* verdictOrigin(const std::vector<Verdict>& verdicts);

}  // namespace flopledger::inline v1::detail
