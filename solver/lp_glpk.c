/*
 * The GLPK backend of the solver layer (solver/backend.h). The only file that includes
 * glpk.h.
 *
 * GLPK calls abort() after an internal error unless an error hook takes control
 * away; every call into GLPK runs under a hook that longjmp()s back here, after
 * which the thread's GLPK environment is freed and the problem is marked dead.
 */
#include <glpk.h>
#include <math.h>
#include <float.h>
#include <limits.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "solver/backend.h"

/* GLPK's name limit (characters, without the NUL). */
#define GLPK_NAME_MAX 255

typedef struct glpk_solver {
    glp_prob *prob;
    ao_solver_options options;
    int mip;        ///< The problem has integer columns.
    int mip_solved; ///< The last solve ended with a MIP solution (values from it).
    double mip_gap; ///< Gap proved by the last MIP solve.
    int interior;   ///< Solve cold LPs by the interior point, then recover a basis.
    int scaled;     ///< The problem has been scaled.
    int dead;       ///< GLPK failed; its environment is gone and prob must not be used.
    jmp_buf on_error;
} glpk_solver;

static void glpk_error_hook(void *info)
{
    glpk_solver *solver = info;
    longjmp(solver->on_error, 1);
}

/* GLPK's terminal output goes to the progress callback instead of stdout. */
static int forward_progress(void *info, const char *text)
{
    const glpk_solver *solver = info;
    if (solver->options.on_progress != NULL)
        solver->options.on_progress(solver->options.progress_info, text);
    return 1; /* handled: GLPK prints nothing itself */
}

/* Where GLPK's messages go during a solve: the terminal when verbose, the progress
 * callback when there is one, nowhere otherwise. */
static int message_level(glpk_solver *solver)
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
static void arm(glpk_solver *solver)
{
    glp_error_hook(glpk_error_hook, solver);
}

/*
 * The prologue of every call into GLPK: GLPK_GUARD sets the jump its error hook takes
 * (setjmp must run in the calling function itself, hence a macro) and arms the hook;
 * GLPK_ENTER first refuses a solver that an earlier GLPK error left unusable.
 */
#define GLPK_GUARD(solver)                                                                         \
    do {                                                                                           \
        if (setjmp((solver)->on_error))                                                            \
            return after_glpk_error(solver);                                                       \
        arm(solver);                                                                               \
    } while (0)
#define GLPK_ENTER(solver)                                                                         \
    do {                                                                                           \
        if ((solver)->dead)                                                                        \
            return AO_ERROR_SOLVER;                                                                \
        GLPK_GUARD(solver);                                                                        \
    } while (0)

static void disarm(void)
{
    glp_error_hook(NULL, NULL);
    glp_term_hook(NULL, NULL);
}

/* After a GLPK error the environment is in an undefined state: free it. */
static ao_error after_glpk_error(glpk_solver *solver)
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

/* Copy the LP into a new GLPK problem under the error hook. */
static ao_error load_into_glpk(glpk_solver *solver, const ao_lp *lp, const ao_merged *m)
{
    GLPK_GUARD(solver);
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
    if (m->count > 0) {
        /* GLPK's arrays are 1-based: shift by one element. */
        int *ia = malloc((m->count + 1) * sizeof *ia);
        int *ja = malloc((m->count + 1) * sizeof *ja);
        double *ar = malloc((m->count + 1) * sizeof *ar);
        if (ia == NULL || ja == NULL || ar == NULL) {
            free(ia);
            free(ja);
            free(ar);
            disarm();
            return AO_ERROR_MEMORY_MALLOC_FAILED;
        }
        for (size_t k = 0; k < m->count; k++) {
            ia[k + 1] = m->row[k] + 1;
            ja[k + 1] = m->col[k] + 1;
            ar[k + 1] = m->value[k];
        }
        glp_load_matrix(prob, (int)m->count, ia, ja, ar);
        free(ia);
        free(ja);
        free(ar);
    }
    disarm();
    return AO_NO_ERROR;
}

static ao_error glpk_load(const ao_lp *lp, const ao_merged *merged,
                          const ao_solver_options *options, void **impl)
{
    glpk_solver *solver = calloc(1, sizeof *solver);
    if (solver == NULL)
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    solver->options = *options;
    solver->interior = options->kind == AO_SOLVER_GLPK_INTERIOR;
    ao_error err = load_into_glpk(solver, lp, merged);
    if (err != AO_NO_ERROR) {
        if (!solver->dead && solver->prob != NULL)
            glp_delete_prob(solver->prob);
        free(solver);
        return err;
    }
    *impl = solver;
    return AO_NO_ERROR;
}

static void glpk_free(void *impl)
{
    glpk_solver *solver = impl;
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
    glpk_solver *solver = info;
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

/* GLPK's interior-point method; 1 when it ends at an optimum. */
static int interior_optimum(glp_prob *prob, int msg_lev)
{
    glp_iptcp ipt;
    glp_init_iptcp(&ipt);
    ipt.msg_lev = msg_lev;
    return glp_get_num_rows(prob) > 0 && glp_get_num_cols(prob) > 0 &&
           glp_interior(prob, &ipt) == 0 && glp_ipt_status(prob) == GLP_OPT;
}

/*
 * GLPK's interior-point method, then an optimal basis recovered from its solution, so
 * that the plan is a vertex and ranging, shadow prices and warm starts work as after
 * the simplex. GLPK has no crossover, so this one restricts the LP with what the
 * interior point proved: each column at a bound whose reduced cost is clearly nonzero
 * (strict complementarity says it is non-basic at that bound in every optimal basis)
 * is fixed there, and the presolved simplex finds an optimal basis of that much
 * smaller LP. The bounds are then given back and the primal simplex goes on from that
 * basis, so the result is an optimal basis of the LP itself whatever the interior
 * point got wrong (at worst it costs simplex iterations). Returns glp_simplex's code
 * of the last solve, or -1 when the interior point gave no optimum (the caller then
 * solves by the simplex alone).
 */
static int interior_then_basis(glpk_solver *solver, glp_smcp *parm, int msg_lev)
{
    glp_prob *prob = solver->prob;
    if (!interior_optimum(prob, msg_lev))
        return -1;
    int n = glp_get_num_cols(prob);
    /* Reduced costs are compared with the objective's own scale. */
    double scale = 0.0;
    for (int j = 1; j <= n; j++)
        scale = fmax(scale, fabs(glp_get_obj_coef(prob, j)));
    double tol = 1e-7 * fmax(scale, 1.0);
    int sign = glp_get_obj_dir(prob) == GLP_MIN ? 1 : -1;
    /* Per column: 0 free, 1 fixed at its lower bound, 2 at its upper; its limits. */
    unsigned char *fixed = calloc((size_t)n + 1, 1);
    double *lo = malloc(((size_t)n + 1) * sizeof *lo);
    double *hi = malloc(((size_t)n + 1) * sizeof *hi);
    int *type = malloc(((size_t)n + 1) * sizeof *type);
    if (fixed == NULL || lo == NULL || hi == NULL || type == NULL) {
        free(fixed);
        free(lo);
        free(hi);
        free(type);
        return -1;
    }
    for (int j = 1; j <= n; j++) {
        type[j] = glp_get_col_type(prob, j);
        lo[j] = glp_get_col_lb(prob, j);
        hi[j] = glp_get_col_ub(prob, j);
        double d = sign * glp_ipt_col_dual(prob, j), x = glp_ipt_col_prim(prob, j);
        double near = 1e-6 * (1.0 + fabs(x));
        if (d > tol && (type[j] == GLP_LO || type[j] == GLP_DB) && x - lo[j] <= near) {
            fixed[j] = 1;
            glp_set_col_bnds(prob, j, GLP_FX, lo[j], lo[j]);
        } else if (d < -tol && (type[j] == GLP_UP || type[j] == GLP_DB) && hi[j] - x <= near) {
            fixed[j] = 2;
            glp_set_col_bnds(prob, j, GLP_FX, hi[j], hi[j]);
        }
    }
    parm->presolve = GLP_ON;
    int ret = glp_simplex(prob, parm);
    int have_basis = ret == 0 && glp_get_status(prob) == GLP_OPT;
    for (int j = 1; j <= n; j++) {
        if (!fixed[j])
            continue;
        glp_set_col_bnds(prob, j, type[j], lo[j], hi[j]);
        if (have_basis && glp_get_col_stat(prob, j) != GLP_BS)
            glp_set_col_stat(prob, j, fixed[j] == 1 ? GLP_NL : GLP_NU);
    }
    free(fixed);
    free(lo);
    free(hi);
    free(type);
    /* From the restricted LP's optimal basis (primal feasible for the LP itself), the
     * primal simplex ends at an optimal basis; without one, from a fresh basis. */
    parm->presolve = GLP_OFF;
    if (!have_basis)
        glp_adv_basis(prob, 0);
    return glp_simplex(prob, parm);
}

static ao_error glpk_solve(void *impl, int warm, int dual_first, ao_solve_status *status)
{
    glpk_solver *solver = impl;
    *status = AO_STATUS_NOT_SOLVED;
    if (solver->dead)
        return AO_ERROR_SOLVER;
    glp_prob *prob = solver->prob;
    GLPK_GUARD(solver);
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
    if (!warm && solver->interior && !solver->mip &&
        (ret = interior_then_basis(solver, &parm, msg_lev)) >= 0) {
        /* Solved by the interior point and a recovered basis. */
    } else if (!warm) {
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
        if (dual_first)
            parm.meth = GLP_DUALP;
        ret = glp_simplex(prob, &parm);
        parm.meth = GLP_PRIMAL;
    }
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

static ao_error glpk_fix_integers(void *impl)
{
    glpk_solver *solver = impl;
    if (solver->dead || !solver->mip_solved)
        return AO_ERROR_SOLVER;
    GLPK_GUARD(solver);
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

static double glpk_mip_gap(const void *impl)
{
    const glpk_solver *solver = impl;
    return solver->mip_solved ? solver->mip_gap : 0.0;
}

static double glpk_objective(const void *impl)
{
    const glpk_solver *solver = impl;
    if (solver->dead)
        return NAN;
    return solver->mip_solved ? glp_mip_obj_val(solver->prob) : glp_get_obj_val(solver->prob);
}

/* The n values of the columns or the rows: the MIP's when it was solved, else the LP's. */
static void glpk_values(const glpk_solver *solver, int n, double (*mip)(glp_prob *, int),
                        double (*lp)(glp_prob *, int), double *out)
{
    for (int k = 1; k <= n; k++)
        out[k - 1] = solver->mip_solved ? mip(solver->prob, k) : lp(solver->prob, k);
}

static void glpk_col_values(const void *impl, double *out)
{
    const glpk_solver *solver = impl;
    glpk_values(solver, glp_get_num_cols(solver->prob), glp_mip_col_val, glp_get_col_prim, out);
}

static void glpk_row_values(const void *impl, double *out)
{
    const glpk_solver *solver = impl;
    glpk_values(solver, glp_get_num_rows(solver->prob), glp_mip_row_val, glp_get_row_prim, out);
}

/* A MIP solution has no duals: they are zero until the integers are fixed. */
static void glpk_row_duals(const void *impl, double *out)
{
    const glpk_solver *solver = impl;
    int n = glp_get_num_rows(solver->prob);
    for (int r = 1; r <= n; r++)
        out[r - 1] = solver->mip_solved ? 0.0 : glp_get_row_dual(solver->prob, r);
}

static void glpk_col_duals(const void *impl, double *out)
{
    const glpk_solver *solver = impl;
    int n = glp_get_num_cols(solver->prob);
    for (int j = 1; j <= n; j++)
        out[j - 1] = solver->mip_solved ? 0.0 : glp_get_col_dual(solver->prob, j);
}

static void glpk_row_bounds(const void *impl, double *lo, double *hi)
{
    const glpk_solver *solver = impl;
    int n = glp_get_num_rows(solver->prob);
    for (int r = 1; r <= n; r++) {
        int type = glp_get_row_type(solver->prob, r);
        lo[r - 1] = type == GLP_LO || type == GLP_DB || type == GLP_FX
                        ? glp_get_row_lb(solver->prob, r)
                        : -AO_INF;
        hi[r - 1] = type == GLP_UP || type == GLP_DB || type == GLP_FX
                        ? glp_get_row_ub(solver->prob, r)
                        : AO_INF;
    }
}

static ao_error glpk_add_rows(void *impl, const char *name, size_t n, const double *lo,
                              const double *hi, const size_t *start, const int *cols,
                              const double *values)
{
    glpk_solver *solver = impl;
    if (solver->dead)
        return AO_ERROR_SOLVER;
    size_t longest = 0;
    for (size_t q = 0; q < n; q++)
        longest = start[q + 1] - start[q] > longest ? start[q + 1] - start[q] : longest;
    int *ind = malloc((longest + 1) * sizeof *ind);
    double *val = malloc((longest + 1) * sizeof *val);
    if (ind == NULL || val == NULL) {
        free(ind);
        free(val);
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    }
    if (setjmp(solver->on_error)) {
        free(ind);
        free(val);
        return after_glpk_error(solver);
    }
    arm(solver);
    int first = glp_add_rows(solver->prob, (int)n);
    for (size_t q = 0; q < n; q++) {
        int r = first + (int)q, count = 0;
        for (size_t k = start[q]; k < start[q + 1]; k++) {
            ind[++count] = cols[k] + 1;
            val[count] = values[k];
        }
        glp_set_row_bnds(solver->prob, r, bound_type(lo[q], hi[q]), finite_or_zero(lo[q]),
                         finite_or_zero(hi[q]));
        set_name(solver->prob, 1, r, name);
        glp_set_mat_row(solver->prob, r, count, ind, val);
        /* The new row's slack joins the basis, so the old basis stays valid. */
        glp_set_row_stat(solver->prob, r, GLP_BS);
    }
    disarm();
    free(ind);
    free(val);
    return AO_NO_ERROR;
}

static ao_error glpk_add_cols(void *impl, size_t n, const double *lo, const double *hi)
{
    glpk_solver *solver = impl;
    GLPK_ENTER(solver);
    int first = glp_add_cols(solver->prob, (int)n);
    for (size_t q = 0; q < n; q++) {
        int j = first + (int)q, type = bound_type(lo[q], hi[q]);
        glp_set_col_bnds(solver->prob, j, type, finite_or_zero(lo[q]), finite_or_zero(hi[q]));
        /* Non-basic at a limit it has, so the old basis stays valid. */
        glp_set_col_stat(solver->prob, j,
                         type == GLP_FR   ? GLP_NF
                         : type == GLP_FX ? GLP_NS
                         : type == GLP_UP ? GLP_NU
                                          : GLP_NL);
    }
    disarm();
    return AO_NO_ERROR;
}

/* The status of a non-basic row or column given new limits: at the one nearest its
 * value. */
static int glpk_nearest_status(int type, double value, double lo, double hi)
{
    switch (type) {
    case GLP_FR:
        return GLP_NF;
    case GLP_FX:
        return GLP_NS;
    case GLP_UP:
        return GLP_NU;
    case GLP_LO:
        return GLP_NL;
    default:
        return fabs(hi - value) < fabs(value - lo) ? GLP_NU : GLP_NL;
    }
}

/* New limits for n rows (`rows`) or columns of GLPK's problem; a non-basic one goes to the
 * new limit nearest its value. */
static ao_error glpk_set_bounds(glpk_solver *solver, int rows, size_t n, const int *index,
                                const double *lo, const double *hi)
{
    GLPK_ENTER(solver);
    for (size_t q = 0; q < n; q++) {
        int k = index[q] + 1, type = bound_type(lo[q], hi[q]);
        double value = rows ? glp_get_row_prim(solver->prob, k) : glp_get_col_prim(solver->prob, k);
        (rows ? glp_set_row_bnds : glp_set_col_bnds)(solver->prob, k, type, finite_or_zero(lo[q]),
                                                     finite_or_zero(hi[q]));
        if ((rows ? glp_get_row_stat : glp_get_col_stat)(solver->prob, k) != GLP_BS)
            (rows ? glp_set_row_stat : glp_set_col_stat)(
                solver->prob, k, glpk_nearest_status(type, value, lo[q], hi[q]));
    }
    disarm();
    return AO_NO_ERROR;
}

static ao_error glpk_set_row_bounds(void *impl, size_t n, const int *rows, const double *lo,
                                    const double *hi)
{
    return glpk_set_bounds(impl, 1, n, rows, lo, hi);
}

static ao_error glpk_set_col_bounds(void *impl, size_t n, const int *cols, const double *lo,
                                    const double *hi)
{
    return glpk_set_bounds(impl, 0, n, cols, lo, hi);
}

static ao_error glpk_swap_basic(void *impl, size_t n, const int *rows, const int *cols)
{
    glpk_solver *solver = impl;
    GLPK_ENTER(solver);
    for (size_t q = 0; q < n; q++) {
        int r = rows[q] + 1, type = glp_get_row_type(solver->prob, r);
        glp_set_row_stat(solver->prob, r,
                         type == GLP_FR   ? GLP_NF
                         : type == GLP_FX ? GLP_NS
                         : type == GLP_UP ? GLP_NU
                                          : GLP_NL);
        glp_set_col_stat(solver->prob, cols[q] + 1, GLP_BS);
    }
    disarm();
    return AO_NO_ERROR;
}

static ao_error glpk_set_objective(void *impl, ao_sense sense, const double *obj)
{
    glpk_solver *solver = impl;
    if (solver->dead)
        return AO_ERROR_SOLVER;
    int n = glp_get_num_cols(solver->prob);
    GLPK_GUARD(solver);
    glp_set_obj_dir(solver->prob, sense == AO_MAXIMISE ? GLP_MAX : GLP_MIN);
    for (int j = 1; j <= n; j++)
        glp_set_obj_coef(solver->prob, j, obj[j - 1]);
    disarm();
    return AO_NO_ERROR;
}

static ao_error glpk_limit_ranges(void *impl, size_t n, const int *rows, double *from, double *to)
{
    glpk_solver *solver = impl;
    GLPK_ENTER(solver);
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

static ao_error glpk_write_lp(const void *impl, const char *path)
{
    glpk_solver *solver = (glpk_solver *)impl;
    GLPK_ENTER(solver);
    int ret = glp_write_lp(solver->prob, NULL, path);
    disarm();
    return ret == 0 ? AO_NO_ERROR : AO_ERROR_FILE_WRITE;
}

static unsigned char status_from_glpk_stat(int stat)
{
    switch (stat) {
    case GLP_BS:
        return AO_BASIS_BASIC;
    case GLP_NU:
        return AO_BASIS_UPPER;
    case GLP_NF:
        return AO_BASIS_FREE;
    case GLP_NS:
        return AO_BASIS_FIXED;
    case GLP_NL:
    default:
        return AO_BASIS_LOWER;
    }
}

static int glpk_stat_from_status(unsigned char status)
{
    switch (status) {
    case AO_BASIS_BASIC:
        return GLP_BS;
    case AO_BASIS_UPPER:
        return GLP_NU;
    case AO_BASIS_FREE:
        return GLP_NF;
    case AO_BASIS_FIXED:
        return GLP_NS;
    case AO_BASIS_LOWER:
    default:
        return GLP_NL;
    }
}

static ao_error glpk_get_basis(const void *impl, unsigned char *row_stat, unsigned char *col_stat)
{
    const glpk_solver *solver = impl;
    if (solver->dead)
        return AO_ERROR_SOLVER;
    int n_rows = glp_get_num_rows(solver->prob), n_cols = glp_get_num_cols(solver->prob);
    for (int r = 1; r <= n_rows; r++)
        row_stat[r - 1] = status_from_glpk_stat(glp_get_row_stat(solver->prob, r));
    for (int j = 1; j <= n_cols; j++)
        col_stat[j - 1] = status_from_glpk_stat(glp_get_col_stat(solver->prob, j));
    return AO_NO_ERROR;
}

/* GLPK corrects a status that does not fit the bounds (NU on a variable with no upper
 * bound, say) itself, so statuses from another backend can be passed as they are. */
static ao_error glpk_set_basis(void *impl, const unsigned char *row_stat,
                               const unsigned char *col_stat)
{
    glpk_solver *solver = impl;
    if (solver->dead)
        return AO_ERROR_SOLVER;
    int n_rows = glp_get_num_rows(solver->prob), n_cols = glp_get_num_cols(solver->prob);
    GLPK_GUARD(solver);
    for (int r = 1; r <= n_rows; r++)
        glp_set_row_stat(solver->prob, r, glpk_stat_from_status(row_stat[r - 1]));
    for (int j = 1; j <= n_cols; j++)
        glp_set_col_stat(solver->prob, j, glpk_stat_from_status(col_stat[j - 1]));
    disarm();
    return AO_NO_ERROR;
}

static ao_error glpk_interior_point(void *impl, double *col_values)
{
    glpk_solver *solver = impl;
    if (solver->dead)
        return AO_ERROR_SOLVER;
    glp_prob *prob = solver->prob;
    GLPK_GUARD(solver);
    int n = glp_get_num_cols(prob);
    int ok = interior_optimum(prob, message_level(solver));
    for (int j = 1; ok && j <= n; j++)
        col_values[j - 1] = glp_ipt_col_prim(prob, j);
    disarm();
    return ok ? AO_NO_ERROR : AO_ERROR_SOLVER;
}

static long glpk_iterations(const void *impl)
{
    const glpk_solver *solver = impl;
    return solver->dead ? 0 : (long)glp_get_it_cnt(solver->prob);
}

static size_t glpk_n_rows(const void *impl)
{
    const glpk_solver *solver = impl;
    return solver->dead ? 0 : (size_t)glp_get_num_rows(solver->prob);
}

static size_t glpk_n_cols(const void *impl)
{
    const glpk_solver *solver = impl;
    return solver->dead ? 0 : (size_t)glp_get_num_cols(solver->prob);
}

void ao_glpk_thread_cleanup(void)
{
    glp_free_env();
}

const ao_backend ao_backend_glpk = {
    .name = "glpk",
    .version = glp_version,
    .load = glpk_load,
    .free = glpk_free,
    .solve = glpk_solve,
    .fix_integers = glpk_fix_integers,
    .mip_gap = glpk_mip_gap,
    .objective = glpk_objective,
    .col_values = glpk_col_values,
    .row_values = glpk_row_values,
    .row_duals = glpk_row_duals,
    .col_duals = glpk_col_duals,
    .row_bounds = glpk_row_bounds,
    .limit_ranges = glpk_limit_ranges,
    .get_basis = glpk_get_basis,
    .set_basis = glpk_set_basis,
    .add_rows = glpk_add_rows,
    .add_cols = glpk_add_cols,
    .set_row_bounds = glpk_set_row_bounds,
    .set_col_bounds = glpk_set_col_bounds,
    .swap_basic = glpk_swap_basic,
    .set_objective = glpk_set_objective,
    .write_lp = glpk_write_lp,
    .iterations = glpk_iterations,
    .set_warm_limit = NULL,
    .n_rows = glpk_n_rows,
    .n_cols = glpk_n_cols,
    .interior_point = glpk_interior_point,
    .solve_from_point = NULL,
};
