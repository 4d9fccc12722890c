#!/usr/bin/env bash
# The full test suite, as CI runs it: install what is missing, build everything, run every
# Catch2 suite through CTest (unit, data, cli golden files, gui offscreen, examples, installed
# package consumers), the fast paths against their reference implementations (a second core +
# CLI build with FLOPLEDGER_FAST_PATHS=OFF, output compared byte for byte), then the sanitizer
# builds (ASan+UBSan, ThreadSanitizer) and short fuzz runs.
# FLOPLEDGER_QUICK=1 skips the sanitizer builds and the fuzz runs; FLOPLEDGER_TSAN=0 skips only
# the ThreadSanitizer stage.
set -euo pipefail
cd "$(dirname "$0")/.."
# Each stage's wall time is printed when it ends ("stage NAME: N s"), so a slow CI run shows
# where its time went; docs/testing.md ("CI time") has the figures from scratch and warm.
stage() {
  local name=$1 start=$SECONDS
  shift
  "$@"
  echo "stage $name: $((SECONDS - start)) s (total $SECONDS s)"
}
stage deps scripts/deps.sh
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD} CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
stage build scripts/build.sh -DFLOPLEDGER_WERROR=ON
export QT_QPA_PLATFORM=offscreen
ctest_all() { (cd build && ctest --output-on-failure --parallel "$(nproc)" --timeout 600); }
stage ctest ctest_all
stage fast-paths scripts/fast_paths_diff.sh
if [[ ${FLOPLEDGER_QUICK:-0} != 1 ]]; then
  [[ -x tests/sanitize.sh ]] && stage sanitize tests/sanitize.sh
  # ThreadSanitizer (clean run and duration recorded in docs/testing.md); FLOPLEDGER_TSAN=0
  # skips it locally.
  if [[ ${FLOPLEDGER_TSAN:-1} == 1 && -x tests/tsan.sh ]]; then stage tsan tests/tsan.sh; fi
  [[ -x tests/fuzz/run_short.sh ]] && stage fuzz tests/fuzz/run_short.sh
fi
echo "all test stages passed ($SECONDS s)"
