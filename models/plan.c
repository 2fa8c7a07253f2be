/*
 * Solving a model and reading the plan back in domain terms.
 *
 * Two passes (MODEL.md "Objective"): the first optimises the objective; the
 * second holds it within a relative 1e-9 and picks, among the optimal plans,
 * the one with the least undiscounted revenue plus capital spend. Shadow
 * prices come from the first pass, where they mean "objective per £".
 */
#include "models/plan.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/strutil.h"
#include "models/current.h"
#include "models/formulation.h"
#include "models/diagnose.h"
#include "models/funding_gap.h"
#include "models/indicators_v3.h"
#include "models/verify.h"

/* Relative tolerance holding the first objective in the second pass (MODEL.md). */
#define AO_SECOND_PASS_TOLERANCE 1e-9
/* Relative tolerance holding the first objective and the least spend in the third pass
 * (MODEL.md rule 17). */
#define AO_CONTINUITY_TOLERANCE 1e-7
/* Coefficients per block of the third pass's spend row (add_blocked_row): on the national
 * benchmark with flows, 500 took the pass from 236 s (one row) to 107 s. */
#define AO_HOLD_ROW_BLOCK 500
/* A reduced cost or dual beyond this puts its column or row on the face's list. */
#define AO_FACE_TOLERANCE 1e-7
/* Activity below this is treated as none when counting contracts. */
#define AO_ACTIVITY_EPSILON 1e-6
/* Relative slack below which a limit counts as binding. */
#define AO_BINDING_TOLERANCE 1e-7
/* How many broken limits an infeasibility report names. */
#define AO_INFEASIBLE_ROWS_REPORTED 8
/* Shadow prices are per £1m. */
#define AO_POUNDS_PER_MILLION 1e6

const char *ao_budget_kind_name(ao_budget_kind kind)
{
    switch (kind) {
    case AO_BUDGET_REVENUE:
        return "revenue";
    case AO_BUDGET_SPECIALISED:
        return "specialised";
    case AO_BUDGET_PRIORITY:
        return "priority";
    case AO_BUDGET_CAPITAL:
        return "capital";
    case AO_BUDGET_COLLABORATIVE:
        return "collaborative";
    }
    return "unknown";
}

const char *ao_plan_status_name(ao_solve_status status)
{
    return ao_solve_status_name(status);
}

const char *ao_plan_solver_name(ao_solver_kind kind)
{
    return ao_solver_kind_name(kind);
}

const char *ao_plan_solver_description(ao_solver_kind kind)
{
    return ao_solver_kind_description(kind);
}

void ao_plan_options_set_default(ao_plan_options *options)
{
    memset(options, 0, sizeof *options);
    ao_solver_options_set_default(&options->solver);
    options->second_pass = 1;
    options->lp_path = NULL;
    options->ranges = 1;
    options->funding_gap = 1;
    options->continuity = 1;
}

void ao_plan_free(ao_plan *plan)
{
    if (plan == NULL)
        return;
    free(plan->alloc);
    free(plan->service_years);
    free(plan->expansions);
    free(plan->capacity_use);
    for (size_t k = 0; k < plan->n_budgets; k++)
        free(plan->budgets[k].pool);
    free(plan->budgets);
    for (size_t k = 0; k < plan->n_constraints; k++) {
        free(plan->constraints[k].group);
        free(plan->constraints[k].description);
    }
    free(plan->constraints);
    free(plan->shares);
    free(plan->capital_shares);
    free(plan->variation);
    free(plan->fragmentation);
    free(plan->volumes);
    free(plan->prevention);
    free(plan->contracts);
    free(plan->collaborative_flows);
    free(plan->infeasibility);
    for (size_t k = 0; k < plan->n_diagnosis; k++) {
        free(plan->diagnosis[k].group);
        free(plan->diagnosis[k].description);
        free(plan->diagnosis[k].sentence);
    }
    free(plan->diagnosis);
    free(plan->worst_violation);
    free(plan->current.alloc);
    free(plan->current.service_years);
    for (size_t k = 0; k < plan->current.n_broken; k++) {
        free(plan->current.broken[k].limit);
        free(plan->current.broken[k].description);
    }
    free(plan->current.broken);
    free(plan->moves);
    free(plan->arrangement_mix);
    free(plan->innovation);
    free(plan->funding_gap_by);
    ao_basis_free(plan->basis);
    free(plan);
}

static int at_limit(double activity, double lo, double hi)
{
    double tol_lo = AO_BINDING_TOLERANCE * (1.0 + fabs(lo));
    double tol_hi = AO_BINDING_TOLERANCE * (1.0 + fabs(hi));
    return (isfinite(lo) && activity - lo <= tol_lo) || (isfinite(hi) && hi - activity <= tol_hi);
}

static double slack_of(double activity, double lo, double hi)
{
    double slack = INFINITY;
    if (isfinite(lo))
        slack = activity - lo;
    if (isfinite(hi))
        slack = fmin(slack, hi - activity);
    return slack;
}

/* What the solve leaves behind for the read-back. */
typedef struct solution {
    double *col;        ///< Column values (final pass).
    double *row;        ///< Row activities (final pass), formulation rows only.
    double *dual;       ///< Row duals (first pass).
    double *range_from; ///< Per row: lowest limit keeping the first-pass dual (budget rows).
    double *range_to;   ///< Per row: highest limit keeping it.
} solution;

static double col_value(const solution *sol, int j)
{
    return j >= 0 ? fmax(sol->col[j], 0.0) : 0.0;
}

/* ---- read-back ---- */

static ao_error read_allocation(ao_plan *plan, const ao_model *m, const ao_formulation *f,
                                const solution *sol)
{
    const ao_lp *lp = f->lp;
    size_t n = 0, n_z = 0;
    for (size_t j = 0; j < lp->n_cols; j++) {
        n += f->cols[j].kind == AO_COL_X || f->cols[j].kind == AO_COL_Y;
        n_z += f->cols[j].kind == AO_COL_Z;
    }
    plan->alloc = calloc(n + 1, sizeof *plan->alloc);
    plan->expansions = calloc(n_z + 1, sizeof *plan->expansions);
    if (plan->alloc == NULL || plan->expansions == NULL)
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    for (size_t j = 0; j < lp->n_cols; j++) {
        const ao_col_meta *c = &f->cols[j];
        double value = col_value(sol, (int)j);
        if (c->kind == AO_COL_X || c->kind == AO_COL_Y) {
            ao_alloc_line *line = &plan->alloc[plan->n_alloc++];
            line->i = c->i;
            line->s = c->s;
            line->p = c->kind == AO_COL_X ? m->capacity[c->k].provider : -1;
            line->t = c->t;
            line->activity = value;
            line->spend = value * f->spend_obj[j];
            plan->total_revenue_spend += line->spend;
        } else if (c->kind == AO_COL_Z) {
            ao_expansion_line *line = &plan->expansions[plan->n_expansions++];
            line->k = c->k;
            line->t = c->t;
            line->units = value;
            line->cost = value * f->spend_obj[j];
            line->available_from = c->t + m->services[c->s].capacity_lag;
            plan->total_capital_spend += line->cost;
        }
    }
    return AO_NO_ERROR;
}

static double activity_of(const ao_model *m, const ao_formulation *f, const solution *sol, int i,
                          int s, int t)
{
    if (t < 0)
        return 0.0;
    return col_value(sol, f->activity_col[ao_ist(m, i, s, t)]);
}

static double spend_of(const ao_model *m, const ao_formulation *f, const solution *sol, int i,
                       int s, int t)
{
    size_t ist = ao_ist(m, i, s, t);
    if (!m->services[s].provided)
        return col_value(sol, f->activity_col[ist]) * m->services[s].unit_cost;
    double spend = 0.0;
    for (int q = 0; q < f->x_count[ist]; q++) {
        int j = f->x_first[ist] + q;
        spend += col_value(sol, j) * f->spend_obj[j];
    }
    return spend;
}

static ao_error read_service_years(ao_plan *plan, const ao_model *m, const ao_formulation *f,
                                   const solution *sol)
{
    int T = m->settings.years;
    size_t n = 0;
    for (size_t k = 0; k < (size_t)m->n_icbs * (size_t)m->n_services; k++)
        n += m->has_demand[k];
    plan->service_years = calloc(n * (size_t)T + 1, sizeof *plan->service_years);
    if (plan->service_years == NULL)
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    double specialised = 0.0;
    for (int t = 0; t < T; t++) {
        for (int i = 0; i < m->n_icbs; i++) {
            for (int s = 0; s < m->n_services; s++) {
                if (!m->has_demand[(size_t)i * (size_t)m->n_services + (size_t)s])
                    continue;
                ao_service_year *y = &plan->service_years[plan->n_service_years++];
                y->i = i;
                y->s = s;
                y->t = t;
                y->activity = activity_of(m, f, sol, i, s, t);
                y->spend = spend_of(m, f, sol, i, s, t);
                y->need = ao_model_need(m, i, s, t);
                double avoided = 0.0;
                for (int l = 0; l < m->n_links; l++)
                    if (m->links[l].target == s)
                        avoided +=
                            m->links[l].effect *
                            activity_of(m, f, sol, i, m->links[l].source, t - m->links[l].lag);
                y->need_after_prevention = y->need - avoided;
                y->coverage =
                    y->need_after_prevention > 0 ? y->activity / y->need_after_prevention : 0.0;
                y->benefit = m->services[s].benefit * y->activity;
                plan->total_benefit += y->benefit;
                plan->discounted_benefit += f->discount[t] * y->benefit;
                if (m->services[s].category == AO_CATEGORY_SPECIALISED)
                    specialised += y->spend;
            }
        }
    }
    plan->specialised_share =
        plan->total_revenue_spend > 0 ? specialised / plan->total_revenue_spend : 0.0;
    return AO_NO_ERROR;
}

static ao_error read_capacity_use(ao_plan *plan, const ao_model *m, const ao_formulation *f,
                                  const solution *sol)
{
    int T = m->settings.years;
    plan->capacity_use = calloc((size_t)m->n_capacity * (size_t)T + 1, sizeof *plan->capacity_use);
    if (plan->capacity_use == NULL)
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    for (int k = 0; k < m->n_capacity; k++) {
        int lag = m->services[m->capacity[k].service].capacity_lag;
        for (int t = 0; t < T; t++) {
            ao_capacity_use *u = &plan->capacity_use[plan->n_capacity_use++];
            u->k = k;
            u->t = t;
            u->available = m->capacity[k].capacity;
            for (int tau = 0; tau <= t - lag; tau++)
                u->available += col_value(sol, f->z_col[(size_t)k * (size_t)T + (size_t)tau]);
            u->min_volume = m->capacity[k].min_volume;
        }
    }
    /* Used volume: one pass over the x columns. */
    for (size_t j = 0; j < f->lp->n_cols; j++)
        if (f->cols[j].kind == AO_COL_X)
            plan->capacity_use[(size_t)f->cols[j].k * (size_t)T + (size_t)f->cols[j].t].used +=
                col_value(sol, (int)j);
    return AO_NO_ERROR;
}

static ao_error add_budget(ao_plan *plan, size_t *cap, const char *pool, int t, ao_budget_kind kind,
                           double available, double used, double dual, double from, double to)
{
    if (plan->n_budgets == *cap) {
        size_t grown_cap = *cap ? *cap * 2 : 64;
        ao_budget_line *grown = realloc(plan->budgets, grown_cap * sizeof *grown);
        if (grown == NULL)
            return AO_ERROR_MEMORY_MALLOC_FAILED;
        plan->budgets = grown;
        *cap = grown_cap;
    }
    ao_budget_line *b = &plan->budgets[plan->n_budgets];
    b->pool = ao_strdup(pool);
    if (b->pool == NULL)
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    plan->n_budgets++;
    b->t = t;
    b->kind = kind;
    b->available = available;
    b->used = used;
    b->headroom = available - used;
    b->shadow_price = dual * AO_POUNDS_PER_MILLION;
    b->price_from = from;
    b->price_to = to;
    b->binding = at_limit(used, -INFINITY, available) && fabs(dual) > 0;
    return AO_NO_ERROR;
}

static ao_error read_budgets(ao_plan *plan, const ao_model *m, const ao_formulation *f,
                             const solution *sol)
{
    size_t cap = 0;
    /* Revenue-type rows, in formulation order (by year, then pool). */
    for (size_t r = 0; r < f->lp->n_rows; r++) {
        const ao_row_meta *meta = &f->rows[r];
        const char *pool;
        ao_budget_kind kind;
        switch ((ao_row_group)meta->group) {
        case AO_ROW_REVENUE:
            pool = ao_model_unit_id(m, meta->unit);
            kind = AO_BUDGET_REVENUE;
            break;
        case AO_ROW_SPECIALISED_POOL:
            pool = meta->k < 0 ? "England" : ao_model_joint_group_name(m, meta->k);
            kind = AO_BUDGET_SPECIALISED;
            break;
        case AO_ROW_PRIORITY:
            pool = ao_model_unit_id(m, meta->unit);
            kind = AO_BUDGET_PRIORITY;
            break;
        case AO_ROW_COLLABORATIVE:
            pool = m->collaboratives[meta->k].id;
            kind = AO_BUDGET_COLLABORATIVE;
            break;
        default:
            continue;
        }
        AO_RETURN_ON_ERROR(add_budget(plan, &cap, pool, meta->t, kind, f->lp->row_hi[r],
                                      sol->row[r], sol->dual[r], sol->range_from[r],
                                      sol->range_to[r]));
    }
    /* Capital: every budget unit (ICB, or merged footprint) and year, with or without
     * expandable capacity. */
    int T = m->settings.years;
    int n_units = m->n_icbs + m->n_footprints;
    size_t cells = (size_t)n_units * (size_t)T + 1;
    double *used = calloc(cells, sizeof *used);
    double *dual = calloc(cells, sizeof *dual);
    double *from = malloc(cells * sizeof *from);
    double *to = malloc(cells * sizeof *to);
    double *available = calloc(cells, sizeof *available);
    unsigned char *present = calloc(cells, 1);
    ao_error err = AO_NO_ERROR;
    if (!used || !dual || !from || !to || !available || !present) {
        err = AO_ERROR_MEMORY_MALLOC_FAILED;
        goto cleanup;
    }
    for (size_t key = 0; key < cells; key++) {
        from[key] = -INFINITY;
        to[key] = INFINITY;
    }
    for (size_t r = 0; r < f->lp->n_rows; r++)
        if (f->rows[r].group == AO_ROW_CAPITAL) {
            size_t key = (size_t)f->rows[r].unit * (size_t)T + (size_t)f->rows[r].t;
            dual[key] = sol->dual[r];
            from[key] = sol->range_from[r];
            to[key] = sol->range_to[r];
        }
    for (int i = 0; i < m->n_icbs; i++)
        for (int t = 0; t < T; t++) {
            size_t key = (size_t)ao_model_budget_unit(m, i, t) * (size_t)T + (size_t)t;
            available[key] += m->capital[(size_t)i * (size_t)T + (size_t)t];
            present[key] = 1;
        }
    for (size_t e = 0; e < plan->n_expansions; e++) {
        const ao_expansion_line *line = &plan->expansions[e];
        int host = m->providers[m->capacity[line->k].provider].host;
        used[(size_t)ao_model_budget_unit(m, host, line->t) * (size_t)T + (size_t)line->t] +=
            line->cost;
    }
    for (int t = 0; t < T && !err; t++)
        for (int u = 0; u < n_units && !err; u++) {
            size_t key = (size_t)u * (size_t)T + (size_t)t;
            if (present[key])
                err = add_budget(plan, &cap, ao_model_unit_id(m, u), t, AO_BUDGET_CAPITAL,
                                 available[key], used[key], dual[key], from[key], to[key]);
        }
cleanup:
    free(used);
    free(dual);
    free(from);
    free(to);
    free(available);
    free(present);
    return err;
}

static ao_error read_constraints(ao_plan *plan, const ao_model *m, const ao_formulation *f,
                                 const solution *sol)
{
    size_t n = 0;
    for (size_t r = 0; r < f->lp->n_rows; r++)
        n += f->rows[r].group != AO_ROW_DEFINITION;
    plan->constraints = calloc(n + 1, sizeof *plan->constraints);
    if (plan->constraints == NULL)
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    for (size_t r = 0; r < f->lp->n_rows; r++) {
        if (f->rows[r].group == AO_ROW_DEFINITION)
            continue;
        ao_constraint_line *c = &plan->constraints[plan->n_constraints];
        const ao_row_meta *meta = &f->rows[r];
        double lo = f->lp->row_lo[r], hi = f->lp->row_hi[r], value = sol->row[r];
        /* Stability in the analyst's terms: this year's activity against the most (or
         * least) the year before allows, not the solver's A_t − (1 ± μ) A_t−1 ≤ 0. */
        int stability = meta->group == AO_ROW_STABILITY_UP || meta->group == AO_ROW_STABILITY_DOWN;
        if (stability && meta->t > 0) {
            double mu = ao_model_max_change(m, meta->s);
            int previous = f->activity_col[ao_ist(m, meta->i, meta->s, meta->t - 1)];
            double shift = (meta->group == AO_ROW_STABILITY_UP ? 1 + mu : 1 - mu) *
                           (previous >= 0 ? sol->col[previous] : 0.0);
            value += shift;
            lo += shift;
            hi += shift;
        }
        /* The first year's one row holds both sides: name the side the plan is at. */
        const char *group = ao_row_group_name((ao_row_group)meta->group);
        if (stability && meta->t == 0)
            group = at_limit(value, hi, hi)   ? ao_row_group_name(AO_ROW_STABILITY_UP)
                    : at_limit(value, lo, lo) ? ao_row_group_name(AO_ROW_STABILITY_DOWN)
                                              : "Stability (change from baseline)";
        c->group = ao_strdup(group);
        c->description = ao_formulation_describe_row(f, m, (int)r);
        plan->n_constraints++;
        if (c->group == NULL || c->description == NULL)
            return AO_ERROR_MEMORY_MALLOC_FAILED;
        c->activity = value;
        c->lower = isfinite(lo) ? lo : -INFINITY;
        c->upper = isfinite(hi) ? hi : INFINITY;
        c->slack = slack_of(c->activity, c->lower, c->upper);
        c->binding = at_limit(c->activity, c->lower, c->upper);
        c->dual = sol->dual[r];
    }
    return AO_NO_ERROR;
}

/* ---- indicators (MODEL.md "Risk indicators") ---- */

static ao_error read_indicators(ao_plan *plan, const ao_model *m, const ao_formulation *f,
                                const solution *sol)
{
    int T = m->settings.years;
    size_t it = (size_t)m->n_icbs * (size_t)T;
    plan->shares = calloc(it + 1, sizeof *plan->shares);
    plan->capital_shares = calloc(it + 1, sizeof *plan->capital_shares);
    plan->variation = calloc((size_t)m->n_services * (size_t)T + 1, sizeof *plan->variation);
    plan->fragmentation =
        calloc((size_t)m->n_providers * (size_t)(T + 1) + 1, sizeof *plan->fragmentation);
    plan->volumes = calloc((size_t)m->n_capacity * (size_t)T + 1, sizeof *plan->volumes);
    plan->prevention = calloc((size_t)m->n_links * (size_t)T + 1, sizeof *plan->prevention);
    unsigned char *buys =
        calloc((size_t)m->n_providers * (size_t)m->n_icbs * (size_t)(T + 1) + 1, 1);
    if (!plan->shares || !plan->capital_shares || !plan->variation || !plan->fragmentation ||
        !plan->volumes || !plan->prevention || !buys) {
        free(buys);
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    }

    /* Revenue prioritisation. */
    for (int i = 0; i < m->n_icbs; i++)
        for (int t = 0; t < T; t++) {
            ao_share_indicator *x = &plan->shares[plan->n_shares++];
            x->i = i;
            x->t = t;
            x->baseline_share = m->baseline_share[i];
        }
    for (size_t k = 0; k < plan->n_service_years; k++) {
        const ao_service_year *y = &plan->service_years[k];
        ao_share_indicator *x = &plan->shares[(size_t)y->i * (size_t)T + (size_t)y->t];
        x->total_spend += y->spend;
        if (m->services[y->s].category == AO_CATEGORY_SPECIALISED)
            x->specialised_spend += y->spend;
    }
    for (size_t k = 0; k < plan->n_shares; k++) {
        ao_share_indicator *x = &plan->shares[k];
        x->share = x->total_spend > 0 ? x->specialised_spend / x->total_spend : 0.0;
    }

    /* Access to capital, by host ICB. */
    for (int i = 0; i < m->n_icbs; i++)
        for (int t = 0; t < T; t++) {
            ao_capital_indicator *x = &plan->capital_shares[plan->n_capital_shares++];
            x->i = i;
            x->t = t;
            x->available_capital = m->capital[(size_t)i * (size_t)T + (size_t)t];
        }
    for (size_t e = 0; e < plan->n_expansions; e++) {
        const ao_expansion_line *line = &plan->expansions[e];
        const ao_capacity *cap = &m->capacity[line->k];
        int host = m->providers[cap->provider].host;
        ao_capital_indicator *x = &plan->capital_shares[(size_t)host * (size_t)T + (size_t)line->t];
        x->total_capital += line->cost;
        if (m->services[cap->service].category == AO_CATEGORY_SPECIALISED)
            x->specialised_capital += line->cost;
    }
    for (size_t k = 0; k < plan->n_capital_shares; k++) {
        ao_capital_indicator *x = &plan->capital_shares[k];
        x->share = x->total_capital > 0 ? x->specialised_capital / x->total_capital : 0.0;
    }

    /* Geographic variation: coverage A/N (need before prevention) across ICBs. */
    for (int s = 0; s < m->n_services; s++) {
        if (m->services[s].category != AO_CATEGORY_SPECIALISED)
            continue;
        for (int t = 0; t < T; t++) {
            double sum = 0, sum_sq = 0, lo = INFINITY, hi = -INFINITY;
            int count = 0;
            for (int i = 0; i < m->n_icbs; i++) {
                double need = ao_model_need(m, i, s, t);
                if (!(need > 0))
                    continue;
                double coverage = activity_of(m, f, sol, i, s, t) / need;
                sum += coverage;
                sum_sq += coverage * coverage;
                lo = fmin(lo, coverage);
                hi = fmax(hi, coverage);
                count++;
            }
            if (count == 0)
                continue;
            ao_variation_indicator *x = &plan->variation[plan->n_variation++];
            x->s = s;
            x->t = t;
            x->n_icbs = count;
            x->mean_coverage = sum / count;
            double variance = fmax(sum_sq / count - x->mean_coverage * x->mean_coverage, 0.0);
            x->cv = x->mean_coverage > 0 ? sqrt(variance) / x->mean_coverage : 0.0;
            x->min_coverage = lo;
            x->max_coverage = hi;
        }
    }

    /* Fragmentation: distinct commissioning ICBs per provider, per year and overall. */
    for (size_t a = 0; a < plan->n_alloc; a++) {
        const ao_alloc_line *line = &plan->alloc[a];
        if (line->p < 0 || line->activity <= AO_ACTIVITY_EPSILON)
            continue;
        size_t base = ((size_t)line->p * (size_t)(T + 1)) * (size_t)m->n_icbs;
        buys[base + (size_t)line->t * (size_t)m->n_icbs + (size_t)line->i] = 1;
        buys[base + (size_t)T * (size_t)m->n_icbs + (size_t)line->i] = 1;
    }
    for (int p = 0; p < m->n_providers; p++)
        for (int t = 0; t <= T; t++) {
            ao_fragmentation_indicator *x = &plan->fragmentation[plan->n_fragmentation++];
            x->p = p;
            x->t = t < T ? t : -1;
            size_t base = ((size_t)p * (size_t)(T + 1) + (size_t)t) * (size_t)m->n_icbs;
            for (int i = 0; i < m->n_icbs; i++)
                x->n_icbs += buys[base + (size_t)i];
        }
    free(buys);

    /* Centres of excellence: volume against the minimum viable volume. */
    for (size_t u = 0; u < plan->n_capacity_use; u++) {
        const ao_capacity_use *use = &plan->capacity_use[u];
        if (isnan(use->min_volume))
            continue;
        ao_volume_indicator *x = &plan->volumes[plan->n_volumes++];
        x->k = use->k;
        x->t = use->t;
        x->volume = use->used;
        x->min_volume = use->min_volume;
        x->margin = use->used - use->min_volume;
    }

    /* Contracts per ICB: distinct providers over the plan. */
    plan->contracts = calloc((size_t)m->n_icbs + 1, sizeof *plan->contracts);
    plan->collaborative_flows =
        calloc((size_t)m->n_collaboratives * (size_t)T + 1, sizeof *plan->collaborative_flows);
    unsigned char *uses = calloc((size_t)m->n_icbs * (size_t)m->n_providers + 1, 1);
    if (!plan->contracts || !plan->collaborative_flows || !uses) {
        free(uses);
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    }
    for (size_t a = 0; a < plan->n_alloc; a++) {
        const ao_alloc_line *line = &plan->alloc[a];
        if (line->p >= 0 && line->activity > AO_ACTIVITY_EPSILON)
            uses[(size_t)line->i * (size_t)m->n_providers + (size_t)line->p] = 1;
    }
    for (int i = 0; i < m->n_icbs; i++) {
        ao_contract_indicator *x = &plan->contracts[plan->n_contracts++];
        x->i = i;
        x->max_providers = m->icbs[i].max_providers;
        for (int p = 0; p < m->n_providers; p++)
            x->n_providers += uses[(size_t)i * (size_t)m->n_providers + (size_t)p];
    }
    free(uses);

    /* Collaborative flows: spend against the pooled budget, activity at members. */
    for (int c = 0; c < m->n_collaboratives; c++) {
        const ao_collaborative *collab = &m->collaboratives[c];
        for (int t = 0; t < T; t++) {
            ao_collaborative_indicator *x =
                &plan->collaborative_flows[plan->n_collaborative_flows++];
            x->c = c;
            x->t = t;
            double pool = 0.0;
            for (int i = 0; i < m->n_icbs; i++)
                if (collab->icbs[i])
                    pool += ao_model_specialised_budget(m, i, t);
            x->budget = isnan(collab->budget_share) ? NAN : collab->budget_share * pool;
        }
    }
    for (size_t a = 0; a < plan->n_alloc && m->n_collaboratives > 0; a++) {
        const ao_alloc_line *line = &plan->alloc[a];
        for (int c = 0; c < m->n_collaboratives; c++) {
            const ao_collaborative *collab = &m->collaboratives[c];
            if (!collab->icbs[line->i] || !collab->services[line->s])
                continue;
            ao_collaborative_indicator *x =
                &plan->collaborative_flows[(size_t)c * (size_t)T + (size_t)line->t];
            x->spend += line->spend;
            if (line->p >= 0 && collab->members[line->p])
                x->member_activity += line->activity;
        }
    }

    /* Pathways and prevention. */
    for (int l = 0; l < m->n_links; l++) {
        const ao_prevention *link = &m->links[l];
        for (int t = 0; t < T; t++) {
            ao_prevention_indicator *x = &plan->prevention[plan->n_prevention++];
            x->link = l;
            x->t = t;
            x->lands_in = t + link->lag;
            for (int i = 0; i < m->n_icbs; i++) {
                double activity = activity_of(m, f, sol, i, link->source, t);
                x->activity += activity;
                if (m->has_demand[(size_t)i * (size_t)m->n_services + (size_t)link->target])
                    x->need_avoided += link->effect * activity;
            }
        }
    }
    return AO_NO_ERROR;
}

/* Why the LP is infeasible, from the limits the solver's last basis leaves broken. */
static ao_error explain_infeasibility(ao_plan *plan, const ao_model *m, const ao_formulation *f,
                                      ao_solver *solver)
{
    int rows[AO_INFEASIBLE_ROWS_REPORTED];
    size_t n = ao_solver_infeasible_rows(solver, rows, AO_INFEASIBLE_ROWS_REPORTED);
    double *values = malloc((ao_solver_n_rows(solver) + 1) * sizeof *values);
    if (values == NULL)
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    ao_solver_row_values(solver, values);
    ao_strbuf text = {0};
    ao_strbuf_printf(&text, "No plan meets every limit at once.");
    if (n > 0)
        ao_strbuf_printf(&text, " The solver could not meet these limits (largest shortfall "
                                "first; moving any of them may restore a plan):");
    for (size_t q = 0; q < n; q++) {
        int r = rows[q];
        char *description = ao_formulation_describe_row(f, m, r);
        double lo = f->lp->row_lo[r], hi = f->lp->row_hi[r], value = values[r];
        int below = isfinite(lo) && value < lo;
        ao_strbuf_printf(&text, "\n  - %s [%s]: %s %.6g, the best the solver reached is %.6g",
                         description ? description : "?",
                         ao_row_group_name((ao_row_group)f->rows[r].group),
                         below ? "needs at least" : "allows at most", below ? lo : hi, value);
        free(description);
    }
    free(values);
    if (text.failed) {
        ao_strbuf_free(&text);
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    }
    plan->infeasibility = text.data;
    return AO_NO_ERROR;
}

/* Wall-clock seconds since an arbitrary origin. */
static double seconds_now(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + 1e-9 * (double)now.tv_nsec;
}

static int is_budget_row(ao_row_group group)
{
    return group == AO_ROW_REVENUE || group == AO_ROW_SPECIALISED_POOL ||
           group == AO_ROW_PRIORITY || group == AO_ROW_CAPITAL || group == AO_ROW_COLLABORATIVE;
}

/* The budget rows, whose limits are ranged: sol->range_* set to "no limit" elsewhere
 * and to "not known" (NAN) on them when `analyse` is 0; rows receives their indices. */
static ao_error budget_rows(const ao_formulation *f, int analyse, solution *sol, int **rows,
                            size_t *n)
{
    size_t n_rows = f->lp->n_rows;
    *n = 0;
    sol->range_from = malloc((n_rows + 1) * sizeof *sol->range_from);
    sol->range_to = malloc((n_rows + 1) * sizeof *sol->range_to);
    *rows = malloc((n_rows + 1) * sizeof **rows);
    if (!sol->range_from || !sol->range_to || !*rows)
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    for (size_t r = 0; r < n_rows; r++) {
        sol->range_from[r] = -INFINITY;
        sol->range_to[r] = INFINITY;
        if (is_budget_row((ao_row_group)f->rows[r].group)) {
            (*rows)[(*n)++] = (int)r;
            if (!analyse)
                sol->range_from[r] = sol->range_to[r] = NAN;
        }
    }
    return AO_NO_ERROR;
}

/* The ranges of the budget rows' limits over which the first-pass duals hold, once the
 * ranging started before the second pass has ended. */
static ao_error budget_ranges_finish(ao_ranging *ranging, const int *rows, size_t n, solution *sol)
{
    double *from = malloc((n + 1) * sizeof *from), *to = malloc((n + 1) * sizeof *to);
    ao_error err = ao_solver_ranges_finish(ranging, from, to);
    if (err == AO_NO_ERROR && (from == NULL || to == NULL))
        err = AO_ERROR_MEMORY_MALLOC_FAILED;
    for (size_t k = 0; err == AO_NO_ERROR && k < n; k++) {
        sol->range_from[rows[k]] = from[k];
        sol->range_to[rows[k]] = to[k];
    }
    free(from);
    free(to);
    return err;
}

/* Second pass: hold the objective, minimise undiscounted spend. */
static ao_error second_pass(ao_solver *solver, const ao_formulation *f, double objective,
                            int *improved)
{
    const ao_lp *lp = f->lp;
    *improved = 0;
    size_t n = 0;
    int *cols = malloc((lp->n_cols + 1) * sizeof *cols);
    double *values = malloc((lp->n_cols + 1) * sizeof *values);
    ao_error err = AO_NO_ERROR;
    if (cols == NULL || values == NULL) {
        err = AO_ERROR_MEMORY_MALLOC_FAILED;
        goto cleanup;
    }
    for (size_t j = 0; j < lp->n_cols; j++)
        if (lp->obj[j] != 0.0) {
            cols[n] = (int)j;
            values[n++] = lp->obj[j];
        }
    double tolerance = AO_SECOND_PASS_TOLERANCE * fmax(1.0, fabs(objective));
    double lo = lp->sense == AO_MAXIMISE ? objective - tolerance : -AO_INF;
    double hi = lp->sense == AO_MAXIMISE ? AO_INF : objective + tolerance;
    AO_GOTO_ON_ERROR(ao_solver_add_row(solver, "hold_objective", lo, hi, n, cols, values), err,
                     cleanup);
    AO_GOTO_ON_ERROR(ao_solver_set_objective(solver, AO_MINIMISE, f->spend_obj), err, cleanup);
    ao_solve_status status;
    AO_GOTO_ON_ERROR(ao_solver_solve(solver, &status), err, cleanup);
    *improved = status == AO_STATUS_OPTIMAL;
cleanup:
    free(cols);
    free(values);
    return err;
}

/*
 * Add the row lo ≤ Σ values·cols ≤ hi in blocks of `block` coefficients: a free column per
 * block holds the block's sum (one defining row each, the column basic in its place), and
 * the row sums those columns. A row with a coefficient on most columns makes the basis's
 * factors dense and every later pivot dear; the blocks keep them sparse.
 */
static ao_error add_blocked_row(ao_solver *solver, const char *name, double lo, double hi, size_t n,
                                const int *cols, const double *values, size_t block)
{
    size_t n_blocks = (n + block - 1) / block;
    size_t first_col = ao_solver_n_cols(solver), first_row = ao_solver_n_rows(solver);
    ao_error err = AO_NO_ERROR;
    double *col_lo = malloc((n_blocks + 1) * sizeof *col_lo);
    double *col_hi = malloc((n_blocks + 1) * sizeof *col_hi);
    double *zero = calloc(n_blocks + 1, sizeof *zero);
    size_t *start = malloc((n_blocks + 2) * sizeof *start);
    int *row_cols = malloc((n + n_blocks + 1) * sizeof *row_cols);
    double *row_values = malloc((n + n_blocks + 1) * sizeof *row_values);
    int *rows = malloc((n_blocks + 1) * sizeof *rows);
    int *sums = malloc((n_blocks + 1) * sizeof *sums);
    if (!col_lo || !col_hi || !zero || !start || !row_cols || !row_values || !rows || !sums) {
        err = AO_ERROR_MEMORY_MALLOC_FAILED;
        goto cleanup;
    }
    size_t k = 0;
    start[0] = 0;
    for (size_t b = 0; b < n_blocks; b++) {
        col_lo[b] = -AO_INF;
        col_hi[b] = AO_INF;
        for (size_t q = b * block; q < n && q < (b + 1) * block; q++) {
            row_cols[k] = cols[q];
            row_values[k++] = values[q];
        }
        row_cols[k] = (int)(first_col + b);
        row_values[k++] = -1.0;
        start[b + 1] = k;
        rows[b] = (int)(first_row + b);
        sums[b] = (int)(first_col + b);
    }
    AO_GOTO_ON_ERROR(ao_solver_add_cols(solver, n_blocks, col_lo, col_hi), err, cleanup);
    AO_GOTO_ON_ERROR(ao_solver_add_rows(solver, n_blocks, zero, zero, start, row_cols, row_values),
                     err, cleanup);
    AO_GOTO_ON_ERROR(ao_solver_swap_basic(solver, n_blocks, rows, sums), err, cleanup);
    for (size_t b = 0; b < n_blocks; b++)
        row_values[b] = 1.0;
    err = ao_solver_add_row(solver, name, lo, hi, n_blocks, sums, row_values);
cleanup:
    free(col_lo);
    free(col_hi);
    free(zero);
    free(start);
    free(row_cols);
    free(row_values);
    free(rows);
    free(sums);
    return err;
}

/* The columns or the rows a face holds. */
typedef struct face_side {
    size_t n;   ///< How many are held.
    int *index; ///< Their indices.
    double *at; ///< Per held one: its value (once released, its lower limit).
    double *to; ///< Per held one: its value (once released, its upper limit).
} face_side;

/*
 * The second pass's optimal face: the plans that are as good as the second pass's (first
 * objective as held, least spend) are those in complementary slackness with its reduced
 * costs and duals: each column with a reduced cost at its value, each row with a dual at
 * its activity. Held there, the third pass is a much smaller LP after the presolver. It is
 * solved there first, then given its limits back and solved again from that point, since
 * rule 17 allows the objective and the spend a little slack that the face does not: the
 * face decides where the exact solve starts, not what it finds.
 */
typedef struct face {
    face_side cols, rows;
} face;

static void face_side_free(face_side *side)
{
    free(side->index);
    free(side->at);
    free(side->to);
    memset(side, 0, sizeof *side);
}

/* Free a face's arrays (and forget them: a second call does nothing). */
static void face_free(face *held)
{
    face_side_free(&held->cols);
    face_side_free(&held->rows);
}

/* Hold, of n columns or rows, those with a reduced cost or a dual beyond the tolerance, at
 * their values. */
static ao_error face_side_read(face_side *side, size_t n, const double *dual, const double *value)
{
    side->index = malloc((n + 1) * sizeof *side->index);
    side->at = malloc((n + 1) * sizeof *side->at);
    side->to = malloc((n + 1) * sizeof *side->to);
    if (side->index == NULL || side->at == NULL || side->to == NULL)
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    for (size_t k = 0; k < n; k++)
        if (fabs(dual[k]) > AO_FACE_TOLERANCE) {
            side->index[side->n] = (int)k;
            side->at[side->n] = side->to[side->n] = value[k];
            side->n++;
        }
    return AO_NO_ERROR;
}

/* Read the face of the optimum in hand: the model's columns and rows (those of lp) with a
 * reduced cost or a dual, at the values in sol. */
static ao_error face_read(const ao_solver *solver, const ao_lp *lp, const solution *sol, face *held)
{
    memset(held, 0, sizeof *held);
    size_t n_all = ao_solver_n_cols(solver) > ao_solver_n_rows(solver) ? ao_solver_n_cols(solver)
                                                                       : ao_solver_n_rows(solver);
    double *dual = malloc((n_all + 1) * sizeof *dual);
    ao_error err = dual == NULL ? AO_ERROR_MEMORY_MALLOC_FAILED : AO_NO_ERROR;
    if (err == AO_NO_ERROR) {
        ao_solver_col_duals(solver, dual);
        err = face_side_read(&held->cols, lp->n_cols, dual, sol->col);
    }
    if (err == AO_NO_ERROR) {
        ao_solver_row_duals(solver, dual);
        err = face_side_read(&held->rows, lp->n_rows, dual, sol->row);
    }
    free(dual);
    if (err != AO_NO_ERROR)
        face_free(held);
    return err;
}

/* Give the held ones the limits lo and hi (lp's) back. */
static void face_side_release(face_side *side, const double *lo, const double *hi)
{
    for (size_t q = 0; q < side->n; q++) {
        side->at[q] = lo[side->index[q]];
        side->to[q] = hi[side->index[q]];
    }
}

/* Hold the solver on the face, or (`release`) give the held columns and rows lp's limits
 * back. */
static ao_error face_apply(ao_solver *solver, const ao_lp *lp, face *held, int release)
{
    if (release) {
        face_side_release(&held->cols, lp->col_lo, lp->col_hi);
        face_side_release(&held->rows, lp->row_lo, lp->row_hi);
    }
    AO_RETURN_ON_ERROR(ao_solver_set_col_bounds(solver, held->cols.n, held->cols.index,
                                                held->cols.at, held->cols.to));
    return ao_solver_set_row_bounds(solver, held->rows.n, held->rows.index, held->rows.at,
                                    held->rows.to);
}

/*
 * Third pass (MODEL.md rule 17): hold the first objective and the least spend, each within
 * a relative 1e-7, and minimise the provided activity moved from today's plan,
 * M = Σ |x − x⁰|. Each x column with today's activity x⁰ > 0 gets a column d ≥ 0 and a row
 * x + d ≥ x⁰; at the optimum d = max(0, x⁰ − x), and |x − x⁰| = x − x⁰ + 2d, so the pass
 * minimises Σ x + 2 Σ d over those columns and Σ x over the other x columns (today's
 * activity, a constant, aside). This needs one new column and one new row per x⁰ > 0,
 * where e ≥ x − x⁰, e ≥ x⁰ − x would need two rows; the plans it may pick are the same.
 * held_row is the second pass's objective-holding row (its limit is widened to this
 * pass's), or -1. The pass starts from the second pass's basis, with d basic wherever
 * the second pass's x falls short of x⁰, so that it starts from a plan meeting every
 * limit. Under CLP it is solved on the second pass's optimal face first (struct face). On an
 * optimum, sol's columns and rows are the third pass's.
 */
static ao_error continuity_pass(ao_solver *solver, const ao_model *m, const ao_formulation *f,
                                const ao_current_plan *today, double objective, int held_row,
                                solution *sol, int *improved)
{
    const ao_lp *lp = f->lp;
    size_t n_cols = lp->n_cols, n_rows = lp->n_rows;
    *improved = 0;
    ao_error err = AO_NO_ERROR;
    size_t n_dev = 0;
    double *x0 = calloc(n_cols + 1, sizeof *x0);
    int *cols = malloc((2 * n_cols + 2) * sizeof *cols);
    double *values = malloc((2 * n_cols + 2) * sizeof *values);
    double *lo = NULL, *hi = NULL, *goal = NULL, *all = NULL;
    size_t *start = NULL;
    int *swap = NULL;
    face held = {0};
    if (x0 == NULL || cols == NULL || values == NULL) {
        err = AO_ERROR_MEMORY_MALLOC_FAILED;
        goto cleanup;
    }
    /* Under CLP the pass is solved on the second pass's optimal face first. Measured with
     * flows (docs/benchmarks.md), from the second pass's basis by the primal simplex
     * against face first: 0.54 against 0.42 s (14 ICBs), 7.9 against 2.7 s (28 ICBs),
     * 103-109 against 15 s (national; 26 s by the presolved dual simplex from the second
     * pass's statuses). GLPK's presolver would forget the statuses that carry the face's
     * optimum to the second solve, so GLPK starts from the second pass's basis. */
    int from_face = ao_solver_kind_used(solver) == AO_SOLVER_CLP;
    if (from_face)
        AO_GOTO_ON_ERROR(face_read(solver, lp, sol, &held), err, cleanup);
    /* Today's activity on the plan's x columns; today's activity at a provider the plan
     * cannot use has no column and counts whole in M whatever the plan does. */
    for (size_t a = 0; a < today->n_alloc; a++) {
        const ao_alloc_line *line = &today->alloc[a];
        if (line->p < 0)
            continue;
        size_t ist = ao_ist(m, line->i, line->s, line->t);
        for (int q = 0; q < f->x_count[ist]; q++) {
            int j = f->x_first[ist] + q;
            if (m->capacity[f->cols[j].k].provider == line->p)
                x0[j] += line->activity;
        }
    }

    /* Hold the first objective: a widened second-pass row, or a new one. */
    double slack = AO_CONTINUITY_TOLERANCE * fabs(objective);
    double obj_lo = lp->sense == AO_MAXIMISE ? objective - slack : -AO_INF;
    double obj_hi = lp->sense == AO_MAXIMISE ? AO_INF : objective + slack;
    if (held_row >= 0) {
        AO_GOTO_ON_ERROR(ao_solver_set_row_bounds(solver, 1, &held_row, &obj_lo, &obj_hi), err,
                         cleanup);
    } else {
        size_t n = 0;
        for (size_t j = 0; j < n_cols; j++)
            if (lp->obj[j] != 0.0) {
                cols[n] = (int)j;
                values[n++] = lp->obj[j];
            }
        AO_GOTO_ON_ERROR(
            ao_solver_add_row(solver, "hold_objective", obj_lo, obj_hi, n, cols, values), err,
            cleanup);
    }
    /* Hold the spend of the plan in hand (the second pass's). */
    double spend = 0.0;
    size_t n = 0;
    for (size_t j = 0; j < n_cols; j++)
        if (f->spend_obj[j] != 0.0) {
            spend += f->spend_obj[j] * sol->col[j];
            cols[n] = (int)j;
            values[n++] = f->spend_obj[j];
        }
    AO_GOTO_ON_ERROR(add_blocked_row(solver, "hold_spend", -AO_INF,
                                     spend * (1.0 + AO_CONTINUITY_TOLERANCE), n, cols, values,
                                     AO_HOLD_ROW_BLOCK),
                     err, cleanup);

    /* Deviation columns d_j and rows x_j + d_j ≥ x⁰_j. */
    for (size_t j = 0; j < n_cols; j++)
        n_dev += f->cols[j].kind == AO_COL_X && x0[j] > 0;
    size_t first_dev = ao_solver_n_cols(solver);
    lo = malloc((n_dev + 1) * sizeof *lo);
    hi = malloc((n_dev + 1) * sizeof *hi);
    start = malloc((n_dev + 1) * sizeof *start);
    goal = calloc(first_dev + n_dev + 1, sizeof *goal);
    if (lo == NULL || hi == NULL || start == NULL || goal == NULL) {
        err = AO_ERROR_MEMORY_MALLOC_FAILED;
        goto cleanup;
    }
    for (size_t q = 0; q < n_dev; q++) {
        lo[q] = 0.0;
        hi[q] = AO_INF;
    }
    AO_GOTO_ON_ERROR(ao_solver_add_cols(solver, n_dev, lo, hi), err, cleanup);
    size_t d = 0;
    n = 0;
    start[0] = 0;
    for (size_t j = 0; j < n_cols; j++) {
        if (f->cols[j].kind != AO_COL_X)
            continue;
        goal[j] = 1.0;
        if (!(x0[j] > 0))
            continue;
        lo[d] = x0[j];
        hi[d] = AO_INF;
        cols[n] = (int)j;
        values[n++] = 1.0;
        cols[n] = (int)(first_dev + d);
        values[n++] = 1.0;
        goal[first_dev + d] = 2.0;
        start[++d] = n;
    }
    AO_GOTO_ON_ERROR(ao_solver_add_rows(solver, n_dev, lo, hi, start, cols, values), err, cleanup);
    /* Start where the second pass ended: where x < x⁰ the new row is met by d = x⁰ − x,
     * basic in place of the row. The pass then starts from a plan meeting every limit,
     * and only looks for fewer moves. */
    size_t first_row = ao_solver_n_rows(solver) - n_dev, n_swap = 0;
    swap = malloc((2 * n_dev + 1) * sizeof *swap);
    AO_GOTO_ON_MEM_ERROR(swap, err, cleanup);
    for (size_t q = 0; q < n_dev; q++)
        if (sol->col[cols[start[q]]] < lo[q]) {
            swap[n_swap] = (int)(first_row + q);
            swap[n_dev + n_swap++] = (int)(first_dev + q);
        }
    AO_GOTO_ON_ERROR(ao_solver_swap_basic(solver, n_swap, swap, swap + n_dev), err, cleanup);
    AO_GOTO_ON_ERROR(ao_solver_set_objective(solver, AO_MINIMISE, goal), err, cleanup);
    ao_solve_status status;
    if (from_face) {
        /* The face's optimum meets every limit of the whole pass: the second solve starts
         * there (CLP's presolved dual simplex from the statuses in hand). */
        AO_GOTO_ON_ERROR(face_apply(solver, lp, &held, 0), err, cleanup);
        ao_solver_forget_basis(solver);
        AO_GOTO_ON_ERROR(ao_solver_solve(solver, &status), err, cleanup);
        AO_GOTO_ON_ERROR(face_apply(solver, lp, &held, 1), err, cleanup);
        ao_solver_forget_basis(solver);
    }
    AO_GOTO_ON_ERROR(ao_solver_solve(solver, &status), err, cleanup);
    if (status != AO_STATUS_OPTIMAL)
        goto cleanup;
    *improved = 1;
    size_t n_all = ao_solver_n_cols(solver) > ao_solver_n_rows(solver) ? ao_solver_n_cols(solver)
                                                                       : ao_solver_n_rows(solver);
    all = malloc((n_all + 1) * sizeof *all);
    AO_GOTO_ON_MEM_ERROR(all, err, cleanup);
    ao_solver_col_values(solver, all);
    memcpy(sol->col, all, n_cols * sizeof *all);
    ao_solver_row_values(solver, all);
    memcpy(sol->row, all, n_rows * sizeof *all);
cleanup:
    free(x0);
    free(cols);
    free(values);
    free(lo);
    free(hi);
    free(start);
    free(goal);
    free(all);
    free(swap);
    face_free(&held);
    return err;
}

ao_error ao_plan_solve(const ao_model *model, const ao_plan_options *options, ao_plan **out)
{
    *out = NULL;
    ao_plan_options defaults;
    if (options == NULL) {
        ao_plan_options_set_default(&defaults);
        options = &defaults;
    }
    ao_error err = AO_NO_ERROR;
    ao_formulation *f = NULL;
    ao_solver *solver = NULL;
    solution sol = {0};
    double *first_cols = NULL;
    ao_ranging *ranging = NULL; /* the budgets' ranging while the second pass runs */
    int *range_rows = NULL;
    size_t n_ranged = 0;
    ao_plan *plan = calloc(1, sizeof *plan);
    AO_GOTO_ON_MEM_ERROR(plan, err, cleanup);
    plan->arrangement = model->settings.arrangement;
    plan->objective = NAN;

    ao_plan_timings *timing = &plan->timings;
    double t0 = seconds_now(), t;
    /* Today's plan, whatever the solve finds (MODEL.md rule 16). */
    AO_GOTO_ON_ERROR(ao_current_evaluate(model, &plan->current), err, cleanup);
    timing->current = (t = seconds_now()) - t0;
    t0 = t;
    AO_GOTO_ON_ERROR(ao_formulate(model, options->lp_path != NULL, &f), err, cleanup);
    timing->formulate = (t = seconds_now()) - t0;
    plan->n_rows = f->lp->n_rows;
    plan->n_cols = f->lp->n_cols;
    plan->n_nz = f->lp->n_nz;
    ao_solver_options solver_options = options->solver;
    solver_options.mip_gap = model->settings.mip_gap;
    AO_GOTO_ON_ERROR(ao_solver_new(f->lp, &solver_options, &solver), err, cleanup);
    if (options->warm_start != NULL)
        plan->warm_started = ao_solver_set_basis(solver, options->warm_start);
    plan->solver_used = ao_solver_kind_used(solver);
    if (options->lp_path != NULL)
        AO_GOTO_ON_ERROR(ao_solver_write_lp(solver, options->lp_path), err, cleanup);
    timing->load = seconds_now() - t;

    t = seconds_now();
    err = ao_solver_solve(solver, &plan->status);
    timing->solve = seconds_now() - t;
    if (err != AO_NO_ERROR)
        goto cleanup;
    if (plan->status == AO_STATUS_INFEASIBLE) {
        t = seconds_now();
        err = ao_plan_diagnose(model, &options->solver, plan);
        if (err == AO_NO_ERROR && plan->infeasibility == NULL)
            err = explain_infeasibility(plan, model, f, solver);
        timing->diagnose = seconds_now() - t;
        if (err == AO_NO_ERROR && options->funding_gap) {
            t = seconds_now();
            err = ao_plan_funding_gap(model, &options->solver, plan);
            timing->funding_gap = seconds_now() - t;
        }
        goto cleanup;
    }
    if (plan->status != AO_STATUS_OPTIMAL)
        goto cleanup;
    plan->objective = ao_solver_objective(solver);
    if (f->lp->n_integer > 0) {
        plan->is_mip = 1;
        plan->mip_gap = ao_solver_mip_gap(solver);
        /* Duals need an LP: hold the whole-valued decisions and solve once more. The
         * second pass below keeps them too. */
        ao_solve_status fixed;
        t = seconds_now();
        AO_GOTO_ON_ERROR(ao_solver_fix_integers(solver), err, cleanup);
        AO_GOTO_ON_ERROR(ao_solver_solve(solver, &fixed), err, cleanup);
        timing->solve += seconds_now() - t;
        if (fixed != AO_STATUS_OPTIMAL) {
            err = AO_ERROR_SOLVER;
            goto cleanup;
        }
    }

    size_t n_rows = f->lp->n_rows, n_cols = f->lp->n_cols;
    sol.col = malloc((n_cols + 1) * sizeof *sol.col);
    sol.row = malloc((n_rows + 2) * sizeof *sol.row);
    sol.dual = malloc((n_rows + 2) * sizeof *sol.dual);
    first_cols = malloc((n_cols + 1) * sizeof *first_cols);
    if (!sol.col || !sol.row || !sol.dual || !first_cols) {
        err = AO_ERROR_MEMORY_MALLOC_FAILED;
        goto cleanup;
    }
    ao_solver_row_duals(solver, sol.dual);
    ao_solver_col_values(solver, first_cols);
    ao_solver_row_values(solver, sol.row);
    /* Ranging the budgets' shadow prices and the second pass overlap where the backend
     * allows it (ao_solver_ranges_start): "ranges" is the time to start it and, after
     * the second pass, the time left waiting for it. */
    t = seconds_now();
    AO_GOTO_ON_ERROR(budget_rows(f, options->ranges, &sol, &range_rows, &n_ranged), err, cleanup);
    if (options->ranges)
        AO_GOTO_ON_ERROR(ao_solver_ranges_start(solver, n_ranged, range_rows, &ranging), err,
                         cleanup);
    timing->ranges = seconds_now() - t;
    if (options->keep_basis)
        AO_GOTO_ON_ERROR(ao_solver_get_basis(solver, &plan->basis), err, cleanup);
    if (options->second_pass) {
        int improved = 0;
        t = seconds_now();
        err = second_pass(solver, f, plan->objective, &improved);
        timing->second_pass = seconds_now() - t;
        if (err != AO_NO_ERROR)
            goto cleanup;
        if (improved) {
            double *rows = malloc((n_rows + 2) * sizeof *rows);
            AO_GOTO_ON_MEM_ERROR(rows, err, cleanup);
            ao_solver_row_values(solver, rows);
            memcpy(sol.row, rows, n_rows * sizeof *rows);
            free(rows);
            ao_solver_col_values(solver, sol.col);
        } else {
            memcpy(sol.col, first_cols, n_cols * sizeof *first_cols);
        }
    } else {
        memcpy(sol.col, first_cols, n_cols * sizeof *first_cols);
    }
    if (options->continuity && model->has_flows_table) {
        int improved = 0;
        t = seconds_now();
        err = continuity_pass(solver, model, f, &plan->current, plan->objective,
                              options->second_pass ? (int)n_rows : -1, &sol, &improved);
        timing->continuity = seconds_now() - t;
        if (err != AO_NO_ERROR)
            goto cleanup;
        plan->has_continuity = 1;
    }

    if (ranging != NULL) {
        t = seconds_now();
        err = budget_ranges_finish(ranging, range_rows, n_ranged, &sol);
        ranging = NULL;
        timing->ranges += seconds_now() - t;
        if (err != AO_NO_ERROR)
            goto cleanup;
    }

    t = seconds_now();
    AO_GOTO_ON_ERROR(read_allocation(plan, model, f, &sol), err, cleanup);
    AO_GOTO_ON_ERROR(read_service_years(plan, model, f, &sol), err, cleanup);
    AO_GOTO_ON_ERROR(read_capacity_use(plan, model, f, &sol), err, cleanup);
    AO_GOTO_ON_ERROR(read_budgets(plan, model, f, &sol), err, cleanup);
    AO_GOTO_ON_ERROR(read_constraints(plan, model, f, &sol), err, cleanup);
    AO_GOTO_ON_ERROR(read_indicators(plan, model, f, &sol), err, cleanup);
    timing->report = (t0 = seconds_now()) - t;
    AO_GOTO_ON_ERROR(ao_plan_verify(model, plan), err, cleanup);
    timing->verify = seconds_now() - t0;
    if (plan->has_continuity) {
        t = seconds_now();
        AO_GOTO_ON_ERROR(ao_current_compare(model, plan), err, cleanup);
        timing->continuity += seconds_now() - t;
    }
    /* After today's plan: the innovation indicator compares with it. */
    AO_GOTO_ON_ERROR(ao_plan_v3_indicators(model, plan), err, cleanup);

cleanup:
    if (ranging != NULL)
        ao_solver_ranges_finish(ranging, NULL, NULL); /* after an error: wait, discard */
    free(range_rows);
    free(sol.col);
    free(sol.row);
    free(sol.dual);
    free(sol.range_from);
    free(sol.range_to);
    free(first_cols);
    ao_solver_free(solver);
    ao_formulation_free(f);
    if (err != AO_NO_ERROR) {
        ao_plan_free(plan);
        return err;
    }
    *out = plan;
    return AO_NO_ERROR;
}
