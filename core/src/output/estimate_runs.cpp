// The compact runs of an estimate's enum-named fields (estimate_runs.hpp).
#include "output/estimate_runs.hpp"

#include <flopledger/provenance.hpp>

namespace flopledger::inline v1::detail::jsonout {
namespace {

EstimateRuns makeEstimateRuns() {
    EstimateRuns r;
    for (int k = 0; k < kStageKindCount; ++k) {
        r.kind[static_cast<std::size_t>(k)] =
            '"' + std::string(toString(static_cast<StageKind>(k))) + "\",\"label\":";
    }
    for (int m = 0; m < kMethodCount; ++m) {
        const std::string name(toString(static_cast<Method>(m)));
        r.method[static_cast<std::size_t>(m)] = ",\"method\":\"" + name + "\",\"flop\":";
        r.firstMethod[static_cast<std::size_t>(m)] = ",\"methods\":{\"" + name + "\":";
        r.nextMethod[static_cast<std::size_t>(m)] = ",\"" + name + "\":";
    }
    r.method[kMethodCount] = ",\"method\":null,\"flop\":";
    r.computed = ",\"origin\":\"" + std::string(toString(Origin::Computed)) + "\",\"assumptions\":";
    for (const ErrorCode code : allErrorCodes()) {
        const auto n = static_cast<std::size_t>(code);
        if (n >= 10000) {
            continue;  // (codes are three digits; a table this size would be a mistake)
        }
        if (r.warningPointer.size() <= n) {
            r.warningPointer.resize(n + 1);
            r.warningMessage.resize(n + 1);
        }
        const std::string head =
            '"' + codeText(code) + "\",\"name\":\"" + std::string(codeName(code)) + '"';
        r.warningPointer[n] = head + ",\"pointer\":";
        r.warningMessage[n] = head + ",\"message\":";
    }
    return r;
}

}  // namespace

const EstimateRuns& estimateRuns() {
    static const EstimateRuns runs = makeEstimateRuns();
    return runs;
}

}  // namespace flopledger::inline v1::detail::jsonout
