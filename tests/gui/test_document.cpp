// Files, undo/redo and the calculator's round trip into the ledger.
#include "calculator_widget.hpp"
#include "gui_test_util.hpp"
#include "record_commands.hpp"
#include "registry_document.hpp"

#include <QLineEdit>
#include <QTableWidget>

#include <catch2/catch.hpp>

#include <variant>

using namespace flopledger;
using namespace flopledger::gui;

namespace {
const ModelRecord& modelAt(const RegistryDocument& doc, int row) {
    return std::get<ModelRecord>(doc.record(row));
}
Exact total(const RegistryDocument& doc, int row) {
    const ModelEstimate* e = doc.estimate(row);
    REQUIRE(e != nullptr);
    return e->total.central;
}
}  // namespace

TEST_CASE("a corrupt file is reported and leaves the registry intact", "[files]") {
    QTemporaryDir dir;
    const QString good = writeTemp(dir, QStringLiteral("good.json"), threeModels());
    const QString bad =
        writeTemp(dir, QStringLiteral("bad.json"),
                  R"([{"id": "x", "stages": [{"kind": "pretraining", "flop": "1e25"}]},)");
    RegistryDocument doc;
    REQUIRE(doc.load({good}));
    REQUIRE(doc.size() == 3);
    QString error;
    CHECK_FALSE(doc.load({bad}, &error));
    CHECK_THAT(error.toStdString(), Catch::Contains("bad.json"));
    CHECK_THAT(error.toStdString(), Catch::Contains("E201"));
    REQUIRE(doc.size() == 3);
    CHECK(recordId(doc.record(0)) == "alpha");
    CHECK(doc.filePath().toStdString() == good.toStdString());

    SECTION("a bad number is located by its JSON pointer") {
        const QString badNumber =
            writeTemp(dir, QStringLiteral("nan.jsonl"),
                      R"({"id": "x", "stages": [{"kind": "pretraining", "flop": "NaN"}]})"
                      "\n");
        CHECK_FALSE(doc.load({badNumber}, &error));
        CHECK_THAT(error.toStdString(), Catch::Contains("/stages/0/flop"));
        CHECK(doc.size() == 3);
    }
    SECTION("a missing file") {
        CHECK_FALSE(doc.load({dir.filePath(QStringLiteral("absent.json"))}, &error));
        CHECK_THAT(error.toStdString(), Catch::Contains("E702"));
        CHECK(doc.size() == 3);
    }
}

TEST_CASE("save writes what load reads back, atomically", "[files]") {
    QTemporaryDir dir;
    const QString good = writeTemp(dir, QStringLiteral("good.json"), threeModels());
    RegistryDocument doc;
    REQUIRE(doc.load({good}));
    doc.undoStack()->push(new RemoveRecordCommand(&doc, 1));
    CHECK(doc.isModified());
    const QString out = dir.filePath(QStringLiteral("saved.jsonl"));
    REQUIRE(doc.save(out));
    CHECK_FALSE(doc.isModified());
    RegistryDocument again;
    REQUIRE(again.load({out}));
    REQUIRE(again.size() == 2);
    CHECK(recordId(again.record(0)) == "alpha");
    CHECK(recordId(again.record(1)) == "gamma");
    const auto& g = std::get<ModelRecord>(again.record(1));
    CHECK(g.stages[0].flop->value.low == parseExact("2e24"));
    CHECK(g.stages[0].flop->value.high == parseExact("8e24"));
}

TEST_CASE("undo and redo of add, remove and edit", "[undo]") {
    QTemporaryDir dir;
    RegistryDocument doc;
    REQUIRE(doc.load({writeTemp(dir, QStringLiteral("r.json"), threeModels())}));
    QUndoStack* undo = doc.undoStack();

    ModelRecord extra;
    extra.id = doc.uniqueId("alpha");
    CHECK(extra.id == "alpha-2");
    undo->push(new AddRecordCommand(&doc, 3, Record(extra)));
    CHECK(doc.size() == 4);
    undo->push(new RemoveRecordCommand(&doc, 0));
    CHECK(doc.size() == 3);
    CHECK(recordId(doc.record(0)) == "beta");
    ModelRecord renamed = modelAt(doc, 0);
    renamed.name = "Beta 2";
    undo->push(new EditRecordCommand(&doc, 0, Record(renamed), QStringLiteral("rename")));
    CHECK(modelAt(doc, 0).name == "Beta 2");

    undo->undo();
    CHECK(modelAt(doc, 0).name == "Beta");
    undo->undo();
    CHECK(recordId(doc.record(0)) == "alpha");
    undo->undo();
    CHECK(doc.size() == 3);
    CHECK_FALSE(doc.isModified());
    undo->redo();
    undo->redo();
    undo->redo();
    CHECK(doc.size() == 3);
    CHECK(modelAt(doc, 0).name == "Beta 2");
    CHECK(doc.isModified());
}

TEST_CASE("calculator edits round-trip into the ledger and the estimate", "[calculator]") {
    QTemporaryDir dir;
    // six-nd only: 6 x params x tokens = 6 x 1e9 x 1e12 = 6e21.
    const QString path = writeTemp(dir, QStringLiteral("c.json"), R"([
  {"id": "small", "name": "Small", "released": "2024-01-01", "modalities": ["text"],
   "architecture": {"family": "decoder", "params": "1B"},
   "stages": [{"kind": "pretraining", "tokens": "1T"}]}
])");
    RegistryDocument doc;
    doc.setPolicies({"eu-gpai-indicative"});
    doc.setAsOf(*Date::parse("2025-09-01"));
    REQUIRE(doc.load({path}));
    doc.assessAll();
    REQUIRE(total(doc, 0) == parseExact("6e21"));

    CalculatorWidget calc(&doc);
    calc.setRow(0);
    QLineEdit* params = calc.fieldEditor(QStringLiteral("params"));
    REQUIRE(params != nullptr);
    CHECK(params->text().toStdString() == "1000000000");

    params->setText(QStringLiteral("2B"));  // 6 x 2e9 x 1e12 = 1.2e22
    CHECK(calc.fieldError(QStringLiteral("params")).isEmpty());
    CHECK(modelAt(doc, 0).architecture->params->central() == parseExact("2e9"));
    CHECK(total(doc, 0) == parseExact("1.2e22"));

    params->setText(QStringLiteral("2X"));  // invalid: reported, record keeps 2B
    CHECK_FALSE(calc.fieldError(QStringLiteral("params")).isEmpty());
    CHECK(modelAt(doc, 0).architecture->params->central() == parseExact("2e9"));

    params->setText(QStringLiteral("-5"));
    CHECK_THAT(calc.fieldError(QStringLiteral("params")).toStdString(),
               Catch::Contains("negative"));

    // Ledger: tokens 1T -> 20T gives 6 x 2e9 x 2e13 = 2.4e23, above the EU indicative 1e23.
    QTableWidget* stages = calc.stageTable();
    REQUIRE(stages->rowCount() == 1);
    stages->item(0, CalculatorWidget::Tokens)->setText(QStringLiteral("20T"));
    CHECK(modelAt(doc, 0).stages[0].tokens->central() == parseExact("2e13"));
    CHECK(total(doc, 0) == parseExact("2.4e23"));
    const Verdict* v = doc.verdict(0, 0);
    REQUIRE(v != nullptr);
    CHECK(v->status == VerdictStatus::Exceeds);

    // A bad cell is refused with a message; the ledger keeps its value.
    stages->item(0, CalculatorWidget::Kind)->setText(QStringLiteral("pretrainig"));
    CHECK(modelAt(doc, 0).stages[0].kind == StageKind::Pretraining);

    // Each field's typing is one undo step: undo the tokens, then the params.
    doc.undoStack()->undo();
    CHECK(total(doc, 0) == parseExact("1.2e22"));
    doc.undoStack()->undo();
    CHECK(total(doc, 0) == parseExact("6e21"));
    CHECK(params->text().toStdString() == "1000000000");
    doc.undoStack()->redo();
    CHECK(total(doc, 0) == parseExact("1.2e22"));

    // What-if: twice the tokens doubles the six-nd total; nothing is saved in the record.
    calc.setWhatIf(std::nullopt, 2.0);
    REQUIRE(calc.whatIfTotal());
    CHECK(calc.whatIfTotal()->central == parseExact("2.4e22"));
    CHECK(modelAt(doc, 0).stages[0].tokens->central() == parseExact("1e12"));
}
