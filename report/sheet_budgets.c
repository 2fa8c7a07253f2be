/* The Budgets sheet: every budget pool and year, with its shadow price, and a note
 * below the table saying what the price means. */
#include "report/sheets.h"

#include <math.h>
#include <stdio.h>

#include "common/index.h"

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
    static const char *const headers[] = {
        "pool",         "year",    "kind",      "available",        "used",          "headroom",
        "shadow_price", "binding", "pool_name", "price_holds_from", "price_holds_to"};
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
        ao_sheet_put_text(&sh, 8, i >= 0 ? ao_sheet_icb_name(m, i) : b->pool, NULL);
        ao_sheet_put_number(&sh, 9, binding ? b->price_from : NAN, AO_CELL_MONEY);
        ao_sheet_put_number(&sh, 10, binding ? b->price_to : NAN, AO_CELL_MONEY);
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
    return ao_sheet_end(&sh);
}
