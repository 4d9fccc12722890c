// The streaming engine (stream.hpp): reads the planned inputs (input_plan.hpp), assesses
// records on worker threads and hands them on in input order, to a report writer
// (assessInputs: the CLI's assess and estimate) or to a callback (assessStream).
//
// Streamed inputs: a reader thread cuts the input into batches of lines (or array elements),
// workers parse, validate, assess and render a batch into one ReportFragment, and the calling
// thread takes the batches in order: duplicate ids, diagnostics, then the batch's records in one
// writer call. At most 2 x threads + 2 batches are in flight and batches are recycled, so memory
// stays flat and the steady state allocates no line or fragment buffers.
#include <flopledger/stream.hpp>

#include <flopledger/array_splitter.hpp>
#include <flopledger/registry_checks.hpp>

#include "assess/assess_request.hpp"
#include "base/exact_fast.hpp"
#include "estimate/estimate_parts.hpp"
#include "output/report_fragment.hpp"
#include "policy/verdict_origin.hpp"
#include "policy/verdict_pool.hpp"
#include "records/record_parse.hpp"
#include "stream/batch_reader.hpp"
#include "stream/input_engine_parts.hpp"
#include "stream/input_plan.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <utility>

namespace flopledger::inline v1 {
namespace {

using detail::Batch;
using detail::Entry;
using detail::FirstUse;
using detail::IdTable;
using detail::Input;
using detail::Progress;
using detail::reset;

bool hasError(const std::vector<Diagnostic>& ds) {
    return std::any_of(ds.begin(), ds.end(),
                       [](const Diagnostic& d) { return d.severity == Severity::Error; });
}

// What assessStream adds to the engine: each record handed to a callback (errors included,
// without printing them or stopping), no duplicate-id check.
struct ItemHook {
    const StreamCallback* callback = nullptr;
    bool keepResults = true;
    bool render = true;  ///< fill StreamItem::jsonLines
    StreamSummary summary;
    std::exception_ptr error;  ///< thrown by the callback
};

class Engine {
public:
    Engine(const RecordReader& reader, const Assessor& assessor, ReportWriter& writer,
           std::ostream* err, const InputsOptions& options, ItemHook* hook)
        : reader_(reader),
          assessor_(assessor),
          writer_(writer),
          renderer_(writer.renderer()),
          err_(err),
          options_(options),
          hook_(hook),
          progress_(options.progress && err != nullptr, err),
          request_(writerNeeds(writer)) {
        threads_ = options.threads != 0 ? options.threads
                                        : std::max(1u, std::thread::hardware_concurrency());
        threads_ = std::min(threads_, 256u);  // more workers than that only cost memory
        if (hook_ != nullptr && hook_->keepResults) request_.breakdown = true;  // callers read it
    }

    InputsSummary run(std::vector<Input>& inputs) {
        // Whole documents first, as one registry (read whole anyway).
        std::vector<Record> wholeRecords;
        bool wholeErrors = false;
        for (auto& in : inputs) {
            if (in.stream) {
                continue;
            }
            for (const auto& rec : in.whole.records) {
                auto extra = reader_.validate(rec);
                appendNew(in.whole.diagnostics, extra);
            }
            wholeErrors = wholeErrors || hasError(in.whole.diagnostics);
            in.firstResult = wholeRecords.size();
            for (auto& rec : in.whole.records) {
                wholeRecords.push_back(std::move(rec));
            }
        }
        if (!wholeRecords.empty()) {
            // Parents given by id must lead somewhere and never back to the record.
            for (const auto& d : checkParents(wholeRecords)) {
                wholeErrors = wholeErrors || d.severity == Severity::Error;
                emit(d);
            }
        }
        std::vector<RecordAssessment> wholeResults;
        if (!wholeErrors && !wholeRecords.empty()) {
            try {
                wholeResults = AssessorAccess::assessAll(assessor_, std::move(wholeRecords),
                                                         threads_, request_);
            } catch (const InputError& e) {
                emit(e.diagnostic());
                failed_ = true;
            }
        }
        failed_ = failed_ || wholeErrors;
        for (auto& in : inputs) {
            if (stopped()) {
                break;
            }
            if (in.stream) {
                runStream(in);
                continue;
            }
            if (hook_ != nullptr && hasError(in.whole.diagnostics)) {
                Entry e;
                e.diagnostics = in.whole.diagnostics;
                SourceLocation where;
                where.line = e.diagnostics.front().line;
                consume(e, where, nullptr);
                continue;
            }
            for (const auto& d : in.whole.diagnostics) {
                emit(d);
            }
            if (failed_) {
                continue;
            }
            const std::size_t n = in.whole.records.size();
            for (std::size_t i = 0; i < n && !stopped(); ++i) {
                Entry e;
                RecordAssessment& r = wholeResults[in.firstResult + i];
                e.id = r.id();
                e.ok = true;
                e.flags = classify(r);
                summarize(e, r);
                e.result = std::move(r);
                consume(e, recordLocation(*e.result->record), nullptr);
            }
        }
        flushPending();
        progress_.done();
        for (std::size_t i = 0; i < counts_.size() && i < files_.size(); ++i)
            if (counts_[i] > 0) result_.recordsPerFile.emplace_back(files_[i], counts_[i]);
        return result_;
    }

private:
    static void appendNew(std::vector<Diagnostic>& into, const std::vector<Diagnostic>& more) {
        for (const auto& d : more) {
            bool seen = std::any_of(into.begin(), into.end(), [&](const Diagnostic& x) {
                return x.toString() == d.toString();
            });
            if (!seen) {
                into.push_back(d);
            }
        }
    }

    // Warnings belong to the report (assumptions, notes); only errors go to stderr here.
    void emit(const Diagnostic& d) {
        if (hook_ != nullptr) {
            // assessStream: an error found across the whole documents (a parent cycle, an
            // assessment that failed) is an item of its own; nothing is printed.
            if (d.severity == Severity::Error) {
                Entry e;
                e.diagnostics.push_back(d);
                handOver(e, d.line, {});
            }
            return;
        }
        if (d.severity != Severity::Error) {
            if (d.code == ErrorCode::SkippedEntry || d.code == ErrorCode::UnknownParent) {
                ++result_.warnings;
                progress_.done();
                print(d);  // about the inputs, not a record's report
            }
            return;
        }
        {
            ++result_.errors;
            if (d.code == ErrorCode::Internal) {
                result_.internalError = true;
            }
        }
        progress_.done();
        print(d);
    }

    void print(const Diagnostic& d) {
        if (err_ != nullptr) {
            *err_ << d.toString() << '\n';
        }
    }

    bool stopped() const { return hook_ != nullptr && stop_; }

    // --fail-on: an in-force verdict that exceeds; one that is indeterminate or unknown.
    static unsigned classify(const RecordAssessment& r) {
        unsigned flags = 0;
        for (const auto& d : r.dates) {
            for (const auto& v : d.verdicts) {
                if (!v.inForce) {
                    continue;
                }
                if (v.status == VerdictStatus::Exceeds) {
                    flags |= kExceeding;
                } else if (v.status == VerdictStatus::Indeterminate ||
                           v.status == VerdictStatus::Unknown) {
                    flags |= kIndeterminate;
                }
            }
        }
        return flags;
    }

    // assessStream: the record goes to the callback, with its diagnostics, whatever they are.
    void handOver(Entry& e, std::size_t line, std::string_view rendered) {
        StreamItem item;
        item.line = line;
        item.ok = e.ok;
        item.result = e.result && e.ok ? &*e.result : nullptr;
        item.jsonLines = e.ok ? rendered : std::string_view();
        item.diagnostics = &e.diagnostics;
        ++hook_->summary.records;
        if (!e.ok) {
            ++hook_->summary.errors;
        }
        try {
            if (!(*hook_->callback)(item)) {
                hook_->summary.stopped = true;
                stop_ = true;
            }
        } catch (...) {
            hook_->error = std::current_exception();
            stop_ = true;
        }
    }

    // The ordered consumer: duplicate ids, diagnostics, then the result (until the first error).
    // Returns whether the record belongs to the output; a streamed record's rendered bytes are
    // then written by the caller (runStream), a whole document's result here.
    bool consume(Entry& e, const SourceLocation& where, const ReportFragment* batch) {
        if (hook_ != nullptr) {
            if (batch == nullptr && e.ok && hook_->render) {
                // A whole document's record: rendered here (streamed ones by the workers).
                scratch_.clear();
                renderer_.render(scratch_, *e.result);
                handOver(e, where.line, FragmentAccess::bytes(scratch_));
            } else {
                const std::string& bytes = FragmentAccess::bytes(batch ? *batch : scratch_);
                handOver(e, where.line,
                         batch ? std::string_view(bytes).substr(e.begin, e.end - e.begin)
                               : std::string_view());
            }
            return false;
        }
        for (const auto& d : e.diagnostics) {
            emit(d);
        }
        if (e.internal) {
            result_.internalError = true;
        }
        if (!e.ok) {
            failed_ = true;
            return false;
        }
        const std::uint32_t file = fileIndex(where.file);
        const FirstUse* first = ids_.insert(e.id, FirstUse{where.line, file});
        if (first != nullptr) {
            Diagnostic d;
            d.code = ErrorCode::DuplicateId;
            d.file = where.file;
            d.line = where.line;
            d.pointer = where.pointer.empty() ? "/id" : where.pointer + "/id";
            const std::string& firstFile = files_[first->file];
            d.message = "duplicate id '" + e.id + "' (first used at " +
                        (firstFile == where.file ? std::string() : firstFile + ":") + "line " +
                        std::to_string(first->line) + ")";
            emit(d);
            failed_ = true;
            return false;
        }
        if (failed_) {
            return false;
        }
        result_.exceeding += (e.flags & kExceeding) != 0 ? 1 : 0;
        result_.indeterminate += (e.flags & kIndeterminate) != 0 ? 1 : 0;
        if (e.status) {
            if (options_.summary != nullptr) {
                options_.summary->add(std::move(*e.status));
            } else {
                result_.lines.push_back(std::move(*e.status));
            }
            e.status.reset();
        }
        if (!e.keep || !options_.writeRecords) {
            return false;
        }
        ++result_.records;
        if (counts_.size() <= file) counts_.resize(file + 1, 0);
        ++counts_[file];
        if (e.result) {
            renderer_.render(pending_, *e.result);
            if (FragmentAccess::bytes(pending_).size() >= kCoalesceBytes) {
                flushPending();
            }
        }
        progress_.tick(result_.records);
        return true;
    }

    // The status line a summary or filter needs (on worker threads: reads only options).
    void summarize(Entry& e, const RecordAssessment& r) const {
        if (!options_.statusLines && !options_.filter.active()) {
            return;
        }
        StatusLine line =
            statusLine(r, options_.policies, options_.digits, options_.filter.active());
        e.keep = passes(line, options_.filter);
        if (options_.statusLines && e.keep) {
            e.status = std::move(line);
        }
    }

    // Whole documents' records are gathered into about a megabyte per writer call.
    void flushPending() {
        if (!pending_.empty()) {
            writer_.add(pending_);
            pending_.clear();
        }
    }

    std::uint32_t fileIndex(const std::string& file) {
        if (files_.empty() || files_.back() != file) {
            auto it = std::find(files_.begin(), files_.end(), file);
            if (it == files_.end()) {
                files_.push_back(file);
                return static_cast<std::uint32_t>(files_.size() - 1);
            }
            return static_cast<std::uint32_t>(it - files_.begin());
        }
        return static_cast<std::uint32_t>(files_.size() - 1);
    }

    void processLine(std::string_view line, const std::string& file, std::size_t lineNo, Entry& e,
                     ReportFragment& out, const std::string& pointer) const {
        processOne(line, file, lineNo, e, out, pointer.empty(), pointer);
        if (!pointer.empty()) {
            // Array elements: diagnostics name the element (/records/3/stages/0/tokens).
            for (auto& d : e.diagnostics) {
                d.pointer = pointer + d.pointer;
            }
        }
    }

    /// The thread's last record, handed back for the next line's parse when nothing else holds
    /// it (fast path: its storage reused; OFF: never set, every line a fresh record).
    struct SpareRecord {
        std::shared_ptr<Record> held;
        static std::shared_ptr<Record>& slot() {
            thread_local std::shared_ptr<Record> spare;
            return spare;
        }
        SpareRecord() = default;
        SpareRecord(const SpareRecord&) = delete;
        SpareRecord& operator=(const SpareRecord&) = delete;
        ~SpareRecord() {
            if (held && held.use_count() == 1) slot() = std::move(held);
        }
    };

    void processOne(std::string_view line, const std::string& file, std::size_t lineNo, Entry& e,
                    ReportFragment& out, bool isLine, const std::string& pointer = {}) const {
        try {
            if (!line.empty() && line.front() == '\x01') {
                throw InputError(ErrorCode::InputTooLarge,
                                 std::string(isLine ? "line" : "record") + " of " +
                                     std::string(line.substr(1)) + " bytes exceeds the limit of " +
                                     std::to_string(reader_.limits().maxLineBytes) + " bytes");
            }
            if (line.find('\0') != std::string_view::npos) {
                throw InputError(ErrorCode::Encoding,
                                 "the line contains NUL bytes (UTF-16 or binary?); records must "
                                 "be UTF-8 text");
            }
            // Built in shared storage: no move of the record into the shared_ptr below; in the
            // thread's previous record when it is free again (SpareRecord, declared before the
            // assessment so that it takes the record back after the assessment is gone).
            SpareRecord back;
            std::shared_ptr<Record> shared =
                detail::parseLineShared(reader_, line, file, lineNo, SpareRecord::slot());
            if constexpr (detail::kFastPaths) back.held = shared;
            Record& rec = *shared;
            e.diagnostics = reader_.validate(rec);
            if (hasError(e.diagnostics)) {
                return;
            }
            e.id = recordId(rec);
            if (!pointer.empty()) {
                // An array element: its warnings name it as the whole-document reader does
                // (/3/stages/0/flop), so streamed and whole reads print the same pointers.
                if (auto* m = std::get_if<ModelRecord>(&rec)) {
                    m->location.pointer = pointer + m->location.pointer;
                    for (Stage& st : m->stages) st.pointer = pointer + st.pointer;
                }
            }
            // From here to the render nothing outside core sees the verdicts: the writers may
            // replay their policies' texts by identity (verdict_origin.hpp).
            const detail::VerdictOriginScope origins;
            RecordAssessment r = AssessorAccess::assess(assessor_, std::move(shared), request_);
            e.flags = classify(r);
            summarize(e, r);
            if (!e.keep || !options_.writeRecords) {
                e.ok = true;  // summarised or filtered out: nothing to render
                return;
            }
            if (hook_ == nullptr || hook_->render) {
                std::string& bytes = FragmentAccess::bytes(out);
                e.begin = bytes.size();
                try {
                    renderer_.render(out, r);
                } catch (...) {
                    bytes.resize(e.begin);
                    throw;
                }
                e.end = bytes.size();
            }
            if (hook_ != nullptr && hook_->keepResults) {
                e.result = std::move(r);
            } else {  // written: the thread's next record reuses the verdicts' storage
                for (DatedVerdicts& d : r.dates) detail::giveBackVerdicts(std::move(d.verdicts));
                if (r.estimate) detail::giveBackEstimate(std::move(*r.estimate));
            }
            e.ok = true;
        } catch (const InputError& ex) {
            Diagnostic d = ex.diagnostic();
            if (d.file.empty()) {
                d.file = file;
            }
            if (d.line == 0) {
                d.line = lineNo;
            }
            e.diagnostics.push_back(std::move(d));
        } catch (const std::exception& ex) {
            Diagnostic d;
            d.code = ErrorCode::Internal;
            d.file = file;
            d.line = lineNo;
            d.message = std::string("internal error: ") + ex.what();
            e.diagnostics.push_back(std::move(d));
            e.internal = true;
        }
    }

    void runStream(Input& in) {
        const std::string file = in.path;
        detail::BatchQueue q;
        // Two batches a worker and two more: the reader stays ahead, and fewer 1 MB output
        // buffers are in use (4 x threads + 2 before: 2 threads, 24% more page faults, 9 MB more
        // RSS, no less CPU; docs/performance.md, round 8, render10).
        q.maxInFlight = 2 * static_cast<std::size_t>(threads_) + 2;
        std::optional<Diagnostic> splitError;  ///< an array that is not well formed
        const std::string base = in.array ? detail::arrayBase(in.pending) : std::string();
        detail::BatchReader batches(in, q, options_.batchLines, reader_.limits().maxLineBytes);
        std::vector<std::thread> pool;
        for (unsigned t = 0; t < threads_; ++t) {
            pool.emplace_back([&] { work(q, in.array, file, base); });
        }
        std::thread readerThread([&] { batches.run(file, splitError); });
        consumeBatches(q, in.array, file, base);
        {
            std::lock_guard<std::mutex> lock(q.m);
            q.stop = true;  // (the callback of assessStream may stop early)
        }
        q.spaceCv.notify_all();
        q.workCv.notify_all();
        readerThread.join();
        for (auto& t : pool) {
            t.join();
        }
        if (splitError && hook_ != nullptr && !stopped()) {
            Entry e;  // an array that is not well formed: an item with the diagnostic
            e.diagnostics.push_back(*splitError);
            SourceLocation where;
            where.line = splitError->line;
            consume(e, where, nullptr);
        } else if (splitError) {
            emit(*splitError);
            failed_ = true;
        }
        if (in.readErrno != 0) {
            Diagnostic d;
            d.code = ErrorCode::Unreadable;
            d.file = file;
            d.message = "cannot read '" + file + "': " + std::strerror(in.readErrno);
            if (hook_ != nullptr) {
                throw InputError(d);  // assessStream: an I/O error is thrown
            }
            emit(d);
            failed_ = true;
        }
    }

    // A worker: parses, validates, assesses and renders batches until the reader is done.
    void work(detail::BatchQueue& q, bool array, const std::string& file,
              const std::string& base) const {
        for (;;) {
            Batch b;
            {
                std::unique_lock<std::mutex> lock(q.m);
                q.workCv.wait(lock, [&] { return !q.work.empty() || q.readerFinished || q.stop; });
                if (q.work.empty()) {
                    return;
                }
                b = std::move(q.work.front());
                q.work.pop_front();
            }
            if (b.entries.size() < b.count) {
                b.entries.resize(b.count);
            }
            b.out.clear();
            std::string pointer;
            bool sized = false;
            for (std::size_t i = 0; i < b.count; ++i) {
                reset(b.entries[i]);
                if (array) {
                    pointer = base;
                    pointer += '/';
                    pointer += std::to_string(b.indexes[i]);
                }
                processLine(b.lines[i], file, b.lineNos[i], b.entries[i], b.out, pointer);
                if (!sized) {
                    sized = reserveBatch(b, i);
                }
            }
            limitBatch(q, b);
            {
                std::lock_guard<std::mutex> lock(q.m);
                q.done.emplace(b.seq, std::move(b));
            }
            q.doneCv.notify_one();
        }
    }

    // Once the batch's first record is rendered: room for the batch at that record's size (and
    // a quarter more), so a new batch's bytes are not copied again and again as they grow (the
    // consumer drops buffers over kKeepBytes a record). Returns whether it is sized.
    static bool reserveBatch(Batch& b, std::size_t i) {
        std::string& bytes = FragmentAccess::bytes(b.out);
        if (bytes.empty()) {
            return false;
        }
        const std::size_t each = std::min(bytes.size() / (i + 1), kKeepBytes / 2);
        const std::size_t want = each * b.count + each * b.count / 4;
        if (bytes.capacity() < want) {
            bytes.reserve(want);
        }
        return true;
    }

    // Batches of about kBatchBytes of output: a format that writes ~20 KB a record (JSON Lines,
    // CSV) would otherwise keep (2 x threads + 2) x 256 x 20 KB in flight, tens of megabytes
    // that are first touched (a page fault per 4 KB) and never warm in the caches. Smaller
    // batches (256 KB) cut the faults further but cost more thread switches than they saved.
    // The boundaries change nothing in the output (batches are consumed in order, record by
    // record).
    static void limitBatch(detail::BatchQueue& q, const Batch& b) {
        if (b.count == 0) {
            return;
        }
        const std::size_t each = FragmentAccess::bytes(b.out).size() / b.count;
        const std::size_t lines =
            each == 0 ? kUnlimited : std::max(kMinBatchLines, kBatchBytes / each);
        if (q.outputLines.load(std::memory_order_relaxed) != lines) {
            q.outputLines.store(lines, std::memory_order_relaxed);
        }
    }

    // The ordered consumer (the calling thread): batches in input order; the records of a batch
    // that belong to the output go to the writer in one piece.
    void consumeBatches(detail::BatchQueue& q, bool array, const std::string& file,
                        const std::string& base) {
        while (!stopped()) {
            Batch b;
            {
                std::unique_lock<std::mutex> lock(q.m);
                q.doneCv.wait(lock, [&] {
                    return q.done.count(q.consumed) > 0 ||
                           (q.readerFinished && q.consumed == q.nextSeq);
                });
                auto it = q.done.find(q.consumed);
                if (it == q.done.end()) {
                    break;
                }
                b = std::move(it->second);
                q.done.erase(it);
            }
            SourceLocation where;
            where.file = file;
            std::size_t written = 0;  // the written records' bytes are a prefix of b.out
            for (std::size_t i = 0; i < b.count && !stopped(); ++i) {
                Entry& e = b.entries[i];
                where.line = b.lineNos[i];
                if (array) {
                    where.pointer = base + "/" + std::to_string(b.indexes[i]);
                }
                if (consume(e, where, &b.out)) {
                    written = e.end;
                }
            }
            if (written > 0) {
                // The batch's records in one piece, after anything pending.
                flushPending();
                FragmentAccess::bytes(b.out).resize(written);
                writer_.add(b.out);
            }
            // Recycled buffers keep ordinary capacities; a few huge lines or fragments must not
            // pin their memory for the rest of the run.
            for (std::size_t i = 0; i < b.count; ++i) {
                if (b.lines[i].capacity() > kKeepBytes) {
                    std::string().swap(b.lines[i]);
                }
                b.entries[i].result.reset();
            }
            if (FragmentAccess::bytes(b.out).capacity() > kKeepBytes * b.count) {
                b.out = ReportFragment();
            }
            {
                std::lock_guard<std::mutex> lock(q.m);
                ++q.consumed;
                q.spare.push_back(std::move(b));
            }
            q.spaceCv.notify_one();
        }
    }

    static constexpr unsigned kExceeding = 1;
    static constexpr unsigned kIndeterminate = 2;
    static constexpr std::size_t kCoalesceBytes = std::size_t{1} << 20;

    const RecordReader& reader_;
    const Assessor& assessor_;
    ReportWriter& writer_;
    const RecordRenderer& renderer_;
    std::ostream* err_;  // nullptr: diagnostics go only to the hook
    const InputsOptions& options_;
    ItemHook* hook_;
    Progress progress_;
    unsigned threads_ = 1;
    AssessRequest request_;  // what the writer prints, so what the assessor computes
    bool failed_ = false;
    bool stop_ = false;       // the hook's callback stopped the run
    ReportFragment pending_;  // whole documents' records not yet handed to the writer
    ReportFragment scratch_;  // a whole document's record for the hook
    static constexpr std::size_t kKeepBytes = std::size_t{1} << 16;
    static constexpr std::size_t kBatchBytes = std::size_t{1} << 20;
    static constexpr std::size_t kMinBatchLines = 8;
    static constexpr std::size_t kUnlimited = static_cast<std::size_t>(-1);
    // Where each id was first used (for the duplicate-id diagnostic): a file index and a line
    // rather than a SourceLocation, which would allocate a copy of the path per record.
    std::vector<std::string> files_;
    std::vector<std::size_t> counts_;  // records written per files_ entry
    IdTable ids_;
    InputsSummary result_;
};

InputsSummary runEngine(const std::vector<std::string>& inputs, const RecordReader& reader,
                        const Assessor& assessor, ReportWriter& writer, std::istream& in,
                        std::ostream* err, const InputsOptions& options, ItemHook* hook) {
    std::vector<Input> planned = detail::planInputs(inputs, reader, in, options.allowEmpty);
    for (auto& input : planned) {
        if (input.path == "-" && input.stream) {
            input.path = options.stdinName;
        }
    }
    Engine engine(reader, assessor, writer, err, options, hook);
    return engine.run(planned);
}

}  // namespace

InputsSummary assessInputs(const std::vector<std::string>& inputs, const RecordReader& reader,
                           const Assessor& assessor, ReportWriter& writer, std::istream& in,
                           std::ostream& err, const InputsOptions& options) {
    return runEngine(inputs, reader, assessor, writer, in, &err, options, nullptr);
}

StreamSummary assessStream(const Assessor& assessor, std::istream& in,
                           const StreamCallback& callback, const StreamOptions& options) {
    RecordReader reader(options.limits, options.hardware);
    // The JSON Lines writer's renderer makes StreamItem::jsonLines; nothing is written.
    ReportOptions ro;
    ro.format = ReportFormat::Jsonl;
    ro.evaluate = assessor.options().evaluate;
    ro.compact = options.compact;
    std::ostream none(nullptr);
    auto writer = ReportWriter::create(ro, none);
    InputsOptions io;
    io.threads = options.threads;
    io.batchLines = std::max<std::size_t>(1, options.batchLines);
    io.allowEmpty = true;
    io.stdinName = options.fileName;
    ItemHook hook;
    hook.callback = &callback;
    hook.render = options.renderJsonLines;
    hook.keepResults = options.keepResults || !options.renderJsonLines;
    runEngine({"-"}, reader, assessor, *writer, in, nullptr, io, &hook);
    if (hook.error) {
        std::rethrow_exception(hook.error);
    }
    return hook.summary;
}

}  // namespace flopledger::inline v1
