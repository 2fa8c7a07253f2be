/* The Capital sheet: capacity added, and capacity used. */
#include "report/sheets.h"

/* Expansion lines below this many units are solver noise, not capacity added. */
#define AO_UNITS_EPSILON 1e-9

ao_error ao_sheet_capital(ao_book_context *ctx, const char *name)
{
    const ao_model *m = ctx->model;
    const ao_plan *plan = ctx->plan;
    ao_sheet sh;
    ao_sheet_begin(&sh, ctx->book, ctx->st, name);
    static const char *const added[] = {"provider",      "provider_name",       "host_icb",
                                        "host_icb_name", "host_region",         "service",
                                        "service_name",  "year_paid",           "units_added",
                                        "capital_cost",  "first_year_available"};
    ao_sheet_table_begin(&sh, added, AO_COUNT_OF(added), AO_TABLE_FREEZE | AO_TABLE_FILTER);
    size_t n_added = 0;
    for (size_t e = 0; e < plan->n_expansions && sh.err == AO_NO_ERROR; e++) {
        const ao_expansion_line *line = &plan->expansions[e];
        const ao_capacity *cap = ao_sheet_capacity_row(m, line->k);
        if (cap == NULL || !(line->units > AO_UNITS_EPSILON))
            continue;
        int host = cap->provider >= 0 && cap->provider < m->n_providers
                       ? m->providers[cap->provider].host
                       : -1;
        ao_sheet_line_begin(&sh);
        ao_sheet_put_text(&sh, 0, ao_sheet_provider_id(m, cap->provider), NULL);
        ao_sheet_put_text(&sh, 1, ao_sheet_provider_name(m, cap->provider), NULL);
        ao_sheet_put_text(&sh, 2, ao_sheet_icb_id(m, host), NULL);
        ao_sheet_put_text(&sh, 3, ao_sheet_icb_name(m, host), NULL);
        ao_sheet_put_text(&sh, 4, host >= 0 ? ao_sheet_icb_region(m, host) : NULL, NULL);
        ao_sheet_put_text(&sh, 5, ao_sheet_service_id(m, cap->service), NULL);
        ao_sheet_put_text(&sh, 6, ao_sheet_service_name(m, cap->service), NULL);
        ao_sheet_put_year(&sh, 7, m, line->t);
        ao_sheet_put_number(&sh, 8, line->units, AO_CELL_ACTIVITY);
        ao_sheet_put_number(&sh, 9, line->cost, AO_CELL_MONEY);
        ao_sheet_put_year(&sh, 10, m, line->available_from);
        ao_sheet_line_end(&sh);
        n_added++;
    }
    ao_sheet_table_end(&sh);
    if (n_added == 0)
        ao_sheet_put_note(&sh, "No capacity is added in this plan.");

    ao_sheet_blank_line(&sh);
    ao_sheet_put_title(&sh,
                       "Capacity use: what each provider can deliver each year and what the plan "
                       "uses");
    static const char *const use[] = {"provider",     "provider_name", "service",
                                      "service_name", "year",          "available",
                                      "used",         "utilisation",   "min_volume"};
    ao_sheet_table_begin(&sh, use, AO_COUNT_OF(use), AO_TABLE_PLAIN);
    ao_sheet_table_flag(&sh, AO_FLAG_AT_LEAST, 7, 0, AO_FULL_FLAG, ctx->st->full);
    for (size_t u = 0; u < plan->n_capacity_use && sh.err == AO_NO_ERROR; u++) {
        const ao_capacity_use *c = &plan->capacity_use[u];
        const ao_capacity *cap = ao_sheet_capacity_row(m, c->k);
        if (cap == NULL)
            continue;
        ao_sheet_line_begin(&sh);
        ao_sheet_put_text(&sh, 0, ao_sheet_provider_id(m, cap->provider), NULL);
        ao_sheet_put_text(&sh, 1, ao_sheet_provider_name(m, cap->provider), NULL);
        ao_sheet_put_text(&sh, 2, ao_sheet_service_id(m, cap->service), NULL);
        ao_sheet_put_text(&sh, 3, ao_sheet_service_name(m, cap->service), NULL);
        ao_sheet_put_year(&sh, 4, m, c->t);
        ao_sheet_put_number(&sh, 5, c->available, AO_CELL_ACTIVITY);
        ao_sheet_put_number(&sh, 6, c->used, AO_CELL_ACTIVITY);
        ao_sheet_put_number(&sh, 7, c->available > 0 ? c->used / c->available : NAN, AO_CELL_SHARE);
        ao_sheet_put_number(&sh, 8, c->min_volume, AO_CELL_ACTIVITY);
        ao_sheet_line_end(&sh);
    }
    ao_sheet_table_end(&sh);
    if (plan->n_capacity_use == 0)
        ao_sheet_put_note(&sh, "No service has provider capacity rows.");
    return ao_sheet_end(&sh);
}
