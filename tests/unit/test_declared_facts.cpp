// Declared facts (contract 7.5): the record's "facts" (reader, writer, errors) and the policy's
// declared-fact leaf, provenance fields and alternative readings (policy format).
#include "test_policy_support.hpp"

using namespace flopledger;
using namespace flopledger::test;

namespace {

const std::string kPolicy = R"({
  "id": "p", "title": "T", "jurisdiction": "XX", "instrument": {"name": "Act"},
  "citations": [{"what": "text", "url": "https://example.invalid/"}],
  "verification": "unverified", "verified_on": "2026-12-07",
  "threshold_source": "primary: the Act",
  "kind": "model", "effect": "definition",
  "status_history": [{"date": "2026-01-01", "event": "in-force", "source": "primary: the Act"}],
  "scope": {"include": ["pretraining"]},
  "conditions": {"all": [
    {"metric": "training-compute", "comparator": ">=", "value": "1e26", "unit": "FLOP"},
    {"metric": "declared-fact", "fact": "xx-frontier", "label": "is at the frontier",
     "equals": true}]},
  "alternative_readings": [{"id": "lower", "reading": "read as 1e25",
    "conditions": {"metric": "training-compute", "comparator": ">=", "value": "1e25",
                   "unit": "FLOP"}}]
})";

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const auto pos = text.find(from);
    REQUIRE(pos != std::string::npos);
    return text.replace(pos, from.size(), to);
}

ReadResult readRecord(const std::string& facts) {
    return RecordReader().readText(R"({"id": "m", "facts": )" + facts + "}", "r.json");
}

}  // namespace

TEST_CASE("a record's facts are read in order, written back, and checked", "[facts][records]") {
    const ReadResult ok =
        readRecord(R"({"kr-state-of-the-art": true, "kr-broad-serious-risk": false})");
    REQUIRE(ok.ok());
    const auto& m = std::get<ModelRecord>(ok.records.front());
    REQUIRE(m.facts.size() == 2);
    CHECK(m.fact("kr-state-of-the-art") == std::optional<bool>(true));
    CHECK(m.fact("kr-broad-serious-risk") == std::optional<bool>(false));
    CHECK_FALSE(m.fact("kr-other").has_value());
    const std::string json = toJson(ok.records.front());
    CHECK(json.find(R"("facts":{"kr-state-of-the-art":true,"kr-broad-serious-risk":false})") !=
          std::string::npos);
    const ReadResult again = RecordReader().readText(json, "w.json");
    REQUIRE(again.ok());
    CHECK(std::get<ModelRecord>(again.records.front()).facts.size() == 2);

    const ReadResult notBool = readRecord(R"({"kr-state-of-the-art": "yes"})");
    REQUIRE_FALSE(notBool.ok());
    CHECK(notBool.diagnostics.front().code == ErrorCode::WrongType);
    CHECK(notBool.diagnostics.front().pointer == "/facts/kr-state-of-the-art");
    const ReadResult badId = readRecord(R"({"KR State": true})");
    REQUIRE_FALSE(badId.ok());
    CHECK(badId.diagnostics.front().code == ErrorCode::BadId);
    const ReadResult notObject = readRecord(R"(["kr-state-of-the-art"])");
    REQUIRE_FALSE(notObject.ok());
    CHECK(notObject.diagnostics.front().code == ErrorCode::WrongType);
    // A misspelt field name gets its guess.
    const ReadResult typo = RecordReader().readText(R"({"id": "m", "fatcs": {}})", "r.json");
    REQUIRE_FALSE(typo.ok());
    CHECK(typo.diagnostics.front().message.find("did you mean 'facts'") != std::string::npos);
}

TEST_CASE("the declared-fact leaf, provenance and alternative readings parse",
          "[facts][policy][format]") {
    CHECK(PolicyCatalog::validate(kPolicy, "p.json").empty());
    const Policy p = PolicyCatalog::parse(kPolicy, "p.json");
    REQUIRE(p.verifiedOn);
    CHECK(p.verifiedOn->toString() == "2026-12-07");
    CHECK(p.thresholdSource == "primary: the Act");
    CHECK(p.history.front().source == "primary: the Act");
    REQUIRE(p.alternatives.size() == 1);
    CHECK(p.alternatives.front().id == "lower");
    CHECK(p.alternatives.front().conditions);
    const auto ids = declaredFactIds({&p});
    REQUIRE(ids.size() == 1);
    CHECK(ids.front().first == "xx-frontier");
    CHECK(ids.front().second == "is at the frontier");
    CHECK(describeConditions(p).find("declared fact xx-frontier (is at the frontier)") !=
          std::string::npos);

    auto firstError = [](const std::string& text) {
        const auto d = PolicyCatalog::validate(text, "p.json");
        REQUIRE_FALSE(d.empty());
        return d.front();
    };
    CHECK(firstError(replaced(kPolicy, R"("fact": "xx-frontier", )", ""))
              .message.find("missing required field \"fact\"") != std::string::npos);
    CHECK(firstError(replaced(kPolicy, R"("fact": "xx-frontier")", R"("fact": "XX Frontier")"))
              .code == ErrorCode::BadId);
    CHECK(firstError(replaced(kPolicy, R"("equals": true)", R"("equals": "true")")).code ==
          ErrorCode::PolicyInvalid);
    CHECK(firstError(replaced(kPolicy, R"("unit": "FLOP"},)", R"("unit": "FLOP", "fact": "x"},)"))
              .message.find("only for metric \"declared-fact\"") != std::string::npos);
    CHECK(firstError(
              replaced(kPolicy, R"("verified_on": "2026-12-07")", R"("verified_on": "2026-13-07")"))
              .code == ErrorCode::BadDate);
    CHECK(firstError(replaced(kPolicy, R"("verified_on")", R"("verifed_on")"))
              .message.find("did you mean \"verified_on\"") != std::string::npos);
    CHECK(firstError(replaced(kPolicy, R"("reading": "read as 1e25",)", ""))
              .message.find("missing required field \"reading\"") != std::string::npos);
}

TEST_CASE("an undeclared fact is unknown and named, a declared one decides", "[facts][policy]") {
    const Policy p = PolicyCatalog::parse(kPolicy, "p.json");
    auto verdictOf = [&](const std::string& extra) {
        Registry reg(oneStage("2e26", extra));
        return evaluatePolicy(p, reg.model(), reg.estimates.front(), day("2026-06-01"));
    };
    const Verdict undeclared = verdictOf("");
    CHECK(undeclared.status == VerdictStatus::Unknown);
    CHECK(hasMissing(undeclared, "facts.xx-frontier"));
    CHECK(hasNote(undeclared, "undeclared fact xx-frontier (is at the frontier): not assumed"));
    CHECK(hasNote(undeclared, "contested reading: the other reading ('lower'"));
    CHECK(verdictOf(R"("facts": {"xx-frontier": true})").status == VerdictStatus::Exceeds);
    CHECK(verdictOf(R"("facts": {"xx-frontier": false})").status == VerdictStatus::Below);
    const Verdict typo = verdictOf(R"("facts": {"xx-fronteer": true})");
    CHECK(typo.status == VerdictStatus::Unknown);
    CHECK(hasNote(typo, "xx-fronteer (did you mean xx-frontier?)"));
    // "equals": false tests that the criterion does not hold.
    const Policy q =
        PolicyCatalog::parse(replaced(kPolicy, R"("label": "is at the frontier",
     "equals": true)",
                                      R"("label": "is at the frontier", "equals": false)"),
                             "q.json");
    Registry reg(oneStage("2e26", R"("facts": {"xx-frontier": false})"));
    CHECK(evaluatePolicy(q, reg.model(), reg.estimates.front(), day("2026-06-01")).status ==
          VerdictStatus::Exceeds);
}
