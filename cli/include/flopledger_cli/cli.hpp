#pragma once
// The `flopledger` command line (docs/cli.md), as a library so tests can run it in-process.
#include <istream>
#include <ostream>
#include <string>
#include <vector>

namespace flopledger::inline v1::cli {

/// Exit codes (docs/cli.md).
enum ExitCode : int {
    kExitOk = 0,
    kExitFailOn = 1,    ///< a --fail-on condition matched
    kExitInvalid = 2,   ///< invalid input or usage
    kExitInternal = 3,  ///< internal error
};

/// Runs one command. `args` excludes the program name. Results go to `out` (or -o FILE),
/// diagnostics to `err`, one line each.
int run(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
        std::ostream& err);

/// main(): run() on the process's standard streams, with signal cleanup of partial outputs.
int main(int argc, char** argv);

}  // namespace flopledger::cli
