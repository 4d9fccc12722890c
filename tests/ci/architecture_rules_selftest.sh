#!/usr/bin/env bash
# Shows that architecture_rules.sh can fail: it must reject a .cpp of 901 lines and a backend()
# call outside the boundary header, each alone, and accept the same tree without them.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mk() {  # a minimal tree: the boundary header and one small .cpp
  rm -rf "$tmp/repo"
  mkdir -p "$tmp/repo/core/src/base" "$tmp/repo/core/src/io"
  echo 'auto& limbs(T& x) { return x.backend(); }' >"$tmp/repo/core/src/base/exact_fast.hpp"
  printf 'int f() { return 1; }\n' >"$tmp/repo/core/src/io/small.cpp"
}
expect() {  # expect STATUS WHAT
  local want=$1 what=$2 got=0
  "$here/architecture_rules.sh" "$tmp/repo" >"$tmp/out" 2>&1 || got=$?
  if [[ $got != "$want" ]]; then
    echo "selftest: $what: exit $got, expected $want" >&2
    cat "$tmp/out" >&2
    exit 1
  fi
  echo "selftest: $what: exit $got as expected"
}
mk
expect 0 "clean tree"
seq 900 | sed 's/.*/\/\/ line/' >"$tmp/repo/core/src/io/big.cpp"
expect 0 "a .cpp of exactly 900 lines"
echo '// one more' >>"$tmp/repo/core/src/io/big.cpp"
expect 1 "a .cpp of 901 lines"
grep -q "io/big.cpp has 901 lines" "$tmp/out" || { echo "selftest: message does not name the file" >&2; exit 1; }
mk
echo 'void g(Exact& e) { e.backend().limbs(); }' >"$tmp/repo/core/src/io/leak.cpp"
expect 1 "backend() outside the boundary"
grep -q "core/src/io/leak.cpp:1:" "$tmp/out" || { echo "selftest: message does not locate the hit" >&2; exit 1; }
mk
echo 'x.backend();' >"$tmp/repo/core/src/base/other.hpp"
expect 1 "backend() in a header outside the boundary"
mk
printf 'namespace flopledger {\nint h();\n}\n' >"$tmp/repo/core/src/io/plain.cpp"
expect 1 "an unversioned namespace flopledger in a source"
mk
mkdir -p "$tmp/repo/core/include/flopledger"
printf 'namespace flopledger {\ninline namespace v1 {\n}\n}\n' >"$tmp/repo/core/include/flopledger/ok.hpp"
expect 0 "a public header with the inline namespace"
printf 'namespace flopledger {\nint h();\n}\n' >"$tmp/repo/core/include/flopledger/bad.hpp"
expect 1 "a public header without the inline namespace"
echo "selftest: ok"
