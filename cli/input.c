/* The input as the program shows it: its problems, and the bundled example. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/example_data.h"
#include "common/strutil.h"
#include "io/csv_reader.h"

void cli_print_diags(const ao_diags *diags, int quiet)
{
    for (size_t k = 0; k < diags->count; k++) {
        if (quiet && diags->items[k].severity == AO_DIAG_WARNING)
            continue;
        char *line = ao_diag_format(&diags->items[k]);
        fprintf(stderr, "%s\n", line ? line : "(out of memory)");
        free(line);
    }
    if (diags->dropped > 0)
        fprintf(stderr, "... and %zu more problems not shown.\n", diags->dropped);
}

int cli_report_input_errors(const ao_diags *diags, const char *what, int quiet)
{
    cli_print_diags(diags, quiet);
    fprintf(stderr, "%s: %zu error%s, %zu warning%s; nothing was solved.\n", what, diags->n_errors,
            diags->n_errors == 1 ? "" : "s", diags->n_warnings, diags->n_warnings == 1 ? "" : "s");
    return EXIT_USAGE;
}

ao_error cli_read_bundled_example(ao_tableset **out, ao_diags *diags)
{
    ao_tableset *set = ao_tableset_new(CLI_BUNDLED_EXAMPLE_LABEL);
    if (set == NULL)
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    for (size_t k = 0; k < ao_example_file_count; k++) {
        const ao_embedded_file *file = &ao_example_files[k];
        char *name = ao_strdup(file->name);
        if (name == NULL) {
            ao_tableset_free(set);
            return AO_ERROR_MEMORY_MALLOC_FAILED;
        }
        char *dot = strrchr(name, '.');
        if (dot != NULL)
            *dot = '\0';
        ao_table *table = NULL;
        ao_error err =
            ao_csv_read_buffer(file->data, file->length, name, file->name, &table, diags);
        free(name);
        if (err == AO_NO_ERROR && table != NULL)
            err = ao_tableset_add(set, table);
        if (err != AO_NO_ERROR) {
            ao_tableset_free(set);
            return err;
        }
    }
    *out = set;
    return AO_NO_ERROR;
}
