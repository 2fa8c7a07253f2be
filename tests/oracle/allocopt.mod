/*
 * allocopt.mod -- reference formulation of the allocation model, rules 1-18
 * of MODEL.md (v1, the v2 and the v3 extensions), written in GNU MathProg for
 * glpsol.
 *
 * This is a test oracle: a second, deliberately plain implementation of the
 * model that the functional tests compare allocopt against. It reads a data
 * file written by csv2dat.py.
 *
 * Rules 12 (contract limits) and 13 (lumpy capital) add integer variables
 * (w, nstep); glpsol then solves a MIP. Without them the model is a pure LP.
 *
 * Runs of glpsol (see solve.py), chosen by parameters:
 *   (none)     optimise the objective of settings.objective (first pass);
 *   pass2 = 1  hold that objective within a relative `hold_tol` of fstar and
 *              minimise undiscounted revenue plus capital spend. For a MIP
 *              the integer decisions of the first pass are held as well
 *              (params fix_int, wfix, kfix), so the second pass is an LP;
 *   pass3 = 1  rule 17 (continuity, with a flows table): hold the first
 *              objective within `hold3_tol` of fstar and the second pass's
 *              spend within `hold3_tol` of spendstar, and minimise the
 *              activity of provided services moved away from today's plan
 *              x0 (integer decisions held as in pass 2);
 *   fix_plan = 1  rule 16: every x, y fixed to today's plan carried forward
 *              (x0, y0) and z to 0 by their bounds, contract decisions w
 *              free: infeasible exactly when today's plan breaks a limit;
 *   gap_mode = 1  rule 18 (funding gap): extra revenue u >= 0 per ICB and
 *              year added wherever R appears (and rho * u wherever SR
 *              appears); minimise the sum of u.
 * After solving, the model prints lines beginning with "ORACLE " that the
 * driver reads.
 */

/* ---------------- settings ---------------- */
param T integer > 0;                       /* number of years              */
set TT := 0..T-1;                          /* t = 0 is settings.first_year */
param rate >= 0, default 0;                /* discount rate                */
param objective symbolic in {"benefit", "cost"}, default "benefit";
param arrangement symbolic in {"delegated", "joint", "national"}, default "delegated";
param phi >= 0, default 0;                 /* specialised share floor      */
param settings_mu default -1;              /* settings.max_change, -1 none */
param delta default -1;                    /* equity band, -1 none         */

param pass2 binary, default 0;
param fstar, default 0;
param hold_tol >= 0, default 1e-9;
param pass3 binary, default 0;             /* rule 17: continuity pass     */
param spendstar, default 0;                /* the second pass's spend      */
param hold3_tol >= 0, default 1e-7;
param fix_plan binary, default 0;          /* rule 16: today's plan fixed  */
param gap_mode binary, default 0;          /* rule 18: funding gap         */

/* ---------------- ICBs ---------------- */
set I;
param jc{I} symbolic;                      /* joint committee, or own id   */
param region{I} symbolic;                  /* "" region mapped to a token  */
set IMAXP within I;                        /* ICBs with max_providers      */
param maxprov{IMAXP} >= 0;

/* ---------------- services ---------------- */
set S;
set SPEC within S;                         /* category = specialised       */
param c{S} >= 0;                           /* unit cost                    */
param b{S};                                /* benefit per unit             */
param m{S} >= 0, <= 1, default 0;          /* minimum coverage             */
param growth{S}, default 0;
set SK within S;                           /* services with a capital cost */
param kappa{SK} >= 0;
param lag{S} integer >= 0, default 1;      /* capacity lag                 */
param service_mu{S}, default -1;           /* services.max_change, -1 none */

/* ---------------- demand ---------------- */
set D within I cross S;
param n{D} >= 0;                           /* need in year 0               */
param a0{D} >= 0;                          /* baseline activity            */

/* ---------------- providers, capacity, access ---------------- */
set P;
param host{P} symbolic in I;
set PMAXI within P;                        /* providers with max_icbs      */
param maxicbs{PMAXI} >= 0;
set CAP within P cross S;
param C{CAP} >= 0;
param cps{(p, s) in CAP} >= 0, default c[s];
set CAPV within CAP;
param V{CAPV} >= 0;
set CAPE within CAP;
param E{CAPE} >= 0;
set CAPSTEP within CAP;                    /* rows with expansion_step     */
param step{CAPSTEP} > 0;
param use_access binary, default 0;        /* 1 when the access table exists */
set ACC within I cross P;

/* ---------------- collaboratives (rule 11) ---------------- */
set COLL;
set CI{COLL} within I;                     /* ICBs of the collaborative    */
set CS{COLL} within S;                     /* services it applies to       */
set CM{COLL} within P;                     /* member providers             */
set CSHARE within COLL;                    /* collaboratives with a budget_share */
param cshare{CSHARE} >= 0;

/* ---------------- prevention links q -> s ---------------- */
set LNK within S cross S;
param eff{LNK};
param plag{LNK} integer >= 0, default 1;

/* ---------------- budgets ---------------- */
param R{I, TT} >= 0;
param K{I, TT} >= 0, default 0;
set SRG within I cross TT;                 /* cells with an explicit SR    */
param SRv{SRG};

/* ---------------- v3: arrangements (rule 14) ---------------- */
/* a(i,s,t) for specialised s, as csv2dat.py reads the arrangements table
   (last row in table order wins); entries not given: settings.arrangement */
param arr{I, SPEC, TT} symbolic in {"delegated", "joint", "national"}, default arrangement;

/* ---------------- v3: mergers (rule 15) ---------------- */
set MERGED within I;                       /* ICBs listed in icb_changes   */
param fp{MERGED} symbolic;                 /* their footprint's unit id    */
param ffrom{MERGED} integer >= 0;          /* its first year index (T: never) */
param fpgrp{MERGED} symbolic;              /* the footprint's joint group when
                                              its members have no joint committee,
                                              else their joint committee        */

/* ---------------- v3: today's plan (rules 16, 17) ---------------- */
set X0 dimen 3;                            /* (i, p, s) with today's activity */
param x0{X0, TT} >= 0;                     /* x0 carried forward            */
param y0{D, TT} >= 0, default 0;           /* y0 for local services         */

/* ---------------- rules ---------------- */
set RULES;
param rkind{RULES} symbolic in {"min_spend", "max_spend", "min_share", "max_share"};
param rscope{RULES} symbolic;              /* "*", "all" or an ICB id      */
param ryear{RULES} integer, default -1;    /* t index, -1 = every year     */
param rval{RULES};
set RSEL{RULES} within S;                  /* services the rule applies to */

/* ================= derived sets and parameters ================= */
set PROVIDED := setof{(p, s) in CAP} s;
set LOCAL := S diff PROVIDED;

/* x: capacity row (p,s), demand row (i,s), access allows (i,p) or a
   collaborative of i, s has p as a member (rule 11) */
set X := setof{i in I, (p, s) in CAP:
               (i, s) in D and (use_access = 0 or (i, p) in ACC
                                or exists{cc in COLL} (i in CI[cc] and s in CS[cc] and p in CM[cc]))}
             (i, p, s);
/* y: local services with a demand row */
set Y := setof{(i, s) in D: s in LOCAL} (i, s);
/* z: capacity rows of services with a capital cost */
set ZC := setof{(p, s) in CAP: s in SK} (p, s);

param N{(i, s) in D, t in TT} := n[i, s] * (1 + growth[s]) ^ t;

/* rule 12: contract pairs (i,p) with some x, and a limit on i or on p */
set W := setof{(i, p, s) in X: i in IMAXP or p in PMAXI} (i, p);
/* U = min(N, C + E): E given -> E; blank with a capital cost -> N; else 0 */
param U{(i, p, s) in X, t in TT: (i, p) in W} :=
    min(N[i, s, t], C[p, s] + (if (p, s) in CAPE then E[p, s]
                               else if s in SK then N[i, s, t] else 0));
/* rule 13: capacity rows whose expansion comes in whole steps */
set ZSTEP := setof{(p, s) in CAPSTEP: s in SK} (p, s);

/* second pass of a MIP: integer decisions held at the first pass's values */
param fix_int binary, default 0;
param wfix{W}, default 0;
param kfix{ZSTEP, TT}, default 0;

param disc{t in TT} := 1 / (1 + rate) ^ t;

param base_all{i in I} := sum{(i, s) in D} c[s] * a0[i, s];
param base_spec{i in I} := sum{(i, s) in D: s in SPEC} c[s] * a0[i, s];
param beta{i in I} := if base_all[i] > 0 then base_spec[i] / base_all[i] else 0;
param SR{i in I, t in TT} := if (i, t) in SRG then SRv[i, t] else beta[i] * R[i, t];
/* rule 18: SR grows with extra revenue u in proportion rho */
param rho{i in I, t in TT} :=
    if (i, t) in SRG then (if R[i, t] > 0 then SRv[i, t] / R[i, t] else 0) else beta[i];

param mu{s in S} := if service_mu[s] >= 0 then service_mu[s] else settings_mu;

set RYEARS{r in RULES} := if ryear[r] < 0 then TT else {t in TT: t = ryear[r]};

/* ---- rule 15: budget units. ICB i's unit in year t is i itself, or its
   footprint from the footprint's first year on. */
param unit{i in I, t in TT} symbolic :=
    if i in MERGED then (if t >= ffrom[i] then fp[i] else i) else i;
set UT dimen 2 := setof{i in I, t in TT} (unit[i, t], t);
set UM{(k, t) in UT} := setof{i in I: unit[i, t] = k} i;

/* rule 10 instances (rule, unit, year): scope `*` gives one row per budget
   unit, a scope naming an ICB the row of its unit that year, `all` one row */
set RINST dimen 3 :=
    setof{r in RULES, i in I, t in RYEARS[r]: rscope[r] = "*"} (r, unit[i, t], t)
    union setof{r in RULES, i in I, t in RYEARS[r]: rscope[r] = i} (r, unit[i, t], t)
    union setof{r in RULES, t in RYEARS[r]: rscope[r] = "all"} (r, "__all__", t);
set RMEM{(r, k, t) in RINST} := if k = "__all__" then I else UM[k, t];

/* ---- rule 14: arrangement weights w_is: baseline spend c_s a0_is over the
   specialised services; none: cost of need c_s n_is; none either: 1 each */
param wbase{i in I, s in SPEC} := if (i, s) in D then c[s] * a0[i, s] else 0;
param wneed{i in I, s in SPEC} := if (i, s) in D then c[s] * n[i, s] else 0;
param wsel{i in I} := if sum{s in SPEC} wbase[i, s] > 0 then 1
                      else if sum{s in SPEC} wneed[i, s] > 0 then 2 else 3;
param wt{i in I, s in SPEC} :=
    if wsel[i] = 1 then wbase[i, s] else if wsel[i] = 2 then wneed[i, s] else 1;
/* shares of the specialised services under joint and national arrangement;
   with no specialised service at all, settings.arrangement as in v1 */
param piJ{i in I, t in TT} :=
    if card(SPEC) = 0 then (if arrangement = "joint" then 1 else 0)
    else (sum{s in SPEC: arr[i, s, t] = "joint"} wt[i, s]) / (sum{s in SPEC} wt[i, s]);
param piN{i in I, t in TT} :=
    if card(SPEC) = 0 then (if arrangement = "national" then 1 else 0)
    else (sum{s in SPEC: arr[i, s, t] = "national"} wt[i, s]) / (sum{s in SPEC} wt[i, s]);
/* is (i, s) delegated in year t (priority services always are) */
param deleg{(i, s) in D, t in TT} binary :=
    if s not in SPEC then 1 else if arr[i, s, t] = "delegated" then 1 else 0;

/* joint groups: the ICB's joint committee (or itself alone); ICBs without a
   joint committee that merge pool together from their footprint's year */
param jgrp{i in I, t in TT} symbolic :=
    if i in MERGED then (if t >= ffrom[i] then fpgrp[i] else jc[i]) else jc[i];
set JG dimen 2 := setof{i in I, t in TT, s in SPEC: arr[i, s, t] = "joint"} (jgrp[i, t], t);
set NATYEARS := setof{i in I, t in TT, s in SPEC: arr[i, s, t] = "national"} t;

/* today's activity on (i, p, s) without an x column (a provider the access
   table does not allow): counted as moved in rule 17 */
param x0_off := sum{(i, p, s) in X0, t in TT: (i, p, s) not in X} x0[i, p, s, t];

/* ================= variables ================= */
/* fix_plan = 1: today's plan carried forward, fixed by the bounds */
var x{(i, p, s) in X, t in TT}
    >= (if fix_plan = 1 and (i, p, s) in X0 then x0[i, p, s, t] else 0),
    <= (if fix_plan = 0 then Infinity else if (i, p, s) in X0 then x0[i, p, s, t] else 0);
var y{(i, s) in Y, t in TT}
    >= (if fix_plan = 1 then y0[i, s, t] else 0),
    <= (if fix_plan = 1 then y0[i, s, t] else Infinity);
var z{ZC, TT} >= 0, <= (if fix_plan = 1 then 0 else Infinity);
/* rule 18: extra revenue u of ICB i in year t (only in the funding-gap run) */
set UGAP dimen 2 := setof{i in I, t in TT: gap_mode = 1} (i, t);
var extra{UGAP} >= 0;
/* rule 17: |x - x0| (only in the continuity pass) */
set XMOVE dimen 4 := setof{(i, p, s) in X, t in TT: pass3 = 1} (i, p, s, t);
var e{XMOVE} >= 0;
var w{W} binary;                           /* rule 12: ICB i contracts with p */
var nstep{ZSTEP, TT} integer >= 0;         /* rule 13: z = step * nstep       */

/* activity and revenue spend of ICB i on service s in year t */
var A{D, TT};
var Sp{D, TT};

s.t. def_A{(i, s) in D, t in TT}:
    A[i, s, t] = sum{(i, p, s) in X} x[i, p, s, t]
               + (if (i, s) in Y then y[i, s, t] else 0);

s.t. def_S{(i, s) in D, t in TT}:
    Sp[i, s, t] = sum{(i, p, s) in X} cps[p, s] * x[i, p, s, t]
                + (if (i, s) in Y then c[s] * y[i, s, t] else 0);

/* ================= rules 1 and 2: need after prevention, standards ========= */
s.t. need{(i, s) in D, t in TT}:
    A[i, s, t] <= N[i, s, t]
        - sum{(q, s) in LNK: t - plag[q, s] >= 0 and (i, q) in D}
              eff[q, s] * A[i, q, t - plag[q, s]];

s.t. standard{(i, s) in D, t in TT: m[s] > 0}:
    A[i, s, t] >= m[s] * (N[i, s, t]
        - sum{(q, s) in LNK: t - plag[q, s] >= 0 and (i, q) in D}
              eff[q, s] * A[i, q, t - plag[q, s]]);

/* ================= rule 3: capacity with expansion ================= */
s.t. capacity{(p, s) in CAP, t in TT}:
    sum{(i, p, s) in X} x[i, p, s, t]
        <= C[p, s] + (if s in SK then sum{tau in TT: tau <= t - lag[s]} z[p, s, tau] else 0);

s.t. max_expansion{(p, s) in CAPE: s in SK}:
    sum{t in TT} z[p, s, t] <= E[p, s];

/* ================= rule 4: minimum viable volume ================= */
s.t. min_volume{(p, s) in CAPV, t in TT}:
    sum{(i, p, s) in X} x[i, p, s, t] >= V[p, s];

/* ================= rule 5: capital per host ICB (per budget unit) ========= */
s.t. capital{(k, t) in UT}:
    sum{(p, s) in ZC: host[p] in UM[k, t]} kappa[s] * z[p, s, t] <= sum{i in UM[k, t]} K[i, t];

/* ================= rule 6 (as rule 14 extends it): revenue ================= */
/* (if gap_mode = 1 then extra[i, t] else 0): rule 18's extra revenue, wherever
   R appears; rho[i, t] times it wherever SR appears */

/* each budget unit (an ICB, or a footprint from its year): priority and
   delegated specialised spend within revenue less the shares of SR handed
   to joint and national pools */
s.t. revenue{(k, t) in UT}:
    sum{i in UM[k, t], (i, s) in D: deleg[i, s, t] = 1} Sp[i, s, t]
        <= sum{i in UM[k, t]} (R[i, t] + (if gap_mode = 1 then extra[i, t] else 0)
                               - (piJ[i, t] + piN[i, t])
                                 * (SR[i, t] + rho[i, t] * (if gap_mode = 1 then extra[i, t] else 0)));

/* each joint group with a joint pair that year */
s.t. joint_pool{(g, t) in JG}:
    sum{i in I, (i, s) in D: jgrp[i, t] = g and s in SPEC and arr[i, s, t] = "joint"} Sp[i, s, t]
        <= sum{i in I: jgrp[i, t] = g}
               piJ[i, t] * (SR[i, t] + rho[i, t] * (if gap_mode = 1 then extra[i, t] else 0));

/* the nation, in years with a national pair */
s.t. national_pool{t in NATYEARS}:
    sum{(i, s) in D: s in SPEC and arr[i, s, t] = "national"} Sp[i, s, t]
        <= sum{i in I} piN[i, t] * (SR[i, t] + rho[i, t] * (if gap_mode = 1 then extra[i, t] else 0));

/* ================= rule 7: specialised share floor (per budget unit) ======= */
s.t. share_floor{(k, t) in UT: phi > 0}:
    sum{i in UM[k, t], (i, s) in D: s in SPEC} Sp[i, s, t]
        >= phi * sum{i in UM[k, t]} beta[i] * (R[i, t] + (if gap_mode = 1 then extra[i, t] else 0));

/* ================= rule 8: stability ================= */
s.t. stab_up{(i, s) in D, t in TT: mu[s] >= 0 and a0[i, s] > 0}:
    A[i, s, t] <= (1 + mu[s]) * (if t = 0 then a0[i, s] else A[i, s, t - 1]);

s.t. stab_down{(i, s) in D, t in TT: mu[s] >= 0 and a0[i, s] > 0}:
    A[i, s, t] >= (1 - mu[s]) * (if t = 0 then a0[i, s] else A[i, s, t - 1]);

/* ================= rule 9: equity band ================= */
s.t. equity{(i, s) in D, t in TT: delta >= 0 and s in SPEC and N[i, s, t] > 0}:
    A[i, s, t] * sum{(j, s) in D: region[j] = region[i]} N[j, s, t]
        >= (1 - delta) * N[i, s, t] * sum{(j, s) in D: region[j] = region[i]} A[j, s, t];

/* ================= rule 10: spending rules ================= */
s.t. rule_min{(r, k, t) in RINST: rkind[r] = "min_spend" or rkind[r] = "min_share"}:
    sum{i in RMEM[r, k, t], s in RSEL[r]: (i, s) in D} Sp[i, s, t]
        >= (if rkind[r] = "min_spend" then rval[r]
            else rval[r] * sum{i in RMEM[r, k, t]} (R[i, t] + (if gap_mode = 1 then extra[i, t] else 0)));

s.t. rule_max{(r, k, t) in RINST: rkind[r] = "max_spend" or rkind[r] = "max_share"}:
    sum{i in RMEM[r, k, t], s in RSEL[r]: (i, s) in D} Sp[i, s, t]
        <= (if rkind[r] = "max_spend" then rval[r]
            else rval[r] * sum{i in RMEM[r, k, t]} (R[i, t] + (if gap_mode = 1 then extra[i, t] else 0)));

/* ================= rule 11: collaboratives' pooled budgets ================= */
s.t. collab_budget{cc in CSHARE, t in TT}:
    sum{i in CI[cc], s in CS[cc]: (i, s) in D} Sp[i, s, t]
        <= cshare[cc] * sum{i in CI[cc]}
               (SR[i, t] + rho[i, t] * (if gap_mode = 1 then extra[i, t] else 0));

/* ================= rule 12: contract limits ================= */
s.t. contract_on{(i, p, s) in X, t in TT: (i, p) in W}:
    x[i, p, s, t] <= U[i, p, s, t] * w[i, p];

s.t. max_providers{i in IMAXP}:
    sum{(i, p) in W} w[i, p] <= maxprov[i];

s.t. max_icbs{p in PMAXI}:
    sum{(i, p) in W} w[i, p] <= maxicbs[p];

/* ================= rule 13: lumpy capital ================= */
s.t. lumpy{(p, s) in ZSTEP, t in TT}:
    z[p, s, t] = step[p, s] * nstep[p, s, t];

/* second pass of a MIP */
s.t. hold_w{(i, p) in W: fix_int = 1}:
    w[i, p] = wfix[i, p];
s.t. hold_k{(p, s) in ZSTEP, t in TT: fix_int = 1}:
    nstep[p, s, t] = kfix[p, s, t];

/* ================= objectives ================= */
var benefit_disc;
var cost_disc;
var revenue_total;
var capital_total;

s.t. def_benefit_disc:
    benefit_disc = sum{(i, s) in D, t in TT} disc[t] * b[s] * A[i, s, t];
s.t. def_cost_disc:
    cost_disc = sum{t in TT} disc[t] * (sum{(i, s) in D} Sp[i, s, t]
                                        + sum{(p, s) in ZC} kappa[s] * z[p, s, t]);
s.t. def_revenue_total:
    revenue_total = sum{(i, s) in D, t in TT} Sp[i, s, t];
s.t. def_capital_total:
    capital_total = sum{(p, s) in ZC, t in TT} kappa[s] * z[p, s, t];

/* second pass: hold the first objective */
s.t. hold_benefit{k in 1..1: pass2 = 1 and objective = "benefit"}:
    benefit_disc >= fstar - hold_tol * abs(fstar);
s.t. hold_cost{k in 1..1: pass2 = 1 and objective = "cost"}:
    cost_disc <= fstar + hold_tol * abs(fstar);

/* third pass (rule 17): hold the first objective and the second pass's spend */
s.t. hold3_benefit{k in 1..1: pass3 = 1 and objective = "benefit"}:
    benefit_disc >= fstar - hold3_tol * abs(fstar);
s.t. hold3_cost{k in 1..1: pass3 = 1 and objective = "cost"}:
    cost_disc <= fstar + hold3_tol * abs(fstar);
s.t. hold3_spend{k in 1..1: pass3 = 1}:
    revenue_total + capital_total <= spendstar + hold3_tol * abs(spendstar);

/* rule 17: e >= |x - x0| */
s.t. move_up{(i, p, s, t) in XMOVE}:
    e[i, p, s, t] >= x[i, p, s, t] - (if (i, p, s) in X0 then x0[i, p, s, t] else 0);
s.t. move_down{(i, p, s, t) in XMOVE}:
    e[i, p, s, t] >= (if (i, p, s) in X0 then x0[i, p, s, t] else 0) - x[i, p, s, t];

/* One objective for every case: GMPL uses the first objective statement. */
maximize goal:
    if gap_mode = 1 then -sum{(i, t) in UGAP} extra[i, t]
    else if pass3 = 1 then -(sum{(i, p, s, t) in XMOVE} e[i, p, s, t] + x0_off)
    else if pass2 = 1 then -(revenue_total + capital_total)
    else if objective = "benefit" then benefit_disc
    else -cost_disc;

solve;

printf "ORACLE objective %.17g\n",
    if objective = "benefit" then benefit_disc.val else cost_disc.val;
printf "ORACLE revenue %.17g\n", revenue_total.val;
printf "ORACLE capital %.17g\n", capital_total.val;
printf "ORACLE benefit_undiscounted %.17g\n", sum{(i, s) in D, t in TT} b[s] * A[i, s, t].val;
printf "ORACLE integers %d\n", card(W) + card(ZSTEP) * T;
printf{k in 1..1: pass3 = 1} "ORACLE moved %.17g\n",
    sum{(i, p, s, t) in XMOVE} e[i, p, s, t].val + x0_off;
printf{k in 1..1: gap_mode = 1} "ORACLE gap %.17g\n", sum{(i, t) in UGAP} extra[i, t].val;
printf{(i, t) in UGAP: extra[i, t].val > 0} "ORACLE_U\t%s\t%d\t%.17g\n", i, t, extra[i, t].val;
/* integer decisions, for the second pass of a MIP (rounded: glpsol's
   integrality tolerance leaves them within 1e-5 of a whole number) */
printf{(i, p) in W} "ORACLE_W\t%s\t%s\t%d\n", i, p, round(w[i, p].val);
printf{(p, s) in ZSTEP, t in TT} "ORACLE_K\t%s\t%s\t%d\t%d\n", p, s, t, round(nstep[p, s, t].val);

end;
