/**
 * @file io/xlsx_reader.h
 * @brief Read an input workbook (.xlsx, Office Open XML) into tables, one per sheet.
 *
 * The workbook is opened read-only with libzip and its XML parts are streamed
 * through expat a chunk at a time, so a large sheet is never held in memory
 * whole: each sheet row goes into its table as soon as it has been read.
 *
 * What is read:
 * - the sheets listed in `xl/workbook.xml`, in the workbook's order, each found
 *   through `xl/_rels/workbook.xml.rels` (relative or absolute targets);
 * - shared strings (rich-text runs joined, phonetic runs left out), inline
 *   strings, numbers, booleans ("TRUE"/"FALSE"), formula results (the value
 *   Excel saved with the formula) and error values ("#DIV/0!", kept as text);
 * - cells in any order, cells and rows without a reference (a cell without one
 *   follows the previous cell of its row; a row without one follows the
 *   previous row).
 *
 * Numbers keep the text the workbook stores (Excel writes the shortest decimal
 * that reads back as the same double, LibreOffice 15 significant digits); only a
 * fraction of zeros is dropped ("2025.0" becomes "2025"). Dates arrive as Excel's
 * day numbers.
 *
 * Every sheet becomes an ao_table named after the sheet: file = the workbook
 * path, from_workbook = 1, sheet_cols = the 0-based sheet column of each
 * heading, row_numbers = sheet row numbers. The first row holding a value is
 * the header row. Blank rows are skipped.
 *
 * Sheets left out on purpose, silently: a sheet named "Read me" (or "ReadMe"),
 * and any sheet whose name starts with "_" (helper sheets such as lists for
 * drop-downs). Chart sheets are left out with a warning, and so is a sheet with
 * no values at all. Other sheets whose names are not tables are returned; model
 * validation warns about them.
 */
#ifndef AO_IO_XLSX_READER_H
#define AO_IO_XLSX_READER_H

#include <stddef.h>

#include "common/diag.h"
#include "common/error.h"
#include "common/table.h"

/** Most bytes one part of the workbook (a sheet's XML, say) may inflate to: 256 MiB. */
#define AO_XLSX_MAX_PART_BYTES (256ull * 1024u * 1024u)

/** Most bytes all parts read from one workbook may inflate to together: 1 GiB. */
#define AO_XLSX_MAX_TOTAL_BYTES (1024ull * 1024u * 1024u)

/** Longest text of one cell, in UTF-16 code units as Excel counts them (Excel's limit). */
#define AO_XLSX_MAX_CELL_CHARS 32767u

/** Rows of a sheet (Excel's limit): row numbers run from 1 to this. */
#define AO_XLSX_MAX_ROWS 1048576L

/** Columns of a sheet (Excel's limit, A to XFD). */
#define AO_XLSX_MAX_COLS 16384u

/**
 * Limits applied while reading. Zero-initialise or call
 * ao_xlsx_limits_set_default(); tests lower them to reach them with small files.
 */
typedef struct ao_xlsx_limits {
    unsigned long long max_part_bytes;  ///< Inflated bytes of one part (default
                                        ///< AO_XLSX_MAX_PART_BYTES).
    unsigned long long max_total_bytes; ///< Inflated bytes of all parts (default
                                        ///< AO_XLSX_MAX_TOTAL_BYTES).
    size_t max_cell_chars;              ///< Text of one cell (default AO_XLSX_MAX_CELL_CHARS).
} ao_xlsx_limits;

/** @brief Fill limits with the defaults above. */
void ao_xlsx_limits_set_default(ao_xlsx_limits *limits);

/**
 * @brief Read every sheet of an .xlsx workbook into a tableset.
 *
 * The file is never modified. Problems are recorded in diags with the workbook
 * path, the table (sheet) name, the sheet row, the column heading where known
 * and the cell reference ("C14").
 *
 * Two kinds of problem:
 * - problems a person can make in Excel (repeated or missing headings, an
 *   error value or a formula without a saved result, two sheets with the same
 *   name): recorded, and the tables are still returned with AO_NO_ERROR;
 * - a file that is not a readable workbook, or is damaged or built to harm the
 *   reader: not a zip archive, no `xl/workbook.xml`, XML that is not well formed,
 *   XML with a DOCTYPE or entity declarations (refused, never expanded), a part
 *   inflating past the size limits (counted while inflating, whatever the zip
 *   directory claims), a cell reference past Excel's last row or column, a cell
 *   text longer than Excel allows. These are recorded (as many as can be found)
 *   and no tables are returned: AO_ERROR_INPUT.
 *
 * @param[in] path The workbook file.
 * @param[out] out The tables (owned by the caller), or NULL when none are returned.
 * @param[in,out] diags Problems found.
 * @return AO_NO_ERROR (check diags for input problems), AO_ERROR_FILE_OPEN when the
 * file cannot be opened, AO_ERROR_INPUT when the file is refused (see above),
 * AO_ERROR_NULL_PARAMETER, or AO_ERROR_MEMORY_MALLOC_FAILED.
 */
ao_error ao_xlsx_read(const char *path, ao_tableset **out, ao_diags *diags);

/**
 * @brief ao_xlsx_read() with other limits.
 * @param[in] limits The limits; NULL, or a field left 0, means the default.
 */
ao_error ao_xlsx_read_with_limits(const char *path, const ao_xlsx_limits *limits, ao_tableset **out,
                                  ao_diags *diags);

#endif /* AO_IO_XLSX_READER_H */
