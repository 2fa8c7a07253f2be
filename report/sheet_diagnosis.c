/* The Diagnosis sheet (when the baseline has no feasible plan): the limits that would
 * have to move, and how far; and the funding gap (MODEL.md rule 18): the least extra
 * revenue that would make a plan possible, by ICB and year. */
#include "report/sheets.h"

#include <math.h>

#include "report/words.h"

/* Extra revenue below half a pound is the solver's rounding, not money to find. */
#define AO_GAP_NOISE 0.5

/* The funding gap by ICB and year, and its total. */
static void funding_gap_by_icb(ao_sheet *sh, const ao_model *m, const ao_plan *plan)
{
    int years = m->settings.years > 0 ? m->settings.years : 0;
    static const char *const headers[] = {"icb", "icb_name", "region", "year", "extra_revenue"};
    ao_sheet_block_begin(sh,
                         "Funding gap: the extra revenue, by ICB and year, that would make "
                         "a plan possible (£)",
                         headers, AO_COUNT_OF(headers));
    size_t rows = 0;
    double total = 0.0;
    for (int i = 0; i < m->n_icbs && sh->err == AO_NO_ERROR; i++)
        for (int t = 0; t < years; t++) {
            double extra = plan->funding_gap_by[(size_t)i * (size_t)years + (size_t)t];
            if (!(extra > AO_GAP_NOISE))
                continue;
            ao_sheet_line_begin(sh);
            ao_sheet_put_text(sh, 0, ao_sheet_icb_id(m, i), NULL);
            ao_sheet_put_text(sh, 1, ao_sheet_icb_name(m, i), NULL);
            ao_sheet_put_text(sh, 2, ao_sheet_icb_region(m, i), NULL);
            ao_sheet_put_year(sh, 3, m, t);
            ao_sheet_put_number(sh, 4, extra, AO_CELL_MONEY);
            ao_sheet_line_end(sh);
            total += extra;
            rows++;
        }
    if (rows > 0) {
        ao_sheet_line_begin(sh);
        ao_sheet_put_text(sh, 0, "Total", sh->st->label);
        ao_sheet_put_number(sh, 4, total, AO_CELL_MONEY);
        ao_sheet_line_end(sh);
    }
    ao_sheet_block_end(sh, rows, "No ICB needs more revenue.");
    ao_sheet_put_note(sh, "The funding gap changes budgets only: each ICB's revenue (and its "
                          "specialised allocation in proportion) grows by the amount shown. The "
                          "table above moves whichever limits move least for their size.");
}

ao_error ao_sheet_diagnosis(ao_book_context *ctx, const char *name)
{
    const ao_plan *plan = ctx->plan;
    ao_sheet sh;
    ao_sheet_begin(&sh, ctx->book, ctx->st, name);
    ao_sheet_put_title(
        &sh, "No plan meets every limit at once. Together, the changes below are the "
             "smallest that would make a plan possible: each row is a limit and how far it "
             "would have to move (largest change relative to the limit first).");
    char sentence[AO_WORDS_SENTENCE];
    if (ao_words_funding_gap(plan, sentence, sizeof sentence)) {
        ao_sheet_line_begin(&sh);
        ao_sheet_put_text_raw(&sh, 0, sentence, ctx->st->label, 0);
        ao_sheet_line_end(&sh);
    }
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
    if (plan->has_funding_gap && !isnan(plan->funding_gap) && plan->funding_gap_by != NULL)
        funding_gap_by_icb(&sh, ctx->model, plan);
    return ao_sheet_end(&sh);
}
