// Contract spellings of the record enums round-trip.
#include <flopledger/quantity.hpp>
#include <flopledger/record.hpp>

#include <catch2/catch.hpp>

using namespace flopledger;

TEST_CASE("enum spellings follow the contract and round-trip", "[record]") {
    CHECK(toString(Family::EncoderDecoder) == "encoder-decoder");
    CHECK(parseFamily("vit") == Family::Vit);
    CHECK_FALSE(parseFamily("Decoder"));
    CHECK(toString(MlpKind::Gated) == "gated");
    CHECK(parseMlpKind("plain") == MlpKind::Plain);
    CHECK(toString(StageKind::FineTuning) == "fine-tuning");
    CHECK(toString(StageKind::DistillationTeacher) == "distillation-teacher");
    CHECK(parseStageKind("merged-parent") == StageKind::MergedParent);
    CHECK_FALSE(parseStageKind("finetuning"));
    CHECK(toString(Precision::Bf16) == "bf16");
    CHECK(parsePrecision("int8") == Precision::Int8);
    CHECK_FALSE(parsePrecision("BF16"));
    CHECK(toString(Modality::Biology) == "biology");
    CHECK(parseModality("speech") == Modality::Speech);
    CHECK(toString(Distribution::LogUniform) == "log-uniform");
    CHECK(toString(Distribution::Triangular) == "triangular");

    const auto kinds = stageKindNames();
    REQUIRE(kinds.size() == kStageKindCount);
    CHECK(kinds.front() == "pretraining");
    CHECK(kinds.back() == "other");
    for (std::size_t i = 0; i < kinds.size(); ++i)
        CHECK(parseStageKind(kinds[i]) == static_cast<StageKind>(i));
    const auto precisions = precisionNames();
    REQUIRE(precisions.size() == kPrecisionCount);
    for (std::size_t i = 0; i < precisions.size(); ++i)
        CHECK(parsePrecision(precisions[i]) == static_cast<Precision>(i));
}

TEST_CASE("recordId and recordLocation see through the variant", "[record]") {
    ModelRecord m;
    m.id = "gpt-3";
    m.location.line = 4;
    ClusterRecord c;
    c.id = "colossus";
    c.location.pointer = "/2";
    const Record rm = m;
    const Record rc = c;
    CHECK(recordId(rm) == "gpt-3");
    CHECK(recordLocation(rm).line == 4);
    CHECK(recordId(rc) == "colossus");
    CHECK(recordLocation(rc).pointer == "/2");
}
