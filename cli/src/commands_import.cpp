// import epoch: an Epoch AI CSV export as JSON Lines records (epoch_import.hpp, toJson).
#include <flopledger_cli/atomic_output.hpp>
#include <flopledger_cli/cli.hpp>
#include <flopledger_cli/commands.hpp>

#include <flopledger/epoch_import.hpp>
#include <flopledger/record_reader.hpp>
#include <flopledger/registry_layers.hpp>

#include <fstream>
#include <set>
#include <sstream>

namespace flopledger::cli {

int commandImportEpoch(const Settings& s, std::istream& in, std::ostream& out, std::ostream& err) {
    const std::string& path = s.inputs.front();
    std::string text;
    if (path == "-") {
        std::ostringstream ss;
        ss << in.rdbuf();
        text = ss.str();
    } else {
        std::ifstream f(path, std::ios::binary);
        if (!f) {
            Diagnostic d;
            d.code = ErrorCode::FileNotFound;
            d.file = path;
            d.message = "cannot open '" + path + "' for reading";
            throw InputError(d);
        }
        std::ostringstream ss;
        ss << f.rdbuf();
        text = ss.str();
    }
    std::vector<Diagnostic> diags;
    ImportCounts counts;
    std::vector<ModelRecord> records = importEpochCsv(text, path, diags, &counts);
    // Every problem is printed. Warnings (bounds kept in notes, ...) do not stop the import;
    // an error (bad number, bad date, CSV syntax) means invalid input: exit 2 and, as for
    // assess, no partial output.
    bool fatal = false;
    for (const auto& d : diags) {
        err << d.toString() << "\n";
        fatal = fatal || d.severity == Severity::Error;
    }
    if (fatal) {
        return kExitInvalid;
    }
    std::string superseded;
    if (!s.curatedDir.empty()) {
        // The curated records alone: which imported rows they replace.
        ReadLimits limits;
        limits.lowerLayers = false;
        const ReadResult curated = RecordReader(limits).readPath(s.curatedDir);
        for (const auto& d : curated.diagnostics) err << d.toString() << "\n";
        if (!curated.ok()) return kExitInvalid;
        std::set<std::string> ids;
        for (const auto& r : records) ids.insert(r.id);
        std::size_t n = 0;
        for (const auto& r : curated.records) {
            const auto* m = std::get_if<ModelRecord>(&r);
            if (m && m->supersedes.rfind(kEpochLayerPrefix, 0) == 0 &&
                ids.count(m->supersedes.substr(std::string_view(kEpochLayerPrefix).size())))
                ++n;
        }
        superseded = ", " + std::to_string(n) + " superseded by curated records";
    }
    err << "import epoch: " << counts.records << " records, " << counts.withCompute
        << " with training compute, " << counts.flagged << " flagged (" << counts.artefacts
        << " export artefacts corrected, " << counts.implausible
        << " implausible figures not used), " << counts.withParent << " with a parent"
        << superseded << "\n";
    AtomicOutput output(s.output, out);
    std::ostream& o = output.stream();
    for (auto& r : records) {
        o << toJson(Record(std::move(r))) << '\n';
    }
    output.commit();
    return kExitOk;
}

}  // namespace flopledger::cli
