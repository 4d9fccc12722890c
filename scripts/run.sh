#!/usr/bin/env bash
# The main job: install what is missing, build, then assess the bundled registry (models/)
# against every shipped policy as of today. Prints the table and writes out/report.md,
# out/report.json and the chart out/chart.png.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/build.sh
mkdir -p out
bin=build/cli/flopledger
"$bin" assess models/
"$bin" assess models/ --format md -o out/report.md
"$bin" assess models/ --format json -o out/report.json
if "$bin" plot models/ -o out/chart.png 2>/dev/null; then
  echo "wrote out/report.md, out/report.json, out/chart.png"
else
  echo "wrote out/report.md, out/report.json"
fi
