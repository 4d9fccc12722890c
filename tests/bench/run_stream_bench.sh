#!/usr/bin/env bash
# Streaming benchmark of the embedding APIs (issue 17): N generated records (default 200,000)
# through flopledger::assessStream (C++) and flopledger_assess_stream (C), every shipped policy,
# as of 2026-06-01; prints records/s and peak RSS and fails when peak RSS reaches 256 MiB.
# Usage: tests/bench/run_stream_bench.sh [BUILD_DIR] [N]     Environment: THREADS (default: all cores)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build}
n=${2:-200000}
bin=$build/tests/bench/flopledger_stream_bench
[[ -x $bin ]] || { echo "run_stream_bench: build the flopledger_stream_bench target (FLOPLEDGER_BUILD_BENCH=ON)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 "$here/gen_records.py" "$n" > "$work/records.jsonl"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); records: $n ($(du -m "$work/records.jsonl" | cut -f1) MiB)"
status=0
for mode in cpp c; do
  line=$("$bin" "$mode" "$work/records.jsonl" "${THREADS:-0}")
  echo "$line"
  rss=$(sed 's/.*peak RSS \([0-9.]*\) MiB.*/\1/' <<<"$line")
  if awk -v r="$rss" 'BEGIN { exit !(r >= 256) }'; then
    echo "run_stream_bench: peak RSS $rss MiB is not under 256 MiB" >&2
    status=1
  fi
done
exit $status
