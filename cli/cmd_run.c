/*
 * allocopt run INPUT (and demo, the same on the bundled example): the options become an
 * ao_run (app/run.h), which solves and writes; this prints the headline and what went
 * wrong, and maps the outcome to an exit status.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <stdlib.h>

#include "app/run.h"
#include "cli/headline.h"
#include "cli/progress.h"

/* Progress on stderr as the run moves from stage to stage. */
typedef struct run_progress {
    const cli_options *opt;
} run_progress;

static void on_stage(void *context, ao_run_stage stage, const ao_run_result *run)
{
    const run_progress *progress = context;
    switch (stage) {
    case AO_RUN_READ:
        cli_progress_phase("reading the input");
        break;
    case AO_RUN_CHECK:
        cli_progress_phase("checking the input");
        break;
    case AO_RUN_OUTPUTS:
        /* The input is usable: its warnings are shown before the solve. */
        cli_print_diags(&run->diags, progress->opt->quiet);
        break;
    case AO_RUN_SOLVE:
        cli_progress_phase(run->n_cases > 1 ? "solving the baseline and scenarios" : "solving");
        break;
    case AO_RUN_STUDY:
        cli_progress_phase("solving the uncertainty samples");
        break;
    case AO_RUN_WRITE:
        cli_progress_end();
        /* A shard writes its partial result, not a workbook (allocopt merge does). */
        if (progress->opt->n_shards == 0)
            cli_progress_phase("writing the results workbook");
        break;
    case AO_RUN_VERIFY:
    case AO_RUN_DONE:
        cli_progress_end();
        break;
    }
}

static ao_error read_bundled(void *context, ao_tableset **out, ao_diags *diags)
{
    (void)context;
    return cli_read_bundled_example(out, diags);
}

/* Why the run stopped, said once, and the exit status for it. */
static int report_stop(const cli_options *opt, const ao_run_result *run)
{
    ao_error err = run->error;
    const char *reason = run->reason ? run->reason->message : NULL;
    switch (run->stage) {
    case AO_RUN_READ:
    case AO_RUN_CHECK:
        if (err == AO_ERROR_MEMORY_MALLOC_FAILED ||
            (run->stage == AO_RUN_CHECK && err != AO_ERROR_INPUT) || run->label == NULL)
            return reason ? cli_fail(err, "%s", reason) : cli_fail(err, NULL);
        return cli_report_input_errors(&run->diags, run->label, opt->quiet);
    case AO_RUN_OUTPUTS:
    case AO_RUN_VERIFY:
        if (reason == NULL)
            return cli_fail(err, NULL);
        fprintf(stderr, "allocopt: %s\n", reason);
        return run->stage == AO_RUN_OUTPUTS ? EXIT_USAGE : EXIT_FAILURE_INTERNAL;
    case AO_RUN_SOLVE:
        if (err == AO_ERROR_FILE_WRITE && reason != NULL) {
            fprintf(stderr, "allocopt: %s\n", reason);
            return EXIT_USAGE;
        }
        return reason ? cli_fail(err, "%s", reason) : cli_fail(err, NULL);
    case AO_RUN_STUDY:
        if (err == AO_ERROR_MEMORY_MALLOC_FAILED || reason == NULL)
            return cli_fail(err, NULL);
        cli_fail(err, "%s", reason);
        return EXIT_FAILURE_INTERNAL;
    case AO_RUN_WRITE:
    case AO_RUN_DONE:
        break;
    }
    return reason ? cli_fail(err, "%s", reason) : cli_fail(err, NULL);
}

/* The headline, and the exit status for the baseline's outcome. */
static int report(const cli_options *opt, const ao_run_result *run, const char *output)
{
    const ao_plan *plan = run->cases[0].plan;
    if (!opt->quiet) {
        cli_print_headline(run->cases[0].model, plan, opt->n_shards > 0 ? NULL : output);
        cli_print_scenarios(run);
        if (run->study != NULL)
            cli_print_uncertainty(run->study, opt->n_shards > 0 ? output : NULL);
    }
    int code = cli_exit_for_status(plan->status);
    if (code == EXIT_INFEASIBLE) {
        /* The reason is the answer to the question asked: it goes to stdout, even
         * with -q, and into the workbook. */
        printf("%s\n", plan->infeasibility ? plan->infeasibility : "No plan meets every limit.");
        cli_print_funding_gap(plan);
        fprintf(stderr, "allocopt: no feasible plan; the reason is above and in %s.\n", output);
    } else if (code != EXIT_PLAN) {
        fprintf(stderr, "allocopt: the solver ended with status '%s'.\n",
                ao_solve_status_name(plan->status));
    }
    return code;
}

int cli_solve(const cli_options *opt, int bundled)
{
    if (opt->breach_tolerance_given && opt->samples == 0)
        return cli_usage_error("--breach-tolerance applies to an uncertainty study: give "
                               "--samples N too");
    run_progress progress = {.opt = opt};
    ao_run_options options;
    ao_run_options_set_default(&options);
    options.input = opt->input;
    if (bundled) {
        options.read = read_bundled;
        options.label = CLI_BUNDLED_EXAMPLE_LABEL;
    }
    options.all_scenarios = opt->all_scenarios;
    options.n_scenarios = opt->n_scenarios;
    options.scenarios = opt->scenarios;
    options.arrangement = opt->arrangement;
    options.solver = opt->solver;
    options.verbose = opt->verbose;
    options.threads = opt->threads;
    options.samples = opt->samples;
    options.seed = opt->seed;
    options.shard = opt->shard;
    options.n_shards = opt->n_shards;
    options.breach_tolerance = opt->breach_tolerance;
    if (opt->output != NULL)
        options.output = opt->output;
    options.json = opt->json;
    options.lp = opt->lp;
    options.force = opt->force;
    options.on_stage = on_stage;
    options.on_solver_line = cli_progress_solver_line;
    options.progress_context = &progress;

    cli_progress_start(opt->quiet);
    ao_run_result *run = NULL;
    ao_error err = ao_run(&options, &run);
    cli_progress_end();
    int code;
    if (run == NULL)
        code = cli_fail(err, NULL);
    else if (err != AO_NO_ERROR)
        code = report_stop(opt, run);
    else
        code = report(opt, run, options.output);
    ao_run_result_free(run);
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
        /* A partial result is JSON: a name that says workbook would mislead whoever opens
         * it in Excel. */
        size_t n = strlen(opt->output);
        if (n >= 5 && (strcasecmp(opt->output + n - 5, ".xlsx") == 0 ||
                       strcasecmp(opt->output + n - 4, ".xls") == 0 ||
                       strcasecmp(opt->output + n - 4, ".csv") == 0))
            return cli_usage_error("--shard writes a partial result in JSON, not a workbook: "
                                   "name it PART.json (allocopt merge makes the workbook)");
    }
    return cli_solve(opt, 0);
}
