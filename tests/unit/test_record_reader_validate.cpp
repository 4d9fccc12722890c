// Semantic checks of RecordReader::validate().
#include <flopledger/record_reader.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <string>

using namespace flopledger;

namespace {

HardwareCatalog smallCatalog() {
    HardwareCatalog c;
    Accelerator a;
    a.id = "acme-x1";
    a.name = "Acme X1";
    a.vendor = "Acme";
    PeakFigure bf16;
    bf16.dense = parseExact("1e15");
    a.peaks[static_cast<std::size_t>(Precision::Bf16)] = bf16;
    c.add(a);
    return c;
}

std::vector<Diagnostic> check(const std::string& text) {
    static const HardwareCatalog catalog = smallCatalog();
    const RecordReader reader({}, &catalog);
    const ReadResult r = reader.readText(text, "v.json");
    REQUIRE(r.ok());
    REQUIRE(r.records.size() == 1);
    return reader.validate(r.records[0]);
}

}  // namespace

TEST_CASE("validate accepts a consistent record", "[validate]") {
    CHECK(check(R"({"id": "ok", "architecture": {"layers": 32, "d_model": 4096, "heads": 32,
        "kv_heads": 8, "moe": {"experts": 8, "active": 2}}, "stages": [{"kind": "pretraining",
        "tokens": "1T", "hardware": {"accelerator": "acme-x1", "count": 8, "hours": 10,
        "precision": "bf16"}}]})")
              .empty());
}

TEST_CASE("validate reports impossible shapes with pointers", "[validate]") {
    auto d = check(R"([{"id": "s", "architecture": {"layers": 2, "d_model": 100, "heads": 3}}])");
    REQUIRE(d.size() == 1);
    CHECK(d[0].code == ErrorCode::ShapeMismatch);
    CHECK(d[0].pointer == "/0/architecture/heads");
    CHECK(d[0].line == 1);
    // head_dim given explicitly: heads need not divide d_model.
    CHECK(check(R"({"id": "s", "architecture": {"layers": 2, "d_model": 100, "heads": 3,
        "head_dim": 32}})")
              .empty());

    d = check(R"({"id": "s", "architecture": {"layers": 2, "d_model": 96, "heads": 12,
        "kv_heads": 5}})");
    REQUIRE(d.size() == 1);
    CHECK(d[0].pointer == "/architecture/kv_heads");

    d = check(R"({"id": "s", "architecture": {"params": 10, "moe": {"experts": 8,
        "active": 9}}})");
    REQUIRE(d.size() == 1);
    CHECK(d[0].code == ErrorCode::ShapeMismatch);
    CHECK(d[0].pointer == "/architecture/moe/active");

    d = check(R"({"id": "v", "architecture": {"family": "vit", "layers": 12, "d_model": 768,
        "heads": 12}})");
    CHECK(d.size() == 2);  // image_size and patch_size
    CHECK(d.at(0).code == ErrorCode::MissingField);
}

TEST_CASE("validate checks accelerators and precisions", "[validate]") {
    auto d = check(R"({"id": "h", "stages": [{"kind": "pretraining", "hardware":
        {"accelerator": "acme-x2", "count": 1, "hours": 1}}]})");
    REQUIRE(d.size() == 1);
    CHECK(d[0].code == ErrorCode::UnknownAccelerator);
    CHECK(d[0].pointer == "/stages/0/hardware/accelerator");
    CHECK(d[0].message.find("did you mean 'acme-x1'?") != std::string::npos);

    d = check(R"({"id": "h", "stages": [{"kind": "pretraining", "hardware":
        {"accelerator": "acme-x1", "chip_hours": 5, "precision": "fp8"}}]})");
    REQUIRE(d.size() == 1);
    CHECK(d[0].code == ErrorCode::UnsupportedPrecision);
    CHECK(d[0].pointer == "/stages/0/hardware/precision");
    CHECK(d[0].message.find("bf16") != std::string::npos);

    d = check(R"({"id": "h", "stages": [{"kind": "rl", "label": "nothing"}]})");
    REQUIRE(d.size() == 1);
    CHECK(d[0].code == ErrorCode::StageNotEstimated);
    CHECK(d[0].severity == Severity::Warning);
    CHECK(d[0].pointer == "/stages/0");
}

TEST_CASE("validate uses the shipped hardware table by default", "[validate]") {
    const RecordReader reader;
    const Record r = reader.parseLine(R"({"id": "d", "stages": [{"kind": "pretraining",
        "hardware": {"accelerator": "nvidia-h100-sxm", "count": 1, "hours": 1}},
        {"kind": "pretraining", "hardware": {"accelerator": "nvidia-h100-sxn", "count": 1,
        "hours": 1}}]})",
                                      "d.jsonl", 1);
    const auto d = reader.validate(r);
    REQUIRE(d.size() == 1);
    CHECK(d[0].pointer == "/stages/1/hardware/accelerator");
    CHECK(d[0].message.find("nvidia-h100-sxm") != std::string::npos);
}
