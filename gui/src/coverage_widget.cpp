#include "coverage_widget.hpp"

#include "registry_document.hpp"

#include <qcustomplot.h>

#include <QFileInfo>
#include <QLocale>
#include <QSvgGenerator>
#include <QVBoxLayout>

#include <algorithm>

namespace flopledger::inline v1::gui {

namespace {

const QColor kPalette[] = {QColor(0, 114, 178),   QColor(213, 94, 0),   QColor(0, 158, 115),
                           QColor(204, 121, 167), QColor(86, 180, 233), QColor(230, 159, 0),
                           QColor(120, 120, 120), QColor(0, 0, 0)};

double seconds(const Date& d) {
    return static_cast<double>(d.daysSinceEpoch()) * 86400.0;
}

}  // namespace

CoverageWidget::CoverageWidget(QWidget* parent) : QWidget(parent), plot_(new QCustomPlot(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);
    // Tick labels in the C locale: under de_DE Qt writes "1E+16", which QCustomPlot's
    // "10^16" beautifier does not recognise (issue 18's comma-decimal host).
    plot_->setLocale(QLocale::c());
    auto ticker = QSharedPointer<QCPAxisTickerDateTime>::create();
    ticker->setDateTimeFormat(QStringLiteral("yyyy"));
    ticker->setDateTimeSpec(Qt::UTC);
    plot_->xAxis->setTicker(ticker);
    plot_->xAxis->setLabel(tr("As of"));
    plot_->yAxis->setLabel(tr("Released models above the threshold"));
    plot_->legend->setVisible(true);
    plot_->legend->setFont(QFont(font().family(), 9));
    plot_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);
    plot_->plotLayout()->insertRow(0);
    plot_->plotLayout()->addElement(
        0, 0,
        new QCPTextElement(plot_,
                           tr("Threshold coverage: models of this registry above each "
                              "threshold, quarter by quarter"),
                           QFont(font().family(), 11, QFont::Bold)));
}

void CoverageWidget::setDocument(const RegistryDocument& doc, const Date& from) {
    std::vector<Record> records;
    for (int row = 0; row < doc.size(); ++row) records.push_back(doc.record(row));
    CoverageOptions o;
    o.assess = doc.assessOptions();
    o.from = from;
    o.to = doc.asOf();
    o.step = CoverageStep::Quarter;
    try {
        result_ = computeCoverage(std::move(records), o);
    } catch (const InputError&) {
        result_ = CoverageResult{};  // e.g. --to before --from: an empty chart
    }
    rebuild();
}

void CoverageWidget::rebuild() {
    plot_->clearPlottables();
    const auto& r = result_;
    double yMax = 1;
    for (std::size_t p = 0; p < r.policies.size(); ++p) {
        QVector<double> xs, above, straddle;
        for (std::size_t d = 0; d < r.dates.size(); ++d) {
            const CoverageCounts& c = r.counts[d][p];
            xs << seconds(r.dates[d]);
            above << static_cast<double>(c.exceeds);
            straddle << static_cast<double>(c.exceeds + c.straddle);
            yMax = std::max(yMax, straddle.back());
        }
        const QColor colour = kPalette[p % std::size(kPalette)];
        const CoverageCounts* last = r.dates.empty() ? nullptr : &r.counts.back()[p];
        QCPGraph* g = plot_->addGraph();
        g->setName(QStringLiteral("%1 (%2)%3")
                       .arg(QString::fromStdString(r.policies[p].id),
                            last && !last->threshold.empty()
                                ? QString::fromStdString(last->threshold)
                                : tr("no compute threshold"),
                            last && !last->inForce ? tr(", not in force") : QString()));
        g->setLineStyle(QCPGraph::lsStepLeft);
        g->setPen(QPen(colour, 2.2, last && !last->inForce ? Qt::DashLine : Qt::SolidLine));
        g->setData(xs, above, true);
        if (straddle != above) {
            QCPGraph* s = plot_->addGraph();
            s->setName(tr("  + straddling"));
            s->setLineStyle(QCPGraph::lsStepLeft);
            QColor light = colour;
            light.setAlpha(120);
            s->setPen(QPen(light, 1.2, Qt::DotLine));
            s->setData(xs, straddle, true);
        }
    }
    if (!r.dates.empty()) {
        plot_->xAxis->setRange(seconds(r.dates.front()) - 45 * 86400.0,
                               seconds(r.dates.back()) + 45 * 86400.0);
    }
    plot_->yAxis->setRange(0, yMax + 1);
    plot_->replot();
}

bool CoverageWidget::exportTo(const QString& path, int width, int height, QString* errorText) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    bool ok = false;
    if (suffix == QLatin1String("png")) {
        ok = plot_->savePng(path, width, height, 1.0);
    } else if (suffix == QLatin1String("pdf")) {
        ok = plot_->savePdf(path, width, height);
    } else if (suffix == QLatin1String("svg")) {
        QSvgGenerator generator;
        generator.setFileName(path);
        generator.setSize(QSize(width, height));
        generator.setViewBox(QRect(0, 0, width, height));
        QCPPainter painter;
        ok = painter.begin(&generator);
        if (ok) {
            plot_->toPainter(&painter, width, height);
            ok = painter.end();
        }
    }
    if (!ok && errorText != nullptr)
        *errorText = tr("%1: error E703: cannot write the chart").arg(path);
    return ok;
}

}  // namespace flopledger::inline v1::gui
