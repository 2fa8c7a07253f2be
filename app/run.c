/* A whole run, for the program and for any embedder (app/run.h). */
#include "app/run.h"

#include <stdarg.h>
#include <stdlib.h>
#include <time.h>

#include "app/outputs.h"
#include "common/strutil.h"
#include "io/input.h"
#include "models/scenario.h"
#include "models/verify.h"
#include "report/atomic_file.h"
#include "report/json_writer.h"
#include "report/partial.h"
#include "report/workbook_writer.h"

void ao_run_options_set_default(ao_run_options *options)
{
    *options = (ao_run_options){.solver = AO_SOLVER_AUTO,
                                .threads = AO_RUN_DEFAULT_THREADS,
                                .seed = AO_RUN_DEFAULT_SEED,
                                .breach_tolerance = AO_STUDY_DEFAULT_BREACH_TOLERANCE,
                                .output = AO_RUN_DEFAULT_OUTPUT};
}

ao_solve_status ao_run_status(const ao_run_result *run)
{
    if (run == NULL || run->n_cases == 0 || run->cases[0].plan == NULL)
        return AO_STATUS_NOT_SOLVED;
    return run->cases[0].plan->status;
}

void ao_run_result_free(ao_run_result *run)
{
    if (run == NULL)
        return;
    for (size_t k = 0; k < run->n_cases; k++) {
        free(run->cases[k].name);
        ao_plan_free(run->cases[k].plan);
        ao_model_free(run->cases[k].model);
        ao_tableset_free(run->cases[k].tables);
    }
    free(run->cases);
    ao_study_free(run->study);
    ao_uncertainty_free(run->uncertainty);
    ao_tableset_free(run->tables);
    ao_diags_free(&run->diags);
    free(run);
}

/* What one run keeps while it goes. */
typedef struct runner {
    const ao_run_options *options;
    ao_run_result *run;
    struct timespec start;
    ao_plan_options plan_options;
} runner;

static double elapsed(const runner *r)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - r->start.tv_sec) + 1e-9 * (double)(now.tv_nsec - r->start.tv_nsec);
}

static void enter(runner *r, ao_run_stage stage)
{
    r->run->stage = stage;
    if (r->options->on_stage != NULL)
        r->options->on_stage(r->options->progress_context, stage, r->run);
}

/* Stop the run with `err` where it is: the diagnostics (or the error alone) say why. */
static ao_error halt(runner *r, ao_error err)
{
    r->run->error = err;
    return err;
}

/* Stop the run with `err` where it is, and say why in one more diagnostic (unless memory
 * runs out for it: then the error alone says why). */
static ao_error stop(runner *r, ao_error err, const char *file, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static ao_error stop(runner *r, ao_error err, const char *file, const char *fmt, ...)
{
    r->run->error = err;
    ao_loc loc = {.file = file};
    va_list args;
    va_start(args, fmt);
    if (ao_diags_addv(&r->run->diags, AO_DIAG_ERROR, &loc, fmt, args) == AO_NO_ERROR)
        r->run->reason = &r->run->diags.items[r->run->diags.count - 1];
    va_end(args);
    return err;
}

/* The scenario names to solve: every one, or those asked for. */
static ao_error scenario_list(const ao_run_options *options, int everything,
                              const ao_tableset *tables, char ***names, size_t *count)
{
    if (options->all_scenarios || everything)
        return ao_scenario_names(tables, names, count);
    *count = 0;
    *names = calloc(options->n_scenarios + 1, sizeof **names);
    if (*names == NULL)
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    for (size_t k = 0; k < options->n_scenarios; k++) {
        if (((*names)[k] = ao_strdup(options->scenarios[k])) == NULL)
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
static ao_error build_scenario(ao_run_case *c, const ao_tableset *tables, ao_diags *diags)
{
    ao_diags own;
    ao_diags_init(&own);
    ao_error err = ao_scenario_apply(tables, c->name, &c->tables, &own);
    /* The closing line only when the scenario applied and its result is invalid: a
     * scenario that could not be applied (no such name, a bad scenarios row) is named
     * by its own messages already. */
    int applied = err == AO_NO_ERROR;
    if (applied)
        err = ao_model_build(c->tables, &c->model, &own);
    if (own.n_errors > 0) {
        ao_error copied = ao_diags_copy(diags, &own, 1);
        const ao_table *scenarios = ao_tableset_find(tables, "scenarios");
        ao_loc loc = {.file = scenarios ? scenarios->file : tables->source, .table = "scenarios"};
        if (copied == AO_NO_ERROR && applied)
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
static ao_error build_cases(const ao_run_options *options, int everything, ao_run_result *run)
{
    char **names = NULL;
    size_t n_names = 0;
    ao_error err = scenario_list(options, everything, run->tables, &names, &n_names);
    if (err == AO_NO_ERROR && (run->cases = calloc(n_names + 1, sizeof *run->cases)) == NULL)
        err = AO_ERROR_MEMORY_MALLOC_FAILED;
    for (size_t k = 0; err == AO_NO_ERROR && k <= n_names; k++) {
        ao_run_case *c = &run->cases[run->n_cases++];
        c->name = ao_strdup(k == 0 ? "baseline" : names[k - 1]);
        if (c->name == NULL) {
            err = AO_ERROR_MEMORY_MALLOC_FAILED;
            break;
        }
        err = k == 0 ? ao_model_build(run->tables, &c->model, &run->diags)
                     : build_scenario(c, run->tables, &run->diags);
        if (err == AO_ERROR_INPUT)
            err = AO_NO_ERROR;
        if (k == 0 && c->model == NULL)
            break; /* the scenarios would only repeat the baseline's errors */
        if (c->model != NULL && options->arrangement != NULL)
            ao_model_set_arrangement(c->model,
                                     (ao_arrangement)ao_arrangement_parse(options->arrangement));
    }
    ao_scenario_names_free(names, n_names);
    return err;
}

/* The uncertainty table: always checked with `everything`, else read for samples. */
static ao_error read_uncertainty(const ao_run_options *options, int everything, ao_run_result *run)
{
    if (!everything && options->samples == 0)
        return AO_NO_ERROR;
    ao_error err = ao_uncertainty_read(run->tables, &run->uncertainty, &run->diags);
    if (err == AO_NO_ERROR && run->uncertainty == NULL && !everything) {
        ao_loc loc = {.file = run->tables->source, .table = "uncertainty"};
        err = ao_diags_add(&run->diags, AO_DIAG_ERROR, &loc,
                           "--samples needs an uncertainty table saying which inputs are "
                           "uncertain (a file uncertainty.csv, or a sheet uncertainty)");
    }
    return err == AO_ERROR_INPUT ? AO_NO_ERROR : err;
}

static ao_error check_input(runner *r, int everything)
{
    const ao_run_options *options = r->options;
    ao_run_result *run = r->run;
    if (options->arrangement != NULL && ao_arrangement_parse(options->arrangement) < 0)
        return stop(r, AO_ERROR_OPTIONS, NULL, "'%s' is not an arrangement", options->arrangement);
    enter(r, AO_RUN_READ);
    ao_error err = options->read != NULL
                       ? options->read(options->read_context, &run->tables, &run->diags)
                       : ao_input_read(options->input, &run->tables, &run->diags);
    run->timings.read = elapsed(r);
    if (err == AO_NO_ERROR && (run->diags.n_errors > 0 || run->tables == NULL))
        err = AO_ERROR_INPUT;
    if (err != AO_NO_ERROR)
        return halt(r, err);
    enter(r, AO_RUN_CHECK);
    err = build_cases(options, everything, run);
    if (err == AO_NO_ERROR)
        err = read_uncertainty(options, everything, run);
    if (err == AO_NO_ERROR && run->diags.n_errors > 0)
        err = AO_ERROR_INPUT;
    return err == AO_NO_ERROR ? AO_NO_ERROR : halt(r, err);
}

static ao_error start(const ao_run_options *options, runner *r, ao_run_result **out)
{
    *out = NULL;
    if (options == NULL)
        return AO_ERROR_NULL_PARAMETER;
    ao_run_result *run = calloc(1, sizeof *run);
    if (run == NULL)
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    ao_diags_init(&run->diags);
    run->label = options->label != NULL ? options->label : options->input;
    *r = (runner){.options = options, .run = run};
    clock_gettime(CLOCK_MONOTONIC, &r->start);
    *out = run;
    return AO_NO_ERROR;
}

ao_error ao_run_check(const ao_run_options *options, int everything, ao_run_result **out)
{
    runner r;
    AO_RETURN_ON_ERROR(start(options, &r, out));
    AO_RETURN_ON_ERROR(check_input(&r, everything));
    r.run->stage = AO_RUN_DONE;
    return AO_NO_ERROR;
}

/* Refuse outputs that would overwrite an input or a file that is not allocopt's. */
static ao_error check_outputs(runner *r)
{
    const ao_run_options *options = r->options;
    const char *outputs[] = {options->output, options->json, options->lp};
    size_t n = sizeof outputs / sizeof outputs[0];
    for (size_t k = 0; k < n; k++) {
        if (outputs[k] != NULL && ao_is_input_file(r->run->tables, outputs[k]))
            return stop(r, AO_ERROR_OPTIONS, outputs[k],
                        "an output file would overwrite an input file; inputs are never "
                        "modified. Choose another output name.");
    }
    size_t before = r->run->diags.count;
    ao_error err = ao_outputs_check(outputs, n, options->force, &r->run->diags);
    if (err != AO_NO_ERROR && r->run->diags.count > before)
        r->run->reason = &r->run->diags.items[r->run->diags.count - 1];
    if (err != AO_NO_ERROR)
        r->run->error = err;
    return err;
}

/* Solve every case, in threads; then check each plan keeps every limit. */
static ao_error solve_cases(runner *r)
{
    const ao_run_options *options = r->options;
    ao_run_result *run = r->run;
    ao_plan_options *plan_options = &r->plan_options;
    ao_plan_options_set_default(plan_options);
    plan_options->solver.verbose = options->verbose;
    plan_options->solver.on_progress = options->on_solver_line;
    plan_options->solver.progress_info = options->progress_context;
    plan_options->solver.kind = options->solver;
    plan_options->lp_path = options->lp;
    /* The samples start from the baseline's basis, with the same solver settings. */
    plan_options->keep_basis = options->samples > 0;
    enter(r, AO_RUN_SOLVE);
    const ao_model **models = calloc(run->n_cases, sizeof *models);
    ao_plan **plans = calloc(run->n_cases, sizeof *plans);
    ao_error err = AO_ERROR_MEMORY_MALLOC_FAILED;
    if (models != NULL && plans != NULL) {
        for (size_t k = 0; k < run->n_cases; k++)
            models[k] = run->cases[k].model;
        err = ao_plan_solve_all(models, run->n_cases, plan_options, options->threads, plans);
        for (size_t k = 0; k < run->n_cases; k++)
            run->cases[k].plan = plans[k];
    }
    free(models);
    free(plans);
    if (err == AO_ERROR_FILE_WRITE)
        return stop(r, err, options->lp, "could not write the LP file %s", options->lp);
    if (err != AO_NO_ERROR)
        return stop(r, err, NULL, "the solve failed");
    enter(r, AO_RUN_VERIFY);
    for (size_t k = 0; k < run->n_cases; k++) {
        const ao_plan *p = run->cases[k].plan;
        if (p->status == AO_STATUS_OPTIMAL && p->max_relative_violation > AO_VERIFY_TOLERANCE)
            return stop(r, AO_ERROR_INTERNAL, NULL,
                        "the plan for %s breaks a limit by more than the tolerance (%s); it "
                        "is not written.",
                        run->cases[k].name, p->worst_violation ? p->worst_violation : "?");
    }
    return AO_NO_ERROR;
}

/* The uncertainty study, from the baseline's plan. */
static ao_error run_study(runner *r)
{
    const ao_run_options *options = r->options;
    ao_run_result *run = r->run;
    enter(r, AO_RUN_STUDY);
    ao_study_options study_options = {
        .seed = options->seed,
        .n_samples = options->samples,
        .shard = options->n_shards > 0 ? options->shard : 1,
        .n_shards = options->n_shards > 0 ? options->n_shards : 1,
        .threads = options->threads,
        .arrangement = options->arrangement ? ao_arrangement_parse(options->arrangement) : -1,
        .plan = r->plan_options,
        .breach_tolerance = options->breach_tolerance};
    ao_error err = ao_study_run(run->tables, run->uncertainty, run->cases[0].model,
                                run->cases[0].plan, &study_options, &run->study);
    if (err == AO_ERROR_MEMORY_MALLOC_FAILED)
        return halt(r, err);
    if (err != AO_NO_ERROR)
        return stop(r, err, NULL, "the uncertainty study failed");
    return AO_NO_ERROR;
}

/* The results workbook and the JSON summary; for a shard, its partial result. */
/* The JSON summary written to path's temporary file, not yet renamed over path (no path:
 * nothing to do). */
static ao_error stage_json(const char *path, const ao_results *results, char **staged)
{
    *staged = NULL;
    return path != NULL ? ao_json_stage(path, results, staged) : AO_NO_ERROR;
}

static ao_error write_results(runner *r)
{
    const ao_run_options *options = r->options;
    ao_run_result *run = r->run;
    enter(r, AO_RUN_WRITE);
    if (options->n_shards > 0) {
        ao_error err = ao_partial_write(options->output, run->study);
        return err == AO_NO_ERROR
                   ? AO_NO_ERROR
                   : stop(r, err, options->output, "could not write %s", options->output);
    }
    ao_case *cases = calloc(run->n_cases, sizeof *cases);
    if (cases == NULL)
        return halt(r, AO_ERROR_MEMORY_MALLOC_FAILED);
    for (size_t k = 0; k < run->n_cases; k++)
        cases[k] = (ao_case){run->cases[k].name, run->cases[k].model, run->cases[k].plan};
    ao_results results = {.tables = run->tables,
                          .input_path = run->label,
                          .n_cases = run->n_cases,
                          .cases = cases,
                          .uncertainty = run->study,
                          .timings = &run->timings};
    /* Both outputs or neither: the JSON is staged (written beside its target) before the
     * workbook is committed, and renamed into place after it. Once the workbook is written
     * the JSON is made again with the time that took; if that fails, the staged one is
     * committed, whole, without it. */
    double write_start = elapsed(r);
    const char *failed = options->json;
    char *staged = NULL;
    ao_error err = stage_json(options->json, &results, &staged);
    if (err == AO_NO_ERROR) {
        failed = options->output;
        err = ao_workbook_write(options->output, &results);
    }
    run->timings.total = elapsed(r);
    run->timings.write = run->timings.total - write_start;
    if (err == AO_NO_ERROR && staged != NULL) {
        failed = options->json;
        /* Staged under another temporary name, so that a failure leaves the first. */
        char *beside = ao_asprintf("%s.timed", options->json);
        char *timed = NULL;
        if (beside != NULL && stage_json(beside, &results, &timed) == AO_NO_ERROR) {
            ao_atomic_abort(staged);
            free(staged);
            staged = timed;
        }
        free(beside);
        err = ao_atomic_commit(staged, options->json);
    } else if (staged != NULL) {
        ao_atomic_abort(staged);
    }
    free(staged);
    free(cases);
    return err == AO_NO_ERROR ? AO_NO_ERROR : stop(r, err, failed, "could not write %s", failed);
}

ao_error ao_run(const ao_run_options *options, ao_run_result **out)
{
    runner r;
    AO_RETURN_ON_ERROR(start(options, &r, out));
    if (options->output == NULL || (options->n_shards > 0 && options->samples == 0))
        return halt(&r, AO_ERROR_OPTIONS);
    AO_RETURN_ON_ERROR(check_input(&r, 0));
    enter(&r, AO_RUN_OUTPUTS);
    AO_RETURN_ON_ERROR(check_outputs(&r));
    r.run->timings.check = elapsed(&r) - r.run->timings.read;
    AO_RETURN_ON_ERROR(solve_cases(&r));
    if (options->samples > 0)
        AO_RETURN_ON_ERROR(run_study(&r));
    AO_RETURN_ON_ERROR(write_results(&r));
    r.run->stage = AO_RUN_DONE;
    return AO_NO_ERROR;
}
