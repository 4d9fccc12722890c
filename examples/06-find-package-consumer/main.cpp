// Example 06: a program built against an installed FLOP Ledger with find_package(flopledger 1
// CONFIG), using both the C++ library (flopledger::core) and the C API (flopledger::c).
#include <flopledger/flopledger.h>
#include <flopledger/flopledger.hpp>

#include <iostream>
#include <string>

int main() {
    // The headers and the library must be the same release.
    std::cout << "headers " << flopledger::kVersionString << ", library " << flopledger_version()
              << '\n';

    // C++: six-nd for GPT-3 175B, built in code rather than read from JSON.
    flopledger::ModelRecord model;
    model.id = "gpt-3-175b";
    model.architecture = flopledger::Architecture{};
    model.architecture->params = flopledger::Quantity(flopledger::parseExact("175B"));
    flopledger::Stage stage;
    stage.kind = flopledger::StageKind::Pretraining;
    stage.tokens = flopledger::Quantity(flopledger::parseExact("300B"));
    model.stages.push_back(stage);
    const flopledger::ModelEstimate estimate = flopledger::Estimator().estimate(model);
    std::cout << "C++: " << estimate.id << " " << flopledger::formatExact(estimate.total.central)
              << " FLOP\n";

    // C: the same record as JSON, estimated through the C API.
    flopledger_t* handle = flopledger_new(nullptr);
    char* json = flopledger_estimate(handle,
                                     R"({"id": "gpt-3-175b", "architecture": {"params": "175B"},
            "stages": [{"kind": "pretraining", "tokens": "300B"}]})",
                                     nullptr);
    if (json == nullptr) {
        std::cerr << flopledger_last_error(handle) << '\n';
        return 1;
    }
    // The first "central" of the document is the first model's total.
    const std::string text = json;
    const std::size_t key = text.find("\"central\"");
    const std::size_t open = text.find('"', text.find(':', key) + 1);
    const std::string central = key == std::string::npos || open == std::string::npos
                                    ? ""
                                    : text.substr(open + 1, text.find('"', open + 1) - open - 1);
    const bool same = central == flopledger::formatExact(estimate.total.central);
    std::cout << "C: total central " << central << " FLOP\n";
    flopledger_free(json);
    flopledger_delete(handle);
    return same ? 0 : 1;
}
