// The ledger: totals by kind and counting scopes.
#include "test_estimator_support.hpp"

#include <catch2/catch.hpp>

using namespace flopledger;
using namespace flopledger::test;

namespace {

Stage stated(StageKind k, const char* flop) {
    Stage s;
    s.kind = k;
    s.flop = qs(flop);
    return s;
}

}  // namespace

TEST_CASE("every stage kind is estimated and totalled by kind", "[ledger]") {
    ModelRecord r;
    r.id = "ledger";
    const StageKind kinds[] = {StageKind::Pretraining,   StageKind::ContinuedPretraining,
                               StageKind::FineTuning,    StageKind::Rl,
                               StageKind::SyntheticData, StageKind::DistillationTeacher,
                               StageKind::RewardModel,   StageKind::MergedParent,
                               StageKind::Evaluation,    StageKind::FailedRun,
                               StageKind::Inference,     StageKind::Other};
    for (int i = 0; i < kStageKindCount; ++i) {
        // stage i states 10^i FLOP, so every total identifies its stages
        r.stages.push_back(stated(kinds[i], ("1e" + std::to_string(i)).c_str()));
    }
    r.stages.push_back(stated(StageKind::FineTuning, "5e2"));
    ModelEstimate e = Estimator().estimate(r);
    CHECK(e.total.central == Exact(BigInt("111111111111")) + 500);
    CHECK(e.byKind[static_cast<std::size_t>(StageKind::FineTuning)].central == 600);
    CHECK(e.byKind[static_cast<std::size_t>(StageKind::Other)].central == ex("1e11"));
    CHECK(countedFlop(e, CountingScope::all()) == e.total);
    // training only: pretraining 1, continued 10, fine-tuning 100 + 500, rl 1000,
    // merged parent 1e7
    CHECK(countedFlop(e, CountingScope::trainingOnly()).central == 1 + 10 + 600 + 1000 + 10000000);
}

TEST_CASE("public synthetic data counts only when the scope says so", "[ledger]") {
    ModelRecord r;
    r.id = "syn";
    r.stages.push_back(stated(StageKind::Pretraining, "1e24"));
    Stage pub = stated(StageKind::SyntheticData, "1e22");
    pub.isPublic = true;
    r.stages.push_back(pub);
    r.stages.push_back(stated(StageKind::SyntheticData, "3e22"));  // not public
    ModelEstimate e = Estimator().estimate(r);
    CHECK(e.stages[1].isPublic);
    CountingScope eu = CountingScope::trainingOnly();
    eu.include[static_cast<std::size_t>(StageKind::SyntheticData)] = true;
    CHECK(countedFlop(e, eu).central == ex("1.03e24"));
    eu.publicSyntheticData = true;
    CHECK(countedFlop(e, eu).central == ex("1.04e24"));
    CHECK(eu.includes(e.stages[0]));
}

TEST_CASE("recomputation counts only in scopes that include it", "[ledger]") {
    ModelRecord r = tiny();
    r.architecture->params = qn(1696);
    r.stages[0].recompute = true;
    ModelEstimate e = Estimator().estimate(r);
    // one extra forward of the blocks: 1000 x (3488 - 160 logits)
    REQUIRE(e.stages[0].recomputeFlop);
    CHECK(e.stages[0].recomputeFlop->central == 3328 * 1000);
    CountingScope s = CountingScope::trainingOnly();
    CHECK(countedFlop(e, s).central == 3 * 3488 * 1000);
    s.recompute = true;
    CHECK(countedFlop(e, s).central == 3 * 3488 * 1000 + 3328 * 1000);
    // without an architecture count, recompute is one more 2ND pass
    EstimateOptions o;
    o.prefer = {Method::SixNd};
    r.architecture->heads.reset();
    e = Estimator(o).estimate(r);
    CHECK(e.stages[0].recomputeFlop->central == 2 * 1696 * 1000);
}
