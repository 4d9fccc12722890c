#pragma once
// The calculator: edits one model's architecture and ledger of stages with validation as you
// type, and shows live results per method and convention, the verdicts with margins and
// probabilities, what-if sliders (utilization, token scale) and which choices flip a verdict.
// Every edit becomes an undoable EditRecordCommand on the document.
#include "registry_document.hpp"

#include <QWidget>

#include <functional>
#include <map>
#include <optional>

class QComboBox;
class QCheckBox;
class QLabel;
class QLineEdit;
class QSlider;
class QTableWidget;
class QTableWidgetItem;

namespace flopledger::inline v1::gui {

class CalculatorWidget : public QWidget {
    Q_OBJECT
public:
    explicit CalculatorWidget(RegistryDocument* doc, QWidget* parent = nullptr);

    /// Shows (and edits) the record at `row`; -1 clears.
    void setRow(int row);
    int row() const { return row_; }

    /// The editor of an architecture field by its contract name ("params", "d_model",
    /// "moe.experts",
    /// ...); for tests and keyboard navigation.
    QLineEdit* fieldEditor(const QString& key) const;
    /// The error label next to a field ("" when valid).
    QString fieldError(const QString& key) const;
    QTableWidget* stageTable() const { return stages_; }
    QTableWidget* resultTable() const { return results_; }
    QTableWidget* verdictTable() const { return verdicts_; }
    QTableWidget* sensitivityTable() const { return sensitivity_; }

    /// What-if settings (not saved in the record): utilization override (nullopt: as recorded)
    /// and a factor on every stage's tokens.
    void setWhatIf(std::optional<double> utilization, double tokenScale);
    /// Total training FLOP of the what-if variant under the document's options.
    std::optional<Interval> whatIfTotal() const { return whatIfTotal_; }

    /// Stage table columns.
    enum StageColumn {
        Kind = 0,
        Tokens,
        SeqLen,
        Flop,
        Accelerator,
        Count,
        Hours,
        ChipHours,
        Precision,
        Utilization,
        Public,
        Recompute,
        StageColumnCount
    };

private:
    struct Field {
        QString key;
        QLineEdit* edit = nullptr;
        QLabel* error = nullptr;
        std::function<std::optional<Quantity>*(Architecture&)> slot;
        int rule = 0;
    };
    void buildArchitectureForm(QWidget* host);
    void populate();
    void refreshResults();
    void refreshSensitivity(const ModelRecord& record);
    void onFieldEdited(Field& field);
    void onStageItemChanged(QTableWidgetItem* item);
    void commit(ModelRecord record, const QString& text, const QString& mergeKey);
    const ModelRecord* current() const;

    RegistryDocument* doc_;
    int row_ = -1;
    bool loading_ = false;
    QString editingKey_;  ///< field being typed in, not repopulated by its own edit
    std::vector<Field> fields_;
    QComboBox* family_ = nullptr;
    QComboBox* mlp_ = nullptr;
    QCheckBox* tied_ = nullptr;
    QCheckBox* moeEnabled_ = nullptr;
    QLabel* title_ = nullptr;
    QLabel* stageError_ = nullptr;
    QLabel* recordDiagnostics_ = nullptr;
    QTableWidget* stages_ = nullptr;
    QTableWidget* results_ = nullptr;
    QTableWidget* verdicts_ = nullptr;
    QTableWidget* sensitivity_ = nullptr;
    QSlider* utilization_ = nullptr;
    QSlider* tokenScale_ = nullptr;
    QCheckBox* utilizationOverride_ = nullptr;
    QLabel* whatIfLabel_ = nullptr;
    std::optional<double> whatIfUtilization_;
    double whatIfTokenScale_ = 1.0;
    std::optional<Interval> whatIfTotal_;
};

}  // namespace flopledger::gui
