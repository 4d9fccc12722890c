#pragma once
// Private to the streaming engine (input_engine.cpp): how each input is read. A folder becomes
// its .json and .jsonl files (sorted); each file or standard input is sniffed from its first
// bytes: JSON Lines and JSON arrays of records are streamed, anything else is read whole (up to
// the size of one record).
#include <flopledger/record_reader.hpp>

#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <istream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace flopledger::inline v1::detail {

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

/// "" for a top-level array, "/records" for {"records": [...]}: the pointer of its elements.
std::string arrayBase(std::string_view head);

/// Decides how each input is read and reads the whole documents.
std::vector<Input> planInputs(const std::vector<std::string>& paths, const RecordReader& reader,
                              std::istream& stdinStream, bool allowEmpty);

Diagnostic inputError(ErrorCode code, const std::string& path, std::string message);

}  // namespace flopledger::detail
