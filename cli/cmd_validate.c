/* allocopt validate INPUT: check the input, every scenario and the uncertainty table. */
#include <stdio.h>

#include "app/run.h"
#include "cli/cli.h"
#include "cli/progress.h"

static void on_stage(void *context, ao_run_stage stage, const ao_run_result *run)
{
    (void)context;
    (void)run;
    if (stage == AO_RUN_READ)
        cli_progress_phase("reading the input");
    else if (stage == AO_RUN_CHECK)
        cli_progress_phase("checking the input");
}

int cmd_validate(const cli_options *opt)
{
    if (opt->input == NULL)
        return cli_usage_error("validate needs an INPUT folder or workbook");
    ao_run_options options;
    ao_run_options_set_default(&options);
    options.input = opt->input;
    options.arrangement = opt->arrangement;
    options.on_stage = on_stage;
    cli_progress_start(opt->quiet);
    ao_run_result *run = NULL;
    ao_error err = ao_run_check(&options, 1, &run);
    int code;
    if (run == NULL || err == AO_ERROR_MEMORY_MALLOC_FAILED ||
        (err != AO_NO_ERROR && err != AO_ERROR_INPUT && run->stage == AO_RUN_CHECK)) {
        code = cli_fail(err, NULL);
    } else if (err != AO_NO_ERROR) {
        code = cli_report_input_errors(&run->diags, run->label, opt->quiet);
    } else {
        cli_print_diags(&run->diags, opt->quiet);
        if (!opt->quiet)
            printf("%s: no errors, %zu warning%s. Ready to run.\n", run->label,
                   run->diags.n_warnings, run->diags.n_warnings == 1 ? "" : "s");
        code = EXIT_PLAN;
    }
    ao_run_result_free(run);
    return code;
}
