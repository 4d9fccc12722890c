#pragma once
// The policy and hardware tables a command uses: the embedded defaults, or --data-dir DIR whose
// policies/ and hardware/ folders (each optional) replace them.
#include <flopledger/hardware_catalog.hpp>
#include <flopledger/policy_catalog.hpp>

#include <optional>
#include <string>

namespace flopledger::inline v1::cli {

class DataTables {
public:
    /// Throws InputError (FileNotFound, Unreadable, PolicyInvalid, HardwareInvalid) for a bad
    /// data dir, NoPolicies for an empty policies/ folder unless `allowEmpty`.
    explicit DataTables(const std::string& dataDir, bool allowEmpty = false);
    const HardwareCatalog* hardware() const;
    const PolicyCatalog* policies() const;

private:
    std::optional<HardwareCatalog> hardware_;
    std::optional<PolicyCatalog> policies_;
};

}  // namespace flopledger::cli
