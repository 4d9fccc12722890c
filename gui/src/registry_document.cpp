#include "registry_document.hpp"

#include <flopledger/epoch_import.hpp>
#include <flopledger/record_reader.hpp>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QPromise>
#include <QSaveFile>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <set>
#include <unordered_map>

namespace flopledger::inline v1::gui {

RegistryFormat formatForPath(const QString& path) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    return (suffix == "jsonl" || suffix == "ndjson") ? RegistryFormat::JsonLines
                                                     : RegistryFormat::JsonArray;
}

QString LoadResult::diagnosticsText() const {
    QStringList lines;
    for (const Diagnostic& d : diagnostics) lines << QString::fromStdString(d.toString());
    return lines.join('\n');
}

namespace {

// An Epoch AI export through core's importer. A bad value in a row leaves that row without it
// and is reported as a warning; a CSV syntax error or an unusable header stops the import.
ReadResult importCsv(const QString& path, const std::string& file) {
    ReadResult r;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        Diagnostic d;
        d.code = ErrorCode::FileNotFound;
        d.file = file;
        d.message = "cannot open: " + f.errorString().toStdString();
        r.diagnostics.push_back(d);
        return r;
    }
    const QByteArray bytes = f.readAll();
    std::vector<Diagnostic> diags;
    std::vector<ModelRecord> models = importEpochCsv(
        std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size())), file, diags);
    for (Diagnostic& d : diags) {
        const bool fatal = d.code == ErrorCode::CsvSyntax ||
                           (d.code == ErrorCode::ImportInvalid && models.empty());
        if (!fatal && d.severity == Severity::Error) d.severity = Severity::Warning;
        r.diagnostics.push_back(std::move(d));
    }
    for (ModelRecord& m : models) r.records.emplace_back(std::move(m));
    return r;
}

}  // namespace

LoadResult readRegistryFiles(const QStringList& paths) {
    LoadResult out;
    out.ok = true;
    out.files = paths;
    const RecordReader reader;
    std::set<std::string> seen;
    for (const QString& path : paths) {
        const std::string file = QDir::toNativeSeparators(path).toStdString();
        if (!QFileInfo::exists(path)) {
            Diagnostic d;
            d.code = ErrorCode::FileNotFound;
            d.file = file;
            d.message = "cannot open: no such file or directory";
            out.diagnostics.push_back(d);
            out.ok = false;
            continue;
        }
        ReadResult r;
        try {
            if (QFileInfo(path).suffix().toLower() == QLatin1String("csv")) {
                r = importCsv(path, file);
            } else {
                r = reader.readPath(file);
            }
        } catch (const InputError& e) {
            r.diagnostics.push_back(e.diagnostic());
            if (r.diagnostics.back().file.empty()) r.diagnostics.back().file = file;
        } catch (const std::exception& e) {
            Diagnostic d;
            d.file = file;
            d.message = std::string("internal error while reading: ") + e.what();
            r.diagnostics.push_back(d);
        }
        bool fileOk = true;
        for (const Diagnostic& d : r.diagnostics) {
            if (d.severity == Severity::Error) fileOk = false;
            out.diagnostics.push_back(d);
        }
        if (!fileOk) {
            out.ok = false;
            continue;
        }
        // Ids must stay unique across the files opened together, as within one registry.
        for (Record& rec : r.records) {
            if (!seen.insert(recordId(rec)).second) {
                Diagnostic d;
                d.code = ErrorCode::DuplicateId;
                d.file = recordLocation(rec).file;
                d.line = recordLocation(rec).line;
                d.pointer = recordLocation(rec).pointer;
                d.message = "id \"" + recordId(rec) + "\" is already used by an earlier file";
                out.diagnostics.push_back(d);
                out.ok = false;
                continue;
            }
            out.records.push_back(std::move(rec));
        }
    }
    if (!out.ok) out.records.clear();
    return out;
}

std::string registryText(const std::vector<Record>& records, RegistryFormat format) {
    std::string text;
    if (format == RegistryFormat::JsonLines) {
        for (const Record& r : records) text += toJson(r) + "\n";
        return text;
    }
    text = "[";
    for (std::size_t i = 0; i < records.size(); ++i) {
        text += i == 0 ? "\n  " : ",\n  ";
        text += toJson(records[i]);
    }
    text += records.empty() ? "]\n" : "\n]\n";
    return text;
}

RegistryDocument::RegistryDocument(QObject* parent) : QObject(parent), asOf_(Date::today()) {
    connect(&undo_, &QUndoStack::cleanChanged, this,
            [this](bool clean) { emit modifiedChanged(!clean); });
}

RegistryDocument::~RegistryDocument() {
    if (watcher_ != nullptr) watcher_->waitForFinished();
}

int RegistryDocument::indexOf(const std::string& id) const {
    for (int i = 0; i < size(); ++i)
        if (recordId(record(i)) == id) return i;
    return -1;
}

std::string RegistryDocument::uniqueId(const std::string& base) const {
    if (indexOf(base) < 0) return base;
    for (int n = 2;; ++n) {
        const std::string candidate = base + "-" + std::to_string(n);
        if (indexOf(candidate) < 0) return candidate;
    }
}

void RegistryDocument::reset(std::vector<Record> records, const QStringList& files) {
    states_.clear();
    states_.reserve(records.size());
    for (Record& r : records) {
        RecordState s;
        s.record = std::make_shared<const Record>(std::move(r));
        states_.push_back(std::move(s));
    }
    sourceFiles_ = files;
    filePath_ = files.size() == 1 && QFileInfo(files.front()).isFile() ? files.front() : QString();
    undo_.clear();
    undo_.setClean();
    emit modelReset();
    emit modifiedChanged(false);
}

bool RegistryDocument::load(const QStringList& paths, QString* errorText) {
    return apply(readRegistryFiles(paths), errorText);
}

bool RegistryDocument::apply(const LoadResult& result, QString* errorText) {
    lastDiagnostics_ = result.diagnostics;
    if (!result.ok) {
        if (errorText != nullptr) *errorText = result.diagnosticsText();
        return false;  // the current registry stays as it was
    }
    reset(result.records, result.files);
    return true;
}

bool RegistryDocument::save(const QString& path, QString* errorText) {
    std::vector<Record> records;
    records.reserve(states_.size());
    for (const RecordState& s : states_) records.push_back(*s.record);
    const std::string text = registryText(records, formatForPath(path));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) ||
        file.write(text.data(), static_cast<qint64>(text.size())) !=
            static_cast<qint64>(text.size()) ||
        !file.commit()) {
        if (errorText != nullptr)
            *errorText = tr("%1: error %2: cannot write: %3")
                             .arg(path, QString::fromStdString(codeText(ErrorCode::FileWrite)),
                                  file.errorString());
        return false;
    }
    filePath_ = path;
    sourceFiles_ = QStringList{path};
    undo_.setClean();
    return true;
}

void RegistryDocument::insertRecord(int row, Record record) {
    RecordState s;
    s.record = std::make_shared<const Record>(std::move(record));
    states_.insert(states_.begin() + row, std::move(s));
    assessRow(row);
    emit recordInserted(row);
}

Record RegistryDocument::takeRecord(int row) {
    Record r = *states_.at(static_cast<std::size_t>(row)).record;
    states_.erase(states_.begin() + row);
    emit recordRemoved(row);
    return r;
}

void RegistryDocument::replaceRecord(int row, Record record) {
    RecordState& s = states_.at(static_cast<std::size_t>(row));
    s.record = std::make_shared<const Record>(std::move(record));
    s.assessment.reset();
    assessRow(row);
    emit recordChanged(row);
}

void RegistryDocument::setPolicies(std::vector<std::string> ids) {
    policies_ = std::move(ids);
    assessor_.reset();
    emit settingsChanged();
}

void RegistryDocument::setDefaultPolicies() {
    try {
        AssessOptions o;
        Assessor a(o);
        std::vector<std::string> ids = a.policyIds();
        // The EU presumption colours the chart by default: the threshold most models meet first.
        auto eu = std::find(ids.begin(), ids.end(), "eu-ai-act-art51");
        if (eu != ids.end()) std::rotate(ids.begin(), eu, eu + 1);
        setPolicies(ids);
    } catch (const std::exception& e) {
        assessmentError_ = QString::fromStdString(e.what());
    }
}

void RegistryDocument::setAsOf(const Date& date) {
    asOf_ = date;
    assessor_.reset();
    emit settingsChanged();
}

void RegistryDocument::setAssumeUndisclosed(std::optional<Exact> ratio) {
    assumeUndisclosed_ = std::move(ratio);
    assessor_.reset();
    emit settingsChanged();
}

void RegistryDocument::setEstimateOptions(const EstimateOptions& options) {
    estimate_ = options;
    assessor_.reset();
    emit settingsChanged();
}

AssessOptions RegistryDocument::assessOptions() const {
    AssessOptions o;
    o.estimate = estimate_;
    o.policies = policies_;
    o.asOf = {asOf_};
    o.evaluate = !policies_.empty();
    o.assumeUndisclosed = assumeUndisclosed_;
    return o;
}

std::unique_ptr<Assessor> RegistryDocument::makeAssessor() {
    try {
        assessmentError_.clear();
        return std::make_unique<Assessor>(assessOptions());
    } catch (const std::exception& e) {
        assessmentError_ = QString::fromStdString(e.what());
        return nullptr;
    }
}

namespace {

RecordState assessOne(const Assessor* assessor, std::shared_ptr<const Record> record) {
    RecordState s;
    s.record = std::move(record);
    if (assessor == nullptr) return s;
    try {
        s.assessment = assessor->assess(s.record);
    } catch (const InputError& e) {
        s.error = QString::fromStdString(e.diagnostic().toString());
    } catch (const std::exception& e) {
        s.error = QString::fromStdString(e.what());
    }
    return s;
}

}  // namespace

void RegistryDocument::assessRow(int row) {
    if (!assessor_) assessor_ = makeAssessor();
    RecordState& s = states_.at(static_cast<std::size_t>(row));
    s = assessOne(assessor_.get(), s.record);
}

void RegistryDocument::assessAll() {
    waitForAssessment();
    assessor_ = makeAssessor();
    for (int i = 0; i < size(); ++i) {
        assessRow(i);
        emit progress(i + 1, size());
    }
    emit assessed();
}

void RegistryDocument::assessAllAsync() {
    if (watcher_ != nullptr && watcher_->isRunning()) {
        watcher_->cancel();
        watcher_->waitForFinished();
        pendingMerge_ = false;
    }
    assessor_ = makeAssessor();
    std::vector<std::shared_ptr<const Record>> records;
    records.reserve(states_.size());
    for (const RecordState& s : states_) records.push_back(s.record);
    if (watcher_ == nullptr) {
        watcher_ = new QFutureWatcher<std::vector<RecordState>>(this);
        connect(watcher_, &QFutureWatcherBase::progressValueChanged, this,
                [this](int v) { emit progress(v, watcher_->progressMaximum()); });
        connect(watcher_, &QFutureWatcherBase::finished, this, [this] { mergeResults(); });
    }
    std::shared_ptr<Assessor> assessor = assessor_;
    pendingMerge_ = true;
    watcher_->setFuture(
        QtConcurrent::run([assessor, records](QPromise<std::vector<RecordState>>& promise) {
            promise.setProgressRange(0, static_cast<int>(records.size()));
            std::vector<RecordState> out;
            out.reserve(records.size());
            for (std::size_t i = 0; i < records.size(); ++i) {
                if (promise.isCanceled()) return;
                out.push_back(assessOne(assessor.get(), records[i]));
                promise.setProgressValue(static_cast<int>(i + 1));
            }
            promise.addResult(std::move(out));
        }));
}

void RegistryDocument::mergeResults() {
    if (!pendingMerge_) return;
    pendingMerge_ = false;
    if (watcher_->isCanceled() || watcher_->future().resultCount() == 0) return;
    // Rows may have moved or changed while the worker ran: match results by record identity, so
    // an edited row keeps its fresher synchronous assessment.
    std::vector<RecordState> results = watcher_->result();
    std::unordered_map<const Record*, RecordState*> byRecord;
    for (RecordState& r : results) byRecord.emplace(r.record.get(), &r);
    for (RecordState& s : states_) {
        auto it = byRecord.find(s.record.get());
        if (it != byRecord.end()) s = std::move(*it->second);
    }
    emit assessed();
}

bool RegistryDocument::assessing() const {
    return watcher_ != nullptr && watcher_->isRunning();
}

void RegistryDocument::waitForAssessment() {
    if (watcher_ == nullptr) return;
    watcher_->waitForFinished();
    mergeResults();
}

const Verdict* RegistryDocument::verdict(int row, int policyIndex) const {
    if (row < 0 || row >= size() || policyIndex < 0 ||
        policyIndex >= static_cast<int>(policies_.size()))
        return nullptr;
    const RecordState& s = state(row);
    if (!s.assessment || s.assessment->dates.empty()) return nullptr;
    const std::string& id = policies_[static_cast<std::size_t>(policyIndex)];
    for (const Verdict& v : s.assessment->dates.front().verdicts)
        if (v.policy == id) return &v;
    return nullptr;
}

const ModelEstimate* RegistryDocument::estimate(int row) const {
    if (row < 0 || row >= size()) return nullptr;
    const RecordState& s = state(row);
    if (!s.assessment || !s.assessment->estimate) return nullptr;
    return &*s.assessment->estimate;
}

}  // namespace flopledger::gui
