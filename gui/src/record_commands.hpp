#pragma once
// Undoable edits of a RegistryDocument: add, remove and edit one record. Every change the user
// makes goes through one of these on the document's undo stack.
#include "registry_document.hpp"

#include <QUndoCommand>

namespace flopledger::inline v1::gui {

class AddRecordCommand : public QUndoCommand {
public:
    AddRecordCommand(RegistryDocument* doc, int row, Record record);
    void redo() override;
    void undo() override;

private:
    RegistryDocument* doc_;
    int row_;
    Record record_;
};

class RemoveRecordCommand : public QUndoCommand {
public:
    RemoveRecordCommand(RegistryDocument* doc, int row);
    void redo() override;
    void undo() override;

private:
    RegistryDocument* doc_;
    int row_;
    Record record_;
};

/// Replaces a record. Consecutive edits of the same field of the same record (typing in one
/// box) merge into one undo step when they carry the same non-empty `mergeKey`.
class EditRecordCommand : public QUndoCommand {
public:
    EditRecordCommand(RegistryDocument* doc, int row, Record after, QString text,
                      QString mergeKey = {});
    void redo() override;
    void undo() override;
    int id() const override { return mergeKey_.isEmpty() ? -1 : 0x4564; }
    bool mergeWith(const QUndoCommand* other) override;

private:
    RegistryDocument* doc_;
    int row_;
    Record before_;
    Record after_;
    QString mergeKey_;
};

}  // namespace flopledger::gui
