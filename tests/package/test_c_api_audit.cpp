// The C API's audit additions (issue 17): numeric error codes with line and pointer, every CLI
// option, duplicate keys refused, compact output, sensitivity, the manifest, streaming.
#include <flopledger/flopledger.h>

#include <flopledger/assessment.hpp>
#include <flopledger/manifest.hpp>
#include <flopledger/policy_catalog.hpp>
#include <flopledger/record_reader.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
const fs::path kSource = FLOPLEDGER_SOURCE_DIR;

std::string readFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

struct Handle {
    Handle() : h(flopledger_new(nullptr)) {}
    ~Handle() { flopledger_delete(h); }
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    flopledger_t* h;
};

struct Result {
    explicit Result(char* p) : ok(p != nullptr), text(p ? p : "") { flopledger_free(p); }
    bool ok;
    std::string text;
};

const std::string kRegistry =
    readFile(kSource / "examples" / "02-assess-registry" / "registry.json");

struct Source {
    std::string text;
    std::size_t at = 0;
    std::size_t chunk = 7;  // small reads: lines cross buffer boundaries
};

long readSource(void* user, char* buffer, size_t capacity) {
    auto* s = static_cast<Source*>(user);
    const std::size_t n = std::min({capacity, s->chunk, s->text.size() - s->at});
    std::memcpy(buffer, s->text.data() + s->at, n);
    s->at += n;
    return static_cast<long>(n);
}

struct Sink {
    std::string out;
    std::vector<std::string> errors;
    std::vector<std::size_t> lines;
    std::size_t stopAfter = 0;
};

int onRecord(void* user, size_t line, const char* json, size_t length, const char* error) {
    auto* s = static_cast<Sink*>(user);
    s->lines.push_back(line);
    if (json != nullptr) {
        CHECK(std::strlen(json) == length);
        s->out.append(json, length);
    } else {
        s->errors.emplace_back(error);
    }
    return s->stopAfter != 0 && s->lines.size() >= s->stopAfter ? 1 : 0;
}

}  // namespace

TEST_CASE("the last error's code, line and pointer", "[c-api][audit]") {
    Handle handle;
    const char* records =
        "{\"id\": \"a\", \"stages\": [{\"kind\": \"pretraining\", \"flop\": \"1e20\"}]}\n"
        "{\"id\": \"b\", \"stages\": [{\"kind\": \"pretraining\", \"hardware\": {\"accelerator\": "
        "\"nvidia-h100-sxn\", \"count\": 8, \"hours\": 1}}]}\n";
    CHECK_FALSE(Result(flopledger_assess(handle.h, records, nullptr)).ok);
    CHECK(flopledger_last_error_code(handle.h) == 310);
    CHECK(flopledger_last_error_line(handle.h) == 2);
    CHECK(std::string(flopledger_last_error_pointer(handle.h)) == "/stages/0/hardware/accelerator");
    CHECK(std::string(flopledger_last_error(handle.h)).find("did you mean 'nvidia-h100-sxm'") !=
          std::string::npos);
    CHECK(Result(flopledger_estimate(handle.h, "[]", nullptr)).ok);
    CHECK(flopledger_last_error_code(handle.h) == 0);
    CHECK(flopledger_last_error_line(handle.h) == 0);
    CHECK(std::string(flopledger_last_error_pointer(handle.h)).empty());
    // Without a handle: the code of the last flopledger_new failure on this thread.
    CHECK(flopledger_new("/nonexistent/flopledger") == nullptr);
    CHECK(flopledger_last_error_code(nullptr) == 702);
}

TEST_CASE("options: every CLI option, duplicates refused, compact output", "[c-api][audit]") {
    Handle handle;
    const char* all = R"({"as_of": ["2026-06-01"], "policies": "eu-ai-act-art51",
        "convention": "kaplan", "prefer": ["six-nd"], "samples": 10, "seed": 3, "format": "json",
        "threads": 2, "digits": 4, "fail_on": ["exceeds"]})";
    CHECK(Result(flopledger_assess(handle.h, kRegistry.c_str(), all)).ok);
    CHECK(!Result(flopledger_assess(handle.h, kRegistry.c_str(),
                                    R"({"as_of": "2026-01-01", "as_of": "2027-01-01"})"))
               .ok);
    CHECK(flopledger_last_error_code(handle.h) == 305);
    CHECK(std::string(flopledger_last_error_pointer(handle.h)) == "/as_of");
    CHECK(!Result(flopledger_assess(handle.h, kRegistry.c_str(), R"({"fail_on": "always"})")).ok);
    CHECK(!Result(flopledger_assess(handle.h, kRegistry.c_str(), R"({"format": "csv"})")).ok);
    // "jsonl": one compact object a line, the same objects as the pretty document.
    const Result pretty(
        flopledger_assess(handle.h, kRegistry.c_str(), R"({"as_of": "2026-06-01"})"));
    const Result compact(flopledger_assess(handle.h, kRegistry.c_str(),
                                           R"({"as_of": "2026-06-01", "format": "jsonl"})"));
    REQUIRE(pretty.ok);
    REQUIRE(compact.ok);
    CHECK(compact.text.size() < pretty.text.size());
    auto array = nlohmann::json::parse(pretty.text);
    std::istringstream lines(compact.text);
    std::string line;
    std::size_t i = 0;
    while (std::getline(lines, line)) CHECK(nlohmann::json::parse(line) == array.at(i++));
    CHECK(i == array.size());
    // data_dir per call: the shipped data directory gives the same bytes as the embedded data.
    const std::string withDir =
        R"({"as_of": "2026-06-01", "data_dir": ")" + kSource.string() + "\"}";
    CHECK(Result(flopledger_assess(handle.h, kRegistry.c_str(), withDir.c_str())).text ==
          pretty.text);
}

TEST_CASE("sensitivity and the manifest of the last call", "[c-api][audit]") {
    Handle handle;
    CHECK(flopledger_manifest(handle.h) == nullptr);
    const std::string gpt4 = readFile(kSource / "models" / "gpt-4.json");
    const Result sens(flopledger_sensitivity(
        handle.h, gpt4.c_str(), R"({"as_of": "2026-06-01", "policies": ["eu-ai-act-art51"]})"));
    REQUIRE(sens.ok);
    const auto doc = nlohmann::json::parse(sens.text);
    REQUIRE(doc.size() == 1);
    CHECK(doc[0]["policies"][0]["policy"] == "eu-ai-act-art51");
    const Result assess(
        flopledger_assess(handle.h, kRegistry.c_str(), R"({"as_of": "2026-06-01"})"));
    REQUIRE(assess.ok);
    const Result manifest(flopledger_manifest(handle.h));
    REQUIRE(manifest.ok);
    const auto m = nlohmann::json::parse(manifest.text);
    CHECK(m["command"] == "assess");
    CHECK(m["as_of"] == nlohmann::json::array({"2026-06-01"}));
    CHECK(m["as_of_defaulted"] == false);
    CHECK(m["options"]["as_of"] == "2026-06-01");
    CHECK(m["inputs"][0]["sha256"] == flopledger::sha256Hex(kRegistry));
    CHECK(m["inputs"][0]["records"] == 4);
    CHECK(m["outputs"][0]["sha256"] == flopledger::sha256Hex(assess.text));
    CHECK(m["policy_data"]["sha256"] == flopledger::PolicyCatalog::defaults().dataSource().sha256);
    // A failed call keeps the manifest of the last successful one.
    CHECK_FALSE(Result(flopledger_assess(handle.h, "[", nullptr)).ok);
    CHECK(Result(flopledger_manifest(handle.h)).text == manifest.text);
}

TEST_CASE("assess_stream: JSON Lines in, results in input order", "[c-api][audit][stream]") {
    Handle handle;
    const auto records = nlohmann::json::parse(kRegistry)["records"];
    Source source;
    for (int copy = 0; copy < 50; ++copy) {
        for (auto r : records) {
            r["id"] = r["id"].get<std::string>() + "-" + std::to_string(copy);
            source.text += r.dump() + "\n";
        }
    }
    source.text += "{\"id\": \"bad\", \"stages\": [{\"kind\": \"pretrainin\"}]}\n";
    Sink sink;
    const long n = flopledger_assess_stream(handle.h, readSource, &source, onRecord, &sink,
                                            R"({"as_of": "2026-06-01", "threads": 3})");
    CHECK(n == 201);
    REQUIRE(sink.errors.size() == 1);
    CHECK(sink.errors[0].find("records:201:/stages/0/kind: error E307") == 0);
    CHECK(std::is_sorted(sink.lines.begin(), sink.lines.end()));
    // The same bytes as the whole-document pipeline's JSON Lines for the good records.
    std::string good = source.text.substr(0, source.text.rfind("{\"id\": \"bad\""));
    const Result whole(
        flopledger_assess(handle.h, good.c_str(), R"({"as_of": "2026-06-01", "format": "jsonl"})"));
    CHECK(sink.out == whole.text);
    // The callback stops the stream: -1 and a message.
    Source again{source.text};
    Sink stopping;
    stopping.stopAfter = 3;
    CHECK(flopledger_assess_stream(handle.h, readSource, &again, onRecord, &stopping, nullptr) ==
          -1);
    CHECK(std::string(flopledger_last_error(handle.h)).find("stopped") != std::string::npos);
    CHECK(stopping.lines.size() == 3);
}
