/*
 * Solving a baseline and its scenarios. The baseline goes first, alone, so its
 * optimal basis can warm-start every scenario; the scenarios then share out among
 * the workers of the pool (models/pool.h). Each solve depends only on its model and
 * that one basis, so the plans are the same whatever the number of threads.
 */
#include <stdlib.h>

#include "models/plan.h"
#include "models/pool.h"

typedef struct batch {
    const ao_model *const *models; ///< models[0] is the baseline, solved before.
    ao_plan_options options;       ///< For the scenarios (warm start set, no LP export).
    ao_plan **plans;
} batch;

/* Job k solves scenario k + 1. */
static ao_error solve_scenario(void *context, size_t job, size_t worker)
{
    (void)worker;
    batch *b = context;
    return ao_plan_solve(b->models[job + 1], &b->options, &b->plans[job + 1]);
}

ao_error ao_plan_solve_all(const ao_model *const *models, size_t n,
                           const ao_plan_options *options, int n_threads, ao_plan **plans)
{
    for (size_t k = 0; k < n; k++)
        plans[k] = NULL;
    if (n == 0)
        return AO_NO_ERROR;
    ao_plan_options first;
    if (options != NULL)
        first = *options;
    else
        ao_plan_options_set_default(&first);
    /* Kept for the scenarios, and for whoever asked (an uncertainty study). */
    first.keep_basis = first.keep_basis || n > 1;
    AO_RETURN_ON_ERROR(ao_plan_solve(models[0], &first, &plans[0]));

    batch b = {.models = models, .options = first, .plans = plans};
    b.options.lp_path = NULL;
    b.options.keep_basis = 0;
    b.options.warm_start = plans[0]->basis;
    ao_error err = ao_pool_run(n - 1, n_threads, solve_scenario, &b);
    if (err != AO_NO_ERROR) {
        for (size_t k = 0; k < n; k++) {
            ao_plan_free(plans[k]);
            plans[k] = NULL;
        }
    }
    return err;
}
