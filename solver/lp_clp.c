/*
 * The COIN-OR CLP backend of the solver layer (solver/backend.h), through CLP's C
 * interface. The only file that includes Clp_C_Interface.h.
 *
 * A cold solve is CLP's dual simplex after its presolve; a warm one restarts the dual
 * (only limits changed) or primal simplex (a row added, the objective replaced) from
 * the status array. CLP keeps rows as their activities (A x) with the row limits as
 * bounds, the same convention as GLPK's auxiliary variables, so bases pass between the
 * two unchanged. CLP's C interface has no ranging and no LP writer: solver.c does those
 * through GLPK. Whole-valued columns never reach this backend (solver.c sends MIPs to
 * GLPK).
 */
#include <Clp_C_Interface.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "solver/backend.h"

/* CLP's status codes for rows and columns (ClpSimplex::Status). */
enum {
    CLP_FREE = 0,
    CLP_BASIC = 1,
    CLP_AT_UPPER = 2,
    CLP_AT_LOWER = 3,
    CLP_SUPERBASIC = 4,
    CLP_FIXED = 5
};

/* CLP's problem status (Clp_status). */
enum { CLP_OPTIMAL = 0, CLP_PRIMAL_INFEASIBLE = 1, CLP_DUAL_INFEASIBLE = 2 };

typedef struct clp_solver {
    Clp_Simplex *model;
    ao_solver_options options;
    double obj_constant; ///< CLP's objective offset has its own sign rules: kept here.
    int n_rows, n_cols;
    int infeasible;       ///< The last solve proved the problem infeasible.
    long cold_iterations; ///< Iterations of the first cold solve.
    long warm_limit;      ///< Iterations the next warm solve may take (0: no limit).
} clp_solver;

static double to_clp(double bound)
{
    if (bound >= AO_INF)
        return DBL_MAX;
    if (bound <= -AO_INF)
        return -DBL_MAX;
    return bound;
}

static double from_clp(double bound)
{
    if (bound >= 1e30)
        return AO_INF;
    if (bound <= -1e30)
        return -AO_INF;
    return bound;
}

/* CLP's log goes to stdout only when asked (-v). Its C interface cannot send the log
 * anywhere else: a callback sees each message but CLP prints it all the same, so the
 * progress callback gets no simplex lines from this backend. */
static void set_messages(clp_solver *solver)
{
    Clp_setLogLevel(solver->model, solver->options.verbose ? 1 : 0);
}

static ao_error clp_load(const ao_lp *lp, const ao_merged *merged, const ao_solver_options *options,
                         void **impl)
{
    ao_error err = AO_ERROR_MEMORY_MALLOC_FAILED;
    size_t n_rows = lp->n_rows, n_cols = lp->n_cols, count = merged->count;
    clp_solver *solver = calloc(1, sizeof *solver);
    CoinBigIndex *start = calloc(n_cols + 1, sizeof *start);
    int *index = malloc((count + 1) * sizeof *index);
    double *value = malloc((count + 1) * sizeof *value);
    double *col_lo = malloc((n_cols + 1) * sizeof *col_lo);
    double *col_hi = malloc((n_cols + 1) * sizeof *col_hi);
    double *row_lo = malloc((n_rows + 1) * sizeof *row_lo);
    double *row_hi = malloc((n_rows + 1) * sizeof *row_hi);
    CoinBigIndex *fill = malloc((n_cols + 1) * sizeof *fill);
    if (!solver || !start || !index || !value || !col_lo || !col_hi || !row_lo || !row_hi || !fill)
        goto cleanup;
    if ((solver->model = Clp_newModel()) == NULL)
        goto cleanup;
    solver->options = *options;
    solver->obj_constant = lp->obj_constant;
    solver->n_rows = (int)n_rows;
    solver->n_cols = (int)n_cols;

    /* Column-major from the row-ordered merged triplets: count, then place. */
    for (size_t k = 0; k < count; k++)
        start[merged->col[k] + 1]++;
    for (size_t j = 0; j < n_cols; j++)
        start[j + 1] += start[j];
    memcpy(fill, start, n_cols * sizeof *fill);
    for (size_t k = 0; k < count; k++) {
        CoinBigIndex q = fill[merged->col[k]]++;
        index[q] = merged->row[k];
        value[q] = merged->value[k];
    }
    for (size_t j = 0; j < n_cols; j++) {
        col_lo[j] = to_clp(lp->col_lo[j]);
        col_hi[j] = to_clp(lp->col_hi[j]);
    }
    for (size_t r = 0; r < n_rows; r++) {
        row_lo[r] = to_clp(lp->row_lo[r]);
        row_hi[r] = to_clp(lp->row_hi[r]);
    }
    Clp_loadProblem(solver->model, (int)n_cols, (int)n_rows, start, index, value, col_lo, col_hi,
                    lp->obj, row_lo, row_hi);
    set_messages(solver);
    Clp_setOptimizationDirection(solver->model, lp->sense == AO_MAXIMISE ? -1.0 : 1.0);
    /* Perturb from the start, as CLP's own program does: the allocation LPs are highly
     * degenerate, and on the national benchmark this halves the iterations (99k against
     * 186k) and takes a third of the time. */
    Clp_setPerturbation(solver->model, 50);
    if (options->time_limit > 0)
        Clp_setMaximumSeconds(solver->model, options->time_limit);
    *impl = solver;
    solver = NULL;
    err = AO_NO_ERROR;
cleanup:
    if (solver != NULL) {
        if (solver->model != NULL)
            Clp_deleteModel(solver->model);
        free(solver);
    }
    free(start);
    free(index);
    free(value);
    free(col_lo);
    free(col_hi);
    free(row_lo);
    free(row_hi);
    free(fill);
    return err;
}

static void clp_free(void *impl)
{
    clp_solver *solver = impl;
    if (solver == NULL)
        return;
    Clp_deleteModel(solver->model);
    free(solver);
}

static ao_solve_status status_from_clp(Clp_Simplex *model)
{
    switch (Clp_status(model)) {
    case CLP_OPTIMAL:
        return AO_STATUS_OPTIMAL;
    case CLP_PRIMAL_INFEASIBLE:
        return AO_STATUS_INFEASIBLE;
    case CLP_DUAL_INFEASIBLE:
        return Clp_isProvenDualInfeasible(model) ? AO_STATUS_UNBOUNDED : AO_STATUS_NOT_SOLVED;
    default:
        return AO_STATUS_NOT_SOLVED;
    }
}

/* CLP's dual simplex after its presolve (or without it). */
static void cold_solve(Clp_Simplex *model, int presolve)
{
    Clp_Solve *how = ClpSolve_new();
    if (how == NULL) {
        Clp_initialDualSolve(model);
        return;
    }
    ClpSolve_setSolveType(how, 0, -1);
    ClpSolve_setPresolveType(how, presolve ? 0 : 1, -1);
    Clp_initialSolveWithOptions(model, how);
    ClpSolve_delete(how);
}

/* Forget the basis: every row's activity basic, every column at a bound. */
static void slack_basis(clp_solver *solver)
{
    Clp_Simplex *model = solver->model;
    const double *lo = Clp_getColLower(model), *hi = Clp_getColUpper(model);
    for (int r = 0; r < solver->n_rows; r++)
        Clp_setRowStatus(model, r, CLP_BASIC);
    for (int j = 0; j < solver->n_cols; j++)
        Clp_setColumnStatus(model, j,
                            lo[j] > -1e30  ? CLP_AT_LOWER
                            : hi[j] < 1e30 ? CLP_AT_UPPER
                                           : CLP_FREE);
}

static void cold_solve_with_retry(clp_solver *solver)
{
    Clp_Simplex *model = solver->model;
    cold_solve(model, solver->options.presolve);
    /* When the presolver finds no optimum, CLP's arrays may describe the reduced
     * problem: solve again without it so that an infeasible basis is known. */
    if (solver->options.presolve && Clp_status(model) != CLP_OPTIMAL)
        cold_solve(model, 0);
}

static ao_error clp_solve(void *impl, int warm, int dual_first, ao_solve_status *status)
{
    clp_solver *solver = impl;
    Clp_Simplex *model = solver->model;
    if (!warm) {
        cold_solve_with_retry(solver);
        if (solver->cold_iterations == 0)
            solver->cold_iterations = Clp_numberIterations(model);
    } else {
        long limit = solver->warm_limit;
        solver->warm_limit = 0;
        if (limit > 0)
            Clp_setMaximumIterations(model, limit > INT_MAX ? INT_MAX : (int)limit);
        int ret = dual_first ? Clp_dual(model, 0) : Clp_primal(model, 0);
        int cut_short = limit > 0 && Clp_isIterationLimitReached(model);
        if (limit > 0)
            Clp_setMaximumIterations(model, INT_MAX);
        if (cut_short) {
            /* Too many pivots from this basis: a cold solve (presolved) is quicker. */
            slack_basis(solver);
            cold_solve_with_retry(solver);
        } else if (ret != 0 && Clp_status(model) > CLP_DUAL_INFEASIBLE) {
            /* A warm start that went wrong (a singular basis, say): start again cold. */
            cold_solve(model, 0);
        }
    }
    *status = status_from_clp(model);
    solver->infeasible = *status == AO_STATUS_INFEASIBLE;
    return AO_NO_ERROR;
}

/* CLP's primal simplex in its "values pass" from the given point: it pushes the values
 * to a vertex and goes on to an optimal basis (a crossover from an interior point). */
static ao_error clp_solve_from_point(void *impl, const double *col_values, ao_solve_status *status)
{
    clp_solver *solver = impl;
    Clp_Simplex *model = solver->model;
    Clp_setColSolution(model, col_values);
    int ret = Clp_primal(model, 1);
    if (ret != 0 || Clp_status(model) != CLP_OPTIMAL) {
        /* The crossover went wrong: the ordinary cold solve decides. */
        slack_basis(solver);
        cold_solve_with_retry(solver);
    }
    if (solver->cold_iterations == 0)
        solver->cold_iterations = Clp_numberIterations(model);
    *status = status_from_clp(model);
    solver->infeasible = *status == AO_STATUS_INFEASIBLE;
    return AO_NO_ERROR;
}

static double clp_mip_gap(const void *impl)
{
    (void)impl;
    return 0.0;
}

static double clp_objective(const void *impl)
{
    const clp_solver *solver = impl;
    return Clp_getObjValue(solver->model) + solver->obj_constant;
}

static void copy_out(const double *from, size_t n, double *out)
{
    if (from != NULL)
        memcpy(out, from, n * sizeof *out);
    else
        memset(out, 0, n * sizeof *out);
}

/*
 * After proving infeasibility CLP's last point may break column limits instead of rows
 * (GLPK's keeps the columns within theirs). For a like-for-like explanation, the point
 * reported is CLP's with every column moved within its limits, and the row activities
 * are those of that point: the rows it breaks are the limits that cannot all be met.
 */
static void clp_col_values(const void *impl, double *out)
{
    const clp_solver *solver = impl;
    copy_out(Clp_getColSolution(solver->model), (size_t)solver->n_cols, out);
    if (!solver->infeasible)
        return;
    const double *lo = Clp_getColLower(solver->model), *hi = Clp_getColUpper(solver->model);
    for (int j = 0; j < solver->n_cols; j++)
        out[j] = fmin(fmax(out[j], lo[j]), hi[j]);
}

static void clp_row_values(const void *impl, double *out)
{
    const clp_solver *solver = impl;
    if (!solver->infeasible) {
        copy_out(Clp_getRowActivity(solver->model), (size_t)solver->n_rows, out);
        return;
    }
    double *x = malloc(((size_t)solver->n_cols + 1) * sizeof *x);
    const CoinBigIndex *start = Clp_getVectorStarts(solver->model);
    const int *length = Clp_getVectorLengths(solver->model);
    const int *index = Clp_getIndices(solver->model);
    const double *element = Clp_getElements(solver->model);
    if (x == NULL || start == NULL || length == NULL || index == NULL || element == NULL) {
        free(x);
        copy_out(Clp_getRowActivity(solver->model), (size_t)solver->n_rows, out);
        return;
    }
    clp_col_values(impl, x);
    memset(out, 0, (size_t)solver->n_rows * sizeof *out);
    for (int j = 0; j < solver->n_cols; j++)
        for (CoinBigIndex q = start[j]; q < start[j] + length[j]; q++)
            out[index[q]] += element[q] * x[j];
    free(x);
}

static void clp_row_duals(const void *impl, double *out)
{
    const clp_solver *solver = impl;
    copy_out(Clp_getRowPrice(solver->model), (size_t)solver->n_rows, out);
}

static void clp_col_duals(const void *impl, double *out)
{
    const clp_solver *solver = impl;
    copy_out(Clp_getReducedCost(solver->model), (size_t)solver->n_cols, out);
}

static void clp_row_bounds(const void *impl, double *lo, double *hi)
{
    const clp_solver *solver = impl;
    const double *row_lo = Clp_getRowLower(solver->model);
    const double *row_hi = Clp_getRowUpper(solver->model);
    for (int r = 0; r < solver->n_rows; r++) {
        lo[r] = from_clp(row_lo[r]);
        hi[r] = from_clp(row_hi[r]);
    }
}

static unsigned char status_from_clp_status(int status, double lo, double hi)
{
    switch (status) {
    case CLP_BASIC:
        return AO_BASIS_BASIC;
    case CLP_AT_UPPER:
        return AO_BASIS_UPPER;
    case CLP_AT_LOWER:
        return AO_BASIS_LOWER;
    case CLP_FIXED:
        return AO_BASIS_FIXED;
    case CLP_FREE:
    case CLP_SUPERBASIC:
    default:
        /* Non-basic between its limits: the nearest status another backend knows. */
        if (lo > -1e30)
            return AO_BASIS_LOWER;
        if (hi < 1e30)
            return AO_BASIS_UPPER;
        return AO_BASIS_FREE;
    }
}

/* A status that fits the limits: CLP would otherwise put a variable at a bound it does
 * not have. */
static int clp_status_from_status(unsigned char status, double lo, double hi)
{
    int has_lo = lo > -1e30, has_hi = hi < 1e30;
    if (status == AO_BASIS_BASIC)
        return CLP_BASIC;
    if (has_lo && has_hi && lo == hi)
        return CLP_FIXED;
    if (status == AO_BASIS_UPPER && has_hi)
        return CLP_AT_UPPER;
    if (has_lo)
        return CLP_AT_LOWER;
    if (has_hi)
        return CLP_AT_UPPER;
    return CLP_FREE;
}

static ao_error clp_get_basis(const void *impl, unsigned char *row_stat, unsigned char *col_stat)
{
    const clp_solver *solver = impl;
    Clp_Simplex *model = solver->model;
    const double *row_lo = Clp_getRowLower(model), *row_hi = Clp_getRowUpper(model);
    const double *col_lo = Clp_getColLower(model), *col_hi = Clp_getColUpper(model);
    for (int r = 0; r < solver->n_rows; r++)
        row_stat[r] = status_from_clp_status(Clp_getRowStatus(model, r), row_lo[r], row_hi[r]);
    for (int j = 0; j < solver->n_cols; j++)
        col_stat[j] = status_from_clp_status(Clp_getColumnStatus(model, j), col_lo[j], col_hi[j]);
    return AO_NO_ERROR;
}

static ao_error clp_set_basis(void *impl, const unsigned char *row_stat,
                              const unsigned char *col_stat)
{
    clp_solver *solver = impl;
    Clp_Simplex *model = solver->model;
    const double *row_lo = Clp_getRowLower(model), *row_hi = Clp_getRowUpper(model);
    const double *col_lo = Clp_getColLower(model), *col_hi = Clp_getColUpper(model);
    for (int r = 0; r < solver->n_rows; r++)
        Clp_setRowStatus(model, r, clp_status_from_status(row_stat[r], row_lo[r], row_hi[r]));
    /* CLP puts each non-basic row and column at the bound its status names. */
    for (int j = 0; j < solver->n_cols; j++)
        Clp_setColumnStatus(model, j, clp_status_from_status(col_stat[j], col_lo[j], col_hi[j]));
    return AO_NO_ERROR;
}

static ao_error clp_add_rows(void *impl, const char *name, size_t n, const double *lo,
                             const double *hi, const size_t *start, const int *cols,
                             const double *values)
{
    (void)name;
    clp_solver *solver = impl;
    CoinBigIndex *starts = malloc((n + 1) * sizeof *starts);
    double *row_lo = calloc(n + 1, sizeof *row_lo);
    double *row_hi = calloc(n + 1, sizeof *row_hi);
    if (starts == NULL || row_lo == NULL || row_hi == NULL) {
        free(starts);
        free(row_lo);
        free(row_hi);
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    }
    for (size_t q = 0; q <= n; q++)
        starts[q] = (CoinBigIndex)start[q];
    for (size_t q = 0; q < n; q++) {
        row_lo[q] = to_clp(lo[q]);
        row_hi[q] = to_clp(hi[q]);
    }
    Clp_addRows(solver->model, (int)n, row_lo, row_hi, starts, cols, values);
    /* The new rows' activities join the basis, so the old basis stays valid. */
    for (size_t q = 0; q < n; q++)
        Clp_setRowStatus(solver->model, solver->n_rows + (int)q, CLP_BASIC);
    solver->n_rows += (int)n;
    free(starts);
    free(row_lo);
    free(row_hi);
    return AO_NO_ERROR;
}

static ao_error clp_add_cols(void *impl, size_t n, const double *lo, const double *hi)
{
    clp_solver *solver = impl;
    CoinBigIndex *starts = calloc(n + 1, sizeof *starts);
    double *col_lo = calloc(n + 1, sizeof *col_lo);
    double *col_hi = calloc(n + 1, sizeof *col_hi);
    double *obj = calloc(n + 1, sizeof *obj);
    if (starts == NULL || col_lo == NULL || col_hi == NULL || obj == NULL) {
        free(starts);
        free(col_lo);
        free(col_hi);
        free(obj);
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    }
    for (size_t q = 0; q < n; q++) {
        col_lo[q] = to_clp(lo[q]);
        col_hi[q] = to_clp(hi[q]);
    }
    Clp_addColumns(solver->model, (int)n, col_lo, col_hi, obj, starts, NULL, NULL);
    /* Non-basic at a limit, so the old basis stays valid. */
    for (size_t q = 0; q < n; q++)
        Clp_setColumnStatus(solver->model, solver->n_cols + (int)q,
                            clp_status_from_status(AO_BASIS_LOWER, col_lo[q], col_hi[q]));
    solver->n_cols += (int)n;
    free(starts);
    free(col_lo);
    free(col_hi);
    free(obj);
    return AO_NO_ERROR;
}

/* CLP's access to the rows or to the columns, for what both share. */
typedef struct clp_side {
    const double *(*lower)(Clp_Simplex *model);
    const double *(*upper)(Clp_Simplex *model);
    const double *(*value)(Clp_Simplex *model);
    int (*status)(Clp_Simplex *model, int sequence);
    void (*set_status)(Clp_Simplex *model, int sequence, int status);
    void (*chg_lower)(Clp_Simplex *model, const double *lower);
    void (*chg_upper)(Clp_Simplex *model, const double *upper);
} clp_side;

static const clp_side clp_rows = {Clp_getRowLower,  Clp_getRowUpper,  Clp_getRowActivity,
                                  Clp_getRowStatus, Clp_setRowStatus, Clp_chgRowLower,
                                  Clp_chgRowUpper};
static const clp_side clp_cols = {Clp_getColLower,     Clp_getColUpper,     Clp_getColSolution,
                                  Clp_getColumnStatus, Clp_setColumnStatus, Clp_chgColumnLower,
                                  Clp_chgColumnUpper};

/* New limits for n of the `count` rows or columns, through CLP's chg functions, which tell
 * it that the limits changed (a warm solve would otherwise keep its own copy of the old
 * ones). A non-basic one goes to the new limit nearest its value. */
static ao_error clp_set_bounds(clp_solver *solver, const clp_side *side, size_t count, size_t n,
                               const int *index, const double *lo, const double *hi)
{
    Clp_Simplex *model = solver->model;
    double *lower = malloc((count + 1) * sizeof *lower);
    double *upper = malloc((count + 1) * sizeof *upper);
    if (lower == NULL || upper == NULL) {
        free(lower);
        free(upper);
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    }
    memcpy(lower, side->lower(model), count * sizeof *lower);
    memcpy(upper, side->upper(model), count * sizeof *upper);
    const double *value = side->value(model);
    for (size_t q = 0; q < n; q++) {
        int k = index[q];
        lower[k] = to_clp(lo[q]);
        upper[k] = to_clp(hi[q]);
        if (side->status(model, k) != CLP_BASIC) {
            double v = value != NULL ? value[k] : 0.0; /* no solution yet: at 0 */
            unsigned char at = fabs(v - lower[k]) <= fabs(upper[k] - v)
                                   ? AO_BASIS_LOWER
                                   : AO_BASIS_UPPER;
            side->set_status(model, k, clp_status_from_status(at, lower[k], upper[k]));
        }
    }
    side->chg_lower(model, lower);
    side->chg_upper(model, upper);
    free(lower);
    free(upper);
    return AO_NO_ERROR;
}

static ao_error clp_set_row_bounds(void *impl, size_t n, const int *rows, const double *lo,
                                   const double *hi)
{
    clp_solver *solver = impl;
    return clp_set_bounds(solver, &clp_rows, (size_t)solver->n_rows, n, rows, lo, hi);
}

static ao_error clp_set_col_bounds(void *impl, size_t n, const int *cols, const double *lo,
                                   const double *hi)
{
    clp_solver *solver = impl;
    return clp_set_bounds(solver, &clp_cols, (size_t)solver->n_cols, n, cols, lo, hi);
}

static ao_error clp_swap_basic(void *impl, size_t n, const int *rows, const int *cols)
{
    clp_solver *solver = impl;
    Clp_Simplex *model = solver->model;
    const double *row_lo = Clp_getRowLower(model), *row_hi = Clp_getRowUpper(model);
    for (size_t q = 0; q < n; q++) {
        Clp_setRowStatus(model, rows[q],
                         clp_status_from_status(AO_BASIS_LOWER, row_lo[rows[q]], row_hi[rows[q]]));
        Clp_setColumnStatus(model, cols[q], CLP_BASIC);
    }
    return AO_NO_ERROR;
}

static ao_error clp_set_objective(void *impl, ao_sense sense, const double *obj)
{
    clp_solver *solver = impl;
    Clp_chgObjCoefficients(solver->model, obj);
    Clp_setOptimizationDirection(solver->model, sense == AO_MAXIMISE ? -1.0 : 1.0);
    return AO_NO_ERROR;
}

static long clp_iterations(const void *impl)
{
    const clp_solver *solver = impl;
    return solver->cold_iterations;
}

static void clp_set_warm_limit(void *impl, long limit)
{
    clp_solver *solver = impl;
    solver->warm_limit = limit;
}

static size_t clp_n_rows(const void *impl)
{
    const clp_solver *solver = impl;
    return (size_t)solver->n_rows;
}

static size_t clp_n_cols(const void *impl)
{
    const clp_solver *solver = impl;
    return (size_t)solver->n_cols;
}

const ao_backend ao_backend_clp = {
    .name = "clp",
    .version = Clp_Version,
    .load = clp_load,
    .free = clp_free,
    .solve = clp_solve,
    .fix_integers = NULL,
    .mip_gap = clp_mip_gap,
    .objective = clp_objective,
    .col_values = clp_col_values,
    .row_values = clp_row_values,
    .row_duals = clp_row_duals,
    .col_duals = clp_col_duals,
    .row_bounds = clp_row_bounds,
    .limit_ranges = NULL,
    .get_basis = clp_get_basis,
    .set_basis = clp_set_basis,
    .add_rows = clp_add_rows,
    .add_cols = clp_add_cols,
    .set_row_bounds = clp_set_row_bounds,
    .set_col_bounds = clp_set_col_bounds,
    .swap_basic = clp_swap_basic,
    .set_objective = clp_set_objective,
    .write_lp = NULL,
    .iterations = clp_iterations,
    .set_warm_limit = clp_set_warm_limit,
    .n_rows = clp_n_rows,
    .n_cols = clp_n_cols,
    .interior_point = NULL,
    .solve_from_point = clp_solve_from_point,
};
