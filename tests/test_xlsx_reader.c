/*
 * Unit tests for io/xlsx_reader.c: workbooks into tables.
 *
 * Most workbooks are built here with libzip from XML written in the test, so that
 * every form the format allows is covered, including damaged and hostile files.
 * Others come from independent writers: libxlsxwriter (built here) and
 * LibreOffice (committed under tests/data/xlsx/, see the README there).
 */
#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "common/diag.h"
#include "common/parse.h"
#include "common/table.h"
#include "io/csv_reader.h"
#include "io/input.h"
#include "io/xlsx_reader.h"

#define NS_MAIN "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define NS_REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define NS_PKG "http://schemas.openxmlformats.org/package/2006/relationships"
#define TYPE_SHEET NS_REL "/worksheet"
#define TYPE_CHART NS_REL "/chartsheet"
#define TYPE_STRINGS NS_REL "/sharedStrings"
#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"

/* A worksheet part holding the given <row> elements. */
#define SHEET(rows)                                                                                \
    XML_DECL "<worksheet xmlns=\"" NS_MAIN "\"><sheetData>" rows "</sheetData></worksheet>"

/* A shared strings part holding the given <si> elements. */
#define SST(items) XML_DECL "<sst xmlns=\"" NS_MAIN "\">" items "</sst>"

#define DATA_DIR AO_SOURCE_DIR "/tests/data/xlsx"
#define SPEC_EXAMPLE_DIR AO_SOURCE_DIR "/../shared/spec/example"

/* ---- helpers ---- */

typedef struct fixture {
    ao_diags diags;
    ao_tableset *set;
    char dir[64];   ///< Temporary folder.
    char path[256]; ///< The workbook of the test.
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (f == NULL)
        return -1;
    ao_diags_init(&f->diags);
    strcpy(f->dir, "/tmp/ao_xlsx_test.XXXXXX");
    if (mkdtemp(f->dir) == NULL) {
        free(f);
        return -1;
    }
    snprintf(f->path, sizeof f->path, "%s/book.xlsx", f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    ao_tableset_free(f->set);
    ao_diags_free(&f->diags);
    DIR *folder = opendir(f->dir);
    if (folder != NULL) {
        struct dirent *entry;
        while ((entry = readdir(folder)) != NULL) {
            char path[512];
            snprintf(path, sizeof path, "%s/%s", f->dir, entry->d_name);
            if (strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0)
                unlink(path);
        }
        closedir(folder);
    }
    rmdir(f->dir);
    free(f);
    return 0;
}

/** One zip entry of a test workbook. */
typedef struct part {
    const char *name;
    const char *data;
    size_t length; ///< 0: strlen(data).
} part;

/* Write a zip archive of the given parts (deflated, as Excel writes them). */
static void write_zip(const char *path, const part *parts, size_t n_parts)
{
    int error = 0;
    zip_t *archive = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &error);
    assert_non_null(archive);
    for (size_t k = 0; k < n_parts; k++) {
        size_t length = parts[k].length ? parts[k].length : strlen(parts[k].data);
        zip_source_t *source = zip_source_buffer(archive, parts[k].data, length, 0);
        assert_non_null(source);
        zip_int64_t index = zip_file_add(archive, parts[k].name, source, ZIP_FL_ENC_UTF_8);
        if (index < 0)
            zip_source_free(source);
        assert_true(index >= 0);
        assert_int_equal(zip_set_file_compression(archive, (zip_uint64_t)index, ZIP_CM_DEFLATE, 9),
                         0);
    }
    assert_int_equal(zip_close(archive), 0);
}

/** A sheet of a test workbook. */
typedef struct sheet {
    const char *name;   ///< Sheet name (XML-escaped already).
    const char *xml;    ///< The worksheet part; NULL: no part in the zip.
    const char *target; ///< Relationship target; NULL: "worksheets/sheetN.xml".
    const char *type;   ///< Relationship type; NULL: worksheet.
} sheet;

#define MAX_SHEETS 8

/*
 * Write a workbook with the given sheets and shared strings (NULL: none): the
 * workbook part, its relationships, and each sheet's part.
 */
static void write_book(const char *path, const sheet *sheets, size_t n_sheets, const char *sst)
{
    assert_true(n_sheets <= MAX_SHEETS);
    static char workbook[8192], rels[8192], names[MAX_SHEETS][160];
    part parts[MAX_SHEETS + 4];
    size_t n_parts = 0;
    int w = snprintf(workbook, sizeof workbook,
                     XML_DECL "<workbook xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_REL "\"><sheets>");
    int r = snprintf(rels, sizeof rels, XML_DECL "<Relationships xmlns=\"" NS_PKG "\">");
    for (size_t k = 0; k < n_sheets; k++) {
        char target[128];
        snprintf(target, sizeof target, "worksheets/sheet%zu.xml", k + 1);
        w += snprintf(workbook + w, sizeof workbook - (size_t)w,
                      "<sheet name=\"%s\" sheetId=\"%zu\" r:id=\"rId%zu\"/>", sheets[k].name, k + 1,
                      k + 1);
        r += snprintf(rels + r, sizeof rels - (size_t)r,
                      "<Relationship Id=\"rId%zu\" Type=\"%s\" Target=\"%s\"/>", k + 1,
                      sheets[k].type ? sheets[k].type : TYPE_SHEET,
                      sheets[k].target ? sheets[k].target : target);
        if (sheets[k].xml != NULL) {
            snprintf(names[k], sizeof names[k], "xl/%s", target);
            parts[n_parts++] = (part){names[k], sheets[k].xml, 0};
        }
    }
    if (sst != NULL) {
        r += snprintf(rels + r, sizeof rels - (size_t)r,
                      "<Relationship Id=\"rId99\" Type=\"" TYPE_STRINGS
                      "\" Target=\"sharedStrings.xml\"/>");
        parts[n_parts++] = (part){"xl/sharedStrings.xml", sst, 0};
    }
    snprintf(workbook + w, sizeof workbook - (size_t)w, "</sheets></workbook>");
    snprintf(rels + r, sizeof rels - (size_t)r, "</Relationships>");
    assert_true((size_t)w < sizeof workbook - 32 && (size_t)r < sizeof rels - 32);
    parts[n_parts++] = (part){"xl/workbook.xml", workbook, 0};
    parts[n_parts++] = (part){"xl/_rels/workbook.xml.rels", rels, 0};
    write_zip(path, parts, n_parts);
}

/* A workbook of one sheet. */
static void write_one_sheet(const char *path, const char *name, const char *xml, const char *sst)
{
    sheet s = {name, xml, NULL, NULL};
    write_book(path, &s, 1, sst);
}

static void print_diags(const fixture *f)
{
    for (size_t k = 0; k < f->diags.count; k++) {
        char *line = ao_diag_format(&f->diags.items[k]);
        print_message("  diag: %s\n", line ? line : f->diags.items[k].message);
        free(line);
    }
}

/* Read the fixture's workbook with the given limits (NULL: defaults). */
static ao_error read_limited(fixture *f, const ao_xlsx_limits *limits)
{
    ao_tableset_free(f->set);
    f->set = NULL;
    ao_error err = ao_xlsx_read_with_limits(f->path, limits, &f->set, &f->diags);
    if (err == AO_NO_ERROR)
        assert_non_null(f->set);
    else
        assert_null(f->set);
    return err;
}

static ao_error read_book(fixture *f)
{
    return read_limited(f, NULL);
}

static const ao_diag *find_diag(const fixture *f, const char *text)
{
    for (size_t k = 0; k < f->diags.count; k++)
        if (strstr(f->diags.items[k].message, text) != NULL)
            return &f->diags.items[k];
    return NULL;
}

static const ao_diag *expect_diag(const fixture *f, const char *text)
{
    const ao_diag *d = find_diag(f, text);
    if (d == NULL) {
        print_diags(f);
        fail_msg("no diagnostic contains \"%s\"", text);
    }
    return d;
}

static void expect_no_diags(const fixture *f)
{
    if (f->diags.count != 0)
        print_diags(f);
    assert_int_equal(f->diags.count, 0);
}

/* Read a workbook that must be refused, with a message containing text. */
static const ao_diag *expect_refused(fixture *f, const ao_xlsx_limits *limits, const char *text)
{
    assert_int_equal(read_limited(f, limits), AO_ERROR_INPUT);
    const ao_diag *d = expect_diag(f, text);
    assert_int_equal(d->severity, AO_DIAG_ERROR);
    assert_non_null(d->file);
    assert_string_equal(d->file, f->path);
    return d;
}

static ao_table *table_of(const fixture *f, const char *name)
{
    ao_table *table = ao_tableset_find(f->set, name);
    if (table == NULL)
        fail_msg("no table %s", name);
    return table;
}

static void expect_cell(const ao_table *table, size_t row, const char *column, const char *text)
{
    long col = ao_table_col(table, column);
    if (col < 0)
        fail_msg("no column %s", column);
    assert_true(row < table->n_rows);
    const char *cell = ao_table_cell(table, row, col);
    if (text == NULL) {
        assert_null(cell);
    } else {
        if (cell == NULL)
            fail_msg("row %zu, column %s is empty, expected '%s'", row, column, text);
        assert_string_equal(cell, text);
    }
}

/* The cell reference that messages give for a cell of a table. */
static void expect_ref(const ao_table *table, size_t row, const char *column, const char *ref)
{
    ao_loc loc;
    char cellbuf[24];
    ao_table_loc(table, row, ao_table_col(table, column), &loc, cellbuf);
    assert_non_null(loc.cell);
    assert_string_equal(loc.cell, ref);
}

static void write_file(const char *path, const void *data, size_t length)
{
    FILE *file = fopen(path, "wb");
    assert_non_null(file);
    assert_int_equal(fwrite(data, 1, length, file), length);
    assert_int_equal(fclose(file), 0);
}

static char *read_whole_file(const char *path, size_t *length)
{
    FILE *file = fopen(path, "rb");
    assert_non_null(file);
    assert_int_equal(fseek(file, 0, SEEK_END), 0);
    long size = ftell(file);
    assert_true(size >= 0);
    rewind(file);
    char *data = malloc((size_t)size + 1);
    assert_non_null(data);
    assert_int_equal(fread(data, 1, (size_t)size, file), (size_t)size);
    fclose(file);
    *length = (size_t)size;
    return data;
}

/* ---- values ---- */

/* Shared strings, including rich text and phonetic runs, and one with escapes. */
static const char *const VALUES_SST =
    SST("<si><t>icb</t></si>"
        "<si><t xml:space=\"preserve\"> year </t></si>"
        "<si><r><rPr><b/></rPr><t>rev</t></r><r><t>enue</t></r></si>"
        "<si><t>note</t></si>"
        "<si><t>QWE</t></si>"
        "<si><r><t>R</t></r><r><rPr><i/></rPr><t>T</t></r><r><t>Y</t></r>"
        "<rPh sb=\"0\" eb=\"1\"><t>phonetic</t></rPh><phoneticPr fontId=\"1\"/></si>"
        "<si><t>Smith, Jones &amp; \"Partners\" &lt;1&gt;</t></si>"
        "<si><t>line_x000D_break and _x005F_x0041_ kept</t></si>"
        "<si><t></t></si>");

static void test_value_kinds(void **state)
{
    fixture *f = *state;
    write_one_sheet(
        f->path, "Budgets",
        SHEET("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
              "<c r=\"C1\" t=\"s\"><v>2</v></c><c r=\"D1\" t=\"s\"><v>3</v></c></row>"
              "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>4</v></c><c r=\"B2\"><v>2025</v></c>"
              "<c r=\"C2\" t=\"n\"><v>1234.5</v></c><c r=\"D2\" t=\"s\"><v>6</v></c></row>"
              "<row r=\"3\"><c r=\"A3\" t=\"s\"><v>5</v></c><c r=\"B3\"><v>2025.0</v></c>"
              "<c r=\"C3\"><f>2+3</f><v>5</v></c><c r=\"D3\" t=\"s\"><v>7</v></c></row>"
              "<row r=\"4\"><c r=\"A4\" t=\"inlineStr\"><is><r><t>U</t></r><r><t>IO</t></r>"
              "<rPh sb=\"0\" eb=\"1\"><t>x</t></rPh></is></c>"
              "<c r=\"B4\" t=\"inlineStr\"><is><t>2026/27</t></is></c>"
              "<c r=\"C4\"><v>0.30000000000000004</v></c>"
              "<c r=\"D4\" t=\"str\"><f>A4&amp;\"!\"</f><v>UIO!</v></c></row>"
              "<row r=\"5\"><c r=\"A5\" t=\"s\"><v>8</v></c><c r=\"B5\"><v>-1.5E-7</v></c>"
              "<c r=\"C5\"><v>1.23456789012346E+17</v></c><c r=\"D5\"><v>-12.750</v></c></row>"),
        VALUES_SST);
    assert_int_equal(read_book(f), AO_NO_ERROR);
    expect_no_diags(f);
    assert_int_equal(f->set->n_tables, 1);
    assert_string_equal(f->set->source, f->path);
    ao_table *t = table_of(f, "budgets");
    assert_string_equal(t->name, "budgets");
    assert_string_equal(t->file, f->path);
    assert_int_equal(t->from_workbook, 1);
    assert_int_equal(t->n_cols, 4);
    assert_string_equal(t->headers[1], "year");
    assert_string_equal(t->headers[2], "revenue");
    assert_int_equal(t->n_rows, 4);

    expect_cell(t, 0, "icb", "QWE");
    expect_cell(t, 0, "year", "2025");
    expect_cell(t, 0, "revenue", "1234.5");
    expect_cell(t, 0, "note", "Smith, Jones & \"Partners\" <1>");
    expect_cell(t, 1, "icb", "RTY");
    expect_cell(t, 1, "year", "2025");
    expect_cell(t, 1, "revenue", "5");
    expect_cell(t, 1, "note", "line\rbreak and _x0041_ kept");
    expect_cell(t, 2, "icb", "UIO");
    expect_cell(t, 2, "year", "2026/27");
    expect_cell(t, 2, "revenue", "0.30000000000000004");
    expect_cell(t, 2, "note", "UIO!");
    expect_cell(t, 3, "icb", NULL);
    expect_cell(t, 3, "year", "-1.5E-7");
    expect_cell(t, 3, "revenue", "1.23456789012346E+17");
    expect_cell(t, 3, "note", "-12.75");

    /* The text of each number reads back as the number the workbook holds. */
    double value;
    assert_int_equal(ao_parse_number(ao_table_cell(t, 2, 2), &value), AO_PARSE_OK);
    assert_true(value == 0.1 + 0.2);
    assert_int_equal(ao_parse_number(ao_table_cell(t, 3, 1), &value), AO_PARSE_OK);
    assert_true(value == -1.5E-7);
    int year;
    assert_int_equal(ao_parse_year(ao_table_cell(t, 1, 1), &year), AO_PARSE_OK);
    assert_int_equal(year, 2025);

    for (size_t k = 0; k < 4; k++)
        assert_int_equal(t->row_numbers[k], (long)k + 2);
    expect_ref(t, 3, "note", "D5");
}

static void test_booleans_errors_and_formulas(void **state)
{
    fixture *f = *state;
    write_one_sheet(f->path, "providers",
                    SHEET("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>id</t></is></c>"
                          "<c r=\"B1\" t=\"inlineStr\"><is><t>centre_of_excellence</t></is></c>"
                          "<c r=\"C1\" t=\"inlineStr\"><is><t>max_icbs</t></is></c></row>"
                          "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>P00</t></is></c>"
                          "<c r=\"B2\" t=\"b\"><v>1</v></c>"
                          "<c r=\"C2\" t=\"e\"><f>1/0</f><v>#DIV/0!</v></c></row>"
                          "<row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t>P01</t></is></c>"
                          "<c r=\"B3\" t=\"b\"><f>1=2</f><v>0</v></c>"
                          "<c r=\"C3\"><f>SUM(X1:X9)</f></c></row>"
                          "<row r=\"4\"><c r=\"A4\" t=\"inlineStr\"><is><t>P02</t></is></c>"
                          "<c r=\"B4\" t=\"str\"><f>\"\"</f><v></v></c>"
                          "<c r=\"C4\"><f>2*3</f><v></v></c></row>"),
                    NULL);
    assert_int_equal(read_book(f), AO_NO_ERROR);
    ao_table *t = table_of(f, "providers");
    assert_int_equal(t->n_rows, 3);
    expect_cell(t, 0, "centre_of_excellence", "TRUE");
    expect_cell(t, 1, "centre_of_excellence", "FALSE");
    int flag = -1;
    assert_int_equal(ao_parse_bool(ao_table_cell(t, 0, 1), &flag), AO_PARSE_OK);
    assert_int_equal(flag, 1);
    assert_int_equal(ao_parse_bool(ao_table_cell(t, 1, 1), &flag), AO_PARSE_OK);
    assert_int_equal(flag, 0);

    /* An error value is kept as text (validation says it is not a number) and named. */
    expect_cell(t, 0, "max_icbs", "#DIV/0!");
    double value;
    assert_int_equal(ao_parse_number(ao_table_cell(t, 0, 2), &value), AO_PARSE_INVALID);
    const ao_diag *d = expect_diag(f, "error value #DIV/0!");
    assert_int_equal(d->severity, AO_DIAG_WARNING);
    assert_string_equal(d->cell, "C2");
    assert_string_equal(d->column, "max_icbs");
    assert_string_equal(d->table, "providers");
    assert_int_equal(d->row, 2);

    /* A formula without a saved result is empty, with a warning naming the cell. */
    expect_cell(t, 1, "max_icbs", NULL);
    d = expect_diag(f, "cell C3 holds a formula without a saved result");
    assert_int_equal(d->severity, AO_DIAG_WARNING);
    assert_string_equal(d->cell, "C3");
    assert_string_equal(d->column, "max_icbs");
    /* An empty text result is a result; an empty number is not. */
    expect_cell(t, 2, "centre_of_excellence", NULL);
    expect_diag(f, "cell C4 holds a formula without a saved result");
    assert_null(find_diag(f, "cell B4"));
    assert_int_equal(f->diags.n_errors, 0);
    assert_int_equal(f->diags.n_warnings, 3);
}

/* ---- where cells are ---- */

static void test_cell_positions(void **state)
{
    fixture *f = *state;
    write_one_sheet(
        f->path, "demand",
        SHEET(/* Headings in A, C and AB; B is empty; cells out of order. */
              "<row r=\"1\"><c r=\"AB1\" t=\"inlineStr\"><is><t>baseline</t></is></c>"
              "<c r=\"A1\" t=\"inlineStr\"><is><t>icb</t></is></c>"
              "<c r=\"B1\" s=\"3\"/>"
              "<c r=\"C1\" t=\"inlineStr\"><is><t>need</t></is></c></row>"
              /* Rows without r follow the previous row; cells without r follow the
               * previous cell. */
              "<row><c t=\"inlineStr\"><is><t>QWE</t></is></c><c/><c><v>10</v></c></row>"
              "<row r=\"5\"><c r=\"C5\"><v>30</v></c><c><v>31</v></c>"
              "<c r=\"A5\" t=\"inlineStr\"><is><t>RTY</t></is></c>"
              "<c r=\"AB5\"><v>35</v></c></row>"
              "<row><c r=\"A6\" t=\"inlineStr\"><is><t>UIO</t></is></c></row>"
              /* A row without r takes its number from its first cell. */
              "<row><c r=\"AB12\"><v>120</v></c><c r=\"A12\" t=\"inlineStr\"><is><t>OPA</t>"
              "</is></c></row>"
              "<row r=\"13\"/><row r=\"14\"><c r=\"A14\" s=\"1\"/></row>"),
        NULL);
    assert_int_equal(read_book(f), AO_NO_ERROR);
    /* D5 holds 31 but column D has no heading. */
    const ao_diag *d = expect_diag(f, "column D has no heading in the header row (row 1)");
    assert_string_equal(d->cell, "D5");
    assert_int_equal(d->row, 5);
    assert_int_equal(f->diags.count, 1);

    ao_table *t = table_of(f, "demand");
    assert_int_equal(t->n_cols, 3);
    assert_string_equal(t->headers[0], "icb");
    assert_string_equal(t->headers[1], "need");
    assert_string_equal(t->headers[2], "baseline");
    assert_int_equal(t->sheet_cols[0], 0);
    assert_int_equal(t->sheet_cols[1], 2);
    assert_int_equal(t->sheet_cols[2], 27);
    assert_int_equal(t->n_rows, 4);
    long rows[] = {2, 5, 6, 12};
    for (size_t k = 0; k < 4; k++)
        assert_int_equal(t->row_numbers[k], rows[k]);
    expect_cell(t, 0, "icb", "QWE");
    expect_cell(t, 0, "need", "10");
    expect_cell(t, 0, "baseline", NULL);
    expect_cell(t, 1, "icb", "RTY");
    expect_cell(t, 1, "need", "30");
    expect_cell(t, 1, "baseline", "35");
    expect_cell(t, 2, "icb", "UIO");
    expect_cell(t, 2, "need", NULL);
    expect_cell(t, 3, "icb", "OPA");
    expect_cell(t, 3, "baseline", "120");
    expect_ref(t, 3, "baseline", "AB12");
    expect_ref(t, 0, "need", "C2");
}

/* The header is the first row with a value; blank rows and blank cells are skipped. */
static void test_blank_rows_and_header(void **state)
{
    fixture *f = *state;
    write_one_sheet(f->path, "settings",
                    SHEET("<row r=\"1\"><c r=\"A1\" s=\"2\"/><c r=\"B1\" t=\"s\"><v>2</v></c></row>"
                          "<row r=\"2\" spans=\"1:2\"/>"
                          "<row r=\"3\"><c r=\"A3\" t=\"s\"><v>0</v></c>"
                          "<c r=\"B3\" t=\"s\"><v>1</v></c></row>"
                          "<row r=\"4\"><c r=\"A4\" t=\"inlineStr\"><is><t>  </t></is></c></row>"
                          "<row r=\"7\"><c r=\"A7\" t=\"inlineStr\"><is><t> years </t></is></c>"
                          "<c r=\"B7\"><v>3</v></c></row>"),
                    SST("<si><t>key</t></si><si><t>value</t></si><si><t/></si>"));
    assert_int_equal(read_book(f), AO_NO_ERROR);
    expect_no_diags(f);
    ao_table *t = table_of(f, "settings");
    assert_int_equal(t->n_cols, 2);
    assert_int_equal(t->n_rows, 1);
    assert_int_equal(t->row_numbers[0], 7);
    expect_cell(t, 0, "key", "years");
    expect_cell(t, 0, "value", "3");
}

static void test_heading_problems(void **state)
{
    fixture *f = *state;
    write_one_sheet(f->path, "icbs",
                    SHEET("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>id</t></is></c>"
                          "<c r=\"C1\" t=\"inlineStr\"><is><t> ID </t></is></c></row>"
                          "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>QWE</t></is></c>"
                          "<c r=\"B2\"><v>1</v></c><c r=\"C2\"><v>2</v></c></row>"
                          "<row r=\"3\"><c r=\"B3\"><v>1</v></c></row>"),
                    NULL);
    /* Problems a person can make in Excel: reported, and the tables still returned. */
    assert_int_equal(read_book(f), AO_NO_ERROR);
    const ao_diag *d = expect_diag(f, "column C has the heading ' ID ', which repeats the heading "
                                      "of column A");
    assert_string_equal(d->cell, "C1");
    d = expect_diag(f, "column B has no heading");
    assert_string_equal(d->cell, "B2");
    /* Each column is reported once, and the repeated heading's data not at all. */
    assert_int_equal(f->diags.n_errors, 2);
    ao_table *t = table_of(f, "icbs");
    assert_int_equal(t->n_cols, 1);
    assert_int_equal(t->n_rows, 1);
    expect_cell(t, 0, "id", "QWE");
}

/* ---- the parts of a workbook ---- */

static void test_sheets_and_targets(void **state)
{
    fixture *f = *state;
    const char *cells = SHEET("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>id</t></is></c>"
                              "</row><row r=\"2\"><c r=\"A2\"><v>7</v></c></row>");
    sheet sheets[] = {
        {"Read me",
         SHEET("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Notes</t></is>"
               "</c></row>"),
         NULL, NULL},
        {"services", cells, "/xl/worksheets/sheet2.xml", NULL},
        {"_lists", cells, NULL, NULL},
        {"ICBs ", cells, "./worksheets/../worksheets/sheet4.xml", NULL},
        {"Chart1", NULL, "charts/chart1.xml", TYPE_CHART},
        {"Sheet3", SHEET(""), NULL, NULL},
        {"Prevention &amp; lag", cells, "worksheets/sheet%37.xml", NULL},
    };
    /* "sheet%37.xml" names the part sheet7.xml. */
    write_book(f->path, sheets, sizeof sheets / sizeof sheets[0], NULL);
    assert_int_equal(read_book(f), AO_NO_ERROR);
    assert_int_equal(f->set->n_tables, 3);
    assert_string_equal(f->set->tables[0]->name, "services");
    assert_string_equal(f->set->tables[1]->name, "icbs");
    assert_string_equal(f->set->tables[2]->name, "prevention & lag");
    expect_cell(f->set->tables[1], 0, "id", "7");
    const ao_diag *d = expect_diag(f, "sheet 'Chart1' is a chart");
    assert_int_equal(d->severity, AO_DIAG_WARNING);
    d = expect_diag(f, "sheet 'Sheet3' holds no values");
    assert_int_equal(d->severity, AO_DIAG_WARNING);
    assert_int_equal(f->diags.count, 2);
}

static void test_prefixed_elements_and_shared_strings_target(void **state)
{
    fixture *f = *state;
    /* Some writers use a prefix for the main namespace instead of a default one. */
    const part parts[] = {
        {"xl/workbook.xml",
         XML_DECL "<x:workbook xmlns:x=\"" NS_MAIN "\" xmlns:rel=\"" NS_REL "\"><x:sheets>"
                  "<x:sheet name=\"budgets\" sheetId=\"1\" rel:id=\"R7\"/></x:sheets>"
                  "</x:workbook>",
         0},
        {"xl/_rels/workbook.xml.rels",
         XML_DECL "<Relationships xmlns=\"" NS_PKG "\">"
                  "<Relationship Id=\"R7\" Type=\"" TYPE_SHEET "\" Target=\"/xl/data/b.xml\"/>"
                  "<Relationship Id=\"R8\" Type=\"" TYPE_STRINGS "\" Target=\"strings/s.xml\"/>"
                  "<Relationship Id=\"R9\" Type=\"" TYPE_SHEET "\" Target=\"http://x.test/\" "
                  "TargetMode=\"External\"/></Relationships>",
         0},
        {"XL/Data/B.xml",
         XML_DECL "<x:worksheet xmlns:x=\"" NS_MAIN "\"><x:sheetData>"
                  "<x:row x:r=\"1\"><x:c r=\"A1\" t=\"s\"><x:v>0</x:v></x:c></x:row>"
                  "<x:row r=\"2\"><x:c r=\"A2\" t=\"s\"><x:v>1</x:v></x:c></x:row>"
                  "</x:sheetData></x:worksheet>",
         0},
        {"xl/strings/s.xml",
         XML_DECL "<s:sst xmlns:s=\"" NS_MAIN "\"><s:si><s:t>icb</s:t></s:si>"
                  "<s:si><s:r><s:t>Q</s:t></s:r><s:r><s:t>WE</s:t></s:r></s:si></s:sst>",
         0},
    };
    write_zip(f->path, parts, sizeof parts / sizeof parts[0]);
    assert_int_equal(read_book(f), AO_NO_ERROR);
    expect_no_diags(f);
    expect_cell(table_of(f, "budgets"), 0, "icb", "QWE");
}

static void test_duplicate_sheet_names(void **state)
{
    fixture *f = *state;
    const char *cells = SHEET("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>id</t></is></c>"
                              "</row><row r=\"2\"><c r=\"A2\"><v>7</v></c></row>");
    sheet sheets[] = {{"icbs", cells, NULL, NULL}, {" ICBS", cells, NULL, NULL}};
    write_book(f->path, sheets, 2, NULL);
    assert_int_equal(read_book(f), AO_NO_ERROR);
    assert_int_equal(f->set->n_tables, 1);
    const ao_diag *d = expect_diag(f, "two sheets named ' ICBS'");
    assert_int_equal(d->severity, AO_DIAG_ERROR);
}

/* A sheet larger than one inflated chunk, so that rows and text straddle chunks. */
static void test_large_sheet_streams(void **state)
{
    fixture *f = *state;
    const size_t n_rows = 20000;
    size_t capacity = n_rows * 160 + 1024;
    char *xml = malloc(capacity);
    assert_non_null(xml);
    size_t n = (size_t)snprintf(xml, capacity,
                                XML_DECL "<worksheet xmlns=\"" NS_MAIN "\"><sheetData><row r=\"1\">"
                                         "<c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\">"
                                         "<v>1</v></c></row>");
    for (size_t k = 2; k <= n_rows + 1; k++)
        n += (size_t)snprintf(xml + n, capacity - n,
                              "<row r=\"%zu\"><c r=\"A%zu\" t=\"inlineStr\"><is><t>name "
                              "number %zu with some text</t></is></c><c r=\"B%zu\"><v>%zu.25</v>"
                              "</c></row>",
                              k, k, k, k, k);
    n += (size_t)snprintf(xml + n, capacity - n, "</sheetData></worksheet>");
    assert_true(n < capacity);
    write_one_sheet(f->path, "demand", xml, SST("<si><t>name</t></si><si><t>need</t></si>"));
    free(xml);
    assert_int_equal(read_book(f), AO_NO_ERROR);
    expect_no_diags(f);
    ao_table *t = table_of(f, "demand");
    assert_int_equal(t->n_rows, n_rows);
    expect_cell(t, 0, "name", "name number 2 with some text");
    expect_cell(t, 12345, "name", "name number 12347 with some text");
    expect_cell(t, 12345, "need", "12347.25");
    assert_int_equal(t->row_numbers[n_rows - 1], (long)n_rows + 1);
}

/* ---- files that are refused ---- */

static void test_not_a_zip(void **state)
{
    fixture *f = *state;
    write_file(f->path, "icb,year\nQWE,2025\n", 18);
    const ao_diag *d = expect_refused(f, NULL,
                                      "this file is not an Excel workbook (.xlsx): it "
                                      "is not a zip archive");
    assert_null(d->table);

    static const unsigned char ole[16] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    write_file(f->path, ole, sizeof ole);
    expect_refused(f, NULL,
                   "older Excel 97-2003 workbook (.xls) or a workbook protected by "
                   "a password");

    write_file(f->path, "", 0);
    expect_refused(f, NULL, "the file is empty");
    write_file(f->path, "PK", 2);
    assert_int_equal(read_book(f), AO_ERROR_INPUT);
}

static void test_file_errors(void **state)
{
    fixture *f = *state;
    char missing[300];
    snprintf(missing, sizeof missing, "%s/absent.xlsx", f->dir);
    assert_int_equal(ao_xlsx_read(missing, &f->set, &f->diags), AO_ERROR_FILE_OPEN);
    assert_null(f->set);
    expect_diag(f, "cannot open the file");
    assert_int_equal(ao_xlsx_read(f->dir, &f->set, &f->diags), AO_ERROR_FILE_OPEN);
    expect_diag(f, "not a file that can be read as a workbook");
    assert_int_equal(ao_xlsx_read(NULL, &f->set, &f->diags), AO_ERROR_NULL_PARAMETER);
    assert_int_equal(ao_xlsx_read(f->path, NULL, &f->diags), AO_ERROR_NULL_PARAMETER);
    assert_int_equal(ao_xlsx_read(f->path, &f->set, NULL), AO_ERROR_NULL_PARAMETER);
}

static void test_zip_without_workbook(void **state)
{
    fixture *f = *state;
    const part parts[] = {{"word/document.xml", XML_DECL "<document/>", 0},
                          {"xl/worksheets/sheet1.xml", SHEET(""), 0}};
    write_zip(f->path, parts, 2);
    expect_refused(f, NULL,
                   "this file is not an Excel workbook: it is a zip archive without "
                   "the part every .xlsx workbook has (xl/workbook.xml)");
}

static void test_missing_parts(void **state)
{
    fixture *f = *state;
    const part no_rels[] = {{"xl/workbook.xml",
                             XML_DECL "<workbook xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_REL "\">"
                                      "<sheets><sheet name=\"a\" sheetId=\"1\" r:id=\"rId1\"/>"
                                      "</sheets></workbook>",
                             0}};
    write_zip(f->path, no_rels, 1);
    expect_refused(f, NULL, "has no list of its parts (xl/_rels/workbook.xml.rels)");

    sheet lost_part = {"budgets", NULL, NULL, NULL};
    write_book(f->path, &lost_part, 1, NULL);
    expect_refused(f, NULL,
                   "the part xl/worksheets/sheet1.xml that holds sheet 'budgets' is "
                   "missing");

    sheet climbs_out = {"budgets", SHEET(""), "../../sheet1.xml", NULL};
    write_book(f->path, &climbs_out, 1, NULL);
    expect_refused(f, NULL, "lists sheet 'budgets' but not the part that holds it");

    const part no_sheets[] = {
        {"xl/workbook.xml", XML_DECL "<workbook xmlns=\"" NS_MAIN "\"><sheets/></workbook>", 0}};
    write_zip(f->path, no_sheets, 1);
    expect_refused(f, NULL, "the workbook lists no sheets");
}

static void test_broken_xml(void **state)
{
    fixture *f = *state;
    sheet sheets[] = {
        {"Budgets",
         XML_DECL "<worksheet xmlns=\"" NS_MAIN "\"><sheetData>\n"
                  "<row r=\"1\"><c r=\"A1\"><v>1</v></row>\n</sheetData></worksheet>",
         NULL, NULL},
        {"icbs", SHEET("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>"), NULL, NULL},
        {"demand", SHEET("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>"), NULL, NULL},
    };
    sheets[2].xml = XML_DECL "<worksheet xmlns=\"" NS_MAIN "\"><sheetData><row r=\"1\">"
                             "<c r=\"A1\"><v>1</v></c></row>";
    write_book(f->path, sheets, 3, NULL);
    const ao_diag *d = expect_refused(f, NULL,
                                      "sheet 'Budgets' (part xl/worksheets/sheet1.xml "
                                      "of the workbook) is not valid XML: mismatched tag "
                                      "at line 3");
    assert_string_equal(d->table, "budgets");
    /* Every broken sheet is reported, not only the first. */
    d = expect_diag(f, "sheet 'demand' (part xl/worksheets/sheet3.xml of the workbook) is not "
                       "valid XML");
    assert_string_equal(d->table, "demand");

    /* Broken XML in a part every sheet needs. */
    write_one_sheet(f->path, "a", SHEET(""), SST("<si><t>a</t></si><si>"));
    expect_refused(f, NULL, "the workbook part xl/sharedStrings.xml is not valid XML");

    /* Not UTF-8 where UTF-8 is declared. */
    write_one_sheet(f->path, "a",
                    SHEET("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>\xA3"
                          "5</t></is></c></row>"),
                    NULL);
    expect_refused(f, NULL, "is not valid XML: not well-formed (invalid token) at line 2");
}

static void test_doctype_and_entities_refused(void **state)
{
    fixture *f = *state;
    /* The "billion laughs": a few hundred bytes that would expand to gigabytes. */
    const char *laughs =
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE worksheet [\n"
        " <!ENTITY lol \"lol\">\n"
        " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
        " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
        " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
        " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
        " <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
        " <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
        " <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
        " <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
        " <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
        "]>\n"
        "<worksheet xmlns=\"" NS_MAIN "\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\">"
        "<is><t>&lol9;</t></is></c></row></sheetData></worksheet>";
    write_one_sheet(f->path, "budgets", laughs, NULL);
    const ao_diag *d = expect_refused(f, NULL,
                                      "sheet 'budgets' (part xl/worksheets/sheet1.xml "
                                      "of the workbook) holds a DOCTYPE or entity "
                                      "declaration (line 2)");
    assert_string_equal(d->table, "budgets");

    /* An external entity, in the shared strings. */
    write_one_sheet(f->path, "a", SHEET(""),
                    "<?xml version=\"1.0\"?><!DOCTYPE sst [<!ENTITY x SYSTEM "
                    "\"file:///etc/passwd\">]><sst xmlns=\"" NS_MAIN "\"><si><t>&x;</t></si>"
                    "</sst>");
    expect_refused(f, NULL, "the workbook part xl/sharedStrings.xml holds a DOCTYPE");

    /* A DOCTYPE without declarations is refused all the same. */
    write_one_sheet(f->path, "a", "<!DOCTYPE worksheet><worksheet/>", NULL);
    expect_refused(f, NULL, "holds a DOCTYPE or entity declaration (line 1)");

    /* An entity that is never declared is broken XML. */
    write_one_sheet(f->path, "a",
                    SHEET("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&x;</t></is></c>"
                          "</row>"),
                    NULL);
    expect_refused(f, NULL, "is not valid XML: undefined entity");
}

/* A sheet of about `bytes` bytes of XML, heavily compressible. */
static char *padded_sheet(size_t bytes)
{
    char *xml = malloc(bytes + 256);
    assert_non_null(xml);
    size_t n = (size_t)sprintf(xml, XML_DECL "<worksheet xmlns=\"" NS_MAIN "\"><sheetData>"
                                             "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>"
                                             "</sheetData>");
    memset(xml + n, ' ', bytes - n);
    strcpy(xml + bytes, "</worksheet>");
    return xml;
}

static void test_size_limits(void **state)
{
    fixture *f = *state;
    ao_xlsx_limits limits = {0};
    limits.max_part_bytes = 64 * 1024;
    char *big = padded_sheet(200 * 1024);
    const char *small = SHEET("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>");
    sheet sheets[] = {{"Budgets", big, NULL, NULL}};
    write_book(f->path, sheets, 1, NULL);
    expect_refused(f, &limits,
                   "sheet 'Budgets' (part xl/worksheets/sheet1.xml of the workbook) "
                   "holds more than 64 KB once uncompressed, the most one part of a "
                   "workbook may hold; the file may be a 'zip bomb'");
    /* The same file is read with the default limits. */
    ao_diags_free(&f->diags);
    assert_int_equal(read_book(f), AO_NO_ERROR);

    /* All parts together. */
    limits.max_part_bytes = 0;
    limits.max_total_bytes = 300 * 1024;
    sheet several[] = {{"a", big, NULL, NULL}, {"b", big, NULL, NULL}, {"c", small, NULL, NULL}};
    write_book(f->path, several, 3, NULL);
    expect_refused(f, &limits,
                   "sheet 'b' (part xl/worksheets/sheet2.xml of the workbook) takes "
                   "the workbook to more than 300 KB once uncompressed");
    /* Reading stops there. */
    assert_null(find_diag(f, "sheet 'c'"));
    free(big);
}

/* Overwrite the uncompressed size of a zip entry in its local and central headers. */
static void shrink_declared_size(char *zip, size_t length, const char *name, uint32_t size)
{
    size_t name_length = strlen(name);
    int patched = 0;
    for (size_t k = 0; k + 46 + name_length <= length; k++) {
        int local = memcmp(zip + k, "PK\x03\x04", 4) == 0;
        int central = memcmp(zip + k, "PK\x01\x02", 4) == 0;
        size_t name_at = local ? 30 : 46;
        size_t size_at = local ? 22 : 24;
        if (!(local || central) || memcmp(zip + k + name_at, name, name_length) != 0)
            continue;
        for (int b = 0; b < 4; b++)
            zip[k + size_at + (size_t)b] = (char)((size >> (8 * b)) & 0xFF);
        patched++;
    }
    assert_int_equal(patched, 2);
}

/* A zip whose directory claims a small size: the bytes are counted while inflating. */
static void test_size_counted_while_inflating(void **state)
{
    fixture *f = *state;
    char *big = padded_sheet(2 * 1024 * 1024);
    write_one_sheet(f->path, "budgets", big, NULL);
    free(big);
    size_t length;
    char *zip = read_whole_file(f->path, &length);
    shrink_declared_size(zip, length, "xl/worksheets/sheet1.xml", 100);
    write_file(f->path, zip, length);
    free(zip);
    ao_xlsx_limits limits = {.max_part_bytes = 256 * 1024};
    expect_refused(f, &limits, "holds more than 256 KB once uncompressed");
    /* Within the limits the data is intact (its checksum holds), so it is read whole. */
    ao_diags_free(&f->diags);
    assert_int_equal(read_book(f), AO_NO_ERROR);
    assert_int_equal(table_of(f, "budgets")->n_cols, 1);
}

/* A zip entry whose checksum does not match its data. */
static void test_damaged_zip_entry(void **state)
{
    fixture *f = *state;
    write_one_sheet(f->path, "budgets", SHEET("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>"), NULL);
    size_t length;
    char *zip = read_whole_file(f->path, &length);
    const char *name = "xl/worksheets/sheet1.xml";
    int patched = 0;
    for (size_t k = 0; k + 46 + strlen(name) <= length; k++) {
        int local = memcmp(zip + k, "PK\x03\x04", 4) == 0;
        int central = memcmp(zip + k, "PK\x01\x02", 4) == 0;
        if ((local || central) && memcmp(zip + k + (local ? 30 : 46), name, strlen(name)) == 0) {
            zip[k + (local ? 14 : 16)] ^= 0x5A; /* the CRC-32 */
            patched++;
        }
    }
    assert_int_equal(patched, 2);
    write_file(f->path, zip, length);
    free(zip);
    expect_refused(f, NULL,
                   "sheet 'budgets' (part xl/worksheets/sheet1.xml of the workbook) "
                   "cannot be read (CRC error): the workbook is damaged");
}

static void test_damaged_cells(void **state)
{
    fixture *f = *state;
    const char *sst = SST("<si><t>id</t></si>");
    struct {
        const char *rows;
        const char *message;
        const char *cell;
        long row;
    } cases[] = {
        {"<row r=\"1\"><c r=\"XFE1\"><v>1</v></c></row>",
         "has a cell XFE1, past Excel's last column (XFD)", NULL, 1},
        {"<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row><row r=\"1048577\"/>",
         "row past Excel's last row (1048576)", NULL, 0},
        {"<row r=\"2\"><c r=\"A1048577\"><v>1</v></c></row>",
         "has a cell A1048577, past Excel's last row", NULL, 2},
        {"<row r=\"1\"><c r=\"A0\"><v>1</v></c></row>", "has a cell A0, in row 0", NULL, 1},
        {"<row r=\"1\"><c r=\"1A\"><v>1</v></c></row>",
         "has a cell with the reference '1A', which is not a cell reference", NULL, 1},
        {"<row r=\"0\"/>", "row numbered 0", NULL, 0},
        {"<row r=\"x\"/>", "row numbered 'x', which is not a row number", NULL, 0},
        {"<row r=\"3\"/><row r=\"2\"/>", "row 2 comes after row 3", NULL, 2},
        {"<row r=\"2\"><c r=\"A3\"><v>1</v></c></row>", "cell A3 is listed in row 2", "A3", 2},
        {"<row r=\"1\"><c r=\"A1\" t=\"s\"><v>1</v></c></row>",
         "cell A1 refers to shared text '1', but the workbook holds 1 shared texts", "A1", 1},
        {"<row r=\"1\"><c r=\"A1\" t=\"s\"><v>-1</v></c></row>", "refers to shared text '-1'", "A1",
         1},
        {"<row r=\"1\"><c r=\"B1\" t=\"s\"><v>0</v></c><c r=\"A1\"><v>2</v></c>"
         "<c r=\"B1\"><v>3</v></c></row>",
         "cell B1 is given twice", "B1", 1},
        {"<row r=\"1\"><c r=\"XFD1\"><v>1</v></c><c><v>2</v></c></row>",
         "row 1 has more cells than Excel's last column (XFD)", NULL, 1},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char xml[1024];
        snprintf(xml, sizeof xml,
                 XML_DECL "<worksheet xmlns=\"" NS_MAIN "\"><sheetData>%s</sheetData>"
                          "</worksheet>",
                 cases[k].rows);
        write_one_sheet(f->path, "Icbs", xml, sst);
        ao_diags_free(&f->diags);
        print_message("case %zu: %s\n", k, cases[k].rows);
        const ao_diag *d = expect_refused(f, NULL, cases[k].message);
        assert_string_equal(d->table, "icbs");
        assert_int_equal(d->row, cases[k].row);
        if (cases[k].cell != NULL) {
            assert_non_null(d->cell);
            assert_string_equal(d->cell, cases[k].cell);
        }
    }
}

/* Text cells of a workbook whose shared strings part is missing: said once. */
static void test_missing_shared_strings(void **state)
{
    fixture *f = *state;
    sheet sheets[] = {
        {"icbs",
         SHEET("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"
               "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>1</v></c></row>"),
         NULL, NULL},
        {"budgets", SHEET("<row r=\"1\"><c r=\"B1\" t=\"s\"><v>0</v></c></row>"), NULL, NULL},
    };
    write_book(f->path, sheets, 2, NULL);
    const ao_diag *d = expect_refused(f, NULL,
                                      "cell A1 refers to the workbook's shared texts, "
                                      "but the file has none");
    assert_string_equal(d->cell, "A1");
    assert_int_equal(f->diags.n_errors, 1);
}

static void test_too_many_damaged_cells_stop_reading(void **state)
{
    fixture *f = *state;
    char xml[8192];
    size_t n =
        (size_t)snprintf(xml, sizeof xml, XML_DECL "<worksheet xmlns=\"" NS_MAIN "\"><sheetData>");
    for (int k = 1; k <= 100; k++)
        n += (size_t)snprintf(xml + n, sizeof xml - n, "<row r=\"%d\"><c r=\"ZZZZ%d\"/></row>", k,
                              k);
    snprintf(xml + n, sizeof xml - n, "</sheetData></worksheet>");
    write_one_sheet(f->path, "icbs", xml, NULL);
    expect_refused(f, NULL, "reading of sheet 'icbs' stopped after 20 problems");
    assert_int_equal(f->diags.n_errors, 21);
}

static void test_cell_text_limit(void **state)
{
    fixture *f = *state;
    /* Excel's own limit, in UTF-16 units: 32,767 characters fit, one more does not. */
    size_t n_chars = AO_XLSX_MAX_CELL_CHARS;
    char *xml = malloc(n_chars * 4 + 1024);
    assert_non_null(xml);
    for (int over = 0; over <= 1; over++) {
        size_t n = (size_t)sprintf(xml, XML_DECL "<worksheet xmlns=\"" NS_MAIN "\"><sheetData>"
                                                 "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is>"
                                                 "<t>name</t></is></c></row><row r=\"2\">"
                                                 "<c r=\"A2\" t=\"inlineStr\"><is><t>");
        for (size_t k = 0; k < n_chars + (size_t)over; k++) {
            /* "£" is two bytes and one character. */
            memcpy(xml + n, k % 2 ? "\xC2\xA3" : "x", k % 2 ? 2 : 1);
            n += k % 2 ? 2 : 1;
        }
        strcpy(xml + n, "</t></is></c></row></sheetData></worksheet>");
        write_one_sheet(f->path, "icbs", xml, NULL);
        ao_diags_free(&f->diags);
        if (!over) {
            assert_int_equal(read_book(f), AO_NO_ERROR);
            assert_int_equal(strlen(ao_table_cell(table_of(f, "icbs"), 0, 0)),
                             n_chars + n_chars / 2);
        } else {
            const ao_diag *d = expect_refused(f, NULL, "cell A2 holds more than 32767 characters");
            assert_string_equal(d->cell, "A2");
        }
    }
    free(xml);

    /* The same through shared strings, with a lower limit; a character beyond U+FFFF
     * counts twice, as in Excel. */
    ao_xlsx_limits limits = {.max_cell_chars = 10};
    write_one_sheet(f->path, "icbs",
                    SHEET("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"
                          "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>1</v></c></row>"
                          "<row r=\"3\"><c r=\"A3\" t=\"s\"><v>2</v></c></row>"),
                    SST("<si><t>name</t></si><si><r><t>12345</t></r><r><t>6789\xF0\x9F\x98\x80"
                        "</t></r></si><si><t>123456789\xC2\xA3</t></si>"));
    expect_refused(f, &limits, "cell A2 holds more than 10 characters");
    assert_null(find_diag(f, "cell A3"));
}

/* ---- independent writers ---- */

/* A workbook written by libxlsxwriter, the library allocopt writes its results with. */
static void test_libxlsxwriter_workbook(void **state)
{
    fixture *f = *state;
    lxw_workbook *book = workbook_new(f->path);
    assert_non_null(book);
    lxw_worksheet *notes = workbook_add_worksheet(book, "Read me");
    worksheet_write_string(notes, 0, 0, "Fill in one sheet per table.", NULL);
    lxw_worksheet *budgets = workbook_add_worksheet(book, "Budgets");
    const char *headings[] = {"icb", "year", "revenue", "capital", "note"};
    for (lxw_col_t c = 0; c < 5; c++)
        worksheet_write_string(budgets, 0, c, headings[c], NULL);
    worksheet_write_string(budgets, 1, 0, "QWE", NULL);
    worksheet_write_string(budgets, 1, 1, "2025/26", NULL);
    worksheet_write_number(budgets, 1, 2, 78074567.0, NULL);
    worksheet_write_number(budgets, 1, 3, 0.1, NULL);
    worksheet_write_string(budgets, 1, 4, "Smith, \"Jones\" & £", NULL);
    worksheet_write_string(budgets, 3, 0, "RTY", NULL);
    worksheet_write_number(budgets, 3, 1, 2026, NULL);
    worksheet_write_formula_num(budgets, 3, 2, "=1000*3", NULL, 3000);
    worksheet_write_boolean(budgets, 3, 3, 1, NULL);
    worksheet_write_formula_str(budgets, 3, 4, "=A4&\"x\"", NULL, "RTYx");
    worksheet_write_string(budgets, 4, 0, "UIO", NULL);
    worksheet_write_number(budgets, 4, 2, -1234.5678, NULL);
    worksheet_write_number(budgets, 4, 3, 1e-9, NULL);
    lxw_worksheet *wide = workbook_add_worksheet(book, "wide");
    worksheet_write_string(wide, 0, 27, "far", NULL);
    worksheet_write_number(wide, 99, 27, 42, NULL);
    assert_int_equal(workbook_close(book), LXW_NO_ERROR);

    assert_int_equal(read_book(f), AO_NO_ERROR);
    expect_no_diags(f);
    assert_int_equal(f->set->n_tables, 2);
    ao_table *t = table_of(f, "budgets");
    assert_int_equal(t->n_rows, 3);
    expect_cell(t, 0, "icb", "QWE");
    expect_cell(t, 0, "year", "2025/26");
    expect_cell(t, 0, "revenue", "78074567");
    expect_cell(t, 0, "capital", "0.1");
    expect_cell(t, 0, "note", "Smith, \"Jones\" & £");
    expect_cell(t, 1, "year", "2026");
    expect_cell(t, 1, "revenue", "3000");
    expect_cell(t, 1, "capital", "TRUE");
    expect_cell(t, 1, "note", "RTYx");
    expect_cell(t, 2, "year", NULL);
    expect_cell(t, 2, "revenue", "-1234.5678");
    double value;
    assert_int_equal(ao_parse_number(ao_table_cell(t, 2, 3), &value), AO_PARSE_OK);
    assert_true(value == 1e-9);
    assert_int_equal(t->row_numbers[1], 4);
    expect_ref(t, 2, "capital", "D5");
    ao_table *w = table_of(f, "wide");
    expect_cell(w, 0, "far", "42");
    expect_ref(w, 0, "far", "AB100");
}

/* Workbooks saved by LibreOffice Calc from CSV files (see tests/data/xlsx/README.md). */
static void test_libreoffice_workbooks(void **state)
{
    fixture *f = *state;
    snprintf(f->path, sizeof f->path, "%s", DATA_DIR "/libreoffice_budgets.xlsx");
    assert_int_equal(read_book(f), AO_NO_ERROR);
    expect_no_diags(f);
    ao_table *t = table_of(f, "budgets");
    assert_int_equal(t->n_cols, 4);
    assert_int_equal(t->n_rows, 4);
    expect_cell(t, 0, "year", "2025/26");
    expect_cell(t, 0, "revenue", "1234.5");
    expect_cell(t, 0, "note", "Smith, Jones & \"Partners\"");
    expect_cell(t, 1, "year", "2025");
    expect_cell(t, 1, "revenue", "5"); /* typed as =2+3 */
    expect_cell(t, 2, "note", "£1,234");
    expect_cell(t, 3, "icb", "OPA");
    expect_cell(t, 3, "revenue", "-12.75");
    expect_cell(t, 3, "note", NULL);
    assert_int_equal(t->row_numbers[3], 6); /* after a blank line */

    snprintf(f->path, sizeof f->path, "%s", DATA_DIR "/libreoffice_services.xlsx");
    assert_int_equal(read_book(f), AO_NO_ERROR);
    expect_no_diags(f);
    t = table_of(f, "services");
    expect_cell(t, 0, "name", "Cancer – surgery");
    expect_cell(t, 0, "growth", "0.03"); /* typed as 3% */
    expect_cell(t, 0, "active", "yes");
    expect_cell(t, 1, "name", "Renal, dialysis");
    expect_cell(t, 1, "active", "TRUE"); /* a boolean cell */

    snprintf(f->path, sizeof f->path, "%s", DATA_DIR "/libreoffice_demand.xlsx");
    assert_int_equal(read_book(f), AO_NO_ERROR);
    expect_no_diags(f);
    t = table_of(f, "demand");
    assert_int_equal(t->row_numbers[0], 3);
    /* LibreOffice writes 15 significant digits, and exponents with three digits. */
    expect_cell(t, 1, "baseline", "1E-007");
    expect_cell(t, 2, "need", "1.23456789012346E+017");
    expect_cell(t, 2, "baseline", "0.333333333333333"); /* typed as =1/3 */
    double value;
    assert_int_equal(ao_parse_number(ao_table_cell(t, 1, 3), &value), AO_PARSE_OK);
    assert_true(value == 1e-7);
}

/* Cells equal as a person reads them: numbers by value, anything else as text. */
static int same_cell(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return a == b;
    double x, y;
    if (ao_parse_number(a, &x) == AO_PARSE_OK && ao_parse_number(b, &y) == AO_PARSE_OK)
        return x == y || fabs(x - y) <= 1e-12 * fabs(x);
    return strcmp(a, b) == 0;
}

/* The spec example as a workbook of one sheet per table reads as its CSV folder does. */
static void test_spec_example_matches_csv_folder(void **state)
{
    fixture *f = *state;
    struct stat info;
    if (stat(SPEC_EXAMPLE_DIR, &info) != 0 || !S_ISDIR(info.st_mode))
        skip();
    ao_tableset *csv = NULL;
    assert_int_equal(ao_csv_read_folder(SPEC_EXAMPLE_DIR, &csv, &f->diags), AO_NO_ERROR);
    expect_no_diags(f);
    snprintf(f->path, sizeof f->path, "%s", DATA_DIR "/spec_example.xlsx");
    assert_int_equal(read_book(f), AO_NO_ERROR);
    expect_no_diags(f);
    assert_int_equal(f->set->n_tables, csv->n_tables);
    for (size_t k = 0; k < csv->n_tables; k++) {
        const ao_table *want = csv->tables[k];
        const ao_table *got = table_of(f, want->name);
        assert_int_equal(got->n_cols, want->n_cols);
        assert_int_equal(got->n_rows, want->n_rows);
        for (size_t c = 0; c < want->n_cols; c++)
            assert_string_equal(got->headers[c], want->headers[c]);
        for (size_t row = 0; row < want->n_rows; row++) {
            assert_int_equal(got->row_numbers[row], want->row_numbers[row]);
            for (size_t c = 0; c < want->n_cols; c++) {
                const char *a = ao_table_cell(want, row, (long)c);
                const char *b = ao_table_cell(got, row, (long)c);
                if (!same_cell(a, b))
                    fail_msg("table %s row %zu column %s: CSV '%s', workbook '%s'", want->name, row,
                             want->headers[c], a ? a : "", b ? b : "");
            }
        }
    }
    ao_tableset_free(csv);
}

/* ao_input_read hands an .xlsx file to the workbook reader, which never changes it. */
static void test_input_read_dispatch(void **state)
{
    fixture *f = *state;
    snprintf(f->path, sizeof f->path, "%s/Input.XLSX", f->dir);
    write_one_sheet(f->path, "icbs",
                    SHEET("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>id</t></is></c></row>"
                          "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>QWE</t></is></c>"
                          "</row>"),
                    NULL);
    size_t before_length;
    char *before = read_whole_file(f->path, &before_length);
    struct stat before_info;
    assert_int_equal(stat(f->path, &before_info), 0);

    assert_int_equal(ao_input_read(f->path, &f->set, &f->diags), AO_NO_ERROR);
    expect_no_diags(f);
    expect_cell(table_of(f, "icbs"), 0, "id", "QWE");

    size_t after_length;
    char *after = read_whole_file(f->path, &after_length);
    struct stat after_info;
    assert_int_equal(stat(f->path, &after_info), 0);
    assert_int_equal(after_length, before_length);
    assert_memory_equal(after, before, before_length);
    assert_true(after_info.st_mtime == before_info.st_mtime);
    free(before);
    free(after);

    ao_tableset_free(f->set);
    f->set = NULL;
    write_file(f->path, "not a workbook", 14);
    assert_int_equal(ao_input_read(f->path, &f->set, &f->diags), AO_ERROR_INPUT);
    assert_null(f->set);
    expect_diag(f, "is not a zip archive");
}

static void test_limits_default(void **state)
{
    (void)state;
    ao_xlsx_limits limits;
    ao_xlsx_limits_set_default(&limits);
    assert_true(limits.max_part_bytes == AO_XLSX_MAX_PART_BYTES);
    assert_true(limits.max_total_bytes == AO_XLSX_MAX_TOTAL_BYTES);
    assert_int_equal(limits.max_cell_chars, AO_XLSX_MAX_CELL_CHARS);
    ao_xlsx_limits_set_default(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_value_kinds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_booleans_errors_and_formulas, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cell_positions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_blank_rows_and_header, setup, teardown),
        cmocka_unit_test_setup_teardown(test_heading_problems, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sheets_and_targets, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prefixed_elements_and_shared_strings_target, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_duplicate_sheet_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_large_sheet_streams, setup, teardown),
        cmocka_unit_test_setup_teardown(test_not_a_zip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_zip_without_workbook, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_parts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_broken_xml, setup, teardown),
        cmocka_unit_test_setup_teardown(test_doctype_and_entities_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_size_limits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_size_counted_while_inflating, setup, teardown),
        cmocka_unit_test_setup_teardown(test_damaged_zip_entry, setup, teardown),
        cmocka_unit_test_setup_teardown(test_damaged_cells, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_shared_strings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_too_many_damaged_cells_stop_reading, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cell_text_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_libxlsxwriter_workbook, setup, teardown),
        cmocka_unit_test_setup_teardown(test_libreoffice_workbooks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_spec_example_matches_csv_folder, setup, teardown),
        cmocka_unit_test_setup_teardown(test_input_read_dispatch, setup, teardown),
        cmocka_unit_test(test_limits_default),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
