/* The one worker pool (models/pool.h). */
#include "models/pool.h"

#include <pthread.h>
#include <stdlib.h>

#include "solver/lp.h"

typedef struct pool {
    size_t n_jobs;
    ao_pool_job job;
    void *context;
    pthread_mutex_t lock;
    size_t next;    ///< Next job to hand out.
    int stop;       ///< A job failed: hand out no more.
    size_t failed;  ///< Lowest index of a failed job (n_jobs: none).
    ao_error error; ///< Its error.
} pool;

typedef struct worker {
    pool *p;
    size_t index;
} worker;

static void run_jobs(pool *p, size_t index)
{
    for (;;) {
        pthread_mutex_lock(&p->lock);
        size_t k = !p->stop && p->next < p->n_jobs ? p->next++ : p->n_jobs;
        pthread_mutex_unlock(&p->lock);
        if (k >= p->n_jobs)
            return;
        ao_error err = p->job(p->context, k, index);
        if (err != AO_NO_ERROR) {
            pthread_mutex_lock(&p->lock);
            p->stop = 1;
            if (k < p->failed) {
                p->failed = k;
                p->error = err;
            }
            pthread_mutex_unlock(&p->lock);
        }
    }
}

static void *worker_thread(void *arg)
{
    worker *w = arg;
    run_jobs(w->p, w->index);
    /* The solver environment is per thread: this thread's ends with it. */
    ao_solver_thread_cleanup();
    return NULL;
}

size_t ao_pool_workers(size_t n_jobs, int n_threads)
{
    size_t workers = n_threads < 1 ? 1 : (size_t)n_threads;
    return workers > n_jobs ? (n_jobs > 0 ? n_jobs : 1) : workers;
}

ao_error ao_pool_run(size_t n_jobs, int n_threads, ao_pool_job job, void *context)
{
    if (n_jobs == 0)
        return AO_NO_ERROR;
    pool p = {.n_jobs = n_jobs, .job = job, .context = context, .failed = n_jobs};
    if (pthread_mutex_init(&p.lock, NULL) != 0)
        return AO_ERROR_INTERNAL;
    size_t n_workers = ao_pool_workers(n_jobs, n_threads);
    pthread_t *threads = n_workers > 1 ? calloc(n_workers, sizeof *threads) : NULL;
    worker *workers = n_workers > 1 ? calloc(n_workers, sizeof *workers) : NULL;
    size_t started = 0;
    for (; threads != NULL && workers != NULL && started < n_workers; started++) {
        workers[started] = (worker){&p, started};
        if (pthread_create(&threads[started], NULL, worker_thread, &workers[started]) != 0)
            break;
    }
    if (started == 0)
        run_jobs(&p, 0);
    for (size_t t = 0; t < started; t++)
        pthread_join(threads[t], NULL);
    free(threads);
    free(workers);
    pthread_mutex_destroy(&p.lock);
    return p.error;
}
