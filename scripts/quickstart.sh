#!/usr/bin/env bash
# Install the dependencies, build allocopt and run the bundled example.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DAO_BUILD_TESTS=OFF
cmake --build build -j"$(nproc)"
./build/allocopt demo -o demo-results.xlsx
echo
echo "Open demo-results.xlsx in Excel or LibreOffice to see the plan."
