/*
 * Unit tests for report/json_writer.c and report/workbook_writer.c.
 *
 * The model and plans are filled in by hand (2 ICBs, 2 services, 1 provider, 2 years):
 * only what the writers read, with figures chosen so that each one can be found again
 * in the output. The JSON is parsed back with jansson; the workbook is opened with
 * libzip and its XML parts are searched.
 *
 * The test of a plan longer than one sheet (1,100,000 allocation lines) runs only when
 * AO_SLOW_TESTS=1 is set: under the sanitizers it takes longer than the others together.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <zip.h>

#include "common/table.h"
#include "models/model.h"
#include "models/plan.h"
#include "report/atomic_file.h"
#include "report/json_writer.h"
#include "report/words.h"
#include "report/workbook_writer.h"
#include "support.h"

#define YEARS 2
/* An objective that does not round-trip with fewer than 17 digits. */
#define OBJECTIVE (0.1 + 0.2 + 1234.5)
/* Not const: ao_plan.infeasibility is a char *. */
static char infeasible_reason[] =
    "No plan meets every limit at once.\n  - QAA 2025/26 revenue [Revenue]: needs at least 5";

/* Not const: ao_broken_limit's texts are char *. */
static char broken_limit_name[] = "revenue (rule 6)";
static char broken_limit_text[] =
    "ICB QBB 2026/27: spend £612.3m against a £601.5m revenue budget (£10.8m over)";

typedef struct fixture {
    ao_model model;
    ao_plan plan;  ///< Optimal baseline.
    ao_plan tight; ///< Infeasible scenario.
    ao_tableset *tables;
    ao_case cases[2];
    ao_results results;
    char dir[512]; ///< Scratch folder of this test.
} fixture;

/* ---- the hand-built model and plans ---- */

static void *zalloc(size_t n, size_t size)
{
    void *p = calloc(n, size);
    assert_non_null(p);
    return p;
}

static void build_model(ao_model *m)
{
    memset(m, 0, sizeof *m);
    m->settings.name = "Writers test model";
    m->settings.first_year = 2025;
    m->settings.years = YEARS;
    m->settings.objective = AO_OBJECTIVE_BENEFIT;
    m->settings.arrangement = AO_ARRANGEMENT_DELEGATED;
    m->settings.discount_rate = 0.035;
    m->settings.benefit_unit = "QALY";
    m->settings.specialised_share_floor = NAN;
    m->settings.max_change = NAN;
    m->settings.equity_band = NAN;

    m->n_icbs = 2;
    m->icbs = zalloc(2, sizeof *m->icbs);
    m->icbs[0] = (ao_icb){
        .id = "QAA", .name = "North ICB", .population = 1000, .region = 0, .max_providers = NAN};
    m->icbs[1] = (ao_icb){
        .id = "QBB", .name = "South ICB", .population = 2500, .region = 1, .max_providers = NAN};
    /* QBB's region is blank: the sheets write "(no region)". */
    m->n_regions = 2;
    m->regions = zalloc(2, sizeof *m->regions);
    m->regions[0] = "North";
    m->regions[1] = "";
    m->n_programmes = 1;
    m->programmes = zalloc(1, sizeof *m->programmes);
    m->programmes[0] = "Cancer";
    m->has_demand = zalloc(4, sizeof *m->has_demand);
    memset(m->has_demand, 1, 4);

    m->n_services = 2;
    m->services = zalloc(2, sizeof *m->services);
    m->services[0] = (ao_service){.id = "SPC01",
                                  .name = "Specialised one",
                                  .category = AO_CATEGORY_SPECIALISED,
                                  .programme = 0,
                                  .unit_cost = 100,
                                  .benefit = 2,
                                  .capital_cost = 1000,
                                  .capacity_lag = 1,
                                  .provided = 1};
    m->services[1] = (ao_service){.id = "PRI01",
                                  .name = "Priority one",
                                  .category = AO_CATEGORY_PRIORITY,
                                  .programme = -1,
                                  .unit_cost = 10,
                                  .benefit = 1,
                                  .capital_cost = NAN,
                                  .capacity_lag = 1};

    m->n_providers = 1;
    m->providers = zalloc(1, sizeof *m->providers);
    m->providers[0] = (ao_provider){.id = "RX1",
                                    .name = "Provider One",
                                    .host = 0,
                                    .centre_of_excellence = 1,
                                    .max_icbs = NAN,
                                    .row = 2};

    m->n_capacity = 1;
    m->capacity = zalloc(1, sizeof *m->capacity);
    m->capacity[0] = (ao_capacity){.provider = 0,
                                   .service = 0,
                                   .capacity = 100,
                                   .unit_cost = NAN,
                                   .min_volume = 30,
                                   .max_expansion = NAN,
                                   .expansion_step = NAN};

    m->n_links = 1;
    m->links = zalloc(1, sizeof *m->links);
    m->links[0] = (ao_prevention){.source = 1, .target = 0, .effect = 0.1, .lag = 1};
}

static void free_model(ao_model *m)
{
    free(m->icbs);
    free(m->regions);
    free(m->programmes);
    free(m->has_demand);
    free(m->services);
    free(m->providers);
    free(m->capacity);
    free(m->links);
}

/* Today's plan (rule 16) and continuity (rule 17) for the JSON: the workbook's tests leave
 * them out, so that the sheets keep their places without the Comparison sheet. */
static void give_today(ao_plan *p)
{
    /* Today's plan breaks one revenue budget; the plan moves 12.5 units from it. */
    p->current.evaluated = 1;
    p->current.objective = 1100.5;
    p->current.total_benefit = 1150.25;
    p->current.total_revenue_spend = 90000.75;
    p->current.broken = zalloc(1, sizeof *p->current.broken);
    p->current.broken[p->current.n_broken++] = (ao_broken_limit){.limit = broken_limit_name,
                                                                 .description = broken_limit_text,
                                                                 .i = 1,
                                                                 .s = -1,
                                                                 .t = 1,
                                                                 .value = 612.3e6,
                                                                 .bound = 601.5e6,
                                                                 .amount = 10.8e6,
                                                                 .money = 1};
    p->has_continuity = 1;
    p->moved_activity = 12.5;
}

/* Activity of ICB i, service s, year t: distinct for every triple. */
static double activity_of(int i, int s, int t)
{
    return 10.0 + 4.0 * i + 2.0 * s + t + 0.25;
}

static void build_plan(ao_plan *p, const ao_model *m)
{
    memset(p, 0, sizeof *p);
    p->status = AO_STATUS_OPTIMAL;
    p->objective = OBJECTIVE;
    p->total_benefit = 1300.125;
    p->discounted_benefit = 1250.0625;
    p->total_revenue_spend = 98765.5;
    p->total_capital_spend = 5000;
    p->specialised_share = 0.625;
    p->arrangement = AO_ARRANGEMENT_DELEGATED;
    p->n_rows = 17;
    p->n_cols = 11;
    p->n_nz = 42;

    /* Allocation: the provided service at RX1, the priority service local. */
    p->alloc = zalloc(8, sizeof *p->alloc);
    for (int t = 0; t < YEARS; t++)
        for (int i = 0; i < 2; i++)
            for (int s = 0; s < 2; s++) {
                double a = activity_of(i, s, t);
                p->alloc[p->n_alloc++] = (ao_alloc_line){.i = i,
                                                         .s = s,
                                                         .p = s == 0 ? 0 : -1,
                                                         .t = t,
                                                         .activity = a,
                                                         .spend = a * m->services[s].unit_cost};
            }
    /* Service-year totals in another order than the allocation (the writer indexes). */
    p->service_years = zalloc(8, sizeof *p->service_years);
    for (int s = 1; s >= 0; s--)
        for (int i = 1; i >= 0; i--)
            for (int t = YEARS - 1; t >= 0; t--) {
                double a = activity_of(i, s, t);
                double need = 100.0 * (i + 1) + 10.0 * s + t;
                double after = need - 0.5;
                p->service_years[p->n_service_years++] =
                    (ao_service_year){.i = i,
                                      .s = s,
                                      .t = t,
                                      .activity = a,
                                      .spend = a * m->services[s].unit_cost,
                                      .need = need,
                                      .need_after_prevention = after,
                                      .coverage = a / after,
                                      .benefit = a * m->services[s].benefit};
            }

    p->expansions = zalloc(2, sizeof *p->expansions);
    p->expansions[p->n_expansions++] =
        (ao_expansion_line){.k = 0, .t = 0, .units = 5, .cost = 5000, .available_from = 1};
    p->expansions[p->n_expansions++] =
        (ao_expansion_line){.k = 0, .t = 1, .units = 0, .cost = 0, .available_from = 2};

    p->capacity_use = zalloc(2, sizeof *p->capacity_use);
    p->capacity_use[p->n_capacity_use++] =
        (ao_capacity_use){.k = 0, .t = 0, .available = 100, .used = 100, .min_volume = 30};
    p->capacity_use[p->n_capacity_use++] =
        (ao_capacity_use){.k = 0, .t = 1, .available = 105, .used = 25.5, .min_volume = NAN};

    p->budgets = zalloc(2, sizeof *p->budgets);
    p->budgets[p->n_budgets++] = (ao_budget_line){.pool = "QAA",
                                                  .t = 0,
                                                  .kind = AO_BUDGET_REVENUE,
                                                  .available = 50000,
                                                  .used = 50000,
                                                  .headroom = 0,
                                                  .shadow_price = 42.5,
                                                  .price_from = 40000,
                                                  .price_to = INFINITY,
                                                  .binding = 1};
    p->budgets[p->n_budgets++] = (ao_budget_line){.pool = "QBB",
                                                  .t = 1,
                                                  .kind = AO_BUDGET_CAPITAL,
                                                  .available = 8000,
                                                  .used = 5000,
                                                  .headroom = 3000,
                                                  /* A dual left over by the solver on a
                                                   * budget with headroom: not a price. */
                                                  .shadow_price = 0.25,
                                                  .price_from = -INFINITY,
                                                  .price_to = INFINITY};

    p->constraints = zalloc(3, sizeof *p->constraints);
    p->constraints[p->n_constraints++] = (ao_constraint_line){.group = "Revenue",
                                                              .description = "QAA 2025/26 revenue",
                                                              .activity = 50000,
                                                              .lower = -INFINITY,
                                                              .upper = 50000,
                                                              .slack = 0,
                                                              .binding = 1,
                                                              .dual = 4.25e-5};
    p->constraints[p->n_constraints++] =
        (ao_constraint_line){.group = "National standard",
                             .description = "QBB 2026/27 Specialised one",
                             .activity = 20,
                             .lower = 10,
                             .upper = 30,
                             .slack = 10,
                             .binding = 0,
                             .dual = 0};
    p->constraints[p->n_constraints++] = (ao_constraint_line){.group = "Other",
                                                              .description = "a free row",
                                                              .activity = 1,
                                                              .lower = -INFINITY,
                                                              .upper = INFINITY,
                                                              .slack = INFINITY,
                                                              .binding = 0,
                                                              .dual = 0};

    p->shares = zalloc(4, sizeof *p->shares);
    for (int i = 0; i < 2; i++)
        for (int t = 0; t < YEARS; t++)
            p->shares[p->n_shares++] = (ao_share_indicator){.i = i,
                                                            .t = t,
                                                            .specialised_spend = 600,
                                                            .total_spend = 1000,
                                                            .share = i == 0 ? 0.6 : 0.4,
                                                            .baseline_share = 0.5};
    p->capital_shares = zalloc(4, sizeof *p->capital_shares);
    for (int i = 0; i < 2; i++)
        for (int t = 0; t < YEARS; t++)
            p->capital_shares[p->n_capital_shares++] =
                (ao_capital_indicator){.i = i,
                                       .t = t,
                                       .specialised_capital = i == 0 && t == 0 ? 5000 : 0,
                                       .total_capital = i == 0 && t == 0 ? 5000 : 0,
                                       .available_capital = 8000,
                                       .share = i == 0 && t == 0 ? 1 : 0};
    p->variation = zalloc(2, sizeof *p->variation);
    for (int t = 0; t < YEARS; t++)
        p->variation[p->n_variation++] = (ao_variation_indicator){.s = 0,
                                                                  .t = t,
                                                                  .n_icbs = 2,
                                                                  .mean_coverage = 0.5,
                                                                  .min_coverage = 0.4,
                                                                  .max_coverage = 0.6,
                                                                  .cv = t == 0 ? 0.2 : 0.05};
    p->fragmentation = zalloc(3, sizeof *p->fragmentation);
    for (int t = -1; t < YEARS; t++)
        p->fragmentation[p->n_fragmentation++] =
            (ao_fragmentation_indicator){.p = 0, .t = t, .n_icbs = 2};
    p->volumes = zalloc(2, sizeof *p->volumes);
    for (int t = 0; t < YEARS; t++)
        p->volumes[p->n_volumes++] = (ao_volume_indicator){.k = 0,
                                                           .t = t,
                                                           .volume = t == 0 ? 100 : 25.5,
                                                           .min_volume = 30,
                                                           .margin = t == 0 ? 70 : -4.5};
    p->prevention = zalloc(2, sizeof *p->prevention);
    for (int t = 0; t < YEARS; t++)
        p->prevention[p->n_prevention++] = (ao_prevention_indicator){
            .link = 0, .t = t, .activity = 30, .need_avoided = 3, .lands_in = t + 1};
    p->verified = 1;
    p->n_checks = 25;
    p->max_violation = 2.5e-9;
    p->max_relative_violation = 1e-12;
}

static void build_infeasible(ao_plan *p)
{
    memset(p, 0, sizeof *p);
    p->status = AO_STATUS_INFEASIBLE;
    p->objective = NAN;
    p->arrangement = AO_ARRANGEMENT_JOINT;
    p->n_rows = 17;
    p->n_cols = 11;
    p->n_nz = 42;
    p->infeasibility = infeasible_reason;
    p->diagnosis = zalloc(2, sizeof *p->diagnosis);
    p->diagnosis[p->n_diagnosis++] =
        (ao_diagnosis_line){.group = "Revenue",
                            .description = "QAA 2025/26 revenue",
                            .sentence = "Raise QAA's 2025/26 revenue by £5.",
                            .limit = 50000,
                            .change = 5,
                            .lower = 0,
                            .money = 1};
    p->diagnosis[p->n_diagnosis++] =
        (ao_diagnosis_line){.group = "National standard",
                            .description = "QBB 2025/26 Specialised one",
                            .sentence = "QBB 2025/26 Specialised one: the national standard can "
                                        "only be met with 2.5 units less activity",
                            .limit = 90,
                            .change = 2.5,
                            .lower = 1,
                            .money = 0};
}

static void free_plan(ao_plan *p)
{
    free(p->alloc);
    free(p->service_years);
    free(p->expansions);
    free(p->capacity_use);
    free(p->budgets);
    free(p->constraints);
    free(p->shares);
    free(p->capital_shares);
    free(p->variation);
    free(p->fragmentation);
    free(p->volumes);
    free(p->prevention);
    free(p->diagnosis);
    free(p->current.broken);
}

/* An input table whose cells look like formulas: they must stay text. */
static ao_tableset *build_tables(void)
{
    ao_tableset *set = ao_tableset_new("in/");
    assert_non_null(set);
    ao_table *table = ao_table_new("budgets", "in/budgets.csv");
    assert_non_null(table);
    const char *headers[] = {"icb", "year", "revenue", "note"};
    assert_int_equal(ao_table_set_headers(table, 4, headers, NULL), AO_NO_ERROR);
    const char *row1[] = {"QAA", "2025/26", "50,000", "=1+1"};
    const char *row2[] = {"QBB", "2025", "-5", "@SUM(A1)"};
    const char *row3[] = {"QBB", "2026", "+3", NULL};
    assert_int_equal(ao_table_add_row(table, row1, 2), AO_NO_ERROR);
    assert_int_equal(ao_table_add_row(table, row2, 3), AO_NO_ERROR);
    assert_int_equal(ao_table_add_row(table, row3, 5), AO_NO_ERROR);
    assert_int_equal(ao_tableset_add(set, table), AO_NO_ERROR);
    return set;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (f == NULL)
        return -1;
    build_model(&f->model);
    build_plan(&f->plan, &f->model);
    build_infeasible(&f->tight);
    f->tables = build_tables();
    f->model.tables = f->tables;
    f->cases[0] = (ao_case){"baseline", &f->model, &f->plan};
    f->cases[1] = (ao_case){"tight budgets", &f->model, &f->tight};
    f->results =
        (ao_results){.tables = f->tables, .input_path = "in/", .n_cases = 2, .cases = f->cases};
    snprintf(f->dir, sizeof f->dir, "%s/test_writers_XXXXXX", AO_BINARY_DIR);
    if (mkdtemp(f->dir) == NULL)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    support_remove_tree(f->dir);
    free_plan(&f->plan);
    free_plan(&f->tight);
    free_model(&f->model);
    ao_tableset_free(f->tables);
    free(f);
    return 0;
}

/* ---- helpers ---- */

static char *path_in(const fixture *f, const char *name)
{
    size_t n = strlen(f->dir) + strlen(name) + 2;
    char *path = malloc(n);
    assert_non_null(path);
    snprintf(path, n, "%s/%s", f->dir, name);
    return path;
}

/* Names in a folder other than `expected` and `also` (either may be NULL). */
static int count_others(const char *dir, const char *expected, const char *also)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if ((expected != NULL && strcmp(e->d_name, expected) == 0) ||
            (also != NULL && strcmp(e->d_name, also) == 0))
            continue;
        print_message("unexpected file: %s\n", e->d_name);
        n++;
    }
    closedir(d);
    return n;
}

static char *read_file(const char *path)
{
    FILE *file = fopen(path, "rb");
    assert_non_null(file);
    assert_int_equal(fseek(file, 0, SEEK_END), 0);
    long size = ftell(file);
    assert_true(size >= 0);
    rewind(file);
    char *data = malloc((size_t)size + 1);
    assert_non_null(data);
    assert_int_equal(fread(data, 1, (size_t)size, file), (size_t)size);
    data[size] = '\0';
    fclose(file);
    return data;
}

static void write_file(const char *path, const char *text)
{
    FILE *file = fopen(path, "wb");
    assert_non_null(file);
    assert_int_equal(fputs(text, file) >= 0, 1);
    assert_int_equal(fclose(file), 0);
}

/* One part of an xlsx file, NUL-terminated. */
static char *zip_part(const char *xlsx, const char *name)
{
    int error = 0;
    zip_t *zip = zip_open(xlsx, ZIP_RDONLY, &error);
    assert_non_null(zip);
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat(zip, name, 0, &st) != 0)
        fail_msg("%s has no part %s", xlsx, name);
    char *data = malloc(st.size + 1);
    assert_non_null(data);
    zip_file_t *file = zip_fopen(zip, name, 0);
    assert_non_null(file);
    assert_int_equal(zip_fread(file, data, st.size), (zip_int64_t)st.size);
    data[st.size] = '\0';
    zip_fclose(file);
    zip_close(zip);
    return data;
}

/* A cell of a worksheet part: its XML, or NULL when the cell is absent (blank). */
static char *cell_xml(const char *sheet, const char *ref)
{
    char pattern[32];
    snprintf(pattern, sizeof pattern, "<c r=\"%s\"", ref);
    const char *start = strstr(sheet, pattern);
    if (start == NULL)
        return NULL;
    const char *end = strstr(start, "</c>");
    const char *empty = strstr(start, "/>");
    if (empty != NULL && (end == NULL || empty < end) && empty < strchr(start, '>') + 1)
        end = empty;
    assert_non_null(end);
    size_t n = (size_t)(end - start);
    char *xml = malloc(n + 1);
    assert_non_null(xml);
    memcpy(xml, start, n);
    xml[n] = '\0';
    return xml;
}

/* The text of a text cell (fails if the cell is absent or not text). */
static void assert_cell_text(const char *sheet, const char *ref, const char *expected)
{
    char *xml = cell_xml(sheet, ref);
    if (xml == NULL)
        fail_msg("cell %s is blank, expected '%s'", ref, expected);
    if (strstr(xml, "t=\"inlineStr\"") == NULL && strstr(xml, "t=\"s\"") == NULL)
        fail_msg("cell %s is not text: %s", ref, xml);
    assert_null(strstr(xml, "<f>"));
    const char *t = strstr(xml, "<t");
    assert_non_null(t);
    t = strchr(t, '>') + 1;
    const char *end = strstr(t, "</t>");
    assert_non_null(end);
    size_t n = (size_t)(end - t);
    if (n != strlen(expected) || strncmp(t, expected, n) != 0)
        fail_msg("cell %s holds '%.*s', expected '%s'", ref, (int)n, t, expected);
    free(xml);
}

/* The value of a number cell (fails if the cell is absent or not a number). */
static double cell_number(const char *sheet, const char *ref)
{
    char *xml = cell_xml(sheet, ref);
    if (xml == NULL)
        fail_msg("cell %s is blank, expected a number", ref);
    if (strstr(xml, " t=\"") != NULL)
        fail_msg("cell %s is not a number: %s", ref, xml);
    const char *v = strstr(xml, "<v>");
    assert_non_null(v);
    double value = strtod(v + 3, NULL);
    free(xml);
    return value;
}

static void assert_cell_blank(const char *sheet, const char *ref)
{
    char *xml = cell_xml(sheet, ref);
    if (xml != NULL && strstr(xml, "<v>") != NULL)
        fail_msg("cell %s should be blank: %s", ref, xml);
    free(xml);
}

static void assert_close(double actual, double expected)
{
    if (!(fabs(actual - expected) <= 1e-9 * fmax(1.0, fabs(expected))))
        fail_msg("%.17g is not %.17g", actual, expected);
}

/* Sheet names of workbook.xml in order; returns how many. */
static size_t sheet_names(const char *workbook, char names[][32], size_t max)
{
    size_t n = 0;
    for (const char *at = strstr(workbook, "<sheet "); at && n < max;
         at = strstr(at + 1, "<sheet ")) {
        const char *name = strstr(at, "name=\"");
        assert_non_null(name);
        name += 6;
        size_t length = strcspn(name, "\"");
        assert_true(length < 32);
        memcpy(names[n], name, length);
        names[n][length] = '\0';
        n++;
    }
    return n;
}

/* The text between `open` and `close` at each place after `from`, one at a time:
 * returns a copy of the next one and moves *from past it, or NULL when there is none. */
static char *next_between(const char **from, const char *open, const char *close)
{
    const char *start = strstr(*from, open);
    if (start == NULL)
        return NULL;
    start += strlen(open);
    const char *end = strstr(start, close);
    assert_non_null(end);
    size_t n = (size_t)(end - start);
    char *text = malloc(n + 1);
    assert_non_null(text);
    memcpy(text, start, n);
    text[n] = '\0';
    *from = end + strlen(close);
    return text;
}

/* The number format of a cell: its formatCode in styles.xml, or "General". */
static char *cell_format(const char *xlsx, const char *sheet, const char *ref)
{
    char *xml = cell_xml(sheet, ref);
    if (xml == NULL)
        fail_msg("cell %s is blank, expected a formatted number", ref);
    const char *s_attr = strstr(xml, " s=\"");
    long style = s_attr != NULL ? strtol(s_attr + 4, NULL, 10) : 0;
    free(xml);
    char *styles = zip_part(xlsx, "xl/styles.xml");
    const char *at = strstr(styles, "<cellXfs");
    assert_non_null(at);
    for (long k = 0; k <= style; k++) {
        at = strstr(at + 1, "<xf ");
        assert_non_null(at);
    }
    long id = strtol(strstr(at, "numFmtId=\"") + 10, NULL, 10);
    char *code = NULL;
    if (id >= 164) {
        char pattern[64];
        snprintf(pattern, sizeof pattern, "<numFmt numFmtId=\"%ld\" formatCode=\"", id);
        const char *from = styles;
        code = next_between(&from, pattern, "\"");
    } else {
        code = strdup(id == 0 ? "General" : "builtin");
    }
    assert_non_null(code);
    free(styles);
    return code;
}

static void assert_cell_format(const char *xlsx, const char *sheet, const char *ref,
                               const char *expected)
{
    char *code = cell_format(xlsx, sheet, ref);
    if (strcmp(code, expected) != 0)
        fail_msg("cell %s has format '%s', expected '%s'", ref, code, expected);
    free(code);
}

/* The last row number (1-based) holding anything in a worksheet part. */
static long last_row(const char *sheet)
{
    long last = 0;
    for (const char *at = strstr(sheet, "<row r=\""); at; at = strstr(at + 1, "<row r=\"")) {
        long r = strtol(at + 8, NULL, 10);
        if (r > last)
            last = r;
    }
    return last;
}

/* A chart range such as Summary!$B$25:$B$26 or 'Charts data'!$C$5:$C$6: its sheet (copied
 * into `name`), first and last cell. */
static void parse_range(const char *formula, char *name, size_t size, char first[16], char last[16])
{
    const char *bang = strrchr(formula, '!');
    assert_non_null(bang);
    const char *start = formula, *end = bang;
    if (*start == '\'') {
        start++;
        end--;
    }
    snprintf(name, size, "%.*s", (int)(end - start), start);
    char col1[8], col2[8];
    int row1 = 0, row2 = 0;
    int n = sscanf(bang + 1, "$%7[A-Z]$%d:$%7[A-Z]$%d", col1, &row1, col2, &row2);
    if (n == 2) {
        snprintf(col2, sizeof col2, "%s", col1);
        row2 = row1;
    } else if (n != 4) {
        fail_msg("unexpected chart range %s", formula);
    }
    snprintf(first, 16, "%s%d", col1, row1);
    snprintf(last, 16, "%s%d", col2, row2);
}

/* The formula ranges of a chart part, in order (values, categories and names). */
static size_t chart_ranges(const char *chart, char ranges[][64], size_t max)
{
    size_t n = 0;
    const char *from = chart;
    char *f;
    while (n < max && (f = next_between(&from, "<c:f>", "</c:f>")) != NULL) {
        /* XML escapes: a sheet name never holds &, but an apostrophe may come as &apos;. */
        assert_null(strchr(f, '&'));
        snprintf(ranges[n++], 64, "%s", f);
        free(f);
    }
    return n;
}

/* The row (1-based) of the first text cell holding exactly `text`; fails when none does. */
static long row_of(const char *sheet, const char *text)
{
    char pattern[512];
    snprintf(pattern, sizeof pattern, "<t>%s</t>", text);
    const char *at = strstr(sheet, pattern);
    if (at == NULL)
        fail_msg("no cell holds '%s'", text);
    long row = 0;
    for (const char *r = strstr(sheet, "<row r=\""); r != NULL && r < at;
         r = strstr(r + 1, "<row r=\""))
        row = strtol(r + 8, NULL, 10);
    return row;
}

/* A cell reference: column letter(s) and row. */
static const char *ref_at(char out[16], const char *col, long row)
{
    snprintf(out, 16, "%s%ld", col, row);
    return out;
}

/* The number in column col of row `row`, which must be close to expected. */
static void assert_number_at(const char *sheet, const char *col, long row, double expected)
{
    char ref[16];
    assert_close(cell_number(sheet, ref_at(ref, col, row)), expected);
}

static void assert_text_at(const char *sheet, const char *col, long row, const char *expected)
{
    char ref[16];
    assert_cell_text(sheet, ref_at(ref, col, row), expected);
}

static char *write_workbook(const fixture *f, const char *name)
{
    char *path = path_in(f, name);
    assert_int_equal(ao_workbook_write(path, &f->results), AO_NO_ERROR);
    return path;
}

/* ---- JSON ---- */

static void test_json_summary_round_trips(void **state)
{
    fixture *f = *state;
    give_today(&f->plan);
    char *text = ao_json_summary(&f->results);
    assert_non_null(text);
    json_error_t error;
    json_t *root = json_loads(text, 0, &error);
    if (root == NULL)
        fail_msg("JSON does not parse: %s\n%s", error.text, text);

    /* Keys in a fixed order, starting with the contract's. */
    static const char *const order[] = {"status",
                                        "objective",
                                        "total_benefit",
                                        "discounted_benefit",
                                        "total_revenue_spend",
                                        "total_capital_spend",
                                        "specialised_share",
                                        "arrangement",
                                        "model",
                                        "rows",
                                        "columns",
                                        "nonzeros",
                                        "max_violation",
                                        "max_relative_violation",
                                        "limits_checked",
                                        "current",
                                        "moved_activity",
                                        "timings",
                                        "solver",
                                        "warm_started",
                                        "scenarios",
                                        "allocopt_version"};
    size_t k = 0;
    for (void *it = json_object_iter(root); it; it = json_object_iter_next(root, it), k++) {
        assert_true(k < sizeof order / sizeof order[0]);
        assert_string_equal(json_object_iter_key(it), order[k]);
    }
    assert_int_equal(k, sizeof order / sizeof order[0]);

    assert_string_equal(json_string_value(json_object_get(root, "status")), "optimal");
    /* The marker of allocopt's own outputs (io/output_owner.h). */
    assert_string_equal(json_string_value(json_object_get(root, "allocopt_version")), AO_VERSION);
    /* Exact: 17 significant digits round-trip every double. */
    assert_true(json_real_value(json_object_get(root, "objective")) == OBJECTIVE);
    assert_true(json_real_value(json_object_get(root, "total_benefit")) == 1300.125);
    assert_true(json_real_value(json_object_get(root, "discounted_benefit")) == 1250.0625);
    assert_true(json_number_value(json_object_get(root, "total_revenue_spend")) == 98765.5);
    assert_true(json_number_value(json_object_get(root, "total_capital_spend")) == 5000.0);
    assert_true(json_real_value(json_object_get(root, "specialised_share")) == 0.625);
    assert_string_equal(json_string_value(json_object_get(root, "arrangement")), "delegated");
    assert_string_equal(json_string_value(json_object_get(root, "model")), "Writers test model");
    assert_int_equal(json_integer_value(json_object_get(root, "rows")), 17);
    assert_int_equal(json_integer_value(json_object_get(root, "columns")), 11);
    assert_int_equal(json_integer_value(json_object_get(root, "nonzeros")), 42);
    assert_true(json_real_value(json_object_get(root, "max_violation")) == 2.5e-9);
    assert_true(json_real_value(json_object_get(root, "max_relative_violation")) == 1e-12);
    assert_int_equal(json_integer_value(json_object_get(root, "limits_checked")), 25);
    assert_null(json_object_get(root, "reason"));

    /* Today's plan (MODEL.md rule 16) and the activity moved from it (rule 17). */
    json_t *current = json_object_get(root, "current");
    assert_true(json_real_value(json_object_get(current, "objective")) == 1100.5);
    assert_true(json_real_value(json_object_get(current, "total_revenue_spend")) == 90000.75);
    assert_true(json_real_value(json_object_get(current, "total_benefit")) == 1150.25);
    json_t *broken = json_object_get(current, "limits_broken");
    assert_int_equal(json_array_size(broken), 1);
    json_t *limit = json_array_get(broken, 0);
    static const char *const limit_keys[] = {"limit", "description", "icb",   "service",
                                             "year",  "value",       "bound", "amount"};
    k = 0;
    for (void *it = json_object_iter(limit); it; it = json_object_iter_next(limit, it), k++)
        assert_string_equal(json_object_iter_key(it), limit_keys[k]);
    assert_int_equal(k, 8);
    assert_string_equal(json_string_value(json_object_get(limit, "limit")), broken_limit_name);
    assert_string_equal(json_string_value(json_object_get(limit, "description")),
                        broken_limit_text);
    assert_string_equal(json_string_value(json_object_get(limit, "icb")), "QBB");
    assert_true(json_is_null(json_object_get(limit, "service")));
    assert_string_equal(json_string_value(json_object_get(limit, "year")), "2026/27");
    assert_true(json_real_value(json_object_get(limit, "value")) == 612.3e6);
    assert_true(json_real_value(json_object_get(limit, "bound")) == 601.5e6);
    assert_true(json_real_value(json_object_get(limit, "amount")) == 10.8e6);
    assert_true(json_real_value(json_object_get(root, "moved_activity")) == 12.5);

    /* One entry per case after the baseline. */
    json_t *scenarios = json_object_get(root, "scenarios");
    assert_true(json_is_array(scenarios));
    assert_int_equal(json_array_size(scenarios), 1);
    json_t *tight = json_array_get(scenarios, 0);
    assert_string_equal(json_string_value(json_object_get(tight, "name")), "tight budgets");
    assert_string_equal(json_string_value(json_object_get(tight, "status")), "infeasible");
    assert_true(json_is_null(json_object_get(tight, "objective")));
    assert_true(json_is_number(json_object_get(tight, "total_revenue_spend")));
    assert_true(json_is_number(json_object_get(tight, "total_capital_spend")));
    assert_string_equal(json_string_value(json_object_get(tight, "arrangement")), "joint");
    assert_string_equal(json_string_value(json_object_get(tight, "reason")), infeasible_reason);

    json_decref(root);
    free(text);
}

static void test_json_infeasible_baseline(void **state)
{
    fixture *f = *state;
    ao_case cases[1] = {{"baseline", &f->model, &f->tight}};
    ao_results results = {.tables = f->tables, .input_path = "in/", .n_cases = 1, .cases = cases};
    char *text = ao_json_summary(&results);
    assert_non_null(text);
    json_t *root = json_loads(text, 0, NULL);
    assert_non_null(root);
    assert_string_equal(json_string_value(json_object_get(root, "status")), "infeasible");
    assert_true(json_is_null(json_object_get(root, "objective")));
    assert_string_equal(json_string_value(json_object_get(root, "reason")), infeasible_reason);
    assert_int_equal(json_array_size(json_object_get(root, "scenarios")), 0);
    /* Written on every run: null when today's plan was not evaluated, and no activity
     * moved without flows. */
    assert_true(json_is_null(json_object_get(root, "current")));
    assert_true(json_is_null(json_object_get(root, "moved_activity")));
    json_decref(root);
    free(text);

    assert_null(ao_json_summary(NULL));
    ao_results none = {0};
    assert_null(ao_json_summary(&none));
}

static void test_json_write_file(void **state)
{
    fixture *f = *state;
    char *path = path_in(f, "summary.json");
    assert_int_equal(ao_json_write(path, &f->results), AO_NO_ERROR);
    char *written = read_file(path);
    char *text = ao_json_summary(&f->results);
    assert_non_null(text);
    /* The file is the summary and a final newline. */
    size_t n = strlen(text);
    assert_int_equal(strlen(written), n + 1);
    assert_memory_equal(written, text, n);
    assert_int_equal(written[n], '\n');
    assert_int_equal(count_others(f->dir, "summary.json", NULL), 0);
    free(text);
    free(written);
    free(path);
}

/* ---- workbook ---- */

static void test_workbook_names_every_sheet(void **state)
{
    fixture *f = *state;
    char *path = write_workbook(f, "results.xlsx");
    char *workbook = zip_part(path, "xl/workbook.xml");
    char names[16][32];
    size_t n = sheet_names(workbook, names, 16);
    static const char *const expected[] = {"Summary", "Allocation", "Capital",
                                           "Budgets", "Indicators", "Constraints",
                                           "Inputs",  "Scenarios",  "Charts data"};
    assert_int_equal(n, 9);
    for (size_t k = 0; k < n; k++)
        assert_string_equal(names[k], expected[k]);
    free(workbook);
    /* Written whole: no temporary file is left beside it. */
    assert_int_equal(count_others(f->dir, "results.xlsx", NULL), 0);

    /* Document properties. */
    char *core = zip_part(path, "docProps/core.xml");
    assert_non_null(strstr(core, "<dc:title>allocopt results</dc:title>"));
    assert_non_null(strstr(core, AO_VERSION));
    free(core);
    free(path);

    /* One case: no Scenarios sheet. */
    f->results.n_cases = 1;
    path = write_workbook(f, "single.xlsx");
    workbook = zip_part(path, "xl/workbook.xml");
    n = sheet_names(workbook, names, 16);
    assert_int_equal(n, 8);
    for (size_t k = 0; k < 7; k++)
        assert_string_equal(names[k], expected[k]);
    assert_string_equal(names[7], "Charts data");
    free(workbook);
    free(path);
}

/* Every sheet prints on A4 landscape, one page wide, with its name and page numbers;
 * the frozen header rows repeat on every page; the print area is the used range. */
static void test_workbook_print_setup(void **state)
{
    fixture *f = *state;
    char *path = write_workbook(f, "results.xlsx");
    for (int k = 1; k <= 9; k++) {
        char part[64];
        snprintf(part, sizeof part, "xl/worksheets/sheet%d.xml", k);
        char *sheet = zip_part(path, part);
        if (strstr(sheet, "<pageSetup paperSize=\"9\" fitToHeight=\"0\" "
                          "orientation=\"landscape\"") == NULL)
            fail_msg("%s is not set up for A4 landscape, one page wide", part);
        assert_non_null(strstr(sheet, "<printOptions"));
        assert_non_null(strstr(sheet, "<pageSetUpPr fitToPage=\"1\"/>"));
        assert_non_null(strstr(sheet, "<oddHeader>&amp;L&amp;\"-,Bold\"&amp;A"));
        assert_non_null(strstr(sheet, "<oddFooter>&amp;CPage &amp;P of &amp;N</oddFooter>"));
        free(sheet);
    }
    char *workbook = zip_part(path, "xl/workbook.xml");
    assert_non_null(strstr(workbook, "<definedName name=\"_xlnm.Print_Titles\" "
                                     "localSheetId=\"3\">Budgets!$1:$1</definedName>"));
    assert_non_null(strstr(workbook, "<definedName name=\"_xlnm.Print_Titles\" "
                                     "localSheetId=\"1\">Allocation!$1:$1</definedName>"));
    /* Budgets: its table, the notes below it (two rows of data, a blank row, seven notes),
     * and the budgets by region (a blank row, a title, a header and two regions). */
    assert_non_null(strstr(workbook, "<definedName name=\"_xlnm.Print_Area\" "
                                     "localSheetId=\"3\">Budgets!$A$1:$L$16</definedName>"));
    /* The Summary's print area reaches down past its charts. */
    const char *area = strstr(workbook, "localSheetId=\"0\">Summary!$A$1:$");
    assert_non_null(area);
    const char *row = strchr(area + strlen("localSheetId=\"0\">Summary!$A$1:$"), '$');
    assert_non_null(row);
    assert_true(strtol(row + 1, NULL, 10) > 60);
    free(workbook);
    free(path);
}

/* The board-facing figures first; the solve's technical figures in a block at the
 * bottom, below the spend table, their labels unchanged. */
static void test_workbook_summary_order(void **state)
{
    fixture *f = *state;
    char *path = write_workbook(f, "results.xlsx");
    char *summary = zip_part(path, "xl/worksheets/sheet1.xml");
    const char *share = strstr(summary, ">Specialised share<");
    const char *spend = strstr(summary, ">Spend by category and year");
    const char *technical = strstr(summary, ">Technical<");
    assert_non_null(share);
    assert_non_null(spend);
    assert_non_null(technical);
    assert_true(share < spend);
    assert_true(spend < technical);
    static const char *const labels[] = {">LP rows<", ">LP columns<", ">LP nonzeros<",
                                         ">Solved by<"};
    for (size_t k = 0; k < sizeof labels / sizeof labels[0]; k++) {
        const char *at = strstr(summary, labels[k]);
        if (at == NULL || at < technical)
            fail_msg("%s is not in the Technical block", labels[k]);
    }
    free(summary);
    free(path);
}

static void test_workbook_allocation(void **state)
{
    fixture *f = *state;
    char *path = write_workbook(f, "results.xlsx");
    char *sheet = zip_part(path, "xl/worksheets/sheet2.xml");

    static const char *const headers[] = {"icb",          "service",
                                          "provider",     "year",
                                          "activity",     "spend",
                                          "need",         "coverage",
                                          "icb_name",     "region",
                                          "service_name", "provider_name",
                                          "category",     "need_after_prevention"};
    for (size_t c = 0; c < sizeof headers / sizeof headers[0]; c++) {
        char ref[8];
        snprintf(ref, sizeof ref, "%c1", (char)('A' + c));
        assert_cell_text(sheet, ref, headers[c]);
    }
    /* Row 2 is alloc[0]: QAA, SPC01 at RX1, 2025/26; QAA is in the North. */
    assert_cell_text(sheet, "A2", "QAA");
    assert_cell_text(sheet, "B2", "SPC01");
    assert_cell_text(sheet, "C2", "RX1");
    assert_cell_text(sheet, "D2", "2025/26");
    assert_close(cell_number(sheet, "E2"), activity_of(0, 0, 0));
    assert_close(cell_number(sheet, "F2"), activity_of(0, 0, 0) * 100);
    assert_close(cell_number(sheet, "G2"), 100.0);
    assert_close(cell_number(sheet, "H2"), activity_of(0, 0, 0) / 99.5);
    assert_cell_text(sheet, "I2", "North ICB");
    assert_cell_text(sheet, "J2", "North");
    assert_cell_text(sheet, "K2", "Specialised one");
    assert_cell_text(sheet, "L2", "Provider One");
    assert_cell_text(sheet, "M2", "specialised");
    assert_close(cell_number(sheet, "N2"), 99.5);
    /* Row 3 is the local priority service: no provider. */
    assert_cell_text(sheet, "B3", "PRI01");
    assert_cell_blank(sheet, "C3");
    assert_cell_blank(sheet, "L3");
    assert_close(cell_number(sheet, "G3"), 110.0);
    /* Row 9 is alloc[7]: QBB, PRI01, 2026/27, need matched by (i, s, t); QBB's region is
     * blank. */
    assert_cell_text(sheet, "A9", "QBB");
    assert_cell_text(sheet, "D9", "2026/27");
    assert_close(cell_number(sheet, "E9"), activity_of(1, 1, 1));
    assert_close(cell_number(sheet, "G9"), 211.0);
    assert_cell_text(sheet, "J9", "(no region)");
    assert_cell_text(sheet, "M9", "priority");

    /* Header frozen, autofilter over header and data. */
    assert_non_null(strstr(sheet, "state=\"frozen\""));
    assert_non_null(strstr(sheet, "<autoFilter ref=\"A1:N9\""));
    assert_non_null(strstr(sheet, "<cols>"));
    free(sheet);
    free(path);
}

/* Need and coverage once per ICB, service and year: a second provider's line of the same
 * ICB, service and year leaves them blank, so that a pivot table adds each need once. */
static void test_workbook_allocation_need_once(void **state)
{
    fixture *f = *state;
    ao_alloc_line *lines = zalloc(f->plan.n_alloc + 1, sizeof *lines);
    memcpy(lines, f->plan.alloc, f->plan.n_alloc * sizeof *lines);
    lines[f->plan.n_alloc] = f->plan.alloc[0]; /* QAA, SPC01, 2025/26 again */
    lines[f->plan.n_alloc].activity = 1.0;
    lines[f->plan.n_alloc].spend = 100.0;
    ao_alloc_line *kept = f->plan.alloc;
    size_t n = f->plan.n_alloc;
    f->plan.alloc = lines;
    f->plan.n_alloc = n + 1;
    char *path = write_workbook(f, "need_once.xlsx");
    f->plan.alloc = kept;
    f->plan.n_alloc = n;
    free(lines);
    char *sheet = zip_part(path, "xl/worksheets/sheet2.xml");
    char ref[16];
    snprintf(ref, sizeof ref, "A%zu", n + 2);
    assert_cell_text(sheet, ref, "QAA");
    assert_close(cell_number(sheet, "G2"), 100.0);
    snprintf(ref, sizeof ref, "E%zu", n + 2);
    assert_close(cell_number(sheet, ref), 1.0);
    const char cols[] = {'G', 'H', 'N'};
    for (size_t c = 0; c < sizeof cols; c++) {
        snprintf(ref, sizeof ref, "%c%zu", cols[c], n + 2);
        assert_cell_blank(sheet, ref);
    }
    free(sheet);
    free(path);
}

static void test_workbook_numbers_and_formats(void **state)
{
    fixture *f = *state;
    char *path = write_workbook(f, "results.xlsx");

    char *styles = zip_part(path, "xl/styles.xml");
    static const char *const formats[] = {"formatCode=\"£#,##0\"", "formatCode=\"#,##0.0\"",
                                          "formatCode=\"0.0%\"", "formatCode=\"#,##0.000\""};
    for (size_t k = 0; k < sizeof formats / sizeof formats[0]; k++)
        if (strstr(styles, formats[k]) == NULL)
            fail_msg("styles.xml has no %s", formats[k]);
    free(styles);

    /* No sheet holds a NaN, an infinity or a formula. */
    for (int k = 1; k <= 9; k++) {
        char part[64];
        snprintf(part, sizeof part, "xl/worksheets/sheet%d.xml", k);
        char *sheet = zip_part(path, part);
        assert_null(strstr(sheet, "<v>NAN"));
        assert_null(strstr(sheet, "<v>INF"));
        assert_null(strstr(sheet, "<v>-INF"));
        assert_null(strstr(sheet, "<v>-NAN"));
        assert_null(strstr(sheet, "<f>"));
        free(sheet);
    }

    /* Summary: label in A, number in B. */
    char *summary = zip_part(path, "xl/worksheets/sheet1.xml");
    assert_non_null(strstr(summary, "Optimal plan found"));
    assert_non_null(strstr(summary, "2025/26 to 2026/27"));
    free(summary);

    /* Capital: the expansion of 5 units only (0 units is not capacity added). */
    char *capital = zip_part(path, "xl/worksheets/sheet3.xml");
    assert_cell_text(capital, "A2", "RX1");
    assert_cell_text(capital, "C2", "QAA");
    assert_cell_text(capital, "E1", "host_region");
    assert_cell_text(capital, "E2", "North");
    assert_close(cell_number(capital, "I2"), 5.0);
    assert_close(cell_number(capital, "J2"), 5000.0);
    assert_cell_text(capital, "K2", "2026/27");
    assert_null(cell_xml(capital, "A3"));
    free(capital);

    /* Budgets: contract columns, shadow price as a number, binding in words. */
    char *budgets = zip_part(path, "xl/worksheets/sheet4.xml");
    static const char *const headers[] = {"pool", "year",     "kind",         "available",
                                          "used", "headroom", "shadow_price", "binding"};
    for (size_t c = 0; c < sizeof headers / sizeof headers[0]; c++) {
        char ref[8];
        snprintf(ref, sizeof ref, "%c1", (char)('A' + c));
        assert_cell_text(budgets, ref, headers[c]);
    }
    assert_cell_text(budgets, "A2", "QAA");
    assert_cell_text(budgets, "C2", "revenue");
    assert_close(cell_number(budgets, "G2"), 42.5);
    assert_cell_text(budgets, "H2", "yes");
    assert_cell_text(budgets, "I2", "North ICB");
    assert_cell_text(budgets, "J1", "region");
    assert_cell_text(budgets, "J2", "North");
    assert_close(cell_number(budgets, "K2"), 40000);
    assert_cell_blank(budgets, "L2");
    assert_cell_text(budgets, "C3", "capital");
    assert_cell_text(budgets, "J3", "(no region)");
    /* One rule for the flag and the price: headroom, so not binding and no price. */
    assert_cell_text(budgets, "H3", "no");
    assert_close(cell_number(budgets, "G3"), 0.0);
    assert_cell_blank(budgets, "K3");
    assert_cell_blank(budgets, "L3");
    /* A note below the table gives the price its units and explains a blank range. */
    assert_null(cell_xml(budgets, "A4"));
    assert_non_null(strstr(budgets, "of objective per extra £1m of budget; 0 means the budget "
                                    "does not bind."));
    assert_non_null(strstr(budgets, "A blank price_holds_to: the price holds however much the "
                                    "budget grows."));
    free(budgets);

    /* Indicators: a titled block per risk, flags as conditional formats. */
    char *indicators = zip_part(path, "xl/worksheets/sheet5.xml");
    static const char *const risks[] = {"Revenue prioritisation",        "Access to capital",
                                        "Geographic variation",          "Fragmentation",
                                        "Centres of excellence",         "Pathways and prevention",
                                        "Contracts: how many providers", "Provider collaboratives"};
    for (size_t k = 0; k < sizeof risks / sizeof risks[0]; k++)
        if (strstr(indicators, risks[k]) == NULL)
            fail_msg("Indicators has no block '%s'", risks[k]);
    /* Share below baseline (row 5 of the first block), cv above 0.1, margin below zero. */
    assert_non_null(strstr(indicators, "<formula>AND(ISNUMBER($G5),$G5&lt;$H5-0.0005)</formula>"));
    assert_non_null(strstr(indicators, "operator=\"greaterThan\"><formula>0.1</formula>"));
    assert_non_null(strstr(indicators, "operator=\"lessThan\"><formula>-1E-06</formula>"));
    assert_non_null(strstr(indicators, "whole plan"));
    free(indicators);

    /* Constraints: infinite bounds are blank cells. */
    char *constraints = zip_part(path, "xl/worksheets/sheet6.xml");
    assert_cell_text(constraints, "A2", "Revenue");
    assert_cell_blank(constraints, "D2");
    assert_close(cell_number(constraints, "E2"), 50000);
    assert_close(cell_number(constraints, "H2"), 4.25e-5);
    assert_close(cell_number(constraints, "D3"), 10);
    assert_cell_blank(constraints, "D4");
    assert_cell_blank(constraints, "E4");
    assert_cell_blank(constraints, "F4");
    free(constraints);

    /* Scenarios: the infeasible case has a status and no objective. */
    char *scenarios = zip_part(path, "xl/worksheets/sheet8.xml");
    assert_cell_text(scenarios, "A2", "baseline");
    assert_close(cell_number(scenarios, "C2"), OBJECTIVE);
    assert_close(cell_number(scenarios, "D2"), 0.0);
    assert_cell_text(scenarios, "A3", "tight budgets");
    assert_cell_text(scenarios, "B3", "No feasible plan");
    assert_cell_blank(scenarios, "C3");
    assert_cell_blank(scenarios, "D3");
    free(scenarios);
    free(path);
}

/* Scenarios: each figure beside its difference from the baseline, the risks' headlines. */
static void test_workbook_scenarios(void **state)
{
    fixture *f = *state;
    /* A third case: the baseline's lines with other headline figures. */
    ao_plan more = f->plan;
    more.objective = OBJECTIVE + 10.0;
    more.total_capital_spend = 6000.0;
    more.specialised_share = 0.6;
    more.n_volumes = 1; /* only the year with a margin of 70 */
    more.n_prevention = 0;
    ao_case cases[3] = {f->cases[0], f->cases[1], {"more capital", &f->model, &more}};
    ao_results results = {.tables = f->tables, .input_path = "in/", .n_cases = 3, .cases = cases};
    char *path = path_in(f, "scenarios.xlsx");
    assert_int_equal(ao_workbook_write(path, &results), AO_NO_ERROR);
    char *sheet = zip_part(path, "xl/worksheets/sheet8.xml");

    static const char *const headers[] = {"scenario",
                                          "status",
                                          "objective",
                                          "objective_difference",
                                          "total_revenue_spend",
                                          "total_revenue_spend_difference",
                                          "total_capital_spend",
                                          "total_capital_spend_difference",
                                          "specialised_share",
                                          "specialised_share_difference",
                                          "lowest_icb_share_vs_baseline",
                                          "lowest_icb_share_vs_baseline_difference",
                                          "highest_coverage_cv",
                                          "highest_coverage_cv_difference",
                                          "most_icbs_per_provider",
                                          "most_icbs_per_provider_difference",
                                          "smallest_volume_margin",
                                          "smallest_volume_margin_difference",
                                          "need_avoided",
                                          "need_avoided_difference",
                                          "arrangement",
                                          "funding_gap",
                                          "why_no_plan"};
    for (size_t c = 0; c < sizeof headers / sizeof headers[0]; c++) {
        char ref[8];
        snprintf(ref, sizeof ref, "%c1", (char)('A' + c));
        assert_cell_text(sheet, ref, headers[c]);
    }
    /* Baseline: the risks' headlines, each difference zero. */
    assert_close(cell_number(sheet, "E2"), 98765.5);
    assert_close(cell_number(sheet, "K2"), -0.1); /* QBB: 40 % against 50 % */
    assert_close(cell_number(sheet, "M2"), 0.2);
    assert_close(cell_number(sheet, "O2"), 2);
    assert_close(cell_number(sheet, "Q2"), -4.5);
    assert_close(cell_number(sheet, "S2"), 6);
    for (char col = 'D'; col <= 'T'; col += 2) {
        char ref[8];
        snprintf(ref, sizeof ref, "%c2", col);
        assert_close(cell_number(sheet, ref), 0.0);
    }
    assert_cell_text(sheet, "U2", "delegated");
    /* No plan: no figures, no differences, the arrangement still said. */
    for (char col = 'C'; col <= 'T'; col++) {
        char ref[8];
        snprintf(ref, sizeof ref, "%c3", col);
        assert_cell_blank(sheet, ref);
    }
    assert_cell_text(sheet, "U3", "joint");
    /* The third case against the baseline. */
    assert_close(cell_number(sheet, "D4"), 10.0);
    assert_close(cell_number(sheet, "F4"), 0.0);
    assert_close(cell_number(sheet, "H4"), 1000.0);
    assert_close(cell_number(sheet, "J4"), -0.025);
    assert_close(cell_number(sheet, "Q4"), 70.0);
    assert_close(cell_number(sheet, "R4"), 74.5);
    assert_cell_blank(sheet, "S4"); /* no prevention lines: no figure */
    assert_cell_blank(sheet, "T4");
    /* Differences are signed; figures keep their own formats. */
    assert_cell_format(path, sheet, "H4", "+£#,##0;-£#,##0;£0");
    assert_cell_format(path, sheet, "J4", "+0.0%;-0.0%;0.0%");
    assert_cell_format(path, sheet, "D4", "+#,##0.00;-#,##0.00;0.00");
    assert_cell_format(path, sheet, "G4", "£#,##0");
    assert_cell_format(path, sheet, "K2", "0.0%");
    /* Risks flagged as on the Indicators sheet; header frozen, autofilter on. */
    assert_non_null(strstr(sheet, "sqref=\"K2:K4\""));
    assert_non_null(strstr(sheet, "sqref=\"M2:M4\""));
    assert_non_null(strstr(sheet, "sqref=\"Q2:Q4\""));
    assert_non_null(strstr(sheet, "state=\"frozen\""));
    assert_non_null(strstr(sheet, "<autoFilter ref=\"A1:W4\""));
    /* No case here has a funding gap; the one with no plan says why, the others do not. */
    assert_cell_blank(sheet, "V3");
    assert_cell_text(sheet, "W3",
                     "QAA 2025/26 revenue: Raise QAA's 2025/26 revenue by £5. (and 1 more limit)");
    assert_cell_blank(sheet, "W2");
    assert_cell_blank(sheet, "W4");
    assert_non_null(strstr(sheet, "Each _difference column is the case minus baseline"));
    free(sheet);
    free(path);
}

static void test_workbook_inputs_are_text(void **state)
{
    fixture *f = *state;
    char *path = write_workbook(f, "results.xlsx");
    char *inputs = zip_part(path, "xl/worksheets/sheet7.xml");
    /* Title, blank row, table title, header, then the rows as typed. */
    assert_non_null(strstr(inputs, "budgets (in/budgets.csv)"));
    assert_cell_text(inputs, "B4", "icb");
    assert_cell_text(inputs, "E4", "note");
    assert_close(cell_number(inputs, "A5"), 2);
    assert_cell_text(inputs, "D5", "50,000");
    assert_cell_text(inputs, "E5", "=1+1");
    assert_cell_text(inputs, "D6", "-5");
    assert_cell_text(inputs, "E6", "@SUM(A1)");
    assert_cell_text(inputs, "D7", "+3");
    assert_close(cell_number(inputs, "A7"), 5);
    assert_null(strstr(inputs, "<f>"));
    free(inputs);
    free(path);
}

static void test_workbook_infeasible_summary(void **state)
{
    fixture *f = *state;
    ao_case cases[1] = {{"baseline", &f->model, &f->tight}};
    ao_results results = {.tables = f->tables, .input_path = "in/", .n_cases = 1, .cases = cases};
    char *path = path_in(f, "infeasible.xlsx");
    assert_int_equal(ao_workbook_write(path, &results), AO_NO_ERROR);
    char *summary = zip_part(path, "xl/worksheets/sheet1.xml");
    assert_non_null(strstr(summary, "No feasible plan"));
    assert_non_null(strstr(summary, "No plan meets every limit at once."));
    /* The limits that must move, as a table (their sentences are the rest of the text). */
    assert_non_null(strstr(summary, "What would have to change for a plan to exist"));
    assert_non_null(strstr(summary, "2025/26 revenue by £5."));
    assert_non_null(strstr(summary, "The Diagnosis sheet lists these limits"));
    assert_null(strstr(summary, "<v>NAN"));
    /* No plan, no charts. */
    assert_null(strstr(summary, "<drawing"));
    free(summary);

    /* The Diagnosis sheet follows the Summary; no Charts data sheet. */
    char *workbook = zip_part(path, "xl/workbook.xml");
    char names[16][32];
    size_t n = sheet_names(workbook, names, 16);
    assert_int_equal(n, 8);
    assert_string_equal(names[0], "Summary");
    assert_string_equal(names[1], "Diagnosis");
    assert_string_equal(names[2], "Allocation");
    assert_string_equal(names[7], "Inputs");
    free(workbook);
    char *diagnosis = zip_part(path, "xl/worksheets/sheet2.xml");
    assert_non_null(strstr(diagnosis, "smallest that would make a plan possible"));
    static const char *const headers[] = {"group",           "limit",     "as_given",
                                          "change_needed",   "direction", "limit_for_a_plan",
                                          "what_must_change"};
    for (size_t c = 0; c < sizeof headers / sizeof headers[0]; c++) {
        char ref[8];
        snprintf(ref, sizeof ref, "%c2", (char)('A' + c));
        assert_cell_text(diagnosis, ref, headers[c]);
    }
    /* A budget to raise, in pounds. */
    assert_cell_text(diagnosis, "A3", "Revenue");
    assert_cell_text(diagnosis, "B3", "QAA 2025/26 revenue");
    assert_close(cell_number(diagnosis, "C3"), 50000);
    assert_close(cell_number(diagnosis, "D3"), 5);
    assert_cell_text(diagnosis, "E3", "raise the maximum");
    assert_close(cell_number(diagnosis, "F3"), 50005);
    assert_cell_text(diagnosis, "G3", "Raise QAA's 2025/26 revenue by £5.");
    assert_cell_format(path, diagnosis, "D3", "£#,##0");
    assert_cell_format(path, diagnosis, "F3", "£#,##0");
    /* A minimum to lower, in units of activity. */
    assert_cell_text(diagnosis, "A4", "National standard");
    assert_close(cell_number(diagnosis, "D4"), 2.5);
    assert_cell_text(diagnosis, "E4", "lower the minimum");
    assert_close(cell_number(diagnosis, "F4"), 87.5);
    assert_cell_format(path, diagnosis, "D4", "#,##0.0");
    /* Header frozen below the title, autofilter over header and rows. */
    assert_non_null(strstr(diagnosis, "topLeftCell=\"A3\""));
    assert_non_null(strstr(diagnosis, "<autoFilter ref=\"A2:G4\""));
    free(diagnosis);
    free(path);

    /* Without a diagnosis, every line of the explanation. */
    f->tight.n_diagnosis = 0;
    path = path_in(f, "infeasible-text.xlsx");
    assert_int_equal(ao_workbook_write(path, &results), AO_NO_ERROR);
    f->tight.n_diagnosis = 2;
    summary = zip_part(path, "xl/worksheets/sheet1.xml");
    assert_non_null(strstr(summary, "No plan meets every limit at once."));
    assert_non_null(strstr(summary, "QAA 2025/26 revenue [Revenue]: needs at least 5"));
    assert_null(strstr(summary, "What would have to change"));
    free(summary);
    diagnosis = zip_part(path, "xl/worksheets/sheet2.xml");
    assert_non_null(strstr(diagnosis, "could not be narrowed down"));
    free(diagnosis);
    /* The data sheets hold their headers only. */
    char *allocation = zip_part(path, "xl/worksheets/sheet3.xml");
    assert_cell_text(allocation, "A1", "icb");
    assert_null(cell_xml(allocation, "A2"));
    free(allocation);
    free(path);
}

/* Every series of a chart draws on cells that hold what it says: check each range's
 * first and last cell in the sheet it names. */
typedef struct expected_range {
    const char *sheet_part; ///< Worksheet part of the range's sheet.
    const char *sheet_name; ///< Its name as the chart spells it.
    const char *first_text; ///< Text expected in the first cell, or NULL for a number.
    double first_number;    ///< Number expected in the first cell (when first_text is NULL).
    const char *last_text;  ///< Text expected in the last cell, or NULL for a number.
    double last_number;     ///< Number expected in the last cell.
} expected_range;

static void assert_chart_ranges(const char *xlsx, const char *chart_part,
                                const expected_range *expected, size_t n_expected)
{
    char *chart = zip_part(xlsx, chart_part);
    char ranges[32][64];
    size_t n = chart_ranges(chart, ranges, 32);
    if (n != n_expected)
        fail_msg("%s has %zu ranges, expected %zu", chart_part, n, n_expected);
    for (size_t k = 0; k < n; k++) {
        char name[32], first[16], last[16];
        parse_range(ranges[k], name, sizeof name, first, last);
        assert_string_equal(name, expected[k].sheet_name);
        char *sheet = zip_part(xlsx, expected[k].sheet_part);
        if (expected[k].first_text != NULL)
            assert_cell_text(sheet, first, expected[k].first_text);
        else
            assert_close(cell_number(sheet, first), expected[k].first_number);
        if (expected[k].last_text != NULL)
            assert_cell_text(sheet, last, expected[k].last_text);
        else
            assert_close(cell_number(sheet, last), expected[k].last_number);
        free(sheet);
    }
    free(chart);
}

static void test_workbook_charts(void **state)
{
    fixture *f = *state;
    char *path = write_workbook(f, "results.xlsx");
    const char *summary_part = "xl/worksheets/sheet1.xml";
    const char *data_part = "xl/worksheets/sheet9.xml";
    double spec[YEARS] = {0}, prio[YEARS] = {0};
    for (int t = 0; t < YEARS; t++)
        for (int i = 0; i < 2; i++) {
            spec[t] += activity_of(i, 0, t) * 100;
            prio[t] += activity_of(i, 1, t) * 10;
        }

    /* 1: revenue by category and year, stacked, from the Summary's spend table. */
    char *chart = zip_part(path, "xl/charts/chart1.xml");
    assert_non_null(strstr(chart, "<c:grouping val=\"stacked\"/>"));
    assert_non_null(strstr(chart, "Revenue spend by category and year"));
    /* Text categories are referred to as text, as Excel does. */
    assert_non_null(strstr(chart, "<c:cat><c:strRef>"));
    assert_null(strstr(chart, "<c:cat><c:numRef>"));
    free(chart);
    const expected_range revenue[] = {
        /* series name, categories, values; twice */
        {summary_part, "Summary", "specialised spend", 0, "specialised spend", 0},
        {summary_part, "Summary", "2025/26", 0, "2026/27", 0},
        {summary_part, "Summary", NULL, spec[0], NULL, spec[1]},
        {summary_part, "Summary", "priority spend", 0, "priority spend", 0},
        {summary_part, "Summary", "2025/26", 0, "2026/27", 0},
        {summary_part, "Summary", NULL, prio[0], NULL, prio[1]},
    };
    assert_chart_ranges(path, "xl/charts/chart1.xml", revenue, 6);

    /* 2: capital by year. */
    const expected_range capital[] = {
        {summary_part, "Summary", "capital spend", 0, "capital spend", 0},
        {summary_part, "Summary", "2025/26", 0, "2026/27", 0},
        {summary_part, "Summary", NULL, 5000, NULL, 0},
    };
    assert_chart_ranges(path, "xl/charts/chart2.xml", capital, 3);

    /* 3: each ICB's specialised share in the last year against its baseline share. */
    chart = zip_part(path, "xl/charts/chart3.xml");
    assert_non_null(strstr(chart, "in 2026/27 (last year of the plan)"));
    assert_non_null(strstr(chart, "<c:grouping val=\"clustered\"/>"));
    assert_non_null(strstr(chart, "<c:min val=\"0\"/>"));
    free(chart);
    const expected_range shares[] = {
        {data_part, "Charts data", "specialised share", 0, "specialised share", 0},
        {data_part, "Charts data", "North ICB", 0, "South ICB", 0},
        {data_part, "Charts data", NULL, 0.6, NULL, 0.4},
        {data_part, "Charts data", "baseline share", 0, "baseline share", 0},
        {data_part, "Charts data", "North ICB", 0, "South ICB", 0},
        {data_part, "Charts data", NULL, 0.5, NULL, 0.5},
    };
    assert_chart_ranges(path, "xl/charts/chart3.xml", shares, 6);

    /* 4: coverage of each specialised service by ICB, last year: one series per ICB. */
    chart = zip_part(path, "xl/charts/chart4.xml");
    assert_non_null(strstr(chart, "Coverage of each specialised service by ICB in 2026/27"));
    assert_non_null(strstr(chart, "<c:max val=\"1\"/>"));
    free(chart);
    const expected_range coverage[] = {
        {data_part, "Charts data", "North ICB", 0, "North ICB", 0},
        {data_part, "Charts data", "Specialised one", 0, "Specialised one", 0},
        {data_part, "Charts data", NULL, activity_of(0, 0, 1) / 100.5, NULL,
         activity_of(0, 0, 1) / 100.5},
        {data_part, "Charts data", "South ICB", 0, "South ICB", 0},
        {data_part, "Charts data", "Specialised one", 0, "Specialised one", 0},
        {data_part, "Charts data", NULL, activity_of(1, 0, 1) / 200.5, NULL,
         activity_of(1, 0, 1) / 200.5},
    };
    assert_chart_ranges(path, "xl/charts/chart4.xml", coverage, 6);
    /* The priority service is not charted. */
    char *data = zip_part(path, data_part);
    assert_null(strstr(data, "Priority one"));
    free(data);

    /* The charts sit on the Summary, below everything written on it, with alt text. */
    char *rels = zip_part(path, "xl/worksheets/_rels/sheet1.xml.rels");
    assert_non_null(strstr(rels, "../drawings/drawing1.xml"));
    free(rels);
    char *summary = zip_part(path, summary_part);
    long rows = last_row(summary);
    assert_non_null(strstr(summary, "<rowBreaks"));
    free(summary);
    char *drawing = zip_part(path, "xl/drawings/drawing1.xml");
    size_t n_charts = 0;
    const char *from = drawing;
    char *anchor;
    while ((anchor = next_between(&from, "<xdr:from>", "</xdr:from>")) != NULL) {
        const char *row = strstr(anchor, "<xdr:row>");
        assert_non_null(row);
        /* 0-based row of the chart's top left corner. */
        if (strtol(row + 9, NULL, 10) < rows)
            fail_msg("chart %zu starts on row %ld, above the Summary's last row %ld", n_charts + 1,
                     strtol(row + 9, NULL, 10) + 1, rows);
        free(anchor);
        n_charts++;
    }
    assert_int_equal(n_charts, 4);
    assert_non_null(strstr(drawing, "descr=\"Stacked columns: specialised and priority"));
    free(drawing);
    free(path);
}

/* The same results give the same bytes; the creation date is fixed or SOURCE_DATE_EPOCH. */
static void test_workbook_reproducible(void **state)
{
    fixture *f = *state;
    const char *saved = getenv("SOURCE_DATE_EPOCH");
    char *kept = saved != NULL ? strdup(saved) : NULL;
    unsetenv("SOURCE_DATE_EPOCH");

    char *first = write_workbook(f, "first.xlsx");
    /* Let the clock move on: nothing in the file may follow it. */
    sleep(1);
    char *second = write_workbook(f, "second.xlsx");
    FILE *a = fopen(first, "rb"), *b = fopen(second, "rb");
    assert_non_null(a);
    assert_non_null(b);
    size_t offset = 0;
    int ca, cb;
    do {
        ca = getc(a);
        cb = getc(b);
        if (ca != cb)
            fail_msg("the two workbooks differ at byte %zu", offset);
        offset++;
    } while (ca != EOF);
    fclose(a);
    fclose(b);
    char *core = zip_part(first, "docProps/core.xml");
    assert_non_null(strstr(core, "<dcterms:created xsi:type=\"dcterms:W3CDTF\">"
                                 "2025-04-01T00:00:00Z</dcterms:created>"));
    assert_non_null(strstr(core, "<dcterms:modified xsi:type=\"dcterms:W3CDTF\">"
                                 "2025-04-01T00:00:00Z</dcterms:modified>"));
    free(core);
    free(first);
    free(second);

    static const struct {
        const char *epoch, *date;
    } cases[] = {
        {"1700000000", "2023-11-14T22:13:20Z"},
        /* libxlsxwriter reads 0 as "now": the epoch is written a second later. */
        {"0", "1970-01-01T00:00:01Z"},
        /* Not a number of seconds: the fixed date. */
        {"soon", "2025-04-01T00:00:00Z"},
        {"-5", "2025-04-01T00:00:00Z"},
        {"99999999999999999999", "2025-04-01T00:00:00Z"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        assert_int_equal(setenv("SOURCE_DATE_EPOCH", cases[k].epoch, 1), 0);
        char *path = write_workbook(f, "epoch.xlsx");
        core = zip_part(path, "docProps/core.xml");
        if (strstr(core, cases[k].date) == NULL)
            fail_msg("SOURCE_DATE_EPOCH=%s: core.xml has no %s", cases[k].epoch, cases[k].date);
        free(core);
        free(path);
    }
    if (kept != NULL)
        setenv("SOURCE_DATE_EPOCH", kept, 1);
    else
        unsetenv("SOURCE_DATE_EPOCH");
    free(kept);
}

/* A CSV line: the text before a number, the number (written so that it reads back
 * exactly), and the text after it. */
static void assert_csv_line(const char *line, const char *before, double number, const char *after)
{
    size_t n = strlen(before);
    if (strncmp(line, before, n) != 0)
        fail_msg("CSV line '%.120s' does not start with '%s'", line, before);
    char *end = NULL;
    double read = strtod(line + n, &end);
    if (read != number)
        fail_msg("CSV line '%.120s': %.17g is not %.17g", line, read, number);
    if (strncmp(end, after, strlen(after)) != 0)
        fail_msg("CSV line '%.160s' does not go on with '%s'", line, after);
}

/* Names that a spreadsheet would take for formulas, or that need quoting in CSV. */
#define ICB_TRICKY "North, \"East\" ICB"
#define PROVIDER_TRICKY "=HYPERLINK(\"http://x\")"
#define SERVICE_TRICKY "+Priority one"
#define ICB_AT "@South"
#define SPLIT_LINES 1100000u

/* A plan longer than one sheet: split over two, and whole in a CSV beside the workbook. */
static void test_workbook_split_allocation(void **state)
{
    const char *slow = getenv("AO_SLOW_TESTS");
    if (slow == NULL || strcmp(slow, "1") != 0) {
        print_message("skipped: set AO_SLOW_TESTS=1 to write 1,100,000 allocation lines\n");
        skip();
    }
    fixture *f = *state;
    f->model.icbs[0].name = ICB_TRICKY;
    f->model.icbs[1].name = ICB_AT;
    f->model.providers[0].name = PROVIDER_TRICKY;
    f->model.services[1].name = SERVICE_TRICKY;
    ao_plan big = f->plan;
    big.n_alloc = SPLIT_LINES;
    big.alloc = zalloc(SPLIT_LINES, sizeof *big.alloc);
    for (size_t k = 0; k < SPLIT_LINES; k++) {
        int i = (int)(k % 2), s = (int)(k / 2 % 2), t = (int)(k / 4 % YEARS);
        big.alloc[k] = (ao_alloc_line){.i = i,
                                       .s = s,
                                       .p = s == 0 ? 0 : -1,
                                       .t = t,
                                       .activity = (double)k + 0.5,
                                       .spend = ((double)k + 0.5) * f->model.services[s].unit_cost};
    }
    ao_case cases[1] = {{"baseline", &f->model, &big}};
    ao_results results = {.tables = f->tables, .input_path = "in/", .n_cases = 1, .cases = cases};
    char *path = path_in(f, "big.xlsx");
    assert_int_equal(ao_workbook_write(path, &results), AO_NO_ERROR);
    /* The workbook, the CSV, nothing else. */
    assert_int_equal(count_others(f->dir, "big.xlsx", "big.allocation.csv"), 0);

    char *workbook = zip_part(path, "xl/workbook.xml");
    char names[16][32];
    size_t n = sheet_names(workbook, names, 16);
    assert_true(n >= 3);
    assert_string_equal(names[1], "Allocation");
    assert_string_equal(names[2], "Allocation (2)");
    assert_string_equal(names[3], "Capital");
    free(workbook);
    /* The second part: the header again, then the lines the first could not hold. */
    char *part = zip_part(path, "xl/worksheets/sheet3.xml");
    size_t first = 1048575; /* data rows of the first part */
    assert_cell_text(part, "A1", "icb");
    assert_cell_text(part, "A2", (first % 2) == 0 ? "QAA" : "QBB");
    assert_close(cell_number(part, "E2"), (double)first + 0.5);
    char ref[32];
    snprintf(ref, sizeof ref, "<autoFilter ref=\"A1:N%zu\"", SPLIT_LINES - first + 1);
    assert_non_null(strstr(part, ref));
    assert_non_null(strstr(part, "state=\"frozen\""));
    free(part);
    /* The Summary says where the whole table is. */
    char *summary = zip_part(path, "xl/worksheets/sheet1.xml");
    assert_non_null(strstr(summary, "Allocation detail"));
    assert_non_null(strstr(summary, "big.allocation.csv"));
    assert_non_null(strstr(summary, "1100000 allocation lines"));
    free(summary);

    /* The CSV: a header and every line, CRLF, quoted where RFC 4180 says, formulas defused. */
    char *csv_path = path_in(f, "big.allocation.csv");
    char *csv = read_file(csv_path);
    const char *header = "icb,service,provider,year,activity,spend,need,coverage,icb_name,"
                         "region,service_name,provider_name,category,need_after_prevention\r\n";
    assert_memory_equal(csv, header, strlen(header));
    size_t lines = 0;
    for (const char *c = csv; *c; c++)
        if (*c == '\n') {
            assert_true(c > csv && c[-1] == '\r');
            lines++;
        }
    assert_int_equal(lines, SPLIT_LINES + 1);
    /* alloc[0]: QAA, SPC01 at RX1, 2025/26; need 100, need after prevention 99.5. */
    const char *line1 = csv + strlen(header);
    assert_csv_line(line1, "QAA,SPC01,RX1,2025/26,0.5,50,100,", activity_of(0, 0, 0) / 99.5,
                    ",\"North, \"\"East\"\" ICB\",North,Specialised one,"
                    "\"'=HYPERLINK(\"\"http://x\"\")\",specialised,99.5\r\n");
    /* alloc[3]: QBB, PRI01, local: no provider; names starting with @ and +. */
    const char *line4 = line1;
    for (int k = 0; k < 3; k++)
        line4 = strchr(line4, '\n') + 1;
    assert_csv_line(line4, "QBB,PRI01,,2025/26,3.5,35,210,", activity_of(1, 1, 0) / 209.5,
                    ",'@South,(no region),'+Priority one,,priority,209.5\r\n");
    free(csv);
    free(csv_path);
    free(path);
    free(big.alloc);
}

static void test_missing_folder_fails_cleanly(void **state)
{
    fixture *f = *state;
    char *path = path_in(f, "no-such-folder/results.xlsx");
    assert_int_equal(ao_workbook_write(path, &f->results), AO_ERROR_FILE_WRITE);
    free(path);
    path = path_in(f, "no-such-folder/summary.json");
    assert_int_equal(ao_json_write(path, &f->results), AO_ERROR_FILE_WRITE);
    free(path);
    /* Nothing left behind: no folder, no temporary file. */
    assert_int_equal(count_others(f->dir, NULL, NULL), 0);
}

static void test_failed_write_keeps_target(void **state)
{
    fixture *f = *state;
    static const char *const targets[] = {"results.xlsx", "summary.json"};
    for (int k = 0; k < 2; k++) {
        char *target = path_in(f, targets[k]);
        write_file(target, "the previous results");
        /* Something the writer cannot replace sits where its temporary file goes. */
        char *temp = ao_atomic_temp_path(target);
        assert_non_null(temp);
        assert_int_equal(mkdir(temp, 0700), 0);
        size_t n = strlen(temp) + 8;
        char *inside = malloc(n);
        assert_non_null(inside);
        snprintf(inside, n, "%s/keep", temp);
        write_file(inside, "x");
        ao_error err =
            k == 0 ? ao_workbook_write(target, &f->results) : ao_json_write(target, &f->results);
        assert_int_equal(err, AO_ERROR_FILE_WRITE);
        char *kept = read_file(target);
        assert_string_equal(kept, "the previous results");
        free(kept);
        remove(inside);
        rmdir(temp);
        free(inside);
        free(temp);
        free(target);
    }
    assert_int_equal(count_others(f->dir, targets[0], targets[1]), 0);
}

/* The workbook is complete before the rename: a rename that fails leaves the target
 * (here a folder) as it was and removes the finished temporary file. */
static void test_failed_rename_removes_temp(void **state)
{
    fixture *f = *state;
    char *target = path_in(f, "taken");
    assert_int_equal(mkdir(target, 0700), 0);
    char *inside = path_in(f, "taken/keep");
    write_file(inside, "x");
    assert_int_equal(ao_workbook_write(target, &f->results), AO_ERROR_FILE_WRITE);
    char *kept = read_file(inside);
    assert_string_equal(kept, "x");
    free(kept);
    assert_int_equal(count_others(f->dir, "taken", NULL), 0);
    free(inside);
    free(target);
}

/* ---- figures and sentences in words ---- */

static void test_words(void **state)
{
    fixture *f = *state;
    char figure[AO_WORDS_FIGURE];
    assert_string_equal(ao_format_money(1451e6, figure), "£1,451.0m");
    assert_string_equal(ao_format_money(1.05e6, figure), "£1.1m");
    assert_string_equal(ao_format_money(5000, figure), "£5,000");
    assert_string_equal(ao_format_money(999999.6, figure), "£1,000,000");
    assert_string_equal(ao_format_money(-1.5e6, figure), "-£1.5m");
    assert_string_equal(ao_format_money(-0.4, figure), "£0");
    assert_string_equal(ao_format_number(13237.74, 1, figure), "13,237.7");
    assert_string_equal(ao_format_number(-1234567.0, 0, figure), "-1,234,567");
    assert_string_equal(ao_format_number(-0.04, 1, figure), "0.0");

    char sentence[AO_WORDS_SENTENCE];
    ao_plan *p = &f->plan;
    /* Not evaluated: nothing to compare. */
    assert_int_equal(ao_words_comparison(&f->model, p, sentence, sizeof sentence), 0);
    assert_string_equal(sentence, "");
    p->current.evaluated = 1;
    p->current.total_benefit = 1200.125;
    /* The optimal plan spends 98,765.5 of revenue and 5,000 of capital. */
    p->current.total_revenue_spend = 103765.5;
    assert_int_equal(ao_words_comparison(&f->model, p, sentence, sizeof sentence), 1);
    assert_string_equal(sentence, "The optimal plan buys 100.0 more QALY (+8.3%) than today's "
                                  "allocation for the same money.");
    p->current.total_revenue_spend = 100000;
    assert_int_equal(ao_words_comparison(&f->model, p, sentence, sizeof sentence), 1);
    assert_string_equal(sentence, "The optimal plan buys 100.0 more QALY (+8.3%) than today's "
                                  "allocation, and spends £3,766 more: £103,766 of revenue and "
                                  "capital against today's £100,000 over the plan (not "
                                  "discounted).");
    /* Today's allocation may buy more, breaking limits: said as it is. */
    p->current.total_benefit = 1400.125;
    p->current.total_revenue_spend = 110000.25;
    ao_words_comparison(&f->model, p, sentence, sizeof sentence);
    assert_string_equal(sentence, "The optimal plan buys 100.0 fewer QALY (-7.1%) than today's "
                                  "allocation, and spends £6,235 less: £103,766 of revenue and "
                                  "capital against today's £110,000 over the plan (not "
                                  "discounted).");
    p->current.total_benefit = p->total_benefit;
    p->current.total_revenue_spend = 103765.5;
    ao_words_comparison(&f->model, p, sentence, sizeof sentence);
    assert_string_equal(sentence, "The optimal plan buys as many QALY as today's allocation for "
                                  "the same money.");
    /* The cost objective: the money the standards cost. */
    f->model.settings.objective = AO_OBJECTIVE_COST;
    p->current.total_revenue_spend = 110000.25;
    ao_words_comparison(&f->model, p, sentence, sizeof sentence);
    assert_string_equal(sentence, "The optimal plan meets every standard for £6,235 less than "
                                  "today's allocation (£103,766 of revenue and capital against "
                                  "£110,000 over the plan, not discounted).");
    p->total_capital_spend = 0;
    p->current.total_revenue_spend = 98765.5;
    ao_words_comparison(&f->model, p, sentence, sizeof sentence);
    assert_string_equal(sentence, "The optimal plan meets every standard for the same money as "
                                  "today's allocation (£98,766 over the plan, not discounted).");
    /* No plan: nothing to compare. */
    assert_int_equal(ao_words_comparison(&f->model, &f->tight, sentence, sizeof sentence), 0);

    assert_int_equal(ao_words_funding_gap(&f->tight, sentence, sizeof sentence), 0);
    f->tight.has_funding_gap = 1;
    f->tight.funding_gap = 3.2e6;
    assert_int_equal(ao_words_funding_gap(&f->tight, sentence, sizeof sentence), 1);
    assert_string_equal(sentence, "£3.2m more revenue would make the plan feasible.");
    f->tight.funding_gap = NAN;
    ao_words_funding_gap(&f->tight, sentence, sizeof sentence);
    assert_string_equal(sentence, "Money alone cannot fix this: no amount of extra revenue makes "
                                  "a plan possible; limits other than budgets must change.");
    /* A sentence longer than the buffer is cut, not overrun. */
    char small[16];
    ao_words_funding_gap(&f->tight, small, sizeof small);
    assert_string_equal(small, "Money alone can");
}

/* ---- regions ---- */

/* The mean and the lowest coverage of ICB i's lines, and its spend (all services, or the
 * specialised one), in the hand-built plan. */
static void icb_figures(const ao_plan *p, int i, double *mean, double *lowest, double *spend,
                        double *specialised)
{
    double sum = 0;
    int n = 0;
    *lowest = INFINITY;
    *spend = *specialised = 0;
    for (size_t k = 0; k < p->n_service_years; k++) {
        const ao_service_year *y = &p->service_years[k];
        if (y->i != i)
            continue;
        sum += y->coverage;
        n++;
        *lowest = fmin(*lowest, y->coverage);
        *spend += y->spend;
        if (y->s == 0)
            *specialised += y->spend;
    }
    *mean = sum / n;
}

/* A Region column beside the ICB on every sheet that lists ICBs, a blank region written
 * "(no region)"; the Summary by region; the Budgets added up by region. */
static void test_workbook_regions(void **state)
{
    fixture *f = *state;
    char *path = write_workbook(f, "results.xlsx");
    double mean[2], lowest[2], spend[2], specialised[2];
    for (int i = 0; i < 2; i++)
        icb_figures(&f->plan, i, &mean[i], &lowest[i], &spend[i], &specialised[i]);

    char *summary = zip_part(path, "xl/worksheets/sheet1.xml");
    long title = row_of(summary, "By region, over the whole plan (£, not discounted)");
    static const char *const headers[] = {"region",
                                          "ICBs",
                                          "population",
                                          "revenue spend",
                                          "specialised spend",
                                          "specialised share",
                                          "average coverage",
                                          "lowest coverage"};
    for (size_t c = 0; c < sizeof headers / sizeof headers[0]; c++) {
        char col[2] = {(char)('A' + c), '\0'};
        assert_text_at(summary, col, title + 1, headers[c]);
    }
    const char *names[] = {"North", "(no region)", "All ICBs"};
    const double population[] = {1000, 2500, 3500};
    for (int r = 0; r < 3; r++) {
        long row = title + 2 + r;
        double s = r < 2 ? spend[r] : spend[0] + spend[1];
        double sp = r < 2 ? specialised[r] : specialised[0] + specialised[1];
        assert_text_at(summary, "A", row, names[r]);
        assert_number_at(summary, "B", row, r < 2 ? 1 : 2);
        assert_number_at(summary, "C", row, population[r]);
        assert_number_at(summary, "D", row, s);
        assert_number_at(summary, "E", row, sp);
        assert_number_at(summary, "F", row, sp / s);
        assert_number_at(summary, "G", row, r < 2 ? mean[r] : (mean[0] + mean[1]) / 2);
        assert_number_at(summary, "H", row, r < 2 ? lowest[r] : fmin(lowest[0], lowest[1]));
    }
    free(summary);

    /* Budgets: each region's pools added up by year and kind, in the table's columns. */
    char ref[16];
    char *budgets = zip_part(path, "xl/worksheets/sheet4.xml");
    long block = row_of(budgets, "Budgets by region: the pools of each region added up (£)");
    assert_text_at(budgets, "A", block + 1, "region");
    assert_text_at(budgets, "F", block + 1, "headroom");
    assert_null(cell_xml(budgets, ref_at(ref, "G", block + 1)));
    assert_text_at(budgets, "A", block + 2, "North");
    assert_text_at(budgets, "B", block + 2, "2025/26");
    assert_text_at(budgets, "C", block + 2, "revenue");
    assert_number_at(budgets, "D", block + 2, 50000);
    assert_number_at(budgets, "E", block + 2, 50000);
    assert_number_at(budgets, "F", block + 2, 0);
    assert_text_at(budgets, "A", block + 3, "(no region)");
    assert_text_at(budgets, "C", block + 3, "capital");
    assert_number_at(budgets, "D", block + 3, 8000);
    assert_number_at(budgets, "F", block + 3, 3000);
    free(budgets);

    /* Indicators: the region after the ICB's name in each per-ICB block. */
    char *indicators = zip_part(path, "xl/worksheets/sheet5.xml");
    long shares = row_of(indicators, "region");
    assert_text_at(indicators, "B", shares, "icb_name");
    assert_text_at(indicators, "D", shares, "year");
    assert_text_at(indicators, "C", shares + 1, "North");
    assert_number_at(indicators, "G", shares + 1, 0.6);
    assert_text_at(indicators, "C", shares + 3, "(no region)");
    long fragmentation = row_of(indicators, "host_region");
    assert_text_at(indicators, "D", fragmentation + 1, "North");
    assert_number_at(indicators, "F", fragmentation + 1, 2);
    free(indicators);
    free(path);
}

/* The v3 indicators: resourcing priority by arrangement and innovation. */
static void test_workbook_v3_indicators(void **state)
{
    fixture *f = *state;
    ao_arrangement_indicator mix[2] = {
        {.t = 0,
         .arrangement = AO_ARRANGEMENT_JOINT,
         .n_services = 2,
         .n_pairs = 3,
         .spend = 900.0,
         .baseline_spend = 1000.0,
         .activity = 30.0,
         .need = 40.0,
         .coverage = 0.75},
        {.t = 0, .arrangement = AO_ARRANGEMENT_NATIONAL}, /* holds nothing: not shown */
    };
    ao_innovation_indicator centre = {.p = 0,
                                      .t = 1,
                                      .activity = 120.0,
                                      .spend = 6000.0,
                                      .today_activity = 100.0,
                                      .today_spend = 5000.0,
                                      .min_volume = 130.0};
    f->plan.arrangement_mix = mix;
    f->plan.n_arrangement_mix = 2;
    f->plan.innovation = &centre;
    f->plan.n_innovation = 1;
    char *path = write_workbook(f, "v3.xlsx");
    f->plan.arrangement_mix = NULL;
    f->plan.n_arrangement_mix = 0;
    f->plan.innovation = NULL;
    f->plan.n_innovation = 0;

    char *indicators = zip_part(path, "xl/worksheets/sheet5.xml");
    long header = row_of(indicators, "icb_service_pairs");
    assert_text_at(indicators, "B", header + 1, "joint");
    assert_number_at(indicators, "C", header + 1, 2);
    assert_number_at(indicators, "D", header + 1, 3);
    assert_number_at(indicators, "E", header + 1, 900.0);
    assert_number_at(indicators, "G", header + 1, -0.1); /* 10 % below its baseline */
    assert_number_at(indicators, "J", header + 1, 0.75);
    assert_null(strstr(indicators, "<t>national</t>")); /* an empty arrangement is left out */
    header = row_of(indicators, "today_activity");
    assert_text_at(indicators, "A", header + 1, "RX1");
    assert_number_at(indicators, "D", header + 1, 120.0);
    assert_number_at(indicators, "H", header + 1, 20.0);  /* 20 more than today */
    assert_number_at(indicators, "J", header + 1, -10.0); /* 10 below the minimum: flagged */
    free(indicators);
    free(path);
}

/* ---- today's allocation against the optimal plan ---- */

/* Today's activity of ICB i, service s, year t: one unit less of the specialised service,
 * half a unit more of the priority one. */
static double today_of(int i, int s, int t)
{
    return activity_of(i, s, t) + (s == 0 ? -1.0 : 0.5);
}

/* Today's plan filled in by hand, as models/ fills it (MODEL.md rules 16 and 17). */
static void build_current(ao_plan *p, const ao_model *m)
{
    ao_current_plan *c = &p->current;
    c->evaluated = 1;
    c->objective = 1100.5;
    c->total_benefit = 1200.125;
    c->total_revenue_spend = 103765.5;
    c->service_years = zalloc(8, sizeof *c->service_years);
    for (size_t k = 0; k < p->n_service_years; k++) {
        ao_service_year y = p->service_years[k];
        y.activity = today_of(y.i, y.s, y.t);
        y.spend = y.activity * m->services[y.s].unit_cost;
        y.coverage = y.activity / y.need_after_prevention;
        y.benefit = y.activity * m->services[y.s].benefit;
        c->service_years[c->n_service_years++] = y;
    }
    c->broken = zalloc(1, sizeof *c->broken);
    c->broken[c->n_broken++] = (ao_broken_limit){.limit = "revenue (rule 6)",
                                                 .description = "QAA 2026/27 revenue",
                                                 .i = 0,
                                                 .s = -1,
                                                 .t = 1,
                                                 .value = 52500,
                                                 .bound = 50000,
                                                 .amount = 2500,
                                                 .money = 1};
    p->has_continuity = 1;
    p->moved_activity = 25;
    p->moves = zalloc(2, sizeof *p->moves);
    p->moves[p->n_moves++] = (ao_provider_move){0, 0, 0, 60, 50, 0, 10};
    p->moves[p->n_moves++] = (ao_provider_move){0, 0, 1, 20, 35, 15, 0};
}

static void free_current(ao_plan *p)
{
    free(p->current.service_years);
    free(p->current.broken);
    free(p->moves);
    memset(&p->current, 0, sizeof p->current);
    p->moves = NULL;
    p->n_moves = 0;
    p->has_continuity = 0;
}

/* Spend of ICB i on service s over the plan: today's (which = 0) or the optimal plan's. */
static double spend_of(const ao_model *m, int which, int i, int s)
{
    double total = 0;
    for (int t = 0; t < YEARS; t++)
        total += (which ? activity_of(i, s, t) : today_of(i, s, t)) * m->services[s].unit_cost;
    return total;
}

static void test_workbook_comparison(void **state)
{
    fixture *f = *state;
    const ao_model *m = &f->model;
    build_current(&f->plan, m);
    f->results.n_cases = 1;
    char *path = write_workbook(f, "comparison.xlsx");

    /* The Comparison sheet follows the Summary. */
    char *workbook = zip_part(path, "xl/workbook.xml");
    char names[16][32];
    size_t n = sheet_names(workbook, names, 16);
    assert_int_equal(n, 9);
    assert_string_equal(names[0], "Summary");
    assert_string_equal(names[1], "Comparison");
    assert_string_equal(names[2], "Allocation");
    free(workbook);

    static const char headline[] = "The optimal plan buys 100.0 more QALY (+8.3%) than today's "
                                   "allocation for the same money.";
    char *summary = zip_part(path, "xl/worksheets/sheet1.xml");
    long against = row_of(summary, "Against today's allocation");
    assert_text_at(summary, "B", against, headline);
    assert_text_at(summary, "A", against + 1, "Limits today's allocation breaks");
    assert_text_at(summary, "B", against + 1, "1 limit");
    free(summary);

    const char *part = "xl/worksheets/sheet2.xml";
    char *sheet = zip_part(path, part);
    assert_cell_text(sheet, "A1", "Today's allocation against the optimal plan");
    assert_cell_text(sheet, "A2", headline);

    /* The key figures side by side. */
    long figures = row_of(sheet, "figure");
    assert_text_at(sheet, "B", figures, "today's allocation");
    assert_text_at(sheet, "A", figures + 1, "objective (QALY, discounted)");
    assert_number_at(sheet, "B", figures + 1, 1100.5);
    assert_number_at(sheet, "C", figures + 1, OBJECTIVE);
    assert_number_at(sheet, "D", figures + 1, OBJECTIVE - 1100.5);
    assert_text_at(sheet, "A", figures + 2, "total benefit (QALY, not discounted)");
    assert_number_at(sheet, "D", figures + 2, 100.0);
    assert_number_at(sheet, "B", figures + 3, 103765.5);
    assert_number_at(sheet, "C", figures + 3, 98765.5);
    assert_number_at(sheet, "D", figures + 3, -5000);
    assert_text_at(sheet, "A", figures + 4, "capital spend (£, not discounted)");
    assert_number_at(sheet, "B", figures + 4, 0);
    assert_number_at(sheet, "C", figures + 4, 5000);
    double today_spend = 0, today_specialised = 0;
    for (int i = 0; i < 2; i++)
        for (int s = 0; s < 2; s++) {
            today_spend += spend_of(m, 0, i, s);
            if (s == 0)
                today_specialised += spend_of(m, 0, i, s);
        }
    assert_number_at(sheet, "B", figures + 5, today_specialised / today_spend);
    assert_number_at(sheet, "C", figures + 5, 0.625);
    assert_text_at(sheet, "A", figures + 7, "activity moved");
    assert_number_at(sheet, "C", figures + 7, 25);
    char ref[16];
    assert_cell_format(path, sheet, ref_at(ref, "D", figures + 3), "+£#,##0;-£#,##0;£0");

    /* The limit today's allocation breaks. */
    long broken = row_of(sheet, "QAA 2026/27 revenue");
    assert_text_at(sheet, "B", broken, "revenue (rule 6)");
    assert_number_at(sheet, "C", broken, 52500);
    assert_number_at(sheet, "D", broken, 50000);
    assert_number_at(sheet, "E", broken, 2500);

    /* By region, then by ICB with each region's total, then by programme. */
    long region = row_of(sheet, "By region") + 1;
    assert_text_at(sheet, "C", region, "spend today");
    assert_text_at(sheet, "L", region, "specialised share, optimal");
    assert_text_at(sheet, "A", region + 1, "North");
    assert_number_at(sheet, "B", region + 1, 1);
    double north_today = spend_of(m, 0, 0, 0) + spend_of(m, 0, 0, 1);
    double north_optimal = spend_of(m, 1, 0, 0) + spend_of(m, 1, 0, 1);
    assert_number_at(sheet, "C", region + 1, north_today);
    assert_number_at(sheet, "D", region + 1, north_optimal);
    assert_number_at(sheet, "E", region + 1, north_optimal - north_today);
    assert_text_at(sheet, "A", region + 2, "(no region)");
    assert_text_at(sheet, "A", region + 3, "All ICBs");
    assert_number_at(sheet, "B", region + 3, 2);
    assert_number_at(sheet, "C", region + 3, today_spend);

    long icb = row_of(sheet, "By ICB, with each region's total") + 1;
    assert_text_at(sheet, "A", icb + 1, "North ICB");
    assert_text_at(sheet, "B", icb + 1, "North");
    assert_number_at(sheet, "C", icb + 1, north_today);
    assert_text_at(sheet, "A", icb + 2, "Total");
    assert_text_at(sheet, "B", icb + 2, "North");
    assert_number_at(sheet, "C", icb + 2, north_today);
    assert_text_at(sheet, "A", icb + 3, "South ICB");
    assert_text_at(sheet, "B", icb + 3, "(no region)");
    assert_text_at(sheet, "A", icb + 4, "Total");
    assert_text_at(sheet, "A", icb + 5, "All ICBs");
    assert_number_at(sheet, "C", icb + 5, today_spend);
    /* Coverage: the mean of the ICB's lines, today and in the optimal plan. */
    double today_coverage = 0, optimal_coverage = 0;
    for (int s = 0; s < 2; s++)
        for (int t = 0; t < YEARS; t++) {
            double after = 100.0 + 10.0 * s + t - 0.5;
            today_coverage += today_of(0, s, t) / after / 4;
            optimal_coverage += activity_of(0, s, t) / after / 4;
        }
    assert_number_at(sheet, "H", icb + 1, today_coverage);
    assert_number_at(sheet, "I", icb + 1, optimal_coverage);
    assert_number_at(sheet, "J", icb + 1, optimal_coverage - today_coverage);

    long programme = row_of(sheet, "By programme") + 1;
    assert_text_at(sheet, "B", programme, "category");
    assert_text_at(sheet, "A", programme + 1, "Cancer");
    assert_text_at(sheet, "B", programme + 1, "specialised");
    assert_number_at(sheet, "C", programme + 1, spend_of(m, 0, 0, 0) + spend_of(m, 0, 1, 0));
    assert_number_at(sheet, "K", programme + 1, 1.0);
    assert_text_at(sheet, "A", programme + 2, "(no programme)");
    assert_text_at(sheet, "B", programme + 2, "priority");
    assert_text_at(sheet, "A", programme + 3, "All programmes");

    /* The provider's years added up; a centre of excellence. */
    long provider = row_of(sheet, "Providers: activity gained and lost against today's "
                                  "allocation (each service's units, all years)") +
                    1;
    assert_text_at(sheet, "A", provider + 1, "Provider One");
    assert_text_at(sheet, "B", provider + 1, "Specialised one");
    assert_text_at(sheet, "C", provider + 1, "yes");
    assert_number_at(sheet, "D", provider + 1, 80);
    assert_number_at(sheet, "E", provider + 1, 85);
    assert_number_at(sheet, "F", provider + 1, 15);
    assert_number_at(sheet, "G", provider + 1, 10);
    assert_number_at(sheet, "H", provider + 1, 5);

    /* The biggest changes of spend: +£200 of Cancer in each ICB, then -£10 of the rest. */
    long biggest = row_of(sheet, "ICB and programme");
    assert_text_at(sheet, "A", biggest + 1, "North ICB: Cancer");
    assert_number_at(sheet, "E", biggest + 1, 200);
    assert_text_at(sheet, "A", biggest + 2, "South ICB: Cancer");
    assert_text_at(sheet, "A", biggest + 4, "South ICB: (no programme)");
    assert_number_at(sheet, "E", biggest + 4, -10);
    long moves = row_of(sheet, "provider and service");
    assert_text_at(sheet, "A", moves + 1, "Provider One: Specialised one");
    assert_number_at(sheet, "C", moves + 1, 15);
    assert_number_at(sheet, "D", moves + 1, 10);
    free(sheet);

    /* The charts draw on those blocks: the Summary's four charts come first in the book. */
    const expected_range spend_chart[] = {
        {part, "Comparison", "spend change", 0, "spend change", 0},
        {part, "Comparison", "North ICB: Cancer", 0, "South ICB: (no programme)", 0},
        {part, "Comparison", NULL, 200, NULL, -10},
    };
    assert_chart_ranges(path, "xl/charts/chart5.xml", spend_chart, 3);
    const expected_range move_chart[] = {
        {part, "Comparison", "gained", 0, "gained", 0},
        {part, "Comparison", "Provider One: Specialised one", 0, "Provider One: Specialised one",
         0},
        {part, "Comparison", NULL, 15, NULL, 15},
        {part, "Comparison", "lost", 0, "lost", 0},
        {part, "Comparison", "Provider One: Specialised one", 0, "Provider One: Specialised one",
         0},
        {part, "Comparison", NULL, 10, NULL, 10},
    };
    assert_chart_ranges(path, "xl/charts/chart6.xml", move_chart, 6);
    char *chart = zip_part(path, "xl/charts/chart5.xml");
    assert_non_null(strstr(chart, "<c:barDir val=\"bar\"/>"));
    free(chart);
    free(path);

    /* Without flows: no provider table, no moves chart, a note says why. */
    f->plan.has_continuity = 0;
    path = write_workbook(f, "no-flows.xlsx");
    sheet = zip_part(path, part);
    assert_null(strstr(sheet, "Providers: activity gained"));
    assert_null(strstr(sheet, ">activity moved<"));
    assert_non_null(strstr(sheet, "Without a flows table"));
    free(sheet);
    free(path);

    /* No plan: today's figures, the optimal plan's blank, and why. */
    free(f->tight.current.service_years);
    f->tight.current = f->plan.current;
    ao_case cases[1] = {{"baseline", &f->model, &f->tight}};
    ao_results results = {.tables = f->tables, .input_path = "in/", .n_cases = 1, .cases = cases};
    path = path_in(f, "no-plan.xlsx");
    assert_int_equal(ao_workbook_write(path, &results), AO_NO_ERROR);
    memset(&f->tight.current, 0, sizeof f->tight.current);
    workbook = zip_part(path, "xl/workbook.xml");
    n = sheet_names(workbook, names, 16);
    assert_string_equal(names[1], "Diagnosis");
    assert_string_equal(names[2], "Comparison");
    free(workbook);
    sheet = zip_part(path, "xl/worksheets/sheet3.xml");
    assert_non_null(strstr(sheet, "no optimal plan to set beside today's allocation"));
    figures = row_of(sheet, "figure");
    assert_number_at(sheet, "B", figures + 1, 1100.5);
    assert_cell_blank(sheet, ref_at(ref, "C", figures + 1));
    assert_cell_blank(sheet, ref_at(ref, "D", figures + 1));
    region = row_of(sheet, "By region") + 1;
    assert_number_at(sheet, "C", region + 1, north_today);
    assert_cell_blank(sheet, ref_at(ref, "D", region + 1));
    assert_null(strstr(sheet, "ICB and programme"));
    free(sheet);
    summary = zip_part(path, "xl/worksheets/sheet1.xml");
    assert_null(strstr(summary, "Against today's allocation"));
    free(summary);
    free(path);
    free_current(&f->plan);
}

/* ---- the funding gap (MODEL.md rule 18) ---- */

static void test_workbook_funding_gap(void **state)
{
    fixture *f = *state;
    ao_plan *tight = &f->tight;
    tight->has_funding_gap = 1;
    tight->funding_gap = 3.2e6;
    double by[2 * YEARS] = {0, 3e6, 2e5, 1e-9}; /* i * years + t; the last is rounding */
    tight->funding_gap_by = by;
    ao_case cases[1] = {{"baseline", &f->model, tight}};
    ao_results results = {.tables = f->tables, .input_path = "in/", .n_cases = 1, .cases = cases};
    char *path = path_in(f, "gap.xlsx");
    assert_int_equal(ao_workbook_write(path, &results), AO_NO_ERROR);

    char *summary = zip_part(path, "xl/worksheets/sheet1.xml");
    long gap = row_of(summary, "Funding gap");
    assert_number_at(summary, "B", gap, 3.2e6);
    free(summary);

    char *diagnosis = zip_part(path, "xl/worksheets/sheet2.xml");
    assert_cell_text(diagnosis, "A2", "£3.2m more revenue would make the plan feasible.");
    /* The diagnosis table below it, its header frozen. */
    assert_cell_text(diagnosis, "A3", "group");
    assert_non_null(strstr(diagnosis, "topLeftCell=\"A4\""));
    long table = row_of(diagnosis, "extra_revenue");
    assert_text_at(diagnosis, "A", table + 1, "QAA");
    assert_text_at(diagnosis, "C", table + 1, "North");
    assert_text_at(diagnosis, "D", table + 1, "2026/27");
    assert_number_at(diagnosis, "E", table + 1, 3e6);
    assert_text_at(diagnosis, "A", table + 2, "QBB");
    assert_text_at(diagnosis, "C", table + 2, "(no region)");
    assert_text_at(diagnosis, "D", table + 2, "2025/26");
    assert_number_at(diagnosis, "E", table + 2, 2e5);
    assert_text_at(diagnosis, "A", table + 3, "Total");
    assert_number_at(diagnosis, "E", table + 3, 3.2e6);
    char ref[16];
    assert_cell_format(path, diagnosis, ref_at(ref, "E", table + 3), "£#,##0");
    free(diagnosis);
    free(path);

    /* A scenario with no plan: its funding gap on the Scenarios sheet. */
    path = write_workbook(f, "scenarios.xlsx");
    char *scenarios = zip_part(path, "xl/worksheets/sheet8.xml");
    assert_cell_text(scenarios, "V1", "funding_gap");
    assert_cell_blank(scenarios, "V2");
    assert_close(cell_number(scenarios, "V3"), 3.2e6);
    free(scenarios);
    free(path);

    /* Money alone cannot help: said so, and no table of amounts. */
    tight->funding_gap = NAN;
    path = write_workbook(f, "no-gap.xlsx");
    scenarios = zip_part(path, "xl/worksheets/sheet8.xml");
    assert_cell_text(scenarios, "V3", "money alone cannot fix this");
    free(scenarios);
    free(path);
    path = path_in(f, "no-gap-baseline.xlsx");
    assert_int_equal(ao_workbook_write(path, &results), AO_NO_ERROR);
    summary = zip_part(path, "xl/worksheets/sheet1.xml");
    assert_text_at(summary, "B", row_of(summary, "Funding gap"), "money alone cannot fix this");
    free(summary);
    diagnosis = zip_part(path, "xl/worksheets/sheet2.xml");
    assert_cell_text(diagnosis, "A2",
                     "Money alone cannot fix this: no amount of extra revenue makes a plan "
                     "possible; limits other than budgets must change.");
    assert_null(strstr(diagnosis, "extra_revenue"));
    free(diagnosis);
    free(path);
    tight->has_funding_gap = 0;
    tight->funding_gap_by = NULL;
}

/* ---- arrangements and merged ICBs on the Summary (MODEL.md rules 14 and 15) ---- */

static void test_workbook_arrangements(void **state)
{
    fixture *f = *state;
    ao_model *m = &f->model;
    /* QAA's specialised service is delegated, then joint; QBB's national throughout. */
    unsigned char of[YEARS * 2 * 2] = {0};
    of[(0 * 2 + 0) * 2 + 0] = AO_ARRANGEMENT_DELEGATED;
    of[(1 * 2 + 0) * 2 + 0] = AO_ARRANGEMENT_JOINT;
    of[(0 * 2 + 1) * 2 + 0] = AO_ARRANGEMENT_NATIONAL;
    of[(1 * 2 + 1) * 2 + 0] = AO_ARRANGEMENT_NATIONAL;
    m->arrangement_of = of;
    m->n_arrangement_rows = 2;
    /* Both ICBs in the North, merged from the second year. */
    m->icbs[1].region = 0;
    int members[2] = {0, 1};
    ao_footprint footprint = {
        .id = "QMERGED", .name = "Merged ICB", .from_year = 1, .n_icbs = 2, .icbs = members};
    m->footprints = &footprint;
    m->n_footprints = 1;
    /* The merged footprint's revenue pool in the second year. */
    f->plan.budgets[1].pool = "QMERGED";
    f->plan.budgets[1].kind = AO_BUDGET_REVENUE;
    f->results.n_cases = 1;
    char *path = write_workbook(f, "arrangements.xlsx");

    char *summary = zip_part(path, "xl/worksheets/sheet1.xml");
    long mix = row_of(summary, "delegated: services");
    assert_text_at(summary, "A", mix, "year");
    assert_text_at(summary, "G", mix, "national: spend");
    assert_text_at(summary, "A", mix + 1, "2025/26");
    assert_number_at(summary, "B", mix + 1, 1);
    assert_number_at(summary, "C", mix + 1, activity_of(0, 0, 0) * 100);
    assert_number_at(summary, "D", mix + 1, 0);
    assert_number_at(summary, "E", mix + 1, 0);
    assert_number_at(summary, "F", mix + 1, 1);
    assert_number_at(summary, "G", mix + 1, activity_of(1, 0, 0) * 100);
    assert_text_at(summary, "A", mix + 2, "2026/27");
    assert_number_at(summary, "B", mix + 2, 0);
    assert_number_at(summary, "D", mix + 2, 1);
    assert_number_at(summary, "E", mix + 2, activity_of(0, 0, 1) * 100);
    assert_number_at(summary, "G", mix + 2, activity_of(1, 0, 1) * 100);
    long merged = row_of(summary, "ICBs merged");
    assert_text_at(summary, "A", merged + 1, "QMERGED");
    assert_text_at(summary, "B", merged + 1, "Merged ICB");
    assert_text_at(summary, "C", merged + 1, "QAA, QBB");
    assert_text_at(summary, "D", merged + 1, "North");
    assert_text_at(summary, "E", merged + 1, "2026/27");
    free(summary);

    /* The footprint's pool has its name and its region on the Budgets sheet. */
    char *budgets = zip_part(path, "xl/worksheets/sheet4.xml");
    assert_cell_text(budgets, "A3", "QMERGED");
    assert_cell_text(budgets, "I3", "Merged ICB");
    assert_cell_text(budgets, "J3", "North");
    free(budgets);
    free(path);

    m->arrangement_of = NULL;
    m->n_arrangement_rows = 0;
    m->footprints = NULL;
    m->n_footprints = 0;
}

static void test_null_arguments(void **state)
{
    fixture *f = *state;
    char *path = path_in(f, "results.xlsx");
    assert_int_equal(ao_workbook_write(NULL, &f->results), AO_ERROR_NULL_PARAMETER);
    assert_int_equal(ao_workbook_write(path, NULL), AO_ERROR_NULL_PARAMETER);
    ao_results none = {0};
    assert_int_equal(ao_workbook_write(path, &none), AO_ERROR_NULL_PARAMETER);
    assert_int_equal(ao_json_write(path, &none), AO_ERROR_NULL_PARAMETER);
    assert_int_equal(count_others(f->dir, NULL, NULL), 0);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_json_summary_round_trips, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_infeasible_baseline, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_write_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_workbook_names_every_sheet, setup, teardown),
        cmocka_unit_test_setup_teardown(test_workbook_print_setup, setup, teardown),
        cmocka_unit_test_setup_teardown(test_workbook_summary_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_workbook_allocation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_workbook_numbers_and_formats, setup, teardown),
        cmocka_unit_test_setup_teardown(test_workbook_inputs_are_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_workbook_infeasible_summary, setup, teardown),
        cmocka_unit_test_setup_teardown(test_workbook_scenarios, setup, teardown),
        cmocka_unit_test_setup_teardown(test_workbook_charts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_workbook_reproducible, setup, teardown),
        cmocka_unit_test_setup_teardown(test_workbook_split_allocation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_folder_fails_cleanly, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_write_keeps_target, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_rename_removes_temp, setup, teardown),
        cmocka_unit_test_setup_teardown(test_null_arguments, setup, teardown),
        cmocka_unit_test_setup_teardown(test_words, setup, teardown),
        cmocka_unit_test_setup_teardown(test_workbook_regions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_workbook_allocation_need_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_workbook_v3_indicators, setup, teardown),
        cmocka_unit_test_setup_teardown(test_workbook_comparison, setup, teardown),
        cmocka_unit_test_setup_teardown(test_workbook_funding_gap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_workbook_arrangements, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
