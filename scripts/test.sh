#!/usr/bin/env bash
# Build allocopt with AddressSanitizer, UndefinedBehaviorSanitizer and -Werror, then run
# the whole test suite (unit tests and functional tests) with ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${AO_TEST_BUILD_DIR:-build-test}
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Debug -DAO_SANITIZE=ON -DAO_WERROR=ON
cmake --build "$build_dir" -j"$(nproc)"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
ctest --test-dir "$build_dir" --output-on-failure -j"$(nproc)"
