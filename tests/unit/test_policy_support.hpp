#pragma once
// Shared helpers of the policy tests: records are built through RecordReader::readText so that the
// exact reading of JSON numbers is exercised end to end.
#include <flopledger/estimate.hpp>
#include <flopledger/policy.hpp>
#include <flopledger/policy_catalog.hpp>
#include <flopledger/record_reader.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

namespace flopledger::inline v1::test {

inline Date day(const std::string& text) {
    auto d = Date::parse(text);
    REQUIRE(d);
    return *d;
}

/// A registry read from JSON text and estimated; keeps records and estimates alive together.
struct Registry {
    ReadResult read;
    std::vector<ModelEstimate> estimates;  ///< one per model record, in record order
    std::vector<const ModelRecord*> models;
    RegistryContext context;

    explicit Registry(const std::string& json, EstimateOptions options = {}) {
        read = RecordReader().readText(json, "test.json");
        INFO((read.diagnostics.empty() ? std::string() : read.diagnostics.front().toString()));
        REQUIRE(read.ok());
        Estimator estimator(options);
        for (const Record& r : read.records)
            if (const auto* m = std::get_if<ModelRecord>(&r)) models.push_back(m);
        estimates.reserve(models.size());
        for (const ModelRecord* m : models) estimates.push_back(estimator.estimate(*m));
        for (std::size_t i = 0; i < models.size(); ++i) context.add(*models[i], estimates[i]);
    }

    const ModelRecord& model(std::size_t i = 0) const { return *models.at(i); }
    const ClusterRecord& cluster(std::size_t i = 0) const {
        std::size_t n = 0;
        for (const Record& r : read.records)
            if (const auto* c = std::get_if<ClusterRecord>(&r))
                if (n++ == i) return *c;
        FAIL("no cluster record");
        throw std::logic_error("unreachable");
    }

    Verdict verdict(const std::string& policyId, const std::string& date, std::size_t index = 0,
                    EvaluationOptions options = {}) const {
        const Policy* p = PolicyCatalog::defaults().find(policyId);
        REQUIRE(p);
        if (!options.registry) options.registry = &context;
        if (p->appliesToClusters() && !p->appliesToModels())
            return evaluatePolicy(*p, cluster(index), day(date), options);
        return evaluatePolicy(*p, model(index), estimates.at(index), day(date), options);
    }
};

/// A one-stage pretraining record with extra top-level fields; `flop` is inserted verbatim
/// (a JSON number or a quoted string).
inline std::string oneStage(const std::string& flop, const std::string& extra = "",
                            const std::string& stageExtra = "") {
    return R"({"id": "m", "modalities": ["text"], "weights": "closed")" +
           (extra.empty() ? std::string() : ", " + extra) +
           R"(, "stages": [{"kind": "pretraining", "flop": )" + flop +
           (stageExtra.empty() ? std::string() : ", " + stageExtra) + "}]}";
}

inline bool hasNote(const Verdict& v, const std::string& fragment) {
    return std::any_of(v.notes.begin(), v.notes.end(),
                       [&](const std::string& n) { return n.find(fragment) != std::string::npos; });
}

inline bool hasMissing(const Verdict& v, const std::string& field) {
    return std::find(v.missing.begin(), v.missing.end(), field) != v.missing.end();
}

}  // namespace flopledger::test
