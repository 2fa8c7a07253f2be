/**
 * @file models/builder.h
 * @brief Reading input tables into the model, shared by the files that read them.
 *
 * Internal to models/: models/model.c reads the v1/v2 tables and models/model_v3.c the
 * v3 ones (arrangements, icb_changes, flows) with the same checks and messages. Every
 * problem is recorded with its file, table, row and column, and reading goes on.
 */
#ifndef AO_MODELS_BUILDER_H
#define AO_MODELS_BUILDER_H

#include <stddef.h>

#include "common/diag.h"
#include "common/index.h"
#include "models/model.h"

/** Number checks of ao_build_read_number(). */
enum {
    NUM_REQUIRED = 1 << 0, ///< A blank cell is an error.
    NUM_NONNEG = 1 << 1,   ///< Must be ≥ 0.
    NUM_FRACTION = 1 << 2, ///< Must be in [0, 1].
    NUM_INTEGER = 1 << 3,  ///< Must be a whole number.
    NUM_POSITIVE = 1 << 4, ///< Must be > 0.
    NUM_GROWTH = 1 << 5    ///< Must be > -1 (-100 %).
};

/** State of one ao_model_build(). */
typedef struct ao_builder {
    const ao_tableset *tables; ///< Input.
    ao_model *model;           ///< Model being built.
    ao_diags *diags;           ///< Problems found.
    ao_error fatal;            ///< First memory error; stops everything.
    ao_index icb_ids, service_ids, provider_ids, region_ids, programme_ids, group_ids;
    const ao_table *table;     ///< Table being read.
} ao_builder;

/** @brief Record a problem at (row, col) of the current table; row (size_t)-1: whole table. */
void ao_build_note(ao_builder *b, ao_severity severity, size_t row, long col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/** @brief Record a problem about the model as a whole, or a table with no row to point at. */
void ao_build_note_model(ao_builder *b, const char *table, ao_severity severity,
                         const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/** @brief Report a year cell that is not a year; blank_means says what a blank does. */
void ao_build_note_year(ao_builder *b, size_t row, long col, const char *text,
                        const char *blank_means);

/** @brief Read a number cell with checks; 1 when out holds a usable value. */
int ao_build_read_number(ao_builder *b, size_t row, const char *column, unsigned checks,
                         double fallback, double *out);

/** @brief The number checks of a column of the current table (models/schema.c). */
unsigned ao_build_column_checks(const ao_builder *b, const char *column);

/** @brief Read a number cell with its column's checks. */
int ao_build_read_column(ao_builder *b, size_t row, const char *column, double fallback,
                         double *out);

/** @brief A required id cell; reports and returns NULL when empty. */
const char *ao_build_read_id(ao_builder *b, size_t row, const char *column);

/** @brief Look an id up in an index; reports an unknown id (what: "ICB", where: table). */
int ao_build_lookup(ao_builder *b, size_t row, const char *column, const ao_index *index,
                    const char *what, const char *where);

/** @brief Register an id in an index; reports a duplicate. Returns 1 when new. */
int ao_build_register_id(ao_builder *b, ao_index *index, size_t row, const char *column,
                         const char *id, int value, const char *what);

/** @brief Make a table current; 1 when it is present with every required column. */
int ao_build_open_table(ao_builder *b, const char *name);

/** @brief Open a table and allocate one element of size bytes a row (NULL: absent or memory). */
void *ao_build_open_rows(ao_builder *b, const char *name, size_t size);

/** @brief Index of text among choices (case-insensitive), or -1. */
int ao_build_choice(const char *text, const char *const *choices);

/** @brief Read a service selection (`*`, `category:X`, `programme:X`, `service:X`) into
 * n_services flags; returns its ao_selection_kind, or -1 (reported). */
int ao_build_selection(ao_builder *b, size_t r, long col, const char *text,
                       unsigned char *selects);

/* The v3 tables (models/model_v3.c), read after the v1/v2 tables. */

/** @brief Read the arrangements table (rule 14) and fill arrangement_of and the weights. */
void ao_build_arrangements(ao_builder *b);

/** @brief Read the icb_changes table (rule 15) into footprints. */
void ao_build_icb_changes(ao_builder *b);

/** @brief Read the flows table (rule 16). */
void ao_build_flows(ao_builder *b);

#endif /* AO_MODELS_BUILDER_H */
