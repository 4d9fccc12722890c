#pragma once
// options_json of the C API: the CLI's options as JSON (docs/embedding.md).
#include <flopledger/assessment.hpp>
#include <flopledger/hardware_catalog.hpp>
#include <flopledger/policy_catalog.hpp>

#include <memory>
#include <string>

namespace flopledger::inline v1::capi {

struct CallOptions {
    AssessOptions assess;
    std::string format = "json";  ///< "json" or "jsonl"
    unsigned threads = 1;         ///< a C host may not expect threads: one unless asked
    bool threadsGiven = false;
    bool estimateOnly = false;  ///< assess_stream: "estimate": true
    bool compact = false;       ///< "compact": true (compact.hpp)
    /// "data_dir" given for this call: its catalogs (else the handle's).
    std::shared_ptr<HardwareCatalog> hardware;
    std::shared_ptr<PolicyCatalog> policies;
    std::vector<std::pair<std::string, std::string>> given;  ///< key, JSON text (manifest)
};

/// Loads a data directory (policies/ and/or hardware/) the way flopledger_new does; throws
/// InputError.
void loadDataDir(const std::string& dir, std::shared_ptr<HardwareCatalog>& hardware,
                 std::shared_ptr<PolicyCatalog>& policies);

/// Parses options_json (may be NULL); throws InputError located at "options" and the key's
/// pointer. Unknown keys get "did you mean"; duplicate keys are refused.
CallOptions parseOptions(const char* optionsJson, bool evaluate,
                         const std::shared_ptr<HardwareCatalog>& hardware,
                         const std::shared_ptr<PolicyCatalog>& policies);

}  // namespace flopledger::capi
