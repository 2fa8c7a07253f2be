#!/usr/bin/env bash
# Benchmark allocopt against the alternatives on generated England-scale inputs.
#
#   bench/run.sh [--quick] [--sizes "I/S/P/Y ..."] [--timeout SECONDS]
#                [--skip NAME,...]
#
# For each size it generates an input (bench/generate.py, seed 1) and times,
# with GNU time (wall seconds and peak resident memory):
#   allocopt_lp  build/allocopt run DIR -o out.xlsx --json out.json -q --lp out.lp
#   allocopt     the same without --lp
#   gmpl         tests/oracle/solve.py DIR (csv2dat.py, then glpsol on the
#                GNU MathProg model, two passes like allocopt)
#   pulp         bench/pulp_model.py DIR (PuLP model, CBC, first pass only)
#   glpsol_lp    glpsol --lp out.lp (GLPK alone on allocopt's first-pass LP)
#   clp          clp out.mps -dualsimplex (COIN-OR CLP alone on the same LP)
# and checks that every first-pass objective agrees with allocopt's within
# 1e-6 relative. Prints a Markdown table (bench/report.py) and writes
# results.json.
#
# Sizes are ICBs/services/providers/years: 6/20/12/3, 14/50/40/5,
# 28/100/120/5 and national scale, 42/150/200/5; --quick runs the two
# smallest. Each run is stopped after --timeout seconds (default 60, which
# keeps the whole run near ten minutes on two cores); a program stopped at
# one size is not run at the larger ones. The full national figures take
# hours: --timeout 3600. --skip leaves the named runs out.
#
# Environment: ALLOCOPT (default build/allocopt), BENCH_OUT (default
# build/bench: build*/ is ignored by git), GLPSOL, CLP, SEED (default 1).
# Needs: python3, /usr/bin/python3 with PuLP (python3-pulp), glpsol
# (glpk-utils), cbc (coinor-cbc), clp (coinor-clp), GNU time (time),
# timeout (coreutils).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD

sizes=("6/20/12/3" "14/50/40/5" "28/100/120/5" "42/150/200/5")
limit=60
skip=""
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) sizes=("6/20/12/3" "14/50/40/5") ;;
        --sizes) shift; read -r -a sizes <<<"$1" ;;
        --timeout) shift; limit=$1 ;;
        --skip) shift; skip=",$1," ;;
        -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
        *) echo "run.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
    esac
    shift
done

allocopt=${ALLOCOPT:-$root/build/allocopt}
out=${BENCH_OUT:-$root/build/bench}
glpsol=${GLPSOL:-glpsol}
clp=${CLP:-clp}
seed=${SEED:-1}
syspy=/usr/bin/python3

missing=()
[ -x "$allocopt" ] || missing+=("$allocopt (build it: cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build -j2)")
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
# DIR/NAME.out, stderr to DIR/NAME.err; DIR/NAME.time gets "seconds KB exit".
timed() {
    local name=$1 dir=$2
    shift 2
    /usr/bin/time -f "%e %M %x" -o "$dir/$name.time.raw" \
        timeout "$limit" "$@" >"$dir/$name.out" 2>"$dir/$name.err"
    tail -n 1 "$dir/$name.time.raw" >"$dir/$name.time"
    rm -f "$dir/$name.time.raw"
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
    "$allocopt" run "$dir/input" -o "$dir/lp_only.xlsx" -q --lp "$dir/out.lp" >/dev/null 2>&1 &
    pid=$!
    while kill -0 "$pid" 2>/dev/null && ! lp_complete "$dir/out.lp" && [ "$waited" -lt "$limit" ]; do
        sleep 1
        waited=$((waited + 1))
    done
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    rm -f "$dir/lp_only.xlsx"
}

echo "allocopt benchmark: $(nproc) cores, timeout ${limit}s per run, output in $out" >&2
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
    rm -f "$dir"/*.time "$dir"/*.skipped "$dir"/*.out "$dir"/*.err "$dir"/out.* "$dir"/out_lp.* \
        "$dir"/*.sol "$dir"/*.mps "$dir"/lpfile.txt

    # allocopt --lp first: it writes the LP before solving, so the solver-only
    # peers get their input even when allocopt itself runs out of time.
    run_peer allocopt_lp "$dir" "$allocopt" run "$dir/input" -o "$dir/out_lp.xlsx" \
        --json "$dir/out_lp.json" -q --lp "$dir/out.lp"
    if [ "$(cut -d' ' -f3 "$dir/allocopt_lp.time" 2>/dev/null)" = 124 ]; then
        timed_out[allocopt]="$size with --lp"   # the same solve: no quicker without
    fi
    run_peer allocopt "$dir" "$allocopt" run "$dir/input" -o "$dir/out.xlsx" --json "$dir/out.json" -q
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
done

python3 "$root/bench/report.py" "$out" "${sizes[@]}"
