// Every compute threshold at its boundary: exactly at it, one FLOP either side, with the value
// written as a JSON number and as a string. Expectations follow the comparators of the legal texts
// (docs/policies.md): "greater than" excludes the threshold, "or more" includes it.
#include "test_policy_support.hpp"

using namespace flopledger;
using namespace flopledger::test;

namespace {

struct Boundary {
    const char* policy;
    const char* date;   // a date on which the policy's standing is settled
    const char* at;     // the threshold, as a JSON number
    const char* below;  // threshold - 1
    const char* above;  // threshold + 1
    bool inclusive;     // ">=" (the threshold itself meets it)
    const char* extra;  // inputs of the other conditions, all satisfied
};

// Integer spellings of the thresholds +- 1, so the JSON number path must be exact to pass.
constexpr const char* k1e23m1 = "99999999999999999999999";
constexpr const char* k1e23p1 = "100000000000000000000001";
constexpr const char* k1e25m1 = "9999999999999999999999999";
constexpr const char* k1e25p1 = "10000000000000000000000001";
constexpr const char* k1e26m1 = "99999999999999999999999999";
constexpr const char* k1e26p1 = "100000000000000000000000001";

const Boundary kBoundaries[] = {
    {"eu-ai-act-art51", "2025-09-01", "1e25", k1e25m1, k1e25p1, false, ""},
    {"eu-gpai-indicative", "2025-09-01", "1e23", k1e23m1, k1e23p1, false, ""},
    {"us-eo-14110-general", "2024-06-01", "1e26", k1e26m1, k1e26p1, false, ""},
    {"us-eo-14110-bio", "2024-06-01", "1e23", k1e23m1, k1e23p1, false,
     R"("bio_sequence_share": 0.9)"},
    {"us-bis-nprm-2024", "2024-10-01", "1e26", k1e26m1, k1e26p1, false, ""},
    {"us-ai-diffusion-4e091", "2025-02-01", "1e26", k1e26m1, k1e26p1, false, ""},
    {"ca-sb1047-covered", "2024-09-01", "1e26", k1e26m1, k1e26p1, false, ""},
    {"ca-sb53-frontier", "2026-02-01", "1e26", k1e26m1, k1e26p1, false, ""},
    {"ca-sb53-large-developer", "2026-02-01", "1e26", k1e26m1, k1e26p1, false,
     R"("developer_revenue_usd": "1e9")"},
    {"ny-raise-2025", "2025-07-01", "1e26", k1e26m1, k1e26p1, false, ""},
    {"ny-raise-2027", "2027-02-01", "1e26", k1e26m1, k1e26p1, false,
     R"("developer_revenue_usd": "1e9")"},
    {"kr-ai-basic-act", "2026-02-01", "1e26", k1e26m1, k1e26p1, true,
     R"("facts": {"kr-state-of-the-art": true, "kr-broad-serious-risk": true})"},
    {"ny-raise-2027-frontier", "2027-02-01", "1e26", k1e26m1, k1e26p1, false, ""},
    {"ct-sb5-frontier", "2026-10-01", "1e26", k1e26m1, k1e26p1, false, ""},
    {"ct-sb5-large-developer", "2026-10-01", "1e26", k1e26m1, k1e26p1, false,
     R"("developer_revenue_usd": "1e9")"},
    {"il-sb315-large-developer", "2026-12-07", "1e26", k1e26m1, k1e26p1, false,
     R"("developer_revenue_usd": "1e9")"},
};

VerdictStatus statusFor(const Boundary& b, const std::string& flop) {
    // Cost well above every cost condition, so only the compute decides.
    Registry reg(oneStage(flop, b.extra, R"("cost_usd": "2e8")"));
    return reg.verdict(b.policy, b.date).status;
}

}  // namespace

TEST_CASE("every compute threshold decides exactly at its boundary", "[policy][boundary]") {
    for (const Boundary& b : kBoundaries) {
        INFO(b.policy);
        const VerdictStatus atThreshold =
            b.inclusive ? VerdictStatus::Exceeds : VerdictStatus::Below;
        // JSON number and string spellings of the threshold itself.
        CHECK(statusFor(b, b.at) == atThreshold);
        CHECK(statusFor(b, std::string("\"") + b.at + "\"") == atThreshold);
        // One FLOP either side, as JSON numbers and as strings.
        CHECK(statusFor(b, b.below) == VerdictStatus::Below);
        CHECK(statusFor(b, b.above) == VerdictStatus::Exceeds);
        CHECK(statusFor(b, std::string("\"") + b.below + "\"") == VerdictStatus::Below);
        CHECK(statusFor(b, std::string("\"") + b.above + "\"") == VerdictStatus::Exceeds);
    }
}

TEST_CASE("verdict fields at the EU threshold", "[policy][boundary]") {
    Registry reg(oneStage("1e25"));
    const Verdict v = reg.verdict("eu-ai-act-art51", "2025-09-01");
    CHECK(v.policy == "eu-ai-act-art51");
    CHECK(v.status == VerdictStatus::Below);
    CHECK(v.comparator == ">");
    REQUIRE(v.threshold);
    CHECK(*v.threshold == pow10(25));
    REQUIRE(v.countedFlop);
    CHECK(v.countedFlop->central == pow10(25));
    REQUIRE(v.marginLog10);
    CHECK(*v.marginLog10 == 0.0);
    REQUIRE(v.probability);
    CHECK(*v.probability == 0.0);
    CHECK(v.missing.empty());

    Registry twice(oneStage("2e25"));
    const Verdict w = twice.verdict("eu-ai-act-art51", "2025-09-01");
    CHECK(w.status == VerdictStatus::Exceeds);
    CHECK(*w.probability == 1.0);
    CHECK(*w.marginLog10 == Approx(0.30103).epsilon(1e-5));  // log10 2
}

TEST_CASE("the fine-tuning branch of SB 1047 is inclusive at 3e25", "[policy][boundary]") {
    auto ft = [](const std::string& flop) {
        // The base is a covered model (branch (ii) needs one): parent.training_flop > 1e26.
        Registry reg(
            R"({"id": "m", "parent": {"id": "base", "training_flop": "2e26"},
            "stages": [{"kind": "pretraining", "flop": "1e24", "cost_usd": "1e6"},
            {"kind": "fine-tuning", "flop": )" +
            flop + R"(, "cost_usd": "2e7"}]})");
        return reg.verdict("ca-sb1047-covered", "2024-09-01").status;
    };
    CHECK(ft("3e25") == VerdictStatus::Exceeds);
    CHECK(ft("\"3e25\"") == VerdictStatus::Exceeds);
    CHECK(ft("29999999999999999999999999") == VerdictStatus::Below);
    CHECK(ft("\"29999999999999999999999999\"") == VerdictStatus::Below);
}
