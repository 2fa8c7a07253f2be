/*
 * The public solver (solver/lp.h) over its backends (solver/backend.h).
 *
 * This file checks what every backend would otherwise check (finite data, indices in
 * range), merges the triplets once, keeps the warm-start state and the basis in a
 * form every backend shares, and fills in what a backend lacks: CLP has no ranging
 * and no LP writer in its C interface, so for those the problem (kept as a copy) is
 * handed to GLPK with CLP's optimal basis.
 */
#include <limits.h>
#include <pthread.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/strutil.h"
#include "solver/backend.h"

struct ao_basis {
    size_t n_rows, n_cols;
    long iterations;         ///< Iterations the cold solve that found it took (0: unknown).
    uint64_t shape;          ///< Shape of the LP it was taken from.
    unsigned char *row_stat; ///< AO_BASIS_* per row.
    unsigned char *col_stat; ///< AO_BASIS_* per column.
};

/* A warm start may take a share of the iterations the cold solve of its basis took
 * before the backend gives up on it (backends with set_warm_limit only): all of them up
 * to AO_WARM_FULL_ROWS rows, then a share falling with the square of the rows, since a
 * warm iteration's cost grows with the fill of the optimal basis's factors while a cold,
 * presolved one stays cheap (measured on the benchmark inputs: the best limits were
 * about 0.4, 0.03 and 0.005 of the cold iterations at 16,000, 62,000 and 142,000 rows).
 * Never fewer than AO_WARM_MIN_ITERATIONS. */
#define AO_WARM_FULL_ROWS 10000.0
#define AO_WARM_MIN_ITERATIONS 200

struct ao_solver {
    const ao_backend *backend;
    ao_solver_kind kind; ///< The backend in use.
    void *impl;          ///< The backend's problem.
    uint64_t shape;      ///< Hash of the loaded LP's dimensions and nonzero pattern.
    ao_solver_options options;
    int has_basis; ///< A basis (earlier solve or set_basis) is there to start from.
    int dual_next; ///< Start the next solve with the dual simplex (only limits changed).
    ao_lp *copy;   ///< The problem as loaded and changed since (backends without ranging).
};

/* The methods, their names and backends; one line each. */
typedef struct method {
    ao_solver_kind kind;
    const char *name;
    const char *description;
    const ao_backend *backend; ///< NULL when this build does not have it.
} method;

static const method methods[] = {
    {AO_SOLVER_GLPK, "glpk", "GLPK simplex", &ao_backend_glpk},
#ifdef AO_HAVE_CLP
    {AO_SOLVER_CLP, "clp", "COIN-OR CLP dual simplex", &ao_backend_clp},
#else
    {AO_SOLVER_CLP, "clp", "COIN-OR CLP dual simplex", NULL},
#endif
#ifdef AO_HAVE_CLP
    /* The interior point in GLPK, its vertex and basis from CLP's crossover. */
    {AO_SOLVER_GLPK_INTERIOR, "glpk-interior", "GLPK interior point, then CLP crossover",
     &ao_backend_clp},
#else
    {AO_SOLVER_GLPK_INTERIOR, "glpk-interior", "GLPK interior point, then its simplex",
     &ao_backend_glpk},
#endif
    {AO_SOLVER_AUTO, "auto", "chosen from the size of the plan", NULL},
};

#define N_METHODS (sizeof methods / sizeof methods[0])

/* The method of a kind, or NULL for a kind that is not one. */
static const method *method_of(ao_solver_kind kind)
{
    for (size_t k = 0; k < N_METHODS; k++)
        if (methods[k].kind == kind)
            return &methods[k];
    return NULL;
}

static const ao_backend *backend_of(ao_solver_kind kind)
{
    const method *m = method_of(kind);
    return m != NULL ? m->backend : NULL;
}

const char *ao_solver_kind_name(ao_solver_kind kind)
{
    const method *m = method_of(kind);
    return m != NULL ? m->name : "unknown";
}

const char *ao_solver_kind_description(ao_solver_kind kind)
{
    const method *m = method_of(kind);
    return m != NULL ? m->description : "unknown";
}

int ao_solver_kind_parse(const char *text)
{
    if (text == NULL)
        return -1;
    for (size_t k = 0; k < N_METHODS; k++)
        if (strcasecmp(text, methods[k].name) == 0)
            return (int)methods[k].kind;
    return -1;
}

int ao_solver_kind_available(ao_solver_kind kind)
{
    return kind == AO_SOLVER_AUTO || backend_of(kind) != NULL;
}

/*
 * The automatic choice, from measurements on the benchmark portfolio
 * (docs/benchmarks.md): below AO_AUTO_SIMPLEX_ROWS rows GLPK's simplex (the reference
 * every test was built on, fast at that size); above, CLP's dual simplex when the
 * build has it, else GLPK's interior point with a recovered basis. A MIP always goes
 * to GLPK (ao_solver_new).
 */
#define AO_AUTO_SIMPLEX_ROWS 5000

ao_solver_kind ao_solver_choose(const ao_lp *lp)
{
    if (lp->n_integer > 0 || lp->n_rows < AO_AUTO_SIMPLEX_ROWS)
        return AO_SOLVER_GLPK;
    return backend_of(AO_SOLVER_CLP) != NULL ? AO_SOLVER_CLP : AO_SOLVER_GLPK_INTERIOR;
}

const char *ao_solver_kind_version(ao_solver_kind kind)
{
    const ao_backend *backend = backend_of(kind);
    return backend != NULL ? backend->version() : "";
}

/*
 * Merge repeated (row, col) pairs and order by row. Bucketing by row and marking each
 * column's last position keeps this linear in the nonzeros.
 */
ao_error ao_merged_build(const ao_lp *lp, ao_merged *out)
{
    memset(out, 0, sizeof *out);
    ao_error err = AO_NO_ERROR;
    size_t n_nz = lp->n_nz;
    int *row = malloc((n_nz + 1) * sizeof *row);
    int *col = malloc((n_nz + 1) * sizeof *col);
    double *value = malloc((n_nz + 1) * sizeof *value);
    size_t *row_start = calloc(lp->n_rows + 1, sizeof *row_start);
    size_t *order = malloc((n_nz + 1) * sizeof *order);
    size_t *fill = malloc((lp->n_rows + 1) * sizeof *fill);
    long *last_pos = malloc((lp->n_cols + 1) * sizeof *last_pos);
    if (!row || !col || !value || !row_start || !order || !fill || !last_pos) {
        err = AO_ERROR_MEMORY_MALLOC_FAILED;
        goto cleanup;
    }
    for (size_t k = 0; k < n_nz; k++) {
        if (lp->nz_row[k] < 0 || (size_t)lp->nz_row[k] >= lp->n_rows || lp->nz_col[k] < 0 ||
            (size_t)lp->nz_col[k] >= lp->n_cols || !isfinite(lp->nz_val[k])) {
            err = AO_ERROR_SOLVER;
            goto cleanup;
        }
        row_start[lp->nz_row[k] + 1]++;
    }
    for (size_t r = 0; r < lp->n_rows; r++)
        row_start[r + 1] += row_start[r];
    memcpy(fill, row_start, lp->n_rows * sizeof *fill);
    for (size_t k = 0; k < n_nz; k++)
        order[fill[lp->nz_row[k]]++] = k;
    for (size_t j = 0; j < lp->n_cols; j++)
        last_pos[j] = -1;
    size_t count = 0;
    for (size_t r = 0; r < lp->n_rows; r++) {
        long row_first = (long)count;
        for (size_t q = row_start[r]; q < row_start[r + 1]; q++) {
            size_t k = order[q];
            int c = lp->nz_col[k];
            if (last_pos[c] >= row_first) {
                value[last_pos[c]] += lp->nz_val[k];
                continue;
            }
            row[count] = (int)r;
            col[count] = c;
            value[count] = lp->nz_val[k];
            last_pos[c] = (long)count;
            count++;
        }
    }
    /* FNV-1a over the dimensions and the merged (row, column) pattern. */
    uint64_t hash = 1469598103934665603ULL;
    uint64_t parts[3] = {lp->n_rows, lp->n_cols, count};
    for (int k = 0; k < 3; k++)
        hash = (hash ^ parts[k]) * 1099511628211ULL;
    for (size_t k = 0; k < count; k++) {
        hash = (hash ^ (uint64_t)row[k]) * 1099511628211ULL;
        hash = (hash ^ (uint64_t)col[k]) * 1099511628211ULL;
    }
    out->count = count;
    out->row = row;
    out->col = col;
    out->value = value;
    out->shape = hash;
    row = col = NULL;
    value = NULL;
cleanup:
    free(row);
    free(col);
    free(value);
    free(row_start);
    free(order);
    free(fill);
    free(last_pos);
    return err;
}

void ao_merged_free(ao_merged *merged)
{
    free(merged->row);
    free(merged->col);
    free(merged->value);
    memset(merged, 0, sizeof *merged);
}

/* Checks every backend relies on: sizes that fit an int, no NaN, bounds in order. */
static int lp_is_sound(const ao_lp *lp)
{
    if (lp->n_rows > (size_t)INT_MAX - 1 || lp->n_cols > (size_t)INT_MAX - 1 ||
        lp->n_nz > (size_t)INT_MAX - 1 || isnan(lp->obj_constant) || isinf(lp->obj_constant))
        return 0;
    for (size_t j = 0; j < lp->n_cols; j++)
        if (isnan(lp->obj[j]) || isnan(lp->col_lo[j]) || isnan(lp->col_hi[j]) ||
            lp->col_lo[j] > lp->col_hi[j] || isinf(lp->obj[j]))
            return 0;
    for (size_t r = 0; r < lp->n_rows; r++)
        if (isnan(lp->row_lo[r]) || isnan(lp->row_hi[r]))
            return 0;
    return 1;
}

/* A deep copy of an LP, names included (for export through GLPK). */
static ao_lp *lp_copy(const ao_lp *lp)
{
    ao_lp *copy = ao_lp_new(lp->sense);
    if (copy == NULL)
        return NULL;
    copy->obj_constant = lp->obj_constant;
    for (size_t j = 0; j < lp->n_cols; j++)
        if (ao_lp_add_col(copy, lp->col_names ? lp->col_names[j] : NULL, lp->col_lo[j],
                          lp->col_hi[j], lp->obj[j]) < 0)
            goto fail;
    for (size_t r = 0; r < lp->n_rows; r++)
        if (ao_lp_add_row(copy, lp->row_names ? lp->row_names[r] : NULL, lp->row_lo[r],
                          lp->row_hi[r]) < 0)
            goto fail;
    for (size_t k = 0; k < lp->n_nz; k++)
        if (ao_lp_add_nz(copy, lp->nz_row[k], lp->nz_col[k], lp->nz_val[k]) != AO_NO_ERROR)
            goto fail;
    return copy;
fail:
    ao_lp_free(copy);
    return NULL;
}

ao_error ao_solver_new(const ao_lp *lp, const ao_solver_options *options, ao_solver **out)
{
    *out = NULL;
    if (!lp_is_sound(lp))
        return AO_ERROR_SOLVER;
    ao_solver *solver = calloc(1, sizeof *solver);
    if (solver == NULL)
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    if (options != NULL)
        solver->options = *options;
    else
        ao_solver_options_set_default(&solver->options);
    /* Whole-valued columns need branch-and-cut, which only the GLPK backend has. */
    solver->kind = lp->n_integer > 0                        ? AO_SOLVER_GLPK
                   : solver->options.kind == AO_SOLVER_AUTO ? ao_solver_choose(lp)
                                                            : solver->options.kind;
    solver->options.kind = solver->kind;
    solver->backend = backend_of(solver->kind);
    if (solver->backend == NULL) {
        free(solver);
        return AO_ERROR_SOLVER;
    }

    ao_merged merged;
    ao_error err = ao_merged_build(lp, &merged);
    if (err != AO_NO_ERROR) {
        free(solver);
        return err;
    }
    solver->shape = merged.shape;
    err = solver->backend->load(lp, &merged, &solver->options, &solver->impl);
    ao_merged_free(&merged);
    if (err == AO_NO_ERROR &&
        (solver->backend->limit_ranges == NULL || solver->backend->write_lp == NULL) &&
        (solver->copy = lp_copy(lp)) == NULL)
        err = AO_ERROR_MEMORY_MALLOC_FAILED;
    if (err != AO_NO_ERROR) {
        ao_solver_free(solver);
        return err;
    }
    *out = solver;
    return AO_NO_ERROR;
}

void ao_solver_free(ao_solver *solver)
{
    if (solver == NULL)
        return;
    if (solver->impl != NULL)
        solver->backend->free(solver->impl);
    ao_lp_free(solver->copy);
    free(solver);
}

ao_solver_kind ao_solver_kind_used(const ao_solver *solver)
{
    return solver->kind;
}

/*
 * GLPK's interior point on a GLPK copy of the LP, then the backend's crossover from
 * its values. AO_ERROR_SOLVER when the interior point finds no optimum (an infeasible
 * LP, say): the caller then solves the ordinary way.
 */
static ao_error solve_from_interior_point(ao_solver *solver, ao_solve_status *status)
{
    if (solver->copy == NULL || solver->backend->solve_from_point == NULL)
        return AO_ERROR_SOLVER;
    ao_solver_options options = solver->options;
    options.kind = AO_SOLVER_GLPK;
    ao_solver *glpk = NULL;
    AO_RETURN_ON_ERROR(ao_solver_new(solver->copy, &options, &glpk));
    double *x = malloc((solver->copy->n_cols + 1) * sizeof *x);
    ao_error err =
        x == NULL ? AO_ERROR_MEMORY_MALLOC_FAILED : ao_backend_glpk.interior_point(glpk->impl, x);
    ao_solver_free(glpk);
    if (err == AO_NO_ERROR)
        err = solver->backend->solve_from_point(solver->impl, x, status);
    free(x);
    return err;
}

ao_error ao_solver_solve(ao_solver *solver, ao_solve_status *status)
{
    *status = AO_STATUS_NOT_SOLVED;
    ao_error err = AO_ERROR_SOLVER;
    if (solver->kind == AO_SOLVER_GLPK_INTERIOR && !solver->has_basis &&
        solver->backend->solve_from_point != NULL) {
        err = solve_from_interior_point(solver, status);
        if (err == AO_ERROR_MEMORY_MALLOC_FAILED)
            return err;
    }
    if (err != AO_NO_ERROR)
        err = solver->backend->solve(solver->impl, solver->has_basis, solver->dual_next, status);
    solver->dual_next = 0;
    if (err == AO_NO_ERROR)
        solver->has_basis = 1;
    return err;
}

ao_error ao_solver_fix_integers(ao_solver *solver)
{
    if (solver->backend->fix_integers == NULL)
        return AO_ERROR_SOLVER;
    return solver->backend->fix_integers(solver->impl);
}

double ao_solver_mip_gap(const ao_solver *solver)
{
    return solver->backend->mip_gap(solver->impl);
}

double ao_solver_objective(const ao_solver *solver)
{
    return solver->backend->objective(solver->impl);
}

void ao_solver_col_values(const ao_solver *solver, double *out)
{
    solver->backend->col_values(solver->impl, out);
}

void ao_solver_row_values(const ao_solver *solver, double *out)
{
    solver->backend->row_values(solver->impl, out);
}

void ao_solver_row_duals(const ao_solver *solver, double *out)
{
    solver->backend->row_duals(solver->impl, out);
}

void ao_solver_col_duals(const ao_solver *solver, double *out)
{
    solver->backend->col_duals(solver->impl, out);
}

/* Rows named `name` (NULL: unnamed), checked, then handed to the backend and the copy. */
static ao_error add_rows(ao_solver *solver, const char *name, size_t n, const double *lo,
                         const double *hi, const size_t *start, const int *cols,
                         const double *values)
{
    size_t n_cols = ao_solver_n_cols(solver);
    if (n == 0)
        return AO_NO_ERROR;
    if (start[0] != 0 || ao_solver_n_rows(solver) + n > (size_t)INT_MAX - 1)
        return AO_ERROR_SOLVER;
    for (size_t q = 0; q < n; q++) {
        if (isnan(lo[q]) || isnan(hi[q]) || start[q + 1] < start[q])
            return AO_ERROR_SOLVER;
        for (size_t k = start[q]; k < start[q + 1]; k++)
            if (cols[k] < 0 || (size_t)cols[k] >= n_cols || !isfinite(values[k]))
                return AO_ERROR_SOLVER;
    }
    AO_RETURN_ON_ERROR(
        solver->backend->add_rows(solver->impl, name, n, lo, hi, start, cols, values));
    for (size_t q = 0; solver->copy != NULL && q < n; q++) {
        int r = ao_lp_add_row(solver->copy, name, lo[q], hi[q]);
        if (r < 0)
            return AO_ERROR_MEMORY_MALLOC_FAILED;
        for (size_t k = start[q]; k < start[q + 1]; k++)
            AO_RETURN_ON_ERROR(ao_lp_add_nz(solver->copy, r, cols[k], values[k]));
    }
    return AO_NO_ERROR;
}

ao_error ao_solver_add_row(ao_solver *solver, const char *name, double lo, double hi, size_t n,
                           const int *cols, const double *values)
{
    size_t start[2] = {0, n};
    return add_rows(solver, name, 1, &lo, &hi, start, cols, values);
}

ao_error ao_solver_add_rows(ao_solver *solver, size_t n, const double *lo, const double *hi,
                            const size_t *start, const int *cols, const double *values)
{
    return add_rows(solver, NULL, n, lo, hi, start, cols, values);
}

ao_error ao_solver_add_cols(ao_solver *solver, size_t n, const double *lo, const double *hi)
{
    if (n == 0)
        return AO_NO_ERROR;
    if (ao_solver_n_cols(solver) + n > (size_t)INT_MAX - 1)
        return AO_ERROR_SOLVER;
    for (size_t q = 0; q < n; q++)
        if (isnan(lo[q]) || isnan(hi[q]) || lo[q] > hi[q])
            return AO_ERROR_SOLVER;
    AO_RETURN_ON_ERROR(solver->backend->add_cols(solver->impl, n, lo, hi));
    for (size_t q = 0; solver->copy != NULL && q < n; q++)
        if (ao_lp_add_col(solver->copy, NULL, lo[q], hi[q], 0.0) < 0)
            return AO_ERROR_MEMORY_MALLOC_FAILED;
    return AO_NO_ERROR;
}

/* Limits for n rows or columns of `count`, checked: indices in range, no NaN, lo ≤ hi. */
static int bounds_valid(size_t n, const int *index, size_t count, const double *lo,
                        const double *hi)
{
    for (size_t q = 0; q < n; q++)
        if (index[q] < 0 || (size_t)index[q] >= count || isnan(lo[q]) || isnan(hi[q]) ||
            lo[q] > hi[q])
            return 0;
    return 1;
}

/* New limits for n rows (`rows`) or columns, checked, then handed to the backend and the
 * copy. */
static ao_error set_bounds(ao_solver *solver, int rows, size_t n, const int *index,
                           const double *lo, const double *hi)
{
    if (!bounds_valid(n, index, rows ? ao_solver_n_rows(solver) : ao_solver_n_cols(solver), lo, hi))
        return AO_ERROR_SOLVER;
    AO_RETURN_ON_ERROR((rows ? solver->backend->set_row_bounds
                             : solver->backend->set_col_bounds)(solver->impl, n, index, lo, hi));
    if (solver->copy != NULL)
        for (size_t q = 0; q < n; q++) {
            (rows ? solver->copy->row_lo : solver->copy->col_lo)[index[q]] = lo[q];
            (rows ? solver->copy->row_hi : solver->copy->col_hi)[index[q]] = hi[q];
        }
    return AO_NO_ERROR;
}

ao_error ao_solver_set_row_bounds(ao_solver *solver, size_t n, const int *rows, const double *lo,
                                  const double *hi)
{
    return set_bounds(solver, 1, n, rows, lo, hi);
}

ao_error ao_solver_set_col_bounds(ao_solver *solver, size_t n, const int *cols, const double *lo,
                                  const double *hi)
{
    return set_bounds(solver, 0, n, cols, lo, hi);
}

ao_error ao_solver_swap_basic(ao_solver *solver, size_t n, const int *rows, const int *cols)
{
    size_t n_rows = ao_solver_n_rows(solver), n_cols = ao_solver_n_cols(solver);
    for (size_t q = 0; q < n; q++)
        if (rows[q] < 0 || (size_t)rows[q] >= n_rows || cols[q] < 0 || (size_t)cols[q] >= n_cols)
            return AO_ERROR_SOLVER;
    return n > 0 ? solver->backend->swap_basic(solver->impl, n, rows, cols) : AO_NO_ERROR;
}

ao_error ao_solver_set_objective(ao_solver *solver, ao_sense sense, const double *obj)
{
    size_t n = ao_solver_n_cols(solver);
    for (size_t j = 0; j < n; j++)
        if (!isfinite(obj[j]))
            return AO_ERROR_SOLVER;
    AO_RETURN_ON_ERROR(solver->backend->set_objective(solver->impl, sense, obj));
    if (solver->copy != NULL) {
        solver->copy->sense = sense;
        memcpy(solver->copy->obj, obj, n * sizeof *obj);
    }
    return AO_NO_ERROR;
}

static int take_basis(ao_solver *solver, const ao_basis *basis);

/* GLPK loaded with lp (quietly, whatever the caller's backend), started from basis when
 * one is given: for what a backend cannot do itself (ranging, LP export). */
static ao_error glpk_load_from(const ao_lp *lp, const ao_basis *basis,
                               const ao_solver_options *settings, ao_solver **out)
{
    ao_solver_options options = *settings;
    options.kind = AO_SOLVER_GLPK;
    options.verbose = 0;
    options.on_progress = NULL;
    AO_RETURN_ON_ERROR(ao_solver_new(lp, &options, out));
    if (basis != NULL && !take_basis(*out, basis)) {
        ao_solver_free(*out);
        *out = NULL;
        return AO_ERROR_SOLVER;
    }
    return AO_NO_ERROR;
}

/* GLPK holding the solver's problem as it is now, from its basis when it has one. */
static ao_error glpk_twin(const ao_solver *solver, ao_solver **out)
{
    *out = NULL;
    if (solver->copy == NULL)
        return AO_ERROR_SOLVER;
    ao_basis *basis = NULL;
    if (solver->has_basis)
        AO_RETURN_ON_ERROR(ao_solver_get_basis(solver, &basis));
    ao_error err = glpk_load_from(solver->copy, basis, &solver->options, out);
    ao_basis_free(basis);
    return err;
}

/* Ranges through GLPK: re-solve from the optimal basis it was given (normally without a
 * pivot), then range there. */
static ao_error glpk_ranges(ao_solver *glpk, size_t n, const int *rows, double *from, double *to)
{
    glpk->dual_next = 0;
    ao_solve_status status;
    ao_error err = ao_solver_solve(glpk, &status);
    if (err == AO_NO_ERROR && status != AO_STATUS_OPTIMAL)
        err = AO_ERROR_SOLVER;
    if (err == AO_NO_ERROR)
        err = ao_solver_limit_ranges(glpk, n, rows, from, to);
    return err;
}

ao_error ao_solver_limit_ranges(ao_solver *solver, size_t n, const int *rows, double *from,
                                double *to)
{
    size_t n_rows = ao_solver_n_rows(solver);
    for (size_t k = 0; k < n; k++)
        if (rows[k] < 0 || (size_t)rows[k] >= n_rows)
            return AO_ERROR_SOLVER;
    if (solver->backend->limit_ranges != NULL)
        return solver->backend->limit_ranges(solver->impl, n, rows, from, to);

    ao_solver *twin = NULL;
    AO_RETURN_ON_ERROR(glpk_twin(solver, &twin));
    ao_error err = glpk_ranges(twin, n, rows, from, to);
    ao_solver_free(twin);
    return err;
}

size_t ao_solver_infeasible_rows(ao_solver *solver, int *out, size_t max)
{
    size_t n = ao_solver_n_rows(solver);
    if (max == 0 || n == 0)
        return 0;
    double *value = malloc(n * sizeof *value);
    double *lo = malloc(n * sizeof *lo);
    double *hi = malloc(n * sizeof *hi);
    double *violation = malloc(max * sizeof *violation);
    size_t count = 0;
    if (value == NULL || lo == NULL || hi == NULL || violation == NULL)
        goto done;
    solver->backend->row_values(solver->impl, value);
    solver->backend->row_bounds(solver->impl, lo, hi);
    for (size_t r = 0; r < n; r++) {
        double excess = 0.0, scale = 1.0;
        if (lo[r] > -AO_INF && value[r] < lo[r]) {
            excess = lo[r] - value[r];
            scale += fabs(lo[r]);
        }
        if (hi[r] < AO_INF && value[r] > hi[r]) {
            excess = value[r] - hi[r];
            scale += fabs(hi[r]);
        }
        if (!(excess > 1e-7 * scale))
            continue;
        excess /= scale;
        /* Keep the `max` largest, in decreasing order (insertion; max is small). */
        size_t pos = count < max ? count : max;
        while (pos > 0 && violation[pos - 1] < excess)
            pos--;
        if (pos >= max)
            continue;
        size_t last = count < max ? count : max - 1;
        for (size_t k = last; k > pos; k--) {
            violation[k] = violation[k - 1];
            out[k] = out[k - 1];
        }
        violation[pos] = excess;
        out[pos] = (int)r;
        if (count < max)
            count++;
    }
done:
    free(value);
    free(lo);
    free(hi);
    free(violation);
    return count;
}

struct ao_ranging {
    pthread_t thread;
    int threaded;              ///< Running in `thread`.
    ao_lp *copy;               ///< The problem when ranging began (threaded).
    ao_basis *basis;           ///< Its optimal basis (threaded).
    ao_solver_options options; ///< The solver's settings (glpk_load_from quietens them).
    size_t n;
    int *rows;
    double *from, *to;
    ao_error err;
};

static void ranging_free(ao_ranging *job)
{
    ao_lp_free(job->copy);
    ao_basis_free(job->basis);
    free(job->rows);
    free(job->from);
    free(job->to);
    free(job);
}

/* The thread: load the copy into GLPK, restart from the basis, range, free GLPK. */
static void *ranging_main(void *arg)
{
    ao_ranging *job = arg;
    ao_solver *twin = NULL;
    job->err = glpk_load_from(job->copy, job->basis, &job->options, &twin);
    if (job->err == AO_NO_ERROR)
        job->err = glpk_ranges(twin, job->n, job->rows, job->from, job->to);
    ao_solver_free(twin);
    ao_solver_thread_cleanup();
    return NULL;
}

ao_error ao_solver_ranges_start(ao_solver *solver, size_t n, const int *rows, ao_ranging **out)
{
    *out = NULL;
    ao_ranging *job = calloc(1, sizeof *job);
    if (job == NULL)
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    job->n = n;
    job->rows = malloc((n + 1) * sizeof *job->rows);
    job->from = malloc((n + 1) * sizeof *job->from);
    job->to = malloc((n + 1) * sizeof *job->to);
    if (job->rows == NULL || job->from == NULL || job->to == NULL) {
        ranging_free(job);
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    }
    if (n > 0)
        memcpy(job->rows, rows, n * sizeof *rows);
    if (solver->backend->limit_ranges == NULL && solver->copy != NULL && solver->has_basis) {
        job->options = solver->options;
        job->copy = lp_copy(solver->copy);
        ao_error err = job->copy == NULL ? AO_ERROR_MEMORY_MALLOC_FAILED
                                         : ao_solver_get_basis(solver, &job->basis);
        if (err != AO_NO_ERROR) {
            ranging_free(job);
            return err;
        }
        job->threaded = pthread_create(&job->thread, NULL, ranging_main, job) == 0;
    }
    /* A backend that ranges itself, or no thread to be had: range now. */
    if (!job->threaded)
        job->err = ao_solver_limit_ranges(solver, n, rows, job->from, job->to);
    *out = job;
    return AO_NO_ERROR;
}

ao_error ao_solver_ranges_finish(ao_ranging *job, double *from, double *to)
{
    if (job == NULL)
        return AO_ERROR_SOLVER;
    if (job->threaded)
        pthread_join(job->thread, NULL);
    ao_error err = job->err;
    if (err == AO_NO_ERROR && job->n > 0 && from != NULL && to != NULL) {
        memcpy(from, job->from, job->n * sizeof *from);
        memcpy(to, job->to, job->n * sizeof *to);
    }
    ranging_free(job);
    return err;
}

ao_error ao_solver_write_lp(const ao_solver *solver, const char *path)
{
    if (solver->backend->write_lp != NULL)
        return solver->backend->write_lp(solver->impl, path);
    ao_solver *twin = NULL;
    AO_RETURN_ON_ERROR(glpk_twin(solver, &twin));
    ao_error err = ao_solver_write_lp(twin, path);
    ao_solver_free(twin);
    return err;
}

void ao_basis_free(ao_basis *basis)
{
    if (basis == NULL)
        return;
    free(basis->row_stat);
    free(basis->col_stat);
    free(basis);
}

ao_error ao_solver_get_basis(const ao_solver *solver, ao_basis **out)
{
    *out = NULL;
    ao_basis *basis = calloc(1, sizeof *basis);
    if (basis == NULL)
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    basis->n_rows = ao_solver_n_rows(solver);
    basis->n_cols = ao_solver_n_cols(solver);
    basis->shape = solver->shape;
    basis->iterations = solver->backend->iterations(solver->impl);
    basis->row_stat = malloc(basis->n_rows + 1);
    basis->col_stat = malloc(basis->n_cols + 1);
    if (basis->row_stat == NULL || basis->col_stat == NULL) {
        ao_basis_free(basis);
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    }
    ao_error err = solver->backend->get_basis(solver->impl, basis->row_stat, basis->col_stat);
    if (err != AO_NO_ERROR) {
        ao_basis_free(basis);
        return err;
    }
    *out = basis;
    return AO_NO_ERROR;
}

/* A basis of this very problem (its dimensions checked, not its shape's hash, which is
 * the problem's as first loaded: rows and columns may have been added since). */
static int take_basis(ao_solver *solver, const ao_basis *basis)
{
    if (basis == NULL || basis->n_rows != ao_solver_n_rows(solver) ||
        basis->n_cols != ao_solver_n_cols(solver))
        return 0;
    if (solver->backend->set_basis(solver->impl, basis->row_stat, basis->col_stat) != AO_NO_ERROR)
        return 0;
    /* The solve starts from this basis (no presolve); a bad one is replaced there. */
    solver->has_basis = 1;
    solver->dual_next = 1;
    /* Where a warm iteration costs much more than a cold one (CLP: the optimal basis's
     * factors are dense, while a cold solve presolves and starts sparse), a warm start
     * is worth it only when few pivots are needed: past a share of the cold solve's
     * iterations the backend starts again cold. The limit counts iterations, not
     * seconds, so the outcome does not depend on the machine or the load. */
    if (solver->backend->set_warm_limit != NULL && basis->iterations > 0) {
        double share = AO_WARM_FULL_ROWS / (double)(basis->n_rows + 1);
        share = share >= 1.0 ? 1.0 : share * share;
        long limit = (long)((double)basis->iterations * share);
        solver->backend->set_warm_limit(
            solver->impl, limit > AO_WARM_MIN_ITERATIONS ? limit : AO_WARM_MIN_ITERATIONS);
    }
    return 1;
}

int ao_solver_set_basis(ao_solver *solver, const ao_basis *basis)
{
    return basis != NULL && basis->shape == solver->shape && take_basis(solver, basis);
}

void ao_solver_thread_cleanup(void)
{
    ao_glpk_thread_cleanup();
}

size_t ao_solver_n_rows(const ao_solver *solver)
{
    return solver->backend->n_rows(solver->impl);
}

size_t ao_solver_n_cols(const ao_solver *solver)
{
    return solver->backend->n_cols(solver->impl);
}

void ao_solver_forget_basis(ao_solver *solver)
{
    solver->has_basis = 0;
}
