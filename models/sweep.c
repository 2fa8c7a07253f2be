/*
 * Sweeps reuse the scenario path: each point is a changed copy of the input, built and
 * validated like any input, then all points are solved together so that the later ones
 * start from the first one's basis.
 */
#include "models/sweep.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/parse.h"
#include "common/strutil.h"

/* Largest number of points in one sweep. */
#define AO_SWEEP_MAX_STEPS 1000

void ao_sweep_free(ao_sweep *sweep)
{
    if (sweep == NULL)
        return;
    free(sweep->table);
    free(sweep->column);
    free(sweep->points);
    free(sweep->benefit_unit);
    free(sweep);
}

static ao_error complain(ao_diags *diags, const char *fmt, const char *what)
{
    ao_loc loc = {0};
    AO_RETURN_ON_ERROR(ao_diags_add(diags, AO_DIAG_ERROR, &loc, fmt, what));
    return AO_ERROR_INPUT;
}

/* A copy of the tables with the column scaled by factor (or the setting set to value). */
static ao_error changed_copy(const ao_tableset *tables, const ao_sweep *sweep, double value,
                             ao_tableset **out, double *varied_total)
{
    *out = NULL;
    *varied_total = 0.0;
    ao_tableset *copy = ao_tableset_copy(tables);
    if (copy == NULL)
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    ao_table *table = ao_tableset_find(copy, sweep->table);
    char text[40];
    ao_error err = AO_NO_ERROR;
    if (sweep->is_setting) {
        long key_col = ao_table_col(table, "key"), value_col = ao_table_col(table, "value");
        snprintf(text, sizeof text, "%.17g", value);
        *varied_total = value;
        size_t r = 0;
        while (r < table->n_rows && !ao_name_equal(ao_table_cell(table, r, key_col), sweep->column))
            r++;
        if (r < table->n_rows) {
            err = ao_table_set_cell(table, r, value_col, text);
        } else {
            const char **cells = calloc(table->n_cols + 1, sizeof *cells);
            if (cells == NULL) {
                err = AO_ERROR_MEMORY_MALLOC_FAILED;
            } else {
                cells[key_col] = sweep->column;
                cells[value_col] = text;
                err = ao_table_add_row(table, cells,
                                       table->n_rows ? table->row_numbers[table->n_rows - 1] + 1
                                                     : 2);
                free(cells);
            }
        }
    } else {
        long col = ao_table_col(table, sweep->column);
        for (size_t r = 0; r < table->n_rows && err == AO_NO_ERROR; r++) {
            double current;
            if (ao_parse_number(ao_table_cell(table, r, col), &current) != AO_PARSE_OK)
                continue; /* blank or bad cells are left for validation to judge */
            snprintf(text, sizeof text, "%.17g", current * value);
            *varied_total += current * value;
            err = ao_table_set_cell(table, r, col, text);
        }
    }
    if (err != AO_NO_ERROR) {
        ao_tableset_free(copy);
        return err;
    }
    *out = copy;
    return AO_NO_ERROR;
}

ao_error ao_sweep_run(const ao_tableset *tables, const char *what, double from, double to,
                      int steps, const ao_plan_options *options, int n_threads, ao_sweep **out,
                      ao_diags *diags)
{
    *out = NULL;
    if (steps < 2 || steps > AO_SWEEP_MAX_STEPS || !isfinite(from) || !isfinite(to) ||
        !(from < to))
        return AO_ERROR_OPTIONS;
    const char *dot = what ? strchr(what, '.') : NULL;
    if (dot == NULL || dot == what || dot[1] == '\0')
        return complain(diags, "--vary takes TABLE.COLUMN (for example budgets.revenue) or "
                               "settings.KEY, not '%s'",
                        what ? what : "");
    ao_sweep *sweep = calloc(1, sizeof *sweep);
    if (sweep == NULL)
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    ao_error err = AO_NO_ERROR;
    ao_tableset **copies = NULL;
    ao_model **models = NULL;
    ao_plan **plans = NULL;
    sweep->table = ao_strndup(what, (size_t)(dot - what));
    sweep->column = ao_strdup(dot + 1);
    sweep->points = calloc((size_t)steps, sizeof *sweep->points);
    copies = calloc((size_t)steps, sizeof *copies);
    models = calloc((size_t)steps, sizeof *models);
    plans = calloc((size_t)steps, sizeof *plans);
    if (!sweep->table || !sweep->column || !sweep->points || !copies || !models || !plans) {
        err = AO_ERROR_MEMORY_MALLOC_FAILED;
        goto cleanup;
    }
    sweep->n_points = (size_t)steps;
    sweep->is_setting = ao_name_equal(sweep->table, "settings");
    const ao_table *table = ao_tableset_find(tables, sweep->table);
    if (table == NULL) {
        err = complain(diags, "--vary names table '%s', which is not in the input",
                       sweep->table);
        goto cleanup;
    }
    if (!sweep->is_setting && ao_table_col(table, sweep->column) < 0) {
        err = complain(diags, "--vary names column '%s', which is not in that table",
                       sweep->column);
        goto cleanup;
    }
    size_t errors_before = diags->n_errors;
    for (int k = 0; k < steps && !err; k++) {
        double value = from + (to - from) * k / (steps - 1);
        sweep->points[k].value = value;
        err = changed_copy(tables, sweep, value, &copies[k], &sweep->points[k].varied_total);
        if (err == AO_NO_ERROR) {
            err = ao_model_build(copies[k], &models[k], diags);
            if (err == AO_ERROR_INPUT)
                err = AO_NO_ERROR; /* reported; stop after building every point */
        }
    }
    if (err == AO_NO_ERROR && diags->n_errors > errors_before)
        err = AO_ERROR_INPUT;
    if (err != AO_NO_ERROR)
        goto cleanup;
    sweep->objective_is_cost = models[0]->settings.objective == AO_OBJECTIVE_COST;
    sweep->benefit_unit = ao_strdup(models[0]->settings.benefit_unit);
    ao_plan_options point_options;
    if (options != NULL)
        point_options = *options;
    else
        ao_plan_options_set_default(&point_options);
    point_options.lp_path = NULL;
    AO_GOTO_ON_ERROR(ao_plan_solve_all((const ao_model *const *)models, (size_t)steps,
                                       &point_options, n_threads, plans),
                     err, cleanup);
    for (int k = 0; k < steps; k++) {
        ao_sweep_point *p = &sweep->points[k];
        p->status = plans[k]->status;
        p->objective = plans[k]->status == AO_STATUS_OPTIMAL ? plans[k]->objective : NAN;
        p->total_revenue_spend = plans[k]->total_revenue_spend;
        p->total_capital_spend = plans[k]->total_capital_spend;
        p->specialised_share = plans[k]->specialised_share;
        p->has_funding_gap = plans[k]->has_funding_gap;
        p->funding_gap = plans[k]->funding_gap;
    }
cleanup:
    for (int k = 0; k < steps && copies && models && plans; k++) {
        ao_plan_free(plans[k]);
        ao_model_free(models[k]);
        ao_tableset_free(copies[k]);
    }
    free(copies);
    free(models);
    free(plans);
    if (err != AO_NO_ERROR) {
        ao_sweep_free(sweep);
        return err;
    }
    *out = sweep;
    return AO_NO_ERROR;
}
