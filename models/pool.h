/**
 * @file models/pool.h
 * @brief The one worker pool: n jobs shared out among up to k threads. Scenarios,
 * uncertainty samples and sweep points all run through it.
 *
 * Jobs are handed out in index order. A job must depend only on its index and on what
 * the caller set up before the run (never on another job, nor on which worker runs it),
 * so that results are the same whatever the number of threads.
 */
#ifndef AO_MODELS_POOL_H
#define AO_MODELS_POOL_H

#include <stddef.h>

#include "common/error.h"

/**
 * @brief One job.
 * @param[in] context The caller's, as given to ao_pool_run().
 * @param[in] job The job's index, 0 to n_jobs - 1.
 * @param[in] worker The worker running it, 0 to ao_pool_workers() - 1: an index into
 * per-worker scratch space, never a reason for a different result.
 * @return AO_NO_ERROR, or an error that stops the run.
 */
typedef ao_error (*ao_pool_job)(void *context, size_t job, size_t worker);

/** @brief How many workers ao_pool_run() uses for n_jobs jobs and n_threads (< 1: one). */
size_t ao_pool_workers(size_t n_jobs, int n_threads);

/**
 * @brief Run n_jobs jobs over ao_pool_workers(n_jobs, n_threads) threads.
 *
 * With one worker (or when no thread can be started) the jobs run in the calling thread,
 * which keeps its solver environment. Worker threads free theirs as they end. After a
 * job fails no new job starts; the jobs already started finish.
 *
 * @return AO_NO_ERROR, or the error of the failed job with the lowest index (the error a
 * run in one thread would meet first, so it too is independent of n_threads).
 */
ao_error ao_pool_run(size_t n_jobs, int n_threads, ao_pool_job job, void *context);

#endif /* AO_MODELS_POOL_H */
