#!/usr/bin/env bash
# Builds core, CLI, unit tests, CLI tests, the C API tests and the examples with AddressSanitizer
# and UndefinedBehaviorSanitizer (GCC) in build-sanitize/, and runs them through CTest. Any
# sanitizer report fails the run (halt_on_error, no recovery from UB). The GUI, benchmarks and
# installed-package tests are left out: they add nothing the sanitizers check here.
#   FLOPLEDGER_SANITIZE_BUILD  build directory (default: <repo>/build-sanitize)
# Measured on the 2-core dev machine (shared, no ccache): 13 min from scratch, of which the
# 253 CTest tests take 19 s.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
build=${FLOPLEDGER_SANITIZE_BUILD:-$repo/build-sanitize}
jobs=$(nproc)

launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
# -O1: sanitizer builds at -O2 take much longer to compile for little extra coverage. -g1 (line
# tables): the reports' file:line need no more, and it compiles about a quarter faster than -g.
cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" \
  -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g1" -DFLOPLEDGER_SANITIZE=ON -DFLOPLEDGER_BUILD_GUI=OFF \
  -DFLOPLEDGER_BUILD_BENCH=OFF -DFLOPLEDGER_BUILD_FUZZ=OFF -DFLOPLEDGER_BUILD_TESTS=ON \
  -DFLOPLEDGER_BUILD_CLI=ON -DFLOPLEDGER_BUILD_EXAMPLES=ON "${launcher[@]}" >/dev/null
cmake --build "$build" --parallel "$jobs"

export ASAN_OPTIONS=${ASAN_OPTIONS:-halt_on_error=1:detect_leaks=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
cd "$build"
ctest --output-on-failure --parallel "$jobs" --timeout 900 -E "^(package|gui|bench)"
echo "sanitizers: clean"
