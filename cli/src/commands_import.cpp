// import epoch: an Epoch AI CSV export as JSON Lines records (epoch_import.hpp, toJson).
#include <flopledger_cli/atomic_output.hpp>
#include <flopledger_cli/cli.hpp>
#include <flopledger_cli/commands.hpp>

#include <flopledger/epoch_import.hpp>
#include <flopledger/input_files.hpp>
#include <flopledger/record_reader.hpp>
#include <flopledger/registry_layers.hpp>

#include <fstream>
#include <set>
#include <sstream>

namespace flopledger::inline v1::cli {

int commandImportEpoch(const Settings& s, std::istream& in, std::ostream& out, std::ostream& err) {
    const std::string& path = s.inputs.front();
    // Epoch's whole export is a few MB: 256 MiB bounds the memory of a hostile file (a 1 GB
    // quoted cell ran out of memory, exit 3) while leaving room for any real one.
    constexpr std::size_t kMaxCsvBytes = std::size_t{256} << 20;
    std::string text;
    if (path == "-") {
        std::vector<char> buf(std::size_t{1} << 16);
        while (text.size() <= kMaxCsvBytes) {
            in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
            const auto n = static_cast<std::size_t>(in.gcount());
            if (n == 0) break;
            text.append(buf.data(), n);
        }
    } else {
        std::vector<Diagnostic> openDiags;
        if (!readInput(path, text, kMaxCsvBytes, openDiags)) throw InputError(openDiags.front());
    }
    if (text.size() > kMaxCsvBytes) {
        throw InputError(Diagnostic{
            Severity::Error,
            ErrorCode::InputTooLarge,
            path,
            1,
            {},
            "the CSV is larger than the limit of " + std::to_string(kMaxCsvBytes) + " bytes"});
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
        << " implausible figures not used), " << counts.withParent << " with a parent" << superseded
        << "\n";
    AtomicOutput output(s.output, out);
    std::ostream& o = output.stream();
    for (auto& r : records) {
        o << toJson(Record(std::move(r))) << '\n';
    }
    output.commit();
    return kExitOk;
}

}  // namespace flopledger::cli
