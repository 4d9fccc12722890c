#include "main_window.hpp"

#include "calculator_widget.hpp"
#include "chart_inputs.hpp"
#include "chart_widget.hpp"
#include "coverage_widget.hpp"
#include "record_commands.hpp"
#include "registry_filter_model.hpp"
#include "registry_table_model.hpp"
#include "settings_bar.hpp"
#include "status_counts.hpp"
#include "status_style.hpp"

#include <flopledger/policy_catalog.hpp>
#include <flopledger/report.hpp>

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QCloseEvent>
#include <QComboBox>
#include <QDateEdit>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontMetrics>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QSaveFile>
#include <QSettings>
#include <QSignalBlocker>
#include <QSlider>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QUndoStack>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <set>
#include <sstream>
#include <variant>

namespace flopledger::inline v1::gui {

namespace {
constexpr int kMaxRecent = 8;
QString qs(const std::string& s) {
    return QString::fromStdString(s);
}
}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setWindowIcon(QIcon(QStringLiteral(":/flopledger/flopledger.svg")));
    setAcceptDrops(true);

    chart_ = new ChartWidget;
    QWidget* tableHost = buildTableArea();

    auto* splitter = new QSplitter(Qt::Vertical);
    splitter->setObjectName(QStringLiteral("mainSplitter"));
    // The chart and threshold coverage over time share the upper half (Ctrl+1, Ctrl+2).
    tabs_ = new QTabWidget;
    coverage_ = new CoverageWidget;
    tabs_->addTab(chart_, tr("&Chart"));
    tabs_->addTab(coverage_, tr("C&overage"));
    connect(tabs_, &QTabWidget::currentChanged, this, [this](int i) {
        if (i == 1) refreshCoverage();
    });
    splitter->addWidget(tabs_);
    splitter->addWidget(tableHost);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setSizes({600, 400});
    setCentralWidget(splitter);

    calculator_ = new CalculatorWidget(&doc_);
    auto* calcDock = new QDockWidget(tr("Calculator"));
    calcDock->setObjectName(QStringLiteral("calculatorDock"));
    calcDock->setWidget(calculator_);
    addDockWidget(Qt::RightDockWidgetArea, calcDock);
    // Closed until asked for (View > Calculator, F4): opened on whatever row happened to be
    // selected, it took a third of the window.
    calcDock->setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable |
                          QDockWidget::DockWidgetFloatable);
    calcDock->hide();

    diagnostics_ = new QPlainTextEdit;
    diagnostics_->setReadOnly(true);
    diagnostics_->setMaximumBlockCount(5000);
    auto* diagDock = new QDockWidget(tr("Diagnostics"));
    diagDock->setObjectName(QStringLiteral("diagnosticsDock"));
    diagDock->setWidget(diagnostics_);
    addDockWidget(Qt::BottomDockWidgetArea, diagDock);
    diagDock->hide();

    progress_ = new QProgressBar;
    progress_->setMaximumWidth(220);
    progress_->setVisible(false);
    statusLabel_ = new QLabel;
    statusBar()->addWidget(statusLabel_, 1);
    statusBar()->addPermanentWidget(progress_);

    chartTimer_ = new QTimer(this);
    chartTimer_->setSingleShot(true);
    chartTimer_->setInterval(40);
    connect(chartTimer_, &QTimer::timeout, this, &MainWindow::refreshChart);

    buildActions();

    connect(&doc_, &RegistryDocument::modifiedChanged, this, &MainWindow::updateTitle);
    connect(&doc_, &RegistryDocument::modelReset, this, [this] {
        refillFilterCombos();
        updateTitle();
        doc_.assessAllAsync();
    });
    connect(&doc_, &RegistryDocument::assessed, this, [this] {
        progress_->setVisible(false);
        chartTimer_->start();
        statusLabel_->setText(QString::fromStdString(statusCountsText(doc_)));
        if (!doc_.assessmentError().isEmpty()) showDiagnostics(doc_.assessmentError(), true);
    });
    connect(&doc_, &RegistryDocument::progress, this, [this](int done, int total) {
        progress_->setVisible(done < total);
        progress_->setRange(0, total);
        progress_->setValue(done);
    });
    for (auto sig : {&RegistryDocument::recordChanged, &RegistryDocument::recordInserted,
                     &RegistryDocument::recordRemoved})
        connect(&doc_, sig, this, [this](int) { chartTimer_->start(); });
    connect(&doc_, &RegistryDocument::settingsChanged, this, [this] {
        // Settings may come from the command line or code: keep the controls in step.
        settings_->syncFromDocument();
        buildPolicyMenu();  // the Colour-by box shows the policy that colours the chart
        doc_.assessAllAsync();
    });

    connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &MainWindow::onSelectionChanged);
    connect(chart_, &ChartWidget::pointClicked, this,
            [this](const QString& id) { selectRow(doc_.indexOf(id.toStdString())); });

    doc_.setDefaultPolicies();
    buildPolicyMenu();

    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    if (!settings.contains(QStringLiteral("window/geometry"))) resize(1400, 900);
    updateTitle();
    updateRecentMenu();
    refreshChart();

    // Tab order follows the window top to bottom: settings, colour, views, filters, table.
    QWidget* chain[] = {settings_->dateEdit(),
                        settings_->dateSlider(),
                        settings_->assumeCheck(),
                        settings_->ratioSpin(),
                        colourPolicy_,
                        tabs_,
                        search_,
                        developer_,
                        family_,
                        status_,
                        table_};
    for (std::size_t i = 0; i + 1 < std::size(chain); ++i) setTabOrder(chain[i], chain[i + 1]);
}

QString MainWindow::statusBarText() const {
    return statusLabel_->text();
}

QWidget* MainWindow::buildTableArea() {
    model_ = new RegistryTableModel(&doc_, this);
    filter_ = new RegistryFilterModel(this);
    filter_->setSourceModel(model_);
    table_ = new QTableView;
    table_->setModel(filter_);
    table_->setSortingEnabled(true);
    table_->sortByColumn(RegistryTableModel::Released, Qt::DescendingOrder);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setAlternatingRowColors(true);
    table_->verticalHeader()->setVisible(false);
    table_->verticalHeader()->setDefaultSectionSize(22);
    table_->horizontalHeader()->setStretchLastSection(false);
    table_->setWordWrap(false);
    table_->horizontalHeader()->setDefaultSectionSize(110);
    connect(model_, &QAbstractItemModel::modelReset, this, [this] {
        table_->setColumnWidth(RegistryTableModel::Name, 180);
        table_->setColumnWidth(RegistryTableModel::Developer, 130);
        table_->setColumnWidth(RegistryTableModel::Released, 90);
        table_->setColumnWidth(RegistryTableModel::Flop, 210);
        table_->setColumnWidth(RegistryTableModel::Method, 150);
        table_->setColumnWidth(RegistryTableModel::Provenance, 200);
        // Policy columns as wide as their ids (headers were clipped: "-eo-14110-gene").
        const QFontMetrics fm(table_->horizontalHeader()->font());
        for (int c = RegistryTableModel::FirstPolicy; c < model_->columnCount(); ++c) {
            const QString h = model_->headerData(c, Qt::Horizontal, Qt::DisplayRole).toString();
            table_->setColumnWidth(c, std::max(110, fm.horizontalAdvance(h) + 24));
        }
    });

    // Filter bar above the table.
    auto* tableHost = new QWidget;
    auto* tl = new QVBoxLayout(tableHost);
    tl->setContentsMargins(0, 0, 0, 0);
    auto* bar = new QHBoxLayout;
    search_ = new QLineEdit;
    search_->setPlaceholderText(tr("Filter by name, id or developer (Ctrl+F)"));
    search_->setClearButtonEnabled(true);
    developer_ = new QComboBox;
    family_ = new QComboBox;
    status_ = new QComboBox;
    status_->addItem(tr("Any status"), -1);
    for (PointClass c :
         {PointClass::Exceeds, PointClass::Indeterminate, PointClass::Below, PointClass::Unknown})
        status_->addItem(statusIcon(c), statusText(c), static_cast<int>(c));
    status_->addItem(tr("not released"), kNotReleasedStatus);
    bar->addWidget(search_, 2);
    bar->addWidget(developer_, 1);
    bar->addWidget(family_, 1);
    bar->addWidget(status_, 1);
    tl->addLayout(bar);
    tl->addWidget(table_, 1);
    connect(search_, &QLineEdit::textChanged, filter_, &RegistryFilterModel::setText);
    connect(developer_, &QComboBox::currentIndexChanged, this,
            [this](int i) { filter_->setDeveloper(i <= 0 ? QString() : developer_->itemText(i)); });
    connect(family_, &QComboBox::currentIndexChanged, this,
            [this](int i) { filter_->setFamily(i <= 0 ? QString() : family_->itemText(i)); });
    connect(status_, &QComboBox::currentIndexChanged, this, [this](int i) {
        const int v = status_->itemData(i).toInt();
        filter_->setStatus(v < 0 ? std::nullopt : std::optional<int>(v));
    });
    return tableHost;
}

MainWindow::~MainWindow() {
    doc_.waitForAssessment();
}

void MainWindow::buildActions() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QToolBar* tb = addToolBar(tr("Main"));
    tb->setObjectName(QStringLiteral("mainToolBar"));
    tb->setMovable(false);

    QAction* newAct = file->addAction(tr("&New"), this, [this] {
        if (!maybeSave()) return;
        doc_.reset({}, {});
    });
    newAct->setShortcut(QKeySequence::New);
    QAction* open = file->addAction(tr("&Open…"), this, [this] {
        if (!maybeSave()) return;
        QSettings s;
        const QStringList paths = QFileDialog::getOpenFileNames(
            this, tr("Open registry"), s.value(QStringLiteral("lastDir")).toString(),
            tr("Registries (*.json *.jsonl *.ndjson);;Epoch AI export (*.csv);;All files (*)"));
        if (!paths.isEmpty()) openFiles(paths);
    });
    open->setShortcut(QKeySequence::Open);
    tb->addAction(open);
    recentMenu_ = file->addMenu(tr("Open &Recent"));
    file->addAction(tr("&Import Epoch AI CSV…"), this, &MainWindow::importEpoch);
    file->addSeparator();
    QAction* saveAct = file->addAction(tr("&Save"), this, [this] { save(); });
    saveAct->setShortcut(QKeySequence::Save);
    tb->addAction(saveAct);
    QAction* saveAsAct = file->addAction(tr("Save &As…"), this, [this] { saveAs(); });
    saveAsAct->setShortcut(QKeySequence::SaveAs);
    file->addSeparator();
    QMenu* exportChartMenu = file->addMenu(tr("Export &Chart"));
    for (const QString& f : {QStringLiteral("png"), QStringLiteral("svg"), QStringLiteral("pdf")})
        exportChartMenu->addAction(f.toUpper() + QStringLiteral("…"), this,
                                   [this, f] { exportChart(f); });
    QMenu* exportReportMenu = file->addMenu(tr("Export &Report"));
    exportReportMenu->addAction(tr("Markdown…"), this,
                                [this] { exportReport(QStringLiteral("md")); });
    exportReportMenu->addAction(tr("CSV…"), this, [this] { exportReport(QStringLiteral("csv")); });
    exportReportMenu->addAction(tr("JSON…"), this,
                                [this] { exportReport(QStringLiteral("json")); });
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    QAction* undo = doc_.undoStack()->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    QAction* redo = doc_.undoStack()->createRedoAction(this, tr("&Redo"));
    redo->setShortcut(QKeySequence::Redo);
    edit->addAction(undo);
    edit->addAction(redo);
    tb->addAction(undo);
    tb->addAction(redo);
    edit->addSeparator();
    QAction* addModel = edit->addAction(tr("&Add Model"), this, [this] {
        ModelRecord r;
        r.id = doc_.uniqueId("new-model");
        r.name = tr("New model").toStdString();
        r.released = Date::today();
        Stage s;
        s.kind = StageKind::Pretraining;
        r.stages.push_back(s);
        const int row = doc_.size();
        doc_.undoStack()->push(new AddRecordCommand(&doc_, row, Record(r)));
        selectRow(row);
    });
    addModel->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_M));
    QAction* removeModel = edit->addAction(tr("&Remove Model"), this, [this] {
        const QModelIndex cur = table_->currentIndex();
        if (!cur.isValid()) return;
        const int row = filter_->mapToSource(cur).row();
        doc_.undoStack()->push(new RemoveRecordCommand(&doc_, row));
    });
    removeModel->setShortcut(QKeySequence::Delete);
    edit->addSeparator();
    QAction* find = edit->addAction(tr("&Find"), this, [this] {
        search_->setFocus();
        search_->selectAll();
    });
    find->setShortcut(QKeySequence::Find);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    QAction* reset = view->addAction(tr("&Reset Zoom"), this, [this] { chart_->resetView(); });
    if (auto* calcDock = findChild<QDockWidget*>(QStringLiteral("calculatorDock"))) {
        QAction* toggle = calcDock->toggleViewAction();
        toggle->setText(tr("&Calculator"));
        toggle->setShortcut(QKeySequence(Qt::Key_F4));
        view->addAction(toggle);
    }
    reset->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    // Keyboard access to the two views and the table (the mnemonics of the tabs need Alt).
    view->addSeparator();
    view->addAction(tr("C&hart"), this, [this] { tabs_->setCurrentIndex(0); })
        ->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_1));
    view->addAction(tr("Co&verage"), this, [this] { tabs_->setCurrentIndex(1); })
        ->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_2));
    view->addAction(tr("&Table"), this, [this] { table_->setFocus(); })
        ->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    policyMenu_ = menuBar()->addMenu(tr("&Policies"));

    tb->addSeparator();
    settings_ = new SettingsBar(&doc_);
    tb->addWidget(settings_);
    auto* colourLabel = new QLabel(tr("  Colour &by "));
    tb->addWidget(colourLabel);
    colourPolicy_ = new QComboBox;
    colourLabel->setBuddy(colourPolicy_);
    colourPolicy_->setToolTip(
        tr("The policy whose verdicts colour the chart and drive the status filter"));
    tb->addWidget(colourPolicy_);
    connect(colourPolicy_, &QComboBox::currentIndexChanged, this,
            [this](int) { policiesChanged(); });

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About FLOP Ledger"), this, [this] {
        QMessageBox::about(
            this, tr("About FLOP Ledger"),
            tr("<b>FLOP Ledger</b> %1<br>Exact training-compute accounting against "
               "legal compute thresholds.<br><br>The bundled registry (models/) "
               "contains data from Epoch AI, &ldquo;Data on Notable AI Models&rdquo; "
               "(All ML systems export of 2025-08-07), "
               "<a href=\"https://epoch.ai/data/all-ml-systems\">"
               "epoch.ai/data/all-ml-systems</a>, licensed under "
               "<a href=\"https://creativecommons.org/licenses/by/4.0/\">CC BY "
               "4.0</a>; converted to records and corrected as described in "
               "models/README.md.")
                .arg(QStringLiteral(FLOPLEDGER_GUI_VERSION)));
    });
}

void MainWindow::buildPolicyMenu() {
    const PolicyCatalog& catalog = PolicyCatalog::defaults();
    const std::vector<std::string>& selected = doc_.policies();
    const std::set<std::string> on(selected.begin(), selected.end());
    policyMenu_->clear();
    colourPolicy_->blockSignals(true);
    colourPolicy_->clear();
    for (const Policy& p : catalog.all()) {
        QAction* a = policyMenu_->addAction(qs(p.id));
        a->setToolTip(qs(p.title));
        a->setCheckable(true);
        a->setChecked(on.count(p.id) > 0);
        a->setData(qs(p.id));
        connect(a, &QAction::toggled, this, &MainWindow::policiesChanged);
        if (p.appliesToModels()) colourPolicy_->addItem(qs(p.id), qs(p.id));
    }
    if (!selected.empty())
        colourPolicy_->setCurrentIndex(colourPolicy_->findData(qs(selected.front())));
    colourPolicy_->blockSignals(false);
}

void MainWindow::policiesChanged() {
    const QString first = colourPolicy_->currentData().toString();
    std::vector<std::string> ids;
    if (!first.isEmpty()) ids.push_back(first.toStdString());
    for (QAction* a : policyMenu_->actions()) {
        const QString id = a->data().toString();
        if (a->isChecked() && id != first) ids.push_back(id.toStdString());
    }
    doc_.setPolicies(ids);
}

void MainWindow::showCoverageTab() {
    tabs_->setCurrentIndex(1);
    refreshCoverage();
}

void MainWindow::refreshCoverage() {
    // Quarterly from 2018 (the era of threshold regimes) to the as-of date.
    coverage_->setDocument(doc_, Date{2018, 1, 1});
}

void MainWindow::refreshChart() {
    if (tabs_ != nullptr && tabs_->currentIndex() == 1) refreshCoverage();
    ChartOptions o;
    o.asOf = doc_.asOf();
    chart_->setData(buildChart(doc_, o), qs(chartTitle(doc_)));
}

void MainWindow::refillFilterCombos() {
    std::set<QString> devs, fams;
    for (int i = 0; i < doc_.size(); ++i) {
        const QModelIndex idx = model_->index(i, 0);
        const QString d = model_->data(idx, RegistryTableModel::DeveloperRole).toString();
        const QString f = model_->data(idx, RegistryTableModel::FamilyRole).toString();
        if (!d.isEmpty()) devs.insert(d);
        if (!f.isEmpty()) fams.insert(f);
    }
    developer_->blockSignals(true);
    family_->blockSignals(true);
    developer_->clear();
    family_->clear();
    developer_->addItem(tr("Any developer"));
    family_->addItem(tr("Any family"));
    for (const QString& d : devs) developer_->addItem(d);
    for (const QString& f : fams) family_->addItem(f);
    developer_->blockSignals(false);
    family_->blockSignals(false);
    filter_->setDeveloper({});
    filter_->setFamily({});
}

void MainWindow::openFiles(const QStringList& paths) {
    if (paths.isEmpty()) return;
    QSettings().setValue(QStringLiteral("lastDir"), QFileInfo(paths.front()).absolutePath());
    ++loadsRunning_;
    progress_->setRange(0, 0);  // busy: the reader reports no fraction
    progress_->setVisible(true);
    statusLabel_->setText(tr("Reading %1…").arg(QFileInfo(paths.front()).fileName()));
    auto* watcher = new QFutureWatcher<LoadResult>(this);
    connect(watcher, &QFutureWatcher<LoadResult>::finished, this, [this, watcher] {
        const LoadResult result = watcher->result();
        watcher->deleteLater();
        --loadsRunning_;
        progress_->setVisible(false);
        QString error;
        if (!doc_.apply(result, &error)) {
            showDiagnostics(error, true);
            statusLabel_->setText(
                tr("Not opened: the file has errors; the registry is unchanged."));
            return;
        }
        if (!result.diagnostics.empty()) showDiagnostics(result.diagnosticsText(), false);
        addRecent(result.files);
    });
    watcher->setFuture(QtConcurrent::run(readRegistryFiles, paths));
}

void MainWindow::waitUntilIdle() {
    while (loadsRunning_ > 0) QApplication::processEvents(QEventLoop::AllEvents, 20);
    QApplication::processEvents();
    doc_.waitForAssessment();
    QApplication::processEvents();
    refreshChart();
}

QString MainWindow::diagnosticsText() const {
    return diagnostics_->toPlainText();
}

void MainWindow::showDiagnostics(const QString& text, bool error) {
    diagnostics_->setPlainText(text);
    if (auto* dock = qobject_cast<QDockWidget*>(diagnostics_->parentWidget())) dock->show();
    if (error && interactive_)
        QMessageBox::warning(this, tr("Problems in the input"),
                             tr("The registry was not changed.\n\n%1").arg(text.left(4000)));
}

bool MainWindow::save() {
    if (doc_.filePath().isEmpty()) return saveAs();
    QString error;
    if (!doc_.save(doc_.filePath(), &error)) {
        showDiagnostics(error, true);
        return false;
    }
    statusBar()->showMessage(tr("Saved %1").arg(doc_.filePath()), 4000);
    return true;
}

bool MainWindow::saveAs() {
    QSettings s;
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save registry"), s.value(QStringLiteral("lastDir")).toString(),
        tr("JSON array (*.json);;JSON Lines (*.jsonl)"));
    if (path.isEmpty()) return false;
    QString error;
    if (!doc_.save(path, &error)) {
        showDiagnostics(error, true);
        return false;
    }
    addRecent({path});
    updateTitle();
    return true;
}

bool MainWindow::maybeSave() {
    if (!doc_.isModified() || !interactive_) return true;
    const auto answer = QMessageBox::warning(
        this, tr("Unsaved changes"), tr("The registry has unsaved changes. Save them?"),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel);
    if (answer == QMessageBox::Save) return save();
    return answer == QMessageBox::Discard;
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (!maybeSave()) {
        event->ignore();
        return;
    }
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    QStringList paths;
    for (const QUrl& url : event->mimeData()->urls())
        if (url.isLocalFile()) paths << url.toLocalFile();
    if (paths.isEmpty() || !maybeSave()) return;
    event->acceptProposedAction();
    openFiles(paths);
}

void MainWindow::updateTitle() {
    QString name = doc_.filePath().isEmpty() ? (doc_.sourceFiles().isEmpty()
                                                    ? tr("Untitled")
                                                    : doc_.sourceFiles().join(QStringLiteral(", ")))
                                             : QFileInfo(doc_.filePath()).fileName();
    if (name.size() > 80) name = name.left(77) + QStringLiteral("…");
    setWindowTitle(tr("%1[*] — FLOP Ledger").arg(name));
    setWindowModified(doc_.isModified());
}

void MainWindow::addRecent(const QStringList& paths) {
    QSettings s;
    QStringList recent = s.value(QStringLiteral("recentFiles")).toStringList();
    for (const QString& p : paths) {
        const QString abs = QFileInfo(p).absoluteFilePath();
        recent.removeAll(abs);
        recent.prepend(abs);
    }
    while (recent.size() > kMaxRecent) recent.removeLast();
    s.setValue(QStringLiteral("recentFiles"), recent);
    updateRecentMenu();
}

void MainWindow::updateRecentMenu() {
    recentMenu_->clear();
    const QStringList recent = QSettings().value(QStringLiteral("recentFiles")).toStringList();
    for (const QString& path : recent)
        recentMenu_
            ->addAction(QFileInfo(path).fileName(), this,
                        [this, path] {
                            if (maybeSave()) openFiles({path});
                        })
            ->setToolTip(path);
    recentMenu_->setEnabled(!recent.isEmpty());
}

void MainWindow::importEpoch() {
    if (!maybeSave()) return;
    QSettings s;
    const QString path = QFileDialog::getOpenFileName(this, tr("Import Epoch AI CSV"),
                                                      s.value(QStringLiteral("lastDir")).toString(),
                                                      tr("CSV files (*.csv)"));
    if (!path.isEmpty()) openFiles({path});
}

void MainWindow::exportChart(const QString& format) {
    QSettings s;
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export chart"),
        s.value(QStringLiteral("lastDir")).toString() + QStringLiteral("/chart.") + format,
        format.toUpper() + QStringLiteral(" (*.") + format + QStringLiteral(")"));
    if (path.isEmpty()) return;
    bool ok = false;
    const QString size =
        QInputDialog::getText(this, tr("Chart size"), tr("Width × height in pixels:"),
                              QLineEdit::Normal, QStringLiteral("1600x1000"), &ok);
    if (!ok) return;
    const QStringList wh = size.split(QRegularExpression(QStringLiteral("[x×* ]+")));
    const int w = wh.value(0).toInt();
    const int h = wh.value(1).toInt();
    QString error;
    if (w <= 0 || h <= 0 || w > 20000 || h > 20000 || static_cast<long long>(w) * h > 40'000'000) {
        QMessageBox::warning(this, tr("Chart size"),
                             tr("Give a size like 1600x1000 (at most 40 megapixels)."));
        return;
    }
    if (!chart_->exportTo(path, w, h, &error)) showDiagnostics(error, true);
}

void MainWindow::exportReport(const QString& format) {
    QSettings s;
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export report"),
        s.value(QStringLiteral("lastDir")).toString() + QStringLiteral("/report.") + format);
    if (path.isEmpty()) return;
    doc_.waitForAssessment();
    std::vector<RecordAssessment> results;
    for (int i = 0; i < doc_.size(); ++i)
        if (doc_.state(i).assessment) results.push_back(*doc_.state(i).assessment);
    ReportOptions o;
    o.format = *parseReportFormat(format.toStdString());
    o.evaluate = !doc_.policies().empty();
    o.asOf = {doc_.asOf()};
    o.convention = doc_.estimateOptions().convention;
    for (const std::string& id : doc_.policies()) {
        if (const Policy* p = PolicyCatalog::defaults().find(id)) {
            o.policies.push_back(summarizePolicy(*p, doc_.asOf()));
        } else {
            PolicySummary sum;
            sum.id = id;
            o.policies.push_back(sum);
        }
    }
    std::ostringstream out;
    writeReport(o, results, out);
    const std::string text = out.str();
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) ||
        file.write(text.data(), qint64(text.size())) != qint64(text.size()) || !file.commit()) {
        showDiagnostics(tr("%1: cannot write: %2").arg(path, file.errorString()), true);
        return;
    }
    statusBar()->showMessage(tr("Report written to %1").arg(path), 4000);
}

void MainWindow::selectRow(int sourceRow) {
    if (sourceRow < 0) return;
    QModelIndex proxy = filter_->mapFromSource(model_->index(sourceRow, 0));
    if (!proxy.isValid()) {  // hidden by a filter: clear the filters so the selection shows
        search_->clear();
        developer_->setCurrentIndex(0);
        family_->setCurrentIndex(0);
        status_->setCurrentIndex(0);
        proxy = filter_->mapFromSource(model_->index(sourceRow, 0));
    }
    table_->setCurrentIndex(proxy);
    table_->scrollTo(proxy);
}

void MainWindow::onSelectionChanged() {
    const QModelIndex cur = table_->currentIndex();
    const int row = cur.isValid() ? filter_->mapToSource(cur).row() : -1;
    calculator_->setRow(row);
    chart_->selectPoint(row >= 0 ? qs(recordId(doc_.record(row))) : QString());
}

}  // namespace flopledger::gui
