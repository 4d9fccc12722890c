#pragma once
// Threshold coverage over time (core's computeCoverage): for each policy, the number of released
// models of the registry above its threshold, date by date, as steps; straddling models as a
// dashed step. The GUI's Coverage tab and `flopledger plot --coverage`.
#include <flopledger/coverage.hpp>

#include <QWidget>

class QCustomPlot;

namespace flopledger::inline v1::gui {

class RegistryDocument;

class CoverageWidget : public QWidget {
    Q_OBJECT
public:
    explicit CoverageWidget(QWidget* parent = nullptr);
    /// Recomputes from the document's records, policies and estimate options, quarterly from
    /// `from` to the document's as-of date. Invalid records are left out (the table flags them).
    void setDocument(const RegistryDocument& doc, const Date& from);
    const CoverageResult& result() const { return result_; }
    /// PNG, SVG or PDF.
    bool exportTo(const QString& path, int width, int height, QString* errorText = nullptr);

private:
    void rebuild();
    QCustomPlot* plot_;
    CoverageResult result_;
};

}  // namespace flopledger::gui
