// The reader thread of the streaming engine (batch_reader.hpp).
#include "stream/batch_reader.hpp"

#include <cstring>
#include <string_view>

namespace flopledger::inline v1::detail {

void BatchReader::fresh() {
    std::lock_guard<std::mutex> lock(q_.m);
    if (!q_.spare.empty()) {
        b_ = std::move(q_.spare.back());
        q_.spare.pop_back();
    } else {
        b_ = Batch{};
    }
    b_.count = 0;
}

bool BatchReader::flush() {
    std::unique_lock<std::mutex> lock(q_.m);
    q_.spaceCv.wait(lock, [&] { return q_.nextSeq - q_.consumed < q_.maxInFlight || q_.stop; });
    if (q_.stop) {
        return false;
    }
    b_.seq = q_.nextSeq++;
    q_.work.push_back(std::move(b_));
    lock.unlock();
    q_.workCv.notify_one();
    fresh();
    return true;
}

std::string& BatchReader::current() {
    if (b_.lines.size() <= b_.count) {
        b_.lines.resize(b_.count + 1);
        b_.lineNos.resize(b_.count + 1);
        b_.indexes.resize(b_.count + 1);
    }
    return b_.lines[b_.count];
}

void BatchReader::append(const char* p, std::size_t n) {
    if (!open_) {
        // Blank lines cost nothing: nothing is stored until a non-blank byte.
        std::size_t skip = 0;
        while (!content_ && skip < n && (p[skip] == ' ' || p[skip] == '\t' || p[skip] == '\r')) {
            ++skip;
        }
        if (skip == n) {
            return;
        }
        current().clear();
        length_ = 0;
        open_ = true;
        content_ = true;
    }
    length_ += n;
    if (length_ <= maxLine_) {
        current().append(p, n);
    }
}

// Ends the current line (or element `index` starting on `line`).
bool BatchReader::take(std::size_t line, std::size_t index) {
    if (!open_) {
        return true;  // a blank line
    }
    std::string& text = current();
    open_ = false;
    content_ = false;
    if (length_ > maxLine_) {
        text = std::string(1, '\x01') + std::to_string(length_);
    }
    b_.lineNos[b_.count] = line;
    b_.indexes[b_.count] = index;
    ++b_.count;
    return b_.count < limit() || flush();
}

// Splits a block at newlines (std::getline costs a call per byte).
void BatchReader::lines(const char* p, std::size_t n) {
    const char* end = p + n;
    while (go_ && p < end) {
        const auto* nl =
            static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
        if (nl == nullptr) {
            append(p, static_cast<std::size_t>(end - p));
            break;
        }
        append(p, static_cast<std::size_t>(nl - p));
        go_ = take(++lineNo_, 0);
        p = nl + 1;
    }
}

void BatchReader::feed(const char* p, std::size_t n) {
    if (splitter_) {
        go_ = splitter_->feed(std::string_view(p, n));
    } else {
        lines(p, n);
    }
}

void BatchReader::run(const std::string& file, std::optional<Diagnostic>& splitError) {
    lineNo_ = in_.skippedLines;
    fresh();
    if (in_.array) {
        splitter_.emplace([this](const char* p, std::size_t n) { append(p, n); },
                          [this](std::size_t line, std::size_t index) {
                              return take(line + in_.skippedLines, index);
                          });
    }
    if (!in_.pending.empty()) {
        feed(in_.pending.data(), in_.pending.size());
        std::string().swap(in_.pending);
    }
    std::vector<char> block(std::size_t{1} << 20);
    while (go_) {
        const std::size_t n = in_.read(block.data(), block.size());
        if (n == 0) {
            break;
        }
        feed(block.data(), n);
    }
    if (splitter_) {
        Diagnostic d;
        if (!splitter_->finish(d)) {
            std::lock_guard<std::mutex> lock(q_.m);
            if (!q_.stop) {
                d.file = file;
                splitError = d;
            }
        }
    } else if (go_ && open_) {
        go_ = take(++lineNo_, 0);  // a last line without a newline
    }
    if (go_ && b_.count > 0) {
        flush();
    }
    {
        std::lock_guard<std::mutex> lock(q_.m);
        q_.readerFinished = true;
    }
    q_.workCv.notify_all();
    q_.doneCv.notify_all();
}

}  // namespace flopledger::inline v1::detail
