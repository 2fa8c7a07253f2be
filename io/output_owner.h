/**
 * @file io/output_owner.h
 * @brief Whether a file about to be replaced is one of allocopt's own outputs.
 *
 * An output is only written over a file that holds no one's work: a file allocopt
 * itself wrote as an output (written again from its input at will), an empty file, or
 * no file at all. Anything else needs the user's say-so (`--force` on the command line).
 *
 * How a file is recognised, by its content, never by its name (docs/cli.md):
 * - a workbook (.xlsx) whose document title (docProps/core.xml, dc:title) is one that
 *   allocopt's writers set: "allocopt results", "allocopt sweep" or "allocopt
 *   uncertainty study". The input template ("allocopt input") is not an output: the
 *   analyst fills it in, so it is reported apart and never replaced silently;
 * - a JSON file whose top level is an object with a text member `allocopt_version`
 *   (the summary of `--json`, the merged summary, the partial result of `--shard`);
 * - an LP file starting with the comment line GLPK writes, `\\* Problem: `.
 */
#ifndef AO_IO_OUTPUT_OWNER_H
#define AO_IO_OUTPUT_OWNER_H

/** What stands at an output path. */
typedef enum ao_output_owner {
    AO_OUTPUT_ABSENT = 0, ///< No file, or an empty one: nothing would be lost.
    AO_OUTPUT_ALLOCOPT,   ///< An output allocopt wrote: safe to replace.
    AO_OUTPUT_TEMPLATE,   ///< An input workbook from `allocopt template`, perhaps filled in.
    AO_OUTPUT_OTHER       ///< Anything else, including what cannot be read or is a folder.
} ao_output_owner;

/** Longest JSON file read to look for the marker: 1 GiB (a larger one is AO_OUTPUT_OTHER). */
#define AO_OUTPUT_MAX_JSON_BYTES (1024ull * 1024u * 1024u)

/** Longest docProps/core.xml read from a workbook: 1 MiB. */
#define AO_OUTPUT_MAX_CORE_BYTES (1024u * 1024u)

/**
 * @brief Say what stands at `path`.
 * @param[in] path The output path (NULL: AO_OUTPUT_ABSENT).
 * @return The owner; nothing is printed and the file is only read.
 */
ao_output_owner ao_output_owner_of(const char *path);

#endif /* AO_IO_OUTPUT_OWNER_H */
