/* A whole sweep: read, check the output, solve every point, write the frontier. */
#include "app/sweep.h"

#include <stdlib.h>

#include "app/outputs.h"
#include "io/input.h"
#include "models/plan.h"
#include "report/sweep_writer.h"

void ao_run_sweep_options_set_default(ao_run_sweep_options *options)
{
    *options = (ao_run_sweep_options){.from = 0.8,
                                      .to = 1.2,
                                      .steps = 9,
                                      .solver = AO_SOLVER_AUTO,
                                      .threads = 1,
                                      .output = AO_RUN_SWEEP_DEFAULT_OUTPUT};
}

void ao_run_sweep_result_free(ao_run_sweep_result *result)
{
    if (result == NULL)
        return;
    ao_sweep_free(result->sweep);
    ao_tableset_free(result->tables);
    ao_diags_free(&result->diags);
    free(result);
}

/* Stop with err at the result's stage. */
static ao_error stop(ao_run_sweep_result *result, ao_error err)
{
    result->error = err;
    return err;
}

/* Refuse an output that would overwrite an input or a file that is not allocopt's. */
static ao_error check_output(const ao_run_sweep_options *options, ao_run_sweep_result *result)
{
    ao_error err = AO_NO_ERROR;
    size_t before = result->diags.count;
    if (ao_is_input_file(result->tables, options->output)) {
        err = ao_diags_add(&result->diags, AO_DIAG_ERROR, NULL,
                           "the output would overwrite an input file; inputs are never "
                           "modified. Choose another output name.");
        if (err == AO_NO_ERROR)
            err = AO_ERROR_OPTIONS;
    } else {
        const char *outputs[] = {options->output};
        err = ao_outputs_check(outputs, 1, options->force, &result->diags);
    }
    if (err != AO_NO_ERROR && result->diags.count > before)
        result->reason = &result->diags.items[result->diags.count - 1];
    return err;
}

ao_error ao_run_sweep(const ao_run_sweep_options *options, ao_run_sweep_result **out)
{
    ao_run_sweep_result *result = calloc(1, sizeof *result);
    *out = result;
    if (result == NULL)
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    ao_diags_init(&result->diags);
    if (options == NULL || options->input == NULL || options->vary == NULL ||
        options->output == NULL)
        return stop(result, AO_ERROR_NULL_PARAMETER);

    result->stage = AO_RUN_SWEEP_READ;
    ao_error err = ao_input_read(options->input, &result->tables, &result->diags);
    if (err == AO_NO_ERROR && (result->diags.n_errors > 0 || result->tables == NULL))
        err = AO_ERROR_INPUT;
    if (err != AO_NO_ERROR)
        return stop(result, err);

    result->stage = AO_RUN_SWEEP_OUTPUTS;
    if ((err = check_output(options, result)) != AO_NO_ERROR)
        return stop(result, err);

    result->stage = AO_RUN_SWEEP_SOLVE;
    ao_plan_options plan_options;
    ao_plan_options_set_default(&plan_options);
    plan_options.solver.verbose = options->verbose;
    plan_options.solver.kind = options->solver;
    err = ao_sweep_run(result->tables, options->vary, options->from, options->to, options->steps,
                       &plan_options, options->threads, &result->sweep, &result->diags);
    if (err != AO_NO_ERROR)
        return stop(result, err);

    result->stage = AO_RUN_SWEEP_WRITE;
    if ((err = ao_sweep_workbook_write(options->output, result->sweep)) != AO_NO_ERROR)
        return stop(result, err);
    result->stage = AO_RUN_SWEEP_DONE;
    return AO_NO_ERROR;
}
