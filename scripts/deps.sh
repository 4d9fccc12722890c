#!/usr/bin/env bash
# Installs the Debian 12 packages FLOP Ledger needs, only those that are missing.
# Runs apt-get as root, or through sudo when not root.
set -euo pipefail
packages=(
  build-essential cmake pkg-config git ccache
  libboost-dev nlohmann-json3-dev libcli11-dev libfmt-dev catch2 libbenchmark-dev
  qt6-base-dev qt6-svg-dev libqcustomplot-dev libgl-dev qt6-qpa-plugins
  clang-14 libclang-rt-14-dev llvm-14
  python3 xvfb xauth
  libssl-dev python3-dev pybind11-dev python3-pybind11
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi
echo "deps: installing ${missing[*]}" >&2
SUDO=()
if [[ $(id -u) -ne 0 ]]; then SUDO=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
