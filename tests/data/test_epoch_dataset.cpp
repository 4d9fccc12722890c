// The shared Epoch AI export imports completely and exactly.
#include <flopledger/epoch_import.hpp>

#include "records/epoch_checks.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace flopledger;

namespace {

// An independent, deliberately naive RFC 4180 splitter (not the library's CSV reader), used
// only to know what each row's cells say.
std::vector<std::vector<std::string>> splitCsv(const std::string& text) {
    std::vector<std::vector<std::string>> rows(1);
    std::string cell;
    bool inQuotes = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inQuotes) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                cell += '"';
                ++i;
            } else if (c == '"') {
                inQuotes = false;
            } else {
                cell += c;
            }
        } else if (c == '"') {
            inQuotes = true;
        } else if (c == ',') {
            rows.back().push_back(cell);
            cell.clear();
        } else if (c == '\n') {
            rows.back().push_back(cell);
            cell.clear();
            rows.emplace_back();
        } else if (c != '\r') {
            cell += c;
        }
    }
    if (!cell.empty() || !rows.back().empty()) rows.back().push_back(cell);
    if (rows.back().empty()) rows.pop_back();
    return rows;
}

std::string trimmed(const std::string& s) {
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

}  // namespace

TEST_CASE("the Epoch AI dataset imports 1,892 records with exact compute", "[epoch][data]") {
    const std::string path =
        std::string(FLOPLEDGER_SOURCE_DIR) + "/models/epoch/all_ml_systems_full_view_2025-08-07.csv";
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        WARN("skipped: " << path << " is not present");
        return;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();

    std::vector<Diagnostic> diags;
    const auto records = importEpochCsv(text, "epoch.csv", diags);
    for (const auto& d : diags) {
        INFO(d.toString());
        CHECK(d.severity != Severity::Error);
    }
    REQUIRE(records.size() == 1892);

    const auto rows = splitCsv(text);
    REQUIRE(rows.size() == 1893);
    const auto& header = rows[0];
    std::size_t modelCol = header.size(), computeCol = header.size();
    for (std::size_t i = 0; i < header.size(); ++i) {
        if (header[i] == "Model") modelCol = i;
        if (header[i] == "Training compute (FLOP)") computeCol = i;
    }
    REQUIRE(modelCol < header.size());
    REQUIRE(computeCol < header.size());

    std::size_t withCompute = 0;
    for (std::size_t i = 0; i < records.size(); ++i) {
        const auto& row = rows[i + 1];
        const ModelRecord& m = records[i];
        INFO("row " << i + 1 << ": " << row.at(modelCol));
        CHECK(m.name == trimmed(row.at(modelCol)));  // the importer trims cells
        const std::string cell = trimmed(row.at(computeCol));
        if (cell.empty()) continue;
        ++withCompute;
        REQUIRE_FALSE(m.stages.empty());
        CHECK(m.stages[0].kind == StageKind::Pretraining);
        // Exact, except a spurious trailing "0...01" of the export (docs/data-format.md).
        const auto fixed = detail::epochArtefactCorrection(cell);
        CHECK(m.stages[0].flop->central() == (fixed ? *fixed : parseExact(cell)));
    }
    CHECK(withCompute == 988);

    // Hand-checked rows (values as printed in the export).
    auto find = [&](const std::string& name) -> const ModelRecord& {
        for (const auto& m : records)
            if (m.name == name) return m;
        FAIL("no row " << name);
        return records.front();
    };
    CHECK(find("GPT-3 175B (davinci)").stages.at(0).flop->central() == 314 * pow10(21));
    CHECK(find("Llama 3.1-405B").stages.at(0).flop->central() == 38 * pow10(24));
    CHECK(find("AlphaGo Zero").stages.at(0).flop->central() == 341 * pow10(21));
    CHECK(find("Llama 3.1-405B").released->toIsoDay() == "2024-07-23");

    // Ids are unique and valid.
    std::set<std::string> ids;
    for (const auto& m : records) ids.insert(m.id);
    CHECK(ids.size() == records.size());
}
