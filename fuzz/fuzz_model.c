/*
 * libFuzzer harness for formulation and solving: the input is a set of tables in
 * fuzz_tables.h's `@name` layout (seeds are generated v2 inputs: collaboratives,
 * contract limits, expansion steps); a model that validates is formulated, checked,
 * and solved with a short time limit, as `allocopt run` does.
 *
 * Checked: every column and row of the formulation names ICBs, services, capacity
 * rows and years inside the model; each contract link row x ≤ U·w carries the
 * metadata of its own x column and has exactly one w; the formulation is the same
 * with and without names; the solve ends with a known status or a solver error, and
 * an optimal plan's activity stays within each ICB's need.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "fuzz.h"
#include "fuzz_tables.h"
#include "common/diag.h"
#include "common/table.h"
#include "models/formulation.h"
#include "models/model.h"
#include "models/plan.h"

/* Models larger than this (ICBs × services × providers × years) are only validated:
 * a fuzzer's time is better spent on many small models than on one large solve. */
#define MAX_MODEL_SIZE 40000

static void check_columns(const ao_model *m, const ao_formulation *f)
{
    int years = m->settings.years;
    for (size_t j = 0; j < f->lp->n_cols; j++) {
        const ao_col_meta *c = &f->cols[j];
        FUZZ_CHECK(c->i >= -1 && c->i < m->n_icbs);
        FUZZ_CHECK(c->s >= -1 && c->s < m->n_services);
        FUZZ_CHECK(c->t >= -1 && c->t < years);
        if (c->kind == AO_COL_X || c->kind == AO_COL_Z || c->kind == AO_COL_STEPS)
            FUZZ_CHECK(c->k >= 0 && c->k < m->n_capacity);
        if (c->kind == AO_COL_CONTRACT)
            FUZZ_CHECK(c->k >= 0 && c->k < m->n_providers && c->i >= 0);
    }
}

/* Each link row: one +1 on an x column whose metadata is the row's, one w column. */
static void check_contract_links(const ao_formulation *f)
{
    const ao_lp *lp = f->lp;
    size_t n_rows = lp->n_rows;
    unsigned char *x_seen = calloc(n_rows + 1, 1), *w_seen = calloc(n_rows + 1, 1);
    if (x_seen == NULL || w_seen == NULL) {
        free(x_seen);
        free(w_seen);
        return;
    }
    for (size_t n = 0; n < lp->n_nz; n++) {
        int r = lp->nz_row[n], j = lp->nz_col[n];
        FUZZ_CHECK(r >= 0 && (size_t)r < n_rows && j >= 0 && (size_t)j < lp->n_cols);
        const ao_row_meta *row = &f->rows[r];
        if (row->group != AO_ROW_CONTRACT_LINK)
            continue;
        const ao_col_meta *c = &f->cols[j];
        if (c->kind == AO_COL_CONTRACT) {
            FUZZ_CHECK(c->i == row->i);
            w_seen[r]++;
            continue;
        }
        FUZZ_CHECK(c->kind == AO_COL_X && lp->nz_val[n] == 1.0);
        FUZZ_CHECK(c->i == row->i && c->s == row->s && c->k == row->k && c->t == row->t);
        x_seen[r]++;
    }
    for (size_t r = 0; r < n_rows; r++)
        if (f->rows[r].group == AO_ROW_CONTRACT_LINK)
            FUZZ_CHECK(x_seen[r] == 1 && w_seen[r] == 1);
    free(x_seen);
    free(w_seen);
}

static void formulate_and_check(const ao_model *m)
{
    ao_formulation *named = NULL, *plain = NULL;
    ao_error a = ao_formulate(m, 1, &named), b = ao_formulate(m, 0, &plain);
    FUZZ_CHECK(a == AO_NO_ERROR || a == AO_ERROR_MEMORY_MALLOC_FAILED);
    FUZZ_CHECK(b == AO_NO_ERROR || b == AO_ERROR_MEMORY_MALLOC_FAILED);
    if (named != NULL && plain != NULL) {
        FUZZ_CHECK(named->lp->n_rows == plain->lp->n_rows);
        FUZZ_CHECK(named->lp->n_cols == plain->lp->n_cols);
        FUZZ_CHECK(named->lp->n_nz == plain->lp->n_nz);
        check_columns(m, named);
        check_contract_links(named);
    }
    ao_formulation_free(named);
    ao_formulation_free(plain);
}

static void solve_briefly(const ao_model *m)
{
    ao_plan_options options;
    ao_plan_options_set_default(&options);
    options.solver.time_limit = 0.5;
    ao_plan *plan = NULL;
    ao_error err = ao_plan_solve(m, &options, &plan);
    FUZZ_CHECK(err == AO_NO_ERROR || err == AO_ERROR_SOLVER ||
               err == AO_ERROR_MEMORY_MALLOC_FAILED);
    if (err == AO_NO_ERROR && plan != NULL && plan->status == AO_STATUS_OPTIMAL) {
        for (size_t k = 0; k < plan->n_alloc; k++) {
            const ao_alloc_line *line = &plan->alloc[k];
            FUZZ_CHECK(isfinite(line->activity) && line->activity >= -1e-6);
            double need = ao_model_need(m, line->i, line->s, line->t);
            FUZZ_CHECK(line->activity <= need + 1e-6 * (1.0 + need));
        }
    }
    ao_plan_free(plan);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ao_diags diags;
    ao_tableset *set = fuzz_tables(data, size, &diags, NULL, NULL);
    if (set == NULL)
        return 0;
    ao_model *model = NULL;
    ao_error err = ao_model_build(set, &model, &diags);
    FUZZ_CHECK(err == AO_NO_ERROR || err == AO_ERROR_INPUT || err == AO_ERROR_MEMORY_MALLOC_FAILED);
    if (model != NULL) {
        double cells = (double)model->n_icbs * model->n_services * (model->n_providers + 1) *
                       model->settings.years;
        if (cells <= MAX_MODEL_SIZE) {
            formulate_and_check(model);
            solve_briefly(model);
        }
    }
    ao_model_free(model);
    ao_tableset_free(set);
    ao_diags_free(&diags);
    return 0;
}
