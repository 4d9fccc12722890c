// In-process tests of the report writers, the JSON documents and the CLI plumbing (atomic -o,
// run()). The golden-file tests in this folder cover the commands end to end.
#include <flopledger_cli/atomic_output.hpp>
#include <flopledger_cli/cli.hpp>

#include <flopledger/flopledger.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

using namespace flopledger;
namespace fs = std::filesystem;

namespace {

Record parseOne(const std::string& line) {
    RecordReader reader;
    return reader.parseLine(line, "test", 1);
}

RecordAssessment assessOne(const std::string& line, std::vector<std::string> policies = {}) {
    AssessOptions options;
    options.asOf = {*Date::parse("2026-06-01")};
    options.policies = std::move(policies);
    Assessor assessor(options);
    return assessor.assess(parseOne(line));
}

const char* kGpt3 =
    R"({"id":"gpt-3","name":"GPT-3","modalities":["text"],"architecture":{"family":"decoder","params":"175B"},"stages":[{"kind":"pretraining","tokens":"300B"}]})";

std::string slurp(const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    std::ostringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

}  // namespace

TEST_CASE("csvField quotes per RFC 4180", "[report]") {
    CHECK(csvField("plain") == "plain");
    CHECK(csvField("a,b") == "\"a,b\"");
    CHECK(csvField("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(csvField("two\nlines") == "\"two\nlines\"");
    CHECK(csvField("cr\r") == "\"cr\r\"");
    CHECK(csvField("") == "");
}

TEST_CASE("report formats parse by name", "[report]") {
    CHECK(parseReportFormat("md") == ReportFormat::Markdown);
    CHECK(parseReportFormat("jsonl") == ReportFormat::Jsonl);
    CHECK_FALSE(parseReportFormat("xml"));
    CHECK(toString(ReportFormat::Csv) == "csv");
}

TEST_CASE("assess JSON carries the contract fields with exact FLOP strings", "[json]") {
    RecordAssessment r = assessOne(kGpt3, {"eu-ai-act-art51", "eu-gpai-indicative"});
    const auto j = nlohmann::json::parse(assessJson(r, 0));
    // 6 x 175e9 x 300e9, derived by hand.
    CHECK(j["total"]["low"] == "315000000000000000000000");
    CHECK(j["total"]["central"] == "315000000000000000000000");
    CHECK(j["stages"][0]["method"] == "six-nd");
    CHECK(j["as_of"] == "2026-06-01");
    REQUIRE(j["verdicts"].size() == 2);
    CHECK(j["verdicts"][0]["policy"] == "eu-ai-act-art51");
    CHECK(j["verdicts"][0]["status"] == "below");
    CHECK(j["verdicts"][0]["threshold"] == "10000000000000000000000000");
    CHECK(j["verdicts"][1]["status"] == "exceeds");  // > 1e23 and generates text
    // log10(3.15e23 / 1e25) = log10(0.0315), rounded to 6 decimals.
    CHECK(j["verdicts"][0]["margin_log10"].get<double>() == Approx(-1.501689).margin(1e-6));
    // Key order is the contract's.
    std::vector<std::string> keys;
    for (auto it = j.begin(); it != j.end(); ++it) {
        keys.push_back(it.key());
    }
    // nlohmann::json sorts keys; check the text instead for the order.
    const std::string text = assessJson(r, 0);
    CHECK(text.find("\"id\"") < text.find("\"name\""));
    CHECK(text.find("\"total\"") < text.find("\"stages\""));
    CHECK(text.find("\"warnings\"") < text.find("\"as_of\""));
    CHECK(text.find("\"as_of\"") < text.find("\"verdicts\""));
}

TEST_CASE("JSON strings escape quotes, backslashes and control characters", "[json]") {
    const std::string line =
        R"({"id":"esc","name":"a \"quoted\" \\ name\nwith\ttabs \u0001 and \u00e9","stages":[{"kind":"pretraining","flop":"1e20"}]})";
    RecordAssessment r = assessOne(line, {"eu-ai-act-art51"});
    for (int indent : {-1, 2}) {
        const auto j = nlohmann::json::parse(assessJson(r, 0, indent));
        CHECK(j["name"] == std::string("a \"quoted\" \\ name\nwith\ttabs \x01 and \xc3\xa9"));
    }
    CHECK(assessJson(r, 0).find('\n') == std::string::npos);  // JSON Lines: one line
}

TEST_CASE("pretty JSON is the same document as compact JSON", "[json]") {
    RecordAssessment r = assessOne(kGpt3);
    CHECK(nlohmann::json::parse(assessJson(r, 0, 2)) == nlohmann::json::parse(assessJson(r, 0)));
    CHECK(nlohmann::json::parse(estimateJson(r, 2)) == nlohmann::json::parse(estimateJson(r)));
}

TEST_CASE("JSON documents: array and lines, empty registry", "[json]") {
    CHECK(jsonDocument({}, true) == "[]\n");
    CHECK(jsonLinesDocument({}, true).empty());
    std::vector<RecordAssessment> results;
    results.push_back(assessOne(kGpt3, {"kr-ai-basic-act"}));
    results.push_back(assessOne(
        R"({"id":"big","facts":{"kr-state-of-the-art":true,"kr-broad-serious-risk":true},"stages":[{"kind":"pretraining","flop":"1e26"}]})",
        {"kr-ai-basic-act"}));
    const auto doc = nlohmann::json::parse(jsonDocument(results, true));
    REQUIRE(doc.size() == 2);
    CHECK(doc[1]["total"]["central"] == "100000000000000000000000000");
    CHECK(doc[1]["verdicts"][0]["status"] ==
          "exceeds");  // >= 1e26 and both facts, in force 2026-01-22
    CHECK(doc[0]["verdicts"][0]["status"] == "below");

    // The streaming writer produces the same bytes as the whole-document function.
    for (ReportFormat f : {ReportFormat::Json, ReportFormat::Jsonl}) {
        ReportOptions o;
        o.format = f;
        std::ostringstream streamed;
        writeReport(o, results, streamed);
        CHECK(streamed.str() == (f == ReportFormat::Json ? jsonDocument(results, true)
                                                         : jsonLinesDocument(results, true)));
    }
    ReportOptions empty;
    empty.format = ReportFormat::Json;
    std::ostringstream none;
    writeReport(empty, {}, none);
    CHECK(none.str() == "[]\n");
}

TEST_CASE("text and Markdown say how values are rounded", "[report]") {
    std::vector<RecordAssessment> results;
    results.push_back(assessOne(kGpt3, {"eu-ai-act-art51"}));
    for (int digits : {3, 5}) {
        ReportOptions o;
        o.digits = digits;
        o.asOf = {*Date::parse("2026-06-01")};
        std::ostringstream text;
        writeReport(o, results, text);
        CHECK(text.str().find("rounded to " + std::to_string(digits) + " significant digits") !=
              std::string::npos);
        CHECK(text.str().find(digits == 3 ? "3.15e23" : "3.15e23") != std::string::npos);
        o.format = ReportFormat::Markdown;
        std::ostringstream md;
        writeReport(o, results, md);
        CHECK(md.str().rfind("# ", 0) == 0);
        CHECK(md.str().find("As of 2026-06-01") != std::string::npos);
    }
}

TEST_CASE("CSV has one row per record and policy", "[report]") {
    std::vector<RecordAssessment> results;
    results.push_back(assessOne(kGpt3, {"eu-ai-act-art51", "kr-ai-basic-act"}));
    ReportOptions o;
    o.format = ReportFormat::Csv;
    std::ostringstream csv;
    writeReport(o, results, csv);
    const std::string s = csv.str();
    std::size_t rows = 0;
    for (std::size_t p = s.find("\r\n"); p != std::string::npos; p = s.find("\r\n", p + 2)) {
        ++rows;
    }
    CHECK(rows == 3);  // header + 2 policies
    CHECK(s.find("gpt-3,GPT-3,2026-06-01,eu-ai-act-art51,below,true,in-force,"
                 "315000000000000000000000,") != std::string::npos);
}

TEST_CASE("atomic output: complete on commit, previous file untouched on discard", "[cli]") {
    const fs::path dir = fs::path(FLOPLEDGER_BINARY_DIR) / "tests" / "cli" / "atomic-unit";
    fs::create_directories(dir);
    const fs::path target = dir / "report.txt";
    { std::ofstream(target) << "previous\n"; }
    std::ostringstream unused;
    {
        cli::AtomicOutput out(target.string(), unused);
        out.stream() << "half-written";
        out.discard();
    }
    CHECK(slurp(target) == "previous\n");
    {
        cli::AtomicOutput out(target.string(), unused);
        out.stream() << "half-written";
        // destroyed without commit: as if the run failed
    }
    CHECK(slurp(target) == "previous\n");
    {
        cli::AtomicOutput out(target.string(), unused);
        out.stream() << "new report\n";
        out.commit();
    }
    CHECK(slurp(target) == "new report\n");
    std::size_t files = 0;
    for (const auto& e : fs::directory_iterator(dir)) {
        (void)e;
        ++files;
    }
    CHECK(files == 1);  // no temporary file left behind
    fs::remove_all(dir);
}

TEST_CASE("run(): exit codes and streams", "[cli]") {
    std::istringstream in(kGpt3);
    std::ostringstream out, err;
    CHECK(cli::run({"--version"}, in, out, err) == cli::kExitOk);
    CHECK(out.str() == std::string("flopledger ") + kVersionString + "\n");

    std::ostringstream out2, err2;
    CHECK(cli::run({"assess", "--bogus"}, in, out2, err2) == cli::kExitInvalid);
    const std::string usage = err2.str();
    CHECK(usage.rfind("error E701: ", 0) == 0);
    CHECK(std::count(usage.begin(), usage.end(), '\n') == 1);

    // A streamed record from the given input stream; --fail-on exceeds matches the guidance
    // criterion (in force as guidance, > 1e23 and text).
    std::istringstream in3(std::string(kGpt3) + "\n");
    std::ostringstream out3, err3;
    CHECK(cli::run({"assess", "-", "--format", "jsonl", "--as-of", "2026-06-01", "--policy",
                    "eu-gpai-indicative", "--fail-on", "exceeds"},
                   in3, out3, err3) == cli::kExitFailOn);
    CHECK(err3.str().empty());
    CHECK(nlohmann::json::parse(out3.str())["verdicts"][0]["status"] == "exceeds");

    // An exponent bomb is refused with one located diagnostic.
    std::istringstream in4(R"({"id":"bomb","stages":[{"kind":"pretraining","flop":"1e999999999"}]})"
                           "\n");
    std::ostringstream out4, err4;
    CHECK(cli::run({"assess", "-", "--format", "jsonl", "--as-of", "2026-06-01"}, in4, out4,
                   err4) == cli::kExitInvalid);
    CHECK(out4.str().empty());
    CHECK(err4.str().rfind("-:1:/stages/0/flop: error E102: ", 0) == 0);
}

namespace {

// A JSON Lines record of about `pad` bytes (its name is padded) with an exact stated FLOP.
std::string paddedRecord(std::size_t i, std::size_t pad) {
    return R"({"id":"r)" + std::to_string(i) + R"(","name":")" + std::string(pad, 'n') +
           R"(","stages":[{"kind":"pretraining","flop":")" + std::to_string(i + 1) + "e22\"}]}";
}

}  // namespace

TEST_CASE("streamed JSON Lines: lines across read blocks, CRLF, blanks, no final newline",
          "[cli][stream]") {
    // About 2.4 MB: the reader takes the input in 1 MiB blocks, so several lines straddle a
    // block boundary. The streamed result must equal the same records read as one JSON array.
    const std::size_t n = 1200;
    std::string lines;
    std::string array = "[";
    for (std::size_t i = 0; i < n; ++i) {
        const std::string rec = paddedRecord(i, 1900 + (i * 37) % 200);
        lines += rec + (i % 3 == 0 ? "\r\n" : "\n");
        if (i % 100 == 50) {
            lines += "\n  \n";  // blank lines are skipped but counted
        }
        array += (i > 0 ? "," : "") + rec;
    }
    lines.pop_back();  // the last line has no newline
    array += "]";
    REQUIRE(lines.size() > (std::size_t{2} << 20));

    const std::vector<std::string> args = {"assess",    "-",          "--format", "jsonl",
                                           "--as-of",   "2026-06-01", "--policy", "eu-ai-act-art51",
                                           "--threads", "2"};
    std::istringstream streamed(lines), whole(array);
    std::ostringstream out1, err1, out2, err2;
    REQUIRE(cli::run(args, streamed, out1, err1) == cli::kExitOk);
    REQUIRE(cli::run(args, whole, out2, err2) == cli::kExitOk);
    CHECK(err1.str().empty());
    const std::string text = out1.str();
    CHECK(std::count(text.begin(), text.end(), '\n') == static_cast<long>(n));
    CHECK(out1.str() == out2.str());
}

TEST_CASE("streamed JSON Lines: errors after a block boundary name the right line",
          "[cli][stream]") {
    std::string lines;
    std::size_t lineNo = 0;
    while (lines.size() < (std::size_t{3} << 20) / 2) {  // past the first 1 MiB block
        lines += paddedRecord(lineNo, 3000) + "\n";
        ++lineNo;
    }
    lines += R"({"id":"bad","stages":[{"kind":"pretraning","flop":"1e20"}]})"
             "\n";
    const std::size_t badLine = lineNo + 1;
    std::istringstream in(lines);
    std::ostringstream out, err;
    CHECK(cli::run({"assess", "-", "--format", "jsonl", "--as-of", "2026-06-01"}, in, out, err) ==
          cli::kExitInvalid);
    CHECK(err.str().rfind("-:" + std::to_string(badLine) + ":/stages/0/kind: error ", 0) == 0);
    // Every record before the bad one was written, in order.
    const std::string text = out.str();
    CHECK(std::count(text.begin(), text.end(), '\n') == static_cast<long>(lineNo));
}

TEST_CASE("streamed JSON Lines: a line over the limit is refused without being kept",
          "[cli][stream]") {
    const std::size_t limit = ReadLimits{}.maxLineBytes;
    std::string lines = paddedRecord(0, 10) + "\n";
    const std::string huge = R"({"id":"huge","name":")" + std::string(limit, 'x') + "\"}";
    lines += huge + "\n";
    lines += paddedRecord(2, 10) + "\n";
    std::istringstream in(lines);
    std::ostringstream out, err;
    CHECK(cli::run({"assess", "-", "--format", "jsonl", "--as-of", "2026-06-01"}, in, out, err) ==
          cli::kExitInvalid);
    const std::string expected = "-:2: error E204: line of " + std::to_string(huge.size()) +
                                 " bytes exceeds the limit of " + std::to_string(limit) + " bytes";
    CHECK(err.str().rfind(expected, 0) == 0);
}

TEST_CASE("mixed inputs: streamed and whole documents keep the command line's order",
          "[cli][stream]") {
    const fs::path dir = fs::temp_directory_path() / "flopledger_mixed_inputs";
    fs::create_directories(dir);
    auto write = [&](const char* name, const std::string& text) {
        std::ofstream(dir / name, std::ios::binary) << text;
        return (dir / name).string();
    };
    const std::string a = write("a.jsonl", paddedRecord(1, 5) + "\n" + paddedRecord(2, 5) + "\n");
    std::string array = "[";  // (built step by step: GCC 12 warns wrongly on "[" + ...)
    array += paddedRecord(3, 5);
    array += ",";
    array += paddedRecord(4, 5);
    array += "]";
    const std::string b = write("b.json", array);
    const std::string c = write("c.jsonl", paddedRecord(5, 5) + "\n");
    std::istringstream in;
    std::ostringstream out, err;
    REQUIRE(cli::run({"assess", a, b, c, "--format", "csv", "--as-of", "2026-06-01", "--policy",
                      "eu-ai-act-art51"},
                     in, out, err) == cli::kExitOk);
    std::istringstream rows(out.str());
    std::string row;
    std::vector<std::string> ids;
    std::getline(rows, row);  // header
    while (std::getline(rows, row)) {
        ids.push_back(row.substr(0, row.find(',')));
    }
    CHECK(ids == std::vector<std::string>{"r1", "r2", "r3", "r4", "r5"});
    fs::remove_all(dir);
}

TEST_CASE("streamed JSON Lines: a duplicate id is found among thousands", "[cli][stream]") {
    std::string lines;
    for (std::size_t i = 1; i <= 5000; ++i) {
        lines += paddedRecord(i, 3) + "\n";
    }
    lines += paddedRecord(17, 3) + "\n";  // line 5001 repeats line 17's id
    std::istringstream in(lines);
    std::ostringstream out, err;
    CHECK(cli::run({"assess", "-", "--format", "jsonl", "--as-of", "2026-06-01", "--policy",
                    "eu-ai-act-art51"},
                   in, out, err) == cli::kExitInvalid);
    CHECK(err.str() == "-:5001:/id: error E305: duplicate id 'r17' (first used at line 17)\n");
    const std::string text = out.str();
    CHECK(std::count(text.begin(), text.end(), '\n') == 5000);
}

namespace {

// A report written by add(result) and the same report written through the writer's renderer:
// records rendered on `threads` threads into fragments of `perFragment` consecutive records
// (fragment g on thread g % threads), the fragments added in order.
std::pair<std::string, std::string> addVersusRendered(const ReportOptions& o,
                                                      const std::vector<RecordAssessment>& rs,
                                                      unsigned threads, std::size_t perFragment) {
    std::ostringstream direct, rendered;
    auto a = ReportWriter::create(o, direct);
    for (const auto& r : rs) {
        a->add(r);
    }
    a->finish();
    auto b = ReportWriter::create(o, rendered);
    const RecordRenderer& renderer = b->renderer();
    std::vector<ReportFragment> fragments((rs.size() + perFragment - 1) / perFragment);
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            for (std::size_t g = t; g < fragments.size(); g += threads) {
                for (std::size_t i = g * perFragment; i < rs.size() && i < (g + 1) * perFragment;
                     ++i) {
                    renderer.render(fragments[g], rs[i]);
                }
            }
        });
    }
    for (auto& th : pool) {
        th.join();
    }
    for (const auto& f : fragments) {
        b->add(f);
    }
    b->finish();
    return {direct.str(), rendered.str()};
}

}  // namespace

TEST_CASE("every format: records rendered on worker threads write what add() writes", "[report]") {
    AssessOptions ao;
    ao.asOf = {*Date::parse("2026-06-01"), *Date::parse("2024-01-01")};
    // The effective-compute policy's threshold has many significant digits, so its Markdown cell
    // depends on --digits (a cache shared between writers would show).
    ao.policies = {"eu-ai-act-art51", "illustrative-effective-compute-1e25", "ca-sb53-frontier",
                   "us-eo-14110-general", "ny-raise-2025"};
    Assessor assessor(ao);
    std::vector<RecordAssessment> rs;
    const char* lines[] = {
        kGpt3,
        R"({"id":"u","name":"Uncertain","stages":[{"kind":"pretraining","flop":{"low":"5e24","high":"2e25"}},{"kind":"fine-tuning","flop":"1e23"}]})",
        R"({"id":"m","stages":[{"kind":"pretraining","params":"7e9","tokens":"2e12"},{"kind":"rl","hardware":{"accelerator":"nvidia-h100-sxm","count":64,"hours":10}}]})",
        R"({"id":"n","name":"No compute","stages":[{"kind":"pretraining"}]})"};
    for (int round = 0; round < 3; ++round) {  // repeated records reuse cached cells
        for (const char* line : lines) {
            rs.push_back(assessor.assess(parseOne(line)));
        }
    }
    for (ReportFormat f : {ReportFormat::Text, ReportFormat::Markdown, ReportFormat::Json,
                           ReportFormat::Jsonl, ReportFormat::Csv}) {
        for (int digits : {3, 5}) {             // writers with other options on the same threads
            for (bool named : {true, false}) {  // policy columns given, or from the first record
                ReportOptions o;
                o.format = f;
                o.digits = digits;
                o.asOf = ao.asOf;
                for (const auto& id : ao.policies) {
                    if (named) {
                        o.policies.push_back(
                            summarizePolicy(*assessor.catalog().find(id), o.asOf.front()));
                    }
                }
                for (unsigned threads : {1u, 3u}) {
                    for (std::size_t perFragment : {std::size_t{1}, std::size_t{5}}) {
                        INFO("format " << toString(f) << ", digits " << digits << ", named "
                                       << named << ", threads " << threads << ", per fragment "
                                       << perFragment);
                        auto [direct, rendered] = addVersusRendered(o, rs, threads, perFragment);
                        CHECK(direct.size() > 1000);
                        CHECK(rendered == direct);
                    }
                }
            }
        }
    }
}
