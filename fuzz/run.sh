#!/usr/bin/env bash
# Run every harness for SECONDS seconds each (default 60), one after the other,
# from the seed corpus (fuzz/corpus/<harness>, plus fuzz/make_corpus.py's larger
# one when it has been made). New inputs go to build-fuzz/corpus/<harness>;
# crashes to build-fuzz/findings/<harness>/.
#
#   fuzz/run.sh 600                  # ten minutes each
#   FUZZ_JOBS=2 fuzz/run.sh 600      # two harnesses at a time
#   fuzz/run.sh 600 fuzz_xlsx        # one harness
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
out=${FUZZ_BUILD_DIR:-$root/build-fuzz}
seconds=${1:-60}
shift || true
harnesses=("$@")
[[ ${#harnesses[@]} -gt 0 ]] || harnesses=(fuzz_csv fuzz_xlsx fuzz_parse fuzz_scenario fuzz_model)
jobs=${FUZZ_JOBS:-1}

[[ -x "$out/fuzz_csv" ]] || "$here/build.sh"

# Largest input tried: a CSV or scenario text of a few tables, or a small workbook.
max_len() {
    case $1 in
    fuzz_xlsx | fuzz_model) echo 65536 ;;
    fuzz_parse) echo 256 ;;
    *) echo 16384 ;;
    esac
}

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

run_one() {
    local harness=$1
    local work="$out/corpus/$harness" findings="$out/findings/$harness"
    mkdir -p "$work" "$findings"
    local seeds=("$here/corpus/$harness")
    [[ -d "$out/seeds/$harness" ]] && seeds+=("$out/seeds/$harness")
    echo "fuzzing $harness for ${seconds}s"
    "$out/$harness" "$work" "${seeds[@]}" -max_total_time="$seconds" \
        -max_len="$(max_len "$harness")" -timeout=60 -rss_limit_mb=4096 \
        -artifact_prefix="$findings/" -print_final_stats=1 \
        >"$out/$harness.log" 2>&1 && status=0 || status=$?
    echo "$harness: exit $status; $(grep -c '' "$out/$harness.log") log lines;" \
         "$(ls "$findings" | wc -l) findings; corpus $(ls "$work" | wc -l) inputs"
    tail -n 12 "$out/$harness.log" | grep -E 'stat::|DONE|ERROR|SUMMARY' || true
}

running=0
for harness in "${harnesses[@]}"; do
    run_one "$harness" &
    running=$((running + 1))
    if [[ $running -ge $jobs ]]; then
        wait -n || true
        running=$((running - 1))
    fi
done
wait
