// The architecture method on small hand-derived shapes, one feature at a time. Every expected
// value is worked out in the comments (2 FLOP per multiply-add, per token, forward).
#include "test_estimator_support.hpp"

#include <catch2/catch.hpp>

using namespace flopledger;
using namespace flopledger::test;

TEST_CASE("tiny decoder: matmul forward by hand", "[estimator]") {
    // L=2, d=8, heads=2 (q = kv width = 8), ffn=32 plain, V=10, s=4, 1000 tokens.
    // per layer: Q,K,V,O 4 x 2x8x8 = 512; scores 2x4x8 = 64; values 64; MLP 2 x 2x8x32 = 1024
    // two layers: 1024 + 128 + 128 + 2048; logits 2x8x10 = 160 -> forward 3488 per token
    // training = 3 x 3488 x 1000 = 10 464 000
    ModelEstimate e = Estimator().estimate(tiny());
    const StageEstimate& s = e.stages[0];
    CHECK(s.method == Method::Architecture);
    CHECK(s.flop == Interval::point(Exact(10464000)));
    CHECK(component(s, "attention-projections") == 3 * 1024 * 1000);
    CHECK(component(s, "attention-scores") == 3 * 128 * 1000);
    CHECK(component(s, "attention-values") == 3 * 128 * 1000);
    CHECK(component(s, "mlp") == 3 * 2048 * 1000);
    CHECK(component(s, "logits") == 3 * 160 * 1000);
    CHECK(e.total == s.flop);
    CHECK(e.byKind[static_cast<std::size_t>(StageKind::Pretraining)] == s.flop);
    CHECK(e.warnings.empty());
}

TEST_CASE("forwardPerToken returns the per-token forward components", "[estimator]") {
    ModelRecord r = tiny();
    auto comps = Estimator().forwardPerToken(*r.architecture, Exact(4), Exact(4));
    Exact sum = 0;
    for (const auto& c : comps) sum += c.flop.central;
    CHECK(sum == 3488);
    Architecture bad = *r.architecture;
    bad.heads.reset();
    CHECK_THROWS_AS(Estimator().forwardPerToken(bad, Exact(4), Exact(4)), InputError);
}

TEST_CASE("GQA and MQA shrink the K and V projections only", "[estimator]") {
    // d=8, heads=4 (head_dim 2). MQA kv_heads=1: kv width 2.
    // per layer: Q 2x8x8=128, K 2x8x2=32, V 32, O 128 -> 320; two layers 640
    ModelRecord r = tiny();
    r.architecture->heads = qn(4);
    r.architecture->kvHeads = qn(1);
    auto comps = Estimator().forwardPerToken(*r.architecture, Exact(4), Exact(4));
    CHECK(comps[0].name == "attention-projections");
    CHECK(comps[0].flop.central == 640);
    // GQA kv_heads=2: kv width 4, K and V 64 each -> 384 per layer, 768
    r.architecture->kvHeads = qn(2);
    comps = Estimator().forwardPerToken(*r.architecture, Exact(4), Exact(4));
    CHECK(comps[0].flop.central == 768);
    // scores are unchanged: 2 layers x 2x4x8 = 128 (queries still span d_model)
    CHECK(comps[1].name == "attention-scores");
    CHECK(comps[1].flop.central == 128);
    // parameters: per layer Q 64 + K 32 + V 32 + O 64 = 192; MLP 512 -> 704 x 2 = 1408
    ParamCounts p = Estimator().deriveParams(*r.architecture);
    CHECK(p.nonEmbedding->central == 1408);
}

TEST_CASE("explicit head_dim makes the query width differ from d_model (Gemma, T5)",
          "[estimator]") {
    // d=8, heads=2, head_dim=8 -> q width 16; kv_heads=1 -> kv width 8.
    // per layer: Q 2x8x16=256, K 2x8x8=128, V 128, O 2x16x8=256 -> 768; two layers 1536
    // scores per layer 2 x s x 16 = 128 (s=4) -> 256; values 256
    ModelRecord r = tiny();
    r.architecture->headDim = qn(8);
    r.architecture->kvHeads = qn(1);
    auto comps = Estimator().forwardPerToken(*r.architecture, Exact(4), Exact(4));
    CHECK(comps[0].flop.central == 1536);
    CHECK(comps[1].flop.central == 256);
    CHECK(comps[2].flop.central == 256);
}

TEST_CASE("gated MLP has three matrices", "[estimator]") {
    // per layer 3 x 2x8x32 = 1536; two layers 3072 (plain: 2048)
    ModelRecord r = tiny();
    r.architecture->mlp = MlpKind::Gated;
    ModelEstimate e = Estimator().estimate(r);
    CHECK(component(e.stages[0], "mlp") == 3 * 3072 * 1000);
    CHECK(e.stages[0].flop.central == 3 * (3488 + 1024) * 1000);
    // parameters: MLP 3 x 8 x 32 = 768 per layer
    CHECK(e.params.nonEmbedding->central == 2 * (256 + 768));
}

TEST_CASE("tied embeddings change parameter counts, not FLOP", "[estimator]") {
    // non-embedding: per layer attention 4x64 = 256 + MLP 2x256 = 512 -> 768; two layers 1536
    // embeddings: V x d = 80 input, + 80 output when untied
    ModelRecord untied = tiny();
    ModelRecord tied = tiny();
    tied.architecture->tiedEmbeddings = true;
    ModelEstimate eu = Estimator().estimate(untied);
    ModelEstimate et = Estimator().estimate(tied);
    CHECK(eu.params.nonEmbedding->central == 1536);
    CHECK(eu.params.total->central == 1696);
    CHECK(et.params.total->central == 1616);
    CHECK(eu.params.active->central == eu.params.total->central);
    CHECK(eu.stages[0].flop == et.stages[0].flop);  // the logits matmul exists either way
}

namespace {

// L=3, d=8, heads=2, dense ffn=32 plain, V=10, s=4; MoE: 4 experts of width 16, top-2, one
// shared expert, first block dense.
ModelRecord tinyMoe() {
    ModelRecord r = tiny();
    r.architecture->layers = qn(3);
    MoeShape m;
    m.experts = qn(4);
    m.active = qn(2);
    m.shared = qn(1);
    m.expertFfn = qn(16);
    m.denseLayers = qn(1);
    r.architecture->moe = m;
    return r;
}

}  // namespace

TEST_CASE("MoE: routed top-k, shared experts, leading dense layers and router", "[estimator]") {
    // attention 3 x 512 = 1536; scores 3 x 64 = 192; values 192
    // dense block MLP: 2 x 2x8x32 = 1024
    // each of 2 MoE blocks: experts 2 active x (2 x 2x8x16 = 512) = 1024; shared 512;
    //   router 2x8x4 = 64  -> experts 2048, shared 1024, router 128
    // logits 160 -> forward 6304 per token
    ModelEstimate e = Estimator().estimate(tinyMoe());
    const StageEstimate& s = e.stages[0];
    CHECK(component(s, "mlp") == 3 * 1024 * 1000);
    CHECK(component(s, "experts") == 3 * 2048 * 1000);
    CHECK(component(s, "shared-experts") == 3 * 1024 * 1000);
    CHECK(component(s, "router") == 3 * 128 * 1000);
    CHECK(s.flop.central == 3 * 6304 * 1000);
    // params: attention 3 x 256 = 768; dense MLP 512; per MoE block experts 4 x 256 = 1024,
    // shared 256, router 32 -> 1312 x 2 = 2624; non-embedding 3904; + 160 embeddings = 4064
    // active: per MoE block 2 x 256 + 256 + 32 = 800 -> 768 + 512 + 1600 + 160 = 3040
    CHECK(e.params.nonEmbedding->central == 3904);
    CHECK(e.params.total->central == 4064);
    CHECK(e.params.active->central == 3040);
    // six-nd uses the derived active count: 6 x 3040 x 1000
    CHECK(method(s, Method::SixNd).central == 6 * 3040 * 1000);
}

TEST_CASE("MoE counted with all experts", "[estimator]") {
    // experts: 4 x 512 per MoE block x 2 = 4096 instead of 2048 -> forward 8352
    EstimateOptions o;
    o.moe = MoeCounting::AllExperts;
    ModelEstimate e = Estimator(o).estimate(tinyMoe());
    CHECK(e.stages[0].flop.central == 3 * 8352 * 1000);
    CHECK(method(e.stages[0], Method::SixNd).central == 6 * 4064 * 1000);  // total params
}

TEST_CASE("encoder: BERT masked-LM head over all tokens, pooler and classifier per sequence",
          "[estimator]") {
    // per layer: projections 512, scores 64, values 64, MLP 1024 -> 1664; two layers 3328
    // MLM head: transform 2x8x8 = 128 + decoder 2x8x10 = 160 -> 288; forward 3616 per token
    ModelRecord r = tiny(Family::Encoder);
    r.architecture->tiedEmbeddings = true;
    ModelEstimate e = Estimator().estimate(r);
    CHECK(component(e.stages[0], "mlm-head") == 3 * 288 * 1000);
    CHECK(component(e.stages[0], "logits") == -1);
    CHECK(e.stages[0].flop.central == 3 * 3616 * 1000);
    // classes=3: pooler 2x8x8 = 128 and classifier 2x8x3 = 48 per sequence of 4 tokens
    // -> 32 + 12 = 44 per token; forward 3660
    r.architecture->classes = qn(3);
    e = Estimator().estimate(r);
    CHECK(e.stages[0].flop.central == 3 * 3660 * 1000);
    // params: blocks 1536 + transform 64 + pooler 64 + classifier 24 = 1688; tied V x d = 80
    CHECK(e.params.total->central == 1688 + 80);
}

TEST_CASE("encoder-decoder: cross-attention K/V per decoder layer on encoder tokens",
          "[estimator]") {
    // 2+2 layers, d=8, heads=2, head_dim=8 (q width 16), ffn=32 plain, V=10,
    // 10 examples, seq_len 4, target_len 2 -> 40 input tokens
    ModelRecord r;
    r.id = "t5-tiny";
    Architecture a;
    a.family = Family::EncoderDecoder;
    a.encoderLayers = qn(2);
    a.decoderLayers = qn(2);
    a.dModel = qn(8);
    a.heads = qn(2);
    a.headDim = qn(8);
    a.ffn = qn(32);
    a.vocab = qn(10);
    a.tiedEmbeddings = true;
    r.architecture = a;
    Stage s;
    s.examples = qn(10);
    s.seqLen = qn(4);
    s.targetLen = qn(2);
    r.stages.push_back(s);
    // self-attention projections per layer: Q,K,V,O each 2x8x16 = 256 -> 1024
    // encoder, per input token, 2 layers x (1024 + scores 2x4x16=128 + values 128 + MLP 1024)
    //   = 4608
    // cross K,V per input token: 2 decoder layers x 2 x 256 = 1024
    // decoder, per target token, 2 layers x (1024 + 2x2x16=64 + 64 + cross Q,O 512
    //   + cross scores 2x4x16=128 + cross values 128 + MLP 1024) = 5888; logits 160 -> 6048
    // per example: 4 x 4608 + 4 x 1024 + 2 x 6048 = 34624; 10 examples, x3 -> 1 038 720
    ModelEstimate e = Estimator().estimate(r);
    const StageEstimate& st = e.stages[0];
    CHECK(st.flop.central == 1038720);
    CHECK(component(st, "cross-attention-projections") == 3 * 10 * (4 * 1024 + 2 * 1024));
    CHECK(component(st, "cross-attention-scores") == 3 * 10 * 2 * 2 * 128);
    CHECK(component(st, "logits") == 3 * 10 * 2 * 160);
    // params: encoder 2 x (1024/2... ) = 2 x (attention 512 + MLP 512) = 2048;
    // decoder 2 x (self 512 + cross 512 + MLP 512) = 3072; tied embeddings 80
    CHECK(e.params.total->central == 2048 + 3072 + 80);
}

TEST_CASE("vit: patch tokens, CLS classifier, patch embedding trained at 2x forward",
          "[estimator]") {
    // image 8, patch 4, 3 channels -> 4 patches + CLS = 5 tokens; d=8, heads=2, L=2, ffn=32
    ModelRecord r;
    r.id = "vit-tiny";
    Architecture a;
    a.family = Family::Vit;
    a.layers = qn(2);
    a.dModel = qn(8);
    a.heads = qn(2);
    a.ffn = qn(32);
    a.imageSize = qn(8);
    a.patchSize = qn(4);
    a.channels = qn(3);
    a.classes = qn(5);
    r.architecture = a;
    r.modalities = {Modality::Image};
    Stage s;
    s.examples = qn(100);
    r.stages.push_back(s);
    // patch conv: 4 patches x 2 x (4x4x3) x 8 = 3072
    // blocks: 5 tokens x 2 layers x 512 = 5120; scores 2 x 5 x (2x5x8) = 800; values 800;
    //   MLP 5 x 2 x 1024 = 10240; classifier 2x8x5 = 80 -> forward 20112 per image
    // training: 2 x 3072 + 3 x (20112 - 3072) = 57264 per image; 100 images -> 5 726 400
    ModelEstimate e = Estimator().estimate(r);
    CHECK(e.stages[0].flop.central == 5726400);
    CHECK(component(e.stages[0], "patch-embedding") == 2 * 3072 * 100);
    CHECK(component(e.stages[0], "classifier") == 3 * 80 * 100);
    // params: blocks 2 x 768 = 1536 + classifier 40 + patch projection 48 x 8 = 384
    CHECK(e.params.total->central == 1536 + 40 + 384);
    CHECK(e.params.nonEmbedding->central == 1576);
}

TEST_CASE("generic family: forward FLOP per example x 3 x examples", "[estimator]") {
    ModelRecord r;
    r.id = "cnn";
    Architecture a;
    a.family = Family::Generic;
    a.forwardFlopPerExample = qs("4.1e9");
    r.architecture = a;
    Stage s;
    s.examples = qs("1.2e6");
    r.stages.push_back(s);
    Stage ev;
    ev.kind = StageKind::Evaluation;
    ev.examples = qs("5e4");
    r.stages.push_back(ev);
    ModelEstimate e = Estimator().estimate(r);
    CHECK(e.stages[0].flop.central == ex("4.1e9") * 3 * ex("1.2e6"));
    CHECK(e.stages[1].flop.central == ex("4.1e9") * ex("5e4"));  // forward only
    CHECK(e.total.central == e.stages[0].flop.central + e.stages[1].flop.central);
}

TEST_CASE("forward-only stages: architecture at 1x forward, six-nd at 2ND", "[estimator]") {
    ModelRecord r = tiny();
    r.architecture->params = qn(1696);
    for (StageKind k : {StageKind::Inference, StageKind::Evaluation, StageKind::SyntheticData,
                        StageKind::DistillationTeacher}) {
        r.stages[0].kind = k;
        ModelEstimate e = Estimator().estimate(r);
        CHECK(e.stages[0].flop.central == 3488 * 1000);
        CHECK(method(e.stages[0], Method::SixNd).central == 2 * 1696 * 1000);
    }
    r.stages[0].kind = StageKind::FineTuning;
    CHECK(Estimator().estimate(r).stages[0].flop.central == 3 * 3488 * 1000);
}

TEST_CASE("stages run on another model use that model's parameters", "[estimator]") {
    ModelRecord r = tiny();
    Stage teacher;
    teacher.kind = StageKind::DistillationTeacher;
    teacher.tokens = qs("2e12");
    teacher.seqLen = qn(4);
    teacher.params = qs("405e9");
    r.stages.push_back(teacher);
    Stage rm;
    rm.kind = StageKind::RewardModel;
    rm.tokens = qs("1e9");
    rm.params = qs("70e9");
    rm.activeParams = qs("7e9");
    r.stages.push_back(rm);
    ModelEstimate e = Estimator().estimate(r);
    CHECK_FALSE(hasMethod(e.stages[1], Method::Architecture));
    CHECK(e.stages[1].method == Method::SixNd);
    CHECK(e.stages[1].flop.central == 2 * ex("405e9") * ex("2e12"));
    CHECK(e.stages[2].flop.central == 6 * ex("7e9") * ex("1e9"));  // active params
    EstimateOptions all;
    all.moe = MoeCounting::AllExperts;
    CHECK(Estimator(all).estimate(r).stages[2].flop.central == 6 * ex("70e9") * ex("1e9"));
}

TEST_CASE("six-nd reproduces T1, T8 and T9", "[estimator]") {
    ModelRecord r;
    r.id = "x";
    Architecture a;
    a.family = Family::Decoder;
    a.params = qs("175e9");
    r.architecture = a;
    Stage s;
    s.tokens = qs("300e9");
    r.stages.push_back(s);
    ModelEstimate e = Estimator().estimate(r);
    CHECK(e.stages[0].method == Method::SixNd);
    CHECK(e.stages[0].flop.central == ex("3.15e23"));  // T1
    r.architecture->params = qs("540e9");
    r.stages[0].tokens = qs("780e9");
    CHECK(Estimator().estimate(r).stages[0].flop.central == ex("2.5272e24"));  // T8
    // T9: DeepSeek-V3, 671B total, 37B active, 14.8T tokens
    r.architecture->params = qs("671e9");
    r.architecture->activeParams = qs("37e9");
    r.stages[0].tokens = qs("14.8T");
    CHECK(Estimator().estimate(r).stages[0].flop.central == ex("3.2856e24"));
    EstimateOptions all;
    all.moe = MoeCounting::AllExperts;
    CHECK(Estimator(all).estimate(r).stages[0].flop.central == 6 * ex("671e9") * ex("14.8e12"));
}

TEST_CASE("tokens from examples x seq_len", "[estimator]") {
    ModelRecord r = tiny();
    r.stages[0].tokens.reset();
    r.stages[0].examples = qn(250);  // 250 x 4 = 1000 tokens
    ModelEstimate e = Estimator().estimate(r);
    CHECK(e.stages[0].flop.central == 10464000);
}

TEST_CASE("stated flop is preferred, then architecture, six-nd, hardware, --prefer reorders",
          "[estimator]") {
    ModelRecord r = tiny();
    r.architecture->params = qn(1696);
    r.stages[0].flop = qs("2e7");
    ModelEstimate e = Estimator().estimate(r);
    CHECK(e.stages[0].method == Method::Stated);
    CHECK(e.stages[0].flop.central == ex("2e7"));
    CHECK(hasMethod(e.stages[0], Method::Architecture));
    CHECK(method(e.stages[0], Method::SixNd).central == 6 * 1696 * 1000);
    EstimateOptions o;
    o.prefer = {Method::SixNd};
    e = Estimator(o).estimate(r);
    CHECK(e.stages[0].method == Method::SixNd);
    CHECK(e.stages[0].flop.central == 6 * 1696 * 1000);
}

TEST_CASE("a stage no method can estimate: 0 FLOP and a located W815 warning", "[estimator]") {
    ModelRecord r;
    r.id = "bare";
    r.location.file = "models.json";
    r.location.line = 7;
    Stage s;
    s.kind = StageKind::FineTuning;
    s.pointer = "/records/3/stages/1";
    r.stages.push_back(s);
    ModelEstimate e;
    REQUIRE_NOTHROW(e = Estimator().estimate(r));
    CHECK_FALSE(e.stages[0].method);
    CHECK(e.stages[0].flop == Interval::point(Exact(0)));
    REQUIRE(countCode(e, ErrorCode::StageNotEstimated) == 1);
    const Diagnostic& d = e.warnings.back();
    CHECK(d.severity == Severity::Warning);
    CHECK(d.file == "models.json");
    CHECK(d.line == 7);
    CHECK(d.pointer == "/records/3/stages/1");
}

TEST_CASE("stated parameters off by more than 5% raise W801", "[estimator]") {
    ModelRecord r = tiny();             // derived total 1696
    r.architecture->params = qn(1780);  // +4.95%: fine
    CHECK(countCode(Estimator().estimate(r), ErrorCode::ParamMismatch) == 0);
    r.architecture->params = qn(1800);  // +6.1%
    CHECK(countCode(Estimator().estimate(r), ErrorCode::ParamMismatch) == 1);
    r.architecture->params = qn(1600);  // -5.7%
    CHECK(countCode(Estimator().estimate(r), ErrorCode::ParamMismatch) == 1);
}

TEST_CASE("impossible shapes warn and skip the architecture method, never throw", "[estimator]") {
    ModelRecord r = tinyMoe();
    r.architecture->moe->active = qn(5);  // more active than the 4 experts
    ModelEstimate e;
    REQUIRE_NOTHROW(e = Estimator().estimate(r));
    CHECK_FALSE(hasMethod(e.stages[0], Method::Architecture));
    CHECK(countCode(e, ErrorCode::ShapeMismatch) >= 1);
    ModelRecord z = tiny();
    z.architecture->heads = qn(0);
    REQUIRE_NOTHROW(e = Estimator().estimate(z));
    CHECK_FALSE(hasMethod(e.stages[0], Method::Architecture));
    ModelRecord odd = tiny();
    odd.architecture->heads = qn(3);  // does not divide 8: warns, still estimates
    e = Estimator().estimate(odd);
    CHECK(countCode(e, ErrorCode::ShapeMismatch) == 1);
    CHECK(hasMethod(e.stages[0], Method::Architecture));
}

TEST_CASE("uncertain inputs propagate exactly, endpoint by endpoint", "[estimator]") {
    ModelRecord r = tiny();
    r.stages[0].tokens = Quantity(Interval{Exact(500), Exact(1000), Exact(4000)});
    r.architecture->params = Quantity(Interval{Exact(1000), Exact(1696), Exact(2000)});
    ModelEstimate e = Estimator().estimate(r);
    CHECK(e.stages[0].flop.low == 3 * 3488 * 500);
    CHECK(e.stages[0].flop.central == 3 * 3488 * 1000);
    CHECK(e.stages[0].flop.high == 3 * 3488 * 4000);
    const Interval& six = method(e.stages[0], Method::SixNd);
    CHECK(six.low == 6 * 1000 * 500);
    CHECK(six.high == 6 * 2000 * 4000);
}
