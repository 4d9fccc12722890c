#pragma once
// The toolbar's assessment settings, bound to the document: the as-of date (a date field and a
// slider that move together; chart, table and counts follow the document) and the
// undisclosed-compute assumption (contract 7.3, the CLI's --assume-undisclosed RATIO).
#include "registry_document.hpp"

#include <QWidget>

class QCheckBox;
class QDateEdit;
class QDoubleSpinBox;
class QSlider;

namespace flopledger::inline v1::gui {

class SettingsBar : public QWidget {
    Q_OBJECT
public:
    explicit SettingsBar(RegistryDocument* doc, QWidget* parent = nullptr);

    QDateEdit* dateEdit() const { return date_; }
    QSlider* dateSlider() const { return slider_; }
    QCheckBox* assumeCheck() const { return assume_; }
    QDoubleSpinBox* ratioSpin() const { return ratio_; }

    /// Puts the controls in step with the document (settings may come from code or the command
    /// line) without feeding the change back.
    void syncFromDocument();

private:
    void applyAssumption();

    RegistryDocument* doc_;
    QDateEdit* date_;
    QSlider* slider_;
    QCheckBox* assume_;
    QDoubleSpinBox* ratio_;
};

}  // namespace flopledger::gui
