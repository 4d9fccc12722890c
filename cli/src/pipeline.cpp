#include <flopledger_cli/pipeline.hpp>

#include <flopledger/array_splitter.hpp>
#include <flopledger/input_files.hpp>
#include <flopledger/registry_checks.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <deque>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <string_view>
#include <thread>
#include <utility>

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

// "" for a top-level array, "/records" for {"records": [...]}: the pointer of its elements.
std::string arrayBase(std::string_view head) {
    const std::size_t at = head.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
    return at != std::string_view::npos && head[at] == '{' ? "/records" : "";
}

// An owned file descriptor.
struct Fd {
    int v = -1;
    Fd() = default;
    explicit Fd(int fd) : v(fd) {}
    Fd(Fd&& o) noexcept : v(std::exchange(o.v, -1)) {}
    Fd& operator=(Fd&& o) noexcept {
        std::swap(v, o.v);
        return *this;
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() {
        if (v >= 0) {
            ::close(v);
        }
    }
};

// One input, as planned before processing starts.
struct Input {
    std::string path;
    bool stream = false;
    bool array = false;            ///< stream: the elements of a JSON array, not lines
    std::istream* in = nullptr;    ///< standard input
    Fd fd;                         ///< files, FIFOs
    int readErrno = 0;             ///< a read error while streaming
    std::string pending;           ///< bytes read for format detection, streamed first
    std::size_t skippedLines = 0;  ///< blank lines dropped before `pending`
    ReadResult whole;              ///< whole-document inputs (or the input's diagnostics)
    std::size_t firstResult = 0;   ///< index of its first record among whole results

    // Reads up to n bytes; 0 at the end of the input or on an error (readErrno).
    std::size_t read(char* buf, std::size_t n) {
        if (fd.v < 0) {
            if (!*in) {
                return 0;
            }
            in->read(buf, static_cast<std::streamsize>(n));
            if (in->bad()) {
                readErrno = EIO;
            }
            return static_cast<std::size_t>(in->gcount());
        }
        for (;;) {
            const ssize_t got = ::read(fd.v, buf, n);
            if (got < 0 && errno == EINTR) {
                continue;
            }
            if (got < 0) {
                readErrno = errno;
                return 0;
            }
            return static_cast<std::size_t>(got);
        }
    }
};

struct Entry {
    std::vector<Diagnostic> diagnostics;
    std::string id;
    std::size_t begin = 0, end = 0;          ///< streamable formats: its bytes in Batch::out
    std::optional<RecordAssessment> result;  ///< text and Markdown
    unsigned flags = 0;
    std::optional<StatusLine> status;  ///< PipelineOptions::statusLines
    bool keep = true;                  ///< passes PipelineOptions::filter
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
    std::string out;  ///< streamable formats: the rendered records, one after the other
};

void reset(Entry& e) {
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
                summarize(e, r);
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
            if (d.code == ErrorCode::SkippedEntry || d.code == ErrorCode::UnknownParent) {
                ++result_.warnings;
                progress_.done();
                err_ << d.toString() << '\n';  // about the inputs, not a record's report
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
        if (e.status) {
            result_.lines.push_back(std::move(*e.status));
        }
        if (!e.keep || !options_.writeRecords) {
            return false;
        }
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

    // The status line a summary or filter needs (on worker threads: reads only options).
    void summarize(Entry& e, const RecordAssessment& r) const {
        if (!options_.statusLines && !options_.filter.active()) {
            return;
        }
        StatusLine line = statusLine(r, options_.policies, options_.digits);
        e.keep = passes(line, options_.filter);
        if (options_.statusLines && e.keep) {
            e.status = std::move(line);
        }
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
                     std::string& out, const std::string& pointer) const {
        processOne(line, file, lineNo, e, out, pointer.empty(), pointer);
        if (!pointer.empty()) {
            // Array elements: diagnostics name the element (/records/3/stages/0/tokens).
            for (auto& d : e.diagnostics) {
                d.pointer = pointer + d.pointer;
            }
        }
    }

    void processOne(std::string_view line, const std::string& file, std::size_t lineNo, Entry& e,
                    std::string& out, bool isLine, const std::string& pointer = {}) const {
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
            Record rec = reader_.parseLine(line, file, lineNo);
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
            RecordAssessment r = assessor_.assess(std::move(rec));
            e.flags = classify_ ? classify_(r) : 0;
            summarize(e, r);
            if (!e.keep || !options_.writeRecords) {
                e.ok = true;  // summarised or filtered out: nothing to render
                return;
            }
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

    void runStream(Input& in) {
        const std::string file = in.path;
        std::mutex m;
        std::condition_variable workCv, doneCv, spaceCv;
        std::deque<Batch> work;
        std::map<std::size_t, Batch> done;
        std::vector<Batch> spare;  ///< consumed batches, recycled by the reader
        bool readerFinished = false;
        bool stop = false;
        std::optional<Diagnostic> splitError;  ///< an array that is not well formed
        const std::string base = in.array ? arrayBase(in.pending) : std::string();
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
                std::string pointer;
                for (std::size_t i = 0; i < b.count; ++i) {
                    reset(b.entries[i]);
                    if (in.array) {
                        pointer = base;
                        pointer += '/';
                        pointer += std::to_string(b.indexes[i]);
                    }
                    processLine(b.lines[i], file, b.lineNos[i], b.entries[i], b.out, pointer);
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
            // The line (or element) being assembled lives in the batch (its string keeps its
            // capacity); one over the limit is not kept: it becomes a marker with its length,
            // which processLine turns into a clear diagnostic.
            std::size_t length = 0;
            bool open = false;
            bool content = false;  // a non-blank byte in the current line
            auto current = [&]() -> std::string& {
                if (b.lines.size() <= b.count) {
                    b.lines.resize(b.count + 1);
                    b.lineNos.resize(b.count + 1);
                    b.indexes.resize(b.count + 1);
                }
                return b.lines[b.count];
            };
            auto append = [&](const char* p, std::size_t n) {
                if (!open) {
                    // Blank lines cost nothing: nothing is stored until a non-blank byte.
                    std::size_t skip = 0;
                    while (!content && skip < n &&
                           (p[skip] == ' ' || p[skip] == '\t' || p[skip] == '\r')) {
                        ++skip;
                    }
                    if (skip == n) {
                        return;
                    }
                    current().clear();
                    length = 0;
                    open = true;
                    content = true;
                }
                length += n;
                if (length <= maxLine) {
                    current().append(p, n);
                }
            };
            // Ends the current line (or element `index` starting on `line`).
            auto take = [&](std::size_t line, std::size_t index) {
                if (!open) {
                    return true;  // a blank line
                }
                std::string& text = current();
                open = false;
                content = false;
                if (length > maxLine) {
                    text = std::string(1, '\x01') + std::to_string(length);
                }
                b.lineNos[b.count] = line;
                b.indexes[b.count] = index;
                ++b.count;
                return b.count < batchLines || flush();
            };
            fresh();
            bool go = true;
            std::optional<RecordArraySplitter> splitter;
            if (in.array) {
                splitter.emplace([&](const char* p, std::size_t n) { append(p, n); },
                                 [&](std::size_t line, std::size_t index) {
                                     return take(line + in.skippedLines, index);
                                 });
            }
            // Splits a block at newlines (std::getline costs a call per byte).
            auto lines = [&](const char* p, std::size_t n) {
                const char* end = p + n;
                while (go && p < end) {
                    const auto* nl = static_cast<const char*>(
                        std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
                    if (nl == nullptr) {
                        append(p, static_cast<std::size_t>(end - p));
                        break;
                    }
                    append(p, static_cast<std::size_t>(nl - p));
                    go = take(++lineNo, 0);
                    p = nl + 1;
                }
            };
            auto feed = [&](const char* p, std::size_t n) {
                if (splitter) {
                    go = splitter->feed(std::string_view(p, n));
                } else {
                    lines(p, n);
                }
            };
            if (!in.pending.empty()) {
                feed(in.pending.data(), in.pending.size());
                std::string().swap(in.pending);
            }
            std::vector<char> block(std::size_t{1} << 20);
            while (go) {
                const std::size_t n = in.read(block.data(), block.size());
                if (n == 0) {
                    break;
                }
                feed(block.data(), n);
            }
            if (splitter) {
                Diagnostic d;
                if (!splitter->finish(d) && !stop) {
                    d.file = file;
                    std::lock_guard<std::mutex> lock(m);
                    splitError = d;
                }
            } else if (go && open) {
                go = take(++lineNo, 0);  // a last line without a newline
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
                where.line = b.lineNos[i];
                if (in.array) {
                    where.pointer = base + "/" + std::to_string(b.indexes[i]);
                }
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
        if (splitError) {
            emit(*splitError);
            failed_ = true;
        }
        if (in.readErrno != 0) {
            Diagnostic d;
            d.code = ErrorCode::Unreadable;
            d.file = file;
            d.message = "cannot read '" + file + "': " + std::strerror(in.readErrno);
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

Diagnostic inputError(ErrorCode code, const std::string& path, std::string message) {
    return Diagnostic{Severity::Error, code, path, 0, {}, std::move(message)};
}

// Reads the first bytes of an input, enough to tell its format: through the end of the first
// non-blank line (at most `limit` bytes).
void readHead(Input& in, std::size_t limit) {
    std::vector<char> buf(std::size_t{1} << 16);
    std::size_t scanned = 0;
    bool nonBlank = false;
    while (in.pending.size() <= limit) {
        const std::size_t n = in.read(buf.data(), buf.size());
        if (n == 0) {
            return;
        }
        in.pending.append(buf.data(), n);
        if (!nonBlank && blankText(in.pending)) {
            // Leading blank lines are counted, not kept: a gigabyte of them costs no memory.
            const std::size_t lastNl = in.pending.rfind('\n');
            if (lastNl != std::string::npos) {
                in.skippedLines += static_cast<std::size_t>(
                    std::count(in.pending.begin(), in.pending.begin() + lastNl + 1, '\n'));
                in.pending.erase(0, lastNl + 1);
            }
            scanned = 0;
            continue;
        }
        for (; scanned < in.pending.size(); ++scanned) {
            const char c = in.pending[scanned];
            if (c == '\n' && nonBlank) {
                return;
            }
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                nonBlank = true;
                if (c == '[') {
                    return;  // an array: nothing more is needed
                }
            }
        }
    }
}

// The first non-blank line of the head, without the BOM and leading blanks.
std::string_view firstLine(std::string_view head, std::size_t* after = nullptr) {
    std::size_t pos = 0;
    for (;;) {
        const std::size_t eol = head.find('\n', pos);
        std::string_view line =
            trimLeft(head.substr(pos, eol == std::string_view::npos ? eol : eol - pos));
        if (!line.empty() || eol == std::string_view::npos) {
            if (after != nullptr) {
                *after = eol == std::string_view::npos ? head.size() : eol + 1;
            }
            return line;
        }
        pos = eol + 1;
    }
}

// Plans one file or standard input (not a folder): streamed (JSON Lines, arrays) or whole.
void planOne(Input& in, bool isStdin, const RecordReader& reader, bool allowEmpty) {
    const ReadLimits& limits = reader.limits();
    readHead(in, limits.maxLineBytes);
    if (in.readErrno != 0) {
        in.whole.diagnostics.push_back(
            inputError(ErrorCode::Unreadable, in.path,
                       "cannot read '" + in.path + "': " + std::strerror(in.readErrno)));
        return;
    }
    if (blankText(in.pending)) {
        if (!allowEmpty) {
            in.whole.diagnostics.push_back(
                inputError(ErrorCode::EmptyInput, in.path,
                           (isStdin ? std::string("standard input") : "'" + in.path + "'") +
                               " is empty (pass --allow-empty to accept zero records)"));
        }
        return;
    }
    std::size_t after = 0;
    const std::string_view first = firstLine(in.pending, &after);
    const bool records = first.substr(0, 10).find("\"records\"") != std::string_view::npos;
    const bool completeFirst =
        !first.empty() && first.front() == '{' && completeObjectLine(first) && !records;
    // Standard input streams from one complete object line; a file needs a second line too
    // (a one-line .json file is a single record of the registry).
    bool lines =
        isJsonLinesPath(in.path) ||
        (completeFirst &&
         (isStdin ||
          !blankText(std::string_view(in.pending).substr(std::min(after, in.pending.size())))));
    if (completeFirst && !isStdin && !lines && in.pending.size() <= limits.maxLineBytes) {
        // Only the first line was read: more may follow it.
        std::vector<char> buf(std::size_t{1} << 16);
        const std::size_t n = in.read(buf.data(), buf.size());
        in.pending.append(buf.data(), n);
        lines = !blankText(std::string_view(in.pending).substr(std::min(after, in.pending.size())));
    }
    if (lines) {
        in.stream = true;
        return;
    }
    if (RecordArraySplitter::splittable(in.pending)) {
        in.stream = true;
        in.array = true;
        return;
    }
    // A single record object (or text that is none of these): read whole, up to the size of
    // one record, so that a document that cannot be streamed cannot exhaust memory either.
    // Dropped blank lines come back as newlines so that diagnostics keep their line numbers.
    std::string text(std::min(in.skippedLines, limits.maxLineBytes + 1), '\n');
    text += in.pending;
    std::string().swap(in.pending);
    std::vector<char> buf(std::size_t{1} << 16);
    while (text.size() <= limits.maxLineBytes) {
        const std::size_t n = in.read(buf.data(), buf.size());
        if (n == 0) {
            break;
        }
        text.append(buf.data(), n);
    }
    in.pending.clear();
    if (in.readErrno != 0) {
        in.whole.diagnostics.push_back(
            inputError(ErrorCode::Unreadable, in.path,
                       "cannot read '" + in.path + "': " + std::strerror(in.readErrno)));
        return;
    }
    if (text.size() > limits.maxLineBytes) {
        Diagnostic d = inputError(
            ErrorCode::InputTooLarge, in.path,
            "a document of more than " + std::to_string(limits.maxLineBytes) +
                " bytes that is neither a JSON array of records nor JSON Lines (one record "
                "must not be larger; arrays and JSON Lines are streamed)");
        d.line = 1;
        in.whole.diagnostics.push_back(std::move(d));
        return;
    }
    in.whole = reader.readText(text, in.path);
    in.fd = Fd();
}

// Decides how each input is read and reads the whole documents. A folder becomes its .json and
// .jsonl files (sorted), each planned like a file given by name.
std::vector<Input> planInputs(const std::vector<std::string>& paths, const RecordReader& reader,
                              std::istream& stdinStream, bool allowEmpty) {
    std::vector<Input> inputs;
    auto fail = [&](const std::string& path, std::vector<Diagnostic> diags) {
        Input in;
        in.path = path;
        in.whole.diagnostics = std::move(diags);
        inputs.push_back(std::move(in));
    };
    for (const auto& path : paths) {
        if (path == "-") {
            Input in;
            in.path = "-";
            in.in = &stdinStream;
            if (&stdinStream == &std::cin && ::fcntl(STDIN_FILENO, F_GETFD) < 0) {
                if (!allowEmpty) {
                    fail("-", {inputError(ErrorCode::EmptyInput, "-",
                                          "standard input is closed (pass --allow-empty to "
                                          "accept zero records)")});
                }
                continue;
            }
            planOne(in, true, reader, allowEmpty);
            inputs.push_back(std::move(in));
            continue;
        }
        std::error_code ec;
        std::vector<std::string> files;
        if (reader.limits().lowerLayers && std::filesystem::is_directory(path, ec) &&
            std::filesystem::is_directory(std::filesystem::path(path) / "epoch", ec)) {
            // A layered registry (curated records over an epoch/ layer): read as one document.
            Input in;
            in.path = path;
            in.whole = reader.readPath(path);
            if (in.whole.records.empty() && in.whole.ok() && !allowEmpty) {
                in.whole.diagnostics.push_back(
                    inputError(ErrorCode::EmptyInput, path,
                               "folder '" + path +
                                   "' holds no record (pass --allow-empty to accept zero "
                                   "records)"));
            }
            inputs.push_back(std::move(in));
            continue;
        }
        if (std::filesystem::is_directory(path, ec)) {
            std::vector<Diagnostic> diags;
            if (!listRecordFiles(path, files, diags) || (files.empty() && !allowEmpty)) {
                if (diags.empty() || !hasError(diags)) {
                    diags.push_back(inputError(ErrorCode::EmptyInput, path,
                                               "folder '" + path +
                                                   "' holds no .json or .jsonl record file (pass "
                                                   "--allow-empty to accept zero records)"));
                }
                fail(path, std::move(diags));
                continue;
            }
            if (!diags.empty()) {
                fail(path, std::move(diags));  // warnings: skipped entries
            }
        } else {
            files.push_back(path);
        }
        for (const auto& f : files) {
            Input in;
            in.path = f;
            std::vector<Diagnostic> diags;
            in.fd = Fd(openInput(f, inputTimeoutMs(), diags));
            if (in.fd.v < 0) {
                fail(f, std::move(diags));
                continue;
            }
            planOne(in, false, reader, allowEmpty);
            inputs.push_back(std::move(in));
        }
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
    std::vector<Input> planned = planInputs(inputs, reader, stdinStream, options.allowEmpty);
    for (auto& in : planned) {
        if (in.path == "-" && in.stream) {
            in.path = options.stdinName;
        }
    }
    Engine engine(reader, assessor, report, writer, err, options, classify);
    return engine.run(planned);
}

}  // namespace flopledger::cli
