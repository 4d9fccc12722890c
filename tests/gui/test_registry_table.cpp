// The registry table over core data: rows, values formatted from exact figures, sort, filters.
#include "chart_builder.hpp"
#include "gui_test_util.hpp"
#include "registry_document.hpp"
#include "registry_filter_model.hpp"
#include "registry_table_model.hpp"

#include <catch2/catch.hpp>

using namespace flopledger;
using namespace flopledger::gui;

namespace {
std::string cell(const QAbstractItemModel& m, int row, int col) {
    return m.data(m.index(row, col)).toString().toStdString();
}
}  // namespace

TEST_CASE("table model shows the registry with exact-derived values and verdicts", "[table]") {
    QTemporaryDir dir;
    const QString path = writeTemp(dir, QStringLiteral("three.json"), threeModels());
    RegistryDocument doc;
    doc.setAsOf(*Date::parse("2025-09-01"));
    doc.setPolicies({"eu-ai-act-art51"});
    REQUIRE(doc.load({path}));
    doc.assessAll();
    RegistryTableModel model(&doc);

    REQUIRE(model.rowCount() == 3);
    REQUIRE(model.columnCount() == RegistryTableModel::FirstPolicy + 1);
    CHECK(model.headerData(RegistryTableModel::FirstPolicy, Qt::Horizontal)
              .toString()
              .toStdString() == "eu-ai-act-art51");
    CHECK(cell(model, 0, RegistryTableModel::Name) == "Alpha");
    CHECK(cell(model, 0, RegistryTableModel::Developer) == "Lab A");
    CHECK(cell(model, 2, RegistryTableModel::Released) == "2022-01");
    CHECK(cell(model, 0, RegistryTableModel::Flop) == "3.8e25");
    CHECK(cell(model, 1, RegistryTableModel::Flop) == "1e25");
    // {low 2e24, high 8e24}: central defaults to the midpoint 5e24. Three significant digits,
    // trailing zeros dropped, as core's formatScientific writes them.
    CHECK(cell(model, 2, RegistryTableModel::Flop) == "5e24 [2e24 – 8e24]");
    CHECK(cell(model, 0, RegistryTableModel::Method) == "stated");
    // > 1e25: 3.8e25 exceeds; exactly 1e25 does not; [2e24, 8e24] is below all through.
    CHECK(cell(model, 0, RegistryTableModel::FirstPolicy) == "exceeds");
    CHECK(cell(model, 1, RegistryTableModel::FirstPolicy) == "below");
    CHECK(cell(model, 2, RegistryTableModel::FirstPolicy) == "below");
    CHECK(model.data(model.index(0, 0), RegistryTableModel::Log10FlopRole).toDouble() ==
          Approx(25.57978359661681));

    RegistryFilterModel proxy;
    proxy.setSourceModel(&model);

    SECTION("sorting by FLOP is numeric") {
        proxy.sort(RegistryTableModel::Flop, Qt::AscendingOrder);
        CHECK(cell(proxy, 0, RegistryTableModel::Name) == "Gamma");
        CHECK(cell(proxy, 1, RegistryTableModel::Name) == "Beta");
        CHECK(cell(proxy, 2, RegistryTableModel::Name) == "Alpha");
    }
    SECTION("sorting by release date uses the day, not the text") {
        proxy.sort(RegistryTableModel::Released, Qt::DescendingOrder);
        CHECK(cell(proxy, 0, RegistryTableModel::Name) == "Alpha");
        CHECK(cell(proxy, 2, RegistryTableModel::Name) == "Gamma");
    }
    SECTION("filters: text, developer, family, status") {
        proxy.setText(QStringLiteral("gam"));
        REQUIRE(proxy.rowCount() == 1);
        CHECK(cell(proxy, 0, RegistryTableModel::Name) == "Gamma");
        proxy.setText({});
        proxy.setDeveloper(QStringLiteral("Lab A"));
        CHECK(proxy.rowCount() == 2);
        proxy.setFamily(QStringLiteral("decoder"));
        REQUIRE(proxy.rowCount() == 1);
        CHECK(cell(proxy, 0, RegistryTableModel::Name) == "Alpha");
        proxy.setDeveloper({});
        proxy.setFamily({});
        proxy.setStatus(static_cast<int>(PointClass::Below));
        CHECK(proxy.rowCount() == 2);
        proxy.setStatus(static_cast<int>(PointClass::Exceeds));
        REQUIRE(proxy.rowCount() == 1);
        CHECK(cell(proxy, 0, RegistryTableModel::Name) == "Alpha");
    }
}
