/*
 * Today's plan (MODEL.md rule 16) and continuity (rule 17), on small models whose
 * figures are derived by hand in the comments, and the flows table's checks. The
 * expected figures do not come from allocopt.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>

#include "models/current.h"
#include "models/model.h"
#include "models/plan.h"
#include "models/verify.h"
#include "support_plan.h"

/* The backend every test of the current group solves with (main runs the whole group
 * once per backend: the expected answers do not depend on it). */
static ao_solver_kind test_backend = AO_SOLVER_GLPK;

static ao_model *build(const char *const *pairs, ao_diags *diags)
{
    ao_tableset *tables = support_tables(diags, pairs);
    assert_non_null(tables);
    ao_model *model = NULL;
    ao_error err = ao_model_build(tables, &model, diags);
    if (err != AO_NO_ERROR)
        ao_tableset_free(tables);
    return model;
}

/* Solve tables given as (name, csv) pairs under the group's backend; the input must be
 * clean and an optimal plan pass the independent check. */
static ao_plan *solve(const char *const *pairs, ao_model **model_out)
{
    ao_plan_options options;
    ao_plan_options_set_default(&options);
    options.solver.kind = test_backend;
    return support_solve(pairs, &options, model_out);
}

static void release(ao_model *model, ao_plan *plan)
{
    support_release(model, plan);
}

static void assert_close(double actual, double expected, double tolerance)
{
    if (fabs(actual - expected) > tolerance * fmax(1.0, fabs(expected)))
        fail_msg("expected %.10g, got %.10g", expected, actual);
}

/* The plan's activity of ICB i for service s at provider p in year t (ids by name). */
static double planned(const ao_model *m, const ao_alloc_line *lines, size_t n, const char *icb,
                      const char *service, const char *provider, int t)
{
    int i = ao_model_find_icb(m, icb), s = ao_model_find_service(m, service);
    int p = provider ? ao_model_find_provider(m, provider) : -1;
    double total = 0.0;
    for (size_t a = 0; a < n; a++)
        if (lines[a].i == i && lines[a].s == s && lines[a].p == p && lines[a].t == t)
            total += lines[a].activity;
    return total;
}

static const ao_provider_move *find_move(const ao_model *m, const ao_plan *plan,
                                         const char *provider, const char *service, int t)
{
    int p = ao_model_find_provider(m, provider), s = ao_model_find_service(m, service);
    for (size_t k = 0; k < plan->n_moves; k++)
        if (plan->moves[k].p == p && plan->moves[k].s == s && plan->moves[k].t == t)
            return &plan->moves[k];
    return NULL;
}

static const ao_broken_limit *find_broken(const ao_plan *plan, const char *limit, int t)
{
    for (size_t k = 0; k < plan->current.n_broken; k++)
        if (strcmp(plan->current.broken[k].limit, limit) == 0 && plan->current.broken[k].t == t)
            return &plan->current.broken[k];
    return NULL;
}

#define SETTINGS_2Y "settings", "key,value\nfirst_year,2025\nyears,2\n"
#define ONE_ICB "icbs", "id,population\nI1,100000\n"

/* I1 needs 80 patient-years of renal dialysis a year for two years (£100 each, benefit 1,
 * plenty of budget) and buys all 80 at P1, its local trust, today; P2 is the far trust.
 * The capacity table (with any prices) is the argument. */
#define RENAL_80_AT_P1(capacity)                                                                   \
    SETTINGS_2Y, ONE_ICB, "budgets", "icb,year,revenue\nI1,2025,100000\nI1,2026,100000\n",         \
        "services",                                                                                \
        "id,name,category,unit,unit_cost,benefit\n"                                                \
        "S,Renal dialysis,specialised,patient-year,100,1\n",                                       \
        "demand", "icb,service,need,baseline\nI1,S,80,80\n", "providers",                          \
        "id,name,icb\nP1,Local Trust,I1\nP2,Far Trust,I1\n", "capacity", capacity, "flows",        \
        "icb,service,provider,activity\nI1,S,P1,80\n", NULL

/*
 * Today's plan is optimal. I1 needs 10 courses of S a year (£100 each, benefit 1) and
 * has £1,000 a year: it buys all 10, at P1 (capacity 6) and P2 (capacity 10), which
 * cost the same. Today it buys 6 at P1 and 4 at P2. Any split of 10 is optimal (benefit
 * 20, spend £2,000); continuity keeps today's: nothing moves. Today's plan: objective 20,
 * spend £2,000, benefit 20, no limit broken.
 */
static void test_today_optimal_nothing_moves(void **state)
{
    (void)state;
    const char *const pairs[] = {
        SETTINGS_2Y,
        ONE_ICB,
        "budgets",
        "icb,year,revenue\nI1,2025,1000\nI1,2026,1000\n",
        "services",
        "id,name,category,unit,unit_cost,benefit\nS,Stroke care,specialised,course,100,1\n",
        "demand",
        "icb,service,need,baseline\nI1,S,10,10\n",
        "providers",
        "id,name,icb\nP1,Local Trust,I1\nP2,Other Trust,I1\n",
        "capacity",
        "provider,service,capacity\nP1,S,6\nP2,S,10\n",
        "flows",
        "icb,service,provider,activity\nI1,S,P1,6\nI1,S,P2,4\n",
        NULL};
    ao_model *m;
    ao_plan *plan = solve(pairs, &m);
    assert_int_equal(plan->status, AO_STATUS_OPTIMAL);
    assert_close(plan->objective, 20.0, 1e-9);
    assert_true(plan->current.evaluated);
    assert_close(plan->current.objective, 20.0, 1e-12);
    assert_close(plan->current.total_benefit, 20.0, 1e-12);
    assert_close(plan->current.total_revenue_spend, 2000.0, 1e-12);
    assert_int_equal(plan->current.n_broken, 0);
    assert_int_equal(plan->current.n_alloc, 4); /* two providers, two years */
    assert_true(plan->has_continuity);
    assert_true(fabs(plan->moved_activity) < 1e-6);
    for (int t = 0; t < 2; t++) {
        assert_close(planned(m, plan->alloc, plan->n_alloc, "I1", "S", "P1", t), 6.0, 1e-7);
        assert_close(planned(m, plan->alloc, plan->n_alloc, "I1", "S", "P2", t), 4.0, 1e-7);
        const ao_provider_move *p1 = find_move(m, plan, "P1", "S", t);
        const ao_provider_move *p2 = find_move(m, plan, "P2", "S", t);
        assert_non_null(p1);
        assert_non_null(p2);
        assert_close(p1->today, 6.0, 1e-12);
        assert_close(p1->planned, 6.0, 1e-7);
        assert_close(p2->today, 4.0, 1e-12);
        assert_true(p1->gained < 1e-6 && p1->lost < 1e-6 && p2->gained < 1e-6 && p2->lost < 1e-6);
    }
    release(m, plan);
}

/*
 * Today's plan breaks a national standard and a revenue budget. Renal dialysis (£1,000
 * a patient-year, benefit 1, standard 90 %, need 100 growing 10 % a year) is bought
 * locally; today I1 buys 85. Q (priority, £10, benefit 0.1, need 1,000) is bought at
 * its baseline of 1,000. Carried forward: dialysis 85 then 85 × 1.1 = 93.5.
 * - 2025/26: standard 90 % of 100 = 90, today 85: 5 short (85 % coverage).
 * - 2026/27: 90 % of 110 = 99, today 93.5: 5.5 short (coverage 93.5/110 = 85 %).
 * - 2026/27 revenue: 93,500 + 10,000 = £103,500 against £100,000: £3,500 over.
 * Today's objective: 85 + 93.5 + 0.1 × 2,000 = 378.5; spend £198,500.
 * The plan: Q first (0.01 a £ against 0.001), dialysis at least at its standard:
 * 2025/26 Q 1,000 (100) and 90 dialysis (90); 2026/27 dialysis 99 (£99,000) and Q 100
 * (10). Objective 299. No flows table: no continuity.
 */
static void test_today_breaks_a_national_standard(void **state)
{
    (void)state;
    const char *const pairs[] = {SETTINGS_2Y,
                                 ONE_ICB,
                                 "budgets",
                                 "icb,year,revenue\nI1,2025,100000\nI1,2026,100000\n",
                                 "services",
                                 "id,name,category,unit,unit_cost,benefit,min_coverage,growth\n"
                                 "S,Renal dialysis,specialised,patient-year,1000,1,90%,10%\n"
                                 "Q,Prevention,priority,contact,10,0.1,,\n",
                                 "demand",
                                 "icb,service,need,baseline\nI1,S,100,85\nI1,Q,1000,1000\n",
                                 NULL};
    ao_model *m;
    ao_plan *plan = solve(pairs, &m);
    assert_int_equal(plan->status, AO_STATUS_OPTIMAL);
    assert_close(plan->objective, 299.0, 1e-9);
    const ao_current_plan *today = &plan->current;
    assert_close(today->objective, 378.5, 1e-12);
    assert_close(today->total_benefit, 378.5, 1e-12);
    assert_close(today->total_revenue_spend, 198500.0, 1e-12);
    assert_close(planned(m, today->alloc, today->n_alloc, "I1", "S", NULL, 1), 93.5, 1e-12);
    assert_int_equal(today->n_broken, 3);

    const ao_broken_limit *first = find_broken(plan, "national standard (rule 2)", 0);
    assert_non_null(first);
    assert_close(first->value, 85.0, 1e-12);
    assert_close(first->bound, 90.0, 1e-12);
    assert_close(first->amount, 5.0, 1e-9);
    assert_int_equal(first->i, 0);
    assert_int_equal(first->s, 0);
    assert_false(first->money);
    assert_string_equal(first->description, "Renal dialysis in I1 2025/26: 85 % coverage, "
                                            "below the 90 % national standard (5 "
                                            "patient-years short)");
    const ao_broken_limit *second = find_broken(plan, "national standard (rule 2)", 1);
    assert_non_null(second);
    assert_close(second->amount, 5.5, 1e-9);
    assert_string_equal(second->description, "Renal dialysis in I1 2026/27: 85 % coverage, "
                                             "below the 90 % national standard (5.5 "
                                             "patient-years short)");
    const ao_broken_limit *revenue = find_broken(plan, "revenue (rule 6)", 1);
    assert_non_null(revenue);
    assert_close(revenue->value, 103500.0, 1e-12);
    assert_close(revenue->bound, 100000.0, 1e-12);
    assert_close(revenue->amount, 3500.0, 1e-9);
    assert_true(revenue->money);
    assert_string_equal(revenue->description, "ICB I1 2026/27: spend £103,500 against a "
                                              "£100,000 revenue budget (£3,500 over)");
    /* Largest relative amount first: 5/100 = 5.5/110 = 0.05 before 3,500/100,000. */
    assert_ptr_equal(revenue, &today->broken[2]);
    assert_false(plan->has_continuity);
    release(m, plan);
}

/* A spending rule today's plan breaks is named in its sentence: a floor of £90,000 on renal
 * dialysis in 2025/26 against today's 85 patient-years at £1,000: £5,000 short. */
static void test_today_breaks_a_named_rule(void **state)
{
    (void)state;
    const char *const pairs[] = {SETTINGS_2Y,
                                 ONE_ICB,
                                 "budgets",
                                 "icb,year,revenue\nI1,2025,100000\nI1,2026,100000\n",
                                 "services",
                                 "id,name,category,unit,unit_cost,benefit,min_coverage,growth\n"
                                 "S,Renal dialysis,specialised,patient-year,1000,1,90%,10%\n"
                                 "Q,Prevention,priority,contact,10,0.1,,\n",
                                 "demand",
                                 "icb,service,need,baseline\nI1,S,100,85\nI1,Q,1000,1000\n",
                                 "rules",
                                 "name,scope,applies_to,year,kind,value\n"
                                 "renal_floor,*,service:S,2025,min_spend,90000\n",
                                 NULL};
    ao_model *m;
    ao_plan *plan = solve(pairs, &m);
    assert_int_equal(plan->status, AO_STATUS_OPTIMAL);
    const ao_broken_limit *rule = find_broken(plan, "spending rule (rule 10)", 0);
    assert_non_null(rule);
    assert_close(rule->amount, 5000.0, 1e-9);
    assert_true(rule->money);
    assert_string_equal(rule->description, "rule renal_floor, ICB I1 2025/26: spend £85,000, below "
                                           "the rule's minimum of £90,000 (£5,000 short)");
    release(m, plan);
}

/*
 * Continuity keeps each ICB with its local trust. I1 and I2 each need 50 operations
 * (£100 each, plenty of budget); P1 (hosted by I1) and P2 (by I2) have 100 each at the
 * same price, and either ICB may use either. Today I1 buys its 50 at P1 and I2 at P2.
 * Every split is optimal at the same spend; continuity moves nothing.
 */
static void test_continuity_keeps_the_local_trust(void **state)
{
    (void)state;
    const char *const pairs[] = {
        "settings",
        "key,value\nfirst_year,2025\nyears,1\n",
        "icbs",
        "id,population,region\nI1,100000,North\nI2,100000,North\n",
        "budgets",
        "icb,year,revenue\nI1,2025,10000\nI2,2025,10000\n",
        "services",
        "id,name,category,unit,unit_cost,benefit\nS,Cardiac surgery,specialised,operation,100,1\n",
        "demand",
        "icb,service,need,baseline\nI1,S,50,50\nI2,S,50,50\n",
        "providers",
        "id,name,icb\nP1,North Trust,I1\nP2,South Trust,I2\n",
        "capacity",
        "provider,service,capacity\nP1,S,100\nP2,S,100\n",
        "flows",
        "icb,service,provider,activity\nI1,S,P1,50\nI2,S,P2,50\n",
        NULL};
    ao_model *m;
    ao_plan *plan = solve(pairs, &m);
    assert_int_equal(plan->status, AO_STATUS_OPTIMAL);
    assert_close(plan->objective, 100.0, 1e-9);
    assert_true(plan->has_continuity);
    assert_true(fabs(plan->moved_activity) < 1e-6);
    assert_close(planned(m, plan->alloc, plan->n_alloc, "I1", "S", "P1", 0), 50.0, 1e-7);
    assert_close(planned(m, plan->alloc, plan->n_alloc, "I2", "S", "P2", 0), 50.0, 1e-7);
    assert_true(planned(m, plan->alloc, plan->n_alloc, "I1", "S", "P2", 0) < 1e-7);
    assert_true(planned(m, plan->alloc, plan->n_alloc, "I2", "S", "P1", 0) < 1e-7);
    release(m, plan);
}

/*
 * A move forced by capacity. I1 needs 80 patient-years a year for two years (£100 each,
 * benefit 1, plenty of budget) and buys all 80 at P1 today, but P1 has capacity 50; P2
 * has 100 at the same price. The plan buys 80; of the splits, x1 = 50 moves least:
 * |50 − 80| + |30 − 0| = 60 a year, M = 120 (the objective held within 1e-7 lets the
 * plan give up 1.6e-5 units, within the 1e-4 the contract compares M at). Today's plan
 * breaks P1's capacity by 30 each year.
 */
static void test_continuity_move_forced_by_capacity(void **state)
{
    (void)state;
    const char *const pairs[] = {RENAL_80_AT_P1("provider,service,capacity\nP1,S,50\nP2,S,100\n")};
    ao_model *m;
    ao_plan *plan = solve(pairs, &m);
    assert_int_equal(plan->status, AO_STATUS_OPTIMAL);
    assert_close(plan->objective, 160.0, 1e-9);
    assert_true(plan->has_continuity);
    assert_close(plan->moved_activity, 120.0, 1e-4);
    for (int t = 0; t < 2; t++) {
        assert_close(planned(m, plan->alloc, plan->n_alloc, "I1", "S", "P1", t), 50.0, 1e-6);
        assert_close(planned(m, plan->alloc, plan->n_alloc, "I1", "S", "P2", t), 30.0, 1e-6);
        const ao_provider_move *p1 = find_move(m, plan, "P1", "S", t);
        const ao_provider_move *p2 = find_move(m, plan, "P2", "S", t);
        assert_non_null(p1);
        assert_non_null(p2);
        assert_close(p1->today, 80.0, 1e-12);
        assert_close(p1->lost, 30.0, 1e-6);
        assert_true(p1->gained < 1e-6);
        assert_close(p2->today, 0.0, 1e-12);
        assert_close(p2->gained, 30.0, 1e-6);
        assert_true(p2->lost < 1e-6);
        const ao_broken_limit *capacity = find_broken(plan, "provider capacity (rule 3)", t);
        assert_non_null(capacity);
        assert_close(capacity->amount, 30.0, 1e-12);
    }
    assert_string_equal(find_broken(plan, "provider capacity (rule 3)", 0)->description,
                        "Renal dialysis at Local Trust 2025/26: 80 patient-years bought "
                        "against a capacity of 50 patient-years (30 patient-years over)");
    release(m, plan);
}

/*
 * A move forced by price: the second pass's least spend is held. As above, but P1 has
 * capacity 100 and P2 charges £90 against P1's £100. The least-spend plan buys all 80
 * at P2 (£7,200 a year); keeping any at P1 would spend more than the 1e-7 allowed
 * (a unit kept at P1 costs £10, and 1e-7 of £14,400 is £0.00144). So all moves:
 * 80 + 80 a year, M = 320 over two years.
 */
static void test_continuity_move_forced_by_price(void **state)
{
    (void)state;
    const char *const pairs[] = {
        RENAL_80_AT_P1("provider,service,capacity,unit_cost\nP1,S,100,\nP2,S,100,90\n")};
    ao_model *m;
    ao_plan *plan = solve(pairs, &m);
    assert_int_equal(plan->status, AO_STATUS_OPTIMAL);
    assert_close(plan->objective, 160.0, 1e-9);
    assert_close(plan->total_revenue_spend, 14400.0, 1e-6);
    assert_close(plan->moved_activity, 320.0, 1e-4);
    /* Today's plan spends £8,000 a year at P1's price. */
    assert_close(plan->current.total_revenue_spend, 16000.0, 1e-12);
    release(m, plan);
}

/*
 * The slack rule 17 allows keeps today's trust. As above, but P2 charges £99.999995
 * against P1's £100. The least-spend plan buys all 160 at P2 (£15,999.9992); keeping all
 * of them at P1 costs 160 × £0.000005 = £0.0008 more, within the 1e-7 of spend rule 17
 * allows (£0.0016), so nothing moves: M = 0. (Under CLP the pass is first solved on the
 * second pass's optimal face, where P1 has a reduced cost and would stay at 0, M = 320:
 * only the solve of the whole pass after it finds M = 0.)
 */
static void test_continuity_slack_keeps_today(void **state)
{
    (void)state;
    const char *const pairs[] = {RENAL_80_AT_P1("provider,service,capacity,unit_cost\nP1,S,100,\n"
                                                "P2,S,100,99.999995\n")};
    ao_model *m;
    ao_plan *plan = solve(pairs, &m);
    assert_int_equal(plan->status, AO_STATUS_OPTIMAL);
    assert_close(plan->objective, 160.0, 1e-9);
    assert_true(plan->has_continuity);
    if (!(fabs(plan->moved_activity) < 1e-4))
        fail_msg("moved activity %.10g, expected 0", plan->moved_activity);
    for (int t = 0; t < 2; t++)
        assert_close(planned(m, plan->alloc, plan->n_alloc, "I1", "S", "P1", t), 80.0, 1e-6);
    assert_close(plan->total_revenue_spend, 16000.0, 1e-7);
    release(m, plan);
}

/*
 * A pair with no flows rows: its baseline is split over the providers it may use by
 * capacity. I1 may use P1 (capacity 100) and P2 (200), not P3: its 90 courses of S are
 * 30 at P1 and 60 at P2, growing with need (10 %): 33 and 66 in the second year. I2 has
 * flows rows (40 at P3). Z's providers have no capacity: I1's 10 of Z split equally.
 */
static void test_split_by_capacity_without_flows_rows(void **state)
{
    (void)state;
    const char *const pairs[] = {
        SETTINGS_2Y,
        "icbs",
        "id,population\nI1,100000\nI2,100000\n",
        "budgets",
        "icb,year,revenue\nI1,2025,100000\nI1,2026,100000\nI2,2025,100000\n"
        "I2,2026,100000\n",
        "services",
        "id,category,unit_cost,benefit,growth\nS,specialised,100,1,10%\n"
        "Z,specialised,100,1,\n",
        "demand",
        "icb,service,need,baseline\nI1,S,100,90\nI2,S,40,40\nI1,Z,10,10\n",
        "providers",
        "id,icb\nP1,I1\nP2,I1\nP3,I2\n",
        "capacity",
        "provider,service,capacity\nP1,S,100\nP2,S,200\nP3,S,300\nP1,Z,0\nP2,Z,0\n",
        "access",
        "icb,provider\nI1,P1\nI1,P2\nI2,P3\n",
        "flows",
        "icb,service,provider,activity\nI2,S,P3,40\n",
        NULL};
    ao_model *m;
    ao_plan *plan = solve(pairs, &m);
    assert_int_equal(plan->status, AO_STATUS_OPTIMAL);
    const ao_current_plan *today = &plan->current;
    assert_close(planned(m, today->alloc, today->n_alloc, "I1", "S", "P1", 0), 30.0, 1e-12);
    assert_close(planned(m, today->alloc, today->n_alloc, "I1", "S", "P2", 0), 60.0, 1e-12);
    assert_close(planned(m, today->alloc, today->n_alloc, "I1", "S", "P3", 0), 0.0, 1e-12);
    assert_close(planned(m, today->alloc, today->n_alloc, "I1", "S", "P1", 1), 33.0, 1e-12);
    assert_close(planned(m, today->alloc, today->n_alloc, "I1", "S", "P2", 1), 66.0, 1e-12);
    assert_close(planned(m, today->alloc, today->n_alloc, "I2", "S", "P3", 1), 44.0, 1e-12);
    assert_close(planned(m, today->alloc, today->n_alloc, "I1", "Z", "P1", 0), 5.0, 1e-12);
    assert_close(planned(m, today->alloc, today->n_alloc, "I1", "Z", "P2", 0), 5.0, 1e-12);
    /* 2 pairs × 2 providers + 1 pair × 1 provider, each year. */
    assert_int_equal(today->n_alloc, 10);
    assert_true(plan->has_continuity);
    release(m, plan);
}

/* Continuity with whole-valued decisions (rule 13), held from the first pass. I1 needs 80;
 * P1 has 50 and could add steps of 40 (£1 a unit of capacity, £40 a step) but I1's
 * capital is £10 a year: no step. P2 has 100. Today all 80 are at P1. Each year 50 at P1
 * and 30 at P2: 60 moved a year, M = 120. */
static void test_continuity_with_whole_steps(void **state)
{
    (void)state;
    const char *const pairs[] = {
        SETTINGS_2Y, ONE_ICB,
        "budgets",   "icb,year,revenue,capital\nI1,2025,100000,10\nI1,2026,100000,10\n",
        "services",  "id,category,unit_cost,benefit,capital_cost\nS,specialised,100,1,1\n",
        "demand",    "icb,service,need,baseline\nI1,S,80,80\n",
        "providers", "id,icb\nP1,I1\nP2,I1\n",
        "capacity",  "provider,service,capacity,expansion_step\nP1,S,50,40\nP2,S,100,\n",
        "flows",     "icb,service,provider,activity\nI1,S,P1,80\n",
        NULL};
    ao_model *m;
    ao_plan *plan = solve(pairs, &m);
    assert_int_equal(plan->status, AO_STATUS_OPTIMAL);
    assert_true(plan->is_mip);
    assert_close(plan->objective, 160.0, 1e-6);
    assert_close(plan->total_capital_spend, 0.0, 1e-9);
    assert_close(plan->moved_activity, 120.0, 1e-4);
    release(m, plan);
}

/*
 * No plan: the standard (all of a need of 100 at £100) needs £10,000 and the budget is
 * £9,000. Today's plan (90, with flows) is still evaluated: £9,000 spent, 10 short of
 * the standard; there is no third pass and no move.
 */
static void test_today_evaluated_without_a_plan(void **state)
{
    (void)state;
    const char *const pairs[] = {
        "settings",
        "key,value\nfirst_year,2025\nyears,1\n",
        ONE_ICB,
        "budgets",
        "icb,year,revenue\nI1,2025,9000\n",
        "services",
        "id,category,unit_cost,benefit,min_coverage\nS,specialised,100,1,100%\n",
        "demand",
        "icb,service,need,baseline\nI1,S,100,90\n",
        "providers",
        "id,icb\nP1,I1\n",
        "capacity",
        "provider,service,capacity\nP1,S,100\n",
        "flows",
        "icb,service,provider,activity\nI1,S,P1,90\n",
        NULL};
    ao_model *m;
    ao_plan *plan = solve(pairs, &m);
    assert_int_equal(plan->status, AO_STATUS_INFEASIBLE);
    assert_true(plan->current.evaluated);
    assert_close(plan->current.total_revenue_spend, 9000.0, 1e-12);
    assert_int_equal(plan->current.n_broken, 1);
    assert_string_equal(plan->current.broken[0].limit, "national standard (rule 2)");
    assert_close(plan->current.broken[0].amount, 10.0, 1e-12);
    assert_false(plan->has_continuity);
    assert_int_equal(plan->n_moves, 0);
    release(m, plan);
}

/* ---- the flows table's checks ---- */

#define CHECK_BASE                                                                                 \
    SETTINGS_2Y, "icbs", "id,population\nI1,100000\nI2,100000\n", "budgets",                       \
        "icb,year,revenue\nI1,2025,100000\nI1,2026,100000\nI2,2025,100000\nI2,2026,100000\n",      \
        "services", "id,category,unit_cost,benefit\nS,specialised,100,1\nL,priority,10,1\n",       \
        "demand", "icb,service,need,baseline\nI1,S,100,90\nI1,L,10,10\n", "providers",             \
        "id,icb\nP1,I1\nP2,I2\n", "capacity", "provider,service,capacity\nP1,S,100\n"

static void assert_diag(const ao_diags *diags, ao_severity severity, const char *text,
                        const char *table, const char *column, long row)
{
    const ao_diag *d = support_find_diag(diags, text, table, column, row);
    if (d == NULL) {
        for (size_t k = 0; k < diags->count; k++) {
            char *line = ao_diag_format(&diags->items[k]);
            print_message("%s\n", line);
            free(line);
        }
        fail_msg("no diagnostic '%s' in %s, column %s, row %ld", text, table, column, row);
    }
    assert_int_equal(d->severity, severity);
}

static void test_flows_errors_name_row_and_column(void **state)
{
    (void)state;
    const char *const pairs[] = {
        CHECK_BASE, "flows",
        "icb,service,provider,activity\n"
        "IX,S,P1,10\n"  /* row 2: unknown ICB */
        "I1,SX,P1,10\n" /* row 3: unknown service */
        "I1,S,PX,10\n"  /* row 4: unknown provider */
        "I1,L,P1,10\n"  /* row 5: a local service */
        "I2,S,P1,10\n"  /* row 6: I2 has no demand row for S */
        "I1,S,P2,10\n"  /* row 7: P2 has no capacity row for S */
        "I1,S,P1,50\n"  /* row 8: fine */
        "I1,S,p1,40\n"  /* row 9: the same ICB, service and provider again */
        "I1,S,P1,-5\n", /* row 10: negative */
        NULL};
    ao_diags diags;
    ao_diags_init(&diags);
    ao_model *model = build(pairs, &diags);
    assert_null(model);
    assert_diag(&diags, AO_DIAG_ERROR, "ICB 'IX' is not in the icbs table", "flows", "icb", 2);
    assert_diag(&diags, AO_DIAG_ERROR, "service 'SX' is not in the services table", "flows",
                "service", 3);
    assert_diag(&diags, AO_DIAG_ERROR, "provider 'PX' is not in the providers table", "flows",
                "provider", 4);
    assert_diag(&diags, AO_DIAG_ERROR, "service L has no rows on the capacity sheet", "flows",
                "service", 5);
    assert_diag(&diags, AO_DIAG_ERROR, "ICB I2 has no demand row for service S", "flows", "service",
                6);
    assert_diag(&diags, AO_DIAG_ERROR,
                "provider P2 has no capacity row for service S; add one to the capacity sheet",
                "flows", "provider", 7);
    assert_diag(&diags, AO_DIAG_ERROR,
                "ICB I1 already has a flows row for service S at provider P1 (row 8)", "flows",
                "provider", 9);
    assert_diag(&diags, AO_DIAG_ERROR, "activity cannot be negative", "flows", "activity", 10);
    assert_int_equal(diags.n_errors, 8);
    ao_diags_free(&diags);
}

static void test_flows_warnings(void **state)
{
    (void)state;
    /* I1 buys S at P1 only by the flows (95, against a baseline of 90: more than 1 %
     * apart) and at P3, which the access table does not allow; I2's baseline of S has no
     * provider it may use and no flows rows. */
    const char *const pairs[] = {
        SETTINGS_2Y,
        "icbs",
        "id,population\nI1,100000\nI2,100000\n",
        "budgets",
        "icb,year,revenue\nI1,2025,100000\nI1,2026,100000\nI2,2025,100000\nI2,2026,100000\n",
        "services",
        "id,category,unit_cost,benefit\nS,specialised,100,1\n",
        "demand",
        "icb,service,need,baseline\nI1,S,100,90\nI2,S,100,20\n",
        "providers",
        "id,icb\nP1,I1\nP3,I2\n",
        "capacity",
        "provider,service,capacity\nP1,S,100\nP3,S,100\n",
        "access",
        "icb,provider\nI1,P1\n",
        "flows",
        "icb,service,provider,activity\nI1,S,P1,85\nI1,S,P3,10\n",
        NULL};
    ao_diags diags;
    ao_diags_init(&diags);
    ao_model *model = build(pairs, &diags);
    assert_non_null(model);
    assert_diag(&diags, AO_DIAG_WARNING,
                "the access table does not let ICB I1 buy from provider P3", "flows", "provider",
                3);
    assert_diag(&diags, AO_DIAG_WARNING,
                "ICB I1's flows of service S add up to 95, but its baseline on the demand "
                "sheet (row 2) is 90",
                "flows", "activity", 2);
    assert_diag(&diags, AO_DIAG_WARNING, "ICB I2 may buy service S from no provider", "demand",
                "baseline", 3);
    assert_int_equal(diags.n_errors, 0);
    assert_true(model->has_flows_table);
    assert_int_equal(model->n_flows, 2);

    /* Today's plan breaks the access limit, and that activity counts as moved. */
    ao_plan_options options;
    ao_plan_options_set_default(&options);
    options.solver.kind = test_backend;
    ao_plan *plan = NULL;
    assert_int_equal(ao_plan_solve(model, &options, &plan), AO_NO_ERROR);
    assert_int_equal(plan->status, AO_STATUS_OPTIMAL);
    const ao_broken_limit *access = find_broken(plan, "activity at a provider not allowed", 0);
    assert_non_null(access);
    assert_close(access->amount, 10.0, 1e-12);
    assert_string_equal(access->description, "ICB I1 buys 10 units of S from P3 in 2025/26, "
                                             "which the access table does not allow");
    /* The plan buys I1's whole need of 100 at P1: 15 more than today there, and the 10 at
     * P3 move too: 25 a year. I2 buys nothing today (no provider) and cannot. */
    assert_close(plan->moved_activity, 50.0, 1e-4);
    ao_plan_free(plan);
    ao_tableset *tables = (ao_tableset *)model->tables;
    ao_model_free(model);
    ao_tableset_free(tables);
    ao_diags_free(&diags);
}

static void test_empty_flows_table(void **state)
{
    (void)state;
    const char *const pairs[] = {CHECK_BASE, "flows", "icb,service,provider,activity\n", NULL};
    ao_diags diags;
    ao_diags_init(&diags);
    ao_model *model = build(pairs, &diags);
    assert_non_null(model);
    /* The template's empty sheet: no flows table, and nothing said on every run. */
    assert_int_equal(diags.count, 0);
    assert_false(model->has_flows_table);
    ao_tableset *tables = (ao_tableset *)model->tables;
    ao_model_free(model);
    ao_tableset_free(tables);
    ao_diags_free(&diags);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_today_optimal_nothing_moves),
        cmocka_unit_test(test_today_breaks_a_national_standard),
        cmocka_unit_test(test_today_breaks_a_named_rule),
        cmocka_unit_test(test_continuity_keeps_the_local_trust),
        cmocka_unit_test(test_continuity_move_forced_by_capacity),
        cmocka_unit_test(test_continuity_move_forced_by_price),
        cmocka_unit_test(test_continuity_slack_keeps_today),
        cmocka_unit_test(test_split_by_capacity_without_flows_rows),
        cmocka_unit_test(test_continuity_with_whole_steps),
        cmocka_unit_test(test_today_evaluated_without_a_plan),
        cmocka_unit_test(test_flows_errors_name_row_and_column),
        cmocka_unit_test(test_flows_warnings),
        cmocka_unit_test(test_empty_flows_table),
    };
    int failed = cmocka_run_group_tests_name("glpk", tests, NULL, NULL);
    if (ao_solver_kind_available(AO_SOLVER_CLP)) {
        test_backend = AO_SOLVER_CLP;
        failed += cmocka_run_group_tests_name("clp", tests, NULL, NULL);
    }
    return failed;
}
