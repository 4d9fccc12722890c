// The streaming engine hands every written estimate back (detail::giveBackEstimate) and the
// thread's next estimate is written into its stages: a reused stage must come out exactly as a
// fresh one, whatever the previous record left in it (more or fewer stages, methods, recompute,
// hardware capacity, implied utilization, breakdown, label, cost, public flags).
#include "estimate/estimate_parts.hpp"
#include "test_estimator_support.hpp"

#include <flopledger/record_reader.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace flopledger;
using namespace flopledger::test;

namespace {

Quantity uncertain(const char* low, const char* central, const char* high) {
    return Quantity(Interval{ex(low), ex(central), ex(high)}, Distribution::Triangular);
}

HardwareUse hardware(const char* accelerator, Quantity count, const char* utilization) {
    HardwareUse h;
    h.accelerator = accelerator;
    h.count = std::move(count);
    h.hours = qn(30 * 24);
    h.precision = Precision::Bf16;
    if (utilization) h.utilization = qs(utilization);
    return h;
}

/// Records whose stages differ in every field a StageEstimate has, in both directions.
std::vector<ModelRecord> records() {
    std::vector<ModelRecord> out;
    ReadLimits limits;
    limits.lowerLayers = false;
    for (const Record& r :
         RecordReader(limits).readPath(std::string(FLOPLEDGER_SOURCE_DIR) + "/models").records) {
        if (const auto* m = std::get_if<ModelRecord>(&r)) out.push_back(*m);
    }
    // Recompute, a hardware stage with an implied utilization (no utilization given: assumed),
    // uncertain inputs, a label, a cost and a public synthetic-data stage.
    ModelRecord a = gpt3();
    a.id = "many-stages";
    a.stages[0].recompute = true;
    a.stages[0].label = "a long label that needs its own allocation, longer than SSO";
    a.stages[0].costUsd = uncertain("1e6", "2e6", "4e6");
    Stage hw;
    hw.kind = StageKind::FineTuning;
    hw.tokens = uncertain("1e9", "3e9", "9e9");
    hw.seqLen = qn(2048);
    hw.hardware = hardware("nvidia-h100-sxm", uncertain("64", "128", "512"), nullptr);
    hw.recompute = true;
    hw.pointer = "/stages/1";
    a.stages.push_back(hw);
    Stage syn;
    syn.kind = StageKind::SyntheticData;
    syn.flop = uncertain("1e20", "1e21", "1e22");
    syn.isPublic = true;
    syn.pointer = "/stages/2";
    a.stages.push_back(syn);
    Stage big;  // a stated FLOP count above 2^64 (two-limb values)
    big.kind = StageKind::Rl;
    big.flop = qs("322912029081600000000000");
    big.pointer = "/stages/3";
    a.stages.push_back(big);
    out.push_back(a);
    // One plain stage: the previous record's fields must not survive in it.
    ModelRecord b = tiny();
    b.id = "one-stage";
    out.push_back(b);
    // A hardware-only stage with a stated utilization and no operation count.
    ModelRecord c;
    c.id = "hardware-only";
    Stage h;
    h.hardware = hardware("nvidia-a100", qn(1000), "0.4");
    h.pointer = "/stages/0";
    c.stages.push_back(h);
    out.push_back(c);
    // No method applies (flop 0, a MissingInputs warning), then none at all.
    ModelRecord d;
    d.id = "no-method";
    d.stages.emplace_back();
    out.push_back(d);
    ModelRecord empty;
    empty.id = "no-stages";
    out.push_back(empty);
    out.push_back(a);
    return out;
}

void checkOptional(const std::optional<Interval>& got, const std::optional<Interval>& want,
                   const char* what) {
    INFO(what);
    REQUIRE(got.has_value() == want.has_value());
    if (want) CHECK(*got == *want);
}

void checkSame(const ModelEstimate& got, const ModelEstimate& want) {
    INFO("record " << want.id);
    CHECK(got.id == want.id);
    CHECK(got.name == want.name);
    CHECK(got.total == want.total);
    CHECK(got.byKind == want.byKind);
    REQUIRE(got.stages.size() == want.stages.size());
    for (std::size_t i = 0; i < want.stages.size(); ++i) {
        INFO("stage " << i);
        const StageEstimate& g = got.stages[i];
        const StageEstimate& w = want.stages[i];
        CHECK(g.kind == w.kind);
        CHECK(g.label == w.label);
        CHECK(g.method == w.method);
        CHECK(g.flop == w.flop);
        for (std::size_t k = 0; k < w.methods.size(); ++k)
            checkOptional(g.methods[k], w.methods[k], "method");
        REQUIRE(g.breakdown.size() == w.breakdown.size());
        for (std::size_t c = 0; c < w.breakdown.size(); ++c) {
            CHECK(g.breakdown[c].name == w.breakdown[c].name);
            CHECK(g.breakdown[c].flop == w.breakdown[c].flop);
        }
        checkOptional(g.impliedUtilization, w.impliedUtilization, "implied utilization");
        checkOptional(g.recomputeFlop, w.recomputeFlop, "recompute");
        checkOptional(g.hardwareCapacity, w.hardwareCapacity, "hardware capacity");
        CHECK(g.isPublic == w.isPublic);
        CHECK(g.declaredPublic == w.declaredPublic);
        REQUIRE(g.costUsd.has_value() == w.costUsd.has_value());
        if (w.costUsd) {
            CHECK(g.costUsd->value == w.costUsd->value);
            CHECK(g.costUsd->distribution == w.costUsd->distribution);
            CHECK(g.costUsd->sampleIndex == w.costUsd->sampleIndex);
        }
    }
    REQUIRE(got.warnings.size() == want.warnings.size());
    for (std::size_t i = 0; i < want.warnings.size(); ++i)
        CHECK(got.warnings[i].toString() == want.warnings[i].toString());
}

}  // namespace

TEST_CASE("an estimate written into the previous estimate's stages equals a fresh one",
          "[estimate][reuse]") {
    const std::vector<ModelRecord> rs = records();
    REQUIRE(rs.size() > 100);
    const Estimator estimator;
    for (const bool all : {true, false}) {
        const detail::EstimateParts parts{all, all};
        // Fresh estimates: nothing handed back to this thread (the first takes any spare and
        // drops it).
        (void)detail::estimateModel(estimator, rs.back(), parts);
        std::vector<ModelEstimate> fresh;
        for (const ModelRecord& r : rs) fresh.push_back(detail::estimateModel(estimator, r, parts));
        // The same records in three orders, each estimate handed back once checked.
        const std::size_t n = rs.size();
        for (int order = 0; order < 3; ++order) {
            for (std::size_t j = 0; j < n; ++j) {
                const std::size_t i = order == 0   ? j
                                      : order == 1 ? n - 1 - j
                                                   : (j % 2 ? n - 1 - j / 2 : j / 2);
                ModelEstimate e = detail::estimateModel(estimator, rs[i], parts);
                checkSame(e, fresh[i]);
                detail::giveBackEstimate(std::move(e));
            }
        }
    }
}
