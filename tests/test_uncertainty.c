/*
 * Unit tests for uncertainty studies: the random streams (models/random.c), the
 * uncertainty table (models/uncertainty.c), PERCENTILE.INC, a closed-form study, and
 * partial results and their merge (report/partial.c). Expected figures are derived by hand
 * in the comments or from the distributions' formulas, never from allocopt.
 */
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

#include "common/parse.h"
#include "models/model.h"
#include "models/plan.h"
#include "models/random.h"
#include "models/uncertainty.h"
#include "report/partial.h"
#include "support.h"

#define N_MOMENT_DRAWS 100000

/* ---- random streams ---- */

static void test_rng_reproducible(void **state)
{
    (void)state;
    ao_rng a, b, c, d;
    ao_rng_seed(&a, 7, 12);
    ao_rng_seed(&b, 7, 12);
    ao_rng_seed(&c, 7, 13);
    ao_rng_seed(&d, 8, 12);
    int differs_sample = 0, differs_seed = 0;
    for (int k = 0; k < 1000; k++) {
        uint64_t x = ao_rng_next(&a);
        assert_true(x == ao_rng_next(&b));
        differs_sample |= x != ao_rng_next(&c);
        differs_seed |= x != ao_rng_next(&d);
    }
    assert_true(differs_sample);
    assert_true(differs_seed);
}

/* splitmix64 from state 0 gives the sequence its authors publish (and that every
 * implementation reproduces): the first output is 0xE220A8397B1DCDAF. */
static void test_splitmix_known_value(void **state)
{
    (void)state;
    uint64_t s = 0;
    assert_true(ao_splitmix64(&s) == 0xE220A8397B1DCDAFULL);
    assert_true(ao_splitmix64(&s) == 0x6E789E6AA1B965F4ULL);
}

/* Whatever samples are drawn, in whatever order, each draws what a full run draws. */
static void test_rng_subsets_independent(void **state)
{
    (void)state;
    enum { SAMPLES = 60, PER_SAMPLE = 7 };
    double full[SAMPLES][PER_SAMPLE];
    for (int i = 0; i < SAMPLES; i++) {
        ao_rng rng;
        ao_rng_seed(&rng, 42, (uint64_t)i);
        for (int k = 0; k < PER_SAMPLE; k++)
            full[i][k] = k % 2 ? ao_rng_normal(&rng) : ao_rng_uniform(&rng);
    }
    /* Shard 2 of 3, backwards. */
    for (int i = SAMPLES - 1; i >= 0; i--) {
        if (i % 3 != 1)
            continue;
        ao_rng rng;
        ao_rng_seed(&rng, 42, (uint64_t)i);
        for (int k = 0; k < PER_SAMPLE; k++) {
            double x = k % 2 ? ao_rng_normal(&rng) : ao_rng_uniform(&rng);
            assert_true(x == full[i][k]);
        }
    }
}

typedef struct moments {
    double mean, variance, min, max;
} moments;

static moments moments_of(const double *x, size_t n)
{
    moments m = {0.0, 0.0, INFINITY, -INFINITY};
    for (size_t k = 0; k < n; k++) {
        m.mean += x[k];
        m.min = fmin(m.min, x[k]);
        m.max = fmax(m.max, x[k]);
    }
    m.mean /= (double)n;
    for (size_t k = 0; k < n; k++)
        m.variance += (x[k] - m.mean) * (x[k] - m.mean);
    m.variance /= (double)(n - 1);
    return m;
}

/* Mean within 5 standard errors; variance within 5 standard errors of a normal's
 * sample variance (sqrt(2/n) relative; the uniform and triangular have lighter tails). */
static void assert_moments(const moments *m, double mean, double variance)
{
    double n = N_MOMENT_DRAWS;
    if (fabs(m->mean - mean) > 5.0 * sqrt(variance / n))
        fail_msg("mean %.6f, expected %.6f", m->mean, mean);
    if (fabs(m->variance - variance) > 5.0 * variance * sqrt(2.0 / n))
        fail_msg("variance %.6f, expected %.6f", m->variance, variance);
}

static void test_distribution_moments(void **state)
{
    (void)state;
    double *x = malloc(N_MOMENT_DRAWS * sizeof *x);
    assert_non_null(x);
    ao_rng rng;
    ao_rng_seed(&rng, 2024, 0);

    /* Uniform (0, 1): mean 1/2, variance 1/12, never 0 or 1. */
    for (size_t k = 0; k < N_MOMENT_DRAWS; k++)
        x[k] = ao_rng_uniform(&rng);
    moments m = moments_of(x, N_MOMENT_DRAWS);
    assert_moments(&m, 0.5, 1.0 / 12.0);
    assert_true(m.min > 0.0 && m.max < 1.0);

    /* Standard normal: mean 0, variance 1; about 4.55 % beyond 2 sd (binomial sd 0.066 %). */
    size_t beyond = 0;
    for (size_t k = 0; k < N_MOMENT_DRAWS; k++) {
        x[k] = ao_rng_normal(&rng);
        beyond += fabs(x[k]) > 2.0;
    }
    m = moments_of(x, N_MOMENT_DRAWS);
    assert_moments(&m, 0.0, 1.0);
    double share = (double)beyond / N_MOMENT_DRAWS;
    assert_true(fabs(share - 0.0455) < 5 * sqrt(0.0455 * 0.9545 / N_MOMENT_DRAWS));

    /* Triangular (1, 2, 4): mean (1 + 2 + 4) / 3, variance (1 + 4 + 16 - 2 - 4 - 8) / 18,
     * within [1, 4]; P(X < 2) = (2 - 1) / (4 - 1). */
    size_t below_mode = 0;
    for (size_t k = 0; k < N_MOMENT_DRAWS; k++) {
        x[k] = ao_rng_triangular(&rng, 1.0, 2.0, 4.0);
        below_mode += x[k] < 2.0;
    }
    m = moments_of(x, N_MOMENT_DRAWS);
    assert_moments(&m, 7.0 / 3.0, 7.0 / 18.0);
    assert_true(m.min >= 1.0 && m.max <= 4.0);
    share = (double)below_mode / N_MOMENT_DRAWS;
    assert_true(fabs(share - 1.0 / 3.0) < 5 * sqrt((1.0 / 3.0) * (2.0 / 3.0) / N_MOMENT_DRAWS));
    /* A degenerate triangle is its one value. */
    assert_true(ao_rng_triangular(&rng, 3.0, 3.0, 3.0) == 3.0);
    free(x);
}

/* ---- PERCENTILE.INC ---- */

/*
 * Excel: =PERCENTILE.INC({15,20,35,40,50}, p). h = 4p: p = 0.1 gives h = 0.4, 15 + 0.4 ×
 * 5 = 17; p = 0.4 gives h = 1.6, 20 + 0.6 × 15 = 29; p = 0.5 gives 35; p = 0.9 gives
 * h = 3.6, 40 + 0.6 × 10 = 46; p = 0 and 1 give 15 and 50.
 */
static void test_percentile_inc(void **state)
{
    (void)state;
    const double x[] = {15, 20, 35, 40, 50};
    assert_true(fabs(ao_percentile_inc(x, 5, 0.1) - 17.0) < 1e-12);
    assert_true(fabs(ao_percentile_inc(x, 5, 0.4) - 29.0) < 1e-12);
    assert_true(ao_percentile_inc(x, 5, 0.5) == 35.0);
    assert_true(fabs(ao_percentile_inc(x, 5, 0.9) - 46.0) < 1e-12);
    assert_true(ao_percentile_inc(x, 5, 0.0) == 15.0);
    assert_true(ao_percentile_inc(x, 5, 1.0) == 50.0);
    /* Two values {1, 3}: P10 = 1 + 0.1 × 2 = 1.2; one value is every percentile. */
    const double two[] = {1, 3};
    assert_true(fabs(ao_percentile_inc(two, 2, 0.1) - 1.2) < 1e-12);
    assert_true(ao_percentile_inc(two + 1, 1, 0.9) == 3.0);
}

/* The summary of records laid out by hand: 4 optimal (objectives 4, 1, 3, 2 in sample
 * order), 1 infeasible, 1 invalid input. P50 of {1, 2, 3, 4} = 2.5; mean 2.5;
 * P(infeasible) = 1/6; breaches of ICB 0 in samples 0 and 4 (infeasible counts, invalid
 * input does not): 2 of 5. */
static void test_summary_by_hand(void **state)
{
    (void)state;
    /* The infeasible sample lacks £5,000 (its funding gap). */
    ao_sample_record records[6] = {
        {0, AO_SAMPLE_OPTIMAL, 4, 40, NAN},          {1, AO_SAMPLE_OPTIMAL, 1, 10, NAN},
        {2, AO_SAMPLE_INVALID_INPUT, NAN, NAN, NAN}, {3, AO_SAMPLE_OPTIMAL, 3, 30, NAN},
        {4, AO_SAMPLE_INFEASIBLE, NAN, NAN, 5000},   {5, AO_SAMPLE_OPTIMAL, 2, 20, NAN}};
    unsigned char breach[6] = {1, 0, 1, 0, 1, 0};
    /* Overspend of ICB I1 (£): the invalid sample's 999 is left out, the others sorted are
     * {0, 0, 0, 100, 300}: P50 (h = 2) is 0, P90 (h = 3.6) is 100 + 0.6 × 200 = 220. Its
     * budgets over the plan are 600 + 400 = £1,000 (G1's line is another pool's): a study
     * run works them out (test_overspend_of_a_merged_footprint), here they are given. */
    double overspend[6] = {100, 0, 999, 0, 300, 0};
    char id[] = "I1", name[] = "North", other[] = "G1";
    char *ids[] = {id}, *names[] = {name};
    double icb_budgets[] = {600 + 400};
    ao_study_budget budgets[] = {{id, "2025/26", AO_BUDGET_REVENUE, 600, 600},
                                 {other, "2025/26", AO_BUDGET_REVENUE, 5000, 5000},
                                 {id, "2025/26", AO_BUDGET_CAPITAL, 400, 0}};
    ao_study study = {.n_samples = 6,
                      .n_icbs = 1,
                      .icb_ids = ids,
                      .icb_names = names,
                      .icb_budgets = icb_budgets,
                      .n_budgets = 3,
                      .budgets = budgets,
                      .n_records = 6,
                      .records = records,
                      .breach = breach,
                      .overspend = overspend};
    ao_study_summary s;
    assert_int_equal(ao_study_summarise(&study, &s), AO_NO_ERROR);
    assert_int_equal(s.count[AO_SAMPLE_OPTIMAL], 4);
    assert_int_equal(s.n_valid, 5);
    assert_true(fabs(s.objective.p50 - 2.5) < 1e-12);
    assert_true(fabs(s.objective.mean - 2.5) < 1e-12);
    assert_true(fabs(s.objective.p10 - 1.3) < 1e-12); /* h = 0.3: 1 + 0.3 × 1 */
    assert_true(s.objective.min == 1 && s.objective.max == 4);
    assert_true(fabs(s.spend.p90 - 37.0) < 1e-12); /* h = 2.7: 30 + 0.7 × 10 */
    assert_true(fabs(s.p_infeasible - 1.0 / 6.0) < 1e-15);
    assert_int_equal(s.n_gaps, 1);
    assert_int_equal(s.n_unfixable, 0);
    assert_true(s.funding_gap.p50 == 5000.0 && s.funding_gap.p90 == 5000.0);
    assert_int_equal(s.breaches[0], 2);
    assert_true(fabs(s.p_breach[0] - 0.4) < 1e-15);
    assert_true(s.overspend[0].budget == 1000.0);
    assert_true(s.overspend[0].p50 == 0.0);
    assert_true(fabs(s.overspend[0].p90 - 220.0) < 1e-12);
    assert_true(s.overspend[0].p50_share == 0.0);
    assert_true(fabs(s.overspend[0].p90_share - 0.22) < 1e-15);
    /* 20 bins of width 0.15 from 1 to 4: 1 in bin 0, 2 in bin 6, 3 in bin 13, 4 in 19. */
    assert_int_equal(s.n_bins, AO_HISTOGRAM_BINS);
    assert_int_equal(s.bin_count[0], 1);
    assert_int_equal(s.bin_count[6], 1);
    assert_int_equal(s.bin_count[13], 1);
    assert_int_equal(s.bin_count[19], 1);
    ao_study_summary_free(&s);
}

/* ---- a closed-form study ---- */

/* The knapsack of test_plan.c: A £10 for 5 (need 50), B £20 for 4 (need 100). With a
 * revenue budget R the optimum is 0.5 R up to £500, 250 + 0.2 (R - 500) up to £2,500,
 * and 650 beyond. */
static double knapsack_optimum(double budget)
{
    if (budget <= 500.0)
        return 0.5 * budget;
    if (budget <= 2500.0)
        return 250.0 + 0.2 * (budget - 500.0);
    return 650.0;
}

#define KNAPSACK_TABLES(uncertainty)                                                               \
    {                                                                                              \
        "settings", "key,value\nfirst_year,2025\nyears,1\n", "icbs", "id,population\nI1,100000\n", \
            "budgets", "icb,year,revenue\nI1,2025/26,1000\n", "services",                          \
            "id,category,unit_cost,benefit\nA,specialised,10,5\nB,priority,20,4\n", "demand",      \
            "icb,service,need,baseline\nI1,A,50,0\nI1,B,100,0\n", "uncertainty", uncertainty, NULL \
    }

typedef struct solved {
    ao_tableset *tables;
    ao_model *model;
    ao_plan *plan;
    ao_uncertainty *u;
} solved;

static void solve_baseline(const char *const *pairs, solved *out)
{
    ao_diags diags;
    ao_diags_init(&diags);
    out->tables = support_tables(&diags, pairs);
    assert_non_null(out->tables);
    assert_int_equal(ao_model_build(out->tables, &out->model, &diags), AO_NO_ERROR);
    assert_int_equal(ao_uncertainty_read(out->tables, &out->u, &diags), AO_NO_ERROR);
    assert_non_null(out->u);
    assert_int_equal(diags.n_errors, 0);
    ao_plan_options options;
    ao_plan_options_set_default(&options);
    options.keep_basis = 1;
    assert_int_equal(ao_plan_solve(out->model, &options, &out->plan), AO_NO_ERROR);
    assert_int_equal(out->plan->status, AO_STATUS_OPTIMAL);
    ao_diags_free(&diags);
}

static void release(solved *s)
{
    ao_plan_free(s->plan);
    ao_model_free(s->model);
    ao_uncertainty_free(s->u);
    ao_tableset_free(s->tables);
}

static ao_study *run_study_tolerance(const solved *s, uint64_t seed, size_t samples, int shard,
                                     int n_shards, int threads, double breach_tolerance)
{
    ao_study_options options = {.seed = seed,
                                .n_samples = samples,
                                .shard = shard,
                                .n_shards = n_shards,
                                .threads = threads,
                                .arrangement = -1,
                                .breach_tolerance = breach_tolerance};
    ao_plan_options_set_default(&options.plan);
    ao_study *study = NULL;
    assert_int_equal(ao_study_run(s->tables, s->u, s->model, s->plan, &options, &study),
                     AO_NO_ERROR);
    return study;
}

static ao_study *run_study(const solved *s, uint64_t seed, size_t samples, int shard, int n_shards,
                           int threads)
{
    return run_study_tolerance(s, seed, samples, shard, n_shards, threads, 0.0);
}

/*
 * The budget scaled by a uniform draw from 0.3 to 3 (£300 to £3,000): every sample's
 * objective is the knapsack optimum at its drawn budget, and the baseline plan (which
 * spends £1,000) breaks the budget exactly in the samples drawn below £1,000.
 */
static void test_closed_form_knapsack(void **state)
{
    (void)state;
    const char *const pairs[] =
        KNAPSACK_TABLES("table,column,key,distribution,apply,low,high,draw\n"
                        "budgets,revenue,I1/2025,uniform,scale,0.3,3,shared\n");
    solved s;
    solve_baseline(pairs, &s);
    assert_int_equal(s.u->n_draws, 1);
    enum { SAMPLES = 60 };
    ao_study *study = run_study(&s, 11, SAMPLES, 1, 1, 3);
    assert_int_equal(study->n_records, SAMPLES);
    size_t below = 0;
    for (size_t k = 0; k < SAMPLES; k++) {
        const ao_sample_record *r = &study->records[k];
        double draw;
        ao_uncertainty_draw(s.u, 11, r->sample, &draw);
        double budget = 1000.0 * draw;
        assert_int_equal(r->sample, k);
        assert_int_equal(r->status, AO_SAMPLE_OPTIMAL);
        double expected = knapsack_optimum(budget);
        if (fabs(r->objective - expected) > 1e-7 * fmax(1.0, expected))
            fail_msg("sample %zu: budget %.6f, objective %.9f, expected %.9f", k, budget,
                     r->objective, expected);
        below += budget < 1000.0;
        assert_int_equal(study->breach[k], budget < 1000.0);
        /* The baseline spends its whole £1,000: over by what the draw takes away. */
        assert_true(fabs(study->overspend[k] - fmax(0.0, 1000.0 - budget)) < 1e-5);
    }
    ao_study_summary summary;
    assert_int_equal(ao_study_summarise(study, &summary), AO_NO_ERROR);
    assert_true(below > 0 && below < SAMPLES);
    assert_true(summary.p_breach[0] == (double)below / SAMPLES);
    assert_true(summary.p_infeasible == 0.0);
    ao_study_summary_free(&summary);
    ao_study_free(study);
    release(&s);
}

/* A draw that makes a budget negative makes that sample's input invalid: counted, not
 * solved, not a crash. add normal(-2000, 10): every sample goes below zero. */
static void test_invalid_samples_counted(void **state)
{
    (void)state;
    const char *const pairs[] = KNAPSACK_TABLES("table,column,key,distribution,apply,mean,sd\n"
                                                "budgets,revenue,*/*,normal,add,-2000,10\n");
    solved s;
    solve_baseline(pairs, &s);
    ao_study *study = run_study(&s, 1, 5, 1, 1, 1);
    ao_study_summary summary;
    assert_int_equal(ao_study_summarise(study, &summary), AO_NO_ERROR);
    assert_int_equal(summary.count[AO_SAMPLE_INVALID_INPUT], 5);
    assert_true(summary.p_invalid == 1.0);
    assert_int_equal(summary.objective.n, 0);
    assert_int_equal(summary.n_bins, 0);
    ao_study_summary_free(&summary);
    ao_study_free(study);
    release(&s);
}

/* Shards hold exactly the full run's records; written, read back and merged they give
 * the full run's records, number for number. */
static void test_shards_merge_to_full_run(void **state)
{
    (void)state;
    const char *const pairs[] = KNAPSACK_TABLES("table,column,key,distribution,low,likely,high\n"
                                                "budgets,revenue,I1/2025,triangular,0.2,1,2.8\n"
                                                "services,benefit,*,triangular,0.9,1,1.1\n");
    solved s;
    solve_baseline(pairs, &s);
    assert_int_equal(s.u->n_draws, 3);
    enum { SAMPLES = 23, SHARDS = 4 };
    ao_study *full = run_study(&s, 5, SAMPLES, 1, 1, 2);
    ao_study *parts[SHARDS];
    char paths[SHARDS][64];
    const char *path_list[SHARDS];
    for (int k = 0; k < SHARDS; k++) {
        ao_study *shard = run_study(&s, 5, SAMPLES, k + 1, SHARDS, 1 + k % 2);
        for (size_t q = 0; q < shard->n_records; q++) {
            const ao_sample_record *r = &shard->records[q];
            assert_int_equal(r->sample % SHARDS, (uint64_t)k);
            assert_true(memcmp(r, &full->records[r->sample], sizeof *r) == 0);
        }
        snprintf(paths[k], sizeof paths[k], "test_uncertainty_part%d_%ld.json", k, (long)getpid());
        assert_int_equal(ao_partial_write(paths[k], shard), AO_NO_ERROR);
        ao_study_free(shard);
        ao_diags why;
        ao_diags_init(&why);
        /* Read back in another order than written. */
        int at = (k + 1) % SHARDS;
        path_list[at] = paths[k];
        assert_int_equal(ao_partial_read(paths[k], &parts[at], &why), AO_NO_ERROR);
        assert_int_equal(why.count, 0);
    }
    ao_study *merged = NULL;
    ao_diags why;
    ao_diags_init(&why);
    assert_int_equal(ao_partial_merge(parts, path_list, SHARDS, &merged, &why), AO_NO_ERROR);
    assert_int_equal(merged->n_records, SAMPLES);
    for (size_t k = 0; k < SAMPLES; k++) {
        const ao_sample_record *a = &full->records[k], *b = &merged->records[k];
        assert_int_equal(a->sample, b->sample);
        assert_int_equal(a->status, b->status);
        assert_true(memcmp(&a->objective, &b->objective, sizeof a->objective) == 0);
        assert_true(memcmp(&a->spend, &b->spend, sizeof a->spend) == 0);
    }
    assert_memory_equal(full->breach, merged->breach, SAMPLES * full->n_icbs);
    assert_memory_equal(full->overspend, merged->overspend,
                        SAMPLES * full->n_icbs * sizeof *full->overspend);
    assert_string_equal(full->fingerprint, merged->fingerprint);
    ao_study_free(merged);

    /* Without the last shard: refused, naming what is missing. */
    assert_int_equal(ao_partial_merge(parts, path_list, SHARDS - 1, &merged, &why), AO_ERROR_INPUT);
    assert_int_equal(why.n_errors, 1);
    assert_non_null(strstr(why.items[0].message, "is missing"));
    ao_diags_free(&why);
    for (int k = 0; k < SHARDS; k++) {
        ao_study_free(parts[k]);
        unlink(paths[k]);
    }
    ao_study_free(full);
    release(&s);
}

/* ---- the size of a breach, and the tolerance ---- */

/* One ICB, one year, a revenue budget of £1,000,000 and need costing £2,500,000 (A: 50,000
 * units at £10, B: 100,000 at £20): the baseline plan spends the whole budget. The
 * uncertainty row scales the budget by exactly `draw` (a uniform draw from draw to draw). */
#define MILLION_TABLES(draw)                                                                       \
    {                                                                                              \
        "settings", "key,value\nfirst_year,2025\nyears,1\n", "icbs", "id,population\nI1,100000\n", \
            "budgets", "icb,year,revenue\nI1,2025/26,1000000\n", "services",                       \
            "id,category,unit_cost,benefit\nA,specialised,10,5\nB,priority,20,4\n", "demand",      \
            "icb,service,need,baseline\nI1,A,50000,0\nI1,B,100000,0\n", "uncertainty",             \
            "table,column,key,distribution,apply,low,high,draw\n"                                  \
            "budgets,revenue,I1/2025,uniform,scale," draw "," draw ",shared\n",                    \
            NULL                                                                                   \
    }

/*
 * The budget falls to 97 %: £970,000 against the plan's £1,000,000 is £30,000 over, 3 % of
 * the ICB's £1,000,000 of budgets over the plan (revenue £1,000,000, capital £0), in every
 * sample, so P50 = P90 = £30,000. Pounds are compared to the penny: the simplex meets a
 * £1,000,000 budget to within a few parts in 10^9.
 */
static void test_overspend_by_hand(void **state)
{
    (void)state;
    const char *const pairs[] = MILLION_TABLES("0.97");
    solved s;
    solve_baseline(pairs, &s);
    assert_int_equal(s.plan->budgets[0].kind, AO_BUDGET_REVENUE);
    assert_true(fabs(s.plan->budgets[0].used - 1000000.0) < 0.01);
    enum { SAMPLES = 4 };
    ao_study *study = run_study(&s, 3, SAMPLES, 1, 1, 2);
    for (size_t k = 0; k < SAMPLES; k++) {
        assert_int_equal(study->records[k].status, AO_SAMPLE_OPTIMAL);
        assert_int_equal(study->breach[k], 1);
        if (fabs(study->overspend[k] - 30000.0) > 0.01)
            fail_msg("sample %zu: overspend £%.6f, expected £30,000", k, study->overspend[k]);
    }
    ao_study_summary summary;
    assert_int_equal(ao_study_summarise(study, &summary), AO_NO_ERROR);
    assert_int_equal(summary.breaches[0], SAMPLES);
    assert_true(summary.p_breach[0] == 1.0);
    const ao_overspend_stats *o = &summary.overspend[0];
    assert_true(o->budget == 1000000.0);
    assert_true(fabs(o->p50 - 30000.0) < 0.01 && fabs(o->p90 - 30000.0) < 0.01);
    assert_true(fabs(o->p50_share - 0.03) < 1e-8 && fabs(o->p90_share - 0.03) < 1e-8);
    ao_study_summary_free(&summary);
    ao_study_free(study);
    release(&s);
}

/*
 * The budget falls by 0.1 % (£999,000 against £1,000,000: £1,000 over). With no tolerance
 * that is a breach; with a tolerance of 1 % (£10,000 here) it is not, and the overspend of
 * £1,000 is still reported; with 0.05 % (£499.50) it is a breach again.
 */
static void test_tolerance_forgives_small_shortfall(void **state)
{
    (void)state;
    const char *const pairs[] = MILLION_TABLES("0.999");
    solved s;
    solve_baseline(pairs, &s);
    const struct {
        double tolerance;
        int breached;
    } cases[] = {{0.0, 1}, {0.01, 0}, {0.0005, 1}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        ao_study *study = run_study_tolerance(&s, 3, 2, 1, 1, 1, cases[c].tolerance);
        assert_true(study->breach_tolerance == cases[c].tolerance);
        for (size_t k = 0; k < 2; k++) {
            if (study->breach[k] != cases[c].breached)
                fail_msg("tolerance %g, sample %zu: breach %d, expected %d", cases[c].tolerance, k,
                         study->breach[k], cases[c].breached);
            assert_true(fabs(study->overspend[k] - 1000.0) < 0.01);
        }
        ao_study_summary summary;
        assert_int_equal(ao_study_summarise(study, &summary), AO_NO_ERROR);
        assert_true(summary.p_breach[0] == (double)cases[c].breached);
        assert_true(fabs(summary.overspend[0].p50 - 1000.0) < 0.01);
        assert_true(fabs(summary.overspend[0].p90_share - 0.001) < 1e-8);
        ao_study_summary_free(&summary);
        ao_study_free(study);
    }
    release(&s);
}

/*
 * Rule 14, one specialised service of two pooled nationally: the ICB's own revenue row
 * holds revenue less half its £200,000 specialised allocation (the national weight is 1/2:
 * both services cost £1,000,000 of need), £900,000, and the plan spends all of it. Drawn
 * at 97 %, revenue is £970,000 and the row £870,000: £30,000 over (1/30 of £900,000),
 * not £0 as revenue alone (£970,000 against £900,000) would say.
 */
static void test_overspend_of_a_partly_pooled_budget(void **state)
{
    (void)state;
    const char *const pairs[] = {
        "settings",
        "key,value\nfirst_year,2025\nyears,1\n",
        "icbs",
        "id,population\nI1,100000\n",
        "budgets",
        "icb,year,revenue,specialised\nI1,2025/26,1000000,200000\n",
        "services",
        "id,category,unit_cost,benefit\nA,specialised,10,5\nB,specialised,10,5\n"
        "C,priority,20,4\n",
        "demand",
        "icb,service,need,baseline\nI1,A,100000,0\nI1,B,100000,0\nI1,C,100000,0\n",
        "arrangements",
        "services,icbs,from_year,arrangement\nservice:A,*,2025,national\n",
        "uncertainty",
        "table,column,key,distribution,apply,low,high,draw\n"
        "budgets,revenue,I1/2025,uniform,scale,0.97,0.97,shared\n",
        NULL};
    solved s;
    solve_baseline(pairs, &s);
    assert_int_equal(s.plan->budgets[0].kind, AO_BUDGET_REVENUE);
    assert_true(fabs(s.plan->budgets[0].available - 900000.0) < 1e-6);
    assert_true(fabs(s.plan->budgets[0].used - 900000.0) < 0.01);
    ao_study *study = run_study(&s, 1, 2, 1, 1, 1);
    for (size_t k = 0; k < 2; k++) {
        assert_int_equal(study->breach[k], 1);
        if (fabs(study->overspend[k] - 30000.0) > 0.01)
            fail_msg("sample %zu: overspend £%.6f, expected £30,000", k, study->overspend[k]);
    }
    ao_study_summary summary;
    assert_int_equal(ao_study_summarise(study, &summary), AO_NO_ERROR);
    assert_true(fabs(summary.overspend[0].budget - 900000.0) < 1e-6);
    assert_true(fabs(summary.overspend[0].p90_share - 1.0 / 30.0) < 1e-8);
    ao_study_summary_free(&summary);
    ao_study_free(study);
    release(&s);
}

/*
 * Rule 15: I1 (£1,000,000) and I2 (£500,000) merge from the first year, and the plan
 * spends the footprint's £1,500,000. Only I1's revenue is drawn, at 97 %: the footprint
 * is £30,000 over, shared in proportion to the budgets drawn (£970,000 and £500,000 of
 * £1,470,000): £19,795.92 for I1 and £10,204.08 for I2, and a breach for both.
 */
static void test_overspend_of_a_merged_footprint(void **state)
{
    (void)state;
    const char *const pairs[] = {
        "settings",
        "key,value\nfirst_year,2025\nyears,1\n",
        "icbs",
        "id,population\nI1,100000\nI2,50000\n",
        "budgets",
        "icb,year,revenue\nI1,2025/26,1000000\nI2,2025/26,500000\n",
        "services",
        "id,category,unit_cost,benefit\nA,specialised,10,5\nB,priority,20,4\n",
        "demand",
        "icb,service,need,baseline\nI1,A,50000,0\nI1,B,100000,0\nI2,A,50000,0\n"
        "I2,B,100000,0\n",
        "icb_changes",
        "icb,becomes,from_year\nI1,I12,2025\nI2,I12,2025\n",
        "uncertainty",
        "table,column,key,distribution,apply,low,high,draw\n"
        "budgets,revenue,I1/2025,uniform,scale,0.97,0.97,shared\n",
        NULL};
    solved s;
    solve_baseline(pairs, &s);
    assert_string_equal(s.plan->budgets[0].pool, "I12");
    assert_true(fabs(s.plan->budgets[0].used - 1500000.0) < 0.01);
    ao_study *study = run_study(&s, 1, 2, 1, 1, 1);
    for (size_t k = 0; k < 2; k++) {
        assert_int_equal(study->breach[2 * k], 1);
        assert_int_equal(study->breach[2 * k + 1], 1);
        double expected[2] = {30000.0 * 970000.0 / 1470000.0, 30000.0 * 500000.0 / 1470000.0};
        for (int i = 0; i < 2; i++)
            if (fabs(study->overspend[2 * k + (size_t)i] - expected[i]) > 0.01)
                fail_msg("sample %zu, ICB %d: overspend £%.6f, expected £%.6f", k, i,
                         study->overspend[2 * k + (size_t)i], expected[i]);
    }
    /* Each ICB's budgets are its part of the footprint's £1,500,000 (as budgeted: £1,000,000
     * and £500,000), so the overspend shares are I1's £19,795.92 of £1,000,000 and I2's
     * £10,204.08 of £500,000 (to the penny, as the overspend above). */
    ao_study_summary summary;
    assert_int_equal(ao_study_summarise(study, &summary), AO_NO_ERROR);
    double budget[2] = {1000000.0, 500000.0};
    double share[2] = {30000.0 * 970000.0 / 1470000.0 / budget[0],
                       30000.0 * 500000.0 / 1470000.0 / budget[1]};
    for (int i = 0; i < 2; i++)
        if (!(fabs(summary.overspend[i].budget - budget[i]) <= 1e-6) ||
            !(fabs(summary.overspend[i].p90_share - share[i]) <= 0.01 / budget[i]))
            fail_msg("ICB %d: budgets £%.2f, P90 overspend share %.9f; expected £%.2f, %.9f", i,
                     summary.overspend[i].budget, summary.overspend[i].p90_share, budget[i],
                     share[i]);
    ao_study_summary_free(&summary);
    ao_study_free(study);
    release(&s);
}

/* A tolerance is a share from 0 up to, not including, 100 %. */
static void test_tolerance_range(void **state)
{
    (void)state;
    assert_true(ao_breach_tolerance_valid(0.0));
    assert_true(ao_breach_tolerance_valid(0.01));
    assert_true(ao_breach_tolerance_valid(0.999));
    assert_false(ao_breach_tolerance_valid(1.0));
    assert_false(ao_breach_tolerance_valid(1.5));
    assert_false(ao_breach_tolerance_valid(-0.01));
    assert_false(ao_breach_tolerance_valid(NAN));
    const char *const pairs[] = MILLION_TABLES("0.999");
    solved s;
    solve_baseline(pairs, &s);
    ao_study_options options = {
        .seed = 1, .n_samples = 2, .shard = 1, .n_shards = 1, .threads = 1, .arrangement = -1};
    ao_plan_options_set_default(&options.plan);
    const double refused[] = {1.0, -0.01, NAN, INFINITY};
    for (size_t k = 0; k < sizeof refused / sizeof refused[0]; k++) {
        ao_study *study = NULL;
        options.breach_tolerance = refused[k];
        assert_int_equal(ao_study_run(s.tables, s.u, s.model, s.plan, &options, &study),
                         AO_ERROR_OPTIONS);
        assert_null(study);
    }
    release(&s);
}

/* ---- partial results keep the overspend and the tolerance ---- */

static char *read_text(const char *path)
{
    FILE *file = fopen(path, "rb");
    assert_non_null(file);
    char *text = calloc(1, 1 << 20);
    assert_non_null(text);
    size_t n = fread(text, 1, (1 << 20) - 1, file);
    assert_true(n > 0 && feof(file));
    fclose(file);
    return text;
}

static void write_text(const char *path, const char *text)
{
    FILE *file = fopen(path, "wb");
    assert_non_null(file);
    assert_int_equal(fwrite(text, 1, strlen(text), file), strlen(text));
    assert_int_equal(fclose(file), 0);
}

/* A partial result changed by hand (from `cut` to its end, or a piece, replaced) must be
 * refused, with a message holding `why`. */
static void assert_refused(const char *path, const char *why)
{
    ao_study *study = NULL;
    ao_diags diags;
    ao_diags_init(&diags);
    assert_int_equal(ao_partial_read(path, &study, &diags), AO_ERROR_INPUT);
    assert_null(study);
    assert_int_equal(diags.n_errors, 1);
    if (strstr(diags.items[0].message, why) == NULL)
        fail_msg("'%s' does not say '%s'", diags.items[0].message, why);
    ao_diags_free(&diags);
}

static void test_partial_keeps_overspend(void **state)
{
    (void)state;
    const char *const pairs[] = KNAPSACK_TABLES("table,column,key,distribution,low,likely,high\n"
                                                "budgets,revenue,I1/2025,triangular,0.2,1,2.8\n");
    solved s;
    solve_baseline(pairs, &s);
    enum { SAMPLES = 9 };
    ao_study *full = run_study_tolerance(&s, 4, SAMPLES, 1, 1, 1, 0.01);
    char paths[3][64];
    for (int k = 0; k < 3; k++)
        snprintf(paths[k], sizeof paths[k], "test_uncertainty_over%d_%ld.json", k, (long)getpid());
    /* Shard 1/2 and shard 2/2 with the same tolerance; shard 2/2 again with none. */
    const double tolerance[3] = {0.01, 0.01, 0.0};
    ao_study *parts[3];
    for (int k = 0; k < 3; k++) {
        ao_study *shard = run_study_tolerance(&s, 4, SAMPLES, k == 0 ? 1 : 2, 2, 1, tolerance[k]);
        assert_int_equal(ao_partial_write(paths[k], shard), AO_NO_ERROR);
        ao_diags why;
        ao_diags_init(&why);
        assert_int_equal(ao_partial_read(paths[k], &parts[k], &why), AO_NO_ERROR);
        assert_true(parts[k]->breach_tolerance == tolerance[k]);
        assert_memory_equal(parts[k]->overspend, shard->overspend,
                            shard->n_records * shard->n_icbs * sizeof *shard->overspend);
        ao_diags_free(&why);
        ao_study_free(shard);
    }
    int over = 0;
    for (size_t k = 0; k < SAMPLES; k++)
        over += full->overspend[k] > 0;
    assert_true(over > 0 && over < SAMPLES); /* budgets drawn below £1,000 and above */

    ao_study *merged = NULL;
    ao_diags why;
    ao_diags_init(&why);
    const char *same[2] = {paths[0], paths[1]};
    assert_int_equal(ao_partial_merge(parts, same, 2, &merged, &why), AO_NO_ERROR);
    assert_true(merged->breach_tolerance == 0.01);
    assert_memory_equal(merged->overspend, full->overspend, SAMPLES * sizeof *full->overspend);
    assert_memory_equal(merged->breach, full->breach, SAMPLES);
    ao_study_free(merged);

    /* Shards run with different tolerances do not merge. */
    ao_study *mixed[2] = {parts[0], parts[2]};
    const char *mixed_paths[2] = {paths[0], paths[2]};
    assert_int_equal(ao_partial_merge(mixed, mixed_paths, 2, &merged, &why), AO_ERROR_INPUT);
    assert_null(merged);
    assert_int_equal(why.n_errors, 1);
    assert_non_null(strstr(why.items[0].message, "--breach-tolerance 0%"));
    assert_non_null(strstr(why.items[0].message, "with 1%"));
    ao_diags_free(&why);

    /* A record without its overspend, and a file of the format before it, are refused. */
    char *text = read_text(paths[0]);
    char *cut = strstr(text, ",\"overspend\":[");
    assert_non_null(cut);
    char *after = strchr(cut, ']');
    memmove(cut, after + 1, strlen(after + 1) + 1);
    write_text(paths[0], text);
    assert_refused(paths[0], "record 1 has no overspend");
    free(text);
    text = read_text(paths[1]);
    char *version = strstr(text, "\"format_version\":2,");
    assert_non_null(version);
    version[strlen("\"format_version\":")] = '1';
    write_text(paths[1], text);
    assert_refused(paths[1], "run this shard again");
    free(text);

    for (int k = 0; k < 3; k++) {
        ao_study_free(parts[k]);
        unlink(paths[k]);
    }
    ao_study_free(full);
    release(&s);
}

/* ---- the uncertainty table's problems ---- */

static void test_bad_rows_are_placed(void **state)
{
    (void)state;
    const char *const pairs[] = KNAPSACK_TABLES(
        "table,column,key,distribution,apply,mean,sd,low,likely,high,draw\n"
        "budget,revenue,I1/2025,normal,,1,0.1,,,,\n"           /* 2: unknown table */
        "budgets,revnue,I1/2025,normal,,1,0.1,,,,\n"           /* 3: unknown column */
        "budgets,year,I1/2025,normal,,1,0.1,,,,\n"             /* 4: key column */
        "budgets,revenue,I9/2025,normal,,1,0.1,,,,\n"          /* 5: no row matches */
        "budgets,revenue,I1/2025,lognormal,,1,0.1,,,,\n"       /* 6: distribution */
        "budgets,revenue,I1/2025,normal,,1,,,,,\n"             /* 7: sd missing */
        "budgets,revenue,I1/2025,normal,,1,-0.1,,,,\n"         /* 8: sd negative */
        "budgets,revenue,I1/2025,uniform,,,,1.2,,0.8,\n"       /* 9: low above high */
        "budgets,revenue,I1/2025,triangular,,,,0.8,1.3,1.2,\n" /* 10: likely outside */
        "budgets,revenue,I1/2025,normal,multiply,1,0.1,,,,\n"  /* 11: apply */
        "budgets,revenue,I1/2025,normal,,1,0.1,,,,some\n"      /* 12: draw */
        "services,category,A,normal,,1,0.1,,,,\n"              /* 13: not a number */
        "budgets,revenue,I1,normal,,1,0.1,,,,\n"               /* 14: key shape */
        "budgets,revenue,I1/2025,uniform,,,,ten,,2,\n"         /* 15: not a number */
        "budgets,revenue,,normal,,1,0.1,,,,\n"                 /* 16: incomplete */
        "budgets,revenue,I1/2025,normal,,1,0.1,,,,\n");        /* 17: fine */
    ao_diags diags;
    ao_diags_init(&diags);
    ao_tableset *tables = support_tables(&diags, pairs);
    assert_non_null(tables);
    ao_uncertainty *u = NULL;
    assert_int_equal(ao_uncertainty_read(tables, &u, &diags), AO_ERROR_INPUT);
    assert_null(u);
    const struct {
        const char *text, *column;
        long row;
    } expected[] = {
        {"cannot change table 'budget'", "table", 2},
        {"column 'revnue' is not in table budgets", "column", 3},
        {"part of table budgets's key", "column", 4},
        {"no row of table budgets matches key 'I9/2025'", "key", 5},
        {"must be normal, uniform or triangular, not 'lognormal'", "distribution", 6},
        {"a normal distribution needs sd", "sd", 7},
        {"sd cannot be negative", "sd", 8},
        {"must not be below low", "high", 9},
        {"must be between low", "likely", 10},
        {"apply must be scale or add", "apply", 11},
        {"draw must be each or shared", "draw", 12},
        {"the cell to change is not a number (services row 2, column category)", "key", 13},
        {"key 'I1' does not fit table budgets", "key", 14},
        {"low must be a number, not 'ten'", "low", 15},
        {"this uncertainty row is incomplete", "key", 16},
    };
    for (size_t k = 0; k < sizeof expected / sizeof expected[0]; k++)
        if (support_find_diag(&diags, expected[k].text, "uncertainty", expected[k].column,
                              expected[k].row) == NULL)
            fail_msg("no diagnostic '%s' at row %ld, column %s", expected[k].text, expected[k].row,
                     expected[k].column);
    assert_int_equal(diags.n_errors, sizeof expected / sizeof expected[0]);
    ao_diags_free(&diags);
    ao_tableset_free(tables);
}

/* Draws are applied rows first, then cells in table order; a shared row draws once. */
static void test_draw_order_and_sharing(void **state)
{
    (void)state;
    const char *const pairs[] =
        KNAPSACK_TABLES("table,column,key,distribution,apply,low,high,draw\n"
                        "demand,need,I1/*,uniform,add,-1,1,each\n"
                        "services,unit_cost,*,uniform,scale,2,3,shared\n");
    ao_diags diags;
    ao_diags_init(&diags);
    ao_tableset *tables = support_tables(&diags, pairs);
    ao_uncertainty *u = NULL;
    assert_int_equal(ao_uncertainty_read(tables, &u, &diags), AO_NO_ERROR);
    assert_int_equal(u->n_draws, 3); /* two demand cells, one shared */
    double draws[3];
    ao_uncertainty_draw(u, 9, 4, draws);
    /* The same stream by hand: uniform(-1, 1) twice, then uniform(2, 3). */
    ao_rng rng;
    ao_rng_seed(&rng, 9, 4);
    for (int k = 0; k < 2; k++)
        assert_true(draws[k] == -1.0 + 2.0 * ao_rng_uniform(&rng));
    assert_true(draws[2] == 2.0 + 1.0 * ao_rng_uniform(&rng));
    ao_tableset *copy = NULL;
    int valid = 0;
    assert_int_equal(ao_uncertainty_apply(u, tables, draws, &copy, &valid), AO_NO_ERROR);
    assert_true(valid);
    const ao_table *demand = ao_tableset_find(copy, "demand");
    const ao_table *services = ao_tableset_find(copy, "services");
    double need_a, need_b, cost_a, cost_b;
    ao_parse_number(ao_table_cell(demand, 0, ao_table_col(demand, "need")), &need_a);
    ao_parse_number(ao_table_cell(demand, 1, ao_table_col(demand, "need")), &need_b);
    ao_parse_number(ao_table_cell(services, 0, ao_table_col(services, "unit_cost")), &cost_a);
    ao_parse_number(ao_table_cell(services, 1, ao_table_col(services, "unit_cost")), &cost_b);
    assert_true(need_a == 50.0 + draws[0]);
    assert_true(need_b == 100.0 + draws[1]);
    assert_true(cost_a == 10.0 * draws[2]);
    assert_true(cost_b == 20.0 * draws[2]);
    ao_tableset_free(copy);
    ao_uncertainty_free(u);
    ao_diags_free(&diags);
    ao_tableset_free(tables);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rng_reproducible),
        cmocka_unit_test(test_splitmix_known_value),
        cmocka_unit_test(test_rng_subsets_independent),
        cmocka_unit_test(test_distribution_moments),
        cmocka_unit_test(test_percentile_inc),
        cmocka_unit_test(test_summary_by_hand),
        cmocka_unit_test(test_closed_form_knapsack),
        cmocka_unit_test(test_invalid_samples_counted),
        cmocka_unit_test(test_shards_merge_to_full_run),
        cmocka_unit_test(test_overspend_by_hand),
        cmocka_unit_test(test_tolerance_forgives_small_shortfall),
        cmocka_unit_test(test_overspend_of_a_partly_pooled_budget),
        cmocka_unit_test(test_overspend_of_a_merged_footprint),
        cmocka_unit_test(test_tolerance_range),
        cmocka_unit_test(test_partial_keeps_overspend),
        cmocka_unit_test(test_bad_rows_are_placed),
        cmocka_unit_test(test_draw_order_and_sharing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
