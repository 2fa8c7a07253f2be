/*
 * The Charts data sheet (written last, so that the charts' figures do not sit between the
 * report's sheets) and the native Excel charts on the Summary: its own spend-by-year
 * table, and two blocks on the Charts data sheet.
 */
#include "report/sheets.h"

#include <stdlib.h>
#include <string.h>

#include "report/chart.h"

/* At most this many series in one chart (Excel allows 255; more would not be read). */
#define AO_CHART_MAX_SERIES 12
/* Chart sizes on the Summary, in pixels. */
#define AO_CHART_FULL_WIDTH 1000
#define AO_CHART_SPEND_WIDTH 600
#define AO_CHART_TALL_HEIGHT 380
/* Coverage this little above 100 % is rounding: the coverage axis still stops at 100 %. */
#define AO_COVERAGE_SLACK 1e-6

/** Where the figures behind the Summary charts are. */
typedef struct chart_data {
    int last_year;             ///< Year index charted (the last of the plan).
    lxw_row_t share_header;    ///< Header row of the share block on the Charts data sheet.
    int n_shares;              ///< ICB rows below it (0: no chart).
    lxw_row_t coverage_header; ///< Header row of the coverage block.
    int n_coverage;            ///< Service rows below it (0: no chart).
    int n_coverage_icbs;       ///< ICB columns, from column 2.
    double max_coverage;       ///< Highest coverage in the block.
} chart_data;

/* An ICB or service as a chart shows it: its name, or its id when it has none. */
static const char *icb_label(const ao_model *m, int i)
{
    const char *name = ao_sheet_icb_name(m, i);
    return name != NULL && *name != '\0' ? name : ao_sheet_icb_id(m, i);
}

static const char *service_label(const ao_model *m, int s)
{
    const char *name = ao_sheet_service_name(m, s);
    return name != NULL && *name != '\0' ? name : ao_sheet_service_id(m, s);
}

/* The figures the Summary charts draw that no other sheet lays out in one block: each
 * ICB's specialised share, and each specialised service's coverage by ICB, in the last
 * year of the plan. */
static ao_error write_chart_data(lxw_workbook *book, const ao_styles *st, const ao_model *m,
                                 const ao_plan *plan, const char *name, chart_data *out)
{
    memset(out, 0, sizeof *out);
    int years = m->settings.years > 0 ? m->settings.years : 0;
    int last = years - 1;
    out->last_year = last;
    size_t n_icbs = m->n_icbs > 0 ? (size_t)m->n_icbs : 0;
    size_t n_services = m->n_services > 0 ? (size_t)m->n_services : 0;
    /* Share line of ICB i in the last year, and service-year line of (s, i): index + 1. */
    size_t *share_of = calloc(n_icbs + 1, sizeof *share_of);
    size_t *coverage_of = calloc(n_services * n_icbs + 1, sizeof *coverage_of);
    const char **headers = calloc(n_icbs + 2, sizeof *headers);
    if (share_of == NULL || coverage_of == NULL || headers == NULL) {
        free(share_of);
        free(coverage_of);
        free(headers);
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    }
    for (size_t k = 0; k < plan->n_shares; k++) {
        const ao_share_indicator *x = &plan->shares[k];
        if (x->t == last && x->i >= 0 && (size_t)x->i < n_icbs)
            share_of[x->i] = k + 1;
    }
    for (size_t k = 0; k < plan->n_service_years; k++) {
        const ao_service_year *y = &plan->service_years[k];
        if (y->t == last && y->i >= 0 && (size_t)y->i < n_icbs && y->s >= 0 &&
            (size_t)y->s < n_services && m->services[y->s].category == AO_CATEGORY_SPECIALISED)
            coverage_of[(size_t)y->s * n_icbs + (size_t)y->i] = k + 1;
    }
    char year[16], title[256];
    ao_model_year_label(m, last, year);

    ao_sheet sh;
    ao_sheet_begin(&sh, book, st, name);
    ao_sheet_put_title(&sh, "Figures behind the charts on the Summary sheet");

    snprintf(title, sizeof title,
             "Specialised share of each ICB's revenue spend in %s, the last year of the plan, "
             "against its baseline share",
             year);
    /* Headers in words: the charts' legends show them. */
    static const char *const share_headers[] = {"icb", "icb name", "specialised share",
                                                "baseline share"};
    ao_sheet_block_begin(&sh, title, share_headers, AO_COUNT_OF(share_headers));
    out->share_header = sh.header_row;
    for (size_t i = 0; i < n_icbs && sh.err == AO_NO_ERROR; i++) {
        if (share_of[i] == 0)
            continue;
        const ao_share_indicator *x = &plan->shares[share_of[i] - 1];
        ao_sheet_line_begin(&sh);
        ao_sheet_put_text(&sh, 0, ao_sheet_icb_id(m, (int)i), NULL);
        ao_sheet_put_text(&sh, 1, icb_label(m, (int)i), NULL);
        ao_sheet_put_number(&sh, 2, x->share, AO_CELL_SHARE);
        ao_sheet_put_number(&sh, 3, x->baseline_share, AO_CELL_SHARE);
        ao_sheet_line_end(&sh);
        out->n_shares++;
    }
    ao_sheet_block_end(&sh, (size_t)out->n_shares, "No ICB has revenue spend in that year.");

    snprintf(title, sizeof title,
             "Coverage of each specialised service by ICB in %s: activity as a share of need "
             "after prevention",
             year);
    /* One column per ICB, within Excel's width. */
    size_t n_columns = n_icbs < (size_t)LXW_COL_MAX - 2 ? n_icbs : (size_t)LXW_COL_MAX - 2;
    headers[0] = "service";
    headers[1] = "service name";
    for (size_t i = 0; i < n_columns; i++)
        headers[i + 2] = icb_label(m, (int)i);
    ao_sheet_block_begin(&sh, title, headers, n_columns + 2);
    out->coverage_header = sh.header_row;
    out->n_coverage_icbs = (int)n_columns;
    for (size_t s = 0; s < n_services && sh.err == AO_NO_ERROR; s++) {
        const size_t *row = &coverage_of[s * n_icbs];
        size_t any = 0;
        for (size_t i = 0; i < n_icbs; i++)
            any |= row[i];
        if (any == 0)
            continue;
        ao_sheet_line_begin(&sh);
        ao_sheet_put_text(&sh, 0, ao_sheet_service_id(m, (int)s), NULL);
        ao_sheet_put_text(&sh, 1, service_label(m, (int)s), NULL);
        for (size_t i = 0; i < n_columns; i++) {
            if (row[i] == 0)
                continue;
            double coverage = plan->service_years[row[i] - 1].coverage;
            ao_sheet_put_number(&sh, (lxw_col_t)(i + 2), coverage, AO_CELL_SHARE);
            if (coverage > out->max_coverage)
                out->max_coverage = coverage;
        }
        ao_sheet_line_end(&sh);
        out->n_coverage++;
    }
    ao_sheet_block_end(&sh, (size_t)out->n_coverage,
                       "No specialised service has need in that year.");
    free(share_of);
    free(coverage_of);
    free(headers);
    return ao_sheet_end(&sh);
}

#define AO_CHART_OR_FAIL(chart)                                                                    \
    do {                                                                                           \
        if ((chart) == NULL)                                                                       \
            return AO_ERROR_MEMORY_MALLOC_FAILED;                                                  \
    } while (0)

/* A column chart of shares, its axis from zero: a cut axis would make small differences
 * look large. NULL when it cannot be made. */
static lxw_chart *percent_columns(lxw_workbook *book, const char *title)
{
    lxw_chart *chart = ao_chart_new(book, LXW_CHART_COLUMN, title, AO_AXIS_PERCENT);
    if (chart != NULL)
        chart_axis_set_min(chart->y_axis, 0.0);
    return chart;
}

/* The Summary charts, below its tables: spend by category and year, capital by year,
 * each ICB's specialised share against its baseline, coverage by service and ICB. */
static ao_error add_summary_charts(const ao_book_context *ctx, const char *name,
                                   const chart_data *data)
{
    lxw_workbook *book = ctx->book;
    const ao_model *m = ctx->model;
    if (ctx->summary_ws == NULL || ctx->spend_years <= 0)
        return AO_NO_ERROR;
    char year[16], title[256];
    ao_model_year_label(m, data->last_year, year);
    /* Each band of charts starts on a row of its own, on a new printed page. */
    lxw_row_t at = ctx->summary_free_row;
    lxw_row_t breaks[4] = {0};
    int n_breaks = 0;
    breaks[n_breaks++] = at;

    /* Revenue and capital from the Summary's own spend-by-year table (columns B, C, F). */
    lxw_chart *revenue =
        ao_chart_new(book, LXW_CHART_COLUMN_STACKED,
                     "Revenue spend by category and year (£m, not discounted)", AO_AXIS_MILLIONS);
    AO_CHART_OR_FAIL(revenue);
    AO_CHART_OR_FAIL(ao_chart_column_series(revenue, ctx->summary_name, ctx->spend_header,
                                            ctx->spend_years, 0, 1, AO_COLOUR_SPECIALISED));
    AO_CHART_OR_FAIL(ao_chart_column_series(revenue, ctx->summary_name, ctx->spend_header,
                                            ctx->spend_years, 0, 2, AO_COLOUR_PRIORITY));
    AO_RETURN_ON_ERROR(ao_chart_place(ctx->summary_ws, at, 0, AO_CHART_SPEND_WIDTH, AO_CHART_HEIGHT,
                                      revenue,
                                      "Stacked columns: specialised and priority revenue spend in "
                                      "each year of the plan."));
    lxw_chart *capital = ao_chart_new(
        book, LXW_CHART_COLUMN, "Capital spend by year (£m, not discounted)", AO_AXIS_MILLIONS);
    AO_CHART_OR_FAIL(capital);
    AO_CHART_OR_FAIL(ao_chart_column_series(capital, ctx->summary_name, ctx->spend_header,
                                            ctx->spend_years, 0, 5, AO_COLOUR_CAPITAL));
    chart_legend_set_position(capital, LXW_CHART_LEGEND_NONE);
    AO_RETURN_ON_ERROR(ao_chart_place(ctx->summary_ws, at, AO_CHART_SPEND_WIDTH + AO_CHART_GAP,
                                      AO_CHART_FULL_WIDTH - AO_CHART_SPEND_WIDTH - AO_CHART_GAP,
                                      AO_CHART_HEIGHT, capital,
                                      "Columns: capital spent on added provider capacity in each "
                                      "year of the plan."));
    at += AO_CHART_ROWS(AO_CHART_HEIGHT);

    if (data->n_shares > 0) {
        snprintf(title, sizeof title,
                 "Specialised share of each ICB's revenue spend in %s (last year of the plan) "
                 "against its baseline share",
                 year);
        lxw_chart *shares = percent_columns(book, title);
        AO_CHART_OR_FAIL(shares);
        AO_CHART_OR_FAIL(ao_chart_column_series(shares, name, data->share_header, data->n_shares, 1,
                                                2, AO_COLOUR_SPECIALISED));
        AO_CHART_OR_FAIL(ao_chart_column_series(shares, name, data->share_header, data->n_shares, 1,
                                                3, AO_COLOUR_BASELINE));
        AO_RETURN_ON_ERROR(ao_chart_place(ctx->summary_ws, at, 0, AO_CHART_FULL_WIDTH,
                                          AO_CHART_HEIGHT, shares,
                                          "Clustered columns: each ICB's specialised share of "
                                          "revenue spend in the last year beside its baseline "
                                          "share."));
        at += AO_CHART_ROWS(AO_CHART_HEIGHT);
    }

    if (data->n_coverage > 0 && data->n_coverage_icbs > 0) {
        int n_series = data->n_coverage_icbs < AO_CHART_MAX_SERIES ? data->n_coverage_icbs
                                                                   : AO_CHART_MAX_SERIES;
        if (n_series < data->n_coverage_icbs)
            snprintf(title, sizeof title,
                     "Coverage of each specialised service by ICB in %s (first %d of %d ICBs; "
                     "all on the Charts data sheet)",
                     year, n_series, data->n_coverage_icbs);
        else
            snprintf(title, sizeof title,
                     "Coverage of each specialised service by ICB in %s (activity / need after "
                     "prevention)",
                     year);
        lxw_chart *coverage = percent_columns(book, title);
        AO_CHART_OR_FAIL(coverage);
        if (data->max_coverage <= 1.0 + AO_COVERAGE_SLACK)
            chart_axis_set_max(coverage->y_axis, 1.0);
        for (int c = 0; c < n_series; c++)
            AO_CHART_OR_FAIL(ao_chart_column_series(coverage, name, data->coverage_header,
                                                    data->n_coverage, 1, (lxw_col_t)(c + 2),
                                                    LXW_COLOR_UNSET));
        breaks[n_breaks++] = at;
        AO_RETURN_ON_ERROR(ao_chart_place(ctx->summary_ws, at, 0, AO_CHART_FULL_WIDTH,
                                          AO_CHART_TALL_HEIGHT, coverage,
                                          "Clustered columns: for each specialised service, the "
                                          "coverage of need in each ICB in the last year."));
    }
    return ao_from_lxw_error(worksheet_set_h_pagebreaks(ctx->summary_ws, breaks));
}

ao_error ao_sheet_charts(ao_book_context *ctx, const char *name)
{
    chart_data data;
    AO_RETURN_ON_ERROR(write_chart_data(ctx->book, ctx->st, ctx->model, ctx->plan, name, &data));
    return add_summary_charts(ctx, name, &data);
}
