/* allocopt sweep INPUT --vary WHAT: the efficient frontier, solved point by point. */
#include <stdio.h>

#include "app/outputs.h"
#include "cli/cli.h"
#include "io/input.h"
#include "report/sweep_writer.h"
#include "models/sweep.h"

/* The frontier as a table on stdout; whether any point has a plan. */
static int print_frontier(const cli_options *opt, const ao_sweep *sweep, const char *output)
{
    int any_plan = 0;
    if (!opt->quiet)
        printf("%12s  %14s  %-10s  %16s  %9s\n", "value", "varied total", "status", "objective",
               "spec.share");
    for (size_t k = 0; k < sweep->n_points; k++) {
        const ao_sweep_point *p = &sweep->points[k];
        any_plan |= p->status == AO_STATUS_OPTIMAL;
        if (!opt->quiet)
            printf("%12.4g  %14.6g  %-10s  %16.6f  %8.1f%%\n", p->value, p->varied_total,
                   ao_solve_status_name(p->status), p->objective, 100.0 * p->specialised_share);
    }
    if (!opt->quiet)
        printf("frontier workbook: %s\n", output);
    return any_plan;
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
    ao_diags diags;
    ao_diags_init(&diags);
    ao_tableset *tables = NULL;
    ao_sweep *sweep = NULL;
    int code;
    const char *output = opt->output ? opt->output : CLI_DEFAULT_SWEEP_OUTPUT;
    const char *outputs[] = {output};
    ao_error err = ao_input_read(opt->input, &tables, &diags);
    if (err == AO_ERROR_MEMORY_MALLOC_FAILED) {
        code = cli_fail(err, NULL);
        goto done;
    }
    if (err != AO_NO_ERROR || diags.n_errors > 0 || tables == NULL) {
        code = cli_report_input_errors(&diags, opt->input, opt->quiet);
        goto done;
    }
    if (ao_is_input_file(tables, output)) {
        fprintf(stderr, "allocopt: the output would overwrite an input file; inputs are never "
                        "modified. Choose another output name.\n");
        code = EXIT_USAGE;
        goto done;
    }
    if ((code = cli_check_outputs(opt, outputs, 1)) != EXIT_PLAN)
        goto done;
    ao_plan_options plan_options;
    ao_plan_options_set_default(&plan_options);
    plan_options.solver.verbose = opt->verbose;
    plan_options.solver.kind = opt->solver;
    err = ao_sweep_run(tables, opt->vary, opt->from, opt->to, opt->steps, &plan_options,
                       opt->threads, &sweep, &diags);
    if (err == AO_ERROR_INPUT) {
        code = cli_report_input_errors(&diags, opt->input, opt->quiet);
        goto done;
    }
    if (err != AO_NO_ERROR) {
        code = cli_fail(err, "the sweep failed");
        goto done;
    }
    cli_print_diags(&diags, opt->quiet);
    err = ao_sweep_workbook_write(output, sweep);
    if (err != AO_NO_ERROR) {
        code = cli_fail(err, "could not write %s", output);
        goto done;
    }
    code = print_frontier(opt, sweep, output) ? EXIT_PLAN : EXIT_INFEASIBLE;
done:
    ao_sweep_free(sweep);
    ao_tableset_free(tables);
    ao_diags_free(&diags);
    return code;
}
