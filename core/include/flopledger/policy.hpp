#pragma once
// Policies as data (policies/*.json) and their evaluation as of a date (docs/policies.md,
// docs/policy-format.md). The file format is docs/policy-format.md; the shipped policies and the
// readings chosen are docs/policies.md. The Verdict fields are those of docs/cli.md ("assess").
#include <flopledger/date.hpp>
#include <flopledger/diagnostic.hpp>
#include <flopledger/estimate.hpp>
#include <flopledger/hardware_catalog.hpp>
#include <flopledger/monte_carlo.hpp>
#include <flopledger/record.hpp>

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace flopledger {
inline namespace v1 {

/// NotReleased (contract 7.4): the record was released after the as-of date.
enum class VerdictStatus { Exceeds, Below, Indeterminate, Unknown, NotReleased };
std::string_view toString(VerdictStatus s);

/// One policy's verdict on one record as of one date (docs/cli.md, "assess").
struct Verdict {
    std::string policy;  ///< policy id
    std::string title;
    bool inForce = false;
    std::string legalStatus;  ///< in-force, proposed, vetoed, revoked, rescinded, ...
    VerdictStatus status = VerdictStatus::Unknown;
    std::optional<Interval> countedFlop;  ///< the compute metric under the policy's scope
    std::optional<Exact> threshold;       ///< the compute threshold as of the date
    std::string comparator;               ///< ">" or ">="
    std::optional<double> marginLog10;    ///< log10(central counted / threshold)
    std::optional<double> probability;    ///< P(condition holds), Monte Carlo
    std::vector<std::string> missing;     ///< inputs needed for a decision
    std::vector<std::string> notes;       ///< readings chosen, assumptions, flags
    // v2 (contract 7.3-7.5), filled by explainVerdicts (verdict_explain.hpp).
    std::optional<VerdictStatus> computeStatus;  ///< the compute criterion alone
    std::string reason;                          ///< one sentence: what decided the status
    bool lowerBound = false;  ///< counted_flop misses a stage (undisclosed or not estimable)
    std::optional<VerdictStatus> disclosedStatus;  ///< lower bound: status on disclosed compute
    std::optional<Exact> crossingFlop;             ///< disclosed below: threshold - disclosed count
    std::optional<double> crossingRatio;           ///< crossingFlop / disclosed count, 3 digits
    std::vector<std::string> assumptions;          ///< assumptions the verdict relies on
};

// ---------------------------------------------------------------------------------------------
// The data model of a policy file.

/// Which records a policy speaks about.
enum class PolicyKind { Model, Cluster, ModelAndCluster };

/// The legal standing of a policy on a date (docs/cli.md: `legal_status`).
enum class LegalStatus {
    InForce,
    Proposed,
    Vetoed,
    Revoked,
    Rescinded,
    Superseded,
    Guidance,
    Voluntary,
    NotYetInForce,
};

/// `Unstated`: the text gives no comparator; the leaf's `reading` says which one is applied.
enum class Comparator { Greater, GreaterEqual, Less, LessEqual, Unstated };

/// What a condition leaf measures (docs/policy-format.md lists the JSON names and units).
enum class Metric {
    TrainingCompute,      ///< sum of the stages the scope counts (FLOP)
    LargestStageCompute,  ///< the largest single stage the scope counts (FLOP)
    ModificationCompute,  ///< this model's own counted compute, against its parent's (FLOP)
    ComputeCost,          ///< sum of cost_usd of the stages the scope counts (USD)
    DeveloperRevenue,     ///< developer_revenue_usd (USD)
    BioSequenceShare,     ///< bio_sequence_share (fraction)
    GeneratedModalities,  ///< the model generates any of a set of modalities (bool)
    Weights,              ///< open or closed weights (bool)
    Distilled,            ///< produced by knowledge distillation: has a distillation-teacher stage
    ParentTrainingCompute,  ///< the parent's training compute (FLOP)
    ParentComputeCost,      ///< the parent's compute cost, from the registry (USD)
    ClusterPeak,            ///< cluster theoretical peak, dense (ops/s)
    ClusterNetwork,         ///< cluster network bandwidth (Gbit/s)
    SingleDatacenter,       ///< cluster in one datacenter (bool)
    DeclaredFact,           ///< a qualitative legal criterion the record declares in "facts" (bool)
};

/// How a leaf's threshold is obtained.
enum class ThresholdKind {
    Constant,          ///< `value`
    RelativeToParent,  ///< ratio x the parent's training compute, with fallbacks
    EffectiveCompute,  ///< E / 2^(months since t0 / halving months): indexed to algorithmic
                       ///< progress
    FrontierRank,      ///< the k-th largest model released on or before the date in the registry
};

struct ThresholdSpec {
    ThresholdKind kind = ThresholdKind::Constant;
    Exact value;  ///< Constant: the threshold; RelativeToParent: the ratio; EffectiveCompute: E
    std::string valueText;  ///< as written in the file ("1e25", "1/3"), for descriptions
    /// RelativeToParent: bases multiplied by the ratio when the parent's compute is not known,
    /// chosen by the parent's systemic-risk status.
    std::optional<Exact> fallbackIfSystemicRisk;
    std::optional<Exact> fallbackOtherwise;
    Date referenceDate;   ///< EffectiveCompute: t0
    Exact halvingMonths;  ///< EffectiveCompute: h, months for compute at equal capability to halve
    int rank = 0;         ///< FrontierRank: k
};

/// A condition tree: all / any / not over leaves.
struct Condition {
    enum class Op { Leaf, All, Any, Not } op = Op::Leaf;
    std::vector<Condition> children;  ///< All, Any; Not has exactly one

    // Leaf fields.
    Metric metric = Metric::TrainingCompute;
    Comparator comparator = Comparator::Greater;
    Comparator reading = Comparator::Greater;  ///< the comparator applied (differs if Unstated)
    ThresholdSpec threshold;
    std::string unit;                        ///< "FLOP", "USD", "fraction", "ops/s", "Gbit/s"
    std::optional<CountingScope> scope;      ///< overrides the policy's scope for this leaf
    std::vector<Modality> anyOf;             ///< GeneratedModalities
    bool equals = true;                      ///< Distilled, SingleDatacenter; Weights: true = open
    std::optional<Precision> peakPrecision;  ///< ClusterPeak: nullopt = highest dense peak
    bool primary = false;                    ///< this leaf fills counted_flop/threshold/comparator
    std::string note;                        ///< reading to flag in the verdict's notes
    std::string fact;     ///< DeclaredFact: the fact id a record declares in "facts"
    std::string label;    ///< DeclaredFact: the criterion in words, for reasons and missing lists
    std::string pointer;  ///< JSON pointer in the policy file
};

/// One dated event of a policy's status history.
struct StatusEvent {
    Date date;
    std::string event;  ///< proposed, passed, signed, published, in-force, applies-from, ...
    LegalStatus legalStatus = LegalStatus::Proposed;  ///< standing from this date on
    bool inForce = false;                             ///< the rule applies from this date on
    std::string note;
    std::string source;  ///< where the date comes from: "primary: ..." or "secondary: ..."
};

struct PolicyState {
    bool inForce = false;
    LegalStatus legalStatus = LegalStatus::Proposed;  ///< before the first event: proposed
    const StatusEvent* lastEvent = nullptr;           ///< nullptr: before the first event
};

/// Another reading of a contested text: the policy with this scope and/or condition tree instead
/// of its own. Verdicts note it; `sensitivity` shows the verdict under it (choice "reading").
struct AlternativeReading {
    std::string id;       ///< e.g. "distillation-teacher-not-counted"
    std::string reading;  ///< the other reading in words, and who holds it
    std::optional<CountingScope> scope;
    std::optional<Condition> conditions;
};

struct Instrument {
    std::string name;     ///< e.g. "Regulation (EU) 2024/1689 (AI Act)"
    std::string article;  ///< e.g. "Art. 51(2)"
    std::string type;  ///< statute, bill, executive-order, regulation, proposed-rule, guidance, ...
};

struct Duty {
    std::string duty;
    std::string deadline;  ///< free text, e.g. "within two weeks"
    std::string recipient;
};

struct Policy {
    std::string id;
    std::string title;
    std::string jurisdiction;
    Instrument instrument;
    std::vector<Citation> citations;
    std::string verification;  ///< verified, secondary, unverified
    PolicyKind kind = PolicyKind::Model;
    std::string effect;  ///< presumption, definition, indicative-criterion, reporting-trigger, ...
    bool illustrative = false;            ///< not law: excluded from the default set
    std::vector<StatusEvent> history;     ///< sorted by date
    CountingScope scope;                  ///< the default counting scope of the compute leaves
    std::optional<Condition> conditions;  ///< model records
    std::optional<Condition> clusterConditions;  ///< cluster records
    std::vector<Duty> duties;
    std::vector<std::string>
        readings;  ///< readings chosen where the text is open; in every verdict
    std::string notes;
    std::string file;                ///< file it was read from
    std::optional<Date> verifiedOn;  ///< when the sources were last checked ("verified_on")
    std::string thresholdSource;     ///< where the thresholds come from ("primary: ...")
    std::vector<AlternativeReading> alternatives;  ///< contested readings ("alternative_readings")

    /// Standing on `date`: the last event on or before it (events apply from their day on).
    /// Before the first event the instrument was at most pending: proposed, not in force.
    PolicyState stateOn(const Date& date) const;
    bool appliesToModels() const { return kind != PolicyKind::Cluster; }
    bool appliesToClusters() const { return kind != PolicyKind::Model; }
};

std::string_view toString(PolicyKind k);
std::string_view toString(LegalStatus s);
std::string_view toString(Comparator c);  ///< ">", ">=", "<", "<=", "unstated"
std::string_view toString(Metric m);      ///< the JSON name, e.g. "training-compute"
std::optional<LegalStatus> parseLegalStatus(std::string_view s);
std::optional<Metric> parseMetric(std::string_view s);
std::vector<std::string_view> metricNames();
/// Every fact id the policies' conditions test (DeclaredFact leaves), sorted, with its label.
std::vector<std::pair<std::string, std::string>> declaredFactIds(
    const std::vector<const Policy*>& policies);

// ---------------------------------------------------------------------------------------------
// Evaluation.

/// Other models of the registry being assessed: parents referenced by id supply their compute
/// and cost, and frontier-relative thresholds rank the registry's models.
class RegistryContext {
public:
    struct Entry {
        const ModelRecord* record = nullptr;
        const ModelEstimate* estimate = nullptr;
    };
    /// Both must outlive the context.
    void add(const ModelRecord& record, const ModelEstimate& estimate);
    const Entry* find(std::string_view id) const;
    const std::vector<Entry>& entries() const { return entries_; }

private:
    std::vector<Entry> entries_;
    std::unordered_map<std::string, std::size_t> index_;
};

struct EvaluationOptions {
    MonteCarloOptions monteCarlo;
    /// Used for the Monte Carlo draws; nullptr: a default Estimator.
    const Estimator* estimator = nullptr;
    /// Cluster peaks; nullptr: HardwareCatalog::defaults().
    const HardwareCatalog* hardware = nullptr;
    /// Parents by id and frontier ranking; nullptr: none (parents come from the record only).
    const RegistryContext* registry = nullptr;
    // No probabilities: monteCarlo.samples = 0. What a report leaves out (verdict texts,
    // probabilities) is the library's business, not an option (DEVELOPERS.md, "Output protocol").
};

namespace detail {
struct EvaluatorAccess;  // core's own evaluations of less than everything (not public API)
}

/// Evaluates a fixed set of policies. Conditions are compiled once; per record, each distinct
/// counting scope is summed once and the Monte Carlo (only when a verdict is indeterminate) is
/// run once and shared by every policy. Thread-safe for concurrent evaluate() calls.
class PolicyEvaluator {
public:
    /// The policies must outlive the evaluator.
    explicit PolicyEvaluator(std::vector<const Policy*> policies, EvaluationOptions options = {});
    ~PolicyEvaluator();
    PolicyEvaluator(PolicyEvaluator&&) noexcept;
    PolicyEvaluator& operator=(PolicyEvaluator&&) noexcept;

    /// One verdict per policy that speaks about models, in the order given.
    std::vector<Verdict> evaluate(const ModelRecord& record, const ModelEstimate& estimate,
                                  const Date& asOf) const;
    /// One verdict per policy that speaks about clusters, in the order given.
    std::vector<Verdict> evaluate(const ClusterRecord& record, const Date& asOf) const;

    const std::vector<const Policy*>& policies() const;

private:
    friend struct detail::EvaluatorAccess;
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// Convenience: one policy, one model record.
Verdict evaluatePolicy(const Policy& policy, const ModelRecord& record,
                       const ModelEstimate& estimate, const Date& asOf,
                       const EvaluationOptions& options = {});
/// Convenience: one policy, one cluster record.
Verdict evaluatePolicy(const Policy& policy, const ClusterRecord& record, const Date& asOf,
                       const EvaluationOptions& options = {});

/// The physical-compute threshold of an EffectiveCompute spec on a date, rounded to double
/// precision (for display; decisions compare exactly, see docs/policy-format.md).
double effectiveComputeThreshold(const ThresholdSpec& spec, const Date& date);
/// Whole months from `from` to `to` (negative if `to` is earlier); a month counts once its day
/// of the month is reached.
long wholeMonthsBetween(const Date& from, const Date& to);
/// Exact sign of x - E / 2^(months / h) for an EffectiveCompute spec: -1, 0 or 1.
int compareWithEffectiveThreshold(const Exact& x, const ThresholdSpec& spec, long months);

}  // namespace v1
}  // namespace flopledger
