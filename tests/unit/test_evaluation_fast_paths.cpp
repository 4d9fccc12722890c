// The policy evaluator's fast paths against the plain computations they replace: borrowed
// counted totals against countedFlop, exact decisions at 2^64 and 2^127 boundaries, the Monte
// Carlo's shared, mask-counted draws against a direct count over forEachSample, its per-record
// forward FLOP against every draw from scratch, per-date verdict states, 128-bit counted sums
// and cost sums.
#include "test_policy_support.hpp"

#include <flopledger/monte_carlo.hpp>

#include "base/exact_fast.hpp"
#include "estimate/architecture_stage.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

using namespace flopledger;
using namespace flopledger::test;

namespace {

/// eu-ai-act-art51 (training compute under its scope, ">") with another threshold.
Policy art51With(const Exact& threshold) {
    const Policy* base = PolicyCatalog::defaults().find("eu-ai-act-art51");
    REQUIRE(base);
    Policy p = *base;
    REQUIRE(p.conditions);
    p.conditions->threshold.value = threshold;
    return p;
}

Exact pow2(unsigned n) {
    return Exact(BigInt(1) << n);
}

std::string text(const Exact& x) {
    return "\"" + numerator(x).str() + "\"";
}

Verdict decide(const Policy& p, const std::string& json) {
    Registry reg(json);
    return evaluatePolicy(p, reg.model(), reg.estimates.at(0), day("2026-06-01"));
}

/// The former per-draw computation: the scope's sum of every draw, compared in double.
double directProbability(const Policy& p, const Registry& reg) {
    const ModelRecord& r = reg.model();
    const ModelEstimate& e = reg.estimates.at(0);
    const double t = toDouble(p.conditions->threshold.value);
    long hits = 0, n = 0;
    Estimator est;
    forEachSample(est, r, e, MonteCarloOptions{}, [&](const Sample& s) {
        double total = 0;
        for (std::size_t i = 0; i < e.stages.size(); ++i) {
            if (!p.scope.includes(e.stages[i])) continue;
            total += s.stageFlop[i];
            if (p.scope.recompute) total += s.stageRecompute[i];
        }
        ++n;
        if (total > t) ++hits;
    });
    return static_cast<double>(hits) / static_cast<double>(n);
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

TEST_CASE("borrowed counted totals equal countedFlop", "[evaluation][fast-path]") {
    const Policy p = art51With(Exact(1000));
    for (
        const std::string& json : std::vector<std::string>{
            oneStage("\"12345678901234567890123\""),
            R"({"id": "m", "stages": [{"kind": "pretraining", "flop": "7e24"},
                                    {"kind": "fine-tuning", "flop": "3e24"},
                                    {"kind": "evaluation", "flop": "1e30"}]})",
            R"({"id": "m", "stages": [{"kind": "pretraining", "flop": {"low": "1e24", "high": "4e24"}},
                                    {"kind": "inference", "flop": "5e25"}]})"}) {
        Registry reg(json);
        const Verdict v = evaluatePolicy(p, reg.model(), reg.estimates.at(0), day("2026-06-01"));
        REQUIRE(v.countedFlop);
        CHECK(*v.countedFlop == countedFlop(reg.estimates.at(0), p.scope));
    }
}

TEST_CASE("exact decisions at 2^64 and 2^127, one stage and a sum of two",
          "[evaluation][fast-path]") {
    for (unsigned bits : {63U, 64U, 126U, 127U, 128U}) {
        INFO("2^" << bits);
        const Exact t = pow2(bits);
        const Policy p = art51With(t);
        CHECK(decide(p, oneStage(text(t - 1))).status == VerdictStatus::Below);
        CHECK(decide(p, oneStage(text(t))).status == VerdictStatus::Below);  // ">" is strict
        CHECK(decide(p, oneStage(text(t + 1))).status == VerdictStatus::Exceeds);
        // Two counted stages summing to exactly t, and to t + 1 (the integer sum path).
        const Exact half = pow2(bits - 1);
        const std::string two = R"({"id": "m", "stages": [{"kind": "pretraining", "flop": )" +
                                text(half) + R"(}, {"kind": "fine-tuning", "flop": )";
        CHECK(decide(p, two + text(half) + "}]}").status == VerdictStatus::Below);
        CHECK(decide(p, two + text(half + 1) + "}]}").status == VerdictStatus::Exceeds);
        // A stage the scope leaves out does not count, however large.
        CHECK(decide(p, R"({"id": "m", "stages": [{"kind": "pretraining", "flop": )" + text(t) +
                            R"(}, {"kind": "evaluation", "flop": )" + text(t * 4) + "}]}")
                  .status == VerdictStatus::Below);
    }
    // Zero: below, and no margin (log10 needs a positive value).
    const Verdict zero = decide(art51With(Exact(1)), oneStage("\"0\""));
    CHECK(zero.status == VerdictStatus::Below);
    CHECK_FALSE(zero.marginLog10);
}

TEST_CASE("Monte Carlo probability equals a direct count over the same draws",
          "[evaluation][fast-path]") {
    // The uncertain evaluation stage is drawn (same random numbers in the same order) but not
    // counted: the evaluator skips its per-draw estimate, which must not change the others.
    const std::string json = R"({"id": "mc",
        "architecture": {"family": "generic", "params": "7e10"}, "stages": [
        {"kind": "evaluation", "flop": {"low": "1e20", "high": "1e22"}},
        {"kind": "pretraining",
         "tokens": {"low": "1e13", "high": "5e13", "central": "2e13", "distribution": "triangular"}},
        {"kind": "fine-tuning", "flop": {"low": "1e23", "high": "9e23", "distribution": "uniform"}}]})";
    Registry reg(json);
    for (const char* t : {"5e24", "9e24", "1.5e25", "2e25"}) {
        INFO(t);
        const Policy p = art51With(Exact(parseExact(t)));
        EvaluationOptions mc;  // the Monte Carlo is a method to choose (the default is exact)
        mc.monteCarlo.method = ProbabilityMethod::MonteCarlo;
        const Verdict v =
            evaluatePolicy(p, reg.model(), reg.estimates.at(0), day("2026-06-01"), mc);
        REQUIRE(v.status == VerdictStatus::Indeterminate);
        REQUIRE(v.probability);
        CHECK(*v.probability == directProbability(p, reg));
    }
}

TEST_CASE("Monte Carlo with more distinct comparisons than the outcome mask holds",
          "[evaluation][fast-path]") {
    // 12 distinct leaves are counted by bit mask; 20 take the per-draw path. Both must give
    // each policy the probability of a direct count.
    Registry reg(R"({"id": "mc", "stages": [{"kind": "pretraining",
        "flop": {"low": "1e24", "high": "1e25", "distribution": "uniform"}}]})");
    for (int count : {12, 20}) {
        INFO(count << " policies");
        std::vector<Policy> policies;
        for (int i = 0; i < count; ++i)
            policies.push_back(art51With(parseExact(std::to_string(1000 + 45 * (i + 1)) + "e21")));
        std::vector<const Policy*> pointers;
        for (const Policy& p : policies) pointers.push_back(&p);
        EvaluationOptions mc;
        mc.monteCarlo.method = ProbabilityMethod::MonteCarlo;
        PolicyEvaluator ev(pointers, mc);
        const auto verdicts = ev.evaluate(reg.model(), reg.estimates.at(0), day("2026-06-01"));
        REQUIRE(verdicts.size() == policies.size());
        for (std::size_t i = 0; i < policies.size(); ++i) {
            REQUIRE(verdicts[i].status == VerdictStatus::Indeterminate);
            REQUIRE(verdicts[i].probability);
            CHECK(*verdicts[i].probability == directProbability(policies[i], reg));
        }
    }
}

TEST_CASE("probabilities of every policy together equal each policy alone",
          "[evaluation][fast-path]") {
    // One evaluator shares the draws and the distinct comparisons between policies.
    const std::string json = R"({"id": "mc", "modalities": ["text"], "weights": "open",
        "developer_revenue_usd": {"low": "1e8", "high": "1e9"},
        "architecture": {"family": "generic", "params": "4e11"},
        "stages": [{"kind": "pretraining",
                    "tokens": {"low": "2e12", "high": "8e13"},
                    "cost_usd": {"low": "5e7", "high": "3e8"}},
                   {"kind": "rl", "flop": {"low": "1e24", "high": "1e25"}}]})";
    Registry reg(json);
    std::vector<const Policy*> all;
    for (const Policy& p : PolicyCatalog::defaults().all())
        if (p.appliesToModels()) all.push_back(&p);
    EvaluationOptions options;
    options.registry = &reg.context;
    PolicyEvaluator together(all, options);
    const auto verdicts = together.evaluate(reg.model(), reg.estimates.at(0), day("2026-06-01"));
    REQUIRE(verdicts.size() == all.size());
    int indeterminate = 0;
    for (std::size_t i = 0; i < all.size(); ++i) {
        INFO(all[i]->id);
        const Verdict alone =
            evaluatePolicy(*all[i], reg.model(), reg.estimates.at(0), day("2026-06-01"), options);
        CHECK(verdicts[i].status == alone.status);
        CHECK(verdicts[i].probability == alone.probability);
        CHECK(verdicts[i].notes == alone.notes);
        CHECK(verdicts[i].missing == alone.missing);
        if (alone.status == VerdictStatus::Indeterminate) ++indeterminate;
    }
    CHECK(indeterminate >= 3);
}

TEST_CASE("Monte Carlo stage FLOP with a per-record forward pass equals every draw from scratch",
          "[evaluation][fast-path]") {
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

TEST_CASE("verdict states per date: several evaluators and dates on one thread",
          "[evaluation][fast-path]") {
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

TEST_CASE("countedFlop's 128-bit sums equal interval addition", "[evaluation][fast-path]") {
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

TEST_CASE("summed costs: addExact's 128-bit path and its fall-backs", "[evaluation][fast-path]") {
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
