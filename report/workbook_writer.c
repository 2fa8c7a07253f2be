/*
 * The results workbook (FORMATS.md "Outputs").
 *
 * Every sheet is written row by row, in order, in libxlsxwriter's constant_memory
 * mode: a national-scale plan then needs no more memory than a small one. A table
 * longer than Excel's row limit continues on a sheet of the same name followed by a
 * number ("Allocation (2)"), with its header repeated. Text is always written with
 * worksheet_write_string(), so that an input cell such as "=1+1" or "-5 %" can never
 * become a formula; numbers are always numbers, with a number format.
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
 * split.
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
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <xlsxwriter.h>

#include "common/index.h"
#include "common/strutil.h"
#include "common/table.h"
#include "models/uncertainty.h"
#include "models/verify.h"
#include "report/atomic_file.h"
#include "report/sheet_writer.h"

/* ---- formats ---- */

/** How a cell is shown. One lxw_format per style, created once per workbook. */
typedef enum cell_style {
    CELL_TEXT = 0, ///< Text (no number format).
    CELL_MONEY,    ///< £ amounts.
    CELL_ACTIVITY, ///< Activity and need, in the service's units.
    CELL_SHARE,    ///< Shares, coverage, utilisation.
    CELL_PRICE,    ///< Shadow prices (objective per £1m).
    CELL_COUNT,    ///< Whole numbers.
    CELL_RATIO,    ///< Coefficients of variation.
    CELL_BENEFIT,  ///< Benefit in the model's benefit unit.
    CELL_VALUE,    ///< Constraint rows, whose units differ from row to row.
    CELL_GENERAL,  ///< Excel's General: duals span many orders of magnitude.
    /* Differences from the baseline, always signed. */
    CELL_MONEY_CHANGE,    ///< £.
    CELL_BENEFIT_CHANGE,  ///< Benefit units.
    CELL_SHARE_CHANGE,    ///< Shares (percentage points).
    CELL_ACTIVITY_CHANGE, ///< Activity.
    CELL_COUNT_CHANGE,    ///< Whole numbers.
    CELL_RATIO_CHANGE,    ///< Coefficients of variation.
    CELL_STYLES           ///< Number of styles.
} cell_style;

/** Number format of each style, and what it adds to the digits (for column widths). */
static const struct {
    const char *num_format; ///< Excel number format, or NULL.
    int decimals;           ///< Decimals shown.
    int extra;              ///< Characters shown beside the digits (£, %, a sign always shown).
    double scale;           ///< Factor the format applies (100 for percentages).
    int signed_format;      ///< 1 when the format shows the sign of every value.
} cell_formats[CELL_STYLES] = {
    /* clang-format off */
    [CELL_TEXT] = {NULL, 0, 0, 1.0, 0},
    [CELL_MONEY] = {"£#,##0", 0, 1, 1.0, 0},
    [CELL_ACTIVITY] = {"#,##0.0", 1, 0, 1.0, 0},
    [CELL_SHARE] = {"0.0%", 1, 1, 100.0, 0},
    [CELL_PRICE] = {"#,##0.000", 3, 0, 1.0, 0},
    [CELL_COUNT] = {"#,##0", 0, 0, 1.0, 0},
    [CELL_RATIO] = {"0.000", 3, 0, 1.0, 0},
    [CELL_BENEFIT] = {"#,##0.00", 2, 0, 1.0, 0},
    [CELL_VALUE] = {"#,##0.00", 2, 0, 1.0, 0},
    [CELL_GENERAL] = {NULL, 0, 0, 1.0, 0},
    [CELL_MONEY_CHANGE] = {"+£#,##0;-£#,##0;£0", 0, 2, 1.0, 1},
    [CELL_BENEFIT_CHANGE] = {"+#,##0.00;-#,##0.00;0.00", 2, 1, 1.0, 1},
    [CELL_SHARE_CHANGE] = {"+0.0%;-0.0%;0.0%", 1, 2, 100.0, 1},
    [CELL_ACTIVITY_CHANGE] = {"+#,##0.0;-#,##0.0;0.0", 1, 1, 1.0, 1},
    [CELL_COUNT_CHANGE] = {"+#,##0;-#,##0;0", 0, 1, 1.0, 1},
    [CELL_RATIO_CHANGE] = {"+0.000;-0.000;0.000", 3, 1, 1.0, 1},
    /* clang-format on */
};

/* Colours: header fill, and Excel's own "light red fill with dark red text" and
 * "yellow fill with dark yellow text" for flagged cells. */
#define AO_HEADER_FILL 0xDCE6F1
#define AO_FLAG_FILL 0xFFC7CE
#define AO_FLAG_FONT 0x9C0006
#define AO_FULL_FILL 0xFFEB9C
#define AO_FULL_FONT 0x9C5700
#define AO_NOTE_FONT 0x595959
#define AO_TITLE_SIZE 12

/* Column widths, in characters. */
#define AO_WIDTH_COLS 256
#define AO_MIN_WIDTH 8.0
#define AO_MAX_WIDTH 60.0
/* Summary values: a longer text value wraps within the column. */
#define AO_MAX_VALUE_WIDTH 40.0
/* Excel's default row height, in points. */
#define AO_ROW_HEIGHT 15.0
#define AO_WIDTH_PADDING 2.0

/* Risk flags (MODEL.md "Risk indicators"). Shares are shown to 0.1 %: a share is
 * flagged only when it is below its baseline by more than half of what is shown, so
 * that rounding never paints an unchanged share red. */
#define AO_SHARE_FLAG_TOLERANCE 0.0005
#define AO_CV_FLAG 0.1
#define AO_MARGIN_FLAG (-1e-6)
#define AO_FULL_FLAG 0.9995

/* Expansion lines below this many units are solver noise, not capacity added. */
#define AO_UNITS_EPSILON 1e-9
/* Numbers this close to zero are written as zero, so that no "-0.0" appears. */
#define AO_ZERO_EPSILON 1e-12
/* A difference from the baseline this small relative to the figures is solver noise. */
#define AO_DIFFERENCE_NOISE 1e-9

/* Data rows a sheet holds below its header row. */
#define AO_SHEET_DATA_ROWS ((size_t)LXW_ROW_MAX - 1)


/* The sheet holding the figures the Summary charts draw that no other sheet lays out. */
#define AO_CHART_SHEET "Charts data"
/* At most this many series in one chart (Excel allows 255; more would not be read). */
#define AO_CHART_MAX_SERIES 12
/* Chart layout on the Summary, in pixels; libxlsxwriter's chart is 480 x 288 unscaled. */
#define AO_CHART_BASE_WIDTH 480.0
#define AO_CHART_BASE_HEIGHT 288.0
#define AO_CHART_GAP 16
#define AO_CHART_FULL_WIDTH 1000
#define AO_CHART_SPEND_WIDTH 600
#define AO_CHART_HEIGHT 320
#define AO_CHART_TALL_HEIGHT 380
#define AO_CHART_TITLE_SIZE 11
/* Pixels between the top of a chart's first row and the chart (clear of a page break). */
#define AO_CHART_TOP 4
/* Pixels of a row of the default height. */
#define AO_ROW_PIXELS 20
/* NHS identity colours: blue, light blue, dark blue; and a mid grey. */
#define AO_COLOUR_SPECIALISED 0x005EB8
#define AO_COLOUR_PRIORITY 0x41B6E6
#define AO_COLOUR_CAPITAL 0x003087
#define AO_COLOUR_BASELINE 0xA5A5A5
/* Axis formats: £ millions, and whole percentages. */
#define AO_AXIS_MILLIONS "£#,##0,,\"m\""
#define AO_AXIS_PERCENT "0%"

/* Coverage this little above 100 % is rounding: the coverage axis still stops at 100 %. */
#define AO_COVERAGE_SLACK 1e-6
/* Excel's paper size code for A4. */
#define AO_PAPER_A4 9

/* Bytes of output buffered before the Allocation CSV is written to disk. */
#define AO_CSV_BUFFER (1u << 20)

typedef struct styles {
    lxw_format *cell[CELL_STYLES]; ///< One per number format (CELL_TEXT and GENERAL: NULL).
    lxw_format *header;            ///< Bold on a fill, with a bottom border.
    lxw_format *title;             ///< Bold and larger: block titles.
    lxw_format *label;             ///< Bold text: Summary labels, totals.
    lxw_format *note;              ///< Italic grey: a note in place of an empty table.
    lxw_format *wrap;              ///< Wrapped text: a long value in a narrow column.
    lxw_format *flag;              ///< Conditional: a risk flagged.
    lxw_format *full;              ///< Conditional: capacity fully used.
} styles;

static ao_error styles_create(lxw_workbook *book, styles *st)
{
    memset(st, 0, sizeof *st);
    for (int c = 0; c < CELL_STYLES; c++) {
        if (cell_formats[c].num_format == NULL)
            continue;
        st->cell[c] = workbook_add_format(book);
        if (st->cell[c] == NULL)
            return AO_ERROR_MEMORY_MALLOC_FAILED;
        format_set_num_format(st->cell[c], cell_formats[c].num_format);
    }
    lxw_format **named[] = {&st->header, &st->title, &st->label, &st->note,
                            &st->wrap,   &st->flag,  &st->full};
    for (size_t k = 0; k < sizeof named / sizeof named[0]; k++) {
        *named[k] = workbook_add_format(book);
        if (*named[k] == NULL)
            return AO_ERROR_MEMORY_MALLOC_FAILED;
    }
    format_set_bold(st->header);
    format_set_bg_color(st->header, AO_HEADER_FILL);
    format_set_bottom(st->header, LXW_BORDER_THIN);
    format_set_bold(st->title);
    format_set_font_size(st->title, AO_TITLE_SIZE);
    format_set_bold(st->label);
    format_set_italic(st->note);
    format_set_font_color(st->note, AO_NOTE_FONT);
    format_set_text_wrap(st->wrap);
    format_set_bg_color(st->flag, AO_FLAG_FILL);
    format_set_font_color(st->flag, AO_FLAG_FONT);
    format_set_bg_color(st->full, AO_FULL_FILL);
    format_set_font_color(st->full, AO_FULL_FONT);
    /* Number the cell formats now, in this order, rather than as sheets first use them:
     * a sheet's XML (which names formats by number) is then the same in every workbook
     * that has it, as `allocopt merge` needs of the Uncertainty sheet. The conditional
     * formats (flag, full) are numbered apart, by the sheets that use them. */
    for (int c = 0; c < CELL_STYLES; c++)
        if (st->cell[c] != NULL)
            (void)lxw_format_get_xf_index(st->cell[c]);
    lxw_format *cell_formats_used[] = {st->header, st->title, st->label, st->note, st->wrap};
    for (size_t k = 0; k < sizeof cell_formats_used / sizeof cell_formats_used[0]; k++)
        (void)lxw_format_get_xf_index(cell_formats_used[k]);
    return AO_NO_ERROR;
}

/* ---- a sheet written row by row ---- */

/** Header options of a table. */
enum {
    TABLE_PLAIN = 0,  ///< A header row only (a block among others).
    TABLE_FREEZE = 1, ///< Freeze the panes below the header.
    TABLE_FILTER = 2  ///< Autofilter over the header and data (one per worksheet).
};

/** A conditional format over one column of a table's data. */
typedef enum flag_kind {
    FLAG_BELOW_COLUMN, ///< Value below the value in column `other` by more than `value`.
    FLAG_BELOW,        ///< Value below `value`.
    FLAG_ABOVE,        ///< Value above `value`.
    FLAG_AT_LEAST,     ///< Value at least `value`.
    FLAG_DATA_BAR      ///< A data bar (no threshold).
} flag_kind;

typedef struct flag_rule {
    flag_kind kind;     ///< Kind.
    lxw_col_t col;      ///< Column flagged.
    lxw_col_t other;    ///< Column compared with (FLAG_BELOW_COLUMN).
    double value;       ///< Threshold or tolerance.
    lxw_format *format; ///< Format of a flagged cell (not for data bars).
} flag_rule;

#define AO_MAX_FLAGS 4

typedef struct sheet {
    lxw_workbook *book;          ///< The workbook.
    const styles *st;            ///< Its formats.
    const char *name;            ///< Sheet name; later parts add " (2)", " (3)", ...
    int part;                    ///< 1 for the first worksheet of this sheet.
    lxw_worksheet *ws;           ///< Worksheet of the current part.
    lxw_row_t row;               ///< Next row to write.
    double width[AO_WIDTH_COLS]; ///< Widest content seen per column (characters).
    double cap[AO_WIDTH_COLS];   ///< Widest width allowed per column.
    lxw_col_t n_cols;            ///< Columns written on the current part.

    int in_table;                  ///< 1 between table_begin() and table_end().
    const char *const *headers;    ///< Current table's headers (repeated on a new part).
    lxw_col_t n_headers;           ///< Their number.
    int options;                   ///< TABLE_* flags of the current table.
    lxw_row_t header_row;          ///< Row of the current table's header on this part.
    flag_rule flags[AO_MAX_FLAGS]; ///< Conditional formats of the current table.
    int n_flags;                   ///< Their number.

    ao_error err; ///< First error met; later writes do nothing.
} sheet;

static void widen(sheet *sh, lxw_col_t col, double chars)
{
    if (col < AO_WIDTH_COLS && chars > sh->width[col])
        sh->width[col] = chars;
    if (col >= sh->n_cols)
        sh->n_cols = (lxw_col_t)(col + 1);
}

/* Characters a number takes once formatted in a style. */
static double number_chars(double value, cell_style style)
{
    double shown = fabs(value) * cell_formats[style].scale;
    if (style == CELL_GENERAL || !(shown < 1e15))
        return 12.0;
    char text[48];
    int decimals = cell_formats[style].decimals;
    int n = snprintf(text, sizeof text, "%.*f", decimals, shown);
    int digits = decimals > 0 ? n - decimals - 1 : n;
    return n + (digits - 1) / 3 + cell_formats[style].extra +
           (value < 0 && !cell_formats[style].signed_format);
}

/* The longest prefix of text that Excel accepts in a cell, cut on a character boundary. */
#define AO_CELL_MAX_BYTES 32767

static void put_text_raw(sheet *sh, lxw_col_t col, const char *text, lxw_format *format,
                         int count_width)
{
    if (sh->err != AO_NO_ERROR || text == NULL || *text == '\0')
        return;
    size_t length = strlen(text);
    if (length <= AO_CELL_MAX_BYTES) {
        ao_sheet_note(&sh->err, worksheet_write_string(sh->ws, sh->row, col, text, format));
    } else {
        size_t cut = AO_CELL_MAX_BYTES;
        while (cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80)
            cut--;
        char *prefix = ao_strndup(text, cut);
        if (prefix == NULL) {
            sh->err = AO_ERROR_MEMORY_MALLOC_FAILED;
            return;
        }
        ao_sheet_note(&sh->err, worksheet_write_string(sh->ws, sh->row, col, prefix, format));
        free(prefix);
    }
    if (count_width)
        widen(sh, col,
              ao_sheet_text_chars(text) + (format == sh->st->header || format == sh->st->label));
}

static void put_text(sheet *sh, lxw_col_t col, const char *text, lxw_format *format)
{
    put_text_raw(sh, col, text, format, 1);
}

/* A number in its style; not-finite values (absent bounds, undefined shares) stay blank. */
static void put_number(sheet *sh, lxw_col_t col, double value, cell_style style)
{
    if (sh->err != AO_NO_ERROR || !isfinite(value))
        return;
    if (fabs(value) < AO_ZERO_EPSILON)
        value = 0.0;
    ao_sheet_note(&sh->err,
                  worksheet_write_number(sh->ws, sh->row, col, value, sh->st->cell[style]));
    widen(sh, col, number_chars(value, style));
}

static void put_yes_no(sheet *sh, lxw_col_t col, int yes)
{
    put_text(sh, col, yes ? "yes" : "no", NULL);
}

static void part_begin(sheet *sh)
{
    /* "Allocation (2)": within Excel's 31 characters for any real number of parts. */
    char name[64];
    if (sh->part <= 1)
        snprintf(name, sizeof name, "%s", sh->name);
    else
        snprintf(name, sizeof name, "%.20s (%d)", sh->name, sh->part);
    sh->ws = workbook_add_worksheet(sh->book, name);
    if (sh->ws == NULL && sh->err == AO_NO_ERROR)
        sh->err = AO_ERROR_WORKBOOK;
    sh->row = 0;
    sh->n_cols = 0;
    for (int c = 0; c < AO_WIDTH_COLS; c++)
        sh->width[c] = 0.0;
}

static void sheet_begin(sheet *sh, lxw_workbook *book, const styles *st, const char *name)
{
    memset(sh, 0, sizeof *sh);
    sh->book = book;
    sh->st = st;
    sh->name = name;
    sh->part = 1;
    for (int c = 0; c < AO_WIDTH_COLS; c++)
        sh->cap[c] = AO_MAX_WIDTH;
    part_begin(sh);
}

/* Column widths that fit what was written (libxlsxwriter 1.1 has no autofit). */
static void part_widths(sheet *sh)
{
    if (sh->err != AO_NO_ERROR)
        return;
    for (lxw_col_t c = 0; c < sh->n_cols && c < AO_WIDTH_COLS; c++) {
        if (sh->width[c] <= 0)
            continue;
        double width = fmin(fmax(sh->width[c] + AO_WIDTH_PADDING, AO_MIN_WIDTH), sh->cap[c]);
        ao_sheet_note(&sh->err, worksheet_set_column(sh->ws, c, c, width, NULL));
    }
}

static void write_header(sheet *sh)
{
    sh->header_row = sh->row;
    for (lxw_col_t c = 0; c < sh->n_headers; c++)
        put_text(sh, c, sh->headers[c], sh->st->header);
    if (sh->err == AO_NO_ERROR && (sh->options & TABLE_FREEZE))
        worksheet_freeze_panes(sh->ws, sh->row + 1, 0);
    sh->row++;
}

/* The conditional formats and autofilter of the current table on the current part. */
static void table_close_part(sheet *sh)
{
    if (sh->err != AO_NO_ERROR || !sh->in_table)
        return;
    lxw_row_t first = sh->header_row + 1;
    lxw_row_t last = sh->row > first ? sh->row - 1 : first;
    if (sh->options & TABLE_FILTER)
        ao_sheet_note(&sh->err, worksheet_autofilter(sh->ws, sh->header_row, 0,
                                                     sh->row > first ? last : sh->header_row,
                                                     (lxw_col_t)(sh->n_headers - 1)));
    if (sh->row <= first)
        return;
    for (int q = 0; q < sh->n_flags && sh->err == AO_NO_ERROR; q++) {
        const flag_rule *rule = &sh->flags[q];
        lxw_conditional_format format;
        memset(&format, 0, sizeof format);
        format.format = rule->format;
        char formula[160];
        switch (rule->kind) {
        case FLAG_BELOW_COLUMN: {
            /* Relative to the range's first cell; blank cells are not flagged. */
            char col[8], other[8];
            ao_column_letters(rule->col, col);
            ao_column_letters(rule->other, other);
            snprintf(formula, sizeof formula, "=AND(ISNUMBER($%s%u),$%s%u<$%s%u-%g)", col,
                     (unsigned)first + 1, col, (unsigned)first + 1, other, (unsigned)first + 1,
                     rule->value);
            format.type = LXW_CONDITIONAL_TYPE_FORMULA;
            format.value_string = formula;
            break;
        }
        case FLAG_BELOW:
        case FLAG_ABOVE:
        case FLAG_AT_LEAST:
            format.type = LXW_CONDITIONAL_TYPE_CELL;
            format.criteria = rule->kind == FLAG_BELOW ? LXW_CONDITIONAL_CRITERIA_LESS_THAN
                              : rule->kind == FLAG_ABOVE
                                  ? LXW_CONDITIONAL_CRITERIA_GREATER_THAN
                                  : LXW_CONDITIONAL_CRITERIA_GREATER_THAN_OR_EQUAL_TO;
            format.value = rule->value;
            break;
        case FLAG_DATA_BAR:
            format.type = LXW_CONDITIONAL_DATA_BAR;
            format.format = NULL;
            break;
        }
        lxw_error error =
            worksheet_conditional_format_range(sh->ws, first, rule->col, last, rule->col, &format);
        ao_sheet_note(&sh->err, error);
    }
}

/* Make room for one more row: past Excel's last row, continue on a new worksheet. */
static void line_begin(sheet *sh)
{
    if (sh->err != AO_NO_ERROR || sh->row < LXW_ROW_MAX)
        return;
    table_close_part(sh);
    part_widths(sh);
    sh->part++;
    part_begin(sh);
    if (sh->in_table)
        write_header(sh);
}

static void line_end(sheet *sh)
{
    sh->row++;
}

static void blank_line(sheet *sh)
{
    line_begin(sh);
    line_end(sh);
}

/* A title row above a block; its text may run over the next columns. */
static void put_title(sheet *sh, const char *text)
{
    line_begin(sh);
    put_text_raw(sh, 0, text, sh->st->title, 0);
    line_end(sh);
}

/* A note in place of an empty table. */
static void put_note(sheet *sh, const char *text)
{
    line_begin(sh);
    put_text_raw(sh, 0, text, sh->st->note, 0);
    line_end(sh);
}

static void table_begin(sheet *sh, const char *const *headers, size_t n_headers, int options)
{
    sh->headers = headers;
    sh->n_headers = (lxw_col_t)n_headers;
    sh->options = options;
    sh->n_flags = 0;
    line_begin(sh);
    write_header(sh);
    sh->in_table = 1;
}

static void table_flag(sheet *sh, flag_kind kind, lxw_col_t col, lxw_col_t other, double value,
                       lxw_format *format)
{
    if (sh->n_flags < AO_MAX_FLAGS)
        sh->flags[sh->n_flags++] = (flag_rule){kind, col, other, value, format};
}

static void table_end(sheet *sh)
{
    table_close_part(sh);
    sh->in_table = 0;
    sh->n_flags = 0;
}

/* Finish the sheet; returns its first error. */
static ao_error sheet_end(sheet *sh)
{
    if (sh->in_table)
        table_end(sh);
    part_widths(sh);
    return sh->err;
}

#define COUNT_OF(array) (sizeof(array) / sizeof((array)[0]))

/* ---- names beside ids ---- */

static const char *icb_id(const ao_model *m, int i)
{
    return i >= 0 && i < m->n_icbs ? m->icbs[i].id : "";
}

static const char *icb_name(const ao_model *m, int i)
{
    return i >= 0 && i < m->n_icbs ? m->icbs[i].name : "";
}

static const char *service_id(const ao_model *m, int s)
{
    return s >= 0 && s < m->n_services ? m->services[s].id : "";
}

static const char *service_name(const ao_model *m, int s)
{
    return s >= 0 && s < m->n_services ? m->services[s].name : "";
}

static const char *provider_id(const ao_model *m, int p)
{
    return p >= 0 && p < m->n_providers ? m->providers[p].id : "";
}

static const char *provider_name(const ao_model *m, int p)
{
    return p >= 0 && p < m->n_providers ? m->providers[p].name : "";
}

static const char *category_name(const ao_model *m, int s)
{
    if (s < 0 || s >= m->n_services)
        return "";
    return m->services[s].category == AO_CATEGORY_SPECIALISED ? "specialised" : "priority";
}

static const ao_capacity *capacity_row(const ao_model *m, int k)
{
    return k >= 0 && k < m->n_capacity ? &m->capacity[k] : NULL;
}

static void put_year(sheet *sh, lxw_col_t col, const ao_model *m, int t)
{
    char label[16];
    ao_model_year_label(m, t, label);
    put_text(sh, col, label, NULL);
}

/* ---- Summary ---- */

static const char *status_words(ao_solve_status status)
{
    switch (status) {
    case AO_STATUS_OPTIMAL:
        return "Optimal plan found";
    case AO_STATUS_INFEASIBLE:
        return "No feasible plan";
    case AO_STATUS_UNBOUNDED:
        return "No limit on the objective";
    case AO_STATUS_NOT_SOLVED:
    default:
        return "Not solved";
    }
}

static const char *status_explanation(ao_solve_status status)
{
    switch (status) {
    case AO_STATUS_OPTIMAL:
        return "The plan meets every budget, standard and limit, and no other plan that does "
               "scores better.";
    case AO_STATUS_INFEASIBLE:
        return "No allocation meets every budget, standard and limit at once; the rows below "
               "say which limits conflict.";
    case AO_STATUS_UNBOUNDED:
        return "The inputs leave the objective without a limit; check budgets and need.";
    case AO_STATUS_NOT_SOLVED:
    default:
        return "The solver stopped before it found a plan.";
    }
}

static const char *arrangement_explanation(ao_arrangement arrangement)
{
    switch (arrangement) {
    case AO_ARRANGEMENT_JOINT:
        return "Specialised spend is pooled across each joint committee's ICBs; each ICB keeps "
               "its own budget for its priorities.";
    case AO_ARRANGEMENT_NATIONAL:
        return "Specialised spend is pooled across all ICBs; each ICB keeps its own budget for "
               "its priorities.";
    case AO_ARRANGEMENT_DELEGATED:
    default:
        return "Each ICB holds its whole revenue budget, specialised services included.";
    }
}

/* A headline: label, value, and an explanation that runs on over the empty cells to its
 * right (so it does not widen the columns of the tables below). */
static void headline_text(sheet *sh, const char *label, const char *value, const char *explanation)
{
    line_begin(sh);
    double chars = value != NULL ? ao_sheet_text_chars(value) : 0.0;
    int long_value = chars > AO_MAX_VALUE_WIDTH;
    if (long_value && sh->err == AO_NO_ERROR) {
        /* libxlsxwriter does not size rows to wrapped text, and not every spreadsheet
         * program does it on opening: give the row its lines. */
        double lines = ceil(chars / (AO_MAX_VALUE_WIDTH - AO_WIDTH_PADDING));
        ao_sheet_note(&sh->err, worksheet_set_row(sh->ws, sh->row, AO_ROW_HEIGHT * lines, NULL));
    }
    put_text(sh, 0, label, sh->st->label);
    put_text(sh, 1, value, long_value ? sh->st->wrap : NULL);
    put_text_raw(sh, 2, explanation, NULL, 0);
    line_end(sh);
}

static void headline_number(sheet *sh, const char *label, double value, cell_style style,
                            const char *explanation)
{
    line_begin(sh);
    put_text(sh, 0, label, sh->st->label);
    put_number(sh, 1, value, style);
    put_text_raw(sh, 2, explanation, NULL, 0);
    line_end(sh);
}

/* Why there is no plan: the explanation, one line per row, or, when the limits that
 * would have to move are known, its first line and a table of those limits (the rest of
 * the explanation is their sentences). */
static void summary_infeasibility(sheet *sh, const ao_plan *plan)
{
    if (plan->infeasibility != NULL) {
        char *text = ao_strdup(plan->infeasibility);
        if (text == NULL) {
            sh->err = AO_ERROR_MEMORY_MALLOC_FAILED;
            return;
        }
        int first = 1;
        char *save = NULL;
        for (char *line = strtok_r(text, "\n", &save); line != NULL && sh->err == AO_NO_ERROR;
             line = strtok_r(NULL, "\n", &save)) {
            if (!first && plan->n_diagnosis > 0)
                break;
            line_begin(sh);
            if (first)
                put_text(sh, 0, "Why no plan was found", sh->st->label);
            put_text_raw(sh, 1, line, NULL, 0);
            line_end(sh);
            first = 0;
        }
        free(text);
    }
    if (plan->n_diagnosis == 0)
        return;
    blank_line(sh);
    put_title(sh, "What would have to change for a plan to exist");
    static const char *const headers[] = {"limit",    "change needed", "kind",
                                          "as given", "direction",     "what must change"};
    table_begin(sh, headers, COUNT_OF(headers), TABLE_PLAIN);
    for (size_t k = 0; k < plan->n_diagnosis && sh->err == AO_NO_ERROR; k++) {
        const ao_diagnosis_line *d = &plan->diagnosis[k];
        cell_style style = d->money ? CELL_MONEY : CELL_ACTIVITY;
        line_begin(sh);
        put_text(sh, 0, d->description, NULL);
        put_number(sh, 1, d->change, style);
        put_text(sh, 2, d->group, NULL);
        put_number(sh, 3, d->limit, style);
        put_text(sh, 4, d->lower ? "lower the minimum" : "raise the maximum", NULL);
        put_text_raw(sh, 5, d->sentence, NULL, 0);
        line_end(sh);
    }
    table_end(sh);
    put_note(sh, "The Diagnosis sheet lists these limits again, one per row, with the limit each "
                 "would have to become.");
}

/** What the Summary needs to know of the other sheets, and what its charts need of it. */
typedef struct summary_info {
    const char *csv_name;   ///< Name of the Allocation CSV beside the workbook, or NULL.
    lxw_worksheet *ws;      ///< [out] The Summary worksheet.
    lxw_row_t spend_header; ///< [out] Header row of the spend-by-year table.
    int spend_years;        ///< [out] Year rows below that header (0: no table).
    lxw_row_t free_row;     ///< [out] First row below the Summary's tables.
} summary_info;

/* Spend by category and year, from the service-year totals and the expansion lines. */
static void summary_spend(sheet *sh, const ao_model *m, const ao_plan *plan, summary_info *info)
{
    int years = m->settings.years > 0 ? m->settings.years : 0;
    double *spend = calloc((size_t)years * 3 + 1, sizeof *spend);
    if (spend == NULL) {
        sh->err = AO_ERROR_MEMORY_MALLOC_FAILED;
        return;
    }
    double *specialised = spend, *priority = spend + years, *capital = spend + 2 * years;
    for (size_t k = 0; k < plan->n_service_years; k++) {
        const ao_service_year *y = &plan->service_years[k];
        if (y->t < 0 || y->t >= years || y->s < 0 || y->s >= m->n_services)
            continue;
        if (m->services[y->s].category == AO_CATEGORY_SPECIALISED)
            specialised[y->t] += y->spend;
        else
            priority[y->t] += y->spend;
    }
    for (size_t k = 0; k < plan->n_expansions; k++)
        if (plan->expansions[k].t >= 0 && plan->expansions[k].t < years)
            capital[plan->expansions[k].t] += plan->expansions[k].cost;

    blank_line(sh);
    put_title(sh, "Spend by category and year (£, not discounted)");
    static const char *const headers[] = {"year",
                                          "specialised spend",
                                          "priority spend",
                                          "total revenue spend",
                                          "specialised share",
                                          "capital spend"};
    table_begin(sh, headers, COUNT_OF(headers), TABLE_PLAIN);
    info->spend_header = sh->header_row;
    info->spend_years = years;
    double total[3] = {0, 0, 0};
    for (int t = 0; t <= years && sh->err == AO_NO_ERROR; t++) {
        double spec = t < years ? specialised[t] : total[0];
        double prio = t < years ? priority[t] : total[1];
        double cap = t < years ? capital[t] : total[2];
        line_begin(sh);
        if (t < years)
            put_year(sh, 0, m, t);
        else
            put_text(sh, 0, "Total", sh->st->label);
        put_number(sh, 1, spec, CELL_MONEY);
        put_number(sh, 2, prio, CELL_MONEY);
        put_number(sh, 3, spec + prio, CELL_MONEY);
        put_number(sh, 4, spec + prio > 0 ? spec / (spec + prio) : NAN, CELL_SHARE);
        put_number(sh, 5, cap, CELL_MONEY);
        line_end(sh);
        if (t < years) {
            total[0] += spec;
            total[1] += prio;
            total[2] += cap;
        }
    }
    table_end(sh);
    free(spend);
}

static ao_error write_summary(lxw_workbook *book, const styles *st, const ao_results *results,
                              summary_info *info)
{
    const ao_model *m = results->cases[0].model;
    const ao_plan *plan = results->cases[0].plan;
    const ao_settings *settings = &m->settings;
    int optimal = plan->status == AO_STATUS_OPTIMAL;
    int cost = settings->objective == AO_OBJECTIVE_COST;
    const char *unit = settings->benefit_unit ? settings->benefit_unit : "benefit units";
    char text[256], first_year[16], last_year[16], csv_explanation[512];

    sheet sh;
    sheet_begin(&sh, book, st, "Summary");
    info->ws = sh.ws;
    info->spend_years = 0;
    sh.cap[1] = AO_MAX_VALUE_WIDTH;
    /* Printed for a board pack: A4 landscape, one page wide. */
    if (sh.ws != NULL) {
        worksheet_set_paper(sh.ws, AO_PAPER_A4);
        worksheet_set_landscape(sh.ws);
        worksheet_fit_to_pages(sh.ws, 1, 0);
    }
    static const char *const headers[] = {"Item", "Value", "What it means"};
    table_begin(&sh, headers, COUNT_OF(headers), TABLE_FREEZE);
    table_end(&sh);

    headline_text(&sh, "Model", settings->name ? settings->name : "(no name given)",
                  "The name given in the settings table.");
    headline_text(&sh, "Input", results->input_path,
                  "The folder or workbook the inputs were read from.");
    headline_text(&sh, "Arrangement", ao_arrangement_name(plan->arrangement),
                  arrangement_explanation(plan->arrangement));
    headline_text(&sh, "Objective kind", cost ? "cost" : "benefit",
                  cost ? "The plan keeps discounted revenue and capital spend as low as the "
                         "standards allow."
                       : "The plan buys as much health benefit as the budgets allow, later "
                         "years discounted.");
    headline_text(&sh, "Benefit unit", unit, "The unit in which health benefit is counted.");
    ao_model_year_label(m, 0, first_year);
    ao_model_year_label(m, settings->years > 0 ? settings->years - 1 : 0, last_year);
    snprintf(text, sizeof text, "%s to %s", first_year, last_year);
    char explanation[256];
    snprintf(explanation, sizeof explanation, "%d financial years.", settings->years);
    headline_text(&sh, "Planning years", text, explanation);
    headline_number(&sh, "Discount rate", settings->discount_rate, CELL_SHARE,
                    "Each later year's benefit and spend counts this much less than the year "
                    "before in the objective.");
    headline_text(&sh, "Status", status_words(plan->status), status_explanation(plan->status));
    if (cost)
        snprintf(explanation, sizeof explanation,
                 "Discounted revenue and capital spend (£): the figure the plan minimises.");
    else
        snprintf(explanation, sizeof explanation,
                 "Discounted benefit (%s): the figure the plan maximises.", unit);
    headline_number(&sh, "Objective", optimal ? plan->objective : NAN,
                    cost ? CELL_MONEY : CELL_BENEFIT, explanation);
    snprintf(explanation, sizeof explanation,
             "Benefit bought over the plan (%s), later years discounted.", unit);
    headline_number(&sh, "Discounted benefit", optimal ? plan->discounted_benefit : NAN,
                    CELL_BENEFIT, explanation);
    snprintf(explanation, sizeof explanation,
             "Benefit bought over the plan (%s), every year counted in full.", unit);
    headline_number(&sh, "Total benefit (undiscounted)", optimal ? plan->total_benefit : NAN,
                    CELL_BENEFIT, explanation);
    headline_number(&sh, "Total revenue spend", optimal ? plan->total_revenue_spend : NAN,
                    CELL_MONEY, "Revenue spent on every service over every year (£).");
    headline_number(&sh, "Total capital spend", optimal ? plan->total_capital_spend : NAN,
                    CELL_MONEY, "Capital spent on added provider capacity over every year (£).");
    headline_number(&sh, "Specialised share", optimal ? plan->specialised_share : NAN, CELL_SHARE,
                    "Share of revenue spend that goes to specialised services.");
    headline_number(&sh, "LP rows", (double)plan->n_rows, CELL_COUNT,
                    "Limits in the optimisation model: budgets, standards, capacity, rules.");
    headline_number(&sh, "LP columns", (double)plan->n_cols, CELL_COUNT,
                    "Decisions the optimiser makes: activity per ICB, service, provider and "
                    "year, and capacity added.");
    headline_number(&sh, "LP nonzeros", (double)plan->n_nz, CELL_COUNT,
                    "Links between decisions and limits; solve time grows with this number.");
    headline_text(&sh, "Solved by", ao_plan_solver_description(plan->solver_used),
                  "The linear-programming method. By default (--solver auto) it is chosen "
                  "from the size of the plan, the same choice on every machine; --solver "
                  "glpk, clp or glpk-interior forces one.");
    if (optimal && plan->is_mip)
        headline_number(&sh, "MIP gap", plan->mip_gap, CELL_SHARE,
                        "Some decisions are whole-valued (contracts, expansion steps): the "
                        "objective is proved within this share of the best possible.");
    if (optimal && plan->verified) {
        int passed = plan->max_relative_violation <= AO_VERIFY_TOLERANCE;
        snprintf(explanation, sizeof explanation,
                 "Every limit (%zu) was checked again from the plan, independently of the "
                 "solver.",
                 plan->n_checks);
        headline_text(&sh, "Independent check",
                      passed ? "passed"
                             : (plan->worst_violation ? plan->worst_violation : "failed"),
                      explanation);
        headline_number(&sh, "Largest violation", plan->max_violation, CELL_ACTIVITY,
                        "The most any limit is exceeded by, in its own unit (£ or activity): "
                        "rounding in the solver, not a real breach.");
        headline_number(&sh, "Largest relative violation", plan->max_relative_violation,
                        CELL_SHARE, "The same, as a share of the size of the limit.");
    }
    if (results->n_cases > 1)
        headline_number(&sh, "Scenarios", (double)(results->n_cases - 1), CELL_COUNT,
                        "What-if cases compared on the Scenarios sheet.");
    if (results->uncertainty != NULL) {
        snprintf(text, sizeof text, "%zu samples", results->uncertainty->n_samples);
        headline_text(&sh, "Uncertainty", text,
                      "See the Uncertainty sheet: percentiles of the objective and spend, the "
                      "chance of no feasible plan and of budget breaches.");
    }
    if (info->csv_name != NULL) {
        size_t parts = (plan->n_alloc + AO_SHEET_DATA_ROWS - 1) / AO_SHEET_DATA_ROWS;
        snprintf(csv_explanation, sizeof csv_explanation,
                 "The plan has %zu allocation lines, more than one Excel sheet holds: the "
                 "Allocation table is split over %zu sheets (Allocation, Allocation (2), ...) "
                 "and every line is also in this CSV file beside the workbook. In the CSV, text "
                 "that starts with = + - or @ has a ' in front so that spreadsheet programs keep "
                 "it as text.",
                 plan->n_alloc, parts);
        headline_text(&sh, "Allocation detail", info->csv_name, csv_explanation);
    }
    if (!optimal) {
        summary_infeasibility(&sh, plan);
    } else {
        summary_spend(&sh, m, plan, info);
        if (info->spend_years > 0)
            put_note(&sh, "The charts below draw on this table and on the Charts data sheet.");
    }
    info->free_row = sh.row + 1;
    return sheet_end(&sh);
}

/* ---- Allocation ---- */

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

static void csv_year(FILE *out, const ao_model *m, int t)
{
    char label[16];
    ao_model_year_label(m, t, label);
    csv_text(out, label);
}

static ao_error write_allocation(lxw_workbook *book, const styles *st, const ao_model *m,
                                 const ao_plan *plan, FILE *csv)
{
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

    sheet sh;
    sheet_begin(&sh, book, st, "Allocation");
    static const char *const headers[] = {"icb",
                                          "service",
                                          "provider",
                                          "year",
                                          "activity",
                                          "spend",
                                          "need",
                                          "coverage",
                                          "icb_name",
                                          "service_name",
                                          "provider_name",
                                          "category",
                                          "need_after_prevention"};
    table_begin(&sh, headers, COUNT_OF(headers), TABLE_FREEZE | TABLE_FILTER);
    if (csv != NULL) {
        for (size_t c = 0; c < COUNT_OF(headers); c++) {
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
            size_t k = where[AO_IST(line->i, line->s, line->t)];
            y = k > 0 ? &plan->service_years[k - 1] : NULL;
        }
        line_begin(&sh);
        put_text(&sh, 0, icb_id(m, line->i), NULL);
        put_text(&sh, 1, service_id(m, line->s), NULL);
        put_text(&sh, 2, provider_id(m, line->p), NULL);
        put_year(&sh, 3, m, line->t);
        put_number(&sh, 4, line->activity, CELL_ACTIVITY);
        put_number(&sh, 5, line->spend, CELL_MONEY);
        if (y != NULL) {
            put_number(&sh, 6, y->need, CELL_ACTIVITY);
            put_number(&sh, 7, y->coverage, CELL_SHARE);
        }
        put_text(&sh, 8, icb_name(m, line->i), NULL);
        put_text(&sh, 9, service_name(m, line->s), NULL);
        put_text(&sh, 10, provider_name(m, line->p), NULL);
        put_text(&sh, 11, category_name(m, line->s), NULL);
        if (y != NULL)
            put_number(&sh, 12, y->need_after_prevention, CELL_ACTIVITY);
        line_end(&sh);
        if (csv != NULL) {
            /* The same line, in the same columns. */
            csv_text(csv, icb_id(m, line->i));
            putc(',', csv);
            csv_text(csv, service_id(m, line->s));
            putc(',', csv);
            csv_text(csv, provider_id(m, line->p));
            putc(',', csv);
            csv_year(csv, m, line->t);
            putc(',', csv);
            csv_number(csv, line->activity);
            putc(',', csv);
            csv_number(csv, line->spend);
            putc(',', csv);
            csv_number(csv, y != NULL ? y->need : NAN);
            putc(',', csv);
            csv_number(csv, y != NULL ? y->coverage : NAN);
            putc(',', csv);
            csv_text(csv, icb_name(m, line->i));
            putc(',', csv);
            csv_text(csv, service_name(m, line->s));
            putc(',', csv);
            csv_text(csv, provider_name(m, line->p));
            putc(',', csv);
            csv_text(csv, category_name(m, line->s));
            putc(',', csv);
            csv_number(csv, y != NULL ? y->need_after_prevention : NAN);
            fputs("\r\n", csv);
        }
    }
#undef AO_IST
    free(where);
    if (csv != NULL && ferror(csv) && sh.err == AO_NO_ERROR)
        sh.err = AO_ERROR_FILE_WRITE;
    return sheet_end(&sh);
}

/* ---- Capital ---- */

static ao_error write_capital(lxw_workbook *book, const styles *st, const ao_model *m,
                              const ao_plan *plan)
{
    sheet sh;
    sheet_begin(&sh, book, st, "Capital");
    static const char *const added[] = {
        "provider",     "provider_name", "host_icb",    "host_icb_name", "service",
        "service_name", "year_paid",     "units_added", "capital_cost",  "first_year_available"};
    table_begin(&sh, added, COUNT_OF(added), TABLE_FREEZE | TABLE_FILTER);
    size_t n_added = 0;
    for (size_t e = 0; e < plan->n_expansions && sh.err == AO_NO_ERROR; e++) {
        const ao_expansion_line *line = &plan->expansions[e];
        const ao_capacity *cap = capacity_row(m, line->k);
        if (cap == NULL || !(line->units > AO_UNITS_EPSILON))
            continue;
        int host = cap->provider >= 0 && cap->provider < m->n_providers
                       ? m->providers[cap->provider].host
                       : -1;
        line_begin(&sh);
        put_text(&sh, 0, provider_id(m, cap->provider), NULL);
        put_text(&sh, 1, provider_name(m, cap->provider), NULL);
        put_text(&sh, 2, icb_id(m, host), NULL);
        put_text(&sh, 3, icb_name(m, host), NULL);
        put_text(&sh, 4, service_id(m, cap->service), NULL);
        put_text(&sh, 5, service_name(m, cap->service), NULL);
        put_year(&sh, 6, m, line->t);
        put_number(&sh, 7, line->units, CELL_ACTIVITY);
        put_number(&sh, 8, line->cost, CELL_MONEY);
        put_year(&sh, 9, m, line->available_from);
        line_end(&sh);
        n_added++;
    }
    table_end(&sh);
    if (n_added == 0)
        put_note(&sh, "No capacity is added in this plan.");

    blank_line(&sh);
    put_title(&sh, "Capacity use: what each provider can deliver each year and what the plan "
                   "uses");
    static const char *const use[] = {"provider",     "provider_name", "service",
                                      "service_name", "year",          "available",
                                      "used",         "utilisation",   "min_volume"};
    table_begin(&sh, use, COUNT_OF(use), TABLE_PLAIN);
    table_flag(&sh, FLAG_AT_LEAST, 7, 0, AO_FULL_FLAG, st->full);
    for (size_t u = 0; u < plan->n_capacity_use && sh.err == AO_NO_ERROR; u++) {
        const ao_capacity_use *c = &plan->capacity_use[u];
        const ao_capacity *cap = capacity_row(m, c->k);
        if (cap == NULL)
            continue;
        line_begin(&sh);
        put_text(&sh, 0, provider_id(m, cap->provider), NULL);
        put_text(&sh, 1, provider_name(m, cap->provider), NULL);
        put_text(&sh, 2, service_id(m, cap->service), NULL);
        put_text(&sh, 3, service_name(m, cap->service), NULL);
        put_year(&sh, 4, m, c->t);
        put_number(&sh, 5, c->available, CELL_ACTIVITY);
        put_number(&sh, 6, c->used, CELL_ACTIVITY);
        put_number(&sh, 7, c->available > 0 ? c->used / c->available : NAN, CELL_SHARE);
        put_number(&sh, 8, c->min_volume, CELL_ACTIVITY);
        line_end(&sh);
    }
    table_end(&sh);
    if (plan->n_capacity_use == 0)
        put_note(&sh, "No service has provider capacity rows.");
    return sheet_end(&sh);
}

/* ---- Budgets ---- */

static ao_error write_budgets(lxw_workbook *book, const styles *st, const ao_model *m,
                              const ao_plan *plan)
{
    /* Pools are ICB ids, joint committees or England: look ICB names up by id. */
    ao_index icbs = {0};
    ao_error err = AO_NO_ERROR;
    for (int i = 0; i < m->n_icbs && err == AO_NO_ERROR; i++) {
        int existing;
        err = ao_index_put(&icbs, m->icbs[i].id, i, &existing);
    }
    if (err != AO_NO_ERROR) {
        ao_index_free(&icbs);
        return err;
    }

    sheet sh;
    sheet_begin(&sh, book, st, "Budgets");
    static const char *const headers[] = {
        "pool",         "year",    "kind",      "available",        "used",          "headroom",
        "shadow_price", "binding", "pool_name", "price_holds_from", "price_holds_to"};
    table_begin(&sh, headers, COUNT_OF(headers), TABLE_FREEZE | TABLE_FILTER);
    for (size_t k = 0; k < plan->n_budgets && sh.err == AO_NO_ERROR; k++) {
        const ao_budget_line *b = &plan->budgets[k];
        int i = ao_index_get(&icbs, b->pool);
        line_begin(&sh);
        put_text(&sh, 0, b->pool, NULL);
        put_year(&sh, 1, m, b->t);
        put_text(&sh, 2, ao_budget_kind_name(b->kind), NULL);
        put_number(&sh, 3, b->available, CELL_MONEY);
        put_number(&sh, 4, b->used, CELL_MONEY);
        put_number(&sh, 5, b->headroom, CELL_MONEY);
        put_number(&sh, 6, b->shadow_price, CELL_PRICE);
        put_yes_no(&sh, 7, b->binding);
        put_text(&sh, 8, i >= 0 ? icb_name(m, i) : b->pool, NULL);
        put_number(&sh, 9, b->price_from, CELL_MONEY);
        put_number(&sh, 10, b->price_to, CELL_MONEY);
        line_end(&sh);
    }
    ao_index_free(&icbs);
    return sheet_end(&sh);
}

/* ---- Indicators ---- */

static void block_begin(sheet *sh, const char *title, const char *const *headers, size_t n)
{
    blank_line(sh);
    put_title(sh, title);
    table_begin(sh, headers, n, TABLE_PLAIN);
}

static void block_end(sheet *sh, size_t n_rows, const char *empty)
{
    table_end(sh);
    if (n_rows == 0)
        put_note(sh, empty);
}

static void indicator_shares(sheet *sh, const ao_model *m, const ao_plan *plan)
{
    static const char *const headers[] = {
        "icb",         "icb_name", "year",           "specialised_spend",
        "total_spend", "share",    "baseline_share", "change_from_baseline"};
    block_begin(sh,
                "Revenue prioritisation: specialised share of each ICB's revenue spend against "
                "its baseline share (red: below the baseline)",
                headers, COUNT_OF(headers));
    table_flag(sh, FLAG_BELOW_COLUMN, 5, 6, AO_SHARE_FLAG_TOLERANCE, sh->st->flag);
    for (size_t k = 0; k < plan->n_shares && sh->err == AO_NO_ERROR; k++) {
        const ao_share_indicator *x = &plan->shares[k];
        line_begin(sh);
        put_text(sh, 0, icb_id(m, x->i), NULL);
        put_text(sh, 1, icb_name(m, x->i), NULL);
        put_year(sh, 2, m, x->t);
        put_number(sh, 3, x->specialised_spend, CELL_MONEY);
        put_number(sh, 4, x->total_spend, CELL_MONEY);
        put_number(sh, 5, x->share, CELL_SHARE);
        put_number(sh, 6, x->baseline_share, CELL_SHARE);
        put_number(sh, 7, x->share - x->baseline_share, CELL_SHARE);
        line_end(sh);
    }
    block_end(sh, plan->n_shares, "No revenue spend in this plan.");
}

static void indicator_capital(sheet *sh, const ao_model *m, const ao_plan *plan)
{
    static const char *const headers[] = {"icb",
                                          "icb_name",
                                          "year",
                                          "specialised_capital",
                                          "total_capital",
                                          "capital_budget",
                                          "specialised_share_of_capital"};
    block_begin(sh,
                "Access to capital: capital spent on specialised services' capacity, by the ICB "
                "hosting the provider",
                headers, COUNT_OF(headers));
    for (size_t k = 0; k < plan->n_capital_shares && sh->err == AO_NO_ERROR; k++) {
        const ao_capital_indicator *x = &plan->capital_shares[k];
        line_begin(sh);
        put_text(sh, 0, icb_id(m, x->i), NULL);
        put_text(sh, 1, icb_name(m, x->i), NULL);
        put_year(sh, 2, m, x->t);
        put_number(sh, 3, x->specialised_capital, CELL_MONEY);
        put_number(sh, 4, x->total_capital, CELL_MONEY);
        put_number(sh, 5, x->available_capital, CELL_MONEY);
        put_number(sh, 6, x->total_capital > 0 ? x->share : NAN, CELL_SHARE);
        line_end(sh);
    }
    block_end(sh, plan->n_capital_shares, "No capital in this plan.");
}

static void indicator_variation(sheet *sh, const ao_model *m, const ao_plan *plan)
{
    static const char *const headers[] = {
        "service",       "service_name", "year",         "icbs_with_need",
        "mean_coverage", "min_coverage", "max_coverage", "cv"};
    char title[160];
    snprintf(title, sizeof title,
             "Geographic variation: how evenly each specialised service's coverage is spread "
             "across ICBs (red: coefficient of variation above %g)",
             AO_CV_FLAG);
    block_begin(sh, title, headers, COUNT_OF(headers));
    table_flag(sh, FLAG_ABOVE, 7, 0, AO_CV_FLAG, sh->st->flag);
    for (size_t k = 0; k < plan->n_variation && sh->err == AO_NO_ERROR; k++) {
        const ao_variation_indicator *x = &plan->variation[k];
        line_begin(sh);
        put_text(sh, 0, service_id(m, x->s), NULL);
        put_text(sh, 1, service_name(m, x->s), NULL);
        put_year(sh, 2, m, x->t);
        put_number(sh, 3, x->n_icbs, CELL_COUNT);
        put_number(sh, 4, x->mean_coverage, CELL_SHARE);
        put_number(sh, 5, x->min_coverage, CELL_SHARE);
        put_number(sh, 6, x->max_coverage, CELL_SHARE);
        put_number(sh, 7, x->cv, CELL_RATIO);
        line_end(sh);
    }
    block_end(sh, plan->n_variation, "No specialised service has need in this plan.");
}

static void indicator_fragmentation(sheet *sh, const ao_model *m, const ao_plan *plan)
{
    static const char *const headers[] = {"provider", "provider_name", "host_icb", "year",
                                          "icbs_commissioning"};
    block_begin(sh, "Fragmentation: how many ICBs commission from each provider", headers,
                COUNT_OF(headers));
    table_flag(sh, FLAG_DATA_BAR, 4, 0, 0.0, NULL);
    for (size_t k = 0; k < plan->n_fragmentation && sh->err == AO_NO_ERROR; k++) {
        const ao_fragmentation_indicator *x = &plan->fragmentation[k];
        int host = x->p >= 0 && x->p < m->n_providers ? m->providers[x->p].host : -1;
        line_begin(sh);
        put_text(sh, 0, provider_id(m, x->p), NULL);
        put_text(sh, 1, provider_name(m, x->p), NULL);
        put_text(sh, 2, icb_id(m, host), NULL);
        if (x->t >= 0)
            put_year(sh, 3, m, x->t);
        else
            put_text(sh, 3, "whole plan", NULL);
        put_number(sh, 4, x->n_icbs, CELL_COUNT);
        line_end(sh);
    }
    block_end(sh, plan->n_fragmentation, "No providers in this plan.");
}

static void indicator_volumes(sheet *sh, const ao_model *m, const ao_plan *plan)
{
    static const char *const headers[] = {"provider", "provider_name", "centre_of_excellence",
                                          "service",  "service_name",  "year",
                                          "volume",   "min_volume",    "margin"};
    block_begin(sh,
                "Centres of excellence: volume against the minimum viable volume (red: below "
                "the minimum)",
                headers, COUNT_OF(headers));
    table_flag(sh, FLAG_BELOW, 8, 0, AO_MARGIN_FLAG, sh->st->flag);
    for (size_t k = 0; k < plan->n_volumes && sh->err == AO_NO_ERROR; k++) {
        const ao_volume_indicator *x = &plan->volumes[k];
        const ao_capacity *cap = capacity_row(m, x->k);
        if (cap == NULL)
            continue;
        int p = cap->provider;
        line_begin(sh);
        put_text(sh, 0, provider_id(m, p), NULL);
        put_text(sh, 1, provider_name(m, p), NULL);
        put_yes_no(sh, 2, p >= 0 && p < m->n_providers && m->providers[p].centre_of_excellence);
        put_text(sh, 3, service_id(m, cap->service), NULL);
        put_text(sh, 4, service_name(m, cap->service), NULL);
        put_year(sh, 5, m, x->t);
        put_number(sh, 6, x->volume, CELL_ACTIVITY);
        put_number(sh, 7, x->min_volume, CELL_ACTIVITY);
        put_number(sh, 8, x->margin, CELL_ACTIVITY);
        line_end(sh);
    }
    block_end(sh, plan->n_volumes, "No provider has a minimum viable volume.");
}

static void indicator_prevention(sheet *sh, const ao_model *m, const ao_plan *plan)
{
    static const char *const headers[] = {"prevention_service", "prevention_service_name",
                                          "target_service",     "target_service_name",
                                          "year_bought",        "activity",
                                          "need_avoided",       "year_need_avoided"};
    block_begin(sh, "Pathways and prevention: prevention bought and the need it avoids later",
                headers, COUNT_OF(headers));
    for (size_t k = 0; k < plan->n_prevention && sh->err == AO_NO_ERROR; k++) {
        const ao_prevention_indicator *x = &plan->prevention[k];
        if (x->link < 0 || x->link >= m->n_links)
            continue;
        const ao_prevention *link = &m->links[x->link];
        line_begin(sh);
        put_text(sh, 0, service_id(m, link->source), NULL);
        put_text(sh, 1, service_name(m, link->source), NULL);
        put_text(sh, 2, service_id(m, link->target), NULL);
        put_text(sh, 3, service_name(m, link->target), NULL);
        put_year(sh, 4, m, x->t);
        put_number(sh, 5, x->activity, CELL_ACTIVITY);
        put_number(sh, 6, x->need_avoided, CELL_ACTIVITY);
        put_year(sh, 7, m, x->lands_in);
        line_end(sh);
    }
    block_end(sh, plan->n_prevention, "No prevention links in this plan.");
}

static void indicator_contracts(sheet *sh, const ao_model *m, const ao_plan *plan)
{
    static const char *const headers[] = {"icb", "icb_name", "providers_used", "max_providers"};
    block_begin(sh, "Contracts: how many providers each ICB commissions from over the plan",
                headers, COUNT_OF(headers));
    for (size_t k = 0; k < plan->n_contracts && sh->err == AO_NO_ERROR; k++) {
        const ao_contract_indicator *x = &plan->contracts[k];
        line_begin(sh);
        put_text(sh, 0, icb_id(m, x->i), NULL);
        put_text(sh, 1, icb_name(m, x->i), NULL);
        put_number(sh, 2, x->n_providers, CELL_COUNT);
        put_number(sh, 3, x->max_providers, CELL_COUNT); /* blank when there is no limit */
        line_end(sh);
    }
    block_end(sh, plan->n_contracts, "No ICBs in this plan.");
}

static void indicator_collaboratives(sheet *sh, const ao_model *m, const ao_plan *plan)
{
    static const char *const headers[] = {"collaborative", "collaborative_name", "lead_provider",
                                          "year", "spend", "pooled_budget",
                                          "activity_at_members"};
    block_begin(sh, "Provider collaboratives: spend of their ICBs on their services",
                headers, COUNT_OF(headers));
    for (size_t k = 0; k < plan->n_collaborative_flows && sh->err == AO_NO_ERROR; k++) {
        const ao_collaborative_indicator *x = &plan->collaborative_flows[k];
        if (x->c < 0 || x->c >= m->n_collaboratives)
            continue;
        const ao_collaborative *c = &m->collaboratives[x->c];
        line_begin(sh);
        put_text(sh, 0, c->id, NULL);
        put_text(sh, 1, c->name, NULL);
        put_text(sh, 2, provider_id(m, c->lead), NULL);
        put_year(sh, 3, m, x->t);
        put_number(sh, 4, x->spend, CELL_MONEY);
        put_number(sh, 5, x->budget, CELL_MONEY); /* blank when there is no pooled budget */
        put_number(sh, 6, x->member_activity, CELL_ACTIVITY);
        line_end(sh);
    }
    block_end(sh, plan->n_collaborative_flows, "No provider collaboratives in this plan.");
}

static ao_error write_indicators(lxw_workbook *book, const styles *st, const ao_model *m,
                                 const ao_plan *plan)
{
    sheet sh;
    sheet_begin(&sh, book, st, "Indicators");
    put_title(&sh, "Risk indicators of the plan, one block per risk; cells in red flag a risk");
    indicator_shares(&sh, m, plan);
    indicator_capital(&sh, m, plan);
    indicator_variation(&sh, m, plan);
    indicator_fragmentation(&sh, m, plan);
    indicator_volumes(&sh, m, plan);
    indicator_prevention(&sh, m, plan);
    indicator_contracts(&sh, m, plan);
    indicator_collaboratives(&sh, m, plan);
    return sheet_end(&sh);
}

/* ---- Constraints ---- */

static ao_error write_constraints(lxw_workbook *book, const styles *st, const ao_plan *plan)
{
    sheet sh;
    sheet_begin(&sh, book, st, "Constraints");
    static const char *const headers[] = {"group", "description", "activity", "lower",
                                          "upper", "slack",       "binding",  "dual"};
    table_begin(&sh, headers, COUNT_OF(headers), TABLE_FREEZE | TABLE_FILTER);
    for (size_t k = 0; k < plan->n_constraints && sh.err == AO_NO_ERROR; k++) {
        const ao_constraint_line *c = &plan->constraints[k];
        line_begin(&sh);
        put_text(&sh, 0, c->group, NULL);
        put_text(&sh, 1, c->description, NULL);
        put_number(&sh, 2, c->activity, CELL_VALUE);
        put_number(&sh, 3, c->lower, CELL_VALUE);
        put_number(&sh, 4, c->upper, CELL_VALUE);
        put_number(&sh, 5, c->slack, CELL_VALUE);
        put_yes_no(&sh, 6, c->binding);
        put_number(&sh, 7, c->dual, CELL_GENERAL);
        line_end(&sh);
    }
    return sheet_end(&sh);
}

/* ---- Inputs ---- */

static ao_error write_inputs(lxw_workbook *book, const styles *st, const ao_tableset *tables)
{
    sheet sh;
    sheet_begin(&sh, book, st, "Inputs");
    if (tables == NULL || tables->n_tables == 0) {
        put_note(&sh, "The input tables are not available.");
        return sheet_end(&sh);
    }
    char title[512];
    snprintf(title, sizeof title, "Input tables as read from %s",
             tables->source ? tables->source : "the input");
    put_title(&sh, title);
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
        blank_line(&sh);
        put_title(&sh, title);
        table_begin(&sh, headers, n_cols + 1, TABLE_PLAIN);
        for (size_t r = 0; r < table->n_rows && sh.err == AO_NO_ERROR; r++) {
            line_begin(&sh);
            if (table->row_numbers)
                put_number(&sh, 0, (double)table->row_numbers[r], CELL_COUNT);
            /* Cells are echoed as typed: always text, never a formula. */
            for (size_t c = 0; c < n_cols; c++)
                put_text(&sh, (lxw_col_t)(c + 1), table->cells[r * table->n_cols + c], NULL);
            line_end(&sh);
        }
        table_end(&sh);
    }
    ao_error err = sheet_end(&sh);
    free(headers);
    return err;
}

/* ---- Scenarios ---- */

/** Figures compared across cases: the headline totals, then each risk's headline. */
enum {
    FIGURE_OBJECTIVE = 0,
    FIGURE_REVENUE,
    FIGURE_CAPITAL,
    FIGURE_SHARE,
    FIGURE_SHARE_GAP, ///< Lowest ICB specialised share minus its baseline share, any year.
    FIGURE_CV,        ///< Highest coefficient of variation of coverage, any service and year.
    FIGURE_MOST_ICBS, ///< Most ICBs commissioning from one provider.
    FIGURE_MARGIN,    ///< Smallest volume above a minimum viable volume, any year.
    FIGURE_AVOIDED,   ///< Need avoided by prevention bought over the plan.
    FIGURES
};

static const struct {
    const char *header; ///< Column header; its difference is "<header>_difference".
    cell_style style;   ///< Style of the figure (the objective's depends on its kind).
    cell_style change;  ///< Style of its difference from the baseline.
} figures[FIGURES] = {
    [FIGURE_OBJECTIVE] = {"objective", CELL_BENEFIT, CELL_BENEFIT_CHANGE},
    [FIGURE_REVENUE] = {"total_revenue_spend", CELL_MONEY, CELL_MONEY_CHANGE},
    [FIGURE_CAPITAL] = {"total_capital_spend", CELL_MONEY, CELL_MONEY_CHANGE},
    [FIGURE_SHARE] = {"specialised_share", CELL_SHARE, CELL_SHARE_CHANGE},
    [FIGURE_SHARE_GAP] = {"lowest_icb_share_vs_baseline", CELL_SHARE, CELL_SHARE_CHANGE},
    [FIGURE_CV] = {"highest_coverage_cv", CELL_RATIO, CELL_RATIO_CHANGE},
    [FIGURE_MOST_ICBS] = {"most_icbs_per_provider", CELL_COUNT, CELL_COUNT_CHANGE},
    [FIGURE_MARGIN] = {"smallest_volume_margin", CELL_ACTIVITY, CELL_ACTIVITY_CHANGE},
    [FIGURE_AVOIDED] = {"need_avoided", CELL_ACTIVITY, CELL_ACTIVITY_CHANGE},
};

/* A case's figures; NaN where the plan has none (not optimal, or no such indicator). */
static void case_figures(const ao_plan *p, double out[FIGURES])
{
    for (int f = 0; f < FIGURES; f++)
        out[f] = NAN;
    if (p == NULL || p->status != AO_STATUS_OPTIMAL)
        return;
    out[FIGURE_OBJECTIVE] = p->objective;
    out[FIGURE_REVENUE] = p->total_revenue_spend;
    out[FIGURE_CAPITAL] = p->total_capital_spend;
    out[FIGURE_SHARE] = p->specialised_share;
    for (size_t k = 0; k < p->n_shares; k++) {
        double gap = p->shares[k].share - p->shares[k].baseline_share;
        if (isfinite(gap) && !(gap >= out[FIGURE_SHARE_GAP]))
            out[FIGURE_SHARE_GAP] = gap;
    }
    for (size_t k = 0; k < p->n_variation; k++)
        if (isfinite(p->variation[k].cv) && !(p->variation[k].cv <= out[FIGURE_CV]))
            out[FIGURE_CV] = p->variation[k].cv;
    for (size_t k = 0; k < p->n_fragmentation; k++)
        if (!(p->fragmentation[k].n_icbs <= out[FIGURE_MOST_ICBS]))
            out[FIGURE_MOST_ICBS] = p->fragmentation[k].n_icbs;
    for (size_t k = 0; k < p->n_volumes; k++)
        if (isfinite(p->volumes[k].margin) && !(p->volumes[k].margin >= out[FIGURE_MARGIN]))
            out[FIGURE_MARGIN] = p->volumes[k].margin;
    if (p->n_prevention > 0) {
        out[FIGURE_AVOIDED] = 0.0;
        for (size_t k = 0; k < p->n_prevention; k++)
            if (isfinite(p->prevention[k].need_avoided))
                out[FIGURE_AVOIDED] += p->prevention[k].need_avoided;
    }
}

/* value − base; NaN when either is missing, zero when within solver noise of them. */
static double difference(double value, double base)
{
    if (!isfinite(value) || !isfinite(base))
        return NAN;
    double d = value - base;
    return fabs(d) <= AO_DIFFERENCE_NOISE * fmax(fabs(value), fabs(base)) ? 0.0 : d;
}

static ao_error write_scenarios(lxw_workbook *book, const styles *st, const ao_results *results)
{
    const ao_case *base_case = &results->cases[0];
    const char *base_name = base_case->name ? base_case->name : "baseline";
    const ao_model *base_model = base_case->model;
    int base_cost = base_model->settings.objective == AO_OBJECTIVE_COST;
    double base[FIGURES];
    case_figures(base_case->plan, base);

    /* scenario, status, then each figure beside its difference, then arrangement. */
    enum { FIRST_FIGURE_COL = 2, N_COLS = FIRST_FIGURE_COL + 2 * FIGURES + 1 };
    char difference_headers[FIGURES][64];
    const char *headers[N_COLS];
    headers[0] = "scenario";
    headers[1] = "status";
    for (int f = 0; f < FIGURES; f++) {
        snprintf(difference_headers[f], sizeof difference_headers[f], "%s_difference",
                 figures[f].header);
        headers[FIRST_FIGURE_COL + 2 * f] = figures[f].header;
        headers[FIRST_FIGURE_COL + 2 * f + 1] = difference_headers[f];
    }
    headers[N_COLS - 1] = "arrangement";
#define AO_FIGURE_COL(f) ((lxw_col_t)(FIRST_FIGURE_COL + 2 * (f)))

    sheet sh;
    sheet_begin(&sh, book, st, "Scenarios");
    table_begin(&sh, headers, COUNT_OF(headers), TABLE_FREEZE | TABLE_FILTER);
    /* The same flags as the Indicators sheet. */
    table_flag(&sh, FLAG_BELOW, AO_FIGURE_COL(FIGURE_SHARE_GAP), 0, -AO_SHARE_FLAG_TOLERANCE,
               st->flag);
    table_flag(&sh, FLAG_ABOVE, AO_FIGURE_COL(FIGURE_CV), 0, AO_CV_FLAG, st->flag);
    table_flag(&sh, FLAG_BELOW, AO_FIGURE_COL(FIGURE_MARGIN), 0, AO_MARGIN_FLAG, st->flag);
    for (size_t k = 0; k < results->n_cases && sh.err == AO_NO_ERROR; k++) {
        const ao_case *c = &results->cases[k];
        const ao_plan *p = c->plan;
        const ao_model *m = c->model ? c->model : base_model;
        int cost = m->settings.objective == AO_OBJECTIVE_COST;
        double value[FIGURES];
        case_figures(p, value);
        line_begin(&sh);
        put_text(&sh, 0, c->name, NULL);
        put_text(&sh, 1, status_words(p ? p->status : AO_STATUS_NOT_SOLVED), NULL);
        for (int f = 0; f < FIGURES; f++) {
            cell_style style = figures[f].style, change = figures[f].change;
            double d = difference(value[f], base[f]);
            if (f == FIGURE_OBJECTIVE) {
                style = cost ? CELL_MONEY : CELL_BENEFIT;
                change = cost ? CELL_MONEY_CHANGE : CELL_BENEFIT_CHANGE;
                /* A cost and a benefit do not subtract. */
                if (cost != base_cost)
                    d = NAN;
            }
            put_number(&sh, AO_FIGURE_COL(f), value[f], style);
            put_number(&sh, AO_FIGURE_COL(f) + 1, d, change);
        }
        if (p != NULL)
            put_text(&sh, N_COLS - 1, ao_arrangement_name(p->arrangement), NULL);
        line_end(&sh);
    }
#undef AO_FIGURE_COL
    table_end(&sh);

    blank_line(&sh);
    char note[256];
    snprintf(note, sizeof note,
             "Each _difference column is the case minus %s; it is blank when either has no "
             "plan or no such figure.",
             base_name);
    put_note(&sh, note);
    put_note(&sh, "lowest_icb_share_vs_baseline: the lowest specialised share of an ICB's revenue "
                  "spend minus that ICB's baseline share, in any year (red: below the baseline).");
    snprintf(note, sizeof note,
             "highest_coverage_cv: the highest coefficient of variation of a specialised "
             "service's coverage across ICBs, in any year (red: above %g).",
             AO_CV_FLAG);
    put_note(&sh, note);
    put_note(&sh, "most_icbs_per_provider: the most ICBs commissioning from one provider over the "
                  "plan.");
    put_note(&sh, "smallest_volume_margin: the smallest volume above a provider's minimum viable "
                  "volume, in any year (red: below the minimum).");
    put_note(&sh, "need_avoided: need avoided by the prevention bought over the plan, in the "
                  "units of the services it avoids, summed.");
    return sheet_end(&sh);
}

/* ---- Diagnosis ---- */

static ao_error write_diagnosis(lxw_workbook *book, const styles *st, const ao_plan *plan)
{
    sheet sh;
    sheet_begin(&sh, book, st, "Diagnosis");
    put_title(&sh, "No plan meets every limit at once. Together, the changes below are the "
                   "smallest that would make a plan possible: each row is a limit and how far it "
                   "would have to move (largest change relative to the limit first).");
    static const char *const headers[] = {"group",           "limit",     "as_given",
                                          "change_needed",   "direction", "limit_for_a_plan",
                                          "what_must_change"};
    table_begin(&sh, headers, COUNT_OF(headers), TABLE_FREEZE | TABLE_FILTER);
    for (size_t k = 0; k < plan->n_diagnosis && sh.err == AO_NO_ERROR; k++) {
        const ao_diagnosis_line *d = &plan->diagnosis[k];
        cell_style style = d->money ? CELL_MONEY : CELL_ACTIVITY;
        line_begin(&sh);
        put_text(&sh, 0, d->group, NULL);
        put_text(&sh, 1, d->description, NULL);
        put_number(&sh, 2, d->limit, style);
        put_number(&sh, 3, d->change, style);
        put_text(&sh, 4, d->lower ? "lower the minimum" : "raise the maximum", NULL);
        put_number(&sh, 5, d->lower ? d->limit - d->change : d->limit + d->change, style);
        put_text_raw(&sh, 6, d->sentence, NULL, 0);
        line_end(&sh);
    }
    table_end(&sh);
    if (plan->n_diagnosis == 0)
        put_note(&sh, "The limits that conflict could not be narrowed down: the Summary sheet "
                      "says what is known.");
    return sheet_end(&sh);
}

/* ---- Charts ---- */

/** Where the figures behind the Summary charts are. */
typedef struct chart_data {
    int last_year;             ///< Year index charted (the last of the plan).
    lxw_row_t share_header;    ///< Header row of the share block on the Charts data sheet.
    int n_shares;              ///< ICB rows below it (0: no chart).
    lxw_row_t coverage_header; ///< Header row of the coverage block.
    int n_coverage;            ///< Service rows below it (0: no chart).
    int n_coverage_icbs;       ///< ICB columns, from column 2.
    double max_coverage;       ///< Highest coverage in the block.
} chart_data;

/* An ICB or service as a chart shows it: its name, or its id when it has none. */
static const char *icb_label(const ao_model *m, int i)
{
    const char *name = icb_name(m, i);
    return name != NULL && *name != '\0' ? name : icb_id(m, i);
}

static const char *service_label(const ao_model *m, int s)
{
    const char *name = service_name(m, s);
    return name != NULL && *name != '\0' ? name : service_id(m, s);
}

/* The figures the Summary charts draw that no other sheet lays out in one block: each
 * ICB's specialised share, and each specialised service's coverage by ICB, in the last
 * year of the plan. */
static ao_error write_chart_data(lxw_workbook *book, const styles *st, const ao_model *m,
                                 const ao_plan *plan, chart_data *out)
{
    memset(out, 0, sizeof *out);
    int years = m->settings.years > 0 ? m->settings.years : 0;
    int last = years - 1;
    out->last_year = last;
    size_t n_icbs = m->n_icbs > 0 ? (size_t)m->n_icbs : 0;
    size_t n_services = m->n_services > 0 ? (size_t)m->n_services : 0;
    /* Share line of ICB i in the last year, and service-year line of (s, i): index + 1. */
    size_t *share_of = calloc(n_icbs + 1, sizeof *share_of);
    size_t *coverage_of = calloc(n_services * n_icbs + 1, sizeof *coverage_of);
    const char **headers = calloc(n_icbs + 2, sizeof *headers);
    if (share_of == NULL || coverage_of == NULL || headers == NULL) {
        free(share_of);
        free(coverage_of);
        free(headers);
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    }
    for (size_t k = 0; k < plan->n_shares; k++) {
        const ao_share_indicator *x = &plan->shares[k];
        if (x->t == last && x->i >= 0 && (size_t)x->i < n_icbs)
            share_of[x->i] = k + 1;
    }
    for (size_t k = 0; k < plan->n_service_years; k++) {
        const ao_service_year *y = &plan->service_years[k];
        if (y->t == last && y->i >= 0 && (size_t)y->i < n_icbs && y->s >= 0 &&
            (size_t)y->s < n_services && m->services[y->s].category == AO_CATEGORY_SPECIALISED)
            coverage_of[(size_t)y->s * n_icbs + (size_t)y->i] = k + 1;
    }
    char year[16], title[256];
    ao_model_year_label(m, last, year);

    sheet sh;
    sheet_begin(&sh, book, st, AO_CHART_SHEET);
    put_title(&sh, "Figures behind the charts on the Summary sheet");

    snprintf(title, sizeof title,
             "Specialised share of each ICB's revenue spend in %s, the last year of the plan, "
             "against its baseline share",
             year);
    /* Headers in words: the charts' legends show them. */
    static const char *const share_headers[] = {"icb", "icb name", "specialised share",
                                                "baseline share"};
    block_begin(&sh, title, share_headers, COUNT_OF(share_headers));
    out->share_header = sh.header_row;
    for (size_t i = 0; i < n_icbs && sh.err == AO_NO_ERROR; i++) {
        if (share_of[i] == 0)
            continue;
        const ao_share_indicator *x = &plan->shares[share_of[i] - 1];
        line_begin(&sh);
        put_text(&sh, 0, icb_id(m, (int)i), NULL);
        put_text(&sh, 1, icb_label(m, (int)i), NULL);
        put_number(&sh, 2, x->share, CELL_SHARE);
        put_number(&sh, 3, x->baseline_share, CELL_SHARE);
        line_end(&sh);
        out->n_shares++;
    }
    block_end(&sh, (size_t)out->n_shares, "No ICB has revenue spend in that year.");

    snprintf(title, sizeof title,
             "Coverage of each specialised service by ICB in %s: activity as a share of need "
             "after prevention",
             year);
    /* One column per ICB, within Excel's width. */
    size_t n_columns = n_icbs < (size_t)LXW_COL_MAX - 2 ? n_icbs : (size_t)LXW_COL_MAX - 2;
    headers[0] = "service";
    headers[1] = "service name";
    for (size_t i = 0; i < n_columns; i++)
        headers[i + 2] = icb_label(m, (int)i);
    block_begin(&sh, title, headers, n_columns + 2);
    out->coverage_header = sh.header_row;
    out->n_coverage_icbs = (int)n_columns;
    for (size_t s = 0; s < n_services && sh.err == AO_NO_ERROR; s++) {
        const size_t *row = &coverage_of[s * n_icbs];
        size_t any = 0;
        for (size_t i = 0; i < n_icbs; i++)
            any |= row[i];
        if (any == 0)
            continue;
        line_begin(&sh);
        put_text(&sh, 0, service_id(m, (int)s), NULL);
        put_text(&sh, 1, service_label(m, (int)s), NULL);
        for (size_t i = 0; i < n_columns; i++) {
            if (row[i] == 0)
                continue;
            double coverage = plan->service_years[row[i] - 1].coverage;
            put_number(&sh, (lxw_col_t)(i + 2), coverage, CELL_SHARE);
            if (coverage > out->max_coverage)
                out->max_coverage = coverage;
        }
        line_end(&sh);
        out->n_coverage++;
    }
    block_end(&sh, (size_t)out->n_coverage, "No specialised service has need in that year.");
    free(share_of);
    free(coverage_of);
    free(headers);
    return sheet_end(&sh);
}

static lxw_chart *new_chart(lxw_workbook *book, uint8_t type, const char *title,
                            const char *axis_format)
{
    lxw_chart *chart = workbook_add_chart(book, type);
    if (chart == NULL)
        return NULL;
    lxw_chart_font font = {.size = AO_CHART_TITLE_SIZE, .bold = LXW_TRUE};
    chart_title_set_name(chart, title);
    chart_title_set_name_font(chart, &font);
    chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
    chart_axis_set_num_format(chart->y_axis, axis_format);
    return chart;
}

/* A series of values in one column, named by the cell above them. */
static lxw_chart_series *column_series(lxw_chart *chart, const char *sheet_name, lxw_row_t header,
                                       int n, lxw_col_t categories, lxw_col_t values,
                                       lxw_color_t colour)
{
    lxw_chart_series *series = chart_add_series(chart, NULL, NULL);
    if (series == NULL)
        return NULL;
    lxw_row_t first = header + 1, last = header + (lxw_row_t)n;
    chart_series_set_categories(series, sheet_name, first, categories, last, categories);
    /* The categories are text (years, ICB and service names). In constant_memory mode
     * libxlsxwriter cannot read the cells back to find that out and would write them as a
     * number reference; say so, so that the chart refers to them as Excel itself does. */
    if (series->categories != NULL)
        series->categories->has_string_cache = LXW_TRUE;
    chart_series_set_values(series, sheet_name, first, values, last, values);
    chart_series_set_name_range(series, sheet_name, header, values);
    if (colour != LXW_COLOR_UNSET) {
        lxw_chart_fill fill = {.color = colour};
        chart_series_set_fill(series, &fill);
    }
    return series;
}

/* Put a chart on a worksheet, x pixels right of the start of a row. */
static ao_error place_chart(lxw_worksheet *ws, lxw_row_t row, int x, int width, int height,
                            lxw_chart *chart, const char *description)
{
    char alt_text[256];
    snprintf(alt_text, sizeof alt_text, "%s", description);
    lxw_chart_options options = {.x_offset = x,
                                 .y_offset = AO_CHART_TOP,
                                 .x_scale = width / AO_CHART_BASE_WIDTH,
                                 .y_scale = height / AO_CHART_BASE_HEIGHT,
                                 .description = alt_text};
    return ao_from_lxw_error(worksheet_insert_chart_opt(ws, row, 0, chart, &options));
}

/* Rows a chart of this height takes, at the default row height, and a gap below it. */
#define AO_CHART_ROWS(height)                                                                      \
    ((lxw_row_t)(((height) + AO_CHART_TOP + AO_CHART_GAP) / AO_ROW_PIXELS + 1))

#define AO_CHART_OR_FAIL(chart)                                                                    \
    do {                                                                                           \
        if ((chart) == NULL)                                                                       \
            return AO_ERROR_MEMORY_MALLOC_FAILED;                                                  \
    } while (0)

/* The Summary charts, below its tables: spend by category and year, capital by year,
 * each ICB's specialised share against its baseline, coverage by service and ICB. */
static ao_error add_summary_charts(lxw_workbook *book, const ao_model *m,
                                   const summary_info *summary, const chart_data *data)
{
    if (summary->ws == NULL || summary->spend_years <= 0)
        return AO_NO_ERROR;
    char year[16], title[256];
    ao_model_year_label(m, data->last_year, year);
    /* Each band of charts starts on a row of its own, on a new printed page. */
    lxw_row_t at = summary->free_row;
    lxw_row_t breaks[4] = {0};
    int n_breaks = 0;
    breaks[n_breaks++] = at;

    /* Revenue and capital from the Summary's own spend-by-year table (columns B, C, F). */
    lxw_chart *revenue =
        new_chart(book, LXW_CHART_COLUMN_STACKED,
                  "Revenue spend by category and year (£m, not discounted)", AO_AXIS_MILLIONS);
    AO_CHART_OR_FAIL(revenue);
    AO_CHART_OR_FAIL(column_series(revenue, "Summary", summary->spend_header, summary->spend_years,
                                   0, 1, AO_COLOUR_SPECIALISED));
    AO_CHART_OR_FAIL(column_series(revenue, "Summary", summary->spend_header, summary->spend_years,
                                   0, 2, AO_COLOUR_PRIORITY));
    AO_RETURN_ON_ERROR(place_chart(summary->ws, at, 0, AO_CHART_SPEND_WIDTH, AO_CHART_HEIGHT,
                                   revenue,
                                   "Stacked columns: specialised and priority revenue spend in "
                                   "each year of the plan."));
    lxw_chart *capital = new_chart(book, LXW_CHART_COLUMN,
                                   "Capital spend by year (£m, not discounted)", AO_AXIS_MILLIONS);
    AO_CHART_OR_FAIL(capital);
    AO_CHART_OR_FAIL(column_series(capital, "Summary", summary->spend_header, summary->spend_years,
                                   0, 5, AO_COLOUR_CAPITAL));
    chart_legend_set_position(capital, LXW_CHART_LEGEND_NONE);
    AO_RETURN_ON_ERROR(place_chart(summary->ws, at, AO_CHART_SPEND_WIDTH + AO_CHART_GAP,
                                   AO_CHART_FULL_WIDTH - AO_CHART_SPEND_WIDTH - AO_CHART_GAP,
                                   AO_CHART_HEIGHT, capital,
                                   "Columns: capital spent on added provider capacity in each "
                                   "year of the plan."));
    at += AO_CHART_ROWS(AO_CHART_HEIGHT);

    if (data->n_shares > 0) {
        snprintf(title, sizeof title,
                 "Specialised share of each ICB's revenue spend in %s (last year of the plan) "
                 "against its baseline share",
                 year);
        lxw_chart *shares = new_chart(book, LXW_CHART_COLUMN, title, AO_AXIS_PERCENT);
        AO_CHART_OR_FAIL(shares);
        /* From zero: a cut axis would make small differences look large. */
        chart_axis_set_min(shares->y_axis, 0.0);
        AO_CHART_OR_FAIL(column_series(shares, AO_CHART_SHEET, data->share_header, data->n_shares,
                                       1, 2, AO_COLOUR_SPECIALISED));
        AO_CHART_OR_FAIL(column_series(shares, AO_CHART_SHEET, data->share_header, data->n_shares,
                                       1, 3, AO_COLOUR_BASELINE));
        AO_RETURN_ON_ERROR(place_chart(summary->ws, at, 0, AO_CHART_FULL_WIDTH, AO_CHART_HEIGHT,
                                       shares,
                                       "Clustered columns: each ICB's specialised share of "
                                       "revenue spend in the last year beside its baseline "
                                       "share."));
        at += AO_CHART_ROWS(AO_CHART_HEIGHT);
    }

    if (data->n_coverage > 0 && data->n_coverage_icbs > 0) {
        int n_series = data->n_coverage_icbs < AO_CHART_MAX_SERIES ? data->n_coverage_icbs
                                                                   : AO_CHART_MAX_SERIES;
        if (n_series < data->n_coverage_icbs)
            snprintf(title, sizeof title,
                     "Coverage of each specialised service by ICB in %s (first %d of %d ICBs; "
                     "all on the Charts data sheet)",
                     year, n_series, data->n_coverage_icbs);
        else
            snprintf(title, sizeof title,
                     "Coverage of each specialised service by ICB in %s (activity / need after "
                     "prevention)",
                     year);
        lxw_chart *coverage = new_chart(book, LXW_CHART_COLUMN, title, AO_AXIS_PERCENT);
        AO_CHART_OR_FAIL(coverage);
        chart_axis_set_min(coverage->y_axis, 0.0);
        if (data->max_coverage <= 1.0 + AO_COVERAGE_SLACK)
            chart_axis_set_max(coverage->y_axis, 1.0);
        for (int c = 0; c < n_series; c++)
            AO_CHART_OR_FAIL(column_series(coverage, AO_CHART_SHEET, data->coverage_header,
                                           data->n_coverage, 1, (lxw_col_t)(c + 2),
                                           LXW_COLOR_UNSET));
        breaks[n_breaks++] = at;
        AO_RETURN_ON_ERROR(place_chart(summary->ws, at, 0, AO_CHART_FULL_WIDTH,
                                       AO_CHART_TALL_HEIGHT, coverage,
                                       "Clustered columns: for each specialised service, the "
                                       "coverage of need in each ICB in the last year."));
    }
    return ao_from_lxw_error(worksheet_set_h_pagebreaks(summary->ws, breaks));
}

/* ---- Uncertainty ---- */

#define AO_UNCERTAINTY_SHEET "Uncertainty"
/* The histogram chart: to the right of the tables, from this column. */
#define AO_HISTOGRAM_CHART_COL 6
#define AO_HISTOGRAM_CHART_WIDTH 640

/* Bin label: "from to to", in the objective's unit, as the chart's categories. */
static void bin_label(double from, double to, int cost, char out[96])
{
    if (cost)
        snprintf(out, 96, "£%.0f to £%.0f", from, to);
    else
        snprintf(out, 96, "%.6g to %.6g", from, to);
}

/*
 * The Uncertainty sheet. Everything on it follows from the study's records and its
 * settings (samples, seed): a merge of shards writes the same cells as one run. Which
 * shards were merged is said on the Summary instead.
 */
static ao_error write_uncertainty(lxw_workbook *book, const styles *st, const ao_study *study)
{
    ao_study_summary summary;
    AO_RETURN_ON_ERROR(ao_study_summarise(study, &summary));
    int cost = study->cost_objective;
    cell_style objective_style = cost ? CELL_MONEY : CELL_BENEFIT;
    char text[256];

    sheet sh;
    sheet_begin(&sh, book, st, AO_UNCERTAINTY_SHEET);
    sh.cap[1] = AO_MAX_VALUE_WIDTH;
    put_title(&sh, "Uncertainty: the plan solved again for inputs drawn at random, as the "
                   "uncertainty table describes");
    static const char *const item_headers[] = {"Item", "Value", "What it means"};
    table_begin(&sh, item_headers, COUNT_OF(item_headers), TABLE_PLAIN);
    table_end(&sh);
    headline_number(&sh, "Samples", (double)study->n_samples, CELL_COUNT,
                     "Inputs drawn; each is the input with the uncertainty table's cells "
                     "changed by random draws, solved like a scenario.");
    snprintf(text, sizeof text, "%llu", (unsigned long long)study->seed);
    headline_text(&sh, "Seed", text,
                  "Sample i draws from a generator seeded from (seed, i) alone: the same input "
                  "and seed give the same samples, run at once or in shards.");
    headline_number(&sh, "Samples with a plan", (double)summary.count[AO_SAMPLE_OPTIMAL],
                     CELL_COUNT, "The figures below are over these samples.");
    headline_number(&sh, "Samples with no feasible plan",
                     (double)summary.count[AO_SAMPLE_INFEASIBLE], CELL_COUNT,
                     "No allocation meets every limit for the drawn input.");
    headline_number(&sh, "Probability of no feasible plan", summary.p_infeasible, CELL_SHARE,
                     "Samples with no feasible plan, as a share of all samples.");
    headline_number(&sh, "Samples with invalid input",
                     (double)summary.count[AO_SAMPLE_INVALID_INPUT], CELL_COUNT,
                     "The draws broke a rule of the input (such as a negative budget): not "
                     "solved, and left out of every figure below.");
    headline_number(&sh, "Probability of invalid input", summary.p_invalid, CELL_SHARE,
                     "Samples with invalid input, as a share of all samples.");
    headline_number(&sh, "Samples not solved",
                     (double)(summary.count[AO_SAMPLE_FAILED] +
                              summary.count[AO_SAMPLE_UNBOUNDED]),
                     CELL_COUNT,
                     "The solver failed or found no limit on the objective (status failed or "
                     "unbounded below).");

    blank_line(&sh);
    put_title(&sh, cost ? "Objective (discounted spend, £) and total spend over the samples "
                          "with a plan"
                        : "Objective (discounted benefit) and total spend over the samples "
                          "with a plan");
    static const char *const stats_headers[] = {"statistic", "objective", "total_spend"};
    table_begin(&sh, stats_headers, COUNT_OF(stats_headers), TABLE_PLAIN);
    const ao_study_stats *o = &summary.objective, *s = &summary.spend;
    const struct {
        const char *name;
        double objective, spend;
    } rows[] = {{"P10", o->p10, s->p10},   {"P50", o->p50, s->p50}, {"P90", o->p90, s->p90},
                {"mean", o->mean, s->mean}, {"min", o->min, s->min}, {"max", o->max, s->max}};
    for (size_t k = 0; k < COUNT_OF(rows) && sh.err == AO_NO_ERROR; k++) {
        line_begin(&sh);
        put_text(&sh, 0, rows[k].name, NULL);
        put_number(&sh, 1, rows[k].objective, objective_style);
        put_number(&sh, 2, rows[k].spend, CELL_MONEY);
        line_end(&sh);
    }
    table_end(&sh);
    put_note(&sh, "Percentiles as Excel's PERCENTILE.INC: sort the n values, h = (n - 1) p, "
                  "then interpolate between the values at positions floor(h) and floor(h) + 1. "
                  "Total spend is revenue plus capital, not discounted.");

    blank_line(&sh);
    put_title(&sh, "Probability that the baseline plan breaks an ICB's budget");
    static const char *const breach_headers[] = {"icb", "icb_name", "samples_breached",
                                                 "probability"};
    table_begin(&sh, breach_headers, COUNT_OF(breach_headers), TABLE_PLAIN);
    for (size_t i = 0; i < study->n_icbs && sh.err == AO_NO_ERROR; i++) {
        line_begin(&sh);
        put_text(&sh, 0, study->icb_ids[i], NULL);
        put_text(&sh, 1, study->icb_names[i], NULL);
        put_number(&sh, 2, (double)summary.breaches[i], CELL_COUNT);
        put_number(&sh, 3, summary.p_breach[i], CELL_SHARE);
        line_end(&sh);
    }
    table_end(&sh);
    put_note(&sh, "A breach: in some year, the baseline plan spends more of the ICB's revenue "
                  "(its priority revenue under joint or national commissioning) or capital than "
                  "the sample's budget allows. Share of the samples with valid input.");

    blank_line(&sh);
    put_title(&sh, "Histogram of the objective over the samples with a plan");
    static const char *const bin_headers[] = {"bin", "from", "to", "samples"};
    table_begin(&sh, bin_headers, COUNT_OF(bin_headers), TABLE_PLAIN);
    lxw_row_t bin_header = sh.header_row;
    for (size_t b = 0; b < summary.n_bins && sh.err == AO_NO_ERROR; b++) {
        char label[96];
        bin_label(summary.bin_from[b], summary.bin_from[b + 1], cost, label);
        line_begin(&sh);
        put_text(&sh, 0, label, NULL);
        put_number(&sh, 1, summary.bin_from[b], objective_style);
        put_number(&sh, 2, summary.bin_from[b + 1], objective_style);
        put_number(&sh, 3, (double)summary.bin_count[b], CELL_COUNT);
        line_end(&sh);
    }
    table_end(&sh);
    if (summary.n_bins == 0)
        put_note(&sh, "No sample has a plan: there is nothing to draw.");
    else
        put_note(&sh, "Equal bins from the least to the greatest objective; a value on an edge "
                      "counts in the bin above it, the greatest in the last bin.");
    if (summary.n_bins > 0 && sh.err == AO_NO_ERROR) {
        lxw_chart *chart = new_chart(book, LXW_CHART_COLUMN,
                                     "Objective over the samples with a plan", "#,##0");
        lxw_chart_series *series =
            chart != NULL ? column_series(chart, AO_UNCERTAINTY_SHEET, bin_header,
                                          (int)summary.n_bins, 0, 3, AO_COLOUR_SPECIALISED)
                          : NULL;
        if (series == NULL) {
            sh.err = AO_ERROR_MEMORY_MALLOC_FAILED;
        } else {
            chart_legend_set_position(chart, LXW_CHART_LEGEND_NONE);
            chart_axis_set_name(chart->y_axis, "samples");
            lxw_chart_options options = {.x_offset = 0,
                                         .y_offset = AO_CHART_TOP,
                                         .x_scale = AO_HISTOGRAM_CHART_WIDTH / AO_CHART_BASE_WIDTH,
                                         .y_scale = AO_CHART_HEIGHT / AO_CHART_BASE_HEIGHT,
                                         .description = "Histogram: samples by objective."};
            ao_sheet_note(&sh.err, worksheet_insert_chart_opt(
                                       sh.ws, bin_header, AO_HISTOGRAM_CHART_COL, chart, &options));
        }
    }

    blank_line(&sh);
    put_title(&sh, "Samples");
    static const char *const sample_headers[] = {"sample", "status", "objective", "total_spend"};
    table_begin(&sh, sample_headers, COUNT_OF(sample_headers), TABLE_FILTER);
    for (size_t k = 0; k < study->n_records && sh.err == AO_NO_ERROR; k++) {
        const ao_sample_record *r = &study->records[k];
        line_begin(&sh);
        put_number(&sh, 0, (double)r->sample, CELL_COUNT);
        put_text(&sh, 1, ao_sample_status_name(r->status), NULL);
        put_number(&sh, 2, r->objective, objective_style);
        put_number(&sh, 3, r->spend, CELL_MONEY);
        line_end(&sh);
    }
    table_end(&sh);
    ao_study_summary_free(&summary);
    return sheet_end(&sh);
}

/* The Summary of a merged study: the baseline's headline and where the samples came from. */
static ao_error write_study_summary(lxw_workbook *book, const styles *st, const ao_study *study)
{
    int cost = study->cost_objective;
    int optimal = study->baseline_status == AO_STATUS_OPTIMAL;
    char text[64];
    sheet sh;
    sheet_begin(&sh, book, st, "Summary");
    sh.cap[1] = AO_MAX_VALUE_WIDTH;
    static const char *const headers[] = {"Item", "Value", "What it means"};
    table_begin(&sh, headers, COUNT_OF(headers), TABLE_FREEZE);
    table_end(&sh);
    headline_text(&sh, "Model", study->model_name ? study->model_name : "(no name given)",
                  "The name given in the settings table.");
    headline_text(&sh, "Arrangement", study->arrangement, "The arrangement solved.");
    headline_text(&sh, "Objective kind", cost ? "cost" : "benefit",
                  cost ? "Discounted spend (£), kept as low as the standards allow."
                       : "Discounted benefit, as much as the budgets allow.");
    headline_text(&sh, "Benefit unit", study->benefit_unit,
                  "The unit in which health benefit is counted.");
    headline_text(&sh, "Baseline status", status_words(study->baseline_status),
                  status_explanation(study->baseline_status));
    headline_number(&sh, "Baseline objective", optimal ? study->baseline_objective : NAN,
                    cost ? CELL_MONEY : CELL_BENEFIT, "The objective of the input as given.");
    headline_number(&sh, "Baseline revenue spend", study->baseline_revenue, CELL_MONEY,
                    "Revenue spent by the baseline plan over every year (£).");
    headline_number(&sh, "Baseline capital spend", study->baseline_capital, CELL_MONEY,
                    "Capital spent by the baseline plan over every year (£).");
    headline_text(&sh, "Input fingerprint", study->fingerprint,
                  "A hash of the input's tables: every shard merged had the same.");
    headline_number(&sh, "Shards merged", (double)study->shards_merged, CELL_COUNT,
                    "Partial results (allocopt run --shard K/N) combined into this workbook.");
    snprintf(text, sizeof text, "%zu samples", study->n_samples);
    headline_text(&sh, "Uncertainty", text,
                  "See the Uncertainty sheet: percentiles of the objective and spend, the "
                  "chance of no feasible plan and of budget breaches.");
    return sheet_end(&sh);
}

/* ---- the workbook ---- */

/* Every sheet, in order. The Allocation table also goes to csv when it is not NULL. */
static ao_error write_sheets(lxw_workbook *book, const styles *st, const ao_results *results,
                             FILE *csv, const char *csv_name)
{
    const ao_model *m = results->cases[0].model;
    const ao_plan *plan = results->cases[0].plan;
    summary_info summary = {.csv_name = csv_name};
    AO_RETURN_ON_ERROR(write_summary(book, st, results, &summary));
    if (plan->status == AO_STATUS_INFEASIBLE)
        AO_RETURN_ON_ERROR(write_diagnosis(book, st, plan));
    AO_RETURN_ON_ERROR(write_allocation(book, st, m, plan, csv));
    AO_RETURN_ON_ERROR(write_capital(book, st, m, plan));
    AO_RETURN_ON_ERROR(write_budgets(book, st, m, plan));
    AO_RETURN_ON_ERROR(write_indicators(book, st, m, plan));
    AO_RETURN_ON_ERROR(write_constraints(book, st, plan));
    AO_RETURN_ON_ERROR(write_inputs(book, st, results->tables));
    if (results->n_cases > 1)
        AO_RETURN_ON_ERROR(write_scenarios(book, st, results));
    if (results->uncertainty != NULL)
        AO_RETURN_ON_ERROR(write_uncertainty(book, st, results->uncertainty));
    if (summary.spend_years > 0) {
        /* Written last, so that the charts' figures do not sit between the report's sheets;
         * the charts themselves may go on the Summary at any time before the book closes. */
        chart_data data;
        AO_RETURN_ON_ERROR(write_chart_data(book, st, m, plan, &data));
        AO_RETURN_ON_ERROR(add_summary_charts(book, m, &summary, &data));
    }
    return AO_NO_ERROR;
}


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

    styles st;
    AO_GOTO_ON_ERROR(styles_create(out.book, &st), err, cleanup);
    AO_GOTO_ON_ERROR(set_properties(out.book, results), err, cleanup);
    AO_GOTO_ON_ERROR(write_sheets(out.book, &st, results, csv, csv_name), err, cleanup);

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
    styles st;
    AO_GOTO_ON_ERROR(styles_create(out.book, &st), err, cleanup);
    lxw_doc_properties properties = {.title = "allocopt uncertainty study",
                                     .subject = "Merged uncertainty study",
                                     .author = "allocopt",
                                     .comments = "Written by allocopt " AO_VERSION
                                                 " from partial results",
                                     .created = ao_workbook_created()};
    AO_GOTO_ON_ERROR(ao_from_lxw_error(workbook_set_properties(out.book, &properties)), err,
                     cleanup);
    AO_GOTO_ON_ERROR(write_study_summary(out.book, &st, study), err, cleanup);
    AO_GOTO_ON_ERROR(write_uncertainty(out.book, &st, study), err, cleanup);
    AO_GOTO_ON_ERROR(ao_book_output_close(&out), err, cleanup);
    err = ao_book_output_commit(&out, path);
cleanup:
    ao_book_output_discard(&out);
    return err;
}
