/* Sweeps: each point's optimum derived by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>

#include "models/sweep.h"
#include "support.h"

static void assert_close(double actual, double expected)
{
    if (fabs(actual - expected) > 1e-9 * fmax(1.0, fabs(expected)))
        fail_msg("expected %.10g, got %.10g", expected, actual);
}

/* Knapsack of test_plan.c: A (0.5 per £, £500 in all) then B (0.2 per £, £2,000). With
 * R = £1,000 × 0.6, 1.2, 1.8, 2.4: 250 × R/500 capped, then 0.2 per £ beyond £500. */
static void test_budget_sweep(void **state)
{
    (void)state;
    const char *const pairs[] = {
        "settings", "key,value\nfirst_year,2025\nyears,1\n",
        "icbs", "id,population\nI1,1\n",
        "budgets", "icb,year,revenue\nI1,2025,\"£1,000\"\n",
        "services", "id,category,unit_cost,benefit\nA,specialised,10,5\nB,priority,20,4\n",
        "demand", "icb,service,need,baseline\nI1,A,50,0\nI1,B,100,0\n",
        NULL};
    ao_diags diags;
    ao_diags_init(&diags);
    ao_tableset *tables = support_tables(&diags, pairs);
    ao_sweep *sweep = NULL;
    assert_int_equal(ao_sweep_run(tables, "budgets.revenue", 0.6, 2.4, 4, NULL, 2, &sweep,
                                  &diags),
                     AO_NO_ERROR);
    const double expected[4] = {270, 390, 510, 630};
    assert_int_equal(sweep->n_points, 4);
    for (int k = 0; k < 4; k++) {
        assert_int_equal(sweep->points[k].status, AO_STATUS_OPTIMAL);
        assert_close(sweep->points[k].objective, expected[k]);
        assert_close(sweep->points[k].varied_total, 1000.0 * (0.6 + 0.6 * k));
    }
    /* Specialised share: £500 of A against all spend. */
    assert_close(sweep->points[1].specialised_share, 500.0 / 1200.0);
    ao_sweep_free(sweep);

    /* Bad requests are input errors, not crashes. */
    assert_int_equal(ao_sweep_run(tables, "budgets", 0.8, 1.2, 3, NULL, 1, &sweep, &diags),
                     AO_ERROR_INPUT);
    assert_int_equal(ao_sweep_run(tables, "budgets.colour", 0.8, 1.2, 3, NULL, 1, &sweep,
                                  &diags),
                     AO_ERROR_INPUT);
    assert_int_equal(ao_sweep_run(tables, "budgets.revenue", 1.2, 0.8, 3, NULL, 1, &sweep,
                                  &diags),
                     AO_ERROR_OPTIONS);
    assert_null(sweep);
    ao_tableset_free(tables);
    ao_diags_free(&diags);
}

/* The funding gap of each infeasible point (MODEL.md rule 18). A standard of 100 % on A
 * costs £500: with R = £1,000 × 0.2, 0.4, 0.6, £300, £100 and nothing are missing. */
static void test_sweep_funding_gap(void **state)
{
    (void)state;
    const char *const pairs[] = {
        "settings", "key,value\nfirst_year,2025\nyears,1\n",
        "icbs", "id,population\nI1,1\n",
        "budgets", "icb,year,revenue\nI1,2025,\"£1,000\"\n",
        "services", "id,category,unit_cost,benefit,min_coverage\nA,specialised,10,5,100%\n"
                    "B,priority,20,4,\n",
        "demand", "icb,service,need,baseline\nI1,A,50,0\nI1,B,100,0\n",
        NULL};
    ao_diags diags;
    ao_diags_init(&diags);
    ao_tableset *tables = support_tables(&diags, pairs);
    ao_sweep *sweep = NULL;
    assert_int_equal(ao_sweep_run(tables, "budgets.revenue", 0.2, 0.6, 3, NULL, 1, &sweep,
                                  &diags),
                     AO_NO_ERROR);
    assert_int_equal(sweep->n_points, 3);
    const double missing[2] = {300.0, 100.0};
    for (int k = 0; k < 2; k++) {
        assert_int_equal(sweep->points[k].status, AO_STATUS_INFEASIBLE);
        assert_true(sweep->points[k].has_funding_gap);
        assert_close(sweep->points[k].funding_gap, missing[k]);
    }
    assert_int_equal(sweep->points[2].status, AO_STATUS_OPTIMAL);
    assert_false(sweep->points[2].has_funding_gap);
    ao_sweep_free(sweep);
    ao_tableset_free(tables);
    ao_diags_free(&diags);
}

/* Equity band of test_plan.c (I1 can afford 200 units, I2 20, need 100 each). A2 = 20
 * and the band for I2 reads 200·A2 ≥ (1−δ)·100·(A1 + A2): δ = 0 gives A1 ≤ A2 (40);
 * δ = 0.5 gives A1 ≤ 3·A2 (80); δ = 1 sets no limit (100 + 20 = 120). */
static void test_setting_sweep(void **state)
{
    (void)state;
    const char *const pairs[] = {
        "settings", "key,value\nfirst_year,2025\nyears,1\n",
        "icbs", "id,population,region\nI1,1,R\nI2,1,R\n",
        "budgets", "icb,year,revenue\nI1,2025,200\nI2,2025,20\n",
        "services", "id,category,unit_cost,benefit\nS,specialised,1,1\n",
        "demand", "icb,service,need,baseline\nI1,S,100,0\nI2,S,100,0\n",
        NULL};
    ao_diags diags;
    ao_diags_init(&diags);
    ao_tableset *tables = support_tables(&diags, pairs);
    ao_sweep *sweep = NULL;
    assert_int_equal(ao_sweep_run(tables, "settings.equity_band", 0.0, 1.0, 3, NULL, 1, &sweep,
                                  &diags),
                     AO_NO_ERROR);
    assert_close(sweep->points[0].objective, 40.0);
    assert_close(sweep->points[1].objective, 80.0);
    assert_close(sweep->points[2].objective, 120.0);
    assert_true(sweep->is_setting);
    ao_sweep_free(sweep);
    ao_tableset_free(tables);
    ao_diags_free(&diags);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_budget_sweep),
        cmocka_unit_test(test_sweep_funding_gap),
        cmocka_unit_test(test_setting_sweep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
