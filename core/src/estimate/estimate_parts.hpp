#pragma once
// Private: an estimate of only the parts a consumer reads. The stage breakdown (FLOP by
// component of architecture-method stages) is printed only by `estimate --breakdown`; `assess`
// asks for estimates without it (AssessRequest::breakdown), the rest is the same estimate.
#include <flopledger/estimate.hpp>

namespace flopledger::inline v1::detail {

struct EstimateParts {
    bool breakdown = true;  ///< StageEstimate::breakdown (empty when false)
    /// StageEstimate::hardwareCapacity (empty when false): no writer prints it and no policy
    /// reads it, so `assess` asks for it only when callers keep the results (as the breakdown).
    bool hardwareCapacity = true;
};

/// Estimator::estimate(record) with `parts`; with everything asked, the same estimate.
[[nodiscard]] ModelEstimate estimateModel(const Estimator& estimator, const ModelRecord& record,
                                          EstimateParts parts);

/// Hands a finished estimate's storage to this thread's next estimateModel: its stage and
/// warning vectors' buffers and its id and name strings are reused, its stages written into
/// (every StageEstimate field is assigned or reset there: a field added to StageEstimate must be
/// too; test `[reuse]`) (fast path; OFF: dropped). The streaming engine calls it once a record
/// is written.
void giveBackEstimate(ModelEstimate&& estimate);

}  // namespace flopledger::inline v1::detail
