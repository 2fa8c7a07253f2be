/**
 * @file io/csv_reader.h
 * @brief Read CSV files (RFC 4180, UTF-8 with optional BOM, CRLF or LF) into tables.
 */
#ifndef AO_IO_CSV_READER_H
#define AO_IO_CSV_READER_H

#include <stddef.h>

#include "common/diag.h"
#include "common/error.h"
#include "common/table.h"

/** Largest CSV file read, in bytes; a larger file is refused with a diagnostic. */
#define AO_CSV_MAX_FILE_BYTES (512u * 1024u * 1024u)

/**
 * @brief Parse CSV text held in memory into a table.
 *
 * The first non-blank record is the header. Blank records are skipped. Problems
 * (unbalanced quotes, a row with more cells than the header, duplicate or empty
 * headers, invalid UTF-8, NUL bytes) are recorded in diags with the file, table,
 * row and column; rows with too few cells are padded with empty cells.
 *
 * @param[in] data The bytes (need not be NUL-terminated).
 * @param[in] length Number of bytes.
 * @param[in] table_name Name of the table (e.g. "budgets").
 * @param[in] file_label File name for messages.
 * @param[out] out The table, or NULL when the text could not be used at all.
 * @param[in,out] diags Problems found.
 * @return AO_NO_ERROR (check diags for input problems) or AO_ERROR_MEMORY_MALLOC_FAILED.
 */
ao_error ao_csv_read_buffer(const char *data, size_t length, const char *table_name,
                            const char *file_label, ao_table **out, ao_diags *diags);

/**
 * @brief Read one CSV file into a table named after the file (without ".csv").
 * @return AO_NO_ERROR, AO_ERROR_FILE_OPEN / AO_ERROR_FILE_READ (also recorded in
 * diags), or AO_ERROR_MEMORY_MALLOC_FAILED.
 */
ao_error ao_csv_read_file(const char *path, ao_table **out, ao_diags *diags);

/**
 * @brief Read every `*.csv` file of a folder (case-insensitive extension), sorted by
 * file name, one table each. Other files are ignored.
 * @return AO_NO_ERROR, AO_ERROR_FILE_OPEN when the folder cannot be opened (also
 * recorded in diags), or AO_ERROR_MEMORY_MALLOC_FAILED.
 */
ao_error ao_csv_read_folder(const char *dir, ao_tableset **out, ao_diags *diags);

#endif /* AO_IO_CSV_READER_H */
