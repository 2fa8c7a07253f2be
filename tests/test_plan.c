/*
 * Optimal plans of small models whose optimum is derived by hand in the comments.
 * Each model exercises one rule of MODEL.md; the expected figures do not come from
 * allocopt.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>

#include "common/parse.h"
#include "common/strutil.h"
#include "io/input.h"
#include "models/model.h"
#include "models/plan.h"
#include "models/verify.h"
#include "support_plan.h"

#define ICB1 "icbs", "id,population,region,joint_committee\nI1,100000,North,\n"

/* The backend every test of the current group solves with (main runs the whole group
 * once per backend: the expected answers do not depend on it). */
static ao_solver_kind test_backend = AO_SOLVER_GLPK;

static const ao_plan_options *options_for_backend(void)
{
    static ao_plan_options options;
    ao_plan_options_set_default(&options);
    options.solver.kind = test_backend;
    return &options;
}

/* Solve tables given as (name, csv) pairs under the backend of the group. */
static ao_plan *solve(const char *const *pairs, ao_model **model_out)
{
    return support_solve(pairs, options_for_backend(), model_out);
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

static const ao_budget_line *find_budget(const ao_plan *plan, const char *pool, int t,
                                         ao_budget_kind kind)
{
    for (size_t k = 0; k < plan->n_budgets; k++)
        if (strcmp(plan->budgets[k].pool, pool) == 0 && plan->budgets[k].t == t &&
            plan->budgets[k].kind == kind)
            return &plan->budgets[k];
    return NULL;
}

/*
 * Fractional knapsack: R = £1,000; A costs £10 and gives 5 per unit (0.5 per £), need 50;
 * B costs £20 and gives 4 (0.2 per £), need 100. Greedy: all of A (£500, 250), then
 * £500 of B (25 units, 100). Optimum 350. The last £ buys 0.2: shadow price 200,000
 * per £1m.
 */
static void test_knapsack(void **state)
{
    (void)state;
    const char *const pairs[] = {
        "settings",
        "key,value\nfirst_year,2025\nyears,1\n",
        ICB1,
        "budgets",
        "icb,year,revenue\nI1,2025/26,\"£1,000\"\n",
        "services",
        "id,category,unit_cost,benefit\nA,specialised,10,5\nB,priority,20,4\n",
        "demand",
        "icb,service,need,baseline\nI1,A,50,0\nI1,B,100,0\n",
        NULL};
    ao_model *model;
    ao_plan *plan = solve(pairs, &model);
    assert_int_equal(plan->status, AO_STATUS_OPTIMAL);
    assert_close(plan->objective, 350.0, 1e-9);
    /* The least-spend pass may give up 1e-9 of the objective (MODEL.md). */
    assert_close(plan->total_revenue_spend, 1000.0, 1e-8);
    const ao_budget_line *revenue = find_budget(plan, "I1", 0, AO_BUDGET_REVENUE);
    assert_non_null(revenue);
    assert_close(revenue->shadow_price, 200000.0, 1e-9);
    /* 0.2 per £ holds from £500 (A alone) to £2,500 (all of B as well). */
    assert_close(revenue->price_from, 500.0, 1e-9);
    assert_close(revenue->price_to, 2500.0, 1e-9);
    assert_true(revenue->binding);
    assert_close(revenue->headroom, 0.0, 1e-5);
    release(model, plan);
}

/*
 * Prevention under the cost objective: S (£10, national standard 50 %, need 100 each
 * year); Q (£1, need 80) avoids 2 units of S's need a year later. Year 0 must buy
 * 50 S (£500). Each Q bought in year 0 costs £1 and saves 2 × 0.5 × £10 = £10 in
 * year 1, until year-1 need is gone: Q = 50. Minimum cost £550 (no discounting).
 */
static void test_prevention_cost(void **state)
{
    (void)state;
    const char *const pairs[] = {
        "settings",
        "key,value\nfirst_year,2025\nyears,2\nobjective,cost\n",
        ICB1,
        "budgets",
        "icb,year,revenue\nI1,2025,10000\nI1,2026,10000\n",
        "services",
        "id,category,unit_cost,benefit,min_coverage\nS,specialised,10,1,50%\nQ,priority,1,0,\n",
        "demand",
        "icb,service,need,baseline\nI1,S,100,0\nI1,Q,80,0\n",
        "prevention",
        "service,target,effect,lag\nQ,S,2,1\n",
        NULL};
    ao_model *model;
    ao_plan *plan = solve(pairs, &model);
    assert_int_equal(plan->status, AO_STATUS_OPTIMAL);
    assert_close(plan->objective, 550.0, 1e-9);
    assert_int_equal(plan->n_prevention, 2);
    assert_close(plan->prevention[0].activity, 50.0, 1e-7);
    assert_close(plan->prevention[0].need_avoided, 100.0, 1e-7);
    assert_int_equal(plan->prevention[0].lands_in, 1);
    release(model, plan);
}

/*
 * Capacity with a one-year lag: 30 need a year, capacity 10, capital £100 per unit of
 * annual capacity, capital budget £1,000 in year 0 (10 units, usable from year 1).
 * Benefit 1 per unit, no discounting: 10 + 20 = 30. The least-spend plan buys exactly
 * 10 units of capacity (£1,000) and none in year 1 (it could not be used).
 */
static void test_capacity_expansion_with_lag(void **state)
{
    (void)state;
    const char *const pairs[] = {"settings",
                                 "key,value\nfirst_year,2025\nyears,2\n",
                                 ICB1,
                                 "budgets",
                                 "icb,year,revenue,capital\nI1,2025,1000,1000\nI1,2026,1000,5000\n",
                                 "services",
                                 "id,category,unit_cost,benefit,capital_cost,capacity_lag\n"
                                 "S,specialised,1,1,100,1\n",
                                 "demand",
                                 "icb,service,need,baseline\nI1,S,30,0\n",
                                 "providers",
                                 "id,icb\nP1,I1\n",
                                 "capacity",
                                 "provider,service,capacity\nP1,S,10\n",
                                 NULL};
    ao_model *model;
    ao_plan *plan = solve(pairs, &model);
    assert_int_equal(plan->status, AO_STATUS_OPTIMAL);
    assert_close(plan->objective, 30.0, 1e-9);
    assert_close(plan->total_capital_spend, 1000.0, 1e-7);
    assert_int_equal(plan->n_expansions, 2);
    assert_close(plan->expansions[0].units, 10.0, 1e-7);
    assert_close(plan->expansions[1].units, 0.0, 1e-7);
    assert_int_equal(plan->expansions[0].available_from, 1);
    release(model, plan);
}

/*
 * Joint commissioning: I1 (R £100, SR £10) and I2 (R £100, SR £90) in one committee.
 * S specialised (£1, benefit 1, need 60 each), P priority (£1, benefit 0.5, need 100
 * each). Delegated: each ICB buys 60 S and 40 P: 2 × (60 + 20) = 160. Joint: S from a
 * pool of £100 (100 units, 100), P within R − SR: I1 90 units (45), I2 10 (5): 150.
 */
static void test_arrangements(void **state)
{
    (void)state;
    const char *budgets = "icb,year,revenue,specialised\nI1,2025,100,10\nI2,2025,100,90\n";
    const char *icbs = "id,population,joint_committee\nI1,1,JC\nI2,1,JC\n";
    const char *services = "id,category,unit_cost,benefit\nS,specialised,1,1\nP,priority,1,0.5\n";
    const char *demand =
        "icb,service,need,baseline\nI1,S,60,0\nI1,P,100,0\nI2,S,60,0\nI2,P,100,0\n";
    const char *arrangements[] = {"delegated", "joint", "national"};
    const double expected[] = {160.0, 150.0, 150.0};
    for (int a = 0; a < 3; a++) {
        char settings[128];
        snprintf(settings, sizeof settings, "key,value\nfirst_year,2025\nyears,1\narrangement,%s\n",
                 arrangements[a]);
        const char *const pairs[] = {"settings", settings, "icbs",   icbs,   "budgets", budgets,
                                     "services", services, "demand", demand, NULL};
        ao_model *model;
        ao_plan *plan = solve(pairs, &model);
        assert_int_equal(plan->status, AO_STATUS_OPTIMAL);
        assert_close(plan->objective, expected[a], 1e-9);
        if (a > 0) {
            const char *pool = a == 1 ? "JC" : "England";
            const ao_budget_line *line = find_budget(plan, pool, 0, AO_BUDGET_SPECIALISED);
            assert_non_null(line);
            assert_close(line->available, 100.0, 1e-12);
            /* An extra £ of pooled specialised money buys one more unit of S: 1e6 per £1m. */
            assert_close(line->shadow_price, 1e6, 1e-9);
        }
        release(model, plan);
    }
}

/*
 * Equity band δ = 50 %: two ICBs of one region, need 100 each; I1 can afford 200 units,
 * I2 only 20. Without the band: 100 + 20 = 120. With it, 200·A1 ≥ 0.5·100·(A1 + A2)
 * holds for A1 and 200·A2 ≥ 50·(A1 + A2) gives A1 ≤ 3·A2 = 60: optimum 80.
 */
static void test_equity_band(void **state)
{
    (void)state;
    const char *const pairs[] = {
        "settings", "key,value\nfirst_year,2025\nyears,1\nequity_band,50%\n",
        "icbs",     "id,population,region\nI1,1,R\nI2,1,R\n",
        "budgets",  "icb,year,revenue\nI1,2025,200\nI2,2025,20\n",
        "services", "id,category,unit_cost,benefit\nS,specialised,1,1\n",
        "demand",   "icb,service,need,baseline\nI1,S,100,0\nI2,S,100,0\n",
        NULL};
    ao_model *model;
    ao_plan *plan = solve(pairs, &model);
    assert_int_equal(plan->status, AO_STATUS_OPTIMAL);
    assert_close(plan->objective, 80.0, 1e-9);
    assert_int_equal(plan->n_variation, 1);
    /* Coverage 0.6 and 0.2: mean 0.4, population sd 0.2, cv 0.5. */
    assert_close(plan->variation[0].mean_coverage, 0.4, 1e-9);
    assert_close(plan->variation[0].cv, 0.5, 1e-9);
    release(model, plan);
}

/*
 * Stability μ = 50 % from a baseline of 10, need 100, money plentiful, discount 10 %:
 * A0 ≤ 15, A1 ≤ 22.5. Objective 15 + 22.5 / 1.1.
 */
static void test_stability_and_discounting(void **state)
{
    (void)state;
    const char *const pairs[] = {
        "settings",
        "key,value\nfirst_year,2025/26\nyears,2\nmax_change,0.5\ndiscount_rate,10%\n",
        ICB1,
        "budgets",
        "icb,year,revenue\nI1,2025/26,1e6\nI1,2026/27,1e6\n",
        "services",
        "id,category,unit_cost,benefit\nS,specialised,1,1\n",
        "demand",
        "icb,service,need,baseline\nI1,S,100,10\n",
        NULL};
    ao_model *model;
    ao_plan *plan = solve(pairs, &model);
    assert_int_equal(plan->status, AO_STATUS_OPTIMAL);
    assert_close(plan->objective, 15.0 + 22.5 / 1.1, 1e-9);
    assert_close(plan->total_benefit, 37.5, 1e-8);
    /* The Constraints sheet's lines in the analyst's terms: activity against the most the
     * year before allows (15 against 10 × 1.5; 22.5 against 15 × 1.5), each at its growth
     * ceiling, and the decline floor of 2026/27 (15 × 0.5 = 7.5) far away; to 1e-8, as the
     * least-spend pass holds the objective to a relative 1e-9. */
    int growth = 0, decline = 0;
    for (size_t k = 0; k < plan->n_constraints; k++) {
        const ao_constraint_line *c = &plan->constraints[k];
        if (strcmp(c->group, "Stability (growth)") == 0) {
            growth++;
            assert_true(c->binding);
            assert_close(c->activity, growth == 1 ? 15.0 : 22.5, 1e-8);
            assert_close(c->upper, growth == 1 ? 15.0 : 22.5, 1e-8);
        } else if (strcmp(c->group, "Stability (decline)") == 0) {
            decline++;
            assert_false(c->binding);
            assert_close(c->activity, 22.5, 1e-8);
            assert_close(c->lower, 7.5, 1e-8);
        }
    }
    assert_int_equal(growth, 2);
    assert_int_equal(decline, 1);
    release(model, plan);
}

/*
 * Rules: a max_share of 30 % on programme "x" for each ICB (R £100: at most £30 on S,
 * the better service), and a min_spend of £50 on service T in 2025. S: £1, benefit 2,
 * need 100; T: £1, benefit 1, need 100. Plan: 30 S (60), 70 T (70) = 130.
 */
static void test_rules(void **state)
{
    (void)state;
    const char *const pairs[] = {
        "settings",
        "key,value\nfirst_year,2025\nyears,1\n",
        ICB1,
        "budgets",
        "icb,year,revenue\nI1,2025,100\n",
        "services",
        "id,category,programme,unit_cost,benefit\nS,specialised,x,1,2\n"
        "T,priority,y,1,1\n",
        "demand",
        "icb,service,need,baseline\nI1,S,100,0\nI1,T,100,0\n",
        "rules",
        "name,scope,applies_to,year,kind,value\ncap,*,programme:x,,max_share,30%\n"
        "floor,I1,service:T,2025/26,min_spend,50\n",
        NULL};
    ao_model *model;
    ao_plan *plan = solve(pairs, &model);
    assert_int_equal(plan->status, AO_STATUS_OPTIMAL);
    assert_close(plan->objective, 130.0, 1e-9);
    release(model, plan);
}

/*
 * No feasible plan: the national standard needs 90 units at £10 but the budget is £500.
 */
static void test_infeasible_names_the_limits(void **state)
{
    (void)state;
    const char *const pairs[] = {
        "settings",
        "key,value\nfirst_year,2025\nyears,1\n",
        ICB1,
        "budgets",
        "icb,year,revenue\nI1,2025,500\n",
        "services",
        "id,category,unit_cost,benefit,min_coverage\nS,specialised,10,1,0.9\n",
        "demand",
        "icb,service,need,baseline\nI1,S,100,0\n",
        NULL};
    ao_model *model;
    ao_plan *plan = solve(pairs, &model);
    assert_int_equal(plan->status, AO_STATUS_INFEASIBLE);
    assert_non_null(plan->infeasibility);
    assert_true(strstr(plan->infeasibility, "I1 2025/26") != NULL);
    /* Elastic diagnosis: lowering the standard by 40 units costs 40/90 of that limit;
     * raising the budget by £400 costs 400/500 of it. The smaller relative move wins. */
    assert_int_equal(plan->n_diagnosis, 1);
    assert_true(plan->diagnosis[0].lower);
    assert_false(plan->diagnosis[0].money);
    assert_close(plan->diagnosis[0].change, 40.0, 1e-7);
    assert_close(plan->diagnosis[0].limit, 90.0, 1e-12);
    assert_non_null(strstr(plan->diagnosis[0].sentence, "national standard"));
    release(model, plan);
}

/*
 * Three national standards each need £500 (50 units at £10) and the budget is £1,200.
 * Raising the budget by £300 moves one limit by 300/1200 = 0.25 of itself; lowering the
 * standards instead moves them by 30 units in all, 30/50 = 0.6. The budget must move.
 */
static void test_infeasible_budget_must_move(void **state)
{
    (void)state;
    const char *const pairs[] = {
        "settings",
        "key,value\nfirst_year,2025\nyears,1\n",
        ICB1,
        "budgets",
        "icb,year,revenue\nI1,2025,1200\n",
        "services",
        "id,category,unit_cost,benefit,min_coverage\nS1,specialised,10,1,0.5\n"
        "S2,specialised,10,1,0.5\nS3,priority,10,1,0.5\n",
        "demand",
        "icb,service,need,baseline\nI1,S1,100,0\nI1,S2,100,0\nI1,S3,100,0\n",
        NULL};
    ao_model *model;
    ao_plan *plan = solve(pairs, &model);
    assert_int_equal(plan->status, AO_STATUS_INFEASIBLE);
    assert_int_equal(plan->n_diagnosis, 1);
    assert_true(plan->diagnosis[0].money);
    assert_false(plan->diagnosis[0].lower);
    assert_close(plan->diagnosis[0].change, 300.0, 1e-7);
    assert_string_equal(plan->diagnosis[0].description, "I1 2025/26 revenue");
    assert_non_null(strstr(plan->diagnosis[0].sentence, "£300 more than the budget of £1,200"));
    release(model, plan);
}

/*
 * A revenue budget typed in £k (1,000 for £1,000,000) against a national standard that
 * needs £900,000: infeasible, and the explanation starts with the budget validation
 * flagged, before the moves the elastic LP finds with it as typed.
 */
static void test_infeasible_mistyped_budget_first(void **state)
{
    (void)state;
    const char *const pairs[] = {
        "settings",
        "key,value\nfirst_year,2025\nyears,1\n",
        ICB1,
        "budgets",
        "icb,year,revenue\nI1,2025,1000\n",
        "services",
        "id,category,unit_cost,benefit,min_coverage\nS,specialised,1000,1,0.9\n",
        "demand",
        "icb,service,need,baseline\nI1,S,1000,0\n",
        NULL};
    ao_model *model;
    ao_plan *plan = solve(pairs, &model);
    assert_int_equal(plan->status, AO_STATUS_INFEASIBLE);
    assert_non_null(plan->infeasibility);
    const char *first = "Check first: I1's revenue for 2025/26 (£1,000)";
    assert_true(strncmp(plan->infeasibility, first, strlen(first)) == 0);
    assert_non_null(strstr(plan->infeasibility, "with the budgets as typed"));
    release(model, plan);
}

/* A service bought from two providers: activity is their sum, spend uses each price. */
static void test_two_providers_and_access(void **state)
{
    (void)state;
    /* I1 may use P1 (price £2, capacity 30) and P2 (£1 by default, capacity 50); I2 only
     * P2. Need 100 each, benefit 1, budgets £1,000: capacity binds. P2's 50 units go to
     * either ICB; total activity = 30 + 50 = 80; least spend puts nothing extra at P1
     * beyond what raises benefit, so spend = 30·2 + 50·1 = 110. */
    const char *const pairs[] = {
        "settings",  "key,value\nfirst_year,2025\nyears,1\n",
        "icbs",      "id,population\nI1,1\nI2,1\n",
        "budgets",   "icb,year,revenue\nI1,2025,1000\nI2,2025,1000\n",
        "services",  "id,category,unit_cost,benefit\nS,specialised,1,1\n",
        "demand",    "icb,service,need,baseline\nI1,S,100,0\nI2,S,100,0\n",
        "providers", "id,icb\nP1,I1\nP2,I2\n",
        "capacity",  "provider,service,capacity,unit_cost\nP1,S,30,2\nP2,S,50,\n",
        "access",    "icb,provider\nI1,P1\nI1,P2\nI2,P2\n",
        NULL};
    ao_model *model;
    ao_plan *plan = solve(pairs, &model);
    assert_int_equal(plan->status, AO_STATUS_OPTIMAL);
    assert_close(plan->objective, 80.0, 1e-9);
    assert_close(plan->total_revenue_spend, 110.0, 1e-7);
    /* Three x columns: (I1,P1), (I1,P2), (I2,P2). */
    assert_int_equal(plan->n_alloc, 3);
    release(model, plan);
}

/* The independent check finds a plan that breaks a limit, and names it. */
static void test_verification_catches_a_broken_plan(void **state)
{
    (void)state;
    const char *const pairs[] = {
        "settings",
        "key,value\nfirst_year,2025\nyears,1\n",
        ICB1,
        "budgets",
        "icb,year,revenue\nI1,2025,1000\n",
        "services",
        "id,category,unit_cost,benefit\nA,specialised,10,5\nB,priority,20,4\n",
        "demand",
        "icb,service,need,baseline\nI1,A,50,0\nI1,B,100,0\n",
        NULL};
    ao_model *model;
    ao_plan *plan = solve(pairs, &model);
    assert_true(plan->verified);
    assert_true(plan->n_checks > 0);
    assert_true(plan->max_relative_violation < AO_VERIFY_TOLERANCE);
    /* Buy 60 units of A where the need is 50: breaks need and the revenue budget. */
    for (size_t k = 0; k < plan->n_alloc; k++)
        if (plan->alloc[k].s == 0)
            plan->alloc[k].activity = 60.0;
    assert_int_equal(ao_plan_verify(model, plan), AO_NO_ERROR);
    assert_true(plan->max_relative_violation > 0.1);
    assert_non_null(plan->worst_violation);
    assert_non_null(strstr(plan->worst_violation, "need after prevention"));
    release(model, plan);
}

/*
 * A baseline and three budget scenarios solved together: the scenarios start from the
 * baseline's basis, and 1 or 3 threads give the same plans. Knapsack optima by hand:
 * R = 600: 250 + 100 × 0.2 = 270; R = 1,000: 350; R = 2,000: 550; R = 4,000: all, 650.
 */
static void test_batch_warm_start_and_threads(void **state)
{
    (void)state;
    const double budgets[4] = {1000, 600, 2000, 4000}, expected[4] = {350, 270, 550, 650};
    ao_model *models[4];
    ao_plan *alone[4];
    for (int k = 0; k < 4; k++) {
        char text[96];
        snprintf(text, sizeof text, "icb,year,revenue\nI1,2025,%.0f\n", budgets[k]);
        const char *const pairs[] = {
            "settings",
            "key,value\nfirst_year,2025\nyears,1\n",
            ICB1,
            "budgets",
            text,
            "services",
            "id,category,unit_cost,benefit\nA,specialised,10,5\nB,priority,20,4\n",
            "demand",
            "icb,service,need,baseline\nI1,A,50,0\nI1,B,100,0\n",
            NULL};
        alone[k] = solve(pairs, &models[k]);
    }
    for (int threads = 1; threads <= 3; threads += 2) {
        ao_plan *plans[4];
        assert_int_equal(ao_plan_solve_all((const ao_model *const *)models, 4,
                                           options_for_backend(), threads, plans),
                         AO_NO_ERROR);
        assert_false(plans[0]->warm_started);
        for (int k = 0; k < 4; k++) {
            assert_int_equal(plans[k]->status, AO_STATUS_OPTIMAL);
            assert_close(plans[k]->objective, expected[k], 1e-9);
            assert_close(plans[k]->objective, alone[k]->objective, 1e-12);
            if (k > 0)
                assert_true(plans[k]->warm_started);
        }
        for (int k = 0; k < 4; k++)
            ao_plan_free(plans[k]);
    }
    for (int k = 0; k < 4; k++)
        release(models[k], alone[k]);
}

/*
 * Contract limits (rule 12). I1 needs 100 units of S, worth 1 each; P1 has 30 units of
 * capacity and P2 50. With max_providers 1 it can use only one: P2, 50 (the LP
 * relaxation would buy from both: 80).
 */
static void test_contract_limit_per_icb(void **state)
{
    (void)state;
    const char *const pairs[] = {"settings",  "key,value\nfirst_year,2025\nyears,1\n",
                                 "icbs",      "id,population,max_providers\nI1,1,1\n",
                                 "budgets",   "icb,year,revenue\nI1,2025,1000\n",
                                 "services",  "id,category,unit_cost,benefit\nS,specialised,1,1\n",
                                 "demand",    "icb,service,need,baseline\nI1,S,100,0\n",
                                 "providers", "id,icb\nP1,I1\nP2,I1\n",
                                 "capacity",  "provider,service,capacity\nP1,S,30\nP2,S,50\n",
                                 NULL};
    ao_model *model;
    ao_plan *plan = solve(pairs, &model);
    assert_int_equal(plan->status, AO_STATUS_OPTIMAL);
    assert_true(plan->is_mip);
    assert_close(plan->objective, 50.0, 1e-6);
    assert_int_equal(plan->n_contracts, 1);
    assert_int_equal(plan->contracts[0].n_providers, 1);
    release(model, plan);
}

/*
 * ICBs per provider (rule 12): P serves at most one ICB. I1 needs 40 units worth 2 each,
 * I2 needs 60 worth 1 each: serving I1 gives 80, serving I2 gives 60. Optimum 80.
 */
static void test_contract_limit_per_provider(void **state)
{
    (void)state;
    const char *const pairs[] = {
        "settings",  "key,value\nfirst_year,2025\nyears,1\n",
        "icbs",      "id,population\nI1,1\nI2,1\n",
        "budgets",   "icb,year,revenue\nI1,2025,1000\nI2,2025,1000\n",
        "services",  "id,category,unit_cost,benefit\nS,specialised,1,2\nT,specialised,1,1\n",
        "demand",    "icb,service,need,baseline\nI1,S,40,0\nI2,T,60,0\n",
        "providers", "id,icb,max_icbs\nP,I1,1\n",
        "capacity",  "provider,service,capacity\nP,S,100\nP,T,100\n",
        NULL};
    ao_model *model;
    ao_plan *plan = solve(pairs, &model);
    assert_int_equal(plan->status, AO_STATUS_OPTIMAL);
    assert_close(plan->objective, 80.0, 1e-6);
    release(model, plan);
}

/*
 * Lumpy capital (rule 13): capacity 10, need 100 a year, £1 of capital per unit, £25 of
 * capital in year 0, usable a year later, expansion in steps of 10: at most 20 added.
 * Years 0 and 1 give 10 + 30 = 40 (45 with continuous expansion).
 */
static void test_lumpy_capital(void **state)
{
    (void)state;
    const char *const pairs[] = {"settings",
                                 "key,value\nfirst_year,2025\nyears,2\n",
                                 ICB1,
                                 "budgets",
                                 "icb,year,revenue,capital\nI1,2025,1000,25\nI1,2026,1000,0\n",
                                 "services",
                                 "id,category,unit_cost,benefit,capital_cost,capacity_lag\n"
                                 "S,specialised,1,1,1,1\n",
                                 "demand",
                                 "icb,service,need,baseline\nI1,S,100,0\n",
                                 "providers",
                                 "id,icb\nP,I1\n",
                                 "capacity",
                                 "provider,service,capacity,expansion_step\nP,S,10,10\n",
                                 NULL};
    ao_model *model;
    ao_plan *plan = solve(pairs, &model);
    assert_int_equal(plan->status, AO_STATUS_OPTIMAL);
    assert_true(plan->is_mip);
    assert_close(plan->objective, 40.0, 1e-6);
    assert_close(plan->expansions[0].units, 20.0, 1e-6);
    release(model, plan);
}

/*
 * A provider collaborative (rule 11): I1 has no access to P1, but collaborative C lets
 * it buy S there, within half its specialised allocation of £100: £50, 50 units.
 */
static void test_collaborative(void **state)
{
    (void)state;
    const char *const pairs[] = {
        "settings",
        "key,value\nfirst_year,2025\nyears,1\n",
        "icbs",
        "id,population\nI1,1\nI2,1\n",
        "budgets",
        "icb,year,revenue,specialised\nI1,2025,1000,100\nI2,2025,1000,100\n",
        "services",
        "id,category,unit_cost,benefit\nS,specialised,1,1\n",
        "demand",
        "icb,service,need,baseline\nI1,S,200,0\n",
        "providers",
        "id,icb\nP1,I2\nP2,I2\n",
        "capacity",
        "provider,service,capacity\nP1,S,500\nP2,S,500\n",
        "access",
        "icb,provider\nI2,P2\n",
        "collaboratives",
        "id,lead_provider,applies_to,icbs,budget_share\n"
        "C,P1,service:S,I1,50%\n",
        "collaborative_members",
        "collaborative,provider\nC,P1\n",
        NULL};
    ao_model *model;
    ao_plan *plan = solve(pairs, &model);
    assert_int_equal(plan->status, AO_STATUS_OPTIMAL);
    assert_false(plan->is_mip);
    assert_close(plan->objective, 50.0, 1e-9);
    const ao_budget_line *pool = find_budget(plan, "C", 0, AO_BUDGET_COLLABORATIVE);
    assert_non_null(pool);
    assert_close(pool->available, 50.0, 1e-12);
    assert_close(pool->shadow_price, 1e6, 1e-9);
    assert_int_equal(plan->n_collaborative_flows, 1);
    assert_close(plan->collaborative_flows[0].member_activity, 50.0, 1e-7);
    release(model, plan);
}

/*
 * Numerically awkward scales: a £1bn budget beside £10 unit costs, and a prevention
 * effect of 1e-7. The knapsack of test_knapsack scaled by 1e6: A takes £500m (250m
 * benefit), B the other £500m (25m units, 100m): 350m. Q (£1, no benefit) is not
 * worth buying: its effect saves 1e-7 × 0.5 × £10 per unit. The plan must still be
 * exact to 1e-9 and pass the independent check.
 */
static void test_awkward_scales(void **state)
{
    (void)state;
    const char *const pairs[] = {
        "settings",
        "key,value\nfirst_year,2025\nyears,2\n",
        ICB1,
        "budgets",
        "icb,year,revenue\nI1,2025,\"£1,000,000,000\"\nI1,2026,1e9\n",
        "services",
        "id,category,unit_cost,benefit,min_coverage\nA,specialised,10,5,0.5\n"
        "B,priority,20,4,\nQ,priority,1,0,\n",
        "demand",
        "icb,service,need,baseline\nI1,A,5e7,0\nI1,B,1e8,0\nI1,Q,1e6,0\n",
        "prevention",
        "service,target,effect,lag\nQ,A,1e-7,1\n",
        NULL};
    ao_model *model;
    ao_plan *plan = solve(pairs, &model);
    assert_int_equal(plan->status, AO_STATUS_OPTIMAL);
    assert_close(plan->objective, 7.0e8, 1e-9);
    const ao_budget_line *revenue = find_budget(plan, "I1", 1, AO_BUDGET_REVENUE);
    assert_close(revenue->shadow_price, 200000.0, 1e-9);
    assert_true(plan->max_relative_violation < 1e-9);
    release(model, plan);
}

/* Solve the input in `dir` with the revenue of one budgets row raised by delta. */
static double objective_with_revenue(const char *dir, const char *icb, int t, double delta,
                                     const ao_model *ref_model)
{
    ao_diags diags;
    ao_diags_init(&diags);
    ao_tableset *tables = NULL;
    assert_int_equal(ao_input_read(dir, &tables, &diags), AO_NO_ERROR);
    ao_table *budgets = ao_tableset_find(tables, "budgets");
    long icb_col = ao_table_col(budgets, "icb"), year_col = ao_table_col(budgets, "year");
    long revenue_col = ao_table_col(budgets, "revenue");
    int changed = 0;
    for (size_t r = 0; r < budgets->n_rows; r++) {
        int year;
        if (!ao_name_equal(ao_table_cell(budgets, r, icb_col), icb) ||
            ao_parse_year(ao_table_cell(budgets, r, year_col), &year) != AO_PARSE_OK ||
            year != ref_model->settings.first_year + t)
            continue;
        double revenue;
        assert_int_equal(ao_parse_number(ao_table_cell(budgets, r, revenue_col), &revenue),
                         AO_PARSE_OK);
        char text[40];
        snprintf(text, sizeof text, "%.17g", revenue + delta);
        assert_int_equal(ao_table_set_cell(budgets, r, revenue_col, text), AO_NO_ERROR);
        changed++;
    }
    assert_int_equal(changed, 1);
    ao_model *model = NULL;
    assert_int_equal(ao_model_build(tables, &model, &diags), AO_NO_ERROR);
    ao_plan *plan = NULL;
    assert_int_equal(ao_plan_solve(model, options_for_backend(), &plan), AO_NO_ERROR);
    assert_int_equal(plan->status, AO_STATUS_OPTIMAL);
    double objective = plan->objective;
    ao_plan_free(plan);
    ao_model_free(model);
    ao_tableset_free(tables);
    ao_diags_free(&diags);
    return objective;
}

/*
 * Shadow prices against finite differences: for each binding revenue budget of a real
 * input that follows one budgets row one for one, raise that budget by a step inside its
 * range and re-solve; the change in the
 * objective per £1m must equal the reported shadow price.
 */
static void check_shadow_prices_by_finite_difference(const char *dir)
{
    ao_diags diags;
    ao_diags_init(&diags);
    ao_tableset *tables = NULL;
    if (ao_input_read(dir, &tables, &diags) != AO_NO_ERROR || diags.n_errors > 0) {
        ao_tableset_free(tables);
        ao_diags_free(&diags);
        print_message("skipping %s: not readable here\n", dir);
        return;
    }
    ao_model *model = NULL;
    assert_int_equal(ao_model_build(tables, &model, &diags), AO_NO_ERROR);
    ao_plan *plan = NULL;
    assert_int_equal(ao_plan_solve(model, options_for_backend(), &plan), AO_NO_ERROR);
    assert_int_equal(plan->status, AO_STATUS_OPTIMAL);
    int checked = 0;
    for (size_t k = 0; k < plan->n_budgets && checked < 4; k++) {
        const ao_budget_line *b = &plan->budgets[k];
        if (b->kind != AO_BUDGET_REVENUE || !b->binding || !(b->shadow_price > 0))
            continue;
        /* Raising one budgets row's revenue must raise this budget by as much: not so
         * for a merged footprint (no single row), nor when part of the ICB's specialised
         * allocation, following its revenue (β R), goes to a joint or national pool. */
        int i = ao_model_find_icb(model, b->pool);
        if (i < 0)
            continue;
        size_t it = (size_t)i * (size_t)model->settings.years + (size_t)b->t;
        if (isnan(model->specialised[it]) &&
            fabs(b->available - model->revenue[it]) > 1e-9 * model->revenue[it])
            continue;
        double step = fmin(1000.0, (b->price_to - b->available) / 2);
        if (!(step > 1.0))
            continue;
        double raised = objective_with_revenue(dir, b->pool, b->t, step, model);
        double per_million = (raised - plan->objective) / step * 1e6;
        if (fabs(per_million - b->shadow_price) > 1e-5 * fmax(1.0, fabs(b->shadow_price)))
            fail_msg("%s year %d: finite difference %.9g per £1m, shadow price %.9g", b->pool, b->t,
                     per_million, b->shadow_price);
        checked++;
    }
    assert_true(checked > 0);
    ao_plan_free(plan);
    ao_model_free(model);
    ao_tableset_free(tables);
    ao_diags_free(&diags);
}

static void test_shadow_prices_match_finite_differences(void **state)
{
    (void)state;
    check_shadow_prices_by_finite_difference(AO_SOURCE_DIR "/../shared/spec/example");
    check_shadow_prices_by_finite_difference(AO_SOURCE_DIR "/examples/england");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_knapsack),
        cmocka_unit_test(test_prevention_cost),
        cmocka_unit_test(test_capacity_expansion_with_lag),
        cmocka_unit_test(test_arrangements),
        cmocka_unit_test(test_equity_band),
        cmocka_unit_test(test_stability_and_discounting),
        cmocka_unit_test(test_rules),
        cmocka_unit_test(test_infeasible_names_the_limits),
        cmocka_unit_test(test_infeasible_budget_must_move),
        cmocka_unit_test(test_infeasible_mistyped_budget_first),
        cmocka_unit_test(test_two_providers_and_access),
        cmocka_unit_test(test_verification_catches_a_broken_plan),
        cmocka_unit_test(test_batch_warm_start_and_threads),
        cmocka_unit_test(test_shadow_prices_match_finite_differences),
        cmocka_unit_test(test_contract_limit_per_icb),
        cmocka_unit_test(test_contract_limit_per_provider),
        cmocka_unit_test(test_lumpy_capital),
        cmocka_unit_test(test_collaborative),
        cmocka_unit_test(test_awkward_scales),
    };
    int failed = cmocka_run_group_tests_name("glpk", tests, NULL, NULL);
    if (ao_solver_kind_available(AO_SOLVER_CLP)) {
        test_backend = AO_SOLVER_CLP;
        failed += cmocka_run_group_tests_name("clp", tests, NULL, NULL);
    }
    return failed;
}
