#!/usr/bin/env bash
# The fast paths against their reference implementations, byte for byte: builds the core and
# the CLI with -DFLOPLEDGER_FAST_PATHS=OFF in build-ref/ (every fast path replaced by its
# reference: number parsing, the JSON parser, LazyRational's 128-bit form, Boost limb reads,
# output memos, per-thread slots, the compiled Monte Carlo's shortcuts), then
#   1. runs the CLI golden tests (tests/cli) with that binary;
#   2. compares its output with the default build's (build/, FLOPLEDGER_FAST_PATHS=ON) for
#      generated records (tests/bench/gen_records.py: N plain, N/10 with every input uncertain,
#      N/10 clusters) and for models/, with `estimate` and `assess` in every format.
# Any difference fails. Usage: scripts/fast_paths_diff.sh   (FAST_PATHS_RECORDS=N, default 5000)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${FAST_PATHS_RECORDS:-5000}
jobs=$(nproc)
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD} CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)

fast=build/cli/flopledger
if [[ ! -x $fast ]]; then
  cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" -DFLOPLEDGER_WERROR=ON >/dev/null
  cmake --build build --parallel "$jobs" --target flopledger
fi
# Core and CLI only (the tests are configured for the golden tests, which need only the binary).
# -O1 without debug info (NDEBUG as in the default build): the comparison is of what the code
# computes, and this compiles in about 60% of the time of -O2 -g.
cmake -S . -B build-ref -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" -DFLOPLEDGER_WERROR=ON \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -DNDEBUG" -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -DNDEBUG" \
  -DFLOPLEDGER_FAST_PATHS=OFF -DFLOPLEDGER_BUILD_GUI=OFF -DFLOPLEDGER_BUILD_BENCH=OFF \
  -DFLOPLEDGER_BUILD_EXAMPLES=OFF >/dev/null
cmake --build build-ref --parallel "$jobs" --target flopledger
ref=build-ref/cli/flopledger

echo "fast_paths_diff: CLI golden tests with FLOPLEDGER_FAST_PATHS=OFF"
(cd build-ref && ctest -R '^cli: ' --output-on-failure --parallel "$jobs" --timeout 600 >/dev/null) ||
  { echo "fast_paths_diff: golden tests differ with the fast paths off" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 tests/bench/gen_records.py "$n" > "$work/records.jsonl"
python3 tests/bench/gen_records.py $((n / 10 + 1)) --seed 7 --all-uncertain > "$work/uncertain.jsonl"
python3 tests/bench/gen_records.py $((n / 10 + 1)) --seed 11 --clusters > "$work/clusters.jsonl"

failed=0
compared=0
for input in "$work/records.jsonl" "$work/uncertain.jsonl" "$work/clusters.jsonl" models/; do
  for command in estimate assess; do
    for format in text json jsonl csv md; do
      args=("$command" "$input" --format "$format" --threads 2)
      [[ $command == assess ]] && args+=(--as-of 2026-06-01)
      # Exit codes must agree too (records the reader rejects give 2 with the same output).
      set +e
      "$fast" "${args[@]}" > "$work/fast.out" 2> "$work/fast.err"; fast_rc=$?
      "$ref" "${args[@]}" > "$work/ref.out" 2> "$work/ref.err"; ref_rc=$?
      set -e
      compared=$((compared + 1))
      if [[ $fast_rc != "$ref_rc" ]] || ! cmp -s "$work/fast.out" "$work/ref.out" ||
         ! cmp -s "$work/fast.err" "$work/ref.err"; then
        echo "fast_paths_diff: DIFFERENT: ${args[*]} (exit $fast_rc vs $ref_rc)" >&2
        diff "$work/fast.out" "$work/ref.out" | head -20 >&2 || true
        failed=1
      fi
    done
  done
done
[[ $failed == 0 ]] || exit 1
echo "fast_paths_diff: $compared outputs byte-identical with FLOPLEDGER_FAST_PATHS=ON and OFF" \
     "($n generated records + $((n / 10 + 1)) uncertain + $((n / 10 + 1)) clusters + models/)"
