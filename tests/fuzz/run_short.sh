#!/usr/bin/env bash
# Builds the libFuzzer targets with clang-14 (ASan + UBSan) in build-fuzz/ and runs each one for a
# bounded time, FUZZ_JOBS targets at a time. Exits non-zero on any finding (crash, leak, sanitizer
# report, broken invariant, timeout) or build failure; the reproducer is left in
# build-fuzz/fuzz-artifacts/<target>/.
#   FUZZ_SECONDS   time per target (default 25)
#   FUZZ_TARGETS   space-separated subset (default: every target built)
#   FUZZ_JOBS      targets run at once (default: the number of cores)
#   FLOPLEDGER_FUZZ_BUILD  build directory (default: <repo>/build-fuzz)
# Seed corpora are generated from the shipped data at run time (models/, policies/, hardware/,
# a slice of the Epoch CSV); the corpus grows in the build directory between runs.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
build=${FLOPLEDGER_FUZZ_BUILD:-$repo/build-fuzz}
seconds=${FUZZ_SECONDS:-25}

cc=$(command -v clang-14 || command -v clang || true)
cxx=$(command -v clang++-14 || command -v clang++ || true)
if [[ -z $cc || -z $cxx ]]; then
  echo "fuzz: clang-14 not found (scripts/deps.sh installs clang-14 libclang-rt-14-dev)" >&2
  exit 1
fi

launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
# -O1 without NDEBUG: assertions stay live; line tables are enough for file:line in reports
# and compile about a quarter faster than full -g.
cmake -S "$repo" -B "$build" -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" \
  -DFLOPLEDGER_BUILD_FUZZ=ON -DFLOPLEDGER_BUILD_TESTS=ON -DFLOPLEDGER_BUILD_GUI=OFF \
  -DFLOPLEDGER_BUILD_CLI=OFF -DFLOPLEDGER_BUILD_BENCH=OFF -DFLOPLEDGER_BUILD_EXAMPLES=OFF \
  "${launcher[@]}" >/dev/null
cmake --build "$build" --target fuzz_all --parallel "$(nproc)"

targets=${FUZZ_TARGETS:-}
if [[ -z $targets ]]; then
  for exe in "$build"/tests/fuzz/fuzz_*; do
    [[ -x $exe && -f $exe ]] && targets+=" $(basename "$exe" | sed 's/^fuzz_//')"
  done
fi

seeds=$build/fuzz-seeds
rm -rf "$seeds"
mkdir -p "$seeds"
python3 "$repo/tests/fuzz/make_seeds.py" --repo "$repo" --out "$seeds"

# One target per core at a time (FUZZ_JOBS, default: the number of cores): each run is a single
# process, so on CI's 2 cores this halves the stage. Each target's summary is printed when it ends.
jobs=${FUZZ_JOBS:-$(nproc)}
run_one() {
  local t=$1
  local exe=$build/tests/fuzz/fuzz_$t
  local corpus=$build/fuzz-corpus/$t
  local artifacts=$build/fuzz-artifacts/$t
  local log=$build/fuzz-$t.log
  mkdir -p "$corpus" "$artifacts"
  local dict=()
  [[ -s $seeds/$t.dict ]] && dict=(-dict="$seeds/$t.dict")
  if "$exe" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=5 -max_len=65536 \
       -print_final_stats=1 -artifact_prefix="$artifacts/" "${dict[@]}" \
       "$corpus" "$seeds/$t" >"$log" 2>&1; then
    echo "fuzz: $t for ${seconds}s: $(grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb)|DONE" "$log" | tr '\n' ' ')"
  else
    {
      echo "fuzz: FINDING in $t (log: $log, reproducer in $artifacts/)"
      grep -E -A25 "^==[0-9]+==ERROR|runtime error|uncaught exception|deadly signal|terminate called" \
        "$log" | head -60 || tail -40 "$log"
    } >&2
    return 1
  fi
}

status=0
running=0
for t in $targets; do
  if ((running >= jobs)); then
    wait -n || status=1
    running=$((running - 1))
  fi
  run_one "$t" &
  running=$((running + 1))
done
while ((running > 0)); do
  wait -n || status=1
  running=$((running - 1))
done
exit $status
