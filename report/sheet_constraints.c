/* The Constraints sheet: every row of the LP, its slack and its dual. */
#include "report/sheets.h"

ao_error ao_sheet_constraints(ao_book_context *ctx, const char *name)
{
    const ao_plan *plan = ctx->plan;
    ao_sheet sh;
    ao_sheet_begin(&sh, ctx->book, ctx->st, name);
    static const char *const headers[] = {"group", "description", "activity", "lower",
                                          "upper", "slack",       "binding",  "dual"};
    ao_sheet_table_begin(&sh, headers, AO_COUNT_OF(headers), AO_TABLE_FREEZE | AO_TABLE_FILTER);
    for (size_t k = 0; k < plan->n_constraints && sh.err == AO_NO_ERROR; k++) {
        const ao_constraint_line *c = &plan->constraints[k];
        ao_sheet_line_begin(&sh);
        ao_sheet_put_text(&sh, 0, c->group, NULL);
        ao_sheet_put_text(&sh, 1, c->description, NULL);
        ao_sheet_put_number(&sh, 2, c->activity, AO_CELL_VALUE);
        ao_sheet_put_number(&sh, 3, c->lower, AO_CELL_VALUE);
        ao_sheet_put_number(&sh, 4, c->upper, AO_CELL_VALUE);
        ao_sheet_put_number(&sh, 5, c->slack, AO_CELL_VALUE);
        ao_sheet_put_yes_no(&sh, 6, c->binding);
        ao_sheet_put_number(&sh, 7, c->dual, AO_CELL_GENERAL);
        ao_sheet_line_end(&sh);
    }
    return ao_sheet_end(&sh);
}
