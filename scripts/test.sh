#!/usr/bin/env bash
# The whole test suite:
#  1. the bundled example under valgrind, in a build without sanitizers: no memory
#     error and nothing left allocated (the solver's per-thread environments included),
#     with GLPK and, when it is built, with CLP;
#  2. each libFuzzer harness briefly (FUZZ_SECONDS each, default 15; longer runs:
#     fuzz/run.sh SECONDS);
#  3. every unit and functional test (ctest) in a build with AddressSanitizer,
#     UndefinedBehaviorSanitizer and -Werror.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

release_dir=${AO_RELEASE_BUILD_DIR:-build-release}
cmake -S . -B "$release_dir" -DCMAKE_BUILD_TYPE=Release -DAO_WERROR=ON -DAO_BUILD_TESTS=OFF
cmake --build "$release_dir" -j"$jobs"
valgrind_out=$(mktemp -d)
valgrind --quiet --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all \
    --error-exitcode=9 "$release_dir/allocopt" demo -q --all-scenarios -j 2 \
    -o "$valgrind_out/demo.xlsx"
if "$release_dir/allocopt" --help | grep -q -- "--solver"; then
    # The same with the CLP backend (its C++ library included), when it is built.
    if "$release_dir/allocopt" demo -q --solver clp -o "$valgrind_out/probe.xlsx" 2>/dev/null; then
        valgrind --quiet --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all \
            --error-exitcode=9 "$release_dir/allocopt" demo -q --all-scenarios -j 2 \
            --solver clp -o "$valgrind_out/demo-clp.xlsx"
    fi
fi
rm -rf "$valgrind_out"
echo "valgrind: the bundled example ran clean"

fuzz_dir=${FUZZ_BUILD_DIR:-build-fuzz}
mkdir -p "$fuzz_dir"
if ! FUZZ_BUILD_DIR="$fuzz_dir" bash fuzz/run.sh "${FUZZ_SECONDS:-15}" >"$fuzz_dir/run.log" 2>&1; then
    tail -n 60 "$fuzz_dir/run.log"
    echo "fuzzing found a problem: see $fuzz_dir/findings" >&2
    exit 1
fi
echo "fuzzing: every harness ran ${FUZZ_SECONDS:-15}s without a finding"

build_dir=${AO_TEST_BUILD_DIR:-build-test}
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Debug -DAO_SANITIZE=ON -DAO_WERROR=ON
cmake --build "$build_dir" -j"$jobs"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
ctest --test-dir "$build_dir" --output-on-failure -j"$jobs"
