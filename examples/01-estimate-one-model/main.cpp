// Example 01: estimate the training compute of one model with the C++ library.
//
// GPT-3 175B: 175e9 parameters, 300e9 training tokens (Brown et al. 2020, Table 2.1/D.1), and the
// hardware figure of Patterson et al. 2021 (10,000 V100 for 14.8 days) at an assumed 20% MFU.
// Every method the inputs allow is reported; the stage's value is chosen in contract order.
#include <flopledger/flopledger.hpp>

#include <iostream>
#include <string>

namespace {

constexpr const char* kRecord = R"({
  "id": "gpt-3-175b",
  "name": "GPT-3 175B",
  "modalities": ["text"],
  "architecture": {"family": "decoder", "params": "175B"},
  "stages": [{
    "kind": "pretraining",
    "tokens": "300B",
    "hardware": {"accelerator": "nvidia-v100-sxm2", "count": 10000, "hours": "355.2",
                 "precision": "fp16", "utilization": "0.2"}
  }]
})";

void printInterval(const std::string& label, const flopledger::Interval& v) {
    std::cout << "  " << label << flopledger::formatExact(v.central) << " FLOP ("
              << flopledger::formatScientific(v.central, 3) << ")\n";
}

}  // namespace

int main() {
    const flopledger::RecordReader reader;
    const flopledger::ReadResult read = reader.readText(kRecord, "gpt-3-175b.json");
    if (!read.ok()) {
        for (const auto& d : read.diagnostics) {
            std::cerr << d.toString() << '\n';
        }
        return 2;
    }
    const auto& model = std::get<flopledger::ModelRecord>(read.records.front());

    const flopledger::Estimator estimator;  // matmul convention, contract method order
    const flopledger::ModelEstimate estimate = estimator.estimate(model);

    std::cout << "model: " << estimate.id << " (" << estimate.name << ")\n";
    for (const auto& stage : estimate.stages) {
        std::cout << "stage " << flopledger::toString(stage.kind) << ", chosen method: "
                  << (stage.method ? flopledger::toString(*stage.method) : "none") << '\n';
        for (int m = 0; m < flopledger::kMethodCount; ++m) {
            if (const auto& value = stage.methods[static_cast<std::size_t>(m)]) {
                const std::string name(flopledger::toString(static_cast<flopledger::Method>(m)));
                printInterval(name + ": " + std::string(10 - name.size(), ' '), *value);
            }
        }
        if (stage.impliedUtilization) {
            std::cout << "  implied utilization: "
                      << flopledger::formatScientific(stage.impliedUtilization->central, 3) << '\n';
        }
    }
    std::cout << "total: " << flopledger::formatScientific(estimate.total.central, 3) << " FLOP\n";
    return 0;
}
