// The C API (<flopledger/flopledger.h>) over the shared estimate/assess pipeline
// (assessment.hpp), so its JSON is byte-identical to `flopledger estimate/assess --format json`.
// Every entry point catches everything: a C caller must never see an exception or an abort.
#include <flopledger/flopledger.h>

#include <flopledger/assessment.hpp>
#include <flopledger/hardware_catalog.hpp>
#include <flopledger/policy_catalog.hpp>
#include <flopledger/record_reader.hpp>
#include <flopledger/version.hpp>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <vector>

struct flopledger_handle {
    std::string lastError;
    // Null: the catalogs compiled into the library.
    std::unique_ptr<flopledger::HardwareCatalog> hardware;
    std::unique_ptr<flopledger::PolicyCatalog> policies;
};

namespace {

using flopledger::Diagnostic;
using flopledger::ErrorCode;
using flopledger::InputError;

// Failures without a handle (flopledger_new, NULL handle) are reported per thread.
thread_local std::string threadError;
constexpr const char* kNoHandleMessage = "flopledger: no handle (NULL)";

// The name records text is reported under in diagnostics ("records:3:/stages/0: error ...").
const std::string kRecordsName = "records";
const std::string kOptionsName = "options";

InputError optionError(const std::string& pointer, const std::string& message) {
    Diagnostic d;
    d.code = ErrorCode::Usage;
    d.file = kOptionsName;
    d.pointer = pointer;
    d.message = message;
    return InputError(std::move(d));
}

std::vector<std::string> stringList(const nlohmann::json& value, const std::string& pointer) {
    std::vector<std::string> out;
    if (value.is_string()) {
        out.push_back(value.get<std::string>());
        return out;
    }
    if (!value.is_array()) {
        throw optionError(pointer, "expected a string or a list of strings");
    }
    for (std::size_t i = 0; i < value.size(); ++i) {
        if (!value[i].is_string()) {
            throw optionError(pointer + "/" + std::to_string(i), "expected a string");
        }
        out.push_back(value[i].get<std::string>());
    }
    return out;
}

// The CLI's options, as JSON: the same names as the command-line flags.
flopledger::AssessOptions parseOptions(const char* optionsJson, bool evaluate,
                                       const flopledger_t& handle) {
    flopledger::AssessOptions options;
    options.evaluate = evaluate;
    options.estimate.hardware = handle.hardware.get();
    options.catalog = handle.policies.get();
    if (optionsJson == nullptr) {
        return options;
    }
    nlohmann::json root;
    try {
        root = nlohmann::json::parse(optionsJson);
    } catch (const nlohmann::json::parse_error& e) {
        Diagnostic d;
        d.code = ErrorCode::JsonSyntax;
        d.file = kOptionsName;
        d.message = std::string("options_json is not valid JSON: ") + e.what();
        throw InputError(std::move(d));
    }
    if (root.is_null()) {
        return options;
    }
    if (!root.is_object()) {
        throw optionError("", "options_json must be a JSON object");
    }
    static const std::vector<std::string_view> keys = {"as_of",  "policies", "convention",
                                                       "prefer", "samples",  "seed"};
    for (const auto& [key, value] : root.items()) {
        const std::string pointer = "/" + key;
        if (key == "as_of") {
            if (!evaluate) {
                continue;  // accepted and ignored, as `estimate` has no dates
            }
            for (const std::string& text : stringList(value, pointer)) {
                auto date = flopledger::Date::parse(text);
                if (!date) {
                    throw optionError(pointer, "'" + text + "' is not a date (YYYY-MM-DD)");
                }
                options.asOf.push_back(*date);
            }
        } else if (key == "policies") {
            if (evaluate) {
                options.policies = stringList(value, pointer);
            }
        } else if (key == "convention") {
            if (!value.is_string()) {
                throw optionError(pointer, "expected a string");
            }
            auto convention = flopledger::parseConvention(value.get<std::string>());
            if (!convention) {
                throw optionError(pointer, "unknown convention '" + value.get<std::string>() +
                                               "' (matmul, kaplan, chinchilla, palm, megatron)");
            }
            options.estimate.convention = *convention;
        } else if (key == "prefer") {
            std::vector<flopledger::Method> prefer;
            for (const std::string& text : stringList(value, pointer)) {
                auto method = flopledger::parseMethod(text);
                if (!method) {
                    throw optionError(pointer, "unknown method '" + text +
                                                   "' (stated, architecture, six-nd, hardware)");
                }
                prefer.push_back(*method);
            }
            options.estimate.prefer = std::move(prefer);
        } else if (key == "samples") {
            if (!value.is_number_integer() || value.get<long long>() < 0 ||
                value.get<long long>() > 10'000'000) {
                throw optionError(pointer, "expected a whole number of samples in 0..10000000");
            }
            options.monteCarlo.samples = static_cast<int>(value.get<long long>());
        } else if (key == "seed") {
            if (!value.is_number_unsigned()) {
                throw optionError(pointer, "expected a non-negative whole number");
            }
            options.monteCarlo.seed = value.get<std::uint64_t>();
        } else {
            std::string hint = flopledger::didYouMean(key, keys);
            throw optionError(pointer, "unknown option '" + key + "'" +
                                           (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
        }
    }
    return options;
}

// Mirrors the CLI's whole-document path: read and validate every record, stop on any error, then
// assess the records as one registry (parents by id, frontier ranks) in input order.
std::string runPipeline(flopledger_t& handle, const char* records, const char* optionsJson,
                        bool evaluate) {
    flopledger::AssessOptions options = parseOptions(optionsJson, evaluate, handle);
    flopledger::RecordReader reader(flopledger::ReadLimits{}, handle.hardware.get());
    flopledger::ReadResult read = reader.readText(records, kRecordsName);
    for (const flopledger::Record& record : read.records) {
        for (Diagnostic& d : reader.validate(record)) {
            read.diagnostics.push_back(std::move(d));
        }
    }
    // readText may already have reported what validate() finds: each line once.
    std::string message;
    for (const Diagnostic& d : read.diagnostics) {
        const std::string line = d.toString();
        if (d.severity == flopledger::Severity::Error &&
            ("\n" + message + "\n").find("\n" + line + "\n") == std::string::npos) {
            message += (message.empty() ? "" : "\n") + line;
        }
    }
    if (!message.empty()) {
        throw std::runtime_error(message);
    }
    // Handles are single-threaded by contract, and a C host may not expect threads: one worker.
    const flopledger::Assessor assessor(std::move(options));
    return flopledger::jsonDocument(assessor.assessAll(std::move(read.records), 1), evaluate);
}

char* duplicate(const std::string& text) {
    char* out = static_cast<char*>(std::malloc(text.size() + 1));
    if (out == nullptr) {
        throw std::bad_alloc();
    }
    std::memcpy(out, text.c_str(), text.size() + 1);
    return out;
}

std::string describe(const std::exception& e) {
    if (const auto* input = dynamic_cast<const InputError*>(&e)) {
        return input->diagnostic().toString();
    }
    return e.what();
}

char* run(flopledger_t* handle, const char* records, const char* optionsJson, bool evaluate) {
    if (handle == nullptr) {
        threadError = "flopledger: handle is NULL";
        return nullptr;
    }
    try {
        handle->lastError.clear();
        if (records == nullptr) {
            handle->lastError = "flopledger: records is NULL";
            return nullptr;
        }
        return duplicate(runPipeline(*handle, records, optionsJson, evaluate));
    } catch (const std::bad_alloc&) {
        handle->lastError = "flopledger: out of memory";
    } catch (const std::exception& e) {
        try {
            handle->lastError = describe(e);
        } catch (...) {
            handle->lastError.clear();
        }
    } catch (...) {
        handle->lastError = "flopledger: internal error";
    }
    return nullptr;
}

}  // namespace

extern "C" {

flopledger_t* flopledger_new(const char* data_dir) {
    try {
        threadError.clear();
        auto handle = std::make_unique<flopledger_t>();
        if (data_dir != nullptr) {
            namespace fs = std::filesystem;
            const fs::path dir(data_dir);
            if (!fs::is_directory(dir)) {
                threadError = std::string(data_dir) + ": error " +
                              flopledger::codeText(ErrorCode::FileNotFound) +
                              ": data directory not found";
                return nullptr;
            }
            const fs::path hardwareDir = dir / "hardware";
            const fs::path policyDir = dir / "policies";
            if (!fs::is_directory(hardwareDir) && !fs::is_directory(policyDir)) {
                threadError = std::string(data_dir) + ": error " +
                              flopledger::codeText(ErrorCode::FileNotFound) +
                              ": data directory holds neither policies/ nor hardware/";
                return nullptr;
            }
            if (fs::is_directory(hardwareDir)) {
                handle->hardware = std::make_unique<flopledger::HardwareCatalog>(
                    flopledger::HardwareCatalog::fromDirectory(hardwareDir.string()));
            }
            if (fs::is_directory(policyDir)) {
                handle->policies = std::make_unique<flopledger::PolicyCatalog>(
                    flopledger::PolicyCatalog::fromDirectory(policyDir.string()));
            }
        }
        return handle.release();
    } catch (const std::bad_alloc&) {
        threadError = "flopledger: out of memory";
    } catch (const std::exception& e) {
        try {
            threadError = describe(e);
        } catch (...) {
            threadError.clear();
        }
    } catch (...) {
        threadError = "flopledger: internal error";
    }
    return nullptr;
}

char* flopledger_estimate(flopledger_t* handle, const char* records, const char* options_json) {
    return run(handle, records, options_json, false);
}

char* flopledger_assess(flopledger_t* handle, const char* records, const char* options_json) {
    return run(handle, records, options_json, true);
}

const char* flopledger_last_error(const flopledger_t* handle) {
    if (handle == nullptr) {
        return threadError.empty() ? kNoHandleMessage : threadError.c_str();
    }
    return handle->lastError.c_str();
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
