#!/usr/bin/env bash
# Whole-CLI benchmark: generates N synthetic records (default 200,000; deterministic), runs the
# naive Python baseline (baseline.py) on them, then times `flopledger assess` over the same
# records against every shipped legal policy in each output format of FORMATS, in the same run,
# and prints wall time, CPU time, records/s, the speed ratio to the baseline and peak RSS
# (/usr/bin/time -v) of each, and the output bytes per record (measured on the first 10,000
# records, untimed).
#
# The default registry is the standard "uncertain registry" of issue 19 (gen_records.py
# --uncertain: 40% of the records with utilization intervals, 20% also with parameter and token
# intervals, implied utilization computed, multi-stage ledgers, about 8% of the verdicts
# indeterminate); GEN_ARGS="" gives the earlier mixed registry, GEN_ARGS=--all-uncertain the
# stress case.
#
# Usage: tests/bench/run_cli_bench.sh [BIN] [N]     (BIN default: build/cli/flopledger)
# Environment: THREADS (default: all cores), SAMPLES (Monte Carlo draws, default 2000),
#              FORMATS (default "text jsonl csv jsonl-compact"; "F-compact" adds --compact),
#              GEN_ARGS (gen_records.py options, default --uncertain), RUNS (default 1),
#              WORKDIR (default: a temporary directory, removed afterwards).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${1:-$root/build/cli/flopledger}
n=${2:-200000}
threads=${THREADS:-$(nproc)}
samples=${SAMPLES:-2000}
formats=${FORMATS:-text jsonl csv jsonl-compact}
gen_args=${GEN_ARGS---uncertain}
runs=${RUNS:-1}
[[ -x $bin ]] || { echo "run_cli_bench: no executable $bin (build the flopledger target)" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "run_cli_bench: /usr/bin/time is needed for peak RSS" >&2; exit 2; }
# Debian's python3 (python3 on PATH may be another interpreter; the baseline needs only json).
python=/usr/bin/python3
[[ -x $python ]] || python=python3
work=${WORKDIR:-$(mktemp -d)}
[[ -n ${WORKDIR:-} ]] || trap 'rm -rf "$work"' EXIT
records=$work/records.jsonl

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "binary: $bin"
# shellcheck disable=SC2086  # gen_args is a list of options
"$python" "$here/gen_records.py" "$n" $gen_args > "$records"
echo "records: $n (gen_records.py $gen_args; $(du -m "$records" | cut -f1) MiB of JSON Lines)"

# Seconds of wall time, peak RSS (KiB) and CPU seconds from /usr/bin/time -v.
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

# The CLI's arguments for a FORMATS entry ("jsonl", "jsonl-compact", ...).
cli_args() {
    local format=${1%-compact}
    echo "--format $format"
    [[ $1 == *-compact ]] && echo "--compact"
    return 0
}

head -n 10000 "$records" > "$work/sample.jsonl"
sample=$(wc -l < "$work/sample.jsonl")
for run in $(seq "$runs"); do
    [[ $runs -gt 1 ]] && echo "run $run (load $(cut -d' ' -f1-3 /proc/loadavg))"
    read -r py_s py_rss py_cpu < <(measure "$python" "$here/baseline.py" "$records")
    printf "python baseline (floats, thresholds only): %.2f s wall, %.2f s CPU, %.0f records/s, peak RSS %.1f MiB\n" \
        "$py_s" "$py_cpu" "$(awk -v n="$n" -v s="$py_s" 'BEGIN { print n / s }')" \
        "$(awk -v r="$py_rss" 'BEGIN { print r / 1024 }')"
    for format in $formats; do
        # shellcheck disable=SC2046  # cli_args prints separate words
        read -r cli_s cli_rss cli_cpu < <(measure "$bin" assess "$records" $(cli_args "$format") \
            --as-of 2026-06-01 --threads "$threads" --samples "$samples")
        # shellcheck disable=SC2046
        bytes=$("$bin" assess "$work/sample.jsonl" $(cli_args "$format") --as-of 2026-06-01 \
            --threads "$threads" --samples "$samples" | wc -c)
        awk -v n="$n" -v cs="$cli_s" -v cr="$cli_rss" -v cu="$cli_cpu" -v ps="$py_s" -v pu="$py_cpu" \
            -v t="$threads" -v f="$format" -v b="$bytes" -v m="$sample" 'BEGIN {
            printf "assess %-13s (%d threads): %.2f s wall, %.2f s CPU, %.0f records/s, %.2fx the baseline (wall; CPU %.2fx), peak RSS %.1f MiB, %.0f bytes/record\n", f, t, cs, cu, n / cs, ps / cs, pu / cu, cr / 1024, b / m
        }'
    done
done
