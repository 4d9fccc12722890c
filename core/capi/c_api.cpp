// The C API (<flopledger/flopledger.h>) over the shared estimate/assess pipeline
// (assessment.hpp), so its JSON is byte-identical to `flopledger estimate/assess --format json`.
// Every entry point catches everything: a C caller must never see an exception or an abort.
#include <flopledger/flopledger.h>

#include "c_api_options.hpp"

#include <flopledger/assessment.hpp>
#include <flopledger/compact.hpp>
#include <flopledger/manifest.hpp>
#include <flopledger/record_reader.hpp>
#include <flopledger/sensitivity.hpp>
#include <flopledger/stream.hpp>
#include <flopledger/version.hpp>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <optional>
#include <streambuf>
#include <string>
#include <vector>

struct flopledger_handle {
    // The failure of the last call: its message and its first diagnostic's code and place.
    std::string lastError;
    int lastCode = 0;
    std::size_t lastLine = 0;
    std::string lastPointer;
    // Null: the catalogs compiled into the library.
    std::shared_ptr<flopledger::HardwareCatalog> hardware;
    std::shared_ptr<flopledger::PolicyCatalog> policies;
    std::optional<flopledger::Manifest> manifest;  ///< of the last successful call
};

namespace {

using flopledger::Diagnostic;
using flopledger::ErrorCode;
using flopledger::InputError;
namespace capi = flopledger::capi;

// Failures without a handle (flopledger_new, NULL handle) are reported per thread.
thread_local std::string threadError;
thread_local int threadCode = 0;
constexpr const char* kNoHandleMessage = "flopledger: no handle (NULL)";
constexpr int kInternal = static_cast<int>(ErrorCode::Internal);

// The name records text is reported under in diagnostics ("records:3:/stages/0: error ...").
const std::string kRecordsName = "records";

// Every error line once (readText may already have reported what validate() finds); the first
// error is the one whose code and place the handle keeps.
struct Failure : std::runtime_error {
    Failure(const std::string& message, Diagnostic firstError)
        : std::runtime_error(message), first(std::move(firstError)) {}
    Diagnostic first;
};

flopledger::ReadResult readRecords(const flopledger::RecordReader& reader, const char* records) {
    flopledger::ReadResult read = reader.loadText(records, kRecordsName);
    std::string message;
    std::optional<Diagnostic> first;
    for (const Diagnostic& d : read.diagnostics) {
        if (d.severity != flopledger::Severity::Error) continue;
        message += (message.empty() ? "" : "\n") + d.toString();
        if (!first) first = d;
    }
    if (first) throw Failure(message, *first);
    return read;
}

flopledger::ManifestFile inputFile(const char* records, std::size_t count) {
    return {kRecordsName, flopledger::sha256Hex(records), count};
}

void finishManifest(flopledger_t& handle, flopledger::Manifest manifest,
                    const capi::CallOptions& call, const char* records, std::size_t count,
                    const std::string& result) {
    manifest.options.clear();
    for (const auto& [key, value] : call.given) manifest.options.emplace_back(key, value);
    manifest.inputs.push_back(inputFile(records, count));
    manifest.outputs.push_back({"result", flopledger::sha256Hex(result), std::nullopt});
    handle.manifest = std::move(manifest);
}

std::string runPipeline(flopledger_t& handle, const char* records, const char* optionsJson,
                        bool evaluate) {
    capi::CallOptions call =
        capi::parseOptions(optionsJson, evaluate, handle.hardware, handle.policies);
    flopledger::RecordReader reader(flopledger::ReadLimits{}, call.hardware.get());
    flopledger::ReadResult read = readRecords(reader, records);
    const std::size_t count = read.records.size();
    const flopledger::Assessor assessor(call.assess);
    const auto results = assessor.assessAll(std::move(read.records), call.threads);
    std::string out = call.compact             ? (call.format == "jsonl"
                                                      ? flopledger::compactJsonLinesDocument(results, evaluate)
                                                      : flopledger::compactJsonDocument(results, evaluate))
                      : call.format == "jsonl" ? flopledger::jsonLinesDocument(results, evaluate)
                                               : flopledger::jsonDocument(results, evaluate);
    finishManifest(handle, flopledger::manifestFor(assessor, evaluate ? "assess" : "estimate"),
                   call, records, count, out);
    return out;
}

std::string runSensitivity(flopledger_t& handle, const char* records, const char* optionsJson) {
    capi::CallOptions call =
        capi::parseOptions(optionsJson, true, handle.hardware, handle.policies);
    flopledger::RecordReader reader(flopledger::ReadLimits{}, call.hardware.get());
    flopledger::ReadResult read = readRecords(reader, records);
    const flopledger::Assessor assessor(call.assess);  // resolves the policy ids and the date
    flopledger::SensitivityOptions so;
    so.estimate = call.assess.estimate;
    so.evaluation.hardware = call.hardware.get();
    so.evaluation.monteCarlo = call.assess.monteCarlo;
    std::vector<const flopledger::Policy*> policies;
    for (const std::string& id : assessor.policyIds())
        policies.push_back(assessor.catalog().find(id));
    const std::string out = flopledger::sensitivityJson(
        flopledger::analyseSensitivity(read.records, policies, assessor.dates().front(), so));
    finishManifest(handle, flopledger::manifestFor(assessor, "sensitivity"), call, records,
                   read.records.size(), out);
    return out;
}

// A std::streambuf over the caller's read function.
class CallbackBuffer : public std::streambuf {
public:
    CallbackBuffer(flopledger_read_fn read, void* user, flopledger::Sha256& hash)
        : read_(read), user_(user), hash_(hash), buffer_(1 << 16) {}
    bool failed() const { return failed_; }

protected:
    int_type underflow() override {
        if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
        const long n = read_(user_, buffer_.data(), buffer_.size());
        if (n < 0) failed_ = true;
        if (n <= 0) return traits_type::eof();
        const auto size =
            static_cast<std::size_t>(std::min<long>(n, static_cast<long>(buffer_.size())));
        hash_.update(std::string_view(buffer_.data(), size));
        setg(buffer_.data(), buffer_.data(), buffer_.data() + size);
        return traits_type::to_int_type(*gptr());
    }

private:
    flopledger_read_fn read_;
    void* user_;
    flopledger::Sha256& hash_;
    std::vector<char> buffer_;
    bool failed_ = false;
};

long runStream(flopledger_t& handle, flopledger_read_fn read, void* readUser,
               flopledger_record_fn record, void* recordUser, const char* optionsJson) {
    // "estimate" is read before the Assessor is built; parse once to learn it.
    capi::CallOptions call =
        capi::parseOptions(optionsJson, true, handle.hardware, handle.policies);
    if (call.estimateOnly) {
        call = capi::parseOptions(optionsJson, false, handle.hardware, handle.policies);
    }
    if (call.format != "json" && call.format != "jsonl") call.format = "jsonl";
    const flopledger::Assessor assessor(call.assess);
    flopledger::Sha256 inputHash;
    flopledger::Sha256 outputHash;
    CallbackBuffer buffer(read, readUser, inputHash);
    std::istream in(&buffer);
    flopledger::StreamOptions so;
    so.threads = call.threads;
    so.fileName = kRecordsName;
    so.hardware = call.hardware.get();
    so.keepResults = false;  // only the text is handed over
    so.compact = call.compact;
    std::string errorLine;
    const flopledger::StreamSummary summary = flopledger::assessStream(
        assessor, in,
        [&](const flopledger::StreamItem& item) {
            if (item.ok) {
                outputHash.update(item.jsonLines);
                const std::string text(item.jsonLines);  // NUL-terminated for C
                return record(recordUser, item.line, text.c_str(), text.size(), nullptr) == 0;
            }
            errorLine.clear();
            for (const Diagnostic& d : *item.diagnostics) {
                if (d.severity != flopledger::Severity::Error) continue;
                errorLine += (errorLine.empty() ? "" : "\n") + d.toString();
            }
            return record(recordUser, item.line, nullptr, 0, errorLine.c_str()) == 0;
        },
        so);
    if (buffer.failed()) {
        throw InputError(ErrorCode::FileNotFound, "records: the read callback reported an error");
    }
    if (summary.stopped) {
        throw InputError(ErrorCode::Usage,
                         "records: the record callback stopped the stream after " +
                             std::to_string(summary.records) + " records");
    }
    flopledger::Manifest manifest =
        flopledger::manifestFor(assessor, call.estimateOnly ? "estimate" : "assess");
    manifest.options.clear();
    for (const auto& [key, value] : call.given) manifest.options.emplace_back(key, value);
    manifest.inputs.push_back({kRecordsName, inputHash.hex(), summary.records});
    manifest.outputs.push_back({"result", outputHash.hex(), std::nullopt});
    handle.manifest = std::move(manifest);
    return static_cast<long>(summary.records);
}

char* duplicate(const std::string& text) {
    char* out = static_cast<char*>(std::malloc(text.size() + 1));
    if (out == nullptr) throw std::bad_alloc();
    std::memcpy(out, text.c_str(), text.size() + 1);
    return out;
}

void clearError(flopledger_t& h) {
    h.lastError.clear();
    h.lastCode = 0;
    h.lastLine = 0;
    h.lastPointer.clear();
}

// Records a caught exception on the handle (never throws).
void record(flopledger_t& h, std::exception_ptr p) noexcept {
    try {
        try {
            std::rethrow_exception(p);
        } catch (const Failure& e) {
            h.lastError = e.what();
            h.lastCode = static_cast<int>(e.first.code);
            h.lastLine = e.first.line;
            h.lastPointer = e.first.pointer;
        } catch (const InputError& e) {
            h.lastError = e.diagnostic().toString();
            h.lastCode = static_cast<int>(e.diagnostic().code);
            h.lastLine = e.diagnostic().line;
            h.lastPointer = e.diagnostic().pointer;
        } catch (const std::bad_alloc&) {
            h.lastError = "flopledger: out of memory";
            h.lastCode = kInternal;
        } catch (const std::exception& e) {
            h.lastError = e.what();
            h.lastCode = kInternal;
        } catch (...) {
            h.lastError = "flopledger: internal error";
            h.lastCode = kInternal;
        }
    } catch (...) {
        h.lastError.clear();
        h.lastCode = kInternal;
    }
}

template <typename Fn>
char* guarded(flopledger_t* handle, const char* records, Fn fn) {
    if (handle == nullptr) {
        threadError = "flopledger: handle is NULL";
        threadCode = static_cast<int>(ErrorCode::Usage);
        return nullptr;
    }
    try {
        clearError(*handle);
        if (records == nullptr) {
            handle->lastError = "flopledger: records is NULL";
            handle->lastCode = static_cast<int>(ErrorCode::Usage);
            return nullptr;
        }
        return duplicate(fn(*handle));
    } catch (...) {
        record(*handle, std::current_exception());
    }
    return nullptr;
}

}  // namespace

extern "C" {

flopledger_t* flopledger_new(const char* data_dir) {
    try {
        threadError.clear();
        threadCode = 0;
        auto handle = std::make_unique<flopledger_t>();
        if (data_dir != nullptr) capi::loadDataDir(data_dir, handle->hardware, handle->policies);
        return handle.release();
    } catch (...) {
        flopledger_t scratch;
        record(scratch, std::current_exception());
        try {
            threadError = scratch.lastError;
        } catch (...) {
            threadError.clear();
        }
        threadCode = scratch.lastCode;
    }
    return nullptr;
}

char* flopledger_estimate(flopledger_t* handle, const char* records, const char* options_json) {
    return guarded(handle, records,
                   [&](flopledger_t& h) { return runPipeline(h, records, options_json, false); });
}

char* flopledger_assess(flopledger_t* handle, const char* records, const char* options_json) {
    return guarded(handle, records,
                   [&](flopledger_t& h) { return runPipeline(h, records, options_json, true); });
}

char* flopledger_sensitivity(flopledger_t* handle, const char* records, const char* options_json) {
    return guarded(handle, records,
                   [&](flopledger_t& h) { return runSensitivity(h, records, options_json); });
}

char* flopledger_manifest(flopledger_t* handle) {
    if (handle == nullptr || !handle->manifest) return nullptr;
    try {
        return duplicate(flopledger::manifestJson(*handle->manifest));
    } catch (...) {
        return nullptr;
    }
}

long flopledger_assess_stream(flopledger_t* handle, flopledger_read_fn read, void* read_user,
                              flopledger_record_fn record_fn, void* record_user,
                              const char* options_json) {
    if (handle == nullptr) {
        threadError = "flopledger: handle is NULL";
        threadCode = static_cast<int>(ErrorCode::Usage);
        return -1;
    }
    try {
        clearError(*handle);
        if (read == nullptr || record_fn == nullptr) {
            handle->lastError = "flopledger: read or record callback is NULL";
            handle->lastCode = static_cast<int>(ErrorCode::Usage);
            return -1;
        }
        return runStream(*handle, read, read_user, record_fn, record_user, options_json);
    } catch (...) {
        record(*handle, std::current_exception());
    }
    return -1;
}

const char* flopledger_last_error(const flopledger_t* handle) {
    if (handle == nullptr) return threadError.empty() ? kNoHandleMessage : threadError.c_str();
    return handle->lastError.c_str();
}

int flopledger_last_error_code(const flopledger_t* handle) {
    return handle == nullptr ? threadCode : handle->lastCode;
}

size_t flopledger_last_error_line(const flopledger_t* handle) {
    return handle == nullptr ? 0 : handle->lastLine;
}

const char* flopledger_last_error_pointer(const flopledger_t* handle) {
    return handle == nullptr ? "" : handle->lastPointer.c_str();
}

void flopledger_free(char* text) {
    std::free(text);
}

void flopledger_delete(flopledger_t* handle) {
    delete handle;
}

const char* flopledger_version(void) {
    return FLOPLEDGER_VERSION;
}

}  // extern "C"
