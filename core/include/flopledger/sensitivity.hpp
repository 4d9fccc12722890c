#pragma once
// Which accounting choices flip a policy's verdict for a record: the architecture convention,
// MoE counting (active vs all experts), including or excluding each stage kind present, the
// precision whose peak a hardware estimate uses, utilization low vs high, and recomputation.
#include <flopledger/estimate.hpp>
#include <flopledger/policy.hpp>

#include <optional>
#include <string>
#include <vector>

namespace flopledger {

/// One alternative accounting choice and the verdict it gives.
struct SensitivityChoice {
    std::string choice;  ///< "convention", "moe-counting", "stage-scope", "public-synthetic-data",
                         ///< "precision", "utilization", "recompute"
    std::string value;   ///< e.g. "kaplan", "all-experts", "exclude fine-tuning", "fp8", "low"
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
    std::string method;   ///< the estimation method the input feeds ("hardware", "six-nd", ...)
};

struct SensitivityResult {
    std::string policy;
    Verdict baseline;
    std::vector<SensitivityChoice> choices;  ///< only choices that change something
    std::vector<BreakEven> breakEven;        ///< contract 7.6
    /// Why an expected row is absent: a convention that cannot apply, a threshold without an
    /// exact break-even, ...
    std::vector<std::string> notes;
    bool anyFlip() const;
};

struct SensitivityOptions {
    EstimateOptions estimate;      ///< the baseline accounting
    EvaluationOptions evaluation;  ///< registry, hardware, Monte Carlo of the baseline
    /// Utilization range tried when a hardware stage's utilization was assumed (not given).
    Exact assumedUtilizationLow = Exact(1) / 5;
    Exact assumedUtilizationHigh = Exact(3) / 5;
};

/// One result per policy that speaks about models, in the order given.
std::vector<SensitivityResult> analyseSensitivity(const ModelRecord& record,
                                                  const std::vector<const Policy*>& policies,
                                                  const Date& asOf,
                                                  const SensitivityOptions& options = {});
SensitivityResult analyseSensitivity(const ModelRecord& record, const Policy& policy,
                                     const Date& asOf, const SensitivityOptions& options = {});

}  // namespace flopledger
