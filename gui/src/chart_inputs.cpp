#include "chart_inputs.hpp"

#include <flopledger/policy_catalog.hpp>

#include <variant>

namespace flopledger::gui {

namespace {

bool isEnded(LegalStatus s) {
    return s == LegalStatus::Vetoed || s == LegalStatus::Revoked || s == LegalStatus::Rescinded ||
           s == LegalStatus::Superseded;
}

const Condition* findLeaf(const Condition& c, bool wantPrimary) {
    if (c.op == Condition::Op::Leaf) {
        const bool compute =
            c.metric == Metric::TrainingCompute || c.metric == Metric::LargestStageCompute;
        const bool drawable = c.threshold.kind == ThresholdKind::Constant ||
                              c.threshold.kind == ThresholdKind::EffectiveCompute;
        if (compute && drawable && (!wantPrimary || c.primary)) return &c;
        return nullptr;
    }
    if (c.op == Condition::Op::Not) return nullptr;  // a negated threshold is not a trigger line
    for (const Condition& child : c.children)
        if (const Condition* found = findLeaf(child, wantPrimary)) return found;
    return nullptr;
}

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
        }
        for (int p = 0; p < static_cast<int>(doc.policies().size()); ++p)
            if (const Verdict* v = doc.verdict(row, p)) in.verdicts.push_back(*v);
        out.push_back(std::move(in));
    }
    return out;
}

const Condition* primaryComputeLeaf(const Policy& policy) {
    if (!policy.conditions) return nullptr;
    if (const Condition* c = findLeaf(*policy.conditions, true)) return c;
    return findLeaf(*policy.conditions, false);
}

std::optional<ThresholdInput> thresholdInput(const Policy& policy, const Date& asOf) {
    const Condition* leaf = primaryComputeLeaf(policy);
    if (leaf == nullptr || policy.history.empty()) return std::nullopt;
    ThresholdInput t;
    t.policyId = policy.id;
    t.label = shortLabel(policy);

    const PolicyState now = policy.stateOn(asOf);
    const bool ended = isEnded(now.legalStatus);
    const std::string endedText(toString(now.legalStatus));

    // Consecutive events with the same standing form one period.
    struct Span {
        Date start;
        std::optional<Date> end;
        LegalStatus status;
        bool inForce;
    };
    std::vector<Span> spans;
    for (const StatusEvent& e : policy.history) {
        // Several events on one day ("signed", then "in-force"): the last one is the standing.
        if (!spans.empty() && spans.back().start == e.date) {
            spans.back().status = e.legalStatus;
            spans.back().inForce = e.inForce;
            if (spans.size() >= 2 && spans[spans.size() - 2].status == e.legalStatus &&
                spans[spans.size() - 2].inForce == e.inForce) {
                spans.pop_back();
                spans.back().end.reset();
            }
            continue;
        }
        if (!spans.empty() && spans.back().status == e.legalStatus &&
            spans.back().inForce == e.inForce)
            continue;
        if (!spans.empty()) spans.back().end = e.date;
        spans.push_back({e.date, std::nullopt, e.legalStatus, e.inForce});
    }
    for (const Span& s : spans) {
        if (isEnded(s.status)) continue;  // the rule no longer exists from here on
        if (leaf->threshold.kind == ThresholdKind::Constant) {
            ThresholdPeriod p;
            p.start = s.start;
            p.end = s.end;
            p.value = leaf->threshold.value;
            p.legalStatus =
                ended ? endedText
                      : (s.inForce ? std::string("in-force") : std::string(toString(s.status)));
            t.periods.push_back(std::move(p));
        }
    }
    if (leaf->threshold.kind == ThresholdKind::EffectiveCompute) {
        const ThresholdSpec spec = leaf->threshold;
        const Policy* pol = &policy;
        t.dynamicStatus = ended ? endedText
                                : (now.inForce ? std::string("in-force")
                                               : std::string(toString(now.legalStatus)));
        t.valueOn = [spec, pol](const Date& d) -> std::optional<Exact> {
            const PolicyState st = pol->stateOn(d);
            if (st.lastEvent == nullptr || isEnded(st.legalStatus)) return std::nullopt;
            const double v = effectiveComputeThreshold(spec, d);
            if (!(v > 0)) return std::nullopt;
            // Plotting only: the double is exact as a rational, so no decision depends on it.
            return Exact(v);
        };
    }
    return t;
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
    return ChartBuilder(o).build(chartModelInputs(doc), thresholds);
}

}  // namespace flopledger::gui
