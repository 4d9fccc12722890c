#include "registry_table_model.hpp"

#include "chart_inputs.hpp"
#include "provenance_text.hpp"
#include "status_style.hpp"

#include <QFont>

#include <set>
#include <variant>

namespace flopledger::inline v1::gui {

RegistryTableModel::RegistryTableModel(RegistryDocument* doc, QObject* parent)
    : QAbstractTableModel(parent), doc_(doc) {
    policyColumns_ = static_cast<int>(doc_->policies().size());
    rows_ = doc_->size();
    connect(doc_, &RegistryDocument::modelReset, this, [this] {
        beginResetModel();
        rows_ = doc_->size();
        policyColumns_ = static_cast<int>(doc_->policies().size());
        endResetModel();
    });
    connect(doc_, &RegistryDocument::assessed, this, &RegistryTableModel::resetAll);
    connect(doc_, &RegistryDocument::settingsChanged, this, &RegistryTableModel::resetAll);
    // Rows are inserted and removed after the fact by the document: a full reset keeps the
    // model consistent without a begin/end pair spanning the document's change.
    connect(doc_, &RegistryDocument::recordInserted, this, &RegistryTableModel::resetAll);
    connect(doc_, &RegistryDocument::recordRemoved, this, &RegistryTableModel::resetAll);
    connect(doc_, &RegistryDocument::recordChanged, this,
            [this](int row) { emit dataChanged(index(row, 0), index(row, columnCount() - 1)); });
}

void RegistryTableModel::resetAll() {
    // Same shape: refresh in place, so views keep their selection and scroll position.
    if (doc_->size() == rows_ && policyColumns_ == static_cast<int>(doc_->policies().size()) &&
        rows_ > 0) {
        emit dataChanged(index(0, 0), index(rows_ - 1, columnCount() - 1));
        emit headerDataChanged(Qt::Horizontal, 0, columnCount() - 1);
        return;
    }
    beginResetModel();
    rows_ = doc_->size();
    policyColumns_ = static_cast<int>(doc_->policies().size());
    endResetModel();
}

void RegistryTableModel::setDigits(int digits) {
    digits_ = std::max(1, digits);
    resetAll();
}

int RegistryTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : rows_;
}

int RegistryTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : FirstPolicy + policyColumns_;
}

QString RegistryTableModel::flopText(int row) const {
    const std::optional<Interval> flop = displayedFlop(*doc_, row);
    if (!flop) return {};
    const Interval& t = *flop;
    // No stage could be estimated (all undisclosed): say so rather than print a zero.
    if (t.high == 0 && methodText(row).isEmpty()) return tr("not estimated");
    // A stage without an estimate counts as 0: the figure is a minimum, as in the CLI's ">=".
    bool lowerBound = false;
    if (const ModelEstimate* e = doc_->estimate(row))
        for (const StageEstimate& s : e->stages) lowerBound = lowerBound || !s.method;
    QString text =
        QString::fromStdString((lowerBound ? ">=" : "") + formatScientific(t.central, digits_));
    if (!t.isPoint())
        text += QStringLiteral(" [%1 – %2]")
                    .arg(QString::fromStdString(formatScientific(t.low, digits_)),
                         QString::fromStdString(formatScientific(t.high, digits_)));
    return text;
}

QString RegistryTableModel::methodText(int row) const {
    if (std::holds_alternative<ClusterRecord>(doc_->record(row))) return tr("cluster");
    const ModelEstimate* e = doc_->estimate(row);
    if (e == nullptr) return {};
    QStringList methods;
    for (const StageEstimate& s : e->stages) {
        if (!s.method) continue;
        const QString m = QString::fromStdString(std::string(toString(*s.method)));
        if (!methods.contains(m)) methods << m;
    }
    return methods.join(QStringLiteral(" + "));
}

QString RegistryTableModel::provenanceText(int row) const {
    const auto* model = std::get_if<ModelRecord>(&doc_->record(row));
    const ModelEstimate* e = doc_->estimate(row);
    if (model == nullptr || e == nullptr) return {};
    return QString::fromStdString(provenanceCell(*model, *e));
}

QVariant RegistryTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= doc_->size()) return {};
    const int row = index.row();
    const int col = index.column();
    const Record& rec = doc_->record(row);
    const ModelRecord* model = std::get_if<ModelRecord>(&rec);
    const ClusterRecord* cluster = std::get_if<ClusterRecord>(&rec);
    const QString id = QString::fromStdString(recordId(rec));
    const QString name = QString::fromStdString(model != nullptr ? model->name : cluster->name);
    const QString developer =
        model != nullptr ? QString::fromStdString(model->developer) : QString();

    auto policyStatus = [&](int policyIndex) -> int {
        const Verdict* v = doc_->verdict(row, policyIndex);
        if (v == nullptr) return -1;
        // Not yet released as of the date (7.4): its own status for the filter and the sort.
        if (v->status == VerdictStatus::NotReleased) return kNotReleasedStatus;
        return static_cast<int>(pointClassOf(v->status));
    };

    switch (role) {
        case IdRole:
            return id;
        case DeveloperRole:
            return developer;
        case FamilyRole:
            return model != nullptr && model->architecture
                       ? QString::fromStdString(std::string(toString(model->architecture->family)))
                       : QString();
        case StatusRole:
            return policyStatus(0);
        case Log10FlopRole: {
            const std::optional<Interval> flop = displayedFlop(*doc_, row);
            if (!flop || flop->central <= 0) return {};
            return log10Exact(flop->central);
        }
        default:
            break;
    }

    if (col >= FirstPolicy) {
        const int p = col - FirstPolicy;
        const Verdict* v = doc_->verdict(row, p);
        const PointClass c = v == nullptr ? PointClass::Unknown : pointClassOf(v->status);
        switch (role) {
            case Qt::DisplayRole: {
                // Exceeding a rule that is not in force (vetoed, proposed, revoked) is not the
                // same news as exceeding one that is: the badge says so.
                if (v == nullptr) return QString();
                QString text = v->status == VerdictStatus::NotReleased ? tr("not released")
                               : c == PointClass::Exceeds && !v->inForce
                                   ? tr("exceeds (not in force)")
                                   : statusText(c);
                // The verdict relies on an assumption (--assume-undisclosed): marked, and the
                // tooltip names it.
                if (!v->assumptions.empty()) text += QStringLiteral(" \u2020");
                return text;
            }
            case Qt::FontRole: {
                if (v == nullptr || v->inForce) return {};
                QFont f;
                f.setItalic(true);
                return f;
            }
            case Qt::DecorationRole:
                return v == nullptr ? QVariant() : QVariant(statusIcon(c));
            case Qt::ForegroundRole:
                return v == nullptr ? QVariant() : QVariant(statusColor(c).darker(140));
            case SortRole:
                return policyStatus(p);
            case Qt::ToolTipRole:
                return v == nullptr ? QVariant()
                                    : QVariant(QString::fromStdString(verdictTooltip(*v)));
            default:
                return {};
        }
    }

    if (role == Qt::ToolTipRole && (col == Provenance || col == Flop) && model != nullptr) {
        const ModelEstimate* e = doc_->estimate(row);
        if (e != nullptr) return QString::fromStdString(provenanceTooltip(*model, *e));
    }
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
        switch (col) {
            case Name:
                return name.isEmpty() ? id : name;
            case Developer:
                return developer;
            case Released:
                return model != nullptr && model->released
                           ? QString::fromStdString(model->released->toString())
                           : QString();
            case Flop:
                return flopText(row);
            case Method:
                return methodText(row);
            case Provenance:
                return provenanceText(row);
            default:
                return {};
        }
    }
    if (role == SortRole) {
        switch (col) {
            case Name:
                return (name.isEmpty() ? id : name).toLower();
            case Developer:
                return developer.toLower();
            case Released:
                return model != nullptr && model->released
                           ? QVariant(static_cast<qlonglong>(model->released->daysSinceEpoch()))
                           : QVariant(std::numeric_limits<qlonglong>::min());
            case Flop: {
                const QVariant v = data(index, Log10FlopRole);
                return v.isValid() ? v : QVariant(-std::numeric_limits<double>::infinity());
            }
            case Method:
                return methodText(row);
            case Provenance:
                return provenanceText(row).toLower();
            default:
                return {};
        }
    }
    if (role == Qt::TextAlignmentRole && col == Flop)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant RegistryTableModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o != Qt::Horizontal || (role != Qt::DisplayRole && role != Qt::ToolTipRole)) return {};
    switch (section) {
        case Name:
            return tr("Name");
        case Developer:
            return tr("Developer");
        case Released:
            return tr("Released");
        case Flop:
            return tr("Training FLOP");
        case Method:
            return tr("Method");
        case Provenance:
            return role == Qt::ToolTipRole
                       ? tr("Who the figure comes from: the developer, a third party (with its "
                            "confidence label) or computed from published inputs; the "
                            "developer's own figure and our ratio to it")
                       : tr("Provenance");
        default:
            break;
    }
    const int p = section - FirstPolicy;
    if (p >= 0 && p < static_cast<int>(doc_->policies().size()))
        return QString::fromStdString(doc_->policies()[static_cast<std::size_t>(p)]);
    return {};
}

}  // namespace flopledger::gui
