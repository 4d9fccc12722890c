// options_json: the CLI's options as JSON, checked as strictly as the CLI checks its flags.
#include "c_api_options.hpp"

#include <flopledger/date.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <set>
#include <string_view>
#include <vector>

namespace flopledger::inline v1::capi {
namespace {

using Json = nlohmann::json;
const std::string kOptionsName = "options";

InputError optionError(const std::string& pointer, const std::string& message,
                       ErrorCode code = ErrorCode::Usage) {
    Diagnostic d;
    d.code = code;
    d.file = kOptionsName;
    d.line = 1;
    d.pointer = pointer;
    d.message = message;
    return InputError(std::move(d));
}

std::vector<std::string> stringList(const Json& value, const std::string& pointer) {
    std::vector<std::string> out;
    if (value.is_string()) return {value.get<std::string>()};
    if (!value.is_array()) throw optionError(pointer, "expected a string or a list of strings");
    for (std::size_t i = 0; i < value.size(); ++i) {
        if (!value[i].is_string())
            throw optionError(pointer + "/" + std::to_string(i), "expected a string");
        out.push_back(value[i].get<std::string>());
    }
    return out;
}

// The CLI's --prefer: the named methods first, the others after them in the contract's order.
std::vector<Method> preferOrder(const std::vector<Method>& named) {
    std::vector<Method> out;
    for (Method m : named)
        if (std::find(out.begin(), out.end(), m) == out.end()) out.push_back(m);
    for (Method m : {Method::Stated, Method::Architecture, Method::SixNd, Method::Hardware})
        if (std::find(out.begin(), out.end(), m) == out.end()) out.push_back(m);
    return out;
}

Json parseStrict(const char* text) {
    // Duplicate keys are refused, as in records and policies: a parser callback sees each key.
    std::vector<std::set<std::string>> keys;
    std::string duplicate;
    Json::parser_callback_t cb = [&](int, Json::parse_event_t event, Json& parsed) {
        if (event == Json::parse_event_t::object_start) {
            keys.emplace_back();
        } else if (event == Json::parse_event_t::object_end) {
            if (!keys.empty()) keys.pop_back();
        } else if (event == Json::parse_event_t::key && !keys.empty()) {
            const std::string key = parsed.get<std::string>();
            if (!keys.back().insert(key).second && duplicate.empty()) duplicate = key;
        }
        return true;
    };
    Json root;
    try {
        root = Json::parse(text, cb);
    } catch (const Json::parse_error& e) {
        throw optionError("", std::string("options_json is not valid JSON: ") + e.what(),
                          ErrorCode::JsonSyntax);
    }
    if (!duplicate.empty())
        throw optionError("/" + duplicate, "option '" + duplicate + "' is given twice",
                          ErrorCode::DuplicateId);
    return root;
}

}  // namespace

void loadDataDir(const std::string& dirText, std::shared_ptr<HardwareCatalog>& hardware,
                 std::shared_ptr<PolicyCatalog>& policies) {
    namespace fs = std::filesystem;
    const fs::path dir(dirText);
    if (!fs::is_directory(dir))
        throw InputError(Diagnostic{
            Severity::Error, ErrorCode::FileNotFound, dirText, 0, {}, "data directory not found"});
    const fs::path hardwareDir = dir / "hardware";
    const fs::path policyDir = dir / "policies";
    if (!fs::is_directory(hardwareDir) && !fs::is_directory(policyDir))
        throw InputError(Diagnostic{Severity::Error,
                                    ErrorCode::FileNotFound,
                                    dirText,
                                    0,
                                    {},
                                    "data directory holds neither policies/ nor hardware/"});
    if (fs::is_directory(hardwareDir))
        hardware =
            std::make_shared<HardwareCatalog>(HardwareCatalog::fromDirectory(hardwareDir.string()));
    if (fs::is_directory(policyDir))
        policies =
            std::make_shared<PolicyCatalog>(PolicyCatalog::fromDirectory(policyDir.string()));
}

CallOptions parseOptions(const char* optionsJson, bool evaluate,
                         const std::shared_ptr<HardwareCatalog>& hardware,
                         const std::shared_ptr<PolicyCatalog>& policies) {
    CallOptions call;
    call.hardware = hardware;
    call.policies = policies;
    AssessOptions& options = call.assess;
    options.evaluate = evaluate;
    if (optionsJson == nullptr) {
        options.estimate.hardware = call.hardware.get();
        options.catalog = call.policies.get();
        return call;
    }
    const Json root = parseStrict(optionsJson);
    if (!root.is_null() && !root.is_object())
        throw optionError("", "options_json must be a JSON object");
    static const std::vector<std::string_view> keys = {
        "as_of",  "policies", "convention", "prefer", "samples", "seed",
        "format", "threads",  "data_dir",   "digits", "fail_on", "estimate",
        "assume_undisclosed", "confidence_intervals", "probability_method", "compact"};
    if (root.is_object()) {
        for (const auto& [key, value] : root.items()) {
            const std::string pointer = "/" + key;
            call.given.emplace_back(key, value.dump());
            if (key == "as_of") {
                for (const std::string& text : stringList(value, pointer)) {
                    auto date = Date::parse(text);
                    if (!date)
                        throw optionError(pointer, "'" + text + "' is not a date (YYYY-MM-DD)",
                                          ErrorCode::BadDate);
                    if (evaluate) options.asOf.push_back(*date);
                }
            } else if (key == "policies") {
                auto ids = stringList(value, pointer);
                if (evaluate) options.policies = std::move(ids);
            } else if (key == "convention") {
                if (!value.is_string()) throw optionError(pointer, "expected a string");
                auto convention = parseConvention(value.get<std::string>());
                if (!convention)
                    throw optionError(pointer,
                                      "unknown convention '" + value.get<std::string>() +
                                          "' (matmul, kaplan, chinchilla, palm, megatron)");
                options.estimate.convention = *convention;
            } else if (key == "prefer") {
                std::vector<Method> named;
                for (const std::string& text : stringList(value, pointer)) {
                    auto method = parseMethod(text);
                    if (!method)
                        throw optionError(pointer,
                                          "unknown method '" + text +
                                              "' (stated, architecture, six-nd, hardware)");
                    named.push_back(*method);
                }
                options.estimate.prefer = preferOrder(named);
            } else if (key == "samples") {
                if (!value.is_number_integer() || value.get<long long>() < 0 ||
                    value.get<long long>() > 1'000'000)
                    throw optionError(pointer, "expected a whole number of samples in 0..1000000");
                options.monteCarlo.samples = static_cast<int>(value.get<long long>());
            } else if (key == "probability_method") {
                if (!value.is_string() || (value != "deterministic" && value != "monte-carlo"))
                    throw optionError(pointer, "expected \"deterministic\" or \"monte-carlo\"");
                options.monteCarlo.method = value == "monte-carlo"
                                                ? ProbabilityMethod::MonteCarlo
                                                : ProbabilityMethod::Deterministic;
            } else if (key == "seed") {
                if (!value.is_number_unsigned())
                    throw optionError(pointer, "expected a non-negative whole number");
                options.monteCarlo.seed = value.get<std::uint64_t>();
            } else if (key == "format") {
                if (!value.is_string() || (value != "json" && value != "jsonl"))
                    throw optionError(pointer,
                                      "expected \"json\" or \"jsonl\" (the C API returns JSON)");
                call.format = value.get<std::string>();
            } else if (key == "threads") {
                if (!value.is_number_unsigned() || value.get<std::uint64_t>() > 4096)
                    throw optionError(pointer, "expected a whole number of threads in 0..4096");
                call.threads = static_cast<unsigned>(value.get<std::uint64_t>());
                call.threadsGiven = true;
            } else if (key == "data_dir") {
                if (!value.is_string()) throw optionError(pointer, "expected a directory name");
                loadDataDir(value.get<std::string>(), call.hardware, call.policies);
            } else if (key == "digits") {
                // Text and Markdown only: checked as the CLI checks it, no effect on JSON.
                if (!value.is_number_integer() || value.get<long long>() < 1 ||
                    value.get<long long>() > 40)
                    throw optionError(pointer, "expected a whole number of digits in 1..40");
            } else if (key == "fail_on") {
                // The CLI's exit status; a C caller reads the verdicts itself. Checked only.
                for (const std::string& text : stringList(value, pointer))
                    if (text != "exceeds" && text != "indeterminate")
                        throw optionError(
                            pointer, "unknown fail_on '" + text + "' (exceeds, indeterminate)");
            } else if (key == "assume_undisclosed") {
                // Contract 7.3: a number or a decimal string, read exactly; >= 0.
                std::string text;
                if (value.is_string())
                    text = value.get<std::string>();
                else if (value.is_number())
                    text = value.dump();
                else
                    throw optionError(pointer, "expected a non-negative ratio");
                Exact r;
                try {
                    r = parseExact(text);
                } catch (const std::exception&) {
                    throw optionError(pointer, "'" + text + "' is not a number");
                }
                if (r.sign() < 0) throw optionError(pointer, "the ratio must not be negative");
                options.assumeUndisclosed = r;
            } else if (key == "confidence_intervals") {
                if (!value.is_boolean()) throw optionError(pointer, "expected true or false");
                options.confidenceIntervals = value.get<bool>();
            } else if (key == "compact") {
                if (!value.is_boolean()) throw optionError(pointer, "expected true or false");
                call.compact = value.get<bool>();
            } else if (key == "estimate") {
                if (!value.is_boolean()) throw optionError(pointer, "expected true or false");
                call.estimateOnly = value.get<bool>();
            } else {
                const std::string hint = didYouMean(key, keys);
                throw optionError(pointer,
                                  "unknown option '" + key + "'" +
                                      (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
            }
        }
    }
    options.estimate.hardware = call.hardware.get();
    options.catalog = call.policies.get();
    return call;
}

}  // namespace flopledger::capi
