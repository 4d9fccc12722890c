// AssessOptions::verdictTexts = false (the text table's setting): the same verdicts, without the
// policies' titles and notes.
#include <flopledger/assessment.hpp>
#include <flopledger/record_reader.hpp>

#include <catch2/catch.hpp>

using namespace flopledger;

TEST_CASE("verdicts without texts decide exactly as verdicts with them", "[assess]") {
    const char* lines[] = {
        R"({"id":"g","architecture":{"family":"decoder","params":"175B"},"stages":[{"kind":"pretraining","tokens":"300B"}]})",
        R"({"id":"u","stages":[{"kind":"pretraining","flop":{"low":"5e24","high":"2e26"}},{"kind":"rl","flop":"1e24"}]})",
        R"({"id":"c","type":"cluster","accelerator":"nvidia-h100-sxm","count":{"low":10000,"high":60000},"network_gbit_s":400})",
        R"({"id":"n","stages":[{"kind":"pretraining"}]})"};
    AssessOptions with;
    with.asOf = {*Date::parse("2026-06-01"), *Date::parse("2023-12-01")};
    AssessOptions without = with;
    without.verdictTexts = false;
    Assessor a(with), b(without);
    RecordReader reader;
    std::size_t notesSeen = 0;
    for (const char* line : lines) {
        INFO(line);
        const RecordAssessment x = a.assess(reader.parseLine(line, "t", 1));
        const RecordAssessment y = b.assess(reader.parseLine(line, "t", 1));
        REQUIRE(x.dates.size() == y.dates.size());
        for (std::size_t d = 0; d < x.dates.size(); ++d) {
            REQUIRE(x.dates[d].verdicts.size() == y.dates[d].verdicts.size());
            for (std::size_t i = 0; i < x.dates[d].verdicts.size(); ++i) {
                const Verdict& v = x.dates[d].verdicts[i];
                const Verdict& w = y.dates[d].verdicts[i];
                CHECK(v.policy == w.policy);
                CHECK(v.status == w.status);
                CHECK(v.inForce == w.inForce);
                CHECK(v.legalStatus == w.legalStatus);
                CHECK(v.countedFlop == w.countedFlop);
                CHECK(v.threshold == w.threshold);
                CHECK(v.comparator == w.comparator);
                CHECK(v.marginLog10 == w.marginLog10);
                CHECK(v.probability == w.probability);
                CHECK(v.missing == w.missing);
                CHECK_FALSE(v.title.empty());
                CHECK(w.title.empty());
                CHECK(w.notes.empty());
                notesSeen += v.notes.size();
            }
        }
    }
    CHECK(notesSeen > 0);
}
