/*
 * Applying what-if scenarios to the input tables.
 *
 * Keys are matched against each table's key columns (FORMATS.md), parts
 * separated by '/'. A year part may itself be written 2025/26, so keys are
 * split knowing which part is a year rather than by counting slashes.
 */
#include "models/scenario.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/parse.h"
#include "common/strutil.h"

/* Key columns of each table that scenarios may change. */
typedef struct key_spec {
    const char *table;
    const char *columns[2];
} key_spec;

static const key_spec key_specs[] = {
    {"settings", {"key", NULL}},
    {"icbs", {"id", NULL}},
    {"budgets", {"icb", "year"}},
    {"services", {"id", NULL}},
    {"demand", {"icb", "service"}},
    {"providers", {"id", NULL}},
    {"capacity", {"provider", "service"}},
    {"access", {"icb", "provider"}},
    {"prevention", {"service", "target"}},
    {"rules", {"name", NULL}},
    {"collaboratives", {"id", NULL}},
    {"collaborative_members", {"collaborative", "provider"}},
};

#define MAX_KEY_PARTS 2
/* Longest key accepted, in bytes. */
#define KEY_MAX 512

static const key_spec *find_key_spec(const char *table)
{
    for (size_t k = 0; k < sizeof key_specs / sizeof key_specs[0]; k++)
        if (ao_name_equal(key_specs[k].table, table))
            return &key_specs[k];
    return NULL;
}

void ao_scenario_names_free(char **names, size_t count)
{
    if (names == NULL)
        return;
    for (size_t k = 0; k < count; k++)
        free(names[k]);
    free(names);
}

ao_error ao_scenario_names(const ao_tableset *tables, char ***names, size_t *count)
{
    *names = NULL;
    *count = 0;
    const ao_table *table = ao_tableset_find(tables, "scenarios");
    long col = table ? ao_table_col(table, "scenario") : -1;
    if (col < 0)
        return AO_NO_ERROR;
    char **list = calloc(table->n_rows + 1, sizeof *list);
    if (list == NULL)
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    size_t n = 0;
    for (size_t r = 0; r < table->n_rows; r++) {
        const char *name = ao_table_cell(table, r, col);
        if (name == NULL)
            continue;
        int seen = 0;
        for (size_t k = 0; k < n && !seen; k++)
            seen = ao_name_equal(list[k], name);
        if (seen)
            continue;
        if ((list[n] = ao_strdup(name)) == NULL) {
            ao_scenario_names_free(list, n);
            return AO_ERROR_MEMORY_MALLOC_FAILED;
        }
        n++;
    }
    *names = list;
    *count = n;
    return AO_NO_ERROR;
}

/*
 * Split a key into the table's key parts. A year part consumes `2025` and, when the
 * next piece is the following year's two or four digits, that piece too.
 * Returns the number of parts, or -1 when the key does not fit the table.
 */
static int split_key(const key_spec *spec, const char *key, char parts[MAX_KEY_PARTS][KEY_MAX])
{
    if (strlen(key) >= KEY_MAX)
        return -1;
    if (spec->columns[1] == NULL) {
        /* One-part keys (ids, setting names) are taken whole. */
        strcpy(parts[0], key);
        return 1;
    }
    char copy[KEY_MAX];
    strcpy(copy, key);
    char *pieces[MAX_KEY_PARTS + 2];
    int n_pieces = 0;
    for (char *save = NULL, *piece = strtok_r(copy, "/", &save); piece != NULL;
         piece = strtok_r(NULL, "/", &save)) {
        if (n_pieces == MAX_KEY_PARTS + 2)
            return -1;
        pieces[n_pieces++] = piece;
    }
    int at = 0;
    for (int p = 0; p < MAX_KEY_PARTS; p++) {
        if (at >= n_pieces)
            return -1;
        strcpy(parts[p], pieces[at++]);
        int year;
        if (strcmp(spec->columns[p], "year") == 0 && at < n_pieces &&
            ao_parse_year(parts[p], &year) == AO_PARSE_OK) {
            char joined[2 * KEY_MAX + 2];
            snprintf(joined, sizeof joined, "%s/%s", parts[p], pieces[at]);
            if (strlen(joined) < KEY_MAX && ao_parse_year(joined, &year) == AO_PARSE_OK) {
                strcpy(parts[p], joined);
                at++;
            }
        }
    }
    return at == n_pieces ? MAX_KEY_PARTS : -1;
}

static int part_matches(const char *column, const char *pattern, const char *cell)
{
    if (ao_name_equal(pattern, "*"))
        return 1;
    if (cell == NULL)
        return 0;
    if (strcmp(column, "year") == 0) {
        int a, b;
        return ao_parse_year(pattern, &a) == AO_PARSE_OK && ao_parse_year(cell, &b) == AO_PARSE_OK &&
               a == b;
    }
    return ao_name_equal(pattern, cell);
}

/* Plain text for a number, exact enough to round-trip a double. */
static void format_number(double value, char out[40])
{
    snprintf(out, 40, "%.17g", value);
}

typedef struct change {
    const ao_table *scenarios;
    size_t row;
    ao_diags *diags;
} change;

static ao_error report(const change *c, const char *column, const char *fmt, const char *a,
                       const char *b)
{
    ao_loc loc;
    char cell[24];
    ao_table_loc(c->scenarios, c->row, ao_table_col(c->scenarios, column), &loc, cell);
    return ao_diags_add(c->diags, AO_DIAG_ERROR, &loc, fmt, a, b ? b : "");
}

/* Apply one scenarios row to the copy. */
static ao_error apply_row(const change *c, ao_tableset *copy)
{
    const ao_table *s = c->scenarios;
    const char *table_name = ao_table_cell(s, c->row, ao_table_col(s, "table"));
    const char *column = ao_table_cell(s, c->row, ao_table_col(s, "column"));
    const char *key = ao_table_cell(s, c->row, ao_table_col(s, "key"));
    const char *op = ao_table_cell(s, c->row, ao_table_col(s, "op"));
    const char *value_text = ao_table_cell(s, c->row, ao_table_col(s, "value"));
    if (!table_name || !column || !key || !op || !value_text)
        return report(c, !table_name ? "table" : !column ? "column" : !key ? "key" : !op ? "op" : "value",
                      "this scenario row is incomplete: table, column, key, op and value are "
                      "all needed%s%s",
                      "", NULL);
    const key_spec *spec = find_key_spec(table_name);
    if (spec == NULL)
        return report(c, "table", "scenarios cannot change table '%s'%s", table_name, NULL);
    ao_table *table = ao_tableset_find(copy, table_name);
    if (table == NULL)
        return report(c, "table", "table '%s' is not in the input%s", table_name, NULL);
    long col = ao_table_col(table, column);
    if (col < 0)
        return report(c, "column", "column '%s' is not in table %s", column, table->name);
    int is_set = ao_name_equal(op, "set"), is_scale = ao_name_equal(op, "scale"),
        is_add = ao_name_equal(op, "add");
    if (!is_set && !is_scale && !is_add)
        return report(c, "op", "op must be set, scale or add, not '%s'%s", op, NULL);
    double operand = 0.0;
    if (!is_set && ao_parse_number(value_text, &operand) != AO_PARSE_OK)
        return report(c, "value", "'%s' is not a number, so it cannot %s a cell", value_text,
                      is_scale ? "scale" : "be added to");
    char parts[MAX_KEY_PARTS][KEY_MAX];
    int n_parts = split_key(spec, key, parts);
    if (n_parts < 0)
        return report(c, "key", "key '%s' does not fit table %s (its key is id, or two parts "
                                "joined by /, like ICB01/2025 or */SVC01)",
                      key, table->name);
    long key_cols[MAX_KEY_PARTS];
    for (int p = 0; p < n_parts; p++) {
        key_cols[p] = ao_table_col(table, spec->columns[p]);
        if (key_cols[p] < 0)
            return report(c, "key", "table %s has no column %s to match the key against",
                          table->name, spec->columns[p]);
    }
    size_t matched = 0;
    for (size_t r = 0; r < table->n_rows; r++) {
        int match = 1;
        for (int p = 0; p < n_parts && match; p++)
            match = part_matches(spec->columns[p], parts[p], ao_table_cell(table, r, key_cols[p]));
        if (!match)
            continue;
        matched++;
        const char *old = ao_table_cell(table, r, col);
        if (is_set) {
            AO_RETURN_ON_ERROR(ao_table_set_cell(table, r, col, value_text));
            continue;
        }
        double current;
        ao_parse_result parsed = ao_parse_number(old, &current);
        if (parsed == AO_PARSE_EMPTY && is_scale)
            continue; /* A blank (not given) value stays blank. */
        if (parsed != AO_PARSE_OK) {
            char where[64];
            snprintf(where, sizeof where, "%s row %ld", table->name, table->row_numbers[r]);
            return report(c, "key",
                          parsed == AO_PARSE_EMPTY
                              ? "the cell to add to is blank (%s); use set to give it a value%s"
                              : "the cell to change is not a number (%s)%s",
                          where, NULL);
        }
        double result = is_scale ? current * operand : current + operand;
        if (!isfinite(result))
            return report(c, "value", "the result of %s is not a finite number%s", op, NULL);
        char text[40];
        format_number(result, text);
        AO_RETURN_ON_ERROR(ao_table_set_cell(table, r, col, text));
    }
    if (matched > 0)
        return AO_NO_ERROR;
    /* A setting the baseline leaves out can still be set by a scenario. */
    if (is_set && ao_name_equal(table->name, "settings") && ao_name_equal(column, "value")) {
        const char **cells = calloc(table->n_cols + 1, sizeof *cells);
        if (cells == NULL)
            return AO_ERROR_MEMORY_MALLOC_FAILED;
        long key_col = ao_table_col(table, "key");
        cells[key_col] = key;
        cells[col] = value_text;
        long next_row = table->n_rows ? table->row_numbers[table->n_rows - 1] + 1 : 2;
        ao_error err = ao_table_add_row(table, cells, next_row);
        free(cells);
        return err;
    }
    return report(c, "key", "no row of table %s matches key '%s'", table->name, key);
}

ao_error ao_scenario_apply(const ao_tableset *tables, const char *name, ao_tableset **out,
                           ao_diags *diags)
{
    *out = NULL;
    const ao_table *scenarios = ao_tableset_find(tables, "scenarios");
    long name_col = scenarios ? ao_table_col(scenarios, "scenario") : -1;
    if (name_col < 0) {
        ao_loc loc = {.file = tables->source, .table = "scenarios"};
        AO_RETURN_ON_ERROR(ao_diags_add(diags, AO_DIAG_ERROR, &loc,
                                        "scenario '%s' was asked for, but the input has no "
                                        "scenarios table",
                                        name));
        return AO_ERROR_INPUT;
    }
    ao_tableset *copy = ao_tableset_copy(tables);
    if (copy == NULL)
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    size_t errors_before = diags->n_errors, rows = 0;
    ao_error err = AO_NO_ERROR;
    for (size_t r = 0; r < scenarios->n_rows && !err; r++) {
        if (!ao_name_equal(ao_table_cell(scenarios, r, name_col), name))
            continue;
        rows++;
        change c = {scenarios, r, diags};
        err = apply_row(&c, copy);
    }
    if (!err && rows == 0) {
        ao_loc loc = {.file = scenarios->file, .table = "scenarios"};
        err = ao_diags_add(diags, AO_DIAG_ERROR, &loc, "there is no scenario named '%s'", name);
    }
    if (err == AO_NO_ERROR && diags->n_errors > errors_before)
        err = AO_ERROR_INPUT;
    if (err != AO_NO_ERROR) {
        ao_tableset_free(copy);
        return err;
    }
    *out = copy;
    return AO_NO_ERROR;
}

ao_error ao_scenarios_check(const ao_tableset *tables, ao_diags *diags)
{
    char **names;
    size_t count;
    AO_RETURN_ON_ERROR(ao_scenario_names(tables, &names, &count));
    ao_error result = AO_NO_ERROR;
    for (size_t k = 0; k < count; k++) {
        ao_tableset *copy = NULL;
        ao_error err = ao_scenario_apply(tables, names[k], &copy, diags);
        ao_tableset_free(copy);
        if (err == AO_ERROR_MEMORY_MALLOC_FAILED) {
            result = err;
            break;
        }
        if (err != AO_NO_ERROR)
            result = AO_ERROR_INPUT;
    }
    ao_scenario_names_free(names, count);
    return result;
}
