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
scripts/deps.sh
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD} CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
scripts/build.sh -DFLOPLEDGER_WERROR=ON
export QT_QPA_PLATFORM=offscreen
(cd build && ctest --output-on-failure --parallel "$(nproc)" --timeout 600)
scripts/fast_paths_diff.sh
if [[ ${FLOPLEDGER_QUICK:-0} != 1 ]]; then
  [[ -x tests/sanitize.sh ]] && tests/sanitize.sh
  # ThreadSanitizer (clean run and duration recorded in docs/testing.md); FLOPLEDGER_TSAN=0
  # skips it locally.
  if [[ ${FLOPLEDGER_TSAN:-1} == 1 && -x tests/tsan.sh ]]; then tests/tsan.sh; fi
  [[ -x tests/fuzz/run_short.sh ]] && tests/fuzz/run_short.sh
fi
echo "all test stages passed"
