#include "common/table.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/strutil.h"

/* First allocation of rows; later growth doubles. */
#define TABLE_INITIAL_ROWS 16

/* First allocation of tables in a set. */
#define TABLESET_INITIAL_TABLES 16

ao_table *ao_table_new(const char *name, const char *file)
{
    ao_table *table = calloc(1, sizeof *table);
    if (table == NULL)
        return NULL;
    table->name = ao_normalise_name(name ? name : "");
    if (table->name == NULL)
        goto mem_error;
    if (file != NULL) {
        table->file = ao_strdup(file);
        if (table->file == NULL)
            goto mem_error;
    }
    return table;

mem_error:
    ao_table_free(table);
    return NULL;
}

static void free_headers(ao_table *table)
{
    for (size_t c = 0; c < table->n_cols; c++) {
        if (table->headers)
            free(table->headers[c]);
        if (table->header_text)
            free(table->header_text[c]);
    }
    free(table->headers);
    free(table->header_text);
    free(table->sheet_cols);
    table->headers = NULL;
    table->header_text = NULL;
    table->sheet_cols = NULL;
    table->n_cols = 0;
}

void ao_table_free(ao_table *table)
{
    if (table == NULL)
        return;
    if (table->cells != NULL)
        for (size_t k = 0; k < table->n_rows * table->n_cols; k++)
            free(table->cells[k]);
    free(table->cells);
    free(table->row_numbers);
    free_headers(table);
    free(table->name);
    free(table->file);
    free(table);
}

/* A trimmed copy of text in *copy, which is NULL when text is NULL or blank. */
static ao_error trimmed_copy(const char *text, char **copy)
{
    *copy = NULL;
    if (ao_is_blank(text))
        return AO_NO_ERROR;
    const char *start = text;
    while (*start == ' ' || *start == '\t' || *start == '\r' || *start == '\n' || *start == '\v' ||
           *start == '\f')
        start++;
    const char *end = start + strlen(start);
    while (end > start && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' ||
                           end[-1] == '\n' || end[-1] == '\v' || end[-1] == '\f'))
        end--;
    *copy = ao_strndup(start, (size_t)(end - start));
    return *copy != NULL ? AO_NO_ERROR : AO_ERROR_MEMORY_MALLOC_FAILED;
}

ao_error ao_table_set_headers(ao_table *table, size_t n_cols, const char *const *headers,
                              const size_t *sheet_cols)
{
    if (table == NULL || (n_cols > 0 && headers == NULL))
        return AO_ERROR_NULL_PARAMETER;
    /* The cell array's shape depends on n_cols, so headers come before any row. */
    if (table->n_rows > 0)
        return AO_ERROR_INTERNAL;
    ao_error err = AO_NO_ERROR;
    free_headers(table);
    free(table->cells);
    table->cells = NULL;
    free(table->row_numbers);
    table->row_numbers = NULL;
    table->cap_rows = 0;
    if (n_cols == 0)
        return AO_NO_ERROR;

    table->headers = calloc(n_cols, sizeof *table->headers);
    table->header_text = calloc(n_cols, sizeof *table->header_text);
    table->sheet_cols = calloc(n_cols, sizeof *table->sheet_cols);
    table->n_cols = n_cols;
    AO_GOTO_ON_MEM_ERROR(table->headers, err, mem_error);
    AO_GOTO_ON_MEM_ERROR(table->header_text, err, mem_error);
    AO_GOTO_ON_MEM_ERROR(table->sheet_cols, err, mem_error);
    for (size_t c = 0; c < n_cols; c++) {
        const char *text = headers[c] ? headers[c] : "";
        table->headers[c] = ao_normalise_name(text);
        AO_GOTO_ON_MEM_ERROR(table->headers[c], err, mem_error);
        AO_GOTO_ON_ERROR(trimmed_copy(text, &table->header_text[c]), err, mem_error);
        if (table->header_text[c] == NULL) {
            table->header_text[c] = ao_strdup("");
            AO_GOTO_ON_MEM_ERROR(table->header_text[c], err, mem_error);
        }
        table->sheet_cols[c] = sheet_cols ? sheet_cols[c] : c;
    }
    return AO_NO_ERROR;

mem_error:
    free_headers(table);
    return err;
}

/* Make room for one more row. */
static ao_error reserve_row(ao_table *table)
{
    if (table->n_rows < table->cap_rows)
        return AO_NO_ERROR;
    size_t capacity = table->cap_rows ? 2 * table->cap_rows : TABLE_INITIAL_ROWS;
    if (table->n_cols == 0)
        return AO_ERROR_INTERNAL;
    if (capacity < table->cap_rows || capacity > SIZE_MAX / sizeof(char *) / table->n_cols)
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    char **cells = realloc(table->cells, capacity * table->n_cols * sizeof *cells);
    if (cells == NULL)
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    table->cells = cells;
    long *numbers = realloc(table->row_numbers, capacity * sizeof *numbers);
    if (numbers == NULL)
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    table->row_numbers = numbers;
    table->cap_rows = capacity;
    return AO_NO_ERROR;
}

ao_error ao_table_add_row(ao_table *table, const char *const *cells, long row_number)
{
    if (table == NULL || (table->n_cols > 0 && cells == NULL))
        return AO_ERROR_NULL_PARAMETER;
    int all_blank = 1;
    for (size_t c = 0; c < table->n_cols && all_blank; c++)
        if (!ao_is_blank(cells[c]))
            all_blank = 0;
    if (all_blank)
        return AO_NO_ERROR;

    ao_error err = reserve_row(table);
    if (err != AO_NO_ERROR)
        return err;
    char **row = table->cells + table->n_rows * table->n_cols;
    memset(row, 0, table->n_cols * sizeof *row);
    for (size_t c = 0; c < table->n_cols; c++)
        AO_GOTO_ON_ERROR(trimmed_copy(cells[c], &row[c]), err, mem_error);
    table->row_numbers[table->n_rows] = row_number;
    table->n_rows++;
    return AO_NO_ERROR;

mem_error:
    for (size_t c = 0; c < table->n_cols; c++)
        free(row[c]);
    return err;
}

long ao_table_col(const ao_table *table, const char *header)
{
    if (table == NULL || header == NULL)
        return -1;
    for (size_t c = 0; c < table->n_cols; c++)
        if (ao_name_equal(table->headers[c], header))
            return (long)c;
    return -1;
}

const char *ao_table_cell(const ao_table *table, size_t row, long col)
{
    if (table == NULL || col < 0 || (size_t)col >= table->n_cols || row >= table->n_rows)
        return NULL;
    return table->cells[row * table->n_cols + (size_t)col];
}

ao_error ao_table_set_cell(ao_table *table, size_t row, long col, const char *text)
{
    if (table == NULL)
        return AO_ERROR_NULL_PARAMETER;
    if (col < 0 || (size_t)col >= table->n_cols || row >= table->n_rows)
        return AO_ERROR_INTERNAL;
    char *copy;
    AO_RETURN_ON_ERROR(trimmed_copy(text, &copy));
    char **cell = &table->cells[row * table->n_cols + (size_t)col];
    free(*cell);
    *cell = copy;
    return AO_NO_ERROR;
}

void ao_table_loc(const ao_table *table, size_t row, long col, ao_loc *loc, char cellbuf[24])
{
    memset(loc, 0, sizeof *loc);
    cellbuf[0] = '\0';
    if (table == NULL)
        return;
    loc->file = table->file;
    loc->table = table->name;
    int has_row = row != (size_t)-1 && row < table->n_rows;
    int has_col = col >= 0 && (size_t)col < table->n_cols;
    if (has_row)
        loc->row = table->row_numbers[row];
    if (has_col)
        loc->column = table->header_text[col];
    if (table->from_workbook && has_row && has_col) {
        char letters[8];
        ao_column_letters(table->sheet_cols[col], letters);
        snprintf(cellbuf, 24, "%s%ld", letters, loc->row);
        loc->cell = cellbuf;
    }
}

void ao_column_letters(size_t col, char out[8])
{
    /* Bijective base 26: A..Z, AA..ZZ, AAA..; seven letters reach far past Excel's XFD. */
    char reversed[8];
    size_t n = 0;
    size_t value = col + 1;
    while (value > 0) {
        if (n == 7) {
            strcpy(out, "?");
            return;
        }
        value--;
        reversed[n++] = (char)('A' + value % 26);
        value /= 26;
    }
    for (size_t k = 0; k < n; k++)
        out[k] = reversed[n - 1 - k];
    out[n] = '\0';
}

ao_tableset *ao_tableset_new(const char *source)
{
    ao_tableset *set = calloc(1, sizeof *set);
    if (set == NULL)
        return NULL;
    if (source != NULL) {
        set->source = ao_strdup(source);
        if (set->source == NULL) {
            free(set);
            return NULL;
        }
    }
    return set;
}

void ao_tableset_free(ao_tableset *set)
{
    if (set == NULL)
        return;
    for (size_t k = 0; k < set->n_tables; k++)
        ao_table_free(set->tables[k]);
    free(set->tables);
    free(set->source);
    free(set);
}

ao_error ao_tableset_add(ao_tableset *set, ao_table *table)
{
    if (set == NULL || table == NULL) {
        ao_table_free(table);
        return AO_ERROR_NULL_PARAMETER;
    }
    if (set->n_tables == set->cap_tables) {
        size_t capacity = set->cap_tables ? 2 * set->cap_tables : TABLESET_INITIAL_TABLES;
        ao_table **tables = realloc(set->tables, capacity * sizeof *tables);
        if (tables == NULL) {
            ao_table_free(table);
            return AO_ERROR_MEMORY_MALLOC_FAILED;
        }
        set->tables = tables;
        set->cap_tables = capacity;
    }
    set->tables[set->n_tables++] = table;
    return AO_NO_ERROR;
}

ao_table *ao_tableset_find(const ao_tableset *set, const char *name)
{
    if (set == NULL || name == NULL)
        return NULL;
    for (size_t k = 0; k < set->n_tables; k++)
        if (ao_name_equal(set->tables[k]->name, name))
            return set->tables[k];
    return NULL;
}

/* A deep copy of one table, or NULL if out of memory. */
static ao_table *table_copy(const ao_table *source)
{
    ao_table *copy = ao_table_new(source->name, source->file);
    if (copy == NULL)
        return NULL;
    copy->from_workbook = source->from_workbook;
    if (ao_table_set_headers(copy, source->n_cols, (const char *const *)source->header_text,
                             source->sheet_cols) != AO_NO_ERROR)
        goto mem_error;
    /* header_text is trimmed but keeps case; the normalised names are copied as they are. */
    for (size_t c = 0; c < source->n_cols; c++) {
        char *header = ao_strdup(source->headers[c]);
        if (header == NULL)
            goto mem_error;
        free(copy->headers[c]);
        copy->headers[c] = header;
    }
    if (source->n_rows > 0) {
        size_t n_cells = source->n_rows * source->n_cols;
        copy->cells = calloc(n_cells, sizeof *copy->cells);
        copy->row_numbers = malloc(source->n_rows * sizeof *copy->row_numbers);
        if (copy->cells == NULL || copy->row_numbers == NULL)
            goto mem_error;
        copy->cap_rows = source->n_rows;
        copy->n_rows = source->n_rows;
        memcpy(copy->row_numbers, source->row_numbers, source->n_rows * sizeof(long));
        for (size_t k = 0; k < n_cells; k++) {
            if (source->cells[k] == NULL)
                continue;
            copy->cells[k] = ao_strdup(source->cells[k]);
            if (copy->cells[k] == NULL)
                goto mem_error;
        }
    }
    return copy;

mem_error:
    ao_table_free(copy);
    return NULL;
}

ao_tableset *ao_tableset_copy(const ao_tableset *set)
{
    if (set == NULL)
        return NULL;
    ao_tableset *copy = ao_tableset_new(set->source);
    if (copy == NULL)
        return NULL;
    for (size_t k = 0; k < set->n_tables; k++) {
        ao_table *table = table_copy(set->tables[k]);
        if (table == NULL || ao_tableset_add(copy, table) != AO_NO_ERROR)
            goto mem_error;
    }
    return copy;

mem_error:
    ao_tableset_free(copy);
    return NULL;
}
