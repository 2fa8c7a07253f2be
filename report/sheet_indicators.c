/* The Indicators sheet: one block per risk (MODEL.md "Risk indicators"). */
#include "report/sheets.h"

#include <math.h>
#include <stdio.h>

typedef const char *(*name_of)(const ao_model *m, int k);

/* Columns col and col + 1: the id and the name of ICB, service or provider k. */
static void put_named(ao_sheet *sh, lxw_col_t col, const ao_model *m, name_of id, name_of name,
                      int k)
{
    ao_sheet_put_text(sh, col, id(m, k), NULL);
    ao_sheet_put_text(sh, col + 1, name(m, k), NULL);
}

/* Columns col, col + 1, ...: n numbers, each in its style. */
static void put_numbers(ao_sheet *sh, lxw_col_t col, const double *values,
                        const ao_cell_style *styles, size_t n)
{
    for (size_t j = 0; j < n; j++)
        ao_sheet_put_number(sh, (lxw_col_t)(col + j), values[j], styles[j]);
}

/* A line of an ICB's block: its id, its name, its region, the year, then numbers. */
static void icb_year_line(ao_sheet *sh, const ao_model *m, int i, int t, const double *values,
                          const ao_cell_style *styles, size_t n)
{
    ao_sheet_line_begin(sh);
    put_named(sh, 0, m, ao_sheet_icb_id, ao_sheet_icb_name, i);
    ao_sheet_put_text(sh, 2, ao_sheet_icb_region(m, i), NULL);
    ao_sheet_put_year(sh, 3, m, t);
    put_numbers(sh, 4, values, styles, n);
    ao_sheet_line_end(sh);
}

static void indicator_shares(ao_sheet *sh, const ao_model *m, const ao_plan *plan)
{
    static const char *const headers[] = {"icb",   "icb_name",          "region",
                                          "year",  "specialised_spend", "total_spend",
                                          "share", "baseline_share",    "change_from_baseline"};
    ao_sheet_block_begin(
        sh,
        "Revenue prioritisation: specialised share of each ICB's revenue spend against "
        "its baseline share (red: below the baseline)",
        headers, AO_COUNT_OF(headers));
    ao_sheet_table_flag(sh, AO_FLAG_BELOW_COLUMN, 6, 7, AO_SHARE_FLAG_TOLERANCE, sh->st->flag);
    static const ao_cell_style styles[] = {AO_CELL_MONEY, AO_CELL_MONEY, AO_CELL_SHARE,
                                           AO_CELL_SHARE, AO_CELL_SHARE};
    for (size_t k = 0; k < plan->n_shares && sh->err == AO_NO_ERROR; k++) {
        const ao_share_indicator *x = &plan->shares[k];
        const double values[] = {x->specialised_spend, x->total_spend, x->share, x->baseline_share,
                                 x->share - x->baseline_share};
        icb_year_line(sh, m, x->i, x->t, values, styles, AO_COUNT_OF(values));
    }
    ao_sheet_block_end(sh, plan->n_shares, "No revenue spend in this plan.");
}

static void indicator_capital(ao_sheet *sh, const ao_model *m, const ao_plan *plan)
{
    static const char *const headers[] = {"icb",
                                          "icb_name",
                                          "region",
                                          "year",
                                          "specialised_capital",
                                          "total_capital",
                                          "capital_budget",
                                          "specialised_share_of_capital"};
    ao_sheet_block_begin(
        sh,
        "Access to capital: capital spent on specialised services' capacity, by the ICB "
        "hosting the provider",
        headers, AO_COUNT_OF(headers));
    static const ao_cell_style styles[] = {AO_CELL_MONEY, AO_CELL_MONEY, AO_CELL_MONEY,
                                           AO_CELL_SHARE};
    for (size_t k = 0; k < plan->n_capital_shares && sh->err == AO_NO_ERROR; k++) {
        const ao_capital_indicator *x = &plan->capital_shares[k];
        const double values[] = {x->specialised_capital, x->total_capital, x->available_capital,
                                 x->total_capital > 0 ? x->share : NAN};
        icb_year_line(sh, m, x->i, x->t, values, styles, AO_COUNT_OF(values));
    }
    ao_sheet_block_end(sh, plan->n_capital_shares, "No capital in this plan.");
}

static void indicator_variation(ao_sheet *sh, const ao_model *m, const ao_plan *plan)
{
    static const char *const headers[] = {
        "service",       "service_name", "year",         "icbs_with_need",
        "mean_coverage", "min_coverage", "max_coverage", "cv"};
    char title[160];
    snprintf(title, sizeof title,
             "Geographic variation: how evenly each specialised service's coverage is spread "
             "across ICBs (red: coefficient of variation above %g)",
             AO_CV_FLAG);
    ao_sheet_block_begin(sh, title, headers, AO_COUNT_OF(headers));
    ao_sheet_table_flag(sh, AO_FLAG_ABOVE, 7, 0, AO_CV_FLAG, sh->st->flag);
    static const ao_cell_style styles[] = {AO_CELL_COUNT, AO_CELL_SHARE, AO_CELL_SHARE,
                                           AO_CELL_SHARE, AO_CELL_RATIO};
    for (size_t k = 0; k < plan->n_variation && sh->err == AO_NO_ERROR; k++) {
        const ao_variation_indicator *x = &plan->variation[k];
        const double values[] = {x->n_icbs, x->mean_coverage, x->min_coverage, x->max_coverage,
                                 x->cv};
        ao_sheet_line_begin(sh);
        put_named(sh, 0, m, ao_sheet_service_id, ao_sheet_service_name, x->s);
        ao_sheet_put_year(sh, 2, m, x->t);
        put_numbers(sh, 3, values, styles, AO_COUNT_OF(values));
        ao_sheet_line_end(sh);
    }
    ao_sheet_block_end(sh, plan->n_variation, "No specialised service has need in this plan.");
}

static void indicator_fragmentation(ao_sheet *sh, const ao_model *m, const ao_plan *plan)
{
    static const char *const headers[] = {"provider",    "provider_name", "host_icb",
                                          "host_region", "year",          "icbs_commissioning"};
    ao_sheet_block_begin(sh, "Fragmentation: how many ICBs commission from each provider", headers,
                         AO_COUNT_OF(headers));
    ao_sheet_table_flag(sh, AO_FLAG_DATA_BAR, 5, 0, 0.0, NULL);
    for (size_t k = 0; k < plan->n_fragmentation && sh->err == AO_NO_ERROR; k++) {
        const ao_fragmentation_indicator *x = &plan->fragmentation[k];
        int host = x->p >= 0 && x->p < m->n_providers ? m->providers[x->p].host : -1;
        ao_sheet_line_begin(sh);
        put_named(sh, 0, m, ao_sheet_provider_id, ao_sheet_provider_name, x->p);
        ao_sheet_put_text(sh, 2, ao_sheet_icb_id(m, host), NULL);
        ao_sheet_put_text(sh, 3, host >= 0 ? ao_sheet_icb_region(m, host) : NULL, NULL);
        if (x->t >= 0)
            ao_sheet_put_year(sh, 4, m, x->t);
        else
            ao_sheet_put_text(sh, 4, "whole plan", NULL);
        ao_sheet_put_number(sh, 5, x->n_icbs, AO_CELL_COUNT);
        ao_sheet_line_end(sh);
    }
    ao_sheet_block_end(sh, plan->n_fragmentation, "No providers in this plan.");
}

static void indicator_volumes(ao_sheet *sh, const ao_model *m, const ao_plan *plan)
{
    static const char *const headers[] = {"provider", "provider_name", "centre_of_excellence",
                                          "service",  "service_name",  "year",
                                          "volume",   "min_volume",    "margin"};
    ao_sheet_block_begin(
        sh,
        "Centres of excellence: volume against the minimum viable volume (red: below "
        "the minimum)",
        headers, AO_COUNT_OF(headers));
    ao_sheet_table_flag(sh, AO_FLAG_BELOW, 8, 0, AO_MARGIN_FLAG, sh->st->flag);
    for (size_t k = 0; k < plan->n_volumes && sh->err == AO_NO_ERROR; k++) {
        const ao_volume_indicator *x = &plan->volumes[k];
        const ao_capacity *cap = ao_sheet_capacity_row(m, x->k);
        if (cap == NULL)
            continue;
        int p = cap->provider;
        ao_sheet_line_begin(sh);
        put_named(sh, 0, m, ao_sheet_provider_id, ao_sheet_provider_name, p);
        ao_sheet_put_yes_no(sh, 2,
                            p >= 0 && p < m->n_providers && m->providers[p].centre_of_excellence);
        put_named(sh, 3, m, ao_sheet_service_id, ao_sheet_service_name, cap->service);
        ao_sheet_put_year(sh, 5, m, x->t);
        const double values[] = {x->volume, x->min_volume, x->margin};
        static const ao_cell_style styles[] = {AO_CELL_ACTIVITY, AO_CELL_ACTIVITY,
                                               AO_CELL_ACTIVITY};
        put_numbers(sh, 6, values, styles, AO_COUNT_OF(values));
        ao_sheet_line_end(sh);
    }
    ao_sheet_block_end(sh, plan->n_volumes, "No provider has a minimum viable volume.");
}

static void indicator_prevention(ao_sheet *sh, const ao_model *m, const ao_plan *plan)
{
    static const char *const headers[] = {"prevention_service", "prevention_service_name",
                                          "target_service",     "target_service_name",
                                          "year_bought",        "activity",
                                          "need_avoided",       "year_need_avoided"};
    ao_sheet_block_begin(sh,
                         "Pathways and prevention: prevention bought and the need it avoids later",
                         headers, AO_COUNT_OF(headers));
    for (size_t k = 0; k < plan->n_prevention && sh->err == AO_NO_ERROR; k++) {
        const ao_prevention_indicator *x = &plan->prevention[k];
        if (x->link < 0 || x->link >= m->n_links)
            continue;
        const ao_prevention *link = &m->links[x->link];
        ao_sheet_line_begin(sh);
        put_named(sh, 0, m, ao_sheet_service_id, ao_sheet_service_name, link->source);
        put_named(sh, 2, m, ao_sheet_service_id, ao_sheet_service_name, link->target);
        ao_sheet_put_year(sh, 4, m, x->t);
        ao_sheet_put_number(sh, 5, x->activity, AO_CELL_ACTIVITY);
        ao_sheet_put_number(sh, 6, x->need_avoided, AO_CELL_ACTIVITY);
        ao_sheet_put_year(sh, 7, m, x->lands_in);
        ao_sheet_line_end(sh);
    }
    ao_sheet_block_end(sh, plan->n_prevention, "No prevention links in this plan.");
}

static void indicator_contracts(ao_sheet *sh, const ao_model *m, const ao_plan *plan)
{
    static const char *const headers[] = {"icb", "icb_name", "region", "providers_used",
                                          "max_providers"};
    ao_sheet_block_begin(sh,
                         "Contracts: how many providers each ICB commissions from over the plan",
                         headers, AO_COUNT_OF(headers));
    for (size_t k = 0; k < plan->n_contracts && sh->err == AO_NO_ERROR; k++) {
        const ao_contract_indicator *x = &plan->contracts[k];
        ao_sheet_line_begin(sh);
        put_named(sh, 0, m, ao_sheet_icb_id, ao_sheet_icb_name, x->i);
        ao_sheet_put_text(sh, 2, ao_sheet_icb_region(m, x->i), NULL);
        ao_sheet_put_number(sh, 3, x->n_providers, AO_CELL_COUNT);
        ao_sheet_put_number(sh, 4, x->max_providers,
                            AO_CELL_COUNT); /* blank when there is no limit */
        ao_sheet_line_end(sh);
    }
    ao_sheet_block_end(sh, plan->n_contracts, "No ICBs in this plan.");
}

static void indicator_collaboratives(ao_sheet *sh, const ao_model *m, const ao_plan *plan)
{
    static const char *const headers[] = {
        "collaborative", "collaborative_name", "lead_provider",      "year",
        "spend",         "pooled_budget",      "activity_at_members"};
    ao_sheet_block_begin(sh, "Provider collaboratives: spend of their ICBs on their services",
                         headers, AO_COUNT_OF(headers));
    for (size_t k = 0; k < plan->n_collaborative_flows && sh->err == AO_NO_ERROR; k++) {
        const ao_collaborative_indicator *x = &plan->collaborative_flows[k];
        if (x->c < 0 || x->c >= m->n_collaboratives)
            continue;
        const ao_collaborative *c = &m->collaboratives[x->c];
        ao_sheet_line_begin(sh);
        ao_sheet_put_text(sh, 0, c->id, NULL);
        ao_sheet_put_text(sh, 1, c->name, NULL);
        ao_sheet_put_text(sh, 2, ao_sheet_provider_id(m, c->lead), NULL);
        ao_sheet_put_year(sh, 3, m, x->t);
        ao_sheet_put_number(sh, 4, x->spend, AO_CELL_MONEY);
        ao_sheet_put_number(sh, 5, x->budget,
                            AO_CELL_MONEY); /* blank when there is no pooled budget */
        ao_sheet_put_number(sh, 6, x->member_activity, AO_CELL_ACTIVITY);
        ao_sheet_line_end(sh);
    }
    ao_sheet_block_end(sh, plan->n_collaborative_flows, "No provider collaboratives in this plan.");
}

/* Resourcing priority by arrangement: how the specialised services each arrangement holds
 * fare against their baseline, year by year (only arrangements holding some service). */
static void indicator_arrangements(ao_sheet *sh, const ao_model *m, const ao_plan *plan)
{
    static const char *const headers[] = {
        "year",  "arrangement",    "services",          "icb_service_pairs",
        "spend", "baseline_spend", "spend_vs_baseline", "activity",
        "need",  "coverage"};
    ao_sheet_block_begin(sh,
                         "Resourcing priority by arrangement: specialised services under each "
                         "arrangement against their baseline spend (red: below the baseline)",
                         headers, AO_COUNT_OF(headers));
    ao_sheet_table_flag(sh, AO_FLAG_BELOW, 6, 0, -AO_SHARE_FLAG_TOLERANCE, sh->st->flag);
    size_t shown = 0;
    for (size_t k = 0; k < plan->n_arrangement_mix && sh->err == AO_NO_ERROR; k++) {
        const ao_arrangement_indicator *x = &plan->arrangement_mix[k];
        if (x->n_pairs == 0)
            continue;
        shown++;
        ao_sheet_line_begin(sh);
        ao_sheet_put_year(sh, 0, m, x->t);
        ao_sheet_put_text(sh, 1, ao_arrangement_name(x->arrangement), NULL);
        ao_sheet_put_number(sh, 2, x->n_services, AO_CELL_COUNT);
        ao_sheet_put_number(sh, 3, x->n_pairs, AO_CELL_COUNT);
        ao_sheet_put_number(sh, 4, x->spend, AO_CELL_MONEY);
        ao_sheet_put_number(sh, 5, x->baseline_spend, AO_CELL_MONEY);
        ao_sheet_put_number(sh, 6, x->baseline_spend > 0 ? x->spend / x->baseline_spend - 1.0 : NAN,
                            AO_CELL_SHARE);
        ao_sheet_put_number(sh, 7, x->activity, AO_CELL_ACTIVITY);
        ao_sheet_put_number(sh, 8, x->need, AO_CELL_ACTIVITY);
        ao_sheet_put_number(sh, 9, x->coverage, AO_CELL_SHARE);
        ao_sheet_line_end(sh);
    }
    ao_sheet_block_end(sh, shown, "No specialised services in this plan.");
}

/* Innovation: each centre of excellence's specialised work against today's plan and its
 * minimum viable volumes (the seed's fourth monitoring area). */
static void indicator_innovation(ao_sheet *sh, const ao_model *m, const ao_plan *plan)
{
    static const char *const headers[] = {"provider",   "provider_name",  "year",        "activity",
                                          "spend",      "today_activity", "today_spend", "change",
                                          "min_volume", "volume_margin"};
    ao_sheet_block_begin(sh,
                         "Innovation: specialised activity and spend at each centre of "
                         "excellence against today's plan and its minimum viable volumes (red: "
                         "below the minimum)",
                         headers, AO_COUNT_OF(headers));
    ao_sheet_table_flag(sh, AO_FLAG_BELOW, 9, 0, AO_MARGIN_FLAG, sh->st->flag);
    for (size_t k = 0; k < plan->n_innovation && sh->err == AO_NO_ERROR; k++) {
        const ao_innovation_indicator *x = &plan->innovation[k];
        ao_sheet_line_begin(sh);
        put_named(sh, 0, m, ao_sheet_provider_id, ao_sheet_provider_name, x->p);
        ao_sheet_put_year(sh, 2, m, x->t);
        const double values[] = {x->activity, x->spend, x->today_activity, x->today_spend,
                                 x->activity - x->today_activity};
        static const ao_cell_style styles[] = {AO_CELL_ACTIVITY, AO_CELL_MONEY, AO_CELL_ACTIVITY,
                                               AO_CELL_MONEY, AO_CELL_ACTIVITY};
        put_numbers(sh, 3, values, styles, AO_COUNT_OF(values));
        ao_sheet_put_number(sh, 8, x->min_volume, AO_CELL_ACTIVITY); /* blank when none */
        ao_sheet_put_number(sh, 9, x->activity - x->min_volume, AO_CELL_ACTIVITY);
        ao_sheet_line_end(sh);
    }
    ao_sheet_block_end(sh, plan->n_innovation, "No provider is flagged as a centre of excellence.");
}

ao_error ao_sheet_indicators(ao_book_context *ctx, const char *name)
{
    const ao_model *m = ctx->model;
    const ao_plan *plan = ctx->plan;
    ao_sheet sh;
    ao_sheet_begin(&sh, ctx->book, ctx->st, name);
    ao_sheet_put_title(&sh,
                       "Risk indicators of the plan, one block per risk; cells in red flag a risk");
    indicator_shares(&sh, m, plan);
    indicator_capital(&sh, m, plan);
    indicator_variation(&sh, m, plan);
    indicator_fragmentation(&sh, m, plan);
    indicator_volumes(&sh, m, plan);
    indicator_prevention(&sh, m, plan);
    indicator_contracts(&sh, m, plan);
    indicator_collaboratives(&sh, m, plan);
    indicator_arrangements(&sh, m, plan);
    indicator_innovation(&sh, m, plan);
    return ao_sheet_end(&sh);
}
