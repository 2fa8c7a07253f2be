/*
 * Applying what-if scenarios to the input tables.
 *
 * Keys are matched against each table's key columns (FORMATS.md) by
 * models/table_key.c, which the uncertainty table shares.
 */
#include "models/scenario.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/parse.h"
#include "common/strutil.h"
#include "models/table_key.h"

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
    if (!ao_key_table_known(table_name))
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
    ao_key_pattern pattern;
    switch (ao_key_pattern_read(table, key, &pattern)) {
    case AO_KEY_OK:
        break;
    case AO_KEY_NO_COLUMN:
        return report(c, "key", "table %s has no column %s to match the key against",
                      table->name, pattern.missing_column);
    case AO_KEY_NO_KEY:
    case AO_KEY_BAD_SHAPE:
    default:
        return report(c, "key", "key '%s' does not fit table %s (its key is id, or two parts "
                                "joined by /, like ICB01/2025 or */SVC01)",
                      key, table->name);
    }
    size_t matched = 0;
    for (size_t r = 0; r < table->n_rows; r++) {
        if (!ao_key_pattern_matches(&pattern, table, r))
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

/* Most scenario names listed after a misspelt one. */
#define SCENARIOS_LISTED 12

/* "there is no scenario named 'revnue_up'", with the names there are, closest first. */
static ao_error no_such_scenario(const ao_tableset *tables, const ao_table *scenarios,
                                 const char *name, ao_diags *diags)
{
    ao_loc loc = {.file = scenarios->file, .table = "scenarios"};
    char **names;
    size_t count;
    AO_RETURN_ON_ERROR(ao_scenario_names(tables, &names, &count));
    if (count == 0)
        return ao_diags_add(diags, AO_DIAG_ERROR, &loc,
                            "there is no scenario named '%s' (the scenarios table names none)",
                            name);
    /* Closest first (ao_name_distance); names as far apart keep the table's order. */
    int *distance = malloc(count * sizeof *distance);
    size_t *order = malloc(count * sizeof *order);
    ao_strbuf list = {0};
    ao_error err = AO_NO_ERROR;
    if (distance == NULL || order == NULL) {
        err = AO_ERROR_MEMORY_MALLOC_FAILED;
        goto done;
    }
    for (size_t k = 0; k < count; k++) {
        int d = ao_name_distance(name, names[k]);
        distance[k] = d < 0 ? 1 << 20 : d;
        size_t at = k;
        while (at > 0 && distance[order[at - 1]] > distance[k]) {
            order[at] = order[at - 1];
            at--;
        }
        order[at] = k;
    }
    for (size_t k = 0; k < count && k < SCENARIOS_LISTED; k++)
        ao_strbuf_printf(&list, "%s%s", k > 0 ? ", " : "", names[order[k]]);
    if (count > SCENARIOS_LISTED)
        ao_strbuf_printf(&list, " and %zu more", count - SCENARIOS_LISTED);
    if (list.data == NULL) {
        err = AO_ERROR_MEMORY_MALLOC_FAILED;
        goto done;
    }
    if (ao_name_close(name, names[order[0]]))
        err = ao_diags_add(diags, AO_DIAG_ERROR, &loc,
                           "there is no scenario named '%s'; did you mean '%s'? The scenarios "
                           "are: %s",
                           name, names[order[0]], list.data);
    else
        err = ao_diags_add(diags, AO_DIAG_ERROR, &loc,
                           "there is no scenario named '%s'; the scenarios are: %s", name,
                           list.data);
done:
    ao_strbuf_free(&list);
    free(order);
    free(distance);
    ao_scenario_names_free(names, count);
    return err;
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
    if (!err && rows == 0)
        err = no_such_scenario(tables, scenarios, name, diags);
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
