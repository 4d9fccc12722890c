// estimate, assess, policies, hardware, validate and plot.
#include <flopledger_cli/atomic_output.hpp>
#include <flopledger_cli/audit_manifest.hpp>
#include <flopledger_cli/cli.hpp>
#include <flopledger_cli/commands.hpp>
#include <flopledger_cli/data_tables.hpp>
#include <flopledger_cli/pipeline.hpp>

#include <flopledger/flopledger.hpp>
#include <flopledger/input_files.hpp>
#include <flopledger/registry_checks.hpp>

#include <nlohmann/json.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace flopledger::inline v1::cli {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

void writeAtomically(const Settings& s, std::ostream& out, const std::string& text) {
    AtomicOutput output(s.output, out);
    output.stream() << text;
    output.commit();
}

}  // namespace

std::string padRight(std::string_view s, std::size_t w) {
    std::string out(s);
    if (out.size() < w) {
        out.append(w - out.size(), ' ');
    }
    return out;
}

std::string rtrim(std::string s) {
    while (!s.empty() && s.back() == ' ') {
        s.pop_back();
    }
    return s;
}

std::vector<std::string> splitList(const std::vector<std::string>& values) {
    std::vector<std::string> out;
    for (const auto& v : values) {
        std::size_t start = 0;
        while (start <= v.size()) {
            std::size_t comma = v.find(',', start);
            if (comma == std::string::npos) {
                comma = v.size();
            }
            std::string item = v.substr(start, comma - start);
            if (!item.empty()) {
                out.push_back(item);
            }
            start = comma + 1;
        }
    }
    return out;
}

std::string joinList(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) {
        out += (out.empty() ? "" : ",") + i;
    }
    return out;
}

std::vector<Date> parseDates(const std::vector<std::string>& values) {
    // Every date multiplies the verdicts kept per record: 2,000 dates cost 1.5 GB (issue 18).
    constexpr std::size_t kMaxDates = 1000;
    if (values.size() > kMaxDates) {
        throw InputError(ErrorCode::LimitExceeded, std::to_string(values.size()) +
                                                       " --as-of dates: more than the limit of " +
                                                       std::to_string(kMaxDates));
    }
    std::vector<Date> out;
    for (const auto& v : values) {
        auto d = v == "today" ? std::optional<Date>(Date::today()) : Date::parse(v);
        if (!d) {
            throw InputError(ErrorCode::BadDate,
                             "--as-of '" + v + "' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)");
        }
        out.push_back(*d);
    }
    return out;
}

ProbabilityMethod probabilityMethod(const Settings& s) {
    return s.probabilityMethod == "monte-carlo" ? ProbabilityMethod::MonteCarlo
                                                : ProbabilityMethod::Deterministic;
}

std::vector<Method> preferOrder(const std::vector<std::string>& values) {
    std::vector<Method> order;
    for (const auto& name : splitList(values)) {
        auto m = parseMethod(name);
        if (!m) {
            throw InputError(ErrorCode::Usage, "--prefer '" + name +
                                                   "' is not a method (stated, architecture, "
                                                   "six-nd, hardware)");
        }
        if (std::find(order.begin(), order.end(), *m) == order.end()) {
            order.push_back(*m);
        }
    }
    // Methods not named keep the contract's order after the named ones.
    for (Method m : {Method::Stated, Method::Architecture, Method::SixNd, Method::Hardware}) {
        if (std::find(order.begin(), order.end(), m) == order.end()) {
            order.push_back(m);
        }
    }
    return order;
}

std::optional<Exact> parseAssumeUndisclosed(const std::string& text) {
    if (text.empty()) {
        return std::nullopt;
    }
    Exact r;
    try {
        r = parseExact(text);
    } catch (const std::exception&) {
        throw InputError(ErrorCode::Usage, "--assume-undisclosed: '" + text +
                                               "' is not a number (a ratio such as 1 or 0.5)");
    }
    if (r.sign() < 0) {
        throw InputError(ErrorCode::Usage, "--assume-undisclosed: the ratio must not be negative");
    }
    return r;
}

int commandAssess(const Settings& s, bool evaluate, std::istream& in, std::ostream& out,
                  std::ostream& err) {
    if (s.inputs.empty()) {
        throw InputError(ErrorCode::Usage,
                         "no input: give record files, directories, or - for standard input");
    }
    DataTables data(s.dataDir, s.allowEmpty);
    AssessOptions ao;
    ao.estimate.convention = parseConvention(s.convention).value_or(Convention::Matmul);
    ao.estimate.prefer = preferOrder(s.prefer);
    ao.estimate.hardware = data.hardware();
    ao.policies = splitList(s.policies);
    if (!s.policies.empty() && ao.policies.empty()) {
        // --policy "" or ",,,": evaluating "no policy" would pass every gate.
        std::string given;
        for (const auto& p : s.policies) {
            given += (given.empty() ? "" : " ") + std::string("\"") + p + "\"";
        }
        throw InputError(ErrorCode::EmptyPolicyList, "--policy " + given + " names no policy");
    }
    ao.asOf = parseDates(s.asOf);
    ao.monteCarlo.samples = s.samples;
    ao.monteCarlo.seed = s.seed;
    ao.monteCarlo.method = probabilityMethod(s);
    ao.evaluate = evaluate;
    ao.catalog = data.policies();
    ao.confidenceIntervals = s.confidenceIntervals != "off";
    ao.assumeUndisclosed = parseAssumeUndisclosed(s.assumeUndisclosed);
    const ReportFormat format = parseReportFormat(s.format).value_or(ReportFormat::Text);
    // What the report prints decides what is computed: the writer tells the engine (the text
    // table needs neither verdict texts nor probabilities; compact output no verdict texts).
    if (s.compact && format != ReportFormat::Json && format != ReportFormat::Jsonl &&
        format != ReportFormat::Csv) {
        throw InputError(ErrorCode::Usage, "--compact applies to --format json, jsonl and csv");
    }
    Assessor assessor(ao);

    ReportOptions ro;
    ro.format = format;
    ro.evaluate = evaluate;
    ro.digits = s.digits;
    ro.breakdown = s.breakdown;
    ro.compact = s.compact;
    ro.asOf = assessor.dates();
    ro.convention = ao.estimate.convention;
    ro.width = reportWidth();
    ro.allWarnings = s.warnings == "all";
    for (const auto& id : assessor.policyIds()) {
        ro.policies.push_back(summarizePolicy(*assessor.catalog().find(id), ro.asOf.front()));
    }

    std::vector<bool> failOn(2, false);
    for (const auto& f : splitList(s.failOn)) {
        failOn[f == "exceeds" ? 0 : 1] = true;
    }
    ReadLimits limits;
    limits.lowerLayers = !s.curatedOnly;
    RecordReader reader(limits, data.hardware());
    // --manifest with standard output: hash the bytes on their way out.
    HashingBuffer hashing(out.rdbuf());
    std::ostream hashedOut(&hashing);
    const bool hashStdout = !s.manifest.empty() && (s.output.empty() || s.output == "-");
    AtomicOutput output(s.output, hashStdout ? hashedOut : out);
    auto writer = ReportWriter::create(ro, output.stream());
    InputsOptions po = inputsOptions(s, evaluate, format, ro.policies);
    StatusSummary summary(ro.policies, ro.asOf, po.filter);
    if (po.statusLines) po.summary = &summary;
    InputsSummary r = assessInputs(s.inputs, reader, assessor, *writer, in, err, po);
    if (r.internalError) {
        output.discard();
        return kExitInternal;
    }
    if (r.errors > 0) {
        output.discard();
        return kExitInvalid;
    }
    if (po.statusLines) {
        std::ostream& o = output.stream();
        if (!po.writeRecords) {
            o << (format == ReportFormat::Markdown ? "# " : "") << "Models by status ("
              << summary.records() << (summary.records() == 1 ? " record" : " records")
              << " matched --only " << (s.only.empty() ? "any" : joinList(splitList(s.only)))
              << (s.inForceOnly ? ", policies in force only" : "") << ")\n";
            if (format == ReportFormat::Markdown) {
                summary.writeMarkdown(o);
            } else {
                summary.writeText(o, ro.width, true);
            }
        } else {
            writer->finish();
            // Written as it is made: the lists name every record (tens of MB for a registry).
            if (format == ReportFormat::Markdown) {
                o << "\n## Models by status\n";
                summary.writeMarkdown(o);
            } else {
                o << "\nModels by status:";
                summary.writeText(o, ro.width, false);
            }
        }
    } else {
        writer->finish();
    }
    Manifest manifest = manifestFor(assessor, evaluate ? "assess" : "estimate");
    manifest.options = manifestOptions(s, assessor.policyIds(), evaluate);
    if (format == ReportFormat::Markdown && po.writeRecords) {
        // The memo ends with the facts of its own manifest (its own hash cannot be in it).
        output.stream() << manifestMarkdown(withInputs(manifest, r.recordsPerFile));
    }
    output.commit();
    if (!s.manifest.empty()) {
        hashedOut.flush();
        writeManifest(s, std::move(manifest), r.recordsPerFile, hashing.hex());
    }
    const bool matched = (failOn[0] && r.exceeding > 0) || (failOn[1] && r.indeterminate > 0);
    return matched ? 1 : 0;
}

int commandPolicies(const Settings& s, bool show, std::ostream& out, std::ostream& /*err*/) {
    DataTables data(s.dataDir, s.allowEmpty);
    const PolicyCatalog& catalog = *data.policies();
    std::vector<Date> dates = parseDates(s.asOf);
    const Date asOf = dates.empty() ? Date::today() : dates.front();
    auto policyJson = [&](const Policy& p) {
        PolicyState st = p.stateOn(asOf);
        Json j = Json::object();
        j["id"] = p.id;
        j["title"] = p.title;
        j["jurisdiction"] = p.jurisdiction;
        j["instrument"] = policyCitation(p);
        j["effect"] = p.effect;
        j["illustrative"] = p.illustrative;
        j["as_of"] = asOf.toIsoDay();
        j["legal_status"] = std::string(toString(st.legalStatus));
        j["in_force"] = st.inForce;
        j["verified_on"] = p.verifiedOn ? p.verifiedOn->toIsoDay() : std::string();
        j["conditions"] = describeConditions(p);
        j["history"] = describeHistory(p);
        j["url"] = policyUrl(p);
        return j;
    };
    std::ostringstream text;
    if (show) {
        const Policy* p = catalog.find(s.id);
        if (p == nullptr) {
            std::vector<std::string> ids = catalog.ids();
            std::vector<std::string_view> views(ids.begin(), ids.end());
            std::string hint = didYouMean(s.id, views);
            throw InputError(ErrorCode::UnknownPolicy,
                             "no policy '" + s.id + "'" +
                                 (hint.empty() ? std::string("; see 'flopledger policies list'")
                                               : "; did you mean '" + hint + "'?"));
        }
        if (s.format == "json") {
            text << policyJson(*p).dump(2) << "\n";
        } else {
            PolicyState st = p->stateOn(asOf);
            text << describePolicy(*p);
            if (text.str().empty() || text.str().back() != '\n') {
                text << "\n";
            }
            text << "Status as of " << asOf.toIsoDay() << ": " << toString(st.legalStatus)
                 << (st.inForce ? " (in force)" : " (not in force)") << "\n";
        }
        writeAtomically(s, out, text.str());
        return 0;
    }
    if (s.format == "json") {
        Json arr = Json::array();
        for (const auto& p : catalog.all()) {
            arr.push_back(policyJson(p));
        }
        text << arr.dump(2) << "\n";
        writeAtomically(s, out, text.str());
        return 0;
    }
    std::size_t idW = 2;
    for (const auto& p : catalog.all()) {
        idW = std::max(idW, p.id.size());
    }
    text << "Policies as of " << asOf.toIsoDay() << " (* = illustrative, not in the default set)\n";
    text << padRight("id", idW + 1) << " " << padRight("legal status", 17)
         << padRight("in force", 9) << padRight("verified", 11) << "title\n";
    for (const auto& p : catalog.all()) {
        PolicyState st = p.stateOn(asOf);
        text << rtrim(padRight(p.id + (p.illustrative ? "*" : ""), idW + 1) + " " +
                      padRight(toString(st.legalStatus), 17) +
                      padRight(st.inForce ? "yes" : "no", 9) +
                      padRight(p.verifiedOn ? p.verifiedOn->toIsoDay() : "-", 11) + p.title)
             << "\n";
    }
    writeAtomically(s, out, text.str());
    return 0;
}

int commandHardware(const Settings& s, bool show, std::ostream& out, std::ostream& /*err*/) {
    DataTables data(s.dataDir, s.allowEmpty);
    const HardwareCatalog& catalog = *data.hardware();
    auto accJson = [](const Accelerator& a) {
        Json j = Json::object();
        j["id"] = a.id;
        j["name"] = a.name;
        j["vendor"] = a.vendor;
        Json peaks = Json::object();
        for (int p = 0; p < kPrecisionCount; ++p) {
            const auto& f = a.peaks[static_cast<std::size_t>(p)];
            if (!f) {
                continue;
            }
            Json pj = Json::object();
            pj["dense"] = formatExact(f->dense);
            if (f->sparse) {
                pj["sparse"] = formatExact(*f->sparse);
            }
            pj["source"] = f->source;
            pj["verification"] = f->verification;
            peaks[std::string(toString(static_cast<Precision>(p)))] = std::move(pj);
        }
        j["dense_peak_flop_per_s"] = std::move(peaks);
        j["notes"] = a.notes;
        return j;
    };
    std::ostringstream text;
    if (show) {
        const Accelerator* a = catalog.find(s.id);
        if (a == nullptr) {
            std::string hint = didYouMean(s.id, catalog.ids());
            throw InputError(ErrorCode::UnknownAccelerator,
                             "no accelerator '" + s.id + "'" +
                                 (hint.empty() ? std::string("; see 'flopledger hardware list'")
                                               : "; did you mean '" + hint + "'?"));
        }
        if (s.format == "json") {
            text << accJson(*a).dump(2) << "\n";
        } else {
            text << a->id << ": " << a->name << " (" << a->vendor << ")\n";
            text << "Dense peak per precision (FLOP/s; OP/s for int8); sparse figures are never "
                    "used:\n";
            for (int p = 0; p < kPrecisionCount; ++p) {
                const auto& f = a->peaks[static_cast<std::size_t>(p)];
                if (!f) {
                    continue;
                }
                text << "  " << padRight(toString(static_cast<Precision>(p)), 5) << " "
                     << padRight(formatScientific(f->dense, 4), 10);
                if (f->sparse) {
                    text << " (sparse " << formatScientific(*f->sparse, 4) << ")";
                }
                text << " [" << f->verification << "] " << f->source << "\n";
            }
            if (!a->notes.empty()) {
                text << "Notes: " << a->notes << "\n";
            }
        }
        writeAtomically(s, out, text.str());
        return 0;
    }
    if (s.format == "json") {
        Json arr = Json::array();
        for (const auto& a : catalog.all()) {
            arr.push_back(accJson(a));
        }
        text << arr.dump(2) << "\n";
        writeAtomically(s, out, text.str());
        return 0;
    }
    std::size_t idW = 2;
    for (const auto& a : catalog.all()) {
        idW = std::max(idW, a.id.size());
    }
    text << "Dense peak FLOP/s by precision (int8: OP/s), 3 significant digits\n";
    std::string header = padRight("id", idW) + " ";
    for (int p = 0; p < kPrecisionCount; ++p) {
        header += padRight(toString(static_cast<Precision>(p)), 9) + " ";
    }
    text << rtrim(header) << "\n";
    for (const auto& a : catalog.all()) {
        std::string line = padRight(a.id, idW) + " ";
        for (int p = 0; p < kPrecisionCount; ++p) {
            const auto& f = a.peaks[static_cast<std::size_t>(p)];
            line += padRight(f ? formatScientific(f->dense, 3) : std::string("-"), 9) + " ";
        }
        text << rtrim(line) << "\n";
    }
    writeAtomically(s, out, text.str());
    return 0;
}

namespace {

enum class FileKind { Records, Policy, Hardware };

FileKind detectKind(const std::string& path, const std::string& text) {
    const std::string parent = fs::path(path).parent_path().filename().string();
    if (parent == "policies") {
        return FileKind::Policy;
    }
    if (parent == "hardware") {
        return FileKind::Hardware;
    }
    // By content: the distinctive top-level keys of each format.
    const std::string head = text.substr(0, 4096);
    if (head.find("\"accelerators\"") != std::string::npos) {
        return FileKind::Hardware;
    }
    if (head.find("\"conditions\"") != std::string::npos ||
        head.find("\"cluster_conditions\"") != std::string::npos ||
        text.find("\"conditions\"") != std::string::npos) {
        return FileKind::Policy;
    }
    return FileKind::Records;
}

// Policy and hardware files are small: 64 MiB is far beyond any real one.
constexpr std::size_t kMaxDataFileBytes = std::size_t{64} << 20;

}  // namespace

int commandValidate(const Settings& s, std::ostream& out, std::ostream& err) {
    DataTables data(s.dataDir, s.allowEmpty);
    ReadLimits limits;
    limits.lowerLayers = !s.curatedOnly;
    RecordReader reader(limits, data.hardware());
    std::size_t errors = 0;
    std::size_t warnings = 0;
    auto report = [&](const std::vector<Diagnostic>& ds) {
        for (const auto& d : ds) {
            (d.severity == Severity::Error ? errors : warnings)++;
            err << d.toString() << "\n";
        }
    };
    // Expand directories: policies/ and hardware/ folders are checked file by file; any other
    // folder is a registry of record files.
    std::vector<std::string> files;
    for (const auto& path : s.inputs) {
        std::error_code ec;
        // "policies/" names the folder policies too.
        std::string trimmed = path;
        while (trimmed.size() > 1 && trimmed.back() == '/') {
            trimmed.pop_back();
        }
        const std::string name = fs::path(trimmed).filename().string();
        if (fs::is_directory(path, ec) && (name == "policies" || name == "hardware")) {
            std::vector<std::string> inside;
            for (const auto& e : fs::directory_iterator(path, ec)) {
                if (e.path().extension() == ".json") {
                    inside.push_back(e.path().string());
                }
            }
            std::sort(inside.begin(), inside.end());
            files.insert(files.end(), inside.begin(), inside.end());
        } else {
            files.push_back(path);
        }
    }
    for (const auto& path : files) {
        std::error_code ec;
        std::string text;
        const bool directory = fs::is_directory(path, ec);
        std::vector<Diagnostic> openDiags;
        if (!directory && path != "-" && !readInput(path, text, kMaxDataFileBytes, openDiags)) {
            report(openDiags);
            continue;
        }
        const FileKind kind = directory || path == "-" ? FileKind::Records : detectKind(path, text);
        const std::size_t before = errors;
        std::string what;
        if (kind == FileKind::Policy) {
            report(PolicyCatalog::validate(text, path));
            what = "policy";
        } else if (kind == FileKind::Hardware) {
            try {
                HardwareCatalog hw = HardwareCatalog::fromJson(text, path);
                what = std::to_string(hw.all().size()) + " accelerators";
            } catch (const InputError& e) {
                report({e.diagnostic()});
            }
        } else {
            ReadResult rr = reader.readPath(path);
            std::vector<Diagnostic> all = rr.diagnostics;
            for (auto& d : checkParents(rr.records)) {
                all.push_back(std::move(d));
            }
            for (const auto& rec : rr.records) {
                for (auto& d : reader.validate(rec)) {
                    all.push_back(std::move(d));
                }
            }
            if (rr.records.empty() && all.empty() && !s.allowEmpty) {
                all.push_back(Diagnostic{Severity::Error,
                                         ErrorCode::EmptyInput,
                                         path,
                                         0,
                                         {},
                                         "'" + path +
                                             "' holds no record (pass --allow-empty "
                                             "to accept zero records)"});
            }
            report(all);
            what = std::to_string(rr.records.size()) +
                   (rr.records.size() == 1 ? " record" : " records");
        }
        if (errors == before) {
            out << path << ": ok" << (what.empty() ? "" : ", " + what) << "\n";
        }
    }
    if (errors > 0) {
        out << errors << (errors == 1 ? " error" : " errors") << ", " << warnings
            << (warnings == 1 ? " warning" : " warnings") << "\n";
        return kExitInvalid;
    }
    return 0;
}

int commandPlot(const Settings& s, std::ostream& err) {
    const std::string ext = fs::path(s.output).extension().string();
    if (ext != ".png" && ext != ".svg" && ext != ".pdf") {
        throw InputError(ErrorCode::Usage,
                         "plot: -o must end in .png, .svg or .pdf, not '" + s.output + "'");
    }
    std::vector<std::string> candidates;
    if (const char* env = std::getenv("FLOPLEDGER_GUI"); env != nullptr && *env != '\0') {
        candidates.emplace_back(env);
    } else {
        std::error_code ec;
        fs::path self = fs::read_symlink("/proc/self/exe", ec);
        if (!ec) {
            candidates.push_back((self.parent_path() / "flopledger-gui").string());
            candidates.push_back(
                (self.parent_path().parent_path() / "gui" / "flopledger-gui").string());
        }
    }
    std::string gui;
    for (const auto& c : candidates) {
        if (::access(c.c_str(), X_OK) == 0) {
            gui = c;
            break;
        }
    }
    if (gui.empty()) {
        Diagnostic d;
        d.code = ErrorCode::FileNotFound;
        d.message =
            "plot needs flopledger-gui (not found next to flopledger, in ../gui/ or at "
            "$FLOPLEDGER_GUI); build with -DFLOPLEDGER_BUILD_GUI=ON";
        err << d.toString() << "\n";
        return kExitInvalid;
    }
    std::vector<std::string> args = {gui, "--plot", s.output};
    for (const auto& d : s.asOf) {
        args.insert(args.end(), {"--as-of", d});
    }
    for (const auto& id : splitList(s.policies)) {
        args.insert(args.end(), {"--policy", id});
    }
    // coverage's defaults ("2018", "today") are not plot's: only what was given goes through.
    for (const auto& [flag, value] : {std::pair<const char*, std::string>{"--from", s.plotFrom},
                                      {"--to", s.plotTo},
                                      {"--ymin", s.ymin},
                                      {"--ymax", s.ymax}}) {
        if (!value.empty()) {
            args.insert(args.end(), {flag, value});
        }
    }
    if (s.plotCoverage) {
        args.push_back("--coverage");
    }
    args.push_back("--");
    args.insert(args.end(), s.inputs.begin(), s.inputs.end());
    std::vector<char*> argv;
    for (auto& a : args) {
        argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    err.flush();
    pid_t pid = ::fork();
    if (pid < 0) {
        throw InputError(ErrorCode::Internal,
                         std::string("cannot start ") + gui + ": " + std::strerror(errno));
    }
    if (pid == 0) {
        ::execv(gui.c_str(), argv.data());
        ::_exit(127);
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            throw InputError(ErrorCode::Internal, "cannot wait for flopledger-gui");
        }
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        return kExitOk;
    }
    // A failing renderer is an error of its own (exit 2 with a message), never exit 1, which
    // means "a --fail-on condition matched".
    Diagnostic d;
    d.code = ErrorCode::RendererFailed;
    d.file = s.output;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
        d.code = ErrorCode::FileNotFound;
        d.message = "cannot run " + gui;
    } else if (WIFEXITED(status)) {
        d.message = "the renderer '" + gui + "' exited with status " +
                    std::to_string(WEXITSTATUS(status)) + "; no chart was written";
    } else {
        d.message = "the renderer '" + gui + "' was killed by signal " +
                    std::to_string(WTERMSIG(status)) + "; no chart was written";
    }
    err << d.toString() << "\n";
    return kExitInvalid;
}

}  // namespace flopledger::inline v1::cli
