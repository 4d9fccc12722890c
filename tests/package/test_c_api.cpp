// The C API (<flopledger/flopledger.h>): same JSON as the core pipeline and the CLI, failures as
// NULL plus a located message, never a crash.
#include <flopledger/flopledger.h>

#include <flopledger/assessment.hpp>
#include <flopledger/record_reader.hpp>
#include <flopledger/version.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
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
    explicit Handle(const char* dataDir = nullptr) : h(flopledger_new(dataDir)) {}
    ~Handle() { flopledger_delete(h); }
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    flopledger_t* h;
};

// Owns a result string; `ok` tells NULL apart from "".
struct Result {
    explicit Result(char* p) : ok(p != nullptr), text(p ? p : "") { flopledger_free(p); }
    bool ok;
    std::string text;
};

// The records the tests share: example 02's registry (exact thresholds, an uncertain interval)
// plus two shipped models with full shapes (dense and MoE), as one JSON array.
std::string sampleRegistry() {
    auto records = nlohmann::json::parse(
        readFile(kSource / "examples" / "02-assess-registry" / "registry.json"))["records"];
    for (const char* name : {"gpt-3-175b.json", "mixtral-8x7b.json"}) {
        records.push_back(nlohmann::json::parse(readFile(kSource / "models" / name)));
    }
    return records.dump(2) + "\n";
}

// The core pipeline, as the CLI runs it for a whole document.
std::string corePipeline(const std::string& records, flopledger::AssessOptions options) {
    const flopledger::RecordReader reader;
    flopledger::ReadResult read = reader.readText(records, "records");
    REQUIRE(read.ok());
    const flopledger::Assessor assessor(options);
    return flopledger::jsonDocument(assessor.assessAll(std::move(read.records), 1),
                                    options.evaluate);
}

const char* const kOptions =
    R"({"as_of": "2026-01-01", "policies": ["eu-ai-act-art51", "ca-sb53-frontier"]})";

flopledger::AssessOptions coreOptions(bool evaluate) {
    flopledger::AssessOptions o;
    o.evaluate = evaluate;
    if (evaluate) {
        o.asOf = {*flopledger::Date::parse("2026-01-01")};
        o.policies = {"eu-ai-act-art51", "ca-sb53-frontier"};
    }
    return o;
}

}  // namespace

TEST_CASE("flopledger_version is the project version") {
    CHECK(std::string(flopledger_version()) == FLOPLEDGER_VERSION);
    CHECK(std::string(flopledger_version()) == flopledger::kVersionString);
}

TEST_CASE("estimate and assess return the core pipeline's JSON") {
    Handle handle;
    REQUIRE(handle.h != nullptr);
    const std::string records = sampleRegistry();

    const Result estimate(flopledger_estimate(handle.h, records.c_str(), nullptr));
    REQUIRE(estimate.ok);
    CHECK(estimate.text == corePipeline(records, coreOptions(false)));

    const Result assess(flopledger_assess(handle.h, records.c_str(), kOptions));
    REQUIRE(assess.ok);
    CHECK(assess.text == corePipeline(records, coreOptions(true)));
    CHECK(std::string(flopledger_last_error(handle.h)).empty());
}

TEST_CASE("results carry hand-checkable values") {
    Handle handle;
    // 6 x 175e9 x 300e9 = 3.15e23 exactly; a stated 1e25 is not > 1e25 (EU Art. 51).
    const char* records =
        R"({"id": "six-nd", "architecture": {"params": "175B"}, "stages": [{"kind": "pretraining", "tokens": "300B"}]}
{"id": "at-threshold", "modalities": ["text"], "stages": [{"kind": "pretraining", "flop": "1e25"}]}
)";
    const Result r(flopledger_assess(
        handle.h, records, R"({"as_of": "2026-01-01", "policies": ["eu-ai-act-art51"]})"));
    REQUIRE(r.ok);
    const auto doc = nlohmann::json::parse(r.text);
    REQUIRE(doc.size() == 2);
    CHECK(doc[0]["id"] == "six-nd");
    CHECK(doc[0]["total"]["central"] == "315000000000000000000000");
    CHECK(doc[0]["as_of"] == "2026-01-01");
    CHECK(doc[1]["total"]["central"] == "10000000000000000000000000");
    CHECK(doc[1]["verdicts"][0]["policy"] == "eu-ai-act-art51");
    CHECK(doc[1]["verdicts"][0]["status"] == "below");
}

TEST_CASE("probability_method selects how a straddling verdict's probability is computed") {
    Handle handle;
    // Uniform on [5e24, 2e25] against > 1e25: P = (2e25 - 1e25) / 1.5e25 = 2/3 exactly.
    const char* records = R"({"id": "u", "stages": [{"kind": "pretraining",
        "flop": {"low": "5e24", "high": "2e25", "distribution": "uniform"}}]})";
    auto probability = [&](const char* options) {
        const Result r(flopledger_assess(handle.h, records, options));
        REQUIRE(r.ok);
        const auto v = nlohmann::json::parse(r.text)[0]["verdicts"][0];
        REQUIRE(v["status"] == "indeterminate");
        return v["probability"].get<double>();
    };
    const double exact = probability(R"({"as_of": "2026-01-01", "policies": ["eu-ai-act-art51"]})");
    CHECK(std::abs(exact - 2.0 / 3) < 1e-5);  // the output's 6 significant digits
    const double drawn = probability(R"({"as_of": "2026-01-01", "policies": ["eu-ai-act-art51"],
        "probability_method": "monte-carlo", "samples": 20000})");
    CHECK(std::abs(drawn - 2.0 / 3) < 0.02);  // 6 standard errors of 20,000 draws
    CHECK(drawn != exact);
}

#ifdef FLOPLEDGER_CLI_PATH
TEST_CASE("assess and estimate JSON equal the CLI's --format json output") {
    const fs::path dir = fs::path(FLOPLEDGER_BINARY_DIR) / "tests" / "package" / "c-api-cli";
    fs::create_directories(dir);
    const fs::path input = dir / "registry.json";
    std::ofstream(input, std::ios::binary) << sampleRegistry();
    const std::string records = readFile(input);

    const std::string cli = FLOPLEDGER_CLI_PATH;
    const fs::path assessOut = dir / "assess.json";
    const fs::path estimateOut = dir / "estimate.json";
    // The input comes first: --policy takes one or more values.
    const std::string assessCmd = "\"" + cli + "\" assess \"" + input.string() +
                                  "\" --format json --as-of 2026-01-01 --policy eu-ai-act-art51" +
                                  " --policy ca-sb53-frontier > \"" + assessOut.string() + "\"";
    const std::string estimateCmd = "\"" + cli + "\" estimate \"" + input.string() +
                                    "\" --format json > \"" + estimateOut.string() + "\"";
    REQUIRE(std::system(assessCmd.c_str()) == 0);
    REQUIRE(std::system(estimateCmd.c_str()) == 0);

    Handle handle;
    const Result assess(flopledger_assess(handle.h, records.c_str(), kOptions));
    REQUIRE(assess.ok);
    CHECK(assess.text == readFile(assessOut));
    const Result estimate(flopledger_estimate(handle.h, records.c_str(), nullptr));
    REQUIRE(estimate.ok);
    CHECK(estimate.text == readFile(estimateOut));
}
#endif

TEST_CASE("invalid records give NULL and a message with the line") {
    Handle handle;
    const char* records =
        "{\"id\": \"a\", \"stages\": [{\"kind\": \"pretraining\", \"flop\": \"1e20\"}]}\n"
        "{\"id\": \"b\", \"stages\": [{\"kind\": \"pretraining\", \"flop\": \"1e9999\"}]}\n";
    const Result r(flopledger_assess(handle.h, records, nullptr));
    CHECK_FALSE(r.ok);
    const std::string error = flopledger_last_error(handle.h);
    CHECK(error.rfind("records:2:", 0) == 0);
    CHECK(error.find("E102") != std::string::npos);  // exponent out of range

    const Result syntax(flopledger_estimate(handle.h, "[{\"id\": \"x\",", nullptr));
    CHECK_FALSE(syntax.ok);
    CHECK(std::string(flopledger_last_error(handle.h)).find("E201") != std::string::npos);

    // A later success clears the message.
    const Result fine(flopledger_estimate(handle.h, "[]", nullptr));
    CHECK(fine.ok);
    CHECK(std::string(flopledger_last_error(handle.h)).empty());
}

TEST_CASE("NULL arguments give NULL and a message, never a crash") {
    CHECK(flopledger_estimate(nullptr, "[]", nullptr) == nullptr);
    CHECK(flopledger_assess(nullptr, "[]", nullptr) == nullptr);
    CHECK(std::string(flopledger_last_error(nullptr)).find("NULL") != std::string::npos);

    Handle handle;
    CHECK(flopledger_assess(handle.h, nullptr, nullptr) == nullptr);
    CHECK(std::string(flopledger_last_error(handle.h)).find("records is NULL") !=
          std::string::npos);
    flopledger_free(nullptr);
    flopledger_delete(nullptr);
}

TEST_CASE("bad options JSON is rejected with a message") {
    Handle handle;
    const std::string records = "[]";
    struct Case {
        const char* options;
        const char* expect;
    };
    const Case cases[] = {
        {"{not json", "not valid JSON"},
        {"[1, 2]", "must be a JSON object"},
        {R"({"as-of": "2026-01-01"})", "did you mean 'as_of'"},
        {R"({"as_of": "2026-02-30"})", "/as_of"},
        {R"({"convention": "exact"})", "unknown convention"},
        {R"({"prefer": ["guess"]})", "unknown method"},
        {R"({"samples": -1})", "/samples"},
        {R"({"probability_method": "exact"})", "/probability_method"},
        {R"({"seed": "x"})", "/seed"},
        {R"({"policies": [7]})", "/policies/0"},
    };
    for (const Case& c : cases) {
        INFO(c.options);
        CHECK(flopledger_assess(handle.h, records.c_str(), c.options) == nullptr);
        CHECK(std::string(flopledger_last_error(handle.h)).find(c.expect) != std::string::npos);
    }
}

TEST_CASE("unknown policy id is rejected") {
    Handle handle;
    const Result r(flopledger_assess(handle.h, sampleRegistry().c_str(),
                                     R"({"policies": ["eu-ai-act-art52"]})"));
    CHECK_FALSE(r.ok);
    const std::string error = flopledger_last_error(handle.h);
    CHECK(error.find("E402") != std::string::npos);
    CHECK(error.find("eu-ai-act-art52") != std::string::npos);
}

TEST_CASE("data_dir overrides the embedded tables, a bad one gives NULL") {
    CHECK(flopledger_new("/nonexistent/flopledger-data") == nullptr);
    CHECK(std::string(flopledger_last_error(nullptr)).find("/nonexistent/flopledger-data") !=
          std::string::npos);

    const fs::path dir = fs::path(FLOPLEDGER_BINARY_DIR) / "tests" / "package" / "c-api-data";
    fs::remove_all(dir);
    fs::create_directories(dir);
    CHECK(flopledger_new(dir.string().c_str()) == nullptr);  // neither policies/ nor hardware/

    // A copy of the shipped data gives the same results as the embedded defaults.
    fs::copy(kSource / "policies", dir / "policies");
    fs::copy(kSource / "hardware", dir / "hardware");
    {
        Handle fromDir(dir.string().c_str());
        REQUIRE(fromDir.h != nullptr);
        Handle embedded;
        const std::string records = sampleRegistry();
        const Result a(flopledger_assess(fromDir.h, records.c_str(), kOptions));
        const Result b(flopledger_assess(embedded.h, records.c_str(), kOptions));
        REQUIRE(a.ok);
        CHECK(a.text == b.text);
    }

    // Only the policies it holds: the shipped ones are then unknown.
    for (const auto& entry : fs::directory_iterator(dir / "policies")) {
        if (entry.path().filename() != "eu-ai-act-art51.json") {
            fs::remove(entry.path());
        }
    }
    {
        Handle onlyEu(dir.string().c_str());
        REQUIRE(onlyEu.h != nullptr);
        CHECK(flopledger_assess(onlyEu.h, "[]", R"({"policies": ["kr-ai-basic-act"]})") == nullptr);
        const Result ok(flopledger_assess(onlyEu.h, "[]", R"({"policies": ["eu-ai-act-art51"]})"));
        CHECK(ok.ok);
    }

    // A broken policy file: NULL, and the message names the file.
    std::ofstream(dir / "policies" / "broken.json") << "{\"id\": ";
    CHECK(flopledger_new(dir.string().c_str()) == nullptr);
    CHECK(std::string(flopledger_last_error(nullptr)).find("broken.json") != std::string::npos);
}

TEST_CASE("separate handles are independent, also across threads") {
    const std::string records = sampleRegistry();
    const std::string expected = corePipeline(records, coreOptions(true));
    std::vector<std::string> outputs(2);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < outputs.size(); ++i) {
        threads.emplace_back([&, i] {
            Handle handle;
            // A failure on one handle must not leak into the other.
            flopledger_free(flopledger_assess(handle.h, "nonsense", nullptr));
            const Result r(flopledger_assess(handle.h, records.c_str(), kOptions));
            outputs[i] = r.text;
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    for (const std::string& out : outputs) {
        CHECK(out == expected);
    }
}
