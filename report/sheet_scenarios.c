/* The Scenarios sheet: every case's headline figures beside their difference from the
 * baseline. */
#include "report/sheets.h"
#include "report/words.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* A difference from the baseline this small relative to the figures is solver noise. */
#define AO_DIFFERENCE_NOISE 1e-9

/** Figures compared across cases: the headline totals, then each risk's headline. */
enum {
    FIGURE_OBJECTIVE = 0,
    FIGURE_REVENUE,
    FIGURE_CAPITAL,
    FIGURE_SHARE,
    FIGURE_SHARE_GAP, ///< Lowest ICB specialised share minus its baseline share, any year.
    FIGURE_CV,        ///< Highest coefficient of variation of coverage, any service and year.
    FIGURE_MOST_ICBS, ///< Most ICBs commissioning from one provider.
    FIGURE_MARGIN,    ///< Smallest volume above a minimum viable volume, any year.
    FIGURE_AVOIDED,   ///< Need avoided by prevention bought over the plan.
    FIGURES
};

static const struct {
    const char *header;   ///< Column header; its difference is "<header>_difference".
    ao_cell_style style;  ///< Style of the figure (the objective's depends on its kind).
    ao_cell_style change; ///< Style of its difference from the baseline.
} figures[FIGURES] = {
    [FIGURE_OBJECTIVE] = {"objective", AO_CELL_BENEFIT, AO_CELL_BENEFIT_CHANGE},
    [FIGURE_REVENUE] = {"total_revenue_spend", AO_CELL_MONEY, AO_CELL_MONEY_CHANGE},
    [FIGURE_CAPITAL] = {"total_capital_spend", AO_CELL_MONEY, AO_CELL_MONEY_CHANGE},
    [FIGURE_SHARE] = {"specialised_share", AO_CELL_SHARE, AO_CELL_SHARE_CHANGE},
    [FIGURE_SHARE_GAP] = {"lowest_icb_share_vs_baseline", AO_CELL_SHARE, AO_CELL_SHARE_CHANGE},
    [FIGURE_CV] = {"highest_coverage_cv", AO_CELL_RATIO, AO_CELL_RATIO_CHANGE},
    [FIGURE_MOST_ICBS] = {"most_icbs_per_provider", AO_CELL_COUNT, AO_CELL_COUNT_CHANGE},
    [FIGURE_MARGIN] = {"smallest_volume_margin", AO_CELL_ACTIVITY, AO_CELL_ACTIVITY_CHANGE},
    [FIGURE_AVOIDED] = {"need_avoided", AO_CELL_ACTIVITY, AO_CELL_ACTIVITY_CHANGE},
};

/* A case's figures; NaN where the plan has none (not optimal, or no such indicator). */
static void case_figures(const ao_plan *p, double out[FIGURES])
{
    for (int f = 0; f < FIGURES; f++)
        out[f] = NAN;
    if (p == NULL || p->status != AO_STATUS_OPTIMAL)
        return;
    out[FIGURE_OBJECTIVE] = p->objective;
    out[FIGURE_REVENUE] = p->total_revenue_spend;
    out[FIGURE_CAPITAL] = p->total_capital_spend;
    out[FIGURE_SHARE] = p->specialised_share;
    for (size_t k = 0; k < p->n_shares; k++) {
        double gap = p->shares[k].share - p->shares[k].baseline_share;
        if (isfinite(gap) && !(gap >= out[FIGURE_SHARE_GAP]))
            out[FIGURE_SHARE_GAP] = gap;
    }
    for (size_t k = 0; k < p->n_variation; k++)
        if (isfinite(p->variation[k].cv) && !(p->variation[k].cv <= out[FIGURE_CV]))
            out[FIGURE_CV] = p->variation[k].cv;
    for (size_t k = 0; k < p->n_fragmentation; k++)
        if (!(p->fragmentation[k].n_icbs <= out[FIGURE_MOST_ICBS]))
            out[FIGURE_MOST_ICBS] = p->fragmentation[k].n_icbs;
    for (size_t k = 0; k < p->n_volumes; k++)
        if (isfinite(p->volumes[k].margin) && !(p->volumes[k].margin >= out[FIGURE_MARGIN]))
            out[FIGURE_MARGIN] = p->volumes[k].margin;
    if (p->n_prevention > 0) {
        out[FIGURE_AVOIDED] = 0.0;
        for (size_t k = 0; k < p->n_prevention; k++)
            if (isfinite(p->prevention[k].need_avoided))
                out[FIGURE_AVOIDED] += p->prevention[k].need_avoided;
    }
}

/* Why a case has no plan, in one cell: the limit that must move most (the diagnosis puts it
 * first), and how many more must move. */
static void put_reason(ao_sheet *sh, lxw_col_t col, const ao_plan *p)
{
    char text[512];
    if (p->n_diagnosis > 0) {
        const ao_diagnosis_line *first = &p->diagnosis[0];
        int n = snprintf(text, sizeof text, "%s: %s", first->description ? first->description : "",
                         first->sentence ? first->sentence : "");
        if (p->n_diagnosis > 1 && n > 0 && (size_t)n < sizeof text)
            snprintf(text + n, sizeof text - (size_t)n, " (and %zu more limit%s)",
                     p->n_diagnosis - 1, p->n_diagnosis > 2 ? "s" : "");
    } else if (p->infeasibility != NULL) {
        /* The first line of the explanation. */
        size_t len = strcspn(p->infeasibility, "\n");
        snprintf(text, sizeof text, "%.*s", (int)(len < 500 ? len : 500), p->infeasibility);
    } else {
        snprintf(text, sizeof text, "the solver ended with status %s",
                 ao_plan_status_name(p->status));
    }
    ao_sheet_put_text(sh, col, text, NULL);
}

/* value − base; NaN when either is missing, zero when within solver noise of them. */
static double difference(double value, double base)
{
    if (!isfinite(value) || !isfinite(base))
        return NAN;
    double d = value - base;
    return fabs(d) <= AO_DIFFERENCE_NOISE * fmax(fabs(value), fabs(base)) ? 0.0 : d;
}

ao_error ao_sheet_scenarios(ao_book_context *ctx, const char *name)
{
    const ao_results *results = ctx->results;
    const ao_case *base_case = &results->cases[0];
    const char *base_name = base_case->name ? base_case->name : "baseline";
    const ao_model *base_model = base_case->model;
    int base_cost = base_model->settings.objective == AO_OBJECTIVE_COST;
    double base[FIGURES];
    case_figures(base_case->plan, base);

    /* scenario, status, then each figure beside its difference, then arrangement and, for a
     * case with no plan, its funding gap. */
    enum { FIRST_FIGURE_COL = 2, N_COLS = FIRST_FIGURE_COL + 2 * FIGURES + 3 };
    char difference_headers[FIGURES][64];
    const char *headers[N_COLS];
    headers[0] = "scenario";
    headers[1] = "status";
    for (int f = 0; f < FIGURES; f++) {
        snprintf(difference_headers[f], sizeof difference_headers[f], "%s_difference",
                 figures[f].header);
        headers[FIRST_FIGURE_COL + 2 * f] = figures[f].header;
        headers[FIRST_FIGURE_COL + 2 * f + 1] = difference_headers[f];
    }
    headers[N_COLS - 3] = "arrangement";
    headers[N_COLS - 2] = "funding_gap";
    headers[N_COLS - 1] = "why_no_plan";
#define AO_FIGURE_COL(f) ((lxw_col_t)(FIRST_FIGURE_COL + 2 * (f)))

    ao_sheet sh;
    ao_sheet_begin(&sh, ctx->book, ctx->st, name);
    ao_sheet_table_begin(&sh, headers, AO_COUNT_OF(headers), AO_TABLE_FREEZE | AO_TABLE_FILTER);
    /* The same flags as the Indicators sheet. */
    ao_sheet_table_flag(&sh, AO_FLAG_BELOW, AO_FIGURE_COL(FIGURE_SHARE_GAP), 0,
                        -AO_SHARE_FLAG_TOLERANCE, ctx->st->flag);
    ao_sheet_table_flag(&sh, AO_FLAG_ABOVE, AO_FIGURE_COL(FIGURE_CV), 0, AO_CV_FLAG, ctx->st->flag);
    ao_sheet_table_flag(&sh, AO_FLAG_BELOW, AO_FIGURE_COL(FIGURE_MARGIN), 0, AO_MARGIN_FLAG,
                        ctx->st->flag);
    for (size_t k = 0; k < results->n_cases && sh.err == AO_NO_ERROR; k++) {
        const ao_case *c = &results->cases[k];
        const ao_plan *p = c->plan;
        const ao_model *m = c->model ? c->model : base_model;
        int cost = m->settings.objective == AO_OBJECTIVE_COST;
        double value[FIGURES];
        case_figures(p, value);
        ao_sheet_line_begin(&sh);
        ao_sheet_put_text(&sh, 0, c->name, NULL);
        ao_sheet_put_text(&sh, 1, ao_sheet_status_words(p ? p->status : AO_STATUS_NOT_SOLVED),
                          NULL);
        for (int f = 0; f < FIGURES; f++) {
            ao_cell_style style = figures[f].style, change = figures[f].change;
            double d = difference(value[f], base[f]);
            if (f == FIGURE_OBJECTIVE) {
                style = cost ? AO_CELL_MONEY : AO_CELL_BENEFIT;
                change = cost ? AO_CELL_MONEY_CHANGE : AO_CELL_BENEFIT_CHANGE;
                /* A cost and a benefit do not subtract. */
                if (cost != base_cost)
                    d = NAN;
            }
            ao_sheet_put_number(&sh, AO_FIGURE_COL(f), value[f], style);
            ao_sheet_put_number(&sh, AO_FIGURE_COL(f) + 1, d, change);
        }
        if (p != NULL)
            ao_sheet_put_text(&sh, N_COLS - 3, ao_arrangement_name(p->arrangement), NULL);
        if (p != NULL && p->has_funding_gap && isnan(p->funding_gap))
            ao_sheet_put_text(&sh, N_COLS - 2, AO_WORDS_MONEY_CANNOT, NULL);
        else if (p != NULL && p->has_funding_gap)
            ao_sheet_put_number(&sh, N_COLS - 2, p->funding_gap, AO_CELL_MONEY);
        if (p != NULL && p->status != AO_STATUS_OPTIMAL)
            put_reason(&sh, N_COLS - 1, p);
        ao_sheet_line_end(&sh);
    }
#undef AO_FIGURE_COL
    ao_sheet_table_end(&sh);

    ao_sheet_blank_line(&sh);
    char note[256];
    snprintf(note, sizeof note,
             "Each _difference column is the case minus %s; it is blank when either has no "
             "plan or no such figure.",
             base_name);
    ao_sheet_put_note(&sh, note);
    ao_sheet_put_note(
        &sh, "lowest_icb_share_vs_baseline: the lowest specialised share of an ICB's revenue "
             "spend minus that ICB's baseline share, in any year (red: below the baseline).");
    snprintf(note, sizeof note,
             "highest_coverage_cv: the highest coefficient of variation of a specialised "
             "service's coverage across ICBs, in any year (red: above %g).",
             AO_CV_FLAG);
    ao_sheet_put_note(&sh, note);
    ao_sheet_put_note(
        &sh, "most_icbs_per_provider: the most ICBs commissioning from one provider over the "
             "plan.");
    ao_sheet_put_note(
        &sh, "smallest_volume_margin: the smallest volume above a provider's minimum viable "
             "volume, in any year (red: below the minimum).");
    ao_sheet_put_note(&sh,
                      "need_avoided: need avoided by the prevention bought over the plan, in the "
                      "units of the services it avoids, summed.");
    ao_sheet_put_note(&sh, "funding_gap: for a case with no feasible plan, the least extra revenue "
                           "(£, over all ICBs and years) that would make one possible.");
    ao_sheet_put_note(&sh,
                      "why_no_plan: for a case with no feasible plan, the limit that must move "
                      "most, and how many others must move too (the JSON summary lists "
                      "them all).");
    return ao_sheet_end(&sh);
}
