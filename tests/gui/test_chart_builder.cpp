// The chart's geometry as data: x from release dates, y from exact FLOP, error bars from the
// interval, threshold segments from policies' status histories, label placement.
#include "chart_builder.hpp"
#include "chart_inputs.hpp"
#include "chart_widget.hpp"
#include "label_placer.hpp"

#include <flopledger/policy_catalog.hpp>

#include <qcustomplot.h>
#include <catch2/catch.hpp>

#include <cmath>

using namespace flopledger;
using namespace flopledger::gui;

namespace {
ModelRecord model(const std::string& id, const char* released) {
    ModelRecord r;
    r.id = id;
    r.name = id;
    r.released = Date::parse(released);
    return r;
}
}  // namespace

TEST_CASE("chart points sit at release date seconds and log10 of the exact FLOP", "[chart]") {
    ModelRecord a = model("a", "2020-01-01");
    ModelRecord b = model("b", "2024-02-29");
    ModelRecord undated = model("c", "2024");
    undated.released.reset();
    std::vector<ChartModelInput> in(3);
    in[0].record = &a;
    in[0].flop = Interval::point(parseExact("3.14e23"));
    in[0].status = VerdictStatus::Below;
    in[1].record = &b;
    in[1].flop = Interval{parseExact("1e25"), parseExact("2e25"), parseExact("4e25")};
    in[1].status = VerdictStatus::Indeterminate;
    in[2].record = &undated;
    in[2].flop = Interval::point(parseExact("1e24"));

    const ChartData d = ChartBuilder().build(in, {});
    REQUIRE(d.points.size() == 2);
    REQUIRE(d.skipped == std::vector<std::string>{"c"});
    // 2020-01-01T00:00Z is Unix time 1577836800; 2024-02-29 is 366+3*365+31+28 = 1520 days on.
    CHECK(d.points[0].x == 1577836800.0);
    CHECK(d.points[1].x == 1577836800.0 + 1520.0 * 86400.0);
    CHECK(d.points[0].log10Flop == Approx(23.0 + std::log10(3.14)).epsilon(1e-12));
    CHECK(d.points[1].log10Flop == Approx(25.0 + std::log10(2.0)).epsilon(1e-12));
    CHECK(d.points[1].low == 1e25);
    CHECK(d.points[1].high == 4e25);
    CHECK(d.points[0].low == d.points[0].high);  // a point has no error bar
    CHECK(d.points[0].pointClass == PointClass::Below);
    CHECK(d.points[1].pointClass == PointClass::Indeterminate);
    // Whole decades around the data: 3.14e23 .. 4e25, one decade of headroom on top.
    CHECK(std::log10(d.yMin) == Approx(23.0));
    CHECK(std::log10(d.yMax) == Approx(27.0));
    // Both set a new frontier at their date, so both are labelled.
    CHECK(d.points[0].notable);
    CHECK(d.points[1].notable);
    CHECK_THAT(d.points[1].tooltip, Catch::Contains("2e25 [1e25 – 4e25] FLOP"));
}

TEST_CASE("threshold periods become segments clipped to the range", "[chart]") {
    ThresholdInput t;
    t.policyId = "p";
    t.label = "Rule";
    t.periods.push_back(
        {*Date::parse("2023-10-30"), *Date::parse("2025-01-20"), parseExact("1e26"), "in-force"});
    t.periods.push_back({*Date::parse("2025-08-02"), std::nullopt, parseExact("1e25"), "proposed"});
    ChartOptions o;
    o.from = Date::parse("2024-01-01");
    o.to = Date::parse("2026-01-01");
    const ChartData d = ChartBuilder(o).build({}, {t});
    REQUIRE(d.segments.size() == 2);
    CHECK(d.segments[0].xStart == dateToSeconds(*Date::parse("2024-01-01")));  // clipped
    CHECK(d.segments[0].xEnd == dateToSeconds(*Date::parse("2025-01-20")));
    CHECK(d.segments[0].value == 1e26);
    CHECK(d.segments[0].style == LineStyle::Solid);
    CHECK(d.segments[1].xStart == dateToSeconds(*Date::parse("2025-08-02")));
    CHECK(d.segments[1].xEnd == dateToSeconds(*Date::parse("2026-01-01")));  // open: right edge
    CHECK(d.segments[1].log10Value == Approx(25.0));
    CHECK(d.segments[1].style == LineStyle::Dashed);
}

TEST_CASE("shipped policies draw over their status history", "[chart][policy]") {
    const PolicyCatalog& catalog = PolicyCatalog::defaults();

    SECTION("EO 14110: in force 2023-10-30 to 2025-01-20, dashed once revoked") {
        const Policy* eo = catalog.find("us-eo-14110-general");
        REQUIRE(eo != nullptr);
        const auto during = thresholdInput(*eo, *Date::parse("2024-06-01"));
        REQUIRE(during);
        REQUIRE(during->periods.size() == 1);
        CHECK(during->periods[0].start == *Date::parse("2023-10-30"));
        REQUIRE(during->periods[0].end);
        CHECK(*during->periods[0].end == *Date::parse("2025-01-20"));
        CHECK(during->periods[0].value == pow10(26));
        CHECK(lineStyleFor(during->periods[0].legalStatus) == LineStyle::Solid);

        const auto after = thresholdInput(*eo, *Date::parse("2025-06-01"));
        REQUIRE(after);
        REQUIRE(after->periods.size() == 1);
        CHECK(after->periods[0].legalStatus == "revoked");
        CHECK(lineStyleFor(after->periods[0].legalStatus) == LineStyle::Dashed);
    }
    SECTION("SB 1047: pending from passage to veto, dashed") {
        const Policy* sb = catalog.find("ca-sb1047-covered");
        REQUIRE(sb != nullptr);
        const auto t = thresholdInput(*sb, *Date::parse("2025-01-01"));
        REQUIRE(t);
        REQUIRE(t->periods.size() == 1);
        CHECK(t->periods[0].start == *Date::parse("2024-08-29"));
        CHECK(*t->periods[0].end == *Date::parse("2024-09-29"));
        CHECK(t->periods[0].value == pow10(26));
        CHECK(t->periods[0].legalStatus == "vetoed");
        CHECK(lineStyleFor(t->periods[0].legalStatus) == LineStyle::Dashed);
    }
    SECTION("EU Art. 51: not yet applicable (dashed) until 2025-08-02, then in force") {
        const Policy* eu = catalog.find("eu-ai-act-art51");
        REQUIRE(eu != nullptr);
        const auto t = thresholdInput(*eu, *Date::parse("2026-01-01"));
        REQUIRE(t);
        REQUIRE(t->periods.size() >= 2);
        const ChartThresholdPeriod& last = t->periods.back();
        CHECK(last.start == *Date::parse("2025-08-02"));
        CHECK_FALSE(last.end);
        CHECK(last.value == pow10(25));
        CHECK(lineStyleFor(last.legalStatus) == LineStyle::Solid);
        CHECK(lineStyleFor(t->periods.front().legalStatus) == LineStyle::Dashed);
    }
}

namespace {
// Texts of the threshold labels the widget draws (every QCPItemText but the "as of" marker and
// point labels, which these charts have none of).
QStringList drawnLabels(const ChartData& data) {
    ChartWidget w;
    w.resize(900, 600);
    w.setData(data);
    QStringList texts;
    for (int i = 0; i < w.plot()->itemCount(); ++i)
        if (auto* t = qobject_cast<QCPItemText*>(w.plot()->item(i)))
            if (!t->text().startsWith(QStringLiteral("as of"))) texts << t->text();
    return texts;
}
}  // namespace

TEST_CASE("threshold labels give the status as of the chart's date", "[chart][policy]") {
    const PolicyCatalog& catalog = PolicyCatalog::defaults();
    const Date asOf = *Date::parse("2026-01-15");
    ChartOptions o;
    o.asOf = asOf;
    o.from = Date::parse("2023-01-01");
    o.to = Date::parse("2027-01-01");

    SECTION("EU Art. 51 applies from 2025-08-02: in force on 2026-01-15, whatever is labelled") {
        const Policy* eu = catalog.find("eu-ai-act-art51");
        REQUIRE(eu != nullptr);
        const auto t = thresholdInput(*eu, asOf);
        REQUIRE(t);
        CHECK(t->labelStatus == "in-force");
        const ChartData d = ChartBuilder(o).build({}, {*t});
        REQUIRE(d.segments.size() >= 2);
        // The first segment (2024-08-01..2025-08-02) is still drawn dashed, not yet in force...
        CHECK(d.segments.front().style == LineStyle::Dashed);
        // ...but the label, carried by it, names the regime with no stale status.
        const QStringList labels = drawnLabels(d);
        CHECK(labels == QStringList{QStringLiteral("EU AI Act Art. 51(2)")});
        // Before 2025-08-02 the same policy is labelled as not yet in force.
        const auto before = thresholdInput(*eu, *Date::parse("2025-03-01"));
        REQUIRE(before);
        CHECK(drawnLabels(ChartBuilder(o).build({}, {*before})) ==
              QStringList{QStringLiteral("EU AI Act Art. 51(2) (not-yet-in-force)")});
    }
    SECTION("EO 14110: revoked on 2026-01-15, general and bio labels differ") {
        std::vector<ThresholdInput> ts;
        for (const char* id : {"us-eo-14110-general", "us-eo-14110-bio"}) {
            const Policy* p = catalog.find(id);
            REQUIRE(p != nullptr);
            const auto t = thresholdInput(*p, asOf);
            REQUIRE(t);
            CHECK(t->labelStatus == "revoked");
            ts.push_back(*t);
        }
        CHECK(ts[0].label == ts[1].label);  // the titles alone do not tell them apart
        distinguishLabels(ts);
        CHECK(ts[0].label == "US EO 14110 4.2(b)(i), general");
        CHECK(ts[1].label == "US EO 14110 4.2(b)(i), bio");
        QStringList labels = drawnLabels(ChartBuilder(o).build({}, ts));
        labels.sort();
        CHECK(labels == QStringList{QStringLiteral("US EO 14110 4.2(b)(i), bio (revoked)"),
                                    QStringLiteral("US EO 14110 4.2(b)(i), general (revoked)")});
    }
    SECTION("SB 1047's title names its veto already: the status is not repeated") {
        const Policy* sb = catalog.find("ca-sb1047-covered");
        REQUIRE(sb != nullptr);
        const auto t = thresholdInput(*sb, asOf);
        REQUIRE(t);
        CHECK(t->labelStatus == "vetoed");
        CHECK(drawnLabels(ChartBuilder(o).build({}, {*t})) ==
              QStringList{QStringLiteral("California SB 1047 (vetoed)")});
    }
    SECTION("distinct labels are left alone") {
        std::vector<ThresholdInput> ts(2);
        ts[0].policyId = "a-x";
        ts[0].label = "A";
        ts[1].policyId = "a-y";
        ts[1].label = "B";
        distinguishLabels(ts);
        CHECK(ts[0].label == "A");
        CHECK(ts[1].label == "B");
    }
}

TEST_CASE("label placement never overlaps labels or covers points", "[chart][labels]") {
    LabelPlacer placer(LabelBox{0, 0, 400, 300});
    placer.addObstacle(110, 100);  // a point right of the first anchor
    std::vector<LabelRequest> req(3);
    req[0] = {100, 100, 60, 12};  // right side is blocked by the point: goes left
    req[1] = {100, 100, 60, 12};  // same anchor: must take yet another place
    req[2] = {395, 150, 60, 12};  // at the right edge: cannot go right
    const auto boxes = placer.place(req);
    REQUIRE(boxes.size() == 3);
    for (const auto& b : boxes) REQUIRE(b);
    CHECK(boxes[0]->x + boxes[0]->width <= 100);
    CHECK_FALSE(boxes[0]->intersects(*boxes[1]));
    CHECK_FALSE(boxes[1]->contains(110, 100));
    CHECK(boxes[2]->x + boxes[2]->width <= 400);

    // A crowd: every placed label is disjoint from every other.
    LabelPlacer crowd(LabelBox{0, 0, 200, 100});
    std::vector<LabelRequest> many(30, LabelRequest{100, 50, 50, 10});
    const auto placed = crowd.place(many);
    int shown = 0;
    for (std::size_t i = 0; i < placed.size(); ++i) {
        if (!placed[i]) continue;
        ++shown;
        for (std::size_t j = i + 1; j < placed.size(); ++j)
            if (placed[j]) CHECK_FALSE(placed[i]->intersects(*placed[j]));
    }
    CHECK(shown >= 2);
    CHECK(shown < 30);  // at most a few fit around one anchor
}

TEST_CASE("the default range fits the thresholds, far-below models are counted, not drawn",
          "[chart]") {
    // Epoch's dataset reaches back decades and down to tiny figures: with a 1e25 threshold the
    // range covers 1e20 (five decades below) upwards, and the x range the models there.
    ModelRecord old = model("perceptron", "1957-01-01");
    ModelRecord mid = model("mid", "2019-06-01");
    ModelRecord big = model("big", "2024-03-01");
    std::vector<ChartModelInput> in(3);
    in[0].record = &old;
    in[0].flop = Interval::point(parseExact("7e5"));
    in[1].record = &mid;
    in[1].flop = Interval::point(parseExact("3e21"));
    in[1].lowerBound = true;
    in[2].record = &big;
    in[2].flop = Interval::point(parseExact("2e25"));
    in[2].estimator = "Epoch AI";
    ThresholdInput t;
    t.policyId = "p";
    t.label = "Rule";
    t.periods.push_back({*Date::parse("2024-08-01"), std::nullopt, parseExact("1e25"), "in-force"});

    const ChartData d = ChartBuilder().build(in, {t});
    CHECK(std::log10(d.yMin) == Approx(21.0));                  // the lowest drawn model's decade
    CHECK(d.xMin > dateToSeconds(*Date::parse("2018-01-01")));  // not 1957
    CHECK(d.outOfRange == 1);  // the perceptron: counted in the legend, not drawn
    REQUIRE(d.points.size() == 3);
    CHECK(d.points[1].lowerBound);
    CHECK_FALSE(d.points[1].thirdParty);
    CHECK(d.points[2].thirdParty);
    CHECK_THAT(d.points[2].tooltip, Catch::Contains("Estimate by Epoch AI"));

    // Asked-for bounds win.
    ChartOptions o;
    o.yMin = 1e3;
    o.yMax = 1e27;
    o.from = Date::parse("1950-01-01");
    const ChartData all = ChartBuilder(o).build(in, {t});
    CHECK(std::log10(all.yMin) == Approx(3.0));
    CHECK(std::log10(all.yMax) == Approx(27.0));
    CHECK(all.outOfRange == 0);
}
