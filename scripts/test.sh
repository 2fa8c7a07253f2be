#!/usr/bin/env bash
# The whole test suite:
#  1. the bundled example under valgrind, in a build without sanitizers: no memory
#     error and nothing left allocated (the solver's per-thread environments included),
#     with GLPK and, when it is built, with CLP; then the Debian package of that build
#     (cpack), installed with apt-get when run as root (CI), and run;
#  2. each libFuzzer harness briefly (FUZZ_SECONDS each, default 15; longer runs:
#     fuzz/run.sh SECONDS);
#  3. the threaded paths (scenarios, uncertainty samples and sweep points with -j 2,
#     ranging beside the second pass, the unit tests that start threads) in a build with
#     ThreadSanitizer (tests/functional/tsan_threads.sh);
#  4. every unit and functional test (ctest) in a build with AddressSanitizer,
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

# The Debian package, from the same build: installed as root (CI) with apt-get and
# removed again when it was not installed before; elsewhere unpacked into a folder.
# Either way the packaged program runs the bundled example, and the manual page and the
# bash completion are where man and bash look for them.
rm -f "$release_dir"/allocopt_*.deb
(cd "$release_dir" && cpack -G DEB >cpack.log 2>&1) || { cat "$release_dir/cpack.log"; exit 1; }
package=$(ls "$release_dir"/allocopt_*.deb)
case $package in /*) ;; *) package=./$package ;; esac
package_out=$(mktemp -d)
if [ "$(id -u)" -eq 0 ]; then
    installed_before=$(dpkg-query -W -f='${Status}' allocopt 2>/dev/null || true)
    apt-get install -y -q --no-install-recommends "$package" >"$package_out/apt.log" 2>&1 ||
        { cat "$package_out/apt.log"; exit 1; }
    /usr/bin/allocopt demo -q -o "$package_out/demo.xlsx"
    test -s "$package_out/demo.xlsx"
    if command -v man >/dev/null 2>&1; then
        man -w allocopt >/dev/null
    fi
    test -f /usr/share/man/man1/allocopt.1.gz
    test -f /usr/share/doc/allocopt/copyright
    test -f /usr/share/bash-completion/completions/allocopt
    if [ "$installed_before" != "install ok installed" ]; then
        apt-get remove -y -q allocopt >/dev/null
    fi
else
    dpkg-deb -x "$package" "$package_out/root"
    "$package_out/root/usr/bin/allocopt" demo -q -o "$package_out/demo.xlsx"
    test -s "$package_out/demo.xlsx"
    test -f "$package_out/root/usr/share/man/man1/allocopt.1.gz"
    test -f "$package_out/root/usr/share/doc/allocopt/copyright"
    test -f "$package_out/root/usr/share/bash-completion/completions/allocopt"
fi
rm -rf "$package_out"
echo "package: $(basename "$package") installs and runs the bundled example"

fuzz_dir=${FUZZ_BUILD_DIR:-build-fuzz}
mkdir -p "$fuzz_dir"
if ! FUZZ_BUILD_DIR="$fuzz_dir" bash fuzz/run.sh "${FUZZ_SECONDS:-15}" >"$fuzz_dir/run.log" 2>&1; then
    tail -n 60 "$fuzz_dir/run.log"
    echo "fuzzing found a problem: see $fuzz_dir/findings" >&2
    exit 1
fi
echo "fuzzing: every harness ran ${FUZZ_SECONDS:-15}s without a finding"

tsan_dir=${AO_TSAN_BUILD_DIR:-build-tsan}
cmake -S . -B "$tsan_dir" -DCMAKE_BUILD_TYPE=Debug -DAO_TSAN=ON -DAO_WERROR=ON >/dev/null
cmake --build "$tsan_dir" -j"$jobs" --target allocopt test_plan test_solver test_uncertainty \
    test_run
bash tests/functional/tsan_threads.sh "$tsan_dir"

build_dir=${AO_TEST_BUILD_DIR:-build-test}
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Debug -DAO_SANITIZE=ON -DAO_WERROR=ON
cmake --build "$build_dir" -j"$jobs"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
ctest --test-dir "$build_dir" --output-on-failure -j"$jobs"
