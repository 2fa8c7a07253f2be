/* The Budgets sheet: every budget pool and year, with its shadow price and region, a
 * note below the table saying what the price means, and the pools added up by region. */
#include "report/sheets.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/index.h"

/* Kinds of budget pool (ao_budget_kind), for the regional subtotals. */
#define AO_BUDGET_KINDS (AO_BUDGET_COLLABORATIVE + 1)

/** The pools of one region, year and kind, added up. */
typedef struct region_total {
    double available, used, headroom;
    int pools;
} region_total;

/* The pools that lie in one region, added up by region, year and kind; a pool across
 * regions (England, a joint committee or collaborative spanning regions) is in none. */
static void budgets_by_region(ao_sheet *sh, const ao_model *m, const ao_plan *plan)
{
    int years = m->settings.years > 0 ? m->settings.years : 0;
    size_t slots = (size_t)(m->n_regions + 1) * (size_t)years * AO_BUDGET_KINDS;
    region_total *totals = calloc(slots + 1, sizeof *totals);
    if (totals == NULL) {
        sh->err = AO_ERROR_MEMORY_MALLOC_FAILED;
        return;
    }
#define AO_SLOT(r, t, kind)                                                                        \
    ((((size_t)(r) * (size_t)years) + (size_t)(t)) * AO_BUDGET_KINDS + (kind))
    size_t outside = 0;
    for (size_t k = 0; k < plan->n_budgets; k++) {
        const ao_budget_line *b = &plan->budgets[k];
        int r = ao_sheet_pool_region(m, b->pool, b->kind == AO_BUDGET_COLLABORATIVE);
        if (b->t < 0 || b->t >= years || (int)b->kind < 0 || (int)b->kind >= AO_BUDGET_KINDS)
            continue;
        if (r < 0) {
            outside++;
            continue;
        }
        region_total *x = &totals[AO_SLOT(r, b->t, b->kind)];
        x->available += b->available;
        x->used += b->used;
        x->headroom += b->headroom;
        x->pools++;
    }
    /* The columns of the table above, so that its header, repeated on a printed page,
     * still names them. */
    static const char *const headers[] = {"region",    "year", "kind",
                                          "available", "used", "headroom"};
    ao_sheet_block_begin(sh, "Budgets by region: the pools of each region added up (£)", headers,
                         AO_COUNT_OF(headers));
    size_t rows = 0;
    for (int r = 0; r <= m->n_regions && sh->err == AO_NO_ERROR; r++)
        for (int t = 0; t < years; t++)
            for (int kind = 0; kind < AO_BUDGET_KINDS; kind++) {
                const region_total *x = &totals[AO_SLOT(r, t, kind)];
                if (x->pools == 0)
                    continue;
                ao_sheet_line_begin(sh);
                ao_sheet_put_text(sh, 0, ao_sheet_region_label(m, r), NULL);
                ao_sheet_put_year(sh, 1, m, t);
                ao_sheet_put_text(sh, 2, ao_budget_kind_name((ao_budget_kind)kind), NULL);
                ao_sheet_put_number(sh, 3, x->available, AO_CELL_MONEY);
                ao_sheet_put_number(sh, 4, x->used, AO_CELL_MONEY);
                ao_sheet_put_number(sh, 5, x->headroom, AO_CELL_MONEY);
                ao_sheet_line_end(sh);
                rows++;
            }
#undef AO_SLOT
    ao_sheet_block_end(sh, rows, "No budget pool lies within one region.");
    if (outside > 0)
        ao_sheet_put_note(sh, "Pools that span regions (England, a joint committee or a "
                              "collaborative across regions) are in no region's total.");
    free(totals);
}

/* A pool in words: an ICB's or a merged footprint's name, else the pool as named. */
static const char *pool_name(const ao_model *m, int i, const char *pool)
{
    if (i >= 0)
        return ao_sheet_icb_name(m, i);
    for (int f = 0; f < m->n_footprints; f++)
        if (m->footprints[f].id != NULL && pool != NULL && strcmp(m->footprints[f].id, pool) == 0)
            return m->footprints[f].name != NULL ? m->footprints[f].name : pool;
    return pool;
}

ao_error ao_sheet_budgets(ao_book_context *ctx, const char *name)
{
    const ao_model *m = ctx->model;
    const ao_plan *plan = ctx->plan;
    /* Pools are ICB ids, joint committees or England: look ICB names up by id. */
    ao_index icbs = {0};
    ao_error err = AO_NO_ERROR;
    for (int i = 0; i < m->n_icbs && err == AO_NO_ERROR; i++) {
        int existing;
        err = ao_index_put(&icbs, m->icbs[i].id, i, &existing);
    }
    if (err != AO_NO_ERROR) {
        ao_index_free(&icbs);
        return err;
    }

    ao_sheet sh;
    ao_sheet_begin(&sh, ctx->book, ctx->st, name);
    static const char *const headers[] = {"pool",
                                          "year",
                                          "kind",
                                          "available",
                                          "used",
                                          "headroom",
                                          "shadow_price",
                                          "binding",
                                          "pool_name",
                                          "region",
                                          "price_holds_from",
                                          "price_holds_to"};
    ao_sheet_table_begin(&sh, headers, AO_COUNT_OF(headers), AO_TABLE_FREEZE | AO_TABLE_FILTER);
    for (size_t k = 0; k < plan->n_budgets && sh.err == AO_NO_ERROR; k++) {
        const ao_budget_line *b = &plan->budgets[k];
        int i = ao_index_get(&icbs, b->pool);
        ao_sheet_line_begin(&sh);
        ao_sheet_put_text(&sh, 0, b->pool, NULL);
        ao_sheet_put_year(&sh, 1, m, b->t);
        ao_sheet_put_text(&sh, 2, ao_budget_kind_name(b->kind), NULL);
        ao_sheet_put_number(&sh, 3, b->available, AO_CELL_MONEY);
        ao_sheet_put_number(&sh, 4, b->used, AO_CELL_MONEY);
        ao_sheet_put_number(&sh, 5, b->headroom, AO_CELL_MONEY);
        /* One rule for the flag and the price: a budget binds when it is used up and
         * more of it would change the objective (the plan's flag). A budget that does
         * not bind has a price of 0 and no range, whatever the solver's dual. */
        int binding = b->binding != 0;
        ao_sheet_put_number(&sh, 6, binding ? b->shadow_price : 0.0, AO_CELL_PRICE);
        ao_sheet_put_yes_no(&sh, 7, binding);
        ao_sheet_put_text(&sh, 8, pool_name(m, i, b->pool), NULL);
        int r = ao_sheet_pool_region(m, b->pool, b->kind == AO_BUDGET_COLLABORATIVE);
        ao_sheet_put_text(&sh, 9, r >= 0 ? ao_sheet_region_label(m, r) : NULL, NULL);
        ao_sheet_put_number(&sh, 10, binding ? b->price_from : NAN, AO_CELL_MONEY);
        ao_sheet_put_number(&sh, 11, binding ? b->price_to : NAN, AO_CELL_MONEY);
        ao_sheet_line_end(&sh);
    }
    ao_index_free(&icbs);
    ao_sheet_table_end(&sh);

    char note[256];
    if (m->settings.objective == AO_OBJECTIVE_COST)
        snprintf(note, sizeof note,
                 "shadow_price: £ of objective per extra £1m of budget; 0 means the budget does "
                 "not bind.");
    else
        snprintf(note, sizeof note,
                 "shadow_price: %s of objective per extra £1m of budget; 0 means the budget does "
                 "not bind.",
                 m->settings.benefit_unit ? m->settings.benefit_unit : "benefit units");
    ao_sheet_blank_line(&sh);
    ao_sheet_put_note(&sh, note);
    /* Short lines: a note runs on over the columns to its right, and the page is
     * printed as wide as the longest. */
    static const char *const notes[] = {
        "binding: yes when the budget is used up and more of it would change the objective.",
        "A budget with headroom does not bind: its price is 0 and it has no price range.",
        "price_holds_from, price_holds_to: the budget (£) between which the price holds.",
        "A blank price_holds_to: the price holds however much the budget grows.",
        "A blank price_holds_from: the price holds however far the budget falls."};
    for (size_t k = 0; k < AO_COUNT_OF(notes); k++)
        ao_sheet_put_note(&sh, notes[k]);
    ao_sheet_put_note(&sh, "region: blank for a pool that spans regions (England, a joint "
                           "committee or collaborative across regions).");
    budgets_by_region(&sh, m, plan);
    return ao_sheet_end(&sh);
}
