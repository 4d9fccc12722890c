// The output helpers: the spill buffer of the text and Markdown reports (bytes read back as
// written, whatever the threshold) and the reports themselves (the same bytes whether everything
// stays in memory or goes through the temporary file).
#include "base/exact_fast.hpp"
#include "base/number_text.hpp"
#include "output/report_spill.hpp"
#include "policy/verdict_origin.hpp"

#include <catch2/catch.hpp>
#include <flopledger/assessment.hpp>
#include <flopledger/record_reader.hpp>
#include <flopledger/report.hpp>

#include <algorithm>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

using namespace flopledger;

namespace {

std::string drain(SpillBuffer& b) {
    std::ostringstream out;
    SpillBuffer::Reader(b).copyTo(out);
    return out.str();
}

// The shipped CLI test registry, repeated under fresh ids so that there are enough rows.
std::vector<RecordAssessment> sampleResults(const std::vector<Date>& dates, bool evaluate) {
    std::ifstream in(std::string(FLOPLEDGER_SOURCE_DIR) + "/tests/cli/inputs/registry.jsonl");
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) {
        if (!line.empty()) {
            lines.push_back(line);
        }
    }
    REQUIRE(!lines.empty());
    AssessOptions ao;
    ao.asOf = dates;
    ao.evaluate = evaluate;
    Assessor assessor(ao);
    RecordReader reader;
    std::vector<RecordAssessment> out;
    for (int copy = 0; copy < 30; ++copy) {
        for (std::size_t i = 0; i < lines.size(); ++i) {
            std::string line = lines[i];
            const std::string key = "\"id\": \"";
            const auto at = line.find(key);
            REQUIRE(at != std::string::npos);
            std::string prefix = std::to_string(copy);  // (not "c" + ...: GCC 12 -Wrestrict)
            prefix += '-';
            line.insert(at + key.size(), prefix);
            out.push_back(assessor.assess(reader.parseLine(line, "registry.jsonl", i + 1)));
        }
    }
    return out;
}

// One record's CSV rows as a writer writes them (the header cut off).
std::string renderFragment(const ReportOptions& o, const RecordAssessment& r) {
    std::ostringstream out;
    auto writer = ReportWriter::create(o, out);
    writer->add(r);
    writer->finish();
    const std::string text = out.str();
    return text.substr(text.find("\r\n") + 2);
}

std::string render(const ReportOptions& o, const std::vector<RecordAssessment>& results,
                   std::size_t threshold) {
    std::ostringstream out;
    auto writer = createReportWriter(o, out, threshold);
    for (const auto& r : results) {
        writer->add(r);
    }
    writer->finish();
    return out.str();
}

}  // namespace

TEST_CASE("spill buffer: bytes and fields come back in order across the file",
          "[output][fast-path]") {
    for (std::size_t threshold :
         {std::size_t{0}, std::size_t{1}, std::size_t{7}, std::size_t{1} << 20}) {
        SpillBuffer b(threshold);
        std::string expected;
        for (int i = 0; i < 5000; ++i) {
            // Pieces from empty to longer than the reader's 64 KiB chunk.
            std::string piece(static_cast<std::size_t>(i % 97 == 0 ? 70000 : i % 13),
                              static_cast<char>('a' + i % 26));
            b.append(piece);
            expected += piece;
        }
        CHECK(b.size() == expected.size());
        CHECK(b.spilled() == (threshold < expected.size()));
        CHECK(drain(b) == expected);
    }
    // Without a temporary file (tmpfile() failed) everything stays in memory, same bytes.
    SpillBuffer noFile(0, false);
    std::string expected;
    for (int i = 0; i < 1000; ++i) {
        const std::string piece(static_cast<std::size_t>(i % 17), static_cast<char>('A' + i % 26));
        noFile.append(piece);
        expected += piece;
    }
    CHECK_FALSE(noFile.spilled());
    CHECK(drain(noFile) == expected);

    SpillBuffer fields(3);
    const std::vector<std::string> values = {"", "x", std::string(100000, 'y'),
                                             std::string("a\0b", 3), "tail"};
    for (const auto& v : values) {
        fields.appendField(v);
    }
    SpillBuffer::Reader in(fields);
    std::string got;
    for (const auto& v : values) {
        REQUIRE(in.field(got));
        CHECK(got == v);
    }
    CHECK_FALSE(in.field(got));
    SpillBuffer empty(0);
    CHECK(empty.empty());
    CHECK(drain(empty).empty());
}

TEST_CASE("text and Markdown reports are the same bytes with a tiny spill threshold",
          "[output][fast-path]") {
    const Date d1 = *Date::parse("2026-06-01");
    const Date d2 = *Date::parse("2024-01-01");
    for (const auto& dates : {std::vector<Date>{d1}, std::vector<Date>{d1, d2}}) {
        for (bool evaluate : {true, false}) {
            const auto results = sampleResults(dates, evaluate);
            for (ReportFormat f : {ReportFormat::Text, ReportFormat::Markdown}) {
                ReportOptions o;
                o.format = f;
                o.evaluate = evaluate;
                o.asOf = dates;
                o.width = 60;  // wraps the warnings
                const std::string inMemory = render(o, results, std::size_t{1} << 30);
                CHECK(inMemory.size() > 1000);
                CHECK(render(o, results, 0) == inMemory);
                CHECK(render(o, results, 100) == inMemory);
                CHECK(render(o, results, SpillBuffer::kDefaultThreshold) == inMemory);
            }
        }
    }
    ReportOptions o;
    o.asOf = {d1};
    CHECK(render(o, {}, 0).find("(no records)") != std::string::npos);
}

namespace {

Exact power(int base, int exponent) {
    Exact v = 1;
    for (int i = 0; i < exponent; ++i) {
        v *= base;
    }
    return v;
}

// JSON text without the whitespace outside strings (pretty and compact output must agree).
std::string compact(const std::string& json) {
    std::string out;
    bool inString = false;
    for (std::size_t i = 0; i < json.size(); ++i) {
        const char c = json[i];
        if (inString) {
            out += c;
            if (c == '\\') {
                out += json[++i];
            } else if (c == '"') {
                inString = false;
            }
        } else if (c == '"') {
            inString = true;
            out += c;
        } else if (c != ' ' && c != '\n') {
            out += c;
        }
    }
    return out;
}

}  // namespace

TEST_CASE("JSON numbers: the 128-bit and decimal fast paths write formatExact's text",
          "[output][fast-path]") {
    const Exact two64 = power(2, 64);
    const Exact two127 = power(2, 127);
    const Exact two128 = power(2, 128);
    std::vector<Exact> values = {0,
                                 1,
                                 -1,
                                 7,
                                 10,
                                 99,
                                 100,
                                 two64 - 1,
                                 two64,
                                 two64 + 1,
                                 power(10, 19) - 1,
                                 power(10, 19),
                                 power(10, 19) + 1,
                                 power(10, 38),
                                 power(10, 39),
                                 two127,
                                 two128 - 1,
                                 two128,
                                 two128 + 1,
                                 -(two128 - 1),
                                 -two128,
                                 Exact(1) / 2,
                                 Exact(3) / 10,
                                 Exact(-3) / 10,
                                 Exact(1) / 3,
                                 Exact(-2) / 3,
                                 Exact(7) / 1024,
                                 Exact(1) / power(10, 38),
                                 Exact(1) / power(10, 39),
                                 Exact(1) / power(2, 63),
                                 Exact(1) / power(2, 64),
                                 Exact(1) / power(5, 27),
                                 Exact(1) / power(5, 28),
                                 (two128 - 1) / 2,
                                 (two128 - 1) / 1024,
                                 (two128 - 1) / power(5, 20),
                                 (two127 + 1) / power(10, 12),
                                 Exact(123456789) / 1000,
                                 Exact(1000001) / 1000,
                                 parseExact("0.000770322400292842998585572842998585572843")};
    for (const auto& v : values) {
        const std::string text = formatExact(v);
        CHECK(intervalJson(Interval::point(v)) ==
              "{\"low\":\"" + text + "\",\"central\":\"" + text + "\",\"high\":\"" + text + "\"}");
    }
    // Three different bounds, and the same interval again (the per-document cache).
    for (std::size_t i = 0; i + 2 < values.size(); ++i) {
        const Interval v{values[i], values[i + 1], values[i + 2]};
        const std::string expected = "{\"low\":\"" + formatExact(v.low) + "\",\"central\":\"" +
                                     formatExact(v.central) + "\",\"high\":\"" +
                                     formatExact(v.high) + "\"}";
        CHECK(intervalJson(v) == expected);
        CHECK(intervalJson(v) == expected);
    }
}

TEST_CASE("JSON documents: reused byte runs never leak between records, dates or layouts",
          "[output][fast-path]") {
    const Date d1 = *Date::parse("2026-06-01");
    const Date d2 = *Date::parse("2024-01-01");
    const auto results = sampleResults({d1, d2}, true);
    // Each document rendered first on a fresh thread (empty per-thread caches: every byte
    // written directly) against the same document rendered on this thread after the others,
    // compact and pretty, for both dates and in reverse order.
    std::vector<std::string> first;
    for (const auto& r : results) {
        for (std::size_t d = 0; d < 2; ++d) {
            std::string fresh;
            std::thread([&] { fresh = assessJson(r, d, -1); }).join();
            first.push_back(fresh);
        }
    }
    for (const auto& r : results) {
        assessJson(r, 0, -1);  // fill this thread's caches
    }
    std::size_t k = 0;
    for (auto it = results.rbegin(); it != results.rend(); ++it) {
        for (std::size_t d = 2; d-- > 0;) {
            const std::string again = assessJson(*it, d, -1);
            const std::string pretty = assessJson(*it, d, 2);
            const std::size_t index = (results.size() - 1 - k / 2) * 2 + d;
            CHECK(again == first[index]);
            CHECK(compact(pretty) == again);
            ++k;
        }
    }
    // Two single-date assessments share the caches' first date slot: alternating between them
    // must reproduce each one's own bytes (legal status and thresholds change with the date).
    const auto early = sampleResults({d2}, true);
    const auto late = sampleResults({d1}, true);
    for (std::size_t i = 0; i < early.size(); ++i) {
        CHECK(assessJson(early[i], 0, -1) == first[2 * i + 1]);
        CHECK(assessJson(late[i], 0, -1) == first[2 * i]);
    }
    // The verdicts differ between the two dates somewhere (the caches are really exercised).
    bool differ = false;
    for (std::size_t i = 0; i + 1 < first.size(); i += 2) {
        differ = differ || first[i].substr(first[i].find("\"as_of\"") + 20) !=
                               first[i + 1].substr(first[i + 1].find("\"as_of\"") + 20);
    }
    CHECK(differ);
}

TEST_CASE("formatRounded: 40 significant digits of non-terminating fractions, as formatExact",
          "[output][fast-path]") {
    const Exact two64 = power(2, 64);
    const Exact two128 = power(2, 128);
    const std::vector<Exact> values = {
        Exact(1) / 3, Exact(-2) / 3, Exact(2) / 3, Exact(1) / 7, Exact(10) / 3, Exact(1000000) / 3,
        (two128 - 2) / 3, Exact(1) / (two128 - 1), (two128 - 1) / (two128 - 3),
        Exact(1) / (two64 + 1), (two64 + 1) / 7, Exact(9999999) / 9999998, Exact(1) / 9,
        Exact(1) / 99999, Exact(5) / 6, Exact(1) / 6, -(two128 - 1) / 11,
        parseExact("0.0007703224002928429985") / 3, parseExact("26338038472532575622") / 1000000007,
        // Rounds up to a new digit at 1 and 3 significant digits (9.67 -> 10, 99.97 -> 100).
        Exact(29) / 3, Exact(-29) / 3, Exact(29993) / 300};
    for (const auto& v : values) {
        std::string fast;
        REQUIRE(detail::formatRounded(v, 40, fast));
        CHECK(fast == formatExact(v));
        CHECK(detail::formatExactText(v) == formatExact(v));
        for (int sig : {1, 3, 12, 39}) {
            REQUIRE(detail::formatRounded(v, sig, fast));
            CHECK(fast == formatExact(v, sig));
        }
    }
    // Not taken: zero, whole numbers, terminating fractions, operands above 128 bits.
    std::string out;
    const std::vector<Exact> others = {Exact(0),
                                       Exact(5),
                                       Exact(1) / 1024,
                                       Exact(3) / 10,
                                       Exact(1) / power(2, 100),
                                       Exact(1) / power(5, 60),
                                       Exact(1) / (two128 * 3),
                                       two128 / 3};
    for (const Exact& v : others) {
        CHECK_FALSE(detail::formatRounded(v, 40, out));
        CHECK(detail::formatExactText(v) == formatExact(v));
    }
}

TEST_CASE("CSV rows: reused fields never leak between records or dates, quoting",
          "[output][fast-path]") {
    const Date d1 = *Date::parse("2026-06-01");
    const Date d2 = *Date::parse("2024-01-01");
    const auto results = sampleResults({d1, d2}, true);
    ReportOptions o;
    o.format = ReportFormat::Csv;
    o.asOf = {d1, d2};
    std::vector<std::string> fresh;
    for (const auto& r : results) {
        std::string rows;
        std::thread([&] { rows = renderFragment(o, r); }).join();  // empty per-thread caches
        fresh.push_back(rows);
    }
    for (const auto& r : results) {
        renderFragment(o, r);
    }
    for (std::size_t i = results.size(); i-- > 0;) {
        CHECK(renderFragment(o, results[i]) == fresh[i]);
    }
    // Single-date assessments alternating in the caches' first date slot.
    const auto early = sampleResults({d2}, true);
    const auto late = sampleResults({d1}, true);
    ReportOptions oe = o;
    oe.asOf = {d2};
    ReportOptions ol = o;
    ol.asOf = {d1};
    for (std::size_t i = 0; i < early.size(); ++i) {
        std::string e1;
        std::string l1;
        std::thread([&] { e1 = renderFragment(oe, early[i]); }).join();  // fresh caches each
        std::thread([&] { l1 = renderFragment(ol, late[i]); }).join();
        CHECK(renderFragment(oe, early[i]) == e1);
        CHECK(renderFragment(ol, late[i]) == l1);
    }
    CHECK(csvField("plain") == "plain");
    CHECK(csvField("a,b") == "\"a,b\"");
    CHECK(csvField("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(csvField("\"") == "\"\"\"\"");
    CHECK(csvField("x\r\ny\"") == "\"x\r\ny\"\"\"");
}

TEST_CASE("formatScientificSmall: formatScientific's text of whole numbers below 2^128",
          "[output][fast-path]") {
    const Exact two64 = power(2, 64);
    const Exact two128 = power(2, 128);
    std::vector<Exact> values = {0,    1,    5,    9,     10,    15,    25,    95,
                                 99,   100,  994,  995,   996,   999,   1000,  1005,
                                 1015, 1025, 9995, 12345, 99999, 99950, 99850, 123456789};
    const std::vector<Exact> bigs = {two64 - 1,
                                     two64,
                                     two64 + 1,
                                     power(10, 19) - 1,
                                     power(10, 19),
                                     power(10, 19) + 1,
                                     power(2, 127),
                                     two128 - 1,
                                     power(10, 38) - 1,
                                     power(10, 38),
                                     power(10, 38) + 5 * power(10, 35),
                                     parseExact("67691504628000000000000"),
                                     parseExact("3236800500000000000000"),
                                     parseExact("25000000000000000000000000")};
    for (const Exact& big : bigs) {
        values.push_back(big);
    }
    const std::size_t n = values.size();
    for (std::size_t i = 1; i < n; ++i) {
        values.push_back(-values[i]);
    }
    for (const auto& v : values) {
        for (int sig : {0, 1, 2, 3, 4, 5, 12, 20, 38}) {
            std::string fast;
            REQUIRE(detail::formatScientificSmall(v, sig, fast));
            CHECK(fast == formatScientific(v, sig));
        }
        std::string out;
        CHECK(detail::formatScientificSmall(v, 39, out) == (v == 0));  // zero is "0" always
    }
    std::string out;
    CHECK_FALSE(detail::formatScientificSmall(Exact(1) / 3, 3, out));
    CHECK_FALSE(detail::formatScientificSmall(two128, 3, out));
}

TEST_CASE("verdict identity: a verdict edited after assess is written with its edit",
          "[output][fast-path]") {
    std::ifstream in(std::string(FLOPLEDGER_SOURCE_DIR) + "/tests/cli/inputs/registry.jsonl");
    std::string line;
    while (line.empty() && std::getline(in, line)) {
    }
    REQUIRE(!line.empty());
    AssessOptions ao;
    ao.asOf = {*Date::parse("2026-06-01")};
    Assessor assessor(ao);
    RecordReader reader;
    ReportOptions csv;
    csv.format = ReportFormat::Csv;
    csv.asOf = ao.asOf;
    // As the stream engine does: assess and write inside a scope, so the writers' per-thread
    // runs are recorded with the evaluator's identity.
    std::string vouchedJson;
    std::string vouchedCsv;
    {
        const detail::VerdictOriginScope scope;
        const RecordAssessment r = assessor.assess(reader.parseLine(line, "r.jsonl", 1));
        CHECK((detail::verdictOrigin(r.dates[0].verdicts) != nullptr) == detail::kFastPaths);
        vouchedJson = assessJson(r, 0, -1);
        vouchedCsv = renderFragment(csv, r);
    }
    // The same record's bytes without any identity (fresh thread, no scope): the same.
    std::string plainJson;
    std::string plainCsv;
    std::thread([&] {
        const RecordAssessment r = assessor.assess(reader.parseLine(line, "r.jsonl", 1));
        CHECK(detail::verdictOrigin(r.dates[0].verdicts) == nullptr);
        plainJson = assessJson(r, 0, -1);
        plainCsv = renderFragment(csv, r);
    }).join();
    CHECK(vouchedJson == plainJson);
    CHECK(vouchedCsv == plainCsv);

    // A library caller edits a verdict's title and its policy's first static note after assess
    // (no scope, or a scope opened after the assessment): the edit is printed, not the
    // policy's cached text.
    for (const bool lateScope : {false, true}) {
        RecordAssessment r = assessor.assess(reader.parseLine(line, "r.jsonl", 1));
        auto& verdicts = r.dates[0].verdicts;
        const auto it = std::find_if(verdicts.begin(), verdicts.end(),
                                     [](const Verdict& v) { return !v.notes.empty(); });
        REQUIRE(it != verdicts.end());
        const std::string oldNote = it->notes.front();
        const std::string oldTitle = it->title;
        it->notes.front() = "edited note after assess";
        it->title = "Edited title";
        const std::string oldStatus = it->legalStatus;
        it->legalStatus = "edited-status";
        std::optional<detail::VerdictOriginScope> scope;
        if (lateScope) {
            scope.emplace();
        }
        CHECK(detail::verdictOrigin(verdicts) == nullptr);
        const std::string json = assessJson(r, 0, -1);
        CHECK(json.find("\"notes\":[\"edited note after assess\"") != std::string::npos);
        CHECK(json.find("\"title\":\"Edited title\"") != std::string::npos);
        const std::string rows = renderFragment(csv, r);
        CHECK(rows.find("edited note after assess") != std::string::npos);
        CHECK(json.find("\"legal_status\":\"edited-status\"") != std::string::npos);
        CHECK(rows.find(",edited-status,") != std::string::npos);
        // Put back, the record writes the unedited bytes again.
        it->notes.front() = oldNote;
        it->title = oldTitle;
        it->legalStatus = oldStatus;
        CHECK(assessJson(r, 0, -1) == plainJson);
        CHECK(renderFragment(csv, r) == plainCsv);
    }
}
