#!/usr/bin/env python3
"""Convert an allocopt input folder (CSV tables) into a GMPL data file for
tests/oracle/allocopt.mod.

    csv2dat.py INPUT_DIR [--scenario NAME] [--arrangement A] [-o OUT.dat]

Reads the tables as FORMATS.md describes them (with the optional tables and
columns of MODEL.md's v2 and v3 extensions), optionally applies one named
scenario of scenarios.csv, optionally overrides the arrangement (then the
arrangements table is ignored), and writes a data section for the oracle
model: with the arrangement of every specialised pair and year (rule 14), the
merged footprints (rule 15) and today's plan carried forward, x0 and y0
(rule 16). Standard library only.

This is an independent reading of the specification, kept deliberately
simple; it is used to check the C implementation, not the other way round.
Problems in the input are reported on stderr and make the program exit 2.
"""

import argparse
import csv
import io
import os
import re
import sys

# ---------------------------------------------------------------------------
# The tables of FORMATS.md: columns (required ones marked) and key columns.
# ---------------------------------------------------------------------------
TABLES = {
    "settings": (["key*", "value*"], ["key"]),
    "icbs": (["id*", "name", "population*", "region", "joint_committee", "max_providers"], ["id"]),
    "budgets": (["icb*", "year*", "revenue*", "capital", "specialised"], ["icb", "year"]),
    "services": (["id*", "name", "category*", "programme", "unit", "unit_cost*", "benefit*",
                  "min_coverage", "growth", "capital_cost", "capacity_lag", "max_change"], ["id"]),
    "demand": (["icb*", "service*", "need*", "baseline*"], ["icb", "service"]),
    "providers": (["id*", "name", "icb*", "centre_of_excellence", "max_icbs"], ["id"]),
    "capacity": (["provider*", "service*", "capacity*", "unit_cost", "min_volume",
                  "max_expansion", "expansion_step"], ["provider", "service"]),
    "access": (["icb*", "provider*"], ["icb", "provider"]),
    "prevention": (["service*", "target*", "effect*", "lag"], ["service", "target"]),
    "rules": (["name*", "scope*", "applies_to*", "year", "kind*", "value*"], ["name"]),
    "collaboratives": (["id*", "name", "lead_provider*", "applies_to*", "icbs", "budget_share"],
                       ["id"]),
    "collaborative_members": (["collaborative*", "provider*"], ["collaborative", "provider"]),
    "scenarios": (["scenario*", "table*", "column*", "key*", "op*", "value*"], []),
    # v3 (MODEL.md rules 14-16); the arrangements "key" is only a scenario key
    "arrangements": (["services*", "icbs*", "from_year*", "arrangement*"],
                     ["services", "icbs", "from_year"]),
    "icb_changes": (["icb*", "becomes*", "from_year*", "name"], ["icb"]),
    "flows": (["icb*", "service*", "provider*", "activity*"], ["icb", "service", "provider"]),
}
REQUIRED_TABLES = ["settings", "icbs", "budgets", "services", "demand"]
YEAR_COLUMNS = {("budgets", "year"), ("rules", "year"), ("arrangements", "from_year"),
                ("icb_changes", "from_year")}


class InputError(Exception):
    pass


def warn(msg):
    print("csv2dat: warning: " + msg, file=sys.stderr)


def norm(name):
    return name.strip().lower()


# ---------------------------------------------------------------------------
# Cell parsing
# ---------------------------------------------------------------------------
def parse_number(text, where):
    """`1234.5`, `1,234.5`, `£1,234.5`, `12.5%` (= 0.125). Blank -> None."""
    t = text.strip()
    if t == "":
        return None
    neg = False
    if t.startswith("-"):
        neg, t = True, t[1:].strip()
    if t.startswith("£"):
        t = t[1:].strip()
    if t.startswith("-") and not neg:
        neg, t = True, t[1:].strip()
    pct = False
    if t.endswith("%"):
        pct, t = True, t[:-1].strip()
    t = t.replace(",", "")
    try:
        v = float(t)
    except ValueError:
        raise InputError("%s: '%s' is not a number" % (where, text))
    if v != v or v in (float("inf"), float("-inf")):
        raise InputError("%s: '%s' is not a finite number" % (where, text))
    if pct:
        v /= 100.0
    return -v if neg else v


def parse_year(text, where):
    """`2025` or `2025/26` -> 2025. Blank -> None."""
    t = text.strip()
    if t == "":
        return None
    m = re.fullmatch(r"(\d{4})(?:\.0+)?", t)
    if m:
        return int(m.group(1))
    m = re.fullmatch(r"(\d{4})\s*[/-]\s*(\d{2}|\d{4})", t)
    if m:
        first = int(m.group(1))
        second = m.group(2)
        nxt = first + 1
        if (len(second) == 2 and int(second) != nxt % 100) or (len(second) == 4 and int(second) != nxt):
            raise InputError("%s: '%s' is not a financial year" % (where, text))
        return first
    raise InputError("%s: '%s' is not a year" % (where, text))


def parse_bool(text, where):
    t = text.strip().lower()
    if t == "":
        return None
    if t in ("yes", "true", "1", "y"):
        return True
    if t in ("no", "false", "0", "n"):
        return False
    raise InputError("%s: '%s' is not yes/no" % (where, text))


def parse_int(text, where):
    v = parse_number(text, where)
    if v is None:
        return None
    if v != int(v):
        raise InputError("%s: '%s' is not a whole number" % (where, text))
    return int(v)


# ---------------------------------------------------------------------------
# Reading the folder
# ---------------------------------------------------------------------------
class Table:
    def __init__(self, name, path, columns, rows, linenos):
        self.name = name
        self.path = path
        self.columns = columns      # normalised header names
        self.rows = rows            # list of dict column -> raw text
        self.linenos = linenos      # line number of each row in the file

    def where(self, k, col):
        return "%s, row %d, column %s" % (os.path.basename(self.path), self.linenos[k], col)


def read_csv_table(path, name):
    with open(path, "rb") as f:
        raw = f.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError("%s: not UTF-8 (%s)" % (path, e))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header = None
    rows, linenos = [], []
    try:
        for record in reader:
            if all(cell.strip() == "" for cell in record):
                continue
            if header is None:
                header = [norm(h) for h in record]
                seen = set()
                for h in header:
                    if h and h in seen:
                        raise InputError("%s: column '%s' appears twice" % (path, h))
                    seen.add(h)
                continue
            row = {}
            for k, h in enumerate(header):
                if h == "":
                    continue
                row[h] = record[k] if k < len(record) else ""
            if any(cell.strip() != "" for k, cell in enumerate(record) if k >= len(header)):
                raise InputError("%s, line %d: more cells than columns" % (path, reader.line_num))
            rows.append(row)
            linenos.append(reader.line_num)
    except csv.Error as e:
        raise InputError("%s: %s" % (path, e))
    if header is None:
        header = []
    return Table(name, path, [h for h in header if h], rows, linenos)


def read_folder(folder):
    tables = {}
    for entry in sorted(os.listdir(folder)):
        if not entry.lower().endswith(".csv"):
            continue
        name = norm(entry[:-4])
        if name in tables:
            raise InputError("table '%s' given twice" % name)
        t = read_csv_table(os.path.join(folder, entry), name)
        if name not in TABLES:
            warn("unknown table '%s' ignored" % name)
            continue
        cols = [c.rstrip("*") for c in TABLES[name][0]]
        for c in t.columns:
            if c not in cols:
                warn("%s: unknown column '%s' ignored" % (entry, c))
        tables[name] = t
    for name in REQUIRED_TABLES:
        if name not in tables:
            raise InputError("required table '%s' is missing" % name)
    for name, t in tables.items():
        for c in TABLES[name][0]:
            if c.endswith("*") and c[:-1] not in t.columns:
                raise InputError("%s: required column '%s' is missing" % (t.path, c[:-1]))
    return tables


# ---------------------------------------------------------------------------
# Scenarios: change cells of the raw tables before the model is built
# ---------------------------------------------------------------------------
def part_matches(pattern, value, is_year):
    pattern = pattern.strip()
    value = value.strip()
    if pattern == "*":
        return True
    if is_year and "*" not in pattern:
        try:
            return parse_year(pattern, "scenario key") == parse_year(value, "key")
        except InputError:
            return False
    rx = ".*".join(re.escape(piece) for piece in pattern.split("*"))
    return re.fullmatch(rx, value, re.IGNORECASE) is not None


def split_key(table, key):
    """Split a scenario key into one part per key column. A year written
    `2025/26` contains a slash itself; the year is the last key part."""
    keycols = TABLES[table][1]
    if len(keycols) <= 1:
        return [key]
    parts = key.split("/")
    if len(parts) > len(keycols) and (table, keycols[-1]) in YEAR_COLUMNS:
        head = parts[:len(keycols) - 1]
        parts = head + ["/".join(parts[len(keycols) - 1:])]
    if len(parts) != len(keycols):
        raise InputError("scenario key '%s' does not fit %s's key %s"
                         % (key, table, "/".join(keycols)))
    return parts


def fmt_num(v):
    return repr(float(v))


def apply_scenario(tables, name):
    sc = tables.get("scenarios")
    if sc is None:
        raise InputError("no scenarios table: cannot apply scenario '%s'" % name)
    rows = [(k, r) for k, r in enumerate(sc.rows) if r["scenario"].strip() == name]
    if not rows:
        rows = [(k, r) for k, r in enumerate(sc.rows)
                if r["scenario"].strip().lower() == name.strip().lower()]
    if not rows:
        raise InputError("scenario '%s' is not in the scenarios table" % name)
    for k, r in rows:
        where = sc.where(k, "table")
        tname = norm(r["table"])
        col = norm(r["column"])
        op = norm(r["op"])
        key = r["key"].strip()
        value = r["value"]
        if tname not in TABLES or tname == "scenarios":
            raise InputError("%s: cannot change table '%s'" % (where, r["table"]))
        if tname not in tables:
            raise InputError("%s: the input has no table '%s'" % (where, tname))
        if op not in ("set", "scale", "add"):
            raise InputError("%s: op must be set, scale or add, not '%s'" % (where, r["op"]))
        for c in ("table", "column", "key", "value"):
            if r[c].strip() == "":
                raise InputError("%s: the scenario row has no %s" % (sc.where(k, c), c))
        t = tables[tname]
        if col not in [c.rstrip("*") for c in TABLES[tname][0]]:
            raise InputError("%s: table %s has no column '%s'" % (where, tname, col))
        keycols = TABLES[tname][1]
        if not keycols:
            raise InputError("%s: table %s has no key" % (where, tname))
        parts = split_key(tname, key)
        matched = []
        for row in t.rows:
            if all(part_matches(p, row.get(kc, ""), (tname, kc) in YEAR_COLUMNS)
                   for p, kc in zip(parts, keycols)):
                matched.append(row)
        if not matched:
            if op == "set" and tname == "settings" and "*" not in key:
                # a setting the input does not give yet
                newrow = {c: "" for c in t.columns}
                newrow["key"] = key
                t.rows.append(newrow)
                t.linenos.append(0)
                matched = [newrow]
            else:
                raise InputError("%s: key '%s' matches no row of %s" % (where, key, tname))
        if col not in t.columns:
            t.columns.append(col)
        for row in matched:
            old = row.get(col, "")
            if op == "set":
                row[col] = value
                continue
            v = parse_number(value, sc.where(k, "value"))
            if v is None:
                raise InputError("%s: %s needs a number" % (where, op))
            cur = parse_number(old, "%s column %s" % (tname, col))
            if cur is None:
                if op == "scale":
                    continue          # a blank (default) value stays blank
                cur = 0.0
            row[col] = fmt_num(cur * v if op == "scale" else cur + v)


# ---------------------------------------------------------------------------
# Building the model data
# ---------------------------------------------------------------------------
class Ids:
    """Ids of one table; references to them are matched ignoring case."""

    def __init__(self, what):
        self.what = what
        self.order = []
        self.by_key = {}

    def add(self, text, where):
        t = text.strip()
        if t == "":
            raise InputError("%s: blank %s id" % (where, self.what))
        if t.lower() in self.by_key:
            raise InputError("%s: duplicate %s '%s'" % (where, self.what, t))
        self.by_key[t.lower()] = t
        self.order.append(t)
        return t

    def ref(self, text, where):
        t = text.strip()
        if t.lower() not in self.by_key:
            raise InputError("%s: unknown %s '%s'" % (where, self.what, t))
        return self.by_key[t.lower()]

    def __contains__(self, text):
        return text.strip().lower() in self.by_key


def cell(t, k, col):
    return t.rows[k].get(col, "")


def num(t, k, col, required=False, default=None):
    v = parse_number(cell(t, k, col), t.where(k, col))
    if v is None:
        if required:
            raise InputError("%s: a number is required" % t.where(k, col))
        return default
    return v


def build(tables, arrangement_override=None):
    d = {}

    # ---- settings
    st = tables["settings"]
    settings = {}
    for k, row in enumerate(st.rows):
        key = norm(row["key"])
        if key in settings:
            raise InputError("%s: setting '%s' given twice" % (st.where(k, "key"), key))
        settings[key] = (row.get("value", "").strip(), st.where(k, "value"))
    known = ["first_year", "years", "name", "objective", "arrangement", "discount_rate",
             "specialised_share_floor", "max_change", "equity_band", "benefit_unit", "mip_gap"]
    for key in settings:
        if key not in known:
            warn("unknown setting '%s' ignored" % key)

    def setting(key):
        v = settings.get(key)
        if v is None or v[0] == "":
            return None, None
        return v

    v, w = setting("first_year")
    if v is None:
        raise InputError("settings: first_year is required")
    first_year = parse_year(v, w)
    v, w = setting("years")
    if v is None:
        raise InputError("settings: years is required")
    T = parse_int(v, w)
    if T < 1:
        raise InputError("%s: years must be at least 1" % w)
    v, w = setting("objective")
    objective = (v or "benefit").lower()
    if objective not in ("benefit", "cost"):
        raise InputError("%s: objective must be benefit or cost" % w)
    v, w = setting("arrangement")
    arrangement = (v or "delegated").lower()
    if arrangement_override:
        arrangement = arrangement_override.strip().lower()
    if arrangement not in ("delegated", "joint", "national"):
        raise InputError("arrangement must be delegated, joint or national, not '%s'" % arrangement)

    def num_setting(key):
        v, w = setting(key)
        return None if v is None else parse_number(v, w)

    rate = num_setting("discount_rate") or 0.0
    phi = num_setting("specialised_share_floor")
    mu = num_setting("max_change")
    delta = num_setting("equity_band")
    mip_gap = num_setting("mip_gap")
    if mip_gap is not None and mip_gap < 0:
        raise InputError("%s: mip_gap must not be negative" % setting("mip_gap")[1])
    d.update(T=T, first_year=first_year, objective=objective, arrangement=arrangement,
             rate=rate, phi=phi, mu=mu, delta=delta, mip_gap=mip_gap)

    # ---- ICBs
    it = tables["icbs"]
    icbs = Ids("ICB")
    jc, region, maxprov, jc_text = {}, {}, {}, {}
    for k, row in enumerate(it.rows):
        i = icbs.add(row["id"], it.where(k, "id"))
        num(it, k, "population", required=True)
        j = row.get("joint_committee", "").strip()
        jc[i] = ("jc:" + j.lower()) if j else ("own:" + i)
        jc_text[i] = j.lower()
        region[i] = "r:" + row.get("region", "").strip().lower()
        v = count(it, k, "max_providers")
        if v is not None:
            maxprov[i] = v
    d.update(I=icbs.order, jc=jc, region=region, maxprov=maxprov, jc_text=jc_text)

    # ---- services
    sv = tables["services"]
    services = Ids("service")
    svc = {}
    for k, row in enumerate(sv.rows):
        s = services.add(row["id"], sv.where(k, "id"))
        cat = norm(row["category"])
        if cat not in ("specialised", "priority"):
            raise InputError("%s: category must be specialised or priority"
                             % sv.where(k, "category"))
        lag = parse_int(cell(sv, k, "capacity_lag"), sv.where(k, "capacity_lag"))
        svc[s] = dict(
            category=cat,
            programme=cell(sv, k, "programme").strip(),
            c=num(sv, k, "unit_cost", required=True),
            b=num(sv, k, "benefit", required=True),
            m=num(sv, k, "min_coverage", default=0.0),
            g=num(sv, k, "growth", default=0.0),
            kappa=num(sv, k, "capital_cost"),
            lag=1 if lag is None else lag,
            mu=num(sv, k, "max_change"),
        )
    d.update(S=services.order, svc=svc)

    # ---- demand
    dm = tables["demand"]
    demand = {}
    for k, row in enumerate(dm.rows):
        i = icbs.ref(row["icb"], dm.where(k, "icb"))
        s = services.ref(row["service"], dm.where(k, "service"))
        if (i, s) in demand:
            raise InputError("%s: second demand row for %s/%s" % (dm.where(k, "icb"), i, s))
        demand[(i, s)] = (num(dm, k, "need", required=True), num(dm, k, "baseline", required=True))
    d["demand"] = demand

    # ---- budgets
    bt = tables["budgets"]
    budgets = {}
    for k, row in enumerate(bt.rows):
        i = icbs.ref(row["icb"], bt.where(k, "icb"))
        y = parse_year(row["year"], bt.where(k, "year"))
        if y is None:
            raise InputError("%s: a year is required" % bt.where(k, "year"))
        t = y - first_year
        if t < 0 or t >= T:
            warn("%s: year %d is outside the plan, ignored" % (bt.where(k, "year"), y))
            continue
        if (i, t) in budgets:
            raise InputError("%s: second budget row for %s %d" % (bt.where(k, "year"), i, y))
        budgets[(i, t)] = (num(bt, k, "revenue", required=True),
                           num(bt, k, "capital", default=0.0),
                           num(bt, k, "specialised"))
    for i in icbs.order:
        for t in range(T):
            if (i, t) not in budgets:
                raise InputError("budgets: no row for ICB %s year %d" % (i, first_year + t))
    d["budgets"] = budgets

    # ---- providers
    providers = Ids("provider")
    host, maxicbs = {}, {}
    if "providers" in tables:
        pt = tables["providers"]
        for k, row in enumerate(pt.rows):
            p = providers.add(row["id"], pt.where(k, "id"))
            host[p] = icbs.ref(row["icb"], pt.where(k, "icb"))
            parse_bool(cell(pt, k, "centre_of_excellence"), pt.where(k, "centre_of_excellence"))
            v = count(pt, k, "max_icbs")
            if v is not None:
                maxicbs[p] = v
    d.update(P=providers.order, host=host, maxicbs=maxicbs)

    # ---- capacity
    capacity = {}
    if "capacity" in tables:
        ct = tables["capacity"]
        for k, row in enumerate(ct.rows):
            p = providers.ref(row["provider"], ct.where(k, "provider"))
            s = services.ref(row["service"], ct.where(k, "service"))
            if (p, s) in capacity:
                raise InputError("%s: second capacity row for %s/%s" % (ct.where(k, "provider"), p, s))
            step = num(ct, k, "expansion_step")
            if step is not None and step <= 0:
                raise InputError("%s: expansion_step must be positive" % ct.where(k, "expansion_step"))
            if step is not None and svc[s]["kappa"] is None:
                warn("%s: service %s has no capital cost, so no expansion: step ignored"
                     % (ct.where(k, "expansion_step"), s))
            capacity[(p, s)] = dict(C=num(ct, k, "capacity", required=True),
                                    c=num(ct, k, "unit_cost"),
                                    V=num(ct, k, "min_volume"),
                                    E=num(ct, k, "max_expansion"),
                                    step=step)
    d["capacity"] = capacity

    # ---- access
    access = None
    # allocopt's reading (docs/model.md): an access table with no rows is taken as
    # absent, so an analyst who leaves the template's access sheet empty does not
    # shut every ICB out of every provider.
    if "access" in tables and tables["access"].rows:
        at = tables["access"]
        access = set()
        for k, row in enumerate(at.rows):
            access.add((icbs.ref(row["icb"], at.where(k, "icb")),
                        providers.ref(row["provider"], at.where(k, "provider"))))
    d["access"] = access

    # ---- prevention
    links = {}
    if "prevention" in tables:
        vt = tables["prevention"]
        for k, row in enumerate(vt.rows):
            q = services.ref(row["service"], vt.where(k, "service"))
            s = services.ref(row["target"], vt.where(k, "target"))
            if (q, s) in links:
                raise InputError("%s: second prevention link %s->%s" % (vt.where(k, "service"), q, s))
            lag = parse_int(cell(vt, k, "lag"), vt.where(k, "lag"))
            links[(q, s)] = (num(vt, k, "effect", required=True), 1 if lag is None else lag)
    d["links"] = links

    # ---- rules
    rules = []
    if "rules" in tables:
        rt = tables["rules"]
        names = Ids("rule")
        for k, row in enumerate(rt.rows):
            name = names.add(row["name"], rt.where(k, "name"))
            sel_text = row["applies_to"].strip()
            sel = select_services(sel_text, svc, services, rt.where(k, "applies_to"))
            scope = row["scope"].strip()
            if scope == "*":
                scope_v = "*"
            elif scope.lower() == "all":
                scope_v = "all"
            else:
                scope_v = icbs.ref(scope, rt.where(k, "scope"))
            y = parse_year(cell(rt, k, "year"), rt.where(k, "year"))
            if y is None:
                t = -1
            else:
                t = y - first_year
                if t < 0 or t >= T:
                    warn("%s: year %d is outside the plan; the rule has no effect"
                         % (rt.where(k, "year"), y))
                    continue
            kind = norm(row["kind"])
            if kind not in ("min_spend", "max_spend", "min_share", "max_share"):
                raise InputError("%s: unknown kind '%s'" % (rt.where(k, "kind"), row["kind"]))
            rules.append(dict(name=name, scope=scope_v, year=t, kind=kind, sel=sel,
                              value=num(rt, k, "value", required=True)))
    d["rules"] = rules

    # ---- collaboratives (rule 11)
    collabs = []
    cids = Ids("collaborative")
    if "collaboratives" in tables:
        cot = tables["collaboratives"]
        for k, row in enumerate(cot.rows):
            cid = cids.add(row["id"], cot.where(k, "id"))
            lead = providers.ref(row["lead_provider"], cot.where(k, "lead_provider"))
            sel = select_services(row["applies_to"].strip(), svc, services,
                                  cot.where(k, "applies_to"))
            text = cell(cot, k, "icbs").strip()
            if text == "" or text == "*":
                members_i = list(icbs.order)
            else:
                members_i = []
                for tok in re.split(r"[\s,;]+", text):
                    if tok == "":
                        continue
                    i = icbs.ref(tok, cot.where(k, "icbs"))
                    if i not in members_i:
                        members_i.append(i)
            share = num(cot, k, "budget_share")
            if share is not None and share < 0:
                raise InputError("%s: budget_share must not be negative" % cot.where(k, "budget_share"))
            collabs.append(dict(id=cid, lead=lead, sel=sel, icbs=members_i, share=share,
                                members=[]))
    if "collaborative_members" in tables:
        mt = tables["collaborative_members"]
        if "collaboratives" not in tables and mt.rows:
            raise InputError("collaborative_members given without a collaboratives table")
        by_id = {c["id"]: c for c in collabs}
        seen = set()
        for k, row in enumerate(mt.rows):
            cid = cids.ref(row["collaborative"], mt.where(k, "collaborative"))
            p = providers.ref(row["provider"], mt.where(k, "provider"))
            if (cid, p) in seen:
                raise InputError("%s: provider %s listed twice for %s"
                                 % (mt.where(k, "provider"), p, cid))
            seen.add((cid, p))
            by_id[cid]["members"].append(p)
    for c in collabs:
        if c["lead"] not in c["members"]:
            warn("collaborative %s: lead provider %s is not a member (it holds the budget "
                 "but gets no access through the collaborative)" % (c["id"], c["lead"]))
    d["collabs"] = collabs

    # ---- v3: arrangements, mergers, today's plan
    build_arrangements(tables, d, icbs, services, svc, arrangement_override is not None
                       and arrangement_override != "")
    build_mergers(tables, d, icbs)
    build_today(tables, d, icbs, services, providers)
    return d


def year_index(t, k, col, first_year, T, what):
    """A from_year as a year index: before the plan -> 0, after it -> T (never)."""
    y = parse_year(cell(t, k, col), t.where(k, col))
    if y is None:
        raise InputError("%s: a year is required" % t.where(k, col))
    f = y - first_year
    if f >= T:
        warn("%s: year %d is after the plan: %s" % (t.where(k, col), y, what))
        return T
    return max(0, f)


def build_arrangements(tables, d, icbs, services, svc, overridden):
    """Rule 14: arr[(i, s, t)] for every ICB, specialised service and year: the
    arrangement of the last row (table order) selecting s and i with
    from_year <= t; none: settings.arrangement. --arrangement ignores the table."""
    T, first_year = d["T"], d["first_year"]
    spec = [s for s in d["S"] if svc[s]["category"] == "specialised"]
    rows = []
    if "arrangements" in tables and not overridden:
        at = tables["arrangements"]
        for k, row in enumerate(at.rows):
            sel = select_services(row["services"].strip(), svc, services, at.where(k, "services"))
            sel = set(s for s in sel if svc[s]["category"] == "specialised")
            text = row["icbs"].strip()
            if text == "*":
                members = set(icbs.order)
            elif text.lower().startswith("region:"):
                reg = "r:" + text.split(":", 1)[1].strip().lower()
                members = set(i for i in icbs.order if d["region"][i] == reg)
                if not members:
                    warn("%s: no ICB is in region '%s'" % (at.where(k, "icbs"), text[7:].strip()))
            else:
                if text == "":
                    raise InputError("%s: no ICBs given" % at.where(k, "icbs"))
                members = set(icbs.ref(tok, at.where(k, "icbs")) for tok in text.split())
            f = year_index(at, k, "from_year", first_year, T, "the row never applies")
            a = norm(row["arrangement"])
            if a not in ("delegated", "joint", "national"):
                raise InputError("%s: arrangement must be delegated, joint or national, not '%s'"
                                 % (at.where(k, "arrangement"), row["arrangement"]))
            rows.append((sel, members, f, a))
    arr = {}
    for i in icbs.order:
        for s in spec:
            for t in range(T):
                a = d["arrangement"]
                for sel, members, f, ra in rows:
                    if s in sel and i in members and f <= t:
                        a = ra
                arr[(i, s, t)] = a
    d["arr"] = arr


def build_mergers(tables, d, icbs):
    """Rule 15: footprints (ICBs with the same `becomes`) from their from_year."""
    T, first_year = d["T"], d["first_year"]
    d["merged"] = {}        # ICB -> (footprint unit id, first year index, joint group)
    if "icb_changes" not in tables:
        return
    ct = tables["icb_changes"]
    seen = {}
    fps = {}                # becomes (lower) -> list of (icb, k, year index)
    for k, row in enumerate(ct.rows):
        i = icbs.ref(row["icb"], ct.where(k, "icb"))
        if i in seen:
            raise InputError("%s: ICB %s is listed twice (also row %d)"
                             % (ct.where(k, "icb"), i, ct.linenos[seen[i]]))
        seen[i] = k
        b = row["becomes"].strip()
        if b == "":
            raise InputError("%s: blank becomes" % ct.where(k, "becomes"))
        if b in icbs:
            raise InputError("%s: becomes '%s' is the id of an ICB" % (ct.where(k, "becomes"), b))
        y = parse_year(cell(ct, k, "from_year"), ct.where(k, "from_year"))
        if y is None:
            raise InputError("%s: a year is required" % ct.where(k, "from_year"))
        fps.setdefault(b.lower(), []).append((i, k, b, y))
    for key, members in fps.items():
        i0, k0, b0, y0 = members[0]
        jc0 = d["jc_text"][i0]
        for i, k, b, y in members[1:]:
            what = None
            if d["region"][i] != d["region"][i0]:
                what = "regions"
            elif d["jc_text"][i] != jc0:
                what = "joint committees"
            elif y != y0:
                what = "from_years"
            if what:
                raise InputError("%s and row %d: ICBs %s and %s of footprint %s have different %s"
                                 % (ct.where(k, "icb"), ct.linenos[k0], i0, i, b0, what))
        f = y0 - first_year
        if f >= T:
            warn("%s: footprint %s begins after the plan: no merger within it"
                 % (ct.where(k0, "from_year"), b0))
            f = T
        f = max(0, f)
        grp = ("fpgrp:" + key) if jc0 == "" else d["jc"][i0]
        for i, k, b, y in members:
            d["merged"][i] = ("__fp__" + b0, f, grp)


def build_today(tables, d, icbs, services, providers):
    """Rule 16: today's plan carried forward. x0[(i, p, s)] = list over years,
    y0[(i, s)] likewise; d["flows_given"] when the flows table has rows."""
    T, svc, dem, cap = d["T"], d["svc"], d["demand"], d["capacity"]
    acc = d["access"]
    provided = set(s for (p, s) in cap)
    cap_of = {}             # service -> its providers, in providers-table order
    for p in d["P"]:
        for s in d["S"]:
            if (p, s) in cap:
                cap_of.setdefault(s, []).append(p)

    def allowed(i, p, s):
        if (p, s) not in cap or (i, s) not in dem:
            return False
        if acc is None or (i, p) in acc:
            return True
        return any(i in c["icbs"] and s in c["sel"] and p in c["members"] for c in d["collabs"])

    flows = {}              # (i, s) -> list of (p, activity)
    seen = set()
    ft = tables.get("flows")
    if ft is not None:
        for k, row in enumerate(ft.rows):
            i = icbs.ref(row["icb"], ft.where(k, "icb"))
            s = services.ref(row["service"], ft.where(k, "service"))
            p = providers.ref(row["provider"], ft.where(k, "provider"))
            if (i, s, p) in seen:
                raise InputError("%s: second flows row for %s/%s/%s" % (ft.where(k, "icb"), i, s, p))
            seen.add((i, s, p))
            if s not in provided:
                raise InputError("%s: service %s is local (no capacity rows): it has no "
                                 "providers" % (ft.where(k, "service"), s))
            if (i, s) not in dem:
                raise InputError("%s: %s/%s has no demand row" % (ft.where(k, "service"), i, s))
            if (p, s) not in cap:
                raise InputError("%s: provider %s has no capacity row for %s"
                                 % (ft.where(k, "provider"), p, s))
            v = num(ft, k, "activity", required=True)
            if v < 0:
                raise InputError("%s: activity must not be negative" % ft.where(k, "activity"))
            if not allowed(i, p, s):
                warn("%s: the access table does not let %s buy %s from %s (today's plan breaks "
                     "the access limit)" % (ft.where(k, "provider"), i, s, p))
            flows.setdefault((i, s), []).append((p, v))
    d["flows_given"] = ft is not None and len(ft.rows) > 0

    x0, y0, f_today, off = {}, {}, {}, []
    for (i, s), (n, a0) in dem.items():
        g = svc[s]["g"]
        growth = [((n * (1 + g) ** t) / n if n > 0 else 1.0) for t in range(T)]
        if s not in provided:
            if a0 > 0:
                y0[(i, s)] = [a0 * growth[t] for t in range(T)]
            continue
        if (i, s) in flows:
            parts = flows[(i, s)]
            tot = sum(v for _, v in parts)
            if abs(tot - a0) > 0.01 * abs(a0) + (1e-9 if a0 == 0 else 0):
                warn("flows of %s/%s add up to %s, baseline %s" % (i, s, tot, a0))
        else:
            if a0 <= 0:
                continue
            cand = [p for p in cap_of[s] if allowed(i, p, s)]
            if not cand:
                warn("%s/%s: no provider to split today's activity over: dropped" % (i, s))
                continue
            ctot = sum(cap[(p, s)]["C"] for p in cand)
            if ctot > 0:
                parts = [(p, a0 * cap[(p, s)]["C"] / ctot) for p in cand]
            else:
                parts = [(p, a0 / len(cand)) for p in cand]
        for p, v in parts:
            if v <= 0:
                continue
            f_today[(i, p, s)] = v
            x0[(i, p, s)] = [v * growth[t] for t in range(T)]
            if not allowed(i, p, s):
                off.append((i, p, s))
    d.update(x0=x0, y0=y0, f_today=f_today, today_off=off)


def count(t, k, col):
    """A whole number >= 0 (contract limits), or None when blank."""
    v = parse_int(cell(t, k, col), t.where(k, col))
    if v is not None and v < 0:
        raise InputError("%s: must not be negative" % t.where(k, col))
    return v


def select_services(text, svc, services, where):
    if text == "*":
        return list(svc)
    if ":" not in text:
        raise InputError("%s: selection '%s' is not *, category:X, programme:X or service:X"
                         % (where, text))
    kind, _, value = text.partition(":")
    kind, value = norm(kind), value.strip()
    if kind == "category":
        if value.lower() not in ("specialised", "priority"):
            raise InputError("%s: no category '%s'" % (where, value))
        return [s for s in svc if svc[s]["category"] == value.lower()]
    if kind == "programme":
        return [s for s in svc if svc[s]["programme"].lower() == value.lower()]
    if kind == "service":
        return [services.ref(value, where)]
    raise InputError("%s: selection '%s' is not *, category:X, programme:X or service:X"
                     % (where, text))


# ---------------------------------------------------------------------------
# Writing the GMPL data section
# ---------------------------------------------------------------------------
def q(s):
    return "'" + str(s).replace("'", "''") + "'"


def f(v):
    return repr(float(v))


def write_dat(d, out):
    w = out.write
    w("/* written by csv2dat.py */\ndata;\n\n")
    w("param T := %d;\n" % d["T"])
    w("param rate := %s;\n" % f(d["rate"]))
    w("param objective := %s;\n" % q(d["objective"]))
    w("param arrangement := %s;\n" % q(d["arrangement"]))
    if d["phi"] is not None:
        w("param phi := %s;\n" % f(d["phi"]))
    if d["mu"] is not None:
        w("param settings_mu := %s;\n" % f(d["mu"]))
    if d["delta"] is not None:
        w("param delta := %s;\n" % f(d["delta"]))

    I, S, svc = d["I"], d["S"], d["svc"]
    w("\nset I := %s;\n" % " ".join(q(i) for i in I))
    w("param jc := %s;\n" % " ".join("%s %s" % (q(i), q(d["jc"][i])) for i in I))
    w("param region := %s;\n" % " ".join("%s %s" % (q(i), q(d["region"][i])) for i in I))

    w("\nset S := %s;\n" % " ".join(q(s) for s in S))
    w("set SPEC := %s;\n" % " ".join(q(s) for s in S if svc[s]["category"] == "specialised"))
    for par, key in (("c", "c"), ("b", "b"), ("m", "m"), ("growth", "g"), ("lag", "lag")):
        w("param %s := %s;\n" % (par, " ".join("%s %s" % (q(s), f(svc[s][key]) if key != "lag"
                                                           else str(svc[s][key])) for s in S)))
    sk = [s for s in S if svc[s]["kappa"] is not None]
    w("set SK := %s;\n" % " ".join(q(s) for s in sk))
    w("param kappa := %s;\n" % " ".join("%s %s" % (q(s), f(svc[s]["kappa"])) for s in sk))
    w("param service_mu := %s;\n" % " ".join("%s %s" % (q(s), f(svc[s]["mu"]))
                                            for s in S if svc[s]["mu"] is not None))

    dem = d["demand"]
    w("\nset D :=\n%s;\n" % "\n".join("  (%s, %s)" % (q(i), q(s)) for (i, s) in dem))
    w("param n :=\n%s;\n" % "\n".join("  %s %s %s" % (q(i), q(s), f(v[0])) for (i, s), v in dem.items()))
    w("param a0 :=\n%s;\n" % "\n".join("  %s %s %s" % (q(i), q(s), f(v[1])) for (i, s), v in dem.items()))

    w("\nset P := %s;\n" % " ".join(q(p) for p in d["P"]))
    w("param host := %s;\n" % " ".join("%s %s" % (q(p), q(d["host"][p])) for p in d["P"]))
    cap = d["capacity"]
    w("set CAP := %s;\n" % " ".join("(%s, %s)" % (q(p), q(s)) for (p, s) in cap))
    w("param C := %s;\n" % " ".join("%s %s %s" % (q(p), q(s), f(r["C"])) for (p, s), r in cap.items()))
    w("param cps := %s;\n" % " ".join("%s %s %s" % (q(p), q(s), f(r["c"]))
                                     for (p, s), r in cap.items() if r["c"] is not None))
    cv = [(k, r) for k, r in cap.items() if r["V"] is not None]
    w("set CAPV := %s;\n" % " ".join("(%s, %s)" % (q(p), q(s)) for (p, s), r in cv))
    w("param V := %s;\n" % " ".join("%s %s %s" % (q(p), q(s), f(r["V"])) for (p, s), r in cv))
    ce = [(k, r) for k, r in cap.items() if r["E"] is not None]
    w("set CAPE := %s;\n" % " ".join("(%s, %s)" % (q(p), q(s)) for (p, s), r in ce))
    w("param E := %s;\n" % " ".join("%s %s %s" % (q(p), q(s), f(r["E"])) for (p, s), r in ce))
    cst = [(k, r) for k, r in cap.items() if r["step"] is not None]
    w("set CAPSTEP := %s;\n" % " ".join("(%s, %s)" % (q(p), q(s)) for (p, s), r in cst))
    w("param step := %s;\n" % " ".join("%s %s %s" % (q(p), q(s), f(r["step"])) for (p, s), r in cst))
    w("set IMAXP := %s;\n" % " ".join(q(i) for i in d["maxprov"]))
    w("param maxprov := %s;\n" % " ".join("%s %d" % (q(i), v) for i, v in d["maxprov"].items()))
    w("set PMAXI := %s;\n" % " ".join(q(p) for p in d["maxicbs"]))
    w("param maxicbs := %s;\n" % " ".join("%s %d" % (q(p), v) for p, v in d["maxicbs"].items()))
    acc = d["access"]
    w("param use_access := %d;\n" % (0 if acc is None else 1))
    w("set ACC := %s;\n" % " ".join("(%s, %s)" % (q(i), q(p)) for (i, p) in sorted(acc or ())))

    links = d["links"]
    w("\nset LNK := %s;\n" % " ".join("(%s, %s)" % (q(a), q(b)) for (a, b) in links))
    w("param eff := %s;\n" % " ".join("%s %s %s" % (q(a), q(b), f(v[0])) for (a, b), v in links.items()))
    w("param plag := %s;\n" % " ".join("%s %s %d" % (q(a), q(b), v[1]) for (a, b), v in links.items()))

    bud = d["budgets"]
    keys = sorted(bud, key=lambda k: (I.index(k[0]), k[1]))
    w("\nparam R :=\n%s;\n" % "\n".join("  %s %d %s" % (q(i), t, f(bud[(i, t)][0])) for i, t in keys))
    w("param K :=\n%s;\n" % "\n".join("  %s %d %s" % (q(i), t, f(bud[(i, t)][1])) for i, t in keys))
    srk = [k for k in keys if bud[k][2] is not None]
    w("set SRG := %s;\n" % " ".join("(%s, %d)" % (q(i), t) for i, t in srk))
    w("param SRv := %s;\n" % " ".join("%s %d %s" % (q(i), t, f(bud[(i, t)][2])) for i, t in srk))

    rules = d["rules"]
    w("\nset RULES := %s;\n" % " ".join(q(r["name"]) for r in rules))
    w("param rkind := %s;\n" % " ".join("%s %s" % (q(r["name"]), q(r["kind"])) for r in rules))
    w("param rscope := %s;\n" % " ".join("%s %s" % (q(r["name"]), q(r["scope"])) for r in rules))
    w("param ryear := %s;\n" % " ".join("%s %d" % (q(r["name"]), r["year"]) for r in rules))
    w("param rval := %s;\n" % " ".join("%s %s" % (q(r["name"]), f(r["value"])) for r in rules))
    for r in rules:
        w("set RSEL[%s] := %s;\n" % (q(r["name"]), " ".join(q(s) for s in r["sel"])))

    cl = d["collabs"]
    w("\nset COLL := %s;\n" % " ".join(q(c["id"]) for c in cl))
    for c in cl:
        w("set CI[%s] := %s;\n" % (q(c["id"]), " ".join(q(i) for i in c["icbs"])))
        w("set CS[%s] := %s;\n" % (q(c["id"]), " ".join(q(s) for s in c["sel"])))
        w("set CM[%s] := %s;\n" % (q(c["id"]), " ".join(q(p) for p in c["members"])))
    csh = [c for c in cl if c["share"] is not None]
    w("set CSHARE := %s;\n" % " ".join(q(c["id"]) for c in csh))
    w("param cshare := %s;\n" % " ".join("%s %s" % (q(c["id"]), f(c["share"])) for c in csh))

    # rule 14: arrangements that differ from settings.arrangement
    arr = [(k, a) for k, a in d["arr"].items() if a != d["arrangement"]]
    w("\nparam arr :=%s;\n" % "".join("\n  %s %s %d %s" % (q(i), q(s), t, q(a))
                                        for (i, s, t), a in arr))
    # rule 15
    mg = d["merged"]
    w("set MERGED := %s;\n" % " ".join(q(i) for i in I if i in mg))
    w("param fp := %s;\n" % " ".join("%s %s" % (q(i), q(mg[i][0])) for i in I if i in mg))
    w("param ffrom := %s;\n" % " ".join("%s %d" % (q(i), mg[i][1]) for i in I if i in mg))
    w("param fpgrp := %s;\n" % " ".join("%s %s" % (q(i), q(mg[i][2])) for i in I if i in mg))
    # rule 16: today's plan carried forward
    x0 = d["x0"]
    w("set X0 :=%s;\n" % "".join("\n  (%s, %s, %s)" % (q(i), q(p), q(s)) for (i, p, s) in x0))
    w("param x0 :=%s;\n" % "".join("\n  %s %s %s %d %s" % (q(i), q(p), q(s), t, f(v))
                                    for (i, p, s), vs in x0.items() for t, v in enumerate(vs)))
    w("param y0 :=%s;\n" % "".join("\n  %s %s %d %s" % (q(i), q(s), t, f(v))
                                    for (i, s), vs in d["y0"].items() for t, v in enumerate(vs)))
    w("\nend;\n")


def convert(folder, scenario=None, arrangement=None):
    """Return the GMPL data text for the input folder."""
    return convert_info(folder, scenario, arrangement)[0]


def convert_info(folder, scenario=None, arrangement=None):
    """Return (GMPL data text, model data dict) for the input folder."""
    tables = read_folder(folder)
    if scenario:
        apply_scenario(tables, scenario)
    d = build(tables, arrangement)
    out = io.StringIO()
    write_dat(d, out)
    return out.getvalue(), d


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("input")
    ap.add_argument("--scenario")
    ap.add_argument("--arrangement")
    ap.add_argument("-o", "--output")
    a = ap.parse_args(argv)
    try:
        text = convert(a.input, a.scenario, a.arrangement)
    except (InputError, OSError) as e:
        print("csv2dat: error: %s" % e, file=sys.stderr)
        return 2
    if a.output:
        with open(a.output, "w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
