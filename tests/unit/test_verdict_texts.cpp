// A request for less (AssessRequest, what the text table asks for through the streaming engine):
// the same verdicts, without the policies' titles and notes, and without probabilities.
#include <flopledger/assessment.hpp>
#include <flopledger/estimate.hpp>
#include <flopledger/policy_catalog.hpp>
#include <flopledger/record_reader.hpp>
#include <flopledger/report.hpp>
#include <flopledger/verdict_explain.hpp>

#include "assess/assess_request.hpp"
#include "output/report_fragment.hpp"

#include <algorithm>
#include <memory>
#include <sstream>

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
    Assessor a(with);
    AssessRequest noTexts;
    noTexts.verdictTexts = false;
    RecordReader reader;
    std::size_t notesSeen = 0;
    for (const char* line : lines) {
        INFO(line);
        const RecordAssessment x = a.assess(reader.parseLine(line, "t", 1));
        const RecordAssessment y = AssessorAccess::assess(
            a, std::make_shared<const Record>(reader.parseLine(line, "t", 1)), noTexts);
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

TEST_CASE("the text table does not depend on verdict texts or probabilities", "[assess][report]") {
    // What lets the engine assess for the text table without verdict texts and without the
    // Monte Carlo: the same table either way, for records with straddling verdicts.
    AssessOptions options;
    options.asOf = {*Date::parse("2026-06-01")};
    Assessor a(options);
    ReportOptions o;
    o.format = ReportFormat::Text;
    o.asOf = options.asOf;
    for (const auto& id : a.policyIds()) {  // the legend's titles, as the CLI gives them
        o.policies.push_back(summarizePolicy(*a.catalog().find(id), o.asOf.front()));
    }
    std::ostringstream sink;
    const AssessRequest lean = writerNeeds(*ReportWriter::create(o, sink));
    CHECK_FALSE(lean.verdictTexts);
    CHECK_FALSE(lean.probabilities);
    RecordReader reader;
    std::vector<RecordAssessment> withAll, without;
    for (
        const char* line :
        {R"({"id":"g","architecture":{"family":"decoder","params":"175B"},"stages":[{"kind":"pretraining","tokens":"300B"}]})",
         R"({"id":"u","stages":[{"kind":"pretraining","flop":{"low":"5e24","high":"2e26"}}]})",
         R"({"id":"v","stages":[{"kind":"pretraining","params":"70B","tokens":{"low":"1e13","high":"4e14"}}]})"}) {
        withAll.push_back(a.assess(reader.parseLine(line, "t", 1)));
        without.push_back(AssessorAccess::assess(
            a, std::make_shared<const Record>(reader.parseLine(line, "t", 1)), lean));
    }
    const auto& vs = withAll[1].dates[0].verdicts;
    const auto straddling = std::find_if(vs.begin(), vs.end(), [](const Verdict& v) {
        return v.status == VerdictStatus::Indeterminate;
    });
    REQUIRE(straddling != vs.end());
    CHECK(straddling->probability.has_value());
    CHECK_FALSE(without[1].dates[0].verdicts[straddling - vs.begin()].probability.has_value());
    std::ostringstream x, y;
    writeReport(o, withAll, x);
    writeReport(o, without, y);
    CHECK(x.str().find('?') != std::string::npos);  // straddling verdicts are in the table
    CHECK(x.str() == y.str());
    // The other writers print them, so they ask for everything.
    for (ReportFormat f :
         {ReportFormat::Markdown, ReportFormat::Json, ReportFormat::Jsonl, ReportFormat::Csv}) {
        o.format = f;
        CHECK(writerNeeds(*ReportWriter::create(o, sink)).full());
    }
    o.format = ReportFormat::Markdown;
    std::ostringstream mx, my;
    writeReport(o, withAll, mx);
    writeReport(o, without, my);
    CHECK(mx.str() != my.str());
    // Without the policy columns the text table's legend takes titles from the verdicts.
    ReportOptions untitled;
    CHECK(writerNeeds(*ReportWriter::create(untitled, sink)).verdictTexts);
}

// What a report leaves out is core's business: the public options carry no speed switches
// (issue 12). These fail to compile into `true` if someone adds them back.
template <typename T>
constexpr bool hasProbabilitiesSwitch = requires(T t) {
    t.probabilities;
};
template <typename T>
constexpr bool hasTextsSwitch = requires(T t) {
    t.texts;
};
static_assert(!hasProbabilitiesSwitch<EvaluationOptions> && !hasTextsSwitch<EvaluationOptions>);
static_assert(!hasTextsSwitch<ExplainOptions>);

TEST_CASE("public evaluators compute everything, samples 0 is the only way to skip probabilities",
          "[assess]") {
    RecordReader reader;
    const Record straddling = reader.parseLine(
        R"({"id":"u","stages":[{"kind":"pretraining","flop":{"low":"5e24","high":"2e26"}}]})", "t",
        1);
    const Record cluster = reader.parseLine(
        R"({"id":"c","type":"cluster","accelerator":"nvidia-h100-sxm","count":{"low":10000,"high":200000},"network_gbit_s":400})",
        "t", 1);
    const ModelRecord& m = std::get<ModelRecord>(straddling);
    const ModelEstimate e = Estimator().estimate(m);
    const Date asOf = *Date::parse("2026-06-01");
    const std::vector<const Policy*> all = PolicyCatalog::defaults().select({});
    auto probabilities = [&](const EvaluationOptions& o) {
        std::size_t n = 0, indeterminate = 0;
        const PolicyEvaluator ev(all, o);
        std::vector<Verdict> vs = ev.evaluate(m, e, asOf);
        const std::vector<Verdict> cs = ev.evaluate(std::get<ClusterRecord>(cluster), asOf);
        vs.insert(vs.end(), cs.begin(), cs.end());
        for (const Verdict& v : vs) {
            CHECK_FALSE(v.title.empty());  // texts always
            if (v.status != VerdictStatus::Indeterminate) continue;
            ++indeterminate;
            if (v.probability) ++n;
        }
        CHECK(indeterminate > 1);  // the model's and the cluster's straddle
        return std::pair{n, indeterminate};
    };
    const auto [withDefault, indeterminate] = probabilities(EvaluationOptions{});
    CHECK(withDefault == indeterminate);
    EvaluationOptions none;
    none.monteCarlo.samples = 0;
    CHECK(probabilities(none).first == 0);
}
