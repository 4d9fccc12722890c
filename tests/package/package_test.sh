#!/usr/bin/env bash
# Tests of the installed package, run by CTest (tests/package/CMakeLists.txt):
#   package_test.sh STEP SOURCE_DIR BUILD_DIR PREFIX CC CXX
# STEP: install | cmake-consumer | pkgconfig-consumer | headers | python | deb
set -euo pipefail
step=$1 src=$2 build=$3 prefix=$4 cc=$5 cxx=$6
work=$build/tests/package/work-$step
rm -rf "$work"
mkdir -p "$work"

compare() {  # compare EXPECTED_FILE ACTUAL_FILE
  if ! diff -u "$1" "$2"; then
    echo "output differs from $1" >&2
    exit 1
  fi
}

case $step in
install)
  rm -rf "$prefix"
  cmake --install "$build" --prefix "$prefix" >"$work/install.log"
  for f in include/flopledger/flopledger.hpp include/flopledger/flopledger.h \
           include/flopledger/version.hpp lib/cmake/flopledger/flopledgerConfig.cmake \
           lib/cmake/flopledger/flopledgerConfigVersion.cmake \
           lib/cmake/flopledger/flopledgerTargets.cmake lib/pkgconfig/flopledger.pc \
           share/flopledger/policies/eu-ai-act-art51.json \
           share/flopledger/hardware/accelerators.json; do
    [[ -f $prefix/$f ]] || { echo "not installed: $f" >&2; exit 1; }
  done
  ls "$prefix"/lib/libflopledger_c.so.1 >/dev/null
  ls "$prefix"/lib/libflopledger.* >/dev/null
  # nlohmann/json is private: nothing installed may need it.
  if grep -rl nlohmann "$prefix/include" "$prefix/lib/cmake"; then
    echo "installed headers or CMake files mention nlohmann" >&2
    exit 1
  fi
  # Only the C API is exported from the shared library: every defined dynamic symbol (functions,
  # data, weak template instances; not the version node) is a function declared in flopledger.h.
  exported=$(nm -D --defined-only "$prefix/lib/libflopledger_c.so.1" | awk '$2 != "A" {print $3}' \
             | sed 's/@.*//' | sort -u)
  expected=$(grep -o 'FLOPLEDGER_C_API[^(]*[ *]\(flopledger_[a-z_]*\)(' "$src/core/include/flopledger/flopledger.h" \
             | sed 's/.*[ *]\(flopledger_[a-z_]*\)(/\1/' | sort -u)
  if [[ $exported != "$expected" ]]; then
    echo "libflopledger_c exports differ from the functions of flopledger.h:" >&2
    diff <(echo "$expected") <(echo "$exported") >&2 || true
    exit 1
  fi
  # The Boost version of the build is recorded, exactly, in the package config.
  grep -q "find_dependency(Boost $(grep -o 'FLOPLEDGER_BOOST_VERSION:INTERNAL=.*' "$build/CMakeCache.txt" | cut -d= -f2) EXACT)" \
    "$prefix/lib/cmake/flopledger/flopledgerConfig.cmake" || { echo "Boost version not recorded in flopledgerConfig.cmake" >&2; exit 1; }
  # The version script is the list kept in step with the header.
  mapped=$(grep -o 'flopledger_[a-z_]*;' "$src/cmake/flopledger_c.map" | tr -d ';' | sort -u)
  [[ $mapped == "$expected" ]] || { echo "cmake/flopledger_c.map differs from flopledger.h" >&2; exit 1; }
  echo "installed to $prefix"
  ;;
python)
  # The installed module: `import flopledger` from <prefix>/lib/python3/dist-packages.
  [[ -f $prefix/lib/python3/dist-packages/flopledger/__init__.py ]] || { echo "python module not installed" >&2; exit 1; }
  "$prefix/bin/flopledger" assess "$src/models" --format json >"$work/cli.json"
  PYTHONPATH="$prefix/lib/python3/dist-packages" /usr/bin/python3 "$src/tests/package/python_consumer.py" \
    "$prefix" "$src/models" "$work/cli.json"
  ;;
cmake-consumer)
  cmake -S "$src/examples/06-find-package-consumer" -B "$work/build" -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON -Dnlohmann_json_DIR=/nonexistent >"$work/configure.log"
  cmake --build "$work/build" >"$work/build.log"
  "$work/build/consumer" >"$work/actual.txt"
  compare "$src/examples/06-find-package-consumer/expected_output.txt" "$work/actual.txt"
  # A different major version must be refused (SameMajorVersion).
  mkdir -p "$work/v2"
  cat >"$work/v2/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.16)
project(v2 LANGUAGES CXX)
find_package(flopledger 2 CONFIG QUIET)
if(flopledger_FOUND)
  message(FATAL_ERROR "flopledger 1.x accepted a request for version 2")
endif()
CMAKE
  cmake -S "$work/v2" -B "$work/v2/build" -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_CXX_COMPILER="$cxx" >"$work/v2.log"
  echo "find_package consumer OK"
  ;;
pkgconfig-consumer)
  export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
  [[ $(pkg-config --modversion flopledger) == "$(sed -n 's/^#define FLOPLEDGER_VERSION "\(.*\)"/\1/p' "$src/core/include/flopledger/version.hpp")" ]]
  # shellcheck disable=SC2046
  "$cc" -std=c89 -Wall -Wextra -pedantic -Werror -o "$work/c_consumer" \
    "$src/examples/04-c-api/main.c" $(pkg-config --cflags --libs flopledger)
  LD_LIBRARY_PATH=$prefix/lib "$work/c_consumer" >"$work/actual.txt"
  compare "$src/examples/04-c-api/expected_output.txt" "$work/actual.txt"
  echo "pkg-config C consumer OK"
  ;;
headers)
  # Every installed public header compiles on its own, as C++17, with only Boost besides.
  for h in "$prefix"/include/flopledger/*.hpp; do
    printf '#include <flopledger/%s>\nint main() { return 0; }\n' "$(basename "$h")" >"$work/one.cpp"
    "$cxx" -std=c++17 -Wall -Wextra -Wpedantic -Werror -fsyntax-only -I"$prefix/include" "$work/one.cpp" ||
      { echo "header $(basename "$h") does not compile on its own as C++17" >&2; exit 1; }
  done
  printf '#include <flopledger/flopledger.h>\nint main(void) { return 0; }\n' >"$work/one.c"
  "$cc" -std=c89 -Wall -Wextra -pedantic -Werror -fsyntax-only -I"$prefix/include" "$work/one.c"
  echo "headers OK"
  ;;
deb)
  (cd "$work" && cpack --config "$build/CPackConfig.cmake" -G DEB -B "$work" >"$work/cpack.log" 2>&1) ||
    { tail -30 "$work/cpack.log" >&2; exit 1; }
  deb=$(ls "$work"/*.deb | head -1)
  dpkg-deb --info "$deb" >"$work/info.txt"
  dpkg-deb --contents "$deb" >"$work/contents.txt"
  for f in ./usr/bin/flopledger ./usr/include/flopledger/flopledger.h ./usr/lib/pkgconfig/flopledger.pc \
           ./usr/lib/cmake/flopledger/flopledgerConfig.cmake ./usr/share/flopledger/policies/eu-ai-act-art51.json; do
    grep -q " $f\$" "$work/contents.txt" || grep -q " $f -> " "$work/contents.txt" ||
      { echo "$deb lacks $f" >&2; exit 1; }
  done
  grep -q "^ Package: flopledger" "$work/info.txt"
  echo "built $(basename "$deb")"
  ;;
*)
  echo "unknown step $step" >&2
  exit 2
  ;;
esac
