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
    bool breakdown = false;   ///< estimate JSON/JSON Lines: FLOP by component of each stage
};

/// Receives results one by one in output order and writes them. Text and Markdown tables are
/// aligned, so they are laid out when finish() is called (rows and sections wait in a temporary
/// file, so memory stays bounded); JSON, JSON Lines and CSV are written as results arrive.
class ReportWriter {
public:
    virtual ~ReportWriter() = default;
    virtual void add(const RecordAssessment& result) = 0;
    /// Streamable formats only: appends a fragment made by renderFragment (possibly on another
    /// thread), exactly as add() would have written it.
    virtual void addRendered(const std::string& fragment);
    /// Writes what remains (closing bracket, tables, legend). Call once.
    virtual void finish() = 0;

    /// Text and Markdown, when ReportOptions::policies is set: the part of add() that depends on
    /// the record alone, appended to `out` by prepare() on any thread (it reads no writer state),
    /// then merged in output order by addPrepared(); prepare() + addPrepared() writes exactly
    /// what add() would. The CLI uses it so that worker threads lay out the rows. prepares()
    /// says whether this writer supports it.
    virtual bool prepares() const { return false; }
    virtual void prepare(std::string& out, const RecordAssessment& result) const;
    virtual void addPrepared(std::string_view prepared);

    static std::unique_ptr<ReportWriter> create(const ReportOptions& options, std::ostream& out);
};

/// JSON, JSON Lines and CSV: each record's output depends only on that record, so worker
/// threads can render it (renderFragment) and the writer only concatenates in input order.
bool isStreamable(ReportFormat format);
/// The part of a streamable report that one record contributes (thread-safe, no state).
std::string renderFragment(const ReportOptions& options, const RecordAssessment& result);
/// renderFragment appended to `out` (whose capacity a caller can reuse from record to record).
/// JSON Lines and CSV fragments of consecutive records may be handed to addRendered together.
void appendFragment(std::string& out, const ReportOptions& options, const RecordAssessment& result);

/// Writes a whole report at once.
void writeReport(const ReportOptions& options, const std::vector<RecordAssessment>& results,
                 std::ostream& out);

/// RFC 4180 field: quoted when it contains a comma, quote, CR or LF; quotes doubled.
std::string csvField(std::string_view text);

/// Compact verdict symbol for tables: "EXCEEDS", "below", "indet.", "unknown".
std::string_view verdictWord(VerdictStatus s);

}  // namespace flopledger
