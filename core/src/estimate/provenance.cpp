// Provenance of stage values and reported figures (contract 7.1) and confidence labels read as
// intervals (7.2). The label factors and where they come from: docs/methodology.md.
#include <flopledger/provenance.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>

namespace flopledger::inline v1 {
namespace {

bool equalsNoCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) !=
            std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    }
    return true;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

struct LabelFactor {
    std::string_view label;
    int factor;
};
// Epoch AI's vocabulary. The factors are this project's reading (flagged in
// docs/methodology.md): Epoch's documentation names the labels but the text defining them as
// factors could not be verified.
constexpr LabelFactor kLabels[] = {{"confident", 3}, {"likely", 10}, {"speculative", 30}};

// The stated point of a labelled stage, if it is one the rule widens.
bool widenable(const Stage& s) {
    // The label first: most stages have none, and uncertain() compares two rationals.
    return s.flop && !s.confidence.empty() && !confidenceLabel(s.confidence).empty() &&
           !s.flop->uncertain() && s.flop->central().sign() > 0;
}

}  // namespace

std::string_view toString(Origin o) {
    switch (o) {
        case Origin::Reported:
            return "reported";
        case Origin::ThirdParty:
            return "third-party";
        case Origin::Computed:
            return "computed";
    }
    return "computed";
}

std::string_view confidenceLabel(std::string_view label) {
    label = trim(label);
    for (const auto& l : kLabels)
        if (equalsNoCase(label, l.label)) return l.label;
    return {};
}

std::optional<Exact> confidenceFactor(std::string_view label) {
    label = trim(label);
    for (const auto& l : kLabels)
        if (equalsNoCase(label, l.label)) return Exact(l.factor);
    return std::nullopt;
}

std::optional<Quantity> confidenceInterval(const Quantity& point, std::string_view label) {
    if (point.uncertain()) return std::nullopt;
    const auto f = confidenceFactor(label);
    if (!f) return std::nullopt;
    const Exact& p = point.central();
    return Quantity(Interval{p / *f, p, p * *f}, Distribution::LogUniform);
}

bool needsConfidenceIntervals(const ModelRecord& record) {
    return std::any_of(record.stages.begin(), record.stages.end(), widenable);
}

int applyConfidenceIntervals(ModelRecord& record) {
    int changed = 0;
    for (Stage& s : record.stages) {
        if (!widenable(s)) continue;
        auto q = confidenceInterval(*s.flop, s.confidence);
        q->sampleIndex = record.uncertainCount++;
        s.flop = std::move(*q);
        s.confidenceInterval = true;
        ++changed;
    }
    return changed;
}

StageProvenance stageProvenance(const ModelRecord& record, const ModelEstimate& estimate,
                                std::size_t index) {
    StageProvenance p;
    if (index >= estimate.stages.size()) return p;
    const StageEstimate& se = estimate.stages[index];
    const Stage* st = index < record.stages.size() ? &record.stages[index] : nullptr;
    if (st != nullptr) p.source = st->source;
    if (se.method == Method::Stated && st != nullptr) {
        if (!st->estimator.empty()) {
            p.origin = Origin::ThirdParty;
            p.estimator = st->estimator;
            p.confidence = st->confidence;
        } else {
            p.origin = Origin::Reported;
        }
        if (st->confidenceInterval) {
            const auto f = confidenceFactor(st->confidence);
            p.assumptions.push_back("confidence '" + std::string(confidenceLabel(st->confidence)) +
                                    "' read as a log-uniform interval of x" +
                                    (f ? f->str() : std::string("?")) +
                                    " around the stated point (a reading, docs/methodology.md)");
        }
        return p;
    }
    p.origin = Origin::Computed;
    if (st != nullptr && se.method == Method::Hardware && !st->pointer.empty()) {
        // The defaults the hardware method applied are the estimator's assumption notes that
        // point into this stage's hardware object.
        const std::string prefix = st->pointer + "/hardware/";
        for (const Diagnostic& d : estimate.warnings) {
            if (d.code == ErrorCode::AssumptionUsed && d.pointer.rfind(prefix, 0) == 0)
                p.assumptions.push_back(d.message);
        }
    }
    return p;
}

double roundSignificant(double value, int digits) {
    if (value == 0 || !std::isfinite(value)) return value;
    const double scale =
        std::pow(10.0, digits - 1 - static_cast<int>(std::floor(std::log10(std::fabs(value)))));
    return std::round(value * scale) / scale;
}

std::optional<ReportedComparison> compareReported(const ModelRecord& record,
                                                  const ModelEstimate& estimate) {
    const ModelRecord* rec = &record;
    if (!rec->reported || !rec->reported->trainingFlop) return std::nullopt;
    ReportedComparison c;
    c.trainingFlop = rec->reported->trainingFlop->central();
    c.source = rec->reported->source;
    if (c.trainingFlop.sign() <= 0) return std::nullopt;
    const Exact ratio = estimate.total.central / c.trainingFlop;
    c.ratio = roundSignificant(toDouble(ratio), 4);
    auto near = [&](const Exact& x) {  // within 1 % of the reported figure
        Exact d = x - c.trainingFlop;
        if (d.sign() < 0) d = -d;
        return d * 100 <= c.trainingFlop;
    };
    if (near(estimate.total.central)) return c;

    // What the developer's figure matches, if anything simple: 6ND over the same stages, or the
    // pre-training stage alone.
    Exact sixNd = 0, pretraining = 0, pretrainingSixNd = 0;
    bool allSixNd = true, pretrainingHasSixNd = false;
    bool architecture = false, hardware = false, missing = false;
    for (const StageEstimate& se : estimate.stages) {
        if (!se.method) {
            missing = true;
            continue;
        }
        architecture = architecture || *se.method == Method::Architecture;
        hardware = hardware || *se.method == Method::Hardware;
        const auto& six = se.methods[static_cast<std::size_t>(Method::SixNd)];
        if (six)
            sixNd += six->central;
        else
            allSixNd = false;
        if (se.kind == StageKind::Pretraining) {
            pretraining += se.flop.central;
            if (six) {
                pretrainingSixNd += six->central;
                pretrainingHasSixNd = true;
            }
        }
    }
    const std::string conv(toString(estimate.convention));
    if (architecture && allSixNd && near(sixNd)) {
        c.explanation = "the developer's figure matches 6ND (6 x params x tokens); this tool's '" +
                        conv + "' count includes attention and logits";
    } else if (architecture && pretrainingHasSixNd && near(pretrainingSixNd)) {
        // The common disclosure: 6ND of the pre-training run (Llama 3.1 405B's 3.8e25).
        c.explanation =
            "the developer's figure matches 6ND (6 x params x tokens) of pre-training; "
            "this tool's '" +
            conv +
            "' count includes attention and logits, and the total counts "
            "every stage of the ledger";
    } else if (near(pretraining)) {
        c.explanation =
            "the developer's figure covers pre-training only; this total counts "
            "every stage of the ledger";
    } else if (hardware) {
        c.explanation =
            "this total rests on hardware figures (chips x time x peak x "
            "utilization), the developer's figure on its own count";
    } else {
        c.explanation = "this tool's total differs from the developer's figure by a factor of " +
                        formatScientific(Exact(ratio), 3);
    }
    if (missing) c.explanation += "; this total is a lower bound (a stage is undisclosed)";
    return c;
}

}  // namespace flopledger::inline v1
