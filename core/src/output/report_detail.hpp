#pragma once
// Private to the report writers (report.cpp, report_csv.cpp, report_text.cpp,
// report_markdown.cpp): shared text helpers, the CSV rows, the fragment encoding of the tables and
// the writer factories.
#include <flopledger/report.hpp>

#include <cstdint>
#include <cstring>
#include <memory>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace flopledger::inline v1::detail {

// ---- shared text helpers (report_text_util.cpp) ----------------------------------------------

std::string_view methodShort(Method m);
/// Distinct chosen methods of a model's stages in stage order, e.g. "arch+hw".
std::string methodSummary(const ModelEstimate& e, bool shortNames);
std::string sci(const Exact& v, int digits);
/// A total is a lower bound when a stage could not be estimated (it counts as 0).
bool incomplete(const ModelEstimate& e);
/// The central total for tables: "unknown" when nothing could be estimated, ">=x" when a stage
/// is missing from the sum.
std::string totalText(const ModelEstimate& e, int digits);
std::string rangeText(const Interval& v, int digits);
/// Fixed two-decimal form of a log10 margin with explicit sign: "+1.50", "-0.02".
std::string marginText(double m);
std::string probabilityText(double p);
std::string padRight(std::string_view s, std::size_t w);
/// Shortens to w characters, marking the cut with '~' (ids stay recognisable).
std::string fit(std::string_view s, std::size_t w);
std::string rtrim(std::string s);
const Verdict* findVerdict(const DatedVerdicts& d, const std::string& policy);
char verdictSymbol(const Verdict* v);
char columnLetter(std::size_t i);
std::vector<PolicySummary> policiesOf(const ReportOptions& o, const RecordAssessment* first);
std::string datesText(const std::vector<Date>& dates);
std::string warningText(const Diagnostic& w);
std::string joined(const std::vector<std::string>& parts, std::string_view sep);
/// "stage 3" for "/stages/3/hardware/utilization"; the pointer itself otherwise.
std::string placeOf(const std::string& pointer);
/// One line per distinct (code, message) of a record, naming the places it applies to, so that
/// a default assumed on four stages takes one line rather than four.
std::vector<std::string> groupedWarnings(const std::vector<Diagnostic>& warnings);
/// Word-wraps one item to `width` columns: first line indented by `first`, the rest by `rest`.
std::string wrap(const std::string& text, std::size_t width, std::size_t first, std::size_t rest);
std::string recordName(const RecordAssessment& r);
/// formatExact's text, from the limbs for the usual whole numbers below 2^128.
std::string exactText(const Exact& v);
std::string fixed6(double x);

// ---- CSV (report_csv.cpp) --------------------------------------------------------------------

std::string csvHeader(bool evaluate);
/// csvField(text) appended to out.
void appendCsvField(std::string& out, std::string_view text);
/// The CSV rows of one record (one per date and policy when evaluating).
std::string csvRows(const ReportOptions& o, const RecordAssessment& r);
/// csvRows(o, r) appended to out.
void appendCsvRows(std::string& out, const ReportOptions& o, const RecordAssessment& r);

// ---- fragments of the table formats (text and Markdown) -----------------------------------------

// Their fragments are sequences of entries, each a tag byte and length-prefixed fields; they
// never leave the process, so the lengths are in native byte order.
inline void putField(std::string& out, std::string_view bytes) {
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
            throw std::logic_error("ReportWriter::add: truncated fragment");
        }
    }
    std::string_view data_;
    std::size_t pos_ = 0;
};

// Tag 'P': the policy columns a record was rendered with, when ReportOptions::policies is empty
// (the writer takes the first record's for its header and legend, as add() always did).
inline void putPolicies(std::string& out, const std::vector<PolicySummary>& policies) {
    out += 'P';
    putField(out, std::to_string(policies.size()));
    for (const auto& p : policies) {
        putField(out, p.id);
        putField(out, p.title);
        putField(out, p.status);
    }
}

inline std::vector<PolicySummary> readPolicies(PreparedReader& in) {
    const std::size_t n = std::stoul(std::string(in.field()));
    std::vector<PolicySummary> out(n);
    for (auto& p : out) {
        p.id = in.field();
        p.title = in.field();
        p.status = in.field();
    }
    return out;
}

// ---- the writers that are not streamable -------------------------------------------------------

std::unique_ptr<ReportWriter> makeTextWriter(const ReportOptions& o, std::ostream& out,
                                             std::size_t spillThreshold);
std::unique_ptr<ReportWriter> makeMarkdownWriter(const ReportOptions& o, std::ostream& out,
                                                 std::size_t spillThreshold);

}  // namespace flopledger::detail
