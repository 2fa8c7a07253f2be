/*
 * The funding gap (MODEL.md rule 18): the model's LP with an extra revenue u_it ≥ 0 for
 * every ICB and year wherever its revenue appears (models/formulate.c), minimising Σ u.
 */
#include "models/funding_gap.h"

#include <math.h>
#include <stdlib.h>

#include "models/formulation.h"

ao_error ao_plan_funding_gap(const ao_model *m, const ao_solver_options *options, ao_plan *plan)
{
    ao_formulation *f = NULL;
    ao_solver *solver = NULL;
    double *values = NULL;
    ao_error err = ao_formulate_funding_gap(m, 0, &f);
    if (err != AO_NO_ERROR)
        return err;
    ao_solver_options settings;
    if (options != NULL)
        settings = *options;
    else
        ao_solver_options_set_default(&settings);
    settings.mip_gap = m->settings.mip_gap;
    AO_GOTO_ON_ERROR(ao_solver_new(f->lp, &settings, &solver), err, cleanup);
    ao_solve_status status;
    AO_GOTO_ON_ERROR(ao_solver_solve(solver, &status), err, cleanup);
    plan->has_funding_gap = 1;
    plan->funding_gap = NAN;
    if (status == AO_STATUS_INFEASIBLE)
        goto cleanup; /* money alone cannot make a plan */
    if (status != AO_STATUS_OPTIMAL) {
        err = AO_ERROR_SOLVER;
        goto cleanup;
    }
    size_t n_it = (size_t)m->n_icbs * (size_t)m->settings.years;
    values = malloc((f->lp->n_cols + 1) * sizeof *values);
    plan->funding_gap_by = calloc(n_it + 1, sizeof *plan->funding_gap_by);
    AO_GOTO_ON_MEM_ERROR(values, err, cleanup);
    AO_GOTO_ON_MEM_ERROR(plan->funding_gap_by, err, cleanup);
    ao_solver_col_values(solver, values);
    double total = 0.0;
    for (size_t it = 0; it < n_it; it++) {
        /* Pennies of numerical noise are no gap. */
        double u = values[f->gap_col[it]];
        plan->funding_gap_by[it] = u > 0.005 ? u : 0.0;
        total += plan->funding_gap_by[it];
    }
    plan->funding_gap = total;
cleanup:
    free(values);
    ao_solver_free(solver);
    ao_formulation_free(f);
    if (err != AO_NO_ERROR)
        plan->has_funding_gap = 0;
    return err;
}
