#!/usr/bin/env bash
# Whole-CLI benchmark: generates N synthetic records (default 200,000; deterministic), times
# `flopledger assess` over them against every shipped policy in each output format of FORMATS
# (default: "text jsonl"; text is the CLI's default format), measures peak RSS with
# /usr/bin/time -v, runs the naive Python baseline (baseline.py) on the same records and prints
# records/s of each and the ratios.
#
# Usage: tests/bench/run_cli_bench.sh [BIN] [N]     (BIN default: build/cli/flopledger)
# Environment: THREADS (default: all cores), SAMPLES (Monte Carlo draws, default 2000),
#              FORMATS (default "text jsonl"), GEN_ARGS (extra gen_records.py options, e.g.
#              --all-uncertain), WORKDIR (default: a temporary directory, removed
#              afterwards).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${1:-$root/build/cli/flopledger}
n=${2:-200000}
threads=${THREADS:-$(nproc)}
samples=${SAMPLES:-2000}
formats=${FORMATS:-text jsonl}
[[ -x $bin ]] || { echo "run_cli_bench: no executable $bin (build the flopledger target)" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "run_cli_bench: /usr/bin/time is needed for peak RSS" >&2; exit 2; }
work=${WORKDIR:-$(mktemp -d)}
[[ -n ${WORKDIR:-} ]] || trap 'rm -rf "$work"' EXIT
records=$work/records.jsonl

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
# shellcheck disable=SC2086  # GEN_ARGS is a list of options
python3 "$here/gen_records.py" "$n" ${GEN_ARGS:-} > "$records"
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

read -r py_s py_rss py_user < <(measure python3 "$here/baseline.py" "$records")
printf "python baseline (floats, thresholds only): %.2f s wall, %.2f s CPU, %.0f records/s, %.0f records per CPU-second, peak RSS %.1f MiB\n" \
    "$py_s" "$py_user" "$(awk -v n="$n" -v s="$py_s" 'BEGIN { print n / s }')" \
    "$(awk -v n="$n" -v s="$py_user" 'BEGIN { print n / s }')" "$(awk -v r="$py_rss" 'BEGIN { print r / 1024 }')"
for format in $formats; do
    read -r cli_s cli_rss cli_user < <(measure "$bin" assess "$records" --format "$format" \
        --as-of 2026-06-01 --threads "$threads" --samples "$samples")
    awk -v n="$n" -v cs="$cli_s" -v cr="$cli_rss" -v cu="$cli_user" -v ps="$py_s" -v pu="$py_user" \
        -v t="$threads" -v f="$format" 'BEGIN {
        printf "flopledger assess --format %s (%d threads, every shipped policy): %.2f s wall, %.2f s CPU, %.0f records/s, %.0f records per CPU-second, peak RSS %.1f MiB; speed ratio to the baseline %.2f (wall), %.2f (CPU)\n", f, t, cs, cu, n / cs, n / cu, cr / 1024, ps / cs, pu / cu
    }'
done
