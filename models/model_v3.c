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

/* ---- rule 16: today's flows ---- */

void ao_build_flows(ao_builder *b)
{
    (void)b;
}
