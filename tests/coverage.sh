#!/usr/bin/env bash
# Line and branch coverage of the core (core/src, core/include) by the unit tests and the CLI
# tests: builds core, CLI, unit tests and CLI unit tests with gcov instrumentation (GCC
# --coverage, -O0) in build-coverage/, runs them through CTest and prints gcovr's summary.
# The figure is recorded in docs/testing.md. Needs gcovr (scripts/deps.sh installs it).
#   FLOPLEDGER_COVERAGE_BUILD  build directory (default: <repo>/build-coverage)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
build=${FLOPLEDGER_COVERAGE_BUILD:-$repo/build-coverage}
jobs=$(nproc)

launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O0 -g --coverage -fprofile-update=atomic" \
  -DCMAKE_C_FLAGS_DEBUG="-O0 -g --coverage -fprofile-update=atomic" -DCMAKE_EXE_LINKER_FLAGS="--coverage" \
  -DCMAKE_SHARED_LINKER_FLAGS="--coverage" -DFLOPLEDGER_BUILD_GUI=OFF -DFLOPLEDGER_BUILD_BENCH=OFF \
  -DFLOPLEDGER_BUILD_FUZZ=OFF -DFLOPLEDGER_BUILD_EXAMPLES=OFF -DFLOPLEDGER_BUILD_TESTS=ON \
  "${launcher[@]}" >/dev/null
cmake --build "$build" --parallel "$jobs" --target flopledger flopledger_unit_tests flopledger_cli_tests
find "$build" -name '*.gcda' -delete
(cd "$build" && ctest --parallel "$jobs" --timeout 900 -R "^(unit|cli|cli unit):" >/dev/null)
gcovr --root "$repo" --filter "$repo/core/src/" --filter "$repo/core/include/" \
  --exclude-unreachable-branches --gcov-ignore-parse-errors --print-summary --txt "$build/coverage.txt" "$build" | tail -3
