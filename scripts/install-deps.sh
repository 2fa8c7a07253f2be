#!/usr/bin/env bash
# Install every Debian package allocopt needs to build and to run its tests.
# Run as root (or through sudo) on Debian 12 or later.
set -euo pipefail

build_packages=(
    build-essential cmake pkg-config dpkg-dev
    libglpk-dev libxlsxwriter-dev libjansson-dev libcsv-dev libzip-dev libexpat1-dev
    coinor-libclp-dev
)
test_packages=(
    libcmocka-dev glpk-utils python3 valgrind libreoffice-calc clang libclang-rt-14-dev
)

if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        exec sudo "$0" "$@"
    fi
    echo "install-deps.sh: run this as root (apt-get needs it)" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
missing=()
for package in "${build_packages[@]}" "${test_packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed"; then
        missing+=("$package")
    fi
done
if [ "${#missing[@]}" -eq 0 ]; then
    echo "All dependencies are installed."
    exit 0
fi
echo "Installing: ${missing[*]}"
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
