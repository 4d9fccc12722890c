// Replays tests/fuzz/regressions/<target>/* through the fuzz targets' entry points: every input
// that once crashed a target, broke an invariant, or probes a limit (exponent bombs, deep
// nesting, impossible shapes) must stay a clean rejection or a consistent result.
// Open findings, if any, go to tests/fuzz/open/<target>/ (tests/fuzz/README.md) until fixed; none
// are open now.
#include "../fuzz/fuzz_entry_points.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using Entry = std::function<void(const std::uint8_t*, std::size_t)>;

std::vector<fs::path> inputsOf(const std::string& folder, const std::string& target) {
    const fs::path dir = fs::path(FLOPLEDGER_SOURCE_DIR) / "tests" / "fuzz" / folder / target;
    std::vector<fs::path> files;
    if (fs::is_directory(dir)) {
        for (const auto& e : fs::directory_iterator(dir)) {
            if (e.is_regular_file()) {
                files.push_back(e.path());
            }
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

void replay(const std::string& target, const Entry& entry,
            const std::string& folder = "regressions") {
    const auto files = inputsOf(folder, target);
    REQUIRE_FALSE(files.empty());  // the folder is part of the test, not optional
    for (const fs::path& file : files) {
        std::ifstream in(file, std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)),
                                std::istreambuf_iterator<char>());
        INFO(file.string());
        CHECK_NOTHROW(entry(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
    }
}

}  // namespace

TEST_CASE("fuzz regressions: parseExact") {
    replay("parse_exact", flopledger::fuzz::parseExactOne);
}

TEST_CASE("fuzz regressions: record reader") {
    replay("record_reader", flopledger::fuzz::recordReaderOne);
}

TEST_CASE("fuzz regressions: record line (direct reader against RecordBuilder)") {
    replay("record_line", flopledger::fuzz::recordLineOne);
}

TEST_CASE("fuzz regressions: policy loader") {
    replay("policy", flopledger::fuzz::policyOne);
}

TEST_CASE("fuzz regressions: hardware loader") {
    replay("hardware", flopledger::fuzz::hardwareOne);
}

#ifdef FLOPLEDGER_FUZZ_HAVE_EPOCH
TEST_CASE("fuzz regressions: Epoch CSV importer") {
    replay("epoch_csv", flopledger::fuzz::epochCsvOne);
}
#endif

#ifdef FLOPLEDGER_FUZZ_HAVE_FLAGS
TEST_CASE("fuzz regressions: record from flags") {
    replay("record_flags", flopledger::fuzz::recordFromFlagsOne);
}
#endif
