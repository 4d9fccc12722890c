// The policy evaluator's fast paths against the plain computations they replace: borrowed
// counted totals against countedFlop, exact decisions at 2^64 and 2^127 boundaries, and the
// Monte Carlo's shared, mask-counted draws against a direct count over forEachSample.
#include "test_policy_support.hpp"

#include <flopledger/monte_carlo.hpp>

#include "base/exact_fast.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>
#include <string>

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

}  // namespace

TEST_CASE("borrowed counted totals equal countedFlop", "[perf-eval]") {
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

TEST_CASE("exact decisions at 2^64 and 2^127, one stage and a sum of two", "[perf-eval]") {
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

TEST_CASE("Monte Carlo probability equals a direct count over the same draws", "[perf-eval]") {
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
        const Verdict v = evaluatePolicy(p, reg.model(), reg.estimates.at(0), day("2026-06-01"));
        REQUIRE(v.status == VerdictStatus::Indeterminate);
        REQUIRE(v.probability);
        CHECK(*v.probability == directProbability(p, reg));
    }
}

TEST_CASE("Monte Carlo with more distinct comparisons than the outcome mask holds", "[perf-eval]") {
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
        PolicyEvaluator ev(pointers, {});
        const auto verdicts = ev.evaluate(reg.model(), reg.estimates.at(0), day("2026-06-01"));
        REQUIRE(verdicts.size() == policies.size());
        for (std::size_t i = 0; i < policies.size(); ++i) {
            REQUIRE(verdicts[i].status == VerdictStatus::Indeterminate);
            REQUIRE(verdicts[i].probability);
            CHECK(*verdicts[i].probability == directProbability(policies[i], reg));
        }
    }
}

TEST_CASE("probabilities of every policy together equal each policy alone", "[perf-eval]") {
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

TEST_CASE("sameAsToDouble is toDouble bit for bit", "[perf-eval]") {
    const auto bits = [](double d) {
        std::uint64_t u = 0;
        std::memcpy(&u, &d, sizeof u);
        return u;
    };
    std::vector<Exact> values = {Exact(0),
                                 Exact(1),
                                 Exact(-5),
                                 Exact(1, 3),
                                 Exact(-7, 2),
                                 parseExact("7e24"),
                                 parseExact("123456789012345678"),
                                 parseExact("18446744073709551557"),  // largest prime < 2^64
                                 parseExact("1e-9")};
    for (unsigned n : {1U, 52U, 53U, 54U, 62U, 63U, 64U, 65U, 126U, 127U, 128U, 300U}) {
        const Exact p = pow2(n);
        values.push_back(p - 1);  // all ones: rounds up in double above 2^53
        values.push_back(p);
        values.push_back(p + 1);
        values.push_back(p + pow2(n > 11 ? n - 11 : 0) + 1);  // a tie-breaking pattern
        values.push_back(-p);
    }
    for (const Exact& x : values) {
        INFO(x.str());
        CHECK(bits(detail::sameAsToDouble(x)) == bits(toDouble(x)));
    }
}
