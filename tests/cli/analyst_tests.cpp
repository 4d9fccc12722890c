// The analyst's workflow end to end through cli::run: `assess --only`, the brief, coverage
// against `assess --as-of`, what-if records from flags. Expectations come from the records'
// own files (release dates) and from hand arithmetic, not from the code under test.
#include <flopledger_cli/cli.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <clocale>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

namespace fs = std::filesystem;
using Json = nlohmann::json;

namespace {

const std::string kModels = std::string(FLOPLEDGER_SOURCE_DIR) + "/models";

struct Run {
    int code = 0;
    std::string out, err;
};

Run run(std::vector<std::string> args) {
    std::istringstream in;
    std::ostringstream out, err;
    Run r;
    r.code = flopledger::cli::run(args, in, out, err);
    r.out = out.str();
    r.err = err.str();
    return r;
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream ss(text);
    for (std::string l; std::getline(ss, l);) {
        out.push_back(l);
    }
    return out;
}

// id -> release date text, read from the record files themselves: the curated records, and the
// Epoch layer beneath them (models/epoch/*.jsonl), whose `released` a curated record without
// one takes over (fill-in, docs/data-format.md "Layers").
std::map<std::string, std::string> releaseDates() {
    std::map<std::string, std::string> epoch;
    const fs::path layer = fs::path(kModels) / "epoch";
    if (fs::exists(layer)) {
        for (const auto& e : fs::directory_iterator(layer)) {
            if (e.path().extension() != ".jsonl") {
                continue;
            }
            std::ifstream f(e.path());
            for (std::string line; std::getline(f, line);) {
                if (line.find_first_not_of(" \t\r") == std::string::npos) {
                    continue;
                }
                Json j = Json::parse(line);
                epoch[j["id"].get<std::string>()] = j.value("released", std::string());
            }
        }
    }
    std::map<std::string, std::string> out = epoch;
    for (const auto& e : fs::directory_iterator(kModels)) {
        if (e.path().extension() != ".json") {
            continue;
        }
        std::ifstream f(e.path());
        Json j = Json::parse(f);
        std::string released = j.value("released", std::string());
        const std::string supersedes = j.value("supersedes", std::string());
        if (supersedes.rfind("epoch:", 0) == 0) {
            const std::string below = supersedes.substr(6);
            if (released.empty() && epoch.count(below) > 0) {
                released = epoch[below];
            }
            out.erase(below);
        }
        out[j["id"].get<std::string>()] = released;
    }
    return out;
}

// "2024" and "2024-07" compare as their first day, as the contract says.
std::string firstDay(std::string d) {
    if (d.size() == 4) {
        d += "-01";
    }
    if (d.size() == 7) {
        d += "-01";
    }
    return d;
}

}  // namespace

TEST_CASE("assess --only exceeds names exactly the exceeding models, nothing else", "[analyst]") {
    Run json = run({"assess", kModels, "--policy", "eu-ai-act-art51", "--as-of", "2025-09-01",
                    "--format", "jsonl", "--samples", "0"});
    REQUIRE(json.code == 0);
    std::set<std::string> exceeding;
    for (const auto& l : lines(json.out)) {
        Json j = Json::parse(l);
        if (j["verdicts"][0]["status"] == "exceeds") {
            exceeding.insert(j["id"].get<std::string>());
        }
    }
    REQUIRE(!exceeding.empty());

    Run only = run({"assess", kModels, "--policy", "eu-ai-act-art51", "--as-of", "2025-09-01",
                    "--only", "exceeds"});
    REQUIRE(only.code == 0);
    const auto out = lines(only.out);
    CHECK(out.size() < 30);
    // Model lines are indented by four spaces: "id  figure" cells, one or more a line.
    std::set<std::string> named;
    const std::regex figure(R"((>=)?[0-9.]+(e[0-9]+)?|unknown)");
    for (const auto& l : out) {
        if (l.rfind("    ", 0) != 0) {
            continue;
        }
        std::istringstream words(l);
        for (std::string w; words >> w;) {
            if (!std::regex_match(w, figure)) {
                named.insert(w);
            }
        }
    }
    CHECK(named == exceeding);
    CHECK(only.out.find("exceeds (" + std::to_string(exceeding.size()) + ")") != std::string::npos);
    // No verdict matrix, no warnings list.
    CHECK(only.out.find("Assumptions and warnings") == std::string::npos);

    // JSON Lines keeps only the records that pass.
    Run filtered = run({"assess", kModels, "--policy", "eu-ai-act-art51", "--as-of", "2025-09-01",
                        "--format", "jsonl", "--samples", "0", "--only", "exceeds"});
    CHECK(lines(filtered.out).size() == exceeding.size());

    Run bad = run({"assess", kModels, "--only", "exceed"});
    CHECK(bad.code == 2);
    CHECK(bad.err.find("did you mean 'exceeds'") != std::string::npos);
}

TEST_CASE("coverage counts agree with assess --as-of at each date", "[analyst]") {
    Run cov = run({"coverage", kModels, "--policy", "eu-ai-act-art51", "--from", "2020", "--to",
                   "2026", "--format", "json"});
    REQUIRE(cov.code == 0);
    const Json c = Json::parse(cov.out);
    const auto& series = c["policies"][0]["coverage"];
    REQUIRE(series.size() == 7);  // 2020-01-01 ... 2026-01-01
    const auto released = releaseDates();
    for (const auto& point : series) {
        const std::string date = point["as_of"];
        Run a = run({"assess", kModels, "--policy", "eu-ai-act-art51", "--as-of", date, "--format",
                     "jsonl", "--samples", "0"});
        REQUIRE(a.code == 0);
        std::map<std::string, std::size_t> counts;
        for (const auto& l : lines(a.out)) {
            Json j = Json::parse(l);
            const std::string rel = released.at(j["id"].get<std::string>());
            if (rel.empty() || firstDay(rel) > date) {
                continue;  // not released yet (or undated): not covered
            }
            ++counts[j["verdicts"][0]["status"].get<std::string>()];
        }
        INFO("as of " << date);
        CHECK(point["exceeds"] == counts["exceeds"]);
        CHECK(point["straddles"] == counts["indeterminate"]);
        CHECK(point["below"] == counts["below"]);
        CHECK(point["unknown"] == counts["unknown"]);
    }
    // The EU threshold is 1e25 throughout; in 2020 no model of the registry was above it.
    CHECK(series[0]["exceeds"] == 0);
    CHECK(series[0]["threshold"] == "1e25");
}

TEST_CASE("the GPT-4 brief: conclusion first, Epoch AI and its label, one page", "[analyst]") {
    Run b = run({"assess", kModels + "/gpt-4.json", "--format", "brief", "--as-of", "2025-09-01"});
    REQUIRE(b.code == 0);
    const auto out = lines(b.out);
    CHECK(out.size() <= 40);
    bool conclusion = false;
    for (std::size_t i = 0; i < 3 && i < out.size(); ++i) {
        conclusion =
            conclusion || out[i].find("GPT-4: probably above the EU AI Act") != std::string::npos;
    }
    CHECK(conclusion);
    CHECK(b.out.find("Epoch AI") != std::string::npos);
    CHECK(b.out.find("speculative") != std::string::npos);
    CHECK(b.out.find("the developer has published no figure") != std::string::npos);
    CHECK(b.out.find('|') == std::string::npos);    // no letter matrix or table
    CHECK(b.out.find("\\_") == std::string::npos);  // no escaped Markdown
    // One page on other dates too: the legal standing grows a line per kind of standing, and
    // the manifest closes every brief (issue 16's command gives no date: today).
    for (const char* asOf : {"2026-12-07", "2027-06-01", "2030-01-01"}) {
        Run d = run({"assess", kModels + "/gpt-4.json", "--format", "brief", "--as-of", asOf});
        REQUIRE(d.code == 0);
        INFO(asOf << "\n" << d.out);
        CHECK(lines(d.out).size() <= 40);
    }
}

TEST_CASE("a what-if record from flags: 6ND and hardware, exact", "[analyst]") {
    // 6 x 70e9 x 15e12 = 6.3e24.
    Run e = run({"estimate", "--params", "70B", "--tokens", "15T", "--format", "json"});
    REQUIRE(e.code == 0);
    CHECK(Json::parse(e.out)[0]["total"]["central"] == "6300000000000000000000000");
    // 16384 H100 SXM (989.4e12 dense bf16) x 54 days x 86400 s x 38%.
    Run h = run({"estimate", "--accelerator", "H100 SXM", "--count", "16384", "--days", "54",
                 "--utilization", "38%", "--precision", "bf16", "--format", "json"});
    REQUIRE(h.code == 0);
    CHECK(Json::parse(h.out)[0]["total"]["central"] == "28739747237068800000000000");
    Run alias = run({"estimate", "--accelerator", "h100", "--count", "16384", "--days", "54",
                     "--utilization", "0.38", "--precision", "bf16", "--format", "json"});
    CHECK(Json::parse(alias.out)[0]["total"]["central"] == "28739747237068800000000000");

    Run typo = run({"estimate", "--accelerator", "h1000", "--count", "1", "--hours", "1"});
    CHECK(typo.code == 2);
    CHECK(typo.err.find("E310") != std::string::npos);
}

TEST_CASE("coverage and its projection are the same text in a comma-decimal locale", "[locale]") {
    // Issue 18: a host that calls setlocale (the GUI through Qt, a C host) must get the same
    // numbers. As of 2300 the effective-compute threshold is 1.34e-99 FLOP, whose decimal point
    // strtod stops at in de_DE (the crossing year came from log10(1)); the projection prints
    // growth factors with two decimals (printf wrote "x3,20").
    const std::vector<std::string> args = {
        "coverage",    kModels,
        "--policy",    "illustrative-effective-compute-1e25,eu-ai-act-art51",
        "--from",      "2300-01-01",
        "--to",        "2300-01-01",
        "--projection"};
    const Run before = run(args);
    REQUIRE(before.code == 0);
    REQUIRE(before.out.find("PROJECTION") != std::string::npos);
    REQUIRE(before.out.find("(1.34e-99)") != std::string::npos);  // the 2300 threshold
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
    const Run after = run(args);
    std::setlocale(LC_ALL, "C");
    CHECK(after.code == 0);
    CHECK(after.out == before.out);
    CHECK(after.err == before.err);
}

TEST_CASE("the brief says what would change the conclusion: break-even and crossing compute",
          "[analyst][brief]") {
    // 16384 H100 SXM x 54 days at 38%: 2.87e25 FLOP. Art. 51 (> 1e25) flips below at
    // utilization 1e25 / (16384 x 1296 x 3600 x 989.4e12) = 0.13235...: "13.2%" (contract 7.6).
    Run h = run({"assess", "--accelerator", "h100", "--count", "16384", "--days", "54",
                 "--utilization", "38%", "--precision", "bf16", "--policy", "eu-ai-act-art51",
                 "--as-of", "2025-09-01", "--format", "brief"});
    REQUIRE(h.code == 0);
    INFO(h.out);
    CHECK(h.out.find("utilization at 13.2% instead of 38% (hardware) would put it below the "
                     "threshold") != std::string::npos);

    // Llama 3.1 8B discloses 8.69e23 of pre-training; 1e25 - 8.69e23 = 9.131e24 more, about
    // 10.5 times the disclosed compute, would cross Art. 51 (contract 7.3).
    Run l = run({"assess", kModels + "/llama-3.1-8b.json", "--policy", "eu-ai-act-art51", "--as-of",
                 "2025-09-01", "--format", "brief"});
    REQUIRE(l.code == 0);
    INFO(l.out);
    CHECK(l.out.find("undisclosed compute of more than 9.13e24 FLOP (10.5x the disclosed "
                     "compute) would put it over 1e25") != std::string::npos);
    // ...and the conclusion says so first instead of "undecided".
    CHECK(lines(l.out).at(2).find("below the EU AI Act Art. 51(2) threshold on disclosed compute "
                                  "(undisclosed compute of 10.5x the disclosed would cross it)") !=
          std::string::npos);
    // The same with the assumption: decided below, and the brief names what it relies on.
    Run a = run({"assess", kModels + "/llama-3.1-8b.json", "--policy", "eu-ai-act-art51", "--as-of",
                 "2025-09-01", "--format", "brief", "--assume-undisclosed", "1"});
    REQUIRE(a.code == 0);
    CHECK(a.out.find("rely on an assumption") != std::string::npos);
}

TEST_CASE("the brief summarises reading warnings by code with counts", "[analyst][brief]") {
    // Two records each with a stage no method can estimate: W815 twice, summarised in a line.
    const fs::path dir = fs::temp_directory_path() / "flopledger-brief-warnings";
    fs::create_directories(dir);
    const fs::path file = dir / "two.json";
    {
        std::ofstream f(file);
        f << R"([{"id": "a", "released": "2024-01", "stages": [{"kind": "pretraining", "flop": 1e24},
                 {"kind": "fine-tuning"}]},
                {"id": "b", "released": "2024-01", "stages": [{"kind": "pretraining", "flop": 2e24},
                 {"kind": "rl"}]}])";
    }
    Run b = run({"assess", file.string(), "--policy", "eu-ai-act-art51", "--as-of", "2025-09-01",
                 "--format", "brief"});
    REQUIRE(b.code == 0);
    INFO(b.out);
    CHECK(b.out.find("Reading the inputs gave 2 warnings (W815 x2)") != std::string::npos);
    CHECK(b.out.find("W815:") == std::string::npos);  // summarised, not listed
    fs::remove_all(dir);
}
