// Units in record files (docs/data-format.md, "Units"): '%' on fractions and "days" for the
// hours of a hardware stage, as the what-if flags accept them. Expected values by hand.
#include <flopledger/record_reader.hpp>

#include <catch2/catch.hpp>

#include <string>

using namespace flopledger;

namespace {

ReadResult read(const std::string& stage, const std::string& extra = "") {
    return RecordReader().readText(
        R"({"id": "u", )" + extra + R"("stages": [{"kind": "pretraining", )" + stage + "}]}",
        "t.json");
}

// By value: callers pass a temporary ReadResult (a reference into it would dangle).
HardwareUse hardware(const ReadResult& r) {
    INFO((r.diagnostics.empty() ? "" : r.diagnostics.front().toString()));
    REQUIRE(r.ok());
    const auto& m = std::get<ModelRecord>(r.records.at(0));
    REQUIRE(m.stages.at(0).hardware);
    return *m.stages.at(0).hardware;
}

ErrorCode firstCode(const ReadResult& r) {
    REQUIRE_FALSE(r.diagnostics.empty());
    return r.diagnostics.front().code;
}

}  // namespace

TEST_CASE("utilization '38%' is exactly 38/100, as 0.38 is", "[reader][units]") {
    const HardwareUse& h = hardware(read(
        R"("hardware": {"accelerator": "nvidia-h100-sxm", "count": 8, "hours": 10, "utilization": "38%"})"));
    CHECK(h.utilization->central() == Exact(BigInt(38), BigInt(100)));
    // A decimal percentage stays exact: 13.25% = 53/400.
    const HardwareUse& d = hardware(read(
        R"("hardware": {"accelerator": "nvidia-h100-sxm", "count": 8, "hours": 10, "utilization": "13.25 %"})"));
    CHECK(d.utilization->central() == Exact(BigInt(53), BigInt(400)));
    // Interval bounds take it too.
    const HardwareUse& iv = hardware(read(
        R"("hardware": {"accelerator": "nvidia-h100-sxm", "count": 8, "hours": 10,
            "utilization": {"low": "30%", "high": "50%"}})"));
    CHECK(iv.utilization->value.low == Exact(BigInt(3), BigInt(10)));
    CHECK(iv.utilization->value.high == Exact(BigInt(1), BigInt(2)));
    CHECK(iv.utilization->value.central == Exact(BigInt(2), BigInt(5)));
}

TEST_CASE("'%' is checked like the fraction it stands for", "[reader][units]") {
    // 120% of peak is above 1: out of range, as 1.2 is.
    CHECK(firstCode(read(R"("hardware": {"accelerator": "nvidia-h100-sxm", "count": 8,
        "hours": 10, "utilization": "120%"})")) == ErrorCode::NumberOutOfRange);
    // Not a number before the sign.
    CHECK(firstCode(read(R"("hardware": {"accelerator": "nvidia-h100-sxm", "count": 8,
        "hours": 10, "utilization": "x%"})")) == ErrorCode::NumberSyntax);
    // A count is not a fraction: '%' is no number there.
    CHECK(firstCode(read(R"("tokens": "5%")")) == ErrorCode::NumberSyntax);
    // bio_sequence_share is a fraction: 25% = 1/4.
    const ReadResult r = read(R"("flop": 1e20)", R"("bio_sequence_share": "25%", )");
    REQUIRE(r.ok());
    CHECK(std::get<ModelRecord>(r.records[0]).bioSequenceShare->central() ==
          Exact(BigInt(1), BigInt(4)));
}

TEST_CASE("hardware 'days' is hours x 24, both at once is refused", "[reader][units]") {
    // 54 days = 1296 hours (the 16,384 x H100 run of issue 13).
    const HardwareUse& h = hardware(read(
        R"("hardware": {"accelerator": "nvidia-h100-sxm", "count": 16384, "days": 54, "utilization": "38%"})"));
    CHECK(h.hours->central() == Exact(1296));
    const HardwareUse& half = hardware(
        read(R"("hardware": {"accelerator": "nvidia-h100-sxm", "count": 1, "days": "1.5"})"));
    CHECK(half.hours->central() == Exact(36));
    const HardwareUse& iv = hardware(read(
        R"("hardware": {"accelerator": "nvidia-h100-sxm", "count": 1, "days": {"low": 50, "high": 60}})"));
    CHECK(iv.hours->value.low == Exact(1200));
    CHECK(iv.hours->value.high == Exact(1440));
    CHECK(firstCode(read(R"("hardware": {"accelerator": "nvidia-h100-sxm", "count": 1,
        "hours": 24, "days": 1})")) == ErrorCode::JsonSyntax);
    CHECK(firstCode(read(R"("hardware": {"accelerator": "nvidia-h100-sxm", "count": 1,
        "days": -1})")) == ErrorCode::NumberNegative);
}

TEST_CASE("a record with days and % estimates like one with hours and a fraction",
          "[reader][units]") {
    const std::string a = R"({"id": "a", "stages": [{"kind": "pretraining", "hardware":
        {"accelerator": "nvidia-h100-sxm", "count": 16384, "days": 54, "utilization": "38%",
         "precision": "bf16"}}]})";
    const std::string b = R"({"id": "a", "stages": [{"kind": "pretraining", "hardware":
        {"accelerator": "nvidia-h100-sxm", "count": 16384, "hours": 1296, "utilization": 0.38,
         "precision": "bf16"}}]})";
    const ReadResult ra = RecordReader().readText(a, "a.json");
    const ReadResult rb = RecordReader().readText(b, "b.json");
    REQUIRE(ra.ok());
    REQUIRE(rb.ok());
    const auto& ha = *std::get<ModelRecord>(ra.records[0]).stages[0].hardware;
    const auto& hb = *std::get<ModelRecord>(rb.records[0]).stages[0].hardware;
    CHECK(ha.hours->value == hb.hours->value);
    CHECK(ha.utilization->value == hb.utilization->value);
}
