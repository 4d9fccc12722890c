#include "settings_bar.hpp"

#include <flopledger/exact.hpp>

#include <QCheckBox>
#include <QDateEdit>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSlider>

namespace flopledger::inline v1::gui {

namespace {

// The slider spans the era of compute thresholds, 2015 to three years after today.
constexpr int kSliderFirstYear = 2015;

QDate toQDate(const Date& d) {
    return QDate(d.year, d.month, d.day);
}

Date fromQDate(const QDate& d) {
    return Date{d.year(), d.month(), d.day()};
}

}  // namespace

SettingsBar::SettingsBar(RegistryDocument* doc, QWidget* parent) : QWidget(parent), doc_(doc) {
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 0, 4, 0);

    auto* dateLabel = new QLabel(tr("&As of"));
    date_ = new QDateEdit;
    date_->setCalendarPopup(true);
    date_->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
    date_->setToolTip(
        tr("Evaluate the policies as of this date (Alt+A); the chart, the table "
           "and the counts follow"));
    dateLabel->setBuddy(date_);

    slider_ = new QSlider(Qt::Horizontal);
    slider_->setObjectName(QStringLiteral("asOfSlider"));
    const Date today = Date::today();
    slider_->setRange(static_cast<int>(Date{kSliderFirstYear, 1, 1}.daysSinceEpoch()),
                      static_cast<int>(Date{today.year + 3, 12, 31}.daysSinceEpoch()));
    slider_->setSingleStep(30);  // arrow keys: about a month; Page Up/Down: a year
    slider_->setPageStep(365);
    slider_->setTracking(false);  // re-assess when released, not on every pixel of a drag
    slider_->setMinimumWidth(160);
    slider_->setMaximumWidth(320);
    slider_->setToolTip(
        tr("Drag or use the arrow keys (a month) and Page Up/Down (a year) to "
           "move the as-of date"));
    slider_->setAccessibleName(tr("As-of date slider"));

    assume_ = new QCheckBox(tr("Assume &undisclosed \u2264"));
    assume_->setToolTip(
        tr("Contract 7.3 (--assume-undisclosed): undisclosed stages together at most RATIO x "
           "the disclosed compute. Verdicts that rely on it are marked \u2020 and name the "
           "assumption in their tooltip."));
    ratio_ = new QDoubleSpinBox;
    ratio_->setRange(0.0, 1000.0);
    ratio_->setDecimals(2);
    ratio_->setSingleStep(0.5);
    ratio_->setValue(1.0);
    ratio_->setSuffix(tr(" \u00d7 disclosed"));
    ratio_->setEnabled(false);
    ratio_->setAccessibleName(tr("Undisclosed compute ratio"));

    layout->addWidget(dateLabel);
    layout->addWidget(date_);
    layout->addWidget(slider_);
    layout->addSpacing(12);
    layout->addWidget(assume_);
    layout->addWidget(ratio_);
    layout->addStretch(1);  // spare toolbar width stays empty, not a stretched field
    setTabOrder(date_, slider_);
    setTabOrder(slider_, assume_);
    setTabOrder(assume_, ratio_);

    syncFromDocument();
    connect(date_, &QDateEdit::dateChanged, this, [this](const QDate& d) {
        {
            const QSignalBlocker block(slider_);
            slider_->setValue(static_cast<int>(fromQDate(d).daysSinceEpoch()));
        }
        if (!(fromQDate(d) == doc_->asOf())) doc_->setAsOf(fromQDate(d));
    });
    // While dragging, the field shows the date under the handle; the document changes on release.
    connect(slider_, &QSlider::sliderMoved, this, [this](int day) {
        const QSignalBlocker block(date_);
        date_->setDate(toQDate(Date::fromDaysSinceEpoch(day)));
    });
    connect(slider_, &QSlider::valueChanged, this,
            [this](int day) { date_->setDate(toQDate(Date::fromDaysSinceEpoch(day))); });
    connect(assume_, &QCheckBox::toggled, this, [this](bool on) {
        ratio_->setEnabled(on);
        applyAssumption();
    });
    connect(ratio_, &QDoubleSpinBox::valueChanged, this, [this] {
        if (assume_->isChecked()) applyAssumption();
    });
}

void SettingsBar::applyAssumption() {
    std::optional<Exact> ratio;
    // The spin box's text is decimal: read exactly ("0.1" is 1/10, not the nearest double).
    if (assume_->isChecked())
        ratio = parseExact(QString::number(ratio_->value(), 'f', ratio_->decimals()).toStdString());
    if (ratio != doc_->assumeUndisclosed()) doc_->setAssumeUndisclosed(ratio);
}

void SettingsBar::syncFromDocument() {
    const QSignalBlocker b1(date_);
    const QSignalBlocker b2(slider_);
    const QSignalBlocker b3(assume_);
    const QSignalBlocker b4(ratio_);
    date_->setDate(toQDate(doc_->asOf()));
    slider_->setValue(static_cast<int>(doc_->asOf().daysSinceEpoch()));
    assume_->setChecked(doc_->assumeUndisclosed().has_value());
    ratio_->setEnabled(assume_->isChecked());
    if (doc_->assumeUndisclosed()) ratio_->setValue(toDouble(*doc_->assumeUndisclosed()));
}

}  // namespace flopledger::gui
