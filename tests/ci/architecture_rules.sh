#!/usr/bin/env bash
# Architecture rules of issue 12, kept enforced by CTest ("ci: architecture rules"):
#  1. no .cpp file under core/src is over 900 lines (the guide's ~800, with a margin for small
#     hooks; a file that grows past it is split by subject, new logic in new files);
#  2. Boost.Multiprecision internals (`backend()`) are touched only in the fast-path boundary,
#     core/src/base/exact_fast.hpp (DEVELOPERS.md, "fast paths");
#  3. every name of the library is in the versioned inline namespace flopledger::v1 (issue 17):
#     core sources open `namespace flopledger::inline v1`, public headers (C++17) open
#     `namespace flopledger {` followed by `inline namespace v1 {`.
# Prints every violation and exits 1 if there is one.
#   usage: architecture_rules.sh [REPO]   (default: the repository holding this script)
set -euo pipefail
repo=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
src=$repo/core/src
max_lines=900
boundary=core/src/base/exact_fast.hpp

[[ -d $src ]] || { echo "architecture rules: $src not found" >&2; exit 2; }
[[ -f $repo/$boundary ]] || { echo "architecture rules: $boundary not found" >&2; exit 2; }

status=0
files=0
while IFS= read -r -d '' f; do
  files=$((files + 1))
  n=$(wc -l <"$f")
  if ((n > max_lines)); then
    echo "architecture rules: ${f#"$repo"/} has $n lines (limit $max_lines): split it by subject" >&2
    status=1
  fi
done < <(find "$src" -name '*.cpp' -print0)
((files > 0)) || { echo "architecture rules: no .cpp under $src" >&2; exit 2; }

# Same search as the issue's check: grep -rn "backend()" core/src.
hits=$(cd "$repo" && grep -rn "backend()" core/src | grep -v "^$boundary:" || true)
if [[ -n $hits ]]; then
  echo "architecture rules: backend() used outside $boundary (go through its named operations):" >&2
  echo "$hits" >&2
  status=1
fi
if ! (cd "$repo" && grep -q "backend()" "$boundary"); then
  # The boundary itself must still be the one place: if it no longer uses backend(), this check
  # is looking at the wrong file.
  echo "architecture rules: $boundary no longer uses backend(); update this check" >&2
  status=1
fi
# Rule 3: a plain `namespace flopledger {` in a source would declare unversioned names.
plain=$(cd "$repo" && grep -rnE "^\s*namespace flopledger(::[a-z_:]+)? \{" core/src core/capi || true)
if [[ -n $plain ]]; then
  echo "architecture rules: unversioned namespace (write 'namespace flopledger::inline v1'):" >&2
  echo "$plain" >&2
  status=1
fi
for h in "$repo"/core/include/flopledger/*.hpp; do
  [[ -f $h ]] || continue
  opens=$(grep -c "^namespace flopledger {" "$h" || true)
  inline=$(grep -A1 "^namespace flopledger {" "$h" | grep -c "^inline namespace v1 {" || true)
  if [[ $opens != "$inline" ]]; then
    echo "architecture rules: ${h#"$repo"/} opens namespace flopledger without 'inline namespace v1'" >&2
    status=1
  fi
done
((status == 0)) && echo "architecture rules: ok ($files .cpp files under core/src, none over $max_lines lines; backend() only in $boundary; every name in flopledger::v1)"
exit $status
