// Condition trees (AND/OR branches), counting scopes, relative thresholds, intervals and
// missing inputs, each against values derived by hand from the rules in docs/policies.md.
#include "test_policy_support.hpp"

using namespace flopledger;
using namespace flopledger::test;

TEST_CASE("SB 1047: compute-and-cost branch and fine-tune-and-cost branch", "[policy][tree]") {
    auto sb = [](const std::string& stages) {
        // The parent is a covered model, as branch (ii) requires (its compute > 1e26).
        Registry reg(R"({"id": "m", "parent": {"id": "base", "training_flop": "2e26"},
                        "stages": [)" +
                     stages + "]}");
        return reg.verdict("ca-sb1047-covered", "2024-09-01");
    };
    // Branch (i): > 1e26 AND cost > $100M.
    CHECK(sb(R"({"kind": "pretraining", "flop": "2e26", "cost_usd": "1.5e8"})").status ==
          VerdictStatus::Exceeds);
    CHECK(sb(R"({"kind": "pretraining", "flop": "2e26", "cost_usd": "1e8"})").status ==
          VerdictStatus::Below);  // exactly $100M is not more than $100M
    CHECK(sb(R"({"kind": "pretraining", "flop": "1e26", "cost_usd": "5e8"})").status ==
          VerdictStatus::Below);
    // Branch (ii): fine-tuning >= 3e25 AND its cost > $10M.
    const std::string base = R"({"kind": "pretraining", "flop": "1e25", "cost_usd": "2e7"}, )";
    CHECK(sb(base + R"({"kind": "fine-tuning", "flop": "3e25", "cost_usd": "1.1e7"})").status ==
          VerdictStatus::Exceeds);
    CHECK(sb(base + R"({"kind": "fine-tuning", "flop": "3e25", "cost_usd": "1e7"})").status ==
          VerdictStatus::Below);
    CHECK(sb(base + R"({"kind": "fine-tuning", "flop": "2.9e25", "cost_usd": "5e7"})").status ==
          VerdictStatus::Below);
}

TEST_CASE("a missing cost makes SB 1047 unknown, naming the field", "[policy][unknown]") {
    Registry reg(oneStage("2e26"));
    const Verdict v = reg.verdict("ca-sb1047-covered", "2024-09-01");
    CHECK(v.status == VerdictStatus::Unknown);
    CHECK(hasMissing(v, "stages[].cost_usd"));
    CHECK_FALSE(v.probability);
    // Below the compute threshold the cost does not matter: the verdict is decided.
    Registry small(oneStage("1e24"));
    const Verdict w = small.verdict("ca-sb1047-covered", "2024-09-01");
    CHECK(w.status == VerdictStatus::Below);
    CHECK(w.missing.empty());
}

TEST_CASE("SB 53 large developer needs the revenue", "[policy][tree][unknown]") {
    Registry none(oneStage("2e26"));
    const Verdict v = none.verdict("ca-sb53-large-developer", "2026-02-01");
    CHECK(v.status == VerdictStatus::Unknown);
    CHECK(hasMissing(v, "developer_revenue_usd"));
    Registry small(oneStage("2e26", R"("developer_revenue_usd": "5e8")"));
    CHECK(small.verdict("ca-sb53-large-developer", "2026-02-01").status == VerdictStatus::Below);
    Registry big(oneStage("2e26", R"("developer_revenue_usd": "500000001")"));
    CHECK(big.verdict("ca-sb53-large-developer", "2026-02-01").status == VerdictStatus::Exceeds);
    CHECK(big.verdict("ca-sb53-frontier", "2026-02-01").status == VerdictStatus::Exceeds);
}

TEST_CASE("NY RAISE 2025: compute-and-cost and the distillation branch", "[policy][tree]") {
    auto raise = [](const std::string& json) {
        Registry reg(json);
        return reg.verdict("ny-raise-2025", "2025-07-01");
    };
    CHECK(raise(oneStage("2e26", "", R"("cost_usd": "1.01e8")")).status == VerdictStatus::Exceeds);
    CHECK(raise(oneStage("2e26", "", R"("cost_usd": "9e7")")).status == VerdictStatus::Below);
    // A student distilled from a > 1e26 teacher, its own compute far below 1e26.
    const std::string student = R"({"id": "s", "parent": {"id": "t", "training_flop": "3e26"},
        "stages": [{"kind": "pretraining", "flop": "1e24", "cost_usd": )";
    const std::string teacherStage =
        R"(}, {"kind": "distillation-teacher", "flop": "1e23", "cost_usd": "1e5"}]})";
    CHECK(raise(student + R"("6e6")" + teacherStage).status == VerdictStatus::Exceeds);
    CHECK(raise(student + R"("5e6")" + teacherStage).status == VerdictStatus::Below);
    // Not distilled: the branch does not apply whatever the parent.
    CHECK(raise(R"({"id": "s", "parent": {"id": "t", "training_flop": "3e26"},
        "stages": [{"kind": "fine-tuning", "flop": "1e24", "cost_usd": "6e6"}]})")
              .status == VerdictStatus::Below);
    // Distilled from a teacher of unknown compute: unknown, naming the parent's compute.
    const Verdict u = raise(R"({"id": "s", "stages": [{"kind": "pretraining", "flop": "1e24",
        "cost_usd": "6e6"}, {"kind": "distillation-teacher", "flop": "1e23", "cost_usd": "1"}]})");
    CHECK(u.status == VerdictStatus::Unknown);
    CHECK(hasMissing(u, "parent.training_flop"));
}

TEST_CASE("NY RAISE 2027 reads the amended act as SB 53 plus revenue, flagged", "[policy][tree]") {
    Registry reg(oneStage("2e26", R"("developer_revenue_usd": "1e9")"));
    const Verdict v = reg.verdict("ny-raise-2027", "2027-02-01");
    CHECK(v.status == VerdictStatus::Exceeds);
    CHECK(hasNote(v, "$100M compute-cost condition"));
}

TEST_CASE("EU counting scope follows Guidelines A.1", "[policy][scope]") {
    auto eu = [](const std::string& second) {
        Registry reg(R"({"id": "m", "stages": [{"kind": "pretraining", "flop": "6e24"}, )" +
                     second + "]}");
        return reg.verdict("eu-ai-act-art51", "2025-09-01");
    };
    // 6e24 + 5e24 = 1.1e25 > 1e25 only if the second stage counts.
    CHECK(eu(R"({"kind": "synthetic-data", "flop": "5e24", "public": false})").status ==
          VerdictStatus::Exceeds);
    CHECK(eu(R"({"kind": "synthetic-data", "flop": "5e24", "public": true})").status ==
          VerdictStatus::Below);
    CHECK(eu(R"({"kind": "continued-pretraining", "flop": "5e24"})").status ==
          VerdictStatus::Exceeds);
    CHECK(eu(R"({"kind": "fine-tuning", "flop": "5e24"})").status == VerdictStatus::Exceeds);
    CHECK(eu(R"({"kind": "rl", "flop": "5e24"})").status == VerdictStatus::Exceeds);
    CHECK(eu(R"({"kind": "merged-parent", "flop": "5e24"})").status == VerdictStatus::Exceeds);
    CHECK(eu(R"({"kind": "evaluation", "flop": "5e24"})").status == VerdictStatus::Below);
    CHECK(eu(R"({"kind": "failed-run", "flop": "5e24"})").status == VerdictStatus::Below);
    CHECK(eu(R"({"kind": "reward-model", "flop": "5e24"})").status == VerdictStatus::Below);
    // The teacher's forward passes count (a contested reading, flagged; see test_policy_law).
    CHECK(eu(R"({"kind": "distillation-teacher", "flop": "5e24"})").status ==
          VerdictStatus::Exceeds);
    CHECK(eu(R"({"kind": "inference", "flop": "5e24"})").status == VerdictStatus::Below);
    const Verdict v = eu(R"({"kind": "synthetic-data", "flop": "5e24"})");
    REQUIRE(v.countedFlop);
    CHECK(v.countedFlop->central == parseExact("1.1e25"));
}

TEST_CASE("EU counting scope leaves recomputation out", "[policy][scope]") {
    // 6 N D = 6 x 1.6e11 x 1e13 = 9.6e24 model FLOP; recomputation would add a forward pass
    // (2 N D = 3.2e24) and cross 1e25, but the EU does not count it.
    Registry reg(
        R"({"id": "m", "architecture": {"family": "generic", "params": "1.6e11", "forward_flop_per_example": "3.2e11"},
        "stages": [{"kind": "pretraining", "tokens": "1e13", "recompute": true}]})");
    const Verdict v = reg.verdict("eu-ai-act-art51", "2025-09-01");
    CHECK(v.status == VerdictStatus::Below);
    REQUIRE(v.countedFlop);
    CHECK(v.countedFlop->central < pow10(25));
    const Policy* p = PolicyCatalog::defaults().find("eu-ai-act-art51");
    CHECK_FALSE(p->scope.recompute);
    CHECK_FALSE(p->scope.publicSyntheticData);
}

TEST_CASE("EU downstream modifier: a third of the original, fallbacks and unknown",
          "[policy][relative]") {
    auto mod = [](const std::string& parent, const std::string& flop) {
        Registry reg(R"({"id": "ft", "parent": )" + parent +
                     R"(, "stages": [{"kind": "fine-tuning", "flop": )" + flop + "}]}");
        return reg.verdict("eu-downstream-modifier", "2025-09-01");
    };
    // Original 3e24: a third is exactly 1e24.
    const std::string known = R"({"id": "base", "training_flop": "3e24"})";
    CHECK(mod(known, "\"1e24\"").status == VerdictStatus::Below);
    CHECK(mod(known, "1000000000000000000000001").status == VerdictStatus::Exceeds);
    const Verdict exact = mod(known, "\"2e24\"");
    REQUIRE(exact.threshold);
    CHECK(*exact.threshold == pow10(24));
    // Unknown original compute, systemic-risk original: 1/3 x 1e25.
    const std::string sr = R"({"id": "base", "systemic_risk": true})";
    CHECK(mod(sr, "\"3.34e24\"").status == VerdictStatus::Exceeds);
    CHECK(mod(sr, "\"3.33e24\"").status == VerdictStatus::Below);
    const Verdict fb = mod(sr, "\"3.34e24\"");
    REQUIRE(fb.threshold);
    CHECK(*fb.threshold == pow10(25) / 3);
    CHECK(hasNote(fb, "fallback"));
    // Not systemic-risk: 1/3 x 1e23.
    const std::string nsr = R"({"id": "base", "systemic_risk": false})";
    CHECK(mod(nsr, "\"3.34e22\"").status == VerdictStatus::Exceeds);
    CHECK(mod(nsr, "\"3.33e22\"").status == VerdictStatus::Below);
    // Nothing known about the original.
    const Verdict u = mod(R"({"id": "base"})", "\"1e30\"");
    CHECK(u.status == VerdictStatus::Unknown);
    CHECK(hasMissing(u, "parent.training_flop"));
    CHECK(hasMissing(u, "parent.systemic_risk"));
    // No parent: not a modification.
    Registry orig(oneStage("1e26"));
    CHECK(orig.verdict("eu-downstream-modifier", "2025-09-01").status == VerdictStatus::Below);
}

TEST_CASE("a parent in the same registry supplies its compute", "[policy][relative]") {
    Registry reg(R"([{"id": "base", "stages": [{"kind": "pretraining", "flop": "3e24"}]},
        {"id": "ft", "parent": {"id": "base"}, "stages": [{"kind": "fine-tuning", "flop": "1.5e24"}]}])");
    const Verdict v = reg.verdict("eu-downstream-modifier", "2025-09-01", 1);
    CHECK(v.status == VerdictStatus::Exceeds);
    REQUIRE(v.threshold);
    CHECK(*v.threshold == pow10(24));
    CHECK(hasNote(v, "registry"));
}

TEST_CASE("EO 14110 bio: 'primarily' is a share above one half", "[policy][tree]") {
    auto bio = [](const std::string& share) {
        Registry reg(oneStage("\"2e23\"", R"("bio_sequence_share": )" + share));
        return reg.verdict("us-eo-14110-bio", "2024-06-01");
    };
    CHECK(bio("0.5").status == VerdictStatus::Below);
    CHECK(bio("\"0.5\"").status == VerdictStatus::Below);
    CHECK(bio("0.5000001").status == VerdictStatus::Exceeds);
    CHECK(bio("\"0.5000001\"").status == VerdictStatus::Exceeds);
    CHECK(hasNote(bio("0.9"), "primarily"));
    // A text-only record answers the bio rule from its modalities (a documented reading,
    // docs/policies.md); a record that names a biological modality, or none, stays unknown.
    Registry textOnly(oneStage("2e23"));
    CHECK(textOnly.verdict("us-eo-14110-bio", "2024-06-01").status == VerdictStatus::Below);
    Registry none(R"({"id": "m", "weights": "closed", "stages": [{"kind": "pretraining", "flop": 2e23}]})");
    const Verdict u = none.verdict("us-eo-14110-bio", "2024-06-01");
    CHECK(u.status == VerdictStatus::Unknown);
    CHECK(hasMissing(u, "bio_sequence_share"));
}

TEST_CASE("EU GPAI indicative criterion needs a generated modality", "[policy][tree]") {
    Registry text(oneStage("2e23"));
    CHECK(text.verdict("eu-gpai-indicative", "2025-09-01").status == VerdictStatus::Exceeds);
    Registry bio(
        R"({"id": "m", "modalities": ["biology"], "stages": [{"kind": "pretraining", "flop": "2e23"}]})");
    CHECK(bio.verdict("eu-gpai-indicative", "2025-09-01").status == VerdictStatus::Below);
    Registry none(R"({"id": "m", "stages": [{"kind": "pretraining", "flop": "2e23"}]})");
    const Verdict u = none.verdict("eu-gpai-indicative", "2025-09-01");
    CHECK(u.status == VerdictStatus::Unknown);
    CHECK(hasMissing(u, "modalities"));
}

TEST_CASE("AI Diffusion 4E091 applies to closed weights only", "[policy][tree]") {
    Registry open(
        R"({"id": "m", "weights": "open", "stages": [{"kind": "pretraining", "flop": "2e26"}]})");
    CHECK(open.verdict("us-ai-diffusion-4e091", "2025-02-01").status == VerdictStatus::Below);
    Registry closed(
        R"({"id": "m", "weights": "closed", "stages": [{"kind": "pretraining", "flop": "9e25"},
        {"kind": "fine-tuning", "flop": "2e25"}]})");
    CHECK(closed.verdict("us-ai-diffusion-4e091", "2025-02-01").status == VerdictStatus::Exceeds);
}

TEST_CASE("BIS NPRM counts the largest single training run", "[policy][tree]") {
    Registry split(R"({"id": "m", "stages": [{"kind": "pretraining", "flop": "9e25"},
        {"kind": "fine-tuning", "flop": "9e25"}]})");
    CHECK(split.verdict("us-bis-nprm-2024", "2024-10-01").status == VerdictStatus::Below);
    CHECK(split.verdict("us-eo-14110-general", "2024-10-01").status == VerdictStatus::Exceeds);
}

TEST_CASE("EO 14110 cluster: exactly 1e20 ops/s meets the unstated comparator, flagged",
          "[policy][cluster]") {
    auto eo = [](const std::string& fields) {
        Registry reg(R"({"type": "cluster", "id": "c", "accelerator": "nvidia-h100-sxm", )" +
                     fields + "}");
        return reg.verdict("us-eo-14110-cluster", "2024-06-01");
    };
    const Verdict at =
        eo(R"("peak_flop_per_s": 1e20, "network_gbit_s": 400, "single_datacenter": true)");
    CHECK(at.status == VerdictStatus::Exceeds);
    CHECK(at.comparator == ">=");
    CHECK(hasNote(at, "unstated"));
    CHECK(
        eo(R"("peak_flop_per_s": "99999999999999999999", "network_gbit_s": 400, "single_datacenter": true)")
            .status == VerdictStatus::Below);
    // Network must be over 100 Gbit/s; two datacenters never qualify.
    CHECK(
        eo(R"("peak_flop_per_s": 1e21, "network_gbit_s": 100, "single_datacenter": true)").status ==
        VerdictStatus::Below);
    CHECK(eo(R"("peak_flop_per_s": 1e21, "network_gbit_s": 400, "single_datacenter": false)")
              .status == VerdictStatus::Below);
    const Verdict u = eo(R"("peak_flop_per_s": 1e21, "network_gbit_s": 400)");
    CHECK(u.status == VerdictStatus::Unknown);
    CHECK(hasMissing(u, "single_datacenter"));
}

TEST_CASE("cluster peak from the hardware table uses dense figures", "[policy][cluster]") {
    const Accelerator* h100 = HardwareCatalog::defaults().find("nvidia-h100-sxm");
    REQUIRE(h100);
    Exact best = 0;
    for (int p = 0; p < kPrecisionCount; ++p)
        if (const PeakFigure* f = h100->peak(static_cast<Precision>(p)))
            best = std::max(best, f->dense);
    REQUIRE(best > 0);
    // The smallest whole chip count whose dense peak reaches 1e20 ops/s.
    const Exact chips = pow10(20) / best;
    BigInt n = numerator(chips) / denominator(chips);
    if (Exact(n) * best < pow10(20)) n += 1;
    auto eo = [&](const BigInt& count) {
        Registry reg(
            R"({"type": "cluster", "id": "c", "accelerator": "nvidia-h100-sxm", "count": )" +
            count.str() + R"(, "network_gbit_s": 400, "single_datacenter": true})");
        return reg.verdict("us-eo-14110-cluster", "2024-06-01");
    };
    CHECK(eo(n).status == VerdictStatus::Exceeds);
    CHECK(eo(n - 1).status == VerdictStatus::Below);
    REQUIRE(eo(n).countedFlop);
    CHECK(eo(n).countedFlop->central == Exact(n) * best);
}

TEST_CASE("BIS NPRM cluster: > 1e20 dense and > 300 Gbit/s", "[policy][cluster]") {
    auto bis = [](const std::string& fields) {
        Registry reg(R"({"type": "cluster", "id": "c", "accelerator": "nvidia-h100-sxm", )" +
                     fields + "}");
        const Policy* p = PolicyCatalog::defaults().find("us-bis-nprm-2024");
        return evaluatePolicy(*p, reg.cluster(), day("2024-10-01"));
    };
    CHECK(bis(R"("peak_flop_per_s": 1e20, "network_gbit_s": 400)").status == VerdictStatus::Below);
    CHECK(bis(R"("peak_flop_per_s": "100000000000000000001", "network_gbit_s": 400)").status ==
          VerdictStatus::Exceeds);
    CHECK(bis(R"("peak_flop_per_s": 1e21, "network_gbit_s": 300)").status == VerdictStatus::Below);
}

TEST_CASE("an interval straddling a threshold is indeterminate with a probability",
          "[policy][interval]") {
    // Log-uniform on [5e24, 2e25]: P(> 1e25) = log(2e25/1e25) / log(2e25/5e24) = 1/2.
    Registry reg(oneStage(R"({"low": "5e24", "high": "2e25"})"));
    const Verdict v = reg.verdict("eu-ai-act-art51", "2025-09-01");
    CHECK(v.status == VerdictStatus::Indeterminate);
    REQUIRE(v.probability);
    CHECK(*v.probability > 0.0);
    CHECK(*v.probability < 1.0);
    CHECK(*v.probability == Approx(0.5).margin(0.06));
    // Deterministic: the same inputs give the same probability.
    CHECK(*reg.verdict("eu-ai-act-art51", "2025-09-01").probability == *v.probability);
    // Entirely above or below: decided, probability exactly 1 or 0.
    Registry above(oneStage(R"({"low": "1.1e25", "high": "2e25"})"));
    CHECK(*above.verdict("eu-ai-act-art51", "2025-09-01").probability == 1.0);
    Registry below(oneStage(R"({"low": "1e24", "high": "1e25"})"));
    const Verdict b = below.verdict("eu-ai-act-art51", "2025-09-01");
    CHECK(b.status == VerdictStatus::Below);
    CHECK(*b.probability == 0.0);
}

TEST_CASE("straddling AND-trees use one shared Monte Carlo", "[policy][interval]") {
    // Compute certainly above, cost straddling $100M uniformly on [5e7, 2.5e8]: P = 150/200.
    Registry reg(oneStage(
        "2e26", "", R"("cost_usd": {"low": "5e7", "high": "2.5e8", "distribution": "uniform"})"));
    const PolicyCatalog& cat = PolicyCatalog::defaults();
    PolicyEvaluator ev(cat.select({"ca-sb1047-covered", "ny-raise-2025", "eu-ai-act-art51"}));
    const auto vs = ev.evaluate(reg.model(), reg.estimates[0], day("2025-07-01"));
    REQUIRE(vs.size() == 3);
    CHECK(vs[0].status == VerdictStatus::Indeterminate);
    CHECK(vs[1].status == VerdictStatus::Indeterminate);
    CHECK(vs[2].status == VerdictStatus::Exceeds);
    REQUIRE(vs[0].probability);
    CHECK(*vs[0].probability == Approx(0.75).margin(0.05));
    CHECK(*vs[0].probability == *vs[1].probability);  // same draws, same condition
}

TEST_CASE("a stage no method can estimate leaves the count open", "[policy][unknown]") {
    Registry reg(
        R"({"id": "m", "stages": [{"kind": "pretraining", "flop": "2e25"}, {"kind": "fine-tuning"}]})");
    // Already above 1e25 without the unknown stage: exceeds.
    CHECK(reg.verdict("eu-ai-act-art51", "2025-09-01").status == VerdictStatus::Exceeds);
    // Not enough for 1e26: unknown, the stage's compute is missing.
    const Verdict v = reg.verdict("ca-sb53-frontier", "2026-02-01");
    CHECK(v.status == VerdictStatus::Unknown);
    CHECK(hasMissing(v, "stages[].flop"));
}

TEST_CASE("policy selection: default set excludes illustrative policies", "[policy][catalog]") {
    const PolicyCatalog& cat = PolicyCatalog::defaults();
    CHECK(cat.all().size() == 20);
    CHECK(cat.defaultIds().size() == 18);
    CHECK(cat.select({}).size() == 18);
    CHECK(cat.select({"all"}).size() == 18);
    CHECK(cat.select({"everything"}).size() == 20);
    CHECK(cat.select({"illustrative-frontier-top10"}).size() == 1);
    try {
        cat.select({"eu-ai-act-art52"});
        FAIL("expected an error");
    } catch (const InputError& e) {
        CHECK(e.diagnostic().code == ErrorCode::UnknownPolicy);
        CHECK(e.diagnostic().message.find("did you mean \"eu-ai-act-art51\"") != std::string::npos);
    }
}
