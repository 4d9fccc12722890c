// Sensitivity rows for the v2 decoder features (sensitivity_features.hpp). Each is a modified
// copy of the record, so the estimator applies the same rules as for any record.
#include "policy/sensitivity_features.hpp"

namespace flopledger::inline v1::detail {

std::vector<RecordAlternative> architectureFeatureAlternatives(const ModelRecord& record) {
    std::vector<RecordAlternative> out;
    if (!record.architecture) return out;
    const Architecture& a = *record.architecture;
    if (a.slidingWindow || a.localGlobal || a.chunkedAttention) {
        // No paper convention windows its context term: the reading where every block scores
        // all seq_len keys is the one a 2020-era formula would give.
        auto copy = std::make_shared<ModelRecord>(record);
        copy->architecture->slidingWindow.reset();
        copy->architecture->localGlobal.reset();
        copy->architecture->chunkedAttention.reset();
        out.push_back({"windowed-attention", "counted as full attention", std::move(copy)});
    }
    if (a.mtpDepth && a.mtpDepth->central().sign() > 0) {
        // The MTP modules are trained with the model but dropped at inference; a reading of
        // "the model" as what is released leaves them out.
        auto copy = std::make_shared<ModelRecord>(record);
        copy->architecture->mtpDepth.reset();
        out.push_back({"mtp-module", "excluded", std::move(copy)});
    }
    return out;
}

}  // namespace flopledger::detail
