#pragma once
// Private: where a stage's value comes from (contract 7.1), written the same way by the default
// JSON and the compact JSON: "origin" (null, with "undisclosed": true for an undisclosed stage,
// when no method gave a value), the estimator and confidence of a third-party figure, its source.
#include <flopledger/provenance.hpp>

#include "output/json_writer.hpp"

#include <cstddef>

namespace flopledger::inline v1::detail {

inline void writeStageOrigin(jsonout::Writer& w, const ModelRecord& r, const StageEstimate& s,
                             std::size_t i, const StageProvenance& p) {
    w.key("origin");
    if (!s.method) {
        w.null();  // no value: undisclosed or not estimable
        if (i < r.stages.size() && r.stages[i].undisclosed) {
            w.key("undisclosed");
            w.value(true);
        }
    } else {
        w.plainValue(toString(p.origin));  // (an enum name: nothing to escape)
    }
    if (p.origin == Origin::ThirdParty) {
        w.key("estimator");
        w.value(p.estimator);
        w.key("confidence");
        w.value(p.confidence);
    }
    if (p.origin != Origin::Computed && !p.source.empty()) {
        w.key("source");
        w.value(p.source);
    }
}

}  // namespace flopledger::inline v1::detail
