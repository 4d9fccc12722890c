// The text report: a fixed-width table of records and verdicts, then the assumptions, warnings
// and missing inputs (report_detail.hpp).
#include "base/exact_fast.hpp"
#include "output/output_memo.hpp"
#include "output/report_detail.hpp"

#include "output/report_fragment.hpp"
#include "output/report_spill.hpp"

#include <charconv>
#include <flopledger/provenance.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <string>

namespace flopledger::inline v1::detail {
namespace {

class TextWriter : public CoreReportWriter {
public:
    TextWriter(const ReportOptions& o, std::ostream& out, std::size_t spillThreshold)
        : o_(o),
          out_(out),
          rows_(spillThreshold),
          notes_(spillThreshold),
          missing_(spillThreshold),
          unreleased_(spillThreshold) {}

    const RecordRenderer& renderer() const override { return renderer_; }
    // The table prints statuses only: no probabilities, and no verdict titles or notes when the
    // legend's titles come from the options (else from the first record's verdicts).
    AssessRequest needs() const override {
        AssessRequest r;
        r.verdictTexts = o_.policies.empty();
        r.probabilities = false;
        r.breakdown = false;  // the text report prints no stage breakdown
        return r;
    }
    void add(const ReportFragment& fragment) override {
        if (!haveFirst_ && !o_.policies.empty()) {
            policies_ = o_.policies;
            haveFirst_ = true;
        }
        absorb(FragmentAccess::bytes(fragment));
    }

private:
    // Lays out a record's rows on any thread (render() reads only the options).
    class Renderer : public RecordRenderer {
    public:
        explicit Renderer(const TextWriter& w) : w_(w) {}
        void render(ReportFragment& into, const RecordAssessment& r) const override {
            std::string& out = FragmentAccess::bytes(into);
            if (w_.o_.policies.empty()) {
                // Columns from the record's own verdicts; the writer takes the first record's.
                const auto policies = policiesOf(w_.o_, &r);
                putPolicies(out, policies);
                w_.render(r, policies, out);
            } else {
                w_.render(r, w_.o_.policies, out);
            }
        }

    private:
        const TextWriter& w_;
    };

    // The record's rows, notes, missing inputs and verdict counts as a prepared record: tag 'R'
    // (six fields), 'N' and 'M' (one wrapped item), 'W' (a warning's code, when only counts are
    // printed), 'C' (policy id, status digit; only when the columns are the record's own: with
    // fixed columns the writer counts the row's symbols).
    void render(const RecordAssessment& r, const std::vector<PolicySummary>& policies,
                std::string& out) const {
        const std::string& id = r.id();
        std::string total, range, method;
        std::vector<Row> children;
        if (r.estimate) {
            const ModelEstimate& e = *r.estimate;
            total = totalText(e, o_.digits);
            range = rangeText(e.total, o_.digits);
            method = methodSummary(e, true);
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
            putWarnings(out, id, e.warnings);
            // The total counts every stage; a policy that counts fewer (or adds recompute)
            // gets a '*' on the total, so the two figures are not read as one.
            for (const auto& d : r.dates) {
                for (const auto& v : d.verdicts) {
                    // sameExact: Boost's != on rationals costs divisions (a seventh of the run).
                    if (total.back() != '*' && v.countedFlop &&
                        !sameExact(v.countedFlop->central, e.total.central)) {
                        total += '*';
                    }
                }
            }
            // Contract 7.1: the developer's own figure beside the computed total.
            if (const auto rep = compareReported(std::get<ModelRecord>(*r.record), e)) {
                char buf[32];
                // to_chars: the ratio must not take the host's decimal comma.
                const auto end =
                    std::to_chars(buf, buf + sizeof buf, rep->ratio, std::chars_format::general, 4)
                        .ptr;
                const std::string ratio(buf, end);
                out += 'N';
                putField(out,
                         wrap(id + ": developer reported " + sci(rep->trainingFlop, o_.digits) +
                                  " FLOP; total / reported = " + ratio +
                                  (rep->explanation.empty() ? "" : ": " + rep->explanation),
                              o_.width, 2, 6));
            }
        } else {
            total = "cluster";
        }
        if (o_.evaluate) {
            // With fixed columns the writer counts the statuses from the row's symbols (fast
            // path; the reference sends a 'C' entry a verdict).
            const bool countC = o_.policies.empty() || !detail::kFastPaths;
            std::vector<std::string> missing;
            std::string verdicts;
            for (const auto& d : r.dates) {
                const std::string asOf = isoDayText(d.asOf);
                // Contract 7.4: a record released after the date is listed apart, not counted.
                const bool notReleased =
                    !d.verdicts.empty() &&
                    std::all_of(d.verdicts.begin(), d.verdicts.end(), [](const Verdict& v) {
                        return v.status == VerdictStatus::NotReleased;
                    });
                if (notReleased) {
                    const auto& rec = std::get<ModelRecord>(*r.record);
                    out += 'U';
                    putField(out, wrap(id + " (released " +
                                           (rec.released ? rec.released->toString() : "?") +
                                           (r.dates.size() > 1 ? "; as of " + asOf : "") + ")",
                                       o_.width, 2, 6));
                    continue;
                }
                verdicts.clear();
                for (std::size_t pi = 0; pi < policies.size(); ++pi) {
                    const PolicySummary& p = policies[pi];
                    // Verdicts come in the policies' order: the same position first.
                    const Verdict* v = pi < d.verdicts.size() && d.verdicts[pi].policy == p.id
                                           ? &d.verdicts[pi]
                                           : findVerdict(d, p.id);
                    verdicts += verdictSymbol(v);
                    if (v != nullptr && v->status == VerdictStatus::Unknown) {
                        for (const auto& m : v->missing) {
                            if (std::find(missing.begin(), missing.end(), m) == missing.end()) {
                                missing.push_back(m);
                            }
                        }
                    }
                    if (v != nullptr && countC) {
                        const char status = static_cast<char>('0' + static_cast<int>(v->status));
                        out += 'C';
                        putField(out, v->policy);
                        putField(out, std::string_view(&status, 1));
                    }
                }
                putRow(out, {id, asOf, total, range, method, verdicts});
            }
            if (!missing.empty()) {
                out += 'M';
                putField(out, wrap(id + ": " + joined(missing, ", "), o_.width, 2, 6));
            }
        } else {
            putRow(out, {id, {}, total, range, method, {}});
            for (const auto& c : children) {
                putRow(out, {c.id, c.asOf, c.total, c.range, c.method, c.verdicts});
            }
        }
    }

    // The record's warnings, one item per distinct (code, message). Unless every warning is
    // printed, the writer only counts them by code: then just the code goes ('W'), when
    // countWarning would read that code from the wrapped item (the id holds no ':' or ' ' and
    // the first line keeps "ID: CODE WORD" whole), else the item itself ('N').
    void putWarnings(std::string& out, const std::string& id,
                     const std::vector<Diagnostic>& warnings) const {
        if (warnings.empty()) {
            return;
        }
        const bool plainId = id.find_first_of(": \n") == std::string::npos;
        if (o_.allWarnings || !plainId || !detail::kFastPaths) {
            for (const auto& n : groupedWarnings(warnings)) {
                out += 'N';
                putField(out, wrap(id + ": " + n, o_.width, 2, 6));
            }
            return;
        }
        for (std::size_t i = 0; i < warnings.size(); ++i) {
            const Diagnostic& w = warnings[i];
            bool seen = false;  // groupedWarnings' key: the code and the message
            for (std::size_t j = 0; j < i && !seen; ++j) {
                seen = warnings[j].code == w.code && warnings[j].message == w.message;
            }
            if (seen) {
                continue;
            }
            const std::string code = codeText(w.code);
            const std::string_view message(w.message);
            const std::size_t firstWord = message.substr(0, message.find(' ')).size();
            // "  ID: CODE WORD" on the first line: wrap() breaks nowhere before WORD.
            const bool oneLine = !message.empty() && message.front() != ' ' &&
                                 code.find(' ') == std::string::npos &&
                                 2 + id.size() + 2 + code.size() + 1 + firstWord <= o_.width;
            if (oneLine) {
                out += 'W';
                putField(out, code);
            } else {
                std::vector<Diagnostic> same;
                for (const auto& x : warnings) {
                    if (x.code == w.code && x.message == w.message) {
                        same.push_back(x);
                    }
                }
                out += 'N';
                putField(out, wrap(id + ": " + groupedWarnings(same).front(), o_.width, 2, 6));
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
                    anyStar_ = anyStar_ || (!f[2].empty() && f[2].back() == '*');
                    rangeW_ = std::max(rangeW_, f[3].size());
                    methodW_ = std::max(methodW_, f[4].size());
                    for (auto x : f) {
                        rows_.appendField(x);
                    }
                    if (!o_.policies.empty() && detail::kFastPaths) {
                        countSymbols(f[5]);
                    }
                    break;
                }
                case 'W':
                    countCode(in.field());
                    break;
                case 'N':
                    if (o_.allWarnings) {
                        notes_.append(in.field());
                    } else {
                        countWarning(in.field());
                    }
                    break;
                case 'M':
                    if (o_.allWarnings) {
                        missing_.append(in.field());
                    } else {
                        groupMissing(in.field());
                    }
                    break;
                case 'U':
                    unreleased_.append(in.field());
                    break;
                case 'P': {
                    auto policies = readPolicies(in);
                    if (!haveFirst_) {
                        policies_ = std::move(policies);
                        haveFirst_ = true;
                    }
                    break;
                }
                case 'C': {
                    const std::string_view policy = in.field();
                    const int status = in.field().at(0) - '0';
                    countOf(policy)[static_cast<std::size_t>(status)]++;
                    break;
                }
                default:
                    throw std::logic_error("ReportWriter::add: not a text report's fragment");
            }
        }
    }

    // The counts of a policy id. Records list their policies in the same order, so the entry
    // after the last one found is tried first (a map lookup compared strings per verdict).
    std::array<int, 5>& countOf(std::string_view policy) {
        if (countNext_ < countOrder_.size() && countOrder_[countNext_].first == policy) {
            return *countOrder_[countNext_++].second;
        }
        for (std::size_t i = 0; i < countOrder_.size(); ++i) {
            if (countOrder_[i].first == policy) {
                countNext_ = i + 1;
                return *countOrder_[i].second;
            }
        }
        auto it = counts_.emplace(std::string(policy), std::array<int, 5>{}).first;
        countOrder_.emplace_back(it->first, &it->second);  // (map nodes do not move)
        countNext_ = countOrder_.size();
        return it->second;
    }

public:
    void finish() override {
        writeHeading();
        const Columns columns = measureColumns();
        writeTableHeader(columns);
        writeRows(columns);
        if (rows_.empty()) {
            out_ << "(no records)\n";
        }
        if (o_.evaluate && !policies_.empty()) {
            writeLegend();
        }
        writeNotes();
        out_.flush();
    }

private:
    struct Row {
        std::string id, asOf, total, range, method, verdicts;
    };
    // id, as of, total, range, method, verdict symbols
    static void putRow(std::string& out, const std::array<std::string_view, 6>& fields) {
        out += 'R';
        for (const std::string_view f : fields) {
            putField(out, f);
        }
    }

    // The table's column widths; the date column only with several dates.
    struct Columns {
        bool multiDate = false;
        std::size_t idW = 0, totW = 0, rangeW = 0, methodW = 0;
    };

    // The title line and the two lines on how to read the figures.
    void writeHeading() {
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
    }

    // Column widths from the data (measured as rows arrived), capped so the table fits the
    // terminal.
    Columns measureColumns() const {
        Columns c;
        c.multiDate = o_.asOf.size() > 1;
        c.idW = idW_;
        c.totW = totW_;
        c.rangeW = rangeW_;
        c.methodW = methodW_;
        const std::size_t verdictW = o_.evaluate ? policies_.size() * 2 : 0;
        const std::size_t dateW = c.multiDate ? 11 : 0;
        const std::size_t fixed = c.totW + c.rangeW + c.methodW + verdictW + dateW + 4;
        const std::size_t maxId = o_.width > fixed + 12 ? o_.width - fixed : 12;
        c.idW = std::min(c.idW, std::max<std::size_t>(maxId, 12));
        return c;
    }

    void writeTableHeader(const Columns& c) {
        std::string header = padRight("model", c.idW) + " ";
        if (c.multiDate) {
            header += padRight("as of", 10) + " ";
        }
        header += padRight("total FLOP", c.totW) + " " + padRight("range", c.rangeW) + " " +
                  padRight("method", c.methodW);
        if (o_.evaluate) {
            header += " ";
            for (std::size_t i = 0; i < policies_.size(); ++i) {
                header += ' ';
                header += columnLetter(i);
            }
        }
        out_ << rtrim(header) << "\n";
        out_ << std::string(rtrim(header).size(), '-') << "\n";
    }

    // Rows padded in place, the bytes of rtrim(padRight(fit(id)) + " " + padRight(total) +
    // ...) without the temporaries, and written 64 KiB at a time (not a stream call a row).
    void writeRows(const Columns& c) {
        const bool multiDate = c.multiDate;
        const std::size_t idW = c.idW, totW = c.totW, rangeW = c.rangeW, methodW = c.methodW;
        constexpr std::size_t kChunk = std::size_t{1} << 16;
        std::string s;
        s.reserve(kChunk + 1024);
        auto pad = [&s](std::string_view text, std::size_t w) {
            s += text;
            if (text.size() < w) {
                s.append(w - text.size(), ' ');
            }
        };
        auto line = [&](const Row& r) {
            const std::size_t start = s.size();
            if (r.id.size() <= idW) {
                pad(r.id, idW);
            } else if (idW > 0) {
                s.append(r.id, 0, idW - 1);  // fit(): cut, marked with '~'
                s += '~';
            }
            s += ' ';
            if (multiDate) {
                pad(r.asOf, 10);
                s += ' ';
            }
            pad(r.total, totW);
            s += ' ';
            pad(r.range, rangeW);
            s += ' ';
            pad(r.method, methodW);
            if (o_.evaluate) {
                s += ' ';
                for (char v : r.verdicts) {
                    s += ' ';
                    s += v;
                }
            }
            std::size_t n = s.size();
            while (n > start && s[n - 1] == ' ') {
                --n;
            }
            s.resize(n);
            s += '\n';
            if (s.size() >= kChunk) {
                out_.write(s.data(), static_cast<std::streamsize>(s.size()));
                s.clear();
            }
        };
        SpillBuffer::Reader in(rows_);
        Row r;
        while (in.field(r.id) && in.field(r.asOf) && in.field(r.total) && in.field(r.range) &&
               in.field(r.method) && in.field(r.verdicts)) {
            line(r);
        }
        out_.write(s.data(), static_cast<std::streamsize>(s.size()));
    }

    // The symbols, then a line per policy column: its counts, status and title.
    void writeLegend() {
        out_ << "\nVerdicts: X exceeds (policy in force)  x exceeds (not in force)  "
                "? indeterminate\n          . below  - unknown (input missing)  < unknown, "
                "below on disclosed compute\n          (a stage's compute is undisclosed: "
                "a lower bound)  blank: policy does not apply\n";
        std::size_t pw = 0;
        for (const auto& p : policies_) {
            pw = std::max(pw, p.id.size());
        }
        for (std::size_t i = 0; i < policies_.size(); ++i) {
            writePolicyLine(i, pw);
        }
        if (anyStar_) {
            out_ << "* the total (every stage) differs from what a policy counts (its scope: "
                    "stages, recompute).\n";
        }
        out_ << "Status as of " << (o_.asOf.empty() ? std::string() : o_.asOf.front().toIsoDay())
             << ". Each policy counts the stages its scope includes; per-policy counted FLOP,\n"
                "thresholds, margins and citations are in --format md and json.\n";
    }

    // Column i's legend line; pw: the widest policy id.
    void writePolicyLine(std::size_t i, std::size_t pw) {
        const auto& p = policies_[i];
        std::array<int, 5> c = counts_[p.id];
        // Fixed columns were counted by column; an id given twice counts both.
        for (std::size_t j = 0; j < columnCounts_.size() && j < policies_.size(); ++j) {
            if (policies_[j].id == p.id) {
                for (std::size_t k = 0; k < c.size(); ++k) {
                    c[k] += columnCounts_[j][k];
                }
            }
        }
        // Counts of X/x, ? and - in this column, then the status and title.
        std::string counts = std::to_string(c[0]) + "X";
        counts += c[2] > 0 ? " " + std::to_string(c[2]) + "?" : std::string();
        counts += c[3] > 0 ? " " + std::to_string(c[3]) + "-" : std::string();
        const std::string lead = std::string("  ") + columnLetter(i) + " " + padRight(p.id, pw) +
                                 " " + padRight(p.status, 16) + " " + padRight(counts, 11) + " ";
        // The title wrapped under itself, never cut: a policy title is read in full.
        const std::size_t room = o_.width > lead.size() + 20 ? o_.width - lead.size() : 20;
        std::string title = wrap(p.title, room, 0, 0);
        std::string indented;
        for (std::size_t at = 0; at < title.size();) {
            const std::size_t nl = title.find('\n', at);
            const std::string part = title.substr(at, nl - at);
            indented += (at == 0 ? lead : std::string(lead.size(), ' ')) + part + "\n";
            at = nl == std::string::npos ? title.size() : nl + 1;
        }
        out_ << (indented.empty() ? rtrim(lead) + "\n" : indented);
    }

    // The sections after the table: warnings (listed or counted by code), missing inputs,
    // records not released yet.
    void writeNotes() {
        auto wrapped = [&](const std::string& title, SpillBuffer& items) {
            if (items.empty()) {
                return;
            }
            out_ << "\n" << title << "\n";
            SpillBuffer::Reader(items).copyTo(out_);
        };
        wrapped("Assumptions and warnings:", notes_);
        if (!warningCounts_.empty()) {
            out_ << "\nWarnings and assumptions by code (every one: --warnings all, or --format "
                    "json):\n";
            for (const auto& [code, n] : warningCounts_) {
                out_ << "  " << code << " x" << n << "  " << warningNames_[code] << "\n";
            }
        }
        wrapped("Missing inputs (verdicts marked - or <):", missing_);
        wrapped("Not released as of the date (not assessed, not counted):", unreleased_);
        if (!missingGroups_.empty()) {
            out_ << "\nMissing inputs (verdicts marked - or <), by input:\n";
            for (const auto& [what, ids] : missingGroups_) {
                out_ << wrap(what + " (" + std::to_string(ids.size()) + "): " + joined(ids, ", "),
                             o_.width, 2, 6);
            }
        }
    }

    ReportOptions o_;
    std::ostream& out_;
    bool haveFirst_ = false;
    std::vector<PolicySummary> policies_;
    std::size_t idW_ = 5, totW_ = 10, rangeW_ = 5, methodW_ = 6;
    SpillBuffer rows_;  // six fields per table line, in order
    // An 'N' item is "ID: CODE message (places)", wrapped: counted by its code.
    void countWarning(std::string_view item) {
        const std::size_t colon = item.find(": ");
        if (colon == std::string_view::npos) {
            return;
        }
        const std::size_t start = colon + 2;
        const std::size_t end = item.find(' ', start);
        countCode(item.substr(start, end - start));
    }
    void countCode(std::string_view codeView) {
        // Records repeat a few codes: the last one's entry first.
        if (lastCode_ != warningCounts_.end() && lastCode_->first == codeView) {
            ++lastCode_->second;
            return;
        }
        const std::string code(codeView);
        auto [it, added] = warningCounts_.try_emplace(code, 0);
        lastCode_ = it;
        if (++it->second == 1) {
            for (ErrorCode c : allErrorCodes()) {
                if (codeText(c) == code) {
                    warningNames_[code] = std::string(codeName(c));
                }
            }
        }
    }
    // A row's verdict symbols, one a column of the fixed policies (verdictSymbol's inverse):
    // the counts the 'C' entries would have given.
    void countSymbols(std::string_view symbols) {
        if (columnCounts_.size() < symbols.size()) {
            columnCounts_.resize(symbols.size());
        }
        for (std::size_t i = 0; i < symbols.size(); ++i) {
            int status = -1;
            switch (symbols[i]) {
                case 'X':
                case 'x':
                    status = static_cast<int>(VerdictStatus::Exceeds);
                    break;
                case '.':
                    status = static_cast<int>(VerdictStatus::Below);
                    break;
                case '?':
                    status = static_cast<int>(VerdictStatus::Indeterminate);
                    break;
                case '-':
                case '<':
                    status = static_cast<int>(VerdictStatus::Unknown);
                    break;
                case 'n':
                    status = static_cast<int>(VerdictStatus::NotReleased);
                    break;
                default:
                    break;  // ' ': the policy does not apply
            }
            if (status >= 0) {
                ++columnCounts_[i][static_cast<std::size_t>(status)];
            }
        }
    }
    // An 'M' item is "ID: input, input", wrapped: grouped by what is missing.
    void groupMissing(std::string_view item) {
        std::string flat;
        for (char c : item) {
            if (c != '\n' && !(c == ' ' && !flat.empty() && flat.back() == ' ')) {
                flat += c;
            }
        }
        const std::size_t colon = flat.find(": ");
        const std::size_t start = flat.find_first_not_of(' ');
        if (colon == std::string::npos || start == std::string::npos) {
            return;
        }
        missingGroups_[flat.substr(colon + 2)].push_back(flat.substr(start, colon - start));
    }
    std::map<std::string, std::vector<std::string>> missingGroups_;
    bool anyStar_ = false;  // some total is marked '*' (legend line)
    std::map<std::string, std::size_t> warningCounts_;
    std::map<std::string, std::size_t>::iterator lastCode_ = warningCounts_.end();
    std::map<std::string, std::string> warningNames_;
    SpillBuffer notes_;       // "Assumptions and warnings" items, wrapped
    SpillBuffer missing_;     // "Missing inputs" items, wrapped
    SpillBuffer unreleased_;  // records released after the date (contract 7.4), wrapped
    std::map<std::string, std::array<int, 5>> counts_;
    std::vector<std::array<int, 5>> columnCounts_;  // fixed columns: counts by column
    std::vector<std::pair<std::string_view, std::array<int, 5>*>> countOrder_;  // seen order
    std::size_t countNext_ = 0;
    Renderer renderer_{*this};
};

// ---- Markdown --------------------------------------------------------------------------------

}  // namespace

std::unique_ptr<ReportWriter> makeTextWriter(const ReportOptions& o, std::ostream& out,
                                             std::size_t spillThreshold) {
    return std::make_unique<TextWriter>(o, out, spillThreshold);
}

}  // namespace flopledger::inline v1::detail
