#pragma once
// Where each figure comes from (contract 7.1) and what a confidence label means (7.2): the
// origin of a stage's value, the defaults applied to it, the developer-reported figure beside the
// computed total, and the rule that turns Epoch AI's confidence labels into intervals. The
// registry reader's pipeline (Assessor) and the Epoch importer share these functions.
#include <flopledger/estimate.hpp>
#include <flopledger/exact.hpp>
#include <flopledger/quantity.hpp>
#include <flopledger/record.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace flopledger {
inline namespace v1 {

/// Who produced a stage's value: the developer (`reported`), another party (`third-party`,
/// a stated flop with an `estimator`), or this tool from published inputs (`computed`).
enum class Origin { Reported, ThirdParty, Computed };
std::string_view toString(Origin o);  ///< "reported", "third-party", "computed"

struct StageProvenance {
    Origin origin = Origin::Computed;
    std::string estimator;   ///< third-party: who estimated it
    std::string confidence;  ///< third-party: the estimator's confidence label, as given
    std::string source;      ///< the stage's citation
    /// Defaults applied to the chosen value (assumed utilization, precision, a confidence label
    /// read as an interval); empty when none.
    std::vector<std::string> assumptions;
};

/// Origin and assumptions of stage `index` of a record and its estimate (the chosen method).
StageProvenance stageProvenance(const ModelRecord& record, const ModelEstimate& estimate,
                                std::size_t index);

/// The multiplicative half-width of Epoch AI's confidence labels (case-insensitive: confident 3,
/// likely 10, speculative 30; see docs/methodology.md for the source and the reading).
/// nullopt for any other label.
std::optional<Exact> confidenceFactor(std::string_view label);
/// The canonical spelling of a known label ("confident", "likely", "speculative"), else "".
std::string_view confidenceLabel(std::string_view label);
/// A stated point read through its confidence label: [point / f, point x f], central the point,
/// log-uniform. nullopt when the label is unknown or the value is already an interval.
std::optional<Quantity> confidenceInterval(const Quantity& point, std::string_view label);
/// True when some stage of the record has a labelled point flop that applyConfidenceIntervals
/// would widen.
bool needsConfidenceIntervals(const ModelRecord& record);
/// Widens every labelled point flop of the record (Stage::confidenceInterval is set, a new
/// sample index assigned). Returns the number of stages changed.
int applyConfidenceIntervals(ModelRecord& record);

/// The developer's own figure beside this tool's total (contract 7.1 `reported`).
struct ReportedComparison {
    Exact trainingFlop;  ///< the reported figure (central if an interval)
    std::string source;
    double ratio = 0;         ///< this tool's central total / the reported figure, 4 digits
    std::string explanation;  ///< one line where they differ by more than 1 %, else ""
};
std::optional<ReportedComparison> compareReported(const ModelRecord& record,
                                                  const ModelEstimate& estimate);

/// A double rounded to `digits` significant digits (for ratios printed as numbers).
double roundSignificant(double value, int digits);

}  // inline namespace v1
}  // namespace flopledger
