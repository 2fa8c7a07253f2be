#!/usr/bin/env bash
# Benchmark allocopt against the alternatives on generated England-scale inputs.
#
#   bench/run.sh [--quick] [--sizes "I/S/P/Y ..."] [--timeout SECONDS]
#                [--scenario-timeout SECONDS] [--skip NAME,...]
#
# For each size it generates an input (bench/generate.py, seed 1) and times,
# with GNU time (wall seconds and peak resident memory), one after the other:
#   allocopt_lp    allocopt run DIR --solver clp -o out.xlsx --json out.json -q
#                  --lp out.lp (writes the LP for the solver-only peers)
#   allocopt       the same without --lp: the headline figure, end to end
#                  (read, validate, formulate, solve, rank, second pass, verify,
#                  write the workbook and the JSON)
#   allocopt_glpk  the same with the default backend (GLPK)
#   gmpl           tests/oracle/solve.py DIR (csv2dat.py, then glpsol on the
#                  GNU MathProg model, two passes like allocopt)
#   pulp           bench/pulp_model.py DIR (PuLP model, CBC, first pass only)
#   glpsol_lp      glpsol --lp out.lp (GLPK alone on allocopt's first-pass LP)
#   clp            clp out.mps -dualsimplex (COIN-OR CLP alone on the same LP)
#   scenarios      allocopt run DIR --solver clp --all-scenarios -j 1 on a copy
#                  of the input keeping only the scenarios that change numbers
#                  (the 20 budget, demand, cost, capacity and setting scalings;
#                  the switch to joint commissioning is left out): each is
#                  warm-started from the baseline's basis
# and checks that every first-pass objective agrees with allocopt's within
# 1e-6 relative. bench/report.py then prints the Markdown tables (times and
# ratios, allocopt's phases from its JSON "timings", linearity, warm start,
# targets) and writes results.json.
#
# Sizes are ICBs/services/providers/years: 6/20/12/3, 14/50/40/5,
# 28/100/120/5 and national scale, 42/150/200/5; --quick runs the two
# smallest (under a minute). Each run is stopped after --timeout seconds
# (default 120), the scenario run after --scenario-timeout seconds (default
# 900: at national scale it takes about 11 minutes); a program stopped at one
# size is not run at the larger ones. With the defaults the whole run takes
# about 22 minutes on two cores, 11 of them the national scenario run
# (--skip scenarios: about 10); GLPK (allocopt_glpk, glpsol_lp) and the GMPL
# oracle run out of time at the larger sizes. --skip leaves the named runs
# out (allocopt_lp, allocopt, allocopt_glpk, gmpl, pulp, glpsol_lp, clp,
# scenarios).
#
# Environment: ALLOCOPT (default build-rel/allocopt when it exists, else
# build/allocopt; build-rel is the Release build:
#   cmake -S . -B build-rel -DCMAKE_BUILD_TYPE=Release -DAO_BUILD_TESTS=OFF
#   cmake --build build-rel -j2),
# BENCH_OUT (default build/bench: build*/ is ignored by git), GLPSOL, CLP,
# SEED (default 1).
# Needs: python3, /usr/bin/python3 with PuLP (python3-pulp), glpsol
# (glpk-utils), cbc (coinor-cbc), clp (coinor-clp), GNU time (time),
# timeout (coreutils).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD

sizes=("6/20/12/3" "14/50/40/5" "28/100/120/5" "42/150/200/5")
limit=120
scen_limit=900
skip=""
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) sizes=("6/20/12/3" "14/50/40/5") ;;
        --sizes) shift; read -r -a sizes <<<"$1" ;;
        --timeout) shift; limit=$1 ;;
        --scenario-timeout) shift; scen_limit=$1 ;;
        --skip) shift; skip=",$1," ;;
        -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
        *) echo "run.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
    esac
    shift
done

if [ -n "${ALLOCOPT:-}" ]; then
    allocopt=$ALLOCOPT
elif [ -x "$root/build-rel/allocopt" ]; then
    allocopt=$root/build-rel/allocopt
else
    allocopt=$root/build/allocopt
fi
out=${BENCH_OUT:-$root/build/bench}
glpsol=${GLPSOL:-glpsol}
clp=${CLP:-clp}
seed=${SEED:-1}
syspy=/usr/bin/python3

missing=()
[ -x "$allocopt" ] || missing+=("$allocopt (build it: cmake -S . -B build-rel -DCMAKE_BUILD_TYPE=Release -DAO_BUILD_TESTS=OFF \&\& cmake --build build-rel -j2)")
for tool in "$glpsol" "$clp" cbc timeout; do
    command -v "$tool" >/dev/null || missing+=("$tool")
done
[ -x /usr/bin/time ] || missing+=("/usr/bin/time (Debian package time)")
"$syspy" -c "import pulp" 2>/dev/null || missing+=("PuLP for $syspy (Debian package python3-pulp)")
if [ ${#missing[@]} -gt 0 ]; then
    printf 'run.sh: missing %s\n' "${missing[@]}" >&2
    exit 2
fi
mkdir -p "$out"

# timed NAME DIR CMD...: run CMD under timeout and GNU time; stdout to
# DIR/NAME.out, stderr to DIR/NAME.err; DIR/NAME.time gets "seconds KB exit",
# DIR/NAME.load the 1-minute load average before and after (other work on the
# machine slows every figure).
timed() {
    local name=$1 dir=$2
    shift 2
    cut -d' ' -f1 /proc/loadavg >"$dir/$name.load"
    /usr/bin/time -f "%e %M %x" -o "$dir/$name.time.raw" \
        timeout "$limit" "$@" >"$dir/$name.out" 2>"$dir/$name.err"
    tail -n 1 "$dir/$name.time.raw" >"$dir/$name.time"
    rm -f "$dir/$name.time.raw"
    cut -d' ' -f1 /proc/loadavg >>"$dir/$name.load"
}

# run_peer NAME DIR CMD...: timed, unless NAME already ran out of time on a
# smaller size (then DIR/NAME.skipped says so).
declare -A timed_out=()
run_peer() {
    local name=$1 dir=$2
    if [[ "$skip" == *",$name,"* ]]; then
        echo "[$size] $name skipped (--skip)" >&2
        echo "--skip" >"$dir/$name.skipped"
        return
    fi
    if [ -n "${timed_out[$name]:-}" ]; then
        echo "[$size] $name skipped (out of time at ${timed_out[$name]})" >&2
        echo "${timed_out[$name]}" >"$dir/$name.skipped"
        return
    fi
    echo "[$size] $name" >&2
    timed "$@"
    if [ "$(cut -d' ' -f3 "$dir/$name.time")" = 124 ]; then
        timed_out[$name]=$size
    fi
}

lp_complete() { [ -s "$1" ] && tail -n 1 "$1" | grep -q '^End'; }

# write_lp_only DIR: when allocopt was not run with --lp at this size, start it
# only to get the LP file (written before the solve starts), then stop it.
write_lp_only() {
    local dir=$1 pid waited=0
    echo "[$size] allocopt --lp, only to write the LP (not timed)" >&2
    rm -f "$dir/out.lp"
    "$allocopt" run "$dir/input" --solver clp -o "$dir/lp_only.xlsx" -q --lp "$dir/out.lp" \
        >/dev/null 2>&1 &
    pid=$!
    while kill -0 "$pid" 2>/dev/null && ! lp_complete "$dir/out.lp" && [ "$waited" -lt "$limit" ]; do
        sleep 1
        waited=$((waited + 1))
    done
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    rm -f "$dir/lp_only.xlsx"
}

# numeric_only DIR: DIR/numeric, the input with only the scenarios whose every
# change is a number (same LP shape as the baseline, so they warm-start).
numeric_only() {
    local dir=$1 f
    rm -rf "$dir/numeric"
    mkdir -p "$dir/numeric"
    for f in "$dir"/input/*.csv; do
        [ "$(basename "$f")" = scenarios.csv ] || ln -s "../input/$(basename "$f")" "$dir/numeric/"
    done
    awk -F, 'NR == FNR { if (FNR > 1 && $6 !~ /^-?[0-9.]+([eE][-+]?[0-9]+)?%?$/) bad[$1] = 1; next }
             FNR == 1 || !($1 in bad)' "$dir/input/scenarios.csv" "$dir/input/scenarios.csv" \
        >"$dir/numeric/scenarios.csv"
}

{
    echo "cores $(nproc)"
    echo "cpu $(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
    echo "memory_kb $(awk '/^MemTotal/ { print $2 }' /proc/meminfo)"
    echo "allocopt $allocopt"
    echo "timeout $limit"
    echo "scenario_timeout $scen_limit"
    echo "started $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "load_start $(cut -d' ' -f1-3 /proc/loadavg)"
} >"$out/machine.txt"
echo "allocopt benchmark: $(nproc) cores, $allocopt, timeout ${limit}s per run, output in $out" >&2
for size in "${sizes[@]}"; do
    IFS=/ read -r ni ns np ny <<<"$size"
    dir="$out/${ni}x${ns}x${np}x${ny}"
    mkdir -p "$dir"
    stamp="$ni $ns $np $ny $seed $(md5sum <"$root/bench/generate.py" | cut -c1-12)"
    if [ ! -f "$dir/input/settings.csv" ] || [ "$(cat "$dir/stamp" 2>/dev/null)" != "$stamp" ]; then
        echo "[$size] generating" >&2
        rm -rf "$dir/input"
        python3 "$root/bench/generate.py" "$dir/input" --icbs "$ni" --services "$ns" \
            --providers "$np" --years "$ny" --seed "$seed" || exit 3
        echo "$stamp" >"$dir/stamp"
    fi
    rm -f "$dir"/*.time "$dir"/*.load "$dir"/*.skipped "$dir"/*.out "$dir"/*.err "$dir"/out.* "$dir"/out_lp.* \
        "$dir"/*.sol "$dir"/*.mps "$dir"/lpfile.txt "$dir"/glpk.* "$dir"/scen.*

    # allocopt --lp first: it writes the LP before solving, so the solver-only
    # peers get their input even when allocopt itself runs out of time.
    run_peer allocopt_lp "$dir" "$allocopt" run "$dir/input" --solver clp -o "$dir/out_lp.xlsx" \
        --json "$dir/out_lp.json" -q --lp "$dir/out.lp"
    if [ "$(cut -d' ' -f3 "$dir/allocopt_lp.time" 2>/dev/null)" = 124 ]; then
        timed_out[allocopt]="$size with --lp"   # the same solve: no quicker without
    fi
    run_peer allocopt "$dir" "$allocopt" run "$dir/input" --solver clp -o "$dir/out.xlsx" \
        --json "$dir/out.json" -q
    run_peer allocopt_glpk "$dir" "$allocopt" run "$dir/input" -o "$dir/glpk.xlsx" \
        --json "$dir/glpk.json" -q
    lp_complete "$dir/out.lp" || write_lp_only "$dir"
    run_peer gmpl "$dir" "$root/tests/oracle/solve.py" "$dir/input"
    run_peer pulp "$dir" "$syspy" "$root/bench/pulp_model.py" "$dir/input"
    if lp_complete "$dir/out.lp"; then
        run_peer glpsol_lp "$dir" "$glpsol" --lp "$dir/out.lp" -o "$dir/glpsol_lp.sol"
        # the LP as free MPS for CLP (not timed); MPS carries no objective sense
        "$glpsol" --lp "$dir/out.lp" --check --wfreemps "$dir/out.mps" >"$dir/lpfile.txt" 2>&1
        sense=-min
        grep -q -m1 '^Maximize' "$dir/out.lp" && sense=-max
        run_peer clp "$dir" "$clp" "$dir/out.mps" "$sense" -dualsimplex
    fi
    numeric_only "$dir"
    echo "$(($(wc -l <"$dir/numeric/scenarios.csv") - 1)) rows, $(tail -n +2 "$dir/numeric/scenarios.csv" \
        | cut -d, -f1 | sort -u | wc -l) scenarios" >"$dir/numeric/count"
    run_limit=$limit
    limit=$scen_limit
    run_peer scenarios "$dir" "$allocopt" run "$dir/numeric" --solver clp --all-scenarios -j 1 \
        -o "$dir/scen.xlsx" --json "$dir/scen.json" -q
    limit=$run_limit
done
echo "finished $(date -u +%Y-%m-%dT%H:%M:%SZ)" >>"$out/machine.txt"
echo "load_end $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out/machine.txt"

python3 "$root/bench/report.py" "$out" "${sizes[@]}"
