/**
 * @file cli/cli.h
 * @brief What the files of the allocopt program share: the parsed command line, the
 * commands, exit codes and the messages every command prints the same way.
 *
 * cli/ only parses arguments, calls the library, prints and maps outcomes to exit codes
 * (FORMATS.md): 0 a plan was found, 1 no feasible plan, 2 usage or input error, 3 solver
 * or internal failure.
 */
#ifndef AO_CLI_CLI_H
#define AO_CLI_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "common/diag.h"
#include "common/error.h"
#include "common/table.h"
#include "solver/lp.h"

/** Exit statuses (FORMATS.md). */
enum {
    EXIT_PLAN = 0,            ///< A plan was found (or the command did its job).
    EXIT_INFEASIBLE = 1,      ///< No feasible plan.
    EXIT_USAGE = 2,           ///< Usage or input error.
    EXIT_FAILURE_INTERNAL = 3 ///< Solver or internal failure.
};

/** Returned by a step of a command that went well, when the command goes on. */
#define CLI_CONTINUE (-1)

/** Results workbook written when -o is not given. */
#define CLI_DEFAULT_OUTPUT "results.xlsx"
/** Frontier workbook of `sweep` when -o is not given. */
#define CLI_DEFAULT_SWEEP_OUTPUT "sweep.xlsx"
/** How the bundled example is named in messages and in the workbook. */
#define CLI_BUNDLED_EXAMPLE_LABEL "bundled example (examples/england)"
/** Seed of an uncertainty study when --seed is not given. */
#define CLI_DEFAULT_SEED 1

/** The commands, one bit each, so that an option can say which accept it. */
typedef enum cli_command_id {
    CLI_RUN = 1u << 0,
    CLI_VALIDATE = 1u << 1,
    CLI_SWEEP = 1u << 2,
    CLI_TEMPLATE = 1u << 3,
    CLI_DEMO = 1u << 4,
    CLI_MERGE = 1u << 5,
    CLI_ALL = (1u << 6) - 1
} cli_command_id;

/** The command line, as read from the options table (cli/options.c). */
typedef struct cli_options {
    const char *command;     ///< The command's name.
    cli_command_id id;       ///< The command.
    const char *input;       ///< INPUT (run, validate, sweep) or OUT (template).
    const char *output;      ///< -o.
    const char *json;        ///< --json.
    const char *lp;          ///< --lp.
    const char *arrangement; ///< --arrangement (checked).
    ao_solver_kind solver;   ///< --solver (checked; GLPK when not given).
    int quiet;               ///< -q.
    int verbose;             ///< -v.
    int force;               ///< --force: replace files that are not allocopt's outputs.
    int all_scenarios;       ///< --all-scenarios.
    int example;             ///< template --example.
    int threads;             ///< -j (default: one per core).
    const char *vary;        ///< sweep --vary.
    double from, to;         ///< sweep --from, --to.
    int steps;               ///< sweep --steps.
    size_t n_scenarios;      ///< --scenario, how many.
    const char **scenarios;  ///< --scenario names (argc entries).
    size_t samples;          ///< --samples: uncertainty samples (0: no study).
    uint64_t seed;           ///< --seed (default CLI_DEFAULT_SEED).
    double breach_tolerance; ///< --breach-tolerance (a share, 0 to below 1; default 0).
    int breach_tolerance_given; ///< 1 when --breach-tolerance was given.
    int shard;               ///< --shard K/N: K (0: no shard).
    int n_shards;            ///< --shard K/N: N (0: no shard).
    size_t n_parts;          ///< merge: partial results given.
    const char **parts;      ///< merge: their paths (argc entries).
} cli_options;

/** One command: its name, what follows it, what it does, and the function doing it. */
typedef struct cli_command {
    const char *name;                       ///< As typed.
    cli_command_id id;                      ///< Its bit.
    const char *operands;                   ///< Synopsis of its operands ("INPUT"), or "".
    const char *help;                       ///< One sentence or two.
    int (*execute)(const cli_options *opt); ///< Returns the exit status.
} cli_command;

/** The commands, ending with a NULL name (cli/options.c). */
extern const cli_command cli_commands[];

int cmd_run(const cli_options *opt);
int cmd_validate(const cli_options *opt);
int cmd_sweep(const cli_options *opt);
int cmd_template(const cli_options *opt);
int cmd_demo(const cli_options *opt);
int cmd_merge(const cli_options *opt);

/**
 * @brief Solve and report, as `run` does: on opt->input, or on the bundled example
 * (`demo`). Returns the exit status.
 */
int cli_solve(const cli_options *opt, int bundled);

/**
 * @brief The exit status for an error (the one mapping): none 0; the input, an option or
 * a file 2; memory, the solver and anything internal 3.
 */
int cli_exit_code(ao_error err);

/**
 * @brief The exit status for a solve's outcome: optimal 0, infeasible 1, anything else 3.
 */
int cli_exit_for_status(ao_solve_status status);

/** @brief "allocopt: <message>" and "Try 'allocopt --help'." on stderr; returns EXIT_USAGE. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/**
 * @brief Say on stderr that an error stopped the command, with what it was doing, and
 * return its exit status (cli_exit_code): "allocopt: could not write out.xlsx: <ao_strerror>".
 * @param[in] fmt What failed ("could not write %s"), or NULL for the error alone.
 */
int cli_fail(ao_error err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/** @brief Print the diagnostics (warnings left out when quiet) on stderr. */
void cli_print_diags(const ao_diags *diags, int quiet);

/** @brief Print the diagnostics and the count of problems; returns EXIT_USAGE. */
int cli_report_input_errors(const ao_diags *diags, const char *what, int quiet);

/** @brief Read the bundled example from the copy compiled into the program. */
ao_error cli_read_bundled_example(ao_tableset **out, ao_diags *diags);

/**
 * @brief No lost work: refuse to replace a file that is not one of allocopt's outputs
 * (io/output_owner.h) unless --force was given. Says why on stderr.
 * @param[in] paths The outputs about to be written; NULL entries are skipped.
 * @return EXIT_PLAN when every output may be written, else EXIT_USAGE.
 */
int cli_check_outputs(const cli_options *opt, const char *const *paths, size_t n_paths);

#endif /* AO_CLI_CLI_H */
