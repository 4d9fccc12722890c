// Indeterminate cluster verdicts: their probability comes from the portable generator of every
// Monte Carlo (xoshiro256**, estimate/sampling.hpp), so it is the same on every platform and
// standard library, and it agrees with the analytic probability of the input's distribution.
#include "test_policy_support.hpp"

#include <flopledger/hardware_catalog.hpp>
#include <flopledger/monte_carlo.hpp>

#include "estimate/sampling.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

using namespace flopledger;
using namespace flopledger::test;

namespace {

Verdict eoCluster(const std::string& fields) {
    Registry reg(R"({"type": "cluster", "id": "c", "accelerator": "nvidia-h100-sxm", )" + fields +
                 R"(, "network_gbit_s": 400, "single_datacenter": true})");
    return reg.verdict("us-eo-14110-cluster", "2024-06-01");
}

}  // namespace

TEST_CASE("indeterminate cluster peak: probability of a uniform interval over 1e20",
          "[evaluation][cluster][monte-carlo]") {
    // Uniform on [5e19, 2.5e20]: P(peak >= 1e20) = (2.5e20 - 1e20) / (2.5e20 - 5e19) = 0.75.
    const Verdict v = eoCluster(
        R"("peak_flop_per_s": {"low": "5e19", "high": "2.5e20", "distribution": "uniform"})");
    CHECK(v.status == VerdictStatus::Indeterminate);
    REQUIRE(v.probability);
    CHECK(*v.probability == Approx(0.75).margin(0.04));
    CHECK(hasNote(v, "seeded Monte Carlo draws"));

    // The draws are the documented generator's: seed ^ fnv1a(id), one uniform double per draw,
    // low + u (high - low), counted against the threshold. Any platform gives this count.
    const MonteCarloOptions mc;
    detail::Xoshiro256 rng(mc.seed ^ detail::fnv1a("c"));
    long hits = 0;
    for (int i = 0; i < mc.samples; ++i)
        if (5e19 + rng.uniform() * (2.5e20 - 5e19) >= 1e20) ++hits;
    CHECK(*v.probability == static_cast<double>(hits) / mc.samples);
}

TEST_CASE("indeterminate cluster chip count: probability through the accelerator's dense peak",
          "[evaluation][cluster][monte-carlo]") {
    const Accelerator* h100 = HardwareCatalog::defaults().find("nvidia-h100-sxm");
    REQUIRE(h100);
    Exact best = 0;
    for (int p = 0; p < kPrecisionCount; ++p)
        if (const PeakFigure* f = h100->peak(static_cast<Precision>(p)))
            best = std::max(best, f->dense);
    REQUIRE(best > 0);
    // Count uniform on [40000, 60000] chips: P(count * best >= 1e20) = (60000 - 1e20/best) / 20000.
    const double needed = 1e20 / toDouble(best);
    REQUIRE(needed > 40000);
    REQUIRE(needed < 60000);
    const double expected = (60000 - needed) / 20000;
    const Verdict v =
        eoCluster(R"("count": {"low": 40000, "high": 60000, "distribution": "uniform"})");
    CHECK(v.status == VerdictStatus::Indeterminate);
    REQUIRE(v.probability);
    CHECK(*v.probability == Approx(expected).margin(0.04));
    // Deterministic: a second evaluation gives the same probability bit for bit.
    CHECK(*eoCluster(R"("count": {"low": 40000, "high": 60000, "distribution": "uniform"})")
               .probability == *v.probability);
}
