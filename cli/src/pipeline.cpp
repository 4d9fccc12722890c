#include <flopledger_cli/pipeline.hpp>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <deque>
#include <exception>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <string_view>
#include <thread>

namespace flopledger::cli {
namespace {

using Clock = std::chrono::steady_clock;

bool endsWith(const std::string& s, std::string_view suffix) {
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool hasError(const std::vector<Diagnostic>& ds) {
    return std::any_of(ds.begin(), ds.end(),
                       [](const Diagnostic& d) { return d.severity == Severity::Error; });
}

// True when the line holds one complete JSON object (braces balance outside strings), i.e. the
// input is JSON Lines rather than a pretty-printed document.
bool completeObjectLine(std::string_view line) {
    int depth = 0;
    bool inString = false;
    bool escaped = false;
    bool started = false;
    for (char c : line) {
        if (inString) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                inString = false;
            }
            continue;
        }
        if (c == '"') {
            inString = true;
        } else if (c == '{' || c == '[') {
            ++depth;
            started = true;
        } else if (c == '}' || c == ']') {
            --depth;
        }
    }
    return started && depth == 0 && !inString;
}

std::string_view trimLeft(std::string_view s) {
    if (s.size() >= 3 && s.substr(0, 3) == "\xEF\xBB\xBF") {
        s.remove_prefix(3);
    }
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
        s.remove_prefix(1);
    }
    return s;
}

// One input, as planned before processing starts.
struct Input {
    std::string path;
    bool stream = false;
    std::istream* in = nullptr;  ///< stream inputs
    std::unique_ptr<std::ifstream> file;
    std::optional<std::string> pendingLine;  ///< stdin: first line already read for detection
    std::size_t skippedLines = 0;            ///< stdin: blank lines read before it
    ReadResult whole;                        ///< whole-document inputs
    std::size_t firstResult = 0;             ///< index of its first record among whole results
};

struct Entry {
    std::vector<Diagnostic> diagnostics;
    std::string id;
    std::size_t begin = 0, end = 0;          ///< streamable formats: its bytes in Batch::out
    std::optional<RecordAssessment> result;  ///< text and Markdown
    unsigned flags = 0;
    bool ok = false;
    bool internal = false;
};

// Batches are recycled (see Engine::runStream), so their strings keep their capacity and the
// steady state allocates no line or fragment buffers.
struct Batch {
    std::size_t seq = 0;
    std::size_t firstLine = 0;
    std::size_t count = 0;           ///< lines in use (lines.size() may be larger)
    std::vector<std::string> lines;  ///< JSON Lines, without the newline
    std::vector<Entry> entries;
    std::string out;  ///< streamable formats: the rendered records, one after the other
};

void reset(Entry& e) {
    e.diagnostics.clear();
    e.id.clear();
    e.begin = e.end = 0;
    e.result.reset();
    e.flags = 0;
    e.ok = false;
    e.internal = false;
}

class Progress {
public:
    Progress(bool enabled, std::ostream& err)
        : enabled_(enabled), err_(err), start_(Clock::now()) {}
    void tick(std::size_t records) {
        if (!enabled_) {
            return;
        }
        auto now = Clock::now();
        if (now - start_ < std::chrono::seconds(1) ||
            now - last_ < std::chrono::milliseconds(250)) {
            return;
        }
        last_ = now;
        double secs = std::chrono::duration<double>(now - start_).count();
        char buf[96];
        std::snprintf(buf, sizeof buf, "\r%zu records, %.0f records/s ", records,
                      static_cast<double>(records) / secs);
        err_ << buf << std::flush;
        shown_ = true;
    }
    void done() {
        if (shown_) {
            err_ << "\r\033[K" << std::flush;
            shown_ = false;
        }
    }

private:
    bool enabled_;
    std::ostream& err_;
    Clock::time_point start_;
    Clock::time_point last_{};
    bool shown_ = false;
};

// Where an id was first used: a line and a file index (into Engine::files_).
struct FirstUse {
    std::size_t line = 0;
    std::uint32_t file = 0;
};

// The ids seen so far, for the duplicate-id check: open addressing over one string arena, so a
// record costs a hash and a probe but no allocation (a node-based map allocated twice per id).
class IdTable {
public:
    /// Adds `id`; returns nullptr when it is new, else where it was first used.
    const FirstUse* insert(std::string_view id, FirstUse where) {
        if ((count_ + 1) * 2 > slots_.size()) {
            grow();
        }
        const std::size_t h = std::hash<std::string_view>{}(id);
        const std::size_t mask = slots_.size() - 1;
        for (std::size_t i = h & mask;; i = (i + 1) & mask) {
            Slot& s = slots_[i];
            if (s.length == kEmpty) {
                s.hash = h;
                s.offset = arena_.size();
                s.length = id.size();
                s.where = where;
                arena_.append(id);
                ++count_;
                return nullptr;
            }
            if (s.hash == h && std::string_view(arena_).substr(s.offset, s.length) == id) {
                return &s.where;
            }
        }
    }

private:
    static constexpr std::size_t kEmpty = static_cast<std::size_t>(-1);
    struct Slot {
        std::size_t hash = 0;
        std::size_t offset = 0;
        std::size_t length = kEmpty;
        FirstUse where;  // 40 bytes a slot, at most half of them in use
    };
    void grow() {
        std::vector<Slot> old = std::move(slots_);
        slots_.assign(std::max<std::size_t>(1024, old.size() * 2), Slot{});
        const std::size_t mask = slots_.size() - 1;
        for (const Slot& s : old) {
            if (s.length == kEmpty) {
                continue;
            }
            std::size_t i = s.hash & mask;
            while (slots_[i].length != kEmpty) {
                i = (i + 1) & mask;
            }
            slots_[i] = s;
        }
    }
    std::vector<Slot> slots_;
    std::string arena_;
    std::size_t count_ = 0;
};

class Engine {
public:
    Engine(const RecordReader& reader, const Assessor& assessor, const ReportOptions& report,
           ReportWriter& writer, std::ostream& err, const PipelineOptions& options,
           const Classifier& classify)
        : reader_(reader),
          assessor_(assessor),
          report_(report),
          writer_(writer),
          err_(err),
          options_(options),
          classify_(classify),
          progress_(options.progress, err) {
        threads_ = options.threads != 0 ? options.threads
                                        : std::max(1u, std::thread::hardware_concurrency());
        threads_ = std::min(threads_, 256u);  // more workers than that only cost memory
        streamable_ = isStreamable(report.format);
        coalesce_ = report.format == ReportFormat::Jsonl || report.format == ReportFormat::Csv;
        prepared_ = !streamable_ && writer.prepares();
    }

    PipelineResult run(std::vector<Input>& inputs) {
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
        std::vector<RecordAssessment> wholeResults;
        if (!wholeErrors && !wholeRecords.empty()) {
            try {
                wholeResults = assessor_.assessAll(std::move(wholeRecords), threads_);
            } catch (const InputError& e) {
                emit(e.diagnostic());
                failed_ = true;
            }
        }
        failed_ = failed_ || wholeErrors;
        for (auto& in : inputs) {
            if (in.stream) {
                runStream(in);
                continue;
            }
            for (const auto& d : in.whole.diagnostics) {
                emit(d);
            }
            if (failed_) {
                continue;
            }
            const std::size_t n = in.whole.records.size();
            for (std::size_t i = 0; i < n; ++i) {
                Entry e;
                RecordAssessment& r = wholeResults[in.firstResult + i];
                e.id = r.id();
                e.ok = true;
                e.flags = classify_ ? classify_(r) : 0;
                e.result = std::move(r);
                consume(e, recordLocation(*e.result->record));
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
        if (d.severity != Severity::Error) {
            return;
        }
        {
            ++result_.errors;
            if (d.code == ErrorCode::Internal) {
                result_.internalError = true;
            }
        }
        progress_.done();
        err_ << d.toString() << '\n';
    }

    // The ordered consumer: duplicate ids, diagnostics, then the result (until the first error).
    // Returns whether the record belongs to the output; a streamed record's rendered bytes are
    // then written by the caller (runStream), a whole document's result here.
    bool consume(Entry& e, const SourceLocation& where) {
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
        result_.flags |= e.flags;
        ++result_.records;
        if (counts_.size() <= file) counts_.resize(file + 1, 0);
        ++counts_[file];
        if (e.result) {
            if (streamable_) {
                write(renderFragment(report_, *e.result));
            } else {
                writer_.add(*e.result);
            }
        }
        progress_.tick(result_.records);
        return true;
    }

    // JSON Lines and CSV fragments are only concatenated by the writer, so they are gathered into
    // about a megabyte per call: one write(2) per megabyte instead of one per record.
    void write(const std::string& fragment) {
        if (!coalesce_) {
            writer_.addRendered(fragment);
            return;
        }
        pending_ += fragment;
        if (pending_.size() >= kCoalesceBytes) {
            flushPending();
        }
    }

    void flushPending() {
        if (!pending_.empty()) {
            writer_.addRendered(pending_);
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
                     std::string& out) const {
        try {
            if (!line.empty() && line.front() == '\x01') {
                throw InputError(ErrorCode::InputTooLarge,
                                 "line of " + std::string(line.substr(1)) +
                                     " bytes exceeds the limit of " +
                                     std::to_string(reader_.limits().maxLineBytes) + " bytes");
            }
            Record rec = reader_.parseLine(line, file, lineNo);
            e.diagnostics = reader_.validate(rec);
            if (hasError(e.diagnostics)) {
                return;
            }
            e.id = recordId(rec);
            RecordAssessment r = assessor_.assess(std::move(rec));
            e.flags = classify_ ? classify_(r) : 0;
            if (streamable_ || prepared_) {
                e.begin = out.size();
                try {
                    if (streamable_) {
                        appendFragment(out, report_, r);
                    } else {
                        writer_.prepare(out, r);
                    }
                } catch (...) {
                    out.resize(e.begin);
                    throw;
                }
                e.end = out.size();
            } else {
                e.result = std::move(r);
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

    static bool blank(std::string_view line) {
        return line.find_first_not_of(" \t\r\n") == std::string_view::npos;
    }

    void runStream(Input& in) {
        const std::string file = in.path;
        std::mutex m;
        std::condition_variable workCv, doneCv, spaceCv;
        std::deque<Batch> work;
        std::map<std::size_t, Batch> done;
        std::vector<Batch> spare;  ///< consumed batches, recycled by the reader
        bool readerFinished = false;
        bool stop = false;
        std::size_t nextSeq = 0;
        std::size_t consumed = 0;
        const std::size_t maxInFlight = 4 * static_cast<std::size_t>(threads_) + 2;
        const std::size_t maxLine = reader_.limits().maxLineBytes;
        // A writer that cannot prepare records gets whole assessments (tens of KB each) queued
        // instead of rendered bytes, so its batches are smaller to keep the queue's memory down.
        const std::size_t batchLines =
            streamable_ || prepared_
                ? options_.batchLines
                : std::max<std::size_t>(1, std::min<std::size_t>(options_.batchLines, 64));

        auto worker = [&] {
            for (;;) {
                Batch b;
                {
                    std::unique_lock<std::mutex> lock(m);
                    workCv.wait(lock, [&] { return !work.empty() || readerFinished || stop; });
                    if (work.empty()) {
                        return;
                    }
                    b = std::move(work.front());
                    work.pop_front();
                }
                if (b.entries.size() < b.count) {
                    b.entries.resize(b.count);
                }
                b.out.clear();
                for (std::size_t i = 0; i < b.count; ++i) {
                    reset(b.entries[i]);
                    if (!blank(b.lines[i])) {
                        processLine(b.lines[i], file, b.firstLine + i, b.entries[i], b.out);
                    }
                }
                {
                    std::lock_guard<std::mutex> lock(m);
                    done.emplace(b.seq, std::move(b));
                }
                doneCv.notify_one();
            }
        };

        auto readerFn = [&] {
            std::size_t lineNo = in.skippedLines;
            Batch b;
            auto fresh = [&] {
                std::lock_guard<std::mutex> lock(m);
                if (!spare.empty()) {
                    b = std::move(spare.back());
                    spare.pop_back();
                } else {
                    b = Batch{};
                }
                b.count = 0;
            };
            auto flush = [&] {
                std::unique_lock<std::mutex> lock(m);
                spaceCv.wait(lock, [&] { return nextSeq - consumed < maxInFlight || stop; });
                if (stop) {
                    return false;
                }
                b.seq = nextSeq++;
                work.push_back(std::move(b));
                lock.unlock();
                workCv.notify_one();
                fresh();
                return true;
            };
            // The line being assembled lives in the batch (its string keeps its capacity); a
            // line over the limit is not kept: it becomes a marker with its length, which
            // processLine turns into a clear diagnostic.
            std::size_t length = 0;
            bool open = false;
            auto current = [&]() -> std::string& {
                if (b.lines.size() <= b.count) {
                    b.lines.resize(b.count + 1);
                }
                return b.lines[b.count];
            };
            auto append = [&](const char* p, std::size_t n) {
                std::string& line = current();
                if (!open) {
                    line.clear();
                    length = 0;
                    open = true;
                }
                length += n;
                if (length <= maxLine) {
                    line.append(p, n);
                }
            };
            auto take = [&] {
                std::string& line = current();
                if (!open) {
                    line.clear();
                    length = 0;
                }
                open = false;
                ++lineNo;
                if (b.count == 0) {
                    b.firstLine = lineNo;
                }
                if (length > maxLine) {
                    line = std::string(1, '\x01') + std::to_string(length);
                }
                ++b.count;
                return b.count < batchLines || flush();
            };
            fresh();
            bool go = true;
            if (in.pendingLine) {
                append(in.pendingLine->data(), in.pendingLine->size());
                go = take();
            }
            // Read in large blocks and split at newlines (std::getline costs a call per byte).
            std::vector<char> block(std::size_t{1} << 20);
            while (go && *in.in) {
                in.in->read(block.data(), static_cast<std::streamsize>(block.size()));
                const auto n = static_cast<std::size_t>(in.in->gcount());
                const char* p = block.data();
                const char* end = p + n;
                while (go && p < end) {
                    const auto* nl = static_cast<const char*>(
                        std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
                    if (nl == nullptr) {
                        append(p, static_cast<std::size_t>(end - p));
                        break;
                    }
                    append(p, static_cast<std::size_t>(nl - p));
                    go = take();
                    p = nl + 1;
                }
            }
            if (go && open) {
                go = take();  // a last line without a newline
            }
            if (go && b.count > 0) {
                flush();
            }
            {
                std::lock_guard<std::mutex> lock(m);
                readerFinished = true;
            }
            workCv.notify_all();
            doneCv.notify_all();
        };

        std::vector<std::thread> pool;
        for (unsigned t = 0; t < threads_; ++t) {
            pool.emplace_back(worker);
        }
        std::thread readerThread(readerFn);
        for (;;) {
            Batch b;
            {
                std::unique_lock<std::mutex> lock(m);
                doneCv.wait(lock, [&] {
                    return done.count(consumed) > 0 || (readerFinished && consumed == nextSeq);
                });
                auto it = done.find(consumed);
                if (it == done.end()) {
                    break;
                }
                b = std::move(it->second);
                done.erase(it);
            }
            SourceLocation where;
            where.file = file;
            std::size_t written = 0;  // the written records' bytes are a prefix of b.out
            for (std::size_t i = 0; i < b.count; ++i) {
                Entry& e = b.entries[i];
                if (e.diagnostics.empty() && !e.ok) {
                    continue;  // blank line
                }
                where.line = b.firstLine + i;
                if (consume(e, where)) {
                    if (coalesce_) {
                        written = e.end;
                    } else if (streamable_) {
                        writer_.addRendered(b.out.substr(e.begin, e.end - e.begin));
                    } else if (prepared_) {
                        writer_.addPrepared(
                            std::string_view(b.out).substr(e.begin, e.end - e.begin));
                    }
                }
            }
            if (written > 0) {
                // JSON Lines and CSV: the batch's records in one piece, after anything pending.
                flushPending();
                b.out.resize(written);
                writer_.addRendered(b.out);
            }
            // Recycled buffers keep ordinary capacities; a few huge lines or fragments must not
            // pin their memory for the rest of the run.
            for (std::size_t i = 0; i < b.count; ++i) {
                if (b.lines[i].capacity() > kKeepBytes) {
                    std::string().swap(b.lines[i]);
                }
                b.entries[i].result.reset();
            }
            if (b.out.capacity() > kKeepBytes * b.count) {
                std::string().swap(b.out);
            }
            {
                std::lock_guard<std::mutex> lock(m);
                ++consumed;
                spare.push_back(std::move(b));
            }
            spaceCv.notify_one();
        }
        readerThread.join();
        {
            std::lock_guard<std::mutex> lock(m);
            stop = true;
        }
        workCv.notify_all();
        for (auto& t : pool) {
            t.join();
        }
        if (in.in->bad()) {
            Diagnostic d;
            d.code = ErrorCode::FileNotFound;
            d.file = file;
            d.message = "read error";
            emit(d);
            failed_ = true;
        }
    }

    const RecordReader& reader_;
    const Assessor& assessor_;
    const ReportOptions& report_;
    ReportWriter& writer_;
    std::ostream& err_;
    const PipelineOptions& options_;
    const Classifier& classify_;
    Progress progress_;
    unsigned threads_ = 1;
    bool streamable_ = false;
    bool failed_ = false;
    bool coalesce_ = false;
    bool prepared_ = false;  ///< text and Markdown rows laid out by the workers (prepare())
    std::string pending_;    ///< coalesced fragments not yet handed to the writer
    static constexpr std::size_t kCoalesceBytes = std::size_t{1} << 20;
    static constexpr std::size_t kKeepBytes = std::size_t{1} << 16;
    // Where each id was first used (for the duplicate-id diagnostic): a file index and a line
    // rather than a SourceLocation, which would allocate a copy of the path per record.
    std::vector<std::string> files_;
    std::vector<std::size_t> counts_;  // records written per files_ entry
    IdTable ids_;
    PipelineResult result_;
};

// Decides how each input is read and reads the whole documents.
std::vector<Input> planInputs(const std::vector<std::string>& paths, const RecordReader& reader,
                              std::istream& stdinStream) {
    std::vector<Input> inputs;
    for (const auto& path : paths) {
        Input in;
        in.path = path;
        if (path == "-") {
            std::string first;
            bool any = static_cast<bool>(std::getline(stdinStream, first));
            std::string_view t = trimLeft(first);
            // Skip leading blank lines when detecting.
            std::string prefix;
            while (any && t.empty()) {
                prefix += first + "\n";
                any = static_cast<bool>(std::getline(stdinStream, first));
                t = trimLeft(first);
            }
            const bool records = t.substr(0, 10).find("\"records\"") != std::string_view::npos;
            if (any && !t.empty() && t.front() == '{' && completeObjectLine(t) && !records) {
                in.stream = true;
                in.in = &stdinStream;
                in.pendingLine = first;
                // Blank lines already consumed still count for line numbers.
                in.skippedLines =
                    static_cast<std::size_t>(std::count(prefix.begin(), prefix.end(), '\n'));
            } else {
                std::ostringstream rest;
                rest << stdinStream.rdbuf();
                std::string text = prefix + (any ? first + "\n" : std::string()) + rest.str();
                in.whole = reader.readText(text, "-");
            }
        } else if (isJsonLinesPath(path)) {
            auto f = std::make_unique<std::ifstream>(path, std::ios::binary);
            if (!*f) {
                // readPath produces the standard "cannot open" diagnostic.
                in.whole = reader.readPath(path);
            } else {
                in.stream = true;
                in.file = std::move(f);
                in.in = in.file.get();
            }
        } else {
            in.whole = reader.readPath(path);
        }
        inputs.push_back(std::move(in));
    }
    return inputs;
}

}  // namespace

bool isJsonLinesPath(const std::string& path) {
    return endsWith(path, ".jsonl") || endsWith(path, ".ndjson");
}

PipelineResult runPipeline(const std::vector<std::string>& inputs, const RecordReader& reader,
                           const Assessor& assessor, const ReportOptions& report,
                           ReportWriter& writer, std::istream& stdinStream, std::ostream& err,
                           const PipelineOptions& options, const Classifier& classify) {
    std::vector<Input> planned = planInputs(inputs, reader, stdinStream);
    Engine engine(reader, assessor, report, writer, err, options, classify);
    return engine.run(planned);
}

}  // namespace flopledger::cli
