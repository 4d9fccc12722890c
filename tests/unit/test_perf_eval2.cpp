// Second round of evaluator fast paths against the plain computations they replace: the 128-bit
// integer paths of addExact / mulExact against Boost's operators (edges at 2^64, 2^127, 2^128,
// overflow fall-back, zero, negative numbers and fractions), and the Monte Carlo's per-record
// forward FLOP per unit against evaluating every draw from scratch, bit for bit.
#include "test_policy_support.hpp"

#include <flopledger/monte_carlo.hpp>

#include "estimate/architecture_stage.hpp"
#include "base/exact_fast.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

using namespace flopledger;
using namespace flopledger::test;

namespace {

Exact pow2(unsigned n) {
    return Exact(BigInt(1) << n);
}

std::uint64_t bitsOf(double d) {
    std::uint64_t u = 0;
    std::memcpy(&u, &d, sizeof u);
    return u;
}

/// The same draws recomputed the plain way: shape, parameters and every stage from scratch per
/// draw (no fixed forward FLOP), reading inputs through Sample::value.
std::vector<std::vector<double>> directStageFlop(const Registry& reg) {
    const ModelRecord& r = reg.model();
    Estimator est;
    const EstimateOptions& eo = est.options();
    std::vector<std::string> missing;
    std::optional<detail::ArchPlan> ap;
    if (r.architecture) ap = detail::planArchitecture(*r.architecture, eo, "", nullptr, &missing);
    std::vector<detail::StagePlan> plans;
    for (const Stage& st : r.stages) {
        plans.push_back(detail::planStage(r, st, ap ? &*ap : nullptr, eo,
                                          HardwareCatalog::defaults(), missing, nullptr));
        detail::prepareDoubles(plans.back());
    }
    std::vector<std::vector<double>> out;
    forEachSample(est, r, reg.estimates.at(0), MonteCarloOptions{}, [&](const Sample& s) {
        const auto get = [&](const Quantity& q) { return s.value(q); };
        detail::Shape<double> shape{};
        detail::Params<double> params{};
        const bool shapeOk = ap && ap->shapeValid;
        if (shapeOk) {
            shape = detail::resolveShape<double>(*ap, get);
            if (ap->family != Family::Generic) params = detail::paramsOf(*ap, shape);
        }
        std::vector<double> flop;
        for (const detail::StagePlan& sp : plans) {
            detail::StageValues<double> v{};
            detail::evalStage(sp, ap ? &*ap : nullptr, shapeOk ? &shape : nullptr,
                              shapeOk ? &params : nullptr, get, v);
            flop.push_back(sp.chosen ? v.method[static_cast<std::size_t>(*sp.chosen)] : 0.0);
        }
        out.push_back(flop);
    });
    return out;
}

std::vector<std::vector<double>> sampledStageFlop(const Registry& reg) {
    std::vector<std::vector<double>> out;
    Estimator est;
    forEachSample(est, reg.model(), reg.estimates.at(0), MonteCarloOptions{},
                  [&](const Sample& s) { out.push_back(s.stageFlop); });
    return out;
}

}  // namespace

TEST_CASE("128-bit addExact and mulExact equal Boost's operators", "[perf-eval2]") {
    std::vector<Exact> values = {Exact(0),     Exact(1),           Exact(2),
                                 Exact(-1),    Exact(-5),          Exact(1, 3),
                                 Exact(-7, 2), parseExact("7e24"), parseExact("1e-9")};
    for (unsigned n : {32U, 63U, 64U, 65U, 96U, 126U, 127U, 128U, 129U, 200U}) {
        const Exact p = pow2(n);
        values.push_back(p - 1);
        values.push_back(p);
        values.push_back(p + 1);
        values.push_back(-p);
        values.push_back(p / 3);  // a fraction of the same size
    }
    for (const Exact& a : values) {
        for (const Exact& b : values) {
            INFO(a.str() << " and " << b.str());
            CHECK(detail::addExact(a, b) == a + b);
            CHECK(detail::mulExact(a, b) == a * b);
        }
    }
    // Results at the edge: 2^128 - 1 stays on the 128-bit path, 2^128 falls back.
    CHECK(detail::addExact(pow2(127), pow2(127) - 1) == pow2(128) - 1);
    CHECK(detail::addExact(pow2(127), pow2(127)) == pow2(128));
    CHECK(detail::mulExact(pow2(64), pow2(63)) == pow2(127));
    CHECK(detail::mulExact(pow2(64), pow2(64)) == pow2(128));
    CHECK(detail::mulExact(pow2(64) - 1, pow2(64) + 1) == pow2(128) - 1);
}

TEST_CASE("wholeU128 reads whole numbers below 2^128 only", "[perf-eval2]") {
    detail::U128 v = 0;
    CHECK(detail::wholeU128(Exact(0), v));
    CHECK(v == 0);
    CHECK(detail::wholeU128(pow2(64), v));
    CHECK(v == static_cast<detail::U128>(1) << 64);
    CHECK(detail::wholeU128(pow2(128) - 1, v));
    CHECK(v == ~static_cast<detail::U128>(0));
    CHECK_FALSE(detail::wholeU128(pow2(128), v));
    CHECK_FALSE(detail::wholeU128(Exact(-3), v));
    CHECK_FALSE(detail::wholeU128(Exact(1, 2), v));
    CHECK_FALSE(detail::wholeU128(Exact(4, 2) - Exact(1, 3), v));
}

TEST_CASE("Monte Carlo stage FLOP with a per-record forward pass equals every draw from scratch",
          "[perf-eval2]") {
    for (
        const char* json :
        {// Decoder: only the token count is drawn (shape and seq_len fixed).
         R"({"id": "d", "architecture": {"family": "decoder", "layers": 40, "d_model": 2048,
                "heads": 32, "kv_heads": 8, "ffn": 6144, "mlp": "gated", "vocab": 50257},
                "stages": [{"kind": "pretraining", "seq_len": 4096,
                 "tokens": {"low": "4.287e+11", "high": "1.835e+12", "central": "8.869e+11",
                            "distribution": "triangular"}},
                {"kind": "fine-tuning", "seq_len": 2048, "tokens": "1e10"}]})",
         // Encoder-decoder: examples drawn, seq_len and target_len fixed.
         R"({"id": "ed", "architecture": {"family": "encoder-decoder", "encoder_layers": 24,
                "decoder_layers": 12, "d_model": 1024, "heads": 16, "ffn": 4096, "vocab": 32128},
                "stages": [{"kind": "pretraining", "seq_len": 512, "target_len": 114,
                 "examples": {"low": "1e8", "high": "9e8", "distribution": "uniform"}}]})",
         // Drawn seq_len: the forward pass varies and is computed per draw.
         R"({"id": "s", "architecture": {"family": "decoder", "layers": 12, "d_model": 768,
                "heads": 12, "ffn": 3072, "vocab": 50257},
                "stages": [{"kind": "pretraining", "tokens": "3e11",
                 "seq_len": {"low": "1024", "high": "8192"}}]})",
         // Drawn shape (layers): everything per draw.
         R"({"id": "l", "architecture": {"family": "decoder", "layers": {"low": "20", "high": "40"},
                "d_model": 2048, "heads": 16, "ffn": 8192, "vocab": 32000},
                "stages": [{"kind": "pretraining", "tokens": {"low": "1e11", "high": "1e12"},
                 "seq_len": 2048}]})"}) {
        INFO(json);
        Registry reg(json);
        const auto direct = directStageFlop(reg);
        const auto sampled = sampledStageFlop(reg);
        REQUIRE(direct.size() == sampled.size());
        REQUIRE_FALSE(direct.empty());
        std::size_t mismatches = 0;
        for (std::size_t n = 0; n < direct.size(); ++n) {
            REQUIRE(direct[n].size() == sampled[n].size());
            for (std::size_t i = 0; i < direct[n].size(); ++i)
                if (bitsOf(direct[n][i]) != bitsOf(sampled[n][i])) ++mismatches;
        }
        CHECK(mismatches == 0);
    }
}

TEST_CASE("sameAsToDouble of two-limb whole numbers is toDouble bit for bit", "[perf-eval2]") {
    std::vector<Exact> values;
    for (unsigned n = 64; n <= 128; ++n) {
        const Exact p = pow2(n);
        for (const Exact& x :
             std::vector<Exact>{p - 1, p, p + 1, p - pow2(n - 53), p + pow2(n - 54),
                                p + pow2(n - 54) + 1, p + pow2(n - 53) - 1, p * 3 / 2 + 7})
            values.push_back(x);
    }
    // Pseudo-random 65..128-bit values (a fixed linear congruential sequence).
    std::uint64_t state = 0x9E3779B97F4A7C15ULL;
    for (int i = 0; i < 2000; ++i) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        const std::uint64_t hi = state >> (i % 64);
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        if (hi == 0) continue;
        values.push_back(Exact((BigInt(hi) << 64) + BigInt(state)));
    }
    for (const char* text : {"7e24", "1.8446744073709551616e19", "3.4e38", "1e25", "6e23"})
        values.push_back(parseExact(text));
    for (const Exact& x : values) {
        INFO(x.str());
        CHECK(bitsOf(detail::sameAsToDouble(x)) == bitsOf(toDouble(x)));
    }
}

TEST_CASE("copyExact and IntervalCopy give the same values as copies", "[perf-eval2]") {
    std::vector<Exact> values = {Exact(0),     Exact(1),           Exact(-1),         Exact(1, 3),
                                 Exact(-7, 2), parseExact("7e24"), parseExact("1e-9")};
    for (unsigned n : {63U, 64U, 65U, 127U, 128U, 129U}) {
        values.push_back(pow2(n) - 1);
        values.push_back(pow2(n));
        values.push_back(pow2(n) + 1);
        values.push_back(-pow2(n));
    }
    for (const Exact& x : values) {
        INFO(x.str());
        const Exact c = detail::copyExact(x);
        CHECK(c == x);
        CHECK(detail::sameExact(c, x));  // same normalised parts
        std::optional<Interval> iv;
        const Interval src{x, x + 1, x * 2};
        iv.emplace(detail::IntervalCopy::of(src));
        CHECK(*iv == src);
    }
}

TEST_CASE("verdict states per date: several evaluators and dates on one thread", "[perf-eval2]") {
    // The per-thread cache of policy states must tell evaluators and dates apart: each verdict
    // equals a fresh single-policy evaluation on its date, whatever ran before on the thread.
    Registry reg(oneStage("\"3e25\""));
    std::vector<const Policy*> all;
    for (const Policy& p : PolicyCatalog::defaults().all())
        if (p.appliesToModels()) all.push_back(&p);
    const std::vector<const Policy*> firstTwo(all.begin(), all.begin() + 2);
    PolicyEvaluator every(all, {});
    PolicyEvaluator two(firstTwo, {});
    for (const char* date : {"2019-01-01", "2024-08-01", "2026-06-01", "2019-01-01", "2030-01-01",
                             "2023-01-01", "2025-02-03", "2026-06-01"}) {
        INFO(date);
        for (const PolicyEvaluator* ev : {&every, &two, &every}) {
            const auto verdicts = ev->evaluate(reg.model(), reg.estimates.at(0), day(date));
            REQUIRE(verdicts.size() == ev->policies().size());
            for (std::size_t i = 0; i < verdicts.size(); ++i) {
                const Verdict alone =
                    evaluatePolicy(*ev->policies()[i], reg.model(), reg.estimates.at(0), day(date));
                CHECK(verdicts[i].policy == alone.policy);
                CHECK(verdicts[i].inForce == alone.inForce);
                CHECK(verdicts[i].legalStatus == alone.legalStatus);
                CHECK(verdicts[i].notes == alone.notes);
                CHECK(verdicts[i].comparator == alone.comparator);
                CHECK(verdicts[i].countedFlop == alone.countedFlop);
            }
        }
    }
}

TEST_CASE("countedFlop's 128-bit sums equal interval addition", "[perf-eval2]") {
    const auto interval = [](const Exact& a, const Exact& b, const Exact& c) {
        return Interval{a, b, c};
    };
    const std::vector<std::vector<Interval>> cases = {
        {Interval::point(parseExact("7e24")),
         interval(parseExact("1e24"), parseExact("2e24"), parseExact("4e24"))},
        {Interval::point(pow2(127)), Interval::point(pow2(127) - 1)},  // 2^128 - 1: stays wide
        {Interval::point(pow2(127)), Interval::point(pow2(127))},      // 2^128: falls back
        {Interval::point(pow2(64) - 1), Interval::point(Exact(1)), Interval::point(pow2(64))},
        {Interval::point(Exact(1, 3)), Interval::point(Exact(2, 3))},  // fractions
        {Interval::point(pow2(130)), Interval::point(Exact(5))},       // beyond 128 bits
        {Interval::point(Exact(0)), Interval::point(Exact(0)), Interval::point(Exact(0))},
        {Interval::point(parseExact("3e25"))},  // one term
        {}};
    for (bool recompute : {false, true}) {
        for (const auto& flops : cases) {
            ModelEstimate e;
            Interval expected = Interval::point(Exact(0));
            for (const Interval& f : flops) {
                StageEstimate& se = e.stages.emplace_back();
                se.kind = StageKind::Pretraining;
                se.flop = f;
                expected = expected + f;
                if (recompute) {
                    se.recomputeFlop = interval(f.low, f.central, f.high + 1);
                    expected = expected + *se.recomputeFlop;
                }
            }
            CountingScope scope = CountingScope::trainingOnly();
            scope.recompute = recompute;
            const Interval got = countedFlop(e, scope);
            INFO(got.central.str() << " vs " << expected.central.str());
            CHECK(got == expected);
            CHECK(detail::sameExact(got.high, expected.high));
        }
    }
}

TEST_CASE("summed costs: addExact's 128-bit path and its fall-backs", "[perf-eval2]") {
    // SB 1047 branch (i): > 1e26 FLOP and a training cost > $100M. The costs of three stages
    // are summed: whole costs on addExact's 128-bit path; fractions and sums beyond 2^128 by
    // the general operators.
    const auto sb = [](const char* a, const char* b, const char* c) {
        Registry reg(std::string(R"({"id": "m", "stages": [
            {"kind": "pretraining", "flop": "1.5e26", "cost_usd": ")") +
                     a + R"("}, {"kind": "fine-tuning", "flop": "1e24", "cost_usd": ")" + b +
                     R"("}, {"kind": "fine-tuning", "flop": "1e24", "cost_usd": ")" + c +
                     R"("}]})");
        return reg.verdict("ca-sb1047-covered", "2024-09-01").status;
    };
    CHECK(sb("6e7", "3e7", "1e7") == VerdictStatus::Below);  // exactly $100M
    CHECK(sb("6e7", "3e7", "10000001") == VerdictStatus::Exceeds);
    CHECK(sb("6e7", "4e7", "0.5") == VerdictStatus::Exceeds);         // fraction last
    CHECK(sb("5e7", "49999999.5", "0.5") == VerdictStatus::Below);    // fraction in the middle
    CHECK(sb("0.25", "5e7", "49999999.75") == VerdictStatus::Below);  // fraction first
    CHECK(sb("0.5", "5e7", "49999999.75") == VerdictStatus::Exceeds);
    CHECK(sb("3.4e38", "3.4e38", "1") == VerdictStatus::Exceeds);  // beyond 2^128 when summed
}
