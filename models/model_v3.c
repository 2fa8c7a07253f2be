/*
 * The v3 tables (MODEL.md rules 14-16): arrangements per service, ICBs and year, ICB
 * mergers, and today's flows. Read after the v1/v2 tables, with their checks.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/parse.h"
#include "common/strutil.h"
#include "models/builder.h"
#include "models/formulation.h"
#include "models/schema.h"

void ao_build_arrangements(ao_builder *b)
{
    (void)b;
}

void ao_build_icb_changes(ao_builder *b)
{
    (void)b;
}

void ao_build_flows(ao_builder *b)
{
    (void)b;
}

ao_arrangement ao_model_arrangement(const ao_model *m, int i, int s, int t)
{
    if (m->services[s].category != AO_CATEGORY_SPECIALISED)
        return AO_ARRANGEMENT_DELEGATED;
    if (m->arrangement_of == NULL)
        return m->settings.arrangement;
    return (ao_arrangement)m->arrangement_of[ao_ist(m, i, s, t)];
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
