#pragma once
// Sorting and filtering of the registry table: free text (name, id, developer), developer,
// architecture family and verdict status under the first selected policy.
#include <QSortFilterProxyModel>

#include <optional>

namespace flopledger::inline v1::gui {

class RegistryFilterModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit RegistryFilterModel(QObject* parent = nullptr);

    void setText(const QString& text);
    void setDeveloper(const QString& developer);  ///< "" for any
    void setFamily(const QString& family);        ///< "" for any
    void setStatus(std::optional<int> status);    ///< int(PointClass); nullopt for any

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

private:
    QString text_;
    QString developer_;
    QString family_;
    std::optional<int> status_;
};

}  // namespace flopledger::gui
