// The audit manifest (contract 7.7): the facts that make a result reproducible, as JSON and as
// the closing section of a Markdown memo.
#include <flopledger/assessment.hpp>
#include <flopledger/hardware_catalog.hpp>
#include <flopledger/manifest.hpp>
#include <flopledger/policy_catalog.hpp>
#include <flopledger/version.hpp>

#include <nlohmann/json.hpp>

namespace flopledger::inline v1 {
namespace {

using Json = nlohmann::ordered_json;

std::string quoted(std::string_view text) {
    return Json(std::string(text)).dump();
}

template <typename T>
std::string jsonList(const std::vector<T>& items) {
    Json out = Json::array();
    for (const auto& item : items) out.push_back(std::string(toString(item)));
    return out.dump();
}

// The options every front end shares, from what the pipeline was really given.
void addSharedOptions(Manifest& m, const AssessOptions& options) {
    m.options.emplace_back("convention", quoted(toString(options.estimate.convention)));
    m.options.emplace_back("prefer", jsonList(options.estimate.prefer));
    if (options.evaluate) {
        m.options.emplace_back("samples", std::to_string(options.monteCarlo.samples));
        m.options.emplace_back(
            "probability_method",
            quoted(options.monteCarlo.method == ProbabilityMethod::MonteCarlo ? "monte-carlo"
                                                                              : "deterministic"));
        m.options.emplace_back("seed", std::to_string(options.monteCarlo.seed));
    }
}

DataSource hardwareSource(const AssessOptions& options) {
    return (options.estimate.hardware ? *options.estimate.hardware : HardwareCatalog::defaults())
        .dataSource();
}

Json fileJson(const ManifestFile& f) {
    Json j = Json::object();
    j["path"] = f.path;
    j["sha256"] = f.sha256.empty() ? Json(nullptr) : Json(f.sha256);  // stdin: not re-readable
    if (f.records) j["records"] = *f.records;
    return j;
}

Json sourceJson(const DataSource& d) {
    Json j = Json::object();
    j["source"] = d.source.empty() ? "in-memory" : d.source;
    j["sha256"] = d.sha256.empty() ? Json(nullptr) : Json(d.sha256);
    return j;
}

std::string dataLine(const char* what, const DataSource& d) {
    return std::string("- ") + what + ": " + (d.source.empty() ? "in-memory" : d.source) +
           (d.sha256.empty() ? "" : ", sha256 `" + d.sha256 + "`") + "\n";
}

// A few list lines (a brief is one page and has no tables).
std::string compactMarkdown(const Manifest& m) {
    std::string out = "## Audit manifest\n\n";
    out += std::string("- FLOP Ledger ") + kVersionString +
           (m.command.empty() ? "" : ", " + m.command);
    if (!m.asOf.empty()) {
        std::string dates;
        for (const Date& d : m.asOf) dates += (dates.empty() ? "" : ", ") + d.toString();
        out += " as of " + dates + (m.asOfDefaulted ? " (no date given: today, UTC)" : "");
    }
    out += "\n";
    // Both data sources on one line: the brief is one page (at most 40 lines).
    std::string data = dataLine("policy data", m.policyData);
    data.pop_back();
    out += data + "; " + dataLine("hardware data", m.hardwareData).substr(2);
    std::size_t records = 0;
    for (const auto& f : m.inputs) records += f.records.value_or(0);
    out += "- inputs: " + std::to_string(m.inputs.size()) +
           (m.inputs.size() == 1 ? " file, " : " files, ") + std::to_string(records) +
           (records == 1 ? " record" : " records") +
           "; every option and file hash: `--manifest FILE`\n";
    return out;
}

}  // namespace

Manifest manifestFor(const AssessOptions& options, std::string command) {
    Manifest m;
    m.command = std::move(command);
    if (options.evaluate) {
        m.asOf = options.asOf;
        m.asOfDefaulted = options.asOf.empty();
        if (m.asOfDefaulted) m.asOf.push_back(Date::today());
        Json ids = Json::array();
        for (const std::string& id : options.policies) ids.push_back(id);
        m.options.emplace_back("policies", ids.dump());
    }
    addSharedOptions(m, options);
    m.policyData = (options.catalog ? *options.catalog : PolicyCatalog::defaults()).dataSource();
    m.hardwareData = hardwareSource(options);
    return m;
}

Manifest manifestFor(const Assessor& assessor, std::string command) {
    const AssessOptions& options = assessor.options();
    Manifest m;
    m.command = std::move(command);
    if (options.evaluate) {
        m.asOf = assessor.dates();
        m.asOfDefaulted = assessor.asOfDefaulted();
        Json ids = Json::array();  // resolved: "all" written as the ids it meant
        for (const std::string& id : assessor.policyIds()) ids.push_back(id);
        m.options.emplace_back("policies", ids.dump());
    }
    addSharedOptions(m, options);
    m.policyData = assessor.catalog().dataSource();
    m.hardwareData = hardwareSource(options);
    return m;
}

std::string manifestJson(const Manifest& m) {
    Json j = Json::object();
    j["flopledger_version"] = kVersionString;
    if (!m.command.empty()) j["command"] = m.command;
    Json dates = Json::array();
    for (const Date& d : m.asOf) dates.push_back(d.toString());
    j["as_of"] = dates;
    j["as_of_defaulted"] = m.asOfDefaulted;
    Json options = Json::object();
    for (const auto& [name, value] : m.options) {
        options[name] = Json::parse(value, nullptr, false);
        if (options[name].is_discarded()) options[name] = value;  // not JSON: kept as text
    }
    j["options"] = options;
    j["policy_data"] = sourceJson(m.policyData);
    j["hardware_data"] = sourceJson(m.hardwareData);
    Json inputs = Json::array();
    for (const auto& f : m.inputs) inputs.push_back(fileJson(f));
    j["inputs"] = inputs;
    Json outputs = Json::array();
    for (const auto& f : m.outputs) outputs.push_back(fileJson(f));
    j["outputs"] = outputs;
    return j.dump(2) + "\n";
}

std::string manifestMarkdown(const Manifest& m, bool compact) {
    if (compact) return compactMarkdown(m);
    std::string out = "## Audit manifest\n\n";
    out += "| fact | value |\n|---|---|\n";
    out += "| flopledger_version | " + std::string(kVersionString) + " |\n";
    if (!m.command.empty()) out += "| command | " + m.command + " |\n";
    if (!m.asOf.empty()) {
        std::string dates;
        for (const Date& d : m.asOf) dates += (dates.empty() ? "" : ", ") + d.toString();
        out += "| as_of | " + dates + " |\n";
        out += std::string("| as_of_defaulted | ") +
               (m.asOfDefaulted ? "true (no date given: today, UTC)" : "false") + " |\n";
    }
    for (const auto& [name, value] : m.options) {
        out += "| option " + name + " | `" + value + "` |\n";
    }
    const auto source = [&](const char* what, const DataSource& d) {
        out += std::string("| ") + what + " | " + (d.source.empty() ? "in-memory" : d.source) +
               (d.sha256.empty() ? "" : ", sha256 `" + d.sha256 + "`") + " |\n";
    };
    source("policy_data", m.policyData);
    source("hardware_data", m.hardwareData);
    for (const auto& f : m.inputs) {
        out += "| input | " + f.path + (f.sha256.empty() ? "" : ", sha256 `" + f.sha256 + "`") +
               (f.records ? ", records: " + std::to_string(*f.records) : "") + " |\n";
    }
    return out;
}

}  // namespace flopledger::inline v1
