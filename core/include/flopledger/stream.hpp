#pragma once
// Streaming: the one engine that reads inputs (files, folders, standard input; JSON Lines, JSON
// arrays, single documents), assesses records on worker threads in bounded memory and hands
// them on in input order. assessInputs writes them to a ReportWriter (the CLI's `assess` and
// `estimate`); assessStream hands each result to a callback (contract 7.8 /
// docs/embedding.md "Streaming"). Both run the same engine (stream/input_engine.cpp).
#include <flopledger/assessment.hpp>
#include <flopledger/diagnostic.hpp>
#include <flopledger/record_reader.hpp>
#include <flopledger/report.hpp>
#include <flopledger/status_summary.hpp>

#include <cstddef>
#include <functional>
#include <istream>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace flopledger {
inline namespace v1 {

struct StreamOptions {
    unsigned threads = 0;          ///< workers; 0: all cores
    std::size_t batchLines = 256;  ///< lines a worker takes at once
    /// false: each result is dropped as soon as its JSON Lines text is rendered (then
    /// StreamItem::result is null; test StreamItem::ok). A result holds tens of KB, so callers
    /// that only want the text run faster and in less memory.
    bool keepResults = true;
    bool renderJsonLines = true;                ///< fill StreamItem::jsonLines
    bool compact = false;                       ///< jsonLines in the compact form (compact.hpp)
    std::string fileName = "-";                 ///< the input's name in diagnostics
    ReadLimits limits;                          ///< maxLineBytes bounds one line
    const HardwareCatalog* hardware = nullptr;  ///< for validation; nullptr: the defaults
};

/// One input record, as handed to the callback.
struct StreamItem {
    std::size_t line = 0;                        ///< 1-based line in the input
    bool ok = false;                             ///< no error: assessed
    const RecordAssessment* result = nullptr;    ///< null on error (or !keepResults)
    std::string_view jsonLines;                  ///< its JSON Lines text (one line per as-of
                                                 ///< date, each ending in "\n"); "" on error
    const std::vector<Diagnostic>* diagnostics;  ///< errors and warnings of this record
};

/// Called once per record (a non-blank line or an array element), strictly in input order and
/// never concurrently, on the thread that called assessStream. The item and what it points at
/// are valid only during the call: copy what you keep. Return false to stop the stream.
using StreamCallback = std::function<bool(const StreamItem&)>;

struct StreamSummary {
    std::size_t records = 0;  ///< lines handed to the callback
    std::size_t errors = 0;   ///< of which had errors
    bool stopped = false;     ///< the callback returned false
};

/// Reads JSON Lines from `in` (one record a line; blank lines skipped; a JSON array of records
/// is streamed element by element, and a single record document is read whole), validates each
/// record as the CLI does, assesses it on its own (a parent is taken from its `parent` fields, not
/// looked up by id) and hands the result to `callback` in input order. Memory is bounded by
/// (4 x threads + 2) x batchLines records in flight, whatever the input's length. A bad record does
/// not stop the stream: its item carries the diagnostics. Exceptions thrown by the callback stop
/// the stream and are rethrown here; so is an I/O error. The Assessor may be shared with other
/// threads while this runs.
StreamSummary assessStream(const Assessor& assessor, std::istream& in,
                           const StreamCallback& callback, const StreamOptions& options = {});

struct InputsOptions {
    unsigned threads = 0;          ///< workers; 0: all cores (at most 256)
    std::size_t batchLines = 256;  ///< streamed records a worker takes at once
    bool allowEmpty = false;       ///< an empty input is zero records, not error E206
    /// The file name diagnostics give standard input ("(flags)" for the CLI's what-if record).
    std::string stdinName = "-";
    /// A "N records, R records/s" line on `err`, redrawn in place (for a terminal).
    bool progress = false;
    /// Keep each written record's StatusLine (InputsSummary::lines) for a summary by status.
    bool statusLines = false;
    std::vector<PolicySummary> policies;  ///< column order of the status lines
    int digits = 3;                       ///< of the status lines' values
    /// Records none of whose cells pass are neither written nor summarised (`--only`).
    StatusFilter filter;
    /// false: records are only summarised, not handed to the writer.
    bool writeRecords = true;
    /// When set, kept status lines are added to it in output order instead of collected in
    /// InputsSummary::lines: a StatusLine holds about a kilobyte, the summary an id and a byte
    /// per (date, policy), which keeps a 200,000-record text report in bounded memory.
    StatusSummary* summary = nullptr;
};

struct InputsSummary {
    std::size_t records = 0;   ///< records assessed and written
    std::size_t errors = 0;    ///< error diagnostics written to `err`
    std::size_t warnings = 0;  ///< warnings about the inputs written (skipped entries, parents)
    bool internalError = false;
    /// Written records with an in-force verdict that exceeds (`--fail-on exceeds`) or that is
    /// indeterminate or unknown (`--fail-on indeterminate`) on some date.
    std::size_t exceeding = 0;
    std::size_t indeterminate = 0;
    /// Records written per input file ("-" for standard input), in first-seen order.
    std::vector<std::pair<std::string, std::size_t>> recordsPerFile;
    std::vector<StatusLine> lines;  ///< InputsOptions::statusLines without a summary: kept records
};

/// The CLI's `assess` and `estimate`: reads every input ("-": `in`; a folder: its .json and
/// .jsonl files, sorted; a folder with an epoch/ layer: one layered registry), assesses the
/// records on `threads` workers and writes them to `writer` in input order. Whole documents
/// (single record objects, folders of them) are read whole and assessed as one registry, so
/// parents referenced by id and frontier-relative thresholds see every record of them. JSON
/// Lines and JSON arrays of records (a top-level array or {"records": [...]}) are streamed: a
/// bounded queue of record batches feeds the workers, so memory stays flat whatever the input's
/// size, and each streamed record is assessed on its own. Ids must be unique across all inputs.
/// Diagnostics go to `err`, one line each, in input order. Records are written up to the first
/// invalid one; after it only diagnostics are written (every one), and the writer is not
/// finished: the caller finishes it when InputsSummary::errors is 0.
InputsSummary assessInputs(const std::vector<std::string>& inputs, const RecordReader& reader,
                           const Assessor& assessor, ReportWriter& writer, std::istream& in,
                           std::ostream& err, const InputsOptions& options = {});

/// True when `path` is read as JSON Lines by its extension (.jsonl, .ndjson).
bool isJsonLinesPath(std::string_view path);

}  // namespace v1
}  // namespace flopledger
