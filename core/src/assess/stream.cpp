// Streaming assessment: workers take batches of lines from one input under a lock, parse,
// validate, assess and render them, then hand them to the callback when it is their turn.
// A batch waits for its turn before its worker reads more, so at most `threads` batches are
// in flight: memory does not grow with the input.
#include <flopledger/stream.hpp>

#include <flopledger/compact.hpp>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <mutex>
#include <new>
#include <thread>

namespace flopledger {
namespace {

struct Item {
    std::size_t line = 0;
    std::string text;
    std::vector<Diagnostic> diagnostics;
    std::optional<RecordAssessment> result;
    std::string rendered;
    bool ok = false;
    std::size_t tooLong = 0;  ///< a line over the limit: its length (its text is not kept)
};

bool blank(std::string_view s) {
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

class Streamer {
public:
    Streamer(const Assessor& assessor, std::istream& in, const StreamCallback& callback,
             const StreamOptions& options)
        : assessor_(assessor),
          in_(in),
          callback_(callback),
          options_(options),
          reader_(options.limits, options.hardware) {}

    StreamSummary run() {
        unsigned threads = options_.threads;
        if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
        std::vector<std::thread> pool;
        for (unsigned t = 1; t < threads; ++t) pool.emplace_back([this] { work(); });
        work();
        for (auto& t : pool) t.join();
        if (error_) std::rethrow_exception(error_);
        return summary_;
    }

private:
    void work() {
        std::vector<Item> batch;
        while (true) {
            std::size_t seq = 0;
            std::size_t count = 0;
            {
                std::lock_guard<std::mutex> lock(inputMutex_);
                if (done_) return;
                seq = nextSeq_++;
                try {
                    count = readBatch(batch);
                } catch (...) {
                    fail(std::current_exception());
                    count = 0;
                }
                if (count < options_.batchLines) done_ = true;
            }
            for (std::size_t i = 0; i < count; ++i) process(batch[i]);
            if (!deliver(seq, batch, count)) return;
        }
    }

    // Under inputMutex_. Reuses the batch's strings (their capacity stays). Reads in large
    // blocks and splits at newlines (std::getline costs a call per byte); a line over
    // maxLineBytes is not kept, only its length, so one huge line cannot exhaust memory.
    std::size_t readBatch(std::vector<Item>& batch) {
        if (batch.size() < options_.batchLines) batch.resize(options_.batchLines);
        std::size_t count = 0;
        while (count < options_.batchLines) {
            Item& item = batch[count];
            std::size_t length = 0;
            if (!nextLine(item.text, length)) break;
            ++line_;
            if (line_ == 1 && item.text.compare(0, 3, "\xEF\xBB\xBF") == 0) item.text.erase(0, 3);
            if (length <= options_.limits.maxLineBytes && blank(item.text)) continue;
            if (!item.text.empty() && item.text.back() == '\r') item.text.pop_back();
            item.line = line_;
            item.tooLong = length > options_.limits.maxLineBytes ? length : 0;
            ++count;
        }
        return count;
    }

    bool nextLine(std::string& line, std::size_t& length) {
        line.clear();
        bool any = false;
        while (true) {
            if (pos_ == end_) {
                if (eof_) return any;
                in_.read(block_.data(), static_cast<std::streamsize>(block_.size()));
                end_ = static_cast<std::size_t>(in_.gcount());
                pos_ = 0;
                if (in_.bad())
                    throw InputError(ErrorCode::FileNotFound, options_.fileName + ": read error");
                if (end_ == 0) {
                    eof_ = true;
                    return any;
                }
            }
            any = true;
            const char* start = block_.data() + pos_;
            const auto* nl = static_cast<const char*>(std::memchr(start, '\n', end_ - pos_));
            const std::size_t n = nl ? static_cast<std::size_t>(nl - start) : end_ - pos_;
            if (length + n <= options_.limits.maxLineBytes) line.append(start, n);
            length += n;
            pos_ += n;
            if (nl) {
                ++pos_;
                return true;
            }
        }
    }

    void process(Item& item) {
        item.diagnostics.clear();
        item.result.reset();
        item.rendered.clear();
        item.ok = false;
        if (item.tooLong != 0) {
            item.diagnostics.push_back(
                Diagnostic{Severity::Error,
                           ErrorCode::InputTooLarge,
                           options_.fileName,
                           item.line,
                           {},
                           "a JSON Lines line of " + std::to_string(item.tooLong) +
                               " bytes is longer than the limit of " +
                               std::to_string(options_.limits.maxLineBytes)});
            return;
        }
        try {
            Record record = reader_.parseLine(item.text, options_.fileName, item.line);
            item.diagnostics = reader_.validate(record);
            const bool bad =
                std::any_of(item.diagnostics.begin(), item.diagnostics.end(),
                            [](const Diagnostic& d) { return d.severity == Severity::Error; });
            if (bad) return;
            item.ok = !options_.renderJsonLines;  // set once rendered otherwise
            item.result.emplace(
                assessor_.assess(std::make_shared<const Record>(std::move(record))));
            if (!options_.renderJsonLines) return;
            if (options_.compact) {
                const bool evaluate = assessor_.options().evaluate;
                const std::size_t n = evaluate ? item.result->dates.size() : 1;
                for (std::size_t d = 0; d < n; ++d) {
                    appendCompactJson(item.rendered, *item.result, d, evaluate);
                    item.rendered += '\n';
                }
            } else if (assessor_.options().evaluate) {
                for (std::size_t d = 0; d < item.result->dates.size(); ++d) {
                    appendAssessJson(item.rendered, *item.result, d);
                    item.rendered += '\n';
                }
            } else {
                appendEstimateJson(item.rendered, *item.result);
                item.rendered += '\n';
            }
            item.ok = true;
            if (!options_.keepResults) item.result.reset();
        } catch (const InputError& e) {
            item.ok = false;
            item.result.reset();
            item.rendered.clear();
            item.diagnostics.push_back(e.diagnostic());
        } catch (const std::bad_alloc&) {
            throw;
        } catch (const std::exception& e) {
            item.ok = false;
            item.result.reset();
            item.rendered.clear();
            item.diagnostics.push_back(Diagnostic{Severity::Error,
                                                  ErrorCode::Internal,
                                                  options_.fileName,
                                                  item.line,
                                                  {},
                                                  std::string("internal error: ") + e.what()});
        }
    }

    // Waits for this batch's turn, hands its items over, passes the turn on. False: stop.
    bool deliver(std::size_t seq, std::vector<Item>& batch, std::size_t count) {
        std::unique_lock<std::mutex> lock(turnMutex_);
        turn_.wait(lock, [&] { return nextDeliver_ == seq; });
        bool go = !stop_;
        for (std::size_t i = 0; go && i < count; ++i) {
            const Item& item = batch[i];
            StreamItem out;
            out.line = item.line;
            out.ok = item.ok;
            out.result = item.result ? &*item.result : nullptr;
            out.jsonLines = item.rendered;
            out.diagnostics = &item.diagnostics;
            try {
                ++summary_.records;
                if (!out.ok) ++summary_.errors;
                if (!callback_(out)) {
                    summary_.stopped = true;
                    go = false;
                }
            } catch (...) {
                fail(std::current_exception());
                go = false;
            }
        }
        if (!go) stopAll();
        ++nextDeliver_;
        turn_.notify_all();
        return go;
    }

    void fail(std::exception_ptr e) {
        std::lock_guard<std::mutex> lock(errorMutex_);
        if (!error_) error_ = e;
        stop_ = true;
    }

    void stopAll() {
        stop_ = true;
        std::lock_guard<std::mutex> lock(inputMutex_);
        done_ = true;
    }

    const Assessor& assessor_;
    std::istream& in_;
    const StreamCallback& callback_;
    const StreamOptions& options_;
    RecordReader reader_;

    std::mutex inputMutex_;
    bool done_ = false;                                                  // under inputMutex_
    std::size_t nextSeq_ = 0;                                            // under inputMutex_
    std::size_t line_ = 0;                                               // under inputMutex_
    std::vector<char> block_ = std::vector<char>(std::size_t{1} << 18);  // under inputMutex_
    std::size_t pos_ = 0, end_ = 0;  // under inputMutex_: unread part of block_
    bool eof_ = false;               // under inputMutex_

    std::mutex turnMutex_;
    std::condition_variable turn_;
    std::size_t nextDeliver_ = 0;  // under turnMutex_
    StreamSummary summary_;        // under turnMutex_
    std::atomic<bool> stop_{false};

    std::mutex errorMutex_;
    std::exception_ptr error_;
};

}  // namespace

StreamSummary assessStream(const Assessor& assessor, std::istream& in,
                           const StreamCallback& callback, const StreamOptions& options) {
    StreamOptions fixed = options;
    fixed.batchLines = std::max<std::size_t>(1, fixed.batchLines);
    Streamer streamer(assessor, in, callback, fixed);
    return streamer.run();
}

}  // namespace flopledger
