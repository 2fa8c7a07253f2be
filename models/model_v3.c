/*
 * The v3 tables (MODEL.md rules 14-16): arrangements per service, ICBs and year, ICB
 * mergers, and today's flows. Read after the v1/v2 tables, with their checks.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/parse.h"
#include "common/strutil.h"
#include "models/builder.h"
#include "models/formulation.h"
#include "models/schema.h"

/* ---- rule 14: arrangements ---- */

/* Read a from_year cell into a year index; 0 when bad (reported). */
static int read_from_year(ao_builder *b, size_t r, int *out)
{
    long col = ao_table_col(b->table, "from_year");
    const char *text = ao_build_read_id(b, r, "from_year");
    int year;
    if (text == NULL)
        return 0;
    if (ao_parse_year(text, &year) != AO_PARSE_OK) {
        ao_build_note_year(b, r, col, text, "");
        return 0;
    }
    *out = year - b->model->settings.first_year;
    return 1;
}

/* Read an icbs cell (`*`, `region:R`, or ICB ids separated by spaces) into flags. */
static int read_icb_selection(ao_builder *b, size_t r, const char *text, unsigned char *flags)
{
    const ao_model *m = b->model;
    long col = ao_table_col(b->table, "icbs");
    if (ao_name_equal(text, "*")) {
        memset(flags, 1, (size_t)m->n_icbs);
        return 1;
    }
    if (strncasecmp(text, "region:", strlen("region:")) == 0) {
        const char *region = text + strlen("region:");
        while (*region == ' ')
            region++;
        int found = 0;
        for (int i = 0; i < m->n_icbs; i++)
            if (ao_name_equal(m->regions[m->icbs[i].region], region))
                flags[i] = 1, found = 1;
        if (!found)
            ao_build_note(b, AO_DIAG_ERROR, r, col,
                          "no ICB has region '%s' in the icbs table; write the region as it "
                          "appears there, such as region:%s",
                          region, m->n_regions > 0 ? m->regions[0] : "Midlands");
        return found;
    }
    char *copy = ao_strdup(text);
    if (copy == NULL) {
        b->fatal = AO_ERROR_MEMORY_MALLOC_FAILED;
        return 0;
    }
    int ok = 1;
    for (char *save = NULL, *id = strtok_r(copy, " ,;", &save); id != NULL;
         id = strtok_r(NULL, " ,;", &save)) {
        int i = ao_index_get(&b->icb_ids, id);
        if (i < 0) {
            ao_build_note(b, AO_DIAG_ERROR, r, col,
                          "ICB '%s' is not in the icbs table; icbs takes *, region:NAME or ICB "
                          "codes separated by spaces",
                          id);
            ok = 0;
        } else {
            flags[i] = 1;
        }
    }
    free(copy);
    return ok;
}

/* π^J, π^N of ICB i: shares of specialised weights under joint and national. */
static void compute_weights(ao_model *m)
{
    int T = m->settings.years;
    for (int i = 0; i < m->n_icbs; i++) {
        /* Baseline spend, else cost of need, else one per specialised service. */
        int basis = 0;
        for (; basis < 2; basis++) {
            double total = 0.0;
            for (int s = 0; s < m->n_services; s++) {
                size_t is = (size_t)i * (size_t)m->n_services + (size_t)s;
                if (m->services[s].category == AO_CATEGORY_SPECIALISED)
                    total +=
                        m->services[s].unit_cost * (basis == 0 ? m->baseline[is] : m->need[is]);
            }
            if (total > 0)
                break;
        }
        for (int t = 0; t < T; t++) {
            double total = 0.0, joint = 0.0, national = 0.0;
            for (int s = 0; s < m->n_services; s++) {
                if (m->services[s].category != AO_CATEGORY_SPECIALISED)
                    continue;
                size_t is = (size_t)i * (size_t)m->n_services + (size_t)s;
                double w = basis == 0   ? m->services[s].unit_cost * m->baseline[is]
                           : basis == 1 ? m->services[s].unit_cost * m->need[is]
                                        : 1.0;
                total += w;
                ao_arrangement a = (ao_arrangement)m->arrangement_of[ao_ist(m, i, s, t)];
                if (a == AO_ARRANGEMENT_JOINT)
                    joint += w;
                else if (a == AO_ARRANGEMENT_NATIONAL)
                    national += w;
            }
            size_t it = (size_t)i * (size_t)T + (size_t)t;
            m->joint_weight[it] = total > 0 ? joint / total : 0.0;
            m->national_weight[it] = total > 0 ? national / total : 0.0;
        }
    }
}

/* a(i,s,t) for every pair and year: the last row that selects it, else the default. */
static void compute_arrangements(ao_model *m, int use_rows)
{
    int T = m->settings.years;
    for (int t = 0; t < T; t++)
        for (int i = 0; i < m->n_icbs; i++)
            for (int s = 0; s < m->n_services; s++) {
                ao_arrangement a = m->services[s].category == AO_CATEGORY_SPECIALISED
                                       ? m->settings.arrangement
                                       : AO_ARRANGEMENT_DELEGATED;
                for (int q = 0; use_rows && q < m->n_arrangement_rows; q++) {
                    const ao_arrangement_row *row = &m->arrangement_rows[q];
                    if (row->services[s] && row->icbs[i] && row->from_year <= t)
                        a = row->arrangement;
                }
                m->arrangement_of[ao_ist(m, i, s, t)] = (unsigned char)a;
            }
    compute_weights(m);
}

void ao_build_arrangements(ao_builder *b)
{
    ao_model *m = b->model;
    size_t n = (size_t)m->n_icbs * (size_t)m->n_services * (size_t)m->settings.years + 1;
    size_t n_it = (size_t)m->n_icbs * (size_t)m->settings.years + 1;
    m->arrangement_of = calloc(n, 1);
    m->joint_weight = calloc(n_it, sizeof *m->joint_weight);
    m->national_weight = calloc(n_it, sizeof *m->national_weight);
    if (!m->arrangement_of || !m->joint_weight || !m->national_weight) {
        b->fatal = AO_ERROR_MEMORY_MALLOC_FAILED;
        return;
    }
    m->arrangement_rows = ao_build_open_rows(b, "arrangements", sizeof *m->arrangement_rows);
    for (size_t r = 0; m->arrangement_rows != NULL && r < b->table->n_rows && !b->fatal; r++) {
        ao_arrangement_row row = {.row = b->table->row_numbers[r]};
        int ok = read_from_year(b, r, &row.from_year);
        const char *word = ao_build_read_id(b, r, "arrangement");
        int choice = word ? ao_arrangement_parse(word) : -1;
        if (word != NULL && choice < 0)
            ao_build_note(b, AO_DIAG_ERROR, r, ao_table_col(b->table, "arrangement"),
                          "arrangement must be delegated, joint or national, not '%s'", word);
        ok &= choice >= 0;
        row.arrangement = (ao_arrangement)(choice < 0 ? 0 : choice);
        const char *services = ao_build_read_id(b, r, "services");
        const char *icbs = ao_build_read_id(b, r, "icbs");
        row.services = calloc((size_t)m->n_services + 1, 1);
        row.icbs = calloc((size_t)m->n_icbs + 1, 1);
        row.services_text = services ? ao_strdup(services) : NULL;
        row.icbs_text = icbs ? ao_strdup(icbs) : NULL;
        if (!row.services || !row.icbs || (services && !row.services_text) ||
            (icbs && !row.icbs_text)) {
            b->fatal = AO_ERROR_MEMORY_MALLOC_FAILED;
            ok = 0;
        }
        if (row.services != NULL && services != NULL &&
            ao_build_selection(b, r, ao_table_col(b->table, "services"), services, row.services) <
                0)
            ok = 0;
        if (row.icbs != NULL && icbs != NULL && !read_icb_selection(b, r, icbs, row.icbs))
            ok = 0;
        ok &= services != NULL && icbs != NULL;
        if (ok) {
            /* Priority services always stay with their ICB. */
            int any = 0;
            for (int s = 0; s < m->n_services; s++) {
                if (m->services[s].category != AO_CATEGORY_SPECIALISED)
                    row.services[s] = 0;
                any |= row.services[s];
            }
            if (!any)
                ao_build_note(b, AO_DIAG_WARNING, r, ao_table_col(b->table, "services"),
                              "'%s' selects no specialised service, so this row changes "
                              "nothing (priority services always stay with their ICB)",
                              services);
            if (row.from_year >= m->settings.years)
                ao_build_note(b, AO_DIAG_WARNING, r, ao_table_col(b->table, "from_year"),
                              "from_year is after the plan's last year, so this row changes "
                              "nothing within the plan");
        }
        if (!ok) {
            free(row.services);
            free(row.icbs);
            free(row.services_text);
            free(row.icbs_text);
            continue;
        }
        m->arrangement_rows[m->n_arrangement_rows++] = row;
    }
    if (!b->fatal)
        compute_arrangements(m, 1);
}

void ao_model_set_arrangement(ao_model *m, ao_arrangement arrangement)
{
    m->settings.arrangement = arrangement;
    if (m->arrangement_of != NULL)
        compute_arrangements(m, 0);
}

ao_arrangement ao_model_arrangement(const ao_model *m, int i, int s, int t)
{
    if (m->services[s].category != AO_CATEGORY_SPECIALISED)
        return AO_ARRANGEMENT_DELEGATED;
    if (m->arrangement_of == NULL)
        return m->settings.arrangement;
    return (ao_arrangement)m->arrangement_of[ao_ist(m, i, s, t)];
}

double ao_model_pool_weight(const ao_model *m, int i, int t, ao_arrangement arrangement)
{
    size_t it = (size_t)i * (size_t)m->settings.years + (size_t)t;
    switch (arrangement) {
    case AO_ARRANGEMENT_JOINT:
        return m->joint_weight[it];
    case AO_ARRANGEMENT_NATIONAL:
        return m->national_weight[it];
    default:
        return m->joint_weight[it] + m->national_weight[it];
    }
}

int ao_model_holds(const ao_model *m, int i, int t, ao_arrangement arrangement)
{
    for (int s = 0; s < m->n_services; s++)
        if (m->services[s].category == AO_CATEGORY_SPECIALISED &&
            ao_model_arrangement(m, i, s, t) == arrangement)
            return 1;
    return 0;
}

double ao_model_own_revenue(const ao_model *m, int i, int t)
{
    return m->revenue[(size_t)i * (size_t)m->settings.years + (size_t)t] -
           ao_model_pool_weight(m, i, t, AO_ARRANGEMENT_DELEGATED) *
               ao_model_specialised_budget(m, i, t);
}

int ao_model_arrangements_mixed(const ao_model *m)
{
    for (int t = 0; t < m->settings.years; t++)
        for (int i = 0; i < m->n_icbs; i++)
            for (int s = 0; s < m->n_services; s++)
                if (m->services[s].category == AO_CATEGORY_SPECIALISED &&
                    ao_model_arrangement(m, i, s, t) != m->settings.arrangement)
                    return 1;
    return 0;
}

/* ---- rule 15: ICB mergers ---- */

/* The footprint with id `id`, added when new; -1 on a memory error. */
static int footprint_index(ao_builder *b, const char *id, size_t r)
{
    ao_model *m = b->model;
    for (int f = 0; f < m->n_footprints; f++)
        if (ao_name_equal(m->footprints[f].id, id))
            return f;
    ao_footprint *fp = &m->footprints[m->n_footprints];
    fp->id = ao_strdup(id);
    fp->icbs = malloc(((size_t)m->n_icbs + 1) * sizeof *fp->icbs);
    fp->row = b->table->row_numbers[r];
    if (fp->id == NULL || fp->icbs == NULL) {
        /* Not counted in n_footprints, so freed here. */
        free(fp->id);
        free(fp->icbs);
        fp->id = NULL;
        fp->icbs = NULL;
        b->fatal = AO_ERROR_MEMORY_MALLOC_FAILED;
        return -1;
    }
    return m->n_footprints++;
}

/* Why ICB j cannot join ICB i's footprint, or NULL. */
static const char *mismatch(const ao_model *m, int i, int j)
{
    if (m->icbs[i].region != m->icbs[j].region)
        return "regions";
    int both_lone = m->icbs[i].own_group && m->icbs[j].own_group;
    if (!both_lone && m->icbs[i].group != m->icbs[j].group)
        return "joint committees";
    return NULL;
}

void ao_build_icb_changes(ao_builder *b)
{
    ao_model *m = b->model;
    m->footprint_of = malloc(((size_t)m->n_icbs + 1) * sizeof *m->footprint_of);
    if (m->footprint_of == NULL) {
        b->fatal = AO_ERROR_MEMORY_MALLOC_FAILED;
        return;
    }
    for (int i = 0; i < m->n_icbs; i++)
        m->footprint_of[i] = -1;
    m->footprints = ao_build_open_rows(b, "icb_changes", sizeof *m->footprints);
    if (m->footprints == NULL)
        return;
    long *first_row = calloc((size_t)m->n_icbs + 1, sizeof *first_row);
    if (first_row == NULL) {
        b->fatal = AO_ERROR_MEMORY_MALLOC_FAILED;
        return;
    }
    long becomes_col = ao_table_col(b->table, "becomes");
    long year_col = ao_table_col(b->table, "from_year");
    for (size_t r = 0; r < b->table->n_rows && !b->fatal; r++) {
        int i = ao_build_lookup(b, r, "icb", &b->icb_ids, "ICB", "icbs");
        const char *becomes = ao_build_read_id(b, r, "becomes");
        int year = 0;
        int ok = read_from_year(b, r, &year) && i >= 0 && becomes != NULL;
        if (becomes != NULL && ao_index_get(&b->icb_ids, becomes) >= 0) {
            ao_build_note(b, AO_DIAG_ERROR, r, becomes_col,
                          "becomes '%s' is the code of an ICB in the icbs table; give the "
                          "merged ICB a new code, such as %s_MERGED",
                          becomes, becomes);
            ok = 0;
        }
        if (ok && m->footprint_of[i] >= 0) {
            ao_build_note(b, AO_DIAG_ERROR, r, ao_table_col(b->table, "icb"),
                          "ICB '%s' is already listed in row %ld; each ICB merges once",
                          m->icbs[i].id, first_row[i]);
            ok = 0;
        }
        if (!ok)
            continue;
        int f = footprint_index(b, becomes, r);
        if (f < 0)
            break;
        ao_footprint *fp = &m->footprints[f];
        if (fp->n_icbs > 0) {
            int other = fp->icbs[0];
            const char *why = mismatch(m, other, i);
            if (why != NULL) {
                ao_build_note(b, AO_DIAG_ERROR, r, becomes_col,
                              "'%s' (row %ld) and '%s' (row %ld) both become '%s' but are in "
                              "different %s; an ICB merger stays within one region and one "
                              "joint committee",
                              m->icbs[other].id, first_row[other], m->icbs[i].id,
                              b->table->row_numbers[r], fp->id, why);
                continue;
            }
            if (fp->from_year != year) {
                ao_build_note(b, AO_DIAG_ERROR, r, year_col,
                              "'%s' (row %ld) and '%s' (row %ld) both become '%s' from "
                              "different years; the ICBs of one merger merge in the same year",
                              m->icbs[other].id, first_row[other], m->icbs[i].id,
                              b->table->row_numbers[r], fp->id);
                continue;
            }
        }
        fp->from_year = year;
        fp->icbs[fp->n_icbs++] = i;
        m->footprint_of[i] = f;
        first_row[i] = b->table->row_numbers[r];
        const char *name = ao_table_cell(b->table, r, ao_table_col(b->table, "name"));
        if (fp->name == NULL && name != NULL && (fp->name = ao_strdup(name)) == NULL)
            b->fatal = AO_ERROR_MEMORY_MALLOC_FAILED;
    }
    free(first_row);
    for (int f = 0; f < m->n_footprints && !b->fatal; f++) {
        ao_footprint *fp = &m->footprints[f];
        if (fp->name == NULL && (fp->name = ao_strdup(fp->id)) == NULL)
            b->fatal = AO_ERROR_MEMORY_MALLOC_FAILED;
        if (fp->from_year < 0)
            fp->from_year = 0;
        if (fp->n_icbs == 1)
            ao_build_note_model(b, "icb_changes", AO_DIAG_WARNING,
                                "only '%s' becomes '%s', so it is renamed but merges with no "
                                "other ICB",
                                m->icbs[fp->icbs[0]].id, fp->id);
        if (fp->n_icbs > 0 && fp->from_year >= m->settings.years)
            ao_build_note_model(b, "icb_changes", AO_DIAG_WARNING,
                                "'%s' begins after the plan's last year, so its ICBs stay "
                                "separate throughout the plan",
                                fp->id);
    }
}

int ao_model_budget_unit(const ao_model *m, int i, int t)
{
    int f = m->footprint_of != NULL ? m->footprint_of[i] : -1;
    return f >= 0 && t >= m->footprints[f].from_year ? m->n_icbs + f : i;
}

const char *ao_model_unit_id(const ao_model *m, int u)
{
    return u < m->n_icbs ? m->icbs[u].id : m->footprints[u - m->n_icbs].id;
}

int ao_model_joint_group(const ao_model *m, int i, int t)
{
    int u = ao_model_budget_unit(m, i, t);
    if (u >= m->n_icbs && m->icbs[i].own_group)
        return m->n_groups + (u - m->n_icbs);
    return m->icbs[i].group;
}

const char *ao_model_joint_group_name(const ao_model *m, int g)
{
    return g < m->n_groups ? m->groups[g].name : m->footprints[g - m->n_groups].id;
}

/* ---- flows (rule 16) ---- */

/* A flows row being read: the model's row and its index in the table. */
typedef struct flow_read {
    ao_flow flow;
    size_t index; ///< Row index in the flows table (for messages).
} flow_read;

static int by_pair_then_provider(const void *a, const void *b)
{
    const ao_flow *x = &((const flow_read *)a)->flow, *y = &((const flow_read *)b)->flow;
    if (x->i != y->i)
        return (x->i > y->i) - (x->i < y->i);
    if (x->s != y->s)
        return (x->s > y->s) - (x->s < y->s);
    if (x->p != y->p)
        return (x->p > y->p) - (x->p < y->p);
    return (x->row > y->row) - (x->row < y->row);
}

/* The table index of the data row whose source row is `row` in the current table. */
static size_t table_index_of(const ao_builder *b, long row)
{
    for (size_t r = 0; r < b->table->n_rows; r++)
        if (b->table->row_numbers[r] == row)
            return r;
    return (size_t)-1;
}

/* One flows row: its ids, its activity and the checks that need only the row. Returns
 * 1 when the row can describe today's plan. */
static int read_flow(ao_builder *b, size_t r, const int *row_of, flow_read *out)
{
    ao_model *m = b->model;
    int i = ao_build_lookup(b, r, "icb", &b->icb_ids, "ICB", "icbs");
    int s = ao_build_lookup(b, r, "service", &b->service_ids, "service", "services");
    int p = ao_build_lookup(b, r, "provider", &b->provider_ids, "provider", "providers");
    double activity;
    int ok = ao_build_read_column(b, r, "activity", 0, &activity);
    if (i < 0 || s < 0 || p < 0 || !ok)
        return 0;
    const ao_service *service = &m->services[s];
    if (!service->provided) {
        ao_build_note(b, AO_DIAG_ERROR, r, ao_table_col(b->table, "service"),
                      "service %s has no rows on the capacity sheet, so ICBs buy it without a "
                      "provider and its baseline in the demand table is today's activity; "
                      "remove this row, or add %s's providers to the capacity sheet",
                      service->id, service->id);
        return 0;
    }
    if (!m->has_demand[(size_t)i * (size_t)m->n_services + (size_t)s]) {
        ao_build_note(b, AO_DIAG_ERROR, r, ao_table_col(b->table, "service"),
                      "ICB %s has no demand row for service %s, so it cannot buy any of it; "
                      "add a demand row (need and baseline) for %s and %s, or remove this row",
                      m->icbs[i].id, service->id, m->icbs[i].id, service->id);
        return 0;
    }
    int k = row_of[(size_t)p * (size_t)m->n_services + (size_t)s];
    if (k < 0) {
        ao_build_note(b, AO_DIAG_ERROR, r, ao_table_col(b->table, "provider"),
                      "provider %s has no capacity row for service %s; add one to the capacity "
                      "sheet (with the capacity %s has today), or correct the provider",
                      m->providers[p].id, service->id, m->providers[p].id);
        return 0;
    }
    if (!ao_model_may_buy(m, i, s, p))
        ao_build_note(b, AO_DIAG_WARNING, r, ao_table_col(b->table, "provider"),
                      "the access table does not let ICB %s buy from provider %s: today's plan "
                      "breaks that limit, and the plan must move this activity elsewhere; add "
                      "%s, %s to the access sheet if the ICB may go on buying there",
                      m->icbs[i].id, m->providers[p].id, m->icbs[i].id, m->providers[p].id);
    *out = (flow_read){
        .flow =
            {.i = i, .s = s, .p = p, .k = k, .activity = activity, .row = b->table->row_numbers[r]},
        .index = r};
    return 1;
}

/* Pairs whose flows add up to a figure other than their baseline (more than 1 % apart):
 * today's plan follows the flows, but one of the two is probably mistyped. */
static void check_flow_totals(ao_builder *b, const flow_read *rows, size_t n)
{
    const ao_model *m = b->model;
    for (size_t first = 0, last; first < n; first = last) {
        double total = 0.0;
        for (last = first; last < n && rows[last].flow.i == rows[first].flow.i &&
                           rows[last].flow.s == rows[first].flow.s;
             last++)
            total += rows[last].flow.activity;
        const ao_flow *f = &rows[first].flow;
        double baseline = m->baseline[(size_t)f->i * (size_t)m->n_services + (size_t)f->s];
        if (!(fabs(total - baseline) > 0.01 * baseline))
            continue;
        char sum[64], given[64];
        ao_format_grouped(total, sum);
        ao_format_grouped(baseline, given);
        ao_build_note(b, AO_DIAG_WARNING, rows[first].index, ao_table_col(b->table, "activity"),
                      "ICB %s's flows of service %s add up to %s, but its baseline on the demand "
                      "sheet (row %ld) is %s: today's plan follows the flows; check which figure "
                      "is right",
                      m->icbs[f->i].id, m->services[f->s].id, sum,
                      m->demand_row[(size_t)f->i * (size_t)m->n_services + (size_t)f->s], given);
    }
}

/* Pairs without flows rows whose baseline has no provider to be split over (rule 16). */
static void check_baseline_providers(ao_builder *b)
{
    const ao_model *m = b->model;
    if (!ao_build_open_table(b, "demand"))
        return;
    unsigned char *listed = calloc((size_t)m->n_icbs * (size_t)m->n_services + 1, 1);
    if (listed == NULL) {
        b->fatal = AO_ERROR_MEMORY_MALLOC_FAILED;
        return;
    }
    for (int f = 0; f < m->n_flows; f++)
        listed[(size_t)m->flows[f].i * (size_t)m->n_services + (size_t)m->flows[f].s] = 1;
    for (int i = 0; i < m->n_icbs; i++)
        for (int s = 0; s < m->n_services; s++) {
            size_t pair = (size_t)i * (size_t)m->n_services + (size_t)s;
            if (!m->has_demand[pair] || !m->services[s].provided || !(m->baseline[pair] > 0) ||
                listed[pair])
                continue;
            int allowed = 0;
            for (int k = 0; k < m->n_capacity && !allowed; k++)
                allowed = m->capacity[k].service == s &&
                          ao_model_may_buy(m, i, s, m->capacity[k].provider);
            if (allowed)
                continue;
            ao_build_note(b, AO_DIAG_WARNING, table_index_of(b, m->demand_row[pair]),
                          ao_table_col(b->table, "baseline"),
                          "ICB %s may buy service %s from no provider (access sheet), so its "
                          "baseline is left out of today's plan; give the pair a provider on "
                          "the access sheet, or its providers on a flows sheet",
                          m->icbs[i].id, m->services[s].id);
        }
    free(listed);
}

void ao_build_flows(ao_builder *b)
{
    ao_model *m = b->model;
    flow_read *rows = ao_build_open_rows(b, "flows", sizeof *rows);
    /* An empty flows sheet (as the template hands it out) is no flows table: today's
     * activity is each baseline split by capacity, without a word on every run. */
    /* Capacity row of each (provider, service), or -1. */
    size_t n_ps = (size_t)m->n_providers * (size_t)m->n_services;
    int *row_of = rows != NULL ? malloc((n_ps + 1) * sizeof *row_of) : NULL;
    if (rows != NULL && row_of == NULL)
        b->fatal = AO_ERROR_MEMORY_MALLOC_FAILED;
    for (size_t q = 0; row_of != NULL && q < n_ps; q++)
        row_of[q] = -1;
    for (int k = 0; row_of != NULL && k < m->n_capacity; k++)
        row_of[(size_t)m->capacity[k].provider * (size_t)m->n_services +
               (size_t)m->capacity[k].service] = k;
    size_t n = 0;
    for (size_t r = 0; row_of != NULL && r < b->table->n_rows && !b->fatal; r++)
        n += (size_t)read_flow(b, r, row_of, &rows[n]);
    free(row_of);
    if (n > 0)
        qsort(rows, n, sizeof *rows, by_pair_then_provider);
    /* One row per ICB, service and provider. */
    size_t kept = 0;
    for (size_t q = 0; q < n; q++) {
        const ao_flow *before = kept > 0 ? &rows[kept - 1].flow : NULL;
        if (before != NULL && before->i == rows[q].flow.i && before->s == rows[q].flow.s &&
            before->p == rows[q].flow.p) {
            ao_build_note(b, AO_DIAG_ERROR, rows[q].index, ao_table_col(b->table, "provider"),
                          "ICB %s already has a flows row for service %s at provider %s (row "
                          "%ld); give each ICB, service and provider once, with the whole "
                          "activity",
                          m->icbs[rows[q].flow.i].id, m->services[rows[q].flow.s].id,
                          m->providers[rows[q].flow.p].id, before->row);
            continue;
        }
        rows[kept++] = rows[q];
    }
    if (!b->fatal)
        check_flow_totals(b, rows, kept);
    if (rows != NULL && !b->fatal) {
        m->flows = calloc(kept + 1, sizeof *m->flows);
        if (m->flows == NULL)
            b->fatal = AO_ERROR_MEMORY_MALLOC_FAILED;
        for (size_t q = 0; m->flows != NULL && q < kept; q++)
            m->flows[q] = rows[q].flow;
        m->n_flows = m->flows != NULL ? (int)kept : 0;
        m->has_flows_table = m->flows != NULL && b->table->n_rows > 0;
    }
    free(rows);
    if (!b->fatal)
        check_baseline_providers(b);
    b->table = NULL;
}
