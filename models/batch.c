/*
 * Solving a baseline and its scenarios. The baseline goes first, alone, so its
 * optimal basis can warm-start every scenario; the scenarios then share out among
 * worker threads. Each solve depends only on its model and that one basis, so the
 * plans are the same whatever the number of threads.
 */
#include <pthread.h>
#include <stdlib.h>

#include "models/plan.h"

typedef struct batch {
    const ao_model *const *models;
    size_t n;
    ao_plan_options options; ///< For the scenarios (warm start set, no LP export).
    ao_plan **plans;
    pthread_mutex_t lock;
    size_t next;     ///< Next model to take.
    ao_error error;  ///< First error met.
} batch;

static void *worker(void *arg)
{
    batch *b = arg;
    for (;;) {
        pthread_mutex_lock(&b->lock);
        size_t k = b->error == AO_NO_ERROR && b->next < b->n ? b->next++ : b->n;
        pthread_mutex_unlock(&b->lock);
        if (k >= b->n)
            break;
        ao_error err = ao_plan_solve(b->models[k], &b->options, &b->plans[k]);
        if (err != AO_NO_ERROR) {
            pthread_mutex_lock(&b->lock);
            if (b->error == AO_NO_ERROR)
                b->error = err;
            pthread_mutex_unlock(&b->lock);
        }
    }
    ao_solver_thread_cleanup();
    return NULL;
}

ao_error ao_plan_solve_all(const ao_model *const *models, size_t n,
                           const ao_plan_options *options, int n_threads, ao_plan **plans)
{
    for (size_t k = 0; k < n; k++)
        plans[k] = NULL;
    if (n == 0)
        return AO_NO_ERROR;
    ao_plan_options first;
    if (options != NULL)
        first = *options;
    else
        ao_plan_options_set_default(&first);
    /* Kept for the scenarios, and for whoever asked (an uncertainty study). */
    first.keep_basis = first.keep_basis || n > 1;
    AO_RETURN_ON_ERROR(ao_plan_solve(models[0], &first, &plans[0]));
    if (n == 1)
        return AO_NO_ERROR;

    batch b = {.models = models, .n = n, .options = first, .plans = plans, .next = 1};
    b.options.lp_path = NULL;
    b.options.keep_basis = 0;
    b.options.warm_start = plans[0]->basis;
    if (pthread_mutex_init(&b.lock, NULL) != 0)
        return AO_ERROR_INTERNAL;
    size_t workers = n_threads < 1 ? 1 : (size_t)n_threads;
    if (workers > n - 1)
        workers = n - 1;
    pthread_t *threads = calloc(workers, sizeof *threads);
    size_t started = 0;
    if (threads != NULL && workers > 1) {
        for (; started < workers; started++)
            if (pthread_create(&threads[started], NULL, worker, &b) != 0)
                break;
    }
    if (started == 0) {
        /* One worker (or threads unavailable): run in this thread, keeping its solver
         * environment for the caller. */
        for (size_t k = 1; k < n && b.error == AO_NO_ERROR; k++)
            b.error = ao_plan_solve(models[k], &b.options, &plans[k]);
    }
    for (size_t t = 0; t < started; t++)
        pthread_join(threads[t], NULL);
    free(threads);
    pthread_mutex_destroy(&b.lock);
    if (b.error != AO_NO_ERROR) {
        for (size_t k = 0; k < n; k++) {
            ao_plan_free(plans[k]);
            plans[k] = NULL;
        }
    }
    return b.error;
}
