/*
 * Building the domain model from its tables, with validation.
 *
 * Every table is read row by row; each problem is recorded with its place and
 * reading goes on, so that one pass lists everything wrong with an input. Ids
 * are interned once here: everything after this works on dense indices.
 */
#include "models/model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/format.h"
#include "common/index.h"
#include "common/parse.h"
#include "common/strutil.h"
#include "models/builder.h"
#include "models/schema.h"

/* Longest horizon accepted, in years. */
#define AO_MAX_YEARS 50
/* Default capacity lag L_s and prevention lag ℓ (MODEL.md). */
#define AO_DEFAULT_CAPACITY_LAG 1
#define AO_DEFAULT_PREVENTION_LAG 1
/* Default relative MIP gap (MODEL.md v2). */
#define AO_DEFAULT_MIP_GAP 1e-6

/* Longest piece of a cell quoted in a message (a cell may hold megabytes). */
#define QUOTE_MAX 40

typedef ao_builder builder;

/* Record a problem at (row, col) of the current table; row (size_t)-1 = whole table. */
void ao_build_note(builder *b, ao_severity severity, size_t row, long col, const char *fmt, ...)
{
    ao_loc loc = {0};
    char cell[24];
    if (b->table != NULL)
        ao_table_loc(b->table, row, col, &loc, cell);
    va_list args;
    va_start(args, fmt);
    if (ao_diags_addv(b->diags, severity, &loc, fmt, args) != AO_NO_ERROR)
        b->fatal = AO_ERROR_MEMORY_MALLOC_FAILED;
    va_end(args);
}

/* Record a problem about the model as a whole, or a table with no row to point at. */
void ao_build_note_model(builder *b, const char *table, ao_severity severity, const char *fmt, ...)
{
    const ao_table *t = table ? ao_tableset_find(b->tables, table) : NULL;
    ao_loc loc = {.file = t ? t->file : b->tables->source, .table = table};
    va_list args;
    va_start(args, fmt);
    if (ao_diags_addv(b->diags, severity, &loc, fmt, args) != AO_NO_ERROR)
        b->fatal = AO_ERROR_MEMORY_MALLOC_FAILED;
    va_end(args);
}

/* A year cell that ao_parse_year() refused: a date (a serial such as 45658 from a cell
 * formatted as a date) gets its own message; blank_means says what a blank cell does. */
void ao_build_note_year(builder *b, size_t row, long col, const char *text, const char *blank_means)
{
    char date[16];
    int year = ao_date_in_year_cell(text, date);
    if (year > 0 && year < 2999)
        ao_build_note(
            b, AO_DIAG_ERROR, row, col,
            "'%.*s%s' looks like a date (%s), not a year: type the year as %d or %d/%02d%s, "
            "in a cell formatted as text",
            QUOTE_MAX, text, strlen(text) > QUOTE_MAX ? "..." : "", date, year, year,
            (year + 1) % 100, blank_means);
    else
        ao_build_note(b, AO_DIAG_ERROR, row, col, "'%.*s%s' is not a year; write 2025 or 2025/26%s",
                      QUOTE_MAX, text, strlen(text) > QUOTE_MAX ? "..." : "", blank_means);
}

/* Read a number cell. Returns 1 when out holds a usable value, 0 when blank
 * (out = fallback) or bad (reported; out = fallback). */
int ao_build_read_number(builder *b, size_t row, const char *column, unsigned checks,
                         double fallback, double *out)
{
    long col = ao_table_col(b->table, column);
    const char *text = ao_table_cell(b->table, row, col);
    *out = fallback;
    /* In the settings table the value's subject is the setting, not the column. */
    const char *key = ao_name_equal(b->table->name, "settings")
                          ? ao_table_cell(b->table, row, ao_table_col(b->table, "key"))
                          : NULL;
    const ao_column_schema *spec = ao_schema_column(ao_schema_table(b->table->name), column);
    int money =
        spec != NULL && (spec->format == AO_FORMAT_MONEY || spec->format == AO_FORMAT_PRICE);
    if (key != NULL && strlen(key) <= QUOTE_MAX)
        column = key;
    double value;
    switch (ao_parse_number(text, &value)) {
    case AO_PARSE_EMPTY:
        if (checks & NUM_REQUIRED)
            ao_build_note(b, AO_DIAG_ERROR, row, col, "%s is required but the cell is empty",
                          column);
        return 0;
    case AO_PARSE_RANGE:
        ao_build_note(b, AO_DIAG_ERROR, row, col, "'%.*s%s' is not a finite number", QUOTE_MAX,
                      text, strlen(text) > QUOTE_MAX ? "..." : "");
        return 0;
    case AO_PARSE_INVALID: {
        /* "£114.6m": say the figure meant, written as allocopt reads it. */
        double meant;
        if (ao_parse_scaled_number(text, &meant) == AO_PARSE_OK) {
            char plain[64], grouped[64];
            ao_format_grouped(meant, grouped);
            snprintf(plain, sizeof plain, "%.15g", meant);
            if (strchr(plain, 'e') != NULL)
                snprintf(plain, sizeof plain, "%.2f", meant);
            ao_build_note(b, AO_DIAG_ERROR, row, col,
                          "'%.*s%s' is not a number: millions (m), thousands (k) and billions (bn) "
                          "are not read; write %s%s%s",
                          QUOTE_MAX, text, strlen(text) > QUOTE_MAX ? "..." : "", plain,
                          money ? " or £" : " or ", grouped);
            return 0;
        }
        ao_build_note(b, AO_DIAG_ERROR, row, col, "'%.*s%s' is not a number", QUOTE_MAX, text,
                      strlen(text) > QUOTE_MAX ? "..." : "");
        return 0;
    }
    case AO_PARSE_OK:
        break;
    }
    if ((checks & NUM_POSITIVE) && !(value > 0)) {
        ao_build_note(b, AO_DIAG_ERROR, row, col, "%s must be greater than zero, not %s", column,
                      text);
        return 0;
    }
    if ((checks & NUM_GROWTH) && !(value > -1)) {
        ao_build_note(b, AO_DIAG_ERROR, row, col, "%s must be above -100%%", column);
        return 0;
    }
    if ((checks & (NUM_NONNEG | NUM_FRACTION)) && value < 0) {
        ao_build_note(b, AO_DIAG_ERROR, row, col, "%s cannot be negative (%s)", column, text);
        return 0;
    }
    if ((checks & NUM_FRACTION) && value > 1) {
        ao_build_note(b, AO_DIAG_ERROR, row, col,
                      "%s must be between 0 and 1 (0%% to 100%%), not %s; write 85%% or 0.85",
                      column, text);
        return 0;
    }
    if ((checks & NUM_INTEGER) && (value != floor(value) || fabs(value) > 1e9)) {
        ao_build_note(b, AO_DIAG_ERROR, row, col, "%s must be a whole number, not %s", column,
                      text);
        return 0;
    }
    *out = value;
    return 1;
}

/* The checks of a column of the current table: its number rule (models/schema.h), and
 * NUM_REQUIRED when the column is required. */
unsigned ao_build_column_checks(const builder *b, const char *column)
{
    const ao_column_schema *spec = ao_schema_column(ao_schema_table(b->table->name), column);
    if (spec == NULL)
        return 0;
    unsigned checks = spec->required ? NUM_REQUIRED : 0;
    switch (spec->rule) {
    case AO_NUMBER_ANY:
        break;
    case AO_NUMBER_NONNEG:
        checks |= NUM_NONNEG;
        break;
    case AO_NUMBER_FRACTION:
        checks |= NUM_FRACTION;
        break;
    case AO_NUMBER_WHOLE:
        checks |= NUM_NONNEG | NUM_INTEGER;
        break;
    case AO_NUMBER_POSITIVE:
        checks |= NUM_POSITIVE;
        break;
    case AO_NUMBER_GROWTH:
        checks |= NUM_GROWTH;
        break;
    }
    return checks;
}

/* Read a number cell with the checks of its column (read_number). */
int ao_build_read_column(builder *b, size_t row, const char *column, double fallback, double *out)
{
    return ao_build_read_number(b, row, column, ao_build_column_checks(b, column), fallback, out);
}

/* A required id cell; reports and returns NULL when empty. */
const char *ao_build_read_id(builder *b, size_t row, const char *column)
{
    long col = ao_table_col(b->table, column);
    const char *text = ao_table_cell(b->table, row, col);
    if (text == NULL)
        ao_build_note(b, AO_DIAG_ERROR, row, col, "%s is required but the cell is empty", column);
    return text;
}

/* Look an id up in an index; reports an unknown id. */
static int table_readable(const ao_table *table);

int ao_build_lookup(builder *b, size_t row, const char *column, const ao_index *index,
                    const char *what, const char *where)
{
    const char *text = ao_build_read_id(b, row, column);
    if (text == NULL)
        return -1;
    int found = ao_index_get(index, text);
    /* When that table could not be read (a required column missing, already reported),
     * every id would be "unknown": say nothing more. */
    const ao_table *target = ao_tableset_find(b->tables, where);
    if (found < 0 && (target == NULL || table_readable(target)))
        ao_build_note(b, AO_DIAG_ERROR, row, ao_table_col(b->table, column),
                      "%s '%s' is not in the %s table", what, text, where);
    return found;
}

/* Intern a name into an index and a growing name list; returns its index. */
static int intern(builder *b, ao_index *index, char ***names, int *count, const char *name)
{
    int found = ao_index_get(index, name);
    if (found >= 0)
        return found;
    char **grown = realloc(*names, (size_t)(*count + 1) * sizeof *grown);
    char *copy = ao_strdup(name);
    int existing;
    if (grown == NULL || copy == NULL ||
        ao_index_put(index, name, *count, &existing) != AO_NO_ERROR) {
        if (grown != NULL)
            *names = grown;
        free(copy);
        b->fatal = AO_ERROR_MEMORY_MALLOC_FAILED;
        return -1;
    }
    *names = grown;
    grown[*count] = copy;
    return (*count)++;
}

/* Register an id in an index; reports a duplicate. Returns 1 when new. */
int ao_build_register_id(builder *b, ao_index *index, size_t row, const char *column,
                         const char *id, int value, const char *what)
{
    int existing;
    if (ao_index_put(index, id, value, &existing) != AO_NO_ERROR) {
        b->fatal = AO_ERROR_MEMORY_MALLOC_FAILED;
        return 0;
    }
    if (existing >= 0) {
        ao_build_note(b, AO_DIAG_ERROR, row, ao_table_col(b->table, column),
                      "%s '%s' appears more than once (ids are matched ignoring case)", what, id);
        return 0;
    }
    return 1;
}

static int set_table(builder *b, const char *name)
{
    b->table = ao_tableset_find(b->tables, name);
    return b->table != NULL;
}

/* ---- table and column presence ---- */

/* The unknown table whose name is closest to a missing table's (ao_name_close()), or NULL:
 * a sheet renamed "Budgets 2026-29" or a file saved as budget.csv. */
static const ao_table *misnamed_table(const builder *b, const char *name)
{
    const ao_table *best = NULL;
    int best_distance = 0;
    for (size_t k = 0; k < b->tables->n_tables; k++) {
        const ao_table *table = b->tables->tables[k];
        if (ao_schema_table(table->name) != NULL || !ao_name_close(table->name, name))
            continue;
        int distance = ao_name_distance(table->name, name);
        if (distance < 0)
            distance = 1 << 20;
        if (best == NULL || distance < best_distance) {
            best = table;
            best_distance = distance;
        }
    }
    return best;
}

static void check_tables(builder *b)
{
    size_t n_specs;
    const ao_table_schema *specs = ao_schema_tables(&n_specs);
    for (size_t k = 0; k < b->tables->n_tables; k++) {
        const ao_table *table = b->tables->tables[k];
        const ao_table_schema *spec = ao_schema_table(table->name);
        b->table = table;
        if (spec == NULL) {
            ao_strbuf known = {0};
            for (size_t q = 0; q < n_specs; q++)
                ao_strbuf_printf(&known, "%s%s", q > 0 ? ", " : "", specs[q].name);
            if (known.data == NULL)
                b->fatal = AO_ERROR_MEMORY_MALLOC_FAILED;
            else
                ao_build_note(b, AO_DIAG_WARNING, (size_t)-1, -1,
                              "unknown table '%s' is ignored (known tables: %s)", table->name,
                              known.data);
            ao_strbuf_free(&known);
            continue;
        }
        /* A file saved with semicolons (a spreadsheet set to a European locale) reads as
         * one column whose heading holds every name: say that, not each name missing. */
        if (table->n_cols == 1 && strchr(table->header_text[0], ';') != NULL) {
            ao_build_note(b, AO_DIAG_ERROR, (size_t)-1, 0,
                          "the headings read as one column '%s': the file seems to be separated by "
                          "semicolons; save it as CSV with commas (or use an .xlsx workbook)",
                          table->header_text[0]);
            continue;
        }
        for (size_t c = 0; c < spec->n_columns; c++)
            if (spec->columns[c].required && ao_table_col(table, spec->columns[c].name) < 0)
                ao_build_note(b, AO_DIAG_ERROR, (size_t)-1, -1,
                              "the required column '%s' is missing", spec->columns[c].name);
        for (size_t col = 0; col < table->n_cols; col++)
            if (ao_schema_column(spec, table->headers[col]) == NULL)
                ao_build_note(b, AO_DIAG_WARNING, (size_t)-1, (long)col,
                              "unknown column '%s' is ignored", table->header_text[col]);
    }
    b->table = NULL;
    for (size_t q = 0; q < n_specs; q++) {
        const ao_table *present = ao_tableset_find(b->tables, specs[q].name);
        if (specs[q].required && present != NULL && present->n_rows == 0)
            ao_build_note_model(b, specs[q].name, AO_DIAG_ERROR,
                                "the %s table has no rows (only its headings)", specs[q].name);
        if (!specs[q].required || present != NULL)
            continue;
        ao_loc loc = {.file = b->tables->source, .table = specs[q].name};
        /* A renamed sheet or a misnamed file ("Budgets 2026-29", "budget.csv") was read
         * as an unknown table: name it, and say what to call it. */
        const ao_table *near = misnamed_table(b, specs[q].name);
        ao_error err;
        if (near != NULL && near->from_workbook)
            err = ao_diags_add(b->diags, AO_DIAG_ERROR, &loc,
                               "the required table '%s' is missing; did you mean sheet '%s'? "
                               "Rename it to %s",
                               specs[q].name, near->name, specs[q].name);
        else if (near != NULL)
            err = ao_diags_add(b->diags, AO_DIAG_ERROR, &loc,
                               "the required table '%s' is missing; did you mean file '%s' "
                               "(table '%s')? Rename it to %s.csv",
                               specs[q].name, near->file, near->name, specs[q].name);
        else
            err = ao_diags_add(b->diags, AO_DIAG_ERROR, &loc,
                               "the required table '%s' is missing (a file %s.csv, or a sheet "
                               "named %s in a workbook)",
                               specs[q].name, specs[q].name, specs[q].name);
        if (err != AO_NO_ERROR)
            b->fatal = AO_ERROR_MEMORY_MALLOC_FAILED;
    }
}

/* Tables whose required columns are all present can be read. */
static int table_readable(const ao_table *table)
{
    const ao_table_schema *spec = ao_schema_table(table->name);
    for (size_t c = 0; spec != NULL && c < spec->n_columns; c++)
        if (spec->columns[c].required && ao_table_col(table, spec->columns[c].name) < 0)
            return 0;
    return 1;
}

int ao_build_open_table(builder *b, const char *name)
{
    return set_table(b, name) && table_readable(b->table);
}

/* Open table name and allocate one element of size bytes a row (and one more); NULL when
 * the table is not there or the allocation fails (then b->fatal says so). */
void *ao_build_open_rows(builder *b, const char *name, size_t size)
{
    if (!ao_build_open_table(b, name))
        return NULL;
    void *rows = calloc(b->table->n_rows + 1, size);
    if (rows == NULL)
        b->fatal = AO_ERROR_MEMORY_MALLOC_FAILED;
    return rows;
}

/* ---- settings ---- */

/* In the order of the cases of read_settings(). */
const char *const ao_setting_keys[AO_N_SETTING_KEYS + 1] = {"first_year",
                                                            "years",
                                                            "name",
                                                            "objective",
                                                            "arrangement",
                                                            "discount_rate",
                                                            "specialised_share_floor",
                                                            "max_change",
                                                            "equity_band",
                                                            "benefit_unit",
                                                            "mip_gap",
                                                            NULL};

int ao_build_choice(const char *text, const char *const *choices)
{
    for (int k = 0; choices[k]; k++)
        if (ao_name_equal(text, choices[k]))
            return k;
    return -1;
}

static const char *const objective_names[] = {"benefit", "cost", NULL};
static const char *const arrangement_names[] = {"delegated", "joint", "national", NULL};

const char *ao_arrangement_name(ao_arrangement arrangement)
{
    if ((unsigned)arrangement >= AO_ARRANGEMENT_COUNT)
        return "unknown";
    return arrangement_names[arrangement];
}

int ao_arrangement_parse(const char *text)
{
    return text ? ao_build_choice(text, arrangement_names) : -1;
}

static void read_settings(builder *b)
{
    ao_settings *s = &b->model->settings;
    s->first_year = 0;
    s->years = 0;
    s->objective = AO_OBJECTIVE_BENEFIT;
    s->arrangement = AO_ARRANGEMENT_DELEGATED;
    s->discount_rate = 0.0;
    s->specialised_share_floor = NAN;
    s->max_change = NAN;
    s->equity_band = NAN;
    s->mip_gap = AO_DEFAULT_MIP_GAP;
    if (!ao_build_open_table(b, "settings"))
        return;
    long seen_row[AO_N_SETTING_KEYS] = {0};
    long key_col = ao_table_col(b->table, "key");
    long value_col = ao_table_col(b->table, "value");
    for (size_t r = 0; r < b->table->n_rows; r++) {
        const char *key = ao_build_read_id(b, r, "key");
        if (key == NULL)
            continue;
        int k = ao_build_choice(key, ao_setting_keys);
        if (k < 0) {
            ao_build_note(b, AO_DIAG_WARNING, r, key_col, "unknown setting '%s' is ignored", key);
            continue;
        }
        if (seen_row[k]) {
            ao_build_note(b, AO_DIAG_ERROR, r, key_col,
                          "setting '%s' is given twice (first in row %ld)", ao_setting_keys[k],
                          seen_row[k]);
            continue;
        }
        seen_row[k] = b->table->row_numbers[r];
        const char *text = ao_table_cell(b->table, r, value_col);
        double number;
        int year;
        switch (k) {
        case 0:
            if (text == NULL) {
                ao_build_note(b, AO_DIAG_ERROR, r, value_col,
                              "first_year needs a year such as 2025/26");
            } else if (ao_parse_year(text, &year) != AO_PARSE_OK) {
                ao_build_note_year(b, r, value_col, text, "");
            } else {
                s->first_year = year;
            }
            break;
        case 1:
            if (ao_build_read_number(b, r, "value", NUM_REQUIRED | NUM_INTEGER | NUM_POSITIVE, 0,
                                     &number)) {
                if (number > AO_MAX_YEARS)
                    ao_build_note(b, AO_DIAG_ERROR, r, value_col,
                                  "years must be at most %d, not %s", AO_MAX_YEARS, text);
                else
                    s->years = (int)number;
            }
            break;
        case 2:
            free(s->name);
            s->name = ao_strdup(text);
            if (text != NULL && s->name == NULL)
                b->fatal = AO_ERROR_MEMORY_MALLOC_FAILED;
            break;
        case 3:
        case 4: {
            const char *const *choices = k == 3 ? objective_names : arrangement_names;
            int choice = text ? ao_build_choice(text, choices) : -1;
            if (choice < 0)
                ao_build_note(
                    b, AO_DIAG_ERROR, r, value_col, "%s must be %s, not '%s'", ao_setting_keys[k],
                    k == 3 ? "benefit or cost" : "delegated, joint or national", text ? text : "");
            else if (k == 3)
                s->objective = (ao_objective_kind)choice;
            else
                s->arrangement = (ao_arrangement)choice;
            break;
        }
        case 5:
            if (ao_build_read_number(b, r, "value", NUM_NONNEG, 0.0, &number)) {
                if (number >= 1)
                    ao_build_note(b, AO_DIAG_ERROR, r, value_col,
                                  "discount_rate %s is 100%% or more; write 3.5%% or 0.035", text);
                else
                    s->discount_rate = number;
            }
            break;
        case 6:
            ao_build_read_number(b, r, "value", NUM_FRACTION, NAN, &s->specialised_share_floor);
            break;
        case 7:
            if (ao_build_read_number(b, r, "value", NUM_NONNEG, NAN, &s->max_change) &&
                s->max_change > 1)
                ao_build_note(b, AO_DIAG_WARNING, r, value_col,
                              "max_change %s allows activity to change by more than 100%% a year; "
                              "did you mean %s%%?",
                              text, text);
            break;
        case 8:
            ao_build_read_number(b, r, "value", NUM_FRACTION, NAN, &s->equity_band);
            break;
        case 9:
            free(s->benefit_unit);
            s->benefit_unit = ao_strdup(text);
            if (text != NULL && s->benefit_unit == NULL)
                b->fatal = AO_ERROR_MEMORY_MALLOC_FAILED;
            break;
        case 10:
            ao_build_read_number(b, r, "value", NUM_NONNEG, AO_DEFAULT_MIP_GAP, &s->mip_gap);
            break;
        default:
            break;
        }
    }
    if (!seen_row[0])
        ao_build_note_model(b, "settings", AO_DIAG_ERROR,
                            "the setting first_year is missing (add a row: first_year, 2025/26)");
    if (!seen_row[1])
        ao_build_note_model(b, "settings", AO_DIAG_ERROR,
                            "the setting years is missing (add a row: years, 5)");
}

/* ---- ICBs ---- */

static void read_icbs(builder *b)
{
    ao_model *m = b->model;
    m->icbs = ao_build_open_rows(b, "icbs", sizeof *m->icbs);
    if (m->icbs == NULL)
        return;
    char **group_names = NULL;
    int n_group_names = 0;
    for (size_t r = 0; r < b->table->n_rows && !b->fatal; r++) {
        const char *id = ao_build_read_id(b, r, "id");
        if (id == NULL || !ao_build_register_id(b, &b->icb_ids, r, "id", id, m->n_icbs, "ICB"))
            continue;
        ao_icb *icb = &m->icbs[m->n_icbs++];
        icb->row = b->table->row_numbers[r];
        icb->id = ao_strdup(id);
        const char *name = ao_table_cell(b->table, r, ao_table_col(b->table, "name"));
        icb->name = ao_strdup(name ? name : id);
        ao_build_read_column(b, r, "population", 0, &icb->population);
        const char *region = ao_table_cell(b->table, r, ao_table_col(b->table, "region"));
        icb->region = intern(b, &b->region_ids, &m->regions, &m->n_regions, region ? region : "");
        const char *committee =
            ao_table_cell(b->table, r, ao_table_col(b->table, "joint_committee"));
        icb->group =
            committee ? intern(b, &b->group_ids, &group_names, &n_group_names, committee) : -1;
        ao_build_read_column(b, r, "max_providers", NAN, &icb->max_providers);
        if (!icb->name || !icb->id)
            b->fatal = AO_ERROR_MEMORY_MALLOC_FAILED;
    }

    /* Groups: each joint committee, then each ICB without one on its own. */
    int n_lone = 0;
    for (int i = 0; i < m->n_icbs; i++)
        n_lone += m->icbs[i].group < 0;
    m->groups = calloc((size_t)(n_group_names + n_lone) + 1, sizeof *m->groups);
    if (m->groups == NULL)
        b->fatal = AO_ERROR_MEMORY_MALLOC_FAILED;
    for (int g = 0; g < n_group_names && m->groups; g++) {
        m->groups[g].name = group_names[g];
        group_names[g] = NULL;
    }
    if (m->groups)
        m->n_groups = n_group_names;
    for (int g = 0; g < n_group_names; g++)
        free(group_names[g]);
    free(group_names);
    if (m->groups == NULL)
        return;
    for (int i = 0; i < m->n_icbs; i++) {
        if (m->icbs[i].group < 0) {
            m->icbs[i].own_group = 1;
            m->icbs[i].group = m->n_groups;
            m->groups[m->n_groups++].name = ao_strdup(m->icbs[i].id);
            if (m->groups[m->n_groups - 1].name == NULL) {
                b->fatal = AO_ERROR_MEMORY_MALLOC_FAILED;
                return;
            }
        }
    }
    for (int g = 0; g < m->n_groups; g++) {
        m->groups[g].icbs = malloc(((size_t)m->n_icbs + 1) * sizeof(int));
        if (m->groups[g].icbs == NULL) {
            b->fatal = AO_ERROR_MEMORY_MALLOC_FAILED;
            return;
        }
    }
    for (int i = 0; i < m->n_icbs; i++) {
        ao_group *group = &m->groups[m->icbs[i].group];
        group->icbs[group->n_icbs++] = i;
    }
}

/* ---- services ---- */

static void read_services(builder *b)
{
    ao_model *m = b->model;
    m->services = ao_build_open_rows(b, "services", sizeof *m->services);
    if (m->services == NULL)
        return;
    for (size_t r = 0; r < b->table->n_rows && !b->fatal; r++) {
        const char *id = ao_build_read_id(b, r, "id");
        if (id == NULL ||
            !ao_build_register_id(b, &b->service_ids, r, "id", id, m->n_services, "service"))
            continue;
        ao_service *s = &m->services[m->n_services++];
        s->row = b->table->row_numbers[r];
        s->id = ao_strdup(id);
        const char *name = ao_table_cell(b->table, r, ao_table_col(b->table, "name"));
        s->name = ao_strdup(name ? name : id);
        const char *unit = ao_table_cell(b->table, r, ao_table_col(b->table, "unit"));
        s->unit = ao_strdup(unit);
        if (!s->id || !s->name || (unit && !s->unit))
            b->fatal = AO_ERROR_MEMORY_MALLOC_FAILED;
        long category_col = ao_table_col(b->table, "category");
        const char *category = ao_table_cell(b->table, r, category_col);
        int choice = category ? ao_build_choice(category, ao_schema_categories) : -1;
        if (category == NULL)
            ao_build_note(b, AO_DIAG_ERROR, r, category_col,
                          "category is required: specialised or priority");
        else if (choice < 0)
            ao_build_note(b, AO_DIAG_ERROR, r, category_col,
                          "category must be specialised or priority, not '%s'", category);
        s->category = choice == 1 ? AO_CATEGORY_PRIORITY : AO_CATEGORY_SPECIALISED;
        const char *programme = ao_table_cell(b->table, r, ao_table_col(b->table, "programme"));
        s->programme =
            programme ? intern(b, &b->programme_ids, &m->programmes, &m->n_programmes, programme)
                      : -1;
        ao_build_read_column(b, r, "unit_cost", 0, &s->unit_cost);
        ao_build_read_column(b, r, "benefit", 0, &s->benefit);
        ao_build_read_column(b, r, "min_coverage", 0, &s->min_coverage);
        ao_build_read_column(b, r, "growth", 0, &s->growth);
        ao_build_read_column(b, r, "capital_cost", NAN, &s->capital_cost);
        double lag;
        ao_build_read_column(b, r, "capacity_lag", AO_DEFAULT_CAPACITY_LAG, &lag);
        s->capacity_lag = (int)lag;
        ao_build_read_column(b, r, "max_change", NAN, &s->max_change);
    }
}

/* ---- providers, capacity, access ---- */

static void read_providers(builder *b)
{
    ao_model *m = b->model;
    m->providers = ao_build_open_rows(b, "providers", sizeof *m->providers);
    if (m->providers == NULL)
        return;
    long coe_col = ao_table_col(b->table, "centre_of_excellence");
    for (size_t r = 0; r < b->table->n_rows && !b->fatal; r++) {
        const char *id = ao_build_read_id(b, r, "id");
        int host = ao_build_lookup(b, r, "icb", &b->icb_ids, "host ICB", "icbs");
        if (id == NULL ||
            !ao_build_register_id(b, &b->provider_ids, r, "id", id, m->n_providers, "provider"))
            continue;
        ao_provider *p = &m->providers[m->n_providers++];
        p->row = b->table->row_numbers[r];
        p->id = ao_strdup(id);
        const char *name = ao_table_cell(b->table, r, ao_table_col(b->table, "name"));
        p->name = ao_strdup(name ? name : id);
        if (!p->id || !p->name)
            b->fatal = AO_ERROR_MEMORY_MALLOC_FAILED;
        p->host = host;
        const char *coe = ao_table_cell(b->table, r, coe_col);
        if (coe != NULL && ao_parse_bool(coe, &p->centre_of_excellence) != AO_PARSE_OK)
            ao_build_note(b, AO_DIAG_ERROR, r, coe_col, "'%s' is not yes or no", coe);
        ao_build_read_column(b, r, "max_icbs", NAN, &p->max_icbs);
    }
}

static void read_capacity(builder *b)
{
    ao_model *m = b->model;
    if (!ao_build_open_table(b, "capacity"))
        return;
    if (ao_tableset_find(b->tables, "providers") == NULL && b->table->n_rows > 0)
        ao_build_note(b, AO_DIAG_ERROR, (size_t)-1, -1,
                      "capacity rows name providers, but there is no providers table");
    m->capacity = calloc(b->table->n_rows + 1, sizeof *m->capacity);
    unsigned char *seen = calloc((size_t)m->n_providers * (size_t)m->n_services + 1, 1);
    if (m->capacity == NULL || seen == NULL) {
        free(seen);
        b->fatal = AO_ERROR_MEMORY_MALLOC_FAILED;
        return;
    }
    for (size_t r = 0; r < b->table->n_rows && !b->fatal; r++) {
        int p = ao_build_lookup(b, r, "provider", &b->provider_ids, "provider", "providers");
        int s = ao_build_lookup(b, r, "service", &b->service_ids, "service", "services");
        ao_capacity c = {.provider = p, .service = s, .row = b->table->row_numbers[r]};
        ao_build_read_column(b, r, "capacity", 0, &c.capacity);
        ao_build_read_column(b, r, "unit_cost", NAN, &c.unit_cost);
        ao_build_read_column(b, r, "min_volume", NAN, &c.min_volume);
        ao_build_read_column(b, r, "max_expansion", NAN, &c.max_expansion);
        ao_build_read_column(b, r, "expansion_step", NAN, &c.expansion_step);
        if (p < 0 || s < 0)
            continue;
        size_t key = (size_t)p * (size_t)m->n_services + (size_t)s;
        if (seen[key]) {
            ao_build_note(b, AO_DIAG_ERROR, r, ao_table_col(b->table, "service"),
                          "provider %s already has a capacity row for service %s",
                          m->providers[p].id, m->services[s].id);
            continue;
        }
        seen[key] = 1;
        if (!isnan(c.max_expansion) && isnan(m->services[s].capital_cost))
            ao_build_note(
                b, AO_DIAG_WARNING, r, ao_table_col(b->table, "max_expansion"),
                "max_expansion is ignored: service %s has no capital_cost, so its capacity "
                "cannot be expanded",
                m->services[s].id);
        m->services[s].provided = 1;
        m->capacity[m->n_capacity++] = c;
    }
    free(seen);
}

static void read_access(builder *b)
{
    ao_model *m = b->model;
    size_t pairs = (size_t)m->n_icbs * (size_t)m->n_providers;
    m->access = malloc(pairs + 1);
    if (m->access == NULL) {
        b->fatal = AO_ERROR_MEMORY_MALLOC_FAILED;
        return;
    }
    if (!ao_build_open_table(b, "access")) {
        memset(m->access, 1, pairs + 1);
        return;
    }
    if (b->table->n_rows == 0) {
        /* Taken literally an empty table would shut every ICB out of every provider;
         * an analyst who leaves the sheet empty (as the template hands it out) means "no
         * restriction", and hears nothing about it on every run. */
        memset(m->access, 1, pairs + 1);
        return;
    }
    m->has_access_table = 1;
    memset(m->access, 0, pairs + 1);
    for (size_t r = 0; r < b->table->n_rows && !b->fatal; r++) {
        int i = ao_build_lookup(b, r, "icb", &b->icb_ids, "ICB", "icbs");
        int p = ao_build_lookup(b, r, "provider", &b->provider_ids, "provider", "providers");
        if (i < 0 || p < 0)
            continue;
        unsigned char *flag = &m->access[(size_t)i * (size_t)m->n_providers + (size_t)p];
        if (*flag)
            ao_build_note(b, AO_DIAG_WARNING, r, ao_table_col(b->table, "provider"),
                          "ICB %s already has access to provider %s", m->icbs[i].id,
                          m->providers[p].id);
        *flag = 1;
    }
}

/* ---- prevention ---- */

/* Depth-first search for a cycle through the link graph; marks: 0 new, 1 open, 2 done. */
static int find_cycle(const ao_model *m, int s, unsigned char *mark, int *path, int *depth)
{
    mark[s] = 1;
    path[(*depth)++] = s;
    for (int l = 0; l < m->n_links; l++) {
        if (m->links[l].source != s)
            continue;
        int next = m->links[l].target;
        if (mark[next] == 1) {
            path[(*depth)++] = next;
            return 1;
        }
        if (mark[next] == 0 && find_cycle(m, next, mark, path, depth))
            return 1;
    }
    mark[s] = 2;
    (*depth)--;
    return 0;
}

static void read_prevention(builder *b)
{
    ao_model *m = b->model;
    m->links = ao_build_open_rows(b, "prevention", sizeof *m->links);
    if (m->links == NULL)
        return;
    for (size_t r = 0; r < b->table->n_rows && !b->fatal; r++) {
        int q = ao_build_lookup(b, r, "service", &b->service_ids, "service", "services");
        int s = ao_build_lookup(b, r, "target", &b->service_ids, "target service", "services");
        ao_prevention link = {.source = q, .target = s, .row = b->table->row_numbers[r]};
        ao_build_read_column(b, r, "effect", 0, &link.effect);
        double lag;
        ao_build_read_column(b, r, "lag", AO_DEFAULT_PREVENTION_LAG, &lag);
        link.lag = (int)lag;
        if (q < 0 || s < 0)
            continue;
        if (q == s) {
            ao_build_note(b, AO_DIAG_ERROR, r, ao_table_col(b->table, "target"),
                          "service %s cannot prevent its own need", m->services[q].id);
            continue;
        }
        int duplicate = 0;
        for (int l = 0; l < m->n_links; l++)
            duplicate |= m->links[l].source == q && m->links[l].target == s;
        if (duplicate) {
            ao_build_note(b, AO_DIAG_ERROR, r, ao_table_col(b->table, "target"),
                          "the link %s -> %s is given twice", m->services[q].id, m->services[s].id);
            continue;
        }
        m->links[m->n_links++] = link;
    }
    unsigned char *mark = calloc((size_t)m->n_services + 1, 1);
    int *path = malloc(((size_t)m->n_services + 2) * sizeof *path);
    if (mark == NULL || path == NULL) {
        b->fatal = AO_ERROR_MEMORY_MALLOC_FAILED;
    } else {
        for (int s = 0; s < m->n_services; s++) {
            int depth = 0;
            if (mark[s] || !find_cycle(m, s, mark, path, &depth))
                continue;
            ao_strbuf cycle = {0};
            int start = 0;
            while (path[start] != path[depth - 1])
                start++;
            for (int k = start; k < depth; k++)
                ao_strbuf_printf(&cycle, "%s%s", k > start ? " -> " : "", m->services[path[k]].id);
            ao_build_note_model(
                b, "prevention", AO_DIAG_ERROR,
                "prevention links form a cycle (%s): a service cannot, through others, "
                "prevent its own need",
                cycle.data ? cycle.data : "");
            ao_strbuf_free(&cycle);
            break;
        }
    }
    free(mark);
    free(path);
}

/* ---- demand ---- */

static void read_demand(builder *b)
{
    ao_model *m = b->model;
    size_t pairs = (size_t)m->n_icbs * (size_t)m->n_services + 1;
    m->has_demand = calloc(pairs, 1);
    m->need = calloc(pairs, sizeof *m->need);
    m->baseline = calloc(pairs, sizeof *m->baseline);
    m->demand_row = calloc(pairs, sizeof *m->demand_row);
    if (!m->has_demand || !m->need || !m->baseline || !m->demand_row) {
        b->fatal = AO_ERROR_MEMORY_MALLOC_FAILED;
        return;
    }
    if (!ao_build_open_table(b, "demand"))
        return;
    for (size_t r = 0; r < b->table->n_rows && !b->fatal; r++) {
        int i = ao_build_lookup(b, r, "icb", &b->icb_ids, "ICB", "icbs");
        int s = ao_build_lookup(b, r, "service", &b->service_ids, "service", "services");
        double need, baseline;
        ao_build_read_column(b, r, "need", 0, &need);
        ao_build_read_column(b, r, "baseline", 0, &baseline);
        if (i < 0 || s < 0)
            continue;
        size_t key = (size_t)i * (size_t)m->n_services + (size_t)s;
        if (m->has_demand[key]) {
            ao_build_note(b, AO_DIAG_ERROR, r, ao_table_col(b->table, "service"),
                          "ICB %s already has a demand row for service %s (row %ld)", m->icbs[i].id,
                          m->services[s].id, m->demand_row[key]);
            continue;
        }
        m->has_demand[key] = 1;
        m->need[key] = need;
        m->baseline[key] = baseline;
        m->demand_row[key] = b->table->row_numbers[r];
    }
}

/* A demand row deleted by mistake leaves its ICB with no activity of that service at
 * all, without a word. Warn when one ICB (or a few: at most a tenth of them) lacks a
 * service that at least two others have, once per service. */
static void warn_missing_demand(builder *b)
{
    const ao_model *m = b->model;
    if (!ao_build_open_table(b, "demand"))
        return;
    int most_missing = m->n_icbs / 10 > 1 ? m->n_icbs / 10 : 1;
    int warned = 0, more = 0;
    enum { MOST_WARNINGS = 5 }; /* then one line for the rest */
    for (int s = 0; s < m->n_services && !b->fatal; s++) {
        int present = 0, absent = -1, n_absent = 0;
        for (int i = 0; i < m->n_icbs; i++) {
            if (m->has_demand[(size_t)i * (size_t)m->n_services + (size_t)s]) {
                present++;
            } else {
                n_absent++;
                if (absent < 0)
                    absent = i;
            }
        }
        if (n_absent == 0 || n_absent > most_missing || present < 2)
            continue;
        if (warned++ >= MOST_WARNINGS) {
            more++;
            continue;
        }
        if (n_absent == 1)
            ao_build_note_model(b, "demand", AO_DIAG_WARNING,
                                "%s has no demand row for service %s although the %d other "
                                "ICBs have one, so it will commission none of it; if the row "
                                "was deleted by mistake, add it back (icb, service, need, "
                                "baseline)",
                                m->icbs[absent].id, m->services[s].id, present);
        else
            ao_build_note_model(b, "demand", AO_DIAG_WARNING,
                                "%d ICBs (%s and others) have no demand row for service %s "
                                "although the %d other ICBs have one, so they will commission "
                                "none of it; if rows were deleted by mistake, add them back",
                                n_absent, m->icbs[absent].id, m->services[s].id, present);
    }
    if (more > 0)
        ao_build_note_model(b, "demand", AO_DIAG_WARNING,
                            "%d more services also lack a demand row in one or a few ICBs that "
                            "the others have; check the demand table if rows may have been "
                            "deleted",
                            more);
}

/* ---- budgets ---- */

/* What meeting ICB i's whole need in year t would cost at the services' own prices. */
static double cost_of_need(const ao_model *m, int i, int t)
{
    double cost = 0.0;
    for (int s = 0; s < m->n_services; s++)
        cost += ao_model_need(m, i, s, t) * m->services[s].unit_cost;
    return cost;
}

/* Warn that ICB i's revenue for year t (budgets row index `row`) looks mistyped, and
 * mark it for the diagnosis: against what its need costs (`side` NULL) or against the
 * median of its other years (`side` "below" or "above"). */
static void warn_revenue(builder *b, int i, int t, long row, double compared, const char *side)
{
    ao_model *m = b->model;
    size_t key = (size_t)i * (size_t)m->settings.years + (size_t)t;
    char year[16], given[AO_FORMAT_FIGURE], other[AO_FORMAT_FIGURE];
    m->revenue_suspect[key] = 1;
    ao_format_year(m->settings.first_year + t, year);
    ao_format_money(m->revenue[key], given);
    ao_format_money(compared, other);
    long col = ao_table_col(b->table, "revenue");
    if (side == NULL)
        ao_build_note(
            b, AO_DIAG_WARNING, (size_t)row, col,
            "ICB %s's revenue for %s (%s) is less than 1%% of what its need costs at the "
            "services' unit costs (%s): was it typed in £k or £m? Write whole pounds, such "
            "as 114600000 or £114,600,000",
            m->icbs[i].id, year, given, other);
    else
        ao_build_note(b, AO_DIAG_WARNING, (size_t)row, col,
                      "ICB %s's revenue for %s (%s) is more than ten times %s its other years' "
                      "(median %s): check the units; write whole pounds",
                      m->icbs[i].id, year, given, side, other);
}

/*
 * Plausibility of a revenue budget (warnings, never errors: a plan may be meant to be
 * tight): a budget below a hundredth of what the ICB's need would cost was probably
 * typed in thousands or millions, and so was one more than ten times away from the
 * median of the ICB's other years. Rows gives the budgets table's row index per
 * (ICB, year), -1 where there is none.
 */
static void check_budget_sizes(builder *b, const long *rows)
{
    ao_model *m = b->model;
    int years = m->settings.years;
    double *others = malloc(((size_t)years + 1) * sizeof *others);
    unsigned char *low = calloc((size_t)years + 1, 1); /* flagged against the need */
    if (others == NULL || low == NULL) {
        free(others);
        free(low);
        b->fatal = AO_ERROR_MEMORY_MALLOC_FAILED;
        return;
    }
    for (int i = 0; i < m->n_icbs; i++) {
        const double *revenue = m->revenue + (size_t)i * (size_t)years;
        const long *row = rows + (size_t)i * (size_t)years;
        for (int t = 0; t < years; t++) {
            double need = cost_of_need(m, i, t);
            low[t] = row[t] >= 0 && revenue[t] > 0 && revenue[t] < need / 100.0;
            if (!low[t])
                continue;
            warn_revenue(b, i, t, row[t], need, NULL);
        }
        /* Each other year against the median of the ICB's other plausible years. */
        for (int t = 0; t < years; t++) {
            if (row[t] < 0 || low[t] || !(revenue[t] > 0))
                continue;
            int n = 0;
            for (int u = 0; u < years; u++)
                if (u != t && row[u] >= 0 && !low[u] && revenue[u] > 0)
                    others[n++] = revenue[u];
            if (n == 0)
                continue;
            for (int x = 1; x < n; x++) /* insertion sort: a handful of years */
                for (int y = x; y > 0 && others[y - 1] > others[y]; y--) {
                    double swap = others[y];
                    others[y] = others[y - 1];
                    others[y - 1] = swap;
                }
            double median = n % 2 ? others[n / 2] : 0.5 * (others[n / 2 - 1] + others[n / 2]);
            if (revenue[t] >= median / 10.0 && revenue[t] <= median * 10.0)
                continue;
            warn_revenue(b, i, t, row[t], median, revenue[t] < median ? "below" : "above");
        }
    }
    free(others);
    free(low);
}

static void read_budgets(builder *b)
{
    ao_model *m = b->model;
    int years = m->settings.years;
    size_t cells = (size_t)m->n_icbs * (size_t)(years > 0 ? years : 0) + 1;
    m->revenue = calloc(cells, sizeof *m->revenue);
    m->capital = calloc(cells, sizeof *m->capital);
    m->specialised = calloc(cells, sizeof *m->specialised);
    m->budget_row = calloc(cells, sizeof *m->budget_row);
    m->revenue_suspect = calloc(cells, 1);
    if (!m->revenue || !m->capital || !m->specialised || !m->budget_row || !m->revenue_suspect) {
        b->fatal = AO_ERROR_MEMORY_MALLOC_FAILED;
        return;
    }
    if (!ao_build_open_table(b, "budgets") || years <= 0 || m->settings.first_year == 0)
        return;
    long year_col = ao_table_col(b->table, "year");
    long *rows = malloc(cells * sizeof *rows); /* row index per (ICB, year) */
    if (rows == NULL) {
        b->fatal = AO_ERROR_MEMORY_MALLOC_FAILED;
        return;
    }
    for (size_t k = 0; k < cells; k++)
        rows[k] = -1;
    char first[16], last[16];
    ao_format_year(m->settings.first_year, first);
    ao_format_year(m->settings.first_year + years - 1, last);
    for (size_t r = 0; r < b->table->n_rows && !b->fatal; r++) {
        int i = ao_build_lookup(b, r, "icb", &b->icb_ids, "ICB", "icbs");
        const char *year_text = ao_build_read_id(b, r, "year");
        int year = 0, t = -1;
        if (year_text != NULL) {
            if (ao_parse_year(year_text, &year) != AO_PARSE_OK)
                ao_build_note_year(b, r, year_col, year_text, "");
            else if (year < m->settings.first_year || year >= m->settings.first_year + years)
                ao_build_note(b, AO_DIAG_ERROR, r, year_col,
                              "year %s is outside the plan's horizon %s to %s", year_text, first,
                              last);
            else
                t = year - m->settings.first_year;
        }
        double revenue, capital, specialised;
        int has_revenue = ao_build_read_column(b, r, "revenue", 0, &revenue);
        ao_build_read_column(b, r, "capital", 0, &capital);
        int has_specialised = ao_build_read_column(b, r, "specialised", NAN, &specialised);
        if (has_revenue && has_specialised && specialised > revenue)
            ao_build_note(b, AO_DIAG_ERROR, r, ao_table_col(b->table, "specialised"),
                          "the specialised allocation (%s) is larger than the revenue budget (%s)",
                          ao_table_cell(b->table, r, ao_table_col(b->table, "specialised")),
                          ao_table_cell(b->table, r, ao_table_col(b->table, "revenue")));
        if (i < 0 || t < 0)
            continue;
        size_t key = (size_t)i * (size_t)years + (size_t)t;
        if (m->budget_row[key]) {
            char label[16];
            ao_format_year(year, label);
            ao_build_note(b, AO_DIAG_ERROR, r, year_col,
                          "ICB %s already has a budgets row for %s (row %ld)", m->icbs[i].id, label,
                          m->budget_row[key]);
            continue;
        }
        m->budget_row[key] = b->table->row_numbers[r];
        rows[key] = (long)r;
        m->revenue[key] = revenue;
        m->capital[key] = capital;
        m->specialised[key] = specialised;
    }
    if (!b->fatal)
        check_budget_sizes(b, rows);
    free(rows);
    b->table = NULL;
    for (int i = 0; i < m->n_icbs; i++)
        for (int t = 0; t < years; t++)
            if (!m->budget_row[(size_t)i * (size_t)years + (size_t)t]) {
                char label[16];
                ao_format_year(m->settings.first_year + t, label);
                ao_build_note_model(b, "budgets", AO_DIAG_ERROR, "ICB %s has no budgets row for %s",
                                    m->icbs[i].id, label);
            }
}

/*
 * Parse a selection of services (`*`, `category:X`, `programme:X`, `service:X`) into
 * per-service flags. Returns the ao_selection_kind, or -1 after reporting a problem.
 */
int ao_build_selection(builder *b, size_t r, long col, const char *text, unsigned char *selects)
{
    const ao_model *m = b->model;
    const char *colon = strchr(text, ':');
    char *head = colon ? ao_strndup(text, (size_t)(colon - text)) : NULL;
    const char *value = colon ? colon + 1 : NULL;
    int kind = -1;
    if (colon != NULL && head == NULL) {
        b->fatal = AO_ERROR_MEMORY_MALLOC_FAILED;
        return -1;
    }
    if (ao_name_equal(text, "*")) {
        kind = AO_SELECT_ALL;
        for (int s = 0; s < m->n_services; s++)
            selects[s] = 1;
    } else if (head && ao_name_equal(head, "category")) {
        int cat = ao_name_equal(value, "specialised") ? 0
                  : ao_name_equal(value, "priority")  ? 1
                                                      : -1;
        if (cat < 0)
            ao_build_note(b, AO_DIAG_ERROR, r, col,
                          "category:%s is not a category; use category:specialised or "
                          "category:priority",
                          value);
        else
            kind = AO_SELECT_CATEGORY;
        for (int s = 0; s < m->n_services && cat >= 0; s++)
            selects[s] = (int)m->services[s].category == cat;
    } else if (head && ao_name_equal(head, "programme")) {
        kind = AO_SELECT_PROGRAMME;
        int programme = ao_index_get(&b->programme_ids, value);
        if (programme < 0)
            ao_build_note(b, AO_DIAG_WARNING, r, col,
                          "no service has programme '%s' in the services table, so this selects no "
                          "service",
                          value);
        for (int s = 0; s < m->n_services && programme >= 0; s++)
            selects[s] = m->services[s].programme == programme;
    } else if (head && ao_name_equal(head, "service")) {
        int s = ao_index_get(&b->service_ids, value);
        if (s < 0) {
            ao_build_note(b, AO_DIAG_ERROR, r, col, "service '%s' is not in the services table",
                          value);
        } else {
            kind = AO_SELECT_SERVICE;
            selects[s] = 1;
        }
    } else {
        ao_build_note(b, AO_DIAG_ERROR, r, col,
                      "applies_to must be *, category:X, programme:X or service:X, not '%s'", text);
    }
    free(head);
    return kind;
}

/* ---- rules ---- */

static void read_rules(builder *b)
{
    ao_model *m = b->model;
    m->rules = ao_build_open_rows(b, "rules", sizeof *m->rules);
    if (m->rules == NULL)
        return;
    ao_index names = {0};
    long scope_col = ao_table_col(b->table, "scope");
    long applies_col = ao_table_col(b->table, "applies_to");
    long year_col = ao_table_col(b->table, "year");
    long kind_col = ao_table_col(b->table, "kind");
    for (size_t r = 0; r < b->table->n_rows && !b->fatal; r++) {
        const char *name = ao_build_read_id(b, r, "name");
        if (name == NULL || !ao_build_register_id(b, &names, r, "name", name, (int)r, "rule"))
            continue;
        ao_rule rule = {.year = -1, .row = b->table->row_numbers[r], .scope_icb = -1};
        int ok = 1;
        const char *scope = ao_build_read_id(b, r, "scope");
        if (scope == NULL) {
            ok = 0;
        } else if (ao_name_equal(scope, "*")) {
            rule.scope = AO_SCOPE_EACH;
        } else if (ao_name_equal(scope, "all")) {
            rule.scope = AO_SCOPE_ALL;
        } else if ((rule.scope_icb = ao_index_get(&b->icb_ids, scope)) >= 0) {
            rule.scope = AO_SCOPE_ICB;
        } else {
            ao_build_note(
                b, AO_DIAG_ERROR, r, scope_col,
                "scope must be * (each ICB), all (all ICBs together) or an ICB id; '%s' is "
                "none of these",
                scope);
            ok = 0;
        }
        const char *kind = ao_build_read_id(b, r, "kind");
        int kind_choice = kind ? ao_build_choice(kind, ao_schema_rule_kinds) : -1;
        if (kind != NULL && kind_choice < 0) {
            ao_build_note(b, AO_DIAG_ERROR, r, kind_col,
                          "kind must be min_spend, max_spend, min_share or max_share, not '%s'",
                          kind);
        }
        if (kind_choice < 0)
            ok = 0;
        rule.kind = (ao_rule_kind)(kind_choice < 0 ? 0 : kind_choice);
        unsigned checks = ao_build_column_checks(b, "value");
        if (rule.kind == AO_RULE_MIN_SHARE || rule.kind == AO_RULE_MAX_SHARE)
            checks |= NUM_FRACTION;
        if (!ao_build_read_number(b, r, "value", checks, 0, &rule.value))
            ok = 0;
        const char *year_text = ao_table_cell(b->table, r, year_col);
        if (year_text != NULL) {
            int year;
            if (ao_parse_year(year_text, &year) != AO_PARSE_OK) {
                ao_build_note_year(b, r, year_col, year_text, ", or leave it blank for every year");
                ok = 0;
            } else if (m->settings.years > 0 &&
                       (year < m->settings.first_year ||
                        year >= m->settings.first_year + m->settings.years)) {
                ao_build_note(b, AO_DIAG_ERROR, r, year_col,
                              "year %s is outside the plan's horizon", year_text);
                ok = 0;
            } else {
                rule.year = year - m->settings.first_year;
            }
        }
        const char *applies = ao_build_read_id(b, r, "applies_to");
        rule.selects = calloc((size_t)m->n_services + 1, 1);
        if (rule.selects == NULL) {
            b->fatal = AO_ERROR_MEMORY_MALLOC_FAILED;
            break;
        }
        int selection = applies ? ao_build_selection(b, r, applies_col, applies, rule.selects) : -1;
        if (selection < 0)
            ok = 0;
        else
            rule.selection = (ao_selection_kind)selection;
        rule.name = ao_strdup(name);
        rule.selection_text = ao_strdup(applies);
        if (!rule.name || (applies && !rule.selection_text))
            b->fatal = AO_ERROR_MEMORY_MALLOC_FAILED;
        if (!ok) {
            free(rule.name);
            free(rule.selection_text);
            free(rule.selects);
            continue;
        }
        m->rules[m->n_rules++] = rule;
    }
    ao_index_free(&names);
}

/* ---- provider collaboratives (MODEL.md rule 11) ---- */

static void read_collaboratives(builder *b)
{
    ao_model *m = b->model;
    m->collaboratives = ao_build_open_rows(b, "collaboratives", sizeof *m->collaboratives);
    if (m->collaboratives == NULL)
        return;
    ao_index ids = {0};
    long icbs_col = ao_table_col(b->table, "icbs");
    for (size_t r = 0; r < b->table->n_rows && !b->fatal; r++) {
        const char *id = ao_build_read_id(b, r, "id");
        if (id == NULL ||
            !ao_build_register_id(b, &ids, r, "id", id, m->n_collaboratives, "collaborative"))
            continue;
        ao_collaborative *c = &m->collaboratives[m->n_collaboratives++];
        c->row = b->table->row_numbers[r];
        c->id = ao_strdup(id);
        const char *name = ao_table_cell(b->table, r, ao_table_col(b->table, "name"));
        c->name = ao_strdup(name ? name : id);
        const char *applies = ao_build_read_id(b, r, "applies_to");
        c->selection_text = ao_strdup(applies);
        c->services = calloc((size_t)m->n_services + 1, 1);
        c->icbs = calloc((size_t)m->n_icbs + 1, 1);
        c->members = calloc((size_t)m->n_providers + 1, 1);
        if (!c->id || !c->name || (applies && !c->selection_text) || !c->services || !c->icbs ||
            !c->members) {
            b->fatal = AO_ERROR_MEMORY_MALLOC_FAILED;
            break;
        }
        c->lead =
            ao_build_lookup(b, r, "lead_provider", &b->provider_ids, "lead provider", "providers");
        if (applies != NULL)
            ao_build_selection(b, r, ao_table_col(b->table, "applies_to"), applies, c->services);
        ao_build_read_column(b, r, "budget_share", NAN, &c->budget_share);
        /* icbs: space-separated ids; blank or * means every ICB. */
        const char *list = ao_table_cell(b->table, r, icbs_col);
        if (list == NULL || ao_name_equal(list, "*")) {
            memset(c->icbs, 1, (size_t)m->n_icbs);
            continue;
        }
        char *copy = ao_strdup(list);
        if (copy == NULL) {
            b->fatal = AO_ERROR_MEMORY_MALLOC_FAILED;
            break;
        }
        for (char *save = NULL, *word = strtok_r(copy, " \t,;", &save); word != NULL;
             word = strtok_r(NULL, " \t,;", &save)) {
            int i = ao_index_get(&b->icb_ids, word);
            if (i < 0)
                ao_build_note(b, AO_DIAG_ERROR, r, icbs_col, "ICB '%s' is not in the icbs table",
                              word);
            else
                c->icbs[i] = 1;
        }
        free(copy);
    }
    if (ao_build_open_table(b, "collaborative_members")) {
        for (size_t r = 0; r < b->table->n_rows && !b->fatal; r++) {
            int c = ao_build_lookup(b, r, "collaborative", &ids, "collaborative", "collaboratives");
            int p = ao_build_lookup(b, r, "provider", &b->provider_ids, "provider", "providers");
            if (c >= 0 && p >= 0)
                m->collaboratives[c].members[p] = 1;
        }
    } else if (ao_tableset_find(b->tables, "collaborative_members") == NULL &&
               m->n_collaboratives > 0) {
        ao_build_note_model(
            b, "collaboratives", AO_DIAG_WARNING,
            "there is no collaborative_members table, so no collaborative has members");
    }
    for (int c = 0; c < m->n_collaboratives; c++) {
        ao_collaborative *collab = &m->collaboratives[c];
        if (collab->lead >= 0 && !collab->members[collab->lead])
            ao_build_note_model(
                b, "collaborative_members", AO_DIAG_WARNING,
                "the lead provider %s of collaborative %s is not one of its members",
                m->providers[collab->lead].id, collab->id);
    }
    ao_index_free(&ids);
}

static void note_v2_limits(builder *b)
{
    ao_model *m = b->model;
    for (int i = 0; i < m->n_icbs; i++)
        m->has_contract_limits |= !isnan(m->icbs[i].max_providers);
    for (int p = 0; p < m->n_providers; p++)
        m->has_contract_limits |= !isnan(m->providers[p].max_icbs);
    for (int k = 0; k < m->n_capacity; k++) {
        const ao_capacity *cap = &m->capacity[k];
        if (isnan(cap->expansion_step))
            continue;
        m->has_lumpy_capital = 1;
        if (isnan(m->services[cap->service].capital_cost) && ao_build_open_table(b, "capacity"))
            ao_build_note_model(b, "capacity", AO_DIAG_WARNING,
                                "expansion_step of %s at %s is ignored: the service has no "
                                "capital_cost, so its capacity cannot be expanded",
                                m->services[cap->service].id, m->providers[cap->provider].id);
    }
}

/* β_i: baseline specialised share of spend. */
static void compute_baseline_shares(builder *b)
{
    ao_model *m = b->model;
    m->baseline_share = calloc((size_t)m->n_icbs + 1, sizeof *m->baseline_share);
    if (m->baseline_share == NULL) {
        b->fatal = AO_ERROR_MEMORY_MALLOC_FAILED;
        return;
    }
    for (int i = 0; i < m->n_icbs; i++) {
        double specialised = 0, total = 0;
        for (int s = 0; s < m->n_services; s++) {
            size_t key = (size_t)i * (size_t)m->n_services + (size_t)s;
            double spend = m->services[s].unit_cost * m->baseline[key];
            total += spend;
            if (m->services[s].category == AO_CATEGORY_SPECIALISED)
                specialised += spend;
        }
        m->baseline_share[i] = total > 0 ? specialised / total : 0.0;
    }
}

ao_error ao_model_build(const ao_tableset *tables, ao_model **out, ao_diags *diags)
{
    *out = NULL;
    builder b = {.tables = tables, .diags = diags};
    b.model = calloc(1, sizeof *b.model);
    if (b.model == NULL)
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    b.model->tables = tables;
    size_t errors_before = diags->n_errors;

    check_tables(&b);
    read_settings(&b);
    if (!b.fatal)
        read_icbs(&b);
    if (!b.fatal)
        read_services(&b);
    if (!b.fatal)
        read_providers(&b);
    if (!b.fatal)
        read_capacity(&b);
    if (!b.fatal)
        read_access(&b);
    if (!b.fatal)
        read_prevention(&b);
    if (!b.fatal)
        read_demand(&b);
    if (!b.fatal)
        warn_missing_demand(&b);
    if (!b.fatal)
        read_budgets(&b);
    if (!b.fatal)
        read_rules(&b);
    if (!b.fatal)
        read_collaboratives(&b);
    if (!b.fatal)
        note_v2_limits(&b);
    if (!b.fatal)
        compute_baseline_shares(&b);
    if (!b.fatal)
        ao_build_arrangements(&b);
    if (!b.fatal)
        ao_build_icb_changes(&b);
    if (!b.fatal)
        ao_build_flows(&b);
    if (!b.fatal && b.model->settings.benefit_unit == NULL &&
        (b.model->settings.benefit_unit = ao_strdup("benefit units")) == NULL)
        b.fatal = AO_ERROR_MEMORY_MALLOC_FAILED;

    ao_index_free(&b.icb_ids);
    ao_index_free(&b.service_ids);
    ao_index_free(&b.provider_ids);
    ao_index_free(&b.region_ids);
    ao_index_free(&b.programme_ids);
    ao_index_free(&b.group_ids);
    if (b.fatal || diags->n_errors > errors_before) {
        ao_model_free(b.model);
        return b.fatal ? b.fatal : AO_ERROR_INPUT;
    }
    *out = b.model;
    return AO_NO_ERROR;
}

void ao_model_free(ao_model *m)
{
    if (m == NULL)
        return;
    free(m->settings.name);
    free(m->settings.benefit_unit);
    for (int i = 0; i < m->n_icbs; i++) {
        free(m->icbs[i].id);
        free(m->icbs[i].name);
    }
    free(m->icbs);
    for (int r = 0; r < m->n_regions; r++)
        free(m->regions[r]);
    free(m->regions);
    for (int g = 0; g < m->n_groups; g++) {
        free(m->groups[g].name);
        free(m->groups[g].icbs);
    }
    free(m->groups);
    for (int s = 0; s < m->n_services; s++) {
        free(m->services[s].id);
        free(m->services[s].name);
        free(m->services[s].unit);
    }
    free(m->services);
    for (int k = 0; k < m->n_programmes; k++)
        free(m->programmes[k]);
    free(m->programmes);
    for (int p = 0; p < m->n_providers; p++) {
        free(m->providers[p].id);
        free(m->providers[p].name);
    }
    free(m->providers);
    free(m->capacity);
    free(m->access);
    free(m->links);
    for (int r = 0; r < m->n_rules; r++) {
        free(m->rules[r].name);
        free(m->rules[r].selection_text);
        free(m->rules[r].selects);
    }
    free(m->rules);
    for (int a = 0; a < m->n_arrangement_rows; a++) {
        free(m->arrangement_rows[a].name);
        free(m->arrangement_rows[a].services_text);
        free(m->arrangement_rows[a].services);
        free(m->arrangement_rows[a].icbs_text);
        free(m->arrangement_rows[a].icbs);
    }
    free(m->arrangement_rows);
    free(m->arrangement_of);
    free(m->joint_weight);
    free(m->national_weight);
    for (int f = 0; f < m->n_footprints; f++) {
        free(m->footprints[f].id);
        free(m->footprints[f].name);
        free(m->footprints[f].icbs);
    }
    free(m->footprints);
    free(m->footprint_of);
    free(m->flows);
    for (int c = 0; c < m->n_collaboratives; c++) {
        free(m->collaboratives[c].id);
        free(m->collaboratives[c].name);
        free(m->collaboratives[c].selection_text);
        free(m->collaboratives[c].services);
        free(m->collaboratives[c].icbs);
        free(m->collaboratives[c].members);
    }
    free(m->collaboratives);
    free(m->has_demand);
    free(m->need);
    free(m->baseline);
    free(m->demand_row);
    free(m->revenue);
    free(m->revenue_suspect);
    free(m->capital);
    free(m->specialised);
    free(m->budget_row);
    free(m->baseline_share);
    free(m);
}

double ao_model_need(const ao_model *m, int i, int s, int t)
{
    size_t key = (size_t)i * (size_t)m->n_services + (size_t)s;
    if (!m->has_demand[key])
        return 0.0;
    return m->need[key] * pow(1.0 + m->services[s].growth, t);
}

double ao_model_specialised_budget(const ao_model *m, int i, int t)
{
    size_t key = (size_t)i * (size_t)m->settings.years + (size_t)t;
    double given = m->specialised[key];
    return isnan(given) ? m->baseline_share[i] * m->revenue[key] : given;
}

double ao_model_max_change(const ao_model *m, int s)
{
    double own = m->services[s].max_change;
    return isnan(own) ? m->settings.max_change : own;
}

double ao_model_unit_cost(const ao_model *m, int k)
{
    double own = m->capacity[k].unit_cost;
    return isnan(own) ? m->services[m->capacity[k].service].unit_cost : own;
}

int ao_model_may_buy(const ao_model *m, int i, int s, int p)
{
    if (m->access[(size_t)i * (size_t)m->n_providers + (size_t)p])
        return 1;
    for (int c = 0; c < m->n_collaboratives; c++) {
        const ao_collaborative *collab = &m->collaboratives[c];
        if (collab->icbs[i] && collab->services[s] && collab->members[p])
            return 1;
    }
    return 0;
}

static int find_by_id(const char *id, const void *items, size_t size, int count, size_t offset)
{
    for (int k = 0; k < count; k++) {
        const char *candidate = *(char *const *)((const char *)items + (size_t)k * size + offset);
        if (ao_name_equal(candidate, id))
            return k;
    }
    return -1;
}

int ao_model_find_icb(const ao_model *m, const char *id)
{
    return find_by_id(id, m->icbs, sizeof *m->icbs, m->n_icbs, offsetof(ao_icb, id));
}

int ao_model_find_service(const ao_model *m, const char *id)
{
    return find_by_id(id, m->services, sizeof *m->services, m->n_services,
                      offsetof(ao_service, id));
}

int ao_model_find_provider(const ao_model *m, const char *id)
{
    return find_by_id(id, m->providers, sizeof *m->providers, m->n_providers,
                      offsetof(ao_provider, id));
}

void ao_model_year_label(const ao_model *m, int t, char out[16])
{
    ao_format_year(m->settings.first_year + t, out);
}
