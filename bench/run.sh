#!/usr/bin/env bash
# Benchmark allocopt against the alternatives on generated England-scale inputs.
#
#   bench/run.sh [--quick] [--sizes "I/S/P/Y ..."] [--timeout SECONDS]
#                [--scenario-timeout SECONDS] [--skip NAME,...]
#   bench/run.sh --portfolio [--quick] [--sizes "I/S/P/Y ..."]
#                [--hard-sizes "I/S/P/Y ..."] [--hard-seeds "N ..."]
#                [--timeout SECONDS] [--skip NAME,...]
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
# --portfolio: the LP methods one by one, to choose between them. The
# instances are the generator's inputs at the four sizes (seed SEED) and its
# harder family (generate.py --hard: two large equity regions, a tight equity
# band, share floor and rules) at --hard-sizes (default 42/150/200/5) for
# each of --hard-seeds (default "1 2 3"); sizes in increasing order. For each
# instance allocopt first writes its first-pass LP (--lp, not timed; glpsol
# turns it into free MPS for CLP, not timed either), then one after the other:
#   allocopt_default  allocopt run DIR -o out.xlsx --json out.json -q (no
#                     --solver: the product's own choice), end to end
#   allocopt_clp      the same with --solver clp
#   clp_dual          clp out.mps -max -dualsimplex   (the LP alone)
#   clp_barrier       clp out.mps -max -barrier       (with crossover)
#   glpk_simplex      glpsol --lp out.lp
#   glpk_interior     glpsol --lp out.lp --interior
#   pulp              bench/pulp_model.py DIR (its own LP, CBC)
# report.py --portfolio prints the times with the "virtual best" (the fastest
# of the four methods on allocopt's LP) and every run's ratio to it, the
# objectives' agreement, and the LP's structure (rows, columns, nonzeros,
# regions, equity band, iterations) beside the winner; results.json holds
# the same. The timeout defaults to 300 s; a run stopped on one instance is
# not run on larger sizes of the same family (all seeds of a size are run).
# --quick: sizes 6/20/12/3 and 14/50/40/5, hard 6/20/12/3 seed 1 (under a
# minute). Output in BENCH_OUT/portfolio.
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
limit=""
scen_limit=900
skip=""
portfolio=0
quick=0
sizes_given=0
hard_sizes=""
hard_seeds=""
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) quick=1 ;;
        --sizes) shift; read -r -a sizes <<<"$1"; sizes_given=1 ;;
        --portfolio) portfolio=1 ;;
        --hard-sizes) shift; hard_sizes=$1 ;;
        --hard-seeds) shift; hard_seeds=$1 ;;
        --timeout) shift; limit=$1 ;;
        --scenario-timeout) shift; scen_limit=$1 ;;
        --skip) shift; skip=",$1," ;;
        -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
        *) echo "run.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
    esac
    shift
done
if [ "$quick" = 1 ] && [ "$sizes_given" = 0 ]; then
    sizes=("6/20/12/3" "14/50/40/5")
fi
if [ "$portfolio" = 1 ]; then
    [ -n "$limit" ] || limit=300
    if [ "$quick" = 1 ]; then
        [ -n "$hard_sizes" ] || hard_sizes="6/20/12/3"
        [ -n "$hard_seeds" ] || hard_seeds="1"
    fi
    [ -n "$hard_sizes" ] || hard_sizes="42/150/200/5"
    [ -n "$hard_seeds" ] || hard_seeds="1 2 3"
else
    [ -n "$limit" ] || limit=120
fi

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
[ "$portfolio" = 1 ] && out=$out/portfolio
mkdir -p "$out"

# timed NAME DIR CMD...: run CMD under timeout and GNU time; stdout to
# DIR/NAME.out, stderr to DIR/NAME.err; DIR/NAME.time gets "seconds KB exit
# user-seconds system-seconds" (CPU time, children included: less moved by
# other work on the machine than the wall time),
# DIR/NAME.load the 1-minute load average before and after (other work on the
# machine slows every figure).
timed() {
    local name=$1 dir=$2
    shift 2
    cut -d' ' -f1 /proc/loadavg >"$dir/$name.load"
    /usr/bin/time -f "%e %M %x %U %S" -o "$dir/$name.time.raw" \
        timeout "$limit" "$@" >"$dir/$name.out" 2>"$dir/$name.err"
    tail -n 1 "$dir/$name.time.raw" >"$dir/$name.time"
    rm -f "$dir/$name.time.raw"
    cut -d' ' -f1 /proc/loadavg >>"$dir/$name.load"
}

# run_peer NAME DIR CMD...: timed, unless NAME already ran out of time on a
# smaller size (then DIR/NAME.skipped says so).
# (In the portfolio the key is FAMILY:NAME and a run is skipped only at a
# size other than the one it ran out of time at: every seed of a size runs.)
declare -A timed_out=()
family=""
run_peer() {
    local name=$1 dir=$2 key=$1
    [ -z "$family" ] || key="$family:$1"
    if [[ "$skip" == *",$name,"* ]]; then
        echo "[${label:-$size}] $name skipped (--skip)" >&2
        echo "--skip" >"$dir/$name.skipped"
        return
    fi
    if [ -n "${timed_out[$key]:-}" ] && { [ -z "$family" ] || [ "${timed_out[$key]}" != "$size" ]; }; then
        echo "[${label:-$size}] $name skipped (out of time at ${timed_out[$key]})" >&2
        echo "${timed_out[$key]}" >"$dir/$name.skipped"
        return
    fi
    echo "[${label:-$size}] $name $(date +%H:%M:%S)" >&2
    timed "$@"
    if [ "$(cut -d' ' -f3 "$dir/$name.time")" = 124 ]; then
        timed_out[$key]=$size
    fi
}

lp_complete() { [ -s "$1" ] && tail -n 1 "$1" | grep -q '^End'; }

# write_lp_only DIR: when allocopt was not run with --lp at this size, start it
# only to get the LP file (written before the solve starts), then stop it.
write_lp_only() {
    local dir=$1 pid waited=0
    echo "[${label:-$size}] allocopt --lp, only to write the LP (not timed)" >&2
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

# portfolio INSTANCE FAMILY SIZE SEED [GENERATOR OPTION...]: generate (unless
# done), write the LP and its MPS, time every method; see --portfolio above.
portfolio_instance() {
    local name=$1 gen_args stamp sense
    family=$2 size=$3 label=$1
    local seed_i=$4
    shift 4
    gen_args=("$@")
    IFS=/ read -r ni ns np ny <<<"$size"
    dir="$out/$name"
    mkdir -p "$dir"
    stamp="$ni $ns $np $ny $seed_i ${gen_args[*]} $(md5sum <"$root/bench/generate.py" | cut -c1-12)"
    if [ ! -f "$dir/input/settings.csv" ] || [ "$(cat "$dir/stamp" 2>/dev/null)" != "$stamp" ]; then
        echo "[$name] generating" >&2
        rm -rf "$dir/input"
        python3 "$root/bench/generate.py" "$dir/input" --icbs "$ni" --services "$ns" \
            --providers "$np" --years "$ny" --seed "$seed_i" "${gen_args[@]}" || exit 3
        echo "$stamp" >"$dir/stamp"
    fi
    rm -f "$dir"/*.time "$dir"/*.load "$dir"/*.skipped "$dir"/*.out "$dir"/*.err "$dir"/*.xlsx \
        "$dir"/*.json "$dir"/*.sol "$dir"/*.mps "$dir"/out.lp "$dir"/lpfile.txt
    echo "$family $size $seed_i ${gen_args[*]}" >"$dir/instance"
    write_lp_only "$dir"
    if lp_complete "$dir/out.lp"; then
        "$glpsol" --lp "$dir/out.lp" --check --wfreemps "$dir/out.mps" >"$dir/lpfile.txt" 2>&1
    fi
    run_peer allocopt_default "$dir" "$allocopt" run "$dir/input" -o "$dir/default.xlsx" \
        --json "$dir/default.json" -q
    run_peer allocopt_clp "$dir" "$allocopt" run "$dir/input" --solver clp -o "$dir/clp.xlsx" \
        --json "$dir/clp.json" -q
    rm -f "$dir"/*.xlsx     # large, and not needed for the figures
    if lp_complete "$dir/out.lp" && [ -s "$dir/out.mps" ]; then
        sense=-min
        grep -q -m1 '^Maximize' "$dir/out.lp" && sense=-max
        run_peer clp_dual "$dir" "$clp" "$dir/out.mps" "$sense" -dualsimplex
        run_peer clp_barrier "$dir" "$clp" "$dir/out.mps" "$sense" -barrier
        run_peer glpk_simplex "$dir" "$glpsol" --lp "$dir/out.lp" -o "$dir/glpk_simplex.sol"
        run_peer glpk_interior "$dir" "$glpsol" --lp "$dir/out.lp" --interior \
            -o "$dir/glpk_interior.sol"
    else
        echo "[$name] no LP file: the methods on allocopt's LP not run" >&2
    fi
    run_peer pulp "$dir" "$syspy" "$root/bench/pulp_model.py" "$dir/input"
}

if [ "$portfolio" = 1 ]; then
    names=()
    echo "hard_sizes $hard_sizes" >>"$out/machine.txt"
    echo "hard_seeds $hard_seeds" >>"$out/machine.txt"
    for s in "${sizes[@]}"; do
        n="gen-${s//\//x}-s$seed"
        portfolio_instance "$n" gen "$s" "$seed"
        names+=("$n")
    done
    for s in $hard_sizes; do
        for k in $hard_seeds; do
            n="hard-${s//\//x}-s$k"
            portfolio_instance "$n" hard "$s" "$k" --hard
            names+=("$n")
        done
    done
    echo "finished $(date -u +%Y-%m-%dT%H:%M:%SZ)" >>"$out/machine.txt"
    echo "load_end $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out/machine.txt"
    python3 "$root/bench/report.py" --portfolio "$out" "${names[@]}"
    exit
fi

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
