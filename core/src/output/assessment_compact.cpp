// Compact output (compact.hpp; docs/cli.md, "Compact output"). The default documents repeat
// each policy's title, notes, legal status and reason in every verdict of every record (about
// 20 KB a record against every shipped policy); this form keeps the decision fields only and
// writes each distinct verdict of a record once ("outcomes", referenced by policy id).
#include <flopledger/compact.hpp>
#include <flopledger/provenance.hpp>

#include "base/exact_fast.hpp"
#include "base/number_text.hpp"
#include "output/json_writer.hpp"
#include "output/output_memo.hpp"
#include "output/provenance_json.hpp"
#include "output/report_detail.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace flopledger::inline v1 {
namespace {

using detail::jsonout::Writer;

void appendShortText(std::string& out, std::string_view t) {
    // Whole numbers (digits and a sign only) lose three or more trailing zeros to an exponent.
    // A plain loop: find_first_not_of called memchr per character (10% of a compact run).
    bool whole = true;
    for (const char c : t) {
        if (!((c >= '0' && c <= '9') || c == '-')) {
            whole = false;  // (a fraction's '.' comes early: no need to read on)
            break;
        }
    }
    if (whole) {
        std::size_t zeros = 0;
        while (zeros + 1 < t.size() && t[t.size() - 1 - zeros] == '0') ++zeros;
        if (zeros >= 3) {
            out.append(t.data(), t.size() - zeros);
            out += 'e';
            out += std::to_string(zeros);
            return;
        }
    }
    out.append(t);
}

// The short texts of the whole numbers this thread wrote last: a record's outcomes and stages
// repeat a few FLOP values (and thresholds), each formatted once. Entries are checked against
// the whole value; smallInt() is false with FLOPLEDGER_FAST_PATHS=OFF, so the memo is unused.
struct ShortTexts {
    struct Entry {
        bool valid = false;
        detail::SmallInt key;
        std::string text;
    };
    std::array<Entry, 8> entries;
    std::size_t next = 0;
    const std::string* find(const detail::SmallInt& x) const {
        for (const Entry& e : entries) {
            if (e.valid && e.key == x) return &e.text;
        }
        return nullptr;
    }
    const std::string& add(const detail::SmallInt& x) {
        Entry& e = entries[next];
        next = (next + 1) % entries.size();
        e.valid = false;  // key and text first: never stale after a failure
        e.key = x;
        e.text.clear();
        char buf[48];
        appendShortText(e.text, std::string_view(buf, detail::formatSmall(x, buf)));
        e.valid = true;
        return e.text;
    }
};

// The exact text of the default output (from the limbs where it can), shortened.
void appendShortExact(std::string& out, const Exact& v) {
    detail::SmallInt x;
    char buf[48];
    std::size_t len = 0;
    if (detail::smallInt(v, x)) {
        thread_local ShortTexts memo;
        const std::string* text = memo.find(x);
        out += text != nullptr ? *text : memo.add(x);
    } else if (detail::formatDecimal(v, buf, len)) {
        appendShortText(out, std::string_view(buf, len));
    } else {
        appendShortText(out, detail::formatExactText(v));
    }
}

// A FLOP value: one string when the interval is a point, else [low, central, high] with high
// null for a lower bound (contract 7.3). "A point" is decided on the printed texts (a long
// rational's text is cut, so two values can print alike); equal values print alike, so an
// exactly equal interval skips the comparison (sameExact: the reference compares with ==).
void appendValue(std::string& out, const Interval& v, bool unbounded) {
    if (!unbounded && detail::sameExact(v.low, v.central) && detail::sameExact(v.central, v.high)) {
        out += '"';
        appendShortExact(out, v.central);
        out += '"';
        return;
    }
    thread_local std::string low, central, high;  // capacity kept from record to record
    low.clear();
    central.clear();
    high.clear();
    appendShortExact(low, v.low);
    appendShortExact(central, v.central);
    if (!unbounded) appendShortExact(high, v.high);
    if (!unbounded && low == central && central == high) {
        out += '"';
        out += central;
        out += '"';
        return;
    }
    out += "[\"";
    out += low;
    out += "\",\"";
    out += central;
    out += unbounded ? "\",null]" : "\",\"";
    if (!unbounded) {
        out += high;
        out += "\"]";
    }
}

void writeValue(Writer& w, const Interval& v, bool unbounded = false) {
    thread_local std::string text;
    text.clear();
    appendValue(text, v, unbounded);
    w.raw(text);
}

void writeExactValue(Writer& w, const Exact& v) {
    thread_local std::string text;
    text.clear();
    appendShortExact(text, v);
    w.plainValue(text);
}

void writeNumber(Writer& w, double x) {
    char buf[64];
    w.raw(std::string_view(buf, Writer::formatNumber(x, buf)));
}

void writeStrings(Writer& w, const std::vector<std::string>& items) {
    w.beginArray();
    for (const auto& s : items) w.value(s);
    w.endArray();
}

void writeStage(Writer& w, const ModelRecord& rec, const ModelEstimate& e, std::size_t i) {
    const StageEstimate& s = e.stages[i];
    w.beginObject();
    w.key("kind");
    w.value(toString(s.kind));
    if (!s.label.empty()) {
        w.key("label");
        w.value(s.label);
    }
    w.key("method");
    if (s.method) {
        w.value(toString(*s.method));
    } else {
        w.null();
    }
    w.key("flop");
    writeValue(w, s.flop);
    // The other methods' values (the chosen method's is "flop").
    bool open = false;
    for (int m = 0; m < kMethodCount; ++m) {
        const auto& value = s.methods[static_cast<std::size_t>(m)];
        if (!value || (s.method && static_cast<int>(*s.method) == m)) continue;
        if (!open) {
            w.key("methods");
            w.beginObject();
            open = true;
        }
        w.key(toString(static_cast<Method>(m)));
        writeValue(w, *value);
    }
    if (open) w.endObject();
    if (s.impliedUtilization) {
        w.key("implied_utilization");
        writeValue(w, *s.impliedUtilization);
    }
    if (s.recomputeFlop) {
        w.key("recompute_flop");
        writeValue(w, *s.recomputeFlop);
    }
    if (s.kind == StageKind::SyntheticData && s.declaredPublic) {
        w.key("public");
        w.value(*s.declaredPublic);
    }
    const StageProvenance p = stageProvenance(rec, e, i);
    detail::writeStageOrigin(w, rec, s, i, p);
    if (!p.assumptions.empty()) {
        w.key("assumptions");
        writeStrings(w, p.assumptions);
    }
    w.endObject();
}

void writeEstimate(Writer& w, const ModelRecord& rec, const ModelEstimate& e) {
    w.key("convention");
    w.value(toString(e.convention));
    const bool lowerBound = e.stages.empty() || detail::incomplete(e);
    w.key("total");
    writeValue(w, e.total, lowerBound);
    if (lowerBound) {
        w.key("lower_bound");
        w.value(true);
    }
    if (const auto rep = compareReported(rec, e)) {
        w.key("reported");
        w.beginObject();
        w.key("training_flop");
        writeExactValue(w, rep->trainingFlop);
        w.key("source");
        w.value(rep->source);
        w.key("ratio");
        writeNumber(w, rep->ratio);
        if (!rep->explanation.empty()) {
            w.key("explanation");
            w.value(rep->explanation);
        }
        w.endObject();
    }
    w.key("stages");
    w.beginArray();
    for (std::size_t i = 0; i < e.stages.size(); ++i) writeStage(w, rec, e, i);
    w.endArray();
    // Code and pointer: the messages are the default output's (docs/errors.md names the codes).
    w.key("warnings");
    w.beginArray();
    for (const auto& d : e.warnings) {
        w.beginArray();
        w.value(codeText(d.code));
        w.value(d.pointer);
        w.endArray();
    }
    w.endArray();
}

void appendStatus(std::string& out, const std::optional<VerdictStatus>& s) {
    if (!s) {
        out += "null";
        return;
    }
    out += '"';
    out += toString(*s);
    out += '"';
}

void appendNumber(std::string& out, const std::optional<double>& x) {
    if (!x) {
        out += "null";
        return;
    }
    char buf[64];
    out.append(buf, Writer::formatNumber(*x, buf));
}

// One outcome: [status, compute_status, counted_flop, threshold, comparator, margin_log10,
// probability] and, only when one is set, an object of the optional decision fields.
void appendOutcome(std::string& out, const Verdict& v) {
    out += "[\"";
    out += toString(v.status);
    out += "\",";
    appendStatus(out, v.computeStatus);
    out += ',';
    if (v.countedFlop) {
        appendValue(out, *v.countedFlop, v.lowerBound && v.assumptions.empty());
    } else {
        out += "null";
    }
    out += ',';
    if (v.threshold) {
        out += '"';
        appendShortExact(out, *v.threshold);
        out += '"';
    } else {
        out += "null";
    }
    out += ',';
    out += '"';
    out += v.comparator;  // ">", ">=", "<", "<=" or "unstated": nothing to escape
    out += "\",";
    appendNumber(out, v.marginLog10);
    out += ',';
    appendNumber(out, v.probability);
    if (!v.missing.empty() || !v.assumptions.empty() || v.lowerBound) {
        out += ',';
        Writer w(out, -1, Writer::Nested{});  // a writer of its own for the escaping
        w.beginObject();
        if (!v.missing.empty()) {
            w.key("missing");
            writeStrings(w, v.missing);
        }
        if (!v.assumptions.empty()) {
            w.key("assumptions");
            writeStrings(w, v.assumptions);
        }
        if (v.lowerBound) {
            w.key("lower_bound");
            w.value(true);
            w.key("disclosed_status");
            if (v.disclosedStatus) {
                w.value(toString(*v.disclosedStatus));
            } else {
                w.null();
            }
            if (v.crossingFlop) {
                w.key("crossing_flop");
                writeExactValue(w, *v.crossingFlop);
                w.key("crossing_ratio");
                if (v.crossingRatio) {
                    writeNumber(w, *v.crossingRatio);
                } else {
                    w.null();
                }
            }
        }
        w.endObject();
    }
    out += ']';
}

bool sameDouble(const std::optional<double>& a, const std::optional<double>& b) {
    // Bitwise: -0.0 == 0.0 would print differently.
    if (a.has_value() != b.has_value()) return false;
    return !a || std::memcmp(&*a, &*b, sizeof(double)) == 0;
}

bool sameOptExact(const std::optional<Exact>& a, const std::optional<Exact>& b) {
    if (a.has_value() != b.has_value()) return false;
    return !a || detail::sameExact(*a, *b);
}

// Every field appendOutcome prints, compared by value: equal fields print the same outcome, so
// the fast path skips formatting a verdict that repeats an earlier one of the record (most do:
// several policies count the same compute against the same threshold). Unequal fields are
// formatted and compared as text, as the reference does for every verdict.
bool sameOutcome(const Verdict& a, const Verdict& b) {
    if (a.status != b.status || a.computeStatus != b.computeStatus ||
        a.lowerBound != b.lowerBound || a.disclosedStatus != b.disclosedStatus ||
        a.comparator != b.comparator || a.missing != b.missing || a.assumptions != b.assumptions ||
        !sameDouble(a.marginLog10, b.marginLog10) || !sameDouble(a.probability, b.probability) ||
        !sameDouble(a.crossingRatio, b.crossingRatio) || !sameOptExact(a.threshold, b.threshold) ||
        !sameOptExact(a.crossingFlop, b.crossingFlop))
        return false;
    if (a.countedFlop.has_value() != b.countedFlop.has_value()) return false;
    return !a.countedFlop || (detail::sameExact(a.countedFlop->low, b.countedFlop->low) &&
                              detail::sameExact(a.countedFlop->central, b.countedFlop->central) &&
                              detail::sameExact(a.countedFlop->high, b.countedFlop->high));
}

// "outcomes": the distinct verdicts in first-seen order; "verdicts": policy id -> outcome index.
void writeVerdicts(Writer& w, const DatedVerdicts& d) {
    thread_local std::vector<std::string> outcomes;
    thread_local std::vector<std::size_t> index;
    std::size_t used = 0;
    index.clear();
    thread_local std::string text;
    // The first verdict of each group of equal ones (sameOutcome is an equivalence): a verdict
    // is compared with these few instead of with every verdict before it.
    thread_local std::vector<std::size_t> firsts;
    firsts.clear();
    for (std::size_t i = 0; i < d.verdicts.size(); ++i) {
        const Verdict& v = d.verdicts[i];
        if constexpr (detail::kFastPaths) {
            std::size_t g = 0;
            while (g < firsts.size() && !sameOutcome(d.verdicts[firsts[g]], v)) ++g;
            if (g < firsts.size()) {
                index.push_back(index[firsts[g]]);
                continue;
            }
            firsts.push_back(i);
        }
        text.clear();
        appendOutcome(text, v);
        std::size_t k = 0;
        while (k < used && outcomes[k] != text) ++k;
        if (k == used) {
            if (used == outcomes.size()) outcomes.emplace_back();
            outcomes[used++].swap(text);
        }
        index.push_back(k);
    }
    w.key("outcomes");
    w.beginArray();
    for (std::size_t k = 0; k < used; ++k) w.raw(outcomes[k]);
    w.endArray();
    w.key("verdicts");
    w.beginObject();
    for (std::size_t i = 0; i < d.verdicts.size(); ++i) {
        // Policy ids follow the record-id rule: nothing to escape.
        w.key(d.verdicts[i].policy);
        w.raw(std::to_string(index[i]));
    }
    w.endObject();
}

}  // namespace

std::string compactExactText(const Exact& value) {
    std::string out;
    appendShortExact(out, value);
    return out;
}

void appendCompactJson(std::string& out, const RecordAssessment& r, std::size_t dateIndex,
                       bool evaluate) {
    Writer w(out, -1);
    w.beginObject();
    w.key("id");
    w.value(r.id());
    if (r.isCluster()) {
        w.key("name");
        w.value(std::get<ClusterRecord>(*r.record).name);
        w.key("type");
        w.value("cluster");
    } else {
        const ModelRecord& model = std::get<ModelRecord>(*r.record);
        w.key("name");
        w.value(model.name);
        if (!model.layer.empty()) {
            w.key("layer");
            w.value(model.layer);
        }
        if (r.estimate) writeEstimate(w, model, *r.estimate);
    }
    if (evaluate) {
        const DatedVerdicts& d = r.dates.at(dateIndex);
        w.key("as_of");
        w.value(detail::isoDayText(d.asOf));
        writeVerdicts(w, d);
    }
    w.endObject();
}

std::string compactJsonDocument(const std::vector<RecordAssessment>& results, bool evaluate) {
    std::string out = "[";
    bool first = true;
    for (const auto& r : results) {
        const std::size_t n = evaluate ? r.dates.size() : 1;
        for (std::size_t i = 0; i < n; ++i) {
            out += first ? "\n" : ",\n";
            first = false;
            appendCompactJson(out, r, i, evaluate);
        }
    }
    out += first ? "]\n" : "\n]\n";
    return out;
}

std::string compactJsonLinesDocument(const std::vector<RecordAssessment>& results, bool evaluate) {
    std::string out;
    for (const auto& r : results) {
        const std::size_t n = evaluate ? r.dates.size() : 1;
        for (std::size_t i = 0; i < n; ++i) {
            appendCompactJson(out, r, i, evaluate);
            out += '\n';
        }
    }
    return out;
}

std::string compactCsvHeader(bool evaluate) {
    if (evaluate) {
        return "id,as_of,policy,status,compute_status,counted_low,counted_central,counted_high,"
               "threshold,comparator,margin_log10,probability,missing,assumptions,lower_bound,"
               "disclosed_status,crossing_flop\r\n";
    }
    return "id,convention,total_low,total_central,total_high,method,lower_bound\r\n";
}

void appendCompactCsvRows(std::string& out, const RecordAssessment& r, bool evaluate) {
    const std::string id = csvField(r.id());
    if (!evaluate) {
        out += id;
        out += ',';
        if (r.estimate) {
            const ModelEstimate& e = *r.estimate;
            const bool lowerBound = e.stages.empty() || detail::incomplete(e);
            out += toString(e.convention);
            out += ',';
            out += detail::exactText(e.total.low);
            out += ',';
            out += detail::exactText(e.total.central);
            out += ',';
            if (!lowerBound) out += detail::exactText(e.total.high);
            out += ',';
            out += csvField(detail::methodSummary(e, false));
            out += lowerBound ? ",true\r\n" : ",false\r\n";
        } else {
            out += ",,,,,false\r\n";
        }
        return;
    }
    for (const DatedVerdicts& d : r.dates) {
        const std::string& day = detail::isoDayText(d.asOf);
        for (const Verdict& v : d.verdicts) {
            out += id;
            out += ',';
            out += day;
            out += ',';
            detail::appendCsvField(out, v.policy);
            out += ',';
            out += toString(v.status);
            out += ',';
            if (v.computeStatus) out += toString(*v.computeStatus);
            out += ',';
            if (v.countedFlop) {
                const bool unbounded = v.lowerBound && v.assumptions.empty();
                out += detail::exactText(v.countedFlop->low);
                out += ',';
                out += detail::exactText(v.countedFlop->central);
                out += ',';
                if (!unbounded) out += detail::exactText(v.countedFlop->high);
                out += ',';
            } else {
                out += ",,,";
            }
            if (v.threshold) out += detail::exactText(*v.threshold);
            out += ',';
            detail::appendCsvField(out, v.comparator);
            out += ',';
            if (v.marginLog10) out += detail::fixed6(*v.marginLog10);
            out += ',';
            if (v.probability) out += detail::fixed6(*v.probability);
            out += ',';
            detail::appendCsvField(out, detail::joined(v.missing, "; "));
            out += ',';
            detail::appendCsvField(out, detail::joined(v.assumptions, "; "));
            out += v.lowerBound ? ",true," : ",false,";
            if (v.disclosedStatus) out += toString(*v.disclosedStatus);
            out += ',';
            if (v.crossingFlop) out += detail::exactText(*v.crossingFlop);
            out += "\r\n";
        }
    }
}

}  // namespace flopledger::inline v1
