#pragma once
// Renders ChartData with QCustomPlot: points coloured by verdict with uncertainty bars, threshold
// segments and curves labelled by regime, the "as of" line, hover tooltips, click-to-select,
// zoom and pan, and non-overlapping labels for notable points. Exports PNG, SVG and PDF.
#include "chart_builder.hpp"

#include <QString>
#include <QWidget>

#include <vector>

class QCustomPlot;
class QCPGraph;
class QCPItemText;
class QMouseEvent;

namespace flopledger::gui {

class ChartWidget : public QWidget {
    Q_OBJECT
public:
    explicit ChartWidget(QWidget* parent = nullptr);

    /// Replaces what is drawn; `title` names the colouring policy.
    void setData(ChartData chart, const QString& title = {});
    const ChartData& chartData() const { return data_; }
    QCustomPlot* plot() const { return plot_; }

    /// Writes the chart as PNG, SVG or PDF (by the file's extension) at the given pixel size
    /// (0: the widget's size). Returns false with a message on failure.
    bool exportTo(const QString& path, int width, int height, QString* errorText = nullptr);
    /// Resets zoom and pan to the data's full range.
    void resetView();
    /// Index into chartData().points of the point nearest to a pixel, within `radius`; -1 none.
    int pointAt(const QPointF& pixel, double radius = 8.0) const;
    /// Marks a point as selected (drawn with a ring and always labelled).
    void selectPoint(const QString& id);

signals:
    void pointClicked(const QString& id);

private:
    void rebuild();
    void placeLabels();
    void onMouseMove(QMouseEvent* event);
    void onMousePress(QMouseEvent* event);
    void onMouseRelease(QMouseEvent* event);

    QCustomPlot* plot_;
    ChartData data_;
    QString title_;
    QString selectedId_;
    struct Label {
        QCPItemText* item;
        double x, y;  ///< plot coordinates of the anchor
        int priority;
    };
    std::vector<Label> pointLabels_;
    std::vector<Label> thresholdLabels_;
    QCPGraph* selectionGraph_ = nullptr;
    QPointF pressPos_;
};

}  // namespace flopledger::gui
