// Sensitivity: accounting choices that flip a verdict near a threshold.
#include "test_policy_support.hpp"

#include <flopledger/sensitivity.hpp>

#include <cmath>
#include <cstdio>

using namespace flopledger;
using namespace flopledger::test;

namespace {

const SensitivityChoice* find(const SensitivityResult& r, const std::string& choice,
                              const std::string& value) {
    for (const auto& c : r.choices)
        if (c.choice == choice && c.value == value) return &c;
    return nullptr;
}

}  // namespace

TEST_CASE("sensitivity: counting all experts flips a MoE model near 1e25", "[sensitivity]") {
    // 6 x active 1e11 x 1e13 tokens = 6e24 (below); 6 x all 1e12 x 1e13 = 6e25 (above).
    Registry reg(
        R"({"id": "moe", "architecture": {"family": "generic", "params": "1e12", "active_params": "1e11",
        "moe": {"experts": 16, "active": 2}}, "stages": [{"kind": "pretraining", "tokens": "1e13"}]})");
    const Policy* eu = PolicyCatalog::defaults().find("eu-ai-act-art51");
    const SensitivityResult r = analyseSensitivity(reg.model(), *eu, day("2025-09-01"));
    CHECK(r.baseline.status == VerdictStatus::Below);
    const SensitivityChoice* all = find(r, "moe-counting", "all-experts");
    REQUIRE(all);
    CHECK(all->status == VerdictStatus::Exceeds);
    CHECK(all->flips);
    REQUIRE(all->countedFlop);
    CHECK(all->countedFlop->central == parseExact("6e25"));
    CHECK(r.anyFlip());
}

TEST_CASE("sensitivity: a convention change flips a model near 1e25", "[sensitivity]") {
    const std::string arch =
        R"("architecture": {"family": "decoder", "layers": 32, "d_model": 4096, "heads": 32,
        "ffn": 11008, "mlp": "gated", "vocab": 32000})";
    auto total = [&](Convention c, const std::string& tokens) {
        EstimateOptions o;
        o.convention = c;
        Registry reg(R"({"id": "d", )" + arch +
                         R"(, "stages": [{"kind": "pretraining", "tokens": )" + tokens +
                         R"(, "seq_len": 4096}]})",
                     o);
        return toDouble(reg.estimates[0].total.central);
    };
    const double matmul = total(Convention::Matmul, "\"1e12\"");
    const double kaplan = total(Convention::Kaplan, "\"1e12\"");
    REQUIRE(std::abs(matmul / kaplan - 1) > 0.01);
    // Tokens that put 1e25 at the geometric mean of the two conventions' counts.
    char tokens[64];
    std::snprintf(tokens, sizeof tokens, "\"%.6e\"", 1e12 * 1e25 / std::sqrt(matmul * kaplan));
    Registry reg(R"({"id": "d", )" + arch + R"(, "stages": [{"kind": "pretraining", "tokens": )" +
                 tokens + R"(, "seq_len": 4096}]})");
    const Policy* eu = PolicyCatalog::defaults().find("eu-ai-act-art51");
    const SensitivityResult r = analyseSensitivity(reg.model(), *eu, day("2025-09-01"));
    const SensitivityChoice* k = find(r, "convention", "kaplan");
    REQUIRE(k);
    CHECK(k->flips);
    CHECK(k->status == (matmul > kaplan ? VerdictStatus::Below : VerdictStatus::Exceeds));
    CHECK(r.baseline.status == (matmul > kaplan ? VerdictStatus::Exceeds : VerdictStatus::Below));
}

TEST_CASE("sensitivity: stage scope toggles and a stable verdict", "[sensitivity]") {
    Registry reg(R"({"id": "m", "stages": [{"kind": "pretraining", "flop": "8e24"},
        {"kind": "evaluation", "flop": "3e24"}, {"kind": "fine-tuning", "flop": "3e24"}]})");
    const Policy* eu = PolicyCatalog::defaults().find("eu-ai-act-art51");
    const SensitivityResult r = analyseSensitivity(reg.model(), *eu, day("2025-09-01"));
    CHECK(r.baseline.status == VerdictStatus::Exceeds);  // 8e24 + 3e24 fine-tuning
    const SensitivityChoice* ft = find(r, "stage-scope", "exclude fine-tuning");
    REQUIRE(ft);
    CHECK(ft->flips);
    CHECK(ft->status == VerdictStatus::Below);
    const SensitivityChoice* ev = find(r, "stage-scope", "include evaluation");
    REQUIRE(ev);
    CHECK_FALSE(ev->flips);
    REQUIRE(ev->countedFlop);
    CHECK(ev->countedFlop->central == parseExact("1.4e25"));
    // Far from any threshold nothing flips.
    Registry far(R"({"id": "m", "stages": [{"kind": "pretraining", "flop": "1e20"}]})");
    CHECK_FALSE(analyseSensitivity(far.model(), *eu, day("2025-09-01")).anyFlip());
}

TEST_CASE("sensitivity: utilization and precision of a hardware estimate", "[sensitivity]") {
    // The hardware method: chips x seconds x dense peak x utilization. Pick the hours so that
    // the assumed-utilization range 0.2..0.6 straddles 1e25 (0.2 gives a third of 0.6).
    const Accelerator* h100 = HardwareCatalog::defaults().find("nvidia-h100-sxm");
    REQUIRE(h100);
    const PeakFigure* bf16 = h100->peak(Precision::Bf16);
    REQUIRE(bf16);
    // chip-seconds such that 0.4 x peak x chip-seconds = 1e25.
    const double chipHours = 1e25 / (0.4 * toDouble(bf16->dense)) / 3600;
    char buf[400];
    std::snprintf(
        buf, sizeof buf,
        R"({"id": "h", "stages": [{"kind": "pretraining", "hardware": {"accelerator": "nvidia-h100-sxm",
                  "chip_hours": "%.6e", "precision": "bf16"}}]})",
        chipHours);
    Registry reg(buf);
    const Policy* eu = PolicyCatalog::defaults().find("eu-ai-act-art51");
    const SensitivityResult r = analyseSensitivity(reg.model(), *eu, day("2025-09-01"));
    const SensitivityChoice* low = find(r, "utilization", "low");
    const SensitivityChoice* high = find(r, "utilization", "high");
    REQUIRE(low);
    REQUIRE(high);
    CHECK(low->status == VerdictStatus::Below);
    CHECK(high->status == VerdictStatus::Exceeds);
    CHECK(low->flips != high->flips);
    // Every precision whose dense peak differs from bf16's is listed (contract 7.6: rows that
    // change nothing, bf16 itself and fp16 at the same peak, are left out).
    for (int p = 0; p < kPrecisionCount; ++p) {
        const auto peak = h100->peak(static_cast<Precision>(p));
        const bool listed = find(r, "precision", std::string(toString(static_cast<Precision>(p))));
        if (peak && bf16 && peak->dense != bf16->dense) CHECK(listed);
        if (peak && bf16 && peak->dense == bf16->dense) CHECK_FALSE(listed);
    }
}

TEST_CASE("sensitivity: windowed blocks read as full attention, the MTP module excluded",
          "[sensitivity][features]") {
    // Per token (seq 8, window 2, every block windowed): d 8, q 8, ffn 16 plain, V 10, L 1.
    // windowed: proj 512 + scores 32 + values 32 + mlp 512 + logits 160 = 1248; full: 1440.
    // MTP (1 module): projection 2 x 2d x d = 256, one block (windowed like every block:
    // 512 + 32 + 32 + 512 = 1088; full: 1280), head 160.
    Registry reg(
        R"({"id": "w", "architecture": {"family": "decoder", "layers": 1, "d_model": 8,
        "heads": 2, "ffn": 16, "vocab": 10, "sliding_window": 2, "mtp_depth": 1},
        "stages": [{"kind": "pretraining", "tokens": "1e21", "seq_len": 8}]})");
    const Policy* eu = PolicyCatalog::defaults().find("eu-ai-act-art51");
    const SensitivityResult r = analyseSensitivity(reg.model(), *eu, day("2025-09-01"));
    REQUIRE(r.baseline.countedFlop);
    CHECK(r.baseline.countedFlop->central == parseExact("3e21") * (1248 + 256 + 1088 + 160));
    const SensitivityChoice* full = find(r, "windowed-attention", "counted as full attention");
    REQUIRE(full);
    REQUIRE(full->countedFlop);
    CHECK(full->countedFlop->central == parseExact("3e21") * (1440 + 256 + 1280 + 160));
    const SensitivityChoice* mtp = find(r, "mtp-module", "excluded");
    REQUIRE(mtp);
    REQUIRE(mtp->countedFlop);
    CHECK(mtp->countedFlop->central == parseExact("3e21") * 1248);
}
