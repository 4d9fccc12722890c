// Epoch AI CSV import on small hand-written exports.
#include <flopledger/epoch_import.hpp>
#include <flopledger/record_reader.hpp>

#include <catch2/catch.hpp>

using namespace flopledger;

namespace {

const std::string kHeader =
    "Model,Domain,Organization,Publication date,Link,Reference,Parameters,"
    "Training compute (FLOP),Training compute lower bound,Training compute upper bound,"
    "Confidence,Finetune compute (FLOP),Training hardware,Hardware quantity,"
    "Training time (hours),Hardware utilization (MFU),Model accessibility,Numerical format\n";

}  // namespace

TEST_CASE("Epoch rows become records with exact stated compute", "[epoch]") {
    const std::string csv =
        kHeader +
        "GPT-3 175B (davinci),Language,OpenAI,2020-05-28,https://arxiv.org/abs/2005.14165,"
        "\"Language Models are Few-Shot Learners\",175000000000,3.14e+23,,,Confident,,"
        "NVIDIA Tesla V100 DGXS 32 GB,10000,355.2,,API access,\n"
        "\"Llama 3.1-405B\",\"Language\",Meta AI,2024-07-23,https://x.org/a https://x.org/b,"
        "\"The Llama 3 Herd of Models\",405000000000,3.8e+25,1e+25,1e+26,Likely,1.5e+23,"
        "NVIDIA H100 SXM5 80GB,16384,1440,0.41,Open weights (restricted use),BF16\n"
        "GPT-3 175B (davinci),\"Multimodal,Language,Vision\",\"A, \"\"quoted\"\"\nname\",2021,,"
        ",,,5.65e19,1e19,Speculative,,,,,,,\r\n"
        "Bad,Biology,Lab,2025-02-30,,,,abc,,,Unknown,,,,,,Unreleased,\n";
    std::vector<Diagnostic> diags;
    const auto records = importEpochCsv(csv, "epoch.csv", diags);
    REQUIRE(records.size() == 4);

    const ModelRecord& gpt3 = records[0];
    CHECK(gpt3.id == "gpt-3-175b-davinci");
    CHECK(gpt3.developer == "OpenAI");
    CHECK(gpt3.released->toString() == "2020-05-28");
    CHECK(gpt3.modalities == std::vector<Modality>{Modality::Text});
    CHECK(gpt3.openWeights == false);
    CHECK(gpt3.architecture->params->central() == parseExact("175e9"));
    REQUIRE(gpt3.stages.size() == 1);
    CHECK(gpt3.stages[0].kind == StageKind::Pretraining);
    CHECK(gpt3.stages[0].flop->central() == 314 * pow10(21));
    CHECK(gpt3.stages[0].estimator == "Epoch AI");
    CHECK(gpt3.stages[0].confidence == "Confident");
    CHECK_FALSE(gpt3.stages[0].hardware);  // "V100 DGXS" is not in our table
    CHECK(gpt3.notes.find("NVIDIA Tesla V100 DGXS 32 GB") != std::string::npos);
    CHECK(gpt3.location.line == 2);

    const ModelRecord& llama = records[1];
    CHECK(llama.openWeights == true);
    const Stage& pre = llama.stages.at(0);
    CHECK(pre.flop->value.low == pow10(25));
    CHECK(pre.flop->value.central == 38 * pow10(24));
    CHECK(pre.flop->value.high == pow10(26));
    CHECK(pre.flop->sampleIndex == 0);
    CHECK(llama.uncertainCount == 1);
    REQUIRE(pre.hardware);
    CHECK(pre.hardware->accelerator == "nvidia-h100-sxm");
    CHECK(pre.hardware->count->central() == 16384);
    CHECK(pre.hardware->utilization->central() == Exact(BigInt(41), BigInt(100)));
    CHECK(pre.hardware->precision == Precision::Bf16);
    const Stage& ft = llama.stages.at(1);
    CHECK(ft.kind == StageKind::FineTuning);
    CHECK(ft.flop->central() == 15 * pow10(22));
    CHECK(ft.pointer == "/stages/1");
    REQUIRE(llama.sources.size() == 2);
    CHECK(llama.sources[1].url == "https://x.org/b");

    // Duplicate model name: unique id; quoted field with "" and a newline; row spans 2 lines.
    const ModelRecord& dup = records[2];
    CHECK(dup.id == "gpt-3-175b-davinci-2");
    CHECK(dup.developer == "A, \"quoted\"\nname");
    CHECK(dup.location.line == 4);
    CHECK(dup.modalities == std::vector<Modality>{Modality::Text, Modality::Image});
    CHECK(dup.stages.empty());

    const ModelRecord& bad = records[3];
    CHECK(bad.location.line == 6);
    CHECK_FALSE(bad.released);
    CHECK(bad.stages.empty());
    CHECK(bad.modalities == std::vector<Modality>{Modality::Biology});
    // Two errors on line 6: the date and the compute cell.
    int line6 = 0;
    for (const auto& d : diags) {
        INFO(d.toString());
        CHECK(d.toString().find('\n') == std::string::npos);
        if (d.line == 6) {
            CHECK(d.code == ErrorCode::ImportInvalid);
            ++line6;
        }
    }
    CHECK(line6 == 2);

    // Every imported record is valid input for the reader after serialisation.
    const RecordReader reader;
    for (const auto& m : records) {
        const ReadResult again = reader.readText(toJson(m), "rt.jsonl");
        INFO(toJson(m));
        CHECK(again.ok());
    }
}

TEST_CASE("Epoch CSV syntax errors are located", "[epoch]") {
    std::vector<Diagnostic> diags;
    const auto records = importEpochCsv(
        kHeader + "A,Language,X,2020,,,,1e20\nB,\"unterminated\n,,\n", "e.csv", diags);
    CHECK(records.size() == 1);
    REQUIRE(diags.size() == 2);  // a short-row warning for line 2, then the syntax error
    CHECK(diags[0].severity == Severity::Warning);
    CHECK(diags[1].code == ErrorCode::CsvSyntax);
    CHECK(diags[1].line == 3);
    CHECK(diags[1].file == "e.csv");

    diags.clear();
    CHECK(importEpochCsv("Name,Compute\nx,1\n", "n.csv", diags).empty());
    REQUIRE(diags.size() == 1);
    CHECK(diags[0].code == ErrorCode::ImportInvalid);

    diags.clear();
    (void)importEpochCsv(kHeader + "A,\"x\"y,Z\n", "q.csv", diags);
    REQUIRE(diags.size() == 1);
    CHECK(diags[0].code == ErrorCode::CsvSyntax);
    CHECK(diags[0].line == 2);
}

TEST_CASE("epochAcceleratorId maps only unambiguous single chips", "[epoch]") {
    CHECK(epochAcceleratorId("NVIDIA H100 SXM5 80GB") == "nvidia-h100-sxm");
    CHECK(epochAcceleratorId("Google TPU v4") == "google-tpu-v4");
    CHECK(epochAcceleratorId("NVIDIA A100 SXM4 80 GB") == "nvidia-a100");
    CHECK(epochAcceleratorId("NVIDIA V100").empty());
    CHECK(epochAcceleratorId("NVIDIA A100,NVIDIA H100 SXM5 80GB").empty());
}
