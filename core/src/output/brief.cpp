// The brief (brief.hpp): plain-language conclusions first, then figures, what would change the
// conclusion, legal standing and sources. Markdown kept plain (no tables, no escapes) so that it
// reads the same as text and renders cleanly.
#include "base/double_text.hpp"
#include "brief_detail.hpp"

#include <flopledger/provenance.hpp>
#include <flopledger/status_summary.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>

namespace flopledger::inline v1 {
namespace brief_detail {
namespace {

// "EU AI Act Art. 51(2)" from "EU AI Act Art. 51(2): presumption of systemic risk".
std::string shortTitle(const std::string& title) {
    const auto colon = title.find(':');
    return colon == std::string::npos ? title : title.substr(0, colon);
}

}  // namespace

std::string sci(const Exact& v, int digits) {
    return formatScientific(v, digits);
}

// Short titles, unless two policies of the set share one ("EU GPAI guidelines" twice): then
// the full title, so that no sentence names two regimes alike.
std::map<std::string, std::string> titlesOf(const std::vector<PolicySummary>& policies) {
    std::map<std::string, std::size_t> uses;
    for (const auto& p : policies) {
        ++uses[shortTitle(p.title)];
    }
    std::map<std::string, std::string> out;
    for (const auto& p : policies) {
        const std::string t = shortTitle(p.title);
        out[p.id] = uses[t] > 1 ? p.title : t;
    }
    return out;
}

std::string joinWords(const std::vector<std::string>& items) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        out += (i == 0 ? "" : i + 1 == items.size() ? " and " : ", ") + items[i];
    }
    return out;
}

const Verdict* verdictFor(const DatedVerdicts& d, const std::string& policy) {
    for (const auto& v : d.verdicts) {
        if (v.policy == policy) {
            return &v;
        }
    }
    return nullptr;
}

}  // namespace brief_detail

namespace {

using namespace brief_detail;

std::string percent(double p) {
    return detail::fixedText(std::round(p * 100.0), 0) + "%";
}

bool lowerBound(const ModelEstimate& e) {
    return std::any_of(e.stages.begin(), e.stages.end(),
                       [](const StageEstimate& s) { return !s.method; });
}

// Who the figures come from: "Epoch AI" when every counted stage's flop is a third party's.
struct Provenance {
    std::string estimator;         ///< third party behind the stated figures ("" when none)
    std::string confidence;        ///< its confidence label
    bool developerFigure = false;  ///< some stage's flop, or `reported`, is the developer's
    bool computed = false;         ///< some stage is derived from published inputs
};

Provenance provenanceOf(const ModelRecord& m, const ModelEstimate& e) {
    Provenance p;
    for (std::size_t i = 0; i < e.stages.size() && i < m.stages.size(); ++i) {
        const Stage& st = m.stages[i];
        const auto& method = e.stages[i].method;
        if (!method) {
            continue;
        }
        if (*method == Method::Stated) {
            if (!st.estimator.empty()) {
                p.estimator = st.estimator;
                p.confidence = st.confidence;
            } else {
                p.developerFigure = true;
            }
        } else {
            p.computed = true;
        }
    }
    if (m.reported && m.reported->trainingFlop) {
        p.developerFigure = true;
    }
    return p;
}

std::string legalWords(const Policy* policy, const Date& asOf, bool withEvent = true) {
    if (policy == nullptr) {
        return {};
    }
    const PolicyState st = policy->stateOn(asOf);
    std::string out;
    switch (st.legalStatus) {
        case LegalStatus::InForce:
            out = "in force";
            break;
        case LegalStatus::Proposed:
            out = "proposed, not law";
            break;
        case LegalStatus::Vetoed:
            out = "vetoed, never law";
            break;
        case LegalStatus::Revoked:
            out = "revoked, no longer applies";
            break;
        case LegalStatus::Rescinded:
            out = "rescinded, no longer applies";
            break;
        case LegalStatus::Superseded:
            out = "superseded";
            break;
        case LegalStatus::Guidance:
            out = "guidance, not binding";
            break;
        case LegalStatus::Voluntary:
            out = "voluntary";
            break;
        case LegalStatus::NotYetInForce:
            out = "not yet in force";
            break;
    }
    if (withEvent && st.lastEvent != nullptr) {
        out += " (" + st.lastEvent->event + " " + st.lastEvent->date.toIsoDay() + ")";
    }
    return out;
}

// "about 89% under Epoch AI's speculative interval" / "about 89% under the stated interval".
std::string chance(const Verdict& v, const Provenance& p) {
    if (!v.probability) {
        return "the interval straddles the threshold";
    }
    std::string whose = p.estimator.empty()
                            ? std::string("the estimate's interval")
                            : p.estimator + "'s " +
                                  (p.confidence.empty() ? std::string() : p.confidence + " ") +
                                  "interval";
    return "about " + percent(*v.probability) + " under " + whose;
}

}  // namespace

std::string briefConclusion(const RecordAssessment& r, const BriefOptions& o) {
    const ModelRecord* m = std::get_if<ModelRecord>(r.record.get());
    const std::string name = m != nullptr && !m->name.empty() ? m->name : r.id();
    if (r.dates.empty() || !r.estimate || m == nullptr) {
        return name + ": no verdicts.";
    }
    const DatedVerdicts& d = r.dates.front();
    if (m->released && d.asOf < *m->released) {
        return name + ": not released as of " + d.asOf.toIsoDay() + " (released " +
               m->released->toString() + "); no regime applied to it yet.";
    }
    const Provenance prov = provenanceOf(*m, *r.estimate);
    const auto titles = titlesOf(o.policies);
    std::vector<std::string> parts;
    // Above and straddling: every regime, saying when it is not in force. Below: grouped by
    // threshold ("below every 1e26 regime"), else the regimes in force. Undecided: in force only.
    std::map<std::string, std::vector<std::string>> belowByThreshold;
    std::map<std::string, std::size_t> policiesAtThreshold;
    for (const auto& v : d.verdicts) {
        if (v.threshold) {
            ++policiesAtThreshold[sci(*v.threshold, 2)];
        }
    }
    std::vector<std::string> unknown;
    bool notReleased = false;
    for (const auto& ps : o.policies) {
        const Verdict* v = verdictFor(d, ps.id);
        if (v == nullptr) {
            continue;
        }
        const std::string t = titles.at(ps.id);
        const std::string force = v->inForce ? "" : " (not in force)";
        switch (v->status) {
            case VerdictStatus::Exceeds:
                parts.push_back("above the " + t + " threshold" + force);
                break;
            case VerdictStatus::Indeterminate: {
                const bool likely = v->probability && *v->probability >= 0.5;
                parts.push_back(std::string(likely ? "probably above" : "probably below") +
                                " the " + t + " threshold" + force + " (" + chance(*v, prov) + ")");
                break;
            }
            case VerdictStatus::Below: {
                const std::string thr = v->threshold ? sci(*v->threshold, 2) : std::string();
                belowByThreshold[thr].push_back(v->inForce ? t : std::string());
                break;
            }
            case VerdictStatus::Unknown:
                // A lower bound below the line (7.3): how far short the disclosed compute is.
                if (v->inForce && v->lowerBound && v->disclosedStatus == VerdictStatus::Below &&
                    v->crossingRatio) {
                    const std::string ratio = detail::generalText(*v->crossingRatio, 3);
                    parts.push_back("below the " + t +
                                    " threshold on disclosed compute (undisclosed compute of " +
                                    ratio + "x the disclosed would cross it)");
                } else if (v->inForce) {
                    unknown.push_back(t);
                }
                break;
            case VerdictStatus::NotReleased:
                notReleased = true;
                break;
        }
    }
    if (notReleased) {
        parts.insert(parts.begin(), "not yet released on this date (not assessed)");
    }
    for (const auto& [thr, titlesBelow] : belowByThreshold) {
        if (titlesBelow.size() > 1 && !thr.empty() &&
            titlesBelow.size() == policiesAtThreshold[thr]) {
            parts.push_back("below every " + thr + " regime");
            continue;
        }
        std::vector<std::string> inForce;
        for (const auto& t : titlesBelow) {
            if (!t.empty()) {
                inForce.push_back(t);
            }
        }
        if (!inForce.empty()) {
            parts.push_back("below the " + joinWords(inForce) +
                            (inForce.size() == 1 ? " threshold" : " thresholds"));
        }
    }
    if (!unknown.empty()) {
        parts.push_back("undecided under " + joinWords(unknown) + " (inputs missing)");
    }
    if (!prov.developerFigure) {
        parts.push_back(prov.computed ? "the developer has published no compute figure (ours is "
                                        "computed from published inputs)"
                                      : "the developer has published no figure");
    }
    std::string out = name + ": ";
    for (std::size_t i = 0; i < parts.size(); ++i) {
        out += (i > 0 ? "; " : "") + parts[i];
    }
    return out + ".";
}

namespace {

// "### Figures": the total, who it comes from, the developer's own figure beside ours with the
// ratio (7.1), the stages not disclosed, and the defaults the figure assumes.
std::string figuresSection(const ModelRecord& m, const ModelEstimate& e, const BriefOptions& o) {
    std::string out = "\n### Figures\n\n";
    const Provenance prov = provenanceOf(m, e);
    const bool bound = lowerBound(e);
    std::string total = (bound ? "at least " : "") + sci(e.total.central, o.digits) + " FLOP";
    if (!e.total.isPoint()) {
        total +=
            " (interval " + sci(e.total.low, o.digits) + " to " + sci(e.total.high, o.digits) + ")";
    }
    out += "- Training compute: " + total + ".\n";
    const auto cmp = compareReported(m, e);
    if (!prov.estimator.empty() && prov.computed) {
        out +=
            "- Source of the figure: computed by FLOP Ledger from published inputs, with a "
            "stage estimated by " +
            prov.estimator +
            (prov.confidence.empty() ? "" : " (confidence label \"" + prov.confidence + "\")") +
            ".\n";
    } else if (!prov.estimator.empty()) {
        out += "- Source of the figure: an estimate by " + prov.estimator +
               (prov.confidence.empty() ? "" : ", confidence label \"" + prov.confidence + "\"") +
               "; not a developer figure" +
               (cmp || prov.developerFigure ? "" : "; the developer has published none") + ".\n";
    } else if (prov.computed) {
        out += "- Source of the figure: computed by FLOP Ledger from published inputs (" +
               std::to_string(e.stages.size()) + (e.stages.size() == 1 ? " stage" : " stages") +
               ").\n";
    } else if (prov.developerFigure) {
        out += "- Source of the figure: stated by the developer.\n";
    }
    if (cmp) {
        const std::string ratio = detail::generalText(cmp->ratio, 3);
        out += "- Developer's own figure: " + sci(cmp->trainingFlop, o.digits) + " FLOP" +
               (cmp->source.empty() ? "" : " (" + cmp->source + ")") + "; ours is " + ratio +
               "x it" + (cmp->explanation.empty() ? "" : ": " + cmp->explanation) + ".\n";
    } else if (!prov.developerFigure && prov.estimator.empty()) {
        out += "- Developer's own figure: none published.\n";
    }
    if (bound) {
        std::size_t missing = 0;
        for (const auto& s : e.stages) {
            missing += s.method ? 0 : 1;
        }
        out += "- " + std::to_string(missing) +
               (missing == 1 ? " stage's compute is" : " stages' compute is") +
               " not disclosed; the total is a lower bound.\n";
    }
    std::vector<std::string> assumed;
    for (std::size_t i = 0; i < e.stages.size() && i < m.stages.size(); ++i) {
        if (!e.stages[i].method) {
            continue;
        }
        for (const std::string& a : stageProvenance(m, e, i).assumptions) {
            if (std::find(assumed.begin(), assumed.end(), a) == assumed.end()) {
                assumed.push_back(a);
            }
        }
    }
    if (!assumed.empty()) {
        out += "- Defaults applied: " + joinWords(assumed) + ".\n";
    }
    return out;
}

// "### Legal standing": one line per standing (in force, guidance, proposed, vetoed, ...), each
// regime with its verdict, so the page stays short for the whole default set.
std::string standingSection(const RecordAssessment& r, const BriefOptions& o, const Date& asOf) {
    const PolicyCatalog& catalog = o.catalog != nullptr ? *o.catalog : PolicyCatalog::defaults();
    const auto titles = titlesOf(o.policies);
    std::vector<std::pair<std::string, std::vector<std::string>>> standing;
    for (const auto& ps : o.policies) {
        const Verdict* v = r.dates.empty() ? nullptr : verdictFor(r.dates.front(), ps.id);
        if (v == nullptr) {
            continue;
        }
        const std::string words = legalWords(catalog.find(ps.id), asOf, false);
        auto it = std::find_if(standing.begin(), standing.end(),
                               [&](const auto& x) { return x.first == words; });
        if (it == standing.end()) {
            standing.push_back({words, {}});
            it = standing.end() - 1;
        }
        it->second.push_back(titles.at(ps.id) + " (" + std::string(toString(v->status)) + ")");
    }
    std::stable_sort(standing.begin(), standing.end(), [](const auto& a, const auto& b) {
        return (a.first == "in force") > (b.first == "in force");
    });
    std::string out = "\n### Legal standing\n\n";
    for (const auto& [words, regimes] : standing) {
        std::string w = words;
        w[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(w[0])));
        out += "- " + w + ": " + joinWords(regimes) + ".\n";
    }
    return out;
}

std::string sourcesSection(const ModelRecord& m) {
    std::string out = "\n### Sources\n\n";
    std::size_t n = 0;
    for (const auto& s : m.sources) {
        if (++n > 4) {
            break;
        }
        out += "- " + (s.what.empty() ? s.url : s.what + ": <" + s.url + ">") + "\n";
    }
    if (m.sources.empty()) {
        out += "- The record cites no source.\n";
    }
    return out;
}

// Estimation warnings of one model, by code with counts.
std::string modelWarnings(const ModelEstimate& e) {
    if (e.warnings.empty()) {
        return {};
    }
    std::map<std::string, std::size_t> byCode;
    for (const Diagnostic& d : e.warnings) {
        ++byCode[codeText(d.code)];
    }
    std::string list;
    for (const auto& [code, n] : byCode) {
        list += (list.empty() ? "" : ", ") + code + (n > 1 ? " x" + std::to_string(n) : "");
    }
    return "\nEstimation notes: " + list + " (`flopledger estimate` prints them).\n";
}

}  // namespace

std::string briefSection(const RecordAssessment& r, const BriefOptions& o) {
    const ModelRecord* m = std::get_if<ModelRecord>(r.record.get());
    const std::string name = m != nullptr && !m->name.empty() ? m->name : r.id();
    std::string out = "## " + name + "\n\n";
    out += "**" + briefConclusion(r, o) + "**\n";
    if (m == nullptr || !r.estimate) {
        return out;
    }
    const Date asOf = r.dates.empty() ? Date::today() : r.dates.front().asOf;
    out += "\nAs of " + asOf.toIsoDay() +
           (m->developer.empty() ? "" : "; developer " + m->developer) +
           (m->released ? "; released " + m->released->toString() : "; not released") + ".\n";
    out += figuresSection(*m, *r.estimate, o);
    out += changeSection(r, o);
    out += standingSection(r, o, asOf);
    out += sourcesSection(*m);
    out += modelWarnings(*r.estimate);
    return out;
}

std::string renderBrief(const std::vector<RecordAssessment>& results, const BriefOptions& o) {
    const std::string asOf = o.asOf.empty() ? std::string() : " as of " + o.asOf.front().toIsoDay();
    const std::string warnings = warningsSummary(o.warnings);
    if (results.size() == 1) {
        // One model: its name is the title, so the conclusion is the third line.
        std::string section = briefSection(results.front(), o);
        return "# " + section.substr(3, section.find('\n') - 3) + ": FLOP Ledger brief" + asOf +
               section.substr(section.find('\n')) + (warnings.empty() ? "" : "\n" + warnings);
    }
    std::string out = "# FLOP Ledger brief" + asOf + "\n\n";
    if (results.size() > 1) {
        StatusSummary summary(o.policies, {o.asOf.empty() ? Date::today() : o.asOf.front()});
        for (const auto& r : results) {
            StatusLine line = statusLine(r, o.policies);
            line.cells.resize(std::min<std::size_t>(line.cells.size(), 1));
            summary.add(std::move(line));
        }
        out += "## Models by status\n" + summary.markdown() + "\n";
    }
    if (!warnings.empty()) {
        out += warnings + "\n";
    }
    for (std::size_t i = 0; i < results.size(); ++i) {
        out += (i > 0 ? "\n" : "") + briefSection(results[i], o);
    }
    return out;
}

}  // namespace flopledger::inline v1
