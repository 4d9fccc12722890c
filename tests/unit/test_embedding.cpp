// The embedding API (issue 17, issue 12 item 5): results own their data, records built in code
// are validated without exceptions escaping, the validated read path, a movable and shareable
// Assessor, the audit manifest's hashes, and streaming in input order.
#include <flopledger/flopledger.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <type_traits>
#include <typeinfo>

namespace {

using namespace flopledger;
namespace fs = std::filesystem;
const fs::path kSource = FLOPLEDGER_SOURCE_DIR;

bool hasCode(const std::vector<Diagnostic>& ds, ErrorCode code, const std::string& pointer) {
    for (const auto& d : ds)
        if (d.code == code && d.pointer == pointer && d.severity == Severity::Error) return true;
    return false;
}

ModelRecord syntheticDataRecord() {
    ModelRecord m;
    m.id = "temporary";
    Stage s;
    s.kind = StageKind::SyntheticData;
    s.flop = Quantity(Exact(3) * Exact(10) * Exact(10));
    s.isPublic = true;
    s.costUsd = Quantity(Exact(12345));
    m.stages.push_back(std::move(s));
    return m;
}

std::string jsonLine(int i, const char* extra = "") {
    return "{\"id\": \"m" + std::to_string(i) +
           "\", \"architecture\": {\"params\": \"7B\"}, \"stages\": [{\"kind\": "
           "\"pretraining\", \"tokens\": \"" +
           std::to_string(i + 1) + "T\"" + extra + "}]}";
}

}  // namespace

TEST_CASE("public names live in the versioned inline namespace v1", "[embed][abi]") {
    // Mangled names carry v1, so a header/library ABI mismatch fails at link time.
    STATIC_REQUIRE(std::is_same_v<flopledger::Assessor, flopledger::v1::Assessor>);
    STATIC_REQUIRE(std::is_same_v<flopledger::ModelRecord, flopledger::v1::ModelRecord>);
    CHECK(std::string(typeid(flopledger::Assessor).name()).find("2v1") != std::string::npos);
}

TEST_CASE("an estimate outlives the record it was made from", "[embed][lifetime]") {
    // Regression: StageEstimate held a pointer into the record; estimating a temporary and then
    // writing the JSON read freed memory (AddressSanitizer: heap-use-after-free).
    const Estimator estimator;
    ModelEstimate estimate = estimator.estimate(syntheticDataRecord());
    REQUIRE(estimate.stages.size() == 1);
    CHECK(estimate.stages[0].declaredPublic == std::optional<bool>(true));
    REQUIRE(estimate.stages[0].costUsd.has_value());
    CHECK(estimate.stages[0].costUsd->central() == Exact(12345));
    RecordAssessment r;
    r.record = std::make_shared<const Record>(Record(ModelRecord{}));  // a different record
    r.estimate = std::move(estimate);
    const std::string json = estimateJson(r);
    CHECK(json.find("\"public\":true") != std::string::npos);
    CHECK(json.find("\"central\":\"300\"") != std::string::npos);
}

TEST_CASE("validate() reports negative tokens instead of estimating them", "[embed][validate]") {
    ModelRecord m;
    m.id = "negative";
    m.architecture.emplace();
    m.architecture->params = Quantity(Exact(7'000'000'000LL));
    Stage s;
    s.tokens = Quantity(Exact(-5));
    m.stages.push_back(s);
    std::vector<Diagnostic> ds;
    REQUIRE_NOTHROW(ds = validate(Record(m)));
    CHECK(hasCode(ds, ErrorCode::NumberNegative, "/stages/0/tokens"));
}

TEST_CASE("validate() reports heads = 0 and never lets a Boost exception out",
          "[embed][validate]") {
    ModelRecord m;
    m.id = "heads-zero";
    m.architecture.emplace();
    m.architecture->dModel = Quantity(Exact(64));
    m.architecture->layers = Quantity(Exact(2));
    m.architecture->heads = Quantity(Exact(0));
    m.stages.emplace_back();
    std::vector<Diagnostic> ds;
    REQUIRE_NOTHROW(ds = validate(Record(m)));
    CHECK(hasCode(ds, ErrorCode::NumberZero, "/architecture/heads"));
    // The reader's own check (values assumed valid) reports rather than throws as well.
    std::vector<Diagnostic> semantic;
    REQUIRE_NOTHROW(semantic = RecordReader().validate(Record(m)));
    CHECK_FALSE(semantic.empty());
}

TEST_CASE("validate() reports every problem of a record built in code", "[embed][validate]") {
    ModelRecord m;
    m.id = "many";
    m.architecture.emplace();
    m.architecture->params = Quantity(Exact(-1));
    Stage s;
    s.tokens = Quantity(Interval{Exact(1), Exact(2), Exact(3)});  // uncertain, no sampleIndex
    s.hardware.emplace();
    s.hardware->accelerator = "nvidia-h100-sxm";
    s.hardware->utilization = Quantity(Exact(3) / 2);
    m.stages.push_back(s);
    const auto ds = validate(Record(m));
    CHECK(hasCode(ds, ErrorCode::NumberNegative, "/architecture/params"));
    CHECK(hasCode(ds, ErrorCode::InconsistentRecord, "/stages/0/tokens"));
    CHECK(hasCode(ds, ErrorCode::NumberOutOfRange, "/stages/0/hardware/utilization"));
    // A record read from JSON passes validate() unchanged.
    const ReadResult read = RecordReader().loadText(jsonLine(1), "r.jsonl");
    REQUIRE(read.ok());
    CHECK(validate(read.records.front()).empty());
}

TEST_CASE("load() validates like the CLI, readText() checks syntax only", "[embed][validate]") {
    const std::string text =
        "{\"id\": \"x\", \"stages\": [{\"kind\": \"pretraining\", \"hardware\": {\"accelerator\": "
        "\"nvidia-h100-sxn\", \"count\": 8, \"hours\": 10}}]}";
    const RecordReader reader;
    CHECK(reader.readText(text, "t.json").ok());
    const ReadResult loaded = reader.loadText(text, "t.json");
    CHECK_FALSE(loaded.ok());
    REQUIRE(hasCode(loaded.diagnostics, ErrorCode::UnknownAccelerator,
                    "/stages/0/hardware/accelerator"));
    bool hint = false;
    for (const auto& d : loaded.diagnostics)
        hint = hint || d.message.find("did you mean 'nvidia-h100-sxm'") != std::string::npos;
    CHECK(hint);
}

TEST_CASE("an Assessor moves, and one Assessor serves many threads", "[embed][threads]") {
    AssessOptions options;
    options.asOf = {*Date::parse("2026-06-01")};
    options.monteCarlo.samples = 50;
    Assessor first(options);
    Assessor assessor(std::move(first));
    std::vector<Record> records;
    for (int i = 0; i < 40; ++i)
        records.push_back(RecordReader().parseLine(jsonLine(i), "r.jsonl", i + 1));
    const std::string serial = jsonLinesDocument(assessor.assessAll(records, 1), true);
    std::vector<std::string> outputs(4);
    std::vector<std::thread> pool;
    for (std::size_t t = 0; t < outputs.size(); ++t) {
        pool.emplace_back([&, t] {
            std::vector<RecordAssessment> results;
            for (const Record& r : records) results.push_back(assessor.assess(r));
            outputs[t] = jsonLinesDocument(results, true);
        });
    }
    for (auto& t : pool) t.join();
    for (const auto& out : outputs) CHECK(out == serial);
    Assessor assigned(AssessOptions{});
    assigned = std::move(assessor);
    CHECK(jsonLinesDocument(assigned.assessAll(records, 2), true) == serial);
}

TEST_CASE("SHA-256 matches the NIST FIPS 180-2 vectors", "[embed][manifest]") {
    CHECK(sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    Sha256 incremental;
    const std::string million(1'000'000, 'a');
    for (std::size_t i = 0; i < million.size(); i += 4096)
        incremental.update(std::string_view(million).substr(i, 4096));
    CHECK(incremental.hex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("data hashes cover the data actually loaded", "[embed][manifest]") {
    const DataSource embedded = PolicyCatalog::defaults().dataSource();
    CHECK(embedded.source == "embedded");
    CHECK(embedded.sha256.size() == 64);
    // The embedded copy hashes equal to the same files read from policies/.
    const PolicyCatalog fromDir = PolicyCatalog::fromDirectory((kSource / "policies").string());
    CHECK(fromDir.dataSource().sha256 == embedded.sha256);
    CHECK(HardwareCatalog::fromDirectory((kSource / "hardware").string()).dataSource().sha256 ==
          HardwareCatalog::defaults().dataSource().sha256);
    // One changed byte (a space) in one policy file changes the hash.
    const fs::path dir = fs::temp_directory_path() / "flopledger-embed-policies";
    fs::remove_all(dir);
    fs::copy(kSource / "policies", dir);
    {
        std::ofstream f(dir / "eu-ai-act-art51.json", std::ios::app);
        f << ' ';
    }
    const PolicyCatalog changed = PolicyCatalog::fromDirectory(dir.string());
    CHECK(changed.dataSource().source == dir.string());
    CHECK(changed.dataSource().sha256 != embedded.sha256);
    fs::remove_all(dir);
}

TEST_CASE("the manifest states dates, defaults and data", "[embed][manifest]") {
    AssessOptions options;
    options.policies = {"eu-ai-act-art51"};
    const Assessor dated([&] {
        AssessOptions o = options;
        o.asOf = {*Date::parse("2026-01-01")};
        return o;
    }());
    const Manifest m = manifestFor(dated, "assess");
    CHECK_FALSE(m.asOfDefaulted);
    const std::string json = manifestJson(m);
    CHECK(json.find("\"as_of\": [\n    \"2026-01-01\"\n  ]") != std::string::npos);
    CHECK(json.find("\"policies\": [\n      \"eu-ai-act-art51\"\n    ]") != std::string::npos);
    CHECK(json.find(PolicyCatalog::defaults().dataSource().sha256) != std::string::npos);
    const Assessor today(options);
    CHECK(manifestFor(today, "assess").asOfDefaulted);
    CHECK(manifestMarkdown(manifestFor(today, "assess")).find("| as_of_defaulted | true") !=
          std::string::npos);
}

TEST_CASE("assessStream hands results over in input order, in bounded batches", "[embed][stream]") {
    AssessOptions options;
    options.asOf = {*Date::parse("2026-06-01"), *Date::parse("2027-01-01")};
    options.monteCarlo.samples = 20;
    const Assessor assessor(options);
    std::string input;
    std::vector<Record> records;
    for (int i = 0; i < 300; ++i) {
        input += jsonLine(i) + (i % 50 == 7 ? "\n\n" : "\n");
        records.push_back(RecordReader().parseLine(jsonLine(i), "-", 1));
    }
    std::string expected;
    for (const Record& r : records) {
        const RecordAssessment a = assessor.assess(r);
        for (std::size_t d = 0; d < a.dates.size(); ++d) expected += assessJson(a, d) + "\n";
    }
    std::istringstream in(input);
    std::string streamed;
    std::size_t lastLine = 0;
    bool ordered = true;
    StreamOptions so;
    so.threads = 4;
    so.batchLines = 7;
    const StreamSummary summary = assessStream(
        assessor, in,
        [&](const StreamItem& item) {
            ordered = ordered && item.line > lastLine;
            lastLine = item.line;
            streamed += item.jsonLines;
            return true;
        },
        so);
    CHECK(ordered);
    CHECK(summary.records == 300);
    CHECK(summary.errors == 0);
    CHECK(streamed == expected);
}

TEST_CASE("assessStream reports a bad record and goes on, the callback can stop it",
          "[embed][stream]") {
    const Assessor assessor(AssessOptions{});
    std::istringstream in(
        jsonLine(1) + "\n" +
        jsonLine(
            2,
            ", \"hardware\": {\"accelerator\": \"nvidia-h100-sxn\", \"count\": 1, \"hours\": 1}") +
        "\n{\"id\": \n" + jsonLine(4) + "\n");
    std::vector<std::string> seen;
    const StreamSummary summary = assessStream(assessor, in, [&](const StreamItem& item) {
        CHECK(item.ok == (item.result != nullptr));
        std::string s = std::to_string(item.line) + (item.ok ? " ok" : " error");
        for (const auto& d : *item.diagnostics)
            if (d.severity == Severity::Error) s += " " + codeText(d.code);
        seen.push_back(s);
        return true;
    });
    CHECK(seen == std::vector<std::string>{"1 ok", "2 error E310", "3 error E201", "4 ok"});
    CHECK(summary.errors == 2);
    std::istringstream again(jsonLine(1) + "\n" + jsonLine(2) + "\n" + jsonLine(3) + "\n");
    std::size_t calls = 0;
    const StreamSummary stopped =
        assessStream(assessor, again, [&](const StreamItem&) { return ++calls < 2; });
    CHECK(stopped.stopped);
    CHECK(calls == 2);
}

TEST_CASE("assessStream streams a JSON array element by element, as the CLI does",
          "[embed][stream]") {
    AssessOptions options;
    options.asOf = {*Date::parse("2026-06-01")};
    const Assessor assessor(options);
    std::istringstream in("[\n" + jsonLine(1) + ",\n" + jsonLine(2) + "\n]\n");
    std::vector<std::size_t> lines;
    std::string streamed;
    const StreamSummary summary = assessStream(assessor, in, [&](const StreamItem& item) {
        lines.push_back(item.line);
        streamed += item.jsonLines;
        return true;
    });
    CHECK(summary.records == 2);
    CHECK(summary.errors == 0);
    CHECK(lines == std::vector<std::size_t>{2, 3});
    std::string expected;
    for (int i : {1, 2}) {
        expected += assessJson(assessor.assess(RecordReader().parseLine(jsonLine(i), "-", 1)), 0);
        expected += "\n";
    }
    CHECK(streamed == expected);
}

TEST_CASE("assessStream: a whole document whose parent is itself is an error item",
          "[embed][stream]") {
    // A pretty-printed record is read whole; the registry check finds the cycle, and the record
    // is not assessed (its results would be missing).
    const Assessor assessor(AssessOptions{});
    std::istringstream in(
        "{\n  \"id\": \"a\",\n  \"parent\": {\"id\": \"a\"},\n"
        "  \"stages\": [{\"kind\": \"pretraining\", \"flop\": \"1e24\"}]\n}\n");
    std::vector<std::string> seen;
    const StreamSummary summary = assessStream(assessor, in, [&](const StreamItem& item) {
        std::string s = item.ok ? "ok" : "error";
        for (const auto& d : *item.diagnostics)
            if (d.severity == Severity::Error) s += " " + codeText(d.code);
        seen.push_back(s);
        return true;
    });
    CHECK(summary.errors == 1);
    REQUIRE(seen.size() == 1);
    CHECK(seen[0].rfind("error E", 0) == 0);
}

TEST_CASE("assessInputs: the CLI's engine writes in order, stops at a duplicate id, counts",
          "[embed][stream]") {
    AssessOptions options;
    options.asOf = {*Date::parse("2026-06-01")};
    options.policies = {"eu-ai-act-art51"};
    const Assessor assessor(options);
    ReportOptions ro;
    ro.format = ReportFormat::Jsonl;
    std::ostringstream out, err;
    auto writer = ReportWriter::create(ro, out);
    // 6 x 7e9 x 301e12 = 1.26e25 FLOP exceeds 1e25; 6 x 7e9 x 2e12 = 8.4e22 does not.
    std::istringstream in(jsonLine(1) + "\n" + jsonLine(300) + "\n" + jsonLine(1) + "\n" +
                          jsonLine(2) + "\n");
    InputsOptions io;
    io.threads = 2;
    const InputsSummary s = assessInputs({"-"}, RecordReader(), assessor, *writer, in, err, io);
    CHECK(s.records == 2);
    CHECK(s.errors == 1);
    CHECK(s.exceeding == 1);
    CHECK(s.indeterminate == 0);
    CHECK(err.str() == "-:3:/id: error E305: duplicate id 'm1' (first used at line 1)\n");
    const std::string text = out.str();
    CHECK(std::count(text.begin(), text.end(), '\n') == 2);
    CHECK(text.find("\"id\":\"m300\"") != std::string::npos);
    REQUIRE(s.recordsPerFile.size() == 1);
    CHECK(s.recordsPerFile[0] == std::make_pair(std::string("-"), std::size_t{2}));
}

TEST_CASE("toJson writes what docs/data-format.md says about defaults", "[embed][docs]") {
    ModelRecord m;
    m.id = "defaults";
    m.architecture.emplace();
    m.architecture->moe.emplace();
    m.architecture->moe->experts = Quantity(Exact(8));
    m.architecture->moe->active = Quantity(Exact(2));
    m.stages.emplace_back();
    const std::string json = toJson(Record(m));
    CHECK(json.find("\"family\":\"decoder\"") != std::string::npos);
    CHECK(json.find("\"kind\":\"pretraining\"") != std::string::npos);
    CHECK(json.find("\"shared\":\"0\"") != std::string::npos);
    CHECK(json.find("\"dense_layers\":\"0\"") != std::string::npos);
    CHECK(json.find("\"mlp\"") == std::string::npos);
    CHECK(json.find("\"tied_embeddings\"") == std::string::npos);
    CHECK(json.find("\"recompute\"") == std::string::npos);
}

TEST_CASE("the umbrella header includes every public header", "[embed][docs]") {
    std::ifstream in(kSource / "core" / "include" / "flopledger" / "flopledger.hpp");
    std::stringstream text;
    text << in.rdbuf();
    for (const auto& entry : fs::directory_iterator(kSource / "core" / "include" / "flopledger")) {
        const std::string name = entry.path().filename().string();
        if (entry.path().extension() != ".hpp" || name == "flopledger.hpp") continue;
        INFO(name);
        CHECK(text.str().find("#include <flopledger/" + name + ">") != std::string::npos);
    }
}

TEST_CASE("docs/errors.md gives the record limit as E204, as the reader reports it",
          "[embed][docs]") {
    ReadLimits limits;
    limits.maxRecords = 2;
    const ReadResult r = RecordReader(limits).readText(
        jsonLine(1) + "\n" + jsonLine(2) + "\n" + jsonLine(3) + "\n", "r.jsonl");
    bool e204 = false;
    for (const auto& d : r.diagnostics)
        e204 = e204 || (d.code == ErrorCode::InputTooLarge &&
                        d.message.find("more than 2 records") != std::string::npos);
    CHECK(e204);
    std::ifstream in(kSource / "docs" / "errors.md");
    std::stringstream text;
    text << in.rdbuf();
    CHECK(text.str().find("`more than 50000000 records` |\n| E205") != std::string::npos);
}
