// GUI performance: opening the Epoch AI export (1,892 models) and drawing it must take under a
// second; panning a 100,000-point chart must stay smooth (replot time per pan step).
#include "chart_inputs.hpp"
#include "chart_widget.hpp"
#include "registry_document.hpp"

#include <qcustomplot.h>

#include <QApplication>
#include <QFileInfo>

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <random>

using namespace flopledger;
using namespace flopledger::gui;

namespace {

const QString kEpoch =
    QStringLiteral(FLOPLEDGER_SHARED_DIR "/data/epoch/all_ml_systems_full_view_2025-08-07.csv");

// Read, assess under the default policies, build and render the chart to an image.
void BM_OpenAndDrawEpoch(benchmark::State& state) {
    if (!QFileInfo::exists(kEpoch)) {
        state.SkipWithError("Epoch export not present");
        return;
    }
    for (auto _ : state) {
        RegistryDocument doc;
        doc.setAsOf(*Date::parse("2025-09-01"));
        doc.setDefaultPolicies();
        QString error;
        if (!doc.load({kEpoch}, &error)) {
            state.SkipWithError(error.left(200).toStdString().c_str());
            return;
        }
        doc.assessAll();
        ChartWidget chart;
        chart.resize(1600, 1000);
        ChartOptions o;
        chart.setData(buildChart(doc, o));
        QPixmap pm = chart.plot()->toPixmap(1600, 1000);
        benchmark::DoNotOptimize(pm);
        state.counters["models"] = doc.size();
        state.counters["points"] = static_cast<double>(chart.chartData().points.size());
    }
}
BENCHMARK(BM_OpenAndDrawEpoch)->Unit(benchmark::kMillisecond)->Iterations(3);

// A synthetic registry of n models with uncertain compute, as chart inputs.
struct Synthetic {
    std::vector<ModelRecord> records;
    std::vector<ChartModelInput> inputs;
    explicit Synthetic(int n) {
        std::mt19937_64 rng(42);
        std::uniform_int_distribution<int> day(0, 365 * 10);
        std::uniform_real_distribution<double> decade(18.0, 27.0);
        records.resize(static_cast<std::size_t>(n));
        inputs.resize(records.size());
        const VerdictStatus statuses[] = {VerdictStatus::Below, VerdictStatus::Exceeds,
                                          VerdictStatus::Indeterminate, VerdictStatus::Unknown};
        for (std::size_t i = 0; i < records.size(); ++i) {
            ModelRecord& r = records[i];
            r.id = "m" + std::to_string(i);
            const int d = day(rng);
            r.released = Date{2015 + d / 365, 1 + (d % 365) / 31, 1 + (d % 365) % 28};
            const Exact c =
                Exact(static_cast<long long>(std::pow(10.0, decade(rng) - 15.0))) * pow10(15);
            inputs[i].record = &r;
            inputs[i].flop = Interval{c / 2, c, c * 2};
            inputs[i].status = statuses[i % 4];
        }
    }
};

void BM_PanStep(benchmark::State& state) {
    const Synthetic s(static_cast<int>(state.range(0)));
    ChartWidget chart;
    chart.resize(1600, 1000);
    chart.setThinning(state.range(1) != 0);
    chart.setData(ChartBuilder().build(s.inputs, {}));
    chart.show();
    QCustomPlot* plot = chart.plot();
    const double step = (plot->xAxis->range().size()) / 200.0;
    int direction = 1;
    int steps = 0;
    for (auto _ : state) {
        // What a drag does per mouse move: shift the range and replot immediately.
        plot->xAxis->moveRange(direction * step);
        plot->replot(QCustomPlot::rpImmediateRefresh);
        if (++steps % 50 == 0) direction = -direction;
    }
    state.counters["points"] = static_cast<double>(state.range(0));
    state.counters["drawn"] = chart.drawnPointCount();
}
// Second argument: 1 = thinning on (the default), 0 = every point drawn (the old behaviour).
BENCHMARK(BM_PanStep)
    ->Args({1000, 1})
    ->Args({100000, 0})
    ->Args({100000, 1})
    ->ArgNames({"points", "thinning"})
    ->Unit(benchmark::kMillisecond);

void BM_BuildChart100k(benchmark::State& state) {
    const Synthetic s(100000);
    for (auto _ : state) {
        ChartData d = ChartBuilder().build(s.inputs, {});
        benchmark::DoNotOptimize(d);
    }
}
BENCHMARK(BM_BuildChart100k)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
    setenv("QT_QPA_PLATFORM", "offscreen", 0);
    QApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
