/*
 * The shape of the LP: which rows and columns MODEL.md's rules produce for a tiny
 * model, counted by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/formulation.h"
#include "support.h"

/*
 * Two ICBs (one region), two years; S provided by P1 and P2 (I1 may use both, I2 only
 * P2), expandable (κ given, lag 1); L local; Q prevents S (lag 1); stability on S
 * from a baseline; equity band; one rule for each ICB.
 */
static const char *const pairs[] = {
    "settings", "key,value\nfirst_year,2025\nyears,2\nequity_band,0.1\nmax_change,0.5\n"
                "discount_rate,0.1\n",
    "icbs", "id,population,region\nI1,1,R\nI2,1,R\n",
    "budgets", "icb,year,revenue,capital\nI1,2025,1000,10\nI1,2026,1000,10\nI2,2025,1000,0\n"
               "I2,2026,1000,0\n",
    "services", "id,category,unit_cost,benefit,capital_cost,capacity_lag,max_change\n"
                "S,specialised,10,2,100,1,\nL,priority,5,1,,,\nQ,priority,1,0,,,2\n",
    "demand", "icb,service,need,baseline\nI1,S,10,4\nI2,S,20,0\nI1,L,5,0\nI1,Q,3,0\n",
    "providers", "id,icb\nP1,I1\nP2,I1\n",
    "capacity", "provider,service,capacity,unit_cost,max_expansion\nP1,S,5,12,3\nP2,S,5,,\n",
    "access", "icb,provider\nI1,P1\nI1,P2\nI2,P2\n",
    "prevention", "service,target,effect,lag\nQ,S,0.5,1\n",
    "rules", "name,scope,applies_to,kind,value\nr,*,category:priority,max_share,0.5\n",
    NULL};

static int count_rows(const ao_formulation *f, ao_row_group group)
{
    int n = 0;
    for (size_t r = 0; r < f->lp->n_rows; r++)
        n += f->rows[r].group == group;
    return n;
}

static int count_cols(const ao_formulation *f, ao_col_kind kind)
{
    int n = 0;
    for (size_t j = 0; j < f->lp->n_cols; j++)
        n += f->cols[j].kind == kind;
    return n;
}

static void test_shape(void **state)
{
    (void)state;
    ao_diags diags;
    ao_diags_init(&diags);
    ao_tableset *tables = support_tables(&diags, pairs);
    ao_model *model = NULL;
    assert_int_equal(ao_model_build(tables, &model, &diags), AO_NO_ERROR);
    ao_formulation *f = NULL;
    assert_int_equal(ao_formulate(model, 1, &f), AO_NO_ERROR);

    /* x: I1 at P1 and P2, I2 at P2, per year: 6. y: L and Q for I1, per year: 4.
     * z: two capacity rows × 2 years: 4. A: only (I1,S) has two providers: 2.
     * Region totals for S: one region, two ICBs with need: 2 (one per year). */
    assert_int_equal(count_cols(f, AO_COL_X), 6);
    assert_int_equal(count_cols(f, AO_COL_Y), 4);
    assert_int_equal(count_cols(f, AO_COL_Z), 4);
    assert_int_equal(count_cols(f, AO_COL_ACTIVITY), 2);
    assert_int_equal(count_cols(f, AO_COL_REGION), 2);

    /* Need: one row per demand pair and year: 4 × 2 = 8. S has a prevention link, so
     * its standard would be a row of its own; S has no minimum coverage, so none. */
    assert_int_equal(count_rows(f, AO_ROW_NEED), 8);
    assert_int_equal(count_rows(f, AO_ROW_STANDARD), 0);
    assert_int_equal(count_rows(f, AO_ROW_CAPACITY), 4);
    assert_int_equal(count_rows(f, AO_ROW_EXPANSION), 1);
    /* Capital: both providers are hosted by I1; I2 hosts none, so no row. */
    assert_int_equal(count_rows(f, AO_ROW_CAPITAL), 2);
    assert_int_equal(count_rows(f, AO_ROW_REVENUE), 4);
    /* Stability: (I1,S) baseline 4, μ 0.5: year 0 ranged + growth and decline in year 1
     * = 3; (I2,S) has no baseline; L, Q have none. */
    assert_int_equal(count_rows(f, AO_ROW_STABILITY_DOWN), 2);
    assert_int_equal(count_rows(f, AO_ROW_STABILITY_UP), 1);
    /* Equity: two ICBs with need, two years. */
    assert_int_equal(count_rows(f, AO_ROW_EQUITY), 4);
    assert_int_equal(count_rows(f, AO_ROW_RULE), 4);
    /* Definitions: A (2) and region totals (2). */
    assert_int_equal(count_rows(f, AO_ROW_DEFINITION), 4);

    /* Objective: benefit on A (or the single x), discounted; nothing on z. */
    for (size_t j = 0; j < f->lp->n_cols; j++) {
        const ao_col_meta *c = &f->cols[j];
        double d = pow(1.1, -c->t);
        if (c->kind == AO_COL_ACTIVITY)
            assert_true(fabs(f->lp->obj[j] - 2.0 * d) < 1e-12);
        if (c->kind == AO_COL_X && c->i == 1) /* I2's single provider carries the benefit */
            assert_true(fabs(f->lp->obj[j] - 2.0 * d) < 1e-12);
        if (c->kind == AO_COL_X && c->i == 0)
            assert_true(f->lp->obj[j] == 0.0);
        if (c->kind == AO_COL_Z) {
            assert_true(f->lp->obj[j] == 0.0);
            assert_true(f->spend_obj[j] == 100.0);
        }
        /* P1 charges its own price, P2 the service's. */
        if (c->kind == AO_COL_X)
            assert_true(f->spend_obj[j] == (model->capacity[c->k].provider == 0 ? 12.0 : 10.0));
    }

    /* The need row of (I1,S) in 2026 carries the prevention bought in 2025: A + 0.5 Q. */
    int found = 0;
    for (size_t r = 0; r < f->lp->n_rows; r++) {
        const ao_row_meta *row = &f->rows[r];
        if (row->group != AO_ROW_NEED || row->i != 0 || row->s != 0 || row->t != 1)
            continue;
        found = 1;
        assert_true(f->lp->row_hi[r] == 10.0);
        int terms = 0;
        for (size_t k = 0; k < f->lp->n_nz; k++) {
            if (f->lp->nz_row[k] != (int)r)
                continue;
            const ao_col_meta *c = &f->cols[f->lp->nz_col[k]];
            terms++;
            if (c->kind == AO_COL_Y) {
                assert_int_equal(c->s, 2);
                assert_int_equal(c->t, 0);
                assert_true(f->lp->nz_val[k] == 0.5);
            } else {
                assert_int_equal(c->kind, AO_COL_ACTIVITY);
            }
        }
        assert_int_equal(terms, 2);
    }
    assert_true(found);

    /* Capacity in 2026 may use expansion paid in 2025 (lag 1), not 2026's. */
    for (size_t r = 0; r < f->lp->n_rows; r++) {
        if (f->rows[r].group != AO_ROW_CAPACITY || f->rows[r].t != 1)
            continue;
        int z_terms = 0;
        for (size_t k = 0; k < f->lp->n_nz; k++)
            if (f->lp->nz_row[k] == (int)r && f->cols[f->lp->nz_col[k]].kind == AO_COL_Z) {
                z_terms++;
                assert_int_equal(f->cols[f->lp->nz_col[k]].t, 0);
                assert_true(f->lp->nz_val[k] == -1.0);
            }
        assert_int_equal(z_terms, 1);
    }

    char *text = ao_formulation_describe_row(f, model, 0);
    assert_non_null(text);
    free(text);
    ao_formulation_free(f);
    ao_model_free(model);
    ao_tableset_free(tables);
    ao_diags_free(&diags);
}

/*
 * Contract limits on a model large enough that the column array grows while the
 * contract columns (w) are added: every link row x ≤ U·w must name the ICB, service,
 * capacity row and year of its own x column. The column metadata starts at 256 entries
 * and doubles, so the test first checks that the w columns carry it across a
 * doubling; under AddressSanitizer a pointer into the old array is a use after free.
 */
enum { GROW_ICBS = 12, GROW_PROVIDERS = 25 };

static char *grow_table(const char *header, int n, const char *format)
{
    size_t size = strlen(header) + (size_t)n * 64 + 1;
    char *text = malloc(size);
    assert_non_null(text);
    size_t used = (size_t)snprintf(text, size, "%s", header);
    for (int k = 1; k <= n; k++)
        used += (size_t)snprintf(text + used, size - used, format, k, k, k);
    return text;
}

static void test_contract_rows_survive_column_growth(void **state)
{
    (void)state;
    char *icbs = grow_table("id,population,region,max_providers\n", GROW_ICBS, "I%d,1,R,3\n");
    char *budgets = grow_table("icb,year,revenue,capital\n", GROW_ICBS, "I%d,2025,1000000,0\n");
    char *demand = grow_table("icb,service,need,baseline\n", GROW_ICBS, "I%d,S,10,0\n");
    char *providers = grow_table("id,icb,max_icbs\n", GROW_PROVIDERS, "P%d,I1,4\n");
    char *capacity = grow_table("provider,service,capacity\n", GROW_PROVIDERS, "P%d,S,100\n");
    const char *const grow_pairs[] = {"settings", "key,value\nfirst_year,2025\nyears,1\n",
                                      "icbs", icbs, "budgets", budgets,
                                      "services", "id,category,unit_cost,benefit\n"
                                                  "S,specialised,10,1\n",
                                      "demand", demand, "providers", providers,
                                      "capacity", capacity, NULL};
    ao_diags diags;
    ao_diags_init(&diags);
    ao_tableset *tables = support_tables(&diags, grow_pairs);
    assert_non_null(tables);
    ao_model *model = NULL;
    assert_int_equal(ao_model_build(tables, &model, &diags), AO_NO_ERROR);
    assert_true(model->has_contract_limits);
    ao_formulation *f = NULL;
    assert_int_equal(ao_formulate(model, 1, &f), AO_NO_ERROR);

    /* One w per (ICB, provider) pair in use: 12 × 25 = 300, added after every other
     * column; the columns before them stay under 512 and the total passes it. */
    int w = count_cols(f, AO_COL_CONTRACT);
    assert_int_equal(w, GROW_ICBS * GROW_PROVIDERS);
    size_t before = f->lp->n_cols - (size_t)w;
    assert_true(before < 512 && f->lp->n_cols >= 512);

    /* Each link row: +1 on its x, −U on its w; the row's metadata is the x column's. */
    int links = 0;
    for (size_t n = 0; n < f->lp->n_nz; n++) {
        size_t r = (size_t)f->lp->nz_row[n];
        const ao_row_meta *row = &f->rows[r];
        if (row->group != AO_ROW_CONTRACT_LINK || f->lp->nz_val[n] != 1.0)
            continue;
        const ao_col_meta *x = &f->cols[f->lp->nz_col[n]];
        assert_int_equal(x->kind, AO_COL_X);
        assert_int_equal(row->i, x->i);
        assert_int_equal(row->s, x->s);
        assert_int_equal(row->k, x->k);
        assert_int_equal(row->t, x->t);
        links++;
    }
    assert_int_equal(links, GROW_ICBS * GROW_PROVIDERS);
    assert_int_equal(count_rows(f, AO_ROW_ICB_CONTRACTS), GROW_ICBS);
    assert_int_equal(count_rows(f, AO_ROW_PROVIDER_CONTRACTS), GROW_PROVIDERS);

    ao_formulation_free(f);
    ao_model_free(model);
    ao_tableset_free(tables);
    ao_diags_free(&diags);
    free(icbs);
    free(budgets);
    free(demand);
    free(providers);
    free(capacity);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shape),
        cmocka_unit_test(test_contract_rows_survive_column_growth),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
