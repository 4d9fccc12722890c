// Micro-benchmarks of the assess hot path: exact number parsing, record parsing (parseLine),
// estimation, policy evaluation and JSON rendering. Run: flopledger_bench [--benchmark_filter=RE]
#include <flopledger/flopledger.hpp>

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

namespace {

using namespace flopledger;

// Fixed records in the generator's style (tests/bench/gen_records.py): a dense decoder with an
// interval, an MoE decoder with fine-tuning and a hardware stage, a stated-compute record.
const std::vector<std::string> kLines = {
    R"({"id":"dense","modalities":["text"],"weights":"closed","architecture":{"family":"decoder","layers":80,"d_model":8192,"heads":64,"kv_heads":8,"ffn":28672,"mlp":"gated","vocab":128256},"stages":[{"kind":"pretraining","tokens":{"low":"1.2e13","high":"1.8e13"},"seq_len":8192}]})",
    R"({"id":"moe","modalities":["text","code"],"weights":"open","architecture":{"family":"decoder","layers":32,"d_model":4096,"heads":32,"kv_heads":8,"ffn":14336,"mlp":"gated","vocab":32000,"moe":{"experts":8,"active":2}},"stages":[{"kind":"pretraining","tokens":"8T","seq_len":4096},{"kind":"fine-tuning","flop":"2.5e22"},{"kind":"evaluation","hardware":{"accelerator":"nvidia-h100-sxm","count":1024,"hours":120.5,"precision":"bf16","utilization":0.4}}]})",
    R"({"id":"stated","modalities":["image"],"stages":[{"kind":"pretraining","flop":"3.8e25"},{"kind":"rl","flop":"4e24"}]})",
};

void BM_ParseExact(benchmark::State& state) {
    const std::vector<std::string> texts = {"3.8e25", "405B", "15600000000000", "0.38", "15.6T"};
    std::size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(parseExact(texts[i++ % texts.size()]));
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_ParseExact);

void BM_ParseLine(benchmark::State& state) {
    RecordReader reader;
    std::size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(reader.parseLine(kLines[i % kLines.size()], "bench", i + 1));
        ++i;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_ParseLine);

std::vector<Record> parsedRecords() {
    RecordReader reader;
    std::vector<Record> out;
    for (std::size_t i = 0; i < kLines.size(); ++i) {
        out.push_back(reader.parseLine(kLines[i], "bench", i + 1));
    }
    return out;
}

void BM_Estimate(benchmark::State& state) {
    const auto records = parsedRecords();
    Estimator estimator;
    std::size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(
            estimator.estimate(std::get<ModelRecord>(records[i++ % records.size()])));
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_Estimate);

// Every shipped legal policy as of one date; Monte Carlo on (range(0) samples) or off.
void BM_EvaluatePolicies(benchmark::State& state) {
    const auto records = parsedRecords();
    Estimator estimator;
    std::vector<ModelEstimate> estimates;
    for (const auto& r : records) {
        estimates.push_back(estimator.estimate(std::get<ModelRecord>(r)));
    }
    const PolicyCatalog& catalog = PolicyCatalog::defaults();
    EvaluationOptions eval;
    eval.estimator = &estimator;
    eval.monteCarlo.samples = static_cast<int>(state.range(0));
    PolicyEvaluator evaluator(catalog.select({}), eval);
    const Date asOf = *Date::parse("2026-06-01");
    std::size_t i = 0;
    for (auto _ : state) {
        const std::size_t k = i++ % records.size();
        benchmark::DoNotOptimize(
            evaluator.evaluate(std::get<ModelRecord>(records[k]), estimates[k], asOf));
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_EvaluatePolicies)->Arg(0)->Arg(2000);

void BM_AssessJson(benchmark::State& state) {
    AssessOptions options;
    options.asOf = {*Date::parse("2026-06-01")};
    Assessor assessor(options);
    std::vector<RecordAssessment> results;
    for (auto& r : parsedRecords()) {
        results.push_back(assessor.assess(std::move(r)));
    }
    std::size_t i = 0;
    std::size_t bytes = 0;
    for (auto _ : state) {
        std::string s = assessJson(results[i++ % results.size()], 0, -1);
        bytes += s.size();
        benchmark::DoNotOptimize(s);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
    state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_AssessJson);

void BM_FormatExact(benchmark::State& state) {
    const std::vector<Exact> values = {parseExact("3.15e23"), parseExact("1e26"), Exact(1) / 3,
                                       parseExact("142473600000000000000000")};
    std::size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(formatExact(values[i++ % values.size()]));
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_FormatExact);

}  // namespace

BENCHMARK_MAIN();
