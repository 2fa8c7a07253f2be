/**
 * @file common/table.h
 * @brief Named tables of text cells, as read from CSV files or workbook sheets.
 *
 * Readers turn every input into an ao_tableset; models/ turns the tableset into
 * a validated model. Cells stay text here so that scenarios can change them
 * and messages can quote them exactly as the user typed them.
 */
#ifndef AO_COMMON_TABLE_H
#define AO_COMMON_TABLE_H

#include <stddef.h>

#include "common/diag.h"
#include "common/error.h"

/** One table: a header row and data rows of text cells. */
typedef struct ao_table {
    char *name;         ///< Table name, normalised (trimmed, lower-case): "budgets".
    char *file;         ///< File named in messages: "in/budgets.csv" or "book.xlsx".
    int from_workbook;  ///< 1 when read from a workbook sheet (cells have references).
    size_t n_cols;      ///< Number of columns.
    char **headers;     ///< Normalised header names (trimmed, lower-case), n_cols entries.
    char **header_text; ///< Headers as written (trimmed), n_cols entries.
    size_t *sheet_cols; ///< 0-based sheet column of each column (workbooks), else 0..n-1.
    size_t n_rows;      ///< Number of data rows (blank rows are not stored).
    size_t cap_rows;    ///< Allocated rows.
    char **cells;       ///< n_rows * n_cols cells, row-major; NULL for an empty cell.
    long *row_numbers;  ///< Source row of each data row (header row = 1).
} ao_table;

/** Every table of one input. */
typedef struct ao_tableset {
    char *source;      ///< The folder or workbook path as given.
    size_t n_tables;   ///< Number of tables.
    size_t cap_tables; ///< Allocated entries.
    ao_table **tables; ///< The tables, in the order read (folders: sorted by file name).
} ao_tableset;

/**
 * @brief Create an empty table.
 * @param[in] name Table name (normalised on copy).
 * @param[in] file File name used in messages.
 * @return The table, or NULL if out of memory.
 */
ao_table *ao_table_new(const char *name, const char *file);

/** @brief Free a table. Accepts NULL. */
void ao_table_free(ao_table *table);

/**
 * @brief Set the header row. Copies the strings.
 * @param[in] sheet_cols Sheet column of each header (NULL: 0..n_cols-1).
 */
ao_error ao_table_set_headers(ao_table *table, size_t n_cols, const char *const *headers,
                              const size_t *sheet_cols);

/**
 * @brief Append a data row. Copies the cells; each is trimmed, and an empty or
 * all-blank cell is stored as NULL. A row whose cells are all empty is skipped.
 * @param[in] cells n_cols cells (entries may be NULL).
 * @param[in] row_number The row's number in the source, header row = 1.
 */
ao_error ao_table_add_row(ao_table *table, const char *const *cells, long row_number);

/** @brief Column index of a header (matched case-insensitively), or -1 when absent. */
long ao_table_col(const ao_table *table, const char *header);

/** @brief The text of a cell, or NULL when it is empty or col is -1. */
const char *ao_table_cell(const ao_table *table, size_t row, long col);

/**
 * @brief Replace a cell's text (copied; NULL or blank empties the cell).
 */
ao_error ao_table_set_cell(ao_table *table, size_t row, long col, const char *text);

/**
 * @brief Fill a location for a message about a cell.
 * @param[in] row Data row index, or (size_t)-1 for the header row / whole table.
 * @param[in] col Column index, or -1 for the whole row.
 * @param[out] loc The location; it points into the table and into cellbuf.
 * @param[out] cellbuf Room for a cell reference such as "AB12" (workbooks).
 */
void ao_table_loc(const ao_table *table, size_t row, long col, ao_loc *loc, char cellbuf[24]);

/** @brief Spreadsheet column letters for a 0-based column ("A", "AB"). */
void ao_column_letters(size_t col, char out[8]);

/** @brief Create an empty tableset. NULL if out of memory. */
ao_tableset *ao_tableset_new(const char *source);

/** @brief Free a tableset and its tables. Accepts NULL. */
void ao_tableset_free(ao_tableset *set);

/** @brief Add a table; the set takes ownership (also on failure). */
ao_error ao_tableset_add(ao_tableset *set, ao_table *table);

/** @brief Find a table by name (case-insensitive), or NULL. */
ao_table *ao_tableset_find(const ao_tableset *set, const char *name);

/** @brief Deep copy, so a scenario can change cells without touching the baseline. */
ao_tableset *ao_tableset_copy(const ao_tableset *set);

#endif /* AO_COMMON_TABLE_H */
