#!/usr/bin/env bash
# A/B throughput of two flopledger builds on the same records in one run (issue 12: the tree
# before the architecture change against the current one). Rounds alternate A and B so that a
# change of machine load hits both; prints wall and CPU seconds and records/s per run.
#
# Usage: tests/bench/run_ab_bench.sh BIN_A BIN_B [N]     (N default 200,000)
# Environment: FORMATS (default "text jsonl"), ROUNDS (default 3), THREADS (default all cores),
#              GEN_ARGS (gen_records.py options, default none: the mixed registry the earlier
#              rounds were measured on; --uncertain for issue 19's registry).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
a=$1
b=$2
n=${3:-200000}
formats=${FORMATS:-text jsonl}
rounds=${ROUNDS:-3}
threads=${THREADS:-$(nproc)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck disable=SC2086  # GEN_ARGS is a list of options
/usr/bin/python3 "$here/gen_records.py" "$n" ${GEN_ARGS:-} > "$work/records.jsonl"
echo "records: $n (gen_records.py ${GEN_ARGS:-}), threads $threads"
echo "A: $a"
echo "B: $b"
run() {
    /usr/bin/time -f "%e %U %S %M" "$1" assess "$work/records.jsonl" --format "$2" \
        --as-of 2026-06-01 --threads "$threads" > /dev/null 2> "$work/t" || { cat "$work/t" >&2; return 1; }
    tail -n 1 "$work/t"
}
for r in $(seq "$rounds"); do
    for format in $formats; do
        for side in A B; do
            bin=$a
            [[ $side == B ]] && bin=$b
            read -r wall user sys rss < <(run "$bin" "$format")
            awk -v r="$r" -v f="$format" -v s="$side" -v w="$wall" -v u="$user" -v y="$sys" \
                -v m="$rss" -v n="$n" -v l="$(cut -d' ' -f1 /proc/loadavg)" 'BEGIN {
                printf "round %d %-5s %s: %6.2f s wall %6.2f s CPU %8.0f records/s %8.0f records/CPU-s %6.1f MiB load %s\n", r, f, s, w, u + y, n / w, n / (u + y), m / 1024, l }'
        done
    done
done
