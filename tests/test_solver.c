/* Unit tests for solver/: the LP builder and each backend (GLPK, and CLP when built):
 * every test runs once per backend, with the same expected answers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "solver/lp.h"

/* The options for the backend a test runs under (its cmocka state). */
static const ao_solver_options *backend(void **state)
{
    static ao_solver_options options[AO_SOLVER_AUTO + 1];
    ao_solver_kind kind = *(const ao_solver_kind *)*state;
    ao_solver_options_set_default(&options[kind]);
    options[kind].kind = kind;
    return &options[kind];
}

/*
 * max 3a + 2b  s.t.  a + b ≤ 4,  a + 3b ≤ 7,  a ≤ 3.
 * Optimum 11 at (3,1), where r1 binds and r2 has slack 1.
 * Duals: r1 is worth b's objective, 2; r2 is worth 0.
 */
static ao_lp *small_lp(void)
{
    ao_lp *lp = ao_lp_new(AO_MAXIMISE);
    assert_non_null(lp);
    int a = ao_lp_add_col(lp, "a", 0.0, 3.0, 3.0);
    int b = ao_lp_add_col(lp, "b", 0.0, AO_INF, 2.0);
    int r1 = ao_lp_add_row(lp, "r1", -AO_INF, 4.0);
    int r2 = ao_lp_add_row(lp, "r2", -AO_INF, 7.0);
    assert_int_equal(ao_lp_add_nz(lp, r1, a, 1.0), AO_NO_ERROR);
    assert_int_equal(ao_lp_add_nz(lp, r1, b, 1.0), AO_NO_ERROR);
    assert_int_equal(ao_lp_add_nz(lp, r2, a, 1.0), AO_NO_ERROR);
    /* 3b split in two entries: the backend must sum repeated pairs. */
    assert_int_equal(ao_lp_add_nz(lp, r2, b, 1.0), AO_NO_ERROR);
    assert_int_equal(ao_lp_add_nz(lp, r2, b, 2.0), AO_NO_ERROR);
    return lp;
}

static void test_small_lp_optimum_and_duals(void **state)
{
    ao_lp *lp = small_lp();
    ao_solver *solver = NULL;
    assert_int_equal(ao_solver_new(lp, backend(state), &solver), AO_NO_ERROR);
    ao_solve_status status;
    assert_int_equal(ao_solver_solve(solver, &status), AO_NO_ERROR);
    assert_int_equal(status, AO_STATUS_OPTIMAL);
    assert_true(fabs(ao_solver_objective(solver) - 11.0) < 1e-9);
    double x[2], duals[2], rows[2];
    ao_solver_col_values(solver, x);
    ao_solver_row_duals(solver, duals);
    ao_solver_row_values(solver, rows);
    assert_true(fabs(x[0] - 3.0) < 1e-9 && fabs(x[1] - 1.0) < 1e-9);
    assert_true(fabs(rows[1] - 6.0) < 1e-9); /* 3 + 3·1 */
    /* Raising r1's limit by 1 lets b grow by 1: objective +2. r2 has slack 0 but b is
     * limited by r1 first; its dual is 0. */
    assert_true(fabs(duals[0] - 2.0) < 1e-9);
    assert_true(fabs(duals[1]) < 1e-9);
    ao_solver_free(solver);
    ao_lp_free(lp);
}

static void test_dual_matches_finite_difference(void **state)
{
    ao_lp *lp = small_lp();
    ao_solver *solver = NULL;
    ao_solve_status status;
    assert_int_equal(ao_solver_new(lp, backend(state), &solver), AO_NO_ERROR);
    assert_int_equal(ao_solver_solve(solver, &status), AO_NO_ERROR);
    double base = ao_solver_objective(solver), duals[2];
    ao_solver_row_duals(solver, duals);
    ao_solver_free(solver);
    lp->row_hi[0] += 0.25;
    assert_int_equal(ao_solver_new(lp, backend(state), &solver), AO_NO_ERROR);
    assert_int_equal(ao_solver_solve(solver, &status), AO_NO_ERROR);
    double raised = ao_solver_objective(solver);
    assert_true(fabs((raised - base) / 0.25 - duals[0]) < 1e-9);
    ao_solver_free(solver);
    ao_lp_free(lp);
}

static void test_limit_ranges(void **state)
{
    /* r1's limit can move between 3 (b reaches 0) and 3 + 4/3 (r2 starts to bind)
     * before its dual of 2 changes; r2 has slack 1, so its zero dual holds from its
     * activity 6 upwards. */
    ao_lp *lp = small_lp();
    ao_solver *solver = NULL;
    ao_solve_status status;
    assert_int_equal(ao_solver_new(lp, backend(state), &solver), AO_NO_ERROR);
    assert_int_equal(ao_solver_solve(solver, &status), AO_NO_ERROR);
    int rows[2] = {0, 1};
    double from[2], to[2];
    assert_int_equal(ao_solver_limit_ranges(solver, 2, rows, from, to), AO_NO_ERROR);
    assert_true(fabs(from[0] - 3.0) < 1e-9);
    assert_true(fabs(to[0] - (3.0 + 4.0 / 3.0)) < 1e-9);
    assert_true(fabs(from[1] - 6.0) < 1e-9);
    assert_true(isinf(to[1]) && to[1] > 0);
    int bad[1] = {5};
    assert_int_equal(ao_solver_limit_ranges(solver, 1, bad, from, to), AO_ERROR_SOLVER);
    ao_solver_free(solver);
    ao_lp_free(lp);
}

/* Ranging started before the problem changes (a second pass adds a row and a new
 * objective) gives the ranges of the problem as it was, the same as ranging at once. */
static void test_ranges_beside_a_second_pass(void **state)
{
    ao_lp *lp = small_lp();
    ao_solver *solver = NULL;
    ao_solve_status status;
    assert_int_equal(ao_solver_new(lp, backend(state), &solver), AO_NO_ERROR);
    assert_int_equal(ao_solver_solve(solver, &status), AO_NO_ERROR);
    int rows[2] = {0, 1};
    ao_ranging *ranging = NULL;
    assert_int_equal(ao_solver_ranges_start(solver, 2, rows, &ranging), AO_NO_ERROR);
    assert_non_null(ranging);
    /* Meanwhile: hold 3a + 2b ≥ 11 and minimise a + b (the optimum stays (3,1)). */
    int cols[2] = {0, 1};
    double values[2] = {3.0, 2.0}, obj[2] = {1.0, 1.0};
    assert_int_equal(ao_solver_add_row(solver, "hold", 11.0 - 1e-9, AO_INF, 2, cols, values),
                     AO_NO_ERROR);
    assert_int_equal(ao_solver_set_objective(solver, AO_MINIMISE, obj), AO_NO_ERROR);
    assert_int_equal(ao_solver_solve(solver, &status), AO_NO_ERROR);
    assert_int_equal(status, AO_STATUS_OPTIMAL);
    assert_true(fabs(ao_solver_objective(solver) - 4.0) < 1e-6);
    double from[2], to[2];
    assert_int_equal(ao_solver_ranges_finish(ranging, from, to), AO_NO_ERROR);
    assert_true(fabs(from[0] - 3.0) < 1e-9);
    assert_true(fabs(to[0] - (3.0 + 4.0 / 3.0)) < 1e-9);
    assert_true(fabs(from[1] - 6.0) < 1e-9);
    assert_true(isinf(to[1]) && to[1] > 0);
    /* A bad row: the error comes back from finish. */
    int bad[1] = {7};
    assert_int_equal(ao_solver_ranges_start(solver, 1, bad, &ranging), AO_NO_ERROR);
    assert_int_equal(ao_solver_ranges_finish(ranging, from, to), AO_ERROR_SOLVER);
    ao_solver_free(solver);
    ao_lp_free(lp);
}

static void test_warm_start_from_a_basis(void **state)
{
    ao_lp *lp = small_lp();
    ao_solver *solver = NULL;
    ao_solve_status status;
    assert_int_equal(ao_solver_new(lp, backend(state), &solver), AO_NO_ERROR);
    assert_int_equal(ao_solver_solve(solver, &status), AO_NO_ERROR);
    ao_basis *basis = NULL;
    assert_int_equal(ao_solver_get_basis(solver, &basis), AO_NO_ERROR);
    ao_solver_free(solver);
    /* Same shape, r1's limit raised to 4.25: b = 1.25, objective 11.5. */
    lp->row_hi[0] = 4.25;
    assert_int_equal(ao_solver_new(lp, backend(state), &solver), AO_NO_ERROR);
    assert_int_equal(ao_solver_set_basis(solver, basis), 1);
    assert_int_equal(ao_solver_solve(solver, &status), AO_NO_ERROR);
    assert_int_equal(status, AO_STATUS_OPTIMAL);
    assert_true(fabs(ao_solver_objective(solver) - 11.5) < 1e-9);
    ao_solver_free(solver);
    /* Another nonzero changes the shape: the basis is refused and the solve runs cold. */
    assert_int_equal(ao_lp_add_nz(lp, 0, 0, 0.5), AO_NO_ERROR);
    lp->nz_val[0] = 0.5; /* a: 0.5 + 0.5 in r1, same values as before */
    assert_int_equal(ao_solver_new(lp, backend(state), &solver), AO_NO_ERROR);
    assert_int_equal(ao_solver_set_basis(solver, basis), 1); /* merged: same pattern */
    ao_solver_free(solver);
    assert_int_equal(ao_lp_add_nz(lp, 1, 0, 0.0), AO_NO_ERROR); /* zeros are dropped */
    int c = ao_lp_add_col(lp, "c", 0.0, 1.0, 0.0);
    assert_int_equal(ao_lp_add_nz(lp, 0, c, 1.0), AO_NO_ERROR);
    assert_int_equal(ao_solver_new(lp, backend(state), &solver), AO_NO_ERROR);
    assert_int_equal(ao_solver_set_basis(solver, basis), 0);
    assert_int_equal(ao_solver_solve(solver, &status), AO_NO_ERROR);
    assert_int_equal(status, AO_STATUS_OPTIMAL);
    ao_solver_free(solver);
    ao_basis_free(basis);
    ao_lp_free(lp);
}

/* An optimal basis from one backend starts the other, on an LP of the same shape:
 * the solve from it lands on the same optimum with the same duals. */
static void test_warm_start_across_backends(void **state)
{
    ao_solver_kind kind = backend(state)->kind;
    if (!ao_solver_kind_available(AO_SOLVER_CLP))
        skip();
    ao_solver_options other;
    ao_solver_options_set_default(&other);
    other.kind = kind == AO_SOLVER_GLPK ? AO_SOLVER_CLP : AO_SOLVER_GLPK;
    ao_lp *lp = small_lp();
    ao_solver *solver = NULL;
    ao_solve_status status;
    assert_int_equal(ao_solver_new(lp, backend(state), &solver), AO_NO_ERROR);
    assert_int_equal(ao_solver_kind_used(solver), kind);
    assert_int_equal(ao_solver_solve(solver, &status), AO_NO_ERROR);
    ao_basis *basis = NULL;
    assert_int_equal(ao_solver_get_basis(solver, &basis), AO_NO_ERROR);
    ao_solver_free(solver);
    lp->row_hi[0] = 4.25;
    assert_int_equal(ao_solver_new(lp, &other, &solver), AO_NO_ERROR);
    assert_int_equal(ao_solver_kind_used(solver), other.kind);
    assert_int_equal(ao_solver_set_basis(solver, basis), 1);
    assert_int_equal(ao_solver_solve(solver, &status), AO_NO_ERROR);
    assert_int_equal(status, AO_STATUS_OPTIMAL);
    assert_true(fabs(ao_solver_objective(solver) - 11.5) < 1e-9);
    double duals[2];
    ao_solver_row_duals(solver, duals);
    assert_true(fabs(duals[0] - 2.0) < 1e-9 && fabs(duals[1]) < 1e-9);
    ao_solver_free(solver);
    ao_basis_free(basis);
    ao_lp_free(lp);
}

/* Greedy optimum of max Σ v_i x_i, Σ w_i x_i ≤ B, 0 ≤ x_i ≤ 1 (items by ratio). */
static double knapsack_optimum(size_t n, const double *v, const double *w, double budget)
{
    double total = 0.0;
    for (size_t i = 0; i < n && budget > 0; i++) {
        double take = w[i] <= budget ? 1.0 : budget / w[i];
        total += take * v[i];
        budget -= take * w[i];
    }
    return total;
}

/*
 * A warm start that needs many pivots: a fractional knapsack of 1,000 items (each x_i ≤ 1
 * a row of its own, so every item taken is a pivot), warm-started after its budget
 * grows from a tenth to nine tenths of the total weight. CLP gives up on the warm start
 * after a share of the cold solve's iterations and solves cold; either way the optimum
 * is the greedy one.
 */
static void test_warm_start_with_many_pivots(void **state)
{
    enum { N = 1000 };
    double v[N], w[N], total = 0.0;
    for (size_t i = 0; i < N; i++) {
        /* Ratios v/w fall with i, so the greedy order is the index order. */
        w[i] = 1.0 + (double)(i % 7);
        v[i] = w[i] * (2.0 - (double)i / N);
        total += w[i];
    }
    ao_lp *lp = ao_lp_new(AO_MAXIMISE);
    int budget = ao_lp_add_row(lp, "budget", -AO_INF, 0.1 * total);
    for (size_t i = 0; i < N; i++) {
        int j = ao_lp_add_col(lp, NULL, 0.0, AO_INF, v[i]);
        int r = ao_lp_add_row(lp, NULL, -AO_INF, 1.0);
        assert_int_equal(ao_lp_add_nz(lp, r, j, 1.0), AO_NO_ERROR);
        assert_int_equal(ao_lp_add_nz(lp, budget, j, w[i]), AO_NO_ERROR);
    }
    ao_solver *solver = NULL;
    ao_solve_status status;
    assert_int_equal(ao_solver_new(lp, backend(state), &solver), AO_NO_ERROR);
    assert_int_equal(ao_solver_solve(solver, &status), AO_NO_ERROR);
    assert_int_equal(status, AO_STATUS_OPTIMAL);
    assert_true(fabs(ao_solver_objective(solver) - knapsack_optimum(N, v, w, 0.1 * total)) <
                1e-6);
    ao_basis *basis = NULL;
    assert_int_equal(ao_solver_get_basis(solver, &basis), AO_NO_ERROR);
    ao_solver_free(solver);
    lp->row_hi[budget] = 0.9 * total;
    assert_int_equal(ao_solver_new(lp, backend(state), &solver), AO_NO_ERROR);
    assert_int_equal(ao_solver_set_basis(solver, basis), 1);
    assert_int_equal(ao_solver_solve(solver, &status), AO_NO_ERROR);
    assert_int_equal(status, AO_STATUS_OPTIMAL);
    assert_true(fabs(ao_solver_objective(solver) - knapsack_optimum(N, v, w, 0.9 * total)) <
                1e-6);
    /* The duals are those of the optimum reached: the budget is worth the ratio of the
     * item it splits. */
    double *duals = malloc((N + 1) * sizeof *duals);
    assert_non_null(duals);
    ao_solver_row_duals(solver, duals);
    double left = 0.9 * total;
    size_t split = 0;
    while (split < N && w[split] <= left)
        left -= w[split++];
    assert_true(split < N);
    assert_true(fabs(duals[budget] - v[split] / w[split]) < 1e-9);
    free(duals);
    ao_solver_free(solver);
    ao_basis_free(basis);
    ao_lp_free(lp);
}

static void test_backend_names(void **state)
{
    (void)state;
    assert_int_equal(ao_solver_kind_parse("GLPK"), AO_SOLVER_GLPK);
    assert_int_equal(ao_solver_kind_parse("clp"), AO_SOLVER_CLP);
    assert_int_equal(ao_solver_kind_parse("cplex"), -1);
    assert_int_equal(ao_solver_kind_parse(NULL), -1);
    assert_string_equal(ao_solver_kind_name(AO_SOLVER_CLP), "clp");
    assert_int_equal(ao_solver_kind_parse("glpk-interior"), AO_SOLVER_GLPK_INTERIOR);
    assert_int_equal(ao_solver_kind_parse("Auto"), AO_SOLVER_AUTO);
    assert_string_equal(ao_solver_kind_name(AO_SOLVER_GLPK_INTERIOR), "glpk-interior");
    assert_string_equal(ao_solver_kind_name((ao_solver_kind)99), "unknown");
    assert_true(ao_solver_kind_available(AO_SOLVER_GLPK_INTERIOR));
    assert_true(ao_solver_kind_available(AO_SOLVER_AUTO));
    ao_solver_options defaults;
    ao_solver_options_set_default(&defaults);
    assert_int_equal(defaults.kind, AO_SOLVER_AUTO);
    assert_true(ao_solver_kind_available(AO_SOLVER_GLPK));
    assert_true(strlen(ao_solver_kind_version(AO_SOLVER_GLPK)) > 0);
    if (ao_solver_kind_available(AO_SOLVER_CLP))
        assert_true(strlen(ao_solver_kind_version(AO_SOLVER_CLP)) > 0);
}

/*
 * 0-1 knapsack: max 8x + 11y + 6z + 4w, 5x + 7y + 4z + 3w ≤ 14. Whole values: y, z, w
 * (weight 14, value 21); x, y and z weigh 16. The LP relaxation reaches 22.
 */
static void test_mip_knapsack(void **state)
{
    ao_lp *lp = ao_lp_new(AO_MAXIMISE);
    const double value[4] = {8, 11, 6, 4}, weight[4] = {5, 7, 4, 3};
    int r = ao_lp_add_row(lp, "weight", -AO_INF, 14.0);
    for (int k = 0; k < 4; k++) {
        int j = ao_lp_add_col(lp, NULL, 0.0, 1.0, value[k]);
        assert_int_equal(ao_lp_add_nz(lp, r, j, weight[k]), AO_NO_ERROR);
        assert_int_equal(ao_lp_set_integer(lp, j), AO_NO_ERROR);
    }
    assert_int_equal(lp->n_integer, 4);
    assert_int_equal(ao_lp_set_integer(lp, 9), AO_ERROR_INTERNAL);
    ao_solver *solver = NULL;
    ao_solve_status status;
    assert_int_equal(ao_solver_new(lp, backend(state), &solver), AO_NO_ERROR);
    assert_int_equal(ao_solver_solve(solver, &status), AO_NO_ERROR);
    assert_int_equal(status, AO_STATUS_OPTIMAL);
    assert_true(fabs(ao_solver_objective(solver) - 21.0) < 1e-9);
    /* Only GLPK has branch-and-cut: a MIP goes to it whatever was asked. */
    assert_int_equal(ao_solver_kind_used(solver), AO_SOLVER_GLPK);
    double x[4];
    ao_solver_col_values(solver, x);
    assert_true(fabs(x[0]) < 1e-9 && fabs(x[1] - 1) < 1e-9 && fabs(x[2] - 1) < 1e-9 &&
                fabs(x[3] - 1) < 1e-9);
    assert_true(ao_solver_mip_gap(solver) <= 1e-6);
    /* With the choices held, the LP gives the same plan and an objective of 21. */
    assert_int_equal(ao_solver_fix_integers(solver), AO_NO_ERROR);
    assert_int_equal(ao_solver_solve(solver, &status), AO_NO_ERROR);
    assert_int_equal(status, AO_STATUS_OPTIMAL);
    assert_true(fabs(ao_solver_objective(solver) - 21.0) < 1e-9);
    assert_int_equal(ao_solver_fix_integers(solver), AO_ERROR_SOLVER); /* no MIP now */
    ao_solver_free(solver);
    ao_lp_free(lp);
}

static void test_infeasible_and_violated_rows(void **state)
{
    /* a + b ≥ 10 with a ≤ 3, b ≤ 2: infeasible; the only limit that can break is the row. */
    ao_lp *lp = ao_lp_new(AO_MINIMISE);
    int a = ao_lp_add_col(lp, NULL, 0.0, 3.0, 1.0);
    int b = ao_lp_add_col(lp, NULL, 0.0, 2.0, 1.0);
    int r = ao_lp_add_row(lp, NULL, 10.0, AO_INF);
    ao_lp_add_nz(lp, r, a, 1.0);
    ao_lp_add_nz(lp, r, b, 1.0);
    ao_solver *solver = NULL;
    ao_solve_status status;
    assert_int_equal(ao_solver_new(lp, backend(state), &solver), AO_NO_ERROR);
    assert_int_equal(ao_solver_solve(solver, &status), AO_NO_ERROR);
    assert_int_equal(status, AO_STATUS_INFEASIBLE);
    int rows[4];
    assert_int_equal(ao_solver_infeasible_rows(solver, rows, 4), 1);
    assert_int_equal(rows[0], r);
    ao_solver_free(solver);
    ao_lp_free(lp);
}

static void test_unbounded(void **state)
{
    ao_lp *lp = ao_lp_new(AO_MAXIMISE);
    int a = ao_lp_add_col(lp, NULL, 0.0, AO_INF, 1.0);
    int r = ao_lp_add_row(lp, NULL, 1.0, AO_INF);
    ao_lp_add_nz(lp, r, a, 1.0);
    ao_solver *solver = NULL;
    ao_solve_status status;
    assert_int_equal(ao_solver_new(lp, backend(state), &solver), AO_NO_ERROR);
    assert_int_equal(ao_solver_solve(solver, &status), AO_NO_ERROR);
    assert_int_equal(status, AO_STATUS_UNBOUNDED);
    ao_solver_free(solver);
    ao_lp_free(lp);
}

static void test_bad_data_is_refused_not_aborted(void **state)
{
    ao_lp *lp = small_lp();
    lp->nz_val[0] = NAN;
    ao_solver *solver = NULL;
    assert_int_equal(ao_solver_new(lp, backend(state), &solver), AO_ERROR_SOLVER);
    assert_null(solver);
    lp->nz_val[0] = 1.0;
    lp->nz_col[1] = 7; /* no such column */
    assert_int_equal(ao_solver_new(lp, backend(state), &solver), AO_ERROR_SOLVER);
    lp->nz_col[1] = 1;
    lp->col_lo[0] = 5.0; /* lower bound above upper bound */
    assert_int_equal(ao_solver_new(lp, backend(state), &solver), AO_ERROR_SOLVER);
    ao_lp_free(lp);
}

static void test_second_pass_row_and_objective(void **state)
{
    /* max a + b s.t. a + b ≤ 4: many optima. Hold a + b ≥ 4, then min 2a + b: a = 0, b = 4. */
    ao_lp *lp = ao_lp_new(AO_MAXIMISE);
    int a = ao_lp_add_col(lp, NULL, 0.0, AO_INF, 1.0);
    int b = ao_lp_add_col(lp, NULL, 0.0, AO_INF, 1.0);
    int r = ao_lp_add_row(lp, NULL, -AO_INF, 4.0);
    ao_lp_add_nz(lp, r, a, 1.0);
    ao_lp_add_nz(lp, r, b, 1.0);
    ao_solver *solver = NULL;
    ao_solve_status status;
    assert_int_equal(ao_solver_new(lp, backend(state), &solver), AO_NO_ERROR);
    assert_int_equal(ao_solver_solve(solver, &status), AO_NO_ERROR);
    assert_true(fabs(ao_solver_objective(solver) - 4.0) < 1e-9);
    int cols[2] = {a, b};
    double ones[2] = {1.0, 1.0}, second[2] = {2.0, 1.0};
    assert_int_equal(ao_solver_add_row(solver, "hold", 4.0 - 1e-9, AO_INF, 2, cols, ones),
                     AO_NO_ERROR);
    assert_int_equal(ao_solver_set_objective(solver, AO_MINIMISE, second), AO_NO_ERROR);
    assert_int_equal(ao_solver_solve(solver, &status), AO_NO_ERROR);
    assert_int_equal(status, AO_STATUS_OPTIMAL);
    double x[2];
    ao_solver_col_values(solver, x);
    /* The hold row allows 1e-9 below 4, and the cheaper plan takes it. */
    assert_true(fabs(x[0]) < 1e-9 && fabs(x[1] - 4.0) < 1e-8);
    assert_int_equal(ao_solver_n_rows(solver), 2);
    int bad_cols[1] = {9};
    assert_int_equal(ao_solver_add_row(solver, NULL, 0, 1, 1, bad_cols, ones), AO_ERROR_SOLVER);
    ao_solver_free(solver);
    ao_lp_free(lp);
}

/*
 * A third pass as plan.c builds it: max a + b s.t. a + b ≤ 4 (r0). Hold a + b ≥ 4, then
 * minimise |a − 3| through a new column d ≥ 3 − a: min a + 2d, with a + d ≥ 3 a new row
 * (d basic in its place).
 * Optimum a = 3, b = 1, d = 0 (objective 3). With r0 lowered to 2 and the hold row to
 * a + b ≥ 2: a = 2, b = 0, d = 1 (objective 4).
 */
static void test_columns_rows_and_limits_added_after_a_solve(void **state)
{
    ao_lp *lp = ao_lp_new(AO_MAXIMISE);
    int a = ao_lp_add_col(lp, NULL, 0.0, AO_INF, 1.0);
    int b = ao_lp_add_col(lp, NULL, 0.0, AO_INF, 1.0);
    int r = ao_lp_add_row(lp, NULL, -AO_INF, 4.0);
    ao_lp_add_nz(lp, r, a, 1.0);
    ao_lp_add_nz(lp, r, b, 1.0);
    ao_solver *solver = NULL;
    ao_solve_status status;
    assert_int_equal(ao_solver_new(lp, backend(state), &solver), AO_NO_ERROR);
    assert_int_equal(ao_solver_solve(solver, &status), AO_NO_ERROR);
    assert_true(fabs(ao_solver_objective(solver) - 4.0) < 1e-9);
    int hold_cols[2] = {a, b};
    double ones[2] = {1.0, 1.0};
    assert_int_equal(ao_solver_add_row(solver, "hold", 4.0, AO_INF, 2, hold_cols, ones),
                     AO_NO_ERROR);
    double lo = 0.0, hi = AO_INF;
    assert_int_equal(ao_solver_add_cols(solver, 1, &lo, &hi), AO_NO_ERROR);
    assert_int_equal(ao_solver_n_cols(solver), 3);
    double row_lo = 3.0, row_hi = AO_INF;
    size_t start[2] = {0, 2};
    int cols[2] = {a, 2};
    assert_int_equal(ao_solver_add_rows(solver, 1, &row_lo, &row_hi, start, cols, ones),
                     AO_NO_ERROR);
    assert_int_equal(ao_solver_n_rows(solver), 3);
    /* d basic in place of its row: the row is met by d whatever a is. */
    int new_row = 2, new_col = 2, bad = 5;
    assert_int_equal(ao_solver_swap_basic(solver, 1, &new_row, &new_col), AO_NO_ERROR);
    assert_int_equal(ao_solver_swap_basic(solver, 1, &new_row, &bad), AO_ERROR_SOLVER);
    double objective[3] = {1.0, 0.0, 2.0};
    assert_int_equal(ao_solver_set_objective(solver, AO_MINIMISE, objective), AO_NO_ERROR);
    assert_int_equal(ao_solver_solve(solver, &status), AO_NO_ERROR);
    assert_int_equal(status, AO_STATUS_OPTIMAL);
    double x[3];
    ao_solver_col_values(solver, x);
    assert_true(fabs(x[0] - 3.0) < 1e-9 && fabs(x[1] - 1.0) < 1e-9 && fabs(x[2]) < 1e-9);
    assert_true(fabs(ao_solver_objective(solver) - 3.0) < 1e-9);

    int two_rows[2] = {r, 1};
    double two_lo[2] = {-AO_INF, 2.0}, two_hi[2] = {2.0, AO_INF};
    assert_int_equal(ao_solver_set_row_bounds(solver, 2, two_rows, two_lo, two_hi), AO_NO_ERROR);
    assert_int_equal(ao_solver_solve(solver, &status), AO_NO_ERROR);
    assert_int_equal(status, AO_STATUS_OPTIMAL);
    ao_solver_col_values(solver, x);
    assert_true(fabs(x[0] - 2.0) < 1e-9 && fabs(x[1]) < 1e-9 && fabs(x[2] - 1.0) < 1e-9);
    assert_true(fabs(ao_solver_objective(solver) - 4.0) < 1e-9);
    /* The export (through GLPK for CLP) holds the added rows and columns. */
    char path[] = "/tmp/allocopt_test_added_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(ao_solver_write_lp(solver, path), AO_NO_ERROR);
    FILE *file = fopen(path, "r");
    assert_non_null(file);
    char text[2048];
    size_t length = fread(text, 1, sizeof text - 1, file);
    text[length] = '\0';
    fclose(file);
    unlink(path);
    assert_non_null(strstr(text, "hold"));
    if (strstr(text, "2 x_3") == NULL)
        fail_msg("%s", text);

    /* Refused, not passed on: a column with lo > hi, a row that is not there. */
    double bad_lo = 1.0, bad_hi = 0.0;
    assert_int_equal(ao_solver_add_cols(solver, 1, &bad_lo, &bad_hi), AO_ERROR_SOLVER);
    int missing = 7, first = 0;
    double zero = 0.0, one = 1.0;
    assert_int_equal(ao_solver_set_row_bounds(solver, 1, &missing, &zero, &one), AO_ERROR_SOLVER);
    assert_int_equal(ao_solver_set_row_bounds(solver, 1, &first, &one, &zero), AO_ERROR_SOLVER);
    assert_int_equal(ao_solver_set_col_bounds(solver, 1, &missing, &zero, &one), AO_ERROR_SOLVER);
    assert_int_equal(ao_solver_set_col_bounds(solver, 1, &first, &one, &zero), AO_ERROR_SOLVER);
    ao_solver_free(solver);
    ao_lp_free(lp);
}

/* Solve, which must find an optimum, and return its objective. */
static double optimum(ao_solver *solver)
{
    ao_solve_status status;
    assert_int_equal(ao_solver_solve(solver, &status), AO_NO_ERROR);
    assert_int_equal(status, AO_STATUS_OPTIMAL);
    return ao_solver_objective(solver);
}

/* Columns and rows held at their values (the third pass's face) and then given their
 * limits back: the held problem is the smaller one, the released one the original. */
static void test_limits_held_and_given_back(void **state)
{
    ao_lp *lp = small_lp();
    ao_solver *solver = NULL;
    assert_int_equal(ao_solver_new(lp, backend(state), &solver), AO_NO_ERROR);
    assert_true(fabs(optimum(solver) - 11.0) < 1e-9);
    /* max 3a + 2b: a = 3 at its upper limit, r1 = a + b = 4 binding. Hold r1 at 4 and
     * lower a's limit to 2: b = 2 breaks r2 (a + 3b = 8 > 7). */
    int a = 0, r1 = 0;
    double a_lo = 0.0, a_hi = 2.0, four = 4.0;
    assert_int_equal(ao_solver_set_row_bounds(solver, 1, &r1, &four, &four), AO_NO_ERROR);
    assert_int_equal(ao_solver_set_col_bounds(solver, 1, &a, &a_lo, &a_hi), AO_NO_ERROR);
    ao_solve_status status;
    assert_int_equal(ao_solver_solve(solver, &status), AO_NO_ERROR);
    assert_int_equal(status, AO_STATUS_INFEASIBLE);
    /* r1 free again: a = 2, b = 5/3 from r2, objective 6 + 10/3. */
    double no_lo = -AO_INF;
    assert_int_equal(ao_solver_set_row_bounds(solver, 1, &r1, &no_lo, &four), AO_NO_ERROR);
    assert_true(fabs(optimum(solver) - (6.0 + 10.0 / 3.0)) < 1e-9);
    double x[2];
    ao_solver_col_values(solver, x);
    assert_true(fabs(x[0] - 2.0) < 1e-9 && fabs(x[1] - 5.0 / 3.0) < 1e-9);
    /* a fixed at 1 (b = 2 from r2), then its limit given back: 11 again, from where the
     * solver stood. */
    double one = 1.0, three = 3.0;
    assert_int_equal(ao_solver_set_col_bounds(solver, 1, &a, &one, &one), AO_NO_ERROR);
    assert_true(fabs(optimum(solver) - (3.0 + 2.0 * 2.0)) < 1e-9);
    assert_int_equal(ao_solver_set_col_bounds(solver, 1, &a, &a_lo, &three), AO_NO_ERROR);
    assert_true(fabs(optimum(solver) - 11.0) < 1e-9);
    ao_solver_free(solver);
    ao_lp_free(lp);
}

static void test_write_lp(void **state)
{
    ao_lp *lp = small_lp();
    ao_solver *solver = NULL;
    assert_int_equal(ao_solver_new(lp, backend(state), &solver), AO_NO_ERROR);
    char path[] = "/tmp/ao_test_lp_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(ao_solver_write_lp(solver, path), AO_NO_ERROR);
    FILE *file = fopen(path, "r");
    assert_non_null(file);
    char text[4096] = {0};
    size_t n = fread(text, 1, sizeof text - 1, file);
    fclose(file);
    assert_true(n > 0);
    assert_non_null(strstr(text, "Maximize"));
    assert_non_null(strstr(text, "r1:"));
    assert_non_null(strstr(text, "+ 3 b"));
    remove(path);
    assert_int_equal(ao_solver_write_lp(solver, "/nonexistent-folder/x.lp"), AO_ERROR_FILE_WRITE);
    ao_solver_free(solver);
    ao_lp_free(lp);
}

static void test_names_are_made_safe(void **state)
{
    /* GLPK refuses control characters and names over 255 characters; the backend must
     * clean them rather than let GLPK abort. */
    char long_name[600];
    memset(long_name, 'n', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    ao_lp *lp = ao_lp_new(AO_MINIMISE);
    ao_lp_add_col(lp, long_name, 0.0, 1.0, 1.0);
    ao_lp_add_row(lp, "tab\there", 0.0, 1.0);
    ao_lp_add_nz(lp, 0, 0, 1.0);
    ao_solver *solver = NULL;
    assert_int_equal(ao_solver_new(lp, backend(state), &solver), AO_NO_ERROR);
    ao_solve_status status;
    assert_int_equal(ao_solver_solve(solver, &status), AO_NO_ERROR);
    assert_int_equal(status, AO_STATUS_OPTIMAL);
    ao_solver_free(solver);
    ao_lp_free(lp);
}

/*
 * max x + y  s.t.  x + y ≤ 1, 0 ≤ x, y ≤ 1: every point of the segment from (1,0) to
 * (0,1) is optimal. An interior point ends near its middle (0.5, 0.5); the method must
 * still give a vertex, with a basis to warm-start from.
 */
static void test_interior_gives_a_vertex(void **state)
{
    (void)state;
    ao_lp *lp = ao_lp_new(AO_MAXIMISE);
    assert_non_null(lp);
    int x = ao_lp_add_col(lp, "x", 0.0, 1.0, 1.0), y = ao_lp_add_col(lp, "y", 0.0, 1.0, 1.0);
    int r = ao_lp_add_row(lp, "r", -AO_INF, 1.0);
    assert_int_equal(ao_lp_add_nz(lp, r, x, 1.0), AO_NO_ERROR);
    assert_int_equal(ao_lp_add_nz(lp, r, y, 1.0), AO_NO_ERROR);
    ao_solver_options options;
    ao_solver_options_set_default(&options);
    options.kind = AO_SOLVER_GLPK_INTERIOR;
    ao_solver *solver = NULL;
    assert_int_equal(ao_solver_new(lp, &options, &solver), AO_NO_ERROR);
    assert_int_equal(ao_solver_kind_used(solver), AO_SOLVER_GLPK_INTERIOR);
    ao_solve_status status;
    assert_int_equal(ao_solver_solve(solver, &status), AO_NO_ERROR);
    assert_int_equal(status, AO_STATUS_OPTIMAL);
    assert_true(fabs(ao_solver_objective(solver) - 1.0) < 1e-9);
    double v[2];
    ao_solver_col_values(solver, v);
    assert_true((fabs(v[0] - 1.0) < 1e-9 && fabs(v[1]) < 1e-9) ||
                (fabs(v[0]) < 1e-9 && fabs(v[1] - 1.0) < 1e-9));
    ao_basis *basis = NULL;
    assert_int_equal(ao_solver_get_basis(solver, &basis), AO_NO_ERROR);
    assert_non_null(basis);
    ao_basis_free(basis);
    ao_solver_free(solver);
    ao_lp_free(lp);
}

/* An LP of `rows` rows, each bounding one column of its own. */
static ao_lp *chain_lp(int rows, int integer)
{
    ao_lp *lp = ao_lp_new(AO_MAXIMISE);
    assert_non_null(lp);
    for (int k = 0; k < rows; k++) {
        int c = ao_lp_add_col(lp, NULL, 0.0, AO_INF, 1.0), r = ao_lp_add_row(lp, NULL, -AO_INF, 1.0);
        assert_int_equal(ao_lp_add_nz(lp, r, c, 1.0), AO_NO_ERROR);
        if (integer && k == 0)
            assert_int_equal(ao_lp_set_integer(lp, c), AO_NO_ERROR);
    }
    return lp;
}

/* The automatic choice depends on the LP alone: GLPK's simplex for small LPs and
 * every MIP, another method for large LPs. */
static void test_auto_choice(void **state)
{
    (void)state;
    ao_lp *small = chain_lp(10, 0), *large = chain_lp(20000, 0), *mip = chain_lp(20000, 1);
    assert_int_equal(ao_solver_choose(small), AO_SOLVER_GLPK);
    assert_int_equal(ao_solver_choose(mip), AO_SOLVER_GLPK);
    ao_solver_kind big = ao_solver_choose(large);
    assert_true(big != AO_SOLVER_GLPK && big != AO_SOLVER_AUTO);
    assert_true(ao_solver_kind_available(big));
    assert_int_equal(ao_solver_choose(large), big);
    ao_solver_options options;
    ao_solver_options_set_default(&options);
    ao_solver *solver = NULL;
    assert_int_equal(ao_solver_new(large, &options, &solver), AO_NO_ERROR);
    assert_int_equal(ao_solver_kind_used(solver), big);
    ao_solve_status status;
    assert_int_equal(ao_solver_solve(solver, &status), AO_NO_ERROR);
    assert_int_equal(status, AO_STATUS_OPTIMAL);
    assert_true(fabs(ao_solver_objective(solver) - 20000.0) < 1e-6);
    ao_solver_free(solver);
    ao_lp_free(small);
    ao_lp_free(large);
    ao_lp_free(mip);
}

#define BACKEND_TESTS(kind)                                                                        \
    cmocka_unit_test_prestate(test_small_lp_optimum_and_duals, kind),                              \
        cmocka_unit_test_prestate(test_dual_matches_finite_difference, kind),                      \
        cmocka_unit_test_prestate(test_limit_ranges, kind),                                        \
        cmocka_unit_test_prestate(test_ranges_beside_a_second_pass, kind),                         \
        cmocka_unit_test_prestate(test_mip_knapsack, kind),                                        \
        cmocka_unit_test_prestate(test_warm_start_from_a_basis, kind),                             \
        cmocka_unit_test_prestate(test_warm_start_across_backends, kind),                          \
        cmocka_unit_test_prestate(test_warm_start_with_many_pivots, kind),                         \
        cmocka_unit_test_prestate(test_infeasible_and_violated_rows, kind),                        \
        cmocka_unit_test_prestate(test_unbounded, kind),                                           \
        cmocka_unit_test_prestate(test_bad_data_is_refused_not_aborted, kind),                     \
        cmocka_unit_test_prestate(test_second_pass_row_and_objective, kind),                       \
        cmocka_unit_test_prestate(test_columns_rows_and_limits_added_after_a_solve, kind),         \
        cmocka_unit_test_prestate(test_limits_held_and_given_back, kind),                          \
        cmocka_unit_test_prestate(test_write_lp, kind),                                            \
        cmocka_unit_test_prestate(test_names_are_made_safe, kind)

int main(void)
{
    static ao_solver_kind glpk = AO_SOLVER_GLPK, clp = AO_SOLVER_CLP,
                          interior = AO_SOLVER_GLPK_INTERIOR;
    const struct CMUnitTest glpk_tests[] = {
        BACKEND_TESTS(&glpk), cmocka_unit_test(test_backend_names),
        cmocka_unit_test(test_interior_gives_a_vertex), cmocka_unit_test(test_auto_choice)};
    const struct CMUnitTest interior_tests[] = {BACKEND_TESTS(&interior)};
    const struct CMUnitTest clp_tests[] = {BACKEND_TESTS(&clp)};
    int failed = cmocka_run_group_tests_name("glpk", glpk_tests, NULL, NULL);
    failed += cmocka_run_group_tests_name("glpk-interior", interior_tests, NULL, NULL);
    if (ao_solver_kind_available(AO_SOLVER_CLP))
        failed += cmocka_run_group_tests_name("clp", clp_tests, NULL, NULL);
    else
        printf("CLP backend not built: its tests are skipped\n");
    return failed;
}
