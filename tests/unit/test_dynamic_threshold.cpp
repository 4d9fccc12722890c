// Thresholds that move with time: indexed to algorithmic progress (Ho et al. 2024, halving of
// the physical compute for equal capability every 8 months) and relative to a registry's frontier.
#include "test_policy_support.hpp"

#include <cmath>

using namespace flopledger;
using namespace flopledger::test;

TEST_CASE("whole months between dates", "[policy][dynamic]") {
    CHECK(wholeMonthsBetween(day("2025-08-02"), day("2025-08-02")) == 0);
    CHECK(wholeMonthsBetween(day("2025-08-02"), day("2025-09-01")) == 0);
    CHECK(wholeMonthsBetween(day("2025-08-02"), day("2025-09-02")) == 1);
    CHECK(wholeMonthsBetween(day("2025-08-02"), day("2026-08-02")) == 12);
    CHECK(wholeMonthsBetween(day("2025-08-02"), day("2025-07-02")) == -1);
    CHECK(wholeMonthsBetween(day("2025-08-02"), day("2025-07-03")) == 0);
}

TEST_CASE("effective-compute threshold compares exactly", "[policy][dynamic]") {
    ThresholdSpec spec;
    spec.kind = ThresholdKind::EffectiveCompute;
    spec.value = pow10(25);
    spec.halvingMonths = 8;
    // 8 months: exactly 5e24.
    CHECK(compareWithEffectiveThreshold(parseExact("5e24"), spec, 8) == 0);
    CHECK(compareWithEffectiveThreshold(parseExact("5e24") + 1, spec, 8) == 1);
    CHECK(compareWithEffectiveThreshold(parseExact("5e24") - 1, spec, 8) == -1);
    // 12 months: 1e25 / 2^1.5 = 3.5355339059327...e24, irrational: never equal.
    CHECK(compareWithEffectiveThreshold(parseExact("3.5355339059327e24"), spec, 12) == -1);
    CHECK(compareWithEffectiveThreshold(parseExact("3.5355339059328e24"), spec, 12) == 1);
    // Before the reference date the threshold is larger: -8 months gives 2e25.
    CHECK(compareWithEffectiveThreshold(parseExact("2e25"), spec, -8) == 0);
    CHECK(effectiveComputeThreshold(spec, Date{}) > 0);
}

TEST_CASE("the illustrative effective-compute policy at two dates", "[policy][dynamic]") {
    const std::string id = "illustrative-effective-compute-1e25";
    // At the reference date 2025-08-02 the threshold is 1e25 ("greater than").
    Registry at(oneStage("1e25"));
    CHECK(at.verdict(id, "2025-08-02").status == VerdictStatus::Below);
    Registry atPlus(oneStage("10000000000000000000000001"));
    CHECK(atPlus.verdict(id, "2025-08-02").status == VerdictStatus::Exceeds);
    // 3.6e24 is below 1e25 / 2^(11/8) = 3.855e24 on 2026-08-01 (11 months) and above
    // 1e25 / 2^(12/8) = 3.536e24 on 2026-08-02 (12 months).
    Registry mid(oneStage("\"3.6e24\""));
    const Verdict before = mid.verdict(id, "2026-08-01");
    const Verdict after = mid.verdict(id, "2026-08-02");
    CHECK(before.status == VerdictStatus::Below);
    CHECK(after.status == VerdictStatus::Exceeds);
    REQUIRE(after.threshold);
    CHECK(toDouble(*after.threshold) == Approx(1e25 / std::pow(2.0, 1.5)).epsilon(1e-6));
    REQUIRE(before.threshold);
    CHECK(toDouble(*before.threshold) == Approx(1e25 / std::pow(2.0, 11.0 / 8)).epsilon(1e-6));
    CHECK_FALSE(after.inForce);
    CHECK(after.legalStatus == "voluntary");
    CHECK(hasNote(after, "illustrative"));
}

TEST_CASE("the illustrative frontier policy ranks the registry as of the date",
          "[policy][dynamic]") {
    // Twelve models: model k (1..12) has k x 1e24 FLOP and was released in month k of 2024.
    std::string json = "[";
    for (int k = 1; k <= 12; ++k) {
        if (k > 1) json += ",";
        char buf[200];
        std::snprintf(
            buf, sizeof buf,
            R"({"id": "m%d", "released": "2024-%02d-15", "stages": [{"kind": "pretraining", "flop": "%de24"}]})",
            k, k, k);
        json += buf;
    }
    json += "]";
    Registry reg(json);
    const std::string id = "illustrative-frontier-top10";
    // End of 2024: all twelve released; the 10th largest is m3 (3e24). m3 meets ">=", m2 does not.
    CHECK(reg.verdict(id, "2024-12-31", 2).status == VerdictStatus::Exceeds);
    CHECK(reg.verdict(id, "2024-12-31", 1).status == VerdictStatus::Below);
    const Verdict v = reg.verdict(id, "2024-12-31", 2);
    REQUIRE(v.threshold);
    CHECK(*v.threshold == parseExact("3e24"));
    // Mid-November: eleven released (m1..m11), the 10th largest is m2 (2e24).
    CHECK(reg.verdict(id, "2024-11-20", 1).status == VerdictStatus::Exceeds);
    // Mid-September: nine released, fewer than ten: unknown.
    const Verdict u = reg.verdict(id, "2024-09-20", 1);
    CHECK(u.status == VerdictStatus::Unknown);
    REQUIRE_FALSE(u.missing.empty());
    CHECK(u.missing.front().find("registry") != std::string::npos);
}
