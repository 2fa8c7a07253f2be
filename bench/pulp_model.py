#!/usr/bin/python3
"""The allocation model (MODEL.md rules 1-10, first pass) in PuLP, solved by CBC.

    pulp_model.py INPUT_DIR [--scenario NAME] [--arrangement A] [--cbc PATH]
                            [--threads N] [--msg]

A benchmark peer for allocopt: the same CSV input (read with the reference
model's reader, tests/oracle/csv2dat.py), the same model, written the way a
competent Python modeller would write it: coefficient dictionaries keyed by
tuples and built once, no searching inside loops, and an activity column
A_ist (defined by an equality row) wherever an ICB may use more than one
provider, so that the rows that mention activity stay short. It solves the
first pass only (the objective of settings.objective) and prints one JSON
line:

    {"status": "optimal", "objective": F, "rows": R, "columns": C,
     "nonzeros": NZ, "seconds": {"read": r, "build": b, "solve": s}}

`read` is reading and checking the CSV tables, `build` is creating the PuLP
variables and constraints, `solve` is PuLP's solve call (writing the MPS
file, running CBC, reading its solution back).

Needs the Debian packages python3-pulp and coinor-cbc (hence /usr/bin/python3:
another python3 first on the PATH may lack PuLP). The v2 extensions
(collaboratives, contract limits, expansion steps) are not modelled; an input
that uses them is refused.
"""

import argparse
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(HERE, "..", "tests", "oracle"))
import csv2dat  # noqa: E402  (the reference model's CSV reader)

try:
    import pulp
except ImportError:
    print("pulp_model.py: PuLP is missing (apt-get install python3-pulp coinor-cbc; "
          "run with /usr/bin/python3)", file=sys.stderr)
    sys.exit(3)


def read(folder, scenario=None, arrangement=None):
    tables = csv2dat.read_folder(folder)
    if scenario:
        csv2dat.apply_scenario(tables, scenario)
    d = csv2dat.build(tables, arrangement)
    if d["collabs"] or d["maxprov"] or d["maxicbs"] or any(
            r["step"] is not None for r in d["capacity"].values()):
        raise csv2dat.InputError("the v2 extensions (rules 11-13) are not modelled here")
    return d


def add_terms(acc, terms, mult=1.0):
    """acc[var] += mult * coef for (var, coef) in terms."""
    for v, c in terms:
        acc[v] = acc.get(v, 0.0) + mult * c


class Model:
    def __init__(self, d):
        self.d = d
        self.prob = None
        self.n_rows = 0
        self.n_nz = 0

    def row(self, coefs, sense, rhs):
        """Add sum(coefs) <sense> rhs; a row without variables is checked, not added."""
        coefs = {v: c for v, c in coefs.items() if c != 0.0}
        if not coefs:
            ok = {pulp.LpConstraintLE: 0.0 <= rhs + 1e-9 * max(1.0, abs(rhs)),
                  pulp.LpConstraintGE: 0.0 >= rhs - 1e-9 * max(1.0, abs(rhs)),
                  pulp.LpConstraintEQ: abs(rhs) <= 1e-9}[sense]
            if not ok:
                self.trivially_infeasible = True
            return
        self.prob.addConstraint(pulp.LpConstraint(pulp.LpAffineExpression(coefs), sense,
                                                  "r%d" % self.n_rows, rhs))
        self.n_rows += 1
        self.n_nz += len(coefs)

    def build(self):
        d = self.d
        T = d["T"]
        TT = range(T)
        svc, dem, cap, acc = d["svc"], d["demand"], d["capacity"], d["access"]
        I = d["I"]
        spec = {s for s in svc if svc[s]["category"] == "specialised"}
        self.trivially_infeasible = False
        sense = pulp.LpMaximize if d["objective"] == "benefit" else pulp.LpMinimize
        self.prob = pulp.LpProblem("allocopt", sense)
        LE, GE = pulp.LpConstraintLE, pulp.LpConstraintGE

        # ---- variables; A[i,s,t] and S[i,s,t] as lists of (var, coef)
        providers_of = {}
        for (p, s) in cap:
            providers_of.setdefault(s, []).append(p)
        cps = {(p, s): (r["c"] if r["c"] is not None else svc[s]["c"]) for (p, s), r in cap.items()}
        n_var = 0
        A, S = {}, {}
        defs = []                     # (A column, its x terms)
        x_at = {}                     # (p, s, t) -> list of x vars (for capacity rows)
        for (i, s) in dem:
            if s in providers_of:
                ps = [p for p in providers_of[s] if acc is None or (i, p) in acc]
                for t in TT:
                    a, sp = [], []
                    for p in ps:
                        v = pulp.LpVariable("x%d" % n_var, lowBound=0)
                        n_var += 1
                        a.append((v, 1.0))
                        sp.append((v, cps[(p, s)]))
                        x_at.setdefault((p, s, t), []).append(v)
                    if len(a) > 1:
                        # activity as a column of its own: A appears in up to
                        # eight rows (need, standard, stability, equity,
                        # prevention), so this keeps the matrix sparse
                        v = pulp.LpVariable("a%d" % n_var, lowBound=0)
                        n_var += 1
                        defs.append((v, a))
                        a = [(v, 1.0)]
                    A[(i, s, t)] = a
                    S[(i, s, t)] = sp
            else:
                c = svc[s]["c"]
                for t in TT:
                    v = pulp.LpVariable("y%d" % n_var, lowBound=0)
                    n_var += 1
                    A[(i, s, t)] = [(v, 1.0)]
                    S[(i, s, t)] = [(v, c)]
        z = {}
        for (p, s) in cap:
            if svc[s]["kappa"] is not None:
                for t in TT:
                    z[(p, s, t)] = pulp.LpVariable("z%d" % n_var, lowBound=0)
                    n_var += 1
        self.n_cols = n_var

        for v, xs in defs:
            coefs = {v: 1.0}
            add_terms(coefs, xs, -1.0)
            self.row(coefs, pulp.LpConstraintEQ, 0.0)

        def N(i, s, t):
            return dem[(i, s)][0] * (1 + svc[s]["g"]) ** t

        # prevention links into each target
        links_to = {}
        for (q, s), (e, lag) in d["links"].items():
            links_to.setdefault(s, []).append((q, e, lag))

        # ---- rules 1 and 2
        for (i, s) in dem:
            m = svc[s]["m"]
            for t in TT:
                prev = {}
                for q, e, lag in links_to.get(s, ()):
                    if t - lag >= 0 and (i, q) in dem:
                        add_terms(prev, A[(i, q, t - lag)], e)
                n = N(i, s, t)
                need = dict(prev)
                add_terms(need, A[(i, s, t)])
                self.row(need, LE, n)                     # A + prevented <= N
                if m > 0:
                    std = {v: m * c for v, c in prev.items()}
                    add_terms(std, A[(i, s, t)])
                    self.row(std, GE, m * n)              # A + m*prevented >= m*N

        # ---- rules 3 and 4
        for (p, s), r in cap.items():
            k = svc[s]["kappa"] is not None
            lag = svc[s]["lag"]
            for t in TT:
                xs = x_at.get((p, s, t), [])
                coefs = {v: 1.0 for v in xs}
                if k:
                    for tau in range(0, t - lag + 1):
                        coefs[z[(p, s, tau)]] = coefs.get(z[(p, s, tau)], 0.0) - 1.0
                self.row(coefs, LE, r["C"])
                if r["V"] is not None:
                    self.row({v: 1.0 for v in xs}, GE, r["V"])
            if k and r["E"] is not None:
                self.row({z[(p, s, t)]: 1.0 for t in TT}, LE, r["E"])

        # ---- rule 5
        hosted = {}
        for (p, s, t), v in z.items():
            hosted.setdefault((d["host"][p], t), {})[v] = svc[s]["kappa"]
        bud = d["budgets"]
        for (i, t), coefs in hosted.items():
            self.row(coefs, LE, bud[(i, t)][1])

        # ---- rule 6 and 7
        base_all = {i: 0.0 for i in I}
        base_spec = {i: 0.0 for i in I}
        for (i, s), (n, a0) in dem.items():
            base_all[i] += svc[s]["c"] * a0
            if s in spec:
                base_spec[i] += svc[s]["c"] * a0
        beta = {i: (base_spec[i] / base_all[i] if base_all[i] > 0 else 0.0) for i in I}

        def SR(i, t):
            v = bud[(i, t)][2]
            return v if v is not None else beta[i] * bud[(i, t)][0]

        services_of = {i: [] for i in I}
        for (i, s) in dem:
            services_of[i].append(s)
        spend_spec, spend_prio = {}, {}
        for i in I:
            for t in TT:
                a, b = {}, {}
                for s in services_of[i]:
                    add_terms(a if s in spec else b, S[(i, s, t)])
                spend_spec[(i, t)], spend_prio[(i, t)] = a, b
        arr = d["arrangement"]
        for t in TT:
            if arr == "delegated":
                for i in I:
                    coefs = dict(spend_spec[(i, t)])
                    add_terms(coefs, spend_prio[(i, t)].items())
                    self.row(coefs, LE, bud[(i, t)][0])
            else:
                groups = {}
                for i in I:
                    groups.setdefault("all" if arr == "national" else d["jc"][i], []).append(i)
                for members in groups.values():
                    coefs = {}
                    for i in members:
                        add_terms(coefs, spend_spec[(i, t)].items())
                    self.row(coefs, LE, sum(SR(i, t) for i in members))
                for i in I:
                    self.row(dict(spend_prio[(i, t)]), LE, bud[(i, t)][0] - SR(i, t))
            if d["phi"]:
                for i in I:
                    self.row(dict(spend_spec[(i, t)]), GE, d["phi"] * beta[i] * bud[(i, t)][0])

        # ---- rule 8
        for (i, s), (n, a0) in dem.items():
            mu = svc[s]["mu"] if svc[s]["mu"] is not None else d["mu"]
            if mu is None or a0 <= 0:
                continue
            for t in TT:
                if t == 0:
                    self.row(dict(A[(i, s, 0)]), LE, (1 + mu) * a0)
                    self.row(dict(A[(i, s, 0)]), GE, (1 - mu) * a0)
                else:
                    up = dict(A[(i, s, t)])
                    add_terms(up, A[(i, s, t - 1)], -(1 + mu))
                    self.row(up, LE, 0.0)
                    down = dict(A[(i, s, t)])
                    add_terms(down, A[(i, s, t - 1)], -(1 - mu))
                    self.row(down, GE, 0.0)

        # ---- rule 9, each row divided by N_i * sum_j N_j (coverage form)
        if d["delta"] is not None:
            delta = d["delta"]
            members = {}
            for (i, s) in dem:
                if s in spec:
                    members.setdefault((d["region"][i], s), []).append(i)
            for (r, s), js in members.items():
                for t in TT:
                    sn = sum(N(j, s, t) for j in js)
                    if sn <= 0:
                        continue
                    region_terms = {}
                    for j in js:
                        add_terms(region_terms, A[(j, s, t)], -(1 - delta) / sn)
                    for i in js:
                        ni = N(i, s, t)
                        if ni <= 0:
                            continue
                        coefs = dict(region_terms)
                        add_terms(coefs, A[(i, s, t)], 1.0 / ni)
                        self.row(coefs, GE, 0.0)

        # ---- rule 10
        for rule in d["rules"]:
            years = TT if rule["year"] < 0 else [rule["year"]]
            if rule["scope"] == "*":
                scopes = [[i] for i in I]
            elif rule["scope"] == "all":
                scopes = [list(I)]
            else:
                scopes = [[rule["scope"]]]
            sel = rule["sel"]
            minimum = rule["kind"].startswith("min")
            for members in scopes:
                for t in years:
                    coefs = {}
                    for i in members:
                        for s in sel:
                            if (i, s) in dem:
                                add_terms(coefs, S[(i, s, t)])
                    if rule["kind"].endswith("spend"):
                        rhs = rule["value"]
                    else:
                        rhs = rule["value"] * sum(bud[(i, t)][0] for i in members)
                    self.row(coefs, GE if minimum else LE, rhs)

        # ---- objective
        disc = [1.0 / (1.0 + d["rate"]) ** t for t in TT]
        obj = {}
        if d["objective"] == "benefit":
            for (i, s, t), terms in A.items():
                add_terms(obj, terms, disc[t] * svc[s]["b"])
        else:
            for (i, s, t), terms in S.items():
                add_terms(obj, terms, disc[t])
            for (p, s, t), v in z.items():
                obj[v] = obj.get(v, 0.0) + disc[t] * svc[s]["kappa"]
        self.prob.setObjective(pulp.LpAffineExpression(obj))
        self.obj = obj

    def solve(self, cbc, threads=None, msg=False):
        if self.trivially_infeasible:
            return "infeasible", None
        solver = pulp.COIN_CMD(path=cbc, msg=msg, threads=threads)
        self.prob.solve(solver)
        status = pulp.LpStatus[self.prob.status]
        if status == "Optimal":
            value = sum(c * (v.varValue or 0.0) for v, c in self.obj.items())
            return "optimal", value
        return status.lower(), None


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("input")
    ap.add_argument("--scenario")
    ap.add_argument("--arrangement")
    ap.add_argument("--cbc", default=os.environ.get("CBC", "/usr/bin/cbc"))
    ap.add_argument("--threads", type=int)
    ap.add_argument("--msg", action="store_true", help="show CBC's log")
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    try:
        d = read(a.input, a.scenario, a.arrangement)
    except (csv2dat.InputError, OSError) as e:
        print("pulp_model.py: input error: %s" % e, file=sys.stderr)
        return 2
    t1 = time.perf_counter()
    m = Model(d)
    m.build()
    t2 = time.perf_counter()
    try:
        status, value = m.solve(a.cbc, a.threads, a.msg)
    except pulp.PulpSolverError as e:
        print("pulp_model.py: %s" % e, file=sys.stderr)
        return 3
    t3 = time.perf_counter()
    print(json.dumps({"status": status, "objective": value, "rows": m.n_rows,
                      "columns": m.n_cols, "nonzeros": m.n_nz,
                      "seconds": {"read": round(t1 - t0, 3), "build": round(t2 - t1, 3),
                                  "solve": round(t3 - t2, 3)}}))
    return 0 if status in ("optimal", "infeasible") else 3


if __name__ == "__main__":
    sys.exit(main())
