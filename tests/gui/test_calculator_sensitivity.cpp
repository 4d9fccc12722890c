// The calculator's sensitivity tab shows core's analyseSensitivity: every accounting choice with
// the status it gives and whether it flips the verdict.
#include "calculator_widget.hpp"
#include "gui_test_util.hpp"
#include "registry_document.hpp"

#include <QTableWidget>

#include <catch2/catch.hpp>

using namespace flopledger;
using namespace flopledger::gui;

TEST_CASE("sensitivity tab: counting all experts flips a MoE model over 1e25", "[calculator]") {
    QTemporaryDir dir;
    // 6 x active 1e11 x 1e13 tokens = 6e24 (below 1e25); 6 x all 1e12 x 1e13 = 6e25 (above).
    const QString path = writeTemp(dir, QStringLiteral("moe.json"), R"([
  {"id": "moe", "name": "MoE", "released": "2025-01-01", "modalities": ["text"],
   "architecture": {"family": "generic", "params": "1e12", "active_params": "1e11",
                    "moe": {"experts": 16, "active": 2}},
   "stages": [{"kind": "pretraining", "tokens": "1e13"}]}
])");
    RegistryDocument doc;
    doc.setPolicies({"eu-ai-act-art51"});
    doc.setAsOf(*Date::parse("2025-09-01"));
    REQUIRE(doc.load({path}));
    doc.assessAll();
    const Verdict* v = doc.verdict(0, 0);
    REQUIRE(v != nullptr);
    REQUIRE(v->status == VerdictStatus::Below);

    CalculatorWidget calc(&doc);
    calc.setRow(0);
    QTableWidget* t = calc.sensitivityTable();
    REQUIRE(t->columnCount() == 4);
    // Contract 7.6: only choices that change the verdict or the counted figure are listed; for
    // a generic MoE record that is the all-experts reading alone.
    REQUIRE(t->rowCount() >= 1);
    int allExperts = -1;
    int flips = 0;
    for (int i = 0; i < t->rowCount(); ++i) {
        REQUIRE(t->item(i, 0) != nullptr);
        CHECK(t->item(i, 1)->text() == QStringLiteral("eu-ai-act-art51"));
        if (t->item(i, 0)->text() == QStringLiteral("moe-counting: all-experts")) allExperts = i;
        if (t->item(i, 3)->text() != QStringLiteral("no")) ++flips;
    }
    REQUIRE(allExperts >= 0);
    CHECK(t->item(allExperts, 2)->text() == QStringLiteral("exceeds"));
    CHECK(t->item(allExperts, 3)->text() == QStringLiteral("flips: below → exceeds"));
    CHECK_THAT(t->item(allExperts, 2)->toolTip().toStdString(), Catch::Contains("6e25"));
    CHECK(flips >= 1);
    // The conventions agree for a params-only model, so their rows are left out (contract 7.6).
    CHECK(flips == t->rowCount());

    // Without a selected policy there is no verdict to flip.
    doc.setPolicies({});
    calc.setRow(0);
    CHECK(t->rowCount() == 0);
}
