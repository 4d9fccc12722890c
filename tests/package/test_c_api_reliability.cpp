// Issue 18: the C API from 8 threads at once (run under ThreadSanitizer in CI), and a host that
// calls setlocale(LC_ALL, ...) with a comma decimal separator (de_DE): the effective-compute
// threshold and every number in the JSON stay exact and locale-independent.
#include <flopledger/flopledger.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <clocale>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

namespace {

std::string take(char* p) {
    std::string s = p != nullptr ? p : "<NULL>";
    flopledger_free(p);
    return s;
}

// GPT-3's 3.14e23 and a 3.6e24 model, assessed against the illustrative effective-compute
// policy (1e25 halving every 8 months from 2025-08-02) and a legal one.
const char* const kRecords =
    R"({"id": "a", "modalities": ["text"], "stages": [{"kind": "pretraining", "flop": "3.14e23"}]}
{"id": "b", "modalities": ["text"], "stages": [{"kind": "pretraining", "flop": "3.6e24", "cost_usd": {"low": "1M", "high": "9M"}}]}
)";
const char* const kOptions =
    R"({"as_of": ["2026-08-02", "2300-01-01", "0001-01-01"], "policies": ["illustrative-effective-compute-1e25", "eu-ai-act-art51"], "samples": 200})";

std::string assessOnce() {
    flopledger_t* h = flopledger_new(nullptr);
    REQUIRE(h != nullptr);
    std::string out = take(flopledger_assess(h, kRecords, kOptions));
    flopledger_delete(h);
    return out;
}

// The shown threshold of policy `id` for record `index` on date `date`.
std::string threshold(const std::string& json, std::size_t index, std::size_t date) {
    // The assess document is an array with one element per record and date, in input order.
    const auto doc = nlohmann::json::parse(json);
    std::vector<const nlohmann::json*> records;
    for (const auto& e : doc) {
        if (records.empty() || records.back()->at("id") != e.at("id")) records.push_back(&e);
    }
    const std::string id = records.at(index)->at("id");
    std::size_t seen = 0;
    for (const auto& e : doc) {
        if (e.at("id") != id || seen++ != date) continue;
        for (const auto& v : e["verdicts"]) {
            if (v["policy"] == "illustrative-effective-compute-1e25") return v["threshold"];
        }
    }
    return "<none>";
}

}  // namespace

TEST_CASE("eight threads use the C API at once", "[threads]") {
    const std::string expected = assessOnce();
    REQUIRE(expected != "<NULL>");
    std::vector<std::string> outputs(8);
    std::vector<std::string> errors(8);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < outputs.size(); ++i) {
        threads.emplace_back([&, i] {
            flopledger_t* h = flopledger_new(nullptr);
            if (h == nullptr) return;
            for (int round = 0; round < 3; ++round) {
                // Failures on one handle must not leak into another thread's results.
                take(flopledger_assess(h, "[{\"id\": 5}]", nullptr));
                errors[i] = flopledger_last_error(h);
                take(flopledger_estimate(h, kRecords, nullptr));
                outputs[i] = take(flopledger_assess(h, kRecords, kOptions));
            }
            flopledger_delete(h);
        });
    }
    for (auto& t : threads) t.join();
    for (std::size_t i = 0; i < outputs.size(); ++i) {
        INFO("thread " << i);
        CHECK(outputs[i] == expected);
        CHECK(errors[i].find("E301") != std::string::npos);
    }
}

TEST_CASE("the effective-compute threshold on far dates, exact", "[locale]") {
    const std::string out = assessOnce();
    // 2026-08-02: 12 months, 1e25 / 2^1.5 = 3.535534e24 (7 significant digits).
    CHECK(threshold(out, 0, 0) == "3535534000000000000000000");
    // 2300-01-01: 3292 months, 1e25 / 2^411.5 = 1.337078e-99.
    CHECK(threshold(out, 0, 1) == "0." + std::string(98, '0') + "1337078");
    // 0001-01-01: -24295 months, 1e25 * 2^(24295/8) = 1.550487e939.
    CHECK(threshold(out, 0, 2) == "1550487" + std::string(933, '0'));
}

TEST_CASE("a host in a comma-decimal locale gets the same JSON", "[locale]") {
    const std::string before = assessOnce();
    const char* found = nullptr;
    for (const char* name : {"de_DE.UTF-8", "de_DE.utf8", "de_DE"}) {
        if ((found = std::setlocale(LC_ALL, name)) != nullptr) break;
    }
    if (found == nullptr) {
        // tests/cli/locale_test.sh generates de_DE.UTF-8 and sets this variable.
        if (std::getenv("FLOPLEDGER_REQUIRE_LOCALE") != nullptr) FAIL("de_DE locale not found");
        WARN("no de_DE locale here; tests/cli/locale_test.sh runs this case with one");
        return;
    }
    REQUIRE(std::string(std::localeconv()->decimal_point) == ",");
    const std::string after = assessOnce();
    std::setlocale(LC_ALL, "C");
    CHECK(after == before);
    CHECK(after.find("error") == std::string::npos);
}
