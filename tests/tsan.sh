#!/usr/bin/env bash
# ThreadSanitizer stage: builds the core, the CLI, the unit tests, the CLI unit tests and the C API
# tests with clang-14 -fsanitize=thread in build-tsan/ (only those targets), and runs them through
# CTest: the unit tests, the CLI golden and script tests (several with --threads 2..4, the
# reliability script's 100,000-record array with --threads 2), the CLI unit tests and the C API
# tests (one handle used from 8 threads, test_c_api_reliability.cpp). Any data race, lock-order
# inversion or other TSan report fails the run (halt_on_error, exitcode 66).
# What it watches: the core's parallelFor, the streaming assessor and the CLI's streaming
# executor (reader, workers, ordered merge), the evaluator's per-thread slots and per-date state
# cache, the output writers' per-thread memos and the C API's per-thread last error.
# Suppressions (tests/tsan.supp) are for understood third-party false positives only; see there.
#   FLOPLEDGER_TSAN_BUILD  build directory (default: <repo>/build-tsan)
# Measured: docs/testing.md ("ThreadSanitizer").
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
build=${FLOPLEDGER_TSAN_BUILD:-$repo/build-tsan}
jobs=$(nproc)
start=$(date +%s)

cc=$(command -v clang-14 || true)
cxx=$(command -v clang++-14 || true)
if [[ -z $cc || -z $cxx ]]; then
  echo "tsan: clang-14 not found (scripts/deps.sh installs clang-14 libclang-rt-14-dev)" >&2
  exit 1
fi
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
# -O1: fast enough to run, much quicker to compile than -O2; line tables only (file:line in the
# reports) compile much faster than full -g. clang-14, already needed for the fuzz stage.
flags="-O1 -gline-tables-only -fsanitize=thread -fno-omit-frame-pointer"
cmake -S "$repo" -B "$build" -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$flags" -DCMAKE_C_FLAGS_RELWITHDEBINFO="$flags" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=thread" -DCMAKE_SHARED_LINKER_FLAGS="-fsanitize=thread" \
  -DFLOPLEDGER_BUILD_GUI=OFF -DFLOPLEDGER_BUILD_BENCH=OFF -DFLOPLEDGER_BUILD_FUZZ=OFF \
  -DFLOPLEDGER_BUILD_EXAMPLES=OFF -DFLOPLEDGER_BUILD_PYTHON=OFF -DFLOPLEDGER_BUILD_TESTS=ON \
  -DFLOPLEDGER_BUILD_CLI=ON "${launcher[@]}" >/dev/null
cmake --build "$build" --parallel "$jobs" \
  --target flopledger flopledger_unit_tests flopledger_cli_tests flopledger_c_api_tests
built=$(date +%s)
# CPU time (user, system) of the children so far: on a shared machine the wall time says little.
cpu() {
  times >"$build/tsan-times.txt"
  echo "tsan: $1 CPU of the children, user and system: $(tail -n 1 "$build/tsan-times.txt")"
}
cpu "build"

opts=halt_on_error=1:exitcode=66:second_deadlock_stack=1
# Suppressions only when the file has a rule: some cases run the CLI as an unprivileged user
# (reliability.sh), who may not be able to read a file under the checkout.
supp=$repo/tests/tsan.supp
grep -qv '^[[:space:]]*\(#\|$\)' "$supp" && opts+=:suppressions=$supp
export TSAN_OPTIONS=${TSAN_OPTIONS:-$opts}
cd "$build"
ctest --output-on-failure --parallel "$jobs" --timeout 900 -R "^(unit|cli|cli unit|c-api):"
end=$(date +%s)
cpu "build + tests"
echo "tsan: clean (build $((built - start)) s, tests $((end - built)) s wall)"
