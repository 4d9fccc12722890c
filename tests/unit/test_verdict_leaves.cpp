// explainVerdicts' fast path (the evaluator's per-leaf outcomes reused, compute-leaf texts made
// once per record: policy/leaf_results.hpp) against its reference (every leaf re-read), over the
// shipped models and every shipped policy, on dates before, between and after the thresholds'
// events: the same compute status, reason, missing inputs and lower-bound fields.
#include "test_policy_support.hpp"

#include <flopledger/verdict_explain.hpp>

#include "base/exact_fast.hpp"
#include "policy/leaf_results.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

using namespace flopledger;
using namespace flopledger::test;

namespace {

struct Models {
    std::vector<Record> records;
    std::vector<const ModelRecord*> models;
    std::vector<ModelEstimate> estimates;
    RegistryContext context;

    Models() {
        const std::filesystem::path dir = std::filesystem::path(FLOPLEDGER_SOURCE_DIR) / "models";
        std::vector<std::filesystem::path> files;
        for (const auto& e : std::filesystem::directory_iterator(dir))
            if (e.path().extension() == ".json") files.push_back(e.path());
        std::sort(files.begin(), files.end());
        for (const auto& f : files) {
            ReadResult r = RecordReader().readPath(f.string());
            REQUIRE(r.ok());
            for (Record& rec : r.records) records.push_back(std::move(rec));
        }
        for (const Record& r : records)
            if (const auto* m = std::get_if<ModelRecord>(&r)) models.push_back(m);
        Estimator estimator;
        estimates.reserve(models.size());
        for (const ModelRecord* m : models) estimates.push_back(estimator.estimate(*m));
        for (std::size_t i = 0; i < models.size(); ++i) context.add(*models[i], estimates[i]);
    }
};

void checkSame(const Verdict& fast, const Verdict& ref) {
    INFO(ref.policy);
    CHECK(fast.status == ref.status);
    CHECK(fast.computeStatus == ref.computeStatus);
    CHECK(fast.reason == ref.reason);
    CHECK(fast.missing == ref.missing);
    CHECK(fast.lowerBound == ref.lowerBound);
    CHECK(fast.disclosedStatus == ref.disclosedStatus);
    CHECK(fast.assumptions == ref.assumptions);
}

}  // namespace

TEST_CASE("explained verdicts: the evaluator's leaf outcomes give the re-read reasons",
          "[verdicts][fast-paths]") {
    const Models m;
    REQUIRE(m.models.size() > 20);
    const std::vector<const Policy*> policies = PolicyCatalog::defaults().select({});
    REQUIRE(policies.size() > 10);
    for (const bool assume : {false, true}) {
        EvaluationOptions eo;
        eo.registry = &m.context;
        eo.monteCarlo.samples = 0;  // the reasons do not depend on probabilities
        const PolicyEvaluator evaluator(policies, eo);
        ExplainOptions xo;
        xo.evaluation = eo;
        if (assume) xo.assumeUndisclosed = Exact(1);
        std::size_t reasons = 0;
        for (const char* date : {"2023-06-01", "2025-09-01", "2026-06-01", "2031-01-01"}) {
            const Date asOf = day(date);
            for (std::size_t i = 0; i < m.models.size(); ++i) {
                INFO(m.models[i]->id << " " << date << " assume " << assume);
                std::vector<Verdict> fast = evaluator.evaluate(*m.models[i], m.estimates[i], asOf);
                // The evaluator kept its outcomes for these verdicts (the fast path is taken);
                // a copy has another buffer: its explanation re-reads every leaf.
                if constexpr (detail::kFastPaths)
                    REQUIRE(detail::threadLeafResults().verdicts == fast.data());
                std::vector<Verdict> ref = fast;
                explainVerdicts(*m.models[i], m.estimates[i], evaluator.policies(), asOf, fast, xo);
                explainVerdicts(*m.models[i], m.estimates[i], evaluator.policies(), asOf, ref, xo);
                REQUIRE(fast.size() == ref.size());
                for (std::size_t k = 0; k < fast.size(); ++k) {
                    checkSame(fast[k], ref[k]);
                    if (!ref[k].reason.empty()) ++reasons;
                }
            }
        }
        CHECK(reasons > 1000);
    }
}

TEST_CASE("explained verdicts: a second explanation of the same verdicts re-reads them",
          "[verdicts][fast-paths]") {
    const Models m;
    const std::vector<const Policy*> policies = PolicyCatalog::defaults().select({});
    const PolicyEvaluator evaluator(policies, EvaluationOptions{});
    const Date asOf = day("2026-06-01");
    std::vector<Verdict> v = evaluator.evaluate(*m.models[0], m.estimates[0], asOf);
    std::vector<Verdict> ref = v;
    explainVerdicts(*m.models[0], m.estimates[0], evaluator.policies(), asOf, v, {});
    explainVerdicts(*m.models[0], m.estimates[0], evaluator.policies(), asOf, ref, {});
    // The results were taken by the first explanation: explaining again must not reuse them.
    explainVerdicts(*m.models[0], m.estimates[0], evaluator.policies(), asOf, v, {});
    explainVerdicts(*m.models[0], m.estimates[0], evaluator.policies(), asOf, ref, {});
    for (std::size_t k = 0; k < v.size(); ++k) checkSame(v[k], ref[k]);
}

TEST_CASE("explained verdicts: results of an evaluator that is gone are not used",
          "[verdicts][fast-paths]") {
    const Models m;
    const Policy* p = PolicyCatalog::defaults().find("eu-ai-act-art51");
    REQUIRE(p);
    const Date asOf = day("2026-06-01");
    for (std::size_t i = 0; i < m.models.size(); ++i) {
        // evaluatePolicy's evaluator and its verdict vector are freed on return: a vector
        // allocated next may sit at the same address, for the same record and date.
        std::vector<Verdict> v;
        v.push_back(evaluatePolicy(*p, *m.models[i], m.estimates[i], asOf));
        std::vector<Verdict> ref = v;
        explainVerdicts(*m.models[i], m.estimates[i], {p}, asOf, v, {});
        explainVerdicts(*m.models[i], m.estimates[i], {p}, asOf, ref, {});
        checkSame(v.front(), ref.front());
    }
}
