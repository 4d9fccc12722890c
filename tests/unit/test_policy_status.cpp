// Status histories: in_force and legal_status the day before and the day of every change, with
// the dates of docs/policies.md.
#include "test_policy_support.hpp"

using namespace flopledger;
using namespace flopledger::test;

namespace {

struct StatusCase {
    const char* policy;
    const char* date;
    bool inForce;
    const char* legalStatus;
};

const StatusCase kCases[] = {
    // EU AI Act: published 2024-07-12, in force 2024-08-01, Chapter V applies from 2025-08-02.
    {"eu-ai-act-art51", "2024-07-11", false, "proposed"},
    {"eu-ai-act-art51", "2024-08-01", false, "not-yet-in-force"},
    {"eu-ai-act-art51", "2025-08-01", false, "not-yet-in-force"},
    {"eu-ai-act-art51", "2025-08-02", true, "in-force"},
    // Guidelines of 2025-07-18, applicable with Chapter V.
    {"eu-gpai-indicative", "2025-07-17", false, "proposed"},
    {"eu-gpai-indicative", "2025-07-18", false, "guidance"},
    {"eu-gpai-indicative", "2025-08-01", false, "guidance"},
    {"eu-gpai-indicative", "2025-08-02", true, "guidance"},
    {"eu-downstream-modifier", "2025-08-02", true, "guidance"},
    // EO 14110: signed 2023-10-30, revoked 2025-01-20.
    {"us-eo-14110-general", "2023-10-29", false, "proposed"},
    {"us-eo-14110-general", "2023-10-30", true, "in-force"},
    {"us-eo-14110-general", "2025-01-19", true, "in-force"},
    {"us-eo-14110-general", "2025-01-20", false, "revoked"},
    {"us-eo-14110-bio", "2025-01-19", true, "in-force"},
    {"us-eo-14110-bio", "2025-01-20", false, "revoked"},
    {"us-eo-14110-cluster", "2024-01-01", true, "in-force"},
    {"us-eo-14110-cluster", "2025-01-20", false, "revoked"},
    // BIS NPRM: proposed 2024-09-11, never final.
    {"us-bis-nprm-2024", "2024-09-10", false, "proposed"},
    {"us-bis-nprm-2024", "2024-09-11", false, "proposed"},
    {"us-bis-nprm-2024", "2026-06-01", false, "proposed"},
    // AI Diffusion: effective 2025-01-13 but compliance only from 2025-05-15; rescinded and not
    // enforced from 2025-05-13: the licence requirement never applied.
    {"us-ai-diffusion-4e091", "2025-01-12", false, "proposed"},
    {"us-ai-diffusion-4e091", "2025-01-13", false, "not-yet-in-force"},
    {"us-ai-diffusion-4e091", "2025-05-12", false, "not-yet-in-force"},
    {"us-ai-diffusion-4e091", "2025-05-13", false, "rescinded"},
    {"us-ai-diffusion-4e091", "2026-05-12", false, "rescinded"},
    // SB 1047: passed 2024-08-29, vetoed 2024-09-29.
    {"ca-sb1047-covered", "2024-09-28", false, "proposed"},
    {"ca-sb1047-covered", "2024-09-29", false, "vetoed"},
    {"ca-sb1047-covered", "2030-01-01", false, "vetoed"},
    // SB 53: signed 2025-09-29, in force 2026-01-01.
    {"ca-sb53-frontier", "2025-06-01", false, "proposed"},
    {"ca-sb53-frontier", "2025-09-28", false, "proposed"},
    {"ca-sb53-frontier", "2025-09-29", false, "not-yet-in-force"},
    {"ca-sb53-frontier", "2025-12-31", false, "not-yet-in-force"},
    {"ca-sb53-frontier", "2026-01-01", true, "in-force"},
    {"ca-sb53-large-developer", "2025-12-31", false, "not-yet-in-force"},
    {"ca-sb53-large-developer", "2026-01-01", true, "in-force"},
    // RAISE as passed: 2025-06-12, signed 2025-12-19, superseded by S8828 2026-03-27.
    {"ny-raise-2025", "2025-07-01", false, "proposed"},
    {"ny-raise-2025", "2025-12-18", false, "proposed"},
    {"ny-raise-2025", "2025-12-19", false, "not-yet-in-force"},
    {"ny-raise-2025", "2026-03-26", false, "not-yet-in-force"},
    {"ny-raise-2025", "2026-03-27", false, "superseded"},
    {"ny-raise-2025", "2027-06-01", false, "superseded"},
    // RAISE as amended: signed 2026-03-27, effective 2027-01-01.
    {"ny-raise-2027", "2026-03-26", false, "proposed"},
    {"ny-raise-2027", "2026-03-27", false, "not-yet-in-force"},
    {"ny-raise-2027-frontier", "2026-12-31", false, "not-yet-in-force"},
    {"ny-raise-2027-frontier", "2027-01-01", true, "in-force"},
    // Connecticut SB 5: signed 2026-05-27, frontier sections from 2026-10-01.
    {"ct-sb5-frontier", "2026-05-26", false, "proposed"},
    {"ct-sb5-frontier", "2026-05-27", false, "not-yet-in-force"},
    {"ct-sb5-frontier", "2026-09-30", false, "not-yet-in-force"},
    {"ct-sb5-frontier", "2026-10-01", true, "in-force"},
    {"ct-sb5-large-developer", "2026-10-01", true, "in-force"},
    // Illinois SB 315: passed both houses in May 2026; no signature found.
    {"il-sb315-large-developer", "2026-12-07", false, "proposed"},
    {"ny-raise-2027", "2026-12-31", false, "not-yet-in-force"},
    {"ny-raise-2027", "2027-01-01", true, "in-force"},
    // Korea: in force 2026-01-22.
    {"kr-ai-basic-act", "2025-06-01", false, "not-yet-in-force"},
    {"kr-ai-basic-act", "2026-01-21", false, "not-yet-in-force"},
    {"kr-ai-basic-act", "2026-01-22", true, "in-force"},
    // Illustrative policies are never law.
    {"illustrative-effective-compute-1e25", "2026-01-01", false, "voluntary"},
    {"illustrative-frontier-top10", "2026-01-01", false, "voluntary"},
};

}  // namespace

TEST_CASE("status histories give in_force and legal_status on any date", "[policy][status]") {
    const PolicyCatalog& catalog = PolicyCatalog::defaults();
    for (const StatusCase& c : kCases) {
        INFO(c.policy << " on " << c.date);
        const Policy* p = catalog.find(c.policy);
        REQUIRE(p);
        const PolicyState st = p->stateOn(day(c.date));
        CHECK(st.inForce == c.inForce);
        CHECK(toString(st.legalStatus) == c.legalStatus);
    }
}

TEST_CASE("verdicts carry the standing of their date", "[policy][status]") {
    Registry reg(oneStage("2e26"));
    const Verdict before = reg.verdict("us-eo-14110-general", "2025-01-19");
    const Verdict after = reg.verdict("us-eo-14110-general", "2025-01-20");
    CHECK(before.inForce);
    CHECK(before.legalStatus == "in-force");
    CHECK_FALSE(after.inForce);
    CHECK(after.legalStatus == "revoked");
    // The compute verdict does not depend on the standing: it is computed at every date.
    CHECK(before.status == VerdictStatus::Exceeds);
    CHECK(after.status == VerdictStatus::Exceeds);

    const Verdict early = reg.verdict("kr-ai-basic-act", "2020-01-01");
    CHECK(early.legalStatus == "proposed");
    CHECK(hasNote(early, "not yet enacted"));
}

TEST_CASE("month-precision dates compare as the first day of the month", "[policy][status]") {
    const Policy p = PolicyCatalog::parse(R"({"id": "m", "title": "t", "jurisdiction": "XX",
        "instrument": {"name": "n"}, "citations": [{"what": "w", "url": "https://example.org"}],
        "verification": "unverified", "kind": "model", "effect": "definition",
        "status_history": [{"date": "2025-06", "event": "signed"}],
        "scope": {"include": ["pretraining"]},
        "conditions": {"metric": "training-compute", "comparator": ">", "value": "1e26",
                       "unit": "FLOP"}})",
                                          "month.json");
    CHECK(p.stateOn(day("2025-05-31")).legalStatus == LegalStatus::Proposed);
    CHECK(p.stateOn(day("2025-06-01")).legalStatus == LegalStatus::NotYetInForce);
}
