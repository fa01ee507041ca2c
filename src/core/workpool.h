/* workpool.h - a fixed set of threads running submitted work from a bounded
 * queue, for work too slow for the threads that must stay quick (argon2id
 * password hashing, audio probing and document rendering, off the HTTP
 * threads).
 *
 * Submitting never blocks: when queue_max items are waiting already the
 * submission is refused at once, so a caller can answer "busy, retry later"
 * instead of stalling. The pool's threads may run at a lower priority than
 * the rest of the process (nice_inc), so that what they do yields the CPU
 * to the threads that answer requests.
 *
 * THREAD SAFETY: workpool_submit and workpool_full may be called from any
 * thread; workpool_free from one thread, once nothing can submit any more.
 * Work runs on the pool's threads, several items at once (one per thread),
 * in the order submitted. */
#ifndef RAPORTAI_CORE_WORKPOOL_H
#define RAPORTAI_CORE_WORKPOOL_H

#define WORKPOOL_MAX_THREADS 64
#define WORKPOOL_MAX_QUEUE 100000

typedef struct workpool workpool;
typedef void (*workpool_fn)(void *arg);

/* Starts threads (1 to WORKPOOL_MAX_THREADS) that take work from a queue of
 * at most queue_max (0 to WORKPOOL_MAX_QUEUE) waiting items; 0 means work
 * is taken only when a thread is idle. Each thread raises its nice value by
 * nice_inc (0: none; a failure to do so is logged and ignored).
 * RA_ERR_INVALID for bounds out of range, RA_ERR_NOMEM, RA_ERR_IO when a
 * thread cannot be started (nothing is left running). */
int workpool_new(unsigned threads, unsigned queue_max, int nice_inc, workpool **out);
/* Queues fn(arg) to run on one of the pool's threads. RA_OK, or
 * RA_ERR_REFUSED when the queue is full (fn will not run; arg untouched). */
int workpool_submit(workpool *p, workpool_fn fn, void *arg);
/* True when a submission would be refused now: a hint for answering "busy"
 * before doing other work; it may change the next moment. */
int workpool_full(workpool *p);
/* Runs what is still queued, stops the threads and frees the pool.
 * NULL is allowed. */
void workpool_free(workpool *p);

#endif
