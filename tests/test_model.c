/*
 * Model building and validation: every problem is reported with its table, row and
 * column, in words an analyst understands, and reading goes on after the first one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>

#include "models/model.h"
#include "support.h"

#define SETTINGS "settings", "key,value\nfirst_year,2025/26\nyears,2\n"
#define ICBS "icbs", "id,name,population,region,joint_committee\nI1,North ICB,100,N,JC\nI2,,200,N,\n"
#define BUDGETS                                                                                    \
    "budgets", "icb,year,revenue,capital,specialised\nI1,2025,1000,10,\nI1,2026,1000,,\n"          \
               "I2,2025/26,2000,,500\nI2,2026/27,2000,,\n"
#define SERVICES                                                                                   \
    "services", "id,category,programme,unit_cost,benefit,min_coverage\n"                           \
                "S1,specialised,cancer,100,1,0.5\nP1,Priority,uec,50,1,\n"
#define DEMAND "demand", "icb,service,need,baseline\nI1,S1,10,10\nI1,P1,40,20\nI2,S1,5,0\n"

typedef struct built {
    ao_diags diags;
    ao_tableset *tables;
    ao_model *model;
    ao_error err;
} built;

static built *build(const char *const *pairs)
{
    built *b = calloc(1, sizeof *b);
    assert_non_null(b);
    ao_diags_init(&b->diags);
    b->tables = support_tables(&b->diags, pairs);
    assert_non_null(b->tables);
    b->err = ao_model_build(b->tables, &b->model, &b->diags);
    return b;
}

static void release(built *b)
{
    ao_model_free(b->model);
    ao_tableset_free(b->tables);
    ao_diags_free(&b->diags);
    free(b);
}

static void test_valid_model(void **state)
{
    (void)state;
    const char *const pairs[] = {SETTINGS, ICBS, BUDGETS, SERVICES, DEMAND, NULL};
    built *b = build(pairs);
    assert_int_equal(b->err, AO_NO_ERROR);
    assert_int_equal(b->diags.n_errors, 0);
    ao_model *m = b->model;
    assert_int_equal(m->settings.first_year, 2025);
    assert_int_equal(m->settings.years, 2);
    assert_int_equal(m->n_icbs, 2);
    assert_string_equal(m->icbs[1].name, "I2"); /* blank name: the id */
    /* Groups: JC holds I1; I2 has its own. */
    assert_int_equal(m->n_groups, 2);
    assert_string_equal(m->groups[m->icbs[0].group].name, "JC");
    assert_string_equal(m->groups[m->icbs[1].group].name, "I2");
    assert_int_equal(m->services[1].category, AO_CATEGORY_PRIORITY);
    /* β for I1: specialised 100·10 = 1000 of 1000 + 50·20 = 2000: 0.5. I2: baseline 0. */
    assert_true(fabs(m->baseline_share[0] - 0.5) < 1e-12);
    assert_true(fabs(m->baseline_share[1]) < 1e-12);
    /* SR: I1 default β·R = 500; I2 2025 given 500. */
    assert_true(fabs(ao_model_specialised_budget(m, 0, 0) - 500.0) < 1e-9);
    assert_true(fabs(ao_model_specialised_budget(m, 1, 0) - 500.0) < 1e-9);
    assert_true(isnan(m->specialised[(size_t)1 * 2 + 1]));
    /* Need grows with growth (0 here) and blank capital is 0. */
    assert_true(fabs(m->capital[1]) < 1e-12);
    assert_int_equal(ao_model_find_service(m, "s1"), 0); /* ids ignore case */
    char label[16];
    ao_model_year_label(m, 1, label);
    assert_string_equal(label, "2026/27");
    release(b);
}

/* A revenue budget typed in £k or £m passes validation with a warning on its cell:
 * below 1 % of what the ICB's need costs, or ten times away from its other years. */
static void test_budget_plausibility(void **state)
{
    (void)state;
    /* I1's need costs 10·100 + 40·50 = 3,000 a year: 20 is under 1 % of it. I2's
     * 2026/27 is 100 times its 2025/26. */
    const char *const pairs[] = {SETTINGS, ICBS,
                                 "budgets",
                                 "icb,year,revenue,capital\nI1,2025,20,\nI1,2026,1000,\n"
                                 "I2,2025,2000,\nI2,2026,200000,\n",
                                 SERVICES, DEMAND, NULL};
    built *b = build(pairs);
    assert_int_equal(b->err, AO_NO_ERROR);
    const ao_diag *low = support_find_diag(&b->diags, "less than 1% of what its need costs",
                                           "budgets", "revenue", 2);
    assert_non_null(low);
    assert_int_equal(low->severity, AO_DIAG_WARNING);
    assert_non_null(strstr(low->message, "£3,000"));
    assert_non_null(strstr(low->message, "114600000"));
    const ao_diag *jump = support_find_diag(&b->diags, "more than ten times above", "budgets",
                                            "revenue", 5);
    assert_non_null(jump);
    assert_int_equal(jump->severity, AO_DIAG_WARNING);
    /* I2's 2025/26 is a hundredth of 2026/27's, so it is flagged too; I1's 2026 is not
     * (its only other year is the flagged 20, which is not compared). */
    assert_non_null(support_find_diag(&b->diags, "more than ten times below", "budgets",
                                      "revenue", 4));
    assert_null(support_find_diag(&b->diags, "ten times", "budgets", "revenue", 3));
    release(b);

    /* The valid model's budgets give no such warning. */
    const char *const valid[] = {SETTINGS, ICBS, BUDGETS, SERVICES, DEMAND, NULL};
    b = build(valid);
    assert_null(support_find_diag(&b->diags, "revenue for", NULL, NULL, 0));
    release(b);
}

static void test_missing_table_and_column(void **state)
{
    (void)state;
    const char *const pairs[] = {SETTINGS, ICBS, SERVICES,
                                 "demand", "icb,service,need\nI1,S1,10\n", NULL};
    built *b = build(pairs);
    assert_int_equal(b->err, AO_ERROR_INPUT);
    assert_null(b->model);
    assert_non_null(support_find_diag(&b->diags, "required table 'budgets' is missing",
                                      "budgets", NULL, 0));
    assert_non_null(support_find_diag(&b->diags, "required column 'baseline' is missing",
                                      "demand", NULL, 0));
    release(b);
}

static void test_bad_cells_are_all_reported(void **state)
{
    (void)state;
    const char *const pairs[] = {
        SETTINGS,
        "icbs", "id,population\nI1,100\ni1,5\nI2,-3\n",
        "budgets", "icb,year,revenue\nI1,2025,\"12,3x4\"\nI1,2026,1000\nI2,2025,1\nI2,2031,1\n"
                   "I3,2026,1\n",
        "services", "id,category,unit_cost,benefit,min_coverage\nS1,special,100,1,1.5\n",
        "demand", "icb,service,need,baseline\nI1,S9,10,1\nI1,S1,nan,1\n",
        NULL};
    built *b = build(pairs);
    assert_int_equal(b->err, AO_ERROR_INPUT);
    const ao_diags *d = &b->diags;
    /* Row numbers are the file's: header is row 1. */
    assert_non_null(support_find_diag(d, "ICB 'i1' appears more than once", "icbs", "id", 3));
    assert_non_null(support_find_diag(d, "cannot be negative", "icbs", "population", 4));
    const ao_diag *number = support_find_diag(d, "'12,3x4' is not a number", "budgets",
                                              "revenue", 2);
    assert_non_null(number);
    assert_string_equal(number->file, "budgets.csv");
    assert_non_null(support_find_diag(d, "outside the plan's horizon", "budgets", "year", 5));
    assert_non_null(support_find_diag(d, "ICB 'I3' is not in the icbs table", "budgets", "icb",
                                      6));
    assert_non_null(support_find_diag(d, "ICB I2 has no budgets row for 2026/27", "budgets",
                                      NULL, 0));
    assert_non_null(support_find_diag(d, "must be specialised or priority", "services",
                                      "category", 2));
    assert_non_null(support_find_diag(d, "between 0 and 1", "services", "min_coverage", 2));
    assert_non_null(support_find_diag(d, "service 'S9' is not in the services table", "demand",
                                      "service", 2));
    assert_non_null(support_find_diag(d, "not a finite number", "demand", "need", 3));
    assert_true(d->n_errors >= 10);
    release(b);
}

static void test_settings_checks(void **state)
{
    (void)state;
    const char *const pairs[] = {
        "settings", "key,value\nfirst_year,2025\nyears,2\ndiscount_rate,3.5\nobjective,profit\n"
                    "arrangement,joint\nyears,3\ncolour,blue\n",
        ICBS, BUDGETS, SERVICES, DEMAND, NULL};
    built *b = build(pairs);
    assert_int_equal(b->err, AO_ERROR_INPUT);
    const ao_diags *d = &b->diags;
    assert_non_null(support_find_diag(d, "write 3.5% or 0.035", "settings", "value", 4));
    assert_non_null(support_find_diag(d, "objective must be benefit or cost", "settings",
                                      "value", 5));
    assert_non_null(support_find_diag(d, "given twice", "settings", "key", 7));
    const ao_diag *unknown = support_find_diag(d, "unknown setting 'colour'", "settings", "key",
                                               8);
    assert_non_null(unknown);
    assert_int_equal(unknown->severity, AO_DIAG_WARNING);
    release(b);
}

static void test_prevention_cycles_and_self_links(void **state)
{
    (void)state;
    const char *const pairs[] = {
        SETTINGS, ICBS, BUDGETS,
        "services", "id,category,unit_cost,benefit\nA,priority,1,1\nB,priority,1,1\n"
                    "C,specialised,1,1\n",
        "demand", "icb,service,need,baseline\nI1,A,1,0\n",
        "prevention", "service,target,effect\nA,A,0.1\nA,B,0.1\nB,C,0.1\nC,A,0.1\n",
        NULL};
    built *b = build(pairs);
    assert_int_equal(b->err, AO_ERROR_INPUT);
    assert_non_null(support_find_diag(&b->diags, "cannot prevent its own need", "prevention",
                                      "target", 2));
    assert_non_null(
        support_find_diag(&b->diags, "cycle (A -> B -> C -> A)", "prevention", NULL, 0));
    release(b);
}

static void test_providers_capacity_rules(void **state)
{
    (void)state;
    const char *const pairs[] = {
        SETTINGS, ICBS, BUDGETS, SERVICES, DEMAND,
        "providers", "id,icb,centre_of_excellence\nP1,I1,yes\nP2,I9,maybe\n",
        "capacity", "provider,service,capacity,max_expansion\nP1,S1,10,5\nP1,S1,20,\n",
        "rules", "name,scope,applies_to,year,kind,value\nr1,everyone,*,,max_share,0.5\n"
                 "r2,*,programme:none,,max_spend,10\nr3,all,category:special,,min_spend,1\n"
                 "r4,I1,*,,max_share,2\n",
        "extras", "a,b\n1,2\n",
        NULL};
    built *b = build(pairs);
    assert_int_equal(b->err, AO_ERROR_INPUT);
    const ao_diags *d = &b->diags;
    assert_non_null(support_find_diag(d, "host ICB 'I9' is not in the icbs table", "providers",
                                      "icb", 3));
    assert_non_null(support_find_diag(d, "'maybe' is not yes or no", "providers",
                                      "centre_of_excellence", 3));
    const ao_diag *ignored = support_find_diag(d, "max_expansion is ignored", "capacity",
                                               "max_expansion", 2);
    assert_non_null(ignored);
    assert_int_equal(ignored->severity, AO_DIAG_WARNING);
    assert_non_null(support_find_diag(d, "already has a capacity row", "capacity", "service", 3));
    assert_non_null(support_find_diag(d, "scope must be *", "rules", "scope", 2));
    assert_non_null(support_find_diag(d, "selects no service", "rules", "applies_to", 3));
    assert_non_null(support_find_diag(d, "category:special is not a category", "rules",
                                      "applies_to", 4));
    assert_non_null(support_find_diag(d, "between 0 and 1", "rules", "value", 5));
    const ao_diag *table = support_find_diag(d, "unknown table 'extras'", "extras", NULL, 0);
    assert_non_null(table);
    assert_int_equal(table->severity, AO_DIAG_WARNING);
    release(b);
}

static void test_diagnostic_format(void **state)
{
    (void)state;
    ao_diags diags;
    ao_diags_init(&diags);
    ao_loc loc = {.file = "in/budgets.csv", .table = "budgets", .row = 14, .column = "revenue"};
    assert_int_equal(ao_diags_add(&diags, AO_DIAG_ERROR, &loc, "'%s' is not a number", "12,3x4"),
                     AO_NO_ERROR);
    char *line = ao_diag_format(&diags.items[0]);
    assert_string_equal(line, "error: in/budgets.csv, table budgets, row 14, column revenue: "
                              "'12,3x4' is not a number");
    free(line);
    ao_diags_free(&diags);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_model),
        cmocka_unit_test(test_budget_plausibility),
        cmocka_unit_test(test_missing_table_and_column),
        cmocka_unit_test(test_bad_cells_are_all_reported),
        cmocka_unit_test(test_settings_checks),
        cmocka_unit_test(test_prevention_cycles_and_self_links),
        cmocka_unit_test(test_providers_capacity_rules),
        cmocka_unit_test(test_diagnostic_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
