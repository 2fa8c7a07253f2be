/**
 * @file models/schema.h
 * @brief The input tables and their columns (FORMATS.md), in one list.
 *
 * Every part of allocopt that knows an input table by name reads it here: the
 * validator (models/model.c: which tables and columns exist, which are required, the
 * number checks), the keys naming table rows (models/table_key.c), the input
 * template (report/template.c: formats, drop-down lists, notes) and docs/tables.md
 * (checked against this list by tests/test_schema.c). A new table or column is one
 * entry in models/schema.c.
 */
#ifndef AO_MODELS_SCHEMA_H
#define AO_MODELS_SCHEMA_H

#include <stddef.h>

/** Most key columns a table has. */
#define AO_SCHEMA_KEY_PARTS 3

/** The number check of a column; models/model.c refuses what breaks it, and the
 * template's cell check matches. */
typedef enum ao_number_rule {
    AO_NUMBER_ANY = 0,  ///< Any finite number (or a column that holds no number).
    AO_NUMBER_NONNEG,   ///< 0 or more.
    AO_NUMBER_FRACTION, ///< From 0 to 1 (0% to 100%).
    AO_NUMBER_WHOLE,    ///< A whole number, 0 or more.
    AO_NUMBER_POSITIVE, ///< More than 0.
    AO_NUMBER_GROWTH    ///< More than -1 (-100%).
} ao_number_rule;

/** What a column holds, and how the template shows it. */
typedef enum ao_column_format {
    AO_FORMAT_TEXT = 0, ///< Ids, names, words: kept as typed.
    AO_FORMAT_YEAR,     ///< A financial year, 2025 or 2025/26: text, never a date.
    AO_FORMAT_NUMBER,   ///< A number, shown as typed.
    AO_FORMAT_MONEY,    ///< An amount in whole pounds: £601,500,000.
    AO_FORMAT_PRICE,    ///< A cost per unit, in pounds and pence: £1,234.50.
    AO_FORMAT_COUNT,    ///< A count of people: whole numbers with thousands separators.
    AO_FORMAT_SETTING,  ///< settings.value: a number or text according to the row's key.
    AO_FORMAT_CHANGE    ///< scenarios.value: a number or text by the column it changes.
} ao_column_format;

/** Where a column's drop-down list in the template comes from. */
typedef enum ao_column_list {
    AO_LIST_NONE = 0, ///< No list.
    AO_LIST_WORDS,    ///< Fixed words (ao_column_schema.words).
    AO_LIST_IDS,      ///< The id column of another table (ao_column_schema.id_table).
    AO_LIST_SCOPE,    ///< `*`, `all` and the ICB ids.
    AO_LIST_COLUMNS,  ///< Every column name of every table.
    AO_LIST_TABLES    ///< The tables scenarios and uncertainty may change (changeable).
} ao_column_list;

/** One column of an input table. */
typedef struct ao_column_schema {
    const char *name;         ///< Heading, exactly as FORMATS.md writes it.
    int required;             ///< 1 when the column must be present (FORMATS.md's *).
    ao_number_rule rule;      ///< Number check of a number column.
    ao_column_format format;  ///< What the column holds and how it is shown.
    ao_column_list list;      ///< Drop-down list in the template.
    const char *const *words; ///< AO_LIST_WORDS: the words, NULL-terminated.
    const char *id_table;     ///< AO_LIST_IDS: the table whose id column is offered.
    const char *help;         ///< Meaning, unit, default (the template's heading note).
    const char *tip;          ///< Short hint when a cell is selected (at most 255 bytes).
} ao_column_schema;

/** One input table. */
typedef struct ao_table_schema {
    const char *name;                     ///< Table (file or sheet) name.
    int required;                         ///< 1 for the tables every input needs.
    int changeable;                       ///< 1 when scenarios and uncertainty may change it.
    const char *key[AO_SCHEMA_KEY_PARTS]; ///< Key columns naming a row (NULL: none).
    const char *help;                     ///< What one row holds, in a sentence or two.
    const ao_column_schema *columns;      ///< Columns in FORMATS.md's order.
    size_t n_columns;                     ///< Their number.
} ao_table_schema;

/** services.category's words, in the order of ao_category (models/model.h). */
extern const char *const ao_schema_categories[];

/** arrangements.arrangement's words, in the order of ao_arrangement (models/model.h). */
extern const char *const ao_schema_arrangements[];

/** rules.kind's words, in the order of ao_rule_kind (models/model.h). */
extern const char *const ao_schema_rule_kinds[];

/** The words of a yes-or-no column (the reader also takes true/false, y/n and 1/0). */
extern const char *const ao_schema_yes_no[];

/**
 * @brief Every input table, in FORMATS.md's order.
 * @param[out] n_tables Their number.
 * @return The first table of the list.
 */
const ao_table_schema *ao_schema_tables(size_t *n_tables);

/** @brief The table of that name (capitals ignored), or NULL. */
const ao_table_schema *ao_schema_table(const char *name);

/** @brief Index of the named column (capitals ignored) in table, or -1 (table may be NULL). */
long ao_schema_column_index(const ao_table_schema *table, const char *name);

/** @brief The named column (capitals ignored) of table, or NULL (table may be NULL). */
const ao_column_schema *ao_schema_column(const ao_table_schema *table, const char *name);

#endif /* AO_MODELS_SCHEMA_H */
