/* claim_queue.c - what one claim of the fair queue (store_job_claim,
 * src/store/jobs.c) costs as the queue grows. Built and run by
 * `make bench-claim`:
 *
 *   claim_queue JOBS [ORGS]
 *
 * In a new database under $TMPDIR (removed at the end): organization A
 * queues JOBS jobs, then each of ORGS (default 20) other organizations
 * queues 10, and 1,000 organizations queue nothing. Then 200 claims, timed
 * one by one with the monotonic clock; prints the median and the slowest
 * in milliseconds, and how many of the claims went to A (one in each round
 * of turns while the others still have jobs: 10 of 200 with 20 others).
 * Exits 1, saying why, when the store refuses anything. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/err.h"
#include "core/ids.h"
#include "core/log.h"
#include "store/store.h"

#define CLAIMS 200

static int64_t at_ms = 1000; /* the jobs' creation times, one ms apart */

static int queue(store *s, const char *org_id, int n)
{
    store_exam_input exam = {.sut_code = "803910"};
    for (int i = 0; i < n; i++) {
        store_job_input in = {.kind = "report",
                              .org_id = org_id,
                              .transcript = "Normal.",
                              .input_lang = "en",
                              .output_lang = "en",
                              .hmac_secret = "s",
                              .exams = &exam,
                              .n_exams = 1};
        char id[UUID_LEN], dup[UUID_LEN];
        int64_t left;
        int rc = store_job_create(s, &in, at_ms++, 0, id, dup, &left);
        if (rc != RA_OK) {
            fprintf(stderr, "claim_queue: a job was refused: %s\n", ra_strerror(rc));
            return rc;
        }
    }
    return RA_OK;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int run(store *s, int jobs, int orgs)
{
    store_org a, o;
    int rc = store_org_create(s, "A", "hospital", jobs + 1, "bench", &a);
    if (rc == RA_OK)
        rc = queue(s, a.id, jobs);
    for (int i = 0; rc == RA_OK && i < orgs; i++) {
        rc = store_org_create(s, "B", "hospital", 10, "bench", &o);
        if (rc == RA_OK)
            rc = queue(s, o.id, 10);
    }
    for (int i = 0; rc == RA_OK && i < 1000; i++)
        rc = store_org_create(s, "C", "hospital", 0, "bench", &o);
    if (rc != RA_OK)
        return rc;
    double took[CLAIMS];
    int to_a = 0;
    for (int i = 0; i < CLAIMS; i++) {
        char id[UUID_LEN];
        int attempt;
        double t0 = now_ms();
        rc = store_job_claim(s, "bench", 10000000 + i, 600000, 3, id, &attempt);
        took[i] = now_ms() - t0;
        if (rc != RA_OK) {
            fprintf(stderr, "claim_queue: claim %d: %s\n", i + 1, ra_strerror(rc));
            return rc;
        }
        store_job j;
        if (store_job_get(s, id, NULL, &j) == RA_OK) {
            to_a += strcmp(j.org_id, a.id) == 0;
            store_job_release(&j);
        }
    }
    qsort(took, CLAIMS, sizeof took[0], by_value);
    printf("queued: %d jobs of A, %d of %d others; %d claims: median %.3f ms, slowest %.3f ms; "
           "%d went to A\n",
           jobs, orgs * 10, orgs, CLAIMS, took[CLAIMS / 2], took[CLAIMS - 1], to_a);
    return RA_OK;
}

int main(int argc, char **argv)
{
    int jobs = argc > 1 ? atoi(argv[1]) : 0;
    int orgs = argc > 2 ? atoi(argv[2]) : 20;
    if (argc < 2 || argc > 3 || jobs < CLAIMS || orgs < 0) {
        fprintf(stderr, "usage: claim_queue JOBS [ORGS]  (JOBS at least %d)\n", CLAIMS);
        return 2;
    }
    log_set_level(LOG_WARN); /* not the migrations' lines */
    const char *tmp = getenv("TMPDIR");
    char dir[512];
    snprintf(dir, sizeof dir, "%s/raportai-claim-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    store *s = NULL;
    int rc = ids_init() == RA_OK && mkdtemp(dir) != NULL ? store_open(dir, &s) : RA_ERR_IO;
    if (rc == RA_OK)
        rc = run(s, jobs, orgs);
    store_close(s);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "claim_queue: %s is left behind\n", dir);
    if (rc != RA_OK)
        fprintf(stderr, "claim_queue: %s\n", ra_strerror(rc));
    return rc == RA_OK ? 0 : 1;
}
