// flopledger: the command-line front end (all logic is in the flopledger_cli library).
#include <flopledger_cli/cli.hpp>

int main(int argc, char** argv) {
    return flopledger::cli::main(argc, argv);
}
