#pragma once
// The shared pipeline: estimate a record, evaluate the selected policies as of each requested
// date, and render the JSON documents of docs/cli.md. The CLI, the C API and the GUI all
// go through here, so their JSON output is byte-identical for identical input.
#include <flopledger/date.hpp>
#include <flopledger/diagnostic.hpp>
#include <flopledger/estimate.hpp>
#include <flopledger/monte_carlo.hpp>
#include <flopledger/policy.hpp>
#include <flopledger/record.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace flopledger {
inline namespace v1 {

class PolicyCatalog;
class PolicyEvaluator;
struct Policy;
struct AssessRequest;  // private to the core (assess/assess_request.hpp)

struct AssessOptions {
    EstimateOptions estimate;
    /// Policy ids to evaluate, in output order. Empty: PolicyCatalog::defaultIds() (every
    /// policy that is not illustrative), in catalog order.
    std::vector<std::string> policies;
    /// Dates to evaluate as of; one result per record per date. Empty: today (UTC).
    std::vector<Date> asOf;
    MonteCarloOptions monteCarlo;
    /// false: only estimate (the `estimate` command); no verdicts, no "as_of".
    bool evaluate = true;
    const PolicyCatalog* catalog = nullptr;  ///< nullptr: PolicyCatalog::defaults()
    /// Contract 7.2: a stated point flop with a confidence label is read as an interval
    /// (applyConfidenceIntervals); false keeps points (`--confidence-intervals off`).
    bool confidenceIntervals = true;
    /// Contract 7.3 (`--assume-undisclosed RATIO`): the stages a counted figure misses are
    /// together at most RATIO x the disclosed counted compute. nullopt: no assumption.
    std::optional<Exact> assumeUndisclosed;
};

/// The verdicts of one record as of one date.
struct DatedVerdicts {
    Date asOf;
    std::vector<Verdict> verdicts;
};

/// Everything the pipeline found about one record.
struct RecordAssessment {
    /// The input record; shared so the estimate's pointers into it stay valid when results move.
    std::shared_ptr<const Record> record;
    std::optional<ModelEstimate> estimate;  ///< model records
    std::vector<DatedVerdicts> dates;       ///< in AssessOptions::asOf order; empty when !evaluate

    const std::string& id() const { return recordId(*record); }
    bool isCluster() const { return std::holds_alternative<ClusterRecord>(*record); }
};

/// Estimates and evaluates records. Thread-safe: one Assessor may serve many threads (its const
/// members are safe to call concurrently; moving or assigning it is not). Results own their
/// data (the record by shared ownership), so they outlive the Assessor and the input.
class Assessor {
public:
    /// Resolves the policy ids and defaults; throws InputError (UnknownPolicy) for an id the
    /// catalog does not hold.
    explicit Assessor(AssessOptions options);
    ~Assessor();
    Assessor(const Assessor&) = delete;
    Assessor& operator=(const Assessor&) = delete;
    /// Movable: what the evaluator points at lives on the heap and moves with it. A moved-from
    /// Assessor may only be destroyed or assigned to.
    Assessor(Assessor&&) noexcept;
    Assessor& operator=(Assessor&&) noexcept;

    /// One record on its own: parents come from the record's `parent` fields only (streaming).
    [[nodiscard]] RecordAssessment assess(std::shared_ptr<const Record> record) const;
    [[nodiscard]] RecordAssessment assess(Record record) const;
    /// A whole registry: parents referenced by id and frontier-relative thresholds see every
    /// record. Results in input order; `threads` workers (0: all cores).
    [[nodiscard]] std::vector<RecordAssessment> assessAll(std::vector<Record> records,
                                                          unsigned threads = 0) const;

    const AssessOptions& options() const { return options_; }
    /// The policy ids evaluated, in output order.
    const std::vector<std::string>& policyIds() const { return policyIds_; }
    const std::vector<Date>& dates() const { return options_.asOf; }
    /// True when no date was given and the Assessor took today (UTC): the audit manifest says so.
    bool asOfDefaulted() const { return asOfDefaulted_; }
    const PolicyCatalog& catalog() const { return *catalog_; }

private:
    friend struct AssessorAccess;  // the streaming engine asks for what its writer prints
    struct Lean;                   // the evaluator of a request for less (built on first use)
    RecordAssessment assess(std::shared_ptr<const Record> record,
                            const AssessRequest& request) const;
    std::vector<RecordAssessment> assessAll(std::vector<Record> records, unsigned threads,
                                            const AssessRequest& request) const;
    /// Contract 7.3-7.5 fields of one date's verdicts (verdict_explain.hpp).
    void explain(const RecordAssessment& r, DatedVerdicts& dated, const EvaluationOptions& eval,
                 const AssessRequest& request) const;

    AssessOptions options_;
    std::vector<std::string> policyIds_;
    const PolicyCatalog* catalog_ = nullptr;
    std::vector<const Policy*> policies_;
    std::unique_ptr<Estimator> estimator_;  ///< on the heap: the evaluator points at it
    std::unique_ptr<PolicyEvaluator> evaluator_;
    EvaluationOptions evaluation_;  ///< the evaluator's options (re-evaluations in explain)
    std::unique_ptr<Lean> lean_;
    bool asOfDefaulted_ = false;
};

/// The contract's `estimate` object of one record. indent < 0: one line (JSON Lines); else
/// pretty-printed with that many spaces per level. No trailing newline.
/// breakdown: add each architecture-method stage's FLOP by component ("breakdown").
std::string estimateJson(const RecordAssessment& result, int indent = -1, bool breakdown = false);
/// The contract's `assess` object of one record as of dates[dateIndex].
std::string assessJson(const RecordAssessment& result, std::size_t dateIndex, int indent = -1);
/// The JSON array document of many results (`--format json`): "[\n" elements joined by ",\n"
/// "\n]\n" ("[]\n" when empty). With evaluate, one element per record per date.
std::string jsonDocument(const std::vector<RecordAssessment>& results, bool evaluate);
/// The JSON Lines document: one object a line, each ending in "\n".
std::string jsonLinesDocument(const std::vector<RecordAssessment>& results, bool evaluate);

/// A FLOP interval as the contract writes it: {"low","central","high"} exact decimal strings.
std::string intervalJson(const Interval& value);

}  // namespace v1
}  // namespace flopledger
