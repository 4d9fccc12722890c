#pragma once
// Private to the streaming engine (input_engine.cpp): the batches of records that flow from the
// reader thread through the workers to the ordered consumer, the queue between them, and the
// reader, which cuts an input into batches of JSON Lines or JSON array elements.
#include <flopledger/array_splitter.hpp>
#include <flopledger/assessment.hpp>
#include <flopledger/report.hpp>
#include <flopledger/status_summary.hpp>

#include "stream/input_plan.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace flopledger::inline v1::detail {

struct Entry {
    std::vector<Diagnostic> diagnostics;
    std::string id;
    std::size_t begin = 0, end = 0;          ///< its bytes in Batch::out
    std::optional<RecordAssessment> result;  ///< whole documents (and kept stream results)
    unsigned flags = 0;
    std::optional<StatusLine> status;  ///< InputsOptions::statusLines
    bool keep = true;                  ///< passes InputsOptions::filter
    bool ok = false;
    bool internal = false;
};

// Batches are recycled (see Engine::runStream), so their strings keep their capacity and the
// steady state allocates no line or fragment buffers.
struct Batch {
    std::size_t seq = 0;
    std::size_t count = 0;             ///< lines in use (lines.size() may be larger)
    std::vector<std::string> lines;    ///< JSON Lines (without the newline) or array elements
    std::vector<std::size_t> lineNos;  ///< each one's first line
    std::vector<std::size_t> indexes;  ///< arrays: each element's index
    std::vector<Entry> entries;
    ReportFragment out;  ///< the rendered records, one after the other
};

inline void reset(Entry& e) {
    e.diagnostics.clear();
    e.id.clear();
    e.begin = e.end = 0;
    e.result.reset();
    e.flags = 0;
    e.status.reset();
    e.keep = true;
    e.ok = false;
    e.internal = false;
}

// Between the reader, the workers and the consumer; everything under `m`.
struct BatchQueue {
    std::mutex m;
    std::condition_variable workCv, doneCv, spaceCv;
    std::deque<Batch> work;             ///< read, waiting for a worker
    std::map<std::size_t, Batch> done;  ///< processed, waiting for their turn (by seq)
    std::vector<Batch> spare;           ///< consumed batches, recycled by the reader
    bool readerFinished = false;
    bool stop = false;
    std::size_t nextSeq = 0;      ///< batches queued so far
    std::size_t consumed = 0;     ///< batches consumed so far
    std::size_t maxInFlight = 2;  ///< queued but not consumed, at most
    /// Lines per batch as the rendered output suggests (0: not known yet; read by the reader
    /// without the lock): see Engine::limitBatch.
    std::atomic<std::size_t> outputLines{0};
};

/// The reader thread's work: the input in batches of `batchLines` lines (or array elements),
/// each line kept in the batch (whose strings keep their capacity); a line over `maxLine` is
/// not kept but becomes a marker with its length ("\x01" and the length), which the workers
/// turn into a clear diagnostic.
class BatchReader {
public:
    BatchReader(Input& in, BatchQueue& q, std::size_t batchLines, std::size_t maxLine)
        : in_(in), q_(q), batchLines_(batchLines), maxLine_(maxLine) {}
    /// Reads to the end (or until the queue stops); an array that is not well formed leaves its
    /// diagnostic (naming `file`) in splitError.
    void run(const std::string& file, std::optional<Diagnostic>& splitError);

private:
    void fresh();
    bool flush();
    std::string& current();
    void append(const char* p, std::size_t n);
    bool take(std::size_t line, std::size_t index);
    void lines(const char* p, std::size_t n);
    void feed(const char* p, std::size_t n);
    std::size_t limit() const {
        // Until a batch is rendered, small batches: the first ones would otherwise all be
        // cut at batchLines before any is measured.
        const std::size_t byOutput = q_.outputLines.load(std::memory_order_relaxed);
        return std::min(byOutput != 0 ? byOutput : kFirstLines, batchLines_);
    }

    static constexpr std::size_t kFirstLines = 16;
    Input& in_;
    BatchQueue& q_;
    std::size_t batchLines_;
    std::size_t maxLine_;
    Batch b_;
    std::size_t lineNo_ = 0;
    std::size_t length_ = 0;  // of the line being assembled
    bool open_ = false;       // a line is being assembled
    bool content_ = false;    // a non-blank byte in the current line
    bool go_ = true;
    std::optional<RecordArraySplitter> splitter_;
};

}  // namespace flopledger::inline v1::detail
