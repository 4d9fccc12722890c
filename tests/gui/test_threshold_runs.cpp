// Coinciding thresholds (three regimes at 1e26): split into runs where the set of regimes at a
// value is constant, each regime with its own slot of an interleaved dash pattern there, and one
// stacked label per value that lists every regime. Expected runs worked out by hand.
#include "chart_inputs.hpp"
#include "chart_widget.hpp"
#include "label_placer.hpp"
#include "threshold_runs.hpp"

#include <flopledger/policy_catalog.hpp>

#include <qcustomplot.h>
#include <QApplication>
#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <set>
#include <tuple>

using namespace flopledger;
using namespace flopledger::gui;

namespace {
ThresholdSegment seg(const std::string& policy, double x0, double x1, double value,
                     LineStyle style = LineStyle::Solid) {
    ThresholdSegment s;
    s.policyId = policy;
    s.label = policy;
    s.xStart = x0;
    s.xEnd = x1;
    s.value = value;
    s.style = style;
    s.labelStatus = "in-force";
    return s;
}
}  // namespace

TEST_CASE("coinciding thresholds are split into shared runs with one slot each",
          "[chart][thresholds]") {
    // a: 0..10, b: 4..10 (dashed), c: 6..8, all at 1e26; d alone at 1e25.
    const std::vector<ThresholdSegment> segs = {seg("a", 0, 10, 1e26),
                                                seg("b", 4, 10, 1e26, LineStyle::Dashed),
                                                seg("c", 6, 8, 1e26), seg("d", 0, 10, 1e25)};
    const std::vector<ThresholdRun> runs = thresholdRuns(segs);
    // 1e25: one run of d alone. 1e26: [0,4] a; [4,6] a b; [6,8] a b c; [8,10] a b.
    std::vector<std::tuple<std::string, double, double, int, int>> got;
    for (const ThresholdRun& r : runs)
        got.emplace_back(r.policyId, r.xStart, r.xEnd, r.slot, r.slotCount);
    const std::vector<std::tuple<std::string, double, double, int, int>> expected = {
        {"d", 0, 10, 0, 1},                                        // 1e25 first (by value)
        {"a", 0, 4, 0, 1},                                         //
        {"a", 4, 6, 0, 2},  {"b", 4, 6, 1, 2},                     //
        {"a", 6, 8, 0, 3},  {"b", 6, 8, 1, 3}, {"c", 6, 8, 2, 3},  //
        {"a", 8, 10, 0, 2}, {"b", 8, 10, 1, 2}};
    CHECK(got == expected);
    for (const ThresholdRun& r : runs)
        if (r.policyId == "b") CHECK(r.style == LineStyle::Dashed);

    ChartData d;
    d.segments = segs;
    const std::vector<ThresholdLabelGroup> groups = thresholdLabelGroups(d);
    REQUIRE(groups.size() == 2);
    CHECK(groups[0].value == 1e26);
    CHECK(groups[0].x == 0);  // the first start of any regime at that value
    REQUIRE(groups[0].lines.size() == 3);
    CHECK(groups[0].lines[0].policyId == "a");
    CHECK(groups[0].lines[1].policyId == "b");
    CHECK(groups[0].lines[2].policyId == "c");
    CHECK(groups[1].lines.size() == 1);
}

TEST_CASE("the shipped 1e26 regimes each get a slot and a line of one label",
          "[chart][thresholds][policy]") {
    // As of 2026-12-07 on a 2023..2027 chart: EO 14110 (revoked), SB 1047 (vetoed) and the
    // Korean act share 1e26; every one of them is listed, in its own colour, and drawn.
    const PolicyCatalog& catalog = PolicyCatalog::defaults();
    const Date asOf = *Date::parse("2026-12-07");
    std::vector<ThresholdInput> ts;
    std::set<std::string> at1e26;
    for (const std::string& id : catalog.defaultIds()) {
        const Policy* p = catalog.find(id);
        if (p == nullptr || !p->appliesToModels()) continue;
        if (auto t = thresholdInput(*p, asOf)) ts.push_back(*t);
    }
    distinguishLabels(ts);
    ChartOptions o;
    o.asOf = asOf;
    o.from = Date::parse("2023-01-01");
    o.to = Date::parse("2027-06-01");
    const ChartData d = ChartBuilder(o).build({}, ts);
    for (const ThresholdSegment& s : d.segments)
        if (s.value == 1e26) at1e26.insert(s.policyId);
    REQUIRE(at1e26.size() >= 3);
    int sharedGroups = 0;
    for (const ThresholdLabelGroup& g : thresholdLabelGroups(d)) {
        if (g.value != 1e26) continue;
        ++sharedGroups;
        std::set<std::string> listed;
        for (const auto& l : g.lines) listed.insert(l.policyId);
        CHECK(listed == at1e26);
    }
    CHECK(sharedGroups == 1);
    // Where they overlap, each regime has a distinct slot.
    std::map<std::pair<double, double>, std::set<int>> taken;
    for (const ThresholdRun& r : thresholdRuns(d.segments))
        if (r.value == 1e26 && r.slotCount > 1)
            CHECK(taken[{r.xStart, r.xEnd}].insert(r.slot).second);
    CHECK_FALSE(taken.empty());

    // Drawn: every regime's label text is an item of the plot and visible.
    ChartWidget w;
    w.resize(1200, 700);
    w.setData(d);
    w.show();  // (laid out at its size: labels are placed in pixels)
    QApplication::processEvents();
    w.plot()->replot();
    QStringList visible;
    for (int i = 0; i < w.plot()->itemCount(); ++i)
        if (auto* t = qobject_cast<QCPItemText*>(w.plot()->item(i)))
            if (t->visible()) visible << t->text();
    // (stacked one a line, or wrapped in a few lines where the stack would be too tall)
    const QString all = visible.join(QStringLiteral("\n"));
    for (const ThresholdSegment& s : d.segments)
        CHECK(all.contains(QString::fromStdString(thresholdLabelText(s.label, s.labelStatus))));
}

TEST_CASE("a threshold label is placed even where points crowd every position", "[chart][labels]") {
    LabelPlacer placer(LabelBox{0, 0, 400, 300});
    // Points everywhere around the line at y = 150.
    for (int x = 0; x <= 400; x += 4)
        for (int y = 100; y <= 200; y += 4) placer.addObstacle(x, y);
    LabelRequest line{10, 150, 80, 12};
    line.lineLabel = true;
    LabelRequest optional = line;
    line.mandatory = true;
    const auto boxes = placer.place({line, optional});
    REQUIRE(boxes[0]);      // the threshold label is drawn over points
    CHECK_FALSE(boxes[1]);  // an optional one is not
    // Near the right edge the label ends at the edge instead of running off it.
    LabelPlacer edge(LabelBox{0, 0, 400, 300});
    LabelRequest late{380, 150, 80, 12};
    late.lineLabel = true;
    const auto e = edge.place({late});
    REQUIRE(e[0]);
    CHECK(e[0]->x + e[0]->width <= 400);
}

TEST_CASE("every decade of the y axis is labelled, lower bounds and third parties in the legend",
          "[chart][axis]") {
    ModelRecord a;
    a.id = "a";
    a.name = "A";
    a.released = Date::parse("2024-01-01");
    ModelRecord b = a;
    b.id = "b";
    b.name = "B";
    std::vector<ChartModelInput> in(2);
    in[0].record = &a;
    in[0].flop = Interval::point(parseExact("3e18"));
    in[0].lowerBound = true;
    in[1].record = &b;
    in[1].flop = Interval::point(parseExact("2e25"));
    in[1].estimator = "Epoch AI";
    ChartOptions o;
    o.yMin = 1e16;
    o.yMax = 1e29;
    ChartWidget w;
    w.resize(900, 420);  // the main window's chart height: 13 decades in about 350 pixels
    w.setData(ChartBuilder(o).build(in, {}));
    w.show();
    QApplication::processEvents();
    w.plot()->replot();
    const QVector<double> ticks = w.plot()->yAxis->tickVector();
    const QVector<QString> labels = w.plot()->yAxis->tickVectorLabels();
    for (int k = 16; k <= 29; ++k) {
        bool found = false;
        for (int i = 0; i < ticks.size(); ++i)
            found = found || (std::abs(std::log10(ticks[i]) - k) < 1e-9 && !labels[i].isEmpty());
        INFO("10^" << k);
        CHECK(found);
    }
    QStringList legend;
    for (int i = 0; i < w.plot()->legend->itemCount(); ++i)
        if (auto* item = qobject_cast<QCPPlottableLegendItem*>(w.plot()->legend->item(i)))
            legend << item->plottable()->name();
    const QString all = legend.join(QStringLiteral("\n"));
    CHECK(all.contains(QStringLiteral("lower bound, undisclosed stages: at least this (1)")));
    CHECK(all.contains(QStringLiteral("third-party estimate, e.g. Epoch AI (1)")));
}
