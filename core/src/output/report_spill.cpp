// SpillBuffer: report bytes kept in memory up to a threshold, then in an anonymous temporary file.
#include "output/report_spill.hpp"

#include <flopledger/diagnostic.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace flopledger::inline v1 {

SpillBuffer::SpillBuffer(std::size_t threshold, bool useFile)
    : threshold_(threshold), noFile_(!useFile) {}

SpillBuffer::~SpillBuffer() {
    if (file_ != nullptr) {
        std::fclose(file_);
    }
}

void SpillBuffer::append(std::string_view bytes) {
    if (memory_.capacity() == 0 && !noFile_) {
        // One allocation up to the threshold, none of string's doubling past it.
        memory_.reserve(std::min(threshold_, kDefaultThreshold) + 1024);
    }
    memory_.append(bytes.data(), bytes.size());
    size_ += bytes.size();
    if (memory_.size() > threshold_ && !noFile_) {
        flushToFile();
    }
}

void SpillBuffer::appendField(std::string_view bytes) {
    // Native byte order: the bytes are read back by this process only.
    const auto n = static_cast<std::uint32_t>(bytes.size());
    append(std::string_view(reinterpret_cast<const char*>(&n), sizeof n));
    append(bytes);
}

void SpillBuffer::flushToFile() {
    if (file_ == nullptr) {
        file_ = std::tmpfile();
        if (file_ == nullptr) {
            noFile_ = true;  // no temporary directory: keep the old in-memory behaviour
            return;
        }
    }
    if (!memory_.empty() &&
        std::fwrite(memory_.data(), 1, memory_.size(), file_) != memory_.size()) {
        writeFailed();
    }
    memory_.clear();  // keeps its capacity: the next threshold's worth needs no allocation
}

void SpillBuffer::writeFailed() const {
    throw InputError(
        ErrorCode::FileWrite,
        std::string("cannot write the report's temporary file: ") + std::strerror(errno));
}

SpillBuffer::Reader::Reader(SpillBuffer& buffer) : buffer_(buffer) {
    if (buffer_.file_ != nullptr) {
        buffer_.flushToFile();
        if (std::fflush(buffer_.file_) != 0) {
            buffer_.writeFailed();
        }
        std::rewind(buffer_.file_);
    }
}

bool SpillBuffer::Reader::refill() {
    chunk_.clear();
    pos_ = 0;
    if (buffer_.file_ != nullptr && !fileDone_) {
        chunk_.resize(std::size_t{1} << 16);
        const std::size_t got = std::fread(chunk_.data(), 1, chunk_.size(), buffer_.file_);
        chunk_.resize(got);
        if (got > 0) {
            return true;
        }
        if (std::ferror(buffer_.file_) != 0) {
            throw InputError(ErrorCode::FileWrite,
                             std::string("cannot read back the report's temporary file: ") +
                                 std::strerror(errno));
        }
        fileDone_ = true;
    }
    // Without a file, every byte is in memory; with one, memory is empty after the flush.
    if (!memoryDone_) {
        memoryDone_ = true;
        chunk_.swap(buffer_.memory_);
        return !chunk_.empty();
    }
    return false;
}

bool SpillBuffer::Reader::read(char* dst, std::size_t n) {
    while (n > 0) {
        if (pos_ == chunk_.size() && !refill()) {
            return false;
        }
        const std::size_t take = std::min(n, chunk_.size() - pos_);
        std::memcpy(dst, chunk_.data() + pos_, take);
        pos_ += take;
        dst += take;
        n -= take;
    }
    return true;
}

bool SpillBuffer::Reader::field(std::string& out) {
    std::uint32_t n = 0;
    if (!read(reinterpret_cast<char*>(&n), sizeof n)) {
        return false;
    }
    out.resize(n);
    return read(out.data(), n);
}

void SpillBuffer::Reader::copyTo(std::ostream& out) {
    do {
        out.write(chunk_.data() + static_cast<std::ptrdiff_t>(pos_),
                  static_cast<std::streamsize>(chunk_.size() - pos_));
        pos_ = chunk_.size();
    } while (refill());
}

}  // namespace flopledger
