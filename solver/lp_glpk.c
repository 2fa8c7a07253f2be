/*
 * The GLPK backend of solver/lp.h. The only file that includes glpk.h.
 *
 * GLPK calls abort() after an internal error unless an error hook takes control
 * away; every call into GLPK runs under a hook that longjmp()s back here, after
 * which the thread's GLPK environment is freed and the solver is marked dead.
 */
#include <glpk.h>
#include <math.h>
#include <float.h>
#include <limits.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "solver/lp.h"

/* GLPK's name limit (characters, without the NUL). */
#define GLPK_NAME_MAX 255

struct ao_basis {
    int n_rows, n_cols;
    uint64_t shape; ///< Hash of the dimensions and nonzero pattern.
    int *row_stat;  ///< GLPK status per row.
    int *col_stat;  ///< GLPK status per column.
};

struct ao_solver {
    glp_prob *prob;
    uint64_t shape; ///< Hash of the loaded LP's dimensions and nonzero pattern.
    ao_solver_options options;
    int has_basis;   ///< A basis (earlier solve or set_basis) is there to start from.
    int mip;         ///< The problem has integer columns.
    int mip_solved;  ///< The last solve ended with a MIP solution (values from it).
    double mip_gap;  ///< Gap proved by the last MIP solve.
    int scaled;      ///< The problem has been scaled.
    int dual_next;   ///< Start the next solve with the dual simplex (bounds changed).
    int dead;        ///< GLPK failed; its environment is gone and prob must not be used.
    jmp_buf on_error;
};

static void glpk_error_hook(void *info)
{
    ao_solver *solver = info;
    longjmp(solver->on_error, 1);
}

/* GLPK's terminal output goes to the progress callback instead of stdout. */
static int forward_progress(void *info, const char *text)
{
    const ao_solver *solver = info;
    if (solver->options.on_progress != NULL)
        solver->options.on_progress(solver->options.progress_info, text);
    return 1; /* handled: GLPK prints nothing itself */
}

/* Where GLPK's messages go during a solve: the terminal when verbose, the progress
 * callback when there is one, nowhere otherwise. */
static int message_level(ao_solver *solver)
{
    if (solver->options.verbose) {
        glp_term_hook(NULL, NULL);
        glp_term_out(GLP_ON);
        return GLP_MSG_ON;
    }
    if (solver->options.on_progress != NULL) {
        glp_term_hook(forward_progress, solver);
        glp_term_out(GLP_ON);
        return GLP_MSG_ON;
    }
    glp_term_out(GLP_OFF);
    return GLP_MSG_OFF;
}

/* Arm the hook; `setjmp` must be called by the caller right before (it cannot be
 * wrapped in a function that returns). */
static void arm(ao_solver *solver)
{
    glp_error_hook(glpk_error_hook, solver);
}

static void disarm(void)
{
    glp_error_hook(NULL, NULL);
    glp_term_hook(NULL, NULL);
}

/* After a GLPK error the environment is in an undefined state: free it. */
static ao_error after_glpk_error(ao_solver *solver)
{
    disarm();
    solver->dead = 1;
    solver->prob = NULL;
    glp_free_env();
    return AO_ERROR_SOLVER;
}

/* GLPK refuses control characters and names over 255 characters. */
static void set_name(glp_prob *prob, int is_row, int index, const char *name)
{
    if (name == NULL || name[0] == '\0')
        return;
    char clean[GLPK_NAME_MAX + 1];
    size_t n = 0;
    for (; name[n] != '\0' && n < GLPK_NAME_MAX; n++) {
        unsigned char c = (unsigned char)name[n];
        clean[n] = (c <= 32 || c == 127) ? '_' : (char)c;
    }
    clean[n] = '\0';
    if (is_row)
        glp_set_row_name(prob, index, clean);
    else
        glp_set_col_name(prob, index, clean);
}

static int bound_type(double lo, double hi)
{
    int has_lo = lo > -AO_INF, has_hi = hi < AO_INF;
    if (has_lo && has_hi)
        return lo == hi ? GLP_FX : GLP_DB;
    if (has_lo)
        return GLP_LO;
    if (has_hi)
        return GLP_UP;
    return GLP_FR;
}

static double finite_or_zero(double value)
{
    return isfinite(value) ? value : 0.0;
}

/*
 * Build GLPK's 1-based triplets with repeated (row, col) pairs summed, since
 * glp_load_matrix refuses duplicates. Bucketing by row and marking each column's
 * last position keeps this linear in the nonzeros.
 */
static ao_error merged_triplets(const ao_lp *lp, int **ia_out, int **ja_out, double **ar_out,
                                size_t *count_out)
{
    ao_error err = AO_NO_ERROR;
    size_t n_nz = lp->n_nz;
    int *ia = malloc((n_nz + 1) * sizeof *ia);
    int *ja = malloc((n_nz + 1) * sizeof *ja);
    double *ar = malloc((n_nz + 1) * sizeof *ar);
    size_t *row_start = calloc(lp->n_rows + 1, sizeof *row_start);
    size_t *order = malloc((n_nz + 1) * sizeof *order);
    size_t *fill = malloc((lp->n_rows + 1) * sizeof *fill);
    long *last_pos = malloc((lp->n_cols + 1) * sizeof *last_pos);
    if (!ia || !ja || !ar || !row_start || !order || !fill || !last_pos) {
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
        size_t row_first = count + 1;
        for (size_t q = row_start[r]; q < row_start[r + 1]; q++) {
            size_t k = order[q];
            int col = lp->nz_col[k];
            if (last_pos[col] >= (long)row_first) {
                ar[last_pos[col]] += lp->nz_val[k];
                continue;
            }
            count++;
            ia[count] = (int)r + 1;
            ja[count] = col + 1;
            ar[count] = lp->nz_val[k];
            last_pos[col] = (long)count;
        }
    }
    *ia_out = ia;
    *ja_out = ja;
    *ar_out = ar;
    *count_out = count;
    ia = ja = NULL;
    ar = NULL;
cleanup:
    free(ia);
    free(ja);
    free(ar);
    free(row_start);
    free(order);
    free(fill);
    free(last_pos);
    return err;
}

/* FNV-1a over the dimensions and the merged (row, column) pattern. */
static uint64_t shape_of(size_t n_rows, size_t n_cols, const int *ia, const int *ja, size_t count)
{
    uint64_t hash = 1469598103934665603ULL;
    uint64_t parts[3] = {n_rows, n_cols, count};
    for (int k = 0; k < 3; k++)
        hash = (hash ^ parts[k]) * 1099511628211ULL;
    for (size_t k = 1; k <= count; k++) {
        hash = (hash ^ (uint64_t)ia[k]) * 1099511628211ULL;
        hash = (hash ^ (uint64_t)ja[k]) * 1099511628211ULL;
    }
    return hash;
}

/* Copy the LP into a new GLPK problem under the error hook. */
static ao_error load_into_glpk(ao_solver *solver, const ao_lp *lp, const int *ia, const int *ja,
                               const double *ar, int count)
{
    if (setjmp(solver->on_error))
        return after_glpk_error(solver);
    arm(solver);
    glp_term_out(solver->options.verbose ? GLP_ON : GLP_OFF);
    glp_prob *prob = glp_create_prob();
    solver->prob = prob;
    glp_set_obj_dir(prob, lp->sense == AO_MAXIMISE ? GLP_MAX : GLP_MIN);
    glp_set_obj_coef(prob, 0, lp->obj_constant);
    if (lp->n_rows > 0)
        glp_add_rows(prob, (int)lp->n_rows);
    if (lp->n_cols > 0)
        glp_add_cols(prob, (int)lp->n_cols);
    for (size_t r = 0; r < lp->n_rows; r++) {
        int type = bound_type(lp->row_lo[r], lp->row_hi[r]);
        glp_set_row_bnds(prob, (int)r + 1, type, finite_or_zero(lp->row_lo[r]),
                         finite_or_zero(lp->row_hi[r]));
        if (lp->row_names)
            set_name(prob, 1, (int)r + 1, lp->row_names[r]);
    }
    for (size_t j = 0; j < lp->n_cols; j++) {
        int type = bound_type(lp->col_lo[j], lp->col_hi[j]);
        glp_set_col_bnds(prob, (int)j + 1, type, finite_or_zero(lp->col_lo[j]),
                         finite_or_zero(lp->col_hi[j]));
        glp_set_obj_coef(prob, (int)j + 1, lp->obj[j]);
        if (lp->col_names)
            set_name(prob, 0, (int)j + 1, lp->col_names[j]);
        if (ao_lp_is_integer(lp, j))
            glp_set_col_kind(prob, (int)j + 1, GLP_IV);
    }
    solver->mip = lp->n_integer > 0;
    glp_load_matrix(prob, count, (int *)ia, (int *)ja, (double *)ar);
    disarm();
    return AO_NO_ERROR;
}

ao_error ao_solver_new(const ao_lp *lp, const ao_solver_options *options, ao_solver **out)
{
    *out = NULL;
    if (lp->n_rows > (size_t)INT_MAX - 1 || lp->n_cols > (size_t)INT_MAX - 1 ||
        lp->n_nz > (size_t)INT_MAX - 1)
        return AO_ERROR_SOLVER;
    for (size_t j = 0; j < lp->n_cols; j++)
        if (isnan(lp->obj[j]) || isnan(lp->col_lo[j]) || isnan(lp->col_hi[j]) ||
            lp->col_lo[j] > lp->col_hi[j] || isinf(lp->obj[j]))
            return AO_ERROR_SOLVER;
    for (size_t r = 0; r < lp->n_rows; r++)
        if (isnan(lp->row_lo[r]) || isnan(lp->row_hi[r]))
            return AO_ERROR_SOLVER;

    ao_solver *solver = calloc(1, sizeof *solver);
    if (solver == NULL)
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    if (options != NULL)
        solver->options = *options;
    else
        ao_solver_options_set_default(&solver->options);

    int *ia = NULL, *ja = NULL;
    double *ar = NULL;
    size_t count = 0;
    ao_error err = merged_triplets(lp, &ia, &ja, &ar, &count);
    if (err != AO_NO_ERROR) {
        free(solver);
        return err;
    }

    solver->shape = shape_of(lp->n_rows, lp->n_cols, ia, ja, count);
    err = load_into_glpk(solver, lp, ia, ja, ar, (int)count);
    free(ia);
    free(ja);
    free(ar);
    if (err != AO_NO_ERROR) {
        free(solver);
        return err;
    }
    *out = solver;
    return AO_NO_ERROR;
}

void ao_solver_free(ao_solver *solver)
{
    if (solver == NULL)
        return;
    if (!solver->dead && solver->prob != NULL)
        glp_delete_prob(solver->prob);
    free(solver);
}

/* Branch-and-cut callback: remember the relative gap between the incumbent and the
 * best bound each time a new incumbent is found or a node is selected. */
static void record_gap(glp_tree *tree, void *info)
{
    ao_solver *solver = info;
    int reason = glp_ios_reason(tree);
    if (reason == GLP_IBINGO || reason == GLP_ISELECT)
        solver->mip_gap = glp_ios_mip_gap(tree);
}

static ao_solve_status status_from_glpk(glp_prob *prob)
{
    switch (glp_get_status(prob)) {
    case GLP_OPT:
        return AO_STATUS_OPTIMAL;
    case GLP_NOFEAS:
        return AO_STATUS_INFEASIBLE;
    case GLP_UNBND:
        return AO_STATUS_UNBOUNDED;
    default:
        break;
    }
    /* Dual simplex can stop with a dual-feasible ray: primal infeasible. */
    if (glp_get_dual_stat(prob) == GLP_FEAS && glp_get_prim_stat(prob) == GLP_NOFEAS)
        return AO_STATUS_INFEASIBLE;
    if (glp_get_prim_stat(prob) == GLP_FEAS && glp_get_dual_stat(prob) == GLP_NOFEAS)
        return AO_STATUS_UNBOUNDED;
    return AO_STATUS_NOT_SOLVED;
}

ao_error ao_solver_solve(ao_solver *solver, ao_solve_status *status)
{
    *status = AO_STATUS_NOT_SOLVED;
    if (solver == NULL || solver->dead)
        return AO_ERROR_SOLVER;
    glp_prob *prob = solver->prob;
    if (setjmp(solver->on_error))
        return after_glpk_error(solver);
    arm(solver);
    int msg_lev = message_level(solver);

    glp_smcp parm;
    glp_init_smcp(&parm);
    parm.msg_lev = msg_lev;
    if (solver->options.time_limit > 0)
        parm.tm_lim = (int)(solver->options.time_limit * 1000.0);

    int ret;
    if (!solver->scaled) {
        glp_scale_prob(prob, GLP_SF_AUTO);
        solver->scaled = 1;
    }
    if (!solver->has_basis) {
        parm.presolve = solver->options.presolve ? GLP_ON : GLP_OFF;
        if (!parm.presolve)
            glp_adv_basis(prob, 0);
        ret = glp_simplex(prob, &parm);
        if (ret == GLP_ENOPFS || ret == GLP_ENODFS) {
            /* The presolver proved there is no optimum but left no basis; solve again
             * without it so that the status and an infeasible basis are known. */
            parm.presolve = GLP_OFF;
            glp_adv_basis(prob, 0);
            ret = glp_simplex(prob, &parm);
        }
    } else {
        /* A basis from an LP of the same shape is dual feasible when only limits
         * changed: the dual simplex (falling back to primal) restores feasibility. */
        parm.presolve = GLP_OFF;
        if (solver->dual_next)
            parm.meth = GLP_DUALP;
        ret = glp_simplex(prob, &parm);
        parm.meth = GLP_PRIMAL;
    }
    solver->dual_next = 0;
    if (ret == GLP_EBADB || ret == GLP_ESING || ret == GLP_ECOND) {
        /* A warm-start basis went bad: restart from a fresh one. */
        parm.presolve = GLP_OFF;
        glp_adv_basis(prob, 0);
        ret = glp_simplex(prob, &parm);
    }
    if (ret != 0) {
        disarm();
        return AO_ERROR_SOLVER;
    }
    solver->has_basis = 1;
    solver->mip_solved = 0;
    *status = status_from_glpk(prob);
    if (solver->mip && *status == AO_STATUS_OPTIMAL) {
        glp_iocp iocp;
        glp_init_iocp(&iocp);
        iocp.msg_lev = msg_lev;
        iocp.mip_gap = solver->options.mip_gap;
        iocp.presolve = GLP_OFF; /* the LP relaxation's optimal basis is in place */
        iocp.cb_func = record_gap;
        iocp.cb_info = solver;
        if (solver->options.time_limit > 0)
            iocp.tm_lim = (int)(solver->options.time_limit * 1000.0);
        solver->mip_gap = 0.0;
        ret = glp_intopt(prob, &iocp);
        int mip_status = glp_mip_status(prob);
        /* Stopping at the gap tolerance or the time limit still leaves a solution. */
        if (ret != 0 && ret != GLP_EMIPGAP && ret != GLP_ETMLIM && ret != GLP_ENOPFS) {
            disarm();
            return AO_ERROR_SOLVER;
        }
        if (mip_status == GLP_OPT || mip_status == GLP_FEAS) {
            solver->mip_solved = 1;
            *status = AO_STATUS_OPTIMAL;
        } else if (mip_status == GLP_NOFEAS) {
            *status = AO_STATUS_INFEASIBLE;
        } else {
            *status = AO_STATUS_NOT_SOLVED;
        }
    }
    disarm();
    return AO_NO_ERROR;
}

ao_error ao_solver_fix_integers(ao_solver *solver)
{
    if (solver->dead || !solver->mip_solved)
        return AO_ERROR_SOLVER;
    if (setjmp(solver->on_error))
        return after_glpk_error(solver);
    arm(solver);
    int n = glp_get_num_cols(solver->prob);
    for (int j = 1; j <= n; j++) {
        if (glp_get_col_kind(solver->prob, j) == GLP_CV)
            continue;
        double value = round(glp_mip_col_val(solver->prob, j));
        glp_set_col_kind(solver->prob, j, GLP_CV);
        glp_set_col_bnds(solver->prob, j, GLP_FX, value, value);
    }
    disarm();
    solver->mip = 0;
    solver->mip_solved = 0;
    return AO_NO_ERROR;
}

double ao_solver_mip_gap(const ao_solver *solver)
{
    return solver->mip_solved ? solver->mip_gap : 0.0;
}

double ao_solver_objective(const ao_solver *solver)
{
    if (solver->dead)
        return NAN;
    return solver->mip_solved ? glp_mip_obj_val(solver->prob) : glp_get_obj_val(solver->prob);
}

void ao_solver_col_values(const ao_solver *solver, double *out)
{
    int n = glp_get_num_cols(solver->prob);
    for (int j = 1; j <= n; j++)
        out[j - 1] = solver->mip_solved ? glp_mip_col_val(solver->prob, j)
                                        : glp_get_col_prim(solver->prob, j);
}

void ao_solver_row_values(const ao_solver *solver, double *out)
{
    int n = glp_get_num_rows(solver->prob);
    for (int r = 1; r <= n; r++)
        out[r - 1] = solver->mip_solved ? glp_mip_row_val(solver->prob, r)
                                        : glp_get_row_prim(solver->prob, r);
}

/* A MIP solution has no duals: they are zero until ao_solver_fix_integers(). */
void ao_solver_row_duals(const ao_solver *solver, double *out)
{
    int n = glp_get_num_rows(solver->prob);
    for (int r = 1; r <= n; r++)
        out[r - 1] = solver->mip_solved ? 0.0 : glp_get_row_dual(solver->prob, r);
}

void ao_solver_col_duals(const ao_solver *solver, double *out)
{
    int n = glp_get_num_cols(solver->prob);
    for (int j = 1; j <= n; j++)
        out[j - 1] = solver->mip_solved ? 0.0 : glp_get_col_dual(solver->prob, j);
}

ao_error ao_solver_add_row(ao_solver *solver, const char *name, double lo, double hi, size_t n,
                           const int *cols, const double *values)
{
    if (solver->dead)
        return AO_ERROR_SOLVER;
    int n_cols = glp_get_num_cols(solver->prob);
    int *ind = malloc((n + 1) * sizeof *ind);
    double *val = malloc((n + 1) * sizeof *val);
    if (ind == NULL || val == NULL) {
        free(ind);
        free(val);
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    }
    for (size_t k = 0; k < n; k++) {
        if (cols[k] < 0 || cols[k] >= n_cols || !isfinite(values[k])) {
            free(ind);
            free(val);
            return AO_ERROR_SOLVER;
        }
        ind[k + 1] = cols[k] + 1;
        val[k + 1] = values[k];
    }
    if (setjmp(solver->on_error)) {
        free(ind);
        free(val);
        return after_glpk_error(solver);
    }
    arm(solver);
    int r = glp_add_rows(solver->prob, 1);
    glp_set_row_bnds(solver->prob, r, bound_type(lo, hi), finite_or_zero(lo),
                     finite_or_zero(hi));
    set_name(solver->prob, 1, r, name);
    glp_set_mat_row(solver->prob, r, (int)n, ind, val);
    /* The new row's slack joins the basis, so the old basis stays valid. */
    glp_set_row_stat(solver->prob, r, GLP_BS);
    disarm();
    free(ind);
    free(val);
    return AO_NO_ERROR;
}

ao_error ao_solver_set_objective(ao_solver *solver, ao_sense sense, const double *obj)
{
    if (solver->dead)
        return AO_ERROR_SOLVER;
    int n = glp_get_num_cols(solver->prob);
    for (int j = 0; j < n; j++)
        if (!isfinite(obj[j]))
            return AO_ERROR_SOLVER;
    if (setjmp(solver->on_error))
        return after_glpk_error(solver);
    arm(solver);
    glp_set_obj_dir(solver->prob, sense == AO_MAXIMISE ? GLP_MAX : GLP_MIN);
    for (int j = 1; j <= n; j++)
        glp_set_obj_coef(solver->prob, j, obj[j - 1]);
    disarm();
    return AO_NO_ERROR;
}

ao_error ao_solver_limit_ranges(ao_solver *solver, size_t n, const int *rows, double *from,
                                double *to)
{
    if (solver->dead)
        return AO_ERROR_SOLVER;
    int n_rows = glp_get_num_rows(solver->prob);
    for (size_t k = 0; k < n; k++)
        if (rows[k] < 0 || rows[k] >= n_rows)
            return AO_ERROR_SOLVER;
    if (setjmp(solver->on_error))
        return after_glpk_error(solver);
    arm(solver);
    if (!glp_bf_exists(solver->prob) && glp_factorize(solver->prob) != 0) {
        disarm();
        return AO_ERROR_SOLVER;
    }
    for (size_t k = 0; k < n; k++) {
        int r = rows[k] + 1;
        if (glp_get_row_stat(solver->prob, r) == GLP_BS) {
            double activity = glp_get_row_prim(solver->prob, r);
            int type = glp_get_row_type(solver->prob, r);
            from[k] = type == GLP_UP ? activity : -INFINITY;
            to[k] = type == GLP_LO ? activity : INFINITY;
            continue;
        }
        double value1, value2;
        int var1, var2;
        glp_analyze_bound(solver->prob, r, &value1, &var1, &value2, &var2);
        from[k] = value1 <= -DBL_MAX ? -INFINITY : value1;
        to[k] = value2 >= DBL_MAX ? INFINITY : value2;
    }
    disarm();
    return AO_NO_ERROR;
}

size_t ao_solver_infeasible_rows(ao_solver *solver, int *out, size_t max)
{
    if (solver->dead || max == 0)
        return 0;
    int n = glp_get_num_rows(solver->prob);
    size_t count = 0;
    double *violation = malloc(max * sizeof *violation);
    if (violation == NULL)
        return 0;
    for (int r = 1; r <= n; r++) {
        double value = glp_get_row_prim(solver->prob, r);
        int type = glp_get_row_type(solver->prob, r);
        double lo = glp_get_row_lb(solver->prob, r), hi = glp_get_row_ub(solver->prob, r);
        /* GLPK reports ±DBL_MAX for a missing bound: measure against the broken one. */
        double excess = 0.0, scale = 1.0;
        if ((type == GLP_LO || type == GLP_DB || type == GLP_FX) && value < lo) {
            excess = lo - value;
            scale += fabs(lo);
        }
        if ((type == GLP_UP || type == GLP_DB || type == GLP_FX) && value > hi) {
            excess = value - hi;
            scale += fabs(hi);
        }
        if (excess <= 1e-7 * scale)
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
        out[pos] = r - 1;
        if (count < max)
            count++;
    }
    free(violation);
    return count;
}

ao_error ao_solver_write_lp(const ao_solver *solver, const char *path)
{
    if (solver->dead)
        return AO_ERROR_SOLVER;
    ao_solver *mutable_solver = (ao_solver *)solver;
    if (setjmp(mutable_solver->on_error))
        return after_glpk_error(mutable_solver);
    arm(mutable_solver);
    int ret = glp_write_lp(solver->prob, NULL, path);
    disarm();
    return ret == 0 ? AO_NO_ERROR : AO_ERROR_FILE_WRITE;
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
    if (solver->dead)
        return AO_ERROR_SOLVER;
    int n_rows = glp_get_num_rows(solver->prob), n_cols = glp_get_num_cols(solver->prob);
    ao_basis *basis = calloc(1, sizeof *basis);
    if (basis == NULL)
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    basis->n_rows = n_rows;
    basis->n_cols = n_cols;
    basis->shape = solver->shape;
    basis->row_stat = malloc(((size_t)n_rows + 1) * sizeof *basis->row_stat);
    basis->col_stat = malloc(((size_t)n_cols + 1) * sizeof *basis->col_stat);
    if (basis->row_stat == NULL || basis->col_stat == NULL) {
        ao_basis_free(basis);
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    }
    for (int r = 1; r <= n_rows; r++)
        basis->row_stat[r - 1] = glp_get_row_stat(solver->prob, r);
    for (int j = 1; j <= n_cols; j++)
        basis->col_stat[j - 1] = glp_get_col_stat(solver->prob, j);
    *out = basis;
    return AO_NO_ERROR;
}

int ao_solver_set_basis(ao_solver *solver, const ao_basis *basis)
{
    if (solver->dead || basis == NULL || basis->shape != solver->shape ||
        basis->n_rows != glp_get_num_rows(solver->prob) ||
        basis->n_cols != glp_get_num_cols(solver->prob))
        return 0;
    if (setjmp(solver->on_error)) {
        after_glpk_error(solver);
        return 0;
    }
    arm(solver);
    for (int r = 1; r <= basis->n_rows; r++)
        glp_set_row_stat(solver->prob, r, basis->row_stat[r - 1]);
    for (int j = 1; j <= basis->n_cols; j++)
        glp_set_col_stat(solver->prob, j, basis->col_stat[j - 1]);
    disarm();
    /* The solve starts from this basis (no presolve); a bad one is replaced there. */
    solver->has_basis = 1;
    solver->dual_next = 1;
    return 1;
}

void ao_solver_thread_cleanup(void)
{
    glp_free_env();
}

size_t ao_solver_n_rows(const ao_solver *solver)
{
    return solver->dead ? 0 : (size_t)glp_get_num_rows(solver->prob);
}

size_t ao_solver_n_cols(const ao_solver *solver)
{
    return solver->dead ? 0 : (size_t)glp_get_num_cols(solver->prob);
}
