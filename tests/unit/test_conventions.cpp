// Every convention on the GPT-3 175B shape against the reference test vectors T2-T7 (computed
// independently with exact rationals in docs/methodology.md).
#include "test_estimator_support.hpp"

#include <catch2/catch.hpp>

using namespace flopledger;
using namespace flopledger::test;

namespace {

Exact archFlop(const ModelRecord& r, const EstimateOptions& o) {
    ModelEstimate e = Estimator(o).estimate(r);
    REQUIRE(e.stages.size() == 1);
    REQUIRE(e.stages[0].method == Method::Architecture);
    return e.stages[0].flop.central;
}

}  // namespace

TEST_CASE("matmul convention reproduces T2 (Megatron 72-formula, full attention)",
          "[conventions]") {
    ModelRecord r = gpt3();
    CHECK(archFlop(r, {}) == Exact(BigInt("322912029081600000000000")));
}

TEST_CASE("matmul breakdown on GPT-3 sums to the total, logits 2dV per token", "[conventions]") {
    ModelRecord r = gpt3();
    ModelEstimate e = Estimator().estimate(r);
    const StageEstimate& s = e.stages[0];
    Exact sum = 0;
    for (const auto& c : s.breakdown) sum += c.flop.central;
    CHECK(sum == s.flop.central);
    // logits: 3 x 2 x 12288 x 50257 x 300e9
    CHECK(component(s, "logits") == Exact(3) * 2 * 12288 * 50257 * ex("300e9"));
    // scores: 3 x 96 layers x 2 x 2048 x 12288 x 300e9
    CHECK(component(s, "attention-scores") == Exact(3) * 96 * 2 * 2048 * 12288 * ex("300e9"));
    CHECK(component(s, "embedding") == -1);  // lookups are free under matmul
}

TEST_CASE("kaplan convention reproduces T6", "[conventions]") {
    CHECK(archFlop(gpt3(), withConvention(Convention::Kaplan)) ==
          Exact(BigInt("317451770265600000000000")));
}

TEST_CASE("chinchilla convention reproduces T7", "[conventions]") {
    ModelEstimate e = Estimator(withConvention(Convention::Chinchilla)).estimate(gpt3());
    CHECK(e.stages[0].flop.central == Exact(BigInt("324074594304000000000000")));
    // softmax 3 FLOP per score: 3 (training) x 3 x 96 heads x 2048 x 96 layers x 300e9
    CHECK(component(e.stages[0], "softmax") == Exact(3) * 3 * 96 * 2048 * 96 * ex("300e9"));
}

TEST_CASE("palm convention reproduces T5 with N = 12 L h^2", "[conventions]") {
    CHECK(archFlop(gpt3(), withConvention(Convention::Palm)) ==
          Exact(BigInt("321800424652800000000000")));
}

TEST_CASE("palm convention N choices add the embedding matrices", "[conventions]") {
    // Against the non-embedding default, Total adds 6 x V x d per token for the input embedding
    // and another 6 V d for the untied output; tied-output-kept adds one 6 V d.
    const Exact base = Exact(BigInt("321800424652800000000000"));
    const Exact vd = Exact(6) * 50257 * 12288 * ex("300e9");
    EstimateOptions o = withConvention(Convention::Palm);
    o.palmParams = PalmParams::Total;
    CHECK(archFlop(gpt3(), o) == base + 2 * vd);
    ModelRecord tied = gpt3();
    tied.architecture->tiedEmbeddings = true;
    CHECK(archFlop(tied, o) == base + vd);
    o.palmParams = PalmParams::NonEmbeddingTiedOutput;
    CHECK(archFlop(gpt3(), o) == base + vd);
}

TEST_CASE("megatron convention reproduces T4, with and without vocabulary padding",
          "[conventions]") {
    EstimateOptions o = withConvention(Convention::Megatron);
    CHECK(archFlop(gpt3(), o) == Exact(BigInt("318563374694400000000000")));
    o.megatronPadVocab = true;  // 50257 -> 50304
    CHECK(archFlop(gpt3(), o) == Exact(BigInt("318564414259200000000000")));
}

TEST_CASE("recompute adds one block forward as hardware FLOP: matmul + recompute = T3",
          "[conventions]") {
    ModelRecord r = gpt3();
    r.stages[0].recompute = true;
    ModelEstimate e = Estimator().estimate(r);
    const StageEstimate& s = e.stages[0];
    CHECK(s.flop.central == Exact(BigInt("322912029081600000000000")));  // model FLOP unchanged
    REQUIRE(s.recomputeFlop);
    CHECK(s.flop.central + s.recomputeFlop->central == Exact(BigInt("430178837299200000000000")));
    CHECK(e.total.central == s.flop.central);
    CHECK(countedFlop(e, CountingScope::all()).central ==
          Exact(BigInt("430178837299200000000000")));
    CHECK(countedFlop(e, CountingScope::trainingOnly()).central == s.flop.central);
}

TEST_CASE("non-decoder families fall back to matmul under other conventions, with a note",
          "[conventions]") {
    ModelRecord enc = tiny(Family::Encoder);
    ModelEstimate k = Estimator(withConvention(Convention::Kaplan)).estimate(enc);
    ModelEstimate m = Estimator().estimate(enc);
    CHECK(k.stages[0].flop == m.stages[0].flop);
    CHECK(countCode(k, ErrorCode::AssumptionUsed) == 1);
    CHECK(countCode(m, ErrorCode::AssumptionUsed) == 0);
}

TEST_CASE("convention and method names round-trip", "[conventions]") {
    for (Convention c : {Convention::Matmul, Convention::Kaplan, Convention::Chinchilla,
                         Convention::Palm, Convention::Megatron}) {
        CHECK(parseConvention(toString(c)) == c);
    }
    CHECK(toString(Method::SixNd) == "six-nd");
    CHECK(parseMethod("hardware") == Method::Hardware);
    CHECK_FALSE(parseConvention("flops"));
}
