// The catalogue of hostile inputs in tests/data/bad/: each gives its expected first error, on
// one line, at the expected place, and nothing crashes or hangs.
#include <flopledger/record_reader.hpp>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace flopledger;

namespace {

struct Expected {
    std::string file, code;
    std::size_t line = 0;
    std::string pointer;
};

std::vector<Expected> loadExpected(const std::string& dir) {
    std::ifstream in(dir + "/expected.tsv");
    REQUIRE(in);
    std::vector<Expected> out;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream fields(line);
        Expected e;
        std::string lineText;
        std::getline(fields, e.file, '\t');
        std::getline(fields, e.code, '\t');
        std::getline(fields, lineText, '\t');
        std::getline(fields, e.pointer, '\t');
        e.line = std::stoul(lineText);
        if (e.pointer == "-") e.pointer.clear();
        out.push_back(e);
    }
    return out;
}

// Reader errors first; if the text reads cleanly, validate()'s first error.
std::vector<Diagnostic> errorsOf(const RecordReader& reader, const ReadResult& r) {
    std::vector<Diagnostic> out;
    for (const auto& d : r.diagnostics)
        if (d.severity == Severity::Error) out.push_back(d);
    if (!out.empty()) return out;
    for (const auto& rec : r.records)
        for (const auto& d : reader.validate(rec))
            if (d.severity == Severity::Error) out.push_back(d);
    return out;
}

void checkOneLine(const std::vector<Diagnostic>& ds) {
    for (const auto& d : ds) {
        CHECK(d.message.find('\n') == std::string::npos);
        CHECK(d.toString().find('\n') == std::string::npos);
        CHECK_FALSE(d.message.empty());
    }
}

}  // namespace

TEST_CASE("every file in tests/data/bad gives its expected first error", "[bad]") {
    const std::string dir = std::string(FLOPLEDGER_SOURCE_DIR) + "/tests/data/bad";
    const auto expected = loadExpected(dir);
    CHECK(expected.size() >= 50);
    std::set<std::string> listed;
    const RecordReader reader;
    for (const auto& e : expected) {
        listed.insert(e.file);
        INFO("file " << e.file);
        const ReadResult r = reader.readPath(dir + "/" + e.file);
        const auto errors = errorsOf(reader, r);
        checkOneLine(r.diagnostics);
        if (e.code == "OK") {
            CHECK(errors.empty());
            CHECK_FALSE(r.records.empty());
            continue;
        }
        REQUIRE_FALSE(errors.empty());
        const Diagnostic& d = errors.front();
        INFO(d.toString());
        CHECK(codeText(d.code) == e.code);
        CHECK(d.line == e.line);
        CHECK(d.pointer == e.pointer);
        CHECK(d.file == dir + "/" + e.file);
    }
    // Every committed file is in the table.
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        const std::string name = entry.path().filename().string();
        if (name == "expected.tsv") continue;
        INFO("unlisted file " << name);
        CHECK(listed.count(name) == 1);
    }
}

TEST_CASE("a bad JSON Lines line does not stop the others", "[bad]") {
    const std::string dir = std::string(FLOPLEDGER_SOURCE_DIR) + "/tests/data/bad";
    const ReadResult r = RecordReader().readPath(dir + "/bad_line_in_middle.jsonl");
    CHECK(r.records.size() == 4);
    CHECK(r.diagnostics.size() == 1);
}

TEST_CASE("generated hostile inputs are refused cleanly", "[bad]") {
    const RecordReader reader;
    auto first = [&](const std::string& text) {
        const ReadResult r = reader.readText(text, "gen.json");
        const auto errors = errorsOf(reader, r);
        checkOneLine(r.diagnostics);
        REQUIRE_FALSE(errors.empty());
        return errors.front();
    };
    SECTION("100000 nested arrays") {
        const Diagnostic d = first(std::string(100000, '['));
        CHECK(d.code == ErrorCode::JsonDepth);
        CHECK(d.line == 1);
    }
    SECTION("100000 nested objects") {
        std::string s;
        for (int i = 0; i < 100000; ++i) s += "{\"a\":";
        CHECK(first(s).code == ErrorCode::JsonDepth);
    }
    SECTION("a 10 MB string") {
        const Diagnostic d =
            first("{\"id\": \"a\",\n \"notes\": \"" + std::string(10u << 20, 'x') + "\"}");
        CHECK(d.code == ErrorCode::InputTooLarge);
        CHECK(d.line == 2);
    }
    SECTION("a number of 100000 digits") {
        const Diagnostic d = first(R"({"id": "a", "stages": [{"kind": "rl", "flop": )" +
                                   std::string(100000, '7') + "}]}");
        CHECK(d.code == ErrorCode::InputTooLarge);
        CHECK(d.pointer == "/stages/0/flop");
    }
    SECTION("a numeric string of 100000 digits") {
        const Diagnostic d = first(R"({"id": "a", "stages": [{"kind": "rl", "tokens": ")" +
                                   std::string(100000, '7') + "\"}]}");
        CHECK(d.code == ErrorCode::InputTooLarge);
    }
    SECTION("a huge JSON number exponent") {
        CHECK(first(R"({"id": "a", "stages": [{"kind": "rl", "flop": 1e99999999999999999999}]})")
                  .code == ErrorCode::NumberRange);
    }
    SECTION("a very long JSON Lines line over the limit") {
        ReadLimits limits;
        limits.maxLineBytes = 1000;
        const std::string text = "{\"id\": \"a\"}\n{\"id\": \"b\", \"notes\": \"" +
                                 std::string(2000, 'x') + "\"}\n{\"id\": \"c\"}\n";
        const ReadResult r = RecordReader(limits).readText(text, "l.jsonl");
        CHECK(r.records.size() == 2);
        REQUIRE(r.diagnostics.size() == 1);
        CHECK(r.diagnostics[0].code == ErrorCode::InputTooLarge);
        CHECK(r.diagnostics[0].line == 2);
    }
    SECTION("every single-byte truncation of a valid record fails cleanly or reads") {
        const std::string good = R"({"id": "t", "architecture": {"layers": 2, "d_model": 8, )"
                                 R"("heads": 2}, "stages": [{"kind": "rl", "flop": )"
                                 R"({"low": "1e20", "high": "2e20"}}]})";
        for (std::size_t n = 0; n < good.size(); ++n) {
            const ReadResult r = reader.readText(good.substr(0, n), "cut.json");
            checkOneLine(r.diagnostics);
            if (n > 0) CHECK_FALSE(r.ok());
        }
    }
}
