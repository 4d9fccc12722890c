#include "calculator_widget.hpp"

#include "chart_builder.hpp"
#include "quantity_text.hpp"
#include "record_commands.hpp"
#include "status_style.hpp"

#include <flopledger/hardware_catalog.hpp>
#include <flopledger/policy_catalog.hpp>
#include <flopledger/record_reader.hpp>
#include <flopledger/sensitivity.hpp>

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSlider>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

#include <cmath>
#include <variant>

namespace flopledger::inline v1::gui {

namespace {

const char* kErrorStyle = "QLineEdit { border: 2px solid #d55e00; }";

QString qs(std::string_view s) {
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

QString intervalText(const Interval& iv) {
    QString t = QString::fromStdString(formatScientific(iv.central, 3));
    if (!iv.isPoint())
        t += QStringLiteral(" [%1 – %2]")
                 .arg(QString::fromStdString(formatScientific(iv.low, 3)),
                      QString::fromStdString(formatScientific(iv.high, 3)));
    return t;
}

std::optional<Quantity>* moeSlot(Architecture& a, Quantity MoeShape::*member) {
    if (!a.moe) return nullptr;
    // MoeShape holds plain Quantities; the editor treats them through a scratch optional.
    static thread_local std::optional<Quantity> scratch;
    scratch = (*a.moe).*member;
    return &scratch;
}

}  // namespace

CalculatorWidget::CalculatorWidget(RegistryDocument* doc, QWidget* parent)
    : QWidget(parent), doc_(doc) {
    auto* outer = new QVBoxLayout(this);
    title_ = new QLabel(tr("Select a model in the registry to edit its ledger."));
    QFont tf = title_->font();
    tf.setBold(true);
    tf.setPointSizeF(tf.pointSizeF() * 1.15);
    title_->setFont(tf);
    outer->addWidget(title_);

    auto* tabs = new QTabWidget;
    outer->addWidget(tabs, 1);

    // ---- architecture
    auto* archScroll = new QScrollArea;
    archScroll->setWidgetResizable(true);
    auto* archHost = new QWidget;
    buildArchitectureForm(archHost);
    archScroll->setWidget(archHost);
    tabs->addTab(archScroll, tr("Architecture"));

    // ---- stages
    auto* stageHost = new QWidget;
    auto* stageLayout = new QVBoxLayout(stageHost);
    stages_ = new QTableWidget(0, StageColumnCount);
    stages_->setObjectName(QStringLiteral("stages"));
    stages_->setHorizontalHeaderLabels({tr("kind"), tr("tokens"), tr("seq_len"), tr("flop"),
                                        tr("accelerator"), tr("count"), tr("hours"),
                                        tr("chip_hours"), tr("precision"), tr("utilization"),
                                        tr("public"), tr("recompute")});
    stages_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    stageLayout->addWidget(stages_, 1);
    stageError_ = new QLabel;
    stageError_->setStyleSheet(QStringLiteral("color: #b34700;"));
    stageError_->setWordWrap(true);
    stageLayout->addWidget(stageError_);
    auto* buttons = new QHBoxLayout;
    auto* addStage = new QPushButton(tr("Add stage"));
    auto* removeStage = new QPushButton(tr("Remove stage"));
    buttons->addWidget(addStage);
    buttons->addWidget(removeStage);
    buttons->addStretch(1);
    stageLayout->addLayout(buttons);
    tabs->addTab(stageHost, tr("Ledger"));
    connect(stages_, &QTableWidget::itemChanged, this, &CalculatorWidget::onStageItemChanged);
    connect(addStage, &QPushButton::clicked, this, [this] {
        const ModelRecord* r = current();
        if (r == nullptr) return;
        ModelRecord copy = *r;
        Stage s;
        s.kind = StageKind::FineTuning;
        copy.stages.push_back(s);
        commit(std::move(copy), tr("Add stage"), {});
    });
    connect(removeStage, &QPushButton::clicked, this, [this] {
        const ModelRecord* r = current();
        const int s = stages_->currentRow();
        if (r == nullptr || s < 0 || s >= static_cast<int>(r->stages.size())) return;
        ModelRecord copy = *r;
        copy.stages.erase(copy.stages.begin() + s);
        commit(std::move(copy), tr("Remove stage"), {});
    });

    // ---- results
    auto* resultHost = new QWidget;
    auto* resultLayout = new QVBoxLayout(resultHost);
    results_ = new QTableWidget(5, 5);
    results_->setObjectName(QStringLiteral("results"));
    results_->setHorizontalHeaderLabels(
        {tr("chosen total"), tr("stated"), tr("architecture"), tr("six-nd"), tr("hardware")});
    results_->setVerticalHeaderLabels(
        {qs("matmul"), qs("kaplan"), qs("chinchilla"), qs("palm"), qs("megatron")});
    results_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    results_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    resultLayout->addWidget(
        new QLabel(tr("Training FLOP per method (sum over stages) and convention")));
    resultLayout->addWidget(results_);
    verdicts_ = new QTableWidget(0, 5);
    verdicts_->setObjectName(QStringLiteral("verdicts"));
    verdicts_->setHorizontalHeaderLabels(
        {tr("policy"), tr("status"), tr("counted FLOP"), tr("margin (dex)"), tr("P(exceeds)")});
    verdicts_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    verdicts_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    resultLayout->addWidget(new QLabel(tr("Verdicts")));
    resultLayout->addWidget(verdicts_, 1);

    auto* whatIf = new QGroupBox(tr("What if"));
    auto* wl = new QFormLayout(whatIf);
    utilizationOverride_ = new QCheckBox(tr("override utilization"));
    utilization_ = new QSlider(Qt::Horizontal);
    utilization_->setRange(5, 100);
    utilization_->setValue(40);
    utilization_->setObjectName(QStringLiteral("whatIfUtilization"));
    tokenScale_ = new QSlider(Qt::Horizontal);
    tokenScale_->setRange(-100, 100);  // log10 scale x 100: 0.1x .. 10x
    tokenScale_->setValue(0);
    tokenScale_->setObjectName(QStringLiteral("whatIfTokens"));
    whatIfLabel_ = new QLabel;
    whatIfLabel_->setWordWrap(true);
    auto* uRow = new QHBoxLayout;
    uRow->addWidget(utilizationOverride_);
    uRow->addWidget(utilization_, 1);
    wl->addRow(tr("Utilization"), uRow);
    wl->addRow(tr("Tokens ×"), tokenScale_);
    wl->addRow(whatIfLabel_);
    resultLayout->addWidget(whatIf);
    auto applyWhatIf = [this] {
        setWhatIf(utilizationOverride_->isChecked()
                      ? std::optional<double>(utilization_->value() / 100.0)
                      : std::nullopt,
                  std::pow(10.0, tokenScale_->value() / 100.0));
    };
    connect(utilization_, &QSlider::valueChanged, this, applyWhatIf);
    connect(tokenScale_, &QSlider::valueChanged, this, applyWhatIf);
    connect(utilizationOverride_, &QCheckBox::toggled, this, applyWhatIf);
    tabs->addTab(resultHost, tr("Results"));

    // ---- sensitivity
    sensitivity_ = new QTableWidget(0, 4);
    sensitivity_->setObjectName(QStringLiteral("sensitivity"));
    sensitivity_->setHorizontalHeaderLabels(
        {tr("choice"), tr("policy"), tr("status"), tr("flips the verdict")});
    sensitivity_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    sensitivity_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    sensitivity_->horizontalHeader()->setStretchLastSection(true);
    tabs->addTab(sensitivity_, tr("Sensitivity"));

    recordDiagnostics_ = new QLabel;
    recordDiagnostics_->setWordWrap(true);
    recordDiagnostics_->setStyleSheet(QStringLiteral("color: #7a5a00;"));
    outer->addWidget(recordDiagnostics_);

    connect(doc_, &RegistryDocument::recordChanged, this, [this](int r) {
        if (r == row_) populate();
    });
    connect(doc_, &RegistryDocument::recordRemoved, this, [this](int r) {
        if (r == row_)
            setRow(-1);
        else if (r < row_)
            --row_;
    });
    connect(doc_, &RegistryDocument::recordInserted, this, [this](int r) {
        if (row_ >= 0 && r <= row_) ++row_;
    });
    connect(doc_, &RegistryDocument::modelReset, this, [this] { setRow(-1); });
    connect(doc_, &RegistryDocument::assessed, this, [this] { refreshResults(); });
    connect(doc_, &RegistryDocument::settingsChanged, this, [this] { refreshResults(); });
    setRow(-1);
}

void CalculatorWidget::buildArchitectureForm(QWidget* host) {
    auto* form = new QFormLayout(host);
    family_ = new QComboBox;
    for (Family f :
         {Family::Decoder, Family::Encoder, Family::EncoderDecoder, Family::Vit, Family::Generic})
        family_->addItem(qs(toString(f)));
    family_->setObjectName(QStringLiteral("family"));
    form->addRow(tr("family"), family_);
    mlp_ = new QComboBox;
    mlp_->addItems({qs("plain"), qs("gated")});
    mlp_->setObjectName(QStringLiteral("mlp"));
    tied_ = new QCheckBox(tr("tied embeddings"));
    tied_->setObjectName(QStringLiteral("tied_embeddings"));
    moeEnabled_ = new QCheckBox(tr("mixture of experts"));
    moeEnabled_->setObjectName(QStringLiteral("moe"));

    auto add = [&](const QString& key, std::function<std::optional<Quantity>*(Architecture&)> slot,
                   int rule = 0) {
        Field f;
        f.key = key;
        f.edit = new QLineEdit;
        f.edit->setObjectName(key);
        f.edit->setClearButtonEnabled(true);
        f.edit->setPlaceholderText(tr("e.g. 405B, 1.5e12 or 1e9..2e9"));
        f.error = new QLabel;
        f.error->setStyleSheet(QStringLiteral("color: #b34700;"));
        f.error->setVisible(false);
        f.slot = std::move(slot);
        f.rule = rule;
        auto* box = new QVBoxLayout;
        box->setSpacing(1);
        box->addWidget(f.edit);
        box->addWidget(f.error);
        form->addRow(key, box);
        fields_.push_back(f);
    };
    add(QStringLiteral("params"), [](Architecture& a) { return &a.params; });
    add(QStringLiteral("active_params"), [](Architecture& a) { return &a.activeParams; });
    add(QStringLiteral("layers"), [](Architecture& a) { return &a.layers; });
    add(QStringLiteral("encoder_layers"), [](Architecture& a) { return &a.encoderLayers; });
    add(QStringLiteral("decoder_layers"), [](Architecture& a) { return &a.decoderLayers; });
    add(QStringLiteral("d_model"), [](Architecture& a) { return &a.dModel; });
    add(QStringLiteral("heads"), [](Architecture& a) { return &a.heads; });
    add(QStringLiteral("kv_heads"), [](Architecture& a) { return &a.kvHeads; });
    add(QStringLiteral("head_dim"), [](Architecture& a) { return &a.headDim; });
    add(QStringLiteral("ffn"), [](Architecture& a) { return &a.ffn; });
    form->addRow(tr("mlp"), mlp_);
    add(QStringLiteral("vocab"), [](Architecture& a) { return &a.vocab; });
    form->addRow(QString(), tied_);
    form->addRow(QString(), moeEnabled_);
    add(QStringLiteral("moe.experts"),
        [](Architecture& a) { return moeSlot(a, &MoeShape::experts); });
    add(QStringLiteral("moe.active"),
        [](Architecture& a) { return moeSlot(a, &MoeShape::active); });
    add(
        QStringLiteral("moe.shared"), [](Architecture& a) { return moeSlot(a, &MoeShape::shared); },
        1);
    add(QStringLiteral("moe.expert_ffn"),
        [](Architecture& a) { return a.moe ? &a.moe->expertFfn : nullptr; });
    add(
        QStringLiteral("moe.dense_layers"),
        [](Architecture& a) { return moeSlot(a, &MoeShape::denseLayers); }, 1);

    for (Field& f : fields_) {
        const QString key = f.key;
        connect(f.edit, &QLineEdit::textChanged, this, [this, key] {
            for (Field& g : fields_)
                if (g.key == key) onFieldEdited(g);
        });
    }
    auto archEdit = [this](const QString& what, const std::function<void(Architecture&)>& fn) {
        if (loading_) return;
        const ModelRecord* r = current();
        if (r == nullptr) return;
        ModelRecord copy = *r;
        if (!copy.architecture) copy.architecture = Architecture{};
        fn(*copy.architecture);
        commit(std::move(copy), tr("Edit %1").arg(what), {});
    };
    connect(family_, &QComboBox::currentIndexChanged, this, [this, archEdit](int) {
        archEdit(QStringLiteral("family"), [this](Architecture& a) {
            a.family = parseFamily(family_->currentText().toStdString()).value_or(Family::Decoder);
        });
    });
    connect(mlp_, &QComboBox::currentIndexChanged, this, [this, archEdit](int) {
        archEdit(QStringLiteral("mlp"), [this](Architecture& a) {
            a.mlp = mlp_->currentIndex() == 1 ? MlpKind::Gated : MlpKind::Plain;
        });
    });
    connect(tied_, &QCheckBox::toggled, this, [archEdit](bool on) {
        archEdit(QStringLiteral("tied_embeddings"),
                 [on](Architecture& a) { a.tiedEmbeddings = on; });
    });
    connect(moeEnabled_, &QCheckBox::toggled, this, [archEdit](bool on) {
        archEdit(QStringLiteral("moe"), [on](Architecture& a) {
            if (on && !a.moe) {
                MoeShape m;
                m.experts = Quantity(Exact(8));
                m.active = Quantity(Exact(2));
                m.shared = Quantity(Exact(0));
                m.denseLayers = Quantity(Exact(0));
                a.moe = m;
            } else if (!on) {
                a.moe.reset();
            }
        });
    });
}

const ModelRecord* CalculatorWidget::current() const {
    if (row_ < 0 || row_ >= doc_->size()) return nullptr;
    return std::get_if<ModelRecord>(&doc_->record(row_));
}

QLineEdit* CalculatorWidget::fieldEditor(const QString& key) const {
    for (const Field& f : fields_)
        if (f.key == key) return f.edit;
    return nullptr;
}

QString CalculatorWidget::fieldError(const QString& key) const {
    for (const Field& f : fields_)
        if (f.key == key) return f.error->isHidden() ? QString() : f.error->text();
    return {};
}

void CalculatorWidget::setRow(int row) {
    row_ = row;
    populate();
}

void CalculatorWidget::populate() {
    loading_ = true;
    const ModelRecord* r = current();
    setEnabled(r != nullptr);
    title_->setText(r == nullptr ? tr("Select a model in the registry to edit its ledger.")
                    : r->name.empty() || r->name == r->id
                        ? qs(r->id)
                        : tr("%1 — %2").arg(qs(r->id), qs(r->name)));
    Architecture arch = r != nullptr && r->architecture ? *r->architecture : Architecture{};
    family_->setCurrentText(qs(toString(arch.family)));
    mlp_->setCurrentIndex(arch.mlp == MlpKind::Gated ? 1 : 0);
    tied_->setChecked(arch.tiedEmbeddings);
    moeEnabled_->setChecked(arch.moe.has_value());
    for (Field& f : fields_) {
        if (f.key == editingKey_) continue;  // the user is typing here: keep text and caret
        std::optional<Quantity>* slot = f.slot(arch);
        f.edit->setEnabled(r != nullptr &&
                           (slot != nullptr || !f.key.startsWith(QStringLiteral("moe."))));
        f.edit->setText(slot != nullptr ? quantityText(*slot) : QString());
        f.edit->setStyleSheet({});
        f.error->setVisible(false);
    }

    const int stageCount = r != nullptr ? static_cast<int>(r->stages.size()) : 0;
    // Same shape: update texts in place (this may run inside the table's own itemChanged).
    if (stages_->rowCount() != stageCount) {
        stages_->setRowCount(0);
        stages_->setRowCount(stageCount);
    }
    for (int i = 0; i < stageCount; ++i) {
        const Stage& s = r->stages[static_cast<std::size_t>(i)];
        const HardwareUse hw = s.hardware.value_or(HardwareUse{});
        auto set = [&](int col, const QString& text) {
            QTableWidgetItem* item = stages_->item(i, col);
            if (item == nullptr) {
                stages_->setItem(i, col, new QTableWidgetItem(text));
                return;
            }
            item->setText(text);
            item->setBackground(QBrush());
        };
        set(Kind, qs(toString(s.kind)));
        set(Tokens, quantityText(s.tokens));
        set(SeqLen, quantityText(s.seqLen));
        set(Flop, quantityText(s.flop));
        set(Accelerator, qs(hw.accelerator));
        set(Count, quantityText(hw.count));
        set(Hours, quantityText(hw.hours));
        set(ChipHours, quantityText(hw.chipHours));
        set(Precision, hw.precision ? qs(toString(*hw.precision)) : QString());
        set(Utilization, quantityText(hw.utilization));
        set(Public, s.isPublic ? (*s.isPublic ? tr("yes") : tr("no")) : QString());
        set(Recompute, s.recompute ? tr("yes") : tr("no"));
    }
    stageError_->clear();
    loading_ = false;
    refreshResults();
}

void CalculatorWidget::onFieldEdited(Field& field) {
    if (loading_) return;
    const ModelRecord* r = current();
    if (r == nullptr) return;
    const QuantityParse parsed = parseQuantityText(
        field.edit->text(), field.rule == 1 ? QuantityRule::NonNegative : QuantityRule::Positive);
    if (!parsed.error.isEmpty()) {
        field.edit->setStyleSheet(QString::fromLatin1(kErrorStyle));
        field.error->setText(parsed.error);
        field.error->setVisible(true);
        return;  // the record keeps its last valid value
    }
    field.edit->setStyleSheet({});
    field.error->setVisible(false);
    ModelRecord copy = *r;
    if (!copy.architecture) copy.architecture = Architecture{};
    Architecture& a = *copy.architecture;
    // MoE members are plain Quantities: write them directly; the rest are optionals.
    const QString k = field.key;
    if (k.startsWith(QStringLiteral("moe.")) && k != QStringLiteral("moe.expert_ffn")) {
        if (!a.moe) return;
        const Quantity v = parsed.value.value_or(Quantity(Exact(0)));
        if (k == QStringLiteral("moe.experts"))
            a.moe->experts = v;
        else if (k == QStringLiteral("moe.active"))
            a.moe->active = v;
        else if (k == QStringLiteral("moe.shared"))
            a.moe->shared = v;
        else if (k == QStringLiteral("moe.dense_layers"))
            a.moe->denseLayers = v;
    } else {
        std::optional<Quantity>* slot = field.slot(a);
        if (slot == nullptr) return;
        *slot = parsed.value;
    }
    editingKey_ = k;
    commit(std::move(copy), tr("Edit %1").arg(k), k);
    editingKey_.clear();
}

void CalculatorWidget::onStageItemChanged(QTableWidgetItem* item) {
    if (loading_ || item == nullptr) return;
    const ModelRecord* r = current();
    if (r == nullptr || item->row() >= static_cast<int>(r->stages.size())) return;
    ModelRecord copy = *r;
    Stage& s = copy.stages[static_cast<std::size_t>(item->row())];
    const QString text = item->text().trimmed();
    QString error;
    auto quantity = [&](std::optional<Quantity>& slot, QuantityRule rule) {
        const QuantityParse p = parseQuantityText(text, rule);
        if (!p.error.isEmpty())
            error = p.error;
        else
            slot = p.value;
    };
    auto hw = [&]() -> HardwareUse& {
        if (!s.hardware) s.hardware = HardwareUse{};
        return *s.hardware;
    };
    const auto yesNo = [&](bool& out) {
        const QString t = text.toLower();
        if (t == tr("yes") || t == QLatin1String("true") || t == QLatin1String("1"))
            out = true;
        else if (t == tr("no") || t == QLatin1String("false") || t == QLatin1String("0") ||
                 t.isEmpty())
            out = false;
        else
            error = tr("use yes or no");
    };
    switch (item->column()) {
        case Kind: {
            const auto k = parseStageKind(text.toStdString());
            if (!k) {
                const std::string hint = didYouMean(text.toStdString(), stageKindNames());
                error = tr("unknown stage kind") +
                        (hint.empty() ? QString() : tr(" (did you mean \"%1\"?)").arg(qs(hint)));
            } else {
                s.kind = *k;
            }
            break;
        }
        case Tokens:
            quantity(s.tokens, QuantityRule::Positive);
            break;
        case SeqLen:
            quantity(s.seqLen, QuantityRule::Positive);
            break;
        case Flop:
            quantity(s.flop, QuantityRule::Positive);
            break;
        case Accelerator:
            if (!text.isEmpty() &&
                HardwareCatalog::defaults().find(text.toStdString()) == nullptr) {
                std::vector<std::string_view> ids = HardwareCatalog::defaults().ids();
                const std::string hint = didYouMean(text.toStdString(), ids);
                error = tr("unknown accelerator") +
                        (hint.empty() ? QString() : tr(" (did you mean \"%1\"?)").arg(qs(hint)));
            } else {
                hw().accelerator = text.toStdString();
            }
            break;
        case Count:
            quantity(hw().count, QuantityRule::Positive);
            break;
        case Hours:
            quantity(hw().hours, QuantityRule::Positive);
            break;
        case ChipHours:
            quantity(hw().chipHours, QuantityRule::Positive);
            break;
        case Precision: {
            if (text.isEmpty()) {
                hw().precision.reset();
                break;
            }
            const auto p = parsePrecision(text.toStdString());
            if (!p)
                error = tr("unknown precision (fp32, tf32, bf16, fp16, fp8, int8)");
            else
                hw().precision = *p;
            break;
        }
        case Utilization:
            quantity(hw().utilization, QuantityRule::Fraction);
            break;
        case Public: {
            bool v = false;
            yesNo(v);
            if (text.isEmpty())
                s.isPublic.reset();
            else
                s.isPublic = v;
            break;
        }
        case Recompute:
            yesNo(s.recompute);
            break;
        default:
            return;
    }
    if (!error.isEmpty()) {
        loading_ = true;
        item->setBackground(QColor(0xfb, 0xe3, 0xd6));
        loading_ = false;
        stageError_->setText(
            tr("Stage %1, %2: %3")
                .arg(item->row() + 1)
                .arg(stages_->horizontalHeaderItem(item->column())->text(), error));
        return;
    }
    stageError_->clear();
    commit(std::move(copy),
           tr("Edit stage %1 %2")
               .arg(item->row() + 1)
               .arg(stages_->horizontalHeaderItem(item->column())->text()),
           QStringLiteral("stage/%1/%2").arg(item->row()).arg(item->column()));
}

void CalculatorWidget::commit(ModelRecord record, const QString& text, const QString& mergeKey) {
    // Round trip through the file format: what is kept is exactly what a save would write and a
    // load would read back (uncertain quantities get their Monte Carlo indices there too).
    Record normalized;
    try {
        const RecordReader reader;
        normalized =
            reader.parseLine(toJson(Record(record)), record.location.file, record.location.line);
        std::vector<Diagnostic> problems = reader.validate(normalized);
        QStringList lines;
        for (const Diagnostic& d : problems) lines << QString::fromStdString(d.toString());
        recordDiagnostics_->setText(lines.join('\n'));
    } catch (const InputError& e) {
        recordDiagnostics_->setText(QString::fromStdString(e.diagnostic().toString()));
        return;
    }
    if (auto* m = std::get_if<ModelRecord>(&normalized)) m->location = record.location;
    doc_->undoStack()->push(
        new EditRecordCommand(doc_, row_, std::move(normalized), text, mergeKey));
}

void CalculatorWidget::setWhatIf(std::optional<double> utilization, double tokenScale) {
    whatIfUtilization_ = utilization;
    whatIfTokenScale_ = tokenScale;
    refreshResults();
}

void CalculatorWidget::refreshResults() {
    const ModelRecord* r = current();
    for (int i = 0; i < results_->rowCount(); ++i)
        for (int j = 0; j < results_->columnCount(); ++j)
            results_->setItem(i, j, new QTableWidgetItem);
    verdicts_->setRowCount(0);
    sensitivity_->setRowCount(0);
    whatIfTotal_.reset();
    whatIfLabel_->clear();
    if (r == nullptr) return;

    const Convention conventions[] = {Convention::Matmul, Convention::Kaplan,
                                      Convention::Chinchilla, Convention::Palm,
                                      Convention::Megatron};
    for (int c = 0; c < 5; ++c) {
        EstimateOptions o = doc_->estimateOptions();
        o.convention = conventions[c];
        ModelEstimate e;
        try {
            e = Estimator(o).estimate(*r);
        } catch (const std::exception& ex) {
            results_->item(c, 0)->setText(QString::fromStdString(ex.what()));
            continue;
        }
        results_->item(c, 0)->setText(intervalText(countedFlop(e, CountingScope::trainingOnly())));
        for (int m = 0; m < kMethodCount; ++m) {
            Interval sum = Interval::point(0);
            bool any = false;
            for (const StageEstimate& s : e.stages) {
                if (const auto& v = s.methods[static_cast<std::size_t>(m)]) {
                    sum = sum + *v;
                    any = true;
                }
            }
            results_->item(c, 1 + m)->setText(any ? intervalText(sum) : tr("—"));
        }
    }

    for (int p = 0; p < static_cast<int>(doc_->policies().size()); ++p) {
        const Verdict* v = doc_->verdict(row_, p);
        if (v == nullptr) continue;
        const int i = verdicts_->rowCount();
        verdicts_->insertRow(i);
        const PointClass pc = pointClassOf(v->status);
        verdicts_->setItem(i, 0, new QTableWidgetItem(qs(v->policy)));
        auto* status = new QTableWidgetItem(statusIcon(pc), statusText(pc));
        status->setForeground(statusColor(pc).darker(140));
        verdicts_->setItem(i, 1, status);
        verdicts_->setItem(
            i, 2, new QTableWidgetItem(v->countedFlop ? intervalText(*v->countedFlop) : QString()));
        verdicts_->setItem(
            i, 3,
            new QTableWidgetItem(v->marginLog10 ? QString::number(*v->marginLog10, 'f', 2)
                                                : QString()));
        verdicts_->setItem(
            i, 4,
            new QTableWidgetItem(v->probability ? QString::number(*v->probability, 'f', 2)
                                                : QString()));
        QStringList tip;
        for (const std::string& m : v->missing) tip << tr("missing: %1").arg(qs(m));
        for (const std::string& n : v->notes) tip << qs(n);
        for (int col = 0; col < 5; ++col) verdicts_->item(i, col)->setToolTip(tip.join('\n'));
    }

    // What-if: a scaled copy of the record, assessed like the original (never saved).
    if (whatIfUtilization_ || whatIfTokenScale_ != 1.0) {
        ModelRecord variant = *r;
        const Exact scale = Exact(std::round(whatIfTokenScale_ * 1000.0)) / 1000;
        for (Stage& s : variant.stages) {
            if (s.tokens) s.tokens->value = s.tokens->value * scale;
            if (s.examples) s.examples->value = s.examples->value * scale;
        }
        AssessOptions o = doc_->assessOptions();
        if (whatIfUtilization_)
            o.estimate.forceUtilization = Exact(std::round(*whatIfUtilization_ * 100.0)) / 100;
        try {
            const Assessor assessor(o);
            const RecordAssessment a = assessor.assess(Record(variant));
            QStringList lines;
            if (a.estimate) {
                whatIfTotal_ = countedFlop(*a.estimate, CountingScope::trainingOnly());
                lines << tr("Tokens × %1%2: training FLOP %3")
                             .arg(QString::fromStdString(formatScientific(scale, 3)),
                                  whatIfUtilization_
                                      ? tr(", utilization %1").arg(*whatIfUtilization_, 0, 'f', 2)
                                      : QString(),
                                  intervalText(*whatIfTotal_));
            }
            if (!a.dates.empty())
                for (const Verdict& v : a.dates.front().verdicts)
                    lines << QStringLiteral("%1: %2").arg(qs(v.policy),
                                                          statusText(pointClassOf(v.status)));
            whatIfLabel_->setText(lines.join('\n'));
        } catch (const std::exception& ex) {
            whatIfLabel_->setText(QString::fromStdString(ex.what()));
        }
    }
    refreshSensitivity(*r);
}

void CalculatorWidget::refreshSensitivity(const ModelRecord& record) {
    if (doc_->policies().empty()) return;
    // Core's sensitivity analysis: every accounting choice that applies to this record, with
    // the status it gives under each selected policy and whether that flips the verdict.
    std::vector<const Policy*> policies;
    for (const std::string& id : doc_->policies())
        if (const Policy* p = PolicyCatalog::defaults().find(id)) policies.push_back(p);
    SensitivityOptions o;
    o.estimate = doc_->estimateOptions();
    std::vector<SensitivityResult> results;
    try {
        results = analyseSensitivity(record, policies, doc_->asOf(), o);
    } catch (const std::exception& ex) {
        const int i = sensitivity_->rowCount();
        sensitivity_->insertRow(i);
        sensitivity_->setItem(i, 0, new QTableWidgetItem(QString::fromStdString(ex.what())));
        return;
    }
    QFont bold = sensitivity_->font();
    bold.setBold(true);
    for (const SensitivityResult& r : results) {
        for (const SensitivityChoice& c : r.choices) {
            const int i = sensitivity_->rowCount();
            sensitivity_->insertRow(i);
            const PointClass base = pointClassOf(r.baseline.status);
            const PointClass now = pointClassOf(c.status);
            sensitivity_->setItem(
                i, 0,
                new QTableWidgetItem(QStringLiteral("%1: %2").arg(qs(c.choice), qs(c.value))));
            sensitivity_->setItem(i, 1, new QTableWidgetItem(qs(r.policy)));
            auto* status = new QTableWidgetItem(statusIcon(now), statusText(now));
            status->setForeground(statusColor(now).darker(140));
            sensitivity_->setItem(i, 2, status);
            auto* flip = new QTableWidgetItem(
                c.flips ? tr("flips: %1 → %2").arg(statusText(base), statusText(now)) : tr("no"));
            if (c.flips) flip->setFont(bold);
            sensitivity_->setItem(i, 3, flip);
            if (c.countedFlop)
                for (int col = 0; col < 4; ++col)
                    sensitivity_->item(i, col)->setToolTip(
                        tr("counted: %1 FLOP").arg(intervalText(*c.countedFlop)));
        }
    }
}

}  // namespace flopledger::gui
