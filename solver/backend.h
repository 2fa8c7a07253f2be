/**
 * @file solver/backend.h
 * @brief Inside the solver layer: what a backend (GLPK, CLP) provides to solver.c.
 *
 * Not for use outside solver/. solver.c owns the public ao_solver and ao_basis and
 * forwards each call to the backend's operations; a backend sees only its own
 * problem object (`impl`) and 0-based indices.
 */
#ifndef AO_SOLVER_BACKEND_H
#define AO_SOLVER_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "solver/lp.h"

/** An LP's coefficients with repeated (row, column) pairs summed, ordered by row. */
typedef struct ao_merged {
    size_t count;   ///< Distinct nonzeros.
    int *row;       ///< 0-based row of each.
    int *col;       ///< 0-based column of each.
    double *value;  ///< Value of each.
    uint64_t shape; ///< Hash of the dimensions and the (row, column) pattern.
} ao_merged;

/**
 * @brief Merge an LP's triplets (linear in the nonzeros) and hash its shape.
 * @return AO_NO_ERROR, a memory error, or AO_ERROR_SOLVER for an index out of range or
 * a value that is not finite.
 */
ao_error ao_merged_build(const ao_lp *lp, ao_merged *out);

/** @brief Free the arrays of a merged set. */
void ao_merged_free(ao_merged *merged);

/** Status of a row or column in a basis, the same for every backend. A row's status is
 *  that of its activity (A x) against the row's limits. */
enum {
    AO_BASIS_BASIC = 1, ///< In the basis.
    AO_BASIS_LOWER,     ///< Non-basic at its lower limit.
    AO_BASIS_UPPER,     ///< Non-basic at its upper limit.
    AO_BASIS_FREE,      ///< Non-basic and free (value zero).
    AO_BASIS_FIXED      ///< Non-basic with equal limits.
};

/** The operations of one backend. `impl` is the backend's own problem object. */
typedef struct ao_backend {
    const char *name;             ///< "glpk", "clp".
    const char *(*version)(void); ///< The library's version.
    /** Load an LP (merged coefficients given); *impl receives the problem. */
    ao_error (*load)(const ao_lp *lp, const ao_merged *merged, const ao_solver_options *options,
                     void **impl);
    void (*free)(void *impl);
    /** Solve: cold (presolved when asked) the first time, from the current basis
     *  afterwards; `dual_first` when only limits changed since the basis was set. */
    ao_error (*solve)(void *impl, int warm, int dual_first, ao_solve_status *status);
    /** Integer columns: fix them at the MIP solution (NULL: the backend has no MIP). */
    ao_error (*fix_integers)(void *impl);
    double (*mip_gap)(const void *impl);
    double (*objective)(const void *impl);
    void (*col_values)(const void *impl, double *out);
    void (*row_values)(const void *impl, double *out);
    void (*row_duals)(const void *impl, double *out);
    void (*col_duals)(const void *impl, double *out);
    /** Row limits (±AO_INF where absent). */
    void (*row_bounds)(const void *impl, double *lo, double *hi);
    /** Ranges of active limits (NULL: solver.c computes them through GLPK). */
    ao_error (*limit_ranges)(void *impl, size_t n, const int *rows, double *from, double *to);
    /** Basis statuses (AO_BASIS_*) of rows and columns. */
    ao_error (*get_basis)(const void *impl, unsigned char *row_stat, unsigned char *col_stat);
    ao_error (*set_basis)(void *impl, const unsigned char *row_stat, const unsigned char *col_stat);
    /** Append n rows (the coefficients of row q at start[q] .. start[q + 1]), their
     *  activities basic; name may be NULL. */
    ao_error (*add_rows)(void *impl, const char *name, size_t n, const double *lo, const double *hi,
                         const size_t *start, const int *cols, const double *values);
    /** Append n empty columns with a zero objective, non-basic at a limit. */
    ao_error (*add_cols)(void *impl, size_t n, const double *lo, const double *hi);
    /** Change the limits of n rows; a non-basic one goes to the new limit nearest its
     * activity. */
    ao_error (*set_row_bounds)(void *impl, size_t n, const int *rows, const double *lo,
                               const double *hi);
    /** Change the limits of n columns; a non-basic one goes to the new limit nearest its
     * value. */
    ao_error (*set_col_bounds)(void *impl, size_t n, const int *cols, const double *lo,
                               const double *hi);
    /** Put cols[q] into the basis in place of rows[q]'s activity, which goes to a limit. */
    ao_error (*swap_basic)(void *impl, size_t n, const int *rows, const int *cols);
    ao_error (*set_objective)(void *impl, ao_sense sense, const double *obj);
    /** Write CPLEX LP format (NULL: solver.c writes through GLPK). */
    ao_error (*write_lp)(const void *impl, const char *path);
    /** Simplex iterations of the first (cold) solve, 0 if unknown. */
    long (*iterations)(const void *impl);
    /** Cap the next warm solve at `limit` iterations, after which the backend starts
     *  again cold (NULL: warm solves are never cut short). */
    void (*set_warm_limit)(void *impl, long limit);
    size_t (*n_rows)(const void *impl);
    size_t (*n_cols)(const void *impl);
    /** Solve by an interior-point method and give the columns' values (no basis); an
     *  error when it finds no optimum (NULL: the backend has none). */
    ao_error (*interior_point)(void *impl, double *col_values);
    /** Solve cold starting from these column values, ending at an optimal basis (a
     *  crossover; NULL: the backend cannot). */
    ao_error (*solve_from_point)(void *impl, const double *col_values, ao_solve_status *status);
} ao_backend;

/** GLPK (always built). */
extern const ao_backend ao_backend_glpk;

#ifdef AO_HAVE_CLP
/** COIN-OR CLP (built when its development package is found). */
extern const ao_backend ao_backend_clp;
#endif

/** @brief Free the calling thread's GLPK environment. */
void ao_glpk_thread_cleanup(void);

#endif /* AO_SOLVER_BACKEND_H */
