/* allocopt sweep INPUT --vary WHAT: the efficient frontier, solved point by point. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "app/sweep.h"
#include "cli/cli.h"
#include "report/words.h"

/* The frontier as a table on stdout; whether any point has a plan. */
static int print_frontier(const cli_options *opt, const ao_sweep *sweep, const char *output)
{
    int any_plan = 0;
    if (!opt->quiet)
        printf("%12s  %14s  %-10s  %16s  %9s  %s\n", "value", "varied total", "status", "objective",
               "spec.share", "funding gap");
    for (size_t k = 0; k < sweep->n_points; k++) {
        const ao_sweep_point *p = &sweep->points[k];
        int optimal = p->status == AO_STATUS_OPTIMAL;
        any_plan |= optimal;
        if (opt->quiet)
            continue;
        /* A point without a plan has no objective or share: a dash, never "nan". */
        char objective[32] = "-", share[16] = "-", gap[AO_WORDS_FIGURE] = "";
        if (optimal) {
            snprintf(objective, sizeof objective, "%.6f", p->objective);
            snprintf(share, sizeof share, "%.1f%%", 100.0 * p->specialised_share);
        } else if (p->has_funding_gap) {
            if (isnan(p->funding_gap))
                snprintf(gap, sizeof gap, "%s", AO_WORDS_MONEY_CANNOT);
            else {
                char money[AO_WORDS_FIGURE];
                snprintf(gap, sizeof gap, "%s more", ao_format_money(p->funding_gap, money));
            }
        }
        /* Budgets in money as the workbook shows it (£41.0m), other columns as numbers. */
        char total[AO_WORDS_FIGURE];
        if (strcmp(sweep->table, "budgets") == 0)
            ao_format_money(p->varied_total, total);
        else
            snprintf(total, sizeof total, "%.6g", p->varied_total);
        printf("%12.4g  %14s  %-10s  %16s  %9s  %s\n", p->value, total,
               ao_solve_status_name(p->status), objective, share, gap);
    }
    if (!opt->quiet)
        printf("frontier workbook: %s\n", output);
    return any_plan;
}

/* The exit status of a sweep that stopped, with what went wrong said on stderr. */
static int sweep_failed(const cli_options *opt, const ao_run_sweep_result *result,
                        const char *output)
{
    ao_error err = result->error;
    switch (result->stage) {
    case AO_RUN_SWEEP_READ:
        if (err == AO_ERROR_MEMORY_MALLOC_FAILED)
            return cli_fail(err, NULL);
        return cli_report_input_errors(&result->diags, opt->input, opt->quiet);
    case AO_RUN_SWEEP_OUTPUTS:
        if (result->reason != NULL)
            fprintf(stderr, "allocopt: %s\n", result->reason->message);
        else
            cli_fail(err, NULL);
        return EXIT_USAGE;
    case AO_RUN_SWEEP_SOLVE:
        if (err == AO_ERROR_INPUT)
            return cli_report_input_errors(&result->diags, opt->input, opt->quiet);
        return cli_fail(err, "the sweep failed");
    default:
        return cli_fail(err, "could not write %s", output);
    }
}

int cmd_sweep(const cli_options *opt)
{
    if (opt->input == NULL)
        return cli_usage_error("sweep needs an INPUT folder or workbook");
    if (opt->vary == NULL)
        return cli_usage_error("sweep needs --vary TABLE.COLUMN (e.g. budgets.revenue) or "
                               "--vary settings.KEY");
    if (!(opt->from < opt->to))
        return cli_usage_error("sweep needs --from below --to and 2 to 1000 whole --steps");
    ao_run_sweep_options options;
    ao_run_sweep_options_set_default(&options);
    options.input = opt->input;
    options.vary = opt->vary;
    options.from = opt->from;
    options.to = opt->to;
    options.steps = opt->steps;
    options.solver = opt->solver;
    options.verbose = opt->verbose;
    options.threads = opt->threads;
    options.output = opt->output ? opt->output : CLI_DEFAULT_SWEEP_OUTPUT;
    options.force = opt->force;
    ao_run_sweep_result *result = NULL;
    ao_error err = ao_run_sweep(&options, &result);
    if (result == NULL)
        return cli_fail(err, NULL);
    /* The warnings of a sweep that solved, before anything else is said. */
    if (result->stage >= AO_RUN_SWEEP_WRITE)
        cli_print_diags(&result->diags, opt->quiet);
    int code;
    if (err != AO_NO_ERROR)
        code = sweep_failed(opt, result, options.output);
    else
        code = print_frontier(opt, result->sweep, options.output) ? EXIT_PLAN : EXIT_INFEASIBLE;
    ao_run_sweep_result_free(result);
    return code;
}
