/*
 * libFuzzer harness for scenarios: the input is split at its first NUL byte into
 * the base tables and a scenarios table (CSV text each), and every scenario
 * named in the scenarios table is applied with ao_scenario_apply; the baseline
 * and every changed copy then go through model validation, as `allocopt run
 * --all-scenarios` does.
 *
 * The base part holds several tables, each starting with a line `@name`
 * (`@settings`, `@demand`, ...); text before the first such line is a settings
 * table. Seeds made by fuzz/make_corpus.py follow this layout.
 *
 * Checked: applying never changes the baseline tables; a scenario either fails
 * with diagnostics or returns a copy with the same tables, columns and rows (or,
 * for settings, rows added).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "fuzz_tables.h"
#include "common/diag.h"
#include "common/table.h"
#include "models/model.h"
#include "models/scenario.h"

/* Scenarios applied per input; more only repeat the same code for longer. */
#define MAX_SCENARIOS 8

/* Same tables, columns and row counts (settings may gain rows). */
static void check_shape(const ao_tableset *a, const ao_tableset *b)
{
    FUZZ_CHECK(a->n_tables == b->n_tables);
    for (size_t t = 0; t < a->n_tables; t++) {
        const ao_table *x = a->tables[t], *y = b->tables[t];
        FUZZ_CHECK(strcmp(x->name, y->name) == 0 && x->n_cols == y->n_cols);
        if (strcmp(x->name, "settings") == 0)
            FUZZ_CHECK(y->n_rows >= x->n_rows);
        else
            FUZZ_CHECK(y->n_rows == x->n_rows);
    }
}

/* A cheap fingerprint of every cell, to see that the baseline is never changed. */
static uint64_t fingerprint(const ao_tableset *set)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t t = 0; t < set->n_tables; t++) {
        const ao_table *table = set->tables[t];
        for (size_t k = 0; k < table->n_rows * table->n_cols; k++) {
            const char *cell = table->cells[k];
            for (const char *p = cell ? cell : "\x01"; *p; p++)
                h = (h ^ (unsigned char)*p) * 1099511628211ull;
            h = (h ^ 0xFF) * 1099511628211ull;
        }
    }
    return h;
}

static void build_model(const ao_tableset *set)
{
    ao_diags diags;
    ao_diags_init(&diags);
    ao_model *model = NULL;
    ao_error err = ao_model_build(set, &model, &diags);
    FUZZ_CHECK(err == AO_NO_ERROR || err == AO_ERROR_INPUT || err == AO_ERROR_MEMORY_MALLOC_FAILED);
    FUZZ_CHECK((err == AO_NO_ERROR) == (model != NULL));
    if (err == AO_ERROR_INPUT)
        FUZZ_CHECK(diags.n_errors > 0);
    ao_model_free(model);
    ao_diags_free(&diags);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ao_diags diags;
    const char *scenario_text;
    size_t scenario_length;
    ao_tableset *set = fuzz_tables(data, size, &diags, &scenario_text, &scenario_length);
    if (set == NULL)
        return 0;
    if (scenario_length > 0)
        fuzz_add_table(set, "scenarios", scenario_text, scenario_length, &diags);

    build_model(set);
    uint64_t before = fingerprint(set);
    char **names = NULL;
    size_t count = 0;
    if (ao_scenario_names(set, &names, &count) == AO_NO_ERROR) {
        for (size_t k = 0; k < count && k < MAX_SCENARIOS; k++) {
            ao_tableset *copy = NULL;
            size_t errors_before = diags.n_errors;
            ao_error err = ao_scenario_apply(set, names[k], &copy, &diags);
            FUZZ_CHECK((err == AO_NO_ERROR) == (copy != NULL));
            if (err == AO_ERROR_INPUT)
                FUZZ_CHECK(diags.n_errors > errors_before || diags.dropped > 0);
            if (copy != NULL) {
                check_shape(set, copy);
                build_model(copy);
            }
            ao_tableset_free(copy);
        }
        ao_scenarios_check(set, &diags);
    }
    FUZZ_CHECK(fingerprint(set) == before);
    ao_scenario_names_free(names, count);
    ao_tableset_free(set);
    ao_diags_free(&diags);
    return 0;
}
