// The record reader: formats, exact numbers, locations and diagnostics.
#include <flopledger/record_reader.hpp>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

using namespace flopledger;

namespace {

const ModelRecord& model(const ReadResult& r, std::size_t i) {
    REQUIRE(i < r.records.size());
    REQUIRE(std::holds_alternative<ModelRecord>(r.records[i]));
    return std::get<ModelRecord>(r.records[i]);
}

const Diagnostic& firstError(const ReadResult& r) {
    REQUIRE_FALSE(r.diagnostics.empty());
    return r.diagnostics.front();
}

ReadResult read(const std::string& text) {
    return RecordReader().readText(text, "t.json");
}

}  // namespace

TEST_CASE("a full model record is read field by field", "[reader]") {
    const std::string text = R"({
  "id": "demo-7b", "name": "Demo 7B", "developer": "Lab", "released": "2024-07",
  "modalities": ["text", "code"], "bio_sequence_share": "0.25", "weights": "open",
  "developer_revenue_usd": "1.5B",
  "parent": {"id": "base", "training_flop": 1e25, "systemic_risk": false},
  "architecture": {"family": "decoder", "params": "7B", "layers": 32, "d_model": 4096,
    "heads": 32, "kv_heads": 8, "ffn": 14336, "mlp": "gated", "vocab": 128256,
    "tied_embeddings": true, "moe": {"experts": 8, "active": 2}},
  "stages": [
    {"kind": "pretraining", "tokens": "15.6T", "seq_len": 8192, "flop": 3.8e25,
     "hardware": {"accelerator": "nvidia-h100-sxm", "count": 16384, "hours": 1000,
                  "precision": "bf16", "utilization": 0.38}, "recompute": true},
    {"kind": "fine-tuning", "label": "SFT", "flop": {"low": "1e22", "high": "1e23"},
     "estimator": "Epoch AI", "confidence": "Likely"}
  ],
  "reported": {"training_flop": "3.8e25", "source": "paper", "note": "Table 1"},
  "sources": [{"what": "card", "url": "https://example.org"}],
  "notes": "test"
})";
    const ReadResult r = read(text);
    INFO((r.diagnostics.empty() ? "" : r.diagnostics.front().toString()));
    REQUIRE(r.ok());
    const ModelRecord& m = model(r, 0);
    CHECK(m.id == "demo-7b");
    CHECK(m.name == "Demo 7B");
    CHECK(m.released->toString() == "2024-07");
    CHECK(m.modalities == std::vector<Modality>{Modality::Text, Modality::Code});
    CHECK(m.bioSequenceShare->central() == Exact(BigInt(1), BigInt(4)));
    CHECK(m.openWeights == true);
    CHECK(m.developerRevenueUsd->central() == parseExact("1500000000"));
    CHECK(m.parent->id == "base");
    CHECK(m.parent->trainingFlop->central() == pow10(25));
    CHECK(m.parent->systemicRisk == false);
    const Architecture& a = *m.architecture;
    CHECK(a.params->central() == parseExact("7000000000"));
    CHECK(a.kvHeads->central() == 8);
    CHECK(a.mlp == MlpKind::Gated);
    CHECK(a.tiedEmbeddings);
    CHECK(a.moe->experts.central() == 8);
    CHECK(a.moe->shared.central() == 0);
    REQUIRE(m.stages.size() == 2);
    const Stage& s = m.stages[0];
    CHECK(s.pointer == "/stages/0");
    CHECK(s.tokens->central() == parseExact("15600000000000"));
    // The JSON number 3.8e25 is read from its text: exactly 38 * 10^24, not the double.
    CHECK(s.flop->central() == 38 * pow10(24));
    CHECK(s.hardware->precision == Precision::Bf16);
    CHECK(s.hardware->utilization->central() == Exact(BigInt(38), BigInt(100)));
    CHECK(s.recompute);
    const Stage& ft = m.stages[1];
    CHECK(ft.pointer == "/stages/1");
    CHECK(ft.kind == StageKind::FineTuning);
    CHECK(ft.flop->value.low == pow10(22));
    CHECK(ft.flop->value.high == pow10(23));
    // Default central: the exact midpoint (1e22 + 1e23) / 2 = 5.5e22.
    CHECK(ft.flop->value.central == 55 * pow10(21));
    CHECK(ft.flop->distribution == Distribution::LogUniform);
    CHECK(ft.flop->sampleIndex == 0);
    CHECK(m.uncertainCount == 1);
    CHECK(ft.estimator == "Epoch AI");
    CHECK(ft.confidence == "Likely");
    CHECK(m.reported->note == "Table 1");
    CHECK(m.sources.at(0).url == "https://example.org");
    CHECK(m.location.line == 1);
    CHECK(m.location.pointer.empty());
}

TEST_CASE("large integer literals and negative zero are exact", "[reader]") {
    // 2^64 + 1 overflows uint64: nlohmann hands it over as a float with its text.
    const ReadResult r =
        read(R"({"id": "a", "stages": [{"kind": "pretraining", "flop": 18446744073709551617}]})");
    REQUIRE(r.ok());
    CHECK(model(r, 0).stages[0].flop->central() == parseExact("18446744073709551617"));
}

TEST_CASE("arrays, records objects and JSON Lines give locations", "[reader]") {
    SECTION("array") {
        const ReadResult r = read(
            "[\n{\"id\": \"a\"},\n\n  {\"id\": \"b\",\n \"stages\": "
            "[{\"kind\": \"rl\", \"flop\": 1}]}\n]");
        REQUIRE(r.ok());
        CHECK(model(r, 0).location.pointer == "/0");
        CHECK(model(r, 0).location.line == 2);
        CHECK(model(r, 1).location.pointer == "/1");
        CHECK(model(r, 1).location.line == 4);
        CHECK(model(r, 1).stages[0].pointer == "/1/stages/0");
    }
    SECTION("object with records") {
        const ReadResult r = read(
            "{\"records\": [\n{\"id\": \"a\"},\n{\"type\": \"cluster\", "
            "\"id\": \"c\", \"count\": 100000}]}");
        REQUIRE(r.ok());
        REQUIRE(r.records.size() == 2);
        CHECK(recordLocation(r.records[1]).pointer == "/records/1");
        CHECK(recordLocation(r.records[1]).line == 3);
        REQUIRE(std::holds_alternative<ClusterRecord>(r.records[1]));
        CHECK(std::get<ClusterRecord>(r.records[1]).count->central() == 100000);
    }
    SECTION("JSON Lines with CRLF and blank lines; a bad line does not stop the rest") {
        const ReadResult r = read(
            "{\"id\": \"a\"}\r\n\r\n{\"id\": \"b\", \"stages\": [{\"kind\": "
            "\"pretrainig\"}]}\r\n{\"id\": \"c\"}\r\n");
        REQUIRE(r.records.size() == 2);
        CHECK(model(r, 0).location.line == 1);
        CHECK(model(r, 1).id == "c");
        CHECK(model(r, 1).location.line == 4);
        REQUIRE(r.diagnostics.size() == 1);
        const Diagnostic& d = r.diagnostics[0];
        CHECK(d.code == ErrorCode::BadEnum);
        CHECK(d.line == 3);
        CHECK(d.pointer == "/stages/0/kind");
        CHECK(d.message.find("did you mean 'pretraining'?") != std::string::npos);
    }
    SECTION("JSON Lines whose first line is broken") {
        const ReadResult r = read("{\"id\": \"a\",\n{\"id\": \"b\"}\n{\"id\": \"c\"}\n");
        CHECK(r.records.size() == 2);
        CHECK(firstError(r).code == ErrorCode::JsonSyntax);
        CHECK(firstError(r).line == 1);
    }
    SECTION("a pretty-printed single record") {
        const ReadResult r = read(
            "{\n  \"id\": \"solo\",\n  \"stages\": [\n    {\"kind\": "
            "\"pretraining\", \"flop\": \"1e24\"}\n  ]\n}\n");
        REQUIRE(r.ok());
        CHECK(model(r, 0).location.pointer.empty());
        CHECK(model(r, 0).stages[0].pointer == "/stages/0");
    }
}

TEST_CASE("field errors name the line, pointer and a fix", "[reader]") {
    const ReadResult r = read(
        "[\n{\"id\": \"a\",\n \"stages\": [{\"kind\": \"pretraining\",\n"
        "  \"tokns\": 5}]}\n]");
    const Diagnostic& d = firstError(r);
    CHECK(d.code == ErrorCode::UnknownField);
    CHECK(d.line == 4);
    CHECK(d.pointer == "/0/stages/0/tokns");
    CHECK(d.message.find("did you mean 'tokens'?") != std::string::npos);
    CHECK(r.records.empty());
    CHECK(d.toString().find('\n') == std::string::npos);
}

TEST_CASE("numeric rules", "[reader]") {
    auto code = [](const std::string& stage) {
        const ReadResult r = read(R"({"id": "a", "stages": [)" + stage + "]}");
        return r.diagnostics.empty() ? ErrorCode::Internal : r.diagnostics.front().code;
    };
    CHECK(code(R"({"kind": "rl", "tokens": -5})") == ErrorCode::NumberNegative);
    CHECK(code(R"({"kind": "rl", "seq_len": 0})") == ErrorCode::NumberZero);
    CHECK(code(R"({"kind": "rl", "seq_len": 2048.5})") == ErrorCode::NumberNotInteger);
    CHECK(code(R"({"kind": "rl", "flop": "1e61"})") == ErrorCode::NumberRange);
    CHECK(code(R"({"kind": "rl", "flop": 1e61})") == ErrorCode::NumberRange);
    CHECK(code(R"({"kind": "rl", "flop": "NaN"})") == ErrorCode::NumberSyntax);
    CHECK(code(R"({"kind": "rl", "flop": true})") == ErrorCode::WrongType);
    CHECK(code(R"({"kind": "rl", "flop": {"low": 5, "high": 1}})") == ErrorCode::IntervalOrder);
    CHECK(code(R"({"kind": "rl", "flop": {"low": 1, "high": 5, "central": 6}})") ==
          ErrorCode::IntervalOrder);
    CHECK(code(R"({"kind": "rl", "flop": {"low": 1}})") == ErrorCode::MissingField);
    CHECK(code(R"({"kind": "rl", "flop": {"low": 1, "high": 2, "distribution": "normal"}})") ==
          ErrorCode::BadDistribution);
    CHECK(code(R"({"kind": "rl", "hardware": {"accelerator": "x", "utilization": 1.2}})") ==
          ErrorCode::NumberOutOfRange);
    CHECK(code(R"({"kind": "rl", "hardware": {"accelerator": "x", "utilization": 0}})") ==
          ErrorCode::NumberOutOfRange);
    CHECK(code(R"({"kind": "rl", "hardware": {"accelerator": "x", "precision": "BF16"}})") ==
          ErrorCode::BadEnum);
    CHECK(code(R"({"label": "x"})") == ErrorCode::MissingField);
    CHECK(code(R"({"kind": "rl", "flop": 1, "flop": 2})") == ErrorCode::JsonSyntax);
}

TEST_CASE("uncertain quantities get sequential sample indices per record", "[reader]") {
    const ReadResult r = read(R"([{"id": "a", "architecture": {"params": {"low": "1B", "high":
        "2B", "distribution": "uniform"}}, "stages": [{"kind": "rl", "tokens": {"low": 1,
        "high": 1}, "flop": {"low": 1, "high": 3, "central": 2, "distribution": "triangular"}}]},
{"id": "b", "stages": [{"kind": "rl", "flop": {"low": 1, "high": 3}}]}])");
    REQUIRE(r.ok());
    const ModelRecord& a = model(r, 0);
    CHECK(a.architecture->params->sampleIndex == 0);
    CHECK(a.architecture->params->distribution == Distribution::Uniform);
    CHECK(a.stages[0].tokens->sampleIndex == -1);  // low == high: a point
    CHECK(a.stages[0].flop->sampleIndex == 1);
    CHECK(a.stages[0].flop->distribution == Distribution::Triangular);
    CHECK(a.uncertainCount == 2);
    CHECK(model(r, 1).stages[0].flop->sampleIndex == 0);
}

TEST_CASE("ids, dates, enums and duplicates", "[reader]") {
    CHECK(firstError(read(R"({"id": "Bad Id"})")).code == ErrorCode::BadId);
    CHECK(firstError(read(R"({"name": "x"})")).code == ErrorCode::MissingField);
    CHECK(firstError(read(R"({"id": "a", "released": "2025-02-30"})")).code == ErrorCode::BadDate);
    CHECK(firstError(read(R"({"id": "a", "weights": "opened"})")).code == ErrorCode::BadEnum);
    CHECK(firstError(read(R"({"id": "a", "type": "modle"})")).message.find("'model'") !=
          std::string::npos);
    const auto m = firstError(read(R"({"id": "a", "modalities": ["txt"]})"));
    CHECK(m.code == ErrorCode::BadEnum);
    CHECK(m.pointer == "/modalities/0");
    CHECK(m.message.find("did you mean 'text'?") != std::string::npos);

    const ReadResult dup = read("[{\"id\": \"a\"},\n{\"id\": \"b\"},\n{\"id\": \"a\"}]");
    CHECK(dup.records.size() == 2);
    const Diagnostic& d = firstError(dup);
    CHECK(d.code == ErrorCode::DuplicateId);
    CHECK(d.line == 3);
    CHECK(d.pointer == "/2/id");
    CHECK(d.message.find("line 1") != std::string::npos);
}

TEST_CASE("encodings and limits", "[reader]") {
    CHECK(read("\xef\xbb\xbf{\"id\": \"bom\"}").ok());
    CHECK(firstError(read(std::string("\xff\xfe{\0\"\0", 6))).code == ErrorCode::Encoding);
    CHECK(firstError(read(std::string("{\"id\": \"a\0\"}", 12))).code == ErrorCode::Encoding);
    CHECK(firstError(read("{\"id\": \"a\xff\xfe\"}")).code == ErrorCode::Encoding);
    const ReadResult deep = read(std::string(100000, '['));
    CHECK(firstError(deep).code == ErrorCode::JsonDepth);
    CHECK(firstError(deep).line == 1);

    ReadLimits small;
    small.maxStringBytes = 10;
    const ReadResult longString =
        RecordReader(small).readText(R"({"id": "a", "name": "0123456789abc"})", "s.json");
    CHECK(firstError(longString).code == ErrorCode::InputTooLarge);

    ReadLimits few;
    few.maxRecords = 2;
    const ReadResult many =
        RecordReader(few).readText("[{\"id\":\"a\"},{\"id\":\"b\"},{\"id\":\"c\"}]", "m");
    CHECK(many.records.size() == 2);
    CHECK(firstError(many).code == ErrorCode::InputTooLarge);

    ReadLimits tiny;
    tiny.maxInputBytes = 5;
    CHECK(firstError(RecordReader(tiny).readText("[{\"id\":\"a\"}]", "x")).code ==
          ErrorCode::InputTooLarge);
    CHECK(read("").ok());
    CHECK(read("  \n").records.empty());
}

TEST_CASE("JSON syntax errors carry the line of the error", "[reader]") {
    const ReadResult r1 = read("[\n{\"id\": \"a\"},\n{\"id\": \"b\"\n");
    const Diagnostic& d = firstError(r1);
    CHECK(d.code == ErrorCode::JsonSyntax);
    CHECK(d.line == 4);  // end of input, after the last newline
    const ReadResult r2 = read("[\n{\"id\": \"a\"},\n{\"id\": tru}\n]");
    const Diagnostic& e = firstError(r2);
    CHECK(e.code == ErrorCode::JsonSyntax);
    CHECK(e.line == 3);
}

TEST_CASE("parseLine throws a located InputError", "[reader]") {
    const RecordReader reader;
    const Record ok = reader.parseLine(R"({"id": "x", "stages": [{"kind": "rl", "flop": "2e24"}]})",
                                       "s.jsonl", 7);
    CHECK(recordLocation(ok).line == 7);
    try {
        (void)reader.parseLine(R"({"id": "x", "stages": [{"kind": "rl", "flop": -1}]})", "s.jsonl",
                               9);
        FAIL("no error");
    } catch (const InputError& e) {
        CHECK(e.diagnostic().code == ErrorCode::NumberNegative);
        CHECK(e.diagnostic().line == 9);
        CHECK(e.diagnostic().file == "s.jsonl");
        CHECK(e.diagnostic().pointer == "/stages/0/flop");
    }
}

TEST_CASE("toJson round-trips records exactly", "[reader][writer]") {
    const std::string text = R"({"id": "rt", "name": "Round \"trip\"", "released": "2024",
      "modalities": ["image"], "weights": "closed",
      "architecture": {"family": "vit", "image_size": 224, "patch_size": 16, "layers": 12,
        "d_model": 768, "heads": 12, "classes": 1000, "moe": {"experts": 4, "active": 1}},
      "stages": [{"kind": "pretraining", "flop": 0.1, "tokens": {"low": "1", "high": "3",
        "central": "1.5", "distribution": "uniform"}, "public": true,
        "hardware": {"accelerator": "google-tpu-v4", "chip_hours": "1.5M", "precision": "bf16"}}],
      "parent": {"systemic_risk": true}, "reported": {"source": "x"}}
{"type": "cluster", "id": "c1", "accelerator": "nvidia-h100-sxm", "count": 100000,
 "network_gbit_s": 400, "single_datacenter": true, "peak_flop_per_s": "9.89e19"})";
    // Two records, the first spanning lines: read as a whole document array instead.
    const std::string arrayText = "[" + text.substr(0, text.find("\n{\"type\"")) + "," +
                                  text.substr(text.find("\n{\"type\"")) + "]";
    const ReadResult r = read(arrayText);
    INFO((r.diagnostics.empty() ? "" : r.diagnostics.front().toString()));
    REQUIRE(r.ok());
    REQUIRE(r.records.size() == 2);
    for (const Record& rec : r.records) {
        const std::string line = toJson(rec);
        CHECK(line.find('\n') == std::string::npos);
        const ReadResult again = read(line);
        REQUIRE(again.ok());
        CHECK(toJson(again.records.at(0)) == line);
    }
    const std::string first = toJson(r.records[0]);
    CHECK(first.find(R"("flop":"0.1")") != std::string::npos);
    CHECK(first.rfind(R"({"type":"model","id":"rt","name")", 0) == 0);
    const ModelRecord again = std::get<ModelRecord>(read(first).records.at(0));
    const ModelRecord& orig = model(r, 0);
    CHECK(again.stages[0].flop->central() == orig.stages[0].flop->central());
    CHECK(again.stages[0].tokens->value == orig.stages[0].tokens->value);
    CHECK(again.stages[0].tokens->distribution == Distribution::Uniform);
    CHECK(again.architecture->imageSize->central() == 224);
    CHECK(again.parent->systemicRisk == true);
    CHECK(again.openWeights == false);
}

TEST_CASE("knownFields describes every object kind", "[reader]") {
    for (auto kind : knownObjectKinds()) CHECK_FALSE(knownFields(kind).empty());
    CHECK(knownFields("nope").empty());
    const auto stage = knownFields("stage");
    CHECK(std::find(stage.begin(), stage.end(), "estimator") != stage.end());
}

TEST_CASE("readPath reads a directory of .json files in name order", "[reader]") {
    namespace fs = std::filesystem;
    const fs::path dir = fs::path(FLOPLEDGER_BINARY_DIR) / "reader-dir-test";
    fs::remove_all(dir);
    fs::create_directories(dir);
    auto write = [&](const char* name, const std::string& text) {
        std::ofstream(dir / name, std::ios::binary) << text;
    };
    write("b.json", "[{\"id\": \"b1\"},\n{\"id\": \"a1\"}]");
    write("a.json", "{\"id\": \"a1\"}");
    write("c.jsonl", "{\"id\": \"c1\"}\n{\"id\": \"c2\"}\n");
    write("notes.txt", "not a registry");
    const ReadResult r = RecordReader().readPath(dir.string());
    REQUIRE(r.records.size() == 4);
    CHECK(recordId(r.records[0]) == "a1");
    CHECK(recordId(r.records[1]) == "b1");
    CHECK(recordId(r.records[2]) == "c1");
    REQUIRE(r.diagnostics.size() == 1);
    const Diagnostic& d = r.diagnostics[0];
    CHECK(d.code == ErrorCode::DuplicateId);
    CHECK(d.file == (dir / "b.json").string());
    CHECK(d.line == 2);
    CHECK(d.pointer == "/1/id");
    CHECK(d.message.find("a.json line 1") != std::string::npos);

    const ReadResult missing = RecordReader().readPath((dir / "nope.json").string());
    REQUIRE(missing.diagnostics.size() == 1);
    CHECK(missing.diagnostics[0].code == ErrorCode::FileNotFound);
    fs::remove_all(dir);
}
