/* The Inputs sheet: every input table as read, cells echoed as text. */
#include "report/sheets.h"

#include <stdio.h>
#include <stdlib.h>

#include "common/table.h"

ao_error ao_sheet_inputs(ao_book_context *ctx, const char *name)
{
    const ao_tableset *tables = ctx->results->tables;
    ao_sheet sh;
    ao_sheet_begin(&sh, ctx->book, ctx->st, name);
    if (tables == NULL || tables->n_tables == 0) {
        ao_sheet_put_note(&sh, "The input tables are not available.");
        return ao_sheet_end(&sh);
    }
    char title[512];
    snprintf(title, sizeof title, "Input tables as read from %s",
             tables->source ? tables->source : "the input");
    ao_sheet_put_title(&sh, title);
    const char **headers = NULL;
    for (size_t n = 0; n < tables->n_tables && sh.err == AO_NO_ERROR; n++) {
        const ao_table *table = tables->tables[n];
        /* One column for the source row, then the table's columns (within Excel's width). */
        size_t n_cols = table->n_cols < LXW_COL_MAX - 1 ? table->n_cols : LXW_COL_MAX - 1;
        const char **grown = realloc(headers, (n_cols + 1) * sizeof *headers);
        if (grown == NULL) {
            sh.err = AO_ERROR_MEMORY_MALLOC_FAILED;
            break;
        }
        headers = grown;
        headers[0] = "source row";
        for (size_t c = 0; c < n_cols; c++) {
            const char *text = table->header_text ? table->header_text[c] : NULL;
            headers[c + 1] = text ? text : (table->headers ? table->headers[c] : "");
        }
        snprintf(title, sizeof title, "%s (%s)", table->name ? table->name : "table",
                 table->file ? table->file : "");
        ao_sheet_blank_line(&sh);
        ao_sheet_put_title(&sh, title);
        ao_sheet_table_begin(&sh, headers, n_cols + 1, AO_TABLE_PLAIN);
        for (size_t r = 0; r < table->n_rows && sh.err == AO_NO_ERROR; r++) {
            ao_sheet_line_begin(&sh);
            if (table->row_numbers)
                ao_sheet_put_number(&sh, 0, (double)table->row_numbers[r], AO_CELL_COUNT);
            /* Cells are echoed as typed: always text, never a formula. */
            for (size_t c = 0; c < n_cols; c++)
                ao_sheet_put_text(&sh, (lxw_col_t)(c + 1), table->cells[r * table->n_cols + c],
                                  NULL);
            ao_sheet_line_end(&sh);
        }
        ao_sheet_table_end(&sh);
    }
    ao_error err = ao_sheet_end(&sh);
    free(headers);
    return err;
}
