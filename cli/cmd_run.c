/*
 * allocopt run INPUT (and demo, the same on the bundled example): solve the baseline and
 * the scenarios asked for, optionally an uncertainty study, write the results workbook
 * (or a shard's partial result) and the JSON summary, and print the headline.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli/headline.h"
#include "cli/input.h"
#include "cli/progress.h"
#include "report/json_writer.h"
#include "report/partial.h"
#include "report/workbook_writer.h"
#include "models/verify.h"

/* Refuse outputs that would overwrite an input or a file that is not allocopt's. */
static int check_outputs(const cli_options *opt, const cli_input *in, const char *output)
{
    const char *outputs[] = {output, opt->json, opt->lp};
    size_t n = sizeof outputs / sizeof outputs[0];
    for (size_t k = 0; k < n; k++) {
        if (outputs[k] != NULL && cli_input_is(in, outputs[k])) {
            fprintf(stderr, "allocopt: an output file would overwrite an input file; inputs "
                            "are never modified. Choose another output name.\n");
            return EXIT_USAGE;
        }
    }
    return cli_check_outputs(opt, outputs, n) == EXIT_PLAN ? CLI_CONTINUE : EXIT_USAGE;
}

/* Solve every case, in threads; then check each plan keeps every limit. */
static int solve_cases(const cli_options *opt, cli_input *in, ao_plan_options *plan_options)
{
    ao_plan_options_set_default(plan_options);
    plan_options->solver.verbose = opt->verbose;
    plan_options->solver.on_progress = cli_progress_solver_line;
    plan_options->solver.kind = opt->solver;
    plan_options->lp_path = opt->lp;
    /* The samples start from the baseline's basis, with the same solver settings. */
    plan_options->keep_basis = opt->samples > 0;
    cli_progress_phase(in->n_cases > 1 ? "solving the baseline and scenarios" : "solving");
    const ao_model **models = calloc(in->n_cases, sizeof *models);
    ao_plan **plans = calloc(in->n_cases, sizeof *plans);
    ao_error err = AO_ERROR_MEMORY_MALLOC_FAILED;
    if (models != NULL && plans != NULL) {
        for (size_t k = 0; k < in->n_cases; k++)
            models[k] = in->cases[k].model;
        err = ao_plan_solve_all(models, in->n_cases, plan_options, opt->threads, plans);
        for (size_t k = 0; k < in->n_cases; k++)
            in->cases[k].plan = plans[k];
    }
    free(models);
    free(plans);
    cli_progress_end();
    if (err == AO_ERROR_FILE_WRITE) {
        fprintf(stderr, "allocopt: could not write the LP file %s\n", opt->lp);
        return EXIT_USAGE;
    }
    if (err != AO_NO_ERROR)
        return cli_fail(err, "the solve failed");
    for (size_t k = 0; k < in->n_cases; k++) {
        const ao_plan *p = in->cases[k].plan;
        if (p->status == AO_STATUS_OPTIMAL && p->max_relative_violation > AO_VERIFY_TOLERANCE) {
            fprintf(stderr,
                    "allocopt: the plan for %s breaks a limit by more than the tolerance "
                    "(%s); it is not written.\n",
                    in->cases[k].name, p->worst_violation ? p->worst_violation : "?");
            return EXIT_FAILURE_INTERNAL;
        }
    }
    return CLI_CONTINUE;
}

/* --samples: the uncertainty study, from the baseline's plan. */
static int run_study(const cli_options *opt, const cli_input *in,
                     const ao_plan_options *plan_options, ao_study **study)
{
    cli_progress_phase("solving the uncertainty samples");
    ao_study_options study_options = {
        .seed = opt->seed,
        .n_samples = opt->samples,
        .shard = opt->n_shards > 0 ? opt->shard : 1,
        .n_shards = opt->n_shards > 0 ? opt->n_shards : 1,
        .threads = opt->threads,
        .arrangement = opt->arrangement ? ao_arrangement_parse(opt->arrangement) : -1,
        .plan = *plan_options};
    ao_error err = ao_study_run(in->tables, in->uncertainty, in->cases[0].model, in->cases[0].plan,
                                &study_options, study);
    cli_progress_end();
    if (err == AO_ERROR_MEMORY_MALLOC_FAILED)
        return cli_fail(err, NULL);
    if (err != AO_NO_ERROR) {
        cli_fail(err, "the uncertainty study failed");
        return EXIT_FAILURE_INTERNAL;
    }
    return CLI_CONTINUE;
}

/* The results workbook and, with --json, the summary. */
static int write_results(const cli_options *opt, const cli_input *in, const char *output,
                         ao_study *study, ao_run_timings *timings)
{
    ao_case *cases = calloc(in->n_cases, sizeof *cases);
    if (cases == NULL)
        return cli_fail(AO_ERROR_MEMORY_MALLOC_FAILED, NULL);
    for (size_t k = 0; k < in->n_cases; k++)
        cases[k] = (ao_case){in->cases[k].name, in->cases[k].model, in->cases[k].plan};
    ao_results results = {.tables = in->tables,
                          .input_path = in->label,
                          .n_cases = in->n_cases,
                          .cases = cases,
                          .uncertainty = study,
                          .timings = timings};
    cli_progress_phase("writing the results workbook");
    double write_start = cli_progress_elapsed();
    const char *failed = output;
    ao_error err = ao_workbook_write(output, &results);
    timings->total = cli_progress_elapsed();
    timings->write = timings->total - write_start;
    if (err == AO_NO_ERROR && opt->json != NULL) {
        failed = opt->json;
        err = ao_json_write(opt->json, &results);
    }
    free(cases);
    return err == AO_NO_ERROR ? CLI_CONTINUE : cli_fail(err, "could not write %s", failed);
}

/* The headline, and the exit status for the baseline's outcome. */
static int report(const cli_options *opt, const cli_input *in, const char *output,
                  const ao_study *study)
{
    const ao_plan *plan = in->cases[0].plan;
    if (!opt->quiet) {
        cli_print_headline(in->cases[0].model, plan, opt->n_shards > 0 ? NULL : output);
        cli_print_scenarios(in);
        if (study != NULL)
            cli_print_uncertainty(study, opt->n_shards > 0 ? output : NULL);
    }
    int code = cli_exit_for_status(plan->status);
    if (code == EXIT_INFEASIBLE) {
        /* The reason is the answer to the question asked: it goes to stdout, even
         * with -q, and into the workbook. */
        printf("%s\n", plan->infeasibility ? plan->infeasibility : "No plan meets every limit.");
        fprintf(stderr, "allocopt: no feasible plan; the reason is above and in %s.\n", output);
    } else if (code != EXIT_PLAN) {
        fprintf(stderr, "allocopt: the solver ended with status '%s'.\n",
                ao_solve_status_name(plan->status));
    }
    return code;
}

int cli_solve(const cli_options *opt, int bundled)
{
    cli_input in = {0};
    ao_study *study = NULL;
    ao_run_timings timings = {0};
    ao_plan_options plan_options;
    const char *output = opt->output ? opt->output : CLI_DEFAULT_OUTPUT;
    cli_progress_start(opt->quiet);
    int code = cli_input_load(opt, bundled, &in);
    timings.read = in.read_seconds;
    if (code == CLI_CONTINUE)
        code = check_outputs(opt, &in, output);
    if (code == CLI_CONTINUE) {
        timings.check = cli_progress_elapsed() - timings.read;
        code = solve_cases(opt, &in, &plan_options);
    }
    if (code == CLI_CONTINUE && opt->samples > 0)
        code = run_study(opt, &in, &plan_options, &study);
    if (code == CLI_CONTINUE && opt->n_shards > 0) {
        /* A shard writes its partial result, not a workbook (allocopt merge does). */
        ao_error err = ao_partial_write(output, study);
        if (err != AO_NO_ERROR)
            code = cli_fail(err, "could not write %s", output);
    } else if (code == CLI_CONTINUE) {
        code = write_results(opt, &in, output, study, &timings);
    }
    if (code == CLI_CONTINUE)
        code = report(opt, &in, output, study);
    ao_study_free(study);
    cli_input_free(&in);
    return code;
}

int cmd_run(const cli_options *opt)
{
    if (opt->input == NULL)
        return cli_usage_error("run needs an INPUT folder or workbook");
    if (opt->n_shards > 0) {
        if (opt->samples == 0)
            return cli_usage_error("--shard needs --samples N (the size of the whole study)");
        if (opt->output == NULL)
            return cli_usage_error("--shard writes a partial result: give it with -o "
                                   "PART.json");
        if (opt->json != NULL || opt->n_scenarios > 0 || opt->all_scenarios)
            return cli_usage_error("--shard writes only the partial result: run --json and "
                                   "scenarios without it, or merge the parts with --json");
    }
    return cli_solve(opt, 0);
}
