#include "chart_widget.hpp"

#include "label_placer.hpp"
#include "status_style.hpp"
#include "threshold_runs.hpp"

#include <qcustomplot.h>

#include <QFileInfo>
#include <QLocale>
#include <QSvgGenerator>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <optional>

namespace flopledger::inline v1::gui {

namespace {

// Threshold colours: hues kept apart from the status colours of the points.
const QColor kThresholdPalette[] = {QColor(0x00, 0x72, 0xB2), QColor(0xCC, 0x79, 0xA7),
                                    QColor(0x33, 0x22, 0x88), QColor(0x88, 0x22, 0x55),
                                    QColor(0x44, 0xAA, 0x99), QColor(0x56, 0x56, 0x56),
                                    QColor(0x11, 0x77, 0x33), QColor(0x99, 0x44, 0x55)};

constexpr int kMaxObstacles = 4000;  // beyond this, points are dense enough to ignore one by one
// QCPErrorBars has no adaptive sampling: past this many points the bars cost more than they
// tell (they merge into a band), so they are left out and the tooltip gives the interval.
constexpr std::size_t kMaxErrorBars = ChartWidget::kDensePoints;
// Thinning cell, pixels: points closer than this draw as one marker. QCPGraph's own adaptive
// sampling keeps one scatter point per 4 vertical pixels of each pixel column, which at 100k
// points is nearly all of them, so the chart thins on a grid itself.
constexpr double kThinCell = 2.0;
constexpr int kMarkerSize = 7;
const QColor kLabelBackground(255, 255, 255, 190);

// A chart label in pixel coordinates: above the points and readable where they crowd (dense
// charts), below the legend; placed by the label layout, never selectable.
QCPItemText* newLabel(QCustomPlot* plot, const QString& text, const QFont& font,
                      const QColor& colour) {
    auto* item = new QCPItemText(plot);
    item->setText(text);
    item->setFont(font);
    item->setColor(colour);
    item->setPadding(QMargins(1, 0, 1, 0));
    item->setBrush(kLabelBackground);
    item->setLayer(QStringLiteral("axes"));
    item->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
    item->position->setType(QCPItemPosition::ptAbsolute);
    item->setSelectable(false);
    return item;
}

// An antialiased marker drawn once: blitting it is several times faster than QPainter drawing
// an ellipse per point.
QPixmap markerPixmap(const QColor& colour) {
    const int side = kMarkerSize + 2;
    QPixmap pm(side, side);
    pm.fill(Qt::transparent);
    QPainter painter(&pm);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(colour.darker(130), 1.0));
    painter.setBrush(colour);
    painter.drawEllipse(QRectF(1.0, 1.0, kMarkerSize - 0.5, kMarkerSize - 0.5));
    painter.end();
    return pm;
}

QPen thresholdPen(const QColor& c, LineStyle style) {
    QPen pen(c, 2.0);
    if (style == LineStyle::Dashed) pen.setStyle(Qt::DashLine);
    return pen;
}

// Slot `slot` of `slotCount` regimes sharing a line: one dash of kSlot pen widths, then the others'
// dashes as a gap. A rule not in force has its dash broken in two, keeping solid for binding law.
QPen sharedPen(const QColor& c, LineStyle style, int slot, int slotCount) {
    constexpr double kSlot = 5.0;
    QPen pen(c, 2.0);
    pen.setCapStyle(Qt::FlatCap);
    const double rest = (slotCount - 1) * kSlot;
    if (style == LineStyle::Dashed)
        pen.setDashPattern({2.0, 1.0, 2.0, rest});
    else
        pen.setDashPattern({kSlot, rest > 0 ? rest : kSlot});
    // Qt starts the pattern `offset` units in: slot k begins k dashes along the line.
    pen.setDashOffset(std::fmod(slotCount * kSlot - slot * kSlot, slotCount * kSlot));
    return pen;
}

}  // namespace

ChartWidget::ChartWidget(QWidget* parent) : QWidget(parent), plot_(new QCustomPlot(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);
    // Tick labels in the C locale: under de_DE Qt writes "1E+16", which QCustomPlot's
    // "10^16" beautifier does not recognise (issue 18's comma-decimal host).
    plot_->setLocale(QLocale::c());
    setMinimumSize(320, 240);

    plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    plot_->setNoAntialiasingOnDrag(true);

    auto dateTicker = QSharedPointer<QCPAxisTickerDateTime>::create();
    dateTicker->setDateTimeFormat(QStringLiteral("yyyy"));
    dateTicker->setDateTimeSpec(Qt::UTC);
    dateTicker->setTickCount(8);
    plot_->xAxis->setTicker(dateTicker);
    plot_->xAxis->setLabel(tr("Release date"));

    plot_->yAxis->setScaleType(QCPAxis::stLogarithmic);
    auto logTicker = QSharedPointer<QCPAxisTickerLog>::create();
    logTicker->setLogBase(10);
    logTicker->setSubTickCount(8);
    plot_->yAxis->setTicker(logTicker);
    plot_->yAxis->setNumberFormat(QStringLiteral("eb"));  // 10 with a superscript exponent
    plot_->yAxis->setNumberPrecision(0);
    plot_->yAxis->setLabel(tr("Training compute (FLOP)"));
    plot_->xAxis->grid()->setSubGridVisible(false);
    plot_->yAxis->grid()->setSubGridVisible(true);
    plot_->yAxis->grid()->setSubGridPen(QPen(QColor(235, 235, 235), 1, Qt::DotLine));

    plot_->legend->setVisible(true);
    plot_->legend->setFont(QFont(font().family(), 9));
    plot_->legend->setBrush(QColor(255, 255, 255, 220));
    plot_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);
    // (top left: compute grows with time, so that corner is the emptiest of the chart)

    plot_->plotLayout()->insertRow(0);
    auto* titleElement =
        new QCPTextElement(plot_, QString(), QFont(font().family(), 11, QFont::Bold));
    titleElement->setObjectName(QStringLiteral("title"));
    plot_->plotLayout()->addElement(0, 0, titleElement);

    connect(plot_, &QCustomPlot::afterLayout, this, &ChartWidget::placeLabels);
    connect(plot_->xAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this,
            &ChartWidget::updateDateFormat);
    connect(plot_, &QCustomPlot::mouseMove, this, &ChartWidget::onMouseMove);
    connect(plot_, &QCustomPlot::mousePress, this, &ChartWidget::onMousePress);
    connect(plot_, &QCustomPlot::mouseRelease, this, &ChartWidget::onMouseRelease);
}

void ChartWidget::setData(ChartData chart, const QString& title) {
    data_ = std::move(chart);
    title_ = title;
    rebuild();
}

void ChartWidget::resetView() {
    plot_->xAxis->setRange(data_.xMin, data_.xMax);
    plot_->yAxis->setRange(data_.yMin, data_.yMax);
    plot_->replot();
}

void ChartWidget::rebuild() {
    plot_->clearPlottables();
    plot_->clearItems();
    pointLabels_.clear();
    thresholdLabels_.clear();
    selectionGraph_ = nullptr;
    layers_.clear();

    if (auto* t = qobject_cast<QCPTextElement*>(plot_->plotLayout()->element(0, 0)))
        t->setText(title_);

    // Thresholds first, so that points are drawn over them.
    const ThresholdStyles styles = drawThresholds();
    // Legend entries for the two line styles.
    auto styleEntry = [&](const QString& name, LineStyle style) {
        QCPGraph* g = plot_->addGraph();
        g->setName(name);
        g->setPen(thresholdPen(QColor(90, 90, 90), style));
        g->setSelectable(QCP::stNone);
    };
    if (styles.solid) styleEntry(tr("threshold in force"), LineStyle::Solid);
    if (styles.dashed) styleEntry(tr("proposed, vetoed, revoked or superseded"), LineStyle::Dashed);
    if (styles.shared) {
        // Coinciding thresholds: their colours alternate along one line, one stacked label.
        QCPGraph* g = plot_->addGraph();
        g->setName(tr("thresholds at the same value: colours alternate, one label lists them"));
        QPen pen = sharedPen(kThresholdPalette[0], LineStyle::Solid, 0, 2);
        g->setPen(pen);
        g->setSelectable(QCP::stNone);
    }

    drawPoints();
    drawMarkers();
    // Every decade labelled: one tick per decade of the range.
    if (auto log = plot_->yAxis->ticker().dynamicCast<QCPAxisTickerLog>()) {
        const int decades = static_cast<int>(std::lround(std::log10(data_.yMax / data_.yMin)));
        log->setTickCount(std::max(1, decades));
        log->setSubTickCount(decades > 12 ? 0 : 8);
    }

    QFont pointFont(font().family(), 8);
    for (std::size_t i = 0; i < data_.points.size(); ++i) {
        const ChartPoint& p = data_.points[i];
        const bool selected = !selectedId_.isEmpty() && QString::fromStdString(p.id) == selectedId_;
        if (!p.notable && !selected) continue;
        auto* item =
            newLabel(plot_, QString::fromStdString(p.label), pointFont, QColor(40, 40, 40));
        pointLabels_.push_back({{item}, p.x, p.flop, selected ? 2 : 1, nullptr, {}});
    }
    std::stable_sort(pointLabels_.begin(), pointLabels_.end(), [](const Label& a, const Label& b) {
        return a.priority != b.priority ? a.priority > b.priority : a.y > b.y;
    });

    if (!selectedId_.isEmpty()) {
        for (const ChartPoint& p : data_.points) {
            if (QString::fromStdString(p.id) != selectedId_) continue;
            selectionGraph_ = plot_->addGraph();
            selectionGraph_->setData({p.x}, {p.flop});
            selectionGraph_->setLineStyle(QCPGraph::lsNone);
            selectionGraph_->setScatterStyle(
                QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(Qt::black, 2), Qt::NoBrush, 14));
            selectionGraph_->removeFromLegend();
            selectionGraph_->setSelectable(QCP::stNone);
        }
    }

    if (data_.asOfX) {
        auto* line = new QCPItemStraightLine(plot_);
        line->point1->setCoords(*data_.asOfX, data_.yMin);
        line->point2->setCoords(*data_.asOfX, data_.yMax);
        line->setPen(QPen(QColor(120, 120, 120), 1, Qt::DotLine));
        auto* text = new QCPItemText(plot_);
        text->setText(
            tr("as of %1")
                .arg(QDateTime::fromSecsSinceEpoch(static_cast<qint64>(*data_.asOfX), Qt::UTC)
                         .date()
                         .toString(Qt::ISODate)));
        text->setFont(QFont(font().family(), 8));
        text->setColor(QColor(100, 100, 100));
        text->setPositionAlignment(Qt::AlignRight | Qt::AlignTop);
        text->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
        text->position->setCoords(*data_.asOfX, 0.0);
        text->setPadding(QMargins(2, 2, 4, 2));
    }

    // Dense charts: markers are blitted pixmaps (antialiased once), thinned per replot; without
    // thinning, unantialiased circles (twice as fast as smooth ones, alike at that density).
    const bool dense = data_.points.size() > kDensePoints;
    plot_->setNotAntialiasedElements(dense ? QCP::aeScatters | QCP::aePlottables : QCP::aeNone);
    setDenseMarkers(thinning_ && dense);

    plot_->xAxis->setRange(data_.xMin, data_.xMax);
    plot_->yAxis->setRange(data_.yMin, data_.yMax);
    plot_->replot();
}

void ChartWidget::drawPoints() {
    // Points, one graph per status so the legend names each colour.
    const PointClass order[] = {PointClass::Exceeds, PointClass::Indeterminate, PointClass::Below,
                                PointClass::Unknown};
    for (PointClass pc : order) {
        std::vector<std::size_t> idx;
        for (std::size_t i = 0; i < data_.points.size(); ++i)
            if (data_.points[i].pointClass == pc) idx.push_back(i);
        if (idx.empty()) continue;
        // QCPGraph keeps its data sorted by key and QCPErrorBars pairs by index: sort first.
        std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) {
            return data_.points[a].x < data_.points[b].x;
        });
        QVector<double> xs, ys, minus, plus;
        xs.reserve(static_cast<qsizetype>(idx.size()));
        ys.reserve(xs.capacity());
        bool anyError = false;
        for (std::size_t i : idx) {
            const ChartPoint& p = data_.points[i];
            xs << p.x;
            ys << p.flop;
            minus << p.flop - p.low;
            plus << p.high - p.flop;
            anyError = anyError || p.high > p.low;
        }
        const QColor colour = statusColor(pc);
        QCPGraph* g = plot_->addGraph();
        g->setName(QStringLiteral("%1 (%2)").arg(statusText(pc)).arg(idx.size()));
        g->setLineStyle(QCPGraph::lsNone);
        g->setScatterStyle(
            QCPScatterStyle(QCPScatterStyle::ssCircle, colour.darker(130), colour, kMarkerSize));
        g->setData(xs, ys, true);
        g->setSelectable(QCP::stNone);
        layers_.push_back({g, colour, std::vector<double>(xs.begin(), xs.end()),
                           std::vector<double>(ys.begin(), ys.end())});
        if (anyError && data_.points.size() <= kMaxErrorBars) {
            auto* bars = new QCPErrorBars(plot_->xAxis, plot_->yAxis);
            bars->setDataPlottable(g);
            bars->setErrorType(QCPErrorBars::etValueError);
            bars->setData(minus, plus);
            QColor barColour = colour;
            barColour.setAlpha(170);
            bars->setPen(QPen(barColour, 1.3));
            bars->setWhiskerWidth(5);
            bars->setSymbolGap(6);
            bars->removeFromLegend();
            bars->setSelectable(QCP::stNone);
        }
    }
}

void ChartWidget::drawMarkers() {
    // Lower bounds and third-party estimates, each with a legend entry when present.
    // `legend`: the symbol in the legend, when the marker itself does not fit the legend's icon.
    auto overlay = [&](const QString& name, QCPScatterStyle style, auto pick,
                       std::optional<QCPScatterStyle> legend = std::nullopt) {
        QVector<double> xs, ys;
        std::vector<std::pair<double, double>> pts;
        for (const ChartPoint& p : data_.points)
            if (pick(p)) pts.emplace_back(p.x, p.flop);
        if (pts.empty()) return;
        std::sort(pts.begin(), pts.end());
        for (const auto& [x, y] : pts) {
            xs << x;
            ys << y;
        }
        QCPGraph* g = plot_->addGraph();
        g->setName(name.arg(pts.size()));
        g->setLineStyle(QCPGraph::lsNone);
        g->setScatterStyle(style);
        g->setData(xs, ys, true);
        g->setSelectable(QCP::stNone);
        if (legend) {
            g->removeFromLegend();
            QCPGraph* entry = plot_->addGraph();
            entry->setName(g->name());
            entry->setLineStyle(QCPGraph::lsNone);
            entry->setScatterStyle(*legend);
            entry->setSelectable(QCP::stNone);
        }
    };
    // A lower bound: an arrow up from the point (the figure is a minimum), which keeps the
    // point's colour visible (a filled triangle over it hid the verdict).
    auto arrow = [](double base, double tip) {
        QPainterPath path;
        path.moveTo(0, base);
        path.lineTo(0, tip);
        path.moveTo(-3.5, tip + 4.5);
        path.lineTo(0, tip);
        path.lineTo(3.5, tip + 4.5);
        return path;
    };
    const QPen arrowPen(QColor(30, 30, 30), 1.4);
    QCPScatterStyle up(arrow(-5, -18), arrowPen, Qt::NoBrush, 6);
    QCPScatterStyle upLegend(arrow(6, -6), arrowPen, Qt::NoBrush, 6);
    overlay(
        tr("lower bound, undisclosed stages: at least this (%1)"), up,
        [](const ChartPoint& p) { return p.lowerBound; }, upLegend);
    // Light rings: on Epoch's data nearly every point is a third party's estimate.
    overlay(tr("third-party estimate, e.g. Epoch AI (%1)"),
            QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(QColor(60, 60, 60, 150), 1.0),
                            Qt::NoBrush, kMarkerSize + 7),
            [](const ChartPoint& p) { return p.thirdParty; });
    // The legend counts what is not drawn, and why.
    const std::size_t notDrawn = data_.skipped.size() + data_.notReleased.size() + data_.outOfRange;
    if (notDrawn > 0) {
        QStringList why;
        if (!data_.notReleased.empty())
            why << tr("%1 not yet released").arg(data_.notReleased.size());
        if (!data_.skipped.empty())
            why << tr("%1 without a date or an estimate").arg(data_.skipped.size());
        if (data_.outOfRange > 0) why << tr("%1 outside the range").arg(data_.outOfRange);
        QCPGraph* g = plot_->addGraph();
        g->setName(tr("not drawn: %1 (%2)").arg(notDrawn).arg(why.join(QStringLiteral(", "))));
        g->setPen(Qt::NoPen);
        g->setSelectable(QCP::stNone);
    }
}

ChartWidget::ThresholdStyles ChartWidget::drawThresholds() {
    ThresholdStyles styles;
    std::map<std::string, QColor> colours;
    auto colourOf = [&](const std::string& policy) {
        auto it = colours.find(policy);
        if (it != colours.end()) return it->second;
        const QColor c = kThresholdPalette[colours.size() % std::size(kThresholdPalette)];
        colours.emplace(policy, c);
        return c;
    };
    for (const ThresholdSegment& s : data_.segments) {
        colourOf(s.policyId);  // colours in data order, before drawing
        (s.style == LineStyle::Dashed ? styles.dashed : styles.solid) = true;
    }
    // Where regimes share a value (three or more at 1e26) each gets every n-th dash of the line,
    // so every colour shows; drawn over one another they hid all but the last.
    for (const ThresholdRun& r : thresholdRuns(data_.segments)) {
        auto* line = new QCPItemLine(plot_);
        line->start->setCoords(r.xStart, r.value);
        line->end->setCoords(r.xEnd, r.value);
        line->setPen(r.slotCount > 1 ? sharedPen(colourOf(r.policyId), r.style, r.slot, r.slotCount)
                                     : thresholdPen(colourOf(r.policyId), r.style));
        line->setSelectable(false);
        styles.shared = styles.shared || r.slotCount > 1;
    }
    for (const ThresholdCurve& c : data_.curves) {
        QCPGraph* g = plot_->addGraph();
        g->setData(QVector<double>(c.xs.begin(), c.xs.end()),
                   QVector<double>(c.ys.begin(), c.ys.end()), true);
        g->setPen(thresholdPen(colourOf(c.policyId), c.style));
        g->removeFromLegend();
        g->setSelectable(QCP::stNone);
        (c.style == LineStyle::Dashed ? styles.dashed : styles.solid) = true;
    }
    // One label per value, a line per regime in the regime's colour, stacked.
    const QFont labelFont(font().family(), 8);
    for (const ThresholdLabelGroup& g : thresholdLabelGroups(data_)) {
        Label label{{}, g.x, g.value, 0, nullptr, {}};
        for (const ThresholdLabelLine& l : g.lines) {
            label.items.push_back(newLabel(plot_, QString::fromStdString(l.text), labelFont,
                                           colourOf(l.policyId).darker(115)));
        }
        if (g.lines.size() > 1) {
            for (const ThresholdLabelLine& l : g.lines)
                label.entries << QString::fromStdString(l.text);
            label.compact = newLabel(plot_, QString(), labelFont, QColor(50, 50, 50));
            label.compact->setTextAlignment(Qt::AlignLeft);
            label.compact->setVisible(false);
        }
        thresholdLabels_.push_back(std::move(label));
    }
    // Single regimes are placed first: a big shared label must not push them off the chart.
    std::stable_sort(
        thresholdLabels_.begin(), thresholdLabels_.end(),
        [](const Label& a, const Label& b) { return a.items.size() < b.items.size(); });
    return styles;
}

void ChartWidget::setThinning(bool on) {
    if (on == thinning_) return;
    thinning_ = on;
    rebuild();
}

int ChartWidget::drawnPointCount() const {
    int n = 0;
    for (const PointLayer& l : layers_) n += l.graph->dataCount();
    return n;
}

void ChartWidget::setDenseMarkers(bool pixmaps) {
    for (const PointLayer& l : layers_) {
        if (pixmaps)
            l.graph->setScatterStyle(QCPScatterStyle(markerPixmap(l.colour)));
        else
            l.graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle,
                                                     l.colour.darker(130), l.colour, kMarkerSize));
    }
}

void ChartWidget::thinPoints() {
    if (!thinning_ || data_.points.size() <= kDensePoints) return;
    const QRect r = plot_->axisRect()->rect();
    if (r.width() <= 0 || r.height() <= 0) return;
    // Half a marker of margin, so points just outside still draw their visible part.
    const double margin = kMarkerSize;
    const int cols = static_cast<int>((r.width() + 2 * margin) / kThinCell) + 1;
    const int rows = static_cast<int>((r.height() + 2 * margin) / kThinCell) + 1;
    const double left = r.left() - margin;
    const double top = r.top() - margin;
    const QCPRange xr = plot_->xAxis->range();
    const double pad = xr.size() * margin / std::max(1, r.width());
    for (const PointLayer& l : layers_) {
        occupied_.assign(static_cast<std::size_t>(cols) * static_cast<std::size_t>(rows), 0);
        auto it = std::lower_bound(l.xs.begin(), l.xs.end(), xr.lower - pad);
        const auto end = std::upper_bound(it, l.xs.end(), xr.upper + pad);
        QVector<QCPGraphData> kept;
        for (; it != end; ++it) {
            const std::size_t i = static_cast<std::size_t>(it - l.xs.begin());
            const double px = plot_->xAxis->coordToPixel(*it) - left;
            const double py = plot_->yAxis->coordToPixel(l.ys[i]) - top;
            if (!(px >= 0 && py >= 0)) continue;
            const int cx = static_cast<int>(px / kThinCell);
            const int cy = static_cast<int>(py / kThinCell);
            if (cx >= cols || cy >= rows) continue;
            unsigned char& cell =
                occupied_[static_cast<std::size_t>(cy) * static_cast<std::size_t>(cols) +
                          static_cast<std::size_t>(cx)];
            if (cell != 0) continue;
            cell = 1;
            kept.push_back(QCPGraphData(*it, l.ys[i]));
        }
        l.graph->data()->set(kept, true);
    }
}

void ChartWidget::placeLabels() {
    thinPoints();
    const QRect r = plot_->axisRect()->rect();
    LabelPlacer placer(
        LabelBox{double(r.left()), double(r.top()), double(r.width()), double(r.height())});
    int obstacles = 0;
    for (const ChartPoint& p : data_.points) {
        const double px = plot_->xAxis->coordToPixel(p.x);
        const double py = plot_->yAxis->coordToPixel(p.flop);
        if (!r.contains(QPoint(int(px), int(py)))) continue;
        if (++obstacles > kMaxObstacles) break;
        placer.addObstacle(px, py);
    }
    // The legend is drawn over the plot: labels keep out of it.
    if (plot_->legend->visible()) {
        const QRect lr = plot_->legend->outerRect();
        placer.addBlocked(
            LabelBox{double(lr.left()), double(lr.top()), double(lr.width()), double(lr.height())});
    }
    std::vector<LabelRequest> requests;
    std::vector<std::vector<QCPItemText*>> shown;  // per request, the items it positions
    auto sizeOf = [](const std::vector<QCPItemText*>& items) {
        QSizeF size(0, 0);  // a stack: as wide as its widest line, as tall as all of them
        for (const QCPItemText* item : items) {
            const QSizeF s = QFontMetricsF(item->font()).size(0, item->text()) + QSizeF(2, 0);
            size = QSizeF(std::max(size.width(), s.width()), size.height() + s.height());
        }
        return size;
    };
    auto request = [&](const Label& l, bool line) {
        std::vector<QCPItemText*> items = l.items;
        QSizeF size = sizeOf(items);
        if (l.compact != nullptr) {
            const bool compact = size.height() > r.height() / 3.0;
            if (compact) {
                // The names comma-separated, wrapped to at most 40% of the plot's width.
                const QFontMetricsF fm(l.compact->font());
                const double maxWidth = std::max(200.0, 0.4 * r.width());
                QString text, row;
                for (int i = 0; i < l.entries.size(); ++i) {
                    const QString next =
                        l.entries[i] + (i + 1 < l.entries.size() ? QStringLiteral(",") : QString());
                    if (!row.isEmpty() && fm.horizontalAdvance(row + ' ' + next) > maxWidth) {
                        text += row + '\n';
                        row.clear();
                    }
                    row += (row.isEmpty() ? QString() : QStringLiteral(" ")) + next;
                }
                l.compact->setText(text + row);
            }
            for (QCPItemText* item : l.items) item->setVisible(!compact);
            l.compact->setVisible(compact);
            if (compact) {
                items = {l.compact};
                size = sizeOf(items);
            }
        }
        LabelRequest q;
        const double lo = plot_->xAxis->range().lower;
        q.anchorX = plot_->xAxis->coordToPixel(line ? std::max(l.x, lo) : l.x);
        q.anchorY = plot_->yAxis->coordToPixel(l.y);
        q.width = size.width();
        q.height = size.height();
        q.lineLabel = line;
        // Every visible threshold is labelled, over points if it must be.
        q.mandatory = line && q.anchorY >= r.top() && q.anchorY <= r.bottom();
        requests.push_back(q);
        shown.push_back(std::move(items));
    };
    for (const Label& l : thresholdLabels_) request(l, true);
    for (const Label& l : pointLabels_) request(l, false);
    const std::vector<std::optional<LabelBox>> boxes = placer.place(requests);
    for (std::size_t i = 0; i < shown.size(); ++i) {
        double y = boxes[i] ? boxes[i]->y : 0;
        for (QCPItemText* item : shown[i]) {
            item->setVisible(boxes[i].has_value());
            if (!boxes[i]) continue;
            item->position->setCoords(boxes[i]->x, y);
            y += QFontMetricsF(item->font()).size(0, item->text()).height();
        }
    }
}

void ChartWidget::updateDateFormat() {
    auto ticker = plot_->xAxis->ticker().dynamicCast<QCPAxisTickerDateTime>();
    if (!ticker) return;
    constexpr double kYear = 365.25 * 86400.0;
    const double span = plot_->xAxis->range().size();
    const QString format = span > 7 * kYear   ? QStringLiteral("yyyy")
                           : span > 1 * kYear ? QStringLiteral("yyyy-MM")
                                              : QStringLiteral("yyyy-MM-dd");
    if (ticker->dateTimeFormat() != format) ticker->setDateTimeFormat(format);
}

int ChartWidget::pointAt(const QPointF& pixel, double radius) const {
    int best = -1;
    double bestD2 = radius * radius;
    for (std::size_t i = 0; i < data_.points.size(); ++i) {
        const double dx = plot_->xAxis->coordToPixel(data_.points[i].x) - pixel.x();
        const double dy = plot_->yAxis->coordToPixel(data_.points[i].flop) - pixel.y();
        const double d2 = dx * dx + dy * dy;
        if (d2 <= bestD2) {
            bestD2 = d2;
            best = static_cast<int>(i);
        }
    }
    return best;
}

void ChartWidget::selectPoint(const QString& id) {
    if (id == selectedId_) return;
    selectedId_ = id;
    rebuild();
}

void ChartWidget::onMouseMove(QMouseEvent* event) {
    if (event->buttons() != Qt::NoButton) return;  // dragging
    const int i = pointAt(event->position());
    if (i < 0) {
        QToolTip::hideText();
        return;
    }
    QToolTip::showText(event->globalPosition().toPoint(),
                       QString::fromStdString(data_.points[static_cast<std::size_t>(i)].tooltip),
                       plot_);
}

void ChartWidget::onMousePress(QMouseEvent* event) {
    pressPos_ = event->position();
}

void ChartWidget::onMouseRelease(QMouseEvent* event) {
    if ((event->position() - pressPos_).manhattanLength() > 4) return;  // it was a pan
    const int i = pointAt(event->position());
    if (i >= 0)
        emit pointClicked(QString::fromStdString(data_.points[static_cast<std::size_t>(i)].id));
}

bool ChartWidget::exportTo(const QString& path, int width, int height, QString* errorText) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (width <= 0) width = plot_->width();
    if (height <= 0) height = plot_->height();
    // A 20000 x 20000 PNG needed 1.5 GB (issue 18): the image is bounded to 40 megapixels.
    constexpr long long kMaxPixels = 40'000'000;
    if (static_cast<long long>(width) * height > kMaxPixels) {
        if (errorText)
            *errorText = tr("%1: error E704: a chart of %2 x %3 pixels is larger than the limit "
                            "of 40 megapixels")
                             .arg(path)
                             .arg(width)
                             .arg(height);
        return false;
    }
    bool ok = false;
    // Vector formats get real circles: a pixmap per marker would embed an image per point.
    const bool dense = thinning_ && data_.points.size() > kDensePoints;
    if (dense && suffix != QLatin1String("png")) setDenseMarkers(false);
    if (suffix == QLatin1String("png")) {
        ok = plot_->savePng(path, width, height, 1.0);
    } else if (suffix == QLatin1String("pdf")) {
        ok = plot_->savePdf(path, width, height, QCP::epNoCosmetic, QStringLiteral("FLOP Ledger"),
                            title_.isEmpty() ? tr("Training compute") : title_);
    } else if (suffix == QLatin1String("svg")) {
        QSvgGenerator generator;
        generator.setFileName(path);
        generator.setSize(QSize(width, height));
        generator.setViewBox(QRect(0, 0, width, height));
        generator.setTitle(title_.isEmpty() ? tr("Training compute") : title_);
        generator.setDescription(tr("Made by FLOP Ledger"));
        QCPPainter painter;
        ok = painter.begin(&generator);
        if (ok) {
            plot_->toPainter(&painter, width, height);
            ok = painter.end();
        }
        ok = ok && QFileInfo(path).size() > 0;
    } else {
        if (errorText != nullptr)
            *errorText =
                tr("%1: error E703: unsupported image format \"%2\" (use .png, .svg or .pdf)")
                    .arg(path, suffix);
        if (dense) setDenseMarkers(true);
        return false;
    }
    if (dense && suffix != QLatin1String("png")) setDenseMarkers(true);
    if (!ok && errorText != nullptr)
        *errorText = tr("%1: error E703: cannot write the chart").arg(path);
    return ok;
}

}  // namespace flopledger::inline v1::gui
