// The brief's "what would change the conclusion" section and its warnings summary
// (brief_detail.hpp).
#include "base/double_text.hpp"
#include "brief_detail.hpp"

#include <algorithm>
#include <cstdio>
#include <map>

namespace flopledger::inline v1::brief_detail {
namespace {

constexpr std::size_t kMaxChangeLines = 8;
constexpr std::size_t kMaxBreakEvensPerPolicy = 3;

std::string ratioText(double r) {
    return detail::generalText(r, 3);
}

// Fractions as percentages (utilization 13.2%), money in dollars, the rest in FLOP notation.
std::string inputValue(const Exact& v, const std::string& input) {
    if (input.find("utilization") != std::string::npos ||
        input.find("share") != std::string::npos) {
        return detail::generalText(toDouble(v) * 100.0, 3) + "%";
    }
    if (input.find("count") != std::string::npos || input.find("hours") != std::string::npos) {
        // chips and hours read plainly: "16384", "5700.5"
        return detail::generalText(toDouble(v), 6);
    }
    const std::string n = sci(v, 3);
    return input.find("usd") != std::string::npos ? "$" + n : n;
}

const SensitivityResult* sensitivityFor(const BriefOptions& o, const std::string& id,
                                        const std::string& policy) {
    for (const ModelSensitivity& m : o.sensitivity) {
        if (m.id != id) {
            continue;
        }
        for (const SensitivityResult& s : m.results) {
            if (s.policy == policy) {
                return &s;
            }
        }
    }
    return nullptr;
}

// Contract 7.3: a lower bound below the line says how much undisclosed compute would cross it.
std::string crossingLine(const Verdict& v) {
    const std::string more = v.comparator == ">=" ? "at least " : "more than ";
    return "undisclosed compute of " + more + sci(*v.crossingFlop, 3) + " FLOP" +
           (v.crossingRatio ? " (" + ratioText(*v.crossingRatio) + "x the disclosed compute)"
                            : std::string()) +
           " would put it over " + sci(*v.threshold, 2);
}

// Without break-even values: the distance of the interval from the threshold.
std::string distanceLine(const Verdict& v, int digits) {
    const Interval& c = *v.countedFlop;
    const std::string thr = sci(*v.threshold, digits);
    if (v.status == VerdictStatus::Indeterminate) {
        return "the interval " + sci(c.low, digits) + " to " + sci(c.high, digits) + " contains " +
               thr + "; a figure on either side decides it";
    }
    if (v.status == VerdictStatus::Below && c.central > 0) {
        return "a figure above " + thr + " (" +
               ratioText(toDouble(*v.threshold) / toDouble(c.central)) +
               "x the central estimate) would exceed it";
    }
    if (v.status == VerdictStatus::Exceeds && c.low > 0 && !v.lowerBound) {
        return "a figure at or below " + thr + ", " +
               ratioText(toDouble(c.low) / toDouble(*v.threshold)) +
               "x below the interval's low end, would fall below it";
    }
    return {};
}

}  // namespace

void GroupedLines::add(const std::string& line, const std::string& regime) {
    auto it = std::find_if(lines_.begin(), lines_.end(),
                           [&](const auto& entry) { return entry.first == line; });
    if (it == lines_.end()) {
        lines_.push_back({line, {}});
        it = lines_.end() - 1;
    }
    it->second.push_back(regime);
}

std::string GroupedLines::markdown(std::size_t max, const std::string& rest) const {
    std::string out;
    for (std::size_t i = 0; i < lines_.size() && i < max; ++i) {
        const auto& [line, who] = lines_[i];
        const std::string whom =
            who.size() > 2 ? std::to_string(who.size()) + " regimes" : joinWords(who);
        out += "- " + whom + ": " + line + ".\n";
    }
    if (lines_.size() > max) {
        out += "- " + std::to_string(lines_.size() - max) + " more: " + rest + ".\n";
    }
    return out;
}

std::string changeSection(const RecordAssessment& r, const BriefOptions& o) {
    std::string out = "\n### What would change the conclusion\n\n";
    if (r.dates.empty()) {
        return out + "- No verdicts.\n";
    }
    const auto titles = titlesOf(o.policies);
    GroupedLines lines;
    std::vector<std::string> assumptions;
    for (const auto& ps : o.policies) {
        const Verdict* v = verdictFor(r.dates.front(), ps.id);
        if (v == nullptr || v->status == VerdictStatus::NotReleased) {
            continue;
        }
        for (const std::string& a : v->assumptions) {
            if (std::find(assumptions.begin(), assumptions.end(), a) == assumptions.end()) {
                assumptions.push_back(a);
            }
        }
        const std::string t = titles.at(ps.id);
        // Compute is not what decides it (EO 14110's biological rule for a text model): why.
        if (v->computeStatus && *v->computeStatus != v->status && !v->reason.empty() &&
            v->status != VerdictStatus::Indeterminate) {
            lines.add("not a question of compute: " + v->reason, t);
            continue;
        }
        if (v->lowerBound && v->disclosedStatus == VerdictStatus::Below && v->crossingFlop &&
            v->threshold) {
            lines.add(crossingLine(*v), t);
            continue;
        }
        const SensitivityResult* sr = sensitivityFor(o, r.id(), ps.id);
        if (sr != nullptr && !sr->breakEven.empty() && v->status != VerdictStatus::Indeterminate) {
            std::size_t n = 0;
            for (const BreakEven& b : sr->breakEven) {
                if (++n > kMaxBreakEvensPerPolicy) {
                    break;
                }
                // A stated figure is the figure itself; other inputs name their method. Counted
                // compute grows with every input, so the direction says which side it lands on
                // (other criteria, such as revenue, then decide the regimes that have them).
                std::string what = b.input;
                if (b.method == "stated" && b.input == "flop") {
                    // "/stages/1/flop": name the stage when there are several.
                    const auto digits = b.pointer.find_first_of("0123456789");
                    const bool several = r.estimate && r.estimate->stages.size() > 1;
                    what = several && digits != std::string::npos
                               ? "the stated figure of stage " +
                                     std::to_string(std::stoul(b.pointer.substr(digits)) + 1)
                               : std::string("the stated figure");
                }
                const std::string how = b.method == "stated" ? "" : " (" + b.method + ")";
                const bool up = b.value > b.current;
                lines.add(what + " at " + inputValue(b.value, b.input) + " instead of " +
                              inputValue(b.current, b.input) + how + " would put it " +
                              (up ? "over" : "below") + " the threshold",
                          t);
            }
            continue;
        }
        if (v->threshold && v->countedFlop) {
            const std::string line = distanceLine(*v, o.digits);
            if (!line.empty()) {
                lines.add(line, t);
            }
        }
    }
    out += lines.markdown(kMaxChangeLines, "`flopledger sensitivity` lists every break-even value");
    if (lines.empty()) {
        out += "- No single compute figure in reach; see `flopledger sensitivity`.\n";
    }
    for (const std::string& a : assumptions) {
        out += "- These verdicts rely on an assumption: " + a + ".\n";
    }
    return out;
}

std::string warningsSummary(const std::vector<Diagnostic>& warnings) {
    std::map<std::string, std::size_t> byCode;
    for (const Diagnostic& d : warnings) {
        ++byCode[codeText(d.code)];
    }
    if (byCode.empty()) {
        return {};
    }
    std::string list;
    for (const auto& [code, n] : byCode) {
        list += (list.empty() ? "" : ", ") + code + " x" + std::to_string(n);
    }
    return "Reading the inputs gave " + std::to_string(warnings.size()) +
           (warnings.size() == 1 ? " warning" : " warnings") + " (" + list +
           "); `flopledger assess --warnings all` lists them.\n";
}

}  // namespace flopledger::inline v1::brief_detail
