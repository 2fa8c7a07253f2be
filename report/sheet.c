/* The sheet helpers of report/sheet.h: styles, rows, tables split past Excel's last row,
 * conditional formats and column widths. */
#include "report/sheet.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/strutil.h"
#include "common/table.h"
#include "report/sheet_writer.h"

/* A chart's size unscaled, and a row of the default height, in pixels. */
#define AO_CHART_PIXELS_WIDE 480.0
#define AO_CHART_PIXELS_HIGH 288.0
#define AO_ROW_PIXELS_DEFAULT 20.0

/** Number format of each style, and what it adds to the digits (for column widths). */
static const struct {
    const char *num_format; ///< Excel number format, or NULL.
    int decimals;           ///< Decimals shown.
    int extra;              ///< Characters shown beside the digits (£, %, a sign always shown).
    double scale;           ///< Factor the format applies (100 for percentages).
    int signed_format;      ///< 1 when the format shows the sign of every value.
} cell_formats[AO_CELL_STYLES] = {
    /* clang-format off */
    [AO_CELL_TEXT] = {NULL, 0, 0, 1.0, 0},
    [AO_CELL_MONEY] = {"£#,##0", 0, 1, 1.0, 0},
    [AO_CELL_ACTIVITY] = {"#,##0.0", 1, 0, 1.0, 0},
    [AO_CELL_SHARE] = {"0.0%", 1, 1, 100.0, 0},
    [AO_CELL_PRICE] = {"#,##0.000", 3, 0, 1.0, 0},
    [AO_CELL_COUNT] = {"#,##0", 0, 0, 1.0, 0},
    [AO_CELL_RATIO] = {"0.000", 3, 0, 1.0, 0},
    [AO_CELL_BENEFIT] = {"#,##0.00", 2, 0, 1.0, 0},
    [AO_CELL_VALUE] = {"#,##0.00", 2, 0, 1.0, 0},
    [AO_CELL_GENERAL] = {NULL, 0, 0, 1.0, 0},
    [AO_CELL_MONEY_CHANGE] = {"+£#,##0;-£#,##0;£0", 0, 2, 1.0, 1},
    [AO_CELL_BENEFIT_CHANGE] = {"+#,##0.00;-#,##0.00;0.00", 2, 1, 1.0, 1},
    [AO_CELL_SHARE_CHANGE] = {"+0.0%;-0.0%;0.0%", 1, 2, 100.0, 1},
    [AO_CELL_ACTIVITY_CHANGE] = {"+#,##0.0;-#,##0.0;0.0", 1, 1, 1.0, 1},
    [AO_CELL_COUNT_CHANGE] = {"+#,##0;-#,##0;0", 0, 1, 1.0, 1},
    [AO_CELL_RATIO_CHANGE] = {"+0.000;-0.000;0.000", 3, 1, 1.0, 1},
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

ao_error ao_styles_create(lxw_workbook *book, ao_styles *st)
{
    memset(st, 0, sizeof *st);
    for (int c = 0; c < AO_CELL_STYLES; c++) {
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
    for (int c = 0; c < AO_CELL_STYLES; c++)
        if (st->cell[c] != NULL)
            (void)lxw_format_get_xf_index(st->cell[c]);
    lxw_format *cell_formats_used[] = {st->header, st->title, st->label, st->note, st->wrap};
    for (size_t k = 0; k < sizeof cell_formats_used / sizeof cell_formats_used[0]; k++)
        (void)lxw_format_get_xf_index(cell_formats_used[k]);
    return AO_NO_ERROR;
}

static void widen(ao_sheet *sh, lxw_col_t col, double chars)
{
    if (col < AO_WIDTH_COLS && chars > sh->width[col])
        sh->width[col] = chars;
    if (col >= sh->n_cols)
        sh->n_cols = (lxw_col_t)(col + 1);
}

/* Characters a number takes once formatted in a style. */
static double number_chars(double value, ao_cell_style style)
{
    double shown = fabs(value) * cell_formats[style].scale;
    if (style == AO_CELL_GENERAL || !(shown < 1e15))
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

void ao_sheet_put_text_raw(ao_sheet *sh, lxw_col_t col, const char *text, lxw_format *format,
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
    else if (col < AO_WIDTH_COLS && ao_sheet_text_chars(text) > sh->run_over[col])
        sh->run_over[col] = ao_sheet_text_chars(text);
}

void ao_sheet_put_text(ao_sheet *sh, lxw_col_t col, const char *text, lxw_format *format)
{
    ao_sheet_put_text_raw(sh, col, text, format, 1);
}

/* A number in its style; not-finite values (absent bounds, undefined shares) stay blank. */
void ao_sheet_put_number(ao_sheet *sh, lxw_col_t col, double value, ao_cell_style style)
{
    if (sh->err != AO_NO_ERROR || !isfinite(value))
        return;
    if (fabs(value) < AO_ZERO_EPSILON)
        value = 0.0;
    ao_sheet_note(&sh->err,
                  worksheet_write_number(sh->ws, sh->row, col, value, sh->st->cell[style]));
    widen(sh, col, number_chars(value, style));
}

void ao_sheet_put_yes_no(ao_sheet *sh, lxw_col_t col, int yes)
{
    ao_sheet_put_text(sh, col, yes ? "yes" : "no", NULL);
}

static void part_begin(ao_sheet *sh)
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
        sh->width[c] = sh->run_over[c] = 0.0;
}

void ao_sheet_begin(ao_sheet *sh, lxw_workbook *book, const ao_styles *st, const char *name)
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

/* Excel's default column width, in characters. */
#define AO_DEFAULT_WIDTH 8.43

/* Column widths that fit what was written (libxlsxwriter 1.1 has no autofit); and the
 * print area: every row written and every column, with the columns that text running on
 * from a narrower column covers. */
static void part_widths(ao_sheet *sh)
{
    if (sh->err != AO_NO_ERROR)
        return;
    double final[AO_WIDTH_COLS];
    for (lxw_col_t c = 0; c < AO_WIDTH_COLS; c++) {
        final[c] = AO_DEFAULT_WIDTH;
        if (c >= sh->n_cols || sh->width[c] <= 0)
            continue;
        final[c] = fmin(fmax(sh->width[c] + AO_WIDTH_PADDING, AO_MIN_WIDTH), sh->cap[c]);
        ao_sheet_note(&sh->err, worksheet_set_column(sh->ws, c, c, final[c], NULL));
    }
    if (sh->row == 0 || sh->err != AO_NO_ERROR)
        return;
    lxw_col_t last = sh->n_cols > 0 ? (lxw_col_t)(sh->n_cols - 1) : 0;
    for (lxw_col_t c = 0; c < AO_WIDTH_COLS; c++) {
        double left = sh->run_over[c];
        lxw_col_t reach = c;
        while (left > final[reach] && reach + 1 < AO_WIDTH_COLS) {
            left -= final[reach];
            reach++;
        }
        if (sh->run_over[c] > 0 && reach > last)
            last = reach;
    }
    ao_sheet_note(&sh->err, worksheet_print_area(sh->ws, 0, 0, sh->row - 1, last));
}

/* Pixels of a column of this width (characters), as Excel draws it at its default font. */
static double column_pixels(double width)
{
    return width < 1.0 ? floor(width * 12.0 + 0.5) : floor(width * 7.0 + 0.5) + 5.0;
}

ao_error ao_sheet_print_setup(lxw_worksheet *ws)
{
    ao_error err = AO_NO_ERROR;
    worksheet_set_paper(ws, AO_PAPER_A4);
    worksheet_set_landscape(ws);
    worksheet_fit_to_pages(ws, 1, 0);
    worksheet_center_horizontally(ws);
    /* &A is the sheet's name, &P the page and &N the number of pages. */
    ao_sheet_note(&err, worksheet_set_header(ws, "&L&\"-,Bold\"&A&Rallocopt results"));
    ao_sheet_note(&err, worksheet_set_footer(ws, "&CPage &P of &N"));
    /* The rows frozen at the top (a table's header) head every printed page. */
    if (ws->panes.type == FREEZE_PANES && ws->panes.first_row > 0)
        ao_sheet_note(&err, worksheet_repeat_rows(ws, 0, ws->panes.first_row - 1));
    if (!ws->print_area.in_use)
        return err;
    /* Widen the print area to every chart on the sheet: rows at the default height,
     * columns at the widths set. */
    lxw_row_t last_row = ws->print_area.last_row;
    lxw_col_t last_col = ws->print_area.last_col;
    lxw_object_properties *chart;
    STAILQ_FOREACH(chart, ws->chart_data, list_pointers)
    {
        double down = chart->y_offset + AO_CHART_PIXELS_HIGH * chart->y_scale;
        lxw_row_t bottom = chart->row + (lxw_row_t)ceil(down / AO_ROW_PIXELS_DEFAULT);
        double across = chart->x_offset + AO_CHART_PIXELS_WIDE * chart->x_scale;
        lxw_col_t right = chart->col;
        for (;;) {
            double width = AO_DEFAULT_WIDTH;
            if (right < ws->col_options_max && ws->col_options[right] != NULL)
                width = ws->col_options[right]->width;
            across -= column_pixels(width);
            if (across <= 0 || right + 1 >= LXW_COL_MAX)
                break;
            right++;
        }
        if (bottom > last_row)
            last_row = bottom < LXW_ROW_MAX ? bottom : LXW_ROW_MAX - 1;
        if (right > last_col)
            last_col = right;
    }
    ao_sheet_note(&err, worksheet_print_area(ws, 0, 0, last_row, last_col));
    return err;
}

static void write_header(ao_sheet *sh)
{
    sh->header_row = sh->row;
    for (lxw_col_t c = 0; c < sh->n_headers; c++)
        ao_sheet_put_text(sh, c, sh->headers[c], sh->st->header);
    if (sh->err == AO_NO_ERROR && (sh->options & AO_TABLE_FREEZE))
        worksheet_freeze_panes(sh->ws, sh->row + 1, 0);
    sh->row++;
}

/* The conditional formats and autofilter of the current table on the current part. */
static void table_close_part(ao_sheet *sh)
{
    if (sh->err != AO_NO_ERROR || !sh->in_table)
        return;
    lxw_row_t first = sh->header_row + 1;
    lxw_row_t last = sh->row > first ? sh->row - 1 : first;
    if (sh->options & AO_TABLE_FILTER)
        ao_sheet_note(&sh->err, worksheet_autofilter(sh->ws, sh->header_row, 0,
                                                     sh->row > first ? last : sh->header_row,
                                                     (lxw_col_t)(sh->n_headers - 1)));
    if (sh->row <= first)
        return;
    for (int q = 0; q < sh->n_flags && sh->err == AO_NO_ERROR; q++) {
        const ao_flag_rule *rule = &sh->flags[q];
        lxw_conditional_format format;
        memset(&format, 0, sizeof format);
        format.format = rule->format;
        char formula[160];
        switch (rule->kind) {
        case AO_FLAG_BELOW_COLUMN: {
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
        case AO_FLAG_BELOW:
        case AO_FLAG_ABOVE:
        case AO_FLAG_AT_LEAST:
            format.type = LXW_CONDITIONAL_TYPE_CELL;
            format.criteria = rule->kind == AO_FLAG_BELOW ? LXW_CONDITIONAL_CRITERIA_LESS_THAN
                              : rule->kind == AO_FLAG_ABOVE
                                  ? LXW_CONDITIONAL_CRITERIA_GREATER_THAN
                                  : LXW_CONDITIONAL_CRITERIA_GREATER_THAN_OR_EQUAL_TO;
            format.value = rule->value;
            break;
        case AO_FLAG_DATA_BAR:
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
void ao_sheet_line_begin(ao_sheet *sh)
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

void ao_sheet_line_end(ao_sheet *sh)
{
    sh->row++;
}

void ao_sheet_blank_line(ao_sheet *sh)
{
    ao_sheet_line_begin(sh);
    ao_sheet_line_end(sh);
}

/* A title row above a block; its text may run over the next columns. */
void ao_sheet_put_title(ao_sheet *sh, const char *text)
{
    ao_sheet_line_begin(sh);
    ao_sheet_put_text_raw(sh, 0, text, sh->st->title, 0);
    ao_sheet_line_end(sh);
}

/* A note in place of an empty table. */
void ao_sheet_put_note(ao_sheet *sh, const char *text)
{
    ao_sheet_line_begin(sh);
    ao_sheet_put_text_raw(sh, 0, text, sh->st->note, 0);
    ao_sheet_line_end(sh);
}

void ao_sheet_table_begin(ao_sheet *sh, const char *const *headers, size_t n_headers, int options)
{
    sh->headers = headers;
    sh->n_headers = (lxw_col_t)n_headers;
    sh->options = options;
    sh->n_flags = 0;
    ao_sheet_line_begin(sh);
    write_header(sh);
    sh->in_table = 1;
}

void ao_sheet_table_flag(ao_sheet *sh, ao_flag_kind kind, lxw_col_t col, lxw_col_t other,
                         double value, lxw_format *format)
{
    if (sh->n_flags < AO_MAX_FLAGS)
        sh->flags[sh->n_flags++] = (ao_flag_rule){kind, col, other, value, format};
}

void ao_sheet_table_end(ao_sheet *sh)
{
    table_close_part(sh);
    sh->in_table = 0;
    sh->n_flags = 0;
}

/* Finish the sheet; returns its first error. */
ao_error ao_sheet_end(ao_sheet *sh)
{
    if (sh->in_table)
        ao_sheet_table_end(sh);
    part_widths(sh);
    return sh->err;
}

void ao_sheet_block_begin(ao_sheet *sh, const char *title, const char *const *headers, size_t n)
{
    ao_sheet_blank_line(sh);
    ao_sheet_put_title(sh, title);
    ao_sheet_table_begin(sh, headers, n, AO_TABLE_PLAIN);
}

void ao_sheet_block_end(ao_sheet *sh, size_t n_rows, const char *empty)
{
    ao_sheet_table_end(sh);
    if (n_rows == 0)
        ao_sheet_put_note(sh, empty);
}

/* A headline: label, value, and an explanation that runs on over the empty cells to its
 * right (so it does not widen the columns of the tables below). */
void ao_sheet_headline_text(ao_sheet *sh, const char *label, const char *value,
                            const char *explanation)
{
    ao_sheet_line_begin(sh);
    double chars = value != NULL ? ao_sheet_text_chars(value) : 0.0;
    int long_value = chars > AO_MAX_VALUE_WIDTH;
    if (long_value && sh->err == AO_NO_ERROR) {
        /* libxlsxwriter does not size rows to wrapped text, and not every spreadsheet
         * program does it on opening: give the row its lines. */
        double lines = ceil(chars / (AO_MAX_VALUE_WIDTH - AO_WIDTH_PADDING));
        ao_sheet_note(&sh->err, worksheet_set_row(sh->ws, sh->row, AO_ROW_HEIGHT * lines, NULL));
    }
    ao_sheet_put_text(sh, 0, label, sh->st->label);
    ao_sheet_put_text(sh, 1, value, long_value ? sh->st->wrap : NULL);
    ao_sheet_put_text_raw(sh, 2, explanation, NULL, 0);
    ao_sheet_line_end(sh);
}

void ao_sheet_headline_number(ao_sheet *sh, const char *label, double value, ao_cell_style style,
                              const char *explanation)
{
    ao_sheet_line_begin(sh);
    ao_sheet_put_text(sh, 0, label, sh->st->label);
    ao_sheet_put_number(sh, 1, value, style);
    ao_sheet_put_text_raw(sh, 2, explanation, NULL, 0);
    ao_sheet_line_end(sh);
}
