/* A whole run through app/run.h, as an embedding program calls it: no CLI involved. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "app/run.h"
#include "app/sweep.h"
#include "io/output_owner.h"
#include "support.h"

#define TMP AO_BINARY_DIR "/test_run_tmp"

/* The knapsack of test_sweep.c: A (0.5 per £, £500 in all) then B (0.2 per £). */
static const char *const knapsack[] = {
    "settings",
    "key,value\nfirst_year,2025\nyears,1\n",
    "icbs",
    "id,population\nI1,1\n",
    "budgets",
    "icb,year,revenue\nI1,2025,\"£1,000\"\n",
    "services",
    "id,category,unit_cost,benefit\nA,specialised,10,5\nB,priority,20,4\n",
    "demand",
    "icb,service,need,baseline\nI1,A,50,0\nI1,B,100,0\n",
    "uncertainty",
    "table,column,key,distribution,apply,mean,sd,low,likely,high,draw\n"
    "budgets,revenue,*/*,uniform,scale,,,0.5,,1.5,shared\n",
    NULL};

/* An input held in memory: read_context is the list of (table, CSV text) pairs. */
static ao_error read_pairs(void *context, ao_tableset **out, ao_diags *diags)
{
    *out = support_tables(diags, context);
    return *out != NULL ? AO_NO_ERROR : AO_ERROR_MEMORY_MALLOC_FAILED;
}

typedef struct stages {
    ao_run_stage seen[16];
    size_t n;
} stages;

static void record_stage(void *context, ao_run_stage stage, const ao_run_result *run)
{
    (void)run;
    stages *s = context;
    if (s->n < 16)
        s->seen[s->n++] = stage;
}

static int file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && st.st_size > 0;
}

static int setup(void **state)
{
    (void)state;
    support_remove_tree(TMP);
    return mkdir(TMP, 0777);
}

static int teardown(void **state)
{
    (void)state;
    support_remove_tree(TMP);
    return 0;
}

/* The bundled example with every scenario: each stage in order, every output written,
 * and the plans the same with one thread or three. */
static void test_example_all_scenarios(void **state)
{
    (void)state;
    stages seen = {0};
    ao_run_options options;
    ao_run_options_set_default(&options);
    options.input = AO_SOURCE_DIR "/examples/england";
    options.all_scenarios = 1;
    options.threads = 1;
    options.output = TMP "/one.xlsx";
    options.json = TMP "/one.json";
    options.on_stage = record_stage;
    options.progress_context = &seen;
    ao_run_result *one = NULL;
    assert_int_equal(ao_run(&options, &one), AO_NO_ERROR);
    assert_non_null(one);
    assert_int_equal(one->stage, AO_RUN_DONE);
    assert_null(one->reason);
    assert_int_equal(ao_run_status(one), AO_STATUS_OPTIMAL);
    assert_true(one->n_cases > 1);
    assert_true(file_exists(options.output));
    assert_true(file_exists(options.json));
    assert_int_equal(ao_output_owner_of(options.output), AO_OUTPUT_ALLOCOPT);
    const ao_run_stage expected[] = {AO_RUN_READ,  AO_RUN_CHECK,  AO_RUN_OUTPUTS,
                                     AO_RUN_SOLVE, AO_RUN_VERIFY, AO_RUN_WRITE};
    assert_int_equal(seen.n, sizeof expected / sizeof expected[0]);
    for (size_t k = 0; k < seen.n; k++)
        assert_int_equal(seen.seen[k], expected[k]);

    options.threads = 3;
    options.output = TMP "/three.xlsx";
    options.json = NULL;
    options.on_stage = NULL;
    ao_run_result *three = NULL;
    assert_int_equal(ao_run(&options, &three), AO_NO_ERROR);
    assert_int_equal(three->n_cases, one->n_cases);
    for (size_t k = 0; k < one->n_cases; k++) {
        assert_string_equal(three->cases[k].name, one->cases[k].name);
        assert_int_equal(three->cases[k].plan->status, one->cases[k].plan->status);
        if (one->cases[k].plan->status == AO_STATUS_OPTIMAL)
            assert_true(three->cases[k].plan->objective == one->cases[k].plan->objective);
    }
    ao_run_result_free(one);
    ao_run_result_free(three);
}

/* No feasible plan is an outcome: the workbook with the reason is still written. */
static void test_infeasible(void **state)
{
    (void)state;
    ao_run_options options;
    ao_run_options_set_default(&options);
    options.input = AO_SOURCE_DIR "/tests/data/infeasible/standards_over_budget";
    options.output = TMP "/infeasible.xlsx";
    ao_run_result *run = NULL;
    assert_int_equal(ao_run(&options, &run), AO_NO_ERROR);
    assert_int_equal(ao_run_status(run), AO_STATUS_INFEASIBLE);
    assert_non_null(run->cases[0].plan->infeasibility);
    assert_true(file_exists(options.output));
    ao_run_result_free(run);
}

/* An input held in memory, with an uncertainty study: the records do not depend on the
 * number of threads. */
static void test_study_from_memory(void **state)
{
    (void)state;
    ao_run_result *runs[2] = {NULL, NULL};
    const char *outputs[2] = {TMP "/study1.xlsx", TMP "/study4.xlsx"};
    const int threads[2] = {1, 4};
    for (int r = 0; r < 2; r++) {
        ao_run_options options;
        ao_run_options_set_default(&options);
        options.read = read_pairs;
        options.read_context = (void *)knapsack;
        options.label = "knapsack";
        options.samples = 12;
        options.seed = 5;
        options.threads = threads[r];
        options.output = outputs[r];
        assert_int_equal(ao_run(&options, &runs[r]), AO_NO_ERROR);
        assert_int_equal(ao_run_status(runs[r]), AO_STATUS_OPTIMAL);
        assert_non_null(runs[r]->study);
        assert_true(file_exists(outputs[r]));
    }
    assert_int_equal(runs[0]->study->n_records, 12);
    assert_int_equal(runs[1]->study->n_records, 12);
    for (size_t k = 0; k < 12; k++) {
        const ao_sample_record *a = &runs[0]->study->records[k], *b = &runs[1]->study->records[k];
        assert_int_equal(a->sample, b->sample);
        assert_int_equal(a->status, b->status);
        assert_memory_equal(&a->objective, &b->objective, sizeof a->objective);
    }
    ao_run_result_free(runs[0]);
    ao_run_result_free(runs[1]);
}

/* Input errors stop the run before anything is solved or written. */
static void test_input_errors(void **state)
{
    (void)state;
    const char *const bad[] = {"settings", "key,value\nfirst_year,2025\nyears,1\n",
                               "icbs",     "id,population\nI1,1\n",
                               "budgets",  "icb,year,revenue\nI1,2025,12x\n",
                               "services", "id,category,unit_cost,benefit\nA,specialised,10,5\n",
                               "demand",   "icb,service,need,baseline\nI1,A,50,0\n",
                               NULL};
    ao_run_options options;
    ao_run_options_set_default(&options);
    options.read = read_pairs;
    options.read_context = (void *)bad;
    options.output = TMP "/never.xlsx";
    ao_run_result *run = NULL;
    assert_int_equal(ao_run(&options, &run), AO_ERROR_INPUT);
    assert_int_equal(run->error, AO_ERROR_INPUT);
    assert_int_equal(run->stage, AO_RUN_CHECK);
    assert_true(run->diags.n_errors > 0);
    assert_non_null(support_find_diag(&run->diags, "12x", "budgets", "revenue", 0));
    assert_int_equal(ao_run_status(run), AO_STATUS_NOT_SOLVED);
    assert_false(file_exists(options.output));
    ao_run_result_free(run);
}

/* A file that is not allocopt's is not replaced: the reason is a diagnostic. */
static void test_output_refused(void **state)
{
    (void)state;
    const char *path = TMP "/notes.xlsx";
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("an analyst's notes\n", f);
    fclose(f);
    ao_run_options options;
    ao_run_options_set_default(&options);
    options.read = read_pairs;
    options.read_context = (void *)knapsack;
    options.output = path;
    ao_run_result *run = NULL;
    assert_int_equal(ao_run(&options, &run), AO_ERROR_OPTIONS);
    assert_int_equal(run->stage, AO_RUN_OUTPUTS);
    assert_non_null(run->reason);
    assert_non_null(strstr(run->reason->message, "is not an allocopt output"));
    assert_int_equal(ao_output_owner_of(path), AO_OUTPUT_OTHER);
    ao_run_result_free(run);
}

/* A sweep through app/sweep.h: every point solved and the frontier written; a file that is
 * not allocopt's is not replaced, and the reason is a diagnostic. */
static void test_sweep(void **state)
{
    (void)state;
    ao_run_sweep_options options;
    ao_run_sweep_options_set_default(&options);
    options.input = AO_SOURCE_DIR "/examples/england";
    options.vary = "budgets.revenue";
    options.from = 0.9;
    options.to = 1.1;
    options.steps = 2;
    options.output = TMP "/sweep.xlsx";
    ao_run_sweep_result *result = NULL;
    assert_int_equal(ao_run_sweep(&options, &result), AO_NO_ERROR);
    assert_int_equal(result->stage, AO_RUN_SWEEP_DONE);
    assert_non_null(result->sweep);
    assert_int_equal(result->sweep->n_points, 2);
    assert_true(file_exists(options.output));
    ao_run_sweep_result_free(result);

    const char *path = TMP "/sweep-notes.xlsx";
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("an analyst's notes\n", f);
    fclose(f);
    options.output = path;
    assert_int_equal(ao_run_sweep(&options, &result), AO_ERROR_OPTIONS);
    assert_int_equal(result->stage, AO_RUN_SWEEP_OUTPUTS);
    assert_null(result->sweep);
    assert_non_null(result->reason);
    assert_non_null(strstr(result->reason->message, "is not an allocopt output"));
    ao_run_sweep_result_free(result);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_example_all_scenarios), cmocka_unit_test(test_infeasible),
        cmocka_unit_test(test_study_from_memory),     cmocka_unit_test(test_input_errors),
        cmocka_unit_test(test_output_refused),        cmocka_unit_test(test_sweep),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
