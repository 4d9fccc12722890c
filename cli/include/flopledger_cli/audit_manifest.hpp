#pragma once
// --manifest FILE (contract 7.7): the audit manifest of estimate, assess and sensitivity.
#include <flopledger_cli/commands.hpp>

#include <flopledger/manifest.hpp>

#include <memory>
#include <ostream>
#include <streambuf>
#include <string>
#include <utility>
#include <vector>

namespace flopledger::inline v1::cli {

/// Forwards to another stream buffer and hashes every byte that passes (the manifest's hash of
/// a report written to standard output).
class HashingBuffer : public std::streambuf {
public:
    explicit HashingBuffer(std::streambuf* target) : target_(target) {}
    std::string hex() { return hash_.hex(); }

protected:
    int_type overflow(int_type c) override;
    std::streamsize xsputn(const char* s, std::streamsize n) override;
    int sync() override;

private:
    std::streambuf* target_;
    Sha256 hash_;
};

/// The options as the user gave them (after defaults), for the manifest.
std::vector<ManifestOption> manifestOptions(const Settings& s,
                                            const std::vector<std::string>& policyIds,
                                            bool evaluate);

/// The manifest with its inputs: each file with its SHA-256 and record count ("-": no hash).
Manifest withInputs(Manifest manifest,
                    const std::vector<std::pair<std::string, std::size_t>>& recordsPerFile);

/// Fills inputs (each file with its SHA-256 and record count; "-" has no hash) and the output,
/// then writes the manifest atomically to s.manifest.
void writeManifest(const Settings& s, Manifest manifest,
                   const std::vector<std::pair<std::string, std::size_t>>& recordsPerFile,
                   const std::string& outputSha256);

}  // namespace flopledger::cli
