/* The options table, the commands table and getopt_long over them (cli/options.h). */
#include "cli/options.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/parse.h"
#include "models/model.h"
#include "models/uncertainty.h"

/* Largest --seed: partial results store it as a JSON integer (signed 64 bits). */
#define CLI_MAX_SEED 9223372036854775807ULL
/* Most threads -j accepts. */
#define CLI_MAX_JOBS 1024
/* The sweep when --from, --to or --steps is not given. */
#define CLI_SWEEP_DEFAULT_FROM 0.8
#define CLI_SWEEP_DEFAULT_TO 1.2
#define CLI_SWEEP_DEFAULT_STEPS 9
/* getopt_long's value for an option without a short name: this plus its id. */
#define LONG_ONLY_BASE 256

#define SOLVE_COMMANDS (CLI_RUN | CLI_DEMO)
#define WRITING_COMMANDS (CLI_RUN | CLI_DEMO | CLI_SWEEP | CLI_TEMPLATE | CLI_MERGE)

const cli_command cli_commands[] = {
    {"run", CLI_RUN, "INPUT",
     "solve the model in INPUT (a folder of CSV files or an .xlsx workbook) and write the "
     "results workbook",
     cmd_run},
    {"validate", CLI_VALIDATE, "INPUT", "check INPUT and list every problem found", cmd_validate},
    {"sweep", CLI_SWEEP, "INPUT",
     "solve a series of scaled budgets or setting values and write the efficient frontier: "
     "--vary budgets.revenue --from 0.8 --to 1.2 --steps 9 (or --vary settings.KEY with "
     "values)",
     cmd_sweep},
    {"template", CLI_TEMPLATE, "OUT",
     "write an input workbook to fill in (--example: filled with the bundled example)",
     cmd_template},
    {"demo", CLI_DEMO, "", "run the bundled example", cmd_demo},
    {"merge", CLI_MERGE, "PART...",
     "combine the partial results of a sharded uncertainty study (run --shard K/N) into one "
     "workbook: -o OUT.xlsx [--json FILE]",
     cmd_merge},
    {NULL, 0, NULL, NULL, NULL}};

static const char *arrangement_word(int k)
{
    return k >= 0 && k < AO_ARRANGEMENT_COUNT ? ao_arrangement_name((ao_arrangement)k) : NULL;
}

/* The backends this build has. */
static const char *solver_word(int k)
{
    static const ao_solver_kind kinds[] = {AO_SOLVER_AUTO, AO_SOLVER_GLPK, AO_SOLVER_CLP,
                                           AO_SOLVER_GLPK_INTERIOR};
    int seen = 0;
    for (size_t j = 0; j < sizeof kinds / sizeof kinds[0]; j++)
        if (ao_solver_kind_available(kinds[j]) && seen++ == k)
            return ao_solver_kind_name(kinds[j]);
    return NULL;
}

const cli_option cli_option_table[] = {
    {OPT_OUTPUT, "output", 'o', "FILE", CLI_ARG_OUTPUT, NULL,
     SOLVE_COMMANDS | CLI_SWEEP | CLI_MERGE,
     "results workbook (default results.xlsx; sweep: sweep.xlsx; run --shard: the partial "
     "result, PART.json)"},
    {OPT_JSON, "json", 0, "FILE", CLI_ARG_JSON, NULL, SOLVE_COMMANDS | CLI_MERGE,
     "also write a JSON summary"},
    {OPT_LP, "lp", 0, "FILE", CLI_ARG_LP, NULL, SOLVE_COMMANDS,
     "also write the linear programme in CPLEX LP format"},
    {OPT_ARRANGEMENT, "arrangement", 0, "A", CLI_ARG_CHOICE, arrangement_word, SOLVE_COMMANDS,
     "solve under arrangement A"},
    {OPT_SCENARIO, "scenario", 0, "NAME", CLI_ARG_TEXT, NULL, SOLVE_COMMANDS,
     "also solve scenario NAME of the scenarios table (repeatable)"},
    {OPT_ALL_SCENARIOS, "all-scenarios", 0, NULL, CLI_ARG_NONE, NULL, SOLVE_COMMANDS,
     "also solve every scenario"},
    {OPT_SAMPLES, "samples", 0, "N", CLI_ARG_TEXT, NULL, SOLVE_COMMANDS,
     "also solve N samples drawn as the uncertainty table says (Monte Carlo; the "
     "Uncertainty sheet reports them)"},
    {OPT_SEED, "seed", 0, "S", CLI_ARG_TEXT, NULL, SOLVE_COMMANDS,
     "seed of the samples (default 1): the same seed, the same draws"},
    {OPT_BREACH_TOLERANCE, "breach-tolerance", 0, "T", CLI_ARG_TEXT, NULL, SOLVE_COMMANDS,
     "with --samples: count a budget as breached only when the baseline plan overspends it "
     "by more than T of the budget, such as 1% or 0.01 (from 0 to below 100%; default 0: "
     "any overspend); the overspend in £ is reported whatever T"},
    {OPT_SHARD, "shard", 0, "K/N", CLI_ARG_TEXT, NULL, CLI_RUN,
     "solve only samples i with i mod N = K-1 and write a partial result to -o PART.json, "
     "for allocopt merge"},
    {OPT_SOLVER, "solver", 0, "NAME", CLI_ARG_CHOICE, solver_word, SOLVE_COMMANDS | CLI_SWEEP,
     "linear-programming method: auto (the default: chosen from the size of the plan, the "
     "same choice on every machine), glpk (GLPK's simplex), clp (COIN-OR CLP's dual "
     "simplex, when this build has it) or glpk-interior (GLPK's interior point, then a "
     "vertex recovered by its simplex)"},
    {OPT_JOBS, "jobs", 'j', "N", CLI_ARG_TEXT, NULL, SOLVE_COMMANDS | CLI_SWEEP,
     "solve scenarios and samples in N threads (default: one per core)"},
    {OPT_VARY, "vary", 0, "WHAT", CLI_ARG_TEXT, NULL, CLI_SWEEP,
     "what sweep varies: budgets.revenue, budgets.capital, ... or settings.KEY"},
    {OPT_FROM, "from", 0, "X", CLI_ARG_TEXT, NULL, CLI_SWEEP,
     "first value or scale of the sweep (default 0.8)"},
    {OPT_TO, "to", 0, "X", CLI_ARG_TEXT, NULL, CLI_SWEEP,
     "last value or scale of the sweep (default 1.2)"},
    {OPT_STEPS, "steps", 0, "N", CLI_ARG_TEXT, NULL, CLI_SWEEP,
     "points of the sweep, ends included (default 9)"},
    {OPT_EXAMPLE, "example", 0, NULL, CLI_ARG_NONE, NULL, CLI_TEMPLATE,
     "fill the template with the bundled example"},
    {OPT_FORCE, "force", 0, NULL, CLI_ARG_NONE, NULL, WRITING_COMMANDS,
     "replace an existing output file even when it is not one allocopt wrote (an input "
     "template, another program's file)"},
    {OPT_QUIET, "quiet", 'q', NULL, CLI_ARG_NONE, NULL, CLI_ALL, "print only errors"},
    {OPT_VERBOSE, "verbose", 'v', NULL, CLI_ARG_NONE, NULL, SOLVE_COMMANDS | CLI_SWEEP,
     "show the solver's progress"},
    {OPT_HELP, "help", 'h', NULL, CLI_ARG_NONE, NULL, CLI_ALL, "show this help"},
    {OPT_VERSION, "version", 0, NULL, CLI_ARG_NONE, NULL, CLI_ALL, "show the version"},
    /* Hidden: the build writes the man page and the bash completion with them. */
    {OPT_HELP_MAN, "help-man", 0, NULL, CLI_ARG_NONE, NULL, 0, "print the manual page"},
    {OPT_HELP_COMPLETION, "help-completion", 0, NULL, CLI_ARG_NONE, NULL, 0,
     "print the bash completion script"},
    {OPT_COUNT, NULL, 0, NULL, CLI_ARG_NONE, NULL, 0, NULL}};

const cli_command *cli_find_command(const char *name)
{
    for (const cli_command *c = cli_commands; c->name != NULL; c++)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}

/* The option getopt_long returned `value` for, or NULL. */
static const cli_option *option_of_value(int value)
{
    for (const cli_option *o = cli_option_table; o->name != NULL; o++)
        if (o->short_name != 0 ? value == o->short_name : value == LONG_ONLY_BASE + (int)o->id)
            return o;
    return NULL;
}

/* "--name" (or "-o/--output" when it has a short name), for messages. */
static const char *spelling(const cli_option *o, char *buffer, size_t size)
{
    if (o->short_name != 0)
        snprintf(buffer, size, "-%c/--%s", o->short_name, o->name);
    else
        snprintf(buffer, size, "--%s", o->name);
    return buffer;
}

/* A whole number from 0 to max, written in decimal digits only. */
static int parse_whole(const char *text, unsigned long long max, unsigned long long *out)
{
    if (text == NULL || *text < '0' || *text > '9')
        return 0;
    errno = 0;
    char *end = NULL;
    unsigned long long value = strtoull(text, &end, 10);
    if (errno != 0 || *end != '\0' || value > max)
        return 0;
    *out = value;
    return 1;
}

static int parse_double(const char *text, double *out)
{
    char *end = NULL;
    *out = strtod(text, &end);
    return end != text && *end == '\0' && isfinite(*out);
}

/* --breach-tolerance: a share as a workbook cell holds one (1% or 0.01), 0 to below 1.
 * Not an amount: a £ sign is refused. */
static int parse_tolerance(const char *text, double *out)
{
    double value;
    if (strstr(text, "£") != NULL || ao_parse_number(text, &value) != AO_PARSE_OK ||
        !ao_breach_tolerance_valid(value))
        return 0;
    *out = value;
    return 1;
}

/* --shard K/N with 1 <= K <= N. */
static int parse_shard(const char *text, int *shard, int *n_shards)
{
    const char *slash = strchr(text, '/');
    if (slash == NULL || slash == text || (size_t)(slash - text) > 20)
        return 0;
    char first[24];
    memcpy(first, text, (size_t)(slash - text));
    first[slash - text] = '\0';
    unsigned long long k, n;
    if (!parse_whole(first, AO_STUDY_MAX_SAMPLES, &k) ||
        !parse_whole(slash + 1, AO_STUDY_MAX_SAMPLES, &n) || k < 1 || k > n)
        return 0;
    *shard = (int)k;
    *n_shards = (int)n;
    return 1;
}

/* Store one option's value; CLI_CONTINUE, or the exit status (help, version, a bad value). */
static int take(const cli_option *o, const char *value, cli_options *opt)
{
    unsigned long long number = 0;
    switch (o->id) {
    case OPT_OUTPUT:
        opt->output = value;
        break;
    case OPT_JSON:
        opt->json = value;
        break;
    case OPT_LP:
        opt->lp = value;
        break;
    case OPT_ARRANGEMENT:
        if (ao_arrangement_parse(value) < 0)
            return cli_usage_error("--arrangement must be delegated, joint or national, not "
                                   "'%s'",
                                   value);
        opt->arrangement = value;
        break;
    case OPT_SCENARIO:
        opt->scenarios[opt->n_scenarios++] = value;
        break;
    case OPT_ALL_SCENARIOS:
        opt->all_scenarios = 1;
        break;
    case OPT_SAMPLES:
        if (!parse_whole(value, AO_STUDY_MAX_SAMPLES, &number) || number < 1)
            return cli_usage_error("--samples needs a whole number from 1 to 1000000");
        opt->samples = (size_t)number;
        break;
    case OPT_SEED:
        if (!parse_whole(value, CLI_MAX_SEED, &number))
            return cli_usage_error("--seed needs a whole number from 0 to 2^63 - 1");
        opt->seed = (uint64_t)number;
        break;
    case OPT_BREACH_TOLERANCE:
        if (!parse_tolerance(value, &opt->breach_tolerance))
            return cli_usage_error("--breach-tolerance needs a share of the budget from 0 up to, "
                                   "not including, 100%%, such as 1%% or 0.01; not '%s'",
                                   value);
        opt->breach_tolerance_given = 1;
        break;
    case OPT_SHARD:
        if (!parse_shard(value, &opt->shard, &opt->n_shards))
            return cli_usage_error("--shard needs K/N, with 1 <= K <= N, such as 3/50");
        break;
    case OPT_SOLVER: {
        int kind = ao_solver_kind_parse(value);
        if (kind < 0)
            return cli_usage_error("--solver must be auto, glpk, clp or glpk-interior, not '%s'",
                                   value);
        if (!ao_solver_kind_available((ao_solver_kind)kind))
            return cli_usage_error("this build of allocopt has no %s backend (its development "
                                   "package was not found when it was built)",
                                   value);
        opt->solver = (ao_solver_kind)kind;
        break;
    }
    case OPT_JOBS:
        if (!parse_whole(value, CLI_MAX_JOBS, &number) || number < 1)
            return cli_usage_error("-j/--jobs needs a number of threads from 1 to %d",
                                   CLI_MAX_JOBS);
        opt->threads = (int)number;
        break;
    case OPT_VARY:
        opt->vary = value;
        break;
    case OPT_FROM:
    case OPT_TO:
    case OPT_STEPS: {
        /* Numbers as the workbook takes them: 0.9, 90%, 1,000,000 or £1,000,000. */
        double x;
        if (o->id == OPT_STEPS ? !parse_double(value, &x)
                               : ao_parse_number(value, &x) != AO_PARSE_OK)
            return cli_usage_error("--from, --to and --steps need numbers (0.9 or 90%% for a "
                                   "scale)");
        if (o->id == OPT_FROM)
            opt->from = x;
        else if (o->id == OPT_TO)
            opt->to = x;
        else if (x < 2 || x > 1000 || x != floor(x))
            return cli_usage_error("sweep needs --from below --to and 2 to 1000 whole --steps");
        else
            opt->steps = (int)x;
        break;
    }
    case OPT_EXAMPLE:
        opt->example = 1;
        break;
    case OPT_FORCE:
        opt->force = 1;
        break;
    case OPT_QUIET:
        opt->quiet = 1;
        break;
    case OPT_VERBOSE:
        opt->verbose = 1;
        break;
    case OPT_HELP:
        cli_print_help(stdout);
        return EXIT_PLAN;
    case OPT_VERSION:
        printf("allocopt %s\n", AO_VERSION);
        return EXIT_PLAN;
    case OPT_HELP_MAN:
        cli_print_man(stdout);
        return EXIT_PLAN;
    case OPT_HELP_COMPLETION:
        cli_print_completion(stdout);
        return EXIT_PLAN;
    case OPT_COUNT:
        break;
    }
    return CLI_CONTINUE;
}

/* An option getopt_long did not know: unknown, or an abbreviation of several. */
static int unknown_option(const char *arg, int short_name)
{
    if (short_name != 0)
        return cli_usage_error("unknown option '-%c'", short_name);
    size_t length = strcspn(arg, "=");
    char matches[512] = "";
    int n = 0;
    for (const cli_option *o = cli_option_table; o->name != NULL && length > 2; o++) {
        if (o->commands != 0 && strncmp(o->name, arg + 2, length - 2) == 0 &&
            strlen(matches) + strlen(o->name) + 5 < sizeof matches) {
            strcat(matches, n++ > 0 ? ", --" : "--");
            strcat(matches, o->name);
        }
    }
    if (n > 1)
        return cli_usage_error("option '%.*s' is ambiguous: %s", (int)length, arg, matches);
    return cli_usage_error("unknown option '%s'", arg);
}

/* Names of the commands accepting option `o`, for a message. */
static void commands_accepting(const cli_option *o, char *buffer, size_t size)
{
    buffer[0] = '\0';
    for (const cli_command *c = cli_commands; c->name != NULL; c++) {
        if ((o->commands & c->id) && strlen(buffer) + strlen(c->name) + 3 < size) {
            if (buffer[0] != '\0')
                strcat(buffer, ", ");
            strcat(buffer, c->name);
        }
    }
}

/* COMMAND, then INPUT (or OUT), or merge's PART...; CLI_CONTINUE or EXIT_USAGE. */
static int take_operand(const char *arg, cli_options *opt)
{
    if (opt->command == NULL)
        opt->command = arg;
    else if (strcmp(opt->command, "merge") == 0)
        opt->parts[opt->n_parts++] = arg;
    else if (opt->input == NULL)
        opt->input = arg;
    else
        return cli_usage_error("unexpected argument '%s'", arg);
    return CLI_CONTINUE;
}

int cli_parse(int argc, char **argv, cli_options *opt)
{
    struct option longs[OPT_COUNT + 1];
    /* "-": operands come back in order as value 1 (options may follow the command, even
     * under POSIXLY_CORRECT); ":": a missing argument is reported as ':'. */
    char shorts[2 * OPT_COUNT + 3] = "-:";
    size_t n_longs = 0;
    for (const cli_option *o = cli_option_table; o->name != NULL; o++) {
        int has_arg = o->argument != NULL ? required_argument : no_argument;
        int value = o->short_name != 0 ? o->short_name : LONG_ONLY_BASE + (int)o->id;
        longs[n_longs++] = (struct option){o->name, has_arg, NULL, value};
        if (o->short_name != 0) {
            size_t end = strlen(shorts);
            shorts[end] = o->short_name;
            shorts[end + 1] = o->argument != NULL ? ':' : '\0';
            shorts[end + 2] = '\0';
        }
    }
    longs[n_longs] = (struct option){NULL, 0, NULL, 0};

    opt->seed = CLI_DEFAULT_SEED;
    opt->breach_tolerance = AO_STUDY_DEFAULT_BREACH_TOLERANCE;
    opt->solver = AO_SOLVER_AUTO;
    opt->from = CLI_SWEEP_DEFAULT_FROM;
    opt->to = CLI_SWEEP_DEFAULT_TO;
    opt->steps = CLI_SWEEP_DEFAULT_STEPS;
    int given[OPT_COUNT] = {0};
    opterr = 0;
    optind = 1;
    int value, code;
    while ((value = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
        char name[64];
        if (value == 1) {
            if ((code = take_operand(optarg, opt)) != CLI_CONTINUE)
                return code;
            continue;
        }
        if (value == '?')
            return unknown_option(argv[optind - 1], optopt);
        const cli_option *o = option_of_value(value == ':' ? optopt : value);
        if (o == NULL)
            return unknown_option(argv[optind - 1], 0);
        if (value == ':')
            return cli_usage_error("option %s needs a value", spelling(o, name, sizeof name));
        given[o->id] = 1;
        if ((code = take(o, optarg, opt)) != CLI_CONTINUE)
            return code;
    }
    for (int k = optind; k < argc; k++) /* after "--" */
        if ((code = take_operand(argv[k], opt)) != CLI_CONTINUE)
            return code;
    if (opt->command == NULL) {
        cli_print_help(stderr);
        return EXIT_USAGE;
    }
    const cli_command *command = cli_find_command(opt->command);
    if (command == NULL)
        return cli_usage_error("unknown command '%s'", opt->command);
    opt->id = command->id;
    for (const cli_option *o = cli_option_table; o->name != NULL; o++) {
        if (given[o->id] && !(o->commands & command->id)) {
            char name[64], accepting[128];
            commands_accepting(o, accepting, sizeof accepting);
            return cli_usage_error("option %s does not apply to %s (only to %s)",
                                   spelling(o, name, sizeof name), command->name, accepting);
        }
    }
    if (opt->threads == 0) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        opt->threads = cores > 0 ? (int)cores : 1;
    }
    return CLI_CONTINUE;
}
