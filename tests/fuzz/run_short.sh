#!/usr/bin/env bash
# Builds the libFuzzer targets with clang-14 (ASan + UBSan) in build-fuzz/ and runs each one for a
# bounded time, one process at a time. Exits non-zero on any finding (crash, leak, sanitizer
# report, broken invariant, timeout) or build failure; the reproducer is left in
# build-fuzz/fuzz-artifacts/<target>/.
#   FUZZ_SECONDS   time per target (default 25)
#   FUZZ_TARGETS   space-separated subset (default: every target built)
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
# -O1 without NDEBUG: assertions stay live, stacks stay readable.
cmake -S "$repo" -B "$build" -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" \
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

status=0
for t in $targets; do
  exe=$build/tests/fuzz/fuzz_$t
  corpus=$build/fuzz-corpus/$t
  artifacts=$build/fuzz-artifacts/$t
  mkdir -p "$corpus" "$artifacts"
  dict=()
  [[ -s $seeds/$t.dict ]] && dict=(-dict="$seeds/$t.dict")
  echo "fuzz: $t for ${seconds}s"
  log=$build/fuzz-$t.log
  if "$exe" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=5 -max_len=65536 \
       -print_final_stats=1 -artifact_prefix="$artifacts/" "${dict[@]}" \
       "$corpus" "$seeds/$t" >"$log" 2>&1; then
    grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb)|DONE" "$log" | tr '\n' ' '
    echo
  else
    status=1
    echo "fuzz: FINDING in $t (log: $log, reproducer in $artifacts/)" >&2
    grep -E -A25 "^==[0-9]+==ERROR|runtime error|uncaught exception|deadly signal|terminate called" \
      "$log" | head -60 >&2 || tail -40 "$log" >&2
  fi
done
exit $status
