#pragma once
// Streaming: assess JSON Lines records from a stream in bounded memory, results handed to a
// callback in input order (contract 7.8 / docs/embedding.md "Streaming").
#include <flopledger/assessment.hpp>
#include <flopledger/diagnostic.hpp>
#include <flopledger/record_reader.hpp>

#include <cstddef>
#include <functional>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

namespace flopledger {

struct StreamOptions {
    unsigned threads = 0;          ///< workers; 0: all cores
    std::size_t batchLines = 256;  ///< lines a worker takes at once
    /// false: each result is dropped as soon as its JSON Lines text is rendered (then
    /// StreamItem::result is null; test StreamItem::ok). A result holds tens of KB, so callers
    /// that only want the text run faster and in less memory.
    bool keepResults = true;
    bool renderJsonLines = true;                ///< fill StreamItem::jsonLines
    bool compact = false;  ///< jsonLines in the compact form (compact.hpp)
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

/// Called once per non-blank input line, strictly in input order and never concurrently, on
/// one of the worker threads (not necessarily the caller's). The item and what it points at
/// are valid only during the call: copy what you keep. Return false to stop the stream.
using StreamCallback = std::function<bool(const StreamItem&)>;

struct StreamSummary {
    std::size_t records = 0;  ///< lines handed to the callback
    std::size_t errors = 0;   ///< of which had errors
    bool stopped = false;     ///< the callback returned false
};

/// Reads JSON Lines from `in` (one record a line; blank lines skipped), validates each record as
/// the CLI does, assesses it on its own (a parent is taken from its `parent` fields, not looked
/// up by id) and hands the result to `callback` in input order. Memory is bounded by
/// threads x batchLines records in flight, whatever the input's length. A bad record does not
/// stop the stream: its item carries the diagnostics. Exceptions thrown by the callback stop the
/// stream and are rethrown here; so is an I/O error. The Assessor may be shared with other
/// threads while this runs.
StreamSummary assessStream(const Assessor& assessor, std::istream& in,
                           const StreamCallback& callback, const StreamOptions& options = {});

}  // namespace flopledger
