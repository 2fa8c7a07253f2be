/**
 * @file models/table_key.h
 * @brief Keys that name rows of an input table (FORMATS.md `scenarios`), shared by
 * scenarios and the uncertainty table.
 *
 * A key follows the table's key columns (models/schema.h), parts joined by '/': `id` for icbs,
 * services, providers, rules and collaboratives; `icb/year` for budgets; `icb/service` for demand;
 * and so on. A part `*` matches every row; a year part may be written 2025 or 2025/26.
 */
#ifndef AO_MODELS_TABLE_KEY_H
#define AO_MODELS_TABLE_KEY_H

#include <stddef.h>

#include "common/table.h"
#include "models/schema.h"

/** Most parts a key has: a table's key columns (models/schema.h). */
#define AO_KEY_MAX_PARTS AO_SCHEMA_KEY_PARTS
/** Longest key accepted, in bytes. */
#define AO_KEY_MAX 512

/** Outcome of reading a key against a table. */
typedef enum ao_key_status {
    AO_KEY_OK = 0,    ///< The key fits the table.
    AO_KEY_NO_KEY,    ///< The table is not one whose rows a key can name.
    AO_KEY_BAD_SHAPE, ///< The key does not have the table's parts.
    AO_KEY_NO_COLUMN  ///< The table lacks one of its key columns (see missing_column).
} ao_key_status;

/** A key read against one table: which columns it matches and the text of each part. */
typedef struct ao_key_pattern {
    int n_parts;                              ///< Parts (1 to 3).
    const char *columns[AO_KEY_MAX_PARTS];    ///< Key column names ("icb", "year").
    long cols[AO_KEY_MAX_PARTS];              ///< Their column indices in the table.
    char parts[AO_KEY_MAX_PARTS][AO_KEY_MAX]; ///< The key's parts ("*" matches all).
    const char *missing_column;               ///< AO_KEY_NO_COLUMN: the column missing.
} ao_key_pattern;

/** @brief 1 when rows of the named table can be named by a key (FORMATS.md tables). */
int ao_key_table_known(const char *table);

/** @brief 1 when column is one of the key columns of the named table. */
int ao_key_is_key_column(const char *table, const char *column);

/**
 * @brief Read a key against a table.
 * @param[in] table The table whose rows the key names (its name picks the key columns).
 * @param[in] key The key as written: "QWO/2025/26", "discount_rate"; a part "*" matches
 *            every row.
 * @param[out] out The pattern (valid when AO_KEY_OK is returned).
 * @return AO_KEY_OK or why the key cannot be used.
 */
ao_key_status ao_key_pattern_read(const ao_table *table, const char *key, ao_key_pattern *out);

/** @brief 1 when data row `row` of table matches the pattern read against it. */
int ao_key_pattern_matches(const ao_key_pattern *pattern, const ao_table *table, size_t row);

#endif /* AO_MODELS_TABLE_KEY_H */
