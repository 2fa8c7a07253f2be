/* allocopt template OUT.xlsx: an input workbook to fill in (--example: filled in). */
#include <stdio.h>

#include "cli/cli.h"
#include "report/template.h"

int cmd_template(const cli_options *opt)
{
    if (opt->input == NULL)
        return cli_usage_error("template needs the workbook to write, e.g. allocopt template "
                               "book.xlsx");
    /* A template already there may hold an analyst's figures: only --force replaces it. */
    const char *outputs[] = {opt->input};
    if (cli_check_outputs(opt, outputs, 1) != EXIT_PLAN)
        return EXIT_USAGE;
    ao_diags diags;
    ao_diags_init(&diags);
    ao_tableset *example = NULL;
    ao_error err = AO_NO_ERROR;
    if (opt->example) {
        err = cli_read_bundled_example(&example, &diags);
        if (err == AO_NO_ERROR && diags.n_errors > 0)
            err = AO_ERROR_INTERNAL;
    }
    if (err == AO_NO_ERROR)
        err = ao_template_write(opt->input, example);
    ao_tableset_free(example);
    ao_diags_free(&diags);
    if (err != AO_NO_ERROR)
        return cli_fail(err, "could not write %s", opt->input);
    if (!opt->quiet)
        printf("Input workbook written to %s. Fill it in, then run:\n"
               "  allocopt validate %s\n  allocopt run %s -o results.xlsx\n",
               opt->input, opt->input, opt->input);
    return EXIT_PLAN;
}
