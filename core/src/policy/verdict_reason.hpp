#pragma once
// Internal to verdict_explain: the compute status of a verdict and its reason sentence, from a
// light re-reading of the policy's condition tree (the evaluator's status stays authoritative).
#include <flopledger/estimate.hpp>
#include <flopledger/policy.hpp>
#include <flopledger/record.hpp>

#include "policy/tri_logic.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace flopledger::inline v1::detail {

/// What one record's reasons compute again and again, made once per record (explainVerdicts
/// owns it): the text of each number printed (the counted figure and the thresholds recur in
/// most verdicts) and the counted FLOP of each scope a non-primary compute leaf reads.
struct ReasonCache {
    struct Counted {
        CountingScope scope;
        Interval value;
        bool unbounded = false;
    };
    // The first numbersUsed / countedUsed entries are this record's; the others are storage
    // kept from earlier records (a thread's cache, cleared per record: fast path).
    std::vector<std::pair<Exact, std::string>> numbers;
    std::vector<Counted> counted;
    std::size_t numbersUsed = 0, countedUsed = 0;

    /// Forgets the entries, keeping their storage.
    void clear() {
        numbersUsed = 0;
        countedUsed = 0;
    }

    /// formatScientific(x, 3), made once per distinct value.
    const std::string& num(const Exact& x);
    /// countedFlop(estimate, scope) and whether a counted stage has no value.
    const Counted& countedOf(const ModelRecord& record, const ModelEstimate& estimate,
                             const CountingScope& scope);
};

struct ReasonInputs {
    const Policy& policy;
    const ModelRecord& record;
    const ModelEstimate& estimate;
    const Date& asOf;
    const Condition* primary;  ///< the compute leaf that fills counted_flop
    const RegistryContext* registry;
    ReasonCache* cache = nullptr;  ///< nullptr: nothing kept between verdicts
    /// The evaluator whose compiled trees the leaf view points into (EvaluatorState::id; 0:
    /// none) and the verdict's position in its model verdicts: the key of the thread's relation
    /// texts (verdict_reason_leaves.cpp, fast path).
    std::uint64_t evaluator = 0;
    std::size_t verdictIndex = 0;
};

/// The status of the compute criterion alone: counted_flop against the primary leaf's threshold
/// (high unbounded when `unbounded`).
VerdictStatus computeStatusOf(const ReasonInputs& in, const Verdict& v, bool unbounded);
/// Fills v.reason (when texts) and reduces v.missing to the inputs that could change the status.
void explainReason(const ReasonInputs& in, Verdict& v, bool unbounded, bool texts);
/// One leaf read as explainReason reads it: its outcome, or its text (the fast path of
/// verdict_reason_leaves.cpp uses these for the leaves whose evaluator outcome it cannot reuse
/// and for the texts it prints).
Tri reReadLeaf(const ReasonInputs& in, const Verdict& v, bool unbounded, const Condition& c);
void leafReasonText(const ReasonInputs& in, const Verdict& v, bool unbounded, const Condition& c,
                    std::string& out);
/// Appends the text of a compute leaf (training, largest-stage or modification compute) whose
/// figure is `value` (no upper bound when `unb`) and outcome `tri`.
void appendComputeLeafText(std::string& t, const Condition& c, const Verdict& v,
                           const Interval& value, bool unb, Tri tri, ReasonCache* cache);
/// The two parts of that text: the figure ("counted 3.24e21 FLOP ", a function of the record)
/// and the relation ("is not > 1e26" and the unbounded note, a function of the leaf, its
/// outcome and bound, and the verdict's threshold when the leaf's is not constant).
void appendComputeLeafFigure(std::string& t, const Condition& c, const Interval& value, bool unb,
                             ReasonCache* cache);
void appendComputeLeafRelation(std::string& t, const Condition& c, const Verdict& v, bool unb,
                               Tri tri, ReasonCache* cache);
/// Whether a `missing` entry is an input of a leaf.
bool inputOf(const Condition& c, const std::string& m);
/// Cluster verdicts: compute status from the counted peak, reason from the status.
void explainCluster(Verdict& v, bool texts);
/// True for a record whose declared modalities include no biological one (the EO 14110 bio
/// rule's reading: such a record's biological sequence share is 0).
bool textOnlyForBio(const ModelRecord& record);

}  // namespace flopledger::inline v1::detail
