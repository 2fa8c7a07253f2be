/**
 * @file cli/options.h
 * @brief The one table of command-line options: parsed with getopt_long, and printed as
 * `--help`, the man page and the bash completion (cli/help.c), so that none of them is a
 * copy to keep in step by hand.
 */
#ifndef AO_CLI_OPTIONS_H
#define AO_CLI_OPTIONS_H

#include <stdio.h>

#include "cli/cli.h"

/** What an option's argument is: how it is completed, and checked. */
typedef enum cli_arg_kind {
    CLI_ARG_NONE = 0, ///< A switch: no argument.
    CLI_ARG_TEXT,     ///< Free text (a name, a number).
    CLI_ARG_CHOICE,   ///< One of the words `choice` gives.
    CLI_ARG_OUTPUT,   ///< A file written: a workbook (.xlsx), or a partial result (.json).
    CLI_ARG_JSON,     ///< A .json file.
    CLI_ARG_LP        ///< An .lp file.
} cli_arg_kind;

/** Which option (the switch in cli/options.c). */
typedef enum cli_option_id {
    OPT_OUTPUT,
    OPT_JSON,
    OPT_LP,
    OPT_ARRANGEMENT,
    OPT_SCENARIO,
    OPT_ALL_SCENARIOS,
    OPT_SAMPLES,
    OPT_SEED,
    OPT_BREACH_TOLERANCE,
    OPT_SHARD,
    OPT_SOLVER,
    OPT_JOBS,
    OPT_VARY,
    OPT_FROM,
    OPT_TO,
    OPT_STEPS,
    OPT_EXAMPLE,
    OPT_FORCE,
    OPT_QUIET,
    OPT_VERBOSE,
    OPT_HELP,
    OPT_VERSION,
    OPT_HELP_MAN,
    OPT_HELP_COMPLETION,
    OPT_COUNT
} cli_option_id;

/** One option. */
typedef struct cli_option {
    cli_option_id id;             ///< Which.
    const char *name;             ///< Long name, without "--".
    char short_name;              ///< Short name, or 0.
    const char *argument;         ///< Its argument as help shows it ("FILE"), NULL for a switch.
    cli_arg_kind kind;            ///< What the argument is.
    const char *(*choice)(int k); ///< CLI_ARG_CHOICE: the k-th word, NULL after the last.
    unsigned commands;            ///< The commands accepting it (cli_command_id bits); 0: hidden.
    const char *help;             ///< What it does.
} cli_option;

/** The options, in the order help lists them, ending with a NULL name. */
extern const cli_option cli_option_table[];

/**
 * @brief Read the command line into `opt`.
 * @param[out] opt Filled in; its scenarios and parts must have room for argc entries.
 * @return CLI_CONTINUE when the command should run, or the exit status when the program
 * should stop here (after help, the version, or a usage error, which is printed).
 */
int cli_parse(int argc, char **argv, cli_options *opt);

/** @brief The command named `name`, or NULL. */
const cli_command *cli_find_command(const char *name);

/** @brief `--help`: usage, commands, options and exit statuses. */
void cli_print_help(FILE *out);

/** @brief The manual page allocopt(1) in roff (`--help-man`; CMake installs it). */
void cli_print_man(FILE *out);

/** @brief A bash completion script (`--help-completion`; CMake installs it). */
void cli_print_completion(FILE *out);

#endif /* AO_CLI_OPTIONS_H */
