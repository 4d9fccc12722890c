#pragma once
// The command-line side of `assess` and `estimate` over inputs: the options of core's streaming
// engine (flopledger::assessInputs, stream.hpp) from the command line. The engine itself (input
// planning, worker threads, ordering, duplicate ids, status lines, --fail-on counts) is in
// core, so embedders get the same behaviour.
#include <flopledger_cli/commands.hpp>

#include <flopledger/report.hpp>
#include <flopledger/stream.hpp>

namespace flopledger::inline v1::cli {

/// The engine's options for `s` (threads, --allow-empty, --only, --in-force-only, the progress
/// line on a terminal); `policies` are the report's columns. Throws InputError (Usage) for
/// --only without verdicts.
InputsOptions inputsOptions(const Settings& s, bool evaluate, ReportFormat format,
                            const std::vector<PolicySummary>& policies);

}  // namespace flopledger::cli
