// Sensitivity of verdicts to accounting choices (sensitivity.hpp): each alternative re-estimates
// the record (or changes the policy's counting scope) and re-evaluates.
#include <flopledger/sensitivity.hpp>

#include "policy/break_even.hpp"
#include "policy/evaluation_request.hpp"
#include "policy/sensitivity_features.hpp"
#include "policy/sensitivity_readings.hpp"

#include <algorithm>
#include <functional>
#include <memory>

namespace flopledger::inline v1 {
namespace {

constexpr Convention kConventions[] = {Convention::Matmul, Convention::Kaplan,
                                       Convention::Chinchilla, Convention::Palm,
                                       Convention::Megatron};

void forEachLeaf(Condition& c, const std::function<void(Condition&)>& fn) {
    if (c.op == Condition::Op::Leaf) {
        fn(c);
        return;
    }
    for (Condition& child : c.children) forEachLeaf(child, fn);
}

// Applies `change` to the policy's scope and to every leaf scope.
Policy withScope(const Policy& p, const std::function<void(CountingScope&)>& change) {
    Policy q = p;
    change(q.scope);
    if (q.conditions)
        forEachLeaf(*q.conditions, [&](Condition& c) {
            if (c.scope) change(*c.scope);
        });
    return q;
}

// An alternative accounting: another estimate of the record, or another scope of the policies.
struct Variant {
    std::string choice;
    std::string value;
    std::optional<EstimateOptions> estimate;      // re-estimate with these options
    std::shared_ptr<ModelRecord> record;          // re-estimate this modified copy
    std::function<Policy(const Policy&)> policy;  // change the policy
};

// The methods the stages a scope counts used, e.g. "architecture (kaplan), hardware".
std::string methodsUsed(const ModelEstimate& e, const CountingScope& scope) {
    std::string out;
    for (const StageEstimate& se : e.stages) {
        if (!scope.includes(se)) continue;
        std::string m = se.method ? std::string(toString(*se.method)) : "none";
        if (se.method == Method::Architecture)
            m += " (" + std::string(toString(e.convention)) + ")";
        if (out.find(m) == std::string::npos) out += (out.empty() ? "" : ", ") + m;
    }
    return out;
}

bool usesArchitecture(const ModelEstimate& e) {
    return std::any_of(e.stages.begin(), e.stages.end(),
                       [](const StageEstimate& s) { return s.method == Method::Architecture; });
}

// Re-estimates under other estimation options: every other convention, the other MoE counting,
// the decoder features read the other way (only where the architecture method can apply).
void addEstimateVariants(const ModelRecord& record, const ModelEstimate& base,
                         const SensitivityOptions& options, std::vector<Variant>& variants) {
    const bool hasArchitectureMethod =
        std::any_of(base.stages.begin(), base.stages.end(), [](const StageEstimate& s) {
            return s.methods[static_cast<std::size_t>(Method::Architecture)].has_value() ||
                   s.methods[static_cast<std::size_t>(Method::SixNd)].has_value();
        });
    if (!record.architecture || !hasArchitectureMethod) return;
    for (Convention c : kConventions) {
        if (c == options.estimate.convention) continue;
        EstimateOptions eo = options.estimate;
        eo.convention = c;
        variants.push_back({"convention", std::string(toString(c)), eo, nullptr, nullptr});
    }
    if (record.architecture->moe) {
        EstimateOptions eo = options.estimate;
        eo.moe = eo.moe == MoeCounting::Active ? MoeCounting::AllExperts : MoeCounting::Active;
        variants.push_back({"moe-counting",
                            eo.moe == MoeCounting::AllExperts ? "all-experts" : "active", eo,
                            nullptr, nullptr});
    }
    for (auto& alt : detail::architectureFeatureAlternatives(record))
        variants.push_back({std::move(alt.choice), std::move(alt.value), std::nullopt,
                            std::move(alt.record), nullptr});
}

// Changes of the policies' counting scope: each stage kind present toggled, public synthetic
// data and recomputation toggled where the record has them.
void addScopeVariants(const ModelRecord& record, std::vector<Variant>& variants) {
    std::array<bool, kStageKindCount> present{};
    bool publicSynthetic = false, recompute = false;
    for (const Stage& s : record.stages) {
        present[static_cast<std::size_t>(s.kind)] = true;
        publicSynthetic =
            publicSynthetic || (s.kind == StageKind::SyntheticData && s.isPublic.value_or(false));
        recompute = recompute || s.recompute;
    }
    for (int k = 0; k < kStageKindCount; ++k) {
        if (!present[static_cast<std::size_t>(k)]) continue;
        const auto kind = static_cast<StageKind>(k);
        variants.push_back({"stage-scope", "toggle " + std::string(toString(kind)), std::nullopt,
                            nullptr, [kind](const Policy& p) {
                                // The direction follows the policy's own scope; leaf scopes that
                                // name their own stages (e.g. fine-tuning only) only lose the kind.
                                const auto idx = static_cast<std::size_t>(kind);
                                const bool include = !p.scope.include[idx];
                                Policy q = withScope(p, [&](CountingScope& s) {
                                    if (!include) s.include[idx] = false;
                                });
                                q.scope.include[idx] = include;
                                return q;
                            }});
    }
    if (publicSynthetic)
        variants.push_back(
            {"public-synthetic-data", "toggle", std::nullopt, nullptr, [](const Policy& p) {
                 return withScope(
                     p, [](CountingScope& s) { s.publicSyntheticData = !s.publicSyntheticData; });
             }});
    if (recompute)
        variants.push_back({"recompute", "toggle", std::nullopt, nullptr, [](const Policy& p) {
                                return withScope(
                                    p, [](CountingScope& s) { s.recompute = !s.recompute; });
                            }});
}

// Hardware stages: each precision with a dense peak, utilization low and high.
void addHardwareVariants(const ModelRecord& record, const SensitivityOptions& options,
                         std::vector<Variant>& variants) {
    const HardwareCatalog& hw =
        options.estimate.hardware ? *options.estimate.hardware : HardwareCatalog::defaults();
    std::array<bool, kPrecisionCount> precisions{};
    bool hardwareStages = false;
    for (const Stage& s : record.stages) {
        if (!s.hardware) continue;
        hardwareStages = true;
        if (const Accelerator* a = hw.find(s.hardware->accelerator))
            for (int p = 0; p < kPrecisionCount; ++p)
                if (a->peak(static_cast<Precision>(p)))
                    precisions[static_cast<std::size_t>(p)] = true;
    }
    for (int p = 0; p < kPrecisionCount; ++p) {
        if (!precisions[static_cast<std::size_t>(p)]) continue;
        EstimateOptions eo = options.estimate;
        eo.forcePrecision = static_cast<Precision>(p);
        variants.push_back(
            {"precision", std::string(toString(static_cast<Precision>(p))), eo, nullptr, nullptr});
    }
    if (!hardwareStages) return;
    for (bool low : {true, false}) {
        auto copy = std::make_shared<ModelRecord>(record);
        for (Stage& s : copy->stages) {
            if (!s.hardware) continue;
            Exact u;
            if (s.hardware->utilization)
                u = low ? s.hardware->utilization->value.low : s.hardware->utilization->value.high;
            else
                u = low ? options.assumedUtilizationLow : options.assumedUtilizationHigh;
            s.hardware->utilization = Quantity(u);
        }
        variants.push_back({"utilization", low ? "low" : "high", std::nullopt, copy, nullptr});
    }
}

// The row's value for a toggle: which way it went for this policy ("exclude pretraining").
std::string toggleValue(const Variant& v, const CountingScope& s) {
    bool included = false;
    if (v.choice == "recompute")
        included = s.recompute;
    else if (v.choice == "public-synthetic-data")
        included = s.publicSyntheticData;
    else
        included = s.include[static_cast<std::size_t>(*parseStageKind(v.value.substr(7)))];
    return (included ? "exclude " : "include ") +
           (v.choice == "stage-scope" ? v.value.substr(7) : v.choice);
}

// Evaluates one variant and adds a row to each policy's result where the verdict or the counted
// FLOP changes.
void evaluateVariant(const Variant& v, const ModelRecord& record, const ModelEstimate& base,
                     const std::vector<const Policy*>& models, const Date& asOf,
                     const SensitivityOptions& options, const EvaluationOptions& variantOpts,
                     std::vector<SensitivityResult>& results) {
    const ModelRecord& rec = v.record ? *v.record : record;
    std::optional<ModelEstimate> est;
    if (v.estimate || v.record)
        est = Estimator(v.estimate.value_or(options.estimate)).estimate(rec);
    const ModelEstimate& e = est ? *est : base;
    std::vector<Policy> changed;
    std::vector<const Policy*> use = models;
    if (v.policy) {
        changed.reserve(models.size());
        for (const Policy* p : models) changed.push_back(v.policy(*p));
        for (std::size_t i = 0; i < models.size(); ++i) use[i] = &changed[i];
    }
    if (v.choice == "convention" && usesArchitecture(base) && !usesArchitecture(e)) {
        // The convention needs inputs the architecture lacks (e.g. vocab): say so rather
        // than list the six-nd fallback as if it were that convention.
        for (auto& r : results)
            r.notes.push_back("convention " + v.value +
                              " cannot apply to this architecture (an input it needs, such "
                              "as vocab or the shape, is missing); no row");
        return;
    }
    const PolicyEvaluator ev =
        detail::EvaluatorAccess::make(use, variantOpts, detail::kStatusesOnly);
    const std::vector<Verdict> verdicts = ev.evaluate(rec, e, asOf);
    for (std::size_t i = 0; i < models.size(); ++i) {
        const Policy& pol = *use[i];
        if (v.choice == "stage-scope") {
            // Excluding every stage the policy counts is not an accounting choice.
            bool anyCounted = false;
            for (const StageEstimate& se : e.stages)
                anyCounted = anyCounted || pol.scope.includes(se);
            if (!anyCounted) continue;
        }
        SensitivityChoice c;
        c.choice = v.choice;
        c.value = v.value;
        c.method = methodsUsed(e, pol.scope);
        if (v.choice == "stage-scope" || v.choice == "public-synthetic-data" ||
            v.choice == "recompute")
            c.value = toggleValue(v, models[i]->scope);
        c.status = verdicts[i].status;
        c.countedFlop = verdicts[i].countedFlop;
        c.flips = c.status != results[i].baseline.status;
        if (!c.flips && c.countedFlop == results[i].baseline.countedFlop) continue;  // no change
        results[i].choices.push_back(std::move(c));
    }
}

}  // namespace

bool SensitivityResult::anyFlip() const {
    return std::any_of(choices.begin(), choices.end(),
                       [](const SensitivityChoice& c) { return c.flips; });
}

std::vector<SensitivityResult> analyseSensitivity(const ModelRecord& record,
                                                  const std::vector<const Policy*>& policies,
                                                  const Date& asOf,
                                                  const SensitivityOptions& options) {
    std::vector<const Policy*> models;
    for (const Policy* p : policies)
        if (p->appliesToModels()) models.push_back(p);

    const Estimator baseEstimator(options.estimate);
    const ModelEstimate base = baseEstimator.estimate(record);
    EvaluationOptions evalOpts = options.evaluation;
    evalOpts.estimator = &baseEstimator;
    // The baseline's probability is never shown: flips are decided exactly.
    const PolicyEvaluator baseEval =
        detail::EvaluatorAccess::make(models, evalOpts, {.probabilities = false, .texts = true});
    const std::vector<Verdict> baseline = baseEval.evaluate(record, base, asOf);

    std::vector<Variant> variants;
    addEstimateVariants(record, base, options, variants);
    addScopeVariants(record, variants);
    addHardwareVariants(record, options, variants);

    std::vector<SensitivityResult> results(models.size());
    for (std::size_t i = 0; i < models.size(); ++i) {
        results[i].policy = models[i]->id;
        results[i].baseline = baseline[i];
    }
    const EvaluationOptions& variantOpts = options.evaluation;  // statuses only (kStatusesOnly)
    for (const Variant& v : variants)
        evaluateVariant(v, record, base, models, asOf, options, variantOpts, results);
    // Contested readings the policy files name: the verdict under the other reading.
    for (std::size_t i = 0; i < models.size(); ++i)
        for (SensitivityChoice& c : detail::readingAlternatives(
                 record, base, *models[i], asOf, variantOpts, results[i].baseline.status)) {
            // Like every row: listed only where the other reading changes something.
            if (!c.flips && c.countedFlop == results[i].baseline.countedFlop) continue;
            if (c.method.empty()) c.method = methodsUsed(base, models[i]->scope);
            results[i].choices.push_back(std::move(c));
        }
    for (std::size_t i = 0; i < models.size(); ++i)
        results[i].breakEven = detail::breakEvenValues(record, *models[i], results[i].baseline,
                                                       asOf, options, results[i].notes);
    return results;
}

SensitivityResult analyseSensitivity(const ModelRecord& record, const Policy& policy,
                                     const Date& asOf, const SensitivityOptions& options) {
    auto r = analyseSensitivity(record, std::vector<const Policy*>{&policy}, asOf, options);
    if (r.empty())
        throw InputError(ErrorCode::Usage,
                         "policy \"" + policy.id + "\" does not apply to model records");
    return std::move(r.front());
}

}  // namespace flopledger::inline v1
