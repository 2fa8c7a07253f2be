/*
 * MODEL.md v3 rules 14 (arrangements per service, ICBs and year), 15 (ICB mergers) and
 * 18 (funding gap) on inputs small enough to solve by hand: every expected figure is
 * derived in the comment above its test.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "models/model.h"
#include "models/plan.h"
#include "models/verify.h"
#include "support_plan.h"

/* Two ICBs of one region and joint committee; S1 and S2 specialised, P priority, all at
 * £100 a unit. Benefit per £: S1 0.02, S2 0.01, P 0.005. Each ICB: need 100 of S1 and S2,
 * 1000 of P; baseline 50, 50, 100, so baseline spend £5,000 + £5,000 + £10,000 and
 * β = 0.5; revenue £20,000, so SR = £10,000. */
static const char *const icbs_csv = "id,population,region,joint_committee\n"
                                    "A,1000,North,JC\n"
                                    "B,1000,North,JC\n";
static const char *const services_csv = "id,category,unit_cost,benefit,min_coverage\n"
                                        "S1,specialised,100,2,\n"
                                        "S2,specialised,100,1,\n"
                                        "P,priority,100,0.5,\n";
static const char *const demand_csv = "icb,service,need,baseline\n"
                                      "A,S1,100,50\nA,S2,100,50\nA,P,1000,100\n"
                                      "B,S1,100,50\nB,S2,100,50\nB,P,1000,100\n";
static const char *const budgets_csv = "icb,year,revenue\n"
                                       "A,2025,20000\nA,2026,20000\n"
                                       "B,2025,20000\nB,2026,20000\n";
static const char *const settings_csv = "key,value\nfirst_year,2025\nyears,2\n";
static const char *const one_year_csv = "key,value\nfirst_year,2025\nyears,1\n";
static const char *const one_budget_csv = "icb,year,revenue\nA,2025,20000\nB,2025,20000\n";

/* Build, solve and check a model; extra holds more (table, CSV) pairs, NULL-ended. */
static ao_plan *solve(const char *settings, const char *budgets, const char *services,
                      const char *const *extra, ao_model **model_out)
{
    const char *pairs[32] = {"settings", settings, "icbs",     icbs_csv,  "services",
                             services,   "demand", demand_csv, "budgets", budgets};
    size_t n = 10;
    for (size_t k = 0; extra != NULL && extra[k] != NULL; k++)
        pairs[n++] = extra[k];
    pairs[n] = NULL;
    return support_solve(pairs, NULL, model_out);
}

static void release(ao_model *model, ao_plan *plan)
{
    support_release(model, plan);
}

static void assert_near(double actual, double expected)
{
    if (!(fabs(actual - expected) <= 1e-6 * fmax(1.0, fabs(expected))))
        fail_msg("got %.9g, expected %.9g", actual, expected);
}

/* The budget line of a pool, kind and year, or NULL. */
static const ao_budget_line *budget(const ao_plan *plan, const char *pool, ao_budget_kind kind,
                                    int t)
{
    for (size_t k = 0; k < plan->n_budgets; k++)
        if (strcmp(plan->budgets[k].pool, pool) == 0 && plan->budgets[k].kind == kind &&
            plan->budgets[k].t == t)
            return &plan->budgets[k];
    return NULL;
}

/*
 * Rule 14, S2 national from 2026/27, everything else delegated.
 * 2025/26, all delegated: each ICB spends its £20,000 on S1 (£10,000, 200) and S2
 * (£10,000, 100): 300 each, 600.
 * 2026/27: π^N = £5,000 / £10,000 = 0.5 in both ICBs. Each ICB's own row: P and S1 within
 * 20,000 − 0.5 × 10,000 = £15,000: S1 £10,000 (200) then P £5,000 (50 units, 25). The
 * national pool 0.5 × 10,000 × 2 = £10,000 buys 100 units of S2 (100). 2 × 225 + 100 = 550.
 * Total 1,150.
 */
static void test_national_from_second_year(void **state)
{
    (void)state;
    const char *const extra[] = {"arrangements",
                                 "services,icbs,from_year,arrangement\n"
                                 "service:S2,*,2026/27,national\n",
                                 NULL};
    ao_model *model;
    ao_plan *plan = solve(settings_csv, budgets_csv, services_csv, extra, &model);
    assert_int_equal(plan->status, AO_STATUS_OPTIMAL);
    assert_near(plan->objective, 1150.0);
    assert_int_equal(ao_model_arrangement(model, 0, 1, 0), AO_ARRANGEMENT_DELEGATED);
    assert_int_equal(ao_model_arrangement(model, 1, 1, 1), AO_ARRANGEMENT_NATIONAL);
    assert_near(model->national_weight[0 * 2 + 1], 0.5);
    const ao_budget_line *pool = budget(plan, "England", AO_BUDGET_SPECIALISED, 1);
    assert_non_null(pool);
    assert_near(pool->available, 10000.0);
    assert_null(budget(plan, "England", AO_BUDGET_SPECIALISED, 0));
    const ao_budget_line *own = budget(plan, "A", AO_BUDGET_REVENUE, 1);
    assert_non_null(own);
    assert_near(own->available, 15000.0);
    /* Resourcing by arrangement in 2026/27: S2 national in both ICBs (£10,000 of spend
     * against £10,000 at baseline, 100 of 200 units needed), S1 delegated (£20,000, all
     * 200 units). */
    assert_int_equal(plan->n_arrangement_mix, 2 * AO_ARRANGEMENT_COUNT);
    const ao_arrangement_indicator *national =
        &plan->arrangement_mix[1 * AO_ARRANGEMENT_COUNT + AO_ARRANGEMENT_NATIONAL];
    assert_int_equal(national->t, 1);
    assert_int_equal(national->n_services, 1);
    assert_int_equal(national->n_pairs, 2);
    assert_near(national->spend, 10000.0);
    assert_near(national->baseline_spend, 10000.0);
    assert_near(national->coverage, 0.5);
    const ao_arrangement_indicator *delegated =
        &plan->arrangement_mix[1 * AO_ARRANGEMENT_COUNT + AO_ARRANGEMENT_DELEGATED];
    assert_int_equal(delegated->n_pairs, 2);
    assert_near(delegated->spend, 20000.0);
    assert_near(delegated->coverage, 1.0);
    assert_int_equal(
        plan->arrangement_mix[0 * AO_ARRANGEMENT_COUNT + AO_ARRANGEMENT_NATIONAL].n_pairs, 0);
    release(model, plan);
}

/*
 * Rule 14, S2 joint in ICB A only, one year. A's own row: £15,000 (as above): 225. The
 * joint committee's pool holds A's share only, 0.5 × 10,000 = £5,000, and buys 50 units of
 * A's S2 (50). B, all delegated: 300. Total 575.
 */
static void test_joint_in_one_icb(void **state)
{
    (void)state;
    const char *const extra[] = {"arrangements",
                                 "services,icbs,from_year,arrangement\n"
                                 "service:S2,A,2025,joint\n",
                                 NULL};
    ao_model *model;
    ao_plan *plan = solve(one_year_csv, one_budget_csv, services_csv, extra, &model);
    assert_int_equal(plan->status, AO_STATUS_OPTIMAL);
    assert_near(plan->objective, 575.0);
    const ao_budget_line *pool = budget(plan, "JC", AO_BUDGET_SPECIALISED, 0);
    assert_non_null(pool);
    assert_near(pool->available, 5000.0);
    release(model, plan);
}

/*
 * The last matching row wins: `*` joint then S2 delegated again gives S1 joint, S2
 * delegated in both ICBs: π^J = 0.5. Own rows: P and S2 within £15,000: S2 £10,000 (100)
 * then P £5,000 (25). The committee's pool, 2 × £5,000, buys 100 of the 200 units of S1
 * the two ICBs need (200). Total 2 × 125 + 200 = 450.
 */
static void test_last_row_wins(void **state)
{
    (void)state;
    const char *const extra[] = {"arrangements",
                                 "services,icbs,from_year,arrangement\n"
                                 "*,*,2025,joint\n"
                                 "service:S2,region:north,2025,delegated\n",
                                 NULL};
    ao_model *model;
    ao_plan *plan = solve(one_year_csv, one_budget_csv, services_csv, extra, &model);
    assert_int_equal(plan->status, AO_STATUS_OPTIMAL);
    assert_near(plan->objective, 450.0);
    assert_int_equal(ao_model_arrangement(model, 0, 0, 0), AO_ARRANGEMENT_JOINT);
    assert_int_equal(ao_model_arrangement(model, 0, 1, 0), AO_ARRANGEMENT_DELEGATED);
    /* A priority service is never pooled. */
    assert_int_equal(ao_model_arrangement(model, 0, 2, 0), AO_ARRANGEMENT_DELEGATED);
    release(model, plan);
}

/* Revenue A £30,000 and B £5,000 both years; S1 and P only (S2 has no benefit). */
static const char *const uneven_csv = "icb,year,revenue\n"
                                      "A,2025,30000\nA,2026,30000\n"
                                      "B,2025,5000\nB,2026,5000\n";
static const char *const no_s2_csv = "id,category,unit_cost,benefit,min_coverage\n"
                                     "S1,specialised,100,2,\n"
                                     "S2,specialised,100,0,\n"
                                     "P,priority,100,0.5,\n";

/*
 * Rule 15, A and B merge from 2026/27. 2025/26 apart: A buys S1 (£10,000, 200) and P
 * (£20,000, 100); B only 50 units of S1 (100): 400. 2026/27 merged, one budget of
 * £35,000: S1 for both (£20,000, 400), P £15,000 (75): 475. Total 875 (800 without the
 * merger).
 */
static void test_merger_pools_budgets(void **state)
{
    (void)state;
    const char *const extra[] = {"icb_changes",
                                 "icb,becomes,from_year,name\n"
                                 "A,AB,2026/27,A and B\n"
                                 "B,AB,2026,\n",
                                 NULL};
    ao_model *model;
    ao_plan *plan = solve(settings_csv, uneven_csv, no_s2_csv, extra, &model);
    assert_int_equal(plan->status, AO_STATUS_OPTIMAL);
    assert_near(plan->objective, 875.0);
    assert_int_equal(model->n_footprints, 1);
    assert_string_equal(model->footprints[0].name, "A and B");
    assert_int_equal(ao_model_budget_unit(model, 1, 0), 1);
    assert_int_equal(ao_model_budget_unit(model, 1, 1), 2);
    const ao_budget_line *merged = budget(plan, "AB", AO_BUDGET_REVENUE, 1);
    assert_non_null(merged);
    assert_near(merged->available, 35000.0);
    assert_null(budget(plan, "A", AO_BUDGET_REVENUE, 1));
    assert_non_null(budget(plan, "A", AO_BUDGET_REVENUE, 0));
    release(model, plan);

    /* After the plan: no merger within it. */
    const char *const late[] = {"icb_changes", "icb,becomes,from_year\nA,AB,2031\nB,AB,2031\n",
                                NULL};
    plan = solve(settings_csv, uneven_csv, no_s2_csv, late, &model);
    assert_near(plan->objective, 800.0);
    release(model, plan);
}

/*
 * Rule 18. S1 must be fully covered (min_coverage 100 %): £10,000 per ICB and year.
 * 2025/26 apart: B has £5,000, so £5,000 is missing there. 2026/27 merged with £12,000 +
 * £5,000 = £17,000 against £20,000: £3,000 missing. Funding gap £8,000.
 */
static void test_funding_gap(void **state)
{
    (void)state;
    const char *const services = "id,category,unit_cost,benefit,min_coverage\n"
                                 "S1,specialised,100,2,100%\n"
                                 "S2,specialised,100,0,\n"
                                 "P,priority,100,0.5,\n";
    const char *const budgets = "icb,year,revenue\n"
                                "A,2025,30000\nA,2026,12000\n"
                                "B,2025,5000\nB,2026,5000\n";
    const char *const extra[] = {"icb_changes", "icb,becomes,from_year\nA,AB,2026\nB,AB,2026\n",
                                 NULL};
    ao_model *model;
    ao_plan *plan = solve(settings_csv, budgets, services, extra, &model);
    assert_int_equal(plan->status, AO_STATUS_INFEASIBLE);
    assert_true(plan->has_funding_gap);
    assert_near(plan->funding_gap, 8000.0);
    assert_near(plan->funding_gap_by[1 * 2 + 0], 5000.0); /* B 2025/26 */
    assert_near(plan->funding_gap_by[0 * 2 + 0], 0.0);    /* A 2025/26 */
    assert_near(plan->funding_gap_by[0 * 2 + 1] + plan->funding_gap_by[1 * 2 + 1], 3000.0);
    release(model, plan);
}

/*
 * Rule 18 where money cannot help: activity may not change from the baseline (max_change
 * 0) but S1's standard asks for the whole need of 100 against a baseline of 50.
 */
static void test_money_cannot_help(void **state)
{
    (void)state;
    const char *const services = "id,category,unit_cost,benefit,min_coverage,max_change\n"
                                 "S1,specialised,100,2,100%,0\n"
                                 "S2,specialised,100,1,,\n"
                                 "P,priority,100,0.5,,\n";
    ao_model *model;
    ao_plan *plan = solve(settings_csv, budgets_csv, services, NULL, &model);
    assert_int_equal(plan->status, AO_STATUS_INFEASIBLE);
    assert_true(plan->has_funding_gap);
    assert_true(isnan(plan->funding_gap));
    release(model, plan);
}

/* Build only; return the diagnostics. */
static void build_with(const char *table, const char *csv, ao_diags *diags)
{
    const char *pairs[] = {"settings",   settings_csv, "icbs",     icbs_csv,  "services",
                           services_csv, "demand",     demand_csv, "budgets", budgets_csv,
                           table,        csv,          NULL};
    ao_tableset *tables = support_tables(diags, pairs);
    assert_non_null(tables);
    ao_model *model = NULL;
    assert_int_equal(ao_model_build(tables, &model, diags), AO_ERROR_INPUT);
    assert_null(model);
    ao_tableset_free(tables);
}

static void test_arrangement_errors(void **state)
{
    (void)state;
    ao_diags diags;
    ao_diags_init(&diags);
    build_with("arrangements",
               "services,icbs,from_year,arrangement\n"
               "service:S9,*,2025,joint\n"
               "*,region:South,2025,joint\n"
               "*,A Z,2025,joint\n"
               "*,*,2025,nationally\n"
               "*,*,20x5,joint\n",
               &diags);
    assert_non_null(support_find_diag(&diags, "service 'S9' is not in the services table",
                                      "arrangements", "services", 2));
    assert_non_null(
        support_find_diag(&diags, "no ICB has region 'South'", "arrangements", "icbs", 3));
    assert_non_null(
        support_find_diag(&diags, "ICB 'Z' is not in the icbs table", "arrangements", "icbs", 4));
    assert_non_null(support_find_diag(&diags, "must be delegated, joint or national",
                                      "arrangements", "arrangement", 5));
    assert_non_null(support_find_diag(&diags, "is not a year", "arrangements", "from_year", 6));
    ao_diags_free(&diags);
}

static void test_merger_errors(void **state)
{
    (void)state;
    const char *const icbs = "id,population,region,joint_committee\n"
                             "A,1000,North,JC\n"
                             "B,1000,South,JC\n";
    const char *pairs[] = {
        "settings", settings_csv, "icbs",        icbs,
        "services", services_csv, "demand",      demand_csv,
        "budgets",  budgets_csv,  "icb_changes", "icb,becomes,from_year\nA,AB,2026\nB,AB,2026\n",
        NULL};
    ao_diags diags;
    ao_diags_init(&diags);
    ao_tableset *tables = support_tables(&diags, pairs);
    ao_model *model = NULL;
    assert_int_equal(ao_model_build(tables, &model, &diags), AO_ERROR_INPUT);
    const ao_diag *d = support_find_diag(&diags, "different regions", "icb_changes", "becomes", 3);
    assert_non_null(d);
    assert_non_null(strstr(d->message, "'A' (row 2)"));
    ao_diags_free(&diags);
    ao_tableset_free(tables);

    ao_diags_init(&diags);
    build_with("icb_changes", "icb,becomes,from_year\nA,B,2026\n", &diags);
    assert_non_null(
        support_find_diag(&diags, "is the code of an ICB", "icb_changes", "becomes", 2));
    ao_diags_free(&diags);

    ao_diags_init(&diags);
    build_with("icb_changes", "icb,becomes,from_year\nA,AB,2026\nB,AB,2027\n", &diags);
    assert_non_null(
        support_find_diag(&diags, "from different years", "icb_changes", "from_year", 3));
    ao_diags_free(&diags);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_national_from_second_year),
        cmocka_unit_test(test_joint_in_one_icb),
        cmocka_unit_test(test_last_row_wins),
        cmocka_unit_test(test_merger_pools_budgets),
        cmocka_unit_test(test_funding_gap),
        cmocka_unit_test(test_money_cannot_help),
        cmocka_unit_test(test_arrangement_errors),
        cmocka_unit_test(test_merger_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
