// The `flopledger` command line: CLI11 definitions and the commands of docs/cli.md.
#include <flopledger_cli/atomic_output.hpp>
#include <flopledger_cli/cli.hpp>
#include <flopledger_cli/commands.hpp>
#include <flopledger_cli/pipeline.hpp>

#include <flopledger/flopledger.hpp>
#include <flopledger/what_if_record.hpp>

#include <CLI/CLI.hpp>

#include <malloc.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>

namespace flopledger::inline v1::cli {
namespace {

Diagnostic usageError(std::string message) {
    Diagnostic d;
    d.code = ErrorCode::Usage;
    d.message = std::move(message);
    return d;
}

std::size_t terminalWidth() {
    winsize ws{};
    if (::isatty(STDOUT_FILENO) != 0 && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
        ws.ws_col > 0) {
        return std::clamp<std::size_t>(ws.ws_col, 80, 200);
    }
    return 100;
}

const char* kMainFooter =
    R"(Exit codes: 0 success, 1 a --fail-on condition matched, 2 invalid input or usage,
3 internal error. Diagnostics go to stderr as FILE:LINE[:JSON-POINTER]: error CODE: message.
Run 'flopledger COMMAND --help' for the options and examples of a command.)";

// The commands that share the report options; sensitivity writes text, json and md only.
enum class ReportKind { Estimate, Assess, Sensitivity };

// A what-if record from flags (what_if_record.hpp); numbers take suffixes (70B, 15T).
void addWhatIfOptions(CLI::App* cmd, Settings& s) {
    const std::vector<std::pair<const char*, const char*>> fieldHelp = {
        {"id", "what-if record: id (default what-if)"},
        {"name", "what-if record: display name"},
        {"released", "what-if record: release date"},
        {"revenue", "what-if record: developer revenue in USD"},
        {"params", "what-if record: parameters, e.g. 70B"},
        {"active-params", "what-if record: active parameters (MoE)"},
        {"layers", "what-if record: shape: layers"},
        {"d-model", "what-if record: shape: model width"},
        {"heads", "what-if record: shape: attention heads"},
        {"kv-heads", "what-if record: shape: key/value heads"},
        {"ffn", "what-if record: shape: feed-forward width"},
        {"vocab", "what-if record: shape: vocabulary"},
        {"seq-len", "what-if record: training sequence length"},
        {"tokens", "what-if record: training tokens, e.g. 15T"},
        {"flop", "what-if record: stated training FLOP"},
        {"accelerator", "what-if record: accelerator id or alias (h100, \"H100 SXM\")"},
        {"count", "what-if record: number of accelerators"},
        {"days", "what-if record: wall-clock days of training"},
        {"hours", "what-if record: wall-clock hours of training"},
        {"utilization", "what-if record: utilization, 0.38 or 38%"},
        {"precision", "what-if record: bf16, fp8, ..."},
    };
    for (const auto& [name, help] : fieldHelp) {
        std::string field = name;
        // `s` is run()'s Settings, alive until the command has run.
        cmd->add_option_function<std::string>(
               std::string("--") + name,
               [&s, field](const std::string& v) { s.fields.emplace_back(field, v); }, help)
            ->group("What-if record (instead of files)");
    }
}

void addFormatOption(CLI::App* cmd, Settings& s, ReportKind kind) {
    if (kind == ReportKind::Sensitivity) {
        cmd->add_option("--format", s.format, "output format: text, json, md")
            ->check(CLI::IsMember({"text", "json", "md"}));
    } else if (kind == ReportKind::Assess) {
        cmd->add_option("--format", s.format,
                        "output format: text, json, jsonl, csv, md, brief (a page of "
                        "Markdown per model for a briefing)")
            ->check(CLI::IsMember({"text", "json", "jsonl", "csv", "md", "brief"}));
    } else {
        cmd->add_option("--format", s.format, "output format: text, json, jsonl, csv, md")
            ->check(CLI::IsMember({"text", "json", "jsonl", "csv", "md"}));
    }
}

// The options that choose what is evaluated: assess and sensitivity.
void addPolicyOptions(CLI::App* cmd, Settings& s) {
    cmd->add_option("--assume-undisclosed", s.assumeUndisclosed,
                    "RATIO: undisclosed stages together at most RATIO x the disclosed "
                    "counted compute; lower-bound verdicts are decided on that bound");
    cmd->add_option("--policy", s.policies,
                    "policy id (repeatable or comma-separated); default: all shipped "
                    "legal policies; 'everything' adds illustrative ones")
        ->allow_extra_args(false);
    cmd->add_option("--as-of", s.asOf,
                    "evaluate as of DATE (YYYY-MM-DD, repeatable; default today, UTC)")
        ->allow_extra_args(false);
    cmd->add_option("--fail-on", s.failOn,
                    "exit 1 when a verdict of a policy in force matches: exceeds, "
                    "indeterminate (also unknown)")
        ->check(CLI::IsMember({"exceeds", "indeterminate"}))
        ->delimiter(',')
        ->allow_extra_args(false);
}

// The options of estimate, assess and sensitivity, in the order --help lists them.
void addReportOptions(CLI::App* cmd, Settings& s, ReportKind kind) {
    const bool sensitivity = kind == ReportKind::Sensitivity;
    addFormatOption(cmd, s, kind);
    if (!sensitivity) {
        cmd->add_flag("--compact", s.compact,
                      "json, jsonl, csv: only the decision fields, without what is the same "
                      "for every record (policy titles, notes; docs/cli.md)");
    }
    cmd->add_option("--convention", s.convention,
                    "architecture convention: matmul (default), kaplan, chinchilla, palm, "
                    "megatron")
        ->check(CLI::IsMember({"matmul", "kaplan", "chinchilla", "palm", "megatron"}));
    cmd->add_option("--prefer", s.prefer,
                    "METHOD[,METHOD...]: order in which a stage's value is chosen among "
                    "stated, architecture, six-nd, hardware")
        ->delimiter(',')
        ->allow_extra_args(false);
    cmd->add_option("--digits", s.digits, "significant digits in text and md output")
        ->check(CLI::Range(1, 40));
    cmd->add_option("-o,--output", s.output, "write to FILE atomically instead of stdout");
    cmd->add_option("--threads", s.threads, "worker threads (default: all cores)");
    cmd->add_option("--data-dir", s.dataDir,
                    "DIR with policies/ and/or hardware/ that replace the embedded tables");
    cmd->add_option("--samples", s.samples,
                    "Monte Carlo draws per record with --probability-method monte-carlo "
                    "(0: no probabilities, with either method)")
        ->check(CLI::Range(0, 1000000));
    cmd->add_option("--probability-method", s.probabilityMethod,
                    "deterministic (default: exact for one uncertain input, quadrature "
                    "beyond) or monte-carlo (the reference: --samples seeded draws)")
        ->check(CLI::IsMember({"deterministic", "monte-carlo"}));
    cmd->add_option("--seed", s.seed, "Monte Carlo seed (0 to 2^64-1)")
        ->check(CLI::NonNegativeNumber);
    cmd->add_flag("--allow-empty", s.allowEmpty,
                  "accept empty inputs (and an empty policies/ folder) as zero records "
                  "instead of error E206/E721");
    cmd->add_option("--confidence-intervals", s.confidenceIntervals,
                    "on (default): a stated point with a confidence label (confident, "
                    "likely, speculative) is read as an interval; off: kept as a point")
        ->check(CLI::IsMember({"on", "off"}));
    cmd->add_flag("--curated-only", s.curatedOnly,
                  "a directory's curated records only, without the Epoch AI layer in its "
                  "epoch/ folder");
    cmd->add_option("--manifest", s.manifest,
                    "write the audit manifest (version, dates, options, data and file "
                    "hashes) to FILE as JSON");
    if (kind != ReportKind::Estimate) {
        addPolicyOptions(cmd, s);
    }
    if (!sensitivity) {
        cmd->add_option("--warnings", s.warnings,
                        "text: 'summary' (default) counts warnings and assumptions by code; "
                        "'all' lists every one (json always has them all)")
            ->check(CLI::IsMember({"summary", "all"}));
    }
    addWhatIfOptions(cmd, s);
    if (kind == ReportKind::Assess) {
        cmd->add_option("--only", s.only,
                        "STATUS[,STATUS]: only models with a verdict in these statuses "
                        "(exceeds, indeterminate, below, unknown, not-released); text and md "
                        "print their names per policy")
            ->allow_extra_args(false);
        cmd->add_flag("--in-force-only", s.inForceOnly,
                      "with --only (or in the summary): only policies in force on the date");
    }
}

// The commands whose `parsed()` decides what runs (dispatch()).
struct Commands {
    CLI::App* estimate = nullptr;
    CLI::App* assess = nullptr;
    CLI::App* sensitivity = nullptr;
    CLI::App* policiesList = nullptr;
    CLI::App* policiesShow = nullptr;
    CLI::App* hardwareList = nullptr;
    CLI::App* hardwareShow = nullptr;
    CLI::App* importEpoch = nullptr;
    CLI::App* validate = nullptr;
    CLI::App* coverage = nullptr;
    CLI::App* plot = nullptr;
};

CLI::App* addEstimate(CLI::App& app, Settings& s) {
    CLI::App* estimate = app.add_subcommand("estimate", "estimate every stage and the total");
    estimate->add_option("inputs", s.inputs, "record files, directories, or - for stdin");
    addReportOptions(estimate, s, ReportKind::Estimate);
    estimate->add_flag("--breakdown", s.breakdown,
                       "json/jsonl: each architecture stage's FLOP by component");
    estimate->footer(R"(Examples:
  flopledger estimate models/gpt-3-175b.json
  flopledger estimate models/deepseek-v3.json --format json --breakdown
  flopledger estimate models/ --convention kaplan --format json
  flopledger estimate --prefer hardware,stated registry.jsonl
  cat registry.jsonl | flopledger estimate - --format jsonl)");
    return estimate;
}

CLI::App* addAssess(CLI::App& app, Settings& s) {
    CLI::App* assess = app.add_subcommand("assess", "estimate, then evaluate policies");
    assess->add_option("inputs", s.inputs, "record files, directories, or - for stdin");
    addReportOptions(assess, s, ReportKind::Assess);
    assess->footer(R"(Examples:
  flopledger assess models/
  flopledger assess models/ --format md -o report.md
  flopledger assess models/ --policy eu-ai-act-art51 --as-of 2025-08-02 --as-of 2026-06-01
  flopledger assess registry.jsonl --format jsonl --threads 2 > verdicts.jsonl
  flopledger assess models/ --fail-on exceeds   # exit 1 if a policy in force is exceeded

--fail-on exceeds: exit 1 when any verdict of a policy in force (as of the date) is "exceeds".
--fail-on indeterminate: exit 1 when such a verdict is "indeterminate" or "unknown".
Invalid input: every diagnostic is printed, nothing is written with -o, exit 2.)");
    return assess;
}

CLI::App* addSensitivity(CLI::App& app, Settings& s) {
    CLI::App* sensitivity =
        app.add_subcommand("sensitivity", "which accounting choices flip which verdict");
    sensitivity->add_option("file", s.inputs, "record file (or a what-if record from flags)");
    addReportOptions(sensitivity, s, ReportKind::Sensitivity);
    sensitivity->footer(R"(Examples:
  flopledger sensitivity models/llama-3.1-405b.json
  flopledger sensitivity models/gpt-4.json --policy eu-ai-act-art51 --format json)");
    return sensitivity;
}

// policies list / show.
void addPolicies(CLI::App& app, Settings& s, Commands& c) {
    CLI::App* policies = app.add_subcommand("policies", "the shipped policies");
    policies->require_subcommand(1);
    c.policiesList = policies->add_subcommand("list", "list the policies");
    c.policiesShow = policies->add_subcommand("show", "describe one policy");
    c.policiesShow->add_option("id", s.id, "policy id")->required();
    for (CLI::App* sub : {c.policiesList, c.policiesShow}) {
        sub->add_option("--format", s.format, "text or json")
            ->check(CLI::IsMember({"text", "json"}));
        sub->add_option("--as-of", s.asOf, "status as of DATE (default today, UTC)");
        sub->add_option("--data-dir", s.dataDir, "DIR with policies/ replacing the embedded ones");
        sub->add_option("-o,--output", s.output, "write to FILE atomically");
    }
    policies->footer(R"(Examples:
  flopledger policies list
  flopledger policies list --as-of 2025-01-01
  flopledger policies show eu-ai-act-art51)");
}

// hardware list / show.
void addHardware(CLI::App& app, Settings& s, Commands& c) {
    CLI::App* hardware = app.add_subcommand("hardware", "the accelerator table");
    hardware->require_subcommand(1);
    c.hardwareList = hardware->add_subcommand("list", "list the accelerators");
    c.hardwareShow = hardware->add_subcommand("show", "describe one accelerator");
    c.hardwareShow->add_option("id", s.id, "accelerator id")->required();
    for (CLI::App* sub : {c.hardwareList, c.hardwareShow}) {
        sub->add_option("--format", s.format, "text or json")
            ->check(CLI::IsMember({"text", "json"}));
        sub->add_option("--data-dir", s.dataDir, "DIR with hardware/ replacing the embedded table");
        sub->add_option("-o,--output", s.output, "write to FILE atomically");
    }
    hardware->footer(R"(Examples:
  flopledger hardware list
  flopledger hardware show nvidia-h100-sxm)");
}

// import epoch; returns the epoch subcommand.
CLI::App* addImport(CLI::App& app, Settings& s) {
    CLI::App* import = app.add_subcommand("import", "convert other registries to records");
    import->require_subcommand(1);
    CLI::App* importEpoch = import->add_subcommand("epoch", "an Epoch AI CSV export");
    importEpoch->add_option("csv", s.inputs, "the CSV file, or - for stdin")->required();
    importEpoch->add_option("-o,--output", s.output, "write JSON Lines to FILE atomically");
    importEpoch->add_option("--curated", s.curatedDir,
                            "DIR of curated records: the summary counts the rows they supersede");
    import->footer(R"(Examples:
  flopledger import epoch all_ml_systems.csv -o epoch.jsonl
  flopledger import epoch all_ml_systems.csv | flopledger assess - --format csv)");
    return importEpoch;
}

CLI::App* addValidate(CLI::App& app, Settings& s) {
    CLI::App* validate = app.add_subcommand("validate", "check record, policy or hardware files");
    validate->add_option("files", s.inputs, "files or directories")->required();
    validate->add_option("--data-dir", s.dataDir, "DIR with hardware/ used to check records");
    validate->add_flag("--allow-empty", s.allowEmpty, "accept empty inputs as zero records");
    validate->add_flag("--curated-only", s.curatedOnly,
                       "a directory's curated records only, without its epoch/ layer");
    validate->footer(R"(Examples:
  flopledger validate models/
  flopledger validate policies/*.json hardware/accelerators.json
A file is a policy when it lies in a folder named policies or has "conditions"; hardware
when it lies in a folder named hardware or has "accelerators"; records otherwise.
Every problem is reported; exit 2 if any error.)");
    return validate;
}

CLI::App* addCoverage(CLI::App& app, Settings& s) {
    CLI::App* coverage = app.add_subcommand(
        "coverage", "how many released models each threshold covers, date by date");
    coverage->add_option("inputs", s.inputs, "record files or directories (default: models/)");
    coverage->add_option("--policy", s.policies,
                         "policy id (repeatable or comma-separated); default: all shipped legal "
                         "policies");
    coverage->add_option("--from", s.from,
                         "first date (YYYY, YYYY-MM or YYYY-MM-DD; default 2018)");
    coverage->add_option("--to", s.to, "last date (default today, UTC)");
    coverage->add_option("--step", s.step, "year (default) or quarter")
        ->check(CLI::IsMember({"year", "quarter"}));
    coverage->add_flag("--projection", s.projection,
                       "add a fitted trend of the largest model per year and when it reaches "
                       "each threshold (labelled as a projection)");
    coverage->add_option("--format", s.format, "text, csv, json, md")
        ->check(CLI::IsMember({"text", "csv", "json", "md"}));
    coverage->add_option("--convention", s.convention, "architecture convention (default matmul)")
        ->check(CLI::IsMember({"matmul", "kaplan", "chinchilla", "palm", "megatron"}));
    coverage->add_option("--data-dir", s.dataDir,
                         "DIR with policies/ and/or hardware/ that replace the embedded tables");
    coverage->add_option("--threads", s.threads, "worker threads (default: all cores)");
    coverage->add_flag("--curated-only", s.curatedOnly,
                       "a directory's curated records only, without its epoch/ layer");
    coverage->add_option("-o,--output", s.output, "write to FILE atomically instead of stdout");
    coverage->footer(R"(Examples:
  flopledger coverage models/ --policy eu-ai-act-art51 --from 2020 --to 2026
  flopledger coverage models/ --step quarter --from 2023 --to 2025 --format csv
  flopledger coverage models/ --projection
A model counts from its release date on; one without a release date is never counted.
"straddles": the model's uncertainty interval contains the threshold (assess: indeterminate).
The counts at each date are those of 'flopledger assess --as-of DATE' on the same records.)");
    return coverage;
}

CLI::App* addPlot(CLI::App& app, Settings& s) {
    CLI::App* plot = app.add_subcommand("plot", "the models-versus-thresholds chart");
    plot->add_option("files", s.inputs, "record files or directories")->required();
    plot->add_option("-o,--output", s.output, "OUT.png, OUT.svg or OUT.pdf")->required();
    plot->add_option("--as-of", s.asOf, "chart as of DATE (default today, UTC)");
    plot->add_option("--policy", s.policies,
                     "policy to colour by (repeatable; the first colours the points)");
    plot->add_option("--from", s.plotFrom, "x axis from DATE (default: fits the data)");
    plot->add_option("--to", s.plotTo, "x axis to DATE");
    plot->add_option("--ymin", s.ymin, "y axis from FLOP, e.g. 1e20 (default: fits the data)");
    plot->add_option("--ymax", s.ymax, "y axis to FLOP, e.g. 1e28");
    plot->add_flag("--coverage", s.plotCoverage,
                   "threshold coverage over time (steps per policy) instead of the chart");
    plot->footer(R"(Examples:
  flopledger plot models/ -o chart.png
  flopledger plot models/ -o chart.svg --policy eu-ai-act-art51 --as-of 2025-09-01
  flopledger plot models/ -o chart.png --from 2020 --to 2027 --ymin 1e22
  flopledger plot models/ -o coverage.png --coverage --policy eu-ai-act-art51
Runs 'flopledger-gui --plot OUT FILE...' found next to flopledger, in ../gui/, or at
$FLOPLEDGER_GUI; exits 2 if it is not installed.)");
    return plot;
}

// Every subcommand, in the order --help lists them; the options write into `s`.
Commands addCommands(CLI::App& app, Settings& s) {
    Commands c;
    c.estimate = addEstimate(app, s);
    c.assess = addAssess(app, s);
    c.sensitivity = addSensitivity(app, s);
    addPolicies(app, s, c);
    addHardware(app, s, c);
    c.importEpoch = addImport(app, s);
    c.validate = addValidate(app, s);
    c.coverage = addCoverage(app, s);
    c.plot = addPlot(app, s);
    return c;
}

// CLI11 reports an unknown command as "A subcommand is required"; name it instead. True when
// the first argument is such a command (the error is written).
bool unknownCommand(const std::vector<std::string>& args, std::ostream& err) {
    const std::vector<std::string_view> names = {"estimate", "assess",   "sensitivity",
                                                 "policies", "hardware", "import",
                                                 "validate", "plot",     "coverage"};
    if (!args.empty() && !args.front().empty() && args.front().front() != '-' &&
        std::find(names.begin(), names.end(), args.front()) == names.end()) {
        std::string hint = didYouMean(args.front(), names);
        err << usageError("unknown command '" + args.front() + "'" +
                          (hint.empty() ? std::string() : "; did you mean '" + hint + "'?") +
                          " (run 'flopledger --help')")
                   .toString()
            << "\n";
        return true;
    }
    return false;
}

// Parses the arguments into the options; the exit code when that ends the run (help, version,
// a usage error), nullopt when a command is to run.
std::optional<int> parseArgs(CLI::App& app, const std::vector<std::string>& args, std::ostream& out,
                             std::ostream& err) {
    std::vector<std::string> argvStore;
    argvStore.reserve(args.size() + 1);
    argvStore.push_back("flopledger");
    argvStore.insert(argvStore.end(), args.begin(), args.end());
    std::vector<const char*> argv;
    for (const auto& a : argvStore) {
        argv.push_back(a.c_str());
    }
    try {
        app.parse(static_cast<int>(argv.size()), argv.data());
    } catch (const CLI::CallForHelp&) {
        CLI::App* target = &app;
        for (CLI::App* sub = target; sub != nullptr;) {
            auto subs = sub->get_subcommands();
            target = sub;
            sub = subs.empty() ? nullptr : subs.front();
        }
        out << target->help();
        return kExitOk;
    } catch (const CLI::CallForAllHelp&) {
        out << app.help("", CLI::AppFormatMode::All);
        return kExitOk;
    } catch (const CLI::CallForVersion&) {
        out << "flopledger " << kVersionString << "\n";
        return kExitOk;
    } catch (const CLI::ParseError& e) {
        std::string what = e.what();
        if (what.empty()) {
            what = e.get_name();
        }
        err << usageError(what + " (run 'flopledger --help')").toString() << "\n";
        return kExitInvalid;
    }
    return std::nullopt;
}

// Runs the parsed command; nullopt when none was parsed.
std::optional<int> dispatch(const Commands& c, Settings& s, std::istream& in, std::ostream& out,
                            std::ostream& err) {
    std::istringstream flagRecord;  // the what-if record, read as standard input
    std::istream* input = &in;
    if (!s.fields.empty()) {
        s.recordJson = recordJsonFromFields(s.fields);
        if (std::find(s.inputs.begin(), s.inputs.end(), "-") != s.inputs.end()) {
            throw InputError(ErrorCode::Usage,
                             "a what-if record from flags and '-' (standard input) together");
        }
        if (!c.sensitivity->parsed() && s.format != "brief") {
            flagRecord.str(s.recordJson + "\n");
            input = &flagRecord;
            s.inputs.insert(s.inputs.begin(), "-");
        }
    }
    if (c.estimate->parsed()) {
        return commandAssess(s, false, *input, out, err);
    }
    if (c.assess->parsed()) {
        if (s.format == "brief") {
            return commandBrief(s, {}, out, err);
        }
        return commandAssess(s, true, *input, out, err);
    }
    if (c.sensitivity->parsed()) {
        if (s.inputs.empty() == s.recordJson.empty()) {
            throw InputError(ErrorCode::Usage,
                             "sensitivity takes one record: a file, or a what-if record from "
                             "flags (--params ... --tokens ...)");
        }
        return commandSensitivity(s, out, err);
    }
    if (c.policiesList->parsed()) {
        return commandPolicies(s, false, out, err);
    }
    if (c.policiesShow->parsed()) {
        return commandPolicies(s, true, out, err);
    }
    if (c.hardwareList->parsed()) {
        return commandHardware(s, false, out, err);
    }
    if (c.hardwareShow->parsed()) {
        return commandHardware(s, true, out, err);
    }
    if (c.importEpoch->parsed()) {
        return commandImportEpoch(s, in, out, err);
    }
    if (c.validate->parsed()) {
        return commandValidate(s, out, err);
    }
    if (c.coverage->parsed()) {
        Settings cs = s;
        if (cs.inputs.empty()) {
            cs.inputs.push_back("models/");
        }
        return commandCoverage(cs, out, err);
    }
    if (c.plot->parsed()) {
        return commandPlot(s, err);
    }
    return std::nullopt;
}

}  // namespace

int run(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
        std::ostream& err) {
    CLI::App app{"FLOP Ledger: exact training-compute accounting against legal thresholds",
                 "flopledger"};
    app.footer(kMainFooter);
    app.set_version_flag("--version", std::string("flopledger ") + kVersionString);
    app.require_subcommand(1);

    // The options and the what-if callbacks write into `s`: it lives until the command is done.
    Settings s;
    const Commands commands = addCommands(app, s);
    if (unknownCommand(args, err)) {
        return kExitInvalid;
    }
    if (const std::optional<int> code = parseArgs(app, args, out, err)) {
        return *code;
    }
    try {
        if (const std::optional<int> code = dispatch(commands, s, in, out, err)) {
            return *code;
        }
    } catch (const InputError& e) {
        err << e.diagnostic().toString() << "\n";
        return e.diagnostic().code == ErrorCode::Internal ? kExitInternal : kExitInvalid;
    } catch (const std::exception& e) {
        Diagnostic d;
        d.code = ErrorCode::Internal;
        d.message = std::string("internal error: ") + e.what();
        err << d.toString() << "\n";
        return kExitInternal;
    }
    err << usageError("no command given (run 'flopledger --help')").toString() << "\n";
    return kExitInvalid;
}

int main(int argc, char** argv) {
    installCleanupHandlers();
    // Streaming allocates and frees megabytes of output fragments per batch; keeping freed memory
    // in the heap instead of returning it to the kernel avoids a page fault per record.
    ::mallopt(M_TRIM_THRESHOLD, 64 << 20);
    ::mallopt(M_MMAP_THRESHOLD, 16 << 20);
    std::ios::sync_with_stdio(false);
    std::vector<std::string> args;
    for (int i = 1; i < argc; ++i) {
        args.emplace_back(argv[i]);
    }
    try {
        int code = run(args, std::cin, std::cout, std::cerr);
        std::cout.flush();
        return code;
    } catch (const std::exception& e) {
        std::cerr << "error E901: internal error: " << e.what() << "\n";
        return kExitInternal;
    } catch (...) {
        std::cerr << "error E901: internal error\n";
        return kExitInternal;
    }
}

std::size_t reportWidth() {
    return terminalWidth();
}

}  // namespace flopledger::inline v1::cli
