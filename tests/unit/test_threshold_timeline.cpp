// thresholdTimeline: the periods of a policy's status history with the threshold of each, as
// every front end draws them. Dates are those of docs/policies.md.
#include <flopledger/policy_catalog.hpp>
#include <flopledger/threshold_timeline.hpp>

#include <catch2/catch.hpp>

#include <cmath>

using namespace flopledger;

namespace {
const Policy& shipped(const char* id) {
    const Policy* p = PolicyCatalog::defaults().find(id);
    REQUIRE(p != nullptr);
    return *p;
}
Date day(const char* text) {
    return *Date::parse(text);
}
}  // namespace

TEST_CASE("EO 14110 general: in force 2023-10-30 to 2025-01-20, then revoked", "[timeline]") {
    const auto t =
        thresholdTimeline(shipped("us-eo-14110-general"), day("2020-01-01"), day("2030-01-01"));
    // "signed" and "in-force" on the same day are one period with the later standing.
    REQUIRE(t.size() == 2);
    CHECK(t[0].start == day("2023-10-30"));
    REQUIRE(t[0].end);
    CHECK(*t[0].end == day("2025-01-20"));
    CHECK(t[0].inForce);
    CHECK(t[0].legalStatus == LegalStatus::InForce);
    REQUIRE(t[0].value);
    CHECK(*t[0].value == pow10(26));
    CHECK(t[0].curve.empty());

    CHECK(t[1].start == day("2025-01-20"));
    CHECK_FALSE(t[1].end);
    CHECK_FALSE(t[1].inForce);
    CHECK(t[1].legalStatus == LegalStatus::Revoked);
    CHECK_FALSE(t[1].value);  // a revoked rule has no threshold
    CHECK(isEndedStatus(t[1].legalStatus));
}

TEST_CASE("EO 14110 bio: the 1e23 leaf is the drawn one, not the sequence share", "[timeline]") {
    const Policy& bio = shipped("us-eo-14110-bio");
    const Condition* leaf = primaryComputeLeaf(bio);
    REQUIRE(leaf != nullptr);
    CHECK(leaf->metric == Metric::TrainingCompute);
    const auto t = thresholdTimeline(bio, day("2020-01-01"), day("2030-01-01"));
    REQUIRE(t.size() == 2);
    REQUIRE(t[0].value);
    CHECK(*t[0].value == pow10(23));
}

TEST_CASE("EU Art. 51: not yet in force until 2025-08-02, then in force", "[timeline]") {
    const auto t =
        thresholdTimeline(shipped("eu-ai-act-art51"), day("2020-01-01"), day("2030-01-01"));
    REQUIRE(t.size() == 2);
    // Published 2024-07-12 and in force 2024-08-01 with Chapter V not yet applicable: both
    // events leave the standing at not-yet-in-force, so they are one period.
    CHECK(t[0].start == day("2024-07-12"));
    REQUIRE(t[0].end);
    CHECK(*t[0].end == day("2025-08-02"));
    CHECK(t[0].legalStatus == LegalStatus::NotYetInForce);
    CHECK_FALSE(t[0].inForce);
    REQUIRE(t[0].value);
    CHECK(*t[0].value == pow10(25));
    CHECK(t[1].start == day("2025-08-02"));
    CHECK_FALSE(t[1].end);
    CHECK(t[1].inForce);
    CHECK(t[1].legalStatus == LegalStatus::InForce);
    CHECK(displayStatus(shipped("eu-ai-act-art51").stateOn(day("2026-01-15"))) == "in-force");
    CHECK(displayStatus(shipped("eu-ai-act-art51").stateOn(day("2025-08-01"))) ==
          "not-yet-in-force");
}

TEST_CASE("SB 1047: pending from passage to the veto, then vetoed", "[timeline]") {
    const auto t =
        thresholdTimeline(shipped("ca-sb1047-covered"), day("2020-01-01"), day("2030-01-01"));
    REQUIRE(t.size() == 2);
    CHECK(t[0].start == day("2024-08-29"));
    REQUIRE(t[0].end);
    CHECK(*t[0].end == day("2024-09-29"));
    CHECK_FALSE(t[0].inForce);
    CHECK_FALSE(isEndedStatus(t[0].legalStatus));
    REQUIRE(t[0].value);
    CHECK(*t[0].value == pow10(26));
    CHECK(t[1].legalStatus == LegalStatus::Vetoed);
    CHECK_FALSE(t[1].value);
}

TEST_CASE("the range keeps overlapping periods with their true dates", "[timeline]") {
    const Policy& eo = shipped("us-eo-14110-general");
    // Inside the in-force period only: one period, dates not clipped.
    auto t = thresholdTimeline(eo, day("2024-01-01"), day("2024-12-31"));
    REQUIRE(t.size() == 1);
    CHECK(t[0].start == day("2023-10-30"));
    CHECK(*t[0].end == day("2025-01-20"));
    // The end date is exclusive: a range starting on it sees only the revocation.
    t = thresholdTimeline(eo, day("2025-01-20"), day("2026-01-01"));
    REQUIRE(t.size() == 1);
    CHECK(t[0].legalStatus == LegalStatus::Revoked);
    // Before the first event the order did not exist: nothing to draw.
    CHECK(thresholdTimeline(eo, day("2020-01-01"), day("2023-10-29")).empty());
    // An empty range.
    CHECK(thresholdTimeline(eo, day("2026-01-01"), day("2025-01-01")).empty());
}

TEST_CASE("effective compute is sampled: E / 2^(months / 8) from 2025-08-02", "[timeline]") {
    const Policy& p = shipped("illustrative-effective-compute-1e25");
    ThresholdTimelineOptions o;
    o.curveSamples = 3;
    // 2025-08-02 (m = 0), 2025-12-02 (m = 4, 122 days on), 2026-04-03 (m = 8, 244 days on).
    const auto t = thresholdTimeline(p, day("2025-08-02"), day("2026-04-03"), o);
    REQUIRE(t.size() == 1);
    CHECK_FALSE(t[0].value);
    REQUIRE(t[0].curve.size() == 3);
    CHECK(t[0].curve[0].date == day("2025-08-02"));
    CHECK(t[0].curve[1].date == day("2025-12-02"));
    CHECK(t[0].curve[2].date == day("2026-04-03"));
    CHECK(toDouble(t[0].curve[0].value) == Approx(1e25));
    CHECK(toDouble(t[0].curve[1].value) == Approx(1e25 / std::sqrt(2.0)));
    CHECK(toDouble(t[0].curve[2].value) == Approx(5e24));
}

TEST_CASE("policies without a drawable compute threshold have no timeline", "[timeline]") {
    // Cluster reporting: no model conditions at all.
    const Policy& cluster = shipped("us-eo-14110-cluster");
    CHECK(primaryComputeLeaf(cluster) == nullptr);
    CHECK(thresholdTimeline(cluster, day("2020-01-01"), day("2030-01-01")).empty());
    Policy empty;
    CHECK(thresholdTimeline(empty, day("2020-01-01"), day("2030-01-01")).empty());
}
