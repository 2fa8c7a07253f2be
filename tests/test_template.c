/*
 * Unit tests for report/template.c: the input workbook to fill in.
 *
 * Every template is read back with the project's own reader (io/xlsx_reader.c): the
 * empty one must give every table of FORMATS.md with its exact headings, and one filled
 * from tables must give the same cells and the same model. The workbook's XML parts
 * are opened with libzip to check what the reader does not see: data validation,
 * heading notes, Excel tables, the hidden list sheet, and that no text became a
 * formula. The expected headings are written out here from FORMATS.md, not taken from
 * the writer.
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

#include <zip.h>

#include "cli/example_data.h"
#include "common/parse.h"
#include "common/strutil.h"
#include "common/table.h"
#include "io/csv_reader.h"
#include "io/xlsx_reader.h"
#include "models/model.h"
#include "models/plan.h"
#include "models/scenario.h"
#include "report/template.h"
#include "support.h"

/* The tables of FORMATS.md and their columns, in its order. */
static const char *const expected_tables[][9] = {
    {"settings", "key", "value", NULL},
    {"icbs", "id", "name", "population", "region", "joint_committee", "max_providers", NULL},
    {"budgets", "icb", "year", "revenue", "capital", "specialised", NULL},
    {"services", "id", "name", "category", "programme", "unit", "unit_cost", "benefit", NULL},
    {"demand", "icb", "service", "need", "baseline", NULL},
    {"providers", "id", "name", "icb", "centre_of_excellence", "max_icbs", NULL},
    {"capacity", "provider", "service", "capacity", "unit_cost", "min_volume", "max_expansion",
     "expansion_step", NULL},
    {"access", "icb", "provider", NULL},
    {"prevention", "service", "target", "effect", "lag", NULL},
    {"rules", "name", "scope", "applies_to", "year", "kind", "value", NULL},
    {"collaboratives", "id", "name", "lead_provider", "applies_to", "icbs", "budget_share", NULL},
    {"collaborative_members", "collaborative", "provider", NULL},
    {"scenarios", "scenario", "table", "column", "key", "op", "value", NULL},
    {"arrangements", "services", "icbs", "from_year", "arrangement", NULL},
    {"icb_changes", "icb", "becomes", "from_year", "name", NULL},
    {"flows", "icb", "service", "provider", "activity", NULL},
    {"uncertainty", NULL}, /* headings below: more than a row here holds */
};
/* services has more columns than the rows above hold. */
static const char *const services_headers[] = {
    "id",           "name",   "category",     "programme",    "unit",       "unit_cost", "benefit",
    "min_coverage", "growth", "capital_cost", "capacity_lag", "max_change", NULL};

/* The uncertainty table (docs/whatif.md "Uncertainty"). */
static const char *const uncertainty_headers[] = {
    "table", "column", "key", "distribution", "apply", "mean", "sd", "low", "likely", "high",
    "draw",  NULL};

#define N_TABLES (sizeof expected_tables / sizeof expected_tables[0])

/* A small model touching every table and every way of writing a cell: thousands
 * separators, £ signs, percentages, both ways of writing a year, ids that look like
 * numbers, and text starting with = + - @ that must stay text. */
#define HYPERLINK_NAME "=HYPERLINK(\"http://example.com\",\"click\")"
static const char *const filled_pairs[] = {
    "settings",
    "key,value\n"
    "first_year,2025/26\n"
    "years,2\n"
    "name,\"=HYPERLINK(\"\"http://example.com\"\",\"\"x\"\")\"\n"
    "objective,benefit\n"
    "arrangement,delegated\n"
    "discount_rate,3.5%\n"
    "max_change,0.15\n"
    "equity_band,\n"
    "benefit_unit,QALY\n",
    "icbs",
    "id,name,population,region,joint_committee,max_providers\n"
    "QWO,\"=HYPERLINK(\"\"http://example.com\"\",\"\"click\"\")\",\"2,400,000\",North,YHJC,\n"
    "001,+44 Trust,1420000,-North,@committee,\n",
    "budgets",
    "icb,year,revenue,capital,specialised\n"
    "QWO,2025/26,\"£601,500,000\",9500000,\n"
    "QWO,2026,618900000,,\n"
    "001,2025/26,367800000,4500000,150000000\n"
    "001,2026/27,379200000,5500000,\n",
    "services",
    "id,name,category,programme,unit,unit_cost,benefit,min_coverage,growth,capital_cost,"
    "capacity_lag,max_change\n"
    "REN01,Renal dialysis,specialised,renal,patient-year,30000,0.75,90%,4%,20000,1,0.1\n"
    "PRV02,Diabetes prevention,priority,prevention,participant,300,0.015,,3%,,,\n"
    "CAN01,Chemotherapy,specialised,cancer,course,9.95,0.1,0.9,-1.5%,,2,\n"
    "ELE01,Elective admissions,priority,elective,admission,3500,0.15,0.8,0.03,,,\n",
    "demand",
    "icb,service,need,baseline\n"
    "QWO,REN01,1500,1400\n"
    "QWO,PRV02,20000,15000\n"
    "QWO,CAN01,3000,2900\n"
    "QWO,ELE01,60000,58000\n"
    "001,REN01,900.5,880\n"
    "001,CAN01,1800,1750\n"
    "001,ELE01,35000,34000\n",
    "providers",
    "id,name,icb,centre_of_excellence,max_icbs\n"
    "RR8,Leeds Teaching Hospitals,QWO,yes,\n"
    "R01,Another trust,001,no,\n",
    "capacity",
    "provider,service,capacity,unit_cost,min_volume,max_expansion,expansion_step\n"
    "RR8,REN01,1600,,,183,\n"
    "R01,REN01,1000,31000,500,,\n",
    "access",
    "icb,provider\n"
    "QWO,RR8\n"
    "001,R01\n"
    "001,RR8\n",
    "prevention",
    "service,target,effect,lag\n"
    "PRV02,REN01,0.0015,1\n",
    "rules",
    "name,scope,applies_to,year,kind,value\n"
    "renal_floor,*,programme:renal,,min_share,1%\n"
    "elective_cap,001,category:priority,2026/27,max_spend,\"£160,000,000\"\n",
    "collaboratives",
    "id,name,lead_provider,applies_to,icbs,budget_share\n"
    "C1,North renal,RR8,programme:renal,QWO 001,\n",
    "collaborative_members",
    "collaborative,provider\n"
    "C1,RR8\n"
    "C1,R01\n",
    "scenarios",
    "scenario,table,column,key,op,value\n"
    "renal_growth,demand,need,*/REN01,scale,1.1\n"
    "joint,settings,value,arrangement,set,joint\n"
    "rename,icbs,name,QWO,set,£5\n"
    "rate,settings,value,discount_rate,set,2%\n",
    NULL};

typedef struct fixture {
    char dir[512]; ///< Scratch folder of this test.
} fixture;

/* ---- helpers ---- */

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (f == NULL)
        return -1;
    snprintf(f->dir, sizeof f->dir, "%s/test_template_XXXXXX", AO_BINARY_DIR);
    if (mkdtemp(f->dir) == NULL) {
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    support_remove_tree(f->dir);
    free(f);
    return 0;
}

static char *path_in(const fixture *f, const char *name)
{
    char *path = ao_asprintf("%s/%s", f->dir, name);
    assert_non_null(path);
    return path;
}

/* Entries of a folder. */
static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

static void print_diags(const ao_diags *diags)
{
    for (size_t k = 0; k < diags->count; k++) {
        char *line = ao_diag_format(&diags->items[k]);
        print_message("%s\n", line ? line : "(no memory)");
        free(line);
    }
}

/* Read a workbook back; the reader must find nothing to say about it. */
static ao_tableset *read_back(const char *path)
{
    ao_diags diags;
    ao_diags_init(&diags);
    ao_tableset *set = NULL;
    assert_int_equal(ao_xlsx_read(path, &set, &diags), AO_NO_ERROR);
    print_diags(&diags);
    assert_int_equal(diags.count, 0);
    ao_diags_free(&diags);
    assert_non_null(set);
    return set;
}

/* Whether a part is in an xlsx file. */
static int has_part(const char *xlsx, const char *name)
{
    int error = 0;
    zip_t *zip = zip_open(xlsx, ZIP_RDONLY, &error);
    assert_non_null(zip);
    int found = zip_name_locate(zip, name, 0) >= 0;
    zip_discard(zip);
    return found;
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
    zip_discard(zip);
    return data;
}

/* The XML part of a sheet, found by its name through workbook.xml and its rels. */
static char *sheet_part(const char *xlsx, const char *sheet)
{
    char *workbook = zip_part(xlsx, "xl/workbook.xml");
    char needle[128];
    snprintf(needle, sizeof needle, "<sheet name=\"%s\" ", sheet);
    const char *at = strstr(workbook, needle);
    if (at == NULL)
        fail_msg("no sheet %s in %s", sheet, xlsx);
    const char *rid = strstr(at, "r:id=\"");
    assert_non_null(rid);
    rid += 6;
    char id[32];
    size_t n = strcspn(rid, "\"");
    assert_true(n < sizeof id);
    memcpy(id, rid, n);
    id[n] = '\0';
    free(workbook);
    char *rels = zip_part(xlsx, "xl/_rels/workbook.xml.rels");
    snprintf(needle, sizeof needle, "Id=\"%s\"", id);
    const char *rel = strstr(rels, needle);
    assert_non_null(rel);
    /* The relationship element holding this id: its Target. */
    const char *start = rel;
    while (start > rels && *start != '<')
        start--;
    const char *target = strstr(start, "Target=\"");
    assert_non_null(target);
    target += 8;
    n = strcspn(target, "\"");
    char *name = ao_asprintf("xl/%.*s", (int)n, target);
    assert_non_null(name);
    free(rels);
    char *part = zip_part(xlsx, name);
    free(name);
    return part;
}

/* The <c> element of a cell in a sheet's XML, or NULL. Caller frees. */
static char *cell_xml(const char *sheet_xml, const char *ref)
{
    char needle[32];
    snprintf(needle, sizeof needle, "<c r=\"%s\"", ref);
    const char *start = strstr(sheet_xml, needle);
    if (start == NULL)
        return NULL;
    const char *end = strstr(start, "</c>");
    const char *empty = strstr(start, "/>");
    if (end == NULL || (empty != NULL && empty < strstr(start, ">")))
        end = empty;
    assert_non_null(end);
    return ao_strndup(start, (size_t)(end - start) + 4);
}

static const char *cell(const ao_table *table, size_t row, const char *column)
{
    long col = ao_table_col(table, column);
    assert_true(col >= 0);
    return ao_table_cell(table, row, col);
}

/* A row of a table by its first cell. */
static size_t row_of(const ao_table *table, const char *column, const char *value)
{
    long col = ao_table_col(table, column);
    for (size_t r = 0; r < table->n_rows; r++)
        if (ao_table_cell(table, r, col) && strcmp(ao_table_cell(table, r, col), value) == 0)
            return r;
    fail_msg("no row with %s = %s in %s", column, value, table->name);
    return 0;
}

/* Build a model; the input must be clean. */
static ao_model *build(const ao_tableset *tables)
{
    ao_diags diags;
    ao_diags_init(&diags);
    ao_model *model = NULL;
    ao_error err = ao_model_build(tables, &model, &diags);
    for (size_t k = 0; k < diags.count; k++)
        if (diags.items[k].severity == AO_DIAG_ERROR) {
            char *line = ao_diag_format(&diags.items[k]);
            print_message("%s\n", line ? line : "(no memory)");
            free(line);
        }
    assert_int_equal(diags.n_errors, 0);
    assert_int_equal(err, AO_NO_ERROR);
    ao_diags_free(&diags);
    return model;
}

/* Every scenario of the tables applies cleanly. */
static void assert_scenarios_apply(const ao_tableset *tables)
{
    ao_diags diags;
    ao_diags_init(&diags);
    ao_error err = ao_scenarios_check(tables, &diags);
    print_diags(&diags);
    assert_int_equal(err, AO_NO_ERROR);
    assert_int_equal(diags.n_errors, 0);
    ao_diags_free(&diags);
}

static double objective_of(const ao_model *model)
{
    ao_plan *plan = NULL;
    assert_int_equal(ao_plan_solve(model, NULL, &plan), AO_NO_ERROR);
    assert_int_equal(plan->status, AO_STATUS_OPTIMAL);
    double objective = plan->objective;
    ao_plan_free(plan);
    return objective;
}

static void assert_same_objective(double expected, double actual)
{
    if (fabs(actual - expected) > 1e-9 * fmax(1.0, fabs(expected)))
        fail_msg("objective %.17g, expected %.17g", actual, expected);
}

/*
 * Every cell of every table of `original` is in `back`, in the same row: the same
 * text, or (numbers written as numbers) the same value.
 */
static void assert_same_cells(const ao_tableset *original, const ao_tableset *back)
{
    for (size_t k = 0; k < original->n_tables; k++) {
        const ao_table *want = original->tables[k];
        const ao_table *got = ao_tableset_find(back, want->name);
        if (got == NULL)
            fail_msg("table %s was not read back", want->name);
        assert_int_equal(got->n_rows, want->n_rows);
        for (size_t c = 0; c < want->n_cols; c++) {
            long got_col = ao_table_col(got, want->headers[c]);
            if (got_col < 0)
                fail_msg("%s.%s was not read back", want->name, want->headers[c]);
            for (size_t r = 0; r < want->n_rows; r++) {
                const char *a = ao_table_cell(want, r, (long)c);
                const char *b = ao_table_cell(got, r, got_col);
                if (a == NULL || b == NULL) {
                    if (a != b)
                        fail_msg("%s.%s row %zu: '%s' came back as '%s'", want->name,
                                 want->headers[c], r + 2, a ? a : "", b ? b : "");
                    continue;
                }
                if (strcmp(a, b) == 0)
                    continue;
                double x, y;
                if (ao_parse_number(a, &x) != AO_PARSE_OK ||
                    ao_parse_number(b, &y) != AO_PARSE_OK || x != y)
                    fail_msg("%s.%s row %zu: '%s' came back as '%s'", want->name, want->headers[c],
                             r + 2, a, b);
            }
        }
    }
}

static void assert_headers(const ao_table *table, const char *const *headers)
{
    size_t n = 0;
    while (headers[n] != NULL)
        n++;
    assert_int_equal(table->n_cols, n);
    for (size_t c = 0; c < n; c++) {
        assert_string_equal(table->header_text[c], headers[c]);
        assert_int_equal(table->sheet_cols[c], c);
    }
}

static ao_tableset *filled_tables(void)
{
    ao_diags diags;
    ao_diags_init(&diags);
    ao_tableset *tables = support_tables(&diags, filled_pairs);
    print_diags(&diags);
    assert_non_null(tables);
    assert_int_equal(diags.count, 0);
    ao_diags_free(&diags);
    return tables;
}

/* The bundled example, from the copy compiled into the program. */
static ao_tableset *bundled_example(void)
{
    ao_diags diags;
    ao_diags_init(&diags);
    ao_tableset *set = ao_tableset_new("bundled example");
    assert_non_null(set);
    for (size_t k = 0; k < ao_example_file_count; k++) {
        const ao_embedded_file *file = &ao_example_files[k];
        char name[64];
        snprintf(name, sizeof name, "%s", file->name);
        char *dot = strrchr(name, '.');
        if (dot != NULL)
            *dot = '\0';
        ao_table *table = NULL;
        assert_int_equal(
            ao_csv_read_buffer(file->data, file->length, name, file->name, &table, &diags),
            AO_NO_ERROR);
        assert_non_null(table);
        assert_int_equal(ao_tableset_add(set, table), AO_NO_ERROR);
    }
    assert_int_equal(diags.n_errors, 0);
    ao_diags_free(&diags);
    return set;
}

/* ---- the empty template ---- */

static void test_empty_template_has_every_table(void **state)
{
    fixture *f = *state;
    char *path = path_in(f, "empty.xlsx");
    assert_int_equal(ao_template_write(path, NULL), AO_NO_ERROR);
    ao_tableset *set = read_back(path);

    /* Exactly the tables of FORMATS.md: not "Read me", not the hidden lists. */
    assert_int_equal(set->n_tables, N_TABLES);
    for (size_t k = 0; k < N_TABLES; k++) {
        const ao_table *table = ao_tableset_find(set, expected_tables[k][0]);
        if (table == NULL)
            fail_msg("no table %s", expected_tables[k][0]);
        /* In FORMATS.md's order, each sheet named exactly as its table. */
        assert_string_equal(set->tables[k]->name, expected_tables[k][0]);
        assert_headers(table, strcmp(expected_tables[k][0], "services") == 0 ? services_headers
                              : strcmp(expected_tables[k][0], "uncertainty") == 0
                                  ? uncertainty_headers
                                  : &expected_tables[k][1]);
        if (strcmp(table->name, "settings") != 0)
            assert_int_equal(table->n_rows, 0);
    }
    assert_null(ao_tableset_find(set, "read me"));
    assert_null(ao_tableset_find(set, "_lists"));

    /* Settings lists the keys, with the required ones filled in. */
    const ao_table *settings = ao_tableset_find(set, "settings");
    static const char *const keys[] = {"first_year",
                                       "years",
                                       "name",
                                       "objective",
                                       "arrangement",
                                       "discount_rate",
                                       "specialised_share_floor",
                                       "max_change",
                                       "equity_band",
                                       "benefit_unit"};
    assert_int_equal(settings->n_rows, sizeof keys / sizeof keys[0]);
    for (size_t r = 0; r < settings->n_rows; r++)
        assert_string_equal(cell(settings, r, "key"), keys[r]);
    assert_string_equal(cell(settings, row_of(settings, "key", "first_year"), "value"), "2025/26");
    assert_string_equal(cell(settings, row_of(settings, "key", "years"), "value"), "5");
    assert_string_equal(cell(settings, row_of(settings, "key", "objective"), "value"), "benefit");
    assert_string_equal(cell(settings, row_of(settings, "key", "arrangement"), "value"),
                        "delegated");
    assert_null(cell(settings, row_of(settings, "key", "discount_rate"), "value"));

    /* The Read me sheet comes first; the list sheet is hidden. */
    char *workbook = zip_part(path, "xl/workbook.xml");
    const char *readme = strstr(workbook, "<sheet name=\"Read me\"");
    const char *first_table = strstr(workbook, "<sheet name=\"settings\"");
    assert_non_null(readme);
    assert_non_null(first_table);
    assert_true(readme < first_table);
    assert_non_null(strstr(workbook, "<sheet name=\"_lists\" sheetId=\"19\" state=\"hidden\""));
    free(workbook);

    /* Document properties. */
    char *core = zip_part(path, "docProps/core.xml");
    assert_non_null(strstr(core, "<dc:title>allocopt input</dc:title>"));
    assert_non_null(strstr(core, AO_VERSION));
    free(core);

    ao_tableset_free(set);
    free(path);
}

static void test_empty_template_parts(void **state)
{
    fixture *f = *state;
    char *path = path_in(f, "parts.xlsx");
    assert_int_equal(ao_template_write(path, NULL), AO_NO_ERROR);

    /* Every table sheet: data validation, an Excel table, a frozen heading row. */
    for (size_t k = 0; k < N_TABLES; k++) {
        char *xml = sheet_part(path, expected_tables[k][0]);
        if (strstr(xml, "<dataValidation ") == NULL)
            fail_msg("sheet %s has no data validation", expected_tables[k][0]);
        assert_non_null(strstr(xml, "<tablePart "));
        assert_non_null(strstr(xml, "state=\"frozen\""));
        assert_non_null(strstr(xml, "<legacyDrawing ")); /* the heading notes */
        free(xml);
    }
    assert_true(has_part(path, "xl/comments1.xml"));
    assert_true(has_part(path, "xl/tables/table1.xml"));

    /* Each heading has a note saying what it is and whether it is required. */
    char *notes = zip_part(path, "xl/comments3.xml"); /* budgets, the third table sheet */
    assert_non_null(strstr(notes, "revenue: required"));
    assert_non_null(strstr(notes, "capital: optional"));
    assert_non_null(strstr(notes, "not £k or £m"));
    free(notes);

    /* Id lists point at exactly the id column of their sheet. */
    char *demand = sheet_part(path, "demand");
    assert_non_null(strstr(demand, "<formula1>icbs!$A$2:$A$5001</formula1>"));
    assert_non_null(strstr(demand, "<formula1>services!$A$2:$A$5001</formula1>"));
    free(demand);
    char *capacity = sheet_part(path, "capacity");
    assert_non_null(strstr(capacity, "<formula1>providers!$A$2:$A$5001</formula1>"));
    free(capacity);
    char *members = sheet_part(path, "collaborative_members");
    assert_non_null(strstr(members, "<formula1>collaboratives!$A$2:$A$5001</formula1>"));
    free(members);

    /* Fixed words, and number checks matching the model's. */
    char *services = sheet_part(path, "services");
    assert_non_null(strstr(services, "<formula1>\"specialised,priority\"</formula1>"));
    /* min_coverage (H) between 0 and 1, growth (I) above -1. */
    const char *coverage = strstr(services, "sqref=\"H2:H20001\"");
    assert_non_null(coverage);
    assert_non_null(strstr(coverage, "<formula1>0</formula1><formula2>1</formula2>"));
    assert_non_null(strstr(services, "operator=\"greaterThan\""));
    assert_non_null(strstr(services, "<formula1>-1</formula1>"));
    free(services);
    char *rules = sheet_part(path, "rules");
    assert_non_null(strstr(rules, "\"min_spend,max_spend,min_share,max_share\""));
    assert_non_null(strstr(rules, "<formula1>'_lists'!$A$2:$A$5003</formula1>"));
    free(rules);
    char *scenarios = sheet_part(path, "scenarios");
    assert_non_null(strstr(scenarios, "\"set,scale,add\""));
    free(scenarios);
    char *providers = sheet_part(path, "providers");
    assert_non_null(strstr(providers, "\"yes,no\""));
    free(providers);

    /* The scope list: *, all, then the icbs sheet's ids by formula. */
    char *lists = sheet_part(path, "_lists");
    char *a2 = cell_xml(lists, "A2"), *a4 = cell_xml(lists, "A4");
    assert_non_null(a2);
    assert_non_null(a4);
    assert_non_null(strstr(a4, "<f>IF(icbs!$A2=\"\",\"\",icbs!$A2)</f>"));
    free(a2);
    free(a4);
    free(lists);

    /* In settings, years is a number and first_year text. */
    char *settings = sheet_part(path, "settings");
    char *first_year = cell_xml(settings, "B2"), *years = cell_xml(settings, "B3");
    assert_non_null(first_year);
    assert_non_null(years);
    assert_non_null(strstr(first_year, "t=\"s\""));
    assert_null(strstr(years, "t=\""));
    assert_non_null(strstr(years, "<v>5</v>"));
    free(first_year);
    free(years);
    free(settings);
    free(path);
}

/* ---- a filled template ---- */

static void test_filled_template_round_trips(void **state)
{
    fixture *f = *state;
    char *path = path_in(f, "filled.xlsx");
    ao_tableset *tables = filled_tables();
    assert_int_equal(ao_template_write(path, tables), AO_NO_ERROR);
    ao_tableset *back = read_back(path);
    assert_same_cells(tables, back);

    /* Text that looks like a number or a formula comes back exactly as written. */
    const ao_table *icbs = ao_tableset_find(back, "icbs");
    assert_string_equal(cell(icbs, 0, "name"), HYPERLINK_NAME);
    assert_string_equal(cell(icbs, 1, "id"), "001");
    assert_string_equal(cell(icbs, 1, "name"), "+44 Trust");
    assert_string_equal(cell(icbs, 1, "region"), "-North");
    assert_string_equal(cell(icbs, 1, "joint_committee"), "@committee");
    const ao_table *budgets = ao_tableset_find(back, "budgets");
    assert_string_equal(cell(budgets, 0, "year"), "2025/26");
    assert_string_equal(cell(budgets, 1, "year"), "2026");
    /* Numbers are numbers: the £ sign and separators are gone, percentages are fractions. */
    assert_string_equal(cell(budgets, 0, "revenue"), "601500000");
    assert_string_equal(cell(icbs, 0, "population"), "2400000");
    const ao_table *services = ao_tableset_find(back, "services");
    assert_string_equal(cell(services, 0, "min_coverage"), "0.9");
    assert_string_equal(cell(services, 0, "growth"), "0.04");
    const ao_table *scenarios = ao_tableset_find(back, "scenarios");
    /* A value set into a text column stays text; one set into a number becomes one. */
    assert_string_equal(cell(scenarios, row_of(scenarios, "scenario", "rename"), "value"), "£5");
    assert_string_equal(cell(scenarios, row_of(scenarios, "scenario", "rate"), "value"), "0.02");
    assert_string_equal(cell(scenarios, row_of(scenarios, "scenario", "joint"), "value"), "joint");

    /* No cell of the sheet holding the HYPERLINK text is a formula. */
    char *xml = sheet_part(path, "icbs");
    assert_null(strstr(xml, "<f>"));
    assert_null(strstr(xml, "<f "));
    free(xml);
    xml = sheet_part(path, "settings");
    assert_null(strstr(xml, "<f>"));
    free(xml);
    char *strings = zip_part(path, "xl/sharedStrings.xml");
    assert_non_null(strstr(strings, "=HYPERLINK("));
    free(strings);

    /* A percentage keeps a percentage format. */
    char *services_xml = sheet_part(path, "services");
    char *growth = cell_xml(services_xml, "I2");
    assert_non_null(growth);
    assert_non_null(strstr(growth, "<v>0.04</v>"));
    assert_non_null(strstr(growth, " s=\""));
    free(growth);
    free(services_xml);

    /* The same model: the same optimum. */
    ao_model *original = build(tables);
    ao_model *read = build(back);
    assert_int_equal(read->n_icbs, original->n_icbs);
    assert_int_equal(read->n_services, original->n_services);
    assert_int_equal(read->n_capacity, original->n_capacity);
    assert_int_equal(read->n_rules, original->n_rules);
    assert_int_equal(read->n_collaboratives, original->n_collaboratives);
    assert_true(read->has_access_table);
    assert_true(read->settings.discount_rate == original->settings.discount_rate);
    assert_same_objective(objective_of(original), objective_of(read));
    assert_scenarios_apply(back);
    ao_model_free(original);
    ao_model_free(read);

    ao_tableset_free(back);
    ao_tableset_free(tables);
    free(path);
}

/* An example without an access table keeps every ICB's access to every provider: its
 * access sheet is empty, which the model reads as no restriction. */
static void test_example_without_access_keeps_access_open(void **state)
{
    fixture *f = *state;
    char *path = path_in(f, "no_access.xlsx");
    /* The filled model without its access and prevention tables. */
    const char *pairs[64];
    size_t n = 0;
    for (size_t k = 0; filled_pairs[k] != NULL; k += 2)
        if (strcmp(filled_pairs[k], "access") != 0 && strcmp(filled_pairs[k], "prevention") != 0) {
            pairs[n++] = filled_pairs[k];
            pairs[n++] = filled_pairs[k + 1];
        }
    pairs[n] = NULL;
    ao_diags diags;
    ao_diags_init(&diags);
    ao_tableset *tables = support_tables(&diags, pairs);
    assert_non_null(tables);
    ao_diags_free(&diags);

    assert_int_equal(ao_template_write(path, tables), AO_NO_ERROR);
    ao_tableset *back = read_back(path);
    const ao_table *access = ao_tableset_find(back, "access");
    assert_non_null(access);
    assert_int_equal(access->n_rows, 0);
    /* Other tables the example lacks get an empty sheet too. */
    const ao_table *prevention = ao_tableset_find(back, "prevention");
    assert_non_null(prevention);
    assert_int_equal(prevention->n_rows, 0);
    assert_same_cells(tables, back);
    ao_model *original = build(tables);
    ao_model *read = build(back);
    assert_false(read->has_access_table);
    assert_same_objective(objective_of(original), objective_of(read));
    ao_model_free(original);
    ao_model_free(read);
    ao_tableset_free(back);
    ao_tableset_free(tables);
    free(path);
}

/* Columns in another order, and columns and tables the formats do not know. */
static void test_example_columns_in_formats_order(void **state)
{
    fixture *f = *state;
    char *path = path_in(f, "order.xlsx");
    static const char *const pairs[] = {"icbs", "population,notes,ID\n100,keep out,I1\n200,,I2\n",
                                        "extra", "a,b\n1,2\n", NULL};
    ao_diags diags;
    ao_diags_init(&diags);
    ao_tableset *tables = support_tables(&diags, pairs);
    assert_non_null(tables);
    ao_diags_free(&diags);
    assert_int_equal(ao_template_write(path, tables), AO_NO_ERROR);
    ao_tableset *back = read_back(path);
    assert_null(ao_tableset_find(back, "extra"));
    const ao_table *icbs = ao_tableset_find(back, "icbs");
    assert_non_null(icbs);
    assert_headers(icbs, &expected_tables[1][1]);
    assert_int_equal(icbs->n_rows, 2);
    assert_string_equal(cell(icbs, 1, "id"), "I2");
    assert_string_equal(cell(icbs, 1, "population"), "200");
    assert_null(cell(icbs, 1, "name"));
    assert_int_equal(ao_table_col(icbs, "notes"), -1);
    /* A missing settings table stays missing in content: an empty sheet, no defaults. */
    const ao_table *settings = ao_tableset_find(back, "settings");
    assert_non_null(settings);
    assert_int_equal(settings->n_rows, 0);
    ao_tableset_free(back);
    ao_tableset_free(tables);
    free(path);
}

/* ---- the bundled example ---- */

static void test_bundled_example_gives_the_same_plan(void **state)
{
    if (ao_example_file_count == 0)
        skip();
    fixture *f = *state;
    char *path = path_in(f, "example.xlsx");
    ao_tableset *tables = bundled_example();
    assert_int_equal(ao_template_write(path, tables), AO_NO_ERROR);
    ao_tableset *back = read_back(path);
    assert_same_cells(tables, back);
    ao_model *original = build(tables);
    ao_model *read = build(back);
    assert_same_objective(objective_of(original), objective_of(read));
    assert_scenarios_apply(back);
    ao_model_free(original);
    ao_model_free(read);
    ao_tableset_free(back);
    ao_tableset_free(tables);
    free(path);
}

/* ---- writing whole or not at all ---- */

static void test_write_is_whole_or_nothing(void **state)
{
    fixture *f = *state;
    assert_int_equal(ao_template_write(NULL, NULL), AO_ERROR_NULL_PARAMETER);

    /* A folder that does not exist: an error, and nothing written anywhere. */
    char *missing = path_in(f, "no/such/folder/book.xlsx");
    assert_int_equal(ao_template_write(missing, NULL), AO_ERROR_FILE_WRITE);
    free(missing);
    assert_int_equal(count_entries(f->dir), 0);

    /* An existing file is replaced whole, and no temporary file is left beside it. */
    char *path = path_in(f, "book.xlsx");
    FILE *old = fopen(path, "wb");
    assert_non_null(old);
    fputs("not a workbook", old);
    fclose(old);
    assert_int_equal(ao_template_write(path, NULL), AO_NO_ERROR);
    assert_int_equal(count_entries(f->dir), 1);
    ao_tableset *back = read_back(path);
    ao_tableset_free(back);

    /* The same call gives the same bytes. */
    char *again = path_in(f, "again.xlsx");
    assert_int_equal(ao_template_write(again, NULL), AO_NO_ERROR);
    FILE *a = fopen(path, "rb"), *b = fopen(again, "rb");
    assert_non_null(a);
    assert_non_null(b);
    int ca, cb;
    do {
        ca = fgetc(a);
        cb = fgetc(b);
        assert_int_equal(ca, cb);
    } while (ca != EOF);
    fclose(a);
    fclose(b);
    free(again);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_empty_template_has_every_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_template_parts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filled_template_round_trips, setup, teardown),
        cmocka_unit_test_setup_teardown(test_example_without_access_keeps_access_open, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_example_columns_in_formats_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bundled_example_gives_the_same_plan, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_is_whole_or_nothing, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
