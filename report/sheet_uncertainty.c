/* The Uncertainty sheet of a run with --samples, and of a merged study. */
#include "report/sheets.h"

#include <math.h>
#include <stdio.h>

#include "models/uncertainty.h"
#include "report/chart.h"
#include "report/words.h"

/* The histogram chart: to the right of the tables, from this column. */
#define AO_HISTOGRAM_CHART_COL 6
#define AO_HISTOGRAM_CHART_WIDTH 640

/* Bin label: "from to to", in the objective's unit, as the chart's categories. */
static void bin_label(double from, double to, int cost, char out[96])
{
    if (cost)
        snprintf(out, 96, "£%.0f to £%.0f", from, to);
    else
        snprintf(out, 96, "%.6g to %.6g", from, to);
}

/* What a breach is, the tolerance the study used and how to set it; what the overspend
 * columns hold. */
static void put_breach_notes(ao_sheet *sh, double tolerance)
{
    char text[512];
    if (tolerance > 0)
        snprintf(text, sizeof text,
                 "A breach: in some year, the baseline plan spends more of the ICB's revenue "
                 "(its priority revenue under joint or national commissioning) or capital than "
                 "the sample's budget, by more than the breach tolerance of %g%% of that budget "
                 "(allocopt run --breach-tolerance; 0 makes any overspend a breach). "
                 "Probability: share of the samples with valid input.",
                 100.0 * tolerance);
    else
        snprintf(text, sizeof text,
                 "A breach: in some year, the baseline plan spends more of the ICB's revenue "
                 "(its priority revenue under joint or national commissioning) or capital than "
                 "the sample's budget, by any amount (breach tolerance 0; allocopt run "
                 "--breach-tolerance 1%% counts only overspends above 1%% of a budget). "
                 "Probability: share of the samples with valid input.");
    ao_sheet_put_note(sh, text);
    ao_sheet_put_note(sh, "Overspend: the £ by which the baseline plan's use exceeds the "
                          "sample's budgets, summed over the ICB's revenue, priority and capital "
                          "budgets of every year, whatever the tolerance. P50 and P90 over the "
                          "samples with valid input, a sample without overspend counting as £0 "
                          "(PERCENTILE.INC); of budget: over baseline_budget, the ICB's budgets "
                          "over the plan as given.");
}

/*
 * The Uncertainty sheet. Everything on it follows from the study's records and its
 * settings (samples, seed): a merge of shards writes the same cells as one run. Which
 * shards were merged is said on the Summary instead.
 */
ao_error ao_sheet_uncertainty(ao_book_context *ctx, const char *name)
{
    const ao_study *study = ctx->study;
    lxw_workbook *book = ctx->book;
    ao_study_summary summary;
    AO_RETURN_ON_ERROR(ao_study_summarise(study, &summary));
    int cost = study->cost_objective;
    ao_cell_style objective_style = cost ? AO_CELL_MONEY : AO_CELL_BENEFIT;
    char text[256];

    ao_sheet sh;
    ao_sheet_begin(&sh, book, ctx->st, name);
    sh.cap[1] = AO_MAX_VALUE_WIDTH;
    ao_sheet_put_title(&sh, "Uncertainty: the plan solved again for inputs drawn at random, as the "
                            "uncertainty table describes");
    static const char *const item_headers[] = {"Item", "Value", "What it means"};
    ao_sheet_table_begin(&sh, item_headers, AO_COUNT_OF(item_headers), AO_TABLE_PLAIN);
    ao_sheet_table_end(&sh);
    ao_sheet_headline_number(&sh, "Samples", (double)study->n_samples, AO_CELL_COUNT,
                             "Inputs drawn; each is the input with the uncertainty table's cells "
                             "changed by random draws, solved like a scenario.");
    snprintf(text, sizeof text, "%llu", (unsigned long long)study->seed);
    ao_sheet_headline_text(
        &sh, "Seed", text,
        "Sample i draws from a generator seeded from (seed, i) alone: the same input "
        "and seed give the same samples, run at once or in shards.");
    ao_sheet_headline_number(&sh, "Samples with a plan", (double)summary.count[AO_SAMPLE_OPTIMAL],
                             AO_CELL_COUNT, "The figures below are over these samples.");
    ao_sheet_headline_number(&sh, "Samples with no feasible plan",
                             (double)summary.count[AO_SAMPLE_INFEASIBLE], AO_CELL_COUNT,
                             "No allocation meets every limit for the drawn input.");
    ao_sheet_headline_number(&sh, "Probability of no feasible plan", summary.p_infeasible,
                             AO_CELL_SHARE,
                             "Samples with no feasible plan, as a share of all samples.");
    if (summary.n_gaps > 0) {
        ao_sheet_headline_number(&sh, "Funding gap, P50", summary.funding_gap.p50, AO_CELL_MONEY,
                                 "Of the samples with no feasible plan that money can fix: the "
                                 "least extra revenue that would make a plan possible, median.");
        ao_sheet_headline_number(&sh, "Funding gap, P90", summary.funding_gap.p90, AO_CELL_MONEY,
                                 "The same, exceeded by one such sample in ten.");
    }
    if (summary.n_unfixable > 0)
        ao_sheet_headline_number(&sh, "Samples money alone cannot fix", (double)summary.n_unfixable,
                                 AO_CELL_COUNT,
                                 "No plan exists for them whatever revenue is added: a "
                                 "standard, capacity or another limit must move (the run of "
                                 "such a sample as a scenario says which).");
    ao_sheet_headline_number(&sh, "Samples with invalid input",
                             (double)summary.count[AO_SAMPLE_INVALID_INPUT], AO_CELL_COUNT,
                             "The draws broke a rule of the input (such as a negative budget): not "
                             "solved, and left out of every figure below.");
    ao_sheet_headline_number(&sh, "Probability of invalid input", summary.p_invalid, AO_CELL_SHARE,
                             "Samples with invalid input, as a share of all samples.");
    ao_sheet_headline_number(
        &sh, "Samples not solved",
        (double)(summary.count[AO_SAMPLE_FAILED] + summary.count[AO_SAMPLE_UNBOUNDED]),
        AO_CELL_COUNT,
        "The solver failed or found no limit on the objective (status failed or "
        "unbounded below).");

    ao_sheet_blank_line(&sh);
    ao_sheet_put_title(&sh,
                       cost ? "Objective (discounted spend, £) and total spend over the samples "
                              "with a plan"
                            : "Objective (discounted benefit) and total spend over the samples "
                              "with a plan");
    static const char *const stats_headers[] = {"statistic", "objective", "total_spend"};
    ao_sheet_table_begin(&sh, stats_headers, AO_COUNT_OF(stats_headers), AO_TABLE_PLAIN);
    const ao_study_stats *o = &summary.objective, *s = &summary.spend;
    const struct {
        const char *name;
        double objective, spend;
    } rows[] = {{"P10", o->p10, s->p10},    {"P50", o->p50, s->p50}, {"P90", o->p90, s->p90},
                {"mean", o->mean, s->mean}, {"min", o->min, s->min}, {"max", o->max, s->max}};
    for (size_t k = 0; k < AO_COUNT_OF(rows) && sh.err == AO_NO_ERROR; k++) {
        ao_sheet_line_begin(&sh);
        ao_sheet_put_text(&sh, 0, rows[k].name, NULL);
        ao_sheet_put_number(&sh, 1, rows[k].objective, objective_style);
        ao_sheet_put_number(&sh, 2, rows[k].spend, AO_CELL_MONEY);
        ao_sheet_line_end(&sh);
    }
    ao_sheet_table_end(&sh);
    ao_sheet_put_note(&sh,
                      "Percentiles as Excel's PERCENTILE.INC: sort the n values, h = (n - 1) p, "
                      "then interpolate between the values at positions floor(h) and floor(h) + 1. "
                      "Total spend is revenue plus capital, not discounted.");

    ao_sheet_blank_line(&sh);
    ao_sheet_put_title(&sh, "Probability that the baseline plan breaks an ICB's budget, and by "
                            "how much it overspends");
    static const char *const breach_headers[] = {"icb",
                                                 "icb_name",
                                                 "samples_breached",
                                                 "probability",
                                                 "baseline_budget",
                                                 "overspend_p50",
                                                 "overspend_p90",
                                                 "overspend_p50_of_budget",
                                                 "overspend_p90_of_budget"};
    ao_sheet_table_begin(&sh, breach_headers, AO_COUNT_OF(breach_headers), AO_TABLE_PLAIN);
    for (size_t i = 0; i < study->n_icbs && sh.err == AO_NO_ERROR; i++) {
        const ao_overspend_stats *over = &summary.overspend[i];
        ao_sheet_line_begin(&sh);
        ao_sheet_put_text(&sh, 0, study->icb_ids[i], NULL);
        ao_sheet_put_text(&sh, 1, study->icb_names[i], NULL);
        ao_sheet_put_number(&sh, 2, (double)summary.breaches[i], AO_CELL_COUNT);
        ao_sheet_put_number(&sh, 3, summary.p_breach[i], AO_CELL_SHARE);
        ao_sheet_put_number(&sh, 4, over->budget, AO_CELL_MONEY);
        ao_sheet_put_number(&sh, 5, over->p50, AO_CELL_MONEY);
        ao_sheet_put_number(&sh, 6, over->p90, AO_CELL_MONEY);
        ao_sheet_put_number(&sh, 7, over->p50_share, AO_CELL_SHARE);
        ao_sheet_put_number(&sh, 8, over->p90_share, AO_CELL_SHARE);
        ao_sheet_line_end(&sh);
    }
    ao_sheet_table_end(&sh);
    put_breach_notes(&sh, study->breach_tolerance);

    ao_sheet_blank_line(&sh);
    ao_sheet_put_title(&sh, "Histogram of the objective over the samples with a plan");
    static const char *const bin_headers[] = {"bin", "from", "to", "samples"};
    ao_sheet_table_begin(&sh, bin_headers, AO_COUNT_OF(bin_headers), AO_TABLE_PLAIN);
    lxw_row_t bin_header = sh.header_row;
    for (size_t b = 0; b < summary.n_bins && sh.err == AO_NO_ERROR; b++) {
        char label[96];
        bin_label(summary.bin_from[b], summary.bin_from[b + 1], cost, label);
        ao_sheet_line_begin(&sh);
        ao_sheet_put_text(&sh, 0, label, NULL);
        ao_sheet_put_number(&sh, 1, summary.bin_from[b], objective_style);
        ao_sheet_put_number(&sh, 2, summary.bin_from[b + 1], objective_style);
        ao_sheet_put_number(&sh, 3, (double)summary.bin_count[b], AO_CELL_COUNT);
        ao_sheet_line_end(&sh);
    }
    ao_sheet_table_end(&sh);
    if (summary.n_bins == 0)
        ao_sheet_put_note(&sh, "No sample has a plan: there is nothing to draw.");
    else
        ao_sheet_put_note(&sh,
                          "Equal bins from the least to the greatest objective; a value on an edge "
                          "counts in the bin above it, the greatest in the last bin.");
    if (summary.n_bins > 0 && sh.err == AO_NO_ERROR) {
        lxw_chart *chart =
            ao_chart_new(book, LXW_CHART_COLUMN, "Objective over the samples with a plan", "#,##0");
        lxw_chart_series *series =
            chart != NULL ? ao_chart_column_series(chart, name, bin_header, (int)summary.n_bins, 0,
                                                   3, AO_COLOUR_SPECIALISED)
                          : NULL;
        if (series == NULL) {
            sh.err = AO_ERROR_MEMORY_MALLOC_FAILED;
        } else {
            chart_legend_set_position(chart, LXW_CHART_LEGEND_NONE);
            chart_axis_set_name(chart->y_axis, "samples");
            lxw_chart_options options = {.x_offset = 0,
                                         .y_offset = AO_CHART_TOP,
                                         .x_scale = AO_HISTOGRAM_CHART_WIDTH / AO_CHART_BASE_WIDTH,
                                         .y_scale = AO_CHART_HEIGHT / AO_CHART_BASE_HEIGHT,
                                         .description = "Histogram: samples by objective."};
            ao_sheet_note(&sh.err, worksheet_insert_chart_opt(
                                       sh.ws, bin_header, AO_HISTOGRAM_CHART_COL, chart, &options));
        }
    }

    ao_sheet_blank_line(&sh);
    ao_sheet_put_title(&sh, "Samples");
    static const char *const sample_headers[] = {"sample", "status", "objective", "total_spend",
                                                 "funding_gap"};
    ao_sheet_table_begin(&sh, sample_headers, AO_COUNT_OF(sample_headers), AO_TABLE_FILTER);
    for (size_t k = 0; k < study->n_records && sh.err == AO_NO_ERROR; k++) {
        const ao_sample_record *r = &study->records[k];
        ao_sheet_line_begin(&sh);
        ao_sheet_put_number(&sh, 0, (double)r->sample, AO_CELL_COUNT);
        ao_sheet_put_text(&sh, 1, ao_sample_status_name(r->status), NULL);
        ao_sheet_put_number(&sh, 2, r->objective, objective_style);
        ao_sheet_put_number(&sh, 3, r->spend, AO_CELL_MONEY);
        if (isinf(r->funding_gap))
            ao_sheet_put_text(&sh, 4, AO_WORDS_MONEY_CANNOT, NULL);
        else
            ao_sheet_put_number(&sh, 4, r->funding_gap, AO_CELL_MONEY); /* blank: NAN */
        ao_sheet_line_end(&sh);
    }
    ao_sheet_table_end(&sh);
    ao_study_summary_free(&summary);
    return ao_sheet_end(&sh);
}
