#pragma once
// The main window: chart over registry table, the calculator dock, the diagnostics panel; file
// handling (open, save, import, recent files, drag and drop, unsaved-changes prompt), exports,
// policy and date selection. Long work runs in workers; widgets are touched on this thread only.
#include "registry_document.hpp"

#include <QMainWindow>
#include <QStringList>

class QComboBox;
class QDateEdit;
class QLabel;
class QLineEdit;
class QMenu;
class QPlainTextEdit;
class QProgressBar;
class QTableView;
class QTimer;

namespace flopledger::inline v1::gui {

class CalculatorWidget;
class ChartWidget;
class RegistryFilterModel;
class RegistryTableModel;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    /// Shows the Coverage tab (threshold coverage over time) instead of the chart.
    void showCoverageTab();
    ~MainWindow() override;

    RegistryDocument* document() { return &doc_; }
    ChartWidget* chart() const { return chart_; }
    QTableView* table() const { return table_; }
    RegistryFilterModel* filterModel() const { return filter_; }
    CalculatorWidget* calculator() const { return calculator_; }
    class SettingsBar* settingsBar() const {
        return settings_;
    }
    QString statusBarText() const;  ///< the status bar's counts

    /// Opens files in a worker; the registry changes only if every file reads cleanly. In
    /// headless mode (`interactive` false) problems go to the diagnostics panel, not a dialog.
    void openFiles(const QStringList& paths);
    /// Blocks until loading and assessing are done (headless rendering, tests).
    void waitUntilIdle();
    void setInteractive(bool interactive) { interactive_ = interactive; }
    QString diagnosticsText() const;

    bool save();
    bool saveAs();
    /// Updates the chart from the document now (it is otherwise debounced).
    void refreshChart();
    /// Recomputes the Coverage tab from the document.
    void refreshCoverage();

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void buildActions();
    /// The registry table with its filter bar above it.
    QWidget* buildTableArea();
    void buildPolicyMenu();
    void updateTitle();
    void updateRecentMenu();
    void addRecent(const QStringList& paths);
    bool maybeSave();
    void showDiagnostics(const QString& text, bool error);
    void exportChart(const QString& format);
    void exportReport(const QString& format);
    void importEpoch();
    void selectRow(int sourceRow);
    void onSelectionChanged();
    void refillFilterCombos();
    void policiesChanged();

    RegistryDocument doc_;
    ChartWidget* chart_ = nullptr;
    class CoverageWidget* coverage_ = nullptr;  ///< the Coverage tab
    class QTabWidget* tabs_ = nullptr;
    QTableView* table_ = nullptr;
    RegistryTableModel* model_ = nullptr;
    RegistryFilterModel* filter_ = nullptr;
    CalculatorWidget* calculator_ = nullptr;
    QPlainTextEdit* diagnostics_ = nullptr;
    QLineEdit* search_ = nullptr;
    QComboBox* developer_ = nullptr;
    QComboBox* family_ = nullptr;
    QComboBox* status_ = nullptr;
    QComboBox* colourPolicy_ = nullptr;
    class SettingsBar* settings_ = nullptr;  ///< as-of date and slider, assumption
    QMenu* recentMenu_ = nullptr;
    QMenu* policyMenu_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QLabel* statusLabel_ = nullptr;
    QTimer* chartTimer_ = nullptr;
    bool interactive_ = true;
    int loadsRunning_ = 0;
};

}  // namespace flopledger::gui
