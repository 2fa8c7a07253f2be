/* The Diagnosis sheet (when the baseline has no feasible plan): the limits that would
 * have to move, and how far. */
#include "report/sheets.h"

ao_error ao_sheet_diagnosis(ao_book_context *ctx, const char *name)
{
    const ao_plan *plan = ctx->plan;
    ao_sheet sh;
    ao_sheet_begin(&sh, ctx->book, ctx->st, name);
    ao_sheet_put_title(
        &sh, "No plan meets every limit at once. Together, the changes below are the "
             "smallest that would make a plan possible: each row is a limit and how far it "
             "would have to move (largest change relative to the limit first).");
    if (plan->suspect_budgets > 0 && plan->infeasibility != NULL) {
        /* The budgets validation flagged, named first (the text's first line). */
        char first[1024];
        snprintf(first, sizeof first, "%.*s", (int)strcspn(plan->infeasibility, "\n"),
                 plan->infeasibility);
        ao_sheet_put_note(&sh, first);
    }
    static const char *const headers[] = {"group",           "limit",     "as_given",
                                          "change_needed",   "direction", "limit_for_a_plan",
                                          "what_must_change"};
    ao_sheet_table_begin(&sh, headers, AO_COUNT_OF(headers), AO_TABLE_FREEZE | AO_TABLE_FILTER);
    for (size_t k = 0; k < plan->n_diagnosis && sh.err == AO_NO_ERROR; k++) {
        const ao_diagnosis_line *d = &plan->diagnosis[k];
        ao_cell_style style = d->money ? AO_CELL_MONEY : AO_CELL_ACTIVITY;
        ao_sheet_line_begin(&sh);
        ao_sheet_put_text(&sh, 0, d->group, NULL);
        ao_sheet_put_text(&sh, 1, d->description, NULL);
        ao_sheet_put_number(&sh, 2, d->limit, style);
        ao_sheet_put_number(&sh, 3, d->change, style);
        ao_sheet_put_text(&sh, 4, d->lower ? "lower the minimum" : "raise the maximum", NULL);
        ao_sheet_put_number(&sh, 5, d->lower ? d->limit - d->change : d->limit + d->change, style);
        ao_sheet_put_text_raw(&sh, 6, d->sentence, NULL, 0);
        ao_sheet_line_end(&sh);
    }
    ao_sheet_table_end(&sh);
    if (plan->n_diagnosis == 0)
        ao_sheet_put_note(&sh,
                          "The limits that conflict could not be narrowed down: the Summary sheet "
                          "says what is known.");
    return ao_sheet_end(&sh);
}
