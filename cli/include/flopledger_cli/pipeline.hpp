#pragma once
// The assess/estimate engine of the CLI: reads the inputs, assesses records on worker threads and
// hands results to a report writer in input order.
//
// Whole documents (JSON arrays, {"records": [...]}, single records, directories) are read whole
// and assessed as one registry: parents referenced by id and frontier-relative thresholds see
// every record of every whole-document input. JSON Lines (".jsonl"/".ndjson" files and
// line-oriented standard input) are streamed: a bounded queue of line batches feeds the workers,
// so memory stays flat whatever the input size; each streamed record is assessed on its own.
#include <flopledger/assessment.hpp>
#include <flopledger/record_reader.hpp>
#include <flopledger/report.hpp>

#include <cstddef>
#include <functional>
#include <istream>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace flopledger::cli {

struct PipelineOptions {
    unsigned threads = 0;          ///< workers; 0: all cores
    std::size_t batchLines = 256;  ///< JSON Lines per work item
    bool progress = false;         ///< progress line on stderr (caller checks it is a terminal)
};

struct PipelineResult {
    std::size_t records = 0;  ///< records assessed and written
    std::size_t errors = 0;   ///< error diagnostics printed
    bool internalError = false;
    unsigned flags = 0;  ///< OR of the classify() results of every written record
    /// Records written per input file ("-" for stdin), in first-seen order (audit manifest).
    std::vector<std::pair<std::string, std::size_t>> recordsPerFile;
};

/// Classifies a result for --fail-on (called on worker threads; must be thread-safe).
using Classifier = std::function<unsigned(const RecordAssessment&)>;

/// Runs every input through the assessor into the writer. Diagnostics go to `err`, one line each,
/// in input order. Results are written in input order up to the first invalid record; after it
/// only diagnostics are printed (every one), and the writer is not finished.
PipelineResult runPipeline(const std::vector<std::string>& inputs, const RecordReader& reader,
                           const Assessor& assessor, const ReportOptions& report,
                           ReportWriter& writer, std::istream& stdinStream, std::ostream& err,
                           const PipelineOptions& options, const Classifier& classify);

/// True when `path` is read as JSON Lines by extension (.jsonl, .ndjson).
bool isJsonLinesPath(const std::string& path);

}  // namespace flopledger::cli
