// _flopledger: the compiled half of the Python module (python/flopledger/__init__.py is the
// other). It runs the same pipeline as the CLI and the C API (the C API's options parser is
// compiled in, so options_json and Python keyword arguments mean the same) and returns the
// JSON text, which the Python side turns into objects: results equal the JSON documents.
// The GIL is released while the pipeline runs.
#include "c_api_options.hpp"

#include <flopledger/assessment.hpp>
#include <flopledger/compact.hpp>
#include <flopledger/manifest.hpp>
#include <flopledger/record_reader.hpp>
#include <flopledger/sensitivity.hpp>
#include <flopledger/version.hpp>

#include <pybind11/pybind11.h>

#include <map>
#include <optional>
#include <string>

namespace py = pybind11;
using namespace flopledger;

namespace {

// The outcome of one call: result and manifest, or the diagnostics of a failure.
struct Outcome {
    std::string result;
    std::string manifest;
    std::vector<Diagnostic> errors;  ///< non-empty: the call failed
};

ReadResult readInput(const RecordReader& reader, const std::string& kind, const std::string& value,
                     std::map<std::string, std::size_t>& perFile) {
    ReadResult read = kind == "path" ? reader.load(value) : reader.loadText(value, "records");
    for (const Record& r : read.records) ++perFile[recordLocation(r).file];
    return read;
}

Outcome runCall(const std::string& command, const std::string& kind, const std::string& value,
                const std::string& optionsJson) {
    Outcome out;
    try {
        const bool evaluate = command != "estimate";
        capi::CallOptions call =
            capi::parseOptions(optionsJson.c_str(), evaluate, nullptr, nullptr);
        if (!call.threadsGiven) call.threads = 0;  // Python callers wait for the result: all cores
        RecordReader reader(ReadLimits{}, call.hardware.get());
        std::map<std::string, std::size_t> perFile;
        ReadResult read = readInput(reader, kind, value, perFile);
        for (const Diagnostic& d : read.diagnostics)
            if (d.severity == Severity::Error) out.errors.push_back(d);
        if (!out.errors.empty()) return out;
        const Assessor assessor(call.assess);
        Manifest manifest = manifestFor(assessor, command);
        if (command == "sensitivity") {
            SensitivityOptions so;
            so.estimate = call.assess.estimate;
            so.evaluation.hardware = call.hardware.get();
            so.evaluation.monteCarlo = call.assess.monteCarlo;
            std::vector<const Policy*> policies;
            for (const std::string& id : assessor.policyIds())
                policies.push_back(assessor.catalog().find(id));
            out.result = sensitivityJson(
                analyseSensitivity(read.records, policies, assessor.dates().front(), so));
        } else {
            const auto results = assessor.assessAll(std::move(read.records), call.threads);
            if (call.compact) {
                out.result = call.format == "jsonl" ? compactJsonLinesDocument(results, evaluate)
                                                    : compactJsonDocument(results, evaluate);
            } else {
                out.result = call.format == "jsonl" ? jsonLinesDocument(results, evaluate)
                                                    : jsonDocument(results, evaluate);
            }
        }
        manifest.options.clear();
        for (const auto& [k, v] : call.given) manifest.options.emplace_back(k, v);
        if (kind == "path") {
            for (const auto& [file, count] : perFile)
                manifest.inputs.push_back({file, sha256File(file), count});
        } else {
            std::size_t count = 0;
            for (const auto& [file, n] : perFile) count += n;
            manifest.inputs.push_back({"records", sha256Hex(value), count});
        }
        manifest.outputs.push_back({"result", sha256Hex(out.result), std::nullopt});
        out.manifest = manifestJson(manifest);
    } catch (const InputError& e) {
        out.errors.push_back(e.diagnostic());
    }
    return out;
}

py::tuple run(const std::string& command, const std::string& kind, const std::string& value,
              const std::string& optionsJson) {
    Outcome out;
    {
        py::gil_scoped_release release;  // the pipeline touches no Python object
        out = runCall(command, kind, value, optionsJson);
    }
    if (out.errors.empty()) return py::make_tuple(true, out.result, out.manifest);
    py::list lines;
    for (const Diagnostic& d : out.errors) lines.append(d.toString());
    const Diagnostic& first = out.errors.front();
    return py::make_tuple(false, codeText(first.code), first.line, first.pointer, first.message,
                          lines);
}

}  // namespace

PYBIND11_MODULE(_flopledger, m) {
    m.doc() = "FLOP Ledger core (use the flopledger package, not this module)";
    m.def("run", &run, py::arg("command"), py::arg("kind"), py::arg("value"),
          py::arg("options_json"));
    m.attr("__version__") = kVersionString;
}
