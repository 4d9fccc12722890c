// The law as of late 2026 (issue 14): each regime at its boundaries and dates, with values
// derived by hand from the texts cited in policies/*.json.
#include "test_policy_support.hpp"

#include <flopledger/sensitivity.hpp>

using namespace flopledger;
using namespace flopledger::test;

namespace {

const char* kKoreaFacts =
    R"("facts": {"kr-state-of-the-art": true, "kr-broad-serious-risk": true})";

const SensitivityChoice* readingChoice(const SensitivityResult& r, const std::string& id) {
    for (const SensitivityChoice& c : r.choices)
        if (c.choice == "reading" && c.value == id) return &c;
    return nullptr;
}

SensitivityResult sensitivityOf(const Registry& reg, const std::string& policy,
                                const std::string& date) {
    const Policy* p = PolicyCatalog::defaults().find(policy);
    REQUIRE(p);
    return analyseSensitivity(reg.model(), *p, day(date));
}

}  // namespace

TEST_CASE("Korea: exactly 1e26 FLOP with and without the two declared facts",
          "[policy][law][facts]") {
    SECTION("no facts declared: unknown, the compute criterion met, both criteria named") {
        Registry reg(oneStage("1e26"));
        const Verdict v = reg.verdict("kr-ai-basic-act", "2026-12-07");
        CHECK(v.status == VerdictStatus::Unknown);
        CHECK(v.inForce);
        REQUIRE(v.countedFlop);
        CHECK(v.countedFlop->central == Exact(parseExact("1e26")));
        CHECK(v.comparator == ">=");
        CHECK(hasMissing(v, "facts.kr-state-of-the-art"));
        CHECK(hasMissing(v, "facts.kr-broad-serious-risk"));
        CHECK(hasNote(v, "applies state-of-the-art technology"));
        CHECK(
            hasNote(v, "risks may broadly and seriously affect life, body or fundamental rights"));
    }
    SECTION("both facts true: exceeds at exactly 1e26 (>=)") {
        Registry reg(oneStage("1e26", kKoreaFacts));
        const Verdict v = reg.verdict("kr-ai-basic-act", "2026-12-07");
        CHECK(v.status == VerdictStatus::Exceeds);
        CHECK(v.missing.empty());
    }
    SECTION("one fact false: below, whatever the compute") {
        Registry reg(oneStage(
            "5e26", R"("facts": {"kr-state-of-the-art": true, "kr-broad-serious-risk": false})"));
        CHECK(reg.verdict("kr-ai-basic-act", "2026-12-07").status == VerdictStatus::Below);
    }
    SECTION("one fact declared true, the other undeclared: unknown, only the other missing") {
        Registry reg(oneStage("2e26", R"("facts": {"kr-state-of-the-art": true})"));
        const Verdict v = reg.verdict("kr-ai-basic-act", "2026-12-07");
        CHECK(v.status == VerdictStatus::Unknown);
        CHECK_FALSE(hasMissing(v, "facts.kr-state-of-the-art"));
        CHECK(hasMissing(v, "facts.kr-broad-serious-risk"));
    }
    SECTION("just below 1e26 without facts: below, no fact is needed") {
        Registry reg(oneStage("99999999999999999999999999"));
        const Verdict v = reg.verdict("kr-ai-basic-act", "2026-12-07");
        CHECK(v.status == VerdictStatus::Below);
        CHECK(v.missing.empty());
    }
    SECTION("counted compute includes pre-processing (stage kind other) and fine-tuning") {
        Registry reg(R"({"id": "m", )" + std::string(kKoreaFacts) +
                     R"(, "stages": [{"kind": "pretraining", "flop": "8e25"},
                        {"kind": "other", "label": "data pre-processing", "flop": "1e25"},
                        {"kind": "fine-tuning", "flop": "1e25"},
                        {"kind": "evaluation", "flop": "5e25"}]})");
        const Verdict v = reg.verdict("kr-ai-basic-act", "2026-12-07");
        REQUIRE(v.countedFlop);
        CHECK(v.countedFlop->central == Exact(parseExact("1e26")));
        CHECK(v.status == VerdictStatus::Exceeds);
    }
    SECTION("a misspelt fact id is named with a guess, and not taken as declared") {
        Registry reg(oneStage(
            "2e26",
            R"("facts": {"kr-state-of-the-arts": true, "kr-broad-serious-risk": true})"));
        const Verdict v = reg.verdict("kr-ai-basic-act", "2026-12-07");
        CHECK(v.status == VerdictStatus::Unknown);
        CHECK(hasNote(v, "kr-state-of-the-arts (did you mean kr-state-of-the-art?)"));
    }
    SECTION("before 2026-01-22 the Act is not in force") {
        Registry reg(oneStage("1e26", kKoreaFacts));
        const Verdict v = reg.verdict("kr-ai-basic-act", "2026-01-21");
        CHECK_FALSE(v.inForce);
        CHECK(v.status == VerdictStatus::Exceeds);
        CHECK(reg.verdict("kr-ai-basic-act", "2026-01-22").inForce);
    }
}

TEST_CASE("New York: the frontier tier binds every frontier developer from 2027-01-01",
          "[policy][law]") {
    Registry reg(oneStage("2e26"));  // no revenue stated
    const Verdict eve = reg.verdict("ny-raise-2027-frontier", "2026-12-31");
    const Verdict day1 = reg.verdict("ny-raise-2027-frontier", "2027-01-01");
    CHECK_FALSE(eve.inForce);
    CHECK(eve.legalStatus == "not-yet-in-force");
    CHECK(day1.inForce);
    CHECK(day1.legalStatus == "in-force");
    CHECK(eve.status == VerdictStatus::Exceeds);
    CHECK(day1.status == VerdictStatus::Exceeds);
    // The large-developer tier needs the revenue; the frontier tier does not.
    const Verdict large = reg.verdict("ny-raise-2027", "2027-01-01");
    CHECK(large.status == VerdictStatus::Unknown);
    CHECK(hasMissing(large, "developer_revenue_usd"));
    // > 1e26: exactly 1e26 is not a frontier model.
    Registry at(oneStage("1e26"));
    CHECK(at.verdict("ny-raise-2027-frontier", "2027-01-01").status == VerdictStatus::Below);
}

TEST_CASE("New York: the 2025 act was signed and replaced, never in force", "[policy][law]") {
    const Policy* p = PolicyCatalog::defaults().find("ny-raise-2025");
    REQUIRE(p);
    CHECK(p->stateOn(day("2025-06-11")).legalStatus == LegalStatus::Proposed);
    CHECK(p->stateOn(day("2025-06-12")).legalStatus == LegalStatus::Proposed);
    CHECK(p->stateOn(day("2025-12-19")).legalStatus == LegalStatus::NotYetInForce);
    CHECK(p->stateOn(day("2026-03-27")).legalStatus == LegalStatus::Superseded);
    for (const StatusEvent& e : p->history) CHECK_FALSE(e.inForce);
}

TEST_CASE("Connecticut SB 5: either side of 2026-10-01, planned runs alike", "[policy][law]") {
    Registry reg(oneStage("2e26", R"("developer_revenue_usd": "6e8")"));
    for (const char* id : {"ct-sb5-frontier", "ct-sb5-large-developer"}) {
        INFO(id);
        const Verdict before = reg.verdict(id, "2026-09-30");
        const Verdict after = reg.verdict(id, "2026-10-01");
        CHECK_FALSE(before.inForce);
        CHECK(before.legalStatus == "not-yet-in-force");
        CHECK(after.inForce);
        CHECK(after.legalStatus == "in-force");
        CHECK(after.status == VerdictStatus::Exceeds);
    }
    CHECK(reg.verdict("ct-sb5-frontier", "2026-05-26").legalStatus == "proposed");
    // "Intends to train": a planned run (no release date) is assessed the same way.
    Registry planned(oneStage("2e26"));
    CHECK_FALSE(planned.model().released);
    CHECK(planned.verdict("ct-sb5-frontier", "2026-10-01").status == VerdictStatus::Exceeds);
    // Large frontier developer: revenue > $500M.
    Registry small(oneStage("2e26", R"("developer_revenue_usd": "5e8")"));
    CHECK(small.verdict("ct-sb5-large-developer", "2026-10-01").status == VerdictStatus::Below);
}

TEST_CASE("Illinois SB 315: passed, not known to be law, never in force", "[policy][law]") {
    Registry reg(oneStage("2e26", R"("developer_revenue_usd": "1e9")"));
    for (const char* date : {"2026-05-20", "2026-05-28", "2026-12-07", "2027-06-01"}) {
        INFO(date);
        const Verdict v = reg.verdict("il-sb315-large-developer", date);
        CHECK_FALSE(v.inForce);  // so --fail-on never counts it
        CHECK(v.legalStatus == "proposed");
        CHECK(v.status == VerdictStatus::Exceeds);
    }
}

TEST_CASE("AI Diffusion 4E091: never in force", "[policy][law]") {
    const Policy* p = PolicyCatalog::defaults().find("us-ai-diffusion-4e091");
    REQUIRE(p);
    CHECK(p->stateOn(day("2025-03-01")).legalStatus == LegalStatus::NotYetInForce);
    CHECK_FALSE(p->stateOn(day("2025-03-01")).inForce);
    CHECK(p->stateOn(day("2025-06-01")).legalStatus == LegalStatus::Rescinded);
    CHECK_FALSE(p->stateOn(day("2025-06-01")).inForce);
    // Every day from before the rule to today.
    for (long d = day("2025-01-01").daysSinceEpoch(); d <= day("2026-12-07").daysSinceEpoch(); ++d)
        if (p->stateOn(Date::fromDaysSinceEpoch(d)).inForce) FAIL("in force on day " << d);
    Registry reg(oneStage("2e26"));
    const Verdict v = reg.verdict("us-ai-diffusion-4e091", "2025-03-01");
    CHECK(v.status == VerdictStatus::Exceeds);
    CHECK_FALSE(v.inForce);
}

TEST_CASE("SB 1047 branch (ii): the base must be a covered model", "[policy][law]") {
    auto fineTune = [](const std::string& parent) {
        return R"({"id": "ft", )" + parent +
               R"("stages": [{"kind": "fine-tuning", "flop": "4e25", "cost_usd": "2e7"}]})";
    };
    Registry small(fineTune(R"("parent": {"id": "base", "training_flop": "1e24"}, )"));
    CHECK(small.verdict("ca-sb1047-covered", "2024-09-01").status == VerdictStatus::Below);
    Registry big(fineTune(R"("parent": {"id": "base", "training_flop": "2e26"}, )"));
    CHECK(big.verdict("ca-sb1047-covered", "2024-09-01").status == VerdictStatus::Exceeds);
    Registry none(fineTune(R"("parent": {"id": "base"}, )"));
    const Verdict v = none.verdict("ca-sb1047-covered", "2024-09-01");
    CHECK(v.status == VerdictStatus::Unknown);
    CHECK(hasMissing(v, "parent.training_flop"));
}

TEST_CASE("EU Art. 51 and distillation: both readings of Annex A.1", "[policy][law][sensitivity]") {
    Registry reg(R"({"id": "student", "stages": [{"kind": "pretraining", "flop": "8e24"},
        {"kind": "distillation-teacher", "flop": "5e24"}]})");
    const Verdict v = reg.verdict("eu-ai-act-art51", "2026-12-07");
    REQUIRE(v.countedFlop);
    CHECK(v.countedFlop->central == Exact(parseExact("1.3e25")));
    CHECK(v.status == VerdictStatus::Exceeds);
    CHECK(hasNote(v, "distillation-teacher-not-counted"));
    const SensitivityResult r = sensitivityOf(reg, "eu-ai-act-art51", "2026-12-07");
    const SensitivityChoice* other = readingChoice(r, "distillation-teacher-not-counted");
    REQUIRE(other);
    CHECK(other->status == VerdictStatus::Below);
    CHECK(other->flips);
    REQUIRE(other->countedFlop);
    CHECK(other->countedFlop->central == Exact(parseExact("8e24")));
}

TEST_CASE("SB 53: a fine-tuner of another developer's model, both readings",
          "[policy][law][sensitivity]") {
    Registry reg(R"({"id": "ft", "developer_revenue_usd": "1e9",
        "parent": {"id": "base", "training_flop": "2e26"},
        "stages": [{"kind": "merged-parent", "flop": "2e26"},
                   {"kind": "fine-tuning", "flop": "1e25"}]})");
    for (const char* id : {"ca-sb53-frontier", "ca-sb53-large-developer"}) {
        INFO(id);
        const Verdict v = reg.verdict(id, "2026-12-07");
        CHECK(v.status == VerdictStatus::Exceeds);
        CHECK(hasNote(v, "contested"));
        const SensitivityResult r = sensitivityOf(reg, id, "2026-12-07");
        const SensitivityChoice* own = readingChoice(r, "own-compute-only");
        REQUIRE(own);
        CHECK(own->status == VerdictStatus::Below);
        CHECK(own->flips);
    }
}

TEST_CASE("BIS 2024: 'training run' as the largest stage or the whole training",
          "[policy][law][sensitivity]") {
    Registry reg(R"({"id": "m", "stages": [{"kind": "pretraining", "flop": "6e25"},
        {"kind": "continued-pretraining", "flop": "6e25"}]})");
    const Verdict v = reg.verdict("us-bis-nprm-2024", "2026-12-07");
    CHECK(v.status == VerdictStatus::Below);
    CHECK(hasNote(v, "dormant"));
    const SensitivityResult r = sensitivityOf(reg, "us-bis-nprm-2024", "2026-12-07");
    const SensitivityChoice* cumulative = readingChoice(r, "cumulative-training-run");
    REQUIRE(cumulative);
    CHECK(cumulative->status == VerdictStatus::Exceeds);
    CHECK(cumulative->flips);
}

TEST_CASE("a pending bill is proposed before its first event, not not-yet-in-force",
          "[policy][law][status]") {
    Registry reg(oneStage("2e26"));
    const Verdict v = reg.verdict("ca-sb53-frontier", "2025-06-01");
    CHECK(v.legalStatus == "proposed");
    CHECK_FALSE(v.inForce);
    CHECK(hasNote(v, "not yet enacted"));
}
