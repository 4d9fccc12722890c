#pragma once
// The geometry of the models-versus-thresholds chart as plain data, computed without Qt so that
// tests can check coordinates and dates without looking at pixels. ChartWidget renders it.
#include <flopledger/date.hpp>
#include <flopledger/estimate.hpp>
#include <flopledger/policy.hpp>
#include <flopledger/record.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace flopledger::inline v1::gui {

/// Colour class of a point: its verdict under the selected policy.
enum class PointClass { Exceeds, Below, Indeterminate, Unknown };
inline constexpr int kPointClassCount = 4;

PointClass pointClassOf(VerdictStatus status);
std::string_view toString(PointClass c);

/// Seconds since 1970-01-01T00:00Z of the first instant of a date (x coordinate of the chart).
double dateToSeconds(const Date& date);

/// One model as the chart needs it. `verdicts` may be empty (no policy selected or assessed).
struct ChartModelInput {
    const ModelRecord* record = nullptr;
    Interval flop;                        ///< the total training FLOP counted for the chart
    std::optional<VerdictStatus> status;  ///< under the selected policy
    std::string method;                   ///< method of the main stage, for the tooltip
    std::vector<Verdict> verdicts;        ///< every selected policy, for the tooltip
    bool lowerBound = false;  ///< a stage's compute is undisclosed: the figure is a minimum
    std::string estimator;    ///< third party behind the figure (e.g. "Epoch AI"), "" if none
};

/// One period of a threshold: the value in force from `start` until `end` (exclusive; open if
/// empty) with its legal status ("in-force", "proposed", "vetoed", "revoked", ...).
struct ChartThresholdPeriod {
    Date start;
    std::optional<Date> end;
    Exact value;
    std::string legalStatus;
};

/// A policy's compute threshold over time. Either fixed periods or a time-dependent function
/// (sampled over the chart's range), never both.
struct ThresholdInput {
    std::string policyId;
    std::string label;  ///< the regime, e.g. "EU AI Act Art. 51"
    std::vector<ChartThresholdPeriod> periods;
    /// For dynamic thresholds: the value on a date (nullopt where the rule is not defined).
    std::function<std::optional<Exact>(const Date&)> valueOn;
    std::string dynamicStatus = "in-force";  ///< legal status shown for a dynamic threshold
    /// The status named in the label: the policy's standing as of the chart's date (as
    /// `flopledger assess` reports it), not that of whichever period happens to be labelled.
    std::string labelStatus = "in-force";
};

enum class LineStyle { Solid, Dashed };
/// Dashed for anything that is not (or no longer) binding law.
LineStyle lineStyleFor(std::string_view legalStatus);

struct ChartPoint {
    std::string id;
    std::string label;  ///< display name (id when the record has no name)
    std::string developer;
    double x = 0;     ///< release date, seconds since the epoch
    double flop = 0;  ///< central value (double: plotting only)
    double low = 0;   ///< interval low
    double high = 0;  ///< interval high
    double log10Flop = 0;
    PointClass pointClass = PointClass::Unknown;
    bool notable = false;     ///< gets a text label
    std::string tooltip;      ///< multi-line, plain text
    bool lowerBound = false;  ///< drawn as a lower bound (open marker, arrow up)
    bool thirdParty = false;  ///< the figure is a third party's estimate (ringed)
};

struct ThresholdSegment {
    std::string policyId;
    std::string label;
    Date start;
    std::optional<Date> end;  ///< open-ended: drawn to the right edge
    double xStart = 0;
    double xEnd = 0;   ///< clipped to the chart's range
    double value = 0;  ///< FLOP (double, plotting only)
    double log10Value = 0;
    std::string legalStatus;
    std::string labelStatus;  ///< the policy's standing as of the chart's date
    LineStyle style = LineStyle::Solid;
};

struct ThresholdCurve {
    std::string policyId;
    std::string label;
    std::string labelStatus;  ///< the policy's standing as of the chart's date
    std::vector<double> xs;   ///< seconds
    std::vector<double> ys;   ///< FLOP
    LineStyle style = LineStyle::Solid;
};

/// A threshold's label: the regime, with its status as of the chart's date unless in force.
std::string thresholdLabelText(const std::string& label, const std::string& labelStatus);

struct ChartData {
    std::vector<ChartPoint> points;        ///< models with a release date and a positive FLOP
    std::vector<std::string> skipped;      ///< ids left out (no date or no compute)
    std::vector<std::string> notReleased;  ///< ids released after the as-of date (7.4)
    std::size_t outOfRange = 0;            ///< points outside the default or requested range
    std::vector<ThresholdSegment> segments;
    std::vector<ThresholdCurve> curves;
    double xMin = 0, xMax = 0;    ///< seconds
    double yMin = 1, yMax = 10;   ///< FLOP, whole decades
    std::optional<double> asOfX;  ///< the "as of" line
};

struct ChartOptions {
    std::optional<Date> asOf;
    int notableCount = 12;         ///< how many of the largest points get a label
    int curveSamples = 200;        ///< samples per dynamic threshold curve
    std::optional<Date> from, to;  ///< x range; default: data range padded by six months
    /// y range in FLOP; default: whole decades around the thresholds and the models within
    /// five decades below the lowest threshold (the data that matters for threshold work).
    std::optional<double> yMin, yMax;
};

class ChartBuilder {
public:
    explicit ChartBuilder(ChartOptions options = {}) : options_(std::move(options)) {}

    ChartData build(const std::vector<ChartModelInput>& models,
                    const std::vector<ThresholdInput>& thresholds) const;

    /// Multi-line tooltip text of one model (name, developer, date, FLOP interval, method,
    /// verdicts with margins and probability).
    static std::string tooltipFor(const ChartModelInput& model);

    const ChartOptions& options() const { return options_; }

private:
    ChartOptions options_;
};

}  // namespace flopledger::gui
