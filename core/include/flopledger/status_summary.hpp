#pragma once
// Answers in one command: which models are in which status under each policy, as of each date
// (`assess --only`, the per-policy summary of text and Markdown reports), and the warnings
// counted by code. A StatusLine is the small part of a RecordAssessment a summary needs, so a
// streamed registry keeps only that in memory.
#include <flopledger/assessment.hpp>
#include <flopledger/report.hpp>

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace flopledger {
inline namespace v1 {

/// The statuses a summary groups by. NotReleased: the record's release date is after the date
/// (whatever the verdict says, the model did not exist yet on that date).
enum class SummaryStatus { Exceeds, Indeterminate, Below, Unknown, NotReleased };
inline constexpr int kSummaryStatusCount = 5;
std::string_view toString(SummaryStatus s);  ///< "exceeds", ..., "not-released"

/// A set of statuses plus "policies in force only" (the `--only` and `--in-force-only` options).
struct StatusFilter {
    unsigned statuses = 0;  ///< bit (1 << SummaryStatus); 0: every status
    bool inForceOnly = false;

    bool wants(SummaryStatus s) const {
        return statuses == 0 || (statuses & (1u << static_cast<unsigned>(s))) != 0;
    }
    bool active() const { return statuses != 0 || inForceOnly; }
    /// Parses "exceeds,indeterminate"; throws InputError(Usage) naming a close status.
    static StatusFilter parse(const std::vector<std::string>& names, bool inForceOnly);
};

/// One record's status under one policy as of one date.
struct StatusCell {
    bool applies = false;  ///< false: the policy does not speak about this kind of record
    SummaryStatus status = SummaryStatus::Unknown;
    bool inForce = false;
    std::string counted;  ///< the counted FLOP under the policy's scope, e.g. "2.1e25", ">=4.1e25"
};

/// What a summary keeps of one record.
struct StatusLine {
    std::string id;
    std::string total;                           ///< the central total, ">=x" for a lower bound
    std::vector<std::vector<StatusCell>> cells;  ///< [date][policy], in the report's orders
    std::vector<std::string> warningCodes;       ///< code text of each warning, e.g. "W803"
};

/// The status line of a result; `policies` gives the column order.
/// `withFigures` false leaves `total` and each cell's `counted` empty (the figures cost an exact
/// number's formatting each and only the `--only` answer prints them).
StatusLine statusLine(const RecordAssessment& result, const std::vector<PolicySummary>& policies,
                      int digits = 3, bool withFigures = true);

/// True when some evaluated (date, policy) cell of the line passes the filter (an inactive
/// filter passes every line).
bool passes(const StatusLine& line, const StatusFilter& filter);

/// Collects status lines in output order and renders the per-policy summary.
class StatusSummary {
public:
    StatusSummary(std::vector<PolicySummary> policies, std::vector<Date> dates,
                  StatusFilter filter = {});
    void add(StatusLine line);

    /// "Models by status": per date and policy, each wanted status with its count and the
    /// models' names (text wraps at `width`; Markdown as lists). `withFigures` adds each model's
    /// counted FLOP (the `--only` answer lists one model a line).
    std::string text(std::size_t width, bool withFigures) const;
    std::string markdown() const;  ///< without a heading of its own
    /// text() and markdown() written to `out` as they are made: a registry's lists are tens of
    /// megabytes, which a string would hold (and copy as it grows) before a single write.
    void writeText(std::ostream& out, std::size_t width, bool withFigures) const;
    void writeMarkdown(std::ostream& out) const;
    /// Warnings counted by code: "W803 x41 assumption-used" lines; "" when none.
    std::string warningsText() const;

    std::size_t records() const { return idEnds_.size(); }
    /// Number of records in `status` under policy `p` as of date `d`.
    std::size_t count(std::size_t d, std::size_t p, SummaryStatus status) const;

private:
    std::vector<PolicySummary> policies_;
    std::vector<Date> dates_;
    StatusFilter filter_;
    struct Cell {
        bool applies = false;
        bool inForce = false;
        SummaryStatus status = SummaryStatus::Unknown;
    };
    Cell cell(std::size_t line, std::size_t d, std::size_t p) const;
    const std::string& counted(std::size_t line, std::size_t d, std::size_t p) const;
    std::string_view id(std::size_t line) const;
    class Sink;
    void writeText(Sink& out, std::size_t width, bool withFigures) const;
    void writeMarkdown(Sink& out) const;

    // A registry of 200,000 records keeps 200,000 of these, so each line is stored as its id
    // (in one arena: no allocation a record) plus one byte per (date, policy) cell; the
    // counted figures (tens of bytes each) only when a filter asks for the one-model-a-line
    // answer that prints them.
    bool keepFigures_ = false;
    std::string idBytes_;               ///< every id, one after the other
    std::vector<std::size_t> idEnds_;   ///< where each line's id ends in idBytes_
    std::vector<std::uint8_t> cells_;   ///< [line][date][policy]: applies | inForce<<1 | status<<2
    std::vector<std::string> counted_;  ///< same order; empty unless keepFigures_
    std::map<std::string, std::size_t> warnings_;
};

}  // namespace v1
}  // namespace flopledger
