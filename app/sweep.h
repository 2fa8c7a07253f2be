/**
 * @file app/sweep.h
 * @brief A whole sweep, as `allocopt sweep` does it, for any program to embed: read the
 * input, check that the frontier workbook may be written, solve every point of the
 * sweep (models/sweep.h, in threads) and write the workbook.
 *
 * Nothing here prints or exits. Problems with the input are diagnostics; a sweep that
 * stops says at which stage and with which error, and, when the output is refused, with
 * one more diagnostic naming the reason.
 */
#ifndef AO_APP_SWEEP_H
#define AO_APP_SWEEP_H

#include "common/diag.h"
#include "common/error.h"
#include "common/table.h"
#include "models/sweep.h"
#include "solver/lp.h"

/** Frontier workbook written when no output is given. */
#define AO_RUN_SWEEP_DEFAULT_OUTPUT "sweep.xlsx"

/** Where a sweep is, or where it stopped. */
typedef enum ao_run_sweep_stage {
    AO_RUN_SWEEP_READ = 0, ///< Reading the input.
    AO_RUN_SWEEP_OUTPUTS,  ///< Checking that the workbook may be written.
    AO_RUN_SWEEP_SOLVE,    ///< Checking what is varied and solving every point.
    AO_RUN_SWEEP_WRITE,    ///< Writing the frontier workbook.
    AO_RUN_SWEEP_DONE      ///< Finished: the workbook written.
} ao_run_sweep_stage;

/** Options of a sweep. Fill with ao_run_sweep_options_set_default(), then set what
 * differs. */
typedef struct ao_run_sweep_options {
    const char *input;     ///< Input folder or workbook (io/input.h).
    const char *vary;      ///< What is varied: TABLE.COLUMN or settings.KEY.
    double from, to;       ///< First and last value or scale.
    int steps;             ///< Points, ends included.
    ao_solver_kind solver; ///< LP method (default AO_SOLVER_AUTO).
    int verbose;           ///< Let the solver print its progress.
    int threads;           ///< Worker threads (results do not depend on it).
    const char *output;    ///< Frontier workbook.
    int force;             ///< Replace an existing file that is not one of allocopt's outputs.
} ao_run_sweep_options;

/** What a sweep did. Free with ao_run_sweep_result_free(). */
typedef struct ao_run_sweep_result {
    ao_error error;           ///< AO_NO_ERROR when every stage went through.
    ao_run_sweep_stage stage; ///< Where the sweep stopped (AO_RUN_SWEEP_DONE when it did not).
    ao_diags diags;           ///< Problems with the input, warnings included.
    const ao_diag *reason;    ///< When the output is refused, why (an entry of diags), or NULL.
    ao_tableset *tables;      ///< The tables read.
    ao_sweep *sweep;          ///< The points, once solved.
} ao_run_sweep_result;

/** @brief Every option at its default: 0.8 to 1.2 in 9 steps, one thread, sweep.xlsx. */
void ao_run_sweep_options_set_default(ao_run_sweep_options *options);

/**
 * @brief The whole sweep: read, check the output, solve every point, write the workbook.
 * A point with no feasible plan is an outcome, not an error.
 * @param[out] out The result (also on error; NULL only when out of memory).
 * @return The result's error: AO_ERROR_INPUT (see the diagnostics), AO_ERROR_OPTIONS (the
 * output is refused, or a bad range), or an error of reading, solving or writing.
 */
ao_error ao_run_sweep(const ao_run_sweep_options *options, ao_run_sweep_result **out);

/** @brief Free a result. Accepts NULL. */
void ao_run_sweep_result_free(ao_run_sweep_result *result);

#endif /* AO_APP_SWEEP_H */
