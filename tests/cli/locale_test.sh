#!/usr/bin/env bash
# Issue 18: a C host that calls setlocale(LC_ALL, "de_DE.UTF-8") (comma decimal separator) gets
# the same exact JSON. Generates de_DE.UTF-8 into a temporary LOCPATH (needs Debian's `locales`
# package for the sources; see scripts/deps.sh), then runs the tests tagged [locale] of the given
# Catch2 binary (the CLI unit tests and the core unit tests).
# Usage: locale_test.sh TEST_BINARY
set -euo pipefail
TESTS=$(readlink -f "$1")
T=$(mktemp -d /tmp/flopledger-locale.XXXXXX)
trap 'rm -rf "$T"' EXIT
if ! localedef -i de_DE -f UTF-8 "$T/de_DE.UTF-8" 2>"$T/localedef.err"; then
    # localedef warns (exit 1) about some locales yet writes them; a missing one is the failure.
    [[ -d $T/de_DE.UTF-8 ]] || { cat "$T/localedef.err" >&2; exit 1; }
fi
LOCPATH=$T FLOPLEDGER_REQUIRE_LOCALE=1 "$TESTS" "[locale]"
