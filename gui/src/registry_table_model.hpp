#pragma once
// The registry as a table: one row per record of the document, columns name, developer,
// release date, counted FLOP with its range, method, provenance (who the figure comes from), and
// one verdict badge per selected policy.
// Values are formatted from the exact figures; sorting uses SortRole (log10 FLOP, day number).
#include "registry_document.hpp"

#include <QAbstractTableModel>

namespace flopledger::inline v1::gui {

/// StatusRole of a model released after the as-of date (after the PointClass values).
inline constexpr int kNotReleasedStatus = 4;

class RegistryTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Name = 0, Developer, Released, Flop, Method, Provenance, FirstPolicy };
    enum Role {
        SortRole = Qt::UserRole + 1,  ///< number or lower-case text used for sorting
        IdRole,                       ///< record id (QString)
        DeveloperRole,
        FamilyRole,     ///< architecture family or "" (QString)
        StatusRole,     ///< int(PointClass) under the first policy, kNotReleasedStatus; -1 none
        Log10FlopRole,  ///< double; invalid QVariant if not estimated
    };

    explicit RegistryTableModel(RegistryDocument* doc, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation o, int role = Qt::DisplayRole) const override;

    RegistryDocument* document() const { return doc_; }
    /// Significant digits of displayed FLOP values.
    void setDigits(int digits);

    /// Text of the counted FLOP of a row: "3.80e25 [2.10e25 – 5.00e25]"; "" if unknown.
    QString flopText(int row) const;
    /// The methods used by a row's stages, e.g. "stated", "architecture + hardware".
    QString methodText(int row) const;
    /// Who the figure comes from ("Epoch AI, speculative"; "developer"), with the developer's
    /// own figure and our ratio to it; "" for clusters and unassessed rows.
    QString provenanceText(int row) const;

private:
    void resetAll();
    RegistryDocument* doc_;
    int digits_ = 3;
    int policyColumns_ = 0;
    int rows_ = 0;  ///< rows the views know about (changes only inside a reset)
};

}  // namespace flopledger::gui
