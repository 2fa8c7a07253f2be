/* Unit tests for io/csv_reader.c and io/input.c: CSV text, files and folders into tables. */
#include <dirent.h>
#include <fcntl.h>
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

#include "common/diag.h"
#include "io/csv_reader.h"
#include "io/input.h"
#include "support.h"

#define LABEL "in/budgets.csv"

/* ---- helpers ---- */

typedef struct fixture {
    ao_diags diags;
    ao_table *table;
    char dir[64]; ///< Temporary folder, "" when not made.
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (f == NULL)
        return -1;
    ao_diags_init(&f->diags);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    ao_table_free(f->table);
    ao_diags_free(&f->diags);
    if (f->dir[0] != '\0')
        support_remove_tree(f->dir);
    free(f);
    return 0;
}

/* Read text (of the given length) as the budgets table. */
static ao_table *read_n(fixture *f, const char *text, size_t length)
{
    ao_table_free(f->table);
    f->table = NULL;
    assert_int_equal(ao_csv_read_buffer(text, length, "budgets", LABEL, &f->table, &f->diags),
                     AO_NO_ERROR);
    return f->table;
}

static ao_table *read_text(fixture *f, const char *text)
{
    return read_n(f, text, strlen(text));
}

/* The first diagnostic whose message contains part, or NULL. */
static const ao_diag *find_diag(const fixture *f, const char *part)
{
    for (size_t k = 0; k < f->diags.count; k++)
        if (strstr(f->diags.items[k].message, part) != NULL)
            return &f->diags.items[k];
    return NULL;
}

static const ao_diag *expect_diag(const fixture *f, const char *part)
{
    const ao_diag *d = find_diag(f, part);
    if (d == NULL) {
        for (size_t k = 0; k < f->diags.count; k++)
            print_message("  diag: %s\n", f->diags.items[k].message);
        fail_msg("no diagnostic contains \"%s\"", part);
    }
    return d;
}

static void expect_no_diags(const fixture *f)
{
    for (size_t k = 0; k < f->diags.count; k++)
        print_message("  unexpected diag: %s\n", f->diags.items[k].message);
    assert_int_equal(f->diags.count, 0);
}

static void expect_cell(const ao_table *table, size_t row, const char *column, const char *text)
{
    long col = ao_table_col(table, column);
    assert_true(col >= 0);
    const char *cell = ao_table_cell(table, row, col);
    if (text == NULL)
        assert_null(cell);
    else {
        assert_non_null(cell);
        assert_string_equal(cell, text);
    }
}

static void make_dir(fixture *f)
{
    strcpy(f->dir, "/tmp/ao_csv_test.XXXXXX");
    assert_non_null(mkdtemp(f->dir));
}

static char *path_in(const fixture *f, const char *name)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", f->dir, name);
    return path;
}

static void write_file(const fixture *f, const char *name, const char *text)
{
    FILE *file = fopen(path_in(f, name), "wb");
    assert_non_null(file);
    assert_int_equal(fwrite(text, 1, strlen(text), file), strlen(text));
    assert_int_equal(fclose(file), 0);
}

/* ---- text ---- */

static void test_simple_file(void **state)
{
    fixture *f = *state;
    ao_table *t = read_text(f, "icb,year,revenue\nQWE,2025/26,\"1,000\"\nRTY,2025,5\n");
    assert_non_null(t);
    expect_no_diags(f);
    assert_string_equal(t->name, "budgets");
    assert_string_equal(t->file, LABEL);
    assert_int_equal(t->from_workbook, 0);
    assert_int_equal(t->n_cols, 3);
    assert_int_equal(t->n_rows, 2);
    expect_cell(t, 0, "revenue", "1,000");
    expect_cell(t, 1, "icb", "RTY");
    assert_int_equal(t->row_numbers[0], 2);
    assert_int_equal(t->row_numbers[1], 3);
}

static void test_bom_and_crlf(void **state)
{
    fixture *f = *state;
    ao_table *t = read_text(f, "\xEF\xBB\xBFicb,revenue\r\nQWE,10\r\nRTY,20\r\n");
    assert_non_null(t);
    expect_no_diags(f);
    assert_string_equal(t->headers[0], "icb");
    assert_int_equal(ao_table_col(t, "icb"), 0);
    expect_cell(t, 0, "revenue", "10");
    expect_cell(t, 1, "revenue", "20");
    assert_int_equal(t->row_numbers[1], 3);
    /* No carriage return may survive at the end of a line's last cell. */
    assert_null(strchr(ao_table_cell(t, 0, 1), '\r'));
}

static void test_last_line_without_newline(void **state)
{
    fixture *f = *state;
    ao_table *t = read_text(f, "icb,revenue\nQWE,10\nRTY,20");
    assert_non_null(t);
    expect_no_diags(f);
    assert_int_equal(t->n_rows, 2);
    expect_cell(t, 1, "revenue", "20");
}

static void test_old_mac_line_endings(void **state)
{
    fixture *f = *state;
    ao_table *t = read_text(f, "icb,revenue\rQWE,10\r\rRTY,20\r");
    assert_non_null(t);
    expect_no_diags(f);
    assert_int_equal(t->n_rows, 2);
    assert_int_equal(t->row_numbers[0], 2);
    assert_int_equal(t->row_numbers[1], 4);
}

static void test_quoted_cells(void **state)
{
    fixture *f = *state;
    ao_table *t = read_text(f, "id,name,note\n"
                               "A,\"Smith, Jones & Co\",\"He said \"\"yes\"\"\"\n"
                               "B,\"\",\"  padded  \"\n");
    assert_non_null(t);
    expect_no_diags(f);
    expect_cell(t, 0, "name", "Smith, Jones & Co");
    expect_cell(t, 0, "note", "He said \"yes\"");
    expect_cell(t, 1, "name", NULL);
    expect_cell(t, 1, "note", "padded");
}

static void test_embedded_newlines_keep_row_numbers(void **state)
{
    fixture *f = *state;
    ao_table *t = read_text(f, "id,name,population\n"
                               "A,\"line one\nline two\",5\n"
                               "B,\"three\r\nlines\r\nhere\",6\n"
                               "C,plain,7\n");
    assert_non_null(t);
    expect_no_diags(f);
    assert_int_equal(t->n_rows, 3);
    expect_cell(t, 0, "name", "line one\nline two");
    expect_cell(t, 0, "population", "5");
    assert_int_equal(t->row_numbers[0], 2);
    assert_int_equal(t->row_numbers[1], 4);
    assert_int_equal(t->row_numbers[2], 7);
    expect_cell(t, 2, "id", "C");
}

static void test_blank_rows_and_lines_before_header(void **state)
{
    fixture *f = *state;
    ao_table *t = read_text(f, "\n  \nid,x\n1,2\n\n  \n,,\n\t,\n3,4\n");
    assert_non_null(t);
    expect_no_diags(f);
    assert_int_equal(t->n_rows, 2);
    assert_int_equal(t->row_numbers[0], 4);
    assert_int_equal(t->row_numbers[1], 9);
    expect_cell(t, 1, "x", "4");
}

static void test_header_only(void **state)
{
    fixture *f = *state;
    ao_table *t = read_text(f, "icb,year,revenue\n");
    assert_non_null(t);
    expect_no_diags(f);
    assert_int_equal(t->n_cols, 3);
    assert_int_equal(t->n_rows, 0);
    t = read_text(f, "icb,year,revenue");
    assert_non_null(t);
    expect_no_diags(f);
    assert_int_equal(t->n_cols, 3);
}

static void test_short_rows_are_padded(void **state)
{
    fixture *f = *state;
    ao_table *t = read_text(f, "a,b,c\n1\n4,5\n");
    assert_non_null(t);
    expect_no_diags(f);
    assert_int_equal(t->n_rows, 2);
    expect_cell(t, 0, "a", "1");
    expect_cell(t, 0, "b", NULL);
    expect_cell(t, 0, "c", NULL);
    expect_cell(t, 1, "b", "5");
}

static void test_too_long_row(void **state)
{
    fixture *f = *state;
    ao_table *t = read_text(f, "a,b,c,d,e\n1,2,3,4,5\n\n1,2,3,4,5,6\n1,2,3,4,5,,\n");
    assert_non_null(t);
    assert_int_equal(f->diags.n_errors, 1);
    const ao_diag *d = expect_diag(f, "row 4 has 6 cells but the header has 5 columns");
    assert_int_equal(d->severity, AO_DIAG_ERROR);
    assert_int_equal(d->row, 4);
    assert_string_equal(d->column, "6");
    assert_string_equal(d->file, LABEL);
    assert_string_equal(d->table, "budgets");
    assert_non_null(strstr(d->message, "column F"));
    char *line = ao_diag_format(d);
    assert_non_null(line);
    assert_non_null(strstr(line, "in/budgets.csv, table budgets, row 4, column 6: row 4 has 6"));
    free(line);
    /* The row's other cells are still read, so that their problems are found too. */
    assert_int_equal(t->n_rows, 3);
}

static void test_duplicate_headers(void **state)
{
    fixture *f = *state;
    ao_table *t = read_text(f, "\nid,Name,population, name \nA,x,1,y\n");
    assert_non_null(t);
    assert_int_equal(f->diags.n_errors, 1);
    const ao_diag *d = expect_diag(f, "repeats the heading of column 2");
    assert_non_null(strstr(d->message, "column 4"));
    assert_non_null(strstr(d->message, "'name'"));
    assert_int_equal(d->row, 2);
    assert_string_equal(d->column, "4");
    /* The first of the two columns is kept. */
    assert_int_equal(t->n_cols, 3);
    expect_cell(t, 0, "name", "x");
}

static void test_empty_headings(void **state)
{
    fixture *f = *state;
    /* Empty trailing columns, as spreadsheets export them, are harmless. */
    ao_table *t = read_text(f, "a,b,,\n1,2,,\n");
    assert_non_null(t);
    expect_no_diags(f);
    assert_int_equal(t->n_cols, 2);

    t = read_text(f, "a,,c\n1,,3\n4,5,6\n7,8,9\n");
    assert_non_null(t);
    assert_int_equal(f->diags.n_errors, 1);
    const ao_diag *d = expect_diag(f, "has no heading");
    assert_non_null(strstr(d->message, "column 2"));
    assert_non_null(strstr(d->message, "row 3"));
    assert_int_equal(d->row, 3);
    assert_string_equal(d->column, "2");
    assert_int_equal(t->n_cols, 2);
    expect_cell(t, 1, "c", "6");
}

static void test_empty_file(void **state)
{
    fixture *f = *state;
    assert_null(read_text(f, ""));
    const ao_diag *d = expect_diag(f, "the file is empty");
    assert_int_equal(d->severity, AO_DIAG_ERROR);
    assert_string_equal(d->file, LABEL);
    ao_diags_free(&f->diags);
    assert_null(read_text(f, "\xEF\xBB\xBF"));
    expect_diag(f, "the file is empty");
    ao_diags_free(&f->diags);
    assert_null(read_text(f, "\n \r\n,,,\n"));
    expect_diag(f, "only blank lines");
    assert_int_equal(f->diags.n_errors, 1);
}

static void test_nul_byte(void **state)
{
    fixture *f = *state;
    static const char text[] = "a,b\n1,2\n3,\0,4\n";
    assert_null(read_n(f, text, sizeof text - 1));
    const ao_diag *d = expect_diag(f, "NUL");
    assert_int_equal(d->row, 3);
    assert_non_null(strstr(d->message, "row 3"));
    assert_int_equal(f->diags.n_errors, 1);
}

static void test_utf16_file(void **state)
{
    fixture *f = *state;
    static const char text[] = "\xFF\xFE"
                               "a\0,\0b\0\n\0";
    assert_null(read_n(f, text, sizeof text - 1));
    expect_diag(f, "UTF-16");
    assert_int_equal(f->diags.n_errors, 1);
}

static void test_invalid_utf8(void **state)
{
    fixture *f = *state;
    /* "£5" saved in the Windows encoding, where the pound sign is the single byte 0xA3. */
    ao_table *t = read_text(f, "icb,revenue\nQWE,\xA3"
                               "5\n");
    assert_non_null(t);
    assert_int_equal(f->diags.n_errors, 1);
    const ao_diag *d = expect_diag(f, "not valid UTF-8");
    assert_non_null(strstr(d->message, "0xA3"));
    assert_non_null(strstr(d->message, "pound"));
    assert_int_equal(d->row, 2);
    assert_string_equal(d->column, "revenue");
    /* The stored text is valid, so later messages quoting it stay readable. */
    expect_cell(t, 0, "revenue", "?5");
}

static void test_valid_utf8_is_accepted(void **state)
{
    fixture *f = *state;
    ao_table *t = read_text(f, "name,amount\n"
                               "Zoë's café \xE2\x82\xAC,\xC2\xA3"
                               "5\n"
                               "\xF0\x9F\x8F\xA5 clinic,1\n");
    assert_non_null(t);
    expect_no_diags(f);
    expect_cell(t, 0, "amount",
                "\xC2\xA3"
                "5");
}

static void test_invalid_utf8_forms(void **state)
{
    fixture *f = *state;
    const char *bad[] = {
        "a\n\xC0\xAF\n",         /* overlong '/' */
        "a\n\xED\xA0\x80\n",     /* a UTF-16 surrogate */
        "a\n\xF4\x90\x80\x80\n", /* past U+10FFFF */
        "a\nx\xE2\x82\n",        /* cut short */
        "a\n\x80\n",             /* a lone continuation byte */
        "\xE9t\xE9\nx\n",        /* Latin-1 in the header */
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        ao_diags_free(&f->diags);
        read_text(f, bad[k]);
        if (f->diags.n_errors != 1)
            fail_msg("case %zu gave %zu errors", k, f->diags.n_errors);
        expect_diag(f, "not valid UTF-8");
    }
    /* The header cell is named by its number, since its text is not valid. */
    assert_string_equal(f->diags.items[0].column, "1");
    assert_int_equal(f->diags.items[0].row, 1);
}

static void test_many_encoding_problems_are_capped(void **state)
{
    fixture *f = *state;
    char text[512] = "a,b\n";
    for (int k = 0; k < 20; k++)
        strcat(text, "\xA3"
                     "1,\xA3"
                     "2\n");
    assert_non_null(read_text(f, text));
    assert_int_equal(f->diags.count, 6);
    expect_diag(f, "only the first 5 are listed");
}

static void test_unterminated_quote(void **state)
{
    fixture *f = *state;
    ao_table *t = read_text(f, "a,b\n1,2\n3,\"open\n4,5\n6,7\n");
    assert_non_null(t);
    assert_int_equal(f->diags.n_errors, 1);
    const ao_diag *d = expect_diag(f, "never closed");
    assert_int_equal(d->row, 3);
    assert_non_null(strstr(d->message, "row 3"));
    assert_int_equal(t->n_rows, 1);

    /* The quote opens on the third line of a record whose first cell spans two lines. */
    ao_diags_free(&f->diags);
    t = read_text(f, "a,b\n\"x\ny\",\"open\nmore");
    assert_non_null(t);
    d = expect_diag(f, "never closed");
    assert_int_equal(d->row, 3);
}

static void test_misplaced_quote(void **state)
{
    fixture *f = *state;
    ao_table *t = read_text(f, "a,b\n1,\"x\"y\n3,4\n5,ab\"c\n7,8\n");
    assert_non_null(t);
    assert_int_equal(f->diags.n_errors, 2);
    const ao_diag *d = expect_diag(f, "misplaced quote");
    assert_int_equal(d->row, 2);
    assert_int_equal(f->diags.items[1].row, 4);
    /* Reading carries on at the next line. */
    assert_int_equal(t->n_rows, 2);
    assert_int_equal(t->row_numbers[0], 3);
    assert_int_equal(t->row_numbers[1], 5);
    expect_cell(t, 1, "b", "8");
}

/* ---- files and folders ---- */

static void test_read_file_names_table_after_file(void **state)
{
    fixture *f = *state;
    make_dir(f);
    write_file(f, "Budgets.CSV", "icb,revenue\nQWE,10\n");
    char path[256];
    snprintf(path, sizeof path, "%s", path_in(f, "Budgets.CSV"));
    assert_int_equal(ao_csv_read_file(path, &f->table, &f->diags), AO_NO_ERROR);
    assert_non_null(f->table);
    expect_no_diags(f);
    assert_string_equal(f->table->name, "budgets");
    assert_string_equal(f->table->file, path);
    expect_cell(f->table, 0, "revenue", "10");
}

static void test_read_file_errors(void **state)
{
    fixture *f = *state;
    make_dir(f);
    assert_int_equal(ao_csv_read_file(path_in(f, "missing.csv"), &f->table, &f->diags),
                     AO_ERROR_FILE_OPEN);
    assert_null(f->table);
    const ao_diag *d = expect_diag(f, "cannot open the file");
    assert_non_null(strstr(d->file, "missing.csv"));

    write_file(f, "empty.csv", "");
    assert_int_equal(ao_csv_read_file(path_in(f, "empty.csv"), &f->table, &f->diags), AO_NO_ERROR);
    assert_null(f->table);
    expect_diag(f, "the file is empty");
}

static void test_too_large_file_is_refused(void **state)
{
    fixture *f = *state;
    make_dir(f);
    /* A sparse file: its size is over the limit without using the disk. */
    int fd = open(path_in(f, "huge.csv"), O_WRONLY | O_CREAT, 0600);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, (off_t)AO_CSV_MAX_FILE_BYTES + 1), 0);
    assert_int_equal(close(fd), 0);
    assert_int_equal(ao_csv_read_file(path_in(f, "huge.csv"), &f->table, &f->diags),
                     AO_ERROR_FILE_READ);
    assert_null(f->table);
    const ao_diag *d = expect_diag(f, "512 MB");
    assert_int_equal(d->severity, AO_DIAG_ERROR);
}

static void test_read_folder(void **state)
{
    fixture *f = *state;
    make_dir(f);
    write_file(f, "services.csv", "id\nS1\n");
    write_file(f, "Budgets.CSV", "icb\nQWE\n");
    write_file(f, "icbs.Csv", "id\nQWE\n");
    write_file(f, "access.csv", "icb,provider\n");
    write_file(f, "notes.txt", "not a table");
    write_file(f, ".hidden.csv", "x\n\1\n");
    write_file(f, "~$lock.csv", "x\n");
    assert_int_equal(mkdir(path_in(f, "archive.csv"), 0700), 0);

    char dir_with_slash[80];
    snprintf(dir_with_slash, sizeof dir_with_slash, "%s/", f->dir);
    ao_tableset *set = NULL;
    assert_int_equal(ao_csv_read_folder(dir_with_slash, &set, &f->diags), AO_NO_ERROR);
    assert_non_null(set);
    expect_no_diags(f);
    assert_int_equal(set->n_tables, 4);
    assert_string_equal(set->tables[0]->name, "access");
    assert_string_equal(set->tables[1]->name, "budgets");
    assert_string_equal(set->tables[2]->name, "icbs");
    assert_string_equal(set->tables[3]->name, "services");
    /* Messages name the file as it is spelt on disk, without a doubled slash. */
    char expected[128];
    snprintf(expected, sizeof expected, "%s/Budgets.CSV", f->dir);
    assert_string_equal(set->tables[1]->file, expected);
    assert_non_null(ao_tableset_find(set, "Budgets"));
    ao_tableset_free(set);
}

static void test_read_folder_problems(void **state)
{
    fixture *f = *state;
    make_dir(f);
    ao_tableset *set = NULL;
    assert_int_equal(ao_csv_read_folder(f->dir, &set, &f->diags), AO_NO_ERROR);
    assert_non_null(set);
    assert_int_equal(set->n_tables, 0);
    expect_diag(f, "holds no CSV files");
    ao_tableset_free(set);
    ao_diags_free(&f->diags);

    /* Two files for one table, and a broken file among good ones. */
    write_file(f, "demand.csv", "icb\nA\n");
    write_file(f, "DEMAND.csv", "icb\nB\n");
    write_file(f, "budgets.csv", "");
    write_file(f, "icbs.csv", "id\nQWE\n");
    assert_int_equal(ao_csv_read_folder(f->dir, &set, &f->diags), AO_NO_ERROR);
    assert_non_null(set);
    assert_int_equal(f->diags.n_errors, 2);
    expect_diag(f, "the file is empty");
    const ao_diag *d = expect_diag(f, "also holds table demand");
    assert_string_equal(d->table, "demand");
    assert_int_equal(set->n_tables, 2);
    assert_non_null(ao_tableset_find(set, "icbs"));
    ao_tableset_free(set);
    ao_diags_free(&f->diags);

    set = (ao_tableset *)1;
    assert_int_equal(ao_csv_read_folder(path_in(f, "nowhere"), &set, &f->diags),
                     AO_ERROR_FILE_OPEN);
    assert_null(set);
    expect_diag(f, "cannot open the folder");
}

static void test_input_read(void **state)
{
    fixture *f = *state;
    make_dir(f);
    write_file(f, "icbs.csv", "id\nQWE\n");
    write_file(f, "book.XLSX", "PK");
    write_file(f, "notes.txt", "x");
    ao_tableset *set = NULL;
    assert_int_equal(ao_input_read(f->dir, &set, &f->diags), AO_NO_ERROR);
    assert_non_null(set);
    expect_no_diags(f);
    assert_int_equal(set->n_tables, 1);
    assert_string_equal(set->source, f->dir);
    ao_tableset_free(set);

    char path[256];
    snprintf(path, sizeof path, "%s", path_in(f, "book.XLSX"));
    assert_int_equal(ao_input_read(path, &set, &f->diags), AO_ERROR_INPUT);
    assert_null(set);
    const ao_diag *d = expect_diag(f, "is not a zip archive");
    assert_int_equal(d->severity, AO_DIAG_ERROR);
    assert_string_equal(d->file, path);

    assert_int_equal(ao_input_read(path_in(f, "notes.txt"), &set, &f->diags), AO_ERROR_FILE_OPEN);
    expect_diag(f, "must be a folder of CSV files or an .xlsx workbook");

    snprintf(path, sizeof path, "%s", path_in(f, "absent"));
    assert_int_equal(ao_input_read(path, &set, &f->diags), AO_ERROR_FILE_OPEN);
    d = expect_diag(f, "there is no file or folder");
    assert_non_null(strstr(d->message, path));
    assert_null(set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_simple_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bom_and_crlf, setup, teardown),
        cmocka_unit_test_setup_teardown(test_last_line_without_newline, setup, teardown),
        cmocka_unit_test_setup_teardown(test_old_mac_line_endings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_quoted_cells, setup, teardown),
        cmocka_unit_test_setup_teardown(test_embedded_newlines_keep_row_numbers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_blank_rows_and_lines_before_header, setup, teardown),
        cmocka_unit_test_setup_teardown(test_header_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_short_rows_are_padded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_too_long_row, setup, teardown),
        cmocka_unit_test_setup_teardown(test_duplicate_headers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_headings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nul_byte, setup, teardown),
        cmocka_unit_test_setup_teardown(test_utf16_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invalid_utf8, setup, teardown),
        cmocka_unit_test_setup_teardown(test_valid_utf8_is_accepted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invalid_utf8_forms, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_encoding_problems_are_capped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unterminated_quote, setup, teardown),
        cmocka_unit_test_setup_teardown(test_misplaced_quote, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_file_names_table_after_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_file_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_too_large_file_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_folder, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_folder_problems, setup, teardown),
        cmocka_unit_test_setup_teardown(test_input_read, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
