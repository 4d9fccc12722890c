// Policy files: validation with stable codes, line numbers, JSON pointers and "did you mean".
#include "test_policy_support.hpp"

using namespace flopledger;
using namespace flopledger::test;

namespace {

const char* kValid = R"({
  "format": "flopledger-policy/1",
  "id": "test-policy",
  "title": "Test",
  "jurisdiction": "XX",
  "instrument": {"name": "Test Act", "article": "Art. 1"},
  "citations": [{"what": "text", "url": "https://example.invalid/"}],
  "verification": "unverified",
  "kind": "model",
  "effect": "definition",
  "status_history": [{"date": "2025-01-01", "event": "in-force"}],
  "scope": {"include": ["pretraining"]},
  "conditions": {"metric": "training-compute", "comparator": ">", "value": 1e25, "unit": "FLOP"}
})";

Diagnostic firstError(const std::string& text) {
    const auto diags = PolicyCatalog::validate(text, "p.json");
    REQUIRE_FALSE(diags.empty());
    return diags.front();
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
    const auto pos = text.find(from);
    REQUIRE(pos != std::string::npos);
    return text.replace(pos, from.size(), to);
}

}  // namespace

TEST_CASE("a valid policy file parses, with its JSON number read exactly", "[policy][format]") {
    CHECK(PolicyCatalog::validate(kValid, "p.json").empty());
    const Policy p = PolicyCatalog::parse(kValid, "p.json");
    CHECK(p.id == "test-policy");
    REQUIRE(p.conditions);
    CHECK(p.conditions->threshold.value == pow10(25));
    CHECK(p.scope.include[static_cast<std::size_t>(StageKind::Pretraining)]);
    CHECK_FALSE(p.scope.include[static_cast<std::size_t>(StageKind::FineTuning)]);
    // A big integer JSON number beyond 64 bits is exact too.
    const Policy q =
        PolicyCatalog::parse(replace(kValid, "1e25", "10000000000000000000000001"), "p.json");
    CHECK(q.conditions->threshold.value == pow10(25) + 1);
}

TEST_CASE("unknown fields get did-you-mean with line and pointer", "[policy][format]") {
    const Diagnostic d = firstError(replace(kValid, "\"jurisdiction\"", "\"jurisdicton\""));
    CHECK(d.code == ErrorCode::PolicyInvalid);
    CHECK(d.line == 5);
    CHECK(d.pointer == "/jurisdicton");
    CHECK(d.message.find("did you mean \"jurisdiction\"") != std::string::npos);
    CHECK(d.toString().rfind("p.json:5:/jurisdicton: error", 0) == 0);
}

TEST_CASE("unknown metrics are UnknownMetric with a suggestion", "[policy][format]") {
    const Diagnostic d = firstError(replace(kValid, "training-compute", "training-comptue"));
    CHECK(d.code == ErrorCode::UnknownMetric);
    CHECK(d.line == 13);
    CHECK(d.pointer == "/conditions/metric");
    CHECK(d.message.find("did you mean \"training-compute\"") != std::string::npos);
}

TEST_CASE("bad values are located", "[policy][format]") {
    CHECK(firstError(replace(kValid, "\">\"", "\"=>\"")).code == ErrorCode::BadEnum);
    CHECK(firstError(replace(kValid, "1e25", "\"1e99\"")).code == ErrorCode::NumberRange);
    CHECK(firstError(replace(kValid, "1e25", "\"ten\"")).code == ErrorCode::NumberSyntax);
    const Diagnostic unit = firstError(replace(kValid, "\"FLOP\"", "\"USD\""));
    CHECK(unit.code == ErrorCode::PolicyInvalid);
    CHECK(unit.pointer == "/conditions/unit");
    const Diagnostic date = firstError(replace(kValid, "2025-01-01", "2025-02-30"));
    CHECK(date.code == ErrorCode::BadDate);
    CHECK(date.pointer == "/status_history/0/date");
    CHECK(date.line == 11);
    const Diagnostic kind = firstError(replace(kValid, "\"pretraining\"]", "\"pretrainng\"]"));
    CHECK(kind.code == ErrorCode::BadEnum);
    CHECK(kind.message.find("did you mean \"pretraining\"") != std::string::npos);
    const Diagnostic missing = firstError(replace(kValid, "\"title\": \"Test\",", ""));
    CHECK(missing.code == ErrorCode::PolicyInvalid);
    CHECK(missing.message.find("\"title\"") != std::string::npos);
    const Diagnostic unstated = firstError(replace(kValid, "\">\"", "\"unstated\""));
    CHECK(unstated.message.find("reading") != std::string::npos);
    const Diagnostic dup =
        firstError(replace(kValid, "\"title\": \"Test\",", "\"title\": \"A\", \"title\": \"B\","));
    CHECK(dup.code == ErrorCode::PolicyInvalid);
    CHECK(dup.message.find("duplicate") != std::string::npos);
}

TEST_CASE("malformed JSON and every problem reported", "[policy][format]") {
    const Diagnostic syntax = firstError("{\n  \"id\": \"x\",\n  \"title\": \n}");
    CHECK(syntax.code == ErrorCode::JsonSyntax);
    CHECK(syntax.line == 4);
    const auto two = PolicyCatalog::validate(
        replace(replace(kValid, "\"jurisdiction\"", "\"jurisdicton\""), "\"model\"", "\"modle\""),
        "p.json");
    CHECK(two.size() >= 2);
    try {
        PolicyCatalog::parse("[1, 2]", "p.json");
        FAIL("expected an error");
    } catch (const InputError& e) {
        CHECK(e.diagnostic().code == ErrorCode::PolicyInvalid);
        CHECK(e.diagnostic().file == "p.json");
    }
    std::string deep(100, '[');
    CHECK(firstError(deep).code == ErrorCode::JsonDepth);
}

TEST_CASE("a data directory overrides the shipped policies", "[policy][format]") {
    const std::string dir = std::string(FLOPLEDGER_SOURCE_DIR) + "/policies";
    const PolicyCatalog cat = PolicyCatalog::fromDirectory(dir);
    CHECK(cat.ids() == PolicyCatalog::defaults().ids());
    CHECK_THROWS_AS(PolicyCatalog::fromDirectory(dir + "/no-such-dir"), InputError);
    PolicyCatalog twice = cat;
    CHECK_THROWS_AS(twice.add(*cat.find("eu-ai-act-art51")), InputError);
}
