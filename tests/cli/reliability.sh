#!/usr/bin/env bash
# Regression tests of issue 18 (reliability): nothing silently passes a gate, bounded memory, no
# hangs, no clobbered devices. Run by CTest as `reliability.sh FLOPLEDGER REPO_ROOT`.
# Every case states the exit code and the diagnostic code (or output) it expects. The cases on
# unreadable paths run the CLI as an unprivileged user when this script runs as root (CI), the
# device-node cases use nodes made in a temporary folder (never the system's /dev).
set -u
BIN=$(readlink -f "$1")
ROOT=$(readlink -f "$2")
T=$(mktemp -d /tmp/flopledger-reliab.XXXXXX)
chmod 755 "$T"
trap 'chmod -R u+rwX "$T" 2>/dev/null; rm -rf "$T"' EXIT
cd "$T"
failures=0
pass=0
# Memory caps (ulimit -v) prove the streaming bounds; AddressSanitizer and ThreadSanitizer
# reserve terabytes of virtual shadow memory and cannot start under one, so the sanitizer stages
# (tests/sanitize.sh, tests/tsan.sh set ASAN_OPTIONS / TSAN_OPTIONS) run these cases uncapped
# (they still check exit codes and messages).
VLIMIT="ulimit -v"
[[ -n ${ASAN_OPTIONS:-}${TSAN_OPTIONS:-} ]] && VLIMIT=": ulimit-skipped-under-sanitizers"

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# expect NAME EXIT PATTERN -- command...: runs it, checks the exit code and that stderr (or
# stdout) matches the extended regex PATTERN (empty: no check).
expect() {
    local name=$1 code=$2 pattern=$3
    shift 4
    "$@" >"$T/out.txt" 2>"$T/err.txt"
    local got=$?
    if [[ $got -ne $code ]]; then
        fail "$name: exit $got, expected $code; stderr: $(head -c 400 "$T/err.txt")"
        return
    fi
    if [[ -n $pattern ]] && ! grep -Eq -- "$pattern" "$T/err.txt" "$T/out.txt"; then
        fail "$name: output does not match /$pattern/; stderr: $(head -c 400 "$T/err.txt")"
        return
    fi
    pass=$((pass + 1))
}

RECORD='{"id": "m", "modalities": ["text"], "stages": [{"kind": "pretraining", "flop": "2e25"}]}'

# --- 1. the illustrative effective-compute policy on far dates (hand-derived thresholds:
# 2300-01-01 is 3292 whole months after 2025-08-02, 1e25 / 2^(3292/8) = 1.337078e-99;
# 0001-01-01 is -24295 months, 1e25 * 2^(24295/8) = 1.550487e+939).
expect "effective 2300" 0 "" -- "$BIN" assess "$ROOT/models" --policy everything --as-of 2300-01-01 --format csv
grep -q "E10" "$T/err.txt" && fail "effective 2300: a number error on stderr"
expect "effective 2300 json" 0 '"threshold": "0\.0{98}1337078"' -- \
    "$BIN" assess "$ROOT/models/gpt-3-175b.json" --policy illustrative-effective-compute-1e25 --as-of 2300-01-01 --format json
expect "effective 0001" 0 '"threshold": "1550487[0-9]{933}"' -- \
    "$BIN" assess "$ROOT/models/gpt-3-175b.json" --policy illustrative-effective-compute-1e25 --as-of 0001-01-01 --format json
expect "effective 0001 everything" 0 "" -- "$BIN" assess "$ROOT/models" --policy everything --as-of 0001-01-01 --format csv

# --- 7. unbounded exact work refused at load: halving_months "999/1000".
mkdir -p slow/policies
sed 's#"halving_months": *"[^"]*"#"halving_months": "999/1000"#' \
    "$ROOT/policies/illustrative-effective-compute-1e25.json" >slow/policies/p.json
grep -q '999/1000' slow/policies/p.json || fail "halving fixture: no halving_months replaced"
expect "halving 999/1000" 2 "E106.*halving_months must be at least 1" -- \
    "$BIN" assess "$ROOT/models/gpt-3-175b.json" --data-dir slow

# --- 3. empty inputs are errors unless --allow-empty.
: >empty.json
printf ' \n\t\n' >blank.json
mkdir -p emptydir nopol/policies
expect "empty file" 2 "E206" -- "$BIN" assess empty.json --fail-on exceeds
expect "blank file" 2 "E206" -- "$BIN" assess blank.json --fail-on exceeds
expect "empty folder" 2 "E206" -- "$BIN" assess emptydir --fail-on exceeds
expect "empty stdin" 2 "E206.*standard input is empty" -- "$BIN" assess - --fail-on exceeds </dev/null
expect "closed stdin" 2 "E206.*standard input is closed" -- "$BIN" assess - --fail-on exceeds <&-
expect "allow empty" 0 "" -- "$BIN" assess empty.json --allow-empty --fail-on exceeds
expect "policy empty" 2 "E720" -- "$BIN" assess "$ROOT/models/gpt-3-175b.json" --policy ""
expect "policy commas" 2 "E720" -- "$BIN" assess "$ROOT/models/gpt-3-175b.json" --policy ",,,"
expect "empty policies/" 2 "E721" -- "$BIN" assess "$ROOT/models/gpt-3-175b.json" --data-dir nopol --fail-on exceeds
expect "validate empty" 2 "E206" -- "$BIN" validate empty.json

# --- 2. unreadable inputs are errors with the path (as an unprivileged user).
AS=()
if [[ $(id -u) -eq 0 ]]; then
    AS=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
mkdir -p locked lockdata/policies
echo "$RECORD" >locked/a.json
cp "$ROOT/policies/"*.json lockdata/policies/
echo "$RECORD" >nofile.json
chmod 000 locked nofile.json
chmod 000 lockdata/policies
mkdir -p nodata && chmod 000 nodata
expect "unreadable folder" 2 "E207.*locked" -- "${AS[@]}" "$BIN" assess locked --fail-on exceeds
expect "unreadable folder validate" 2 "E207.*locked" -- "${AS[@]}" "$BIN" validate locked
expect "unreadable file" 2 "E207.*nofile.json" -- "${AS[@]}" "$BIN" assess nofile.json --fail-on exceeds
expect "unreadable file jsonl" 2 "E207" -- "${AS[@]}" "$BIN" validate nofile.json
expect "unreadable policies/" 2 "E207.*policies" -- "${AS[@]}" "$BIN" assess "$ROOT/models/gpt-3-175b.json" --data-dir lockdata --fail-on exceeds
expect "unreadable data-dir" 2 "E207.*nodata" -- "${AS[@]}" "$BIN" assess "$ROOT/models/gpt-3-175b.json" --data-dir nodata
chmod 755 locked lockdata/policies nodata
chmod 644 nofile.json

# --- 4. -o onto devices, FIFOs and symbolic links.
if [[ $(id -u) -eq 0 ]]; then
    mknod nulldev c 1 3
    expect "-o char device" 0 "" -- "$BIN" assess "$ROOT/models/gpt-3-175b.json" --format csv -o nulldev
    [[ -c nulldev ]] || fail "-o char device: the device node was replaced"
    mknod fulldev c 1 7
    expect "-o full device" 2 "E703.*fulldev" -- "$BIN" assess "$ROOT/models/gpt-3-175b.json" --format csv -o fulldev
    [[ -c fulldev ]] || fail "-o full device: the device node was replaced"
fi
mkfifo outfifo
timeout 30 cat outfifo >fifo-copy.txt &
reader=$!
expect "-o FIFO" 0 "" -- "$BIN" assess "$ROOT/models/gpt-3-175b.json" --format csv -o outfifo
wait "$reader"
[[ -p outfifo ]] || fail "-o FIFO: the FIFO was replaced"
grep -q "gpt-3" fifo-copy.txt || fail "-o FIFO: the reader got no report"
expect "-o FIFO without reader" 2 "E703.*no reader" -- "$BIN" assess "$ROOT/models/gpt-3-175b.json" --format csv -o outfifo
echo old >target.csv
ln -s target.csv link.csv
expect "-o symlink" 0 "" -- "$BIN" assess "$ROOT/models/gpt-3-175b.json" --format csv -o link.csv
[[ -L link.csv ]] || fail "-o symlink: the link was replaced"
grep -q "gpt-3" target.csv || fail "-o symlink: the target was not written"
mkdir -p outdir
expect "-o folder" 2 "E703.*directory" -- "$BIN" assess "$ROOT/models/gpt-3-175b.json" -o outdir

# --- 6. FIFO inputs: no writer is a timeout, not a hang; a writer is read like stdin.
mkfifo in.jsonl
expect "FIFO no writer" 2 "E208.*in.jsonl" -- env FLOPLEDGER_INPUT_TIMEOUT_MS=300 "$BIN" assess in.jsonl
(echo "$RECORD" >in.jsonl) &
expect "FIFO with writer" 0 "" -- "$BIN" assess in.jsonl --format csv
grep -q '^m,' "$T/out.txt" || fail "FIFO with writer: record m not in the output"
wait
mkfifo in.json
(printf '[%s]\n' "$RECORD" >in.json) &
expect "FIFO array" 0 "" -- "$BIN" assess in.json --format csv
wait

# --- 5. bounded memory: arrays streamed, limits before allocation, never exit 3.
/usr/bin/python3 - <<'EOF'
import json
recs = [{"id": "m%d" % i, "stages": [{"kind": "pretraining", "flop": "1e24"}]} for i in range(100000)]
with open("big-array.json", "w") as f:
    json.dump(recs, f, indent=1)
with open("big-records.json", "w") as f:
    json.dump({"records": recs[:1000]}, f)
stages = ",".join('{"kind":"pretraining","flop":"1"}' for _ in range(1000000))
with open("stages.json", "w") as f:
    f.write('{"id": "many", "stages": [%s]}' % stages)
with open("stages.jsonl", "w") as f:
    f.write('{"id": "many", "stages": [%s]}\n' % ",".join('{"kind":"pretraining","flop":"1"}' for _ in range(200000)))
EOF
expect "100k-record array in 1 GB" 0 "" -- bash -c "$VLIMIT 1000000; exec \"$BIN\" assess big-array.json --format csv --threads 2 --policy eu-ai-act-art51"
[[ $(wc -l <"$T/out.txt") -ge 100001 ]] || fail "100k-record array: not every record written"
expect "records object streamed" 0 "" -- bash -c "$VLIMIT 1000000; exec \"$BIN\" assess big-records.json --format jsonl"
[[ $(wc -l <"$T/out.txt") -eq 1000 ]] || fail "records object: not 1000 records"
expect "array on stdin" 0 "" -- bash -c "$VLIMIT 1000000; exec \"$BIN\" assess - --format csv < big-array.json"
expect "array element pointer" 2 "bad.json:3:/1/stages/0/flop: error E101" -- \
    bash -c "printf '[\n%s,\n{\"id\": \"b\", \"stages\": [{\"kind\": \"pretraining\", \"flop\": \"x\"}]}]\n' '$RECORD' > bad.json; exec \"$BIN\" assess bad.json"
expect "unclosed array" 2 "E201.*not closed" -- bash -c "printf '[%s' '$RECORD' > open.json; exec \"$BIN\" assess open.json"
expect "1M stages" 2 "E204" -- bash -c "$VLIMIT 2000000; exec \"$BIN\" assess stages.json"
expect "200k stages line" 2 "E204.*stages" -- bash -c "$VLIMIT 2000000; exec \"$BIN\" assess stages.jsonl"
head -c 100000000 /dev/zero | tr '\0' '\n' >blank-lines.jsonl
echo "$RECORD" >>blank-lines.jsonl
expect "100 MB of blank lines" 0 "" -- bash -c "$VLIMIT 1000000; exec \"$BIN\" assess blank-lines.jsonl --format csv"
grep -q '^m,' "$T/out.txt" || fail "blank lines: record m not in the output"
expect "huge line on stdin" 2 "E204" -- bash -c "$VLIMIT 1000000; head -c 300000000 /dev/zero | tr '\\0' ' ' | { printf '{\"id\": \"x\", \"notes\": \"'; cat; } | \"$BIN\" assess -"

{ printf 'Model,Training compute (FLOP)\nx,"'; head -c 300000000 /dev/zero | tr '\0' 'a'; printf '"\n'; } >huge.csv
expect "import epoch 300 MB cell" 2 "E204.*CSV is larger" -- bash -c "$VLIMIT 1500000; exec \"$BIN\" import epoch huge.csv"
rm -f huge.csv

# --- 9. the WEAK list.
printf '%s\n\0\0\0\n' "$RECORD" >nul.jsonl
expect "NUL-only line" 2 "nul.jsonl:2: error E202" -- "$BIN" assess nul.jsonl
printf '{"id": "ctl", "name": "a\\u0000b\\u001bc\\u0007d", "stages": [{"kind": "pretraining", "flop": "1e20"}]}\n' >ctl.jsonl
expect "control chars csv" 0 "" -- "$BIN" assess ctl.jsonl --format csv
if LC_ALL=C grep -qP '[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]' "$T/out.txt"; then fail "control chars csv: raw control bytes"; fi
expect "control chars md" 0 "" -- "$BIN" assess ctl.jsonl --format md
if LC_ALL=C grep -qP '[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]' "$T/out.txt"; then fail "control chars md: raw control bytes"; fi
mkdir -p links
echo "$RECORD" >links/a.json
ln -s nowhere.json links/dangling.json
ln -s loop.json links/loop.json
expect "dangling link warned" 0 "W?E?209.*dangling" -- "$BIN" assess links --format csv
expect "link loop warned" 0 "209.*loop" -- "$BIN" assess links --format csv
expect "seed -1" 2 "E701" -- "$BIN" assess "$ROOT/models/gpt-3-175b.json" --seed -1
expect "seed 2^64-1" 0 "" -- "$BIN" assess "$ROOT/models/gpt-3-175b.json" --seed 18446744073709551615
mkdir -p cyc
echo '{"id": "a", "parent": {"id": "b"}, "stages": [{"kind": "fine-tuning", "flop": "1e20"}]}' >cyc/a.json
echo '{"id": "b", "parent": {"id": "a"}, "stages": [{"kind": "fine-tuning", "flop": "1e20"}]}' >cyc/b.json
expect "parent cycle" 2 "E320" -- "$BIN" assess cyc
mkdir -p selfp
echo '{"id": "s", "parent": {"id": "s"}, "stages": [{"kind": "fine-tuning", "flop": "1e20"}]}' >selfp/s.json
expect "self parent" 2 "E320" -- "$BIN" assess selfp
mkdir -p dang
echo '{"id": "c", "parent": {"id": "nobody"}, "stages": [{"kind": "fine-tuning", "flop": "1e20"}]}' >dang/c.json
expect "dangling parent" 0 "E321.*nobody" -- "$BIN" assess dang
expect "plot renderer fails" 2 "E722" -- env FLOPLEDGER_GUI=/bin/false "$BIN" plot "$ROOT/models/gpt-3-175b.json" -o chart.png
dates=()
for i in $(seq 1 2001); do dates+=(--as-of 2025-01-01); done
expect "2001 dates refused" 2 "E704.*as-of" -- "$BIN" assess "$ROOT/models/gpt-3-175b.json" "${dates[@]}"

echo "reliability: $pass passed, $failures failed"
[[ $failures -eq 0 ]]
