// The shipped registry (models/): it must validate with zero diagnostics, be sourced, and each
// developer-reported figure must agree with the record's own inputs (6 x N x D, chip-hours x
// peak) or carry a note that explains the disagreement.
#include <flopledger/estimate.hpp>
#include <flopledger/record_reader.hpp>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <set>
#include <string>

using namespace flopledger;

namespace {

const std::string kModels = std::string(FLOPLEDGER_SOURCE_DIR) + "/models";

// The curated layer alone (models/*.json); the Epoch layer has its own tests.
RecordReader curatedReader() {
    ReadLimits limits;
    limits.lowerLayers = false;
    return RecordReader(limits);
}

std::vector<ModelRecord> shippedModels() {
    RecordReader reader = curatedReader();
    ReadResult result = reader.readPath(kModels);
    std::vector<ModelRecord> models;
    for (const Record& r : result.records) {
        if (const auto* m = std::get_if<ModelRecord>(&r)) models.push_back(*m);
    }
    return models;
}

bool mentions(std::string text, std::string word) {
    auto lower = [](std::string s) {
        std::transform(s.begin(), s.end(), s.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        return s;
    };
    return lower(std::move(text)).find(lower(std::move(word))) != std::string::npos;
}

}  // namespace

TEST_CASE("shipped registry validates with zero diagnostics", "[data][registry]") {
    RecordReader reader = curatedReader();
    ReadResult result = reader.readPath(kModels);
    for (const Diagnostic& d : result.diagnostics) UNSCOPED_INFO(d.toString());
    CHECK(result.diagnostics.empty());
    REQUIRE(result.ok());
    for (const Record& r : result.records) {
        for (const Diagnostic& d : reader.validate(r)) {
            INFO(d.toString());
            CHECK(false);
        }
    }
}

TEST_CASE("shipped registry covers 2018-2026 with at least 80 sourced models", "[data][registry]") {
    auto models = shippedModels();
    REQUIRE(models.size() >= 80);
    std::set<int> years;
    for (const ModelRecord& m : models) {
        INFO(m.id);
        REQUIRE(m.released.has_value());
        CHECK(m.released->year >= 2018);
        CHECK(m.released->year <= 2026);
        years.insert(m.released->year);
        CHECK(!m.name.empty());
        CHECK(!m.developer.empty());
        REQUIRE(!m.sources.empty());
        for (const Citation& c : m.sources) CHECK(c.url.rfind("http", 0) == 0);
        if (m.reported) {
            // A reported figure is the developer's own, with its exact source.
            CHECK(m.reported->trainingFlop.has_value());
            CHECK(!m.reported->source.empty());
        }
        for (const Stage& s : m.stages) {
            // A figure that is not the developer's names who estimated it and how confidently.
            if (s.flop && !s.estimator.empty()) {
                CHECK(!s.confidence.empty());
                CHECK(!s.source.empty());
            }
        }
    }
    CHECK(years.size() >= 7);
}

TEST_CASE("third-party estimates are never recorded as reported", "[data][registry]") {
    for (const ModelRecord& m : shippedModels()) {
        bool thirdParty = std::any_of(m.stages.begin(), m.stages.end(),
                                      [](const Stage& s) { return !s.estimator.empty(); });
        if (thirdParty && m.reported) {
            INFO(m.id << ": reported source " << m.reported->source);
            // A developer figure may coexist with a third-party one only if its source is not
            // the third party's.
            CHECK_FALSE(mentions(m.reported->source, "epoch"));
        }
    }
}

TEST_CASE("reported figures agree with the records' own inputs or are explained", "[data][registry]") {
    Estimator estimator;
    // The EU Guidelines accept estimates within 30%; beyond that the record must say why.
    const Exact tolerance = Exact(13) / 10;
    int checkedSixNd = 0;
    int checkedHardware = 0;
    for (const ModelRecord& m : shippedModels()) {
        if (!m.reported || !m.reported->trainingFlop) continue;
        const Exact& reported = m.reported->trainingFlop->central();
        ModelEstimate e = estimator.estimate(m);
        Exact sixNd = 0;
        Exact capacity = 0;
        bool haveSixNd = false;
        bool haveCapacity = false;
        for (const StageEstimate& s : e.stages) {
            if (s.kind != StageKind::Pretraining) continue;
            if (const auto& v = s.methods[static_cast<int>(Method::SixNd)]) {
                sixNd += v->central;
                haveSixNd = true;
            }
            if (s.hardwareCapacity) {
                capacity += s.hardwareCapacity->central;
                haveCapacity = true;
            }
        }
        if (haveSixNd && sixNd > 0) {
            ++checkedSixNd;
            Exact ratio = reported / sixNd;
            INFO(m.id << ": reported " << formatScientific(reported) << " vs 6ND "
                      << formatScientific(sixNd) << " (ratio " << formatScientific(ratio) << ")");
            if (ratio > tolerance || ratio < 1 / tolerance) {
                // Disagreement beyond tolerance: the record's notes must discuss the figure.
                CHECK(mentions(m.notes, "reported"));
            }
        }
        if (haveCapacity && capacity > 0) {
            ++checkedHardware;
            Exact utilization = reported / capacity;
            INFO(m.id << ": reported implies utilization " << formatScientific(utilization));
            // A developer's figure implying more than the hardware's dense peak, or almost none
            // of it, contradicts its own hardware inputs.
            CHECK(utilization <= 1);
            CHECK(utilization > Exact(5) / 100);
        }
    }
    CHECK(checkedSixNd >= 25);
    CHECK(checkedHardware >= 3);
}
