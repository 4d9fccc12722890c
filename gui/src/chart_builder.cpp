#include "chart_builder.hpp"

#include "c_number_text.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace flopledger::inline v1::gui {

namespace {

constexpr double kSecondsPerDay = 86400.0;
constexpr double kHalfYear = 182.0 * kSecondsPerDay;

std::string fmtFlop(const Exact& v) {
    return formatScientific(v, 3);
}

std::string fmtInterval(const Interval& iv) {
    if (iv.isPoint()) return fmtFlop(iv.central);
    return fmtFlop(iv.central) + " [" + fmtFlop(iv.low) + " – " + fmtFlop(iv.high) + "]";
}

}  // namespace

PointClass pointClassOf(VerdictStatus status) {
    switch (status) {
        case VerdictStatus::Exceeds:
            return PointClass::Exceeds;
        case VerdictStatus::Below:
            return PointClass::Below;
        case VerdictStatus::Indeterminate:
            return PointClass::Indeterminate;
        case VerdictStatus::Unknown:
        case VerdictStatus::NotReleased:  // (not-released records are not charted, 7.4)
            break;
    }
    return PointClass::Unknown;
}

std::string_view toString(PointClass c) {
    switch (c) {
        case PointClass::Exceeds:
            return "exceeds";
        case PointClass::Below:
            return "below";
        case PointClass::Indeterminate:
            return "indeterminate";
        case PointClass::Unknown:
            break;
    }
    return "unknown";
}

double dateToSeconds(const Date& date) {
    return static_cast<double>(date.daysSinceEpoch()) * kSecondsPerDay;
}

LineStyle lineStyleFor(std::string_view legalStatus) {
    // Binding rules are solid; proposals, vetoed bills and rules no longer in force are dashed.
    return parseLegalStatus(legalStatus) == LegalStatus::InForce ? LineStyle::Solid
                                                                 : LineStyle::Dashed;
}

std::string thresholdLabelText(const std::string& label, const std::string& labelStatus) {
    // Titles may name the status already: "California SB 1047 (vetoed)".
    if (labelStatus.empty() || parseLegalStatus(labelStatus) == LegalStatus::InForce ||
        label.find(labelStatus) != std::string::npos)
        return label;
    return label + " (" + labelStatus + ")";
}

std::string ChartBuilder::tooltipFor(const ChartModelInput& model) {
    const ModelRecord& r = *model.record;
    std::string text = r.name.empty() ? r.id : r.name;
    if (!r.developer.empty()) text += " (" + r.developer + ")";
    text += "\nReleased: " + (r.released ? r.released->toString() : std::string("unknown"));
    text += "\nTraining compute: " + fmtInterval(model.flop) + " FLOP";
    if (model.lowerBound) text += " or more (undisclosed stages count as 0)";
    if (!model.estimator.empty()) text += "\nEstimate by " + model.estimator + " (third party)";
    if (!model.method.empty()) text += "\nMethod: " + model.method;
    for (const Verdict& v : model.verdicts) {
        text += "\n" + v.policy + ": " + std::string(flopledger::toString(v.status));
        if (v.marginLog10) text += ", margin " + cFixedText(*v.marginLog10, 2, true) + " dex";
        if (v.probability) text += ", P = " + cFixedText(*v.probability, 2);
        if (!v.inForce && !v.legalStatus.empty()) text += " (" + v.legalStatus + ")";
        for (const std::string& a : v.assumptions) text += "\n  relies on: " + a;
    }
    return text;
}

ChartData ChartBuilder::build(const std::vector<ChartModelInput>& models,
                              const std::vector<ThresholdInput>& thresholds) const {
    ChartData data;
    double xLo = std::numeric_limits<double>::infinity();
    double xHi = -xLo;
    double yLo = std::numeric_limits<double>::infinity();
    double yHi = -std::numeric_limits<double>::infinity();

    for (const ChartModelInput& m : models) {
        if (m.record == nullptr) continue;
        const ModelRecord& r = *m.record;
        // A log axis cannot show zero, and a point without a date has no x.
        if (!r.released || m.flop.central <= 0) {
            data.skipped.push_back(r.id);
            continue;
        }
        // Contract 7.4: a model released after the as-of date is left out of the chart.
        if (m.status == VerdictStatus::NotReleased ||
            (options_.asOf && *options_.asOf < *r.released)) {
            data.notReleased.push_back(r.id);
            continue;
        }
        ChartPoint p;
        p.id = r.id;
        p.label = r.name.empty() ? r.id : r.name;
        p.developer = r.developer;
        p.x = dateToSeconds(*r.released);
        p.flop = toDouble(m.flop.central);
        p.low = m.flop.low > 0 ? toDouble(m.flop.low) : p.flop;
        p.high = toDouble(m.flop.high);
        p.log10Flop = log10Exact(m.flop.central);
        p.pointClass = m.status ? pointClassOf(*m.status) : PointClass::Unknown;
        p.tooltip = tooltipFor(m);
        p.lowerBound = m.lowerBound;
        p.thirdParty = !m.estimator.empty();
        data.points.push_back(std::move(p));
    }
    // The data that matters for threshold work: models within five decades of the lowest
    // threshold (Epoch's dataset reaches back to 1950 and down to 1e2 FLOP).
    double lowestThreshold = std::numeric_limits<double>::infinity();
    for (const ThresholdInput& t : thresholds)
        for (const ChartThresholdPeriod& period : t.periods)
            if (period.value > 0)
                lowestThreshold = std::min(lowestThreshold, toDouble(period.value));
    const double floorY = options_.yMin                    ? *options_.yMin
                          : std::isfinite(lowestThreshold) ? lowestThreshold * 1e-5
                                                           : 0.0;
    for (const ChartPoint& p : data.points) {
        if (p.flop < floorY) continue;
        xLo = std::min(xLo, p.x);
        xHi = std::max(xHi, p.x);
        yLo = std::min(yLo, p.low);
        yHi = std::max(yHi, p.high);
    }

    // Notable points: the frontier (a new largest compute at its date), largest first, capped.
    {
        std::vector<std::size_t> order(data.points.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            const ChartPoint& pa = data.points[a];
            const ChartPoint& pb = data.points[b];
            return pa.x != pb.x ? pa.x < pb.x : pa.flop > pb.flop;
        });
        std::vector<std::size_t> frontier;
        double best = 0;
        for (std::size_t i : order) {
            if (data.points[i].flop > best) {
                best = data.points[i].flop;
                frontier.push_back(i);
            }
        }
        std::sort(frontier.begin(), frontier.end(), [&](std::size_t a, std::size_t b) {
            return data.points[a].flop > data.points[b].flop;
        });
        const std::size_t cap = static_cast<std::size_t>(std::max(0, options_.notableCount));
        for (std::size_t k = 0; k < frontier.size() && k < cap; ++k)
            data.points[frontier[k]].notable = true;
    }

    if (options_.asOf) {
        const double a = dateToSeconds(*options_.asOf);
        data.asOfX = a;
        xLo = std::min(xLo, a);
        xHi = std::max(xHi, a);
    }
    if (!(xLo <= xHi)) {  // no data at all: a sensible default window
        xLo = dateToSeconds(Date{2018, 1, 1});
        xHi = dateToSeconds(Date{2027, 1, 1});
    }
    data.xMin = options_.from ? dateToSeconds(*options_.from) : xLo - kHalfYear;
    data.xMax = options_.to ? dateToSeconds(*options_.to) : xHi + kHalfYear;

    for (const ThresholdInput& t : thresholds) {
        for (const ChartThresholdPeriod& period : t.periods) {
            if (period.value <= 0) continue;
            ThresholdSegment s;
            s.policyId = t.policyId;
            s.label = t.label;
            s.start = period.start;
            s.end = period.end;
            s.xStart = std::max(dateToSeconds(period.start), data.xMin);
            s.xEnd = period.end ? std::min(dateToSeconds(*period.end), data.xMax) : data.xMax;
            if (s.xEnd <= s.xStart) continue;  // entirely outside the visible range
            s.value = toDouble(period.value);
            s.log10Value = log10Exact(period.value);
            s.legalStatus = period.legalStatus;
            s.labelStatus = t.labelStatus;
            s.style = lineStyleFor(period.legalStatus);
            yLo = std::min(yLo, s.value);
            yHi = std::max(yHi, s.value);
            data.segments.push_back(std::move(s));
        }
        if (t.valueOn) {
            ThresholdCurve c;
            c.policyId = t.policyId;
            c.label = t.label;
            c.labelStatus = t.labelStatus;
            c.style = lineStyleFor(t.dynamicStatus);
            const int n = std::max(2, options_.curveSamples);
            const long d0 = static_cast<long>(std::floor(data.xMin / kSecondsPerDay));
            const long d1 = static_cast<long>(std::ceil(data.xMax / kSecondsPerDay));
            for (int i = 0; i < n; ++i) {
                const long day = d0 + (d1 - d0) * i / (n - 1);
                const std::optional<Exact> v = t.valueOn(Date::fromDaysSinceEpoch(day));
                if (!v || *v <= 0) continue;
                c.xs.push_back(static_cast<double>(day) * kSecondsPerDay);
                c.ys.push_back(toDouble(*v));
                yLo = std::min(yLo, c.ys.back());
                yHi = std::max(yHi, c.ys.back());
            }
            if (!c.xs.empty()) data.curves.push_back(std::move(c));
        }
    }

    if (!(yLo <= yHi) || yLo <= 0) {
        yLo = 1e20;
        yHi = 1e27;
    }
    // Whole decades (a hair of tolerance: log10 of a decimal power is not always exact).
    data.yMin = std::pow(10.0, std::floor(std::log10(options_.yMin ? *options_.yMin : yLo) + 1e-9));
    data.yMax = options_.yMax ? std::pow(10.0, std::ceil(std::log10(*options_.yMax) - 1e-9))
                              : std::pow(10.0, std::ceil(std::log10(yHi) - 1e-9) + 1);
    for (const ChartPoint& p : data.points)
        if (p.x < data.xMin || p.x > data.xMax || p.flop < data.yMin || p.flop > data.yMax)
            ++data.outOfRange;
    return data;
}

}  // namespace flopledger::inline v1::gui
