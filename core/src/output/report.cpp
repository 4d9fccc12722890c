// Report writers: text tables, Markdown memos, CSV, JSON and JSON Lines (report.hpp). The
// streamable formats (JSON, JSON Lines, CSV) are written here; report_text.cpp and
// report_markdown.cpp hold the table and memo writers, report_csv.cpp the CSV rows.
#include <flopledger/report.hpp>

#include <flopledger/compact.hpp>

#include "output/assessment_json.hpp"
#include "output/control_chars.hpp"
#include "output/report_detail.hpp"
#include "output/report_fragment.hpp"
#include "output/report_spill.hpp"

#include <memory>
#include <ostream>
#include <stdexcept>

namespace flopledger::inline v1 {
namespace {

// The formats written as records arrive: each record's bytes depend only on the record, so the
// renderer writes the final bytes and the writer only concatenates them. JSON array elements
// are rendered with a leading ",\n"; the writer turns the first one into "[\n".
class StreamRenderer : public RecordRenderer {
public:
    explicit StreamRenderer(const ReportOptions& o) : o_(o) {}
    void render(ReportFragment& into, const RecordAssessment& r) const override {
        std::string& out = FragmentAccess::bytes(into);
        if (o_.compact) {
            renderCompact(out, r);
            return;
        }
        switch (o_.format) {
            case ReportFormat::Json:
                if (!o_.evaluate) {
                    out += ",\n";
                    out += jsonArrayElement(estimateJson(r, 2, o_.breakdown));
                    return;
                }
                for (std::size_t i = 0; i < r.dates.size(); ++i) {
                    out += ",\n";
                    out += jsonArrayElement(assessJson(r, i, 2));
                }
                return;
            case ReportFormat::Jsonl:
                if (!o_.evaluate) {
                    appendEstimateJson(out, r, -1, o_.breakdown);
                    out += '\n';
                    return;
                }
                for (std::size_t i = 0; i < r.dates.size(); ++i) {
                    appendAssessJson(out, r, i, -1);
                    out += '\n';
                }
                return;
            case ReportFormat::Csv:
                detail::appendCsvRows(out, o_, r);
                return;
            case ReportFormat::Text:
            case ReportFormat::Markdown:
                break;
        }
        throw std::logic_error("StreamRenderer: not a streamed report format");
    }

private:
    // Compact output (compact.hpp): JSON as one object a line inside the array.
    void renderCompact(std::string& out, const RecordAssessment& r) const {
        if (o_.format == ReportFormat::Csv) {
            appendCompactCsvRows(out, r, o_.evaluate);
            return;
        }
        const std::size_t n = o_.evaluate ? r.dates.size() : 1;
        for (std::size_t i = 0; i < n; ++i) {
            if (o_.format == ReportFormat::Json) out += ",\n";
            appendCompactJson(out, r, i, o_.evaluate);
            if (o_.format == ReportFormat::Jsonl) out += '\n';
        }
    }

    const ReportOptions& o_;  // the writer's
};

class StreamWriter : public CoreReportWriter {
public:
    StreamWriter(const ReportOptions& o, std::ostream& out) : o_(o), out_(out), renderer_(o_) {
        if (o_.format == ReportFormat::Csv) {
            out_ << (o_.compact ? compactCsvHeader(o_.evaluate) : detail::csvHeader(o_.evaluate));
        }
    }
    const RecordRenderer& renderer() const override { return renderer_; }
    AssessRequest needs() const override {
        AssessRequest r;
        r.verdictTexts = !o_.compact;  // compact output has no verdict titles and notes
        r.breakdown = o_.breakdown;    // only `estimate --breakdown` prints it
        return r;
    }
    void add(const ReportFragment& fragment) override {
        std::string_view bytes = FragmentAccess::bytes(fragment);
        if (bytes.empty()) {
            return;
        }
        if (o_.format == ReportFormat::Json && first_) {
            out_ << "[\n";
            bytes.remove_prefix(2);  // the first element's ",\n"
            first_ = false;
        }
        out_.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
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
    StreamRenderer renderer_;
    bool first_ = true;
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

// One pass over the text (a quarter of the CSV run went to scanning it twice, for controls and
// for the characters that need quotes): the same bytes as before.
void detail::appendCsvField(std::string& out, std::string_view text) {
    bool quote = false;
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (c <= '"' || c == ',' || c == 0x7f) {  // (every byte that matters is one of these)
            if (detail::unsafeControl(c)) {
                appendCsvField(out, detail::withControlPictures(text));
                return;
            }
            quote = quote || c == ',' || c == '"' || c == '\r' || c == '\n';
        }
    }
    if (!quote) {
        out.append(text);
        return;
    }
    out.reserve(out.size() + text.size() + 8);
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
}

std::string csvField(std::string_view text) {
    std::string out;
    detail::appendCsvField(out, text);
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

void ReportWriter::add(const RecordAssessment& result) {
    // One fragment per writer and thread, reused: add() allocates no buffer per record.
    thread_local ReportFragment fragment;
    fragment.clear();
    renderer().render(fragment, result);
    add(fragment);
}

std::unique_ptr<ReportWriter> createReportWriter(const ReportOptions& options, std::ostream& out,
                                                 std::size_t spillThreshold) {
    switch (options.format) {
        case ReportFormat::Json:
        case ReportFormat::Jsonl:
        case ReportFormat::Csv:
            return std::make_unique<StreamWriter>(options, out);
        case ReportFormat::Markdown:
            return detail::makeMarkdownWriter(options, out, spillThreshold);
        case ReportFormat::Text:
            break;
    }
    return detail::makeTextWriter(options, out, spillThreshold);
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

}  // namespace flopledger
