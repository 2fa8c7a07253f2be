/*
 * The results workbook (FORMATS.md "Outputs"): which sheets it gets and in what order
 * (the table `sheets` below), its properties, the Allocation CSV beside it, and the
 * file written whole or not at all. Each sheet is written by its own file,
 * report/sheet_<name>.c, with the helpers of report/sheet.h.
 *
 * Every sheet is written row by row, in order, in libxlsxwriter's constant_memory
 * mode: a national-scale plan then needs no more memory than a small one. A table
 * longer than Excel's row limit continues on a sheet of the same name followed by a
 * number ("Allocation (2)"), with its header repeated. Text is always written with
 * worksheet_write_string(), so that an input cell such as "=1+1" or "-5 %" can never
 * become a formula; numbers are always numbers, with a number format.
 *
 * When the Allocation table does not fit one sheet, every line of it is also written
 * to `<workbook name>.allocation.csv` beside the workbook (report/sheet_allocation.c
 * says how), and the Summary says so. The CSV is written whole or not at all, like the
 * workbook, and only when the table is split.
 *
 * The same input gives the same bytes: the document's creation time is fixed (1 April
 * 2025, 00:00 UTC) unless SOURCE_DATE_EPOCH gives another, and libxlsxwriter dates
 * every zip entry 1 January 1980.
 *
 * The Summary carries native Excel charts drawn from cells of the workbook: its own
 * spend-by-year table, and two blocks on the "Charts data" sheet (written last).
 */
#include "report/workbook_writer.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

#include "common/strutil.h"
#include "models/uncertainty.h"
#include "report/atomic_file.h"
#include "report/sheet_writer.h"
#include "report/sheets.h"

/* Bytes of output buffered before the Allocation CSV is written to disk. */
#define AO_CSV_BUFFER (1u << 20)

/* ---- which sheets a workbook gets ---- */

static int for_results(const ao_book_context *ctx)
{
    return ctx->results != NULL;
}

static int for_merged_study(const ao_book_context *ctx)
{
    return ctx->results == NULL && ctx->study != NULL;
}

static int when_infeasible(const ao_book_context *ctx)
{
    return ctx->results != NULL && ctx->plan->status == AO_STATUS_INFEASIBLE;
}

static int when_scenarios(const ao_book_context *ctx)
{
    return ctx->results != NULL && ctx->results->n_cases > 1;
}

static int when_study(const ao_book_context *ctx)
{
    return ctx->study != NULL;
}

/* Today's plan was evaluated (MODEL.md rule 16): it is set beside the optimal plan. */
static int when_current(const ao_book_context *ctx)
{
    return ctx->results != NULL && ctx->plan->current.evaluated;
}

/* Known only once the Summary is written: it has a spend-by-year table to chart. */
static int when_charts(const ao_book_context *ctx)
{
    return ctx->results != NULL && ctx->spend_years > 0;
}

/*
 * Every sheet, in the order of the workbook; `when` is asked as the sheet's turn comes,
 * so it may look at what the sheets before it found. A results workbook gets the sheets
 * for_results and those whose condition holds; a merged study's (`allocopt merge`) a
 * Summary of its own and the Uncertainty sheet, the same cells as in a single run's.
 * Charts data comes last, so that the charts' figures do not sit between the report's
 * sheets; the charts themselves go on the Summary.
 */
static const ao_sheet_spec sheets[] = {
    {"Summary", ao_sheet_summary, for_results},
    {"Summary", ao_sheet_study_summary, for_merged_study},
    {"Diagnosis", ao_sheet_diagnosis, when_infeasible},
    {"Comparison", ao_sheet_comparison, when_current},
    {"Allocation", ao_sheet_allocation, for_results},
    {"Capital", ao_sheet_capital, for_results},
    {"Budgets", ao_sheet_budgets, for_results},
    {"Indicators", ao_sheet_indicators, for_results},
    {"Constraints", ao_sheet_constraints, for_results},
    {"Inputs", ao_sheet_inputs, for_results},
    {"Scenarios", ao_sheet_scenarios, when_scenarios},
    {"Uncertainty", ao_sheet_uncertainty, when_study},
    {"Charts data", ao_sheet_charts, when_charts},
};

/* Every sheet the workbook gets; then each worksheet set up for printing (A4 landscape,
 * one page wide, header rows repeated), once the charts are on the sheets they go on. */
static ao_error write_sheets(ao_book_context *ctx)
{
    for (size_t k = 0; k < AO_COUNT_OF(sheets); k++)
        if (sheets[k].when(ctx))
            AO_RETURN_ON_ERROR(sheets[k].write(ctx, sheets[k].name));
    lxw_worksheet *ws;
    LXW_FOREACH_WORKSHEET(ws, ctx->book)
    {
        AO_RETURN_ON_ERROR(ao_sheet_print_setup(ws));
    }
    return AO_NO_ERROR;
}

/* ---- the workbook ---- */

static ao_error set_properties(lxw_workbook *book, const ao_results *results)
{
    const ao_model *m = results->cases[0].model;
    const char *name = m->settings.name ? m->settings.name : "unnamed model";
    ao_error err = AO_NO_ERROR;
    char *subject = ao_asprintf("Allocation of ICB revenue and capital: %s", name);
    char *comments = ao_asprintf("Written by allocopt %s from %s", AO_VERSION,
                                 results->input_path ? results->input_path : "the input");
    AO_GOTO_ON_MEM_ERROR(subject, err, cleanup);
    AO_GOTO_ON_MEM_ERROR(comments, err, cleanup);
    lxw_doc_properties properties = {.title = "allocopt results",
                                     .subject = subject,
                                     .author = "allocopt",
                                     .comments = comments,
                                     .created = ao_workbook_created()};
    err = ao_from_lxw_error(workbook_set_properties(book, &properties));
cleanup:
    free(subject);
    free(comments);
    return err;
}

/* `<workbook name>.allocation.csv` beside the workbook: "out/r.xlsx" gives
 * "out/r.allocation.csv"; a name without .xlsx keeps it whole. Caller frees. */
static char *allocation_csv_path(const char *workbook_path)
{
    size_t length = strlen(workbook_path);
    static const char extension[] = ".xlsx";
    size_t n_ext = sizeof extension - 1;
    size_t stem = length;
    if (length > n_ext) {
        stem = length - n_ext;
        for (size_t k = 0; k < n_ext && stem < length; k++)
            if (tolower((unsigned char)workbook_path[length - n_ext + k]) != extension[k])
                stem = length;
    }
    return ao_asprintf("%.*s.allocation.csv", (int)stem, workbook_path);
}

ao_error ao_workbook_write(const char *path, const ao_results *results)
{
    if (path == NULL || results == NULL || results->n_cases == 0 || results->cases == NULL ||
        results->cases[0].model == NULL || results->cases[0].plan == NULL)
        return AO_ERROR_NULL_PARAMETER;
    ao_error err = AO_NO_ERROR;
    ao_book_output out = {0};
    int csv_created = 0;
    char *csv_path = NULL, *csv_temp = NULL;
    FILE *csv = NULL;
    char *csv_buffer = NULL;

    /* Find out now, not after writing every sheet, whether the folder takes the file. */
    AO_GOTO_ON_ERROR(ao_book_output_open(&out, path, 1), err, cleanup);

    /* An Allocation table longer than one sheet also goes, whole, to a CSV file. */
    const char *csv_name = NULL;
    if (results->cases[0].plan->n_alloc > AO_SHEET_DATA_ROWS) {
        csv_path = allocation_csv_path(path);
        AO_GOTO_ON_MEM_ERROR(csv_path, err, cleanup);
        csv_temp = ao_atomic_temp_path(csv_path);
        AO_GOTO_ON_MEM_ERROR(csv_temp, err, cleanup);
        csv_buffer = malloc(AO_CSV_BUFFER);
        AO_GOTO_ON_MEM_ERROR(csv_buffer, err, cleanup);
        csv = fopen(csv_temp, "wb");
        if (csv == NULL) {
            err = AO_ERROR_FILE_WRITE;
            goto cleanup;
        }
        csv_created = 1;
        (void)setvbuf(csv, csv_buffer, _IOFBF, AO_CSV_BUFFER);
        const char *slash = strrchr(csv_path, '/');
        csv_name = slash != NULL ? slash + 1 : csv_path;
    }

    ao_styles st;
    AO_GOTO_ON_ERROR(ao_styles_create(out.book, &st), err, cleanup);
    AO_GOTO_ON_ERROR(set_properties(out.book, results), err, cleanup);
    ao_book_context ctx = {.book = out.book,
                           .st = &st,
                           .results = results,
                           .model = results->cases[0].model,
                           .plan = results->cases[0].plan,
                           .study = results->uncertainty,
                           .csv = csv,
                           .csv_name = csv_name};
    AO_GOTO_ON_ERROR(write_sheets(&ctx), err, cleanup);

    AO_GOTO_ON_ERROR(ao_book_output_close(&out), err, cleanup);
    if (csv != NULL) {
        int failed = ferror(csv);
        failed |= fclose(csv) != 0;
        csv = NULL;
        if (failed) {
            err = AO_ERROR_FILE_WRITE;
            goto cleanup;
        }
        /* The CSV first: a workbook that names it is never on disk without it. */
        csv_created = 0; /* ao_atomic_commit() removes the temporary file if it fails. */
        AO_GOTO_ON_ERROR(ao_atomic_commit(csv_temp, csv_path), err, cleanup);
    }
    err = ao_book_output_commit(&out, path);

cleanup:
    ao_book_output_discard(&out);
    if (csv != NULL)
        (void)fclose(csv);
    if (csv_created)
        ao_atomic_abort(csv_temp);
    free(csv_buffer);
    free(csv_path);
    free(csv_temp);
    return err;
}

ao_error ao_workbook_write_study(const char *path, const ao_study *study)
{
    if (path == NULL || study == NULL)
        return AO_ERROR_NULL_PARAMETER;
    ao_error err = AO_NO_ERROR;
    ao_book_output out = {0};
    /* Find out now, not after writing every sheet, whether the folder takes the file. */
    AO_GOTO_ON_ERROR(ao_book_output_open(&out, path, 1), err, cleanup);
    ao_styles st;
    AO_GOTO_ON_ERROR(ao_styles_create(out.book, &st), err, cleanup);
    lxw_doc_properties properties = {.title = "allocopt uncertainty study",
                                     .subject = "Merged uncertainty study",
                                     .author = "allocopt",
                                     .comments =
                                         "Written by allocopt " AO_VERSION " from partial results",
                                     .created = ao_workbook_created()};
    AO_GOTO_ON_ERROR(ao_from_lxw_error(workbook_set_properties(out.book, &properties)), err,
                     cleanup);
    ao_book_context ctx = {.book = out.book, .st = &st, .study = study};
    AO_GOTO_ON_ERROR(write_sheets(&ctx), err, cleanup);
    AO_GOTO_ON_ERROR(ao_book_output_close(&out), err, cleanup);
    err = ao_book_output_commit(&out, path);
cleanup:
    ao_book_output_discard(&out);
    return err;
}
