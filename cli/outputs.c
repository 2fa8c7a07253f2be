/* No lost work: which existing files an output may replace (docs/cli.md). */
#include <stdio.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "io/output_owner.h"

int cli_check_outputs(const cli_options *opt, const char *const *paths, size_t n_paths)
{
    if (opt->force)
        return EXIT_PLAN;
    for (size_t k = 0; k < n_paths; k++) {
        switch (ao_output_owner_of(paths[k])) {
        case AO_OUTPUT_ABSENT:
        case AO_OUTPUT_ALLOCOPT:
            break;
        case AO_OUTPUT_TEMPLATE:
            fprintf(stderr,
                    "allocopt: %s exists and is an input workbook from allocopt template, "
                    "perhaps filled in since; use --force to replace it\n",
                    paths[k]);
            return EXIT_USAGE;
        case AO_OUTPUT_OTHER:
            fprintf(stderr,
                    "allocopt: %s exists and is not an allocopt output; use --force to "
                    "replace it\n",
                    paths[k]);
            return EXIT_USAGE;
        }
    }
    return EXIT_PLAN;
}

int cli_same_file(const char *path, const char *const *others, size_t n_others)
{
    struct stat st;
    if (path == NULL || stat(path, &st) != 0)
        return 0;
    for (size_t k = 0; k < n_others; k++) {
        struct stat other;
        if (others[k] != NULL && stat(others[k], &other) == 0 && other.st_dev == st.st_dev &&
            other.st_ino == st.st_ino)
            return 1;
    }
    return 0;
}
