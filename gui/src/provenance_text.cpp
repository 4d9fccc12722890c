#include "provenance_text.hpp"

#include "c_number_text.hpp"

#include <flopledger/provenance.hpp>

#include <vector>

namespace flopledger::inline v1::gui {

namespace {

std::string ratioText(double r) {
    return cGeneralText(r, 3);
}

void addOnce(std::vector<std::string>& parts, const std::string& part) {
    for (const std::string& p : parts)
        if (p == part) return;
    parts.push_back(part);
}

}  // namespace

std::string provenanceCell(const ModelRecord& record, const ModelEstimate& estimate) {
    std::vector<std::string> parts;
    bool undisclosed = false;
    for (std::size_t i = 0; i < estimate.stages.size() && i < record.stages.size(); ++i) {
        if (!estimate.stages[i].method) {
            undisclosed = true;
            continue;
        }
        const StageProvenance p = stageProvenance(record, estimate, i);
        switch (p.origin) {
            case Origin::ThirdParty:
                addOnce(parts, (p.estimator.empty() ? std::string("third party") : p.estimator) +
                                   (p.confidence.empty() ? "" : ", " + p.confidence));
                break;
            case Origin::Reported:
                addOnce(parts, "developer");
                break;
            case Origin::Computed:
                addOnce(parts, "computed");
                break;
        }
    }
    std::string out;
    for (const std::string& p : parts) out += (out.empty() ? "" : " + ") + p;
    if (undisclosed) out += out.empty() ? "undisclosed" : " (+ undisclosed)";
    if (const auto cmp = compareReported(record, estimate))
        out += "; developer " + formatScientific(cmp->trainingFlop, 3) + " (x" +
               ratioText(cmp->ratio) + ")";
    return out;
}

std::string provenanceTooltip(const ModelRecord& record, const ModelEstimate& estimate) {
    std::string t;
    for (std::size_t i = 0; i < estimate.stages.size() && i < record.stages.size(); ++i) {
        const StageEstimate& s = estimate.stages[i];
        t += (t.empty() ? "" : "\n") + std::string("Stage ") + std::to_string(i + 1) + " (" +
             std::string(toString(s.kind)) + (s.label.empty() ? "" : ", " + s.label) + "): ";
        if (!s.method) {
            t += "compute not disclosed; counted as 0, so the total is a lower bound";
            continue;
        }
        const StageProvenance p = stageProvenance(record, estimate, i);
        t += std::string(toString(p.origin)) + ", method " + std::string(toString(*s.method));
        if (!p.estimator.empty()) t += "\n  estimator: " + p.estimator;
        if (!p.confidence.empty()) t += "\n  confidence: " + p.confidence;
        if (!p.source.empty()) t += "\n  source: " + p.source;
        for (const std::string& a : p.assumptions) t += "\n  assumption: " + a;
    }
    if (const auto cmp = compareReported(record, estimate)) {
        t += "\nDeveloper-reported figure: " + formatScientific(cmp->trainingFlop, 3) + " FLOP" +
             (cmp->source.empty() ? "" : " (" + cmp->source + ")") +
             "; ours / theirs = " + ratioText(cmp->ratio);
        if (!cmp->explanation.empty()) t += "\n  " + cmp->explanation;
    } else {
        t += "\nDeveloper-reported figure: none in the record";
    }
    return t;
}

std::string verdictTooltip(const Verdict& v) {
    std::string t =
        (v.title.empty() ? v.policy : v.title) + "\n" + std::string(toString(v.status)) +
        (v.inForce ? "" : " (" + (v.legalStatus.empty() ? "not in force" : v.legalStatus) + ")");
    if (!v.reason.empty()) t += "\n" + v.reason;
    if (v.marginLog10) t += "\nmargin " + cFixedText(*v.marginLog10, 2, true) + " dex";
    if (v.probability) t += "\nP(exceeds) = " + cFixedText(*v.probability, 2);
    if (v.lowerBound) {
        t += "\nLower bound: a counted stage's compute is not disclosed";
        if (v.disclosedStatus)
            t += "\n  on disclosed compute: " + std::string(toString(*v.disclosedStatus));
        if (v.crossingFlop)
            t +=
                "\n  undisclosed compute needed to cross: " + formatScientific(*v.crossingFlop, 3) +
                " FLOP" +
                (v.crossingRatio ? " (" + ratioText(*v.crossingRatio) + "x disclosed)" : "");
    }
    for (const std::string& m : v.missing) t += "\nmissing: " + m;
    for (const std::string& a : v.assumptions) t += "\nrelies on the assumption: " + a;
    for (const std::string& n : v.notes) t += "\n" + n;
    return t;
}

}  // namespace flopledger::inline v1::gui
