/* What the sheets share (report/sheets.h): names beside ids, the words for a status. */
#include "report/sheets.h"

#include <math.h>
#include <string.h>

const char *ao_sheet_icb_id(const ao_model *m, int i)
{
    return i >= 0 && i < m->n_icbs ? m->icbs[i].id : "";
}

const char *ao_sheet_icb_name(const ao_model *m, int i)
{
    return i >= 0 && i < m->n_icbs ? m->icbs[i].name : "";
}

const char *ao_sheet_service_id(const ao_model *m, int s)
{
    return s >= 0 && s < m->n_services ? m->services[s].id : "";
}

const char *ao_sheet_service_name(const ao_model *m, int s)
{
    return s >= 0 && s < m->n_services ? m->services[s].name : "";
}

const char *ao_sheet_provider_id(const ao_model *m, int p)
{
    return p >= 0 && p < m->n_providers ? m->providers[p].id : "";
}

const char *ao_sheet_provider_name(const ao_model *m, int p)
{
    return p >= 0 && p < m->n_providers ? m->providers[p].name : "";
}

int ao_sheet_region_index(const ao_model *m, int i)
{
    int r = i >= 0 && i < m->n_icbs ? m->icbs[i].region : -1;
    return r >= 0 && r < m->n_regions ? r : m->n_regions;
}

const char *ao_sheet_region_label(const ao_model *m, int r)
{
    if (r < 0 || r >= m->n_regions || m->regions == NULL || m->regions[r] == NULL ||
        m->regions[r][0] == '\0')
        return AO_NO_REGION;
    return m->regions[r];
}

const char *ao_sheet_icb_region(const ao_model *m, int i)
{
    return ao_sheet_region_label(m, ao_sheet_region_index(m, i));
}

/* The one region slot of a set of ICBs, or -1 when they span more than one. */
static int common_region(const ao_model *m, const int *icbs, int n)
{
    int region = -1;
    for (int k = 0; k < n; k++) {
        int r = ao_sheet_region_index(m, icbs[k]);
        if (region >= 0 && r != region)
            return -1;
        region = r;
    }
    return region;
}

int ao_sheet_pool_region(const ao_model *m, const char *pool, int is_collaborative)
{
    if (pool == NULL || is_collaborative)
        return -1;
    for (int i = 0; i < m->n_icbs; i++)
        if (m->icbs[i].id != NULL && strcmp(m->icbs[i].id, pool) == 0)
            return ao_sheet_region_index(m, i);
    /* The ICBs of a merged footprint share one region (an input rule); say it anyway. */
    for (int f = 0; f < m->n_footprints; f++)
        if (m->footprints[f].id != NULL && strcmp(m->footprints[f].id, pool) == 0)
            return common_region(m, m->footprints[f].icbs, m->footprints[f].n_icbs);
    for (int g = 0; g < m->n_groups; g++)
        if (m->groups[g].name != NULL && strcmp(m->groups[g].name, pool) == 0)
            return common_region(m, m->groups[g].icbs, m->groups[g].n_icbs);
    return -1;
}

const char *ao_sheet_category_name(const ao_model *m, int s)
{
    if (s < 0 || s >= m->n_services)
        return "";
    return m->services[s].category == AO_CATEGORY_SPECIALISED ? "specialised" : "priority";
}

const ao_capacity *ao_sheet_capacity_row(const ao_model *m, int k)
{
    return k >= 0 && k < m->n_capacity ? &m->capacity[k] : NULL;
}

void ao_sheet_put_year(ao_sheet *sh, lxw_col_t col, const ao_model *m, int t)
{
    char label[16];
    ao_model_year_label(m, t, label);
    ao_sheet_put_text(sh, col, label, NULL);
}

void ao_sheet_tally_add(ao_sheet_tally *x, const ao_model *m, const ao_service_year *y)
{
    x->spend += y->spend;
    if (y->s >= 0 && y->s < m->n_services && m->services[y->s].category == AO_CATEGORY_SPECIALISED)
        x->specialised += y->spend;
    x->activity += y->activity;
    x->benefit += y->benefit;
    if (y->need_after_prevention > 0 && isfinite(y->coverage)) {
        if (x->coverage_n == 0 || y->coverage < x->lowest_coverage)
            x->lowest_coverage = y->coverage;
        x->coverage_sum += y->coverage;
        x->coverage_n++;
    }
}

void ao_sheet_tally_merge(ao_sheet_tally *into, const ao_sheet_tally *x)
{
    into->spend += x->spend;
    into->specialised += x->specialised;
    into->activity += x->activity;
    into->benefit += x->benefit;
    if (x->coverage_n > 0 && (into->coverage_n == 0 || x->lowest_coverage < into->lowest_coverage))
        into->lowest_coverage = x->lowest_coverage;
    into->coverage_sum += x->coverage_sum;
    into->coverage_n += x->coverage_n;
}

double ao_sheet_tally_share(const ao_sheet_tally *x)
{
    return x->spend > 0 ? x->specialised / x->spend : NAN;
}

double ao_sheet_tally_coverage(const ao_sheet_tally *x)
{
    return x->coverage_n > 0 ? x->coverage_sum / (double)x->coverage_n : NAN;
}

double ao_sheet_tally_lowest(const ao_sheet_tally *x)
{
    return x->coverage_n > 0 ? x->lowest_coverage : NAN;
}

const char *ao_sheet_status_words(ao_solve_status status)
{
    switch (status) {
    case AO_STATUS_OPTIMAL:
        return "Optimal plan found";
    case AO_STATUS_INFEASIBLE:
        return "No feasible plan";
    case AO_STATUS_UNBOUNDED:
        return "No limit on the objective";
    case AO_STATUS_NOT_SOLVED:
    default:
        return "Not solved";
    }
}

const char *ao_sheet_status_explanation(ao_solve_status status)
{
    switch (status) {
    case AO_STATUS_OPTIMAL:
        return "The plan meets every budget, standard and limit, and no other plan that does "
               "scores better.";
    case AO_STATUS_INFEASIBLE:
        return "No allocation meets every budget, standard and limit at once; the rows below "
               "say which limits conflict.";
    case AO_STATUS_UNBOUNDED:
        return "The inputs leave the objective without a limit; check budgets and need.";
    case AO_STATUS_NOT_SOLVED:
    default:
        return "The solver stopped before it found a plan.";
    }
}
