#!/usr/bin/env bash
# Whole-CLI benchmark: generates N synthetic records (default 200,000; deterministic), times
# `flopledger assess --format jsonl` over them against every shipped policy, measures its peak
# RSS with /usr/bin/time -v, runs the naive Python baseline (baseline.py) on the same records and
# prints records/s of both and their ratio.
#
# Usage: tests/bench/run_cli_bench.sh [BIN] [N]     (BIN default: build/cli/flopledger)
# Environment: THREADS (default: all cores), SAMPLES (Monte Carlo draws, default 2000),
#              WORKDIR (default: a temporary directory, removed afterwards).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${1:-$root/build/cli/flopledger}
n=${2:-200000}
threads=${THREADS:-$(nproc)}
samples=${SAMPLES:-2000}
[[ -x $bin ]] || { echo "run_cli_bench: no executable $bin (build the flopledger target)" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "run_cli_bench: /usr/bin/time is needed for peak RSS" >&2; exit 2; }
work=${WORKDIR:-$(mktemp -d)}
[[ -n ${WORKDIR:-} ]] || trap 'rm -rf "$work"' EXIT
records=$work/records.jsonl

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
python3 "$here/gen_records.py" "$n" > "$records"
echo "records: $n ($(du -m "$records" | cut -f1) MiB of JSON Lines)"

# Seconds of wall time and peak RSS (KiB) from /usr/bin/time -v.
measure() {
    local log=$work/time.log
    /usr/bin/time -v "$@" > /dev/null 2> "$log" || { cat "$log" >&2; return 1; }
    local wall rss user sys
    wall=$(grep 'Elapsed (wall clock)' "$log" | awk '{print $NF}' |
           awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }')
    rss=$(grep 'Maximum resident set size' "$log" | awk '{print $NF}')
    user=$(grep 'User time' "$log" | awk '{print $NF}')
    sys=$(grep 'System time' "$log" | awk '{print $NF}')
    # CPU seconds (user + system): the stable figure on a shared machine.
    echo "$wall $rss $(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')"
}

read -r cli_s cli_rss cli_user < <(measure "$bin" assess "$records" --format jsonl \
    --as-of 2026-06-01 --threads "$threads" --samples "$samples")
read -r py_s py_rss py_user < <(measure python3 "$here/baseline.py" "$records")

awk -v n="$n" -v cs="$cli_s" -v cr="$cli_rss" -v cu="$cli_user" -v ps="$py_s" -v pr="$py_rss" \
    -v pu="$py_user" -v t="$threads" 'BEGIN {
    printf "flopledger assess --format jsonl (%d threads, every shipped policy): %.2f s wall, %.2f s CPU, %.0f records/s, %.0f records per CPU-second, peak RSS %.1f MiB\n", t, cs, cu, n / cs, n / cu, cr / 1024
    printf "python baseline (floats, thresholds only):                %.2f s wall, %.2f s CPU, %.0f records/s, %.0f records per CPU-second, peak RSS %.1f MiB\n", ps, pu, n / ps, n / pu, pr / 1024
    printf "speed ratio flopledger / baseline: %.2f (wall), %.2f (CPU)\n", ps / cs, pu / cu
}'
