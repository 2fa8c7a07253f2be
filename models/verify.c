/*
 * Re-checking a plan against MODEL.md from the input data.
 *
 * Deliberately written without the formulation's metadata: activity, spend and
 * capacity are rebuilt from the allocation lines and the input tables, and each
 * rule is evaluated as the specification states it.
 */
#include "models/verify.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/strutil.h"

typedef struct checker {
    const ao_model *m;
    const ao_alloc_line *alloc; ///< The plan's allocation lines.
    size_t n_alloc;
    ao_violation_fn found; ///< Told of every limit broken.
    void *info;            ///< Passed to found.
    size_t n_checks;       ///< Limits checked.
    const char *rule;      ///< The spending rule being checked (rule 10), else NULL.
    int T;
    double *activity; ///< A[i,s,t]
    double *spend;    ///< S[i,s,t], priced from the input
    double *volume;   ///< Σ_i x at capacity row k in year t
    double *added;    ///< z at capacity row k in year t
    int *row_of;      ///< capacity row of (p,s), or -1
    ao_error err;
} checker;

static size_t ist(const checker *c, int i, int s, int t)
{
    return ((size_t)i * (size_t)c->m->n_services + (size_t)s) * (size_t)c->T + (size_t)t;
}

/* Record lo ≤ value ≤ hi for a limit at provider p (-1: none); scale sets what
 * "relative" is measured against. */
static void check_in(checker *c, double value, double lo, double hi, double scale, const char *what,
                     int i, int s, int p, int t, const char *pool)
{
    c->n_checks++;
    double excess = 0.0;
    if (value < lo)
        excess = lo - value;
    if (value > hi)
        excess = fmax(excess, value - hi);
    if (!isfinite(value))
        excess = INFINITY;
    if (excess <= 0.0 || c->err != AO_NO_ERROR)
        return;
    ao_violation v = {.limit = what,
                      .i = i,
                      .s = s,
                      .p = p,
                      .t = t,
                      .value = value,
                      .lo = lo,
                      .hi = hi,
                      .excess = excess,
                      .relative = excess / fmax(1.0, scale),
                      .rule = c->rule,
                      .pool = pool};
    c->err = c->found(c->info, &v);
}

static void check_at(checker *c, double value, double lo, double hi, double scale, const char *what,
                     int i, int s, int p, int t)
{
    check_in(c, value, lo, hi, scale, what, i, s, p, t, NULL);
}

/* A money limit of budget unit u (an ICB, or a merged footprint named as its pool). */
static void check_unit(checker *c, double value, double lo, double hi, double scale,
                       const char *what, int u, int t)
{
    const ao_model *m = c->m;
    check_in(c, value, lo, hi, scale, what, u < m->n_icbs ? u : -1, -1, -1, t,
             u < m->n_icbs ? NULL : ao_model_unit_id(m, u));
}

/* Record lo ≤ value ≤ hi; scale sets what "relative" is measured against. */
static void check(checker *c, double value, double lo, double hi, double scale, const char *what,
                  int i, int s, int t)
{
    check_at(c, value, lo, hi, scale, what, i, s, -1, t);
}

static double activity(const checker *c, int i, int s, int t)
{
    return t < 0 ? 0.0 : c->activity[ist(c, i, s, t)];
}

static double need_after_prevention(const checker *c, int i, int s, int t)
{
    double need = ao_model_need(c->m, i, s, t);
    for (int l = 0; l < c->m->n_links; l++)
        if (c->m->links[l].target == s)
            need -= c->m->links[l].effect *
                    activity(c, i, c->m->links[l].source, t - c->m->links[l].lag);
    return need;
}

static double spend_where(const checker *c, int i, int t, int category)
{
    double total = 0.0;
    for (int s = 0; s < c->m->n_services; s++)
        if (category < 0 || (int)c->m->services[s].category == category)
            total += c->spend[ist(c, i, s, t)];
    return total;
}

static void check_services(checker *c)
{
    const ao_model *m = c->m;
    for (int i = 0; i < m->n_icbs; i++)
        for (int s = 0; s < m->n_services; s++)
            for (int t = 0; t < c->T; t++) {
                double a = activity(c, i, s, t);
                int demand = m->has_demand[(size_t)i * (size_t)m->n_services + (size_t)s];
                if (!demand) {
                    check(c, a, 0.0, 0.0, 1.0, "activity without a demand row", i, s, t);
                    continue;
                }
                double need = need_after_prevention(c, i, s, t);
                double size = ao_model_need(m, i, s, t);
                check(c, a, 0.0, need, size, "need after prevention (rule 1)", i, s, t);
                check(c, a, m->services[s].min_coverage * need, INFINITY, size,
                      "national standard (rule 2)", i, s, t);
                double mu = ao_model_max_change(m, s);
                double a0 = m->baseline[(size_t)i * (size_t)m->n_services + (size_t)s];
                if (!isnan(mu) && a0 > 0) {
                    double before = t == 0 ? a0 : activity(c, i, s, t - 1);
                    check(c, a, (1 - mu) * before, (1 + mu) * before, before, "stability (rule 8)",
                          i, s, t);
                }
            }
}

static void check_capacity(checker *c)
{
    const ao_model *m = c->m;
    for (int k = 0; k < m->n_capacity; k++) {
        const ao_capacity *cap = &m->capacity[k];
        int lag = m->services[cap->service].capacity_lag;
        double total_added = 0.0, usable = cap->capacity;
        for (int t = 0; t < c->T; t++) {
            size_t kt = (size_t)k * (size_t)c->T + (size_t)t;
            if (t - lag >= 0)
                usable += c->added[(size_t)k * (size_t)c->T + (size_t)(t - lag)];
            total_added += c->added[kt];
            check_at(c, c->volume[kt], 0.0, usable, usable, "provider capacity (rule 3)", -1,
                     cap->service, cap->provider, t);
            if (!isnan(cap->min_volume))
                check_at(c, c->volume[kt], cap->min_volume, INFINITY, cap->min_volume,
                         "minimum viable volume (rule 4)", -1, cap->service, cap->provider, t);
            if (isnan(m->services[cap->service].capital_cost))
                check(c, c->added[kt], 0.0, 0.0, 1.0, "expansion of a fixed service", -1,
                      cap->service, t);
        }
        if (!isnan(cap->max_expansion))
            check(c, total_added, 0.0, cap->max_expansion, cap->max_expansion,
                  "expansion limit (rule 3)", -1, cap->service, -1);
    }
    /* Capital of each budget unit: an ICB, or a merged footprint (rule 15). */
    for (int u = 0; u < m->n_icbs + m->n_footprints; u++)
        for (int t = 0; t < c->T; t++) {
            double capital = 0.0, budget = 0.0;
            int members = 0;
            for (int i = 0; i < m->n_icbs; i++)
                if (ao_model_budget_unit(m, i, t) == u) {
                    budget += m->capital[(size_t)i * (size_t)c->T + (size_t)t];
                    members++;
                }
            if (members == 0)
                continue;
            for (int k = 0; k < m->n_capacity; k++) {
                double kappa = m->services[m->capacity[k].service].capital_cost;
                int host = m->providers[m->capacity[k].provider].host;
                /* Fixed services cannot expand (checked above): they use no capital. */
                if (ao_model_budget_unit(m, host, t) == u && !isnan(kappa))
                    capital += kappa * c->added[(size_t)k * (size_t)c->T + (size_t)t];
            }
            check_unit(c, capital, 0.0, budget, budget, "capital (rule 5)", u, t);
        }
}

/* Spend of ICB i in year t on specialised services under arrangement a (a < 0: the
 * ICB's own budget, priority services and delegated specialised ones). */
static double spend_under(const checker *c, int i, int t, int a)
{
    const ao_model *m = c->m;
    double total = 0.0;
    for (int s = 0; s < m->n_services; s++) {
        int specialised = m->services[s].category == AO_CATEGORY_SPECIALISED;
        ao_arrangement own = ao_model_arrangement(m, i, s, t);
        if (a < 0 ? (!specialised || own == AO_ARRANGEMENT_DELEGATED)
                  : (specialised && (int)own == a))
            total += c->spend[ist(c, i, s, t)];
    }
    return total;
}

/* Rules 6, 7, 14 and 15: each budget unit's own revenue, the joint committees' and the
 * national pools, the share floor. */
static void check_revenue(checker *c)
{
    const ao_model *m = c->m;
    int n_units = m->n_icbs + m->n_footprints;
    for (int t = 0; t < c->T; t++) {
        for (int u = 0; u < n_units; u++) {
            double budget = 0.0, spent = 0.0, specialised = 0.0, floor = 0.0, revenue = 0.0;
            int members = 0, any_pooled = 0, any_delegated = 0;
            for (int i = 0; i < m->n_icbs; i++) {
                if (ao_model_budget_unit(m, i, t) != u)
                    continue;
                size_t it = (size_t)i * (size_t)c->T + (size_t)t;
                revenue += m->revenue[it];
                budget += ao_model_own_revenue(m, i, t);
                spent += spend_under(c, i, t, -1);
                specialised += spend_where(c, i, t, AO_CATEGORY_SPECIALISED);
                floor += m->baseline_share[i] * m->revenue[it];
                members++;
                any_delegated |= ao_model_holds(m, i, t, AO_ARRANGEMENT_DELEGATED);
                any_pooled |= ao_model_holds(m, i, t, AO_ARRANGEMENT_JOINT) ||
                              ao_model_holds(m, i, t, AO_ARRANGEMENT_NATIONAL);
            }
            if (members == 0)
                continue;
            /* With every specialised service pooled, what is left is the priority budget. */
            check_unit(c, spent, -INFINITY, budget, revenue,
                       any_pooled && !any_delegated ? "priority revenue (rule 6)"
                                                    : "revenue (rule 6)",
                       u, t);
            double phi = m->settings.specialised_share_floor;
            if (!isnan(phi))
                check_unit(c, specialised, phi * floor, INFINITY, revenue,
                           "specialised share floor (rule 7)", u, t);
        }
        /* Joint committees (ICBs without one that merged pool together), and the nation. */
        for (int g = -1; g < m->n_groups + m->n_footprints; g++) {
            double pool = 0.0, used = 0.0;
            for (int i = 0; i < m->n_icbs; i++) {
                if (g >= 0 && ao_model_joint_group(m, i, t) != g)
                    continue;
                ao_arrangement kind = g < 0 ? AO_ARRANGEMENT_NATIONAL : AO_ARRANGEMENT_JOINT;
                pool += ao_model_pool_weight(m, i, t, kind) * ao_model_specialised_budget(m, i, t);
                used += spend_under(c, i, t, kind);
            }
            check_in(c, used, -INFINITY, pool, pool, "specialised pool (rule 6)", -1, -1, -1, t,
                     g < 0 ? "England" : ao_model_joint_group_name(m, g));
        }
    }
}

static void check_equity_and_rules(checker *c)
{
    const ao_model *m = c->m;
    double band = m->settings.equity_band;
    for (int s = 0; s < m->n_services && !isnan(band); s++) {
        if (m->services[s].category != AO_CATEGORY_SPECIALISED)
            continue;
        for (int t = 0; t < c->T; t++)
            for (int i = 0; i < m->n_icbs; i++) {
                double need = ao_model_need(m, i, s, t);
                if (!(need > 0))
                    continue;
                double region_need = 0.0, region_activity = 0.0;
                for (int j = 0; j < m->n_icbs; j++)
                    if (m->icbs[j].region == m->icbs[i].region) {
                        region_need += ao_model_need(m, j, s, t);
                        region_activity += activity(c, j, s, t);
                    }
                /* Coverage of i against (1 − δ) × the region's coverage. */
                double coverage = activity(c, i, s, t) / need;
                double regional = region_need > 0 ? region_activity / region_need : 0.0;
                check(c, coverage, (1 - band) * regional, INFINITY, 1.0, "equity band (rule 9)", i,
                      s, t);
            }
    }
    for (int q = 0; q < m->n_rules; q++) {
        const ao_rule *rule = &m->rules[q];
        for (int t = 0; t < c->T; t++) {
            if (rule->year >= 0 && rule->year != t)
                continue;
            /* Scope: each budget unit (rule 15), the unit of one ICB, or all ICBs. */
            for (int unit = 0; unit < m->n_icbs + m->n_footprints; unit++) {
                if (rule->scope == AO_SCOPE_ICB &&
                    unit != ao_model_budget_unit(m, rule->scope_icb, t))
                    continue;
                if (rule->scope == AO_SCOPE_ALL && unit > 0)
                    break;
                double spent = 0.0, revenue = 0.0;
                int members = 0;
                for (int i = 0; i < m->n_icbs; i++) {
                    if (rule->scope != AO_SCOPE_ALL && ao_model_budget_unit(m, i, t) != unit)
                        continue;
                    members++;
                    revenue += m->revenue[(size_t)i * (size_t)c->T + (size_t)t];
                    for (int s = 0; s < m->n_services; s++)
                        if (rule->selects[s])
                            spent += c->spend[ist(c, i, s, t)];
                }
                if (members == 0)
                    continue;
                double limit = rule->kind == AO_RULE_MIN_SHARE || rule->kind == AO_RULE_MAX_SHARE
                                   ? rule->value * revenue
                                   : rule->value;
                int minimum = rule->kind == AO_RULE_MIN_SPEND || rule->kind == AO_RULE_MIN_SHARE;
                c->rule = rule->name;
                if (rule->scope == AO_SCOPE_ALL)
                    check_in(c, spent, minimum ? limit : -INFINITY, minimum ? INFINITY : limit,
                             fmax(limit, revenue), "spending rule (rule 10)", -1, -1, -1, t,
                             "all ICBs");
                else
                    check_unit(c, spent, minimum ? limit : -INFINITY, minimum ? INFINITY : limit,
                               fmax(limit, revenue), "spending rule (rule 10)", unit, t);
                c->rule = NULL;
            }
        }
    }
}

/* Rules 11-13: collaboratives' pooled budgets, contract limits, expansion steps. */
static void check_v2(checker *c)
{
    const ao_model *m = c->m;
    for (int q = 0; q < m->n_collaboratives; q++) {
        const ao_collaborative *collab = &m->collaboratives[q];
        if (isnan(collab->budget_share))
            continue;
        for (int t = 0; t < c->T; t++) {
            double spent = 0.0, pool = 0.0;
            for (int i = 0; i < m->n_icbs; i++) {
                if (!collab->icbs[i])
                    continue;
                pool += ao_model_specialised_budget(m, i, t);
                for (int s = 0; s < m->n_services; s++)
                    if (collab->services[s])
                        spent += c->spend[ist(c, i, s, t)];
            }
            check(c, spent, -INFINITY, collab->budget_share * pool, pool,
                  "collaborative budget (rule 11)", -1, -1, t);
        }
    }
    if (m->has_contract_limits) {
        /* A contract is any activity above a millionth of a unit. */
        int *per_icb = calloc((size_t)m->n_icbs + 1, sizeof *per_icb);
        int *per_provider = calloc((size_t)m->n_providers + 1, sizeof *per_provider);
        unsigned char *seen = calloc((size_t)m->n_icbs * (size_t)m->n_providers + 1, 1);
        if (!per_icb || !per_provider || !seen) {
            c->err = AO_ERROR_MEMORY_MALLOC_FAILED;
        } else {
            for (size_t a = 0; a < c->n_alloc; a++) {
                const ao_alloc_line *line = &c->alloc[a];
                size_t ip = (size_t)line->i * (size_t)m->n_providers + (size_t)line->p;
                if (line->p < 0 || line->activity <= 1e-6 || seen[ip])
                    continue;
                seen[ip] = 1;
                per_icb[line->i]++;
                per_provider[line->p]++;
            }
            for (int i = 0; i < m->n_icbs; i++)
                if (!isnan(m->icbs[i].max_providers))
                    check(c, per_icb[i], -INFINITY, m->icbs[i].max_providers, 1.0,
                          "providers per ICB (rule 12)", i, -1, -1);
            for (int p = 0; p < m->n_providers; p++)
                if (!isnan(m->providers[p].max_icbs))
                    check_at(c, per_provider[p], -INFINITY, m->providers[p].max_icbs, 1.0,
                             "ICBs per provider (rule 12)", -1, -1, p, -1);
        }
        free(per_icb);
        free(per_provider);
        free(seen);
    }
    for (int k = 0; k < m->n_capacity; k++) {
        double step = m->capacity[k].expansion_step;
        if (isnan(step) || isnan(m->services[m->capacity[k].service].capital_cost))
            continue;
        for (int t = 0; t < c->T; t++) {
            double added = c->added[(size_t)k * (size_t)c->T + (size_t)t];
            double whole = round(added / step) * step;
            check_at(c, added, whole, whole, step, "whole expansion steps (rule 13)", -1,
                     m->capacity[k].service, m->capacity[k].provider, t);
        }
    }
}

ao_error ao_verify_lines(const ao_model *m, const ao_alloc_line *alloc, size_t n_alloc,
                         const ao_expansion_line *expansions, size_t n_expansions,
                         ao_violation_fn found, void *info, size_t *n_checks)
{
    checker c = {.m = m,
                 .alloc = alloc,
                 .n_alloc = n_alloc,
                 .found = found,
                 .info = info,
                 .T = m->settings.years};
    size_t n_ist = (size_t)m->n_icbs * (size_t)m->n_services * (size_t)c.T + 1;
    size_t n_kt = (size_t)m->n_capacity * (size_t)c.T + 1;
    c.activity = calloc(n_ist, sizeof *c.activity);
    c.spend = calloc(n_ist, sizeof *c.spend);
    c.volume = calloc(n_kt, sizeof *c.volume);
    c.added = calloc(n_kt, sizeof *c.added);
    c.row_of = malloc(((size_t)m->n_providers * (size_t)m->n_services + 1) * sizeof *c.row_of);
    ao_error err = AO_NO_ERROR;
    if (!c.activity || !c.spend || !c.volume || !c.added || !c.row_of) {
        err = AO_ERROR_MEMORY_MALLOC_FAILED;
        goto cleanup;
    }
    for (size_t k = 0; k < (size_t)m->n_providers * (size_t)m->n_services; k++)
        c.row_of[k] = -1;
    for (int k = 0; k < m->n_capacity; k++)
        c.row_of[(size_t)m->capacity[k].provider * (size_t)m->n_services +
                 (size_t)m->capacity[k].service] = k;

    for (size_t a = 0; a < n_alloc; a++) {
        const ao_alloc_line *line = &alloc[a];
        double price = m->services[line->s].unit_cost;
        check(&c, line->activity, 0.0, INFINITY, 1.0, "negative activity", line->i, line->s,
              line->t);
        if (line->p >= 0) {
            int k = c.row_of[(size_t)line->p * (size_t)m->n_services + (size_t)line->s];
            if (k < 0 || !ao_model_may_buy(m, line->i, line->s, line->p))
                check_at(&c, line->activity, 0.0, 0.0, 1.0, "activity at a provider not allowed",
                         line->i, line->s, line->p, line->t);
            /* Activity bought where it is not allowed still counts everywhere else (today's
             * plan may have some: MODEL.md rule 16). */
            if (k < 0)
                continue;
            if (!isnan(m->capacity[k].unit_cost))
                price = m->capacity[k].unit_cost;
            c.volume[(size_t)k * (size_t)c.T + (size_t)line->t] += line->activity;
        }
        c.activity[ist(&c, line->i, line->s, line->t)] += line->activity;
        c.spend[ist(&c, line->i, line->s, line->t)] += price * line->activity;
    }
    for (size_t e = 0; e < n_expansions; e++) {
        const ao_expansion_line *line = &expansions[e];
        check(&c, line->units, 0.0, INFINITY, 1.0, "negative expansion", -1, -1, line->t);
        c.added[(size_t)line->k * (size_t)c.T + (size_t)line->t] += line->units;
    }
    check_services(&c);
    check_capacity(&c);
    check_revenue(&c);
    check_equity_and_rules(&c);
    check_v2(&c);
    err = c.err;
cleanup:
    if (n_checks != NULL)
        *n_checks = c.n_checks;
    free(c.activity);
    free(c.spend);
    free(c.volume);
    free(c.added);
    free(c.row_of);
    return err;
}

/* ao_plan_verify's collector: the largest violation, and the largest relative one in
 * words. */
typedef struct worst_info {
    const ao_model *m;
    ao_plan *plan;
} worst_info;

static ao_error note_worst(void *info, const ao_violation *v)
{
    worst_info *worst = info;
    ao_plan *plan = worst->plan;
    plan->max_violation = fmax(plan->max_violation, v->excess);
    if (v->relative <= plan->max_relative_violation)
        return AO_NO_ERROR;
    plan->max_relative_violation = v->relative;
    char year[16] = "";
    if (v->t >= 0)
        ao_model_year_label(worst->m, v->t, year);
    char *text = ao_asprintf("%s%s%s%s%s%s%s: %.9g outside [%.9g, %.9g]", v->limit,
                             v->i >= 0 ? " " : "", v->i >= 0 ? worst->m->icbs[v->i].id : "",
                             v->s >= 0 ? " " : "", v->s >= 0 ? worst->m->services[v->s].id : "",
                             v->t >= 0 ? " " : "", year, v->value, v->lo, v->hi);
    if (text == NULL)
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    free(plan->worst_violation);
    plan->worst_violation = text;
    return AO_NO_ERROR;
}

ao_error ao_plan_verify(const ao_model *m, ao_plan *plan)
{
    if (plan->status != AO_STATUS_OPTIMAL)
        return AO_NO_ERROR;
    plan->max_violation = plan->max_relative_violation = 0.0;
    plan->n_checks = 0;
    free(plan->worst_violation);
    plan->worst_violation = NULL;
    worst_info worst = {m, plan};
    ao_error err = ao_verify_lines(m, plan->alloc, plan->n_alloc, plan->expansions,
                                   plan->n_expansions, note_worst, &worst, &plan->n_checks);
    plan->verified = err == AO_NO_ERROR;
    return err;
}
