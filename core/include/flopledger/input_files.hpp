#pragma once
// Opening record inputs so that nothing unreadable reads as empty (issue 18). A file
// or folder that exists but cannot be read is an error (Unreadable) with the path; a FIFO or
// device is read like standard input, and one that gives no data within the timeout is an
// error (InputTimeout) rather than a hang; links in folders that lead nowhere are reported.
#include <flopledger/diagnostic.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace flopledger {
inline namespace v1 {

/// Milliseconds a FIFO or device may stay silent before InputTimeout: 10 s, or the
/// FLOPLEDGER_INPUT_TIMEOUT_MS environment variable.
int inputTimeoutMs();

/// Opens `path` for reading (O_RDONLY | O_CLOEXEC); a FIFO or device is opened non-blocking
/// and polled for its first data for `timeoutMs`, then made blocking. Returns the descriptor,
/// or -1 with a diagnostic (FileNotFound, Unreadable, InputTimeout).
int openInput(const std::string& path, int timeoutMs, std::vector<Diagnostic>& diags);

/// Reads the whole of `path` (a regular file, FIFO or device), at most maxBytes + 1 bytes (so
/// the caller's size check fires). False with a diagnostic when it cannot be read.
bool readInput(const std::string& path, std::string& out, std::size_t maxBytes,
               std::vector<Diagnostic>& diags);

/// The .json and .jsonl files of a folder, sorted by name. An unreadable folder is an error
/// (false); dangling links and link loops are skipped with a SkippedEntry warning.
bool listRecordFiles(const std::string& dir, std::vector<std::string>& files,
                     std::vector<Diagnostic>& diags);

/// True when the text holds nothing but whitespace (and a UTF-8 byte order mark).
bool blankText(std::string_view text);

}  // inline namespace v1
}  // namespace flopledger
