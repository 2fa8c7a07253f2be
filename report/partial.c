/*
 * Partial results of an uncertainty study, as JSON (jansson): what a shard computed,
 * and what the report of the whole study needs of the baseline. Merging sorts the
 * records by sample index, so the merged study is the single run's, number for number.
 */
#include "report/partial.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/strutil.h"
#include "report/json_file.h"
#include "report/words.h"

#define AO_PARTIAL_FORMAT "allocopt uncertainty part"
/* 17 significant digits: every double reads back to the same value. */
#define AO_PARTIAL_JSON_FLAGS (JSON_PRESERVE_ORDER | JSON_COMPACT | JSON_REAL_PRECISION(17))
/* Largest seed a JSON integer holds exactly in jansson (a signed 64-bit integer). */
#define AO_PARTIAL_MAX_JSON_INT 9223372036854775807ULL

/* ---- writing ---- */

static json_t *baseline_object(const ao_study *s)
{
    json_t *base = json_object(), *icbs = json_array(), *budgets = json_array();
    int failed = base == NULL || icbs == NULL || budgets == NULL;
    for (size_t i = 0; i < s->n_icbs && !failed; i++) {
        json_t *icb = json_object();
        failed |= icb == NULL || json_array_append_new(icbs, icb) != 0;
        if (!failed) {
            failed |= ao_json_set(icb, "id", json_string(s->icb_ids[i]));
            failed |= ao_json_set(icb, "name", json_string(s->icb_names[i]));
            failed |= ao_json_set(icb, "budget", ao_json_number_or_null(s->icb_budgets[i]));
        }
    }
    for (size_t k = 0; k < s->n_budgets && !failed; k++) {
        const ao_study_budget *b = &s->budgets[k];
        json_t *line = json_object();
        failed |= line == NULL || json_array_append_new(budgets, line) != 0;
        if (!failed) {
            failed |= ao_json_set(line, "pool", json_string(b->pool));
            failed |= ao_json_set(line, "year", json_string(b->year));
            failed |= ao_json_set(line, "kind", json_string(ao_budget_kind_name(b->kind)));
            failed |= ao_json_set(line, "available", ao_json_number_or_null(b->available));
            failed |= ao_json_set(line, "used", ao_json_number_or_null(b->used));
        }
    }
    if (!failed) {
        failed |=
            ao_json_set(base, "model", s->model_name ? json_string(s->model_name) : json_null());
        failed |= ao_json_set(base, "arrangement", json_string(s->arrangement));
        failed |= ao_json_set(base, "objective_kind",
                              json_string(s->cost_objective ? "cost" : "benefit"));
        failed |= ao_json_set(base, "benefit_unit", json_string(s->benefit_unit));
        failed |= ao_json_set(base, "status", json_string(ao_plan_status_name(s->baseline_status)));
        failed |= ao_json_set(base, "objective", ao_json_number_or_null(s->baseline_objective));
        failed |=
            ao_json_set(base, "total_revenue_spend", ao_json_number_or_null(s->baseline_revenue));
        failed |=
            ao_json_set(base, "total_capital_spend", ao_json_number_or_null(s->baseline_capital));
        failed |= ao_json_set(base, "icbs", icbs);
        icbs = NULL;
        failed |= ao_json_set(base, "budgets", budgets);
        budgets = NULL;
    }
    json_decref(icbs);
    json_decref(budgets);
    return ao_json_unless_failed(base, failed);
}

/* The overspend of every ICB in record k (£), in icbs order. */
static json_t *overspend_array(const ao_study *s, size_t k)
{
    json_t *overspend = json_array();
    int failed = overspend == NULL;
    for (size_t i = 0; i < s->n_icbs && !failed; i++)
        failed |= json_array_append_new(overspend,
                                        ao_json_number_or_null(s->overspend[k * s->n_icbs + i]));
    return ao_json_unless_failed(overspend, failed);
}

static json_t *records_array(const ao_study *s)
{
    json_t *records = json_array();
    char *bits = malloc(s->n_icbs + 1);
    int failed = records == NULL || bits == NULL;
    for (size_t k = 0; k < s->n_records && !failed; k++) {
        const ao_sample_record *r = &s->records[k];
        for (size_t i = 0; i < s->n_icbs; i++)
            bits[i] = s->breach[k * s->n_icbs + i] ? '1' : '0';
        bits[s->n_icbs] = '\0';
        json_t *record = json_object();
        failed |= record == NULL || json_array_append_new(records, record) != 0;
        if (failed)
            break;
        failed |= ao_json_set(record, "sample", json_integer((json_int_t)r->sample));
        failed |= ao_json_set(record, "status", json_string(ao_sample_status_name(r->status)));
        failed |= ao_json_set(record, "objective", ao_json_number_or_null(r->objective));
        failed |= ao_json_set(record, "spend", ao_json_number_or_null(r->spend));
        /* An infeasible sample's funding gap: pounds, or AO_WORDS_MONEY_CANNOT. */
        if (isinf(r->funding_gap))
            failed |= ao_json_set(record, "funding_gap", json_string(AO_WORDS_MONEY_CANNOT));
        else if (!isnan(r->funding_gap))
            failed |= ao_json_set(record, "funding_gap", json_real(r->funding_gap));
        failed |= ao_json_set(record, "breach", json_string(bits));
        failed |= ao_json_set(record, "overspend", overspend_array(s, k));
    }
    free(bits);
    return ao_json_unless_failed(records, failed);
}

static json_t *partial_object(const ao_study *s)
{
    json_t *root = json_object();
    if (root == NULL)
        return NULL;
    int failed = ao_json_set(root, "format", json_string(AO_PARTIAL_FORMAT));
    failed |= ao_json_set(root, "format_version", json_integer(AO_PARTIAL_FORMAT_VERSION));
    failed |= ao_json_set(root, "allocopt_version", json_string(AO_VERSION));
    failed |= ao_json_set(root, "fingerprint", json_string(s->fingerprint));
    failed |= ao_json_set(root, "samples", json_integer((json_int_t)s->n_samples));
    failed |= ao_json_set(root, "seed", json_integer((json_int_t)s->seed));
    failed |= ao_json_set(root, "shard", json_integer(s->shard));
    failed |= ao_json_set(root, "shards", json_integer(s->n_shards));
    failed |= ao_json_set(root, "breach_tolerance", json_real(s->breach_tolerance));
    failed |= ao_json_set(root, "baseline", baseline_object(s));
    failed |= ao_json_set(root, "records", records_array(s));
    return ao_json_unless_failed(root, failed);
}

ao_error ao_partial_write(const char *path, const ao_study *s)
{
    if (path == NULL || s == NULL)
        return AO_ERROR_NULL_PARAMETER;
    return ao_json_file_write_owned(path, partial_object(s), AO_PARTIAL_JSON_FLAGS);
}

/* ---- reading ---- */

typedef struct part_reader {
    const char *path;
    ao_diags *diags; ///< Where the first problem goes, at the file.
    int failed;      ///< 1 after the first problem.
    int memory;      ///< 1 after a failed allocation.
} part_reader;

static void problem(part_reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void problem(part_reader *r, const char *fmt, ...)
{
    if (r->failed || r->memory)
        return;
    const ao_loc at = {.file = r->path};
    r->failed = 1;
    va_list args;
    va_start(args, fmt);
    r->memory = ao_diags_addv(r->diags, AO_DIAG_ERROR, &at, fmt, args) != AO_NO_ERROR;
    va_end(args);
}

static const char *get_string(part_reader *r, json_t *object, const char *key)
{
    json_t *value = json_object_get(object, key);
    if (!json_is_string(value)) {
        problem(r, "'%s' is missing or not text: this is not an allocopt partial result", key);
        return NULL;
    }
    return json_string_value(value);
}

static char *dup_string(part_reader *r, json_t *object, const char *key)
{
    const char *text = get_string(r, object, key);
    if (text == NULL)
        return NULL;
    char *copy = ao_strdup(text);
    r->memory |= copy == NULL;
    return copy;
}

/* A whole number from 0 to max; 0 when missing (with a problem noted). */
static unsigned long long get_count(part_reader *r, json_t *object, const char *key,
                                    unsigned long long max)
{
    json_t *value = json_object_get(object, key);
    if (!json_is_integer(value) || json_integer_value(value) < 0 ||
        (unsigned long long)json_integer_value(value) > max) {
        problem(r, "'%s' is missing or not a whole number from 0 to %llu", key, max);
        return 0;
    }
    return (unsigned long long)json_integer_value(value);
}

/* A number, or NAN for null. */
static double get_number(part_reader *r, json_t *object, const char *key)
{
    json_t *value = json_object_get(object, key);
    if (json_is_null(value))
        return NAN;
    if (!json_is_number(value)) {
        problem(r, "'%s' is missing or not a number", key);
        return NAN;
    }
    return json_number_value(value);
}

static void read_baseline(part_reader *r, json_t *base, ao_study *s)
{
    if (!json_is_object(base)) {
        problem(r, "'baseline' is missing");
        return;
    }
    json_t *model = json_object_get(base, "model");
    if (json_is_string(model)) {
        s->model_name = ao_strdup(json_string_value(model));
        r->memory |= s->model_name == NULL;
    }
    s->arrangement = dup_string(r, base, "arrangement");
    s->benefit_unit = dup_string(r, base, "benefit_unit");
    const char *kind = get_string(r, base, "objective_kind");
    s->cost_objective = kind != NULL && strcmp(kind, "cost") == 0;
    const char *status = get_string(r, base, "status");
    s->baseline_status = AO_STATUS_NOT_SOLVED;
    for (int k = AO_STATUS_NOT_SOLVED; status != NULL && k <= AO_STATUS_UNBOUNDED; k++)
        if (strcmp(status, ao_plan_status_name((ao_solve_status)k)) == 0)
            s->baseline_status = (ao_solve_status)k;
    s->baseline_objective = get_number(r, base, "objective");
    s->baseline_revenue = get_number(r, base, "total_revenue_spend");
    s->baseline_capital = get_number(r, base, "total_capital_spend");

    json_t *icbs = json_object_get(base, "icbs");
    json_t *budgets = json_object_get(base, "budgets");
    if (!json_is_array(icbs) || !json_is_array(budgets)) {
        problem(r, "'icbs' or 'budgets' is missing from 'baseline'");
        return;
    }
    size_t n_icbs = json_array_size(icbs), n_budgets = json_array_size(budgets);
    s->icb_ids = calloc(n_icbs + 1, sizeof *s->icb_ids);
    s->icb_names = calloc(n_icbs + 1, sizeof *s->icb_names);
    s->icb_budgets = calloc(n_icbs + 1, sizeof *s->icb_budgets);
    s->budgets = calloc(n_budgets + 1, sizeof *s->budgets);
    if (s->icb_ids == NULL || s->icb_names == NULL || s->icb_budgets == NULL ||
        s->budgets == NULL) {
        r->memory = 1;
        return;
    }
    for (size_t i = 0; i < n_icbs && !r->memory && !r->failed; i++) {
        json_t *icb = json_array_get(icbs, i);
        s->n_icbs++;
        s->icb_ids[i] = dup_string(r, icb, "id");
        s->icb_names[i] = dup_string(r, icb, "name");
        s->icb_budgets[i] = get_number(r, icb, "budget");
    }
    for (size_t k = 0; k < n_budgets && !r->memory && !r->failed; k++) {
        json_t *line = json_array_get(budgets, k);
        ao_study_budget *b = &s->budgets[k];
        s->n_budgets++;
        b->pool = dup_string(r, line, "pool");
        const char *year = get_string(r, line, "year");
        snprintf(b->year, sizeof b->year, "%s", year ? year : "");
        const char *kind_name = get_string(r, line, "kind");
        b->kind = AO_BUDGET_REVENUE;
        for (int q = AO_BUDGET_REVENUE; kind_name != NULL && q <= AO_BUDGET_COLLABORATIVE; q++)
            if (strcmp(kind_name, ao_budget_kind_name((ao_budget_kind)q)) == 0)
                b->kind = (ao_budget_kind)q;
        b->available = get_number(r, line, "available");
        b->used = get_number(r, line, "used");
    }
}

/* Record k's overspend of every ICB (£): as many finite numbers, 0 or more, as ICBs. */
static void read_overspend(part_reader *r, json_t *record, size_t k, ao_study *s)
{
    json_t *overspend = json_object_get(record, "overspend");
    if (overspend == NULL) {
        problem(r,
                "record %zu has no overspend (the £ by which the baseline plan overspends "
                "each ICB's budgets): the file is incomplete or was changed",
                k + 1);
        return;
    }
    if (!json_is_array(overspend) || json_array_size(overspend) != s->n_icbs) {
        problem(r, "record %zu has %zu overspends for %zu ICBs", k + 1,
                json_is_array(overspend) ? json_array_size(overspend) : 0, s->n_icbs);
        return;
    }
    for (size_t i = 0; i < s->n_icbs; i++) {
        json_t *value = json_array_get(overspend, i);
        double pounds = json_is_number(value) ? json_number_value(value) : NAN;
        if (!(isfinite(pounds) && pounds >= 0)) {
            problem(r, "record %zu: the overspend of ICB %zu is not a number of £ from 0 up", k + 1,
                    i + 1);
            return;
        }
        s->overspend[k * s->n_icbs + i] = pounds;
    }
}

static void read_records(part_reader *r, json_t *records, ao_study *s)
{
    if (!json_is_array(records)) {
        problem(r, "'records' is missing");
        return;
    }
    size_t n = json_array_size(records);
    s->records = calloc(n + 1, sizeof *s->records);
    s->breach = calloc(n * s->n_icbs + 1, 1);
    s->overspend = calloc(n * s->n_icbs + 1, sizeof *s->overspend);
    if (s->records == NULL || s->breach == NULL || s->overspend == NULL) {
        r->memory = 1;
        return;
    }
    for (size_t k = 0; k < n && !r->memory && !r->failed; k++) {
        json_t *record = json_array_get(records, k);
        ao_sample_record *out = &s->records[k];
        s->n_records++;
        out->sample = get_count(r, record, "sample", AO_STUDY_MAX_SAMPLES);
        const char *status = get_string(r, record, "status");
        int parsed = ao_sample_status_parse(status);
        if (status != NULL && parsed < 0)
            problem(r, "record %zu has an unknown status '%.40s'", k + 1, status);
        out->status = parsed < 0 ? AO_SAMPLE_FAILED : (ao_sample_status)parsed;
        out->objective = get_number(r, record, "objective");
        out->spend = get_number(r, record, "spend");
        json_t *gap = json_object_get(record, "funding_gap");
        out->funding_gap = json_is_string(gap)   ? INFINITY
                           : json_is_number(gap) ? json_number_value(gap)
                                                 : NAN;
        const char *bits = get_string(r, record, "breach");
        if (bits != NULL && strlen(bits) != s->n_icbs)
            problem(r, "record %zu has %zu breach marks for %zu ICBs", k + 1, strlen(bits),
                    s->n_icbs);
        for (size_t i = 0; bits != NULL && i < s->n_icbs && bits[i] != '\0'; i++)
            s->breach[k * s->n_icbs + i] = bits[i] == '1';
        read_overspend(r, record, k, s);
    }
}

static void read_breach_tolerance(part_reader *r, json_t *root, ao_study *s)
{
    json_t *value = json_object_get(root, "breach_tolerance");
    s->breach_tolerance = json_is_number(value) ? json_number_value(value) : NAN;
    if (!ao_breach_tolerance_valid(s->breach_tolerance))
        problem(r, "'breach_tolerance' is missing or not a share from 0 up to 1");
}

ao_error ao_partial_read(const char *path, ao_study **out, ao_diags *diags)
{
    *out = NULL;
    part_reader r = {.path = path, .diags = diags};
    json_error_t error;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &error);
    if (root == NULL) {
        if (error.line > 0)
            problem(&r, "cannot be read as a partial result (%s, line %d)", error.text, error.line);
        else
            problem(&r, "cannot be read as a partial result (%s)", error.text);
        return r.memory ? AO_ERROR_MEMORY_MALLOC_FAILED : AO_ERROR_INPUT;
    }
    ao_study *s = calloc(1, sizeof *s);
    if (s == NULL) {
        json_decref(root);
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    }
    const char *format = json_is_object(root) ? get_string(&r, root, "format") : NULL;
    if (format == NULL || strcmp(format, AO_PARTIAL_FORMAT) != 0)
        problem(&r, "this is not an allocopt partial result (allocopt run --shard K/N -o "
                    "PART.json writes them)");
    unsigned long long version = get_count(&r, root, "format_version", 1000);
    if (!r.failed && version < AO_PARTIAL_FORMAT_VERSION)
        problem(&r,
                "format version %llu was written by an earlier allocopt, which did not "
                "record how much each budget is overspent: run this shard again with this "
                "allocopt (format version %d)",
                version, AO_PARTIAL_FORMAT_VERSION);
    if (!r.failed && version != AO_PARTIAL_FORMAT_VERSION)
        problem(&r, "format version %llu is not the version this allocopt reads (%d)", version,
                AO_PARTIAL_FORMAT_VERSION);
    const char *fingerprint = get_string(&r, root, "fingerprint");
    if (fingerprint != NULL)
        snprintf(s->fingerprint, sizeof s->fingerprint, "%s", fingerprint);
    s->n_samples = (size_t)get_count(&r, root, "samples", AO_STUDY_MAX_SAMPLES);
    s->seed = get_count(&r, root, "seed", AO_PARTIAL_MAX_JSON_INT);
    s->shard = (int)get_count(&r, root, "shard", AO_STUDY_MAX_SAMPLES);
    s->n_shards = (int)get_count(&r, root, "shards", AO_STUDY_MAX_SAMPLES);
    if (!r.failed &&
        (s->n_shards < 1 || s->shard < 1 || s->shard > s->n_shards || s->n_samples < 1))
        problem(&r, "shard %d of %d with %zu samples does not make sense", s->shard, s->n_shards,
                s->n_samples);
    s->shards_merged = 1;
    read_breach_tolerance(&r, root, s);
    if (!r.failed)
        read_baseline(&r, json_object_get(root, "baseline"), s);
    if (!r.failed && !r.memory)
        read_records(&r, json_object_get(root, "records"), s);
    json_decref(root);
    if (r.memory || r.failed) {
        ao_study_free(s);
        return r.memory ? AO_ERROR_MEMORY_MALLOC_FAILED : AO_ERROR_INPUT;
    }
    *out = s;
    return AO_NO_ERROR;
}

/* ---- merging ---- */

/* The records a shard must hold: samples k-1, k-1+n, ... below the study's size. */
static size_t shard_records(size_t n_samples, int shard, int n_shards)
{
    size_t first = (size_t)shard - 1;
    return first < n_samples ? (n_samples - first + (size_t)n_shards - 1) / (size_t)n_shards : 0;
}

static ao_error copy_baseline(const ao_study *from, ao_study *to)
{
    memcpy(to->fingerprint, from->fingerprint, sizeof to->fingerprint);
    to->seed = from->seed;
    to->n_samples = from->n_samples;
    to->shard = 1;
    to->n_shards = 1;
    to->breach_tolerance = from->breach_tolerance;
    to->cost_objective = from->cost_objective;
    to->baseline_status = from->baseline_status;
    to->baseline_objective = from->baseline_objective;
    to->baseline_revenue = from->baseline_revenue;
    to->baseline_capital = from->baseline_capital;
    if (from->model_name != NULL && (to->model_name = ao_strdup(from->model_name)) == NULL)
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    to->arrangement = ao_strdup(from->arrangement ? from->arrangement : "");
    to->benefit_unit = ao_strdup(from->benefit_unit ? from->benefit_unit : "");
    to->icb_ids = calloc(from->n_icbs + 1, sizeof *to->icb_ids);
    to->icb_names = calloc(from->n_icbs + 1, sizeof *to->icb_names);
    to->icb_budgets = calloc(from->n_icbs + 1, sizeof *to->icb_budgets);
    to->budgets = calloc(from->n_budgets + 1, sizeof *to->budgets);
    if (to->arrangement == NULL || to->benefit_unit == NULL || to->icb_ids == NULL ||
        to->icb_names == NULL || to->icb_budgets == NULL || to->budgets == NULL)
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    for (size_t i = 0; i < from->n_icbs; i++) {
        to->n_icbs++;
        to->icb_budgets[i] = from->icb_budgets[i];
        to->icb_ids[i] = ao_strdup(from->icb_ids[i]);
        to->icb_names[i] = ao_strdup(from->icb_names[i]);
        if (to->icb_ids[i] == NULL || to->icb_names[i] == NULL)
            return AO_ERROR_MEMORY_MALLOC_FAILED;
    }
    for (size_t k = 0; k < from->n_budgets; k++) {
        to->budgets[k] = from->budgets[k];
        to->budgets[k].pool = ao_strdup(from->budgets[k].pool);
        if (to->budgets[k].pool == NULL)
            return AO_ERROR_MEMORY_MALLOC_FAILED;
        to->n_budgets++;
    }
    return AO_NO_ERROR;
}

ao_error ao_partial_merge(ao_study *const *parts, const char *const *paths, size_t n,
                          ao_study **out, ao_diags *diags)
{
    *out = NULL;
    if (n == 0) {
        ao_error err = ao_diags_add(diags, AO_DIAG_ERROR, NULL, "no partial results were given");
        return err != AO_NO_ERROR ? err : AO_ERROR_INPUT;
    }
    const ao_study *first = parts[0];
    const char *first_path = paths[0];
    int n_shards = first->n_shards;
    const char **holder = calloc((size_t)n_shards + 1, sizeof *holder);
    if (holder == NULL)
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    char *message = NULL;
    const char *at = NULL; /* the file the message is about, or NULL */
    for (size_t k = 0; k < n && message == NULL; k++) {
        at = paths[k];
        const ao_study *p = parts[k];
        if (strcmp(p->fingerprint, first->fingerprint) != 0)
            message = ao_asprintf("comes from another input than %s (input fingerprint %s, "
                                  "not %s): every shard must be run on the same input, with "
                                  "the same arrangement and allocopt version",
                                  first_path, p->fingerprint, first->fingerprint);
        else if (p->seed != first->seed)
            message = ao_asprintf("was drawn with seed %llu, but %s with seed %llu: every "
                                  "shard must use the same --seed",
                                  (unsigned long long)p->seed, first_path,
                                  (unsigned long long)first->seed);
        else if (p->n_samples != first->n_samples)
            message = ao_asprintf("is part of a study of %zu samples, but %s of %zu: every "
                                  "shard must use the same --samples",
                                  p->n_samples, first_path, first->n_samples);
        else if (p->breach_tolerance != first->breach_tolerance)
            message = ao_asprintf("was run with --breach-tolerance %g%%, but %s with %g%%: "
                                  "every shard must use the same --breach-tolerance",
                                  100.0 * p->breach_tolerance, first_path,
                                  100.0 * first->breach_tolerance);
        else if (p->n_shards != n_shards)
            message = ao_asprintf("is shard %d/%d, but %s is shard %d/%d: every shard must "
                                  "use the same number of shards",
                                  p->shard, p->n_shards, first_path, first->shard, n_shards);
        else if (holder[p->shard] != NULL)
            message = ao_asprintf("holds shard %d/%d, which %s holds too: give each shard "
                                  "once",
                                  p->shard, n_shards, holder[p->shard]);
        else if (p->n_icbs != first->n_icbs ||
                 p->n_records != shard_records(p->n_samples, p->shard, n_shards))
            message = ao_asprintf("does not hold the records of shard %d/%d (the file is "
                                  "incomplete or was changed)",
                                  p->shard, n_shards);
        for (size_t q = 0; message == NULL && q < p->n_records; q++)
            if (p->records[q].sample != (uint64_t)(p->shard - 1) + q * (uint64_t)n_shards)
                message = ao_asprintf("record %zu is sample %llu, which is not the sample "
                                      "shard %d/%d holds there",
                                      q + 1, (unsigned long long)p->records[q].sample, p->shard,
                                      n_shards);
        if (message == NULL)
            holder[p->shard] = paths[k];
    }
    for (int shard = 1; shard <= n_shards && message == NULL; shard++)
        if (holder[shard] == NULL) {
            at = NULL;
            message = ao_asprintf("shard %d/%d is missing: none of the %zu partial results "
                                  "given holds it (the first is %s)",
                                  shard, n_shards, n, first_path);
        }
    free(holder);
    if (message != NULL) {
        const ao_loc loc = {.file = at};
        ao_error err = ao_diags_add(diags, AO_DIAG_ERROR, &loc, "%s", message);
        free(message);
        return err != AO_NO_ERROR ? err : AO_ERROR_INPUT;
    }

    ao_study *s = calloc(1, sizeof *s);
    if (s == NULL)
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    ao_error err = copy_baseline(first, s);
    s->shards_merged = n;
    if (err == AO_NO_ERROR) {
        s->records = calloc(s->n_samples + 1, sizeof *s->records);
        s->breach = calloc(s->n_samples * s->n_icbs + 1, 1);
        s->overspend = calloc(s->n_samples * s->n_icbs + 1, sizeof *s->overspend);
        if (s->records == NULL || s->breach == NULL || s->overspend == NULL)
            err = AO_ERROR_MEMORY_MALLOC_FAILED;
    }
    /* Every record in its sample's place: the order of the single run. */
    for (size_t k = 0; k < n && err == AO_NO_ERROR; k++) {
        const ao_study *p = parts[k];
        for (size_t q = 0; q < p->n_records; q++) {
            size_t at = (size_t)p->records[q].sample;
            s->records[at] = p->records[q];
            memcpy(s->breach + at * s->n_icbs, p->breach + q * p->n_icbs, s->n_icbs);
            memcpy(s->overspend + at * s->n_icbs, p->overspend + q * p->n_icbs,
                   s->n_icbs * sizeof *s->overspend);
        }
    }
    if (err != AO_NO_ERROR) {
        ao_study_free(s);
        return err;
    }
    s->n_records = s->n_samples;
    *out = s;
    return AO_NO_ERROR;
}
