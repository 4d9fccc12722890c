// SampleEngine::useProducts (the deterministic probabilities' fast path): a record's stages as
// products of powers of their inputs, fitted and checked per record. Where it applies, every
// stage's value at any input setting equals the stage's plan evaluated there to 1e-12
// (relative); where a stage is not such a product (a drawn sequence length adds an attention
// term, a drawn layer count leaves the embeddings fixed) it must refuse.
#include "test_policy_support.hpp"

#include "estimate/sampling.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

using namespace flopledger;
using namespace flopledger::test;

namespace {

// Every stage's FLOP and recompute FLOP at quantiles q (one per input), from a fresh engine
// (the stages' plans) or from one in product mode.
std::vector<double> stagesAt(detail::SampleEngine& e, const std::vector<double>& q) {
    for (std::size_t k = 0; k < e.inputCount(); ++k) e.set(k, e.quantile(k, q[k]));
    e.evaluate();
    std::vector<double> out = e.sample().stageFlop;
    out.insert(out.end(), e.sample().stageRecompute.begin(), e.sample().stageRecompute.end());
    return out;
}

bool productsApply(const char* json, int& compared) {
    Registry reg(json);
    const Estimator estimator;
    const ModelRecord& r = reg.model();
    const std::vector<char> needed(r.stages.size(), 1);
    detail::SampleEngine plain(estimator, r, needed);
    detail::SampleEngine products(estimator, r, needed);
    const bool applies = products.useProducts();
    const std::size_t n = plain.inputCount();
    // A grid of points none of which the fit or its check used.
    for (double a : {0.0, 0.137, 0.5, 0.862, 1.0}) {
        for (double b : {0.071, 0.333, 0.999}) {
            std::vector<double> q(n);
            for (std::size_t k = 0; k < n; ++k) q[k] = k % 2 == 0 ? a : b;
            const auto want = stagesAt(plain, q);
            const auto got = stagesAt(products, q);
            REQUIRE(want.size() == got.size());
            for (std::size_t i = 0; i < want.size(); ++i) {
                INFO(r.id << " value " << i << " at " << a << ", " << b);
                CHECK(std::abs(got[i] - want[i]) <= 1e-12 * std::abs(want[i]));
                ++compared;
            }
        }
    }
    return applies;
}

}  // namespace

TEST_CASE("stages as products of their inputs equal the stages' plans, or are refused",
          "[probability][products]") {
    int compared = 0;
    // 6ND with both inputs drawn; a hardware stage (chips x hours x peak x utilization) and
    // stated stages beside it; tokens from examples x sequence length.
    CHECK(productsApply(R"({"id": "nd", "architecture": {"family": "generic",
            "params": {"low": "1e11", "high": "8e11", "distribution": "log-uniform"}},
            "stages": [{"kind": "pretraining",
            "tokens": {"low": "5e12", "high": "3e13", "distribution": "uniform"}}]})",
                        compared));
    CHECK(productsApply(R"({"id": "four-stage", "architecture": {"family": "generic",
            "params": "7e10"}, "stages": [
            {"kind": "pretraining", "tokens": {"low": "3e12", "high": "2e13", "central": "8e12",
             "distribution": "triangular"}},
            {"kind": "fine-tuning", "flop": {"low": "1e23", "high": "9e24",
             "distribution": "uniform"}},
            {"kind": "rl", "flop": {"low": "1e23", "high": "5e24"}},
            {"kind": "continued-pretraining", "hardware": {"accelerator": "nvidia-h100-sxm",
             "count": {"low": "2048", "high": "8192"}, "hours": 500, "precision": "bf16",
             "utilization": {"low": "0.2", "high": "0.5", "distribution": "uniform"}}}]})",
                        compared));
    // A decoder whose sequence length is fixed: FLOP per token fixed, tokens drawn.
    CHECK(productsApply(R"({"id": "d", "architecture": {"family": "decoder", "layers": 40,
            "d_model": 2048, "heads": 32, "kv_heads": 8, "ffn": 6144, "mlp": "gated",
            "vocab": 50257}, "stages": [{"kind": "pretraining", "seq_len": 4096,
            "tokens": {"low": "4.287e+11", "high": "1.835e+12", "central": "8.869e+11",
            "distribution": "triangular"}}]})",
                        compared));
    // Not products: a drawn sequence length (attention grows with it on top of the rest) and
    // a drawn layer count (the embeddings do not grow with it).
    CHECK_FALSE(productsApply(R"({"id": "s", "architecture": {"family": "decoder", "layers": 12,
            "d_model": 768, "heads": 12, "ffn": 3072, "vocab": 50257},
            "stages": [{"kind": "pretraining", "tokens": "3e11",
            "seq_len": {"low": "1024", "high": "8192"}}]})",
                              compared));
    CHECK_FALSE(productsApply(R"({"id": "l", "architecture": {"family": "decoder",
            "layers": {"low": "20", "high": "40"}, "d_model": 2048, "heads": 16, "ffn": 8192,
            "vocab": 32000}, "stages": [{"kind": "pretraining",
            "tokens": {"low": "1e11", "high": "1e12"}, "seq_len": 2048}]})",
                              compared));
    CHECK(compared >= 100);
}
