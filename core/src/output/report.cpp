// Report writers: text tables, Markdown memos, CSV, JSON and JSON Lines (report.hpp). The
// streamable formats (JSON, JSON Lines, CSV) are written here; report_text.cpp and
// report_markdown.cpp hold the table and memo writers, report_csv.cpp the CSV rows.
#include <flopledger/report.hpp>

#include <flopledger/compact.hpp>

#include "output/control_chars.hpp"
#include "output/report_detail.hpp"
#include "output/report_spill.hpp"

#include <memory>
#include <ostream>
#include <stdexcept>

namespace flopledger {
namespace {

// Compact output (compact.hpp): JSON as one object a line inside the array.
void appendCompactFragment(std::string& out, const ReportOptions& options,
                           const RecordAssessment& result) {
    if (options.format == ReportFormat::Csv) {
        appendCompactCsvRows(out, result, options.evaluate);
        return;
    }
    const std::size_t n = options.evaluate ? result.dates.size() : 1;
    for (std::size_t i = 0; i < n; ++i) {
        if (options.format == ReportFormat::Json && i > 0) out += ",\n";
        appendCompactJson(out, result, i, options.evaluate);
        if (options.format == ReportFormat::Jsonl) out += '\n';
    }
}

// Writers of the streamable formats only concatenate fragments; JSON adds the brackets.
class StreamWriter : public ReportWriter {
public:
    StreamWriter(const ReportOptions& o, std::ostream& out) : o_(o), out_(out) {
        if (o_.format == ReportFormat::Csv) {
            out_ << (o_.compact ? compactCsvHeader(o_.evaluate) : detail::csvHeader(o_.evaluate));
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
    if (options.compact && isStreamable(options.format)) {
        appendCompactFragment(out, options, result);
        return;
    }
    switch (options.format) {
        case ReportFormat::Json:
            if (!options.evaluate) {
                out += jsonArrayElement(estimateJson(result, 2, options.breakdown));
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
                appendEstimateJson(out, result, -1, options.breakdown);
                out += '\n';
                return;
            }
            for (std::size_t i = 0; i < result.dates.size(); ++i) {
                appendAssessJson(out, result, i, -1);
                out += '\n';
            }
            return;
        case ReportFormat::Csv:
            out += detail::csvRows(options, result);
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
