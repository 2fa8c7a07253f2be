/* allocopt validate INPUT: check the input, every scenario and the uncertainty table. */
#include <stdio.h>

#include "cli/input.h"
#include "cli/progress.h"

int cmd_validate(const cli_options *opt)
{
    if (opt->input == NULL)
        return cli_usage_error("validate needs an INPUT folder or workbook");
    cli_input in = {0};
    cli_progress_start(opt->quiet);
    int code = cli_input_load(opt, 0, &in);
    if (code == CLI_CONTINUE) {
        if (!opt->quiet)
            printf("%s: no errors, %zu warning%s. Ready to run.\n", in.label, in.diags.n_warnings,
                   in.diags.n_warnings == 1 ? "" : "s");
        code = EXIT_PLAN;
    }
    cli_input_free(&in);
    return code;
}
