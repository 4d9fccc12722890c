// The output helpers: the spill buffer of the text and Markdown reports (bytes read back as
// written, whatever the threshold) and the reports themselves (the same bytes whether everything
// stays in memory or goes through the temporary file).
#include "report_spill.hpp"

#include <catch2/catch.hpp>
#include <flopledger/assessment.hpp>
#include <flopledger/record_reader.hpp>
#include <flopledger/report.hpp>

#include <fstream>
#include <sstream>
#include <string>
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

TEST_CASE("spill buffer: bytes and fields come back in order across the file") {
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

TEST_CASE("text and Markdown reports are the same bytes with a tiny spill threshold") {
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
