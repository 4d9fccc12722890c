// Report writers: text tables, Markdown memos, CSV, JSON and JSON Lines (report.hpp).
#include <flopledger/report.hpp>

#include "base/number_text.hpp"
#include "output/report_spill.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

namespace flopledger {
namespace {

// ---- shared helpers --------------------------------------------------------------------------

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
    std::vector<Method> seen;
    for (const auto& s : e.stages) {
        if (s.method && std::find(seen.begin(), seen.end(), *s.method) == seen.end()) {
            seen.push_back(*s.method);
        }
    }
    if (seen.empty()) {
        return "none";
    }
    std::string out;
    for (Method m : seen) {
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
    if (v.isPoint()) {
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
    std::snprintf(buf, sizeof buf, "%+.2f", r);
    return buf;
}

std::string probabilityText(double p) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", p);
    return buf;
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
    std::string out;
    std::string line(first, ' ');
    std::size_t pos = 0;
    bool lineHasWord = false;
    while (pos < text.size()) {
        std::size_t end = text.find(' ', pos);
        if (end == std::string::npos) {
            end = text.size();
        }
        const std::string word = text.substr(pos, end - pos);
        pos = end + 1;
        if (word.empty()) {
            continue;
        }
        if (lineHasWord && line.size() + 1 + word.size() > width) {
            out += line + "\n";
            line = std::string(rest, ' ');
            lineHasWord = false;
        }
        if (lineHasWord) {
            line += ' ';
        }
        line += word;
        lineHasWord = true;
    }
    return out + line + "\n";
}

// ---- JSON, JSON Lines and CSV: fragments rendered per record ------------------------------

std::string csvHeader(bool evaluate) {
    if (evaluate) {
        return "id,name,as_of,policy,status,in_force,legal_status,counted_low,counted_central,"
               "counted_high,threshold,comparator,margin_log10,probability,total_low,"
               "total_central,total_high,method,missing,notes\r\n";
    }
    return "id,name,convention,total_low,total_central,total_high,method,stages,warnings\r\n";
}

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
    std::snprintf(buf, sizeof buf, "%.6f", x);
    std::string s = buf;
    return s == "-0.000000" ? "0.000000" : s;
}

// The per-thread state of csvRows: the policy-dependent fields of each verdict position, and
// per record the texts of its counted intervals and doubles (they repeat across policies).
struct CsvVerdict {
    bool valid = false;
    std::string policy, legalStatus, policyField, legalField;
    bool hasThreshold = false;
    detail::SmallInt threshold;
    std::string comparator, limitField;
    std::vector<std::string> missing, notes;
    std::string listsField;
};

struct CsvCache {
    std::vector<std::vector<CsvVerdict>> verdicts;  // [date][verdict]

    struct IntervalText {
        detail::SmallInt key[3];
        std::string text;  // "low,central,high,"
    };
    std::vector<IntervalText> intervals;
    std::size_t intervalsUsed = 0;
    struct NumberText {
        std::uint64_t bits = 0;
        std::string text;
    };
    std::vector<NumberText> numbers;
    std::size_t numbersUsed = 0;

    void startRecord() {
        intervalsUsed = 0;
        numbersUsed = 0;
    }
    void appendInterval(std::string& out, const Interval& v) {
        detail::SmallInt key[3];
        if (!detail::smallInt(v.low, key[0]) || !detail::smallInt(v.central, key[1]) ||
            !detail::smallInt(v.high, key[2])) {
            detail::appendExact(out, v.low);
            out += ',';
            detail::appendExact(out, v.central);
            out += ',';
            detail::appendExact(out, v.high);
            out += ',';
            return;
        }
        for (std::size_t i = 0; i < intervalsUsed; ++i) {
            const IntervalText& e = intervals[i];
            if (e.key[0] == key[0] && e.key[1] == key[1] && e.key[2] == key[2]) {
                out += e.text;
                return;
            }
        }
        if (intervalsUsed == intervals.size()) {
            intervals.emplace_back();
        }
        IntervalText& e = intervals[intervalsUsed++];
        std::copy(std::begin(key), std::end(key), e.key);
        e.text.clear();
        detail::appendExact(e.text, v.low);
        e.text += ',';
        detail::appendExact(e.text, v.central);
        e.text += ',';
        detail::appendExact(e.text, v.high);
        e.text += ',';
        out += e.text;
    }
    // fixed6(x), formatted once per distinct value of the record (by its bits).
    const std::string& fixed(double x) {
        std::uint64_t bits = 0;
        std::memcpy(&bits, &x, sizeof bits);
        for (std::size_t i = 0; i < numbersUsed; ++i) {
            if (numbers[i].bits == bits) {
                return numbers[i].text;
            }
        }
        if (numbersUsed == numbers.size()) {
            numbers.emplace_back();
        }
        NumberText& e = numbers[numbersUsed++];
        e.bits = bits;
        e.text = fixed6(x);
        return e.text;
    }
};

CsvCache& csvCache() {
    static thread_local CsvCache cache;
    return cache;
}

std::string csvRows(const ReportOptions& o, const RecordAssessment& r) {
    std::string out;
    const std::string id = csvField(r.id());
    const std::string name = csvField(recordName(r));
    std::string totals = ",,,";
    std::string method;
    if (r.estimate) {
        const Interval& t = r.estimate->total;
        totals = exactText(t.low) + "," + exactText(t.central) + "," + exactText(t.high) + ",";
        method = csvField(methodSummary(*r.estimate, false));
    }
    if (!o.evaluate) {
        std::vector<std::string> warnings;
        std::size_t stages = 0;
        std::string convention;
        if (r.estimate) {
            for (const auto& w : r.estimate->warnings) {
                warnings.push_back(warningText(w));
            }
            stages = r.estimate->stages.size();
            convention = toString(r.estimate->convention);
        }
        out += id + "," + name + "," + convention + "," + totals + method + "," +
               std::to_string(stages) + "," + csvField(joined(warnings, "; ")) + "\r\n";
        return out;
    }
    // One row per verdict. Most of a row's bytes depend only on the policy (its id, legal
    // status, threshold, comparator, missing inputs and notes as CSV fields): they are kept per
    // thread, date and verdict position and reused when the inputs are equal.
    CsvCache& cache = csvCache();
    cache.startRecord();
    std::string tail = totals;  // the fields after probability, up to the missing inputs
    tail += method;
    tail += ',';
    for (std::size_t di = 0; di < r.dates.size(); ++di) {
        const DatedVerdicts& d = r.dates[di];
        std::string prefix = id;
        prefix += ',';
        prefix += name;
        prefix += ',';
        prefix += d.asOf.toIsoDay();
        prefix += ',';
        if (cache.verdicts.size() <= di) {
            cache.verdicts.resize(di + 1);
        }
        auto& slots = cache.verdicts[di];
        if (slots.size() < d.verdicts.size()) {
            slots.resize(d.verdicts.size());
        }
        out.reserve(out.size() + d.verdicts.size() * (prefix.size() + tail.size() + 400));
        for (std::size_t vi = 0; vi < d.verdicts.size(); ++vi) {
            const Verdict& v = d.verdicts[vi];
            CsvVerdict& c = slots[vi];
            if (!c.valid || c.policy != v.policy || c.legalStatus != v.legalStatus) {
                c.valid = false;  // (until every field is rebuilt: never stale after a failure)
                c.policy = v.policy;
                c.legalStatus = v.legalStatus;
                c.policyField = csvField(v.policy);
                c.legalField = csvField(v.legalStatus);
            }
            detail::SmallInt threshold;
            const bool small = v.threshold && detail::smallInt(*v.threshold, threshold);
            if (!c.valid || !(small || !v.threshold) || c.hasThreshold != small ||
                (small && !(c.threshold == threshold)) || c.comparator != v.comparator) {
                c.valid = false;
                c.hasThreshold = small;
                c.threshold = threshold;
                c.comparator = v.comparator;
                c.limitField = v.threshold ? exactText(*v.threshold) : std::string();
                c.limitField += ',';
                c.limitField += csvField(v.comparator);
                c.limitField += ',';
            }
            if (!c.valid || c.missing != v.missing || c.notes != v.notes) {
                c.valid = false;
                c.missing = v.missing;
                c.notes = v.notes;
                c.listsField = csvField(joined(v.missing, "; "));
                c.listsField += ',';
                c.listsField += csvField(joined(v.notes, "; "));
                c.listsField += "\r\n";
            }
            c.valid = true;
            out += prefix;
            out += c.policyField;
            out += ',';
            out += toString(v.status);
            out += v.inForce ? ",true," : ",false,";
            out += c.legalField;
            out += ',';
            if (v.countedFlop) {
                cache.appendInterval(out, *v.countedFlop);
            } else {
                out += ",,,";
            }
            if (small || !v.threshold) {
                out += c.limitField;
            } else {
                out += exactText(*v.threshold);  // a fraction or a huge threshold: not kept
                out += ',';
                out += csvField(v.comparator);
                out += ',';
                c.valid = false;
            }
            if (v.marginLog10) {
                out += cache.fixed(*v.marginLog10);
            }
            out += ',';
            if (v.probability) {
                out += cache.fixed(*v.probability);
            }
            out += ',';
            out += tail;
            out += c.listsField;
        }
    }
    return out;
}

// Writers of the streamable formats only concatenate fragments; JSON adds the brackets.
class StreamWriter : public ReportWriter {
public:
    StreamWriter(const ReportOptions& o, std::ostream& out) : o_(o), out_(out) {
        if (o_.format == ReportFormat::Csv) {
            out_ << csvHeader(o_.evaluate);
        }
    }
    void add(const RecordAssessment& r) override { addRendered(renderFragment(o_, r)); }
    void addRendered(const std::string& fragment) override {
        if (fragment.empty()) {
            return;
        }
        if (o_.format == ReportFormat::Json) {
            out_ << (first_ ? "[\n" : ",\n");
            first_ = false;
        }
        out_ << fragment;
    }
    void finish() override {
        if (o_.format == ReportFormat::Json) {
            out_ << (first_ ? "[]\n" : "\n]\n");
        }
        out_.flush();
    }

private:
    ReportOptions o_;
    std::ostream& out_;
    bool first_ = true;
};

// ---- prepared records (text and Markdown) -----------------------------------------------------

// A prepared record is a sequence of entries, each a tag byte and length-prefixed fields; it never
// leaves the process, so the lengths are in native byte order.
void putField(std::string& out, std::string_view bytes) {
    const auto n = static_cast<std::uint32_t>(bytes.size());
    out.append(reinterpret_cast<const char*>(&n), sizeof n);
    out.append(bytes);
}

class PreparedReader {
public:
    explicit PreparedReader(std::string_view data) : data_(data) {}
    bool done() const { return pos_ >= data_.size(); }
    char tag() { return need(1), data_[pos_++]; }
    std::string_view field() {
        std::uint32_t n = 0;
        need(sizeof n);
        std::memcpy(&n, data_.data() + pos_, sizeof n);
        pos_ += sizeof n;
        need(n);
        std::string_view out = data_.substr(pos_, n);
        pos_ += n;
        return out;
    }

private:
    void need(std::size_t n) const {
        if (data_.size() - pos_ < n) {
            throw std::logic_error("addPrepared: truncated prepared record");
        }
    }
    std::string_view data_;
    std::size_t pos_ = 0;
};

// ---- text ------------------------------------------------------------------------------------

class TextWriter : public ReportWriter {
public:
    TextWriter(const ReportOptions& o, std::ostream& out, std::size_t spillThreshold)
        : o_(o),
          out_(out),
          rows_(spillThreshold),
          notes_(spillThreshold),
          missing_(spillThreshold) {}

    void add(const RecordAssessment& r) override {
        if (!haveFirst_) {
            policies_ = policiesOf(o_, &r);
            haveFirst_ = true;
        }
        scratch_.clear();
        render(r, policies_, scratch_);
        absorb(scratch_);
    }

    bool prepares() const override { return !o_.policies.empty(); }
    void prepare(std::string& out, const RecordAssessment& r) const override {
        render(r, o_.policies, out);
    }
    void addPrepared(std::string_view prepared) override {
        if (!haveFirst_) {
            policies_ = o_.policies;
            haveFirst_ = true;
        }
        absorb(prepared);
    }

private:
    // The record's rows, notes, missing inputs and verdict counts as a prepared record: tag 'R'
    // (six fields), 'N' and 'M' (one wrapped item), 'C' (policy id, status digit).
    void render(const RecordAssessment& r, const std::vector<PolicySummary>& policies,
                std::string& out) const {
        Row row;
        row.id = r.id();
        std::vector<Row> children;
        if (r.estimate) {
            const ModelEstimate& e = *r.estimate;
            row.total = totalText(e, o_.digits);
            row.range = rangeText(e.total, o_.digits);
            row.method = methodSummary(e, true);
            if (!o_.evaluate && e.stages.size() > 1) {
                for (const auto& s : e.stages) {
                    Row sub;
                    sub.id = "  " + std::string(toString(s.kind));
                    if (!s.label.empty()) {
                        sub.id += " (" + s.label + ")";
                    }
                    sub.total = sci(s.flop.central, o_.digits);
                    sub.range = rangeText(s.flop, o_.digits);
                    sub.method = s.method ? std::string(methodShort(*s.method)) : "none";
                    children.push_back(std::move(sub));
                }
            }
            // Wrapping depends only on the width, so items are stored as their final lines.
            for (const auto& n : groupedWarnings(e.warnings)) {
                out += 'N';
                putField(out, wrap(r.id() + ": " + n, o_.width, 2, 6));
            }
        } else {
            row.total = "cluster";
            row.range = "";
            row.method = "";
        }
        if (o_.evaluate) {
            std::vector<std::string> missing;
            for (const auto& d : r.dates) {
                Row dated = row;
                dated.asOf = d.asOf.toIsoDay();
                for (const auto& p : policies) {
                    const Verdict* v = findVerdict(d, p.id);
                    dated.verdicts += verdictSymbol(v);
                    if (v != nullptr && v->status == VerdictStatus::Unknown) {
                        for (const auto& m : v->missing) {
                            if (std::find(missing.begin(), missing.end(), m) == missing.end()) {
                                missing.push_back(m);
                            }
                        }
                    }
                    if (v != nullptr) {
                        out += 'C';
                        putField(out, v->policy);
                        putField(out, std::string(
                                          1, static_cast<char>('0' + static_cast<int>(v->status))));
                    }
                }
                putRow(out, dated);
            }
            if (!missing.empty()) {
                out += 'M';
                putField(out, wrap(r.id() + ": " + joined(missing, ", "), o_.width, 2, 6));
            }
        } else {
            putRow(out, row);
            for (const auto& c : children) {
                putRow(out, c);
            }
        }
    }

    // Merges a prepared record: rows wait in the spill buffer for the column widths.
    void absorb(std::string_view prepared) {
        PreparedReader in(prepared);
        while (!in.done()) {
            switch (in.tag()) {
                case 'R': {
                    std::array<std::string_view, 6> f;
                    for (auto& x : f) {
                        x = in.field();
                    }
                    idW_ = std::max(idW_, f[0].size());
                    totW_ = std::max(totW_, f[2].size());
                    rangeW_ = std::max(rangeW_, f[3].size());
                    methodW_ = std::max(methodW_, f[4].size());
                    for (auto x : f) {
                        rows_.appendField(x);
                    }
                    break;
                }
                case 'N':
                    notes_.append(in.field());
                    break;
                case 'M':
                    missing_.append(in.field());
                    break;
                case 'C': {
                    const std::string_view policy = in.field();
                    const int status = in.field().at(0) - '0';
                    counts_[std::string(policy)][status]++;
                    break;
                }
                default:
                    throw std::logic_error("addPrepared: not a text report's prepared record");
            }
        }
    }

public:
    void finish() override {
        const bool multiDate = o_.asOf.size() > 1;
        std::string head = o_.evaluate ? o_.title : "FLOP Ledger estimate";
        head += " (convention " + std::string(toString(o_.convention));
        if (o_.evaluate && !o_.asOf.empty()) {
            head += ", as of " + datesText(o_.asOf);
        }
        head += ")";
        out_ << head << "\n";
        out_ << "FLOP values rounded to " << o_.digits
             << " significant digits; range is the uncertainty interval (- when exact);\n"
                "\">=\" marks a total missing a stage no method could estimate.\n\n";

        // Column widths from the data (measured as rows arrived), capped so the table fits the
        // terminal.
        std::size_t idW = idW_, totW = totW_, rangeW = rangeW_, methodW = methodW_;
        const std::size_t verdictW = o_.evaluate ? policies_.size() * 2 : 0;
        const std::size_t dateW = multiDate ? 11 : 0;
        const std::size_t fixed = totW + rangeW + methodW + verdictW + dateW + 4;
        const std::size_t maxId = o_.width > fixed + 12 ? o_.width - fixed : 12;
        idW = std::min(idW, std::max<std::size_t>(maxId, 12));

        std::string header = padRight("model", idW) + " ";
        if (multiDate) {
            header += padRight("as of", 10) + " ";
        }
        header += padRight("total FLOP", totW) + " " + padRight("range", rangeW) + " " +
                  padRight("method", methodW);
        if (o_.evaluate) {
            header += " ";
            for (std::size_t i = 0; i < policies_.size(); ++i) {
                header += ' ';
                header += columnLetter(i);
            }
        }
        out_ << rtrim(header) << "\n";
        out_ << std::string(rtrim(header).size(), '-') << "\n";
        auto line = [&](const Row& r) {
            std::string s = padRight(fit(r.id, idW), idW) + " ";
            if (multiDate) {
                s += padRight(r.asOf, 10) + " ";
            }
            s += padRight(r.total, totW) + " " + padRight(r.range, rangeW) + " " +
                 padRight(r.method, methodW);
            if (o_.evaluate) {
                s += " ";
                for (char c : r.verdicts) {
                    s += ' ';
                    s += c;
                }
            }
            out_ << rtrim(s) << "\n";
        };
        {
            SpillBuffer::Reader in(rows_);
            Row r;
            while (in.field(r.id) && in.field(r.asOf) && in.field(r.total) && in.field(r.range) &&
                   in.field(r.method) && in.field(r.verdicts)) {
                line(r);
            }
        }
        if (rows_.empty()) {
            out_ << "(no records)\n";
        }
        if (o_.evaluate && !policies_.empty()) {
            out_ << "\nVerdicts: X exceeds (policy in force)  x exceeds (not in force)  "
                    "? indeterminate\n          . below  - unknown (input missing)  blank: "
                    "policy does not apply\n";
            std::size_t pw = 0;
            for (const auto& p : policies_) {
                pw = std::max(pw, p.id.size());
            }
            for (std::size_t i = 0; i < policies_.size(); ++i) {
                const auto& p = policies_[i];
                const auto& c = counts_[p.id];
                // Counts of X/x, ? and - in this column, then the status and title.
                std::string counts = std::to_string(c[0]) + "X";
                counts += c[2] > 0 ? " " + std::to_string(c[2]) + "?" : std::string();
                counts += c[3] > 0 ? " " + std::to_string(c[3]) + "-" : std::string();
                std::string s = std::string("  ") + columnLetter(i) + " " + padRight(p.id, pw) +
                                " " + padRight(p.status, 16) + " " + padRight(counts, 11) + " " +
                                p.title;
                out_ << rtrim(fit(s, o_.width)) << "\n";
            }
            out_ << "Status as of "
                 << (o_.asOf.empty() ? std::string() : o_.asOf.front().toIsoDay())
                 << ". Each policy counts the stages its scope includes; per-policy counted FLOP,\n"
                    "thresholds, margins and citations are in --format md and json.\n";
        }
        auto wrapped = [&](const std::string& title, SpillBuffer& items) {
            if (items.empty()) {
                return;
            }
            out_ << "\n" << title << "\n";
            SpillBuffer::Reader(items).copyTo(out_);
        };
        wrapped("Assumptions and warnings:", notes_);
        wrapped("Missing inputs (verdicts marked -):", missing_);
        out_.flush();
    }

private:
    struct Row {
        std::string id, asOf, total, range, method, verdicts;
    };
    static void putRow(std::string& out, const Row& r) {
        out += 'R';
        for (const std::string* f : {&r.id, &r.asOf, &r.total, &r.range, &r.method, &r.verdicts}) {
            putField(out, *f);
        }
    }

    ReportOptions o_;
    std::ostream& out_;
    bool haveFirst_ = false;
    std::vector<PolicySummary> policies_;
    std::size_t idW_ = 5, totW_ = 10, rangeW_ = 5, methodW_ = 6;
    SpillBuffer rows_;     // six fields per table line, in order
    SpillBuffer notes_;    // "Assumptions and warnings" items, wrapped
    SpillBuffer missing_;  // "Missing inputs" items, wrapped
    std::map<std::string, std::array<int, 5>> counts_;
    std::string scratch_;  // add(): the prepared record, reused
};

// ---- Markdown --------------------------------------------------------------------------------

std::uint64_t nextWriterId() {
    static std::atomic<std::uint64_t> next{1};
    return next.fetch_add(1, std::memory_order_relaxed);
}

// Characters mdEscape changes: 1 gets a backslash in front, 2 becomes a space.
constexpr std::array<unsigned char, 256> kMdSpecial = [] {
    std::array<unsigned char, 256> t{};
    for (unsigned char c : std::string_view("|*_`[]<>\\")) {
        t[c] = 1;
    }
    t['\n'] = 2;
    t['\r'] = 2;
    return t;
}();

void appendMdEscaped(std::string& out, std::string_view s) {
    // Plain runs in one append each (notes are long and rarely need escaping).
    std::size_t start = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const unsigned char kind = kMdSpecial[static_cast<unsigned char>(s[i])];
        if (kind == 0) {
            continue;
        }
        out.append(s.data() + start, i - start);
        if (kind == 1) {
            out += '\\';
            out += s[i];
        } else {
            out += ' ';
        }
        start = i + 1;
    }
    out.append(s.data() + start, s.size() - start);
}

std::string mdEscape(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 8);
    appendMdEscaped(out, s);
    return out;
}

class MarkdownWriter : public ReportWriter {
public:
    MarkdownWriter(const ReportOptions& o, std::ostream& out, std::size_t spillThreshold)
        : o_(o), out_(out), summary_(spillThreshold), sections_(spillThreshold) {}

    void add(const RecordAssessment& r) override {
        if (!haveFirst_) {
            policies_ = policiesOf(o_, &r);
            haveFirst_ = true;
        }
        std::string summary, section;
        render(r, policies_, caches_, summary, section);
        summary_.append(summary);
        sections_.append(section);
    }

    bool prepares() const override { return !o_.policies.empty(); }
    // A prepared record: its summary lines and its section, as two fields.
    void prepare(std::string& out, const RecordAssessment& r) const override {
        // The formatting caches are per thread; they belong to one writer at a time (its id),
        // since their cells depend on the options.
        thread_local Caches caches;
        if (caches.owner != id_) {
            caches = Caches{};
            caches.owner = id_;
        }
        std::string summary, section;
        render(r, o_.policies, caches, summary, section);
        putField(out, summary);
        putField(out, section);
    }
    void addPrepared(std::string_view prepared) override {
        if (!haveFirst_) {
            policies_ = o_.policies;
            haveFirst_ = true;
        }
        PreparedReader in(prepared);
        summary_.append(in.field());
        sections_.append(in.field());
        if (!in.done()) {
            throw std::logic_error("addPrepared: not a Markdown report's prepared record");
        }
    }

private:
    struct MdVerdict {
        bool valid = false;
        std::string policy, legalStatus;
        bool inForce = false;
        std::vector<std::string> missing, notes;
        std::string policyCell, legalCell, remarks;
        bool thresholdValid = false;
        detail::SmallInt threshold;
        std::string comparator, thresholdCell;
    };
    // Cells reused across records when their inputs are equal, and values formatted once per
    // record.
    struct Caches {
        std::uint64_t owner = 0;                    // the writer (id_) they were made for
        std::vector<std::vector<MdVerdict>> cells;  // [date][verdict]
        std::vector<std::pair<detail::SmallInt, std::string>> sciTexts;
        std::vector<std::pair<std::pair<std::uint64_t, bool>, std::string>> numberTexts;
        std::string scratch;
    };

    // The record's summary lines and section (final Markdown bytes).
    void render(const RecordAssessment& r, const std::vector<PolicySummary>& policies,
                Caches& caches, std::string& summary, std::string& section) const {
        std::ostringstream s;
        std::string name;
        std::string developer;
        if (r.isCluster()) {
            name = std::get<ClusterRecord>(*r.record).name;
        } else {
            const auto& m = std::get<ModelRecord>(*r.record);
            name = m.name;
            developer = m.developer;
        }
        s << "### " << mdEscape(r.id());
        if (!name.empty() && name != r.id()) {
            s << " — " << mdEscape(name);
        }
        if (!developer.empty()) {
            s << " (" << mdEscape(developer) << ")";
        }
        s << "\n\n";
        SummaryRow row;
        row.id = r.id();
        if (r.estimate) {
            const ModelEstimate& e = *r.estimate;
            row.total = totalText(e, o_.digits);
            row.range = rangeText(e.total, o_.digits);
            row.method = methodSummary(e, false);
            s << "- Training compute, all stages: **" << row.total << " FLOP**";
            if (incomplete(e)) {
                s << " (a stage could not be estimated and counts as 0)";
            }
            if (!e.total.isPoint()) {
                s << " (range " << sci(e.total.low, o_.digits) << " to "
                  << sci(e.total.high, o_.digits) << ")";
            }
            s << "\n- Method: " << row.method << " (convention " << toString(e.convention)
              << ")\n\n";
            s << "| stage | method | FLOP | range |\n|---|---|---|---|\n";
            for (const auto& st : e.stages) {
                s << "| " << toString(st.kind);
                if (!st.label.empty()) {
                    s << " (" << mdEscape(st.label) << ")";
                }
                s << " | " << (st.method ? toString(*st.method) : std::string_view("none")) << " | "
                  << sci(st.flop.central, o_.digits) << " | " << rangeText(st.flop, o_.digits)
                  << " |\n";
            }
            s << "\n";
        }
        caches.sciTexts.clear();
        caches.numberTexts.clear();
        for (std::size_t di = 0; di < r.dates.size(); ++di) {
            const DatedVerdicts& d = r.dates[di];
            if (o_.asOf.size() > 1) {
                s << "As of " << d.asOf.toIsoDay() << ":\n\n";
            }
            s << "| policy | verdict | counted FLOP | threshold | margin (log10) | P(exceeds) "
                 "| legal status |\n|---|---|---|---|---|---|---|\n";
            // The policy-dependent cells and remarks are kept per date and verdict position
            // and reused when their inputs are equal; values repeated within a record (counted
            // FLOP, margins) are formatted once per record.
            if (caches.cells.size() <= di) {
                caches.cells.resize(di + 1);
            }
            auto& slots = caches.cells[di];
            if (slots.size() < d.verdicts.size()) {
                slots.resize(d.verdicts.size());
            }
            std::string rows;
            std::string remarks;
            for (std::size_t vi = 0; vi < d.verdicts.size(); ++vi) {
                const Verdict& v = d.verdicts[vi];
                MdVerdict& c = slots[vi];
                if (!c.valid || c.policy != v.policy || c.legalStatus != v.legalStatus ||
                    c.inForce != v.inForce || c.missing != v.missing || c.notes != v.notes) {
                    c.valid = false;  // (until every cell is rebuilt)
                    c.policy = v.policy;
                    c.legalStatus = v.legalStatus;
                    c.inForce = v.inForce;
                    c.missing = v.missing;
                    c.notes = v.notes;
                    c.policyCell = "| " + mdEscape(v.policy) + " | ";
                    c.legalCell = " | " + mdEscape(v.legalStatus) +
                                  (v.inForce ? "" : " (not in force)") + " |\n";
                    c.remarks.clear();
                    if (!v.missing.empty()) {
                        c.remarks += "- **" + mdEscape(v.policy) + "** needs " +
                                     mdEscape(joined(v.missing, ", ")) + "\n";
                    }
                    for (const auto& n : v.notes) {
                        c.remarks += "- " + mdEscape(v.policy) + ": " + mdEscape(n) + "\n";
                    }
                    c.thresholdValid = false;
                }
                c.valid = true;
                rows += c.policyCell;
                if (v.status == VerdictStatus::Exceeds) {
                    rows += "**exceeds**";
                } else {
                    rows += toString(v.status);
                }
                rows += " | ";
                if (v.countedFlop) {
                    rows += sciOnce(caches, v.countedFlop->central);
                } else {
                    rows += '-';
                }
                rows += " | ";
                if (v.threshold) {
                    detail::SmallInt t;
                    if (detail::smallInt(*v.threshold, t)) {
                        if (!c.thresholdValid || !(c.threshold == t) ||
                            c.comparator != v.comparator) {
                            c.thresholdValid = false;
                            c.threshold = t;
                            c.comparator = v.comparator;
                            c.thresholdCell = v.comparator + " " + sci(*v.threshold, o_.digits);
                            c.thresholdValid = true;
                        }
                        rows += c.thresholdCell;
                    } else {
                        rows += v.comparator + " " + sci(*v.threshold, o_.digits);
                    }
                } else {
                    rows += '-';
                }
                rows += " | ";
                rows +=
                    v.marginLog10 ? numberOnce(caches, *v.marginLog10, false) : std::string("-");
                rows += " | ";
                rows += v.probability ? numberOnce(caches, *v.probability, true) : std::string("-");
                rows += c.legalCell;
                remarks += c.remarks;
            }
            s << rows << "\n" << remarks;
            if (!remarks.empty()) {
                s << "\n";
            }
            SummaryRow dated = row;
            dated.asOf = d.asOf.toIsoDay();
            for (const auto& p : policies) {
                dated.verdicts.push_back(verdictSymbol(findVerdict(d, p.id)));
            }
            putSummary(summary, dated);
        }
        if (!o_.evaluate) {
            putSummary(summary, row);
        }
        if (r.estimate && !r.estimate->warnings.empty()) {
            s << "Assumptions and warnings:\n\n";
            for (const auto& w : r.estimate->warnings) {
                s << "- " << mdEscape(warningText(w)) << "\n";
            }
            s << "\n";
        }
        section = s.str();
    }

public:
    void finish() override {
        out_ << "# " << mdEscape(o_.evaluate ? o_.title : "FLOP Ledger estimate") << "\n\n";
        if (o_.evaluate && !o_.asOf.empty()) {
            out_ << "As of " << datesText(o_.asOf) << ". ";
        }
        out_ << "Convention: " << toString(o_.convention) << ". FLOP values are rounded to "
             << o_.digits << " significant digits; exact values are in the JSON output.\n\n";
        out_ << "## Summary\n\n| model |";
        const bool multiDate = o_.asOf.size() > 1;
        if (multiDate) {
            out_ << " as of |";
        }
        out_ << " total FLOP | range | method |";
        for (std::size_t i = 0; i < policies_.size() && o_.evaluate; ++i) {
            out_ << ' ' << columnLetter(i) << " |";
        }
        out_ << "\n|---|";
        if (multiDate) {
            out_ << "---|";
        }
        out_ << "---|---|---|";
        for (std::size_t i = 0; i < policies_.size() && o_.evaluate; ++i) {
            out_ << ":-:|";
        }
        out_ << "\n";
        SpillBuffer::Reader(summary_).copyTo(out_);
        out_ << "\n";
        if (o_.evaluate && !policies_.empty()) {
            out_ << "Verdicts: **X** exceeds (policy in force), **x** exceeds (not in force), "
                    "? indeterminate, . below, - unknown (input missing).\n\n";
            out_ << "## Policies\n\n";
            for (std::size_t i = 0; i < policies_.size(); ++i) {
                const auto& p = policies_[i];
                out_ << "- " << columnLetter(i) << " — `" << p.id << "`: " << mdEscape(p.title);
                if (!p.citation.empty()) {
                    out_ << ". " << mdEscape(p.citation);
                }
                if (!p.url.empty()) {
                    out_ << " <" << p.url << ">";
                }
                out_ << "\n";
            }
            out_ << "\n";
        }
        out_ << "## Models\n\n";
        SpillBuffer::Reader(sections_).copyTo(out_);
        out_.flush();
    }

private:
    struct SummaryRow {
        std::string id, asOf, total, range, method, verdicts;
    };
    // Summary lines need no alignment, so they are stored as their final bytes.
    void putSummary(std::string& out, const SummaryRow& r) const {
        const bool multiDate = o_.asOf.size() > 1;
        std::string s = "| " + mdEscape(r.id) + " |";
        if (multiDate) {
            s += ' ' + r.asOf + " |";
        }
        s += ' ' + r.total + " | " + r.range + " | " + r.method + " |";
        if (o_.evaluate) {
            for (char c : r.verdicts) {
                s += ' ';
                if (c == 'X' || c == 'x') {
                    s += "**";
                    s += c;
                    s += "**";
                } else {
                    s += c;
                }
                s += " |";
            }
        }
        s += '\n';
        out += s;
    }

    // sci(v, digits), once per distinct whole number of the record (by its exact value).
    const std::string& sciOnce(Caches& caches, const Exact& v) const {
        detail::SmallInt key;
        if (!detail::smallInt(v, key)) {
            caches.scratch = sci(v, o_.digits);
            return caches.scratch;
        }
        for (const auto& [k, text] : caches.sciTexts) {
            if (k == key) {
                return text;
            }
        }
        caches.sciTexts.emplace_back(key, sci(v, o_.digits));
        return caches.sciTexts.back().second;
    }
    // marginText or probabilityText, once per distinct double of the record (by its bits).
    const std::string& numberOnce(Caches& caches, double x, bool probability) const {
        std::uint64_t bits = 0;
        std::memcpy(&bits, &x, sizeof bits);
        for (const auto& [k, text] : caches.numberTexts) {
            if (k.first == bits && k.second == probability) {
                return text;
            }
        }
        caches.numberTexts.emplace_back(std::make_pair(bits, probability),
                                        probability ? probabilityText(x) : marginText(x));
        return caches.numberTexts.back().second;
    }

    ReportOptions o_;
    std::ostream& out_;
    bool haveFirst_ = false;
    std::vector<PolicySummary> policies_;
    Caches caches_;  // add()'s (prepare() uses one per thread)
    // Unique per writer, never reused (an address could be), so per-thread caches can tell
    // whose they are.
    const std::uint64_t id_ = nextWriterId();
    SpillBuffer summary_;   // summary table lines
    SpillBuffer sections_;  // the per-record sections, written after the summary
};

}  // namespace

std::string_view toString(ReportFormat f) {
    switch (f) {
        case ReportFormat::Text:
            return "text";
        case ReportFormat::Json:
            return "json";
        case ReportFormat::Jsonl:
            return "jsonl";
        case ReportFormat::Csv:
            return "csv";
        case ReportFormat::Markdown:
            return "md";
    }
    return "text";
}

std::optional<ReportFormat> parseReportFormat(std::string_view s) {
    if (s == "text") return ReportFormat::Text;
    if (s == "json") return ReportFormat::Json;
    if (s == "jsonl") return ReportFormat::Jsonl;
    if (s == "csv") return ReportFormat::Csv;
    if (s == "md" || s == "markdown") return ReportFormat::Markdown;
    return std::nullopt;
}

std::string csvField(std::string_view text) {
    if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
        return std::string(text);
    }
    std::string out;
    out.reserve(text.size() + 8);
    out += '"';
    // Runs between quotes in one append each; every quote is doubled.
    std::size_t start = 0;
    for (std::size_t q = text.find('"'); q != std::string_view::npos; q = text.find('"', q + 1)) {
        out.append(text.data() + start, q + 1 - start);
        out += '"';
        start = q + 1;
    }
    out.append(text.data() + start, text.size() - start);
    out += '"';
    return out;
}

std::string_view verdictWord(VerdictStatus s) {
    switch (s) {
        case VerdictStatus::Exceeds:
            return "EXCEEDS";
        case VerdictStatus::Below:
            return "below";
        case VerdictStatus::Indeterminate:
            return "indet.";
        case VerdictStatus::Unknown:
            return "unknown";
        case VerdictStatus::NotReleased:
            return "not released";
    }
    return "unknown";
}

void ReportWriter::addRendered(const std::string& /*fragment*/) {
    throw std::logic_error("addRendered: this report format is not streamable");
}

void ReportWriter::prepare(std::string& /*out*/, const RecordAssessment& /*result*/) const {
    throw std::logic_error("prepare: this report writer does not prepare records");
}

void ReportWriter::addPrepared(std::string_view /*prepared*/) {
    throw std::logic_error("addPrepared: this report writer does not prepare records");
}

bool isStreamable(ReportFormat format) {
    return format == ReportFormat::Json || format == ReportFormat::Jsonl ||
           format == ReportFormat::Csv;
}

std::string renderFragment(const ReportOptions& options, const RecordAssessment& result) {
    std::string out;
    appendFragment(out, options, result);
    return out;
}

void appendFragment(std::string& out, const ReportOptions& options,
                    const RecordAssessment& result) {
    switch (options.format) {
        case ReportFormat::Json:
            if (!options.evaluate) {
                out += jsonArrayElement(estimateJson(result, 2));
                return;
            }
            for (std::size_t i = 0; i < result.dates.size(); ++i) {
                if (i > 0) {
                    out += ",\n";
                }
                out += jsonArrayElement(assessJson(result, i, 2));
            }
            return;
        case ReportFormat::Jsonl:
            if (!options.evaluate) {
                appendEstimateJson(out, result, -1);
                out += '\n';
                return;
            }
            for (std::size_t i = 0; i < result.dates.size(); ++i) {
                appendAssessJson(out, result, i, -1);
                out += '\n';
            }
            return;
        case ReportFormat::Csv:
            out += csvRows(options, result);
            return;
        case ReportFormat::Text:
        case ReportFormat::Markdown:
            break;
    }
    throw std::logic_error("renderFragment: this report format is not streamable");
}

std::unique_ptr<ReportWriter> createReportWriter(const ReportOptions& options, std::ostream& out,
                                                 std::size_t spillThreshold) {
    switch (options.format) {
        case ReportFormat::Json:
        case ReportFormat::Jsonl:
        case ReportFormat::Csv:
            return std::make_unique<StreamWriter>(options, out);
        case ReportFormat::Markdown:
            return std::make_unique<MarkdownWriter>(options, out, spillThreshold);
        case ReportFormat::Text:
            break;
    }
    return std::make_unique<TextWriter>(options, out, spillThreshold);
}

std::unique_ptr<ReportWriter> ReportWriter::create(const ReportOptions& options,
                                                   std::ostream& out) {
    return createReportWriter(options, out, SpillBuffer::kDefaultThreshold);
}

void writeReport(const ReportOptions& options, const std::vector<RecordAssessment>& results,
                 std::ostream& out) {
    auto writer = ReportWriter::create(options, out);
    for (const auto& r : results) {
        writer->add(r);
    }
    writer->finish();
}

std::string policyCitation(const Policy& p) {
    std::string out = p.instrument.name;
    if (!p.instrument.article.empty()) {
        out += out.empty() ? p.instrument.article : ", " + p.instrument.article;
    }
    return out;
}

std::string policyUrl(const Policy& p) {
    for (const auto& c : p.citations) {
        if (!c.url.empty()) {
            return c.url;
        }
    }
    return {};
}

PolicySummary summarizePolicy(const Policy& p, const Date& asOf) {
    return {p.id, p.title, policyCitation(p), policyUrl(p),
            std::string(toString(p.stateOn(asOf).legalStatus))};
}

}  // namespace flopledger
