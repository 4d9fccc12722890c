// The estimate fields' fast paths (render10) against the public functions they stand in for:
// a computed stage's "origin" and "assumptions" as stageProvenance() gives them, a warning's
// "code" and "name" as codeText()/codeName(), a stage's kind and method as toString(), and the
// CSV rows' total cells as formatExact() of the total (a lower bound's high empty).
#include <catch2/catch.hpp>
#include <flopledger/assessment.hpp>
#include <flopledger/provenance.hpp>
#include <flopledger/record_reader.hpp>
#include <flopledger/report.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

using namespace flopledger;

namespace {

// Hardware stages whose defaults are assumed (utilization, precision), one whose pointer is a
// prefix of another stage's ("/stages/1" and "/stages/10" would share "/stages/1"), a stated
// stage, a stage without a method (a lower bound) and a point total.
std::vector<std::string> recordLines() {
    std::vector<std::string> lines;
    std::string stages;
    for (int i = 0; i < 12; ++i) {
        if (!stages.empty()) stages += ",";
        if (i == 3) {
            stages += R"({"kind": "fine-tuning", "flop": "1.5e22", "source": "a paper"})";
        } else if (i % 4 == 1) {
            stages += R"({"kind": "evaluation", "hardware": {"accelerator": "nvidia-h100-sxm",
                "count": 64, "hours": 10}})";
        } else {
            stages += R"({"kind": "pretraining", "tokens": "1e12", "params": "7e9", "hardware":
                {"accelerator": "nvidia-h100-sxm", "count": 1000, "hours": 700,
                 "precision": "bf16"}})";
        }
    }
    lines.push_back(R"({"id": "many", "name": "Many stages", "modalities": ["text"], "stages": [)" +
                    stages + "]}");
    lines.push_back(R"({"id": "open", "name": "Undisclosed", "modalities": ["text"], "stages": [
        {"kind": "pretraining", "tokens": "1e12", "params": "7e9"},
        {"kind": "rl", "undisclosed": true}]})");
    lines.push_back(R"({"id": "plain", "name": "Six N D", "modalities": ["text"], "stages": [
        {"kind": "pretraining", "tokens": "2e12", "params": "3e9"}]})");
    return lines;
}

std::vector<RecordAssessment> assessAll(const std::vector<std::string>& lines) {
    AssessOptions ao;
    ao.asOf = {*Date::parse("2026-06-01")};
    Assessor assessor(ao);
    RecordReader reader;
    std::vector<RecordAssessment> out;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        out.push_back(assessor.assess(reader.parseLine(lines[i], "t.jsonl", i + 1)));
    }
    return out;
}

}  // namespace

TEST_CASE(
    "estimate fields: provenance, warnings, kinds and methods as the public functions give them",
    "[output][fast-path]") {
    const auto results = assessAll(recordLines());
    bool assumed = false;  // some stage really has assumptions (the fast path is exercised)
    for (const auto& r : results) {
        const auto& rec = std::get<ModelRecord>(*r.record);
        const ModelEstimate& e = *r.estimate;
        for (const int indent : {-1, 2}) {
            const auto j = nlohmann::json::parse(assessJson(r, 0, indent));
            REQUIRE(j.at("stages").size() == e.stages.size());
            for (std::size_t i = 0; i < e.stages.size(); ++i) {
                const auto& s = j.at("stages")[i];
                const StageProvenance p = stageProvenance(rec, e, i);
                CHECK(s.at("kind") == std::string(toString(e.stages[i].kind)));
                if (e.stages[i].method) {
                    CHECK(s.at("method") == std::string(toString(*e.stages[i].method)));
                    CHECK(s.at("origin") == std::string(toString(p.origin)));
                } else {
                    CHECK(s.at("method").is_null());
                    CHECK(s.at("origin").is_null());
                }
                CHECK(s.at("assumptions").get<std::vector<std::string>>() == p.assumptions);
                assumed = assumed || !p.assumptions.empty();
            }
            REQUIRE(j.at("warnings").size() == e.warnings.size());
            for (std::size_t k = 0; k < e.warnings.size(); ++k) {
                const auto& w = j.at("warnings")[k];
                CHECK(w.at("code") == codeText(e.warnings[k].code));
                CHECK(w.at("name") == std::string(codeName(e.warnings[k].code)));
                CHECK(w.at("message") == e.warnings[k].message);
                CHECK(w.contains("pointer") == !e.warnings[k].pointer.empty());
            }
        }
    }
    CHECK(assumed);
}

TEST_CASE("CSV rows: the total's cells are formatExact's, a lower bound's high empty",
          "[output][fast-path]") {
    const auto results = assessAll(recordLines());
    ReportOptions o;
    o.format = ReportFormat::Csv;
    o.asOf = {*Date::parse("2026-06-01")};
    bool lower = false;
    for (const auto& r : results) {
        std::ostringstream out;
        auto writer = ReportWriter::create(o, out);
        writer->add(r);
        writer->finish();
        const std::string text = out.str();
        const Interval& t = r.estimate->total;
        const bool lowerBound = r.estimate->stages.empty() ||
                                std::any_of(r.estimate->stages.begin(), r.estimate->stages.end(),
                                            [](const StageEstimate& s) { return !s.method; });
        lower = lower || lowerBound;
        // Every row carries the total after the probability: ",low,central,high,method".
        const std::string cells = "," + formatExact(t.low) + "," + formatExact(t.central) + "," +
                                  (lowerBound ? std::string() : formatExact(t.high)) + ",";
        std::size_t rows = 0;
        for (std::size_t at = text.find("\r\n") + 2; at < text.size();
             at = text.find("\r\n", at) + 2) {
            const std::string row = text.substr(at, text.find("\r\n", at) - at);
            CHECK(row.find(cells) != std::string::npos);
            ++rows;
        }
        CHECK(rows == r.dates.at(0).verdicts.size());
    }
    CHECK(lower);
}
