/*
 * The allocopt program: parses arguments, calls the library, prints what a
 * finance analyst needs to see and maps outcomes to exit codes (FORMATS.md):
 * 0 a plan was found, 1 no feasible plan, 2 usage or input error, 3 solver or
 * internal failure.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <pthread.h>
#include <time.h>

#include "common/diag.h"
#include "common/strutil.h"
#include "io/csv_reader.h"
#include "cli/example_data.h"
#include "io/input.h"
#include "report/json_writer.h"
#include "report/workbook_writer.h"
#include "models/model.h"
#include "models/plan.h"
#include "models/scenario.h"
#include "models/verify.h"
#include "models/sweep.h"
#include "report/sweep_writer.h"
#include "report/template.h"
#include "report/partial.h"
#include "models/uncertainty.h"

enum {
    EXIT_PLAN = 0,
    EXIT_INFEASIBLE = 1,
    EXIT_USAGE = 2,
    EXIT_FAILURE_INTERNAL = 3
};

#define DEFAULT_OUTPUT "results.xlsx"
#define BUNDLED_EXAMPLE_LABEL "bundled example (examples/england)"
/* Seed of an uncertainty study when --seed is not given. */
#define AO_DEFAULT_SEED 1
/* Largest --seed: partial results store it as a JSON integer (signed 64 bits). */
#define AO_MAX_SEED 9223372036854775807ULL

typedef struct cli_options {
    const char *command;
    const char *input;
    const char *output;
    const char *json;
    const char *lp;
    const char *arrangement;
    const char *solver;
    int quiet;
    int verbose;
    int all_scenarios;
    int example;
    int threads;
    const char *vary;
    const char *from;
    const char *to;
    const char *steps;
    size_t n_scenarios;
    const char **scenarios;
    size_t samples;    ///< --samples: uncertainty samples (0: no study).
    uint64_t seed;     ///< --seed (default AO_DEFAULT_SEED).
    int shard;         ///< --shard K/N: K (0: no shard).
    int n_shards;      ///< --shard K/N: N (0: no shard).
    size_t n_parts;    ///< merge: partial results given.
    const char **parts; ///< merge: their paths.
} cli_options;

static const char usage_text[] =
    "Usage: allocopt COMMAND [OPTIONS]\n"
    "\n"
    "Allocate ICB revenue and capital between specialised services and ICB\n"
    "priorities, year by year, and report the plan as an Excel workbook.\n"
    "\n"
    "Commands:\n"
    "  run INPUT        solve the model in INPUT (a folder of CSV files or an .xlsx\n"
    "                   workbook) and write the results workbook\n"
    "  validate INPUT   check INPUT and list every problem found\n"
    "  sweep INPUT      solve a series of scaled budgets or setting values and write\n"
    "                   the efficient frontier: --vary budgets.revenue --from 0.8\n"
    "                   --to 1.2 --steps 9 (or --vary settings.KEY with values)\n"
    "  template OUT     write an input workbook to fill in (--example: filled with\n"
    "                   the bundled example)\n"
    "  demo             run the bundled example\n"
    "  merge PART...    combine the partial results of a sharded uncertainty study\n"
    "                   (run --shard K/N) into one workbook: -o OUT.xlsx [--json FILE]\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE    results workbook (default results.xlsx)\n"
    "      --json FILE      also write a JSON summary\n"
    "      --lp FILE        also write the linear programme in CPLEX LP format\n"
    "      --arrangement A  solve under A: delegated, joint or national\n"
    "      --scenario NAME  also solve scenario NAME of the scenarios table (repeatable)\n"
    "      --all-scenarios  also solve every scenario\n"
    "      --samples N      also solve N samples drawn as the uncertainty table says\n"
    "                       (Monte Carlo; the Uncertainty sheet reports them)\n"
    "      --seed S         seed of the samples (default 1): the same seed, the same draws\n"
    "      --shard K/N      solve only samples i with i mod N = K-1 and write a partial\n"
    "                       result to -o PART.json, for allocopt merge\n"
    "      --solver NAME    linear-programming code: glpk (default) or clp (COIN-OR\n"
    "                       CLP, much faster on national-scale plans)\n"
    "  -j, --jobs N         solve scenarios and samples in N threads (default: one per\n"
    "                       core)\n"
    "  -q, --quiet          print only errors\n"
    "  -v, --verbose        show the solver's progress\n"
    "  -h, --help           show this help\n"
    "      --version        show the version\n"
    "\n"
    "Exit status: 0 plan found, 1 no feasible plan, 2 usage or input error,\n"
    "3 solver or internal failure.\n";

/*
 * Progress on stderr for runs that take more than a second: the phase, and the
 * simplex's own progress lines. On a terminal the simplex line updates in place;
 * elsewhere each is a plain line. Solver lines may come from worker threads.
 */
#define PROGRESS_AFTER_SECONDS 1.0
#define PROGRESS_INTERVAL_SECONDS 0.5

typedef struct progress {
    struct timespec start;
    int enabled;     ///< Not quiet.
    int tty;         ///< stderr is a terminal.
    int line_open;   ///< A terminal line is being updated in place.
    double last;     ///< When the last simplex line was shown.
    const char *pending; ///< Phase not shown yet (the run was still short).
    double pending_at;   ///< When that phase began.
    const char *phase;   ///< Phase under way.
    pthread_mutex_t lock;
    pthread_cond_t wake;   ///< Signals the ticker to stop.
    pthread_t ticker;      ///< Shows a long phase even when the solver prints nothing.
    int ticking;           ///< The ticker thread runs.
    int stop;              ///< The ticker should end.
} progress;

static progress run_progress = {.lock = PTHREAD_MUTEX_INITIALIZER,
                                .wake = PTHREAD_COND_INITIALIZER};

static double progress_elapsed(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - run_progress.start.tv_sec) +
           1e-9 * (double)(now.tv_nsec - run_progress.start.tv_nsec);
}

static void progress_print(double t, const char *text, int in_place);

/*
 * Some solvers (CLP) print no progress of their own: every quarter second the ticker
 * shows a phase that has lasted past the threshold and, on a terminal, how long the
 * current phase has run, updated in place.
 */
static void *progress_ticker(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&run_progress.lock);
    while (!run_progress.stop) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 250000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&run_progress.wake, &run_progress.lock, &until);
        if (run_progress.stop)
            break;
        double t = progress_elapsed();
        if (t <= PROGRESS_AFTER_SECONDS)
            continue;
        if (run_progress.pending != NULL) {
            progress_print(run_progress.pending_at, run_progress.pending, 0);
            run_progress.pending = NULL;
            run_progress.last = t;
        } else if (run_progress.tty && run_progress.phase != NULL &&
                   t - run_progress.last >= 1.0) {
            char text[160];
            snprintf(text, sizeof text, "%s …", run_progress.phase);
            progress_print(t, text, 1);
            run_progress.last = t;
        }
    }
    pthread_mutex_unlock(&run_progress.lock);
    return NULL;
}

static void progress_start(int quiet)
{
    clock_gettime(CLOCK_MONOTONIC, &run_progress.start);
    run_progress.enabled = !quiet;
    run_progress.tty = isatty(fileno(stderr));
    run_progress.stop = 0;
    if (run_progress.enabled && !run_progress.ticking)
        run_progress.ticking = pthread_create(&run_progress.ticker, NULL, progress_ticker,
                                              NULL) == 0;
}

/* End the ticker (at exit; harmless when it never started). */
static void progress_stop(void)
{
    if (!run_progress.ticking)
        return;
    pthread_mutex_lock(&run_progress.lock);
    run_progress.stop = 1;
    pthread_cond_signal(&run_progress.wake);
    pthread_mutex_unlock(&run_progress.lock);
    pthread_join(run_progress.ticker, NULL);
    run_progress.ticking = 0;
    if (run_progress.line_open)
        fputc('\n', stderr);
    run_progress.line_open = 0;
}

/* Caller holds the lock. `t` is when the event happened. */
static void progress_print(double t, const char *text, int in_place)
{
    if (run_progress.tty && run_progress.line_open)
        fputs(in_place ? "\r\033[K" : "\n", stderr);
    fprintf(stderr, "[%6.1fs] %s", t, text);
    run_progress.line_open = run_progress.tty && in_place;
    if (!run_progress.line_open)
        fputc('\n', stderr);
    fflush(stderr);
}

static void progress_phase(const char *what)
{
    pthread_mutex_lock(&run_progress.lock);
    run_progress.pending = what;
    run_progress.phase = what;
    run_progress.pending_at = progress_elapsed();
    if (run_progress.enabled && run_progress.pending_at > PROGRESS_AFTER_SECONDS) {
        progress_print(run_progress.pending_at, what, 0);
        run_progress.pending = NULL;
    }
    pthread_mutex_unlock(&run_progress.lock);
}

static void progress_end(void)
{
    pthread_mutex_lock(&run_progress.lock);
    if (run_progress.line_open)
        fputc('\n', stderr);
    run_progress.line_open = 0;
    pthread_mutex_unlock(&run_progress.lock);
}

/* A line of the solver's log: keep the simplex and branch-and-cut progress lines. */
static void progress_solver_line(void *info, const char *line)
{
    (void)info;
    if (strstr(line, "obj =") == NULL && strstr(line, "mip =") == NULL)
        return;
    pthread_mutex_lock(&run_progress.lock);
    double t = progress_elapsed();
    if (run_progress.enabled && t > PROGRESS_AFTER_SECONDS &&
        t - run_progress.last >= PROGRESS_INTERVAL_SECONDS) {
        if (run_progress.pending != NULL) {
            progress_print(run_progress.pending_at, run_progress.pending, 0);
            run_progress.pending = NULL;
        }
        char text[160];
        snprintf(text, sizeof text, "solver: %.*s", (int)strcspn(line, "\n"), line);
        progress_print(t, text, 1);
        run_progress.last = t;
    }
    pthread_mutex_unlock(&run_progress.lock);
}

/* The backend asked for (checked when the options were read). */
static ao_solver_kind solver_kind(const cli_options *opt)
{
    return opt->solver != NULL ? (ao_solver_kind)ao_solver_kind_parse(opt->solver)
                               : AO_SOLVER_GLPK;
}

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "allocopt: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'allocopt --help'.\n");
    return EXIT_USAGE;
}

static void print_diags(const ao_diags *diags, int quiet)
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

/* Read the bundled example from the copy compiled into the program. */
static ao_error read_bundled_example(ao_tableset **out, ao_diags *diags)
{
    ao_tableset *set = ao_tableset_new(BUNDLED_EXAMPLE_LABEL);
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
        ao_error err = ao_csv_read_buffer(file->data, file->length, name, file->name, &table,
                                          diags);
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

/* An output that would overwrite an input is refused: inputs are never modified. */
static int overwrites_input(const char *output, const ao_tableset *tables)
{
    struct stat out_stat;
    if (output == NULL || stat(output, &out_stat) != 0)
        return 0;
    for (size_t k = 0; k < tables->n_tables; k++) {
        struct stat in_stat;
        if (stat(tables->tables[k]->file, &in_stat) == 0 && in_stat.st_dev == out_stat.st_dev &&
            in_stat.st_ino == out_stat.st_ino)
            return 1;
    }
    struct stat source_stat;
    return stat(tables->source, &source_stat) == 0 && source_stat.st_dev == out_stat.st_dev &&
           source_stat.st_ino == out_stat.st_ino;
}

static void print_headline(const ao_model *model, const ao_plan *plan, const char *output)
{
    printf("%s\n", model->settings.name ? model->settings.name : "allocopt plan");
    printf("  arrangement        %s\n", ao_arrangement_name(plan->arrangement));
    if (plan->status != AO_STATUS_OPTIMAL) {
        printf("  status             %s\n", ao_solve_status_name(plan->status));
    } else {
        if (model->settings.objective == AO_OBJECTIVE_BENEFIT)
            printf("  objective          %.4f %s (discounted benefit)\n", plan->objective,
                   model->settings.benefit_unit);
        else
            printf("  objective          £%.0f (discounted spend)\n", plan->objective);
        printf("  total benefit      %.4f %s over %d years\n", plan->total_benefit,
               model->settings.benefit_unit, model->settings.years);
        printf("  revenue spend      £%.0f\n", plan->total_revenue_spend);
        printf("  capital spend      £%.0f\n", plan->total_capital_spend);
        printf("  specialised share  %.1f%%\n", 100.0 * plan->specialised_share);
        printf("  checked            %zu limits, largest violation %.2g (relative %.2g)\n",
               plan->n_checks, plan->max_violation, plan->max_relative_violation);
    }
    if (output)
        printf("  results workbook   %s\n", output);
}

/* One case to solve: the baseline or a scenario, with what it owns. */
typedef struct cli_case {
    char *name;
    ao_tableset *tables; ///< Scenario tables (NULL for the baseline, which uses the input's).
    ao_model *model;
    ao_plan *plan;
} cli_case;

static void free_cases(cli_case *cases, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        free(cases[k].name);
        ao_plan_free(cases[k].plan);
        ao_model_free(cases[k].model);
        ao_tableset_free(cases[k].tables);
    }
    free(cases);
}

/* The scenario names to solve, from --scenario and --all-scenarios. */
static ao_error scenario_list(const cli_options *opt, const ao_tableset *tables, char ***names,
                              size_t *count)
{
    if (opt->all_scenarios)
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
        ao_loc loc = {.file = scenarios ? scenarios->file : tables->source,
                      .table = "scenarios"};
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

static int report_input_errors(const ao_diags *diags, const char *what, int quiet)
{
    print_diags(diags, quiet);
    fprintf(stderr, "%s: %zu error%s, %zu warning%s; nothing was solved.\n", what,
            diags->n_errors, diags->n_errors == 1 ? "" : "s", diags->n_warnings,
            diags->n_warnings == 1 ? "" : "s");
    return EXIT_USAGE;
}

/* The uncertainty headline: percentiles of the objective, the chance of no plan. */
static void print_uncertainty(const ao_study *study, const char *partial)
{
    if (partial != NULL) {
        printf("  partial result     %s (shard %d/%d: %zu of %zu samples, seed %llu)\n",
               partial, study->shard, study->n_shards, study->n_records, study->n_samples,
               (unsigned long long)study->seed);
        return;
    }
    ao_study_summary summary;
    if (ao_study_summarise(study, &summary) != AO_NO_ERROR)
        return;
    const char *pound = study->cost_objective ? "£" : "";
    printf("  uncertainty        %zu samples (seed %llu), %zu with a plan\n", study->n_samples,
           (unsigned long long)study->seed, summary.count[AO_SAMPLE_OPTIMAL]);
    if (summary.objective.n > 0)
        printf("  P10 / P50 / P90    %s%.4f / %s%.4f / %s%.4f\n", pound,
               summary.objective.p10, pound, summary.objective.p50, pound,
               summary.objective.p90);
    printf("  no feasible plan   %.1f%% of samples", 100.0 * summary.p_infeasible);
    if (summary.count[AO_SAMPLE_INVALID_INPUT] > 0)
        printf("; invalid input in %.1f%%", 100.0 * summary.p_invalid);
    printf(" (Uncertainty sheet)\n");
    ao_study_summary_free(&summary);
}

static int run_command(const cli_options *opt, int bundled)
{
    ao_diags diags;
    ao_diags_init(&diags);
    ao_tableset *tables = NULL;
    cli_case *cases = NULL;
    size_t n_cases = 0;
    char **names = NULL;
    size_t n_names = 0;
    ao_case *report_cases = NULL;
    ao_uncertainty *uncertainty = NULL;
    ao_study *study = NULL;
    ao_plan_options sample_options;
    ao_plan_options_set_default(&sample_options);
    int code = EXIT_FAILURE_INTERNAL;
    int validate_only = strcmp(opt->command, "validate") == 0;
    const char *input_label = bundled ? BUNDLED_EXAMPLE_LABEL : opt->input;

    ao_run_timings timings = {0};
    progress_start(opt->quiet);
    progress_phase("reading the input");
    ao_error err = bundled ? read_bundled_example(&tables, &diags)
                           : ao_input_read(opt->input, &tables, &diags);
    timings.read = progress_elapsed();
    if (err == AO_ERROR_MEMORY_MALLOC_FAILED)
        goto fail;
    if (err != AO_NO_ERROR || diags.n_errors > 0 || tables == NULL) {
        code = report_input_errors(&diags, input_label, opt->quiet);
        goto done;
    }
    /* validate checks every scenario; run solves the ones asked for. */
    cli_options scenario_opt = *opt;
    scenario_opt.all_scenarios |= validate_only;
    err = scenario_list(&scenario_opt, tables, &names, &n_names);
    if (err != AO_NO_ERROR)
        goto fail;
    cases = calloc(n_names + 1, sizeof *cases);
    if (cases == NULL) {
        err = AO_ERROR_MEMORY_MALLOC_FAILED;
        goto fail;
    }
    progress_phase("checking the input");
    /* Build every model before solving any, so input errors surface first. */
    for (size_t k = 0; k <= n_names; k++) {
        cli_case *c = &cases[n_cases++];
        c->name = ao_strdup(k == 0 ? "baseline" : names[k - 1]);
        if (c->name == NULL) {
            err = AO_ERROR_MEMORY_MALLOC_FAILED;
            goto fail;
        }
        if (k == 0) {
            err = ao_model_build(tables, &c->model, &diags);
            if (err != AO_NO_ERROR && err != AO_ERROR_INPUT)
                goto fail;
            if (c->model == NULL)
                break; /* the scenarios would only repeat the baseline's errors */
        } else {
            err = build_scenario(c, tables, &diags);
            if (err != AO_NO_ERROR && err != AO_ERROR_INPUT)
                goto fail;
        }
        if (c->model != NULL && opt->arrangement != NULL)
            c->model->settings.arrangement = (ao_arrangement)ao_arrangement_parse(opt->arrangement);
    }
    /* validate checks the uncertainty table; run reads it for --samples. */
    if (validate_only || opt->samples > 0) {
        err = ao_uncertainty_read(tables, &uncertainty, &diags);
        if (err == AO_ERROR_MEMORY_MALLOC_FAILED)
            goto fail;
        if (err == AO_NO_ERROR && uncertainty == NULL && !validate_only) {
            ao_loc loc = {.file = tables->source, .table = "uncertainty"};
            err = ao_diags_add(&diags, AO_DIAG_ERROR, &loc,
                               "--samples needs an uncertainty table saying which inputs are "
                               "uncertain (a file uncertainty.csv, or a sheet uncertainty)");
            if (err != AO_NO_ERROR)
                goto fail;
        }
    }
    if (diags.n_errors > 0) {
        code = report_input_errors(&diags, input_label, opt->quiet);
        goto done;
    }
    print_diags(&diags, opt->quiet);
    if (validate_only) {
        if (!opt->quiet)
            printf("%s: no errors, %zu warning%s. Ready to run.\n", input_label,
                   diags.n_warnings, diags.n_warnings == 1 ? "" : "s");
        code = EXIT_PLAN;
        goto done;
    }
    const char *output = opt->output ? opt->output : DEFAULT_OUTPUT;
    if (overwrites_input(output, tables) || overwrites_input(opt->json, tables) ||
        overwrites_input(opt->lp, tables)) {
        fprintf(stderr, "allocopt: an output file would overwrite an input file; inputs are "
                        "never modified. Choose another output name.\n");
        code = EXIT_USAGE;
        goto done;
    }

    {
        ao_plan_options plan_options;
        ao_plan_options_set_default(&plan_options);
        plan_options.solver.verbose = opt->verbose;
        plan_options.solver.on_progress = progress_solver_line;
        plan_options.solver.kind = solver_kind(opt);
        plan_options.lp_path = opt->lp;
        /* The samples start from the baseline's basis, with the same solver settings. */
        plan_options.keep_basis = opt->samples > 0;
        sample_options = plan_options;
        timings.check = progress_elapsed() - timings.read;
        progress_phase(n_cases > 1 ? "solving the baseline and scenarios" : "solving");
        const ao_model **models = calloc(n_cases, sizeof *models);
        ao_plan **plans = calloc(n_cases, sizeof *plans);
        if (models == NULL || plans == NULL) {
            free(models);
            free(plans);
            err = AO_ERROR_MEMORY_MALLOC_FAILED;
            goto fail;
        }
        for (size_t k = 0; k < n_cases; k++)
            models[k] = cases[k].model;
        err = ao_plan_solve_all(models, n_cases, &plan_options, opt->threads, plans);
        for (size_t k = 0; k < n_cases; k++)
            cases[k].plan = plans[k];
        free(models);
        free(plans);
        progress_end();
    }
    if (err == AO_ERROR_FILE_WRITE) {
        fprintf(stderr, "allocopt: could not write the LP file %s\n", opt->lp);
        code = EXIT_USAGE;
        goto done;
    }
    if (err != AO_NO_ERROR) {
        fprintf(stderr, "allocopt: the solve failed: %s\n", ao_strerror(err));
        goto done;
    }
    for (size_t k = 0; k < n_cases; k++) {
        const ao_plan *p = cases[k].plan;
        if (p->status == AO_STATUS_OPTIMAL && p->max_relative_violation > AO_VERIFY_TOLERANCE) {
            fprintf(stderr,
                    "allocopt: the plan for %s breaks a limit by more than the tolerance "
                    "(%s); it is not written.\n",
                    cases[k].name, p->worst_violation ? p->worst_violation : "?");
            goto done;
        }
    }

    if (opt->samples > 0) {
        progress_phase("solving the uncertainty samples");
        ao_study_options study_options = {
            .seed = opt->seed,
            .n_samples = opt->samples,
            .shard = opt->n_shards > 0 ? opt->shard : 1,
            .n_shards = opt->n_shards > 0 ? opt->n_shards : 1,
            .threads = opt->threads,
            .arrangement = opt->arrangement ? ao_arrangement_parse(opt->arrangement) : -1,
            .plan = sample_options};
        err = ao_study_run(tables, uncertainty, cases[0].model, cases[0].plan, &study_options,
                           &study);
        progress_end();
        if (err == AO_ERROR_MEMORY_MALLOC_FAILED)
            goto fail;
        if (err != AO_NO_ERROR) {
            fprintf(stderr, "allocopt: the uncertainty study failed: %s\n", ao_strerror(err));
            goto done;
        }
    }
    if (opt->n_shards > 0) {
        /* A shard writes its partial result, not a workbook (allocopt merge does). */
        err = ao_partial_write(output, study);
        if (err != AO_NO_ERROR) {
            fprintf(stderr, "allocopt: could not write %s: %s\n", output, ao_strerror(err));
            code = err == AO_ERROR_FILE_WRITE ? EXIT_USAGE : EXIT_FAILURE_INTERNAL;
            goto done;
        }
        goto results_written;
    }

    report_cases = calloc(n_cases, sizeof *report_cases);
    if (report_cases == NULL) {
        err = AO_ERROR_MEMORY_MALLOC_FAILED;
        goto fail;
    }
    for (size_t k = 0; k < n_cases; k++)
        report_cases[k] = (ao_case){cases[k].name, cases[k].model, cases[k].plan};
    ao_results results = {.tables = tables,
                          .input_path = input_label,
                          .n_cases = n_cases,
                          .cases = report_cases,
                          .uncertainty = study,
                          .timings = &timings};
    progress_phase("writing the results workbook");
    double write_start = progress_elapsed();
    err = ao_workbook_write(output, &results);
    timings.total = progress_elapsed();
    timings.write = timings.total - write_start;
    if (err != AO_NO_ERROR) {
        fprintf(stderr, "allocopt: could not write %s: %s\n", output, ao_strerror(err));
        code = err == AO_ERROR_FILE_WRITE ? EXIT_USAGE : EXIT_FAILURE_INTERNAL;
        goto done;
    }
    if (opt->json != NULL) {
        err = ao_json_write(opt->json, &results);
        if (err != AO_NO_ERROR) {
            fprintf(stderr, "allocopt: could not write %s: %s\n", opt->json, ao_strerror(err));
            code = err == AO_ERROR_FILE_WRITE ? EXIT_USAGE : EXIT_FAILURE_INTERNAL;
            goto done;
        }
    }
results_written:;
    const ao_plan *plan = cases[0].plan;
    if (!opt->quiet)
        print_headline(cases[0].model, plan, opt->n_shards > 0 ? NULL : output);
    for (size_t k = 1; k < n_cases && !opt->quiet; k++) {
        const ao_plan *p = cases[k].plan;
        if (p->status == AO_STATUS_OPTIMAL)
            printf("  scenario %-20s objective %.4f (%+.4f on baseline)\n", cases[k].name,
                   p->objective,
                   plan->status == AO_STATUS_OPTIMAL ? p->objective - plan->objective : NAN);
        else
            printf("  scenario %-20s %s\n", cases[k].name, ao_solve_status_name(p->status));
    }
    if (study != NULL && !opt->quiet)
        print_uncertainty(study, opt->n_shards > 0 ? output : NULL);
    if (plan->status == AO_STATUS_OPTIMAL) {
        code = EXIT_PLAN;
    } else if (plan->status == AO_STATUS_INFEASIBLE) {
        /* The reason is the answer to the question asked: it goes to stdout, even
         * with -q, and into the workbook. */
        printf("%s\n", plan->infeasibility ? plan->infeasibility : "No plan meets every limit.");
        fprintf(stderr, "allocopt: no feasible plan; the reason is above and in %s.\n", output);
        code = EXIT_INFEASIBLE;
    } else {
        fprintf(stderr, "allocopt: the solver ended with status '%s'.\n",
                ao_solve_status_name(plan->status));
        code = EXIT_FAILURE_INTERNAL;
    }
    goto done;

fail:
    fprintf(stderr, "allocopt: %s\n", ao_strerror(err));
    code = EXIT_FAILURE_INTERNAL;
done:
    free(report_cases);
    ao_study_free(study);
    ao_uncertainty_free(uncertainty);
    free_cases(cases, n_cases);
    ao_scenario_names_free(names, n_names);
    ao_tableset_free(tables);
    ao_diags_free(&diags);
    return code;
}

static int template_command(const cli_options *opt)
{
    ao_diags diags;
    ao_diags_init(&diags);
    ao_tableset *example = NULL;
    ao_error err = AO_NO_ERROR;
    if (opt->example) {
        err = read_bundled_example(&example, &diags);
        if (err == AO_NO_ERROR && diags.n_errors > 0)
            err = AO_ERROR_INTERNAL;
    }
    if (err == AO_NO_ERROR)
        err = ao_template_write(opt->input, example);
    ao_tableset_free(example);
    ao_diags_free(&diags);
    if (err != AO_NO_ERROR) {
        fprintf(stderr, "allocopt: could not write %s: %s\n", opt->input, ao_strerror(err));
        return err == AO_ERROR_FILE_WRITE ? EXIT_USAGE : EXIT_FAILURE_INTERNAL;
    }
    if (!opt->quiet)
        printf("Input workbook written to %s. Fill it in, then run:\n"
               "  allocopt validate %s\n  allocopt run %s -o results.xlsx\n",
               opt->input, opt->input, opt->input);
    return EXIT_PLAN;
}

static int parse_double(const char *text, double *out)
{
    char *end = NULL;
    *out = text ? strtod(text, &end) : NAN;
    return text != NULL && end != text && *end == '\0' && isfinite(*out);
}

static int sweep_command(const cli_options *opt)
{
    double from = 0.8, to = 1.2, steps = 9;
    if ((opt->from && !parse_double(opt->from, &from)) ||
        (opt->to && !parse_double(opt->to, &to)) ||
        (opt->steps && !parse_double(opt->steps, &steps)))
        return usage_error("%s", "--from, --to and --steps need numbers");
    if (opt->vary == NULL)
        return usage_error("%s", "sweep needs --vary TABLE.COLUMN (e.g. budgets.revenue) or "
                                 "--vary settings.KEY");
    if (!(from < to) || steps < 2 || steps > 1000 || steps != floor(steps))
        return usage_error("%s", "sweep needs --from below --to and 2 to 1000 whole --steps");
    ao_diags diags;
    ao_diags_init(&diags);
    ao_tableset *tables = NULL;
    ao_sweep *sweep = NULL;
    int code = EXIT_FAILURE_INTERNAL;
    const char *output = opt->output ? opt->output : "sweep.xlsx";
    ao_error err = ao_input_read(opt->input, &tables, &diags);
    if (err == AO_ERROR_MEMORY_MALLOC_FAILED)
        goto done;
    if (err != AO_NO_ERROR || diags.n_errors > 0 || tables == NULL) {
        code = report_input_errors(&diags, opt->input, opt->quiet);
        goto done;
    }
    if (overwrites_input(output, tables)) {
        fprintf(stderr, "allocopt: the output would overwrite an input file; inputs are never "
                        "modified. Choose another output name.\n");
        code = EXIT_USAGE;
        goto done;
    }
    ao_plan_options plan_options;
    ao_plan_options_set_default(&plan_options);
    plan_options.solver.verbose = opt->verbose;
    plan_options.solver.kind = solver_kind(opt);
    err = ao_sweep_run(tables, opt->vary, from, to, (int)steps, &plan_options, opt->threads,
                       &sweep, &diags);
    if (err == AO_ERROR_INPUT) {
        code = report_input_errors(&diags, opt->input, opt->quiet);
        goto done;
    }
    if (err != AO_NO_ERROR) {
        fprintf(stderr, "allocopt: the sweep failed: %s\n", ao_strerror(err));
        goto done;
    }
    print_diags(&diags, opt->quiet);
    err = ao_sweep_workbook_write(output, sweep);
    if (err != AO_NO_ERROR) {
        fprintf(stderr, "allocopt: could not write %s: %s\n", output, ao_strerror(err));
        code = err == AO_ERROR_FILE_WRITE ? EXIT_USAGE : EXIT_FAILURE_INTERNAL;
        goto done;
    }
    int any_plan = 0;
    if (!opt->quiet)
        printf("%12s  %14s  %-10s  %16s  %9s\n", "value", "varied total", "status", "objective",
               "spec.share");
    for (size_t k = 0; k < sweep->n_points; k++) {
        const ao_sweep_point *p = &sweep->points[k];
        any_plan |= p->status == AO_STATUS_OPTIMAL;
        if (!opt->quiet)
            printf("%12.4g  %14.6g  %-10s  %16.6f  %8.1f%%\n", p->value, p->varied_total,
                   ao_solve_status_name(p->status), p->objective, 100.0 * p->specialised_share);
    }
    if (!opt->quiet)
        printf("frontier workbook: %s\n", output);
    code = any_plan ? EXIT_PLAN : EXIT_INFEASIBLE;
done:
    if (code == EXIT_FAILURE_INTERNAL && err == AO_ERROR_MEMORY_MALLOC_FAILED)
        fprintf(stderr, "allocopt: %s\n", ao_strerror(err));
    ao_sweep_free(sweep);
    ao_tableset_free(tables);
    ao_diags_free(&diags);
    return code;
}

/* An output that would overwrite one of the partial results read. */
static int overwrites_part(const char *output, const cli_options *opt)
{
    struct stat out_stat;
    if (output == NULL || stat(output, &out_stat) != 0)
        return 0;
    for (size_t k = 0; k < opt->n_parts; k++) {
        struct stat in_stat;
        if (stat(opt->parts[k], &in_stat) == 0 && in_stat.st_dev == out_stat.st_dev &&
            in_stat.st_ino == out_stat.st_ino)
            return 1;
    }
    return 0;
}

static int merge_command(const cli_options *opt)
{
    if (opt->n_parts == 0)
        return usage_error("%s", "merge needs the partial results: allocopt merge PART.json... "
                                 "-o OUT.xlsx");
    const char *output = opt->output ? opt->output : DEFAULT_OUTPUT;
    if (overwrites_part(output, opt) || overwrites_part(opt->json, opt)) {
        fprintf(stderr, "allocopt: an output file would overwrite a partial result; choose "
                        "another output name.\n");
        return EXIT_USAGE;
    }
    int code = EXIT_FAILURE_INTERNAL;
    ao_error err = AO_NO_ERROR;
    char *why = NULL;
    ao_study *merged = NULL;
    ao_study **parts = calloc(opt->n_parts, sizeof *parts);
    if (parts == NULL) {
        err = AO_ERROR_MEMORY_MALLOC_FAILED;
        goto done;
    }
    for (size_t k = 0; k < opt->n_parts && err == AO_NO_ERROR; k++)
        err = ao_partial_read(opt->parts[k], &parts[k], &why);
    if (err == AO_NO_ERROR)
        err = ao_partial_merge(parts, opt->parts, opt->n_parts, &merged, &why);
    if (err == AO_ERROR_INPUT) {
        fprintf(stderr, "allocopt: %s\n", why ? why : "the partial results do not fit");
        code = EXIT_USAGE;
        err = AO_NO_ERROR;
        goto done;
    }
    if (err != AO_NO_ERROR)
        goto done;
    err = ao_workbook_write_study(output, merged);
    if (err == AO_NO_ERROR && opt->json != NULL) {
        err = ao_json_write_study(opt->json, merged);
        if (err != AO_NO_ERROR)
            output = opt->json;
    }
    if (err != AO_NO_ERROR) {
        fprintf(stderr, "allocopt: could not write %s: %s\n", output, ao_strerror(err));
        code = err == AO_ERROR_FILE_WRITE ? EXIT_USAGE : EXIT_FAILURE_INTERNAL;
        err = AO_NO_ERROR;
        goto done;
    }
    if (!opt->quiet) {
        printf("%s\n", merged->model_name ? merged->model_name : "allocopt uncertainty study");
        printf("  shards merged      %zu\n", merged->shards_merged);
        print_uncertainty(merged, NULL);
        printf("  results workbook   %s\n", output);
    }
    code = EXIT_PLAN;
done:
    if (err != AO_NO_ERROR)
        fprintf(stderr, "allocopt: %s\n", ao_strerror(err));
    for (size_t k = 0; parts != NULL && k < opt->n_parts; k++)
        ao_study_free(parts[k]);
    free(parts);
    ao_study_free(merged);
    free(why);
    return code;
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

/* --shard K/N with 1 <= K <= N. */
static int parse_shard(const char *text, int *shard, int *n_shards)
{
    const char *slash = text ? strchr(text, '/') : NULL;
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

static int dispatch(int argc, char **argv);

int main(int argc, char **argv)
{
    int code = dispatch(argc, argv);
    progress_stop();
    /* Free this thread's solver environment so that nothing is left allocated. */
    ao_solver_thread_cleanup();
    return code;
}

static int dispatch(int argc, char **argv)
{
    cli_options opt = {0};
    /* At most one scenario per argument: argc bounds the list. */
    const char *scenario_names[argc > 0 ? argc : 1];
    opt.scenarios = scenario_names;
    /* merge: every argument after the command may be a partial result. */
    const char *part_names[argc > 0 ? argc : 1];
    opt.parts = part_names;
    opt.seed = AO_DEFAULT_SEED;
    for (int k = 1; k < argc; k++) {
        const char *arg = argv[k];
        const char *value = k + 1 < argc ? argv[k + 1] : NULL;
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            fputs(usage_text, stdout);
            return EXIT_PLAN;
        } else if (strcmp(arg, "--version") == 0) {
            printf("allocopt %s\n", AO_VERSION);
            return EXIT_PLAN;
        } else if (strcmp(arg, "-q") == 0 || strcmp(arg, "--quiet") == 0) {
            opt.quiet = 1;
        } else if (strcmp(arg, "-v") == 0 || strcmp(arg, "--verbose") == 0) {
            opt.verbose = 1;
        } else if (strcmp(arg, "-j") == 0 || strcmp(arg, "--jobs") == 0) {
            char *end = NULL;
            long jobs = value ? strtol(value, &end, 10) : 0;
            if (value == NULL || *end != '\0' || jobs < 1 || jobs > 1024)
                return usage_error("%s needs a number of threads from 1 to 1024", arg);
            opt.threads = (int)jobs;
            k++;
        } else if (strcmp(arg, "--samples") == 0 || strcmp(arg, "--seed") == 0 ||
                   strcmp(arg, "--shard") == 0) {
            unsigned long long number = 0;
            if (strcmp(arg, "--samples") == 0) {
                if (!parse_whole(value, AO_STUDY_MAX_SAMPLES, &number) || number < 1)
                    return usage_error("%s", "--samples needs a whole number from 1 to 1000000");
                opt.samples = (size_t)number;
            } else if (strcmp(arg, "--seed") == 0) {
                if (!parse_whole(value, AO_MAX_SEED, &number))
                    return usage_error("%s", "--seed needs a whole number from 0 to 2^63 - 1");
                opt.seed = (uint64_t)number;
            } else if (!parse_shard(value, &opt.shard, &opt.n_shards)) {
                return usage_error("%s", "--shard needs K/N, with 1 <= K <= N, such as 3/50");
            }
            k++;
        } else if (strcmp(arg, "--example") == 0) {
            opt.example = 1;
        } else if (strcmp(arg, "--all-scenarios") == 0) {
            opt.all_scenarios = 1;
        } else if (strcmp(arg, "--scenario") == 0) {
            if (value == NULL)
                return usage_error("option %s needs a value", arg);
            opt.scenarios[opt.n_scenarios++] = value;
            k++;
        } else if (strcmp(arg, "--vary") == 0 || strcmp(arg, "--from") == 0 ||
                   strcmp(arg, "--to") == 0 || strcmp(arg, "--steps") == 0) {
            if (value == NULL)
                return usage_error("option %s needs a value", arg);
            if (strcmp(arg, "--vary") == 0)
                opt.vary = value;
            else if (strcmp(arg, "--from") == 0)
                opt.from = value;
            else if (strcmp(arg, "--to") == 0)
                opt.to = value;
            else
                opt.steps = value;
            k++;
        } else if (strcmp(arg, "-o") == 0 || strcmp(arg, "--output") == 0 ||
                   strcmp(arg, "--json") == 0 || strcmp(arg, "--lp") == 0 ||
                   strcmp(arg, "--arrangement") == 0 || strcmp(arg, "--solver") == 0) {
            if (value == NULL)
                return usage_error("option %s needs a value", arg);
            if (arg[1] == 'o' || strcmp(arg, "--output") == 0)
                opt.output = value;
            else if (strcmp(arg, "--json") == 0)
                opt.json = value;
            else if (strcmp(arg, "--lp") == 0)
                opt.lp = value;
            else if (strcmp(arg, "--solver") == 0)
                opt.solver = value;
            else
                opt.arrangement = value;
            k++;
        } else if (arg[0] == '-' && arg[1] != '\0') {
            return usage_error("unknown option '%s'", arg);
        } else if (opt.command == NULL) {
            opt.command = arg;
        } else if (strcmp(opt.command, "merge") == 0) {
            opt.parts[opt.n_parts++] = arg;
        } else if (opt.input == NULL) {
            opt.input = arg;
        } else {
            return usage_error("unexpected argument '%s'", arg);
        }
    }
    if (opt.threads == 0) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        opt.threads = cores > 0 ? (int)cores : 1;
    }
    if (opt.command == NULL) {
        fputs(usage_text, stderr);
        return EXIT_USAGE;
    }
    if (opt.arrangement != NULL && ao_arrangement_parse(opt.arrangement) < 0)
        return usage_error("--arrangement must be delegated, joint or national, not '%s'",
                           opt.arrangement);
    if (opt.solver != NULL) {
        int kind = ao_solver_kind_parse(opt.solver);
        if (kind < 0)
            return usage_error("--solver must be glpk or clp, not '%s'", opt.solver);
        if (!ao_solver_kind_available((ao_solver_kind)kind))
            return usage_error("this build of allocopt has no %s backend (its development "
                               "package was not found when it was built)",
                               opt.solver);
    }
    if (opt.n_shards > 0 && strcmp(opt.command, "run") == 0) {
        if (opt.samples == 0)
            return usage_error("%s", "--shard needs --samples N (the size of the whole study)");
        if (opt.output == NULL)
            return usage_error("%s", "--shard writes a partial result: give it with -o PART.json");
        if (opt.json != NULL || opt.n_scenarios > 0 || opt.all_scenarios)
            return usage_error("%s", "--shard writes only the partial result: run --json and "
                                     "scenarios without it, or merge the parts with --json");
    }
    if (strcmp(opt.command, "merge") == 0)
        return merge_command(&opt);
    if (strcmp(opt.command, "run") == 0 || strcmp(opt.command, "validate") == 0) {
        if (opt.input == NULL)
            return usage_error("%s needs an INPUT folder or workbook", opt.command);
        return run_command(&opt, 0);
    }
    if (strcmp(opt.command, "template") == 0) {
        if (opt.input == NULL)
            return usage_error("%s needs the workbook to write, e.g. allocopt template "
                               "book.xlsx",
                               opt.command);
        return template_command(&opt);
    }
    if (strcmp(opt.command, "sweep") == 0) {
        if (opt.input == NULL)
            return usage_error("%s needs an INPUT folder or workbook", opt.command);
        return sweep_command(&opt);
    }
    if (strcmp(opt.command, "demo") == 0) {
        if (opt.input != NULL)
            return usage_error("demo takes no INPUT (unexpected '%s')", opt.input);
        return run_command(&opt, 1);
    }
    return usage_error("unknown command '%s'", opt.command);
}
