/*
 * The Allocation sheet: every line of the plan, and, when the table does not fit one
 * sheet, the same lines as CSV.
 *
 * When the Allocation table does not fit one sheet, every line of it is also written
 * to `<workbook name>.allocation.csv` beside the workbook (results.xlsx gives
 * results.allocation.csv), and the Summary says so. That file is RFC 4180 CSV in
 * UTF-8 without a byte-order mark, CRLF line ends, the Allocation sheet's header and
 * columns, numbers in full (coverage as a fraction, not a percentage). A text field
 * that starts with = + - @, a tab or a carriage return is written with a single quote
 * in front (=1+1 becomes '=1+1) so that a spreadsheet program opening the file keeps
 * it as text rather than running it as a formula; a program reading the file as data
 * sees that quote. Fields holding a comma, a double quote or a line break are quoted.
 * The CSV is written whole or not at all, like the workbook, and only when the table is
 * split (report/workbook_writer.c opens and commits it).
 */
#include "report/sheets.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One CSV text field (see the top of this file): quoted when it holds a comma, a double
 * quote or a line break, and with a ' in front when a spreadsheet program would read it
 * as a formula. */
static void csv_text(FILE *out, const char *text)
{
    if (text == NULL || *text == '\0')
        return;
    int formula = strchr("=+-@\t\r", text[0]) != NULL;
    int quoted = strpbrk(text, ",\"\r\n") != NULL;
    if (!quoted && !formula) {
        fputs(text, out);
        return;
    }
    if (quoted)
        putc('"', out);
    if (formula)
        putc('\'', out);
    for (const char *c = text; *c; c++) {
        if (*c == '"')
            putc('"', out);
        putc(*c, out);
    }
    if (quoted)
        putc('"', out);
}

/* One CSV number: the shortest of 15 or 17 significant digits that reads back the same
 * double; blank when not finite. */
static void csv_number(FILE *out, double value)
{
    if (!isfinite(value))
        return;
    if (fabs(value) < AO_ZERO_EPSILON)
        value = 0.0;
    char text[40];
    snprintf(text, sizeof text, "%.15g", value);
    if (strtod(text, NULL) != value)
        snprintf(text, sizeof text, "%.17g", value);
    fputs(text, out);
}

/* One cell of an Allocation line: text (style AO_CELL_TEXT) or a number in its style. */
typedef struct alloc_cell {
    const char *text;
    double number;
    ao_cell_style style;
} alloc_cell;

/* One line on the sheet and, when csv is not NULL, the same line in the same columns of the
 * CSV. A number that is not finite is a blank cell in both. */
static void put_line(ao_sheet *sh, FILE *csv, const alloc_cell *cells, size_t n)
{
    ao_sheet_line_begin(sh);
    for (size_t c = 0; c < n; c++) {
        if (cells[c].style == AO_CELL_TEXT)
            ao_sheet_put_text(sh, (lxw_col_t)c, cells[c].text, NULL);
        else
            ao_sheet_put_number(sh, (lxw_col_t)c, cells[c].number, cells[c].style);
    }
    ao_sheet_line_end(sh);
    if (csv == NULL)
        return;
    for (size_t c = 0; c < n; c++) {
        if (c > 0)
            putc(',', csv);
        if (cells[c].style == AO_CELL_TEXT)
            csv_text(csv, cells[c].text);
        else
            csv_number(csv, cells[c].number);
    }
    fputs("\r\n", csv);
}

ao_error ao_sheet_allocation(ao_book_context *ctx, const char *name)
{
    const ao_model *m = ctx->model;
    const ao_plan *plan = ctx->plan;
    FILE *csv = ctx->csv;
    /* need and coverage come from the matching (i, s, t) totals: index them once. */
    int years = m->settings.years > 0 ? m->settings.years : 0;
    size_t n_icbs = m->n_icbs > 0 ? (size_t)m->n_icbs : 0;
    size_t n_services = m->n_services > 0 ? (size_t)m->n_services : 0;
    size_t *where = calloc(n_icbs * n_services * (size_t)years + 1, sizeof *where);
    if (where == NULL)
        return AO_ERROR_MEMORY_MALLOC_FAILED;
#define AO_IST(i, s, t) ((((size_t)(i)*n_services) + (size_t)(s)) * (size_t)years + (size_t)(t))
    for (size_t k = 0; k < plan->n_service_years; k++) {
        const ao_service_year *y = &plan->service_years[k];
        if (y->i >= 0 && (size_t)y->i < n_icbs && y->s >= 0 && (size_t)y->s < n_services &&
            y->t >= 0 && y->t < years)
            where[AO_IST(y->i, y->s, y->t)] = k + 1;
    }

    ao_sheet sh;
    ao_sheet_begin(&sh, ctx->book, ctx->st, name);
    static const char *const headers[] = {"icb",
                                          "service",
                                          "provider",
                                          "year",
                                          "activity",
                                          "spend",
                                          "need",
                                          "coverage",
                                          "icb_name",
                                          "region",
                                          "service_name",
                                          "provider_name",
                                          "category",
                                          "need_after_prevention"};
    ao_sheet_table_begin(&sh, headers, AO_COUNT_OF(headers), AO_TABLE_FREEZE | AO_TABLE_FILTER);
    if (csv != NULL) {
        for (size_t c = 0; c < AO_COUNT_OF(headers); c++) {
            if (c > 0)
                putc(',', csv);
            csv_text(csv, headers[c]);
        }
        fputs("\r\n", csv);
    }
    for (size_t a = 0; a < plan->n_alloc && sh.err == AO_NO_ERROR; a++) {
        const ao_alloc_line *line = &plan->alloc[a];
        const ao_service_year *y = NULL;
        if (line->i >= 0 && (size_t)line->i < n_icbs && line->s >= 0 &&
            (size_t)line->s < n_services && line->t >= 0 && line->t < years) {
            /* Need and coverage belong to the ICB, service and year, not to a provider:
             * on its first line only, so that a pivot table adds each need once. */
            size_t *k = &where[AO_IST(line->i, line->s, line->t)];
            y = *k > 0 ? &plan->service_years[*k - 1] : NULL;
            *k = 0;
        }
        char year[16];
        ao_model_year_label(m, line->t, year);
        const alloc_cell cells[] = {
            {ao_sheet_icb_id(m, line->i), 0, AO_CELL_TEXT},
            {ao_sheet_service_id(m, line->s), 0, AO_CELL_TEXT},
            {ao_sheet_provider_id(m, line->p), 0, AO_CELL_TEXT},
            {year, 0, AO_CELL_TEXT},
            {NULL, line->activity, AO_CELL_ACTIVITY},
            {NULL, line->spend, AO_CELL_MONEY},
            {NULL, y != NULL ? y->need : NAN, AO_CELL_ACTIVITY},
            {NULL, y != NULL ? y->coverage : NAN, AO_CELL_SHARE},
            {ao_sheet_icb_name(m, line->i), 0, AO_CELL_TEXT},
            {ao_sheet_icb_region(m, line->i), 0, AO_CELL_TEXT},
            {ao_sheet_service_name(m, line->s), 0, AO_CELL_TEXT},
            {ao_sheet_provider_name(m, line->p), 0, AO_CELL_TEXT},
            {ao_sheet_category_name(m, line->s), 0, AO_CELL_TEXT},
            {NULL, y != NULL ? y->need_after_prevention : NAN, AO_CELL_ACTIVITY},
        };
        put_line(&sh, csv, cells, AO_COUNT_OF(cells));
    }
#undef AO_IST
    free(where);
    if (csv != NULL && ferror(csv) && sh.err == AO_NO_ERROR)
        sh.err = AO_ERROR_FILE_WRITE;
    return ao_sheet_end(&sh);
}
