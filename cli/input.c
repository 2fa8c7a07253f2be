/* Reading and checking the input for run, validate and demo (cli/input.h). */
#include "cli/input.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/progress.h"
#include "common/strutil.h"
#include "io/csv_reader.h"
#include "cli/example_data.h"
#include "io/input.h"
#include "models/scenario.h"

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

/* The scenario names to solve: every one for validate and --all-scenarios, else those
 * given with --scenario. */
static ao_error scenario_list(const cli_options *opt, const ao_tableset *tables, char ***names,
                              size_t *count)
{
    if (opt->all_scenarios || opt->id == CLI_VALIDATE)
        return ao_scenario_names(tables, names, count);
    *count = 0;
    *names = calloc(opt->n_scenarios + 1, sizeof **names);
    if (*names == NULL)
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    for (size_t k = 0; k < opt->n_scenarios; k++) {
        if (((*names)[k] = ao_strdup(opt->scenarios[k])) == NULL)
            return AO_ERROR_MEMORY_MALLOC_FAILED;
        (*count)++;
    }
    return AO_NO_ERROR;
}

/*
 * Apply a scenario and build its model. Its own diagnostics are kept apart so that the
 * baseline's warnings are not repeated; its errors are added to `diags` with a line
 * naming the scenario, since they come from its changes.
 */
static ao_error build_scenario(cli_case *c, const ao_tableset *tables, ao_diags *diags)
{
    ao_diags own;
    ao_diags_init(&own);
    ao_error err = ao_scenario_apply(tables, c->name, &c->tables, &own);
    if (err == AO_NO_ERROR)
        err = ao_model_build(c->tables, &c->model, &own);
    if (own.n_errors > 0) {
        ao_error copied = ao_diags_copy(diags, &own, 1);
        const ao_table *scenarios = ao_tableset_find(tables, "scenarios");
        ao_loc loc = {.file = scenarios ? scenarios->file : tables->source, .table = "scenarios"};
        if (copied == AO_NO_ERROR)
            copied = ao_diags_add(diags, AO_DIAG_ERROR, &loc,
                                  "scenario %s changes the input so that it is no longer "
                                  "valid (the problems are listed above)",
                                  c->name);
        if (copied != AO_NO_ERROR)
            err = copied;
    }
    ao_diags_free(&own);
    return err;
}

/* The baseline's model, then each scenario's. */
static ao_error build_cases(const cli_options *opt, cli_input *in)
{
    char **names = NULL;
    size_t n_names = 0;
    ao_error err = scenario_list(opt, in->tables, &names, &n_names);
    if (err == AO_NO_ERROR && (in->cases = calloc(n_names + 1, sizeof *in->cases)) == NULL)
        err = AO_ERROR_MEMORY_MALLOC_FAILED;
    for (size_t k = 0; err == AO_NO_ERROR && k <= n_names; k++) {
        cli_case *c = &in->cases[in->n_cases++];
        c->name = ao_strdup(k == 0 ? "baseline" : names[k - 1]);
        if (c->name == NULL) {
            err = AO_ERROR_MEMORY_MALLOC_FAILED;
            break;
        }
        err = k == 0 ? ao_model_build(in->tables, &c->model, &in->diags)
                     : build_scenario(c, in->tables, &in->diags);
        if (err == AO_ERROR_INPUT)
            err = AO_NO_ERROR;
        if (k == 0 && c->model == NULL)
            break; /* the scenarios would only repeat the baseline's errors */
        if (c->model != NULL && opt->arrangement != NULL)
            c->model->settings.arrangement = (ao_arrangement)ao_arrangement_parse(opt->arrangement);
    }
    ao_scenario_names_free(names, n_names);
    return err;
}

/* validate checks the uncertainty table; run reads it for --samples. */
static ao_error read_uncertainty(const cli_options *opt, cli_input *in)
{
    int validate = opt->id == CLI_VALIDATE;
    if (!validate && opt->samples == 0)
        return AO_NO_ERROR;
    ao_error err = ao_uncertainty_read(in->tables, &in->uncertainty, &in->diags);
    if (err == AO_NO_ERROR && in->uncertainty == NULL && !validate) {
        ao_loc loc = {.file = in->tables->source, .table = "uncertainty"};
        err = ao_diags_add(&in->diags, AO_DIAG_ERROR, &loc,
                           "--samples needs an uncertainty table saying which inputs are "
                           "uncertain (a file uncertainty.csv, or a sheet uncertainty)");
    }
    return err == AO_ERROR_INPUT ? AO_NO_ERROR : err;
}

int cli_input_load(const cli_options *opt, int bundled, cli_input *in)
{
    ao_diags_init(&in->diags);
    in->label = bundled ? CLI_BUNDLED_EXAMPLE_LABEL : opt->input;
    cli_progress_phase("reading the input");
    ao_error err = bundled ? cli_read_bundled_example(&in->tables, &in->diags)
                           : ao_input_read(opt->input, &in->tables, &in->diags);
    in->read_seconds = cli_progress_elapsed();
    if (err == AO_ERROR_MEMORY_MALLOC_FAILED)
        return cli_fail(err, NULL);
    if (err != AO_NO_ERROR || in->diags.n_errors > 0 || in->tables == NULL)
        return cli_report_input_errors(&in->diags, in->label, opt->quiet);
    cli_progress_phase("checking the input");
    err = build_cases(opt, in);
    if (err == AO_NO_ERROR)
        err = read_uncertainty(opt, in);
    if (err != AO_NO_ERROR)
        return cli_fail(err, NULL);
    if (in->diags.n_errors > 0)
        return cli_report_input_errors(&in->diags, in->label, opt->quiet);
    cli_print_diags(&in->diags, opt->quiet);
    return CLI_CONTINUE;
}

void cli_input_free(cli_input *in)
{
    for (size_t k = 0; k < in->n_cases; k++) {
        free(in->cases[k].name);
        ao_plan_free(in->cases[k].plan);
        ao_model_free(in->cases[k].model);
        ao_tableset_free(in->cases[k].tables);
    }
    free(in->cases);
    ao_uncertainty_free(in->uncertainty);
    ao_tableset_free(in->tables);
    ao_diags_free(&in->diags);
}

int cli_input_is(const cli_input *in, const char *output)
{
    const char *source[] = {in->tables->source};
    if (cli_same_file(output, source, 1))
        return 1;
    for (size_t k = 0; k < in->tables->n_tables; k++) {
        const char *file[] = {in->tables->tables[k]->file};
        if (cli_same_file(output, file, 1))
            return 1;
    }
    return 0;
}
