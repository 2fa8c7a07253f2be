/*
 * The elastic LP: each limit lo ≤ a·x ≤ hi becomes lo ≤ a·x + u − v ≤ hi with
 * u, v ≥ 0 penalised by 1 / |limit|, so the solver moves the fewest limits by the
 * smallest relative amounts. A positive u says a minimum must come down by u; a
 * positive v says a maximum must go up by v.
 */
#include "models/diagnose.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/format.h"
#include "common/strutil.h"
#include "models/formulation.h"

/* How many limits a diagnosis names at most. */
#define AO_DIAGNOSIS_MAX_LINES 20
/* A break smaller than this (relative to the limit) is numerical noise. */
#define AO_DIAGNOSIS_TOLERANCE 1e-7

static int is_money(ao_row_group group)
{
    switch (group) {
    case AO_ROW_CAPITAL:
    case AO_ROW_REVENUE:
    case AO_ROW_SPECIALISED_POOL:
    case AO_ROW_PRIORITY:
    case AO_ROW_SHARE_FLOOR:
    case AO_ROW_RULE:
        return 1;
    default:
        return 0;
    }
}

/* "£3.2m", "£45,000" or "12.5 units". */
static void format_amount(double amount, int money, char out[64])
{
    if (money)
        ao_format_money(amount, out);
    else
        snprintf(out, 64, "%.4g units", amount);
}

static char *sentence_for(const ao_diagnosis_line *line, ao_row_group group)
{
    char amount[64], limit[64];
    format_amount(line->change, line->money, amount);
    format_amount(fabs(line->limit), line->money, limit);
    switch (group) {
    case AO_ROW_REVENUE:
    case AO_ROW_SPECIALISED_POOL:
    case AO_ROW_PRIORITY:
    case AO_ROW_CAPITAL:
        return ao_asprintf("%s: the other limits need %s more than the budget of %s allows",
                           line->description, amount, limit);
    case AO_ROW_NEED:
    case AO_ROW_STANDARD:
        if (line->lower)
            return ao_asprintf("%s: the national standard can only be met with %s less "
                               "activity than it asks for",
                               line->description, amount);
        return ao_asprintf("%s: the other limits need %s more activity than the need",
                           line->description, amount);
    case AO_ROW_CAPACITY:
        return ao_asprintf("%s: %s more capacity is needed", line->description, amount);
    case AO_ROW_MIN_VOLUME:
        return ao_asprintf("%s: the volume falls %s short of the minimum of %s", line->description,
                           amount, limit);
    case AO_ROW_SHARE_FLOOR:
        return ao_asprintf("%s: specialised spend falls %s short of the floor of %s",
                           line->description, amount, limit);
    default:
        return ao_asprintf("%s: the limit of %s must %s by %s", line->description, limit,
                           line->lower ? "come down" : "go up", amount);
    }
}

/* A broken limit before it is put in words. */
typedef struct candidate {
    size_t row;
    int lower;
    double limit, change;
} candidate;

static int by_relative_change(const void *a, const void *b)
{
    const candidate *x = a, *y = b;
    double rx = x->change / fmax(1.0, fabs(x->limit)), ry = y->change / fmax(1.0, fabs(y->limit));
    return (rx < ry) - (rx > ry);
}

ao_error ao_plan_diagnose(const ao_model *model, const ao_solver_options *options, ao_plan *plan)
{
    ao_formulation *f = NULL;
    ao_solver *solver = NULL;
    double *values = NULL;
    int *slack_row = NULL;
    ao_strbuf text = {0};
    AO_RETURN_ON_ERROR(ao_formulate(model, 0, &f));
    ao_lp *lp = f->lp;
    size_t n_rows = lp->n_rows, first_slack = lp->n_cols;
    /* The diagnosis works on the LP relaxation: whole-valued decisions (contracts,
     * expansion steps) may take fractions here. */
    free(lp->col_integer);
    lp->col_integer = NULL;
    lp->n_integer = lp->cap_integer = 0;
    ao_error err = AO_NO_ERROR;

    lp->sense = AO_MINIMISE;
    for (size_t j = 0; j < lp->n_cols; j++)
        lp->obj[j] = 0.0;
    slack_row = malloc((2 * n_rows + 1) * sizeof *slack_row);
    AO_GOTO_ON_MEM_ERROR(slack_row, err, cleanup);
    for (size_t r = 0; r < n_rows; r++) {
        if (f->rows[r].group == AO_ROW_DEFINITION)
            continue;
        double lo = lp->row_lo[r], hi = lp->row_hi[r];
        if (lo > -AO_INF) {
            int u = ao_lp_add_col(lp, NULL, 0.0, AO_INF, 1.0 / fmax(1.0, fabs(lo)));
            if (u < 0 || ao_lp_add_nz(lp, (int)r, u, 1.0) != AO_NO_ERROR) {
                err = AO_ERROR_MEMORY_MALLOC_FAILED;
                goto cleanup;
            }
            slack_row[(size_t)u - first_slack] = (int)r;
        }
        if (hi < AO_INF) {
            int v = ao_lp_add_col(lp, NULL, 0.0, AO_INF, 1.0 / fmax(1.0, fabs(hi)));
            if (v < 0 || ao_lp_add_nz(lp, (int)r, v, -1.0) != AO_NO_ERROR) {
                err = AO_ERROR_MEMORY_MALLOC_FAILED;
                goto cleanup;
            }
            slack_row[(size_t)v - first_slack] = -1 - (int)r;
        }
    }
    ao_solver_options quiet = options ? *options : (ao_solver_options){0};
    if (options == NULL)
        ao_solver_options_set_default(&quiet);
    AO_GOTO_ON_ERROR(ao_solver_new(lp, &quiet, &solver), err, cleanup);
    ao_solve_status status;
    AO_GOTO_ON_ERROR(ao_solver_solve(solver, &status), err, cleanup);
    if (status != AO_STATUS_OPTIMAL)
        goto cleanup;
    values = malloc((lp->n_cols + 1) * sizeof *values);
    plan->diagnosis = calloc(AO_DIAGNOSIS_MAX_LINES + 1, sizeof *plan->diagnosis);
    if (values == NULL || plan->diagnosis == NULL) {
        err = AO_ERROR_MEMORY_MALLOC_FAILED;
        goto cleanup;
    }
    ao_solver_col_values(solver, values);
    /* Keep the largest relative breaks. */
    candidate found[AO_DIAGNOSIS_MAX_LINES + 1];
    size_t n_found = 0;
    for (size_t j = first_slack; j < lp->n_cols; j++) {
        int code = slack_row[j - first_slack];
        candidate c = {.lower = code >= 0};
        c.row = (size_t)(c.lower ? code : -1 - code);
        c.limit = c.lower ? lp->row_lo[c.row] : lp->row_hi[c.row];
        c.change = values[j];
        if (!(c.change > AO_DIAGNOSIS_TOLERANCE * fmax(1.0, fabs(c.limit))))
            continue;
        found[n_found++] = c;
        if (n_found > AO_DIAGNOSIS_MAX_LINES) {
            qsort(found, n_found, sizeof *found, by_relative_change);
            n_found = AO_DIAGNOSIS_MAX_LINES;
        }
    }
    qsort(found, n_found, sizeof *found, by_relative_change);
    /* A budget validation found mistyped explains more than any move the elastic LP
     * finds with it as typed: say so first. */
    int suspects = 0;
    for (int i = 0; i < model->n_icbs; i++)
        for (int t = 0; t < model->settings.years; t++) {
            size_t key = (size_t)i * (size_t)model->settings.years + (size_t)t;
            if (model->revenue_suspect == NULL || !model->revenue_suspect[key])
                continue;
            char year[16], amount[64];
            ao_model_year_label(model, t, year);
            format_amount(model->revenue[key], 1, amount);
            ao_strbuf_printf(&text, "%s%s's revenue for %s (%s)",
                             suspects == 0 ? "Check first: " : ", and ", model->icbs[i].id, year,
                             amount);
            suspects++;
        }
    plan->suspect_budgets = suspects;
    if (suspects > 0)
        ao_strbuf_printf(&text,
                         ": validation warned that %s mistyped (in £k or £m?), and "
                         "correcting %s may be all this plan needs.\n",
                         suspects == 1 ? "it looks" : "they look", suspects == 1 ? "it" : "them");
    ao_strbuf_printf(&text,
                     "No plan meets every limit at once. The smallest changes that "
                     "would make a plan possible%s:",
                     suspects > 0 ? " with the budgets as typed" : "");
    for (size_t k = 0; k < n_found; k++) {
        ao_row_group group = (ao_row_group)f->rows[found[k].row].group;
        ao_diagnosis_line *line = &plan->diagnosis[plan->n_diagnosis++];
        line->limit = found[k].limit;
        line->change = found[k].change;
        line->lower = found[k].lower;
        line->money = is_money(group);
        line->group = ao_strdup(ao_row_group_name(group));
        line->description = ao_formulation_describe_row(f, model, (int)found[k].row);
        if (line->group == NULL || line->description == NULL ||
            (line->sentence = sentence_for(line, group)) == NULL) {
            err = AO_ERROR_MEMORY_MALLOC_FAILED;
            goto cleanup;
        }
        ao_strbuf_printf(&text, "\n  - %s.", line->sentence);
    }
    if (text.failed) {
        err = AO_ERROR_MEMORY_MALLOC_FAILED;
        goto cleanup;
    }
    free(plan->infeasibility);
    plan->infeasibility = text.data;
    text.data = NULL;
cleanup:
    ao_strbuf_free(&text);
    free(values);
    free(slack_row);
    ao_solver_free(solver);
    ao_formulation_free(f);
    return err;
}
