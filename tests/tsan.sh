#!/usr/bin/env bash
# ThreadSanitizer stage: builds the core, the CLI, the unit tests and the CLI unit tests with
# -fsanitize=thread (GCC) in build-tsan/, and runs the unit tests and the CLI tests (golden files,
# several of them with --threads 2..4) through CTest. Any data race report fails the run. What it
# watches: the core's parallelFor, the CLI's streaming executor (reader, workers, ordered merge),
# the evaluator's per-thread slots and per-date state cache, and the output writers' per-thread
# memos. The GUI, examples, C API and package tests are left out to keep the stage short.
#   FLOPLEDGER_TSAN_BUILD  build directory (default: <repo>/build-tsan)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
build=${FLOPLEDGER_TSAN_BUILD:-$repo/build-tsan}
jobs=$(nproc)

launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
# -O1: fast enough to run, much quicker to compile than -O2.
cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g -fsanitize=thread" \
  -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g -fsanitize=thread" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=thread" -DCMAKE_SHARED_LINKER_FLAGS="-fsanitize=thread" \
  -DFLOPLEDGER_BUILD_GUI=OFF -DFLOPLEDGER_BUILD_BENCH=OFF -DFLOPLEDGER_BUILD_FUZZ=OFF \
  -DFLOPLEDGER_BUILD_EXAMPLES=OFF -DFLOPLEDGER_BUILD_TESTS=ON -DFLOPLEDGER_BUILD_CLI=ON \
  "${launcher[@]}" >/dev/null
cmake --build "$build" --parallel "$jobs" --target flopledger flopledger_unit_tests flopledger_cli_tests

export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}
cd "$build"
ctest --output-on-failure --parallel "$jobs" --timeout 900 -R "^(unit|cli|cli unit): "
echo "tsan: clean"
