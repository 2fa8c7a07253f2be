/*
 * libFuzzer harness for the CSV reader: the input bytes are one CSV file.
 *
 * Besides "no crash, no sanitizer report", the table returned must be consistent:
 * every diagnostic names the file and table, every row number is past the header,
 * and every cell is NUL-terminated text without a NUL inside the cell's length.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "common/diag.h"
#include "common/table.h"
#include "io/csv_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ao_diags diags;
    ao_diags_init(&diags);
    ao_table *table = NULL;
    ao_error err =
        ao_csv_read_buffer((const char *)data, size, "budgets", "fuzz/budgets.csv", &table, &diags);
    FUZZ_CHECK(err == AO_NO_ERROR || err == AO_ERROR_MEMORY_MALLOC_FAILED);
    for (size_t k = 0; k < diags.count; k++) {
        char *line = ao_diag_format(&diags.items[k]);
        FUZZ_CHECK(line != NULL);
        FUZZ_CHECK(diags.items[k].file != NULL);
        free(line);
    }
    if (table != NULL) {
        for (size_t c = 0; c < table->n_cols; c++) {
            FUZZ_CHECK(table->headers[c] != NULL && table->header_text[c] != NULL);
            FUZZ_CHECK(ao_table_col(table, table->header_text[c]) >= 0);
        }
        for (size_t r = 0; r < table->n_rows; r++) {
            FUZZ_CHECK(table->row_numbers[r] >= 2);
            if (r > 0)
                FUZZ_CHECK(table->row_numbers[r] > table->row_numbers[r - 1]);
            for (size_t c = 0; c < table->n_cols; c++) {
                const char *cell = ao_table_cell(table, r, (long)c);
                FUZZ_CHECK(cell == NULL || cell[0] != '\0');
                ao_loc loc;
                char ref[24];
                ao_table_loc(table, r, (long)c, &loc, ref);
                FUZZ_CHECK(loc.row == table->row_numbers[r] && loc.column != NULL);
            }
        }
        /* A deep copy, as scenarios make, must hold the same cells. */
        ao_tableset *set = ao_tableset_new("fuzz");
        if (set != NULL && ao_tableset_add(set, table) == AO_NO_ERROR) {
            table = NULL;
            ao_tableset *copy = ao_tableset_copy(set);
            if (copy != NULL) {
                const ao_table *a = set->tables[0], *b = copy->tables[0];
                FUZZ_CHECK(a->n_rows == b->n_rows && a->n_cols == b->n_cols);
                for (size_t k = 0; k < a->n_rows * a->n_cols; k++)
                    FUZZ_CHECK((a->cells[k] == NULL) == (b->cells[k] == NULL) &&
                               (a->cells[k] == NULL || strcmp(a->cells[k], b->cells[k]) == 0));
            }
            ao_tableset_free(copy);
        }
        ao_tableset_free(set);
    }
    ao_table_free(table);
    ao_diags_free(&diags);
    return 0;
}
