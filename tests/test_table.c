/* Unit tests for common/table.c: tables of text cells and sets of tables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "common/table.h"

/* A budgets table with headers icb, year, revenue and two data rows. */
static ao_table *budgets_table(void)
{
    ao_table *table = ao_table_new("  Budgets ", "in/budgets.csv");
    assert_non_null(table);
    const char *headers[] = {" ICB ", "Year", "revenue"};
    assert_int_equal(ao_table_set_headers(table, 3, headers, NULL), AO_NO_ERROR);
    const char *row1[] = {"QWE", " 2025/26 ", "1,000"};
    const char *row2[] = {"RTY", "2025", NULL};
    assert_int_equal(ao_table_add_row(table, row1, 2), AO_NO_ERROR);
    assert_int_equal(ao_table_add_row(table, row2, 4), AO_NO_ERROR);
    return table;
}

static void test_new_table_normalises_name(void **state)
{
    (void)state;
    ao_table *table = budgets_table();
    assert_string_equal(table->name, "budgets");
    assert_string_equal(table->file, "in/budgets.csv");
    assert_int_equal(table->n_cols, 3);
    assert_string_equal(table->headers[0], "icb");
    assert_string_equal(table->header_text[0], "ICB");
    assert_string_equal(table->headers[1], "year");
    assert_string_equal(table->header_text[1], "Year");
    assert_int_equal(table->sheet_cols[2], 2);
    ao_table_free(table);
    ao_table_free(NULL);
}

static void test_rows_are_trimmed_and_blank_rows_skipped(void **state)
{
    (void)state;
    ao_table *table = budgets_table();
    const char *blank[] = {"", "   ", NULL};
    assert_int_equal(ao_table_add_row(table, blank, 5), AO_NO_ERROR);
    assert_int_equal(table->n_rows, 2);
    assert_string_equal(ao_table_cell(table, 0, 1), "2025/26");
    assert_null(ao_table_cell(table, 1, 2));
    const char *spaces[] = {"X", "  ", "\t"};
    assert_int_equal(ao_table_add_row(table, spaces, 6), AO_NO_ERROR);
    assert_int_equal(table->n_rows, 3);
    assert_null(ao_table_cell(table, 2, 1));
    assert_null(ao_table_cell(table, 2, 2));
    assert_int_equal(table->row_numbers[0], 2);
    assert_int_equal(table->row_numbers[1], 4);
    assert_int_equal(table->row_numbers[2], 6);
    ao_table_free(table);
}

static void test_many_rows_grow(void **state)
{
    (void)state;
    ao_table *table = budgets_table();
    char text[32];
    for (int k = 0; k < 1000; k++) {
        snprintf(text, sizeof text, "ICB%d", k);
        const char *row[] = {text, "2025", "1"};
        assert_int_equal(ao_table_add_row(table, row, 10 + k), AO_NO_ERROR);
    }
    assert_int_equal(table->n_rows, 1002);
    assert_string_equal(ao_table_cell(table, 1001, 0), "ICB999");
    assert_int_equal(table->row_numbers[1001], 1009);
    assert_string_equal(ao_table_cell(table, 0, 0), "QWE");
    ao_table_free(table);
}

static void test_column_lookup(void **state)
{
    (void)state;
    ao_table *table = budgets_table();
    assert_int_equal(ao_table_col(table, "icb"), 0);
    assert_int_equal(ao_table_col(table, " YEAR "), 1);
    assert_int_equal(ao_table_col(table, "Revenue"), 2);
    assert_int_equal(ao_table_col(table, "capital"), -1);
    assert_int_equal(ao_table_col(table, NULL), -1);
    assert_null(ao_table_cell(table, 0, -1));
    assert_null(ao_table_cell(table, 0, 3));
    assert_null(ao_table_cell(table, 2, 0));
    ao_table_free(table);
}

static void test_headers_cannot_change_after_rows(void **state)
{
    (void)state;
    ao_table *table = budgets_table();
    const char *headers[] = {"a", "b"};
    assert_int_not_equal(ao_table_set_headers(table, 2, headers, NULL), AO_NO_ERROR);
    assert_int_equal(table->n_cols, 3);
    assert_string_equal(ao_table_cell(table, 0, 0), "QWE");
    ao_table_free(table);
}

static void test_set_cell(void **state)
{
    (void)state;
    ao_table *table = budgets_table();
    assert_int_equal(ao_table_set_cell(table, 1, 2, " 2,500 "), AO_NO_ERROR);
    assert_string_equal(ao_table_cell(table, 1, 2), "2,500");
    assert_int_equal(ao_table_set_cell(table, 0, 0, "   "), AO_NO_ERROR);
    assert_null(ao_table_cell(table, 0, 0));
    assert_int_equal(ao_table_set_cell(table, 0, 1, NULL), AO_NO_ERROR);
    assert_null(ao_table_cell(table, 0, 1));
    assert_int_equal(ao_table_set_cell(table, 0, 1, "2026"), AO_NO_ERROR);
    assert_string_equal(ao_table_cell(table, 0, 1), "2026");
    /* Out-of-range cells are refused, and nothing else changes. */
    assert_int_not_equal(ao_table_set_cell(table, 2, 0, "x"), AO_NO_ERROR);
    assert_int_not_equal(ao_table_set_cell(table, 0, -1, "x"), AO_NO_ERROR);
    assert_int_not_equal(ao_table_set_cell(table, 0, 3, "x"), AO_NO_ERROR);
    assert_int_equal(ao_table_set_cell(NULL, 0, 0, "x"), AO_ERROR_NULL_PARAMETER);
    assert_string_equal(ao_table_cell(table, 1, 0), "RTY");
    ao_table_free(table);
}

static void test_column_letters(void **state)
{
    (void)state;
    struct {
        size_t col;
        const char *letters;
    } cases[] = {{0, "A"},     {1, "B"},       {25, "Z"},      {26, "AA"},
                 {27, "AB"},   {51, "AZ"},     {52, "BA"},     {701, "ZZ"},
                 {702, "AAA"}, {16383, "XFD"}, {18277, "ZZZ"}, {18278, "AAAA"}};
    char out[8];
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        memset(out, 'x', sizeof out);
        ao_column_letters(cases[k].col, out);
        assert_string_equal(out, cases[k].letters);
    }
    /* Far past any sheet: still a terminated string within the 8 bytes. */
    memset(out, 'x', sizeof out);
    ao_column_letters(SIZE_MAX, out);
    assert_non_null(memchr(out, '\0', sizeof out));
}

static void test_loc_for_csv_and_workbook(void **state)
{
    (void)state;
    ao_table *table = budgets_table();
    ao_loc loc;
    char cell[24];
    ao_table_loc(table, 1, 2, &loc, cell);
    assert_string_equal(loc.file, "in/budgets.csv");
    assert_string_equal(loc.table, "budgets");
    assert_int_equal(loc.row, 4);
    assert_string_equal(loc.column, "revenue");
    assert_null(loc.cell);

    ao_table_loc(table, (size_t)-1, 1, &loc, cell);
    assert_int_equal(loc.row, 0);
    assert_string_equal(loc.column, "Year");
    ao_table_loc(table, 0, -1, &loc, cell);
    assert_int_equal(loc.row, 2);
    assert_null(loc.column);

    ao_table *sheet = ao_table_new("budgets", "book.xlsx");
    assert_non_null(sheet);
    sheet->from_workbook = 1;
    const char *headers[] = {"icb", "revenue"};
    size_t sheet_cols[] = {0, 27};
    assert_int_equal(ao_table_set_headers(sheet, 2, headers, sheet_cols), AO_NO_ERROR);
    const char *row[] = {"QWE", "5"};
    assert_int_equal(ao_table_add_row(sheet, row, 14), AO_NO_ERROR);
    ao_table_loc(sheet, 0, 1, &loc, cell);
    assert_non_null(loc.cell);
    assert_string_equal(loc.cell, "AB14");
    assert_int_equal(loc.row, 14);
    ao_table_loc(sheet, 0, -1, &loc, cell);
    assert_null(loc.cell);
    ao_table_free(sheet);
    ao_table_free(table);
}

static void test_tableset_find_and_add(void **state)
{
    (void)state;
    ao_tableset *set = ao_tableset_new("in");
    assert_non_null(set);
    assert_string_equal(set->source, "in");
    assert_null(ao_tableset_find(set, "budgets"));
    assert_int_equal(ao_tableset_add(set, budgets_table()), AO_NO_ERROR);
    for (int k = 0; k < 40; k++) {
        char name[16];
        snprintf(name, sizeof name, "extra%d", k);
        assert_int_equal(ao_tableset_add(set, ao_table_new(name, NULL)), AO_NO_ERROR);
    }
    assert_int_equal(set->n_tables, 41);
    ao_table *found = ao_tableset_find(set, " BUDGETS ");
    assert_non_null(found);
    assert_ptr_equal(found, set->tables[0]);
    assert_non_null(ao_tableset_find(set, "Extra39"));
    assert_null(ao_tableset_find(set, "icbs"));
    /* Ownership passes even when adding fails; ASan reports a leak otherwise. */
    assert_int_equal(ao_tableset_add(NULL, ao_table_new("lost", NULL)), AO_ERROR_NULL_PARAMETER);
    ao_tableset_free(set);
    ao_tableset_free(NULL);
}

static void test_tableset_copy_is_independent(void **state)
{
    (void)state;
    ao_tableset *set = ao_tableset_new("in");
    assert_non_null(set);
    assert_int_equal(ao_tableset_add(set, budgets_table()), AO_NO_ERROR);
    ao_table *empty = ao_table_new("access", "in/access.csv");
    assert_non_null(empty);
    assert_int_equal(ao_tableset_add(set, empty), AO_NO_ERROR);

    ao_tableset *copy = ao_tableset_copy(set);
    assert_non_null(copy);
    assert_int_equal(copy->n_tables, 2);
    assert_string_equal(copy->source, "in");
    ao_table *original = ao_tableset_find(set, "budgets");
    ao_table *copied = ao_tableset_find(copy, "budgets");
    assert_ptr_not_equal(original, copied);
    assert_string_equal(copied->file, "in/budgets.csv");
    assert_int_equal(copied->n_rows, 2);
    assert_int_equal(copied->row_numbers[1], 4);
    assert_string_equal(copied->headers[0], "icb");
    assert_string_equal(copied->header_text[0], "ICB");
    assert_null(ao_table_cell(copied, 1, 2));

    /* A scenario edits the copy; the baseline keeps its values. */
    assert_int_equal(ao_table_set_cell(copied, 0, 2, "9,999"), AO_NO_ERROR);
    assert_int_equal(ao_table_set_cell(copied, 1, 2, "7"), AO_NO_ERROR);
    assert_string_equal(ao_table_cell(original, 0, 2), "1,000");
    assert_null(ao_table_cell(original, 1, 2));
    assert_int_equal(ao_table_set_cell(original, 0, 0, "ZZZ"), AO_NO_ERROR);
    assert_string_equal(ao_table_cell(copied, 0, 0), "QWE");

    /* Freeing the baseline leaves the copy usable (ASan would catch shared memory). */
    ao_tableset_free(set);
    assert_string_equal(ao_table_cell(copied, 0, 2), "9,999");
    assert_non_null(ao_tableset_find(copy, "access"));
    assert_int_equal(ao_tableset_find(copy, "access")->n_cols, 0);
    ao_tableset_free(copy);
    assert_null(ao_tableset_copy(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_table_normalises_name),
        cmocka_unit_test(test_rows_are_trimmed_and_blank_rows_skipped),
        cmocka_unit_test(test_many_rows_grow),
        cmocka_unit_test(test_column_lookup),
        cmocka_unit_test(test_headers_cannot_change_after_rows),
        cmocka_unit_test(test_set_cell),
        cmocka_unit_test(test_column_letters),
        cmocka_unit_test(test_loc_for_csv_and_workbook),
        cmocka_unit_test(test_tableset_find_and_add),
        cmocka_unit_test(test_tableset_copy_is_independent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
