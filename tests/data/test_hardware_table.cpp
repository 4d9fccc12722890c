// Checks of the shipped accelerator table (hardware/accelerators.json, embedded).
#include <flopledger/hardware_catalog.hpp>

#include <catch2/catch.hpp>

#include <fstream>
#include <set>
#include <sstream>

using namespace flopledger;

namespace {

Exact dense(const char* id, Precision p) {
    const Accelerator* a = HardwareCatalog::defaults().find(id);
    REQUIRE(a);
    REQUIRE(a->peak(p));
    return a->peak(p)->dense;
}

}  // namespace

TEST_CASE("the shipped table lists every accelerator of the reference", "[hardware-table]") {
    for (const char* id :
         {"nvidia-v100-sxm2", "nvidia-v100-pcie", "nvidia-a100",     "nvidia-a800",
          "nvidia-h100-sxm",  "nvidia-h100-pcie", "nvidia-h100-nvl", "nvidia-h200",
          "nvidia-h200-nvl",  "nvidia-h800",      "nvidia-b200",     "nvidia-gb200",
          "amd-mi250x",       "amd-mi300x",       "google-tpu-v3",   "google-tpu-v4",
          "google-tpu-v5e",   "google-tpu-v5p",   "google-tpu-v6e",  "intel-gaudi2",
          "intel-gaudi3"}) {
        INFO(id);
        CHECK(HardwareCatalog::defaults().find(id) != nullptr);
    }
}

TEST_CASE("ids are unique and well-formed, every chip has a cited bf16 or fp16 peak",
          "[hardware-table]") {
    std::set<std::string> seen;
    for (const Accelerator& a : HardwareCatalog::defaults().all()) {
        INFO(a.id);
        CHECK(seen.insert(a.id).second);
        CHECK(a.id.find('-') != std::string::npos);
        for (char c : a.id) {
            CHECK(((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'));
        }
        const PeakFigure* p =
            a.peak(Precision::Bf16) ? a.peak(Precision::Bf16) : a.peak(Precision::Fp16);
        REQUIRE(p);
        CHECK(p->dense > 0);
        CHECK_FALSE(p->source.empty());
        for (const auto& f : a.peaks) {
            if (!f) continue;
            CHECK_FALSE(f->source.empty());
            CHECK((f->verification == "verified" || f->verification == "secondary" ||
                   f->verification == "unverified"));
            if (f->sparse) CHECK(f->dense <= *f->sparse);
        }
    }
}

TEST_CASE("dense peaks match the reference table", "[hardware-table]") {
    const Exact T = Exact(BigInt("1000000000000"));  // 1e12
    CHECK(dense("nvidia-h100-sxm", Precision::Bf16) == Exact(BigInt("989400000000000")));
    CHECK(dense("nvidia-h100-sxm", Precision::Fp8) == Exact(19789) * T / 10);
    CHECK(dense("nvidia-h100-pcie", Precision::Bf16) == 756 * T);
    CHECK(dense("nvidia-a100", Precision::Bf16) == 312 * T);
    CHECK(dense("nvidia-a100", Precision::Int8) == 624 * T);
    CHECK(dense("nvidia-v100-sxm2", Precision::Fp16) == 125 * T);
    CHECK(HardwareCatalog::defaults().find("nvidia-v100-sxm2")->peak(Precision::Bf16) == nullptr);
    CHECK(dense("nvidia-h800", Precision::Bf16) == Exact(9894) * T / 10);
    CHECK(dense("nvidia-b200", Precision::Bf16) == 2250 * T);
    CHECK(dense("amd-mi300x", Precision::Bf16) == Exact(13074) * T / 10);
    CHECK(dense("google-tpu-v4", Precision::Bf16) == 275 * T);
    CHECK(dense("google-tpu-v5e", Precision::Int8) == 393 * T);
    CHECK(dense("google-tpu-v6e", Precision::Bf16) == 918 * T);
    CHECK(dense("intel-gaudi3", Precision::Bf16) == 1835 * T);
    // vendors that publish no sparsity keep no sparse figure (no derived dense = sparse / 2)
    CHECK_FALSE(HardwareCatalog::defaults().find("google-tpu-v5p")->peak(Precision::Bf16)->sparse);
    CHECK_FALSE(HardwareCatalog::defaults().find("amd-mi250x")->peak(Precision::Bf16)->sparse);
}

TEST_CASE("the embedded table equals hardware/accelerators.json", "[hardware-table]") {
    std::ifstream in(std::string(FLOPLEDGER_SOURCE_DIR) + "/hardware/accelerators.json");
    REQUIRE(in);
    std::stringstream ss;
    ss << in.rdbuf();
    HardwareCatalog file = HardwareCatalog::fromJson(ss.str(), "accelerators.json");
    const auto& emb = HardwareCatalog::defaults().all();
    REQUIRE(file.all().size() == emb.size());
    for (std::size_t i = 0; i < emb.size(); ++i) {
        CHECK(file.all()[i].id == emb[i].id);
        for (int p = 0; p < kPrecisionCount; ++p) {
            const auto& a = file.all()[i].peaks[static_cast<std::size_t>(p)];
            const auto& b = emb[i].peaks[static_cast<std::size_t>(p)];
            REQUIRE(a.has_value() == b.has_value());
            if (a) CHECK(a->dense == b->dense);
        }
    }
}
