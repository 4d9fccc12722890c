// flopledger-gui: the desktop app, and its headless modes
//   flopledger-gui [FILE...]
//   flopledger-gui FILE... --screenshot OUT.png      the main window, offscreen
//   flopledger-gui --plot OUT.(png|svg|pdf) FILE... [--as-of DATE] [--policy ID]...
//                  [--from DATE --to DATE] [--ymin FLOP --ymax FLOP]
//                  [--width W --height H]             the chart alone (used by `flopledger plot`)
// Bad input: one line per problem on stderr, exit 2.
#include "chart_inputs.hpp"
#include "chart_widget.hpp"
#include "coverage_widget.hpp"
#include "main_window.hpp"

#include <flopledger/policy_catalog.hpp>

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QScreen>
#include <QTableView>
#include <QTimer>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

using namespace flopledger;
using namespace flopledger::gui;

int fail(const QString& message) {
    std::fprintf(stderr, "flopledger-gui: error %s: %s\n", codeText(ErrorCode::Usage).c_str(),
                 message.toLocal8Bit().constData());
    return 2;
}

struct Options {
    QStringList files;
    QString screenshot;
    QString plot;
    std::optional<Date> asOf;
    std::vector<std::string> policies;
    std::optional<Date> from, to;
    std::optional<double> yMin, yMax;
    bool coverage = false;  ///< --plot/--screenshot: threshold coverage instead of the chart
    int width = 1600;
    int height = 1000;
};

// Returns an exit code on a usage error.
std::optional<int> parse(const QStringList& args, Options& o) {
    QCommandLineParser p;
    p.setApplicationDescription(
        QObject::tr("FLOP Ledger: training compute against legal thresholds"));
    p.addHelpOption();
    p.addVersionOption();
    p.addPositionalArgument(QStringLiteral("FILE"),
                            QObject::tr("Registries to open (JSON, JSON Lines, Epoch CSV)"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                        QObject::tr("Render the main window to a PNG and exit"),
                                        QStringLiteral("OUT.png"));
    const QCommandLineOption plot(QStringLiteral("plot"),
                                  QObject::tr("Render the chart to PNG, SVG or PDF and exit"),
                                  QStringLiteral("OUT"));
    const QCommandLineOption asOf(QStringLiteral("as-of"),
                                  QObject::tr("Evaluate as of this date (YYYY-MM-DD)"),
                                  QStringLiteral("DATE"));
    const QCommandLineOption policy(
        QStringLiteral("policy"),
        QObject::tr("Policy to evaluate (repeatable; the first colours the chart)"),
        QStringLiteral("ID"));
    const QCommandLineOption width(QStringLiteral("width"), QObject::tr("Image width in pixels"),
                                   QStringLiteral("W"));
    const QCommandLineOption height(QStringLiteral("height"), QObject::tr("Image height in pixels"),
                                    QStringLiteral("H"));
    const QCommandLineOption from(QStringLiteral("from"), QObject::tr("Chart from this date"),
                                  QStringLiteral("DATE"));
    const QCommandLineOption to(QStringLiteral("to"), QObject::tr("Chart to this date"),
                                QStringLiteral("DATE"));
    const QCommandLineOption ymin(QStringLiteral("ymin"),
                                  QObject::tr("Lowest FLOP on the y axis (e.g. 1e20)"),
                                  QStringLiteral("FLOP"));
    const QCommandLineOption ymax(QStringLiteral("ymax"),
                                  QObject::tr("Highest FLOP on the y axis (e.g. 1e28)"),
                                  QStringLiteral("FLOP"));
    const QCommandLineOption coverage(
        QStringLiteral("coverage"),
        QObject::tr("With --plot or --screenshot: threshold coverage over time instead of the "
                    "chart"));
    p.addOptions({screenshot, plot, asOf, policy, width, height, from, to, ymin, ymax, coverage});
    if (!p.parse(args)) return fail(p.errorText());
    if (p.isSet(QStringLiteral("help"))) {
        std::fputs(p.helpText().toLocal8Bit().constData(), stdout);
        return 0;
    }
    if (p.isSet(QStringLiteral("version"))) {
        std::printf("flopledger-gui %s\n", FLOPLEDGER_GUI_VERSION);
        return 0;
    }
    o.files = p.positionalArguments();
    o.coverage = p.isSet(coverage);
    o.screenshot = p.value(screenshot);
    o.plot = p.value(plot);
    if (p.isSet(asOf)) {
        o.asOf = Date::parse(p.value(asOf).toStdString());
        if (!o.asOf)
            return fail(
                QObject::tr("--as-of: \"%1\" is not a date YYYY[-MM[-DD]]").arg(p.value(asOf)));
    }
    for (auto [opt, target] : {std::pair{&from, &o.from}, std::pair{&to, &o.to}}) {
        if (!p.isSet(*opt)) continue;
        *target = Date::parse(p.value(*opt).toStdString());
        if (!*target)
            return fail(QObject::tr("--%1: \"%2\" is not a date YYYY[-MM[-DD]]")
                            .arg(opt->names().front(), p.value(*opt)));
    }
    for (auto [opt, target] : {std::pair{&ymin, &o.yMin}, std::pair{&ymax, &o.yMax}}) {
        if (!p.isSet(*opt)) continue;
        bool ok = false;
        const double v = p.value(*opt).toDouble(&ok);
        if (!ok || !(v > 0) || v > 1e60)
            return fail(QObject::tr("--%1: \"%2\" is not a positive FLOP value such as 1e25")
                            .arg(opt->names().front(), p.value(*opt)));
        *target = v;
    }
    if (o.yMin && o.yMax && *o.yMin >= *o.yMax)
        return fail(QObject::tr("--ymin must be below --ymax"));
    if (o.from && o.to && *o.to <= *o.from) return fail(QObject::tr("--to must be after --from"));
    for (const QString& id : p.values(policy)) {
        if (PolicyCatalog::defaults().find(id.toStdString()) == nullptr) {
            std::vector<std::string> ids = PolicyCatalog::defaults().ids();
            std::vector<std::string_view> views(ids.begin(), ids.end());
            const std::string hint = didYouMean(id.toStdString(), views);
            std::fprintf(stderr, "flopledger-gui: error %s: unknown policy \"%s\"%s\n",
                         codeText(ErrorCode::UnknownPolicy).c_str(), id.toLocal8Bit().constData(),
                         hint.empty() ? "" : (" (did you mean \"" + hint + "\"?)").c_str());
            return 2;
        }
        o.policies.push_back(id.toStdString());
    }
    for (auto [opt, target] : {std::pair{&width, &o.width}, std::pair{&height, &o.height}}) {
        if (!p.isSet(*opt)) continue;
        bool ok = false;
        const int v = p.value(*opt).toInt(&ok);
        if (!ok || v < 16 || v > 20000)
            return fail(QObject::tr("--%1 must be a whole number of pixels from 16 to 20000")
                            .arg(opt->names().front()));
        *target = v;
    }
    if (!o.plot.isEmpty()) {
        const QString suffix = QFileInfo(o.plot).suffix().toLower();
        if (suffix != QLatin1String("png") && suffix != QLatin1String("svg") &&
            suffix != QLatin1String("pdf"))
            return fail(
                QObject::tr("--plot: unsupported image format \"%1\" (use .png, .svg or .pdf)")
                    .arg(o.plot));
        if (o.files.isEmpty()) return fail(QObject::tr("--plot needs at least one FILE"));
    }
    if (!o.screenshot.isEmpty() &&
        QFileInfo(o.screenshot).suffix().toLower() != QLatin1String("png"))
        return fail(QObject::tr("--screenshot writes PNG: name the file .png"));
    return std::nullopt;
}

void printDiagnostics(const std::vector<Diagnostic>& diagnostics) {
    for (const Diagnostic& d : diagnostics) std::fprintf(stderr, "%s\n", d.toString().c_str());
}

int runPlot(const Options& o) {
    const LoadResult loaded = readRegistryFiles(o.files);
    printDiagnostics(loaded.diagnostics);
    if (!loaded.ok) return 2;
    RegistryDocument doc;
    doc.reset(loaded.records, loaded.files);
    if (o.asOf) doc.setAsOf(*o.asOf);
    if (o.policies.empty())
        doc.setDefaultPolicies();
    else
        doc.setPolicies(o.policies);
    doc.assessAll();
    if (o.coverage) {
        CoverageWidget cov;
        cov.resize(o.width, o.height);
        cov.setDocument(doc, o.from.value_or(Date{2018, 1, 1}));
        QString error;
        if (!cov.exportTo(o.plot, o.width, o.height, &error)) {
            // The message names the file and its code (E703 write, E704 size limit).
            std::fprintf(stderr, "flopledger-gui: %s\n", error.toLocal8Bit().constData());
            return 2;
        }
        return 0;
    }
    ChartWidget chart;
    chart.resize(o.width, o.height);
    ChartOptions co;
    co.asOf = doc.asOf();
    co.from = o.from;
    co.to = o.to;
    co.yMin = o.yMin;
    co.yMax = o.yMax;
    chart.setData(buildChart(doc, co), QString::fromStdString(chartTitle(doc)));
    QString error;
    if (!chart.exportTo(o.plot, o.width, o.height, &error)) {
        std::fprintf(stderr, "flopledger-gui: %s\n", error.toLocal8Bit().constData());
        return 2;
    }
    return 0;
}

int runScreenshot(const Options& o) {
    MainWindow w;
    w.setInteractive(false);
    w.resize(o.width, o.height);
    if (o.asOf) w.document()->setAsOf(*o.asOf);
    if (!o.policies.empty()) w.document()->setPolicies(o.policies);
    if (!o.files.isEmpty()) {
        const LoadResult loaded = readRegistryFiles(o.files);
        printDiagnostics(loaded.diagnostics);
        if (!loaded.ok) return 2;
        w.document()->apply(loaded);
    }
    w.show();
    w.waitUntilIdle();
    if (o.coverage) w.showCoverageTab();
    if (w.document()->size() > 0) w.table()->selectRow(0);
    QApplication::processEvents();
    w.refreshChart();
    QApplication::processEvents();
    if (!w.grab().save(o.screenshot, "PNG")) {
        std::fprintf(stderr, "%s: error %s: cannot write the screenshot\n",
                     o.screenshot.toLocal8Bit().constData(),
                     codeText(ErrorCode::FileWrite).c_str());
        return 2;
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    // Headless modes must pick the offscreen platform before QApplication exists.
    bool headless = false;
    for (int i = 1; i < argc; ++i)
        if (std::strcmp(argv[i], "--screenshot") == 0 || std::strcmp(argv[i], "--plot") == 0 ||
            std::strncmp(argv[i], "--screenshot=", 13) == 0 ||
            std::strncmp(argv[i], "--plot=", 7) == 0 ||
            // --help and --version only print: they must work without a display too.
            std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0 ||
            std::strcmp(argv[i], "--version") == 0 || std::strcmp(argv[i], "-v") == 0)
            headless = true;
    if (headless && std::getenv("QT_QPA_PLATFORM") == nullptr)
        setenv("QT_QPA_PLATFORM", "offscreen", 1);

    QApplication app(argc, argv);
    Q_INIT_RESOURCE(flopledger_gui);  // the resources live in the static flopledger_gui_lib
    QApplication::setOrganizationName(QStringLiteral("FLOP Ledger"));
    QApplication::setApplicationName(QStringLiteral("flopledger-gui"));
    QApplication::setApplicationVersion(QStringLiteral(FLOPLEDGER_GUI_VERSION));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/flopledger/flopledger.svg")));

    Options o;
    try {
        if (const std::optional<int> code = parse(QApplication::arguments(), o)) return *code;
        if (!o.plot.isEmpty()) return runPlot(o);
        if (!o.screenshot.isEmpty()) return runScreenshot(o);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "flopledger-gui: error %s: %s\n",
                     codeText(ErrorCode::Internal).c_str(), e.what());
        return 3;
    }

    MainWindow w;
    w.show();
    if (!o.files.isEmpty()) w.openFiles(o.files);
    return app.exec();
}
