/**
 * @file cli/progress.h
 * @brief Progress on stderr for runs that take more than a second: the phase under way,
 * and the simplex's own progress lines. On a terminal the simplex line updates in place;
 * elsewhere each is a plain line. Solver lines may come from worker threads.
 */
#ifndef AO_CLI_PROGRESS_H
#define AO_CLI_PROGRESS_H

/** @brief Start the clock (and, unless quiet, the ticker thread). */
void cli_progress_start(int quiet);

/** @brief End the ticker (at exit; harmless when it never started). */
void cli_progress_stop(void);

/** @brief Seconds since cli_progress_start(). */
double cli_progress_elapsed(void);

/** @brief A new phase ("solving"): shown once the run has lasted past a second. */
void cli_progress_phase(const char *what);

/** @brief End a line being updated in place. */
void cli_progress_end(void);

/** @brief A line of the solver's log (ao_solver_options.on_progress). */
void cli_progress_solver_line(void *info, const char *line);

#endif /* AO_CLI_PROGRESS_H */
