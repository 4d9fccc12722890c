#pragma once
// Reading registries: a JSON array, an object with "records", JSON Lines, a directory of .json
// files (docs/data-format.md). Numbers are read exactly from their text. Every problem becomes a
// Diagnostic with file, line and JSON pointer.
#include <flopledger/diagnostic.hpp>
#include <flopledger/hardware_catalog.hpp>
#include <flopledger/record.hpp>

#include <cstddef>
#include <functional>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

namespace flopledger {
inline namespace v1 {

/// Resource limits; every one is configurable and produces a clear error when hit.
struct ReadLimits {
    std::size_t maxInputBytes = std::size_t(1) << 30;   ///< per file
    std::size_t maxDepth = 64;                          ///< JSON nesting
    std::size_t maxStringBytes = std::size_t(1) << 20;  ///< one JSON string
    std::size_t maxRecords = 50'000'000;                ///< per registry
    std::size_t maxLineBytes = std::size_t(16) << 20;   ///< one JSON Lines line (or record)
    std::size_t maxStages = 100'000;                    ///< stages of one record
    NumberLimits numbers;
    /// A directory's `epoch/` sub-folder is read as the layer beneath its records
    /// (registry_layers.hpp); false reads the curated records only (`--curated-only`).
    bool lowerLayers = true;
};

struct ReadResult {
    std::vector<Record> records;
    std::vector<Diagnostic> diagnostics;  ///< errors and warnings, in input order
    [[nodiscard]] bool ok() const;        ///< no diagnostic of severity Error
};

class RecordReader {
public:
    explicit RecordReader(ReadLimits limits = {}, const HardwareCatalog* hardware = nullptr);

    /// The documented read path: readPath(path), then validate() on every record read, so the
    /// result holds every diagnostic the CLI reports for the same file (unknown accelerators
    /// with "did you mean", impossible shapes, ...), each once. Use this unless you validate
    /// yourself; readPath/readText only check syntax and field types.
    [[nodiscard]] ReadResult load(const std::string& path) const;
    /// load() for registry text in memory, reported under `fileName`.
    [[nodiscard]] ReadResult loadText(std::string_view text, const std::string& fileName) const;

    /// Whole-document read; format detected: '[' array, '{' with "records" (or a single record
    /// object), otherwise JSON Lines. Collects every problem rather than stopping at the first.
    [[nodiscard]] ReadResult readText(std::string_view text, const std::string& fileName) const;
    /// A file, a directory of .json files (sorted by name), or "-" for stdin.
    [[nodiscard]] ReadResult readPath(const std::string& path) const;

    /// One record from one JSON Lines line (for streaming); throws InputError located at
    /// fileName:lineNumber with the JSON pointer inside the record.
    Record parseLine(std::string_view line, const std::string& fileName,
                     std::size_t lineNumber) const;

    /// Semantic checks of a record this reader read, against the hardware table and the shape
    /// rules (heads divide d_model, kv_heads divide heads, MoE active <= experts, ...). Assumes
    /// the value rules the reader enforces while parsing; for a record built in code use the
    /// free validate(), which checks those too. Reports every problem; never throws (but
    /// std::bad_alloc). Thread-safe.
    [[nodiscard]] std::vector<Diagnostic> validate(const Record& record) const;

    const ReadLimits& limits() const { return limits_; }

private:
    ReadResult withValidation(ReadResult read) const;
    void semanticChecks(const Record& record, std::vector<Diagnostic>& out) const;

    ReadLimits limits_;
    const HardwareCatalog* hardware_;
};

/// Every problem of a record built in code, as diagnostics: the value rules the reader enforces
/// while parsing (no negative numbers, positive whole counts, low <= central <= high, fractions
/// and utilization in range, Monte Carlo sample indices), then RecordReader::validate()'s
/// semantic checks. Never throws (but std::bad_alloc). Estimate or assess such a record only
/// when this reports no error: the estimator trusts these rules (heads = 0 would divide by 0).
[[nodiscard]] std::vector<Diagnostic> validate(const Record& record,
                                               const HardwareCatalog* hardware = nullptr);

/// Serialises a record back to JSON text (one line), numbers as exact decimal strings.
std::string toJson(const Record& record);

/// The field names the reader accepts in one kind of object: "model", "cluster",
/// "architecture", "moe", "stage", "hardware", "parent", "reported", "source", "interval",
/// "registry" (the top-level object holding "records"). Empty for an unknown kind. Used for
/// "did you mean" and to keep docs/data-format.md in step with the code.
std::vector<std::string_view> knownFields(std::string_view objectKind);
/// The object kinds knownFields() describes.
std::vector<std::string_view> knownObjectKinds();

}  // inline namespace v1
}  // namespace flopledger
