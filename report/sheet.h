/**
 * @file report/sheet.h
 * @brief A worksheet written row by row: the cell styles of a results workbook, tables
 * with a header row (split over further worksheets past Excel's last row), titles, notes
 * and headlines, conditional formats, and column widths that fit what was written.
 *
 * Every write goes through an ao_sheet, which keeps the first error met and does nothing
 * after it: a writer calls the helpers one after another and returns ao_sheet_end().
 * Text is always written as text, never as a formula; numbers as numbers in a style's
 * number format; a value that is not finite leaves its cell blank.
 */
#ifndef AO_REPORT_SHEET_H
#define AO_REPORT_SHEET_H

#include <stddef.h>
#include <xlsxwriter.h>

#include "common/error.h"

#define AO_COUNT_OF(array) (sizeof(array) / sizeof((array)[0]))

/** How a cell is shown. One lxw_format per style, created once per workbook. */
typedef enum ao_cell_style {
    AO_CELL_TEXT = 0, ///< Text (no number format).
    AO_CELL_MONEY,    ///< £ amounts.
    AO_CELL_ACTIVITY, ///< Activity and need, in the service's units.
    AO_CELL_SHARE,    ///< Shares, coverage, utilisation.
    AO_CELL_PRICE,    ///< Shadow prices (objective per £1m).
    AO_CELL_COUNT,    ///< Whole numbers.
    AO_CELL_RATIO,    ///< Coefficients of variation.
    AO_CELL_BENEFIT,  ///< Benefit in the model's benefit unit.
    AO_CELL_VALUE,    ///< Constraint rows, whose units differ from row to row.
    AO_CELL_GENERAL,  ///< Excel's General: duals span many orders of magnitude.
    /* Differences from the baseline, always signed. */
    AO_CELL_MONEY_CHANGE,    ///< £.
    AO_CELL_BENEFIT_CHANGE,  ///< Benefit units.
    AO_CELL_SHARE_CHANGE,    ///< Shares (percentage points).
    AO_CELL_ACTIVITY_CHANGE, ///< Activity.
    AO_CELL_COUNT_CHANGE,    ///< Whole numbers.
    AO_CELL_RATIO_CHANGE,    ///< Coefficients of variation.
    AO_CELL_STYLES           ///< Number of styles.
} ao_cell_style;

/** The formats of a workbook, created once by ao_styles_create(). */
typedef struct ao_styles {
    lxw_format *cell[AO_CELL_STYLES]; ///< One per number format (TEXT and GENERAL: NULL).
    lxw_format *header;               ///< Bold on a fill, with a bottom border.
    lxw_format *title;                ///< Bold and larger: block titles.
    lxw_format *label;                ///< Bold text: Summary labels, totals.
    lxw_format *note;                 ///< Italic grey: a note in place of an empty table.
    lxw_format *wrap;                 ///< Wrapped text: a long value in a narrow column.
    lxw_format *flag;                 ///< Conditional: a risk flagged.
    lxw_format *full;                 ///< Conditional: capacity fully used.
} ao_styles;

/**
 * @brief Create every format of a workbook, numbered in a fixed order (so that a sheet's
 * XML is the same in every workbook that has it). Call once, before any sheet.
 * @return AO_NO_ERROR or AO_ERROR_MEMORY_MALLOC_FAILED.
 */
ao_error ao_styles_create(lxw_workbook *book, ao_styles *st);

/* Column widths, in characters. */
#define AO_WIDTH_COLS 256
#define AO_MIN_WIDTH 8.0
#define AO_MAX_WIDTH 60.0
/* Headline values: a longer text value wraps within the column. */
#define AO_MAX_VALUE_WIDTH 40.0
/* Excel's default row height, in points. */
#define AO_ROW_HEIGHT 15.0
#define AO_WIDTH_PADDING 2.0

/* Numbers this close to zero are written as zero, so that no "-0.0" appears. */
#define AO_ZERO_EPSILON 1e-12

/* Data rows a sheet holds below its header row. */
#define AO_SHEET_DATA_ROWS ((size_t)LXW_ROW_MAX - 1)

/** Header options of a table. */
enum {
    AO_TABLE_PLAIN = 0,  ///< A header row only (a block among others).
    AO_TABLE_FREEZE = 1, ///< Freeze the panes below the header.
    AO_TABLE_FILTER = 2  ///< Autofilter over the header and data (one per worksheet).
};

/** A conditional format over one column of a table's data. */
typedef enum ao_flag_kind {
    AO_FLAG_BELOW_COLUMN, ///< Value below the value in column `other` by more than `value`.
    AO_FLAG_BELOW,        ///< Value below `value`.
    AO_FLAG_ABOVE,        ///< Value above `value`.
    AO_FLAG_AT_LEAST,     ///< Value at least `value`.
    AO_FLAG_DATA_BAR      ///< A data bar (no threshold).
} ao_flag_kind;

typedef struct ao_flag_rule {
    ao_flag_kind kind;  ///< Kind.
    lxw_col_t col;      ///< Column flagged.
    lxw_col_t other;    ///< Column compared with (AO_FLAG_BELOW_COLUMN).
    double value;       ///< Threshold or tolerance.
    lxw_format *format; ///< Format of a flagged cell (not for data bars).
} ao_flag_rule;

#define AO_MAX_FLAGS 4

/** A sheet being written; its later parts are named "<name> (2)", "<name> (3)", … */
typedef struct ao_sheet {
    lxw_workbook *book;          ///< The workbook.
    const ao_styles *st;         ///< Its formats.
    const char *name;            ///< Sheet name; later parts add " (2)", " (3)", ...
    int part;                    ///< 1 for the first worksheet of this sheet.
    lxw_worksheet *ws;           ///< Worksheet of the current part.
    lxw_row_t row;               ///< Next row to write.
    double width[AO_WIDTH_COLS]; ///< Widest content seen per column (characters).
    double cap[AO_WIDTH_COLS];   ///< Widest width allowed per column.
    lxw_col_t n_cols;            ///< Columns written on the current part.
    double run_over[AO_WIDTH_COLS]; ///< Longest text running on from each column (characters).

    int in_table;                     ///< 1 between table_begin and table_end.
    const char *const *headers;       ///< Current table's headers (repeated on a new part).
    lxw_col_t n_headers;              ///< Their number.
    int options;                      ///< AO_TABLE_* flags of the current table.
    lxw_row_t header_row;             ///< Row of the current table's header on this part.
    ao_flag_rule flags[AO_MAX_FLAGS]; ///< Conditional formats of the current table.
    int n_flags;                      ///< Their number.

    ao_error err; ///< First error met; later writes do nothing.
} ao_sheet;

/** @brief Start a sheet: add its first worksheet to book. Errors are kept in sh->err. */
void ao_sheet_begin(ao_sheet *sh, lxw_workbook *book, const ao_styles *st, const char *name);

/** @brief Finish the sheet (its open table, its column widths). @return Its first error. */
ao_error ao_sheet_end(ao_sheet *sh);

/** @brief Make room for one more row: past Excel's last row, continue on a new part. */
void ao_sheet_line_begin(ao_sheet *sh);

/** @brief Move to the next row. */
void ao_sheet_line_end(ao_sheet *sh);

/** @brief An empty row. */
void ao_sheet_blank_line(ao_sheet *sh);

/**
 * @brief Text in a cell of the current row, cut to Excel's longest cell on a character
 * boundary; empty or NULL text leaves the cell blank.
 * @param[in] count_width 1 to widen the column to fit it, 0 to let it run over the next.
 */
void ao_sheet_put_text_raw(ao_sheet *sh, lxw_col_t col, const char *text, lxw_format *format,
                           int count_width);

/** @brief Text in a cell of the current row, the column widened to fit it. */
void ao_sheet_put_text(ao_sheet *sh, lxw_col_t col, const char *text, lxw_format *format);

/** @brief A number in its style; a value that is not finite leaves the cell blank. */
void ao_sheet_put_number(ao_sheet *sh, lxw_col_t col, double value, ao_cell_style style);

/** @brief "yes" or "no". */
void ao_sheet_put_yes_no(ao_sheet *sh, lxw_col_t col, int yes);

/** @brief A title row above a block; its text may run over the next columns. */
void ao_sheet_put_title(ao_sheet *sh, const char *text);

/** @brief A note row (in place of an empty table, or below one). */
void ao_sheet_put_note(ao_sheet *sh, const char *text);

/**
 * @brief Start a table: its header row now, and again on every later part.
 * @param[in] headers Kept until ao_sheet_table_end(). @param[in] options AO_TABLE_* flags.
 */
void ao_sheet_table_begin(ao_sheet *sh, const char *const *headers, size_t n_headers, int options);

/** @brief A conditional format over one column of the current table (at most AO_MAX_FLAGS). */
void ao_sheet_table_flag(ao_sheet *sh, ao_flag_kind kind, lxw_col_t col, lxw_col_t other,
                         double value, lxw_format *format);

/** @brief End the current table: its autofilter and conditional formats on this part. */
void ao_sheet_table_end(ao_sheet *sh);

/** @brief A block among others: a blank row, a title and a table's header row. */
void ao_sheet_block_begin(ao_sheet *sh, const char *title, const char *const *headers, size_t n);

/** @brief End a block; with no rows, the note empty in its place. */
void ao_sheet_block_end(ao_sheet *sh, size_t n_rows, const char *empty);

/**
 * @brief A headline row: a label, a text value (wrapped past AO_MAX_VALUE_WIDTH) and an
 * explanation that runs on over the empty cells to its right.
 */
void ao_sheet_headline_text(ao_sheet *sh, const char *label, const char *value,
                            const char *explanation);

/** @brief A headline row with a number in its style. */
void ao_sheet_headline_number(ao_sheet *sh, const char *label, double value, ao_cell_style style,
                              const char *explanation);

/* Excel's paper size code for A4. */
#define AO_PAPER_A4 9

/**
 * @brief Page setup of a worksheet for printing in a board pack: A4 landscape, one page
 * wide and as many tall as it takes, the frozen header rows repeated on every page, the
 * sheet name in the page header and "Page n of m" in the footer, and the print area (set
 * to the used range when the sheet was written) widened to hold its charts. Applied to
 * every worksheet by report/workbook_writer.c once every sheet and chart is written.
 */
ao_error ao_sheet_print_setup(lxw_worksheet *ws);

#endif /* AO_REPORT_SHEET_H */
