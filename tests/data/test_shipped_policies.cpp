// The shipped policies: the contract's fourteen ids, each traceable to its source, with the
// comparators and values of docs/policies.md.
#include <flopledger/policy_catalog.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>

using namespace flopledger;

namespace {

const char* kContractIds[] = {"eu-ai-act-art51", "eu-gpai-indicative", "eu-downstream-modifier",
                              "us-eo-14110-general", "us-eo-14110-bio", "us-eo-14110-cluster",
                              "us-bis-nprm-2024", "us-ai-diffusion-4e091", "ca-sb1047-covered",
                              "ca-sb53-frontier", "ca-sb53-large-developer", "ny-raise-2025",
                              "ny-raise-2027", "kr-ai-basic-act",
                              // Added after the contract (issue 14): the law as of late 2026.
                              "ny-raise-2027-frontier", "ct-sb5-frontier", "ct-sb5-large-developer",
                              "il-sb315-large-developer"};

bool namesItsSource(const std::string& s) {
    return s.rfind("primary: ", 0) == 0 || s.rfind("secondary: ", 0) == 0;
}

void leaves(const Condition& c, std::vector<const Condition*>& out) {
    if (c.op == Condition::Op::Leaf) {
        out.push_back(&c);
        return;
    }
    for (const auto& ch : c.children) leaves(ch, out);
}

std::vector<const Condition*> leavesOf(const Policy& p) {
    std::vector<const Condition*> out;
    if (p.conditions) leaves(*p.conditions, out);
    if (p.clusterConditions) leaves(*p.clusterConditions, out);
    return out;
}

}  // namespace

TEST_CASE("the contract ids and the later regimes are shipped and are the default set",
          "[policy][shipped]") {
    const PolicyCatalog& cat = PolicyCatalog::defaults();
    std::vector<std::string> expected(std::begin(kContractIds), std::end(kContractIds));
    std::sort(expected.begin(), expected.end());
    CHECK(cat.defaultIds() == expected);
    for (const Policy& p : cat.all()) {
        INFO(p.id);
        CHECK(p.file == "policies/" + p.id + ".json");
        CHECK_FALSE(p.title.empty());
        CHECK_FALSE(p.instrument.name.empty());
        REQUIRE_FALSE(p.citations.empty());
        for (const Citation& c : p.citations) CHECK(c.url.rfind("https://", 0) == 0);
        CHECK_FALSE(p.history.empty());
        CHECK((p.conditions || p.clusterConditions));
        CHECK(p.illustrative == (p.id.rfind("illustrative-", 0) == 0));
        CHECK_FALSE(describeConditions(p).empty());
        CHECK(describePolicy(p).find(p.id) == 0);
        // Provenance: when the sources were checked, and the source of every threshold and date.
        REQUIRE(p.verifiedOn);
        CHECK(*p.verifiedOn <= *Date::parse("2026-12-07"));
        CHECK(describePolicy(p).find("verified on:  " + p.verifiedOn->toString()) !=
              std::string::npos);
        CHECK(namesItsSource(p.thresholdSource));
        for (const StatusEvent& e : p.history) {
            INFO(e.date.toString() << " " << e.event);
            CHECK(namesItsSource(e.source));
        }
    }
}

TEST_CASE("shipped thresholds and comparators match the texts", "[policy][shipped]") {
    struct Expect {
        const char* id;
        Metric metric;
        const char* comparator;
        const char* value;
    };
    const Expect expects[] = {
        {"eu-ai-act-art51", Metric::TrainingCompute, ">", "1e25"},
        {"eu-gpai-indicative", Metric::TrainingCompute, ">", "1e23"},
        {"us-eo-14110-general", Metric::TrainingCompute, ">", "1e26"},
        {"us-eo-14110-bio", Metric::TrainingCompute, ">", "1e23"},
        {"us-eo-14110-bio", Metric::BioSequenceShare, ">", "0.5"},
        {"us-eo-14110-cluster", Metric::ClusterNetwork, ">", "100"},
        {"us-eo-14110-cluster", Metric::ClusterPeak, "unstated", "1e20"},
        {"us-bis-nprm-2024", Metric::LargestStageCompute, ">", "1e26"},
        {"us-bis-nprm-2024", Metric::ClusterPeak, ">", "1e20"},
        {"us-bis-nprm-2024", Metric::ClusterNetwork, ">", "300"},
        {"us-ai-diffusion-4e091", Metric::TrainingCompute, ">", "1e26"},
        {"ca-sb1047-covered", Metric::TrainingCompute, ">", "1e26"},
        {"ca-sb1047-covered", Metric::TrainingCompute, ">=", "3e25"},
        {"ca-sb1047-covered", Metric::ComputeCost, ">", "1e8"},
        {"ca-sb1047-covered", Metric::ComputeCost, ">", "1e7"},
        {"ca-sb53-frontier", Metric::TrainingCompute, ">", "1e26"},
        {"ca-sb53-large-developer", Metric::DeveloperRevenue, ">", "5e8"},
        {"ny-raise-2025", Metric::ComputeCost, ">", "1e8"},
        {"ny-raise-2025", Metric::ComputeCost, ">", "5e6"},
        {"ny-raise-2027", Metric::TrainingCompute, ">", "1e26"},
        {"kr-ai-basic-act", Metric::TrainingCompute, ">=", "1e26"},
        {"ny-raise-2027-frontier", Metric::TrainingCompute, ">", "1e26"},
        {"ct-sb5-frontier", Metric::TrainingCompute, ">", "1e26"},
        {"ct-sb5-large-developer", Metric::TrainingCompute, ">", "1e26"},
        {"ct-sb5-large-developer", Metric::DeveloperRevenue, ">", "5e8"},
        {"il-sb315-large-developer", Metric::TrainingCompute, ">", "1e26"},
        {"il-sb315-large-developer", Metric::DeveloperRevenue, ">", "5e8"},
        {"ca-sb1047-covered", Metric::ParentTrainingCompute, ">", "1e26"},
    };
    for (const Expect& e : expects) {
        INFO(e.id << " " << toString(e.metric) << " " << e.comparator << " " << e.value);
        const Policy* p = PolicyCatalog::defaults().find(e.id);
        REQUIRE(p);
        const auto ls = leavesOf(*p);
        CHECK(std::any_of(ls.begin(), ls.end(), [&](const Condition* c) {
            return c->metric == e.metric && toString(c->comparator) == e.comparator &&
                   c->threshold.kind == ThresholdKind::Constant &&
                   c->threshold.value == parseExact(e.value);
        }));
    }
    // The unstated comparator of the EO cluster is read as ">=".
    const auto eo = leavesOf(*PolicyCatalog::defaults().find("us-eo-14110-cluster"));
    for (const Condition* c : eo)
        if (c->comparator == Comparator::Unstated) CHECK(c->reading == Comparator::GreaterEqual);
    // Modifier: a third, fallbacks 1e25 and 1e23.
    const auto mod = leavesOf(*PolicyCatalog::defaults().find("eu-downstream-modifier"));
    REQUIRE(mod.size() == 1);
    CHECK(mod[0]->threshold.kind == ThresholdKind::RelativeToParent);
    CHECK(mod[0]->threshold.value == Exact(1) / 3);
    CHECK(*mod[0]->threshold.fallbackIfSystemicRisk == pow10(25));
    CHECK(*mod[0]->threshold.fallbackOtherwise == pow10(23));
}

TEST_CASE("EU counting scope per Guidelines A.1", "[policy][shipped]") {
    const CountingScope& s = PolicyCatalog::defaults().find("eu-ai-act-art51")->scope;
    auto in = [&](StageKind k) { return s.include[static_cast<std::size_t>(k)]; };
    // The teacher's forward passes are counted (a flagged reading; the other is an alternative).
    for (StageKind k : {StageKind::Pretraining, StageKind::ContinuedPretraining,
                        StageKind::FineTuning, StageKind::Rl, StageKind::SyntheticData,
                        StageKind::DistillationTeacher, StageKind::MergedParent})
        CHECK(in(k));
    for (StageKind k : {StageKind::RewardModel, StageKind::Evaluation, StageKind::FailedRun,
                        StageKind::Inference})
        CHECK_FALSE(in(k));
    CHECK_FALSE(s.publicSyntheticData);
    CHECK_FALSE(s.recompute);
}

TEST_CASE("open readings are flagged in the policies", "[policy][shipped]") {
    auto flagged = [](const char* id, const char* fragment) {
        const Policy* p = PolicyCatalog::defaults().find(id);
        std::string all;
        for (const auto& r : p->readings) all += r + "\n";
        for (const Condition* c : leavesOf(*p)) all += c->note + "\n";
        std::function<void(const Condition&)> nodes = [&](const Condition& c) {
            all += c.note + "\n";
            for (const auto& ch : c.children) nodes(ch);
        };
        if (p->conditions) nodes(*p->conditions);
        return all.find(fragment) != std::string::npos;
    };
    CHECK(flagged("us-eo-14110-cluster", "unstated"));
    CHECK(flagged("us-eo-14110-bio", "primarily"));
    CHECK(flagged("ny-raise-2027", "$100M compute-cost condition"));
    CHECK(flagged("eu-ai-act-art51", "contested"));
    CHECK(flagged("us-bis-nprm-2024", "dormant"));
    CHECK(flagged("ca-sb53-large-developer", "contested"));
    CHECK(flagged("ca-sb53-frontier", "material modifications"));
}
