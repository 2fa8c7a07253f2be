/*
 * The input workbook to fill in (`allocopt template`).
 *
 * Everything the analyst sees about a column (its heading note, its number format,
 * its drop-down list or number check and their messages) comes from its entry in the
 * list of input tables (models/schema.h), which the validator reads too: what Excel
 * refuses as it is typed, `allocopt validate` would refuse too.
 *
 * libxlsxwriter keeps each sheet in memory until the workbook is closed: its
 * constant_memory mode cannot write Excel tables, and the filters and banding they
 * give are worth more here. Input tables are small (a national model has a few
 * thousand demand rows), unlike the results' allocation.
 */
#include "report/template.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <xlsxwriter.h>

#include "common/parse.h"
#include "common/strutil.h"
#include "models/model.h"
#include "models/schema.h"
#include "report/sheet_writer.h"

/* The sheet row below the headings that Excel's last row leaves (rows are 0-based). */
#define LAST_SHEET_ROW ((lxw_row_t)1048575)

/* Name of the hidden sheet with the longer drop-down lists; the reader skips it. */
#define LISTS_SHEET "_lists"

/* Column widths, in characters: bounds, and what a heading needs beyond its text
 * (the filter button). */
#define MIN_WIDTH 10.0
#define MAX_WIDTH 48.0
#define HEADING_EXTRA 4.0

/* The Read me's text column: width in characters, characters that surely fit on one
 * line of it, and the height of a line in points. */
#define README_TEXT_WIDTH 100.0
#define README_LINE_CHARS 95.0
#define README_LINE_POINTS 15.0

/* Heading notes: width in pixels, and characters that fit on one line of it. */
#define NOTE_WIDTH 420
#define NOTE_LINE_CHARS 62
#define NOTE_LINE_PIXELS 15
#define NOTE_MIN_HEIGHT 60

/* ---- what each sheet and column holds ---- */

/** How a column is shown. */
typedef enum shown_as {
    SHOWN_GENERAL = 0, ///< Excel's General.
    SHOWN_TEXT,        ///< Text ("@"): what is typed stays as typed.
    SHOWN_POUNDS,      ///< Whole pounds: £601,500,000.
    SHOWN_PENCE,       ///< Pounds and pence: £1,234.50.
    SHOWN_COUNT,       ///< Whole numbers with thousands separators.
    SHOWN_PERCENT,     ///< Percentages (example cells typed with %).
    SHOWN_COUNT_OF     ///< Number of formats.
} shown_as;

/* Most input tables (models/schema.h) the template has room for. */
#define MAX_SHEETS 32

/* Settings whose value is a number; the others hold words, names or a year. */
static const char *const numeric_settings[] = {
    "years", "discount_rate", "specialised_share_floor", "max_change", "equity_band", "mip_gap",
    NULL};

/* The settings rows of an empty template: key and value (NULL: blank). */
static const char *const default_settings[][2] = {
    {"first_year", "2025/26"},
    {"years", "5"},
    {"name", NULL},
    {"objective", "benefit"},
    {"arrangement", "delegated"},
    {"discount_rate", NULL},
    {"specialised_share_floor", NULL},
    {"max_change", NULL},
    {"equity_band", NULL},
    {"benefit_unit", NULL},
};

/* ---- the writer ---- */

typedef struct template_writer {
    lxw_workbook *book;
    const ao_tableset *example;                            ///< Rows to write, or NULL.
    lxw_format *heading_required;                          ///< Headings of required columns.
    lxw_format *heading_optional;                          ///< Headings of optional columns.
    lxw_format *shown[SHOWN_COUNT_OF];                     ///< Column formats.
    lxw_format *title, *section, *label, *prose, *command; ///< Read me styles.
    lxw_row_t list_last_row[MAX_SHEETS]; ///< Last row offered in id lists, per sheet.
    lxw_row_t scope_last_row;            ///< Last row of the scope list on _lists.
    lxw_row_t columns_last_row;          ///< Last row of the column list on _lists.
    ao_error err;                        ///< First error; later writes do nothing.
} template_writer;

/* The input tables, in the order of their sheets. */
static const ao_table_schema *sheets(size_t *n_sheets)
{
    return ao_schema_tables(n_sheets);
}

/* Index of a table among the sheets. */
static size_t sheet_index(const ao_table_schema *sheet)
{
    size_t n_sheets;
    return (size_t)(sheet - sheets(&n_sheets));
}

/* Whether a column holds numbers. */
static int number_column(const ao_column_schema *spec)
{
    switch (spec->format) {
    case AO_FORMAT_NUMBER:
    case AO_FORMAT_MONEY:
    case AO_FORMAT_PRICE:
    case AO_FORMAT_COUNT:
        return 1;
    case AO_FORMAT_TEXT:
    case AO_FORMAT_YEAR:
    case AO_FORMAT_SETTING:
    case AO_FORMAT_CHANGE:
        break;
    }
    return 0;
}

/* How a column is shown: text columns as text, numbers by their format. */
static shown_as shown_of(const ao_column_schema *spec)
{
    switch (spec->format) {
    case AO_FORMAT_TEXT:
    case AO_FORMAT_YEAR:
        return SHOWN_TEXT;
    case AO_FORMAT_MONEY:
        return SHOWN_POUNDS;
    case AO_FORMAT_PRICE:
        return SHOWN_PENCE;
    case AO_FORMAT_COUNT:
        return SHOWN_COUNT;
    case AO_FORMAT_NUMBER:
    case AO_FORMAT_SETTING:
    case AO_FORMAT_CHANGE:
        break;
    }
    return SHOWN_GENERAL;
}

static int in_list(const char *text, const char *const *list)
{
    for (size_t k = 0; list[k] != NULL && text != NULL; k++)
        if (ao_name_equal(text, list[k]))
            return 1;
    return 0;
}

/* The example's table for a sheet, or NULL. */
static const ao_table *example_table(const template_writer *w, const ao_table_schema *sheet)
{
    return w->example != NULL ? ao_tableset_find(w->example, sheet->name) : NULL;
}

/* ---- formats ---- */

static lxw_format *add_format(template_writer *w)
{
    lxw_format *format = workbook_add_format(w->book);
    if (format == NULL && w->err == AO_NO_ERROR)
        w->err = AO_ERROR_MEMORY_MALLOC_FAILED;
    return format;
}

static void create_formats(template_writer *w)
{
    /* Required headings darker than optional ones; the Read me says which is which. */
    w->heading_required = add_format(w);
    w->heading_optional = add_format(w);
    for (int k = 0; k < SHOWN_COUNT_OF; k++)
        w->shown[k] = add_format(w);
    w->title = add_format(w);
    w->section = add_format(w);
    w->label = add_format(w);
    w->prose = add_format(w);
    w->command = add_format(w);
    if (w->err != AO_NO_ERROR)
        return;
    format_set_bold(w->heading_required);
    format_set_font_color(w->heading_required, LXW_COLOR_WHITE);
    format_set_bg_color(w->heading_required, 0x1F4E79);
    format_set_bold(w->heading_optional);
    format_set_font_color(w->heading_optional, 0x1F3864);
    format_set_bg_color(w->heading_optional, 0xDDEBF7);
    format_set_num_format(w->shown[SHOWN_TEXT], "@");
    format_set_num_format(w->shown[SHOWN_POUNDS], "£#,##0");
    format_set_num_format(w->shown[SHOWN_PENCE], "£#,##0.00");
    format_set_num_format(w->shown[SHOWN_COUNT], "#,##0");
    format_set_num_format(w->shown[SHOWN_PERCENT], "0.0##%");
    format_set_bold(w->title);
    format_set_font_size(w->title, 16);
    format_set_bold(w->section);
    format_set_font_size(w->section, 12);
    format_set_font_color(w->section, 0x1F4E79);
    format_set_bold(w->label);
    format_set_align(w->label, LXW_ALIGN_VERTICAL_TOP);
    format_set_text_wrap(w->prose);
    format_set_align(w->prose, LXW_ALIGN_VERTICAL_TOP);
    format_set_font_name(w->command, "Consolas");
    format_set_align(w->command, LXW_ALIGN_VERTICAL_TOP);
}

/* ---- cells ---- */

/* Text, always as text: a cell such as "=1+1" must never become a formula. */
static void put_text(template_writer *w, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
                     const char *text, lxw_format *format)
{
    if (w->err == AO_NO_ERROR && text != NULL && *text != '\0')
        ao_sheet_note(&w->err, worksheet_write_string(ws, row, col, text, format));
}

/* Whether a column of a sheet holds numbers (its cells become numbers when they read
 * as numbers). settings.value depends on the setting. */
static int holds_numbers(const char *table, const char *column, const char *setting)
{
    const ao_column_schema *spec = ao_schema_column(ao_schema_table(table), column);
    if (spec == NULL)
        return 0;
    if (spec->format == AO_FORMAT_SETTING)
        return in_list(setting, numeric_settings);
    return number_column(spec);
}

/*
 * One example cell. A cell of a number column that reads as a number becomes a number
 * (the model reads the same value back); everything else stays text as typed.
 */
static void put_cell(template_writer *w, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
                     const ao_column_schema *spec, const char *text, int numeric)
{
    lxw_format *format = w->shown[shown_of(spec)];
    double value;
    if (numeric && ao_parse_number(text, &value) == AO_PARSE_OK) {
        if (strchr(text, '%') != NULL)
            format = w->shown[SHOWN_PERCENT];
        if (w->err == AO_NO_ERROR)
            ao_sheet_note(&w->err, worksheet_write_number(ws, row, col, value, format));
        return;
    }
    put_text(w, ws, row, col, text, format);
}

/* Whether the cell of `spec` in row r of an example table is written as a number. */
static int numeric_cell(const ao_table *table, size_t r, const ao_column_schema *spec)
{
    switch (spec->format) {
    case AO_FORMAT_SETTING:
        return in_list(ao_table_cell(table, r, ao_table_col(table, "key")), numeric_settings);
    case AO_FORMAT_CHANGE:
        return holds_numbers(ao_table_cell(table, r, ao_table_col(table, "table")),
                             ao_table_cell(table, r, ao_table_col(table, "column")),
                             ao_table_cell(table, r, ao_table_col(table, "key")));
    default:
        return number_column(spec);
    }
}

/* ---- heading notes and validation ---- */

static void put_note(template_writer *w, lxw_worksheet *ws, lxw_col_t col,
                     const ao_column_schema *spec)
{
    char *text =
        ao_asprintf("%s: %s\n\n%s", spec->name,
                    spec->required ? "required" : "optional, may be left blank", spec->help);
    if (text == NULL) {
        if (w->err == AO_NO_ERROR)
            w->err = AO_ERROR_MEMORY_MALLOC_FAILED;
        return;
    }
    /* Height to fit the text: lines wrapped at the note's width, and line breaks. */
    int lines = 1, run = 0;
    for (const char *c = text; *c; c++) {
        if (*c == '\n' || run == NOTE_LINE_CHARS) {
            lines++;
            run = 0;
        }
        run += *c != '\n' && (*c & 0xC0) != 0x80;
    }
    int height = lines * NOTE_LINE_PIXELS + 10;
    lxw_comment_options options = {
        .author = "allocopt",
        .width = NOTE_WIDTH,
        .height = (uint16_t)(height < NOTE_MIN_HEIGHT ? NOTE_MIN_HEIGHT : height)};
    if (w->err == AO_NO_ERROR)
        ao_sheet_note(&w->err, worksheet_write_comment_opt(ws, 0, col, text, &options));
    free(text);
}

/* Sheet range of a column below its heading: "=icbs!$A$2:$A$5001". A sheet name that
 * does not start with a letter ("_lists") is quoted. */
static char *column_range(const char *sheet, lxw_col_t col, lxw_row_t last_row)
{
    char letters[8];
    ao_column_letters(col, letters);
    const char *quote = (sheet[0] >= 'a' && sheet[0] <= 'z') ? "" : "'";
    return ao_asprintf("=%s%s%s!$%s$2:$%s$%lu", quote, sheet, quote, letters, letters,
                       (unsigned long)last_row + 1);
}

/*
 * Add a drop-down list drawn from a range of cells. libxlsxwriter before 1.1.6 loses a
 * copy of the formula of every such list (fixed upstream by "Fix memory leak in list
 * formula data validation", 2023). With those versions the list is added as a list of
 * one word, and the range then put in place of the word in the library's own copy of
 * the validation, which the library frees; the sheet's XML is the same.
 */
static lxw_error add_range_list(lxw_worksheet *ws, lxw_col_t col, lxw_row_t last_row,
                                lxw_data_validation *v, const char *formula)
{
#if LXW_VERSION_ID >= 116
    v->validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
    v->value_formula = (char *)formula;
    return worksheet_data_validation_range(ws, 1, col, last_row, col, v);
#else
    char placeholder_word[] = "-";
    char *placeholder[] = {placeholder_word, NULL};
    char *range = ao_strdup(formula[0] == '=' ? formula + 1 : formula);
    if (range == NULL)
        return LXW_ERROR_MEMORY_MALLOC_FAILED;
    v->validate = LXW_VALIDATION_TYPE_LIST;
    v->value_list = placeholder;
    lxw_error error = worksheet_data_validation_range(ws, 1, col, last_row, col, v);
    lxw_data_val_obj *added = STAILQ_FIRST(ws->data_validations);
    while (added != NULL && STAILQ_NEXT(added, list_pointers) != NULL)
        added = STAILQ_NEXT(added, list_pointers);
    if (error != LXW_NO_ERROR || added == NULL) {
        free(range);
        return error != LXW_NO_ERROR ? error : LXW_ERROR_PARAMETER_VALIDATION;
    }
    free(added->value_formula);
    added->value_formula = range;
    return LXW_NO_ERROR;
#endif
}

/* The check of a number cell, by the schema's rule (AO_NUMBER_ANY has none): the kind of
 * number, the criterion and its bound or bounds, and the message shown when it fails
 * (money_error instead in a column of pounds, when there is one). */
typedef struct number_check {
    uint8_t validate;
    uint8_t criteria;
    double low, high;
    const char *error;
    const char *money_error;
} number_check;

static const number_check number_checks[] = {
    [AO_NUMBER_NONNEG] = {LXW_VALIDATION_TYPE_DECIMAL,
                          LXW_VALIDATION_CRITERIA_GREATER_THAN_OR_EQUAL_TO, 0, 0,
                          "Type a number, 0 or more.",
                          "Type an amount in pounds, 0 or more (not £k or £m: £1.5m is "
                          "1500000)."},
    [AO_NUMBER_FRACTION] = {LXW_VALIDATION_TYPE_DECIMAL, LXW_VALIDATION_CRITERIA_BETWEEN, 0, 1,
                            "Type a fraction from 0 to 1, such as 85% or 0.85.", NULL},
    [AO_NUMBER_WHOLE] = {LXW_VALIDATION_TYPE_INTEGER,
                         LXW_VALIDATION_CRITERIA_GREATER_THAN_OR_EQUAL_TO, 0, 0,
                         "Type a whole number, 0 or more.", NULL},
    [AO_NUMBER_POSITIVE] = {LXW_VALIDATION_TYPE_DECIMAL, LXW_VALIDATION_CRITERIA_GREATER_THAN, 0, 0,
                            "Type a number greater than 0.", NULL},
    [AO_NUMBER_GROWTH] = {LXW_VALIDATION_TYPE_DECIMAL, LXW_VALIDATION_CRITERIA_GREATER_THAN, -1, 0,
                          "Type a yearly growth above -100%, such as 3% or 0.03.", NULL},
};

static void validate(template_writer *w, lxw_worksheet *ws, lxw_col_t col, lxw_row_t last_row,
                     const ao_column_schema *spec)
{
    char *formula = NULL, *error = NULL;
    lxw_data_validation v = {.input_title = (char *)spec->name,
                             .error_title = (char *)spec->name,
                             .input_message = (char *)spec->tip};
    /* The tables scenarios may change, for AO_LIST_TABLES. */
    const char *tables[MAX_SHEETS + 1] = {NULL};
    switch (spec->list) {
    case AO_LIST_WORDS:
    case AO_LIST_TABLES: {
        const char *const *list = spec->words;
        if (spec->list == AO_LIST_TABLES) {
            size_t n_sheets, n_tables = 0;
            const ao_table_schema *all = sheets(&n_sheets);
            for (size_t k = 0; k < n_sheets; k++)
                if (all[k].changeable)
                    tables[n_tables++] = all[k].name;
            list = tables;
        }
        ao_strbuf words = {0};
        for (size_t k = 0; list[k] != NULL; k++)
            ao_strbuf_printf(&words, "%s%s", k > 0 ? ", " : "", list[k]);
        error = ao_asprintf("Choose one of: %s.", words.data ? words.data : "");
        ao_strbuf_free(&words);
        v.validate = LXW_VALIDATION_TYPE_LIST;
        v.value_list = (char **)list; /* only read by libxlsxwriter */
        /* yes/no also reads true/false, y/n and 1/0: a warning, not a refusal. */
        v.error_type = list == ao_schema_yes_no ? LXW_VALIDATION_ERROR_TYPE_WARNING
                                                : LXW_VALIDATION_ERROR_TYPE_STOP;
        break;
    }
    case AO_LIST_IDS: {
        const ao_table_schema *source = ao_schema_table(spec->id_table);
        long id_col = ao_schema_column_index(source, "id");
        if (id_col < 0) {
            w->err = AO_ERROR_INTERNAL;
            return;
        }
        formula =
            column_range(source->name, (lxw_col_t)id_col, w->list_last_row[sheet_index(source)]);
        error = ao_asprintf("This is not an id on the %s sheet yet. Add it there, or choose "
                            "one from the list.",
                            source->name);
        /* The sheets may be filled in any order: warn, let the analyst go on. */
        v.error_type = LXW_VALIDATION_ERROR_TYPE_WARNING;
        break;
    }
    case AO_LIST_SCOPE:
    case AO_LIST_COLUMNS: {
        int scope = spec->list == AO_LIST_SCOPE;
        formula = column_range(LISTS_SHEET, scope ? 0 : 1,
                               scope ? w->scope_last_row : w->columns_last_row);
        error = ao_strdup(scope ? "Use * (each ICB), all (all ICBs together) or an ICB's "
                                  "code from the icbs sheet."
                                : "This is not a column of any sheet. Choose one from the "
                                  "list.");
        v.error_type = LXW_VALIDATION_ERROR_TYPE_WARNING;
        break;
    }
    case AO_LIST_NONE:
        switch (spec->rule) {
        case AO_NUMBER_NONNEG:
        case AO_NUMBER_FRACTION:
        case AO_NUMBER_WHOLE:
        case AO_NUMBER_POSITIVE:
        case AO_NUMBER_GROWTH: {
            const number_check *check = &number_checks[spec->rule];
            v.validate = check->validate;
            v.criteria = check->criteria;
            if (check->criteria == LXW_VALIDATION_CRITERIA_BETWEEN) {
                v.minimum_number = check->low;
                v.maximum_number = check->high;
            } else {
                v.value_number = check->low;
            }
            int money = spec->format == AO_FORMAT_MONEY || spec->format == AO_FORMAT_PRICE;
            error = ao_strdup(money && check->money_error ? check->money_error : check->error);
            break;
        }
        case AO_NUMBER_ANY:
            if (spec->tip == NULL)
                return;
            /* No check, only the message shown when a cell is selected. */
            v.validate = LXW_VALIDATION_TYPE_ANY;
            v.error_title = NULL;
            break;
        }
        break;
    }
    int from_range =
        spec->list == AO_LIST_IDS || spec->list == AO_LIST_SCOPE || spec->list == AO_LIST_COLUMNS;
    if ((v.validate != LXW_VALIDATION_TYPE_ANY && error == NULL) ||
        (from_range && formula == NULL)) {
        w->err = AO_ERROR_MEMORY_MALLOC_FAILED;
    } else if (w->err == AO_NO_ERROR) {
        v.error_message = error;
        if (v.input_message == NULL)
            v.input_title = NULL;
        ao_sheet_note(&w->err,
                      from_range ? add_range_list(ws, col, last_row, &v, formula)
                                 : worksheet_data_validation_range(ws, 1, col, last_row, col, &v));
    }
    free(formula);
    free(error);
}

/* ---- table sheets ---- */

/* Widths that fit the headings and the example's cells. */
static void set_columns(template_writer *w, lxw_worksheet *ws, const ao_table_schema *sheet,
                        const ao_table *table, const long *source)
{
    for (size_t c = 0; c < sheet->n_columns && w->err == AO_NO_ERROR; c++) {
        const ao_column_schema *spec = &sheet->columns[c];
        double width = ao_sheet_text_chars(spec->name) + HEADING_EXTRA;
        for (size_t r = 0; table != NULL && r < table->n_rows && source[c] >= 0; r++) {
            const char *text = ao_table_cell(table, r, source[c]);
            double chars = text != NULL ? ao_sheet_text_chars(text) + 2 : 0;
            if (chars > width)
                width = chars;
        }
        if (spec->format == AO_FORMAT_MONEY && width < 16)
            width = 16; /* £601,500,000 */
        if (spec->format == AO_FORMAT_SETTING && width < 24)
            width = 24;
        width = width < MIN_WIDTH ? MIN_WIDTH : width > MAX_WIDTH ? MAX_WIDTH : width;
        lxw_format *format = shown_of(spec) == SHOWN_GENERAL ? NULL : w->shown[shown_of(spec)];
        ao_sheet_note(&w->err, worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, width, format));
    }
}

static void write_table_sheet(template_writer *w, const ao_table_schema *sheet, size_t n_rows,
                              const ao_table *table)
{
    long source[16];
    lxw_table_column columns[16];
    lxw_table_column *column_list[17];
    if (sheet->n_columns > 16) {
        w->err = AO_ERROR_INTERNAL;
        return;
    }
    for (size_t c = 0; c < sheet->n_columns; c++) {
        const ao_column_schema *spec = &sheet->columns[c];
        source[c] = table != NULL ? ao_table_col(table, spec->name) : -1;
        columns[c] = (lxw_table_column){.header = (char *)spec->name,
                                        .header_format = spec->required ? w->heading_required
                                                                        : w->heading_optional};
        column_list[c] = &columns[c];
    }
    column_list[sheet->n_columns] = NULL;
    int defaults = table == NULL && w->example == NULL && strcmp(sheet->name, "settings") == 0;
    size_t n_default = sizeof default_settings / sizeof default_settings[0];
    if (defaults)
        n_rows = n_default;
    size_t table_rows = n_rows > 0 ? n_rows : AO_TEMPLATE_BLANK_ROWS;
    lxw_row_t last_row = (lxw_row_t)table_rows;
    lxw_row_t checked_last =
        last_row > AO_TEMPLATE_CHECKED_ROWS ? last_row : AO_TEMPLATE_CHECKED_ROWS;

    lxw_worksheet *ws = workbook_add_worksheet(w->book, sheet->name);
    if (ws == NULL) {
        w->err = AO_ERROR_WORKBOOK;
        return;
    }
    set_columns(w, ws, sheet, table, source);
    worksheet_freeze_panes(ws, 1, 0);
    char table_name[64];
    snprintf(table_name, sizeof table_name, "tbl_%s", sheet->name);
    lxw_table_options options = {.name = table_name,
                                 .style_type = LXW_TABLE_STYLE_TYPE_LIGHT,
                                 .style_type_number = 9,
                                 .columns = column_list};
    if (w->err == AO_NO_ERROR)
        ao_sheet_note(&w->err, worksheet_add_table(ws, 0, 0, last_row,
                                                   (lxw_col_t)(sheet->n_columns - 1), &options));
    for (size_t c = 0; c < sheet->n_columns; c++) {
        put_note(w, ws, (lxw_col_t)c, &sheet->columns[c]);
        validate(w, ws, (lxw_col_t)c, checked_last, &sheet->columns[c]);
    }
    for (size_t r = 0; r < n_rows && w->err == AO_NO_ERROR; r++) {
        lxw_row_t row = (lxw_row_t)(r + 1);
        if (defaults) {
            const char *key = default_settings[r][0], *value = default_settings[r][1];
            put_text(w, ws, row, 0, key, w->shown[SHOWN_TEXT]);
            if (value != NULL)
                put_cell(w, ws, row, 1, &sheet->columns[1], value, in_list(key, numeric_settings));
            continue;
        }
        for (size_t c = 0; c < sheet->n_columns; c++) {
            const char *text = ao_table_cell(table, r, source[c]);
            if (text != NULL)
                put_cell(w, ws, row, (lxw_col_t)c, &sheet->columns[c], text,
                         numeric_cell(table, r, &sheet->columns[c]));
        }
    }
}

/* ---- the hidden lists ---- */

/* Most distinct column names across the sheets (FORMATS.md has fewer than 60). */
#define MAX_COLUMN_NAMES 128

/* Every column name of every sheet, each once, in sheet order; returns their number. */
static size_t column_names(const char *names[MAX_COLUMN_NAMES])
{
    size_t n_names = 0;
    size_t n_sheets;
    const ao_table_schema *all = sheets(&n_sheets);
    for (size_t k = 0; k < n_sheets; k++)
        for (size_t c = 0; c < all[k].n_columns; c++) {
            const char *name = all[k].columns[c].name;
            int seen = 0;
            for (size_t q = 0; q < n_names && !seen; q++)
                seen = strcmp(names[q], name) == 0;
            if (!seen && n_names < MAX_COLUMN_NAMES)
                names[n_names++] = name;
        }
    return n_names;
}

static void write_lists(template_writer *w)
{
    lxw_worksheet *ws = workbook_add_worksheet(w->book, LISTS_SHEET);
    if (ws == NULL) {
        w->err = AO_ERROR_WORKBOOK;
        return;
    }
    worksheet_hide(ws);
    const ao_table_schema *icbs = ao_schema_table("icbs");
    long id_col = ao_schema_column_index(icbs, "id");
    const ao_table *icb_table = example_table(w, icbs);
    long icb_source = icb_table != NULL ? ao_table_col(icb_table, "id") : -1;
    char letters[8];
    ao_column_letters((size_t)id_col, letters);

    const char *names[MAX_COLUMN_NAMES];
    size_t n_names = column_names(names);

    /* Scope: *, all, then each ICB row's id, by a formula that follows the icbs sheet.
     * The value saved with each formula is the id written there now, so that a program
     * that does not recalculate on opening still shows the list. */
    put_text(w, ws, 0, 0, "scope", NULL);
    put_text(w, ws, 0, 1, "column", NULL);
    lxw_row_t last = w->scope_last_row > n_names ? w->scope_last_row : (lxw_row_t)n_names;
    for (lxw_row_t row = 1; row <= last && w->err == AO_NO_ERROR; row++) {
        if (row == 1) {
            put_text(w, ws, row, 0, "*", NULL);
        } else if (row == 2) {
            put_text(w, ws, row, 0, "all", NULL);
        } else if (row <= w->scope_last_row) {
            lxw_row_t icb_row = row - 2; /* 1-based data row of the icbs sheet */
            char formula[96];
            snprintf(formula, sizeof formula, "=IF(icbs!$%s%lu=\"\",\"\",icbs!$%s%lu)", letters,
                     (unsigned long)icb_row + 1, letters, (unsigned long)icb_row + 1);
            const char *cached = icb_source >= 0 && icb_row - 1 < icb_table->n_rows
                                     ? ao_table_cell(icb_table, icb_row - 1, icb_source)
                                     : NULL;
            ao_sheet_note(&w->err, worksheet_write_formula_str(ws, row, 0, formula, NULL,
                                                               cached != NULL ? cached : ""));
        }
        if (row <= n_names)
            put_text(w, ws, row, 1, names[row - 1], NULL);
    }
}

/* ---- Read me ---- */

typedef struct readme {
    template_writer *w;
    lxw_worksheet *ws;
    lxw_row_t row;
} readme;

static void readme_line(readme *rm, const char *label, const char *text, lxw_format *format)
{
    put_text(rm->w, rm->ws, rm->row, 0, label, rm->w->label);
    put_text(rm->w, rm->ws, rm->row, 1, text, format != NULL ? format : rm->w->prose);
    /* Not every program fits a row to its wrapped text on opening: give the height. */
    double lines = ceil(ao_sheet_text_chars(text) / README_LINE_CHARS);
    if (format == NULL && lines > 1 && rm->w->err == AO_NO_ERROR)
        ao_sheet_note(&rm->w->err,
                      worksheet_set_row(rm->ws, rm->row, lines * README_LINE_POINTS, NULL));
    rm->row++;
}

static void readme_section(readme *rm, const char *title)
{
    rm->row++;
    put_text(rm->w, rm->ws, rm->row++, 0, title, rm->w->section);
}

static void write_readme(template_writer *w)
{
    readme rm = {.w = w, .ws = workbook_add_worksheet(w->book, "Read me")};
    if (rm.ws == NULL) {
        w->err = AO_ERROR_WORKBOOK;
        return;
    }
    ao_sheet_note(&w->err, worksheet_set_column(rm.ws, 0, 0, 24, NULL));
    ao_sheet_note(&w->err, worksheet_set_column(rm.ws, 1, 1, README_TEXT_WIDTH, NULL));
    worksheet_set_tab_color(rm.ws, 0x1F4E79);
    put_text(w, rm.ws, rm.row++, 0, "allocopt input workbook", w->title);
    readme_line(&rm, NULL,
                "Fill in this workbook to describe your ICBs, their budgets and the services "
                "they commission. allocopt then finds how to share each ICB's revenue and "
                "capital between specialised services and the ICB's own priorities, year by "
                "year, for the most health benefit (or the least cost) within every limit you "
                "set, and reports the risks of the plan.",
                NULL);
    readme_line(&rm, NULL,
                "Written by allocopt " AO_VERSION ". Point at a column heading to read its "
                "note: what the column means, its unit, and whether it is required.",
                NULL);

    readme_section(&rm, "How to use it");
    readme_line(&rm, "1. Fill in",
                "Fill in the sheets, starting with settings, icbs, budgets, services and "
                "demand: these five are required. The others are optional: leave them empty "
                "or delete them. Save as an Excel Workbook (.xlsx).",
                NULL);
    readme_line(&rm, "2. Check", "allocopt validate book.xlsx", w->command);
    readme_line(&rm, NULL,
                "Lists every problem with its sheet, row and column, such as: budgets row 14, "
                "column revenue: '12,3x4' is not a number. Fix them and check again until "
                "none is left.",
                NULL);
    readme_line(&rm, "3. Run", "allocopt run book.xlsx -o results.xlsx", w->command);
    readme_line(&rm, NULL,
                "Finds the best plan and writes it to results.xlsx. If no plan meets every "
                "limit, allocopt says which limits are in the way.",
                NULL);
    readme_line(&rm, "4. Read the results",
                "Open results.xlsx: Summary first, then Allocation (activity and spend by ICB, "
                "service, provider and year), Budgets (what each budget has left, and what "
                "£1m more would buy), Capital, Indicators (the risk indicators) and "
                "Constraints.",
                NULL);
    readme_line(&rm, "5. What-ifs", "allocopt run book.xlsx -o results.xlsx --all-scenarios",
                w->command);
    readme_line(&rm, NULL,
                "Describe each what-if on the scenarios sheet (10% more renal need, a 20% "
                "capital cut, joint commissioning). --all-scenarios solves every one beside "
                "the baseline, --scenario NAME only the one named; the Scenarios sheet of the "
                "results compares them side by side.",
                NULL);
    readme_line(&rm, "6. Sweeps",
                "allocopt sweep book.xlsx --vary budgets.revenue --from 0.8 --to 1.2 --steps 9 "
                "-o sweep.xlsx",
                w->command);
    readme_line(&rm, NULL,
                "Solves the plan again and again while one input moves (here every revenue "
                "budget from 80% to 120% of what you typed; --vary settings.KEY moves a "
                "setting instead), and charts how the benefit and the specialised share "
                "follow.",
                NULL);
    readme_line(&rm, "7. Uncertainty", "allocopt run book.xlsx -o results.xlsx --samples 1000",
                w->command);
    readme_line(&rm, NULL,
                "Describe on the uncertainty sheet which values are uncertain and how they "
                "vary. --samples draws that many inputs at random (--seed picks the draws) and "
                "solves each; the Uncertainty sheet of the results gives the 10th, 50th and "
                "90th percentiles of the benefit and spend, the chance of no feasible plan and "
                "the chance that each ICB's budget is overspent by the plan.",
                NULL);

    readme_section(&rm, "The sheets");
    size_t n_sheets;
    const ao_table_schema *all = sheets(&n_sheets);
    for (size_t k = 0; k < n_sheets && w->err == AO_NO_ERROR; k++) {
        char *line = ao_asprintf("%s %s", all[k].required ? "Required." : "Optional.", all[k].help);
        if (line == NULL) {
            w->err = AO_ERROR_MEMORY_MALLOC_FAILED;
            return;
        }
        readme_line(&rm, all[k].name, line, NULL);
        free(line);
    }

    readme_section(&rm, "Numbers, years and words");
    readme_line(&rm, "Money",
                "In pounds (£), not £k or £m: a budget of £601.5m is 601500000. A £ sign and "
                "commas may be typed (£601,500,000).",
                NULL);
    readme_line(&rm, "Activity",
                "Need, baseline activity, capacity and volumes are in each service's own unit "
                "(the services sheet's unit column: courses, bed-days, operations), per year.",
                NULL);
    readme_line(&rm, "Fractions",
                "Coverage, growth, shares and rates are fractions and may be typed as "
                "percentages: 12.5% is the same as 0.125, and 90% the same as 0.9.",
                NULL);
    readme_line(&rm, "Years",
                "Financial years: type 2025 or 2025/26, both meaning April 2025 to March "
                "2026. Year columns are formatted as text so that Excel keeps 2025/26 as "
                "typed.",
                NULL);
    readme_line(&rm, "Yes or no", "yes or no (true/false, y/n and 1/0 are read too).", NULL);
    readme_line(&rm, "Ids",
                "ICB codes, service ids and provider codes are matched ignoring capitals and "
                "spaces around them, and each appears once on its own sheet. The other "
                "sheets refer to them: choose them from the drop-down lists.",
                NULL);

    readme_section(&rm, "Good to know");
    readme_line(&rm, "Headings",
                "Keep the sheet names and headings as they are: allocopt finds each table by "
                "its sheet's name and each column by its heading. Dark blue headings are "
                "required; light blue ones optional, and a blank optional cell takes the "
                "default its note gives.",
                NULL);
    readme_line(&rm, "Rows",
                "One row per item, in any order; blank rows are skipped. Add rows below a "
                "table and it grows to take them. Filters on the headings help find rows.",
                NULL);
    readme_line(&rm, "Extra",
                "Extra columns and sheets are reported as warnings and otherwise ignored, so "
                "notes may go there. This Read me sheet, and sheets whose names start with _ "
                "(the hidden _lists sheet holds drop-down lists), are never read.",
                NULL);
    readme_line(&rm, "Formulas",
                "Cells may hold formulas: allocopt reads the value Excel calculated when the "
                "workbook was last saved, so save it in Excel before running.",
                NULL);
    readme_line(&rm, "access",
                "When the access sheet has rows, each ICB may use only the providers listed "
                "for it. Left empty (or deleted), every ICB may use every provider.",
                NULL);
}

/* ---- the workbook ---- */

static void write_workbook(template_writer *w)
{
    lxw_doc_properties properties = {.title = "allocopt input",
                                     .subject = "Input workbook for allocopt",
                                     .author = "allocopt",
                                     .comments = "Input template written by allocopt " AO_VERSION,
                                     .created = ao_workbook_created()};
    ao_sheet_note(&w->err, workbook_set_properties(w->book, &properties));
    create_formats(w);

    /* Rows offered in each id list: the example's rows, and at least the default. */
    size_t n_sheets;
    const ao_table_schema *all = sheets(&n_sheets);
    for (size_t k = 0; k < n_sheets; k++) {
        const ao_table *table = example_table(w, &all[k]);
        size_t rows = table != NULL ? table->n_rows : 0;
        w->list_last_row[k] =
            rows > AO_TEMPLATE_LIST_ROWS ? (lxw_row_t)rows : AO_TEMPLATE_LIST_ROWS;
    }
    const char *names[MAX_COLUMN_NAMES];
    w->columns_last_row = (lxw_row_t)column_names(names);
    /* Scope: "*", "all", then one row per row of the icbs list. */
    lxw_row_t icb_rows = w->list_last_row[sheet_index(ao_schema_table("icbs"))];
    w->scope_last_row = icb_rows + 2 < LAST_SHEET_ROW ? icb_rows + 2 : LAST_SHEET_ROW;

    write_readme(w);
    for (size_t k = 0; k < n_sheets && w->err == AO_NO_ERROR; k++) {
        const ao_table *table = example_table(w, &all[k]);
        write_table_sheet(w, &all[k], table != NULL ? table->n_rows : 0, table);
    }
    if (w->err == AO_NO_ERROR)
        write_lists(w);
}

ao_error ao_template_write(const char *path, const ao_tableset *example)
{
    if (path == NULL)
        return AO_ERROR_NULL_PARAMETER;
    /* A table longer than a sheet cannot be written whole: refuse before writing. */
    size_t n_sheets;
    const ao_table_schema *all = sheets(&n_sheets);
    if (n_sheets > MAX_SHEETS)
        return AO_ERROR_INTERNAL;
    for (size_t k = 0; example != NULL && k < n_sheets; k++) {
        const ao_table *table = ao_tableset_find(example, all[k].name);
        if (table != NULL && table->n_rows > (size_t)LAST_SHEET_ROW)
            return AO_ERROR_WORKBOOK;
    }
    ao_error err = AO_NO_ERROR;
    template_writer w = {.example = example};
    ao_book_output out = {0};

    /* Find out now, not after writing every sheet, whether the folder takes the file.
     * Not constant_memory: Excel tables need the sheets in memory. */
    AO_GOTO_ON_ERROR(ao_book_output_open(&out, path, 0), err, cleanup);
    w.book = out.book;
    write_workbook(&w);
    AO_GOTO_ON_ERROR(w.err, err, cleanup);
    AO_GOTO_ON_ERROR(ao_book_output_close(&out), err, cleanup);
    err = ao_book_output_commit(&out, path);

cleanup:
    ao_book_output_discard(&out);
    return err;
}
