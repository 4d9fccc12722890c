// The v2 decoder features (contract 2.2, issue 20) against hand derivations: latent attention
// with DeepSeek-V3's widths, windows, chunks, Mamba/Mamba-2 mixers, MTP and vision towers; and
// the reader's checks E315-E319. The profiler ground truth is tests/groundtruth.
#include "test_estimator_support.hpp"

#include <flopledger/record_reader.hpp>

#include <catch2/catch.hpp>

#include <map>

using namespace flopledger;
using namespace flopledger::test;

namespace {

std::map<std::string, Exact> perToken(const Architecture& a, long long seq,
                                      const EstimateOptions& o = {}) {
    std::map<std::string, Exact> out;
    for (const auto& c : Estimator(o).forwardPerToken(a, Exact(seq), Exact(seq)))
        out[c.name] = c.flop.central;
    return out;
}

Exact sum(const std::map<std::string, Exact>& m) {
    Exact s = 0;
    for (const auto& [k, v] : m) s += v;
    return s;
}

/// One DeepSeek-V3 block with a dense MLP (d 7168, 128 heads, MLA 1536/512/128/64/128).
Architecture mlaBlock() {
    Architecture a;
    a.layers = qn(1);
    a.dModel = qn(7168);
    a.heads = qn(128);
    a.ffn = qn(18432);
    a.mlp = MlpKind::Gated;
    a.vocab = qn(129280);
    a.mla = MlaShape{qn(1536), qn(512), qn(128), qn(64), qn(128)};
    return a;
}

std::vector<Diagnostic> validate(const std::string& arch, const std::string& stage = "") {
    const RecordReader reader;
    const ReadResult r = reader.readText(R"({"id": "x", "architecture": )" + arch +
                                             R"(, "stages": [{"kind": "pretraining", "tokens": 100,
        "seq_len": 10)" + stage + "}]}",
                                         "f.json");
    REQUIRE(r.ok());
    return reader.validate(r.records.at(0));
}

bool has(const std::vector<Diagnostic>& ds, ErrorCode code, const std::string& pointer) {
    for (const auto& d : ds)
        if (d.code == code && d.pointer == pointer) return true;
    return false;
}

}  // namespace

TEST_CASE("MLA as trained: latent projections, rope key and head widths by hand", "[features]") {
    auto f = perToken(mlaBlock(), 4096);
    // x -> c_q (1536) and x -> c_kv (512)
    CHECK(f["latent-down-projections"] == Exact(2) * 7168 * 1536 + Exact(2) * 7168 * 512);
    CHECK(f["rope-key"] == Exact(2) * 7168 * 64);
    // c_q -> 128 x (128 + 64); c_kv -> 128 x (128 + 128)
    CHECK(f["latent-up-projections"] == Exact(2) * 1536 * 128 * 192 + Exact(2) * 512 * 128 * 256);
    CHECK(f["attention-projections"] == Exact(2) * 128 * 128 * 7168);  // O only
    CHECK(f["attention-scores"] == Exact(2) * 4096 * 128 * 192);
    CHECK(f["attention-values"] == Exact(2) * 4096 * 128 * 128);
    // Matrices of one MLA block: 187,105,280 (DeepSeek-V3: about 187M per layer).
    const ParamCounts p = Estimator().deriveParams(mlaBlock());
    CHECK(p.nonEmbedding->central == Exact(187105280) + Exact(3) * 7168 * 18432);
}

TEST_CASE("MLA without a query latent projects queries from d_model", "[features]") {
    Architecture a = mlaBlock();
    a.mla->qLoraRank = qn(0);
    auto f = perToken(a, 4096);
    CHECK(f["latent-down-projections"] == Exact(2) * 7168 * 512);
    CHECK(f["latent-up-projections"] == Exact(2) * 512 * 128 * 256);
    CHECK(f["attention-projections"] == Exact(2) * 7168 * 128 * 192 + Exact(2) * 128 * 128 * 7168);
}

TEST_CASE("windowed attention scores min(W, s), chunks their mean length", "[features]") {
    ModelRecord r = tiny();  // L 2, d 8, q 8
    Architecture& a = *r.architecture;
    const Exact full = perToken(a, 4)["attention-scores"];
    CHECK(full == Exact(2) * 2 * 4 * 8);
    a.slidingWindow = qn(3);
    CHECK(perToken(a, 4)["attention-scores"] == Exact(2) * 2 * 3 * 8);
    CHECK(perToken(a, 2)["attention-scores"] == Exact(2) * 2 * 2 * 8);  // window above s
    a.slidingWindow.reset();
    a.localGlobal = LocalGlobal{qn(3), qn(2)};  // block 2 global, block 1 local
    CHECK(perToken(a, 4)["attention-values"] == Exact(2) * (4 + 3) * 8);
    a.localGlobal.reset();
    a.layers = qn(4);
    a.chunkedAttention = LocalGlobal{qn(4), qn(4)};  // s 10 = 4 + 4 + 2; block 4 global
    // local keys per query: (2 x 16 + 4) / 10 = 18/5
    CHECK(perToken(a, 10)["attention-scores"] == Exact(2) * 8 * (Exact(3) * Exact(18) / 5 + 10));
}

TEST_CASE("Mamba-2 projections, convolution and SSD scan by hand", "[features]") {
    Architecture a;
    a.layers = qn(3);
    a.dModel = qn(64);
    a.heads = qn(4);
    a.ffn = qn(128);
    a.vocab = qn(100);
    a.attentionLayers = qn(1);
    a.ffnLayers = qn(2);
    SsmShape s;
    s.kind = SsmKind::Mamba2;
    s.layers = qn(2);
    s.dInner = qn(128);
    s.dState = qn(16);
    s.heads = qn(8);
    s.groups = qn(2);
    s.convKernel = qn(4);
    s.chunkSize = qn(8);
    s.dtRank = qn(0);
    a.ssm = s;
    auto f = perToken(a, 20);  // chunks 8 + 8 + 4: mean 144/20
    // in_proj 64 -> 2x128 + 2x2x16 + 8 = 328, out_proj 128 -> 64, two SSM blocks
    CHECK(f["ssm-projections"] == Exact(2) * (2 * 64 * 328 + 2 * 128 * 64));
    CHECK(f["ssm-conv"] == Exact(2) * 2 * 4 * (128 + 64));
    const Exact q = Exact(144) / 20;
    CHECK(f["ssm-scan"] == Exact(2) * (2 * 2 * 16 * q + 2 * 128 * q + 4 * 128 * 16));
    CHECK(f["attention-scores"] == Exact(2) * 20 * 64);  // one attention block
    CHECK(f["mlp"] == Exact(2) * 2 * 2 * 64 * 128);      // two MLP blocks
}

TEST_CASE("Mamba counts its projections, the selective scan is elementwise", "[features]") {
    Architecture a;
    a.layers = qn(1);
    a.dModel = qn(16);
    a.heads = qn(2);
    a.ffn = qn(32);
    a.vocab = qn(10);
    SsmShape s;
    s.kind = SsmKind::Mamba;
    s.layers = qn(1);
    s.dInner = qn(32);
    s.dState = qn(4);
    s.dtRank = qn(2);
    s.convKernel = qn(4);
    a.ssm = s;
    auto f = perToken(a, 8);
    CHECK(f["ssm-projections"] == Exact(2) * 16 * 64 + 2 * 32 * (2 + 8) + 2 * 2 * 32 + 2 * 32 * 16);
    CHECK(f["ssm-conv"] == Exact(2) * 4 * 32);
    CHECK(f.count("ssm-scan") == 0);
    CHECK(f.count("attention-scores") == 0);  // its only block is the SSM
}

TEST_CASE("MTP: projection, one block like the last, the shared head", "[features]") {
    Architecture a = mlaBlock();
    a.layers = qn(2);
    a.moe = MoeShape{qn(256), qn(8), qn(1), qn(2048), qn(1)};
    a.mtpDepth = qn(1);
    auto f = perToken(a, 4096);
    CHECK(f["mtp-projection"] == Exact(2) * 2 * 7168 * 7168);
    CHECK(f["mtp-head"] == f["logits"]);
    // the block: MLA over s keys and a MoE layer (8 routed + 1 shared of 2048, router over 256)
    Architecture one = mlaBlock();
    auto b = perToken(one, 4096);
    const Exact attn = sum(b) - b["mlp"] - b["logits"];
    CHECK(f["mtp-block"] == attn + Exact(2) * 3 * 7168 * 2048 * 9 + Exact(2) * 7168 * 256);
    // kaplan leaves the head out, chinchilla adds the head and the embedding lookup
    auto k = perToken(a, 4096, [] {
        EstimateOptions o;
        o.convention = Convention::Kaplan;
        return o;
    }());
    CHECK(k.count("mtp-head") == 0);
    CHECK(k.count("mtp-projection") == 1);
}

TEST_CASE("a frozen vision tower is forward only, its projector's first matrix 2x", "[features]") {
    ModelRecord r = tiny();  // d 8
    VisionTower v;
    v.layers = qn(1);
    v.dModel = qn(4);
    v.heads = qn(2);
    v.ffn = qn(8);
    v.imageSize = qn(4);
    v.patchSize = qn(2);  // 4 patches + class token
    v.channels = qn(3);
    v.projectorHidden = qn(6);
    v.frozen = true;
    r.architecture->vision = v;
    r.stages[0].images = qn(10);
    const StageEstimate s = Estimator().estimate(r).stages[0];
    const Exact patch = Exact(4) * 2 * 4 * 3 * 4;
    const Exact blocks = Exact(5) * (8 * 16 + 4 * 5 * 4 + 2 * 2 * 4 * 8);
    CHECK(component(s, "vision-encoder") == 10 * (patch + blocks));
    CHECK(component(s, "vision-projector") == 10 * (Exact(2) * 4 * 2 * 4 * 6 + 3 * 4 * 2 * 6 * 8));
    r.architecture->vision->frozen = false;
    const StageEstimate t = Estimator().estimate(r).stages[0];
    CHECK(component(t, "vision-encoder") == 10 * (2 * patch + 3 * blocks));
}

TEST_CASE("the reader rejects latent ranks, windows and hybrids that do not fit", "[features]") {
    const std::string mla =
        R"("attention": {"kind": "mla", "q_lora_rank": 32, "kv_lora_rank": 128,
        "qk_nope_head_dim": 8, "qk_rope_head_dim": 4, "v_head_dim": 8})";
    CHECK(has(validate(R"({"layers": 2, "d_model": 64, "heads": 4, "ffn": 96, "vocab": 10, )" +
                       mla + "}"),
              ErrorCode::BadLatentAttention, "/architecture/attention/kv_lora_rank"));
    CHECK(has(validate(R"({"layers": 2, "d_model": 64, "heads": 4, "ffn": 96, "vocab": 10,
        "sliding_window": 0})"),
              ErrorCode::BadWindow, "/architecture/sliding_window"));
    CHECK(has(validate(R"({"layers": 2, "d_model": 64, "heads": 4, "ffn": 96, "vocab": 10,
        "sliding_window": 8, "local_global": {"window": 8, "global_every": 2}})"),
              ErrorCode::BadWindow, "/architecture"));
    CHECK(has(validate(R"({"layers": 2, "d_model": 64, "heads": 4, "ffn": 96, "vocab": 10,
        "ssm": {"kind": "mamba2", "layers": 3, "d_inner": 128, "d_state": 16, "heads": 8}})"),
              ErrorCode::BadSsmShape, "/architecture/ssm/layers"));
    CHECK(has(validate(R"({"layers": 2, "d_model": 64, "heads": 4, "ffn": 96, "vocab": 10,
        "ssm": {"kind": "mamba2", "layers": 1, "d_inner": 128, "d_state": 16, "heads": 6}})"),
              ErrorCode::BadSsmShape, "/architecture/ssm/heads"));
    CHECK(has(validate(R"({"family": "encoder", "layers": 2, "d_model": 64, "heads": 4,
        "ffn": 96, "mtp_depth": 1})"),
              ErrorCode::FeatureFamily, "/architecture"));
    CHECK(has(validate(R"({"layers": 2, "d_model": 64, "heads": 4, "ffn": 96, "vocab": 10,
        "vision": {"layers": 1, "d_model": 16, "heads": 2, "ffn": 32, "image_size": 30,
        "patch_size": 7}})"),
              ErrorCode::BadVisionTower, "/architecture/vision/patch_size"));
    const RecordReader reader;
    const ReadResult bad = reader.readText(
        R"({"id": "x", "architecture": {"layers": 2, "d_model": 64, "heads": 4, "attention": "mla"}})",
        "f.json");
    REQUIRE(!bad.ok());
    CHECK(bad.diagnostics.at(0).code == ErrorCode::BadLatentAttention);
    CHECK(validate(R"({"layers": 2, "d_model": 64, "heads": 4, "ffn": 96, "vocab": 10, )" + mla +
                   R"(, "mtp_depth": 1})")
              .size() == 1);  // only the rank
}
