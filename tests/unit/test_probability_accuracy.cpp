// The deterministic probabilities (policy/evaluator_quadrature.cpp, docs/methodology.md
// "Probabilities") against independent references: the distributions' own formulas where one
// input varies, and 10^6 seeded Monte Carlo draws (the reference method, standard error at most
// 0.0005) on straddling records with one, two and several uncertain inputs, multi-stage records
// included. Decisions must not depend on the method.
#include "test_policy_support.hpp"

#include <flopledger/policy_catalog.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <set>
#include <string>

using namespace flopledger;
using namespace flopledger::test;

namespace {

std::vector<const Policy*> modelPolicies() {
    std::vector<const Policy*> all;
    for (const Policy& p : PolicyCatalog::defaults().all())
        if (p.appliesToModels()) all.push_back(&p);
    return all;
}

std::vector<Verdict> verdictsWith(const Registry& reg, ProbabilityMethod method, int samples) {
    EvaluationOptions o;
    o.registry = &reg.context;
    o.monteCarlo.method = method;
    o.monteCarlo.samples = samples;
    PolicyEvaluator ev(modelPolicies(), o);
    return ev.evaluate(reg.model(), reg.estimates.at(0), day("2026-06-01"));
}

// By value: callers pass a temporary vector (a reference into it would dangle).
Verdict verdictOf(const std::vector<Verdict>& vs, const std::string& id) {
    for (const Verdict& v : vs)
        if (v.policy == id) return v;
    FAIL("no verdict for " << id);
    throw std::logic_error("unreachable");
}

double probabilityOf(const std::string& json, const std::string& policy) {
    Registry reg(json);
    const Verdict& v = verdictOf(verdictsWith(reg, ProbabilityMethod::Deterministic, 2000), policy);
    REQUIRE(v.status == VerdictStatus::Indeterminate);
    REQUIRE(v.probability);
    return *v.probability;
}

}  // namespace

TEST_CASE("one uncertain input: the distribution's own probability", "[evaluation][probability]") {
    // Art. 51: counted > 1e25 FLOP. Uniform on [5e24, 2e25]: (2e25 - 1e25) / 1.5e25 = 2/3.
    CHECK(probabilityOf(R"({"id": "u", "stages": [{"kind": "pretraining",
              "flop": {"low": "5e24", "high": "2e25", "distribution": "uniform"}}]})",
                        "eu-ai-act-art51") == Approx(2.0 / 3).epsilon(1e-12));
    // Log-uniform on [1e24, 1e27]: log10 1e25 is a third of the way: 2/3 above.
    CHECK(probabilityOf(R"({"id": "l", "stages": [{"kind": "pretraining",
              "flop": {"low": "1e24", "high": "1e27", "distribution": "log-uniform"}}]})",
                        "eu-ai-act-art51") == Approx(2.0 / 3).epsilon(1e-12));
    // Triangular on [0.5e25, 1.5e25] with mode 1e25: symmetric, 1/2 above the mode.
    CHECK(probabilityOf(R"({"id": "t", "stages": [{"kind": "pretraining",
              "flop": {"low": "5e24", "central": "1e25", "high": "1.5e25",
                       "distribution": "triangular"}}]})",
                        "eu-ai-act-art51") == Approx(0.5).epsilon(1e-12));
    // Through 6ND with uniform tokens on [1e13, 4e13] and 1e11 parameters: 6ND > 1e25 when
    // D > 1e25 / 6e11 = 1.6667e13, so P = (4e13 - 1.6667e13) / 3e13 = 7/9.
    CHECK(probabilityOf(R"({"id": "d", "architecture": {"family": "generic", "params": "1e11"},
              "stages": [{"kind": "pretraining",
              "tokens": {"low": "1e13", "high": "4e13", "distribution": "uniform"}}]})",
                        "eu-ai-act-art51") == Approx(7.0 / 9).epsilon(1e-9));
}

TEST_CASE("deterministic probabilities within 0.005 of 10^6 Monte Carlo draws",
          "[evaluation][probability]") {
    const char* records[] = {
        // One input: a log-uniform stated interval (what a confidence label becomes).
        R"({"id": "stated", "stages": [{"kind": "pretraining",
            "flop": {"low": "3e24", "central": "1e25", "high": "3e25"}}]})",
        // One input: a utilization interval (hardware method).
        R"({"id": "util", "stages": [{"kind": "pretraining", "hardware": {
            "accelerator": "nvidia-h100-sxm", "count": 16384, "hours": 1296, "precision": "bf16",
            "utilization": {"low": "0.05", "high": "0.5", "distribution": "uniform"}}}]})",
        // One input: triangular tokens through 6ND.
        R"({"id": "tokens", "architecture": {"family": "generic", "params": "4e11"},
            "stages": [{"kind": "pretraining", "tokens": {"low": "2e12", "central": "5e12",
            "high": "8e13", "distribution": "triangular"}}]})",
        // Two inputs: parameters x tokens.
        R"({"id": "nd", "architecture": {"family": "generic",
            "params": {"low": "1e11", "high": "8e11", "distribution": "log-uniform"}},
            "stages": [{"kind": "pretraining",
            "tokens": {"low": "5e12", "high": "3e13", "distribution": "uniform"}}]})",
        // Two inputs read only as their product (policy/pair_line.hpp, exact): triangular
        // parameters x log-uniform tokens.
        R"({"id": "nd-product", "architecture": {"family": "generic",
            "params": {"low": "5e10", "central": "2e11", "high": "6e11",
                       "distribution": "triangular"}},
            "stages": [{"kind": "pretraining",
            "tokens": {"low": "5e12", "high": "5e13", "distribution": "log-uniform"}}]})",
        // Multi-stage, the product plus a constant stage: uniform parameters x triangular
        // tokens + 3e24 FLOP of fine-tuning.
        R"({"id": "nd-plus-constant", "architecture": {"family": "generic",
            "params": {"low": "3e10", "high": "3e11", "distribution": "uniform"}},
            "stages": [{"kind": "pretraining", "tokens": {"low": "1e12", "central": "4e12",
             "high": "1e13", "distribution": "triangular"}},
            {"kind": "fine-tuning", "flop": "3e24"}]})",
        // Multi-stage, three inputs: the product exact, an uncertain RL stage by the trapezoid
        // rule.
        R"({"id": "nd-plus-rl", "architecture": {"family": "generic",
            "params": {"low": "2e10", "high": "2e11", "distribution": "log-uniform"}},
            "stages": [{"kind": "pretraining",
             "tokens": {"low": "2e12", "high": "2e13", "distribution": "uniform"}},
            {"kind": "rl", "flop": {"low": "1e23", "high": "1e25"}}]})",
        // Multi-stage, two inputs: uncertain pre-training tokens plus an uncertain RL stage.
        R"({"id": "two-stage", "architecture": {"family": "generic", "params": "7e10"}, "stages": [
            {"kind": "pretraining", "tokens": {"low": "1e13", "high": "5e13", "central": "2e13",
             "distribution": "triangular"}},
            {"kind": "rl", "flop": {"low": "1e24", "high": "2e25"}}]})",
        // Multi-stage, three inputs (a Fibonacci lattice over two of them).
        R"({"id": "three-stage", "architecture": {"family": "generic", "params": "7e10"},
            "stages": [
            {"kind": "evaluation", "flop": {"low": "1e20", "high": "1e22"}},
            {"kind": "pretraining", "tokens": {"low": "1e13", "high": "5e13", "central": "2e13",
             "distribution": "triangular"}},
            {"kind": "fine-tuning", "flop": {"low": "1e23", "high": "9e24",
             "distribution": "uniform"}},
            {"kind": "rl", "flop": {"low": "1e24", "high": "1e26"}}]})",
        // Multi-stage, four inputs (Halton points over three of them): tokens, two stated
        // stages and a utilization interval.
        R"({"id": "four-stage", "architecture": {"family": "generic", "params": "7e10"},
            "stages": [
            {"kind": "pretraining", "tokens": {"low": "3e12", "high": "2e13", "central": "8e12",
             "distribution": "triangular"}},
            {"kind": "fine-tuning", "flop": {"low": "1e23", "high": "9e24",
             "distribution": "uniform"}},
            {"kind": "rl", "flop": {"low": "1e23", "high": "5e24"}},
            {"kind": "continued-pretraining", "hardware": {"accelerator": "nvidia-h100-sxm",
             "count": 4096, "hours": 500, "precision": "bf16",
             "utilization": {"low": "0.2", "high": "0.5", "distribution": "uniform"}}}]})",
        // Several inputs of different kinds: revenue, cost, tokens, an RL stage.
        R"({"id": "mixed", "modalities": ["text"], "weights": "open",
            "developer_revenue_usd": {"low": "1e8", "high": "1e9"},
            "architecture": {"family": "generic", "params": "4e11"},
            "stages": [{"kind": "pretraining", "tokens": {"low": "2e12", "high": "8e13"},
                        "cost_usd": {"low": "5e7", "high": "3e8"}},
                       {"kind": "rl", "flop": {"low": "1e24", "high": "1e25"}}]})",
    };
    int compared = 0;
    double worst = 0;
    std::set<std::string> methods;  // which of the six ways each probability was computed
    for (const char* json : records) {
        Registry reg(json);
        INFO(reg.model().id);
        const auto fast = verdictsWith(reg, ProbabilityMethod::Deterministic, 2000);
        const auto reference = verdictsWith(reg, ProbabilityMethod::MonteCarlo, 1000000);
        REQUIRE(fast.size() == reference.size());
        int straddling = 0;
        for (std::size_t i = 0; i < fast.size(); ++i) {
            const Verdict& a = fast[i];
            const Verdict& b = reference[i];
            INFO(a.policy);
            // Decisions do not depend on the method.
            CHECK(a.status == b.status);
            CHECK(a.countedFlop == b.countedFlop);
            CHECK(a.marginLog10 == b.marginLog10);
            CHECK(a.missing == b.missing);
            REQUIRE(a.probability.has_value() == b.probability.has_value());
            if (a.status != VerdictStatus::Indeterminate) {
                if (a.probability) CHECK(*a.probability == *b.probability);
                continue;
            }
            ++straddling;
            ++compared;
            for (const std::string& note : a.notes)
                for (const char* m :
                     {"its one uncertain input", "their product)", "quadrature over 2",
                      "through their product", "Fibonacci lattice", "Halton points"})
                    if (note.find(m) != std::string::npos) methods.insert(m);
            CHECK(std::abs(*a.probability - *b.probability) <= 0.005);
            worst = std::max(worst, std::abs(*a.probability - *b.probability));
        }
        CHECK(straddling >= 1);
    }
    CHECK(compared >= 20);
    // One input, two (trapezoid; exact through their product), three (lattice; the product and
    // the trapezoid) and more than three are all exercised.
    CHECK(methods.size() == 6);
    WARN("largest difference from 10^6 draws: " << worst << " over " << compared
                                                << " straddling verdicts");
}

TEST_CASE("samples 0 means no probabilities with the deterministic method too",
          "[evaluation][probability]") {
    Registry reg(R"({"id": "u", "stages": [{"kind": "pretraining",
        "flop": {"low": "5e24", "high": "2e25", "distribution": "uniform"}}]})");
    const Verdict& v =
        verdictOf(verdictsWith(reg, ProbabilityMethod::Deterministic, 0), "eu-ai-act-art51");
    CHECK(v.status == VerdictStatus::Indeterminate);
    CHECK_FALSE(v.probability);
}
