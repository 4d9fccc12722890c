#include "chart_inputs.hpp"

#include <flopledger/policy_catalog.hpp>
#include <flopledger/threshold_timeline.hpp>

#include <variant>

namespace flopledger::inline v1::gui {

namespace {

// The regime as a reader names it: the title up to its colon ("EU AI Act Art. 51(2)").
std::string shortLabel(const Policy& p) {
    if (p.title.empty()) return p.id;
    const std::size_t colon = p.title.find(':');
    return colon == std::string::npos ? p.title : p.title.substr(0, colon);
}

}  // namespace

std::optional<Interval> displayedFlop(const RegistryDocument& doc, int row) {
    if (const Verdict* v = doc.verdict(row, 0); v != nullptr && v->countedFlop)
        return v->countedFlop;
    const ModelEstimate* e = doc.estimate(row);
    if (e == nullptr) return std::nullopt;
    return countedFlop(*e, CountingScope::trainingOnly());
}

std::vector<ChartModelInput> chartModelInputs(const RegistryDocument& doc) {
    std::vector<ChartModelInput> out;
    out.reserve(static_cast<std::size_t>(doc.size()));
    for (int row = 0; row < doc.size(); ++row) {
        const auto* model = std::get_if<ModelRecord>(&doc.record(row));
        if (model == nullptr) continue;
        ChartModelInput in;
        in.record = model;
        if (const std::optional<Interval> flop = displayedFlop(doc, row)) in.flop = *flop;
        if (const Verdict* v = doc.verdict(row, 0)) in.status = v->status;
        if (const ModelEstimate* e = doc.estimate(row)) {
            std::string methods;
            for (const StageEstimate& s : e->stages) {
                if (!s.method) continue;
                const std::string m(toString(*s.method));
                if (methods.find(m) == std::string::npos)
                    methods += (methods.empty() ? "" : " + ") + m;
            }
            in.method = methods;
            for (std::size_t i = 0; i < e->stages.size(); ++i) {
                in.lowerBound = in.lowerBound || !e->stages[i].method;
                if (i < model->stages.size() && e->stages[i].method == Method::Stated &&
                    !model->stages[i].estimator.empty())
                    in.estimator = model->stages[i].estimator;
            }
        }
        for (int p = 0; p < static_cast<int>(doc.policies().size()); ++p)
            if (const Verdict* v = doc.verdict(row, p)) in.verdicts.push_back(*v);
        out.push_back(std::move(in));
    }
    return out;
}

std::optional<ThresholdInput> thresholdInput(const Policy& policy, const Date& asOf) {
    const Condition* leaf = primaryComputeLeaf(policy);
    if (leaf == nullptr || policy.history.empty()) return std::nullopt;
    ThresholdInput t;
    t.policyId = policy.id;
    t.label = shortLabel(policy);

    const PolicyState now = policy.stateOn(asOf);
    const bool ended = isEndedStatus(now.legalStatus);
    t.labelStatus = std::string(displayStatus(now));

    if (leaf->threshold.kind == ThresholdKind::Constant) {
        // The whole history, whatever the chart's range: the builder clips to what is visible.
        for (const ThresholdPeriod& s :
             thresholdTimeline(policy, Date{1, 1, 1}, Date{9999, 12, 31})) {
            if (!s.value) continue;  // the rule no longer exists from here on
            ChartThresholdPeriod p;
            p.start = s.start;
            p.end = s.end;
            p.value = *s.value;
            // Once the rule has ended, every period it had is drawn as ended (dashed).
            p.legalStatus = ended ? t.labelStatus
                                  : (s.inForce ? std::string("in-force")
                                               : std::string(toString(s.legalStatus)));
            t.periods.push_back(std::move(p));
        }
    } else if (leaf->threshold.kind == ThresholdKind::EffectiveCompute) {
        const ThresholdSpec spec = leaf->threshold;
        const Policy* pol = &policy;
        t.dynamicStatus = t.labelStatus;
        // Sampled over the chart's range by the builder; the same reading as thresholdTimeline.
        t.valueOn = [spec, pol](const Date& d) -> std::optional<Exact> {
            const PolicyState st = pol->stateOn(d);
            if (st.lastEvent == nullptr || isEndedStatus(st.legalStatus)) return std::nullopt;
            const double v = effectiveComputeThreshold(spec, d);
            if (!(v > 0)) return std::nullopt;
            return Exact(v);  // plotting only: no decision depends on it
        };
    }
    return t;
}

void distinguishLabels(std::vector<ThresholdInput>& thresholds) {
    for (std::size_t i = 0; i < thresholds.size(); ++i) {
        std::vector<std::size_t> same{i};
        for (std::size_t j = i + 1; j < thresholds.size(); ++j)
            if (thresholds[j].label == thresholds[i].label) same.push_back(j);
        if (same.size() < 2) continue;
        // The ids' common prefix ("us-eo-14110-") says nothing; what follows tells them apart.
        std::size_t prefix = thresholds[i].policyId.size();
        for (std::size_t k : same) {
            const std::string& id = thresholds[k].policyId;
            std::size_t n = 0;
            while (n < prefix && n < id.size() && id[n] == thresholds[i].policyId[n]) ++n;
            prefix = n;
        }
        while (prefix > 0 && thresholds[i].policyId[prefix - 1] != '-') --prefix;
        for (std::size_t k : same) {
            const std::string tail = thresholds[k].policyId.substr(prefix);
            thresholds[k].label += ", " + (tail.empty() ? thresholds[k].policyId : tail);
        }
    }
}

std::string chartTitle(const RegistryDocument& doc) {
    if (doc.policies().empty()) return "Training compute";
    const Policy* p = PolicyCatalog::defaults().find(doc.policies().front());
    const std::string name = p != nullptr && !p->title.empty() ? p->title : doc.policies().front();
    return "Training compute: status under " + name + " as of " + doc.asOf().toIsoDay();
}

ChartData buildChart(const RegistryDocument& doc, const ChartOptions& options) {
    ChartOptions o = options;
    if (!o.asOf) o.asOf = doc.asOf();
    std::vector<ThresholdInput> thresholds;
    for (const std::string& id : doc.policies()) {
        const Policy* p = PolicyCatalog::defaults().find(id);
        if (p == nullptr || !p->appliesToModels()) continue;
        if (std::optional<ThresholdInput> t = thresholdInput(*p, *o.asOf))
            thresholds.push_back(std::move(*t));
    }
    distinguishLabels(thresholds);
    return ChartBuilder(o).build(chartModelInputs(doc), thresholds);
}

}  // namespace flopledger::gui
