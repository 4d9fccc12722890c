// The Epoch AI layer under the curated records (docs/data-format.md, "Layers"): the shipped
// file is exactly the importer's output, each model appears once, curated records win over
// their Epoch rows, and the importer's checks catch the export's glitches.
#include <flopledger/assessment.hpp>
#include <flopledger/epoch_import.hpp>
#include <flopledger/record_reader.hpp>
#include <flopledger/registry_layers.hpp>

#include "records/epoch_checks.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace flopledger;

namespace {

const std::string kModels = std::string(FLOPLEDGER_SOURCE_DIR) + "/models";
const std::string kCsv = kModels + "/epoch/all_ml_systems_full_view_2025-08-07.csv";
const std::string kLayer = kModels + "/epoch/epoch-ai-2025-08-07.jsonl";

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

ReadResult readModels(bool layers) {
    ReadLimits limits;
    limits.lowerLayers = layers;
    return RecordReader(limits).readPath(kModels);
}

const ModelRecord* findModel(const std::vector<Record>& records, const std::string& id) {
    for (const Record& r : records)
        if (const auto* m = std::get_if<ModelRecord>(&r); m && m->id == id) return m;
    return nullptr;
}

ModelRecord model(std::string id) {
    ModelRecord m;
    m.id = std::move(id);
    return m;
}

Stage statedStage(StageKind kind, const char* flop) {
    Stage s;
    s.kind = kind;
    s.flop = Quantity(parseExact(flop));
    return s;
}

}  // namespace

TEST_CASE("the shipped Epoch layer is exactly the importer's output", "[epoch][layer][data]") {
    const std::string csv = slurp(kCsv);
    REQUIRE(csv.size() > 4'000'000);
    std::vector<Diagnostic> diags;
    ImportCounts counts;
    const auto records = importEpochCsv(csv, kCsv, diags, &counts);
    std::string expected;
    for (const ModelRecord& m : records) expected += toJson(Record(m)) + "\n";
    // Regenerate with: flopledger import epoch <csv> --curated models -o <jsonl>
    CHECK(slurp(kLayer) == expected);
    CHECK(counts.records == 1892);
    CHECK(counts.withCompute == 988);
    CHECK(counts.artefacts > 0);
    CHECK(counts.implausible > 0);
    for (const ModelRecord& m : records) CHECK(m.layer == "epoch");
}

TEST_CASE("models/ reads both layers, each Epoch model at or above 1e25 exactly once",
          "[epoch][layer][data]") {
    const ReadResult all = readModels(true);
    for (const Diagnostic& d : all.diagnostics) UNSCOPED_INFO(d.toString());
    REQUIRE(all.ok());
    const ReadResult curated = readModels(false);
    REQUIRE(curated.ok());
    const ReadResult epoch = RecordReader().readPath(kModels + "/epoch");
    REQUIRE(epoch.ok());
    CHECK(all.records.size() >= 1000);

    std::map<std::string, std::string> supersededBy;  // epoch id -> curated id
    for (const Record& r : curated.records)
        if (const auto* m = std::get_if<ModelRecord>(&r); m && !m->supersedes.empty())
            supersededBy[m->supersedes.substr(6)] = m->id;
    REQUIRE(supersededBy.size() >= 60);

    std::set<std::string> ids;
    for (const Record& r : all.records) CHECK(ids.insert(recordId(r)).second);
    // Counted by hand from the export: 24 rows at or above 1e25 (Inflection-2 and -2.5 at 1e25
    // once their trailing 1 is removed).
    int big = 0;
    for (const Record& r : epoch.records) {
        const auto& m = std::get<ModelRecord>(r);
        if (m.stages.empty() || m.stages[0].kind != StageKind::Pretraining) continue;
        if (m.stages[0].flop->central() < pow10(25)) continue;
        ++big;
        INFO(m.id);
        int seen = 0;
        for (const Record& x : all.records) {
            const auto& y = std::get<ModelRecord>(x);
            if (y.id == m.id && y.layer == "epoch") ++seen;
            if (y.supersedes == std::string("epoch:") + m.id) ++seen;
        }
        CHECK(seen == 1);
        // A superseded row is not in the layered registry under its own id unless the curated
        // record took that id, and then the record is the curated one.
        if (const auto it = supersededBy.find(m.id); it != supersededBy.end()) {
            const ModelRecord* winner = findModel(all.records, it->second);
            REQUIRE(winner);
            CHECK(winner->layer == "curated");
            if (const ModelRecord* same = findModel(all.records, m.id))
                CHECK(same->layer == "curated");
        }
    }
    CHECK(big == 24);
}

TEST_CASE("curated records win over their Epoch rows", "[epoch][layer][data]") {
    const ReadResult all = readModels(true);
    REQUIRE(all.ok());
    // GPT-4: Epoch says 2.1e25 (Speculative, a point); the curated record keeps its own ledger.
    const ModelRecord* gpt4 = findModel(all.records, "gpt-4");
    REQUIRE(gpt4);
    CHECK(gpt4->layer == "curated");
    CHECK(gpt4->supersedes == "epoch:gpt-4");
    const ReadResult curated = readModels(false);
    const ModelRecord* own = findModel(curated.records, "gpt-4");
    REQUIRE(own);
    CHECK(gpt4->stages.size() == own->stages.size());
    // GPT-3 175B: Epoch's row id is gpt-3-175b-davinci; it is gone, the curated gpt-3-175b stays.
    CHECK(findModel(all.records, "gpt-3-175b-davinci") == nullptr);
    REQUIRE(findModel(all.records, "gpt-3-175b"));
    // An Epoch row nobody supersedes is there, marked as Epoch's.
    const ModelRecord* alphago = findModel(all.records, "alphago-zero");
    REQUIRE(alphago);
    CHECK(alphago->layer == "epoch");
    CHECK(alphago->stages.at(0).estimator == "Epoch AI");
}

TEST_CASE("fill in: fields the curated record leaves out come from its Epoch row, whole",
          "[epoch][layer]") {
    ModelRecord low = model("x-epoch");
    low.name = "X (Epoch)";
    low.developer = "Lab";
    low.released = Date::parse("2024-05-01");
    low.modalities = {Modality::Text};
    low.openWeights = false;
    low.architecture = Architecture{};
    low.architecture->family = Family::Generic;
    low.architecture->params = Quantity(parseExact("7e10"));
    Stage uncertain;
    uncertain.kind = StageKind::Pretraining;
    uncertain.flop = Quantity(Interval{parseExact("1e24"), parseExact("2e24"), parseExact("4e24")},
                              Distribution::LogUniform);
    uncertain.flop->sampleIndex = 0;
    uncertain.estimator = "Epoch AI";
    low.stages = {uncertain};
    low.uncertainCount = 1;
    low.sources = {Citation{"paper", "https://example.org/x"}};

    SECTION("an empty curated record takes everything but id, notes and layer") {
        ModelRecord up = model("x");
        up.supersedes = "epoch:x-epoch";
        up.developerRevenueUsd = Quantity(Interval{parseExact("1e8"), parseExact("2e8"),
                                                   parseExact("3e8")},
                                          Distribution::Uniform);
        up.developerRevenueUsd->sampleIndex = 0;
        up.uncertainCount = 1;
        const auto taken = fillFromLower(up, low);
        CHECK(taken == std::vector<std::string>{"name", "developer", "released", "modalities",
                                                "weights", "architecture", "stages", "sources"});
        CHECK(up.id == "x");
        CHECK(up.name == "X (Epoch)");
        CHECK(up.released->toIsoDay() == "2024-05-01");
        CHECK(up.openWeights == false);
        REQUIRE(up.stages.size() == 1);
        CHECK(up.stages[0].estimator == "Epoch AI");
        // The taken interval gets the next sample index, after the curated record's own.
        CHECK(up.stages[0].flop->sampleIndex == 1);
        CHECK(up.uncertainCount == 2);
        CHECK(up.notes == "Filled from epoch:x-epoch: name, developer, released, modalities, "
                          "weights, architecture, stages, sources.");
    }
    SECTION("a curated record with one stage keeps exactly its own stages and fields") {
        ModelRecord up = model("x");
        up.supersedes = "epoch:x-epoch";
        up.name = "X";
        up.released = Date::parse("2024-04");
        up.openWeights = true;
        up.stages = {statedStage(StageKind::FineTuning, "5e22")};
        up.notes = "Curated.";
        const auto taken = fillFromLower(up, low);
        CHECK(taken == std::vector<std::string>{"developer", "modalities", "architecture",
                                                "sources"});
        CHECK(up.name == "X");
        CHECK(up.released->toIsoDay() == "2024-04-01");
        CHECK(up.openWeights == true);
        REQUIRE(up.stages.size() == 1);
        CHECK(up.stages[0].kind == StageKind::FineTuning);
        CHECK(up.notes.rfind("Curated. Filled from epoch:x-epoch: developer,", 0) == 0);
    }
}

TEST_CASE("layering: each model once, with errors for a wrong supersedes", "[epoch][layer]") {
    auto lowerRecords = [] {
        std::vector<Record> v;
        ModelRecord a = model("a");
        a.stages = {statedStage(StageKind::Pretraining, "1e25")};
        ModelRecord b = model("b");
        ModelRecord c = model("c");
        c.parent = ParentRef{};
        c.parent->id = "a";
        v.emplace_back(a);
        v.emplace_back(b);
        v.emplace_back(c);
        return v;
    };
    SECTION("superseded rows go, parents follow, order is curated then Epoch") {
        ModelRecord up = model("a-curated");
        up.supersedes = "epoch:a";
        std::vector<Record> curated{Record(up)};
        std::vector<Diagnostic> diags;
        LayerSummary sum;
        const auto out = layerRecords(curated, lowerRecords(), diags, &sum);
        CHECK(diags.empty());
        REQUIRE(out.size() == 3);
        CHECK(recordId(out[0]) == "a-curated");
        CHECK(std::get<ModelRecord>(out[0]).layer == "curated");
        CHECK(std::get<ModelRecord>(out[0]).stages.size() == 1);  // filled from a
        CHECK(recordId(out[1]) == "b");
        CHECK(std::get<ModelRecord>(out[1]).layer == "epoch");
        CHECK(std::get<ModelRecord>(out[2]).parent->id == "a-curated");
        CHECK(sum.superseded == 1);
        CHECK(sum.filled == 1);
    }
    SECTION("E602: superseding a row that does not exist") {
        ModelRecord up = model("z");
        up.supersedes = "epoch:nope";
        std::vector<Diagnostic> diags;
        const auto out = layerRecords({Record(up)}, lowerRecords(), diags);
        REQUIRE(diags.size() == 1);
        CHECK(diags[0].code == ErrorCode::SupersededUnknown);
        CHECK(out.size() == 4);
    }
    SECTION("E603: two curated records superseding one row") {
        ModelRecord u1 = model("u1"), u2 = model("u2");
        u1.supersedes = u2.supersedes = "epoch:b";
        std::vector<Diagnostic> diags;
        const auto out = layerRecords({Record(u1), Record(u2)}, lowerRecords(), diags);
        REQUIRE(diags.size() == 1);
        CHECK(diags[0].code == ErrorCode::SupersededTwice);
        CHECK(out.size() == 4);  // u1, u2, a, c
    }
    SECTION("E604: a curated id equal to an Epoch id it does not supersede") {
        std::vector<Diagnostic> diags;
        const auto out = layerRecords({Record(model("b"))}, lowerRecords(), diags);
        REQUIRE(diags.size() == 1);
        CHECK(diags[0].code == ErrorCode::LayerIdCollision);
        CHECK(out.size() == 3);  // the id stays unique
    }
}

TEST_CASE("export artefacts: a spurious trailing 0...01 is removed", "[epoch][layer]") {
    using detail::epochArtefactCorrection;
    // Epoch's note on Inflection-2: "the second 1 is there because of airtable being wonky".
    CHECK(epochArtefactCorrection("1.001e+25") == pow10(25));
    CHECK(epochArtefactCorrection("1.0001e+25") == pow10(25));
    CHECK(epochArtefactCorrection("3.810001e+25") == 381 * pow10(23));
    // Written from a double: 2.1000001e26 with binary noise.
    CHECK(epochArtefactCorrection("2.1000000999999995e+26") == 21 * pow10(25));
    CHECK(epochArtefactCorrection("1.6400009999999998e+25") == 164 * pow10(23));
    CHECK(epochArtefactCorrection("3300100000000010.0") == 33001 * pow10(11));
    // Real figures are left alone.
    CHECK_FALSE(epochArtefactCorrection("3.14e+23"));
    CHECK_FALSE(epochArtefactCorrection("1.01e+25"));
    CHECK_FALSE(epochArtefactCorrection("101"));
    CHECK_FALSE(epochArtefactCorrection("1e+25"));
    CHECK_FALSE(epochArtefactCorrection("3.8e+25"));
    CHECK_FALSE(epochArtefactCorrection("abc"));
}

TEST_CASE("implausible compute: below 1e12 FLOP for a billion-parameter model",
          "[epoch][layer]") {
    using detail::implausibleCompute;
    const auto billions = std::optional<Exact>(parseExact("2.53e11"));
    CHECK(implausibleCompute(1, billions, std::nullopt, true));
    CHECK(implausibleCompute(parseExact("9.024e11"), parseExact("3.2e10"), std::nullopt, true));
    CHECK(implausibleCompute(2, std::nullopt, parseExact("4.56e11"), true));
    CHECK(implausibleCompute(5, std::nullopt, std::nullopt, true));
    // A small network of the 1980s with a tiny real budget is not flagged.
    CHECK_FALSE(implausibleCompute(parseExact("2.81e12"), parseExact("60000"), std::nullopt,
                                   false));
    CHECK_FALSE(implausibleCompute(40, parseExact("40"), std::nullopt, false));
    CHECK_FALSE(implausibleCompute(pow10(12), billions, std::nullopt, true));
}

TEST_CASE("the import flags glitches by model name and keeps Epoch's confidence label",
          "[epoch][layer][data]") {
    const std::string csv = slurp(kCsv);
    std::vector<Diagnostic> diags;
    const auto records = importEpochCsv(csv, "epoch.csv", diags);
    auto find = [&](const std::string& name) -> const ModelRecord& {
        for (const auto& m : records)
            if (m.name == name) return m;
        FAIL("no row " << name);
        return records.front();
    };
    auto warned = [&](ErrorCode code, const std::string& name) {
        for (const auto& d : diags)
            if (d.code == code && d.message.rfind(name + ": ", 0) == 0) return true;
        return false;
    };
    // Inflection-2: 1e25 exactly, Confident (contract 7.2 turns the label into an interval, so
    // that Art. 51's "greater than 1e25" is indeterminate rather than decided by a stray digit).
    const ModelRecord& infl = find("Inflection-2");
    REQUIRE(infl.stages.size() == 1);
    CHECK(infl.stages[0].flop->central() == pow10(25));
    CHECK_FALSE(infl.stages[0].flop->uncertain());
    CHECK(infl.stages[0].confidence == "Confident");
    CHECK(warned(ErrorCode::ExportArtefact, "Inflection-2"));
    CHECK(find("Inflection-2.5").stages.at(0).flop->central() == pow10(25));
    CHECK(find("Inflection-2.5").stages.at(0).confidence == "Speculative");
    // Llama Nemotron Ultra 253B: fine-tune compute "1" is not used; its parent is Llama 3.1-405B.
    const ModelRecord& ultra = find("Llama Nemotron Ultra 253B");
    CHECK(warned(ErrorCode::ImplausibleCompute, "Llama Nemotron Ultra 253B"));
    for (const Stage& s : ultra.stages) CHECK(s.kind != StageKind::FineTuning);
    REQUIRE(ultra.parent);
    CHECK(ultra.parent->id == "llama-3.1-405b");
    // No stage of any record is below 1e12 FLOP unless the model is small and has no base.
    for (const ModelRecord& m : records) {
        for (const Stage& s : m.stages) {
            if (!s.flop || !(s.flop->central() < pow10(12))) continue;
            INFO(m.name);
            CHECK_FALSE(m.parent);
            REQUIRE(m.architecture);
            CHECK(m.architecture->params->central() < pow10(9));
        }
    }
}

TEST_CASE("Inflection-2 is indeterminate under Art. 51 in the layered registry",
          "[epoch][layer][data]") {
    ReadResult all = readModels(true);
    REQUIRE(all.ok());
    std::vector<Record> one;
    for (Record& r : all.records)
        if (recordId(r) == "inflection-2") one.push_back(r);
    REQUIRE(one.size() == 1);
    AssessOptions o;
    o.policies = {"eu-ai-act-art51"};
    o.asOf = {*Date::parse("2025-08-02")};
    Assessor assessor(o);
    const auto results = assessor.assessAll(std::move(one), 1);
    REQUIRE(results.size() == 1);
    REQUIRE(results[0].dates.size() == 1);
    REQUIRE(results[0].dates[0].verdicts.size() == 1);
    CHECK(results[0].dates[0].verdicts[0].status == VerdictStatus::Indeterminate);
}
