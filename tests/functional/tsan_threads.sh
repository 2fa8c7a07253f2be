#!/usr/bin/env bash
# The threaded paths under ThreadSanitizer (docs/testing.md): BUILD_DIR is a build
# configured with -DAO_TSAN=ON holding allocopt and the unit tests that start threads.
#
#   scenarios solved in the pool (models/pool.c) with -j 2, under GLPK and under CLP;
#   uncertainty samples with -j 2, under each backend, once with progress shown (the
#     ticker thread of cli/progress.c);
#   a sweep's points with -j 2;
#   ranging in its own thread beside the second pass (every run above ranges);
#   test_plan, test_solver, test_uncertainty and test_run.
#
# Any report fails the run (halt_on_error=1). tests/tsan.supp holds the suppressions,
# each with its reason; none names allocopt's own code.
set -euo pipefail
build_dir=${1:?usage: tsan_threads.sh BUILD_DIR}
source_dir=$(cd "$(dirname "$0")/../.." && pwd)
allocopt=$build_dir/allocopt
export TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1 suppressions=$source_dir/tests/tsan.supp ${TSAN_OPTIONS:-}"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

step() {
    local name=$1
    shift
    if ! "$@" >"$work/out.log" 2>&1; then
        cat "$work/out.log" >&2
        echo "tsan: FAIL $name" >&2
        exit 1
    fi
    if grep -q "ThreadSanitizer" "$work/out.log"; then
        cat "$work/out.log" >&2
        echo "tsan: FAIL $name (a report)" >&2
        exit 1
    fi
    echo "tsan: ok   $name"
}

have_clp=0
if "$allocopt" --help | grep -q -- "--solver" &&
    "$allocopt" demo -q --solver clp -o "$work/probe.xlsx" >/dev/null 2>&1; then
    have_clp=1
fi

step "demo --all-scenarios -j 2 (GLPK)" \
    "$allocopt" demo -q --all-scenarios -j 2 --solver glpk -o "$work/scenarios.xlsx"
if [ $have_clp -eq 1 ]; then
    step "demo --all-scenarios -j 2 --solver clp" \
        "$allocopt" demo -q --all-scenarios -j 2 --solver clp -o "$work/scenarios-clp.xlsx"
fi

# The bundled example with an uncertainty table: revenue budgets drawn together, one
# service's benefit drawn on its own.
mkdir "$work/uncertain"
cp "$source_dir"/examples/england/*.csv "$work/uncertain/"
cat >"$work/uncertain/uncertainty.csv" <<'CSV'
table,column,key,distribution,apply,mean,sd,low,likely,high,draw
budgets,revenue,*/*,uniform,scale,,,0.9,,1.1,shared
services,benefit,CAN01,triangular,,,,0.4,0.5,0.6,
CSV
step "run --samples 4 -j 2 (GLPK)" \
    "$allocopt" run "$work/uncertain" -q --samples 4 -j 2 --solver glpk -o "$work/samples.xlsx"
if [ $have_clp -eq 1 ]; then
    step "run --samples 8 -j 2 --solver clp, progress shown" \
        "$allocopt" run "$work/uncertain" --samples 8 -j 2 --solver clp \
        -o "$work/samples-clp.xlsx"
fi
step "sweep --steps 3 -j 2" \
    "$allocopt" sweep "$source_dir/examples/england" -q --vary budgets.revenue \
    --from 0.9 --to 1.1 --steps 3 -j 2 -o "$work/sweep.xlsx"

for test in test_plan test_solver test_uncertainty test_run; do
    if [ -x "$build_dir/$test" ]; then
        step "$test" env CMOCKA_MESSAGE_OUTPUT=stdout "$build_dir/$test"
    fi
done
echo "tsan: every threaded path ran without a report"
