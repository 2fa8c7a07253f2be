/* What the sheets share (report/sheets.h): names beside ids, the words for a status. */
#include "report/sheets.h"

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
