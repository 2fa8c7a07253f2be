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
#include "common/diag.h"
#include "common/table.h"
#include "io/csv_reader.h"
#include "models/model.h"
#include "models/scenario.h"

/* Scenarios applied per input; more only repeat the same code for longer. */
#define MAX_SCENARIOS 8

/* Read one CSV text as table `name` into set; problems stay in diags. */
static void add_table(ao_tableset *set, const char *name, const char *data, size_t length,
                      ao_diags *diags)
{
    char file[80];
    size_t n = strlen(name);
    if (n == 0 || n > 60)
        return;
    memcpy(file, name, n);
    memcpy(file + n, ".csv", 5);
    ao_table *table = NULL;
    if (ao_csv_read_buffer(data, length, name, file, &table, diags) != AO_NO_ERROR || table == NULL)
        return;
    if (ao_tableset_find(set, table->name) != NULL) {
        ao_table_free(table);
        return;
    }
    ao_tableset_add(set, table);
}

/* Split the base part into its `@name` sections. */
static void read_base(ao_tableset *set, const char *data, size_t length, ao_diags *diags)
{
    char name[64] = "settings";
    size_t start = 0, pos = 0;
    while (pos <= length) {
        int at_section = pos < length && data[pos] == '@' && (pos == 0 || data[pos - 1] == '\n');
        if (at_section || pos == length) {
            if (pos > start)
                add_table(set, name, data + start, pos - start, diags);
            if (pos == length)
                break;
            size_t end = pos + 1;
            while (end < length && data[end] != '\n')
                end++;
            size_t n = end - pos - 1;
            if (n > 0 && data[pos + n] == '\r')
                n--;
            if (n >= sizeof name)
                n = sizeof name - 1;
            memcpy(name, data + pos + 1, n);
            name[n] = '\0';
            start = end < length ? end + 1 : end;
            pos = start;
            continue;
        }
        pos++;
    }
}

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
    const char *text = (const char *)data;
    const char *split = memchr(text, '\0', size);
    size_t base_length = split ? (size_t)(split - text) : size;
    const char *scenario_text = split ? split + 1 : "";
    size_t scenario_length = split ? size - base_length - 1 : 0;

    ao_diags diags;
    ao_diags_init(&diags);
    ao_tableset *set = ao_tableset_new("fuzz");
    if (set == NULL)
        return 0;
    read_base(set, text, base_length, &diags);
    if (scenario_length > 0)
        add_table(set, "scenarios", scenario_text, scenario_length, &diags);

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
