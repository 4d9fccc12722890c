// Uncertain inputs: the estimator evaluates a stage at its interval's endpoints only when one of
// the inputs it reads varies (a point stage is evaluated once). These tests guard that shortcut
// from the outside: for every field that accepts an interval, the estimate's low and high must
// equal the estimates of the same record with the field set to its low and high point values.
// A field the shortcut forgot would collapse to a point and fail here.
#include <flopledger/estimate.hpp>
#include <flopledger/record_reader.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <variant>

using namespace flopledger;

namespace {

std::string substituted(std::string text, const std::string& value) {
    const auto at = text.find('@');
    REQUIRE(at != std::string::npos);
    text.replace(at, 1, value);
    return text;
}

Interval totalOf(const std::string& line, Convention convention) {
    RecordReader reader;
    Record rec = reader.parseLine(line, "endpoints", 1);
    REQUIRE(reader.validate(rec).empty());
    EstimateOptions options;
    options.convention = convention;
    return Estimator(options).estimate(std::get<ModelRecord>(rec)).total;
}

struct Case {
    const char* what;
    const char* record;  ///< '@' marks the uncertain field
    const char* low;
    const char* high;
};

// Each record reaches the field through the method that reads it.
const Case kCases[] = {
    {"tokens (architecture)",
     R"({"id":"a","architecture":{"family":"decoder","layers":4,"d_model":256,"heads":4,"ffn":1024,"vocab":1000},"stages":[{"kind":"pretraining","tokens":@,"seq_len":512}]})",
     "1e9", "3e9"},
    {"seq_len",
     R"({"id":"a","architecture":{"family":"decoder","layers":4,"d_model":256,"heads":4,"ffn":1024,"vocab":1000},"stages":[{"kind":"pretraining","tokens":"1e9","seq_len":@}]})",
     "512", "4096"},
    {"layers",
     R"({"id":"a","architecture":{"family":"decoder","layers":@,"d_model":256,"heads":4,"ffn":1024,"vocab":1000},"stages":[{"kind":"pretraining","tokens":"1e9","seq_len":512}]})",
     "4", "12"},
    {"ffn",
     R"({"id":"a","architecture":{"family":"decoder","layers":4,"d_model":256,"heads":4,"ffn":@,"vocab":1000},"stages":[{"kind":"pretraining","tokens":"1e9","seq_len":512}]})",
     "512", "2048"},
    {"vocab",
     R"({"id":"a","architecture":{"family":"decoder","layers":4,"d_model":256,"heads":4,"ffn":1024,"vocab":@},"stages":[{"kind":"pretraining","tokens":"1e9","seq_len":512}]})",
     "1000", "32000"},
    {"examples (vit)",
     R"({"id":"a","architecture":{"family":"vit","layers":2,"d_model":64,"heads":2,"ffn":256,"image_size":32,"patch_size":8,"channels":3,"classes":10},"stages":[{"kind":"pretraining","examples":@}]})",
     "1e6", "5e6"},
    {"params (six-nd)",
     R"({"id":"a","stages":[{"kind":"pretraining","params":@,"tokens":"1e12"}]})", "7e9", "8e9"},
    {"tokens (six-nd)", R"({"id":"a","stages":[{"kind":"pretraining","params":"7e9","tokens":@}]})",
     "1e12", "2e12"},
    {"architecture params (six-nd)",
     R"({"id":"a","architecture":{"family":"generic","params":@},"stages":[{"kind":"pretraining","tokens":"1e12"}]})",
     "7e9", "8e9"},
    {"stated flop", R"({"id":"a","stages":[{"kind":"pretraining","flop":@}]})", "1e24", "3e24"},
    {"hardware count",
     R"({"id":"a","stages":[{"kind":"pretraining","hardware":{"accelerator":"nvidia-h100-sxm","count":@,"hours":100,"precision":"bf16","utilization":0.4}}]})",
     "1000", "2000"},
    {"hardware hours",
     R"({"id":"a","stages":[{"kind":"pretraining","hardware":{"accelerator":"nvidia-h100-sxm","count":1000,"hours":@,"precision":"bf16","utilization":0.4}}]})",
     "100", "250"},
    {"hardware chip_hours",
     R"({"id":"a","stages":[{"kind":"pretraining","hardware":{"accelerator":"nvidia-h100-sxm","chip_hours":@,"precision":"bf16","utilization":0.4}}]})",
     "1e5", "3e5"},
    {"hardware utilization",
     R"({"id":"a","stages":[{"kind":"pretraining","hardware":{"accelerator":"nvidia-h100-sxm","count":1000,"hours":100,"precision":"bf16","utilization":@}}]})",
     "0.3", "0.5"},
    {"second stage tokens",
     R"({"id":"a","architecture":{"family":"decoder","layers":4,"d_model":256,"heads":4,"ffn":1024,"vocab":1000},"stages":[{"kind":"pretraining","tokens":"1e9","seq_len":512},{"kind":"fine-tuning","tokens":@,"seq_len":512}]})",
     "1e8", "4e8"},
};

}  // namespace

TEST_CASE("an interval on any input moves the estimate's endpoints like point inputs do",
          "[estimator][interval]") {
    for (Convention convention : {Convention::Matmul, Convention::Kaplan}) {
        for (const Case& c : kCases) {
            INFO(c.what);
            const std::string interval = std::string(R"({"low":")") + c.low + R"(","high":")" +
                                         c.high + R"(","distribution":"uniform"})";
            const Interval total = totalOf(substituted(c.record, interval), convention);
            const Interval atLow =
                totalOf(substituted(c.record, std::string("\"") + c.low + "\""), convention);
            const Interval atHigh =
                totalOf(substituted(c.record, std::string("\"") + c.high + "\""), convention);
            REQUIRE(atLow.isPoint());
            REQUIRE(atHigh.isPoint());
            CHECK(total.low == atLow.central);
            CHECK(total.high == atHigh.central);
            if (convention == Convention::Matmul) {
                CHECK(total.low < total.high);  // Kaplan's count leaves the vocabulary out
            }
        }
    }
}
