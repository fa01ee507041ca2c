/* test_pools.c - unit tests of src/api/pools.c: how a refusal of the
 * probing or rendering pool is answered (a full queue: 503 UNAVAILABLE with
 * Retry-After; stopping: 503 without it; anything else: 500, logged once),
 * and that the test gate does nothing unless its FIFO exists. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../support/http_double.h"
#include "api/internal.h"
#include "core/err.h"

static const char *error_code(http_request *req)
{
    json_t *body = http_double_reply_json(req);
    cr_assert_not_null(body);
    static char code[64];
    const char *c = json_string_value(json_object_get(json_object_get(body, "error"), "code"));
    snprintf(code, sizeof code, "%s", c ? c : "");
    json_decref(body);
    return code;
}

/* What the server logs (stderr) while a test holds it: begin with
 * log_capture_start, end with log_capture_end, which returns how many
 * lines were logged that hold needle. */
static char capture_path[64];
static int capture_saved = -1;

static void log_capture_start(void)
{
    snprintf(capture_path, sizeof capture_path, "/tmp/raportai-pools-log-XXXXXX");
    int fd = mkstemp(capture_path);
    cr_assert_geq(fd, 0);
    capture_saved = dup(STDERR_FILENO);
    cr_assert_geq(capture_saved, 0);
    cr_assert_geq(dup2(fd, STDERR_FILENO), 0);
    close(fd);
}

static int log_capture_end(const char *needle)
{
    cr_assert_geq(dup2(capture_saved, STDERR_FILENO), 0);
    close(capture_saved);
    FILE *f = fopen(capture_path, "r");
    cr_assert_not_null(f);
    int n = 0;
    char line[1024];
    while (fgets(line, sizeof line, f) != NULL)
        n += strstr(line, needle) != NULL;
    fclose(f);
    remove(capture_path);
    return n;
}

Test(pools, a_full_queue_is_503_with_retry_after)
{
    http_request *req = http_double_new("GET", "/api/v1/reports/x/export");
    api_reply_pool_busy(req, RA_ERR_REFUSED, "documents being rendered",
                        json_pack("{s:i}", "remainingCredits", 7));
    cr_assert_eq(http_double_status(req), 503);
    cr_assert_str_eq(http_double_reply_header(req, "Retry-After"), "5");
    cr_assert_str_eq(error_code(req), "UNAVAILABLE");
    json_t *body = http_double_reply_json(req);
    const char *message =
        json_string_value(json_object_get(json_object_get(body, "error"), "message"));
    cr_assert_not_null(strstr(message, "documents being rendered"), "%s", message);
    cr_assert_eq(json_integer_value(json_object_get(body, "remainingCredits")), 7);
    json_decref(body);
    http_double_free(req);
}

Test(pools, stopping_is_503_without_retry_after_and_other_failures_500)
{
    log_capture_start();
    http_request *req = http_double_new("GET", "/x");
    api_reply_pool_busy(req, RA_ERR_CANCELLED, "recordings being checked", NULL);
    cr_assert_eq(http_double_status(req), 503);
    cr_assert_null(http_double_reply_header(req, "Retry-After"));
    cr_assert_str_eq(error_code(req), "UNAVAILABLE");
    http_double_free(req);
    cr_assert_eq(log_capture_end("cannot hand work"), 0, "stopping is not logged");

    log_capture_start();
    req = http_double_new("GET", "/x");
    api_reply_pool_busy(req, RA_ERR_NOMEM, "recordings being checked", NULL);
    cr_assert_eq(http_double_status(req), 500);
    cr_assert_null(http_double_reply_header(req, "Retry-After"));
    cr_assert_str_eq(error_code(req), "INTERNAL");
    http_double_free(req);
    cr_assert_eq(log_capture_end("cannot hand work to the pool for recordings being checked"), 1,
                 "a failure is logged once");
}

Test(pools, the_refusal_for_handlers_that_answer_their_own_way)
{
    http_request *req = http_double_new("POST", "/api/external/v1/report");
    api_refusal why = {.code = API_INVALID_REQUEST};
    log_capture_start();
    api_pool_refusal(req, RA_ERR_REFUSED, "recordings being checked", &why);
    cr_assert_eq(why.code, API_UNAVAILABLE);
    cr_assert_eq(why.retry_after_s, API_POOL_RETRY_S);
    cr_assert_str_eq(why.field, "");
    api_pool_refusal(req, RA_ERR_CANCELLED, "recordings being checked", &why);
    cr_assert_eq(why.code, API_UNAVAILABLE);
    cr_assert_eq(why.retry_after_s, 0);
    cr_assert_eq(log_capture_end("cannot hand work"), 0,
                 "a full queue and stopping are not logged");

    log_capture_start();
    api_pool_refusal(req, RA_ERR_NOMEM, "recordings being checked", &why);
    cr_assert_eq(why.code, API_INTERNAL);
    cr_assert_eq(why.retry_after_s, 0);
    cr_assert_eq(log_capture_end("cannot hand work to the pool for recordings being checked"), 1);
    http_double_free(req);
}

Test(pools, the_gate_passes_without_its_fifo)
{
    char dir[] = "/tmp/raportai-gate-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    setenv("RAPORTAI_TEST_POOL_GATE", dir, 1);
    api_pool_gate("render"); /* no FIFO: returns at once */
    char path[128];
    snprintf(path, sizeof path, "%s/render", dir);
    FILE *f = fopen(path, "w"); /* a plain file is not a gate */
    cr_assert_not_null(f);
    fclose(f);
    api_pool_gate("render");
    unsetenv("RAPORTAI_TEST_POOL_GATE");
    remove(path);
    rmdir(dir);
}
