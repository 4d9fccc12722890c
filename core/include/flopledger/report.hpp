#pragma once
// Report writers over assessment results: aligned text tables, Markdown memos, CSV (RFC 4180),
// JSON arrays and JSON Lines. The CLI streams results into a writer in input order; the GUI's
// exports call the same writers, so every front end produces the same bytes.
#include <flopledger/assessment.hpp>

#include <cstddef>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace flopledger {
inline namespace v1 {

enum class ReportFormat { Text, Json, Jsonl, Csv, Markdown };

std::string_view toString(ReportFormat f);  ///< "text", "json", "jsonl", "csv", "md"
std::optional<ReportFormat> parseReportFormat(std::string_view s);

/// What the reader of a report needs to know about one evaluated policy (legend, citations).
struct PolicySummary {
    std::string id;
    std::string title;
    std::string citation;  ///< instrument and article, e.g. "Regulation (EU) 2024/1689, Art. 51(2)"
    std::string url;
    std::string status;  ///< legal status on the first evaluation date, e.g. "in-force"
};

/// "Regulation (EU) 2024/1689, Art. 51(2)": the instrument and its article.
std::string policyCitation(const Policy& policy);
/// The first citation URL of the policy, or "".
std::string policyUrl(const Policy& policy);
/// A report column for `policy` with its legal status on `asOf`.
PolicySummary summarizePolicy(const Policy& policy, const Date& asOf);

struct ReportOptions {
    ReportFormat format = ReportFormat::Text;
    bool evaluate = true;  ///< assess (verdicts) or estimate (ledger only)
    int digits = 3;        ///< significant digits of text and Markdown values
    std::string title = "FLOP Ledger assessment";
    std::vector<PolicySummary> policies;  ///< evaluated policies, in column order
    std::vector<Date> asOf;               ///< evaluation dates, for headers
    Convention convention = Convention::Matmul;
    /// JSON, JSON Lines and CSV: the compact form (compact.hpp, `--compact`).
    bool compact = false;
    std::size_t width = 100;  ///< text: target terminal width
    /// Text: every warning and assumption of every record (true), or one line per code with
    /// its count (false; the CLI's default, `--warnings all` for the list). JSON has them all.
    bool allWarnings = true;
    bool breakdown = false;  ///< estimate JSON/JSON Lines: FLOP by component of each stage
};

/// The output of one or more consecutive records, rendered by a RecordRenderer for the writer
/// that made it. Opaque: what it holds depends on the format (final bytes, or rows that wait for
/// the table's column widths). Records rendered one after the other into the same fragment are
/// added together.
class ReportFragment {
public:
    bool empty() const { return bytes_.empty(); }
    /// Forgets the records (keeps the capacity, so a worker can reuse one fragment).
    void clear() { bytes_.clear(); }

private:
    friend struct FragmentAccess;
    std::string bytes_;
};

/// Renders records for the writer that handed it out. Thread-safe: worker threads call render()
/// concurrently; it reads no writer state.
class RecordRenderer {
public:
    virtual ~RecordRenderer() = default;
    /// Appends the record's contribution to `into`.
    virtual void render(ReportFragment& into, const RecordAssessment& result) const = 0;
};

/// Receives records in output order and writes them. The one protocol for every format: a
/// record is rendered by renderer() (on any thread) and the fragment is added in output order;
/// add(result) does both on the caller's thread. Text and Markdown tables are aligned, so they
/// are laid out when finish() is called (rows and sections wait in a temporary file, so memory
/// stays bounded); JSON, JSON Lines and CSV are written as fragments arrive.
class ReportWriter {
public:
    virtual ~ReportWriter() = default;
    /// The renderer of this writer's records; valid as long as the writer.
    virtual const RecordRenderer& renderer() const = 0;
    /// Takes the next records (a fragment from renderer()), in output order.
    virtual void add(const ReportFragment& fragment) = 0;
    /// renderer().render() then add(), for one record.
    void add(const RecordAssessment& result);
    /// Writes what remains (closing bracket, tables, legend). Call once.
    virtual void finish() = 0;

    static std::unique_ptr<ReportWriter> create(const ReportOptions& options, std::ostream& out);
};

/// Writes a whole report at once.
void writeReport(const ReportOptions& options, const std::vector<RecordAssessment>& results,
                 std::ostream& out);

/// RFC 4180 field: quoted when it contains a comma, quote, CR or LF; quotes doubled.
std::string csvField(std::string_view text);

/// Compact verdict symbol for tables: "EXCEEDS", "below", "indet.", "unknown".
std::string_view verdictWord(VerdictStatus s);

}  // inline namespace v1
}  // namespace flopledger
