/*
 * Monte Carlo uncertainty studies (docs/whatif.md "Uncertainty").
 *
 * Results must not depend on the number of threads nor on how the samples are split
 * into shards: each sample draws from its own stream (models/random.h), starts from
 * the baseline's basis only, and is written into its own record slot.
 */
#include "models/uncertainty.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/parse.h"
#include "common/strutil.h"
#include "models/pool.h"
#include "models/random.h"
#include "models/table_key.h"
#include "models/verify.h"

/* ---- the table ---- */

typedef struct reader {
    const ao_tableset *tables;
    const ao_table *u; ///< The uncertainty table.
    size_t row;        ///< Row being read.
    ao_diags *diags;
    ao_error fatal;
} reader;

static void row_note(reader *r, ao_severity severity, const char *column, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void row_note(reader *r, ao_severity severity, const char *column, const char *fmt, ...)
{
    ao_loc loc;
    char cell[24];
    ao_table_loc(r->u, r->row, column ? ao_table_col(r->u, column) : -1, &loc, cell);
    if (column != NULL && loc.column == NULL)
        loc.column = column; /* the heading is missing: still say which one */
    va_list args;
    va_start(args, fmt);
    if (ao_diags_addv(r->diags, severity, &loc, fmt, args) != AO_NO_ERROR)
        r->fatal = AO_ERROR_MEMORY_MALLOC_FAILED;
    va_end(args);
}

static const char *cell_of(const reader *r, const char *column)
{
    return ao_table_cell(r->u, r->row, ao_table_col(r->u, column));
}

/* Longest piece of a cell quoted in a message. */
#define QUOTE_MAX 40

/* A parameter: 1 when given and a number (into *out), 0 when blank; -1 when invalid. */
static int parameter(reader *r, const char *column, double *out)
{
    const char *text = cell_of(r, column);
    ao_parse_result parsed = ao_parse_number(text, out);
    if (parsed == AO_PARSE_EMPTY)
        return 0;
    if (parsed != AO_PARSE_OK) {
        row_note(r, AO_DIAG_ERROR, column, "%s must be a number, not '%.*s'", column, QUOTE_MAX,
                 text);
        return -1;
    }
    return 1;
}

/* The parameter columns, in the order of the bits of distribution_spec.needs. */
static const char *const parameter_names[] = {"mean", "sd", "low", "likely", "high"};

typedef struct distribution_spec {
    const char *name;             ///< As written in the table.
    ao_distribution distribution; ///< Which.
    unsigned needs;               ///< Bit p set: parameter_names[p] is required.
} distribution_spec;

static const distribution_spec distributions[] = {
    {"normal", AO_DIST_NORMAL, 0x03},         /* mean, sd */
    {"uniform", AO_DIST_UNIFORM, 0x14},       /* low, high */
    {"triangular", AO_DIST_TRIANGULAR, 0x1C}, /* low, likely, high */
};

typedef struct cell_list {
    ao_uncertain_cell *items;
    size_t n, cap;
} cell_list;

static ao_error cell_push(cell_list *list, ao_uncertain_cell cell)
{
    if (list->n == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 64;
        ao_uncertain_cell *grown = realloc(list->items, cap * sizeof *grown);
        if (grown == NULL)
            return AO_ERROR_MEMORY_MALLOC_FAILED;
        list->items = grown;
        list->cap = cap;
    }
    list->items[list->n++] = cell;
    return AO_NO_ERROR;
}

static size_t table_index(const ao_tableset *tables, const ao_table *table)
{
    for (size_t k = 0; k < tables->n_tables; k++)
        if (tables->tables[k] == table)
            return k;
    return 0;
}

/* Read one row; 1 when it is sound (then *out and its cells are set). */
static int read_row(reader *r, ao_uncertainty_row *out, cell_list *cells)
{
    const char *table_name = cell_of(r, "table");
    const char *column = cell_of(r, "column");
    const char *key = cell_of(r, "key");
    const char *distribution = cell_of(r, "distribution");
    if (!table_name || !column || !key || !distribution) {
        row_note(r, AO_DIAG_ERROR,
                 !table_name ? "table"
                 : !column   ? "column"
                 : !key      ? "key"
                             : "distribution",
                 "this uncertainty row is incomplete: table, column, key and distribution are "
                 "all needed");
        return 0;
    }
    memset(out, 0, sizeof *out);
    out->source_row = r->u->row_numbers[r->row];
    int sound = 1;

    /* The distribution and its parameters. */
    enum { MEAN, SD, LOW, LIKELY, HIGH, N_PARAMETERS };
    double value[N_PARAMETERS];
    int given[N_PARAMETERS];
    for (int p = 0; p < N_PARAMETERS; p++) {
        value[p] = NAN;
        given[p] = parameter(r, parameter_names[p], &value[p]);
        sound &= given[p] >= 0;
    }
    const distribution_spec *spec = NULL;
    for (size_t k = 0; k < sizeof distributions / sizeof distributions[0]; k++)
        if (ao_name_equal(distribution, distributions[k].name))
            spec = &distributions[k];
    if (spec == NULL) {
        row_note(r, AO_DIAG_ERROR, "distribution",
                 "distribution must be normal, uniform or triangular, not '%.*s'", QUOTE_MAX,
                 distribution);
        sound = 0;
    } else {
        out->distribution = spec->distribution;
        for (int p = 0; p < N_PARAMETERS; p++) {
            int needed = (spec->needs >> p) & 1;
            if (needed && given[p] == 0) {
                row_note(r, AO_DIAG_ERROR, parameter_names[p], "a %s distribution needs %s",
                         spec->name, parameter_names[p]);
                sound = 0;
            } else if (!needed && given[p] == 1) {
                row_note(r, AO_DIAG_WARNING, parameter_names[p],
                         "%s is not used by a %s distribution and is ignored", parameter_names[p],
                         spec->name);
            }
        }
    }
    double mean = value[MEAN], sd = value[SD], low = value[LOW], likely = value[LIKELY],
           high = value[HIGH];
    if (sound && out->distribution == AO_DIST_NORMAL && sd < 0) {
        row_note(r, AO_DIAG_ERROR, "sd", "sd cannot be negative, not %g", sd);
        sound = 0;
    }
    if (sound && out->distribution != AO_DIST_NORMAL && low > high) {
        row_note(r, AO_DIAG_ERROR, "high", "high (%g) must not be below low (%g)", high, low);
        sound = 0;
    }
    if (sound && out->distribution == AO_DIST_TRIANGULAR && !(low <= likely && likely <= high)) {
        row_note(r, AO_DIAG_ERROR, "likely", "likely (%g) must be between low (%g) and high (%g)",
                 likely, low, high);
        sound = 0;
    }
    out->mean = mean;
    out->sd = sd;
    out->low = low;
    out->likely = likely;
    out->high = high;

    const char *apply = cell_of(r, "apply");
    if (apply == NULL || ao_name_equal(apply, "scale")) {
        out->add = 0;
    } else if (ao_name_equal(apply, "add")) {
        out->add = 1;
    } else {
        row_note(r, AO_DIAG_ERROR, "apply", "apply must be scale or add (blank: scale), not '%.*s'",
                 QUOTE_MAX, apply);
        sound = 0;
    }
    const char *draw = cell_of(r, "draw");
    if (draw == NULL || ao_name_equal(draw, "each")) {
        out->shared = 0;
    } else if (ao_name_equal(draw, "shared")) {
        out->shared = 1;
    } else {
        row_note(r, AO_DIAG_ERROR, "draw", "draw must be each or shared (blank: each), not '%.*s'",
                 QUOTE_MAX, draw);
        sound = 0;
    }

    /* The cells it changes. */
    if (!ao_key_table_known(table_name)) {
        row_note(r, AO_DIAG_ERROR, "table", "the uncertainty table cannot change table '%.*s'",
                 QUOTE_MAX, table_name);
        return 0;
    }
    const ao_table *table = ao_tableset_find(r->tables, table_name);
    if (table == NULL) {
        row_note(r, AO_DIAG_ERROR, "table", "table '%.*s' is not in the input", QUOTE_MAX,
                 table_name);
        return 0;
    }
    long col = ao_table_col(table, column);
    if (col < 0) {
        row_note(r, AO_DIAG_ERROR, "column", "column '%.*s' is not in table %s", QUOTE_MAX, column,
                 table->name);
        return 0;
    }
    if (ao_key_is_key_column(table->name, column)) {
        row_note(r, AO_DIAG_ERROR, "column",
                 "column %s is part of table %s's key: only numbers can be uncertain",
                 table->headers[col], table->name);
        return 0;
    }
    ao_key_pattern pattern;
    switch (ao_key_pattern_read(table, key, &pattern)) {
    case AO_KEY_OK:
        break;
    case AO_KEY_NO_COLUMN:
        row_note(r, AO_DIAG_ERROR, "key", "table %s has no column %s to match the key against",
                 table->name, pattern.missing_column);
        return 0;
    case AO_KEY_NO_KEY:
    case AO_KEY_BAD_SHAPE:
    default:
        row_note(r, AO_DIAG_ERROR, "key",
                 "key '%.*s' does not fit table %s (its key is id, or two parts joined by /, "
                 "like ICB01/2025 or */SVC01)",
                 QUOTE_MAX, key, table->name);
        return 0;
    }
    out->first_cell = cells->n;
    size_t matched = 0;
    for (size_t row = 0; row < table->n_rows && sound; row++) {
        if (!ao_key_pattern_matches(&pattern, table, row))
            continue;
        matched++;
        const char *text = ao_table_cell(table, row, col);
        double value;
        ao_parse_result parsed = ao_parse_number(text, &value);
        if (parsed == AO_PARSE_EMPTY && !out->add)
            continue; /* a blank (not given) value stays blank, as with scenarios */
        if (parsed != AO_PARSE_OK) {
            row_note(r, AO_DIAG_ERROR, "key",
                     parsed == AO_PARSE_EMPTY
                         ? "the cell to add to is blank (%s row %ld, column %s)"
                         : "the cell to change is not a number (%s row %ld, column %s)",
                     table->name, table->row_numbers[row], table->headers[col]);
            sound = 0;
            break;
        }
        ao_uncertain_cell cell = {table_index(r->tables, table), row, col};
        if (cell_push(cells, cell) != AO_NO_ERROR) {
            r->fatal = AO_ERROR_MEMORY_MALLOC_FAILED;
            return 0;
        }
    }
    if (sound && matched == 0) {
        row_note(r, AO_DIAG_ERROR, "key", "no row of table %s matches key '%.*s'", table->name,
                 QUOTE_MAX, key);
        sound = 0;
    }
    out->n_cells = cells->n - out->first_cell;
    if (!sound)
        cells->n = out->first_cell;
    return sound;
}

void ao_uncertainty_free(ao_uncertainty *u)
{
    if (u == NULL)
        return;
    free(u->rows);
    free(u->cells);
    free(u);
}

ao_error ao_uncertainty_read(const ao_tableset *tables, ao_uncertainty **out, ao_diags *diags)
{
    *out = NULL;
    const ao_table *table = ao_tableset_find(tables, "uncertainty");
    if (table == NULL)
        return AO_NO_ERROR;
    ao_uncertainty *u = calloc(1, sizeof *u);
    cell_list cells = {0};
    if (u == NULL || (u->rows = calloc(table->n_rows + 1, sizeof *u->rows)) == NULL) {
        ao_uncertainty_free(u);
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    }
    reader r = {.tables = tables, .u = table, .diags = diags};
    size_t errors_before = diags->n_errors;
    for (r.row = 0; r.row < table->n_rows && r.fatal == AO_NO_ERROR; r.row++) {
        ao_uncertainty_row row;
        if (!read_row(&r, &row, &cells))
            continue;
        u->rows[u->n_rows++] = row;
        u->n_draws += row.shared ? (row.n_cells > 0) : row.n_cells;
    }
    u->cells = cells.items;
    u->n_cells = cells.n;
    if (r.fatal != AO_NO_ERROR || diags->n_errors > errors_before) {
        ao_uncertainty_free(u);
        return r.fatal != AO_NO_ERROR ? r.fatal : AO_ERROR_INPUT;
    }
    *out = u;
    return AO_NO_ERROR;
}

/* ---- draws ---- */

static double draw_one(const ao_uncertainty_row *row, ao_rng *rng)
{
    switch (row->distribution) {
    case AO_DIST_NORMAL:
        return row->mean + row->sd * ao_rng_normal(rng);
    case AO_DIST_UNIFORM:
        return row->low + (row->high - row->low) * ao_rng_uniform(rng);
    case AO_DIST_TRIANGULAR:
    default:
        return ao_rng_triangular(rng, row->low, row->likely, row->high);
    }
}

void ao_uncertainty_draw(const ao_uncertainty *u, uint64_t seed, uint64_t sample, double *draws)
{
    ao_rng rng;
    ao_rng_seed(&rng, seed, sample);
    size_t at = 0;
    for (size_t k = 0; k < u->n_rows; k++) {
        const ao_uncertainty_row *row = &u->rows[k];
        size_t n = row->shared ? (row->n_cells > 0) : row->n_cells;
        for (size_t c = 0; c < n; c++)
            draws[at++] = draw_one(row, &rng);
    }
}

ao_error ao_uncertainty_apply(const ao_uncertainty *u, const ao_tableset *tables,
                              const double *draws, ao_tableset **out, int *valid)
{
    *out = NULL;
    *valid = 1;
    ao_tableset *copy = ao_tableset_copy(tables);
    if (copy == NULL)
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    size_t at = 0;
    for (size_t k = 0; k < u->n_rows; k++) {
        const ao_uncertainty_row *row = &u->rows[k];
        for (size_t c = 0; c < row->n_cells; c++) {
            const ao_uncertain_cell *cell = &u->cells[row->first_cell + c];
            double draw = row->shared ? draws[at] : draws[at + c];
            ao_table *table = copy->tables[cell->table];
            double current = NAN;
            (void)ao_parse_number(ao_table_cell(table, cell->row, cell->col), &current);
            double result = row->add ? current + draw : current * draw;
            if (!isfinite(result)) {
                *valid = 0;
                continue;
            }
            char text[40];
            snprintf(text, sizeof text, "%.17g", result);
            ao_error err = ao_table_set_cell(table, cell->row, cell->col, text);
            if (err != AO_NO_ERROR) {
                ao_tableset_free(copy);
                return err;
            }
        }
        at += row->shared ? (row->n_cells > 0) : row->n_cells;
    }
    *out = copy;
    return AO_NO_ERROR;
}

/* ---- statuses ---- */

static const char *const status_names[AO_SAMPLE_STATUSES] = {
    [AO_SAMPLE_OPTIMAL] = "optimal",
    [AO_SAMPLE_INFEASIBLE] = "infeasible",
    [AO_SAMPLE_INVALID_INPUT] = "invalid_input",
    [AO_SAMPLE_UNBOUNDED] = "unbounded",
    [AO_SAMPLE_FAILED] = "failed",
};

const char *ao_sample_status_name(ao_sample_status status)
{
    return (unsigned)status < AO_SAMPLE_STATUSES ? status_names[status] : "failed";
}

int ao_sample_status_parse(const char *name)
{
    for (int k = 0; name != NULL && k < AO_SAMPLE_STATUSES; k++)
        if (strcmp(status_names[k], name) == 0)
            return k;
    return -1;
}

/* ---- the study ---- */

void ao_study_free(ao_study *study)
{
    if (study == NULL)
        return;
    free(study->model_name);
    free(study->arrangement);
    free(study->benefit_unit);
    for (size_t k = 0; k < study->n_icbs; k++) {
        if (study->icb_ids != NULL)
            free(study->icb_ids[k]);
        if (study->icb_names != NULL)
            free(study->icb_names[k]);
    }
    free(study->icb_ids);
    free(study->icb_names);
    free(study->icb_budgets);
    for (size_t k = 0; k < study->n_budgets; k++)
        free(study->budgets[k].pool);
    free(study->budgets);
    free(study->records);
    free(study->breach);
    free(study->overspend);
    free(study);
}

#define AO_FNV_OFFSET 0xCBF29CE484222325ULL
#define AO_FNV_PRIME 0x100000001B3ULL

static uint64_t fnv_bytes(uint64_t hash, const void *data, size_t n)
{
    const unsigned char *bytes = data;
    for (size_t k = 0; k < n; k++) {
        hash ^= bytes[k];
        hash *= AO_FNV_PRIME;
    }
    return hash;
}

/* A text and its end (0x00), or an absent cell (0xFF 0x00), so that no two layouts of
 * cells hash alike by running together. */
static uint64_t fnv_text(uint64_t hash, const char *text)
{
    static const unsigned char absent[2] = {0xFF, 0x00};
    if (text == NULL)
        return fnv_bytes(hash, absent, sizeof absent);
    return fnv_bytes(hash, text, strlen(text) + 1);
}

void ao_study_fingerprint(const ao_tableset *tables, int arrangement, ao_solver_kind solver,
                          char out[17])
{
    uint64_t hash = fnv_text(AO_FNV_OFFSET, "allocopt " AO_VERSION);
    char text[48];
    /* The LP backend too: two codes may round an objective's last digit differently. */
    snprintf(text, sizeof text, "arrangement %d solver %s", arrangement,
             ao_solver_kind_name(solver));
    hash = fnv_text(hash, text);
    /* Tables in name order: a folder and a workbook holding the same tables agree. */
    const ao_table *last = NULL;
    for (size_t done = 0; done < tables->n_tables; done++) {
        const ao_table *next = NULL;
        for (size_t k = 0; k < tables->n_tables; k++) {
            const ao_table *t = tables->tables[k];
            if ((last == NULL || strcmp(t->name, last->name) > 0) &&
                (next == NULL || strcmp(t->name, next->name) < 0))
                next = t;
        }
        if (next == NULL)
            break;
        last = next;
        snprintf(text, sizeof text, "%zu %zu", next->n_cols, next->n_rows);
        hash = fnv_text(fnv_text(hash, next->name), text);
        for (size_t c = 0; c < next->n_cols; c++)
            hash = fnv_text(hash, next->headers[c]);
        for (size_t k = 0; k < next->n_rows * next->n_cols; k++)
            hash = fnv_text(hash, next->cells[k]);
    }
    snprintf(out, 17, "%016llx", (unsigned long long)hash);
}

/* Revenue, priority and capital lines: those a breach and an overspend are counted on. */
static int breach_kind(const ao_budget_line *line)
{
    return line->kind == AO_BUDGET_REVENUE || line->kind == AO_BUDGET_PRIORITY ||
           line->kind == AO_BUDGET_CAPITAL;
}

/* ICB i's baseline budgets over the plan (£), footprints' lines shared (defined below). */
static double icb_baseline_budgets(const ao_model *m, const ao_plan *plan, int i);

/* The baseline's headline and budget lines. */
static ao_error study_baseline(ao_study *s, const ao_model *m, const ao_plan *plan)
{
    const ao_settings *settings = &m->settings;
    if (settings->name != NULL && (s->model_name = ao_strdup(settings->name)) == NULL)
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    s->arrangement = ao_strdup(ao_arrangement_name(plan->arrangement));
    s->benefit_unit = ao_strdup(settings->benefit_unit ? settings->benefit_unit : "");
    if (s->arrangement == NULL || s->benefit_unit == NULL)
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    s->cost_objective = settings->objective == AO_OBJECTIVE_COST;
    s->baseline_status = plan->status;
    int optimal = plan->status == AO_STATUS_OPTIMAL;
    s->baseline_objective = optimal ? plan->objective : NAN;
    s->baseline_revenue = optimal ? plan->total_revenue_spend : NAN;
    s->baseline_capital = optimal ? plan->total_capital_spend : NAN;
    s->icb_ids = calloc((size_t)m->n_icbs + 1, sizeof *s->icb_ids);
    s->icb_names = calloc((size_t)m->n_icbs + 1, sizeof *s->icb_names);
    s->icb_budgets = calloc((size_t)m->n_icbs + 1, sizeof *s->icb_budgets);
    if (s->icb_ids == NULL || s->icb_names == NULL || s->icb_budgets == NULL)
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    for (int i = 0; i < m->n_icbs; i++) {
        s->n_icbs++;
        s->icb_budgets[i] = icb_baseline_budgets(m, plan, i);
        s->icb_ids[i] = ao_strdup(m->icbs[i].id);
        s->icb_names[i] = ao_strdup(m->icbs[i].name ? m->icbs[i].name : m->icbs[i].id);
        if (s->icb_ids[i] == NULL || s->icb_names[i] == NULL)
            return AO_ERROR_MEMORY_MALLOC_FAILED;
    }
    s->budgets = calloc(plan->n_budgets + 1, sizeof *s->budgets);
    if (s->budgets == NULL)
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    for (size_t k = 0; k < plan->n_budgets; k++) {
        const ao_budget_line *b = &plan->budgets[k];
        if (!breach_kind(b))
            continue;
        ao_study_budget *line = &s->budgets[s->n_budgets];
        if ((line->pool = ao_strdup(b->pool)) == NULL)
            return AO_ERROR_MEMORY_MALLOC_FAILED;
        s->n_budgets++;
        ao_model_year_label(m, b->t, line->year);
        line->kind = b->kind;
        line->available = b->available;
        line->used = b->used;
    }
    return AO_NO_ERROR;
}

/* Shared by the workers of one study. */
typedef struct study_batch {
    const ao_tableset *tables;
    const ao_uncertainty *u;
    const ao_model *base_model;
    const ao_plan *baseline;
    const ao_study_options *options;
    ao_plan_options plan_options;
    ao_study *study;
    double *draws; ///< Scratch space: u->n_draws + 1 numbers per worker.
} study_batch;

int ao_breach_tolerance_valid(double tolerance)
{
    return isfinite(tolerance) && tolerance >= 0.0 && tolerance < 1.0;
}

/*
 * Whether the baseline plan's use of ICB i's budgets exceeds a sample's budgets by more
 * than the study's tolerance, and by how much in all (*overspend, £): the excess of use
 * over the sample's budget, summed over the ICB's revenue, priority and capital lines of
 * every year. The tolerance decides only what counts as a breach; the overspend is the
 * whole excess, so that its size is reported whatever tolerance is chosen. An excess
 * within the numerical tolerance is rounding, not overspend.
 */
/* The sample's budget of ICB i for a baseline budget line (revenue, priority or capital). */
static double line_budget(const ao_model *m, int i, const ao_budget_line *line)
{
    size_t key = (size_t)i * (size_t)m->settings.years + (size_t)line->t;
    if (line->kind == AO_BUDGET_CAPITAL)
        return m->capital[key];
    /* As the ICB's own revenue row holds it (rule 14): all of a priority line's specialised
     * allocation is pooled, none when every service is delegated. */
    return ao_model_own_revenue(m, i, line->t);
}

/* The footprint (rule 15) whose id a budget line's pool is and that holds ICB i, or -1. */
static int footprint_of_line(const ao_model *m, int i, const ao_budget_line *line)
{
    int f = m->footprint_of != NULL ? m->footprint_of[i] : -1;
    return f >= 0 && line->t >= m->footprints[f].from_year &&
                   strcmp(m->footprints[f].id, line->pool) == 0
               ? f
               : -1;
}

/* A footprint's budget for a budget line: the sum of its ICBs' (line_budget). */
static double footprint_budget(const ao_model *m, int f, const ao_budget_line *line)
{
    double total = 0.0;
    for (int q = 0; q < m->footprints[f].n_icbs; q++)
        total += line_budget(m, m->footprints[f].icbs[q], line);
    return total;
}

/*
 * ICB i's share of a baseline budget line, with the budgets of model m: 1 for its own line
 * (an ICB of base); for its merged footprint's line, its budget over the footprint's (all
 * of it when the footprint has none); -1 when the line is neither. *total: the line's
 * budget under m.
 */
static double line_share(const ao_model *base, const ao_model *m, int i, const ao_budget_line *line,
                         double *total)
{
    double own = line_budget(m, i, line);
    *total = own;
    if (ao_model_find_icb(base, line->pool) == i)
        return 1.0;
    int f = footprint_of_line(m, i, line);
    if (f < 0)
        return -1.0;
    *total = footprint_budget(m, f, line);
    return *total > 0 ? own / *total : 1.0;
}

static double icb_baseline_budgets(const ao_model *m, const ao_plan *plan, int i)
{
    double sum = 0.0;
    for (size_t k = 0; k < plan->n_budgets; k++) {
        const ao_budget_line *line = &plan->budgets[k];
        double total, share = breach_kind(line) ? line_share(m, m, i, line, &total) : -1.0;
        /* A footprint's line counts in proportion to ICB i's budget, as its overspend is
         * shared (a footprint with no budget on a line has nothing available there). */
        if (share >= 0)
            sum += line->available * share;
    }
    return sum;
}

static int breaches_budgets(const study_batch *b, const ao_model *m, int i, double *overspend)
{
    *overspend = 0.0;
    int T = m->settings.years;
    if (i >= m->n_icbs || T != b->base_model->settings.years)
        return 0;
    int breached = 0;
    for (size_t k = 0; k < b->baseline->n_budgets; k++) {
        const ao_budget_line *line = &b->baseline->budgets[k];
        if (line->t < 0 || line->t >= T || !breach_kind(line))
            continue;
        /* The ICB's own line, or its merged footprint's: a footprint's overspend is shared
         * by its ICBs in proportion to their budgets, and a breach counts for each. */
        double total, share = line_share(b->base_model, m, i, line, &total);
        if (share < 0)
            continue;
        double rounding = AO_BREACH_TOLERANCE * fmax(1.0, fabs(total));
        double excess = line->used - total;
        if (excess > rounding)
            *overspend += excess * share;
        if (excess > b->options->breach_tolerance * fabs(total) + rounding)
            breached = 1;
    }
    return breached;
}

/* One sample into its record. Only memory errors are returned. */
static ao_error run_sample(study_batch *b, size_t k, double *draws)
{
    ao_study *s = b->study;
    ao_sample_record *record = &s->records[k];
    unsigned char *breach = s->breach + k * s->n_icbs;
    double *overspend = s->overspend + k * s->n_icbs;
    record->objective = NAN;
    record->spend = NAN;
    record->funding_gap = NAN;
    record->status = AO_SAMPLE_INVALID_INPUT;
    ao_uncertainty_draw(b->u, b->options->seed, record->sample, draws);
    ao_tableset *copy = NULL;
    ao_model *model = NULL;
    ao_plan *plan = NULL;
    ao_diags diags;
    ao_diags_init(&diags);
    int valid = 0;
    ao_error err = ao_uncertainty_apply(b->u, b->tables, draws, &copy, &valid);
    if (err != AO_NO_ERROR || !valid)
        goto done;
    err = ao_model_build(copy, &model, &diags);
    if (err == AO_ERROR_INPUT || (err == AO_NO_ERROR && model == NULL)) {
        err = AO_NO_ERROR;
        goto done;
    }
    if (err != AO_NO_ERROR)
        goto done;
    if (b->options->arrangement >= 0)
        ao_model_set_arrangement(model, (ao_arrangement)b->options->arrangement);
    for (size_t i = 0; i < s->n_icbs; i++)
        breach[i] = (unsigned char)breaches_budgets(b, model, (int)i, &overspend[i]);
    err = ao_plan_solve(model, &b->plan_options, &plan);
    if (err == AO_ERROR_SOLVER) {
        record->status = AO_SAMPLE_FAILED;
        err = AO_NO_ERROR;
        goto done;
    }
    if (err != AO_NO_ERROR)
        goto done;
    switch (plan->status) {
    case AO_STATUS_OPTIMAL:
        if (plan->max_relative_violation > AO_VERIFY_TOLERANCE) {
            record->status = AO_SAMPLE_FAILED;
            break;
        }
        record->status = AO_SAMPLE_OPTIMAL;
        record->objective = plan->objective;
        record->spend = plan->total_revenue_spend + plan->total_capital_spend;
        break;
    case AO_STATUS_INFEASIBLE:
        record->status = AO_SAMPLE_INFEASIBLE;
        /* How much money the drawn input lacks (rule 18). */
        if (plan->has_funding_gap)
            record->funding_gap = isnan(plan->funding_gap) ? INFINITY : plan->funding_gap;
        break;
    case AO_STATUS_UNBOUNDED:
        record->status = AO_SAMPLE_UNBOUNDED;
        break;
    case AO_STATUS_NOT_SOLVED:
    default:
        record->status = AO_SAMPLE_FAILED;
        break;
    }
done:
    ao_plan_free(plan);
    ao_model_free(model);
    ao_tableset_free(copy);
    ao_diags_free(&diags);
    return err;
}

/* Job k fills record k, drawing into its worker's scratch space. */
static ao_error sample_job(void *context, size_t job, size_t worker)
{
    study_batch *b = context;
    return run_sample(b, job, b->draws + worker * (b->u->n_draws + 1));
}

ao_error ao_study_run(const ao_tableset *tables, const ao_uncertainty *u, const ao_model *model,
                      const ao_plan *baseline, const ao_study_options *options, ao_study **out)
{
    *out = NULL;
    if (tables == NULL || u == NULL || model == NULL || baseline == NULL || options == NULL)
        return AO_ERROR_NULL_PARAMETER;
    if (options->n_samples < 1 || options->n_samples > AO_STUDY_MAX_SAMPLES ||
        options->n_shards < 1 || options->shard < 1 || options->shard > options->n_shards ||
        !ao_breach_tolerance_valid(options->breach_tolerance))
        return AO_ERROR_OPTIONS;
    ao_study *s = calloc(1, sizeof *s);
    if (s == NULL)
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    ao_error err = AO_NO_ERROR;
    s->seed = options->seed;
    s->n_samples = options->n_samples;
    s->shard = options->shard;
    s->n_shards = options->n_shards;
    s->shards_merged = 1;
    s->breach_tolerance = options->breach_tolerance;
    ao_study_fingerprint(tables, options->arrangement, options->plan.solver.kind, s->fingerprint);
    AO_GOTO_ON_ERROR(study_baseline(s, model, baseline), err, fail);

    size_t n_shards = (size_t)options->n_shards, first = (size_t)options->shard - 1;
    s->n_records = first < s->n_samples ? (s->n_samples - first + n_shards - 1) / n_shards : 0;
    s->records = calloc(s->n_records + 1, sizeof *s->records);
    s->breach = calloc(s->n_records * s->n_icbs + 1, 1);
    s->overspend = calloc(s->n_records * s->n_icbs + 1, sizeof *s->overspend);
    AO_GOTO_ON_MEM_ERROR(s->records, err, fail);
    AO_GOTO_ON_MEM_ERROR(s->breach, err, fail);
    AO_GOTO_ON_MEM_ERROR(s->overspend, err, fail);
    for (size_t k = 0; k < s->n_records; k++)
        s->records[k].sample = first + k * n_shards;

    study_batch b = {.tables = tables,
                     .u = u,
                     .base_model = model,
                     .baseline = baseline,
                     .options = options,
                     .plan_options = options->plan,
                     .study = s};
    b.plan_options.lp_path = NULL;
    b.plan_options.keep_basis = 0;
    b.plan_options.warm_start = baseline->basis;
    b.plan_options.ranges = 0;     /* a sample reports no prices */
    b.plan_options.continuity = 0; /* nor activity moved from today's plan */
    b.draws =
        calloc(ao_pool_workers(s->n_records, options->threads) * (u->n_draws + 1), sizeof *b.draws);
    AO_GOTO_ON_MEM_ERROR(b.draws, err, fail);
    err = ao_pool_run(s->n_records, options->threads, sample_job, &b);
    free(b.draws);
    AO_GOTO_ON_ERROR(err, err, fail);
    *out = s;
    return AO_NO_ERROR;

fail:
    ao_study_free(s);
    return err;
}

/* ---- the summary ---- */

double ao_percentile_inc(const double *sorted, size_t n, double p)
{
    if (n == 0)
        return NAN;
    double h = (double)(n - 1) * p;
    size_t low = (size_t)floor(h);
    if (low >= n - 1)
        return sorted[n - 1];
    return sorted[low] + (h - (double)low) * (sorted[low + 1] - sorted[low]);
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Statistics of values (in sample order; sorted in place afterwards). */
static void stats_of(double *values, size_t n, ao_study_stats *out)
{
    out->n = n;
    if (n == 0) {
        out->p10 = out->p50 = out->p90 = out->mean = out->min = out->max = NAN;
        return;
    }
    double sum = 0.0;
    for (size_t k = 0; k < n; k++)
        sum += values[k];
    out->mean = sum / (double)n;
    qsort(values, n, sizeof *values, compare_doubles);
    out->min = values[0];
    out->max = values[n - 1];
    out->p10 = ao_percentile_inc(values, n, 0.10);
    out->p50 = ao_percentile_inc(values, n, 0.50);
    out->p90 = ao_percentile_inc(values, n, 0.90);
}

void ao_study_summary_free(ao_study_summary *summary)
{
    if (summary == NULL)
        return;
    free(summary->breaches);
    free(summary->p_breach);
    free(summary->overspend);
    summary->breaches = NULL;
    summary->p_breach = NULL;
    summary->overspend = NULL;
}

/*
 * The size of each ICB's overspend over the samples with valid input (those the breach
 * probability counts), zeros included, and as a share of the ICB's baseline budgets over
 * the plan. values: scratch space for n_records numbers.
 */
static void overspend_of(const ao_study *study, double *values, ao_overspend_stats *out)
{
    for (size_t i = 0; i < study->n_icbs; i++) {
        ao_overspend_stats *o = &out[i];
        o->budget = study->icb_budgets[i];
        size_t n = 0;
        for (size_t k = 0; k < study->n_records && study->overspend != NULL; k++)
            if (study->records[k].status != AO_SAMPLE_INVALID_INPUT)
                values[n++] = study->overspend[k * study->n_icbs + i];
        qsort(values, n, sizeof *values, compare_doubles);
        o->p50 = ao_percentile_inc(values, n, 0.50);
        o->p90 = ao_percentile_inc(values, n, 0.90);
        o->p50_share = o->budget > 0 ? o->p50 / o->budget : NAN;
        o->p90_share = o->budget > 0 ? o->p90 / o->budget : NAN;
    }
}

ao_error ao_study_summarise(const ao_study *study, ao_study_summary *out)
{
    memset(out, 0, sizeof *out);
    size_t n = study->n_records;
    double *objective = malloc((n + 1) * sizeof *objective);
    double *spend = malloc((n + 1) * sizeof *spend);
    double *gaps = malloc((n + 1) * sizeof *gaps);
    out->breaches = calloc(study->n_icbs + 1, sizeof *out->breaches);
    out->p_breach = calloc(study->n_icbs + 1, sizeof *out->p_breach);
    out->overspend = calloc(study->n_icbs + 1, sizeof *out->overspend);
    if (objective == NULL || spend == NULL || gaps == NULL || out->breaches == NULL ||
        out->p_breach == NULL || out->overspend == NULL) {
        free(objective);
        free(spend);
        free(gaps);
        ao_study_summary_free(out);
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    }
    size_t n_optimal = 0;
    for (size_t k = 0; k < n; k++) {
        const ao_sample_record *r = &study->records[k];
        out->count[r->status < AO_SAMPLE_STATUSES ? r->status : AO_SAMPLE_FAILED]++;
        if (r->status != AO_SAMPLE_INVALID_INPUT) {
            out->n_valid++;
            for (size_t i = 0; i < study->n_icbs; i++)
                out->breaches[i] += study->breach[k * study->n_icbs + i] != 0;
        }
        if (r->status == AO_SAMPLE_OPTIMAL) {
            objective[n_optimal] = r->objective;
            spend[n_optimal] = r->spend;
            n_optimal++;
        }
        if (r->status == AO_SAMPLE_INFEASIBLE && isinf(r->funding_gap))
            out->n_unfixable++;
        else if (r->status == AO_SAMPLE_INFEASIBLE && !isnan(r->funding_gap))
            gaps[out->n_gaps++] = r->funding_gap;
    }
    out->p_infeasible = n > 0 ? (double)out->count[AO_SAMPLE_INFEASIBLE] / (double)n : NAN;
    out->p_invalid = n > 0 ? (double)out->count[AO_SAMPLE_INVALID_INPUT] / (double)n : NAN;
    for (size_t i = 0; i < study->n_icbs; i++)
        out->p_breach[i] = out->n_valid > 0 ? (double)out->breaches[i] / (double)out->n_valid : NAN;
    stats_of(spend, n_optimal, &out->spend);
    stats_of(gaps, out->n_gaps, &out->funding_gap);
    overspend_of(study, spend, out->overspend); /* spend's values are no longer needed */
    /* The histogram, before the values are sorted by stats_of (the counts do not depend
     * on the order). */
    if (n_optimal > 0) {
        double lo = objective[0], hi = objective[0];
        for (size_t k = 1; k < n_optimal; k++) {
            lo = fmin(lo, objective[k]);
            hi = fmax(hi, objective[k]);
        }
        double width = (hi - lo) / AO_HISTOGRAM_BINS;
        out->n_bins = width > 0 ? AO_HISTOGRAM_BINS : 1;
        for (size_t bin = 0; bin <= out->n_bins; bin++)
            out->bin_from[bin] = bin == out->n_bins ? hi : lo + (double)bin * width;
        for (size_t k = 0; k < n_optimal; k++) {
            size_t bin = width > 0 ? (size_t)floor((objective[k] - lo) / width) : 0;
            if (bin >= out->n_bins)
                bin = out->n_bins - 1;
            out->bin_count[bin]++;
        }
    }
    stats_of(objective, n_optimal, &out->objective);
    free(objective);
    free(spend);
    free(gaps);
    return AO_NO_ERROR;
}
