#pragma once
// Output that is either complete or absent: reports are written to a temporary file in the
// target's directory and renamed over the target only when the run succeeds. An interrupted or
// failed run leaves any previous report untouched and no half-written file behind. Symbolic
// links are followed to their target; a device node, FIFO or socket is not replaced but written
// through (the complete report is staged in an unnamed temporary file and copied at commit).
#include <memory>
#include <ostream>
#include <string>

namespace flopledger::inline v1::cli {

class AtomicOutput {
public:
    /// path "" or "-": `fallback` (standard output), written directly. Throws
    /// InputError(FileWrite) when the temporary file cannot be created.
    AtomicOutput(std::string path, std::ostream& fallback);
    ~AtomicOutput();  ///< removes the temporary file unless commit() succeeded
    AtomicOutput(const AtomicOutput&) = delete;
    AtomicOutput& operator=(const AtomicOutput&) = delete;

    std::ostream& stream();
    /// Flushes, syncs and renames into place; throws InputError(FileWrite) on failure.
    void commit();
    /// Drops what was written (the target is left as it was).
    void discard();
    bool toStdout() const { return path_.empty(); }
    const std::string& path() const { return path_; }

private:
    void commitDevice();
    struct Impl;
    std::string path_;
    std::ostream& fallback_;
    std::unique_ptr<Impl> impl_;
};

/// Installs SIGINT/SIGTERM/SIGHUP handlers that remove pending temporary files before exiting
/// with 128 + signal.
void installCleanupHandlers();

}  // namespace flopledger::cli
