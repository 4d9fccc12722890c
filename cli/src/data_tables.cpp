#include <flopledger_cli/data_tables.hpp>

#include <filesystem>

namespace flopledger::cli {

DataTables::DataTables(const std::string& dataDir) {
    if (dataDir.empty()) {
        return;
    }
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::is_directory(dataDir, ec)) {
        Diagnostic d;
        d.code = ErrorCode::FileNotFound;
        d.file = dataDir;
        d.message = "--data-dir '" + dataDir + "' is not a directory";
        throw InputError(d);
    }
    const fs::path hw = fs::path(dataDir) / "hardware";
    const fs::path pol = fs::path(dataDir) / "policies";
    const bool haveHw = fs::is_directory(hw, ec);
    const bool havePol = fs::is_directory(pol, ec);
    if (!haveHw && !havePol) {
        Diagnostic d;
        d.code = ErrorCode::FileNotFound;
        d.file = dataDir;
        d.message = "--data-dir '" + dataDir + "' has neither a policies/ nor a hardware/ folder";
        throw InputError(d);
    }
    if (haveHw) {
        hardware_ = HardwareCatalog::fromDirectory(hw.string());
    }
    if (havePol) {
        policies_ = PolicyCatalog::fromDirectory(pol.string());
    }
}

const HardwareCatalog* DataTables::hardware() const {
    return hardware_ ? &*hardware_ : &HardwareCatalog::defaults();
}

const PolicyCatalog* DataTables::policies() const {
    return policies_ ? &*policies_ : &PolicyCatalog::defaults();
}

}  // namespace flopledger::cli
