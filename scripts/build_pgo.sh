#!/usr/bin/env bash
# A profile-guided Release build of the flopledger CLI (GCC's -fprofile-generate / -fprofile-use):
# builds an instrumented CLI, trains it on synthetic registries that are NOT the benchmark's
# (other seeds and sizes of tests/bench/gen_records.py, every output format, models/), then
# rebuilds the same tree with the profile. The output is the same program: profiles change
# inlining, block layout and branch order, never what is computed (the README's test command
# and tests/bench/run_cli_bench.sh work on it unchanged). docs/performance.md, "Round 7", has
# what it gains.
#
# Usage: scripts/build_pgo.sh [BUILD_DIR]       (default: build-pgo; the CLI is BUILD_DIR/cli/flopledger)
# Takes two full Release builds of the core and the CLI (21 minutes on 2 busy cores, measured).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$root/build-pgo}
jobs=$(nproc)
python=/usr/bin/python3
[[ -x $python ]] || python=python3
common=(-DCMAKE_BUILD_TYPE=Release -DFLOPLEDGER_BUILD_GUI=OFF -DFLOPLEDGER_BUILD_BENCH=OFF
        -DFLOPLEDGER_BUILD_EXAMPLES=OFF -DFLOPLEDGER_BUILD_TESTS=OFF -DFLOPLEDGER_BUILD_PYTHON=OFF)

echo "build_pgo: 1/3 instrumented build in $dir"
rm -rf "$dir"
mkdir -p "$dir"
log=$dir/build_pgo.log  # configure and build output (inside the tree: ignored by git)
cmake -S "$root" -B "$dir" "${common[@]}" \
    -DCMAKE_CXX_FLAGS="-fprofile-generate -fprofile-update=atomic" \
    -DCMAKE_EXE_LINKER_FLAGS="-fprofile-generate" > "$log" 2>&1
cmake --build "$dir" -j"$jobs" --target flopledger >> "$log" 2>&1 || { tail -20 "$log" >&2; exit 1; }

echo "build_pgo: 2/3 training"
train=$(mktemp -d)
trap 'rm -rf "$train"' EXIT
gen=$root/tests/bench/gen_records.py
"$python" "$gen" 20000 --uncertain --seed 7 > "$train/uncertain.jsonl"
"$python" "$gen" 10000 --clusters --seed 8 > "$train/mixed.jsonl"
"$python" "$gen" 3000 --all-uncertain --seed 9 > "$train/all-uncertain.jsonl"
bin=$dir/cli/flopledger
for format in jsonl csv text; do
    for input in uncertain mixed all-uncertain; do
        "$bin" assess "$train/$input.jsonl" --format "$format" --as-of 2026-06-01 --threads 2 > /dev/null
    done
done
"$bin" assess "$train/uncertain.jsonl" --format jsonl --compact --as-of 2026-06-01 > /dev/null
"$bin" assess "$train/uncertain.jsonl" --format csv --compact --as-of 2026-06-01 > /dev/null
"$bin" assess "$train/uncertain.jsonl" --format md --as-of 2026-06-01 > /dev/null
"$bin" assess "$root/models" --format jsonl > /dev/null

echo "build_pgo: 3/3 optimized build with the profile"
# Same tree, so each object finds its .gcda; partial training keeps untrained code at -O3.
cmake -S "$root" -B "$dir" \
    -DCMAKE_CXX_FLAGS="-fprofile-use -fprofile-partial-training -fprofile-correction -Wno-missing-profile" \
    -DCMAKE_EXE_LINKER_FLAGS="" >> "$log" 2>&1
cmake --build "$dir" -j"$jobs" --target flopledger >> "$log" 2>&1 || { tail -20 "$log" >&2; exit 1; }
echo "build_pgo: $bin"
