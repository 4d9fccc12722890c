// The seeded Monte Carlo: determinism, distributions, and agreement with the exact path.
#include "test_estimator_support.hpp"

#include <flopledger/monte_carlo.hpp>

#include <catch2/catch.hpp>

#include <cmath>

using namespace flopledger;
using namespace flopledger::test;

namespace {

ModelRecord uncertainFlop(Distribution d, const Exact& lo, const Exact& c, const Exact& hi) {
    ModelRecord r;
    r.id = "mc";
    Stage s;
    s.flop = Quantity(Interval{lo, c, hi}, d);
    s.flop->sampleIndex = 0;
    r.uncertainCount = 1;
    r.stages.push_back(s);
    return r;
}

std::vector<double> run(const ModelRecord& r, MonteCarloOptions o) {
    Estimator est;
    ModelEstimate e = est.estimate(r);
    std::vector<double> out;
    forEachSample(est, r, e, o, [&](const Sample& s) { out.push_back(s.stageFlop[0]); });
    return out;
}

}  // namespace

TEST_CASE("same seed, same sequence, another seed, another sequence", "[monte-carlo]") {
    ModelRecord r = uncertainFlop(Distribution::LogUniform, ex("1e24"), ex("3e24"), ex("1e25"));
    MonteCarloOptions o;
    o.samples = 500;
    auto a = run(r, o);
    auto b = run(r, o);
    REQUIRE(a.size() == 500);
    CHECK(a == b);
    o.seed = 42;
    CHECK(run(r, o) != a);
    for (double x : a) {
        CHECK(x >= 1e24);
        CHECK(x <= 1e25);
    }
}

TEST_CASE("uniform [0,1]: P(x > 0.25) is 0.75 within 3 sigma", "[monte-carlo]") {
    ModelRecord r = uncertainFlop(Distribution::Uniform, Exact(0), Exact(1, 2), Exact(1));
    MonteCarloOptions o;
    o.samples = 20000;
    auto xs = run(r, o);
    double above = 0;
    for (double x : xs) above += x > 0.25 ? 1 : 0;
    const double p = above / o.samples;
    const double sigma = std::sqrt(0.75 * 0.25 / o.samples);
    CHECK(std::abs(p - 0.75) < 3 * sigma);
}

TEST_CASE("log-uniform: median at the geometric mean, triangular: mean (a+b+c)/3",
          "[monte-carlo]") {
    MonteCarloOptions o;
    o.samples = 20000;
    auto lu = run(uncertainFlop(Distribution::LogUniform, Exact(1), Exact(10), Exact(100)), o);
    double below = 0;
    for (double x : lu) below += x < 10 ? 1 : 0;
    CHECK(std::abs(below / o.samples - 0.5) < 3 * std::sqrt(0.25 / o.samples));
    auto tri = run(uncertainFlop(Distribution::Triangular, Exact(0), Exact(1), Exact(5)), o);
    double sum = 0;
    for (double x : tri) sum += x;
    // mean 2, variance (a^2+b^2+c^2-ab-ac-bc)/18 = (0+1+25-0-0-5)/18 = 7/6
    CHECK(std::abs(sum / o.samples - 2.0) < 3 * std::sqrt(7.0 / 6.0 / o.samples));
}

TEST_CASE("samples recompute the chosen method in double, matching the exact formulas",
          "[monte-carlo]") {
    // uncertain tokens in a tiny decoder: each sample's FLOP is 3 x 3488 x tokens
    ModelRecord r = tiny();
    r.stages[0].tokens =
        Quantity(Interval{Exact(500), Exact(1000), Exact(4000)}, Distribution::Uniform);
    r.stages[0].tokens->sampleIndex = 0;  // as the reader numbers uncertain quantities
    r.uncertainCount = 1;
    r.stages[0].recompute = true;
    Estimator est;
    ModelEstimate e = est.estimate(r);
    MonteCarloOptions o;
    o.samples = 200;
    int n = 0;
    forEachSample(est, r, e, o, [&](const Sample& s) {
        const double tokens = s.value(*r.stages[0].tokens);
        CHECK(tokens >= 500);
        CHECK(tokens <= 4000);
        CHECK(s.stageFlop[0] == Approx(3 * 3488 * tokens).epsilon(1e-12));
        CHECK(s.stageRecompute[0] == Approx(3328 * tokens).epsilon(1e-12));
        ++n;
    });
    CHECK(n == 200);
}

TEST_CASE("point records sample to their exact value", "[monte-carlo]") {
    ModelRecord r = gpt3();
    Estimator est;
    ModelEstimate e = est.estimate(r);
    MonteCarloOptions o;
    o.samples = 3;
    forEachSample(est, r, e, o, [&](const Sample& s) {
        CHECK(s.stageFlop[0] == Approx(3.229120290816e23).epsilon(1e-12));
    });
}
