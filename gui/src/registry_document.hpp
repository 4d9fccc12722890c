#pragma once
// The open registry: its records, where it came from, the assessment of every record under the
// selected policies, the undo history and the unsaved-changes flag. Widgets observe it through
// signals; all edits go through the undo stack (record_commands.hpp).
#include <flopledger/assessment.hpp>
#include <flopledger/diagnostic.hpp>
#include <flopledger/record.hpp>

#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QUndoStack>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace flopledger::inline v1::gui {

/// How a registry file is written back.
enum class RegistryFormat { JsonArray, JsonLines };
/// JSON Lines for .jsonl/.ndjson, else a JSON array.
RegistryFormat formatForPath(const QString& path);

/// The result of reading files off the UI thread: records, or the diagnostics that stopped it.
struct LoadResult {
    std::vector<Record> records;
    std::vector<Diagnostic> diagnostics;  ///< errors and warnings, every file
    bool ok = false;                      ///< no error in any file
    QStringList files;
    /// The diagnostics as text, one a line (for the message box and the diagnostics panel).
    QString diagnosticsText() const;
};

/// Reads registries (JSON array, object with "records", JSON Lines, directory) or, for .csv, an
/// Epoch AI export. Thread-safe, touches no widget: run it in a worker.
LoadResult readRegistryFiles(const QStringList& paths);

/// Serialises records as a registry document (records through core toJson).
std::string registryText(const std::vector<Record>& records, RegistryFormat format);

struct RecordState {
    std::shared_ptr<const Record> record;
    std::optional<RecordAssessment> assessment;  ///< empty until assessed, or when it failed
    QString error;                               ///< why assessing failed
};

class RegistryDocument : public QObject {
    Q_OBJECT
public:
    explicit RegistryDocument(QObject* parent = nullptr);
    ~RegistryDocument() override;

    // ---- contents
    int size() const { return static_cast<int>(states_.size()); }
    const RecordState& state(int row) const { return states_.at(static_cast<std::size_t>(row)); }
    const Record& record(int row) const { return *state(row).record; }
    int indexOf(const std::string& id) const;  ///< -1 if absent
    /// A new id based on `base` that no record uses yet.
    std::string uniqueId(const std::string& base) const;

    /// Replaces the whole registry (loading); clears undo history and the modified flag.
    void reset(std::vector<Record> records, const QStringList& files);
    /// Loads synchronously; on error leaves the registry untouched and returns false with the
    /// diagnostics in `errorText`. Warnings are kept in lastDiagnostics().
    bool load(const QStringList& paths, QString* errorText = nullptr);
    /// Applies a LoadResult from a worker, with load()'s semantics.
    bool apply(const LoadResult& result, QString* errorText = nullptr);
    /// Writes atomically (QSaveFile). Returns false with a message on failure.
    bool save(const QString& path, QString* errorText = nullptr);
    const std::vector<Diagnostic>& lastDiagnostics() const { return lastDiagnostics_; }

    QString filePath() const { return filePath_; }  ///< "" for a new or merged registry
    QStringList sourceFiles() const { return sourceFiles_; }
    bool isModified() const { return !undo_.isClean(); }
    QUndoStack* undoStack() { return &undo_; }

    // ---- primitive edits (used by the undo commands; they do not push commands themselves)
    void insertRecord(int row, Record record);
    Record takeRecord(int row);
    void replaceRecord(int row, Record record);

    // ---- assessment
    /// Policies to evaluate, in column order (empty: none; call setDefaultPolicies for the
    /// library's default set). The first one colours the chart and drives the status filter.
    void setPolicies(std::vector<std::string> ids);
    void setDefaultPolicies();
    const std::vector<std::string>& policies() const { return policies_; }
    void setAsOf(const Date& date);
    const Date& asOf() const { return asOf_; }
    /// Contract 7.3 (`--assume-undisclosed RATIO`): undisclosed stages together at most RATIO x
    /// the disclosed counted compute; nullopt: no assumption.
    void setAssumeUndisclosed(std::optional<Exact> ratio);
    const std::optional<Exact>& assumeUndisclosed() const { return assumeUndisclosed_; }
    void setEstimateOptions(const EstimateOptions& options);
    const EstimateOptions& estimateOptions() const { return estimate_; }
    /// Assessment options as currently configured (one date: asOf).
    AssessOptions assessOptions() const;

    /// Re-assesses every record on this thread.
    void assessAll();
    /// Re-assesses every record in a worker; progress() and assessed() report back.
    void assessAllAsync();
    bool assessing() const;
    /// Waits for a running asynchronous assessment (tests, headless rendering).
    void waitForAssessment();

    /// The verdict of a record under policy `policyIndex` (index into policies()), if assessed.
    const Verdict* verdict(int row, int policyIndex) const;
    /// The model estimate of a record, if assessed.
    const ModelEstimate* estimate(int row) const;

    QString assessmentError() const { return assessmentError_; }

signals:
    void modelReset();
    void recordInserted(int row);
    void recordRemoved(int row);
    void recordChanged(int row);
    void assessed();  ///< every record's assessment was refreshed
    void progress(int done, int total);
    void modifiedChanged(bool modified);
    void settingsChanged();  ///< policies, date or options changed

private:
    std::unique_ptr<Assessor> makeAssessor();
    void assessRow(int row);
    void mergeResults();

    std::vector<RecordState> states_;
    QUndoStack undo_;
    QString filePath_;
    QStringList sourceFiles_;
    std::vector<Diagnostic> lastDiagnostics_;
    std::vector<std::string> policies_;
    Date asOf_;
    EstimateOptions estimate_;
    std::optional<Exact> assumeUndisclosed_;
    QString assessmentError_;
    std::shared_ptr<Assessor> assessor_;  ///< cached for the current settings
    QFutureWatcher<std::vector<RecordState>>* watcher_ = nullptr;
    bool pendingMerge_ = false;
};

}  // namespace flopledger::gui
