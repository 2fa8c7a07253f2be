/* allocopt demo: run the bundled example (compiled into the program), as run would. */
#include "cli/cli.h"

int cmd_demo(const cli_options *opt)
{
    if (opt->input != NULL)
        return cli_usage_error("demo takes no INPUT (unexpected '%s')", opt->input);
    return cli_solve(opt, 1);
}
