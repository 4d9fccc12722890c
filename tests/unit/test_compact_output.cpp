// Compact output (compact.hpp, `--compact`): every decision field of the contract's verdicts and
// estimates is in the compact object with the default document's value, the exact numbers are
// still exact, and leaving the verdict texts out (as the CLI does for --compact) changes nothing.
#include "assess/assess_request.hpp"

#include <catch2/catch.hpp>
#include <flopledger/assessment.hpp>
#include <flopledger/compact.hpp>
#include <flopledger/record_reader.hpp>
#include <flopledger/report.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>
#include <vector>

using namespace flopledger;
using Json = nlohmann::json;

namespace {

// The CLI test registry, two curated lower-bound records and a cluster, assessed on two dates.
std::vector<RecordAssessment> results(bool texts, bool assume) {
    AssessOptions ao;
    ao.asOf = {*Date::parse("2025-09-01"), *Date::parse("2026-06-01")};
    if (assume) ao.assumeUndisclosed = parseExact("1");
    const Assessor assessor(ao);
    RecordReader reader;
    std::vector<Record> records;
    const std::string dir = FLOPLEDGER_SOURCE_DIR;
    for (const char* path : {"/tests/cli/inputs/registry.jsonl", "/models/llama-3.1-8b.json",
                             "/models/llama-3.1-405b.json", "/tests/cli/inputs/cluster.json"}) {
        ReadResult read = reader.load(dir + path);
        REQUIRE(!read.records.empty());
        for (Record& r : read.records) records.push_back(std::move(r));
    }
    AssessRequest request;  // texts off: what the compact writer asks for
    request.verdictTexts = texts;
    return AssessorAccess::assessAll(assessor, std::move(records), 1, request);
}

// A compact FLOP value (a string, or [low, central, high] with high null for a lower bound)
// against the default {"low", "central", "high"} object: equal as exact numbers.
void sameValue(const Json& compact, const Json& full) {
    if (full.is_null()) {
        CHECK(compact.is_null());
        return;
    }
    if (compact.is_string()) {
        const Exact v = parseExact(compact.get<std::string>());
        for (const char* k : {"low", "central", "high"}) {
            REQUIRE(full[k].is_string());
            CHECK(parseExact(full[k].get<std::string>()) == v);
        }
        return;
    }
    REQUIRE(compact.is_array());
    REQUIRE(compact.size() == 3);
    const char* keys[] = {"low", "central", "high"};
    for (std::size_t i = 0; i < 3; ++i) {
        if (full[keys[i]].is_null()) {
            CHECK(compact[i].is_null());
        } else {
            CHECK(parseExact(compact[i].get<std::string>()) ==
                  parseExact(full[keys[i]].get<std::string>()));
        }
    }
}

void sameExact(const Json& compact, const Json& full) {
    if (full.is_null()) {
        CHECK(compact.is_null());
        return;
    }
    CHECK(parseExact(compact.get<std::string>()) == parseExact(full.get<std::string>()));
}

// Every decision field of every default verdict, read back from the compact object.
void compareRecord(const Json& c, const Json& f) {
    CHECK(c["id"] == f["id"]);
    CHECK(c["as_of"] == f["as_of"]);
    if (f.contains("total")) {
        sameValue(c["total"], f["total"]);
        CHECK(c.value("lower_bound", false) == f.value("lower_bound", false));
        REQUIRE(c["stages"].size() == f["stages"].size());
        for (std::size_t i = 0; i < f["stages"].size(); ++i) {
            const Json& cs = c["stages"][i];
            const Json& fs = f["stages"][i];
            CHECK(cs["kind"] == fs["kind"]);
            CHECK(cs["method"] == fs["method"]);
            CHECK(cs["origin"] == fs["origin"]);
            sameValue(cs["flop"], fs["flop"]);
            for (const auto& [method, value] : fs["methods"].items()) {
                if (fs["method"] == method) continue;  // the chosen one is "flop"
                sameValue(cs["methods"][method], value);
            }
            CHECK(cs.value("assumptions", Json::array()) == fs["assumptions"]);
        }
    }
    const Json& verdicts = f["verdicts"];
    REQUIRE(c["verdicts"].size() == verdicts.size());
    for (const Json& v : verdicts) {
        const std::string policy = v["policy"];
        INFO(f["id"].get<std::string>() << " " << policy);
        const Json& o = c["outcomes"].at(c["verdicts"].at(policy).get<std::size_t>());
        REQUIRE((o.size() == 7 || o.size() == 8));
        const Json extra = o.size() == 8 ? o[7] : Json::object();
        CHECK(o[0] == v["status"]);
        CHECK(o[1] == v["compute_status"]);
        sameValue(o[2], v["counted_flop"]);
        sameExact(o[3], v["threshold"]);
        CHECK(o[4] == v["comparator"]);
        CHECK(o[5] == v["margin_log10"]);
        CHECK(o[6] == v["probability"]);
        CHECK(extra.value("missing", Json::array()) == v["missing"]);
        CHECK(extra.value("assumptions", Json::array()) == v["assumptions"]);
        CHECK(extra.value("lower_bound", false) == v.value("lower_bound", false));
        for (const char* k : {"disclosed_status", "crossing_ratio"}) {
            CHECK(extra.value(k, Json()) == v.value(k, Json()));
        }
        if (v.contains("crossing_flop")) sameExact(extra["crossing_flop"], v["crossing_flop"]);
        CHECK_FALSE(extra.contains("crossing_flop") != v.contains("crossing_flop"));
    }
}

}  // namespace

TEST_CASE("compact output: every decision field with the default document's value",
          "[compact][output]") {
    for (const bool assume : {false, true}) {
        const auto full = results(true, assume);
        std::string objects;
        for (const auto& r : full) {
            for (std::size_t d = 0; d < r.dates.size(); ++d) {
                objects += objects.empty() ? "[" : ",";
                objects += assessJson(r, d);
            }
        }
        const Json def = Json::parse(objects + "]");
        const Json compact = Json::parse(compactJsonDocument(full, true));
        REQUIRE(compact.size() == def.size());
        REQUIRE(compact.size() > 10);
        bool sawLowerBound = false;
        bool sawMissing = false;
        for (std::size_t i = 0; i < def.size(); ++i) {
            compareRecord(compact[i], def[i]);
            for (const Json& v : def[i]["verdicts"]) {
                sawLowerBound |= v.value("lower_bound", false);
                sawMissing |= !v["missing"].empty();
            }
        }
        CHECK(sawLowerBound);         // the inputs exercise the optional fields
        CHECK(sawMissing != assume);  // the assumption decides what was missing
        // Without verdict texts (what --compact asks the assessor for): the same bytes.
        CHECK(compactJsonLinesDocument(results(false, assume), true) ==
              compactJsonLinesDocument(full, true));
    }
}

TEST_CASE("compact output: identical verdicts are written once", "[compact][output]") {
    const auto full = results(false, false);
    const Json compact = Json::parse(compactJsonDocument(full, true));
    for (const Json& r : compact) {
        std::vector<std::string> seen;
        for (const Json& o : r["outcomes"]) {
            const std::string text = o.dump();
            CHECK(std::find(seen.begin(), seen.end(), text) == seen.end());
            seen.push_back(text);
        }
        // Every outcome is used by some policy.
        std::vector<bool> used(r["outcomes"].size(), false);
        for (const auto& [policy, index] : r["verdicts"].items())
            used.at(index.get<std::size_t>()) = true;
        CHECK(std::all_of(used.begin(), used.end(), [](bool b) { return b; }));
    }
}

TEST_CASE("compact output: exact numbers with trailing zeros as an exponent", "[compact]") {
    CHECK(compactExactText(parseExact("1e26")) == "1e26");
    CHECK(compactExactText(parseExact("3236800500000000000000")) == "32368005e14");
    CHECK(compactExactText(parseExact("120")) == "120");  // two zeros: as long either way
    CHECK(compactExactText(parseExact("1000")) == "1e3");
    CHECK(compactExactText(parseExact("0")) == "0");
    CHECK(compactExactText(parseExact("0.3")) == "0.3");
    CHECK(compactExactText(Exact(1) / 3) == "0.3333333333333333333333333333333333333333");
    // 2^128 * 10^3: beyond the 128-bit fast path, still exact.
    CHECK(compactExactText(parseExact("340282366920938463463374607431768211456000")) ==
          "340282366920938463463374607431768211456e3");
    CHECK(parseExact(compactExactText(parseExact("4.2e40"))) == parseExact("4.2e40"));
}

TEST_CASE("compact output: CSV rows keep the decision columns", "[compact][output]") {
    const auto full = results(true, false);
    std::string csv = compactCsvHeader(true);
    for (const auto& r : full) appendCompactCsvRows(csv, r, true);
    CHECK(csv.rfind("id,as_of,policy,status,compute_status,counted_low,counted_central,"
                    "counted_high,threshold,comparator,margin_log10,probability,missing,"
                    "assumptions,lower_bound,disclosed_status,crossing_flop\r\n",
                    0) == 0);
    std::size_t rows = 0;
    for (const auto& r : full)
        for (const auto& d : r.dates) rows += d.verdicts.size();
    CHECK(static_cast<std::size_t>(std::count(csv.begin(), csv.end(), '\n')) == rows + 1);
    // The lower-bound verdict of Llama 3.1 8B: empty high, lower_bound true, crossing FLOP
    // 1e25 - 8.686927872e23 = 9.1313072128e24 (hand-computed).
    CHECK(csv.find("llama-3.1-8b,2025-09-01,eu-ai-act-art51,unknown,unknown,"
                   "868692787200000000000000,868692787200000000000000,,"
                   "10000000000000000000000000,>,,,") != std::string::npos);
    CHECK(csv.find(",true,below,9131307212800000000000000\r\n") != std::string::npos);
}

TEST_CASE("csvField: the one-pass scan gives the two-pass reference's bytes", "[output][csv]") {
    // The reference: control pictures first, then quotes when a comma, quote, CR or LF remains.
    const auto reference = [](std::string_view text) {
        std::string s;
        for (const char ch : text) {
            const auto c = static_cast<unsigned char>(ch);
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
                s += '\xE2';
                s += '\x90';
                s += static_cast<char>(c == 0x7f ? 0xA1 : 0x80 + c);
            } else {
                s += ch;
            }
        }
        if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
        std::string out = "\"";
        for (const char ch : s) {
            out += ch;
            if (ch == '"') out += '"';
        }
        return out + "\"";
    };
    // Every string of up to three bytes over an alphabet of the bytes that matter.
    const std::string alphabet =
        std::string("a ,\"\r\n\t\x1b\x7f!#\xe2", 12) + std::string(1, '\0');
    std::vector<std::string> texts = {""};
    for (int len = 0; len < 3; ++len) {
        const std::size_t n = texts.size();
        for (std::size_t i = 0; i < n; ++i)
            for (const char c : alphabet) texts.push_back(texts[i] + c);
    }
    texts.push_back("counted 1.49e21 to 4.98e21 FLOP is not > 1e26, \"quoted\"\r\nand more");
    for (const std::string& t : texts) {
        INFO(t);
        CHECK(csvField(t) == reference(t));
    }
}
