/**
 * @file solver/lp.h
 * @brief A linear programme in triplet form, and the solver that solves it.
 *
 * This layer knows rows, columns and coefficients only. Two backends solve: GLPK
 * (lp_glpk.c, the default and the only one for whole-valued columns) and COIN-OR CLP
 * (lp_clp.c, when the build found it); solver.c forwards each call to the one in use.
 * Indices here are 0-based; each backend converts to its own conventions.
 */
#ifndef AO_SOLVER_LP_H
#define AO_SOLVER_LP_H

#include <math.h>
#include <stddef.h>

#include "common/error.h"

/** Outcome of a solve (not an error: an infeasible model is an answer). */
typedef enum ao_solve_status {
    AO_STATUS_NOT_SOLVED = 0, ///< Not solved yet, or the solver gave up.
    AO_STATUS_OPTIMAL,        ///< An optimal solution was found.
    AO_STATUS_INFEASIBLE,     ///< No solution satisfies every constraint.
    AO_STATUS_UNBOUNDED       ///< The objective can improve without limit.
} ao_solve_status;

/** @brief Lower-case name of a status ("optimal", "infeasible", ...). */
const char *ao_solve_status_name(ao_solve_status status);

/** Optimisation direction. */
typedef enum ao_sense {
    AO_MINIMISE = 0, ///< Minimise the objective.
    AO_MAXIMISE      ///< Maximise the objective.
} ao_sense;

/** Marks an absent bound. */
#define AO_INF HUGE_VAL

/** A linear programme: rows lo ≤ A x ≤ hi, columns lo ≤ x ≤ hi. */
typedef struct ao_lp {
    ao_sense sense;             ///< Direction.
    double obj_constant;        ///< Constant term of the objective.
    size_t n_rows;              ///< Rows.
    size_t n_cols;              ///< Columns.
    double *obj;                ///< Objective coefficient per column.
    double *col_lo;             ///< Column lower bounds (-AO_INF for none).
    double *col_hi;             ///< Column upper bounds (AO_INF for none).
    double *row_lo;             ///< Row lower bounds.
    double *row_hi;             ///< Row upper bounds.
    char **row_names;           ///< Row names for LP export (entries may be NULL).
    char **col_names;           ///< Column names for LP export (entries may be NULL).
    size_t n_nz;                ///< Nonzeros.
    size_t cap_nz;              ///< Allocated nonzeros.
    int *nz_row;                ///< Row of each nonzero.
    int *nz_col;                ///< Column of each nonzero.
    double *nz_val;             ///< Value of each nonzero.
    size_t cap_rows;            ///< Allocated rows.
    size_t cap_cols;            ///< Allocated columns.
    unsigned char *col_integer; ///< Per column: 1 when it must take a whole value.
    size_t n_integer;           ///< Number of integer columns (0: a pure LP).
    size_t cap_integer;         ///< Allocated entries of col_integer.
} ao_lp;

/** @brief A new empty LP. NULL if out of memory. */
ao_lp *ao_lp_new(ao_sense sense);

/** @brief Free an LP. Accepts NULL. */
void ao_lp_free(ao_lp *lp);

/**
 * @brief Add a column.
 * @param[in] name Name for export (copied; may be NULL).
 * @return The column index, or -1 if out of memory.
 */
int ao_lp_add_col(ao_lp *lp, const char *name, double lo, double hi, double obj);

/**
 * @brief Require a column to take whole values (making the problem a MIP).
 * @return AO_NO_ERROR or AO_ERROR_MEMORY_MALLOC_FAILED.
 */
ao_error ao_lp_set_integer(ao_lp *lp, int col);

/** @brief True when column j must take whole values. */
static inline int ao_lp_is_integer(const ao_lp *lp, size_t j)
{
    return lp->col_integer != NULL && j < lp->cap_integer && lp->col_integer[j];
}

/**
 * @brief Add a row with no coefficients yet.
 * @return The row index, or -1 if out of memory.
 */
int ao_lp_add_row(ao_lp *lp, const char *name, double lo, double hi);

/**
 * @brief Add a coefficient. Repeated (row, col) pairs are summed when loaded.
 * @return AO_NO_ERROR or AO_ERROR_MEMORY_MALLOC_FAILED.
 */
ao_error ao_lp_add_nz(ao_lp *lp, int row, int col, double value);

/** Which linear-programming code and method solves. */
typedef enum ao_solver_kind {
    AO_SOLVER_GLPK = 0,      ///< GNU GLPK's simplex (also every problem with integer columns).
    AO_SOLVER_CLP,           ///< COIN-OR CLP's dual simplex (LPs only: a MIP goes to GLPK).
    AO_SOLVER_GLPK_INTERIOR, ///< GLPK's interior point, then an optimal basis recovered
                             ///< by GLPK's simplex (LPs only; warm solves use the simplex).
    AO_SOLVER_AUTO           ///< Chosen from the LP by ao_solver_choose() (the default).
} ao_solver_kind;

/**
 * @brief The method AO_SOLVER_AUTO takes for an LP: the same LP always gets the same
 * method (it depends on the LP's size alone, never on the machine or its load).
 * docs/benchmarks.md gives the measurements behind the rule.
 */
ao_solver_kind ao_solver_choose(const ao_lp *lp);

/** @brief The method in words for a report ("GLPK simplex", "COIN-OR CLP dual simplex",
 *  ...). */
const char *ao_solver_kind_description(ao_solver_kind kind);

/** @brief Lower-case name ("glpk", "clp", "glpk-interior", "auto"). */
const char *ao_solver_kind_name(ao_solver_kind kind);

/**
 * @brief Parse a backend name (case-insensitive).
 * @return The kind, or -1 when the name is unknown.
 */
int ao_solver_kind_parse(const char *text);

/** @brief 1 when this build includes the backend. */
int ao_solver_kind_available(ao_solver_kind kind);

/** @brief The backend library's version ("5.0", "1.17.6"), or "" when not built in. */
const char *ao_solver_kind_version(ao_solver_kind kind);

/** Solver settings. Fill with ao_solver_options_set_default(). */
typedef struct ao_solver_options {
    ao_solver_kind kind; ///< Code and method for LPs (default AO_SOLVER_AUTO).
    int verbose;         ///< 1 to let the solver print its progress.
    int presolve;        ///< 1 to presolve a cold solve.
    double time_limit;   ///< Seconds, 0 for none.
    double mip_gap;      ///< Relative gap at which branch-and-cut may stop.
    /** Called with each progress line of the solver (NULL: none). May be called from
     *  the thread that solves; the callee must be thread-safe when solves run in
     *  threads. */
    void (*on_progress)(void *info, const char *line);
    void *progress_info; ///< Passed to on_progress.
} ao_solver_options;

/** Default for ao_solver_options.mip_gap. */
#define AO_SOLVER_DEFAULT_MIP_GAP 1e-6

/** Default for ao_solver_options.presolve. */
#define AO_SOLVER_DEFAULT_PRESOLVE 1
/** Default for ao_solver_options.time_limit (no limit). */
#define AO_SOLVER_DEFAULT_TIME_LIMIT 0.0

/** @brief Fill options with defaults. */
void ao_solver_options_set_default(ao_solver_options *options);

/** A simplex basis: the status of every row and column, to warm-start another solve. */
typedef struct ao_basis ao_basis;

/** @brief Free a basis. Accepts NULL. */
void ao_basis_free(ao_basis *basis);

/** An LP loaded into a solver, with its last solution. */
typedef struct ao_solver ao_solver;

/**
 * @brief Load an LP into a new solver (one bulk matrix load).
 * @param[in] lp The LP (not kept; may be freed afterwards).
 * @param[in] options NULL for defaults.
 * @param[out] out The solver.
 * @return AO_NO_ERROR, AO_ERROR_MEMORY_MALLOC_FAILED, or AO_ERROR_SOLVER when the
 * backend refuses the data (e.g. a NaN coefficient).
 */
ao_error ao_solver_new(const ao_lp *lp, const ao_solver_options *options, ao_solver **out);

/** @brief Free a solver. Accepts NULL. */
void ao_solver_free(ao_solver *solver);

/**
 * @brief Solve from the current basis (presolving when the options ask for it and no
 * basis is known yet). With integer columns, the LP relaxation is solved first and then
 * branch-and-cut finds the best whole-valued solution within the options' MIP gap; the
 * values, objective and row activities then describe that solution (duals are not
 * defined: see ao_solver_fix_integers()).
 * @param[out] status The outcome.
 * @return AO_NO_ERROR, or AO_ERROR_SOLVER on a solver failure.
 */
ao_error ao_solver_solve(ao_solver *solver, ao_solve_status *status);

/**
 * @brief Fix every integer column at its value in the last MIP solution and treat the
 * problem as an LP from then on, so that the next solve gives duals and ranges for the
 * continuous part with the whole-valued decisions held.
 * @return AO_NO_ERROR or AO_ERROR_SOLVER.
 */
ao_error ao_solver_fix_integers(ao_solver *solver);

/** @brief The relative gap the last MIP solve proved (0 for an LP). */
double ao_solver_mip_gap(const ao_solver *solver);

/** @brief Objective value of the last solution. */
double ao_solver_objective(const ao_solver *solver);

/** @brief Column primal values into out (n_cols entries). */
void ao_solver_col_values(const ao_solver *solver, double *out);

/** @brief Row activities (A x) into out (n_rows entries). */
void ao_solver_row_values(const ao_solver *solver, double *out);

/** @brief Row dual values into out: d objective / d row bound. */
void ao_solver_row_duals(const ao_solver *solver, double *out);

/** @brief Column reduced costs into out. */
void ao_solver_col_duals(const ao_solver *solver, double *out);

/**
 * @brief For each listed row, the range of its active limit over which the current
 * basis (and so the row's dual value) stays optimal. (Under CLP the optimal basis is
 * handed to GLPK, which analyses it.) A row whose limit is not active
 * keeps a dual of zero while the limit stays beyond the row's activity: its range runs
 * from the activity to infinity (or minus infinity).
 * @param[in] rows Row indices.
 * @param[out] from Lowest value of the limit (-INFINITY for none), per listed row.
 * @param[out] to Highest value of the limit (INFINITY for none), per listed row.
 * @return AO_NO_ERROR or AO_ERROR_SOLVER.
 */
ao_error ao_solver_limit_ranges(ao_solver *solver, size_t n, const int *rows, double *from,
                                double *to);

/**
 * @brief The solver's current basis (after an optimal solve), for a warm start.
 * @param[out] out The basis (caller frees with ao_basis_free()).
 * @return AO_NO_ERROR, a memory error or AO_ERROR_SOLVER.
 */
ao_error ao_solver_get_basis(const ao_solver *solver, ao_basis **out);

/** Ranging under way (ao_solver_ranges_start). */
typedef struct ao_ranging ao_ranging;

/**
 * @brief Start ranging the limits of `rows` (as ao_solver_limit_ranges) at the current
 * optimal basis. Where the backend cannot range (CLP), a GLPK copy of the problem as it
 * is now ranges in a thread of its own, so that the solver may be changed and solved
 * again (a second pass) on the other core meanwhile; where it can, it ranges now. The
 * results do not depend on which.
 * @param[out] out The ranging; pass it to ao_solver_ranges_finish() in every case.
 * @return AO_NO_ERROR or a memory error (then *out is NULL).
 */
ao_error ao_solver_ranges_start(ao_solver *solver, size_t n, const int *rows, ao_ranging **out);

/**
 * @brief Wait for a ranging, copy its n ranges to from and to (when not NULL), and free
 * it.
 * @return What ao_solver_limit_ranges would have returned.
 */
ao_error ao_solver_ranges_finish(ao_ranging *ranging, double *from, double *to);

/**
 * @brief Start the next solve from a basis taken from an LP of the same shape (same
 * rows, columns and nonzero pattern; only numbers may differ). The next solve then
 * skips the presolver.
 * @return 1 when the basis was taken, 0 when its shape does not match (the solve will
 * start cold).
 */
int ao_solver_set_basis(ao_solver *solver, const ao_basis *basis);

/**
 * @brief Solve the next time as a first solve, with the presolver where the backend has one,
 * instead of simplex iterations from the basis in hand. GLPK starts from scratch. CLP hands
 * the statuses it holds to its presolved problem and runs its dual simplex from there:
 * after the rows and columns it holds were moved close to an optimum, that is much quicker
 * than from scratch (the continuity pass of models/plan.c relies on it; docs/benchmarks.md).
 */
void ao_solver_forget_basis(ao_solver *solver);

/**
 * @brief Append a row to the loaded problem (keeping the basis: the new row's slack is
 * basic). Coefficients are given as parallel arrays of 0-based columns and values.
 * @return AO_NO_ERROR, AO_ERROR_MEMORY_MALLOC_FAILED or AO_ERROR_SOLVER.
 */
ao_error ao_solver_add_row(ao_solver *solver, const char *name, double lo, double hi, size_t n,
                           const int *cols, const double *values);

/**
 * @brief Append n rows to the loaded problem (keeping the basis: each new row's activity
 * is basic). Row q's coefficients are cols[start[q] .. start[q + 1] − 1] and the values
 * beside them (0-based columns); start has n + 1 entries.
 * @return AO_NO_ERROR, AO_ERROR_MEMORY_MALLOC_FAILED or AO_ERROR_SOLVER.
 */
ao_error ao_solver_add_rows(ao_solver *solver, size_t n, const double *lo, const double *hi,
                            const size_t *start, const int *cols, const double *values);

/**
 * @brief Append n columns with no coefficients and a zero objective, between lo and hi
 * (keeping the basis: each new column is non-basic at a limit, at its lower one when it
 * has one). They are numbered from ao_solver_n_cols() before the call; give them
 * coefficients by adding rows, and objective coefficients by ao_solver_set_objective().
 * @return AO_NO_ERROR, AO_ERROR_MEMORY_MALLOC_FAILED or AO_ERROR_SOLVER.
 */
ao_error ao_solver_add_cols(ao_solver *solver, size_t n, const double *lo, const double *hi);

/**
 * @brief Change the limits of n loaded rows (lo[q] ≤ row rows[q]'s activity ≤ hi[q];
 * ±AO_INF where absent). A non-basic row goes to the new limit nearest its activity.
 * @return AO_NO_ERROR, AO_ERROR_MEMORY_MALLOC_FAILED or AO_ERROR_SOLVER (an index out of
 * range, a NaN, lo above hi).
 */
ao_error ao_solver_set_row_bounds(ao_solver *solver, size_t n, const int *rows, const double *lo,
                                  const double *hi);

/**
 * @brief Change the limits of n columns (cols[q] between lo[q] and hi[q]; ±AO_INF where
 * absent). A non-basic column goes to the new limit nearest its value, so that a column
 * fixed at its value and later given back its old limits stays where it is.
 * @return AO_NO_ERROR, AO_ERROR_MEMORY_MALLOC_FAILED or AO_ERROR_SOLVER (as for rows).
 */
ao_error ao_solver_set_col_bounds(ao_solver *solver, size_t n, const int *cols, const double *lo,
                                  const double *hi);

/**
 * @brief Before the next solve, put column cols[q] into the basis in place of row
 * rows[q]'s activity, which becomes non-basic at its lower limit (its upper one when it
 * has no lower), for each q < n. Meant for a row just added that the current point
 * breaks and a new column whose only coefficient is in that row: the basis stays valid,
 * and the row is met at its limit by that column, so that the next solve starts from a
 * point that meets every limit instead of searching for one.
 * @return AO_NO_ERROR or AO_ERROR_SOLVER (an index out of range).
 */
ao_error ao_solver_swap_basic(ao_solver *solver, size_t n, const int *rows, const int *cols);

/** @brief Replace the objective (coefficients per column) and its direction. */
ao_error ao_solver_set_objective(ao_solver *solver, ao_sense sense, const double *obj);

/**
 * @brief Rows that the solver's last (infeasible) basis leaves violated, as indices
 * into out (at most max entries), largest violation first.
 * @return The number written.
 */
size_t ao_solver_infeasible_rows(ao_solver *solver, int *out, size_t max);

/**
 * @brief Write the loaded problem in CPLEX LP format.
 * @return AO_NO_ERROR or AO_ERROR_FILE_WRITE.
 */
ao_error ao_solver_write_lp(const ao_solver *solver, const char *path);

/**
 * @brief Release the calling thread's solver resources (GLPK keeps an environment per
 * thread; CLP keeps none). Call at the end of a worker thread that used solvers; all of that
 * thread's solvers must have been freed.
 */
void ao_solver_thread_cleanup(void);

/** @brief The backend that solves this problem (GLPK when CLP was asked for a MIP). */
ao_solver_kind ao_solver_kind_used(const ao_solver *solver);

/** @brief Rows currently loaded. */
size_t ao_solver_n_rows(const ao_solver *solver);

/** @brief Columns currently loaded. */
size_t ao_solver_n_cols(const ao_solver *solver);

#endif /* AO_SOLVER_LP_H */
