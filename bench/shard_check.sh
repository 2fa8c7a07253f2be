#!/usr/bin/env bash
# Shows that a sharded uncertainty study, merged, equals the same study run at once
# (docs/scaling.md): on an input made by bench/generate.py, with an uncertainty table
# added, it runs `allocopt run --samples` once, then every `--shard K/N` and
# `allocopt merge`, and compares the JSON `uncertainty` objects and the Uncertainty
# sheets' XML. Exit status 0 when they are identical, 1 otherwise.
#
#     bash bench/shard_check.sh [ICBS [SAMPLES [SHARDS]]]     (default 4 40 3)
#
# ALLOCOPT (default build/allocopt) names the program; JOBS the threads of each run.
set -euo pipefail
cd "$(dirname "$0")/.."
icbs=${1:-4}
samples=${2:-40}
shards=${3:-3}
allocopt=${ALLOCOPT:-build/allocopt}
jobs=${JOBS:-2}
seed=42
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 bench/generate.py "$work/input" --icbs "$icbs" --services 20 --providers $((icbs * 2)) \
    --years 3 --seed 1 >/dev/null
cat >"$work/input/uncertainty.csv" <<'CSV'
table,column,key,distribution,apply,mean,sd,low,likely,high,draw
budgets,revenue,*/*,normal,scale,1,0.03,,,,shared
budgets,capital,*/*,uniform,scale,,,0.7,,1.1,each
demand,need,*/*,triangular,scale,,,0.95,1,1.15,each
CSV

start=$(date +%s.%N)
"$allocopt" run "$work/input" --samples "$samples" --seed "$seed" -j "$jobs" -q \
    -o "$work/single.xlsx" --json "$work/single.json"
single_done=$(date +%s.%N)
for k in $(seq "$shards"); do
    "$allocopt" run "$work/input" --samples "$samples" --seed "$seed" --shard "$k/$shards" \
        -j "$jobs" -q -o "$work/part$k.json"
done
"$allocopt" merge "$work"/part*.json -q -o "$work/merged.xlsx" --json "$work/merged.json"
merged_done=$(date +%s.%N)

python3 - "$work" "$samples" "$shards" "$start" "$single_done" "$merged_done" <<'PY'
import json, re, sys, zipfile
work, samples, shards = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
start, single_done, merged_done = map(float, sys.argv[4:7])

def sheet(path, name):
    with zipfile.ZipFile(path) as z:
        book = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
        rid = re.search(r'<sheet name="%s" sheetId="\d+" r:id="(rId\d+)"' % name, book).group(1)
        target = re.search(r'Id="%s"[^>]*Target="([^"]+)"' % rid, rels).group(1)
        return z.read("xl/" + target)

single = json.load(open(f"{work}/single.json"))["uncertainty"]
merged = json.load(open(f"{work}/merged.json"))["uncertainty"]
same_json = json.dumps(single, sort_keys=True) == json.dumps(merged, sort_keys=True)
same_sheet = sheet(f"{work}/single.xlsx", "Uncertainty") == sheet(f"{work}/merged.xlsx",
                                                                  "Uncertainty")
o = single["objective"]
print(f"{samples} samples, {shards} shards: {single['status_counts']}")
print(f"objective P10 {o['p10']!r}  P50 {o['p50']!r}  P90 {o['p90']!r}")
print(f"single run {single_done - start:.1f} s; shards one after another + merge "
      f"{merged_done - single_done:.1f} s")
print("uncertainty JSON objects:  " + ("identical" if same_json else "DIFFERENT"))
print("Uncertainty sheet XML:     " + ("identical" if same_sheet else "DIFFERENT"))
sys.exit(0 if same_json and same_sheet else 1)
PY
