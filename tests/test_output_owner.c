/*
 * Unit tests for io/output_owner.c: which files an output may replace. The workbooks
 * are written by allocopt's own template writer and, for a workbook allocopt did not
 * write, by libxlsxwriter with another title.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "io/output_owner.h"
#include "report/template.h"
#include "support.h"

typedef struct fixture {
    char dir[4096];
    char path[4200];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (f == NULL)
        return -1;
    snprintf(f->dir, sizeof f->dir, "%s/test_output_owner_XXXXXX", AO_BINARY_DIR);
    if (mkdtemp(f->dir) == NULL) {
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    support_remove_tree(f->dir);
    free(f);
    return 0;
}

/* f->path = dir/name, holding `text` (NULL: no file). */
static const char *file_with(fixture *f, const char *name, const char *text)
{
    snprintf(f->path, sizeof f->path, "%s/%s", f->dir, name);
    if (text != NULL) {
        FILE *file = fopen(f->path, "w");
        assert_non_null(file);
        fputs(text, file);
        fclose(file);
    }
    return f->path;
}

/* A workbook with document title `title` (NULL: no properties set). */
static const char *workbook_titled(fixture *f, const char *name, const char *title)
{
    file_with(f, name, NULL);
    lxw_workbook *book = workbook_new(f->path);
    assert_non_null(book);
    if (title != NULL) {
        char text[64]; /* libxlsxwriter's properties are not const */
        snprintf(text, sizeof text, "%s", title);
        lxw_doc_properties properties = {.title = text};
        workbook_set_properties(book, &properties);
    }
    workbook_add_worksheet(book, NULL);
    assert_int_equal(workbook_close(book), LXW_NO_ERROR);
    return f->path;
}

static void test_nothing_to_lose(void **state)
{
    fixture *f = *state;
    assert_int_equal(ao_output_owner_of(NULL), AO_OUTPUT_ABSENT);
    assert_int_equal(ao_output_owner_of(file_with(f, "absent.xlsx", NULL)), AO_OUTPUT_ABSENT);
    assert_int_equal(ao_output_owner_of(file_with(f, "empty.xlsx", "")), AO_OUTPUT_ABSENT);
}

static void test_other_files(void **state)
{
    fixture *f = *state;
    assert_int_equal(ao_output_owner_of(file_with(f, "notes.xlsx", "notes\n")), AO_OUTPUT_OTHER);
    assert_int_equal(ao_output_owner_of(f->dir), AO_OUTPUT_OTHER);
    assert_int_equal(ao_output_owner_of(file_with(f, "a.json", "{\"status\": \"optimal\"}")),
                     AO_OUTPUT_OTHER);
    assert_int_equal(ao_output_owner_of(file_with(f, "b.json", "{\"allocopt_version\": 1}")),
                     AO_OUTPUT_OTHER);
    assert_int_equal(ao_output_owner_of(file_with(f, "c.json", "{\"allocopt_version\": ")),
                     AO_OUTPUT_OTHER);
    assert_int_equal(ao_output_owner_of(file_with(f, "d.xlsx", "PK\x03\x04 not a zip")),
                     AO_OUTPUT_OTHER);
    assert_int_equal(ao_output_owner_of(workbook_titled(f, "budget.xlsx", "Budget 2025/26")),
                     AO_OUTPUT_OTHER);
    assert_int_equal(ao_output_owner_of(workbook_titled(f, "untitled.xlsx", NULL)),
                     AO_OUTPUT_OTHER);
    /* The title must be allocopt's exactly, not merely contain it. */
    assert_int_equal(ao_output_owner_of(workbook_titled(f, "e.xlsx", "allocopt results 2")),
                     AO_OUTPUT_OTHER);
}

static void test_allocopt_outputs(void **state)
{
    fixture *f = *state;
    const char *titles[] = {"allocopt results", "allocopt sweep", "allocopt uncertainty study"};
    for (size_t k = 0; k < sizeof titles / sizeof titles[0]; k++)
        assert_int_equal(ao_output_owner_of(workbook_titled(f, "out.xlsx", titles[k])),
                         AO_OUTPUT_ALLOCOPT);
    assert_int_equal(ao_output_owner_of(file_with(f, "s.json",
                                                  "\n {\"status\": \"optimal\", "
                                                  "\"allocopt_version\": \"0.1.0\"}\n")),
                     AO_OUTPUT_ALLOCOPT);
    assert_int_equal(ao_output_owner_of(file_with(f, "m.lp", "\\* Problem: Unknown *\\\n")),
                     AO_OUTPUT_ALLOCOPT);
}

static void test_template_is_an_input(void **state)
{
    fixture *f = *state;
    file_with(f, "book.xlsx", NULL);
    assert_int_equal(ao_template_write(f->path, NULL), AO_NO_ERROR);
    assert_int_equal(ao_output_owner_of(f->path), AO_OUTPUT_TEMPLATE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_nothing_to_lose, setup, teardown),
        cmocka_unit_test_setup_teardown(test_other_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_allocopt_outputs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_template_is_an_input, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
