/**
 * @file report/template.h
 * @brief Write an input workbook for analysts to fill in (`allocopt template`).
 *
 * The workbook holds, in this order:
 * - a "Read me" sheet: the workflow (fill in, `allocopt validate`, `allocopt run`,
 *   scenarios, `allocopt sweep`), what each sheet is for, and how to write money,
 *   fractions and years;
 * - one sheet per input table (models/schema.h), named after the table: settings,
 *   icbs, budgets, services, demand, providers, capacity, access, prevention, rules,
 *   collaboratives, collaborative_members, scenarios, uncertainty. Row 1 holds the
 *   exact column names (lower case, in FORMATS.md's order); each heading carries a
 *   note saying what the column means, its unit and whether it is required
 *   (required headings are also shaded darker). The data range is an Excel table
 *   (filters, banded rows), the heading row is frozen, and cells carry data validation: drop-down
 *   lists for fixed words (category, kind, op, yes/no, table names, setting keys),
 *   drop-down lists of the ids on other sheets (demand.icb from the icbs sheet's id
 *   column, and so on), and number checks (money and counts 0 or more, fractions
 *   between 0 and 1, whole years), each with a message in plain English;
 * - a hidden helper sheet "_lists" holding the longer drop-down lists.
 *
 * Read back with ao_xlsx_read(), the workbook gives exactly the tables written:
 * "Read me" and "_lists" are skipped by the reader, and blank table rows are
 * skipped.
 *
 * Without an example, every sheet is empty except settings, which lists the
 * settings keys first_year (2025/26), years (5), name, objective (benefit),
 * arrangement (delegated), discount_rate, specialised_share_floor, max_change,
 * equity_band and benefit_unit, optional ones with blank values.
 *
 * With an example, its rows fill the sheets so that reading the workbook back
 * gives the same model:
 * - a cell of a number column that ao_parse_number() reads is written as a number
 *   (a percentage such as `3%` keeps a percentage format); any other cell, and
 *   every id, name, word and year, is written as text, always with
 *   worksheet_write_string(): a cell such as `=HYPERLINK(...)`, `+44` or `@x` never
 *   becomes a formula;
 * - settings values are numbers or text by key, scenario values by the column they
 *   change;
 * - columns are written in FORMATS.md's order whatever the example's order; columns
 *   and tables that FORMATS.md does not list are left out (the model ignores them);
 * - a table the example does not have gets an empty sheet, except access: an access
 *   sheet with headings but no rows would allow no ICB any provider, so it is left
 *   out and every ICB keeps access to every provider.
 *
 * The workbook is written whole or not at all: to a temporary file beside @p path,
 * renamed over it at the end. Its creation time is fixed (SOURCE_DATE_EPOCH when
 * set), so the same call gives the same bytes.
 */
#ifndef AO_REPORT_TEMPLATE_H
#define AO_REPORT_TEMPLATE_H

#include "common/error.h"
#include "common/table.h"

/** Empty table rows of a sheet that has no example rows. */
#define AO_TEMPLATE_BLANK_ROWS 200

/** Data rows (from row 2) of each sheet that carry data validation, at least. */
#define AO_TEMPLATE_CHECKED_ROWS 20000

/** Rows (from row 2) of an id column offered in the drop-down lists of other sheets,
 * at least. */
#define AO_TEMPLATE_LIST_ROWS 5000

/**
 * @brief Write an input workbook to fill in.
 *
 * @param[in] path The workbook to write (.xlsx). An existing file is replaced, whole.
 * @param[in] example Tables to fill the sheets with (not modified; owned by the
 * caller), or NULL for an empty template.
 * @return AO_NO_ERROR; AO_ERROR_NULL_PARAMETER when path is NULL;
 * AO_ERROR_FILE_WRITE when the file cannot be created or renamed into place;
 * AO_ERROR_WORKBOOK when the workbook library fails, an example table has more rows
 * than a sheet holds (1,048,575 below the headings) or an example cell is longer than
 * a workbook cell holds (32,767 characters); or
 * AO_ERROR_MEMORY_MALLOC_FAILED. On any error, @p path is left as it was.
 */
ao_error ao_template_write(const char *path, const ao_tableset *example);

#endif /* AO_REPORT_TEMPLATE_H */
