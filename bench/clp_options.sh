#!/bin/bash
# CLP's options on the same LP: bench/clp_options.sh FILE.mps [max]
# Builds bench/clp_options.c (into $BENCH_OUT, default build/bench) and runs it once per
# setting, one after the other: the settings allocopt uses first, then one change each.
# FILE.mps: allocopt's LP (`allocopt run DIR --lp out.lp`, then
# `glpsol --check --lp out.lp --wfreemps out.mps`); `max` when the LP maximises.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${BENCH_OUT:-$root/build/bench}
mkdir -p "$out"
prog=$out/clp_options
cc -O2 -Wall -Wextra -I/usr/include/coin "$root/bench/clp_options.c" -o "$prog" -lClp -lCoinUtils
mps=$1
sense=${2:-}
settings=("" "perturbation=100" "scaling=1" "scaling=3" "crash=1" "passes=10" "substitution=10"
          "dual_bound=1e7" "presolve=off" "auto" "primal")
for s in "${settings[@]}"; do
    printf '%-18s ' "${s:-as allocopt}"
    # shellcheck disable=SC2086
    timeout "${CLP_OPTIONS_TIMEOUT:-600}" "$prog" "$mps" $sense $s || echo "stopped (timeout or failure)"
done
