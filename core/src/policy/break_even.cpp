// Break-even values (contract 7.6). Every method is linear in each of its continuous inputs
// (tokens, examples, params, count, hours, chip-hours, utilization, a stated flop), so the
// counted figure is a + b x in the input x: two exact re-estimates give a and b, a third checks
// linearity, and the break-even is (threshold - a) / b exactly. Whether the status really changes
// there is checked by evaluating the policy on the far side.
#include "policy/break_even.hpp"
#include "policy/evaluation_request.hpp"

#include <flopledger/verdict_explain.hpp>

#include <functional>

namespace flopledger::inline v1::detail {
namespace {

struct Input {
    std::string pointer;
    std::string name;
    std::string method;
    std::function<std::optional<Quantity>*(ModelRecord&)> slot;
};

std::string methodName(const StageEstimate& se, Convention c) {
    if (!se.method) return "none";
    std::string m(toString(*se.method));
    if (*se.method == Method::Architecture) m += " (" + std::string(toString(c)) + ")";
    return m;
}

std::vector<Input> computeInputs(const ModelRecord& record, const ModelEstimate& base,
                                 const CountingScope& scope, Convention convention) {
    std::vector<Input> out;
    bool sixNd = false;
    for (const StageEstimate& se : base.stages) {
        if (!se.method || !scope.includes(se)) continue;
        const auto i = static_cast<std::size_t>(&se - base.stages.data());  // record order
        if (i >= record.stages.size()) continue;
        sixNd = sixNd || *se.method == Method::SixNd;
        const std::string p = "/stages/" + std::to_string(i);
        const std::string m = methodName(se, convention);
        auto stageField = [&](const char* key, std::optional<Quantity> Stage::*f) {
            if (!(record.stages[i].*f)) return;
            out.push_back(
                {p + "/" + key, key, m, [i, f](ModelRecord& r) { return &(r.stages[i].*f); }});
        };
        stageField("flop", &Stage::flop);
        stageField("tokens", &Stage::tokens);
        stageField("examples", &Stage::examples);
        stageField("params", &Stage::params);
        stageField("active_params", &Stage::activeParams);
        if (record.stages[i].hardware) {
            auto hwField = [&](const char* key, std::optional<Quantity> HardwareUse::*f) {
                if (!((*record.stages[i].hardware).*f)) return;
                out.push_back({p + "/hardware/" + key, std::string("hardware.") + key, m,
                               [i, f](ModelRecord& r) { return &(*r.stages[i].hardware.*f); }});
            };
            hwField("count", &HardwareUse::count);
            hwField("hours", &HardwareUse::hours);
            hwField("chip_hours", &HardwareUse::chipHours);
            hwField("utilization", &HardwareUse::utilization);
        }
    }
    if (record.architecture && sixNd) {
        if (record.architecture->params)
            out.push_back({"/architecture/params", "params", "six-nd",
                           [](ModelRecord& r) { return &r.architecture->params; }});
        if (record.architecture->activeParams)
            out.push_back({"/architecture/active_params", "active_params", "six-nd",
                           [](ModelRecord& r) { return &r.architecture->activeParams; }});
    }
    return out;
}

ModelRecord withValue(const ModelRecord& record, const Input& in, const Exact& x) {
    ModelRecord r = record;
    *in.slot(r) = Quantity(x);
    return r;
}

}  // namespace

std::vector<BreakEven> breakEvenValues(const ModelRecord& record, const Policy& policy,
                                       const Verdict& baseline, const Date& asOf,
                                       const SensitivityOptions& options,
                                       std::vector<std::string>& notes) {
    std::vector<BreakEven> out;
    if (!policy.conditions || baseline.status == VerdictStatus::NotReleased) return out;
    const Estimator estimator(options.estimate);
    EvaluationOptions eval = options.evaluation;
    eval.estimator = &estimator;
    auto statusWith = [&](const ModelRecord& r) {
        return detail::evaluatePolicy(policy, r, estimator.estimate(r), asOf, eval,
                                      detail::kStatusesOnly)
            .status;
    };
    // The status on the far side of x* from the current value (or on either side when the
    // current value is the break-even itself); nullopt when it does not change.
    auto flipAt = [&](const Input& in, const Exact& cur,
                      const Exact& x) -> std::optional<VerdictStatus> {
        std::vector<Exact> probes;
        if (cur != x)
            probes.push_back(x * x / cur);
        else
            probes = {x * 2, x / 2};
        for (const Exact& p : probes) {
            const VerdictStatus s = statusWith(withValue(record, in, p));
            if (s != baseline.status) return s;
        }
        return std::nullopt;
    };
    auto add = [&](const Input& in, const Exact& cur, const Exact& x) {
        if (x.sign() <= 0) return;
        if (in.name == "hardware.utilization" && x > 1) {
            notes.push_back(in.pointer + " would have to exceed 1 (" + formatScientific(x, 3) +
                            ") to change the status");
            return;
        }
        if (const auto to = flipAt(in, cur, x))
            out.push_back({in.pointer, in.name, cur, x, *to, in.method});
    };

    const ModelEstimate base = estimator.estimate(record);
    ModelRecord probe = record;  // read the current values through the same slots

    // Compute inputs, against the primary leaf's constant threshold.
    const Condition* primary = primaryLeaf(*policy.conditions);
    if (primary != nullptr) {
        const CountingScope& scope = leafScope(policy, *primary);
        if (primary->threshold.kind != ThresholdKind::Constant) {
            notes.push_back(
                std::string("the compute threshold is not a constant; no exact break-even"));
        } else {
            const Exact& T = primary->threshold.value;
            auto counted = [&](const ModelRecord& r) {
                return countedFlop(estimator.estimate(r), scope).central;
            };
            for (const Input& in :
                 computeInputs(record, base, scope, options.estimate.convention)) {
                const Exact cur = (*in.slot(probe))->central();
                if (cur.sign() <= 0) continue;
                const Exact f1 = counted(withValue(record, in, cur));
                const Exact f2 = counted(withValue(record, in, cur * 2));
                if (f2 == f1) continue;  // the counted figure does not depend on it
                const Exact f3 = counted(withValue(record, in, cur * 3));
                if (f3 - f1 != (f2 - f1) * 2) {
                    notes.push_back(in.pointer + " enters non-linearly; no exact break-even");
                    continue;
                }
                const Exact slope = (f2 - f1) / cur;
                add(in, cur, cur + (T - f1) / slope);
            }
        }
    }

    // Revenue and cost criteria with constant thresholds.
    std::function<void(const Condition&)> walk = [&](const Condition& c) {
        if (c.op != Condition::Op::Leaf) {
            for (const Condition& child : c.children) walk(child);
            return;
        }
        if (c.threshold.kind != ThresholdKind::Constant) return;
        if (c.metric == Metric::DeveloperRevenue && record.developerRevenueUsd) {
            const Input in{"/developer_revenue_usd", "developer_revenue_usd", "stated",
                           [](ModelRecord& r) { return &r.developerRevenueUsd; }};
            add(in, record.developerRevenueUsd->central(), c.threshold.value);
        }
        if (c.metric == Metric::ComputeCost) {
            const CountingScope& scope = leafScope(policy, c);
            Exact sum = 0;
            std::vector<std::size_t> counted;
            for (const StageEstimate& se : base.stages) {
                if (!scope.includes(se) || !se.costUsd) continue;
                counted.push_back(static_cast<std::size_t>(&se - base.stages.data()));
                sum += se.costUsd->central();
            }
            for (std::size_t i : counted) {
                const Input in{"/stages/" + std::to_string(i) + "/cost_usd", "cost_usd", "stated",
                               [i](ModelRecord& r) { return &r.stages[i].costUsd; }};
                const Exact cur = record.stages[i].costUsd->central();
                add(in, cur, c.threshold.value - (sum - cur));
            }
        }
    };
    walk(*policy.conditions);
    // One row per input: the first (compute before cost and revenue) is kept.
    std::vector<BreakEven> unique;
    for (auto& b : out) {
        bool seen = false;
        for (const auto& u : unique) seen = seen || u.pointer == b.pointer;
        if (!seen) unique.push_back(std::move(b));
    }
    return unique;
}

}  // namespace flopledger::inline v1::detail
