// The direct reader of JSON Lines model records (records/record_direct.hpp) against the
// reference (the JSON document and RecordBuilder): it never accepts a line the reference
// rejects, and when it accepts one the record is the same, sample indices and pointers included.
#include "estimate/architecture_stage.hpp"
#include "io/json_sax.hpp"
#include "records/blank_records.hpp"
#include "records/record_builder.hpp"
#include "records/record_direct.hpp"

#include <flopledger/record_reader.hpp>

#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

using namespace flopledger;
using namespace flopledger::detail;

namespace {

// Everything the record holds that output can depend on.
std::string describe(const ModelRecord& m) {
    std::string out = toJson(Record(m));
    out += " |count " + std::to_string(m.uncertainCount) + " |at " + m.location.file + ":" +
           std::to_string(m.location.line) + ":" + m.location.pointer;
    for (const Stage& s : m.stages) out += " |stage " + s.pointer;
    forEachQuantity(m, [&](const Quantity& q) {
        out += " |q " + formatExact(q.value.low) + " " + formatExact(q.value.central) + " " +
               formatExact(q.value.high) + " " + std::string(toString(q.distribution)) + " " +
               std::to_string(q.sampleIndex);
    });
    return out;
}

// The reference: the document, then RecordBuilder. Empty when the line is rejected.
std::string reference(const std::string& line, const ReadLimits& limits) {
    recjson::JsonDocument doc;
    recjson::JsonParseError err;
    const recjson::JsonLimits jl{limits.maxDepth, limits.maxStringBytes};
    if (!recjson::parseJson(line, jl, doc, err)) return {};
    Record r(std::in_place_index<0>, rec::blankModel());
    std::vector<Diagnostic> diags;
    static const std::string file = "f.jsonl";  // the builder keeps a reference
    rec::RecordBuilder builder(doc, limits, file, nullptr, 7);
    if (!builder.build(doc.root(), "", r, diags)) return {};
    if (!std::holds_alternative<ModelRecord>(r)) return "cluster";
    return describe(std::get<ModelRecord>(r));
}

// Direct: empty when it declines.
std::string direct(const std::string& line, const ReadLimits& limits) {
    ModelRecord m = rec::blankModel();
    if (!rec::readModelLineDirect(line, limits, "f.jsonl", 7, m)) return {};
    return describe(m);
}

const std::vector<std::string>& seeds() {
    static const std::vector<std::string> lines = {
        R"({"id":"a","name":"A","developer":"Lab","released":"2024-03-17","modalities":["text","code"],"weights":"open","architecture":{"family":"decoder","layers":32,"d_model":4096,"heads":32,"kv_heads":8,"ffn":14336,"mlp":"gated","vocab":128256},"stages":[{"kind":"pretraining","tokens":"1.5e13","seq_len":8192,"hardware":{"accelerator":"nvidia-h100-sxm","count":16384,"hours":{"low":"311.2","high":"567.1","distribution":"uniform"},"precision":"bf16","utilization":{"low":0.3,"high":0.5}}}]})",
        R"({"id":"b-1","name":"B","developer":"Lab 2","released":"2022-03","modalities":[],"weights":"closed","developer_revenue_usd":"88116432424","bio_sequence_share":0.83,"architecture":{"family":"encoder-decoder","encoder_layers":12,"decoder_layers":24,"d_model":2048,"heads":32,"ffn":8192,"vocab":32128,"tied_embeddings":true},"stages":[{"kind":"pretraining","examples":1840421058,"seq_len":512,"target_len":114},{"kind":"fine-tuning","label":"instruction tuning","flop":16905694999381874311168}]})",
        R"({"id":"c","architecture":{"family":"decoder","layers":{"low":40,"high":48,"central":44,"distribution":"triangular"},"d_model":8192,"heads":64,"ffn":32768,"vocab":128256,"moe":{"experts":64,"active":2,"shared":1,"dense_layers":1,"expert_ffn":1408}},"stages":[{"kind":"rl","params":{"low":"1e9","high":"7e9"},"tokens":{"low":"1e10","high":"3e10","central":"2e10"},"public":false,"recompute":true,"cost_usd":"1.5M"},{"kind":"evaluation","hardware":{"accelerator":"google-tpu-v5p","chip_hours":"1e5","precision":"fp8"}}]})",
        R"({"id":"d","architecture":{"family":"vit","layers":12,"d_model":768,"heads":12,"ffn":3072,"image_size":224,"patch_size":16,"channels":3,"classes":1000},"stages":[{"kind":"pretraining","examples":"1.2e7","images":"3e8","flop":"583709000554227708198912"}]})",
        R"({"id":"e","architecture":{"family":"generic","params":"2.061e+10","forward_flop_per_example":"4.1e10"},"stages":[{"kind":"pretraining","tokens":"2.618e+10","params":"2.061e+10","hardware":{"accelerator":"nvidia-b200","count":4096,"hours":"1451","precision":"bf16","utilization":"38%"}}]})",
        R"( { "id" : "f" , "stages" : [ { "kind" : "other" , "flop" : 0 , "undisclosed" : true , "estimator" : "x" , "confidence" : "Likely" , "source" : "s" } ] } )",
        R"({"id":"g","type":"model","stages":[]})",
        R"({"id":"h","stages":[{"kind":"pretraining","flop":{"low":"1e24","high":"1e23"}}]})",
        R"({"id":"i","stages":[{"kind":"pretraining","flop":{"low":0,"high":"1e23"}}]})",
        R"({"id":"j","stages":[{"kind":"pretraining","flop":{"low":0,"high":"1e23","distribution":"uniform"}}]})",
        R"({"id":"k","stages":[{"kind":"pretraining","flop":{"low":"1","high":"2","central":"3"}}]})",
        R"({"id":"l","released":"2024-02-30","stages":[]})",
        R"({"id":"m","architecture":{"layers":0,"d_model":1.5},"stages":[]})",
        R"({"id":"n","stages":[{"kind":"pretraining","hardware":{"accelerator":"x","utilization":1.5}}]})",
        R"({"id":"o","stages":[{"kind":"pretraining","tokens":-5}]})",
        R"({"id":"p","stages":[{"kind":"pretraining","tokens":"1e99"}]})",
        R"({"id":"q","stages":[{"kind":"pretraining","tokens":123456789012345678901234567890123456789012}]})",
        R"({"id":"r","name":"caf\u00e9","stages":[]})",
        R"({"id":"s","id":"t"})",
        R"({"id":"U"})",
        R"({"name":"no id"})",
        R"({"id":"v","stages":[{"kind":"pretraining","hardware":{"accelerator":"a","days":3}}]})",
        R"({"id":"w","sources":[{"what":"x","url":"y"}],"notes":"n"})",
        R"({"type":"cluster","id":"x","count":10})",
        R"({"id":"y","stages":[{"kind":"pretraining","seq_len":00}]})",
        R"({"id":"z","stages":[{"kind":"pretraining","seq_len":1e3}]})",
    };
    return lines;
}

void check(const std::string& line, const ReadLimits& limits) {
    const std::string d = direct(line, limits);
    if (d.empty()) return;  // declined: the reference reads it
    INFO(line);
    CHECK(d == reference(line, limits));
}

}  // namespace

TEST_CASE("direct record reader: the same record as the document and RecordBuilder",
          "[reader][fast-path]") {
    if constexpr (!kFastPaths) return;  // not used without the fast paths
    const ReadLimits limits;
    int accepted = 0;
    for (const std::string& line : seeds()) {
        check(line, limits);
        if (!direct(line, limits).empty()) ++accepted;
    }
    // The usual shapes are read directly (a, b, c, d, f, i... not the ones with errors).
    CHECK(!direct(seeds()[0], limits).empty());
    CHECK(!direct(seeds()[1], limits).empty());
    CHECK(!direct(seeds()[2], limits).empty());
    CHECK(!direct(seeds()[3], limits).empty());
    CHECK(direct(seeds()[7], limits).empty());  // low above high: the reference's diagnostic
    CHECK(accepted >= 6);

    // Tighter limits decline where the reference would refuse.
    ReadLimits tight;
    tight.maxStages = 0;
    tight.maxStringBytes = 3;
    tight.numbers.maxExponent = 5;
    for (const std::string& line : seeds()) check(line, tight);

    // Mutations: every single-byte deletion and replacement of the seeds, and random edits.
    std::mt19937 rng(19);
    const std::string alphabet = "{}[],:\"0123456789.eE-+ \\atfnlu%x";
    for (const std::string& seed : seeds()) {
        for (std::size_t i = 0; i < seed.size(); ++i) {
            std::string del = seed;
            del.erase(i, 1);
            check(del, limits);
            std::string rep = seed;
            rep[i] = alphabet[rng() % alphabet.size()];
            check(rep, limits);
        }
    }
}
