/**
 * @file report/partial.h
 * @brief Partial results of a sharded uncertainty study (`allocopt run --shard K/N`),
 * and their merge (`allocopt merge`). The file format is in docs/scaling.md.
 */
#ifndef AO_REPORT_PARTIAL_H
#define AO_REPORT_PARTIAL_H

#include <stddef.h>

#include "common/diag.h"
#include "common/error.h"
#include "models/uncertainty.h"

/** Version of the partial file format written and read. */
#define AO_PARTIAL_FORMAT_VERSION 2

/**
 * @brief Write a study's shard as a partial result (JSON; doubles with 17 significant
 * digits, so that they read back to the same values). Written whole or not at all.
 * @return AO_NO_ERROR, AO_ERROR_FILE_WRITE or a memory error.
 */
ao_error ao_partial_write(const char *path, const ao_study *study);

/**
 * @brief Read a partial result. A file of an earlier format version (without the
 * overspend of each record) is refused, saying to run the shard again.
 * @param[out] out The study shard it holds, or NULL.
 * @param[in,out] diags When the file cannot be used: one error, at the file, saying why.
 * @return AO_NO_ERROR, AO_ERROR_INPUT (see diags) or a memory error.
 */
ao_error ao_partial_read(const char *path, ao_study **out, ao_diags *diags);

/**
 * @brief Merge the shards of one study: they must share fingerprint, samples, seed,
 * breach tolerance and number of shards, and hold every shard exactly once. The merged study holds
 * every record by sample index, as a single run would.
 * @param[in] parts n shards, read from paths (named in messages).
 * @param[out] out The merged study, or NULL.
 * @param[in,out] diags When the parts do not belong together: one error, at the file
 * concerned (no file when a shard is missing), saying why.
 * @return AO_NO_ERROR, AO_ERROR_INPUT (see diags) or a memory error.
 */
ao_error ao_partial_merge(ao_study *const *parts, const char *const *paths, size_t n,
                          ao_study **out, ao_diags *diags);

#endif /* AO_REPORT_PARTIAL_H */
