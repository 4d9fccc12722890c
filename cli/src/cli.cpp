// The `flopledger` command line: CLI11 definitions and the commands of contract section 5.
#include <flopledger_cli/atomic_output.hpp>
#include <flopledger_cli/cli.hpp>
#include <flopledger_cli/commands.hpp>
#include <flopledger_cli/pipeline.hpp>

#include <flopledger/flopledger.hpp>

#include <CLI/CLI.hpp>

#include <malloc.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>
#include <sstream>

namespace flopledger::cli {
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

}  // namespace

int run(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
        std::ostream& err) {
    CLI::App app{"FLOP Ledger: exact training-compute accounting against legal thresholds",
                 "flopledger"};
    app.footer(kMainFooter);
    app.set_version_flag("--version", std::string("flopledger ") + kVersionString);
    app.require_subcommand(1);

    Settings s;
    auto addReportOptions = [&s](CLI::App* cmd, bool assess) {
        cmd->add_option("--format", s.format, "output format: text, json, jsonl, csv, md")
            ->check(CLI::IsMember({"text", "json", "jsonl", "csv", "md"}));
        cmd->add_option("--convention", s.convention,
                        "architecture convention: matmul (default), kaplan, chinchilla, palm, "
                        "megatron")
            ->check(CLI::IsMember({"matmul", "kaplan", "chinchilla", "palm", "megatron"}));
        cmd->add_option("--prefer", s.prefer,
                        "METHOD[,METHOD...]: order in which a stage's value is chosen among "
                        "stated, architecture, six-nd, hardware")
            ->delimiter(',');
        cmd->add_option("--digits", s.digits, "significant digits in text and md output")
            ->check(CLI::Range(1, 40));
        cmd->add_option("-o,--output", s.output, "write to FILE atomically instead of stdout");
        cmd->add_option("--threads", s.threads, "worker threads (default: all cores)");
        cmd->add_option("--data-dir", s.dataDir,
                        "DIR with policies/ and/or hardware/ that replace the embedded tables");
        cmd->add_option("--samples", s.samples,
                        "Monte Carlo draws per record for probabilities (0: none)")
            ->check(CLI::Range(0, 1000000));
        cmd->add_option("--seed", s.seed, "Monte Carlo seed");
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
        if (assess) {
            cmd->add_option("--assume-undisclosed", s.assumeUndisclosed,
                            "RATIO: undisclosed stages together at most RATIO x the disclosed "
                            "counted compute; lower-bound verdicts are decided on that bound");
            cmd->add_option("--policy", s.policies,
                            "policy id (repeatable or comma-separated); default: all shipped "
                            "legal policies; 'everything' adds illustrative ones");
            cmd->add_option("--as-of", s.asOf,
                            "evaluate as of DATE (YYYY-MM-DD, repeatable; default today, UTC)");
            cmd->add_option("--fail-on", s.failOn,
                            "exit 1 when a verdict of a policy in force matches: exceeds, "
                            "indeterminate (also unknown)")
                ->check(CLI::IsMember({"exceeds", "indeterminate"}))
                ->delimiter(',');
        }
    };

    CLI::App* estimate = app.add_subcommand("estimate", "estimate every stage and the total");
    estimate->add_option("inputs", s.inputs, "record files, directories, or - for stdin");
    addReportOptions(estimate, false);
    estimate->footer(R"(Examples:
  flopledger estimate models/gpt-3.json
  flopledger estimate models/ --convention kaplan --format json
  flopledger estimate --prefer hardware,stated registry.jsonl
  cat registry.jsonl | flopledger estimate - --format jsonl)");

    CLI::App* assess = app.add_subcommand("assess", "estimate, then evaluate policies");
    assess->add_option("inputs", s.inputs, "record files, directories, or - for stdin");
    addReportOptions(assess, true);
    assess->footer(R"(Examples:
  flopledger assess models/
  flopledger assess models/ --format md -o report.md
  flopledger assess models/ --policy eu-ai-act-art51 --as-of 2025-08-02 --as-of 2026-06-01
  flopledger assess registry.jsonl --format jsonl --threads 2 > verdicts.jsonl
  flopledger assess models/ --fail-on exceeds   # exit 1 if a policy in force is exceeded

--fail-on exceeds: exit 1 when any verdict of a policy in force (as of the date) is "exceeds".
--fail-on indeterminate: exit 1 when such a verdict is "indeterminate" or "unknown".
Invalid input: every diagnostic is printed, nothing is written with -o, exit 2.)");

    CLI::App* sensitivity =
        app.add_subcommand("sensitivity", "which accounting choices flip which verdict");
    sensitivity->add_option("file", s.inputs, "record file")->required();
    addReportOptions(sensitivity, true);
    sensitivity->footer(R"(Examples:
  flopledger sensitivity models/llama-3.1-405b.json
  flopledger sensitivity models/gpt-4.json --policy eu-ai-act-art51 --format json)");

    CLI::App* policies = app.add_subcommand("policies", "the shipped policies");
    policies->require_subcommand(1);
    CLI::App* policiesList = policies->add_subcommand("list", "list the policies");
    CLI::App* policiesShow = policies->add_subcommand("show", "describe one policy");
    policiesShow->add_option("id", s.id, "policy id")->required();
    for (CLI::App* c : {policiesList, policiesShow}) {
        c->add_option("--format", s.format, "text or json")->check(CLI::IsMember({"text", "json"}));
        c->add_option("--as-of", s.asOf, "status as of DATE (default today, UTC)");
        c->add_option("--data-dir", s.dataDir, "DIR with policies/ replacing the embedded ones");
        c->add_option("-o,--output", s.output, "write to FILE atomically");
    }
    policies->footer(R"(Examples:
  flopledger policies list
  flopledger policies list --as-of 2025-01-01
  flopledger policies show eu-ai-act-art51)");

    CLI::App* hardware = app.add_subcommand("hardware", "the accelerator table");
    hardware->require_subcommand(1);
    CLI::App* hardwareList = hardware->add_subcommand("list", "list the accelerators");
    CLI::App* hardwareShow = hardware->add_subcommand("show", "describe one accelerator");
    hardwareShow->add_option("id", s.id, "accelerator id")->required();
    for (CLI::App* c : {hardwareList, hardwareShow}) {
        c->add_option("--format", s.format, "text or json")->check(CLI::IsMember({"text", "json"}));
        c->add_option("--data-dir", s.dataDir, "DIR with hardware/ replacing the embedded table");
        c->add_option("-o,--output", s.output, "write to FILE atomically");
    }
    hardware->footer(R"(Examples:
  flopledger hardware list
  flopledger hardware show nvidia-h100-sxm)");

    CLI::App* import = app.add_subcommand("import", "convert other registries to records");
    import->require_subcommand(1);
    CLI::App* importEpoch = import->add_subcommand("epoch", "an Epoch AI CSV export");
    importEpoch->add_option("csv", s.inputs, "the CSV file, or - for stdin")->required();
    importEpoch->add_option("-o,--output", s.output, "write JSON Lines to FILE atomically");
    importEpoch->add_option("--curated", s.curatedDir,
                            "DIR of curated records: the summary counts the rows they supersede");
    import->footer(R"(Examples:
  flopledger import epoch all_ml_systems.csv -o epoch.jsonl
  flopledger import epoch all_ml_systems_full_view_2025-08-07.csv --curated models \
      -o models/epoch/epoch-ai-2025-08-07.jsonl     # regenerate the shipped Epoch layer
  flopledger import epoch all_ml_systems.csv | flopledger assess - --format csv)");

    CLI::App* validate = app.add_subcommand("validate", "check record, policy or hardware files");
    validate->add_option("files", s.inputs, "files or directories")->required();
    validate->add_option("--data-dir", s.dataDir, "DIR with hardware/ used to check records");
    validate->add_flag("--curated-only", s.curatedOnly,
                       "a directory's curated records only, without its epoch/ layer");
    validate->footer(R"(Examples:
  flopledger validate models/
  flopledger validate policies/*.json hardware/accelerators.json
A file is a policy when it lies in a folder named policies or has "conditions"; hardware
when it lies in a folder named hardware or has "accelerators"; records otherwise.
Every problem is reported; exit 2 if any error.)");

    CLI::App* plot = app.add_subcommand("plot", "the models-versus-thresholds chart");
    plot->add_option("files", s.inputs, "record files or directories")->required();
    plot->add_option("-o,--output", s.output, "OUT.png, OUT.svg or OUT.pdf")->required();
    plot->footer(R"(Examples:
  flopledger plot models/ -o chart.png
Runs 'flopledger-gui --plot OUT FILE...' found next to flopledger, in ../gui/, or at
$FLOPLEDGER_GUI; exits 2 if it is not installed.)");

    // CLI11 reports an unknown command as "A subcommand is required"; name it instead.
    const std::vector<std::string_view> names = {"estimate", "assess", "sensitivity", "policies",
                                                 "hardware", "import", "validate",    "plot"};
    if (!args.empty() && !args.front().empty() && args.front().front() != '-' &&
        std::find(names.begin(), names.end(), args.front()) == names.end()) {
        std::string hint = didYouMean(args.front(), names);
        err << usageError("unknown command '" + args.front() + "'" +
                          (hint.empty() ? std::string() : "; did you mean '" + hint + "'?") +
                          " (run 'flopledger --help')")
                   .toString()
            << "\n";
        return kExitInvalid;
    }
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

    try {
        if (estimate->parsed()) {
            return commandAssess(s, false, in, out, err);
        }
        if (assess->parsed()) {
            return commandAssess(s, true, in, out, err);
        }
        if (sensitivity->parsed()) {
            return commandSensitivity(s, out, err);
        }
        if (policiesList->parsed()) {
            return commandPolicies(s, false, out, err);
        }
        if (policiesShow->parsed()) {
            return commandPolicies(s, true, out, err);
        }
        if (hardwareList->parsed()) {
            return commandHardware(s, false, out, err);
        }
        if (hardwareShow->parsed()) {
            return commandHardware(s, true, out, err);
        }
        if (importEpoch->parsed()) {
            return commandImportEpoch(s, in, out, err);
        }
        if (validate->parsed()) {
            return commandValidate(s, out, err);
        }
        if (plot->parsed()) {
            return commandPlot(s, err);
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

}  // namespace flopledger::cli
