// coverage: released models per status under each policy as of each step (coverage.hpp).
#include <flopledger_cli/atomic_output.hpp>
#include <flopledger_cli/audit_manifest.hpp>
#include <flopledger_cli/cli.hpp>
#include <flopledger_cli/commands.hpp>
#include <flopledger_cli/data_tables.hpp>

#include <flopledger/brief.hpp>
#include <flopledger/coverage.hpp>
#include <flopledger/policy_catalog.hpp>
#include <flopledger/record_reader.hpp>
#include <flopledger/sensitivity.hpp>

namespace flopledger::inline v1::cli {

namespace {

constexpr std::size_t kBriefBreakEvenRecords = 25;

// Whole-registry inputs (coverage and the brief need every record at once); false on errors,
// which are printed.
bool readAll(const Settings& s, const RecordReader& reader, std::vector<Record>& records,
             std::ostream& err, std::vector<Diagnostic>* warnings = nullptr) {
    std::size_t errors = 0;
    std::vector<std::string> paths = s.inputs;
    if (!s.recordJson.empty()) {
        paths.insert(paths.begin(), std::string());  // "": the what-if record from flags
    }
    for (const auto& path : paths) {
        ReadResult rr =
            path.empty() ? reader.readText(s.recordJson, "(flags)") : reader.readPath(path);
        for (const auto& rec : rr.records) {
            for (auto& d : reader.validate(rec)) {
                rr.diagnostics.push_back(std::move(d));
            }
        }
        for (const auto& d : rr.diagnostics) {
            if (d.severity == Severity::Error) {
                err << d.toString() << "\n";
                ++errors;
            } else if (warnings != nullptr) {
                warnings->push_back(d);
            }
        }
        for (auto& rec : rr.records) {
            records.push_back(std::move(rec));
        }
    }
    return errors == 0;
}

}  // namespace

int commandBrief(const Settings& s, std::vector<Record> extra, std::ostream& out,
                 std::ostream& err) {
    if (s.inputs.empty() && s.recordJson.empty()) {
        throw InputError(
            ErrorCode::Usage,
            "no input: give record files, directories, or a what-if record from flags");
    }
    DataTables data(s.dataDir);
    AssessOptions ao;
    ao.estimate.convention = parseConvention(s.convention).value_or(Convention::Matmul);
    ao.estimate.prefer = preferOrder(s.prefer);
    ao.estimate.hardware = data.hardware();
    ao.policies = splitList(s.policies);
    ao.asOf = parseDates(s.asOf);
    ao.monteCarlo.samples = s.samples;
    ao.monteCarlo.seed = s.seed;
    ao.monteCarlo.method = probabilityMethod(s);
    ao.catalog = data.policies();
    ao.assumeUndisclosed = parseAssumeUndisclosed(s.assumeUndisclosed);
    Assessor assessor(ao);
    ReadLimits limits;
    limits.lowerLayers = !s.curatedOnly;
    RecordReader reader(limits, data.hardware());
    std::vector<Record> records = std::move(extra);
    BriefOptions bo;
    if (!readAll(s, reader, records, err, &bo.warnings)) {
        return kExitInvalid;
    }
    bo.asOf = assessor.dates();
    bo.catalog = &assessor.catalog();
    for (const auto& id : assessor.policyIds()) {
        bo.policies.push_back(summarizePolicy(*assessor.catalog().find(id), bo.asOf.front()));
    }
    // The audit manifest's inputs: records per file, in first-seen order.
    std::vector<std::pair<std::string, std::size_t>> perFile;
    for (const Record& r : records) {
        const std::string& file = recordLocation(r).file;
        if (perFile.empty() || perFile.back().first != file) perFile.emplace_back(file, 0);
        ++perFile.back().second;
    }
    // Break-even values (contract 7.6) for a brief of a few models; a registry-wide brief points
    // at `flopledger sensitivity` instead (it would analyse every model).
    if (records.size() <= kBriefBreakEvenRecords) {
        SensitivityOptions so;
        so.estimate = ao.estimate;
        so.evaluation.hardware = data.hardware();
        bo.sensitivity = analyseSensitivity(records, data.policies()->select(assessor.policyIds()),
                                            bo.asOf.front(), so);
    }
    std::vector<RecordAssessment> results = assessor.assessAll(std::move(records), s.threads);
    const std::string brief = renderBrief(results, bo);
    Manifest manifest = manifestFor(assessor, "assess");
    manifest.options = manifestOptions(s, assessor.policyIds(), true);
    // The brief ends with the facts of its own manifest (its own hash cannot be in it).
    const std::string text = brief + "\n" + manifestMarkdown(withInputs(manifest, perFile), true);
    AtomicOutput output(s.output, out);
    output.stream() << text;
    output.commit();
    if (!s.manifest.empty()) writeManifest(s, std::move(manifest), perFile, sha256Hex(text));
    return 0;
}

int commandCoverage(const Settings& s, std::ostream& out, std::ostream& err) {
    DataTables data(s.dataDir);
    CoverageOptions co;
    co.assess.estimate.convention = parseConvention(s.convention).value_or(Convention::Matmul);
    co.assess.estimate.prefer = preferOrder(s.prefer);
    co.assess.estimate.hardware = data.hardware();
    co.assess.policies = splitList(s.policies);
    co.assess.catalog = data.policies();
    auto date = [](const std::string& text, const char* option) {
        auto d = text == "today" ? std::optional<Date>(Date::today()) : Date::parse(text);
        if (!d) {
            throw InputError(ErrorCode::BadDate, std::string(option) + " '" + text +
                                                     "' is not a date (YYYY, YYYY-MM or "
                                                     "YYYY-MM-DD)");
        }
        return *d;
    };
    co.from = date(s.from, "--from");
    co.to = date(s.to, "--to");
    co.step = s.step == "quarter" ? CoverageStep::Quarter : CoverageStep::Year;
    co.projection = s.projection;
    co.threads = s.threads;

    ReadLimits limits;
    limits.lowerLayers = !s.curatedOnly;
    RecordReader reader(limits, data.hardware());
    std::vector<Record> records;
    if (!readAll(s, reader, records, err)) {
        return kExitInvalid;
    }
    CoverageResult r = computeCoverage(std::move(records), co);
    AtomicOutput output(s.output, out);
    if (s.format == "csv") {
        output.stream() << coverageCsv(r);
    } else if (s.format == "json") {
        output.stream() << coverageJson(r);
    } else if (s.format == "md") {
        output.stream() << coverageMarkdown(r);
    } else {
        output.stream() << coverageText(r);
    }
    output.commit();
    return 0;
}

}  // namespace flopledger::cli
