// Text helpers shared by the report writers (report_detail.hpp).
#include "output/report_detail.hpp"

#include "base/number_text.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace flopledger::inline v1::detail {

std::string_view methodShort(Method m) {
    switch (m) {
        case Method::Stated:
            return "stated";
        case Method::Architecture:
            return "arch";
        case Method::SixNd:
            return "6nd";
        case Method::Hardware:
            return "hw";
    }
    return "?";
}

// Distinct chosen methods of a model's stages in stage order, e.g. "arch+hw".
std::string methodSummary(const ModelEstimate& e, bool shortNames) {
    // Each method at most once: a fixed array, not a vector a record.
    std::array<Method, kMethodCount> seenAt{};
    std::size_t count = 0;
    for (const auto& s : e.stages) {
        if (s.method && std::find(seenAt.begin(), seenAt.begin() + count, *s.method) ==
                            seenAt.begin() + count) {
            seenAt[count++] = *s.method;
        }
    }
    if (count == 0) {
        return "none";
    }
    std::string out;
    for (std::size_t i = 0; i < count; ++i) {
        const Method m = seenAt[i];
        if (!out.empty()) {
            out += '+';
        }
        out += shortNames ? methodShort(m) : toString(m);
    }
    return out;
}

std::string sci(const Exact& v, int digits) {
    std::string out;
    if (detail::formatScientificSmall(v, digits, out)) {
        return out;  // the usual whole FLOP counts, without big-integer division
    }
    return formatScientific(v, digits);
}

// A total is a lower bound when a stage could not be estimated (it counts as 0).
bool incomplete(const ModelEstimate& e) {
    return std::any_of(e.stages.begin(), e.stages.end(),
                       [](const StageEstimate& s) { return !s.method; });
}

// The central total for tables: "unknown" when nothing could be estimated, ">=x" when a stage
// is missing from the sum.
std::string totalText(const ModelEstimate& e, int digits) {
    if (!incomplete(e)) {
        return sci(e.total.central, digits);
    }
    if (e.total.high == 0) {
        return "unknown";
    }
    return ">=" + sci(e.total.central, digits);
}

std::string rangeText(const Interval& v, int digits) {
    // sameExact: isPoint's Boost == costs ~3,000 instructions a call.
    if (detail::sameExact(v.low, v.high)) {
        return "-";
    }
    return sci(v.low, digits) + ".." + sci(v.high, digits);
}

// Fixed two-decimal form of a log10 margin with explicit sign: "+1.50", "-0.02".
std::string marginText(double m) {
    char buf[32];
    double r = std::round(m * 100.0) / 100.0;
    if (r == 0.0) {
        r = 0.0;
    }
    // std::to_chars: never the C locale's decimal comma (a host may call setlocale).
    char* p = buf;
    if (!std::signbit(r)) *p++ = '+';
    return std::string(buf, std::to_chars(p, buf + sizeof buf, r, std::chars_format::fixed, 2).ptr);
}

std::string probabilityText(double p) {
    char buf[32];
    return std::string(buf,
                       std::to_chars(buf, buf + sizeof buf, p, std::chars_format::fixed, 3).ptr);
}

std::string padRight(std::string_view s, std::size_t w) {
    std::string out(s);
    if (out.size() < w) {
        out.append(w - out.size(), ' ');
    }
    return out;
}

// Shortens to w characters, marking the cut with '~' (ids stay recognisable).
std::string fit(std::string_view s, std::size_t w) {
    if (s.size() <= w) {
        return std::string(s);
    }
    if (w == 0) {
        return {};
    }
    return std::string(s.substr(0, w - 1)) + "~";
}

std::string rtrim(std::string s) {
    while (!s.empty() && s.back() == ' ') {
        s.pop_back();
    }
    return s;
}

const Verdict* findVerdict(const DatedVerdicts& d, const std::string& policy) {
    for (const auto& v : d.verdicts) {
        if (v.policy == policy) {
            return &v;
        }
    }
    return nullptr;
}

char verdictSymbol(const Verdict* v) {
    if (v == nullptr) {
        return ' ';
    }
    switch (v->status) {
        case VerdictStatus::Exceeds:
            return v->inForce ? 'X' : 'x';
        case VerdictStatus::Below:
            return '.';
        case VerdictStatus::Indeterminate:
            return '?';
        case VerdictStatus::Unknown:
            // A lower bound already below on disclosed compute: its own mark (contract 7.3).
            return v->lowerBound && v->disclosedStatus == VerdictStatus::Below ? '<' : '-';
        case VerdictStatus::NotReleased:
            return 'n';
    }
    return ' ';
}

char columnLetter(std::size_t i) {
    return i < 26 ? static_cast<char>('A' + i) : static_cast<char>('a' + (i - 26) % 26);
}

std::vector<PolicySummary> policiesOf(const ReportOptions& o, const RecordAssessment* first) {
    if (!o.policies.empty() || first == nullptr || first->dates.empty()) {
        return o.policies;
    }
    std::vector<PolicySummary> out;
    for (const auto& v : first->dates.front().verdicts) {
        out.push_back({v.policy, v.title, {}, {}, v.legalStatus});
    }
    return out;
}

std::string datesText(const std::vector<Date>& dates) {
    std::string out;
    for (const auto& d : dates) {
        if (!out.empty()) {
            out += ", ";
        }
        out += d.toIsoDay();
    }
    return out;
}

std::string warningText(const Diagnostic& w) {
    std::string out = codeText(w.code);
    if (!w.pointer.empty()) {
        out += " " + w.pointer;
    }
    return out + ": " + w.message;
}

std::string joined(const std::vector<std::string>& parts, std::string_view sep) {
    std::string out;
    for (const auto& p : parts) {
        if (!out.empty()) {
            out += sep;
        }
        out += p;
    }
    return out;
}

// "stage 3" for "/stages/3/hardware/utilization"; the pointer itself otherwise.
std::string placeOf(const std::string& pointer) {
    const std::string prefix = "/stages/";
    if (pointer.compare(0, prefix.size(), prefix) == 0) {
        std::size_t end = pointer.find('/', prefix.size());
        return "stage " + pointer.substr(prefix.size(), end == std::string::npos
                                                            ? std::string::npos
                                                            : end - prefix.size());
    }
    return pointer.empty() ? std::string("record") : pointer;
}

// One line per distinct (code, message) of a record, naming the places it applies to, so that a
// default assumed on four stages takes one line rather than four.
std::vector<std::string> groupedWarnings(const std::vector<Diagnostic>& warnings) {
    std::vector<std::pair<std::string, std::vector<std::string>>> groups;
    for (const auto& w : warnings) {
        std::string key = codeText(w.code) + " " + w.message;
        auto it = std::find_if(groups.begin(), groups.end(),
                               [&](const auto& g) { return g.first == key; });
        if (it == groups.end()) {
            groups.push_back({key, {}});
            it = groups.end() - 1;
        }
        std::string place = placeOf(w.pointer);
        if (std::find(it->second.begin(), it->second.end(), place) == it->second.end()) {
            it->second.push_back(place);
        }
    }
    std::vector<std::string> out;
    for (const auto& [key, places] : groups) {
        out.push_back(key + " (" + joined(places, ", ") + ")");
    }
    return out;
}

// Word-wraps one item to `width` columns: first line indented by `first`, the rest by `rest`.
std::string wrap(const std::string& text, std::size_t width, std::size_t first, std::size_t rest) {
    // Words as views and one output string: the same lines without a string per word.
    std::string out(first, ' ');
    std::size_t lineStart = 0;  // where the current line starts in out
    const std::string_view all(text);
    std::size_t pos = 0;
    bool lineHasWord = false;
    while (pos < all.size()) {
        std::size_t end = all.find(' ', pos);
        if (end == std::string_view::npos) {
            end = all.size();
        }
        const std::string_view word = all.substr(pos, end - pos);
        pos = end + 1;
        if (word.empty()) {
            continue;
        }
        if (lineHasWord && out.size() - lineStart + 1 + word.size() > width) {
            out += '\n';
            lineStart = out.size();
            out.append(rest, ' ');
            lineHasWord = false;
        }
        if (lineHasWord) {
            out += ' ';
        }
        out += word;
        lineHasWord = true;
    }
    out += '\n';
    return out;
}

// ---- JSON, JSON Lines and CSV: fragments rendered per record ------------------------------

std::string recordName(const RecordAssessment& r) {
    if (r.isCluster()) {
        return std::get<ClusterRecord>(*r.record).name;
    }
    return std::get<ModelRecord>(*r.record).name;
}

// formatExact's text, from the limbs for the usual whole numbers below 2^128.
std::string exactText(const Exact& v) {
    std::string out;
    detail::appendExact(out, v);
    return out;
}

std::string fixed6(double x) {
    char buf[48];
    std::string s(buf, std::to_chars(buf, buf + sizeof buf, x, std::chars_format::fixed, 6).ptr);
    return s == "-0.000000" ? "0.000000" : s;
}

}  // namespace flopledger::inline v1::detail
