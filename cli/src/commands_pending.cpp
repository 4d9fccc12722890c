// sensitivity and import epoch: wired to the policy and input engineers' APIs as they land.
#include <flopledger_cli/cli.hpp>
#include <flopledger_cli/commands.hpp>

#include <flopledger/diagnostic.hpp>

namespace flopledger::cli {

int commandSensitivity(const Settings& /*s*/, std::ostream& /*out*/, std::ostream& /*err*/) {
    throw InputError(ErrorCode::Usage, "sensitivity is not available in this build");
}

int commandImportEpoch(const Settings& /*s*/, std::istream& /*in*/, std::ostream& /*out*/,
                       std::ostream& /*err*/) {
    throw InputError(ErrorCode::Usage, "import epoch is not available in this build");
}

}  // namespace flopledger::cli
