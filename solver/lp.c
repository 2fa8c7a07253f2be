/* The backend-neutral part of the LP layer: building an LP in triplet form. */
#include "solver/lp.h"

#include <stdlib.h>
#include <string.h>

#include "common/strutil.h"

const char *ao_solve_status_name(ao_solve_status status)
{
    switch (status) {
    case AO_STATUS_OPTIMAL:
        return "optimal";
    case AO_STATUS_INFEASIBLE:
        return "infeasible";
    case AO_STATUS_UNBOUNDED:
        return "unbounded";
    case AO_STATUS_NOT_SOLVED:
    default:
        return "not solved";
    }
}

ao_lp *ao_lp_new(ao_sense sense)
{
    ao_lp *lp = calloc(1, sizeof *lp);
    if (lp != NULL)
        lp->sense = sense;
    return lp;
}

static void free_names(char **names, size_t count)
{
    if (names == NULL)
        return;
    for (size_t k = 0; k < count; k++)
        free(names[k]);
    free(names);
}

void ao_lp_free(ao_lp *lp)
{
    if (lp == NULL)
        return;
    free(lp->obj);
    free(lp->col_lo);
    free(lp->col_hi);
    free(lp->row_lo);
    free(lp->row_hi);
    free_names(lp->row_names, lp->n_rows);
    free_names(lp->col_names, lp->n_cols);
    free(lp->nz_row);
    free(lp->nz_col);
    free(lp->nz_val);
    free(lp->col_integer);
    free(lp);
}

/* Grow an array of `count` elements of `size` bytes to `capacity`. */
static int grow(void **array, size_t size, size_t capacity)
{
    void *grown = realloc(*array, size * capacity);
    if (grown == NULL)
        return 0;
    *array = grown;
    return 1;
}

static size_t next_capacity(size_t capacity)
{
    return capacity ? capacity * 2 : 256;
}

int ao_lp_add_col(ao_lp *lp, const char *name, double lo, double hi, double obj)
{
    if (lp->n_cols == lp->cap_cols) {
        size_t cap = next_capacity(lp->cap_cols);
        if (!grow((void **)&lp->obj, sizeof(double), cap) ||
            !grow((void **)&lp->col_lo, sizeof(double), cap) ||
            !grow((void **)&lp->col_hi, sizeof(double), cap) ||
            !grow((void **)&lp->col_names, sizeof(char *), cap))
            return -1;
        lp->cap_cols = cap;
    }
    char *copy = NULL;
    if (name != NULL && (copy = ao_strdup(name)) == NULL)
        return -1;
    size_t j = lp->n_cols++;
    lp->obj[j] = obj;
    lp->col_lo[j] = lo;
    lp->col_hi[j] = hi;
    lp->col_names[j] = copy;
    return (int)j;
}

ao_error ao_lp_set_integer(ao_lp *lp, int col)
{
    if (col < 0 || (size_t)col >= lp->n_cols)
        return AO_ERROR_INTERNAL;
    if (lp->col_integer == NULL || lp->cap_integer < lp->n_cols) {
        size_t cap = lp->cap_cols;
        unsigned char *grown = realloc(lp->col_integer, cap);
        if (grown == NULL)
            return AO_ERROR_MEMORY_MALLOC_FAILED;
        memset(grown + lp->cap_integer, 0, cap - lp->cap_integer);
        lp->col_integer = grown;
        lp->cap_integer = cap;
    }
    if (!lp->col_integer[col]) {
        lp->col_integer[col] = 1;
        lp->n_integer++;
    }
    return AO_NO_ERROR;
}

int ao_lp_add_row(ao_lp *lp, const char *name, double lo, double hi)
{
    if (lp->n_rows == lp->cap_rows) {
        size_t cap = next_capacity(lp->cap_rows);
        if (!grow((void **)&lp->row_lo, sizeof(double), cap) ||
            !grow((void **)&lp->row_hi, sizeof(double), cap) ||
            !grow((void **)&lp->row_names, sizeof(char *), cap))
            return -1;
        lp->cap_rows = cap;
    }
    char *copy = NULL;
    if (name != NULL && (copy = ao_strdup(name)) == NULL)
        return -1;
    size_t r = lp->n_rows++;
    lp->row_lo[r] = lo;
    lp->row_hi[r] = hi;
    lp->row_names[r] = copy;
    return (int)r;
}

ao_error ao_lp_add_nz(ao_lp *lp, int row, int col, double value)
{
    if (value == 0.0)
        return AO_NO_ERROR;
    if (lp->n_nz == lp->cap_nz) {
        size_t cap = next_capacity(lp->cap_nz);
        if (!grow((void **)&lp->nz_row, sizeof(int), cap) ||
            !grow((void **)&lp->nz_col, sizeof(int), cap) ||
            !grow((void **)&lp->nz_val, sizeof(double), cap))
            return AO_ERROR_MEMORY_MALLOC_FAILED;
        lp->cap_nz = cap;
    }
    lp->nz_row[lp->n_nz] = row;
    lp->nz_col[lp->n_nz] = col;
    lp->nz_val[lp->n_nz] = value;
    lp->n_nz++;
    return AO_NO_ERROR;
}

void ao_solver_options_set_default(ao_solver_options *options)
{
    memset(options, 0, sizeof *options);
    options->kind = AO_SOLVER_AUTO;
    options->verbose = 0;
    options->presolve = AO_SOLVER_DEFAULT_PRESOLVE;
    options->time_limit = AO_SOLVER_DEFAULT_TIME_LIMIT;
    options->mip_gap = AO_SOLVER_DEFAULT_MIP_GAP;
}
