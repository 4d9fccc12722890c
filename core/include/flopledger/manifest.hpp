#pragma once
// The audit manifest (contract 7.7): how a result was produced, so an auditor can reproduce it.
// The CLI writes it with --manifest FILE, the C API returns it from flopledger_manifest(), the
// Python module from flopledger.manifest(), and Markdown memos end with the same facts.
#include <flopledger/data_source.hpp>
#include <flopledger/date.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace flopledger {
inline namespace v1 {

class Assessor;
struct AssessOptions;

/// One input or output file with its SHA-256 (lowercase hex).
struct ManifestFile {
    std::string path;
    std::string sha256;
    std::optional<std::size_t> records;  ///< inputs: records read from it
};

/// An option as it was given: its name (the CLI flag without "--", "-" as "_") and its value
/// as JSON text ("\"matmul\"", "1000", "[\"stated\"]").
using ManifestOption = std::pair<std::string, std::string>;

struct Manifest {
    std::string command;                  ///< "estimate", "assess", "sensitivity" (extension)
    std::vector<Date> asOf;               ///< empty for estimate
    bool asOfDefaulted = false;           ///< no date was given: today (UTC) was used
    std::vector<ManifestOption> options;  ///< written in this order
    DataSource policyData;
    DataSource hardwareData;
    std::vector<ManifestFile> inputs;
    std::vector<ManifestFile> outputs;
};

/// The manifest of an assessment: command, dates, the options that change a result (policies,
/// convention, prefer, samples, seed, ...) and the data sources of the Assessor's catalogs.
/// Inputs and outputs are left for the caller, who knows the files.
[[nodiscard]] Manifest manifestFor(const Assessor& assessor, std::string command);
/// The same without an Assessor (estimate-only callers): dates empty.
[[nodiscard]] Manifest manifestFor(const AssessOptions& options, std::string command);

/// The contract's manifest object, pretty-printed (2 spaces), ending in "\n". Keys in contract
/// order: flopledger_version, command, as_of, as_of_defaulted, options, policy_data,
/// hardware_data, inputs, outputs.
[[nodiscard]] std::string manifestJson(const Manifest& manifest);
/// The same facts as a Markdown section ("## Audit manifest"), for the end of a memo: a table
/// with every option and input. compact: a short list for a one-page brief (version, command,
/// dates, data hashes, input count); the full facts are then in the --manifest file.
[[nodiscard]] std::string manifestMarkdown(const Manifest& manifest, bool compact = false);
/// SHA-256 of bytes, lowercase hex.
[[nodiscard]] std::string sha256Hex(std::string_view bytes);
/// SHA-256 of a file's bytes, read in chunks; throws InputError (FileNotFound) when unreadable.
[[nodiscard]] std::string sha256File(const std::string& path);

/// Incremental SHA-256 (for streams). Not thread-safe; one object per stream.
class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;
    void update(std::string_view bytes);
    /// The digest, lowercase hex; the object is then reset.
    [[nodiscard]] std::string hex();

private:
    void* ctx_;
};

/// The DataSource hash of a set of files: SHA-256 of the listing `sha256sum` prints for them
/// ("<hex>  <name>\n" each), files given as (name, bytes) in the order they were loaded.
class DataDigest {
public:
    void add(std::string_view name, std::string_view bytes);
    [[nodiscard]] DataSource finish(std::string source) const;

private:
    std::string listing_;
};

}  // inline namespace v1
}  // namespace flopledger
