// The writers' field fast paths against their references: CSV fields and lists written through
// csvNeeds/putCsvBody/putCsvList against csvField(joined(...)), and the notes memos of the CSV
// and JSON Lines writers (four variants a verdict position) against fresh per-thread memos.
#include "output/byte_sink.hpp"
#include "output/control_chars.hpp"

#include <catch2/catch.hpp>
#include <flopledger/assessment.hpp>
#include <flopledger/record_reader.hpp>
#include <flopledger/report.hpp>

#include <charconv>
#include <cmath>
#include <limits>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

using namespace flopledger;

namespace {

// The report layer's join (report_text_util.cpp): no separator after leading empty parts.
std::string joinedRef(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& p : parts) {
        if (!out.empty()) out += "; ";
        out += p;
    }
    return out;
}

// Every string of up to three bytes over the bytes that matter to a CSV field, and longer ones
// with a special byte at every position (the 16-byte scan and its tail).
std::vector<std::string> fieldTexts() {
    const std::string alphabet =
        std::string("a ,\"\r\n\t\x1b\x7f!;\xe2", 12) + std::string(1, '\0');
    std::vector<std::string> texts = {""};
    for (int len = 0; len < 3; ++len) {
        const std::size_t n = texts.size();
        for (std::size_t i = 0; i < n; ++i)
            for (const char c : alphabet) texts.push_back(texts[i] + c);
    }
    for (std::size_t at = 0; at < 40; ++at) {
        for (const char c : std::string(",\"\n\x01\x7f\x1f", 6)) {
            std::string t(40, 'x');
            t[at] = c;
            texts.push_back(t);
        }
    }
    return texts;
}

}  // namespace

TEST_CASE("CSV numbers: fixed6Fast gives std::to_chars' six decimals or declines",
          "[output][fast-path]") {
    // Hand-derived: the double nearest each value, rounded to six decimals.
    const std::pair<double, const char*> known[] = {{0.1, "0.100000"},
                                                    {-4.4898014, "-4.489801"},
                                                    {2.5e-7, "0.000000"},
                                                    {-2.5e-7, "0.000000"},
                                                    {0.0, "0.000000"},
                                                    {-0.0, "0.000000"},
                                                    {123456.789012, "123456.789012"},
                                                    {0.9999996, "1.000000"},
                                                    {-1.0, "-1.000000"}};
    for (const auto& [x, text] : known) {
        std::string out;
        REQUIRE(detail::fixed6Fast(x, out));
        CHECK(out == text);
    }
    // Values within a rounding error of half a unit (5e-7 is 4.99999999999999977e-7) and huge
    // or non-finite values are left to std::to_chars.
    std::string out;
    CHECK_FALSE(detail::fixed6Fast(5e-7, out));
    CHECK_FALSE(detail::fixed6Fast(-2.0000005, out));
    CHECK_FALSE(detail::fixed6Fast(1e12, out));
    CHECK_FALSE(detail::fixed6Fast(std::numeric_limits<double>::infinity(), out));
    CHECK_FALSE(detail::fixed6Fast(std::numeric_limits<double>::quiet_NaN(), out));
    // Against std::to_chars over many doubles, near ties included.
    std::uint64_t state = 0x9e3779b97f4a7c15ULL;
    auto next = [&state] {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
    };
    int fast = 0;
    for (int i = 0; i < 200000; ++i) {
        const double scale = std::pow(10.0, static_cast<int>(next() % 14) - 6);
        double x = std::ldexp(static_cast<double>(next() >> 11), -53) * scale;
        if (i % 3 == 1) {
            x = static_cast<double>(static_cast<std::int64_t>(next() % 2000001) - 1000000) / 1e6 +
                5e-7;  // within an ulp or so of a tie
        }
        if (next() & 1) x = -x;
        char buf[48];
        std::string ref(buf,
                        std::to_chars(buf, buf + sizeof buf, x, std::chars_format::fixed, 6).ptr);
        if (ref == "-0.000000") ref = "0.000000";
        if (detail::fixed6Fast(x, out)) {
            ++fast;
            REQUIRE(out == ref);
        }
    }
    CHECK(fast > 100000);  // the fast path serves most values
}

TEST_CASE("CSV fields: csvNeeds and putCsvBody give csvField's bytes", "[output][fast-path]") {
    for (const std::string& t : fieldTexts()) {
        INFO(t);
        const unsigned needs = detail::csvNeeds(t);
        CHECK(((needs & detail::kCsvControl) != 0) == detail::hasUnsafeControl(t));
        if ((needs & detail::kCsvControl) != 0) continue;  // the writers take csvField then
        const bool quoted = (needs & detail::kCsvQuote) != 0;
        CHECK(quoted == (t.find_first_of(",\"\r\n") != std::string::npos));
        std::string out;
        if (quoted) out += '"';
        detail::putCsvBody(out, t, quoted);
        if (quoted) out += '"';
        CHECK(out == csvField(t));
    }
}

TEST_CASE("CSV lists: putCsvList gives csvField(joined(items, \", \"))", "[output][fast-path]") {
    const std::vector<std::string> items = {"",       "plain", "a, b",   "say \"hi\"",
                                            "cr\rlf", "tab\t", "esc\x1b"};
    std::vector<std::vector<std::string>> lists = {{}};
    for (int len = 0; len < 3; ++len) {
        const std::size_t n = lists.size();
        for (std::size_t i = 0; i < n; ++i) {
            for (const auto& item : items) {
                auto l = lists[i];
                l.push_back(item);
                lists.push_back(l);
            }
        }
    }
    for (const auto& l : lists) {
        INFO(joinedRef(l));
        std::string scratch;
        detail::ByteSink sink(scratch);
        const bool written = detail::putCsvList(sink, l);
        CHECK(written == !detail::hasUnsafeControl(joinedRef(l)));
        if (written) CHECK(std::string(sink.view()) == csvField(joinedRef(l)));
        std::string direct;
        if (detail::putCsvList(direct, l)) CHECK(direct == csvField(joinedRef(l)));
    }
}

namespace {

// A one-stage record assessed against every shipped policy as of 2026-06-01.
RecordAssessment oneRecord() {
    AssessOptions ao;
    ao.asOf = {*Date::parse("2026-06-01")};
    Assessor assessor(ao);
    RecordReader reader;
    const std::string line =
        R"({"id": "m", "name": "M", "stages": [{"kind": "pretraining", "flop": 2e25}]})";
    return assessor.assess(reader.parseLine(line, "t.jsonl", 1));
}

std::string renderOne(const ReportOptions& o, const RecordAssessment& r) {
    std::ostringstream out;
    auto writer = ReportWriter::create(o, out);
    writer->add(r);
    writer->finish();
    return out.str();
}

}  // namespace

TEST_CASE("notes memos: five variants of a verdict's notes in turn, as fresh memos write them",
          "[output][fast-path]") {
    const RecordAssessment base = oneRecord();
    REQUIRE(!base.dates.empty());
    REQUIRE(!base.dates[0].verdicts.empty());
    // Five variants of the first verdict's notes (more than the four kept), some needing quotes.
    std::vector<RecordAssessment> variants;
    for (int k = 0; k < 5; ++k) {
        RecordAssessment r = base;
        auto& notes = r.dates[0].verdicts[0].notes;
        notes.push_back("variant " + std::to_string(k) + (k % 2 == 0 ? ", with a comma" : ""));
        if (k == 3) notes.push_back("say \"quoted\"");
        r.dates[0].verdicts[0].missing = {k == 4 ? "parent.training_flop" : ""};
        variants.push_back(r);
    }
    for (const ReportFormat format : {ReportFormat::Csv, ReportFormat::Jsonl}) {
        ReportOptions o;
        o.format = format;
        o.asOf = {*Date::parse("2026-06-01")};
        std::vector<std::string> fresh;
        for (const auto& r : variants) {
            std::string bytes;
            std::thread([&] { bytes = renderOne(o, r); }).join();  // empty per-thread memos
            fresh.push_back(bytes);
        }
        for (int round = 0; round < 3; ++round) {
            for (std::size_t i = 0; i < variants.size(); ++i) {
                const std::size_t at = round == 1 ? variants.size() - 1 - i : i;
                INFO("format " << static_cast<int>(format) << " variant " << at);
                CHECK(renderOne(o, variants[at]) == fresh[at]);
            }
        }
        // The notes really differ in the output.
        CHECK(fresh[0] != fresh[1]);
        CHECK(fresh[3].find("quoted") != std::string::npos);
    }
}
