#pragma once
// Renders ChartData with QCustomPlot: points coloured by verdict with uncertainty bars, threshold
// segments and curves labelled by regime, the "as of" line, hover tooltips, click-to-select,
// zoom and pan, and non-overlapping labels for notable points. Exports PNG, SVG and PDF.
#include "chart_builder.hpp"

#include <QString>
#include <QStringList>
#include <QWidget>

#include <vector>

class QCustomPlot;
class QCPGraph;
class QCPItemText;
class QMouseEvent;

namespace flopledger::inline v1::gui {

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
    /// Dense charts (more than kDensePoints points) draw at most one marker per small pixel
    /// cell per status, from pre-rendered marker pixmaps, re-thinned on every replot so that
    /// panning stays smooth. On by default; off draws every point (for comparison benchmarks).
    void setThinning(bool on);
    /// Markers drawn by the last replot (all graphs of points).
    int drawnPointCount() const;
    static constexpr std::size_t kDensePoints = 5000;

signals:
    void pointClicked(const QString& id);

private:
    void rebuild();
    struct ThresholdStyles {
        bool solid = false, dashed = false, shared = false;
    };
    /// Threshold lines, curves and their stacked labels; what kinds of line were drawn.
    ThresholdStyles drawThresholds();
    /// One graph per status (the legend names each colour), with uncertainty bars.
    void drawPoints();
    /// Lower-bound arrows, third-party rings, and the legend's count of what is not drawn.
    void drawMarkers();
    void placeLabels();
    /// Year ticks ("2024") over long ranges, months ("2024-07") when zoomed in, so that no
    /// two ticks read alike.
    void updateDateFormat();
    void thinPoints();
    void setDenseMarkers(bool pixmaps);
    void onMouseMove(QMouseEvent* event);
    void onMousePress(QMouseEvent* event);
    void onMouseRelease(QMouseEvent* event);

    QCustomPlot* plot_;
    ChartData data_;
    QString title_;
    QString selectedId_;
    struct Label {
        std::vector<QCPItemText*> items;  ///< stacked top to bottom (one for point labels)
        double x, y;                      ///< plot coordinates of the anchor
        int priority;
        /// Many regimes at one value: their names wrapped in a few lines, shown instead of the
        /// coloured stack when that would take more than a third of the plot's height.
        QCPItemText* compact = nullptr;
        QStringList entries;  ///< the regimes the compact label wraps
    };
    std::vector<Label> pointLabels_;
    std::vector<Label> thresholdLabels_;
    QCPGraph* selectionGraph_ = nullptr;
    /// One graph per status with all its points sorted by x; dense charts draw a thinned copy.
    struct PointLayer {
        QCPGraph* graph;
        QColor colour;
        std::vector<double> xs, ys;
    };
    std::vector<PointLayer> layers_;
    bool thinning_ = true;
    std::vector<unsigned char> occupied_;  ///< scratch grid of thinPoints()
    QPointF pressPos_;
};

}  // namespace flopledger::gui
