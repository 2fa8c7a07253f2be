/* No lost work: which existing files an output may replace (docs/cli.md, app/outputs.h). */
#include <stdio.h>

#include "app/outputs.h"
#include "cli/cli.h"

int cli_check_outputs(const cli_options *opt, const char *const *paths, size_t n_paths)
{
    ao_diags diags;
    ao_diags_init(&diags);
    ao_error err = ao_outputs_check(paths, n_paths, opt->force, &diags);
    if (err != AO_NO_ERROR && diags.count > 0)
        fprintf(stderr, "allocopt: %s\n", diags.items[diags.count - 1].message);
    else if (err != AO_NO_ERROR)
        cli_fail(err, NULL);
    ao_diags_free(&diags);
    return err == AO_NO_ERROR ? EXIT_PLAN : EXIT_USAGE;
}
