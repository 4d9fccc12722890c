#include "registry_filter_model.hpp"

#include "registry_table_model.hpp"

namespace flopledger::inline v1::gui {

RegistryFilterModel::RegistryFilterModel(QObject* parent) : QSortFilterProxyModel(parent) {
    setSortRole(RegistryTableModel::SortRole);
    setDynamicSortFilter(true);
}

void RegistryFilterModel::setText(const QString& text) {
    text_ = text.trimmed();
    invalidateFilter();
}

void RegistryFilterModel::setDeveloper(const QString& developer) {
    developer_ = developer;
    invalidateFilter();
}

void RegistryFilterModel::setFamily(const QString& family) {
    family_ = family;
    invalidateFilter();
}

void RegistryFilterModel::setStatus(std::optional<int> status) {
    status_ = status;
    invalidateFilter();
}

bool RegistryFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
    const QAbstractItemModel* m = sourceModel();
    const QModelIndex idx = m->index(sourceRow, RegistryTableModel::Name, sourceParent);
    if (!developer_.isEmpty() &&
        m->data(idx, RegistryTableModel::DeveloperRole).toString() != developer_)
        return false;
    if (!family_.isEmpty() && m->data(idx, RegistryTableModel::FamilyRole).toString() != family_)
        return false;
    if (status_ && m->data(idx, RegistryTableModel::StatusRole).toInt() != *status_) return false;
    if (!text_.isEmpty()) {
        const QString hay = m->data(idx, Qt::DisplayRole).toString() + '\n' +
                            m->data(idx, RegistryTableModel::IdRole).toString() + '\n' +
                            m->data(idx, RegistryTableModel::DeveloperRole).toString();
        if (!hay.contains(text_, Qt::CaseInsensitive)) return false;
    }
    return true;
}

bool RegistryFilterModel::lessThan(const QModelIndex& left, const QModelIndex& right) const {
    const QVariant a = left.data(sortRole());
    const QVariant b = right.data(sortRole());
    // Numbers compare as numbers (log10 FLOP, day numbers), never as their text.
    if (a.typeId() == QMetaType::Double || b.typeId() == QMetaType::Double)
        return a.toDouble() < b.toDouble();
    if (a.typeId() == QMetaType::LongLong || a.typeId() == QMetaType::Int)
        return a.toLongLong() < b.toLongLong();
    return QString::localeAwareCompare(a.toString(), b.toString()) < 0;
}

}  // namespace flopledger::gui
