/*
 * MODEL.md rules 1–10 as an LP.
 *
 * Columns are created first (x, y, then the auxiliary activity column A_ist
 * per ICB-service-year), then each family of rows in one pass. A_ist is a
 * column of its own wherever it sums several providers, so that the many
 * rows that mention it (need, standards, prevention, stability, equity) carry
 * one nonzero instead of one per provider.
 */
#include "models/formulation.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/parse.h"
#include "common/strutil.h"

typedef struct ctx {
    const ao_model *m;
    ao_formulation *f;
    int with_names;
    ao_error err;
    int years;
    int gap; ///< 1 for the funding-gap LP (rule 18).
} ctx;

/* A name safe for the CPLEX LP format: letters, digits and a few marks. */
static char *lp_name(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *lp_name(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    char *name = ao_vasprintf(fmt, args);
    va_end(args);
    if (name == NULL)
        return NULL;
    for (char *c = name; *c; c++) {
        unsigned char u = (unsigned char)*c;
        int ok = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') ||
                 u == '_' || u == '.';
        if (!ok)
            *c = '_';
    }
    return name;
}

static int grow_meta(ctx *c, int rows)
{
    ao_formulation *f = c->f;
    size_t *cap = rows ? &f->cap_meta_rows : &f->cap_meta_cols;
    size_t used = rows ? f->lp->n_rows : f->lp->n_cols;
    if (used < *cap)
        return 1;
    size_t capacity = *cap ? *cap * 2 : 256;
    void *grown = rows ? realloc(f->rows, capacity * sizeof *f->rows)
                       : realloc(f->cols, capacity * sizeof *f->cols);
    if (grown == NULL)
        return 0;
    if (rows) {
        f->rows = grown;
    } else {
        f->cols = grown;
        double *spend = realloc(f->spend_obj, capacity * sizeof *f->spend_obj);
        if (spend == NULL)
            return 0;
        f->spend_obj = spend;
    }
    *cap = capacity;
    return 1;
}

/* Add a column; name is consumed. */
static int add_col(ctx *c, char *name, double obj, double spend, ao_col_kind kind, int i, int s,
                   int k, int t)
{
    if (c->err)
        return -1;
    if (!grow_meta(c, 0) || (c->with_names && name == NULL)) {
        free(name);
        c->err = AO_ERROR_MEMORY_MALLOC_FAILED;
        return -1;
    }
    int j = ao_lp_add_col(c->f->lp, name, 0.0, AO_INF, obj);
    free(name);
    if (j < 0) {
        c->err = AO_ERROR_MEMORY_MALLOC_FAILED;
        return -1;
    }
    c->f->cols[j] = (ao_col_meta){(unsigned char)kind, i, s, k, t};
    c->f->spend_obj[j] = spend;
    return j;
}

/* Add a row; name is consumed. */
static int add_row(ctx *c, char *name, double lo, double hi, ao_row_group group, int i, int s,
                   int k, int t)
{
    if (c->err)
        return -1;
    if (!grow_meta(c, 1) || (c->with_names && name == NULL)) {
        free(name);
        c->err = AO_ERROR_MEMORY_MALLOC_FAILED;
        return -1;
    }
    int r = ao_lp_add_row(c->f->lp, name, lo, hi);
    free(name);
    if (r < 0) {
        c->err = AO_ERROR_MEMORY_MALLOC_FAILED;
        return -1;
    }
    c->f->rows[r] = (ao_row_meta){(unsigned char)group, 0, i, s, k, t, -1};
    return r;
}

static void nz(ctx *c, int row, int col, double value)
{
    if (c->err || row < 0 || col < 0)
        return;
    if (ao_lp_add_nz(c->f->lp, row, col, value) != AO_NO_ERROR)
        c->err = AO_ERROR_MEMORY_MALLOC_FAILED;
}

#define NAME(...) (c->with_names ? lp_name(__VA_ARGS__) : NULL)

static size_t pair(const ao_model *m, int i, int s)
{
    return (size_t)i * (size_t)m->n_services + (size_t)s;
}

static size_t budget_key(const ao_model *m, int i, int t)
{
    return (size_t)i * (size_t)m->settings.years + (size_t)t;
}

/* Add the revenue spend of (i,s,t) to a row, times factor. */
static void add_spend(ctx *c, int row, int i, int s, int t, double factor)
{
    const ao_model *m = c->m;
    size_t ist = ao_ist(m, i, s, t);
    if (!m->services[s].provided) {
        nz(c, row, c->f->activity_col[ist], factor * m->services[s].unit_cost);
        return;
    }
    for (int q = 0; q < c->f->x_count[ist]; q++) {
        int j = c->f->x_first[ist] + q;
        nz(c, row, j, factor * ao_model_unit_cost(m, c->f->cols[j].k));
    }
}

/* ---- columns ---- */

static void build_columns(ctx *c, const int *svc_start, const int *svc_rows)
{
    const ao_model *m = c->m;
    ao_formulation *f = c->f;
    int benefit = m->settings.objective == AO_OBJECTIVE_BENEFIT;
    for (int t = 0; t < c->years && !c->err; t++) {
        double d = f->discount[t];
        for (int i = 0; i < m->n_icbs; i++) {
            for (int s = 0; s < m->n_services; s++) {
                size_t ist = ao_ist(m, i, s, t);
                f->activity_col[ist] = -1;
                f->x_first[ist] = -1;
                f->x_count[ist] = 0;
                if (!m->has_demand[pair(m, i, s)])
                    continue;
                const ao_service *sv = &m->services[s];
                double value = benefit ? d * sv->benefit : 0.0;
                if (!sv->provided) {
                    double cost = sv->unit_cost;
                    f->activity_col[ist] =
                        add_col(c, NAME("y_%s_%s_%d", m->icbs[i].id, sv->id, t),
                                benefit ? value : d * cost, cost, AO_COL_Y, i, s, -1, t);
                    continue;
                }
                for (int q = svc_start[s]; q < svc_start[s + 1]; q++) {
                    int k = svc_rows[q];
                    int p = m->capacity[k].provider;
                    if (!ao_model_may_buy(m, i, s, p))
                        continue;
                    double cost = ao_model_unit_cost(m, k);
                    int j = add_col(
                        c, NAME("x_%s_%s_%s_%d", m->icbs[i].id, sv->id, m->providers[p].id, t),
                        benefit ? 0.0 : d * cost, cost, AO_COL_X, i, s, k, t);
                    if (j < 0)
                        return; /* out of memory: c->err is set */
                    if (f->x_count[ist]++ == 0)
                        f->x_first[ist] = j;
                }
                if (f->x_count[ist] == 1) {
                    /* One provider: its x is the activity itself. */
                    f->activity_col[ist] = f->x_first[ist];
                    f->lp->obj[f->x_first[ist]] += value;
                } else if (f->x_count[ist] > 1) {
                    f->activity_col[ist] = add_col(c, NAME("A_%s_%s_%d", m->icbs[i].id, sv->id, t),
                                                   value, 0.0, AO_COL_ACTIVITY, i, s, -1, t);
                }
            }
        }
    }
    /* Capacity added: z per capacity row and year where the service can expand. */
    for (int k = 0; k < m->n_capacity && !c->err; k++) {
        const ao_capacity *cap = &m->capacity[k];
        double kappa = m->services[cap->service].capital_cost;
        for (int t = 0; t < c->years; t++) {
            f->z_col[(size_t)k * (size_t)c->years + (size_t)t] =
                isnan(kappa) ? -1
                             : add_col(c,
                                       NAME("z_%s_%s_%d", m->providers[cap->provider].id,
                                            m->services[cap->service].id, t),
                                       benefit ? 0.0 : f->discount[t] * kappa, kappa, AO_COL_Z, -1,
                                       cap->service, k, t);
        }
    }
}

/* Rule 13: z_pst = Δ_ps · k_pst with k_pst a whole number. */
static void build_expansion_steps(ctx *c)
{
    const ao_model *m = c->m;
    ao_formulation *f = c->f;
    for (int k = 0; k < m->n_capacity && !c->err; k++) {
        double step = m->capacity[k].expansion_step;
        if (isnan(step))
            continue;
        for (int t = 0; t < c->years; t++) {
            int z = f->z_col[(size_t)k * (size_t)c->years + (size_t)t];
            if (z < 0)
                continue;
            int steps = add_col(c, NAME("k_%d_%d", k, t), 0.0, 0.0, AO_COL_STEPS, -1,
                                m->capacity[k].service, k, t);
            if (steps >= 0 && ao_lp_set_integer(f->lp, steps) != AO_NO_ERROR)
                c->err = AO_ERROR_MEMORY_MALLOC_FAILED;
            int r = add_row(c, NAME("step_%d_%d", k, t), 0.0, 0.0, AO_ROW_DEFINITION, -1,
                            m->capacity[k].service, k, t);
            nz(c, r, z, 1.0);
            nz(c, r, steps, -step);
        }
    }
}

/* A_ist = Σ_p x_ispt where A is a column of its own. */
static void build_activity_definitions(ctx *c)
{
    const ao_model *m = c->m;
    ao_formulation *f = c->f;
    for (size_t ist = 0; ist < (size_t)c->years * m->n_icbs * m->n_services; ist++) {
        if (f->x_count[ist] < 2)
            continue;
        int a = f->activity_col[ist];
        const ao_col_meta meta = f->cols[a]; /* a copy: nothing here keeps a pointer */
        int r =
            add_row(c, NAME("defA_%d", a), 0.0, 0.0, AO_ROW_DEFINITION, meta.i, meta.s, -1, meta.t);
        nz(c, r, a, 1.0);
        for (int q = 0; q < f->x_count[ist]; q++)
            nz(c, r, f->x_first[ist] + q, -1.0);
    }
}

/* ---- rules 1 and 2: need after prevention, national standards ---- */

static void build_need_rows(ctx *c, const int *link_start, const int *links_into)
{
    const ao_model *m = c->m;
    ao_formulation *f = c->f;
    for (int t = 0; t < c->years; t++) {
        for (int i = 0; i < m->n_icbs; i++) {
            for (int s = 0; s < m->n_services && !c->err; s++) {
                if (!m->has_demand[pair(m, i, s)])
                    continue;
                double need = ao_model_need(m, i, s, t);
                double floor = m->services[s].min_coverage;
                int a = f->activity_col[ao_ist(m, i, s, t)];
                /* Prevention terms that land in year t. */
                int n_terms = 0;
                for (int q = link_start[s]; q < link_start[s + 1]; q++) {
                    const ao_prevention *l = &m->links[links_into[q]];
                    if (t - l->lag >= 0 &&
                        f->activity_col[ao_ist(m, i, l->source, t - l->lag)] >= 0)
                        n_terms++;
                }
                const char *icb = m->icbs[i].id, *svc = m->services[s].id;
                if (n_terms == 0) {
                    /* m N ≤ A ≤ N in one ranged row. */
                    int r = add_row(c, NAME("need_%s_%s_%d", icb, svc, t), floor * need, need,
                                    AO_ROW_NEED, i, s, -1, t);
                    if (r >= 0)
                        f->rows[r].both = floor > 0;
                    nz(c, r, a, 1.0);
                    continue;
                }
                int r_need = add_row(c, NAME("need_%s_%s_%d", icb, svc, t), -AO_INF, need,
                                     AO_ROW_NEED, i, s, -1, t);
                int r_std = floor > 0 ? add_row(c, NAME("standard_%s_%s_%d", icb, svc, t),
                                                floor * need, AO_INF, AO_ROW_STANDARD, i, s, -1, t)
                                      : -1;
                nz(c, r_need, a, 1.0);
                nz(c, r_std, a, 1.0);
                for (int q = link_start[s]; q < link_start[s + 1]; q++) {
                    const ao_prevention *l = &m->links[links_into[q]];
                    if (t - l->lag < 0)
                        continue;
                    int source = f->activity_col[ao_ist(m, i, l->source, t - l->lag)];
                    nz(c, r_need, source, l->effect);
                    nz(c, r_std, source, floor * l->effect);
                }
            }
        }
    }
}

/* ---- rules 3 and 4: capacity, expansion limit, minimum viable volume ---- */

static void build_capacity_rows(ctx *c)
{
    const ao_model *m = c->m;
    ao_formulation *f = c->f;
    size_t kt_count = (size_t)m->n_capacity * (size_t)c->years;
    int *cap_row = malloc((kt_count + 1) * sizeof *cap_row);
    int *vol_row = malloc((kt_count + 1) * sizeof *vol_row);
    if (cap_row == NULL || vol_row == NULL) {
        c->err = AO_ERROR_MEMORY_MALLOC_FAILED;
        goto cleanup;
    }
    for (int k = 0; k < m->n_capacity; k++) {
        const ao_capacity *cap = &m->capacity[k];
        const char *prov = m->providers[cap->provider].id, *svc = m->services[cap->service].id;
        int lag = m->services[cap->service].capacity_lag;
        for (int t = 0; t < c->years; t++) {
            size_t kt = (size_t)k * (size_t)c->years + (size_t)t;
            cap_row[kt] = add_row(c, NAME("capacity_%s_%s_%d", prov, svc, t), -AO_INF,
                                  cap->capacity, AO_ROW_CAPACITY, -1, cap->service, k, t);
            for (int tau = 0; tau <= t - lag; tau++)
                nz(c, cap_row[kt], f->z_col[(size_t)k * (size_t)c->years + (size_t)tau], -1.0);
            vol_row[kt] = isnan(cap->min_volume)
                              ? -1
                              : add_row(c, NAME("volume_%s_%s_%d", prov, svc, t), cap->min_volume,
                                        AO_INF, AO_ROW_MIN_VOLUME, -1, cap->service, k, t);
        }
        if (!isnan(cap->max_expansion) && !isnan(m->services[cap->service].capital_cost)) {
            int r = add_row(c, NAME("expansion_%s_%s", prov, svc), -AO_INF, cap->max_expansion,
                            AO_ROW_EXPANSION, -1, cap->service, k, -1);
            for (int t = 0; t < c->years; t++)
                nz(c, r, f->z_col[(size_t)k * (size_t)c->years + (size_t)t], 1.0);
        }
    }
    /* One pass over the x columns fills both families. */
    for (size_t j = 0; j < f->lp->n_cols && !c->err; j++) {
        if (f->cols[j].kind != AO_COL_X)
            continue;
        size_t kt = (size_t)f->cols[j].k * (size_t)c->years + (size_t)f->cols[j].t;
        nz(c, cap_row[kt], (int)j, 1.0);
        nz(c, vol_row[kt], (int)j, 1.0);
    }
cleanup:
    free(cap_row);
    free(vol_row);
}

/* ---- budget units (rule 15) and the funding gap's extra revenue (rule 18) ---- */

/* Members of budget unit u in year t: ICB u alone, or a footprint's ICBs once merged.
 * Returns their number (0 when u is an ICB that has merged by year t). */
static int unit_members(const ao_model *m, int u, int t, const int **members, int *alone)
{
    if (u < m->n_icbs) {
        *alone = u;
        *members = alone;
        return ao_model_budget_unit(m, u, t) == u;
    }
    const ao_footprint *fp = &m->footprints[u - m->n_icbs];
    *members = fp->icbs;
    return t >= fp->from_year ? fp->n_icbs : 0;
}

/* ρ_it: how SR_it grows with R_it when revenue is added (rule 18). */
static double specialised_rate(const ao_model *m, int i, int t)
{
    size_t it = budget_key(m, i, t);
    if (isnan(m->specialised[it]))
        return m->baseline_share[i];
    return m->revenue[it] > 0 ? m->specialised[it] / m->revenue[it] : 0.0;
}

/* In the funding-gap LP, a bound a·R_it + b·SR_it becomes a·(R+u) + b·(SR + ρu): move
 * the u term to the row's left-hand side. */
static void revenue_term(ctx *c, int row, int i, int t, double a, double b)
{
    if (!c->gap)
        return;
    double coef = a + b * specialised_rate(c->m, i, t);
    if (coef != 0.0)
        nz(c, row, c->f->gap_col[budget_key(c->m, i, t)], -coef);
}

/* Tag a row with its budget unit (and its first ICB when the unit is a footprint). */
static void set_unit(ctx *c, int row, int unit)
{
    if (row >= 0)
        c->f->rows[row].unit = unit;
}

/* ---- rule 5: capital ---- */

static void build_capital_rows(ctx *c)
{
    const ao_model *m = c->m;
    ao_formulation *f = c->f;
    int n_units = m->n_icbs + m->n_footprints;
    for (int u = 0; u < n_units; u++) {
        for (int t = 0; t < c->years; t++) {
            const int *members;
            int alone, n = unit_members(m, u, t, &members, &alone);
            int r = -1;
            for (int k = 0; k < m->n_capacity && !c->err; k++) {
                const ao_capacity *cap = &m->capacity[k];
                int z = f->z_col[(size_t)k * (size_t)c->years + (size_t)t];
                if (z < 0 || ao_model_budget_unit(m, m->providers[cap->provider].host, t) != u)
                    continue;
                if (r < 0) {
                    double budget = 0.0;
                    for (int q = 0; q < n; q++)
                        budget += m->capital[budget_key(m, members[q], t)];
                    r = add_row(c, NAME("capital_%s_%d", ao_model_unit_id(m, u), t), -AO_INF,
                                budget, AO_ROW_CAPITAL, members[0], -1, -1, t);
                    set_unit(c, r, u);
                }
                nz(c, r, z, m->services[cap->service].capital_cost);
            }
        }
    }
}

/* ---- rules 6, 7 and 14: revenue by arrangement, specialised share floor ---- */

/* The unit's own revenue row: priority services and delegated specialised services, within
 * revenue less the shares of the specialised allocation pooled elsewhere (rule 14). */
static void build_unit_revenue_row(ctx *c, int u, int t)
{
    const ao_model *m = c->m;
    const int *members;
    int alone, n = unit_members(m, u, t, &members, &alone);
    if (n == 0)
        return;
    double budget = 0.0;
    int any_delegated = 0, any_pooled = 0;
    for (int q = 0; q < n; q++) {
        budget += ao_model_own_revenue(m, members[q], t);
        any_delegated |= ao_model_holds(m, members[q], t, AO_ARRANGEMENT_DELEGATED);
        any_pooled |= ao_model_holds(m, members[q], t, AO_ARRANGEMENT_JOINT) ||
                      ao_model_holds(m, members[q], t, AO_ARRANGEMENT_NATIONAL);
    }
    /* With every specialised service pooled the row holds the priority budget (v1 joint). */
    int priority_only = any_pooled && !any_delegated;
    ao_row_group group = priority_only ? AO_ROW_PRIORITY : AO_ROW_REVENUE;
    int r = add_row(
        c, NAME("%s_%s_%d", priority_only ? "priority" : "revenue", ao_model_unit_id(m, u), t),
        -AO_INF, budget, group, members[0], -1, -1, t);
    set_unit(c, r, u);
    for (int q = 0; q < n; q++) {
        int i = members[q];
        revenue_term(c, r, i, t, 1.0, -ao_model_pool_weight(m, i, t, AO_ARRANGEMENT_DELEGATED));
        for (int s = 0; s < m->n_services; s++)
            if (ao_model_arrangement(m, i, s, t) == AO_ARRANGEMENT_DELEGATED)
                add_spend(c, r, i, s, t, 1.0);
    }
}

/* A pool of specialised services under one arrangement: joint group g, or the nation
 * (g = -1, national). Only when some ICB of the pool has a service under it that year. */
static void build_pool_row(ctx *c, int g, int t)
{
    const ao_model *m = c->m;
    ao_arrangement kind = g < 0 ? AO_ARRANGEMENT_NATIONAL : AO_ARRANGEMENT_JOINT;
    int any = 0;
    double pool = 0.0;
    for (int i = 0; i < m->n_icbs; i++) {
        if (g >= 0 && ao_model_joint_group(m, i, t) != g)
            continue;
        pool += ao_model_pool_weight(m, i, t, kind) * ao_model_specialised_budget(m, i, t);
        any |= ao_model_holds(m, i, t, kind);
    }
    if (!any)
        return;
    int r = add_row(
        c, NAME("specialised_%s_%d", g < 0 ? "England" : ao_model_joint_group_name(m, g), t),
        -AO_INF, pool, AO_ROW_SPECIALISED_POOL, -1, -1, g, t);
    for (int i = 0; i < m->n_icbs; i++) {
        if (g >= 0 && ao_model_joint_group(m, i, t) != g)
            continue;
        revenue_term(c, r, i, t, 0.0, ao_model_pool_weight(m, i, t, kind));
        for (int s = 0; s < m->n_services; s++)
            if (m->services[s].category == AO_CATEGORY_SPECIALISED &&
                ao_model_arrangement(m, i, s, t) == kind)
                add_spend(c, r, i, s, t, 1.0);
    }
}

static void build_revenue_rows(ctx *c)
{
    const ao_model *m = c->m;
    int n_units = m->n_icbs + m->n_footprints;
    int n_joint = m->n_groups + m->n_footprints;
    double floor = m->settings.specialised_share_floor;
    for (int t = 0; t < c->years && !c->err; t++) {
        for (int u = 0; u < n_units; u++)
            build_unit_revenue_row(c, u, t);
        for (int g = 0; g < n_joint; g++)
            build_pool_row(c, g, t);
        build_pool_row(c, -1, t);
        if (isnan(floor))
            continue;
        for (int u = 0; u < n_units; u++) {
            const int *members;
            int alone, n = unit_members(m, u, t, &members, &alone);
            double minimum = 0.0;
            for (int q = 0; q < n; q++)
                minimum += floor * m->baseline_share[members[q]] *
                           m->revenue[budget_key(m, members[q], t)];
            if (!(minimum > 0))
                continue;
            int r = add_row(c, NAME("floor_%s_%d", ao_model_unit_id(m, u), t), minimum, AO_INF,
                            AO_ROW_SHARE_FLOOR, members[0], -1, -1, t);
            set_unit(c, r, u);
            for (int q = 0; q < n; q++) {
                int i = members[q];
                revenue_term(c, r, i, t, floor * m->baseline_share[i], 0.0);
                for (int s = 0; s < m->n_services; s++)
                    if (m->services[s].category == AO_CATEGORY_SPECIALISED)
                        add_spend(c, r, i, s, t, 1.0);
            }
        }
    }
}

/* ---- rule 8: stability ---- */

static void build_stability_rows(ctx *c)
{
    const ao_model *m = c->m;
    ao_formulation *f = c->f;
    for (int i = 0; i < m->n_icbs; i++) {
        for (int s = 0; s < m->n_services && !c->err; s++) {
            double mu = ao_model_max_change(m, s);
            double a0 = m->baseline[pair(m, i, s)];
            if (!m->has_demand[pair(m, i, s)] || isnan(mu) || !(a0 > 0))
                continue;
            const char *icb = m->icbs[i].id, *svc = m->services[s].id;
            int has_floor = 1 - mu > 0;
            for (int t = 0; t < c->years; t++) {
                int a = f->activity_col[ao_ist(m, i, s, t)];
                if (t == 0) {
                    int r = add_row(c, NAME("stable_%s_%s_%d", icb, svc, t),
                                    has_floor ? (1 - mu) * a0 : -AO_INF, (1 + mu) * a0,
                                    AO_ROW_STABILITY_DOWN, i, s, -1, t);
                    nz(c, r, a, 1.0);
                    continue;
                }
                int previous = f->activity_col[ao_ist(m, i, s, t - 1)];
                int up = add_row(c, NAME("growth_%s_%s_%d", icb, svc, t), -AO_INF, 0.0,
                                 AO_ROW_STABILITY_UP, i, s, -1, t);
                nz(c, up, a, 1.0);
                nz(c, up, previous, -(1 + mu));
                if (!has_floor)
                    continue;
                int down = add_row(c, NAME("decline_%s_%s_%d", icb, svc, t), 0.0, AO_INF,
                                   AO_ROW_STABILITY_DOWN, i, s, -1, t);
                nz(c, down, a, 1.0);
                nz(c, down, previous, -(1 - mu));
            }
        }
    }
}

/* ---- rule 9: equity band ---- */

static void build_equity_rows(ctx *c)
{
    const ao_model *m = c->m;
    ao_formulation *f = c->f;
    double band = m->settings.equity_band;
    if (isnan(band))
        return;
    for (int s = 0; s < m->n_services; s++) {
        if (m->services[s].category != AO_CATEGORY_SPECIALISED)
            continue;
        for (int t = 0; t < c->years; t++) {
            for (int region = 0; region < m->n_regions && !c->err; region++) {
                double region_need = 0.0;
                int with_need = 0;
                for (int i = 0; i < m->n_icbs; i++) {
                    double need = ao_model_need(m, i, s, t);
                    if (m->icbs[i].region == region && need > 0) {
                        region_need += need;
                        with_need++;
                    }
                }
                /* With one ICB the band says nothing (its coverage is its region's). */
                if (with_need < 2)
                    continue;
                int total = add_col(c, NAME("R_%s_%s_%d", m->regions[region], m->services[s].id, t),
                                    0.0, 0.0, AO_COL_REGION, -1, s, region, t);
                int def = add_row(c, NAME("defR_%d", total), 0.0, 0.0, AO_ROW_DEFINITION, -1, s,
                                  region, t);
                nz(c, def, total, 1.0);
                for (int i = 0; i < m->n_icbs; i++)
                    if (m->icbs[i].region == region)
                        nz(c, def, f->activity_col[ao_ist(m, i, s, t)], -1.0);
                /* A_ist · NR ≥ (1−δ) N_ist · RA, divided by NR for scaling. */
                for (int i = 0; i < m->n_icbs; i++) {
                    double need = ao_model_need(m, i, s, t);
                    if (m->icbs[i].region != region || !(need > 0))
                        continue;
                    int r = add_row(c, NAME("equity_%s_%s_%d", m->icbs[i].id, m->services[s].id, t),
                                    0.0, AO_INF, AO_ROW_EQUITY, i, s, region, t);
                    nz(c, r, f->activity_col[ao_ist(m, i, s, t)], 1.0);
                    nz(c, r, total, -(1 - band) * need / region_need);
                }
            }
        }
    }
}

/* ---- rule 10: spending rules ---- */

static void build_rule_rows(ctx *c)
{
    const ao_model *m = c->m;
    int n_units = m->n_icbs + m->n_footprints;
    for (int q = 0; q < m->n_rules && !c->err; q++) {
        const ao_rule *rule = &m->rules[q];
        int share = rule->kind == AO_RULE_MIN_SHARE || rule->kind == AO_RULE_MAX_SHARE;
        int minimum = rule->kind == AO_RULE_MIN_SPEND || rule->kind == AO_RULE_MIN_SHARE;
        for (int t = 0; t < c->years; t++) {
            if (rule->year >= 0 && rule->year != t)
                continue;
            /* Scope units: each budget unit (ICB or footprint), the unit of one ICB, or
             * all ICBs as one (-1). */
            int whole = rule->scope == AO_SCOPE_ALL;
            int first = rule->scope == AO_SCOPE_ICB ? ao_model_budget_unit(m, rule->scope_icb, t)
                        : whole                     ? -1
                                                    : 0;
            int last = rule->scope == AO_SCOPE_EACH ? n_units - 1 : first;
            for (int u = first; u <= last; u++) {
                const int *members = NULL;
                int alone, n = whole ? m->n_icbs : unit_members(m, u, t, &members, &alone);
                if (n == 0)
                    continue;
                double revenue = 0.0;
                for (int q2 = 0; q2 < n; q2++)
                    revenue += m->revenue[budget_key(m, whole ? q2 : members[q2], t)];
                double bound = share ? rule->value * revenue : rule->value;
                int r = add_row(
                    c, NAME("rule_%s_%s_%d", rule->name, whole ? "all" : ao_model_unit_id(m, u), t),
                    minimum ? bound : -AO_INF, minimum ? AO_INF : bound, AO_ROW_RULE,
                    whole ? -1 : members[0], -1, q, t);
                if (!whole)
                    set_unit(c, r, u);
                for (int q2 = 0; q2 < n; q2++) {
                    int i = whole ? q2 : members[q2];
                    if (share)
                        revenue_term(c, r, i, t, rule->value, 0.0);
                    for (int s = 0; s < m->n_services; s++)
                        if (rule->selects[s])
                            add_spend(c, r, i, s, t, 1.0);
                }
            }
        }
    }
}

/* ---- rule 11: collaboratives' pooled budgets ---- */

static void build_collaborative_rows(ctx *c)
{
    const ao_model *m = c->m;
    for (int q = 0; q < m->n_collaboratives && !c->err; q++) {
        const ao_collaborative *collab = &m->collaboratives[q];
        if (isnan(collab->budget_share))
            continue;
        for (int t = 0; t < c->years; t++) {
            double pool = 0.0;
            for (int i = 0; i < m->n_icbs; i++)
                if (collab->icbs[i])
                    pool += ao_model_specialised_budget(m, i, t);
            int r = add_row(c, NAME("collab_%s_%d", collab->id, t), -AO_INF,
                            collab->budget_share * pool, AO_ROW_COLLABORATIVE, -1, -1, q, t);
            for (int i = 0; i < m->n_icbs; i++) {
                if (collab->icbs[i])
                    revenue_term(c, r, i, t, 0.0, collab->budget_share);
                for (int s = 0; s < m->n_services && collab->icbs[i]; s++)
                    if (collab->services[s])
                        add_spend(c, r, i, s, t, 1.0);
            }
        }
    }
}

/* ---- rule 12: contract limits ---- */

/* U_ispt = min(N_ist, C_ps + E_ps), E_ps as MODEL.md rule 12 reads. */
static double contract_bound(const ao_model *m, int i, int s, int k, int t)
{
    const ao_capacity *cap = &m->capacity[k];
    double need = ao_model_need(m, i, s, t);
    double expansion = cap->max_expansion;
    if (isnan(expansion))
        expansion = isnan(m->services[s].capital_cost) ? 0.0 : need;
    return fmin(need, cap->capacity + expansion);
}

static void build_contract_rows(ctx *c)
{
    const ao_model *m = c->m;
    ao_formulation *f = c->f;
    if (!m->has_contract_limits)
        return;
    size_t pairs = (size_t)m->n_icbs * (size_t)m->n_providers;
    int *w = malloc((pairs + 1) * sizeof *w);
    if (w == NULL) {
        c->err = AO_ERROR_MEMORY_MALLOC_FAILED;
        return;
    }
    for (size_t k = 0; k < pairs; k++)
        w[k] = -1;
    size_t n_cols = f->lp->n_cols;
    /* A w for every (i,p) with some x, where i or p is limited. */
    for (size_t j = 0; j < n_cols && !c->err; j++) {
        /* A copy: add_col below may move f->cols. */
        const ao_col_meta x = f->cols[j];
        if (x.kind != AO_COL_X)
            continue;
        int i = x.i, p = m->capacity[x.k].provider;
        if (isnan(m->icbs[i].max_providers) && isnan(m->providers[p].max_icbs))
            continue;
        size_t ip = (size_t)i * (size_t)m->n_providers + (size_t)p;
        if (w[ip] < 0) {
            w[ip] = add_col(c, NAME("w_%s_%s", m->icbs[i].id, m->providers[p].id), 0.0, 0.0,
                            AO_COL_CONTRACT, i, -1, p, -1);
            if (w[ip] < 0)
                break;
            f->lp->col_hi[w[ip]] = 1.0;
            if (ao_lp_set_integer(f->lp, w[ip]) != AO_NO_ERROR)
                c->err = AO_ERROR_MEMORY_MALLOC_FAILED;
        }
        int r =
            add_row(c, NAME("link_%zu", j), -AO_INF, 0.0, AO_ROW_CONTRACT_LINK, i, x.s, x.k, x.t);
        nz(c, r, (int)j, 1.0);
        nz(c, r, w[ip], -contract_bound(m, i, x.s, x.k, x.t));
    }
    for (int i = 0; i < m->n_icbs && !c->err; i++) {
        if (isnan(m->icbs[i].max_providers))
            continue;
        int r = add_row(c, NAME("providers_of_%s", m->icbs[i].id), -AO_INF,
                        m->icbs[i].max_providers, AO_ROW_ICB_CONTRACTS, i, -1, -1, -1);
        for (int p = 0; p < m->n_providers; p++)
            nz(c, r, w[(size_t)i * (size_t)m->n_providers + (size_t)p], 1.0);
    }
    for (int p = 0; p < m->n_providers && !c->err; p++) {
        if (isnan(m->providers[p].max_icbs))
            continue;
        int r = add_row(c, NAME("icbs_of_%s", m->providers[p].id), -AO_INF,
                        m->providers[p].max_icbs, AO_ROW_PROVIDER_CONTRACTS, -1, -1, p, -1);
        for (int i = 0; i < m->n_icbs; i++)
            nz(c, r, w[(size_t)i * (size_t)m->n_providers + (size_t)p], 1.0);
    }
    free(w);
}

/* The funding gap's columns u_it, and its objective: least total extra revenue. */
static void build_gap_columns(ctx *c)
{
    const ao_model *m = c->m;
    ao_formulation *f = c->f;
    f->gap_col = malloc(((size_t)m->n_icbs * (size_t)c->years + 1) * sizeof *f->gap_col);
    if (f->gap_col == NULL) {
        c->err = AO_ERROR_MEMORY_MALLOC_FAILED;
        return;
    }
    for (size_t j = 0; j < f->lp->n_cols; j++)
        f->lp->obj[j] = 0.0;
    f->lp->sense = AO_MINIMISE;
    for (int i = 0; i < m->n_icbs; i++)
        for (int t = 0; t < c->years; t++)
            f->gap_col[budget_key(m, i, t)] =
                add_col(c, NAME("gap_%s_%d", m->icbs[i].id, t), 1.0, 0.0, AO_COL_GAP, i, -1, -1, t);
}

static ao_error formulate(const ao_model *m, int with_names, int gap, ao_formulation **out);

ao_error ao_formulate(const ao_model *m, int with_names, ao_formulation **out)
{
    return formulate(m, with_names, 0, out);
}

ao_error ao_formulate_funding_gap(const ao_model *m, int with_names, ao_formulation **out)
{
    return formulate(m, with_names, 1, out);
}

static ao_error formulate(const ao_model *m, int with_names, int gap, ao_formulation **out)
{
    *out = NULL;
    ctx c = {.m = m, .with_names = with_names, .years = m->settings.years, .gap = gap};
    ao_formulation *f = calloc(1, sizeof *f);
    int *svc_start = calloc((size_t)m->n_services + 2, sizeof *svc_start);
    int *svc_rows = malloc(((size_t)m->n_capacity + 1) * sizeof *svc_rows);
    int *link_start = calloc((size_t)m->n_services + 2, sizeof *link_start);
    int *links_into = malloc(((size_t)m->n_links + 1) * sizeof *links_into);
    size_t ist_count = (size_t)c.years * (size_t)m->n_icbs * (size_t)m->n_services + 1;
    ao_error err = AO_NO_ERROR;
    if (f == NULL || !svc_start || !svc_rows || !link_start || !links_into) {
        err = AO_ERROR_MEMORY_MALLOC_FAILED;
        goto cleanup;
    }
    c.f = f;
    f->lp = ao_lp_new(m->settings.objective == AO_OBJECTIVE_BENEFIT ? AO_MAXIMISE : AO_MINIMISE);
    f->activity_col = malloc(ist_count * sizeof *f->activity_col);
    f->x_first = malloc(ist_count * sizeof *f->x_first);
    f->x_count = malloc(ist_count * sizeof *f->x_count);
    f->z_col = malloc(((size_t)m->n_capacity * (size_t)c.years + 1) * sizeof *f->z_col);
    f->discount = malloc(((size_t)c.years + 1) * sizeof *f->discount);
    if (!f->lp || !f->activity_col || !f->x_first || !f->x_count || !f->z_col || !f->discount) {
        err = AO_ERROR_MEMORY_MALLOC_FAILED;
        goto cleanup;
    }
    for (int t = 0; t < c.years; t++)
        f->discount[t] = pow(1.0 + m->settings.discount_rate, -t);

    /* Capacity rows by service, prevention links by target: CSR lists. */
    for (int k = 0; k < m->n_capacity; k++)
        svc_start[m->capacity[k].service + 1]++;
    for (int s = 0; s < m->n_services; s++)
        svc_start[s + 1] += svc_start[s];
    {
        int *fill = malloc(((size_t)m->n_services + 1) * sizeof *fill);
        if (fill == NULL) {
            err = AO_ERROR_MEMORY_MALLOC_FAILED;
            goto cleanup;
        }
        memcpy(fill, svc_start, (size_t)m->n_services * sizeof *fill);
        for (int k = 0; k < m->n_capacity; k++)
            svc_rows[fill[m->capacity[k].service]++] = k;
        for (int l = 0; l < m->n_links; l++)
            link_start[m->links[l].target + 1]++;
        for (int s = 0; s < m->n_services; s++)
            link_start[s + 1] += link_start[s];
        memcpy(fill, link_start, (size_t)m->n_services * sizeof *fill);
        for (int l = 0; l < m->n_links; l++)
            links_into[fill[m->links[l].target]++] = l;
        free(fill);
    }

    /* Each part runs only when the parts before it succeeded: after a failed allocation a
     * column index may be -1 (build_activity_definitions read f->cols[-1]). */
    build_columns(&c, svc_start, svc_rows);
    if (!c.err)
        build_expansion_steps(&c);
    if (!c.err)
        build_activity_definitions(&c);
    if (!c.err)
        build_need_rows(&c, link_start, links_into);
    if (!c.err)
        build_capacity_rows(&c);
    if (!c.err && gap)
        build_gap_columns(&c);
    if (!c.err)
        build_capital_rows(&c);
    if (!c.err)
        build_revenue_rows(&c);
    if (!c.err)
        build_stability_rows(&c);
    if (!c.err)
        build_equity_rows(&c);
    if (!c.err)
        build_rule_rows(&c);
    if (!c.err)
        build_collaborative_rows(&c);
    if (!c.err)
        build_contract_rows(&c);
    err = c.err;
cleanup:
    free(svc_start);
    free(svc_rows);
    free(link_start);
    free(links_into);
    if (err != AO_NO_ERROR) {
        ao_formulation_free(f);
        return err;
    }
    *out = f;
    return AO_NO_ERROR;
}

void ao_formulation_free(ao_formulation *f)
{
    if (f == NULL)
        return;
    ao_lp_free(f->lp);
    free(f->cols);
    free(f->rows);
    free(f->activity_col);
    free(f->x_first);
    free(f->x_count);
    free(f->z_col);
    free(f->spend_obj);
    free(f->discount);
    free(f->gap_col);
    free(f);
}

static const char *const row_group_names[AO_ROW_GROUP_COUNT] = {
    "Need",
    "National standard",
    "Provider capacity",
    "Capacity expansion limit",
    "Minimum viable volume",
    "Capital",
    "Revenue",
    "Specialised pool",
    "Priority revenue",
    "Specialised share floor",
    "Stability (growth)",
    "Stability (decline)",
    "Equity band",
    "Spending rule",
    "Collaborative budget",
    "Contract link",
    "Providers per ICB",
    "ICBs per provider",
    "Definition",
};

const char *ao_row_group_name(ao_row_group group)
{
    return (unsigned)group < AO_ROW_GROUP_COUNT ? row_group_names[group] : "Other";
}

char *ao_formulation_describe_row(const ao_formulation *f, const ao_model *m, int row)
{
    const ao_row_meta *r = &f->rows[row];
    char year[16] = "all years";
    if (r->t >= 0)
        ao_model_year_label(m, r->t, year);
    const char *icb = r->unit >= 0 ? ao_model_unit_id(m, r->unit)
                      : r->i >= 0  ? m->icbs[r->i].id
                                   : "";
    const char *svc = r->s >= 0 ? m->services[r->s].name : "";
    const ao_capacity *cap = NULL;
    if (r->k >= 0 && (r->group == AO_ROW_CAPACITY || r->group == AO_ROW_EXPANSION ||
                      r->group == AO_ROW_MIN_VOLUME))
        cap = &m->capacity[r->k];
    switch ((ao_row_group)r->group) {
    case AO_ROW_NEED:
        return ao_asprintf(r->both ? "%s %s %s: need and national standard"
                                   : "%s %s %s: activity within need after prevention",
                           icb, year, svc);
    case AO_ROW_STANDARD:
        return ao_asprintf("%s %s %s: national standard (minimum coverage)", icb, year, svc);
    case AO_ROW_CAPACITY:
        return ao_asprintf("%s %s %s: provider capacity", m->providers[cap->provider].id, year,
                           m->services[cap->service].name);
    case AO_ROW_EXPANSION:
        return ao_asprintf("%s %s: total capacity expansion limit", m->providers[cap->provider].id,
                           m->services[cap->service].name);
    case AO_ROW_MIN_VOLUME:
        return ao_asprintf("%s %s %s: minimum viable volume", m->providers[cap->provider].id, year,
                           m->services[cap->service].name);
    case AO_ROW_CAPITAL:
        return ao_asprintf("%s %s capital", icb, year);
    case AO_ROW_REVENUE:
        return ao_asprintf("%s %s revenue", icb, year);
    case AO_ROW_SPECIALISED_POOL:
        return ao_asprintf("%s %s specialised pool",
                           r->k < 0 ? "England" : ao_model_joint_group_name(m, r->k), year);
    case AO_ROW_PRIORITY:
        return ao_asprintf("%s %s priority revenue", icb, year);
    case AO_ROW_SHARE_FLOOR:
        return ao_asprintf("%s %s specialised share floor", icb, year);
    case AO_ROW_STABILITY_UP:
        return ao_asprintf("%s %s %s: maximum growth on the year before", icb, year, svc);
    case AO_ROW_STABILITY_DOWN:
        return ao_asprintf(r->t == 0 ? "%s %s %s: change from baseline within the limit"
                                     : "%s %s %s: maximum decline on the year before",
                           icb, year, svc);
    case AO_ROW_EQUITY:
        return ao_asprintf("%s %s %s: coverage within the equity band of region %s", icb, year, svc,
                           m->regions[r->k][0] ? m->regions[r->k] : "(blank)");
    case AO_ROW_RULE:
        return ao_asprintf("rule %s, %s %s", m->rules[r->k].name, r->i >= 0 ? icb : "all ICBs",
                           year);
    case AO_ROW_COLLABORATIVE:
        return ao_asprintf("collaborative %s %s pooled budget", m->collaboratives[r->k].id, year);
    case AO_ROW_CONTRACT_LINK:
        return ao_asprintf("%s %s %s at %s: only with a contract", icb, year, svc,
                           m->providers[m->capacity[r->k].provider].id);
    case AO_ROW_ICB_CONTRACTS:
        return ao_asprintf("%s: number of providers", icb);
    case AO_ROW_PROVIDER_CONTRACTS:
        return ao_asprintf("%s: number of commissioning ICBs", m->providers[r->k].id);
    case AO_ROW_DEFINITION:
    default:
        return ao_asprintf("definition %s %s", year, svc);
    }
}
