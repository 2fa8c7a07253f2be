#!/usr/bin/env python3
"""Closed-form check of allocopt on a fractional knapsack.

    knapsack.py ALLOCOPT SEED [--keep DIR]

Generates, from SEED, a one-ICB, one-year, revenue-only input: services with
need, unit cost and benefit, no minimum coverage, no providers, no capital,
no stability, and a revenue budget below the cost of meeting every need. The
optimum is then the fractional knapsack: take services in decreasing order of
benefit per pound, each up to its need, the last one fractionally. The script
writes the CSV folder to a temporary directory, runs `ALLOCOPT run`, and
compares the objective (1e-6 relative) and the revenue spend (1e-6 relative +
£0.001). Exit status 0 pass, 1 fail.
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile


def generate(seed):
    rng = random.Random(seed)
    n = rng.randint(3, 6)
    services = []
    for k in range(n):
        services.append({
            "id": "S%02d" % k,
            "category": rng.choice(["specialised", "priority"]),
            "unit_cost": round(rng.uniform(50, 20000), 2),
            "benefit": round(rng.uniform(0.01, 5.0), 4),
            "need": round(rng.uniform(10, 5000), 1),
            "baseline": round(rng.uniform(0, 4000), 1),
        })
    full = sum(s["unit_cost"] * s["need"] for s in services)
    budget = round(full * rng.uniform(0.25, 0.75), 2)
    year = rng.choice([2024, 2025, 2026])
    return {"services": services, "budget": budget, "year": year,
            "rate": rng.choice([0, 0.035])}


def knapsack(case):
    """Greedy by benefit per pound; exact for the fractional knapsack."""
    left = case["budget"]
    objective = spend = 0.0
    order = sorted(case["services"], key=lambda s: s["benefit"] / s["unit_cost"], reverse=True)
    for s in order:
        if left <= 0:
            break
        units = min(s["need"], left / s["unit_cost"])
        objective += units * s["benefit"]
        spend += units * s["unit_cost"]
        left -= units * s["unit_cost"]
    return objective, spend


def write_input(case, folder):
    def put(name, text):
        with open(os.path.join(folder, name), "w", encoding="utf-8", newline="") as f:
            f.write(text)

    y = case["year"]
    put("settings.csv", "key,value\nfirst_year,%d/%02d\nyears,1\nobjective,benefit\n"
                        "discount_rate,%r\n" % (y, (y + 1) % 100, case["rate"]))
    put("icbs.csv", "id,name,population\nK1,Knapsack ICB,100000\n")
    put("budgets.csv", "icb,year,revenue\nK1,%d,%r\n" % (y, case["budget"]))
    put("services.csv", "id,name,category,unit_cost,benefit\n" + "".join(
        "%s,Service %s,%s,%r,%r\n" % (s["id"], s["id"], s["category"], s["unit_cost"],
                                      s["benefit"]) for s in case["services"]))
    put("demand.csv", "icb,service,need,baseline\n" + "".join(
        "K1,%s,%r,%r\n" % (s["id"], s["need"], s["baseline"]) for s in case["services"]))


def main(argv=None):
    ap = argparse.ArgumentParser(description="Fractional knapsack check of allocopt.")
    ap.add_argument("allocopt")
    ap.add_argument("seed", type=int)
    ap.add_argument("--keep", help="copy the generated input to this folder")
    a = ap.parse_args(argv)

    case = generate(a.seed)
    expected_obj, expected_spend = knapsack(case)
    tmp = tempfile.mkdtemp(prefix="allocopt-knapsack-")
    try:
        folder = os.path.join(tmp, "input")
        os.mkdir(folder)
        write_input(case, folder)
        if a.keep:
            shutil.copytree(folder, a.keep, dirs_exist_ok=True)
        out_json = os.path.join(tmp, "out.json")
        cmd = [a.allocopt, "run", folder, "-o", os.path.join(tmp, "out.xlsx"),
               "--json", out_json, "-q"]
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              universal_newlines=True, timeout=300)
        if proc.returncode != 0:
            print(proc.stdout + proc.stderr)
            print("FAIL: allocopt exited %d" % proc.returncode)
            return 1
        with open(out_json, encoding="utf-8") as f:
            summary = json.load(f)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    got_obj = float(summary["objective"])
    got_spend = float(summary.get("total_revenue_spend", float("nan")))
    print("seed %d: %d services, budget %.2f" % (a.seed, len(case["services"]), case["budget"]))
    print("knapsack: objective %.10g, spend %.10g" % (expected_obj, expected_spend))
    print("allocopt: objective %.10g, spend %.10g" % (got_obj, got_spend))
    ok = abs(got_obj - expected_obj) <= 1e-6 * max(abs(expected_obj), abs(got_obj))
    ok_spend = abs(got_spend - expected_spend) <= 1e-6 * abs(expected_spend) + 1e-3
    if not ok:
        print("MISMATCH: objective")
    if not ok_spend:
        print("MISMATCH: revenue spend")
    print("PASS" if ok and ok_spend else "FAIL")
    return 0 if ok and ok_spend else 1


if __name__ == "__main__":
    sys.exit(main())
