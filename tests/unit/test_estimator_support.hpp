#pragma once
// Helpers for the estimation tests: records built in C++ (no reader involved).
#include <flopledger/estimate.hpp>
#include <flopledger/exact.hpp>

#include <string>

namespace flopledger::inline v1::test {

/// An exact value from decimal text ("989.4e12", "322912029081600000000000").
inline Exact ex(const char* text) {
    return parseExact(text);
}
inline Quantity qn(long long v) {
    return Quantity(Exact(v));
}
inline Quantity qs(const char* text) {
    return Quantity(parseExact(text));
}

/// The GPT-3 175B shape of reference section 5: L=96, h=12288, 96 heads, d_ff=4h, V=50257,
/// plain MLP, untied embeddings; one pretraining stage of 300e9 tokens at seq_len 2048.
inline ModelRecord gpt3() {
    ModelRecord r;
    r.id = "gpt-3";
    r.name = "GPT-3 175B";
    r.modalities = {Modality::Text};
    Architecture a;
    a.family = Family::Decoder;
    a.layers = qn(96);
    a.dModel = qn(12288);
    a.heads = qn(96);
    a.ffn = qn(4 * 12288);
    a.vocab = qn(50257);
    r.architecture = a;
    Stage s;
    s.kind = StageKind::Pretraining;
    s.tokens = qs("300e9");
    s.seqLen = qn(2048);
    s.pointer = "/stages/0";
    r.stages.push_back(s);
    return r;
}

/// A tiny decoder for hand-derived checks: L=2, d=8, 2 heads, ffn=32, V=10; one pretraining
/// stage of 1000 tokens at seq_len 4.
inline ModelRecord tiny(Family family = Family::Decoder) {
    ModelRecord r;
    r.id = "tiny";
    Architecture a;
    a.family = family;
    a.layers = qn(2);
    a.dModel = qn(8);
    a.heads = qn(2);
    a.ffn = qn(32);
    a.vocab = qn(10);
    r.architecture = a;
    Stage s;
    s.kind = StageKind::Pretraining;
    s.tokens = qn(1000);
    s.seqLen = qn(4);
    s.pointer = "/stages/0";
    r.stages.push_back(s);
    return r;
}

inline const Interval& method(const StageEstimate& s, Method m) {
    return *s.methods[static_cast<std::size_t>(m)];
}

inline bool hasMethod(const StageEstimate& s, Method m) {
    return s.methods[static_cast<std::size_t>(m)].has_value();
}

inline Exact component(const StageEstimate& s, const std::string& name) {
    for (const auto& c : s.breakdown) {
        if (c.name == name) return c.flop.central;
    }
    return Exact(-1);
}

inline int countCode(const ModelEstimate& e, ErrorCode code) {
    int n = 0;
    for (const auto& d : e.warnings) n += d.code == code ? 1 : 0;
    return n;
}

inline EstimateOptions withConvention(Convention c) {
    EstimateOptions o;
    o.convention = c;
    return o;
}

}  // namespace flopledger::test
