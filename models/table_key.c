/*
 * Keys naming rows of the input tables. A year part may itself be written 2025/26,
 * so keys are split knowing which part is a year rather than by counting slashes.
 */
#include "models/table_key.h"

#include <stdio.h>
#include <string.h>

#include "common/parse.h"
#include "common/strutil.h"
#include "models/schema.h"

/* The table whose rows a key can name: one scenarios and uncertainty may change. */
static const ao_table_schema *find_key_spec(const char *table)
{
    const ao_table_schema *spec = ao_schema_table(table);
    return spec != NULL && spec->changeable && spec->key[0] != NULL ? spec : NULL;
}

int ao_key_table_known(const char *table)
{
    return find_key_spec(table) != NULL;
}

int ao_key_is_key_column(const char *table, const char *column)
{
    const ao_table_schema *spec = find_key_spec(table);
    for (int p = 0; spec != NULL && column != NULL && p < AO_KEY_MAX_PARTS; p++)
        if (spec->key[p] != NULL && ao_name_equal(spec->key[p], column))
            return 1;
    return 0;
}

/* A key part that is a year (budgets.year, arrangements.from_year): 2025 = 2025/26. */
static int is_year_column(const ao_table_schema *spec, const char *column)
{
    const ao_column_schema *col = ao_schema_column(spec, column);
    return col != NULL && col->format == AO_FORMAT_YEAR;
}

/*
 * Split a key into the table's key parts. A year part consumes `2025` and, when the
 * next piece is the following year's two or four digits, that piece too.
 * Returns the number of parts, or -1 when the key does not fit the table.
 */
static int split_key(const ao_table_schema *spec, const char *key,
                     char parts[AO_KEY_MAX_PARTS][AO_KEY_MAX])
{
    if (strlen(key) >= AO_KEY_MAX)
        return -1;
    if (spec->key[1] == NULL) {
        /* One-part keys (ids, setting names) are taken whole. */
        strcpy(parts[0], key);
        return 1;
    }
    char copy[AO_KEY_MAX];
    strcpy(copy, key);
    char *pieces[AO_KEY_MAX_PARTS + 2];
    int n_pieces = 0;
    for (char *save = NULL, *piece = strtok_r(copy, "/", &save); piece != NULL;
         piece = strtok_r(NULL, "/", &save)) {
        if (n_pieces == AO_KEY_MAX_PARTS + 2)
            return -1;
        pieces[n_pieces++] = piece;
    }
    int n_parts = 0;
    while (n_parts < AO_KEY_MAX_PARTS && spec->key[n_parts] != NULL)
        n_parts++;
    int at = 0;
    for (int p = 0; p < n_parts; p++) {
        if (at >= n_pieces)
            return -1;
        strcpy(parts[p], pieces[at++]);
        int year;
        if (is_year_column(spec, spec->key[p]) && at < n_pieces &&
            ao_parse_year(parts[p], &year) == AO_PARSE_OK) {
            char joined[2 * AO_KEY_MAX + 2];
            snprintf(joined, sizeof joined, "%s/%s", parts[p], pieces[at]);
            if (strlen(joined) < AO_KEY_MAX && ao_parse_year(joined, &year) == AO_PARSE_OK) {
                strcpy(parts[p], joined);
                at++;
            }
        }
    }
    return at == n_pieces ? n_parts : -1;
}

static int part_matches(const ao_table_schema *spec, const char *column, const char *pattern,
                        const char *cell)
{
    if (ao_name_equal(pattern, "*"))
        return 1;
    if (cell == NULL)
        return 0;
    if (is_year_column(spec, column)) {
        int a, b;
        return ao_parse_year(pattern, &a) == AO_PARSE_OK &&
               ao_parse_year(cell, &b) == AO_PARSE_OK && a == b;
    }
    return ao_name_equal(pattern, cell);
}

ao_key_status ao_key_pattern_read(const ao_table *table, const char *key, ao_key_pattern *out)
{
    memset(out, 0, sizeof *out);
    const ao_table_schema *spec = find_key_spec(table->name);
    if (spec == NULL)
        return AO_KEY_NO_KEY;
    out->n_parts = split_key(spec, key, out->parts);
    if (out->n_parts < 0)
        return AO_KEY_BAD_SHAPE;
    for (int p = 0; p < out->n_parts; p++) {
        out->columns[p] = spec->key[p];
        out->cols[p] = ao_table_col(table, spec->key[p]);
        if (out->cols[p] < 0) {
            out->missing_column = spec->key[p];
            return AO_KEY_NO_COLUMN;
        }
    }
    return AO_KEY_OK;
}

int ao_key_pattern_matches(const ao_key_pattern *pattern, const ao_table *table, size_t row)
{
    for (int p = 0; p < pattern->n_parts; p++)
        if (!part_matches(ao_schema_table(table->name), pattern->columns[p], pattern->parts[p],
                          ao_table_cell(table, row, pattern->cols[p])))
            return 0;
    return 1;
}
