/* allocopt merge PART... -o OUT.xlsx: one study from the partial results of its shards. */
#include <stdio.h>
#include <stdlib.h>

#include "app/outputs.h"
#include "common/diag.h"
#include "cli/headline.h"
#include "report/json_writer.h"
#include "report/partial.h"
#include "report/workbook_writer.h"

/* Read every part and merge them; AO_ERROR_INPUT with an error in diags when they do not
 * fit. */
static ao_error read_and_merge(const cli_options *opt, ao_study **merged, ao_diags *diags)
{
    ao_study **parts = calloc(opt->n_parts, sizeof *parts);
    if (parts == NULL)
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    ao_error err = AO_NO_ERROR;
    for (size_t k = 0; k < opt->n_parts && err == AO_NO_ERROR; k++)
        err = ao_partial_read(opt->parts[k], &parts[k], diags);
    if (err == AO_NO_ERROR)
        err = ao_partial_merge(parts, opt->parts, opt->n_parts, merged, diags);
    for (size_t k = 0; k < opt->n_parts; k++)
        ao_study_free(parts[k]);
    free(parts);
    return err;
}

int cmd_merge(const cli_options *opt)
{
    if (opt->n_parts == 0)
        return cli_usage_error("merge needs the partial results: allocopt merge PART.json... "
                               "-o OUT.xlsx");
    const char *output = opt->output ? opt->output : CLI_DEFAULT_OUTPUT;
    const char *outputs[] = {output, opt->json};
    if (ao_same_file(output, opt->parts, opt->n_parts) ||
        ao_same_file(opt->json, opt->parts, opt->n_parts)) {
        fprintf(stderr, "allocopt: an output file would overwrite a partial result; choose "
                        "another output name.\n");
        return EXIT_USAGE;
    }
    if (cli_check_outputs(opt, outputs, 2) != EXIT_PLAN)
        return EXIT_USAGE;
    ao_diags diags;
    ao_diags_init(&diags);
    ao_study *merged = NULL;
    int code = EXIT_PLAN;
    ao_error err = read_and_merge(opt, &merged, &diags);
    if (err == AO_ERROR_INPUT) {
        const ao_diag *why = diags.count > 0 ? &diags.items[0] : NULL;
        if (why == NULL)
            fprintf(stderr, "allocopt: the partial results do not fit\n");
        else if (why->file != NULL)
            fprintf(stderr, "allocopt: %s: %s\n", why->file, why->message);
        else
            fprintf(stderr, "allocopt: %s\n", why->message);
        code = EXIT_USAGE;
    } else if (err != AO_NO_ERROR) {
        code = cli_fail(err, NULL);
    } else if ((err = ao_workbook_write_study(output, merged)) != AO_NO_ERROR) {
        code = cli_fail(err, "could not write %s", output);
    } else if (opt->json != NULL && (err = ao_json_write_study(opt->json, merged)) != AO_NO_ERROR) {
        code = cli_fail(err, "could not write %s", opt->json);
    } else if (!opt->quiet) {
        printf("%s\n", merged->model_name ? merged->model_name : "allocopt uncertainty study");
        printf("  shards merged      %zu\n", merged->shards_merged);
        cli_print_uncertainty(merged, NULL);
        printf("  results workbook   %s\n", output);
    }
    ao_study_free(merged);
    ao_diags_free(&diags);
    return code;
}
