/* The Budgets sheet: every budget pool and year, with its shadow price. */
#include "report/sheets.h"

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
        ao_sheet_put_number(&sh, 6, b->shadow_price, AO_CELL_PRICE);
        ao_sheet_put_yes_no(&sh, 7, b->binding);
        ao_sheet_put_text(&sh, 8, i >= 0 ? ao_sheet_icb_name(m, i) : b->pool, NULL);
        ao_sheet_put_number(&sh, 9, b->price_from, AO_CELL_MONEY);
        ao_sheet_put_number(&sh, 10, b->price_to, AO_CELL_MONEY);
        ao_sheet_line_end(&sh);
    }
    ao_index_free(&icbs);
    return ao_sheet_end(&sh);
}
