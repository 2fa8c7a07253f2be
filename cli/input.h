/**
 * @file cli/input.h
 * @brief What run, validate and demo share: read the input (or the bundled example),
 * build the baseline's model and each scenario's, and say what is wrong with them.
 */
#ifndef AO_CLI_INPUT_H
#define AO_CLI_INPUT_H

#include "cli/cli.h"
#include "models/model.h"
#include "models/plan.h"
#include "models/uncertainty.h"

/** One case to solve: the baseline or a scenario, with what it owns. */
typedef struct cli_case {
    char *name;          ///< "baseline" or the scenario's name.
    ao_tableset *tables; ///< Scenario tables (NULL for the baseline, which uses the input's).
    ao_model *model;     ///< Its model.
    ao_plan *plan;       ///< Its plan, once solved.
} cli_case;

/** The input read and checked. Zero-initialise; free with cli_input_free(). */
typedef struct cli_input {
    const char *label;           ///< The input as messages name it.
    ao_diags diags;              ///< Every problem found.
    ao_tableset *tables;         ///< The tables read.
    cli_case *cases;             ///< The baseline, then each scenario asked for.
    size_t n_cases;              ///< Cases built.
    ao_uncertainty *uncertainty; ///< The uncertainty table (validate, or --samples).
    double read_seconds;         ///< Time to read the input.
} cli_input;

/**
 * @brief Read the input and build every model before solving any, so that input errors
 * surface first. validate checks every scenario and the uncertainty table; run and demo
 * the scenarios asked for, and the uncertainty table with --samples.
 * @param[in] bundled Read the bundled example instead of opt->input.
 * @return CLI_CONTINUE, or the exit status after saying what was wrong.
 */
int cli_input_load(const cli_options *opt, int bundled, cli_input *in);

/** @brief Free what cli_input_load() built. */
void cli_input_free(cli_input *in);

/** @brief Whether an output path names one of the input's files (or the input itself). */
int cli_input_is(const cli_input *in, const char *output);

#endif /* AO_CLI_INPUT_H */
