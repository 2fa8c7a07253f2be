/*
 * allocopt.mod -- reference formulation of the allocation model, rules 1-13
 * of MODEL.md (v1 and the v2 extensions), written in GNU MathProg for glpsol.
 *
 * This is a test oracle: a second, deliberately plain implementation of the
 * model that the functional tests compare allocopt against. It reads a data
 * file written by csv2dat.py.
 *
 * Rules 12 (contract limits) and 13 (lumpy capital) add integer variables
 * (w, nstep); glpsol then solves a MIP. Without them the model is a pure LP.
 *
 * Two passes (run glpsol twice, see solve.py):
 *   pass2 = 0  optimise the objective of settings.objective;
 *   pass2 = 1  hold that objective within a relative `hold_tol` of fstar and
 *              minimise undiscounted revenue plus capital spend. For a MIP
 *              the integer decisions of the first pass are held as well
 *              (params fix_int, wfix, kfix), so the second pass is an LP.
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

param grp{i in I} symbolic := if arrangement = "national" then "__national__" else jc[i];
set GROUPS := setof{i in I} grp[i];

param mu{s in S} := if service_mu[s] >= 0 then service_mu[s] else settings_mu;

set RINST dimen 2 := setof{r in RULES, i in I: rscope[r] = "*" or rscope[r] = i} (r, i)
                     union setof{r in RULES: rscope[r] = "all"} (r, "__all__");
set RMEM{(r, k) in RINST} := if k = "__all__" then I else {k};
set RYEARS{r in RULES} := if ryear[r] < 0 then TT else {t in TT: t = ryear[r]};

/* ================= variables ================= */
var x{X, TT} >= 0;
var y{Y, TT} >= 0;
var z{ZC, TT} >= 0;
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

/* ================= rule 5: capital per host ICB ================= */
s.t. capital{i in I, t in TT}:
    sum{(p, s) in ZC: host[p] = i} kappa[s] * z[p, s, t] <= K[i, t];

/* ================= rule 6: revenue by arrangement ================= */
s.t. revenue{i in I, t in TT: arrangement = "delegated"}:
    sum{(i, s) in D} Sp[i, s, t] <= R[i, t];

s.t. pooled_specialised{g in GROUPS, t in TT: arrangement <> "delegated"}:
    sum{i in I, (i, s) in D: grp[i] = g and s in SPEC} Sp[i, s, t]
        <= sum{i in I: grp[i] = g} SR[i, t];

s.t. priority_budget{i in I, t in TT: arrangement <> "delegated"}:
    sum{(i, s) in D: s not in SPEC} Sp[i, s, t] <= R[i, t] - SR[i, t];

/* ================= rule 7: specialised share floor ================= */
s.t. share_floor{i in I, t in TT: phi > 0}:
    sum{(i, s) in D: s in SPEC} Sp[i, s, t] >= phi * beta[i] * R[i, t];

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
s.t. rule_min{(r, k) in RINST, t in RYEARS[r]: rkind[r] = "min_spend" or rkind[r] = "min_share"}:
    sum{i in RMEM[r, k], s in RSEL[r]: (i, s) in D} Sp[i, s, t]
        >= (if rkind[r] = "min_spend" then rval[r] else rval[r] * sum{i in RMEM[r, k]} R[i, t]);

s.t. rule_max{(r, k) in RINST, t in RYEARS[r]: rkind[r] = "max_spend" or rkind[r] = "max_share"}:
    sum{i in RMEM[r, k], s in RSEL[r]: (i, s) in D} Sp[i, s, t]
        <= (if rkind[r] = "max_spend" then rval[r] else rval[r] * sum{i in RMEM[r, k]} R[i, t]);

/* ================= rule 11: collaboratives' pooled budgets ================= */
s.t. collab_budget{cc in CSHARE, t in TT}:
    sum{i in CI[cc], s in CS[cc]: (i, s) in D} Sp[i, s, t]
        <= cshare[cc] * sum{i in CI[cc]} SR[i, t];

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

/* One objective for every case: GMPL uses the first objective statement. */
maximize goal:
    if pass2 = 1 then -(revenue_total + capital_total)
    else if objective = "benefit" then benefit_disc
    else -cost_disc;

solve;

printf "ORACLE objective %.17g\n",
    if objective = "benefit" then benefit_disc.val else cost_disc.val;
printf "ORACLE revenue %.17g\n", revenue_total.val;
printf "ORACLE capital %.17g\n", capital_total.val;
printf "ORACLE benefit_undiscounted %.17g\n", sum{(i, s) in D, t in TT} b[s] * A[i, s, t].val;
printf "ORACLE integers %d\n", card(W) + card(ZSTEP) * T;
/* integer decisions, for the second pass of a MIP (rounded: glpsol's
   integrality tolerance leaves them within 1e-5 of a whole number) */
printf{(i, p) in W} "ORACLE_W\t%s\t%s\t%d\n", i, p, round(w[i, p].val);
printf{(p, s) in ZSTEP, t in TT} "ORACLE_K\t%s\t%s\t%d\t%d\n", p, s, t, round(nstep[p, s, t].val);

end;
