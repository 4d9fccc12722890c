#include <flopledger_cli/data_tables.hpp>

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace flopledger::inline v1::cli {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(ErrorCode code, const std::string& path, std::string message) {
    Diagnostic d;
    d.code = code;
    d.file = path;
    d.message = std::move(message);
    throw InputError(d);
}

// A folder that cannot be listed or a file that cannot be read is an error, never an empty table
// (an unreadable policies/ must not make --fail-on pass). Returns the number of .json files.
std::size_t checkReadable(const fs::path& dir, const std::string& what) {
    if (::access(dir.c_str(), R_OK | X_OK) != 0) {
        fail(ErrorCode::Unreadable, dir.string(),
             "cannot read " + what + " '" + dir.string() + "': " + std::strerror(errno));
    }
    std::error_code ec;
    std::size_t files = 0;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->path().extension() != ".json") {
            continue;
        }
        ++files;
        if (::access(it->path().c_str(), R_OK) != 0) {
            fail(ErrorCode::Unreadable, it->path().string(),
                 "cannot read '" + it->path().string() + "': " + std::strerror(errno));
        }
    }
    if (ec) {
        fail(ErrorCode::Unreadable, dir.string(),
             "cannot read " + what + " '" + dir.string() + "': " + ec.message());
    }
    return files;
}

}  // namespace

DataTables::DataTables(const std::string& dataDir, bool allowEmpty) {
    if (dataDir.empty()) {
        return;
    }
    std::error_code ec;
    if (!fs::is_directory(dataDir, ec)) {
        if (ec && ec != std::errc::no_such_file_or_directory && ec != std::errc::not_a_directory) {
            fail(ErrorCode::Unreadable, dataDir,
                 "cannot read --data-dir '" + dataDir + "': " + ec.message());
        }
        fail(ErrorCode::FileNotFound, dataDir, "--data-dir '" + dataDir + "' is not a directory");
    }
    if (::access(dataDir.c_str(), R_OK | X_OK) != 0) {
        fail(ErrorCode::Unreadable, dataDir,
             "cannot read --data-dir '" + dataDir + "': " + std::strerror(errno));
    }
    const fs::path hw = fs::path(dataDir) / "hardware";
    const fs::path pol = fs::path(dataDir) / "policies";
    const bool haveHw = fs::is_directory(hw, ec);
    const bool havePol = fs::is_directory(pol, ec);
    if (!haveHw && !havePol) {
        fail(ErrorCode::FileNotFound, dataDir,
             "--data-dir '" + dataDir + "' has neither a policies/ nor a hardware/ folder");
    }
    if (haveHw) {
        checkReadable(hw, "hardware folder");
        hardware_ = HardwareCatalog::fromDirectory(hw.string());
    }
    if (havePol) {
        if (checkReadable(pol, "policies folder") == 0 && !allowEmpty) {
            fail(ErrorCode::NoPolicies, pol.string(),
                 "--data-dir '" + dataDir +
                     "': policies/ holds no policy file (pass --allow-empty to accept)");
        }
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
