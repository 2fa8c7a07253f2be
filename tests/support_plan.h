/*
 * Helpers shared by the unit tests that solve small models given as CSV text: build,
 * print what validation said, solve, check the plan against MODEL.md, free. Include
 * after cmocka.h.
 */
#ifndef AO_TESTS_SUPPORT_PLAN_H
#define AO_TESTS_SUPPORT_PLAN_H

#include "models/model.h"
#include "models/plan.h"
#include "models/verify.h"
#include "support.h"

/* Build the model of (table, CSV) pairs, printing every problem; the input must be clean.
 * The model keeps a pointer to its tables; support_release() frees both. */
static inline ao_model *support_model(const char *const *pairs)
{
    ao_diags diags;
    ao_diags_init(&diags);
    ao_tableset *tables = support_tables(&diags, pairs);
    assert_non_null(tables);
    ao_model *model = NULL;
    ao_error err = ao_model_build(tables, &model, &diags);
    for (size_t k = 0; k < diags.count; k++) {
        char *line = ao_diag_format(&diags.items[k]);
        print_message("%s\n", line);
        free(line);
    }
    ao_diags_free(&diags);
    assert_int_equal(err, AO_NO_ERROR);
    return model;
}

/* Solve the model of (table, CSV) pairs with options (NULL: defaults); an optimal plan
 * must pass the independent check. */
static inline ao_plan *support_solve(const char *const *pairs, const ao_plan_options *options,
                                     ao_model **model_out)
{
    ao_model *model = support_model(pairs);
    ao_plan *plan = NULL;
    assert_int_equal(ao_plan_solve(model, options, &plan), AO_NO_ERROR);
    if (plan->status == AO_STATUS_OPTIMAL && !(plan->max_relative_violation < AO_VERIFY_TOLERANCE))
        fail_msg("plan breaks a limit: %s", plan->worst_violation);
    *model_out = model;
    return plan;
}

/* Free a plan, its model and the model's tables. */
static inline void support_release(ao_model *model, ao_plan *plan)
{
    ao_tableset *tables = (ao_tableset *)model->tables;
    ao_plan_free(plan);
    ao_model_free(model);
    ao_tableset_free(tables);
}

#endif /* AO_TESTS_SUPPORT_PLAN_H */
