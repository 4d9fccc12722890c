#!/usr/bin/env bash
# Issue 18, item 1 and the WEAK list, for the GUI's headless modes (the interface that
# `flopledger plot` execs): a plot as of a far date (2300, where the illustrative
# effective-compute threshold is 1.337078e-99 FLOP) draws the models, a comma-decimal host locale
# (de_DE.UTF-8) loses no point, and an oversized image is refused with a located E704 before any
# memory is reserved. Generates de_DE.UTF-8 into a temporary LOCPATH (Debian's `locales`).
# Usage: headless_reliability.sh FLOPLEDGER_GUI REPO_ROOT
set -u
GUI=$(readlink -f "$1")
ROOT=$(readlink -f "$2")
T=$(mktemp -d /tmp/flopledger-gui-reliab.XXXXXX)
trap 'rm -rf "$T"' EXIT
cd "$T"
export QT_QPA_PLATFORM=offscreen
failures=0
fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}
if ! localedef -i de_DE -f UTF-8 "$T/de_DE.UTF-8" 2>localedef.err; then
    [[ -d $T/de_DE.UTF-8 ]] || { cat localedef.err >&2; exit 1; }
fi

# markers FILE: the model points of an SVG plot (each a circle of radius 3.5; the radius-7
# circles are the rings around third-party estimates, so they are not counted; points that fall
# on the same pixel are drawn once).
markers() { grep -c '<circle[^>]*r="3.5"' "$1" || true; }

# plot NAME LOCALE DATE: renders models/ with the effective-compute policy first (it colours
# the chart) and prints the number of markers (0 if it failed). Runs in a subshell ($(...)), so
# failures are left in NAME.fail and counted afterwards.
plot() {
    local name=$1 loc=$2 date=$3 code=0
    LOCPATH=$T LC_ALL=$loc timeout 300 "$GUI" --plot "$name.svg" "$ROOT/models" --as-of "$date" \
        --policy illustrative-effective-compute-1e25 --width 800 --height 500 2>"$name.err" || code=$?
    if [[ $code -ne 0 ]]; then
        echo "$name: exit $code: $(head -c 300 "$name.err")" >"$name.fail"
        echo 0
        return
    fi
    if grep -q "error" "$name.err"; then echo "$name: $(head -c 300 "$name.err")" >"$name.fail"; fi
    markers "$name.svg"
}

c2025=$(plot c2025 C 2025-09-01)
de2025=$(plot de2025 de_DE.UTF-8 2025-09-01)
c2300=$(plot c2300 C 2300-01-01)
de2300=$(plot de2300 de_DE.UTF-8 2300-01-01)
for f in *.fail; do [[ -e $f ]] && fail "$(cat "$f")"; done
echo "markers: C 2025 $c2025, de_DE 2025 $de2025, C 2300 $c2300, de_DE 2300 $de2300"
# models/ holds over a hundred dated records: a plot with fewer markers lost its points (the
# defect drew none). The locales' axis labels differ in width, so pixel-merged points may differ
# by a few; 95% is far from "every point lost".
((c2025 >= 100)) || fail "C 2025: only $c2025 markers"
((c2300 >= 100)) || fail "C 2300: only $c2300 markers (far date)"
((de2025 * 100 >= c2025 * 95)) || fail "de_DE 2025: $de2025 markers against $c2025 in C"
((de2300 * 100 >= c2300 * 95)) || fail "de_DE 2300: $de2300 markers against $c2300 in C"

# A 20000 x 20000 chart needed 1.5 GB: refused (E704, exit 2) before rendering.
LC_ALL=C timeout 120 "$GUI" --plot big.png "$ROOT/models/gpt-3-175b.json" --width 20000 --height 20000 \
    2>big.err
code=$?
[[ $code -eq 2 ]] || fail "20000 x 20000: exit $code, expected 2"
grep -q "E704.*40 megapixels" big.err || fail "20000 x 20000: no E704 limit message: $(head -c 300 big.err)"
[[ -e big.png ]] && fail "20000 x 20000: an image was written"

echo "gui headless reliability: $failures failed"
[[ $failures -eq 0 ]]
