/* Scenario application: set/scale/add on copies of the input, wildcard keys, errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>

#include "common/parse.h"
#include "models/scenario.h"
#include "support.h"

static const char *const base_pairs[] = {
    "settings", "key,value\nfirst_year,2025\nyears,2\narrangement,delegated\n",
    "budgets", "icb,year,revenue,capital\nI1,2025/26,\"£1,000\",10\nI1,2026/27,2000,\n"
               "I2,2025,3000,5\nI2,2026,4000,\n",
    "demand", "icb,service,need,baseline\nI1,REN,100,1\nI2,REN,50,1\nI1,ONC,12.5%,1\n",
    "scenarios", "scenario,table,column,key,op,value\n"
                 "grow,demand,need,*/REN,scale,1.1\n"
                 "grow,budgets,revenue,I2/2026/27,add,500\n"
                 "joint,settings,value,arrangement,set,joint\n"
                 "band,settings,value,equity_band,set,10%\n"
                 "cut,budgets,capital,*/*,scale,0.5\n"
                 "badtable,nosuch,x,*,set,1\n"
                 "badcolumn,demand,colour,*/*,set,1\n"
                 "badkey,demand,need,I9/REN,scale,2\n"
                 "badop,demand,need,*/*,double,2\n"
                 "badvalue,demand,need,*/*,scale,lots\n"
                 "shortkey,demand,need,REN,scale,2\n",
    NULL};

static double cell_number(const ao_tableset *set, const char *table, size_t row,
                          const char *column)
{
    const ao_table *t = ao_tableset_find(set, table);
    assert_non_null(t);
    double value = NAN;
    const char *text = ao_table_cell(t, row, ao_table_col(t, column));
    if (text != NULL)
        assert_int_equal(ao_parse_number(text, &value), AO_PARSE_OK);
    return value;
}

static void test_names_in_order(void **state)
{
    (void)state;
    ao_diags diags;
    ao_diags_init(&diags);
    ao_tableset *base = support_tables(&diags, base_pairs);
    char **names;
    size_t count;
    assert_int_equal(ao_scenario_names(base, &names, &count), AO_NO_ERROR);
    assert_int_equal(count, 10);
    assert_string_equal(names[0], "grow");
    assert_string_equal(names[1], "joint");
    assert_string_equal(names[9], "shortkey");
    ao_scenario_names_free(names, count);
    ao_tableset_free(base);
    ao_diags_free(&diags);
}

static void test_scale_add_and_wildcards(void **state)
{
    (void)state;
    ao_diags diags;
    ao_diags_init(&diags);
    ao_tableset *base = support_tables(&diags, base_pairs);
    ao_tableset *grown = NULL;
    assert_int_equal(ao_scenario_apply(base, "GROW", &grown, &diags), AO_NO_ERROR);
    assert_true(fabs(cell_number(grown, "demand", 0, "need") - 110.0) < 1e-9);
    assert_true(fabs(cell_number(grown, "demand", 1, "need") - 55.0) < 1e-9);
    /* ONC untouched, and still written as the user wrote it. */
    const ao_table *demand = ao_tableset_find(grown, "demand");
    assert_string_equal(ao_table_cell(demand, 2, ao_table_col(demand, "need")), "12.5%");
    /* The year key part can be written 2026/27 while the cell says 2026. */
    assert_true(fabs(cell_number(grown, "budgets", 3, "revenue") - 4500.0) < 1e-9);
    assert_true(fabs(cell_number(grown, "budgets", 2, "revenue") - 3000.0) < 1e-9);
    /* The baseline is unchanged. */
    assert_true(fabs(cell_number(base, "demand", 0, "need") - 100.0) < 1e-9);
    ao_tableset_free(grown);

    ao_tableset *cut = NULL;
    assert_int_equal(ao_scenario_apply(base, "cut", &cut, &diags), AO_NO_ERROR);
    assert_true(fabs(cell_number(cut, "budgets", 0, "capital") - 5.0) < 1e-9);
    assert_true(isnan(cell_number(cut, "budgets", 1, "capital"))); /* blank stays blank */
    ao_tableset_free(cut);
    assert_int_equal(diags.n_errors, 0);
    ao_tableset_free(base);
    ao_diags_free(&diags);
}

static void test_set_settings(void **state)
{
    (void)state;
    ao_diags diags;
    ao_diags_init(&diags);
    ao_tableset *base = support_tables(&diags, base_pairs);
    ao_tableset *joint = NULL, *band = NULL;
    assert_int_equal(ao_scenario_apply(base, "joint", &joint, &diags), AO_NO_ERROR);
    const ao_table *settings = ao_tableset_find(joint, "settings");
    assert_string_equal(ao_table_cell(settings, 2, 1), "joint");
    /* A setting the baseline does not have is added. */
    assert_int_equal(ao_scenario_apply(base, "band", &band, &diags), AO_NO_ERROR);
    settings = ao_tableset_find(band, "settings");
    assert_int_equal(settings->n_rows, 4);
    assert_string_equal(ao_table_cell(settings, 3, 0), "equity_band");
    assert_string_equal(ao_table_cell(settings, 3, 1), "10%");
    ao_tableset_free(joint);
    ao_tableset_free(band);
    ao_tableset_free(base);
    ao_diags_free(&diags);
}

static void test_errors_name_the_scenario_row(void **state)
{
    (void)state;
    struct {
        const char *name, *text, *column;
        long row;
    } cases[] = {
        {"badtable", "cannot change table 'nosuch'", "table", 7},
        {"badcolumn", "column 'colour' is not in table demand", "column", 8},
        {"badkey", "no row of table demand matches key 'I9/REN'", "key", 9},
        {"badop", "op must be set, scale or add", "op", 10},
        {"badvalue", "'lots' is not a number", "value", 11},
        {"shortkey", "does not fit table demand", "key", 12},
        {"nosuchscenario", "there is no scenario named", NULL, 0},
        /* A misspelt name: the closest name offered, then every name, closest first. */
        {"grwo", "there is no scenario named 'grwo'; did you mean 'grow'? The scenarios are: "
                 "grow, ", NULL, 0},
        {"bad_key", "did you mean 'badkey'? The scenarios are: badkey, badop, ", NULL, 0},
        {"zzzzzzzzzzzzzz", "there is no scenario named 'zzzzzzzzzzzzzz'; the scenarios are: ",
         NULL, 0},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        ao_diags diags;
        ao_diags_init(&diags);
        ao_tableset *base = support_tables(&diags, base_pairs);
        ao_tableset *out = NULL;
        assert_int_equal(ao_scenario_apply(base, cases[k].name, &out, &diags), AO_ERROR_INPUT);
        assert_null(out);
        if (support_find_diag(&diags, cases[k].text, "scenarios", cases[k].column,
                              cases[k].row) == NULL)
            fail_msg("scenario %s: no diagnostic '%s'", cases[k].name, cases[k].text);
        ao_tableset_free(base);
        ao_diags_free(&diags);
    }
}

static void test_check_reports_every_bad_scenario(void **state)
{
    (void)state;
    ao_diags diags;
    ao_diags_init(&diags);
    ao_tableset *base = support_tables(&diags, base_pairs);
    assert_int_equal(ao_scenarios_check(base, &diags), AO_ERROR_INPUT);
    assert_int_equal(diags.n_errors, 6);
    ao_tableset_free(base);
    ao_diags_free(&diags);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_in_order),
        cmocka_unit_test(test_scale_add_and_wildcards),
        cmocka_unit_test(test_set_settings),
        cmocka_unit_test(test_errors_name_the_scenario_row),
        cmocka_unit_test(test_check_reports_every_bad_scenario),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
