#pragma once
// Which accounting choices flip a policy's verdict for a record: the architecture convention,
// MoE counting (active vs all experts), including or excluding each stage kind present, the
// precision whose peak a hardware estimate uses, utilization low vs high, recomputation, and the
// other reading of each contested text a policy names ("alternative_readings").
#include <flopledger/date.hpp>
#include <flopledger/estimate.hpp>
#include <flopledger/policy.hpp>

#include <optional>
#include <string>
#include <vector>

namespace flopledger {
inline namespace v1 {

/// One alternative accounting choice and the verdict it gives.
struct SensitivityChoice {
    std::string choice;  ///< "convention", "moe-counting", "stage-scope", "public-synthetic-data",
                         ///< "precision", "utilization", "recompute", "reading"
    std::string value;   ///< e.g. "kaplan", "all-experts", "exclude fine-tuning", "fp8", "low",
                         ///< or the alternative reading's id
    VerdictStatus status = VerdictStatus::Unknown;
    std::optional<Interval> countedFlop;
    bool flips = false;  ///< status differs from the baseline's
    /// The methods the counted stages used under this choice, e.g. "architecture (kaplan)",
    /// "hardware", "stated" (several joined by ", ").
    std::string method;
};

/// The exact value of one continuous input at which a verdict changes (contract 7.6), the other
/// inputs held.
struct BreakEven {
    std::string pointer;  ///< JSON pointer of the input in the record, e.g. "/stages/0/tokens"
    std::string input;    ///< "tokens", "hardware.utilization", "developer_revenue_usd", ...
    Exact current;        ///< its value now (the central value of an interval)
    Exact value;          ///< the break-even value
    VerdictStatus flipsTo = VerdictStatus::Unknown;  ///< the status beyond `value`
    std::string method;  ///< the estimation method the input feeds ("hardware", "six-nd", ...)
};

struct SensitivityResult {
    std::string policy;
    Verdict baseline;                        ///< without a probability: flips are decided exactly
    std::vector<SensitivityChoice> choices;  ///< only choices that change something
    std::vector<BreakEven> breakEven;        ///< contract 7.6
    /// Why an expected row is absent: a convention that cannot apply, a threshold without an
    /// exact break-even, ...
    std::vector<std::string> notes;
    bool anyFlip() const;
};

struct SensitivityOptions {
    EstimateOptions estimate;      ///< the baseline accounting
    EvaluationOptions evaluation;  ///< registry, hardware, estimator
    /// Utilization range tried when a hardware stage's utilization was assumed (not given).
    Exact assumedUtilizationLow = Exact(1) / 5;
    Exact assumedUtilizationHigh = Exact(3) / 5;
    /// Registry analysis: labelled point flops read as intervals (contract 7.2).
    bool confidenceIntervals = true;
};

/// One result per policy that speaks about models, in the order given.
std::vector<SensitivityResult> analyseSensitivity(const ModelRecord& record,
                                                  const std::vector<const Policy*>& policies,
                                                  const Date& asOf,
                                                  const SensitivityOptions& options = {});
SensitivityResult analyseSensitivity(const ModelRecord& record, const Policy& policy,
                                     const Date& asOf, const SensitivityOptions& options = {});

/// The sensitivity of one model of a registry.
struct ModelSensitivity {
    std::string id;
    Date asOf;
    Convention convention = Convention::Matmul;
    std::vector<SensitivityResult> results;  ///< one per policy, in the order given
};

/// Every model record of a registry (parents referenced by id resolve within it, as in assess),
/// in input order; cluster records are skipped. options.evaluation's registry and estimator are
/// set here. Thread-safe for distinct arguments.
[[nodiscard]] std::vector<ModelSensitivity> analyseSensitivity(
    const std::vector<Record>& records, const std::vector<const Policy*>& policies,
    const Date& asOf, SensitivityOptions options);

/// The `sensitivity --format json` document (an array, pretty-printed, ending in "\n"): the
/// same bytes from the CLI, the C API and the Python module.
[[nodiscard]] std::string sensitivityJson(const std::vector<ModelSensitivity>& models);

}  // namespace v1
}  // namespace flopledger
