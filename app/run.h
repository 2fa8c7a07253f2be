/**
 * @file app/run.h
 * @brief A whole run, as `allocopt run` does it, for any program to embed: read the
 * input, build and check the baseline's model and each scenario's, solve them (in
 * threads), run an uncertainty study if asked, and write the results workbook (or a
 * shard's partial result) and the JSON summary.
 *
 * Nothing here prints or exits. Problems with the input are diagnostics; a run that
 * stops says at which stage, with which error and, past the input checks, with one more
 * diagnostic naming the reason. Progress is reported through callbacks.
 */
#ifndef AO_APP_RUN_H
#define AO_APP_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "common/diag.h"
#include "common/error.h"
#include "common/table.h"
#include "models/model.h"
#include "models/plan.h"
#include "models/uncertainty.h"
#include "solver/lp.h"

/** Results workbook written when no output is given. */
#define AO_RUN_DEFAULT_OUTPUT "results.xlsx"
/** Seed of an uncertainty study when none is given. */
#define AO_RUN_DEFAULT_SEED 1
/** Worker threads when none are given. */
#define AO_RUN_DEFAULT_THREADS 1

/** Where a run is, or where it stopped. */
typedef enum ao_run_stage {
    AO_RUN_READ = 0, ///< Reading the input.
    AO_RUN_CHECK,    ///< Building and checking the models (and the uncertainty table).
    AO_RUN_OUTPUTS,  ///< Checking that the outputs may be written.
    AO_RUN_SOLVE,    ///< Solving the baseline and the scenarios.
    AO_RUN_VERIFY,   ///< Checking that each plan keeps every limit.
    AO_RUN_STUDY,    ///< Solving the uncertainty samples.
    AO_RUN_WRITE,    ///< Writing the results.
    AO_RUN_DONE      ///< Finished: every output written.
} ao_run_stage;

/** One case of a run: the baseline or a scenario, with what it owns. */
typedef struct ao_run_case {
    char *name;          ///< "baseline" or the scenario's name.
    ao_tableset *tables; ///< Scenario tables (NULL for the baseline, which uses the input's).
    ao_model *model;     ///< Its model.
    ao_plan *plan;       ///< Its plan, once solved.
} ao_run_case;

/** What a run did. Free with ao_run_result_free(). */
typedef struct ao_run_result {
    ao_error error;              ///< AO_NO_ERROR when every stage asked for went through.
    ao_run_stage stage;          ///< Where the run stopped (AO_RUN_DONE when it did not).
    ao_diags diags;              ///< Problems with the input, warnings included.
    const ao_diag *reason;       ///< Past the input checks, why the run stopped (an entry
                                 ///< of diags), or NULL.
    const char *label;           ///< The input as messages name it (the options' string).
    ao_tableset *tables;         ///< The tables read.
    ao_run_case *cases;          ///< The baseline, then each scenario asked for.
    size_t n_cases;              ///< Cases built.
    ao_uncertainty *uncertainty; ///< The uncertainty table, when read.
    ao_study *study;             ///< The uncertainty study, when run.
    ao_run_timings timings;      ///< Where the time went.
} ao_run_result;

/** @brief The baseline's outcome; AO_STATUS_NOT_SOLVED before it is solved. */
ao_solve_status ao_run_status(const ao_run_result *run);

/** Options of a run. Fill with ao_run_options_set_default(), then set what differs. */
typedef struct ao_run_options {
    const char *input; ///< Input folder or workbook (io/input.h), unless `read` is set.
    /** Reads the input instead of `input` (an input held in memory), or NULL. */
    ao_error (*read)(void *context, ao_tableset **out, ao_diags *diags);
    void *read_context; ///< Passed to read.
    const char *label;  ///< The input as messages name it (default: input).

    int all_scenarios;            ///< Every scenario of the input.
    size_t n_scenarios;           ///< Else these scenarios, by name.
    const char *const *scenarios; ///< Their names.
    const char *arrangement;      ///< Arrangement forced on every case (checked), or NULL.
    ao_solver_kind solver;        ///< LP method (default AO_SOLVER_AUTO).
    int verbose;                  ///< Let the solver print its progress.
    int threads;                  ///< Worker threads (results do not depend on it).

    size_t samples; ///< Uncertainty samples (0: no study).
    uint64_t seed;  ///< Study seed.
    int shard;      ///< Shard K of N (1-based) with n_shards; 0: the whole study.
    int n_shards;   ///< N; with it, the run writes a partial result to `output`.
    double breach_tolerance; ///< Share of a budget overspent before the study counts a
                             ///< breach (default AO_STUDY_DEFAULT_BREACH_TOLERANCE).

    const char *output; ///< Results workbook, or the shard's partial result.
    const char *json;   ///< JSON summary, or NULL.
    const char *lp;     ///< The baseline's LP written here, or NULL.
    int force;          ///< Replace existing files that are not allocopt's outputs.

    /** Called as each stage begins (AO_RUN_OUTPUTS: the input has been read and checked
     * without errors, so its warnings may be shown), or NULL. */
    void (*on_stage)(void *context, ao_run_stage stage, const ao_run_result *run);
    /** A line of the solver's log (ao_solver_options.on_progress), or NULL. May be
     * called from worker threads. */
    void (*on_solver_line)(void *context, const char *line);
    void *progress_context; ///< Passed to on_stage and on_solver_line.
} ao_run_options;

/** @brief Every option at its default: no input, no scenario, no study, one thread. */
void ao_run_options_set_default(ao_run_options *options);

/**
 * @brief Read the input and build every model, before solving any, so that input
 * errors surface first. With `everything` (validate), every scenario and the
 * uncertainty table are checked whatever the options ask; otherwise the scenarios
 * asked for, and the uncertainty table when samples are asked for.
 * @param[out] out The result (also on error; NULL only when out of memory).
 * @return AO_NO_ERROR; AO_ERROR_INPUT (see the diagnostics); an error of reading.
 */
ao_error ao_run_check(const ao_run_options *options, int everything, ao_run_result **out);

/**
 * @brief The whole run: ao_run_check(), then the outputs checked, every case solved,
 * each plan verified, the study run, and the results written.
 *
 * A baseline with no feasible plan is an outcome, not an error: ao_run_status() says
 * it, the workbook is written and the error is AO_NO_ERROR.
 *
 * @param[out] out The result (also on error; NULL only when out of memory).
 * @return The result's error.
 */
ao_error ao_run(const ao_run_options *options, ao_run_result **out);

/** @brief Free a result. Accepts NULL. */
void ao_run_result_free(ao_run_result *run);

#endif /* AO_APP_RUN_H */
