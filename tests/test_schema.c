/*
 * The list of input tables (models/schema.h): whole and consistent, and docs/tables.md
 * written from it.
 *
 * docs/tables.md is generated here from the list. When the list changes, this test
 * fails and writes the new reference to <build>/tables.md; copy it over, or run
 *     AO_UPDATE_DOCS=1 build/test_schema
 * which rewrites docs/tables.md in place.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/strutil.h"
#include "models/model.h"
#include "models/schema.h"
#include "models/table_key.h"

#define DOCS_PATH AO_SOURCE_DIR "/docs/tables.md"
#define BUILT_PATH AO_BINARY_DIR "/tables.md"

/* ---- the list itself ---- */

static void test_tables_are_whole(void **state)
{
    (void)state;
    size_t n_tables;
    const ao_table_schema *tables = ao_schema_tables(&n_tables);
    assert_true(n_tables > 0);
    for (size_t k = 0; k < n_tables; k++) {
        const ao_table_schema *t = &tables[k];
        assert_ptr_equal(ao_schema_table(t->name), t);
        assert_non_null(t->help);
        /* The template writes at most 16 columns a sheet. */
        assert_true(t->n_columns > 0 && t->n_columns <= 16);
        for (size_t c = 0; c < t->n_columns; c++) {
            const ao_column_schema *col = &t->columns[c];
            assert_int_equal(ao_schema_column_index(t, col->name), (long)c); /* once */
            assert_non_null(col->help);
            /* Excel shows at most 255 characters when a cell is selected. */
            assert_true(col->tip == NULL || strlen(col->tip) <= 255);
            if (col->list == AO_LIST_WORDS)
                assert_non_null(col->words);
            if (col->list == AO_LIST_IDS) {
                const ao_table_schema *target = ao_schema_table(col->id_table);
                assert_non_null(target);
                assert_non_null(ao_schema_column(target, "id"));
            }
            int is_number = col->format == AO_FORMAT_NUMBER || col->format == AO_FORMAT_MONEY ||
                            col->format == AO_FORMAT_PRICE || col->format == AO_FORMAT_COUNT;
            if (col->rule != AO_NUMBER_ANY)
                assert_true(is_number);
        }
        /* Keys: required columns of the table, and only for the tables scenarios change. */
        for (int p = 0; p < AO_SCHEMA_KEY_PARTS; p++) {
            if (t->key[p] == NULL)
                continue;
            const ao_column_schema *key = ao_schema_column(t, t->key[p]);
            assert_non_null(key);
            assert_true(key->required);
        }
        assert_int_equal(t->changeable, t->key[0] != NULL);
        assert_int_equal(ao_key_table_known(t->name), t->changeable);
    }
    /* The model reads these words by their place in the list. */
    assert_string_equal(ao_schema_categories[AO_CATEGORY_SPECIALISED], "specialised");
    assert_string_equal(ao_schema_categories[AO_CATEGORY_PRIORITY], "priority");
    assert_string_equal(ao_schema_rule_kinds[AO_RULE_MIN_SPEND], "min_spend");
    assert_string_equal(ao_schema_rule_kinds[AO_RULE_MAX_SHARE], "max_share");
    assert_null(ao_schema_table("no_such_table"));
    assert_non_null(ao_schema_table("ICBS")); /* capitals ignored, as the readers do */
    assert_null(ao_schema_column(NULL, "id"));
}

/* ---- docs/tables.md ---- */

/* Text for a Markdown table cell: line breaks as <br>, bars escaped. */
static void cell(ao_strbuf *md, const char *text)
{
    for (const char *c = text; c != NULL && *c; c++) {
        if (*c == '\n')
            ao_strbuf_printf(md, "<br>");
        else if (*c == '|')
            ao_strbuf_printf(md, "\\|");
        else
            ao_strbuf_append(md, c, 1);
    }
}

static const char *format_words(ao_column_format format)
{
    switch (format) {
    case AO_FORMAT_TEXT:
        return "text";
    case AO_FORMAT_YEAR:
        return "year";
    case AO_FORMAT_NUMBER:
        return "number";
    case AO_FORMAT_MONEY:
        return "£";
    case AO_FORMAT_PRICE:
        return "£ per unit";
    case AO_FORMAT_COUNT:
        return "count";
    case AO_FORMAT_SETTING:
        return "by setting";
    case AO_FORMAT_CHANGE:
        return "by column";
    }
    return "";
}

static const char *rule_words(ao_number_rule rule)
{
    switch (rule) {
    case AO_NUMBER_ANY:
        return "";
    case AO_NUMBER_NONNEG:
        return "0 or more";
    case AO_NUMBER_FRACTION:
        return "0 to 1";
    case AO_NUMBER_WHOLE:
        return "whole, 0 or more";
    case AO_NUMBER_POSITIVE:
        return "more than 0";
    case AO_NUMBER_GROWTH:
        return "more than -1";
    }
    return "";
}

static void list_words(ao_strbuf *md, const ao_column_schema *col, const ao_table_schema *tables,
                       size_t n_tables)
{
    switch (col->list) {
    case AO_LIST_NONE:
        break;
    case AO_LIST_WORDS:
        for (size_t k = 0; col->words[k] != NULL; k++)
            ao_strbuf_printf(md, "%s`%s`", k > 0 ? ", " : "", col->words[k]);
        break;
    case AO_LIST_IDS:
        ao_strbuf_printf(md, "an id of `%s`", col->id_table);
        break;
    case AO_LIST_SCOPE:
        ao_strbuf_printf(md, "`*`, `all` or an id of `icbs`");
        break;
    case AO_LIST_COLUMNS:
        ao_strbuf_printf(md, "a column name");
        break;
    case AO_LIST_TABLES:
        for (size_t k = 0, n = 0; k < n_tables; k++)
            if (tables[k].changeable)
                ao_strbuf_printf(md, "%s`%s`", n++ > 0 ? ", " : "", tables[k].name);
        break;
    }
}

/* The whole of docs/tables.md. */
static char *tables_markdown(void)
{
    size_t n_tables;
    const ao_table_schema *tables = ao_schema_tables(&n_tables);
    ao_strbuf md = {0};
    ao_strbuf_printf(&md,
                     "# Input tables\n\n"
                     "<!-- Generated from models/schema.c by tests/test_schema.c; do not edit.\n"
                     "     After changing the list: AO_UPDATE_DOCS=1 build/test_schema -->\n\n"
                     "Each table is a CSV file of a folder (`icbs.csv`) or a sheet of a "
                     "workbook (`icbs`), with its column names in the first row. "
                     "FORMATS.md, the specification, is the contract; this page is the list "
                     "the program itself reads (`models/schema.c`): the validator, the input "
                     "template (`allocopt template`) and the keys of scenarios and "
                     "uncertainty.\n\n"
                     "| table | | key | scenarios and uncertainty may change it |\n"
                     "| --- | --- | --- | --- |\n");
    for (size_t k = 0; k < n_tables; k++) {
        const ao_table_schema *t = &tables[k];
        ao_strbuf_printf(&md, "| [`%s`](#%s) | %s | ", t->name, t->name,
                         t->required ? "required" : "optional");
        for (int p = 0; p < AO_SCHEMA_KEY_PARTS && t->key[p] != NULL; p++)
            ao_strbuf_printf(&md, "%s`%s`", p > 0 ? "/" : "", t->key[p]);
        ao_strbuf_printf(&md, " | %s |\n", t->changeable ? "yes" : "no");
    }
    for (size_t k = 0; k < n_tables; k++) {
        const ao_table_schema *t = &tables[k];
        ao_strbuf_printf(&md, "\n## %s\n\n%s. %s\n\n", t->name,
                         t->required ? "Required" : "Optional", t->help);
        if (t->key[0] != NULL) {
            ao_strbuf_printf(&md, "A row's key (scenarios, uncertainty): ");
            for (int p = 0; p < AO_SCHEMA_KEY_PARTS && t->key[p] != NULL; p++)
                ao_strbuf_printf(&md, "%s`%s`", p > 0 ? "/" : "", t->key[p]);
            ao_strbuf_printf(&md, ".\n\n");
        }
        ao_strbuf_printf(&md, "| column | | holds | check | choose from | meaning |\n"
                              "| --- | --- | --- | --- | --- | --- |\n");
        for (size_t c = 0; c < t->n_columns; c++) {
            const ao_column_schema *col = &t->columns[c];
            ao_strbuf_printf(&md, "| `%s` | %s | %s | %s | ", col->name,
                             col->required ? "required" : "optional", format_words(col->format),
                             rule_words(col->rule));
            list_words(&md, col, tables, n_tables);
            ao_strbuf_printf(&md, " | ");
            cell(&md, col->help);
            ao_strbuf_printf(&md, " |\n");
        }
    }
    return md.data;
}

static char *read_whole(const char *path)
{
    FILE *file = fopen(path, "rb");
    if (file == NULL)
        return NULL;
    ao_strbuf text = {0};
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, file)) > 0)
        ao_strbuf_append(&text, chunk, n);
    fclose(file);
    if (text.data == NULL)
        return ao_strdup("");
    return text.data;
}

static int write_whole(const char *path, const char *text)
{
    FILE *file = fopen(path, "wb");
    if (file == NULL)
        return 0;
    int ok = fputs(text, file) >= 0;
    return fclose(file) == 0 && ok;
}

static void test_docs_tables_current(void **state)
{
    (void)state;
    char *generated = tables_markdown();
    assert_non_null(generated);
    const char *update = getenv("AO_UPDATE_DOCS");
    if (update != NULL && strcmp(update, "1") == 0)
        assert_true(write_whole(DOCS_PATH, generated));
    char *current = read_whole(DOCS_PATH);
    int same = current != NULL && strcmp(current, generated) == 0;
    if (!same) {
        int written = write_whole(BUILT_PATH, generated);
        fprintf(stderr,
                "docs/tables.md is not what models/schema.c says%s; the current reference "
                "is %s: copy it to docs/tables.md, or run AO_UPDATE_DOCS=1 %s/test_schema\n",
                current == NULL ? " (it cannot be read)" : "",
                written ? BUILT_PATH : "(not written)", AO_BINARY_DIR);
    }
    free(current);
    free(generated);
    assert_true(same);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tables_are_whole),
        cmocka_unit_test(test_docs_tables_current),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
