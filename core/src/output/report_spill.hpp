#pragma once
// Bounded memory for the report formats that can only be written at the end (text and Markdown:
// the table widths and the summary come before the per-record parts). Their per-record bytes go
// into a SpillBuffer, which keeps at most `threshold` bytes in memory and moves the rest to an
// anonymous temporary file (std::tmpfile, removed by the system when closed).
#include <flopledger/report.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>

namespace flopledger::inline v1 {

/// Bytes appended in order, read back once in the same order. If the temporary file cannot be
/// created the buffer stays in memory (correct output at the old memory cost); a failed write
/// to it throws InputError (FileWrite), never a silently shortened report.
class SpillBuffer {
public:
    /// Default threshold of the text and Markdown writers: memory kept per buffer.
    static constexpr std::size_t kDefaultThreshold = std::size_t{1} << 20;

    /// useFile false: behave as if the temporary file could not be created (tests).
    explicit SpillBuffer(std::size_t threshold = kDefaultThreshold, bool useFile = true);
    ~SpillBuffer();
    SpillBuffer(const SpillBuffer&) = delete;
    SpillBuffer& operator=(const SpillBuffer&) = delete;

    void append(std::string_view bytes);
    void append(char c) { append(std::string_view(&c, 1)); }
    /// A length-prefixed field, read back with Reader::field.
    void appendField(std::string_view bytes);

    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    /// True once bytes went to the temporary file (for tests).
    bool spilled() const { return file_ != nullptr; }

    /// Sequential reader from the first byte; the buffer must not be appended to meanwhile.
    class Reader {
    public:
        explicit Reader(SpillBuffer& buffer);
        /// Copies n bytes to dst; false (nothing copied) when fewer than n bytes remain.
        bool read(char* dst, std::size_t n);
        /// The next field written by appendField; false at the end.
        bool field(std::string& out);
        /// Writes every remaining byte to out.
        void copyTo(std::ostream& out);

    private:
        bool refill();
        SpillBuffer& buffer_;
        std::string chunk_;  // bytes read from the file, consumed from pos_
        std::size_t pos_ = 0;
        bool fileDone_ = false;
        bool memoryDone_ = false;
    };

private:
    void flushToFile();
    [[noreturn]] void writeFailed() const;

    std::size_t threshold_;
    std::size_t size_ = 0;
    std::string memory_;  // bytes not yet in the file (all of them if there is none)
    std::FILE* file_ = nullptr;
    bool noFile_ = false;  // tmpfile() failed once: stay in memory
};

/// A report writer like ReportWriter::create's, with the given spill threshold for text and
/// Markdown (tests set it tiny to exercise the temporary file on small inputs).
std::unique_ptr<ReportWriter> createReportWriter(const ReportOptions& options, std::ostream& out,
                                                 std::size_t spillThreshold);

}  // namespace flopledger
