#include "record_commands.hpp"

#include <QCoreApplication>

namespace flopledger::inline v1::gui {

namespace {
QString idText(const Record& r) {
    return QString::fromStdString(recordId(r));
}
}  // namespace

AddRecordCommand::AddRecordCommand(RegistryDocument* doc, int row, Record record)
    : doc_(doc), row_(row), record_(std::move(record)) {
    setText(QCoreApplication::translate("RecordCommands", "Add %1").arg(idText(record_)));
}

void AddRecordCommand::redo() {
    doc_->insertRecord(row_, record_);
}
void AddRecordCommand::undo() {
    doc_->takeRecord(row_);
}

RemoveRecordCommand::RemoveRecordCommand(RegistryDocument* doc, int row)
    : doc_(doc), row_(row), record_(doc->record(row)) {
    setText(QCoreApplication::translate("RecordCommands", "Remove %1").arg(idText(record_)));
}

void RemoveRecordCommand::redo() {
    record_ = doc_->takeRecord(row_);
}
void RemoveRecordCommand::undo() {
    doc_->insertRecord(row_, record_);
}

EditRecordCommand::EditRecordCommand(RegistryDocument* doc, int row, Record after, QString text,
                                     QString mergeKey)
    : doc_(doc),
      row_(row),
      before_(doc->record(row)),
      after_(std::move(after)),
      mergeKey_(std::move(mergeKey)) {
    setText(text);
}

void EditRecordCommand::redo() {
    doc_->replaceRecord(row_, after_);
}
void EditRecordCommand::undo() {
    doc_->replaceRecord(row_, before_);
}

bool EditRecordCommand::mergeWith(const QUndoCommand* other) {
    const auto* o = dynamic_cast<const EditRecordCommand*>(other);
    if (o == nullptr || o->doc_ != doc_ || o->row_ != row_ || o->mergeKey_ != mergeKey_)
        return false;
    after_ = o->after_;
    return true;
}

}  // namespace flopledger::gui
